"""Estabilizadores del entrenamiento adversario: las piezas que ``GAN`` y ``construir_discriminador``
activan con un argumento. Cada una cita el artículo que la propuso.

- Pérdidas: ``no_saturante`` (Goodfellow et al., 2014), ``bisagra`` (Lim y Ye, 2017; Miyato et al.,
  2018) y ``wasserstein`` (Arjovsky et al., 2017), esta última con penalización de gradiente.
- Penalizaciones: R1 sobre las reales (Mescheder et al., 2018) y la de WGAN-GP sobre puntos
  interpolados (Gulrajani et al., 2017).
- Ruido de instancia con un programa que lo apaga poco a poco (Sønderby et al., 2017; Arjovsky y
  Bottou, 2017).
- Aumento diferenciable de reales y generadas, para conjuntos pequeños (DiffAugment, Zhao et al., 2020).
- Desviación típica del minilote como canal extra del discriminador (Karras et al., 2018).
"""

import keras
import tensorflow as tf

from .gan_basica import perdida_discriminador, perdida_generador
from .opciones import exigir_enteros

PERDIDAS = ("no_saturante", "bisagra", "wasserstein")
PROGRAMAS_RUIDO = ("constante", "lineal", "tercios")
AUMENTOS = ("color", "traslacion", "recorte")


def perdidas_adversarias(perdida, logits_reales, logits_falsos, suavizado=0.0):
    """Devuelve ``(perdida_d, perdida_g)`` para la pérdida elegida, a partir de los logits de D.

    - ``no_saturante``: entropía cruzada; D quiere reales → 1 (o ``1 - suavizado``) y generadas → 0;
      G minimiza ``-log D(G(z))``.
    - ``bisagra``: D minimiza ``E[max(0, 1 - D(x))] + E[max(0, 1 + D(G(z)))]``; G minimiza ``-E[D(G(z))]``.
      D deja de empujar a las muestras que ya clasifica con margen.
    - ``wasserstein``: D (el «crítico») minimiza ``E[D(G(z))] - E[D(x)]``; G minimiza ``-E[D(G(z))]``.
      Solo tiene sentido si D es 1-Lipschitz: úsala con ``penalizacion_gradiente``.
    """
    if perdida == "no_saturante":
        return perdida_discriminador(logits_reales, logits_falsos, suavizado), perdida_generador(logits_falsos)
    if perdida == "bisagra":
        perdida_d = tf.reduce_mean(tf.nn.relu(1.0 - logits_reales)) + tf.reduce_mean(tf.nn.relu(1.0 + logits_falsos))
        return perdida_d, -tf.reduce_mean(logits_falsos)
    if perdida == "wasserstein":
        return tf.reduce_mean(logits_falsos) - tf.reduce_mean(logits_reales), -tf.reduce_mean(logits_falsos)
    raise ValueError(f"perdida={perdida!r} no es válida: usa una de {PERDIDAS}.")


def norma_cuadrada_por_muestra(gradientes):
    """‖g‖² de cada muestra de un lote ``(n, ...)`` → ``(n,)``."""
    return tf.reduce_sum(tf.reshape(tf.square(gradientes), (tf.shape(gradientes)[0], -1)), axis=1)


def sigma_ruido(sigma_inicial, programa, progreso):
    """Desviación típica del ruido de instancia en un momento del entrenamiento.

    ``progreso`` va de 0 (inicio) a 1 (final). Programas:
    - ``constante``: siempre ``sigma_inicial``;
    - ``lineal``: baja en línea recta de ``sigma_inicial`` a 0 al final;
    - ``tercios``: ``sigma_inicial`` el primer tercio, la mitad el segundo y 0 el último.
    """
    if programa not in PROGRAMAS_RUIDO:
        raise ValueError(f"programa_ruido={programa!r} no es válido: usa uno de {PROGRAMAS_RUIDO}.")
    progreso = min(max(progreso, 0.0), 1.0)
    if programa == "constante":
        return sigma_inicial
    if programa == "lineal":
        return sigma_inicial * (1.0 - progreso)
    return sigma_inicial * (1.0 if progreso < 1 / 3 else 0.5 if progreso < 2 / 3 else 0.0)


