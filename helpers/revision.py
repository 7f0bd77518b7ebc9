"""La revisión de la clase: ``python -m helpers revisar CARPETA --salida informe_clase.html``.

Lee cada ``.zip`` de ``entregar`` que haya en la carpeta (y sus subcarpetas) sin fiarse de nada: ni
de los números del manifiesto ni de las imágenes. Vuelve a generar la cuadrícula con el generador
entregado y la semilla anotada, vuelve a medir SWD, KID y memorización con las imágenes entregadas,
coteja las épocas y las imágenes declaradas con ``historial.csv`` e ``imagenes.npz`` (el manifiesto no
va firmado) y compara entre sí los zips, los pesos de los generadores y las historias de entrenamiento.
Escribe un informe HTML (miniaturas, tabla ordenable) y, con la misma información, una hoja de cálculo
(.xlsx) para el libro de notas y un CSV para programas.

Una entrega es ajena y no se ejecuta nada de ella: el zip se lee como ``preparar`` (sin ``../``,
rutas absolutas ni enlaces, con límites de tamaño), el ``config.json`` del modelo se revisa antes de
cargarlo (solo capas de Keras y las registradas por el kit, nunca ``Lambda``) y se carga con
``safe_mode=True``; las matrices de NumPy, con ``allow_pickle=False``. Antes de generar nada se
comprueban las formas del generador (hasta ``MAX_LADO`` px de lado, 1 o 3 canales), las muestras que
pide el manifiesto y las imágenes de reserva: una entrega pequeña no puede agotar la memoria. Solo
se escribe en la carpeta del informe (y en una carpeta oculta dentro de ella con lo ya revisado, para
retomar una revisión cortada, que se borra al escribir los informes). Una entrega que no se puede leer
tiene su fila con el motivo y qué hacer, y la revisión sigue con las demás; lo que no es un .zip, también.
"""

import contextlib
import csv
import hashlib
import io
import json
import math
import os
import re
import shutil
import zipfile
from pathlib import Path

import keras
import numpy as np
from PIL import Image

from . import paginas
from .callbacks import con_la_ruta_pedida, escribir_de_una_vez
from .entrega import (ARCHIVO_IMAGENES, FORMATO, MUESTRAS_CUADRICULA, NOMBRE_DE_EJEMPLO, ZIP_POR_DEFECTO,
                      imagenes_medibles, leer_imagenes, medir_memorizacion, muestras_fijas, sha256)
from .entorno import (carpeta_resultados, cifra, contar, en_exclusiva, es_entero, es_real, exigir_ruta, miles,
                      modo_rapido, sin_tildes, texto_imprimible)
from .graficos import a_uint8, guardar_cuadricula
from .hoja_calculo import escribir_xlsx
from .metricas import UMBRAL_DIVERSIDAD, mas_cercanas, muestras_casi_iguales
from .modelos import es_generador
from .preparacion import archivo_del_sistema
from .tarea import MANIFIESTO, MAX_RESERVA, medir_generador
from .zip_seguro import ERRORES_AL_DESCOMPRIMIR, miembros

MAX_ZIP = 200 * 2**20  # bytes de una entrega
MAX_MIEMBROS = 50
MAX_DESCOMPRIMIDO = 400 * 2**20
MAX_MODELO = 100 * 2**20
MAX_CONFIG = 2 * 2**20
MAX_MANIFIESTO = 2**20
MAX_HISTORIAL = 5 * 2**20  # unas 50.000 épocas
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
# «Casi idénticos»: sus pesos distan menos de un cuarto de lo típico entre dos entregas de la clase.
# Relativo a la clase y no absoluto: con la misma semilla todos parten de los mismos pesos, y tras
# pocos pasos dos entregas honradas distan menos del 1 % (benchmarks/revision_clase.py).
UMBRAL_PARECIDO = 0.25
COLUMNAS = ("entrega", "alumno", "imagenes", "tamano", "epocas", "minutos", "dispositivo", "swd", "kid",
            "memorizacion", "diversidad", "rubrica_datos", "rubrica_reanudable", "rubrica_metricas",
            "palabras_reflexion", "avisos", "motivo")


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
            maximos = {MANIFIESTO: MAX_MANIFIESTO, "historial.csv": MAX_HISTORIAL,
                       "generador.keras": MAX_MODELO}  # también dentro de una carpeta
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
            config = {info.filename: info for info, _ in lista}.get("config.json")
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
    try:
        with Image.open(io.BytesIO(contenido)) as imagen:
            if imagen.format != "PNG" or max(imagen.size) > MAX_LADO_PNG:
                raise EntregaIlegible("muestras.png no es un PNG de tamaño razonable")
            return np.asarray(imagen.convert("RGB"))
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise EntregaIlegible("muestras.png está dañado") from None


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
    """Un texto del manifiesto (el alumno, el dispositivo) para la tabla: ``""``, como si faltara, si está vacío o
    no es un texto (``null`` se vería «None»)."""
    return valor.strip()[:100] if isinstance(valor, str) else ""


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
    n = fila["imagenes"] or 0
    fila["rubrica_datos"] = "excelente" if n >= 300 else "suficiente" if n >= 100 else "insuficiente"
    if fila["swd"] is None:  # sin imagenes.npz no se han podido contar: es lo que dice el manifiesto
        fila["rubrica_datos"] += " (declarado)"
    reanudaciones = _declarado("reanudaciones", manifiesto.get("reanudaciones"), fila)
    fila["rubrica_reanudable"] = ("excelente" if (reanudaciones or 0) >= 1 else "suficiente") + (
        " (sin declarar)" if reanudaciones is None else " (declarado)")
    fila["rubrica_metricas"] = "re-medidas" if fila["swd"] is not None else "sin imágenes"


