"""Coste de una iteración de ``helpers.lbfgs`` con una función casi gratuita: lo que L-BFGS añade a cada gradiente.

Minimiza una cuadrática diagonal mal condicionada (cuesta casi nada evaluarla) con tantas variables
como el espectro de una imagen de ``--lado`` píxeles de lado mayor y proporción 3:2 (las que
optimiza ``transferir_estilo``) y la memoria del curso. Imprime el modelo de CPU y los milisegundos
de reloj y de CPU por iteración (mediana de ``--rondas``). Para comparar con una versión anterior,
copia su ``helpers/lbfgs.py`` encima (``git show REV:helpers/lbfgs.py > helpers/lbfgs.py``), mide y
deshaz la copia (``git checkout helpers/lbfgs.py``).

    python benchmarks/lbfgs_iteracion.py --lado 256
"""

import argparse
import statistics
import time

import numpy as np

from helpers import describir_dispositivo
from helpers.lbfgs import minimizar_lbfgs
from helpers.optimizadores_estilo import MEMORIA_LBFGS, PASO_LBFGS


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--lado", type=int, default=256)
    argumentos.add_argument("--iteraciones", type=int, default=200)
    argumentos.add_argument("--rondas", type=int, default=5)
    args = argumentos.parse_args()

    alto = round(args.lado * 2 / 3)
    variables = 3 * alto * (args.lado // 2 + 1) * 2  # partes real e imaginaria de rfft2 en 3 canales
    azar = np.random.default_rng(0)
    curvaturas = np.geomspace(1, 100, variables).astype(np.float32)
    azar.shuffle(curvaturas)
    inicio = azar.standard_normal(variables).astype(np.float32)

    def funcion(x):
        return float(0.5 * np.sum(curvaturas * x * x)), curvaturas * x

    reloj, cpu = [], []
    for _ in range(args.rondas):
        r, c = time.perf_counter(), time.process_time()
        minimizar_lbfgs(funcion, inicio, args.iteraciones, memoria=MEMORIA_LBFGS, paso=PASO_LBFGS)
        reloj.append((time.perf_counter() - r) / args.iteraciones * 1000)
        cpu.append((time.process_time() - c) / args.iteraciones * 1000)
    print(describir_dispositivo())
    print(f"{variables} variables, memoria {MEMORIA_LBFGS}: {statistics.median(reloj):.2f} ms de reloj y "
          f"{statistics.median(cpu):.2f} ms de CPU por iteración (mediana de {args.rondas} rondas de "
          f"{args.iteraciones}; incluye evaluar la cuadrática)")


if __name__ == "__main__":
    main()
