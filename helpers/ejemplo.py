"""Carpetas de fotos «como la de un estudiante», para practicar la tarea sin conexión y para medirla.

- ``carpeta_de_ejemplo``: la del cuaderno 06, con las fotografías que trae scikit-image;
- ``carpeta_desordenada``: lo que tienen en común esa carpeta, la del benchmark de la tarea y las
  pruebas: varias versiones de cada foto (encuadre, tamaño, modo de color, formato, orientación EXIF,
  subcarpetas) y los archivos que ``revisar_imagenes`` debe descartar (``escribir_descartes``);
- ``png_enorme``: un PNG de pocos KB cuya cabecera dice 20.000×20.000 píxeles (bomba de descompresión);
- ``marcar_deflate64``: marca el primer archivo de un zip como comprimido con Deflate64, como hace a veces 7-Zip.
"""

import io
import shutil
import struct
import zlib
from pathlib import Path

import numpy as np
from PIL import Image

from .opciones import exigir_carpeta, exigir_ruta, exigir_semilla

# Nombre del archivo → función de ``skimage.data`` (fotos incluidas en el paquete: sin descargas).
FOTOS = {
    "astronauta": "astronaut",
    "gato": "chelsea",
    "cafe": "coffee",
    "cohete": "rocket",
    "fotografo": "camera",
    "galaxias": "hubble_deep_field",
    "tejido": "immunohistochemistry",
    "retina": "retina",
}
RECORTES_POR_FOTO = 8
# Los archivos que revisar_imagenes debe descartar y una palabra de su motivo.
DESCARTES = {
    "dañada.jpg": "dañada",
    "vacia.png": "vacío",
    "notas.txt": "no es una imagen",
    "miniatura.png": "demasiado pequeña",
    "animada.gif": "animada",
    "enorme.png": "bomba de descompresión",
}
COPIA = "gato_2 (copia)"  # la copia exacta que quita sin_duplicados=True (con el formato de gato_2)
# Modos de color y los formatos que los guardan; «tinte» es una foto en gris con un color encima.
FORMATOS_DE_MODO = {
    "RGB": ("jpg", "png", "webp", "bmp"),
    "L": ("jpg", "png", "webp", "bmp"),
    "tinte": ("jpg", "webp", "bmp"),
    "P": ("gif", "png"),
    "RGBA": ("png", "webp"),
    "CMYK": ("jpg",),
    "I;16": ("png",),
}
ORIENTACION_GIRADA = 6  # EXIF: «gira 90° a la derecha para verla»


def png_enorme(ancho=20_000, alto=20_000):
    """Bytes de un PNG válido cuya cabecera dice ``ancho``×``alto`` px (más de 1 GB al decodificarlo)."""

    def trozo(tipo, datos):
        return struct.pack(">I", len(datos)) + tipo + datos + struct.pack(">I", zlib.crc32(tipo + datos))

    cabecera = struct.pack(">IIBBBBB", ancho, alto, 8, 2, 0, 0, 0)
    filas = zlib.compress(b"\0" * (1 + 3 * ancho) * 8)
    return b"\x89PNG\r\n\x1a\n" + trozo(b"IHDR", cabecera) + trozo(b"IDAT", filas) + trozo(b"IEND", b"")


def marcar_deflate64(ruta_zip):
    """Marca el primer archivo del zip ``ruta_zip`` como comprimido con Deflate64 (método 9), que ``zipfile``
    no sabe leer, en su cabecera local y en el directorio central (la primera de cada tipo)."""
    datos = bytearray(Path(ruta_zip).read_bytes())
    for firma, desplazamiento in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        inicio = datos.index(firma) + desplazamiento
        datos[inicio:inicio + 2] = (9).to_bytes(2, "little")
    Path(ruta_zip).write_bytes(bytes(datos))


