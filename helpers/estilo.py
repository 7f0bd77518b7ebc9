"""Transferencia de estilo con matrices de Gram (Gatys, Ecker y Bethge, 2015).

Una red convolucional entrenada en ImageNet describe una imagen en cada capa con mapas de
características. El *contenido* son esos mapas en una capa profunda (qué hay y dónde); el *estilo*
son sus matrices de Gram en varias capas (qué texturas y colores aparecen juntos, sin importar dónde).
Se parte de una imagen y se modifican sus píxeles para que se parezca a la foto en contenido y a la
pintura en estilo.

Convenciones: las imágenes que entran y salen son matrices RGB float32 en [0, 255] de forma
``(alto, ancho, 3)``; dentro de la optimización los píxeles viven en [0, 1].
"""

import functools
import io
import math
import numbers
import reprlib
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path

import keras
import numpy as np
import skimage.color
import tensorflow as tf
from PIL import Image

from .entorno import capacidad_gpu, cifra, es_entero, exigir_booleano, exigir_ruta, limitar, modo_rapido, motivo_descarga
from .graficos import comprobar_extension, guardar_o_mostrar
from .lbfgs import minimizar_lbfgs
from .preparacion import leer_imagen, rgb_de_pil
from .progreso import LineaDeAvance, cifra_metrica, duracion, falta, tiempo_corto
from .squeezenet import construir_squeezenet, preprocesar_squeezenet

# Capas por defecto. VGG19: el estilo en las de Gatys et al. (conv1_1…conv5_1) y el contenido en
# block5_conv2, como el tutorial de TensorFlow (Gatys et al. usan conv4_2, más fiel a la foto).
# SqueezeNet: fire5 conserva la forma de los objetos sin fijar cada píxel (fire7 y fire9 ya la
# pierden) y conv1…fire7 cubren desde el color y el trazo fino hasta motivos de unos 60 px; fire8 y
# fire9 solo añadían manchas sin mejorar el estilo.
CAPAS = {
    "vgg19": {"contenido": ["block5_conv2"], "estilo": [f"block{i}_conv1" for i in range(1, 6)]},
    "squeezenet": {"contenido": ["fire5"], "estilo": ["conv1", "fire2", "fire3", "fire5", "fire7"]},
}

# Obras de dominio público en Wikimedia Commons, para quien tenga conexión: cargar_imagen(url).
PINTURAS_EN_LINEA = {
    "La noche estrellada (Van Gogh, 1889)": "https://upload.wikimedia.org/wikipedia/commons/thumb/e/ea/"
    "Van_Gogh_-_Starry_Night_-_Google_Art_Project.jpg/1280px-Van_Gogh_-_Starry_Night_-_Google_Art_Project.jpg",
    "La gran ola de Kanagawa (Hokusai, 1831)": "https://upload.wikimedia.org/wikipedia/commons/thumb/a/a5/"
    "Tsunami_by_hokusai_19th_century.jpg/1280px-Tsunami_by_hokusai_19th_century.jpg",
    "El grito (Munch, 1893)": "https://upload.wikimedia.org/wikipedia/commons/c/c5/Edvard_Munch%2C_1893%2C_"
    "The_Scream%2C_oil%2C_tempera_and_pastel_on_cardboard%2C_91_x_73_cm%2C_National_Gallery_of_Norway.jpg",
    "Composición VII (Kandinsky, 1913)": "https://upload.wikimedia.org/wikipedia/commons/b/b4/"
    "Vassily_Kandinsky%2C_1913_-_Composition_7.jpg",
}


# --- Imágenes -------------------------------------------------------------------------------------

# El mayor lado_maximo que se acepta (px); con lado_maximo=None no hay límite, solo el aviso de más de
# 1024 px (una foto de móvil mide unos 4000 px de lado). Para el gradiente se guardan las activaciones de todas
# las capas: unos 80 float32 por píxel de la imagen en SqueezeNet y 322 en VGG19 (hasta sus capas por
# defecto). A 4096×4096 px son ya 5 y 22 GB, y el gradiente pide otro tanto: más no cabe en Colab ni en
# la mayoría de las GPU.
LADO_MAXIMO = 4096


def cargar_imagen(fuente, lado_maximo=512):
    """Lee una imagen y la devuelve como matriz RGB float32 en [0, 255], ``(alto, ancho, 3)``.

    ``fuente``: ruta, URL (``http…``), los bytes de un archivo de imagen (p. ej. ``subida["foto.jpg"]``
    tras ``files.upload()`` de Colab) o el archivo abierto en binario, imagen de PIL o matriz NumPy
    (uint8 en [0, 255]; float en [0, 255], o en [0, 1] si no pasa de 1; gris, RGB o RGBA). Los
    archivos, las URL y los bytes se leen con ``preparacion.leer_imagen`` (JPEG, PNG, WebP, BMP o GIF;
    cualquier modo de color; rechaza bombas de descompresión); la transparencia se rellena de blanco.
    Se escala para que el lado mayor mida ``lado_maximo`` píxeles, como mucho ``LADO_MAXIMO``
    (``None`` conserva el tamaño). Si queda de más de 1024 px de lado, avisa: pasarla por la red
    costaría mucha memoria y tiempo.
    """
    if not (lado_maximo is None or es_entero(lado_maximo, 1, LADO_MAXIMO)):
        raise ValueError(f"lado_maximo={lado_maximo!r} no es válido: usa un entero de 1 a {LADO_MAXIMO} (p. ej. 512; "
                         "más no cabría en memoria al pasarla por la red) o None para conservar el tamaño.")
    return _cargar(fuente, lado_maximo, "con lado_maximo=None se queda así", _CONSEJO_LADO)


_CONSEJO_LADO = "Con lado_maximo=768 o 1024 tarda mucho menos y conserva detalle de sobra."
_CONSEJO_DIBUJO = "Para verla sin esperar, cárgala antes más pequeña: cargar_imagen(ruta, 768)."


def _cargar(fuente, lado_maximo, situacion, consejo, nombre="fuente"):
    """``cargar_imagen`` sin comprobar ``lado_maximo``; ``nombre``: el del parámetro de ``fuente``, para los
    mensajes. Si la imagen queda de más de 1024 px de lado, avisa a quien llamó a la función pública que
    usa esto (por eso ``stacklevel=3``): ``situacion`` dice por qué se queda entera con ``lado_maximo=None``
    y ``consejo``, cómo evitarlo desde esa función."""
    imagen = Image.fromarray(_a_rgb_uint8(fuente, nombre))
    ancho, alto = imagen.size
    if lado_maximo:
        factor = lado_maximo / max(imagen.size)
        imagen = imagen.resize((max(1, round(imagen.width * factor)), max(1, round(imagen.height * factor))),
                               Image.LANCZOS)
        situacion = f"con lado_maximo={lado_maximo} queda de {imagen.width}×{imagen.height}"
    if max(imagen.size) > 1024:
        veces = round((max(imagen.size) / 384) ** 2)
        warnings.warn(f"La imagen mide {ancho}×{alto} píxeles y {situacion}: pasarla por la red costará unas {veces} "
                      "veces más tiempo y memoria que a 384 px de lado, y puede agotar la memoria (en Colab, la "
                      f"sesión se reinicia). {consejo}", stacklevel=3)
    return np.asarray(imagen, np.float32)


