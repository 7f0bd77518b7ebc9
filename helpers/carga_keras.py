"""Abrir un ``.keras`` guardado con otra versión de Keras: ``keras_mas_nueva`` dice si lo guardó una más nueva que la
instalada, y ``cargar_keras`` lo carga sin ejecutar código (``safe_mode``) aunque anote opciones que la instalada no
conoce, siempre que no hagan nada.

Pasa en el curso: un generador entrenado en el portátil (con la Keras de requirements.txt) que se revisa en Colab,
cuya Keras es más antigua, o al revés cuando Colab se adelanta. Las Keras posteriores a la 3.13 anotan
``input_axes=None`` en los inicializadores y ``renorm=False`` en ``BatchNormalization``, y la 3.13 rechaza el archivo
entero por ellas, aunque no cambien la red. Lo usan ``generador_guardado``, ``generador_ajeno`` (al revisar) y
``callbacks`` (al reanudar, el generador de menor SWD).
"""

import inspect
import json
import sys
import tempfile
import zipfile
from pathlib import Path

import keras

from .entorno import partes_de_version
from .textos import texto_imprimible
from .zip_seguro import ERRORES_AL_DESCOMPRIMIR


def keras_mas_nueva(modelo):
    """La versión de Keras que anota el ``metadata.json`` del .keras ``modelo`` (una ruta o un archivo abierto) si es
    más nueva que la instalada, que quizá no lo sepa leer; ``""`` si no lo es o no se sabe."""
    try:
        with zipfile.ZipFile(modelo) as archivo:
            info = archivo.getinfo("metadata.json")
            version = json.loads(archivo.read(info)).get("keras_version") if info.file_size <= 2**20 else ""
    except (*ERRORES_AL_DESCOMPRIMIR, KeyError, AttributeError):  # dañado o no es un objeto: Keras no lo necesita
        return ""
    if not isinstance(version, str) or partes_de_version(version) <= partes_de_version(keras.__version__):
        return ""
    return texto_imprimible(version[:30])


def cargar_keras(ruta):
    """El modelo del archivo ``ruta`` (.keras), con ``safe_mode=True`` y sin compilar. Si Keras no lo carga y lo
    guardó una Keras más nueva, se carga una copia temporal sin las opciones que la instalada no conoce, si ninguna
    hace nada (``quitar_opciones_apagadas``); el archivo no se toca. Si no, lanza el error de Keras."""
    try:
        return keras.models.load_model(ruta, safe_mode=True, compile=False)
    except Exception:  # Keras lanza tipos muy distintos según lo que no entiende; quien llama lo explica
        if not keras_mas_nueva(ruta):
            raise
        with zipfile.ZipFile(ruta) as original:
            config = json.loads(original.read("config.json"))
            if not quitar_opciones_apagadas(config):
                raise
            with tempfile.TemporaryDirectory() as carpeta:
                copia = Path(carpeta) / "modelo.keras"
                with zipfile.ZipFile(copia, "w") as adaptada:
                    for info in original.infolist():
                        es_config = info.filename == "config.json"
                        adaptada.writestr(info, json.dumps(config) if es_config else original.read(info))
                return keras.models.load_model(copia, safe_mode=True, compile=False)


def quitar_opciones_apagadas(config):
    """Quita de ``config`` (el de un config.json, cambiado en su sitio) las opciones de capas, inicializadores y demás
    objetos de Keras que la Keras instalada no admite, si no hacen nada: valen ``None`` o ``False``, o dependen de otra
    nueva que vale ``False`` (``renorm_momentum`` con ``renorm=False``). ``False`` si alguna hace algo: sin ella sería
    otra red, y entonces no se quita ninguna."""
    pendientes, quitar = [config], []
    while pendientes:
        nodo = pendientes.pop()
        if isinstance(nodo, list):
            pendientes.extend(nodo)
        if not isinstance(nodo, dict):
            continue
        pendientes.extend(nodo.values())
        opciones, clase = nodo.get("config"), _clase_de(nodo)
        # Un modelo escribe su config con sus capas y sus conexiones, no con los argumentos de su __init__.
        if not isinstance(opciones, dict) or clase is None or issubclass(clase, keras.Model):
            continue
        admitidas = _argumentos(clase)
        nuevas = [opcion for opcion in opciones if opcion not in admitidas]
        if not all(_apagada(opcion, opciones, nuevas) for opcion in nuevas):
            return False
        quitar += [(opciones, opcion) for opcion in nuevas]
    for opciones, opcion in quitar:
        del opciones[opcion]
    return True


def _apagada(opcion, opciones, nuevas):
    """Si la opción nueva ``opcion`` no hace nada: vale ``None`` o ``False``, o ajusta otra de las ``nuevas`` que vale
    ``False`` (``renorm_momentum`` con ``renorm=False``). Las que ajustan una que la Keras instalada ya conoce
    (``use_bias_…`` con ``use_bias=False``) pueden cambiar la red: no cuentan."""
    valor = opciones[opcion]
    return valor is None or valor is False or any(
        opcion.startswith(f"{otra}_") and opciones[otra] is False for otra in nuevas)


def _clase_de(nodo):
    """La clase de Keras (o registrada por el kit) de un objeto del config.json, o ``None``. Solo se buscan en los
    módulos de Keras ya importados: nada del archivo decide qué se importa."""
    registrada = nodo.get("registered_name")
    if isinstance(registrada, str) and ">" in registrada:
        clase = keras.saving.get_custom_objects().get(registrada)
    else:
        modulo = nodo.get("module")
        es_de_keras = isinstance(modulo, str) and (modulo == "keras" or modulo.startswith("keras."))
        clase = getattr(sys.modules.get(modulo), str(nodo.get("class_name")), None) if es_de_keras else None
    return clase if isinstance(clase, type) else None


def _argumentos(clase):
    """Los argumentos con nombre que admite ``clase`` al crearse: los de su ``__init__`` y, mientras este pase los que
    no conoce (``**kwargs``) a su clase madre, los de la madre."""
    nombres = set()
    for madre in clase.__mro__:
        if "__init__" not in vars(madre):
            continue
        try:
            parametros = inspect.signature(madre.__init__).parameters.values()
        except (TypeError, ValueError):  # una clase de C sin firma
            break
        nombres |= {parametro.name for parametro in parametros}
        if not any(parametro.kind == parametro.VAR_KEYWORD for parametro in parametros):
            break
    return nombres