def _palabras(reflexion):
    """Palabras de la reflexión (la rúbrica pide unas 500), sin contar los signos de Markdown."""
    return len(re.findall(r"\w+", reflexion.decode("utf-8", errors="replace")))


def revisar_entrega(ruta, temporal):
    """Fila del informe para la entrega ``ruta`` (ver ``COLUMNAS``), más ``pesos`` y ``miniatura``.

    Lanza ``EntregaIlegible`` si no se puede revisar; los problemas de una entrega legible van en
    ``avisos`` (lista de textos).
    """
    archivos = _sin_carpeta_comun(leer_zip(ruta))
    if any(nombre.lower().endswith(".zip") for nombre in archivos):
        raise EntregaIlegible("contiene otros .zip (¿las entregas de toda la clase en uno?)",
                              "descomprímelo en la carpeta de entregas y vuelve a revisar")
    if MANIFIESTO not in archivos:  # p. ej., un zip con las fotos
        raise EntregaIlegible(f"falta {MANIFIESTO}", NO_ES_ENTREGA)
    if "generador.keras" not in archivos:
        raise EntregaIlegible("falta generador.keras, el generador que se revisa")
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
    mosaico = np.asarray(Image.open(guardar_cuadricula(regenerada, Path(temporal) / "regenerada.png")).convert("RGB"))
    fila["miniatura"] = _miniatura(mosaico)
    # Sin muestras.png se revisa igual (la cuadrícula se regenera), pero su comprobación no se da por buena.
    if "muestras.png" not in archivos:
        fila["avisos"].append("sin muestras.png, la cuadrícula entregada: no se puede comprobar que salga de este "
                              "generador (la miniatura es la regenerada)")
    else:
        entregada = _png(archivos["muestras.png"])
        if entregada.shape != mosaico.shape or np.abs(entregada.astype(np.int16) - mosaico).mean() > UMBRAL_CUADRICULA:
            fila["avisos"].append("la cuadrícula entregada no sale de este generador con la semilla anotada")
            fila["miniatura_entregada"] = _miniatura(entregada)

    if ARCHIVO_IMAGENES not in archivos:
        fila["avisos"].append("sin imágenes de reserva: SWD, KID y memorización no se pueden volver a medir")
    else:
        _medir(fila, generador, archivos[ARCHIVO_IMAGENES], manifiesto)
        if declaradas is not None and declaradas != fila["imagenes"]:  # el manifiesto no va firmado
            fila["avisos"].append(f"el manifiesto declara {miles(declaradas)} imágenes e {ARCHIVO_IMAGENES} trae "
                                  f"{miles(fila['imagenes'])} (la tabla y la rúbrica usan estas)")
    _rubrica(fila, manifiesto)
    fila["palabras_reflexion"] = _palabras(archivos["reflexion.md"]) if "reflexion.md" in archivos else 0
    return fila


def _historial(fila, contenido):
    """Guarda en ``fila["historial"]`` una huella corta de cada fila de ``historial.csv`` (lo que compara
    ``comparar_historiales``, sin guardar el archivo entero) y avisa si su última época no es la que declara el
    manifiesto, que no va firmado."""
    try:
        filas = [f for f in csv.reader(io.StringIO(contenido.decode("utf-8-sig"))) if f]  # sin líneas en blanco
        columna = filas[0].index("epoca")
        ultima = max(int(fila_csv[columna]) for fila_csv in filas[1:])
    except (UnicodeDecodeError, csv.Error, IndexError, ValueError):
        fila["avisos"].append("historial.csv está dañado: no se pueden comprobar las épocas declaradas")
        return
    fila["historial"] = [hashlib.sha256(",".join(f).encode()).hexdigest()[:16] for f in filas[1:MAX_FILAS_HISTORIAL + 1]]
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
    """Vuelve a medir con las imágenes entregadas y compara con lo que declara el manifiesto."""
    try:
        with zipfile.ZipFile(io.BytesIO(contenido)) as npz:
            miembros(npz, 10, MAX_DESCOMPRIMIDO)  # un .npz es un zip: que no sea una bomba
    except (zipfile.BadZipFile, ValueError):
        raise EntregaIlegible(f"{ARCHIVO_IMAGENES} está dañado o no tiene «entrenamiento» y «reserva»") from None
    try:
        entrenamiento, reserva = leer_imagenes(io.BytesIO(contenido))
    except ValueError as error:  # dice qué le pasa: ilegible, le falta una parte o no son imágenes uint8
        raise EntregaIlegible(f"{ARCHIVO_IMAGENES} está dañado ({error})") from None
    if len(reserva) > MAX_RESERVA:  # se generan el doble de muestras que imágenes de reserva
        raise EntregaIlegible(f"{ARCHIVO_IMAGENES} tiene {len(reserva)} imágenes de reserva («entrenar» aparta "
                              f"como mucho {MAX_RESERVA})")
    forma = tuple(generador.output_shape[1:])
    if not imagenes_medibles(entrenamiento, reserva, forma):
        raise EntregaIlegible(f"las imágenes de {ARCHIVO_IMAGENES} no son de {'×'.join(map(str, forma))}, lo que "
                              "dibuja el generador")
    semilla = manifiesto["semillas"]["medidas"]
    medida = medir_generador(generador, reserva, semilla)
    muestras, memorizacion = medir_memorizacion(generador, entrenamiento, reserva, semilla)
    fila["pares"] = _pares(muestras, entrenamiento)
    fila.update(swd=medida["swd"], kid=medida["kid"], memorizacion=memorizacion["cociente"],
                diversidad=memorizacion["diversidad"],
                imagenes=len(entrenamiento) + len(reserva))
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


