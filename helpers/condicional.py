"""GAN condicional: eliges el dígito que dibuja el generador (Mirza y Osindero, 2014).

La etiqueta entra en las dos redes como un vector «one-hot» de 10 posiciones (un 1 en la del dígito):
- el generador la concatena al vector latente: ``[z, one_hot(y)]`` → el generador DCGAN de
  ``helpers.modelos`` (con 10 entradas más);
- el discriminador la recibe como 10 canales constantes pegados a la imagen: juzga si la pareja
  (imagen, dígito) es real. Un 3 perfecto con la etiqueta 7 es «falso», y eso obliga a G a obedecer.

``GANCondicional`` es ``GANBasica`` con la etiqueta en cada llamada: las mismas pérdidas, una pasada,
dos cintas y dos optimizadores. Los datos son parejas ``(imágenes, etiquetas)`` (``a_dataset_condicional``).
"""

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from .callbacks import _mostrar_png, crear_gif
from .entorno import limitar
from .gan_basica import GANBasica, perdida_discriminador, perdida_generador
from .graficos import guardar_cuadricula
from .metricas import clasificador_digitos
from .modelos import construir_generador

CLASES = 10
EPOCAS_RAPIDAS = 25
TAMANOS_D = (16, 32, 64, 128)


def _una_caliente(etiqueta, clases):
    """Etiquetas enteras ``(n, 1)`` → vectores one-hot ``(n, clases)``."""
    return layers.CategoryEncoding(clases, output_mode="one_hot", name="una_caliente")(etiqueta)


def construir_generador_condicional(tamano=16, canales=1, dim_latente=64, clases=CLASES, ancho=64):
    """``[z (dim_latente,), etiqueta (1,) entera en 0…clases-1]`` → imagen ``(tamano, tamano, canales)`` en [-1, 1]."""
    z = keras.Input((dim_latente,), name="vector_latente")
    etiqueta = keras.Input((1,), dtype="int32", name="etiqueta")
    cuerpo = construir_generador(tamano, canales, dim_latente + clases, ancho, nombre="generador_dcgan")
    imagen = cuerpo(layers.Concatenate()([z, _una_caliente(etiqueta, clases)]))
    return keras.Model([z, etiqueta], imagen, name="generador_condicional")


