"""El ejercicio del cuaderno 02: comprobar tu ``train_step`` con ``comprobar_paso(MiGAN)``.

Da un paso de tu ``train_step`` y otro del de ``GANBasica`` con los mismos pesos iniciales, el mismo lote real y
los mismos vectores latentes: mismas pérdidas, mismos gradientes aplicados por cada optimizador y mismas
estadísticas de normalización por lotes; después, que el paso se pueda compilar en un grafo, como hará ``fit``.
Devuelve ``True`` o ``False`` e imprime en español qué difiere y por qué suele pasar. Los huecos (``completar``)
y la solución (``solucion("paso")``) están en ``ejercicio_huecos``; las comprobaciones de las redes, en
``ejercicio_dcgan``, de donde el cuaderno lo importa todo.
"""

import contextlib
import difflib
import inspect
import re
import traceback
import warnings

import keras
import numpy as np
import tensorflow as tf

from .datos import imagenes_digitos
from .ejercicio_huecos import DIM_LATENTE, HUECOS_DEL_PASO, TAMANO, calculo_exacto, huecos_usados, pista_para
from .errores import mezcla_de_tipos, primera_linea, tipos_mezclados
from .estudiante import (conversion_reducida, linea_del_estudiante, llamadas_en, nombre_parecido, pista_de_nombre,
                         version_sin_ejecutar)
from .gan_basica import GANBasica
from .modelos import construir_discriminador, construir_generador
from .textos import cifra, contar


class _AdamAnotado(keras.optimizers.Adam):
    """Adam que anota los gradientes y las variables que recibe en cada ``apply``; ``nombre``: el atributo de la
    GAN que lo guarda (``opt_discriminador``…), para los mensajes."""

    def __init__(self, nombre, **kwargs):
        super().__init__(**kwargs)
        self.nombre, self.anotaciones = nombre, []

    def apply(self, grads, trainable_variables=None):
        grads, variables = list(grads), list(trainable_variables or [])
        if trainable_variables is not None and not variables:
            raise _ErrorDelEjercicio(f"self.{self.nombre} recibió una lista de variables vacía: ¿pusiste "
                                     "trainable = False (en Keras 2, para congelar una red)? Con eso, "
                                     "trainable_variables queda vacía. Aquí no hace falta: cada optimizador cambia "
                                     "solo las variables que recibe; quita el trainable = False.")
        if not variables:  # Keras lo aceptaría solo con el optimizador ya construido, y lo explica en inglés
            raise _ErrorDelEjercicio("apply necesita también las variables que actualiza: "
                                     "self.opt_….apply(gradientes, variables), con las mismas variables de las que "
                                     "pediste el gradiente (p. ej. self.generador.trainable_variables).")
        if not all(isinstance(v, keras.Variable) for v in variables):
            raise _ErrorDelEjercicio("apply recibe primero los gradientes y después las variables: "
                                     "self.opt_….apply(gradientes, variables).")
        if len(grads) != len(variables) or any(g is not None and tuple(g.shape) != tuple(v.shape)
                                               for g, v in zip(grads, variables)):
            raise _ErrorDelEjercicio("los gradientes no tienen la forma de las variables a las que los aplicas: "
                                     "pediste el gradiente respecto de unas variables y lo aplicas a otras. Usa las "
                                     "mismas en cinta.gradient(perdida, variables) y en apply(gradientes, variables).")
        self.anotaciones.append(([None if g is None else np.array(g) for g in grads], [v.path for v in variables]))
        return super().apply(grads, trainable_variables)


class _ErrorDelEjercicio(Exception):
    """Un error típico del ejercicio ya explicado en español."""


