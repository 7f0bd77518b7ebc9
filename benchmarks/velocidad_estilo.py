"""Velocidad de la transferencia de estilo: el bucle del tutorial de TensorFlow frente al del curso.

Misma red, mismas capas, misma pérdida y mismo tamaño (256 px de lado mayor) para los dos:
(a) el bucle del tutorial «Neural style transfer» de tensorflow.org: Adam (tasa 0,02, β1 0,99,
    ε 0,1) durante ``--pasos`` pasos desde la foto, recortando a [0, 1] tras cada paso, con la
    pérdida escrita como en el tutorial (matriz de Gram con ``einsum``, variación total con cortes
    ``imagen[:, 1:]`` y derivadas automáticas);
(b) ``estilo.transferir_estilo`` con sus opciones por defecto (L-BFGS, 400 iteraciones).
Las dos pérdidas son la misma función (términos, normalización y pesos de ``estilo.crear_perdida``);
el banco lo comprueba antes de medir. En cada ronda se corren los dos, uno tras otro en el mismo
proceso, y se mide cuánto tarda (b) en alcanzar la pérdida final de (a), contando todo lo que hace
``transferir_estilo`` (cargar las imágenes, compilar, optimizar). Imprime cada ronda, con el
cociente de tiempos, el de gradientes calculados (este no depende de la carga de la máquina) y lo
que cuesta cada gradiente en cada uno, y la mediana de los cocientes de tiempo, y guarda las dos
imágenes de la última ronda como PNG.

    python benchmarks/velocidad_estilo.py --rondas 3 --salida resultados/velocidad_estilo
"""

import argparse
import os
import statistics
import time

os.environ.pop("CURSO_GAN_RAPIDO", None)  # el modo rápido recortaría el trabajo del curso y falsearía la medida

import helpers  # noqa: E402  (primero: silencia los avisos de C de TensorFlow al importarlo)
import keras  # noqa: E402
import numpy as np  # noqa: E402
import skimage.data  # noqa: E402
import tensorflow as tf  # noqa: E402

from helpers import estilo, pinturas  # noqa: E402


# La pérdida del tutorial (sin normalizar) da gradientes de 10 a 100 por píxel y la del curso unas
# 10⁴ veces menores: se multiplica por ESCALA para que ε = 0,1 pese tan poco como en el tutorial.
# Multiplicar la pérdida no cambia su mínimo; la pérdida final se compara sin multiplicar.
ESCALA = 1e4


def gram_del_tutorial(mapas):
    """La matriz de Gram como la escribe el tutorial: un ``einsum`` sobre las posiciones."""
    posiciones = tf.cast(tf.shape(mapas)[1] * tf.shape(mapas)[2], tf.float32)
    return tf.linalg.einsum("bijc,bijd->bcd", mapas, mapas) / posiciones


def variacion_del_tutorial(imagen):
    """La variación total con cortes, como ``tf.image.total_variation``, en media como la del curso."""
    return (tf.reduce_mean(tf.abs(imagen[:, 1:] - imagen[:, :-1]))
            + tf.reduce_mean(tf.abs(imagen[:, :, 1:] - imagen[:, :, :-1])))


def perdida_del_tutorial(extractor, contenido, pintura, pesos=(1.0, 10.0, 0.1)):
    """La pérdida total de ``estilo.crear_perdida`` escrita como en el tutorial: ``perdida(imagen)``."""
    objetivo_contenido = extractor(tf.constant(contenido[None]))["contenido"]
    grams_pintura = [gram_del_tutorial(m) for m in extractor(tf.constant(pintura[None]))["estilo"]]

    def error_relativo(obtenidos, objetivos):  # el de estilo.perdida_estilo
        return tf.add_n([tf.reduce_mean(tf.square(o - t)) / (tf.reduce_mean(tf.square(t)) + 1e-8)
                         for o, t in zip(obtenidos, objetivos)]) / len(objetivos)

    def perdida(imagen):
        mapas = extractor(imagen * 255.0)
        return (pesos[0] * estilo.perdida_contenido(mapas["contenido"], objetivo_contenido)
                + pesos[1] * error_relativo([gram_del_tutorial(m) for m in mapas["estilo"]], grams_pintura)
                + pesos[2] * variacion_del_tutorial(imagen))

    return perdida


