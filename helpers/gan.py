"""La red generativa adversaria como ``keras.Model``: un ``train_step`` propio y se entrena con ``fit``.

En cada paso de entrenamiento, con un lote real y uno generado:
1. el discriminador aprende a separarlos (solo se actualizan sus pesos);
2. el generador aprende a engañar al discriminador (solo se actualizan los pesos del generador: así
   se «congela» el discriminador, sin tocar ``trainable``).
Ambas etapas salen de la misma pasada hacia delante, como en el tutorial DCGAN de TensorFlow: se
calculan los dos gradientes a la vez y cada optimizador aplica el suyo.

Pérdidas desde logits (Goodfellow et al., 2014), en su versión «no saturante» para el generador.
"""

from pathlib import Path

import keras
import tensorflow as tf

from .callbacks import HistorialPerdidas, MuestrasFijas, PuntoDeControl, restaurar_estado
from .entorno import limitar

EPOCAS_RAPIDAS = 20


def perdida_discriminador(logits_reales, logits_falsos, suavizado=0.0):
    """Entropía cruzada binaria del discriminador: reales → 1 (o ``1 - suavizado``), generadas → 0.

    ``suavizado`` es el suavizado unilateral de etiquetas (Salimans et al., 2016): solo se rebaja la
    etiqueta de las reales, p. ej. a 0,9, para que el discriminador no se vuelva demasiado seguro.
    Devuelve la suma de la pérdida media sobre reales y la pérdida media sobre generadas.
    """
    objetivo_real = 1.0 - suavizado
    # BCE(logit, y) = softplus(logit) - y * logit, estable para logits grandes.
    perdida_reales = tf.reduce_mean(tf.nn.softplus(logits_reales) - objetivo_real * logits_reales)
    perdida_falsos = tf.reduce_mean(tf.nn.softplus(logits_falsos))
    return perdida_reales + perdida_falsos


def perdida_generador(logits_falsos):
    """Pérdida no saturante del generador: ``-log D(G(z))`` = ``softplus(-logit)``, en media."""
    return tf.reduce_mean(tf.nn.softplus(-logits_falsos))


def precision_discriminador(logits_reales, logits_falsos):
    """Fracción de aciertos del discriminador (real si logit > 0) sobre reales y generadas juntas."""
    aciertos = tf.concat([tf.cast(logits_reales > 0, tf.float32), tf.cast(logits_falsos <= 0, tf.float32)], 0)
    return tf.reduce_mean(aciertos)


def _optimizador_por_defecto():
    """Adam con lr = 2e-4 y β1 = 0,5, los valores del artículo DCGAN."""
    return keras.optimizers.Adam(learning_rate=2e-4, beta_1=0.5)


