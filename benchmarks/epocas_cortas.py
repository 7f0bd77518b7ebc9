"""Cuánto cuesta cada época de ``fit`` con una colección pequeña: un iterador por época o uno para todo.

Keras crea dos iteradores de los datos en cada época (uno se tira). Con pocas imágenes, cada época son pocos
pasos y crear esos iteradores pesa: ``GAN.fit`` con los datos de ``a_dataset`` crea uno para todo el
entrenamiento (``BaseGAN._un_iterador_para_todo``). Aquí se comparan, en el mismo proceso y en rondas
alternas, la receta de la tarea (``RECETA_POCOS_DATOS``, 32 px, lote 32) con el ``fit`` del kit y con el de
Keras recorriendo los datos época a época (con ``steps_per_epoch``, que crea uno por época; el ``fit`` de antes,
sin él, creaba dos); los mismos lotes y los mismos pasos en los dos. Imprime milisegundos por paso (mediana de
las rondas) y el cociente.

    python benchmarks/epocas_cortas.py
    python benchmarks/epocas_cortas.py --imagenes 85 300 1000 --pasos 240 --rondas 5
"""

import argparse
import os
import time

os.environ.pop("CURSO_GAN_RAPIDO", None)  # el modo rápido recortaría las imágenes

import helpers  # noqa: E402  (primero: silencia los avisos de C de TensorFlow al importarlo)
import numpy as np  # noqa: E402

from helpers.datos import a_dataset_uint8  # noqa: E402
from helpers.gan import RECETA_POCOS_DATOS  # noqa: E402

LOTE = 32


def medir(gan, imagenes, pasos, epoca_a_epoca):
    """Milisegundos por paso de un ``fit`` de unos ``pasos`` pasos (épocas enteras) tras uno de calentamiento."""
    lotes = len(imagenes) // LOTE
    epocas = max(pasos // lotes, 1)
    extra = {"steps_per_epoch": lotes} if epoca_a_epoca else {}
    datos = a_dataset_uint8(imagenes, LOTE, 0)
    gan.fit(datos, epochs=1, verbose=0, **extra)  # la primera vez, traza el paso
    inicio = time.perf_counter()
    gan.fit(datos, epochs=epocas, verbose=0, **extra)
    return 1e3 * (time.perf_counter() - inicio) / (epocas * lotes)


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--imagenes", type=int, nargs="+", default=[85, 300, 1000])
    argumentos.add_argument("--pasos", type=int, default=240, help="pasos de cada medida")
    argumentos.add_argument("--rondas", type=int, default=5)
    args = argumentos.parse_args()
    print(helpers.describir_dispositivo())
    rng = np.random.default_rng(0)
    for cuantas in args.imagenes:
        imagenes = rng.integers(0, 256, (cuantas, 32, 32, 3), dtype=np.uint8)
        lotes = cuantas // LOTE
        gan_kit, gan_keras = (helpers.crear_gan(32, 3, **RECETA_POCOS_DATOS) for _ in range(2))
        kit, keras_ = [], []
        for _ in range(args.rondas):
            keras_.append(medir(gan_keras, imagenes, args.pasos, epoca_a_epoca=True))
            kit.append(medir(gan_kit, imagenes, args.pasos, epoca_a_epoca=False))
        print(f"{cuantas} imágenes ({lotes} lotes por época; el kit, {gan_kit.steps_per_execution} pasos por llamada "
              f"y Keras, {gan_keras.steps_per_execution}): época a época {np.median(keras_):.1f} ms "
              f"por paso, kit {np.median(kit):.1f} ms; el kit, {np.median(keras_) / np.median(kit):.2f}× "
              f"(mejor ronda: {min(keras_):.1f} frente a {min(kit):.1f} ms)", flush=True)


if __name__ == "__main__":
    main()
