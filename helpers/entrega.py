"""La entrega de la tarea: ``python -m helpers entregar`` (y el cuaderno 06) empaqueta en un .zip lo
que evalúa la rúbrica, con un manifiesto y un informe de una página.

Dentro del zip, todo en la raíz:

- ``generador.keras``: el generador elegido (el final o el recomendado por ``entrenar_carpeta``);
- ``muestras.png``: su cuadrícula de 64 muestras con la semilla de ``MuestrasFijas`` (1234);
- ``evolucion.gif`` (reducido), ``perdidas.png``, ``metrica.png``, ``historial.csv``, ``metrica.csv``;
- ``imagenes.npz``: las imágenes de reserva y de entrenamiento a la resolución del entrenamiento (uint8), para
  que quien revise vuelva a medir; de entrenamiento, todas si no pasan de ``MAX_ENTRENAMIENTO`` y, si pasan, las
  que deciden la comprobación de memorización y otras al azar hasta ``MAX_ENTRENAMIENTO`` (ver
  ``imagenes_que_deciden``; el manifiesto dice cuántas van, y ``indices`` en el npz, en qué posiciones);
  ``sin_imagenes=True`` las deja fuera;
- ``reflexion.md`` (si la das) e ``informe.html``: medidas, comprobación de memorización (con los pares de
  muestras y fotos de entrenamiento, salvo sin imágenes) y reflexión (con su formato Markdown: títulos,
  negritas, listas…);
- ``manifiesto.json``: versión del kit, receta, imágenes, épocas, minutos, dispositivo, semillas,
  medidas, avisos (p. ej. un GIF dañado que se quedó fuera) y la huella SHA-256 de cada archivo.
"""

import contextlib
import datetime
import hashlib
import io
import json
import os
import re
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np

from . import paginas
from .archivos import con_la_ruta_pedida, nombre_apartado
from .callbacks import ARCHIVO_MENOR_SWD, SEMILLA_CUADRICULA, duraciones_gif
from .datos import a_rango_simetrico
from .entorno import carpeta_resultados
from .errores import buscada_en
from .generador_guardado import cargar_generador, medir_generador, mismo_generador
from .graficos import guardar_cuadricula
from .imagenes_guardadas import bloques_guardados, formas_guardadas, leer_imagenes_guardadas
from .lotes import aplicar_por_lotes
from .memorizacion import comprobar_memorizacion, lectura_memorizacion, mostrar_vecinos, vecinas_en_pixeles
from .opciones import es_entero, exigir_booleano, exigir_ruta
from .reanudacion import orden_continuar
from .registro_tarea import ARCHIVO_IMAGENES, ARCHIVO_REGISTRO, MANIFIESTO, leer_registro
from .textos import cifra, miles, texto_imprimible

# 2: el manifiesto dice cuántas imágenes van en ``imagenes.npz`` (``imagenes_entregadas``); con el 1 iban todas.
FORMATO = 2
GENERADORES = ("generador.keras", "mejor_generador.keras")
# Los que se miden para el informe, con lo que son: los dos candidatos de ``elegir_generador`` y el recomendado.
MEDIDOS = {"generador.keras": "el final", ARCHIVO_MENOR_SWD: "el de menor SWD durante el entrenamiento",
           "mejor_generador.keras": "el recomendado por entrenar"}
MUESTRAS_CUADRICULA = 64
MUESTRAS_MEMORIZACION = 256
VECINAS_MEMORIZACION = 8  # las de entrenamiento que mira ``comprobar_memorizacion`` por muestra
# Imágenes de entrenamiento que van en la entrega, como mucho: caben siempre las que deciden la memorización (256 × 8
# más una por cada una de las 200 de reserva), así que con más van justo estas (``entrenamiento_entregado``), y el
# zip sigue bajo el límite de ``revisar`` también a 128 px.
MAX_ENTRENAMIENTO = 2500
ADJUNTOS = ("perdidas.png", "metrica.png", "historial.csv", "metrica.csv")
LADO_GIF, CUADROS_GIF = 256, 30
MAX_REFLEXION = 100_000  # caracteres
# Lo que el cuaderno 06 trae escrito para que lo cambies: entregarlo así es casi siempre un olvido.
NOMBRE_DE_EJEMPLO = "Tu nombre"
ZIP_POR_DEFECTO = Path("entrega.zip")  # bajo la carpeta de resultados del curso
REFLEXION_DE_EJEMPLO = "Aquí va tu reflexión: qué ves en las curvas y en las muestras.\n"
# Lo que la entrega lee de ``tarea.json`` y de qué tipo es.
CLAVES_REGISTRO = {"version_kit": str, "receta": dict, "imagenes": dict, "epocas": int, "minutos": (int, float),
                   "dispositivo": str, "semilla": int}
CLAVES_IMAGENES = ("entrenamiento", "reserva", "tamano", "canales")


