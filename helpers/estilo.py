"""Transferencia de estilo con matrices de Gram (Gatys, Ecker y Bethge, 2015).

Una red convolucional entrenada en ImageNet describe una imagen en cada capa con mapas de
características. El *contenido* son esos mapas en una capa profunda (qué hay y dónde); el *estilo*
son sus matrices de Gram en varias capas (qué texturas y colores aparecen juntos, sin importar dónde).
Se parte de una imagen y se modifican sus píxeles para que se parezca a la foto en contenido y a la
pintura en estilo.

Este módulo tiene la optimización: ``transferir_estilo`` y lo que la mueve (L-BFGS sobre el espectro de
``en_frecuencias`` o Adam, la interrupción, la preservación del color y los textos del avance). Las
imágenes (cargar, guardar, dibujar) están en ``imagenes_estilo`` y el extractor, la matriz de Gram y las
pérdidas, en ``perdidas_estilo``; se importan aquí, así que todo se usa como ``estilo.<nombre>``.

Convenciones: las imágenes que entran y salen son matrices RGB float32 en [0, 255] de forma
``(alto, ancho, 3)``; dentro de la optimización los píxeles viven en [0, 1].
"""

import functools
import math
import reprlib
import time

import keras
import numpy as np
import skimage.color
import tensorflow as tf
from PIL import Image

from .entorno import limitar, modo_rapido
from .imagenes_estilo import (CANALES_MAXIMOS, LADO_MAXIMO, PINTURAS_EN_LINEA, _CONSEJO_LADO, _a_rgb_uint8, _cargar,
                              _tamano, cargar_imagen, dibujar_historiales, guardar_imagen, mostrar_gram,
                              mostrar_imagenes, mostrar_mapas)
from .lbfgs import minimizar_lbfgs
from .opciones import es_entero, es_real, exigir_booleano
from .perdidas_estilo import (CAPAS, _envolver, _partes_perdida, _red_base, crear_perdida, elegir_red, extractor_estilo,
                              matriz_gram, perdida_contenido, perdida_estilo, perdida_variacion)
from .progreso import LineaDeAvance, cifra_metrica, duracion, falta, tiempo_corto

# Lo que se usa como estilo.<nombre>, aunque viva en imagenes_estilo o en perdidas_estilo.
__all__ = [
    "CALENTAMIENTO", "CANALES_MAXIMOS", "CAPAS", "EXPONENTE_FRECUENCIAS", "LADO_MAXIMO", "MEMORIA_LBFGS", "PASO_LBFGS",
    "PINTURAS_EN_LINEA", "cargar_imagen", "crear_perdida", "dibujar_historiales", "elegir_red", "en_frecuencias",
    "extractor_estilo", "guardar_imagen", "matriz_gram", "mostrar_gram", "mostrar_imagenes", "mostrar_mapas",
    "olvidar_redes", "perdida_contenido", "perdida_estilo", "perdida_variacion", "transferencia_interrumpida",
    "transferir_estilo",
]


# --- El gradiente que se optimiza -----------------------------------------------------------------


def _objetivo_y_gradiente(perdida, a_imagen, variables, refuerzo):
    """``(partes, objetivo, gradiente)`` de ``perdida`` respecto a las ``variables`` que se optimizan.

    ``a_imagen`` convierte esas variables en la imagen ``(1, alto, ancho, 3)``. La pérdida se mide en
    la imagen recortada a [0, 1], la que se devolverá, así que ``partes`` no engaña. Los píxeles que
    se salen suman ``0,01·distancia²`` al objetivo, un muelle suave que los devuelve al rango sin cotas
    duras que frenen a L-BFGS; Adam, que recorta en cada paso, no lo nota. ``refuerzo`` (tensor
    escalar) suma ``refuerzo·contenido`` al objetivo: el calentamiento de L-BFGS.
    """
    with tf.GradientTape() as cinta:
        cinta.watch(variables)
        recortada, muelle = _recortar_con_muelle(a_imagen(variables))
        partes = perdida(recortada)
        objetivo = partes["total"] + refuerzo * partes["contenido"] + muelle
    return partes, objetivo, cinta.gradient(objetivo, variables)


