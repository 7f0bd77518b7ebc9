"""Continuar un entrenamiento de la tarea: lo que se comprueba antes de escribir nada en la carpeta de salida, y la
orden que lo sigue.

- ``comprobar_entrenamiento_previo``: qué dejó ahí un entrenamiento anterior (su época y su ``tarea.json``), o
  ``FileExistsError`` si entrenar ahí estropearía algo (una entrega, archivos que no son de una tarea, un
  entrenamiento sin ``continuar``); ``contenido_visible`` dice qué archivos hay;
- ``registro_anterior``: el registro de la sesión que se continúa, con los minutos que no llegó a anotar si se
  cortó (un apagón, un proceso matado); ``ValueError`` si se entrenó con otra semilla;
- ``comprobar_mismas_imagenes``: que las imágenes (carpeta, tamaño y semilla) sean las que se guardaron al empezar;
  si no, la reserva se mezclaría con las de entrenamiento;
- ``orden_continuar``: la orden de terminal que sigue un entrenamiento (``entrenar … --continuar``).

Lo usan ``tarea.entrenar_carpeta``, ``comprobacion_entrega`` (que propone la orden de continuar) y la línea de
órdenes.
"""

from pathlib import Path

import numpy as np

from .archivos import nombre_apartado
from .carpeta_o_zip import archivo_del_sistema
from .entorno import limitar
from .imagenes_guardadas import bloques_guardados, formas_guardadas
from .opciones_tarea import TAMANO_RAPIDO
from .punto_de_control import ARCHIVO_ESTADO, epoca_guardada
from .registro_tarea import ARCHIVO_IMAGENES, ARCHIVO_REGISTRO, MANIFIESTO, leer_registro
from .textos import cifra, citar_para_terminal, enumerar_algunos

# Diferencia media (0–255) por imagen que aún se considera la misma foto al continuar: otra versión
# de Pillow puede redimensionar distinto en uno o dos niveles; una foto distinta cambia decenas.
TOLERANCIA_MISMAS_IMAGENES = 2.0


def contenido_visible(carpeta, propios=()):
    """Los nombres de lo que hay en ``carpeta`` (como mucho tres y «y N más») sin contar los ``propios``
    ni los del sistema (ocultos, ``Thumbs.db``, ``desktop.ini``), o ``""`` si no hay nada más."""
    carpeta = Path(carpeta)
    nombres = sorted(p.name for p in carpeta.iterdir() if not archivo_del_sistema(p.name) and p.name not in propios) \
        if carpeta.is_dir() else []
    return enumerar_algunos(nombres)


def comprobar_entrenamiento_previo(salida, continuar):
    """Lo que dejó en ``salida`` un entrenamiento anterior: ``(epoca_inicial, registro)``, la época de su punto
    de control (0 si no hay) y su ``tarea.json``. ``FileExistsError`` si entrenar ahí estropearía algo."""
    if (salida / MANIFIESTO).exists():  # también trae imagenes.npz, pero entrenar ahí cambiaría lo entregado
        raise FileExistsError(f"«{salida}» es una entrega descomprimida (tiene {MANIFIESTO}): no entreno ahí, para no "
                              "cambiar lo entregado. Elige una carpeta de salida nueva o vacía.")
    epoca_inicial = epoca_guardada(salida)
    if epoca_inicial and not continuar:
        raise FileExistsError(
            f"«{salida}» ya tiene un entrenamiento (punto de control de la época {epoca_inicial}): usa "
            "continuar=True (en la terminal, --continuar) para seguirlo o elige otra carpeta de salida."
        )
    de_una_tarea = (salida / ARCHIVO_REGISTRO).exists() or (salida / ARCHIVO_IMAGENES).exists()
    if not epoca_inicial and not de_una_tarea and (ajenos := contenido_visible(salida)):
        raise FileExistsError(
            f"«{salida}» ya tiene archivos ({ajenos}) y no es la carpeta de una tarea (no tiene {ARCHIVO_REGISTRO}): "
            "no escribo ahí, para no sobrescribir ni borrar nada tuyo. Elige una carpeta de salida nueva o vacía."
        )
    registro = leer_registro(salida)
    if not epoca_inicial and registro.get("epocas", 0):
        raise FileExistsError(
            f"«{salida}» tiene un entrenamiento de {registro['epocas']} épocas ({ARCHIVO_REGISTRO}) pero "
            f"no su punto de control, {ARCHIVO_ESTADO}: sin él no se puede continuar, y no borro lo que hay. Si lo "
            "tienes en otro sitio (una copia, Drive), ponlo en esa carpeta y vuelve a continuar. Para empezar de "
            f"cero ahí, aparta también {ARCHIVO_REGISTRO} (renómbralo, p. ej. a {nombre_apartado(ARCHIVO_REGISTRO)}; "
            "se sustituyen los generadores y las curvas de antes) o elige otra carpeta de salida."
        )
    return epoca_inicial, registro


