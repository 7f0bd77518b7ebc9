"""Una entrega de la clase, revisada sin fiarse de ella: ``revisar_entrega`` da su fila del informe.

``leer_zip`` lee el .zip con límites de tamaño y sin rutas peligrosas; ``cargar_generador_ajeno`` carga el
generador solo tras revisar su ``config.json`` (solo capas de Keras y del kit, nunca ``Lambda``) y comprobar
sus formas. ``revisar_entrega`` coteja lo que declara el manifiesto, que no va firmado, con lo que hay en el
zip y con lo que se vuelve a medir aquí: la cuadrícula, las épocas de ``historial.csv``, las imágenes, SWD,
KID y memorización, con las mismas muestras, imágenes y cuentas que ``entrega`` (las de ``formato_entrega``). Lo
que no se puede revisar lanza ``EntregaIlegible``, con el motivo y qué hacer. Lo usa ``revision``, que revisa la
clase entera.
"""

import csv
import hashlib
import io
import json
import unicodedata
import warnings
import zipfile
from pathlib import Path

import keras
import numpy as np
from PIL import Image

from . import paginas
from .carpeta_o_zip import archivo_del_sistema
from .datos import a_rango_simetrico
from .formato_entrega import (FORMATO, MAX_ENTRENAMIENTO, MUESTRAS_CUADRICULA, MUESTRAS_MEMORIZACION,
                              entrenamiento_entregado, imagenes_medibles, imagenes_que_deciden, medir_memorizacion,
                              muestras_fijas, posiciones_coherentes, sha256)
from .generador_guardado import keras_mas_nueva, medir_generador
from .graficos import a_uint8, ampliar, guardar_cuadricula
from .imagenes_guardadas import bloques_guardados, formas_guardadas, leer_imagenes_guardadas
from .memorizacion import mas_cercanas, muestras_casi_iguales
from .modelos import es_generador
from .opciones import es_entero, es_real
from .opciones_tarea import TAMANOS_TAREA
from .registro_tarea import ARCHIVO_IMAGENES, MANIFIESTO
from .tarea import MAX_RESERVA
from .textos import cifra, contar, miles, texto_imprimible
from .zip_seguro import ERRORES_AL_DESCOMPRIMIR, NOMBRES_NO_UTF8, miembros

MAX_ZIP = 200 * 2**20  # bytes de una entrega
MAX_MIEMBROS = 50
MAX_DESCOMPRIMIDO = 400 * 2**20
MAX_MODELO = 100 * 2**20
# imagenes.npz de la mayor entrega honrada: todas las que entrega «entregar», al mayor tamaño de la tarea, sin apenas
# comprimir (fotos con mucho detalle), más los índices y las cabeceras.
MAX_IMAGENES = (MAX_ENTRENAMIENTO + MAX_RESERVA) * max(TAMANOS_TAREA) ** 2 * 3 + 2**20
MAX_CONFIG = 2 * 2**20
MAX_MANIFIESTO = 2**20
MAX_HISTORIAL = 100 * 2**20  # el millón de épocas que se cree del manifiesto (CREIBLE), a menos de 100 bytes cada una
MAX_FILAS_HISTORIAL = 20_000  # las que se comparan entre entregas: una copia se delata en las primeras
MAX_LADO_PNG = 4096
MAX_PARAMETROS = 30_000_000
# Lo que se genera sale de la salida del generador y de cuántas muestras se piden: sin límite, una
# entrega de 2 MB que dibuja 1024×1024 agota la memoria de un portátil (el kit entrena a 32, 64 o 128 px).
MAX_LADO = 256
MAX_LATENTE = 1024
# Objetos especiales del config.json de Keras que solo guardan datos (nunca código).
ESPECIALES = {"__keras_tensor__", "__tuple__", "__tensor__", "__numpy__", "__bytes__"}
PROHIBIDAS = {"Lambda", "TFSMLayer"}  # capas de Keras que ejecutan código o grafos guardados
# Umbrales de los avisos (ver la guía docente, «Entregas y revisión»).
UMBRAL_CUADRICULA = 3.0  # diferencia media (0–255) entre la cuadrícula entregada y la regenerada
TOLERANCIA = {"swd": (0.10, 2.0), "kid": (0.10, 0.01), "cociente": (0.10, 0.02)}  # (relativa, absoluta)
# Más bajo que el 0,5 de la guía: en píxeles, muestras borrosas que no copian nada dan de 0,6 a 1.
UMBRAL_MEMORIZACION = 0.3


