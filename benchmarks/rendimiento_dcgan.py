"""Rendimiento del entrenamiento: ``GAN.fit`` del kit frente a un bucle como el del tutorial DCGAN.

Mismo generador y discriminador (``construir_generador`` / ``construir_discriminador``, 28 px por defecto),
mismos datos (dígitos incluidos), lote de 256, Adam para cada red. Se entrena de tres
maneras en el mismo proceso:

- ``tutorial``: un ``tf.function`` con dos ``GradientTape`` escrito como el tutorial DCGAN de
  TensorFlow (la referencia);
- ``kit``: ``GAN.fit`` con las opciones por defecto del curso (XLA solo en GPU: ``jit_compile="auto"``);
- ``kit con XLA`` y ``kit sin XLA``: ``GAN.fit`` forzando ``jit_compile``, para elegir el valor por
  defecto de cada máquina con una medida y no con una suposición.

Cada una se calienta una época (compilación) y luego se cronometran ``--epocas`` épocas en una sola
llamada; se alternan ``--rondas`` veces y se informa, con el modelo de CPU y el cociente frente al
tutorial de cada columna:

- la mediana de imágenes por segundo de reloj;
- la mejor ronda (la máquina entera para el proceso);
- las imágenes por segundo de CPU del proceso (``time.process_time``), el trabajo por imagen.

En una máquina virtual compartida el reloj salta de una ronda a otra: en el Xeon de 2 núcleos de la
CI, rondas enteras corren a la mitad de velocidad con el mismo tiempo de CPU por imagen (uno de los
dos núcleos no está disponible). La mediana de pocas rondas puede caer en una u otra fase; la mejor
ronda y el tiempo de CPU no dependen de eso.

    python benchmarks/rendimiento_dcgan.py --lote 256 --epocas 1 --rondas 12
"""

import argparse
import statistics
import time

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import keras
import numpy as np
import tensorflow as tf


def datos_de_prueba(tamano, lote, pasos):
    imagenes, _ = helpers.imagenes_digitos(tamano, parte="todo")
    imagenes = np.resize(imagenes, (lote * pasos, tamano, tamano, 1))
    return tf.data.Dataset.from_tensor_slices(imagenes).shuffle(len(imagenes), seed=0).batch(lote, drop_remainder=True).prefetch(tf.data.AUTOTUNE)


def redes(tamano, dim_latente):
    helpers.fijar_semilla(0)
    return helpers.construir_generador(tamano, 1, dim_latente), helpers.construir_discriminador(tamano, 1)


def entrenador_tutorial(tamano, lote, dim_latente):
    """Devuelve ``entrenar(datos, epocas)``: el bucle del tutorial DCGAN de TensorFlow, con sus dos cintas."""
    generador, discriminador = redes(tamano, dim_latente)
    entropia = keras.losses.BinaryCrossentropy(from_logits=True)
    opt_g = keras.optimizers.Adam(2e-4, beta_1=0.5)
    opt_d = keras.optimizers.Adam(2e-4, beta_1=0.5)

    @tf.function
    def paso(imagenes):
        ruido = tf.random.normal([lote, dim_latente])
        with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:
            generadas = generador(ruido, training=True)
            salida_real = discriminador(imagenes, training=True)
            salida_falsa = discriminador(generadas, training=True)
            perdida_g = entropia(tf.ones_like(salida_falsa), salida_falsa)
            perdida_d = entropia(tf.ones_like(salida_real), salida_real) + entropia(tf.zeros_like(salida_falsa), salida_falsa)
        opt_g.apply_gradients(zip(cinta_g.gradient(perdida_g, generador.trainable_variables), generador.trainable_variables))
        opt_d.apply_gradients(zip(cinta_d.gradient(perdida_d, discriminador.trainable_variables), discriminador.trainable_variables))
        return perdida_g, perdida_d

    def entrenar(datos, epocas=1):
        for _ in range(epocas):
            for imagenes in datos:
                perdidas = paso(imagenes)
        float(perdidas[0])  # espera a que termine el último paso

    return entrenar


