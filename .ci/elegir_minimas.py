"""Elige las pruebas largas que la etapa de versiones mínimas de .ci/run deja a la etapa fijada.

Esa etapa comprueba que ``helpers`` funciona con las versiones más antiguas que admite. Para eso basta con
que cada línea de ``helpers`` que ejecutan las pruebas de ``tests/`` se ejecute allí al menos una vez; repetir
entero cada recorrido largo (entrenar, cortar, reanudar, revisar una clase) que ya pasa por líneas que otras
pruebas recorren no añade nada sobre las versiones y llevaba la CI por encima de 25 minutos.

Este guion ejecuta esas pruebas con la cobertura de cada una (pytest-cov) y, de la más lenta a la más rápida
entre las que tardan al menos ``UMBRAL_S`` segundos, aparta cada prueba cuyas líneas de ``helpers`` siguen
recorriéndolas las que quedan. Nunca aparta una prueba que lanza otro proceso de Python (la cobertura no ve
lo que ejecuta), una sin líneas de ``helpers`` anotadas ni una de ``SIEMPRE``: tampoco ve las funciones que
TensorFlow ejecuta por su cuenta (las que se pasan a ``Dataset.map`` o a ``tf.py_function``), así que las
pruebas que las llevan por un camino que las demás no toman se nombran ahí a mano. Escribe la lista en
``.ci/minimas-fuera.txt``.

Vuelve a ejecutarlo, con el Python del entorno de las versiones mínimas y pytest-cov instalado, cuando
cambien las pruebas largas o lo que recorren:

    /tmp/curso-gan-ci-minimas/venv/bin/python -m pip install pytest-cov
    /tmp/curso-gan-ci-minimas/venv/bin/python .ci/elegir_minimas.py
"""

import ast
import collections
import os
import platform
import re
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # antes de importar TensorFlow: sin sus líneas de registro

RAIZ = Path(__file__).resolve().parent.parent
LISTA = RAIZ / ".ci" / "minimas-fuera.txt"
UMBRAL_S = 1.0
# Las pruebas de la etapa, como en etapa_minimas de .ci/run.
PRUEBAS = ["tests", "--ignore=tests/test_cuadernos_variantes.py"]


# Las funciones de helpers que TensorFlow ejecuta por su cuenta, que la cobertura no ve (``archivo:nombre``), ya
# revisadas: las pruebas que las llevan por un camino que ninguna otra toma están en SIEMPRE. Una prueba
# comprueba que son todas (``funciones_que_ejecuta_tensorflow``).
REVISADAS = {"condicional.py:guardar_error", "datos.py:funcion", "datos.py:lotes_de_la_epoca", "datos.py:tomar",
             "datos.py:lambda"}
SIEMPRE = (
    # vigilar (la función de mapear_lotes) y guardar_error con un lote malo que no es el primero, y con etiquetas de
    # otros tipos.
    "tests/test_condicional.py::test_las_etiquetas_de_cualquier_lote_se_comprueban_no_solo_las_del_primero",
    "tests/test_condicional.py::test_etiquetas_validas_de_cualquier_tipo_entrenan",
)


def funciones_que_ejecuta_tensorflow():
    """``{"archivo:nombre"}``: lo que helpers pasa a ``.map``, ``.flat_map``, ``tf.py_function`` o
    ``tf.numpy_function`` (``lambda`` si es una)."""
    encontradas = set()
    for archivo in sorted((RAIZ / "helpers").glob("*.py")):
        for nodo in ast.walk(ast.parse(archivo.read_text(encoding="utf-8"))):
            if (isinstance(nodo, ast.Call) and isinstance(nodo.func, ast.Attribute) and nodo.args
                    and nodo.func.attr in ("map", "flat_map", "py_function", "numpy_function")):
                funcion = nodo.args[0]
                nombre = "lambda" if isinstance(funcion, ast.Lambda) else getattr(funcion, "id", ast.unparse(funcion))
                encontradas.add(f"{archivo.name}:{nombre}")
    return encontradas


# Cómo lanza otro Python una prueba. Se buscan como texto en su código y en el de lo que nombra: si sobra
# alguna coincidencia, la prueba solo se queda en la etapa.
LANZAN = ("subprocess", "sys.executable", "os.system", "os.popen", "os.spawn", "os.exec", "multiprocessing",
          "ProcessPool", "pexpect")