def distancias_pesos(filas):
    """``[(fila_a, fila_b, distancia)]`` de cada par de generadores con la misma arquitectura."""
    legibles = [fila for fila in filas if "pesos" in fila]
    return [(a, b, float(np.linalg.norm(a["pesos"] - b["pesos"])))
            for i, a in enumerate(legibles) for b in legibles[i + 1 :] if a["pesos"].shape == b["pesos"].shape]


def comparar_pesos(filas):
    """Avisa en las dos filas de cada par de generadores idénticos o casi (ver ``UMBRAL_PARECIDO``)."""
    pares = distancias_pesos(filas)
    distintas = [distancia for _, _, distancia in pares if distancia > 0]
    tipica = float(np.median(distintas)) if distintas else 0.0
    for a, b, distancia in pares:
        if distancia == 0:
            a["avisos"].append(f"generador idéntico al de {b['entrega']}")
            b["avisos"].append(f"generador idéntico al de {a['entrega']}")
        elif distancia < UMBRAL_PARECIDO * tipica:
            # Tras muy pocos pasos los pesos dependen más de cuántos se dieron que de las fotos.
            for esta, otra in ((a, b), (b, a)):
                epocas = ("" if esta.get("epocas") is None and otra.get("epocas") is None else
                          f"; esta entrega declara {_epocas(esta)} y {otra['entrega']}, {_epocas(otra)}")
                esta["avisos"].append(f"generador casi idéntico al de {otra['entrega']} (sus pesos distan un "
                                      f"{100 * distancia / tipica:.0f} % de lo típico en la clase{epocas})")


def comparar_historiales(filas):
    """Avisa en las dos filas de cada par cuyo ``historial.csv`` empieza igual: pérdidas idénticas cifra a cifra
    solo salen del mismo entrenamiento (uno siguió el del otro) o de las mismas fotos con la misma semilla, y
    unas épocas más pueden alejar los pesos lo bastante para que ``comparar_pesos`` no avise. Los pares con el
    generador idéntico ya tienen su aviso."""
    con_historial = [fila for fila in filas if fila.get("historial")]
    for i, a in enumerate(con_historial):
        for b in con_historial[i + 1 :]:
            x, y = a["historial"], b["historial"]
            iguales = next((k for k, (fx, fy) in enumerate(zip(x, y)) if fx != fy), min(len(x), len(y)))
            if not iguales or np.array_equal(a["pesos"], b["pesos"]):
                continue
            if iguales == len(x) == len(y):
                texto = "la historia de entrenamiento (historial.csv) es idéntica a la de {}"
            else:
                tramo = "la primera época es idéntica" if iguales == 1 else f"las {miles(iguales)} primeras épocas son idénticas"
                texto = "la historia de entrenamiento empieza igual que la de {} (" + tramo + " en historial.csv)"
            a["avisos"].append(texto.format(b["entrega"]))
            b["avisos"].append(texto.format(a["entrega"]))


def comparar_alumnos(filas):
    """Avisa en cada entrega a nombre de alguien que tiene otra en la clase («Ana Pérez» y «ana perez» cuentan
    igual): dos versiones de la misma persona (¿cuál vale?) o dos personas con el mismo nombre. No avisa del
    nombre de ejemplo ni del de un zip sin nombre («entrega»): en una clase olvidadiza, cada fila listaría a las
    demás, y la columna «alumno» ya los deja ver."""
    por_nombre = {}
    for fila in filas:
        if fila["alumno"] and fila["alumno"] not in (NOMBRE_DE_EJEMPLO, ZIP_POR_DEFECTO.stem):
            por_nombre.setdefault(" ".join(sin_tildes(fila["alumno"]).split()), []).append(fila)
    for grupo in (grupo for grupo in por_nombre.values() if len(grupo) > 1):
        for fila in grupo:
            otras = ", ".join(otra["entrega"] for otra in grupo if otra is not fila)
            fila["avisos"].append(f"mismo alumno («{fila['alumno']}») que {otras}")


def _epocas(fila):
    return "sin declarar" if fila.get("epocas") is None else contar(int(fila["epocas"]), "época", "épocas")


