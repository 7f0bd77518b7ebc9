"""La tarea «reentrena la GAN con tus propias imágenes»: lo que hacen el cuaderno 06 y la línea de
órdenes (``python -m helpers entrenar``), con las mismas funciones.

- ``separar_reserva``: aparta un 15 % de tus imágenes (como mucho 200) para medir la calidad;
- ``entrenar_carpeta``: entrena la receta para pocos datos con una carpeta de imágenes, midiendo la
  SWD, con puntos de control y reanudación tras un Ctrl-C o una desconexión; anota qué hizo en
  ``tarea.json`` y al terminar recomienda un generador;
- ``SimularCorte``: un callback que interrumpe el entrenamiento como lo haría una desconexión.

Lo demás de la tarea tiene su propio módulo, que no importa este: ``tarea.json`` y los nombres de los archivos de
la carpeta de salida, en ``registro_tarea``; lo que se comprueba antes de continuar un entrenamiento y la orden que
lo sigue (``orden_continuar``), en ``reanudacion``; qué generador recomendar (``elegir_generador``), en
``eleccion_generador``; el generador guardado (cargarlo, medirlo y ``generar_imagenes``), en ``generador_guardado``;
leer el ``imagenes.npz`` de un entrenamiento, en ``imagenes_guardadas``, y los límites de las opciones, en
``opciones_tarea``. Lo que era público aquí se importa de ellos, así que ``helpers.tarea.<nombre>`` sigue sirviendo
(el cuaderno 06, sus copias guardadas y los guiones de estudiantes lo usan).
"""

import os
import time

import keras
import numpy as np

from .archivos import escribir_de_una_vez, guardar_npz
from .callbacks import ARCHIVO_MENOR_SWD
from .carga_keras import keras_mas_nueva
from .cargar_carpeta import imagenes_carpeta_uint8
from .comprobaciones_gan import lista_de_callbacks
from .datos import IMAGENES_RAPIDAS, a_dataset_uint8, a_rango_simetrico, partir
from .eleccion_generador import INESTABLE, elegir_generador, gana_el_candidato
from .entorno import en_exclusiva, fijar_semilla, limitar
from .entrenamiento import EPOCAS_RAPIDAS_GAN, entrenar, error_al_guardar
from .gan import PASOS_POR_LLAMADA, RECETA_POCOS_DATOS, crear_gan
from .generador_guardado import cargar_generador, generar_imagenes, medir_generador, mismo_generador
from .imagenes_guardadas import (BYTES_POR_BLOQUE, ILEGIBLE_NPZ, NO_SON_IMAGENES, PARTES, bloques_guardados,
                                 formas_guardadas, leer_imagenes_guardadas)
from .opciones import es_real, exigir_booleano, exigir_ruta
from .opciones_tarea import (LIMITES, MAX_MUESTRAS, TAMANO_RAPIDO, TAMANOS_TAREA, comprobar_opciones,
                             motivo_invalido)
from .preparacion import comprobar_salida
from .progreso import LimiteDeTiempo
from .punto_de_control import epoca_guardada, restaurar_estado
from .reanudacion import (TOLERANCIA_MISMAS_IMAGENES, comprobar_entrenamiento_previo, comprobar_mismas_imagenes,
                          contenido_visible, orden_continuar, registro_anterior)
from .registro_tarea import (ARCHIVO_IMAGENES, ARCHIVO_REGISTRO, MANIFIESTO, anotar_sesion, escribir_registro,
                             leer_registro)
from .textos import cifra, miles

# Lo que se usa como helpers.tarea.<nombre>, aunque viva en los módulos que nombra el docstring.
__all__ = [
    "ARCHIVO_IMAGENES", "ARCHIVO_REGISTRO", "BYTES_POR_BLOQUE", "FRACCION_RESERVA", "ILEGIBLE_NPZ",
    "IMAGENES_POR_EPOCA", "INESTABLE", "LIMITES", "MANIFIESTO", "MAX_MUESTRAS", "MAX_RESERVA", "MIN_IMAGENES",
    "NAN_A_MITAD", "NO_SON_IMAGENES", "PARTES", "TAMANO_RAPIDO", "TAMANOS_TAREA", "TOLERANCIA_MISMAS_IMAGENES",
    "SimularCorte", "bloques_guardados", "cargar_generador", "comprobar_opciones", "contenido_visible",
    "elegir_generador", "entrenar_carpeta", "formas_guardadas", "gana_el_candidato", "generar_imagenes",
    "keras_mas_nueva", "leer_imagenes_guardadas", "leer_registro", "medir_generador", "mismo_generador",
    "motivo_invalido", "orden_continuar", "separar_reserva",
]

FRACCION_RESERVA = 0.15
MAX_RESERVA = 200  # más imágenes apenas afinan la SWD y la encarecen
# Con más imágenes, una época recorre solo estas (y la siguiente, las siguientes): en una pasada entera por una
# colección grande (CelebA: 202.599 fotos) pasarían decenas de minutos sin guardar, medir ni dibujar, y un corte las perdería.
IMAGENES_POR_EPOCA = 10_000
MIN_IMAGENES = 10
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
        escribir_registro(salida / ARCHIVO_REGISTRO, {**leer_registro(salida), "terminado": True})
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
    epoca_inicial, registro = comprobar_entrenamiento_previo(salida, continuar)
    anterior = registro_anterior(salida, registro, epoca_inicial, semilla)
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
        comprobar_mismas_imagenes(salida, guardadas, imagenes, tamano, anterior)
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
            escribir_de_una_vez(salida / ARCHIVO_IMAGENES, lambda temporal: guardar_npz(temporal, comprimido=True, **guardadas))
            de_cuantas = f" (de {miles(len(entrenamiento))}, por el modo rápido)" if usadas < len(entrenamiento) else ""
            print(f"{miles(usadas)} imágenes para entrenar{de_cuantas} y {len(reserva)} de reserva para medir la SWD (metrica.csv).")
            if pasos_por_epoca:
                print(f"Con tantas, cada época recorre {miles(pasos_por_epoca * lote_usado)} (una pasada por todas son "
                      f"unas {cifra(usadas / (pasos_por_epoca * lote_usado), 1)} épocas): así se guarda, se mide y se dibuja a "
                      "menudo, y un corte pierde poco.")
            if anterior:  # hasta terminar, lo de la sesión anterior no se entrega: ya no es la última época (ver entrega)
                escribir_registro(salida / ARCHIVO_REGISTRO, {**anterior, "terminado": False})
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
            anotar_sesion(resultado, anterior, lote_usado, semilla, (time.perf_counter() - inicio) / 60, pedido)
            _recomendar_y_cerrar(resultado, semilla, como_seguir)
            return resultado
    except OSError as error:  # p. ej. el disco o Google Drive llenos: en español, con lo que sigue guardado
        if (en_espanol := error_al_guardar(error, salida, como_seguir)) is None:
            raise
        raise en_espanol from None
