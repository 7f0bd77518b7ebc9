"""La tarea «reentrena la GAN con tus propias imágenes»: lo que hacen el cuaderno 06 y la línea de
órdenes (``python -m helpers entrenar`` y ``generar``), con las mismas funciones.

- ``separar_reserva``: aparta un 15 % de tus imágenes (como mucho 200) para medir la calidad;
- ``entrenar_carpeta``: entrena la receta para pocos datos con una carpeta de imágenes, midiendo la
  SWD, con puntos de control y reanudación tras un Ctrl-C o una desconexión;
- ``generar_imagenes``: carga un generador guardado y dibuja muestras e interpolaciones;
- ``SimularCorte``: un callback que interrumpe el entrenamiento como lo haría una desconexión.
"""

import contextlib
import itertools
import json
import math
import os
import re
import shutil
import time
import zipfile
from importlib import metadata
from pathlib import Path

import keras
import numpy as np

from .archivos import escribir_de_una_vez, nombre_apartado
from .callbacks import ARCHIVO_MENOR_SWD
from .datos import IMAGENES_RAPIDAS, a_dataset_uint8, a_rango_simetrico, partir
from .entorno import (LIMITE_RANGO, describir_dispositivo, en_exclusiva, fijar_semilla, limitar, modo_rapido,
                      partes_de_version)
from .errores import buscada_en, explicar_y_aconsejar
from .gan import EPOCAS_RAPIDAS_GAN, PASOS_POR_LLAMADA, RECETA_POCOS_DATOS, crear_gan, entrenar, error_al_guardar
from .gan_basica import lista_de_callbacks
from .graficos import guardar_cuadricula, interpolar_latente
from .metricas import aplicar_por_lotes, distancia_kid, swd_promediada
from .modelos import red_generadora
from .opciones import (SEMILLA_MAXIMA, es_entero, es_real, exigir_booleano, exigir_carpeta, exigir_enteros,
                       exigir_ruta, exigir_semilla)
from .preparacion import archivo_del_sistema, comprobar_salida, imagenes_carpeta_uint8
from .progreso import LimiteDeTiempo
from .punto_de_control import ARCHIVO_ESTADO, epoca_guardada, restaurar_estado
from .textos import cifra, citar_para_terminal, miles, texto_imprimible
from .zip_seguro import ERRORES_AL_DESCOMPRIMIR

TAMANOS_TAREA = (32, 64, 128)  # los de la tarea; ``modelos.TAMANOS`` son los que admiten las redes
TAMANO_RAPIDO = 32  # en modo rápido: en CPU, cada paso a 64 px cuesta varias veces más
FRACCION_RESERVA = 0.15
MAX_RESERVA = 200  # más imágenes apenas afinan la SWD y la encarecen
# Con más imágenes, una época recorre solo estas (y la siguiente, las siguientes): en una pasada entera por una
# colección grande (CelebA: 202.599 fotos) pasarían decenas de minutos sin guardar, medir ni dibujar, y un corte las perdería.
IMAGENES_POR_EPOCA = 10_000
MIN_IMAGENES = 10
MAX_MUESTRAS = 1024
# Límites de las opciones enteras: la API y la línea de órdenes los comprueban con ``motivo_invalido``.
LIMITES = {"epocas": (1, None), "lote": (2, None), "n": (1, MAX_MUESTRAS), "semilla": (0, SEMILLA_MAXIMA),
           "maximo": (1, None)}
# Lo que ``python -m helpers entregar`` necesita del entrenamiento: qué se hizo y con qué imágenes.
ARCHIVO_REGISTRO = "tarea.json"
ARCHIVO_IMAGENES = "imagenes.npz"
# El de una entrega (``helpers.entrega``): una carpeta con él es una entrega descomprimida, no una tarea.
MANIFIESTO = "manifiesto.json"
# Diferencia media (0–255) por imagen que aún se considera la misma foto al continuar: otra versión
# de Pillow puede redimensionar distinto en uno o dos niveles; una foto distinta cambia decenas.
TOLERANCIA_MISMAS_IMAGENES = 2.0
INESTABLE = (
    "El entrenamiento en «{salida}» se volvió inestable (NaN) y no recomiendo ningún generador. Revisa tus "
    "imágenes (¿casi todas iguales, negras o con muy pocas fotos?) y entrena de nuevo en otra carpeta de salida "
    "con otra semilla (--semilla 1 en la terminal, semilla=1 en Python)."
)


NAN_A_MITAD = (
    "El entrenamiento en «{salida}» se volvió inestable (NaN) y se detuvo; queda guardado su último estado sano "
    "(época {epoca}). Puedes seguir desde ahí ({como_seguir}): al reanudar, los vectores latentes y el aumento se "
    "sortean de nuevo y puede no repetirse. Si vuelve a pasar, entrena de nuevo en otra carpeta de salida con otra "
    "semilla (--semilla 1 en la terminal, semilla=1 en Python) y revisa tus imágenes (¿casi todas iguales, negras o muy "
    "pocas?)."
)


