"""El ejercicio del cuaderno 02: escribir el generador, el discriminador y el ``train_step`` de una DCGAN.

En las celdas del ejercicio, las líneas que te toca escribir vienen como ``completar("nombre", …)``:
ejecuta la solución del curso (la que imprime ``solucion``) para que el cuaderno se ejecute entero aunque
aún no hayas escrito nada. Sustitúyela por tus líneas y comprueba:

- ``comprobar_generador(mi_generador)``: reglas DCGAN y, si tiene las mismas capas, la misma salida
  que ``construir_generador(16, 1, 64)`` con los mismos pesos;
- ``comprobar_discriminador(mi_discriminador)``: lo mismo frente a ``construir_discriminador(16, 1)``;
- ``comprobar_paso(MiGAN)``: un paso de tu ``train_step`` frente al de ``GANBasica`` con los mismos
  pesos iniciales, el mismo lote real y los mismos vectores latentes: mismas pérdidas, mismos
  gradientes aplicados por cada optimizador y mismas estadísticas de normalización por lotes; después,
  que el paso se pueda compilar en un grafo, como hará ``fit``.

Cada comprobación devuelve ``True`` o ``False`` e imprime en español qué difiere y por qué suele pasar.
"""

import contextlib
import difflib
import inspect
import re
import traceback
import types
import warnings

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from .datos import imagenes_digitos
from .errores import primera_linea
from .estudiante import linea_del_estudiante, version_sin_ejecutar
from .gan_basica import GANBasica
from .modelos import construir_discriminador, construir_generador
from .textos import cifra, contar, miles

DIM_LATENTE, TAMANO = 64, 16

# Para cada hueco: nombres de los datos que recibe ``completar``, la variable que devuelve (o None)
# y las líneas de la solución. ``completar`` ejecuta estas mismas líneas: una sola fuente.
_HUECOS = {
    "generador": ("x", "imagen", """\
x = layers.Conv2DTranspose(64, 4, strides=2, padding="same", use_bias=False)(x)  # 4×4 → 8×8
x = layers.ReLU()(layers.BatchNormalization()(x))
x = layers.Conv2DTranspose(1, 4, strides=2, padding="same")(x)  # 8×8 → 16×16
imagen = layers.Activation("tanh")(x)  # salida en [-1, 1], como las imágenes reales"""),
    "discriminador": ("imagen", "logit", """\
x = layers.LeakyReLU(0.2)(layers.Conv2D(64, 4, strides=2, padding="same")(imagen))  # 16×16 → 8×8
x = layers.LeakyReLU(0.2)(layers.Conv2D(128, 4, strides=2, padding="same")(x))  # 8×8 → 4×4
logit = layers.Dense(1)(layers.Flatten()(x))  # un número sin sigmoide: el logit"""),
    "falsas": ("self z", "falsas", "falsas = self.generador(z, training=True)"),
    "perdida_d": ("logits_reales logits_falsos", "perdida_d", """\
perdida_d = tf.reduce_mean(tf.nn.softplus(-logits_reales)) + tf.reduce_mean(tf.nn.softplus(logits_falsos))"""),
    "perdida_g": ("logits_falsos", "perdida_g", "perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))"),
    "actualizar_d": ("self cinta_d perdida_d", None, """\
variables_d = self.discriminador.trainable_variables
self.opt_discriminador.apply(cinta_d.gradient(perdida_d, variables_d), variables_d)"""),
    "actualizar_g": ("self cinta_g perdida_g", None, """\
variables_g = self.generador.trainable_variables
self.opt_generador.apply(cinta_g.gradient(perdida_g, variables_g), variables_g)"""),
}
_PASO = ("falsas", "perdida_d", "perdida_g", "actualizar_d", "actualizar_g")
_usos = []  # huecos ``completar`` ejecutados durante la última comprobación


def completar(nombre, *datos):
    """Hueco ``nombre`` del ejercicio: ejecuta la solución del curso con ``datos`` y devuelve su resultado.

    - ``completar("generador", x)``: ``x`` ``(n, 4, 4, 128)`` → imagen ``(n, 16, 16, 1)`` en [-1, 1];
    - ``completar("discriminador", imagen)``: ``(n, 16, 16, 1)`` → logit ``(n, 1)``;
    - ``completar("falsas", self, z)``: imágenes generadas ``(n, 16, 16, 1)``;
    - ``completar("perdida_d", logits_reales, logits_falsos)`` y ``completar("perdida_g", logits_falsos)``:
      escalares;
    - ``completar("actualizar_d", self, cinta_d, perdida_d)`` y ``completar("actualizar_g", self, cinta_g,
      perdida_g)``: aplican un paso del optimizador de esa red; no devuelven nada.
    """
    if nombre not in _HUECOS:
        raise ValueError(f"No hay ningún hueco «{nombre}»: usa uno de {', '.join(_HUECOS)}.")
    argumentos, resultado, codigo = _HUECOS[nombre]
    if len(datos) != len(argumentos.split()):
        raise TypeError(f"completar(\"{nombre}\", …) recibe {argumentos.replace(' ', ', ')}: "
                        "no borres esos datos de la llamada.")
    _usos.append(nombre)
    espacio = {"layers": layers, "tf": tf, **dict(zip(argumentos.split(), datos))}
    exec(codigo, espacio)  # noqa: S102 — el código es la solución fija de este módulo
    return espacio[resultado] if resultado else None


