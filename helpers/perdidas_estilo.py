"""Las piezas de la pérdida de la transferencia de estilo: la red que mira las imágenes y lo que se compara.

- ``extractor_estilo`` (con ``elegir_red`` y ``CAPAS``): un modelo que describe cada imagen con los
  mapas de características de unas capas de VGG19 o de SqueezeNet (entra RGB en [0, 255]).
- ``matriz_gram``: cuánto se activan juntos los canales de un mapa, sin importar dónde (el estilo).
- ``perdida_contenido``, ``perdida_estilo`` y ``perdida_variacion``, y ``crear_perdida``, que las
  suma con sus pesos en la función que optimiza ``estilo.transferir_estilo``.

Todo se usa como ``estilo.<nombre>``: ``helpers.estilo`` lo importa de aquí.
"""

import functools
import math
import warnings

import keras
import numpy as np
import tensorflow as tf

from .entorno import capacidad_gpu, modo_rapido
from .errores import motivo_descarga
from .squeezenet import construir_squeezenet, preprocesar_squeezenet
from .textos import contar

# Capas por defecto. VGG19: el estilo en las de Gatys et al. (conv1_1…conv5_1) y el contenido en
# block5_conv2, como el tutorial de TensorFlow (Gatys et al. usan conv4_2, más fiel a la foto).
# SqueezeNet: fire5 conserva la forma de los objetos sin fijar cada píxel (fire7 y fire9 ya la
# pierden) y conv1…fire7 cubren desde el color y el trazo fino hasta motivos de unos 60 px; fire8 y
# fire9 solo añadían manchas sin mejorar el estilo.
CAPAS = {
    "vgg19": {"contenido": ["block5_conv2"], "estilo": [f"block{i}_conv1" for i in range(1, 6)]},
    "squeezenet": {"contenido": ["fire5"], "estilo": ["conv1", "fire2", "fire3", "fire5", "fire7"]},
}


# --- Extractor de características -----------------------------------------------------------------


def elegir_red(red="auto"):
    """``(nombre, motivo)`` de la red que usará la transferencia de estilo, sin construirla.

    ``"auto"`` elige VGG19 (la de Gatys et al.) solo si hay GPU y no se está en modo rápido: en CPU
    cuesta unas 90 veces más cálculo por iteración que SqueezeNet, que viene con el curso
    (``benchmarks/cifras_del_codigo.py`` las cuenta). Si aun así
    sus pesos no se pueden descargar, ``extractor_estilo`` avisa y usa SqueezeNet. ``motivo`` es una
    frase en español para enseñarla al estudiante.
    """
    if red not in ("auto", "vgg19", "squeezenet"):
        raise ValueError(f"red={red!r} no existe: usa \"auto\", \"vgg19\" o \"squeezenet\".")
    if red != "auto":
        return red, f"la pediste con red=\"{red}\""
    if modo_rapido():
        return "squeezenet", "modo rápido: SqueezeNet, que viene con el curso y no descarga nada"
    if capacidad_gpu() is None:
        return "squeezenet", ("sin GPU: VGG19 haría unas 90 veces más cálculo por iteración; SqueezeNet viene "
                              "con el curso (con GPU, red=\"auto\" elige VGG19)")
    return "vgg19", "hay GPU: VGG19, la red de Gatys et al. (descarga 80 MB la primera vez)"


@functools.lru_cache(maxsize=None)
def _red_base(red):
    """``(nombre, modelo, motivo)`` de la red elegida por ``elegir_red`` (VGG19 o SqueezeNet)."""
    nombre, motivo = elegir_red(red)
    if nombre == "vgg19":
        try:
            return "vgg19", keras.applications.VGG19(include_top=False, weights="imagenet"), motivo
        except Exception as error:  # sin conexión la descarga falla con errores de varios tipos
            if red == "vgg19":
                raise RuntimeError(
                    f"No se pudieron descargar los pesos de VGG19: {motivo_descarga(error)}. "
                    "Sin conexión usa red=\"squeezenet\", que viene con el curso."
                ) from error
            motivo = "no se pudieron descargar los pesos de VGG19 (¿sin conexión?): SqueezeNet, que viene con el curso"
            warnings.warn(f"{motivo[0].upper()}{motivo[1:]}. Con conexión, prueba red=\"vgg19\".", stacklevel=3)
    return "squeezenet", construir_squeezenet(incluir_clasificador=False), motivo


