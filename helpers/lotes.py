"""Los lotes de imágenes que se miden: comprobar lo que llega a las métricas y pasar un modelo por lotes.

- ``como_lote``: un lote de imágenes en [-1, 1] como float32 ``(n, alto, ancho, canales)``, o un error en
  español que dice qué llegó en su lugar (un modelo, una sola imagen, una lista de tamaños distintos, valores en
  [0, 255]…);
- ``pareja_comparable``: las reales y las generadas, del mismo tamaño y canales; con ``avisar_si_otra_escala``,
  que avisa si unas parecen estar en [0, 1] y las otras en [-1, 1];
- ``aplicar_por_lotes``: ``modelo(imagenes, training=False)`` por lotes, con la forma de la entrada comprobada.

Los usan la SWD (``swd``), la FID y la KID (``fid_kid``), la memorización (``memorizacion``) y los dígitos
(``metricas``); ``aplicar_por_lotes``, además, ``callbacks``, ``generador_guardado``, ``formato_entrega`` y
``condicional`` para generar o clasificar muestras. No importa ninguno de ellos.
"""

import warnings

import keras
import numpy as np

from .comprobaciones_gan import entradas_de
from .estudiante import nivel_del_estudiante
from .modelos import exigir_forma_de_entrada
from .opciones import exigir_enteros
from .textos import cifra, contar


def como_lote(imagenes, nombre, minimo=1):
    """``imagenes`` → float32 ``(n, alto, ancho, canales)``; acepta ``(n, alto, ancho)`` en gris.
    ``TypeError`` o ``ValueError`` en español si es un modelo, si no es un lote de al menos ``minimo``
    imágenes de 1 o 3 canales o si sus valores están muy fuera de [-1, 1] (p. ej. en [0, 255])."""
    if isinstance(imagenes, keras.Model):
        # Una GAN del curso (también la condicional, cuyo generador pide además la etiqueta) sabe muestrear.
        ejemplo = ("gan.muestrear(500)" if hasattr(imagenes, "muestrear")
                   else "generador(z, training=False), con z de forma (n, dimensión latente)")
        raise TypeError(f"«{nombre}» es un modelo ({imagenes.name}) y aquí van imágenes: pasa sus muestras, p. ej. {ejemplo}.")
    try:
        imagenes = np.asarray(imagenes, np.float32)
    except (TypeError, ValueError):  # sin esto, el error de NumPy, en inglés
        try:
            formas = sorted({np.shape(imagen) for imagen in imagenes}) if isinstance(imagenes, (list, tuple)) else []
        except (TypeError, ValueError):  # algún elemento tampoco es una matriz
            formas = []
        if len(formas) > 1 and all(len(forma) in (2, 3) for forma in formas):  # imágenes sueltas de tamaños distintos
            raise ValueError(f"«{nombre}» es una lista de imágenes de tamaños distintos ({', '.join(map(str, formas[:3]))}"
                             f"{'…' if len(formas) > 3 else ''}): para medirlas tienen que ser todas del mismo. Llévalas "
                             "todas al mismo tamaño, p. ej. con helpers.cargar_imagenes(carpeta, 32), que además las "
                             "deja en [-1, 1].") from None
        if len(formas) > 1 and len({forma[1:] for forma in formas}) == 1 and len(formas[0]) == 4:  # lotes sueltos
            raise ValueError(f"«{nombre}» es una lista de lotes: júntalos en uno con np.concatenate(lista).") from None
        raise TypeError(f"«{nombre}» debe ser un lote de imágenes (una matriz o un tensor) y llega un objeto de tipo "
                        f"{type(imagenes).__name__}: de la pareja (imágenes, etiquetas) de imagenes_digitos, toma solo las "
                        "imágenes (imagenes, _ = …); de un tf.data.Dataset, un lote con next(iter(datos)).") from None
    # Una sola imagen (alto, ancho, canales): si no, pasaría por un lote de imágenes grises de 1 o 3 px de ancho.
    if imagenes.ndim == 3 and imagenes.shape[-1] in (1, 3):
        raise ValueError(f"«{nombre}» tiene forma {imagenes.shape}: es una sola imagen (alto, ancho, canales) y aquí va un "
                         "lote (n, alto, ancho, canales). Pasa todas las imágenes (mejor cientos); para una sola, imagen[None].")
    if imagenes.ndim == 3:
        imagenes = imagenes[..., None]
    if imagenes.ndim != 4 or imagenes.shape[-1] not in (1, 3):
        raise ValueError(f"«{nombre}» debe ser un lote (n, alto, ancho, canales) con 1 o 3 canales; tiene forma "
                         f"{imagenes.shape}.")
    if len(imagenes) < minimo:
        raise ValueError(f"«{nombre}» tiene {contar(len(imagenes), 'imagen', 'imágenes')} y hacen falta al menos {minimo} "
                         "(mejor cientos).")
    # Un poco por encima de 1 vale (p. ej. el redondeo de un reescalado). Con NaN la medida da NaN, y
    # quien la pide lo trata (un generador que se volvió inestable: ver callbacks y tarea).
    if np.abs(imagenes).max() > 1.5:
        raise ValueError(f"«{nombre}» va de {cifra(imagenes.min(), 1)} a {cifra(imagenes.max(), 1)} y las métricas "
                         "piden imágenes en [-1, 1], como las del generador: si están en [0, 255], usa "
                         "«imagenes / 127.5 - 1».")
    return imagenes


