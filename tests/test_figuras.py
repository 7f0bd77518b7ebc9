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


def test_los_numeros_de_las_figuras_llevan_coma_decimal(tmp_path, monkeypatch):
    import re

    modulo = cargar_script()
    textos, guardar = [], modulo.guardar

    def guardar_y_leer(figura, carpeta, nombre):
        textos.extend((nombre, t.get_text()) for t in figura.texts + [t for eje in figura.axes for t in eje.texts])
        return guardar(figura, carpeta, nombre)

    monkeypatch.setattr(modulo, "guardar", guardar_y_leer)
    modulo.dibujar_todas(tmp_path)
    assert any(nombre == "matriz_gram.png" and "," in texto for nombre, texto in textos)
    # Antes, las casillas de la matriz de Gram decían «2.8», «29.1»: con punto, en una lección en español.
    assert [(nombre, texto) for nombre, texto in textos if re.search(r"\d\.\d", texto)] == []


def test_los_textos_caben_en_sus_cajas(tmp_path, monkeypatch):
    from matplotlib.patches import FancyBboxPatch

    modulo = cargar_script()
    salidas, guardar = [], modulo.guardar

    def guardar_y_medir(figura, carpeta, nombre):
        figura.canvas.draw()
        dibujo = figura.canvas.get_renderer()
        for eje in figura.axes:
            for caja in (p for p in eje.patches if isinstance(p, FancyBboxPatch)):
                centro = (caja.get_x() + caja.get_width() / 2, caja.get_y() + caja.get_height() / 2)
                marco = caja.get_window_extent(dibujo)
                for texto in eje.texts:
                    if abs(texto.get_position()[0] - centro[0]) < 1e-6 and abs(texto.get_position()[1] - centro[1]) < 1e-6:
                        letras = texto.get_window_extent(dibujo)
                        if letras.x0 < marco.x0 + 2 or letras.x1 > marco.x1 - 2:
                            salidas.append((nombre, texto.get_text()))
        return guardar(figura, carpeta, nombre)

    monkeypatch.setattr(modulo, "guardar", guardar_y_medir)
    modulo.dibujar_todas(tmp_path)
    # Antes, «Discriminador» en negrita se salía de su caja y «muestra generada» tocaba los bordes.
    assert salidas == []
