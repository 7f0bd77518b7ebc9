"""El script de figuras de las lecciones dibuja todos los PNG en la carpeta que se le indique."""

import importlib.util
from pathlib import Path

import pytest
from PIL import Image

SCRIPT = Path(__file__).resolve().parents[1] / "images" / "dibujar_figuras.py"


def cargar_script():
    especificacion = importlib.util.spec_from_file_location("dibujar_figuras", SCRIPT)
    modulo = importlib.util.module_from_spec(especificacion)
    especificacion.loader.exec_module(modulo)
    return modulo


@pytest.fixture(scope="module")
def carpeta_y_rutas(tmp_path_factory):
    carpeta = tmp_path_factory.mktemp("figuras")
    return carpeta, [Path(ruta) for ruta in cargar_script().dibujar_todas(carpeta)]


def test_dibujar_todas_crea_pngs_legibles_en_la_carpeta_pedida(carpeta_y_rutas):
    carpeta, rutas = carpeta_y_rutas
    assert len(rutas) == len(set(rutas)) >= 6
    for ruta in rutas:
        assert ruta.parent == carpeta and ruta.suffix == ".png"
        assert ruta.stat().st_size > 10_000, f"{ruta.name} está casi vacía"
        with Image.open(ruta) as imagen:
            assert imagen.format == "PNG"
            assert 500 <= imagen.width <= 2500 and 250 <= imagen.height <= 2000, (ruta.name, imagen.size)
            # Una figura en blanco tendría un solo color.
            assert len(imagen.convert("L").getcolors(maxcolors=1 << 16) or range(1000)) > 20


def test_las_lecciones_usan_las_figuras_que_dibuja_el_script(carpeta_y_rutas):
    nombres = {ruta.name for ruta in carpeta_y_rutas[1]}
    lecciones = "".join(p.read_text(encoding="utf-8") for p in (SCRIPT.parents[1] / "lessons").glob("*.md"))
    for nombre in nombres:
        assert f"images/{nombre}" in lecciones, f"ninguna lección muestra {nombre}"
