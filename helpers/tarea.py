"""La tarea «reentrena la GAN con tus propias imágenes»: lo que hacen el cuaderno 06 y la línea de
órdenes (``python -m helpers entrenar``), con las mismas funciones.

- ``separar_reserva``: aparta un 15 % de tus imágenes (como mucho 200) para medir la calidad;
- ``entrenar_carpeta``: entrena la receta para pocos datos con una carpeta de imágenes, midiendo la
  SWD, con puntos de control y reanudación tras un Ctrl-C o una desconexión; anota qué hizo en
  ``tarea.json`` y al terminar recomienda un generador (``elegir_generador``);
- ``SimularCorte``: un callback que interrumpe el entrenamiento como lo haría una desconexión.

Lo demás de la tarea tiene su propio módulo, que no importa este: el generador guardado (cargarlo, medirlo y
``generar_imagenes``) está en ``generador_guardado``; leer el ``imagenes.npz`` de un entrenamiento, en
``imagenes_guardadas``, y los límites de las opciones, en ``opciones_tarea``. Se importan aquí, así que
``helpers.tarea.<nombre>`` sigue sirviendo para todo (el cuaderno 06 y sus copias guardadas lo usan).
"""

import json
import math
import os
import shutil
import time
from importlib import metadata
from pathlib import Path

import keras
import numpy as np

from .archivos import escribir_de_una_vez, nombre_apartado
from .callbacks import ARCHIVO_MENOR_SWD
from .cargar_carpeta import imagenes_carpeta_uint8
from .carpeta_o_zip import archivo_del_sistema
from .datos import IMAGENES_RAPIDAS, a_dataset_uint8, a_rango_simetrico, partir
from .entorno import describir_dispositivo, en_exclusiva, fijar_semilla, limitar, modo_rapido
from .entrenamiento import EPOCAS_RAPIDAS_GAN, entrenar, error_al_guardar
from .gan import PASOS_POR_LLAMADA, RECETA_POCOS_DATOS, crear_gan
from .gan_basica import lista_de_callbacks
from .generador_guardado import (cargar_generador, generar_imagenes, keras_mas_nueva, medir_generador,
                                 mismo_generador)
from .imagenes_guardadas import (BYTES_POR_BLOQUE, ILEGIBLE_NPZ, NO_SON_IMAGENES, PARTES, bloques_guardados,
                                 formas_guardadas, leer_imagenes_guardadas)
from .opciones import es_real, exigir_booleano, exigir_ruta
from .opciones_tarea import LIMITES, MAX_MUESTRAS, TAMANOS_TAREA, comprobar_opciones, motivo_invalido
from .preparacion import comprobar_salida
from .progreso import LimiteDeTiempo
from .punto_de_control import ARCHIVO_ESTADO, epoca_guardada, restaurar_estado
from .textos import cifra, citar_para_terminal, miles

# Lo que se usa como helpers.tarea.<nombre>, aunque viva en generador_guardado, imagenes_guardadas u opciones_tarea.
__all__ = [
    "ARCHIVO_IMAGENES", "ARCHIVO_REGISTRO", "BYTES_POR_BLOQUE", "FRACCION_RESERVA", "ILEGIBLE_NPZ",
    "IMAGENES_POR_EPOCA", "INESTABLE", "LIMITES", "MANIFIESTO", "MAX_MUESTRAS", "MAX_RESERVA", "MIN_IMAGENES",
    "NAN_A_MITAD", "NO_SON_IMAGENES", "PARTES", "TAMANO_RAPIDO", "TAMANOS_TAREA", "TOLERANCIA_MISMAS_IMAGENES",
    "SimularCorte", "bloques_guardados", "cargar_generador", "comprobar_opciones", "contenido_visible",
    "elegir_generador", "entrenar_carpeta", "formas_guardadas", "gana_el_candidato", "generar_imagenes",
    "keras_mas_nueva", "leer_imagenes_guardadas", "leer_registro", "medir_generador", "mismo_generador",
    "motivo_invalido", "orden_continuar", "separar_reserva",
]

TAMANO_RAPIDO = 32  # en modo rápido: en CPU, cada paso a 64 px cuesta varias veces más
FRACCION_RESERVA = 0.15
MAX_RESERVA = 200  # más imágenes apenas afinan la SWD y la encarecen
# Con más imágenes, una época recorre solo estas (y la siguiente, las siguientes): en una pasada entera por una
# colección grande (CelebA: 202.599 fotos) pasarían decenas de minutos sin guardar, medir ni dibujar, y un corte las perdería.
IMAGENES_POR_EPOCA = 10_000
MIN_IMAGENES = 10
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
    - ``salida``: todo se escribe aquí (ver ``helpers.entrenamiento.entrenar``): muestras, GIF, historial,
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
            if not epoca_inicial:  # de cero (p. ej. tras apartar un punto de control dañado): ver ``entrenamiento.entrenar``
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
        _escribir_registro(salida / ARCHIVO_REGISTRO, {**leer_registro(salida), "recomendado": recomendado})
    return {"medidas": medidas, "elegido": elegido, "motivo": motivo}
