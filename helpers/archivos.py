"""Archivos que un corte no deja a medias, y los dañados, nombrados en español.

``escribir_de_una_vez`` escribe en un temporal al lado del archivo que luego lo reemplaza: un corte a mitad
de la escritura deja la versión anterior intacta. ``guardar_npz`` escribe un .npz y, si el disco se llena a
medias, lo cierra antes de dar el error. Con ``con_la_ruta_pedida``, sus errores nombran el archivo
pedido y no el temporal. ``leer_csv`` lee un CSV del kit y, si está dañado, lo dice nombrándolo;
``nombre_apartado`` es el nombre que proponen los mensajes para apartar un archivo dañado sin borrarlo.
Lo usan los módulos que guardan resultados: ``callbacks``, ``punto_de_control``, ``entrenamiento``, ``tarea`` (con
``registro_tarea``, ``reanudacion`` y ``eleccion_generador``), ``condicional``, ``entrega`` (con
``comprobacion_entrega``) y la revisión.

``primera_libre`` elige un nombre que no escribe encima de nada (``destino_2``, ``destino_3``…), e
``IgualEnLaSerie`` compara, según se preparan y sin escribirlos, unos archivos con los de esas carpetas: preparar las
mismas imágenes reutiliza la carpeta de antes en lugar de dejar otra copia. ``tiene_solo`` lo dice de una carpeta y
unos archivos aún en memoria: subir los mismos en Colab otra vez reutiliza la carpeta de antes sin escribirlos.
"""

import contextlib
import csv
import errno
import io
import itertools
import os
import shutil
import zipfile
from pathlib import Path

import numpy as np


@contextlib.contextmanager
def con_la_ruta_pedida(temporal, ruta):
    """Un error del sistema operativo en el bloque sobre ``temporal`` (o sobre algo dentro, si es una carpeta) o sin
    archivo (el disco lleno al escribir) nombra ``ruta``, la que se pidió: el temporal está oculto y no dice
    nada a quien lee el mensaje (``explicar_error_del_sistema`` cita ``error.filename``). Los ``OSError`` del kit, que ya lo explican (sin ``errno``), siguen igual."""
    try:
        yield
    except OSError as error:
        archivo = error.filename
        oculto = isinstance(archivo, (str, os.PathLike)) and (Path(archivo) == temporal or temporal in Path(archivo).parents)
        if error.errno is not None and (archivo is None or oculto):
            error.filename = str(ruta)
        raise


def escribir_de_una_vez(ruta, escribir):
    """Escribe ``ruta`` con ``escribir(temporal)`` en un archivo temporal a su lado (con la misma
    extensión, que Keras y NumPy miran) que luego la reemplaza: un corte a mitad de la escritura deja
    la versión anterior intacta, nunca un archivo a medias.

    Antes de cambiarle el nombre se pide al sistema que escriba el temporal en el disco, y después la
    carpeta: tras un apagón (no solo un proceso matado) algunos sistemas de archivos dejarían si no el
    nombre nuevo con el archivo vacío."""
    ruta = Path(ruta)
    temporal = ruta.with_name(f".{ruta.stem}.tmp{ruta.suffix}")
    try:
        with con_la_ruta_pedida(temporal, ruta):
            escribir(temporal)
            with open(temporal, "r+b") as archivo:
                _forzar_al_disco(archivo.fileno())
    except BaseException:  # también Ctrl-C: no deja el temporal a medias
        with contextlib.suppress(OSError):  # en un disco de solo lectura, borrar también falla: cuenta el primer error
            temporal.unlink(missing_ok=True)
        raise
    os.replace(temporal, ruta)
    if os.name == "posix":  # Windows no deja abrir una carpeta para esto: allí basta con el archivo
        with contextlib.suppress(OSError):  # el archivo ya está guardado: esto solo lo hace más seguro
            carpeta = os.open(ruta.parent, os.O_RDONLY)
            try:
                os.fsync(carpeta)
            finally:
                os.close(carpeta)


def guardar_npz(ruta, comprimido=False, **matrices):
    """Lo de ``np.savez`` (``comprimido``: ``np.savez_compressed``): cada matriz en ``ruta`` como ``nombre.npy``. Si
    la escritura falla (el disco lleno), el zip se cierra antes de lanzar el error: NumPy 2.1, la de Colab, lo deja
    abierto, y Python escribe al liberarlo, tras el mensaje del kit, una traza en inglés
    («Exception ignored in: ZipFile.__del__»)."""
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED if comprimido else zipfile.ZIP_STORED) as npz:
        for nombre, matriz in matrices.items():
            with npz.open(f"{nombre}.npy", "w", force_zip64=True) as destino:  # como NumPy: cada una puede pasar de 4 GB
                np.lib.format.write_array(destino, np.asanyarray(matriz), allow_pickle=False)


def _forzar_al_disco(descriptor):
    """``os.fsync``, salvo donde el sistema de archivos no lo admite (algunas carpetas de red o
    montadas): ahí se sigue sin él. Un error de escritura de verdad sí se lanza."""
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise


def _serie(destino):
    """``destino``, ``destino_2``, ``destino_3``… sin fin."""
    destino = Path(destino)
    for numero in itertools.count(1):
        yield destino if numero == 1 else destino.with_name(f"{destino.name}_{numero}")


def primera_libre(destino):
    """``destino`` si no existe; si no, la primera de ``destino_2``, ``destino_3``… que no exista (tampoco como
    enlace roto): el nombre que el kit usa para no escribir encima de nada."""
    return next(ruta for ruta in _serie(destino) if not os.path.lexists(ruta))


