"""Calidad de la receta por defecto en los dígitos incluidos, con un presupuesto de tiempo fijo.

Entrena ``crear_gan()`` durante ``--minutos`` (2 por defecto) y mide 1.000 muestras con el
clasificador de ``helpers.metricas`` (entrenado con los dígitos de reserva): clases cubiertas
(objetivo 10/10), fracción con confianza ≥ 0,9 (objetivo ≥ 70 %) y distancia de Fréchet en el
espacio de características del clasificador. Al lado, las mismas cifras para dígitos reales que el
clasificador no vio y para el generador sin entrenar.

    python benchmarks/calidad_digitos.py --minutos 2 --salida resultados/calidad_digitos
"""

import argparse
import time
from pathlib import Path

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import numpy as np

from helpers.progreso import LimiteDeTiempo
from helpers.metricas import evaluar_digitos


def fila(nombre, m):
    return f"{nombre:<26} {m['clases_cubiertas']:>5}/10 {100 * m['confianza_alta']:>13.1f} % {m['frechet']:>10.2f}"


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--minutos", type=float, default=2.0)
    argumentos.add_argument("--semilla", type=int, default=0)
    argumentos.add_argument("--tamano", type=int, default=16)
    argumentos.add_argument("--lote", type=int, default=32)
    argumentos.add_argument("--lr", type=float, default=4e-4, help="tasa de aprendizaje de ambas redes (la de crear_gan)")
    argumentos.add_argument("--salida", default="resultados/calidad_digitos")
    args = argumentos.parse_args()

    helpers.fijar_semilla(args.semilla)
    imagenes, _ = helpers.imagenes_digitos(args.tamano)
    gan = helpers.crear_gan(args.tamano, lr_generador=args.lr, lr_discriminador=args.lr)
    z = np.random.default_rng(args.semilla).normal(size=(1000, gan.dim_latente)).astype(np.float32)
    sin_entrenar = evaluar_digitos(gan.generador(z, training=False))

    inicio = time.perf_counter()
    historial = gan.fit(
        helpers.a_dataset(imagenes, args.lote, semilla=args.semilla),
        epochs=10_000,
        shuffle=False,
        verbose=0,
        callbacks=[LimiteDeTiempo(args.minutos)],
    )
    segundos = time.perf_counter() - inicio
    muestras = gan.generador(z, training=False)
    entrenado = evaluar_digitos(muestras)
    ruta = helpers.guardar_cuadricula(muestras[:100], Path(args.salida) / "muestras.png", columnas=10)

    print(f"Entrenamiento: {len(historial.epoch)} épocas en {segundos:.0f} s ({helpers.describir_dispositivo()})")
    print(f"{'':<26} {'clases':>8} {'confianza ≥ 0,9':>15} {'Fréchet':>10}")
    # Los dígitos de entrenamiento de la GAN: el clasificador no los vio.
    print(fila("dígitos reales", evaluar_digitos(imagenes)))
    print(fila("generador sin entrenar", sin_entrenar))
    print(fila("generador entrenado", entrenado))
    print("Reparto por clase:", " ".join(f"{d}:{p:.0%}" for d, p in enumerate(entrenado["reparto"])))
    print(f"Cuadrícula: {ruta}")


if __name__ == "__main__":
    main()
