"""Recorrer la carpeta (con subcarpetas) o el .zip de las imágenes de un estudiante y leer cada archivo con seguridad.

- ``recorrer_imagenes``: cada archivo, por orden de ruta, decodificado con ``lectura`` o con el motivo en español
  por el que no sirve (enlace simbólico roto o repetido, sin permiso de lectura, demasiado grande o peligroso
  dentro del zip…); en modo rápido, solo una parte, repartida entre todos.
- ``archivo_del_sistema``: lo que no es del estudiante (``.DS_Store``, ``__MACOSX/``, ``Thumbs.db``) y se ignora.
- ``primeros_motivos``, ``recuento_de_motivos`` y ``error_sin_imagenes``: cómo se cuentan los descartes.

Antes de leer nada rechaza la carpeta (o el .zip) de resultados de un entrenamiento o de una entrega, y la carpeta
oculta que deja una preparación cortada. Los originales solo se leen. Lo usan ``preparacion`` (revisar y preparar)
y ``cargar_carpeta`` (cargar para entrenar); ``reanudacion`` (qué más hay en la carpeta de salida) y la revisión de
entregas, por ``archivo_del_sistema``.
"""

import collections
import contextlib
import io
import os
import re
import time
from pathlib import PurePosixPath

import numpy as np

from .entorno import repartidos
from .errores import buscada_en
from .lectura import FONDO, Descarte, decodificar
from .progreso import LineaDeAvance, duracion, falta
from .punto_de_control import ARCHIVO_ESTADO
from .textos import contar
from .zip_seguro import ERRORES_AL_DESCOMPRIMIR, abrir_zip, miembros, motivo_peligro

MAX_RAPIDO = 512  # archivos que se leen en modo rápido
MAX_MIEMBRO = 512 * 2**20  # bytes de un archivo del zip, que se descomprime en memoria
# Cómo nombran las copias Windows, macOS y los navegadores: «foto - copia», «Copia de foto», «foto copy», «foto (1)».
NOMBRE_DE_COPIA = re.compile(r"(?i)(?<![^\W_])cop(ia|y)(?![^\W_])|\(\d+\)$")  # «copia» suelta, también entre «_»
A_MEDIAS = ".a_medias"  # final de la carpeta oculta en la que preparar_imagenes escribe antes de darle su nombre
# Lo que deja un entrenamiento en su carpeta, y lo que lleva su entrega: «tarea.json» y «manifiesto.json» son
# helpers.registro_tarea.ARCHIVO_REGISTRO y MANIFIESTO, escritos a mano para que leer una carpeta no importe, a través
# de registro_tarea, la GAN (gan) cuya receta anota (una prueba comprueba que coinciden).
MARCAS_DE_RESULTADOS = ("tarea.json", ARCHIVO_ESTADO, "manifiesto.json")
QUE_RUTA = "la carpeta o el .zip de tus imágenes"


def archivo_del_sistema(nombre):
    """Archivos del sistema, no del estudiante (``.DS_Store``, ``__MACOSX/``, ``Thumbs.db``): se ignoran."""
    partes = nombre.split("/")
    return any(p.startswith(".") or p == "__MACOSX" for p in partes) or partes[-1].lower() in ("thumbs.db", "desktop.ini")


def _demasiado_grande(info):
    """Motivo si el miembro ``info`` no cabe en memoria de una vez (se lee entero para Pillow), o ``None``."""
    if info.file_size > MAX_MIEMBRO:
        return (f"ocupa {info.file_size / 2**20:.0f} MiB descomprimido, más de los {MAX_MIEMBRO // 2**20} MiB que "
                "leo de un zip: descomprímelo tú y usa la carpeta")
    return None


def _leer_miembro(archivo_zip, info):
    """Bytes del miembro ``info`` en memoria (para Pillow) o ``Descarte`` si no se puede descomprimir."""
    try:
        return io.BytesIO(archivo_zip.read(info))
    except ERRORES_AL_DESCOMPRIMIR:
        raise Descarte("dañado dentro del zip: no se puede descomprimir") from None