def extractor_estilo(red="auto", capas_contenido=None, capas_estilo=None):
    """Modelo que describe imágenes con los mapas de las capas elegidas de una red de ImageNet.

    ``red``: ``"vgg19"`` (descarga 80 MB la primera vez), ``"squeezenet"`` (5 MB, viene con el curso)
    o ``"auto"`` (ver ``elegir_red``). Sin capas, las de ``CAPAS``. El modelo recibe imágenes RGB en
    [0, 255] ``(n, alto, ancho, 3)`` (se preprocesan dentro) y devuelve, siempre en float32 aunque la
    política global sea de precisión mixta, ``{"contenido": [mapas…], "estilo": [mapas…]}``, un mapa
    ``(n, alto_capa, ancho_capa, canales)`` por capa. Sus atributos ``red``, ``motivo`` (por qué esa
    red), ``capas_contenido`` y ``capas_estilo`` dicen qué se usó, y ``lado_minimo``, los px que necesita
    como poco el lado menor de la imagen. (No confundir con
    ``fid_kid.modelo_caracteristicas``, que resume cada imagen en un vector para FID y KID.) Con los
    mismos argumentos devuelve el mismo modelo: así ``transferir_estilo`` reutiliza de una llamada a
    otra su gradiente ya trazado (``olvidar_redes`` libera todo lo guardado).
    """
    # En float32 aunque la política global sea de precisión mixta: las matrices de Gram suman miles de
    # productos que en float16 se desbordan, y L-BFGS compara valores de la pérdida muy próximos.
    politica = keras.config.dtype_policy()
    keras.config.set_dtype_policy("float32")
    try:
        nombre, base, motivo = _red_base(red)
        capas_contenido = _capas("capas_contenido", CAPAS[nombre]["contenido"] if capas_contenido is None
                                 else capas_contenido)
        capas_estilo = _capas("capas_estilo", CAPAS[nombre]["estilo"] if capas_estilo is None else capas_estilo)
        if not capas_contenido and not capas_estilo:  # Keras diría «`outputs` argument cannot be empty»
            raise ValueError("capas_contenido y capas_estilo están vacías: indica al menos una capa, p. ej. "
                             f"capas_contenido=[\"{CAPAS[nombre]['contenido'][0]}\"], o None para las de por defecto.")
        disponibles = [capa.name for capa in base.layers[1:]]
        for capa in capas_contenido + capas_estilo:
            if capa not in disponibles:  # p. ej. «fire5» de la lección con la VGG19 que red="auto" elige con GPU
                otra = next((r for r, capas in CAPAS.items() if capa in capas["contenido"] + capas["estilo"]), None)
                pista = f" Es una capa de {otra}: pide red=\"{otra}\" o usa una de {nombre}." if otra else ""
                raise ValueError(f"La capa «{capa}» no está en {nombre}.{pista} Capas disponibles: "
                                 f"{', '.join(disponibles)}.")
        extractor = _envolver(nombre, base, capas_contenido, capas_estilo)
    finally:
        keras.config.set_dtype_policy(politica)
    extractor.red, extractor.motivo = nombre, motivo
    extractor.capas_contenido, extractor.capas_estilo = list(capas_contenido), list(capas_estilo)
    return extractor


def _capas(parametro, capas):
    """Una lista de nombres de capa como tupla; un nombre solo («fire2») es una lista de una capa. Si no son
    nombres, ``ValueError`` en español con el ``parametro`` que los trajo."""
    if isinstance(capas, str):
        return (capas,)
    if np.iterable(capas) and not isinstance(capas, (bytes, dict)):
        nombres = tuple(capas)
        if all(isinstance(capa, str) for capa in nombres):
            return nombres
    raise ValueError(f"{parametro}={capas!r} no es válido: indica el nombre de una capa (\"fire2\") o una lista de "
                     "nombres ([\"conv1\", \"fire2\"]); las que usa cada red por defecto están en estilo.CAPAS.")


