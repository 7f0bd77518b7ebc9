"""Una clase de diez entregas, revisada con ``python -m helpers revisar``: ¿cuánto tarda y acierta?

Entrena diez GAN pequeñas (modo rápido: 20 épocas a 32 px, sin XLA) con subconjuntos distintos de
40 de los 100 rostros incluidos (``skimage.data.lfw_subset``), todas con la semilla por defecto (0),
como haría una clase que sigue el enunciado. Cada una entrega con ``entregar``; cinco son honradas y
cinco traen un problema plantado:

- ``f_sin_imagenes``: entregada con ``--sin-imagenes``;
- ``g_cuadricula``: ``muestras.png`` cambiada por fotos reales (con la huella SHA-256 al día);
- ``h_copia``: el generador de ``i_infladas`` con otro nombre;
- ``i_infladas``: la SWD del manifiesto dividida por 3;
- ``j_memoriza``: su generador se cambió por uno que devuelve 8 de sus imágenes de entrenamiento
  (capas de Keras: densa con softmax → densa sin sesgo cuyos pesos son las fotos).

Además, tres ilegibles que no necesitan entrenar: un miembro ``../``, un generador con ``Lambda`` y
un zip truncado. Después cronometra ``revisar`` (objetivo: menos de 2 minutos) y comprueba que cada
problema tiene su aviso y que ninguna honrada tiene ninguno. Imprime también la menor distancia
relativa entre los pesos de dos generadores honrados (frente a ``UMBRAL_PARECIDO``) y los cocientes
de memorización (frente a ``UMBRAL_MEMORIZACION``).

    python benchmarks/revision_clase.py --salida resultados/revision_clase
    python benchmarks/revision_clase.py --salida resultados/revision_clase --solo-revisar   # sin volver a entrenar
"""

import argparse
import hashlib
import json
import os
import shutil
import time
import zipfile
from pathlib import Path

os.environ["CURSO_GAN_RAPIDO"] = "1"  # antes de importar helpers: diez GAN pequeñas, como en las pruebas

import helpers  # noqa: E402  (primero: silencia los avisos de C de TensorFlow)
import keras  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from helpers import entrega, medida_entrega, revision, tarea  # noqa: E402
from helpers.datos import a_rango_simetrico  # noqa: E402
from helpers.entorno import modelo_cpu  # noqa: E402
from helpers.graficos import a_uint8, guardar_cuadricula  # noqa: E402

HONRADAS = ("a_honrada", "b_honrada", "c_honrada", "d_honrada", "e_honrada")
ESPERADO = {
    "f_sin_imagenes": "sin imágenes de reserva",
    "g_cuadricula": "la cuadrícula entregada no sale de este generador",
    "h_copia": "generador idéntico al de i_infladas.zip",
    "i_infladas": "SWD del manifiesto no coincide",
    "j_memoriza": "posible memorización",
    "x_escapa": "ruta con «..»",
    "y_lambda": "capas no permitidas: Lambda",
    "z_truncado": "no es un .zip válido",
}


def sin_xla(*args, **kwargs):
    """XLA tarda más en compilar que estos entrenamientos de pocos pasos."""
    gan = helpers.crear_gan(*args, **kwargs)
    gan.jit_compile = False
    return gan


def entrenar(base, nombre, indices, caras):
    fotos = base / "fotos" / nombre
    fotos.mkdir(parents=True)
    for i in indices:
        Image.fromarray(caras[i]).save(fotos / f"cara_{i:03d}.png")
    tarea.crear_gan = sin_xla
    tarea.entrenar_carpeta(fotos, base / "resultados" / nombre, tamano=32, epocas=20, verbose=0)
    return base / "resultados" / nombre


def memorizador(entrenamiento, n=8):
    """Generador «que memoriza»: elige (casi) una de ``n`` imágenes de ``entrenamiento`` según z."""
    forma = entrenamiento.shape[1:]
    entrada = keras.Input((64,))
    eleccion = keras.layers.Dense(n, activation="softmax", kernel_initializer=keras.initializers.RandomNormal(0, 10))
    fotos = keras.layers.Dense(int(np.prod(forma)), use_bias=False)
    salida = keras.layers.Reshape(forma)(fotos(eleccion(entrada)))
    modelo = keras.Model(entrada, salida)
    fotos.set_weights([entrenamiento[:n].reshape(n, -1)])
    return modelo


def rehacer(origen, destino, cambios, manifiesto=None):
    """Copia la entrega ``origen`` con ``cambios`` y el manifiesto (y sus huellas) al día."""
    with zipfile.ZipFile(origen) as viejo:
        archivos = {nombre: viejo.read(nombre) for nombre in viejo.namelist()}
    archivos.update(cambios)
    datos = {**json.loads(archivos[entrega.MANIFIESTO]), **(manifiesto or {})}
    datos["archivos"] = {n: hashlib.sha256(c).hexdigest() for n, c in archivos.items() if n != entrega.MANIFIESTO}
    archivos[entrega.MANIFIESTO] = json.dumps(datos).encode()
    with zipfile.ZipFile(destino, "w") as nuevo:
        for nombre, contenido in archivos.items():
            nuevo.writestr(nombre, contenido)


