"""Las pistas de los errores que lanza tu ``train_step`` en ``comprobar_paso``: ``explicar_error``.

Cuando tu paso lanza un error de Python, TensorFlow o Keras (en inglés), ``explicar_error`` dice en español qué
suele causarlo en este ejercicio y qué hacer: una cinta sin paréntesis, los nombres del ejemplo de keras.io o de
PyTorch, tipos mezclados, un optimizador de Keras 2…; si no lo reconoce, da su primera línea y la tuya. Están
aparte de la comprobación porque son muchas y cada una se lee sola. ``codigo_del_paso`` (tu código tal como lo
escribiste) lo usa también ``problemas_paso``.
"""

import difflib
import inspect
import re
import traceback

import keras
import tensorflow as tf

from .ejercicio_huecos import pista_para
from .errores import mezcla_de_tipos, primera_linea, tipos_mezclados
from .estudiante import linea_del_estudiante, pista_de_nombre
from .paso_anotado import REDES, ErrorDelEjercicio, variables_entrenables


def explicar_error(error, gan):
    """El error que lanzó el ``train_step`` del estudiante, con una pista en español si es de los típicos."""
    if isinstance(error, ErrorDelEjercicio):
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
        for optimizador, red, _ in REDES:  # p. ej. discriminador.trainable_variables, la red del cuaderno, sin self.
            if ((anotaciones := getattr(gan, optimizador).anotaciones)
                    and not set(anotaciones[-1][1]) <= variables_entrenables(gan, red)):
                return (f"self.{optimizador} recibió variables que no son de la red de esta GAN (¿{red}.trainable_variables, "
                        f"la del cuaderno, sin self.?): usa self.{red}.trainable_variables.")
        sin_gradiente = [red for optimizador, red, _ in REDES
                         if (anotaciones := getattr(gan, optimizador).anotaciones)
                         and all(g is None for g in anotaciones[-1][0])]
        if sin_gradiente == ["generador"] and re.search(r"generador\.predict\w*\(", codigo_del_paso(gan)):
            return ("self.generador.predict devuelve una matriz de NumPy, sin el camino del gradiente hasta el generador "
                    "(y muestra su propia barra de progreso): llama a la red como a una función, falsas = "
                    "self.generador(z, training=True).")
        if sin_gradiente == ["generador"] and "stop_gradient" in codigo_del_paso(gan):
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
    return f"{mezcla}. {EN_FLOAT32.format(tipo=otro)}"


# Qué hacer con un tensor de menos precisión (float16, bfloat16) en el paso.
EN_FLOAT32 = ("Las imágenes reales, las redes y las pérdidas del paso van en float32: quita la conversión a {tipo} "
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


def codigo_del_paso(gan):
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
