"""Conjuntos de datos listos para entrenar: imágenes float32 en [-1, 1] con forma (alto, ancho, canales).

- ``imagenes_digitos``: los 1.797 dígitos de scikit-learn (8×8, vienen dentro del paquete: sin red).
- ``imagenes_mnist``: MNIST o Fashion-MNIST (28×28) descargados por ``keras.datasets`` (requiere red).
- ``imagenes_rostros``: los 100 rostros de scikit-image (25×25, gris, sin red); ``imagenes_lfw``, LFW en
  color (con red).
- ``a_dataset``: convierte una matriz de imágenes en un ``tf.data.Dataset`` barajado, por lotes y
  con precarga, que es lo que recibe ``GAN.fit``.
- ``partir``: la partición entrenamiento/reserva que usan todos los conjuntos y la tarea.

Tus propias imágenes (una carpeta o un .zip) se preparan con ``helpers.preparacion`` y se cargan con
``helpers.cargar_carpeta``, que se apoya en este módulo; ``cargar_carpeta.cargar_imagenes`` elige entre todos los
conjuntos por su nombre.
"""

import warnings
import weakref

import numpy as np

from .entorno import LIMITE_RANGO, repartidos
from .errores import motivo_descarga
from .opciones import es_entero, exigir_booleano, exigir_enteros, exigir_semilla
from .textos import cifra, miles

PARTES = ("entrenamiento", "reserva", "todo")
IMAGENES_RAPIDAS = 512  # las que usa como mucho un conjunto de entrenamiento en modo rápido
# Conjuntos de tf.data cuyas imágenes ya se comprobaron (los de a_dataset, o el primer lote de otro): fit no
# vuelve a sacar un lote, que costaría tiempo y movería su barajado.
_COMPROBADOS = weakref.WeakSet()
# La época que dará el próximo recorrido de cada conjunto de a_dataset (ver empezar_en_epoca).
_EPOCA_SIGUIENTE = weakref.WeakKeyDictionary()
# Para cada conjunto de a_dataset, una función (primera, épocas) -> esas épocas seguidas (ver epocas_seguidas).
_EPOCAS_DESDE = weakref.WeakKeyDictionary()


def a_rango_simetrico(imagenes, maximo):
    """Lleva valores de [0, maximo] a float32 en [-1, 1]."""
    # En el sitio, sobre la matriz del resultado: «x / m - 1» dejaría de paso otras dos copias en float32 de toda la
    # colección (con decenas de miles de fotos, gigas de más).
    resultado = np.array(imagenes, dtype=np.float32)
    resultado /= maximo / 2.0
    resultado -= 1.0
    return resultado


def _comprobar_lado(tamano):
    if not es_entero(tamano, 1):
        raise ValueError(f"tamano={tamano!r} no es válido: es el lado de la imagen en píxeles, un entero positivo "
                         "(p. ej. 16 o 32).")


def redimensionar(imagenes, tamano, margen=0):
    """Redimensiona un lote ``(n, alto, ancho, canales)`` a ``(n, tamano, tamano, canales)`` (bilineal).

    Con ``margen`` > 0 la imagen ocupa el centro y se rodea de ``margen`` píxeles de fondo (-1).
    """
    import tensorflow as tf

    _comprobar_lado(tamano)
    interior = tamano - 2 * margen
    if imagenes.shape[1:3] != (interior, interior):
        imagenes = tf.image.resize(imagenes, (interior, interior), method="bilinear", antialias=True).numpy()
    relleno = ((0, 0), (margen, margen), (margen, margen), (0, 0))
    return np.pad(np.clip(imagenes, -1.0, 1.0), relleno, constant_values=-1.0)


