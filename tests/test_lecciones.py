"""El código de las lecciones se ejecuta y da las cifras que cita su texto, y las órdenes que citan los textos del
curso existen con esas opciones."""

import contextlib
import io
import re

import nbformat
import pytest

import conftest
from helpers.__main__ import _analizador

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


def _textos_con_ordenes():
    """``(lugar, texto)`` de lo que cita órdenes a quien usa el curso: README, lecciones, benchmarks/README, las
    celdas de los cuadernos (texto y código) y los mensajes de helpers."""
    raiz = conftest.RAIZ
    for ruta in [raiz / "README.md", raiz / "benchmarks" / "README.md", *sorted((raiz / "lessons").glob("*.md")),
                 *sorted((raiz / "helpers").glob("*.py"))]:
        yield str(ruta.relative_to(raiz)), ruta.read_text(encoding="utf-8")
    for ruta in sorted((raiz / "notebooks").glob("*.ipynb")):
        yield str(ruta.relative_to(raiz)), "\n".join(celda.source for celda in nbformat.read(ruta, as_version=4).cells)


def _opciones_de_cada_orden():
    """``{orden: {opción: valores admitidos o None}}`` de ``python -m helpers``."""
    subordenes = next(accion for accion in _analizador()._actions if isinstance(accion.choices, dict)).choices
    return {orden: {opcion: accion.choices for accion in analizador._actions for opcion in accion.option_strings}
            for orden, analizador in subordenes.items()}


# «python -m helpers ORDEN …» hasta donde acaba la orden citada (el código en línea, la línea o la cita).
ORDEN_CITADA = re.compile(r"python -m helpers ([a-z]\w*)\b([^`\n»\"]*)")
OPCION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)(?:[ =]([^\s`…]+))?")


def opciones_que_no_existen(textos, opciones):
    """``lugar: orden --opción`` de cada opción (o valor de una opción con valores fijos) citada tras
    ``python -m helpers ORDEN`` que esa orden no tiene."""
    faltan = []
    for lugar, texto in textos:
        for cita in ORDEN_CITADA.finditer(texto):
            orden, resto = cita.groups()
            if orden not in opciones:
                faltan.append(f"{lugar}: no hay una orden «{orden}»")
                continue
            for opcion, valor in OPCION.findall(resto):
                if opcion not in opciones[orden]:
                    faltan.append(f"{lugar}: «{orden}» no tiene {opcion}")
                elif opciones[orden][opcion] and valor and not valor.startswith(("-", "{")) \
                        and valor not in map(str, opciones[orden][opcion]):
                    faltan.append(f"{lugar}: {orden} {opcion} no admite {valor}")
    return faltan


def test_las_ordenes_citadas_tienen_esas_opciones():
    faltan = opciones_que_no_existen(_textos_con_ordenes(), _opciones_de_cada_orden())
    assert not faltan, "Opciones citadas que la línea de órdenes no tiene (python -m helpers ORDEN --help):\n" + \
        "\n".join(faltan)


def test_cada_opcion_que_nombra_la_guia_docente_existe():
    # La guía nombra opciones sueltas («usa `--sin-imagenes`»): cada una es de alguna orden.
    todas = set().union(*_opciones_de_cada_orden().values())
    guia = (LECCIONES / "guia_docente.md").read_text(encoding="utf-8")
    nombradas = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", guia))
    assert nombradas and nombradas <= todas, f"La guía docente nombra opciones que no existen: {sorted(nombradas - todas)}"


def test_opciones_que_no_existen_encuentra_las_de_antes():
    opciones = _opciones_de_cada_orden()
    textos = [("a.md", "`python -m helpers entrenar fotos --pasos-por-epoca 10 --tamano 48 --minutos 5`"),
              ("b.md", "python -m helpers generar --modelo g.keras --n 8\npython -m helpers revisa x"),
              ("c.py", 'f"python -m helpers entregar {carpeta} --generador {nombre} --sin-imagenes"')]
    assert opciones_que_no_existen(textos, opciones) == [
        "a.md: «entrenar» no tiene --pasos-por-epoca", "a.md: entrenar --tamano no admite 48",
        "b.md: no hay una orden «revisa»"]
