"""Velocidad de la transferencia de estilo: el bucle del tutorial de TensorFlow frente al del curso.

Misma red, mismas capas, misma pérdida y mismo tamaño (256 px de lado mayor) para los dos:
(a) el bucle del tutorial «Neural style transfer» de tensorflow.org: Adam (tasa 0,02, β1 0,99,
    ε 0,1) durante ``--pasos`` pasos desde la foto, recortando a [0, 1] tras cada paso;
(b) ``estilo.transferir_estilo`` con sus opciones por defecto (L-BFGS, 400 iteraciones).
Imprime cuánto tarda (b) en alcanzar la pérdida final de (a) y el cociente de tiempos, y guarda
las dos imágenes como PNG.

    python benchmarks/velocidad_estilo.py --pasos 1000 --salida resultados/velocidad_estilo
"""

import argparse
import os
import time

os.environ.pop("CURSO_GAN_RAPIDO", None)  # el modo rápido recortaría el trabajo del curso y falsearía la medida

import helpers  # noqa: E402  (primero: silencia los avisos de C de TensorFlow al importarlo)
import keras  # noqa: E402
import skimage.data  # noqa: E402
import tensorflow as tf  # noqa: E402

from helpers import estilo, pinturas  # noqa: E402


# La pérdida del tutorial (sin normalizar) da gradientes de 10 a 100 por píxel y la del curso unas
# 10⁴ veces menores: se multiplica por ESCALA para que ε = 0,1 pese tan poco como en el tutorial.
# Multiplicar la pérdida no cambia su mínimo; la pérdida final se compara sin multiplicar.
ESCALA = 1e4


def bucle_del_tutorial(perdida, contenido, pasos):
    """Adam como en el tutorial de TensorFlow; devuelve la imagen final en [0, 1] y los segundos."""
    image = tf.Variable(contenido[None] / 255.0)
    opt = keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)

    @tf.function()
    def train_step(image):
        with tf.GradientTape() as tape:
            loss = ESCALA * perdida(image)["total"]
        grad = tape.gradient(loss, image)
        opt.apply_gradients([(grad, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))

    inicio = time.perf_counter()
    for _ in range(pasos):
        train_step(image)
    return image.numpy(), time.perf_counter() - inicio


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--pasos", type=int, default=1000, help="pasos de Adam del tutorial")
    argumentos.add_argument("--lado", type=int, default=256, help="lado mayor de las imágenes, en píxeles")
    argumentos.add_argument("--red", default="auto", choices=["auto", "vgg19", "squeezenet"])
    argumentos.add_argument("--salida", default="resultados/velocidad_estilo")
    args = argumentos.parse_args()

    helpers.fijar_semilla(0)
    contenido = estilo.cargar_imagen(skimage.data.chelsea(), args.lado)
    pintura = estilo.cargar_imagen(pinturas.pintura_pinceladas(512, "noche"), args.lado)
    extractor = estilo.extractor_caracteristicas(args.red)
    perdida = estilo.crear_perdida(extractor, contenido, pintura)  # pesos por defecto del curso
    print(f"Red: {extractor.red}; imagen {contenido.shape[1]}×{contenido.shape[0]} px; "
          f"contenido {extractor.capas_contenido}, estilo {extractor.capas_estilo}")

    imagen_tutorial, segundos_tutorial = bucle_del_tutorial(perdida, contenido, args.pasos)
    objetivo = float(perdida(tf.constant(imagen_tutorial))["total"])
    print(f"(a) tutorial, Adam {args.pasos} pasos: {segundos_tutorial:.1f} s, pérdida final {objetivo:.4g}")

    imagen_curso, historial = estilo.transferir_estilo(contenido, pintura, red=args.red, lado_maximo=args.lado)
    final_curso = float(perdida(tf.constant(imagen_curso[None] / 255.0))["total"])
    print(f"(b) curso, L-BFGS: {historial['segundos'][-1]:.1f} s en total, pérdida final {final_curso:.4g}")

    alcanzada = [s for s, p, e in zip(historial["segundos"], historial["total"], historial["escala"])
                 if e == 1.0 and p <= objetivo]
    if alcanzada:
        print(f"El curso alcanza la pérdida final del tutorial en {alcanzada[0]:.1f} s: "
              f"{segundos_tutorial / alcanzada[0]:.1f}× más rápido (objetivo ≥ 5×).")
    else:
        print("El curso no alcanza la pérdida final del tutorial con sus iteraciones por defecto.")

    for nombre, imagen in (("tutorial_adam.png", imagen_tutorial[0] * 255.0), ("curso_lbfgs.png", imagen_curso)):
        print("Guardada:", estilo.guardar_imagen(imagen, os.path.join(args.salida, nombre)))


if __name__ == "__main__":
    main()