@functools.lru_cache(maxsize=8)
def _envolver(nombre, base, capas_contenido, capas_estilo):
    """Modelo RGB [0, 255] → ``{"contenido": [...], "estilo": [...]}`` sobre las capas de ``base``."""
    entrada = keras.Input((None, None, 3), name="imagen_rgb")
    x = preprocesar_squeezenet(entrada)  # VGG19 de Keras espera la misma entrada al estilo Caffe
    capas = dict.fromkeys(capas_contenido + capas_estilo)
    mapas = keras.Model(base.input, {capa: base.get_layer(capa).output for capa in capas})(x)
    extractor = _Extractor(
        entrada,
        {"contenido": [mapas[c] for c in capas_contenido], "estilo": [mapas[c] for c in capas_estilo]},
        name=f"extractor_estilo_{nombre}",
    )
    extractor.lado_minimo = _lado_minimo(extractor)
    return extractor


def _lado_minimo(modelo):
    """El lado menor más pequeño (px) con el que ninguna capa de ``modelo`` se queda sin píxeles.

    Cada agrupamiento sin relleno necesita al menos su ventana (3×3 en SqueezeNet, 2×2 en VGG19), así
    que depende de la capa más profunda: 31 px para SqueezeNet y 16 para VGG19 con las capas por
    defecto. Se busca con formas simbólicas, sin calcular nada; por debajo, TensorFlow falla en inglés
    o tumba el proceso (SIGFPE).
    """
    for lado in range(1, 1025):
        try:
            formas = modelo.compute_output_shape((1, lado, lado, 3))
        except ValueError:  # «Computed output size would be zero or negative»
            continue
        if all(dimension is None or dimension > 0 for dimension in keras.tree.flatten(formas)):
            return lado  # Keras 3.13 con TensorFlow 2.16 no falla: da una salida de 0 px
    return 1  # una red que no lo dice con ninguna forma: que decida Keras al llamarla


class _Extractor(keras.Model):
    """El modelo de ``extractor_estilo``; explica en español una imagen sin el eje del lote, sin sus tres
    canales o más pequeña que ``lado_minimo`` (Keras respondería en inglés, con la imagen entera impresa,
    o el proceso moriría), y acepta una lista de imágenes del mismo tamaño como lote."""

    def __call__(self, imagenes, *args, **kwargs):
        if isinstance(imagenes, (list, tuple)):  # Keras esperaría una estructura de entradas, no un lote
            if len(imagenes) == 1 and len(getattr(imagenes[0], "shape", ())) == 4:  # [lote]: ya es un lote
                imagenes = imagenes[0]
            else:
                try:  # con tf.stack, no NumPy: la cinta de gradientes sigue viendo cada imagen
                    imagenes = tf.stack([tf.cast(imagen, tf.float32) for imagen in imagenes])
                except (ValueError, tf.errors.InvalidArgumentError):
                    raise ValueError("Las imágenes de la lista no tienen todas la misma forma: cárgalas al mismo "
                                     "tamaño o pásalas al extractor de una en una (imagen[None]).") from None
        try:
            forma = tuple(imagenes.shape)
        except (AttributeError, ValueError):  # algo que no es una matriz, o de rango desconocido: lo decide Keras
            return super().__call__(imagenes, *args, **kwargs)
        if len(forma) == 3 and forma[-1] == 3:
            raise ValueError(f"El extractor recibe un lote de imágenes (n, alto, ancho, 3) y le llegó una sola, de "
                             f"forma {forma}: pásala como lote de una, extractor(imagen[None]).")
        if len(forma) != 4 or forma[-1] not in (3, None):
            raise ValueError(f"El extractor recibe imágenes RGB de forma (n, alto, ancho, 3) y le llegaron de forma "
                             f"{forma}: carga cada imagen con estilo.cargar_imagen, que la deja en RGB, y pásalas "
                             "como lote (imagen[None] para una).")
        alto, ancho = forma[1:3]
        if alto is not None and ancho is not None and min(alto, ancho) < self.lado_minimo:
            # El lado_maximo con el que cargar_imagen deja el lado menor en lado_minimo (ver imagenes_estilo._cargar).
            lado_maximo = math.ceil(self.lado_minimo * max(alto, ancho) / min(alto, ancho))
            raise ValueError(
                f"La imagen mide {ancho}×{alto} px y la red ({self.red}) necesita al menos {self.lado_minimo} px en "
                f"el lado menor: amplíala con cargar_imagen(ruta, lado_maximo={lado_maximo}) o usa transferir_estilo, "
                "que lo hace sola.")
        return super().__call__(imagenes, *args, **kwargs)


# --- Pérdidas -------------------------------------------------------------------------------------