def preparar_clase(base):
    caras = a_uint8(helpers.imagenes_rostros(32, "todo", espejo=False))[..., 0]
    entregas = base / "entregas"
    entregas.mkdir(parents=True)
    rng = np.random.default_rng(2024)
    inicio = time.perf_counter()
    for nombre in (*HONRADAS, "f_sin_imagenes", "g_cuadricula", "i_infladas", "j_memoriza"):
        resultados = entrenar(base, nombre, np.sort(rng.choice(len(caras), 40, replace=False)), caras)
        if nombre == "j_memoriza":
            guardadas = tarea.leer_imagenes_guardadas(resultados / tarea.ARCHIVO_IMAGENES, "entrenamiento")
            entrenamiento = a_rango_simetrico(guardadas, 255)
            memorizador(entrenamiento).save(resultados / "generador.keras")
        entrega.entregar(resultados, entregas / f"{nombre}.zip", nombre=nombre, sin_imagenes=nombre == "f_sin_imagenes")
    print(f"Diez entrenamientos y entregas: {time.perf_counter() - inicio:.0f} s")

    reales = a_rango_simetrico(tarea.leer_imagenes_guardadas(base / "resultados" / "g_cuadricula" / tarea.ARCHIVO_IMAGENES,
                                                             "entrenamiento"), 255)
    falsa = guardar_cuadricula(np.resize(reales, (64, *reales.shape[1:])), base / "falsa.png").read_bytes()
    rehacer(entregas / "g_cuadricula.zip", entregas / "g_cuadricula.zip", {"muestras.png": falsa})
    rehacer(entregas / "i_infladas.zip", entregas / "h_copia.zip", {}, {"alumno": "h_copia"})
    datos = json.loads(zipfile.ZipFile(entregas / "i_infladas.zip").read(entrega.MANIFIESTO))
    datos["medidas"]["generador.keras"]["swd"] /= 3
    rehacer(entregas / "i_infladas.zip", entregas / "i_infladas.zip", {}, {"medidas": datos["medidas"]})

    with zipfile.ZipFile(entregas / "x_escapa.zip", "w") as malicioso:
        malicioso.writestr("../fuera.txt", "escribo fuera")
    entrada = keras.Input((64,))
    con_lambda = keras.Model(entrada, keras.layers.Lambda(lambda t: keras.ops.reshape(t, (-1, 8, 8, 1)))(entrada))
    con_lambda.save(base / "lambda.keras")
    rehacer(entregas / "a_honrada.zip", entregas / "y_lambda.zip", {"generador.keras": (base / "lambda.keras").read_bytes()})
    contenido = (entregas / "b_honrada.zip").read_bytes()
    (entregas / "z_truncado.zip").write_bytes(contenido[: len(contenido) // 2])
    return entregas


def cpu_y_carga():
    return f"{modelo_cpu()}, {os.cpu_count()} núcleos; carga media {os.getloadavg()[0]:.1f}"


def main():
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--salida", default="resultados/revision_clase", help="carpeta de trabajo (se vacía)")
    analizador.add_argument("--solo-revisar", action="store_true", help="reutiliza las entregas que ya hay en --salida")
    args = analizador.parse_args()
    base = Path(args.salida)
    print(f"CPU: {cpu_y_carga()}")
    if args.solo_revisar:
        shutil.rmtree(base / "informe", ignore_errors=True)
        entregas = base / "entregas"
    else:
        shutil.rmtree(base, ignore_errors=True)
        entregas = preparar_clase(base)

    inicio = time.perf_counter()
    filas = revision.revisar(entregas, base / "informe" / "informe_clase.html")
    segundos = time.perf_counter() - inicio
    print(f"\nrevisar: {segundos:.1f} s para {len(filas)} entregas ({segundos / len(filas):.1f} s cada una); "
          f"{segundos / 120:.2f} del objetivo de 2 minutos. CPU: {cpu_y_carga()}")

    por_nombre = {Path(f["entrega"]).stem: f for f in filas}
    aciertos = 0
    print("\nentrega          esperado → avisos / motivo")
    for nombre, fila in sorted(por_nombre.items()):
        texto = "; ".join(fila["avisos"]) + (f" ILEGIBLE: {fila['motivo']}" if fila["motivo"] else "")
        bien = (not texto) if nombre in HONRADAS else ESPERADO[nombre] in texto
        aciertos += bien
        print(f"{'✓' if bien else '✗'} {nombre:<15} {texto or 'sin avisos'}")
    print(f"\n{aciertos}/{len(por_nombre)} correctas (honradas sin avisos; cada problema, con el suyo).")

    honradas = [por_nombre[n] for n in HONRADAS]
    pares = revision.distancias_pesos(filas)
    tipica = np.median([d for _, _, d in pares if d > 0])
    entre_honradas = [d for a, b, d in pares if {Path(a["entrega"]).stem, Path(b["entrega"]).stem} <= set(HONRADAS)]
    norma = np.mean([np.linalg.norm(f["pesos"]) for f in honradas])
    print(f"Pesos de dos honradas (misma semilla): distancia mínima {min(entre_honradas) / tipica:.2f} veces la típica "
          f"de la clase (aviso por debajo de {revision.UMBRAL_PARECIDO}); la típica es un {tipica / norma:.1%} de la norma de los pesos.")
    cocientes = [f["memorizacion"] for f in honradas]
    print(f"Cociente de memorización de las honradas: {min(cocientes):.2f}–{max(cocientes):.2f}; "
          f"el memorizador: {por_nombre['j_memoriza']['memorizacion']:.2f} (aviso por debajo de {medida_entrega.UMBRAL_MEMORIZACION}).")


if __name__ == "__main__":
    main()
