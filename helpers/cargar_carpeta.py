"""Cargar en memoria, para entrenar, una carpeta (con subcarpetas) o un .zip de imágenes.

- ``imagenes_carpeta``: float32 ``(n, tamano, tamano, canales)`` en [-1, 1], la que usan los cuadernos;
  ``imagenes_carpeta_uint8``, en uint8 y con la cuarta parte de memoria, la que usa ``entrenar_carpeta``;
- ``comprobar_memoria``: antes de leer nada, si caben en la memoria libre (``memoria``) y, si no, qué hacer;
- ``cargar_imagenes``: el atajo de los cuadernos, que acepta además el nombre de un conjunto de ``datos``
  (``'digitos'``…).

Avisa de lo omitido, de lo que se amplía, de lo muy alargado y de lo repetido. Recorre la carpeta con
``carpeta_o_zip`` y cuadra cada imagen con ``encuadre``. Lo usan ``tarea`` y, a través de ``helpers``, los cuadernos.
"""

import difflib
import math
import re

import numpy as np

from .carpeta_o_zip import QUE_RUTA, error_sin_imagenes, primeros_motivos, recorrer_imagenes
from .datos import a_rango_simetrico, imagenes_digitos, imagenes_lfw, imagenes_mnist, imagenes_rostros
from .duplicados import huella_exacta
from .encuadre import aviso_alargadas, aviso_ampliadas, comprobar_encuadre, cuadrar, medida_si_alargada, medida_si_pequena
from .lectura import FONDO_OSCURO, aviso_sobre_negro
from .memoria import memoria_libre
from .opciones import exigir_enteros, exigir_ruta
from .textos import cifra, contar, miles, sin_tildes

# Bytes por valor de imagen (píxel × canal) que hay en memoria a la vez al cargar: imagenes_carpeta tiene la matriz
# uint8 y la float32 que devuelve (1 + 4); entrenar_carpeta, la uint8 y su parte de entrenamiento (1 + 0,85, y algo
# de margen).
BYTES_CUADERNO = 5
BYTES_ENTRENAR = 2
# Lo que se deja libre para TensorFlow, la red y el resto del sistema: si las imágenes piden más, no se cargan.
PARTE_PARA_IMAGENES = 0.8


def imagenes_carpeta(ruta, tamano=64, canales=3, tamano_minimo=16):
    """Carga una carpeta (con subcarpetas) o un .zip para entrenar: float32 ``(n, tamano, tamano, canales)`` en [-1, 1].

    Sirve para una carpeta ya preparada con ``preparar_imagenes`` y para una sin preparar (recorta el
    cuadrado central). Omite los archivos que no son imágenes utilizables y avisa nombrándolos; avisa
    también de las que miden menos de ``tamano`` px y se amplían, de las muy alargadas (más de 2:1: el cuadrado
    central tira más de la mitad), de los dibujos claros sobre fondo transparente, que se componen sobre negro, y de
    las que quedan idénticas a otra (p. ej. dos
    preparaciones de las mismas fotos en la carpeta), que se cargan igual: quitar las repetidas es cosa de
    ``preparar_imagenes(..., sin_duplicados=True)``.
    """
    return a_rango_simetrico(_cargar(ruta, tamano, canales, tamano_minimo, BYTES_CUADERNO), 255.0)


def imagenes_carpeta_uint8(ruta, tamano=64, canales=3, tamano_minimo=16):
    """Como ``imagenes_carpeta``, pero en uint8 en [0, 255]: la cuarta parte de memoria. Es lo que carga
    ``entrenar_carpeta``, que pasa cada lote a [-1, 1] al entrenar (``datos.a_dataset_uint8``)."""
    return _cargar(ruta, tamano, canales, tamano_minimo, BYTES_ENTRENAR)