def muestras_fijas(generador, semilla=SEMILLA_CUADRICULA, n=MUESTRAS_CUADRICULA):
    """``n`` muestras ``(n, alto, ancho, canales)`` en [-1, 1] de los vectores latentes de ``semilla``
    (los mismos que ``MuestrasFijas``): misma semilla y mismo generador → mismas imágenes."""
    z = np.random.default_rng(semilla).normal(size=(n, generador.input_shape[-1])).astype(np.float32)
    return aplicar_por_lotes(generador, z, 256)


def _medir_generadores(resultados, reserva, semilla, elegido):
    """``(medidas, avisos)``: SWD y KID frente a la reserva de cada generador de ``MEDIDOS`` que haya en
    ``resultados``. El recomendado es una copia de uno de los otros dos, y los dos candidatos son a menudo el
    mismo generador (si la SWD fue mínima en la última época): la medida de uno con los mismos pesos que otro
    ya medido se reutiliza, no se repite. Uno dañado que no es el ``elegido`` se queda sin medir, con un
    aviso, y no para la entrega."""
    medidas, avisos, redes = {}, [], {}  # redes: archivo → la red ya medida
    for archivo in MEDIDOS:
        ruta = resultados / archivo
        if not ruta.is_file():
            continue
        try:
            red = cargar_generador(ruta)
            if tuple(red.output_shape[1:]) != reserva.shape[1:]:  # copiado de otra carpeta (otro tamaño)
                forma = "×".join(map(str, red.output_shape[1:]))
                avisos.append(f"{archivo} dibuja imágenes de {forma}, no las de este entrenamiento, y no se midió")
                print(f"Aviso: «{ruta}» dibuja imágenes de {forma} y las de este entrenamiento son de "
                      f"{'×'.join(map(str, reserva.shape[1:]))}: no es de esta carpeta. Lo entrego sin su medida.")
                continue
            original = next((otro for otro, suya in redes.items() if mismo_generador(red, suya)), None)
            medidas[archivo] = medidas[original] if original else medir_generador(red, reserva, semilla)
            redes[archivo] = red
        except ValueError as error:
            if archivo == elegido:
                raise
            avisos.append(f"{archivo} está dañado y no se midió")
            print(f"Aviso: {error} Lo entrego sin su medida.")
    return medidas, avisos


def medir_memorizacion(generador, entrenamiento, reserva, semilla=0):
    """``(muestras, resultado)``: 256 muestras de ``semilla`` y ``comprobar_memorizacion`` (L2 en píxeles)."""
    muestras = muestras_fijas(generador, semilla, MUESTRAS_MEMORIZACION)
    return muestras, comprobar_memorizacion(muestras, entrenamiento, reserva)


def imagenes_que_deciden(muestras, reserva, bloques, total, maximo=0, semilla=0):
    """``(indices, imagenes)``: las imágenes de entrenamiento uint8 que deciden ``comprobar_memorizacion(muestras,
    ·, reserva)`` y ``mostrar_vecinos`` (las ``VECINAS_MEMORIZACION`` más cercanas a cada muestra y la más cercana a
    cada imagen de reserva; con ellas solas, las dos dan lo mismo que con todas) y su posición entre las ``total``
    que llegan en ``bloques`` (uint8, en orden), de menor a mayor. Con ``maximo`` se completan hasta ``maximo`` con
    otras al azar de la ``semilla``, y si ``total`` no pasa de ``maximo``, son todas. ``muestras`` y ``reserva``, en
    [-1, 1]. Lee cada bloque una vez y solo guarda las que pueden hacer falta: con decenas de miles de imágenes,
    todas en float32 ocuparían gigas."""
    if total <= maximo:
        imagenes = np.concatenate(list(bloques))
        return np.arange(len(imagenes)), imagenes
    al_azar = _al_azar(total, maximo, semilla)
    guardadas, vecinas, inicio = {}, {}, 0
    for bloque in bloques:
        plano = a_rango_simetrico(bloque, 255)
        for consultas, k in ((muestras, VECINAS_MEMORIZACION), (reserva, 1)):
            indices, distancias = vecinas_en_pixeles(consultas, plano, k)
            indices = indices + inicio
            if k in vecinas:  # las k mejores entre las de antes y las de este bloque
                indices, distancias = (np.concatenate([antes, ahora], axis=1)
                                       for antes, ahora in zip(vecinas[k], (indices, distancias)))
            orden = np.lexsort((indices, distancias), axis=1)[:, :k]
            vecinas[k] = np.take_along_axis(indices, orden, axis=1), np.take_along_axis(distancias, orden, axis=1)
        utiles = set(al_azar.tolist()) | {int(i) for cuales, _ in vecinas.values() for i in cuales.ravel()}
        guardadas = {i: imagen for i, imagen in guardadas.items() if i in utiles}
        guardadas |= {i: bloque[i - inicio].copy() for i in utiles if inicio <= i < inicio + len(bloque)}
        inicio += len(bloque)
    necesarias = {int(i) for cuales, _ in vecinas.values() for i in cuales.ravel()}
    relleno = [int(i) for i in al_azar if i not in necesarias][: max(0, maximo - len(necesarias))]
    indices = np.array(sorted(necesarias | set(relleno)))
    return indices, np.stack([guardadas[i] for i in indices])