def _explicar(error, gan):
    """El error que lanzó el ``train_step`` del estudiante, con una pista en español si es de los típicos."""
    if isinstance(error, _ErrorDelEjercicio):
        return str(error)
    texto = primera_linea(error)
    en_ruido = any(marco.name == "ruido_latente" for marco in traceback.extract_tb(error.__traceback__))
    if "ruido_latente()" in texto or en_ruido:  # sin n, con más argumentos o con el lote en lugar de n
        return ("self.ruido_latente(n) recibe solo n, cuántos vectores latentes sortear (uno por imagen real): "
                "z = self.ruido_latente(tf.shape(reales)[0]).")
    if isinstance(error, TypeError) and "gradient() missing" in texto:
        return ("cinta.gradient recibe la pérdida y las variables respecto de las que derivas: "
                "cinta_d.gradient(perdida_d, self.discriminador.trainable_variables), y lo mismo con cinta_g, perdida_g "
                "y self.generador.")
    if isinstance(error, RuntimeError) and "GradientTape" in texto and "one set of gradients" in texto:
        return ("pediste dos gradientes a la misma cinta, y cada cinta da uno solo: usa cinta_d para el gradiente "
                "de D y cinta_g para el de G (las dos se abren juntas en el mismo with).")
    if "vector_latente" in texto and "incompatible" in texto:
        return (f"el generador recibe vectores latentes de {gan.dim_latente} números y le llegaron de otra forma: usa "
                "z = self.ruido_latente(n), que los sortea del tamaño del generador y con la semilla de la GAN.")
    # El nombre de la capa de entrada de D sale en el error si le llega z; con reales[0], el de una capa de dentro.
    if "of layer 'discriminador' is incompatible" in texto or ("is incompatible with the layer" in texto
                                                                and _pasa_por(error, gan.discriminador)):
        return ("el discriminador recibe imágenes (n, 16, 16, 1) y le llegó otra cosa: pásale reales tal cual (el "
                "lote entero, sin indexarlo) o falsas = self.generador(z, training=True), no z.")
    if metodo := next((marco.f_code.co_name for marco in _marcos(error)
                       if marco.f_code.co_name in ("train_on_batch", "fit")), None):
        red = "generador" if _pasa_por(error, gan.generador) else "discriminador"
        r = red[0]
        return (f"self.{red}.{metodo} entrena la red por su cuenta (como en Keras 2), con su propio compile: dentro de "
                "train_step no se usa. Calcula la pérdida dentro de la cinta y aplica su gradiente con "
                f"self.opt_{red}.apply(cinta_{r}.gradient(perdida_{r}, variables_{r}), variables_{r}).")
    if "Ellipsis" in texto:
        return "una línea aún tiene ... en lugar de tu código: sustitúyelo por el cálculo que falta."
    if isinstance(error, ValueError) and "values to unpack" in texto and "reales" in (linea_del_estudiante(error) or "reales"):
        return ("reales es solo el lote de imágenes (n, 16, 16, 1), sin etiquetas: no lo separes en (imágenes, "
                "etiquetas); úsalo tal cual.")
    if isinstance(error, TypeError) and "apply_gradients() takes" in texto:
        return ("apply_gradients recibe una sola lista de pares (gradiente, variable): "
                "self.opt_….apply_gradients(zip(gradientes, variables)), o bien self.opt_….apply(gradientes, variables).")
    if isinstance(error, AttributeError) and isinstance(getattr(error, "obj", None), keras.optimizers.Optimizer):
        return (f"los optimizadores de Keras 3 no tienen {error.name}: aplica el gradiente con "
                "self.opt_….apply(cinta.gradient(perdida, variables), variables).")
    if "No gradients provided" in texto:
        for optimizador, red, _ in _REDES:  # p. ej. discriminador.trainable_variables, la red del cuaderno, sin self.
            if (anotaciones := getattr(gan, optimizador).anotaciones) and not set(anotaciones[-1][1]) <= _variables(gan, red):
                return (f"self.{optimizador} recibió variables que no son de la red de esta GAN (¿{red}.trainable_variables, "
                        f"la del cuaderno, sin self.?): usa self.{red}.trainable_variables.")
        sin_gradiente = [red for optimizador, red, _ in _REDES
                         if (anotaciones := getattr(gan, optimizador).anotaciones)
                         and all(g is None for g in anotaciones[-1][0])]
        if sin_gradiente == ["generador"] and re.search(r"generador\.predict\w*\(", _codigo_del_paso(gan)):
            return ("self.generador.predict devuelve una matriz de NumPy, sin el camino del gradiente hasta el generador "
                    "(y muestra su propia barra de progreso): llama a la red como a una función, falsas = "
                    "self.generador(z, training=True).")
        if sin_gradiente == ["generador"] and "stop_gradient" in _codigo_del_paso(gan):
            return ("tf.stop_gradient corta el camino del gradiente desde perdida_g hasta el generador, que así no "
                    "aprende nada: quítalo. Aquí no hace falta: cada cinta deriva solo respecto de las variables que le "
                    "pides.")
        if sin_gradiente == ["generador"]:
            return ("la cinta no ve que perdida_g dependa del generador. O perdida_g sale de los logits de las imágenes "
                    "reales (debe salir de logits_falsos = self.discriminador(falsas, training=True)), o una parte del "
                    "cálculo (el generador, los logits o la pérdida) quedó fuera del with tf.GradientTape() … o pasó "
                    "por NumPy (.numpy(), np.…), que la cinta no ve.")
        return ("la cinta no registró el cálculo de la pérdida: el generador, los logits y las pérdidas van dentro del "
                "with tf.GradientTape() …, y sin pasar por NumPy (.numpy(), np.…), que la cinta no ve.")
    if isinstance(error, AttributeError) and "numpy" in texto and "_id" in texto:
        return ("una pérdida es un número de NumPy (¿np.mean, np.log o .numpy()?): la cinta no puede derivarla; "
                "calcúlala con tf.nn.softplus y tf.reduce_mean.")
    linea = linea_del_estudiante(error)
    donde = f"\n  Tu línea: {linea}" if linea else ""
    if isinstance(error, AttributeError) and (nombre := getattr(error, "name", None)):
        objeto = getattr(error, "obj", gan)  # self.generador.trainable_variabels: el atributo es del generador
        if objeto is gan and nombre in _NOMBRES_KERAS_IO:
            return f"self.{nombre} es el nombre del ejemplo de keras.io; aquí {_NOMBRES_KERAS_IO[nombre]}."
        if isinstance(objeto, tf.Tensor) and nombre in _NOMBRES_PYTORCH:
            return f".{nombre}() es de PyTorch, y los tensores de TensorFlow no lo tienen: {_NOMBRES_PYTORCH[nombre]}.{donde}"
        # Primero los atributos de la GAN del curso: los de Keras (optimizer, loss…) no son los del ejercicio.
        publicos = [n for n in dir(objeto) if not n.startswith("_")]
        propios = [n for n in publicos if not hasattr(keras.Model, n)] if objeto is gan else []
        for candidatos in (propios, publicos):
            if parecidos := difflib.get_close_matches(nombre, candidatos, n=1, cutoff=0.6):
                if objeto is gan:
                    return f"self.{nombre} no existe: ¿querías decir self.{parecidos[0]}?"
                return f"{nombre} no existe: ¿querías decir {parecidos[0]}?{donde}"
    if isinstance(error, NameError):
        pista = _pista_de_variable(error, gan)
        return f"train_step lanzó {type(error).__name__}: {pista}{'' if pista.endswith('?') else '.'}{donde}"
    if tipos := tipos_mezclados(error):
        return f"train_step lanzó {type(error).__name__}: {_pista_de_tipos(tipos)}.{donde}"
    if pista := pista_de_nombre(error):  # un argumento con nombre mal escrito
        return f"train_step lanzó {type(error).__name__}: {pista}{'' if pista.endswith('?') else '.'}{donde}"
    pista = pista_para(texto, _PISTAS_PASO)
    return f"train_step lanzó {type(error).__name__}: {texto}{donde}" + (f"\n  Qué hacer: {pista}." if pista else "")