def _a_rgb_uint8(fuente, nombre="fuente"):
    """Cualquier ``fuente`` aceptada por ``cargar_imagen`` → uint8 ``(alto, ancho, 3)``. ``nombre``: el del
    parámetro, para los mensajes."""
    if isinstance(fuente, Image.Image):
        return rgb_de_pil(fuente)
    if isinstance(fuente, tuple) and len(fuente) == 2 and isinstance(fuente[1], dict):
        raise ValueError("Recibí una pareja (imagen, historial), lo que devuelven transferir_estilo y "
                         "transferencia_interrumpida: sepáralas con «imagen, historial = …» y pasa solo la imagen.")
    if isinstance(fuente, (list, tuple)):
        try:
            fuente = np.asarray(fuente, np.float32)
        except ValueError:
            raise ValueError("La lista no forma una imagen: sus filas tienen longitudes distintas o mezcla "
                             "cosas que no son números. Pasa una matriz (alto, ancho, 3).") from None
    if not isinstance(fuente, (np.ndarray, tf.Tensor)):
        return _leer(fuente, nombre)
    original = valores = np.asarray(fuente)
    if valores.dtype.kind not in "biuf":  # texto, números complejos, objetos: NumPy fallaría en inglés o avisaría
        raise ValueError(f"La imagen es una matriz de tipo {valores.dtype} y se espera una de números reales: uint8 "
                         "en [0, 255], o float en [0, 255] o en [0, 1].")
    if not np.isfinite(valores).all():
        raise ValueError(f"La imagen tiene valores NaN o infinitos ({np.count_nonzero(~np.isfinite(valores))} de "
                         f"{valores.size}): comprueba cómo la calculaste (p. ej. una división por cero).")
    if valores.dtype == np.uint16:  # 16 bits por canal (p. ej. un PNG leído con skimage o imageio)
        valores = valores / 257.0
    elif valores.dtype.kind == "f" and 1 + 0.5 / 255 < valores.max(initial=0) <= 2:
        # Ni [0, 1] ni una foto en [0, 255] (sería casi negra): leerla como [0, 255] la dejaría negra sin avisar.
        raise ValueError(
            f"{nombre} tiene valores de {cifra(original.min(), significativas=6)} a "
            f"{cifra(original.max(), significativas=6)}: parece una imagen en [0, 1] que se pasa un poco (p. ej. tras "
            "redimensionarla con interpolación bicúbica). Recórtala con np.clip(imagen, 0, 1); si está en [0, 255], "
            "es casi negra: comprueba cómo la calculaste."
        )
    elif valores.dtype != np.uint8 and valores.max(initial=0) <= 1 + 0.5 / 255:  # [0, 1], con el margen de abajo
        valores = valores * 255.0
    valores = valores.astype(np.float32)
    # Medio nivel de margen: el redondeo de una cuenta en coma flotante no es un error del estudiante.
    if valores.size and (valores.min() < -0.5 or valores.max() > 255.5):
        raise ValueError(
            f"La imagen tiene valores de {cifra(original.min(), significativas=6)} a "
            f"{cifra(original.max(), significativas=6)}: se espera uint8 o números en [0, 255] "
            "(o en [0, 1]). Una imagen de la GAN, en [-1, 1], pásala antes a [0, 1] con (imagen + 1) / 2."
        )
    if valores.size == 0:
        raise ValueError(f"La imagen está vacía (forma {valores.shape}): comprueba cómo la has recortado o leído.")
    if valores.ndim == 2:
        valores = valores[..., None]
    if valores.shape[-1] == 4:  # transparencia sobre blanco
        alfa = valores[..., 3:] / 255.0
        valores = valores[..., :3] * alfa + 255.0 * (1 - alfa)
    if valores.ndim != 3 or valores.shape[-1] not in (1, 3):
        forma = original.shape
        if len(forma) == 4:
            pista = ("es un lote de una imagen: quítale el eje del lote, imagen[0]" if forma[0] == 1
                     else f"es un lote de {forma[0]} imágenes: pasa una sola, p. ej. imagen[0]")
        elif len(forma) == 3 and forma[0] in (1, 3, 4):
            pista = "tiene los canales delante: ponlos detrás con np.transpose(imagen, (1, 2, 0))"
        else:
            pista = "pasa una sola imagen, en gris, RGB o RGBA"
        raise ValueError(f"{nombre} tiene forma {forma} y debe ser una imagen (alto, ancho), (alto, ancho, 3) o "
                         f"(alto, ancho, 4): {pista}.")
    return np.repeat(np.clip(np.round(valores), 0, 255).astype(np.uint8), 3 // valores.shape[-1], axis=-1)


def _leer(fuente, nombre):
    """Una ``fuente`` que no es una matriz (ruta, URL, bytes o archivo abierto en binario) → uint8
    ``(alto, ancho, 3)``; ``ValueError`` en español con ``nombre`` (el del parámetro) si no es nada de eso."""
    if isinstance(fuente, (bytes, bytearray)):
        return _leer_datos(bytes(fuente), "la imagen de esos bytes")
    if isinstance(fuente, io.TextIOBase):
        raise ValueError(f"{nombre} es un archivo abierto como texto: ábrelo en binario, open(ruta, \"rb\"), o pasa "
                         "solo su ruta.")
    if hasattr(fuente, "read"):  # un archivo abierto en binario (open(ruta, "rb"), io.BytesIO…)
        etiqueta = f"«{fuente.name}»" if isinstance(getattr(fuente, "name", None), str) else "la imagen de ese archivo"
        return _leer_datos(fuente.read(), etiqueta)
    if isinstance(fuente, dict):
        subido = next((clave for clave, datos in fuente.items() if isinstance(clave, str) and isinstance(datos, bytes)),
                      None)
        pista = (f"si es lo que devuelve files.upload() de Colab, pasa el nombre del archivo subido, p. ej. "
                 f"cargar_imagen({subido!r}) o cargar_imagen(next(iter(subida)))" if subido else "pasa una sola imagen")
        raise ValueError(f"{nombre} es un diccionario, no una imagen: {pista}.")
    ruta = exigir_ruta(nombre, fuente, "la ruta o la URL de una imagen")
    return _descargar_y_leer(str(fuente)) if str(fuente).startswith(("http://", "https://")) else leer_imagen(ruta)


def _descargar_y_leer(url):
    """Descarga ``url`` y la lee con ``_leer_datos``."""
    peticion = urllib.request.Request(url, headers={"User-Agent": "curso-gan (curso educativo)"})
    try:
        with urllib.request.urlopen(peticion, timeout=30) as respuesta:
            datos = respuesta.read()
    except OSError as error:
        raise ConnectionError(
            f"No se pudo descargar «{url}»: {motivo_descarga(error)}. Sin conexión, usa una imagen local o una "
            "pintura generada: helpers.pinturas.pintura_pinceladas()."
        ) from None
    return _leer_datos(datos, f"«{url}»")


def _leer_datos(datos, etiqueta):
    """Los bytes de un archivo de imagen → uint8 ``(alto, ancho, 3)``. Pasan por un archivo temporal (que se
    borra al terminar) para leerlos con ``leer_imagen``, igual que un archivo: orientación, 16 bits,
    transparencia, bombas de descompresión. En sus mensajes, ``etiqueta`` en lugar de la ruta temporal."""
    with tempfile.TemporaryDirectory() as carpeta:
        ruta = Path(carpeta) / "imagen"
        ruta.write_bytes(datos)
        try:
            return leer_imagen(ruta)
        except ValueError as error:
            raise ValueError(str(error).replace(f"«{ruta}»", etiqueta)) from None


def guardar_imagen(imagen, ruta):
    """Guarda una imagen (lo que acepta ``cargar_imagen``: RGB en [0, 255], o en [0, 1], gris, RGBA…) en
    ``ruta`` (ver ``graficos.comprobar_extension``) y devuelve la ruta."""
    ruta = comprobar_extension(exigir_ruta("ruta", ruta, "el archivo donde guardarla (p. ej. resultado.png)"))
    ruta.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(_a_rgb_uint8(imagen, "imagen")).save(ruta)
    return ruta


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
    ``metricas.modelo_caracteristicas``, que resume cada imagen en un vector para FID y KID.) Con los
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


