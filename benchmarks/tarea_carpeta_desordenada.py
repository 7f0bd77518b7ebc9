"""La tarea de principio a fin sobre una carpeta desordenada de unos cientos de fotos de rostros.

Construye la carpeta con las 100 caras reales de ``skimage.data.lfw_subset()`` (sin conexión) y
``helpers.ejemplo.carpeta_desordenada``: tres versiones de cada una como las traería un estudiante
(tamaños de 40 a 900 px, proporciones distintas por los márgenes, en gris, con un tinte de color, en
paleta, RGBA o PNG de 16 bits, en JPEG, PNG, WebP, BMP o GIF, algunas giradas con la orientación EXIF
y repartidas en subcarpetas) y los seis archivos que deben descartarse (dañado, vacío, texto,
miniatura, GIF animado y un PNG de 20.000×20.000 px). Después ejecuta la línea de órdenes del curso, igual que un estudiante:

    python -m helpers preparar FOTOS --salida … --tamano 32
    python -m helpers entrenar PREPARADAS --tamano 32 --minutos M --salida …

Al terminar, ``entrenar`` imprime las medidas del generador final y del de menor SWD durante el
entrenamiento y cuál recomienda y por qué (lo deja en ``mejor_generador.keras``: el de menor SWD si
gana al final en SWD y, con margen, en KID; si no, una copia del final). Después este script mide el
recomendado y el final contra la reserva que ``entrenar`` apartó (la misma partición): SWD (×10³) y
KID frente al suelo «real contra real» y al generador sin entrenar, y la comprobación de
memorización. Guarda las cuadrículas de reales y de muestras de los dos generadores como PNG
(``muestras_mejor.png`` es la del recomendado); si el recomendado es el final, las dos coinciden.

    python benchmarks/tarea_carpeta_desordenada.py --minutos 10 --salida resultados/tarea_medida
"""

import argparse
import subprocess
import sys
import time
from pathlib import Path

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import numpy as np
from skimage import data

from helpers.ejemplo import carpeta_desordenada
from helpers.metricas import comprobar_memorizacion, distancia_kid, swd_promediada

VERSIONES = 3


def con_margenes(cara, rng):
    """La cara (25×25, muy recortada) con márgenes al azar de hasta un 30 %, como una foto algo más abierta."""
    margenes = [(int(rng.uniform(0, 0.3) * 25), int(rng.uniform(0, 0.3) * 25)) for _ in range(2)]
    return np.pad(cara, margenes, mode="edge")


def caras_lfw():
    """Las 100 caras de ``lfw_subset`` (sus 100 primeras imágenes; las otras 100 no son caras), uint8 25×25."""
    return (data.lfw_subset()[:100] * 255).astype(np.uint8)


def construir_carpeta(destino, semilla=0):
    """Escribe la carpeta desordenada en ``destino`` (nueva) y devuelve cuántos archivos escribió."""
    fotos = {f"persona_{i:03d}": cara for i, cara in enumerate(caras_lfw())}
    return carpeta_desordenada(destino, fotos, VERSIONES, semilla, encuadre=con_margenes)


def orden(argumentos):
    """Ejecuta ``python -m helpers …`` como lo haría un estudiante y devuelve los segundos."""
    inicio = time.perf_counter()
    subprocess.run([sys.executable, "-m", "helpers", *argumentos], check=True)
    return time.perf_counter() - inicio


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--minutos", type=float, default=10.0, help="presupuesto de entrenamiento")
    argumentos.add_argument("--tamano", type=int, default=32, choices=[32, 64, 128])
    argumentos.add_argument("--salida", default="resultados/tarea_medida")
    args = argumentos.parse_args()
    print(helpers.describir_dispositivo())

    salida = Path(args.salida)
    fotos, preparadas, gan = salida / "fotos", salida / "preparadas", salida / "mi_gan"
    if salida.exists():
        sys.exit(f"«{salida}» ya existe: elige otra --salida (este script no escribe encima de nada).")
    print(f"Carpeta desordenada: {construir_carpeta(fotos)} archivos en {fotos}")

    segundos_preparar = orden(["preparar", str(fotos), "--salida", str(preparadas), "--tamano", str(args.tamano)])
    carpeta = next(p for p in preparadas.iterdir() if p.is_dir())
    segundos_entrenar = orden(["entrenar", str(carpeta), "--tamano", str(args.tamano), "--epocas", "100000",
                               "--minutos", str(args.minutos), "--salida", str(gan)])

    imagenes = helpers.imagenes_carpeta(carpeta, args.tamano)
    entrenamiento, reserva = helpers.separar_reserva(imagenes)  # la misma partición que usó entrenar
    mejor, final = (helpers.cargar_generador(gan / nombre) for nombre in ("mejor_generador.keras", "generador.keras"))
    z = np.random.default_rng(0).normal(size=(4 * len(reserva), mejor.input_shape[-1])).astype(np.float32)
    sin_entrenar = helpers.crear_gan(args.tamano, 3, **helpers.RECETA_POCOS_DATOS).generador_para_muestras()
    candidatos = {"real contra real (suelo)": entrenamiento[: len(z)], "generador sin entrenar": sin_entrenar(z).numpy(),
                  "generador recomendado": mejor(z).numpy(), "generador final": final(z).numpy()}
    print(f"\n{len(imagenes)} imágenes preparadas: {len(entrenamiento)} de entrenamiento, {len(reserva)} de reserva. "
          f"preparar {segundos_preparar:.0f} s, entrenar {segundos_entrenar:.0f} s "
          f"({len((gan / 'historial.csv').read_text().splitlines()) - 1} épocas)")
    for nombre, muestras in candidatos.items():
        swd = swd_promediada(reserva, muestras)
        print(f"  {nombre:<26} SWD {swd:6.0f}   KID {distancia_kid(reserva, muestras)['kid']:.4f}")
    for nombre in ("generador recomendado", "generador final"):
        cociente = comprobar_memorizacion(candidatos[nombre], entrenamiento, reserva)["cociente"]
        print(f"  memorización del {nombre}: cociente {cociente:.2f} (cerca de 1: no copia; muy por debajo de 1: copia)")
    cuadriculas = {"reales.png": entrenamiento, "muestras_mejor.png": candidatos["generador recomendado"],
                   "muestras_final.png": candidatos["generador final"]}
    for archivo, imagenes_cuadricula in cuadriculas.items():
        helpers.guardar_cuadricula(imagenes_cuadricula[:64], salida / archivo, columnas=8)
    print(f"Cuadrículas en {salida}: {', '.join(cuadriculas)}")


if __name__ == "__main__":
    main()