def _pista_de_tipos(tipos):
    """Qué hacer cuando una operación del paso recibió tensores de los dos ``tipos`` (de ``tipos_mezclados``)."""
    otro = next((tipo for tipo in tipos if tipo != "float32"), tipos[1])
    mezcla = mezcla_de_tipos(tipos[0], f"otro {tipos[1]}")
    if "int" in otro:
        return f"{mezcla}: tf.shape da enteros; conviértelos con tf.cast(…, tf.float32) antes de operar con ellos"
    if otro == "float64":
        return (f"{mezcla}. float64 es el tipo de NumPy (np.array, np.float64…), y el paso va en float32: crea ese "
                "tensor en float32 o conviértelo con tf.cast(…, tf.float32)")
    if otro == "bool":
        return (f"{mezcla}: una comparación (como logits_reales > 0) da bool; conviértela con tf.cast(…, tf.float32) "
                "antes de operar con ella")
    return f"{mezcla}. {_EN_FLOAT32.format(tipo=otro)}"


# Qué hacer con un tensor de menos precisión (float16, bfloat16) en el paso.
_EN_FLOAT32 = ("Las imágenes reales, las redes y las pérdidas del paso van en float32: quita la conversión a {tipo} "
               "(tf.cast(…, tf.{tipo})) o vuelve a float32 con tf.cast(…, tf.float32)")


_ETIQUETAS = ("las etiquetas deben tener la forma de los logits, que depende del lote: tf.ones_like(logits_reales) y "
              "tf.zeros_like(logits_falsos)")
# Otros errores al dar el paso (clave en el texto del error → qué hacer).
_PISTAS_PASO = (
    ("must have the same shape", _ETIQUETAS),
    ("Incompatible shapes", _ETIQUETAS),
    ("does not support the context manager protocol",  # with tf.GradientTape as cinta:
     "la cinta se crea con paréntesis: with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d"),
)


# Atributos del ejemplo DCGAN de keras.io, del que muchos copian, y qué usar aquí.
_NOMBRES_KERAS_IO = {
    "d_optimizer": "es self.opt_discriminador", "g_optimizer": "es self.opt_generador",
    "generator": "es self.generador", "discriminator": "es self.discriminador",
    "latent_dim": "es self.dim_latente, y los vectores latentes se sortean con z = self.ruido_latente(n)",
    "loss_fn": "no hay función de pérdida: calcula cada una desde los logits con tf.nn.softplus y tf.reduce_mean",
    "d_loss_metric": "es self.seguidor_perdida_d", "g_loss_metric": "es self.seguidor_perdida_g",
}


# Métodos de los tensores de PyTorch que se escriben por costumbre, y qué hacer aquí.
_NOMBRES_PYTORCH = {
    "backward": "el gradiente lo pide la cinta, cinta.gradient(perdida, variables), y lo aplica el optimizador de esa "
                "red, self.opt_….apply(gradientes, variables)",
    "item": "devuelve los tensores tal cual en el diccionario; fit los convierte al mostrarlos",
    "detach": "aquí no hace falta, porque cada cinta deriva solo respecto de las variables que le pides",
}


