"""Copias exactas y casi idénticas entre las imágenes de una colección (``preparar --sin-duplicados``).

Cada imagen aceptada deja su huella (``huella``: forma, color y detalle de unas miniaturas; ``huella_exacta``: sus
píxeles) en ``Vistas``, que dice de cada imagen nueva si repite una anterior. Los umbrales se eligieron con
``benchmarks/casi_duplicados.py`` (falsas alarmas entre imágenes distintas y copias retocadas reconocidas).
"""

import hashlib
import itertools

import numpy as np
from PIL import Image

UMBRAL_FORMA = 6  # casi iguales: como mucho 6 bits distintos (de 64) en la huella dHash…
UMBRAL_COLOR = 20  # …y una diferencia media de color (0–255) de 20 como mucho, también en el tono de cada canal…
UMBRAL_CASILLA = 40  # …y de 40 como mucho en cada casilla de otra miniatura, de DETALLE×DETALLE
DETALLE = 16  # a 9×8, los ojos o la boca de dos emojis distintos caben en la misma casilla
BITS_POR_BYTE = np.array([bin(i).count("1") for i in range(256)], np.uint8)


def huella(imagen):
    """Forma (dHash de 64 bits en 8 bytes: ¿crece el brillo hacia la derecha?) y color de una miniatura de 9×8, y
    el detalle: una miniatura de ``DETALLE``×``DETALLE``.

    Resiste la recompresión y los cambios leves de brillo; el color separa imágenes lisas distintas, y el detalle,
    dibujos que solo difieren en algo pequeño (los ojos de un emoji, un sprite en otro sitio).
    """
    miniatura = Image.fromarray(imagen).resize((9, 8), Image.Resampling.BOX)
    gris = np.asarray(miniatura.convert("L"), np.int16)
    detalle = np.asarray(Image.fromarray(imagen).resize((DETALLE, DETALLE), Image.Resampling.BOX), np.float32)
    return np.packbits(gris[:, 1:] > gris[:, :-1]), np.asarray(miniatura, np.float32), detalle


def huella_exacta(imagen):
    """SHA-1 de la forma y los píxeles de ``imagen``: dos imágenes solo la comparten si son copias exactas (sin la
    forma, una lisa de 100×200 y otra del mismo color de 200×100 la compartirían)."""
    return hashlib.sha1(repr(imagen.shape).encode() + imagen.tobytes()).digest()


class Vistas:
    """Huellas de las imágenes ya aceptadas, para reconocer copias exactas y casi iguales.

    Las huellas viven en matrices que crecen por bloques, en uint8 (las miniaturas de ``huella`` ya lo son: no se
    pierde nada). Comparar cada imagen con todas las anteriores crecería con el cuadrado de las imágenes. Por el
    principio del palomar, si dos formas de 64 bits difieren en ``UMBRAL_FORMA`` bits o menos, en alguna de sus
    ``BANDAS`` bandas de 16 bits difieren en ``UMBRAL_FORMA // BANDAS`` o menos: un índice por banda, consultado con
    esos bits cambiados de todas las maneras, da todas las candidatas, y solo ellas se comparan.
    """

    BANDAS = 4

    def __init__(self):
        self.exactas, self.nombres = {}, []
        self.formas = np.zeros((256, 8), np.uint8)
        self.colores = np.zeros((256, 8, 9, 3), np.uint8)
        self.detalles = np.zeros((256, DETALLE, DETALLE, 3), np.uint8)
        self._indices = [{} for _ in range(self.BANDAS)]  # por banda: su valor → imágenes que lo tienen, en orden
        bits = 64 // self.BANDAS
        self._cambios = [sum(1 << b for b in cuales) for r in range(UMBRAL_FORMA // self.BANDAS + 1)
                         for cuales in itertools.combinations(range(bits), r)]

    def _claves(self, forma):
        entero, bits = int.from_bytes(forma.tobytes(), "big"), 64 // self.BANDAS
        return [(entero >> (bits * banda)) & ((1 << bits) - 1) for banda in range(self.BANDAS)]

    def candidatas(self, forma):
        """Índices, de menor a mayor, de las anteriores con alguna banda a ``UMBRAL_FORMA // BANDAS`` bits o menos de
        la de ``forma``: entre ellas están todas las que difieren en ``UMBRAL_FORMA`` bits o menos."""
        listas = [lista for indice, clave in zip(self._indices, self._claves(forma)) for cambio in self._cambios
                  if (lista := indice.get(clave ^ cambio))]
        return np.unique(np.fromiter(itertools.chain(*listas), np.int64, sum(map(len, listas))))

    def casi_igual(self, forma, color, detalle):
        """Índice de la primera anterior (la de menor índice) casi igual a la huella dada, o ``None``."""
        candidatas = self.candidatas(forma)
        bits = BITS_POR_BYTE[self.formas[candidatas] ^ forma].sum(axis=1, dtype=np.int32)
        candidatas = candidatas[bits <= UMBRAL_FORMA]
        colores = self.colores[candidatas].astype(np.float32)
        diferencia = np.abs(colores - color).mean(axis=(1, 2, 3))
        # También el tono: con zonas oscuras grandes, las mismas rayas en morado y en oliva difieren poco de media.
        tono = np.abs(colores.mean(axis=(1, 2)) - color.mean(axis=(0, 1))).max(axis=1)
        # Y casilla a casilla, con más detalle: un dibujo pequeño sobre un fondo liso (sprites, productos sobre blanco,
        # los ojos de un emoji) apenas mueve la media ni la forma, pero cambia mucho las casillas donde está.
        casilla = np.abs(self.detalles[candidatas].astype(np.float32) - detalle).mean(axis=3).max(axis=(1, 2))
        parecidas = candidatas[(diferencia <= UMBRAL_COLOR) & (tono <= UMBRAL_COLOR) & (casilla <= UMBRAL_CASILLA)]
        return int(parecidas[0]) if len(parecidas) else None

    def apuntar(self, forma, color, detalle, nombre, resumen=None):
        """Apunta la huella de la imagen ``nombre`` (y, si se da, su ``resumen`` de ``huella_exacta``)."""
        n = len(self.nombres)
        if n == len(self.formas):
            self.formas = np.concatenate([self.formas, np.zeros_like(self.formas)])
            self.colores = np.concatenate([self.colores, np.zeros_like(self.colores)])
            self.detalles = np.concatenate([self.detalles, np.zeros_like(self.detalles)])
        if resumen is not None:
            self.exactas[resumen] = nombre
        self.formas[n], self.colores[n], self.detalles[n] = forma, color, detalle
        for indice, clave in zip(self._indices, self._claves(forma)):
            indice.setdefault(clave, []).append(n)
        self.nombres.append(nombre)

    def duplicado(self, imagen, nombre):
        """Motivo si ``imagen`` repite una anterior; si no, la apunta y devuelve ``None``."""
        resumen = huella_exacta(imagen)
        if resumen in self.exactas:
            return f"copia exacta de «{self.exactas[resumen]}»"
        forma, color, detalle = huella(imagen)
        if (anterior := self.casi_igual(forma, color, detalle)) is not None:
            return f"casi idéntica a «{self.nombres[anterior]}»"
        self.apuntar(forma, color, detalle, nombre, resumen)
        return None