class GAN(keras.Model):
    """Une un generador y un discriminador; ``compile`` recibe un optimizador para cada uno.

    - ``generador``: ``keras.Model`` de ``(dim_latente,)`` a la forma de los datos;
    - ``discriminador``: ``keras.Model`` de la forma de los datos a un logit ``(1,)``;
    - ``suavizado_etiquetas``: suavizado unilateral, 0 (desactivado) o p. ej. 0,1.
    - ``media_movil``: si es > 0 (p. ej. 0,995), se mantiene una copia del generador cuyos pesos son
      la media móvil exponencial de los del generador (Yazıcı et al., 2019). Esa copia,
      ``generador_ema``, es la que dibuja las muestras y se guarda: promedia las oscilaciones del
      juego adversario y da imágenes más nítidas, sin cambiar el entrenamiento.

    Métricas que muestra la barra de progreso: ``perdida_g``, ``perdida_d`` y ``precision_d``.
    """

    def __init__(self, generador, discriminador, suavizado_etiquetas=0.0, media_movil=0.0, semilla=0, **kwargs):
        super().__init__(**kwargs)
        if not 0.0 <= suavizado_etiquetas < 0.5:
            raise ValueError(f"suavizado_etiquetas={suavizado_etiquetas!r} debe estar entre 0 y 0,5 (típico: 0,1).")
        self.generador = generador
        self.discriminador = discriminador
        self.dim_latente = generador.input_shape[-1]
        self.suavizado_etiquetas = suavizado_etiquetas
        if not 0.0 <= media_movil < 1.0:
            raise ValueError(f"media_movil={media_movil!r} debe estar entre 0 (desactivada) y 1 (típico: 0,995).")
        self.media_movil = media_movil
        self.generador_ema = None
        if media_movil:
            self.generador_ema = keras.models.clone_model(generador)
            self.generador_ema.set_weights(generador.get_weights())
        self.semillas = keras.random.SeedGenerator(semilla)
        self.seguidor_perdida_g = keras.metrics.Mean(name="perdida_g")
        self.seguidor_perdida_d = keras.metrics.Mean(name="perdida_d")
        self.seguidor_precision_d = keras.metrics.Mean(name="precision_d")

    def compile(self, opt_generador=None, opt_discriminador=None, **kwargs):
        """Guarda un optimizador para cada red (por defecto Adam 2e-4, β1 = 0,5) y compila con XLA.

        Con la política ``mixed_float16`` cada optimizador se envuelve en ``LossScaleOptimizer``, que
        escala la pérdida para que los gradientes pequeños no se anulen en media precisión.
        """
        # Keras solo compila con XLA por defecto en GPU; en CPU también acelera este entrenamiento
        # de convoluciones pequeñas (ver benchmarks/rendimiento_dcgan.py). jit_compile=False lo quita.
        kwargs.setdefault("jit_compile", True)
        super().compile(**kwargs)
        self.opt_generador = opt_generador or _optimizador_por_defecto()
        self.opt_discriminador = opt_discriminador or _optimizador_por_defecto()
        if keras.mixed_precision.dtype_policy().name == "mixed_float16":
            self.opt_generador = keras.optimizers.LossScaleOptimizer(self.opt_generador)
            self.opt_discriminador = keras.optimizers.LossScaleOptimizer(self.opt_discriminador)

    @property
    def metrics(self):
        return [self.seguidor_perdida_g, self.seguidor_perdida_d, self.seguidor_precision_d]

    def call(self, z, training=False):
        return self.generador(z, training=training)

    def muestrear(self, n, semilla=None):
        """``n`` muestras del generador (modo inferencia), float32 en [-1, 1]."""
        z = keras.random.normal((n, self.dim_latente), seed=semilla)
        return self.generador(z, training=False)

    def generador_para_muestras(self):
        """La red que dibuja las muestras: la media móvil del generador si está activada, si no él mismo."""
        return self.generador_ema or self.generador

    def variables_de_estado(self):
        """Todo lo que un punto de control debe guardar para continuar exactamente donde se quedó:
        pesos de ambas redes, estado de ambos optimizadores y el estado del generador de ruido."""
        if not hasattr(self, "opt_generador"):
            raise RuntimeError("Llama a gan.compile(...) antes de guardar o restaurar un punto de control.")
        for optimizador, red in ((self.opt_generador, self.generador), (self.opt_discriminador, self.discriminador)):
            if not optimizador.built:
                optimizador.build(red.trainable_variables)
        return [
            *self.generador.variables,
            *self.discriminador.variables,
            *self.opt_generador.variables,
            *self.opt_discriminador.variables,
            *(self.generador_ema.variables if self.generador_ema else []),
            self.semillas.state,
        ]

    def _ruido(self, n):
        return keras.random.normal((n, self.dim_latente), seed=self.semillas)

    def _aplicar(self, optimizador, cinta, perdida_escalada, red):
        variables = red.trainable_variables
        optimizador.apply(cinta.gradient(perdida_escalada, variables), variables)

    def train_step(self, datos):
        reales = datos[0] if isinstance(datos, tuple) else datos
        n = tf.shape(reales)[0]

        # Una sola pasada hacia delante sirve a las dos etapas: el mismo lote generado da la pérdida
        # del discriminador y la del generador, y cada cinta deriva solo respecto de su red.
        with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:
            falsas = self.generador(self._ruido(n), training=True)
            # Reales y generadas en un solo lote: el discriminador no tiene normalización por
            # lotes, así que cada imagen se evalúa igual que por separado, pero más deprisa.
            logits = self.discriminador(tf.concat([tf.cast(reales, falsas.dtype), falsas], 0), training=True)
            logits_reales, logits_falsos = logits[:n], logits[n:]
            perdida_d = perdida_discriminador(logits_reales, logits_falsos, self.suavizado_etiquetas)
            perdida_g = perdida_generador(logits_falsos)
            # El escalado (precisión mixta) debe ocurrir dentro de la cinta para que tenga gradiente.
            escalada_d = self.opt_discriminador.scale_loss(perdida_d)
            escalada_g = self.opt_generador.scale_loss(perdida_g)
        self._aplicar(self.opt_discriminador, cinta_d, escalada_d, self.discriminador)
        self._aplicar(self.opt_generador, cinta_g, escalada_g, self.generador)
        if self.generador_ema:
            for promedio, actual in zip(self.generador_ema.variables, self.generador.variables):
                promedio.assign(self.media_movil * promedio + (1.0 - self.media_movil) * actual)

        self.seguidor_perdida_d.update_state(perdida_d)
        self.seguidor_perdida_g.update_state(perdida_g)
        self.seguidor_precision_d.update_state(precision_discriminador(logits_reales, logits_falsos))
        return {m.name: m.result() for m in self.metrics}


