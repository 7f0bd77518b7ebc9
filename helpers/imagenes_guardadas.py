"""El ``imagenes.npz`` de un entrenamiento: sus imágenes en uint8, las de ``entrenamiento`` y las de ``reserva``, tal
como se entrenó y se midió (lo escribe ``tarea.entrenar_carpeta``, y ``entrega`` lo lleva en el .zip).

- ``formas_guardadas``: la forma de cada parte, sin leer sus imágenes;
- ``bloques_guardados``: las imágenes de una parte en bloques consecutivos (con decenas de miles, leerlas de una
  vez ocuparía gigas);
- ``leer_imagenes_guardadas``: una parte entera en una matriz (la reserva, o unas pocas).

Un archivo dañado, cortado o sin lotes de imágenes uint8 da un ``ValueError`` en español que dice por qué; uno sin
permiso de lectura, el ``PermissionError`` del sistema. Lo usan
``reanudacion`` (al continuar, para comprobar que las imágenes son las mismas), ``entrega`` (con
``comprobacion_entrega``, que comprueba sus formas y lee la reserva) y la revisión (``medida_entrega``). Solo usa
NumPy y la biblioteca estándar.
"""

import contextlib
import math
import zipfile

import numpy as np

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
    except PermissionError:  # no está dañado: el error del sistema nombra el archivo, y quien lo muestra lo explica
        raise
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
    abierto), todas en una matriz ``(n, alto, ancho, canales)``: para la reserva (como mucho ``tarea.MAX_RESERVA``)
    o unas pocas; las de entrenamiento de una colección grande, mejor por partes con ``bloques_guardados``. Lo que no
    se puede leer lanza ``ValueError`` como ``formas_guardadas``."""
    bloques = list(bloques_guardados(archivo, parte))
    if not bloques:  # una parte sin imágenes no da ningún bloque
        return np.empty(formas_guardadas(archivo)[parte], np.uint8)
    return np.concatenate(bloques)
