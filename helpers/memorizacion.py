"""Memorización: ¿copia el generador imágenes del entrenamiento?

Se compara la distancia de cada muestra a su imagen de entrenamiento más cercana con la de imágenes reales que la
GAN no vio (la reserva): si las muestras están mucho más cerca del entrenamiento que ellas, lo copian (lección 5).
La distancia es L2 en píxeles o, con ``red="squeezenet"`` o ``"inception"``, entre características (las de
``fid_kid``), que también ven copias algo desplazadas o retocadas.

- ``vecinos_mas_cercanos`` y ``mas_cercanas``: la vecina de entrenamiento de cada muestra y las muestras más pegadas;
- ``comprobar_memorizacion``: el cociente entre las dos medianas, la diversidad de las muestras y si están encima de
  alguna foto (``primera_entre_segunda``); ``lectura_memorizacion`` lo dice en una frase y
  ``muestras_casi_iguales``, cuándo el cociente no sirve;
- ``mostrar_vecinos``: las muestras sospechosas, cada una sobre su vecina, para juzgarlo a ojo.

Lo usan los cuadernos 03, 04 y 06 (como ``helpers.metricas.<nombre>``: ``metricas`` importa de aquí, y no al revés),
la entrega (``formato_entrega`` mide, ``entrega`` dibuja los pares y ``pagina_entrega`` lo lee en una frase), la
revisión y la línea de órdenes (``lectura_memorizacion``).
"""

import numpy as np
from scipy.spatial.distance import pdist

from .fid_kid import caracteristicas, modelo_caracteristicas
from .graficos import a_uint8, guardar_o_mostrar
from .lotes import avisar_si_otra_escala, como_lote
from .opciones import es_entero, es_real, exigir_enteros
from .textos import cifra


def _planas(red, **lotes):
    """Los lotes (``generadas=…, entrenamiento=…``; el nombre sale en los errores) como filas, en ese orden:
    características de ``red`` (cada lote una sola vez) o píxeles, y entonces del mismo tamaño."""
    lotes = {nombre: como_lote(lote, nombre) for nombre, lote in lotes.items()}
    avisar_si_otra_escala(**lotes)
    if red:
        return [caracteristicas(lote, red) for lote in lotes.values()]
    referencia = lotes["entrenamiento"]
    for nombre, lote in lotes.items():
        if lote.shape[1:] != referencia.shape[1:]:
            raise ValueError(
                f"«{nombre}» {lote.shape[1:]} y «entrenamiento» {referencia.shape[1:]} deben tener el mismo tamaño: "
                "redimensiona una de ellas con helpers.datos.redimensionar."
            )
    return [lote.reshape(len(lote), -1) for lote in lotes.values()]


def _vecinas(a, b, k, lote=256):
    """Índices y distancias ``(n, k)`` de las ``k`` filas de ``b`` más cercanas a cada fila de ``a``, de la
    más cercana a la más lejana (con empates, primero la de menor índice)."""
    k = min(k, len(b))
    normas_b = np.sum(b * b, axis=1)
    indices, distancias = [], []
    for inicio in range(0, len(a), lote):
        bloque = a[inicio : inicio + lote]
        # ‖a − b‖² = ‖a‖² − 2·a·b + ‖b‖², y ‖a‖² no cambia cuáles son las menores; por bloques, para no
        # llenar la memoria con la matriz entera de distancias.
        aproximadas = normas_b - 2.0 * bloque @ b.T
        candidatas = (np.argmin(aproximadas, axis=1)[:, None] if k == 1
                      else np.argpartition(aproximadas, k - 1, axis=1)[:, :k])
        # Distancias recalculadas directamente: la fórmula de arriba deja errores de redondeo y una copia
        # exacta debe dar 0. Una candidata cada vez: todas juntas serían k copias del bloque (a 128 px, 400 MB).
        exactas = np.stack([np.linalg.norm(bloque - b[columna], axis=1) for columna in candidatas.T], axis=1)
        orden = np.lexsort((candidatas, exactas), axis=1)
        indices.append(np.take_along_axis(candidatas, orden, axis=1))
        distancias.append(np.take_along_axis(exactas, orden, axis=1))
    return np.concatenate(indices), np.concatenate(distancias)