class IgualEnLaSerie:
    """Si lo que se va a escribir en ``destino``, archivo a archivo, es exactamente lo que ya tiene una de ``destino``,
    ``destino_2``… (las que existen antes de ``primera_libre(destino)``), sin escribir nada para saberlo: volver a
    preparar lo mismo no deja otra copia ni, en Drive, miles de archivos escritos y borrados (a la papelera).

    ``sigue_igual(nombre, datos)`` compara el archivo ``nombre`` (bytes ``datos``, en memoria) con el de cada carpeta
    que aún coincide en todo lo anterior; ``igual()`` es, al final, la primera que tiene exactamente esos archivos
    (nada más: ni subcarpetas ni ocultos), o ``None``. Cuando ninguna coincide, ``copiar_lo_igual(carpeta)`` pone en
    ``carpeta`` los que sí coincidían, copiados de una que los tiene: así no se guardan en memoria (pueden ser miles).
    Como en ``tiene_solo``, los tamaños se comparan antes y lo que no se puede leer (o un enlace simbólico) cuenta
    como distinto."""

    def __init__(self, destino):
        self._candidatas = {}  # carpeta → su inventario, mientras coincida en todo lo anterior
        for ruta in _serie(destino):
            if not os.path.lexists(ruta):
                break
            with contextlib.suppress(OSError):
                if (inventario := _inventario(ruta)) is not None:
                    self._candidatas[ruta] = inventario
        self._iguales, self._ultima = [], None

    def sigue_igual(self, nombre, datos):
        """``True`` si alguna carpeta de la serie tiene, como todos los anteriores, el archivo ``nombre`` con ``datos``."""
        for ruta, inventario in list(self._candidatas.items()):
            try:
                igual = inventario.get(nombre) == len(datos) and _mismo_archivo_que(ruta / nombre, datos)
            except OSError:
                igual = False
            if not igual:
                del self._candidatas[ruta]
                self._ultima = ruta  # la última en descartarse tenía todos los anteriores
        if self._candidatas:
            self._iguales.append(nombre)
        return bool(self._candidatas)

    def igual(self):
        """La primera carpeta de la serie con exactamente los archivos comparados, o ``None``."""
        return next((ruta for ruta, inventario in self._candidatas.items() if len(inventario) == len(self._iguales)), None)

    def copiar_lo_igual(self, carpeta):
        """Copia en ``carpeta`` los archivos que coincidían con la serie, de una carpeta que los tiene."""
        origen = next(iter(self._candidatas), self._ultima)
        for nombre in self._iguales:
            shutil.copyfile(origen / nombre, carpeta / nombre)


def tiene_solo(carpeta, archivos):
    """``True`` si ``carpeta`` tiene exactamente los archivos ``{nombre: bytes}`` (nada más: ni subcarpetas ni ocultos)
    con esos bytes; los tamaños se comparan antes y lo que no se puede leer cuenta como
    distinto."""
    try:
        if _inventario(Path(carpeta)) != {nombre: len(datos) for nombre, datos in archivos.items()}:
            return False
        return all(_mismo_archivo_que(Path(carpeta, nombre), datos) for nombre, datos in archivos.items())
    except OSError:
        return False


def _inventario(carpeta, prefijo=""):
    """``{ruta relativa: tamaño en bytes, o None si es una carpeta}`` de todo lo que hay bajo ``carpeta``, o
    ``None`` si hay un enlace simbólico o algo que no es un archivo ni una carpeta (no se sigue ni se compara)."""
    inventario = {}
    with os.scandir(carpeta) as entradas:
        for entrada in entradas:
            nombre = prefijo + entrada.name
            if entrada.is_dir(follow_symlinks=False):
                inventario[nombre] = None
                dentro = _inventario(entrada.path, nombre + "/")
                if dentro is None:
                    return None
                inventario.update(dentro)
            elif entrada.is_file(follow_symlinks=False):
                inventario[nombre] = entrada.stat(follow_symlinks=False).st_size
            else:
                return None
    return inventario


def _mismo_archivo_que(ruta, datos):
    """``True`` si el archivo ``ruta`` (del mismo tamaño que ``datos``) tiene los bytes ``datos``."""
    with open(ruta, "rb") as archivo:
        return _mismos_bytes(archivo, io.BytesIO(datos))  # BytesIO no copia datos mientras no se escriba


def _mismos_bytes(uno, otro):
    """``True`` si los flujos binarios ``uno`` y ``otro`` (de la misma longitud) tienen los mismos bytes; por bloques:
    un .zip grande no se tiene dos veces en memoria."""
    while (bloque := uno.read(2**20)) == otro.read(2**20):
        if not bloque:
            return True
    return False


def nombre_apartado(ruta):
    """El nombre que proponen los mensajes para apartar un archivo dañado sin borrarlo: ``x.csv`` → ``x_roto.csv``."""
    ruta = Path(ruta)
    return f"{ruta.stem}_roto{ruta.suffix}"


def leer_csv(ruta, convertir):
    """Las filas del CSV ``ruta`` pasadas por ``convertir(fila)``. Uno dañado (otra cabecera, p. ej. tras
    guardarlo con una hoja de cálculo, o una línea cortada) lanza ``ValueError`` en español que lo nombra."""
    try:
        with open(ruta, newline="", encoding="utf-8") as archivo:
            return [convertir(fila) for fila in csv.DictReader(archivo)]
    except (KeyError, ValueError, TypeError, csv.Error):  # UnicodeDecodeError es un ValueError
        raise ValueError(
            f"«{ruta}» está dañado (¿lo guardó otro programa o se cortó?): renómbralo (p. ej. a "
            f"{nombre_apartado(ruta)}) y vuelve a continuar; el kit empieza uno nuevo desde esa época."
        ) from None
