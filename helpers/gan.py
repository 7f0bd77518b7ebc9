"""La GAN del curso: ``GANBasica`` más los estabilizadores, la precisión mixta y varias GPU.

``GAN`` hereda de ``helpers.gan_basica.GANBasica`` (léela primero: su ``train_step`` es el núcleo) y
cambia solo lo que los estabilizadores necesitan:
- D ve reales, generadas y, con WGAN-GP, mezclas, con aumento y ruido de instancia; cada parte por
  separado, para que el gradiente de G no recorra D por las reales;
- la pérdida elegida más las penalizaciones de gradiente;
- D puede saltarse pasos (``exactitud_objetivo_d``) y G puede llevar una media móvil de sus pesos;
- con ``mixed_float16`` las pérdidas se escalan (``LossScaleOptimizer``); con varias réplicas
  (``tf.distribute``) cada una aporta su parte del gradiente medio con ``replicas.gradiente_de_replica``, como
  en ``GANBasica``.
``crear_gan`` construye y compila la receta por defecto; ``helpers.entrenamiento.entrenar`` la entrena guardando todo.
"""

import contextlib
import functools
import inspect
import warnings

import keras
import numpy as np
import tensorflow as tf

from .comprobaciones_gan import comprobar_suavizado, forma_de_los_lotes, lista_de_callbacks
from .entorno import estrategia_por_defecto, jit_por_defecto
from .estabilizadores import (
    PERDIDAS,
    DesviacionMinilote,
    aumentar,
    comprobar_aumento,
    norma_cuadrada_por_muestra,
    perdidas_adversarias,
    sigma_ruido,
)
from .gan_basica import GANBasica, exactitud_discriminador, optimizador_dcgan
from .modelos import construir_discriminador, construir_generador
from .opciones import es_real, exigir_booleano
from .replicas import despues_de, gradiente_de_replica

# Pasos por llamada a TensorFlow en ``GAN.compile`` (``steps_per_execution``). Si no dividen los pasos de cada época,
# ``fit`` puede bajarlos a un divisor (ver ``BaseGAN.fit``); por eso ``tarea`` da a cada época de una colección
# grande un múltiplo de este número de pasos.
PASOS_POR_LLAMADA = 8
# Lo que ``entrenar`` y ``fit`` aconsejan tras un NaN a quien entrena una GAN de ``crear_gan`` desde Python.
CONSEJO_NAN = ("Prueba una tasa de aprendizaje menor: crear_gan(..., lr_generador=1e-4, lr_discriminador=1e-4) "
               "y entrena de nuevo.")


def _escala_de_perdida(optimizador):
    """Factor por el que ``optimizador.scale_loss`` multiplica la pérdida (1 sin precisión mixta)."""
    return optimizador.dynamic_scale if isinstance(optimizador, keras.optimizers.LossScaleOptimizer) else 1.0


def _con_escala(optimizador):
    """``optimizador`` envuelto en un ``LossScaleOptimizer``; si ya lo está (``gan.compile(gan.opt_generador, …)``
    en precisión mixta), tal cual: dos escalas anidadas dividirían los gradientes por una que nunca se aplicó."""
    if isinstance(optimizador, keras.optimizers.LossScaleOptimizer):
        return optimizador
    return keras.optimizers.LossScaleOptimizer(optimizador)


