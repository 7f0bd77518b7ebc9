"""Calidad en rostros con el mismo presupuesto de CPU: la receta del tutorial DCGAN frente a la del kit.

Entrena, cada una durante ``--minutos`` (10 por defecto) sobre los mismos rostros:

- ``tutorial``: la receta del tutorial DCGAN de TensorFlow escalada al tamaño de imagen (su
  arquitectura con núcleos 5×5 y dropout 0,3 en D, vector latente de 100, Adam 1e-4 con β1 = 0,9,
  lote de 256, entropía cruzada sin suavizado);
- ``kit``: ``crear_gan(**RECETA_POCOS_DATOS)`` con lotes de 32, la receta del curso para conjuntos pequeños.

Luego mide 1.000 muestras de cada una contra las imágenes reales de reserva (que ninguna vio):
SWD sobre pirámides laplacianas (×10³, menor es mejor) y KID sobre características de SqueezeNet,
junto al suelo «real contra real» (las de entrenamiento contra las de reserva). Guarda las dos
cuadrículas. Con ``--semillas 0 1 2`` repite el kit con varias semillas para ver su estabilidad.

    python benchmarks/calidad_rostros.py --minutos 10
    python benchmarks/calidad_rostros.py --carpeta mis_rostros/ --tamano 64 --minutos 20
"""

import argparse
import time
from pathlib import Path

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import keras
import numpy as np
from keras import layers

from helpers.progreso import LimiteDeTiempo
from helpers.datos import partir
from helpers.metricas import distancia_kid, swd_promediada

MUESTRAS = 1000


def redes_tutorial(tamano, canales, dim_latente=100):
    """Generador y discriminador del tutorial DCGAN de TensorFlow, con el 7×7 inicial llevado a tamano/4."""
    base = tamano // 4
    generador = keras.Sequential(
        [
            keras.Input((dim_latente,)),
            layers.Dense(base * base * 256, use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Reshape((base, base, 256)),
            layers.Conv2DTranspose(128, 5, strides=1, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Conv2DTranspose(64, 5, strides=2, padding="same", use_bias=False),
            layers.BatchNormalization(),
            layers.LeakyReLU(),
            layers.Conv2DTranspose(canales, 5, strides=2, padding="same", use_bias=False, activation="tanh"),
        ]
    )
    discriminador = keras.Sequential(
        [
            keras.Input((tamano, tamano, canales)),
            layers.Conv2D(64, 5, strides=2, padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            layers.Conv2D(128, 5, strides=2, padding="same"),
            layers.LeakyReLU(),
            layers.Dropout(0.3),
            layers.Flatten(),
            layers.Dense(1),
        ]
    )
    return generador, discriminador


def gan_tutorial(tamano, canales):
    gan = helpers.GAN(*redes_tutorial(tamano, canales))
    gan.compile(opt_generador=keras.optimizers.Adam(1e-4), opt_discriminador=keras.optimizers.Adam(1e-4))
    return gan


def medir(reales, generadas, semilla=0):
    """SWD medio sobre 4 grupos de generadas del tamaño de ``reales`` (la SWD usa tantas como el menor) y KID."""
    return swd_promediada(reales, generadas[: 4 * len(reales)], semilla), distancia_kid(reales, generadas)["kid"]


def entrenar_y_medir(nombre, gan, entrenamiento, reserva, lote, minutos, semilla, salida):
    datos = helpers.a_dataset(entrenamiento, lote, semilla=semilla)
    inicio = time.perf_counter()
    historial = gan.fit(datos, epochs=1_000_000, verbose=0, callbacks=[LimiteDeTiempo(minutos)])
    segundos = time.perf_counter() - inicio
    z = np.random.default_rng(semilla).normal(size=(MUESTRAS, gan.dim_latente)).astype(np.float32)
    muestras = gan.generador_para_muestras().predict(z, batch_size=250, verbose=0)
    ruta = helpers.guardar_cuadricula(muestras[:64], salida / f"{nombre}.png", columnas=8)
    swd, kid = medir(reserva, muestras, semilla)
    pasos = len(historial.epoch) * int(datos.cardinality())
    print(f"{nombre:<16} {swd:>8.1f} {kid:>9.4f}   {pasos:>6} pasos en {segundos:.0f} s → {ruta}", flush=True)
    return swd


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--carpeta", help="carpeta o .zip de rostros (por defecto, los incluidos en scikit-image)")
    argumentos.add_argument("--tamano", type=int, default=32)
    argumentos.add_argument("--minutos", type=float, default=10.0)
    argumentos.add_argument("--semillas", type=int, nargs="+", default=[0])
    argumentos.add_argument("--sin-tutorial", action="store_true", help="solo la receta del kit")
    argumentos.add_argument("--salida", default="resultados/calidad_rostros")
    args = argumentos.parse_args()
    salida = Path(args.salida)

    if args.carpeta:
        todas = helpers.cargar_imagenes(args.carpeta, args.tamano)
        entrenamiento, reserva = (todas[indices] for indices in partir(len(todas), 0.25))
        entrenamiento = np.concatenate([entrenamiento, entrenamiento[:, :, ::-1]])
    else:
        entrenamiento = helpers.imagenes_rostros(args.tamano, "entrenamiento")
        reserva = helpers.imagenes_rostros(args.tamano, "reserva")
    canales = entrenamiento.shape[-1]
    print(f"{len(entrenamiento)} imágenes de entrenamiento (con reflejos), {len(reserva)} de reserva, "
          f"{args.tamano} px; {args.minutos:g} min por receta; {helpers.describir_dispositivo()}")
    print(f"{'':<16} {'SWD×10³':>8} {'KID':>9}")
    swd_suelo, kid_suelo = medir(reserva, entrenamiento[: len(entrenamiento) // 2])
    print(f"{'real vs real':<16} {swd_suelo:>8.1f} {kid_suelo:>9.4f}")

    resultados = {}
    for semilla in args.semillas:
        if not args.sin_tutorial and semilla == args.semillas[0]:
            helpers.fijar_semilla(semilla)
            resultados["tutorial"] = entrenar_y_medir(
                "tutorial", gan_tutorial(args.tamano, canales), entrenamiento, reserva, 256, args.minutos, semilla, salida
            )
        helpers.fijar_semilla(semilla)
        gan = helpers.crear_gan(args.tamano, canales, **helpers.RECETA_POCOS_DATOS)
        resultados[f"kit_s{semilla}"] = entrenar_y_medir(
            f"kit (semilla {semilla})", gan, entrenamiento, reserva, 32, args.minutos, semilla, salida
        )

    kits = [v for k, v in resultados.items() if k.startswith("kit")]
    if "tutorial" in resultados:
        print(f"SWD del tutorial / SWD del kit (semilla {args.semillas[0]}): {helpers.cifra(resultados['tutorial'] / kits[0], 2)}× (objetivo ≥ 3)")
    if len(kits) > 1:
        print(f"Estabilidad: SWD máxima / mínima entre semillas = {helpers.cifra(max(kits) / min(kits), 2)} (objetivo ≤ 1,5)")


if __name__ == "__main__":
    main()
