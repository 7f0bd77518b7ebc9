"""Gradientes de L-BFGS hasta la pérdida del tutorial según cuánto se amplifican las frecuencias bajas.

El exponente es el de ``estilo.en_frecuencias``: cada frecuencia ``f`` se multiplica por
``1/f^exponente`` (``frecuencias_estilo.EXPONENTE_FRECUENCIAS``). ``--memorias`` y ``--pasos-lbfgs`` prueban
también otras memorias de L-BFGS (``optimizadores_estilo.MEMORIA_LBFGS``, pares que recuerda) y otros pasos
probados primero (``optimizadores_estilo.PASO_LBFGS``): se cambian en esos módulos, donde se leen (``estilo``
solo los reexporta). Con SqueezeNet, la red que no necesita descargas.

En cada par de ``velocidad_estilo.PARES`` corre primero el bucle Adam del tutorial (su pérdida final
es el objetivo) y después, para cada ajuste (exponente de ``--exponentes``, memoria de ``--memorias``
y paso de ``--pasos-lbfgs``) y cada inicio de ``--semillas``, la optimización de ``transferir_estilo``
(L-BFGS con sus demás opciones por defecto) desde la foto movida una milésima al azar: el número de
gradientes cambia en decenas con movimientos así, y una sola ejecución por ajuste no distingue un
ajuste mejor de un inicio con suerte. El número de gradientes no depende de la carga de la máquina.
Imprime los gradientes de cada par, ajuste e inicio y, por ajuste e inicio, la mediana del cociente
pasos del tutorial (``--pasos``) / gradientes en los pares alcanzados.

    python benchmarks/exponente_frecuencias.py --exponentes 0.5 0.6 0.7 --semillas 1 2 3
    python benchmarks/exponente_frecuencias.py --exponentes 0.6 --memorias 10 14 20 --semillas 1 2
    python benchmarks/exponente_frecuencias.py --exponentes 0.6 --pasos-lbfgs 1.3 1.6 2.0 --semillas 1 2
"""

import argparse
import os
import statistics
from unittest import mock

os.environ.pop("CURSO_GAN_RAPIDO", None)

import helpers  # noqa: E402  (primero: silencia los avisos de C de TensorFlow al importarlo)
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
from velocidad_estilo import PARES, bucle_del_tutorial, perdida_del_tutorial  # noqa: E402

from helpers import estilo, frecuencias_estilo, optimizadores_estilo  # noqa: E402


def gradientes_hasta(perdida, inicio, objetivo, iteraciones):
    """Gradientes que necesita ``optimizadores_estilo.optimizar_lbfgs`` para bajar de ``objetivo`` (``None`` si
    no llega) y pérdida final."""
    totales, evaluaciones = [], []

    def al_iterar(partes, _, n):
        totales.append(float(partes["total"]))
        evaluaciones.append(n)

    # El calentamiento por defecto de transferir_estilo, como allí, como mucho la cuarta parte.
    optimizadores_estilo.optimizar_lbfgs(perdida, inicio[None], iteraciones, al_iterar,
                                         calentamiento=min(estilo.CALENTAMIENTO, iteraciones // 4))
    alcanzados = [n for n, total in zip(evaluaciones, totales) if total <= objetivo]
    return (alcanzados[0] if alcanzados else None), totales[-1]


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--exponentes", type=float, nargs="+", default=[0.5, 0.6])
    argumentos.add_argument("--memorias", type=int, nargs="+", default=[optimizadores_estilo.MEMORIA_LBFGS])
    argumentos.add_argument("--pasos-lbfgs", type=float, nargs="+", default=[optimizadores_estilo.PASO_LBFGS])
    argumentos.add_argument("--semillas", type=int, nargs="+", default=[1, 2, 3])
    argumentos.add_argument("--pares", nargs="+", default=list(PARES), choices=list(PARES))
    argumentos.add_argument("--pasos", type=int, default=1000, help="pasos de Adam del tutorial")
    argumentos.add_argument("--iteraciones", type=int, default=400, help="las de transferir_estilo")
    argumentos.add_argument("--lado", type=int, default=256)
    args = argumentos.parse_args()

    helpers.fijar_semilla(0)
    extractor = estilo.extractor_estilo("squeezenet")
    print(helpers.describir_dispositivo())
    ajustes = [(exponente, memoria, paso) for exponente in args.exponentes for memoria in args.memorias
               for paso in args.pasos_lbfgs]
    cocientes = {(ajuste, semilla): [] for ajuste in ajustes for semilla in args.semillas}
    for nombre in args.pares:
        cargar_foto, cargar_estilo = PARES[nombre]
        foto = estilo.cargar_imagen(cargar_foto(), args.lado)
        pintura = estilo.cargar_imagen(cargar_estilo(), args.lado)
        perdida = estilo.crear_perdida(extractor, foto, pintura)
        imagen_tutorial, _, _ = bucle_del_tutorial(perdida_del_tutorial(extractor, foto, pintura), foto, args.pasos)
        objetivo = float(perdida(tf.constant(imagen_tutorial))["total"])
        print(f"{nombre}: pérdida del tutorial {objetivo:.4g}", flush=True)
        for ajuste in ajustes:
            texto = []
            for semilla in args.semillas:
                movida = foto / 255.0 + np.random.default_rng(semilla).uniform(-1e-3, 1e-3, foto.shape)
                with mock.patch.object(frecuencias_estilo, "EXPONENTE_FRECUENCIAS", ajuste[0]), \
                        mock.patch.multiple(optimizadores_estilo, MEMORIA_LBFGS=ajuste[1], PASO_LBFGS=ajuste[2]):
                    gradientes, final = gradientes_hasta(perdida, np.clip(movida, 0, 1).astype(np.float32), objetivo,
                                                         args.iteraciones)
                if gradientes:
                    cocientes[ajuste, semilla].append(args.pasos / gradientes)
                texto.append(f"{gradientes or 'no llega'} ({final:.4g})")
            print(f"  {nombre_ajuste(*ajuste)}: gradientes (pérdida final) por inicio: {', '.join(texto)}", flush=True)

    for ajuste in ajustes:
        medianas = [f"{statistics.median(cocientes[ajuste, s]):.2f}× (pares alcanzados: {len(cocientes[ajuste, s])})"
                    for s in args.semillas if cocientes[ajuste, s]]
        print(f"{nombre_ajuste(*ajuste)}: mediana del cociente de gradientes por inicio: {', '.join(medianas)}")


def nombre_ajuste(exponente, memoria, paso):
    """Cómo se llama un ajuste en lo que se imprime."""
    return f"1/f^{exponente:g}, memoria {memoria}, paso {paso:g}"


if __name__ == "__main__":
    main()
