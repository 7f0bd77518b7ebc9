import numpy as np

import helpers
from helpers import metricas


def test_frechet_de_gaussianas_conocidas():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4000, 3))
    assert metricas.distancia_frechet(a, a) < 1e-4
    # Medias separadas por 2 en cada eje y misma covarianza: ‖Δμ‖² = 12.
    assert abs(metricas.distancia_frechet(a, a + 2.0) - 12.0) < 1e-3
    # Desviación 1 frente a 2 en 3 ejes: Tr(1 + 4 − 2·2) · 3 = 3.
    assert abs(metricas.distancia_frechet(a, 2 * rng.normal(size=(4000, 3))) - 3.0) < 0.3


def test_digitos_reales_puntuan_bien_y_el_ruido_mal():
    reales, _ = helpers.imagenes_digitos(16)
    buenos = metricas.evaluar_digitos(reales)
    assert buenos["clases_cubiertas"] == 10 and buenos["confianza_alta"] > 0.8 and buenos["frechet"] < 5
    ruido = np.random.default_rng(0).uniform(-1, 1, (500, 16, 16, 1)).astype(np.float32)
    malos = metricas.evaluar_digitos(ruido)
    assert malos["confianza_alta"] < 0.1 and malos["frechet"] > 20 * buenos["frechet"]


def test_un_generador_colapsado_cubre_menos_clases():
    reales, etiquetas = helpers.imagenes_digitos(16)
    colapsado = metricas.evaluar_digitos(reales[etiquetas == 3][:100].repeat(5, axis=0))
    assert colapsado["clases_cubiertas"] <= 2 and colapsado["reparto"][3] > 0.9
    diverso = metricas.evaluar_digitos(reales[:500])
    assert colapsado["frechet"] > 5 * diverso["frechet"]
