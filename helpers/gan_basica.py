"""La GAN mínima, para leer de principio a fin: dos pérdidas, una exactitud y un ``train_step``.

En cada paso de entrenamiento, con un lote real y uno generado:
1. el discriminador aprende a separarlos (solo se actualizan sus pesos);
2. el generador aprende a engañar al discriminador (solo se actualizan los pesos del generador: así
   se «congela» el discriminador, sin tocar ``trainable``).
Ambas etapas salen de la misma pasada hacia delante: se calculan los dos gradientes a la vez y cada
optimizador aplica el suyo.

Pérdidas desde logits (Goodfellow et al., 2014), en su versión «no saturante» para el generador.
``helpers.gan.GAN`` añade encima los estabilizadores (otras pérdidas, penalizaciones, aumento,
media móvil…) sin cambiar esta estructura.

Aquí queda lo que hay que leer para entender el entrenamiento (en el cuaderno 02 escribes tú el paso): las pérdidas,
el optimizador de DCGAN y ``GANBasica``, con sus dos redes, un optimizador por red en ``compile``, sus métricas y el
paso. Lo demás vive aparte, en módulos que no importan este: el ``fit`` en español, los pasos por llamada, la receta
y ``save``, en ``base_gan.BaseGAN``, de la que hereda ``GANBasica``; las comprobaciones de las redes y de los
optimizadores, en ``comprobaciones_gan``; el gradiente con varias réplicas, en ``replicas``. Lo que era público aquí
se importa de ellos, así que ``helpers.gan_basica.<nombre>`` sigue sirviendo.
"""

import keras
import tensorflow as tf

from .base_gan import BaseGAN
from .comprobaciones_gan import (comprobar_muestreo, comprobar_optimizadores, comprobar_redes, comprobar_suavizado,
                                 entradas_de, forma_de_los_lotes, lista_de_callbacks, no_sirve)
from .opciones import es_real, exigir_semilla
from .replicas import despues_de, gradiente_de_replica

# Lo que se usa como helpers.gan_basica.<nombre>, aunque viva en los módulos que nombra el docstring.
__all__ = [
    "GANBasica", "comprobar_muestreo", "comprobar_suavizado", "despues_de", "entradas_de", "exactitud_discriminador",
    "forma_de_los_lotes", "gradiente_de_replica", "lista_de_callbacks", "optimizador_dcgan", "perdida_discriminador",
    "perdida_generador",
]


def perdida_discriminador(logits_reales, logits_falsos, suavizado=0.0):
    """Entropía cruzada binaria del discriminador: reales → 1 (o ``1 - suavizado``), generadas → 0.

    ``logits_*``: tensores ``(n, 1)`` de números reales (sin sigmoide). ``suavizado`` es el suavizado
    unilateral de etiquetas (Salimans et al., 2016): solo se rebaja la etiqueta de las reales, p. ej. a
    0,9, para que el discriminador no se vuelva demasiado seguro. Devuelve un escalar: la pérdida
    media sobre reales más la pérdida media sobre generadas.
    """
    objetivo_real = 1.0 - suavizado
    # BCE(logit, y) = softplus(logit) - y·logit, estable para logits grandes.
    perdida_reales = tf.reduce_mean(tf.nn.softplus(logits_reales) - objetivo_real * logits_reales)
    return perdida_reales + tf.reduce_mean(tf.nn.softplus(logits_falsos))


def perdida_generador(logits_falsos):
    """Pérdida no saturante del generador: ``-log D(G(z))`` = ``softplus(-logit)``, en media."""
    return tf.reduce_mean(tf.nn.softplus(-logits_falsos))


def exactitud_discriminador(logits_reales, logits_falsos, umbral=0.0):
    """Fracción de aciertos del discriminador (real si logit > ``umbral``) sobre reales y generadas juntas."""
    aciertos = tf.concat([tf.cast(logits_reales > umbral, tf.float32), tf.cast(logits_falsos <= umbral, tf.float32)], 0)
    return tf.reduce_mean(aciertos)


def optimizador_dcgan(tasa=2e-4, beta_1=0.5, nombre="tasa"):
    """Adam con tasa de aprendizaje ``tasa`` y ``beta_1``; por defecto lr = 2e-4 y β1 = 0,5, los valores
    del artículo DCGAN (Radford et al., 2016). ``nombre``: cómo llama a la tasa quien la recibe, para
    el mensaje si no es un número positivo o 0 (Keras rechaza en inglés hasta un entero como 1)."""
    if not es_real(beta_1, 0, menor_que=1):
        raise ValueError(f"beta_1={beta_1!r} no es válido: es un número de 0 a 1, sin llegar a 1 (p. ej. 0,5).")
    if isinstance(tasa, keras.optimizers.schedules.LearningRateSchedule):  # una tasa que cambia con los pasos
        if valor := no_sirve(float(keras.ops.convert_to_numpy(tasa(0)))):
            raise ValueError(f"El programa de {nombre} empieza con una tasa que {valor}: debe ser un número positivo "
                             "y finito (p. ej. 2e-4), o 0 para dejar esa red quieta.")
        return keras.optimizers.Adam(learning_rate=tasa, beta_1=beta_1)
    if not es_real(tasa, 0):
        raise ValueError(f"{nombre}={tasa!r} no es válida: la tasa de aprendizaje es un número positivo (p. ej. "
                         "2e-4), o 0 para dejar esa red quieta.")
    return keras.optimizers.Adam(learning_rate=float(tasa), beta_1=beta_1)