def _tipo(ruta):
    """``('carpeta', None)``, ``('archivo', None)`` o ``(None, motivo)``; sigue los enlaces simbólicos."""
    try:
        if ruta.is_dir():
            return "carpeta", None
        if ruta.is_file():
            return "archivo", None
        if ruta.is_symlink() and not ruta.exists():
            return None, "enlace simbólico roto (o en bucle): lo que señala no existe"
    except OSError:
        return None, "no se puede leer: revisa sus permisos"
    return None, "no es un archivo normal (dispositivo, tubería…): se salta"


def _archivos(raiz):
    """``[(nombre, ruta, motivo)]`` de la carpeta ``raiz`` y sus subcarpetas (``_origen`` las ordena).

    Sigue los enlaces simbólicos (a archivos y a carpetas, también de fuera), pero nunca lee dos veces
    el mismo archivo ni entra dos veces en la misma carpeta: un enlace a una carpeta que lo contiene
    no da vueltas sin fin, ni uno a una carpeta de más arriba (``..``, tu carpeta personal), de ``raiz`` o
    de la carpeta de fuera en la que está, lee todo lo que hay a su lado. Lo que se salta queda con su
    motivo (``ruta`` es ``None``): nada se omite en silencio, salvo los archivos ocultos del sistema. Si no se puede
    leer ``raiz`` misma, ``ValueError``.
    """
    entradas, usados, carpetas = [], {}, {raiz.resolve()}
    encima = set(raiz.resolve().parents)

    def recorrer(carpeta, prefijo):
        arriba = encima.union(carpeta.resolve().parents)  # si se llegó por un enlace, las de encima de su destino
        try:  # lo que no es enlace va antes: así se usa el nombre real, y el enlace es el repetido
            hijos = sorted(carpeta.iterdir(), key=lambda hijo: (hijo.is_symlink(), hijo.name))
        except OSError:
            if not prefijo:  # la tuya entera: «no tiene ninguna imagen utilizable, añade fotos» no sería lo que pasa
                raise ValueError(f"No puedo leer la carpeta «{raiz}»: no tienes permiso para ver lo que contiene. "
                                 "Comprueba sus permisos, o copia tus imágenes a una carpeta tuya.") from None
            entradas.append((prefijo.rstrip("/"), None, "carpeta que no se puede leer: revisa sus permisos"))
            return
        for hijo in hijos:
            nombre = prefijo + hijo.name
            if archivo_del_sistema(nombre):
                continue
            tipo, motivo = _tipo(hijo)
            real = hijo.resolve() if tipo else None
            if real in carpetas or real in arriba:
                motivo = "enlace a una carpeta que ya se recorre (o que lo contiene): se salta para no leerla dos veces"
            elif real in usados:
                motivo = f"es el mismo archivo que «{usados[real]}» (por un enlace simbólico): no se lee dos veces"
            elif tipo == "carpeta":
                carpetas.add(real)
                recorrer(hijo, nombre + "/")
                continue
            elif tipo == "archivo":
                usados[real] = nombre
                entradas.append((nombre, hijo, None))
                continue
            entradas.append((nombre, None, motivo))

    recorrer(raiz, "")
    return entradas


def _error_de_resultados(ruta, marca):
    """El ``ValueError`` para quien pasa como sus imágenes la carpeta (o el .zip) de resultados de un
    entrenamiento, o una entrega: sus PNG son las muestras y gráficas del propio kit, entrenar con ellas no tiene
    sentido."""
    return ValueError(f"«{ruta}» es {'una' if marca == 'manifiesto.json' else 'la'} {_que_es(marca)}: sus imágenes son "
                      "muestras y gráficas del curso, no tus fotos. Indica la carpeta (o el .zip) de tus imágenes, o "
                      "la que creó preparar (python -m helpers preparar, o preparar_imagenes).")


def _que_es(marca):
    """Qué es la carpeta (o el .zip) que tiene ``marca``, una de ``MARCAS_DE_RESULTADOS``."""
    que = "entrega de «entregar»" if marca == "manifiesto.json" else "carpeta de resultados de un entrenamiento"
    return f"{que} (tiene {marca})"


