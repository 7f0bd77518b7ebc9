"""Los ajustes de L-BFGS de la transferencia de estilo, vistos en la pérdida de VGG19 (sin descargas).

Los ajustes (``PASO_LBFGS``, ``MEMORIA_LBFGS``, ``calentamiento``) se eligieron con SqueezeNet. Sin
conexión no hay pesos de VGG19, así que aquí se usa su arquitectura con pesos al azar
(``weights=None``): la pérdida no significa «estilo», pero su forma (16 convoluciones 3×3, cinco
capas de estilo, una de contenido) basta para ver si el paso probado primero se acepta casi siempre
y si el calentamiento evita que los primeros pasos disparen la pérdida de contenido. Para cada
variante imprime la pérdida y los gradientes calculados en algunas iteraciones, y cuántas
iteraciones necesitaron acortar el paso.

    python benchmarks/lbfgs_vgg19_al_azar.py --iteraciones 100 --lado 96
"""

import argparse
import os

os.environ.pop("CURSO_GAN_RAPIDO", None)  # el modo rápido recortaría las iteraciones

import helpers  # noqa: E402  (primero: silencia los avisos de C de TensorFlow al importarlo)
import keras  # noqa: E402
import skimage.data  # noqa: E402

from helpers import estilo, optimizadores_estilo, pinturas  # noqa: E402

VARIANTES = {  # nombre: (paso, calentamiento)
    "por defecto (paso 1,3, calentamiento 30)": (1.3, 30),
    "paso clásico 1": (1.0, 30),
    "sin calentamiento": (1.3, 0),
}


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--iteraciones", type=int, default=100)
    argumentos.add_argument("--lado", type=int, default=96, help="lado mayor de las imágenes, en píxeles")
    args = argumentos.parse_args()

    print(helpers.describir_dispositivo())
    original = keras.applications.VGG19
    keras.applications.VGG19 = lambda **opciones: original(**{**opciones, "weights": None})
    paso_por_defecto = optimizadores_estilo.PASO_LBFGS  # se cambia donde lo lee L-BFGS, no en estilo
    marcas = sorted({1, 10, 30, 31, 50, args.iteraciones // 2, args.iteraciones})
    for nombre, (paso, calentamiento) in VARIANTES.items():
        helpers.fijar_semilla(0)  # los mismos pesos al azar en cada variante
        estilo.olvidar_redes()
        optimizadores_estilo.PASO_LBFGS = paso
        _, historial = estilo.transferir_estilo(
            skimage.data.chelsea(), pinturas.pintura_pinceladas(256, "noche"), red="vgg19",
            iteraciones=args.iteraciones, lado_maximo=args.lado, calentamiento=calentamiento)
        optimizadores_estilo.PASO_LBFGS = paso_por_defecto
        evaluaciones = [1] + historial["evaluaciones"]  # la primera evaluación es la del punto de partida
        acortadas = sum(b - a > 1 for a, b in zip(evaluaciones, evaluaciones[1:]))
        print(f"\n{nombre}: {acortadas} de {args.iteraciones} iteraciones acortaron el paso; "
              f"{evaluaciones[-1]} gradientes")
        for i in marcas:
            print(f"  iteración {i:>4}: total {historial['total'][i - 1]:.4g} (contenido "
                  f"{historial['contenido'][i - 1]:.3g}, estilo {historial['estilo'][i - 1]:.3g}), "
                  f"{historial['evaluaciones'][i - 1]} gradientes")


if __name__ == "__main__":
    main()
