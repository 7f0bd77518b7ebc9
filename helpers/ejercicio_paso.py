"""El ejercicio del cuaderno 02: comprobar tu ``train_step`` con ``comprobar_paso(MiGAN)``.

Da un paso de tu ``train_step`` y otro del de ``GANBasica`` con los mismos pesos iniciales, el mismo lote real y
los mismos vectores latentes: mismas pérdidas, mismos gradientes aplicados por cada optimizador y mismas
estadísticas de normalización por lotes; después, que el paso se pueda compilar en un grafo, como hará ``fit``.
Devuelve ``True`` o ``False`` e imprime en español qué difiere y por qué suele pasar. Aquí están
``comprobar_paso`` y la prueba del grafo; la GAN de prueba y lo que anota, en ``paso_anotado``; cada diferencia
con el paso de ``GANBasica``, en ``problemas_paso``, y las pistas de los errores que lanza tu paso, en
``pistas_paso``. Los huecos (``completar``) y la solución (``solucion("paso")``) están en ``ejercicio_huecos``;
las comprobaciones de las redes, en ``ejercicio_dcgan``, de donde el cuaderno lo importa todo.
"""

import re
import warnings

import keras
import tensorflow as tf

from .ejercicio_huecos import DIM_LATENTE, HUECOS_DEL_PASO, TAMANO, calculo_exacto, huecos_usados, pista_para
from .errores import primera_linea
from .estudiante import linea_del_estudiante, version_sin_ejecutar
from .gan_basica import GANBasica
from .modelos import construir_discriminador, construir_generador
from .paso_anotado import (REDES, anotar_sorteos, estadisticas_normalizacion, gan_de_prueba, lote_de_prueba,
                           paso_a_paso, pesos_entrenables)
from .pistas_paso import explicar_error
from .problemas_paso import (problema_gradientes, problema_llamadas, problema_normalizacion, problema_perdidas,
                             problema_precision, problema_resultado, problema_sorteos, problema_variables_ajenas)
from .textos import cifra

# Lo único público de este módulo; lo que usa de los otros se importa de ellos.
__all__ = ["comprobar_paso"]


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
    lote = lote_de_prueba()
    referencia = gan_de_prueba(GANBasica)
    esperado = referencia.train_step(lote)
    huecos_usados.clear()
    gan = gan_de_prueba(clase)
    sorteos = anotar_sorteos(gan)
    antes_bn = estadisticas_normalizacion(gan.generador)
    antes = {red: pesos_entrenables(getattr(gan, red)) for _, red, _ in REDES}
    try:
        with warnings.catch_warnings(), paso_a_paso():  # Keras avisa en inglés de variables sin gradiente;
            warnings.filterwarnings("ignore", message="Gradients do not exist")  # problema_llamadas lo explica
            obtenido = gan.train_step(lote)
        error = None
    except Exception as excepcion:  # el código del estudiante puede fallar de cualquier manera
        obtenido, error = None, excepcion
    problema = (problema_variables_ajenas(gan)
                or problema_sorteos(sorteos, lote)
                or (error and explicar_error(error, gan))
                or problema_llamadas(gan, antes)
                or problema_resultado(obtenido)
                or problema_normalizacion(gan, referencia, antes_bn)
                or problema_precision(gan, obtenido, esperado, problema_perdidas(obtenido, esperado, lote)
                                      or problema_gradientes(gan, referencia)))
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
    sorteos = anotar_sorteos(gan)
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
