"""Leer archivos .zip de imágenes sin riesgos.

Un zip puede esconder rutas que salen de la carpeta de destino (``../``, ``/etc/...``), enlaces
simbólicos o una «bomba zip» (pocos KB que ocupan GB al descomprimirse). Aquí se detecta todo eso
antes de leer nada; los miembros se leen en memoria, sin descomprimir nada en el disco.
"""

import contextlib
import re
import stat
import unicodedata
import zipfile
import zlib

from .textos import miles

MAX_ARCHIVOS = 20_000
MAX_BYTES = 16 * 2**30  # descomprimidos: con más, mejor descomprimirlo fuera y usar la carpeta
# Una bomba se delata por cuánto crece: las fotos (JPEG, PNG, WebP) apenas se comprimen (≈1 vez) y
# una bomba crece unas 1000. Los archivos que crecen más de MAX_PROPORCION veces pueden sumar hasta
# MAX_INFLADOS: así caben textos o dibujos lisos, pero no gigas salidos de unos pocos KB.
MAX_PROPORCION = 100
MAX_INFLADOS = 256 * 2**20
DESCOMPRIMELO = "Si el zip es tuyo y de fiar, descomprímelo con otro programa y usa la carpeta."
# Un zip marcado como UTF-8 (0x800) con los nombres en otra codificación: ``zipfile`` no lo abre (UnicodeDecodeError).
NOMBRES_NO_UTF8 = ("dice llevar los nombres de sus archivos en UTF-8 y no los lleva (un error del programa que lo "
                   "comprimió)")
METODOS_LEGIBLES = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
try:
    from lzma import LZMAError
except ImportError:  # un Python compilado sin lzma: ``zipfile`` lanza RuntimeError con esos miembros
    LZMAError = RuntimeError
# Lo que lanza ``ZipFile.read`` con un miembro dañado o truncado: cada método de compresión tiene el suyo.
ERRORES_AL_DESCOMPRIMIR = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, ValueError, zlib.error, LZMAError)


def motivo_peligro(info):
    """Por qué no es seguro leer el miembro ``info`` (``zipfile.ZipInfo``), o ``None`` si lo es."""
    nombre = info.filename.replace("\\", "/")
    if nombre.startswith("/") or re.match(r"[A-Za-z]:", nombre):
        return "ruta absoluta dentro del zip: peligrosa, no se lee"
    if ".." in nombre.split("/"):
        return "ruta con «..» dentro del zip: saldría de la carpeta, no se lee"
    if stat.S_ISLNK(info.external_attr >> 16):  # los enlaces guardan su tipo en los bits de Unix
        return "enlace simbólico dentro del zip: no se sigue"
    if info.flag_bits & 0x1:
        return "cifrado con contraseña: no se lee; hace falta una copia sin contraseña"
    return None


def _motivo_metodo(info):
    """Si ``zipfile`` no sabe descomprimir el miembro ``info`` (Deflate64 o PPMd, de 7-Zip o WinZip), por qué."""
    if info.compress_type not in METODOS_LEGIBLES:
        return "comprimido con un método que no sé leer (p. ej. el Deflate64 de 7-Zip), no con el normal (Deflate)"
    return None