def solucion(nombre):
    """Imprime la solución del ejercicio ``nombre``: ``"generador"``, ``"discriminador"`` o ``"paso"``
    (el ``train_step`` entero), o de un solo hueco (``"perdida_g"``, ``"actualizar_d"``…)."""
    if nombre == "paso":
        dentro_de_la_cinta = ("falsas", "perdida_d", "perdida_g")
        print(_TRAIN_STEP.format(**{h: _sangrar(_HUECOS[h][2], 12 if h in dentro_de_la_cinta else 8) for h in _PASO}))
    elif nombre in _HUECOS:
        print(_HUECOS[nombre][2])
    else:
        raise ValueError(f"No hay solución «{nombre}»: usa 'generador', 'discriminador', 'paso' o un hueco "
                         f"({', '.join(_PASO)}).")


def _sangrar(codigo, espacios):
    return "\n".join(" " * espacios + linea for linea in codigo.splitlines())


_TRAIN_STEP = """\
class MiGAN(helpers.GANBasica):
    def train_step(self, reales):
        z = self.ruido_latente(tf.shape(reales)[0])
        with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:
{falsas}
            logits_reales = self.discriminador(reales, training=True)
            logits_falsos = self.discriminador(falsas, training=True)
{perdida_d}
{perdida_g}
{actualizar_d}
{actualizar_g}
        return {{"perdida_d": perdida_d, "perdida_g": perdida_g}}"""


@contextlib.contextmanager
def _calculo_exacto():
    """float32 sin atajos mientras se compara: sin TF32 (GPU Ampere o posteriores) ni precisión mixta,
    que redondean según el algoritmo elegido y harían diferir dos pasos correctos escritos de otra forma."""
    tf32, politica = tf.config.experimental.tensor_float_32_execution_enabled(), keras.mixed_precision.dtype_policy()
    tf.config.experimental.enable_tensor_float_32_execution(False)
    keras.mixed_precision.set_global_policy("float32")
    try:
        yield
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(tf32)
        keras.mixed_precision.set_global_policy(politica)


# --- Generador y discriminador ------------------------------------------------------------------


# Una capa que recibió el tensor al crearla: según la capa, Keras lo toma por su pendiente, sus unidades, su eje…
_CREAR_Y_APLICAR = "Una capa se crea y después se aplica: layers.LeakyReLU(0.2)(x), no layers.LeakyReLU(x)."

# Errores al construir el modelo (clave en el texto del error → qué hacer); {entrada} es la forma de la entrada.
_PISTAS_CONSTRUCCION = (
    ("cannot be used as input to a TensorFlow function",
     "Dentro del modelo usa capas de Keras (p. ej. layers.Activation(\"tanh\")), no funciones de tf."),
    ("You cannot convert it to a NumPy array",  # np.tanh(x), np.reshape(x, …)
     "Dentro del modelo usa capas de Keras (p. ej. layers.Activation(\"tanh\")), no funciones de NumPy (np.…): "
     "al construirlo, x aún no tiene números."),
    ("`outputs` values must be KerasTensors", "La salida del modelo tiene que salir de aplicar capas a la entrada "
                                              "(x = layers.…(…)(x)): ¿quedó un ... o un None en lugar de tus líneas?"),
    ("must be KerasTensors", "La entrada del modelo debe ser keras.Input({entrada}), no un tensor de tf."),
    ("cannot be used as a boolean", _CREAR_Y_APLICAR),
    ("cannot convert it to an int", _CREAR_Y_APLICAR),  # layers.BatchNormalization(x)
    ("units=<KerasTensor", _CREAR_Y_APLICAR),  # layers.Dense(x)
    ("data_format=<kerastensor", _CREAR_Y_APLICAR),  # layers.Flatten(x)
    ("identifier: <KerasTensor", _CREAR_Y_APLICAR),  # layers.Activation(x)
    ("to a shape", "La forma va entre paréntesis, como una tupla: keras.Input({entrada}), con la coma si es un solo "
                   "número."),
    ("Only input tensors may be passed as positional arguments",  # la capa de antes quedó sin aplicar
     "Una capa se crea y después se aplica: x = layers.…(…)(x); en alguna línea falta el (x) del final."),
    ("total size of the tensor must be unchanged", "Reshape debe tener tantos valores como la capa anterior "
                                                   "(p. ej. Dense(4 * 4 * 128) → Reshape((4, 4, 128)))."),
    ("expected min_ndim=4, found ndim=3", "Falta el eje de los canales: keras.Input({entrada})."),
    # «`inputs` not connected to `outputs`» (Keras 3.13, el de Colab) o «… is not connected to `inputs`» (3.14 y después).
    ("not connected to", "El modelo no conecta la entrada con la salida: la salida tiene que venir de aplicar las "
                         "capas a keras.Input({entrada}), no de otro keras.Input ni de la entrada sin capas (¿borraste "
                         "la línea que completabas?)."),
)


def _pista(texto, pistas, otra=""):
    """La pista de la primera clave de ``pistas`` que aparece en ``texto``, u ``otra`` si no aparece ninguna."""
    return next((pista for clave, pista in pistas if clave in texto), otra)


