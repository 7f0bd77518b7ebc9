"""La búsqueda de casi duplicados de ``preparar_imagenes(..., sin_duplicados=True)`` con muchas imágenes: la del kit
(un índice por cada banda de 16 bits de la forma, consultado con hasta ``UMBRAL_FORMA // BANDAS`` bits cambiados) frente a la de referencia (la anterior del
kit: compara la forma con todas las imágenes ya aceptadas), en el mismo proceso.

Las huellas se fabrican sin decodificar fotos: formas de 64 bits al azar (el mejor caso para el índice) y formas
«alineadas», como las de rostros centrados (CelebA): 50 prototipos con cada bit cambiado con probabilidad 0,15, que
coinciden en muchas bandas. Para cada ``--n``, se apuntan ``n`` huellas y se miden ``--consultas`` búsquedas más
(casi copias de huellas apuntadas y huellas nuevas, mitad y mitad), con las dos búsquedas, que deben dar la misma
respuesta: milisegundos de CPU por búsqueda (``time.process_time``), candidatas comparadas y cociente. Buscar entre
las ``n`` imágenes anteriores es lo que cuesta la imagen ``n`` de una carpeta, así que el total de ``preparar`` crece
con la suma de esos costes. Imprime el modelo de CPU.

    python benchmarks/busqueda_casi_duplicados.py --n 20000 100000
"""

import argparse
import time

import numpy as np

from helpers import duplicados
from helpers.duplicados import BITS_POR_BYTE, DETALLE, UMBRAL_FORMA
from helpers.entorno import modelo_cpu


class VistasDeReferencia(duplicados.Vistas):
    """La búsqueda anterior: la forma se compara con todas las aceptadas; el resto de la regla, igual."""

    def candidatas(self, forma):
        n = len(self.nombres)
        return np.flatnonzero(BITS_POR_BYTE[self.formas[:n] ^ forma].sum(axis=1, dtype=np.int32) <= UMBRAL_FORMA)


def formas(azar, n, alineadas):
    if not alineadas:
        return azar.integers(0, 256, (n, 8), dtype=np.uint8)
    prototipos = azar.integers(0, 2, (50, 64), dtype=np.uint8)
    bits = prototipos[azar.integers(0, 50, n)] ^ (azar.random((n, 64)) < 0.15)
    return np.packbits(bits, axis=1)


def huellas(azar, n, alineadas):
    return [(forma, azar.integers(0, 256, (8, 9, 3)).astype(np.float32),
             azar.integers(0, 256, (DETALLE, DETALLE, 3)).astype(np.float32)) for forma in formas(azar, n, alineadas)]


def consultas(azar, apuntadas, k, alineadas):
    """``k`` huellas: la mitad, casi copias de apuntadas (3 bits de forma y 5 niveles de color); la otra, nuevas."""
    nuevas = huellas(azar, k - k // 2, alineadas)
    copias = []
    for i in azar.integers(0, len(apuntadas), k // 2):
        forma, color, detalle = apuntadas[i]
        bits = np.unpackbits(forma)
        bits[azar.choice(64, 3, replace=False)] ^= 1
        copias.append((np.packbits(bits), np.clip(color + 5, 0, 255), np.clip(detalle + 5, 0, 255)))
    return copias + nuevas


def medir(clase, apuntadas, preguntas):
    vistas = clase()
    for i, huella in enumerate(apuntadas):
        vistas.apuntar(*huella, str(i))
    inicio = time.process_time()
    respuestas = [vistas.casi_igual(*huella) for huella in preguntas]
    segundos = time.process_time() - inicio
    comparadas = np.mean([len(vistas.candidatas(huella[0])) for huella in preguntas])
    return segundos / len(preguntas) * 1000, comparadas, respuestas


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--n", type=int, nargs="+", default=[20_000, 100_000], help="huellas ya apuntadas")
    argumentos.add_argument("--consultas", type=int, default=400, help="búsquedas medidas (por defecto: %(default)s)")
    args = argumentos.parse_args()
    bandas = duplicados.Vistas.BANDAS
    print(f"CPU: {modelo_cpu()}; UMBRAL_FORMA {UMBRAL_FORMA}: {bandas} bandas, hasta {UMBRAL_FORMA // bandas} bits cambiados")
    for alineadas in (False, True):
        for n in args.n:
            azar = np.random.default_rng(n)
            apuntadas = huellas(azar, n, alineadas)
            preguntas = consultas(azar, apuntadas, args.consultas, alineadas)
            ms_ref, comparadas_ref, respuestas_ref = medir(VistasDeReferencia, apuntadas, preguntas)
            ms_kit, comparadas_kit, respuestas_kit = medir(duplicados.Vistas, apuntadas, preguntas)
            assert respuestas_kit == respuestas_ref, "las dos búsquedas no responden lo mismo"
            tipo = "alineadas" if alineadas else "al azar"
            print(f"formas {tipo}, {n:,} apuntadas: referencia {ms_ref:.2f} ms por búsqueda ({comparadas_ref:.0f} que pasan "
                  f"la forma), kit {ms_kit:.3f} ms ({comparadas_kit:.0f} candidatas): {ms_ref / ms_kit:.0f}× más rápido; "
                  f"{sum(r is not None for r in respuestas_kit)} de {len(preguntas)} casi iguales", flush=True)


if __name__ == "__main__":
    main()