def pareja_comparable(reales, generadas, minimo=1):
    """``reales`` y ``generadas`` como lotes float32 (``como_lote``) con el mismo alto, ancho y canales:
    la red de la FID o la KID aceptaría otro tamaño, pero la distancia mediría sobre todo la diferencia
    de resolución. Avisa si uno parece estar en [0, 1] y el otro en [-1, 1], por la misma razón."""
    reales, generadas = como_lote(reales, "reales", minimo), como_lote(generadas, "generadas", minimo)
    if reales.shape[1:] != generadas.shape[1:]:
        raise ValueError(
            f"«reales» {reales.shape[1:]} y «generadas» {generadas.shape[1:]} deben tener el mismo alto, "
            "ancho y canales: redimensiona una de ellas con helpers.datos.redimensionar."
        )
    avisar_si_otra_escala(reales=reales, generadas=generadas)
    return reales, generadas


def avisar_si_otra_escala(**lotes):
    """Avisa si un lote va de casi 0 (sin ningún valor negativo) a más de 0,5 y otro baja de -0,5: el primero
    parece estar en [0, 1] y el otro en [-1, 1], y la medida reflejaría sobre todo esa diferencia de escala. Solo aviso:
    un generador que da imágenes claras tampoco baja de 0, y en el entrenamiento un error lo pararía."""
    # fmin/fmax saltan los NaN sin copiar el lote ni avisar; todo NaN da NaN, que no cumple nada de abajo.
    rangos = {nombre: (np.fmin.reduce(lote, axis=None), np.fmax.reduce(lote, axis=None)) for nombre, lote in lotes.items()}
    otro = min(rangos, key=lambda nombre: rangos[nombre][0])  # el que más baja
    for nombre, (minimo, maximo) in rangos.items():
        # Como datos._comprobar_rango: en [0, 1] casi siempre hay algo negro; en [-1, 1], lo claro no baja de 0.
        if 0 <= minimo < 0.05 and maximo > 0.5 and rangos[otro][0] < -0.5:
            warnings.warn(f"«{nombre}» va de {cifra(minimo, significativas=3)} a {cifra(maximo, significativas=3)}, "
                          f"sin ningún valor negativo, y «{otro}» baja hasta {cifra(rangos[otro][0], significativas=3)}: "
                          f"¿está «{nombre}» en [0, 1] (p. ej., reescalada para dibujarla)? Las métricas comparan "
                          "imágenes en [-1, 1]: pásala con x * 2 - 1. Si ya estaba en [-1, 1], la diferencia es real "
                          "(no tiene nada oscuro).", stacklevel=nivel_del_estudiante())
            return


