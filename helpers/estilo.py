"""Transferencia de estilo con matrices de Gram (Gatys, Ecker y Bethge, 2015).

Una red convolucional entrenada en ImageNet describe una imagen en cada capa con mapas de
características. El *contenido* son esos mapas en una capa profunda (qué hay y dónde); el *estilo*
son sus matrices de Gram en varias capas (qué texturas y colores aparecen juntos, sin importar dónde).
Se parte de una imagen y se modifican sus píxeles para que se parezca a la foto en contenido y a la
pintura en estilo.

Este módulo cuenta la transferencia de arriba abajo: ``transferir_estilo`` carga las imágenes, optimiza
en cada escala, apunta el historial y, si la paras, guarda lo hecho (``transferencia_interrumpida``). Lo
demás vive en módulos que puedes leer por separado:

- ``perdidas_estilo``: el extractor, la matriz de Gram y las pérdidas;
- ``optimizadores_estilo``: L-BFGS y Adam, y el gradiente que comparten; ``frecuencias_estilo``, la
  imagen escrita en frecuencias (``en_frecuencias``) que optimiza L-BFGS;
- ``opciones_estilo``, las comprobaciones de las opciones; ``textos_estilo``, lo que te dice mientras
  optimiza y cuando para; ``color_estilo``, la preservación del color;
- ``imagenes_estilo``: cargar, guardar y dibujar las imágenes.

Lo que usan los cuadernos se importa aquí, así que todo se usa como ``estilo.<nombre>``.

Convenciones: las imágenes que entran y salen son matrices RGB float32 en [0, 255] de forma
``(alto, ancho, 3)``; dentro de la optimización los píxeles viven en [0, 1].
"""

import math
import time

import numpy as np
import tensorflow as tf

from .color_estilo import con_color_de, luminancia
from .frecuencias_estilo import EXPONENTE_FRECUENCIAS, en_frecuencias
from .imagenes_estilo import (CANALES_MAXIMOS, LADO_MAXIMO, PINTURAS_EN_LINEA, _CONSEJO_LADO, _a_rgb_uint8, _cargar,
                              _tamano, cargar_imagen, dibujar_historiales, guardar_imagen, mostrar_gram,
                              mostrar_imagenes, mostrar_mapas)
from .opciones_estilo import comprobar_y_limitar
from .optimizadores_estilo import MEMORIA_LBFGS, PASO_LBFGS, olvidar_redes, optimizar_adam, optimizar_lbfgs
from .perdidas_estilo import (CAPAS, crear_perdida, elegir_red, extractor_estilo, matriz_gram, perdida_contenido,
                              perdida_estilo, perdida_variacion)
from .progreso import LineaDeAvance
from .textos_estilo import texto_avance, texto_desbordada, texto_interrupcion

# Lo que se usa como estilo.<nombre>, aunque viva en otro módulo del estilo. Se lee aquí, pero se cambia en su
# módulo: estilo.PASO_LBFGS = 2 no cambiaría el que usa L-BFGS, optimizadores_estilo.PASO_LBFGS.
__all__ = [
    "CALENTAMIENTO", "CANALES_MAXIMOS", "CAPAS", "EXPONENTE_FRECUENCIAS", "LADO_MAXIMO", "MEMORIA_LBFGS", "PASO_LBFGS",
    "PINTURAS_EN_LINEA", "cargar_imagen", "crear_perdida", "dibujar_historiales", "elegir_red", "en_frecuencias",
    "extractor_estilo", "guardar_imagen", "matriz_gram", "mostrar_gram", "mostrar_imagenes", "mostrar_mapas",
    "olvidar_redes", "perdida_contenido", "perdida_estilo", "perdida_variacion", "transferencia_interrumpida",
    "transferir_estilo",
]

# Iteraciones de calentamiento por defecto de transferir_estilo: elegidas con benchmarks/velocidad_estilo.py
# y exponente_frecuencias.py (las medidas, en benchmarks/README.md).
CALENTAMIENTO = 30


