"""El código de las lecciones se ejecuta y da las cifras que cita su texto."""

import contextlib
import io
import re

import pytest

import conftest

LECCIONES = conftest.RAIZ / "lessons"
# Un número como lo escribe la lección («−0,0036», «1.000», «44,95») o como lo imprime Python («+0.0489»).
NUMERO_LECCION = re.compile(r"[-−+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
NUMERO_PYTHON = re.compile(r"[-+]?\d+(?:\.\d+)?")


def _numeros(texto, espanol):
    """``[(valor, decimales), ...]`` de los números de ``texto``, en orden."""
    numeros = []
    for numero in (NUMERO_LECCION if espanol else NUMERO_PYTHON).findall(texto):
        numero = numero.replace("−", "-")
        if espanol:
            numero = numero.replace(".", "").replace(",", ".")
        numeros.append((float(numero), len(numero.split(".")[1]) if "." in numero else 0))
    return numeros


def _unidades(texto):
    """Las filas de tabla y las frases (partidas también por «;») del texto, sin los bloques de código."""
    texto = re.sub(r"^```.*?^```", "", texto, flags=re.M | re.S)
    filas = [linea for linea in texto.splitlines() if linea.startswith("|")]
    prosa = " ".join(linea for linea in texto.splitlines() if not linea.startswith("|"))
    return filas + re.split(r"(?<=[.;])\s", prosa)


def _citada(linea, unidades):
    """¿Hay una fila o una frase con la etiqueta de ``linea`` (lo que va antes de «:») y sus números seguidos, en
    el mismo orden? Una unidad en la última cifra de margen: otra CPU u otra BLAS pueden redondear distinto."""
    etiqueta = linea.split(":")[0] if ":" in linea else ""
    impresos = _numeros(linea, espanol=bool(re.search(r"\d,\d", linea)))
    for unidad in unidades:
        if etiqueta not in unidad:
            continue
        citados = [valor for valor, _ in _numeros(unidad, espanol=True)]
        for inicio in range(len(citados) - len(impresos) + 1):
            if all(abs(valor - citado) <= 1.5 * 10.0**-decimales
                   for (valor, decimales), citado in zip(impresos, citados[inicio:])):
                return True
    return False


@pytest.mark.parametrize("leccion", ["05_medir_una_gan.md"])
def test_cada_linea_que_imprime_el_codigo_de_la_leccion_esta_en_su_texto(leccion):
    texto = (LECCIONES / leccion).read_text(encoding="utf-8")
    bloques = conftest.bloques_python(texto)
    assert bloques
    salida = io.StringIO()
    espacio = {}
    with contextlib.redirect_stdout(salida):
        for linea, codigo in bloques:  # en orden y en el mismo espacio de nombres, como en una sesión de Python
            exec(compile(codigo, f"{leccion}, línea {linea}", "exec"), espacio)
    impresas = [linea for linea in salida.getvalue().splitlines() if linea.strip()]
    assert impresas
    unidades = _unidades(texto)
    for linea in impresas:
        assert _citada(linea, unidades), f"{leccion}: el código imprime «{linea}» y ninguna fila o frase lo cita"
