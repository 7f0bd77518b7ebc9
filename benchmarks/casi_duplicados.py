"""¿Qué toma por «casi idéntica» ``preparar_imagenes(..., sin_duplicados=True)``? Aciertos y falsas alarmas
de la regla del kit, con y sin su condición por casillas (``UMBRAL_CASILLA``).

Tres colecciones: dibujos de colores sobre fondo blanco (como sprites o fotos de producto; de 1 a 3
figuras que ocupan del 3 al 50 % de la imagen), 25 emojis que solo difieren en los ojos o la boca, y las
200 imágenes de ``skimage.data.lfw_subset()`` (100 rostros y 100 recortes sin rostro). Para cada una
cuenta los pares de imágenes distintas que la regla da por casi iguales (falsas alarmas: una de las dos se
descartaría) y, sobre copias retocadas de una de cada dos, cuántas reconoce: más clara y en JPEG, JPEG de
calidad 50, reducida y vuelta a ampliar, más oscura, y recortada un 3 % por cada lado (el recorte no es
algo que la regla prometa reconocer).

    python benchmarks/casi_duplicados.py
"""

import io

import numpy as np
from PIL import Image, ImageDraw
from skimage import data

from helpers import duplicados

LADO = 96


def dibujos(azar, n, fraccion):
    """``n`` imágenes de 1 a 3 figuras (círculos o pentágonos) de un color al azar sobre blanco."""
    imagenes = []
    for _ in range(n):
        lienzo = Image.new("RGB", (LADO, LADO), "white")
        pincel = ImageDraw.Draw(lienzo)
        radio = LADO * np.sqrt(fraccion / np.pi)
        for _ in range(azar.integers(1, 4)):
            x, y = azar.uniform(radio, LADO - radio, 2)
            r = radio * azar.uniform(0.5, 1.0)
            color = tuple(int(c) for c in azar.integers(0, 230, 3))
            if azar.random() < 0.5:
                pincel.ellipse([x - r, y - r, x + r, y + r], fill=color)
            else:
                angulos = np.sort(azar.uniform(0, 2 * np.pi, 5))
                pincel.polygon([(x + r * np.cos(a), y + r * np.sin(a)) for a in angulos], fill=color)
        imagenes.append(np.asarray(lienzo))
    return imagenes


def emojis():
    """25 caras de emoji sobre transparencia (blanco al leerlas): 5 clases de ojos por 5 de boca, en el mismo círculo."""
    tinta = (60, 40, 20, 255)
    ojos = [lambda p, x: p.ellipse([x - 6, 45, x + 6, 57], fill=tinta),
            lambda p, x: p.ellipse([x - 7, 38, x + 7, 62], fill=tinta),
            lambda p, x: p.arc([x - 10, 42, x + 10, 60], 180, 360, fill=tinta, width=4),
            lambda p, x: (p.line([x - 8, 42, x + 8, 58], fill=tinta, width=4), p.line([x - 8, 58, x + 8, 42], fill=tinta, width=4)),
            lambda p, x: p.polygon([(x, 62), (x - 10, 46), (x - 5, 40), (x, 45), (x + 5, 40), (x + 10, 46)], fill=(230, 30, 50, 255))]
    bocas = [lambda p: p.arc([38, 62, 90, 100], 20, 160, fill=tinta, width=4),
             lambda p: p.chord([38, 60, 90, 104], 0, 180, fill=(90, 30, 30, 255)),
             lambda p: p.line([45, 88, 83, 88], fill=tinta, width=4),
             lambda p: p.ellipse([54, 76, 74, 100], fill=(90, 30, 30, 255)),
             lambda p: p.arc([38, 78, 90, 110], 200, 340, fill=tinta, width=4)]
    imagenes = []
    for ojo in ojos:
        for boca in bocas:
            lienzo = Image.new("RGBA", (128, 128), (0, 0, 0, 0))
            pincel = ImageDraw.Draw(lienzo)
            pincel.ellipse([8, 8, 120, 120], fill=(255, 204, 77, 255))
            ojo(pincel, 45), ojo(pincel, 83), boca(pincel)
            sobre_blanco = Image.alpha_composite(Image.new("RGBA", lienzo.size, "white"), lienzo).convert("RGB")
            imagenes.append(np.asarray(sobre_blanco.resize((LADO, LADO), Image.Resampling.LANCZOS)))
    return imagenes


