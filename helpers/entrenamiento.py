"""El bucle de entrenamiento del curso con puntos de control: ``entrenar`` y lo que le ayuda.

``entrenar`` llama a ``fit`` de una GAN (la de ``helpers.gan.crear_gan`` u otra que herede de
``GANBasica``) guardándolo todo en una carpeta: historial, muestras, métrica, punto de control y
generador final; reanuda desde el punto de control tras un corte y explica en español un NaN, un
Ctrl-C o un disco lleno (``error_al_guardar``). Lo usan los cuadernos (como ``helpers.entrenar``),
``tarea.entrenar_carpeta`` y, a través de esa función, la CLI (``python -m helpers entrenar``).
"""

import numpy as np

from .archivos import escribir_de_una_vez
from .callbacks import ARCHIVO_MENOR_SWD, Cronometro, HistorialPerdidas, MuestrasFijas, SeguimientoMetrica
from .comprobaciones_gan import forma_de_los_lotes, lista_de_callbacks
from .datos import empezar_en_epoca
from .entorno import carpeta_resultados, limitar
from .errores import consejo_del_sistema, explicar_error_del_sistema, falta_espacio
from .gan import GAN
from .opciones import es_entero, es_real, exigir_booleano, exigir_carpeta, exigir_ruta
from .punto_de_control import ARCHIVO_ESTADO, PuntoDeControl, epoca_guardada, restaurar_estado
from .textos import contar

EPOCAS_RAPIDAS_GAN = 20
# Lo que una ejecución de ``entrenar`` deja en su carpeta y los callbacks no reescriben al empezar: de cero,
# se borra (las muestras y el historial, cada callback los rehace desde ``epoca_inicial``).
DE_UNA_EJECUCION = (ARCHIVO_ESTADO, "generador.keras", ARCHIVO_MENOR_SWD, "metrica.csv", "metrica.png", "perdidas.png",
                    "evolucion.gif")


def _pasos_dados(gan):
    """Cuántos pasos ha dado ya el optimizador que más ha dado de los dos (0 en una GAN recién creada)."""
    return max((int(getattr(gan, nombre).iterations.numpy()) for nombre in ("opt_generador", "opt_discriminador")
                if getattr(gan, nombre, None) is not None), default=0)


def _comprobar_argumentos(gan, datos, epocas, cada_metrica, guardar_cada_segundos, mostrar_cada, reales_metrica):
    """``ValueError`` en español con el primer argumento de ``entrenar`` que no sirve, antes de tocar la carpeta."""
    if not es_entero(epocas, 1):
        raise ValueError(f"epocas={epocas!r} debe ser un entero positivo (número total de épocas).")
    if len(getattr(gan.generador, "inputs", None) or ()) != 1:  # la condicional pide también el dígito
        raise ValueError("entrenar guarda muestras de un generador de un vector latente a una imagen; el de esta GAN pide "
                         "más entradas (¿una GAN condicional?): entrénala con gan.fit(datos, epochs=…, "
                         "callbacks=[CuadriculaPorDigito(…)]), como en el cuaderno 07.")
    if isinstance(gan, GAN):  # antes de borrar nada de la carpeta: fit lo haría después
        gan._comprobar_datos(datos)
    if not (cada_metrica == "auto" or es_entero(cada_metrica, 1)):
        raise ValueError(f"cada_metrica={cada_metrica!r} no es válido: usa \"auto\" o un entero positivo (épocas entre medidas).")
    if not es_real(guardar_cada_segundos, 0):
        raise ValueError(f"guardar_cada_segundos={guardar_cada_segundos!r} no es válido: usa un número ≥ 0 (0 = en cada época).")
    if not (mostrar_cada is None or es_entero(mostrar_cada, 0)):  # None, como 0: nunca
        raise ValueError(f"mostrar_cada={mostrar_cada!r} no es válido: usa un entero ≥ 0 (épocas entre dos cuadrículas en "
                         "el cuaderno; 0 o None = nunca).")
    if reales_metrica is not None:  # al final de la primera época, la medida lo diría llamándolas «reales»
        try:
            forma = np.shape(np.asarray(reales_metrica, np.float32))
        except (TypeError, ValueError):  # p. ej. la pareja (imágenes, etiquetas)
            forma = None
        salida = tuple(gan.generador.output_shape[1:])
        if forma is None or forma[1:] not in (salida, salida[:2] if salida[-1:] == (1,) else None):  # gris sin canal, vale
            raise ValueError(f"reales_metrica {f'tiene forma {forma}' if forma else 'no es una matriz de imágenes'} y el "
                             f"generador da imágenes de forma {salida}: pasa solo las imágenes de reserva, del tamaño de "
                             f"las de entrenamiento, (n, {', '.join(map(str, salida))}).")


