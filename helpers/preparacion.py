"""Preparar las imágenes de un estudiante: revisar, leer zips con seguridad, recortar y limpiar.

- ``revisar_imagenes``: qué archivos de una carpeta (con subcarpetas) o de un .zip sirven, y por qué
  no sirven los demás. ``mostrar_informe`` lo enseña como tabla y vista previa.
- ``preparar_imagenes``: las deja cuadradas, del mismo tamaño y en PNG en una carpeta nueva bajo
  ``salida`` (o en la de una preparación anterior idéntica); si quieres, recorta rostros y quita duplicados.
- ``imagenes_carpeta``: carga una carpeta o un .zip como float32 en [-1, 1] para entrenar la GAN;
  ``cargar_imagenes`` acepta además el nombre de un conjunto de ``helpers.datos`` (``'digitos'``…).

Los originales solo se leen: nunca se modifican, mueven ni borran. Solo se decodifican imágenes, con ``lectura``
(JPEG, PNG, WebP, BMP y GIF con Pillow; AVIF con Pillow 11.3 o más nueva; HEIC con pillow-heif); ningún archivo se
carga con pickle. Las copias casi idénticas las reconoce ``duplicados``, y la memoria libre la dice ``memoria``.
"""

import collections
import contextlib
import difflib
import glob
import io
import math
import os
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

import numpy as np
from PIL import Image

from .archivos import IgualEnLaSerie, con_la_ruta_pedida, primera_libre
from .datos import a_rango_simetrico, imagenes_digitos, imagenes_lfw, imagenes_mnist, imagenes_rostros
from .duplicados import Vistas, huella_exacta
from .entorno import carpeta_resultados, repartidos
from .errores import buscada_en, consejo_del_sistema, explicar_error_del_sistema
from .graficos import mostrar_cuadricula
from .lectura import FONDO, FONDO_OSCURO, Descarte, aviso_sobre_negro, decodificar
from .memoria import memoria_libre
from .opciones import es_entero, exigir_booleano, exigir_carpeta, exigir_enteros, exigir_ruta
from .progreso import LineaDeAvance, duracion, falta
from .punto_de_control import ARCHIVO_ESTADO
from .textos import cifra, contar, enumerar_algunos, miles, sin_tildes
from .zip_seguro import ERRORES_AL_DESCOMPRIMIR, abrir_zip, miembros, motivo_peligro

RECORTES = ("centro", "relleno")
ALARGADA = 2  # más larga que ancha (o al revés) de 2:1: el recorte central tira más de la mitad
MAX_RAPIDO = 512  # archivos que se leen en modo rápido
MINIATURA = 64
# Lado máximo al que busca rostros la cascada: su tiempo crece con el área (benchmarks/detector_rostros.py).
LADO_DETECCION = 256
MAX_MIEMBRO = 512 * 2**20  # bytes de un archivo del zip, que se descomprime en memoria
# Cómo nombran las copias Windows, macOS y los navegadores: «foto - copia», «Copia de foto», «foto copy», «foto (1)».
NOMBRE_DE_COPIA = re.compile(r"(?i)(?<![^\W_])cop(ia|y)(?![^\W_])|\(\d+\)$")  # «copia» suelta, también entre «_»
A_MEDIAS = ".a_medias"  # final de la carpeta oculta en la que preparar_imagenes escribe antes de darle su nombre
# Lo que deja un entrenamiento en su carpeta, y lo que lleva su entrega: «tarea.json» y «manifiesto.json» son
# helpers.tarea.ARCHIVO_REGISTRO y helpers.tarea.MANIFIESTO, escritos a mano porque tarea importa este módulo (y no
# al revés).
MARCAS_DE_RESULTADOS = ("tarea.json", ARCHIVO_ESTADO, "manifiesto.json")
QUE_RUTA = "la carpeta o el .zip de tus imágenes"
# Bytes por valor de imagen (píxel × canal) que hay en memoria a la vez al cargar: imagenes_carpeta tiene la matriz
# uint8 y la float32 que devuelve (1 + 4); entrenar_carpeta, la uint8 y su parte de entrenamiento (1 + 0,85, y algo
# de margen).
BYTES_CUADERNO = 5
BYTES_ENTRENAR = 2
# Lo que se deja libre para TensorFlow, la red y el resto del sistema: si las imágenes piden más, no se cargan.
PARTE_PARA_IMAGENES = 0.8


@dataclass(repr=False)
class Informe:
    """Resultado de revisar (o preparar) una carpeta o un .zip de imágenes.

    - ``utilizables``: nombres (relativos a la carpeta, o rutas dentro del zip) de las imágenes válidas;
    - ``descartadas``: pares ``(nombre, motivo)``, con el motivo en español;
    - ``miniaturas``: hasta 16 vistas previas uint8 ``(lado, lado, canales)`` para ``mostrar_informe``;
    - ``ampliadas``: pares ``(nombre, medida)`` de las utilizables que medían menos que el tamaño pedido y
      se ampliaron (solo al preparar; ``preparar_imagenes`` lo avisa al terminar);
    - ``sobre_negro``: nombres de las utilizables que eran dibujos claros sobre fondo transparente y se
      compusieron sobre negro, porque sobre blanco apenas se verían (se avisa al preparar y al mostrar el informe).
    """

    origen: str
    utilizables: list = field(default_factory=list)
    descartadas: list = field(default_factory=list)
    miniaturas: list = field(default_factory=list)
    ampliadas: list = field(default_factory=list)
    sobre_negro: list = field(default_factory=list)

    def tabla(self, max_filas=30):
        """Resumen y tabla de texto con el motivo de cada archivo descartado; de los que pasen de
        ``max_filas`` (``None``: ninguno), solo cuántos hay por cada motivo."""
        utilizables = contar(len(self.utilizables), "imagen utilizable", "imágenes utilizables")
        lineas = [f"{self.origen}: {utilizables}, {contar(len(self.descartadas), 'descartada', 'descartadas')}."]
        corte = len(self.descartadas) if max_filas is None else max_filas
        mostradas, resto = self.descartadas[:corte], self.descartadas[corte:]
        if mostradas:
            ancho = max(len("archivo"), *(len(nombre) for nombre, _ in mostradas))
            lineas += ["", f"{'archivo':<{ancho}}  motivo", f"{'-' * ancho}  {'-' * 6}"]
            lineas += [f"{nombre:<{ancho}}  {motivo}" for nombre, motivo in mostradas]
        if resto:
            lineas.append(f"… y {contar(len(resto), 'descartada más', 'descartadas más')} (en Python, tabla(None) del "
                          "informe las lista todas):")
            lineas += _por_motivo(resto, "  ")
        return "\n".join(lineas)

    __str__ = __repr__ = tabla


