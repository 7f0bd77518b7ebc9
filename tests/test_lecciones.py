"""El código de las lecciones se ejecuta y da las cifras que cita su texto; las órdenes que citan los textos del
curso existen con esas opciones, y lo que citan del código (``helpers.…``, funciones con sus argumentos, archivos)
existe."""

import ast
import contextlib
import importlib
import inspect
import io
import json
import pkgutil
import re

import nbformat
import pytest

import conftest
import helpers
from helpers.__main__ import _analizador
from helpers.gan import GAN

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
    celdas de los cuadernos (texto y código), los mensajes de helpers y los de los scripts de benchmarks/."""
    raiz = conftest.RAIZ
    for ruta in [raiz / "README.md", raiz / "benchmarks" / "README.md", *sorted((raiz / "lessons").glob("*.md")),
                 *sorted((raiz / "helpers").glob("*.py")), *sorted((raiz / "benchmarks").glob("*.py"))]:
        yield str(ruta.relative_to(raiz)), ruta.read_text(encoding="utf-8")
    for ruta in sorted((raiz / "notebooks").glob("*.ipynb")):
        yield str(ruta.relative_to(raiz)), "\n".join(celda.source for celda in nbformat.read(ruta, as_version=4).cells)


def _opciones_de_cada_orden():
    """``{orden: {opción: valores admitidos o None}}`` de ``python -m helpers``."""
    subordenes = next(accion for accion in _analizador()._actions if isinstance(accion.choices, dict)).choices
    return {orden: {opcion: accion.choices for accion in analizador._actions for opcion in accion.option_strings}
            for orden, analizador in subordenes.items()}


def _opciones_de_los_scripts():
    """``{"benchmarks/x.py": {opción: valores admitidos o None}}``, leídas de sus ``add_argument`` sin importarlos."""
    scripts = {}
    for ruta in sorted((conftest.RAIZ / "benchmarks").glob("*.py")):
        opciones = scripts[f"benchmarks/{ruta.name}"] = {"--help": None}
        for nodo in ast.walk(ast.parse(ruta.read_text(encoding="utf-8"))):
            if isinstance(nodo, ast.Call) and getattr(nodo.func, "attr", None) == "add_argument":
                valores = next((argumento.value for argumento in nodo.keywords if argumento.arg == "choices"), None)
                try:
                    valores = ast.literal_eval(valores) if valores else None
                except ValueError:  # choices=list(RECETAS): cualquier valor
                    valores = None
                for nombre in nodo.args:
                    if isinstance(nombre, ast.Constant) and str(nombre.value).startswith("--"):
                        opciones[nombre.value] = valores
    return scripts


# «python -m helpers ORDEN …» y «python benchmarks/x.py …» hasta donde acaba la orden citada (el código en línea,
# la línea o la cita).
ORDEN_CITADA = re.compile(r"python -m helpers ([a-z]\w*)\b([^`\n»\"]*)")
SCRIPT_CITADO = re.compile(r"(?<![\w/.])(benchmarks/\w+\.py)([^`\n»\"]*)")
OPCION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)(?:[ =]([^\s`…]+))?")


def _citas(texto, opciones):
    """``(orden, resto)`` de cada orden que cita ``texto``: tras «python -m helpers» o «python», o en código en
    línea que empieza por una orden (`` `preparar --maximo N` ``)."""
    yield from ORDEN_CITADA.findall(texto)
    yield from SCRIPT_CITADO.findall(texto)
    ordenes = "|".join(orden for orden in opciones if "/" not in orden)
    yield from re.findall(rf"`({ordenes})(\s[^`]*)?`", texto)


def opciones_que_no_existen(textos, opciones):
    """``lugar: orden --opción`` de cada opción (o valor de una opción con valores fijos) citada tras
    ``python -m helpers ORDEN`` (o ``python benchmarks/x.py``) que esa orden (o ese script) no tiene."""
    faltan = []
    for lugar, texto in textos:
        for orden, resto in _citas(texto, opciones):
            if orden not in opciones:
                faltan.append(f"{lugar}: no existe {orden}" if "/" in orden else f"{lugar}: no hay una orden «{orden}»")
                continue
            for opcion, valor in OPCION.findall(resto):
                if opcion not in opciones[orden]:
                    faltan.append(f"{lugar}: «{orden}» no tiene {opcion}")
                elif opciones[orden][opcion] and valor and not valor.startswith(("-", "{")) \
                        and valor not in map(str, opciones[orden][opcion]):
                    faltan.append(f"{lugar}: {orden} {opcion} no admite {valor}")
    return faltan


def test_las_ordenes_citadas_tienen_esas_opciones():
    faltan = opciones_que_no_existen(_textos_con_ordenes(), {**_opciones_de_cada_orden(), **_opciones_de_los_scripts()})
    assert not faltan, ("Opciones citadas que la línea de órdenes o el script no tienen (python -m helpers ORDEN "
                        "--help, python benchmarks/x.py --help):\n" + "\n".join(faltan))


def test_cada_opcion_que_nombra_la_guia_docente_existe():
    # La guía nombra opciones sueltas («usa `--sin-imagenes`»): cada una es de alguna orden.
    todas = set().union(*_opciones_de_cada_orden().values())
    guia = (LECCIONES / "guia_docente.md").read_text(encoding="utf-8")
    nombradas = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", guia))
    assert nombradas and nombradas <= todas, f"La guía docente nombra opciones que no existen: {sorted(nombradas - todas)}"


def test_opciones_que_no_existen_encuentra_las_de_antes():
    opciones = {**_opciones_de_cada_orden(), **_opciones_de_los_scripts()}
    textos = [("a.md", "`python -m helpers entrenar fotos --pasos-por-epoca 10 --tamano 48 --minutos 5`"),
              ("b.md", "python -m helpers generar --modelo g.keras --n 8\npython -m helpers revisa x"),
              ("c.py", 'f"python -m helpers entregar {carpeta} --generador {nombre} --sin-imagenes"'),
              ("d.md", "con `preparar --maximo N` o `entrenar … --una-gpu`; `preparar --max 5`, `generar`"),
              ("e.md", "`python benchmarks/laboratorio_bitacora.py --minutos 1 --reloj cpu --nucleo 2` y "
                       "`python benchmarks/laboratorio_bitacora.py --reloj tiempo`, `python benchmarks/no_hay.py`")]
    assert opciones_que_no_existen(textos, opciones) == [
        "a.md: «entrenar» no tiene --pasos-por-epoca", "a.md: entrenar --tamano no admite 48",
        "b.md: no hay una orden «revisa»", "d.md: «preparar» no tiene --max",
        "e.md: «benchmarks/laboratorio_bitacora.py» no tiene --nucleo",
        "e.md: benchmarks/laboratorio_bitacora.py --reloj no admite tiempo", "e.md: no existe benchmarks/no_hay.py"]
