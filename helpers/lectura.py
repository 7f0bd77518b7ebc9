"""Leer una imagen de cualquier formato como RGB: ``leer_imagen`` (una ruta) y ``rgb_de_pil`` (una imagen de Pillow).

JPEG, PNG, WebP, BMP y GIF con Pillow; AVIF con Pillow 11.3 o más nueva; HEIC con pillow-heif. Se mira la cabecera
antes de decodificar (bombas de descompresión, animaciones, imágenes pequeñas), se aplica la orientación EXIF y todo
modo de color (gris, paleta, CMYK, 16 bits, transparencia) pasa a RGB de 8 bits. Lo que no se puede usar lanza
``Descarte`` con el motivo en español. Así lee ``carpeta_o_zip`` cada archivo de una carpeta o un zip, y el
estilo, la foto y la pintura.
"""

import importlib
import math
import os
import warnings

import numpy as np
from PIL import Image, ImageOps, JpegImagePlugin, UnidentifiedImageError

try:
    from PIL import AvifImagePlugin
except ImportError:  # Pillow 11.1 o anterior; la 11.2 trae el plugin, pero sin libavif en sus ruedas
    AvifImagePlugin = None

from .errores import buscada_en
from .opciones import exigir_enteros, exigir_ruta
from .textos import enumerar_algunos

