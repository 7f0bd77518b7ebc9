"""Un solo nombre para cada concepto: las variantes que el glosario descarta no aparecen en el curso.

La lista solo recoge errores claros (traducciones que el glosario rechaza de forma explícita); el
propio glosario las nombra, así que se excluye del examen. Se examinan las lecciones, el texto de los
cuadernos, el README y los ayudantes (sus mensajes, docstrings y nombres).
"""

import re
from pathlib import Path

import nbformat
import pytest

RAIZ = Path(__file__).resolve().parents[1]
GLOSARIO = RAIZ / "lessons" / "glosario.md"

VARIANTES_PROHIBIDAS = {
    r"generativas? de confrontaci[oó]n": "red generativa adversaria",
    r"antag[oó]nic[ao]s?": "adversaria",
    r"generativas? adversarial(es)?\b": "red generativa adversaria",
    r"colapso de modo\b": "colapso de modos",
    r"colapso modal": "colapso de modos",
    r"normalizaci[oó]n de lotes": "normalización por lotes",
    r"matriz de gramm\b": "matriz de Gram",
    # «precisión» es el falso amigo de «accuracy»: la fracción de aciertos es la exactitud.
    r"precisi[oó]n\s+(?:del\s+discriminador|de\s+`?D\b|D\b|reciente|sube|baja)": "exactitud del discriminador",
    r"\bprecision_d\b": "exactitud_d",
    r"\bprecision_objetivo_d\b": "exactitud_objetivo_d",
    r"\bpis(?:ar|a|an|ará|arán|aría|e|en|ó|ado|ada|ando)\b": "sobrescribir",
    r"\bcorr(?:e|en|er|ió|iendo|erá|a|an)\b": "se ejecuta",
    r"\barreglos?\b": "matriz o matrices",
    r"\bpenalizador(?:es)? de gradiente": "penalización de gradiente",
}

TERMINOS_FIJOS = [
    "red generativa adversaria", "generador", "discriminador", "crítico", "vector latente", "espacio latente",
    "colapso de modos", "suavizado unilateral de etiquetas", "ruido de instancia", "aumento diferenciable",
    "tasa de aprendizaje", "época", "lote", "callback", "exactitud", "convolución transpuesta",
    "normalización por lotes", "matriz de Gram", "pérdida de contenido", "pérdida de estilo", "variación total",
    "precisión mixta", "punto de control", "reserva", "suelo", "distancia de Wasserstein cortada (SWD)", "FID",
    "KID", "precisión y exhaustividad", "memorización", "penalización de gradiente",
]

# Un número con punto decimal (0.5, 2.21) en la prosa; los de 3 cifras tras el punto son millares (1.797).
DECIMAL_CON_PUNTO = re.compile(r"(?<![\w.:/=-])\d+\.(?:\d{1,2}|\d{4,})(?![\w.])")
# Numeraciones y versiones que llevan punto por naturaleza: «sección 6.1», «Python 3.11, 3.12 o 3.13»
# (se mira si una de estas palabras está entre las cuatro anteriores al número).
ANTES_DE_UNA_NUMERACION = ("sección", "apartado", "python", "versión", "capítulo")


def textos_del_curso():
    """``(ruta, texto)`` de las lecciones, el texto de los cuadernos y los ayudantes."""
    for ruta in sorted((RAIZ / "lessons").glob("*.md")):
        if ruta != GLOSARIO:
            yield ruta, ruta.read_text(encoding="utf-8")
    for ruta in sorted((RAIZ / "notebooks").glob("*.ipynb")):
        cuaderno = nbformat.read(ruta, as_version=4)
        yield ruta, "\n".join(celda.source for celda in cuaderno.cells)
    for ruta in sorted((RAIZ / "helpers").glob("*.py")):
        yield ruta, ruta.read_text(encoding="utf-8")
    if (RAIZ / "README.md").exists():
        yield RAIZ / "README.md", (RAIZ / "README.md").read_text(encoding="utf-8")


def prosa_markdown(texto):
    """``texto`` sin bloques de código, sin código en línea y sin direcciones de enlaces.

    Conserva los saltos de línea para que los números de línea de los avisos sigan siendo válidos.
    """
    texto = re.sub(r"```.*?```", lambda bloque: "\n" * bloque.group().count("\n"), texto, flags=re.DOTALL)
    texto = re.sub(r"`[^`\n]*`", "``", texto)
    return re.sub(r"\]\([^)]*\)", "]()", texto)


def prosas_del_curso():
    """``(lugar, prosa)`` de las lecciones (salvo el glosario), el README y las celdas de texto."""
    for ruta in sorted((RAIZ / "lessons").glob("*.md")) + [RAIZ / "README.md"]:
        if ruta != GLOSARIO and ruta.exists():
            yield str(ruta.relative_to(RAIZ)), prosa_markdown(ruta.read_text(encoding="utf-8"))
    for ruta in sorted((RAIZ / "notebooks").glob("*.ipynb")):
        for numero, celda in enumerate(nbformat.read(ruta, as_version=4).cells):
            if celda.cell_type == "markdown":
                yield f"{ruta.relative_to(RAIZ)} celda {numero}", prosa_markdown(celda.source)