def _al_azar(total, maximo, semilla):
    return np.random.default_rng(semilla).choice(total, maximo, replace=False)


def posiciones_coherentes(indices, total, reserva, semilla=0):
    """¿Pueden ser ``indices`` (las posiciones de las de entrenamiento de una entrega, que van en ``imagenes.npz``)
    las que ``imagenes_que_deciden`` elige entre ``total`` con ``reserva`` imágenes de reserva y la ``semilla``? Las
    que deciden son como mucho ``MUESTRAS_MEMORIZACION × VECINAS_MEMORIZACION + reserva``, así que las primeras al azar
    hasta ``MAX_ENTRENAMIENTO`` van siempre; con otro ``total`` (un manifiesto retocado) serían otras."""
    seguras = max(0, MAX_ENTRENAMIENTO - MUESTRAS_MEMORIZACION * VECINAS_MEMORIZACION - reserva)
    indices = np.asarray(indices)
    return bool(indices.ndim == 1 and np.issubdtype(indices.dtype, np.integer) and total < 2**63
                and 0 < len(indices) == entrenamiento_entregado(total) and (np.diff(indices) > 0).all()
                and indices[0] >= 0 and indices[-1] < total
                and np.isin(_al_azar(total, MAX_ENTRENAMIENTO, semilla)[:seguras], indices).all())


def entrenamiento_entregado(total):
    """Cuántas imágenes de entrenamiento van en la entrega de un entrenamiento con ``total``."""
    return min(total, MAX_ENTRENAMIENTO)


def sha256(contenido):
    return hashlib.sha256(contenido).hexdigest()


def _gif_reducido(ruta):
    """El GIF de la evolución con como mucho ``CUADROS_GIF`` cuadros de ``LADO_GIF`` px de ancho;
    ``None`` si está dañado (es opcional: la entrega sigue sin él)."""
    from PIL import Image, ImageSequence

    try:
        with Image.open(ruta) as gif:
            cuadros = [cuadro.convert("RGB") for cuadro in ImageSequence.Iterator(gif)]
    except (OSError, EOFError, SyntaxError, ValueError, Image.DecompressionBombError):  # cortado, dañado o no es GIF
        return None
    elegidos = [cuadros[i] for i in np.unique(np.linspace(0, len(cuadros) - 1, CUADROS_GIF).round().astype(int))]
    escala = min(1.0, LADO_GIF / elegidos[0].width)
    lado = (max(1, round(elegidos[0].width * escala)), max(1, round(elegidos[0].height * escala)))
    reducidos = [cuadro.resize(lado, Image.NEAREST).convert("P") for cuadro in elegidos]
    buffer = io.BytesIO()
    reducidos[0].save(buffer, format="GIF", save_all=True, append_images=reducidos[1:], duration=duraciones_gif(len(reducidos)),
                      loop=0)
    return buffer.getvalue()


# Lo que a veces se entrega como reflexión en lugar de un texto, por sus primeros bytes: se leería como texto
# ilegible (o, el RTF, como sus códigos de formato).
DOCUMENTOS = {b"%PDF": "un PDF", b"PK\x03\x04": "un documento de Word o de LibreOffice (o un .zip)",
              b"\xd0\xcf\x11\xe0": "un documento de Word antiguo (.doc)", b"{\\rtf": "un documento RTF"}


def _leer_reflexion(ruta):
    if ruta.is_dir():
        raise ValueError(f"La reflexión «{ruta}» es una carpeta: indica el archivo .md o .txt con tu texto.")
    if not ruta.is_file():
        raise FileNotFoundError(f"No encuentro la reflexión «{ruta}»{buscada_en(ruta)}: escribe tu texto en un archivo "
                                ".md o .txt.")
    contenido = ruta.read_bytes()
    if que := next((que for firma, que in DOCUMENTOS.items() if contenido.startswith(firma)), None):
        raise ValueError(f"«{ruta}» es {que}, no un texto: copia tu reflexión en un archivo .md o .txt (en tu editor, "
                         "Guardar como… texto sin formato, UTF-8).")
    try:
        texto = contenido.decode("utf-8-sig")  # sin la marca BOM que añade el Bloc de notas de Windows
    except UnicodeDecodeError:
        raise ValueError(f"«{ruta}» no está en UTF-8: guárdalo como texto UTF-8 desde tu editor.") from None
    if len(texto) > MAX_REFLEXION:
        raise ValueError(f"La reflexión «{ruta}» tiene {len(texto)} caracteres: como mucho {MAX_REFLEXION} (una página).")
    return texto


def _orden_entrenar(resultados, registro, epocas=None):
    """La orden ``entrenar … --continuar`` de este entrenamiento, con la semilla de ``tarea.json`` y, salvo
    otras ``epocas``, las épocas y el lote de la última orden (``pedido``; sin él, registros de versiones
    anteriores, el lote usado), como la que dio ``entrenar`` al cortarse (sin su ``--minutos``, que es de
    cada sesión, ni ``--una-gpu``)."""
    pedido = registro.get("pedido") if isinstance(registro.get("pedido"), dict) else {}
    epocas = epocas or (pedido["epocas"] if es_entero(pedido.get("epocas"), 1) else None)
    lote = pedido["lote"] if es_entero(pedido.get("lote"), 2) else registro["receta"].get("lote", 32)
    return orden_continuar("TUS_IMAGENES", resultados, registro["imagenes"]["tamano"], epocas,
                           semilla=registro["semilla"], lote=lote)