def separar_reserva(imagenes, semilla=0, fraccion=FRACCION_RESERVA):
    """Parte ``imagenes`` ``(n, alto, ancho, canales)`` en ``(entrenamiento, reserva)``.

    La reserva (``fraccion`` de las imágenes, al menos 2 y como mucho 200) nunca se usa para
    entrenar: con ella se mide la calidad, como haría alguien que ve tus fotos por primera vez.
    Misma ``semilla`` y mismas imágenes → misma partición (también al reanudar).
    """
    if isinstance(imagenes, (str, os.PathLike)):
        raise TypeError(f"separar_reserva parte imágenes ya cargadas y «{imagenes}» es una ruta: cárgalas antes, p. ej. "
                        "con imagenes_carpeta(carpeta, tamano) (entrenar_carpeta ya lo hace con la carpeta).")
    if np.ndim(imagenes) != 4:
        raise ValueError(f"separar_reserva espera un lote de imágenes (n, alto, ancho, canales); llega uno de forma {np.shape(imagenes)}.")
    if not es_real(fraccion, mayor_que=0, maximo=0.5):
        raise ValueError(f"fraccion={fraccion!r} no es válida: la parte de reserva debe estar entre 0 y 0,5 (p. ej. 0,15).")
    n = len(imagenes)
    if n < MIN_IMAGENES:
        raise ValueError(_pocas_imagenes(n))
    n_reserva = min(max(2, round(fraccion * n)), MAX_RESERVA)
    entrenamiento, reserva = partir(n, n_reserva / n, semilla)
    return imagenes[entrenamiento], imagenes[reserva]


def _pocas_imagenes(n, origen=None):
    """El mensaje de ``separar_reserva`` con menos de ``MIN_IMAGENES`` imágenes; con ``origen``, dice de dónde."""
    donde = f" en «{origen}»" if origen else ""
    return (f"Solo hay {n} {'imagen utilizable' if n == 1 else 'imágenes utilizables'}{donde} y hacen falta al menos "
            f"{MIN_IMAGENES} (mejor, cientos): añade más fotos.")


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
    """``ValueError`` que nombra la primera opción no válida (ver ``motivo_invalido``); ``None`` no se comprueba."""
    for opcion, valor in opciones.items():
        if valor is not None and (motivo := motivo_invalido(opcion, valor)):
            raise ValueError(f"{opcion}={valor!r} no es válido: {motivo}.")


class SimularCorte(keras.callbacks.Callback):
    """Lanza ``KeyboardInterrupt`` al empezar el primer paso tras ``epocas`` épocas completas de este ``fit``:
    lo mismo que un Ctrl-C o una desconexión de Colab al empezar una época (esa época se pierde)."""

    def __init__(self, epocas):
        super().__init__()
        self.epocas = epocas
        self.completas = 0

    def on_train_begin(self, logs=None):
        self.completas = 0  # las de este fit: el mismo SimularCorte en otro cortaría antes del primer paso

    def on_epoch_end(self, epoca, logs=None):
        self.completas += 1

    def on_train_batch_begin(self, paso, logs=None):
        if self.completas == self.epocas:
            raise KeyboardInterrupt


def contenido_visible(carpeta, propios=()):
    """Los nombres de lo que hay en ``carpeta`` (como mucho tres y «y N más») sin contar los ``propios``
    ni los del sistema (ocultos, ``Thumbs.db``, ``desktop.ini``), o ``""`` si no hay nada más."""
    carpeta = Path(carpeta)
    nombres = sorted(p.name for p in carpeta.iterdir() if not archivo_del_sistema(p.name) and p.name not in propios) \
        if carpeta.is_dir() else []
    return ", ".join(nombres[:3]) + (f" y {len(nombres) - 3} más" if len(nombres) > 3 else "")


def _resumen(resultado, como_seguir):
    """Qué quedó guardado y, si faltan épocas, cómo seguir."""
    salida, epoca, epocas = resultado["salida"], resultado["epoca"], resultado["epocas"]
    if resultado["interrumpido"]:
        if epoca == 0:
            print("\nInterrumpido antes de terminar la primera época: aún no hay nada entrenado que guardar.")
        elif epoca >= epocas:
            print(f"\nInterrumpido al terminar: las {epoca} épocas están en {salida}, pero faltan el generador final o "
                  "la recomendación.")
        else:
            print(f"\nEntrenamiento interrumpido. En {salida} queda guardado todo hasta la época {epoca}: "
                  "el punto de control (pesos y optimizadores), las muestras y el historial.")
    else:
        hechas = (f"Entrenadas {epoca} de {epocas} épocas" if resultado["epoca_inicial"] < epocas
                  else f"Nada más que entrenar: ya tenía {epoca} épocas (pediste {epocas})")
        print(f"\n{hechas}. Resultados en {salida}:")
        for nombre, descripcion in (
            ("generador.keras", "el generador de la última época"),
            ("mejor_generador.keras", "el recomendado (arriba, por qué)"),
            (ARCHIVO_MENOR_SWD, "el de menor SWD durante el entrenamiento"),
            ("evolucion.gif", "la evolución de las muestras"),
            ("metrica.png", "la SWD frente a la reserva durante el entrenamiento"),
            ("perdidas.png", "pérdidas y exactitud del discriminador"),
        ):
            if (salida / nombre).exists():
                print(f"  {nombre:<26} {descripcion}")
    if epoca < epocas or resultado["interrumpido"]:
        print(f"Para continuar donde lo dejaste: {como_seguir}")