def vecinas_en_pixeles(consultas, imagenes, k):
    """Índices y distancias L2 en píxeles ``(n, k)`` de las ``k`` ``imagenes`` más cercanas a cada una de
    ``consultas`` (las dos ``(n, alto, ancho, canales)`` en float32), de la más cercana a la más lejana: las que
    usa ``comprobar_memorizacion``."""
    return _vecinas(consultas.reshape(len(consultas), -1), imagenes.reshape(len(imagenes), -1), k)


def _primera_entre_segunda(b, indices, distancias, escala):
    """Mediana de (distancia de cada muestra a su vecina en ``b``) / (distancia a la segunda), con
    ``indices`` y ``distancias`` de sus vecinas más cercanas en ``b`` (de ``_vecinas``).

    La segunda es la siguiente que no es casi una copia de la primera (más cerca de ella que una
    décima de ``escala``, la distancia típica de una imagen real nueva a su vecina): con una foto
    repetida en el entrenamiento, una muestra calcada de ella estaría igual de cerca de las dos copias.
    Más radio confundiría fotos distintas pero parecidas (en la carpeta de ejemplo, recortes de una
    misma foto a 0,4 de ``escala``) y una mancha gris parecería encima de una. ``None`` si ``b`` tiene
    menos de dos filas."""
    if len(b) < 2:
        return None
    primeras = b[indices[:, 0]]
    distintas = np.stack([np.linalg.norm(primeras - b[columna], axis=1) for columna in indices[:, 1:].T], axis=1)
    distintas = distintas > 0.1 * escala  # una candidata cada vez, como en ``_vecinas``
    # La primera distinta de la primera; si todas son copias suyas, la más lejana de las candidatas.
    segunda = np.where(distintas.any(axis=1), np.argmax(distintas, axis=1) + 1, indices.shape[1] - 1)
    cocientes = distancias[:, 0] / np.maximum(distancias[np.arange(len(distancias)), segunda], 1e-12)
    return float(np.median(cocientes))


def _primera_entre_detalle(entrenamiento, indices, distancias):
    """Mediana de (distancia de cada muestra a su vecina de ``entrenamiento``, en píxeles) / (distancia de esa vecina
    a su color medio, la foto sin detalle), con ``indices`` y ``distancias`` de las vecinas. Una muestra que reproduce
    la foto está mucho más cerca de ella (cerca de 0); una mancha lisa, no más que ese color liso (1 o más), aunque
    la foto más parecida sea casi lisa y quede mucho más cerca que la segunda (``_primera_entre_segunda``)."""
    unicas, cual = np.unique(indices, return_inverse=True)  # el detalle de cada foto, una vez
    fotos = entrenamiento[unicas]
    detalle = np.linalg.norm((fotos - fotos.mean(axis=(1, 2), keepdims=True)).reshape(len(fotos), -1), axis=1)
    return float(np.median(distancias / np.maximum(detalle[cual.ravel()], 1e-12)))


def _reales_sin_nan(**lotes):
    """``ValueError`` en español si alguno de los ``lotes`` de imágenes reales (por su nombre) tiene valores NaN."""
    for nombre, imagenes in lotes.items():
        if np.isnan(imagenes).any():
            raise ValueError(f"«{nombre}» tiene valores NaN: son imágenes reales, así que el fallo está en cómo se "
                             "cargaron o se escalaron (p. ej. una división por cero). Revísalas antes de medir.")


