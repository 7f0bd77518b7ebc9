"""Dónde se va el tiempo de un gradiente de la transferencia de estilo: la red, la pérdida, el recorte y el espectro.

Compila con ``tf.function`` varias funciones que devuelven un valor y su gradiente respecto a la
imagen (o al espectro) y las cronometra en rondas alternas en el mismo proceso (la velocidad de una
máquina virtual cambia de un minuto a otro; las rondas alternas reparten ese cambio entre todas):

- ``red``: solo SqueezeNet (la suma de los mapas de las capas de la pérdida), ida y vuelta;
- ``tutorial``: la pérdida escrita como en el tutorial de TensorFlow (``velocidad_estilo.py``), sin Adam;
- ``perdida``: ``estilo.crear_perdida`` en los píxeles, sin recorte;
- ``recorte_automatico``: más el recorte a [0, 1] y el muelle con la derivada automática de TensorFlow
  (``tf.clip_by_value`` y ``0,01·Σ(imagen − recortada)²``, como antes del 1 de diciembre);
- ``recorte_kit``: más ``optimizadores_estilo._recortar_con_muelle``, lo que hace el curso (el mismo valor
  y el mismo gradiente; se comprueba);
- ``kit``: el gradiente compilado de ``transferir_estilo`` sobre el espectro (``en_frecuencias``).

Imprime el modelo de CPU y, para cada una, los milisegundos de reloj por gradiente en cada ronda y
la mediana.

    python benchmarks/gradiente_estilo.py --rondas 8
"""

import argparse
import statistics
import time

import numpy as np
import skimage.data
import sklearn.datasets
import tensorflow as tf

from helpers import describir_dispositivo, estilo, optimizadores_estilo
from velocidad_estilo import perdida_del_tutorial


def con_gradiente(funcion):
    @tf.function(autograph=False)
    def calcular(x):
        with tf.GradientTape() as cinta:
            cinta.watch(x)
            valor = funcion(x)
        return valor, cinta.gradient(valor, x)

    return calcular


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--lado", type=int, default=256)
    argumentos.add_argument("--rondas", type=int, default=8)
    argumentos.add_argument("--gradientes", type=int, default=20, help="gradientes por función y ronda")
    args = argumentos.parse_args()

    extractor = estilo.extractor_estilo("squeezenet")
    foto = estilo.cargar_imagen(sklearn.datasets.load_sample_image("china.jpg"), args.lado)
    pintura = estilo.cargar_imagen(skimage.data.hubble_deep_field(), args.lado)
    perdida = estilo.crear_perdida(extractor, foto, pintura)
    tutorial = perdida_del_tutorial(extractor, foto, pintura)
    # La foto con algo de ruido: parte de los píxeles se sale de [0, 1], como durante la optimización.
    pixeles = tf.constant(foto[None] / 255.0 + np.random.default_rng(0).normal(0, 0.05, foto[None].shape), tf.float32)
    a_imagen, espectro = estilo.en_frecuencias(tf.constant(foto[None] / 255.0, tf.float32))
    espectro = tf.random.stateless_normal(espectro.shape, (0, 0)) * 1e-3

    def red(imagen):
        mapas = extractor(imagen * 255.0)
        return tf.add_n([tf.reduce_sum(m) for m in mapas["contenido"] + mapas["estilo"]])

    def recorte_automatico(imagen):
        recortada = tf.clip_by_value(imagen, 0.0, 1.0)
        return perdida(recortada)["total"] + 0.01 * tf.reduce_sum(tf.square(imagen - recortada))

    def recorte_kit(imagen):
        recortada, muelle = optimizadores_estilo._recortar_con_muelle(imagen)
        return perdida(recortada)["total"] + muelle

    compilado, sin_refuerzo = optimizadores_estilo._gradiente_compilado(extractor), tf.constant(0.0)
    funciones = {
        "red": (con_gradiente(red), pixeles),
        "tutorial": (con_gradiente(tutorial), pixeles),
        "perdida": (con_gradiente(lambda imagen: perdida(imagen)["total"]), pixeles),
        "recorte_automatico": (con_gradiente(recorte_automatico), pixeles),
        "recorte_kit": (con_gradiente(recorte_kit), pixeles),
        "kit": (lambda z: compilado(z, perdida.objetivos, perdida.pesos, sin_refuerzo, (a_imagen.base, a_imagen.peso))[1:],
                espectro),
    }
    automatico, kit = funciones["recorte_automatico"][0](pixeles), funciones["recorte_kit"][0](pixeles)
    np.testing.assert_allclose(float(automatico[0]), float(kit[0]), rtol=1e-6)
    np.testing.assert_allclose(automatico[1].numpy(), kit[1].numpy(), rtol=1e-5, atol=1e-7)

    print(describir_dispositivo())
    print(f"China + Hubble, {foto.shape[1]}×{foto.shape[0]} px, SqueezeNet; ms de reloj por gradiente")
    for funcion, x in funciones.values():  # trazar y calentar fuera del cronómetro
        for _ in range(3):
            np.asarray(funcion(x)[-1])
    tiempos = {nombre: [] for nombre in funciones}
    for _ in range(args.rondas):
        for nombre, (funcion, x) in funciones.items():
            inicio = time.perf_counter()
            for _ in range(args.gradientes):
                np.asarray(funcion(x)[-1])
            tiempos[nombre].append(1000 * (time.perf_counter() - inicio) / args.gradientes)
    for nombre, valores in tiempos.items():
        print(f"{nombre:>19}: " + " ".join(f"{v:5.1f}" for v in valores) + f"   mediana {statistics.median(valores):.1f}")


if __name__ == "__main__":
    main()
