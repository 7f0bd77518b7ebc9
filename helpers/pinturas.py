"""Imágenes de estilo que no necesitan conexión: pinturas generadas y texturas de ``skimage``.

Sin internet no se pueden descargar cuadros (con conexión, ver ``estilo.PINTURAS_EN_LINEA``). Estas
funciones dibujan con PIL composiciones de pinceladas o de formas geométricas; todas devuelven una
matriz RGB float32 en [0, 255] de forma ``(tamano, tamano, 3)`` (de 16 a ``LADO_MAXIMO``, 4096 px) y
dependen solo de ``semilla``.
"""

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from .imagenes_estilo import LADO_MAXIMO
from .opciones import es_entero, exigir_semilla
from .textos import sin_tildes

PINCELADAS_MAXIMAS = 50000  # 20 veces las de por defecto (que ya cubren el lienzo); cada una, unos 0,3 ms

PALETAS = {
    "noche": ["#0b1d4d", "#1f3f8f", "#3a6fb5", "#7fb2d9", "#f2d64b", "#e9a81c", "#16324f"],
    "otoño": ["#5b1f0e", "#a63d17", "#e0772b", "#f2b441", "#7a5c2e", "#3e2a14", "#d9c27e"],
    "mar": ["#0a3d4f", "#13677a", "#3aa0a8", "#9fd8d1", "#f4f1e6", "#1d4e89", "#c9e4e7"],
    "fuego": ["#2b0a0a", "#7d1010", "#c7301a", "#f06c1d", "#f9b233", "#fde68a", "#4a1c40"],
}


def _comprobar_tamano(tamano):
    """``ValueError`` en español si ``tamano`` no es un lado de 16 a ``LADO_MAXIMO`` píxeles: con más, el
    lienzo no cabría en memoria (o tardaría minutos) y la transferencia de estilo lo reduciría igualmente."""
    if not es_entero(tamano, 16, LADO_MAXIMO):
        raise ValueError(f"tamano={tamano!r} no es válido: debe ser un entero de 16 a {LADO_MAXIMO} píxeles de lado "
                         "(p. ej. 512).")


