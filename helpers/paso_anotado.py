"""La GAN de prueba de ``comprobar_paso`` y lo que anota mientras da un paso.

``gan_de_prueba`` crea la GAN con las redes del curso, siempre con los mismos pesos iniciales, y dos Adam que
anotan los gradientes y las variables que reciben; ``anotar_sorteos`` anota cuántos vectores latentes sortea el
paso. Es el banco donde se da el paso, no lo que se comprueba: con esas anotaciones, ``problemas_paso`` busca en
qué difiere del de ``GANBasica`` y ``pistas_paso`` explica los errores. También están aquí el lote de prueba, el
paso sin compilar (``paso_a_paso``) y los pesos y las estadísticas de normalización de cada red.
"""

import contextlib
import warnings

import keras
import numpy as np
import tensorflow as tf

from .datos import imagenes_digitos
from .ejercicio_huecos import DIM_LATENTE, TAMANO
from .modelos import construir_discriminador, construir_generador


def gan_de_prueba(clase):
    """``clase`` con las redes del curso (mismos pesos iniciales siempre) y dos Adam anotados con
    tasas distintas (2e-4 para G, 1e-4 para D), para que usar uno por otro se note."""
    keras.utils.set_random_seed(0)
    generador, discriminador = construir_generador(TAMANO, 1, DIM_LATENTE), construir_discriminador(TAMANO, 1)
    gan = clase(generador, discriminador, semilla=0)
    gan.compile(opt_generador=_AdamAnotado("opt_generador", learning_rate=2e-4, beta_1=0.5),
                opt_discriminador=_AdamAnotado("opt_discriminador", learning_rate=1e-4, beta_1=0.5))
    return gan


class _AdamAnotado(keras.optimizers.Adam):
    """Adam que anota los gradientes y las variables que recibe en cada ``apply``; ``nombre``: el atributo de la
    GAN que lo guarda (``opt_discriminador``…), para los mensajes."""

    def __init__(self, nombre, **kwargs):
        super().__init__(**kwargs)
        self.nombre, self.anotaciones = nombre, []

    def apply(self, grads, trainable_variables=None):
        grads, variables = list(grads), list(trainable_variables or [])
        if trainable_variables is not None and not variables:
            raise ErrorDelEjercicio(f"self.{self.nombre} recibió una lista de variables vacía: ¿pusiste "
                                    "trainable = False (en Keras 2, para congelar una red)? Con eso, "
                                    "trainable_variables queda vacía. Aquí no hace falta: cada optimizador cambia "
                                    "solo las variables que recibe; quita el trainable = False.")
        if not variables:  # Keras lo aceptaría solo con el optimizador ya construido, y lo explica en inglés
            raise ErrorDelEjercicio("apply necesita también las variables que actualiza: "
                                    "self.opt_….apply(gradientes, variables), con las mismas variables de las que "
                                    "pediste el gradiente (p. ej. self.generador.trainable_variables).")
        if not all(isinstance(v, keras.Variable) for v in variables):
            raise ErrorDelEjercicio("apply recibe primero los gradientes y después las variables: "
                                    "self.opt_….apply(gradientes, variables).")
        if len(grads) != len(variables) or any(g is not None and tuple(g.shape) != tuple(v.shape)
                                               for g, v in zip(grads, variables)):
            raise ErrorDelEjercicio("los gradientes no tienen la forma de las variables a las que los aplicas: "
                                    "pediste el gradiente respecto de unas variables y lo aplicas a otras. Usa las "
                                    "mismas en cinta.gradient(perdida, variables) y en apply(gradientes, variables).")
        self.anotaciones.append(([None if g is None else np.array(g) for g in grads], [v.path for v in variables]))
        return super().apply(grads, trainable_variables)


class ErrorDelEjercicio(Exception):
    """Un error típico del ejercicio ya explicado en español."""


def anotar_sorteos(gan):
    """Cambia ``gan.ruido_latente`` por uno que anota cuántos vectores sortea (``None`` si depende del lote, en un
    grafo) y devuelve esa lista de anotaciones."""
    sorteos, original = [], gan.ruido_latente

    def ruido_latente(*args, **kwargs):
        z = original(*args, **kwargs)
        sorteos.append(z.shape[0])
        return z

    gan.ruido_latente = ruido_latente
    return sorteos


@contextlib.contextmanager
def paso_a_paso():
    """Las ``tf.function`` sin compilar (p. ej. un ``train_step`` con ``@tf.function``, como en el tutorial de
    TensorFlow): el paso se compara leyendo sus gradientes; el grafo se prueba después, en
    ``ejercicio_paso._problema_en_grafo``."""
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


def lote_de_prueba():
    imagenes, _ = imagenes_digitos(TAMANO)
    return tf.constant(imagenes[:16])


REDES = (("opt_discriminador", "discriminador", "generador"), ("opt_generador", "generador", "discriminador"))


def variables_entrenables(gan, red):
    return {v.path for v in getattr(gan, red).trainable_variables}


def pesos_entrenables(red):
    return np.concatenate([np.ravel(v) for v in red.trainable_variables])


def estadisticas_normalizacion(red):
    return np.concatenate([np.ravel(v) for v in red.non_trainable_variables])