def _codigo_del_paso(gan):
    """El código de ``train_step`` de la clase de ``gan`` (``""`` si no se puede leer)."""
    try:
        return inspect.getsource(type(gan).train_step)
    except (OSError, TypeError):  # definida con exec, sin archivo ni celda que leer
        return ""


def _marcos(error):
    """Los marcos de la traza de ``error``, del de fuera al que lo lanzó."""
    traza = error.__traceback__
    while traza is not None:
        yield traza.tb_frame
        traza = traza.tb_next


def _pasa_por(error, red):
    """¿Se lanzó ``error`` dentro de una llamada a ``red``? Keras quita de la traza los marcos de dentro de la
    llamada y deja el de su envoltorio, que recibe la red como primer argumento."""
    for marco in _marcos(error):
        argumentos = marco.f_locals.get("args")
        if red is marco.f_locals.get("self") or isinstance(argumentos, tuple) and argumentos and red is argumentos[0]:
            return True
    return False


def _pista_de_variable(error, gan):
    """Qué hacer con un nombre que no existe en ``train_step`` o que se usa antes de darle valor."""
    if isinstance(error, UnboundLocalError):
        nombre = next(iter(re.findall(r"'(\w+)'", str(error))), "esa variable")
        return f"usas {nombre} antes de darle valor: la línea {nombre} = … tiene que ir antes de esta"
    nombre = error.name
    if re.match(rf"\s*with\b.*,\s*{re.escape(nombre)}\s*:", linea_del_estudiante(error) or ""):
        return (f"{nombre} no tiene su tf.GradientTape(): cada cinta se abre con la suya (with tf.GradientTape() as "
                "cinta_g, tf.GradientTape() as cinta_d)")
    if not nombre.startswith("_") and hasattr(gan, nombre):
        return f"{nombre} no existe dentro de train_step: es self.{nombre}, el de esta GAN"
    return pista_de_nombre(error)


def _gan_de_prueba(clase):
    """``clase`` con las redes del curso (mismos pesos iniciales siempre) y dos Adam anotados con
    tasas distintas (2e-4 para G, 1e-4 para D), para que usar uno por otro se note."""
    keras.utils.set_random_seed(0)
    generador, discriminador = construir_generador(TAMANO, 1, DIM_LATENTE), construir_discriminador(TAMANO, 1)
    gan = clase(generador, discriminador, semilla=0)
    gan.compile(opt_generador=_AdamAnotado("opt_generador", learning_rate=2e-4, beta_1=0.5),
                opt_discriminador=_AdamAnotado("opt_discriminador", learning_rate=1e-4, beta_1=0.5))
    return gan


def _anotar_sorteos(gan):
    """Cambia ``gan.ruido_latente`` por uno que anota cuántos vectores sortea (``None`` si depende del lote, en un
    grafo) y devuelve esa lista de anotaciones."""
    sorteos, original = [], gan.ruido_latente

    def ruido_latente(*args, **kwargs):
        z = original(*args, **kwargs)
        sorteos.append(z.shape[0])
        return z

    gan.ruido_latente = ruido_latente
    return sorteos


def _problema_sorteos(sorteos, lote):
    """¿Sorteó el paso otro número de vectores latentes que imágenes reales trae el lote?"""
    n = lote.shape[0]
    if otro := next((m for m in sorteos if m != n), None):
        return (f"sorteas {otro} vectores latentes para un lote de {n} imágenes reales: sortea uno por imagen real, "
                "z = self.ruido_latente(tf.shape(reales)[0]), que sirve con cualquier tamaño de lote.")
    return None


@contextlib.contextmanager
def _paso_a_paso():
    """Las ``tf.function`` sin compilar (p. ej. un ``train_step`` con ``@tf.function``, como en el tutorial de
    TensorFlow): el paso se compara leyendo sus gradientes; el grafo se prueba después, en ``_problema_en_grafo``."""
    antes = tf.config.functions_run_eagerly()
    tf.config.run_functions_eagerly(True)
    try:
        with warnings.catch_warnings():
            # Un .predict del estudiante dentro del paso: TensorFlow avisa, en inglés, de que tf.data no va paso a paso;
            # la pista ya le explica lo que importa (que .predict corta el gradiente).
            warnings.filterwarnings("ignore", message="Even though the `tf.config.experimental_run_functions_eagerly`")
            yield
    finally:
        tf.config.run_functions_eagerly(antes)


def _lote_real():
    imagenes, _ = imagenes_digitos(TAMANO)
    return tf.constant(imagenes[:16])


def _estadisticas_bn(red):
    return np.concatenate([np.ravel(v) for v in red.non_trainable_variables])


def _pesos(red):
    return np.concatenate([np.ravel(v) for v in red.trainable_variables])


