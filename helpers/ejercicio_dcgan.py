"""El ejercicio del cuaderno 02: las comprobaciones de tu generador y tu discriminador, y de aquí lo importa el
cuaderno todo (``completar`` y ``solucion`` de ``ejercicio_huecos``; ``comprobar_paso`` de ``ejercicio_paso``).

- ``comprobar_generador(mi_generador)``: reglas DCGAN y, si tiene las mismas capas, la misma salida
  que ``construir_generador(16, 1, 64)`` con los mismos pesos;
- ``comprobar_discriminador(mi_discriminador)``: lo mismo frente a ``construir_discriminador(16, 1)``.

Cada comprobación devuelve ``True`` o ``False`` e imprime en español qué difiere y por qué suele pasar.
"""

import difflib
import inspect
import re

import keras
import numpy as np
from keras import layers

from .ejercicio_huecos import DIM_LATENTE, TAMANO, calculo_exacto, completar, huecos_usados, pista_para, solucion
from .ejercicio_paso import comprobar_paso
from .errores import primera_linea
from .estudiante import pista_de_nombre, version_sin_ejecutar
from .modelos import construir_discriminador, construir_generador
from .textos import cifra, contar, miles

__all__ = ["completar", "comprobar_discriminador", "comprobar_generador", "comprobar_paso", "solucion"]

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
    ("Reshape.__init__() takes", "La forma va entre paréntesis, como una tupla: layers.Reshape((4, 4, 128)), no "
                                 "layers.Reshape(4, 4, 128)."),
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
        pista = (pista_para(str(error), _PISTAS_CONSTRUCCION).format(entrada=entrada) or _pista_de_activacion(error)
                 or pista_de_nombre(error) or _pista_de_argumentos(error, funcion, llamada))
        if pista and not pista.endswith((".", "?")):  # las de pista_de_nombre pueden acabar sin punto
            pista += "."
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


def _pista_de_activacion(error):
    """«¿Querías decir "tanh"?» si ``error`` es el de Keras con una activación que no conoce (p. ej. "Tanh"), o que el
    nombre de una activación va entre comillas si es un ``NameError`` (``activation=tanh``)."""
    if isinstance(error, NameError) and (activacion := error.name) and _es_activacion(activacion):
        texto = f'"{activacion}"'
        return (f"{activacion} va entre comillas, como texto: {texto} (p. ej. layers.Activation({texto}) o "
                f"activation={texto}); sin ellas, Python lo busca como una variable.")
    nombre = re.search(r"Could not interpret activation function identifier: (\S+)", str(error))
    if not nombre:
        return ""
    conocidas = [n for n in dir(keras.activations) if not n.startswith("_") and _es_activacion(n)]
    parecidos = difflib.get_close_matches(nombre[1].lower(), conocidas, n=1, cutoff=0.6)
    return (f"\"{nombre[1]}\" no es una activación de Keras" + (f": ¿querías decir \"{parecidos[0]}\"?" if parecidos else
                                                             " (se escriben en minúscula: \"tanh\", \"relu\", \"sigmoid\")."))


def _es_activacion(nombre):
    """Si Keras acepta el texto ``nombre`` como activación: en keras.activations también están get, serialize y
    deserialize, que no lo son. Con un texto, ``get`` solo lo busca en su tabla; no ejecuta nada."""
    try:
        keras.activations.get(nombre)
    except ValueError:
        return False
    return True


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
    if nombre in huecos_usados:
        print(f"  Aún usa completar(\"{nombre}\", …): sustitúyelo por tus líneas y vuelve a comprobar.")


@calculo_exacto()
def comprobar_generador(funcion):
    """Construye ``funcion()`` (sin argumentos: un generador de ``(64,)`` a ``(16, 16, 1)``) y lo revisa.

    Devuelve ``True`` si cumple las reglas DCGAN (forma, salida en [-1, 1] con ``tanh``, subida de
    resolución con ``Conv2DTranspose`` de paso 2 sin agrupamiento, normalización por lotes y una activación
    en todas las capas menos la de salida); si tiene las mismas capas que ``construir_generador(16, 1, 64)``,
    además debe dar su misma salida con sus mismos pesos.
    """
    huecos_usados.clear()
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


@calculo_exacto()
def comprobar_discriminador(funcion):
    """Construye ``funcion()`` (sin argumentos: un discriminador de ``(16, 16, 1)`` a un logit ``(1,)``) y lo revisa.

    Devuelve ``True`` si cumple las reglas DCGAN (forma, logit sin activación, ``Conv2D`` de paso 2
    sin agrupamiento, una activación tras cada capa oculta); si tiene las mismas capas que
    ``construir_discriminador(16, 1)``, además debe dar su misma salida con sus mismos pesos. Avisa (sin
    fallar) de ReLU o BatchNormalization.
    """
    huecos_usados.clear()
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