# Qué hacer con una entrega ilegible: cada motivo de la tabla lo dice, para que el docente no lo adivine.
REENTREGAR = ("pide al estudiante que vuelva a entregar con «python -m helpers entregar» y te mande ese .zip "
              "sin tocarlo")
DESCARGAR = f"descárgalo de nuevo y, si sigue igual, {REENTREGAR}"
NO_ES_ENTREGA = ("no parece una entrega hecha con «entregar»: pide al estudiante el .zip que crea "
                 "«python -m helpers entregar»")


class EntregaIlegible(Exception):
    """La entrega no se puede revisar: ``motivo`` dice por qué y ``que_hacer``, el paso siguiente del docente
    (``""`` si el motivo ya lo dice). Los dos juntos van a la fila del informe."""

    def __init__(self, motivo, que_hacer=REENTREGAR):
        self.motivo = motivo
        super().__init__(f"{motivo.rstrip('. ')}; {que_hacer}" if que_hacer else motivo)


def _leer(archivo_zip, info, maximo):
    nombre = info.filename
    if info.file_size > maximo:
        raise EntregaIlegible(f"{nombre} ocupa {info.file_size / 2**20:.0f} MiB (máximo {maximo / 2**20:.0f})")
    try:
        return archivo_zip.read(info)
    except ERRORES_AL_DESCOMPRIMIR:
        raise EntregaIlegible(f"{nombre} está dañado dentro del zip", DESCARGAR) from None


def leer_zip(ruta):
    """``{nombre: bytes}`` de los miembros de la entrega ``ruta``; ``EntregaIlegible`` si no es seguro."""
    ruta = Path(ruta)
    if not ruta.is_file():  # sin esto, una carpeta «x.zip» o un enlace roto darían un error del sistema en inglés
        que_es = "una carpeta" if ruta.is_dir() else "un enlace roto" if ruta.is_symlink() else "un archivo especial"
        raise EntregaIlegible(f"«{texto_imprimible(ruta.name)}» no es un archivo .zip sino {que_es}",
                              "pon en su lugar el .zip que crea «python -m helpers entregar» y vuelve a revisar")
    if ruta.stat().st_size > MAX_ZIP:
        raise EntregaIlegible(f"el zip ocupa más de {MAX_ZIP // 2**20} MiB")
    try:
        archivo_zip = zipfile.ZipFile(ruta)
    except (zipfile.BadZipFile, OSError):
        raise EntregaIlegible("no es un .zip válido (dañado o incompleto)", DESCARGAR) from None
    except UnicodeDecodeError:  # lo volvió a comprimir un programa que no es el de «entregar»
        raise EntregaIlegible(NOMBRES_NO_UTF8) from None
    try:
        with archivo_zip:
            lista = miembros(archivo_zip, MAX_MIEMBROS, MAX_DESCOMPRIMIDO, consejo="")
            for info, motivo in lista:
                if motivo:
                    raise EntregaIlegible(f"miembro «{info.filename}»: {motivo}")
            # ``miembros`` ya ha cambiado las «\» de Windows por «/» («ana\manifiesto.json»).
            lista = [(info.filename, info) for info, _ in lista]
            nombres = dict(lista)
            if len(nombres) < len(lista):
                raise EntregaIlegible("tiene dos archivos con el mismo nombre (uno escrito con «\\» y otro con «/»): no "
                                      "sé cuál es el entregado")
            maximos = {MANIFIESTO: MAX_MANIFIESTO, "historial.csv": MAX_HISTORIAL, "generador.keras": MAX_MODELO,
                       ARCHIVO_IMAGENES: MAX_IMAGENES}  # también dentro de una carpeta
            return {nombre: _leer(archivo_zip, info, maximos.get(nombre.rsplit("/", 1)[-1], MAX_MODELO))
                    for nombre, info in nombres.items()}
    except ValueError as error:  # demasiados archivos o bomba: ``zip_seguro`` ya lo explica
        raise EntregaIlegible(str(error).replace(f"«{ruta}» ", "")) from None


def objetos_no_permitidos(config):
    """Clases del ``config.json`` de un ``.keras`` que no son capas de Keras ni registradas por el kit."""
    del_kit = {nombre for nombre in keras.saving.get_custom_objects() if nombre.startswith("curso_gan>")}
    malos = set()
    pendientes = [config]
    while pendientes:
        nodo = pendientes.pop()
        if isinstance(nodo, list):
            pendientes.extend(nodo)
        elif isinstance(nodo, dict):
            pendientes.extend(nodo.values())
            clase = nodo.get("class_name")
            if clase is None or nodo.get("registered_name") in del_kit or clase in ESPECIALES:
                continue
            modulo = str(nodo.get("module"))
            if clase in PROHIBIDAS or not (modulo == "keras" or modulo.startswith("keras.")):
                malos.add(str(clase))
    return sorted(malos)


