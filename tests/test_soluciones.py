"""Las soluciones de lessons/soluciones.md se prueban tras su cuaderno (conftest.py): que ninguna se quede fuera."""

import json
import shutil
import subprocess
import sys

import pytest

import conftest


def test_cada_cuaderno_tiene_soluciones_que_se_prueban():
    bloques = conftest.bloques_de_soluciones()
    cuadernos = sorted(ruta.name for ruta in (conftest.RAIZ / "notebooks").glob("*.ipynb"))
    assert sorted(bloques) == cuadernos
    for cuaderno, codigos in bloques.items():
        assert codigos, f"{cuaderno}: su apartado de soluciones.md no tiene ningún bloque ```python"
        # Un bloque entero, no un trozo: el analizador de Python lo acepta.
        for codigo in codigos:
            compile(codigo, cuaderno, "exec")


def test_un_apartado_sin_su_cuaderno_es_un_error(tmp_path, monkeypatch):
    (tmp_path / "lessons").mkdir()
    shutil.copytree(conftest.RAIZ / "notebooks", tmp_path / "notebooks")
    texto = (conftest.RAIZ / "lessons" / "soluciones.md").read_text(encoding="utf-8")
    (tmp_path / "lessons" / "soluciones.md").write_text(texto + "\n## Cuaderno 99 · Otro\n\n```python\nprint(1)\n```\n",
                                                       encoding="utf-8")
    monkeypatch.setattr(conftest, "RAIZ", tmp_path)
    with pytest.raises(ValueError, match="«Cuaderno 99».*hay 0 cuadernos que empiezan por 99_"):
        conftest.bloques_de_soluciones()


def _recogidas(cuaderno, *opciones):
    """Los nombres de las pruebas que pytest recoge en ``cuaderno``, en orden."""
    salida = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", *opciones, cuaderno],
                            cwd=conftest.RAIZ, capture_output=True, text=True, check=True).stdout
    return [linea.split("::")[1] for linea in salida.splitlines() if linea.startswith(f"{cuaderno}::")]


def test_las_soluciones_van_tras_la_ultima_celda_de_su_cuaderno():
    cuaderno = "notebooks/06_tarea_tus_imagenes.ipynb"
    n = len(conftest.bloques_de_soluciones()["06_tarea_tus_imagenes.ipynb"])
    todas = json.loads((conftest.RAIZ / cuaderno).read_text(encoding="utf-8"))["cells"]
    celdas = [f"Cell {k}" for k in range(sum(celda["cell_type"] == "code" for celda in todas))]
    assert _recogidas(cuaderno) == celdas + [f"Solución {k}" for k in range(1, n + 1)]
    assert _recogidas(cuaderno, "--sin-soluciones") == celdas