def _como_rehacer(resultados, registro, archivo):
    """Cómo vuelve a escribir ``entrenar`` el ``archivo`` dañado sin entrenar más: con ``--continuar`` y
    las épocas hechas. Primero se aparta (renombrado, no borrado): ``--continuar`` se niega a seguir con él."""
    return (f"renómbralo (p. ej. a {nombre_apartado(archivo)}) y vuelve a escribirlo con «{_orden_entrenar(resultados, registro, max(1, registro['epocas']))}» "
            "(con esas épocas, las ya hechas, no entrena más); después, entrega de nuevo")


def _leer_registro(resultados):
    """``tarea.json`` de ``resultados``, comprobado; si está dañado, ``ValueError`` que dice cómo rehacerlo."""
    ruta = resultados / ARCHIVO_REGISTRO
    try:
        registro = leer_registro(resultados)
    except ValueError:
        registro = None
    if registro is None:
        problema = "no es el registro JSON que escribe el kit"
    else:
        imagenes = registro.get("imagenes") if isinstance(registro.get("imagenes"), dict) else {}
        malas = [clave for clave, tipo in CLAVES_REGISTRO.items()
                 if not isinstance(registro.get(clave), tipo) or isinstance(registro.get(clave), bool)]
        malas += [f"imagenes.{clave}" for clave in CLAVES_IMAGENES
                  if not es_entero(imagenes.get(clave))]
        problema = f"le falta o tiene mal {', '.join(malas[:3])}{' y más' if len(malas) > 3 else ''}" if malas else None
    if problema:
        # Renombrarlo (no borrarlo) para no perder nada; ``entrenar`` escribe uno nuevo si no lo encuentra.
        raise ValueError(
            f"«{ruta}» está dañado ({problema}). Renómbralo (p. ej. a {nombre_apartado(ruta)}) y repite la orden con "
            f"la que entrenaste añadiendo --continuar (--salida {resultados}): se vuelve a escribir y, si el "
            "entrenamiento ya había terminado, no entrena más. Después, entrega de nuevo."
        )
    return registro


def _comprobar_generador(resultados, registro, generador):
    """``FileNotFoundError`` que dice cómo conseguir el generador elegido si no está en ``resultados``, o
    ``ValueError`` si el entrenamiento se cortó sin terminar: sus generadores serían de antes del corte
    y no coincidirían con las épocas, el historial ni las curvas que se entregan."""
    # Sin la clave «terminado» (versiones anteriores del kit), se da por terminado.
    if registro.get("terminado") is False and (resultados / GENERADORES[0]).is_file():
        raise ValueError(
            f"El entrenamiento de «{resultados}» se cortó sin terminar: sus generadores son de antes del corte. "
            "Termínalo repitiendo la orden con la que entrenaste y añadiendo --continuar; para entregar lo que ya "
            f"tiene sin entrenar más, con sus {registro['epocas']} épocas: «{_orden_entrenar(resultados, registro, max(1, registro['epocas']))}» "
            "(escribe el generador final y la recomendación). Después, entrega de nuevo."
        )
    if (resultados / generador).is_file():
        return
    if (resultados / GENERADORES[0]).is_file():  # falta solo el recomendado
        raise FileNotFoundError(
            f"«{resultados}» no tiene {generador} (se escribe al terminar un entrenamiento que mide la SWD): "
            f"entrega el final, {GENERADORES[0]} (--generador {GENERADORES[0]})."
        )
    sin_entrenar_mas = (f" Para entregar lo que ya tienes sin entrenar más, usa --epocas {registro['epocas']} "
                        "en lugar de las que pediste." if registro["epocas"] >= 1 else "")
    raise FileNotFoundError(
        f"«{resultados}» no tiene {GENERADORES[0]}: el entrenamiento no terminó. Termínalo repitiendo la orden con "
        f"la que entrenaste y añadiendo --continuar (p. ej. «{_orden_entrenar(resultados, registro)}»).{sin_entrenar_mas} "
        "Después, entrega de nuevo."
    )


def imagenes_medibles(formas, forma):
    """¿Tienen las imágenes (``formas`` de ``formas_guardadas``) la ``forma`` que dibuja el generador, con alguna
    de entrenamiento y dos de reserva (lo mínimo para medir)?"""
    entrenamiento, reserva = formas["entrenamiento"], formas["reserva"]
    return tuple(entrenamiento[1:]) == forma and tuple(reserva[1:]) == forma and entrenamiento[0] >= 1 and reserva[0] >= 2


def _danado(resultados, registro, error):
    ruta = resultados / ARCHIVO_IMAGENES
    return ValueError(f"«{ruta}» está dañado o incompleto ({error}): {_como_rehacer(resultados, registro, ruta)}.")