def registro_anterior(salida, registro, epoca_inicial, semilla):
    """El registro de la sesión que se continúa (``{}`` si se empieza de cero), con los minutos que no llegó
    a anotar; ``ValueError`` si se entrenó con otra semilla."""
    anterior = registro if epoca_inicial else {}
    # Terminada, la sesión anterior anotó sus minutos: las fechas de una carpeta copiada no dicen nada.
    if epoca_inicial and not registro.get("terminado") and (perdidos := _minutos_sin_anotar(salida)):
        print(f"La sesión anterior se cortó sin anotar su tiempo (¿se apagó el equipo o se cerró Colab?): sumo sus "
              f"{cifra(perdidos, 1)} minutos hasta su último punto de control.")
        anterior = {**anterior, "minutos": anterior.get("minutos", 0.0) + perdidos}
    if anterior.get("semilla", semilla) != semilla:  # otra semilla partiría la reserva de otro modo
        raise ValueError(
            f"«{salida}» se entrenó con la semilla {anterior['semilla']} y pides {semilla}: para continuarlo usa "
            f"semilla={anterior['semilla']} (en la terminal, --semilla {anterior['semilla']}), o elige otra carpeta "
            "de salida para empezar de cero."
        )
    return anterior


def _minutos_sin_anotar(salida):
    """Minutos de la última sesión de ``salida`` si se cortó sin escribir ``tarea.json`` (un corte de luz, un
    proceso matado), contados por las fechas de sus archivos: de ``imagenes.npz``, que cada sesión reescribe
    justo antes de entrenar, a su último punto de control. 0 si terminó bien (entonces ``tarea.json`` es
    posterior al punto de control)."""
    try:
        fin = (salida / ARCHIVO_ESTADO).stat().st_mtime
        registro = salida / ARCHIVO_REGISTRO
        if registro.exists() and registro.stat().st_mtime >= fin:
            return 0.0
        return max(0.0, fin - (salida / ARCHIVO_IMAGENES).stat().st_mtime) / 60
    except OSError:
        return 0.0


