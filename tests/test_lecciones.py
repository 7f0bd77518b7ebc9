"""El código de las lecciones se ejecuta y da las cifras que cita su texto."""

import contextlib
import io
import re
from pathlib import Path

import pytest

LECCIONES = Path(__file__).resolve().parents[1] / "lessons"
# Un número como lo escribe la lección o lo imprime Python: «−0,0036», «1.000», «+0.0489», «44,95».
NUMERO = re.compile(r"[-−+]?\d+(?:\.\d{3})*(?:[.,]\d+)?")


def _bloques(leccion):
    """Los bloques ```` ```python ```` de primer nivel (los sangrados, dentro de una lista, son extractos)."""
    return re.findall(r"^```python\n(.*?)^```", (LECCIONES / leccion).read_text(encoding="utf-8"), flags=re.M | re.S)


def _valor(texto, decimal):
    """El número y cuántos decimales tiene; ``decimal`` es «,» (la lección) o «.» (lo que imprime Python)."""
    texto = texto.replace("−", "-")
    if decimal == ",":
        texto = texto.replace(".", "").replace(",", ".")
    decimales = len(texto.split(".")[1]) if "." in texto else 0
    return float(texto), decimales


@pytest.mark.parametrize("leccion", ["05_medir_una_gan.md"])
def test_cada_cifra_que_imprime_el_codigo_de_la_leccion_esta_en_su_texto(leccion):
    bloques = _bloques(leccion)
    assert bloques
    salida = io.StringIO()
    espacio = {}
    with contextlib.redirect_stdout(salida):
        for bloque in bloques:  # en orden y en el mismo espacio de nombres, como en una sesión de Python
            exec(compile(bloque, leccion, "exec"), espacio)
    texto = (LECCIONES / leccion).read_text(encoding="utf-8")
    citadas = [_valor(m, ",")[0] for m in NUMERO.findall(texto)]
    impresas = [linea for linea in salida.getvalue().splitlines() if linea.strip()]
    assert impresas
    for linea in impresas:
        # Lo que se imprime con «,» (ya en español) y con «.» (formato de Python), cada uno a su manera.
        decimal = "," if re.search(r"\d,\d", linea) else "."
        for numero in NUMERO.findall(linea):
            valor, decimales = _valor(numero, decimal)
            # Una unidad en la última cifra: otra CPU u otra BLAS pueden redondear distinto.
            assert any(abs(valor - citada) <= 1.5 * 10.0**-decimales for citada in citadas), (
                f"{leccion}: el código imprime «{linea}» y la lección no cita {numero}")
