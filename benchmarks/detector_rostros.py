"""El detector de rostros de ``preparar --rostros`` (cascada LBP de scikit-image, ``caja_rostro``) frente
al que usaba antes el kit (cascada de Haar frontal de OpenCV 4), en el mismo proceso.

Mide, sobre los 200 recortes de ``skimage.data.lfw_subset()`` (100 rostros y 100 que no lo son, de
25×25 px), la fracción de rostros encontrados, los falsos positivos y el tiempo de CPU por imagen
(``time.process_time``: en una máquina compartida, el reloj mediría también a los demás procesos). Los
recortes de LFW van muy justos a la cara; como en una foto, se rodean de un margen (el borde
repetido, un 25 % del lado por defecto) y se amplían a ``--lados`` píxeles, porque ninguno de los
dos detectores mira ventanas de menos de 24 px. La referencia se salta si OpenCV no está instalado
o no trae las cascadas de Haar (OpenCV 5 ya no las trae).

    python benchmarks/detector_rostros.py --lados 64 128 256
"""

import argparse
import time

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import numpy as np
from PIL import Image
from skimage import data

from helpers.preparacion import caja_rostro


def haar_de_opencv():
    """La detección de la versión anterior del kit (``caja_rostro`` con OpenCV), o ``None`` sin OpenCV 4."""
    try:
        import cv2

        cascada = cv2.CascadeClassifier(cv2.data.haarcascades + "haarcascade_frontalface_default.xml")
    except (ImportError, AttributeError):
        return None
    if cascada.empty():
        return None

    def detectar(imagen):
        alto, ancho = imagen.shape[:2]
        escala = min(1.0, 512 / max(alto, ancho))
        gris = cv2.resize(cv2.cvtColor(imagen, cv2.COLOR_RGB2GRAY), None, fx=escala, fy=escala, interpolation=cv2.INTER_AREA)
        return len(cascada.detectMultiScale(gris, scaleFactor=1.1, minNeighbors=5, minSize=(24, 24))) > 0

    return detectar


def como_foto(recorte, lado, margen):
    """Recorte uint8 25×25 → RGB uint8 ``lado``×``lado`` con ``margen`` (fracción del lado) de borde repetido."""
    relleno = int(round(margen * recorte.shape[0]))
    ampliada = Image.fromarray(np.pad(recorte, relleno, mode="edge")).resize((lado, lado), Image.BICUBIC)
    return np.asarray(ampliada.convert("RGB"))


def medir(detectar, rostros, otras):
    """``(rostros encontrados, falsos positivos, milisegundos de CPU por imagen)``."""
    inicio = time.process_time()
    encontrados = sum(bool(detectar(imagen)) for imagen in rostros)
    falsos = sum(bool(detectar(imagen)) for imagen in otras)
    return encontrados, falsos, 1000 * (time.process_time() - inicio) / (len(rostros) + len(otras))


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--lados", type=int, nargs="+", default=[64, 128, 256], help="lado de las fotos (px)")
    argumentos.add_argument("--margen", type=float, default=0.25, help="margen alrededor del recorte (fracción)")
    args = argumentos.parse_args()
    print(helpers.describir_dispositivo())
    recortes = (data.lfw_subset() * 255).astype(np.uint8)
    detectores = {"kit: LBP de scikit-image": lambda imagen: caja_rostro(imagen) is not None}
    if (haar := haar_de_opencv()) is not None:
        detectores["antes: Haar de OpenCV"] = haar
    else:
        print("Sin OpenCV 4 con cascadas de Haar: solo se mide el detector del kit.")
    for lado in args.lados:
        rostros = [como_foto(r, lado, args.margen) for r in recortes[:100]]
        otras = [como_foto(r, lado, args.margen) for r in recortes[100:]]
        tiempos = {}
        for nombre, detectar in detectores.items():
            encontrados, falsos, tiempos[nombre] = medir(detectar, rostros, otras)
            print(f"{lado:4d} px  {nombre:<26} rostros {encontrados:3d}/100   falsos positivos {falsos:3d}/100   "
                  f"{tiempos[nombre]:6.1f} ms de CPU por imagen", flush=True)
        if len(tiempos) == 2:
            kit, antes = tiempos.values()
            print(f"{lado:4d} px  tiempo del kit / tiempo de antes: {kit / antes:.1f}×")


if __name__ == "__main__":
    main()
