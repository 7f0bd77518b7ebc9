"""Lo que declara el manifiesto de una entrega, que no va firmado, sin creérselo: las cifras
(``cifra_declarada``, con ``CREIBLE`` como lo más que se cree; ``imagenes_declaradas``), los textos para la tabla
(``texto_declarado``) y las épocas dichas en español (``epocas_declaradas``). Lo que no es creíble se queda en
``None`` con un aviso en la fila del informe.

Lo usan ``medida_entrega``, que lo coteja con lo que se vuelve a medir, ``revision_entrega`` y ``revision``.
"""

import unicodedata

from .opciones import es_real
from .textos import contar

# Lo más que se cree de una cifra declarada: más allá es un manifiesto editado a mano.
CREIBLE = {"epocas": 1e6, "minutos": 1e5, "reanudaciones": 1e4, "imagenes": 1e7}
NOMBRES = {"epocas": "épocas", "minutos": "minutos", "reanudaciones": "reanudaciones", "imagenes": "imágenes"}


def numero_declarado(valor):
    """Un número finito del manifiesto, o ``None`` (la KID, insesgada, puede salir algo negativa)."""
    return float(valor) if es_real(valor) else None


def cifra_declarada(clave, valor, fila):
    """``valor``, la cifra ``clave`` que declara el manifiesto, o ``None`` (con un aviso en ``fila`` si no es creíble)."""
    numero = numero_declarado(valor)
    entera = clave == "minutos" or numero is None or numero.is_integer()  # 99,5 épocas no se entrenan
    if valor is not None and (numero is None or not 0 <= numero <= CREIBLE[clave] or not entera):
        fila["avisos"].append(f"el manifiesto declara {str(valor)[:20]} {NOMBRES[clave]}, que no es creíble: se editó a mano")
        return None
    return numero


def imagenes_declaradas(imagenes, fila):
    """Las imágenes (de entrenamiento más de reserva) que declara el manifiesto, o ``None`` si no las declara o
    alguna cuenta no es un entero (con un aviso en ``fila``: sumarla como 0 daría una cifra falsa)."""
    if not isinstance(imagenes, dict) or not imagenes:
        return None
    suma = 0
    for parte in ("entrenamiento", "reserva"):
        valor, numero = imagenes.get(parte), numero_declarado(imagenes.get(parte))
        if valor is not None and (numero is None or not numero.is_integer()):
            que = "un número" if numero is None else "un número entero"
            fila["avisos"].append(f"el manifiesto declara «{str(valor)[:20]}» imágenes de {parte}, que no es {que}: "
                                  "se editó a mano")
            suma = None
        elif suma is not None:
            suma += numero or 0
    return None if suma is None else cifra_declarada("imagenes", suma, fila)


def texto_declarado(valor):
    """Un texto del manifiesto (el alumno, el dispositivo) para la tabla, con un espacio entre palabras y las tildes
    compuestas (NFC; macOS escribe «é» como «e» + «´»), así se encuentra en el libro de notas: ``""``, como si faltara,
    si está vacío o no es un texto (``null`` se vería «None»)."""
    return " ".join(unicodedata.normalize("NFC", valor).split())[:100] if isinstance(valor, str) else ""


def epocas_declaradas(fila):
    return "sin declarar" if fila.get("epocas") is None else contar(int(fila["epocas"]), "época", "épocas")
