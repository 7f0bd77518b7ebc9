"""FID (Heusel et al., 2017) y KID (Bińkowski et al., 2018): distancias entre las características que una red
preentrenada saca de dos lotes de imágenes en [-1, 1].

- ``modelo_caracteristicas`` y ``caracteristicas``: el extractor, SqueezeNet v1.1 (incluida, sin conexión; 512
  características) o InceptionV3 (si se puede descargar; 2048), construido una sola vez por sesión;
- ``distancia_frechet`` y ``distancia_fid``: la distancia de Fréchet entre dos gaussianas ajustadas a las
  características (``metricas.evaluar_digitos`` la usa con las de su clasificador de dígitos);
- ``mmd_polinomico``, ``kid_de_caracteristicas`` y ``distancia_kid``: el MMD² insesgado con un núcleo polinómico
  cúbico, promediado sobre subconjuntos al azar.

Las características sirven también para buscar vecinas en ``memorizacion`` (con ``red=``). Las comprobaciones de los
lotes y ``aplicar_por_lotes`` están en ``lotes``. ``metricas`` importa de aquí (y no al revés), así que
``helpers.metricas.distancia_kid`` sigue sirviendo.
"""

import warnings

import keras
import numpy as np
from threadpoolctl import threadpool_limits

from .errores import motivo_descarga
from .lotes import aplicar_por_lotes, como_lote, pareja_comparable
from .opciones import exigir_enteros, exigir_semilla
from .squeezenet import construir_squeezenet, preprocesar_squeezenet


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
    InceptionV3 (ver ``modelo_caracteristicas``). Las de una imagen con valores NaN o infinitos son NaN.
    """
    imagenes = como_lote(imagenes, "imagenes")
    if imagenes.shape[-1] == 1:
        imagenes = np.repeat(imagenes, 3, axis=-1)
    modelo, _ = modelo_caracteristicas(red)
    resultado = aplicar_por_lotes(modelo, imagenes, lote)
    # La red pierde un NaN (p. ej. en una esquina, que el max pooling descarta) y un generador roto daría una FID o una
    # KID de aspecto normal: las de una imagen con NaN, NaN, para que la medida lo sea, como la SWD.
    resultado[~np.isfinite(imagenes).all(axis=(1, 2, 3))] = np.nan
    return resultado


# --- Distancias entre características: Fréchet (FID) y MMD (KID) ---------------------------------


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


def distancia_fid(reales, generadas, red="squeezenet"):
    """FID (Heusel et al., 2017): distancia de Fréchet entre las características de dos lotes en [-1, 1].

    Devuelve ``{"fid": valor, "red": "SqueezeNet" o "InceptionV3"}``; menor es mejor, 0 si las dos
    nubes tienen igual media y covarianza. Con pocas imágenes el FID sale mayor de lo que es (está
    sesgado): compara solo cifras calculadas con la misma red y el mismo número de imágenes, y
    nunca con el FID de los artículos (que usa otra Inception, con otros pesos).
    """
    reales, generadas = pareja_comparable(reales, generadas, 2)
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
    reales, generadas = pareja_comparable(reales, generadas, 2)
    _, nombre = modelo_caracteristicas(red)
    media, desviacion = kid_de_caracteristicas(
        caracteristicas(reales, red), caracteristicas(generadas, red), subconjuntos, tamano_subconjunto, semilla
    )
    return {"kid": media, "desviacion": desviacion, "red": nombre}
