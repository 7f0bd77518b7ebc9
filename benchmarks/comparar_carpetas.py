"""Lo que cuesta reconocer una preparación repetida (``archivos.IgualEnLaSerie``) y lo que escribe en la salida.

Preparar otra vez las mismas fotos (p. ej. «ejecutar todo» en el cuaderno 06) reutiliza la carpeta de antes si
tendría exactamente los mismos archivos con los mismos bytes; para saberlo, ``preparar_imagenes`` compara cada PNG,
en memoria según lo prepara, con el de la carpeta de antes, y no escribe nada mientras coincidan. Este script
construye ``--n`` fotos distintas de 96×128 y, en el mismo proceso, mide ``preparar_imagenes`` a ``--tamano`` px:

- la primera vez, en una salida vacía (la referencia: lo que se paga de todas formas);
- otra vez con las mismas fotos, que reutiliza la carpeta;
- otra vez con una foto más (la última en orden): todas las de antes coinciden hasta ella, y se copian de la carpeta
  de antes a la nueva;
- esa misma preparación en una salida vacía, sin nada que comparar ni copiar.

De cada una imprime segundos de reloj y de CPU de este proceso (una sola vez cada una) y cuántos archivos y MiB se
escribieron en la salida (lo que en Google Drive cuesta tiempo y, al borrarse, cuota en su papelera). Los archivos,
recién escritos, están en la caché del disco; en Google Drive leer cada uno cuesta más que aquí (sin medir).

    python benchmarks/comparar_carpetas.py --n 3000
"""

import argparse
import os
import tempfile
import time
from pathlib import Path
from unittest import mock

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import numpy as np
from PIL import Image

from helpers import preparacion
from helpers.entorno import modelo_cpu


def construir_fotos(destino, n, semilla=0):
    """``n`` fotos PNG distintas de 96×128 (manchas de color suaves) en ``destino``."""
    rng = np.random.default_rng(semilla)
    destino.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        foto = Image.fromarray(rng.integers(0, 256, (4, 5, 3), dtype=np.uint8)).resize((128, 96), Image.BICUBIC)
        foto.save(destino / f"foto_{i:05d}.png")


def preparar_contando(fotos, salida, tamano):
    """``preparar_imagenes`` con los archivos escritos bajo ``salida`` contados: ``(reloj, cpu, archivos, MiB)``."""
    escritos = []
    escribir, copiar = Path.write_bytes, preparacion.IgualEnLaSerie.copiar_lo_igual

    def escribir_y_contar(ruta, datos):
        escritos.append(len(datos))
        return escribir(ruta, datos)

    def copiar_y_contar(serie, carpeta):
        copiar(serie, carpeta)
        escritos.extend(archivo.stat().st_size for archivo in carpeta.iterdir())

    reloj, cpu = time.perf_counter(), time.process_time()
    with mock.patch.object(Path, "write_bytes", escribir_y_contar), \
            mock.patch.object(preparacion.IgualEnLaSerie, "copiar_lo_igual", copiar_y_contar):
        preparacion.preparar_imagenes(fotos, salida, tamano)
    return time.perf_counter() - reloj, time.process_time() - cpu, len(escritos), sum(escritos) / 2**20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=3000, help="fotos (por defecto: %(default)s)")
    parser.add_argument("--tamano", type=int, default=32, help="lado de las preparadas (por defecto: %(default)s)")
    args = parser.parse_args()
    os.environ.pop("CURSO_GAN_RAPIDO", None)  # el modo rápido prepararía solo 512
    print(f"CPU: {modelo_cpu()}, {os.cpu_count()} núcleos; {args.n} fotos a {args.tamano} px")
    with tempfile.TemporaryDirectory() as temporal:
        raiz = Path(temporal)
        fotos, res = raiz / "fotos", raiz / "res"
        construir_fotos(fotos, args.n)
        filas = [("la primera vez", preparar_contando(fotos, res, args.tamano)),
                 ("otra vez, las mismas fotos", preparar_contando(fotos, res, args.tamano))]
        assert len(list(res.iterdir())) == 1  # la reutilizó
        construir_fotos(fotos, args.n + 1)  # la misma semilla: las de antes, iguales, y una más al final
        filas += [("otra vez, con una foto más (copia las de antes)", preparar_contando(fotos, res, args.tamano)),
                  ("con una foto más, en una salida vacía", preparar_contando(fotos, raiz / "vacia", args.tamano))]
    print(f"{'preparar_imagenes':<50} {'reloj':>8} {'CPU':>8} {'escritos':>9} {'MiB':>6}")
    for que, (reloj, cpu, archivos, megas) in filas:
        print(f"{que:<50} {reloj:7.2f}s {cpu:7.2f}s {archivos:9d} {megas:6.1f}")


if __name__ == "__main__":
    main()
