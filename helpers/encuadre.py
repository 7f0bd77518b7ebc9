"""Encuadrar las imágenes de un estudiante: dejarlas cuadradas y del mismo tamaño, recortar el rostro y avisar de lo
que se pierde.

- ``cuadrar``: recorta el cuadrado central o completa con el fondo (``RECORTES``) y redimensiona a ``tamano`` px;
- ``caja_rostro``: el cuadrado alrededor del rostro más grande (la cascada LBP de scikit-image, que se carga una
  sola vez);
- ``medida_si_pequena`` y ``aviso_ampliadas``: las que miden menos que ``tamano`` y se amplían (se verán borrosas);
  ``medida_si_alargada`` y ``aviso_alargadas``: las muy alargadas, de las que el cuadrado central tira más de la mitad;
- ``comprobar_encuadre``: el error en español si ``tamano``, ``canales`` o ``recorte`` no son válidos.

Lo usan ``preparacion`` (``preparar_imagenes`` y las miniaturas de ``revisar_imagenes``) y ``cargar_carpeta``; la línea
de órdenes toma de aquí los ``RECORTES`` de ``preparar --recorte``.
"""

from functools import lru_cache

import numpy as np
from PIL import Image

from .lectura import FONDO
from .opciones import es_entero
from .textos import contar, enumerar_algunos

RECORTES = ("centro", "relleno")
ALARGADA = 2  # más larga que ancha (o al revés) de 2:1: el recorte central tira más de la mitad
# Lado máximo al que busca rostros la cascada: su tiempo crece con el área (benchmarks/detector_rostros.py).
LADO_DETECCION = 256