class GANBasica(BaseGAN):
    """Une un generador y un discriminador; ``compile`` recibe un optimizador para cada uno.

    - ``generador``: ``keras.Model`` de ``(dim_latente,)`` a imágenes ``(alto, ancho, canales)`` en [-1, 1];
    - ``discriminador``: ``keras.Model`` de imágenes a un logit ``(1,)``;
    - ``semilla``: entero que fija la secuencia de vectores latentes del entrenamiento.

    Métricas que muestra ``fit`` en su línea de progreso: ``perdida_g``, ``perdida_d`` y ``exactitud_d``. El ``fit``
    en español y lo demás que no es el paso de entrenamiento los hereda de ``BaseGAN``.
    """

    # Entradas de cada red: G recibe el vector latente y D, la imagen (en GANCondicional, también la etiqueta).
    entradas_por_red = 1

    def __init__(self, generador, discriminador, semilla=0, **kwargs):
        comprobar_redes(type(self), generador, discriminador, kwargs)  # antes que Keras, que lo diría en inglés
        super().__init__(**kwargs)
        self.generador = generador
        self.discriminador = discriminador
        self.dim_latente = generador.input_shape[-1]
        # None: otros vectores latentes en cada ejecución
        self.generador_aleatorio = keras.random.SeedGenerator(exigir_semilla(semilla, none_es_azar=True))
        self.seguidor_perdida_g = keras.metrics.Mean(name="perdida_g")
        self.seguidor_perdida_d = keras.metrics.Mean(name="perdida_d")
        self.seguidor_exactitud_d = keras.metrics.Mean(name="exactitud_d")
        # Las dos redes ya están construidas: así Keras no intenta construir la GAN pasándole un lote
        # de imágenes como si fueran vectores latentes (lo haría con varias GPU).
        self.built = True

    def compile(self, opt_generador=None, opt_discriminador=None, **kwargs):
        """Guarda un optimizador para cada red (por defecto Adam 2e-4, β1 = 0,5)."""
        comprobar_optimizadores(opt_generador, opt_discriminador, self.generador, self.discriminador)
        super().compile(**kwargs)
        self.opt_generador = opt_generador or optimizador_dcgan()
        self.opt_discriminador = opt_discriminador or optimizador_dcgan()
        # Con una sola réplica, en el primer paso: así el ejercicio del cuaderno 02 explica a qué variables aplicó
        # un optimizador (Keras solo diría «Unknown variable» si ya estuviera construido con las de su red).
        if self.distribute_strategy.num_replicas_in_sync > 1:
            self.construir_optimizadores()
        # La que se pidió: un callback puede cambiar la tasa durante el entrenamiento (un decaimiento).
        self.receta_al_compilar = self.receta()

    @property
    def metrics(self):
        return [self.seguidor_perdida_g, self.seguidor_perdida_d, self.seguidor_exactitud_d]

    def call(self, z, training=False):
        return self.generador(z, training=training)

    def ruido_latente(self, n):
        """``n`` vectores latentes ``(n, dim_latente)`` de una normal estándar."""
        return self._al_azar(keras.random.normal, (n, self.dim_latente))

    def train_step(self, datos):
        reales = datos[0] if isinstance(datos, tuple) else datos
        z = self.ruido_latente(tf.shape(reales)[0])

        # Una sola pasada hacia delante sirve a las dos redes; cada cinta deriva respecto de la suya.
        with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:
            falsas = self.generador(z, training=True)
            logits_reales = self.discriminador(reales, training=True)
            logits_falsos = self.discriminador(falsas, training=True)
            perdida_d = perdida_discriminador(logits_reales, logits_falsos)
            perdida_g = perdida_generador(logits_falsos)
        return self.aplicar_paso(cinta_g, cinta_d, perdida_g, perdida_d, logits_reales, logits_falsos)

    def aplicar_paso(self, cinta_g, cinta_d, perdida_g, perdida_d, logits_reales, logits_falsos):
        """Segunda mitad de ``train_step``: aplica los gradientes de cada red y anota las métricas."""
        # Cada optimizador solo actualiza las variables de su red: la otra queda «congelada».
        variables_d = self.discriminador.trainable_variables
        self.opt_discriminador.apply(gradiente_de_replica(cinta_d, perdida_d, variables_d), variables_d)
        variables_g = self.generador.trainable_variables
        with despues_de(self.opt_discriminador):
            self.opt_generador.apply(gradiente_de_replica(cinta_g, perdida_g, variables_g), variables_g)

        self.seguidor_perdida_d.update_state(perdida_d)
        self.seguidor_perdida_g.update_state(perdida_g)
        self.seguidor_exactitud_d.update_state(exactitud_discriminador(logits_reales, logits_falsos))
        return {m.name: m.result() for m in self.metrics}

    def generador_para_muestras(self):
        """La red que dibuja las muestras (en ``GAN``, la media móvil del generador si está activada)."""
        return self.generador

    def muestrear(self, n, semilla=None):
        """``n`` muestras de ``generador_para_muestras()`` en modo inferencia: float32 en [-1, 1]."""
        comprobar_muestreo(n, semilla)
        z = keras.random.normal((int(n), self.dim_latente), seed=None if semilla is None else int(semilla))
        return tf.cast(self.generador_para_muestras()(z, training=False), tf.float32)