def cargar_generador_ajeno(contenido, temporal):
    """Carga un ``generador.keras`` ajeno tras revisar su ``config.json``; ``EntregaIlegible`` si no es seguro."""
    try:
        with zipfile.ZipFile(io.BytesIO(contenido)) as modelo:
            lista = miembros(modelo, 10, MAX_DESCOMPRIMIDO)
            for info, motivo in lista:
                if motivo:
                    raise EntregaIlegible(f"generador.keras, miembro «{texto_imprimible(info.filename)}»: {motivo}")
            por_nombre = {info.filename: info for info, _ in lista}
            config = por_nombre.get("config.json")
            if config is None or config.file_size > MAX_CONFIG:
                raise EntregaIlegible("generador.keras no tiene un config.json razonable")
            config = json.loads(modelo.read(config))
    except ERRORES_AL_DESCOMPRIMIR:  # también el JSON mal escrito (``ValueError``)
        raise EntregaIlegible("generador.keras está dañado o no es un modelo de Keras") from None
    malos = objetos_no_permitidos(config)
    if malos:
        # «__lambda__» es el código de una función de Python guardado en el modelo: se nombra en español.
        nombres = ["una función de Python" if malo == "__lambda__" else malo for malo in malos]
        raise EntregaIlegible(f"generador.keras usa capas no permitidas: {', '.join(nombres)} (solo capas de Keras y del kit)")
    ruta = Path(temporal) / "generador.keras"
    ruta.write_bytes(contenido)
    try:
        generador = keras.saving.load_model(ruta, safe_mode=True, compile=False)
    except Exception:  # Keras lanza tipos muy distintos según dónde esté dañado el archivo
        # Una Keras más nueva (la de Colab) guarda opciones que la de quien revisa no conoce: entregarlo de nuevo no
        # cambiaría nada.
        if guardado_con := keras_mas_nueva(io.BytesIO(contenido)):
            raise EntregaIlegible(f"generador.keras se guardó con Keras {guardado_con}, más nueva que la tuya "
                                  f"({keras.__version__}), que no lo sabe leer",
                                  'actualiza Keras (pip install -U keras) y vuelve a revisar') from None
        raise EntregaIlegible("generador.keras no se puede cargar: Keras no lo reconoce como un modelo completo") from None
    finally:
        ruta.unlink()
    if not es_generador(generador):
        raise EntregaIlegible("generador.keras no es un generador (vector latente → imagen)")
    _comprobar_tamanos(generador)
    if generador.count_params() > MAX_PARAMETROS:
        raise EntregaIlegible(f"generador.keras tiene {generador.count_params()} parámetros (máximo {MAX_PARAMETROS})")
    return generador


def _comprobar_tamanos(generador):
    """``EntregaIlegible`` si el generador dibuja imágenes demasiado grandes, con otros canales que 1 o 3,
    o pide un vector latente enorme: se mira en las formas del modelo, antes de generar nada."""
    _, alto, ancho, canales = generador.output_shape
    conocidas = all(isinstance(d, int) and d >= 1 for d in (alto, ancho, canales))
    if not conocidas or max(alto, ancho) > MAX_LADO or canales not in (1, 3):
        forma = "×".join(str(d) if d else "?" for d in (alto, ancho, canales))
        raise EntregaIlegible(f"generador.keras dibuja imágenes de {forma} (se revisan hasta {MAX_LADO}×{MAX_LADO} "
                              "con 1 o 3 canales; el kit entrena a 32, 64 o 128 px)")
    latente = generador.input_shape[-1]
    if not isinstance(latente, int) or not 1 <= latente <= MAX_LATENTE:
        raise EntregaIlegible(f"generador.keras pide un vector latente de {latente} valores (máximo {MAX_LATENTE})")