def transferir_estilo(
    contenido,
    estilo,
    iteraciones=400,
    metodo="lbfgs",
    inicio="contenido",
    peso_contenido=1.0,
    peso_estilo=10.0,
    peso_variacion=0.1,
    escalas=(1.0,),
    calentamiento=CALENTAMIENTO,
    preservar_color=False,
    lado_maximo=384,
    mostrar_cada=0,
    red="auto",
    capas_contenido=None,
    capas_estilo=None,
):
    """Pinta ``contenido`` con el estilo de ``estilo``.

    ``contenido`` y ``estilo``: cualquier fuente de ``cargar_imagen`` (ruta, URL, bytes, matriz, PIL);
    se escalan a ``lado_maximo`` píxeles de lado mayor, como mucho ``LADO_MAXIMO`` (``estilo=None``:
    solo contenido). Se optimiza ``iteraciones`` veces en cada una de las ``escalas`` (fracciones de
    ese tamaño, de menor a mayor): con ``(0.5, 1.0)`` la mitad de tamaño, barata, fija trazos más
    grandes y la imagen completa solo afina; útil a partir de unos 512 px. ``metodo``: ``"lbfgs"``
    (el de ``helpers.lbfgs``, sobre el espectro del cambio: ver ``en_frecuencias``) o ``"adam"``
    (sobre los píxeles, como el tutorial de TensorFlow); ``inicio``: ``"contenido"``, ``"ruido"`` o una
    imagen desde la que seguir (p. ej. la de ``transferencia_interrumpida``; entonces sin calentamiento,
    que la devolvería hacia la foto). ``calentamiento``:
    iteraciones iniciales de L-BFGS (como mucho la cuarta parte) en las que el contenido pesa el triple;
    sin él, los primeros pasos, largos y guiados casi solo por el estilo, borran la foto y cuesta muchos
    gradientes recuperarla (medido en ``benchmarks/README.md``). ``preservar_color`` transfiere solo la
    luminancia y conserva los colores de la foto. ``mostrar_cada=N`` dibuja el progreso cada N
    iteraciones (0 o ``None``: nunca). ``red``: ver ``elegir_red``. En modo rápido se limitan las
    iteraciones (20) y el tamaño (128 px).

    Devuelve ``(imagen, historial)``: imagen RGB float32 en [0, 255] ``(alto, ancho, 3)``, del tamaño de la
    foto cargada (aunque la última escala sea menor que 1), e historial
    con una entrada por iteración en las listas ``total``, ``contenido``, ``estilo``, ``variacion``,
    ``evaluaciones`` (gradientes calculados hasta entonces), ``segundos`` y ``escala``. Un Ctrl-C (o
    parar la celda) lanza un ``KeyboardInterrupt`` que dice por dónde iba, sin la traza de TensorFlow, y
    guarda lo hecho (ver ``transferencia_interrumpida``); si unos pesos enormes desbordan la pérdida, un
    ``ValueError`` lo dice (nunca devuelve píxeles NaN).
    """
    iteraciones, lado_maximo = comprobar_y_limitar(
        metodo=metodo, inicio=inicio, estilo=estilo, iteraciones=iteraciones, calentamiento=calentamiento,
        lado_maximo=lado_maximo, escalas=escalas, mostrar_cada=mostrar_cada, peso_contenido=peso_contenido,
        peso_estilo=peso_estilo, peso_variacion=peso_variacion, preservar_color=preservar_color)
    global _interrumpida
    historial = {clave: [] for clave in ("total", "contenido", "estilo", "variacion", "evaluaciones", "segundos", "escala")}
    avance = LineaDeAvance()
    total = iteraciones * len(escalas)
    pesos = (peso_contenido, peso_estilo, peso_variacion)
    ultima = {}  # cómo obtener la imagen de la última iteración, por si se interrumpe
    try:
        situacion = "con lado_maximo=None se queda así"
        contenido = _cargar(contenido, lado_maximo, situacion, _CONSEJO_LADO, "contenido")
        estilo = None if estilo is None else _cargar(estilo, lado_maximo, situacion, _CONSEJO_LADO, "estilo")
        color_original = contenido
        if preservar_color:
            contenido, estilo = luminancia(contenido), None if estilo is None else luminancia(estilo, contenido)

        # Lo que dibuja mostrar_cada: si se preserva el color, lo que se devolverá (se optimiza solo la luminancia).
        a_mostrar = ((lambda imagen: _a_resultado(imagen, color_original, True)) if preservar_color
                       else (lambda imagen: np.clip(imagen, 0, 1) * 255))
        extractor = extractor_estilo(red, capas_contenido, capas_estilo)
        reloj = time.perf_counter()
        imagen = _imagen_inicial(inicio, contenido, preservar_color)
        for escala in escalas:
            al_iterar = _registrar_iteraciones(historial, escala, reloj, avance, total, mostrar_cada, ultima, a_mostrar)
            # El calentamiento, solo en la primera escala (las demás parten de la imagen ya optimizada) y no al
            # seguir desde una imagen ya transferida: devolvería el contenido hacia la foto.
            vueltas = min(calentamiento, iteraciones // 4) if escala == escalas[0] and isinstance(inicio, str) else 0
            imagen = _optimizar_escala(imagen, escala, contenido, estilo, extractor, pesos, metodo, iteraciones, vueltas,
                                       al_iterar)
    except (KeyboardInterrupt, FloatingPointError) as error:
        hechas = len(historial["total"])
        if hechas:
            avance.terminar(texto_avance(historial, total, interrumpida=True))
        # Sin la traza de TensorFlow (o de la descarga), que no le dice nada a quien paró la celda.
        if isinstance(error, FloatingPointError):
            raise ValueError(texto_desbordada(*pesos)) from None
        if hechas:  # lo hecho no se pierde: transferencia_interrumpida() lo devuelve
            _interrumpida = (_a_resultado(np.asarray(ultima["imagen"]())[0], color_original, preservar_color), historial)
        en_la_ultima = bool(hechas) and historial["escala"][-1] == escalas[-1]
        raise KeyboardInterrupt(texto_interrupcion(hechas, total, iteraciones, lado_maximo, escalas, en_la_ultima)) from None
    avance.terminar(texto_avance(historial, total))
    _interrumpida = None  # terminó: la parada anterior ya no es lo último
    return _a_resultado(imagen, color_original, preservar_color), historial


# (imagen, historial) de la última transferir_estilo parada tras alguna iteración, hasta que otra termina. Un
# error o una parada antes de la primera iteración no la borran: suele ser al intentar seguir desde ella.
_interrumpida = None


def transferencia_interrumpida():
    """``(imagen, historial)`` de la última ``transferir_estilo`` que paraste (Ctrl-C o parar la celda) tras
    alguna iteración, mientras no termine otra: la imagen de la última iteración hecha, al tamaño de la
    foto, como la habría devuelto al terminar. Para seguir desde ella: ``transferir_estilo(foto, pintura,
    inicio=imagen, …)``."""
    if _interrumpida is None:
        raise ValueError("No hay ninguna transferencia parada que recuperar: se guarda la última que paraste tras "
                         "alguna iteración, y se olvida cuando otra termina (entonces transferir_estilo devuelve "
                         "«imagen, historial»).")
    return _interrumpida


def _imagen_inicial(inicio, contenido, preservar_color):
    """Desde dónde se optimiza, en [0, 1] y del tamaño de ``contenido``: la foto, ruido o la imagen ``inicio``
    (p. ej. la de una transferencia interrumpida), en luminancia si se preserva el color."""
    if isinstance(inicio, str):
        return contenido / 255.0 if inicio == "contenido" else np.random.uniform(0, 1, contenido.shape)
    imagen = tf.image.resize(_a_rgb_uint8(inicio, "inicio"), contenido.shape[:2], method="bicubic").numpy().clip(0, 255)
    return (luminancia(imagen) if preservar_color else imagen) / 255.0


def _registrar_iteraciones(historial, escala, reloj, avance, total, mostrar_cada, ultima, a_mostrar):
    """La función ``al_iterar`` de una escala: apunta cada iteración en ``historial`` (segundos desde
    ``reloj``) y en ``ultima["imagen"]`` cómo obtener su imagen, escribe el avance y, cada ``mostrar_cada``
    iteraciones, dibuja ``a_mostrar(imagen)`` (la imagen en [0, 1] → la que se dibuja, en [0, 255])."""
    evaluaciones_antes = historial["evaluaciones"][-1] if historial["evaluaciones"] else 0

    def al_iterar(partes, imagen_actual, evaluaciones):
        # Con Adam, unos pesos enormes se notan aquí; antes de apuntar nada, para no dejar la iteración a medias.
        if not math.isfinite(float(partes["total"])):
            raise FloatingPointError  # transferir_estilo lo explica
        for clave, valor in partes.items():
            historial[clave].append(float(valor))
        historial["evaluaciones"].append(evaluaciones_antes + evaluaciones)
        historial["segundos"].append(time.perf_counter() - reloj)
        historial["escala"].append(escala)
        ultima["imagen"] = imagen_actual
        if avance.toca():
            avance.escribir(texto_avance(historial, total))
        if mostrar_cada and len(historial["total"]) % mostrar_cada == 0:
            titulo = f"iteración {len(historial['total'])}, escala {escala:g}"
            mostrar_imagenes({titulo: a_mostrar(np.asarray(imagen_actual())[0])}, tamano=3)

    return al_iterar


def _optimizar_escala(imagen, escala, contenido, estilo, extractor, pesos, metodo, iteraciones, calentamiento,
                      al_iterar):
    """Una escala: lleva ``imagen`` (en [0, 1]), la foto y la pintura a ``escala`` y optimiza ``iteraciones``
    veces. ``pesos``: los de contenido, estilo y variación; ``calentamiento`` solo lo usa L-BFGS."""
    tamano = _tamano(contenido, escala)
    imagen = tf.image.resize(imagen[None], tamano, method="bicubic").numpy().clip(0, 1).astype(np.float32)
    foto = tf.image.resize(contenido, tamano, antialias=True).numpy()
    pintura = (None if estilo is None
               else tf.image.resize(estilo, _tamano(estilo, escala), antialias=True).numpy())
    perdida = crear_perdida(extractor, foto, pintura, *pesos)
    if metodo == "lbfgs":
        return optimizar_lbfgs(perdida, imagen, iteraciones, al_iterar, calentamiento, peso_contenido=pesos[0])[0]
    return optimizar_adam(perdida, imagen, iteraciones, al_iterar)[0]


def _a_resultado(imagen, color_original, preservar_color):
    """De la imagen optimizada (en [0, 1]) a la que devuelve ``transferir_estilo``: RGB float32 en [0, 255],
    del tamaño de la foto ``color_original`` y con sus colores si se preserva el color. La optimizada puede
    medir otra cosa: la de una escala menor que 1, o la de una foto ampliada hasta el lado mínimo de la red."""
    if imagen.shape[:2] != color_original.shape[:2]:
        imagen = tf.image.resize(imagen, color_original.shape[:2], method="bicubic", antialias=True).numpy()
    imagen = np.clip(imagen, 0, 1) * 255.0
    return (con_color_de(imagen, color_original) if preservar_color else imagen).astype(np.float32)