def revisar(carpeta, salida=None):
    """Revisa todas las entregas ``*.zip`` de ``carpeta`` y escribe ``salida`` (HTML; por defecto,
    ``resultados/informe_clase.html``) y, al lado, la hoja de cálculo (.xlsx) y el CSV.

    Devuelve la lista de filas (diccionarios con ``COLUMNAS``; ``avisos`` es una lista). No modifica
    nada en ``carpeta``; si ``salida`` existe, lanza ``FileExistsError``, y si otra revisión está
    escribiendo la misma ``salida``, ``BlockingIOError``. Lo ya revisado se guarda en una carpeta oculta
    junto a ``salida`` (``cache_de``): si la revisión se corta, la misma orden la retoma por donde iba; al
    escribir los informes se borra.
    """
    carpeta = exigir_ruta("carpeta", carpeta, "la carpeta con las entregas (.zip) de tu clase")
    salida = exigir_ruta("salida", carpeta_resultados("informe_clase.html") if salida is None else salida,
                         "el informe HTML que se escribe (p. ej. informe_clase.html)")
    if carpeta.is_file():
        raise ValueError(f"«{carpeta}» es un archivo y revisar recibe la carpeta con las entregas (.zip): pon ahí los "
                         "zips; si es el .zip de toda la clase que descargaste, descomprímelo antes.")
    if not carpeta.is_dir():
        raise FileNotFoundError(f"No encuentro la carpeta de entregas «{carpeta}».")
    if salida.is_dir():
        raise ValueError(f"«{salida}» es una carpeta: escribe el nombre del informe que se crea, p. ej. "
                         f"{salida / 'informe_clase.html'}.")
    if salida.suffix != ".html":
        raise ValueError(f"«{salida}» debe terminar en .html (p. ej. informe_clase.html).")
    juntos = (salida.with_suffix(".xlsx"), salida.with_suffix(".csv"), salida)
    _ninguno_existe(juntos)
    sin_revisar, zips = _contenido(carpeta)
    salida.parent.mkdir(parents=True, exist_ok=True)
    _borrar_temporales_viejos(salida.parent)
    cache = cache_de(salida)
    ocupada = (f"Ya hay una revisión en marcha en «{salida}»; espera a que termine y vuelve a lanzar esta orden, o "
               "elige otra --salida.")
    with con_la_ruta_pedida(cache, salida):  # la carpeta oculta no dice nada: el error nombra el informe
        cache.mkdir(exist_ok=True)
        # Dos revisiones a la vez se quitarían lo ya revisado y escribirían el mismo informe.
        with en_exclusiva(cache, ocupada):
            _ninguno_existe(juntos)  # la otra pudo terminar mientras esta buscaba los zips
            filas = _revisar_todas(sin_revisar, zips, carpeta, cache)
            comparar_pesos(filas)
            comparar_historiales(filas)
            comparar_alumnos(filas)
            _escribir_informes(filas, juntos, carpeta)
            for guardado in cache.iterdir():  # las copias del material de los estudiantes; el cerrojo sigue abierto
                if guardado.name != ".cerrojo":
                    guardado.unlink()
    # Ya sin el cerrojo (Windows no borra un archivo abierto); si otra revisión acaba de tomarlo, que se quede.
    shutil.rmtree(cache, ignore_errors=True)
    con_avisos = sum(bool(f["avisos"] or f["motivo"]) for f in filas)
    print(f"\n{contar(len(filas), 'entrega', 'entregas')}, {con_avisos} con avisos o ilegibles. Informe: {salida}; "
          f"para tu hoja de notas, {juntos[0].name} (y {juntos[1].name} para programas).")
    return filas


def _ninguno_existe(juntos):
    existen = [ruta for ruta in juntos if ruta.exists()]
    if not existen:
        return
    cache = cache_de(juntos[-1])
    con_revisadas = cache.is_dir() and any(p.name != ".cerrojo" for p in cache.iterdir())
    if con_revisadas and len(existen) < len(juntos):  # cortada entre un informe y el siguiente
        raise FileExistsError(
            f"Una revisión anterior se cortó mientras escribía sus informes y solo dejó {' y '.join(f'«{r}»' for r in existen)}: "
            f"{'bórralos' if len(existen) > 1 else 'bórralo'} y vuelve a lanzar la misma orden, que seguirá con lo ya revisado (en «{cache}»; no borres esa "
            "carpeta) y escribirá los tres informes.")
    # Una revisión cortada justo después de escribir los informes deja su carpeta oculta: que no se olvide.
    queda = (f" Queda también «{cache}», de esa revisión, con copias del material de tus estudiantes: bórrala."
             if con_revisadas else "")
    raise FileExistsError(f"«{existen[0]}» ya existe y no lo sobrescribo: bórralo tú o elige otra --salida.{queda}")


DESCOMPRIMIDA = ("es una carpeta descomprimida, no un .zip; comprime su contenido (o pide el .zip de «entregar»), quita "
                 "la carpeta y revisa de nuevo")
COMPRIMIDOS = {".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"}
A_MEDIAS = {".part", ".crdownload", ".download", ".partial"}  # descargas sin terminar de los navegadores
A_MEDIAS_MOTIVO = "es una descarga sin terminar; espera a que acabe (o descárgalo de nuevo) y vuelve a revisar"