def vecinos_mas_cercanos(generadas, entrenamiento, red=None, lote=256):
    """Para cada imagen generada, la más cercana del entrenamiento: ``(indices, distancias)``, ``(n,)``.

    ``generadas`` ``(n, alto, ancho, canales)`` y ``entrenamiento`` ``(m, alto, ancho, canales)`` en
    [-1, 1]. Distancia euclídea (L2) en píxeles, entre 0 (copia exacta) y 2·√(alto·ancho·canales);
    con ``red="squeezenet"`` o ``"inception"``, entre sus características (ver ``caracteristicas``),
    que también detecta copias algo desplazadas o retocadas.
    """
    exigir_enteros(("lote", lote, 1))
    entrenamiento = como_lote(entrenamiento, "entrenamiento")
    _reales_sin_nan(entrenamiento=entrenamiento)  # si no, una sola con NaN salía la «más cercana» de todas, a distancia NaN
    indices, distancias = _vecinas(*_planas(red, generadas=generadas, entrenamiento=entrenamiento), 1, lote)
    return indices[:, 0], distancias[:, 0]


# Por debajo de esta diversidad las muestras son casi iguales entre sí (un generador sin entrenar da
# manchas grises de unas 0,03; benchmarks/lectura_memorizacion.py).
UMBRAL_DIVERSIDAD = 0.25
# Por encima de este cociente entre la distancia de cada muestra a su vecina de entrenamiento y a la
# segunda, la muestra no está encima de ninguna foto: una mancha gris media está casi igual de cerca
# de varias (de 0,8 a 1); una foto de entrenamiento con ruido de hasta 0,1, mucho más cerca de la suya
# (de 0,1 a 0,45). Medido en benchmarks/lectura_memorizacion.py.
UMBRAL_PRIMERA_ENTRE_SEGUNDA = 0.6
# Por encima de este cociente entre la distancia de cada muestra a su vecina y la de esa vecina a su color medio, la
# muestra no reproduce el detalle de la foto: una mancha lisa da 1 o más; una foto con ruido de hasta 0,1, de 0,08 a
# 0,41 (tests/test_metricas.py). Sin él, una mancha gris a 128 px junto a una foto casi lisa se leía «memoriza».
UMBRAL_PRIMERA_ENTRE_DETALLE = 0.8
MAX_DIVERSIDAD = 1000  # imágenes con las que se mide la diversidad: la mediana ya es estable


def _mediana_entre_si(imagenes):
    """Mediana de la distancia L2 (en píxeles) entre dos imágenes distintas del lote (``None`` con menos de dos)."""
    planas = como_lote(imagenes, "imagenes")[:MAX_DIVERSIDAD]
    return float(np.median(pdist(planas.reshape(len(planas), -1)))) if len(planas) >= 2 else None