def _sin_resultados(entradas, ruta):
    """``entradas`` sin lo que hay en carpetas de resultados de un entrenamiento (las que tienen una de
    ``MARCAS_DE_RESULTADOS``): cada una queda como una sola entrada descartada, con su motivo. Igual en
    una carpeta que en su .zip. Si lo es la propia ``ruta`` (o la raíz del zip), ``ValueError``."""
    marcadas = {}
    for nombre, _, motivo in entradas:
        carpeta, _, archivo = nombre.rpartition("/")
        if archivo in MARCAS_DE_RESULTADOS and motivo is None:  # un archivo que se puede leer, no un enlace roto
            marcadas.setdefault(carpeta, archivo)
    if "" in marcadas:
        raise _error_de_resultados(ruta, marcadas[""])
    dentro = tuple(carpeta + "/" for carpeta in marcadas)
    motivo = "{}: sus imágenes son muestras y gráficas del curso, no tus fotos"
    return ([entrada for entrada in entradas if not entrada[0].startswith(dentro)]
            + [(carpeta, None, motivo.format(_que_es(marca))) for carpeta, marca in marcadas.items()])


@contextlib.contextmanager
def _origen(ruta):
    """Abre una carpeta (recursiva) o un .zip y da la lista ``[(nombre, abrir, motivo)]`` ordenada por ruta.

    ``ruta``: el ``Path`` que devuelve ``exigir_ruta`` (con ``~`` ya expandido). ``abrir()`` devuelve el
    archivo binario (del zip, ya descomprimido en memoria); ``motivo`` no es ``None`` si el archivo se
    descarta sin abrirlo.
    """
    if ruta.name.endswith(A_MEDIAS):
        raise ValueError(f"«{ruta}» quedó de una preparación cortada a medias: no la uses. Bórrala y vuelve a "
                         "preparar tus imágenes (python -m helpers preparar, o preparar_imagenes).")
    # os.path.isfile: en una carpeta sin permiso de lectura, False (lo explica _archivos) y no PermissionError.
    if marca := next((nombre for nombre in MARCAS_DE_RESULTADOS if os.path.isfile(ruta / nombre)), None):
        raise _error_de_resultados(ruta, marca)  # antes de recorrerla: puede ser enorme
    with contextlib.ExitStack() as pila:
        if ruta.is_dir():
            entradas = [(nombre, lambda p=p: open(p, "rb"), motivo) for nombre, p, motivo in _archivos(ruta)]
        elif ruta.is_file() and ruta.suffix.lower() == ".zip":
            archivo_zip = pila.enter_context(abrir_zip(ruta))
            entradas = []
            for info, motivo in miembros(archivo_zip):
                if motivo_peligro(info) or not archivo_del_sistema(info.filename):
                    entradas.append((info.filename, lambda info=info: _leer_miembro(archivo_zip, info),
                                     motivo or _demasiado_grande(info)))
        elif ruta.is_file():  # p. ej. una sola foto: «o no existe» confundiría
            raise ValueError(f"«{ruta}» es un archivo, no una carpeta ni un .zip: pon tus imágenes (cientos, mejor) en "
                             "una carpeta e indica la carpeta.")
        else:
            raise ValueError(f"«{ruta}» no es una carpeta ni un archivo .zip (o no existe): comprueba la ruta"
                             f"{buscada_en(ruta)}.")
        entradas = _sin_resultados(entradas, ruta)
        # Por ruta, carpeta a carpeta: una carpeta y su .zip (que ``zip -r`` guarda sin ordenar) dan las
        # mismas imágenes en el mismo orden, y así la misma partición entre entrenamiento y reserva.
        entradas.sort(key=lambda entrada: entrada[0].split("/"))
        # En modo rápido, repartidos por todas: de una carpeta por clase (gatos/, perros/…) quedan todas.
        if len(usados := repartidos(len(entradas), MAX_RAPIDO)) < len(entradas):
            print(f"Modo rápido: uso solo {len(usados)} de {len(entradas)} archivos, tomados a intervalos iguales "
                  "entre todos (no solo los primeros).")
        yield [entradas[i] for i in usados]


