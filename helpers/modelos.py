"""Constructores del generador y del discriminador convolucionales (DCGAN, Radford et al., 2016).

Reglas de diseño DCGAN que siguen ambos:
- sin agrupamiento (pooling): el generador sube de resolución con convoluciones transpuestas de
  paso 2 y el discriminador la baja con convoluciones de paso 2;
- normalización por lotes en el generador (no en su salida), ReLU en el generador y ``tanh`` a la
  salida, porque las imágenes viven en [-1, 1];
- LeakyReLU (pendiente 0,2) en el discriminador, que devuelve un *logit* (sin sigmoide): la pérdida
  se calcula desde logits, que es numéricamente estable.

Tamaños admitidos: imágenes cuadradas de 16, 32, 64 o 128 px (y 28 px para MNIST), 1 o 3 canales.
"""

import math
import os

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from .estabilizadores import DesviacionMinilote, NormalizacionEspectral
from .opciones import es_entero, es_real, exigir_booleano, exigir_enteros

TAMANOS = (16, 28, 32, 64, 128)
CANALES = (1, 3)


def comprobar_tamano(tamano, canales):
    """``ValueError`` en español si el generador y el discriminador no saben hacer ese tamaño o esos canales."""
    if not es_entero(tamano) or tamano not in TAMANOS:
        raise ValueError(
            f"tamano={tamano!r} no es válido: usa uno de {TAMANOS} (lado de la imagen cuadrada, en píxeles)."
        )
    if not es_entero(canales) or canales not in CANALES:
        raise ValueError(f"canales={canales!r} no es válido: usa 1 (gris) o 3 (color).")


