"""Volver a medir una entrega ajena y cotejarlo con lo que declara su manifiesto, que no va firmado.

- ``volver_a_medir``: SWD, KID y memorización con las imágenes de ``imagenes.npz``, con las mismas muestras e
  imágenes que ``entrega`` (las de ``formato_entrega``), frente a las declaradas (``TOLERANCIA``) y con el aviso de
  posible memorización (``UMBRAL_MEMORIZACION``);
- ``cotejar_imagenes``: cuántas imágenes trae frente a las declaradas; ``cotejar_historial``: las épocas de
  ``historial.csv`` y su huella, que ``revision`` compara entre entregas;
- ``miniatura``: una imagen pequeña para el informe de la clase.

Lo que no se puede medir lanza ``lectura_entrega.EntregaIlegible``; las cifras declaradas se leen con
``declarado_entrega``. Lo usa ``revision_entrega``.
"""

import csv
import hashlib
import io
import zipfile

import numpy as np
from PIL import Image

from . import paginas
from .datos import a_rango_simetrico
from .declarado_entrega import epocas_declaradas, numero_declarado
from .formato_entrega import (MUESTRAS_MEMORIZACION, entrenamiento_entregado, imagenes_medibles, imagenes_que_deciden,
                              medir_memorizacion, muestras_fijas, posiciones_coherentes)
from .generador_guardado import medir_generador
from .graficos import a_uint8
from .imagenes_guardadas import bloques_guardados, formas_guardadas, leer_imagenes_guardadas
from .lectura_entrega import MAX_DESCOMPRIMIDO, EntregaIlegible
from .memorizacion import mas_cercanas, muestras_casi_iguales
from .opciones import es_entero
from .registro_tarea import ARCHIVO_IMAGENES
from .tarea import MAX_RESERVA
from .textos import cifra, miles
from .zip_seguro import miembros

MAX_FILAS_HISTORIAL = 20_000  # las que se comparan entre entregas: una copia se delata en las primeras
# Umbrales de los avisos (ver la guía docente, «Entregas y revisión»).
TOLERANCIA = {"swd": (0.10, 2.0), "kid": (0.10, 0.01), "cociente": (0.10, 0.02)}  # (relativa, absoluta)
# Más bajo que el 0,5 de la guía: en píxeles, muestras borrosas que no copian nada dan de 0,6 a 1.
UMBRAL_MEMORIZACION = 0.3


def volver_a_medir(fila, generador, contenido, manifiesto):
    """Vuelve a medir con las imágenes entregadas y compara con lo que declara el manifiesto. Las de entrenamiento
    se leen por bloques y solo se guardan las que deciden la memorización (``imagenes_que_deciden``): una entrega
    de una versión anterior del kit las trae todas."""
    try:
        with zipfile.ZipFile(io.BytesIO(contenido)) as npz:
            miembros(npz, 10, MAX_DESCOMPRIMIDO)  # un .npz es un zip: que no sea una bomba
    except (zipfile.BadZipFile, ValueError):
        raise EntregaIlegible(f"{ARCHIVO_IMAGENES} está dañado o no tiene «entrenamiento» y «reserva»") from None
    try:
        formas = formas_guardadas(io.BytesIO(contenido))
        if formas["reserva"][0] > MAX_RESERVA:  # se generan el doble de muestras que imágenes de reserva
            raise EntregaIlegible(f"{ARCHIVO_IMAGENES} tiene {formas['reserva'][0]} imágenes de reserva («entrenar» "
                                  f"aparta como mucho {MAX_RESERVA})")
        forma = tuple(generador.output_shape[1:])
        if not imagenes_medibles(formas, forma):
            raise EntregaIlegible(f"las imágenes de {ARCHIVO_IMAGENES} no son de {'×'.join(map(str, forma))}, lo que "
                                  "dibuja el generador")
        reserva = a_rango_simetrico(leer_imagenes_guardadas(io.BytesIO(contenido), "reserva"), 255)
        semilla = manifiesto["semillas"]["medidas"]
        total = formas["entrenamiento"][0]
        _, decisivas = imagenes_que_deciden(muestras_fijas(generador, semilla, MUESTRAS_MEMORIZACION), reserva,
                                            bloques_guardados(io.BytesIO(contenido)), total)
    except ValueError as error:  # dice qué le pasa: ilegible, le falta una parte o no son imágenes uint8
        raise EntregaIlegible(f"{ARCHIVO_IMAGENES} está dañado ({error})") from None
    medida = medir_generador(generador, reserva, semilla)
    entrenamiento = a_rango_simetrico(decisivas, 255)
    muestras, memorizacion = medir_memorizacion(generador, entrenamiento, reserva, semilla)
    fila["pares"] = _pares(muestras, entrenamiento)
    fila.update(swd=medida["swd"], kid=medida["kid"], memorizacion=memorizacion["cociente"],
                diversidad=memorizacion["diversidad"], imagenes=total + len(reserva))
    declarada = manifiesto["medidas"].get(manifiesto["generador_elegido"])
    declarada = declarada if isinstance(declarada, dict) else {}
    memoria = manifiesto.get("memorizacion") if isinstance(manifiesto.get("memorizacion"), dict) else {}
    distintas = [nombre for nombre, clave, nuestro, suyo in (
        ("SWD", "swd", medida["swd"], declarada.get("swd")),
        ("KID", "kid", medida["kid"], declarada.get("kid")),
        ("memorización", "cociente", memorizacion["cociente"], memoria.get("cociente")),
    ) if _discrepan(nuestro, numero_declarado(suyo), clave)]
    if distintas:
        nombres = " y ".join([", ".join(distintas[:-1]), distintas[-1]] if len(distintas) > 1 else distintas)
        verbo = "no coinciden" if len(distintas) > 1 else "no coincide"
        fila["avisos"].append(f"{nombres} del manifiesto {verbo} con lo re-medido")
    if memorizacion["cociente"] < UMBRAL_MEMORIZACION and not muestras_casi_iguales(memorizacion):
        fila["avisos"].append(f"posible memorización (cociente {cifra(memorizacion['cociente'])})")