def matriz_gram(caracteristicas):
    """Matriz de Gram: ``(n, alto, ancho, canales)`` → ``(n, canales, canales)``.

    El elemento ``[c, d]`` es la media, sobre las ``alto·ancho`` posiciones, del producto de los canales
    ``c`` y ``d``: cuánto se activan juntos, sin importar dónde. Se calcula en float32 aunque los mapas
    lleguen en float16 (precisión mixta), porque la suma de miles de productos desbordaría float16.
    """
    # Lo que no son los mapas de una capa: TensorFlow fallaría en inglés al convertirlo.
    if caracteristicas is None:
        motivo = "None (¿falta el return en la función que calcula los mapas?)"
    elif isinstance(caracteristicas, dict):
        motivo = (f"un diccionario (claves: {', '.join(map(str, caracteristicas))}), el que da el extractor: calcula una "
                  "Gram por capa de estilo, [estilo.matriz_gram(m) for m in mapas[\"estilo\"]]")
    elif (isinstance(caracteristicas, (list, tuple)) and caracteristicas
          and all(len(getattr(m, "shape", ())) == 4 for m in caracteristicas)):
        motivo = (f"una lista de {contar(len(caracteristicas), 'mapa', 'mapas')} (uno por capa): calcula una Gram por "
                  "capa, [estilo.matriz_gram(m) for m in mapas]")
    else:
        motivo = None
    if motivo:
        raise ValueError(f"matriz_gram recibe los mapas de una capa, (n, alto, ancho, canales), y le llegó {motivo}.")
    x = tf.cast(caracteristicas, tf.float32)
    if x.shape.rank is not None and x.shape.rank != 4:  # si no, TensorFlow falla en inglés al cortar tf.shape
        consejo = ("si es el mapa de una sola imagen, pásalo como lote de una, mapa[None]; si ya es una matriz de Gram "
                   "(n, canales, canales), no la vuelvas a calcular" if x.shape.rank == 3
                   else "pasa los mapas de una capa tal como los da el extractor")
        raise ValueError(f"matriz_gram recibe mapas (n, alto, ancho, canales) y le llegó un tensor de forma "
                         f"{tuple(x.shape)}: {consejo}.")
    forma = tf.shape(x)
    return _gram_de_filas(tf.reshape(x, [forma[0], forma[1] * forma[2], forma[3]]))


@tf.custom_gradient
def _gram_de_filas(f):
    """``FᵀF / posiciones`` para ``f`` ``(n, posiciones, canales)``, con un gradiente de un solo producto.

    La derivada automática de ``FᵀF`` hace dos productos de matrices (uno por cada factor) y los suma;
    como los dos factores son el mismo, basta uno: ``F·(dG + dGᵀ) / posiciones`` (la mitad de
    trabajo; medido en ``benchmarks/README.md``).
    """
    posiciones = tf.cast(tf.shape(f)[1], tf.float32)

    def gradiente(d_gram):
        return tf.matmul(f, d_gram + tf.linalg.matrix_transpose(d_gram)) / posiciones

    return tf.matmul(f, f, transpose_a=True) / posiciones, gradiente


def _error_relativo(obtenidos, objetivos):
    """Media sobre capas de ``media((obtenido - objetivo)²) / media(objetivo²)``.

    Dividir por la energía del objetivo pone todas las capas en la misma escala: así cada capa pesa
    lo mismo y los pesos de la pérdida valen igual para VGG19 que para SqueezeNet.
    """
    errores = [
        tf.reduce_mean(tf.square(tf.cast(o, tf.float32) - tf.cast(t, tf.float32)))
        / (tf.reduce_mean(tf.square(tf.cast(t, tf.float32))) + 1e-8)
        for o, t in zip(obtenidos, objetivos, strict=True)
    ]
    return tf.add_n(errores) / len(errores)


def _por_capas(tensores):
    """Lista con una entrada por capa. Un tensor solo es una capa: recorrerlo iría imagen a imagen del
    lote, como si cada una fuera una capa."""
    return list(tensores) if isinstance(tensores, (list, tuple)) else [tensores]