def _construir(funcion, nombre):
    """``funcion()`` → modelo con la forma de su entrada y su salida conocidas, o ``None`` tras explicar el error."""
    if not callable(funcion) or isinstance(funcion, keras.Model):
        print(f"✗ Pasa la función sin paréntesis: comprobar_{nombre}(mi_{nombre}), no comprobar_{nombre}(mi_{nombre}()).")
        return None
    if sin_ejecutar := version_sin_ejecutar(funcion):
        print(f"✗ {sin_ejecutar}")
        return None
    llamada = f"{getattr(funcion, '__name__', f'mi_{nombre}')}()"
    entrada = f"({DIM_LATENTE},)" if nombre == "generador" else f"({TAMANO}, {TAMANO}, 1)"
    try:
        modelo = funcion()
    except Exception as error:  # el código del estudiante puede fallar de cualquier manera
        pista = (_pista(str(error), _PISTAS_CONSTRUCCION).format(entrada=entrada) or _pista_de_nombre(error)
                 or _pista_de_activacion(error) or _pista_de_argumentos(error, funcion, llamada))
        print(f"✗ {llamada} lanzó {type(error).__name__}: {primera_linea(error)}\n"
              f"  {pista + ' ' if pista else ''}Pista: solucion(\"{nombre}\") muestra una forma de escribirlo.")
        return None
    if not isinstance(modelo, keras.Model):
        print(f"✗ {llamada} debe devolver un keras.Model (termina con return keras.Model(entrada, salida)); "
              f"devolvió {type(modelo).__name__}.")
        return None
    try:
        modelo.input_shape, modelo.output_shape
    except (AttributeError, ValueError):  # un Sequential sin Input no sabe qué forma recibe
        print(f"✗ Tu modelo no sabe qué forma tiene su entrada: empieza con keras.Input({entrada}) (en un Sequential, "
              "como primera capa).")
        return None
    return modelo


def _pista_de_nombre(error):
    """«¿Querías decir layers.Conv2DTranspose?» si ``error`` es un nombre mal escrito de un módulo (p. ej. layers)."""
    modulo, nombre = getattr(error, "obj", None), getattr(error, "name", None)
    if not (isinstance(error, AttributeError) and isinstance(modulo, types.ModuleType) and nombre):
        return ""
    parecidos = difflib.get_close_matches(nombre, [n for n in dir(modulo) if not n.startswith("_")], n=1, cutoff=0.6)
    prefijo = modulo.__name__.rpartition(".")[2]
    return f"{prefijo}.{nombre} no existe: ¿querías decir {prefijo}.{parecidos[0]}?" if parecidos else ""


def _pista_de_activacion(error):
    """«¿Querías decir "tanh"?» si ``error`` es el de Keras con una activación que no conoce (p. ej. "Tanh")."""
    nombre = re.search(r"Could not interpret activation function identifier: (\S+)", str(error))
    if not nombre:
        return ""
    conocidas = [n for n in dir(keras.activations) if n.islower() and not n.startswith("_")]
    parecidos = difflib.get_close_matches(nombre[1].lower(), conocidas, n=1, cutoff=0.6)
    return (f"\"{nombre[1]}\" no es una activación de Keras" + (f": ¿querías decir \"{parecidos[0]}\"?" if parecidos else
                                                             " (se escriben en minúscula: \"tanh\", \"relu\", \"sigmoid\")."))