def pintura_pinceladas(tamano=512, paleta="noche", semilla=0, pinceladas=2500):
    """Pinceladas gruesas y curvas que siguen remolinos, al modo postimpresionista.

    Cada pincelada avanza a lo largo de un campo de direcciones que gira alrededor de unos centros
    al azar; su color sale de ``PALETAS[paleta]`` según una onda suave de la posición, de modo que se
    forman zonas de color como en un cuadro y no ruido. ``pinceladas``: de 1 a ``PINCELADAS_MAXIMAS`` (50000).
    """
    _comprobar_tamano(tamano)
    if not es_entero(pinceladas, 1, PINCELADAS_MAXIMAS):  # 10**8 tardaría horas sin decir nada
        raise ValueError(f"pinceladas={pinceladas!r} no es válido: debe ser un entero de 1 a {PINCELADAS_MAXIMAS} (con "
                         "las 2500 de por defecto ya se cubre el lienzo; más solo tarda más).")
    # Sin ñ en el teclado, «otono» también vale.
    elegida = {sin_tildes(nombre): nombre for nombre in PALETAS}.get(sin_tildes(str(paleta)))
    if elegida is None:
        raise ValueError(f"paleta={paleta!r} no existe: usa una de {', '.join(repr(p) for p in PALETAS)}.")
    azar = np.random.default_rng(exigir_semilla(semilla))
    colores = PALETAS[elegida]
    lienzo = Image.new("RGB", (tamano, tamano), colores[0])
    dibujo = ImageDraw.Draw(lienzo)
    centros = azar.uniform(0, tamano, (4, 2))
    sentidos = azar.choice([-1.0, 1.0], 4)
    fases = azar.uniform(0, 2 * np.pi, 2)

    def direccion(punto):
        """Ángulo del campo en ``punto``: suma de giros alrededor de cada centro, más fuerte cerca."""
        relativos = punto - centros
        distancias = np.hypot(*relativos.T) + tamano / 10
        tangentes = sentidos[:, None] * np.stack([-relativos[:, 1], relativos[:, 0]], axis=1) / distancias[:, None] ** 2
        return np.arctan2(*tangentes.sum(axis=0)[::-1])

    for _ in range(pinceladas):
        punto = azar.uniform(0, tamano, 2)
        onda = np.sin(punto[0] / tamano * 5 + fases[0]) + np.cos(punto[1] / tamano * 4 + fases[1])
        indice = int(np.clip((onda + 2) / 4 * len(colores) + azar.normal(0, 0.8), 0, len(colores) - 1))
        trazo, paso = [tuple(punto)], tamano / 80
        for _ in range(azar.integers(4, 10)):
            punto = punto + paso * np.array([np.cos(direccion(punto)), np.sin(direccion(punto))])
            trazo.append(tuple(punto))
        dibujo.line(trazo, fill=colores[indice], width=int(azar.integers(tamano // 90 + 2, tamano // 40 + 3)), joint="curve")
    return np.asarray(lienzo.filter(ImageFilter.SMOOTH), np.float32)


def pintura_geometrica(tamano=512, estilo="kandinsky", semilla=0):
    """Composición geométrica: ``"mondrian"`` (retícula negra con rectángulos de colores primarios) o
    ``"kandinsky"`` (círculos concéntricos, triángulos y líneas sobre fondo crema)."""
    _comprobar_tamano(tamano)
    azar = np.random.default_rng(exigir_semilla(semilla))
    elegido = sin_tildes(str(estilo))  # «Mondrian», como se escribe el nombre del pintor
    if elegido == "mondrian":
        return _mondrian(tamano, azar)
    if elegido != "kandinsky":
        raise ValueError(f"estilo={estilo!r} no existe: usa \"mondrian\" o \"kandinsky\".")
    lienzo = Image.new("RGB", (tamano, tamano), "#efe6cf")
    dibujo = ImageDraw.Draw(lienzo)
    colores = ["#1b1b1b", "#c2272d", "#1d4e89", "#f2b441", "#2a7f62", "#7a3b69", "#e97451"]
    for _ in range(12):  # líneas finas que cruzan el cuadro
        extremos = azar.uniform(0, tamano, 4)
        dibujo.line(tuple(extremos), fill=colores[0], width=int(azar.integers(2, tamano // 100 + 4)))
    for _ in range(7):
        vertices = azar.uniform(0, tamano, (3, 2))
        dibujo.polygon([tuple(v) for v in vertices], fill=colores[azar.integers(1, len(colores))])
    for _ in range(9):  # círculos con anillos concéntricos, el motivo más reconocible
        centro, radio = azar.uniform(0, tamano, 2), azar.uniform(tamano / 25, tamano / 7)
        for anillo in np.linspace(1, 0.3, azar.integers(1, 4)):
            r = radio * anillo
            dibujo.ellipse((*(centro - r), *(centro + r)), fill=colores[azar.integers(len(colores))])
    return np.asarray(lienzo, np.float32)


def _mondrian(tamano, azar):
    """Parte el lienzo en rectángulos al azar y colorea unos pocos de rojo, azul o amarillo."""
    lienzo = Image.new("RGB", (tamano, tamano), "#f5f3ea")
    dibujo = ImageDraw.Draw(lienzo)
    rectangulos, minimo = [(0, 0, tamano, tamano)], tamano // 6
    for _ in range(12):
        x0, y0, x1, y1 = rectangulos.pop(int(azar.integers(len(rectangulos))))
        if x1 - x0 > y1 - y0 and x1 - x0 > 2 * minimo:
            corte = int(azar.integers(x0 + minimo, x1 - minimo))
            rectangulos += [(x0, y0, corte, y1), (corte, y0, x1, y1)]
        elif y1 - y0 > 2 * minimo:
            corte = int(azar.integers(y0 + minimo, y1 - minimo))
            rectangulos += [(x0, y0, x1, corte), (x0, corte, x1, y1)]
        else:
            rectangulos.append((x0, y0, x1, y1))
    for rectangulo in rectangulos:
        color = azar.choice(["#f5f3ea"] * 4 + ["#d52b1e", "#1c3f94", "#f7d116"])
        dibujo.rectangle(rectangulo, fill=str(color), outline="#111111", width=max(3, tamano // 60))
    return np.asarray(lienzo, np.float32)


def textura(nombre="ladrillo"):
    """Fotografía de textura de ``skimage.data`` en gris, como RGB en [0, 255] ``(512, 512, 3)``:
    ``"ladrillo"``, ``"hierba"`` o ``"grava"``."""
    import skimage.data

    cargadores = {"ladrillo": skimage.data.brick, "hierba": skimage.data.grass, "grava": skimage.data.gravel}
    if (cargar := cargadores.get(sin_tildes(str(nombre)))) is None:
        raise ValueError(f"No hay textura «{nombre}»: elige entre {', '.join(cargadores)}.")
    return np.repeat(cargar()[..., None], 3, axis=-1).astype(np.float32)