def miembros(archivo_zip, max_archivos=MAX_ARCHIVOS, max_bytes=MAX_BYTES, consejo=DESCOMPRIMELO):
    """``[(info, motivo)]`` de los archivos (no carpetas) del zip; ``motivo`` es ``None`` si se pueden leer.

    Lanza ``ValueError`` si el zip tiene más de ``max_archivos`` archivos, si ocuparía más de
    ``max_bytes`` descomprimido o si parece una bomba: sus archivos que crecen más de
    ``MAX_PROPORCION`` veces suman más de ``MAX_INFLADOS`` bytes (o de ``max_bytes``, si es menor).
    Basta con mirar los tamaños declarados: ``zipfile`` nunca descomprime más de lo que declara
    cada miembro. ``consejo`` se añade a esos mensajes (``""`` si quien lee no es el dueño del zip).
    """
    for info in archivo_zip.infolist():
        _corregir_nombre(info)
    infos = [info for info in archivo_zip.infolist() if not info.is_dir()]  # también las carpetas escritas «ana\»
    if len(infos) > max_archivos:
        raise ValueError(
            f"«{archivo_zip.filename}» tiene {miles(len(infos))} archivos, más de los que abro de un zip "
            f"(como mucho {miles(max_archivos)}). {consejo}".rstrip()
        )
    total = sum(info.file_size for info in infos)
    inflados = sum(i.file_size for i in infos if i.file_size > MAX_PROPORCION * max(1, i.compress_size))
    bomba = inflados > min(MAX_INFLADOS, max_bytes)
    if bomba or total > max_bytes:
        medida = f"«{archivo_zip.filename}» ocuparía {miles(round(total / 2**20))} MiB descomprimido"
        if total > max_bytes:
            medida += f", más de {miles(round(max_bytes / 2**20))} MiB"
        if bomba:
            raise ValueError(f"{medida}, y {miles(round(inflados / 2**20))} MiB salen de archivos que crecen más de "
                             f"{MAX_PROPORCION} veces al descomprimirse: parece una bomba zip y no lo abro. {consejo}".rstrip())
        raise ValueError(f"{medida}: demasiado para leerlo desde el zip. {consejo}".rstrip())
    return [(info, motivo_peligro(info) or _motivo_metodo(info)) for info in infos]


def _corregir_nombre(info):
    """Algunos programas de Windows (como Compress-Archive) separan las carpetas con «\\» («ana\\foto.jpg»): se
    cambia por «/», como en los demás zips; ``motivo_peligro`` ya mira los «..» con cualquiera de las dos barras.

    Los zips de macOS guardan los nombres en UTF-8 sin marcarlo, y ``zipfile`` los lee como cp437
    («A├▒o» en lugar de «Año»): si esos bytes son UTF-8 válido, el nombre se lee como UTF-8. Los de
    Windows casi nunca lo son: se leen como cp850, la página de códigos de Windows en español, que es la de
    cp437 con las mayúsculas acentuadas («Álbum», y no «╡lbum») en lugar de símbolos que nadie pone en un
    nombre. Unos pocos nombres en cp850 son también UTF-8 válido («Íñigo»: «Í» y «ñ» son juntos el acento hebreo
    U+05A4): si el zip lo hizo Windows (``create_system`` 0) y el nombre solo es latino en cp850, se lee en cp850.
    Desde Python 3.12, ``zipfile`` ya lee el nombre en Unicode si el zip lo trae aparte (el campo 0x7075 de
    Windows, 7-Zip o WinRAR), sin la marca: si no cabe en cp437 (p. ej. «Álbum»), ya está bien y se deja."""
    info.filename = info.filename.replace("\\", "/")
    if not info.flag_bits & 0x800:  # 0x800: el nombre está marcado como UTF-8
        try:
            crudo = info.filename.encode("cp437")
        except UnicodeEncodeError:
            return
        oem = crudo.decode("cp850")
        try:
            utf8 = crudo.decode("utf-8")
        except UnicodeError:
            info.filename = oem
            return
        info.filename = oem if info.create_system == 0 and _latino(oem) and not _latino(utf8) else utf8


def _latino(nombre):
    """``True`` si cada carácter de ``nombre`` que no es ASCII es una letra latina, una tilde suelta (las de macOS)
    o uno de «¿¡ºª». Sin «ð» ni «Ð»: son los primeros bytes del cirílico en UTF-8 leídos en cp850 («сеть» sería
    «ÐüðÁÐéÐî», todo letras latinas), y nadie los pone en un nombre en español."""
    return all(c.isascii() or c in "¿¡ºª"
               or c not in "ðÐ" and unicodedata.name(c, "").startswith(("LATIN", "COMBINING")) for c in nombre)


@contextlib.contextmanager
def abrir_zip(ruta_zip):
    """Abre ``ruta_zip`` para leer; si está dañado, ``ValueError`` en español."""
    try:
        archivo_zip = zipfile.ZipFile(ruta_zip)
    except (zipfile.BadZipFile, OSError):
        raise ValueError(f"«{ruta_zip}» no es un .zip válido (dañado o incompleto): descárgalo o comprímelo de nuevo.") from None
    except UnicodeDecodeError:
        raise ValueError(f"«{ruta_zip}» {NOMBRES_NO_UTF8}, y no lo sé abrir. {DESCOMPRIMELO}") from None
    with archivo_zip:
        yield archivo_zip

