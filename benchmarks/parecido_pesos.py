"""¿Distingue el aviso «casi idéntico» de ``revisar`` una copia reentrenada de dos entregas honradas?

Entrena con ``entrenar_carpeta`` (la receta de la tarea, 32 px, semilla por defecto, como una clase
que sigue el enunciado) tres «estudiantes» honrados durante ``--minutos`` cada uno, con fotos
distintas de los paquetes instalados: los 100 rostros de ``skimage.data.lfw_subset``, 300 dígitos del
0 al 4 y 300 recortes de fotos de ``skimage.data``. Después una «copia»: la carpeta del de rostros
copiada y reentrenada una cuarta parte de ``--minutos`` más. Imprime, para cada par, la distancia entre
los pesos del generador entregado (``mejor_generador.keras``) dividida por la típica de la clase (la
mediana de los pares), que es lo que compara ``revision.comparar_pesos`` con ``UMBRAL_PARECIDO``.

    python benchmarks/parecido_pesos.py --salida resultados/parecido_pesos --minutos 2
"""

import argparse
import itertools
import os
import shutil
from pathlib import Path

os.environ.pop("CURSO_GAN_RAPIDO", None)  # el modo rápido daría entrenamientos de pocos pasos

import helpers  # noqa: E402  (primero: silencia los avisos de C de TensorFlow)
import keras  # noqa: E402
import numpy as np  # noqa: E402
import skimage.data  # noqa: E402
from PIL import Image  # noqa: E402

from helpers import revision, tarea  # noqa: E402


def fotos_de_la_clase():
    """``{estudiante: imágenes uint8}``: rostros, dígitos del 0 al 4 y recortes de 64 px de cuatro fotos."""
    digitos, etiquetas = helpers.imagenes_digitos(32, parte="todo")
    azar = np.random.default_rng(0)
    fotos = [skimage.data.astronaut(), skimage.data.coffee(), skimage.data.chelsea(), skimage.data.rocket()]
    recortes = []
    for foto in (fotos[i] for i in azar.integers(0, len(fotos), 300)):
        y, x = azar.integers(0, foto.shape[0] - 64), azar.integers(0, foto.shape[1] - 64)
        recortes.append(foto[y : y + 64, x : x + 64])
    return {
        "rostros": (skimage.data.lfw_subset()[:100] * 255).astype(np.uint8),
        "digitos": ((digitos[etiquetas < 5][:300, ..., 0] + 1) * 127.5).astype(np.uint8),
        "recortes": np.stack(recortes),
    }


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--salida", default="resultados/parecido_pesos")
    argumentos.add_argument("--minutos", type=float, default=2.0, help="entrenamiento de cada honrado")
    args = argumentos.parse_args()
    base = Path(args.salida)
    print(helpers.describir_dispositivo())

    entregas = {}
    for nombre, imagenes in fotos_de_la_clase().items():
        carpeta = base / "fotos" / nombre
        carpeta.mkdir(parents=True, exist_ok=True)
        for i, imagen in enumerate(imagenes):
            Image.fromarray(imagen).save(carpeta / f"{i:04d}.png")
        entregas[nombre] = base / nombre
        if not (entregas[nombre] / "generador.keras").exists():
            tarea.entrenar_carpeta(carpeta, entregas[nombre], tamano=32, epocas=10**6, minutos=args.minutos, verbose=0)
    entregas["copia de rostros"] = base / "copia"
    if not (base / "copia" / "generador.keras").exists():
        shutil.copytree(entregas["rostros"], base / "copia")
        tarea.entrenar_carpeta(base / "fotos" / "rostros", base / "copia", tamano=32, epocas=10**6,
                               minutos=args.minutos / 4, continuar=True, verbose=0)

    pesos = {}
    for nombre, carpeta in entregas.items():
        generador = keras.models.load_model(carpeta / "mejor_generador.keras", compile=False)
        pesos[nombre] = np.concatenate([np.ravel(w) for w in generador.get_weights()])
    pares = [(a, b, float(np.linalg.norm(pesos[a] - pesos[b]))) for a, b in itertools.combinations(pesos, 2)]
    tipica = float(np.median([distancia for *_, distancia in pares]))
    print(f"Distancia típica: {tipica:.1f} (norma de los pesos, {np.linalg.norm(pesos['rostros']):.1f}); "
          f"aviso por debajo de {revision.UMBRAL_PARECIDO} veces la típica.")
    for a, b, distancia in pares:
        print(f"  {a:>16} · {b:<16} {distancia / tipica:5.2f} veces la típica"
              + ("  → «casi idéntico»" if distancia < revision.UMBRAL_PARECIDO * tipica else ""))


if __name__ == "__main__":
    main()