def comprobar_aumento(aumento):
    """Normaliza ``aumento`` (texto ``'color,traslacion,recorte'``, lista o ``None``) a una tupla."""
    if not aumento:
        return ()
    if not isinstance(aumento, (str, list, tuple)):
        raise ValueError(f"aumento={aumento!r} no es válido: usa un texto como 'color,traslacion,recorte' (o None, sin aumento).")
    partes = tuple(p.strip() for p in aumento.split(",")) if isinstance(aumento, str) else tuple(aumento)
    malas = [p for p in partes if p not in AUMENTOS]
    if malas:
        raise ValueError(f"aumento={aumento!r}: {malas} no existe; usa una combinación de {AUMENTOS}.")
    return partes


def aumentar(imagenes, aumento, uniforme):
    """Aumento diferenciable de un lote ``(n, alto, ancho, canales)`` en [-1, 1] (DiffAugment).

    Se aplica igual a reales y a generadas justo antes del discriminador; como todas las operaciones
    son diferenciables, el generador recibe gradiente a través de ellas y no aprende a imitar el
    aumento. Con pocos datos evita que D memorice el conjunto de entrenamiento.

    - ``color``: brillo ±0,5, saturación ×[0, 2] (solo en color) y contraste ×[0,5; 1,5], por imagen;
    - ``traslacion``: desplaza hasta 1/8 del lado, rellenando con 0;
    - ``recorte``: borra (pone a 0) un cuadrado de la mitad del lado en un lugar al azar.

    Los números al azar salen de ``uniforme(forma)``, float32 en [0, 1) (p. ej.
    ``lambda forma: keras.random.uniform(forma, seed=generador_de_semillas)``). ``aumento``: como en
    ``comprobar_aumento``.
    """
    aumento = comprobar_aumento(aumento)  # «traslación» o «Color» no harían nada, sin avisar
    if len(imagenes.shape) != 4:
        raise ValueError(f"aumentar recibe un lote de imágenes, de forma (n, alto, ancho, canales), y le llegó uno de forma "
                         f"{tuple(imagenes.shape)}: para una sola imagen, usa imagen[None].")
    if not callable(uniforme):
        raise ValueError(f"uniforme={uniforme!r} no es válido: debe ser una función que reciba una forma y devuelva números "
                         "al azar en [0, 1), p. ej. lambda forma: keras.random.uniform(forma).")
    n = tf.shape(imagenes)[0]
    alto, ancho, canales = imagenes.shape[1], imagenes.shape[2], imagenes.shape[3]

    def azar(*forma):
        # Sorteado en float32 y convertido: los mismos números con cualquier política de precisión.
        return tf.cast(uniforme((n, *forma)), imagenes.dtype)

    if "color" in aumento:
        imagenes = imagenes + (azar(1, 1, 1) - 0.5)
        if canales > 1:
            media = tf.reduce_mean(imagenes, axis=3, keepdims=True)
            imagenes = (imagenes - media) * (2.0 * azar(1, 1, 1)) + media
        media = tf.reduce_mean(imagenes, axis=[1, 2, 3], keepdims=True)
        imagenes = (imagenes - media) * (azar(1, 1, 1) + 0.5) + media
    if "traslacion" in aumento:
        margen = max(alto // 8, 1)
        relleno = tf.pad(imagenes, [[0, 0], [margen, margen], [margen, margen], [0, 0]])
        # Cada imagen lee filas y columnas desplazadas: gather es diferenciable y compila con XLA.
        desplazamientos = tf.cast(azar(2) * (2 * margen + 1), tf.int32)
        filas = tf.range(alto)[None, :] + desplazamientos[:, :1]
        columnas = tf.range(ancho)[None, :] + desplazamientos[:, 1:]
        imagenes = tf.gather(tf.gather(relleno, filas, axis=1, batch_dims=1), columnas, axis=2, batch_dims=1)
    if "recorte" in aumento:
        centros = azar(2) * tf.constant([alto, ancho], imagenes.dtype)
        filas = tf.cast(tf.range(alto), imagenes.dtype)[None, :, None]
        columnas = tf.cast(tf.range(ancho), imagenes.dtype)[None, None, :]
        dentro = tf.logical_and(
            tf.abs(filas - centros[:, :1, None]) < alto / 4, tf.abs(columnas - centros[:, None, 1:]) < ancho / 4
        )
        imagenes = imagenes * (1.0 - tf.cast(dentro, imagenes.dtype))[..., None]
    return imagenes


@keras.saving.register_keras_serializable(package="curso_gan")
class DesviacionMinilote(keras.layers.Layer):
    """Añade un canal con la desviación típica media del minilote (Karras et al., 2018).

    Si el generador colapsa, sus lotes tienen poca variedad: este canal se lo muestra al
    discriminador, que así puede castigarlo. Se calcula en grupos de ``grupo`` imágenes consecutivas
    (si alguien pasa reales y generadas unidas en un lote, cada grupo sigue siendo de una sola clase;
    ``GAN.train_step`` las pasa por separado). ``grupo``: un entero ≥ 2; el lote debe ser múltiplo de
    ``grupo``: ``GAN.fit`` lo comprueba antes de entrenar y la capa, en cada lote de tamaño conocido.
    """

    def __init__(self, grupo=4, **kwargs):
        super().__init__(**kwargs)
        exigir_enteros(("grupo", grupo, 2))  # con 1, la desviación de cada grupo sería siempre 0
        self.grupo = int(grupo)

    def call(self, x):
        if len(x.shape) != 4:
            raise ValueError(f"DesviacionMinilote recibe un lote de imágenes, de forma (n, alto, ancho, canales), y le "
                             f"llegó uno de forma {tuple(x.shape)}.")
        if x.shape[0] is not None and x.shape[0] % self.grupo:
            raise ValueError(f"Con desviacion_minilote, el discriminador calcula la variedad en grupos de {self.grupo} "
                             f"imágenes y le llegó un lote de {x.shape[0]}: pásale un número de imágenes múltiplo de "
                             f"{self.grupo} (p. ej. {self.grupo}, {2 * self.grupo} o {8 * self.grupo}).")
        forma = tf.shape(x)
        # En float32 aunque la política sea mixta: en float16 el 1e-8 vale 0 y, en zonas constantes
        # (el fondo de los dígitos), la raíz de una varianza nula da un gradiente inf · 0 = NaN.
        grupos = tf.reshape(tf.cast(x, tf.float32), (-1, self.grupo, forma[1], forma[2], forma[3]))
        desviacion = tf.sqrt(tf.math.reduce_variance(grupos, axis=1) + 1e-8)
        media = tf.cast(tf.reduce_mean(desviacion, axis=[1, 2, 3], keepdims=True), x.dtype)
        canal = tf.repeat(media, self.grupo, axis=0) * tf.ones_like(x[..., :1])
        return tf.concat([x, canal], axis=-1)

    def compute_output_shape(self, forma):
        return (*forma[:-1], forma[-1] + 1)

    def get_config(self):
        return {**super().get_config(), "grupo": self.grupo}


@keras.saving.register_keras_serializable(package="curso_gan")
class NormalizacionEspectral(keras.layers.SpectralNormalization):
    """Normalización espectral (Miyato et al., 2018) que calcula el núcleo normalizado en float32.

    La de Keras divide el núcleo por su mayor valor singular dentro del ámbito de autoconversión de la
    precisión mixta, es decir, en float16 o bfloat16, y escribe el resultado en el núcleo float32: en
    cada paso se perderían bits. Esta capa es float32 y sin autoconversión, así que la cuenta se hace
    en float32; la capa envuelta sigue calculando en la precisión de la política.
    """

    def __init__(self, layer, power_iterations=1, **kwargs):
        kwargs.pop("autocast", None)
        kwargs["dtype"] = "float32"
        super().__init__(layer, power_iterations=power_iterations, autocast=False, **kwargs)