def _empezar_o_reanudar(gan, datos, carpeta, continuar, epocas):
    """Restaura el punto de control de ``carpeta`` o prepara un comienzo de cero (rechazando una GAN que ya
    ha entrenado y borrando lo de la ejecución anterior); dice qué hace. Devuelve ``(epoca_inicial, lote)``."""
    # El lote de un tf.data.Dataset de forma fija, como los de a_dataset (None si varía o si es una matriz).
    forma = forma_de_los_lotes(datos) if hasattr(datos, "element_spec") else ()
    lote = forma[0] if forma else None
    epoca_inicial = restaurar_estado(gan, carpeta, lote) if continuar else 0
    if not epoca_inicial and (pasos_dados := _pasos_dados(gan)):  # antes de borrar nada: con esta GAN no se empezaría de cero
        motivo = (f"{carpeta} no tiene un punto de control del que seguir" if continuar
                  else "pides empezar de cero (continuar=False)")
        raise ValueError(
            f"Esta GAN ya ha dado {contar(pasos_dados, 'paso', 'pasos')} de entrenamiento (en otra llamada o en un "
            f"entrenamiento interrumpido) y {motivo}: entrenarla aquí seguiría desde sus pesos de ahora como si "
            "empezara de cero, y las curvas y las épocas no dirían la verdad. Crea la GAN de nuevo (vuelve a ejecutar "
            "la celda de crear_gan) y después esta."
        )
    if not epoca_inicial:  # de cero: si se corta, que no quede nada de otra ejecución como si fuera de esta
        for nombre in DE_UNA_EJECUCION:
            (carpeta / nombre).unlink(missing_ok=True)
    if epoca_inicial >= epocas:
        print(f"El punto de control de {carpeta} ya tiene {contar(epoca_inicial, 'época', 'épocas')}, así que no queda "
              "nada más que entrenar. Para seguir, pide más épocas; para empezar de cero, usa otra carpeta.")
    elif epoca_inicial:
        print(f"Reanudo desde la época {epoca_inicial} (punto de control en {carpeta}).")
    return epoca_inicial, lote