FORMATOS = ("JPEG", "PNG", "WEBP", "BMP", "GIF")  # las MPO de cámara se abren como JPEG
FIRMA_JPEG = b"\xff\xd8\xff"
FIRMAS = (FIRMA_JPEG, b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a", b"BM")  # primeros bytes (WebP: ver _firma_conocida)
# Las fotos HEIC de los móviles (HEIF con HEVC) y las AVIF (HEIF con AV1: móviles Android, «guardar imagen» de los
# navegadores): su caja «ftyp», al principio, dice la marca principal en los bytes 8 a 12 y después las compatibles.
# Con una marca genérica de HEIF como principal, de una u otra según cuál esté entre las compatibles.
# Pillow no lee las HEIC solo; con el paquete pillow-heif (en requirements.txt; en Colab hay que instalarlo) sí. Las
# AVIF, desde la 11.3 (sus ruedas traen libavif; pillow-heif ya no las lee).
MARCAS_HEIC = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx")
MARCAS_AVIF = (b"avif", b"avis")  # avis: animada
MARCAS_HEIF = (b"mif1", b"msf1")
SIN_PILLOW_HEIF = ("es una foto HEIC (el formato de los iPhone) y para leerla falta el paquete pillow-heif: instálalo (pip install "
                   "pillow-heif; en Colab, !pip install -q pillow-heif en una celda) y vuelve a ejecutar, o exporta "
                   "la foto como JPEG")
SIN_AVIF = ("es una foto AVIF y tu versión de Pillow no la lee (las lee desde la 11.3): actualízala (pip install -U "
            "\"pillow>=11.3\"; en un cuaderno, reinicia después el núcleo) y vuelve a ejecutar, o convierte la foto a "
            "JPEG o PNG")
# Una JPEG puede medir hasta FACTOR_JPEG veces el límite de Pillow (Image.MAX_IMAGE_PIXELS, 89 millones):
# libjpeg la decodifica ya reducida a la mitad de lado o menos, así que caben las fotos de 108 y 200 MP
# de un móvil. Sin tope, una JPEG progresiva de pocos KB aún pediría gigas al decodificarse.
FACTOR_JPEG = 3
FONDO = (255, 255, 255)  # color bajo la transparencia y del relleno
FONDO_OSCURO = (0, 0, 0)  # bajo un dibujo claro sobre transparencia: sobre FONDO apenas se vería
# Un dibujo es claro si lo que tapa del fondo (cada píxel pesado por su opacidad) se aparta del blanco menos de 32
# niveles de media: un gris de 224 o más claro, o el amarillo puro. Sobre blanco queda casi sin contraste (en gris,
# casi uniforme) y una GAN aprendería imágenes vacías; el amarillo de un emoji (50 niveles) ya se ve bien.
UMBRAL_CLARO = 32
# …y si al menos un 10 % de sus píxeles son transparentes (alfa < 128): un disco que llena el cuadro deja un 21 %, y
# las esquinas redondeadas de una captura o de una foto clara, menos de un 6 %: esas siguen sobre blanco.
MINIMO_TRANSPARENTE = 0.1
VACIO = "archivo vacío (0 bytes)"


class Descarte(Exception):
    """El motivo, en español, por el que un archivo no se usa."""


def _a_rgb(imagen, rgb_de_16_bits=False):
    """Cualquier modo de Pillow → ``(rgb, fondo)``: uint8 ``(alto, ancho, 3)`` y el color sobre el que se compuso la
    transparencia, ``FONDO`` o, si es un dibujo claro, ``FONDO_OSCURO`` (ver ``fondo_bajo_transparencia``).
    ``rgb_de_16_bits``: lo que dijo ``_es_rgb_de_16_bits`` antes de decodificarla."""
    if imagen.mode == "RGB" and "transparency" not in imagen.info:  # lo más común: sin copias de más
        return np.asarray(imagen), FONDO
    rgba = _rgba(imagen, rgb_de_16_bits)
    sobre_blanco = _sobre(rgba, FONDO)  # la que queda casi siempre, y con la que se decide: se compone una sola vez
    fondo = fondo_bajo_transparencia(rgba, sobre_blanco)
    return np.asarray(sobre_blanco if fondo == FONDO else _sobre(rgba, fondo)), fondo


def _sobre(rgba, fondo):
    """``rgba`` (imagen de Pillow en modo RGBA) compuesta sobre el color ``fondo``, en modo RGB."""
    return Image.alpha_composite(Image.new("RGBA", rgba.size, fondo), rgba).convert("RGB")


def _rgba(imagen, rgb_de_16_bits):
    """Cualquier modo de Pillow → imagen RGBA, con el color transparente (tRNS) que ``convert("RGBA")`` no entiende:
    el de un PNG de 16 bits."""
    if imagen.mode.startswith("I"):  # PNG gris de 16 bits: 0–65535 → 0–255
        valores = np.asarray(imagen, np.float32)
        gris = np.round(valores / 257.0).clip(0, 255).astype(np.uint8)
        alfa = np.where(valores == imagen.info.get("transparency"), 0, 255).astype(np.uint8)
        return Image.fromarray(np.dstack([gris, gris, gris, alfa]), "RGBA")
    if rgb_de_16_bits:  # Pillow dejó el byte alto de cada canal: se compara con el del color (en 8 bits, el mismo)
        rgb = np.asarray(imagen)
        transparente = (rgb == np.right_shift(imagen.info["transparency"], 8)).all(axis=-1)
        return Image.fromarray(np.dstack([rgb, np.where(transparente, 0, 255).astype(np.uint8)]), "RGBA")
    try:
        return imagen.convert("RGBA")
    except ValueError:
        raise Descarte(f"modo de color {imagen.mode} no admitido: guárdala de nuevo como RGB") from None


def _es_rgb_de_16_bits(imagen):
    """¿Es ``imagen`` un PNG en color de 16 bits con un color transparente (tRNS)? Pillow lee cada canal con su byte
    alto, pero deja el color en 16 bits, así que ya no coincide con ningún píxel. Hay que mirarlo antes de
    decodificarla: después (``load``) o en una imagen hecha a partir de ella (``copy``, ``crop``, ``convert``…), sin
    ``tile``, lo delata un canal del color de más de 255 o, si es la misma imagen abierta de un archivo, la cabecera de
    ese archivo; si no, es igual que una de 8 bits y se devuelve ``None``: no se sabe. Cada tesela es ``(códec, caja,
    posición, modo de los bytes)``: una tupla en Pillow 10 y una con nombres desde Pillow 11."""
    color = imagen.info.get("transparency")
    if imagen.mode != "RGB" or not isinstance(color, tuple):
        return False
    if max(color) > 255:
        return True
    teselas = getattr(imagen, "tile", ())
    return any(tesela[3] == "RGB;16B" for tesela in teselas) if teselas else _png_de_16_bits(imagen)


def _png_de_16_bits(imagen):
    """¿Dice la cabecera (IHDR) del PNG del que se abrió ``imagen`` que es de 16 bits? ``None`` si no se abrió de un
    archivo PNG (una copia o un recorte ya no lo recuerdan) o ya no se puede leer."""
    ruta = getattr(imagen, "filename", "")
    if getattr(imagen, "format", None) != "PNG" or not isinstance(ruta, (str, os.PathLike)) or not ruta:
        return None
    try:
        with open(ruta, "rb") as archivo:
            cabecera = archivo.read(25)
    except OSError:
        return None
    # Firma de 8 bytes, largo y nombre del primer bloque (IHDR), ancho, alto y, en el byte 24, los bits por canal.
    if len(cabecera) < 25 or cabecera[:8] != b"\x89PNG\r\n\x1a\n" or cabecera[12:16] != b"IHDR":
        return None
    return cabecera[24] == 16


def fondo_bajo_transparencia(rgba, sobre_blanco=None):
    """El fondo sobre el que componer ``rgba`` (imagen de Pillow en modo RGBA): ``FONDO`` (blanco) o, si es un dibujo
    claro sobre transparencia (un icono o un trazo blanco pensado para fondo oscuro), ``FONDO_OSCURO``: sobre blanco
    apenas se vería. Una imagen con menos de ``MINIMO_TRANSPARENTE`` de píxeles transparentes (ninguno, o solo las
    esquinas redondeadas de una foto) se queda en ``FONDO``: no cambia. ``sobre_blanco``:
    ``rgba`` ya compuesta sobre ``FONDO``, si se tiene (así no se compone otra vez)."""
    alfas = rgba.getchannel("A").histogram()
    if sum(alfas[:128]) < MINIMO_TRANSPARENTE * sum(alfas):
        return FONDO
    if sobre_blanco is None:
        sobre_blanco = _sobre(rgba, FONDO)
    # Sobre blanco, cada píxel se aparta de él su opacidad por lo que se aparta su color: la suma es la del dibujo.
    grises = sobre_blanco.convert("L").histogram()
    apartado = sum((255 - nivel) * veces for nivel, veces in enumerate(grises))
    opacidad = sum(nivel * veces for nivel, veces in enumerate(alfas)) / 255
    return FONDO_OSCURO if apartado < UMBRAL_CLARO * opacidad else FONDO


def _bomba(medida, limite, jpeg=False):
    """Motivo de una imagen que dice ser enorme, con qué hacer si de verdad es una foto."""
    millones = f"{FACTOR_JPEG * limite / 1e6:.0f}" if jpeg else f"{limite / 1e6:.0f}"
    consejo = "" if jpeg else f" (o de {FACTOR_JPEG * limite / 1e6:.0f} millones si la guardas como JPEG)"
    return (f"{medida} más de {millones} millones de píxeles: posible bomba de descompresión. Si es una foto "
            f"tuya, redúcela por debajo de {millones} millones de píxeles{consejo} con cualquier editor de imágenes")


def _abrir(archivo):
    """Abre solo la cabecera con Pillow. A las JPEG no les vale su alarma de bomba: se decodifican reducidas.

    Con un EXIF dañado (fotos retocadas por algunas aplicaciones), Pillow avisa en inglés y no lo usa: la
    imagen queda como está guardada, que es como la muestran los visores, así que no hay nada que decir.
    """
    # Toda la caja «ftyp» de una HEIC o una AVIF: suele medir menos de 64 bytes, pero cada marca compatible suma 4 y
    # la que dice HEIC o AVIF puede ir tras una docena de otras.
    cabecera = archivo.read(1024)
    archivo.seek(0)
    heic, avif = _es_heif(cabecera, MARCAS_HEIC), _es_heif(cabecera, MARCAS_AVIF)
    if heic:
        _registrar_heic()
    elif avif and not _pillow_lee_avif():
        raise Descarte(SIN_AVIF)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(archivo, formats=FORMATOS + (("HEIF",) if heic else ("AVIF",) if avif else ()))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        archivo.seek(0)
        if archivo.read(len(FIRMA_JPEG)) != FIRMA_JPEG:
            raise Descarte(_bomba("dice medir", Image.MAX_IMAGE_PIXELS)) from None
        archivo.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            return JpegImagePlugin.JpegImageFile(archivo)  # la misma clase que usa Image.open, sin la alarma
    except UnidentifiedImageError:
        if not heic and not _firma_conocida(cabecera):
            raise Descarte("no es una imagen JPEG, PNG, WebP, BMP, GIF, HEIC ni AVIF (si es una foto TIFF o RAW, "
                            "conviértela a JPEG o PNG)") from None
        raise Descarte("dañada: su cabecera no se entiende; ábrela en un editor y guárdala de nuevo") from None


def _firma_conocida(cabecera):
    """¿Empieza como una JPEG, PNG, WebP, BMP, GIF o AVIF? Separa las imágenes dañadas de lo que no es imagen."""
    return (cabecera.startswith(FIRMAS) or (cabecera[:4] == b"RIFF" and cabecera[8:12] == b"WEBP")
            or _es_heif(cabecera, MARCAS_AVIF))


def _es_heif(cabecera, marcas):
    """¿Es ``cabecera`` (los primeros bytes de un archivo) la de una foto HEIF de ese tipo: ``MARCAS_HEIC`` o
    ``MARCAS_AVIF``?"""
    if cabecera[4:8] != b"ftyp":
        return False
    largo = int.from_bytes(cabecera[:4], "big")
    compatibles = {cabecera[i:i + 4] for i in range(16, min(largo, len(cabecera)) - 3, 4)}
    return cabecera[8:12] in marcas or (cabecera[8:12] in MARCAS_HEIF and not compatibles.isdisjoint(marcas))


def _pillow_lee_avif():
    """¿Lee AVIF este Pillow? Desde la 11.3, si se instaló con libavif (sus ruedas la traen): lo dice la misma
    marca que mira Pillow al abrirlas."""
    return AvifImagePlugin is not None and AvifImagePlugin.SUPPORTED


def _registrar_heic():
    """Enseña a Pillow a abrir HEIC con pillow-heif, o ``Descarte`` que dice cómo instalarlo. Se busca con cada
    foto HEIC, no al importar el kit: así vale también si se acaba de instalar en Colab."""
    try:
        import pillow_heif
    except ImportError:
        importlib.invalidate_caches()  # instalado con pip en esta sesión: la caché de import aún no lo vería
        try:
            import pillow_heif
        except ImportError:
            raise Descarte(SIN_PILLOW_HEIF) from None
    pillow_heif.register_heif_opener()


def _no_animada(imagen, consejo="guarda uno como PNG"):
    """``Descarte`` si ``imagen`` (de Pillow) tiene varios fotogramas: no se sabe cuál quieres."""
    # MPO: foto de cámara con miniaturas. HEIF: varias fotos (una ráfaga…) de las que una es la principal, la que
    # muestran los visores y la que abre Pillow.
    if getattr(imagen, "is_animated", False) and imagen.format not in ("MPO", "HEIF"):
        raise Descarte(f"animada, con {imagen.n_frames} fotogramas: {consejo}")


def decodificar(archivo, tamano_minimo=1, lado=None):
    """Decodifica la imagen de ``archivo`` (binario abierto) → ``(imagen, fondo, reduccion)``: uint8 ``(alto, ancho,
    3)``, ya orientada; el fondo bajo su transparencia (ver ``_a_rgb``), y cuántos píxeles del original mide cada uno
    suyo (1.0 si no se redujo).

    Mira la cabecera antes de decodificar, así que las bombas de descompresión, las animaciones y las
    imágenes pequeñas se rechazan sin gastar memoria. Con ``lado``, las JPEG se decodifican ya
    reducidas (lado corto ≥ ``lado``); las JPEG de más de ``Image.MAX_IMAGE_PIXELS`` píxeles (las
    fotos de 108 o 200 MP de un móvil), al menos a la mitad de lado. Lanza ``Descarte`` con el motivo.
    """
    if not archivo.read(1):
        raise Descarte(VACIO)
    archivo.seek(0)
    try:
        imagen = _abrir(archivo)
    except (OSError, SyntaxError, ValueError, EOFError):
        raise Descarte("dañada: ábrela en un editor y guárdala de nuevo") from None
    with imagen:
        ancho, alto = imagen.size
        limite = Image.MAX_IMAGE_PIXELS or math.inf  # None: el usuario quitó el límite de Pillow
        if ancho * alto > FACTOR_JPEG * limite:  # solo una JPEG llega aquí con más de ``limite``
            raise Descarte(_bomba(f"mide {ancho}×{alto} px,", limite, jpeg=True))
        _no_animada(imagen)
        if min(ancho, alto) < tamano_minimo:
            raise Descarte(f"demasiado pequeña: {ancho}×{alto} px y el mínimo es {tamano_minimo} px")
        if imagen.format in ("JPEG", "MPO") and (lado or ancho * alto > limite):
            pedido = lado or ancho
            if ancho * alto > limite:  # a la mitad de lado (o menos) cabe en el límite: FACTOR_JPEG < 4
                pedido = min(pedido, min(ancho, alto) // 2)
            imagen.draft(None, (pedido, pedido))  # libjpeg reduce al decodificar: más rápido y menos memoria
        try:
            rgb_de_16_bits = _es_rgb_de_16_bits(imagen)
            imagen.load()
            reduccion = max(ancho, alto) / max(imagen.size)  # el lado mayor no cambia al orientarla
            imagen = _orientada(imagen)
        except (OSError, SyntaxError, ValueError, EOFError):
            raise Descarte("dañada o truncada: ábrela en un editor y guárdala de nuevo") from None
        return *_a_rgb(imagen, rgb_de_16_bits), reduccion


def _orientada(imagen):
    """``imagen`` girada según su EXIF (ver ``_abrir`` para un EXIF dañado)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return ImageOps.exif_transpose(imagen)


def rgb_de_pil(imagen):
    """Una imagen de Pillow ya abierta → uint8 ``(alto, ancho, 3)``, como ``leer_imagen``: con la
    orientación EXIF aplicada y cualquier modo de color (16 bits, CMYK, paleta, transparencia) en RGB. Una
    animada (GIF, WebP…) se rechaza, como la de una ruta."""
    try:
        _no_animada(imagen, "elige uno con imagen.seek(número) y pasa imagen.convert(\"RGB\"), o guárdalo como PNG")
        rgb_de_16_bits = _es_rgb_de_16_bits(imagen)  # antes de que _orientada la decodifique
        rgb, fondo = _a_rgb(_orientada(imagen), rgb_de_16_bits)
    except Descarte as motivo:
        raise ValueError(f"No puedo usar la imagen: {motivo}.") from None
    if rgb_de_16_bits is None:  # se lee como una de 8 bits, la que es casi siempre, pero no se calla
        print(f"Aviso: la imagen tiene un color transparente, {imagen.info['transparency']}, y llegó ya decodificada "
              "(tras copy, crop o convert): si viene de un PNG de 16 bits, ese color ya no se reconoce y su "
              "transparencia sale mal. Pasa la ruta del archivo, o la imagen recién abierta con Image.open, y se lee bien.")
    if fondo == FONDO_OSCURO:
        print(aviso_sobre_negro([f"«{imagen.filename}»"] if getattr(imagen, "filename", "") else []))
    return rgb


def leer_imagen(ruta, tamano_minimo=1):
    """Lee una imagen JPEG, PNG, WebP, BMP, GIF, AVIF (con Pillow 11.3 o más nueva) o HEIC (con pillow-heif) → uint8
    ``(alto, ancho, 3)`` en [0, 255].

    Aplica la orientación EXIF y convierte todo a RGB: gris, paleta, CMYK, 16 bits (escalado a 8) y
    transparencia (compuesta sobre blanco; la de un dibujo claro, sobre negro, y lo avisa). Si no se puede usar,
    lanza ``ValueError`` con el motivo.
    """
    exigir_enteros(("tamano_minimo", tamano_minimo, 1))
    ruta = exigir_ruta("ruta", ruta, "el archivo de la imagen")
    if ruta.is_dir():  # en Windows, abrir una carpeta da PermissionError y no IsADirectoryError
        raise ValueError(f"«{ruta}» es una carpeta, no una imagen: indica un archivo de imagen.")
    try:
        with open(ruta, "rb") as archivo:
            imagen, fondo, _ = decodificar(archivo, tamano_minimo)
    except FileNotFoundError:
        raise FileNotFoundError(f"No encuentro «{ruta}»: comprueba la ruta{buscada_en(ruta)}.") from None
    except PermissionError:
        raise ValueError(f"No tengo permiso para leer «{ruta}»: comprueba sus permisos.") from None
    except Descarte as motivo:
        raise ValueError(f"No puedo usar «{ruta}»: {motivo}.") from None
    if fondo == FONDO_OSCURO:
        print(aviso_sobre_negro([f"«{ruta}»"]))
    return imagen


def aviso_sobre_negro(nombres):
    """Una línea: qué imágenes (``nombres``; ninguno, si es una suelta sin nombre) eran dibujos claros sobre fondo
    transparente y se compusieron sobre negro, y cómo darles otro fondo."""
    if len(nombres) > 1:
        return (f"Aviso: {len(nombres)} imágenes son dibujos claros sobre fondo transparente, que sobre blanco apenas se "
                f"verían, así que las compongo sobre negro: {enumerar_algunos(nombres)}. Si prefieres otro fondo (p. ej., el "
                "mismo para todas), guárdalas sin transparencia, sobre ese fondo, con un editor de imágenes.")
    imagen = nombres[0] if nombres else "la imagen"
    return (f"Aviso: {imagen} es un dibujo claro sobre fondo transparente, que sobre blanco apenas se vería, así que la "
            "compongo sobre negro. Si prefieres otro fondo, guárdala sin transparencia, sobre ese fondo, con un editor "
            "de imágenes.")