@calculo_exacto()
def comprobar_paso(clase):
    """Da un paso de ``clase.train_step`` y otro de ``GANBasica.train_step`` desde el mismo estado.

    ``clase`` debe heredar de ``helpers.GANBasica`` (así recibe ``generador``, ``discriminador``,
    ``opt_generador``, ``opt_discriminador`` y ``ruido_latente``) y devolver en ``train_step`` un
    diccionario con ``perdida_d`` y ``perdida_g``. Se comparan las pérdidas, los gradientes que recibe
    cada optimizador (y de qué variables) y las estadísticas de normalización por lotes del
    generador; después se compila el paso en un grafo, como hará ``fit`` (ahí ``float()``, ``.numpy()`` o
    ``len(reales)`` fallan). Devuelve ``True`` si todo va bien; si no, explica la primera diferencia.
    """
    if not (isinstance(clase, type) and issubclass(clase, GANBasica)):
        print("✗ Pasa la clase (MiGAN, sin paréntesis) y que herede de helpers.GANBasica: class MiGAN(helpers.GANBasica).")
        return False
    if sin_ejecutar := version_sin_ejecutar(clase):
        print(f"✗ {sin_ejecutar}")
        return False
    lote = _lote_real()
    referencia = _gan_de_prueba(GANBasica)
    esperado = referencia.train_step(lote)
    huecos_usados.clear()
    gan = _gan_de_prueba(clase)
    sorteos = _anotar_sorteos(gan)
    antes_bn = _estadisticas_bn(gan.generador)
    antes = {red: _pesos(getattr(gan, red)) for _, red, _ in _REDES}
    try:
        with warnings.catch_warnings(), _paso_a_paso():  # Keras avisa en inglés de variables sin gradiente;
            warnings.filterwarnings("ignore", message="Gradients do not exist")  # _problema_llamadas lo explica
            obtenido = gan.train_step(lote)
        error = None
    except Exception as excepcion:  # el código del estudiante puede fallar de cualquier manera
        obtenido, error = None, excepcion
    problema = (_problema_variables_ajenas(gan)
                or _problema_sorteos(sorteos, lote)
                or (error and _explicar(error, gan))
                or _problema_llamadas(gan, antes)
                or _problema_resultado(obtenido)
                or _problema_normalizacion(gan, referencia, antes_bn)
                or _problema_precision(gan, obtenido, esperado, _problema_perdidas(obtenido, esperado, lote)
                                       or _problema_gradientes(gan, referencia)))
    if problema:
        print(f"✗ Tu train_step no hace lo mismo que el de GANBasica: {problema}\n"
              "  Pista: solucion(\"paso\") lo muestra entero.")
        return False
    if problema := _problema_en_grafo(clase):
        print(f"✗ Tu train_step da el mismo paso que el de GANBasica, pero {problema}")
        return False
    print(f"✓ Tu train_step coincide con el de GANBasica: perdida_d = {cifra(float(obtenido['perdida_d']), 4)}, "
          f"perdida_g = {cifra(float(obtenido['perdida_g']), 4)}, y cada optimizador recibió los mismos gradientes.")
    if usados := [h for h in HUECOS_DEL_PASO if h in huecos_usados]:
        print(f"  Aún usa completar para {', '.join(usados)}: sustitúyelos por tus líneas y vuelve a comprobar.")
    return True


# Errores de usar como números los tensores de un grafo, que aún no tienen valor, y cómo evitarlos: (qué
# buscar en la línea del estudiante que falló, qué buscar en el mensaje de TensorFlow, pista). La línea va
# primero: el mensaje cambia de una versión de TensorFlow a otra (con float() en un grafo, la 2.22 dice
# «cannot be interpreted as an integer» donde la 2.21 decía «argument must be…»).
_PISTAS_GRAFO = (
    (r"\.numpy\(", "numpy", "quita el .numpy(): dentro del paso no hay valores que leer; las pérdidas ya salen en "
                           "la línea de avance de fit y en su historial"),
    (r"\b(float|int)\(", "argument must be", "quita el float() o el int(): devuelve los tensores tal cual en el "
                                             "diccionario; fit los convierte al mostrarlos"),
    (r"\blen\(", "len is not well defined", "len(reales) no se sabe en el grafo: usa tf.shape(reales)[0]"),
    (r"\.shape\[", "Failed to convert elements of (None", "reales.shape[0] puede valer None (con una matriz o lotes "
                                                        "de tamaño variable): tf.shape(reales)[0] sirve siempre"),
    (r"\bVariable\(", "singleton tf.Variables", "crea la variable una sola vez, fuera de train_step (p. ej. en "
                                              "__init__), y dentro solo cámbiala con .assign(…)"),
)


