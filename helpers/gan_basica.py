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
"""

import contextlib
import inspect
import math
import warnings
import weakref

import keras
import numpy as np
import tensorflow as tf

from .datos import (comprobar_dataset_gan, de_a_dataset, empezar_en_epoca, epoca_siguiente, epocas_seguidas,
                    imagenes_para_gan)
from .entorno import sin_registro_de_c
from .opciones import es_entero, es_real, exigir_enteros, exigir_semilla
from .progreso import DetenerSiNaN, LimiteDeTiempo, Progreso
from .textos import cifra, contar


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
        if valor := _no_sirve(float(keras.ops.convert_to_numpy(tasa(0)))):
            raise ValueError(f"El programa de {nombre} empieza con una tasa que {valor}: debe ser un número positivo "
                             "y finito (p. ej. 2e-4), o 0 para dejar esa red quieta.")
        return keras.optimizers.Adam(learning_rate=tasa, beta_1=beta_1)
    if not es_real(tasa, 0):
        raise ValueError(f"{nombre}={tasa!r} no es válida: la tasa de aprendizaje es un número positivo (p. ej. "
                         "2e-4), o 0 para dejar esa red quieta.")
    return keras.optimizers.Adam(learning_rate=float(tasa), beta_1=beta_1)


def comprobar_muestreo(n, semilla):
    """``ValueError`` en español si ``n`` (cuántas muestras) o ``semilla`` no sirven para ``muestrear``."""
    if not es_entero(n, 1):
        raise ValueError(f"n={n!r} no es válido: es cuántas muestras quieres, un entero positivo (p. ej. gan.muestrear(16)).")
    exigir_semilla(semilla, none_es_azar=True)  # 2**70 llegaría a Keras y fallaría en inglés


def comprobar_suavizado(suavizado_etiquetas):
    """``ValueError`` en español si el suavizado unilateral no está en [0, 0,5): con 0,5 o más, «real»
    valdría lo mismo o menos que «generada»."""
    # Sin es_real, un texto («"0.1"») daba un TypeError en inglés al compararlo.
    if not es_real(suavizado_etiquetas, 0, menor_que=0.5):
        raise ValueError(f"suavizado_etiquetas={suavizado_etiquetas!r} debe ser un número entre 0 y 0,5 (típico: 0,1).")


def _replicas():
    """Cuántas réplicas (``tf.distribute``) ejecutan este paso a la vez: 1 con un solo dispositivo."""
    return tf.distribute.get_strategy().num_replicas_in_sync


def gradiente_de_replica(cinta, perdida, variables):
    """El gradiente de ``perdida`` respecto de ``variables`` que aporta esta réplica. Con varias (``tf.distribute``),
    Keras suma los de todas: cada una da el suyo dividido por su número, y la suma es el de la media del lote
    completo. ``perdida`` puede venir escalada (``scale_loss`` de la precisión mixta): se divide igual."""
    return cinta.gradient(perdida, variables, output_gradients=tf.constant(1 / _replicas(), perdida.dtype))


def despues_de(optimizador):
    """Con varias réplicas, un bloque cuyas operaciones esperan a que ``optimizador`` haya aplicado su paso: cada
    optimizador suma sus gradientes entre las réplicas, y todas tienen que hacer esas sumas en el mismo orden (con
    varias GPU, en otro orden se quedarían esperándose). Con una sola, nada: las dos redes pueden ir a la vez."""
    if _replicas() > 1:
        return tf.control_dependencies([optimizador.iterations.value])
    return contextlib.nullcontext()


def entradas_de(red):
    """Las entradas de ``red`` (una lista de tensores simbólicos); ``()`` si no tiene definidas (un ``Sequential``
    sin ``Input`` o un modelo por subclase)."""
    try:
        return red.inputs or ()
    except AttributeError:
        return ()


def _comprobar_entradas(generador, discriminador, clase, entradas_por_red):
    """``ValueError`` en español si una red pide más entradas de las que le da la GAN ``clase``: las de una GAN
    condicional piden también la etiqueta, y Keras fallaría en inglés al entrenar o al muestrear."""
    for nombre, red, recibe in (("generador", generador, "z"), ("discriminador", discriminador, "imagen")):
        if (entradas := len(entradas_de(red))) > entradas_por_red:
            raise ValueError(
                f"El {nombre} recibe {entradas} entradas (¿[{recibe}, etiqueta], el de una GAN condicional?) y {clase} "
                f"solo le da {'el vector latente' if recibe == 'z' else 'la imagen'}: para una GAN condicional, usa "
                "GANCondicional(generador, discriminador) de helpers.condicional, como en el cuaderno 07."
            )


def _comprobar_discriminador(discriminador):
    """``ValueError`` en español si ``discriminador`` no da un logit por imagen: con otra forma o con
    una sigmoide al final, las pérdidas de arriba se calcularían igual y la GAN entrenaría sin sentido."""
    try:
        forma = discriminador.output_shape
    except (AttributeError, ValueError):  # un Sequential sin Input aún no tiene forma: Keras dirá lo suyo
        return
    if not isinstance(forma, tuple) or tuple(forma[1:]) != (1,):
        raise ValueError(f"El discriminador debe dar un logit por imagen, forma (n, 1), y da {forma}: termina en "
                         "Dense(1) (en un discriminador de proyección, suma con keepdims=True sobre un vector por imagen).")
    if getattr(getattr(discriminador.layers[-1], "activation", None), "__name__", "") == "sigmoid":
        raise ValueError("El discriminador termina en una sigmoide y las pérdidas del curso reciben logits (la "
                         "sigmoide va dentro de ellas): quita activation=\"sigmoid\" de su última capa.")


def _no_sirve(tasa):
    """Cómo decir por qué la tasa de aprendizaje ``tasa`` no sirve («vale -0,001», «es NaN»…), o ``""``."""
    if 0 <= tasa < math.inf:
        return ""
    return ("es NaN" if math.isnan(tasa) else "es infinita" if tasa == math.inf else "es menos infinito"
            if tasa == -math.inf else f"vale {cifra(tasa, significativas=3)}")


def _comprobar_tasa(nombre, optimizador):
    """``ValueError`` en español si la tasa de aprendizaje de ``optimizador`` (la de su programa al empezar, si
    tiene uno) es negativa, infinita o NaN: Keras la acepta y la GAN subiría la pérdida en lugar de bajarla, o se
    llenaría de NaN. También si Keras no sabe guardarla: ``receta`` y los puntos de control la guardan."""
    if optimizador is None:
        return
    try:
        getattr(optimizador, "inner_optimizer", optimizador).get_config()
    # Un objeto que se llama como una función, o un programa de tasa propio, sin get_config.
    except (TypeError, NotImplementedError):
        raise ValueError(f"La tasa de aprendizaje de {nombre} es un objeto que Keras no sabe guardar (le falta "
                         "get_config): usa un número o un programa de keras.optimizers.schedules (p. ej. "
                         "ExponentialDecay), o define get_config en el tuyo.") from None
    tasa = optimizador.learning_rate  # una variable, un tensor o, con una función o un programa propio, un float
    if valor := _no_sirve(float(tasa.numpy() if hasattr(tasa, "numpy") else tasa)):
        raise ValueError(f"La tasa de aprendizaje de {nombre} {valor}: debe ser un número positivo y finito "
                         "(p. ej. keras.optimizers.Adam(2e-4, beta_1=0.5)); para dejar esa red quieta, Adam(0.0).")


def _avisar_si_ya_entrenaron(generador, discriminador):
    """Si las redes ya entrenaron dentro de otra GAN (p. ej. la celda que crea la GAN ejecutada otra vez, sin las que
    crean las redes), lo dice: la nueva empieza desde esos pesos, no desde el azar, y sin su optimizador."""
    for red in (generador, discriminador):
        anterior = getattr(red, "_gan_que_la_entrena", lambda: None)()
        if anterior is not None and (pasos := int(anterior.opt_generador.iterations.numpy())):
            print(f"Aviso: estas redes ya se entrenaron en otra GAN ({contar(pasos, 'paso', 'pasos')}): la nueva sigue desde "
                  "sus pesos, no desde el azar. Para empezar de cero, vuelve a ejecutar también las celdas que crean el "
                  "generador y el discriminador.")
            return


def _comprobar_sin_otras_variables(nombre, optimizador, red):
    """``ValueError`` en español si ``optimizador`` ya se construyó para otras variables que las de ``red`` (p. ej.
    creado en otra celda y usado con la GAN anterior): Keras no deja cambiárselas y fallaría en el primer paso, en
    inglés («Unknown variable»)."""
    interno = getattr(optimizador, "inner_optimizer", optimizador)
    if not getattr(interno, "built", False):
        return
    conocidas = {id(variable) for variable in getattr(interno, "_trainable_variables", ())}
    if any(id(variable) not in conocidas for variable in red.trainable_variables):
        raise ValueError(f"{nombre} ya se usó con otra red (¿lo creaste en otra celda y has vuelto a crear la GAN?), y un "
                         "optimizador de Keras no puede cambiar de variables: crea uno nuevo para esta GAN, p. ej. "
                         f"{nombre}=keras.optimizers.Adam(2e-4, beta_1=0.5), en la misma celda que la GAN.")


def lista_de_callbacks(callbacks):
    """``callbacks`` como lista nueva: también uno suelto (como en el ``fit`` de Keras) o ``None``. ``ValueError``
    en español si algo no es un callback de Keras ya creado (Python fallaría en inglés, tras borrar o entrenar)."""
    lista = [] if callbacks is None else list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks]
    for callback in lista:
        if not isinstance(callback, keras.callbacks.Callback):
            recibido = (f"la clase {callback.__name__}, sin crear: añade los paréntesis, p. ej. {callback.__name__}(…)"
                        if isinstance(callback, type) else type(callback).__name__)
            raise ValueError(f"callbacks lleva callbacks de Keras, p. ej. [helpers.LimiteDeTiempo(30)], y recibió {recibido}.")
    return lista


def _mayor_divisor(numero, hasta):
    """El mayor divisor de ``numero`` que no pasa de ``hasta``: los pasos por llamada con los que cada época es un
    número entero de llamadas."""
    return max(d for d in range(1, hasta + 1) if numero % d == 0)


class _ContarEpocas(keras.callbacks.Callback):
    """Con ``datos.epocas_seguidas``, la época que dará el próximo recorrido de ``datos`` avanza al empezar cada
    época de ``fit``, como si la recorriera: si ``fit`` para antes (``LimiteDeTiempo``, un NaN, Ctrl-C), el próximo
    sigue con la época siguiente a la última que empezó."""

    def __init__(self, datos, primera):
        super().__init__()
        self.datos, self.siguiente = datos, primera

    def on_epoch_begin(self, epoca, logs=None):
        self.siguiente += 1
        empezar_en_epoca(self.datos, self.siguiente)


class _DevolverLaEpoca(keras.callbacks.Callback):
    """Con un iterador de ``datos`` por época y una estrategia (varias réplicas), Keras saca un lote de un iterador que
    luego tira, para construir el modelo dentro de ella, y ese recorrido cuenta como una época de ``datos``: al empezar
    el entrenamiento, su época siguiente vuelve a ser la de antes de ``fit``."""

    def __init__(self, datos):
        super().__init__()
        self.datos, self.epoca = datos, epoca_siguiente(datos)

    def on_train_begin(self, logs=None):
        empezar_en_epoca(self.datos, self.epoca)


def forma_de_los_lotes(datos):
    """La forma de ``datos`` (un ``tf.data.Dataset`` o una matriz) como tupla, ``None`` donde no se sabe; de un
    ``tf.data.Dataset`` de parejas ``(imágenes, etiquetas)``, la de las imágenes, las que toma ``train_step``."""
    forma = getattr(datos, "element_spec", datos)
    if hasattr(datos, "element_spec") and isinstance(forma, tuple) and forma:
        forma = forma[0]
    forma = getattr(forma, "shape", None)
    if forma is None or getattr(forma, "rank", 0) is None:  # sin forma (p. ej. una lista) o de rango desconocido
        return (None,)
    return tuple(forma)


class GANBasica(keras.Model):
    """Une un generador y un discriminador; ``compile`` recibe un optimizador para cada uno.

    - ``generador``: ``keras.Model`` de ``(dim_latente,)`` a imágenes ``(alto, ancho, canales)`` en [-1, 1];
    - ``discriminador``: ``keras.Model`` de imágenes a un logit ``(1,)``;
    - ``semilla``: entero que fija la secuencia de vectores latentes del entrenamiento.

    Métricas que muestra ``fit`` en su línea de progreso: ``perdida_g``, ``perdida_d`` y ``exactitud_d``.
    """

    # Lo que ``fit`` aconseja si las pérdidas se vuelven NaN (``DetenerSiNaN``); ``crear_gan`` y
    # ``crear_gan_juguete`` dan a sus GAN el suyo.
    consejo_si_nan = ("Prueba una tasa de aprendizaje menor: crea la GAN otra vez, compílala con "
                      "gan.compile(opt_generador=keras.optimizers.Adam(1e-4, beta_1=0.5), "
                      "opt_discriminador=keras.optimizers.Adam(1e-4, beta_1=0.5)) y vuelve a entrenarla.")

    # Entradas de cada red: G recibe el vector latente y D, la imagen (en GANCondicional, también la etiqueta).
    entradas_por_red = 1

    def __init__(self, generador, discriminador, semilla=0, **kwargs):
        propias = set(inspect.signature(type(self).__init__).parameters) - {"self", "kwargs"}
        if desconocidas := sorted(set(kwargs) - {"name", "dtype", "trainable"}):
            raise ValueError(f"{type(self).__name__} no tiene {', '.join(desconocidas)} (¿una errata?). "
                             f"Sus opciones: {', '.join(sorted(propias))}.")
        for red, modelo in (("generador", generador), ("discriminador", discriminador)):
            if not isinstance(modelo, keras.Model):
                recibido = (f"una función (¿la que lo construye? Llámala: mi_{red}())" if callable(modelo)
                            else type(modelo).__name__)
                raise ValueError(f"{red} debe ser un keras.Model y recibió {recibido}.")
        _comprobar_entradas(generador, discriminador, type(self).__name__, self.entradas_por_red)
        _comprobar_discriminador(discriminador)
        _avisar_si_ya_entrenaron(generador, discriminador)
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
        for nombre, optimizador in (("opt_generador", opt_generador), ("opt_discriminador", opt_discriminador)):
            if optimizador is not None and not isinstance(optimizador, keras.optimizers.Optimizer):
                recibido = ("la clase, sin crear: añade los paréntesis, p. ej. keras.optimizers.Adam(2e-4, beta_1=0.5)"
                            if isinstance(optimizador, type) else type(optimizador).__name__)
                raise ValueError(f"{nombre} debe ser un optimizador de Keras y recibió {recibido}.")
            _comprobar_tasa(nombre, optimizador)
        if opt_generador is not None and opt_generador is opt_discriminador:
            raise ValueError("opt_generador y opt_discriminador son el mismo optimizador: crea uno para cada red "
                             "(cada uno guarda el estado de las variables de la suya).")
        for nombre, optimizador, red in (("opt_generador", opt_generador, self.generador),
                                         ("opt_discriminador", opt_discriminador, self.discriminador)):
            _comprobar_sin_otras_variables(nombre, optimizador, red)
        if sobran := sorted(set(kwargs) & {"optimizer", "loss", "metrics", "loss_weights", "weighted_metrics"}):
            raise ValueError(f"Una GAN no usa {', '.join(sobran)} de compile: recibe un optimizador por red, "
                             "compile(opt_generador=…, opt_discriminador=…), y sus pérdidas están en train_step.")
        if desconocidas := sorted(set(kwargs) - set(inspect.signature(keras.Model.compile).parameters)):
            raise ValueError(f"compile no tiene {', '.join(desconocidas)} (¿una errata?): los optimizadores van en "
                             "opt_generador y opt_discriminador.")
        if self.distribute_strategy.num_replicas_in_sync > 1 and kwargs.get("steps_per_execution", 1) != 1:
            # Keras falla dentro de MirroredStrategy con varios pasos por llamada (keras-team/keras#19246), en inglés
            # y en el primer paso.
            raise ValueError(f"steps_per_execution={kwargs['steps_per_execution']!r} no funciona con varias GPU "
                             "(varias réplicas): quítalo (con varias réplicas se usa 1) o entrena con una sola GPU "
                             "(estrategia=None en crear_gan o en entrenar_carpeta, --una-gpu en la terminal).")
        super().compile(**kwargs)
        # Los pasos por llamada de los que parte cada fit (el valor de Keras puede bajar para los datos de un fit) y
        # los de la función de entrenamiento ya trazada (ninguna tras compile).
        self._pasos_de_compile, self._pasos_trazados = self.steps_per_execution, None
        self.opt_generador = opt_generador or optimizador_dcgan()
        self.opt_discriminador = opt_discriminador or optimizador_dcgan()
        # Con una sola réplica, en el primer paso: así el ejercicio del cuaderno 02 explica a qué variables aplicó
        # un optimizador (Keras solo diría «Unknown variable» si ya estuviera construido con las de su red).
        if self.distribute_strategy.num_replicas_in_sync > 1:
            self.construir_optimizadores()
        # La que se pidió: un callback puede cambiar la tasa durante el entrenamiento (un decaimiento).
        self.receta_al_compilar = self.receta()

    def construir_optimizadores(self):
        """Crea ya las variables de cada optimizador (en la estrategia de la GAN), no en el primer paso: con varias
        réplicas (``tf.distribute``) ese paso se ejecuta dentro de cada una y crearlas ahí falla, y en ``GAN`` D puede
        saltarse su actualización (``tf.cond``), y dentro de una rama tampoco se pueden crear. Construir uno ya
        construido no hace nada."""
        with self.distribute_strategy.scope():
            self.opt_generador.build(self.generador.trainable_variables)
            self.opt_discriminador.build(self.discriminador.trainable_variables)

    @property
    def metrics(self):
        return [self.seguidor_perdida_g, self.seguidor_perdida_d, self.seguidor_exactitud_d]

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, *args, **kwargs):
        """El ``fit`` de Keras con el avance en español (``Progreso``) en lugar de la barra de Keras:
        ``verbose=1`` o ``"auto"``, una línea que se rehace; ``2``, una línea por época; ``0``, nada.
        Sin validación: una GAN no tiene etiquetas que predecir. Si una pérdida se vuelve NaN o infinita,
        se detiene al terminar esa época y dice qué probar (``DetenerSiNaN``, con ``consejo_si_nan``). Un
        Ctrl-C (o parar la celda) lanza un ``KeyboardInterrupt`` que lo explica, sin la traza de TensorFlow.
        ``steps_per_epoch`` da esos pasos en cada época (los pasos por llamada bajan a un divisor si hace falta), y si
        pide más lotes de los que tienen los datos, un ``ValueError`` lo explica antes de entrenar. Cada ``fit`` parte
        de los pasos por llamada de ``compile`` (``steps_per_execution``): si los baja para sus datos, es solo para
        ese ``fit`` (después, ``gan.steps_per_execution`` dice los que usó)."""
        self.exigir_compilada()
        if x is None:
            raise ValueError("fit necesita los datos: p. ej. fit(helpers.a_dataset(imagenes, lote=64), epochs=10).")
        if isinstance(x, tf.data.Dataset) and y is not None:  # Keras lo rechazaría en inglés
            raise ValueError("Con un tf.data.Dataset, fit no recibe y: las etiquetas, si las hay, ya van en sus lotes (p. ej. "
                             "los de a_dataset_condicional(imagenes, etiquetas)). Quita el segundo argumento: "
                             "gan.fit(datos, epochs=…).")
        exigir_enteros(("epochs", epochs, 1))
        self._comprobar_datos(x, batch_size)
        firma = inspect.signature(keras.Model.fit)
        if desconocidas := sorted(set(kwargs) - set(firma.parameters)):
            raise ValueError(f"fit no tiene {', '.join(desconocidas)} (¿una errata?): p. ej. epochs, callbacks, verbose, "
                             "steps_per_epoch.")
        # Por nombre, también los que llegan en su posición (validation_split es el 7.º de Keras).
        opciones = firma.bind_partial(
            self, x, y, batch_size, epochs, verbose, callbacks, *args, **kwargs).arguments
        if opciones.get("validation_data") is not None or opciones.get("validation_split"):
            raise ValueError("Una GAN no se valida con validation_data ni validation_split (no hay etiquetas que "
                             "predecir): quítalos y mide las muestras con helpers.metricas (SWD, KID).")
        del opciones["self"]
        callbacks = opciones["callbacks"] = lista_de_callbacks(callbacks)
        for red in (self.generador, self.discriminador):  # para _avisar_si_ya_entrenaron (sin impedir que se libere)
            red._gan_que_la_entrena = weakref.ref(self)
        if not any(isinstance(c, DetenerSiNaN) for c in callbacks):  # entrenar ya trae el suyo (PuntoDeControl)
            callbacks.append(DetenerSiNaN(self.consejo_si_nan))
        if verbose and not any(isinstance(c, Progreso) for c in callbacks):
            limite = next((c.segundos for c in callbacks if isinstance(c, LimiteDeTiempo)), None)
            callbacks.append(Progreso(verbose, limite_segundos=limite))
        opciones["verbose"] = 0
        pedidos = opciones.get("steps_per_epoch")
        self.steps_per_execution = self._pasos_de_compile  # los que bajó un fit anterior eran para sus datos
        if isinstance(x, tf.data.Dataset):  # ya llega barajado (a_dataset); Keras avisaría en inglés de que lo ignora
            opciones["shuffle"] = False
            # Más pasos que lotes: Keras acortaría cada época a los que hay, con un aviso en inglés.
            if es_entero(pedidos, 1) and 0 <= (lotes := int(x.cardinality())) < pedidos:
                raise ValueError(f"steps_per_epoch={pedidos} pide más lotes de los que tiene una época de tus datos "
                                 f"({lotes}): cada época pararía al acabarlos. Quita steps_per_epoch (cada época recorre "
                                 "todos los lotes) o, para épocas más largas, repite los datos: datos.repeat().")
            if pedidos is None:
                self._un_iterador_para_todo(opciones)
            if opciones["x"] is x and de_a_dataset(x):  # un iterador por época (steps_per_epoch, o sin llamadas enteras)
                callbacks.append(_DevolverLaEpoca(x))
        if es_entero(pedidos, 1) and pedidos % self.steps_per_execution:
            # La última llamada de cada época daría todos sus pasos, más de los pedidos: llamadas que dividan la época.
            self.steps_per_execution = _mayor_divisor(pedidos, self.steps_per_execution)
        if self.steps_per_execution != self._pasos_trazados:
            self.train_function = None  # la ya trazada da en cada llamada otros pasos (o aún no hay ninguna)
        try:
            with warnings.catch_warnings():
                if opciones.get("steps_per_epoch") is None:  # datos de longitud desconocida: acabarlos es lo normal
                    warnings.filterwarnings("ignore", message="Your input ran out of data")
                return super().fit(**opciones)
        except BaseException as error:
            for callback in callbacks:
                if isinstance(callback, Progreso):
                    callback.cortar()
            if not isinstance(error, KeyboardInterrupt):
                raise
            # Sin la traza de TensorFlow (decenas de líneas que no le dicen nada a quien paró la celda).
            raise KeyboardInterrupt("Entrenamiento interrumpido: la GAN conserva lo que aprendió hasta aquí. Si vuelves "
                                    "a llamar a fit, sigue desde ahí; para empezar de cero, vuelve a crearla.") from None

    def exigir_compilada(self):
        """``ValueError`` en español si aún no se llamó a ``compile`` (Keras lo diría en inglés, tras preparar los datos)."""
        if not self.compiled:
            raise ValueError("Falta compilar la GAN: antes de fit, llama a gan.compile(opt_generador=…, "
                             "opt_discriminador=…) con un optimizador para cada red (o gan.compile() para los del curso).")

    def _un_iterador_para_todo(self, opciones):
        """Con los datos de ``a_dataset``, un solo iterador para todo ``fit``: Keras crea dos en cada época, y
        rehacerlos pesa tanto como los pasos de una época de pocas imágenes (``benchmarks/epocas_cortas.py``). Solo
        si cada época es un número entero de llamadas: si no, una llamada seguiría con los lotes de la época
        siguiente. Los pasos por llamada (los de ``compile``) bajan al mayor divisor de los lotes por época, si así
        cada época no hace más de una llamada más que antes (con 31 lotes serían 31 llamadas de un paso en lugar de 4,
        y cada llamada también cuesta), salvo que la función de entrenamiento ya esté trazada con más. Si no es un
        número entero de llamadas, un iterador por época."""
        datos = opciones["x"]
        lotes = int(datos.cardinality())
        if not de_a_dataset(datos) or lotes <= 0:
            return
        divisor = _mayor_divisor(lotes, self.steps_per_execution)  # la llamada más larga que cabe un número entero de veces
        if lotes // divisor <= -(-lotes // self.steps_per_execution) + 1:
            self.steps_per_execution = divisor
        # Con la ya trazada si da más pasos por llamada: no hace más llamadas, y trazarla otra vez costaría segundos (en
        # comparar_recetas, del tiempo de la receta, que la traza antes con un solo lote).
        self.steps_per_execution = max(self.steps_per_execution, self._pasos_trazados or 0)
        opciones["steps_per_epoch"] = lotes  # si no, Keras crea dos iteradores en cada época y no uno
        if lotes % self.steps_per_execution == 0:
            epocas = max(opciones.get("epochs", 1) - opciones.get("initial_epoch", 0), 1)
            opciones["x"], primera = epocas_seguidas(datos, epocas)
            opciones["callbacks"].append(_ContarEpocas(datos, primera))

    def _comprobar_datos(self, datos, lote=None):
        """``ValueError`` en español si las muestras de ``datos`` no tienen la forma de las del generador o si
        un ``tf.data.Dataset`` no viene en lotes (los errores de TensorFlow llegarían desde dentro del
        discriminador, en inglés). Si son imágenes, también que estén en [-1, 1] (en un ``tf.data``, su
        primer lote): en [0, 255], la GAN entrenaría sin avisar y sin aprender nada. ``lote``: el
        ``batch_size`` de ``fit``, para las subclases que lo necesitan."""
        esperada = tuple(self.generador.output_shape[1:])
        if len(esperada) == 3 and isinstance(datos, tf.data.Dataset):
            comprobar_dataset_gan(datos)
        elif len(esperada) == 3 and isinstance(datos, (np.ndarray, tf.Tensor, list, tuple)):
            imagenes_para_gan(datos, "fit")
        if isinstance(getattr(datos, "element_spec", None), dict):  # p. ej. los de tensorflow_datasets
            raise ValueError(
                f"El conjunto de datos da diccionarios (claves: {', '.join(map(str, datos.element_spec))}) y fit espera "
                "lotes de imágenes o parejas (imágenes, etiquetas): quédate con las imágenes, p. ej. "
                "datos.map(lambda ejemplo: ejemplo['image']), y pásalas a [-1, 1]."
            )
        forma = forma_de_los_lotes(datos)
        if hasattr(datos, "element_spec") and forma == esperada:
            raise ValueError(
                f"El conjunto de datos da muestras sueltas, de forma {forma}, sin agrupar en lotes: añade .batch(…) "
                "(p. ej. datos.batch(32)) o créalo con helpers.a_dataset(imagenes, lote) (a_dataset_juguete para la GAN "
                "de juguete), que baraja y agrupa."
            )
        forma = forma[1:]
        if forma and None not in forma and forma != esperada and len(esperada) == 1:  # la GAN de juguete: vectores
            raise ValueError(
                f"Los datos traen muestras de forma {forma} y el generador las hace de forma {esperada}: crea la GAN "
                "de juguete con dim_datos igual a la dimensión de tus datos (crear_gan_juguete(dim_datos=1) para la "
                "mezcla de 1-D, dim_datos=2 para el anillo)."
            )
        if forma and None not in forma and forma != esperada:
            raise ValueError(
                f"Los datos traen muestras de forma {forma} y el generador las hace de forma {esperada} (alto, "
                "ancho, canales): crea la GAN con redes del tamaño y los canales de tus imágenes (crear_gan(tamano, "
                "canales), o tu generador y tu discriminador con esa forma) o cárgalas a ese tamaño (p. ej. "
                "helpers.cargar_imagenes(..., tamano=...))."
            )

    def call(self, z, training=False):
        return self.generador(z, training=training)

    def make_train_function(self, force=False):
        if self.train_function is not None and not force:
            return self.train_function
        super().make_train_function(force)
        self._pasos_trazados = self.steps_per_execution
        # Al preparar la primera llamada, TensorFlow intenta fusionar convolución, sesgo y LeakyReLU, a
        # veces no puede (2.20, el de Colab) y lo cuenta en la celda en inglés («remapper failed: …
        # Mutation::Apply error»). Es inofensivo: esa llamada se hace sin la salida de error de C.
        funcion = self.train_function

        def primera_llamada(*args, **kwargs):
            self.train_function = funcion  # las siguientes, directas
            with sin_registro_de_c():
                return funcion(*args, **kwargs)

        self.train_function = primera_llamada
        return self.train_function

    def receta(self):
        """Lo que decide cómo entrena, aparte de las formas de las redes: ``{opción: valor}`` (valores de
        JSON). Un punto de control guarda la de ``compile`` y solo se reanuda con la misma
        (``punto_de_control.restaurar_estado``): la tasa de aprendizaje, p. ej., se guarda con el optimizador y
        seguir con la anterior sería callarlo."""
        receta = {"clase": type(self).__name__}
        for nombre in ("opt_generador", "opt_discriminador"):
            optimizador = getattr(self, nombre)
            optimizador = getattr(optimizador, "inner_optimizer", optimizador)  # sin el de la precisión mixta
            configuracion = optimizador.get_config()
            receta[nombre] = type(optimizador).__name__
            for clave in ("learning_rate", "beta_1", "beta_2"):
                if clave in configuracion:
                    receta[f"{nombre}.{clave}"] = configuracion[clave]
        return receta

    def ruido_latente(self, n):
        """``n`` vectores latentes ``(n, dim_latente)`` de una normal estándar."""
        return self._al_azar(keras.random.normal, (n, self.dim_latente))

    def _al_azar(self, distribucion, forma):
        """Números al azar (float32) de ``forma`` = ``(n, ...)`` para las ``n`` muestras de esta réplica.

        Con varias réplicas, cada una sortea los del lote completo y toma su trozo: si no, todas sortearían los
        mismos, y el entrenamiento repite así la secuencia de números de un solo dispositivo. Fuera de un paso (sin
        réplica, p. ej. dentro de ``estrategia.scope()``), los ``n`` pedidos, como con una."""
        contexto = tf.distribute.get_replica_context()
        replicas = contexto.num_replicas_in_sync if contexto else 1
        if replicas == 1:
            return distribucion(forma, seed=self.generador_aleatorio)
        n, replica = forma[0], contexto.replica_id_in_sync_group
        todos = distribucion((n * replicas, *forma[1:]), seed=self.generador_aleatorio)
        return todos[replica * n : (replica + 1) * n]

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

    def save(self, *args, **kwargs):
        raise TypeError(
            "Una GAN no se guarda entera: guarda el generador con gan.generador.save('generador.keras') "
            "(o gan.generador_para_muestras().save(...) si usas la media móvil). Para continuar un "
            "entrenamiento, usa helpers.entrenar, que guarda un punto de control en su carpeta."
        )
