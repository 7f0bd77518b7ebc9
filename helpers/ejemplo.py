"""Una carpeta de fotos «como la de un estudiante» para practicar la tarea sin conexión.

``carpeta_de_ejemplo`` la construye con las fotografías que trae scikit-image: recortes de distinto
tamaño y proporción, en JPEG y PNG, algunos en gris, girados o en una subcarpeta, y además los
problemas típicos que ``revisar_imagenes`` debe encontrar: un archivo dañado, uno que no es una
imagen, una copia repetida y una miniatura demasiado pequeña.
"""

from pathlib import Path

import numpy as np
from PIL import Image

# Nombre del archivo → función de ``skimage.data`` (fotos incluidas en el paquete: sin descargas).
FOTOS = {
    "astronauta": "astronaut",
    "gato": "chelsea",
    "cafe": "coffee",
    "cohete": "rocket",
    "fotografo": "camera",
    "galaxias": "hubble_deep_field",
    "tejido": "immunohistochemistry",
    "retina": "retina",
}
RECORTES_POR_FOTO = 8
# Lo que revisar_imagenes debe descartar (y por qué) y la copia que quita sin_duplicados=True.
DESCARTES = {"dañada.jpg": "dañada", "notas.txt": "no es una imagen", "miniatura.png": "demasiado pequeña"}
COPIA = "gato_2 (copia).jpg"


def _recorte(foto, rng):
    """Un rectángulo al azar de ``foto`` (del 35 al 80 % del lado corto, proporción de 3:4 a 4:3)."""
    alto, ancho = foto.shape[:2]
    lado = rng.uniform(0.35, 0.8) * min(alto, ancho)
    proporcion = rng.uniform(0.75, 1.33)
    h, w = int(min(lado, alto)), int(min(lado * proporcion, ancho))
    y, x = rng.integers(0, alto - h + 1), rng.integers(0, ancho - w + 1)
    return foto[y : y + h, x : x + w]


def carpeta_de_ejemplo(destino, semilla=0):
    """Crea en ``destino`` una carpeta desordenada de unas 70 fotos y devuelve su ``Path``.

    - 64 recortes (8 por foto de ``skimage.data``: astronauta, gato, café, cohete…) con nombres como
      ``gato_3.jpg``; uno de cada cinco en gris, uno de cada siete girado 90°, uno de cada cuatro
      reducido a 60 px y la mitad dentro de la subcarpeta ``vacaciones/``;
    - los archivos de ``DESCARTES`` (un JPEG dañado, un .txt y una miniatura de 12 px) y ``COPIA``,
      una copia exacta de ``gato_2.jpg``.

    Siempre la misma carpeta para una ``semilla``. Si ``destino`` ya existe y no está vacía, no
    escribe nada y la devuelve tal cual (así puedes volver a ejecutar la celda).
    """
    from skimage import data

    destino = Path(destino)
    if destino.is_dir() and any(destino.iterdir()):
        print(f"La carpeta de ejemplo {destino} ya existe: la uso tal cual.")
        return destino
    (destino / "vacaciones").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(semilla)
    numero = 0
    for nombre, funcion in FOTOS.items():
        foto = getattr(data, funcion)()
        for i in range(1, RECORTES_POR_FOTO + 1):
            numero += 1
            imagen = Image.fromarray(_recorte(foto, rng))
            if numero % 5 == 0:
                imagen = imagen.convert("L")
            if numero % 7 == 0:
                imagen = imagen.transpose(Image.Transpose.ROTATE_90)
            if numero % 4 == 0:  # fotos pequeñas: el kit las amplía, pero se verán borrosas
                imagen.thumbnail((60, 60))
            carpeta = destino / "vacaciones" if i % 2 else destino
            formato = "png" if numero % 3 == 0 else "jpg"
            imagen.save(carpeta / f"{nombre}_{i}.{formato}", quality=90)
    original = (destino / "gato_2.jpg").read_bytes()
    (destino / COPIA).write_bytes(original)
    (destino / "dañada.jpg").write_bytes(original[: len(original) // 2])
    (destino / "notas.txt").write_text("Fotos de las vacaciones, sin ordenar.\n", encoding="utf-8")
    Image.fromarray(data.astronaut()).resize((12, 12)).save(destino / "miniatura.png")
    return destino