class GAN(GANBasica):
    """``GANBasica`` con estabilizadores (todos desactivados por defecto; ver ``helpers.estabilizadores``):

    - ``perdida``: ``'no_saturante'``, ``'bisagra'`` o ``'wasserstein'``;
    - ``suavizado_etiquetas``: suavizado unilateral (solo con la no saturante), 0 o p. ej. 0,1;
    - ``ruido_instancia``: desviación típica inicial del ruido gaussiano que se suma antes de D (en
      unidades de [-1, 1], p. ej. 0,1), con ``programa_ruido`` ``'constante'``, ``'lineal'`` (baja a 0
      al final de ``fit``) o ``'tercios'``; ``ruido_solo_reales=True`` lo suma solo a las reales
      (la variante que probó la bitácora del estudiante: D aprende a separar por el ruido);
    - ``penalizacion_r1``: γ de R1, ``γ/2·E‖∇D(x)‖²`` sobre las reales (p. ej. 1 a 10);
    - ``penalizacion_gradiente``: λ de WGAN-GP, ``λ·E(‖∇D(x̂)‖ - 1)²`` en mezclas de real y generada (10);
    - ``aumento``: aumento diferenciable, p. ej. ``'color,traslacion,recorte'`` (DiffAugment);
    - ``exactitud_objetivo_d``: si se da (p. ej. 0,75), D solo se actualiza mientras su exactitud
      media reciente no supere ese valor: los pasos de D se adaptan para mantener el equilibrio;
    - ``media_movil``: si es > 0 (p. ej. 0,999), una copia del generador, ``generador_ema``, guarda la
      media móvil exponencial de sus pesos (Yazıcı et al., 2019); es la que dibuja, muestrea y se
      guarda. En el paso t el factor es ``min(media_movil, (1 + t) / (10 + t))``, para olvidar pronto
      el inicio.
    Las tasas distintas para G y D (TTUR) se eligen con los optimizadores de ``compile``; el dropout,
    la normalización espectral y la desviación del minilote, en ``construir_discriminador``.

    Métricas: ``perdida_g``, ``perdida_d`` (penalizaciones incluidas) y ``exactitud_d`` (con
    ``'wasserstein'``, respecto del punto medio entre la media de las reales y la de las generadas); además
    ``pasos_d``, la fracción de pasos en que se actualizó D, con ``exactitud_objetivo_d``, y
    ``penalizacion_d``, la parte de ``perdida_d`` que aportan R1 o WGAN-GP, si están activadas.
    """

    def __init__(
        self,
        generador,
        discriminador,
        perdida="no_saturante",
        suavizado_etiquetas=0.0,
        ruido_instancia=0.0,
        programa_ruido="lineal",
        ruido_solo_reales=False,
        penalizacion_r1=0.0,
        penalizacion_gradiente=0.0,
        aumento=None,
        exactitud_objetivo_d=None,
        media_movil=0.0,
        semilla=0,
        **kwargs,
    ):
        super().__init__(generador, discriminador, semilla=semilla, **kwargs)
        if perdida not in PERDIDAS:
            raise ValueError(f"perdida={perdida!r} no es válida: usa una de {PERDIDAS}.")
        comprobar_suavizado(suavizado_etiquetas)
        if suavizado_etiquetas and perdida != "no_saturante":
            raise ValueError(f"suavizado_etiquetas solo se aplica a perdida='no_saturante', no a {perdida!r}: ponlo a 0.")
        for nombre, valor in (("ruido_instancia", ruido_instancia), ("penalizacion_r1", penalizacion_r1), ("penalizacion_gradiente", penalizacion_gradiente)):
            if not es_real(valor, 0):
                raise ValueError(f"{nombre}={valor!r} no es válido: debe ser un número ≥ 0 y finito (0 = desactivado).")
        sigma_ruido(ruido_instancia, programa_ruido, 0.0)
        # Sin es_real, un texto («"0.75"») daba un TypeError en inglés al compararlo.
        if exactitud_objetivo_d is not None and not es_real(exactitud_objetivo_d, mayor_que=0.5, menor_que=1):
            raise ValueError(f"exactitud_objetivo_d={exactitud_objetivo_d!r} debe ser un número mayor que 0,5 y menor que 1 "
                             "(típico: 0,75).")
        if not es_real(media_movil, 0, menor_que=1):
            raise ValueError(f"media_movil={media_movil!r} debe ser un número entre 0 (desactivada) y 1 (típico: 0,999).")
        if perdida == "wasserstein" and not penalizacion_gradiente:
            warnings.warn(
                "perdida='wasserstein' sin penalizacion_gradiente: el crítico no está acotado y el "
                "entrenamiento suele divergir. Usa penalizacion_gradiente=10.",
                stacklevel=2,
            )
        self.perdida = perdida
        self.suavizado_etiquetas = suavizado_etiquetas
        self.ruido_instancia = ruido_instancia
        self.programa_ruido = programa_ruido
        self.ruido_solo_reales = exigir_booleano("ruido_solo_reales", ruido_solo_reales)
        if self.ruido_solo_reales and not ruido_instancia:  # si no, la receta sería la de sin ruido, sin aviso
            raise ValueError("ruido_solo_reales=True elige dónde va el ruido de instancia, pero ruido_instancia es 0: "
                             "da también su desviación, p. ej. ruido_instancia=0.1.")
        self.sigma_actual = keras.Variable(ruido_instancia, trainable=False, name="sigma_ruido")
        self.penalizacion_r1 = penalizacion_r1
        self.penalizacion_gradiente = penalizacion_gradiente
        self.aumento = comprobar_aumento(aumento)
        self.exactitud_objetivo_d = exactitud_objetivo_d
        self.exactitud_reciente_d = keras.Variable(0.5, trainable=False, name="exactitud_reciente_d")
        self.media_movil = media_movil
        self.generador_ema = None
        if media_movil:
            self.generador_ema = keras.models.clone_model(generador)
            self.generador_ema.set_weights(generador.get_weights())
        self.seguidor_pasos_d = keras.metrics.Mean(name="pasos_d")
        self.seguidor_penalizacion_d = keras.metrics.Mean(name="penalizacion_d")

    def receta(self):
        """La de ``BaseGAN`` y las opciones de los estabilizadores."""
        opciones = ("perdida", "suavizado_etiquetas", "ruido_instancia", "programa_ruido", "ruido_solo_reales",
                    "penalizacion_r1", "penalizacion_gradiente", "aumento", "exactitud_objetivo_d", "media_movil")
        return {**super().receta(), **{nombre: getattr(self, nombre) for nombre in opciones}}

    def compile(self, opt_generador=None, opt_discriminador=None, jit_compile="auto", **kwargs):
        """Un optimizador para cada red (por defecto Adam 2e-4, β1 = 0,5) y la compilación del paso.

        ``jit_compile="auto"`` compila con XLA en una GPU NVIDIA o AMD y no en CPU (ver ``entorno.jit_por_defecto``);
        ``steps_per_execution`` (8 por defecto; 1 con varias réplicas) agrupa pasos en cada llamada a TensorFlow; un
        ``fit`` con datos de ``a_dataset`` puede bajarlo, solo para él, a lo que divida sus lotes por época (con 9, 3:
        ver ``BaseGAN._un_iterador_para_todo``), y con un ``steps_per_epoch`` que no divide, a un divisor de este.
        Con la política ``mixed_float16`` cada optimizador se envuelve en ``LossScaleOptimizer``, que
        escala la pérdida para que los gradientes pequeños no se anulen en media precisión (uno ya envuelto,
        como los de ``gan.compile(gan.opt_generador, gan.opt_discriminador)``, no se envuelve otra vez).
        """
        if isinstance(jit_compile, str) and jit_compile == "auto":
            jit_compile = jit_por_defecto()
        elif isinstance(jit_compile, (bool, np.bool_)):
            jit_compile = bool(jit_compile)
        else:  # un texto como "no" activaba XLA, sin aviso
            raise ValueError(f"jit_compile={jit_compile!r} no es válido: usa \"auto\" (XLA solo en una GPU NVIDIA o AMD), "
                             "True o False, sin comillas.")
        # Varios pasos por llamada desde Python: con lotes pequeños, llamar a TensorFlow en cada paso
        # cuesta tanto como el paso (benchmarks/rendimiento_dcgan.py); Keras cuenta los pasos de 8 en 8.
        # Con varias réplicas, uno: el bucle de pasos de Keras falla dentro de MirroredStrategy
        # (tests/test_distribuido.py).
        varias_replicas = self.distribute_strategy.num_replicas_in_sync > 1
        kwargs.setdefault("steps_per_execution", 1 if varias_replicas else PASOS_POR_LLAMADA)
        super().compile(opt_generador, opt_discriminador, jit_compile=jit_compile, **kwargs)
        if keras.mixed_precision.dtype_policy().name == "mixed_float16":
            self.opt_generador = _con_escala(self.opt_generador)
            self.opt_discriminador = _con_escala(self.opt_discriminador)
        self.construir_optimizadores()

    @property
    def metrics(self):
        extra = [self.seguidor_pasos_d] if self.exactitud_objetivo_d else []
        if self.penalizacion_r1 or self.penalizacion_gradiente:
            extra.append(self.seguidor_penalizacion_d)
        return super().metrics + extra

    def generador_para_muestras(self):
        """La media móvil del generador si está activada; si no, el generador."""
        return self.generador_ema or self.generador

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, *args, **kwargs):
        """El ``fit`` de ``BaseGAN`` (que comprueba los datos con ``_comprobar_datos``), antes comprobando que
        los pasos adaptativos de D no se pidan con varias GPU; con ruido de instancia se añade el callback
        que sigue su programa."""
        if self.exactitud_objetivo_d and self.distribute_strategy.num_replicas_in_sync > 1:
            raise ValueError(
                "exactitud_objetivo_d (pasos de D adaptativos) no funciona con varias GPU: entrena con una "
                "sola (estrategia=None en crear_gan o en entrenar_carpeta, --una-gpu en la terminal) o quita "
                "la opción."
            )
        callbacks = lista_de_callbacks(callbacks)
        if self.ruido_instancia:
            callbacks.append(ProgramaRuido())
        return super().fit(x, y, batch_size, epochs, verbose, callbacks, *args, **kwargs)

    def _comprobar_datos(self, datos, lote=None):
        """Las comprobaciones de ``BaseGAN`` y, además, ``ValueError`` en español si el lote no es múltiplo
        de los grupos de ``DesviacionMinilote`` (el error de TensorFlow llegaría desde dentro del
        discriminador, en inglés)."""
        super()._comprobar_datos(datos, lote)
        forma = forma_de_los_lotes(datos)
        if hasattr(datos, "element_spec"):
            lotes = {forma[0]: "el lote"}
        elif forma[0]:  # una matriz: Keras la parte en lotes de ``batch_size`` (32 por defecto) y uno final más corto
            lote = lote or 32
            lotes = {min(lote, forma[0]): "el lote",
                     forma[0] % lote: "el último lote (las imágenes que sobran al repartir la matriz en lotes)"}
        else:
            lotes = {}
        grupos = [capa.grupo for capa in self.discriminador.layers if isinstance(capa, DesviacionMinilote)]
        # Cada GPU recibe su parte del lote, y es esa parte la que se agrupa.
        multiplo = grupos[0] * self.distribute_strategy.num_replicas_in_sync if grupos else 1
        if malo := next((n for n in lotes if n and n % multiplo), None):
            raise ValueError(
                f"Con desviacion_minilote cada lote debe tener un múltiplo de {multiplo} imágenes y {lotes[malo]} "
                f"tiene {malo}: pasa los datos con a_dataset(imagenes, lote) y un lote múltiplo de {multiplo} (descarta "
                "el lote incompleto; si hay menos imágenes que el lote, lo reduce a las que hay)."
            )

    def _entradas_discriminador(self, reales, falsas):
        """``[reales, generadas]`` con los estabilizadores que tocan las imágenes, más las mezclas de
        ambas cuando hay penalización WGAN-GP."""
        n = tf.shape(reales)[0]
        partes = [tf.cast(reales, falsas.dtype), falsas]
        por_muestra = [-1] + [1] * (falsas.shape.rank - 1)
        uniforme = functools.partial(self._al_azar, keras.random.uniform)
        if self.aumento:
            partes = [aumentar(parte, self.aumento, uniforme) for parte in partes]
        if self.ruido_instancia:
            forma = (n, *falsas.shape[1:])
            ruidos = [tf.cast(self.sigma_actual * self._al_azar(keras.random.normal, forma), falsas.dtype) for _ in partes]
            partes = [partes[0] + ruidos[0], partes[1] if self.ruido_solo_reales else partes[1] + ruidos[1]]
        if self.penalizacion_gradiente:
            mezcla = tf.reshape(tf.cast(uniforme((n,)), falsas.dtype), por_muestra)
            partes.append(mezcla * partes[0] + (1.0 - mezcla) * partes[1])
        return partes

    def _penalizaciones(self, gradientes):
        """Penalizaciones de gradiente sobre la entrada de D (se suman a la pérdida de D).

        ``gradientes``: lista con la derivada de la suma de los logits respecto de las reales (si hay
        R1) y de las mezclas (si hay WGAN-GP). Sin desviación del minilote cada logit depende solo de
        su imagen y cada fila es el gradiente de esa imagen; con ella, un logit también ve su grupo,
        y la fila suma esa pequeña influencia."""
        penalizacion = 0.0
        if self.penalizacion_r1:
            penalizacion += 0.5 * self.penalizacion_r1 * tf.reduce_mean(norma_cuadrada_por_muestra(gradientes[0]))
        if self.penalizacion_gradiente:
            normas = tf.sqrt(norma_cuadrada_por_muestra(gradientes[-1]) + 1e-12)
            penalizacion += self.penalizacion_gradiente * tf.reduce_mean(tf.square(normas - 1.0))
        return penalizacion

    def _aplicar(self, optimizador, cinta, perdida_escalada, red):
        variables = red.trainable_variables
        optimizador.apply(gradiente_de_replica(cinta, perdida_escalada, variables), variables)

    def train_step(self, datos):
        reales = datos[0] if isinstance(datos, tuple) else datos
        n = tf.shape(reales)[0]

        with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:
            falsas = self.generador(self.ruido_latente(n), training=True)
            entradas = self._entradas_discriminador(reales, falsas)
            # R1 mira las reales (la primera parte) y WGAN-GP las mezclas (la última).
            penalizadas = [i for i, activa in ((0, self.penalizacion_r1), (-1, self.penalizacion_gradiente)) if activa]
            with tf.GradientTape() as cinta_entrada:
                cinta_entrada.watch([entradas[i] for i in penalizadas])
                # D por separado sobre cada parte (no tiene normalización por lotes: da lo mismo que
                # juntas), para que el gradiente de G no recorra D hacia atrás por las reales.
                logits = [tf.cast(self.discriminador(x, training=True), tf.float32) for x in entradas]
                # Escalada como la pérdida: en float16 los gradientes respecto de la imagen se anularían.
                suma_penalizada = self.opt_discriminador.scale_loss(tf.add_n([tf.reduce_sum(logits[i]) for i in penalizadas] or [0.0]))
            logits_reales, logits_falsos = logits[0], logits[1]
            perdida_d, perdida_g = perdidas_adversarias(self.perdida, logits_reales, logits_falsos, self.suavizado_etiquetas)
            if penalizadas:
                escala = _escala_de_perdida(self.opt_discriminador)
                derivadas = cinta_entrada.gradient(suma_penalizada, [entradas[i] for i in penalizadas])
                gradientes = [tf.cast(g, tf.float32) / escala for g in derivadas]
                penalizacion = self._penalizaciones(gradientes)
                perdida_d += penalizacion
            # El escalado (precisión mixta) debe ocurrir dentro de la cinta para que tenga gradiente.
            escalada_d = self.opt_discriminador.scale_loss(perdida_d)
            escalada_g = self.opt_generador.scale_loss(perdida_g)
        # El crítico de Wasserstein no tiene un cero que separe real de generada (sumarle una constante no
        # cambia su pérdida): ahí el umbral es el punto medio entre la media de las reales y la de las generadas.
        umbral = 0.0
        if self.perdida == "wasserstein":
            umbral = (tf.reduce_mean(logits_reales) + tf.reduce_mean(logits_falsos)) / 2
        exactitud = exactitud_discriminador(logits_reales, logits_falsos, umbral)
        if self.exactitud_objetivo_d:
            actualizar_d = self.exactitud_reciente_d <= self.exactitud_objetivo_d
            tf.cond(actualizar_d, lambda: self._aplicar(self.opt_discriminador, cinta_d, escalada_d, self.discriminador), lambda: None)
            self.exactitud_reciente_d.assign(0.9 * self.exactitud_reciente_d + 0.1 * exactitud)
            self.seguidor_pasos_d.update_state(tf.cast(actualizar_d, tf.float32))
        else:
            self._aplicar(self.opt_discriminador, cinta_d, escalada_d, self.discriminador)
        with despues_de(self.opt_discriminador):
            self._aplicar(self.opt_generador, cinta_g, escalada_g, self.generador)
        if self.generador_ema:
            self._actualizar_media_movil()

        # Con mixed_float16, si la escala de la pérdida desborda el gradiente de la penalización, el
        # LossScaleOptimizer descarta ese paso de D y baja la escala: ese paso no cuenta en la media.
        paso_valido = 1.0
        if isinstance(self.opt_discriminador, keras.optimizers.LossScaleOptimizer):
            paso_valido = tf.cast(tf.math.is_finite(perdida_d), tf.float32)
        self.seguidor_perdida_d.update_state(tf.where(paso_valido > 0, perdida_d, 0.0), sample_weight=paso_valido)
        if self.penalizacion_r1 or self.penalizacion_gradiente:
            self.seguidor_penalizacion_d.update_state(tf.where(paso_valido > 0, penalizacion, 0.0), sample_weight=paso_valido)
        self.seguidor_perdida_g.update_state(perdida_g)
        self.seguidor_exactitud_d.update_state(exactitud)
        return {m.name: m.result() for m in self.metrics}

    def _actualizar_media_movil(self):
        # Al principio la media pesa menos (como ExponentialMovingAverage con num_updates): si no,
        # con 0,999 arrastraría durante miles de pasos los pesos aleatorios del inicio.
        paso = tf.cast(self.opt_generador.iterations, tf.float32)
        decaimiento = tf.minimum(self.media_movil, (1.0 + paso) / (10.0 + paso))
        for promedio, actual in zip(self.generador_ema.variables, self.generador.variables):
            promedio.assign(decaimiento * promedio + (1.0 - decaimiento) * actual)


