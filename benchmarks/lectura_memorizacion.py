"""¿Cuándo dice la comprobación de memorización «memoriza» sin que haya copia?

``comprobar_memorizacion`` divide la distancia mediana de cada muestra a su vecina de entrenamiento
entre la de las imágenes de reserva. Una muestra «media» (la mancha gris de un generador sin
entrenar) queda cerca de todas las fotos sin copiar ninguna, y el cociente sale bajo. Este banco
mide el cociente y la diversidad (distancia mediana entre muestras / entre imágenes de reserva) de
generadores simulados cuya respuesta se conoce, en tres colecciones sin conexión, e imprime la
lectura de antes (solo el cociente: < 0,5 «memoriza») y la de ``lectura_memorizacion``:

- sin entrenar: el generador de ``RECETA_POCOS_DATOS`` recién creado; media + ruido: la imagen media
  del entrenamiento con ruido de desviación 0,05;
- nuevas: imágenes reales que no están ni en el entrenamiento ni en la reserva (lo que haría un
  generador perfecto); borrosas: las mismas con un filtro gaussiano;
- copias: imágenes de entrenamiento; con ruido de desviación 0,1; mitad nuevas y mitad copias;
  una sola foto de entrenamiento repetida, sola o con ruido (un generador colapsado en una copia);
  cuatro nuevas repetidas (pocos modos, sin copia).

Columnas: cociente, diversidad y ``primera_entre_segunda`` (1.ª/2.ª) de ``comprobar_memorizacion``.

Con ``--epocas`` entrena además ``entrenar_carpeta`` en la carpeta de ejemplo (32 px) esas épocas y
mide el generador final con las mismas 256 muestras que usa ``entregar``.

    python benchmarks/lectura_memorizacion.py --epocas 20 300 1500
"""

import argparse
import contextlib
import io
import tempfile
from pathlib import Path

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import numpy as np
from scipy.ndimage import gaussian_filter

from helpers.ejemplo import carpeta_de_ejemplo
from helpers.entorno import modelo_cpu
from helpers.formato_entrega import medir_memorizacion
from helpers.metricas import comprobar_memorizacion, lectura_memorizacion
from helpers.tarea import cargar_generador, entrenar_carpeta, separar_reserva


def lectura_antes(cociente):
    """La lectura que daba ``informe.html`` solo con el cociente."""
    return "bien" if cociente >= 0.9 else "vigilar" if cociente >= 0.5 else "memoriza"


def imprimir(nombre, resultado):
    print(f"  {nombre:<24} {resultado['cociente']:8.2f} {resultado['diversidad']:10.2f} "
          f"{resultado['primera_entre_segunda']:8.2f}   {lectura_antes(resultado['cociente']):<9} "
          f"{lectura_memorizacion(resultado)}")


def colecciones(carpeta):
    with contextlib.redirect_stdout(io.StringIO()):  # el aviso de los archivos que la carpeta descarta a propósito
        imagenes = helpers.cargar_imagenes(carpeta, 32)
    yield "carpeta de ejemplo, 32 px", imagenes
    yield "rostros de skimage, 32 px", helpers.imagenes_rostros(32, "todo", espejo=False)
    yield "dígitos, 16 px", helpers.imagenes_digitos(16, "todo")[0]


def simulados(imagenes, rng):
    """``(entrenamiento, reserva, {nombre: muestras})`` con imágenes barajadas de una colección."""
    imagenes = rng.permutation(np.asarray(imagenes, np.float32))
    k = min(max(2, round(0.15 * len(imagenes))), 200)
    reserva, nuevas, entrenamiento = imagenes[:k], imagenes[k : 2 * k], imagenes[2 * k :]
    forma = entrenamiento.shape[1:]
    copias = entrenamiento[rng.integers(0, len(entrenamiento), 256)]
    generador = helpers.crear_gan(forma[0], forma[-1], **helpers.RECETA_POCOS_DATOS).generador
    latentes = rng.normal(size=(256, generador.input_shape[-1])).astype(np.float32)
    return entrenamiento, reserva, {
        "sin entrenar": np.asarray(generador(latentes, training=False)),
        "media + ruido": np.clip(entrenamiento.mean(axis=0) + rng.normal(0, 0.05, (256, *forma)), -1, 1),
        "nuevas": nuevas,
        "nuevas borrosas": gaussian_filter(nuevas, (0, 1.5, 1.5, 0)),
        "copias": copias,
        "copias + ruido": np.clip(copias + rng.normal(0, 0.1, copias.shape), -1, 1),
        "mitad copias": np.concatenate([nuevas, copias[: len(nuevas)]]),
        "una foto repetida": np.repeat(entrenamiento[:1], 64, axis=0),
        **{f"una foto + ruido {sigma:g}": np.clip(entrenamiento[:1] + rng.normal(0, sigma, (64, *forma)), -1, 1)
           for sigma in (0.03, 0.05, 0.1, 0.2)},
        "cuatro nuevas repetidas": np.tile(nuevas[:4], (16, 1, 1, 1)),
    }


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    argumentos.add_argument("--epocas", type=int, nargs="*", default=[], help="entrenamientos de la carpeta de ejemplo")
    args = argumentos.parse_args()
    print(f"CPU: {modelo_cpu()}")
    cabecera = f"  {'muestras':<24} {'cociente':>8} {'diversidad':>10} {'1.ª/2.ª':>8}   {'antes':<9} ahora"
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as temporal:
        with contextlib.redirect_stdout(io.StringIO()):
            carpeta = carpeta_de_ejemplo(Path(temporal) / "ejemplo")
        for nombre, imagenes in colecciones(carpeta):
            entrenamiento, reserva, muestras = simulados(imagenes, rng)
            print(f"\n{nombre}: {len(entrenamiento)} de entrenamiento, {len(reserva)} de reserva\n{cabecera}")
            for caso, generadas in muestras.items():
                imprimir(caso, comprobar_memorizacion(generadas, entrenamiento, reserva))
        if args.epocas:
            with contextlib.redirect_stdout(io.StringIO()):
                entrenamiento, reserva = separar_reserva(helpers.cargar_imagenes(carpeta, 32))
            print(f"\ncarpeta de ejemplo entrenada con entrenar_carpeta (generador final, 256 muestras)\n{cabecera}")
            for epocas in args.epocas:
                salida = Path(temporal) / f"gan_{epocas}"
                with contextlib.redirect_stdout(io.StringIO()):
                    entrenar_carpeta(carpeta, salida, tamano=32, epocas=epocas, verbose=0)
                _, resultado = medir_memorizacion(cargar_generador(salida / "generador.keras"), entrenamiento, reserva)
                imprimir(f"{epocas} épocas", resultado)


if __name__ == "__main__":
    main()