def archivo_del_sistema(nombre):
    """Archivos del sistema, no del estudiante (``.DS_Store``, ``__MACOSX/``, ``Thumbs.db``): se ignoran."""
    partes = nombre.split("/")
    return any(p.startswith(".") or p == "__MACOSX" for p in partes) or partes[-1].lower() in ("thumbs.db", "desktop.ini")


def _demasiado_grande(info):
    """Motivo si el miembro ``info`` no cabe en memoria de una vez (se lee entero para Pillow), o ``None``."""
    if info.file_size > MAX_MIEMBRO:
        return (f"ocupa {info.file_size / 2**20:.0f} MiB descomprimido, más de los {MAX_MIEMBRO // 2**20} MiB que "
                "leo de un zip: descomprímelo tú y usa la carpeta")
    return None


def _leer_miembro(archivo_zip, info):
    """Bytes del miembro ``info`` en memoria (para Pillow) o ``Descarte`` si no se puede descomprimir."""
    try:
        return io.BytesIO(archivo_zip.read(info))
    except ERRORES_AL_DESCOMPRIMIR:
        raise Descarte("dañado dentro del zip: no se puede descomprimir") from None


def _tipo(ruta):
    """``('carpeta', None)``, ``('archivo', None)`` o ``(None, motivo)``; sigue los enlaces simbólicos."""
    try:
        if ruta.is_dir():
            return "carpeta", None
        if ruta.is_file():
            return "archivo", None
        if ruta.is_symlink() and not ruta.exists():
            return None, "enlace simbólico roto (o en bucle): lo que señala no existe"
    except OSError:
        return None, "no se puede leer: revisa sus permisos"
    return None, "no es un archivo normal (dispositivo, tubería…): se salta"


def _archivos(raiz):
    """``[(nombre, ruta, motivo)]`` de la carpeta ``raiz`` y sus subcarpetas (``_origen`` las ordena).

    Sigue los enlaces simbólicos (a archivos y a carpetas, también de fuera), pero nunca lee dos veces
    el mismo archivo ni entra dos veces en la misma carpeta: un enlace a una carpeta que lo contiene
    no da vueltas sin fin. Lo que se salta queda con su motivo (``ruta`` es ``None``): nada se omite
    en silencio, salvo los archivos ocultos del sistema.
    """
    entradas, usados, carpetas = [], {}, {raiz.resolve()}

    def recorrer(carpeta, prefijo):
        try:  # lo que no es enlace va antes: así se usa el nombre real, y el enlace es el repetido
            hijos = sorted(carpeta.iterdir(), key=lambda hijo: (hijo.is_symlink(), hijo.name))
        except OSError:
            entradas.append((prefijo.rstrip("/") or ".", None, "carpeta que no se puede leer: revisa sus permisos"))
            return
        for hijo in hijos:
            nombre = prefijo + hijo.name
            if archivo_del_sistema(nombre):
                continue
            tipo, motivo = _tipo(hijo)
            real = hijo.resolve() if tipo else None
            if real in carpetas:
                motivo = "enlace a una carpeta que ya se recorre (o que lo contiene): se salta para no leerla dos veces"
            elif real in usados:
                motivo = f"es el mismo archivo que «{usados[real]}» (por un enlace simbólico): no se lee dos veces"
            elif tipo == "carpeta":
                carpetas.add(real)
                recorrer(hijo, nombre + "/")
                continue
            elif tipo == "archivo":
                usados[real] = nombre
                entradas.append((nombre, hijo, None))
                continue
            entradas.append((nombre, None, motivo))

    recorrer(raiz, "")
    return entradas


def _error_de_resultados(ruta, marca):
    """El ``ValueError`` para quien pasa como sus imágenes la carpeta (o el .zip) de resultados de un
    entrenamiento, o una entrega: sus PNG son las muestras y gráficas del propio kit, entrenar con ellas no tiene
    sentido."""
    return ValueError(f"«{ruta}» es {'una' if marca == 'manifiesto.json' else 'la'} {_que_es(marca)}: sus imágenes son "
                      "muestras y gráficas del curso, no tus fotos. Indica la carpeta (o el .zip) de tus imágenes, o "
                      "la que creó preparar (python -m helpers preparar, o preparar_imagenes).")


def _que_es(marca):
    """Qué es la carpeta (o el .zip) que tiene ``marca``, una de ``MARCAS_DE_RESULTADOS``."""
    que = "entrega de «entregar»" if marca == "manifiesto.json" else "carpeta de resultados de un entrenamiento"
    return f"{que} (tiene {marca})"


def _sin_resultados(entradas, ruta):
    """``entradas`` sin lo que hay en carpetas de resultados de un entrenamiento (las que tienen una de
    ``MARCAS_DE_RESULTADOS``): cada una queda como una sola entrada descartada, con su motivo. Igual en
    una carpeta que en su .zip. Si lo es la propia ``ruta`` (o la raíz del zip), ``ValueError``."""
    marcadas = {}
    for nombre, _, motivo in entradas:
        carpeta, _, archivo = nombre.rpartition("/")
        if archivo in MARCAS_DE_RESULTADOS and motivo is None:  # un archivo que se puede leer, no un enlace roto
            marcadas.setdefault(carpeta, archivo)
    if "" in marcadas:
        raise _error_de_resultados(ruta, marcadas[""])
    dentro = tuple(carpeta + "/" for carpeta in marcadas)
    motivo = "{}: sus imágenes son muestras y gráficas del curso, no tus fotos"
    return ([entrada for entrada in entradas if not entrada[0].startswith(dentro)]
            + [(carpeta, None, motivo.format(_que_es(marca))) for carpeta, marca in marcadas.items()])