def _png(contenido):
    """PNG ajeno → matriz uint8, sin descomprimir imágenes gigantes."""
    enorme = EntregaIlegible(f"muestras.png es una imagen enorme (más de {MAX_LADO_PNG} px de lado), no la cuadrícula "
                             "de «entregar»")
    try:
        with warnings.catch_warnings():
            # Pillow avisa (en inglés) de las que pasan su límite y se niega a abrir las del doble: enormes las dos.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(contenido)) as imagen:
                if imagen.format != "PNG":
                    raise EntregaIlegible("muestras.png no es un PNG")
                if max(imagen.size) > MAX_LADO_PNG:
                    raise enorme
                return np.asarray(imagen.convert("RGB"))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise enorme from None
    except (OSError, SyntaxError, ValueError):
        raise EntregaIlegible("muestras.png está dañado") from None


def _a_la_escala_de(mosaico, entregada):
    """``mosaico`` (la cuadrícula regenerada, a escala 1) ampliado como ``entregada`` si esta mide un número entero
    de veces lo que él: ``guardar_cuadricula`` repite cada píxel (``graficos.ampliar``), y cuántas veces ha cambiado
    entre versiones del kit (263 px antes y 526 ahora para 32 px). Si no, tal cual."""
    veces = entregada.shape[1] // mosaico.shape[1]
    if veces > 1 and entregada.shape[:2] == (mosaico.shape[0] * veces, mosaico.shape[1] * veces):
        return ampliar(mosaico, veces)
    return mosaico


def _manifiesto(contenido):
    try:
        manifiesto = json.loads(contenido.decode("utf-8"))
        # Un «\ud800» suelto en el JSON es un texto que no se puede escribir en UTF-8 (el informe, la
        # hoja): se cambia por «?» aquí, en un solo sitio.
        manifiesto = json.loads(json.dumps(manifiesto, ensure_ascii=False).encode("utf-8", "replace"))
        semillas = manifiesto["semillas"]
        for clave in ("cuadricula", "muestras_cuadricula", "medidas"):
            if not es_entero(semillas[clave], 0):
                raise TypeError
        if semillas["muestras_cuadricula"] < 1 or not isinstance(manifiesto["medidas"], dict):
            raise TypeError
        if not {"generador_elegido", "archivos"} <= manifiesto.keys():
            raise KeyError
        if not isinstance(manifiesto["generador_elegido"], str):
            raise TypeError
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError):
        raise EntregaIlegible(f"{MANIFIESTO} está dañado o no es de «entregar» (¿editado a mano?)") from None
    if semillas["muestras_cuadricula"] > MUESTRAS_CUADRICULA:
        raise EntregaIlegible(f"{MANIFIESTO} pide una cuadrícula de {semillas['muestras_cuadricula']} muestras "
                              f"(«entregar» la hace de {MUESTRAS_CUADRICULA})")
    return manifiesto


def _kit_mas_nuevo(contenido):
    """El aviso si ``manifiesto.json`` es de un formato más nuevo que ``FORMATO`` (el estudiante actualizó el
    kit después que tú); ``""`` si no, o si no se puede leer (eso lo dice ``_manifiesto``)."""
    try:
        formato = json.loads(contenido.decode("utf-8")).get("formato")
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return ""
    if not (es_entero(formato) and formato > FORMATO):
        return ""
    return (f"hecha con un kit más nuevo que el tuyo (formato {formato}; el tuyo lee hasta el {FORMATO}): actualiza "
            "el kit y revisa de nuevo")


# Lo más que se cree de una cifra declarada: más allá es un manifiesto editado a mano.
CREIBLE = {"epocas": 1e6, "minutos": 1e5, "reanudaciones": 1e4, "imagenes": 1e7}
NOMBRES = {"epocas": "épocas", "minutos": "minutos", "reanudaciones": "reanudaciones", "imagenes": "imágenes"}


def _numero(valor):
    """Un número finito del manifiesto, o ``None`` (la KID, insesgada, puede salir algo negativa)."""
    return float(valor) if es_real(valor) else None


def _declarado(clave, valor, fila):
    """``valor``, la cifra ``clave`` que declara el manifiesto, o ``None`` (con un aviso en ``fila`` si no es creíble)."""
    numero = _numero(valor)
    entera = clave == "minutos" or numero is None or numero.is_integer()  # 99,5 épocas no se entrenan
    if valor is not None and (numero is None or not 0 <= numero <= CREIBLE[clave] or not entera):
        fila["avisos"].append(f"el manifiesto declara {str(valor)[:20]} {NOMBRES[clave]}, que no es creíble: se editó a mano")
        return None
    return numero