def _leer_imagenes_de(resultados, registro, forma, generador):
    """``(formas, reserva)``: las formas de ``resultados/imagenes.npz`` (sin leer las de entrenamiento) y su reserva
    uint8, que deben tener la ``forma`` del ``generador`` (su nombre): si no la tienen pero sí la de ``tarea.json``,
    el que no es de aquí es el generador."""
    ruta = resultados / ARCHIVO_IMAGENES
    try:
        formas = formas_guardadas(ruta)
    except ValueError as error:
        raise _danado(resultados, registro, error) from None
    imagenes = registro["imagenes"]
    de_la_tarea = (imagenes["tamano"], imagenes["tamano"], imagenes["canales"])
    if forma != de_la_tarea and imagenes_medibles(formas, de_la_tarea):
        raise ValueError(
            f"«{resultados / generador}» no es el generador de este entrenamiento: dibuja imágenes de "
            f"{'×'.join(map(str, forma))} y las de «{resultados}» son de {'×'.join(map(str, de_la_tarea))} "
            f"(¿lo copiaste de otra carpeta?). Entrega cada generador desde la carpeta en que se entrenó; para tener "
            f"aquí el de esta, {_como_rehacer(resultados, registro, resultados / generador)}."
        )
    if not imagenes_medibles(formas, forma):
        raise ValueError(
            f"«{ruta}» no tiene las imágenes de este entrenamiento (el generador dibuja imágenes de "
            f"{'×'.join(map(str, forma))}; ellas son de {'×'.join(map(str, formas['entrenamiento'][1:]))}, "
            f"{formas['reserva'][0]} de reserva): {_como_rehacer(resultados, registro, ruta)}."
        )
    try:
        return formas, leer_imagenes_guardadas(ruta, "reserva")
    except ValueError as error:
        raise _danado(resultados, registro, error) from None


def _comprobar(resultados, salida, generador):
    if generador not in GENERADORES:
        raise ValueError(f"generador={generador!r} no es válido: usa {' o '.join(GENERADORES)}.")
    if resultados.is_file():  # p. ej. resultados/mi_gan/generador.keras: «no tiene tarea.json» no diría qué falla
        raise ValueError(f"«{resultados}» es un archivo: entrega la carpeta de tu entrenamiento (la --salida de "
                         f"«entrenar»){f', «{resultados.parent}»' if (resultados.parent / ARCHIVO_REGISTRO).is_file() else ''}.")
    faltan = [nombre for nombre in (ARCHIVO_REGISTRO, ARCHIVO_IMAGENES) if not (resultados / nombre).is_file()]
    if faltan:
        raise FileNotFoundError(
            f"«{resultados}» no tiene {' ni '.join(faltan)}: entrega la carpeta de salida de "
            "«python -m helpers entrenar» (o de entrenar_carpeta). Si entrenaste con una versión anterior del "
            "kit, sigue el entrenamiento con --continuar para que se escriban."
        )
    if salida.is_dir():
        raise ValueError(f"«{salida}» es una carpeta: escribe el nombre del .zip que se crea, p. ej. "
                         f"{salida / 'entrega.zip'}.")
    if salida.suffix != ".zip":
        raise ValueError(f"«{salida}» debe terminar en .zip (p. ej. entrega.zip).")
    if salida.exists():
        raise FileExistsError(f"«{salida}» ya existe y no lo sobrescribo: bórralo tú o elige otro nombre.")


def entregar(resultados, salida=None, nombre=None, reflexion=None, sin_imagenes=False,
             generador="generador.keras"):
    """Empaqueta la carpeta ``resultados`` de un entrenamiento en el zip ``salida`` (ver el módulo; por
    defecto, ``resultados/entrega.zip``, bajo la carpeta de resultados del curso).

    - ``nombre``: quién entrega (por defecto, el nombre del zip sin extensión; con el zip por defecto,
      «entrega», avisa); un número, como el de estudiante, vale igual;
    - ``reflexion``: ruta de un texto (Markdown o texto plano, UTF-8) que va al zip y al informe,
      donde se ve con su formato (``paginas.markdown_a_html``);
    - ``sin_imagenes``: no incluye ``imagenes.npz`` (si no puedes compartir tus fotos) ni, en el informe, los
      pares de muestras y fotos de entrenamiento; el informe lleva igualmente las medidas, pero quien revise no
      podrá repetirlas;
    - ``generador``: ``"generador.keras"`` (el final) o ``"mejor_generador.keras"`` (el recomendado:
      ``entrenar_carpeta`` deja ahí el de menor SWD durante el entrenamiento solo si mejora al final en
      SWD y, con margen, en KID; si no, una copia del final; el motivo está en ``tarea.json``).

    Mide los generadores de ``MEDIDOS`` que haya (SWD y KID frente a la reserva, con la semilla del
    entrenamiento) y la memorización del elegido. Nunca sobrescribe: si ``salida`` existe, lanza ``FileExistsError``. Si falta el
    generador (entrenamiento sin terminar) o ``tarea.json`` o ``imagenes.npz`` están dañados, lanza
    ``FileNotFoundError`` o ``ValueError`` diciendo cómo rehacerlos; un ``evolucion.gif`` dañado se
    queda fuera con un aviso (impreso y en ``manifiesto["avisos"]``). Una ruta vacía o que no es una ruta, o un
    ``nombre`` que no es un texto ni un número, es un ``ValueError``. Devuelve ``(ruta_del_zip, manifiesto)``.
    """
    resultados = exigir_ruta("resultados", resultados, "la carpeta de tu entrenamiento (la --salida de «entrenar»)")
    salida = exigir_ruta("salida", carpeta_resultados(ZIP_POR_DEFECTO) if salida is None else salida,
                         "el .zip que se crea (p. ej. entrega.zip)")
    if reflexion is not None:
        reflexion = exigir_ruta("reflexion", reflexion, "el archivo .md o .txt con tu reflexión")
    nombre = _nombre_de(nombre)
    exigir_booleano("sin_imagenes", sin_imagenes)
    _comprobar(resultados, salida, generador)
    try:
        return _empaquetar(resultados, salida, nombre, reflexion, sin_imagenes, generador)
    except KeyboardInterrupt:  # sin la traza de TensorFlow, que no le dice nada a quien paró la orden
        raise KeyboardInterrupt(f"Entrega interrumpida: no se ha creado «{salida}» y tu carpeta de resultados sigue "
                                "igual. Vuelve a lanzar la misma orden (o celda) cuando quieras.") from None