def _contenido(carpeta):
    """``(sin_revisar, zips)`` de ``carpeta`` y sus subcarpetas, sin lo oculto (el temporal de un «entregar»
    cortado, .ana.1234.tmp.zip, o el ._ana.zip de macOS) ni los archivos del sistema. ``sin_revisar`` son pares
    ``(ruta, motivo)``, con su fila en el informe; los informes de una revisión anterior escrita en la misma
    carpeta no son entregas y no la tienen."""
    todo = sorted(r for r in carpeta.rglob("*") if not archivo_del_sistema(r.relative_to(carpeta).as_posix()))
    a_medias = [r for r in todo if r.suffix.lower() in A_MEDIAS]  # Safari descarga en carpetas «x.zip.download»
    # También «.ZIP», y las carpetas o enlaces rotos con ese nombre: su fila dice qué son.
    zips = [r for r in todo if r.suffix.lower() == ".zip" and not _dentro(r, a_medias)]
    # Lo que hay dentro de una carpeta «x.zip» o de la que el navegador descomprimió junto a su zip ya está en
    # la fila de ese zip; lo de una descarga a medias, en la suya.
    apartadas = [*a_medias, *(r for r in zips if r.is_dir()), *(r.with_suffix("") for r in zips)]
    # Una entrega descomprimida (su manifiesto suelto en una carpeta) tiene su fila, y lo de dentro va con ella. En
    # la carpeta de la clase misma no: su manifiesto suelto tiene su propia fila, como cada archivo suelto.
    con_manifiesto = {r.parent for r in todo if r.name == MANIFIESTO and r.parent != carpeta and not _dentro(r, apartadas)}
    descomprimidas = sorted(d for d in con_manifiesto if not _dentro(d, con_manifiesto))
    apartadas += descomprimidas
    otros = [r for r in todo if r.suffix.lower() != ".zip" and not r.is_dir() and not _dentro(r, apartadas)
             and not _de_un_informe(r)]
    if not zips and not descomprimidas:
        hay = ", ".join(_nombre(r, carpeta) for r in otros[:3]) + ("…" if len(otros) > 3 else "")
        raise ValueError(f"«{carpeta}» no tiene ningún .zip{f' (solo {hay})' if otros else ''}: pon ahí las entregas "
                         "de «python -m helpers entregar».")
    carpetas_a_medias = [r for r in a_medias if r.is_dir() and not _dentro(r, apartadas)]
    sin_revisar = ([(r, DESCOMPRIMIDA) for r in descomprimidas] + [(r, A_MEDIAS_MOTIVO) for r in carpetas_a_medias]
                   + [(r, _por_que_no_se_revisa(r)) for r in otros])
    return sorted(sin_revisar), zips


def _de_un_informe(ruta):
    """``True`` si ``ruta`` es uno de los tres informes (.html, .xlsx y .csv del mismo nombre) que escribe ``revisar``."""
    juntos = (".html", ".xlsx", ".csv")
    return ruta.suffix in juntos and all(ruta.with_suffix(sufijo).is_file() for sufijo in juntos)


def _dentro(ruta, carpetas):
    """``True`` si ``ruta`` está dentro de alguna de ``carpetas``."""
    return not set(carpetas).isdisjoint(ruta.parents)


def _por_que_no_se_revisa(ruta):
    """El motivo de la fila de un archivo que no es .zip: ``revisar`` solo lee los de «entregar»."""
    sufijo = ruta.suffix.lower()
    if ruta.name == MANIFIESTO:
        return ("es el manifiesto de una entrega descomprimida en la carpeta de la clase: quita sus archivos y "
                "deja solo su .zip (o pídeselo al estudiante)")
    if sufijo in A_MEDIAS:
        return A_MEDIAS_MOTIVO
    if sufijo in COMPRIMIDOS:
        return f"está comprimido en {sufijo}, no en .zip; {REENTREGAR}"
    return f"no es un .zip; si es parte de una entrega, {REENTREGAR}"


def _revisar_todas(sin_revisar, zips, carpeta, cache):
    """Las filas de la tabla en su orden (primero lo que no se revisa), con lo ya revisado tomado de ``cache``."""
    total, filas, numero, kit = len(sin_revisar) + len(zips), [], 0, _huella_kit()
    primeras = {}  # huella → fila del primer zip con ella: una copia con otro nombre es un aviso, no «ya revisada»
    try:
        if any(cache.glob("*.npz")):  # cuáles sirven (la misma entrega y el mismo kit) lo dice cada línea
            print("Retomo la revisión cortada: las entregas ya revisadas, si no han cambiado, no se revisan de nuevo.")
        # Lo que no se revisa cuenta en el progreso igual que en el resumen.
        for numero, (ruta, motivo) in enumerate(sin_revisar, 1):
            print(f"[{numero}/{total}] {_nombre(ruta, carpeta)} — no se revisa: {motivo}")
            filas.append(_ilegible(motivo) | {"entrega": _nombre(ruta, carpeta)})
        for numero, ruta in enumerate(zips, len(sin_revisar) + 1):
            nombre, guardada = _nombre(ruta, carpeta), _guardada(cache, kit, ruta)
            igual = primeras.get(guardada)
            ya = guardada and guardada.exists()
            nota = f" (mismo archivo que {igual['entrega']})" if igual else " (ya revisada)" if ya else ""
            print(f"[{numero}/{total}] {nombre}{nota}")
            fila = _revisar_guardando(ruta, guardada, cache) | {"entrega": nombre}
            if igual:
                fila["avisos"].append(f"mismo archivo que {igual['entrega']}")
                igual["avisos"].append(f"mismo archivo que {nombre}")
            elif guardada:
                primeras[guardada] = fila
            filas.append(fila)
    except KeyboardInterrupt:  # sin la traza de TensorFlow de la red de un estudiante
        donde = f"en la entrega {numero} de {total}" if numero else "antes de la primera entrega"
        raise KeyboardInterrupt(
            f"Revisión interrumpida {donde}: no se ha escrito ningún informe (el HTML, la hoja y el CSV se escriben "
            f"juntos al final). Lo ya revisado queda en «{cache}»: vuelve a lanzar la misma orden y seguirá por donde "
            "iba; si no la vas a retomar, borra esa carpeta (tiene copias del material de tus estudiantes).") from None
    return filas