def _imagenes_declaradas(imagenes, fila):
    """Las imágenes (de entrenamiento más de reserva) que declara el manifiesto, o ``None`` si no las declara o
    alguna cuenta no es un entero (con un aviso en ``fila``: sumarla como 0 daría una cifra falsa)."""
    if not isinstance(imagenes, dict) or not imagenes:
        return None
    suma = 0
    for parte in ("entrenamiento", "reserva"):
        valor, numero = imagenes.get(parte), _numero(imagenes.get(parte))
        if valor is not None and (numero is None or not numero.is_integer()):
            que = "un número" if numero is None else "un número entero"
            fila["avisos"].append(f"el manifiesto declara «{str(valor)[:20]}» imágenes de {parte}, que no es {que}: "
                                  "se editó a mano")
            suma = None
        elif suma is not None:
            suma += numero or 0
    return None if suma is None else _declarado("imagenes", suma, fila)


def _texto_declarado(valor):
    """Un texto del manifiesto (el alumno, el dispositivo) para la tabla, con un espacio entre palabras y las tildes
    compuestas (NFC; macOS escribe «é» como «e» + «´»), así se encuentra en el libro de notas: ``""``, como si faltara,
    si está vacío o no es un texto (``null`` se vería «None»)."""
    return " ".join(unicodedata.normalize("NFC", valor).split())[:100] if isinstance(valor, str) else ""


def _discrepan(nuestro, declarado, clave):
    relativa, absoluta = TOLERANCIA[clave]
    return declarado is None or abs(nuestro - declarado) > absoluta + relativa * abs(nuestro)


def _miniatura(mosaico, lado=128):
    imagen = Image.fromarray(mosaico)
    imagen.thumbnail((lado, lado), Image.NEAREST)
    return paginas.uri_png(imagen)


def _rubrica(fila, manifiesto):
    """Lo medible de la rúbrica de la guía docente: cuántas imágenes, si reanudó, si hay cifras re-medidas.
    La coherencia del tema y la interpretación de los números se valoran a mano."""
    def nivel(n):
        return "excelente" if n >= 300 else "suficiente" if n >= 100 else "insuficiente"

    fila["rubrica_datos"] = nivel(fila["imagenes"] or 0)
    # Sin imagenes.npz no se han podido contar, y con una parte, quizá no bastan: es lo que dice el manifiesto.
    if fila["swd"] is None or nivel(fila.get("imagenes_contadas", fila["imagenes"])) != fila["rubrica_datos"]:
        fila["rubrica_datos"] += " (declarado)"
    reanudaciones = _declarado("reanudaciones", manifiesto.get("reanudaciones"), fila)
    fila["rubrica_reanudable"] = ("excelente" if (reanudaciones or 0) >= 1 else "suficiente") + (
        " (sin declarar)" if reanudaciones is None else " (declarado)")
    fila["rubrica_metricas"] = "re-medidas" if fila["swd"] is not None else "sin imágenes"