def _cargar(ruta, tamano, canales, tamano_minimo, bytes_por_valor):
    """uint8 ``(n, tamano, tamano, canales)`` de ``imagenes_carpeta``, con sus avisos. Antes de abrir ningún archivo
    comprueba que caben ``bytes_por_valor`` bytes por valor de imagen (``comprobar_memoria``); se llenan en una
    matriz reservada de una vez, sin listas ni ``np.stack``, que tendrían dos copias a la vez."""
    comprobar_encuadre(canales, tamano)
    exigir_enteros(("tamano_minimo", tamano_minimo, 1))
    ruta = exigir_ruta("ruta", ruta, QUE_RUTA)
    imagenes, n, omitidos, ampliadas, alargadas, sobre_negro, vistas, iguales = None, 0, [], [], [], [], {}, []

    def reservar(archivos):
        nonlocal imagenes
        comprobar_memoria(archivos, tamano, canales, bytes_por_valor, ruta)
        try:
            imagenes = np.empty((archivos, tamano, tamano, canales), np.uint8)
        except MemoryError:  # donde no se sabe cuánta hay libre (Windows), el sistema la niega aquí, aún sin leer nada
            raise _no_caben(archivos, tamano, canales, bytes_por_valor, ruta, None) from None

    for nombre, imagen, fondo, reduccion, motivo in recorrer_imagenes(ruta, tamano_minimo, lado=tamano, al_contar=reservar):
        if motivo:
            omitidos.append((nombre, motivo))
            continue
        if medida := medida_si_pequena(imagen, reduccion, tamano):
            ampliadas.append((nombre, medida))
        if medida := medida_si_alargada(imagen, reduccion):
            alargadas.append((nombre, medida))
        if fondo == FONDO_OSCURO:
            sobre_negro.append(nombre)
        imagenes[n] = cuadrar(imagen, tamano, canales=canales)
        # p. ej. dos preparaciones de las mismas fotos dentro de la carpeta: cada foto se carga dos veces
        if (original := vistas.setdefault(huella_exacta(imagenes[n]), nombre)) != nombre:
            iguales.append((nombre, original))
        n += 1
    if not n:
        raise error_sin_imagenes(ruta, omitidos, tamano_minimo)
    if omitidos:
        print("\n".join([f"Aviso: omito {contar(len(omitidos), 'archivo', 'archivos')} de «{ruta}»:", *primeros_motivos(omitidos)]))
    if ampliadas:
        print(aviso_ampliadas(ampliadas, tamano))
    if alargadas:
        print(aviso_alargadas(alargadas))
    if sobre_negro:
        print(aviso_sobre_negro(sobre_negro))
    if iguales:
        son = "es idéntica" if len(iguales) == 1 else "son idénticas"
        print(f"Aviso: {contar(len(iguales), 'imagen', 'imágenes')} de «{ruta}» {son} a otra (p. ej. «{iguales[0][0]}» a "
              f"«{iguales[0][1]}») y se cargan todas: cuentan más de una vez. Si son dos preparaciones de las mismas "
              "fotos, indica solo una de las carpetas; para quitar las repetidas, prepáralas con sin_duplicados=True "
              "(en la terminal, --sin-duplicados).")
    return imagenes if n == len(imagenes) else imagenes[:n].copy()  # sin la parte reservada para las omitidas


def comprobar_memoria(n, tamano, canales, bytes_por_valor, ruta):
    """``ValueError`` en español, antes de leer nada, si ``n`` imágenes de ``ruta`` a ``tamano`` px no caben en la
    memoria libre (``memoria_libre``) con ``bytes_por_valor`` bytes por píxel y canal: sin él, el proceso moriría a
    mitad de la carga sin mensaje (en Colab, el entorno se reinicia y se pierde lo hecho)."""
    libres = memoria_libre()
    if libres is not None and n * tamano * tamano * canales * bytes_por_valor > PARTE_PARA_IMAGENES * libres:
        raise _no_caben(n, tamano, canales, bytes_por_valor, ruta, libres)


