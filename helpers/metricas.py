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
"""

import functools
import warnings

import keras
import numpy as np
from scipy import ndimage
from scipy.spatial.distance import pdist
from threadpoolctl import threadpool_limits

from .datos import imagenes_digitos, redimensionar
from .errores import motivo_descarga
from .estudiante import nivel_del_estudiante
from .gan_basica import entradas_de
from .graficos import a_uint8, guardar_o_mostrar
from .modelos import exigir_forma_de_entrada
from .opciones import es_entero, es_real, exigir_enteros, exigir_semilla
from .squeezenet import construir_squeezenet, preprocesar_squeezenet
from .textos import cifra, contar


def distancia_frechet(caracteristicas_a, caracteristicas_b):
    """Distancia de Fréchet entre dos gaussianas ajustadas a ``(n, d)`` características cada una.

    ``‖μa − μb‖² + Tr(Σa + Σb − 2 (Σa Σb)^½)``: 0 si ambas nubes tienen igual media y covarianza.
    Con valores NaN o infinitos devuelve NaN, como la SWD y la KID.
    """
    a, b = _como_caracteristicas(caracteristicas_a, caracteristicas_b)
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return np.nan  # sin esto, «eigh» fallaba en inglés; quien mide un generador roto trata el NaN
    media_a, media_b = a.mean(0), b.mean(0)
    # Un poco de diagonal evita matrices singulares (p. ej. características que siempre valen 0).
    identidad = 1e-6 * np.eye(a.shape[1])
    cov_a, cov_b = np.cov(a, rowvar=False) + identidad, np.cov(b, rowvar=False) + identidad
    # Tr((Σa Σb)^½) = Σ √λ de Σa^½ Σb Σa^½, que es simétrica: dos «eigh» en vez de «sqrtm», más
    # rápido y sin partes imaginarias por redondeo. Con un solo hilo de BLAS: basta para este tamaño,
    # y con la CPU ocupada (TensorFlow, otros procesos) varios hilos que se esperan entre sí tardaban
    # mucho más.
    with threadpool_limits(1, user_api="blas"):
        valores, vectores = np.linalg.eigh(cov_a)
        raiz_a = (vectores * np.sqrt(np.clip(valores, 0, None))) @ vectores.T
        traza_raiz = np.sum(np.sqrt(np.clip(np.linalg.eigvalsh(raiz_a @ cov_b @ raiz_a), 0, None)))
    return float(np.sum((media_a - media_b) ** 2) + np.trace(cov_a + cov_b) - 2.0 * traza_raiz)


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
    muestras = _como_lote(muestras, "muestras", minimo=2)
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


# --- Distancia de Wasserstein cortada (SWD) sobre pirámides laplacianas -------------------------

NUCLEO_BINOMIAL = np.array([1, 4, 6, 4, 1], np.float32) / 16  # gaussiana 5×5 separable (Burt y Adelson, 1983)
LADO_PARCHE = 7
PARCHES_POR_IMAGEN, PROYECCIONES = 128, 512  # los de Karras et al. (2018)


def _como_lote(imagenes, nombre, minimo=1):
    """``imagenes`` → float32 ``(n, alto, ancho, canales)``; acepta ``(n, alto, ancho)`` en gris.
    ``TypeError`` o ``ValueError`` en español si es un modelo, si no es un lote de al menos ``minimo``
    imágenes de 1 o 3 canales o si sus valores están muy fuera de [-1, 1] (p. ej. en [0, 255])."""
    if isinstance(imagenes, keras.Model):
        # Una GAN del curso (también la condicional, cuyo generador pide además la etiqueta) sabe muestrear.
        ejemplo = ("gan.muestrear(500)" if hasattr(imagenes, "muestrear")
                   else "generador(z, training=False), con z de forma (n, dimensión latente)")
        raise TypeError(f"«{nombre}» es un modelo ({imagenes.name}) y aquí van imágenes: pasa sus muestras, p. ej. {ejemplo}.")
    try:
        imagenes = np.asarray(imagenes, np.float32)
    except (TypeError, ValueError):  # sin esto, el error de NumPy, en inglés
        try:
            formas = sorted({np.shape(imagen) for imagen in imagenes}) if isinstance(imagenes, (list, tuple)) else []
        except (TypeError, ValueError):  # algún elemento tampoco es una matriz
            formas = []
        if len(formas) > 1 and all(len(forma) in (2, 3) for forma in formas):  # imágenes sueltas de tamaños distintos
            raise ValueError(f"«{nombre}» es una lista de imágenes de tamaños distintos ({', '.join(map(str, formas[:3]))}"
                             f"{'…' if len(formas) > 3 else ''}): para medirlas tienen que ser todas del mismo. Llévalas "
                             "todas al mismo tamaño, p. ej. con helpers.cargar_imagenes(carpeta, 32), que además las "
                             "deja en [-1, 1].") from None
        if len(formas) > 1 and len({forma[1:] for forma in formas}) == 1 and len(formas[0]) == 4:  # lotes sueltos
            raise ValueError(f"«{nombre}» es una lista de lotes: júntalos en uno con np.concatenate(lista).") from None
        raise TypeError(f"«{nombre}» debe ser un lote de imágenes (una matriz o un tensor) y llega un objeto de tipo "
                        f"{type(imagenes).__name__}: de la pareja (imágenes, etiquetas) de imagenes_digitos, toma solo las "
                        "imágenes (imagenes, _ = …); de un tf.data.Dataset, un lote con next(iter(datos)).") from None
    # Una sola imagen (alto, ancho, canales): si no, pasaría por un lote de imágenes grises de 1 o 3 px de ancho.
    if imagenes.ndim == 3 and imagenes.shape[-1] in (1, 3):
        raise ValueError(f"«{nombre}» tiene forma {imagenes.shape}: es una sola imagen (alto, ancho, canales) y aquí va un "
                         "lote (n, alto, ancho, canales). Pasa todas las imágenes (mejor cientos); para una sola, imagen[None].")
    if imagenes.ndim == 3:
        imagenes = imagenes[..., None]
    if imagenes.ndim != 4 or imagenes.shape[-1] not in (1, 3):
        raise ValueError(f"«{nombre}» debe ser un lote (n, alto, ancho, canales) con 1 o 3 canales; tiene forma "
                         f"{imagenes.shape}.")
    if len(imagenes) < minimo:
        raise ValueError(f"«{nombre}» tiene {contar(len(imagenes), 'imagen', 'imágenes')} y hacen falta al menos {minimo} "
                         "(mejor cientos).")
    # Un poco por encima de 1 vale (p. ej. el redondeo de un reescalado). Con NaN la medida da NaN, y
    # quien la pide lo trata (un generador que se volvió inestable: ver callbacks y tarea).
    if np.abs(imagenes).max() > 1.5:
        raise ValueError(f"«{nombre}» va de {cifra(imagenes.min(), 1)} a {cifra(imagenes.max(), 1)} y las métricas "
                         "piden imágenes en [-1, 1], como las del generador: si están en [0, 255], usa "
                         "«imagenes / 127.5 - 1».")
    return imagenes


def _como_caracteristicas(a, b, minimo=2):
    """Las dos matrices de características ``(n, d)`` como float64; ``ValueError`` en español si no lo son,
    si ``d`` no coincide o si alguna tiene menos de ``minimo`` filas (la covarianza y el MMD las necesitan)."""
    try:
        a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    except (TypeError, ValueError):  # p. ej. filas de distinta longitud: NumPy lo diría en inglés
        raise ValueError("Las características deben ser dos matrices (n, d) de números, con la misma d en todas las filas "
                         "(p. ej. las de helpers.metricas.caracteristicas(imagenes)).") from None
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"Las características deben ser dos matrices (n, d) con la misma d; llegan {a.shape} y {b.shape}.")
    if min(len(a), len(b)) < minimo:
        raise ValueError(f"Hacen falta al menos {minimo} imágenes por conjunto (mejor cientos); hay {len(a)} y {len(b)}.")
    return a, b


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
    reales, generadas = _pareja_comparable(reales, generadas)
    return _swd_por_grupos(reales, [generadas], semilla, parches_por_imagen, proyecciones)[0]


def _pareja_comparable(reales, generadas, minimo=1):
    """``reales`` y ``generadas`` como lotes float32 (``_como_lote``) con el mismo alto, ancho y canales:
    la red de la FID o la KID aceptaría otro tamaño, pero la distancia mediría sobre todo la diferencia
    de resolución. Avisa si uno parece estar en [0, 1] y el otro en [-1, 1], por la misma razón."""
    reales, generadas = _como_lote(reales, "reales", minimo), _como_lote(generadas, "generadas", minimo)
    if reales.shape[1:] != generadas.shape[1:]:
        raise ValueError(
            f"«reales» {reales.shape[1:]} y «generadas» {generadas.shape[1:]} deben tener el mismo alto, "
            "ancho y canales: redimensiona una de ellas con helpers.datos.redimensionar."
        )
    _avisar_si_otra_escala(reales=reales, generadas=generadas)
    return reales, generadas


def _avisar_si_otra_escala(**lotes):
    """Avisa si un lote va de casi 0 (sin ningún valor negativo) a más de 0,5 y otro baja de -0,5: el primero
    parece estar en [0, 1] y el otro en [-1, 1], y la medida reflejaría sobre todo esa diferencia de escala. Solo aviso:
    un generador que da imágenes claras tampoco baja de 0, y en el entrenamiento un error lo pararía."""
    # fmin/fmax saltan los NaN sin copiar el lote ni avisar; todo NaN da NaN, que no cumple nada de abajo.
    rangos = {nombre: (np.fmin.reduce(lote, axis=None), np.fmax.reduce(lote, axis=None)) for nombre, lote in lotes.items()}
    otro = min(rangos, key=lambda nombre: rangos[nombre][0])  # el que más baja
    for nombre, (minimo, maximo) in rangos.items():
        # Como datos._comprobar_rango: en [0, 1] casi siempre hay algo negro; en [-1, 1], lo claro no baja de 0.
        if 0 <= minimo < 0.05 and maximo > 0.5 and rangos[otro][0] < -0.5:
            warnings.warn(f"«{nombre}» va de {cifra(minimo, significativas=3)} a {cifra(maximo, significativas=3)}, "
                          f"sin ningún valor negativo, y «{otro}» baja hasta {cifra(rangos[otro][0], significativas=3)}: "
                          f"¿está «{nombre}» en [0, 1] (p. ej., reescalada para dibujarla)? Las métricas comparan "
                          "imágenes en [-1, 1]: pásala con x * 2 - 1. Si ya estaba en [-1, 1], la diferencia es real "
                          "(no tiene nada oscuro).", stacklevel=nivel_del_estudiante())
            return


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
    reales, generadas = _pareja_comparable(reales, generadas)
    n = len(reales)
    grupos = [generadas[i : i + n] for i in range(0, len(generadas) - n + 1, n)] or [generadas]
    medidas = _swd_por_grupos(reales, grupos, semilla, PARCHES_POR_IMAGEN, PROYECCIONES)
    return float(np.mean([medida["media"] for medida in medidas]))


# --- FID y KID sobre características de una red preentrenada --------------------------------

NOMBRES_REDES = {"squeezenet": "SqueezeNet", "inception": "InceptionV3"}
TAMANO_SQUEEZENET = 64  # lado al que se llevan las imágenes (ver ``modelo_caracteristicas``)
_MODELOS_CARACTERISTICAS = {}  # red → (modelo, nombre): cada red se construye una sola vez por sesión


def _envolver(tamano, red):
    """Modelo ``(n, alto, ancho, 3)`` en [-1, 1] → ampliado a ``tamano``×``tamano`` → ``red``."""
    entrada = keras.Input((None, None, 3), name="imagen")
    return keras.Model(entrada, red(keras.layers.Resizing(tamano, tamano, antialias=True)(entrada)))


def modelo_caracteristicas(red="squeezenet"):
    """Extractor de características ``(modelo, nombre)``; se construye una vez por sesión.

    - ``"squeezenet"`` (sin red, por defecto): SqueezeNet v1.1 de ImageNet (``helpers.squeezenet``);
      media global del último módulo *fire* (``fire9``), 512 características. Es la última capa antes
      del clasificador, como la capa ``pool3`` de Inception que usa el FID original. Las imágenes se
      llevan a 64 px: en CPU, mil tardan alrededor de un segundo, casi diez veces menos que a 224 px
      (``benchmarks/cifras_del_codigo.py``), y las caras y los dígitos del curso miden 32 px o menos.
      Los detalles finos de imágenes mayores se pierden: para ellos mira los niveles altos de
      ``distancia_swd``.
    - ``"inception"``: la InceptionV3 de ImageNet de Keras a 299 px (2048 características), parecida a
      la del FID de los artículos pero con otros pesos: sus cifras tampoco se comparan con las
      publicadas. Descarga unos 90 MB la primera vez y en CPU es de 80 a 100 veces más lenta (``benchmarks/cifras_del_codigo.py``). Si la descarga
      falla, avisa y usa SqueezeNet: mira siempre el ``nombre`` que devuelve.
    """
    if red not in NOMBRES_REDES:
        raise ValueError(f"red={red!r} no es válida: usa una de {tuple(NOMBRES_REDES)}.")
    if red not in _MODELOS_CARACTERISTICAS:
        # En float32 aunque se entrene con precisión mixta: la métrica no debe depender de ello.
        politica = keras.config.dtype_policy()
        keras.config.set_dtype_policy("float32")
        try:
            _MODELOS_CARACTERISTICAS[red] = _construir_modelo_caracteristicas(red)
        finally:
            keras.config.set_dtype_policy(politica)
    return _MODELOS_CARACTERISTICAS[red]


def _construir_modelo_caracteristicas(red):
    if red == "inception":
        try:
            inception = keras.applications.InceptionV3(weights="imagenet", include_top=False, pooling="avg")
        except Exception as error:
            warnings.warn(
                f"No se pudieron obtener los pesos de InceptionV3 ({motivo_descarga(error)}); uso "
                "SqueezeNet, que viene instalada. Sus cifras no se comparan con el FID de los artículos.",
                stacklevel=3,
            )
            return modelo_caracteristicas("squeezenet")
        # InceptionV3 espera píxeles en [-1, 1]: justo el rango del curso, sin preprocesado.
        return _envolver(299, inception), NOMBRES_REDES[red]
    base = construir_squeezenet(incluir_clasificador=False)
    promedio = keras.layers.GlobalAveragePooling2D(name="promedio_fire9")
    # ÷10: con entrada de 0 a 255 (como en Caffe) las activaciones dan xᵀy/d ≈ 30; ahí el «+1» del
    # núcleo del KID no pesaría y solo compararía momentos de orden 3. Tras ÷10, xᵀy/d ≈ 0,3.
    modelo = _envolver(TAMANO_SQUEEZENET, lambda x: promedio(base(preprocesar_squeezenet((x + 1.0) * 127.5))) / 10.0)
    return modelo, NOMBRES_REDES[red]


def caracteristicas(imagenes, red="squeezenet", lote=100):
    """Características ``(n, d)`` float32 de ``imagenes`` ``(n, alto, ancho, 1 o 3)`` en [-1, 1].

    Las imágenes en gris se repiten en los tres canales. ``d`` = 512 con SqueezeNet y 2048 con
    InceptionV3 (ver ``modelo_caracteristicas``).
    """
    imagenes = _como_lote(imagenes, "imagenes")
    if imagenes.shape[-1] == 1:
        imagenes = np.repeat(imagenes, 3, axis=-1)
    modelo, _ = modelo_caracteristicas(red)
    return aplicar_por_lotes(modelo, imagenes, lote)


def aplicar_por_lotes(modelo, imagenes, lote=100):
    """``modelo(imagenes, training=False)`` en lotes de ``lote``, como matriz NumPy float32.

    Llamada directa y no ``predict``: con pocas imágenes, ``predict`` tarda varias veces más en prepararse
    (``benchmarks/cifras_del_codigo.py``), y cada modelo o tamaño nuevo le hace trazar otra función
    (TensorFlow avisa en inglés al quinto). Si ``imagenes`` no tiene la forma de la entrada del modelo (otro tamaño
    u otros canales), un ``ValueError`` en español lo dice. A un modelo de varias entradas (p. ej. el generador
    condicional) se le pasa una lista con una matriz por entrada, ``[z, etiquetas]``, y cada una va en lotes."""
    exigir_enteros(("lote", lote, 1))
    if len(esperadas := entradas_de(modelo)) > 1:
        entradas = _exigir_varias_entradas(esperadas, imagenes)
        lotes = [modelo([e[i : i + lote] for e in entradas], training=False) for i in range(0, len(entradas[0]), lote)]
    else:
        imagenes = _exigir_una_entrada(esperadas, imagenes)
        lotes = [modelo(imagenes[i : i + lote], training=False) for i in range(0, len(imagenes), lote)]
    return np.concatenate(lotes).astype(np.float32)


def _exigir_una_entrada(esperadas, imagenes):
    """``imagenes`` para un modelo de una entrada (``esperadas``, de ``entradas_de``: ninguna si no la tiene
    definida), o un ``ValueError`` en español si están vacías o no tienen su forma. Una lista pasa a matriz."""
    if isinstance(imagenes, (list, tuple)):  # Keras tomaría cada una por una entrada distinta del modelo
        try:
            imagenes = np.asarray(imagenes, np.float32)
        except (TypeError, ValueError):
            raise ValueError("Las imágenes de la lista no tienen todas la misma forma: llévalas al mismo tamaño "
                             "(el que espera el modelo) y pásalas como una matriz, np.stack(imagenes).") from None
    if np.shape(imagenes)[:1] == (0,):  # si no, NumPy diría en inglés que no hay lotes que juntar
        raise ValueError("«imagenes» está vacía: pasa al menos una.")
    if esperadas:  # sin una entrada definida (un modelo por subclase), lo decide Keras al llamarlo
        exigir_forma_de_entrada(esperadas[0], imagenes)
    return imagenes


def _exigir_varias_entradas(esperadas, entradas):
    """Las matrices de ``entradas`` (una por cada entrada ``esperadas`` de un modelo de varias, p. ej. ``[z,
    etiquetas]`` del generador condicional), o un ``ValueError`` en español si no son tantas, con las mismas filas y
    de la forma de su entrada: Keras lo diría en inglés, o NumPy, con una lista vacía."""
    if not isinstance(entradas, (list, tuple)) or len(entradas) != len(esperadas):
        raise ValueError(f"El modelo recibe {len(esperadas)} entradas: pásale una lista con una matriz por entrada, "
                         "p. ej. [z, etiquetas] al generador condicional.")
    for i, (esperada, entrada) in enumerate(zip(esperadas, entradas)):
        exigir_forma_de_entrada(esperada, entrada, f"imagenes[{i}]")
    entradas = [np.asarray(entrada) for entrada in entradas]
    filas = [len(entrada) for entrada in entradas]
    if len(set(filas)) > 1:
        raise ValueError(f"Las entradas de la lista tienen distinto número de filas ({', '.join(map(str, filas))}): "
                         "pasa una fila de cada una por muestra, p. ej. tantas etiquetas como vectores z.")
    if not filas[0]:
        raise ValueError("«imagenes» está vacía: pasa al menos una fila en cada entrada.")
    return entradas


def distancia_fid(reales, generadas, red="squeezenet"):
    """FID (Heusel et al., 2017): distancia de Fréchet entre las características de dos lotes en [-1, 1].

    Devuelve ``{"fid": valor, "red": "SqueezeNet" o "InceptionV3"}``; menor es mejor, 0 si las dos
    nubes tienen igual media y covarianza. Con pocas imágenes el FID sale mayor de lo que es (está
    sesgado): compara solo cifras calculadas con la misma red y el mismo número de imágenes, y
    nunca con el FID de los artículos (que usa otra Inception, con otros pesos).
    """
    reales, generadas = _pareja_comparable(reales, generadas, 2)
    _, nombre = modelo_caracteristicas(red)
    return {"fid": distancia_frechet(caracteristicas(reales, red), caracteristicas(generadas, red)), "red": nombre}


def mmd_polinomico(caracteristicas_a, caracteristicas_b):
    """MMD² insesgado entre ``(m, d)`` y ``(n, d)`` con el núcleo ``k(x, y) = (xᵀy/d + 1)³``.

    Insesgado: se excluye cada punto comparado consigo mismo, así que entre muestras de la misma
    distribución el valor medio es 0 (una estimación concreta puede salir algo negativa).
    """
    a, b = (x.astype(np.float32) for x in _como_caracteristicas(caracteristicas_a, caracteristicas_b))
    d, m, n = a.shape[1], len(a), len(b)
    # Productos en float32 (lo más costoso; el doble de rápido, benchmarks/cifras_del_codigo.py) y el
    # resto en float64: el MMD es una resta de medias casi iguales y necesita esa precisión.
    k_aa, k_bb, k_ab = (((x @ y.T).astype(np.float64) / d + 1.0) ** 3 for x, y in ((a, a), (b, b), (a, b)))
    return float(
        (k_aa.sum() - np.trace(k_aa)) / (m * (m - 1)) + (k_bb.sum() - np.trace(k_bb)) / (n * (n - 1)) - 2 * k_ab.mean()
    )


def kid_de_caracteristicas(caracteristicas_a, caracteristicas_b, subconjuntos=50, tamano_subconjunto=None, semilla=0):
    """KID (Bińkowski et al., 2018) de dos matrices de características: ``(media, desviación)``.

    Media de ``mmd_polinomico`` sobre ``subconjuntos`` pares de subconjuntos al azar de
    ``tamano_subconjunto`` filas (por defecto, la mitad del conjunto menor y como mucho 1000, para
    que los subconjuntos cambien y la desviación diga cuánto varía la estimación).
    """
    exigir_enteros(("subconjuntos", subconjuntos, 1))
    exigir_semilla(semilla, none_es_azar=True)  # None: subconjuntos al azar
    # Como matrices: de una lista, elegir las filas de un subconjunto fallaría en inglés.
    caracteristicas_a, caracteristicas_b = _como_caracteristicas(caracteristicas_a, caracteristicas_b, minimo=0)
    if tamano_subconjunto is not None:
        exigir_enteros(("tamano_subconjunto", tamano_subconjunto, 2))
    n = min(len(caracteristicas_a), len(caracteristicas_b))
    tamano = min(tamano_subconjunto or min(1000, n // 2), n)
    if tamano < 2:
        raise ValueError(f"Hay {len(caracteristicas_a)} y {len(caracteristicas_b)} imágenes: el KID compara subconjuntos de "
                         "al menos 2 (por defecto, la mitad del conjunto menor), así que usa al menos 4 por conjunto "
                         "(mejor cientos).")
    rng = np.random.default_rng(semilla)
    valores = [
        mmd_polinomico(
            caracteristicas_a[rng.choice(len(caracteristicas_a), tamano, replace=False)],
            caracteristicas_b[rng.choice(len(caracteristicas_b), tamano, replace=False)],
        )
        for _ in range(subconjuntos)
    ]
    return float(np.mean(valores)), float(np.std(valores))


def distancia_kid(reales, generadas, red="squeezenet", subconjuntos=50, tamano_subconjunto=None, semilla=0):
    """KID entre dos lotes ``(n, alto, ancho, canales)`` en [-1, 1] (ver ``kid_de_caracteristicas``).

    Devuelve ``{"kid": media, "desviacion": …, "red": "SqueezeNet" o "InceptionV3"}``; menor es
    mejor y ≈ 0 (incluso algo negativo) para imágenes de la misma distribución. A diferencia del FID
    no está sesgado: sirve con pocas imágenes (100–1000) y sus cifras se comparan aunque cambie n.
    """
    reales, generadas = _pareja_comparable(reales, generadas, 2)
    _, nombre = modelo_caracteristicas(red)
    media, desviacion = kid_de_caracteristicas(
        caracteristicas(reales, red), caracteristicas(generadas, red), subconjuntos, tamano_subconjunto, semilla
    )
    return {"kid": media, "desviacion": desviacion, "red": nombre}


# --- Memorización: ¿copia el generador imágenes del entrenamiento? ----------------------------


def _planas(red, **lotes):
    """Los lotes (``generadas=…, entrenamiento=…``; el nombre sale en los errores) como filas, en ese orden:
    características de ``red`` (cada lote una sola vez) o píxeles, y entonces del mismo tamaño."""
    lotes = {nombre: _como_lote(lote, nombre) for nombre, lote in lotes.items()}
    _avisar_si_otra_escala(**lotes)
    if red:
        return [caracteristicas(lote, red) for lote in lotes.values()]
    referencia = lotes["entrenamiento"]
    for nombre, lote in lotes.items():
        if lote.shape[1:] != referencia.shape[1:]:
            raise ValueError(
                f"«{nombre}» {lote.shape[1:]} y «entrenamiento» {referencia.shape[1:]} deben tener el mismo tamaño: "
                "redimensiona una de ellas con helpers.datos.redimensionar."
            )
    return [lote.reshape(len(lote), -1) for lote in lotes.values()]


def _vecinas(a, b, k, lote=256):
    """Índices y distancias ``(n, k)`` de las ``k`` filas de ``b`` más cercanas a cada fila de ``a``, de la
    más cercana a la más lejana (con empates, primero la de menor índice)."""
    k = min(k, len(b))
    normas_b = np.sum(b * b, axis=1)
    indices, distancias = [], []
    for inicio in range(0, len(a), lote):
        bloque = a[inicio : inicio + lote]
        # ‖a − b‖² = ‖a‖² − 2·a·b + ‖b‖², y ‖a‖² no cambia cuáles son las menores; por bloques, para no
        # llenar la memoria con la matriz entera de distancias.
        aproximadas = normas_b - 2.0 * bloque @ b.T
        candidatas = (np.argmin(aproximadas, axis=1)[:, None] if k == 1
                      else np.argpartition(aproximadas, k - 1, axis=1)[:, :k])
        # Distancias recalculadas directamente: la fórmula de arriba deja errores de redondeo y una copia
        # exacta debe dar 0.
        exactas = np.linalg.norm(bloque[:, None, :] - b[candidatas], axis=2)
        orden = np.lexsort((candidatas, exactas), axis=1)
        indices.append(np.take_along_axis(candidatas, orden, axis=1))
        distancias.append(np.take_along_axis(exactas, orden, axis=1))
    return np.concatenate(indices), np.concatenate(distancias)


def vecinas_en_pixeles(consultas, imagenes, k):
    """Índices y distancias L2 en píxeles ``(n, k)`` de las ``k`` ``imagenes`` más cercanas a cada una de
    ``consultas`` (las dos ``(n, alto, ancho, canales)`` en float32), de la más cercana a la más lejana: las que
    usa ``comprobar_memorizacion``."""
    return _vecinas(consultas.reshape(len(consultas), -1), imagenes.reshape(len(imagenes), -1), k)


def _primera_entre_segunda(b, indices, distancias, escala):
    """Mediana de (distancia de cada muestra a su vecina en ``b``) / (distancia a la segunda), con
    ``indices`` y ``distancias`` de sus vecinas más cercanas en ``b`` (de ``_vecinas``).

    La segunda es la siguiente que no es casi una copia de la primera (más cerca de ella que una
    décima de ``escala``, la distancia típica de una imagen real nueva a su vecina): con una foto
    repetida en el entrenamiento, una muestra calcada de ella estaría igual de cerca de las dos copias.
    Más radio confundiría fotos distintas pero parecidas (en la carpeta de ejemplo, recortes de una
    misma foto a 0,4 de ``escala``) y una mancha gris parecería encima de una. ``None`` si ``b`` tiene
    menos de dos filas."""
    if len(b) < 2:
        return None
    distintas = np.linalg.norm(b[indices[:, :1]] - b[indices[:, 1:]], axis=2) > 0.1 * escala
    # La primera distinta de la primera; si todas son copias suyas, la más lejana de las candidatas.
    segunda = np.where(distintas.any(axis=1), np.argmax(distintas, axis=1) + 1, indices.shape[1] - 1)
    cocientes = distancias[:, 0] / np.maximum(distancias[np.arange(len(distancias)), segunda], 1e-12)
    return float(np.median(cocientes))


def _reales_sin_nan(**lotes):
    """``ValueError`` en español si alguno de los ``lotes`` de imágenes reales (por su nombre) tiene valores NaN."""
    for nombre, imagenes in lotes.items():
        if np.isnan(imagenes).any():
            raise ValueError(f"«{nombre}» tiene valores NaN: son imágenes reales, así que el fallo está en cómo se "
                             "cargaron o se escalaron (p. ej. una división por cero). Revísalas antes de medir.")


def vecinos_mas_cercanos(generadas, entrenamiento, red=None, lote=256):
    """Para cada imagen generada, la más cercana del entrenamiento: ``(indices, distancias)``, ``(n,)``.

    ``generadas`` ``(n, alto, ancho, canales)`` y ``entrenamiento`` ``(m, alto, ancho, canales)`` en
    [-1, 1]. Distancia euclídea (L2) en píxeles, entre 0 (copia exacta) y 2·√(alto·ancho·canales);
    con ``red="squeezenet"`` o ``"inception"``, entre sus características (ver ``caracteristicas``),
    que también detecta copias algo desplazadas o retocadas.
    """
    exigir_enteros(("lote", lote, 1))
    entrenamiento = _como_lote(entrenamiento, "entrenamiento")
    _reales_sin_nan(entrenamiento=entrenamiento)  # si no, una sola con NaN salía la «más cercana» de todas, a distancia NaN
    indices, distancias = _vecinas(*_planas(red, generadas=generadas, entrenamiento=entrenamiento), 1, lote)
    return indices[:, 0], distancias[:, 0]


# Por debajo de esta diversidad las muestras son casi iguales entre sí (un generador sin entrenar da
# manchas grises de unas 0,03; benchmarks/lectura_memorizacion.py).
UMBRAL_DIVERSIDAD = 0.25
# Por encima de este cociente entre la distancia de cada muestra a su vecina de entrenamiento y a la
# segunda, la muestra no está encima de ninguna foto: una mancha gris media está casi igual de cerca
# de varias (de 0,8 a 1); una foto de entrenamiento con ruido de hasta 0,1, mucho más cerca de la suya
# (de 0,1 a 0,45). Medido en benchmarks/lectura_memorizacion.py.
UMBRAL_PRIMERA_ENTRE_SEGUNDA = 0.6
MAX_DIVERSIDAD = 1000  # imágenes con las que se mide la diversidad: la mediana ya es estable


def _mediana_entre_si(imagenes):
    """Mediana de la distancia L2 (en píxeles) entre dos imágenes distintas del lote (``None`` con menos de dos)."""
    planas = _como_lote(imagenes, "imagenes")[:MAX_DIVERSIDAD]
    return float(np.median(pdist(planas.reshape(len(planas), -1)))) if len(planas) >= 2 else None


def comprobar_memorizacion(generadas, entrenamiento, reserva, red=None):
    """¿Están las muestras más cerca del entrenamiento que imágenes reales nuevas?

    Compara la mediana de la distancia de cada imagen ``generadas`` a su vecina más cercana de
    ``entrenamiento`` con la misma mediana para ``reserva`` (imágenes reales que la GAN no vio; las de
    reserva idénticas a una de entrenamiento, fotos repetidas en la carpeta, no cuentan).
    Devuelve ``{"mediana_generadas", "mediana_reserva", "cociente", "diversidad",
    "primera_entre_segunda"}`` (cociente = la primera / la segunda). Cómo leer el cociente
    (``lectura_memorizacion`` lo dice en una frase):
    - ≈ 1 o mayor: las muestras no se parecen al entrenamiento más que una imagen real nueva;
    - claramente < 1 (p. ej. < 0,5): las muestras están pegadas al entrenamiento, señal de que la
      GAN memoriza; mira los pares con ``mostrar_vecinos``.
    ``diversidad`` es la distancia mediana entre dos muestras dividida entre la de dos imágenes de
    reserva, siempre en píxeles: ≈ 1 si varían como las reales, casi 0 si son todas iguales (``None``
    si no se puede medir: menos de dos imágenes, o, con ``red``, muestras y reserva de otro tamaño o canales). ``primera_entre_segunda``, la mediana de la distancia de cada muestra a su
    vecina de entrenamiento dividida entre la distancia a la segunda (sin contar copias de la primera):
    cerca de 0 si está encima de una foto, cerca de 1 si está igual de cerca de varias. Con muestras casi iguales que no están encima
    de ninguna foto (``muestras_casi_iguales``) el cociente no sirve: una mancha gris media está cerca
    de todo el entrenamiento sin copiar nada.
    """
    # En los píxeles y no en las características: la red puede perder un NaN de un borde (max-pooling).
    # Si no, en píxeles todas las distancias saldrían NaN y el filtro de abajo las quitaría todas.
    entrenamiento, reserva = _como_lote(entrenamiento, "entrenamiento"), _como_lote(reserva, "reserva")
    generadas = _como_lote(generadas, "generadas")
    _reales_sin_nan(entrenamiento=entrenamiento, reserva=reserva)
    a, b, c = _planas(red, generadas=generadas, entrenamiento=entrenamiento, reserva=reserva)
    # Ocho candidatas: la más cercana para el cociente y las siguientes para ``primera_entre_segunda``.
    indices, distancias_generadas = _vecinas(a, b, 8)
    _, distancias_reserva = _vecinas(c, b, 1)
    # Una foto repetida en la carpeta puede quedar a la vez en la reserva y en el entrenamiento: esa
    # copia no es «una imagen real nueva» y, contada, haría parecer que el generador copia menos.
    distancias_reserva = distancias_reserva[distancias_reserva > 0]
    if not len(distancias_reserva):
        raise ValueError("Todas las imágenes de «reserva» están también en «entrenamiento» (distancia 0): la reserva tiene "
                         "que ser de imágenes que la GAN no vio. Si tu carpeta tiene fotos repetidas, quítalas con "
                         "preparar --sin-duplicados (preparar_imagenes(..., sin_duplicados=True)).")
    mediana_generadas, mediana_reserva = float(np.median(distancias_generadas[:, 0])), float(np.median(distancias_reserva))
    # La diversidad, en píxeles: solo si muestras y reserva tienen el mismo tamaño y canales (con ``red`` pueden no
    # tenerlo, y el cociente de dos distancias en espacios distintos no diría nada).
    entre_generadas, entre_reserva = ((_mediana_entre_si(generadas), _mediana_entre_si(reserva))
                                      if generadas.shape[1:] == reserva.shape[1:] else (None, None))
    return {
        "mediana_generadas": mediana_generadas,
        "mediana_reserva": mediana_reserva,
        "cociente": mediana_generadas / max(mediana_reserva, 1e-12),
        "diversidad": entre_generadas / entre_reserva if entre_generadas is not None and entre_reserva else None,
        "primera_entre_segunda": _primera_entre_segunda(b, indices, distancias_generadas, mediana_reserva),
    }


def muestras_casi_iguales(resultado):
    """¿Son las muestras casi iguales entre sí sin estar encima de ninguna foto de entrenamiento? (ver
    ``comprobar_memorizacion``): entonces el cociente no dice si el generador memoriza."""
    diversidad, relativa = resultado["diversidad"], resultado["primera_entre_segunda"]
    return (diversidad is not None and relativa is not None
            and diversidad < UMBRAL_DIVERSIDAD and relativa > UMBRAL_PRIMERA_ENTRE_SEGUNDA)


def lectura_memorizacion(resultado):
    """Qué dice un resultado de ``comprobar_memorizacion``, en una frase para quien lo lee."""
    if not isinstance(resultado, dict) or "cociente" not in resultado:  # p. ej. solo memoria["cociente"]
        que = f"el número {cifra(resultado)}" if es_real(resultado) else f"un objeto de tipo {type(resultado).__name__}"
        raise ValueError(f"lectura_memorizacion recibe el diccionario entero de comprobar_memorizacion y llegó {que}: "
                         "memoria = comprobar_memorizacion(muestras, entrenamiento, reserva) y luego "
                         "lectura_memorizacion(memoria), no memoria[\"cociente\"].")
    if np.isnan(resultado["cociente"]):  # si no, NaN no pasaría ningún umbral y se leería «memoriza»
        return "no se puede medir: hay valores NaN en las imágenes (si están en las muestras, el entrenamiento divergió)"
    if muestras_casi_iguales(resultado):
        return ("las muestras son casi iguales entre sí: el generador aún no ha aprendido o ha colapsado, "
                "y el cociente no dice si memoriza")
    if resultado["cociente"] >= 0.9:
        return "las muestras no se parecen al entrenamiento más que una foto nueva"
    if resultado["cociente"] >= 0.5:
        return "vigilar: mira los pares de muestras y sus vecinas del entrenamiento"
    return "las muestras están pegadas al entrenamiento: memoriza"


def mas_cercanas(generadas, entrenamiento, n=8, red=None):
    """``(elegidas, indices, distancias)``: los ``indices`` y ``distancias`` de ``vecinos_mas_cercanos`` para
    todas las muestras, y en ``elegidas`` las posiciones de las ``n`` más pegadas al entrenamiento, la más
    cercana primero: las sospechosas de ser copias, las que se enseñan para juzgarlo."""
    if not es_entero(n, 1):  # n=-1 elegía todas menos una, sin aviso
        raise ValueError(f"n={n!r} no es válido: debe ser un entero positivo (cuántas muestras elegir; p. ej. 8).")
    indices, distancias = vecinos_mas_cercanos(generadas, entrenamiento, red)
    return np.argsort(distancias)[:n], indices, distancias


def mostrar_vecinos(generadas, entrenamiento, n=8, red=None, ruta=None):
    """Comprobación de memorización: las ``n`` muestras más pegadas al entrenamiento, cada una sobre
    su imagen de entrenamiento más cercana y con la distancia entre ambas.

    ``generadas`` ``(m, alto, ancho, canales)`` y ``entrenamiento`` ``(k, alto, ancho, canales)`` en
    [-1, 1]; ``red`` como en ``vecinos_mas_cercanos`` (``None``: L2 en píxeles).
    Una distancia casi 0 con dos imágenes iguales es una copia. Con ``ruta`` guarda la figura como
    PNG en vez de mostrarla. Devuelve ``(indices, distancias)`` de todas las muestras.
    """
    import matplotlib.pyplot as plt

    elegidas, indices, distancias = mas_cercanas(generadas, entrenamiento, n, red)
    muestras, vecinas = a_uint8(np.asarray(generadas)[elegidas]), a_uint8(np.asarray(entrenamiento)[indices[elegidas]])
    # Al menos 7 pulgadas de ancho: con pocas columnas el título se cortaba por los lados.
    figura, ejes = plt.subplots(2, len(elegidas), figsize=(max(1.4 * len(elegidas), 7.0), 3.4), squeeze=False)
    for columna, (muestra, vecina, i) in enumerate(zip(muestras, vecinas, elegidas)):
        for eje, imagen in ((ejes[0, columna], muestra), (ejes[1, columna], vecina)):
            eje.imshow(imagen[..., 0] if imagen.shape[-1] == 1 else imagen, cmap="gray", vmin=0, vmax=255)
            eje.set_xticks([])
            eje.set_yticks([])
        ejes[0, columna].set_title(f"d = {cifra(distancias[i])}", fontsize=9)
        ejes[1, columna].set_xlabel(f"n.º {indices[i]}", fontsize=8)
    ejes[0, 0].set_ylabel("generada")
    ejes[1, 0].set_ylabel("más cercana\n(entrenamiento)")
    espacio = "en píxeles" if red is None else f"entre características de {modelo_caracteristicas(red)[1]}"
    figura.suptitle(f"Muestras más parecidas al entrenamiento (d: distancia L2 {espacio})", fontsize=10)
    figura.tight_layout()
    guardar_o_mostrar(figura, ruta)
    return indices, distancias