def _nombre_de(nombre):
    """``nombre`` sin espacios a los lados; ``""`` sin él (en blanco es como sin nombre: el del zip). Un entero (un
    número de estudiante escrito sin comillas) vale como su texto; otra cosa que no sea un texto, ``ValueError``."""
    if es_entero(nombre):
        return str(nombre)
    if nombre is not None and not isinstance(nombre, str):
        raise ValueError(f'nombre={nombre!r} no es válido: escribe tu nombre entre comillas, p. ej. nombre="Ana Pérez".')
    return (nombre or "").strip()


def _empaquetar(resultados, salida, nombre, reflexion, sin_imagenes, generador):
    """El trabajo de ``entregar`` tras comprobar los argumentos: medir, dibujar y escribir el zip."""
    registro = _leer_registro(resultados)
    _comprobar_generador(resultados, registro, generador)
    texto_reflexion = _leer_reflexion(reflexion) if reflexion is not None else None
    olvidos = {}  # aviso: remedio
    if nombre == NOMBRE_DE_EJEMPLO:
        olvidos[f"la entrega va a nombre de «{NOMBRE_DE_EJEMPLO}», el de ejemplo"] = ("pon el tuyo en NOMBRE (en el "
                                                                                     "cuaderno 06) o en --nombre")
    if not nombre and salida.stem == ZIP_POR_DEFECTO.stem:
        olvidos[f"la entrega va a nombre de «{salida.stem}», el nombre del zip por defecto"] = ("pon el tuyo en "
                                                                                               "--nombre (o nombre=)")
    if texto_reflexion is not None and texto_reflexion.strip() == REFLEXION_DE_EJEMPLO.strip():
        olvidos["la reflexión es todavía el texto de ejemplo"] = f"escribe la tuya en «{reflexion}»"
    elif texto_reflexion is not None and not texto_reflexion.strip():
        olvidos["la reflexión está vacía"] = f"escribe la tuya en «{reflexion}» (¿no guardaste el archivo?)"
    for aviso, remedio in olvidos.items():
        print(f"Aviso: {aviso}: {remedio} y vuelve a entregar (desde la terminal, borra antes «{salida}» o usa otra "
              "--salida).")
    semilla = registro["semilla"]
    elegido = cargar_generador(resultados / generador)
    formas, reserva_uint8 = _leer_imagenes_de(resultados, registro, tuple(elegido.output_shape[1:]), generador)
    reserva = a_rango_simetrico(reserva_uint8, 255)
    medidas, avisos = _medir_generadores(resultados, reserva, semilla, generador)
    avisos = list(olvidos) + avisos
    # Con las de entrenamiento que van en la entrega, que incluyen las que deciden la medida: quien revise la repite
    # con lo mismo, y sale lo que saldría con todas.
    total = formas["entrenamiento"][0]
    try:
        indices, entregadas = imagenes_que_deciden(muestras_fijas(elegido, semilla, MUESTRAS_MEMORIZACION), reserva,
                                                   bloques_guardados(resultados / ARCHIVO_IMAGENES), total,
                                                   MAX_ENTRENAMIENTO, semilla)
    except ValueError as error:
        raise _danado(resultados, registro, error) from None
    entrenamiento = a_rango_simetrico(entregadas, 255)
    muestras, memorizacion = medir_memorizacion(elegido, entrenamiento, reserva, semilla)

    archivos = {"generador.keras": (resultados / generador).read_bytes()}
    with tempfile.TemporaryDirectory() as temporal:
        temporal = Path(temporal)
        archivos["muestras.png"] = guardar_cuadricula(muestras_fijas(elegido), temporal / "muestras.png").read_bytes()
        vecinos = None  # los pares llevan tus fotos de entrenamiento: sin imágenes, tampoco van en el informe
        if not sin_imagenes:
            mostrar_vecinos(muestras, entrenamiento, n=8, ruta=temporal / "vecinos.png")
            vecinos = (temporal / "vecinos.png").read_bytes()
    if (resultados / "evolucion.gif").is_file():
        gif = _gif_reducido(resultados / "evolucion.gif")
        if gif is None:
            avisos.append("evolucion.gif estaba dañado y no va en la entrega")
            print(f"Aviso: «{resultados / 'evolucion.gif'}» está dañado y la entrega va sin él. Si quieres "
                  f"incluirlo, {_como_rehacer(resultados, registro, 'evolucion.gif')}.")
        else:
            archivos["evolucion.gif"] = gif
    archivos |= {nombre_: (resultados / nombre_).read_bytes() for nombre_ in ADJUNTOS if (resultados / nombre_).is_file()}
    if not sin_imagenes and len(entregadas) == total:
        archivos[ARCHIVO_IMAGENES] = (resultados / ARCHIVO_IMAGENES).read_bytes()
    elif not sin_imagenes:
        npz = io.BytesIO()
        # Con sus posiciones: quien revise comprueba con ellas el total declarado (``posiciones_coherentes``).
        np.savez_compressed(npz, entrenamiento=entregadas, reserva=reserva_uint8, indices=indices)
        archivos[ARCHIVO_IMAGENES] = npz.getvalue()
    if texto_reflexion is not None:
        archivos["reflexion.md"] = texto_reflexion.encode("utf-8")

    manifiesto = {
        "formato": FORMATO,
        "alumno": texto_imprimible(nombre or salida.stem),
        "fecha": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "version_kit": registro["version_kit"],
        "version_kit_entrega": metadata.version("curso-gan"),
        "receta": registro["receta"],
        "imagenes": registro["imagenes"],
        "epocas": registro["epocas"],
        "minutos": registro["minutos"],
        "reanudaciones": registro.get("reanudaciones", 0),
        "dispositivo": registro["dispositivo"],
        "semillas": {"entrenamiento": semilla, "medidas": semilla, "cuadricula": SEMILLA_CUADRICULA,
                     "muestras_cuadricula": MUESTRAS_CUADRICULA},
        "generador_elegido": generador,
        "medidas": medidas,
        "memorizacion": memorizacion,
        "con_imagenes": not sin_imagenes,
        "imagenes_entregadas": None if sin_imagenes else {"entrenamiento": len(entregadas), "reserva": len(reserva)},
        "avisos": avisos,
    }
    archivos["informe.html"] = informe_entrega(manifiesto, archivos, vecinos, texto_reflexion).encode("utf-8")
    manifiesto["archivos"] = {nombre_: sha256(contenido) for nombre_, contenido in archivos.items()}
    archivos[MANIFIESTO] = json.dumps(manifiesto, ensure_ascii=False, indent=1).encode("utf-8")
    _escribir_zip(salida, archivos)
    return salida, manifiesto


