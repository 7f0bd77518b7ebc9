"""El formato de una entrega: lo que acuerdan quien la empaqueta (``entrega``) y quien la revisa
(``revision_entrega``, que mide con ``medida_entrega``), para que los dos cuenten y midan lo mismo.

- ``FORMATO``: la versión del ``manifiesto.json``; ``sha256``, la huella de cada archivo que anota;
- ``GENERADORES``: los que se pueden entregar, y ``MEDIDOS``, los que se miden para el informe, con lo que son;
- ``muestras_fijas``: las muestras de la cuadrícula (``MUESTRAS_CUADRICULA``) y de la memorización, las mismas
  con la misma semilla; ``medir_memorizacion``, la comprobación de memorización con ``MUESTRAS_MEMORIZACION``;
- ``imagenes_que_deciden``: las imágenes de entrenamiento que van en ``imagenes.npz`` (las que deciden la
  memorización y otras al azar, hasta ``MAX_ENTRENAMIENTO``); ``entrenamiento_entregado``, cuántas van, y
  ``posiciones_coherentes``, si unas posiciones son las que se habrían elegido;
- ``imagenes_medibles``: si unas imágenes guardadas sirven para medir un generador.

Aquí no se lee ni se escribe ningún archivo: comprobar la carpeta del entrenamiento está en
``comprobacion_entrega``; escribir el zip, en ``entrega``, y leerlo sin fiarse de él, en ``lectura_entrega``.
"""

import hashlib

import numpy as np

from .callbacks import ARCHIVO_MENOR_SWD, SEMILLA_CUADRICULA
from .datos import a_rango_simetrico
from .lotes import aplicar_por_lotes
from .memorizacion import comprobar_memorizacion, vecinas_en_pixeles

# 2: el manifiesto dice cuántas imágenes van en ``imagenes.npz`` (``imagenes_entregadas``); con el 1 iban todas.
FORMATO = 2
GENERADORES = ("generador.keras", "mejor_generador.keras")
# Los que se miden para el informe, con lo que son: los dos candidatos de ``elegir_generador`` y el recomendado.
MEDIDOS = {"generador.keras": "el final", ARCHIVO_MENOR_SWD: "el de menor SWD durante el entrenamiento",
           "mejor_generador.keras": "el recomendado por entrenar"}
MUESTRAS_CUADRICULA = 64
MUESTRAS_MEMORIZACION = 256
VECINAS_MEMORIZACION = 8  # las de entrenamiento que mira ``comprobar_memorizacion`` por muestra
# Imágenes de entrenamiento que van en la entrega, como mucho: caben siempre las que deciden la memorización (256 × 8
# más una por cada una de las 200 de reserva), así que con más van justo estas (``entrenamiento_entregado``), y el
# zip sigue bajo el límite de ``revisar`` también a 128 px.
MAX_ENTRENAMIENTO = 2500


def muestras_fijas(generador, semilla=SEMILLA_CUADRICULA, n=MUESTRAS_CUADRICULA):
    """``n`` muestras ``(n, alto, ancho, canales)`` en [-1, 1] de los vectores latentes de ``semilla``
    (los mismos que ``MuestrasFijas``): misma semilla y mismo generador → mismas imágenes."""
    z = np.random.default_rng(semilla).normal(size=(n, generador.input_shape[-1])).astype(np.float32)
    return aplicar_por_lotes(generador, z, 256)


def medir_memorizacion(generador, entrenamiento, reserva, semilla=0):
    """``(muestras, resultado)``: 256 muestras de ``semilla`` y ``comprobar_memorizacion`` (L2 en píxeles)."""
    muestras = muestras_fijas(generador, semilla, MUESTRAS_MEMORIZACION)
    return muestras, comprobar_memorizacion(muestras, entrenamiento, reserva)


