"""Distancia de Wasserstein cortada (SWD) entre parches de pirámides laplacianas (Karras et al., 2018, ap. D).

Cada imagen se descompone en una pirámide laplaciana (Burt y Adelson, 1983), un nivel por escala: de los
detalles finos a la forma y el color de conjunto. En cada nivel se toman parches 7×7 al azar de las reales y de
las generadas, y las dos nubes de parches se comparan proyectadas sobre direcciones al azar (en una dimensión, la
distancia de Wasserstein es la diferencia media entre los valores ordenados). Rápida y sin red preentrenada.

- ``distancia_swd``: la SWD de cada nivel y su media, en milésimas (``{"32px": …, "16px": …, "media": …}``);
- ``swd_promediada``: la media de muchas generadas partidas en grupos del tamaño de las reales; la miden
  ``callbacks.SeguimientoMetrica`` durante el entrenamiento y ``generador_guardado.medir_generador``;
- ``piramide_laplaciana``: los niveles de la pirámide.

Las comprobaciones de los lotes están en ``lotes``. ``metricas`` importa de aquí (y no al revés), así que
``helpers.metricas.distancia_swd`` sigue sirviendo.
"""

import numpy as np
from scipy import ndimage

from .lotes import pareja_comparable
from .opciones import exigir_enteros, exigir_semilla


NUCLEO_BINOMIAL = np.array([1, 4, 6, 4, 1], np.float32) / 16  # gaussiana 5×5 separable (Burt y Adelson, 1983)
LADO_PARCHE = 7
PARCHES_POR_IMAGEN, PROYECCIONES = 128, 512  # los de Karras et al. (2018)


def _suavizar(imagenes):
    for eje in (1, 2):
        imagenes = ndimage.convolve1d(imagenes, NUCLEO_BINOMIAL, axis=eje, mode="reflect")
    return imagenes


def piramide_laplaciana(imagenes, tamano_minimo=16):
    """Pirámide laplaciana de ``(n, alto, ancho, canales)``: lista de niveles de mayor a menor tamaño.

    Cada nivel guarda los detalles de una escala (imagen − versión suavizada y ampliada del nivel
    siguiente); el último es la imagen reducida hasta el primer tamaño < 2·``tamano_minimo``
    (16×16 para 32, 64 o 128 px). Sumando todos los niveles ampliados se recupera la imagen.
    """
    exigir_enteros(("tamano_minimo", tamano_minimo, 2))  # con 1 o menos, la reducción se quedaría en 1×1 para siempre
    niveles, actual = [], np.asarray(imagenes, np.float32)
    while (min(actual.shape[1:3]) + 1) // 2 >= tamano_minimo:
        reducida = _suavizar(actual)[:, ::2, ::2]
        ampliada = np.zeros_like(actual)
        ampliada[:, ::2, ::2] = reducida
        # ×4: al intercalar ceros solo queda un píxel de cada cuatro; así se conserva el brillo.
        niveles.append(actual - 4 * _suavizar(ampliada))
        actual = reducida
    return niveles + [actual]


def _descriptores(nivel, filas, columnas):
    """Parches 7×7 con esquina en ``(filas, columnas)`` ``(n, p)`` → ``(n·p, 49, canales)``."""
    desplazamiento = np.arange(LADO_PARCHE)
    imagen = np.arange(len(nivel))[:, None, None, None]
    parches = nivel[
        imagen,
        filas[:, :, None, None] + desplazamiento[:, None],
        columnas[:, :, None, None] + desplazamiento,
    ]
    return parches.reshape(-1, LADO_PARCHE**2, nivel.shape[-1])


def _wasserstein_cortado(a, grupos, rng, proyecciones):
    """Media sobre direcciones al azar de la distancia W1 entre las proyecciones de ``a`` y las de cada
    ``b`` de ``grupos`` (todas ``(m, d)``): una lista con un valor por grupo.

    En una dimensión, W1 entre dos muestras del mismo tamaño es la diferencia media entre sus
    valores ordenados: por eso basta con proyectar y ordenar. Las de ``a`` se ordenan una sola vez.
    """
    totales = np.zeros(len(grupos))
    for inicio in range(0, proyecciones, 128):  # de 128 en 128 direcciones: cabe en memoria
        direcciones = rng.normal(size=(a.shape[1], min(128, proyecciones - inicio))).astype(np.float32)
        direcciones /= np.linalg.norm(direcciones, axis=0)
        proyeccion_a = direcciones.T @ a.T
        proyeccion_a.sort(axis=1)  # en su sitio: ``np.sort`` copiaría cientos de MB
        for i, b in enumerate(grupos):
            proyeccion_b = direcciones.T @ b.T
            proyeccion_b.sort(axis=1)
            totales[i] += float(np.abs(proyeccion_a - proyeccion_b).mean(1).sum())
    return list(totales / proyecciones)


