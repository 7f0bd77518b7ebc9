"""Las imágenes de la transferencia de estilo: cargarlas, guardarlas y dibujarlas.

- ``cargar_imagen`` (de una ruta, una URL, bytes, PIL o NumPy) y ``guardar_imagen``; con conexión,
  ``PINTURAS_EN_LINEA`` da las URL de unos cuadros de dominio público.
- ``mostrar_imagenes``, ``mostrar_mapas`` (lo que «ve» cada capa), ``mostrar_gram`` y
  ``dibujar_historiales`` (la pérdida durante la optimización).

Las imágenes que entran y salen son matrices RGB float32 en [0, 255] de forma ``(alto, ancho, 3)``.
Todo se usa como ``estilo.<nombre>``: ``helpers.estilo`` lo importa de aquí.
"""

import contextlib
import io
import tempfile
import urllib.request
import warnings
from pathlib import Path

import numpy as np
import tensorflow as tf
from PIL import Image

from .errores import motivo_descarga
from .graficos import comprobar_extension, guardar_o_mostrar
from .lectura import FONDO_OSCURO, aviso_sobre_negro, fondo_bajo_transparencia, leer_imagen, rgb_de_pil
from .opciones import es_entero, es_real, exigir_ruta
from .perdidas_estilo import _capas, extractor_estilo, matriz_gram
from .textos import cifra

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
    tras ``files.upload()`` de Colab) o el archivo abierto en binario (entero, desde el principio), imagen
    de PIL o matriz NumPy (uint8 en [0, 255]; float en [0, 255], o en [0, 1] si no pasa de 1; gris, RGB o
    RGBA). Los archivos, las URL y los bytes se leen con ``lectura.leer_imagen``: JPEG, PNG, WebP,
    BMP, GIF, AVIF (con Pillow 11.3 o más nueva) y HEIC (con pillow-heif), en cualquier modo de color; las
    bombas de descompresión se rechazan. La transparencia se rellena de blanco o, si es un dibujo claro que
    sobre blanco apenas se vería, de negro (y lo avisa).
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
    if isinstance(fuente, Image.Image) and fuente.mode == "F":  # Pillow recortaría a [0, 255]: en [0, 1], negra
        fuente = np.asarray(fuente)
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
        raise ValueError(f"{nombre} es una matriz de tipo {valores.dtype} y se espera una de números reales: uint8 "
                         "en [0, 255], o float en [0, 255] o en [0, 1].")
    if not np.isfinite(valores).all():
        raise ValueError(f"{nombre} tiene valores NaN o infinitos ({np.count_nonzero(~np.isfinite(valores))} de "
                         f"{valores.size}): comprueba cómo la calculaste (p. ej. una división por cero).")
    if valores.dtype == np.uint16 and valores.size and valores.max() <= 255:
        raise ValueError(f"{nombre} es uint16 y ninguno de sus valores pasa de 255: parece una imagen de 8 bits "
                         "convertida a uint16, que leída como de 16 bits (de 0 a 65.535) saldría negra. Pásala como "
                         "uint8: imagen.astype(np.uint8).")
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
            f"{nombre} tiene valores de {cifra(original.min(), significativas=6)} a "
            f"{cifra(original.max(), significativas=6)}: se espera uint8 o números en [0, 255] "
            "(o en [0, 1]). Una imagen de la GAN, en [-1, 1], pásala antes a [0, 1] con (imagen + 1) / 2."
        )
    if valores.size == 0:
        raise ValueError(f"{nombre} es una imagen vacía (forma {valores.shape}): comprueba cómo la has recortado o leído.")
    if valores.ndim == 2:
        valores = valores[..., None]
    if valores.ndim == 3 and valores.shape[-1] == 4:  # como leer_imagen: sobre blanco o, un dibujo claro, sobre negro
        fondo = fondo_bajo_transparencia(Image.fromarray(np.clip(np.round(valores), 0, 255).astype(np.uint8), "RGBA"))
        if fondo == FONDO_OSCURO:
            print(aviso_sobre_negro([]))
        alfa = valores[..., 3:] / 255.0
        valores = valores[..., :3] * alfa + np.float32(fondo) * (1 - alfa)
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
        if getattr(fuente, "closed", False):  # Python diría «read of closed file»
            raise ValueError(f"{nombre} es un archivo ya cerrado (p. ej. al salir de su «with open(…)»): pasa su "
                             "ruta, o llama a cargar_imagen dentro del with.")
        if getattr(fuente, "seekable", lambda: False)():  # entero, aunque ya se haya leído algo (Image.open, save…)
            fuente.seek(0)
        return _leer_datos(fuente.read(), etiqueta)
    if isinstance(fuente, dict):
        subido = next((clave for clave, datos in fuente.items() if isinstance(clave, str) and isinstance(datos, bytes)),
                      None)
        # Sus bytes, no su nombre: con el nombre se lee el archivo de la carpeta actual, que puede no estar
        # (otra carpeta) o ser el de una subida anterior con el mismo nombre.
        pista = (f"si es lo que devuelve files.upload() de Colab, pasa los bytes del archivo subido, p. ej. "
                 f"cargar_imagen(subida[{subido!r}]) o cargar_imagen(next(iter(subida.values())))" if subido
                 else "pasa una sola imagen")
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
    transparencia, bombas de descompresión. En sus mensajes y avisos, ``etiqueta`` en lugar de la ruta temporal."""
    with tempfile.TemporaryDirectory() as carpeta:
        ruta = Path(carpeta) / "imagen"
        ruta.write_bytes(datos)
        avisos = io.StringIO()
        try:
            with contextlib.redirect_stdout(avisos):
                imagen = leer_imagen(ruta)
        except ValueError as error:
            raise ValueError(str(error).replace(f"«{ruta}»", etiqueta)) from None
        print(avisos.getvalue().replace(f"«{ruta}»", etiqueta), end="")
        return imagen


def guardar_imagen(imagen, ruta):
    """Guarda una imagen (lo que acepta ``cargar_imagen``: RGB en [0, 255], o en [0, 1], gris, RGBA…) en
    ``ruta`` (ver ``graficos.comprobar_extension``) y devuelve la ruta."""
    ruta = comprobar_extension(exigir_ruta("ruta", ruta, "el archivo donde guardarla (p. ej. resultado.png)"))
    ruta.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(_a_rgb_uint8(imagen, "imagen")).save(ruta)
    return ruta


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
    if not es_real(tamano, mayor_que=0):
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
    # Cada fila, tan alta como sus mapas (1,35 pulgadas de ancho, descontados los márgenes) más el hueco: si
    # no, una foto apaisada deja entre fila y fila más blanco que mapa.
    alto_fila = 1.35 * mapas[0].shape[0] / mapas[0].shape[1] + 0.3
    figura, ejes = plt.subplots(len(mapas), canales, figsize=(1.6 * canales, alto_fila * len(mapas) + 0.5), squeeze=False)
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
    de estilo parecido dan matrices parecidas. Todas con la misma escala de color (la barra de la
    derecha), porque la pérdida de estilo compara sus valores, no solo su dibujo."""
    import matplotlib.pyplot as plt

    _comprobar_dibujo(imagenes, canales)
    if not (capa is None or isinstance(capa, str)):
        raise ValueError(f"capa={capa!r}: indica el nombre de una sola capa, p. ej. capa=\"fire5\".")
    extractor = extractor_estilo(red, capas_contenido=[], capas_estilo=None if capa is None else [capa])
    grams = {}
    for titulo, imagen in imagenes.items():
        imagen = _con_lado_para_la_red(_cargar(imagen, None, "se dibuja a ese tamaño", _CONSEJO_DIBUJO,
                                               f"imagenes[{titulo!r}]"))
        gram = matriz_gram(extractor(tf.constant(imagen[None], tf.float32))["estilo"][0])[0].numpy()
        vistos = min(canales, len(gram))  # la capa puede tener menos canales de los pedidos
        grams[titulo] = gram[:vistos, :vistos]
    minimo, maximo = min(g.min() for g in grams.values()), max(g.max() for g in grams.values())
    figura, ejes = plt.subplots(1, len(grams), figsize=(3.3 * len(grams) + 0.8, 3.5), squeeze=False,
                                layout="constrained")
    for eje, (titulo, gram) in zip(ejes[0], grams.items()):
        dibujo = eje.imshow(gram, cmap="viridis", vmin=minimo, vmax=maximo)
        eje.set_title(titulo, fontsize=10)
        eje.set_xlabel("canal"), eje.set_ylabel("canal")
    figura.colorbar(dibujo, ax=ejes[0].tolist(), label="G[c, d]", shrink=0.85)
    escala = "; la misma escala en todas" if len(grams) > 1 else ""
    figura.suptitle(f"Matriz de Gram de {extractor.capas_estilo[0]} ({vistos} canales{escala})")
    guardar_o_mostrar(figura)