def en_jpeg(imagen, calidad):
    archivo = io.BytesIO()
    Image.fromarray(imagen).save(archivo, "JPEG", quality=calidad)
    return np.asarray(Image.open(archivo).convert("RGB"))


def retoques(imagen):
    recorte = LADO * 3 // 100
    return {
        "más clara (+12) en JPEG 80": en_jpeg(np.clip(imagen.astype(int) + 12, 0, 255).astype(np.uint8), 80),
        "JPEG 50": en_jpeg(imagen, 50),
        "reducida a 60 px y ampliada": np.asarray(Image.fromarray(imagen).resize((60, 60)).resize((LADO, LADO))),
        "más oscura (-15)": np.clip(imagen.astype(int) - 15, 0, 255).astype(np.uint8),
        "recortada un 3 %": np.asarray(Image.fromarray(imagen[recorte:-recorte, recorte:-recorte]).resize((LADO, LADO))),
    }


def casi_iguales(huella_a, huella_b, por_casillas):
    """La regla de ``duplicados.Vistas.duplicado`` para un par de huellas, con o sin la condición por casillas."""
    (forma_a, color_a, detalle_a), (forma_b, color_b, detalle_b) = huella_a, huella_b
    bits = duplicados.BITS_POR_BYTE[forma_a ^ forma_b].sum()
    diferencia = np.abs(color_a - color_b)
    tono = np.abs(color_a.mean(axis=(0, 1)) - color_b.mean(axis=(0, 1))).max()
    casilla = np.abs(detalle_a - detalle_b).mean(axis=2).max()
    return (bits <= duplicados.UMBRAL_FORMA and diferencia.mean() <= duplicados.UMBRAL_COLOR
            and tono <= duplicados.UMBRAL_COLOR and (not por_casillas or casilla <= duplicados.UMBRAL_CASILLA))


def informe(nombre, imagenes):
    """Falsas alarmas entre ``imagenes`` y copias retocadas reconocidas (de una de cada dos), con y sin casillas."""
    huellas = [duplicados.huella(imagen) for imagen in imagenes]
    pares = [(a, b) for i, a in enumerate(huellas) for b in huellas[:i]]
    copias = [(huellas[i], retoque, duplicados.huella(copia))
              for i in range(0, len(imagenes), 2) for retoque, copia in retoques(imagenes[i]).items()]
    print(f"\n{nombre}: {len(imagenes)} imágenes, {len(pares)} pares distintos; {len(imagenes[::2])} retocadas de cada manera")
    for por_casillas in (False, True):
        regla = f"con casillas ≤ {duplicados.UMBRAL_CASILLA}" if por_casillas else "sin casillas"
        falsas = sum(casi_iguales(a, b, por_casillas) for a, b in pares)
        aciertos = {}
        for original, retoque, copia in copias:
            aciertos[retoque] = aciertos.get(retoque, 0) + casi_iguales(original, copia, por_casillas)
        print(f"  regla {regla}: {falsas} falsas alarmas; reconocidas: "
              + "; ".join(f"{retoque} {n}" for retoque, n in aciertos.items()))


def main():
    print(f"UMBRAL_FORMA {duplicados.UMBRAL_FORMA}, UMBRAL_COLOR {duplicados.UMBRAL_COLOR}, "
          f"UMBRAL_CASILLA {duplicados.UMBRAL_CASILLA}")
    azar = np.random.default_rng(0)
    figuras = [imagen for fraccion in (0.03, 0.08, 0.15, 0.3, 0.5) for imagen in dibujos(azar, 40, fraccion)]
    informe("Dibujos sobre blanco (5 tamaños de figura)", figuras)
    informe("Emojis (5 ojos × 5 bocas)", emojis())
    rostros = [np.asarray(Image.fromarray((cara * 255).astype(np.uint8)).convert("RGB").resize((LADO, LADO)))
               for cara in data.lfw_subset()]
    informe("lfw_subset (rostros y no rostros)", rostros)


if __name__ == "__main__":
    main()