def entrenador_kit(tamano, dim_latente, **opciones_compile):
    generador, discriminador = redes(tamano, dim_latente)
    gan = helpers.GAN(generador, discriminador)
    gan.compile(
        opt_generador=keras.optimizers.Adam(2e-4, beta_1=0.5),
        opt_discriminador=keras.optimizers.Adam(2e-4, beta_1=0.5),
        **opciones_compile,
    )
    return lambda datos, epocas=1: gan.fit(datos, epochs=epocas, verbose=0, shuffle=False)


def imagenes_por_segundo(entrenar, datos, imagenes_por_epoca, epocas):
    """``(imágenes por segundo de reloj, imágenes por segundo de CPU del proceso)``."""
    reloj, cpu = time.perf_counter(), time.process_time()
    entrenar(datos, epocas)
    imagenes = epocas * imagenes_por_epoca
    return imagenes / (time.perf_counter() - reloj), imagenes / (time.process_time() - cpu)


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--tamano", type=int, default=28, help="lado de las imágenes (dígitos incluidos)")
    argumentos.add_argument("--lote", type=int, default=256)
    argumentos.add_argument("--pasos", type=int, default=8, help="pasos por época")
    argumentos.add_argument("--epocas", type=int, default=1, help="épocas cronometradas por ronda")
    argumentos.add_argument("--rondas", type=int, default=12)
    argumentos.add_argument("--dim-latente", type=int, default=100)
    argumentos.add_argument("--politica", default="float32", choices=["float32", "mixed_float16", "mixed_bfloat16"],
                            help="política de precisión de Keras para las tres maneras")
    args = argumentos.parse_args()
    keras.mixed_precision.set_global_policy(args.politica)

    datos = datos_de_prueba(args.tamano, args.lote, args.pasos)
    entrenadores = {
        "tutorial (tf.function)": entrenador_tutorial(args.tamano, args.lote, args.dim_latente),
        "kit (GAN.fit)": entrenador_kit(args.tamano, args.dim_latente),
        "kit con XLA": entrenador_kit(args.tamano, args.dim_latente, jit_compile=True),
        "kit sin XLA": entrenador_kit(args.tamano, args.dim_latente, jit_compile=False),
    }
    for entrenar in entrenadores.values():
        entrenar(datos)  # calentamiento: trazado y compilación
    medidas = {nombre: [] for nombre in entrenadores}
    for _ in range(args.rondas):
        for nombre, entrenar in entrenadores.items():
            medidas[nombre].append(imagenes_por_segundo(entrenar, datos, args.lote * args.pasos, args.epocas))

    columnas = {  # nombre: resumen de las rondas de una fila
        "mediana img/s": lambda rondas: statistics.median(reloj for reloj, _ in rondas),
        "mejor img/s": lambda rondas: max(reloj for reloj, _ in rondas),
        "img/s de CPU": lambda rondas: statistics.median(cpu for _, cpu in rondas),
    }
    referencia = {columna: resumen(medidas["tutorial (tf.function)"]) for columna, resumen in columnas.items()}
    print(f"{helpers.describir_dispositivo()} · TensorFlow {tf.__version__} · {args.politica} · XLA por defecto: {'sí' if helpers.entorno.jit_por_defecto() else 'no'} · lote {args.lote} · {args.tamano}×{args.tamano} px · {args.rondas} rondas de {args.epocas}×{args.pasos} pasos")
    print(f"{'':<24}" + "".join(f" {columna:>14} {'cociente':>9}" for columna in columnas))
    for nombre, rondas in medidas.items():
        valores = {columna: resumen(rondas) for columna, resumen in columnas.items()}
        print(f"{nombre:<24}" + "".join(f" {valor:>14.0f} {valor / referencia[columna]:>8.2f}×" for columna, valor in valores.items()))
    # El tiempo de CPU es la columna que menos mueve la carga de la máquina.
    xla = columnas["img/s de CPU"](medidas["kit con XLA"]) / columnas["img/s de CPU"](medidas["kit sin XLA"])
    if xla >= 1.1:
        consejo = "crea la GAN con crear_gan(..., jit_compile=True) para usarlo"
    elif xla <= 0.9:
        consejo = "deja jit_compile=\"auto\" (en CPU, sin XLA)"
    else:
        consejo = "da lo mismo"
    print(f"En esta máquina, el kit con XLA hace {helpers.cifra(xla, 2)} veces las imágenes por segundo de CPU que sin él: {consejo}.")


if __name__ == "__main__":
    main()
