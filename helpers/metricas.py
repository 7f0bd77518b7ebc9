"""Métricas de calidad y diversidad de las muestras de una GAN (todas funcionan sin conexión).

Para cualquier conjunto de imágenes en [-1, 1]:
- ``distancia_swd``: distancia de Wasserstein cortada entre parches de pirámides laplacianas
  (Karras et al., 2018); rápida, sin red preentrenada, por niveles de detalle;
- ``distancia_fid`` y ``distancia_kid``: FID (Heusel et al., 2017) y KID (Bińkowski et al., 2018)
  sobre características de SqueezeNet (incluida) o de InceptionV3 (si se puede descargar);
- ``vecinos_mas_cercanos``, ``mas_cercanas``, ``comprobar_memorizacion``, ``lectura_memorizacion`` y ``mostrar_vecinos``:
  ¿copia el generador el entrenamiento?
- ``swd_promediada``: la SWD de muchas muestras contra una reserva pequeña, por grupos.

Para los dígitos se usa además un clasificador pequeño entrenado con la parte de *reserva* de los
dígitos (la GAN nunca la ve). Con él se mide:
- **clases cubiertas**: cuántos de los 10 dígitos aparecen entre las muestras (colapso de modos);
- **confianza alta**: fracción de muestras que el clasificador asigna a una clase con p ≥ 0,9
  (¿parecen dígitos nítidos o manchas ambiguas?);
- **distancia de Fréchet** entre las características (penúltima capa) de las muestras y de dígitos
  reales de reserva: la idea de FID (Heusel et al., 2017) con un extractor hecho a medida.

Este módulo tiene el clasificador de dígitos y sus medidas (``clasificador_digitos`` y ``evaluar_digitos``). Lo demás
tiene su propio módulo, que no importa este: la SWD está en ``swd``; las características de SqueezeNet o InceptionV3,
con la FID y la KID, en ``fid_kid``; la memorización, en ``memorizacion``, y las comprobaciones de los lotes y
``aplicar_por_lotes``, en ``lotes``. Lo que era público aquí se importa de ellos, así que ``helpers.metricas.<nombre>``
sigue sirviendo (los cuadernos, las lecciones y sus copias guardadas lo usan).
"""

import functools
import warnings

import keras
import numpy as np

from .datos import imagenes_digitos, redimensionar
from .fid_kid import (NOMBRES_REDES, TAMANO_SQUEEZENET, caracteristicas, distancia_fid, distancia_frechet, distancia_kid,
                      kid_de_caracteristicas, mmd_polinomico, modelo_caracteristicas)
from .lotes import aplicar_por_lotes, como_lote
from .memorizacion import (MAX_DIVERSIDAD, UMBRAL_DIVERSIDAD, UMBRAL_PRIMERA_ENTRE_DETALLE, UMBRAL_PRIMERA_ENTRE_SEGUNDA,
                           comprobar_memorizacion, lectura_memorizacion, mas_cercanas, mostrar_vecinos,
                           muestras_casi_iguales, vecinas_en_pixeles, vecinos_mas_cercanos)
from .opciones import exigir_semilla
from .swd import (LADO_PARCHE, NUCLEO_BINOMIAL, PARCHES_POR_IMAGEN, PROYECCIONES, distancia_swd, piramide_laplaciana,
                  swd_promediada)

# Lo que se usa como helpers.metricas.<nombre>, aunque viva en swd, fid_kid, memorizacion o lotes.
__all__ = [
    "LADO_PARCHE", "MAX_DIVERSIDAD", "NOMBRES_REDES", "NUCLEO_BINOMIAL", "PARCHES_POR_IMAGEN", "PROYECCIONES",
    "TAMANO_SQUEEZENET", "UMBRAL_DIVERSIDAD", "UMBRAL_PRIMERA_ENTRE_DETALLE", "UMBRAL_PRIMERA_ENTRE_SEGUNDA",
    "aplicar_por_lotes", "caracteristicas", "clasificador_digitos", "comprobar_memorizacion", "distancia_fid", "distancia_frechet",
    "distancia_kid", "distancia_swd", "evaluar_digitos", "kid_de_caracteristicas", "lectura_memorizacion",
    "mas_cercanas", "mmd_polinomico", "modelo_caracteristicas", "mostrar_vecinos", "muestras_casi_iguales",
    "piramide_laplaciana", "swd_promediada", "vecinas_en_pixeles", "vecinos_mas_cercanos",
]


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
    # Una sola llamada a TensorFlow por época, con todos sus pasos: los mismos pesos, sin volver a Python tras
    # cada paso.
    clasificador.compile(optimizer=keras.optimizers.Adam(1e-3), loss="categorical_crossentropy",
                         steps_per_execution=-(-len(x) // 64))
    clasificador.fit(x, y, epochs=40, batch_size=64, verbose=0)
    return clasificador, keras.Model(entrada, caracteristicas)


def evaluar_digitos(muestras, semilla=0):
    """Mide ``muestras`` (n, t, t, 1) en [-1, 1] contra los dígitos reales de reserva.

    Devuelve un diccionario: ``clases_cubiertas`` (0–10: una clase cuenta si al menos el 1 % de las
    muestras se le asigna con p ≥ 0,9), ``confianza_alta`` (fracción de muestras con p ≥ 0,9),
    ``frechet`` (menor es mejor) y ``reparto`` (fracción de muestras asignadas a cada clase).
    """
    semilla = exigir_semilla(semilla)
    muestras = como_lote(muestras, "muestras", minimo=2)
    if muestras.shape[-1] != 1 or muestras.shape[1] != muestras.shape[2]:
        raise ValueError(f"evaluar_digitos mide dígitos en gris y cuadrados (n, t, t, 1); llegan {muestras.shape}.")
    tamano = muestras.shape[1]
    if tamano == 28:  # el de MNIST: otros dígitos que los de esta medida
        warnings.warn(f"evaluar_digitos compara con los dígitos de scikit-learn (8×8) ampliados a {tamano} px: sus "
                      f"cifras sirven para una GAN entrenada con helpers.imagenes_digitos({tamano}), no con MNIST u "
                      "otras imágenes.", stacklevel=2)
    clasificador, penultima = clasificador_digitos(tamano, semilla)
    probabilidades = aplicar_por_lotes(clasificador, muestras)
    clases = probabilidades.argmax(1)
    seguras = probabilidades.max(1) >= 0.9
    reparto = np.bincount(clases, minlength=10) / len(clases)
    reparto_seguras = np.bincount(clases[seguras], minlength=10) / len(clases)
    reales, _ = imagenes_digitos(tamano, parte="reserva", semilla=semilla)
    return {
        "clases_cubiertas": int(np.sum(reparto_seguras >= 0.01)),
        "confianza_alta": float(np.mean(seguras)),
        "frechet": distancia_frechet(aplicar_por_lotes(penultima, muestras), aplicar_por_lotes(penultima, reales)),
        "reparto": reparto,
    }