def partir(n, fraccion_reserva, semilla=0, etiquetas=None):
    """Parte ``n`` ejemplos en ``(entrenamiento, reserva)``: dos vectores de índices ordenados y disjuntos.

    La reserva se lleva ``round(fraccion_reserva · n)`` ejemplos elegidos al azar; con ``etiquetas``
    (``(n,)``), esa fracción de cada clase (partición estratificada: las dos partes tienen el mismo
    reparto de clases). Es la única forma de partir del kit: misma ``semilla`` y mismo ``n`` → misma
    partición, también al reanudar un entrenamiento.
    """
    orden = np.random.default_rng(exigir_semilla(semilla)).permutation(n)
    grupos = [orden] if etiquetas is None else [orden[np.asarray(etiquetas)[orden] == e] for e in np.unique(etiquetas)]
    reserva = np.concatenate([grupo[: int(round(fraccion_reserva * len(grupo)))] for grupo in grupos])
    return np.setdiff1d(orden, reserva), np.sort(reserva)


def indices_de_parte(n, parte, semilla=0, fraccion_reserva=0.25, etiquetas=None):
    """Índices de la ``parte`` (``'entrenamiento'``, ``'reserva'`` o ``'todo'``) de ``n`` ejemplos (ver ``partir``)."""
    if parte not in PARTES:
        raise ValueError(f"parte={parte!r} no es válida: usa una de {PARTES}.")
    exigir_semilla(semilla)
    if parte == "todo":
        return np.arange(n)
    entrenamiento, reserva = partir(n, fraccion_reserva, semilla, etiquetas)
    return entrenamiento if parte == "entrenamiento" else reserva


