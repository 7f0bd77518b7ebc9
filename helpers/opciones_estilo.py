"""Las opciones de ``estilo.transferir_estilo``, comprobadas antes de empezar.

``comprobar_y_limitar`` rechaza con un ``ValueError`` en español la primera opción sin sentido (un método
o un inicio que no existen, un número fuera de rango, unos pesos que dejarían la pérdida siempre en 0): sin
esto, la transferencia devolvería la foto sin cambios o fallaría dentro de TensorFlow. En modo rápido,
además, recorta las iteraciones y el tamaño.
"""

import reprlib

import numpy as np
import tensorflow as tf
from PIL import Image

from .entorno import limitar, modo_rapido
from .imagenes_estilo import LADO_MAXIMO
from .opciones import es_entero, es_real, exigir_booleano


def comprobar_y_limitar(*, metodo, inicio, estilo, iteraciones, calentamiento, lado_maximo, escalas, mostrar_cada,
                        peso_contenido, peso_estilo, peso_variacion, preservar_color):
    """Rechaza las opciones de ``transferir_estilo`` sin sentido y, en modo rápido, recorta las iteraciones
    y el tamaño; devuelve ``(iteraciones, lado_maximo)``."""
    if metodo not in ("lbfgs", "adam"):
        raise ValueError(f"metodo={metodo!r} no existe: usa \"lbfgs\" o \"adam\".")
    # Una imagen ya cargada, no una ruta: un texto que no es ninguna de las dos palabras es casi siempre una errata.
    if not (inicio in ("contenido", "ruido") if isinstance(inicio, str)
            else isinstance(inicio, (np.ndarray, tf.Tensor, Image.Image, list, tuple))):
        raise ValueError(f"inicio={reprlib.repr(inicio)} no sirve: usa \"contenido\", \"ruido\" o una imagen ya cargada "
                         "(la de estilo.transferencia_interrumpida() o la de estilo.cargar_imagen(ruta)).")
    _comprobar_opciones(iteraciones=iteraciones, calentamiento=calentamiento, lado_maximo=lado_maximo, escalas=escalas,
                        mostrar_cada=mostrar_cada, peso_contenido=peso_contenido, peso_estilo=peso_estilo,
                        peso_variacion=peso_variacion)
    exigir_booleano("preservar_color", preservar_color)
    if not (peso_contenido or peso_variacion or (peso_estilo and estilo is not None)):
        cuales = (f"Sin estilo (estilo=None) y con peso_contenido={peso_contenido!r}" if peso_estilo
                  else f"Con peso_contenido={peso_contenido!r}, peso_estilo={peso_estilo!r}")
        raise ValueError(f"{cuales} y peso_variacion={peso_variacion!r}, la pérdida vale siempre 0 y devolvería la "
                         "imagen de partida sin cambios: da a alguno un valor mayor que 0 (por defecto son 1, 10 y 0,1).")
    iteraciones = limitar(iteraciones, 20, "iteraciones")
    if lado_maximo is None and modo_rapido():
        print("Modo rápido: como mucho 128 px de lado en lugar del tamaño original.")
        lado_maximo = 128
    elif lado_maximo is not None:
        lado_maximo = limitar(lado_maximo, 128, "px de lado")
    return iteraciones, lado_maximo


def _comprobar_opciones(**opciones):
    """``ValueError`` en español con la primera opción de ``transferir_estilo`` que no tiene sentido (si no,
    la transferencia devolvería la foto sin cambios o fallaría dentro de TensorFlow)."""
    for nombre, valor in opciones.items():
        if nombre == "iteraciones" and not es_entero(valor, 1):
            motivo = "debe ser un entero positivo (p. ej. 400)"
        elif nombre == "calentamiento" and not es_entero(valor, 0):
            motivo = "debe ser un entero, 0 o más"
        elif nombre == "lado_maximo" and valor is not None and not es_entero(valor, 32, LADO_MAXIMO):
            motivo = (f"debe ser un entero de 32 a {LADO_MAXIMO} píxeles (más no cabría en memoria) o None para "
                      "conservar el tamaño")
        elif nombre == "mostrar_cada" and not (valor is None or es_entero(valor, 0)):
            motivo = "debe ser un entero, 0 o más: cada cuántas iteraciones dibujar la imagen (0 o None: nunca)"
        elif nombre == "escalas" and (not isinstance(valor, (list, tuple, np.ndarray)) or not len(valor)
                                      or not all(es_real(e, mayor_que=0, maximo=1) for e in valor)
                                      or list(valor) != sorted(valor)):
            motivo = "debe ser una lista de fracciones entre 0 y 1, de menor a mayor (p. ej. (1.0,) o (0.5, 1.0))"
        elif nombre.startswith("peso_") and not es_real(valor, 0):
            motivo = "debe ser un número, 0 o mayor"
        # Ni cabría en float32, el de la red (el calentamiento triplica el de contenido).
        elif nombre.startswith("peso_") and valor > float(np.finfo(np.float32).max) / 3:
            motivo = "es demasiado grande: usa pesos como los de por defecto (1, 10 y 0,1)"
        else:
            continue
        raise ValueError(f"{nombre}={valor!r} no es válido: {motivo}.")