def _comprobar_formas(obtenidos, objetivos, funcion, que="mapas"):
    """``ValueError`` en español si las listas de ``funcion`` no tienen las mismas capas o si los ``que`` (mapas
    o matrices de Gram) de alguna capa no tienen la forma de su objetivo (TensorFlow y ``zip`` lo dirían en
    inglés); se comprueba sin calcular nada, y con formas aún sin fijar pasa."""
    if not len(obtenidos) or not len(objetivos):  # TensorFlow diría en inglés que add_n necesita un tensor
        raise ValueError(f"{funcion} recibió una lista vacía: pasa al menos una capa (los mapas que da el extractor "
                         "y sus objetivos, en el mismo orden).")
    if len(obtenidos) != len(objetivos):
        raise ValueError(f"{funcion} recibió {len(obtenidos)} capas de mapas y {len(objetivos)} objetivos: pasa una "
                         "entrada por capa en las dos listas, en el mismo orden (las del mismo extractor).")
    for capa, (obtenido, objetivo) in enumerate(zip(obtenidos, objetivos)):
        formas = tf.TensorShape(np.shape(obtenido)), tf.TensorShape(np.shape(objetivo))
        try:
            tf.broadcast_static_shape(*formas)  # lo que TensorFlow sabe restar, también con formas sin fijar
            continue
        except ValueError:
            obtenida, esperada = (tuple(forma.as_list()) for forma in formas)
        if len(obtenida) == len(esperada) and obtenida[-1] != esperada[-1]:
            consejo = (f"tienen distinto número de canales ({obtenida[-1]} y {esperada[-1]}): saca los dos de la misma "
                       "capa, con el mismo extractor")
        elif que == "mapas":
            consejo = ("la imagen generada debe medir lo mismo (alto y ancho) que la foto de contenido de la que salen "
                       "los objetivos: redimensiónala antes de pasarla al extractor, p. ej. "
                       "tf.image.resize(imagen, foto.shape[:2])")
        else:
            consejo = "deben tener la misma forma, (n, canales, canales)"
        donde = f" (capa {capa + 1} de {len(objetivos)})" if len(objetivos) > 1 else ""
        raise ValueError(f"{funcion} compara {que} de formas distintas{donde}: {obtenida} los obtenidos y "
                         f"{esperada} los objetivos; {consejo}.")


def perdida_contenido(caracteristicas, objetivos):
    """Pérdida de contenido: error cuadrático relativo entre mapas de características.

    Listas (una entrada por capa) de mapas ``(n, alto, ancho, canales)``, o los mapas de una sola capa
    → escalar float32 ≥ 0; vale 0 si los mapas coinciden y 1 si los obtenidos son todo ceros. Con
    mapas de formas que no casan (p. ej. de imágenes de distinto tamaño), ``ValueError`` en español.
    """
    caracteristicas, objetivos = _por_capas(caracteristicas), _por_capas(objetivos)
    _comprobar_formas(caracteristicas, objetivos, "perdida_contenido")
    return _error_relativo(caracteristicas, objetivos)


def perdida_estilo(caracteristicas, grams_objetivo):
    """Pérdida de estilo: error cuadrático relativo entre matrices de Gram.

    ``caracteristicas``: lista de mapas ``(n, alto, ancho, canales)``; ``grams_objetivo``: lista de
    matrices ``(n, canales, canales)`` del estilo (o el mapa y la Gram de una sola capa). Devuelve un
    escalar float32 ≥ 0. Con listas de distinta longitud o Gram que no casan, ``ValueError`` en español.
    """
    grams_objetivo = _por_capas(grams_objetivo)
    if any(tf.TensorShape(np.shape(gram)).rank == 4 for gram in grams_objetivo):  # TensorFlow fallaría en inglés
        raise ValueError("grams_objetivo trae mapas (n, alto, ancho, canales), no matrices de Gram: calcula antes las "
                         "del estilo, [estilo.matriz_gram(mapa) for mapa in mapas_del_estilo].")
    grams = [matriz_gram(c) for c in _por_capas(caracteristicas)]
    _comprobar_formas(grams, grams_objetivo, "perdida_estilo", que="matrices de Gram")
    return _error_relativo(grams, grams_objetivo)


