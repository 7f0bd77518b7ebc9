"""Qué generador recomendar al terminar de entrenar: el final (``generador.keras``) o el de menor SWD durante el
entrenamiento (``generador_menor_swd.keras``).

- ``elegir_generador``: mide los dos otra vez frente a la reserva, copia el elegido en ``mejor_generador.keras``,
  dice por qué y lo anota en ``tarea.json``;
- ``gana_el_candidato``: su regla con dos medidas (``benchmarks/eleccion_generador.py`` la pone a prueba);
- ``INESTABLE``: el consejo cuando el entrenamiento da NaN y no se recomienda nada.

Lo usan ``tarea.entrenar_carpeta`` (al terminar) y ``benchmarks/eleccion_generador.py``.
"""

import math
import shutil
from pathlib import Path

from .archivos import escribir_de_una_vez
from .callbacks import ARCHIVO_MENOR_SWD
from .generador_guardado import cargar_generador, medir_generador, mismo_generador
from .registro_tarea import ARCHIVO_REGISTRO, escribir_registro, leer_registro
from .textos import cifra

INESTABLE = (
    "El entrenamiento en «{salida}» se volvió inestable (NaN) y no recomiendo ningún generador. Revisa tus "
    "imágenes (¿casi todas iguales, negras o con muy pocas fotos?) y entrena de nuevo en otra carpeta de salida "
    "con otra semilla (--semilla 1 en la terminal, semilla=1 en Python)."
)


def gana_el_candidato(final, candidato):
    """La regla de ``elegir_generador`` con dos medidas de ``medir_generador``: ``True`` si el
    candidato tiene menor SWD y una KID menor que la del final en más de dos veces su ruido."""
    margen = 2 * max(final["kid_desviacion"], candidato["kid_desviacion"])
    return candidato["swd"] < final["swd"] and candidato["kid"] + margen < final["kid"]


def elegir_generador(salida, reserva, semilla=0):
    """Elige entre ``generador.keras`` (el final) y ``generador_menor_swd.keras`` (el de menor SWD
    durante el entrenamiento) y copia el elegido en ``mejor_generador.keras``, el recomendado.

    El mínimo de la SWD durante el entrenamiento es el de una curva ruidosa y castiga poco lo
    borroso: suele ser una época con suerte, y con la media móvil el generador final suele ser mejor.
    Por eso aquí se miden los dos otra vez (``medir_generador``: SWD y KID sobre el doble de muestras
    que la reserva, al menos 100) y el candidato solo gana si su SWD es menor y su KID (que sí castiga
    lo borroso) es menor que la del final en más de dos veces el mayor de los dos ruidos (si los dos tienen
    los mismos pesos, se mide uno y se recomienda el final). Imprime la decisión y por qué y la anota en
    ``tarea.json``. Devuelve ``{"medidas": {archivo: medida}, "elegido": …, "motivo": …}``. Si alguna
    medida no es finita (un generador que da NaN), lanza ``FloatingPointError`` sin recomendar nada.
    """
    salida = Path(salida)
    candidatos = ("generador.keras", ARCHIVO_MENOR_SWD)
    generadores = {archivo: cargar_generador(salida / archivo) for archivo in candidatos}
    mismo = mismo_generador(*generadores.values())
    if mismo:  # medirlo dos veces daría las mismas cifras en el doble de tiempo
        medidas = dict.fromkeys(candidatos, medir_generador(generadores["generador.keras"], reserva, semilla))
    else:
        medidas = {archivo: medir_generador(generador, reserva, semilla) for archivo, generador in generadores.items()}
    for archivo, medida in medidas.items():
        if not all(math.isfinite(valor) for valor in medida.values()):
            raise FloatingPointError(f"{salida / archivo} da imágenes NaN o infinitas. " + INESTABLE.format(salida=salida))
    print("\nLos dos candidatos frente a la reserva (menor es mejor):")
    for archivo, medida in medidas.items():
        print(f"  {archivo:<26} SWD {cifra(medida['swd'], 1):>7}   KID {cifra(medida['kid'], 3)} ± {cifra(medida['kid_desviacion'], 3)}")
    if mismo:
        elegido, motivo = "generador.keras", "la SWD fue mínima en la última época: los dos son el mismo generador"
    elif gana_el_candidato(*medidas.values()):
        elegido, motivo = ARCHIVO_MENOR_SWD, "tiene menor SWD que el final y también menor KID, con margen"
    else:
        elegido, motivo = ("generador.keras", "el de menor SWD durante el entrenamiento no tiene a la vez menor SWD y "
                                              "una KID menor con margen")
    escribir_de_una_vez(salida / "mejor_generador.keras", lambda temporal: shutil.copyfile(salida / elegido, temporal))
    print(f"Recomendado: {elegido} (copiado en mejor_generador.keras), porque {motivo}.")
    if (salida / ARCHIVO_REGISTRO).exists():
        recomendado = {"generador": elegido, "motivo": motivo, "medidas": medidas}
        escribir_registro(salida / ARCHIVO_REGISTRO, {**leer_registro(salida), "recomendado": recomendado})
    return {"medidas": medidas, "elegido": elegido, "motivo": motivo}