def distancia_swd(reales, generadas, semilla=0, parches_por_imagen=PARCHES_POR_IMAGEN, proyecciones=PROYECCIONES):
    """Distancia de Wasserstein cortada entre parches de pirámides laplacianas (Karras et al., 2018, ap. D).

    ``reales`` y ``generadas``: ``(n, alto, ancho, canales)`` en [-1, 1], gris o color, de 16 a 128 px
    (al menos 7). En cada nivel de la pirámide (p. ej. 32 y 16 px para imágenes de 32) se toman
    ``parches_por_imagen`` vecindarios 7×7 al azar por imagen; cada canal de los descriptores se
    normaliza con la media y la desviación de los de ``reales`` y se compara con ``proyecciones``
    direcciones al azar. Si un conjunto tiene más imágenes, se toman al azar tantas como tiene el otro.

    Devuelve ``{"32px": …, "16px": …, "media": …}`` en milésimas (×10³, como las tablas del artículo):
    0 para conjuntos idénticos; menor es mejor. Los niveles grandes miden la textura y los detalles
    finos; el de 16 px, la forma y el color de conjunto. Misma ``semilla`` → mismo resultado.

    El orden importa: primero las reales (p. ej. las de reserva). Sus descriptores fijan la normalización,
    así que todas las medidas contra las mismas reales comparten escala (las de cada época, las de cada
    receta) y un contraste o un brillo equivocados en las generadas no se ocultan. Al revés, la cifra
    cambia sin ningún aviso: nada en dos lotes de imágenes dice cuál es el real.
    """
    reales, generadas = pareja_comparable(reales, generadas)
    return _swd_por_grupos(reales, [generadas], semilla, parches_por_imagen, proyecciones)[0]


def _swd_por_grupos(reales, grupos, semilla, parches_por_imagen, proyecciones):
    """``distancia_swd`` de cada conjunto de ``grupos`` (todos del mismo tamaño) frente a ``reales``,
    con lo de ``reales`` (pirámide, parches, proyecciones ordenadas) calculado una sola vez."""
    # Con 0 proyecciones la SWD saldría NaN sin aviso.
    exigir_enteros(("parches_por_imagen", parches_por_imagen, 1), ("proyecciones", proyecciones, 1))
    exigir_semilla(semilla)
    if min(reales.shape[1:3]) < LADO_PARCHE:
        raise ValueError(f"Las imágenes miden {reales.shape[1:3]}: la SWD necesita al menos 7×7 píxeles.")
    rng = np.random.default_rng(semilla)
    n = min(len(reales), len(grupos[0]))
    reales = reales[np.sort(rng.permutation(len(reales))[:n])]
    elegidas = np.sort(rng.permutation(len(grupos[0]))[:n])
    piramides = [piramide_laplaciana(grupo[elegidas]) for grupo in grupos]
    resultados = [{} for _ in grupos]
    for nivel, nivel_real in enumerate(piramide_laplaciana(reales)):
        alto, ancho = nivel_real.shape[1:3]
        # Mismas posiciones en ambos conjuntos: se compara el contenido, no el azar del muestreo, y
        # dos conjuntos idénticos dan exactamente 0.
        filas = rng.integers(0, alto - LADO_PARCHE + 1, (n, parches_por_imagen))
        columnas = rng.integers(0, ancho - LADO_PARCHE + 1, (n, parches_por_imagen))
        a = _descriptores(nivel_real, filas, columnas)
        # Estadísticas de las reales para ambos (el código original normaliza cada conjunto por
        # separado): así un contraste o brillo equivocado no se oculta y las épocas comparten escala.
        media, desviacion = a.mean((0, 1)), np.maximum(a.std((0, 1)), 1e-6)
        a = ((a - media) / desviacion).reshape(len(a), -1)
        bs = [((_descriptores(piramide[nivel], filas, columnas) - media) / desviacion).reshape(len(a), -1)
              for piramide in piramides]
        for resultado, distancia in zip(resultados, _wasserstein_cortado(a, bs, rng, proyecciones)):
            resultado[f"{alto}px"] = 1e3 * distancia
    for resultado in resultados:
        resultado["media"] = float(np.mean(list(resultado.values())))
    return resultados


def swd_promediada(reales, generadas, semilla=0):
    """SWD media (×10³, ``distancia_swd(...)["media"]``) de ``generadas`` partidas en grupos del tamaño de ``reales``.

    La SWD compara tantas imágenes como tiene el conjunto menor: con más generadas que reales (p. ej.
    400 muestras frente a 100 de reserva), promediar los grupos completos reduce el ruido de la medida
    sin cambiar su escala. Con menos generadas que reales se mide un solo grupo. Devuelve un ``float``.
    Como en ``distancia_swd``, primero las reales: al revés se partirían ellas en grupos y la normalización
    saldría de las generadas, que cambian de una época a otra.
    """
    reales, generadas = pareja_comparable(reales, generadas)
    n = len(reales)
    grupos = [generadas[i : i + n] for i in range(0, len(generadas) - n + 1, n)] or [generadas]
    medidas = _swd_por_grupos(reales, grupos, semilla, PARCHES_POR_IMAGEN, PROYECCIONES)
    return float(np.mean([medida["media"] for medida in medidas]))