def comprobar_mismas_imagenes(salida, guardadas, origen, tamano, registro):
    """``ValueError`` si las imágenes (ya partidas, en uint8) no son las que ``salida`` guardó al
    empezar: con otra carpeta o semilla, la reserva se mezclaría con las de entrenamiento y las
    medidas saldrían mal sin avisar. Sin ``imagenes.npz`` (versiones anteriores, o borrado) se
    comparan al menos el tamaño y cuántas hay, con las que anotó ``registro`` (``tarea.json``)."""
    ruta = salida / ARCHIVO_IMAGENES
    if not ruta.exists():
        anotadas = registro.get("imagenes", {})
        ahora = {"entrenamiento": len(guardadas["entrenamiento"]), "reserva": len(guardadas["reserva"]), "tamano": tamano}
        if any(anotadas.get(clave, valor) != valor for clave, valor in ahora.items()):
            raise ValueError(
                f"«{salida}» se entrenó con {anotadas.get('entrenamiento')} imágenes de entrenamiento y "
                f"{anotadas.get('reserva')} de reserva a {anotadas.get('tamano')} px ({ARCHIVO_REGISTRO}), y «{origen}» da "
                f"{ahora['entrenamiento']} y {ahora['reserva']} a {tamano} px: usa la misma carpeta, tamaño y semilla "
                "que al empezar, o elige otra carpeta de salida para empezar de cero."
            )
        return
    try:
        formas = formas_guardadas(ruta)
    except ValueError as error:
        raise _npz_danado(ruta, error) from None
    lado = formas["reserva"][1]
    if lado != tamano and limitar(lado, TAMANO_RAPIDO) < lado:
        raise ValueError(
            f"«{salida}» es un entrenamiento a {lado} px y el modo rápido (CURSO_GAN_RAPIDO) entrena como mucho a "
            f"{TAMANO_RAPIDO} px: para continuarlo, quita esa variable de entorno."
        )
    if lado != tamano:
        raise ValueError(
            f"«{salida}» es un entrenamiento a {lado} px y pides {tamano}: para continuarlo usa tamano={lado} "
            f"(en la terminal, --tamano {lado}), o elige otra carpeta de salida para empezar de cero a {tamano} px."
        )
    try:
        distintas = any(
            formas[clave] != nuevas.shape
            or _diferencia_maxima(bloques_guardados(ruta, clave), nuevas) > TOLERANCIA_MISMAS_IMAGENES
            for clave, nuevas in guardadas.items()
        )
    except ValueError as error:
        raise _npz_danado(ruta, error) from None
    if distintas:
        raise ValueError(
            f"Las imágenes de «{origen}» no son las del entrenamiento guardado en «{salida}» (otra carpeta, fotos "
            "añadidas, quitadas o cambiadas, u otra semilla): al continuar, la reserva se mezclaría con las de "
            "entrenamiento y las medidas saldrían mal. Usa la misma carpeta y la misma semilla que al empezar, o "
            "elige otra carpeta de salida para empezar de cero (en Python, los argumentos semilla y salida; en la "
            "terminal, --semilla y --salida)."
        )


def _npz_danado(ruta, error):
    """El ``ValueError`` para un ``imagenes.npz`` ilegible al continuar: apartarlo, que se escribe de nuevo."""
    return ValueError(
        f"«{ruta}» está dañado ({error}): renómbralo (p. ej. a {nombre_apartado(ruta)}) y vuelve a continuar "
        "(se escribe de nuevo con tus imágenes), o elige otra carpeta de salida para empezar de cero."
    )


def _diferencia_maxima(bloques, ahora):
    """La mayor diferencia media (0–255) entre una imagen uint8 de los ``bloques`` consecutivos (los de
    ``bloques_guardados``) y la suya de ``ahora``: bloque a bloque, sin tener a la vez todas las guardadas ni su
    resta en int16 (el doble de lo que ocupan)."""
    mayor, inicio = 0.0, 0
    for bloque in bloques:
        fin = inicio + len(bloque)
        resta = bloque.astype(np.int16)
        resta -= ahora[inicio:fin]
        mayor = max(mayor, np.abs(resta, out=resta).mean(axis=(1, 2, 3)).max())
        inicio = fin
    return mayor


def orden_continuar(carpeta, salida, tamano, epocas=None, minutos=None, semilla=0, lote=32, una_gpu=False):
    """La orden de terminal que sigue este entrenamiento: ``entrenar … --continuar`` con las opciones que
    no son las de por defecto (otra semilla partiría la reserva de otro modo) y las rutas entre comillas."""
    orden = ["python", "-m", "helpers", "entrenar", str(carpeta), "--tamano", str(tamano)]
    opciones = (("--epocas", epocas, None), ("--salida", salida, None), ("--minutos", minutos, None),
                ("--semilla", semilla, 0), ("--lote", lote, 32))
    for opcion, valor, por_defecto in opciones:
        if valor != por_defecto:
            orden += [opcion, f"{valor:g}" if isinstance(valor, float) else str(valor)]
    orden += [*(["--una-gpu"] if una_gpu else []), "--continuar"]
    return " ".join(citar_para_terminal(palabra) for palabra in orden)