def olvidar_redes():
    """Olvida las redes, los extractores y los gradientes trazados que se guardan entre llamadas
    (la siguiente llamada los vuelve a construir) y libera su memoria."""
    for guardados in (_red_base, _envolver, _gradiente_compilado):
        guardados.cache_clear()


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
            # El lado_maximo con el que cargar_imagen deja el lado menor en lado_minimo (ver _cargar).
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


def perdida_contenido(caracteristicas, objetivos):
    """Pérdida de contenido: error cuadrático relativo entre mapas de características.

    Listas (una entrada por capa) de mapas ``(n, alto, ancho, canales)``, o los mapas de una sola capa
    → escalar float32 ≥ 0; vale 0 si los mapas coinciden y 1 si los obtenidos son todo ceros.
    """
    return _error_relativo(_por_capas(caracteristicas), _por_capas(objetivos))


def perdida_estilo(caracteristicas, grams_objetivo):
    """Pérdida de estilo: error cuadrático relativo entre matrices de Gram.

    ``caracteristicas``: lista de mapas ``(n, alto, ancho, canales)``; ``grams_objetivo``: lista de
    matrices ``(n, canales, canales)`` del estilo (o el mapa y la Gram de una sola capa). Devuelve un
    escalar float32 ≥ 0.
    """
    grams_objetivo = _por_capas(grams_objetivo)
    if any(tf.TensorShape(np.shape(gram)).rank == 4 for gram in grams_objetivo):  # TensorFlow fallaría en inglés
        raise ValueError("grams_objetivo trae mapas (n, alto, ancho, canales), no matrices de Gram: calcula antes las "
                         "del estilo, [estilo.matriz_gram(mapa) for mapa in mapas_del_estilo].")
    return _error_relativo([matriz_gram(c) for c in _por_capas(caracteristicas)], grams_objetivo)