def _escribir_informes(filas, juntos, carpeta):
    """La hoja, el CSV y el HTML (``juntos``), los tres a la vez o ninguno: una hoja suelta sin su informe
    impediría repetir la revisión."""
    temporales = {ruta: ruta.parent / f".{ruta.name}.tmp" for ruta in juntos}
    escritores = (lambda temporal: escribir_xlsx(COLUMNAS, [[_celda_hoja(fila.get(columna)) for columna in COLUMNAS]
                                                            for fila in filas], temporal, hoja="Entregas"),
                  lambda temporal: escribir_csv(filas, temporal),
                  lambda temporal: temporal.write_text(informe_clase(filas, carpeta), encoding="utf-8"))
    try:
        for (ruta, temporal), escribir in zip(temporales.items(), escritores):
            with con_la_ruta_pedida(temporal, ruta):
                escribir(temporal)
        for ruta, temporal in temporales.items():
            with con_la_ruta_pedida(temporal, ruta):
                os.replace(temporal, ruta)
    finally:
        for temporal in temporales.values():
            with contextlib.suppress(OSError):  # en un disco de solo lectura, borrar también falla: cuenta el primer error
                temporal.unlink(missing_ok=True)


def _nombre(ruta, carpeta):
    return texto_imprimible(str(ruta.relative_to(carpeta)))


def _revisar_guardando(ruta, guardada, temporal):
    """La fila de la entrega ``ruta``: la guardada en ``guardada`` si ya estaba; si no, la revisa (con los
    temporales en ``temporal``) y, si se pudo revisar, la guarda (salvo ``guardada=None``). Nunca para la revisión."""
    if guardada and guardada.exists():
        try:
            return _leer_guardada(guardada)
        except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile):  # dañada (un apagón): de nuevo
            guardada.unlink(missing_ok=True)
    try:
        fila = revisar_entrega(ruta, temporal)
    # Una ilegible no se guarda: es rápida de repetir y su causa puede ser pasajera (falta de memoria al cargar).
    except EntregaIlegible as error:
        return _ilegible(str(error))
    # Última red: una entrega ajena puede fallar de formas imprevistas y no debe parar la revisión.
    except Exception as error:  # noqa: BLE001
        return _ilegible(f"error inesperado al revisarla ({error.__class__.__name__}); vuelve a revisar la "
                         f"clase y, si se repite, {REENTREGAR}")
    if guardada is None:
        return fila
    _guardar(fila, guardada)
    # La fila sale de lo guardado: una revisión retomada da el mismo informe que una seguida.
    return _leer_guardada(guardada)


def _ilegible(motivo):
    return {**dict.fromkeys(COLUMNAS), "alumno": "", "avisos": [], "motivo": motivo}


def cache_de(salida):
    """La carpeta oculta donde la revisión que escribe ``salida`` guarda lo ya revisado (y sus temporales)."""
    return salida.parent / f".{salida.name}.revision"


def _huella_kit():
    """Lo que cambia la revisión sin cambiar las entregas: el código del kit (también el de una copia
    actualizada con ``git pull``, que no cambia de versión) y el modo rápido."""
    huella = hashlib.sha256(str(modo_rapido()).encode())
    for modulo in sorted(Path(__file__).parent.glob("*.py")):
        huella.update(modulo.read_bytes())
    return huella


def _guardada(cache, kit, ruta):
    """Dónde se guarda la fila de ``ruta``: su huella SHA-256 junto a la del kit (``kit``). Una entrega cambiada,
    aunque se llame igual, nunca reutiliza una fila vieja. ``None`` si no se puede leer (una carpeta que se llama
    .zip, un enlace roto): se revisa sin guardarla y su motivo dice por qué."""
    if not ruta.is_file() or ruta.stat().st_size > MAX_ZIP:  # sin abrir una tubería ni leer gigas: lo dirá su fila
        return None
    huella = kit.copy()
    try:
        with open(ruta, "rb") as archivo:
            return cache / f"{hashlib.file_digest(archivo, lambda: huella).hexdigest()}.npz"
    except OSError:
        return None


def _guardar(fila, guardada):
    """Guarda la fila (sin su nombre, que depende de dónde esté el zip) y sus pesos en ``guardada`` (.npz)."""
    # En float32 siempre: NumPy guarda un tipo como bfloat16 (posible en un generador ajeno) como bytes sin tipo.
    pesos = {"pesos": np.asarray(fila["pesos"], np.float32)} if "pesos" in fila else {}
    datos = json.dumps({clave: valor for clave, valor in fila.items() if clave not in ("entrega", "pesos")},
                       ensure_ascii=False, default=float)  # las cifras de NumPy, como números de Python
    # Entera o nada, aunque la revisión se corte aquí o se vaya la luz (ver ``escribir_de_una_vez``).
    escribir_de_una_vez(guardada, lambda temporal: np.savez(temporal, fila=np.array(datos), **pesos))