def _crear_callbacks(carpeta, epocas, epoca_inicial, lote, mostrar_cada, reales_metrica, cada_metrica,
                     guardar_cada_segundos):
    """Los callbacks de ``entrenar``, en el orden en que van a ``fit``: ``(cronometro, muestras, historial,
    seguimiento, punto)``; ``seguimiento`` es una lista, vacía si no hay ``reales_metrica``."""
    cronometro = Cronometro()
    historial = HistorialPerdidas(carpeta, epoca_inicial)
    punto = PuntoDeControl(carpeta, guardar_cada_segundos, epoca_inicial, lote)
    seguimiento = []
    if reales_metrica is not None:
        if cada_metrica != "auto":
            # Al menos 4 mediciones (también si el modo rápido recorta las épocas): la curva tiene que verse.
            cada_metrica = max(1, min(cada_metrica, epocas // 4))
        seguimiento = [SeguimientoMetrica(reales_metrica, carpeta, cada_metrica, epoca_inicial=epoca_inicial)]
    muestras = MuestrasFijas(carpeta, mostrar_cada=mostrar_cada, cada_segundos=min(5.0, guardar_cada_segundos), epoca_inicial=epoca_inicial)
    return cronometro, muestras, historial, seguimiento, punto


def _como_seguir_tras_interrumpir(gan, carpeta):
    """Qué decir tras un Ctrl-C: hasta qué época quedó guardado y cómo seguir (o empezar)."""
    epoca = epoca_guardada(carpeta)
    if epoca:
        return (f"En {carpeta} queda guardado todo hasta la época {epoca}; vuelve a ejecutar la celda "
                "(con continuar=True, como por defecto) para seguir desde ahí.")
    return (f"No llegó a terminar ninguna época: no hay nada guardado en {carpeta}. Para empezar, "
            + ("crea la GAN de nuevo (la celda de crear_gan: esta ya dio algunos pasos) y vuelve a "
               "ejecutar esta celda." if _pasos_dados(gan) else "vuelve a ejecutar la celda."))


def error_al_guardar(error, carpeta, como_seguir=None):
    """El ``OSError`` en español que sustituye a ``error`` si es del sistema operativo (el disco o Google Drive
    llenos, sin permiso…) durante un entrenamiento en ``carpeta``: qué archivo, por qué, qué quedó guardado y
    cómo seguir (``como_seguir``: ver ``entrenar``); ``None`` si ``error`` no es de esos."""
    explicacion = explicar_error_del_sistema(error)
    if explicacion is None:
        return None
    try:
        epoca = epoca_guardada(carpeta)
    except (OSError, ValueError):  # p. ej. Google Drive desconectado: ni eso se puede leer
        epoca = None
    if epoca == 0:
        return OSError(f"Entrenamiento detenido: {explicacion}. No se llegó a guardar ninguna época: "
                       f"{consejo_del_sistema(error)} y vuelve a empezar.")
    guardado = (f"En «{carpeta}» queda el punto de control de la época {epoca}" if epoca
                else f"No se puede comprobar qué quedó guardado en «{carpeta}»")
    primero = (consejo_del_sistema(error, otra_carpeta=False) if falta_espacio(error)
               else "comprueba que puedes volver a escribir ahí (p. ej., que Google Drive sigue conectado)")
    despues = (f"Para continuar: {como_seguir}" if como_seguir
               else "Después, vuelve a ejecutar la celda (con continuar=True, como por defecto) para seguir desde ahí.")
    return OSError(f"Entrenamiento detenido: {explicacion}. {guardado}. {primero[0].upper()}{primero[1:]}. {despues}")


def _terminar_entrenamiento(gan, carpeta, historial, seguimiento, punto, consejo_si_nan, como_seguir):
    """Tras ``fit``: vuelve al último estado sano si hubo un NaN, guarda el generador y devuelve el historial
    que devuelve ``entrenar``."""
    if punto.inestable and punto.volver_al_ultimo_estado_sano() is None:
        raise FloatingPointError(
            f"El entrenamiento se volvió inestable (NaN) antes de completar una época sana: no hay nada "
            f"que guardar en {carpeta}. {consejo_si_nan}".strip()
        )
    if punto.inestable and consejo_si_nan:
        print(consejo_si_nan)
    try:
        escribir_de_una_vez(carpeta / "generador.keras", gan.generador_para_muestras().save)
    except OSError as error:
        if (en_espanol := error_al_guardar(error, carpeta, como_seguir)) is None:
            raise
        raise en_espanol from None
    resultado = historial.historial
    if seguimiento:
        resultado["metrica"] = seguimiento[0].registros
    if punto.inestable:
        resultado["inestable"] = True
    return resultado


def entrenar(
    gan,
    datos,
    epocas,
    carpeta=None,
    continuar=True,
    mostrar_cada=0,
    reales_metrica=None,
    cada_metrica="auto",
    guardar_cada_segundos=60.0,
    verbose="auto",
    callbacks=(),
    consejo_si_nan=None,
    como_seguir=None,
):
    """Entrena ``gan`` con ``fit`` hasta ``epocas`` (en total) guardando todo bajo ``carpeta``.

    - Si ``continuar`` y ``carpeta`` tiene un punto de control, reanuda desde su última época con el
      estado de los optimizadores: una interrupción (Ctrl-C, desconexión de Colab) no pierde trabajo.
      Con los datos de ``a_dataset`` (o ``a_dataset_uint8``), cada época ve los mismos lotes que sin cortes
      (``datos.empezar_en_epoca``), así que se llega a los mismos pesos que entrenando seguido; con otros
      datos, en el orden que den. Con ``ruido_instancia``, pedir al reanudar más épocas de las de antes
      estira su programa (``ProgramaRuido``): el camino ya no es el de antes.
      Con otra receta u otro lote que los del punto de control, ``ValueError`` que lo explica (seguir
      mezclaría dos entrenamientos en uno); también si se empieza de cero con una GAN que ya ha
      entrenado (no sería de cero).
      Con ``continuar=False`` (o sin punto de control) empieza de cero y sobrescribe lo que hubiera en
      ``carpeta``: al empezar borra el punto de control, el historial, las muestras, la métrica, las
      figuras y los generadores de antes (``DE_UNA_EJECUCION``); copia lo que quieras conservar o usa
      otra carpeta.
    - Escribe ``historial.csv``, ``muestras/epoca_XXXX.png`` (como mucho una cada 5 s, o cada
      ``guardar_cada_segundos`` si es menor), ``punto_de_control.npz`` (como mucho uno cada
      ``guardar_cada_segundos``, y siempre al terminar o ante un Ctrl-C) y, al final,
      ``evolucion.gif``, ``perdidas.png`` y ``generador.keras``. ``guardar_cada_segundos=0`` lo
      guarda todo en cada época; el valor por defecto pierde como mucho un minuto si se corta la
      conexión sin aviso y deja casi todo el tiempo a los pasos de entrenamiento.
    - ``mostrar_cada``: cada cuántas épocas se muestra la cuadrícula en el cuaderno (0 = nunca).
    - ``carpeta``: por defecto ``resultados/gan`` (ver ``entorno.carpeta_resultados``).
    - ``reales_metrica``: imágenes reales de reserva; si se dan, se mide la SWD
      (``SeguimientoMetrica``) y se escriben ``metrica.csv``, ``metrica.png`` y
      ``generador_menor_swd.keras``. ``cada_metrica``: cada cuántas épocas (como mucho ``epocas // 4``,
      para que la curva tenga al menos 4 puntos), o ``"auto"`` (medir se lleva como mucho un 5 % del
      tiempo); con los dos se mide también al terminar.
    - Si una pérdida se vuelve NaN, para, deja la GAN en su último estado sano e imprime
      ``consejo_si_nan`` (por defecto, el de la GAN, ``gan.consejo_si_nan``; ``""``: nada).
    - Si no se puede guardar (el disco o Google Drive llenos, sin permiso…), para y lanza un ``OSError``
      en español que dice qué archivo, por qué y hasta qué época queda guardado (``error_al_guardar``);
      ``como_seguir``: cómo seguir después, en lugar de volver a ejecutar la celda.
    - Al final imprime cuánto tiempo fue a los pasos de entrenamiento y cuánto a lo demás.
    - En modo rápido entrena como mucho ``EPOCAS_RAPIDAS_GAN`` épocas.

    Devuelve el historial completo (también de las épocas anteriores a una reanudación):
    diccionario con listas ``perdida_g``, ``perdida_d`` y ``exactitud_d`` (y, si se midió, ``metrica``:
    la lista de registros con ``epoca``, ``segundos`` y ``valor``; si se detuvo por un NaN, ``inestable``:
    ``True``).
    """
    _comprobar_argumentos(gan, datos, epocas, cada_metrica, guardar_cada_segundos, mostrar_cada, reales_metrica)
    exigir_booleano("continuar", continuar)
    callbacks = lista_de_callbacks(callbacks)
    epocas = limitar(epocas, EPOCAS_RAPIDAS_GAN, "épocas")
    # «""» sería la carpeta actual: empezar de cero borraría ahí lo que se llame como los resultados.
    carpeta = (carpeta_resultados("gan") if carpeta is None
               else exigir_ruta("carpeta", carpeta, "la carpeta de los resultados, p. ej. helpers.carpeta_resultados(\"mi_gan\")"))
    exigir_carpeta("carpeta", carpeta, "elige otra carpeta para los resultados")
    epoca_inicial, lote = _empezar_o_reanudar(gan, datos, carpeta, continuar, epocas)
    empezar_en_epoca(datos, epoca_inicial)  # los lotes de cada época, los mismos que sin cortes
    cronometro, muestras, historial, seguimiento, punto = _crear_callbacks(
        carpeta, epocas, epoca_inicial, lote, mostrar_cada, reales_metrica, cada_metrica, guardar_cada_segundos)
    try:
        gan.fit(
            datos,
            epochs=epocas,
            initial_epoch=epoca_inicial,
            verbose=verbose,
            # La métrica antes del punto de control: si se interrumpe, lo medido ya está guardado.
            callbacks=[cronometro, muestras, historial, *seguimiento, punto, *callbacks],
        )
    except BaseException as error:
        try:
            punto.guardar_pendiente()
            muestras.guardar_pendiente()
        except OSError as al_guardar:  # tras un Ctrl-C, no haber podido guardar es lo que impide seguir
            if isinstance(error, KeyboardInterrupt) and explicar_error_del_sistema(al_guardar):
                error = al_guardar
        if (en_espanol := error_al_guardar(error, carpeta, como_seguir)) is not None:
            raise en_espanol from None
        if not isinstance(error, KeyboardInterrupt):
            raise
        raise KeyboardInterrupt(f"Entrenamiento interrumpido. {_como_seguir_tras_interrumpir(gan, carpeta)}") from None
    if epoca_inicial < epocas:
        print(cronometro.resumen())
    consejo_si_nan = gan.consejo_si_nan if consejo_si_nan is None else consejo_si_nan
    return _terminar_entrenamiento(gan, carpeta, historial, seguimiento, punto, consejo_si_nan, como_seguir)