def _problema_en_grafo(clase):
    """¿Falla ``train_step`` al compilarse en un grafo, como lo compila ``fit``? Aquí se ejecutó paso a paso,
    donde ``.numpy()``, ``float()`` o ``len`` funcionan; en el grafo los tensores aún no tienen valor."""
    keras.utils.set_random_seed(0)
    gan = clase(construir_generador(TAMANO, 1, DIM_LATENTE), construir_discriminador(TAMANO, 1), semilla=0)
    gan.compile(opt_generador=keras.optimizers.Adam(2e-4, beta_1=0.5),
                opt_discriminador=keras.optimizers.Adam(1e-4, beta_1=0.5))
    sorteos = _anotar_sorteos(gan)
    try:
        # Sin autograph, como fit (Keras marca su paso con do_not_convert): autograph arreglaría len o float.
        lote = tf.TensorSpec((None, TAMANO, TAMANO, 1), tf.float32)
        tf.function(gan.train_step, autograph=False).get_concrete_function(lote)
    except Exception as error:  # el código del estudiante puede fallar de cualquier manera
        texto, linea = primera_linea(error), linea_del_estudiante(error)
        pista = (next((pista for patron, _, pista in _PISTAS_GRAFO if re.search(patron, linea)), "")
                 or pista_para(texto, [(clave, pista) for _, clave, pista in _PISTAS_GRAFO],
                           "dentro de train_step usa solo operaciones de TensorFlow: nada de .numpy(), float(), "
                           "np.…, print de valores ni if con un tensor"))
        donde = f"\n  Tu línea: {linea}" if linea else ""
        return (f"fit lo compila en un grafo (tf.function), donde los tensores aún no tienen valor, y ahí lanza "
                f"{type(error).__name__}: {texto}{donde}\n  Qué hacer: {pista}.")
    if fijo := next((n for n in sorteos if n is not None), None):
        return (f"sortea siempre {fijo} vectores latentes, tantos como imágenes trae el lote de prueba: fit le pasará "
                "lotes de otro tamaño (el de datos, y el último de cada época puede traer menos). Sortea uno por imagen "
                "real: z = self.ruido_latente(tf.shape(reales)[0]).")
    return None


def _variables(gan, red):
    return {v.path for v in getattr(gan, red).trainable_variables}


def _recibidas(gan, optimizador):
    return {ruta for _, rutas in getattr(gan, optimizador).anotaciones for ruta in rutas}


_REDES = (("opt_discriminador", "discriminador", "generador"), ("opt_generador", "generador", "discriminador"))


def _problema_variables_ajenas(gan):
    """¿Actualizó algún optimizador variables de la otra red?"""
    for optimizador, red, otra in _REDES:
        if _recibidas(gan, optimizador) & _variables(gan, otra):
            return (f"self.{optimizador} recibió variables del {otra}. Cada optimizador debe aplicar a SU red el "
                    f"gradiente de SU pérdida: self.{optimizador}.apply(gradientes, self.{red}.trainable_variables). "
                    "Así la otra red queda «congelada» en ese paso.")
    return None


def _problema_llamadas(gan, antes):
    """¿Se aplicó cada optimizador una vez, a todas las variables de su red? ``antes``: los pesos de cada red antes
    del paso (``_pesos``)."""
    for optimizador, red, _ in _REDES:
        llamadas, propias = getattr(gan, optimizador).anotaciones, _variables(gan, red)
        if not llamadas and getattr(gan, "optimizer", None) is not None and int(gan.optimizer.iterations.numpy()):
            return (f"self.{optimizador} no se usó: aplicaste un gradiente con self.optimizer, el optimizador que "
                    f"Keras crea por su cuenta en compile (RMSprop), no el de la GAN. Usa self.{optimizador}.apply("
                    "cinta.gradient(perdida, variables), variables).")
        if not llamadas:
            if not np.array_equal(_pesos(getattr(gan, red)), antes[red]):
                return (f"self.{optimizador} no se usó, pero el {red} cambió: lo actualizó otro optimizador (¿uno creado "
                        "dentro de train_step? Sería uno nuevo en cada paso, sin la memoria de Adam) o una resta a mano. "
                        f"Usa el de la GAN: self.{optimizador}.apply(cinta.gradient(perdida, variables), variables).")
            return (f"self.{optimizador} no se usó: el {red} no se actualizó. Aplica su gradiente con "
                    f"self.{optimizador}.apply(cinta.gradient(perdida, variables), variables).")
        if len(llamadas) > 1:
            return f"self.{optimizador} se aplicó {len(llamadas)} veces en un paso; debe aplicarse una vez."
        ajenas = _recibidas(gan, optimizador) - propias
        if ajenas and ajenas <= {v.path for v in getattr(gan, red).non_trainable_variables}:
            cuantas = contar(len(ajenas), "variable no entrenable", "variables no entrenables")
            return (f"self.{optimizador} recibió también {cuantas} del {red} (las medias de BatchNormalization, que "
                    f"no se aprenden por gradiente): usa self.{red}.trainable_variables, no self.{red}.variables.")
        if _recibidas(gan, optimizador) != propias:
            return (f"self.{optimizador} recibió solo {len(_recibidas(gan, optimizador))} de las {len(propias)} "
                    f"variables entrenables del {red}: usa self.{red}.trainable_variables.")
    return None


