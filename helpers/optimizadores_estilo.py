"""Los dos optimizadores de ``estilo.transferir_estilo`` y el gradiente que comparten.

- ``optimizar_lbfgs``: L-BFGS (``helpers.lbfgs``) sobre el espectro del cambio (``frecuencias_estilo``), con
  el calentamiento que refuerza el contenido; ``MEMORIA_LBFGS`` y ``PASO_LBFGS`` son sus ajustes.
- ``optimizar_adam``: Adam sobre los píxeles, como el tutorial de TensorFlow.
- El gradiente: la pérdida se mide en la imagen recortada a [0, 1] y los píxeles que se salen pagan un
  muelle (``_recortar_con_muelle``); se compila una vez por extractor (``_gradiente_compilado``) y
  ``olvidar_redes`` lo olvida junto con las redes de ``perdidas_estilo``.

``optimizar_lbfgs`` y ``optimizar_adam`` reciben la pérdida de ``perdidas_estilo.crear_perdida`` y la imagen en [0, 1].
"""

import functools
import math

import keras
import numpy as np
import tensorflow as tf

from .frecuencias_estilo import en_frecuencias, imagen_de_espectro
from .lbfgs import minimizar_lbfgs
from .perdidas_estilo import _envolver, _partes_perdida, _red_base

# Pares (s, y) que recuerda L-BFGS y paso que prueba primero, en unidades del paso cuasi-Newton:
# elegidos con benchmarks/velocidad_estilo.py y exponente_frecuencias.py (las medidas, en
# benchmarks/README.md).
MEMORIA_LBFGS = 20
PASO_LBFGS = 1.3


def optimizar_lbfgs(perdida, imagen, iteraciones, al_iterar, calentamiento=0, peso_contenido=1.0):
    """L-BFGS (``helpers.lbfgs``) sobre el espectro del cambio (``en_frecuencias``); imagen en [0, 1].

    Las primeras ``calentamiento`` iteraciones el contenido pesa el triple (ver ``transferir_estilo``).
    ``al_iterar(partes, imagen_actual, evaluaciones)`` se llama tras cada iteración.
    """
    a_imagen, espectro = en_frecuencias(tf.constant(imagen))
    calcular = _gradiente_de(perdida, espectro, (a_imagen.base, a_imagen.peso))

    # Tensores, para que cambiar de uno a otro no recompile. El refuerzo se apaga sin reiniciar
    # L-BFGS: la curvatura aprendida con el contenido triple aún sirve (olvidarla no mejoraba).
    reforzado, normal = tf.constant(2.0 * peso_contenido), tf.constant(0.0)
    estado = {"iteraciones": 0, "evaluaciones": 0}

    def funcion(espectro):
        refuerzo = reforzado if estado["iteraciones"] < calentamiento else normal
        estado["partes"], objetivo, gradiente = calcular(tf.constant(espectro), refuerzo)
        estado["evaluaciones"] += 1
        objetivo, gradiente = float(objetivo), gradiente.numpy()
        # L-BFGS multiplica en float32 gradientes y sus diferencias (que pueden medir el doble): si el
        # cuadrado de su longitud no cabe con ese margen, se desbordaría (y un NaN tampoco pasa). Es una
        # pasada por el gradiente, poco al lado de las de L-BFGS (más de 80 en cada iteración).
        with np.errstate(over="ignore"):
            cuadrado = float(np.vdot(gradiente, gradiente))
        if not (math.isfinite(objetivo) and cuadrado < float(np.finfo(np.float32).max) / 4):
            raise FloatingPointError  # transferir_estilo lo explica
        return objetivo, gradiente

    def avisar(espectro, _):
        estado["iteraciones"] += 1
        al_iterar(estado["partes"], lambda: a_imagen(espectro), estado["evaluaciones"])

    espectro = minimizar_lbfgs(funcion, espectro, iteraciones, memoria=MEMORIA_LBFGS, paso=PASO_LBFGS,
                               al_iterar=avisar)
    return tf.clip_by_value(a_imagen(espectro), 0.0, 1.0).numpy()


def optimizar_adam(perdida, imagen, iteraciones, al_iterar):
    """Adam como en el tutorial de TensorFlow (tasa 0,02, β1 0,99), recortando a [0, 1] en cada paso.

    El tutorial usa ε = 0,1 con gradientes de 10 a 100 por píxel; los de esta pérdida normalizada
    son unas 10⁴ veces menores, así que ε baja en la misma proporción (Adam no cambia si gradiente y
    ε se escalan juntos).
    """
    calcular, variable = _gradiente_de(perdida, tf.constant(imagen)), tf.Variable(imagen)
    sin_refuerzo = tf.constant(0.0)
    optimizador = keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-5)
    for paso in range(1, iteraciones + 1):
        # Como tensor: con la tf.Variable, la traza generalizada tras varios tamaños fallaba al cambiar de
        # escala («Incompatible shapes»).
        actual = tf.convert_to_tensor(variable)
        partes, _, gradiente = calcular(actual, sin_refuerzo)
        optimizador.apply_gradients([(gradiente, variable)])
        variable.assign(tf.clip_by_value(variable, 0.0, 1.0))
        al_iterar(partes, lambda: variable, paso)
    # Un gradiente infinito vuelve NaN la imagen; al_iterar lo ve en la pérdida del paso siguiente, pero
    # tras el último no hay siguiente.
    imagen = variable.numpy()
    if not np.isfinite(imagen).all():
        raise FloatingPointError  # transferir_estilo lo explica
    return imagen


