"""Preservar el color de la foto en ``estilo.transferir_estilo(…, preservar_color=True)`` (Gatys et al., 2016).

Se transfiere solo la luminancia: la foto y la pintura se pasan a gris (``luminancia``; la pintura, con el
brillo de la foto) y, al final, la imagen optimizada recibe los colores de la foto (``con_color_de``). Las
dos usan el espacio YIQ: Y es la luminancia; I y Q, el color.
"""

import numpy as np
import skimage.color


def luminancia(imagen, referencia=None):
    """Luminancia Y de ``imagen`` repetida en 3 canales, [0, 255]. Con ``referencia``, ajustada a su
    media y desviación para que el estilo no arrastre su brillo (Gatys et al., 2016)."""
    y = skimage.color.rgb2yiq(imagen / 255.0)[..., 0]
    if referencia is not None:
        y_referencia = skimage.color.rgb2yiq(referencia / 255.0)[..., 0]
        y = (y - y.mean()) / (y.std() + 1e-8) * y_referencia.std() + y_referencia.mean()
    return np.repeat(np.clip(y, 0, 1)[..., None] * 255.0, 3, axis=-1).astype(np.float32)


def con_color_de(estilizada, original):
    """Luminancia de ``estilizada`` con el color (canales I y Q) de ``original``; ambas en [0, 255]."""
    yiq = skimage.color.rgb2yiq(original / 255.0)
    yiq[..., 0] = skimage.color.rgb2yiq(estilizada / 255.0)[..., 0]
    return np.clip(skimage.color.yiq2rgb(yiq), 0, 1) * 255.0