def _no_caben(n, tamano, canales, bytes_por_valor, ruta, libres):
    """El ``ValueError`` de ``comprobar_memoria`` (``libres``: bytes libres, o ``None`` si el sistema no lo dice y
    negó la memoria al pedirla), con qué hacer: menos píxeles, menos fotos o, desde el cuaderno, uint8."""
    necesarios = n * tamano * tamano * canales * bytes_por_valor
    disponibles = math.inf if libres is None else PARTE_PARA_IMAGENES * libres

    def gb(cuantos):
        return cifra(cuantos / 1e9, 1)

    menor = [lado for lado in (32, 64, 128) if lado < tamano and (libres is None or necesarios * lado**2 / tamano**2 <= disponibles)]
    opciones = [f"un tamaño menor (a {menor[-1]} px ocupan {gb(necesarios * menor[-1] ** 2 / tamano**2)} GB)"] if menor else []
    if libres is None:
        opciones.append("menos fotos (prepara solo una parte, elegida al azar, con preparar_imagenes(..., maximo=N) o, en "
                        "la terminal, python -m helpers preparar ... --maximo N)")
    else:
        caben = int(disponibles / (tamano * tamano * canales * bytes_por_valor))
        opciones.append(f"menos fotos (caben unas {miles(caben)} a {tamano} px: prepara solo esas, elegidas al azar, con "
                        f"preparar_imagenes(..., maximo={caben}) o, en la terminal, python -m helpers preparar ... "
                        f"--maximo {caben})")
    en_uint8 = necesarios * BYTES_ENTRENAR / bytes_por_valor
    if bytes_por_valor > BYTES_ENTRENAR and en_uint8 <= disponibles:  # si tampoco caben, no es salida
        opciones.append(f"entrenar_carpeta (en la terminal, python -m helpers entrenar), que las guarda en uint8 y ocupa "
                        f"{gb(en_uint8)} GB")
    hay = ("el sistema no puede dárselos: no caben" if libres is None else f"hay {gb(libres)} GB libres: no caben, y el "
           "proceso se cortaría a mitad sin avisar (en Colab, el entorno se reinicia y pierdes lo hecho)")
    return ValueError(f"Tus {miles(n)} archivos de «{ruta}» a {tamano} px necesitan {gb(necesarios)} GB de memoria y {hay}. "
                      f"No he leído nada. Usa {'; o '.join(opciones)}.")


def cargar_imagenes(conjunto="digitos", tamano=None, canales=None):
    """Atajo de los cuadernos; devuelve float32 ``(n, tamano, tamano, canales)`` en [-1, 1].

    ``conjunto``: ``'digitos'`` (sin red, 16 px), ``'rostros'`` (sin red, 32 px), ``'mnist'`` o
    ``'fashion_mnist'`` (28 px, con red), ``'lfw'`` (64 px, color, con red) o la ruta de una carpeta
    o un ``.zip`` con tus imágenes (32 px, color por defecto; ver ``imagenes_carpeta``). ``canales``:
    1 (gris) o 3 (color); los conjuntos que solo existen en gris repiten el gris en los tres canales si
    pides 3.
    """
    if canales not in (None, 1, 3):
        raise ValueError(f"canales={canales!r} no es válido: usa 1 (gris) o 3 (color).")
    en_gris = None
    if conjunto == "digitos":
        en_gris = imagenes_digitos(16 if tamano is None else tamano)[0]
    elif conjunto == "rostros":
        en_gris = imagenes_rostros(32 if tamano is None else tamano)
    elif conjunto in ("mnist", "fashion_mnist"):
        en_gris = imagenes_mnist(conjunto, 28 if tamano is None else tamano)[0]
    if en_gris is not None:
        return np.repeat(en_gris, 3, axis=-1) if canales == 3 else en_gris
    if conjunto == "lfw":
        return imagenes_lfw(64 if tamano is None else tamano, color=canales != 1)
    nombres = ["digitos", "rostros", "mnist", "fashion_mnist", "lfw"]
    conocidos = ", ".join(map(repr, nombres[:-1])) + f" o {nombres[-1]!r}"
    ruta = exigir_ruta("conjunto", conjunto, f"un conjunto ({conocidos}) o la carpeta o el .zip de tus imágenes")
    if not ruta.exists():
        # «Dígitos», «rostro», «Fashion-MNIST»: un conjunto del curso mal escrito, no una ruta.
        escrito = re.sub(r"[\s-]+", "_", sin_tildes(str(conjunto)).strip())
        parecido = difflib.get_close_matches(escrito, nombres, n=1, cutoff=0.8)
        que_hacer = (f"¿Querías decir conjunto={parecido[0]!r}? Sus nombres van en minúscula y sin tildes." if parecido
                     else "Revisa la ruta.")
        raise ValueError(f"conjunto={conjunto!r} no es un conjunto conocido ({conocidos}) ni una carpeta o .zip que "
                         f"exista. {que_hacer}")
    return imagenes_carpeta(ruta, 32 if tamano is None else tamano, canales or 3)
