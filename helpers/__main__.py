"""Línea de órdenes del curso: ``python -m helpers demo``.

``demo`` entrena la DCGAN con los dígitos incluidos (sin descargas) y deja en ``resultados/demo``
una cuadrícula de muestras, el GIF de la evolución y la curva de pérdidas.
"""

import argparse
import sys
import time
from pathlib import Path


# argparse escribe sus mensajes en inglés; estos son los que puede ver un estudiante.
_TRADUCCIONES = {
    "usage: ": "uso: ",
    "positional arguments": "argumentos",
    "options": "opciones",
    "show this help message and exit": "muestra esta ayuda y termina",
    "the following arguments are required: %s": "faltan argumentos obligatorios: %s",
    "invalid %(type)s value: %(value)r": "valor no válido: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "opción no válida: %(value)r (elige entre %(choices)s)",
    "unrecognized arguments: %s": "argumentos no reconocidos: %s",
    "expected one argument": "falta su valor",
    "argument %(argument_name)s: %(message)s": "argumento %(argument_name)s: %(message)s",
}
argparse._ = lambda texto: _TRADUCCIONES.get(texto, texto)


def _analizador():
    analizador = argparse.ArgumentParser(
        prog="python -m helpers",
        description="Curso GAN: entrenar y probar redes generativas adversarias desde la terminal.",
    )
    ordenes = analizador.add_subparsers(dest="orden", required=True, metavar="ORDEN")
    demo = ordenes.add_parser(
        "demo",
        help="entrena la DCGAN con los dígitos incluidos (unos 2–3 minutos en CPU)",
        description="Entrena la DCGAN de dígitos 16×16 (sin descargas) y guarda muestras, GIF y pérdidas.",
    )
    demo.add_argument("--epocas", type=int, default=100, help="épocas de entrenamiento (por defecto: 100)")
    demo.add_argument("--salida", default="resultados/demo", help="carpeta de resultados (por defecto: resultados/demo)")
    demo.add_argument("--semilla", type=int, default=0, help="semilla para repetir el resultado (por defecto: 0)")
    demo.add_argument("--desde-cero", action="store_true", help="ignora un punto de control anterior en --salida")
    return analizador


def demo(epocas, salida, semilla, desde_cero=False):
    """Entrena la receta por defecto con los dígitos incluidos, la mide y dice dónde quedó todo."""
    import helpers
    from helpers.metricas import evaluar_digitos

    if epocas < 1:
        raise SystemExit(f"--epocas={epocas} debe ser un entero positivo.")
    print(f"Dispositivo: {helpers.describir_dispositivo()}")
    helpers.fijar_semilla(semilla)
    imagenes, _ = helpers.imagenes_digitos(16, semilla=semilla)
    gan = helpers.crear_gan(16)
    carpeta = Path(salida)
    inicio = time.perf_counter()
    helpers.entrenar(gan, helpers.a_dataset(imagenes, 32, semilla), epocas, carpeta=carpeta, continuar=not desde_cero, verbose=1)
    minutos = (time.perf_counter() - inicio) / 60

    muestras = gan.muestrear(100, semilla=semilla)
    cuadricula = helpers.guardar_cuadricula(muestras, carpeta / "muestras.png", columnas=10)
    calidad = evaluar_digitos(muestras)
    print(f"\nEntrenamiento terminado en {minutos:.1f} min.")
    print(
        f"Calidad (clasificador de dígitos de reserva): {calidad['clases_cubiertas']}/10 clases, "
        f"{calidad['confianza_alta']:.0%} de muestras nítidas (confianza ≥ 0,9)."
    )
    print("Resultados:")
    for descripcion, ruta in (
        ("cuadrícula de 100 muestras", cuadricula),
        ("evolución (GIF)", carpeta / "evolucion.gif"),
        ("curvas de pérdida", carpeta / "perdidas.png"),
        ("generador entrenado", carpeta / "generador.keras"),
    ):
        print(f"  {descripcion:<28} {ruta}")


def main(argumentos=None):
    args = _analizador().parse_args(argumentos)
    if args.orden == "demo":
        demo(args.epocas, args.salida, args.semilla, args.desde_cero)


if __name__ == "__main__":
    sys.exit(main())
