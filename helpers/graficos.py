"""Gráficos del curso: cuadrículas de imágenes, curvas de pérdida e interpolación en el espacio latente."""

import inspect
import math
import warnings
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from matplotlib import ticker

from .entorno import LIMITE_RANGO
from .modelos import red_generadora
from .opciones import es_entero, es_real, exigir_enteros, exigir_ruta, exigir_semilla
from .textos import cifra, contar, miles


def a_uint8(imagenes):
    """Imágenes en [-1, 1] (tensor o matriz) → matriz uint8 en [0, 255] con 3 dimensiones por imagen."""
    imagenes = np.asarray(imagenes, dtype=np.float32)
    if imagenes.ndim == 3:
        imagenes = imagenes[..., None]
    # Un NaN (entrenamiento roto) se dibuja gris en lugar de un valor indefinido.
    imagenes = np.nan_to_num(imagenes, nan=0.0)
    return np.round((np.clip(imagenes, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)


class _MarcasConComa(ticker.ScalarFormatter):
    """Las marcas de un eje lineal con coma decimal («0,5»), como las demás cifras del curso."""

    def __call__(self, x, pos=None):
        return super().__call__(x, pos).replace(".", ",")

    def get_offset(self):
        return super().get_offset().replace(".", ",")


class _MarcasLogaritmicas(ticker.Formatter):
    """Las marcas de un eje logarítmico como números corrientes («2», «0,5», «300») en lugar de «2×10⁰»;
    si el eje llega más allá de [0,001, 100000], todas en notación científica, como matplotlib. Envuelve
    el formateador logarítmico de matplotlib, que sigue decidiendo qué marcas llevan número."""

    def __init__(self, original):
        self.original = original

    def set_axis(self, axis):  # también el de dentro: matplotlib lo cambia, p. ej. al quitar un eje compartido
        super().set_axis(axis)
        self.original.set_axis(axis)

    def set_locs(self, locs):
        self.original.set_locs(locs)  # ahí decide qué marcas secundarias llevan número

    def format_data_short(self, valor):  # el valor bajo el cursor
        return self.original.format_data_short(valor)

    def __call__(self, x, pos=None):
        texto = self.original(x, pos)  # «» en las marcas secundarias que no llevan número
        corrientes = self.axis is None or 1e-3 <= min(self.axis.get_view_interval()) <= max(self.axis.get_view_interval()) < 1e5
        return cifra(x, significativas=6) if texto and corrientes else texto


def con_coma_decimal(figura):
    """Pone coma decimal en las marcas de los ejes lineales de ``figura`` y números corrientes en las de
    los logarítmicos («300», no «3×10²»), y la devuelve. Las gráficas del curso la llaman antes de
    guardarse o mostrarse."""
    for eje in figura.axes:
        for eje_xy in (eje.xaxis, eje.yaxis):
            if type(eje_xy.get_major_formatter()) is ticker.ScalarFormatter:
                eje_xy.set_major_formatter(_MarcasConComa())
            for marcas, poner in ((eje_xy.get_major_formatter(), eje_xy.set_major_formatter),
                                  (eje_xy.get_minor_formatter(), eje_xy.set_minor_formatter)):
                if type(marcas) is ticker.LogFormatterSciNotation:
                    poner(_MarcasLogaritmicas(marcas))
    return figura


def guardar_figura(figura, ruta):
    """Guarda ``figura`` en ``ruta`` (en el formato de su extensión, p. ej. .png; ``~`` es tu carpeta personal),
    creando su carpeta."""
    ruta = exigir_ruta("ruta", ruta, "el archivo de la figura (p. ej. perdidas.png)")
    # Una carpeta «resultados» no tiene extensión: matplotlib guardaría «resultados.png» junto a ella, fuera.
    _no_es_carpeta(ruta, ".png (o .pdf, .svg)")
    if not ruta.suffix:  # como matplotlib: sin extensión, .png
        ruta = ruta.with_name(ruta.name + ".png")
    if ruta.suffix.lower()[1:] not in figura.canvas.get_supported_filetypes():  # si no, matplotlib falla en inglés
        raise ValueError(f"«{ruta}»: la extensión «{ruta.suffix}» no es de imagen. Usa un archivo .png (o .pdf, .svg), "
                         f"p. ej. «{_con_png(ruta)}».")
    ruta.parent.mkdir(parents=True, exist_ok=True)
    figura.savefig(ruta, dpi=100)


def guardar_o_mostrar(figura, ruta=None):
    """Guarda ``figura`` en ``ruta`` (``guardar_figura``) y la cierra; sin ``ruta``, la muestra."""
    import matplotlib.pyplot as plt

    con_coma_decimal(figura)
    if ruta:
        guardar_figura(figura, ruta)
        plt.close(figura)
    else:
        plt.show()


def cuadricula(imagenes, columnas=None, separacion=1):
    """Junta ``n`` imágenes ``(n, alto, ancho, canales)`` en [-1, 1] en un mosaico uint8.

    Devuelve ``(filas·alto + huecos, columnas·ancho + huecos, canales)``; los huecos son grises. Una
    sola imagen ``(alto, ancho, canales)`` también vale; lo que se sale de [-1, 1] se recorta, con un aviso.
    """
    try:
        imagenes = np.asarray(imagenes, dtype=np.float32)
    except (TypeError, ValueError):
        raise ValueError(
            f"Para una cuadrícula hacen falta imágenes (una matriz o un tensor) y llega {type(imagenes).__name__}: "
            "de un tf.data.Dataset, toma un lote con next(iter(datos)); de una GAN, sus muestras con gan.muestrear(16)."
        ) from None
    if imagenes.ndim == 3 and imagenes.shape[-1] in (1, 3):  # una sola imagen, no un lote de imágenes grises
        imagenes = imagenes[None]
    if columnas is not None and not es_entero(columnas, 1):
        raise ValueError(f"columnas={columnas!r} no es válido: debe ser un entero positivo (o None, para una cuadrícula cuadrada).")
    exigir_enteros(("separacion", separacion, 0))
    finitos = imagenes[np.isfinite(imagenes)]
    if finitos.size and (finitos.min() < -LIMITE_RANGO or finitos.max() > LIMITE_RANGO):
        warnings.warn(f"Las imágenes van de {cifra(finitos.min(), significativas=4)} a {cifra(finitos.max(), significativas=4)} "
                      "y se dibujan en [-1, 1]: lo que se sale se recorta. Si están en [0, 255], conviértelas con "
                      "imagenes / 127.5 - 1.", stacklevel=3)
    if sin_valor := np.count_nonzero(np.isnan(imagenes)):
        warnings.warn(f"{miles(sin_valor)} de los {miles(imagenes.size)} valores de las imágenes son NaN y se dibujan en "
                      "gris: si son muestras de una GAN, su entrenamiento se rompió (mira las curvas de pérdida); si no, "
                      "revisa cómo las calculaste (p. ej. una división entre 0).", stacklevel=3)
    imagenes = a_uint8(imagenes)
    if imagenes.ndim != 4 or imagenes.shape[-1] not in (1, 3) or not len(imagenes):
        raise ValueError(f"Para una cuadrícula hacen falta imágenes (n, alto, ancho, canales) con n ≥ 1 y 1 o 3 canales; "
                         f"llegan de forma {imagenes.shape}.")
    n, alto, ancho, canales = imagenes.shape
    columnas = columnas or math.ceil(math.sqrt(n))
    filas = math.ceil(n / columnas)
    paso_y, paso_x = alto + separacion, ancho + separacion
    mosaico = np.full((filas * paso_y - separacion, columnas * paso_x - separacion, canales), 128, np.uint8)
    for i, imagen in enumerate(imagenes):
        fila, columna = divmod(i, columnas)
        mosaico[fila * paso_y : fila * paso_y + alto, columna * paso_x : columna * paso_x + ancho] = imagen
    return mosaico


# Las que el curso sabe volver a leer (lectura.leer_imagen): TIFF no.
EXTENSIONES_IMAGEN = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif")


def comprobar_extension(ruta):
    """``ruta`` como ``Path`` si su extensión es de imagen (``EXTENSIONES_IMAGEN``); si no, ``ValueError`` en
    español (Pillow elige el formato por la extensión y, sin ella, falla en inglés)."""
    ruta = Path(ruta).expanduser()
    _no_es_carpeta(ruta, ".png (o .jpg, .webp)")
    if ruta.suffix.lower() not in EXTENSIONES_IMAGEN:
        que = f"la extensión «{ruta.suffix}» no es de imagen" if ruta.suffix else "no tiene extensión"
        if ruta.suffix.lower() in (".tif", ".tiff"):
            que = "el curso no lee TIFF (no podrías volver a cargarla)"
        raise ValueError(f"«{ruta}»: {que}. Usa .png (o .jpg, .webp), p. ej. {_con_png(ruta).name}.")
    return ruta


def _no_es_carpeta(ruta, formatos):
    """``ValueError`` en español si ``ruta`` es una carpeta que existe: se iba a guardar en ella un archivo."""
    if ruta.is_dir():
        raise ValueError(f"«{ruta}»: es una carpeta. Usa un archivo {formatos}, p. ej. «{ruta / 'figura.png'}».")


def _con_png(ruta):
    """``ruta`` con la extensión .png, para sugerirla: «p.txt» → «p.png», pero «perdidas_lr0.001» (un número, no
    una extensión) → «perdidas_lr0.001.png»."""
    return ruta.with_suffix(".png") if ruta.suffix[1:].isalpha() else ruta.with_name(ruta.name + ".png")


def guardar_cuadricula(imagenes, ruta, columnas=None, escala=None):
    """Guarda el mosaico de ``imagenes`` como PNG en ``ruta``, ampliado ``escala`` veces: por defecto, las que lo
    dejan más cerca de 512 px de ancho (p. ej. 2 para 8 columnas de 32 px: de 263 px, diminutas, a 526)."""
    from PIL import Image

    ruta = comprobar_extension(exigir_ruta("ruta", ruta, "el archivo donde guardarla (p. ej. muestras.png)"))
    if escala is not None:
        exigir_enteros(("escala", escala, 1))
    mosaico = cuadricula(imagenes, columnas)
    mosaico = ampliar(mosaico, escala or max(1, round(512 / mosaico.shape[1])))
    imagen = Image.fromarray(mosaico[..., 0] if mosaico.shape[-1] == 1 else mosaico)
    Path(ruta).parent.mkdir(parents=True, exist_ok=True)
    imagen.save(ruta)
    return Path(ruta)


def ampliar(mosaico, veces):
    """``mosaico`` ``(alto, ancho, canales)`` con cada píxel repetido ``veces`` × ``veces``: más grande y sin suavizar."""
    return np.repeat(np.repeat(mosaico, veces, axis=0), veces, axis=1)


def mostrar_cuadricula(imagenes, columnas=None, titulo=None, tamano_figura=None):
    """Dibuja ``imagenes`` (n, alto, ancho, canales) en [-1, 1] como un mosaico con matplotlib.

    ``tamano_figura``: el ancho de la figura en pulgadas; ``None``, 5 o más con muchas columnas (0,6 por
    columna, hasta 12), para que una tira de 16 imágenes no salga diminuta."""
    import matplotlib.pyplot as plt

    # Como figsize de matplotlib, pero un solo número: el alto sale de la forma del mosaico.
    if tamano_figura is not None and not es_real(tamano_figura, mayor_que=0):
        raise ValueError(f"tamano_figura={tamano_figura!r} no es válido: es el ancho de la figura en pulgadas, un número "
                         "positivo (p. ej. 8; el alto se calcula solo), o None para elegirlo según las columnas.")
    mosaico = cuadricula(imagenes, columnas)
    if tamano_figura is None:
        lado = np.shape(imagenes)[-2]  # el ancho de cada imagen: de él y del mosaico salen las columnas
        tamano_figura = min(12.0, max(5.0, 0.6 * ((mosaico.shape[1] + 1) // (lado + 1))))
    _, eje = plt.subplots(figsize=(tamano_figura, tamano_figura * mosaico.shape[0] / mosaico.shape[1]))
    eje.imshow(mosaico[..., 0] if mosaico.shape[-1] == 1 else mosaico, cmap="gray", vmin=0, vmax=255)
    eje.axis("off")
    if titulo:
        eje.set_title(titulo)
    plt.show()


CLAVES_HISTORIAL = ("perdida_g", "perdida_d")  # y, si está, exactitud_d


def dibujar_perdidas(historial, ruta=None, titulo=None):
    """Curvas de pérdida del generador y del discriminador, y exactitud del discriminador, por época.

    ``historial``: lo que devuelve ``fit`` (un ``History`` de Keras) o un diccionario con listas
    ``perdida_g``, ``perdida_d`` y, si la hay, ``exactitud_d`` (``History.history``, el de ``entrenar``;
    sin ella, p. ej. con tu ``train_step`` del cuaderno 02, solo se dibujan las pérdidas). Con ``ruta``
    guarda la figura como PNG en vez de mostrarla. ``titulo`` va encima de todo (p. ej. el nombre de la
    receta, para distinguir dos figuras seguidas).
    """
    import matplotlib.pyplot as plt

    historial = _historial_gan(historial)
    epocas = np.arange(1, len(historial["perdida_g"]) + 1)
    punto = "o" if len(epocas) == 1 else None  # una línea de un solo punto no se ve: la figura saldría vacía
    con_exactitud = "exactitud_d" in historial
    figura, ejes = plt.subplots(1, 2 if con_exactitud else 1, figsize=(11 if con_exactitud else 6, 3.8), squeeze=False)
    eje_perdida = ejes[0, 0]
    eje_perdida.plot(epocas, historial["perdida_g"], marker=punto, label="generador")
    eje_perdida.plot(epocas, historial["perdida_d"], marker=punto, label="discriminador")
    eje_perdida.set(xlabel="época", ylabel="pérdida", title="Pérdidas: no deberían bajar ambas")
    eje_perdida.legend()
    if con_exactitud:
        eje_exactitud = ejes[0, 1]
        eje_exactitud.plot(epocas, historial["exactitud_d"], marker=punto, color="tab:green")
        eje_exactitud.axhline(0.5, color="gray", linestyle="--", label="azar (0,5)")
        eje_exactitud.set(xlabel="época", ylabel="exactitud", ylim=(0, 1.02), title="Exactitud del discriminador")
        eje_exactitud.legend()
    for eje in ejes.flat:  # las épocas son enteras: sin «0,96» ni «1,04» alrededor de una sola
        eje.xaxis.set_major_locator(ticker.FixedLocator(epocas) if len(epocas) == 1 else ticker.MaxNLocator(integer=True))
    if titulo:
        figura.suptitle(str(titulo))
    figura.tight_layout()
    guardar_o_mostrar(figura, ruta)


def _historial_gan(historial):
    """El diccionario de listas de ``historial`` (también de un ``History``, que guarda el suyo en
    ``.history``), o ``ValueError`` en español si no tiene las métricas de una GAN del curso."""
    historial = getattr(historial, "history", historial)
    if isinstance(historial, Mapping) and all(clave in historial for clave in CLAVES_HISTORIAL):
        # Si no, matplotlib fallaría en inglés (o dibujaría ejes vacíos): p. ej. listas de dos entrenamientos distintos.
        largos = {clave: _largo(historial[clave]) for clave in (*CLAVES_HISTORIAL, "exactitud_d") if clave in historial}
        if None in largos.values() or len(set(largos.values())) > 1 or not largos["perdida_g"]:
            detalle = ", ".join(f"{clave}: {'no es una lista de números' if n is None else contar(n, 'valor', 'valores')}"
                                for clave, n in largos.items())
            raise ValueError(f"dibujar_perdidas necesita una lista por métrica con un número por época, todas igual de "
                             f"largas y con al menos una época, y le llegó {detalle}. Pásale el historial de un solo "
                             "entrenamiento, lo que devuelve gan.fit (o helpers.entrenar).")
        return historial
    if isinstance(historial, Mapping):
        llego = f"un diccionario con {', '.join(map(str, historial))}" if historial else "un diccionario vacío"
    else:
        llego = f"un objeto de tipo {type(historial).__name__}"
    raise ValueError(
        "dibujar_perdidas necesita el historial de entrenar una GAN del curso, con las listas perdida_g y perdida_d "
        f"(y, si la hay, exactitud_d), y le llegó {llego}. Pásale lo que devuelve gan.fit (o helpers.entrenar)."
    )


def _largo(valores):
    """Cuántos números tiene ``valores`` (una lista con uno por época), o ``None`` si no es una lista de números."""
    try:
        valores = np.asarray(valores, np.float64)
    except (TypeError, ValueError):
        return None
    return len(valores) if valores.ndim == 1 else None


def _acepta_training(funcion):
    """Si ``funcion(z, training=False)`` es una llamada válida: sí en un modelo de Keras (su ``__call__``
    acepta ``**kwargs``) y en una función con un parámetro ``training`` o ``**kwargs``; no en ``lambda z: …``."""
    try:
        parametros = inspect.signature(funcion).parameters.values()
    except (TypeError, ValueError):  # sin firma que leer (p. ej. algunas funciones escritas en C): se prueba
        return True
    return any(p.kind == p.VAR_KEYWORD or (p.name == "training" and p.kind != p.POSITIONAL_ONLY) for p in parametros)


def interpolar_latente(generador, z_inicio, z_fin, pasos=10):
    """Imágenes a lo largo de la recta entre dos vectores latentes: ``(pasos, alto, ancho, canales)``.
    ``generador``: un generador, una GAN del curso o una función de Python (ver ``modelos.red_generadora``),
    que recibe un lote ``(pasos, dim)`` de vectores latentes; se llama con ``training=False`` si lo acepta."""
    generador = red_generadora(generador, funcion=True)
    exigir_enteros(("pasos", pasos, 1))
    extremos = []
    for nombre, valor in (("z_inicio", z_inicio), ("z_fin", z_fin)):
        try:
            z = np.asarray(valor, np.float32)
        except (TypeError, ValueError):  # p. ej. un texto: NumPy lo diría en inglés
            z = None
        dim = generador.input_shape[-1] if hasattr(generador, "input_shape") else getattr(z, "size", "dim_latente")
        if z is None or z.size != dim:  # (dim,) o (1, dim) valen: es un solo vector
            que = f"tiene forma {z.shape}" if z is not None else f"no es un vector de números ({type(valor).__name__})"
            raise ValueError(f"{nombre} {que} y el generador pide un vector latente de {dim} números: "
                             f"pasa uno de forma ({dim},), p. ej. np.random.normal(size={dim}).")
        extremos.append(z.reshape(-1))
    t = np.linspace(0.0, 1.0, pasos, dtype=np.float32)[:, None]
    opciones = {"training": False} if _acepta_training(generador) else {}  # p. ej. lambda z: … no lo acepta
    return np.asarray(generador((1.0 - t) * extremos[0][None] + t * extremos[1][None], **opciones))


def mostrar_interpolacion(generador, semilla=0, filas=3, pasos=10):
    """Dibuja ``filas`` tiras de interpolación latente entre pares de vectores aleatorios.
    ``generador``: un generador o una GAN del curso."""
    generador = red_generadora(generador)
    exigir_enteros(("filas", filas, 1), ("pasos", pasos, 1))
    exigir_semilla(semilla)
    rng = np.random.default_rng(semilla)
    dim = generador.input_shape[-1]
    tiras = [interpolar_latente(generador, rng.normal(size=dim), rng.normal(size=dim), pasos) for _ in range(filas)]
    mostrar_cuadricula(np.concatenate(tiras), columnas=pasos, titulo="Interpolación en el espacio latente")


def dibujar_curvas_metrica(curvas, nombre_metrica="SWD ×10³", eje_x="segundos", ruta=None, titulo=None):
    """Una curva por receta en la misma figura: ``curvas`` = ``{nombre: lista de registros}``, cada
    registro un diccionario con ``eje_x`` (``'segundos'`` o ``'epoca'``) y ``'valor'``, como los de
    ``historial["metrica"]`` de ``entrenar`` (también vale el historial entero). Para una sola curva
    basta la lista de registros o el historial.

    Menor es mejor en las métricas de distancia (SWD, FID, KID). Guarda la figura en ``ruta`` si se da.
    """
    import matplotlib.pyplot as plt

    if eje_x not in ("segundos", "epoca"):
        raise ValueError(f"eje_x={eje_x!r} no es válido: usa \"segundos\" o \"epoca\" (sin tilde, como en los registros).")
    if isinstance(curvas, list) or (isinstance(curvas, dict) and isinstance(curvas.get("metrica"), list)):
        curvas = {nombre_metrica: curvas}  # una sola curva: sus registros, o el historial entero de entrenar
    if not isinstance(curvas, dict):
        raise ValueError(f"curvas debe ser {{nombre: registros}} (p. ej. {{\"mi receta\": historial[\"metrica\"]}}), "
                         f"una lista de registros o el historial de entrenar, y recibió {type(curvas).__name__}.")
    curvas = {nombre: registros["metrica"] if isinstance(registros, dict) and "metrica" in registros else registros
              for nombre, registros in curvas.items()}
    for nombre, registros in curvas.items():
        if isinstance(registros, list) and not registros:  # sin esto, una figura vacía sin decir por qué
            raise ValueError(f"«{nombre}» no tiene ninguna medida todavía: la métrica se mide al terminar la primera "
                             "época (¿se interrumpió el entrenamiento antes?).")
        if registros is None or not all(isinstance(r, dict) and {eje_x, "valor"} <= r.keys() for r in registros):
            raise ValueError(f"«{nombre}» no es una lista de registros con \"{eje_x}\" y \"valor\": pasa "
                             "historial[\"metrica\"] de entrenar (entrenado con reales_metrica=…).")
    figura, eje = plt.subplots(figsize=(7, 4))
    for nombre, registros in curvas.items():
        eje.plot([r[eje_x] for r in registros], [r["valor"] for r in registros], marker=".", label=nombre)
    eje.set_xlabel("tiempo de entrenamiento (s)" if eje_x == "segundos" else "época")
    if eje_x == "epoca":  # las épocas son enteras: sin «1,25» entre la 1 y la 2, ni «0,96» alrededor de una sola
        epocas = sorted({r[eje_x] for registros in curvas.values() for r in registros})
        eje.xaxis.set_major_locator(ticker.FixedLocator(epocas) if len(epocas) == 1 else ticker.MaxNLocator(integer=True))
    eje.set_ylabel(f"{nombre_metrica} (menor es mejor)")
    eje.set_title(titulo or f"{nombre_metrica} durante el entrenamiento")
    eje.grid(alpha=0.3)
    if len(curvas) > 1:
        eje.legend()
    con_coma_decimal(figura).tight_layout()
    if ruta:
        guardar_figura(figura, ruta)
    return figura