def construir_discriminador_condicional(tamano=16, canales=1, clases=CLASES, ancho=64):
    """``[imagen (tamano, tamano, canales) en [-1, 1], etiqueta (1,) entera]`` → logit ``(1,)``.

    Como ``construir_discriminador`` (convoluciones de paso 2 y LeakyReLU hasta 4×4, sin
    normalización por lotes), pero la entrada lleva ``clases`` canales más: el one-hot de la etiqueta
    repetido en cada píxel, para que desde la primera capa cada filtro vea imagen y dígito juntos.
    """
    if tamano not in TAMANOS_D:
        raise ValueError(f"tamano={tamano!r} no es válido: usa uno de {TAMANOS_D} (lado de la imagen, en píxeles).")
    imagen = keras.Input((tamano, tamano, canales), name="imagen")
    etiqueta = keras.Input((1,), dtype="int32", name="etiqueta")
    mapas = layers.UpSampling2D(tamano)(layers.Reshape((1, 1, clases))(_una_caliente(etiqueta, clases)))
    x = layers.Concatenate()([imagen, mapas])
    for i in range(int(np.log2(tamano // 4))):
        x = layers.LeakyReLU(0.2)(layers.Conv2D(min(ancho * 2**i, 512), 4, strides=2, padding="same")(x))
    logit = layers.Dense(1, dtype="float32", name="logit")(layers.Flatten()(x))
    return keras.Model([imagen, etiqueta], logit, name="discriminador_condicional")


def a_dataset_condicional(imagenes, etiquetas, lote=64, semilla=0):
    """Parejas ``(imágenes (lote, alto, ancho, canales), etiquetas (lote, 1) int32)`` barajadas en cada
    época, en lotes completos y con precarga. En modo rápido, como mucho 512 parejas."""
    n = limitar(len(imagenes), 512)
    if len(etiquetas) != len(imagenes):
        raise ValueError(f"Hay {len(imagenes)} imágenes y {len(etiquetas)} etiquetas: debe haber una etiqueta por imagen.")
    pares = (np.asarray(imagenes[:n], np.float32), np.asarray(etiquetas[:n], np.int32).reshape(-1, 1))
    return (
        tf.data.Dataset.from_tensor_slices(pares)
        .shuffle(n, seed=semilla, reshuffle_each_iteration=True)
        .batch(min(lote, n), drop_remainder=True)
        .prefetch(tf.data.AUTOTUNE)
    )


class GANCondicional(GANBasica):
    """``GANBasica`` en la que G y D reciben también la etiqueta de cada imagen.

    - ``generador``: ``[z, etiqueta]`` → imagen (``construir_generador_condicional``);
    - ``discriminador``: ``[imagen, etiqueta]`` → logit (``construir_discriminador_condicional``);
    - ``suavizado_etiquetas``: suavizado unilateral de la etiqueta «real» (0,1 por defecto, como ``crear_gan``).
    Métricas: ``perdida_g``, ``perdida_d`` y ``exactitud_d``. En modo rápido ``fit`` entrena como
    mucho ``EPOCAS_RAPIDAS`` épocas.
    """

    def __init__(self, generador, discriminador, clases=CLASES, suavizado_etiquetas=0.1, semilla=0, **kwargs):
        super().__init__(generador, discriminador, semilla=semilla, **kwargs)
        self.dim_latente = generador.input_shape[0][-1]  # la primera entrada es z; la segunda, la etiqueta
        self.clases = clases
        self.suavizado_etiquetas = suavizado_etiquetas

    def train_step(self, datos):
        reales, etiquetas = datos
        z = self.ruido_latente(tf.shape(reales)[0])

        # Las generadas llevan las etiquetas del lote real: D compara parejas del mismo dígito.
        with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:
            falsas = self.generador([z, etiquetas], training=True)
            logits_reales = self.discriminador([reales, etiquetas], training=True)
            logits_falsos = self.discriminador([falsas, etiquetas], training=True)
            perdida_d = perdida_discriminador(logits_reales, logits_falsos, self.suavizado_etiquetas)
            perdida_g = perdida_generador(logits_falsos)
        return self.aplicar_paso(cinta_g, cinta_d, perdida_g, perdida_d, logits_reales, logits_falsos)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, *args, **kwargs):
        """El ``fit`` de ``GANBasica`` (en modo rápido, como mucho ``EPOCAS_RAPIDAS`` épocas)."""
        kwargs.setdefault("shuffle", False)  # los datos ya llegan barajados por tf.data
        return super().fit(x, y, batch_size, limitar(epochs, EPOCAS_RAPIDAS), *args, **kwargs)

    def generar(self, etiquetas, z=None, semilla=None):
        """Una imagen por etiqueta (``(n,)`` enteros): float32 ``(n, alto, ancho, canales)`` en [-1, 1].

        ``z`` ``(n, dim_latente)``: los vectores latentes; si no se dan, se sortean con ``semilla``.
        """
        etiquetas = np.asarray(etiquetas, np.int32).reshape(-1, 1)
        if etiquetas.min() < 0 or etiquetas.max() >= self.clases:
            raise ValueError(f"Las etiquetas deben estar entre 0 y {self.clases - 1}; "
                             f"recibí de {etiquetas.min()} a {etiquetas.max()}.")
        if z is None:
            z = keras.random.normal((len(etiquetas), self.dim_latente), seed=semilla)
        entradas = [tf.convert_to_tensor(z, tf.float32), tf.convert_to_tensor(etiquetas)]
        return np.asarray(self.generador(entradas, training=False), np.float32)

    def muestrear(self, n, semilla=None):
        """``n`` muestras con los dígitos 0, 1, …, 9, 0, 1… (como ``GANBasica.muestrear``)."""
        return self.generar(np.arange(n) % self.clases, semilla=semilla)

    def cuadricula_por_digito(self, z):
        """Una fila por dígito y una columna por vector latente de ``z`` ``(columnas, dim_latente)``:
        ``(clases · columnas, alto, ancho, canales)``. En cada columna el ruido es el mismo: cambia
        solo el dígito pedido."""
        z = np.asarray(z, np.float32)
        return self.generar(np.repeat(np.arange(self.clases), len(z)), z=np.tile(z, (self.clases, 1)))


class CuadriculaPorDigito(keras.callbacks.Callback):
    """Guarda ``carpeta/muestras/epoca_XXXX.png`` (una fila por dígito, ``columnas`` vectores latentes
    fijos por ``semilla``) al final de cada época y, al terminar, ``carpeta/evolucion.gif``. Cada
    ``mostrar_cada`` épocas la muestra en el cuaderno (0 = nunca)."""

    def __init__(self, carpeta, columnas=8, semilla=1234, mostrar_cada=0):
        super().__init__()
        self.carpeta, self.columnas, self.semilla, self.mostrar_cada = Path(carpeta), columnas, semilla, mostrar_cada

    def on_train_begin(self, logs=None):
        azar = np.random.default_rng(self.semilla)
        self.z = azar.normal(size=(self.columnas, self.model.dim_latente)).astype(np.float32)
        for cuadro in (self.carpeta / "muestras").glob("epoca_*.png"):
            cuadro.unlink()  # de un entrenamiento anterior en la misma carpeta

    def on_epoch_end(self, epoca, logs=None):
        ruta = self.carpeta / "muestras" / f"epoca_{epoca + 1:04d}.png"
        guardar_cuadricula(self.model.cuadricula_por_digito(self.z), ruta, columnas=self.columnas)
        if self.mostrar_cada and (epoca + 1) % self.mostrar_cada == 0:
            _mostrar_png(ruta, f"Época {epoca + 1}: una fila por dígito, de 0 a 9")

    def on_train_end(self, logs=None):
        crear_gif(self.carpeta / "muestras", self.carpeta / "evolucion.gif")


def aciertos_por_digito(gan, por_digito=100, semilla=0):
    """Fracción de muestras que el clasificador de dígitos (``metricas.clasificador_digitos``, entrenado
    con la reserva) asigna al dígito pedido: matriz NumPy ``(10,)`` con valores en [0, 1], uno por dígito.

    Mide si G obedece la etiqueta; un generador que ignora la etiqueta acierta ~0,1 por azar."""
    etiquetas = np.repeat(np.arange(gan.clases), por_digito)
    muestras = gan.generar(etiquetas, semilla=semilla)
    clasificador, _ = clasificador_digitos(muestras.shape[1])
    predichas = clasificador.predict(muestras, verbose=0).argmax(1)
    return np.array([np.mean(predichas[etiquetas == d] == d) for d in range(gan.clases)])
