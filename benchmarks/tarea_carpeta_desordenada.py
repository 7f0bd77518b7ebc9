"""La tarea de principio a fin sobre una carpeta desordenada de unos cientos de fotos de rostros.

Construye la carpeta con las 100 caras reales de ``skimage.data.lfw_subset()`` (sin conexión), tres
versiones de cada una como las traería un estudiante: tamaños de 40 a 900 px, proporciones distintas
(márgenes), en gris, con un tinte de color, en paleta, RGBA, CMYK o PNG de 16 bits, en JPEG, PNG,
WebP, BMP o GIF, algunas giradas con la orientación EXIF y repartidas en subcarpetas; además, seis
archivos que deben descartarse (dañado, vacío, texto, miniatura, GIF animado y un PNG de
20.000×20.000 px). Después ejecuta la línea de órdenes del curso, igual que un estudiante:

    python -m helpers preparar FOTOS --salida … --tamano 32
    python -m helpers entrenar PREPARADAS --tamano 32 --minutos M --salida …

y mide el mejor generador (el de menor SWD durante el entrenamiento) y el final contra la reserva
que ``entrenar`` apartó (la misma partición): SWD (×10³) y KID frente al suelo «real contra real» y
al generador sin entrenar, y la comprobación de memorización. Guarda las cuadrículas de reales y de
muestras de los dos generadores como PNG: compáralas, porque las dos métricas no siempre eligen igual.

    python benchmarks/tarea_carpeta_desordenada.py --minutos 10 --salida resultados/tarea_medida
"""

import argparse
import io
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import numpy as np
from PIL import Image
from skimage import data

from helpers.metricas import comprobar_memorizacion, distancia_kid, distancia_swd

VERSIONES = 3
MODOS = ("L", "tinte", "P", "RGBA", "CMYK", "I;16")
FORMATO_DE_MODO = {"L": ("jpg", "png", "webp", "bmp"), "tinte": ("jpg", "webp", "bmp"), "P": ("gif", "png"),
                   "RGBA": ("png", "webp"), "CMYK": ("jpg",), "I;16": ("png",)}


def version_desordenada(cara, rng):
    """Una «foto» de ``cara`` (uint8 25×25): márgenes, tamaño, modo de color y formato al azar."""
    margenes = [(int(rng.uniform(0, 0.3) * 25), int(rng.uniform(0, 0.3) * 25)) for _ in range(2)]
    foto = Image.fromarray(np.pad(cara, margenes, mode="edge"))
    lado = int(rng.uniform(40, 900))
    foto = foto.resize((lado, round(lado * foto.height / foto.width)), Image.BICUBIC)
    modo = MODOS[rng.integers(len(MODOS))]
    if modo == "tinte":
        gris = np.asarray(foto, np.float32)[..., None]
        foto = Image.fromarray(np.clip(gris * rng.uniform(0.8, 1.2, 3), 0, 255).astype(np.uint8))
    elif modo == "I;16":
        foto = Image.fromarray(np.asarray(foto, np.uint16) * 257)
    elif modo != "L":
        foto = foto.convert(modo)
    return foto, FORMATO_DE_MODO[modo][rng.integers(len(FORMATO_DE_MODO[modo]))]


def png_enorme(ancho=20_000, alto=20_000):
    """Un PNG válido cuya cabecera dice 20.000×20.000 px (más de 1 GB al decodificarlo)."""

    def trozo(tipo, datos):
        return struct.pack(">I", len(datos)) + tipo + datos + struct.pack(">I", zlib.crc32(tipo + datos))

    cabecera = struct.pack(">IIBBBBB", ancho, alto, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + trozo(b"IHDR", cabecera) + trozo(b"IDAT", zlib.compress(b"\0" * (1 + 3 * ancho) * 8)) + trozo(b"IEND", b"")


def construir_carpeta(destino, semilla=0):
    """Escribe la carpeta desordenada en ``destino`` (nueva) y devuelve cuántos archivos escribió."""
    rng = np.random.default_rng(semilla)
    caras = (data.lfw_subset()[:100] * 255).astype(np.uint8)  # las 100 primeras son caras
    for i, cara in enumerate(caras):
        for v in range(VERSIONES):
            foto, formato = version_desordenada(cara, rng)
            carpeta = destino / ("", "movil", "camara/2024")[v]
            carpeta.mkdir(parents=True, exist_ok=True)
            ruta = carpeta / f"persona_{i:03d}_{v}.{formato}"
            if formato == "jpg" and foto.mode in ("L", "RGB") and rng.random() < 0.3:
                exif = Image.Exif()
                exif[0x0112] = 6  # «gira 90° a la derecha para verla»: guardamos la foto girada a la izquierda
                foto.transpose(Image.Transpose.ROTATE_90).save(ruta, quality=int(rng.uniform(60, 95)), exif=exif)
            else:
                foto.save(ruta, **({"quality": int(rng.uniform(60, 95))} if formato in ("jpg", "webp") else {}))
    jpeg = io.BytesIO()
    Image.fromarray(caras[0]).resize((200, 200)).save(jpeg, "JPEG")
    (destino / "dañada.jpg").write_bytes(jpeg.getvalue()[:400])  # cortada a medio escribir
    (destino / "vacia.png").write_bytes(b"")
    (destino / "leeme.txt").write_text("fotos de clase\n", encoding="utf-8")
    Image.fromarray(caras[0]).resize((8, 8)).save(destino / "miniatura.png")
    cuadros = [Image.fromarray(c) for c in caras[:2]]
    cuadros[0].save(destino / "animada.gif", save_all=True, append_images=cuadros[1:], duration=200)
    (destino / "enorme.png").write_bytes(png_enorme())
    return sum(1 for p in destino.rglob("*") if p.is_file())


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
                  "mejor generador (por SWD)": mejor(z).numpy(), "generador final": final(z).numpy()}
    print(f"\n{len(imagenes)} imágenes preparadas: {len(entrenamiento)} de entrenamiento, {len(reserva)} de reserva. "
          f"preparar {segundos_preparar:.0f} s, entrenar {segundos_entrenar:.0f} s "
          f"({len((gan / 'historial.csv').read_text().splitlines()) - 1} épocas)")
    for nombre, muestras in candidatos.items():
        swd = np.mean([distancia_swd(reserva, grupo)["media"] for grupo in np.array_split(muestras, 4)])
        print(f"  {nombre:<26} SWD {swd:6.0f}   KID {distancia_kid(reserva, muestras)['kid']:.4f}")
    for nombre in ("mejor generador (por SWD)", "generador final"):
        cociente = comprobar_memorizacion(candidatos[nombre], entrenamiento, reserva)["cociente"]
        print(f"  memorización del {nombre}: cociente {cociente:.2f} (cerca de 1: no copia; muy por debajo de 1: copia)")
    cuadriculas = {"reales.png": entrenamiento, "muestras_mejor.png": candidatos["mejor generador (por SWD)"],
                   "muestras_final.png": candidatos["generador final"]}
    for archivo, imagenes_cuadricula in cuadriculas.items():
        helpers.guardar_cuadricula(imagenes_cuadricula[:64], salida / archivo, columnas=8)
    print(f"Cuadrículas en {salida}: {', '.join(cuadriculas)}")


if __name__ == "__main__":
    main()