def _escribir_zip(salida, archivos):
    """Escribe el zip en un temporal de este proceso y le da el nombre ``salida`` solo si sigue libre: nunca
    queda un zip a medias, y dos entregas a la vez con la misma salida no se sobrescriben (la segunda lo dice)."""
    salida.parent.mkdir(parents=True, exist_ok=True)
    _borrar_temporales_abandonados(salida)
    temporal = salida.with_name(f".{salida.stem}.{os.getpid()}.tmp.zip")
    try:
        with con_la_ruta_pedida(temporal, salida):
            with zipfile.ZipFile(temporal, "w", zipfile.ZIP_DEFLATED) as archivo_zip:
                for nombre, contenido in archivos.items():
                    archivo_zip.writestr(nombre, contenido)
            ocupada = FileExistsError(f"«{salida}» apareció mientras preparaba la entrega (¿otra entrega a la vez con la "
                                      "misma salida?) y no lo sobrescribo: elige otra salida y vuelve a entregar.")
            try:
                os.link(temporal, salida)  # un enlace nuevo falla si el nombre ya existe: sin carreras
            except FileExistsError:
                raise ocupada from None
            except OSError:  # un sistema de archivos sin enlaces (p. ej. una memoria USB en FAT)
                if salida.exists():
                    raise ocupada from None
                os.replace(temporal, salida)
    finally:
        with contextlib.suppress(OSError):  # en un disco de solo lectura, borrar también falla: cuenta el primer error
            temporal.unlink(missing_ok=True)