def recorrer_imagenes(ruta, tamano_minimo, lado=None, originales_primero=False, al_contar=None, al_azar=False):
    """Produce ``(nombre, imagen, fondo, reduccion, motivo)`` por archivo: ``imagen`` uint8 ``(alto, ancho, 3)`` o
    ``None``, y ``fondo`` y ``reduccion`` como en ``lectura.decodificar``.

    ``originales_primero``: los nombres de copia («foto - copia.jpg», «foto (1).jpg», «Copia de foto.jpg»,
    «foto copy.jpg») al final, para que al quitar duplicados se quede el original y no la copia. ``al_contar``: se
    llama con el número de archivos antes de abrir ninguno. ``al_azar``: en un orden barajado, siempre el mismo para
    los mismos archivos (para quedarse con una parte al azar que no cambie de una vez a otra).
    """
    with _origen(ruta) as entradas:
        if al_contar:
            al_contar(len(entradas))
        if al_azar:
            entradas = [entradas[i] for i in np.random.default_rng(0).permutation(len(entradas))]
        if originales_primero:  # sorted es estable: el resto no cambia de orden
            entradas = sorted(entradas, key=lambda e: bool(NOMBRE_DE_COPIA.search(PurePosixPath(e[0]).stem)))
        avance = LineaDeAvance() if len(entradas) >= 100 else None
        inicio, paso = time.perf_counter(), 0
        try:
            for paso, (nombre, abrir, motivo) in enumerate(entradas, 1):
                imagen, fondo, reduccion = None, FONDO, 1.0
                if motivo is None and nombre.lower().endswith(".zip"):
                    motivo = "es un .zip: descomprímelo y pon sus imágenes con las demás"
                elif motivo is None:
                    try:
                        with abrir() as archivo:
                            imagen, fondo, reduccion = decodificar(archivo, tamano_minimo, lado)
                    except Descarte as error:
                        motivo = str(error)
                    except OSError:  # p. ej., sin permiso de lectura: se informa y se sigue con los demás
                        motivo = "no se puede leer: revisa sus permisos"
                yield nombre, imagen, fondo, reduccion, motivo
                if avance and paso < len(entradas) and avance.toca():
                    segundos = time.perf_counter() - inicio
                    avance.escribir(f"Archivo {paso}/{len(entradas)} · {falta(segundos / paso * (len(entradas) - paso))}")
        finally:  # también si quien recorre para antes (p. ej. con maximo): la línea de avance no queda a medias
            if avance and (paso == len(entradas) or avance.escrito):
                avance.terminar(f"{contar(paso, 'archivo revisado', 'archivos revisados')} en "
                                f"{duracion(time.perf_counter() - inicio)}")


def primeros_motivos(descartadas, maximo=10, por_revisar=True):
    """Líneas «  - nombre: motivo» de los primeros ``maximo`` pares ``(nombre, motivo)`` y cuántos quedan: con
    ``por_revisar``, dónde verlos todos (``revisar_imagenes`` da los mismos motivos); si no (p. ej. «no se detectó
    ningún rostro», que solo da ``preparar_imagenes``), cuántos hay de cada motivo."""
    lineas = [f"  - {nombre}: {motivo}" for nombre, motivo in descartadas[:maximo]]
    resto = descartadas[maximo:]
    if resto and por_revisar:
        lineas.append(f"  … y {len(resto)} más (en Python, revisar_imagenes los lista todos).")
    elif resto:
        lineas.append(f"  … y {len(resto)} más:")
        lineas += recuento_de_motivos(resto, "    ")
    return lineas


def recuento_de_motivos(descartadas, sangria):
    """Líneas «``sangria``veces × motivo» de los pares ``(nombre, motivo)``: cuántos hay de cada motivo, el más
    repetido primero."""
    return [f"{sangria}{veces} × {motivo}" for motivo, veces in collections.Counter(m for _, m in descartadas).most_common()]


def error_sin_imagenes(ruta, descartadas, tamano_minimo, rostros=False):
    """Error de una carpeta o un .zip sin imágenes utilizables, con los motivos: en la terminal no se ven de otro modo."""
    if not descartadas:
        return ValueError(f"«{ruta}» no tiene ninguna imagen utilizable: está vacía (los archivos ocultos del sistema "
                          f"no cuentan). Añade fotos JPEG o PNG de al menos {tamano_minimo} px.")
    consejo = (f"añade fotos JPEG o PNG de al menos {tamano_minimo} px" if not rostros else
               "usa fotos con un rostro de frente bien visible o no recortes rostros (quita --rostros en la "
               "terminal; rostros=False en Python)")
    cuantos = contar(len(descartadas), "archivo descartado", "archivos descartados")
    primera = f"«{ruta}» no tiene ninguna imagen utilizable ({cuantos}): {consejo}. Motivos:"
    return ValueError("\n".join([primera, *primeros_motivos(descartadas, por_revisar=not rostros)]))
