"""Velocidad de ``preparar_imagenes(..., sin_duplicados=True)`` (lo que hace ``preparar --sin-duplicados``)
con la búsqueda de casi duplicados del kit frente a la de referencia, en el mismo proceso.

La referencia es la búsqueda anterior del kit, con la regla de ahora (forma, color, tono de cada
canal y casillas): las huellas de las imágenes aceptadas se guardaban en listas y, para cada imagen
nueva, se convertían de nuevo en arreglos (64 booleanos de forma, 216 números de color y
768 de detalle por imagen) antes de compararlas; el trabajo crece con el cuadrado del número de imágenes. La del kit guarda las huellas
en arreglos que crecen por bloques, compara la forma empaquetada en 8 bytes y mira el color y el detalle
solo de las que se parecen en la forma.

Construye una carpeta de ``--n`` PNG de 96×128 (manchas de color suaves, todas distintas) con un 2 %
de copias exactas y un 2 % de copias algo más claras, comprueba que las dos búsquedas descartan los
mismos archivos por el mismo motivo e imprime los segundos de cada una y su cociente: primero la
búsqueda sola (las imágenes ya decodificadas en memoria; mediana de ``--rondas`` rondas alternas) y
luego ``preparar_imagenes`` entero (leer, decodificar, buscar y guardar). Los segundos son de CPU de
este proceso (``time.process_time``), no de reloj: en una máquina compartida el reloj mide sobre todo
a los demás procesos.

    python benchmarks/preparar_duplicados.py --n 2500
"""

import argparse
import hashlib
import tempfile
import time
from pathlib import Path

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import numpy as np
from PIL import Image

from helpers import duplicados, preparacion


class VistasDeReferencia:
    """La búsqueda anterior: listas de huellas que se convierten en arreglos para cada imagen nueva."""

    def __init__(self):
        self.exactas, self.formas, self.colores, self.detalles, self.nombres = {}, [], [], [], []

    def duplicado(self, imagen, nombre):
        resumen = hashlib.sha1(imagen.tobytes()).hexdigest()
        if resumen in self.exactas:
            return f"copia exacta de «{self.exactas[resumen]}»"
        forma, color, detalle = duplicados.huella(imagen)
        forma = np.unpackbits(forma).astype(bool)
        if self.nombres:
            bits = np.count_nonzero(np.array(self.formas) != forma, axis=1)
            colores = np.array(self.colores)
            diferencia = np.abs(colores - color).mean(axis=(1, 2, 3))
            tono = np.abs(colores.mean(axis=(1, 2)) - color.mean(axis=(0, 1))).max(axis=1)
            casilla = np.abs(np.array(self.detalles) - detalle).mean(axis=3).max(axis=(1, 2))
            parecidas = np.flatnonzero((bits <= duplicados.UMBRAL_FORMA) & (diferencia <= duplicados.UMBRAL_COLOR)
                                       & (tono <= duplicados.UMBRAL_COLOR) & (casilla <= duplicados.UMBRAL_CASILLA))
            if len(parecidas):
                return f"casi idéntica a «{self.nombres[parecidas[0]]}»"
        self.exactas[resumen] = nombre
        self.formas.append(forma)
        self.colores.append(color)
        self.detalles.append(detalle)
        self.nombres.append(nombre)
        return None