def _leer_guardada(guardada):
    """La fila que guardó ``_guardar`` (sin ``entrega``), con sus pesos si los tenía."""
    with np.load(guardada, allow_pickle=False) as datos:
        return json.loads(str(datos["fila"])) | ({"pesos": datos["pesos"]} if "pesos" in datos else {})


def _borrar_temporales_viejos(carpeta):
    """Borra las carpetas temporales que las versiones anteriores del kit dejaban en ``carpeta`` si la revisión
    moría de golpe (``kill -9``): se reconocen por el nombre que les daba ``tempfile`` (``.revision_`` y 8
    letras o cifras) y por tener solo el generador y la cuadrícula de una entrega. Nada más se toca."""
    for vieja in carpeta.glob(".revision_*"):
        if not re.fullmatch(r"\.revision_[a-z0-9_]{8}", vieja.name) or vieja.is_symlink() or not vieja.is_dir():
            continue
        suyos = ("generador.keras", "regenerada.png")
        if all(p.is_file() and not p.is_symlink() and p.name in suyos for p in vieja.iterdir()):
            shutil.rmtree(vieja)


def _celda_hoja(valor):
    """El valor para la hoja de cálculo (y, como texto, para el CSV): avisos unidos por «; » y números
    con 4 cifras significativas."""
    if isinstance(valor, list):
        return "; ".join(valor)
    if isinstance(valor, float) and math.isfinite(valor):
        return float(f"{valor:.4g}")
    return valor


def _celda_csv(valor):
    """Texto para el CSV; lo que empieza por ``=``, ``+``, ``-`` o ``@`` se antepone con ``'`` para que
    la hoja de cálculo no lo tome por una fórmula."""
    valor = _celda_hoja(valor)
    if valor is None:
        return ""
    texto = f"{valor:.4g}" if isinstance(valor, float) else str(valor)
    return "'" + texto if texto and texto[0] in "=+-@" and not isinstance(valor, (int, float)) else texto


def escribir_csv(filas, ruta):
    """CSV para el libro de notas (UTF-8 con BOM, para que Excel respete las tildes)."""
    with open(ruta, "w", newline="", encoding="utf-8-sig") as archivo:
        escritor = csv.writer(archivo)
        escritor.writerow(COLUMNAS)
        escritor.writerows([_celda_csv(fila.get(columna)) for columna in COLUMNAS] for fila in filas)


RUBRICA = {"rubrica_datos": "datos", "rubrica_reanudable": "reanudable", "rubrica_metricas": "métricas"}
LEYENDA = (
    ("la cuadrícula entregada no sale de este generador", "muestras.png no es lo que el generador entregado "
     "dibuja con la semilla anotada: se cambió la imagen o el generador. No prueba mala fe (pudo entregar otro "
     "generador por error)."),
    ("generador idéntico / casi idéntico al de …", "los pesos de dos entregas coinciden, o distan menos de un cuarto "
     "de lo que distan dos entregas típicas de esta clase: mismo archivo o uno retocado. No dice quién copió a quién. "
     "Tras muy pocas épocas los pesos dependen más de cuántos pasos se dieron que de las fotos: dos entregas honradas "
     "con las mismas épocas pueden salir «casi idénticas», y una copia reentrenada unas épocas puede no salir. "
     "Compara sus épocas y sus cuadrículas antes de concluir."),
    ("mismo archivo que …", "dos zips de la clase son el mismo archivo, byte a byte, con otro nombre: una copia o la "
     "misma entrega subida dos veces. No dice quién copió a quién."),
    ("la historia de entrenamiento es idéntica a / empieza igual que la de …", "las pérdidas de historial.csv coinciden "
     "cifra a cifra desde la primera época: un entrenamiento siguió al otro (con unas épocas más, los pesos pueden "
     "no salir «casi idénticos») o los dos salen de la misma carpeta. También las mismas fotos con la misma semilla "
     "en la misma máquina pueden dar la misma historia: pregunta antes de concluir."),
    ("mismo alumno (…) que …", "dos entregas dicen ser de la misma persona (sin contar mayúsculas ni tildes): "
     "una versión corregida que se subió sin quitar la anterior, o dos estudiantes con el mismo nombre. Pregunta cuál "
     "cuenta; la hoja de cálculo tiene una fila por entrega."),
    ("el manifiesto declara … y historial.csv llega a / imagenes.npz trae …", "manifiesto.json no va firmado: sus "
     "épocas o su número de imágenes no son los de los archivos entregados, así que se editó después de "
     "«entregar». La tabla da las imágenes contadas y las épocas declaradas."),
    ("hecha con un kit más nuevo que el tuyo", "el manifiesto es de un formato que tu copia del kit no conoce: "
     "actualízala y revisa de nuevo. No dice nada de la entrega."),
    ("… del manifiesto no coincide(n) con lo re-medido", "las cifras declaradas no son las que salen al medir de "
     "nuevo con las mismas imágenes y semilla. No prueba que se inventaran: pudo editar el zip después."),
    ("posible memorización", "las muestras están mucho más cerca de sus imágenes de entrenamiento que una foto "
     "nueva. Con pocas imágenes es lo esperable; no es trampa. No se avisa si las muestras son casi iguales entre "
     "sí (sin entrenar o colapsadas) y no calcan una foto: entonces el cociente no dice nada."),
    ("sin muestras.png", "el zip no trae la cuadrícula que se entregó (se quitó de él: también sale «faltan "
     "archivos»). Se revisa con la cuadrícula regenerada, pero no se puede comprobar que la del estudiante saliera "
     "de este generador."),
    ("sin imágenes de reserva", "se entregó con --sin-imagenes (o se quitó imagenes.npz del zip: entonces también "
     "sale «faltan archivos»): las medidas no se pueden repetir."),
    ("huella SHA-256 / archivos añadidos / faltan archivos", "el zip cambió después de empaquetar la entrega: un "
     "archivo distinto, uno de más o uno de menos. Lo más frecuente es volver a comprimir a mano; no prueba trampa."),
    ("el manifiesto declara … que no es creíble / que no es un número", "una cifra declarada imposible (negativa, "
     "infinita, desmesurada, con decimales donde se cuenta o que no es un número): el manifiesto se editó a mano. No "
     "se usa en la tabla ni en la rúbrica."),
)