def _borrar_temporales_abandonados(salida, horas=1):
    """Borra los temporales que dejaron entregas cortadas a la misma ``salida`` (un proceso matado no borra
    el suyo, ``.NOMBRE.PID.tmp.zip``): solo los de hace más de ``horas``, porque una entrega tarda minutos
    y uno más nuevo puede ser de otra que aún se está escribiendo."""
    limite, suyo = time.time() - horas * 3600, re.compile(rf"\.{re.escape(salida.stem)}\.\d+\.tmp\.zip")
    for temporal in salida.parent.glob(".*.tmp.zip"):
        with contextlib.suppress(OSError):  # otro proceso pudo borrarlo ya
            if suyo.fullmatch(temporal.name) and temporal.stat().st_mtime < limite:
                temporal.unlink()


def informe_entrega(manifiesto, archivos, vecinos, reflexion):
    """Página HTML autocontenida con los datos, las medidas, las figuras y la reflexión de la entrega.
    ``vecinos`` (el PNG de los pares de ``mostrar_vecinos``) es ``None`` en una entrega sin imágenes: los pares
    enseñarían las fotos de entrenamiento que el estudiante no quiere compartir."""
    imagenes, memorizacion = manifiesto["imagenes"], manifiesto["memorizacion"]
    entregadas = manifiesto["imagenes_entregadas"]
    muestra = ([("en la entrega", f"{miles(entregadas['entrenamiento'])} de entrenamiento (las que deciden la comprobación de "
                 "memorización y otras al azar) y todas las de reserva")]
               if entregadas and entregadas["entrenamiento"] < imagenes["entrenamiento"] else [])
    datos = paginas.tabla(["dato", "valor"], [
        ("imágenes", f"{miles(imagenes['entrenamiento'])} de entrenamiento y {imagenes['reserva']} de reserva"),
        *muestra,
        ("tamaño", f"{imagenes['tamano']} px, {imagenes['canales']} canales"),
        ("épocas", manifiesto["epocas"]),
        ("minutos de entrenamiento", cifra(manifiesto["minutos"], 1)),
        ("reanudaciones", manifiesto["reanudaciones"]),
        ("dispositivo", manifiesto["dispositivo"]),
        ("versión del kit", manifiesto["version_kit"]),
        ("semilla", manifiesto["semillas"]["entrenamiento"]),
    ])
    medidas = paginas.tabla(["generador", "qué es", "SWD ×10³", "KID"], [
        (archivo + (" (el entregado)" if archivo == manifiesto["generador_elegido"] else ""),
         MEDIDOS.get(archivo, ""), cifra(medida["swd"], 1), cifra(medida["kid"], 3))
        for archivo, medida in manifiesto["medidas"].items()
    ])
    cociente, diversidad = memorizacion["cociente"], memorizacion["diversidad"]
    figuras = [f"<h2>Muestras del generador entregado (semilla {SEMILLA_CUADRICULA})</h2>",
               # A su tamaño: reducida (con image-rendering: pixelated) perdía filas de píxeles.
               paginas.imagen(paginas.uri(archivos["muestras.png"], "image/png"), "cuadrícula de muestras")]
    if "evolucion.gif" in archivos:
        figuras += ["<h2>Evolución</h2>", paginas.imagen(paginas.uri(archivos["evolucion.gif"], "image/gif"), "evolución")]
    for nombre, titulo in (("perdidas.png", "Pérdidas"), ("metrica.png", "SWD frente a la reserva")):
        if nombre in archivos:
            # A su tamaño: reducidas (y con image-rendering: pixelated) sus rótulos no se leían.
            figuras += [f"<h2>{titulo}</h2>", paginas.imagen(paginas.uri(archivos[nombre], "image/png"), titulo)]
    texto = "<p><em>Sin reflexión.</em></p>" if reflexion is None else paginas.markdown_a_html(reflexion)
    avisos = "".join(f"<p><strong>Aviso:</strong> {paginas.escapar(aviso)}.</p>" for aviso in manifiesto.get("avisos", ()))
    cuerpo = (
        f"<p>Entrega de <strong>{paginas.escapar(manifiesto['alumno'])}</strong>, el "
        f"<time datetime=\"{paginas.escapar(manifiesto['fecha'])}\">{paginas.fecha_legible(manifiesto['fecha'])}</time>.</p>"
        + avisos +
        f"<h2>Entrenamiento</h2>{datos}"
        f"<h2>Medidas frente a la reserva (menor es mejor)</h2>{medidas}"
        f"<h2>¿Memoriza?</h2><p>Cociente de memorización: <strong>{cifra(cociente)}</strong>; "
        f"diversidad de las muestras: <strong>{cifra(diversidad) or 'sin medir'}</strong> (≈ 1 en fotos reales). "
        f"Lectura: {lectura_memorizacion(memorizacion)}. "
        + ("Los pares de muestras y fotos de entrenamiento no se dibujan: la entrega va sin tus imágenes.</p>"
           if vecinos is None else "Abajo, las 8 muestras más cercanas al entrenamiento, cada una sobre su imagen "
           "de entrenamiento más parecida.</p>"
           + paginas.imagen(paginas.uri(vecinos, "image/png"), "muestras y sus vecinas del entrenamiento"))
        + "".join(figuras)
        + f'<h2>Reflexión</h2><div class="reflexion">{texto}</div>'
    )
    return paginas.pagina(f"Entrega: {manifiesto['alumno']}", cuerpo)