class ProgramaRuido(keras.callbacks.Callback):
    """Al empezar cada época fija la desviación del ruido de instancia según ``programa_ruido``: la primera
    época va con todo el ruido y la última, con el del final (0 en ``lineal`` y ``tercios``); con una sola
    época, todo el ruido."""

    def on_epoch_begin(self, epoca, logs=None):
        gan = self.model
        progreso = epoca / max((self.params.get("epochs") or 1) - 1, 1)
        gan.sigma_actual.assign(sigma_ruido(gan.ruido_instancia, gan.programa_ruido, progreso))


# La receta del curso para conjuntos pequeños (rostros incluidos, tus propias imágenes): se usa como
# ``crear_gan(32, 1, **RECETA_POCOS_DATOS)`` con lotes de 32. Es solo un diccionario de opciones,
# así que puedes ver y cambiar cada una. Medida en benchmarks/calidad_rostros.py.
RECETA_POCOS_DATOS = {
    "ancho": 32,
    "aumento": "color,traslacion,recorte",
    "media_movil": 0.999,
}


def comprobar_opciones_gan(funcion, opciones):
    """``ValueError`` en español si ``opciones`` (lo que ``funcion`` pasa a ``GAN``) trae alguna que no
    es ni de ``funcion`` ni de ``GAN``: una errata llegaría a ``keras.Model`` y su error sale en inglés."""
    de_gan = set(inspect.signature(GAN.__init__).parameters) - {"self", "generador", "discriminador", "kwargs"} | {"name"}
    if desconocidas := sorted(set(opciones) - de_gan):
        propias = set(inspect.signature(funcion).parameters) - {"opciones"}
        raise ValueError(
            f"{funcion.__name__} no tiene {'la opción' if len(desconocidas) == 1 else 'las opciones'} "
            f"{', '.join(desconocidas)} (¿una errata?). Las que hay: {', '.join(sorted((propias | de_gan) - {'name'}))}."
        )