def revisar_entrega(ruta, temporal):
    """Fila del informe para la entrega ``ruta`` (ver ``revision_informes.COLUMNAS``), más ``pesos`` y ``miniatura``.

    Lanza ``EntregaIlegible`` si no se puede revisar; los problemas de una entrega legible van en
    ``avisos`` (lista de textos).
    """
    archivos = _sin_carpeta_comun(leer_zip(ruta))
    if any(nombre.lower().endswith(".zip") for nombre in archivos):
        raise EntregaIlegible("contiene otros .zip (¿las entregas de toda la clase en uno?)",
                              "descomprímelo en la carpeta de entregas y vuelve a revisar")
    if not archivos:
        raise EntregaIlegible("el .zip está vacío")
    if MANIFIESTO not in archivos:  # p. ej., un zip con las fotos
        raise EntregaIlegible(f"falta {MANIFIESTO}", NO_ES_ENTREGA)
    if "generador.keras" not in archivos:
        otros = [nombre for nombre in archivos if nombre.lower().endswith((".h5", ".hdf5", ".keras"))]
        raise EntregaIlegible("falta generador.keras, el generador que se revisa"
                              + (f" (trae {texto_imprimible(otros[0])}: revisar solo lee el generador.keras que guarda "
                                 "«entregar»)" if otros else ""))
    nuevo = _kit_mas_nuevo(archivos[MANIFIESTO])
    try:
        manifiesto = _manifiesto(archivos[MANIFIESTO])
        generador = cargar_generador_ajeno(archivos["generador.keras"], temporal)
    except EntregaIlegible as error:  # con un kit más nuevo, lo que no se entiende puede ser solo nuevo
        if nuevo:
            raise EntregaIlegible(f"{error.motivo.rstrip('. ')}; pero está {nuevo}", "") from None
        raise
    fila = {
        "entrega": texto_imprimible(Path(ruta).name), "alumno": _texto_declarado(manifiesto.get("alumno")),
        "tamano": f"{generador.output_shape[1]}×{generador.output_shape[2]}×{generador.output_shape[3]}",
        "dispositivo": _texto_declarado(manifiesto.get("dispositivo")), "swd": None, "kid": None, "memorizacion": None,
        "diversidad": None,
        "avisos": [], "motivo": "", "pesos": np.concatenate([np.ravel(w) for w in generador.get_weights()]),
    }
    if nuevo:
        fila["avisos"].append(nuevo)
    for clave in ("epocas", "minutos"):
        fila[clave] = _declarado(clave, manifiesto.get(clave), fila)
    declaradas = _imagenes_declaradas(manifiesto.get("imagenes"), fila)
    fila["imagenes"] = int(declaradas or 0)
    declarados = manifiesto["archivos"] if isinstance(manifiesto["archivos"], dict) else {}
    cambiados = sorted(n for n, c in archivos.items() if n in declarados and declarados[n] != sha256(c))
    anadidos = sorted(n for n in archivos if n != MANIFIESTO and n not in declarados)
    faltan = sorted(n for n in declarados if n not in archivos)
    for lista, texto in ((cambiados, "archivos que no coinciden con la huella SHA-256 del manifiesto"),
                         (anadidos, "archivos añadidos después de empaquetar (el manifiesto no los lista)"),
                         (faltan, "faltan archivos que el manifiesto declara (se quitaron del zip)")):
        if lista:
            fila["avisos"].append(f"{texto}: {', '.join(lista)}")
    if "historial.csv" in archivos:
        _historial(fila, archivos["historial.csv"])

    semillas = manifiesto["semillas"]
    regenerada = muestras_fijas(generador, semillas["cuadricula"], semillas["muestras_cuadricula"])
    mosaico = np.asarray(Image.open(guardar_cuadricula(regenerada, Path(temporal) / "regenerada.png", escala=1)).convert("RGB"))
    fila["miniatura"] = _miniatura(mosaico)
    # Sin muestras.png se revisa igual (la cuadrícula se regenera), pero su comprobación no se da por buena.
    if "muestras.png" not in archivos:
        fila["avisos"].append("sin muestras.png, la cuadrícula entregada: no se puede comprobar que salga de este "
                              "generador (la miniatura es la regenerada)")
    else:
        entregada = _png(archivos["muestras.png"])
        ampliado = _a_la_escala_de(mosaico, entregada)
        if entregada.shape != ampliado.shape or np.abs(entregada.astype(np.int16) - ampliado).mean() > UMBRAL_CUADRICULA:
            fila["avisos"].append("la cuadrícula entregada no sale de este generador con la semilla anotada")
            fila["miniatura_entregada"] = _miniatura(entregada)

    if ARCHIVO_IMAGENES not in archivos:
        fila["avisos"].append("sin imágenes de reserva: SWD, KID y memorización no se pueden volver a medir")
    else:
        _medir(fila, generador, archivos[ARCHIVO_IMAGENES], manifiesto)
        _cotejar_imagenes(fila, declaradas, manifiesto, archivos[ARCHIVO_IMAGENES])
    _rubrica(fila, manifiesto)
    reflexion = archivos.get("reflexion.md", b"").decode("utf-8", errors="replace")
    fila["palabras_reflexion"] = paginas.contar_palabras(reflexion)  # la rúbrica pide unas 500
    return fila


def _cotejar_imagenes(fila, declaradas, manifiesto, contenido):
    """Coteja las imágenes que trae ``imagenes.npz`` (``contenido``, ``fila["imagenes"]``) con las ``declaradas`` en
    el manifiesto, que no va firmado. Desde el formato 2 (con ``imagenes_entregadas``), de muchas de entrenamiento solo
    van ``entrenamiento_entregado(n)``: si trae justo esas, en las posiciones que salen de ese total
    (``posiciones_coherentes``), la tabla usa el total declarado y ``fila["imagenes_contadas"]`` guarda las que van."""
    contadas = fila["imagenes"]
    imagenes = manifiesto.get("imagenes") if isinstance(manifiesto.get("imagenes"), dict) else {}
    entrenamiento, reserva = imagenes.get("entrenamiento"), imagenes.get("reserva")
    if (isinstance(manifiesto.get("imagenes_entregadas"), dict) and declaradas is not None and declaradas > contadas
            and es_entero(entrenamiento, 0) and es_entero(reserva, 0)
            and entrenamiento_entregado(entrenamiento) + reserva == contadas
            and posiciones_coherentes(_posiciones(contenido), entrenamiento, reserva, manifiesto["semillas"]["medidas"])):
        fila["imagenes"], fila["imagenes_contadas"] = int(declaradas), contadas
    elif declaradas is not None and declaradas != contadas:
        fila["avisos"].append(f"el manifiesto declara {miles(declaradas)} imágenes e {ARCHIVO_IMAGENES} trae "
                              f"{miles(contadas)} (la tabla y la rúbrica usan estas)")