def informe_clase(filas, carpeta):
    """HTML autocontenido de la clase: resumen, tabla ordenable con miniaturas y leyenda de avisos."""
    encabezados = ["muestras", "entrega", "alumno", "avisos", "imágenes", "tamaño", "épocas", "minutos",
                   "dispositivo", "SWD ×10³", "KID", "memorización", "diversidad", "rúbrica (lo medible)"]
    cuerpo = []
    for fila in filas:
        miniaturas = "".join(paginas.figura(fila[clave], pie) for clave, pie in (
            ("miniatura", "regenerada aquí"), ("miniatura_entregada", "la entregada (no coincide)"),
            ("pares", "las 8 muestras más parecidas al entrenamiento, sobre su foto")) if fila.get(clave))
        avisos = [f"<li class=\"aviso\">{paginas.escapar(a)}</li>" for a in fila["avisos"]]
        if fila["motivo"]:
            avisos.append(f"<li class=\"aviso\"><strong>ilegible:</strong> {paginas.escapar(fila['motivo'])}</li>")
        rubrica = "<br>".join(paginas.escapar(f"{nombre}: {fila[c]}") for c, nombre in RUBRICA.items() if fila.get(c))
        if fila.get("palabras_reflexion") is not None:
            rubrica += f"<br>reflexión: {contar(fila['palabras_reflexion'], 'palabra', 'palabras')} (unas 500)"
        cuerpo.append([
            (miniaturas, ""), fila["entrega"], fila["alumno"] or "",
            # El número de avisos como texto: se ordena igual, pero la celda no se alinea como un número.
            ("<ul>" + "".join(avisos) + "</ul>" if avisos else '<span class="bien">sin avisos</span>', str(len(avisos))),
            (paginas.escapar(fila["imagenes"] or ""), fila["imagenes"] or ""),
            # Se ordena por el lado en píxeles: como texto, «128×128×3» iría antes que «32×32×3».
            (paginas.escapar(fila["tamano"] or ""), int(fila["tamano"].split("×")[0]) if fila["tamano"] else ""),
            *[(cifra(fila[c], d), fila[c] if fila[c] is not None else "")
              for c, d in (("epocas", 0), ("minutos", 1), )],
            fila["dispositivo"] or "",
            *[(cifra(fila[c], d), fila[c] if fila[c] is not None else "")
              for c, d in (("swd", 1), ("kid", 3), ("memorizacion", 2), ("diversidad", 2))],
            (rubrica, ""),
        ])
    con_avisos = sum(bool(f["avisos"] or f["motivo"]) for f in filas)
    leyenda = "".join(f"<dt><strong>{paginas.escapar(a)}</strong></dt><dd>{paginas.escapar(b)}</dd>" for a, b in LEYENDA)
    html = (
        f"<p>{contar(len(filas), 'entrega', 'entregas')} de «{paginas.escapar(texto_imprimible(carpeta.resolve().name))}»; "
        f"{con_avisos} con avisos o ilegibles. SWD, KID, memorización, diversidad y, si se entregó imagenes.npz, las "
        "imágenes son las re-medidas aquí; épocas, minutos, dispositivo y reanudaciones son las declaradas en el "
        "manifiesto, que no va firmado («declarado» en la rúbrica; las épocas se cotejan con historial.csv). "
        "Menor es mejor en SWD y KID; el cociente de memorización, ≈ 1 o más es lo sano; la diversidad de las "
        "muestras, ≈ 1 como en fotos reales, y muy baja "
        f"(< {cifra(UMBRAL_DIVERSIDAD)}) si el generador no ha aprendido o ha colapsado. Pulsa un encabezado para ordenar.</p>"
        + paginas.tabla(encabezados, cuerpo, ordenable=True)
        + f"<h2>Qué significa cada aviso (y qué no prueba)</h2><dl>{leyenda}</dl>"
    )
    return paginas.pagina("Revisión de entregas", html, ordenable=True)