def suavizado_por_defecto(perdida):
    """El suavizado de etiquetas de las recetas del curso: 0,1 con la pérdida no saturante (la única
    que lo admite) y 0 con las demás."""
    return 0.1 if perdida == "no_saturante" else 0.0


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
    jit_compile="auto",
    estrategia="auto",
    **opciones,
):
    """La receta por defecto del curso, ya compilada: DCGAN de ``modelos``, Adam (β1 = 0,5) con una
    tasa de aprendizaje para cada red (TTUR si son distintas) y suavizado unilateral de etiquetas.

    La tasa por defecto, 4e-4, es el doble de la del artículo DCGAN: con los dígitos incluidos dio más
    muestras nítidas en una medida y no en otra (``benchmarks/README.md``; compáralo con
    ``benchmarks/calidad_digitos.py --lr 2e-4``).
    ``abandono``, ``normalizacion_espectral`` y ``desviacion_minilote`` van al discriminador; el resto
    de ``opciones`` (``perdida``, ``aumento``, ``ruido_instancia``, ``media_movil``…) a ``GAN``.
    ``jit_compile``: ``"auto"`` usa XLA en una GPU NVIDIA o AMD y no en CPU; ``True``/``False`` lo fuerzan.
    ``estrategia``: ``"auto"`` reparte cada lote entre todas las GPU visibles si hay más de una
    (``tf.distribute.MirroredStrategy``); ``None`` usa un solo dispositivo; o una estrategia de
    ``tf.distribute`` ya creada. Con varias réplicas el lote de ``fit`` es el total de todas ellas.
    """
    comprobar_opciones_gan(crear_gan, opciones)
    if estrategia == "auto":
        estrategia = estrategia_por_defecto()
    elif not (estrategia is None or isinstance(estrategia, tf.distribute.Strategy)):
        raise ValueError(f"estrategia={estrategia!r} no es válida: usa \"auto\" (todas las GPU visibles), None (un solo "
                         "dispositivo) o una estrategia de tf.distribute ya creada.")
    opciones.setdefault("suavizado_etiquetas", suavizado_por_defecto(opciones.get("perdida", "no_saturante")))
    with estrategia.scope() if estrategia else contextlib.nullcontext():
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
            opt_generador=optimizador_dcgan(lr_generador, beta_1, "lr_generador"),
            opt_discriminador=optimizador_dcgan(lr_discriminador, beta_1, "lr_discriminador"),
            jit_compile=jit_compile,
        )
    gan.consejo_si_nan = CONSEJO_NAN  # el que da fit si las pérdidas se vuelven NaN
    return gan