def _gradiente_de(perdida, variables, frecuencias=()):
    """``calcular(variables, refuerzo)``: el gradiente de ``perdida`` (de ``crear_perdida``) que compila
    ``_gradiente_compilado``, con esas ``frecuencias`` y para variables de la forma de ``variables``.

    Es la función concreta trazada sin fijar el alto ni el ancho de la imagen: un tamaño nuevo no vuelve a
    trazar (TensorFlow lo haría y después generalizaría), y llamarla se salta la búsqueda de la traza que
    hace la ``tf.function`` en cada gradiente.
    """
    argumentos = (variables, perdida.objetivos, perdida.pesos, tf.constant(0.0), frecuencias)
    concreta = _gradiente_compilado(perdida.extractor).get_concrete_function(*tf.nest.map_structure(_sin_tamano, argumentos))
    return lambda variables, refuerzo: concreta(variables, perdida.objetivos, perdida.pesos, refuerzo, frecuencias)


@functools.lru_cache(maxsize=8)
def _gradiente_compilado(extractor):
    """``_objetivo_y_gradiente`` de una pérdida de ``crear_perdida``, compilado con ``tf.function``.

    ``calcular(variables, objetivos, pesos, refuerzo, frecuencias=())``: sin ``frecuencias`` las
    variables son los píxeles (Adam); con ``frecuencias=(base, peso)``, el espectro de
    ``en_frecuencias`` (L-BFGS). Los objetivos, los pesos y las frecuencias llegan como datos y no
    dentro de la traza: trazar cuesta lo que decenas de gradientes, y así se traza una vez por
    extractor y método (``_gradiente_de``, sin fijar el tamaño de la imagen) y no en cada llamada a
    ``transferir_estilo``.
    """

    @tf.function(reduce_retracing=True, autograph=False)
    def calcular(variables, objetivos, pesos, refuerzo, frecuencias=()):
        a_imagen = (lambda z: imagen_de_espectro(z, *frecuencias)) if frecuencias else tf.identity
        return _objetivo_y_gradiente(lambda imagen: _partes_perdida(extractor, imagen, objetivos, pesos),
                                     a_imagen, variables, refuerzo)

    return calcular


def _objetivo_y_gradiente(perdida, a_imagen, variables, refuerzo):
    """``(partes, objetivo, gradiente)`` de ``perdida`` respecto a las ``variables`` que se optimizan.

    ``a_imagen`` convierte esas variables en la imagen ``(1, alto, ancho, 3)``. La pérdida se mide en
    la imagen recortada a [0, 1], la que se devolverá, así que ``partes`` no engaña. Los píxeles que
    se salen suman ``0,01·distancia²`` al objetivo, un muelle suave que los devuelve al rango sin cotas
    duras que frenen a L-BFGS; Adam, que recorta en cada paso, no lo nota. ``refuerzo`` (tensor
    escalar) suma ``refuerzo·contenido`` al objetivo: el calentamiento de L-BFGS.
    """
    with tf.GradientTape() as cinta:
        cinta.watch(variables)
        recortada, muelle = _recortar_con_muelle(a_imagen(variables))
        partes = perdida(recortada)
        objetivo = partes["total"] + refuerzo * partes["contenido"] + muelle
    return partes, objetivo, cinta.gradient(objetivo, variables)


@tf.custom_gradient
def _recortar_con_muelle(imagen):
    """``(imagen recortada a [0, 1], 0,01·Σ distancia²)`` de lo que se sale, con la derivada en una operación.

    Es la derivada de ``tf.clip_by_value`` más la del muelle, que se excluyen: cada píxel recibe la de
    la pérdida si está dentro del rango y la del muelle si está fuera. La derivada automática de las
    dos por separado hace varias pasadas por la imagen más (medido en ``benchmarks/README.md``).
    """
    recortada = tf.clip_by_value(imagen, 0.0, 1.0)
    fuera = imagen - recortada

    def gradiente(d_recortada, d_muelle):
        return tf.where(tf.equal(fuera, 0.0), d_recortada, 0.02 * d_muelle * fuera)

    return (recortada, 0.01 * tf.reduce_sum(tf.square(fuera))), gradiente


def _sin_tamano(tensor):
    """La firma de ``tensor`` con las dimensiones que pueden cambiar con la imagen sin fijar: todas menos las de
    tamaño 1 (el lote) y la última de los de tres o más (los canales, o las partes real e imaginaria)."""
    forma = tensor.shape
    return tf.TensorSpec([n if n == 1 or (eje == len(forma) - 1 and len(forma) >= 3) else None
                          for eje, n in enumerate(forma)], tensor.dtype)


def olvidar_redes():
    """Olvida las redes, los extractores y los gradientes trazados que se guardan entre llamadas
    (la siguiente llamada los vuelve a construir) y libera su memoria."""
    for guardados in (_red_base, _envolver, _gradiente_compilado):
        guardados.cache_clear()
