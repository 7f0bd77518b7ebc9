"""Dibuja las figuras de las lecciones (``lessons/``) como PNG en esta carpeta.

Uso: ``python images/dibujar_figuras.py`` regenera todas. Cada figura es una función corta que
devuelve la ruta del PNG; ``dibujar_todas`` las llama a todas. Se usan matplotlib y NumPy (y una
foto de ``skimage.data`` para la matriz de Gram), así que no hace falta red, y de ``helpers`` solo la
coma decimal de los ejes, como en las gráficas de los cuadernos.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # sin ventana: el script solo escribe archivos
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch, Rectangle  # noqa: E402

from helpers.graficos import con_coma_decimal  # noqa: E402
from helpers.textos import cifra  # noqa: E402

AZUL, ROJO, VERDE, GRIS = "#4C72B0", "#C44E52", "#55A868", "#8C8C8C"
CLARO = {AZUL: "#DCE6F2", ROJO: "#F4DCDD", VERDE: "#DDEEDF", GRIS: "#EEEEEE"}


# --- piezas comunes ------------------------------------------------------------------------------


def caja(eje, x, y, texto, color=GRIS, ancho=1.8, alto=0.8, tamano=11, negrita=False):
    """Caja redondeada centrada en (x, y) con ``texto`` dentro."""
    eje.add_patch(
        FancyBboxPatch(
            (x - ancho / 2, y - alto / 2), ancho, alto, boxstyle="round,pad=0.02,rounding_size=0.12",
            facecolor=CLARO[color], edgecolor=color, linewidth=1.6,
        )
    )
    eje.text(x, y, texto, ha="center", va="center", fontsize=tamano, fontweight="bold" if negrita else "normal")


def flecha(eje, inicio, fin, color="0.25", texto=None, discontinua=False, curva=0.0, desplazamiento=(0, 0.18)):
    """Flecha de ``inicio`` a ``fin`` con un rótulo opcional junto a su punto medio."""
    eje.add_patch(
        FancyArrowPatch(
            inicio, fin, arrowstyle="-|>", mutation_scale=16, color=color, linewidth=1.5,
            linestyle="--" if discontinua else "-", connectionstyle=f"arc3,rad={curva}",
        )
    )
    if texto:
        medio = ((inicio[0] + fin[0]) / 2 + desplazamiento[0], (inicio[1] + fin[1]) / 2 + desplazamiento[1])
        eje.text(*medio, texto, ha="center", va="bottom", fontsize=9, color=color)


def lienzo(ancho, alto, limites_x, limites_y):
    """Figura con un solo eje sin marcas y con la escala 1:1 que usan los diagramas."""
    figura, eje = plt.subplots(figsize=(ancho, alto))
    eje.set_xlim(*limites_x)
    eje.set_ylim(*limites_y)
    eje.set_aspect("equal")
    eje.axis("off")
    return figura, eje


def guardar(figura, carpeta, nombre):
    ruta = Path(carpeta) / nombre
    ruta.parent.mkdir(parents=True, exist_ok=True)
    con_coma_decimal(figura).savefig(ruta, dpi=120, bbox_inches="tight", facecolor="white")
    plt.close(figura)
    return ruta


# --- figuras ------------------------------------------------------------------------------------


def arquitectura_gan(carpeta):
    """z → G → muestra generada → D ← datos reales; D responde «real» o «generada»."""
    figura, eje = lienzo(10, 3.6, (-0.2, 11.6), (-0.1, 4.2))
    caja(eje, 0.9, 3.0, "vector latente\nz ~ N(0, I)", ancho=2.0, alto=1.0, tamano=10)
    caja(eje, 3.7, 3.0, "Generador\nG", AZUL, ancho=1.6, alto=1.0, negrita=True)
    caja(eje, 6.3, 3.0, "muestra generada\nG(z)", AZUL, ancho=2.3, alto=1.0, tamano=10)
    caja(eje, 6.3, 0.6, "datos reales\nx ~ p_datos", VERDE, ancho=2.1, alto=1.0, tamano=10)
    caja(eje, 8.7, 1.8, "Discriminador\nD", ROJO, ancho=2.2, alto=1.0, negrita=True)  # «Discriminador» cabe entero
    eje.text(10.3, 1.8, "D(·) ∈ [0, 1]\n¿real o\ngenerada?", ha="left", va="center", fontsize=10)
    flecha(eje, (1.9, 3.0), (2.9, 3.0))
    flecha(eje, (4.5, 3.0), (5.1, 3.0))
    flecha(eje, (7.45, 2.9), (8.0, 2.3))
    flecha(eje, (7.35, 0.7), (8.0, 1.3))
    flecha(eje, (9.8, 1.8), (10.25, 1.8))
    flecha(eje, (8.7, 2.35), (3.9, 3.55), ROJO, discontinua=True, curva=0.35)
    eje.text(6.3, 3.95, "el gradiente de D le indica a G cómo mejorar", ha="center", fontsize=9, color=ROJO)
    return guardar(figura, carpeta, "arquitectura_gan.png")


def _normal(x, media, desviacion):
    return np.exp(-0.5 * ((x - media) / desviacion) ** 2) / (desviacion * np.sqrt(2 * np.pi))


def discriminador_optimo(carpeta):
    """Para un G fijo, el mejor D es D*(x) = p_datos(x) / (p_datos(x) + p_g(x))."""
    x = np.linspace(-4, 4, 400)
    p_datos = 0.5 * _normal(x, -1.5, 0.5) + 0.5 * _normal(x, 1.5, 0.5)
    p_g = _normal(x, 0.3, 1.0)
    figura, eje = plt.subplots(figsize=(8, 3.6))
    eje.fill_between(x, p_datos, color="0.8", label="p_datos(x): datos reales")
    eje.plot(x, p_g, color=AZUL, lw=2, label="p_g(x): generador")
    eje.plot(x, p_datos / (p_datos + p_g), color=ROJO, lw=2, label="D*(x) = p_datos / (p_datos + p_g)")
    eje.axhline(0.5, color=ROJO, lw=0.8, ls=":", label="D = ½: equilibrio, cuando p_g = p_datos")
    eje.set_xlabel("x")
    eje.set_ylim(0, 1.05)
    eje.set_xlim(-4, 4)
    eje.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=9, frameon=False)
    eje.set_title("El discriminador óptimo para un generador fijo")
    return guardar(figura, carpeta, "discriminador_optimo.png")


def bucle_entrenamiento(carpeta):
    """Las dos etapas de cada paso: primero se entrena D, luego G a través de D congelado."""
    figura, (eje1, eje2) = plt.subplots(2, 1, figsize=(10, 6.4))
    for eje in (eje1, eje2):
        eje.set_xlim(-0.2, 11.2)
        eje.set_ylim(-0.3, 2.7)
        eje.set_aspect("equal")
        eje.axis("off")

    eje1.set_title("Etapa 1: se entrena el discriminador (solo cambian los pesos de D)", fontsize=12, loc="left")
    caja(eje1, 1.0, 2.0, "lote real x", VERDE, ancho=1.9, alto=0.7, tamano=10)
    caja(eje1, 1.0, 0.5, "z → G (fijo)", GRIS, ancho=1.9, alto=0.7, tamano=10)
    caja(eje1, 4.0, 1.25, "D", ROJO, ancho=1.2, alto=0.9, negrita=True)
    caja(eje1, 7.4, 1.25, "pérdida de D\nreales → 1, generadas → 0", ancho=3.2, alto=0.9, tamano=10)
    eje1.text(9.35, 1.25, "actualiza\nsolo D", ha="left", va="center", fontsize=10, color=ROJO)
    flecha(eje1, (1.95, 2.0), (3.4, 1.45))
    flecha(eje1, (1.95, 0.5), (3.4, 1.05))
    flecha(eje1, (4.6, 1.25), (5.8, 1.25))

    eje2.set_title("Etapa 2: se entrena el generador a través de D congelado", fontsize=12, loc="left")
    caja(eje2, 1.0, 1.25, "z ~ N(0, I)", GRIS, ancho=1.9, alto=0.7, tamano=10)
    caja(eje2, 3.2, 1.25, "G", AZUL, ancho=1.0, alto=0.9, negrita=True)
    caja(eje2, 5.0, 1.25, "D\n(congelado)", GRIS, ancho=1.6, alto=0.9, tamano=10)
    caja(eje2, 7.7, 1.25, "pérdida de G\n−log D(G(z))", ancho=2.6, alto=0.9, tamano=10)
    eje2.text(9.35, 1.25, "actualiza\nsolo G", ha="left", va="center", fontsize=10, color=AZUL)
    flecha(eje2, (1.95, 1.25), (2.7, 1.25))
    flecha(eje2, (3.7, 1.25), (4.2, 1.25))
    flecha(eje2, (5.8, 1.25), (6.4, 1.25))
    flecha(
        eje2, (7.7, 0.75), (3.2, 0.75), AZUL, texto="el gradiente atraviesa D hasta G",
        discontinua=True, curva=-0.25, desplazamiento=(0, -0.75),
    )
    figura.tight_layout()
    return guardar(figura, carpeta, "bucle_entrenamiento.png")


def _bloque(eje, x, lado, capas, color, rotulo):
    """Un tensor lado×lado×canales visto de frente: ``capas`` cuadrados apilados.

    Devuelve la x de su borde derecho, para colocar la flecha siguiente.
    """
    for capa in range(capas - 1, -1, -1):
        esquina = (x + 0.1 * capa, -lado / 2 + 0.1 * capa)
        eje.add_patch(Rectangle(esquina, lado, lado, facecolor=CLARO[color], edgecolor=color, lw=1))
    eje.text(x + lado / 2, -lado / 2 - 0.25, rotulo, ha="center", va="top", fontsize=10)
    return x + lado + 0.1 * (capas - 1)


def generador_dcgan(carpeta):
    """El generador DCGAN de 16×16 del curso: 4×4 → 8×8 → 16×16, duplicando el lado en cada bloque."""
    figura, eje = lienzo(11, 4.4, (-0.2, 13.6), (-2.9, 2.5))
    caja(eje, 0.55, 0, "z\n(64)", GRIS, ancho=1.0, alto=1.0)
    # Lados dibujados en proporción al lado real (4, 8, 16); el número de capas sugiere los canales.
    borde = _bloque(eje, 2.9, 0.8, 8, AZUL, "4×4×128")
    flecha(eje, (1.1, 0), (2.8, 0), texto="Dense +\nReshape")
    inicio = borde + 1.9
    flecha(eje, (borde + 0.15, 0), (inicio - 0.1, 0), AZUL, texto="ConvT ×2\nBN + ReLU")
    borde = _bloque(eje, inicio, 1.6, 4, AZUL, "8×8×64")
    inicio = borde + 1.9
    flecha(eje, (borde + 0.15, 0), (inicio - 0.1, 0), VERDE, texto="ConvT ×2\ntanh")
    _bloque(eje, inicio, 3.2, 1, VERDE, "16×16×1: imagen en [−1, 1]")
    eje.text(
        6.7, 2.15, "ConvT ×2: Conv2DTranspose con núcleo 4 y paso 2, que duplica el lado", ha="center", fontsize=10
    )
    nota = "BN = normalización por lotes; la capa de salida no la lleva"
    eje.text(6.7, -2.75, nota, ha="center", fontsize=9, color="0.35")
    return guardar(figura, carpeta, "generador_dcgan.png")


def colapso_de_modos(carpeta):
    """Ilustración (puntos sintéticos, no un entrenamiento): anillo de 8 modos y dos generadores."""
    rng = np.random.default_rng(0)
    angulos = 2 * np.pi * np.arange(8) / 8
    centros = 2 * np.stack([np.cos(angulos), np.sin(angulos)], 1)
    reales = centros[rng.integers(8, size=800)] + 0.08 * rng.standard_normal((800, 2))
    colapsado = centros[rng.choice([1, 2], size=800)] + 0.05 * rng.standard_normal((800, 2))
    diverso = centros[rng.integers(8, size=800)] + 0.12 * rng.standard_normal((800, 2))
    figura, ejes = plt.subplots(1, 3, figsize=(10, 3.6))
    for eje, puntos, color, titulo in (
        (ejes[0], reales, "0.4", "datos reales: 8 modos"),
        (ejes[1], colapsado, ROJO, "colapso de modos:\nG solo produce 2 modos"),
        (ejes[2], diverso, AZUL, "G sano: cubre los 8 modos"),
    ):
        eje.scatter(centros[:, 0], centros[:, 1], s=260, facecolors="none", edgecolors="0.75")
        eje.scatter(puntos[:, 0], puntos[:, 1], s=3, color=color)
        eje.set_title(titulo, fontsize=11)
        eje.set_xlim(-3, 3)
        eje.set_ylim(-3, 3)
        eje.set_aspect("equal")
        eje.set_xticks([])
        eje.set_yticks([])
    nota = "Ilustración con puntos sintéticos, no un entrenamiento real"
    figura.text(0.5, 0.1, nota, ha="center", fontsize=9, color="0.4")
    return guardar(figura, carpeta, "colapso_de_modos.png")


def _mapas_de_ejemplo(lado=32):
    """Cuatro «mapas de características» hechos a mano sobre una foto: bordes y brillo."""
    from skimage import data, transform

    foto = transform.resize(data.camera().astype(np.float32) / 255.0, (lado, lado), anti_aliasing=True)
    gy, gx = np.gradient(foto)
    # Como una ReLU: una neurona de verdad también responde solo a su patrón (valores ≥ 0).
    return {
        "bordes verticales": np.maximum(gx, 0),
        "bordes horizontales": np.maximum(gy, 0),
        "zonas claras": np.maximum(foto - 0.5, 0),
        "zonas oscuras": np.maximum(0.5 - foto, 0),
    }


def matriz_gram(carpeta):
    """C mapas de alto×ancho → F de C×(alto·ancho) → G = F Fᵀ / (alto·ancho), de C×C."""
    mapas = _mapas_de_ejemplo()
    nombres = list(mapas)
    f = np.stack([m.ravel() for m in mapas.values()])
    gram = f @ f.T / f.shape[1]
    figura = plt.figure(figsize=(12, 4.2))
    cuadricula = figura.add_gridspec(2, 7, width_ratios=[1, 1, 0.25, 3.2, 0.25, 1.9, 0.1], wspace=0.45, hspace=0.45)
    for i, nombre in enumerate(nombres):
        eje = figura.add_subplot(cuadricula[i // 2, i % 2])
        eje.imshow(mapas[nombre], cmap="magma")
        eje.set_title(f"{i + 1}: {nombre}", fontsize=8)
        eje.axis("off")
    eje_f = figura.add_subplot(cuadricula[:, 3])
    eje_f.imshow(f / f.max(axis=1, keepdims=True), cmap="magma", aspect="auto", interpolation="nearest")
    eje_f.set_yticks(range(len(nombres)), [f"mapa {i + 1}" for i in range(len(nombres))], fontsize=8)
    eje_f.set_xticks([])
    eje_f.set_xlabel("alto·ancho posiciones (se pierde el «dónde»)", fontsize=9)
    eje_f.set_title("F: cada mapa aplanado en una fila (C × alto·ancho)", fontsize=10)
    eje_g = figura.add_subplot(cuadricula[:, 5])
    eje_g.imshow(gram, cmap="viridis")
    for (i, j), valor in np.ndenumerate(gram):
        color = "black" if valor > 0.6 * gram.max() else "white"  # legible sobre las casillas claras de viridis
        eje_g.text(j, i, cifra(valor * 1000, 1), ha="center", va="center", fontsize=8, color=color)  # «2,8», no «2.8»
    eje_g.set_xticks(range(4), ["1", "2", "3", "4"])
    eje_g.set_yticks(range(4), ["1", "2", "3", "4"])
    eje_g.set_title("G = F Fᵀ / (alto·ancho)\n(C × C, valores ×1000)", fontsize=10)
    nota = "G[i, j] grande: los mapas i y j se activan juntos en la imagen (textura), sin importar dónde"
    figura.text(0.5, 0.0, nota, ha="center", fontsize=10)
    return guardar(figura, carpeta, "matriz_gram.png")


# (año, familia, nombre, autores): años de publicación en congreso, como en las lecciones.
HITOS = (
    (2014, "VAE", "VAE", "Kingma y Welling"),
    (2019, "VAE", "VQ-VAE-2", "Razavi et al."),
    (2014, "GAN", "GAN", "Goodfellow et al."),
    (2016, "GAN", "DCGAN\n64×64", "Radford et al."),
    (2017, "GAN", "WGAN\nWGAN-GP", "Arjovsky et al.\nGulrajani et al."),
    (2018, "GAN", "crecimiento\nprogresivo\n1024×1024", "Karras et al."),
    (2019, "GAN", "StyleGAN", "Karras et al."),
    (2019, "GAN", "BigGAN\n(ImageNet)", "Brock et al."),
    (2015, "difusión", "difusión:\nla idea", "Sohl-Dickstein et al."),
    (2020, "difusión", "DDPM", "Ho et al."),
    (2021, "difusión", "supera a las GAN\nen ImageNet", "Dhariwal y Nichol"),
    (2022, "difusión", "difusión latente\n(texto → imagen)", "Rombach et al."),
)
FILAS_FAMILIAS = {"difusión": (4.0, VERDE), "GAN": (2.0, AZUL), "VAE": (0.0, GRIS)}


def linea_de_tiempo(carpeta):
    """Hitos de los modelos generativos de imágenes, 2014–2022, en una fila por familia."""
    figura, eje = plt.subplots(figsize=(12, 5.6))
    for familia, (y, color) in FILAS_FAMILIAS.items():
        eje.axhline(y, color=CLARO[color], lw=10, zorder=0)
        eje.text(2013.3, y, familia, ha="right", va="center", fontsize=11, fontweight="bold", color=color)
    vistos = dict.fromkeys(FILAS_FAMILIAS, 0)
    for anio, familia, nombre, autores in HITOS:
        y, color = FILAS_FAMILIAS[familia]
        # Dentro de cada fila, los rótulos alternan encima y debajo para que los vecinos no se pisen.
        arriba = vistos[familia] % 2 == 0
        vistos[familia] += 1
        eje.scatter([anio], [y], s=70, color=color, zorder=2)
        eje.text(
            anio, y + (0.22 if arriba else -0.22), f"{nombre}\n{autores}", ha="center",
            va="bottom" if arriba else "top", fontsize=8, linespacing=1.15,
        )
    eje.set_xlim(2012.4, 2022.8)
    eje.set_ylim(-1.2, 5.3)
    eje.set_xticks(range(2014, 2023))
    eje.set_yticks([])
    for borde in ("left", "right", "top"):
        eje.spines[borde].set_visible(False)
    eje.set_title("Modelos generativos de imágenes: de la GAN a la difusión", fontsize=12)
    nota = "Años de publicación en congreso (el preprint en arXiv suele ser del año anterior). Lección 1, apartado 7."
    figura.text(0.5, 0.0, nota, ha="center", fontsize=9, color="0.4")
    return guardar(figura, carpeta, "linea_de_tiempo.png")

def dibujar_todas(carpeta="images"):
    """Dibuja todas las figuras en ``carpeta`` y devuelve la lista de rutas de los PNG."""
    figuras = (
        arquitectura_gan, discriminador_optimo, bucle_entrenamiento, generador_dcgan, colapso_de_modos, matriz_gram,
        linea_de_tiempo,
    )
    return [figura(carpeta) for figura in figuras]


if __name__ == "__main__":
    for ruta in dibujar_todas(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent):
        print(ruta)