def _posiciones(contenido):
    """Las posiciones de las de entrenamiento que trae ``imagenes.npz`` (``indices``, ver ``posiciones_coherentes``);
    ``[]`` si no las trae o no se pueden leer."""
    try:
        with np.load(io.BytesIO(contenido), allow_pickle=False) as npz:
            return npz["indices"] if "indices" in npz.files else []
    except (ValueError, OSError, zipfile.BadZipFile, EOFError):
        return []


def _historial(fila, contenido):
    """Guarda en ``fila["historial"]`` una huella corta de cada fila de ``historial.csv`` (lo que compara
    ``comparar_historiales``, sin guardar el archivo entero) y avisa si su última época no es la que declara el
    manifiesto, que no va firmado."""
    try:
        # Fila a fila, sin guardarlas: el de un entrenamiento de cientos de miles de épocas ocupa decenas de MiB.
        filas = (f for f in csv.reader(io.StringIO(contenido.decode("utf-8-sig"))) if f)  # sin líneas en blanco
        columna = next(filas, []).index("epoca")
        huellas, ultima = [], None
        for fila_csv in filas:
            epoca = int(fila_csv[columna])
            ultima = epoca if ultima is None else max(ultima, epoca)
            if len(huellas) < MAX_FILAS_HISTORIAL:
                huellas.append(hashlib.sha256(",".join(fila_csv).encode()).hexdigest()[:16])
        if ultima is None:
            raise ValueError("sin épocas")
    except (UnicodeDecodeError, csv.Error, IndexError, ValueError):
        fila["avisos"].append("historial.csv está dañado: no se pueden comprobar las épocas declaradas")
        return
    fila["historial"] = huellas
    if fila["epocas"] is not None and fila["epocas"] != ultima:
        fila["avisos"].append(f"el manifiesto declara {_epocas(fila)} y historial.csv llega a la época "
                              f"{miles(ultima)}")


def _sin_carpeta_comun(archivos):
    """Los miembros sin los archivos del sistema (``__MACOSX/``, ``.DS_Store``) y, si ``manifiesto.json``
    no está en la raíz sino en una carpeta («beto/manifiesto.json», «entregas/beto/manifiesto.json»), con
    esa carpeta como raíz: una entrega vuelta a comprimir con su carpeta, como hacen muchos gestores de
    archivos, se revisa igual. Lo que quede fuera de esa carpeta (un «LEEME.txt» al lado) conserva su
    ruta, y la revisión lo avisa como añadido."""
    archivos = {nombre: contenido for nombre, contenido in archivos.items() if not archivo_del_sistema(nombre)}
    manifiestos = sorted(nombre for nombre in archivos if nombre.rsplit("/", 1)[-1] == MANIFIESTO)
    if len(manifiestos) > 1:
        raise EntregaIlegible(f"tiene {len(manifiestos)} {MANIFIESTO} ({', '.join(manifiestos[:3])}): es más de una "
                              "entrega", "pide a cada estudiante su propio .zip de «entregar»")
    if MANIFIESTO in archivos or not manifiestos:
        return archivos
    carpeta = manifiestos[0][: -len(MANIFIESTO)]
    dentro = {nombre[len(carpeta):]: contenido for nombre, contenido in archivos.items() if nombre.startswith(carpeta)}
    fuera = {nombre: contenido for nombre, contenido in archivos.items() if not nombre.startswith(carpeta)}
    if repetidos := sorted(set(dentro) & set(fuera)):
        raise EntregaIlegible(f"tiene {', '.join(repetidos[:3])} dentro y fuera de «{carpeta.rstrip('/')}»: no sé cuál "
                              "es el entregado")
    return dentro | fuera


