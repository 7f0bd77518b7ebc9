"""Conjuntos de datos listos para entrenar: imágenes float32 en [-1, 1] con forma (alto, ancho, canales).

- ``imagenes_digitos``: los 1.797 dígitos de scikit-learn (8×8, vienen dentro del paquete: sin red).
- ``imagenes_mnist``: MNIST o Fashion-MNIST (28×28) descargados por ``keras.datasets`` (requiere red).
- ``a_dataset``: convierte un arreglo de imágenes en un ``tf.data.Dataset`` barajado, por lotes y
  con precarga, que es lo que recibe ``GAN.fit``.
"""

import numpy as np

from .entorno import limitar

PARTES = ("entrenamiento", "reserva", "todo")


def a_rango_simetrico(imagenes, maximo):
    """Lleva valores de [0, maximo] a float32 en [-1, 1]."""
    return (np.asarray(imagenes, dtype=np.float32) / (maximo / 2.0) - 1.0).astype(np.float32)


def redimensionar(imagenes, tamano, margen=0):
    """Redimensiona un lote ``(n, alto, ancho, canales)`` a ``(n, tamano, tamano, canales)`` (bilineal).

    Con ``margen`` > 0 la imagen ocupa el centro y se rodea de ``margen`` píxeles de fondo (-1).
    """
    import tensorflow as tf

    interior = tamano - 2 * margen
    if imagenes.shape[1:3] != (interior, interior):
        imagenes = tf.image.resize(imagenes, (interior, interior), method="bilinear", antialias=True).numpy()
    relleno = ((0, 0), (margen, margen), (margen, margen), (0, 0))
    return np.pad(np.clip(imagenes, -1.0, 1.0), relleno, constant_values=-1.0)


def imagenes_digitos(tamano=16, parte="entrenamiento", semilla=0):
    """Dígitos manuscritos de scikit-learn, sin descargas.

    Devuelve ``(imagenes, etiquetas)``: ``imagenes`` float32 de forma ``(n, tamano, tamano, 1)`` en
    [-1, 1] (fondo = -1, trazo = 1) y ``etiquetas`` int de 0 a 9.

    ``parte``: ``'entrenamiento'`` (75 %, para la GAN), ``'reserva'`` (25 %, estratificado, para el
    clasificador que mide la calidad) o ``'todo'``. La partición es siempre la misma para una ``semilla``.

    Los originales miden 8×8 y el trazo toca los bordes; como en MNIST, el dígito se amplía al 75 %
    central y se deja un margen de fondo alrededor. Por defecto se usa 16×16: basta para ver trazos
    suaves y entrena en pocos minutos de CPU (32×32 no añade información y cuesta 4× más).
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if parte not in PARTES:
        raise ValueError(f"parte={parte!r} no es válida: usa una de {PARTES}.")
    digitos = load_digits()
    imagenes = a_rango_simetrico(digitos.images[..., None], maximo=16.0)
    etiquetas = digitos.target
    if parte != "todo":
        entrenamiento, reserva = train_test_split(
            np.arange(len(etiquetas)), test_size=0.25, stratify=etiquetas, random_state=semilla
        )
        indices = entrenamiento if parte == "entrenamiento" else reserva
        imagenes, etiquetas = imagenes[indices], etiquetas[indices]
    return redimensionar(imagenes, tamano, margen=tamano // 8), etiquetas


def imagenes_mnist(conjunto="mnist", tamano=28):
    """MNIST o Fashion-MNIST (60.000 imágenes de entrenamiento) descargados con ``keras.datasets``.

    Devuelve ``(imagenes, etiquetas)`` como ``imagenes_digitos``. Necesita conexión a internet la
    primera vez; sin ella lanza ``ConnectionError`` con la alternativa sin red.
    """
    import keras

    modulos = {"mnist": keras.datasets.mnist, "fashion_mnist": keras.datasets.fashion_mnist}
    if conjunto not in modulos:
        raise ValueError(f"conjunto={conjunto!r} no es válido: usa 'mnist' o 'fashion_mnist'.")
    try:
        (imagenes, etiquetas), _ = modulos[conjunto].load_data()
    except Exception as error:
        raise ConnectionError(
            f"No se pudo descargar {conjunto} ({error.__class__.__name__}). Sin conexión, usa los "
            "dígitos incluidos: helpers.datos.imagenes_digitos() o conjunto='digitos'."
        ) from None
    imagenes = a_rango_simetrico(imagenes[..., None], maximo=255.0)
    return redimensionar(imagenes, tamano), etiquetas


def a_dataset(imagenes, lote=64, semilla=0):
    """``tf.data.Dataset`` barajado en cada época, en lotes completos de ``lote`` y con precarga.

    Se descartan las imágenes del último lote incompleto (todas las épocas ven lotes del mismo
    tamaño, lo que evita recompilar y estabiliza la normalización por lotes). En modo rápido se usan
    como mucho 512 imágenes.
    """
    import tensorflow as tf

    imagenes = np.asarray(imagenes, dtype=np.float32)[: limitar(len(imagenes), 512)]
    if len(imagenes) == 0:
        raise ValueError("No hay imágenes: el conjunto de datos está vacío.")
    if lote > len(imagenes):
        print(f"Aviso: lote={lote} es mayor que el número de imágenes ({len(imagenes)}); uso lote={len(imagenes)}.")
        lote = len(imagenes)
    return (
        tf.data.Dataset.from_tensor_slices(imagenes)
        .shuffle(len(imagenes), seed=semilla, reshuffle_each_iteration=True)
        .batch(lote, drop_remainder=True)
        .prefetch(tf.data.AUTOTUNE)
    )


def cargar_imagenes(conjunto="digitos", tamano=None):
    """Atajo de los cuadernos: ``'digitos'`` (sin red, 16 px), ``'mnist'`` o ``'fashion_mnist'`` (28 px)."""
    if conjunto == "digitos":
        return imagenes_digitos(tamano or 16)[0]
    return imagenes_mnist(conjunto, tamano or 28)[0]
