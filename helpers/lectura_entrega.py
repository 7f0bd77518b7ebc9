"""Leer el .zip de una entrega ajena sin fiarse de él: lo que se lee, con sus límites, y ``EntregaIlegible``,
el error de lo que no se puede revisar, con el motivo y qué hacer.

- ``leer_zip``: los miembros del .zip, con límites de tamaño (``MAX_ZIP``, ``MAX_IMAGENES``…) y sin rutas
  peligrosas; ``sin_carpeta_comun``, sin los archivos del sistema y con la carpeta de la entrega como raíz;
- ``leer_manifiesto``: ``manifiesto.json``, con lo que hace falta para revisar; ``kit_mas_nuevo``, el aviso si lo
  hizo un kit más nuevo que el tuyo;
- ``leer_png``: la cuadrícula entregada, ``muestras.png``, sin descomprimir imágenes gigantes.

Cargar el generador está en ``generador_ajeno``; volver a medir y cotejar lo declarado, en ``medida_entrega`` y
``declarado_entrega``, y juntarlo todo en la fila del informe, en ``revision_entrega``.
"""

import io
import json
import warnings
import zipfile
from pathlib import Path

import numpy as np
from PIL import Image

from .carpeta_o_zip import archivo_del_sistema
from .formato_entrega import FORMATO, MAX_ENTRENAMIENTO, MUESTRAS_CUADRICULA
from .opciones import es_entero
from .opciones_tarea import TAMANOS_TAREA
from .registro_tarea import ARCHIVO_IMAGENES, MANIFIESTO
from .tarea import MAX_RESERVA
from .textos import texto_imprimible
from .zip_seguro import ERRORES_AL_DESCOMPRIMIR, NOMBRES_NO_UTF8, miembros

MAX_ZIP = 200 * 2**20  # bytes de una entrega
MAX_MIEMBROS = 50
MAX_DESCOMPRIMIDO = 400 * 2**20
MAX_MODELO = 100 * 2**20
# imagenes.npz de la mayor entrega honrada: todas las que entrega «entregar», al mayor tamaño de la tarea, sin apenas
# comprimir (fotos con mucho detalle), más los índices y las cabeceras.
MAX_IMAGENES = (MAX_ENTRENAMIENTO + MAX_RESERVA) * max(TAMANOS_TAREA) ** 2 * 3 + 2**20
MAX_MANIFIESTO = 2**20
# El millón de épocas que se cree del manifiesto (``declarado_entrega.CREIBLE``), a menos de 100 bytes cada una.
MAX_HISTORIAL = 100 * 2**20
MAX_LADO_PNG = 4096


# Qué hacer con una entrega ilegible: cada motivo de la tabla lo dice, para que el docente no lo adivine.
REENTREGAR = ("pide al estudiante que vuelva a entregar con «python -m helpers entregar» y te mande ese .zip "
              "sin tocarlo")
DESCARGAR = f"descárgalo de nuevo y, si sigue igual, {REENTREGAR}"
NO_ES_ENTREGA = ("no parece una entrega hecha con «entregar»: pide al estudiante el .zip que crea "
                 "«python -m helpers entregar»")


class EntregaIlegible(Exception):
    """La entrega no se puede revisar: ``motivo`` dice por qué y ``que_hacer``, el paso siguiente del docente
    (``""`` si el motivo ya lo dice). Los dos juntos van a la fila del informe."""

    def __init__(self, motivo, que_hacer=REENTREGAR):
        self.motivo = motivo
        super().__init__(f"{motivo.rstrip('. ')}; {que_hacer}" if que_hacer else motivo)


def leer_zip(ruta):
    """``{nombre: bytes}`` de los miembros de la entrega ``ruta``; ``EntregaIlegible`` si no es seguro."""
    ruta = Path(ruta)
    if not ruta.is_file():  # sin esto, una carpeta «x.zip» o un enlace roto darían un error del sistema en inglés
        que_es = "una carpeta" if ruta.is_dir() else "un enlace roto" if ruta.is_symlink() else "un archivo especial"
        raise EntregaIlegible(f"«{texto_imprimible(ruta.name)}» no es un archivo .zip sino {que_es}",
                              "pon en su lugar el .zip que crea «python -m helpers entregar» y vuelve a revisar")
    if ruta.stat().st_size > MAX_ZIP:
        raise EntregaIlegible(f"el zip ocupa más de {MAX_ZIP // 2**20} MiB")
    try:
        archivo_zip = zipfile.ZipFile(ruta)
    except (zipfile.BadZipFile, OSError):
        raise EntregaIlegible("no es un .zip válido (dañado o incompleto)", DESCARGAR) from None
    except UnicodeDecodeError:  # lo volvió a comprimir un programa que no es el de «entregar»
        raise EntregaIlegible(NOMBRES_NO_UTF8) from None
    try:
        with archivo_zip:
            lista = miembros(archivo_zip, MAX_MIEMBROS, MAX_DESCOMPRIMIDO, consejo="")
            for info, motivo in lista:
                if motivo:
                    raise EntregaIlegible(f"miembro «{info.filename}»: {motivo}")
            # ``miembros`` ya ha cambiado las «\» de Windows por «/» («ana\manifiesto.json»).
            lista = [(info.filename, info) for info, _ in lista]
            nombres = dict(lista)
            if len(nombres) < len(lista):
                raise EntregaIlegible("tiene dos archivos con el mismo nombre (uno escrito con «\\» y otro con «/»): no "
                                      "sé cuál es el entregado")
            maximos = {MANIFIESTO: MAX_MANIFIESTO, "historial.csv": MAX_HISTORIAL, "generador.keras": MAX_MODELO,
                       ARCHIVO_IMAGENES: MAX_IMAGENES}  # también dentro de una carpeta
            return {nombre: _leer(archivo_zip, info, maximos.get(nombre.rsplit("/", 1)[-1], MAX_MODELO))
                    for nombre, info in nombres.items()}
    except ValueError as error:  # demasiados archivos o bomba: ``zip_seguro`` ya lo explica
        raise EntregaIlegible(str(error).replace(f"«{ruta}» ", "")) from None