def dibujar_historiales(historiales, ruta=None):
    """Pérdida total frente a gradientes calculados y frente a segundos, para comparar métodos.

    ``historiales``: ``{nombre: historial de transferir_estilo}`` (o un historial solo). Con ``ruta``
    guarda un PNG.
    """
    import matplotlib.pyplot as plt
    from matplotlib import ticker

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

    figura, (eje_evaluaciones, eje_segundos) = plt.subplots(1, 2, figsize=(11, 4.1), layout="constrained")
    for nombre, historial in historiales.items():
        eje_evaluaciones.plot(historial["evaluaciones"], historial["total"], label=nombre)
        eje_segundos.plot(historial["segundos"], historial["total"], label=nombre)
    eje_evaluaciones.set(xlabel="gradientes calculados", ylabel="pérdida total", yscale="log")
    eje_evaluaciones.xaxis.set_major_locator(ticker.MaxNLocator(integer=True))  # sin «2,5 gradientes»
    eje_segundos.set(xlabel="segundos", ylabel="pérdida total", yscale="log")
    # Una leyenda para las dos, debajo: dentro, según lo que tarde cada método, tapaba el principio de una curva.
    figura.legend(*eje_evaluaciones.get_legend_handles_labels(), loc="outside lower center", ncols=len(historiales))
    con_escalas = any(len(set(historial.get("escala", []))) > 1 for historial in historiales.values())
    figura.suptitle("Pérdida durante la optimización" + (" (los saltos son cambios de escala)" if con_escalas else ""))
    guardar_o_mostrar(figura, ruta)