def perdida_variacion(imagenes):
    """Variación total: media de ``|diferencia|`` entre píxeles vecinos, en vertical más en horizontal (un
    eje sin vecinos, en una imagen de 1 píxel de alto o de ancho, suma 0).

    ``(n, alto, ancho, canales)`` → escalar. Penaliza el ruido de alta frecuencia que la red no ve.
    Se recorta con ``tf.slice`` y no con ``imagenes[:, 1:]``: la derivada de ``tf.slice`` es rellenar
    con ceros, y la del corte con corchetes es más lenta en CPU (ver ``benchmarks/README.md``).
    """
    imagenes = tf.cast(imagenes, tf.float32)
    if imagenes.shape.rank is not None and imagenes.shape.rank != 4:  # si no, TensorFlow falla en inglés en tf.slice
        consejo = ("si es una sola imagen, pásala como lote de una, imagen[None]" if imagenes.shape.rank == 3
                   else "pasa un lote de imágenes")
        raise ValueError(f"perdida_variacion recibe imágenes (n, alto, ancho, canales) y le llegó un tensor de forma "
                         f"{tuple(imagenes.shape)}: {consejo}.")
    alto, ancho = tf.shape(imagenes)[1] - 1, tf.shape(imagenes)[2] - 1
    origen = [0, 0, 0, 0]
    vertical = tf.slice(imagenes, [0, 1, 0, 0], [-1, alto, -1, -1]) - tf.slice(imagenes, origen, [-1, alto, -1, -1])
    horizontal = tf.slice(imagenes, [0, 0, 1, 0], [-1, -1, ancho, -1]) - tf.slice(imagenes, origen, [-1, -1, ancho, -1])
    return _media_absoluta(vertical) + _media_absoluta(horizontal)


def _media_absoluta(diferencias):
    """Media de ``|diferencias|``; 0 si no hay ninguna (una imagen de 1 píxel de alto o de ancho no tiene
    vecinos en ese eje), donde ``tf.reduce_mean`` daría NaN y la optimización llenaría la imagen de NaN."""
    return tf.math.divide_no_nan(tf.reduce_sum(tf.abs(diferencias)), tf.cast(tf.size(diferencias), tf.float32))


def crear_perdida(extractor, contenido, estilo, peso_contenido=1.0, peso_estilo=10.0, peso_variacion=0.1):
    """Función ``perdida(imagen)`` de la transferencia de estilo.

    ``contenido`` y ``estilo``: imágenes RGB en [0, 255] ``(alto, ancho, 3)`` (``estilo=None``: sin
    término de estilo). ``perdida`` recibe ``(1, alto, ancho, 3)`` en [0, 1] y devuelve un diccionario
    de escalares: ``total`` (la suma ponderada) y los términos sin ponderar ``contenido``, ``estilo``
    y ``variacion``.
    """
    if not extractor.capas_contenido:
        raise ValueError("capas_contenido está vacía: la transferencia necesita al menos una capa de contenido "
                         f"(p. ej. [\"{CAPAS[extractor.red]['contenido'][0]}\"]).")
    if estilo is not None and not extractor.capas_estilo:
        raise ValueError("capas_estilo está vacía: sin capas de estilo la pintura no cuenta y saldría la foto. "
                         "Usa al menos una, o estilo=None si de verdad quieres solo el contenido.")
    objetivos = {"contenido": extractor(tf.constant(contenido[None], tf.float32))["contenido"], "estilo": []}
    if estilo is not None:
        objetivos["estilo"] = [matriz_gram(m) for m in extractor(tf.constant(estilo[None], tf.float32))["estilo"]]
    pesos = tf.constant([float(peso) for peso in (peso_contenido, peso_estilo, peso_variacion)])

    def perdida(imagen):
        return _partes_perdida(extractor, imagen, objetivos, pesos)

    # Para optimizadores_estilo._gradiente_compilado, que recibe los objetivos como datos y no los lleva dentro.
    perdida.extractor, perdida.objetivos, perdida.pesos = extractor, objetivos, pesos
    return perdida


def _partes_perdida(extractor, imagen, objetivos, pesos):
    """Las partes de la pérdida de ``crear_perdida`` para ``imagen`` en [0, 1] y unos ``objetivos``."""
    caracteristicas = extractor(imagen * 255.0)
    partes = {
        "contenido": perdida_contenido(caracteristicas["contenido"], objetivos["contenido"]),
        "estilo": perdida_estilo(caracteristicas["estilo"], objetivos["estilo"]) if objetivos["estilo"] else tf.constant(0.0),
        "variacion": perdida_variacion(imagen),
    }
    partes["total"] = pesos[0] * partes["contenido"] + pesos[1] * partes["estilo"] + pesos[2] * partes["variacion"]
    return partes