def cuadrar(imagen, tamano, recorte="centro", canales=3, fondo=FONDO):
    """uint8 ``(alto, ancho, 3)`` → uint8 ``(tamano, tamano, canales)``: recorta el centro o rellena con ``fondo``
    (el de su transparencia, para que las bandas no se distingan de él)."""
    alto, ancho = imagen.shape[:2]
    if recorte == "centro":
        lado = min(alto, ancho)
        y, x = (alto - lado) // 2, (ancho - lado) // 2
        cuadrada = Image.fromarray(imagen[y : y + lado, x : x + lado])
    else:
        lado = max(alto, ancho)
        cuadrada = Image.new("RGB", (lado, lado), fondo)
        cuadrada.paste(Image.fromarray(imagen), ((lado - ancho) // 2, (lado - alto) // 2))
    cuadrada = cuadrada.resize((tamano, tamano), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return np.asarray(cuadrada) if canales == 3 else np.asarray(cuadrada.convert("L"))[..., None]


@lru_cache(maxsize=1)
def _detector_rostros():
    """La cascada LBP de rostros de frente que trae scikit-image (``skimage.feature.Cascade``)."""
    from skimage.data import lbp_frontal_face_cascade_filename
    from skimage.feature import Cascade

    return Cascade(lbp_frontal_face_cascade_filename())


def caja_rostro(imagen, margen=1.6):
    """Cuadrado ``(x, y, lado)`` en píxeles alrededor del rostro más grande, o ``None`` si no hay ninguno.

    ``imagen``: uint8 ``(alto, ancho, 3)``. Usa la cascada LBP de rostros de frente de scikit-image
    sobre la imagen en gris reducida a ``LADO_DETECCION`` px: encuentra rostros de al menos una
    décima parte del lado mayor. El lado del cuadrado mide ``margen`` veces el del rostro, para incluir
    pelo y barbilla, y el cuadrado se desplaza lo justo para caber en la imagen.
    """
    alto, ancho = imagen.shape[:2]
    escala = min(1.0, LADO_DETECCION / max(alto, ancho))
    reducida = Image.fromarray(imagen).convert("L").resize(
        (max(1, round(ancho * escala)), max(1, round(alto * escala))), Image.Resampling.BOX
    )
    gris = np.asarray(reducida, np.float32) / 255.0
    rostros = _detector_rostros().detect_multi_scale(
        gris, scale_factor=1.2, step_ratio=1, min_size=(24, 24), max_size=gris.shape
    )
    if not rostros:
        return None
    mayor = max(rostros, key=lambda r: r["width"] * r["height"])
    x, y, w, h = (mayor[clave] / escala for clave in ("c", "r", "width", "height"))
    lado = int(min(margen * max(w, h), alto, ancho))
    return int(np.clip(x + (w - lado) / 2, 0, ancho - lado)), int(np.clip(y + (h - lado) / 2, 0, alto - lado)), lado


def comprobar_encuadre(canales, tamano, recorte="centro"):
    """``ValueError`` en español si ``tamano`` no es un entero de 8 a 1024 px, ``canales`` no es 1 ni 3 o ``recorte`` no
    es uno de ``RECORTES``."""
    if not es_entero(tamano, 8, 1024):
        raise ValueError(f"tamano={tamano!r} no es válido: debe ser un entero entre 8 y 1024 píxeles (p. ej. 32, 64 o 128).")
    if canales not in (1, 3):
        raise ValueError(f"canales={canales!r} no es válido: usa 3 (color) o 1 (gris).")
    if recorte not in RECORTES:
        raise ValueError(f"recorte={recorte!r} no es válido: usa 'centro' o 'relleno'.")


def medida_si_pequena(imagen, reduccion, tamano, recorte="centro"):
    """«ancho×alto px» del original si el lado que pasa a medir ``tamano`` (el menor con ``recorte='centro'``, el
    mayor con ``'relleno'``) no llegaba a ``tamano``: se amplía y sale borrosa. Si no, ``None``.

    ``reduccion`` (ver ``lectura.decodificar``) da la medida del original: una JPEG decodificada ya reducida no es pequeña.
    """
    alto, ancho = (round(medida * reduccion) for medida in imagen.shape[:2])
    return f"{ancho}×{alto} px" if (min if recorte == "centro" else max)(alto, ancho) < tamano else None


def medida_si_alargada(imagen, reduccion):
    """«ancho×alto px» del original si un lado mide más de ``ALARGADA`` veces el otro (un panorama, un banner): el
    cuadrado central se queda solo con su parte de en medio. Si no, ``None``."""
    alto, ancho = (round(medida * reduccion) for medida in imagen.shape[:2])
    return f"{ancho}×{alto} px" if max(alto, ancho) > ALARGADA * min(alto, ancho) else None


def aviso_alargadas(alargadas):
    """Una línea: cuántas imágenes ``(nombre, medida)`` eran muy alargadas, las primeras y qué hacer."""
    dice = (f"1 imagen es muy alargada (más de {ALARGADA}:1) y el cuadrado central deja fuera más de la mitad de ella"
            if len(alargadas) == 1 else f"{contar(len(alargadas), 'imagen', 'imágenes')} son muy alargadas (más de "
            f"{ALARGADA}:1) y el cuadrado central deja fuera más de la mitad de cada una")
    return (f"Aviso: {dice}: {enumerar_algunos(alargadas)}. Si lo importante no está en el centro, prepáralas con "
            "recorte='relleno' (en la terminal, preparar --recorte relleno): quedan enteras, con bandas blancas.")


def aviso_ampliadas(ampliadas, tamano, rostros=False):
    """Una línea: cuántas imágenes ``(nombre, medida)`` se ampliaron, las primeras y qué hacer."""
    medida = f"{tamano}×{tamano} px{' (el recorte de su rostro)' if rostros else ''}"
    dice = (f"1 imagen medía menos de {medida} y se ha ampliado, así que se verá borrosa" if len(ampliadas) == 1 else
            f"{contar(len(ampliadas), 'imagen', 'imágenes')} medían menos de {medida} y se han ampliado, así que se "
            "verán borrosas")
    return (f"Aviso: {dice}: {enumerar_algunos(ampliadas)}. Usa un tamaño menor (--tamano en la terminal; tamano= en Python) o fotos "
            "más grandes.")