def _medir(fila, generador, contenido, manifiesto):
    """Vuelve a medir con las imágenes entregadas y compara con lo que declara el manifiesto. Las de entrenamiento
    se leen por bloques y solo se guardan las que deciden la memorización (``imagenes_que_deciden``): una entrega
    de una versión anterior del kit las trae todas."""
    try:
        with zipfile.ZipFile(io.BytesIO(contenido)) as npz:
            miembros(npz, 10, MAX_DESCOMPRIMIDO)  # un .npz es un zip: que no sea una bomba
    except (zipfile.BadZipFile, ValueError):
        raise EntregaIlegible(f"{ARCHIVO_IMAGENES} está dañado o no tiene «entrenamiento» y «reserva»") from None
    try:
        formas = formas_guardadas(io.BytesIO(contenido))
        if formas["reserva"][0] > MAX_RESERVA:  # se generan el doble de muestras que imágenes de reserva
            raise EntregaIlegible(f"{ARCHIVO_IMAGENES} tiene {formas['reserva'][0]} imágenes de reserva («entrenar» "
                                  f"aparta como mucho {MAX_RESERVA})")
        forma = tuple(generador.output_shape[1:])
        if not imagenes_medibles(formas, forma):
            raise EntregaIlegible(f"las imágenes de {ARCHIVO_IMAGENES} no son de {'×'.join(map(str, forma))}, lo que "
                                  "dibuja el generador")
        reserva = a_rango_simetrico(leer_imagenes_guardadas(io.BytesIO(contenido), "reserva"), 255)
        semilla = manifiesto["semillas"]["medidas"]
        total = formas["entrenamiento"][0]
        _, decisivas = imagenes_que_deciden(muestras_fijas(generador, semilla, MUESTRAS_MEMORIZACION), reserva,
                                            bloques_guardados(io.BytesIO(contenido)), total)
    except ValueError as error:  # dice qué le pasa: ilegible, le falta una parte o no son imágenes uint8
        raise EntregaIlegible(f"{ARCHIVO_IMAGENES} está dañado ({error})") from None
    medida = medir_generador(generador, reserva, semilla)
    entrenamiento = a_rango_simetrico(decisivas, 255)
    muestras, memorizacion = medir_memorizacion(generador, entrenamiento, reserva, semilla)
    fila["pares"] = _pares(muestras, entrenamiento)
    fila.update(swd=medida["swd"], kid=medida["kid"], memorizacion=memorizacion["cociente"],
                diversidad=memorizacion["diversidad"], imagenes=total + len(reserva))
    declarada = manifiesto["medidas"].get(manifiesto["generador_elegido"])
    declarada = declarada if isinstance(declarada, dict) else {}
    memoria = manifiesto.get("memorizacion") if isinstance(manifiesto.get("memorizacion"), dict) else {}
    distintas = [nombre for nombre, clave, nuestro, suyo in (
        ("SWD", "swd", medida["swd"], declarada.get("swd")),
        ("KID", "kid", medida["kid"], declarada.get("kid")),
        ("memorización", "cociente", memorizacion["cociente"], memoria.get("cociente")),
    ) if _discrepan(nuestro, _numero(suyo), clave)]
    if distintas:
        nombres = " y ".join([", ".join(distintas[:-1]), distintas[-1]] if len(distintas) > 1 else distintas)
        verbo = "no coinciden" if len(distintas) > 1 else "no coincide"
        fila["avisos"].append(f"{nombres} del manifiesto {verbo} con lo re-medido")
    if memorizacion["cociente"] < UMBRAL_MEMORIZACION and not muestras_casi_iguales(memorizacion):
        fila["avisos"].append(f"posible memorización (cociente {cifra(memorizacion['cociente'])})")


def _pares(muestras, entrenamiento, n=8):
    """Miniatura de las ``n`` muestras más cercanas al entrenamiento (arriba) sobre su imagen de entrenamiento
    más parecida (abajo), dibujada aquí: la de ``informe.html`` sale del ordenador del estudiante."""
    elegidas, indices, _ = mas_cercanas(muestras, entrenamiento, n)
    arriba, abajo = (np.concatenate(list(a_uint8(grupo)), axis=1)
                     for grupo in (muestras[elegidas], entrenamiento[indices[elegidas]]))
    mosaico = np.concatenate([arriba, abajo], axis=0)
    return _miniatura(mosaico[..., 0] if mosaico.shape[-1] == 1 else mosaico, lado=32 * n)


def _epocas(fila):
    return "sin declarar" if fila.get("epocas") is None else contar(int(fila["epocas"]), "época", "épocas")