def escribir_descartes(destino, foto):
    """Escribe en ``destino`` los archivos de ``DESCARTES`` a partir de ``foto`` (uint8, gris o color).

    Un JPEG cortado a medio escribir, un PNG vacío, un texto, una miniatura de 8 px, un GIF animado y
    ``png_enorme``. Devuelve ``DESCARTES``.
    """
    destino = Path(destino)
    imagen = Image.fromarray(foto)
    jpeg = io.BytesIO()
    imagen.convert("RGB").resize((200, 200)).save(jpeg, "JPEG")
    (destino / "dañada.jpg").write_bytes(jpeg.getvalue()[:400])
    (destino / "vacia.png").write_bytes(b"")
    (destino / "notas.txt").write_text("Fotos de las vacaciones, sin ordenar.\n", encoding="utf-8")
    imagen.resize((8, 8)).save(destino / "miniatura.png")
    cuadros = [imagen.resize((40, 40)), imagen.resize((40, 40)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    cuadros[0].save(destino / "animada.gif", save_all=True, append_images=cuadros[1:], duration=200)
    (destino / "enorme.png").write_bytes(png_enorme())
    return DESCARTES


def version_desordenada(foto, rng, lados=(40, 900)):
    """Una versión de ``foto`` (uint8, gris o color) como las que trae un estudiante: ``(imagen, formato)``.

    El lado mayor, al azar entre ``lados``; el modo de color, uno de ``FORMATOS_DE_MODO`` (las fotos
    en gris no se guardan en RGB ni CMYK, que no añadirían nada) y el formato, uno de los de ese modo.
    """
    imagen = Image.fromarray(foto)
    lado = int(rng.uniform(*lados))
    escala = lado / max(imagen.size)
    imagen = imagen.resize((max(1, round(imagen.width * escala)), max(1, round(imagen.height * escala))), Image.BICUBIC)
    modos = [m for m in FORMATOS_DE_MODO if foto.ndim == 3 or m not in ("RGB", "CMYK")]
    modo = modos[rng.integers(len(modos))]
    gris = imagen.convert("L")
    if modo == "tinte":
        imagen = Image.fromarray(np.clip(np.asarray(gris, np.float32)[..., None] * rng.uniform(0.8, 1.2, 3), 0, 255).astype(np.uint8))
    elif modo == "I;16":
        imagen = Image.fromarray(np.asarray(gris, np.uint16) * 257)
    else:
        imagen = imagen.convert(modo)
    formatos = FORMATOS_DE_MODO[modo]
    return imagen, formatos[rng.integers(len(formatos))]


def guardar_version(imagen, ruta, rng):
    """Guarda ``imagen`` en ``ruta`` (el formato, por su sufijo); un 30 % de los JPEG en gris o RGB se
    guardan girados con la orientación EXIF que los endereza, como los de una cámara o un móvil."""
    opciones = {"quality": int(rng.uniform(60, 95))} if ruta.suffix in (".jpg", ".webp") else {}
    if ruta.suffix == ".jpg" and imagen.mode in ("L", "RGB") and rng.random() < 0.3:
        exif = Image.Exif()
        exif[0x0112] = ORIENTACION_GIRADA
        imagen, opciones["exif"] = imagen.transpose(Image.Transpose.ROTATE_90), exif
    imagen.save(ruta, **opciones)


def carpeta_desordenada(destino, fotos, versiones=3, semilla=0, encuadre=None, lados=(40, 900),
                        subcarpetas=("", "movil", "camara/2024")):
    """Escribe en ``destino`` ``versiones`` versiones desordenadas de cada foto y los ``DESCARTES``.

    - ``fotos``: ``{nombre: foto uint8 (alto, ancho) o (alto, ancho, 3)}``; cada versión se llama
      ``<nombre>_<v>.<formato>`` (``v`` desde 1) y va a la subcarpeta ``subcarpetas[v % len]``;
    - ``encuadre``: función ``(foto, rng) -> foto`` que elige qué parte se ve (un recorte, un margen…);
    - luego ``version_desordenada`` (tamaño entre ``lados``, modo y formato) y ``guardar_version``.

    Misma ``semilla`` → mismos archivos. Devuelve el número de archivos escritos.
    """
    destino = Path(destino)
    rng = np.random.default_rng(semilla)
    escritos = 0
    for nombre, foto in fotos.items():
        for v in range(1, versiones + 1):
            imagen, formato = version_desordenada(encuadre(foto, rng) if encuadre else foto, rng, lados)
            carpeta = destino / subcarpetas[v % len(subcarpetas)]
            carpeta.mkdir(parents=True, exist_ok=True)
            guardar_version(imagen, carpeta / f"{nombre}_{v}.{formato}", rng)
            escritos += 1
    return escritos + len(escribir_descartes(destino, next(iter(fotos.values()))))


def recorte_al_azar(foto, rng):
    """Un rectángulo al azar de ``foto`` (del 35 al 80 % del lado corto, proporción de 3:4 a 4:3)."""
    alto, ancho = foto.shape[:2]
    lado = rng.uniform(0.35, 0.8) * min(alto, ancho)
    proporcion = rng.uniform(0.75, 1.33)
    h, w = int(min(lado, alto)), int(min(lado * proporcion, ancho))
    y, x = rng.integers(0, alto - h + 1), rng.integers(0, ancho - w + 1)
    return foto[y : y + h, x : x + w]


def carpeta_de_ejemplo(destino, semilla=0):
    """Crea en ``destino`` una carpeta desordenada de unas 70 fotos y devuelve su ``Path``.

    - 64 recortes (``RECORTES_POR_FOTO`` por foto de ``skimage.data``: astronauta, gato, café,
      cohete…) de 40 a 400 px, en JPEG, PNG, WebP, BMP o GIF, en color, gris, paleta, CMYK o 16 bits,
      algunos girados con la orientación EXIF, repartidos entre la carpeta y ``vacaciones/``;
    - los archivos de ``DESCARTES`` (dañado, vacío, texto, miniatura, GIF animado y bomba de
      descompresión) y ``COPIA``, una copia exacta de ``gato_2``.

    Siempre la misma carpeta para una ``semilla``. Si ``destino`` ya existe y no está vacía, no
    escribe nada y la devuelve tal cual (así puedes volver a ejecutar la celda). Se escribe en una
    carpeta oculta al lado que al final toma su nombre: una celda interrumpida no deja una a medias.
    """
    from skimage import data

    destino = exigir_ruta("destino", destino, "la carpeta donde crear las fotos de ejemplo")
    semilla = exigir_semilla(semilla)
    exigir_carpeta(f"«{destino}»", destino, "indica una carpeta nueva para las fotos de ejemplo "
                   "(p. ej. helpers.carpeta_resultados(\"fotos_de_ejemplo\"))")
    if destino.is_dir() and any(destino.iterdir()):
        print(f"La carpeta de ejemplo {destino} ya existe: la uso tal cual.")
        return destino
    fotos = {nombre: getattr(data, funcion)() for nombre, funcion in FOTOS.items()}
    temporal = destino.with_name(f".{destino.name}.tmp")
    shutil.rmtree(temporal, ignore_errors=True)  # la de una celda interrumpida antes
    carpeta_desordenada(temporal, fotos, RECORTES_POR_FOTO, semilla, recorte_al_azar, (40, 400), ("", "vacaciones"))
    original = next(temporal.glob("gato_2.*"))
    (temporal / f"{COPIA}{original.suffix}").write_bytes(original.read_bytes())
    if destino.is_dir():
        destino.rmdir()  # vacía (ver arriba)
    temporal.rename(destino)
    return destino