@tf.custom_gradient
def _recortar_con_muelle(imagen):
    """``(imagen recortada a [0, 1], 0,01·Σ distancia²)`` de lo que se sale, con la derivada en una operación.

    Es la derivada de ``tf.clip_by_value`` más la del muelle, que se excluyen: cada píxel recibe la de
    la pérdida si está dentro del rango y la del muelle si está fuera. La derivada automática de las
    dos por separado hace varias pasadas por la imagen más (medido en ``benchmarks/README.md``).
    """
    recortada = tf.clip_by_value(imagen, 0.0, 1.0)
    fuera = imagen - recortada

    def gradiente(d_recortada, d_muelle):
        return tf.where(tf.equal(fuera, 0.0), d_recortada, 0.02 * d_muelle * fuera)

    return (recortada, 0.01 * tf.reduce_sum(tf.square(fuera))), gradiente


@functools.lru_cache(maxsize=8)
def _gradiente_compilado(extractor):
    """``_objetivo_y_gradiente`` de una pérdida de ``crear_perdida``, compilado con ``tf.function``.

    ``calcular(variables, objetivos, pesos, refuerzo, frecuencias=())``: sin ``frecuencias`` las
    variables son los píxeles (Adam); con ``frecuencias=(base, peso)``, el espectro de
    ``en_frecuencias`` (L-BFGS). Los objetivos, los pesos y las frecuencias llegan como datos y no
    dentro de la traza: trazar cuesta lo que decenas de gradientes, y así se traza una vez por
    extractor y método (``_gradiente_de``, sin fijar el tamaño de la imagen) y no en cada llamada a
    ``transferir_estilo``.
    """

    @tf.function(reduce_retracing=True, autograph=False)
    def calcular(variables, objetivos, pesos, refuerzo, frecuencias=()):
        a_imagen = (lambda z: _de_espectro(z, *frecuencias)) if frecuencias else tf.identity
        return _objetivo_y_gradiente(lambda imagen: _partes_perdida(extractor, imagen, objetivos, pesos),
                                     a_imagen, variables, refuerzo)

    return calcular


def _gradiente_de(perdida, variables, frecuencias=()):
    """``calcular(variables, refuerzo)``: el gradiente de ``perdida`` (de ``crear_perdida``) que compila
    ``_gradiente_compilado``, con esas ``frecuencias`` y para variables de la forma de ``variables``.

    Es la función concreta trazada sin fijar el alto ni el ancho de la imagen: un tamaño nuevo no vuelve a
    trazar (TensorFlow lo haría y después generalizaría), y llamarla se salta la búsqueda de la traza que
    hace la ``tf.function`` en cada gradiente.
    """
    argumentos = (variables, perdida.objetivos, perdida.pesos, tf.constant(0.0), frecuencias)
    concreta = _gradiente_compilado(perdida.extractor).get_concrete_function(*tf.nest.map_structure(_sin_tamano, argumentos))
    return lambda variables, refuerzo: concreta(variables, perdida.objetivos, perdida.pesos, refuerzo, frecuencias)


def _sin_tamano(tensor):
    """La firma de ``tensor`` con las dimensiones que pueden cambiar con la imagen sin fijar: todas menos las de
    tamaño 1 (el lote) y la última de los de tres o más (los canales, o las partes real e imaginaria)."""
    forma = tensor.shape
    return tf.TensorSpec([n if n == 1 or (eje == len(forma) - 1 and len(forma) >= 3) else None
                          for eje, n in enumerate(forma)], tensor.dtype)


def olvidar_redes():
    """Olvida las redes, los extractores y los gradientes trazados que se guardan entre llamadas
    (la siguiente llamada los vuelve a construir) y libera su memoria."""
    for guardados in (_red_base, _envolver, _gradiente_compilado):
        guardados.cache_clear()