def _leer(archivo_zip, info, maximo):
    nombre = info.filename
    if info.file_size > maximo:
        raise EntregaIlegible(f"{nombre} ocupa {info.file_size / 2**20:.0f} MiB (máximo {maximo / 2**20:.0f})")
    try:
        return archivo_zip.read(info)
    except ERRORES_AL_DESCOMPRIMIR:
        raise EntregaIlegible(f"{nombre} está dañado dentro del zip", DESCARGAR) from None


def sin_carpeta_comun(archivos):
    """Los miembros sin los archivos del sistema (``__MACOSX/``, ``.DS_Store``) y, si ``manifiesto.json``
    no está en la raíz sino en una carpeta («beto/manifiesto.json», «entregas/beto/manifiesto.json»), con
    esa carpeta como raíz: una entrega vuelta a comprimir con su carpeta, como hacen muchos gestores de
    archivos, se revisa igual. Lo que quede fuera de esa carpeta (un «LEEME.txt» al lado) conserva su
    ruta, y la revisión lo avisa como añadido."""
    archivos = {nombre: contenido for nombre, contenido in archivos.items() if not archivo_del_sistema(nombre)}
    manifiestos = sorted(nombre for nombre in archivos if nombre.rsplit("/", 1)[-1] == MANIFIESTO)
    if len(manifiestos) > 1:
        raise EntregaIlegible(f"tiene {len(manifiestos)} {MANIFIESTO} ({', '.join(manifiestos[:3])}): es más de una "
                              "entrega", "pide a cada estudiante su propio .zip de «entregar»")
    if MANIFIESTO in archivos or not manifiestos:
        return archivos
    carpeta = manifiestos[0][: -len(MANIFIESTO)]
    dentro = {nombre[len(carpeta):]: contenido for nombre, contenido in archivos.items() if nombre.startswith(carpeta)}
    fuera = {nombre: contenido for nombre, contenido in archivos.items() if not nombre.startswith(carpeta)}
    if repetidos := sorted(set(dentro) & set(fuera)):
        raise EntregaIlegible(f"tiene {', '.join(repetidos[:3])} dentro y fuera de «{carpeta.rstrip('/')}»: no sé cuál "
                              "es el entregado")
    return dentro | fuera


def leer_manifiesto(contenido):
    try:
        manifiesto = json.loads(contenido.decode("utf-8"))
        # Un «\ud800» suelto en el JSON es un texto que no se puede escribir en UTF-8 (el informe, la
        # hoja): se cambia por «?» aquí, en un solo sitio.
        manifiesto = json.loads(json.dumps(manifiesto, ensure_ascii=False).encode("utf-8", "replace"))
        semillas = manifiesto["semillas"]
        for clave in ("cuadricula", "muestras_cuadricula", "medidas"):
            if not es_entero(semillas[clave], 0):
                raise TypeError
        if semillas["muestras_cuadricula"] < 1 or not isinstance(manifiesto["medidas"], dict):
            raise TypeError
        if not {"generador_elegido", "archivos"} <= manifiesto.keys():
            raise KeyError
        if not isinstance(manifiesto["generador_elegido"], str):
            raise TypeError
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        raise EntregaIlegible(f"{MANIFIESTO} está dañado o no es de «entregar» (¿editado a mano?)") from None
    if semillas["muestras_cuadricula"] > MUESTRAS_CUADRICULA:
        raise EntregaIlegible(f"{MANIFIESTO} pide una cuadrícula de {semillas['muestras_cuadricula']} muestras "
                              f"(«entregar» la hace de {MUESTRAS_CUADRICULA})")
    return manifiesto


def kit_mas_nuevo(contenido):
    """El aviso si ``manifiesto.json`` es de un formato más nuevo que ``FORMATO`` (el estudiante actualizó el
    kit después que tú); ``""`` si no, o si no se puede leer (eso lo dice ``leer_manifiesto``)."""
    try:
        formato = json.loads(contenido.decode("utf-8")).get("formato")
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return ""
    if not (es_entero(formato) and formato > FORMATO):
        return ""
    return (f"hecha con un kit más nuevo que el tuyo (formato {formato}; el tuyo lee hasta el {FORMATO}): actualiza "
            "el kit y revisa de nuevo")


def leer_png(contenido):
    """PNG ajeno → matriz uint8, sin descomprimir imágenes gigantes."""
    enorme = EntregaIlegible(f"muestras.png es una imagen enorme (más de {MAX_LADO_PNG} px de lado), no la cuadrícula "
                             "de «entregar»")
    try:
        with warnings.catch_warnings():
            # Pillow avisa (en inglés) de las que pasan su límite y se niega a abrir las del doble: enormes las dos.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(contenido)) as imagen:
                if imagen.format != "PNG":
                    raise EntregaIlegible("muestras.png no es un PNG")
                if max(imagen.size) > MAX_LADO_PNG:
                    raise enorme
                return np.asarray(imagen.convert("RGB"))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise enorme from None
    except (OSError, SyntaxError, ValueError):
        raise EntregaIlegible("muestras.png está dañado") from None
