"""Un solo nombre para cada concepto: las variantes que el glosario descarta no aparecen en el curso.

La lista solo recoge errores claros (traducciones que el glosario rechaza de forma explícita); el
propio glosario las nombra, así que se excluye del examen.
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
}

TERMINOS_FIJOS = [
    "red generativa adversaria", "generador", "discriminador", "vector latente", "espacio latente",
    "colapso de modos", "suavizado unilateral de etiquetas", "ruido de instancia", "tasa de aprendizaje",
    "época", "lote", "convolución transpuesta", "normalización por lotes", "matriz de Gram",
    "pérdida de contenido", "pérdida de estilo", "variación total", "precisión mixta", "punto de control",
]


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


def test_hay_textos_que_examinar():
    nombres = {ruta.name for ruta, _ in textos_del_curso()}
    assert {"01_que_es_una_gan.md", "01_introduccion_gan.ipynb", "juguete.py"} <= nombres


@pytest.mark.parametrize("patron", VARIANTES_PROHIBIDAS)
def test_no_se_usan_variantes_descartadas_por_el_glosario(patron):
    encontradas = []
    for ruta, texto in textos_del_curso():
        for coincidencia in re.finditer(patron, texto, flags=re.IGNORECASE):
            linea = texto.count("\n", 0, coincidencia.start()) + 1
            encontradas.append(f"{ruta.relative_to(RAIZ)}:{linea}: «{coincidencia.group()}»")
    assert not encontradas, f"Use «{VARIANTES_PROHIBIDAS[patron]}» en lugar de:\n" + "\n".join(encontradas)


def test_el_glosario_define_los_terminos_fijos_y_las_variantes_prohibidas():
    glosario = GLOSARIO.read_text(encoding="utf-8")
    primera_columna = {fila.split("|")[1].strip() for fila in glosario.splitlines() if fila.startswith("| ")}
    for termino in TERMINOS_FIJOS:
        assert any(celda.startswith(termino) for celda in primera_columna), f"falta «{termino}» en el glosario"
    for patron in VARIANTES_PROHIBIDAS:
        assert re.search(patron, glosario, flags=re.IGNORECASE), f"el glosario no menciona la variante {patron}"


def test_los_enlaces_de_las_lecciones_a_imagenes_y_lecciones_existen():
    rotos = []
    for ruta in (RAIZ / "lessons").glob("*.md"):
        for destino in re.findall(r"\]\(([^)#\s]+)", ruta.read_text(encoding="utf-8")):
            if destino.startswith("http") or not destino.endswith((".md", ".png")):
                continue
            if not (ruta.parent / destino).resolve().exists():
                rotos.append(f"{ruta.name} → {destino}")
    assert not rotos, "Enlaces rotos:\n" + "\n".join(rotos)