def en_frecuencias(base):
    """Escribe la imagen como ``base`` más un cambio dado por su espectro de Fourier.

    ``base``: ``(1, alto, ancho, 3)``. Devuelve ``(a_imagen, ceros)``: ``a_imagen(z)`` es ``base`` más la
    transformada inversa de ``z`` ``(1, 3, alto, ancho // 2 + 1, 2)`` (partes real e imaginaria) con
    cada frecuencia multiplicada por ``1/f^0,6`` (``EXPONENTE_FRECUENCIAS``; ``f`` en ciclos a lo largo
    del lado mayor, al menos 1); ``ceros`` es el ``z`` que da ``base``. Los gradientes de los píxeles
    están dominados por el detalle fino; así pesan más las manchas grandes de color y L-BFGS las mueve
    en menos iteraciones.
    """
    alto, ancho = base.shape[1], base.shape[2]
    peso = _peso_frecuencias(alto, ancho)

    def a_imagen(z):
        return _de_espectro(z, base, peso)

    a_imagen.base, a_imagen.peso = base, peso  # para _gradiente_compilado, que los recibe como datos
    return a_imagen, tf.zeros((1, 3, alto, ancho // 2 + 1, 2))


def _peso_frecuencias(alto, ancho):
    """``f^-EXPONENTE_FRECUENCIAS`` para cada frecuencia de ``rfft2d`` de una imagen ``alto × ancho``
    (complex64)."""
    lado = max(alto, ancho)
    frecuencia = np.hypot(np.fft.fftfreq(alto)[:, None] * lado, np.fft.rfftfreq(ancho)[None, :] * lado)
    return tf.constant(np.maximum(frecuencia, 1.0) ** -EXPONENTE_FRECUENCIAS, tf.complex64)


def _de_espectro(z, base, peso):
    """``base`` más la transformada inversa del espectro ``z`` multiplicado por ``peso``."""
    real, imaginaria = tf.unstack(z, axis=-1)  # no z[..., 0]: su derivada es lenta en CPU
    forma = tf.shape(base)
    cambio = tf.signal.irfft2d(tf.complex(real, imaginaria) * peso, fft_length=forma[1:3])
    return base + tf.transpose(cambio, [0, 2, 3, 1])  # (1, 3, alto, ancho) → (1, alto, ancho, 3)


# --- Optimización ---------------------------------------------------------------------------------


# Pares (s, y) que recuerda L-BFGS, paso que prueba primero, en unidades del paso cuasi-Newton,
# cuánto se amplifican las frecuencias bajas (en_frecuencias) e iteraciones de calentamiento por
# defecto de transferir_estilo: elegidos con
# benchmarks/velocidad_estilo.py y exponente_frecuencias.py (las medidas, en benchmarks/README.md).
MEMORIA_LBFGS = 20
PASO_LBFGS = 1.3
EXPONENTE_FRECUENCIAS = 0.6
CALENTAMIENTO = 30


def _optimizar_lbfgs(perdida, imagen, iteraciones, al_iterar, calentamiento=0, peso_contenido=1.0):
    """L-BFGS (``helpers.lbfgs``) sobre el espectro del cambio (``en_frecuencias``); imagen en [0, 1].

    Las primeras ``calentamiento`` iteraciones el contenido pesa el triple (ver ``transferir_estilo``).
    ``al_iterar(partes, imagen_actual, evaluaciones)`` se llama tras cada iteración.
    """
    a_imagen, espectro = en_frecuencias(tf.constant(imagen))
    calcular = _gradiente_de(perdida, espectro, (a_imagen.base, a_imagen.peso))

    # Tensores, para que cambiar de uno a otro no recompile. El refuerzo se apaga sin reiniciar
    # L-BFGS: la curvatura aprendida con el contenido triple aún sirve (olvidarla no mejoraba).
    reforzado, normal = tf.constant(2.0 * peso_contenido), tf.constant(0.0)
    estado = {"iteraciones": 0, "evaluaciones": 0}

    def funcion(espectro):
        refuerzo = reforzado if estado["iteraciones"] < calentamiento else normal
        estado["partes"], objetivo, gradiente = calcular(tf.constant(espectro), refuerzo)
        estado["evaluaciones"] += 1
        objetivo, gradiente = float(objetivo), gradiente.numpy()
        # L-BFGS multiplica en float32 gradientes y sus diferencias (que pueden medir el doble): si el
        # cuadrado de su longitud no cabe con ese margen, se desbordaría (y un NaN tampoco pasa). Es una
        # pasada por el gradiente, poco al lado de las de L-BFGS (más de 80 en cada iteración).
        with np.errstate(over="ignore"):
            cuadrado = float(np.vdot(gradiente, gradiente))
        if not (math.isfinite(objetivo) and cuadrado < float(np.finfo(np.float32).max) / 4):
            raise FloatingPointError  # transferir_estilo lo explica
        return objetivo, gradiente

    def avisar(espectro, _):
        estado["iteraciones"] += 1
        al_iterar(estado["partes"], lambda: a_imagen(espectro), estado["evaluaciones"])

    espectro = minimizar_lbfgs(funcion, espectro, iteraciones, memoria=MEMORIA_LBFGS, paso=PASO_LBFGS,
                               al_iterar=avisar)
    return tf.clip_by_value(a_imagen(espectro), 0.0, 1.0).numpy()


def _optimizar_adam(perdida, imagen, iteraciones, al_iterar):
    """Adam como en el tutorial de TensorFlow (tasa 0,02, β1 0,99), recortando a [0, 1] en cada paso.

    El tutorial usa ε = 0,1 con gradientes de 10 a 100 por píxel; los de esta pérdida normalizada
    son unas 10⁴ veces menores, así que ε baja en la misma proporción (Adam no cambia si gradiente y
    ε se escalan juntos).
    """
    calcular, variable = _gradiente_de(perdida, tf.constant(imagen)), tf.Variable(imagen)
    sin_refuerzo = tf.constant(0.0)
    optimizador = keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-5)
    for paso in range(1, iteraciones + 1):
        # Como tensor: con la tf.Variable, la traza generalizada tras varios tamaños fallaba al cambiar de
        # escala («Incompatible shapes»).
        actual = tf.convert_to_tensor(variable)
        partes, _, gradiente = calcular(actual, sin_refuerzo)
        optimizador.apply_gradients([(gradiente, variable)])
        variable.assign(tf.clip_by_value(variable, 0.0, 1.0))
        al_iterar(partes, lambda: variable, paso)
    # Un gradiente infinito vuelve NaN la imagen; al_iterar lo ve en la pérdida del paso siguiente, pero
    # tras el último no hay siguiente.
    imagen = variable.numpy()
    if not np.isfinite(imagen).all():
        raise FloatingPointError  # transferir_estilo lo explica
    return imagen


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


def _comprobar_y_limitar(*, metodo, inicio, estilo, iteraciones, calentamiento, lado_maximo, escalas, mostrar_cada,
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
            avance.escribir(_texto_avance(historial, total))
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
        return _optimizar_lbfgs(perdida, imagen, iteraciones, al_iterar, calentamiento, peso_contenido=pesos[0])[0]
    return _optimizar_adam(perdida, imagen, iteraciones, al_iterar)[0]


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
    iteraciones, lado_maximo = _comprobar_y_limitar(
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
            contenido, estilo = _luminancia(contenido), None if estilo is None else _luminancia(estilo, contenido)

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
            avance.terminar(_texto_avance(historial, total, interrumpida=True))
        # Sin la traza de TensorFlow (o de la descarga), que no le dice nada a quien paró la celda.
        if isinstance(error, FloatingPointError):
            raise ValueError(_texto_desbordada(*pesos)) from None
        if hechas:  # lo hecho no se pierde: transferencia_interrumpida() lo devuelve
            _interrumpida = (_a_resultado(np.asarray(ultima["imagen"]())[0], color_original, preservar_color), historial)
        en_la_ultima = bool(hechas) and historial["escala"][-1] == escalas[-1]
        raise KeyboardInterrupt(_texto_interrupcion(hechas, total, iteraciones, lado_maximo, escalas, en_la_ultima)) from None
    avance.terminar(_texto_avance(historial, total))
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
    return (_luminancia(imagen) if preservar_color else imagen) / 255.0


def _a_resultado(imagen, color_original, preservar_color):
    """De la imagen optimizada (en [0, 1]) a la que devuelve ``transferir_estilo``: RGB float32 en [0, 255],
    del tamaño de la foto ``color_original`` y con sus colores si se preserva el color. La optimizada puede
    medir otra cosa: la de una escala menor que 1, o la de una foto ampliada hasta el lado mínimo de la red."""
    if imagen.shape[:2] != color_original.shape[:2]:
        imagen = tf.image.resize(imagen, color_original.shape[:2], method="bicubic", antialias=True).numpy()
    imagen = np.clip(imagen, 0, 1) * 255.0
    return (_con_color_de(imagen, color_original) if preservar_color else imagen).astype(np.float32)


def _texto_desbordada(peso_contenido, peso_estilo, peso_variacion):
    """Qué decir si la pérdida o su gradiente se desbordan (las optimizaciones lanzan ``FloatingPointError``):
    en float32 no cabe nada más allá de unos 3·10³⁸."""
    return (f"La optimización se desbordó (la pérdida o su gradiente no caben en float32) con peso_contenido="
            f"{peso_contenido:g}, peso_estilo={peso_estilo:g} y peso_variacion={peso_variacion:g}: usa pesos más "
            "pequeños, como los de por defecto (1, 10 y 0,1). Cuenta sobre todo la proporción entre ellos, no su tamaño.")


def _texto_interrupcion(hechas, total, iteraciones, lado_maximo, escalas, en_la_ultima):
    """Qué decir tras un Ctrl-C (o parar la celda) cuando iban ``hechas`` de ``total`` iteraciones
    (``iteraciones`` en cada una de las ``escalas``) con ese ``lado_maximo``; ``en_la_ultima``: si iba por
    la última escala."""
    if not hechas:
        return ("Transferencia interrumpida antes de la primera iteración (mientras se cargaban las imágenes, se "
                "preparaba la red o se calculaba el primer gradiente): no devuelve ninguna imagen.")
    # En la última escala, las que le faltaban (y solo esa escala); antes, seguir repite todas desde la imagen.
    restantes = ""
    if en_la_ultima:
        restantes = (f", escalas=({float(escalas[-1])!r},)" if len(escalas) > 1 else "") + f", iteraciones={total - hechas}"
    consejo = f"pide menos iteraciones (p. ej. iteraciones={max(1, iteraciones // 2)})"
    if lado_maximo is None or lado_maximo > 256:
        consejo += " o una imagen más pequeña (p. ej. lado_maximo=256)"
    return (f"Transferencia interrumpida tras {hechas} de {total} iteraciones. Lo hecho no se pierde: «imagen, "
            "historial = estilo.transferencia_interrumpida()» te da la imagen de la última iteración, y "
            f"transferir_estilo(…, inicio=imagen{restantes}) sigue desde ella{' con las que faltaban' if restantes else ''}. "
            f"Para esperar menos la próxima vez, {consejo}.")


def _texto_avance(historial, total, interrumpida=False):
    """«Iteración 120/400 · faltan 12 s · pérdida 1,234 · tiempo 5 s · 31 ms por iteración» (con varias
    escalas, también la escala). El ritmo se mide desde la segunda iteración (la primera incluye
    calcular los objetivos y, la primera vez, trazar el gradiente) y en la escala actual; lo que falta,
    solo en la última: una escala menor es más barata y daría una estimación corta. ``interrumpida``:
    «Interrumpida en la iteración 120/400», sin lo que faltaba."""
    hechas, segundos, escalas = len(historial["total"]), historial["segundos"], historial["escala"]
    partes = [f"{'Interrumpida en la iteración' if interrumpida else 'Iteración'} {hechas}/{total}"]
    if len(set(escalas)) > 1 or escalas[-1] != 1:
        partes.append(f"escala {escalas[-1]:g}".replace(".", ","))
    desde = hechas - escalas.count(escalas[-1])  # la primera iteración de esta escala, que se salta
    por_iteracion = (segundos[-1] - segundos[desde]) / (hechas - 1 - desde) if hechas - 1 > desde else None
    if por_iteracion is not None and hechas < total and escalas[-1] == 1 and not interrumpida:
        partes.append(falta(por_iteracion * (total - hechas)))
    partes += [f"pérdida {cifra_metrica(historial['total'][-1])}", f"tiempo {duracion(segundos[-1])}"]
    if por_iteracion is not None:
        partes.append(f"{tiempo_corto(por_iteracion)} por iteración")
    return " · ".join(partes)


def _luminancia(imagen, referencia=None):
    """Luminancia Y de ``imagen`` repetida en 3 canales, [0, 255]. Con ``referencia``, ajustada a su
    media y desviación para que el estilo no arrastre su brillo (Gatys et al., 2016)."""
    y = skimage.color.rgb2yiq(imagen / 255.0)[..., 0]
    if referencia is not None:
        y_referencia = skimage.color.rgb2yiq(referencia / 255.0)[..., 0]
        y = (y - y.mean()) / (y.std() + 1e-8) * y_referencia.std() + y_referencia.mean()
    return np.repeat(np.clip(y, 0, 1)[..., None] * 255.0, 3, axis=-1).astype(np.float32)


def _con_color_de(estilizada, original):
    """Luminancia de ``estilizada`` con el color (canales I y Q) de ``original``; ambas en [0, 255]."""
    yiq = skimage.color.rgb2yiq(original / 255.0)
    yiq[..., 0] = skimage.color.rgb2yiq(estilizada / 255.0)[..., 0]
    return np.clip(skimage.color.yiq2rgb(yiq), 0, 1) * 255.0
