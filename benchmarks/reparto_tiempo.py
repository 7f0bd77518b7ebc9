"""Qué parte del tiempo de ``entrenar`` se va en pasos de entrenamiento y qué parte en lo demás.

Entrena la receta de la tarea (``RECETA_POCOS_DATOS``) a 32 px con unas 3.400 imágenes en color (los
dígitos de scikit-learn, con su reflejo, repetidos en tres canales: sin conexión) y los ajustes por
defecto de ``entrenar``: punto de control como mucho cada minuto, cuadrícula cada 5 s, SWD con
``cada_metrica="auto"``. ``entrenar`` imprime al final el reparto («Tiempo: … % del total»); el
objetivo es que lo demás (guardar, medir, dibujar) sea como mucho un 10 %. Además, este script
cuenta cuánto se llevó cada callback.

Con ``--rostros``, las caras incluidas (150 imágenes en gris: épocas de 4 pasos, como en el cuaderno 03)
durante ``--minutos``: con épocas tan cortas pesa lo que se hace en cada época, no lo que se hace de vez
en cuando (en una GPU, con pasos diez veces más rápidos, las épocas de miles de imágenes serían así).

    python benchmarks/reparto_tiempo.py --epocas 40
    python benchmarks/reparto_tiempo.py --rostros --minutos 1.5
"""

import argparse
import collections
import os
import tempfile
import time

os.environ.pop("CURSO_GAN_RAPIDO", None)  # el modo rápido recortaría las épocas y falsearía la medida

import helpers  # noqa: E402  (primero: silencia los avisos de C de TensorFlow al importarlo)
import numpy as np  # noqa: E402

from helpers.callbacks import HistorialPerdidas, MuestrasFijas, SeguimientoMetrica  # noqa: E402
from helpers.punto_de_control import PuntoDeControl  # noqa: E402

CALLBACKS = (MuestrasFijas, HistorialPerdidas, SeguimientoMetrica, PuntoDeControl)


def cronometrar_callbacks(segundos):
    """Envuelve los métodos de los callbacks de ``entrenar`` para sumar en ``segundos`` lo que tardan."""
    for clase in CALLBACKS:
        nombre = clase.__name__
        for metodo in ("on_epoch_end", "on_train_end"):
            original = getattr(clase, metodo)

            def cronometrado(self, *args, _original=original, _clave=f"{nombre}.{metodo}", **kwargs):
                inicio = time.perf_counter()
                try:
                    return _original(self, *args, **kwargs)
                finally:
                    segundos[_clave] += time.perf_counter() - inicio

            setattr(clase, metodo, cronometrado)


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--epocas", type=int, default=40)
    argumentos.add_argument("--rostros", action="store_true", help="las caras incluidas, épocas de 4 pasos")
    argumentos.add_argument("--minutos", type=float, default=1.5, help="con --rostros, minutos de entrenamiento")
    args = argumentos.parse_args()
    print(helpers.describir_dispositivo())

    if args.rostros:
        entrenamiento, reserva = helpers.imagenes_rostros(32), helpers.imagenes_rostros(32, "reserva")
        epocas, limite = 1_000_000, [helpers.LimiteDeTiempo(args.minutos)]
    else:
        digitos, _ = helpers.imagenes_digitos(32, parte="todo")
        imagenes = np.repeat(np.concatenate([digitos, digitos[:, :, ::-1]]), 3, axis=-1)
        entrenamiento, reserva = helpers.separar_reserva(imagenes)
        epocas, limite = args.epocas, []
    datos = helpers.a_dataset(entrenamiento, 32)
    print(f"{len(entrenamiento)} imágenes de entrenamiento, {len(reserva)} de reserva, "
          f"{int(datos.cardinality())} pasos por época, " + (f"{args.minutos:g} min" if args.rostros else f"{epocas} épocas"))

    segundos = collections.defaultdict(float)
    cronometrar_callbacks(segundos)
    gan = helpers.crear_gan(32, entrenamiento.shape[-1], **helpers.RECETA_POCOS_DATOS)
    with tempfile.TemporaryDirectory() as carpeta:
        inicio = time.perf_counter()
        historial = helpers.entrenar(gan, datos, epocas, carpeta, verbose=0, reales_metrica=reserva, callbacks=limite)
        total = time.perf_counter() - inicio
    medidas = [r["epoca"] for r in historial["metrica"]]
    print(f"Total {total:.1f} s, {len(historial['perdida_g'])} épocas; SWD medida en las épocas {medidas}")
    for clave, valor in sorted(segundos.items(), key=lambda par: -par[1]):
        print(f"  {clave:<32} {valor:6.2f} s ({100 * valor / total:4.1f} %)")


if __name__ == "__main__":
    main()