def test_hay_textos_que_examinar():
    nombres = {ruta.name for ruta, _ in textos_del_curso()}
    assert {"01_que_es_una_gan.md", "01_introduccion_gan.ipynb", "juguete.py"} <= nombres


@pytest.mark.parametrize("patron", VARIANTES_PROHIBIDAS)
def test_no_se_usan_variantes_descartadas_por_el_glosario(patron):
    encontradas = []
    for ruta, texto in textos_del_curso():
        for coincidencia in re.finditer(patron, texto, flags=re.IGNORECASE):
            linea = texto.count("\n", 0, coincidencia.start()) + 1
            encontradas.append(f"{ruta.relative_to(RAIZ)}:{linea}: «{' '.join(coincidencia.group().split())}»")
    assert not encontradas, f"Usa «{VARIANTES_PROHIBIDAS[patron]}» en lugar de:\n" + "\n".join(encontradas)


def decimales_con_punto(prosas):
    """``lugar, línea: «número»`` de cada decimal con punto en ``prosas`` (pares ``(lugar, prosa)``)."""
    encontrados = []
    for lugar, prosa in prosas:
        for numero in DECIMAL_CON_PUNTO.finditer(prosa):
            anteriores = {palabra.strip(",;:()").lower() for palabra in prosa[: numero.start()].split()[-4:]}
            if anteriores & set(ANTES_DE_UNA_NUMERACION):
                continue
            linea = prosa.count("\n", 0, numero.start()) + 1
            encontrados.append(f"{lugar}, línea {linea}: «{numero.group()}»")
    return encontrados


def test_la_prosa_escribe_los_decimales_con_coma():
    encontrados = decimales_con_punto(prosas_del_curso())
    assert not encontrados, (
        "En el texto, los decimales llevan coma (0,5); el punto solo dentro del código (`0.5`):\n"
        + "\n".join(encontrados)
    )


def test_prosa_markdown_quita_el_codigo_y_conserva_las_lineas():
    texto = "uno 0,5\n```python\nx = 0.5\n```\ncon `lr=2e-4` y [enlace](a/b.1.md) 0.25\n"
    prosa = prosa_markdown(texto)
    assert prosa.count("\n") == texto.count("\n")
    assert [numero.group() for numero in DECIMAL_CON_PUNTO.finditer(prosa)] == ["0.25"]
    assert not DECIMAL_CON_PUNTO.search("1.797 dígitos, arXiv:1406.2661 y 2·10⁻⁴")


def test_las_versiones_y_los_apartados_no_cuentan_como_decimales():
    prosa = "Python 3.11, 3.12 o 3.13. En la sección 6.1 vimos\nque una tasa de 0.5 con 1.797 imágenes"
    assert decimales_con_punto([("a.md", prosa)]) == ["a.md, línea 2: «0.5»"]


def test_el_glosario_define_los_terminos_fijos_y_las_variantes_prohibidas():
    glosario = GLOSARIO.read_text(encoding="utf-8")
    primera_columna = {fila.split("|")[1].strip() for fila in glosario.splitlines() if fila.startswith("| ")}
    for termino in TERMINOS_FIJOS:
        assert any(celda.startswith(termino) for celda in primera_columna), f"falta «{termino}» en el glosario"
    for patron in VARIANTES_PROHIBIDAS:
        assert re.search(patron, glosario, flags=re.IGNORECASE), f"el glosario no menciona la variante {patron}"


def test_los_enlaces_relativos_de_las_lecciones_y_los_readme_existen():
    # Cualquier archivo o carpeta del repositorio: el README enlaza también cuadernos y benchmarks/README.md.
    rotos = []
    for ruta in [*sorted((RAIZ / "lessons").glob("*.md")), RAIZ / "README.md", RAIZ / "benchmarks" / "README.md"]:
        for destino in re.findall(r"\]\(([^)#\s]+)", ruta.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", destino):  # https:, mailto:
                continue
            if not (ruta.parent / destino).resolve().exists():
                rotos.append(f"{ruta.relative_to(RAIZ)} → {destino}")
    assert not rotos, "Enlaces rotos:\n" + "\n".join(rotos)


def test_cada_leccion_abre_con_preguntas_y_cierra_con_autoevaluacion_y_bibliografia():
    for ruta in sorted((RAIZ / "lessons").glob("0*.md")):
        texto = ruta.read_text(encoding="utf-8")
        secciones = re.findall(r"^## (.+)$", texto, flags=re.MULTILINE)
        assert secciones[0] == "Antes de empezar", f"{ruta.name} no empieza con «Antes de empezar»"
        for seccion in ("Autoevaluación", "Para saber más"):
            assert seccion in secciones, f"{ruta.name} no tiene «{seccion}»"
        assert texto.count("<details><summary>Respuestas</summary>") == 2, f"{ruta.name}: faltan respuestas"