@contextlib.contextmanager
def _origen(ruta):
    """Abre una carpeta (recursiva) o un .zip y da la lista ``[(nombre, abrir, motivo)]`` ordenada por ruta.

    ``ruta``: el ``Path`` que devuelve ``exigir_ruta`` (con ``~`` ya expandido). ``abrir()`` devuelve el
    archivo binario (del zip, ya descomprimido en memoria); ``motivo`` no es ``None`` si el archivo se
    descarta sin abrirlo.
    """
    if ruta.name.endswith(A_MEDIAS):
        raise ValueError(f"«{ruta}» quedó de una preparación cortada a medias: no la uses. Bórrala y vuelve a "
                         "preparar tus imágenes (python -m helpers preparar, o preparar_imagenes).")
    # os.path.isfile: en una carpeta sin permiso de lectura, False (lo explica _archivos) y no PermissionError.
    if marca := next((nombre for nombre in MARCAS_DE_RESULTADOS if os.path.isfile(ruta / nombre)), None):
        raise _error_de_resultados(ruta, marca)  # antes de recorrerla: puede ser enorme
    with contextlib.ExitStack() as pila:
        if ruta.is_dir():
            entradas = [(nombre, lambda p=p: open(p, "rb"), motivo) for nombre, p, motivo in _archivos(ruta)]
        elif ruta.is_file() and ruta.suffix.lower() == ".zip":
            archivo_zip = pila.enter_context(abrir_zip(ruta))
            entradas = []
            for info, motivo in miembros(archivo_zip):
                if motivo_peligro(info) or not archivo_del_sistema(info.filename):
                    entradas.append((info.filename, lambda info=info: _leer_miembro(archivo_zip, info),
                                     motivo or _demasiado_grande(info)))
        elif ruta.is_file():  # p. ej. una sola foto: «o no existe» confundiría
            raise ValueError(f"«{ruta}» es un archivo, no una carpeta ni un .zip: pon tus imágenes (cientos, mejor) en "
                             "una carpeta e indica la carpeta.")
        else:
            raise ValueError(f"«{ruta}» no es una carpeta ni un archivo .zip (o no existe): comprueba la ruta"
                             f"{buscada_en(ruta)}.")
        entradas = _sin_resultados(entradas, ruta)
        # Por ruta, carpeta a carpeta: una carpeta y su .zip (que ``zip -r`` guarda sin ordenar) dan las
        # mismas imágenes en el mismo orden, y así la misma partición entre entrenamiento y reserva.
        entradas.sort(key=lambda entrada: entrada[0].split("/"))
        # En modo rápido, repartidos por todas: de una carpeta por clase (gatos/, perros/…) quedan todas.
        if len(usados := repartidos(len(entradas), MAX_RAPIDO)) < len(entradas):
            print(f"Modo rápido: uso solo {len(usados)} de {len(entradas)} archivos, tomados a intervalos iguales "
                  "entre todos (no solo los primeros).")
        yield [entradas[i] for i in usados]


def _recorrer(ruta, tamano_minimo, lado=None, originales_primero=False, al_contar=None, al_azar=False):
    """Produce ``(nombre, imagen, fondo, reduccion, motivo)`` por archivo: ``imagen`` uint8 ``(alto, ancho, 3)`` o
    ``None``, y ``fondo`` y ``reduccion`` como en ``lectura.decodificar``.

    ``originales_primero``: los nombres de copia («foto - copia.jpg», «foto (1).jpg», «Copia de foto.jpg»,
    «foto copy.jpg») al final, para que al quitar duplicados se quede el original y no la copia. ``al_contar``: se
    llama con el número de archivos antes de abrir ninguno. ``al_azar``: en un orden barajado, siempre el mismo para
    los mismos archivos (para quedarse con una parte al azar que no cambie de una vez a otra).
    """
    with _origen(ruta) as entradas:
        if al_contar:
            al_contar(len(entradas))
        if al_azar:
            entradas = [entradas[i] for i in np.random.default_rng(0).permutation(len(entradas))]
        if originales_primero:  # sorted es estable: el resto no cambia de orden
            entradas = sorted(entradas, key=lambda e: bool(NOMBRE_DE_COPIA.search(PurePosixPath(e[0]).stem)))
        avance = LineaDeAvance() if len(entradas) >= 100 else None
        inicio, paso = time.perf_counter(), 0
        try:
            for paso, (nombre, abrir, motivo) in enumerate(entradas, 1):
                imagen, fondo, reduccion = None, FONDO, 1.0
                if motivo is None and nombre.lower().endswith(".zip"):
                    motivo = "es un .zip: descomprímelo y pon sus imágenes con las demás"
                elif motivo is None:
                    try:
                        with abrir() as archivo:
                            imagen, fondo, reduccion = decodificar(archivo, tamano_minimo, lado)
                    except Descarte as error:
                        motivo = str(error)
                    except OSError:  # p. ej., sin permiso de lectura: se informa y se sigue con los demás
                        motivo = "no se puede leer: revisa sus permisos"
                yield nombre, imagen, fondo, reduccion, motivo
                if avance and paso < len(entradas) and avance.toca():
                    segundos = time.perf_counter() - inicio
                    avance.escribir(f"Archivo {paso}/{len(entradas)} · {falta(segundos / paso * (len(entradas) - paso))}")
        finally:  # también si quien recorre para antes (p. ej. con maximo): la línea de avance no queda a medias
            if avance and (paso == len(entradas) or avance.escrito):
                avance.terminar(f"{contar(paso, 'archivo revisado', 'archivos revisados')} en "
                                f"{duracion(time.perf_counter() - inicio)}")