def comprobar_memorizacion(generadas, entrenamiento, reserva, red=None):
    """¿Están las muestras más cerca del entrenamiento que imágenes reales nuevas?

    Compara la mediana de la distancia de cada imagen ``generadas`` a su vecina más cercana de
    ``entrenamiento`` con la misma mediana para ``reserva`` (imágenes reales que la GAN no vio; las de
    reserva idénticas a una de entrenamiento, fotos repetidas en la carpeta, no cuentan).
    Devuelve ``{"mediana_generadas", "mediana_reserva", "cociente", "diversidad",
    "primera_entre_segunda", "primera_entre_detalle"}`` (cociente = la primera / la segunda). Cómo leer el cociente
    (``lectura_memorizacion`` lo dice en una frase):
    - ≈ 1 o mayor: las muestras no se parecen al entrenamiento más que una imagen real nueva;
    - claramente < 1 (p. ej. < 0,5): las muestras están pegadas al entrenamiento, señal de que la
      GAN memoriza; mira los pares con ``mostrar_vecinos``.
    ``diversidad`` es la distancia mediana entre dos muestras dividida entre la de dos imágenes de
    reserva, siempre en píxeles: ≈ 1 si varían como las reales, casi 0 si son todas iguales (``None``
    si no se puede medir: menos de dos imágenes, o, con ``red``, muestras y reserva de otro tamaño o canales). ``primera_entre_segunda``, la mediana de la distancia de cada muestra a su
    vecina de entrenamiento dividida entre la distancia a la segunda (sin contar copias de la primera):
    cerca de 0 si está encima de una foto, cerca de 1 si está igual de cerca de varias; ``primera_entre_detalle``, la
    mediana de esa distancia a la vecina dividida entre la de la vecina a su color medio (en píxeles; ``None`` con
    ``red``): cerca de 0 si la reproduce, 1 o más si no está más cerca de ella que un color liso. Con muestras casi
    iguales que no están encima de ninguna foto (``muestras_casi_iguales``) el cociente no sirve: una mancha gris
    media está cerca de todo el entrenamiento sin copiar nada.
    """
    # En los píxeles y no en las características: la red puede perder un NaN de un borde (max-pooling).
    # Si no, en píxeles todas las distancias saldrían NaN y el filtro de abajo las quitaría todas.
    entrenamiento, reserva = como_lote(entrenamiento, "entrenamiento"), como_lote(reserva, "reserva")
    generadas = como_lote(generadas, "generadas")
    _reales_sin_nan(entrenamiento=entrenamiento, reserva=reserva)
    a, b, c = _planas(red, generadas=generadas, entrenamiento=entrenamiento, reserva=reserva)
    # Ocho candidatas: la más cercana para el cociente y las siguientes para ``primera_entre_segunda``.
    indices, distancias_generadas = _vecinas(a, b, 8)
    _, distancias_reserva = _vecinas(c, b, 1)
    # Una foto repetida en la carpeta puede quedar a la vez en la reserva y en el entrenamiento: esa
    # copia no es «una imagen real nueva» y, contada, haría parecer que el generador copia menos.
    distancias_reserva = distancias_reserva[distancias_reserva > 0]
    if not len(distancias_reserva):
        raise ValueError("Todas las imágenes de «reserva» están también en «entrenamiento» (distancia 0): la reserva tiene "
                         "que ser de imágenes que la GAN no vio. Si tu carpeta tiene fotos repetidas, quítalas con "
                         "preparar --sin-duplicados (preparar_imagenes(..., sin_duplicados=True)).")
    mediana_generadas, mediana_reserva = float(np.median(distancias_generadas[:, 0])), float(np.median(distancias_reserva))
    # La diversidad, en píxeles: solo si muestras y reserva tienen el mismo tamaño y canales (con ``red`` pueden no
    # tenerlo, y el cociente de dos distancias en espacios distintos no diría nada).
    entre_generadas, entre_reserva = ((_mediana_entre_si(generadas), _mediana_entre_si(reserva))
                                      if generadas.shape[1:] == reserva.shape[1:] else (None, None))
    return {
        "mediana_generadas": mediana_generadas,
        "mediana_reserva": mediana_reserva,
        "cociente": mediana_generadas / max(mediana_reserva, 1e-12),
        "diversidad": entre_generadas / entre_reserva if entre_generadas is not None and entre_reserva else None,
        "primera_entre_segunda": _primera_entre_segunda(b, indices, distancias_generadas, mediana_reserva),
        "primera_entre_detalle": (None if red else
                                  _primera_entre_detalle(entrenamiento, indices[:, 0], distancias_generadas[:, 0])),
    }


def muestras_casi_iguales(resultado):
    """¿Son las muestras casi iguales entre sí sin estar encima de ninguna foto de entrenamiento (ni reproducir su
    detalle)? (ver ``comprobar_memorizacion``): entonces el cociente no dice si el generador memoriza."""
    diversidad, relativa = resultado["diversidad"], resultado["primera_entre_segunda"]
    detalle = resultado.get("primera_entre_detalle")  # los resultados guardados antes no lo tienen
    return (diversidad is not None and diversidad < UMBRAL_DIVERSIDAD
            and ((relativa is not None and relativa > UMBRAL_PRIMERA_ENTRE_SEGUNDA)
                 or (detalle is not None and detalle > UMBRAL_PRIMERA_ENTRE_DETALLE)))