def imagenes_que_deciden(muestras, reserva, bloques, total, maximo=0, semilla=0):
    """``(indices, imagenes)``: las imágenes de entrenamiento uint8 que deciden ``comprobar_memorizacion(muestras,
    ·, reserva)`` y ``mostrar_vecinos`` (las ``VECINAS_MEMORIZACION`` más cercanas a cada muestra y la más cercana a
    cada imagen de reserva; con ellas solas, las dos dan lo mismo que con todas) y su posición entre las ``total``
    que llegan en ``bloques`` (uint8, en orden), de menor a mayor. Con ``maximo`` se completan hasta ``maximo`` con
    otras al azar de la ``semilla``, y si ``total`` no pasa de ``maximo``, son todas. ``muestras`` y ``reserva``, en
    [-1, 1]. Lee cada bloque una vez y solo guarda las que pueden hacer falta: con decenas de miles de imágenes,
    todas en float32 ocuparían gigas."""
    if total <= maximo:
        imagenes = np.concatenate(list(bloques))
        return np.arange(len(imagenes)), imagenes
    al_azar = _al_azar(total, maximo, semilla)
    guardadas, vecinas, inicio = {}, {}, 0
    for bloque in bloques:
        plano = a_rango_simetrico(bloque, 255)
        for consultas, k in ((muestras, VECINAS_MEMORIZACION), (reserva, 1)):
            indices, distancias = vecinas_en_pixeles(consultas, plano, k)
            indices = indices + inicio
            if k in vecinas:  # las k mejores entre las de antes y las de este bloque
                indices, distancias = (np.concatenate([antes, ahora], axis=1)
                                       for antes, ahora in zip(vecinas[k], (indices, distancias)))
            orden = np.lexsort((indices, distancias), axis=1)[:, :k]
            vecinas[k] = np.take_along_axis(indices, orden, axis=1), np.take_along_axis(distancias, orden, axis=1)
        utiles = set(al_azar.tolist()) | {int(i) for cuales, _ in vecinas.values() for i in cuales.ravel()}
        guardadas = {i: imagen for i, imagen in guardadas.items() if i in utiles}
        guardadas |= {i: bloque[i - inicio].copy() for i in utiles if inicio <= i < inicio + len(bloque)}
        inicio += len(bloque)
    necesarias = {int(i) for cuales, _ in vecinas.values() for i in cuales.ravel()}
    relleno = [int(i) for i in al_azar if i not in necesarias][: max(0, maximo - len(necesarias))]
    indices = np.array(sorted(necesarias | set(relleno)))
    return indices, np.stack([guardadas[i] for i in indices])


def _al_azar(total, maximo, semilla):
    return np.random.default_rng(semilla).choice(total, maximo, replace=False)


def posiciones_coherentes(indices, total, reserva, semilla=0):
    """¿Pueden ser ``indices`` (las posiciones de las de entrenamiento de una entrega, que van en ``imagenes.npz``)
    las que ``imagenes_que_deciden`` elige entre ``total`` con ``reserva`` imágenes de reserva y la ``semilla``? Las
    que deciden son como mucho ``MUESTRAS_MEMORIZACION × VECINAS_MEMORIZACION + reserva``, así que las primeras al azar
    hasta ``MAX_ENTRENAMIENTO`` van siempre; con otro ``total`` (un manifiesto retocado) serían otras."""
    seguras = max(0, MAX_ENTRENAMIENTO - MUESTRAS_MEMORIZACION * VECINAS_MEMORIZACION - reserva)
    indices = np.asarray(indices)
    return bool(indices.ndim == 1 and np.issubdtype(indices.dtype, np.integer) and total < 2**63
                and 0 < len(indices) == entrenamiento_entregado(total) and (np.diff(indices) > 0).all()
                and indices[0] >= 0 and indices[-1] < total
                and np.isin(_al_azar(total, MAX_ENTRENAMIENTO, semilla)[:seguras], indices).all())


def entrenamiento_entregado(total):
    """Cuántas imágenes de entrenamiento van en la entrega de un entrenamiento con ``total``."""
    return min(total, MAX_ENTRENAMIENTO)


def imagenes_medibles(formas, forma):
    """¿Tienen las imágenes (``formas`` de ``formas_guardadas``) la ``forma`` que dibuja el generador, con alguna
    de entrenamiento y dos de reserva (lo mínimo para medir)?"""
    entrenamiento, reserva = formas["entrenamiento"], formas["reserva"]
    return tuple(entrenamiento[1:]) == forma and tuple(reserva[1:]) == forma and entrenamiento[0] >= 1 and reserva[0] >= 2


def sha256(contenido):
    return hashlib.sha256(contenido).hexdigest()