def resolucion_inicial(tamano):
    """El generador parte de 4×4 (7×7 para 28 px) y duplica el lado en cada bloque."""
    base = 7 if tamano == 28 else 4
    return base, int(math.log2(tamano // base))


def construir_generador(tamano=16, canales=1, dim_latente=64, ancho=64, nombre="generador"):
    """Generador DCGAN: vector latente ``(dim_latente,)`` → imagen ``(tamano, tamano, canales)`` en [-1, 1].

    ``ancho`` es el número de filtros del último bloque; cada bloque anterior tiene el doble (hasta 512).
    """
    comprobar_tamano(tamano, canales)
    exigir_enteros(("dim_latente", dim_latente, 1), ("ancho", ancho, 1))
    base, bloques = resolucion_inicial(tamano)
    filtros = [min(ancho * 2 ** (bloques - 1 - i), 512) for i in range(bloques)]
    z = keras.Input((dim_latente,), name="vector_latente")
    x = layers.Dense(base * base * filtros[0], use_bias=False)(z)
    x = layers.BatchNormalization(synchronized=True)(x)
    x = layers.ReLU()(x)
    x = layers.Reshape((base, base, filtros[0]))(x)
    for f in filtros[1:]:
        x = layers.Conv2DTranspose(f, 4, strides=2, padding="same", use_bias=False)(x)
        x = layers.BatchNormalization(synchronized=True)(x)
        x = layers.ReLU()(x)
    x = layers.Conv2DTranspose(canales, 4, strides=2, padding="same")(x)
    # La salida en float32 aunque haya precisión mixta: las imágenes y la pérdida lo agradecen.
    imagen = layers.Activation("tanh", dtype="float32", name="imagen")(x)
    return keras.Model(z, imagen, name=nombre)


def construir_discriminador(
    tamano=16,
    canales=1,
    ancho=64,
    abandono=0.0,
    normalizacion_espectral=False,
    desviacion_minilote=False,
    nombre="discriminador",
):
    """Discriminador DCGAN: imagen ``(tamano, tamano, canales)`` en [-1, 1] → logit ``(1,)``.

    Un logit positivo significa «parece real». Opciones que estabilizan el entrenamiento:
    - ``abandono``: dropout entre 0 y 1 tras cada bloque;
    - ``normalizacion_espectral``: divide los pesos de cada capa por su mayor valor singular, lo que
      acota la pendiente de D (Miyato et al., 2018);
    - ``desviacion_minilote``: antes de la última convolución añade un canal con la variedad del
      minilote (``estabilizadores.DesviacionMinilote``); entonces el lote debe ser múltiplo de 4.
    """
    comprobar_tamano(tamano, canales)
    exigir_enteros(("ancho", ancho, 1))
    if not es_real(abandono, 0, menor_que=1):
        raise ValueError(f"abandono={abandono!r} debe ser un número entre 0 (sin dropout) y 1 (sin incluir).")
    exigir_booleano("normalizacion_espectral", normalizacion_espectral)
    exigir_booleano("desviacion_minilote", desviacion_minilote)

    def capa(capa_keras):
        return NormalizacionEspectral(capa_keras) if normalizacion_espectral else capa_keras

    _, bloques = resolucion_inicial(tamano)
    x = imagen = keras.Input((tamano, tamano, canales), name="imagen")
    for i in range(bloques):
        if desviacion_minilote and i == bloques - 1:
            x = DesviacionMinilote()(x)
        x = capa(layers.Conv2D(min(ancho * 2**i, 512), 4, strides=2, padding="same"))(x)
        x = layers.LeakyReLU(0.2)(x)
        if abandono:
            x = layers.Dropout(abandono)(x)
    x = layers.Flatten()(x)
    logit = capa(layers.Dense(1, dtype="float32", name="logit"))(x)
    return keras.Model(imagen, logit, name=nombre)


def exigir_ocultas(ocultas):
    """``ocultas`` como tupla, o ``ValueError`` en español si no son las neuronas de cada capa oculta: enteros
    positivos. La tupla: un generador como ``(64 for _ in range(2))`` se gastaría al comprobarlo."""
    capas = tuple(ocultas) if hasattr(ocultas, "__iter__") and not isinstance(ocultas, (str, bytes)) else None
    if capas is None or not all(es_entero(n, 1) for n in capas):
        raise ValueError(f"ocultas={ocultas!r} no es válido: da las neuronas de cada capa oculta como una tupla de enteros "
                         "positivos, p. ej. (64, 64), o (128,) para una sola capa.")
    return capas


def exigir_forma_de_entrada(entrada, imagenes, nombre="imagenes"):
    """``ValueError`` en español si ``imagenes`` (``nombre`` en el mensaje) no tiene la forma que espera la
    ``entrada`` de un modelo (de ``entradas_de``; p. ej. un clasificador de otro tamaño o de otros canales): Keras
    lo diría en inglés, con las imágenes impresas."""
    esperada, forma = tuple(entrada.shape), tuple(np.shape(imagenes))  # la de un tensor es un TensorShape

    def encaja(dada):  # sin el eje del lote
        return len(dada) == len(esperada) - 1 and all(e is None or e == d for e, d in zip(esperada[1:], dada))

    # Keras también acepta el gris sin el eje de canales y, si el modelo no lo tiene, con él (lo quita).
    if encaja(forma[1:]) or encaja(forma[1:] + (1,)) or (forma[-1:] == (1,) and encaja(forma[1:-1])):
        return
    # El lote, «n»: un Sequential sin Input lo fija al tamaño del primero con el que se llamó.
    texto = "(" + ", ".join(["n", *("n" if e is None else str(e) for e in esperada[1:])]) + ")"
    if not forma:  # si no, «tiene forma ()»
        raise ValueError(f"«{nombre}» debe ser una matriz de forma {texto} y llegó un objeto de tipo "
                         f"{type(imagenes).__name__}.")
    if encaja(forma):
        consejo = f"si es una sola, pásala como lote de una, {nombre}[None]"
    elif len(esperada) == 2:  # vectores, p. ej. los latentes de un generador: no tienen tamaño ni canales
        consejo = f"cada fila debe tener {esperada[1]} números (en un generador, su dimensión latente)"
    else:
        consejo = "llévalas a ese tamaño y número de canales o usa el modelo hecho para ellas"
    raise ValueError(f"El modelo espera entradas de forma {texto} y «{nombre}» tiene forma {tuple(forma)}: {consejo}.")


@keras.saving.register_keras_serializable(package="curso_gan")  # para que keras.models.load_model lo reconozca
class GeneradorDenso(keras.Model):
    """El modelo funcional de ``construir_generador_denso``. Llamado con datos, comprueba antes la forma del ruido
    ``z`` (``exigir_forma_de_entrada``): en el cuaderno 01 el estudiante llama al generador él mismo, y con otra
    dimensión latente o sin el eje del lote Keras fallaría en inglés."""

    def __call__(self, *args, **kwargs):
        z = args[0] if args else kwargs.get("inputs")
        if isinstance(z, (list, tuple, dict)) and len(z) == 1:  # Keras también acepta [z] y {"vector_latente": z}
            (z,) = z.values() if isinstance(z, dict) else z
        # Dentro de un grafo (fit, predict) o al componer modelos (un KerasTensor) no hay datos, solo su forma simbólica.
        if tf.executing_eagerly() and not isinstance(z, keras.KerasTensor):
            exigir_forma_de_entrada(self.inputs[0], z, "z")
        return super().__call__(*args, **kwargs)


def construir_generador_denso(dim_latente=8, dim_salida=1, ocultas=(64, 64), nombre="generador_denso"):
    """Generador de juguete (un ``GeneradorDenso``) para datos vectoriales (1-D o 2-D): ``(dim_latente,)`` →
    ``(dim_salida,)``.

    Capas densas con LeakyReLU y salida lineal (los datos de juguete no están acotados a [-1, 1]).
    """
    exigir_enteros(("dim_latente", dim_latente, 1), ("dim_salida", dim_salida, 1))
    ocultas = exigir_ocultas(ocultas)
    z = x = keras.Input((dim_latente,), name="vector_latente")
    for unidades in ocultas:
        x = layers.LeakyReLU(0.2)(layers.Dense(unidades)(x))
    return GeneradorDenso(z, layers.Dense(dim_salida, dtype="float32", name="muestra")(x), name=nombre)


def construir_discriminador_denso(dim_entrada=1, ocultas=(64, 64), nombre="discriminador_denso"):
    """Discriminador de juguete para datos vectoriales: ``(dim_entrada,)`` → logit ``(1,)``."""
    exigir_enteros(("dim_entrada", dim_entrada, 1))
    ocultas = exigir_ocultas(ocultas)
    entrada = x = keras.Input((dim_entrada,), name="muestra")
    for unidades in ocultas:
        x = layers.LeakyReLU(0.2)(layers.Dense(unidades)(x))
    return keras.Model(entrada, layers.Dense(1, dtype="float32", name="logit")(x), name=nombre)


def es_generador(red):
    """¿Es ``red`` un generador de imágenes: un modelo de Keras con una entrada, el vector latente
    ``(n, dim_latente)``, y una salida, las imágenes ``(n, alto, ancho, canales)``, todas de tamaño
    conocido (sin ``None``) y no vacías?"""
    try:
        return (isinstance(red, keras.Model) and len(red.inputs) == 1 and len(red.outputs) == 1
                and len(red.inputs[0].shape) == 2 and len(red.outputs[0].shape) == 4
                and all(isinstance(lado, int) and lado > 0 for lado in (red.inputs[0].shape[1], *red.outputs[0].shape[1:])))
    except (AttributeError, ValueError):  # un modelo por subclase o un Sequential sin construir: sin forma conocida
        return False


def red_generadora(modelo, nombre="generador", consejo="pasa el generador (un keras.Model) o una GAN del curso",
                   funcion=False):
    """La red vector latente → imagen de ``modelo``: la que dibuja las muestras de una GAN del curso
    (``generador_para_muestras``) o el propio modelo si es un generador (``es_generador``). Con ``funcion``,
    también una función de Python que no es un modelo, tal cual.

    Con cualquier otra cosa, ``ValueError`` en español: a una ruta, que la cargue antes con ``cargar_generador``;
    a lo demás (unas imágenes, ``None``, un modelo de Keras con otras formas, como el de una GAN condicional, que
    pide también el dígito), que no es un generador, y ``consejo``: qué pasar en su lugar. ``nombre``: el del
    parámetro (el mensaje dice ``generador=ndarray``) o el texto que nombra lo comprobado, p. ej. ``f"«{ruta}»"``."""
    if isinstance(modelo, (str, os.PathLike)):
        raise ValueError(f"«{modelo}» es una ruta, no un generador: cárgalo antes con helpers.cargar_generador(ruta).")
    red = modelo.generador_para_muestras() if hasattr(modelo, "generador_para_muestras") else modelo
    if es_generador(red) or (funcion and callable(red) and not isinstance(red, keras.Model)):
        return red
    quien = f"{nombre}={type(modelo).__name__}" if nombre.isidentifier() else nombre
    que = ""
    if isinstance(red, keras.Model):  # con otras entradas o salidas: qué es un generador
        condicional = "; el de una GAN condicional pide también el dígito: usa gan.cuadricula_por_digito"
        que = f" (de un vector latente a una imagen{condicional if nombre.isidentifier() else ''})"
    raise ValueError(f"{quien} no es un generador{que}: {consejo}.")