def _problema_resultado(obtenido):
    if not isinstance(obtenido, dict) or not {"perdida_d", "perdida_g"} <= set(obtenido):
        return ('train_step debe terminar con return {"perdida_d": perdida_d, "perdida_g": perdida_g}: es lo que '
                "fit muestra en su línea de progreso.")
    return None


def _problema_normalizacion(gan, referencia, antes_bn):
    despues, esperado = _estadisticas_bn(gan.generador), _estadisticas_bn(referencia.generador)
    if np.allclose(despues, antes_bn):
        sin_el = ("la normalización usa las medias acumuladas (aún sin aprender) en lugar de las estadísticas del "
                  "lote, y las imágenes y los gradientes salen distintos")
        argumentos = [a for funcion, a in llamadas_en(_codigo_del_paso(gan)) if funcion.endswith("generador")]
        if any(a.get("training") == "False" for a in argumentos):
            return ("llamas al generador con training=False, y en el paso de entrenamiento va training=True, para que "
                    "su BatchNormalization use las estadísticas del lote (y vaya aprendiendo sus medias). Con "
                    f"training=False, {sin_el}. training=False es para generar muestras fuera del entrenamiento; aquí, "
                    "falsas = self.generador(z, training=True).")
        erratas = (n for a in argumentos for n in a if n != "training" and nombre_parecido(n, ["training"]))
        if errata := next(erratas, None):
            return (f"llamas al generador con {errata}=…, y Keras no avisa de un argumento que no conoce: lo ignora, y "
                    f"el generador queda en modo inferencia. ¿Querías decir training=True? Sin él, {sin_el}.")
        return ("las estadísticas de BatchNormalization del generador no cambiaron: falta training=True al llamar a "
                f"self.generador(z, training=True). Sin él, {sin_el}.")
    if not np.allclose(despues, esperado, atol=1e-5):
        return ("el generador vio otros vectores latentes o se llamó más de una vez en modo entrenamiento. Usa un solo "
                "z = self.ruido_latente(n) y una sola pasada: falsas = self.generador(z, training=True).")
    return None


def _perdidas_candidatas(lote):
    """Variantes frecuentes de las pérdidas, calculadas con los logits del paso de referencia."""
    gan = _gan_de_prueba(GANBasica)
    z = gan.ruido_latente(lote.shape[0])  # el mismo primer sorteo que en el paso de referencia
    reales = gan.discriminador(lote, training=True)
    falsos = gan.discriminador(gan.generador(z, training=True), training=True)

    def media(x):
        return float(tf.reduce_mean(tf.nn.softplus(x)))

    def entropia_cruzada(etiqueta, logits):  # sin from_logits=True: Keras toma los logits por probabilidades
        return float(keras.losses.BinaryCrossentropy()(tf.fill(tf.shape(logits), etiqueta), logits))

    def argumentos_cambiados(etiqueta, logits):  # bce(logits, etiquetas) en lugar de bce(etiquetas, logits)
        return float(keras.losses.BinaryCrossentropy(from_logits=True)(logits, tf.fill(tf.shape(logits), etiqueta)))

    n = lote.shape[0]
    suma = "es la suma sobre el lote, no la media: usa tf.reduce_mean, que no cambia con el tamaño del lote"
    sin_from_logits = ("usa keras.losses.BinaryCrossentropy sin from_logits=True, que espera probabilidades y recibe "
                       "logits: escribe BinaryCrossentropy(from_logits=True)")
    dos_sigmoides = ("aplicas la sigmoide a los logits y BinaryCrossentropy(from_logits=True) la aplica otra vez: pásale "
                     "los logits tal cual")
    al_reves = ("tiene las etiquetas al revés: las reales van a 1 (softplus(-logits_reales)) y las generadas a 0 "
                "(softplus(logits_falsos))")
    orden = ("pasas a BinaryCrossentropy primero los logits y después las etiquetas, y va al revés: primero las "
             "etiquetas y después los logits, bce(tf.ones_like(logits), logits)")
    mitad = ("es la mitad: suma las dos medias, la de reales y la de generadas (con las dos en un solo lote, la media "
             "de todo el lote es la mitad de esa suma)")

    return {
        "perdida_d": [
            (-(media(-reales) + media(falsos)), "tiene el signo cambiado: con el signo menos, D maximizaría su error"),
            (media(reales) + media(-falsos), al_reves),
            ((media(reales) + media(-falsos)) / 2, f"{al_reves}; además, {mitad}"),
            (media(reales) + media(falsos), "falta el signo menos en las reales: softplus(-logits_reales) = −log D(x), que "
                                            "baja cuando D dice «real» con ellas"),
            (media(-reales) + media(-falsos), "sobra el signo menos en las generadas: softplus(logits_falsos) = "
                                              "−log(1 − D(G(z))), que baja cuando D dice «generada» con ellas"),
            ((media(-reales) + media(falsos)) / 2, mitad),
            (n * (media(-reales) + media(falsos)), suma),
            (entropia_cruzada(1.0, reales) + entropia_cruzada(0.0, falsos), sin_from_logits),
            (media(-tf.sigmoid(reales)) + media(tf.sigmoid(falsos)), dos_sigmoides),
            (argumentos_cambiados(1.0, reales) + argumentos_cambiados(0.0, falsos), orden),
        ],
        "perdida_g": [
            (-media(-falsos), "tiene el signo cambiado: con el signo menos, G empeoraría a propósito"),
            (media(falsos), "tiene el signo del logit cambiado: G quiere que D diga «real», así que sus imágenes "
                            "van a 1: softplus(-logits_falsos)"),
            (-media(falsos), "es la pérdida saturante del minimax original, log(1 − D(G(z))): al principio casi no da "
                             "gradiente; usa la no saturante, −log D(G(z)) = softplus(-logits_falsos)"),
            (entropia_cruzada(1.0, falsos), sin_from_logits),
            (media(-tf.sigmoid(falsos)), dos_sigmoides),
            (n * media(-falsos), suma),
            (argumentos_cambiados(1.0, falsos), orden),
        ],
    }


