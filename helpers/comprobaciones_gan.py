"""Lo que una GAN comprueba de lo que recibe, para que un error llegue en español y antes de entrenar, no en inglés
desde dentro de Keras o TensorFlow.

- ``comprobar_redes``: las redes y las opciones con que se crea la GAN (su ``__init__``); si las redes ya
  entrenaron en otra GAN, lo avisa;
- ``comprobar_optimizadores``: los optimizadores de ``compile``, uno por red y con una tasa de aprendizaje que sirva;
- ``comprobar_suavizado`` y ``comprobar_muestreo``: el suavizado de etiquetas y los argumentos de ``muestrear``;
- ``lista_de_callbacks`` y ``forma_de_los_lotes``: los callbacks y la forma de los datos de ``fit``;
- ``entradas_de``: las entradas de una red (también las miran ``condicional`` y ``lotes``);
- ``no_sirve``: por qué una tasa de aprendizaje no sirve (también lo dice ``optimizador_dcgan``).

Aquí no se comprueban los datos de ``fit`` (``BaseGAN._comprobar_datos``, que cada GAN amplía), las opciones de
``compile`` que van a Keras (``BaseGAN.compile``) ni las de los estabilizadores (``GAN``). No importa ``gan_basica``
ni ``base_gan``: los dos importan este.
"""

import inspect
import math

import keras

from .opciones import es_entero, es_real, exigir_semilla
from .textos import cifra, contar


def comprobar_redes(clase, generador, discriminador, opciones):
    """``ValueError`` en español, antes de crear una GAN de la ``clase`` dada, si ``opciones`` (los demás argumentos
    con nombre) trae alguna que no es suya ni de Keras, o si ``generador`` o ``discriminador`` no son un
    ``keras.Model``, piden más entradas de las que les da ``clase`` o el discriminador no da un logit por imagen.
    Si las redes ya entrenaron en otra GAN, lo avisa."""
    propias = set(inspect.signature(clase.__init__).parameters) - {"self", "kwargs"}
    if desconocidas := sorted(set(opciones) - {"name", "dtype", "trainable"}):
        raise ValueError(f"{clase.__name__} no tiene {', '.join(desconocidas)} (¿una errata?). "
                         f"Sus opciones: {', '.join(sorted(propias))}.")
    for red, modelo in (("generador", generador), ("discriminador", discriminador)):
        if not isinstance(modelo, keras.Model):
            recibido = (f"una función (¿la que lo construye? Llámala: mi_{red}())" if callable(modelo)
                        else type(modelo).__name__)
            raise ValueError(f"{red} debe ser un keras.Model y recibió {recibido}.")
    _comprobar_entradas(generador, discriminador, clase.__name__, clase.entradas_por_red)
    _comprobar_discriminador(discriminador)
    _avisar_si_ya_entrenaron(generador, discriminador)


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
    una sigmoide al final, las pérdidas de ``gan_basica`` se calcularían igual y la GAN entrenaría sin sentido."""
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


def comprobar_optimizadores(opt_generador, opt_discriminador, generador, discriminador):
    """``ValueError`` en español si los optimizadores que recibe ``compile`` no sirven: algo que no es un optimizador
    de Keras (o su clase, sin crear), una tasa de aprendizaje que no sirve (``_comprobar_tasa``), el mismo optimizador
    para las dos redes o uno ya construido para otras variables que las de ``generador`` o ``discriminador``.
    ``None`` sirve: ``compile`` pone entonces el del curso."""
    for nombre, optimizador in (("opt_generador", opt_generador), ("opt_discriminador", opt_discriminador)):
        if optimizador is not None and not isinstance(optimizador, keras.optimizers.Optimizer):
            recibido = ("la clase, sin crear: añade los paréntesis, p. ej. keras.optimizers.Adam(2e-4, beta_1=0.5)"
                        if isinstance(optimizador, type) else type(optimizador).__name__)
            raise ValueError(f"{nombre} debe ser un optimizador de Keras y recibió {recibido}.")
        _comprobar_tasa(nombre, optimizador)
    if opt_generador is not None and opt_generador is opt_discriminador:
        raise ValueError("opt_generador y opt_discriminador son el mismo optimizador: crea uno para cada red "
                         "(cada uno guarda el estado de las variables de la suya).")
    for nombre, optimizador, red in (("opt_generador", opt_generador, generador),
                                     ("opt_discriminador", opt_discriminador, discriminador)):
        _comprobar_sin_otras_variables(nombre, optimizador, red)


def no_sirve(tasa):
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
    if valor := no_sirve(float(tasa.numpy() if hasattr(tasa, "numpy") else tasa)):
        raise ValueError(f"La tasa de aprendizaje de {nombre} {valor}: debe ser un número positivo y finito "
                         "(p. ej. keras.optimizers.Adam(2e-4, beta_1=0.5)); para dejar esa red quieta, Adam(0.0).")


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


def comprobar_suavizado(suavizado_etiquetas):
    """``ValueError`` en español si el suavizado unilateral no está en [0, 0,5): con 0,5 o más, «real»
    valdría lo mismo o menos que «generada»."""
    # Sin es_real, un texto («"0.1"») daba un TypeError en inglés al compararlo.
    if not es_real(suavizado_etiquetas, 0, menor_que=0.5):
        raise ValueError(f"suavizado_etiquetas={suavizado_etiquetas!r} debe ser un número entre 0 y 0,5 (típico: 0,1).")


def comprobar_muestreo(n, semilla):
    """``ValueError`` en español si ``n`` (cuántas muestras) o ``semilla`` no sirven para ``muestrear``."""
    if not es_entero(n, 1):
        raise ValueError(f"n={n!r} no es válido: es cuántas muestras quieres, un entero positivo (p. ej. gan.muestrear(16)).")
    exigir_semilla(semilla, none_es_azar=True)  # 2**70 llegaría a Keras y fallaría en inglés


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