def _cuadrar(imagen, tamano, recorte="centro", canales=3, fondo=FONDO):
    """uint8 ``(alto, ancho, 3)`` → uint8 ``(tamano, tamano, canales)``: recorta el centro o rellena con ``fondo``
    (el de su transparencia, para que las bandas no se distingan de él)."""
    alto, ancho = imagen.shape[:2]
    if recorte == "centro":
        lado = min(alto, ancho)
        y, x = (alto - lado) // 2, (ancho - lado) // 2
        cuadrada = Image.fromarray(imagen[y : y + lado, x : x + lado])
    else:
        lado = max(alto, ancho)
        cuadrada = Image.new("RGB", (lado, lado), fondo)
        cuadrada.paste(Image.fromarray(imagen), ((lado - ancho) // 2, (lado - alto) // 2))
    cuadrada = cuadrada.resize((tamano, tamano), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return np.asarray(cuadrada) if canales == 3 else np.asarray(cuadrada.convert("L"))[..., None]


@lru_cache(maxsize=1)
def _detector_rostros():
    """La cascada LBP de rostros de frente que trae scikit-image (``skimage.feature.Cascade``)."""
    from skimage.data import lbp_frontal_face_cascade_filename
    from skimage.feature import Cascade

    return Cascade(lbp_frontal_face_cascade_filename())


def caja_rostro(imagen, margen=1.6):
    """Cuadrado ``(x, y, lado)`` en píxeles alrededor del rostro más grande, o ``None`` si no hay ninguno.

    ``imagen``: uint8 ``(alto, ancho, 3)``. Usa la cascada LBP de rostros de frente de scikit-image
    sobre la imagen en gris reducida a ``LADO_DETECCION`` px: encuentra rostros de al menos una
    décima parte del lado mayor. El lado del cuadrado mide ``margen`` veces el del rostro, para incluir
    pelo y barbilla, y el cuadrado se desplaza lo justo para caber en la imagen.
    """
    alto, ancho = imagen.shape[:2]
    escala = min(1.0, LADO_DETECCION / max(alto, ancho))
    reducida = Image.fromarray(imagen).convert("L").resize(
        (max(1, round(ancho * escala)), max(1, round(alto * escala))), Image.Resampling.BOX
    )
    gris = np.asarray(reducida, np.float32) / 255.0
    rostros = _detector_rostros().detect_multi_scale(
        gris, scale_factor=1.2, step_ratio=1, min_size=(24, 24), max_size=gris.shape
    )
    if not rostros:
        return None
    mayor = max(rostros, key=lambda r: r["width"] * r["height"])
    x, y, w, h = (mayor[clave] / escala for clave in ("c", "r", "width", "height"))
    lado = int(min(margen * max(w, h), alto, ancho))
    return int(np.clip(x + (w - lado) / 2, 0, ancho - lado)), int(np.clip(y + (h - lado) / 2, 0, alto - lado)), lado


def _comprobar(canales, tamano, recorte="centro"):
    if not es_entero(tamano, 8, 1024):
        raise ValueError(f"tamano={tamano!r} no es válido: debe ser un entero entre 8 y 1024 píxeles (p. ej. 32, 64 o 128).")
    if canales not in (1, 3):
        raise ValueError(f"canales={canales!r} no es válido: usa 3 (color) o 1 (gris).")
    if recorte not in RECORTES:
        raise ValueError(f"recorte={recorte!r} no es válido: usa 'centro' o 'relleno'.")


def _motivos(descartadas, maximo=10, por_revisar=True):
    """Líneas «  - nombre: motivo» de los primeros ``maximo`` pares ``(nombre, motivo)`` y cuántos quedan: con
    ``por_revisar``, dónde verlos todos (``revisar_imagenes`` da los mismos motivos); si no (p. ej. «no se detectó
    ningún rostro», que solo da ``preparar_imagenes``), cuántos hay de cada motivo."""
    lineas = [f"  - {nombre}: {motivo}" for nombre, motivo in descartadas[:maximo]]
    resto = descartadas[maximo:]
    if resto and por_revisar:
        lineas.append(f"  … y {len(resto)} más (en Python, revisar_imagenes los lista todos).")
    elif resto:
        lineas.append(f"  … y {len(resto)} más:")
        lineas += _por_motivo(resto, "    ")
    return lineas


def _por_motivo(descartadas, sangria):
    """Líneas «``sangria``veces × motivo» de los pares ``(nombre, motivo)``: cuántos hay de cada motivo, el más
    repetido primero."""
    return [f"{sangria}{veces} × {motivo}" for motivo, veces in collections.Counter(m for _, m in descartadas).most_common()]


def _medida_si_pequena(imagen, reduccion, tamano, recorte="centro"):
    """«ancho×alto px» del original si el lado que pasa a medir ``tamano`` (el menor con ``recorte='centro'``, el
    mayor con ``'relleno'``) no llegaba a ``tamano``: se amplía y sale borrosa. Si no, ``None``.

    ``reduccion`` (ver ``lectura.decodificar``) da la medida del original: una JPEG decodificada ya reducida no es pequeña.
    """
    alto, ancho = (round(medida * reduccion) for medida in imagen.shape[:2])
    return f"{ancho}×{alto} px" if (min if recorte == "centro" else max)(alto, ancho) < tamano else None


def _medida_si_alargada(imagen, reduccion):
    """«ancho×alto px» del original si un lado mide más de ``ALARGADA`` veces el otro (un panorama, un banner): el
    cuadrado central se queda solo con su parte de en medio. Si no, ``None``."""
    alto, ancho = (round(medida * reduccion) for medida in imagen.shape[:2])
    return f"{ancho}×{alto} px" if max(alto, ancho) > ALARGADA * min(alto, ancho) else None


def _aviso_alargadas(alargadas):
    """Una línea: cuántas imágenes ``(nombre, medida)`` eran muy alargadas, las primeras y qué hacer."""
    dice = (f"1 imagen es muy alargada (más de {ALARGADA}:1) y el cuadrado central deja fuera más de la mitad de ella"
            if len(alargadas) == 1 else f"{contar(len(alargadas), 'imagen', 'imágenes')} son muy alargadas (más de "
            f"{ALARGADA}:1) y el cuadrado central deja fuera más de la mitad de cada una")
    return (f"Aviso: {dice}: {enumerar_algunos(alargadas)}. Si lo importante no está en el centro, prepáralas con "
            "recorte='relleno' (en la terminal, preparar --recorte relleno): quedan enteras, con bandas blancas.")


def _aviso_ampliadas(ampliadas, tamano, rostros=False):
    """Una línea: cuántas imágenes ``(nombre, medida)`` se ampliaron, las primeras y qué hacer."""
    medida = f"{tamano}×{tamano} px{' (el recorte de su rostro)' if rostros else ''}"
    dice = (f"1 imagen medía menos de {medida} y se ha ampliado, así que se verá borrosa" if len(ampliadas) == 1 else
            f"{contar(len(ampliadas), 'imagen', 'imágenes')} medían menos de {medida} y se han ampliado, así que se "
            "verán borrosas")
    return (f"Aviso: {dice}: {enumerar_algunos(ampliadas)}. Usa un tamaño menor (--tamano en la terminal; tamano= en Python) o fotos "
            "más grandes.")


def _sin_imagenes(ruta, descartadas, tamano_minimo, rostros=False):
    """Error de una carpeta o un .zip sin imágenes utilizables, con los motivos: en la terminal no se ven de otro modo."""
    if not descartadas:
        return ValueError(f"«{ruta}» no tiene ninguna imagen utilizable: está vacía (los archivos ocultos del sistema "
                          f"no cuentan). Añade fotos JPEG o PNG de al menos {tamano_minimo} px.")
    consejo = (f"añade fotos JPEG o PNG de al menos {tamano_minimo} px" if not rostros else
               "usa fotos con un rostro de frente bien visible o no recortes rostros (quita --rostros en la "
               "terminal; rostros=False en Python)")
    cuantos = contar(len(descartadas), "archivo descartado", "archivos descartados")
    primera = f"«{ruta}» no tiene ninguna imagen utilizable ({cuantos}): {consejo}. Motivos:"
    return ValueError("\n".join([primera, *_motivos(descartadas, por_revisar=not rostros)]))


def _carpeta_a_medias(destino, serie):
    """Crea una carpeta oculta junto a ``destino`` (``.fotos_64px.1a2b3c4d.a_medias``) para escribir en ella, con los
    archivos que hasta aquí coincidían con una preparación anterior (``serie.copiar_lo_igual``).

    Oculta, nadie la toma por preparada: ``preparar_imagenes`` no la cuenta al elegir nombre y al cargar
    imágenes se salta (o, si la nombras, se rechaza). Así, lo que quede de un corte de golpe nunca se usa.
    """
    destino.parent.mkdir(parents=True, exist_ok=True)  # si no se puede, el error nombra la carpeta de salida
    carpeta = destino.with_name(f".{destino.name}.{secrets.token_hex(4)}{A_MEDIAS}")
    try:
        carpeta.mkdir()
    except OSError as error:  # que el mensaje nombre tu carpeta de salida, no la oculta
        raise type(error)(error.errno, error.strerror, str(destino.parent)) from None
    try:
        with con_la_ruta_pedida(carpeta, destino.parent):  # si no cabe, el error nombra la salida, no la oculta
            serie.copiar_lo_igual(carpeta)
    except BaseException:  # también Ctrl-C: quien llama aún no la conoce para borrarla
        shutil.rmtree(carpeta, ignore_errors=True)
        raise
    return carpeta


def _detenida_por_el_sistema(error, temporal, destino):
    """El ``OSError`` en español que sustituye a uno del sistema operativo (el disco lleno, sin permiso…) al
    preparar hacia ``destino``; si falló al escribir en la carpeta oculta ``temporal``, ya borrada, nombra la
    carpeta de salida."""
    archivo = error.filename
    if temporal is not None and archivo is not None and Path(archivo).is_relative_to(temporal):
        archivo = destino.parent
    explicacion = explicar_error_del_sistema(OSError(error.errno, error.strerror, archivo))
    return OSError(f"Preparación detenida: {explicacion}. En «{destino.parent}» no queda ninguna carpeta a medias y tus "
                   f"originales no se han tocado: {consejo_del_sistema(error)}, y vuelve a empezarla.")


def _avisar_restos(destino):
    """Nombra las carpetas ocultas que dejó junto a ``destino`` un corte de golpe (sin tiempo de borrarlas,
    p. ej. al cerrar la terminal): no se usan, pero ocupan sitio."""
    for resto in sorted(destino.parent.glob(f".{glob.escape(destino.name)}.*{A_MEDIAS}")):
        print(f"Aviso: «{resto}» quedó de una preparación cortada de golpe y no se usa: bórrala para liberar espacio.")


def comprobar_salida(salida, origen):
    """``ValueError`` si la carpeta de salida (de un entrenamiento o de ``preparar_imagenes``) es un archivo o está
    dentro de la de imágenes: lo que escribe el kit se mezclaría con tus fotos (y se cargaría como si fueran tuyas
    la próxima vez)."""
    salida, origen = Path(salida).expanduser(), Path(origen).expanduser()
    exigir_carpeta(f"La salida «{salida}»", salida, "elige otra carpeta de salida")
    if origen.is_dir() and salida.resolve().is_relative_to(origen.resolve()):
        raise ValueError(f"La carpeta de salida «{salida}» está dentro de la de imágenes «{origen}»: elige otra.")


def revisar_imagenes(ruta, tamano_minimo=16):
    """Revisa una carpeta (con subcarpetas) o un .zip sin escribir nada y devuelve un ``Informe``.

    Motivos de descarte: no es una imagen, vacía, dañada o truncada, más pequeña que ``tamano_minimo``
    píxeles de lado, animada, demasiado grande (bomba de descompresión), modo de color no admitido,
    enlace simbólico roto o repetido en una carpeta (los demás se siguen) y, dentro de un zip, rutas o
    enlaces peligrosos. Los archivos ocultos del sistema se ignoran. Un .zip que parece una bomba zip
    lanza ``ValueError`` sin descomprimir nada.
    """
    exigir_enteros(("tamano_minimo", tamano_minimo, 1))
    ruta = exigir_ruta("ruta", ruta, QUE_RUTA)
    informe = Informe(str(ruta))
    for nombre, imagen, fondo, _, motivo in _recorrer(ruta, tamano_minimo, lado=MINIATURA):
        if motivo:
            informe.descartadas.append((nombre, motivo))
            continue
        informe.utilizables.append(nombre)
        if fondo == FONDO_OSCURO:
            informe.sobre_negro.append(nombre)
        if len(informe.miniaturas) < 16:
            informe.miniaturas.append(_cuadrar(imagen, MINIATURA))
    return informe


def mostrar_informe(informe):
    """Imprime la tabla del ``informe`` (y el aviso de las compuestas sobre negro) y dibuja una cuadrícula con las
    primeras imágenes utilizables."""
    print(informe.tabla())
    if informe.sobre_negro:
        print(aviso_sobre_negro(informe.sobre_negro))
    if informe.miniaturas:
        titulo = f"Vista previa: {len(informe.miniaturas)} de {len(informe.utilizables)} imágenes utilizables"
        mostrar_cuadricula(a_rango_simetrico(np.stack(informe.miniaturas), 255.0), titulo=titulo)


def preparar_imagenes(ruta, salida=None, tamano=64, canales=3, rostros=False, sin_duplicados=False,
                      recorte="centro", tamano_minimo=16, maximo=None):
    """Deja las imágenes de ``ruta`` (carpeta o .zip) listas para entrenar en una carpeta nueva.

    Cada imagen utilizable se recorta al cuadrado central (``recorte='centro'``) o se completa con fondo
    blanco (``'relleno'``; negro en un dibujo claro sobre transparencia, como su fondo), se redimensiona a ``tamano``×``tamano`` y se guarda como PNG en color
    (``canales=3``) o gris (``canales=1``) en ``salida/<nombre>_<tamano>px`` (``_2``, ``_3``… si ya existe:
    no se sobrescribe nada; si una de ellas ya tiene exactamente los mismos archivos, se devuelve esa y no se crea
    otra copia; sin ``salida``, bajo ``carpeta_resultados()``, es decir, ``resultados/``). Una
    ``salida`` dentro de ``ruta`` se rechaza: lo preparado se mezclaría con tus fotos. Con ``rostros=True`` se
    recorta el rostro más grande y se descartan las fotos sin rostro; con ``sin_duplicados=True``, las copias
    exactas y casi iguales (huella dHash).
    Se escribe en una carpeta oculta que toma su nombre al terminar: si se corta (Ctrl-C, un error), no
    queda ninguna carpeta a medias que parezca preparada. Los originales no se tocan. Al terminar, avisa de las
    que medían menos de ``tamano`` y se han ampliado (``informe.ampliadas``) y, con ``recorte='centro'``, de las muy
    alargadas (más de 2:1), de las que el cuadrado central tira más de la mitad, y de los dibujos claros sobre fondo
    transparente, que se componen sobre negro (``informe.sobre_negro``). Con ``maximo``, se queda con ``maximo``
    imágenes utilizables elegidas al azar (siempre las mismas de los mismos archivos): para una colección que no
    cabría en memoria al entrenar. Devuelve ``(carpeta, informe)``.
    """
    _comprobar(canales, tamano, recorte)
    exigir_enteros(("tamano_minimo", tamano_minimo, 1))
    if maximo is not None:
        exigir_enteros(("maximo", maximo, 1))
    exigir_booleano("rostros", rostros)
    exigir_booleano("sin_duplicados", sin_duplicados)
    ruta, temporal = exigir_ruta("ruta", ruta, QUE_RUTA), None
    salida = None if salida is None else exigir_ruta("salida", salida, "la carpeta donde crear la de imágenes preparadas")
    comprobar_salida(salida or carpeta_resultados(), ruta)  # como en la terminal: nada preparado entre tus fotos
    destino = Path(salida or carpeta_resultados()) / f"{ruta.stem if ruta.is_file() else ruta.resolve().name}_{tamano}px"
    informe, vistas, alargadas = Informe(str(ruta)), Vistas(), []
    # El recorte del rostro y la huella necesitan más detalle que la salida. Un rostro recortado mide al menos 0,15
    # del lado mayor (caja_rostro: 24 px de LADO_DETECCION, por 1,6): con una JPEG reducida a 7 × tamano de lado
    # menor, ningún recorte queda menor que tamano (se ampliaría sin que la foto sea pequeña).
    lado = max(7 * tamano, 512) if rostros else max(tamano, 64)
    _avisar_restos(destino)
    serie = IgualEnLaSerie(destino)
    try:
        archivos = []
        for nombre, imagen, fondo, reduccion, motivo in _recorrer(ruta, tamano_minimo, lado, originales_primero=sin_duplicados,
                                                                  al_contar=archivos.append, al_azar=maximo is not None):
            if len(informe.utilizables) == maximo:
                break
            if imagen is not None and rostros:
                caja = caja_rostro(imagen)
                if caja is None:
                    motivo = "no se detectó ningún rostro de frente"
                else:
                    x, y, lado_caja = caja
                    imagen = imagen[y : y + lado_caja, x : x + lado_caja]
            if not motivo and sin_duplicados:
                motivo = vistas.duplicado(imagen, nombre)
            if motivo:
                informe.descartadas.append((nombre, motivo))
                continue
            if medida := _medida_si_pequena(imagen, reduccion, tamano, recorte):
                informe.ampliadas.append((nombre, medida))
            if recorte == "centro" and not rostros and (medida := _medida_si_alargada(imagen, reduccion)):
                alargadas.append((nombre, medida))
            imagen = _cuadrar(imagen, tamano, recorte, canales, fondo)
            informe.utilizables.append(nombre)
            if fondo == FONDO_OSCURO:
                informe.sobre_negro.append(nombre)
            # NFC: los nombres de macOS llegan con la tilde aparte («n» + «˜») y \w la tomaría por un símbolo.
            limpio = re.sub(r"[^\w-]+", "_", unicodedata.normalize("NFC", Path(nombre).stem))[:40]
            archivo, png = f"{len(informe.utilizables):05d}_{limpio}.png", io.BytesIO()
            Image.fromarray(imagen.squeeze(-1) if canales == 1 else imagen).save(png, format="PNG")
            # Se escribe desde la primera que no tiene ya una preparación anterior (con las de antes, copiadas de
            # ella); si todas la tienen, nada.
            if not serie.sigue_igual(archivo, png.getvalue()):
                temporal = temporal or _carpeta_a_medias(destino, serie)
                (temporal / archivo).write_bytes(png.getvalue())
            if len(informe.miniaturas) < 16:
                informe.miniaturas.append(imagen)
        if not informe.utilizables:
            raise _sin_imagenes(ruta, informe.descartadas, tamano_minimo, rostros)
        # Si todo coincidía con una preparación anterior (p. ej. al ejecutar todo el cuaderno otra vez), se usa esa
        # y no se ha escrito nada; si esa tiene algo más, se copia de ella. Si no, la oculta toma su nombre:
        # renombrar es instantáneo, la carpeta aparece ya completa o no aparece, y nunca encima de nada.
        if temporal is None and (igual := serie.igual()):
            print(f"«{igual}» ya tiene exactamente estas imágenes preparadas: la uso en lugar de crear otra copia.")
            carpeta = igual
        else:
            temporal = temporal or _carpeta_a_medias(destino, serie)
            carpeta = temporal.rename(primera_libre(destino))
    except BaseException as error:  # también Ctrl-C: se borra lo escrito (solo es nuestro, nunca un original)
        if temporal:
            shutil.rmtree(temporal, ignore_errors=True)
        if isinstance(error, KeyboardInterrupt):  # sin la traza de Pillow o NumPy, que no dice nada a quien paró
            raise KeyboardInterrupt(f"Preparación interrumpida: en «{destino.parent}» no queda ninguna carpeta a "
                                    "medias que parezca preparada, y tus originales no se han tocado. Vuelve a "
                                    "empezarla cuando quieras.") from None
        if explicar_error_del_sistema(error):  # p. ej. el disco lleno: en español y sin la traza de Pillow
            raise _detenida_por_el_sistema(error, temporal, destino) from None
        raise
    guardadas = contar(len(informe.utilizables), "imagen", "imágenes")
    print(f"{guardadas} de {tamano}×{tamano} en {carpeta}; {contar(len(informe.descartadas), 'descartada', 'descartadas')}.")
    if len(informe.utilizables) == maximo and (sin_ver := archivos[0] - len(informe.utilizables) - len(informe.descartadas)):
        print(f"Con un máximo de {miles(maximo)}, me he quedado con esas, elegidas al azar (siempre las mismas de estos "
              f"archivos): {contar(sin_ver, 'archivo', 'archivos')} más no se han usado.")
    if informe.ampliadas:
        print(_aviso_ampliadas(informe.ampliadas, tamano, rostros))
    if alargadas:
        print(_aviso_alargadas(alargadas))
    if informe.sobre_negro:
        print(aviso_sobre_negro(informe.sobre_negro))
    return carpeta, informe


def imagenes_carpeta(ruta, tamano=64, canales=3, tamano_minimo=16):
    """Carga una carpeta (con subcarpetas) o un .zip para entrenar: float32 ``(n, tamano, tamano, canales)`` en [-1, 1].

    Sirve para una carpeta ya preparada con ``preparar_imagenes`` y para una sin preparar (recorta el
    cuadrado central). Omite los archivos que no son imágenes utilizables y avisa nombrándolos; avisa
    también de las que miden menos de ``tamano`` px y se amplían, de las muy alargadas (más de 2:1: el cuadrado
    central tira más de la mitad), de los dibujos claros sobre fondo transparente, que se componen sobre negro, y de
    las que quedan idénticas a otra (p. ej. dos
    preparaciones de las mismas fotos en la carpeta), que se cargan igual: quitar las repetidas es cosa de
    ``preparar_imagenes(..., sin_duplicados=True)``.
    """
    return a_rango_simetrico(_cargar(ruta, tamano, canales, tamano_minimo, BYTES_CUADERNO), 255.0)


def imagenes_carpeta_uint8(ruta, tamano=64, canales=3, tamano_minimo=16):
    """Como ``imagenes_carpeta``, pero en uint8 en [0, 255]: la cuarta parte de memoria. Es lo que carga
    ``entrenar_carpeta``, que pasa cada lote a [-1, 1] al entrenar (``datos.a_dataset_uint8``)."""
    return _cargar(ruta, tamano, canales, tamano_minimo, BYTES_ENTRENAR)


def _cargar(ruta, tamano, canales, tamano_minimo, bytes_por_valor):
    """uint8 ``(n, tamano, tamano, canales)`` de ``imagenes_carpeta``, con sus avisos. Antes de abrir ningún archivo
    comprueba que caben ``bytes_por_valor`` bytes por valor de imagen (``comprobar_memoria``); se llenan en una
    matriz reservada de una vez, sin listas ni ``np.stack``, que tendrían dos copias a la vez."""
    _comprobar(canales, tamano)
    exigir_enteros(("tamano_minimo", tamano_minimo, 1))
    ruta = exigir_ruta("ruta", ruta, QUE_RUTA)
    imagenes, n, omitidos, ampliadas, alargadas, sobre_negro, vistas, iguales = None, 0, [], [], [], [], {}, []

    def reservar(archivos):
        nonlocal imagenes
        comprobar_memoria(archivos, tamano, canales, bytes_por_valor, ruta)
        try:
            imagenes = np.empty((archivos, tamano, tamano, canales), np.uint8)
        except MemoryError:  # donde no se sabe cuánta hay libre (Windows), el sistema la niega aquí, aún sin leer nada
            raise _no_caben(archivos, tamano, canales, bytes_por_valor, ruta, None) from None

    for nombre, imagen, fondo, reduccion, motivo in _recorrer(ruta, tamano_minimo, lado=tamano, al_contar=reservar):
        if motivo:
            omitidos.append((nombre, motivo))
            continue
        if medida := _medida_si_pequena(imagen, reduccion, tamano):
            ampliadas.append((nombre, medida))
        if medida := _medida_si_alargada(imagen, reduccion):
            alargadas.append((nombre, medida))
        if fondo == FONDO_OSCURO:
            sobre_negro.append(nombre)
        imagenes[n] = _cuadrar(imagen, tamano, canales=canales)
        # p. ej. dos preparaciones de las mismas fotos dentro de la carpeta: cada foto se carga dos veces
        if (original := vistas.setdefault(huella_exacta(imagenes[n]), nombre)) != nombre:
            iguales.append((nombre, original))
        n += 1
    if not n:
        raise _sin_imagenes(ruta, omitidos, tamano_minimo)
    if omitidos:
        print("\n".join([f"Aviso: omito {contar(len(omitidos), 'archivo', 'archivos')} de «{ruta}»:", *_motivos(omitidos)]))
    if ampliadas:
        print(_aviso_ampliadas(ampliadas, tamano))
    if alargadas:
        print(_aviso_alargadas(alargadas))
    if sobre_negro:
        print(aviso_sobre_negro(sobre_negro))
    if iguales:
        son = "es idéntica" if len(iguales) == 1 else "son idénticas"
        print(f"Aviso: {contar(len(iguales), 'imagen', 'imágenes')} de «{ruta}» {son} a otra (p. ej. «{iguales[0][0]}» a "
              f"«{iguales[0][1]}») y se cargan todas: cuentan más de una vez. Si son dos preparaciones de las mismas "
              "fotos, indica solo una de las carpetas; para quitar las repetidas, prepáralas con sin_duplicados=True "
              "(en la terminal, --sin-duplicados).")
    return imagenes if n == len(imagenes) else imagenes[:n].copy()  # sin la parte reservada para las omitidas


def comprobar_memoria(n, tamano, canales, bytes_por_valor, ruta):
    """``ValueError`` en español, antes de leer nada, si ``n`` imágenes de ``ruta`` a ``tamano`` px no caben en la
    memoria libre (``memoria_libre``) con ``bytes_por_valor`` bytes por píxel y canal: sin él, el proceso moriría a
    mitad de la carga sin mensaje (en Colab, el entorno se reinicia y se pierde lo hecho)."""
    libres = memoria_libre()
    if libres is not None and n * tamano * tamano * canales * bytes_por_valor > PARTE_PARA_IMAGENES * libres:
        raise _no_caben(n, tamano, canales, bytes_por_valor, ruta, libres)


def _no_caben(n, tamano, canales, bytes_por_valor, ruta, libres):
    """El ``ValueError`` de ``comprobar_memoria`` (``libres``: bytes libres, o ``None`` si el sistema no lo dice y
    negó la memoria al pedirla), con qué hacer: menos píxeles, menos fotos o, desde el cuaderno, uint8."""
    necesarios = n * tamano * tamano * canales * bytes_por_valor
    disponibles = math.inf if libres is None else PARTE_PARA_IMAGENES * libres

    def gb(cuantos):
        return cifra(cuantos / 1e9, 1)

    menor = [lado for lado in (32, 64, 128) if lado < tamano and (libres is None or necesarios * lado**2 / tamano**2 <= disponibles)]
    opciones = [f"un tamaño menor (a {menor[-1]} px ocupan {gb(necesarios * menor[-1] ** 2 / tamano**2)} GB)"] if menor else []
    if libres is None:
        opciones.append("menos fotos (prepara solo una parte, elegida al azar, con preparar_imagenes(..., maximo=N) o, en "
                        "la terminal, python -m helpers preparar ... --maximo N)")
    else:
        caben = int(disponibles / (tamano * tamano * canales * bytes_por_valor))
        opciones.append(f"menos fotos (caben unas {miles(caben)} a {tamano} px: prepara solo esas, elegidas al azar, con "
                        f"preparar_imagenes(..., maximo={caben}) o, en la terminal, python -m helpers preparar ... "
                        f"--maximo {caben})")
    en_uint8 = necesarios * BYTES_ENTRENAR / bytes_por_valor
    if bytes_por_valor > BYTES_ENTRENAR and en_uint8 <= disponibles:  # si tampoco caben, no es salida
        opciones.append(f"entrenar_carpeta (en la terminal, python -m helpers entrenar), que las guarda en uint8 y ocupa "
                        f"{gb(en_uint8)} GB")
    hay = ("el sistema no puede dárselos: no caben" if libres is None else f"hay {gb(libres)} GB libres: no caben, y el "
           "proceso se cortaría a mitad sin avisar (en Colab, el entorno se reinicia y pierdes lo hecho)")
    return ValueError(f"Tus {miles(n)} archivos de «{ruta}» a {tamano} px necesitan {gb(necesarios)} GB de memoria y {hay}. "
                      f"No he leído nada. Usa {'; o '.join(opciones)}.")


def cargar_imagenes(conjunto="digitos", tamano=None, canales=None):
    """Atajo de los cuadernos y de la línea de órdenes; devuelve float32 ``(n, tamano, tamano, canales)`` en [-1, 1].

    ``conjunto``: ``'digitos'`` (sin red, 16 px), ``'rostros'`` (sin red, 32 px), ``'mnist'`` o
    ``'fashion_mnist'`` (28 px, con red), ``'lfw'`` (64 px, color, con red) o la ruta de una carpeta
    o un ``.zip`` con tus imágenes (32 px, color por defecto; ver ``imagenes_carpeta``). ``canales``:
    1 (gris) o 3 (color); los conjuntos que solo existen en gris repiten el gris en los tres canales si
    pides 3.
    """
    if canales not in (None, 1, 3):
        raise ValueError(f"canales={canales!r} no es válido: usa 1 (gris) o 3 (color).")
    en_gris = None
    if conjunto == "digitos":
        en_gris = imagenes_digitos(16 if tamano is None else tamano)[0]
    elif conjunto == "rostros":
        en_gris = imagenes_rostros(32 if tamano is None else tamano)
    elif conjunto in ("mnist", "fashion_mnist"):
        en_gris = imagenes_mnist(conjunto, 28 if tamano is None else tamano)[0]
    if en_gris is not None:
        return np.repeat(en_gris, 3, axis=-1) if canales == 3 else en_gris
    if conjunto == "lfw":
        return imagenes_lfw(64 if tamano is None else tamano, color=canales != 1)
    nombres = ["digitos", "rostros", "mnist", "fashion_mnist", "lfw"]
    conocidos = ", ".join(map(repr, nombres[:-1])) + f" o {nombres[-1]!r}"
    ruta = exigir_ruta("conjunto", conjunto, f"un conjunto ({conocidos}) o la carpeta o el .zip de tus imágenes")
    if not ruta.exists():
        # «Dígitos», «rostro», «Fashion-MNIST»: un conjunto del curso mal escrito, no una ruta.
        escrito = re.sub(r"[\s-]+", "_", sin_tildes(str(conjunto)).strip())
        parecido = difflib.get_close_matches(escrito, nombres, n=1, cutoff=0.8)
        que_hacer = (f"¿Querías decir conjunto={parecido[0]!r}? Sus nombres van en minúscula y sin tildes." if parecido
                     else "Revisa la ruta.")
        raise ValueError(f"conjunto={conjunto!r} no es un conjunto conocido ({conocidos}) ni una carpeta o .zip que "
                         f"exista. {que_hacer}")
    return imagenes_carpeta(ruta, 32 if tamano is None else tamano, canales or 3)