def bucle_del_tutorial(perdida, contenido, pasos):
    """Adam como en el tutorial de TensorFlow; devuelve la imagen final en [0, 1] y los segundos."""
    inicio = time.perf_counter()
    image = tf.Variable(contenido[None] / 255.0)
    opt = keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)

    @tf.function()
    def train_step(image):
        with tf.GradientTape() as tape:
            loss = ESCALA * perdida(image)
        grad = tape.gradient(loss, image)
        opt.apply_gradients([(grad, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))

    for _ in range(pasos):
        train_step(image)
    return image.numpy(), time.perf_counter() - inicio


def ronda(perdida, perdida_tutorial, contenido, pintura, args):
    """Una medida de los dos; devuelve ``(segundos tutorial, segundos curso o None, imágenes, texto)``."""
    imagen_tutorial, segundos_tutorial = bucle_del_tutorial(perdida_tutorial, contenido, args.pasos)
    objetivo = float(perdida(tf.constant(imagen_tutorial))["total"])

    inicio = time.perf_counter()
    imagen_curso, historial = estilo.transferir_estilo(contenido, pintura, red=args.red, lado_maximo=args.lado)
    preparacion = time.perf_counter() - inicio - historial["segundos"][-1]  # antes del reloj del curso y después
    final_curso = float(perdida(tf.constant(imagen_curso[None] / 255.0))["total"])
    alcanzada = [(segundos + preparacion, evaluaciones) for segundos, evaluaciones, total
                 in zip(historial["segundos"], historial["evaluaciones"], historial["total"]) if total <= objetivo]
    segundos_curso, gradientes_curso = historial["segundos"][-1] + preparacion, historial["evaluaciones"][-1]
    texto = (f"tutorial {segundos_tutorial:.1f} s ({1000 * segundos_tutorial / args.pasos:.0f} ms por paso) → "
             f"pérdida {objetivo:.4g}; curso {segundos_curso:.1f} s en total ({gradientes_curso} gradientes, "
             f"{1000 * segundos_curso / gradientes_curso:.0f} ms por iteración) → {final_curso:.4g}")
    if alcanzada:
        segundos, evaluaciones = alcanzada[0]
        texto += (f"; la alcanza en {segundos:.1f} s: {segundos_tutorial / segundos:.2f}× en tiempo, "
                  f"{args.pasos / evaluaciones:.2f}× en gradientes ({evaluaciones} frente a {args.pasos})")
    else:
        texto += "; no la alcanza"
    imagenes = (imagen_tutorial[0] * 255, imagen_curso)
    return segundos_tutorial, alcanzada[0][0] if alcanzada else None, imagenes, texto


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--pasos", type=int, default=1000, help="pasos de Adam del tutorial")
    argumentos.add_argument("--rondas", type=int, default=3, help="rondas alternando tutorial y curso")
    argumentos.add_argument("--lado", type=int, default=256, help="lado mayor de las imágenes, en píxeles")
    argumentos.add_argument("--red", default="auto", choices=["auto", "vgg19", "squeezenet"])
    argumentos.add_argument("--salida", default="resultados/velocidad_estilo")
    args = argumentos.parse_args()

    helpers.fijar_semilla(0)
    contenido = estilo.cargar_imagen(skimage.data.chelsea(), args.lado)
    pintura = estilo.cargar_imagen(pinturas.pintura_pinceladas(512, "noche"), args.lado)
    extractor = estilo.extractor_caracteristicas(args.red)
    perdida = estilo.crear_perdida(extractor, contenido, pintura)  # pesos por defecto del curso
    perdida_tutorial = perdida_del_tutorial(extractor, contenido, pintura)
    ruido = np.random.default_rng(0).uniform(0, 255, contenido.shape)
    for prueba in (contenido, ruido):  # la misma función: en dos imágenes, el mismo valor
        imagen = tf.constant(prueba[None] / 255.0, tf.float32)
        curso, tutorial = float(perdida(imagen)["total"]), float(perdida_tutorial(imagen))
        if abs(curso - tutorial) > 1e-5 * abs(curso):
            raise SystemExit(f"La pérdida del tutorial ({tutorial:.6g}) no es la del curso ({curso:.6g}).")
    print(f"Red: {extractor.red}; imagen {contenido.shape[1]}×{contenido.shape[0]} px; "
          f"contenido {extractor.capas_contenido}, estilo {extractor.capas_estilo}; {helpers.describir_dispositivo()}")

    cocientes = []
    for numero in range(1, args.rondas + 1):
        segundos_tutorial, segundos_curso, imagenes, texto = ronda(perdida, perdida_tutorial, contenido, pintura, args)
        print(f"Ronda {numero}: {texto}", flush=True)
        if segundos_curso:
            cocientes.append(segundos_tutorial / segundos_curso)

    if len(cocientes) == args.rondas:
        print(f"Cociente tutorial/curso: mediana {statistics.median(cocientes):.2f}× "
              f"(de {min(cocientes):.2f}× a {max(cocientes):.2f}× en {args.rondas} rondas; objetivo ≥ 5×)")
    else:
        print(f"El curso no alcanzó la pérdida del tutorial en {args.rondas - len(cocientes)} de {args.rondas} rondas.")
    for nombre, imagen in zip(("tutorial_adam.png", "curso_lbfgs.png"), imagenes):
        print("Guardada:", estilo.guardar_imagen(imagen, os.path.join(args.salida, nombre)))


if __name__ == "__main__":
    main()
