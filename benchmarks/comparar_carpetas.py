"""Lo que cuesta reconocer una preparación repetida: ``archivos.mismo_contenido`` frente a la preparación entera.

Preparar otra vez las mismas fotos (p. ej. «ejecutar todo» en el cuaderno 06) reutiliza la carpeta de antes si
tiene exactamente los mismos archivos con los mismos bytes; para saberlo, ``mismo_contenido`` compara nombres y
tamaños y, si coinciden, lee los bytes de las dos carpetas. Este script construye ``--n`` fotos distintas de 96×128,
las prepara a ``--tamano`` px (la referencia: lo que se paga de todas formas) y mide, en el mismo proceso:

- la comparación sola de la carpeta preparada con una copia idéntica (el peor caso: se leen todos los bytes) y con
  una copia en la que cambia un byte del último archivo (se leen casi todos antes de ver la diferencia);
- la comparación con una copia a la que le falta un archivo (como otra preparación: basta con listarlas);
- ``preparar_imagenes`` otra vez con las mismas fotos, que ahora reutiliza la carpeta.

Imprime segundos de reloj y de CPU de este proceso: de cada comparación, la mediana de ``--rondas``; de cada
preparación, una sola. Los archivos, recién escritos, están en la caché del disco; en Google Drive leer cada uno
cuesta más que aquí (sin medir).

    python benchmarks/comparar_carpetas.py --n 3000
"""

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import numpy as np
from PIL import Image

from helpers import preparacion
from helpers.archivos import mismo_contenido
from helpers.entorno import modelo_cpu


def construir_fotos(destino, n, semilla=0):
    """``n`` fotos PNG distintas de 96×128 (manchas de color suaves) en ``destino``."""
    rng = np.random.default_rng(semilla)
    destino.mkdir(parents=True)
    for i in range(n):
        foto = Image.fromarray(rng.integers(0, 256, (4, 5, 3), dtype=np.uint8)).resize((128, 96), Image.BICUBIC)
        foto.save(destino / f"foto_{i:05d}.png")


def medir(funcion, rondas):
    """Mediana de segundos de reloj y de CPU de ``funcion()`` en ``rondas`` rondas, y su último resultado."""
    relojes, cpus = [], []
    for _ in range(rondas):
        reloj, cpu = time.perf_counter(), time.process_time()
        resultado = funcion()
        relojes.append(time.perf_counter() - reloj)
        cpus.append(time.process_time() - cpu)
    return statistics.median(relojes), statistics.median(cpus), resultado


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="fotos (por defecto: %(default)s)")
    parser.add_argument("--tamano", type=int, default=32, help="lado de las preparadas (por defecto: %(default)s)")
    parser.add_argument("--rondas", type=int, default=5, help="rondas de cada comparación (por defecto: %(default)s)")
    args = parser.parse_args()
    os.environ.pop("CURSO_GAN_RAPIDO", None)  # el modo rápido prepararía solo 512
    print(f"CPU: {modelo_cpu()}, {os.cpu_count()} núcleos; {args.n} fotos a {args.tamano} px")
    with tempfile.TemporaryDirectory() as temporal:
        raiz = Path(temporal)
        construir_fotos(raiz / "fotos", args.n)
        reloj, cpu, (preparada, _) = medir(lambda: preparacion.preparar_imagenes(raiz / "fotos", raiz / "res", args.tamano), 1)
        archivos = sorted(preparada.iterdir())
        megas = sum(archivo.stat().st_size for archivo in archivos) / 2**20
        print(f"{'preparar_imagenes, la primera vez:':<62} {reloj:6.2f} s de reloj, {cpu:6.2f} s de CPU "
              f"({len(archivos)} PNG, {megas:.1f} MiB)")

        copia = raiz / "copia"
        shutil.copytree(preparada, copia)
        distinta = raiz / "distinta"
        shutil.copytree(preparada, distinta)
        # El último que lee mismo_contenido: los lee en el orden de la carpeta (os.scandir), no en el alfabético.
        ultimo = distinta / [entrada.name for entrada in os.scandir(preparada)][-1]
        datos = bytearray(ultimo.read_bytes())
        datos[-20] ^= 1  # dentro del PNG, el mismo tamaño
        ultimo.write_bytes(bytes(datos))
        otra = raiz / "otra"
        shutil.copytree(preparada, otra)
        (otra / archivos[0].name).unlink()

        for que, carpeta, esperado in (("idéntica (se leen todos los bytes)", copia, True),
                                       ("un byte distinto en el último archivo", distinta, False),
                                       ("un archivo menos (solo se listan)", otra, False)):
            reloj, cpu, igual = medir(lambda carpeta=carpeta: mismo_contenido(preparada, carpeta), args.rondas)
            assert igual is esperado, que
            print(f"{'mismo_contenido, ' + que + ':':<62} {reloj:6.3f} s de reloj, {cpu:6.3f} s de CPU")

        reloj, cpu, (reutilizada, _) = medir(lambda: preparacion.preparar_imagenes(raiz / "fotos", raiz / "res", args.tamano), 1)
        assert reutilizada == preparada and sorted(p.name for p in (raiz / "res").iterdir()) == [preparada.name]
        print(f"{'preparar_imagenes otra vez (reutiliza la carpeta):':<62} {reloj:6.2f} s de reloj, {cpu:6.2f} s de CPU")


if __name__ == "__main__":
    main()