def perdida_variacion(imagenes):
    """Variación total: media de ``|diferencia|`` entre píxeles vecinos, en vertical más en horizontal.

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
    return tf.reduce_mean(tf.abs(vertical)) + tf.reduce_mean(tf.abs(horizontal))


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

    # Para _gradiente_compilado, que recibe los objetivos como datos y no los lleva dentro.
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


def _objetivo_y_gradiente(perdida, a_imagen, variables, refuerzo):
    """``(partes, objetivo, gradiente)`` de ``perdida`` respecto a las ``variables`` que se optimizan.

    ``a_imagen`` convierte esas variables en la imagen ``(1, alto, ancho, 3)``. La pérdida se mide en
    la imagen recortada a [0, 1], la que se devolverá, así que ``partes`` no engaña. Los píxeles que
    se salen suman ``0,01·distancia²`` al objetivo, un muelle suave que los devuelve al rango sin cotas
    duras que frenen a L-BFGS; Adam, que recorta en cada paso, no lo nota. ``refuerzo`` (tensor
    escalar) suma ``refuerzo·contenido`` al objetivo: el calentamiento de L-BFGS.
    """
    with tf.GradientTape() as cinta:
        cinta.watch(variables)
        recortada, muelle = _recortar_con_muelle(a_imagen(variables))
        partes = perdida(recortada)
        objetivo = partes["total"] + refuerzo * partes["contenido"] + muelle
    return partes, objetivo, cinta.gradient(objetivo, variables)


@tf.custom_gradient
def _recortar_con_muelle(imagen):
    """``(imagen recortada a [0, 1], 0,01·Σ distancia²)`` de lo que se sale, con la derivada en una operación.

    Es la derivada de ``tf.clip_by_value`` más la del muelle, que se excluyen: cada píxel recibe la de
    la pérdida si está dentro del rango y la del muelle si está fuera. La derivada automática de las
    dos por separado hace varias pasadas por la imagen más (medido en ``benchmarks/README.md``).
    """
    recortada = tf.clip_by_value(imagen, 0.0, 1.0)
    fuera = imagen - recortada

    def gradiente(d_recortada, d_muelle):
        return tf.where(tf.equal(fuera, 0.0), d_recortada, 0.02 * d_muelle * fuera)

    return (recortada, 0.01 * tf.reduce_sum(tf.square(fuera))), gradiente


@functools.lru_cache(maxsize=8)
def _gradiente_compilado(extractor):
    """``_objetivo_y_gradiente`` de una pérdida de ``crear_perdida``, compilado con ``tf.function``.

    ``calcular(variables, objetivos, pesos, refuerzo, frecuencias=())``: sin ``frecuencias`` las
    variables son los píxeles (Adam); con ``frecuencias=(base, peso)``, el espectro de
    ``en_frecuencias`` (L-BFGS). Los objetivos, los pesos y las frecuencias llegan como datos y no
    dentro de la traza: trazar cuesta lo que decenas de gradientes, y así se traza una vez por
    extractor, método y tamaño de imagen (TensorFlow acaba generalizando las formas que cambian) y no
    en cada llamada a ``transferir_estilo``.
    """

    @tf.function(reduce_retracing=True, autograph=False)
    def calcular(variables, objetivos, pesos, refuerzo, frecuencias=()):
        a_imagen = (lambda z: _de_espectro(z, *frecuencias)) if frecuencias else tf.identity
        return _objetivo_y_gradiente(lambda imagen: _partes_perdida(extractor, imagen, objetivos, pesos),
                                     a_imagen, variables, refuerzo)

    return calcular


def en_frecuencias(base):
    """Escribe la imagen como ``base`` más un cambio dado por su espectro de Fourier.

    ``base``: ``(1, alto, ancho, 3)``. Devuelve ``(a_imagen, ceros)``: ``a_imagen(z)`` es ``base`` más la
    transformada inversa de ``z`` ``(1, 3, alto, ancho // 2 + 1, 2)`` (partes real e imaginaria) con
    cada frecuencia multiplicada por ``1/f^0,6`` (``EXPONENTE_FRECUENCIAS``; ``f`` en ciclos a lo largo
    del lado mayor, al menos 1); ``ceros`` es el ``z`` que da ``base``. Los gradientes de los píxeles
    están dominados por el detalle fino; así pesan más las manchas grandes de color y L-BFGS las mueve
    en menos iteraciones.
    """
    alto, ancho = base.shape[1], base.shape[2]
    peso = _peso_frecuencias(alto, ancho)

    def a_imagen(z):
        return _de_espectro(z, base, peso)

    a_imagen.base, a_imagen.peso = base, peso  # para _gradiente_compilado, que los recibe como datos
    return a_imagen, tf.zeros((1, 3, alto, ancho // 2 + 1, 2))


def _peso_frecuencias(alto, ancho):
    """``f^-EXPONENTE_FRECUENCIAS`` para cada frecuencia de ``rfft2d`` de una imagen ``alto × ancho``
    (complex64)."""
    lado = max(alto, ancho)
    frecuencia = np.hypot(np.fft.fftfreq(alto)[:, None] * lado, np.fft.rfftfreq(ancho)[None, :] * lado)
    return tf.constant(np.maximum(frecuencia, 1.0) ** -EXPONENTE_FRECUENCIAS, tf.complex64)


def _de_espectro(z, base, peso):
    """``base`` más la transformada inversa del espectro ``z`` multiplicado por ``peso``."""
    real, imaginaria = tf.unstack(z, axis=-1)  # no z[..., 0]: su derivada es lenta en CPU
    forma = tf.shape(base)
    cambio = tf.signal.irfft2d(tf.complex(real, imaginaria) * peso, fft_length=forma[1:3])
    return base + tf.transpose(cambio, [0, 2, 3, 1])  # (1, 3, alto, ancho) → (1, alto, ancho, 3)


# --- Optimización ---------------------------------------------------------------------------------


# Pares (s, y) que recuerda L-BFGS, paso que prueba primero, en unidades del paso cuasi-Newton,
# cuánto se amplifican las frecuencias bajas (en_frecuencias) e iteraciones de calentamiento por
# defecto de transferir_estilo: elegidos con
# benchmarks/velocidad_estilo.py y exponente_frecuencias.py (las medidas, en benchmarks/README.md).
MEMORIA_LBFGS = 20
PASO_LBFGS = 1.3
EXPONENTE_FRECUENCIAS = 0.6
CALENTAMIENTO = 30


def _optimizar_lbfgs(perdida, imagen, iteraciones, al_iterar, calentamiento=0, peso_contenido=1.0):
    """L-BFGS (``helpers.lbfgs``) sobre el espectro del cambio (``en_frecuencias``); imagen en [0, 1].

    Las primeras ``calentamiento`` iteraciones el contenido pesa el triple (ver ``transferir_estilo``).
    ``al_iterar(partes, imagen_actual, evaluaciones)`` se llama tras cada iteración.
    """
    a_imagen, espectro = en_frecuencias(tf.constant(imagen))
    compilado = _gradiente_compilado(perdida.extractor)

    def calcular(z, refuerzo):
        return compilado(z, perdida.objetivos, perdida.pesos, refuerzo, (a_imagen.base, a_imagen.peso))

    # Tensores, para que cambiar de uno a otro no recompile. El refuerzo se apaga sin reiniciar
    # L-BFGS: la curvatura aprendida con el contenido triple aún sirve (olvidarla no mejoraba).
    reforzado, normal = tf.constant(2.0 * peso_contenido), tf.constant(0.0)
    estado = {"iteraciones": 0, "evaluaciones": 0}

    def funcion(espectro):
        refuerzo = reforzado if estado["iteraciones"] < calentamiento else normal
        estado["partes"], objetivo, gradiente = calcular(tf.constant(espectro), refuerzo)
        estado["evaluaciones"] += 1
        objetivo, gradiente = float(objetivo), gradiente.numpy()
        # L-BFGS multiplica en float32 gradientes y sus diferencias (que pueden medir el doble): si el
        # cuadrado de su longitud no cabe con ese margen, se desbordaría (y un NaN tampoco pasa). Es una
        # pasada por el gradiente, poco al lado de las de L-BFGS (más de 80 en cada iteración).
        with np.errstate(over="ignore"):
            cuadrado = float(np.vdot(gradiente, gradiente))
        if not (math.isfinite(objetivo) and cuadrado < float(np.finfo(np.float32).max) / 4):
            raise FloatingPointError  # transferir_estilo lo explica
        return objetivo, gradiente

    def avisar(espectro, _):
        estado["iteraciones"] += 1
        al_iterar(estado["partes"], lambda: a_imagen(espectro), estado["evaluaciones"])

    espectro = minimizar_lbfgs(funcion, espectro, iteraciones, memoria=MEMORIA_LBFGS, paso=PASO_LBFGS,
                               al_iterar=avisar)
    return tf.clip_by_value(a_imagen(espectro), 0.0, 1.0).numpy()


def _optimizar_adam(perdida, imagen, iteraciones, al_iterar):
    """Adam como en el tutorial de TensorFlow (tasa 0,02, β1 0,99), recortando a [0, 1] en cada paso.

    El tutorial usa ε = 0,1 con gradientes de 10 a 100 por píxel; los de esta pérdida normalizada
    son unas 10⁴ veces menores, así que ε baja en la misma proporción (Adam no cambia si gradiente y
    ε se escalan juntos).
    """
    compilado, variable = _gradiente_compilado(perdida.extractor), tf.Variable(imagen)
    sin_refuerzo = tf.constant(0.0)
    optimizador = keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-5)
    for paso in range(1, iteraciones + 1):
        # Como tensor: con la tf.Variable, la traza generalizada tras varios tamaños fallaba al cambiar de
        # escala («Incompatible shapes»).
        actual = tf.convert_to_tensor(variable)
        partes, _, gradiente = compilado(actual, perdida.objetivos, perdida.pesos, sin_refuerzo)
        optimizador.apply_gradients([(gradiente, variable)])
        variable.assign(tf.clip_by_value(variable, 0.0, 1.0))
        al_iterar(partes, lambda: variable, paso)
    # Un gradiente infinito vuelve NaN la imagen; al_iterar lo ve en la pérdida del paso siguiente, pero
    # tras el último no hay siguiente.
    imagen = variable.numpy()
    if not np.isfinite(imagen).all():
        raise FloatingPointError  # transferir_estilo lo explica
    return imagen


def _comprobar_opciones(**opciones):
    """``ValueError`` en español con la primera opción de ``transferir_estilo`` que no tiene sentido (si no,
    la transferencia devolvería la foto sin cambios o fallaría dentro de TensorFlow)."""
    for nombre, valor in opciones.items():
        if nombre == "iteraciones" and not es_entero(valor, 1):
            motivo = "debe ser un entero positivo (p. ej. 400)"
        elif nombre == "calentamiento" and not es_entero(valor, 0):
            motivo = "debe ser un entero, 0 o más"
        elif nombre == "lado_maximo" and valor is not None and not es_entero(valor, 32, LADO_MAXIMO):
            motivo = (f"debe ser un entero de 32 a {LADO_MAXIMO} píxeles (más no cabría en memoria) o None para "
                      "conservar el tamaño")
        elif nombre == "mostrar_cada" and not (valor is None or es_entero(valor, 0)):
            motivo = "debe ser un entero, 0 o más: cada cuántas iteraciones dibujar la imagen (0 o None: nunca)"
        elif nombre == "escalas" and (not isinstance(valor, (list, tuple, np.ndarray)) or not len(valor)
                                      or not all(isinstance(e, numbers.Real) and 0 < e <= 1 for e in valor)
                                      or list(valor) != sorted(valor)):
            motivo = "debe ser una lista de fracciones entre 0 y 1, de menor a mayor (p. ej. (1.0,) o (0.5, 1.0))"
        elif nombre.startswith("peso_") and not (isinstance(valor, numbers.Real) and math.isfinite(valor) and valor >= 0):
            motivo = "debe ser un número, 0 o mayor"
        # Ni cabría en float32, el de la red (el calentamiento triplica el de contenido).
        elif nombre.startswith("peso_") and valor > float(np.finfo(np.float32).max) / 3:
            motivo = "es demasiado grande: usa pesos como los de por defecto (1, 10 y 0,1)"
        else:
            continue
        raise ValueError(f"{nombre}={valor!r} no es válido: {motivo}.")


def _comprobar_y_limitar(*, metodo, inicio, estilo, iteraciones, calentamiento, lado_maximo, escalas, mostrar_cada,
                         peso_contenido, peso_estilo, peso_variacion, preservar_color):
    """Rechaza las opciones de ``transferir_estilo`` sin sentido y, en modo rápido, recorta las iteraciones
    y el tamaño; devuelve ``(iteraciones, lado_maximo)``."""
    if metodo not in ("lbfgs", "adam"):
        raise ValueError(f"metodo={metodo!r} no existe: usa \"lbfgs\" o \"adam\".")
    # Una imagen ya cargada, no una ruta: un texto que no es ninguna de las dos palabras es casi siempre una errata.
    if not (inicio in ("contenido", "ruido") if isinstance(inicio, str)
            else isinstance(inicio, (np.ndarray, tf.Tensor, Image.Image, list, tuple))):
        raise ValueError(f"inicio={reprlib.repr(inicio)} no sirve: usa \"contenido\", \"ruido\" o una imagen ya cargada "
                         "(la de estilo.transferencia_interrumpida() o la de estilo.cargar_imagen(ruta)).")
    _comprobar_opciones(iteraciones=iteraciones, calentamiento=calentamiento, lado_maximo=lado_maximo, escalas=escalas,
                        mostrar_cada=mostrar_cada, peso_contenido=peso_contenido, peso_estilo=peso_estilo,
                        peso_variacion=peso_variacion)
    exigir_booleano("preservar_color", preservar_color)
    if not (peso_contenido or peso_variacion or (peso_estilo and estilo is not None)):
        cuales = (f"Sin estilo (estilo=None) y con peso_contenido={peso_contenido!r}" if peso_estilo
                  else f"Con peso_contenido={peso_contenido!r}, peso_estilo={peso_estilo!r}")
        raise ValueError(f"{cuales} y peso_variacion={peso_variacion!r}, la pérdida vale siempre 0 y devolvería la "
                         "imagen de partida sin cambios: da a alguno un valor mayor que 0 (por defecto son 1, 10 y 0,1).")
    iteraciones = limitar(iteraciones, 20, "iteraciones")
    if lado_maximo is None and modo_rapido():
        print("Modo rápido: como mucho 128 px de lado en lugar del tamaño original.")
        lado_maximo = 128
    elif lado_maximo is not None:
        lado_maximo = limitar(lado_maximo, 128, "px de lado")
    return iteraciones, lado_maximo


def _registrar_iteraciones(historial, escala, reloj, avance, total, mostrar_cada, ultima):
    """La función ``al_iterar`` de una escala: apunta cada iteración en ``historial`` (segundos desde
    ``reloj``) y en ``ultima["imagen"]`` cómo obtener su imagen, escribe el avance y, cada ``mostrar_cada``
    iteraciones, dibuja la imagen."""
    evaluaciones_antes = historial["evaluaciones"][-1] if historial["evaluaciones"] else 0

    def al_iterar(partes, imagen_actual, evaluaciones):
        # Con Adam, unos pesos enormes se notan aquí; antes de apuntar nada, para no dejar la iteración a medias.
        if not math.isfinite(float(partes["total"])):
            raise FloatingPointError  # transferir_estilo lo explica
        for clave, valor in partes.items():
            historial[clave].append(float(valor))
        historial["evaluaciones"].append(evaluaciones_antes + evaluaciones)
        historial["segundos"].append(time.perf_counter() - reloj)
        historial["escala"].append(escala)
        ultima["imagen"] = imagen_actual
        if avance.toca():
            avance.escribir(_texto_avance(historial, total))
        if mostrar_cada and len(historial["total"]) % mostrar_cada == 0:
            titulo = f"iteración {len(historial['total'])}, escala {escala:g}"
            mostrar_imagenes({titulo: np.clip(np.asarray(imagen_actual())[0], 0, 1) * 255}, tamano=3)

    return al_iterar


def _optimizar_escala(imagen, escala, contenido, estilo, extractor, pesos, metodo, iteraciones, calentamiento,
                      al_iterar):
    """Una escala: lleva ``imagen`` (en [0, 1]), la foto y la pintura a ``escala`` y optimiza ``iteraciones``
    veces. ``pesos``: los de contenido, estilo y variación; ``calentamiento`` solo lo usa L-BFGS."""
    tamano = _tamano(contenido, escala)
    imagen = tf.image.resize(imagen[None], tamano, method="bicubic").numpy().clip(0, 1).astype(np.float32)
    foto = tf.image.resize(contenido, tamano, antialias=True).numpy()
    pintura = (None if estilo is None
               else tf.image.resize(estilo, _tamano(estilo, escala), antialias=True).numpy())
    perdida = crear_perdida(extractor, foto, pintura, *pesos)
    if metodo == "lbfgs":
        return _optimizar_lbfgs(perdida, imagen, iteraciones, al_iterar, calentamiento, peso_contenido=pesos[0])[0]
    return _optimizar_adam(perdida, imagen, iteraciones, al_iterar)[0]


def transferir_estilo(
    contenido,
    estilo,
    iteraciones=400,
    metodo="lbfgs",
    inicio="contenido",
    peso_contenido=1.0,
    peso_estilo=10.0,
    peso_variacion=0.1,
    escalas=(1.0,),
    calentamiento=CALENTAMIENTO,
    preservar_color=False,
    lado_maximo=384,
    mostrar_cada=0,
    red="auto",
    capas_contenido=None,
    capas_estilo=None,
):
    """Pinta ``contenido`` con el estilo de ``estilo``.

    ``contenido`` y ``estilo``: cualquier fuente de ``cargar_imagen`` (ruta, URL, bytes, matriz, PIL);
    se escalan a ``lado_maximo`` píxeles de lado mayor, como mucho ``LADO_MAXIMO`` (``estilo=None``:
    solo contenido). Se optimiza ``iteraciones`` veces en cada una de las ``escalas`` (fracciones de
    ese tamaño, de menor a mayor): con ``(0.5, 1.0)`` la mitad de tamaño, barata, fija trazos más
    grandes y la imagen completa solo afina; útil a partir de unos 512 px. ``metodo``: ``"lbfgs"``
    (el de ``helpers.lbfgs``, sobre el espectro del cambio: ver ``en_frecuencias``) o ``"adam"``
    (sobre los píxeles, como el tutorial de TensorFlow); ``inicio``: ``"contenido"``, ``"ruido"`` o una
    imagen desde la que seguir (p. ej. la de ``transferencia_interrumpida``; entonces sin calentamiento,
    que la devolvería hacia la foto). ``calentamiento``:
    iteraciones iniciales de L-BFGS (como mucho la cuarta parte) en las que el contenido pesa el triple;
    sin él, los primeros pasos, largos y guiados casi solo por el estilo, borran la foto y cuesta muchos
    gradientes recuperarla (medido en ``benchmarks/README.md``). ``preservar_color`` transfiere solo la
    luminancia y conserva los colores de la foto. ``mostrar_cada=N`` dibuja el progreso cada N
    iteraciones (0 o ``None``: nunca). ``red``: ver ``elegir_red``. En modo rápido se limitan las
    iteraciones (20) y el tamaño (128 px).

    Devuelve ``(imagen, historial)``: imagen RGB float32 en [0, 255] ``(alto, ancho, 3)``, del tamaño de la
    foto cargada (aunque la última escala sea menor que 1), e historial
    con una entrada por iteración en las listas ``total``, ``contenido``, ``estilo``, ``variacion``,
    ``evaluaciones`` (gradientes calculados hasta entonces), ``segundos`` y ``escala``. Un Ctrl-C (o
    parar la celda) lanza un ``KeyboardInterrupt`` que dice por dónde iba, sin la traza de TensorFlow, y
    guarda lo hecho (ver ``transferencia_interrumpida``); si unos pesos enormes desbordan la pérdida, un
    ``ValueError`` lo dice (nunca devuelve píxeles NaN).
    """
    iteraciones, lado_maximo = _comprobar_y_limitar(
        metodo=metodo, inicio=inicio, estilo=estilo, iteraciones=iteraciones, calentamiento=calentamiento,
        lado_maximo=lado_maximo, escalas=escalas, mostrar_cada=mostrar_cada, peso_contenido=peso_contenido,
        peso_estilo=peso_estilo, peso_variacion=peso_variacion, preservar_color=preservar_color)
    global _interrumpida
    historial = {clave: [] for clave in ("total", "contenido", "estilo", "variacion", "evaluaciones", "segundos", "escala")}
    avance = LineaDeAvance()
    total = iteraciones * len(escalas)
    pesos = (peso_contenido, peso_estilo, peso_variacion)
    ultima = {}  # cómo obtener la imagen de la última iteración, por si se interrumpe
    try:
        situacion = "con lado_maximo=None se queda así"
        contenido = _cargar(contenido, lado_maximo, situacion, _CONSEJO_LADO, "contenido")
        estilo = None if estilo is None else _cargar(estilo, lado_maximo, situacion, _CONSEJO_LADO, "estilo")
        color_original = contenido
        if preservar_color:
            contenido, estilo = _luminancia(contenido), None if estilo is None else _luminancia(estilo, contenido)

        extractor = extractor_estilo(red, capas_contenido, capas_estilo)
        reloj = time.perf_counter()
        imagen = _imagen_inicial(inicio, contenido, preservar_color)
        for escala in escalas:
            al_iterar = _registrar_iteraciones(historial, escala, reloj, avance, total, mostrar_cada, ultima)
            # El calentamiento, solo en la primera escala (las demás parten de la imagen ya optimizada) y no al
            # seguir desde una imagen ya transferida: devolvería el contenido hacia la foto.
            vueltas = min(calentamiento, iteraciones // 4) if escala == escalas[0] and isinstance(inicio, str) else 0
            imagen = _optimizar_escala(imagen, escala, contenido, estilo, extractor, pesos, metodo, iteraciones, vueltas,
                                       al_iterar)
    except (KeyboardInterrupt, FloatingPointError) as error:
        hechas = len(historial["total"])
        if hechas:
            avance.terminar(_texto_avance(historial, total, interrumpida=True))
        # Sin la traza de TensorFlow (o de la descarga), que no le dice nada a quien paró la celda.
        if isinstance(error, FloatingPointError):
            raise ValueError(_texto_desbordada(*pesos)) from None
        if hechas:  # lo hecho no se pierde: transferencia_interrumpida() lo devuelve
            _interrumpida = (_a_resultado(np.asarray(ultima["imagen"]())[0], color_original, preservar_color), historial)
        en_la_ultima = bool(hechas) and historial["escala"][-1] == escalas[-1]
        raise KeyboardInterrupt(_texto_interrupcion(hechas, total, iteraciones, lado_maximo, escalas, en_la_ultima)) from None
    avance.terminar(_texto_avance(historial, total))
    _interrumpida = None  # terminó: la parada anterior ya no es lo último
    return _a_resultado(imagen, color_original, preservar_color), historial


# (imagen, historial) de la última transferir_estilo parada tras alguna iteración, hasta que otra termina. Un
# error o una parada antes de la primera iteración no la borran: suele ser al intentar seguir desde ella.
_interrumpida = None


def transferencia_interrumpida():
    """``(imagen, historial)`` de la última ``transferir_estilo`` que paraste (Ctrl-C o parar la celda) tras
    alguna iteración, mientras no termine otra: la imagen de la última iteración hecha, al tamaño de la
    foto, como la habría devuelto al terminar. Para seguir desde ella: ``transferir_estilo(foto, pintura,
    inicio=imagen, …)``."""
    if _interrumpida is None:
        raise ValueError("No hay ninguna transferencia parada que recuperar: se guarda la última que paraste tras "
                         "alguna iteración, y se olvida cuando otra termina (entonces transferir_estilo devuelve "
                         "«imagen, historial»).")
    return _interrumpida


def _imagen_inicial(inicio, contenido, preservar_color):
    """Desde dónde se optimiza, en [0, 1] y del tamaño de ``contenido``: la foto, ruido o la imagen ``inicio``
    (p. ej. la de una transferencia interrumpida), en luminancia si se preserva el color."""
    if isinstance(inicio, str):
        return contenido / 255.0 if inicio == "contenido" else np.random.uniform(0, 1, contenido.shape)
    imagen = tf.image.resize(_a_rgb_uint8(inicio, "inicio"), contenido.shape[:2], method="bicubic").numpy().clip(0, 255)
    return (_luminancia(imagen) if preservar_color else imagen) / 255.0


def _a_resultado(imagen, color_original, preservar_color):
    """De la imagen optimizada (en [0, 1]) a la que devuelve ``transferir_estilo``: RGB float32 en [0, 255],
    del tamaño de la foto ``color_original`` y con sus colores si se preserva el color. La optimizada puede
    medir otra cosa: la de una escala menor que 1, o la de una foto ampliada hasta el lado mínimo de la red."""
    if imagen.shape[:2] != color_original.shape[:2]:
        imagen = tf.image.resize(imagen, color_original.shape[:2], method="bicubic", antialias=True).numpy()
    imagen = np.clip(imagen, 0, 1) * 255.0
    return (_con_color_de(imagen, color_original) if preservar_color else imagen).astype(np.float32)


def _texto_desbordada(peso_contenido, peso_estilo, peso_variacion):
    """Qué decir si la pérdida o su gradiente se desbordan (las optimizaciones lanzan ``FloatingPointError``):
    en float32 no cabe nada más allá de unos 3·10³⁸."""
    return (f"La optimización se desbordó (la pérdida o su gradiente no caben en float32) con peso_contenido="
            f"{peso_contenido:g}, peso_estilo={peso_estilo:g} y peso_variacion={peso_variacion:g}: usa pesos más "
            "pequeños, como los de por defecto (1, 10 y 0,1). Cuenta sobre todo la proporción entre ellos, no su tamaño.")


def _texto_interrupcion(hechas, total, iteraciones, lado_maximo, escalas, en_la_ultima):
    """Qué decir tras un Ctrl-C (o parar la celda) cuando iban ``hechas`` de ``total`` iteraciones
    (``iteraciones`` en cada una de las ``escalas``) con ese ``lado_maximo``; ``en_la_ultima``: si iba por
    la última escala."""
    if not hechas:
        return ("Transferencia interrumpida antes de la primera iteración (mientras se cargaban las imágenes, se "
                "preparaba la red o se calculaba el primer gradiente): no devuelve ninguna imagen.")
    # En la última escala, las que le faltaban (y solo esa escala); antes, seguir repite todas desde la imagen.
    restantes = ""
    if en_la_ultima:
        restantes = (f", escalas=({float(escalas[-1])!r},)" if len(escalas) > 1 else "") + f", iteraciones={total - hechas}"
    consejo = f"pide menos iteraciones (p. ej. iteraciones={max(1, iteraciones // 2)})"
    if lado_maximo is None or lado_maximo > 256:
        consejo += " o una imagen más pequeña (p. ej. lado_maximo=256)"
    return (f"Transferencia interrumpida tras {hechas} de {total} iteraciones. Lo hecho no se pierde: «imagen, "
            "historial = estilo.transferencia_interrumpida()» te da la imagen de la última iteración, y "
            f"transferir_estilo(…, inicio=imagen{restantes}) sigue desde ella{' con las que faltaban' if restantes else ''}. "
            f"Para esperar menos la próxima vez, {consejo}.")


def _texto_avance(historial, total, interrumpida=False):
    """«Iteración 120/400 · faltan 12 s · pérdida 1,234 · tiempo 5 s · 31 ms por iteración» (con varias
    escalas, también la escala). El ritmo se mide desde la segunda iteración (la primera incluye
    calcular los objetivos y, la primera vez, trazar el gradiente) y en la escala actual; lo que falta,
    solo en la última: una escala menor es más barata y daría una estimación corta. ``interrumpida``:
    «Interrumpida en la iteración 120/400», sin lo que faltaba."""
    hechas, segundos, escalas = len(historial["total"]), historial["segundos"], historial["escala"]
    partes = [f"{'Interrumpida en la iteración' if interrumpida else 'Iteración'} {hechas}/{total}"]
    if len(set(escalas)) > 1 or escalas[-1] != 1:
        partes.append(f"escala {escalas[-1]:g}".replace(".", ","))
    desde = hechas - escalas.count(escalas[-1])  # la primera iteración de esta escala, que se salta
    por_iteracion = (segundos[-1] - segundos[desde]) / (hechas - 1 - desde) if hechas - 1 > desde else None
    if por_iteracion is not None and hechas < total and escalas[-1] == 1 and not interrumpida:
        partes.append(falta(por_iteracion * (total - hechas)))
    partes += [f"pérdida {cifra_metrica(historial['total'][-1])}", f"tiempo {duracion(segundos[-1])}"]
    if por_iteracion is not None:
        partes.append(f"{tiempo_corto(por_iteracion)} por iteración")
    return " · ".join(partes)


def _tamano(imagen, escala, minimo=32):
    """Alto y ancho de ``imagen`` multiplicados por ``escala``, o por más si hace falta para que el lado
    menor mida ``minimo`` px (32, lo mínimo para la red; sin deformarla: una panorámica queda más larga)."""
    factor = max(escala, minimo / min(imagen.shape[:2]))
    return [max(minimo, round(lado * factor)) for lado in imagen.shape[:2]]


def _con_lado_para_la_red(imagen, minimo=32, motivo="lo mínimo para la red"):
    """``imagen`` ampliada (sin deformarla) si su lado menor no llega a ``minimo`` px, y dicho: con menos
    de 32, las capas de agrupamiento de la red se quedan sin píxeles y TensorFlow puede tumbar el proceso."""
    if min(imagen.shape[:2]) >= minimo:
        return imagen
    alto, ancho = _tamano(imagen, 1.0, minimo)
    print(f"La imagen mide {imagen.shape[1]}×{imagen.shape[0]} px: la amplío a {ancho}×{alto}, {motivo}.")
    return tf.image.resize(imagen, [alto, ancho]).numpy()


def _luminancia(imagen, referencia=None):
    """Luminancia Y de ``imagen`` repetida en 3 canales, [0, 255]. Con ``referencia``, ajustada a su
    media y desviación para que el estilo no arrastre su brillo (Gatys et al., 2016)."""
    y = skimage.color.rgb2yiq(imagen / 255.0)[..., 0]
    if referencia is not None:
        y_referencia = skimage.color.rgb2yiq(referencia / 255.0)[..., 0]
        y = (y - y.mean()) / (y.std() + 1e-8) * y_referencia.std() + y_referencia.mean()
    return np.repeat(np.clip(y, 0, 1)[..., None] * 255.0, 3, axis=-1).astype(np.float32)


def _con_color_de(estilizada, original):
    """Luminancia de ``estilizada`` con el color (canales I y Q) de ``original``; ambas en [0, 255]."""
    yiq = skimage.color.rgb2yiq(original / 255.0)
    yiq[..., 0] = skimage.color.rgb2yiq(estilizada / 255.0)[..., 0]
    return np.clip(skimage.color.yiq2rgb(yiq), 0, 1) * 255.0


# --- Gráficos -------------------------------------------------------------------------------------


def _comprobar_dibujo(imagenes, canales=1):
    """``ValueError`` en español si no hay nada que dibujar (Matplotlib diría «Number of columns…»)."""
    if not isinstance(imagenes, dict) or not imagenes:
        raise ValueError("Pasa un diccionario con al menos una imagen: {\"título\": imagen}.")
    if not es_entero(canales, 1):
        raise ValueError(f"canales={canales!r} debe ser un entero, 1 o más.")


def mostrar_imagenes(imagenes, tamano=3.5):
    """Dibuja en una fila las imágenes de ``{título: imagen}`` (lo que acepta ``cargar_imagen``: RGB en
    [0, 255] o en [0, 1], gris, RGBA, una ruta…)."""
    import matplotlib.pyplot as plt

    _comprobar_dibujo(imagenes)
    if not (isinstance(tamano, numbers.Real) and not isinstance(tamano, bool) and 0 < tamano < math.inf):
        raise ValueError(f"tamano={tamano!r} no es válido: debe ser un número positivo, el lado de cada imagen en "
                         "pulgadas (p. ej. 3.5).")
    figura, ejes = plt.subplots(1, len(imagenes), figsize=(tamano * len(imagenes), tamano), squeeze=False)
    for eje, (titulo, imagen) in zip(ejes[0], imagenes.items()):
        eje.imshow(_a_rgb_uint8(imagen, f"imagenes[{titulo!r}]"))
        eje.set_title(titulo, fontsize=10)
        eje.axis("off")
    figura.tight_layout()
    plt.show()


CANALES_MAXIMOS = 16  # columnas de mostrar_mapas; todas las capas de SqueezeNet y VGG19 tienen al menos 16 canales


def mostrar_mapas(imagen, capas=None, canales=6, red="auto"):
    """Lo que «ve» cada capa: los ``canales`` mapas más activos de cada capa para ``imagen`` (lo que
    acepta ``cargar_imagen``, a su tamaño, o ampliada a 64 px si es más pequeña); una fila por capa, de la
    más superficial a la más profunda. Como mucho ``CANALES_MAXIMOS`` canales."""
    import matplotlib.pyplot as plt

    _comprobar_dibujo({"imagen": imagen}, canales)
    if capas is not None and not _capas("capas", capas):  # Keras diría «`outputs` argument cannot be empty»
        raise ValueError("capas está vacía: indica al menos una capa, p. ej. capas=\"conv1\", o None para las de "
                         "estilo por defecto.")
    if canales > CANALES_MAXIMOS:  # miles de columnas tardarían minutos en dibujarse y no se distinguirían
        print(f"Dibujo {CANALES_MAXIMOS} canales por capa en lugar de {canales}: más no se distinguirían.")
        canales = CANALES_MAXIMOS
    imagen = _con_lado_para_la_red(_cargar(imagen, None, "se dibuja a ese tamaño", _CONSEJO_DIBUJO, "imagen"), 64,
                                   "para que los mapas de las capas profundas no se queden en un píxel")
    extractor = extractor_estilo(red, capas_contenido=[], capas_estilo=capas)
    mapas = [m[0].numpy() for m in extractor(tf.constant(imagen[None], tf.float32))["estilo"]]
    figura, ejes = plt.subplots(len(mapas), canales, figsize=(1.6 * canales, 1.7 * len(mapas)), squeeze=False)
    for fila, (capa, mapa) in zip(ejes, zip(extractor.capas_estilo, mapas)):
        for eje, canal in zip(fila, np.argsort(mapa.mean(axis=(0, 1)))[::-1]):
            eje.imshow(mapa[..., canal], cmap="magma")
            eje.set_xticks([]), eje.set_yticks([])
        fila[0].set_ylabel(f"{capa}\n{mapa.shape[0]}×{mapa.shape[1]}×{mapa.shape[2]}", fontsize=9)
    figura.suptitle("Mapas de características más activos por capa")
    figura.tight_layout()
    plt.show()


def mostrar_gram(imagenes, capa=None, canales=32, red="auto"):
    """Matrices de Gram de una capa (un nombre, p. ej. ``"fire5"``) para ``{título: imagen}`` (lo que
    acepta ``cargar_imagen``), recortadas a los ``canales`` primeros canales para que se vean. Imágenes
    de estilo parecido dan matrices parecidas."""
    import matplotlib.pyplot as plt

    _comprobar_dibujo(imagenes, canales)
    if not (capa is None or isinstance(capa, str)):
        raise ValueError(f"capa={capa!r}: indica el nombre de una sola capa, p. ej. capa=\"fire5\".")
    extractor = extractor_estilo(red, capas_contenido=[], capas_estilo=None if capa is None else [capa])
    figura, ejes = plt.subplots(1, len(imagenes), figsize=(3.3 * len(imagenes), 3.3), squeeze=False)
    vistos = canales
    for eje, (titulo, imagen) in zip(ejes[0], imagenes.items()):
        imagen = _con_lado_para_la_red(_cargar(imagen, None, "se dibuja a ese tamaño", _CONSEJO_DIBUJO,
                                               f"imagenes[{titulo!r}]"))
        gram = matriz_gram(extractor(tf.constant(imagen[None], tf.float32))["estilo"][0])[0].numpy()
        vistos = min(canales, len(gram))  # la capa puede tener menos canales de los pedidos
        eje.imshow(gram[:vistos, :vistos], cmap="viridis")
        eje.set_title(titulo, fontsize=10)
        eje.set_xlabel("canal"), eje.set_ylabel("canal")
    figura.suptitle(f"Matriz de Gram de {extractor.capas_estilo[0]} ({vistos} canales)")
    figura.tight_layout()
    plt.show()


def dibujar_historiales(historiales, ruta=None):
    """Pérdida total frente a gradientes calculados y frente a segundos, para comparar métodos.

    ``historiales``: ``{nombre: historial de transferir_estilo}`` (o un historial solo). Con ``ruta``
    guarda un PNG.
    """
    import matplotlib.pyplot as plt

    if isinstance(historiales, dict) and "total" in historiales:  # un historial solo, sin nombre
        historiales = {"transferencia": historiales}
    if not isinstance(historiales, dict):
        historiales = {"": historiales}  # para que el mensaje de abajo lo explique
    for nombre, historial in historiales.items():
        if not (isinstance(historial, dict) and "total" in historial):
            que = f"el de «{nombre}»" if nombre else "lo que llega"
            tipo = "un diccionario sin «total»" if isinstance(historial, dict) else f"de tipo {type(historial).__name__}"
            raise TypeError(
                f"dibujar_historiales recibe historiales de transferir_estilo, y {que} es {tipo}. "
                "transferir_estilo devuelve (imagen, historial): p. ej. «resultado, historial = "
                "transferir_estilo(foto, pintura)» y luego dibujar_historiales({\"mi prueba\": historial}).")

    figura, (eje_evaluaciones, eje_segundos) = plt.subplots(1, 2, figsize=(11, 3.8))
    for nombre, historial in historiales.items():
        eje_evaluaciones.plot(historial["evaluaciones"], historial["total"], label=nombre)
        eje_segundos.plot(historial["segundos"], historial["total"], label=nombre)
    eje_evaluaciones.set(xlabel="gradientes calculados", ylabel="pérdida total", yscale="log")
    eje_segundos.set(xlabel="segundos", ylabel="pérdida total", yscale="log")
    for eje in (eje_evaluaciones, eje_segundos):
        eje.legend()
    con_escalas = any(len(set(historial.get("escala", []))) > 1 for historial in historiales.values())
    figura.suptitle("Pérdida durante la optimización" + (" (los saltos son cambios de escala)" if con_escalas else ""))
    figura.tight_layout()
    guardar_o_mostrar(figura, ruta)