def _problema_perdidas(obtenido, esperado, lote):
    candidatas = None
    for nombre in ("perdida_d", "perdida_g"):
        if obtenido[nombre] is None or np.size(obtenido[nombre]) != 1:
            return (f"{nombre} tiene forma {np.shape(obtenido[nombre])}: una pérdida es un solo número; calcula la media "
                    "con tf.reduce_mean.")
        valor, bueno = float(obtenido[nombre]), float(esperado[nombre])
        if np.isclose(valor, bueno, rtol=1e-4, atol=1e-5):
            continue
        if not np.isfinite(valor):
            return (f"{nombre} vale {cifra(valor)}, no un número: ¿tomaste el logaritmo de un logit (puede ser negativo "
                    "o cero) o dividiste por cero? Calcúlala desde los logits con tf.nn.softplus, que nunca da nan ni "
                    "infinito, y tf.reduce_mean.")
        candidatas = candidatas or _perdidas_candidatas(lote)
        for candidata, explicacion in candidatas[nombre]:
            if np.isclose(valor, candidata, rtol=1e-4, atol=1e-5):
                return f"{nombre} vale {cifra(valor, 4)} y debería valer {cifra(bueno, 4)}: {explicacion}."
        return (f"{nombre} vale {cifra(valor, 4)} y debería valer {cifra(bueno, 4)}. Calcúlala desde los logits con tf.nn.softplus "
                "y tf.reduce_mean (lección 1, § 4: softplus(−ℓ) = −log D, con ℓ el logit).")
    return None


def _problema_precision(gan, obtenido, esperado, problema):
    """``problema`` (las pérdidas o los gradientes no coinciden) explicado por la precisión si el paso calcula algo en
    float16 o bfloat16 (lo convierte a ese tipo en su código o devuelve así las pérdidas) y las pérdidas casi coinciden;
    si se apartan más, el problema es otro (p. ej. la fórmula) y se explica ``problema``."""
    perdidas = [(obtenido[nombre], esperado[nombre]) for nombre in ("perdida_d", "perdida_g")]
    if not (problema and all(np.size(o) == 1 and np.isclose(float(o), float(e), rtol=0.05) for o, e in perdidas)):
        return problema
    tipos = [getattr(getattr(valor, "dtype", None), "name", "") for valor in obtenido.values()]
    if not (tipo := next((t for t in tipos if t in ("float16", "bfloat16")), None)
            or conversion_reducida(_codigo_del_paso(gan))):
        return problema
    return (f"calculas en {tipo}, que guarda muchas menos cifras que float32, y las pérdidas y los gradientes ya no "
            f"coinciden con los de GANBasica. {_EN_FLOAT32.format(tipo=tipo)}.")


def _problema_gradientes(gan, referencia):
    for nombre, red in (("opt_discriminador", "discriminador"), ("opt_generador", "generador")):
        gradientes, _ = getattr(gan, nombre).anotaciones[0]
        esperados, _ = getattr(referencia, nombre).anotaciones[0]
        for g, e in zip(gradientes, esperados):
            if g is None or not np.allclose(g, e, rtol=1e-3, atol=1e-6 * np.abs(e).max()):
                return (f"las pérdidas coinciden, pero el gradiente que recibe self.{nombre} no: deriva la pérdida del "
                        f"{red} (perdida_{red[0]}) respecto de las variables del {red}, con la cinta que la registró. ¿Una "
                        "parte de la pérdida pasó por NumPy (.numpy(), np.…)? La cinta no la ve.")
    return None
