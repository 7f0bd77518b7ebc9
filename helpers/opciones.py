"""La comprobación de las opciones que recibe el kit, con un ``ValueError`` en español que nombra la opción.

``es_entero`` y ``es_real`` dicen si un valor es un número de verdad (de Python o de NumPy; un ``bool``, NaN o un
texto no cuentan) entre unos límites; ``exigir_semilla``, ``exigir_enteros``, ``exigir_booleano``, ``exigir_ruta`` y
``exigir_carpeta`` explican el valor que no sirve y qué poner en su lugar, antes de que Keras, NumPy o el sistema
operativo fallen con un error en inglés y lejos de la causa. Solo usa ``textos``: cualquier módulo puede
comprobar sus opciones con ellas.
"""

import math
import numbers
import os
import unicodedata
from pathlib import Path

import numpy as np

from .textos import miles

SEMILLA_MAXIMA = 2**32 - 1  # la mayor que admiten Keras y TensorFlow


def es_entero(valor, minimo=None, maximo=None):
    """``True`` si ``valor`` es un entero de Python o de NumPy (un ``bool`` no cuenta) entre ``minimo``
    y ``maximo``, ambos incluidos (``None``: sin ese límite)."""
    return (isinstance(valor, numbers.Integral) and not isinstance(valor, bool)
            and (minimo is None or valor >= minimo) and (maximo is None or valor <= maximo))


def es_real(valor, minimo=None, maximo=None, *, mayor_que=None, menor_que=None):
    """``True`` si ``valor`` es un número real finito de Python o de NumPy (un ``bool``, NaN, el infinito o un
    entero que no cabe en un float no cuentan) con ``minimo ≤ valor ≤ maximo`` y ``mayor_que < valor < menor_que``
    (``None``: sin ese límite)."""
    if isinstance(valor, bool) or not isinstance(valor, numbers.Real):
        return False
    try:
        finito = math.isfinite(valor)
    except OverflowError:  # un entero de más de 309 cifras: ni Keras ni NumPy harían nada con él
        return False
    return (finito and (minimo is None or valor >= minimo) and (maximo is None or valor <= maximo)
            and (mayor_que is None or valor > mayor_que) and (menor_que is None or valor < menor_que))


def exigir_semilla(semilla, none_es_azar=False):
    """``semilla`` como ``int`` de Python (Keras no acepta enteros de NumPy), o ``ValueError`` en español si no
    es un entero en el intervalo que admiten Keras y TensorFlow. Con ``none_es_azar``, ``None`` vale y se
    devuelve tal cual: donde la función lo admite, otro resultado al azar en cada llamada."""
    if semilla is None and none_es_azar:
        return None
    if not es_entero(semilla, 0, SEMILLA_MAXIMA):
        o_none = " o None (unos distintos cada vez)" if none_es_azar else ""
        raise ValueError(f"semilla={semilla!r} no es válida: usa un número entero de 0 a {miles(SEMILLA_MAXIMA)} (p. ej. "
                         f"0; la misma semilla da los mismos resultados){o_none}.")
    return int(semilla)


def exigir_enteros(*opciones):
    """``ValueError`` en español con la primera de ``opciones`` (ternas ``(nombre, valor, mínimo)``) cuyo valor
    no es un entero de al menos ese mínimo."""
    for nombre, valor, minimo in opciones:
        if not es_entero(valor, minimo):
            que = "un entero positivo" if minimo == 1 else f"un entero ≥ {minimo}"
            raise ValueError(f"{nombre}={valor!r} no es {'válida' if nombre in ('semilla', 'escala') else 'válido'}: "
                             f"debe ser {que}.")


def exigir_booleano(nombre, valor):
    """``valor`` como ``bool`` de Python, o ``ValueError`` en español si no es ``True`` ni ``False`` (los de NumPy
    valen): un texto como ``"no"`` o ``"False"`` contaría como verdadero y haría lo contrario de lo que pides."""
    if not isinstance(valor, (bool, np.bool_)):
        sin_comillas = ", sin comillas" if isinstance(valor, str) else ""
        raise ValueError(f"{nombre}={valor!r} no es válido: usa True o False{sin_comillas}.")
    return bool(valor)


def exigir_ruta(nombre, valor, que):
    """``Path`` de ``valor`` (con ``~`` expandido), o ``ValueError`` en español si no es una ruta o está vacía:
    ``""`` sería la carpeta actual (en Colab, con Google Drive dentro). ``que``: lo que hay que indicar, p. ej.
    «la carpeta o el .zip de tus imágenes».

    Si no existe pero sí la misma ruta con las tildes en la otra forma de Unicode, devuelve esa: los nombres de
    macOS (o los de un zip hecho en él) llevan la tilde aparte («n» + «˜»), y en Linux (Colab) «piña.jpg»
    escrito con el teclado no los encuentra aunque se vean iguales. Cada parte de la ruta, en la suya: en Drive,
    «Diseño» creada en el navegador puede tener dentro «fotos de mamá» subida desde un Mac."""
    if hasattr(valor, "shape"):  # unas imágenes: su repr ocuparía pantallas enteras
        raise ValueError(f"{nombre} recibió una matriz de forma {tuple(valor.shape)}, que no sirve como ruta: indica {que}, "
                         "entre comillas (¿cambiaste el orden de los argumentos?).")
    if not isinstance(valor, (str, os.PathLike)) or not str(valor).strip():
        raise ValueError(f"{nombre}={valor!r} no sirve como ruta: indica {que}, entre comillas.")
    ruta = Path(valor).expanduser()
    if os.path.lexists(ruta):
        return ruta
    # Todas las que existen a cada paso: «canción» puede estar dos veces (subida desde el navegador y desde un Mac).
    halladas = [Path()]
    for parte in ruta.parts:
        formas = dict.fromkeys((parte, unicodedata.normalize("NFC", parte), unicodedata.normalize("NFD", parte)))
        halladas = [otra for hallada in halladas for forma in formas if os.path.lexists(otra := hallada / forma)]
        if not halladas:
            return ruta
    return halladas[0]


def exigir_carpeta(nombre, ruta, consejo):
    """``ValueError`` en español si ``ruta`` existe y no es una carpeta (un archivo, p. ej.): escribir dentro
    fallaría en inglés. Si aún no existe, nada: quien escribe la crea. ``nombre``: el del parámetro (el mensaje
    dice ``carpeta='resultados/x.png'``) o el texto que nombra la ruta, p. ej. ``f"«{ruta}»"`` en lo que se lee en
    la terminal; ``consejo``: qué hacer, p. ej. «elige otra carpeta para los cuadros»."""
    ruta = Path(ruta)
    if ruta.exists() and not ruta.is_dir():
        quien = f"{nombre}={str(ruta)!r}" if nombre.isidentifier() else nombre
        raise ValueError(f"{quien} es un archivo, no una carpeta: {consejo}.")
