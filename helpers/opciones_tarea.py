"""Las opciones de la tarea y sus límites: ``TAMANOS_TAREA`` (32, 64 o 128 px), ``LIMITES`` de las enteras (épocas,
lote, ``n``, semilla y el ``maximo`` de ``preparar``) y los minutos. En modo rápido se entrena como mucho a
``TAMANO_RAPIDO`` px: lo usan ``tarea`` al entrenar y ``reanudacion`` al continuar.

``motivo_invalido`` dice por qué un valor no sirve (una frase corta, sin el valor) y ``comprobar_opciones`` lanza el
``ValueError`` que nombra la opción: así la API (``tarea`` y ``generador_guardado``) y la línea de órdenes
(``__main__``, que comprueba cada opción al leerla) ponen los mismos límites con las mismas palabras. Con
``TAMANOS_TAREA``, ``lectura_entrega`` calcula también lo más que pueden ocupar las imágenes de una entrega.
"""

from .opciones import SEMILLA_MAXIMA, es_entero, es_real
from .textos import miles

TAMANOS_TAREA = (32, 64, 128)  # los de la tarea; ``modelos.TAMANOS`` son los que admiten las redes
TAMANO_RAPIDO = 32  # en modo rápido: en CPU, cada paso a 64 px cuesta varias veces más
MAX_MUESTRAS = 1024
# Límites de las opciones enteras: la API y la línea de órdenes los comprueban con ``motivo_invalido``.
LIMITES = {"epocas": (1, None), "lote": (2, None), "n": (1, MAX_MUESTRAS), "semilla": (0, SEMILLA_MAXIMA),
           "maximo": (1, None)}


def motivo_invalido(opcion, valor):
    """Por qué ``valor`` no sirve para la opción ``opcion`` de la tarea, o ``None`` si sirve.

    ``'tamano'``: uno de ``TAMANOS_TAREA``; ``'minutos'``: un número positivo; ``'epocas'``, ``'lote'``,
    ``'n'``, ``'semilla'`` y ``'maximo'`` (el de ``preparar``): enteros dentro de ``LIMITES``. El motivo es una
    frase corta en español, sin el valor.
    """
    if opcion == "tamano":
        return None if valor in TAMANOS_TAREA else "usa 32, 64 o 128 (píxeles de lado)"
    if opcion == "minutos":
        return None if es_real(valor, mayor_que=0) else "debe ser un número positivo y finito (p. ej. 30 o 0,5)"
    minimo, maximo = LIMITES[opcion]
    if es_entero(valor, minimo, maximo):
        return None
    return f"debe ser un entero entre {minimo} y {miles(maximo)}" if maximo else f"debe ser un entero de al menos {minimo}"


def comprobar_opciones(**opciones):
    """``ValueError`` que nombra la primera opción no válida (ver ``motivo_invalido``); ``minutos=None`` vale (sin
    límite de tiempo), y en las demás ``None`` es un error, no «la de por defecto»."""
    for opcion, valor in opciones.items():
        if not (opcion == "minutos" and valor is None) and (motivo := motivo_invalido(opcion, valor)):
            raise ValueError(f"{opcion}={valor!r} no es válido: {motivo}.")