def crear_gan(
    tamano=16,
    canales=1,
    dim_latente=64,
    ancho=64,
    suavizado_etiquetas=0.1,
    media_movil=0.0,
    lr_generador=4e-4,
    lr_discriminador=4e-4,
):
    """La receta por defecto del curso, ya compilada: DCGAN de ``modelos``, Adam (β1 = 0,5) con una
    tasa de aprendizaje para cada red y suavizado unilateral de etiquetas.

    La tasa por defecto, 4e-4, es el doble de la del artículo DCGAN: con los dígitos incluidos llega
    antes a muestras nítidas (compárelo con ``benchmarks/calidad_digitos.py --lr 2e-4``)."""
    from .modelos import construir_discriminador, construir_generador

    gan = GAN(
        construir_generador(tamano, canales, dim_latente, ancho),
        construir_discriminador(tamano, canales, ancho),
        suavizado_etiquetas=suavizado_etiquetas,
        media_movil=media_movil,
    )
    gan.compile(
        opt_generador=keras.optimizers.Adam(lr_generador, beta_1=0.5),
        opt_discriminador=keras.optimizers.Adam(lr_discriminador, beta_1=0.5),
    )
    return gan


def entrenar(gan, datos, epocas, carpeta="resultados/gan", continuar=True, mostrar_cada=0, verbose="auto", callbacks=()):
    """Entrena ``gan`` con ``fit`` hasta ``epocas`` (en total) guardando todo bajo ``carpeta``.

    - Si ``continuar`` y ``carpeta`` tiene un punto de control, reanuda desde su última época con el
      estado de los optimizadores: una interrupción (Ctrl-C, desconexión de Colab) no pierde trabajo.
    - Escribe ``muestras/epoca_XXXX.png``, ``evolucion.gif``, ``historial.csv``, ``perdidas.png``,
      ``punto_de_control.npz`` y, al final, ``generador.keras``.
    - ``mostrar_cada``: cada cuántas épocas se muestra la cuadrícula en el cuaderno (0 = nunca).
    - En modo rápido entrena como mucho ``EPOCAS_RAPIDAS`` épocas.

    Devuelve el historial completo (también de las épocas anteriores a una reanudación):
    diccionario con listas ``perdida_g``, ``perdida_d`` y ``precision_d``.
    """
    if not isinstance(epocas, int) or epocas < 1:
        raise ValueError(f"epocas={epocas!r} debe ser un entero positivo (número total de épocas).")
    epocas = limitar(epocas, EPOCAS_RAPIDAS)
    carpeta = Path(carpeta)
    epoca_inicial = restaurar_estado(gan, carpeta) if continuar else 0
    if epoca_inicial >= epocas:
        print(f"El punto de control de {carpeta} ya tiene {epoca_inicial} épocas: no hay nada más que entrenar.")
    elif epoca_inicial:
        print(f"Reanudo desde la época {epoca_inicial} (punto de control en {carpeta}).")
    historial = HistorialPerdidas(carpeta, epoca_inicial)
    punto = PuntoDeControl(carpeta)
    gan.fit(
        datos,
        epochs=epocas,
        initial_epoch=epoca_inicial,
        shuffle=False,
        verbose=verbose,
        callbacks=[MuestrasFijas(carpeta, mostrar_cada=mostrar_cada), historial, punto, *callbacks],
    )
    if punto.inestable:
        restaurar_estado(gan, carpeta)
    gan.generador_para_muestras().save(carpeta / "generador.keras")
    return historial.historial