def construir_carpeta(destino, n, semilla=0):
    """``n`` PNG distintos de 96×128 y, al final, un 2 % de copias exactas y un 2 % de casi iguales."""
    rng = np.random.default_rng(semilla)
    fotos = []
    for i in range(n):
        foto = np.asarray(Image.fromarray(rng.integers(0, 256, (4, 5, 3), dtype=np.uint8)).resize((128, 96), Image.BICUBIC))
        Image.fromarray(foto).save(destino / f"foto_{i:05d}.png")
        fotos.append(foto)
    copias = rng.choice(n, size=2 * (n // 50), replace=False)
    for j, i in enumerate(copias):
        if j % 2:
            (destino / f"zz_copia_{i:05d}.png").write_bytes((destino / f"foto_{i:05d}.png").read_bytes())
        else:
            clara = np.clip(fotos[i].astype(int) + 10, 0, 255).astype(np.uint8)
            Image.fromarray(clara).save(destino / f"zz_clara_{i:05d}.png")


def preparar(carpeta, salida, vistas):
    """Segundos de CPU de ``preparar_imagenes`` con la búsqueda ``vistas`` y el informe resultante."""
    original = preparacion.Vistas
    preparacion.Vistas = vistas
    try:
        inicio = time.process_time()
        _, informe = preparacion.preparar_imagenes(carpeta, salida, tamano=32, sin_duplicados=True)
        return time.process_time() - inicio, informe
    finally:
        preparacion.Vistas = original


def solo_busqueda(imagenes, vistas):
    """Segundos de CPU de pasar ``imagenes`` ``{nombre: uint8 (alto, ancho, 3)}`` por la búsqueda ``vistas``, y sus descartes."""
    buscador = vistas()
    inicio = time.process_time()
    descartes = {nombre: motivo for nombre, imagen in imagenes.items() if (motivo := buscador.duplicado(imagen, nombre))}
    return time.process_time() - inicio, descartes


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--n", type=int, default=2500, help="imágenes distintas (por defecto: %(default)s)")
    argumentos.add_argument("--rondas", type=int, default=3, help="rondas de la búsqueda sola (por defecto: %(default)s)")
    argumentos.add_argument("--solo-busqueda", action="store_true", help="no mide preparar_imagenes entero")
    args = argumentos.parse_args()
    if helpers.modo_rapido():
        raise SystemExit("Quita CURSO_GAN_RAPIDO: en modo rápido solo se leen 512 archivos.")
    print(helpers.describir_dispositivo())
    with tempfile.TemporaryDirectory() as temporal:
        carpeta = Path(temporal) / "fotos"
        carpeta.mkdir()
        construir_carpeta(carpeta, args.n)
        imagenes = {p.name: np.asarray(Image.open(p).convert("RGB")) for p in sorted(carpeta.iterdir())}
        tiempos = {"referencia": [], "kit": []}
        for _ in range(args.rondas):
            for nombre, vistas in (("referencia", VistasDeReferencia), ("kit", duplicados.Vistas)):
                segundos, descartes = solo_busqueda(imagenes, vistas)
                tiempos[nombre].append(segundos)
                tiempos.setdefault(f"descartes {nombre}", descartes)
        assert tiempos["descartes kit"] == tiempos["descartes referencia"], "las dos búsquedas no descartan lo mismo"
        referencia, kit = np.median(tiempos["referencia"]), np.median(tiempos["kit"])
        print(f"búsqueda sola, {len(imagenes)} imágenes: referencia {referencia:.2f} s de CPU, kit {kit:.2f} s "
              f"({referencia / kit:.1f}× más rápido; medianas de {args.rondas} rondas)", flush=True)
        if args.solo_busqueda:
            return
        segundos_referencia, informe_referencia = preparar(carpeta, Path(temporal) / "referencia", VistasDeReferencia)
        segundos_kit, informe_kit = preparar(carpeta, Path(temporal) / "kit", duplicados.Vistas)
    assert informe_kit.descartadas == informe_referencia.descartadas, "las dos búsquedas no descartan lo mismo"
    print(f"{len(informe_kit.utilizables)} imágenes utilizables y {len(informe_kit.descartadas)} duplicadas descartadas")
    print(f"preparar_imagenes(sin_duplicados=True): referencia {segundos_referencia:.1f} s de CPU, kit {segundos_kit:.1f} s "
          f"({segundos_referencia / segundos_kit:.2f}× más rápido)")


if __name__ == "__main__":
    main()
