"""La comprobación de GPU, lista para cuando haya una: una orden, una tabla.

    python benchmarks/gpu.py                      # todo: de 10 a 35 minutos
    python benchmarks/gpu.py --sin-cuadernos      # lo que no son cuadernos: unos 10 minutos
    python benchmarks/gpu.py --cuadernos 02 05    # solo esos cuadernos (en modo completo)

Mide, en este orden:
1. el rendimiento de ``GAN.fit`` frente al bucle del tutorial a 64 px, en float32, con la precisión
   mixta que elige ``activar_precision_mixta()`` y con y sin XLA (``rendimiento_dcgan.py``);
2. la receta para pocos datos con las caras incluidas durante ``--minutos`` minutos, con su SWD
   contra caras de reserva y el reparto del tiempo entre pasos y lo demás (guardar, medir, dibujar);
3. un punto de control escrito con precisión mixta que se reanuda en CPU con float32;
4. cada cuaderno en modo completo (sin ``CURSO_GAN_RAPIDO``), con su tiempo de reloj y un límite
   por cuaderno (``--limite``, 4 minutos): el que se pasa figura como «más de N s». El 04 solo si se
   pide con ``--cuadernos 04 --limite 1800``: entrena cada receta un tiempo fijo (unos 25 minutos en
   total, con GPU o sin ella), así que no hay nada que medir y no cabría en el límite de 4 minutos.
Al final imprime una tabla para copiar en el README y en la guía docente. Sin GPU también funciona
(mide la CPU), pero entonces los números no son los de la columna de GPU.
"""

import argparse
import contextlib
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
# Todos menos el 04, que entrena cada receta durante un tiempo fijo (ver arriba).
POR_DEFECTO = {ruta.name[:2] for ruta in (RAIZ / "notebooks").glob("*.ipynb")} - {"04"}

REANUDAR_EN_CPU = r"""
import sys, keras, helpers
from helpers.punto_de_control import restaurar_estado
gan = helpers.crear_gan(32, 1, **helpers.RECETA_POCOS_DATOS)
print("epoca", restaurar_estado(gan, sys.argv[1]), keras.mixed_precision.dtype_policy().name)
"""


def ejecutar(orden, entorno=None, limite=None):
    """Ejecuta ``orden`` y devuelve ``(segundos, salida, código)``; si se pasa de ``limite``, código None."""
    inicio = time.perf_counter()
    try:
        proceso = subprocess.run(orden, capture_output=True, text=True, env=entorno, timeout=limite, cwd=RAIZ)
    except subprocess.TimeoutExpired as error:
        return time.perf_counter() - inicio, (error.stdout or b"").decode(errors="replace") if isinstance(error.stdout, bytes) else (error.stdout or ""), None
    return time.perf_counter() - inicio, proceso.stdout + proceso.stderr, proceso.returncode


def rendimiento(politica, filas):
    segundos, salida, codigo = ejecutar(
        [sys.executable, "benchmarks/rendimiento_dcgan.py", "--tamano", "64", "--lote", "128", "--pasos", "10",
         "--epocas", "1", "--rondas", "4", "--politica", politica]
    )
    numero = r"\s+(\d+)\s+([\d.]+)×"  # imágenes por segundo y cociente frente al tutorial
    for linea in salida.splitlines():
        coincide = re.match(rf"(tutorial \(tf.function\)|kit \(GAN.fit\)|kit con XLA|kit sin XLA){numero * 3}", linea)
        if coincide:
            filas.append((f"DCGAN 64 px, {politica}: {coincide[1]}",
                          f"mediana {coincide[2]} img/s ({coincide[3]}×), mejor ronda {coincide[4]} ({coincide[5]}×)"))
    if codigo != 0:
        filas.append((f"DCGAN 64 px, {politica}", f"falló: {salida.strip().splitlines()[-1] if salida.strip() else codigo}"))