def _pista_de_argumentos(error, funcion, llamada):
    """Si ``funcion`` pide argumentos: la comprobación la llama sin ninguno."""
    try:
        parametros = inspect.signature(funcion).parameters.values()
    except (TypeError, ValueError):  # algo llamable sin firma que leer
        return ""
    obligatorios = [p for p in parametros if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    if isinstance(error, TypeError) and obligatorios:
        return (f"La comprobación llama a {llamada} sin argumentos: dale a cada uno un valor por defecto, como en el "
                "cuaderno (def mi_generador(dim_latente=64):).")
    return ""


def _operaciones(modelo):
    """Las capas y las operaciones (p. ej. ``x * 0.5``, que no es una capa) de ``modelo``, en orden."""
    return [c for c in getattr(modelo, "operations", modelo.layers) if not isinstance(c, layers.InputLayer)]


def _capas(modelo):
    """Las capas de ``modelo``, también las de un bloque anidado (un ``Sequential`` dentro) y la que envuelve un
    envoltorio (p. ej. ``SpectralNormalization(Conv2D(…))``)."""
    for capa in modelo.layers:
        if isinstance(capa, keras.Model):
            yield from _capas(capa)
            continue
        yield capa
        if isinstance(capa, layers.Wrapper):
            yield capa.layer


def _nombre_final(modelo):
    """El último nombre de ``_nombres_de_capa`` en ``modelo`` (una activación lineal no tiene), o ``""``."""
    nombres = [nombre for operacion in _operaciones(modelo) for nombre in _nombres_de_capa(operacion)]
    return nombres[-1] if nombres else ""


def _normaliza_la_salida(modelo):
    """¿Hay una BatchNormalization después de la última capa con pesos (convolución o Dense)?"""
    operaciones = _operaciones(modelo)
    con_pesos = [i for i, c in enumerate(operaciones) if isinstance(c, (layers.Dense, layers.Conv2D, layers.Conv2DTranspose))]
    return bool(con_pesos) and any(isinstance(c, layers.BatchNormalization) for c in operaciones[con_pesos[-1] + 1:])


def _operaciones_planas(modelo):
    """``_operaciones(modelo)``, con las de un bloque anidado (un ``Sequential`` dentro) en su lugar."""
    for operacion in _operaciones(modelo):
        if isinstance(operacion, keras.Model):
            yield from _operaciones_planas(operacion)
        else:
            yield operacion


def _normaliza_tras_activar(modelo):
    """¿Hay una BatchNormalization justo después de una activación (en su capa o dentro de la convolución)?"""
    nombres = [nombre for operacion in _operaciones_planas(modelo) for nombre in _nombres_de_capa(operacion)]
    return any(despues == "BatchNormalization" and antes.startswith((*_ACTIVACIONES, "Activation("))
               for antes, despues in zip(nombres, nombres[1:]))


def _pista_de_forma(salida, transpuestas):
    """Por qué suele salir otra forma que ``(None, 16, 16, 1)`` del generador."""
    if sorted(salida[1:], key=str) == sorted((TAMANO, TAMANO, 1), key=str):
        return "los canales van al final, (alto, ancho, canales), como en las imágenes reales"
    pista = "¿cuántas convoluciones transpuestas de paso 2 (cada una duplica el lado) y cuántos filtros en la última?"
    if any(c.padding == "valid" for c in transpuestas):
        pista += (' Con padding="same" cada una duplica el lado exactamente; sin él (padding="valid", el de Keras), '
                  "lo agranda algo más")
    return pista


def _problema_de_resolucion(modelo, convoluciones, generador):
    """Qué falla en cómo cambia de resolución ``modelo`` (``None`` si nada): una DCGAN lo hace con convoluciones
    de paso 2 (``convoluciones``: transpuestas en el generador), sin agrupamiento ni ``UpSampling``."""
    tipo, hacia, cambia, recorrido = (("Conv2DTranspose", "sube", "duplica", "4×4 → 8×8 → 16×16") if generador else
                                      ("Conv2D", "baja", "reduce a la mitad", "16×16 → 8×8 → 4×4"))
    if prohibidas := _capas_prohibidas(modelo):
        if not generador and all(t.startswith("Global") for t in prohibidas):  # resume el último bloque, no lo baja
            return (f"usa {', '.join(prohibidas)} antes de Dense(1): la DCGAN no lleva agrupamiento (lección 2, § 4; en su "
                    "artículo, promediar así al final estabilizaba, pero aprendía más despacio): aplana el último bloque "
                    "con layers.Flatten() y pásalo a Dense(1)")
        return f"usa {', '.join(prohibidas)}: en una DCGAN se {hacia} de resolución con {tipo} de paso 2"
    if not convoluciones:
        return (f"no tiene {tipo}: en una DCGAN se {hacia} de resolución con {tipo} de paso 2, cada una {cambia} el lado "
                f"({recorrido})")
    if otros_pasos := sorted({c.strides for c in convoluciones} - {(1, 1), (2, 2)}):
        return f"una {tipo} tiene strides={otros_pasos[0]}: en una DCGAN cada una {cambia} el lado (strides=2)"
    if all(c.strides == (1, 1) for c in convoluciones):
        return (f"sus {tipo} no {hacia}n de resolución (strides=1, el de Keras): usa strides=2, que {cambia} el lado "
                f"({recorrido})")
    return None


def _problema_activaciones(modelo, regla):
    """Qué falla en las activaciones ocultas de ``modelo`` (``None`` si nada); ``regla``: cuáles lleva la DCGAN."""
    nombres = [nombre for operacion in _operaciones_planas(modelo) for nombre in _nombres_de_capa(operacion)]
    if raras := [n for n in nombres if n.startswith("LeakyReLU(") and float(n[len("LeakyReLU("):-1]) >= 1]:
        return (f"usa {raras[0]}: la pendiente de los negativos va de 0 a 1, sin llegar a 1 (con 1, la capa no cambia "
                "nada): ¿querías decir LeakyReLU(0.2)?")
    con_pesos = [i for i, nombre in enumerate(nombres) if nombre in ("Dense", "Conv2D", "Conv2DTranspose")]
    for i, j in zip(con_pesos, con_pesos[1:]):
        # Solo capas que no activan: otra operación (p. ej. keras.ops.maximum) podría ser una activación escrita a mano.
        if set(nombres[i + 1:j]) <= {"BatchNormalization", "Reshape", "Flatten", "Dropout"}:
            return (f"tras la {nombres[:i + 1].count(nombres[i])}.ª {nombres[i]} no hay activación: la DCGAN lleva "
                    f"{regla}; sin ella, esa capa y la siguiente equivalen a una sola")
    return None


def _capas_prohibidas(modelo):
    tipos = {type(c).__name__ for c in _capas(modelo)}
    return sorted(t for t in tipos if "Pooling" in t or "UpSampling" in t)


def _comparar_con_el_curso(modelo, referencia, entrada, nombre):
    """Copia los pesos de ``referencia`` en ``modelo`` si tienen las mismas formas y compara salidas:
    ``(sirve, qué decir)``."""
    formas, formas_ref = [tuple(w.shape) for w in modelo.weights], [tuple(w.shape) for w in referencia.weights]
    if formas != formas_ref:
        propios, del_curso = (miles(m.count_params()) for m in (modelo, referencia))
        cuantos = (f"los mismos {propios} parámetros, repartidos de otra forma" if propios == del_curso
                   else f"{propios} parámetros frente a {del_curso}")
        return True, (f"No es idéntico al del curso ({cuantos}), pero cumple las reglas: sirve. Para compararlos capa "
                      f"a capa: solucion(\"{nombre}\").")
    modelo.set_weights(referencia.get_weights())
    for modo in (False, True):
        if not np.allclose(modelo(entrada, training=modo), referencia(entrada, training=modo), atol=1e-5):
            cambios, sirve = _cambios_de_capas(modelo, referencia)
            if sirve:
                return True, (f"No es idéntico al del curso: {cambios}. Con los mismos pesos da otra salida, pero "
                              "cumple las reglas: sirve.")
            reordenada = not cambios or "añades" in cambios and "te falta" in cambios
            return False, (f"Tiene los mismos pesos que el del curso pero, con ellos, otra salida (training={modo})."
                           + (f" Difiere en que {cambios}." if cambios else "")
                           + (" Revisa el orden: convolución → BatchNormalization → activación, y la activación de "
                              "la salida." if reordenada else ""))
    return True, "Con los mismos pesos da exactamente la misma salida que el del curso."


def _veredicto(nombre, sirve, detalle, avisos=()):
    """Imprime el resultado de comprobar el ``nombre`` («generador», «discriminador») y devuelve ``sirve``."""
    if sirve:
        print("\n  ".join([f"✓ Tu {nombre} cumple las reglas DCGAN.", *avisos, detalle]))
    else:
        print(f"✗ {detalle}")
    _aviso_completar(nombre)
    return sirve


# Activaciones ocultas que pueden sustituir a las del curso sin romper la red.
_ACTIVACIONES = ("ReLU", "LeakyReLU(", "ELU", "PReLU", "Activation(elu)", "Activation(gelu)", "Activation(selu)",
                 "Activation(silu)", "Activation(swish)", "Activation(leaky_relu)")


def _activacion(nombre):
    return "ReLU" if nombre == "relu" else f"Activation({nombre})"


# Cómo se escriben las operaciones de Keras que salen de la aritmética con tensores (x * 0.5, -x…).
_ARITMETICA = {"multiply": "x * …", "add": "x + …", "subtract": "x - …", "negative": "-x", "divide": "x / …",
               "true_divide": "x / …", "power": "x ** …", "absolute": "abs(x)"}


def _nombres_de_capa(operacion):
    """«LeakyReLU(0.2)», «Dropout», o «Conv2D» y «ReLU» si lleva la activación dentro: lo que distingue a una
    capa al comparar (una activación dentro, en su propia capa o como operación, p. ej. keras.ops.tanh, es
    lo mismo). Otra operación se nombra como se escribe: «la operación x * …»."""
    if isinstance(operacion, layers.LeakyReLU):
        return [f"LeakyReLU({operacion.negative_slope:g})"]
    if not isinstance(operacion, layers.Layer):
        # Su clase es la función en CamelCase: LeakyRelu para keras.ops.leaky_relu.
        nombre = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", type(operacion).__name__).lower()
        if hasattr(keras.activations, nombre):
            return [_activacion(nombre)]
        return [f"la operación {_ARITMETICA.get(nombre, f'keras.ops.{nombre}')}"]
    propia = [] if isinstance(operacion, layers.Activation) else [type(operacion).__name__]
    return propia + _nombres_de_activacion(getattr(operacion, "activation", None))


def _nombres_de_activacion(activacion):
    """Cómo se llama la activación que lleva una capa dentro (``activation=…``; ninguna si es lineal): también una
    capa (``activation=layers.LeakyReLU(0.2)``) o una función con argumentos fijados con ``functools.partial``."""
    if isinstance(activacion, layers.Layer):
        return _nombres_de_capa(activacion)
    funcion = getattr(activacion, "func", activacion)  # partial(tf.nn.leaky_relu, alpha=0.2): su función
    nombre = getattr(funcion, "__name__", "linear" if activacion is None else type(activacion).__name__)
    return [] if nombre == "linear" else [_activacion(nombre)]


def _cambios_de_capas(modelo, referencia):
    """En qué difieren las capas de ``modelo`` de las de ``referencia`` (un texto), y si son cambios que no
    rompen la red: una activación oculta en lugar de otra, o un Dropout de más."""
    propias, del_curso = ([n for c in _operaciones(m) for n in _nombres_de_capa(c)] for m in (modelo, referencia))
    cambios, sirve = [], True
    for tipo, i1, i2, j1, j2 in difflib.SequenceMatcher(a=del_curso, b=propias, autojunk=False).get_opcodes():
        if tipo == "replace":
            cambios.append(f"usas {', '.join(propias[j1:j2])} donde el del curso usa {', '.join(del_curso[i1:i2])}")
            sirve &= all(n.startswith(_ACTIVACIONES) for n in propias[j1:j2] + del_curso[i1:i2])
        elif tipo == "insert":
            cambios.append(f"añades {', '.join(propias[j1:j2])}")
            sirve &= all(n == "Dropout" for n in propias[j1:j2])
        elif tipo == "delete":
            cambios.append(f"te falta {', '.join(del_curso[i1:i2])}")
            sirve = False
    if "LeakyReLU(0.3)" in propias and "LeakyReLU(0.2)" in del_curso:
        cambios.append("(LeakyReLU() sin argumento tiene pendiente 0,3 en Keras 3; el del curso usa LeakyReLU(0.2))")
    veces = {cambio: cambios.count(cambio) for cambio in cambios}
    return "; ".join(c if n == 1 else f"{c} ({n} veces)" for c, n in veces.items()), bool(cambios) and sirve


def _aviso_completar(nombre):
    if nombre in _usos:
        print(f"  Aún usa completar(\"{nombre}\", …): sustitúyelo por tus líneas y vuelve a comprobar.")


@_calculo_exacto()
def comprobar_generador(funcion):
    """Construye ``funcion()`` (sin argumentos: un generador de ``(64,)`` a ``(16, 16, 1)``) y lo revisa.

    Devuelve ``True`` si cumple las reglas DCGAN (forma, salida en [-1, 1] con ``tanh``, subida de
    resolución con ``Conv2DTranspose`` de paso 2 sin agrupamiento, normalización por lotes y una activación
    en todas las capas menos la de salida); si tiene las mismas capas que ``construir_generador(16, 1, 64)``,
    además debe dar su misma salida con sus mismos pesos.
    """
    _usos.clear()
    keras.utils.set_random_seed(0)
    modelo = _construir(funcion, "generador")
    if modelo is None:
        return False
    entrada, salida = tuple(modelo.input_shape), tuple(modelo.output_shape)
    problemas = []
    if not str(modelo.inputs[0].dtype).startswith(("float", "bfloat")):
        problemas.append(f"la entrada es de tipo {modelo.inputs[0].dtype}: los vectores latentes son números reales; "
                         "quita el dtype de keras.Input")
    if entrada != (None, DIM_LATENTE):
        problemas.append(f"la entrada es {entrada} y debería ser (None, {DIM_LATENTE}): un vector latente de "
                         f"{DIM_LATENTE} números")
    transpuestas = [c for c in _capas(modelo) if isinstance(c, layers.Conv2DTranspose)]
    if salida != (None, TAMANO, TAMANO, 1):
        problemas.append(f"la salida es {salida} y debería ser (None, {TAMANO}, {TAMANO}, 1): "
                         + _pista_de_forma(salida, transpuestas))
    if problema := _problema_de_resolucion(modelo, transpuestas, generador=True):
        problemas.append(problema)
    if problema := _problema_activaciones(modelo, "ReLU tras cada capa oculta, después de su BatchNormalization"):
        problemas.append(problema)
    ocultas = [c for c in _capas(modelo) if isinstance(c, (layers.Dense, layers.Conv2DTranspose, layers.Conv2D))][:-1]
    if _normaliza_la_salida(modelo):
        problemas.append("normalizas la capa de salida (BatchNormalization tras la última convolución): la DCGAN "
                         "normaliza todas menos esa, para que las imágenes puedan tener la media y el contraste de las "
                         "reales")
    # Con los pesos del curso, la comparación de salidas ya lo rechaza; con otros (p. ej. el sesgo que Keras pone
    # por defecto) no se compara, y el mismo orden no puede valer o no según el sesgo.
    if _normaliza_tras_activar(modelo):
        problemas.append("pones la BatchNormalization después de la activación: el orden DCGAN es convolución → "
                         "BatchNormalization → activación (x = layers.ReLU()(layers.BatchNormalization()(x)))")
    normalizaciones = sum(isinstance(c, layers.BatchNormalization) for c in _capas(modelo))
    if normalizaciones < len(ocultas):
        problemas.append(f"tiene {contar(normalizaciones, 'BatchNormalization', 'BatchNormalization')} para "
                         f"{contar(len(ocultas), 'capa oculta', 'capas ocultas')} (Dense y convoluciones antes de la "
                         "última): el generador DCGAN la usa tras cada una")
    # La última operación (keras.ops.tanh no es una capa); sin activación que mirar, lo dirá el rango.
    final = getattr(getattr((_operaciones(modelo) or [None])[-1], "activation", None), "__name__", "tanh")
    if final != "tanh":
        termina = "sin activación" if final == "linear" else f"en {final}"
        problemas.append(f"la última capa termina {termina}: debe ser tanh, para dar imágenes en [-1, 1] como las "
                         "reales (activation=\"tanh\" en la última Conv2DTranspose)")
    if not problemas:
        z = keras.random.normal((32, DIM_LATENTE), seed=1) * 3.0
        imagenes = np.asarray(modelo(z, training=False))
        if imagenes.min() < -1.0001 or imagenes.max() > 1.0001 or imagenes.min() >= -1e-6:
            tanh_antes = any("Activation(tanh)" in _nombres_de_capa(c) for c in _operaciones(modelo))
            if _nombre_final(modelo) == "Activation(tanh)":  # tanh al final: lo que quita los negativos va antes
                causa = ("ninguno negativo, aunque termina en tanh: algo antes de tanh deja solo valores positivos "
                         "(¿una ReLU en la última capa?); la salida es Conv2DTranspose → tanh, sin ReLU")
            elif tanh_antes:
                causa = "no cambies la escala después de tanh: las imágenes reales están en [-1, 1]"
            else:
                causa = "la última capa debe ser tanh, para dar imágenes en [-1, 1] como las reales"
            problemas.append(f"sus valores van de {cifra(imagenes.min())} a {cifra(imagenes.max())}: {causa}")
    if problemas:
        print("✗ Tu generador no está listo:\n  - " + "\n  - ".join(problemas))
        return False
    z = keras.random.normal((8, DIM_LATENTE), seed=2)
    return _veredicto("generador", *_comparar_con_el_curso(modelo, construir_generador(TAMANO, 1, DIM_LATENTE), z,
                                                           "generador"))


@_calculo_exacto()
def comprobar_discriminador(funcion):
    """Construye ``funcion()`` (sin argumentos: un discriminador de ``(16, 16, 1)`` a un logit ``(1,)``) y lo revisa.

    Devuelve ``True`` si cumple las reglas DCGAN (forma, logit sin activación, ``Conv2D`` de paso 2
    sin agrupamiento, una activación tras cada capa oculta); si tiene las mismas capas que
    ``construir_discriminador(16, 1)``, además debe dar su misma salida con sus mismos pesos. Avisa (sin
    fallar) de ReLU o BatchNormalization.
    """
    _usos.clear()
    keras.utils.set_random_seed(0)
    modelo = _construir(funcion, "discriminador")
    if modelo is None:
        return False
    entrada, salida = tuple(modelo.input_shape), tuple(modelo.output_shape)
    problemas = []
    if entrada != (None, TAMANO, TAMANO, 1):
        problemas.append(f"la entrada es {entrada} y debería ser (None, {TAMANO}, {TAMANO}, 1): una imagen de dígito")
    if salida != (None, 1):
        problemas.append(f"la salida es {salida} y debería ser (None, 1): un solo número por imagen (Flatten y Dense(1))")
    convoluciones = [c for c in _capas(modelo) if isinstance(c, layers.Conv2D) and not isinstance(c, layers.Conv2DTranspose)]
    if problema := _problema_de_resolucion(modelo, convoluciones, generador=False):
        problemas.append(problema)
    if problema := _problema_activaciones(modelo, "LeakyReLU(0.2) tras cada capa oculta"):
        problemas.append(problema)
    final = _nombre_final(modelo)
    final = final if final.startswith(("Activation", "ReLU", "LeakyReLU")) else None
    if final == "Activation(sigmoid)":
        problemas.append("termina con sigmoide: devuelve el logit, sin activación; las pérdidas del curso parten del logit "
                         "(softplus), que es más estable")
    elif final:
        problemas.append(f"termina con {final}: devuelve el logit, sin activación, que puede ser cualquier número "
                         "(también negativo); las pérdidas del curso parten de él (softplus)")
    elif not problemas:  # p. ej. abs(x) al final: se ve en la salida
        salidas = np.asarray(modelo(keras.random.uniform((64, TAMANO, TAMANO, 1), -1.0, 1.0, seed=3), training=False))
        if salidas.min() >= 0:
            problemas.append(f"todas sus salidas están entre {cifra(salidas.min())} y {cifra(salidas.max())}, ninguna "
                             "negativa: devuelve el logit, sin activación, que puede ser cualquier número; las pérdidas "
                             "del curso parten de él (softplus)")
    if problemas:
        print("✗ Tu discriminador no está listo:\n  - " + "\n  - ".join(problemas))
        return False
    tipos, avisos = {type(c) for c in _capas(modelo)}, []
    if layers.BatchNormalization in tipos:
        avisos.append("Aviso: lleva BatchNormalization; el del curso no (lección 2): reales y generadas llegan en lotes "
                      "separados y D podría distinguirlas por sus estadísticas.")
    if layers.ReLU in tipos and layers.LeakyReLU not in tipos:
        avisos.append("Aviso: usa ReLU; DCGAN usa LeakyReLU(0.2) en el discriminador para que el gradiente no se anule.")
    imagenes = keras.random.uniform((8, TAMANO, TAMANO, 1), -1.0, 1.0, seed=2)
    return _veredicto("discriminador", *_comparar_con_el_curso(modelo, construir_discriminador(TAMANO, 1), imagenes,
                                                               "discriminador"), avisos)


# --- El paso de entrenamiento ---------------------------------------------------------------------


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
    pista = _pista(texto, _PISTAS_PASO)
    return f"train_step lanzó {type(error).__name__}: {texto}{donde}" + (f"\n  Qué hacer: {pista}." if pista else "")


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
    if not nombre.startswith("_") and hasattr(gan, nombre):
        return f"{nombre} no existe dentro de train_step: es self.{nombre}, el de esta GAN"
    locales = [n for n in list(_marcos(error))[-1].f_locals if not n.startswith("_")]
    if parecidos := difflib.get_close_matches(nombre, locales, n=1, cutoff=0.6):
        return f"{nombre} no existe: ¿querías decir {parecidos[0]}?"
    return f"{nombre} no existe en ese punto: ¿una errata, o falta definirlo (o importarlo) antes?"


def _gan_de_prueba(clase):
    """``clase`` con las redes del curso (mismos pesos iniciales siempre) y dos Adam anotados con
    tasas distintas (2e-4 para G, 1e-4 para D), para que usar uno por otro se note."""
    keras.utils.set_random_seed(0)
    generador, discriminador = construir_generador(TAMANO, 1, DIM_LATENTE), construir_discriminador(TAMANO, 1)
    gan = clase(generador, discriminador, semilla=0)
    gan.compile(opt_generador=_AdamAnotado("opt_generador", learning_rate=2e-4, beta_1=0.5),
                opt_discriminador=_AdamAnotado("opt_discriminador", learning_rate=1e-4, beta_1=0.5))
    return gan


@contextlib.contextmanager
def _paso_a_paso():
    """Las ``tf.function`` sin compilar (p. ej. un ``train_step`` con ``@tf.function``, como en el tutorial de
    TensorFlow): el paso se compara leyendo sus gradientes; el grafo se prueba después, en ``_problema_en_grafo``."""
    antes = tf.config.functions_run_eagerly()
    tf.config.run_functions_eagerly(True)
    try:
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


@_calculo_exacto()
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
    _usos.clear()
    gan = _gan_de_prueba(clase)
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
                or (error and _explicar(error, gan))
                or _problema_llamadas(gan, antes)
                or _problema_resultado(obtenido)
                or _problema_normalizacion(gan, referencia, antes_bn)
                or _problema_perdidas(obtenido, esperado, lote)
                or _problema_gradientes(gan, referencia))
    if problema:
        print(f"✗ Tu train_step no hace lo mismo que el de GANBasica: {problema}\n"
              "  Pista: solucion(\"paso\") lo muestra entero.")
        return False
    if problema := _problema_en_grafo(clase):
        print(f"✗ Tu train_step da el mismo paso que el de GANBasica, pero {problema}")
        return False
    print(f"✓ Tu train_step coincide con el de GANBasica: perdida_d = {cifra(float(obtenido['perdida_d']), 4)}, "
          f"perdida_g = {cifra(float(obtenido['perdida_g']), 4)}, y cada optimizador recibió los mismos gradientes.")
    if usados := [h for h in _PASO if h in _usos]:
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
    try:
        # Sin autograph, como fit (Keras marca su paso con do_not_convert): autograph arreglaría len o float.
        lote = tf.TensorSpec((None, TAMANO, TAMANO, 1), tf.float32)
        tf.function(gan.train_step, autograph=False).get_concrete_function(lote)
    except Exception as error:  # el código del estudiante puede fallar de cualquier manera
        texto, linea = primera_linea(error), linea_del_estudiante(error)
        pista = (next((pista for patron, _, pista in _PISTAS_GRAFO if re.search(patron, linea)), "")
                 or _pista(texto, [(clave, pista) for _, clave, pista in _PISTAS_GRAFO],
                           "dentro de train_step usa solo operaciones de TensorFlow: nada de .numpy(), float(), "
                           "np.…, print de valores ni if con un tensor"))
        donde = f"\n  Tu línea: {linea}" if linea else ""
        return (f"fit lo compila en un grafo (tf.function), donde los tensores aún no tienen valor, y ahí lanza "
                f"{type(error).__name__}: {texto}{donde}\n  Qué hacer: {pista}.")
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
        return ("las estadísticas de BatchNormalization del generador no cambiaron: falta training=True al llamar a "
                "self.generador(z, training=True). Sin él, la normalización usa las medias acumuladas (aún sin "
                "aprender) en lugar de las del lote, y las imágenes y los gradientes salen distintos.")
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

    n = lote.shape[0]
    suma = "es la suma sobre el lote, no la media: usa tf.reduce_mean, que no cambia con el tamaño del lote"
    sin_from_logits = ("usa keras.losses.BinaryCrossentropy sin from_logits=True, que espera probabilidades y recibe "
                       "logits: escribe BinaryCrossentropy(from_logits=True)")

    return {
        "perdida_d": [
            (-(media(-reales) + media(falsos)), "tiene el signo cambiado: con el signo menos, D maximizaría su error"),
            (media(reales) + media(-falsos), "tiene las etiquetas al revés: las reales van a 1 (softplus(-logits_reales)) y "
                                              "las generadas a 0 (softplus(logits_falsos))"),
            (media(reales) + media(falsos), "falta el signo menos en las reales: softplus(-logits_reales) = −log D(x), que "
                                            "baja cuando D dice «real» con ellas"),
            (media(-reales) + media(-falsos), "sobra el signo menos en las generadas: softplus(logits_falsos) = "
                                              "−log(1 − D(G(z))), que baja cuando D dice «generada» con ellas"),
            ((media(-reales) + media(falsos)) / 2, "es la mitad: suma las dos medias, la de reales y la de generadas"),
            (n * (media(-reales) + media(falsos)), suma),
            (entropia_cruzada(1.0, reales) + entropia_cruzada(0.0, falsos), sin_from_logits),
        ],
        "perdida_g": [
            (-media(-falsos), "tiene el signo cambiado: con el signo menos, G empeoraría a propósito"),
            (media(falsos), "tiene el signo del logit cambiado: G quiere que D diga «real», así que sus imágenes "
                            "van a 1: softplus(-logits_falsos)"),
            (-media(falsos), "es la pérdida saturante del minimax original, log(1 − D(G(z))): al principio casi no da "
                             "gradiente; usa la no saturante, −log D(G(z)) = softplus(-logits_falsos)"),
            (entropia_cruzada(1.0, falsos), sin_from_logits),
            (n * media(-falsos), suma),
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