def imagenes_digitos(tamano=16, parte="entrenamiento", semilla=0):
    """Dígitos manuscritos de scikit-learn, sin descargas.

    Devuelve ``(imagenes, etiquetas)``: ``imagenes`` float32 de forma ``(n, tamano, tamano, 1)`` en
    [-1, 1] (fondo = -1, trazo = 1) y ``etiquetas`` int de 0 a 9.

    ``parte``: ``'entrenamiento'`` (75 %, para la GAN), ``'reserva'`` (25 %, estratificado, para el
    clasificador que mide la calidad) o ``'todo'``. La partición es siempre la misma para una ``semilla``.

    Los originales miden 8×8 y el trazo toca los bordes; como en MNIST, el dígito se amplía al 75 %
    central y se deja un margen de fondo alrededor. Por defecto se usa 16×16: basta para ver trazos
    suaves y entrena en pocos minutos de CPU (32×32 no añade información y tiene cuatro veces más píxeles).
    """
    from sklearn.datasets import load_digits

    _comprobar_lado(tamano)
    digitos = load_digits()
    indices = indices_de_parte(len(digitos.target), parte, semilla, etiquetas=digitos.target)
    imagenes = a_rango_simetrico(digitos.images[indices, :, :, None], maximo=16.0)
    return redimensionar(imagenes, tamano, margen=tamano // 8), digitos.target[indices]


def imagenes_mnist(conjunto="mnist", tamano=28):
    """MNIST o Fashion-MNIST (60.000 imágenes de entrenamiento) descargados con ``keras.datasets``.

    Devuelve ``(imagenes, etiquetas)`` como ``imagenes_digitos``. Necesita conexión a internet la
    primera vez; sin ella lanza ``ConnectionError`` con la alternativa sin red.
    """
    import keras

    _comprobar_lado(tamano)  # antes de descargar nada
    modulos = {"mnist": keras.datasets.mnist, "fashion_mnist": keras.datasets.fashion_mnist}
    if conjunto not in modulos:
        raise ValueError(f"conjunto={conjunto!r} no es válido: usa 'mnist' o 'fashion_mnist'.")
    try:
        (imagenes, etiquetas), _ = modulos[conjunto].load_data()
    except Exception as error:
        raise ConnectionError(
            f"No se pudo descargar {conjunto}: {motivo_descarga(error)}. Sin conexión, usa los "
            "dígitos incluidos: helpers.imagenes_digitos(), o helpers.cargar_imagenes('digitos')."
        ) from None
    imagenes = a_rango_simetrico(imagenes[..., None], maximo=255.0)
    return redimensionar(imagenes, tamano), etiquetas


def imagenes_rostros(tamano=32, parte="entrenamiento", espejo=True, semilla=0):
    """Los 100 rostros de ``skimage.data.lfw_subset()`` (25×25, gris, sin descargas) a ``tamano`` px.

    Devuelve float32 ``(n, tamano, tamano, 1)`` en [-1, 1]. ``parte``: ``'entrenamiento'`` (75 rostros),
    ``'reserva'`` (25, para medir la calidad) o ``'todo'``. Con ``espejo`` se añade la imagen
    reflejada de cada rostro de entrenamiento: una cara invertida sigue siendo una cara, y con tan
    pocos datos duplicarlos así ayuda mucho al discriminador a no memorizar.
    Son pocos rostros a propósito: muestran lo que pasa con conjuntos pequeños, como el tuyo.
    """
    from skimage.data import lfw_subset

    exigir_booleano("espejo", espejo)
    rostros = lfw_subset()[:100, :, :, None]  # los 100 primeros son rostros; los otros 100, no
    imagenes = redimensionar(a_rango_simetrico(rostros[indices_de_parte(100, parte, semilla)], maximo=1.0), tamano)
    if espejo and parte == "entrenamiento":
        imagenes = np.concatenate([imagenes, imagenes[:, :, ::-1]])
    return imagenes


def imagenes_lfw(tamano=64, color=True, minimo_por_persona=0):
    """LFW (13.233 rostros) descargado con ``sklearn.datasets.fetch_lfw_people`` (requiere red).

    Se recorta un cuadrado de 110×110 px centrado en la cara y se reduce a ``tamano``; float32
    ``(n, tamano, tamano, 3 o 1)`` en [-1, 1]. Sin conexión lanza ``ConnectionError`` con la
    alternativa sin red.
    """
    from sklearn.datasets import fetch_lfw_people

    _comprobar_lado(tamano)  # antes de descargar 200 MB
    exigir_booleano("color", color)
    exigir_enteros(("minimo_por_persona", minimo_por_persona, 0))
    try:
        with warnings.catch_warnings():  # sus reintentos avisan en inglés; el resultado se explica abajo
            warnings.filterwarnings("ignore", message="Retry downloading")
            lfw = fetch_lfw_people(
                color=color, resize=1.0, min_faces_per_person=minimo_por_persona, slice_=(slice(77, 187), slice(70, 180))
            )
    except Exception as error:
        if isinstance(error, ValueError) and "too restrictive" in str(error):  # se descargó, pero nadie tiene tantas
            raise ValueError(f"minimo_por_persona={minimo_por_persona}: nadie en LFW tiene tantas fotos (quien más, 530): "
                             "usa un número menor, p. ej. 20 o 70, o 0 para todas.") from None
        raise ConnectionError(
            f"No se pudo descargar LFW: {motivo_descarga(error)}. Sin conexión, usa los rostros "
            "incluidos: helpers.imagenes_rostros(), o helpers.cargar_imagenes('rostros')."
        ) from None
    imagenes = lfw.images if color else lfw.images[..., None]
    return redimensionar(a_rango_simetrico(imagenes, maximo=1.0 if imagenes.max() <= 1.0 else 255.0), tamano)


def a_dataset(imagenes, lote=64, semilla=0, *, etiquetas=None):
    """``tf.data.Dataset`` barajado en cada época, en lotes completos de ``lote`` y con precarga.

    El orden de cada época depende solo de ``semilla`` y del número de la época: cada vez que se recorre (cada
    época de ``fit``) da la siguiente, y ``entrenar``, al reanudar en la época k, hace que dé la k, como sin
    cortes (``empezar_en_epoca``).

    Se descartan las imágenes del último lote incompleto (todas las épocas ven lotes del mismo
    tamaño, lo que evita recompilar y estabiliza la normalización por lotes). En modo rápido se usan
    como mucho 512 imágenes, repartidas a intervalos iguales por todo el conjunto (no las primeras: de
    unas ordenadas por clase quedan todas las clases), siempre las mismas y cada una con su etiqueta.
    Con ``etiquetas`` (una por imagen, ya comprobadas: ver ``condicional.a_dataset_condicional``) cada
    lote es la pareja ``(imágenes, etiquetas)``.
    """
    _exigir_lote(lote)
    semilla = exigir_semilla(semilla, none_es_azar=True)  # None: otro orden en cada ejecución
    imagenes = imagenes_para_gan(imagenes)
    if etiquetas is not None and len(etiquetas) != len(imagenes):
        raise ValueError(f"Hay {len(imagenes)} imágenes y {len(etiquetas)} etiquetas: debe haber una etiqueta por "
                         "imagen, en el mismo orden.")
    return _por_lotes(imagenes, lote, semilla, etiquetas)


def a_dataset_uint8(imagenes, lote=64, semilla=0, *, lotes_por_epoca=None):
    """Como ``a_dataset``, para imágenes uint8 ``(n, alto, ancho, canales)`` en [0, 255]: se quedan así en memoria
    (la cuarta parte que en float32) y cada lote sale en float32 en [-1, 1], como ``a_rango_simetrico(lote, 255)``.
    Es lo que usa ``entrenar_carpeta``: así caben colecciones de cientos de miles de fotos. Con ``lotes_por_epoca``,
    cada época da esos lotes y la siguiente sigue donde acabó, aunque sea a mitad de una pasada por las imágenes
    (con una colección grande, una época es solo una parte)."""
    _exigir_lote(lote)
    if lotes_por_epoca is not None:
        exigir_enteros(("lotes_por_epoca", lotes_por_epoca, 1))
    imagenes = np.asarray(imagenes)
    # Vacía, antes que el tipo: una lista vacía llega como float64 y no es que sean imágenes en [-1, 1].
    _exigir_alguna(imagenes.shape, "a_dataset_uint8")
    if imagenes.dtype != np.uint8:
        raise ValueError(f"a_dataset_uint8 recibe imágenes uint8 en [0, 255] y le llegó una matriz {imagenes.dtype}: para "
                         "imágenes en [-1, 1], usa a_dataset.")
    _exigir_forma(imagenes.shape, "a_dataset_uint8")
    return _por_lotes(imagenes, lote, exigir_semilla(semilla, none_es_azar=True), lotes_por_epoca=lotes_por_epoca)


def _exigir_lote(lote):
    if not es_entero(lote, 1):
        raise ValueError(f"lote={lote!r} no es válido: debe ser un entero positivo (imágenes por paso; p. ej. 32 o 64).")


def _por_lotes(imagenes, lote, semilla, etiquetas=None, lotes_por_epoca=None):
    """El ``tf.data.Dataset`` de ``a_dataset`` (y de ``a_dataset_uint8``, que pasa cada lote a [-1, 1]), ya apuntado
    entre los comprobados (``fit`` no vuelve a mirar su primer lote).

    Cada lote se toma de la matriz de NumPy con unos índices: ni ``from_tensor_slices`` ni un ``shuffle`` de las
    imágenes, que guardarían cada uno otra copia de toda la colección. Los lotes forman una secuencia sin fin en la
    que cada pasada por las imágenes es una permutación que depende solo de ``semilla`` y del número de la pasada
    (``index_shuffle``), y cada recorrido del conjunto (cada época de ``fit``) da los ``lotes_por_epoca`` siguientes
    (por defecto, una pasada). Qué época da el próximo recorrido lo fija ``empezar_en_epoca``: así un entrenamiento
    reanudado en la época k ve los mismos lotes que uno sin cortes."""
    import tensorflow as tf

    usadas = repartidos(len(imagenes), IMAGENES_RAPIDAS, "imágenes")
    if len(usadas) < len(imagenes):  # si son todas, sin copiarlas
        imagenes, etiquetas = imagenes[usadas], None if etiquetas is None else np.asarray(etiquetas)[usadas]
    if lote > len(imagenes):
        print(f"Aviso: lote={lote} es mayor que el número de imágenes ({len(imagenes)}); uso lote={len(imagenes)}.")
        lote = len(imagenes)
    forma, etiquetas = (lote, *imagenes.shape[1:]), None if etiquetas is None else np.asarray(etiquetas)
    uint8 = imagenes.dtype == np.uint8
    semilla = np.random.default_rng().integers(2**31) if semilla is None else semilla
    por_pasada = len(imagenes) // lote  # lotes completos: las que sobran cambian en cada pasada
    por_epoca = lotes_por_epoca or por_pasada
    with tf.init_scope(), tf.device("/CPU:0"):  # tf.data la lee en la CPU, también con una GPU
        epoca = tf.Variable(0, dtype=tf.int64, trainable=False)

    def numeros(primera, epocas):  # los de los lotes de esas épocas
        return tf.data.Dataset.range(primera * por_epoca, (primera + epocas) * por_epoca)

    def lotes_de_la_epoca(_):
        return numeros(epoca.assign_add(1) - 1, 1)

    def tomar(numero):  # el número del lote en la secuencia de todas las pasadas
        pasada, posicion = numero // por_pasada, numero % por_pasada
        # index_shuffle solo usa unos pocos bits de cada número de su semilla (8 con menos de 65.536 imágenes): con
        # (semilla, pasada) tal cual, la pasada 256 repetiría el orden de la 0 y la semilla 256 el de la 0. Se le da
        # una semilla sorteada a partir de las dos.
        clave = tf.random.stateless_uniform([2], tf.stack([tf.constant(semilla, tf.int64), pasada]), minval=None,
                                            maxval=None, dtype=tf.int64)
        indices = tf.random.experimental.index_shuffle(posicion * lote + tf.range(lote, dtype=tf.int64), clave,
                                                       len(imagenes) - 1)
        lote_imagenes = tf.numpy_function(lambda i: imagenes[i], [indices], tf.as_dtype(imagenes.dtype), stateful=False)
        lote_imagenes = tf.ensure_shape(lote_imagenes, forma)
        if uint8:
            lote_imagenes = tf.cast(lote_imagenes, tf.float32) / (255 / 2.0) - 1.0
        if etiquetas is None:
            return lote_imagenes
        return lote_imagenes, tf.gather(etiquetas, indices)

    def epocas_desde(primera, epocas):
        return numeros(primera, epocas).map(tomar).prefetch(tf.data.AUTOTUNE)

    datos = (
        tf.data.Dataset.range(1)
        .flat_map(lotes_de_la_epoca)
        .apply(tf.data.experimental.assert_cardinality(por_epoca))
        .map(tomar)
        .prefetch(tf.data.AUTOTUNE)
    )
    _COMPROBADOS.add(datos)
    _EPOCA_SIGUIENTE[datos] = epoca
    _EPOCAS_DESDE[datos] = epocas_desde
    return datos


def de_a_dataset(datos):
    """``True`` si ``datos`` es un conjunto de ``a_dataset`` o ``a_dataset_uint8`` (o de ``mapear_lotes`` sobre uno)."""
    return hasattr(datos, "element_spec") and datos in _EPOCA_SIGUIENTE


def empezar_en_epoca(datos, epoca):
    """Hace que el próximo recorrido de ``datos``, si es de ``a_dataset`` o ``a_dataset_uint8``, dé los lotes de la
    época ``epoca`` (0, la primera); los que siguen, los de las siguientes. Con otros datos no hace nada.
    ``entrenar`` la llama al empezar y al reanudar."""
    if de_a_dataset(datos):
        _EPOCA_SIGUIENTE[datos].assign(epoca)


def epoca_siguiente(datos):
    """La época que dará el próximo recorrido de ``datos`` si es de ``a_dataset`` o ``a_dataset_uint8`` (0, la
    primera); con otros datos, ``None``."""
    return int(_EPOCA_SIGUIENTE[datos].numpy()) if de_a_dataset(datos) else None


def epocas_seguidas(datos, epocas):
    """``(conjunto, primera)``: las ``epocas`` épocas de ``datos`` desde la que daría su próximo recorrido
    (``primera``) en un solo conjunto, con los mismos lotes que esos recorridos uno tras otro, si es de
    ``a_dataset`` o ``a_dataset_uint8`` (si no, ``None``). ``fit`` lo usa para crear un solo iterador en lugar de
    uno por época (benchmarks/epocas_cortas.py). Las épocas quedan fijas al crearlo y no avanzan la de ``datos``:
    la precarga lee por adelantado, y a veces lotes de épocas que no se llegan a entrenar (al parar antes, o un
    iterador que Keras tira); quien lo usa lleva la cuenta con ``empezar_en_epoca``."""
    if (primera := epoca_siguiente(datos)) is None:
        return None
    seguidas = _EPOCAS_DESDE[datos](primera, epocas)
    _COMPROBADOS.add(seguidas)
    return seguidas, primera


def mapear_lotes(datos, funcion):
    """``datos.map(funcion)`` con precarga, para una ``funcion`` que no cambia las imágenes (p. ej. una que comprueba las
    etiquetas de cada lote). Si ``datos`` es de ``a_dataset``, el resultado también cuenta como tal para ``fit``,
    ``empezar_en_epoca`` y ``epocas_seguidas``: comparte con ``datos`` la época siguiente, y sus épocas seguidas son
    las de ``datos`` pasadas por ``funcion``."""
    import tensorflow as tf

    def mapear(conjunto):
        return conjunto.map(funcion).prefetch(tf.data.AUTOTUNE)

    mapeado = mapear(datos)
    if datos in _COMPROBADOS:
        _COMPROBADOS.add(mapeado)
    if de_a_dataset(datos):
        epocas_desde = _EPOCAS_DESDE[datos]
        _EPOCA_SIGUIENTE[mapeado] = _EPOCA_SIGUIENTE[datos]
        _EPOCAS_DESDE[mapeado] = lambda primera, epocas: mapear(epocas_desde(primera, epocas))
    return mapeado


def primer_lote(datos):
    """El primer lote del próximo recorrido de ``datos`` (``None`` si no hay ninguno), sin que cuente como un recorrido:
    con los de ``a_dataset``, la época siguiente no avanza."""
    if (seguidas := epocas_seguidas(datos, 1)) is not None:
        datos = seguidas[0]
    return next(iter(datos.take(1)), None)


def comprobar_dataset_gan(datos):
    """``ValueError`` en español si el primer lote de ``datos`` (un ``tf.data.Dataset`` de imágenes, o de
    pares ``(imágenes, etiquetas)``, de los que la GAN toma las imágenes) no está en [-1, 1] o no hay
    ninguno. Cada conjunto se comprueba una vez."""
    if datos in _COMPROBADOS or isinstance(datos.element_spec, dict):  # un diccionario: no se sabe cuáles son
        return
    if (lote := primer_lote(datos)) is None:
        raise ValueError("No hay imágenes: el conjunto de datos está vacío.")
    if isinstance(lote, tuple):
        _comprobar_rango(np.asarray(lote[0]), "conviértelas con datos.map(lambda imagenes, etiquetas: "
                                              "(imagenes / 127.5 - 1, etiquetas))")
    else:
        _comprobar_rango(np.asarray(lote), "conviértelas con datos.map(lambda imagenes: imagenes / 127.5 - 1)")
    _COMPROBADOS.add(datos)


def imagenes_para_gan(imagenes, funcion="a_dataset"):
    """``imagenes`` (una muestra por fila) como matriz float32 en [-1, 1], o ``ValueError`` en español
    que dice qué le pasa y cómo arreglarlo (``funcion``: quién las recibe, para el mensaje). Sin esto,
    unas imágenes en [0, 255] entrenarían sin avisar y sin aprender nada."""
    if hasattr(imagenes, "element_spec"):
        raise ValueError(f"{funcion} recibe una matriz de imágenes y le llegó un tf.data.Dataset, que ya está listo: "
                         "pásalo directamente a fit (con sus lotes hechos).")
    if isinstance(imagenes, tuple):
        raise ValueError(
            f"{funcion} recibe las imágenes solas y le llegó una tupla: imagenes_digitos() y parecidas devuelven "
            "(imágenes, etiquetas). Sepáralas antes: imagenes, etiquetas = helpers.imagenes_digitos()."
        )
    try:
        imagenes = np.asarray(imagenes, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError(
            "Las imágenes no forman una sola matriz de números: tienen tamaños distintos o no son números. "
            "Cárgalas con helpers.imagenes_carpeta(carpeta, tamano), que las deja todas iguales."
        ) from None
    _exigir_alguna(imagenes.shape, funcion)
    _exigir_forma(imagenes.shape, funcion)
    _comprobar_rango(imagenes, "conviértelas con imagenes / 127.5 - 1; si solo se salen un poco, recórtalas con "
                                  "np.clip(imagenes, -1, 1)")
    return imagenes


def _exigir_alguna(forma, funcion):
    """``ValueError`` en español si ``forma`` es la de una matriz sin imágenes para ``funcion`` (p. ej. una carpeta
    filtrada de más o una lista vacía): si no, «uso lote=0» y un error de TensorFlow al hacer lotes de cero."""
    if len(forma) and forma[0] == 0:
        raise ValueError(f"No hay imágenes: {funcion} recibió una matriz vacía, de forma {tuple(forma)}.")


def _exigir_forma(forma, funcion):
    """``ValueError`` en español si ``forma`` no es la de unas imágenes apiladas ``(n, alto, ancho, canales)``
    para ``funcion``: sin cuatro ejes, o con un alto, un ancho o unos canales de 0 (NumPy fallaría después en
    inglés, al buscar el mínimo de una matriz vacía)."""
    if len(forma) != 4:
        raise ValueError(_motivo_forma(forma, funcion))
    if 0 in forma[1:]:
        raise ValueError(f"{funcion} recibe imágenes de forma (n, alto, ancho, canales) y le llegaron de forma "
                         f"{tuple(forma)}: el alto, el ancho y los canales deben ser mayores que 0 (¿un recorte que "
                         "quedó fuera de la imagen?).")


def _motivo_forma(forma, funcion):
    """Por qué una matriz de forma ``forma`` (que no tiene cuatro ejes) no son imágenes para ``funcion``."""
    espera = f"{funcion} recibe imágenes apiladas, de forma (n, alto, ancho, canales)"
    if len(forma) == 3 and forma[-1] in (1, 3, 4):
        return (f"{espera}, y le llegó una sola imagen, de forma {tuple(forma)}: una GAN aprende de cientos. "
                "Si de verdad quieres un lote de una imagen, usa imagen[None].")
    if len(forma) == 3:
        return (f"{espera}, y le llegaron de forma {tuple(forma)}, sin el eje de los canales: añádelo con "
                "imagenes[..., None] (1 canal, en gris).")
    return f"{espera}, y le llegó una matriz de forma {tuple(forma)}."


def _comprobar_rango(imagenes, como_arreglarlo):
    """``ValueError`` en español si ``imagenes`` (una matriz o un lote) no son finitas o no están en [-1, 1];
    ``como_arreglarlo`` completa «Si están en [0, 255], …»."""
    minimo, maximo = float(np.min(imagenes)), float(np.max(imagenes))  # un NaN o un infinito llega a uno de los dos
    if not np.isfinite([minimo, maximo]).all():  # «van de nan a nan» y el consejo de [0, 255] no dirían nada
        # Solo entonces se cuentan: la máscara ocuparía una cuarta parte de todo el conjunto en float32.
        malos = np.size(imagenes) - np.count_nonzero(np.isfinite(imagenes))
        raise ValueError(f"{miles(malos)} de los {miles(np.size(imagenes))} valores de las imágenes "
                         f"{'es NaN o infinito' if malos == 1 else 'son NaN o infinitos'}: revisa cómo las cargaste o calculaste (p. ej. una "
                         "división entre 0 al normalizarlas) y quítalos antes de entrenar.")
    if not (-LIMITE_RANGO <= minimo and maximo <= LIMITE_RANGO):
        raise ValueError(
            f"Las imágenes van de {cifra(minimo, significativas=4)} a {cifra(maximo, significativas=4)} "
            f"y la GAN las espera en [-1, 1], como las de helpers.cargar_imagenes. Si están en [0, 255], {como_arreglarlo}."
        )
    # En [0, 1] casi siempre hay algo negro (0); en [-1, 1], una colección muy clara puede no bajar de 0.
    if 0 <= minimo < 0.05 and maximo > 0.5:
        warnings.warn(f"Las imágenes van de {cifra(minimo, significativas=3)} a {cifra(maximo, significativas=3)}, sin "
                      "ningún valor negativo: ¿están en [0, 1] (divididas entre 255)? La GAN las espera en [-1, 1], "
                      "como las que genera: si es así, pásalas con x * 2 - 1 (desde [0, 255], x / 127.5 - 1).",
                      stacklevel=2)
