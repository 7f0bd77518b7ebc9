"""La imagen escrita en frecuencias, como la optimiza L-BFGS en ``estilo.transferir_estilo``.

``en_frecuencias(base)`` escribe la imagen como ``base`` (la foto) más un cambio dado por su espectro de
Fourier, con las frecuencias bajas amplificadas (``EXPONENTE_FRECUENCIAS``): así las manchas grandes de
color pesan tanto como el detalle fino. ``imagen_de_espectro`` hace la cuenta inversa, del espectro a la imagen:
es la que ``optimizadores_estilo`` compila con el gradiente.
"""

import numpy as np
import tensorflow as tf

# Cuánto se amplifican las frecuencias bajas: elegido con benchmarks/velocidad_estilo.py y
# exponente_frecuencias.py (las medidas, en benchmarks/README.md).
EXPONENTE_FRECUENCIAS = 0.6


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
        return imagen_de_espectro(z, base, peso)

    a_imagen.base, a_imagen.peso = base, peso  # para optimizadores_estilo, que los recibe como datos
    return a_imagen, tf.zeros((1, 3, alto, ancho // 2 + 1, 2))


def _peso_frecuencias(alto, ancho):
    """``f^-EXPONENTE_FRECUENCIAS`` para cada frecuencia de ``rfft2d`` de una imagen ``alto × ancho``
    (complex64)."""
    lado = max(alto, ancho)
    frecuencia = np.hypot(np.fft.fftfreq(alto)[:, None] * lado, np.fft.rfftfreq(ancho)[None, :] * lado)
    return tf.constant(np.maximum(frecuencia, 1.0) ** -EXPONENTE_FRECUENCIAS, tf.complex64)


def imagen_de_espectro(z, base, peso):
    """``base`` más la transformada inversa del espectro ``z`` multiplicado por ``peso``."""
    real, imaginaria = tf.unstack(z, axis=-1)  # no z[..., 0]: su derivada es lenta en CPU
    forma = tf.shape(base)
    cambio = tf.signal.irfft2d(tf.complex(real, imaginaria) * peso, fft_length=forma[1:3])
    return base + tf.transpose(cambio, [0, 2, 3, 1])  # (1, 3, alto, ancho) → (1, alto, ancho, 3)
