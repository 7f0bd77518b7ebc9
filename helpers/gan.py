"""La red generativa adversaria como ``keras.Model``: un ``train_step`` propio y se entrena con ``fit``.

En cada paso de entrenamiento, con un lote real y uno generado:
1. el discriminador aprende a separarlos (solo se actualizan sus pesos);
2. el generador aprende a engañar al discriminador (solo se actualizan los pesos del generador: así
   se «congela» el discriminador, sin tocar ``trainable``).
Ambas etapas salen de la misma pasada hacia delante, como en el tutorial DCGAN de TensorFlow: se
calculan los dos gradientes a la vez y cada optimizador aplica el suyo.

Pérdidas desde logits (Goodfellow et al., 2014), en su versión «no saturante» para el generador.
"""

import warnings
from pathlib import Path

import keras
import tensorflow as tf

from .callbacks import HistorialPerdidas, MuestrasFijas, PuntoDeControl, SeguimientoMetrica, restaurar_estado
from .entorno import limitar
from .estabilizadores import (
    PERDIDAS,
    aumentar,
    comprobar_aumento,
    norma_cuadrada_por_muestra,
    perdidas_adversarias,
    sigma_ruido,
)

EPOCAS_RAPIDAS = 20


def perdida_discriminador(logits_reales, logits_falsos, suavizado=0.0):
    """Entropía cruzada binaria del discriminador: reales → 1 (o ``1 - suavizado``), generadas → 0.

    ``suavizado`` es el suavizado unilateral de etiquetas (Salimans et al., 2016): solo se rebaja la
    etiqueta de las reales, p. ej. a 0,9, para que el discriminador no se vuelva demasiado seguro.
    Devuelve la suma de la pérdida media sobre reales y la pérdida media sobre generadas.
    """
    return perdidas_adversarias("no_saturante", logits_reales, logits_falsos, suavizado)[0]