def rostros(minutos, carpeta, filas):
    import helpers
    from helpers.punto_de_control import epoca_guardada

    politica = helpers.activar_precision_mixta()
    helpers.fijar_semilla(0)
    entrenamiento, reserva = helpers.imagenes_rostros(32), helpers.imagenes_rostros(32, "reserva")
    gan = helpers.crear_gan(32, 1, **helpers.RECETA_POCOS_DATOS)
    inicio = time.perf_counter()
    texto = io.StringIO()
    with contextlib.redirect_stdout(texto):
        historial = helpers.entrenar(
            gan, helpers.a_dataset(entrenamiento, 32), 100_000, carpeta, verbose=0, reales_metrica=reserva,
            callbacks=[helpers.LimiteDeTiempo(minutos)],
        )
    segundos = time.perf_counter() - inicio
    final, mejor = historial["metrica"][-1]["valor"], min(r["valor"] for r in historial["metrica"])
    filas.append((f"Receta de caras, {minutos:g} min ({politica})",
                  f"{epoca_guardada(carpeta)} épocas, SWD ×10³ final {final:.0f} (mínima {mejor:.0f}), {segundos:.0f} s"))
    reparto = next((l for l in texto.getvalue().splitlines() if l.startswith("Tiempo:")), "sin medir")
    filas.append(("Reparto del tiempo de la receta de caras", reparto.removeprefix("Tiempo: ")))
    return politica


def reanudar_en_cpu(carpeta, politica, filas):
    entorno = {**os.environ, "CUDA_VISIBLE_DEVICES": "-1"}
    _, salida, codigo = ejecutar([sys.executable, "-c", REANUDAR_EN_CPU, str(carpeta)], entorno)
    resultado = next((l for l in salida.splitlines() if l.startswith("epoca")), salida.strip()[-200:])
    filas.append((f"Punto de control de {politica} reanudado en CPU", "bien: " + resultado if codigo == 0 else "falló: " + resultado))


def cuadernos(numeros, limite, filas):
    entorno = {k: v for k, v in os.environ.items() if k != "CURSO_GAN_RAPIDO"}
    for cuaderno in sorted((RAIZ / "notebooks").glob("*.ipynb")):
        if cuaderno.name[:2] not in (numeros or POR_DEFECTO):
            continue
        with tempfile.TemporaryDirectory() as carpeta:
            orden = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                     f"--ExecutePreprocessor.timeout={limite}", "--output-dir", carpeta, str(cuaderno)]
            segundos, salida, codigo = ejecutar(orden, entorno, limite)
        estado = f"{segundos:.0f} s" if codigo == 0 else (f"más de {limite} s" if codigo is None else "falló")
        filas.append((f"Cuaderno {cuaderno.stem} (modo completo)", estado))
        print(f"  {cuaderno.stem}: {estado}", flush=True)


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--minutos", type=float, default=5.0, help="minutos de la receta de caras")
    argumentos.add_argument("--cuadernos", nargs="*", default=[], help="números de cuaderno (por defecto, todos menos el 04)")
    argumentos.add_argument("--limite", type=int, default=240, help="segundos como mucho por cuaderno")
    argumentos.add_argument("--sin-cuadernos", action="store_true")
    args = argumentos.parse_args()

    import helpers
    import tensorflow as tf

    import keras

    filas = [("Dispositivo", helpers.describir_dispositivo()), ("TensorFlow / Keras", f"{tf.__version__} / {keras.__version__}")]
    politica_mixta = helpers.entorno.politica_precision(helpers.entorno.capacidad_gpu())
    for politica in dict.fromkeys(["float32", politica_mixta]):
        print(f"Rendimiento a 64 px con {politica}…", flush=True)
        rendimiento(politica, filas)
    with tempfile.TemporaryDirectory() as carpeta:
        print(f"Receta de caras durante {args.minutos:g} min…", flush=True)
        politica = rostros(args.minutos, Path(carpeta) / "rostros", filas)
        reanudar_en_cpu(Path(carpeta) / "rostros", politica, filas)
    if not args.sin_cuadernos:
        print("Cuadernos en modo completo…", flush=True)
        cuadernos(set(args.cuadernos), args.limite, filas)

    ancho = max(len(nombre) for nombre, _ in filas)
    print("\n| medida | resultado |\n|---|---|")
    for nombre, valor in filas:
        print(f"| {nombre:<{ancho}} | {valor} |")


if __name__ == "__main__":
    main()
