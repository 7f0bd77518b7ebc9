"""Métricas de calidad y diversidad de las muestras de una GAN.

Para los dígitos se usa un clasificador pequeño entrenado con la parte de *reserva* de los dígitos
(la GAN nunca la ve). Con él se mide:
- **clases cubiertas**: cuántos de los 10 dígitos aparecen entre las muestras (colapso de modos);
- **confianza alta**: fracción de muestras que el clasificador asigna a una clase con p ≥ 0,9
  (¿parecen dígitos nítidos o manchas ambiguas?);
- **distancia de Fréchet** entre las características (penúltima capa) de las muestras y de dígitos
  reales de reserva: la idea de FID (Heusel et al., 2017) con un extractor hecho a medida.
"""

import functools

import keras
import numpy as np
from scipy import linalg

from .datos import imagenes_digitos, redimensionar


def distancia_frechet(caracteristicas_a, caracteristicas_b):
    """Distancia de Fréchet entre dos gaussianas ajustadas a ``(n, d)`` características cada una.

    ``‖μa − μb‖² + Tr(Σa + Σb − 2 (Σa Σb)^½)``: 0 si ambas nubes tienen igual media y covarianza.
    """
    a = np.asarray(caracteristicas_a, np.float64)
    b = np.asarray(caracteristicas_b, np.float64)
    media_a, media_b = a.mean(0), b.mean(0)
    # Un poco de diagonal evita matrices singulares (p. ej. características que siempre valen 0).
    identidad = 1e-6 * np.eye(a.shape[1])
    cov_a, cov_b = np.cov(a, rowvar=False) + identidad, np.cov(b, rowvar=False) + identidad
    raiz = linalg.sqrtm(cov_a @ cov_b)
    # sqrtm puede devolver una parte imaginaria diminuta por redondeo: se descarta.
    return float(np.sum((media_a - media_b) ** 2) + np.trace(cov_a + cov_b - 2.0 * raiz.real))


@functools.lru_cache(maxsize=4)
def clasificador_digitos(tamano=16, semilla=0):
    """Clasificador de dígitos (red densa pequeña) entrenado con la parte de reserva.

    Devuelve ``(clasificador, extractor)``: el primero da probabilidades ``(n, 10)``; el segundo, las
    64 características de la penúltima capa. Se entrena una vez por sesión (unos segundos).
    """
    imagenes, etiquetas = imagenes_digitos(tamano, parte="reserva", semilla=semilla)
    keras.utils.set_random_seed(semilla)
    entrada = keras.Input((tamano, tamano, 1))
    x = keras.layers.Flatten()(entrada)
    x = keras.layers.Dense(128, activation="relu")(x)
    x = keras.layers.Dropout(0.3)(x)
    caracteristicas = keras.layers.Dense(64, activation="relu", name="caracteristicas")(x)
    probabilidades = keras.layers.Dense(10, activation="softmax")(keras.layers.Dropout(0.3)(caracteristicas))
    clasificador = keras.Model(entrada, probabilidades)
    clasificador.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy")
    # Desplazamientos de un píxel: que no premie solo posiciones exactas.
    aumentadas = np.concatenate([imagenes, *[np.roll(imagenes, d, axis=e) for d in (-1, 1) for e in (1, 2)]])
    objetivos = np.tile(np.eye(10, dtype=np.float32)[etiquetas], (5, 1))
    # Exposición a atípicos (Hendrycks et al., 2019): manchas de ruido con objetivo uniforme, para
    # que el clasificador no asigne confianza alta a lo que no es un dígito.
    rng = np.random.default_rng(semilla)
    manchas = rng.uniform(-1, 1, (len(imagenes), tamano, tamano, 1)).astype(np.float32)
    manchas = np.clip(redimensionar(redimensionar(manchas, tamano // 4), tamano) * 2, -1, 1)
    x = np.concatenate([aumentadas, manchas])
    y = np.concatenate([objetivos, np.full((len(manchas), 10), 0.1, np.float32)])
    clasificador.fit(x, y, epochs=40, batch_size=64, verbose=0)
    return clasificador, keras.Model(entrada, caracteristicas)


def evaluar_digitos(muestras, semilla=0):
    """Mide ``muestras`` (n, t, t, 1) en [-1, 1] contra los dígitos reales de reserva.

    Devuelve un diccionario: ``clases_cubiertas`` (0–10: una clase cuenta si al menos el 1 % de las
    muestras se le asigna con p ≥ 0,9), ``confianza_alta`` (fracción de muestras con p ≥ 0,9),
    ``frechet`` (menor es mejor) y ``reparto`` (fracción de muestras asignadas a cada clase).
    """
    muestras = np.asarray(muestras, np.float32)
    tamano = muestras.shape[1]
    clasificador, extractor = clasificador_digitos(tamano, semilla)
    probabilidades = clasificador.predict(muestras, verbose=0)
    clases = probabilidades.argmax(1)
    seguras = probabilidades.max(1) >= 0.9
    reparto = np.bincount(clases, minlength=10) / len(clases)
    reparto_seguras = np.bincount(clases[seguras], minlength=10) / len(clases)
    reales, _ = imagenes_digitos(tamano, parte="reserva", semilla=semilla)
    return {
        "clases_cubiertas": int(np.sum(reparto_seguras >= 0.01)),
        "confianza_alta": float(np.mean(seguras)),
        "frechet": distancia_frechet(extractor.predict(muestras, verbose=0), extractor.predict(reales, verbose=0)),
        "reparto": reparto,
    }
