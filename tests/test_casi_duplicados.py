"""La búsqueda de casi duplicados de ``preparar_imagenes(..., sin_duplicados=True)`` con huellas fabricadas: la del
kit (un índice por banda de la forma) declara lo mismo que comparar con todas las anteriores."""

import numpy as np
import pytest

from helpers import duplicados
from helpers.duplicados import BITS_POR_BYTE, DETALLE, UMBRAL_CASILLA, UMBRAL_COLOR, UMBRAL_FORMA


def primera_parecida_comparando_con_todas(anteriores, forma, color, detalle):
    """La regla de siempre, sin índice: la primera de ``anteriores`` (huellas aceptadas) casi igual, o ``None``."""
    for i, (forma_a, color_a, detalle_a) in enumerate(anteriores):
        if (BITS_POR_BYTE[forma_a ^ forma].sum() <= UMBRAL_FORMA and np.abs(color_a - color).mean() <= UMBRAL_COLOR
                and np.abs(color_a.mean(axis=(0, 1)) - color.mean(axis=(0, 1))).max() <= UMBRAL_COLOR
                and np.abs(detalle_a - detalle).mean(axis=2).max() <= UMBRAL_CASILLA):
            return i
    return None


def huella_al_azar(azar):
    return (azar.integers(0, 256, 8, dtype=np.uint8), azar.integers(0, 256, (8, 9, 3)).astype(np.float32),
            azar.integers(0, 256, (DETALLE, DETALLE, 3)).astype(np.float32))


def retocada(azar, huella):
    """Una casi copia de ``huella``: de 0 a 9 bits de forma cambiados y el color y el detalle movidos hasta 60."""
    forma, color, detalle = huella
    bits = np.unpackbits(forma)
    bits[azar.choice(64, azar.integers(0, 10), replace=False)] ^= 1
    cambio = azar.integers(0, 61)
    return (np.packbits(bits), np.clip(color + azar.integers(-cambio, cambio + 1, color.shape), 0, 255),
            np.clip(detalle + azar.integers(-cambio, cambio + 1, detalle.shape), 0, 255))


@pytest.mark.parametrize("semilla", [0, 1, 2])
def test_declara_lo_mismo_que_comparar_con_todas(semilla):
    azar = np.random.default_rng(semilla)
    vistas, aceptadas, todas, resultados = duplicados.Vistas(), [], [], []
    for i in range(600):  # más de 256: las matrices crecen por bloques
        huella = retocada(azar, todas[azar.integers(len(todas))]) if todas and azar.random() < 0.6 else huella_al_azar(azar)
        todas.append(huella)
        esperada = primera_parecida_comparando_con_todas(aceptadas, *huella)
        assert vistas.casi_igual(*huella) == esperada, f"huella {i}"
        resultados.append(esperada)
        if esperada is None:
            vistas.apuntar(*huella, f"{i}.png")
            aceptadas.append(huella)
    # Hay de todo: casi copias de la primera de un grupo aunque después se parezcan más a otra, y rechazos por cada regla.
    assert sum(r is not None for r in resultados) > 100 and len({r for r in resultados if r is not None}) > 30


def test_solo_compara_las_que_casi_coinciden_en_una_banda_y_no_se_deja_ninguna():
    azar = np.random.default_rng(3)
    vistas = duplicados.Vistas()
    formas = azar.integers(0, 256, (3000, 8), dtype=np.uint8)
    for i, forma in enumerate(formas):
        vistas.apuntar(forma, np.zeros((8, 9, 3), np.float32), np.zeros((DETALLE, DETALLE, 3), np.float32), f"{i}.png")
    # Una forma al azar casi no se parece en ninguna banda a casi ninguna: comparar con todas sería 3000.
    assert max(len(vistas.candidatas(forma)) for forma in azar.integers(0, 256, (50, 8), dtype=np.uint8)) < 150
    # Con UMBRAL_FORMA bits cambiados donde sea, la original siempre está entre las candidatas.
    for _ in range(300):
        i = azar.integers(len(formas))
        bits = np.unpackbits(formas[i])
        bits[azar.choice(64, UMBRAL_FORMA, replace=False)] ^= 1
        assert i in vistas.candidatas(np.packbits(bits))


def test_las_huellas_ocupan_menos_de_un_kilobyte_por_imagen():
    # En float32 ocupaban 3,9 KB por imagen: 800 MB para las 202.599 fotos de CelebA.
    vistas = duplicados.Vistas()
    ocupan = vistas.formas.nbytes + vistas.colores.nbytes + vistas.detalles.nbytes
    assert ocupan / len(vistas.formas) < 1024