def _definiciones(archivo):
    """``{nombre: nodo}``: lo que define ``archivo`` en su primer nivel y lo que importa de otros archivos de pruebas
    de su carpeta (``from test_tarea import carpeta_pequena``)."""
    definiciones = {}
    for nodo in ast.parse(archivo.read_text(encoding="utf-8")).body:
        if isinstance(nodo, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            definiciones[nodo.name] = nodo
        elif isinstance(nodo, ast.Assign):
            definiciones.update((destino.id, nodo) for destino in nodo.targets if isinstance(destino, ast.Name))
        elif isinstance(nodo, ast.ImportFrom) and nodo.module and (origen := archivo.parent / f"{nodo.module}.py").exists():
            importadas = _definiciones(origen)
            definiciones.update((alias.asname or alias.name, importadas[alias.name]) for alias in nodo.names
                                if alias.name in importadas)
    return definiciones


def lanzan_procesos(archivo):
    """Los nombres de las pruebas de ``archivo`` que lanzan otro Python (ver ``LANZAN``), directamente o a través
    de las funciones, clases, constantes y fixtures que nombran, del mismo archivo, de otro de pruebas del que
    las importa o de ``conftest.py``."""
    definiciones = {**_definiciones(RAIZ / "conftest.py"), **_definiciones(archivo)}
    # Una vez por definición: recorrer cada una de nuevo desde cada prueba que la nombra llevaba minutos.
    lanza_directamente = {nombre: any(forma in ast.unparse(nodo) for forma in LANZAN) for nombre, nodo in definiciones.items()}
    nombra = {nombre: ({n.id for n in ast.walk(nodo) if isinstance(n, ast.Name)}
                       | {a.arg for n in ast.walk(nodo) if isinstance(n, ast.FunctionDef) for a in n.args.args})
              for nombre, nodo in definiciones.items()}

    def lanza(nombre, vistos):
        if nombre in vistos or nombre not in definiciones:
            return False
        vistos.add(nombre)
        return lanza_directamente[nombre] or any(lanza(otro, vistos) for otro in nombra[nombre])

    return {nombre for nombre in definiciones if nombre.startswith("test") and lanza(nombre, set())}


def medir(carpeta):
    """``(lineas, segundos)``: por prueba, las líneas de ``helpers`` que ejecuta y lo que tarda."""
    import coverage  # lo instala pytest-cov, que solo hace falta aquí

    datos = Path(carpeta) / "cobertura"
    orden = [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadfile", *PRUEBAS, "--cov=helpers",
             "--cov-context=test", "--cov-report=", "--durations=0", "--durations-min=0"]
    proceso = subprocess.run(orden, cwd=RAIZ, capture_output=True, text=True, env={**os.environ, "COVERAGE_FILE": str(datos)})
    if proceso.returncode != 0:
        sys.exit(f"{proceso.stdout[-5000:]}\nLas pruebas fallaron (arriba, el final de su salida): arréglalas antes de "
                 "elegir cuáles se apartan.")
    segundos = collections.Counter()
    for linea in proceso.stdout.splitlines():
        if medida := re.match(r"([\d.]+)s (?:setup|call|teardown)\s+(\S.*)$", linea):
            segundos[medida[2].strip()] += float(medida[1])
    cobertura = coverage.CoverageData(str(datos))
    cobertura.read()
    lineas = collections.defaultdict(set)
    for archivo in cobertura.measured_files():
        for numero, contextos in cobertura.contexts_by_lineno(archivo).items():
            for contexto in filter(None, contextos):
                lineas[contexto.rsplit("|", 1)[0]].add((archivo, numero))
    return lineas, segundos


def elegir(lineas, segundos, se_quedan):
    """Las pruebas que se apartan, de la más lenta a la más rápida (ver la explicación del principio); las de
    ``se_quedan``, nunca."""
    veces = collections.Counter(linea for recorridas in lineas.values() for linea in recorridas)
    fuera = []
    for prueba in sorted(segundos, key=segundos.get, reverse=True):
        if segundos[prueba] < UMBRAL_S:
            break
        if prueba in se_quedan or not lineas.get(prueba):
            continue
        if all(veces[linea] > 1 for linea in lineas[prueba]):
            veces.subtract(lineas[prueba])
            fuera.append(prueba)
    return fuera


def main():
    import keras
    import numpy as np
    import tensorflow as tf

    from helpers.entorno import modelo_cpu

    con_procesos = {f"{archivo.relative_to(RAIZ).as_posix()}::{nombre}"
                    for archivo in (RAIZ / "tests").glob("test_*.py") for nombre in lanzan_procesos(archivo)}
    with tempfile.TemporaryDirectory() as carpeta:
        lineas, segundos = medir(carpeta)
    fuera = elegir(lineas, segundos, {p for p in segundos if p.split("[")[0] in con_procesos | set(SIEMPRE)})
    apartados = sum(segundos[p] for p in fuera)
    LISTA.write_text(
        "# Pruebas que la etapa de versiones mínimas de .ci/run no ejecuta: las líneas de helpers que recorren las\n"
        "# recorren también otras pruebas de esa etapa, y todas se ejecutan en la etapa fijada. La escribe\n"
        f"# .ci/elegir_minimas.py (ver allí cómo y cuándo rehacerla); medida con TensorFlow {tf.__version__}, Keras "
        f"{keras.__version__},\n# NumPy {np.__version__}, Python {platform.python_version()}, {modelo_cpu()}: {len(fuera)} pruebas, "
        f"{apartados:.0f} s\n# de los {sum(segundos.values()):.0f} s que suman las pruebas de la etapa.\n"
        + "".join(f"{prueba}\n" for prueba in fuera), encoding="utf-8")
    print(f"{LISTA.relative_to(RAIZ)}: {len(fuera)} pruebas, {apartados:.0f} s de {sum(segundos.values()):.0f} s.")


if __name__ == "__main__":
    main()
