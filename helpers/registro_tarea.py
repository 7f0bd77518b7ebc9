"""La carpeta de una tarea: los nombres de sus archivos y su registro, ``tarea.json`` (qué se hizo y con qué imágenes).

- ``ARCHIVO_REGISTRO``, ``ARCHIVO_IMAGENES`` y ``MANIFIESTO``: ``tarea.json``, ``imagenes.npz`` y el
  ``manifiesto.json`` de una entrega;
- ``leer_registro``: ``tarea.json`` como diccionario, con un error en español si está dañado;
- ``escribir_registro``: lo escribe de una vez (nunca queda a medias);
- ``anotar_sesion``: lo que anota cada sesión de entrenamiento (receta, imágenes, épocas, minutos…).

Lo usan ``tarea`` (al entrenar), ``reanudacion`` (al continuar), ``eleccion_generador`` (anota la recomendación),
``entrega`` (con ``comprobacion_entrega``, que comprueba ``tarea.json``), la revisión de entregas y la línea de
órdenes.
"""

import json
from importlib import metadata
from pathlib import Path

from .archivos import escribir_de_una_vez, nombre_apartado
from .entorno import describir_dispositivo, modo_rapido
from .gan import RECETA_POCOS_DATOS
from .opciones import es_real

# Lo que ``python -m helpers entregar`` necesita del entrenamiento: qué se hizo y con qué imágenes.
ARCHIVO_REGISTRO = "tarea.json"
ARCHIVO_IMAGENES = "imagenes.npz"
# El de una entrega (``helpers.entrega``): una carpeta con él es una entrega descomprimida, no una tarea.
MANIFIESTO = "manifiesto.json"


def leer_registro(carpeta):
    """El ``tarea.json`` de ``carpeta`` como diccionario (``{}`` si no hay); ``ValueError`` que lo nombra
    si está dañado (se detecta antes de entrenar, no al final)."""
    ruta = Path(carpeta) / ARCHIVO_REGISTRO
    if not ruta.exists():
        return {}
    try:
        registro = json.loads(ruta.read_text(encoding="utf-8"))
    except ValueError:  # JSON mal formado o no UTF-8 (ambos son ValueError)
        registro = None
    numeros = isinstance(registro, dict) and all(
        es_real(registro.get(clave, 0)) for clave in ("minutos", "reanudaciones")
    )
    if not numeros:
        raise ValueError(
            f"«{ruta}» está dañado (no es el registro JSON que escribe el kit). Si tienes una copia, ponla en su "
            f"lugar; si no, renómbralo (p. ej. a {nombre_apartado(ruta)}) y vuelve a continuar: se escribe de nuevo, sin "
            "los minutos ni las reanudaciones anteriores."
        )
    return registro


def escribir_registro(ruta, registro):
    """Escribe ``registro`` en ``ruta`` (``tarea.json``) con ``escribir_de_una_vez``."""
    escribir_de_una_vez(ruta, lambda temporal: temporal.write_text(json.dumps(registro, ensure_ascii=False, indent=1),
                                                                   encoding="utf-8"))


def anotar_sesion(resultado, anterior, lote, semilla, minutos, pedido):
    """Escribe ``tarea.json``: receta (con el lote usado), imágenes, épocas, minutos (sumando los de
    ``anterior``, el registro al empezar), reanudaciones, dispositivo, semilla, lo ``pedido`` (épocas y
    lote de la última orden, tal como se pidieron: con ellos ``entregar`` propone la orden de continuar)
    y ``modo_rapido``: ``True`` si esta sesión entrenó en modo rápido (``CURSO_GAN_RAPIDO``), que recorta
    las épocas, el tamaño y el número de imágenes pedidos (``epocas`` son las entrenadas, e
    ``imagenes.tamano``, el usado; ``imagenes.entrenamiento`` son todas las de ``imagenes.npz``, aunque
    ``a_dataset`` entrene con ``IMAGENES_RAPIDAS`` de ellas: ``revisar`` las vuelve a contar allí y una cifra
    distinta sería un aviso de manifiesto editado). Solo cuenta como reanudación seguir un punto de control y
    entrenar al menos una época más."""
    continuo = 0 < resultado["epoca_inicial"] < resultado["epoca"]
    registro = {
        "version_kit": metadata.version("curso-gan"),
        "receta": {**RECETA_POCOS_DATOS, "lote": lote},
        "imagenes": {"entrenamiento": len(resultado["entrenamiento"]), "reserva": len(resultado["reserva"]),
                     "tamano": resultado["tamano"], "canales": 3},
        "epocas": resultado["epoca"],
        "minutos": round(anterior.get("minutos", 0.0) + minutos, 2),
        "reanudaciones": anterior.get("reanudaciones", 0) + int(continuo),
        "dispositivo": describir_dispositivo(),
        "semilla": semilla,
        "pedido": pedido,
        "modo_rapido": modo_rapido(),  # sin él, «pedido: 100 épocas» y «epocas: 20» parecerían un corte
        "terminado": False,  # hasta escribir el generador final y la recomendación
    }
    escribir_registro(resultado["salida"] / ARCHIVO_REGISTRO, registro)