def _discrepan(nuestro, declarado, clave):
    relativa, absoluta = TOLERANCIA[clave]
    return declarado is None or abs(nuestro - declarado) > absoluta + relativa * abs(nuestro)


def _pares(muestras, entrenamiento, n=8):
    """Miniatura de las ``n`` muestras más cercanas al entrenamiento (arriba) sobre su imagen de entrenamiento
    más parecida (abajo), dibujada aquí: la de ``informe.html`` sale del ordenador del estudiante."""
    elegidas, indices, _ = mas_cercanas(muestras, entrenamiento, n)
    arriba, abajo = (np.concatenate(list(a_uint8(grupo)), axis=1)
                     for grupo in (muestras[elegidas], entrenamiento[indices[elegidas]]))
    mosaico = np.concatenate([arriba, abajo], axis=0)
    return miniatura(mosaico[..., 0] if mosaico.shape[-1] == 1 else mosaico, lado=32 * n)


def miniatura(mosaico, lado=128):
    imagen = Image.fromarray(mosaico)
    imagen.thumbnail((lado, lado), Image.NEAREST)
    return paginas.uri_png(imagen)


def cotejar_imagenes(fila, declaradas, manifiesto, contenido):
    """Coteja las imágenes que trae ``imagenes.npz`` (``contenido``, ``fila["imagenes"]``) con las ``declaradas`` en
    el manifiesto, que no va firmado. Desde el formato 2 (con ``imagenes_entregadas``), de muchas de entrenamiento solo
    van ``entrenamiento_entregado(n)``: si trae justo esas, en las posiciones que salen de ese total
    (``posiciones_coherentes``), la tabla usa el total declarado y ``fila["imagenes_contadas"]`` guarda las que van."""
    contadas = fila["imagenes"]
    imagenes = manifiesto.get("imagenes") if isinstance(manifiesto.get("imagenes"), dict) else {}
    entrenamiento, reserva = imagenes.get("entrenamiento"), imagenes.get("reserva")
    if (isinstance(manifiesto.get("imagenes_entregadas"), dict) and declaradas is not None and declaradas > contadas
            and es_entero(entrenamiento, 0) and es_entero(reserva, 0)
            and entrenamiento_entregado(entrenamiento) + reserva == contadas
            and posiciones_coherentes(_posiciones(contenido), entrenamiento, reserva, manifiesto["semillas"]["medidas"])):
        fila["imagenes"], fila["imagenes_contadas"] = int(declaradas), contadas
    elif declaradas is not None and declaradas != contadas:
        fila["avisos"].append(f"el manifiesto declara {miles(declaradas)} imágenes e {ARCHIVO_IMAGENES} trae "
                              f"{miles(contadas)} (la tabla y la rúbrica usan estas)")


def _posiciones(contenido):
    """Las posiciones de las de entrenamiento que trae ``imagenes.npz`` (``indices``, ver ``posiciones_coherentes``);
    ``[]`` si no las trae o no se pueden leer."""
    try:
        with np.load(io.BytesIO(contenido), allow_pickle=False) as npz:
            return npz["indices"] if "indices" in npz.files else []
    except (ValueError, OSError, zipfile.BadZipFile, EOFError):
        return []


def cotejar_historial(fila, contenido):
    """Guarda en ``fila["historial"]`` una huella corta de cada fila de ``historial.csv`` (lo que compara
    ``comparar_historiales``, sin guardar el archivo entero) y avisa si su última época no es la que declara el
    manifiesto, que no va firmado."""
    try:
        # Fila a fila, sin guardarlas: el de un entrenamiento de cientos de miles de épocas ocupa decenas de MiB.
        filas = (f for f in csv.reader(io.StringIO(contenido.decode("utf-8-sig"))) if f)  # sin líneas en blanco
        columna = next(filas, []).index("epoca")
        huellas, ultima = [], None
        for fila_csv in filas:
            epoca = int(fila_csv[columna])
            ultima = epoca if ultima is None else max(ultima, epoca)
            if len(huellas) < MAX_FILAS_HISTORIAL:
                huellas.append(hashlib.sha256(",".join(fila_csv).encode()).hexdigest()[:16])
        if ultima is None:
            raise ValueError("sin épocas")
    except (UnicodeDecodeError, csv.Error, IndexError, ValueError):
        fila["avisos"].append("historial.csv está dañado: no se pueden comprobar las épocas declaradas")
        return
    fila["historial"] = huellas
    if fila["epocas"] is not None and fila["epocas"] != ultima:
        fila["avisos"].append(f"el manifiesto declara {epocas_declaradas(fila)} y historial.csv llega a la época "
                              f"{miles(ultima)}")
