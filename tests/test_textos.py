import os
import subprocess
from pathlib import Path

import numpy as np

from helpers import textos


def test_contar_escribe_las_cifras_como_en_espanol():
    assert textos.contar(2760, "paso", "pasos") == "2.760 pasos" and textos.contar(1, "paso", "pasos") == "1 paso"
    assert textos.contar(np.int64(12000), "imagen", "imágenes") == "12.000 imágenes"
    # Lo que no es un entero va tal cual: con el punto de miles, 2,5 se quedaría en «2» y True en «1».
    assert textos.contar(2.5, "época", "épocas") == "2.5 épocas" and textos.contar(True, "a", "b") == "True a"


def test_enumerar_algunos_une_los_dos_ultimos_con_y():
    # Antes, una lista completa quedaba sin la «y»: «mismo archivo que ana_copia.zip, ana_otra.zip».
    assert textos.enumerar_algunos(["a.zip", "b.zip"]) == "a.zip y b.zip"
    assert textos.enumerar_algunos(["a.zip", "b.zip", "c.zip"]) == "a.zip, b.zip y c.zip"
    assert textos.enumerar_algunos(["a.zip"]) == "a.zip" and textos.enumerar_algunos([]) == ""
    # Con más de ``maximo``, la «y» va delante de los que no se nombran.
    assert textos.enumerar_algunos(["a", "b", "c", "d"], maximo=2) == "a, b y 2 más"
    assert textos.enumerar_algunos([("a.png", "10×10 px"), ("b.png", "8×8 px")]) == "a.png (10×10 px) y b.png (8×8 px)"


def test_una_ruta_que_no_es_utf8_se_puede_pegar_en_la_terminal(tmp_path):
    # Antes, la orden «Siguiente paso» de una carpeta en Latin-1 salía con «?» en lugar de sus bytes: pegada,
    # apuntaba a otra carpeta.
    carpeta = os.fsdecode(os.fsencode(tmp_path) + b"/caf\xe9 d'Ana")
    citada = textos.citar_para_terminal(carpeta)
    citada.encode("ascii")  # se escribe igual en cualquier terminal
    eco = subprocess.run(["bash", "-c", f"printf %s {citada}"], capture_output=True, check=True).stdout
    assert eco == os.fsencode(carpeta)
    assert textos.citar_para_terminal("mis fotos") == "'mis fotos'"
    assert textos.citar_para_terminal(Path("cañón")) == "'cañón'"
