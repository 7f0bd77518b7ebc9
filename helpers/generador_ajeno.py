"""El generador de una entrega ajena, cargado sin ejecutar nada suyo: ``cargar_generador_ajeno`` revisa antes su
``config.json`` (``objetos_no_permitidos``: solo capas de Keras y del kit, nunca ``Lambda``) y después sus formas
(hasta ``MAX_LADO`` px, 1 o 3 canales, un vector latente de hasta ``MAX_LATENTE``) y sus parámetros.

Lo que no se puede cargar lanza ``lectura_entrega.EntregaIlegible``. Lo usa ``revision_entrega``.
"""

import io
import json
import zipfile
from pathlib import Path

import keras

from .carga_keras import cargar_keras, keras_mas_nueva
from .lectura_entrega import MAX_DESCOMPRIMIDO, EntregaIlegible
from .modelos import es_generador
from .textos import texto_imprimible
from .zip_seguro import ERRORES_AL_DESCOMPRIMIR, miembros

MAX_CONFIG = 2 * 2**20
MAX_PARAMETROS = 30_000_000
# Lo que se genera sale de la salida del generador y de cuántas muestras se piden: sin límite, una
# entrega de 2 MB que dibuja 1024×1024 agota la memoria de un portátil (el kit entrena a 32, 64 o 128 px).
MAX_LADO = 256
MAX_LATENTE = 1024
# Objetos especiales del config.json de Keras que solo guardan datos (nunca código).
ESPECIALES = {"__keras_tensor__", "__tuple__", "__tensor__", "__numpy__", "__bytes__"}
PROHIBIDAS = {"Lambda", "TFSMLayer"}  # capas de Keras que ejecutan código o grafos guardados


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
        generador = cargar_keras(ruta)
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