def lectura_memorizacion(resultado):
    """Qué dice un resultado de ``comprobar_memorizacion``, en una frase para quien lo lee."""
    if not isinstance(resultado, dict) or "cociente" not in resultado:  # p. ej. solo memoria["cociente"]
        que = f"el número {cifra(resultado)}" if es_real(resultado) else f"un objeto de tipo {type(resultado).__name__}"
        raise ValueError(f"lectura_memorizacion recibe el diccionario entero de comprobar_memorizacion y llegó {que}: "
                         "memoria = comprobar_memorizacion(muestras, entrenamiento, reserva) y luego "
                         "lectura_memorizacion(memoria), no memoria[\"cociente\"].")
    if np.isnan(resultado["cociente"]):  # si no, NaN no pasaría ningún umbral y se leería «memoriza»
        return "no se puede medir: hay valores NaN en las imágenes (si están en las muestras, el entrenamiento divergió)"
    if muestras_casi_iguales(resultado):
        return ("las muestras son casi iguales entre sí: el generador aún no ha aprendido o ha colapsado, "
                "y el cociente no dice si memoriza")
    if resultado["cociente"] >= 0.9:
        return "las muestras no se parecen al entrenamiento más que una foto nueva"
    if resultado["cociente"] >= 0.5:
        return "vigilar: mira los pares de muestras y sus vecinas del entrenamiento"
    return "las muestras están pegadas al entrenamiento: memoriza"


def mas_cercanas(generadas, entrenamiento, n=8, red=None):
    """``(elegidas, indices, distancias)``: los ``indices`` y ``distancias`` de ``vecinos_mas_cercanos`` para
    todas las muestras, y en ``elegidas`` las posiciones de las ``n`` más pegadas al entrenamiento, la más
    cercana primero: las sospechosas de ser copias, las que se enseñan para juzgarlo."""
    if not es_entero(n, 1):  # n=-1 elegía todas menos una, sin aviso
        raise ValueError(f"n={n!r} no es válido: debe ser un entero positivo (cuántas muestras elegir; p. ej. 8).")
    indices, distancias = vecinos_mas_cercanos(generadas, entrenamiento, red)
    return np.argsort(distancias)[:n], indices, distancias


def mostrar_vecinos(generadas, entrenamiento, n=8, red=None, ruta=None):
    """Comprobación de memorización: las ``n`` muestras más pegadas al entrenamiento, cada una sobre
    su imagen de entrenamiento más cercana y con la distancia entre ambas.

    ``generadas`` ``(m, alto, ancho, canales)`` y ``entrenamiento`` ``(k, alto, ancho, canales)`` en
    [-1, 1]; ``red`` como en ``vecinos_mas_cercanos`` (``None``: L2 en píxeles).
    Una distancia casi 0 con dos imágenes iguales es una copia. Con ``ruta`` guarda la figura como
    PNG en vez de mostrarla. Devuelve ``(indices, distancias)`` de todas las muestras.
    """
    import matplotlib.pyplot as plt

    elegidas, indices, distancias = mas_cercanas(generadas, entrenamiento, n, red)
    muestras, vecinas = a_uint8(np.asarray(generadas)[elegidas]), a_uint8(np.asarray(entrenamiento)[indices[elegidas]])
    # Al menos 7 pulgadas de ancho: con pocas columnas el título se cortaba por los lados.
    figura, ejes = plt.subplots(2, len(elegidas), figsize=(max(1.4 * len(elegidas), 7.0), 3.4), squeeze=False)
    for columna, (muestra, vecina, i) in enumerate(zip(muestras, vecinas, elegidas)):
        for eje, imagen in ((ejes[0, columna], muestra), (ejes[1, columna], vecina)):
            eje.imshow(imagen[..., 0] if imagen.shape[-1] == 1 else imagen, cmap="gray", vmin=0, vmax=255)
            eje.set_xticks([])
            eje.set_yticks([])
        ejes[0, columna].set_title(f"d = {cifra(distancias[i])}", fontsize=9)
        ejes[1, columna].set_xlabel(f"n.º {indices[i]}", fontsize=8)
    ejes[0, 0].set_ylabel("generada")
    ejes[1, 0].set_ylabel("más cercana\n(entrenamiento)")
    espacio = "en píxeles" if red is None else f"entre características de {modelo_caracteristicas(red)[1]}"
    figura.suptitle(f"Muestras más parecidas al entrenamiento (d: distancia L2 {espacio})", fontsize=10)
    figura.tight_layout()
    guardar_o_mostrar(figura, ruta)
    return indices, distancias