def perdida_generador(logits_falsos):
    """Pérdida no saturante del generador: ``-log D(G(z))`` = ``softplus(-logit)``, en media."""
    return perdidas_adversarias("no_saturante", logits_falsos, logits_falsos)[1]


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
    - ``discriminador``: ``keras.Model`` de la forma de los datos a un logit ``(1,)``.

    Estabilizadores (todos desactivados por defecto; ver ``helpers.estabilizadores``):
    - ``perdida``: ``'no_saturante'``, ``'bisagra'`` o ``'wasserstein'``;
    - ``suavizado_etiquetas``: suavizado unilateral (solo con la no saturante), 0 o p. ej. 0,1;
    - ``ruido_instancia``: desviación típica inicial del ruido gaussiano que se suma a reales y
      generadas antes de D (en unidades de [-1, 1], p. ej. 0,1), con ``programa_ruido``
      ``'constante'``, ``'lineal'`` (baja a 0 al final de ``fit``) o ``'tercios'``;
    - ``penalizacion_r1``: γ de R1, ``γ/2·E‖∇D(x)‖²`` sobre las reales (p. ej. 1 a 10);
    - ``penalizacion_gradiente``: λ de WGAN-GP, ``λ·E(‖∇D(x̂)‖ - 1)²`` en mezclas de real y generada (10);
    - ``aumento``: aumento diferenciable, p. ej. ``'color,traslacion,recorte'`` (DiffAugment);
    - ``precision_objetivo_d``: si se da (p. ej. 0,75), D solo se actualiza mientras su precisión
      media reciente no supere ese valor: los pasos de D se adaptan para mantener el equilibrio;
    - ``media_movil``: si es > 0 (p. ej. 0,999), una copia del generador, ``generador_ema``, guarda la
      media móvil exponencial de sus pesos (Yazıcı et al., 2019); es la que dibuja y se guarda. En
      el paso t el factor es ``min(media_movil, (1 + t) / (10 + t))``, para olvidar pronto el inicio.
    Las tasas distintas para G y D (TTUR) se eligen con los optimizadores de ``compile``; el dropout,
    la normalización espectral y la desviación del minilote, en ``construir_discriminador``.

    Métricas de la barra de progreso: ``perdida_g``, ``perdida_d`` y ``precision_d`` (y
    ``pasos_d``, la fracción de pasos en que se actualizó D, con ``precision_objetivo_d``).
    """

    def __init__(
        self,
        generador,
        discriminador,
        perdida="no_saturante",
        suavizado_etiquetas=0.0,
        ruido_instancia=0.0,
        programa_ruido="lineal",
        penalizacion_r1=0.0,
        penalizacion_gradiente=0.0,
        aumento=None,
        precision_objetivo_d=None,
        media_movil=0.0,
        semilla=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if perdida not in PERDIDAS:
            raise ValueError(f"perdida={perdida!r} no es válida: usa una de {PERDIDAS}.")
        if not 0.0 <= suavizado_etiquetas < 0.5:
            raise ValueError(f"suavizado_etiquetas={suavizado_etiquetas!r} debe estar entre 0 y 0,5 (típico: 0,1).")
        if suavizado_etiquetas and perdida != "no_saturante":
            raise ValueError(f"suavizado_etiquetas solo se aplica a perdida='no_saturante', no a {perdida!r}: ponlo a 0.")
        for nombre, valor in (("ruido_instancia", ruido_instancia), ("penalizacion_r1", penalizacion_r1), ("penalizacion_gradiente", penalizacion_gradiente)):
            if valor < 0:
                raise ValueError(f"{nombre}={valor!r} no puede ser negativo (0 = desactivado).")
        sigma_ruido(ruido_instancia, programa_ruido, 0.0)
        if precision_objetivo_d is not None and not 0.5 < precision_objetivo_d < 1.0:
            raise ValueError(f"precision_objetivo_d={precision_objetivo_d!r} debe estar entre 0,5 y 1 (típico: 0,75).")
        if not 0.0 <= media_movil < 1.0:
            raise ValueError(f"media_movil={media_movil!r} debe estar entre 0 (desactivada) y 1 (típico: 0,995).")
        if perdida == "wasserstein" and not penalizacion_gradiente:
            warnings.warn(
                "perdida='wasserstein' sin penalizacion_gradiente: el crítico no está acotado y el "
                "entrenamiento suele divergir. Usa penalizacion_gradiente=10.",
                stacklevel=2,
            )
        self.generador = generador
        self.discriminador = discriminador
        self.dim_latente = generador.input_shape[-1]
        self.perdida = perdida
        self.suavizado_etiquetas = suavizado_etiquetas
        self.ruido_instancia = ruido_instancia
        self.programa_ruido = programa_ruido
        self.sigma_actual = keras.Variable(ruido_instancia, trainable=False, name="sigma_ruido")
        self.penalizacion_r1 = penalizacion_r1
        self.penalizacion_gradiente = penalizacion_gradiente
        self.aumento = comprobar_aumento(aumento)
        self.precision_objetivo_d = precision_objetivo_d
        self.precision_reciente_d = keras.Variable(0.5, trainable=False, name="precision_reciente_d")
        self.media_movil = media_movil
        self.generador_ema = None
        if media_movil:
            self.generador_ema = keras.models.clone_model(generador)
            self.generador_ema.set_weights(generador.get_weights())
        self.semillas = keras.random.SeedGenerator(semilla)
        self.seguidor_perdida_g = keras.metrics.Mean(name="perdida_g")
        self.seguidor_perdida_d = keras.metrics.Mean(name="perdida_d")
        self.seguidor_precision_d = keras.metrics.Mean(name="precision_d")
        self.seguidor_pasos_d = keras.metrics.Mean(name="pasos_d")

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
        # Construidos aquí y no en el primer paso: D puede saltarse su actualización (tf.cond), y
        # dentro de una rama no se pueden crear variables.
        self.opt_generador.build(self.generador.trainable_variables)
        self.opt_discriminador.build(self.discriminador.trainable_variables)

    @property
    def metrics(self):
        seguidores = [self.seguidor_perdida_g, self.seguidor_perdida_d, self.seguidor_precision_d]
        return seguidores + ([self.seguidor_pasos_d] if self.precision_objetivo_d else [])

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
        return [
            *self.generador.variables,
            *self.discriminador.variables,
            *self.opt_generador.variables,
            *self.opt_discriminador.variables,
            *(self.generador_ema.variables if self.generador_ema else []),
            self.semillas.state,
            self.precision_reciente_d,
        ]

    def fit(self, *args, callbacks=None, **kwargs):
        """El ``fit`` de Keras; si hay ruido de instancia, añade el callback que sigue su programa."""
        # Los datos llegan como tf.data.Dataset ya barajado: sin esto Keras avisa en cada llamada.
        kwargs.setdefault("shuffle", False)
        callbacks = list(callbacks or [])
        if self.ruido_instancia:
            callbacks.append(ProgramaRuido())
        return super().fit(*args, callbacks=callbacks, **kwargs)

    def _ruido(self, n):
        return keras.random.normal((n, self.dim_latente), seed=self.semillas)

    def _entrada_discriminador(self, reales, falsas):
        """Reales y generadas en un solo lote, con los estabilizadores que tocan las imágenes, más
        las mezclas de ambas cuando hay penalización WGAN-GP."""
        lote = tf.concat([tf.cast(reales, falsas.dtype), falsas], 0)
        if self.aumento:
            lote = aumentar(lote, self.aumento, self.semillas)
        if self.ruido_instancia:
            lote = lote + self.sigma_actual * keras.random.normal(tf.shape(lote), seed=self.semillas, dtype=lote.dtype)
        if self.penalizacion_gradiente:
            n = tf.shape(reales)[0]
            mezcla = keras.random.uniform((n, 1, 1, 1), seed=self.semillas, dtype=lote.dtype)
            lote = tf.concat([lote, mezcla * lote[:n] + (1.0 - mezcla) * lote[n:]], 0)
        return lote

    def _penalizaciones(self, gradientes, n):
        """Penalizaciones de gradiente sobre la entrada de D (se suman a la pérdida de D).

        ``gradientes``: derivada de los logits de reales y mezclas respecto de la entrada de D; como
        cada logit depende solo de su imagen, cada fila es el gradiente de esa imagen."""
        penalizacion = 0.0
        if self.penalizacion_r1:
            penalizacion += 0.5 * self.penalizacion_r1 * tf.reduce_mean(norma_cuadrada_por_muestra(gradientes[:n]))
        if self.penalizacion_gradiente:
            normas = tf.sqrt(norma_cuadrada_por_muestra(gradientes[2 * n :]) + 1e-12)
            penalizacion += self.penalizacion_gradiente * tf.reduce_mean(tf.square(normas - 1.0))
        return penalizacion

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
            entrada = self._entrada_discriminador(reales, falsas)
            # Reales y generadas en un solo lote: el discriminador no tiene normalización por
            # lotes, así que cada imagen se evalúa igual que por separado, pero más deprisa.
            with tf.GradientTape() as cinta_entrada:
                cinta_entrada.watch(entrada)
                logits = tf.cast(self.discriminador(entrada, training=True), tf.float32)
                suma_penalizada = tf.reduce_sum(logits[:n]) + tf.reduce_sum(logits[2 * n :])
            logits_reales, logits_falsos = logits[:n], logits[n : 2 * n]
            perdida_d, perdida_g = perdidas_adversarias(self.perdida, logits_reales, logits_falsos, self.suavizado_etiquetas)
            if self.penalizacion_r1 or self.penalizacion_gradiente:
                perdida_d += self._penalizaciones(cinta_entrada.gradient(suma_penalizada, entrada), n)
            # El escalado (precisión mixta) debe ocurrir dentro de la cinta para que tenga gradiente.
            escalada_d = self.opt_discriminador.scale_loss(perdida_d)
            escalada_g = self.opt_generador.scale_loss(perdida_g)
        precision = precision_discriminador(logits_reales, logits_falsos)
        if self.precision_objetivo_d:
            actualizar_d = self.precision_reciente_d <= self.precision_objetivo_d
            tf.cond(actualizar_d, lambda: self._aplicar(self.opt_discriminador, cinta_d, escalada_d, self.discriminador), lambda: None)
            self.precision_reciente_d.assign(0.9 * self.precision_reciente_d + 0.1 * precision)
            self.seguidor_pasos_d.update_state(tf.cast(actualizar_d, tf.float32))
        else:
            self._aplicar(self.opt_discriminador, cinta_d, escalada_d, self.discriminador)
        self._aplicar(self.opt_generador, cinta_g, escalada_g, self.generador)
        if self.generador_ema:
            # Al principio la media pesa menos (como ExponentialMovingAverage con num_updates): si no,
            # con 0,999 arrastraría durante miles de pasos los pesos aleatorios del inicio.
            paso = tf.cast(self.opt_generador.iterations, tf.float32)
            decaimiento = tf.minimum(self.media_movil, (1.0 + paso) / (10.0 + paso))
            for promedio, actual in zip(self.generador_ema.variables, self.generador.variables):
                promedio.assign(decaimiento * promedio + (1.0 - decaimiento) * actual)

        self.seguidor_perdida_d.update_state(perdida_d)
        self.seguidor_perdida_g.update_state(perdida_g)
        self.seguidor_precision_d.update_state(precision)
        return {m.name: m.result() for m in self.metrics}


class ProgramaRuido(keras.callbacks.Callback):
    """Al empezar cada época fija la desviación del ruido de instancia según ``programa_ruido``."""

    def on_epoch_begin(self, epoca, logs=None):
        gan = self.model
        progreso = epoca / max(self.params.get("epochs") or 1, 1)
        gan.sigma_actual.assign(sigma_ruido(gan.ruido_instancia, gan.programa_ruido, progreso))


# La receta del curso para conjuntos pequeños (rostros incluidos, tus propias imágenes): se usa como
# ``crear_gan(32, 1, **RECETA_POCOS_DATOS)`` con lotes de 32. Es solo un diccionario de opciones,
# así que puedes ver y cambiar cada una. Medida en benchmarks/calidad_rostros.py.
RECETA_POCOS_DATOS = {
    "ancho": 32,
    "aumento": "color,traslacion,recorte",
    "media_movil": 0.999,
}


def crear_gan(
    tamano=16,
    canales=1,
    dim_latente=64,
    ancho=64,
    lr_generador=4e-4,
    lr_discriminador=4e-4,
    beta_1=0.5,
    abandono=0.0,
    normalizacion_espectral=False,
    desviacion_minilote=False,
    jit_compile=True,
    **opciones,
):
    """La receta por defecto del curso, ya compilada: DCGAN de ``modelos``, Adam (β1 = 0,5) con una
    tasa de aprendizaje para cada red (TTUR si son distintas) y suavizado unilateral de etiquetas.

    La tasa por defecto, 4e-4, es el doble de la del artículo DCGAN: con los dígitos incluidos llega
    antes a muestras nítidas (compáralo con ``benchmarks/calidad_digitos.py --lr 2e-4``).
    ``abandono``, ``normalizacion_espectral`` y ``desviacion_minilote`` van al discriminador; el resto
    de ``opciones`` (``perdida``, ``aumento``, ``ruido_instancia``, ``media_movil``…) a ``GAN``.
    ``jit_compile=False`` ahorra los segundos que XLA tarda en compilar el paso, a cambio de pasos
    más lentos: solo compensa en entrenamientos de unos pocos segundos.
    """
    from .modelos import construir_discriminador, construir_generador

    opciones.setdefault("suavizado_etiquetas", 0.1 if opciones.get("perdida", "no_saturante") == "no_saturante" else 0.0)
    gan = GAN(
        construir_generador(tamano, canales, dim_latente, ancho),
        construir_discriminador(
            tamano,
            canales,
            ancho,
            abandono=abandono,
            normalizacion_espectral=normalizacion_espectral,
            desviacion_minilote=desviacion_minilote,
        ),
        **opciones,
    )
    gan.compile(
        opt_generador=keras.optimizers.Adam(lr_generador, beta_1=beta_1),
        opt_discriminador=keras.optimizers.Adam(lr_discriminador, beta_1=beta_1),
        jit_compile=jit_compile,
    )
    return gan


def entrenar(
    gan,
    datos,
    epocas,
    carpeta="resultados/gan",
    continuar=True,
    mostrar_cada=0,
    reales_metrica=None,
    cada_metrica=10,
    verbose="auto",
    callbacks=(),
):
    """Entrena ``gan`` con ``fit`` hasta ``epocas`` (en total) guardando todo bajo ``carpeta``.

    - Si ``continuar`` y ``carpeta`` tiene un punto de control, reanuda desde su última época con el
      estado de los optimizadores: una interrupción (Ctrl-C, desconexión de Colab) no pierde trabajo.
    - Escribe ``muestras/epoca_XXXX.png``, ``evolucion.gif``, ``historial.csv``, ``perdidas.png``,
      ``punto_de_control.npz`` y, al final, ``generador.keras``.
    - ``mostrar_cada``: cada cuántas épocas se muestra la cuadrícula en el cuaderno (0 = nunca).
    - ``reales_metrica``: imágenes reales de reserva; si se dan, cada ``cada_metrica`` épocas se mide
      la SWD (``SeguimientoMetrica``) y se escriben ``metrica.csv``, ``metrica.png`` y
      ``mejor_generador.keras``.
    - En modo rápido entrena como mucho ``EPOCAS_RAPIDAS`` épocas.

    Devuelve el historial completo (también de las épocas anteriores a una reanudación):
    diccionario con listas ``perdida_g``, ``perdida_d`` y ``precision_d`` (y, si se midió, ``metrica``:
    la lista de registros con ``epoca``, ``segundos`` y ``valor``).
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
    seguimiento = []
    if reales_metrica is not None:
        # Al menos 4 mediciones aunque el modo rápido recorte las épocas: la curva tiene que verse.
        cada_metrica = max(1, min(cada_metrica, epocas // 4))
        seguimiento = [SeguimientoMetrica(reales_metrica, carpeta, cada_metrica, epoca_inicial=epoca_inicial)]
    gan.fit(
        datos,
        epochs=epocas,
        initial_epoch=epoca_inicial,
        verbose=verbose,
        # La métrica antes del punto de control: si se interrumpe, lo medido ya está guardado.
        callbacks=[MuestrasFijas(carpeta, mostrar_cada=mostrar_cada), historial, *seguimiento, punto, *callbacks],
    )
    if punto.inestable:
        restaurar_estado(gan, carpeta)
    gan.generador_para_muestras().save(carpeta / "generador.keras")
    resultado = historial.historial
    if seguimiento:
        resultado["metrica"] = seguimiento[0].registros
    return resultado
