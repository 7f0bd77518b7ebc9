"""Lo que los cuadernos y sus soluciones toman de las bibliotecas (``np.…``, ``tf.…``, ``keras.…``, ``helpers.…``,
``from x import y``) existe en las versiones instaladas. La etapa de versiones mínimas de .ci/run no ejecuta los
cuadernos (lo hacen la fijada y la de Colab): así, una función que falte en TensorFlow 2.16 o en NumPy 1 se ve
también allí, sin ejecutarlos."""

import ast
import importlib
import json

import pytest

import conftest

CUADERNOS = sorted((conftest.RAIZ / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def soluciones():
    """Los bloques de lessons/soluciones.md por cuaderno, leídos una vez para todos."""
    return conftest.bloques_de_soluciones()


def _codigos(cuaderno, soluciones):
    """El código de cada celda del cuaderno y de cada uno de sus bloques de ``soluciones``, sin las órdenes de
    IPython («%matplotlib», «!pip»), que no son Python."""
    celdas = ["".join(celda["source"]) for celda in json.loads(cuaderno.read_text(encoding="utf-8"))["cells"]
              if celda["cell_type"] == "code"]
    soluciones = [codigo for _, codigo in soluciones.get(cuaderno.name, [])]
    return ["\n".join(linea for linea in texto.splitlines() if not linea.lstrip().startswith(("%", "!")))
            for texto in celdas + soluciones]


def usos(codigos):
    """``{(módulo, 'a.b')}``: lo que el código toma de un módulo importado, como ``alias.a.b`` (``import módulo as
    alias``) o ``from módulo import a``."""
    arboles = [ast.parse(codigo) for codigo in codigos]
    alias, encontrados = {}, set()
    for nodo in (nodo for arbol in arboles for nodo in ast.walk(arbol)):
        if isinstance(nodo, ast.Import):
            for nombre in nodo.names:
                raiz = nombre.name.split(".")[0]  # «import a.b» deja «a» a mano; «import a.b as c», «a.b»
                alias[nombre.asname or raiz] = nombre.name if nombre.asname else raiz
        elif isinstance(nodo, ast.ImportFrom) and nodo.level == 0:
            encontrados.update((nodo.module, nombre.name) for nombre in nodo.names if nombre.name != "*")
    for nodo in (nodo for arbol in arboles for nodo in ast.walk(arbol)):
        ruta = []
        while isinstance(nodo, ast.Attribute):
            ruta.insert(0, nodo.attr)
            nodo = nodo.value
        if ruta and isinstance(nodo, ast.Name) and nodo.id in alias:
            encontrados.add((alias[nodo.id], ".".join(ruta)))
    return encontrados


def existe(modulo, ruta):
    """Si ``modulo.ruta`` existe: un atributo o un submódulo que aún no se había importado."""
    objeto = importlib.import_module(modulo)
    for parte in ruta.split("."):
        if hasattr(objeto, parte):
            objeto = getattr(objeto, parte)
            continue
        try:
            objeto = importlib.import_module(f"{objeto.__name__}.{parte}")
        except (ImportError, AttributeError):
            return False
    return True


@pytest.mark.parametrize("cuaderno", CUADERNOS, ids=lambda ruta: ruta.name)
def test_lo_que_usan_los_cuadernos_existe_en_las_versiones_instaladas(cuaderno, soluciones):
    encontrados = usos(_codigos(cuaderno, soluciones))
    assert any(modulo == "helpers" for modulo, _ in encontrados), "no se encontró nada que examinar"
    faltan = sorted(f"{modulo}: {ruta}" for modulo, ruta in encontrados
                    if modulo != "google.colab" and not existe(modulo, ruta))  # solo en Colab, con su propia etapa
    assert not faltan, f"{cuaderno.name} (o sus soluciones) usa lo que no existe en las versiones instaladas: {faltan}"


def test_encuentra_lo_que_falta_y_no_lo_que_existe():
    codigo = ("import numpy as np\nimport matplotlib.pyplot as plt\nimport keras\nfrom keras import layers, no_existe\n"
              "x = np.random.default_rng(0).normal(size=3)\nnp.no_existe(x)\nplt.subplots()\n"
              "keras.layers.Dense(2).no_es_del_modulo\ndef f():\n    import tensorflow as tf\n    return tf.nn.relu6\n")
    encontrados = usos([codigo])
    assert encontrados == {("numpy", "random.default_rng"), ("numpy", "random"), ("numpy", "no_existe"),
                           ("matplotlib.pyplot", "subplots"), ("keras", "layers.Dense"), ("keras", "layers"),
                           ("keras", "layers"), ("keras", "no_existe"), ("tensorflow", "nn.relu6"), ("tensorflow", "nn")}
    assert {(modulo, ruta) for modulo, ruta in encontrados if not existe(modulo, ruta)} == {
        ("numpy", "no_existe"), ("keras", "no_existe")}