def _comprobar_entrenamiento_previo(salida, continuar):
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


def _registro_anterior(salida, registro, epoca_inicial, semilla):
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


def _cargar_y_separar(imagenes, tamano, semilla, salida):
    """Carga la carpeta ``imagenes`` a ``tamano`` px en uint8 y la parte con ``separar_reserva``; un Ctrl-C aquí
    solo dice que aún no se ha escrito nada en ``salida``."""
    try:
        cargadas = imagenes_carpeta_uint8(imagenes, tamano)
    except KeyboardInterrupt:  # antes de escribir nada: sin la traza de PIL o NumPy
        raise KeyboardInterrupt(f"Entrenamiento interrumpido mientras leía las imágenes, antes de escribir nada en "
                                f"«{salida}» (lo que ya hubiera ahí sigue igual): vuelve a lanzar la misma orden (o celda).") from None
    if len(cargadas) < MIN_IMAGENES:
        raise ValueError(_pocas_imagenes(len(cargadas), imagenes))
    return separar_reserva(cargadas, semilla)


def _datos_con_el_mismo_lote(entrenamiento, lote, semilla, anterior, salida):
    """``(datos, lote_usado, usadas, pasos_por_epoca)``: el ``tf.data.Dataset`` de entrenamiento, su lote real,
    cuántas imágenes toma (en modo rápido, como mucho ``IMAGENES_RAPIDAS``) y, si son más de ``IMAGENES_POR_EPOCA``,
    cuántos lotes son una época (cada una sigue donde acabó la anterior; si no, ``None``: una época es una pasada);
    ``ValueError`` si no es el lote con que se entrenó la sesión que se continúa."""
    usadas = limitar(len(entrenamiento), IMAGENES_RAPIDAS)  # las que toma a_dataset (que avisa del recorte)
    # El lote que se usará de verdad: ``a_dataset`` lo reduce si hay menos imágenes (lotes completos, forma fija).
    lote_usado = min(lote, usadas)
    pasos_por_epoca = None
    if usadas > IMAGENES_POR_EPOCA:
        pasos_por_epoca = max(PASOS_POR_LLAMADA, IMAGENES_POR_EPOCA // lote_usado // PASOS_POR_LLAMADA * PASOS_POR_LLAMADA)
    datos = a_dataset_uint8(entrenamiento, lote, semilla, lotes_por_epoca=pasos_por_epoca)
    # tarea.json anota el lote usado (versiones anteriores, el pedido: se reduce igual que el de ahora).
    lote_anterior = min(anterior.get("receta", {}).get("lote", lote_usado), usadas)
    if lote_anterior != lote_usado:
        raise ValueError(
            f"«{salida}» se entrenó con lote {lote_anterior} y pides {lote}: para continuarlo usa lote={lote_anterior} "
            f"(en la terminal, --lote {lote_anterior}), o elige otra carpeta de salida para probar el lote nuevo desde "
            "cero (así cada entrega dice con qué lote se entrenó)."
        )
    return datos, lote_usado, usadas, pasos_por_epoca


def _entrenar_sesion(gan, datos, epocas, salida, continuar, reserva, verbose, callbacks, como_seguir):
    """Entrena con ``entrenar`` y devuelve ``(historial, interrumpido)``: un Ctrl-C no es un error; un NaN
    antes de la primera época sana lanza ``FloatingPointError`` con el consejo de la tarea (uno a mitad
    vuelve con ``historial["inestable"]``: ver ``_recomendar_y_cerrar``)."""
    historial, interrumpido = None, False
    try:
        # El consejo de ``entrenar`` tras un NaN (otra tasa) no se puede seguir con esta receta fija.
        historial = entrenar(gan, datos, epocas, salida, continuar=continuar, reales_metrica=reserva,
                             verbose=verbose, callbacks=callbacks, consejo_si_nan="", como_seguir=como_seguir)
    except KeyboardInterrupt:
        interrumpido = True
    except FloatingPointError:
        raise FloatingPointError(INESTABLE.format(salida=salida)) from None
    return historial, interrumpido


def _recomendar_y_cerrar(resultado, semilla, como_seguir):
    """Si no se interrumpió, elige el generador recomendado y marca ``tarea.json`` como terminado; después
    imprime el resumen (un Ctrl-C al elegir cuenta como interrupción). Tras un NaN a mitad (con ``tarea.json``
    ya escrito), ``FloatingPointError`` con el consejo de la tarea."""
    salida = resultado["salida"]
    if resultado["historial"] and resultado["historial"].get("inestable"):
        # Ni la recomendación de una sesión anterior vale ya: entregar pedirá terminar el entrenamiento.
        (salida / "mejor_generador.keras").unlink(missing_ok=True)
        raise FloatingPointError(NAN_A_MITAD.format(salida=salida, epoca=resultado["epoca"], como_seguir=como_seguir))
    try:
        if not resultado["interrumpido"] and (salida / ARCHIVO_MENOR_SWD).exists():
            resultado["eleccion"] = elegir_generador(salida, resultado["reserva"], semilla)
    except KeyboardInterrupt:
        resultado["interrumpido"] = True
    if not resultado["interrumpido"]:
        _escribir_registro(salida / ARCHIVO_REGISTRO, {**leer_registro(salida), "terminado": True})
    _resumen(resultado, como_seguir)


def entrenar_carpeta(imagenes, salida, tamano=64, epocas=100, minutos=None, continuar=False, semilla=0, lote=32,
                     como_seguir="vuelve a llamar a entrenar_carpeta con continuar=True", callbacks=(), verbose="auto",
                     estrategia="auto"):
    """Entrena la receta para pocos datos (``RECETA_POCOS_DATOS``) con las imágenes de una carpeta.

    - ``imagenes``: carpeta (o .zip), mejor ya preparada con ``preparar_imagenes``; se cargan en
      color a ``tamano`` px (32, 64 o 128; en modo rápido, como mucho 32) y se apartan con
      ``separar_reserva`` las que miden la calidad (SWD) durante el entrenamiento (medir se lleva
      como mucho un 5 % del tiempo).
    - ``salida``: todo se escribe aquí (ver ``helpers.gan.entrenar``): muestras, GIF, historial,
      métrica, un punto de control (como mucho uno por minuto), ``generador.keras``,
      ``generador_menor_swd.keras`` y ``mejor_generador.keras`` (el recomendado, ver ``elegir_generador``).
    - ``continuar``: sigue desde el punto de control de ``salida``. Sin él, si ya hay uno, lanza
      ``FileExistsError``: nunca se sobrescribe un entrenamiento anterior, ni se escribe en una carpeta
      con archivos que no sea la de una tarea (sin ``tarea.json`` ni ``imagenes.npz``). Antes de escribir nada
      comprueba que el punto de control, ``tarea.json`` y las imágenes (carpeta, tamaño y semilla)
      son los del entrenamiento guardado; si no, lanza ``ValueError`` diciendo qué hacer.
    - ``minutos``: para al terminar la primera época que pase de ese tiempo (luego, ``continuar``).
    - Con más de ``IMAGENES_POR_EPOCA`` imágenes, una época recorre solo unas ``IMAGENES_POR_EPOCA`` (la siguiente,
      las siguientes): ``epocas`` cuenta esas épocas, no pasadas enteras por la colección.
    - ``estrategia``: ``"auto"`` reparte cada lote entre las GPU si hay varias; ``None``, un solo
      dispositivo (ver ``crear_gan``). El lote ``lote`` es el total de todas ellas.
    - Un Ctrl-C (o una desconexión simulada con ``SimularCorte``) no lanza error: dice qué quedó
      guardado y ``como_seguir``.

    Devuelve un diccionario: ``gan``, ``historial`` (``None`` si se interrumpió), ``entrenamiento`` (uint8 en
    [0, 255], como se entrena: la cuarta parte de memoria que en float32; ``a_rango_simetrico(x, 255)`` las pasa
    a [-1, 1]) y ``reserva`` (float32 en [-1, 1]), ``salida``, ``tamano`` (el usado), ``epoca_inicial`` (de
    dónde siguió), ``epoca`` (la última guardada), ``epocas`` (las pedidas, tras el límite del modo
    rápido), ``interrumpido`` y, si terminó con un generador de menor SWD que comparar,
    ``eleccion`` (el recomendado y por qué: ver ``elegir_generador``).
    """
    if not isinstance(imagenes, (str, os.PathLike)):
        raise TypeError(
            f"imagenes debe ser la carpeta (o el .zip) con tus fotos, p. ej. PREPARADAS, y llega {type(imagenes).__name__}: "
            "entrenar_carpeta las carga ella misma. Para entrenar con una matriz que ya tienes, usa crear_gan, "
            "a_dataset y entrenar, como en el cuaderno 03."
        )
    comprobar_opciones(tamano=tamano, epocas=epocas, lote=lote, minutos=minutos, semilla=semilla)
    exigir_booleano("continuar", continuar)
    callbacks = lista_de_callbacks(callbacks)
    semilla, epocas = int(semilla), int(epocas)  # p. ej. enteros de NumPy: Keras y tarea.json piden de Python
    pedido = {"epocas": epocas, "lote": int(lote)}  # para que entregar proponga las épocas y el lote de esta orden
    imagenes = exigir_ruta("imagenes", imagenes, "la carpeta (o el .zip) con tus fotos")
    salida = exigir_ruta("salida", salida, "la carpeta donde guardar el entrenamiento (en la terminal, --salida)")
    comprobar_salida(salida, imagenes)
    epoca_inicial, registro = _comprobar_entrenamiento_previo(salida, continuar)
    anterior = _registro_anterior(salida, registro, epoca_inicial, semilla)
    if limitar(tamano, TAMANO_RAPIDO) < tamano:
        print(f"Modo rápido: entreno a {TAMANO_RAPIDO} px en lugar de {tamano}.")
        tamano = TAMANO_RAPIDO
    fijar_semilla(semilla)
    # En uint8 (la cuarta parte que en float32) y a la resolución del entrenamiento: así se entrena y se guardan, y
    # quien revise la entrega mide con las mismas imágenes.
    entrenamiento, reserva_uint8 = _cargar_y_separar(imagenes, tamano, semilla, salida)
    if continuar and not epoca_inicial:  # tras leer las fotos: con pocas, lo primero que ve quien la usa es ese error
        print(f"No hay punto de control en «{salida}»: empiezo de cero.")
    guardadas = {"entrenamiento": entrenamiento, "reserva": reserva_uint8}
    reserva = a_rango_simetrico(reserva_uint8, 255.0)  # como mucho MAX_RESERVA: las métricas la quieren en [-1, 1]
    if epoca_inicial:
        _comprobar_mismas_imagenes(salida, guardadas, imagenes, tamano, anterior)
    datos, lote_usado, usadas, pasos_por_epoca = _datos_con_el_mismo_lote(entrenamiento, lote, semilla, anterior, salida)
    epocas = limitar(epocas, EPOCAS_RAPIDAS_GAN, "épocas")
    gan = crear_gan(tamano, 3, estrategia=estrategia, **{**RECETA_POCOS_DATOS, "semilla": semilla})
    if epoca_inicial:  # comprueba el punto de control antes de escribir nada (``entrenar`` lo vuelve a cargar)
        restaurar_estado(gan, salida)
    try:
        salida.mkdir(parents=True, exist_ok=True)
        ocupada = (f"«{salida}» ya se está entrenando en otro proceso (otra terminal o cuaderno): los dos mezclarían sus "
                   "archivos. Espera a que termine (o páralo) y vuelve a lanzar esta orden, o usa otra carpeta de salida.")
        with en_exclusiva(salida, ocupada):  # otro proceso en la misma carpeta mezclaría sus archivos con los de este
            escribir_de_una_vez(salida / ARCHIVO_IMAGENES, lambda temporal: np.savez_compressed(temporal, **guardadas))
            de_cuantas = f" (de {miles(len(entrenamiento))}, por el modo rápido)" if usadas < len(entrenamiento) else ""
            print(f"{miles(usadas)} imágenes para entrenar{de_cuantas} y {len(reserva)} de reserva para medir la SWD (metrica.csv).")
            if pasos_por_epoca:
                print(f"Con tantas, cada época recorre {miles(pasos_por_epoca * lote_usado)} (una pasada por todas son "
                      f"unas {cifra(usadas / (pasos_por_epoca * lote_usado), 1)} épocas): así se guarda, se mide y se dibuja a "
                      "menudo, y un corte pierde poco.")
            if anterior:  # hasta terminar, lo de la sesión anterior no se entrega: ya no es la última época (ver entrega)
                _escribir_registro(salida / ARCHIVO_REGISTRO, {**anterior, "terminado": False})
            if not epoca_inicial:  # de cero (p. ej. tras apartar un punto de control dañado): ver ``gan.entrenar``
                (salida / "mejor_generador.keras").unlink(missing_ok=True)
            extra = [LimiteDeTiempo(minutos)] if minutos else []
            inicio = time.perf_counter()
            historial, interrumpido = _entrenar_sesion(gan, datos, epocas, salida, continuar, reserva, verbose,
                                                       [*extra, *callbacks], como_seguir)
            resultado = {
                "gan": gan, "historial": historial, "entrenamiento": entrenamiento, "reserva": reserva, "salida": salida,
                "tamano": tamano, "epoca_inicial": epoca_inicial, "epoca": epoca_guardada(salida), "epocas": epocas,
                "interrumpido": interrumpido,
            }
            _guardar_registro(resultado, anterior, lote_usado, semilla, (time.perf_counter() - inicio) / 60, pedido)
            _recomendar_y_cerrar(resultado, semilla, como_seguir)
            return resultado
    except OSError as error:  # p. ej. el disco o Google Drive llenos: en español, con lo que sigue guardado
        if (en_espanol := error_al_guardar(error, salida, como_seguir)) is None:
            raise
        raise en_espanol from None


def _comprobar_mismas_imagenes(salida, guardadas, origen, tamano, registro):
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


PARTES = ("entrenamiento", "reserva")
BYTES_POR_BLOQUE = 16 * 2**20  # de uint8 por bloque al leer por partes: en float32 serán 64 MB
NO_SON_IMAGENES = "no son lotes de imágenes en uint8"
ILEGIBLE_NPZ = "no se puede leer: quizá se cortó al copiarlo o al guardarlo"


@contextlib.contextmanager
def _abrir_npz(archivo):
    """El ``imagenes.npz`` ``archivo`` (ruta o archivo abierto) como zip; lo que no se puede leer (dañado, cortado),
    ``ValueError`` en español que dice por qué."""
    try:
        with zipfile.ZipFile(archivo) as npz:
            yield npz
    except ValueError as error:
        if str(error) == NO_SON_IMAGENES:
            raise
        raise ValueError(ILEGIBLE_NPZ) from None
    except Exception:  # zipfile y NumPy lanzan muchos tipos distintos (y en inglés) según dónde esté el daño
        raise ValueError(ILEGIBLE_NPZ) from None


def _cabecera(npz, parte):
    """``(forma, archivo abierto tras la cabecera)`` de ``parte`` en el zip ``npz``; ``ValueError`` si no es un lote de
    imágenes uint8."""
    archivo = npz.open(f"{parte}.npy")
    version = np.lib.format.read_magic(archivo)
    leer = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
    forma, fortran, tipo = leer(archivo)
    if len(forma) != 4 or tipo != np.uint8 or fortran:
        raise ValueError(NO_SON_IMAGENES)
    return forma, archivo


def formas_guardadas(archivo):
    """``{"entrenamiento": forma, "reserva": forma}`` de un ``imagenes.npz`` (ruta o archivo abierto) sin leer sus
    imágenes; ``ValueError`` que dice por qué si está dañado o no son lotes de imágenes uint8."""
    formas = {}
    with _abrir_npz(archivo) as npz:
        for parte in PARTES:
            formas[parte], abierto = _cabecera(npz, parte)
            abierto.close()
    return formas


def bloques_guardados(archivo, parte="entrenamiento"):
    """Las imágenes uint8 de ``parte`` de un ``imagenes.npz`` (ruta o archivo abierto) en bloques consecutivos de
    como mucho ``BYTES_POR_BLOQUE`` (y al menos una imagen): con decenas de miles, leerlas de una vez ocuparía gigas.
    Lo que no se puede leer lanza ``ValueError`` como ``formas_guardadas``."""
    with _abrir_npz(archivo) as npz:
        forma, abierto = _cabecera(npz, parte)
        with abierto:
            por_imagen = math.prod(forma[1:])
            filas = max(1, BYTES_POR_BLOQUE // max(1, por_imagen))
            for inicio in range(0, forma[0], filas):
                cuantas = min(filas, forma[0] - inicio)
                datos = abierto.read(cuantas * por_imagen)
                if len(datos) != cuantas * por_imagen:
                    raise EOFError
                yield np.frombuffer(datos, np.uint8).reshape(cuantas, *forma[1:])


def leer_imagenes_guardadas(archivo, parte):
    """Las imágenes uint8 de ``parte`` (``"entrenamiento"`` o ``"reserva"``) de un ``imagenes.npz`` (ruta o archivo
    abierto), todas en una matriz ``(n, alto, ancho, canales)``: para la reserva (como mucho ``MAX_RESERVA``) o unas
    pocas; las de entrenamiento de una colección grande, mejor por partes con ``bloques_guardados``. Lo que no se
    puede leer lanza ``ValueError`` como ``formas_guardadas``."""
    bloques = list(bloques_guardados(archivo, parte))
    if not bloques:  # una parte sin imágenes no da ningún bloque
        return np.empty(formas_guardadas(archivo)[parte], np.uint8)
    return np.concatenate(bloques)


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


def _escribir_registro(ruta, registro):
    """Escribe ``registro`` en ``ruta`` (``tarea.json``) con ``escribir_de_una_vez``."""
    escribir_de_una_vez(ruta, lambda temporal: temporal.write_text(json.dumps(registro, ensure_ascii=False, indent=1),
                                                                   encoding="utf-8"))


def _guardar_registro(resultado, anterior, lote, semilla, minutos, pedido):
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
    _escribir_registro(resultado["salida"] / ARCHIVO_REGISTRO, registro)


def medir_generador(generador, reserva, semilla=0, muestras=None, subconjuntos=50):
    """SWD y KID de ``generador`` (ya cargado, o una GAN del curso) frente a ``reserva`` ``(n, alto, ancho, canales)`` en [-1, 1].

    Usa ``muestras`` muestras (por defecto ``max(100, 2·n)``) de la ``semilla`` dada; la SWD se
    promedia por grupos de n y la KID, sobre ``subconjuntos`` subconjuntos. Mismas entradas → mismas
    cifras, así quien revisa una entrega puede repetir la medida. Devuelve ``{"swd": …, "kid": …,
    "kid_desviacion": …}`` (menor es mejor; la desviación es la de la KID entre subconjuntos, su ruido).
    """
    # Si no, AttributeError en inglés con una GAN o unas imágenes, y con muestras=-5 o 2,5 el error de NumPy.
    generador = red_generadora(generador, consejo="pasa el generador (un keras.Model) o una GAN del curso; para medir "
                               "unas imágenes ya generadas usa helpers.metricas.swd_promediada(reserva, imagenes)")
    if muestras is not None:
        exigir_enteros(("muestras", muestras, 2))
    semilla = exigir_semilla(semilla)
    n = muestras or max(100, 2 * len(reserva))
    z = np.random.default_rng(semilla).normal(size=(n, generador.input_shape[-1])).astype(np.float32)
    generadas = aplicar_por_lotes(generador, z, 128)
    # Subconjuntos de al menos 2 imágenes: con 2 o 3 de reserva el KID por defecto (n // 2) no se puede calcular.
    kid = distancia_kid(reserva, generadas, subconjuntos=subconjuntos, tamano_subconjunto=max(2, len(reserva) // 2))
    return {"swd": swd_promediada(reserva, generadas), "kid": kid["kid"], "kid_desviacion": kid["desviacion"]}


def gana_el_candidato(final, candidato):
    """La regla de ``elegir_generador`` con dos medidas de ``medir_generador``: ``True`` si el
    candidato tiene menor SWD y una KID menor que la del final en más de dos veces su ruido."""
    margen = 2 * max(final["kid_desviacion"], candidato["kid_desviacion"])
    return candidato["swd"] < final["swd"] and candidato["kid"] + margen < final["kid"]


def mismo_generador(uno, otro):
    """``True`` si los dos modelos tienen los mismos pesos: dos archivos guardados por separado del mismo generador
    no tienen los mismos bytes, pero sí dan las mismas imágenes y las mismas medidas."""
    pesos_uno, pesos_otro = uno.get_weights(), otro.get_weights()
    return len(pesos_uno) == len(pesos_otro) and all(np.array_equal(a, b) for a, b in zip(pesos_uno, pesos_otro))


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
        _escribir_registro(salida / ARCHIVO_REGISTRO, {**leer_registro(salida), "recomendado": recomendado})
    return {"medidas": medidas, "elegido": elegido, "motivo": motivo}


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


def cargar_generador(ruta):
    """Carga un generador guardado en ``.keras`` (con ``safe_mode=True``: sin código arbitrario).

    Si el archivo falta, no es un modelo, lleva código (p. ej. una capa ``Lambda``) o no parece un
    generador (vector latente → imagen), lanza ``FileNotFoundError`` o ``ValueError`` nombrándolo.
    """
    ruta = exigir_ruta("ruta", ruta, "el archivo del generador, p. ej. resultados/mi_gan/generador.keras")
    if ruta.is_dir():  # p. ej. la carpeta del entrenamiento en lugar de su generador
        raise ValueError(f"«{ruta}» es una carpeta: indica el archivo del generador, p. ej. {ruta / 'generador.keras'}.")
    if ruta.suffix.lower() == ".keras" and ruta.suffix != ".keras":
        raise ValueError(f"«{ruta}» termina en {ruta.suffix}: Keras solo abre archivos que terminan en .keras, en "
                         f"minúsculas. Renómbralo a «{ruta.stem}.keras».")
    if ruta.suffix != ".keras":
        raise ValueError(f"«{ruta}» no es un archivo .keras: usa p. ej. resultados/mi_gan/generador.keras.")
    if not ruta.is_file():
        raise FileNotFoundError(
            f"No encuentro el modelo «{ruta}»: comprueba la ruta{buscada_en(ruta)}; al entrenar se guardan "
            "generador.keras y mejor_generador.keras en la carpeta de salida."
        )
    try:
        generador = keras.models.load_model(ruta, safe_mode=True, compile=False)
    except Exception as error:  # Keras lanza tipos muy distintos según dónde esté dañado el archivo
        # Keras rechaza así (su mensaje pide safe_mode=False) lo que ejecutaría código al cargarse.
        if "safe_mode" in str(error):
            raise ValueError(
                f"No cargo «{ruta}»: contiene código de Python (p. ej. una capa Lambda) que se ejecutaría al "
                "abrirlo, y por seguridad no lo hago. Usa un generador.keras entrenado con el kit."
            ) from None
        if desconocida := re.search(r"Could not locate class '([^']+)'", str(error)):
            raise ValueError(
                f"No puedo cargar «{ruta}»: usa una capa que el curso no conoce («{desconocida[1]}»), así que no es "
                "un generador entrenado con el kit. Usa el generador.keras de un entrenamiento del curso."
            ) from None
        # Guardado en Colab, cuya Keras cambia sin avisar: copiarlo de nuevo no cambiaría nada.
        if guardado_con := keras_mas_nueva(ruta):
            raise ValueError(
                f"No puedo cargar «{ruta}»: se guardó con Keras {guardado_con}, más nueva que la tuya "
                f"({keras.__version__}), que no lo sabe leer. Actualiza Keras (pip install -U keras) y vuelve a intentarlo."
            ) from None
        raise ValueError(
            f"No puedo cargar «{ruta}»: está dañado, incompleto o no es un "
            "modelo de Keras. Cópialo de nuevo o vuelve a entrenar."
        ) from None
    generador = red_generadora(generador, f"«{ruta}»", "usa el generador.keras de un entrenamiento")
    if (canales := generador.output_shape[-1]) not in (1, 3):
        raise ValueError(f"«{ruta}» dibuja imágenes de {canales} canales y solo se pueden dibujar en gris (1) o en color "
                         "(3): usa el generador.keras de un entrenamiento del curso.")
    return generador


def _nombres_libres(carpeta, nombres):
    """``carpeta/nombre`` para cada nombre o, si alguno ya existe, todos con ``_2``, ``_3``…: nunca se
    escribe encima de nada (tampoco de un archivo tuyo que se llame igual)."""
    for numero in itertools.count(1):
        sufijo = "" if numero == 1 else f"_{numero}"
        rutas = [carpeta / f"{Path(nombre).stem}{sufijo}{Path(nombre).suffix}" for nombre in nombres]
        if not any(ruta.exists() for ruta in rutas):
            return rutas


def generar_imagenes(modelo, salida, n=64, semilla=0, interpolacion=False):
    """Dibuja ``n`` muestras de un generador y las guarda en ``salida/muestras.png``.

    ``modelo``: ruta de un ``.keras`` (ver ``cargar_generador``), el generador ya cargado o una GAN. Con
    ``interpolacion``, guarda también ``salida/interpolacion.png``: 4 tiras de 10 pasos entre pares
    de vectores latentes. Si ya hay archivos con esos nombres no los toca: usa ``muestras_2.png``
    (e ``interpolacion_2.png``), ``_3``… y lo dice. Misma ``semilla`` → mismas imágenes. Devuelve la
    lista de rutas escritas.
    """
    comprobar_opciones(n=n, semilla=semilla)
    exigir_booleano("interpolacion", interpolacion)
    salida = exigir_ruta("salida", salida, "la carpeta donde guardar las imágenes (en la terminal, --salida)")
    exigir_carpeta(f"«{salida}»", salida, "elige una carpeta para las imágenes")
    generador = cargar_generador(modelo) if isinstance(modelo, (str, Path)) else red_generadora(
        modelo, "modelo", "pasa la ruta de un generador.keras, el generador ya cargado o una GAN del curso")
    rng = np.random.default_rng(semilla)
    dim = generador.input_shape[-1]
    z = rng.normal(size=(n, dim)).astype(np.float32)
    muestras = aplicar_por_lotes(generador, z, 256)
    if not np.isfinite(muestras).all():  # si no, la cuadrícula saldría gris, sin más
        raise ValueError(
            f"El generador {'«' + str(modelo) + '» ' if isinstance(modelo, (str, Path)) else ''}da imágenes con NaN o "
            "infinitos: su entrenamiento se volvió inestable. Usa otro (p. ej. generador_menor_swd.keras) o vuelve a "
            "entrenar con otra semilla."
        )
    if np.abs(muestras).max() > LIMITE_RANGO:  # los generadores del kit acaban en tanh, en [-1, 1]
        print(f"Aviso: el generador da valores de {cifra(muestras.min(), significativas=4)} a "
              f"{cifra(muestras.max(), significativas=4)} y las imágenes se dibujan en [-1, 1] (los del curso "
              "acaban en tanh): lo que se sale se recorta. ¿Es un generador de este curso?")
    nombres = ["muestras.png", "interpolacion.png"][: 2 if interpolacion else 1]
    destinos = _nombres_libres(salida, nombres)
    if destinos[0].name != nombres[0]:
        existente = next(salida / nombre for nombre in nombres if (salida / nombre).exists())
        print(f"«{existente}» ya existe y no lo sobrescribo: guardo en {' y '.join(d.name for d in destinos)}.")
    # De una vez: un corte a mitad dejaría una imagen rota con el nombre que después no se sobrescribe.
    try:
        muestras = np.clip(muestras, -1, 1)
        escribir_de_una_vez(destinos[0], lambda temporal: guardar_cuadricula(muestras, temporal))
        if interpolacion:
            tiras = np.clip(np.concatenate([interpolar_latente(generador, rng.normal(size=dim), rng.normal(size=dim), 10)
                                            for _ in range(4)]), -1, 1)
            escribir_de_una_vez(destinos[1], lambda temporal: guardar_cuadricula(tiras, temporal, columnas=10))
    except OSError as error:  # p. ej. el disco lleno: en español, sin la traza de Pillow
        if (texto := explicar_y_aconsejar(error, "vuelve a generar las imágenes")) is None:
            raise
        raise OSError(f"{texto[0].upper()}{texto[1:]}") from None
    return destinos