def aplicar_por_lotes(modelo, imagenes, lote=100):
    """``modelo(imagenes, training=False)`` en lotes de ``lote``, como matriz NumPy float32.

    Llamada directa y no ``predict``: con pocas imágenes, ``predict`` tarda varias veces más en prepararse
    (``benchmarks/cifras_del_codigo.py``), y cada modelo o tamaño nuevo le hace trazar otra función
    (TensorFlow avisa en inglés al quinto). Si ``imagenes`` no tiene la forma de la entrada del modelo (otro tamaño
    u otros canales), un ``ValueError`` en español lo dice. A un modelo de varias entradas (p. ej. el generador
    condicional) se le pasa una lista con una matriz por entrada, ``[z, etiquetas]``, y cada una va en lotes."""
    exigir_enteros(("lote", lote, 1))
    if len(esperadas := entradas_de(modelo)) > 1:
        entradas = _exigir_varias_entradas(esperadas, imagenes)
        lotes = [modelo([e[i : i + lote] for e in entradas], training=False) for i in range(0, len(entradas[0]), lote)]
    else:
        imagenes = _exigir_una_entrada(esperadas, imagenes)
        lotes = [modelo(imagenes[i : i + lote], training=False) for i in range(0, len(imagenes), lote)]
    return np.concatenate(lotes).astype(np.float32)


def _exigir_una_entrada(esperadas, imagenes):
    """``imagenes`` para un modelo de una entrada (``esperadas``, de ``entradas_de``: ninguna si no la tiene
    definida), o un ``ValueError`` en español si están vacías o no tienen su forma. Una lista pasa a matriz."""
    if isinstance(imagenes, (list, tuple)):  # Keras tomaría cada una por una entrada distinta del modelo
        try:
            imagenes = np.asarray(imagenes, np.float32)
        except (TypeError, ValueError):
            raise ValueError("Las imágenes de la lista no tienen todas la misma forma: llévalas al mismo tamaño "
                             "(el que espera el modelo) y pásalas como una matriz, np.stack(imagenes).") from None
    if np.shape(imagenes)[:1] == (0,):  # si no, NumPy diría en inglés que no hay lotes que juntar
        raise ValueError("«imagenes» está vacía: pasa al menos una.")
    if esperadas:  # sin una entrada definida (un modelo por subclase), lo decide Keras al llamarlo
        exigir_forma_de_entrada(esperadas[0], imagenes)
    return imagenes


def _exigir_varias_entradas(esperadas, entradas):
    """Las matrices de ``entradas`` (una por cada entrada ``esperadas`` de un modelo de varias, p. ej. ``[z,
    etiquetas]`` del generador condicional), o un ``ValueError`` en español si no son tantas, con las mismas filas y
    de la forma de su entrada: Keras lo diría en inglés, o NumPy, con una lista vacía."""
    if not isinstance(entradas, (list, tuple)) or len(entradas) != len(esperadas):
        raise ValueError(f"El modelo recibe {len(esperadas)} entradas: pásale una lista con una matriz por entrada, "
                         "p. ej. [z, etiquetas] al generador condicional.")
    for i, (esperada, entrada) in enumerate(zip(esperadas, entradas)):
        exigir_forma_de_entrada(esperada, entrada, f"imagenes[{i}]")
    entradas = [np.asarray(entrada) for entrada in entradas]
    filas = [len(entrada) for entrada in entradas]
    if len(set(filas)) > 1:
        raise ValueError(f"Las entradas de la lista tienen distinto número de filas ({', '.join(map(str, filas))}): "
                         "pasa una fila de cada una por muestra, p. ej. tantas etiquetas como vectores z.")
    if not filas[0]:
        raise ValueError("«imagenes» está vacía: pasa al menos una fila en cada entrada.")
    return entradas
