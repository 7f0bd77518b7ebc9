"""Las soluciones de lessons/soluciones.md se prueban tras su cuaderno (conftest.py): que ninguna se quede fuera."""

import json
import re
import shutil
import subprocess
import sys

import pytest

import conftest

SOLUCIONES = conftest.RAIZ / "lessons" / "soluciones.md"


def test_cada_cuaderno_tiene_soluciones_que_se_prueban():
    bloques = conftest.bloques_de_soluciones()
    cuadernos = sorted(ruta.name for ruta in (conftest.RAIZ / "notebooks").glob("*.ipynb"))
    assert sorted(bloques) == cuadernos
    lineas = SOLUCIONES.read_text(encoding="utf-8").splitlines()
    for cuaderno, de_este in bloques.items():
        assert de_este, f"{cuaderno}: su apartado de soluciones.md no tiene ningún bloque ```python"
        for linea, codigo in de_este:
            assert lineas[linea - 1] == "```python"
            compile(codigo, f"soluciones.md, línea {linea}", "exec")  # un bloque entero, no un trozo
    # Un bloque con otra etiqueta («```py», «```Python») no se probaría: solo ```python y los cierres.
    assert {linea for linea in lineas if linea.startswith("```")} == {"```python", "```"}


@pytest.mark.parametrize("cambio", ["\n## Cuaderno 99 · Otro\n\n```python\nprint(1)\n```\n",
                                    "\n## Cuaderno 06 · Repetido\n\n```python\nprint(1)\n```\n"])
def test_un_apartado_sin_su_cuaderno_o_repetido_es_un_error(tmp_path, monkeypatch, cambio):
    (tmp_path / "lessons").mkdir()
    shutil.copytree(conftest.RAIZ / "notebooks", tmp_path / "notebooks")
    (tmp_path / "lessons" / "soluciones.md").write_text(SOLUCIONES.read_text(encoding="utf-8") + cambio, encoding="utf-8")
    monkeypatch.setattr(conftest, "RAIZ", tmp_path)
    numero = re.search(r"Cuaderno (\d\d)", cambio)[1]
    with pytest.raises(pytest.UsageError, match=f"«Cuaderno {numero}» debe ser uno solo y tener su cuaderno"):
        conftest.bloques_de_soluciones()


def _recogidas(*argumentos):
    """Los nombres de las pruebas que pytest recoge con ``argumentos``, en orden."""
    salida = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", *argumentos],
                            cwd=conftest.RAIZ, capture_output=True, text=True, check=True).stdout
    return [linea.split("::")[1] for linea in salida.splitlines() if "::" in linea]


def test_las_soluciones_van_tras_la_ultima_celda_de_su_cuaderno():
    cuaderno = "notebooks/06_tarea_tus_imagenes.ipynb"
    todas = json.loads((conftest.RAIZ / cuaderno).read_text(encoding="utf-8"))["cells"]
    celdas = [f"Cell {k}" for k in range(sum(celda["cell_type"] == "code" for celda in todas))]
    soluciones = [f"Solución {n} (soluciones.md, línea {linea})"
                  for n, (linea, _) in enumerate(conftest.bloques_de_soluciones()["06_tarea_tus_imagenes.ipynb"], start=1)]
    assert _recogidas(cuaderno) == celdas + soluciones
    assert _recogidas(cuaderno, "--sin-soluciones") == celdas
    # Con solo unas celdas del cuaderno, sin soluciones: fallarían sin lo que definen las demás.
    assert _recogidas(f"{cuaderno}::Cell 0", f"{cuaderno}::Cell 1") == ["Cell 0", "Cell 1"]
