import re

import keras
import matplotlib
import numpy as np
import pytest
from PIL import Image

matplotlib.use("Agg")

from helpers import graficos  # noqa: E402
from helpers.tarea import generar_imagenes  # noqa: E402


@pytest.fixture(autouse=True)
def cerrar_figuras():
    """Cada prueba deja cerradas sus figuras: abiertas, se acumulan en pyplot (y matplotlib avisa pasadas 20)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def test_a_uint8_extremos():
    np.testing.assert_array_equal(graficos.a_uint8(np.array([-1.0, 0.0, 1.0, 5.0]).reshape(1, 2, 2)).ravel(), [0, 128, 255, 255])


def test_cuadricula_forma_y_separadores():
    imagenes = np.ones((5, 4, 4, 1), np.float32)
    mosaico = graficos.cuadricula(imagenes, columnas=3)
    assert mosaico.shape == (2 * 4 + 1, 3 * 4 + 2, 1)
    assert mosaico[4, 0, 0] == 128 and mosaico[0, 4, 0] == 128  # separadores grises
    assert mosaico[0, 0, 0] == 255
    assert np.all(mosaico[5:, 10:] == 128)  # hueco de la sexta imagen que no existe


def test_guardar_cuadricula_en_color(tmp_path):
    from PIL import Image

    ruta = graficos.guardar_cuadricula(np.zeros((4, 8, 8, 3)), tmp_path / "sub" / "g.png")
    imagen = Image.open(ruta)
    assert imagen.mode == "RGB" and imagen.width >= 256


def test_dibujar_perdidas_guarda_png(tmp_path):
    historial = {"perdida_g": [1.0, 0.9], "perdida_d": [1.3, 1.2], "exactitud_d": [0.6, 0.55]}
    graficos.dibujar_perdidas(historial, tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 5000


def test_dibujar_perdidas_acepta_lo_que_devuelve_fit(tmp_path):
    historia = keras.callbacks.History()  # lo que devuelve fit: el diccionario está en .history
    historia.history = {"perdida_g": [1.0, 0.9], "perdida_d": [1.3, 1.2], "exactitud_d": [0.6, 0.55]}
    graficos.dibujar_perdidas(historia, tmp_path / "p.png")
    assert (tmp_path / "p.png").stat().st_size > 5000


@pytest.mark.parametrize("historial, llego", [
    ({"loss": [0.5]}, "un diccionario con loss"),
    ({"perdida_g": [1.0], "exactitud_d": [1.0]}, "un diccionario con perdida_g, exactitud_d"),
    ({}, "un diccionario vacío"),
    ([1.0, 0.9], "un objeto de tipo list"),
])
def test_dibujar_perdidas_sin_las_metricas_de_una_gan_lo_explica(historial, llego, tmp_path):
    with pytest.raises(ValueError, match=f"con las listas perdida_g y perdida_d \\(y, si la hay, exactitud_d\\), y le llegó {llego}\\. "
                                         r"Pásale lo que devuelve gan\.fit"):
        graficos.dibujar_perdidas(historial, tmp_path / "p.png")
    assert not (tmp_path / "p.png").exists()


def test_curvas_metrica_con_registros_o_historiales_y_errores_explicados(tmp_path):
    registros = [{"epoca": 1, "segundos": 2.0, "valor": 300.0}, {"epoca": 2, "segundos": 4.0, "valor": 250.0}]
    # El historial entero de entrenar (con su «metrica») vale lo mismo que sus registros.
    figura = graficos.dibujar_curvas_metrica({"a": registros, "b": {"perdida_g": [1.0], "metrica": registros}},
                                             eje_x="epoca", ruta=tmp_path / "m.png")
    a, b = figura.axes[0].lines
    assert list(a.get_xdata()) == list(b.get_xdata()) == [1, 2] and list(b.get_ydata()) == [300.0, 250.0]
    # Las épocas son enteras (metrica.png de un entrenamiento corto marcaba «1,25», «1,50»…), también con una sola.
    assert all(float(x).is_integer() for x in figura.axes[0].get_xticks())
    assert list(graficos.dibujar_curvas_metrica(registros[:1], eje_x="epoca").axes[0].get_xticks()) == [1]
    assert (tmp_path / "m.png").stat().st_size > 5000
    with pytest.raises(ValueError, match="eje_x='época' no es válido: usa \"segundos\" o \"epoca\""):
        graficos.dibujar_curvas_metrica({"a": registros}, eje_x="época")
    for curva in ({"perdida_g": [1.0]}, None, [1.0, 2.0]):  # sin reales_metrica, o una lista de valores
        with pytest.raises(ValueError, match="«sin aumento» no es una lista de registros con \"segundos\" y \"valor\""):
            graficos.dibujar_curvas_metrica({"sin aumento": curva})
    # Una sola curva: basta la lista de registros o el historial entero.
    for una in (registros, {"perdida_g": [1.0], "metrica": registros}):
        (linea,) = graficos.dibujar_curvas_metrica(una, eje_x="epoca").axes[0].lines
        assert list(linea.get_ydata()) == [300.0, 250.0]
    with pytest.raises(ValueError, match=r"curvas debe ser \{nombre: registros\}.*y recibió str"):
        graficos.dibujar_curvas_metrica("historial.csv")
    with pytest.raises(ValueError, match="«SWD ×10³» no tiene ninguna medida todavía: .*¿se interrumpió"):
        graficos.dibujar_curvas_metrica({"perdida_g": [], "metrica": []})  # cortado antes de la primera medida


def test_las_rutas_con_virgulilla_van_a_tu_carpeta_personal(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))  # Windows
    monkeypatch.chdir(tmp_path)  # una carpeta «~» aparecería aquí
    registros = [{"epoca": 1, "segundos": 2.0, "valor": 300.0}]
    assert graficos.guardar_cuadricula(np.zeros((4, 8, 8, 1)), "~/c.png") == tmp_path / "c.png"
    graficos.dibujar_perdidas({"perdida_g": [1.0, 0.9], "perdida_d": [1.2, 1.1]}, ruta="~/perdidas/p.png")
    graficos.dibujar_curvas_metrica(registros, eje_x="epoca", ruta="~/m.png")
    assert sorted(p.name for p in tmp_path.rglob("*.png")) == ["c.png", "m.png", "p.png"]
    assert not (tmp_path / "~").exists()


def test_dibujar_perdidas_sin_exactitud_dibuja_solo_las_perdidas(tmp_path):
    # Lo que devuelve el train_step que escribe el estudiante en el cuaderno 02.
    graficos.dibujar_perdidas({"perdida_g": [1.0, 0.9], "perdida_d": [1.3, 1.2]}, tmp_path / "p.png")
    with Image.open(tmp_path / "p.png") as figura:
        assert figura.width == 600  # un solo panel (6 pulgadas a 100 ppp); con exactitud, 1100


def test_interpolacion_lineal_en_el_espacio_latente():
    import keras

    identidad = keras.Sequential([keras.Input((3,)), keras.layers.Reshape((1, 3, 1))])
    tira = graficos.interpolar_latente(identidad, np.zeros(3), np.ones(3), pasos=5)
    assert tira.shape == (5, 1, 3, 1)
    np.testing.assert_allclose(tira[:, 0, 0, 0], [0, 0.25, 0.5, 0.75, 1.0])
    # Un vector como fila (1, 3) también vale; otro tamaño, una ruta o pasos=0 se explican.
    np.testing.assert_allclose(graficos.interpolar_latente(identidad, np.zeros((1, 3)), np.ones(3), pasos=5), tira)
    with pytest.raises(ValueError, match=r"z_fin tiene forma \(10,\) y el generador pide un vector latente de 3 números: pasa"):
        graficos.interpolar_latente(identidad, np.zeros(3), np.ones(10))
    with pytest.raises(ValueError, match=r"es una ruta, no un generador: cárgalo antes con helpers.cargar_generador"):
        graficos.interpolar_latente("resultados/mi_gan/generador.keras", np.zeros(3), np.ones(3))
    with pytest.raises(ValueError, match=r"pasos=0 no es válido: debe ser un entero positivo"):
        graficos.interpolar_latente(identidad, np.zeros(3), np.ones(3), pasos=0)
    # Antes, «could not convert string to float» de NumPy y «'numpy.ndarray' object is not callable».
    with pytest.raises(ValueError, match=r"z_inicio no es un vector de números \(str\) y el generador pide un vector latente de 3"):
        graficos.interpolar_latente(identidad, "abc", np.ones(3))
    for no_es_red in (np.zeros((4, 1, 3, 1)), None):
        with pytest.raises(ValueError, match=r"generador=\w+ no es un generador: pasa el generador \(un keras.Model\)"):
            graficos.interpolar_latente(no_es_red, np.zeros(3), np.ones(3))
        with pytest.raises(ValueError, match=r"generador=\w+ no es un generador"):
            graficos.mostrar_interpolacion(no_es_red)
    # Una función de Python sirve para interpolar (no es un modelo: la dimensión sale de los vectores)…
    np.testing.assert_allclose(graficos.interpolar_latente(lambda z, training: z, np.zeros(3), np.ones(3), pasos=5)[:, 0],
                               tira[:, 0, 0, 0])
    # Sin parámetro training, se llama sin él: antes, «<lambda>() got an unexpected keyword argument 'training'».
    np.testing.assert_allclose(graficos.interpolar_latente(lambda z: z, np.zeros(3), np.ones(3), pasos=5)[:, 0],
                               tira[:, 0, 0, 0])
    vistos = []
    graficos.interpolar_latente(lambda z, **opciones: vistos.append(opciones) or z, np.zeros(3), np.ones(3))
    assert vistos == [{"training": False}]  # con **kwargs, sí se pasa
    # …pero mostrar_interpolacion necesita la del generador: antes, «'function' object has no attribute 'input_shape'».
    with pytest.raises(ValueError, match=r"generador=function no es un generador: pasa el generador \(un keras.Model\)"):
        graficos.mostrar_interpolacion(lambda z: z)
    # Un modelo de Keras con otras formas (aquí, un discriminador) dice qué es un generador y nombra el parámetro.
    discriminador = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match=re.escape("generador=Sequential no es un generador (de un vector latente a una "
                                                   "imagen; el de una GAN condicional")):
        graficos.interpolar_latente(discriminador, np.zeros(3), np.ones(3))
    for opcion, mensaje in (({"filas": 0}, "filas=0 no es válido: debe ser un entero"),
                            ({"semilla": -1}, "semilla=-1 no es válida: usa un número entero")):
        with pytest.raises(ValueError, match=mensaje):
            graficos.mostrar_interpolacion(identidad, **opcion)


def test_una_cuadricula_sin_imagenes_o_con_otros_canales_se_explica(tmp_path):
    for imagenes in (np.zeros((0, 8, 8, 3)), np.zeros((4, 8, 8, 5))):
        with pytest.raises(ValueError, match=r"n ≥ 1 y 1 o 3 canales; llegan de forma \((0, 8, 8, 3|4, 8, 8, 5)\)"):
            graficos.guardar_cuadricula(imagenes, tmp_path / "cuadricula.png")
    assert not (tmp_path / "cuadricula.png").exists()
    with pytest.raises(ValueError, match=r"cuadricula»: no tiene extensión. Usa .png"):
        graficos.guardar_cuadricula(np.zeros((4, 8, 8, 3)), tmp_path / "cuadricula")
    # Un generador de 5 canales (no es de imágenes): generar lo explica en lugar del TypeError de Pillow.
    cinco_canales = keras.Sequential([keras.Input((4,)), keras.layers.Dense(8 * 8 * 5), keras.layers.Reshape((8, 8, 5))])
    with pytest.raises(ValueError, match=r"llegan de forma \(4, 8, 8, 5\)"):
        generar_imagenes(cinco_canales, tmp_path / "generadas", n=4)
    assert not (tmp_path / "generadas").exists()


def test_cuadricula_de_una_imagen_fuera_de_rango_o_de_otra_cosa(tmp_path):
    imagen = np.linspace(-1, 1, 16 * 16).reshape(16, 16, 1)
    # Una sola imagen (alto, ancho, canales): antes, 16 imágenes de 16×1 en una tira de 7×67.
    np.testing.assert_array_equal(graficos.cuadricula(imagen), graficos.a_uint8(imagen[None])[0])
    with Image.open(graficos.guardar_cuadricula(np.repeat(imagen, 3, -1), tmp_path / "una.png", escala=1)) as png:
        assert png.size == (16, 16)
    with pytest.warns(UserWarning, match=r"van de 0 a 255 y se dibujan en \[-1, 1\].*imagenes / 127.5 - 1"):
        graficos.cuadricula((imagen + 1) * 127.5)
    rota = imagen.copy()
    rota[:4] = np.nan
    with pytest.warns(UserWarning, match=r"^64 de los 256 valores de las imágenes son NaN y se dibujan en gris: si son "
                                         r"muestras de una GAN, su entrenamiento se rompió"):  # antes, gris sin decir nada
        graficos.guardar_cuadricula(rota, tmp_path / "rota.png")
    for otra_cosa in (keras.Sequential(), {"imagenes": imagen}):
        with pytest.raises(ValueError, match="hacen falta imágenes .* next\\(iter\\(datos\\)\\).*gan.muestrear"):
            graficos.cuadricula(otra_cosa)
    with pytest.raises(ValueError, match="columnas=2.5 no es válido"):
        graficos.cuadricula(imagen, columnas=2.5)
    with pytest.raises(ValueError, match="escala=-1 no es válida"):
        graficos.guardar_cuadricula(imagen, tmp_path / "mal.png", escala=-1)


def test_las_marcas_de_los_ejes_llevan_coma_decimal():
    import matplotlib.pyplot as plt

    figura, (lineal, logaritmico) = plt.subplots(1, 2)
    lineal.plot([0.0, 0.5, 1.0], [2e-5, 3e-5, 4e-5])
    logaritmico.semilogy([1, 2], [1, 1000])
    graficos.con_coma_decimal(figura).canvas.draw()
    marcas = [m.get_text() for m in lineal.get_xticklabels()]
    assert "0,50" in marcas and not any("." in m for m in marcas)
    marcas_y = [m.get_text() for m in lineal.get_yticklabels()]
    assert "2,50" in marcas_y and not any("." in m for m in marcas_y)  # con «1e−5» aparte
    assert type(logaritmico.yaxis.get_major_formatter()) is not graficos._MarcasConComa  # 10², sin decimales
    plt.close(figura)


def test_una_ruta_de_figura_que_no_sirve_se_explica(tmp_path):
    historial = {"perdida_g": [1.0, 0.9], "perdida_d": [1.3, 1.2]}
    # Una carpeta: antes, matplotlib guardaba «carpeta.png» junto a ella, fuera, sin decir nada.
    carpeta = tmp_path / "resultados"
    carpeta.mkdir()
    with pytest.raises(ValueError, match=r"resultados»: es una carpeta\. Usa un archivo \.png \(o \.pdf, \.svg\), p\. ej\. "
                                         r"«.*resultados/figura\.png»"):
        graficos.dibujar_perdidas(historial, carpeta)
    assert not (tmp_path / "resultados.png").exists()
    with pytest.raises(ValueError, match=r"resultados»: es una carpeta\. Usa un archivo \.png \(o \.jpg, \.webp\)"):
        graficos.guardar_cuadricula(np.zeros((4, 8, 8, 1)), carpeta)  # antes, «no tiene extensión… resultados.png»
    with pytest.raises(ValueError, match=r"^«\.»: es una carpeta"):
        graficos.guardar_cuadricula(np.zeros((4, 8, 8, 1)), ".")  # antes, un error de pathlib en inglés
    # Una extensión que matplotlib no conoce: antes, «Format 'txt' is not supported», en inglés.
    with pytest.raises(ValueError, match=r"p\.txt»: la extensión «\.txt» no es de imagen\. .* p\. ej\. «.*p\.png»"):
        graficos.dibujar_curvas_metrica([{"epoca": 1, "segundos": 2.0, "valor": 300.0}], ruta=tmp_path / "p.txt")
    with pytest.raises(ValueError, match=r"^ruta=True no sirve como ruta: indica el archivo de la figura"):
        graficos.dibujar_perdidas(historial, True)
    graficos.dibujar_perdidas(historial, tmp_path / "p.pdf")  # otros formatos de matplotlib siguen valiendo
    assert (tmp_path / "p.pdf").stat().st_size > 1000
    graficos.dibujar_perdidas(historial, tmp_path / "sin_extension")  # como antes (matplotlib): .png
    assert (tmp_path / "sin_extension.png").exists()
    # Un número no es una extensión: la sugerencia conserva el nombre entero (antes, «perdidas_lr0.png»).
    for guardar in (lambda ruta: graficos.dibujar_perdidas(historial, ruta),
                    lambda ruta: graficos.guardar_cuadricula(np.zeros((4, 8, 8, 1)), ruta)):
        with pytest.raises(ValueError, match=r"la extensión «\.001» no es de imagen\. .*perdidas_lr0\.001\.png"):
            guardar(tmp_path / "perdidas_lr0.001")
    # "" en guardar_cuadricula: antes, ««.»: no tiene extensión. Usa .png …, p. ej. .png».
    with pytest.raises(ValueError, match=r"^ruta='' no sirve como ruta: indica el archivo donde guardarla"):
        graficos.guardar_cuadricula(np.zeros((4, 8, 8, 1)), "")


def test_tamanos_de_cuadricula_que_no_sirven_se_explican():
    # figsize=(8, 8) por costumbre de matplotlib: antes, «unsupported operand type(s) for /: 'tuple' and 'int'».
    with pytest.raises(ValueError, match=r"tamano_figura=\(8, 8\) no es válido: es el ancho de la figura en pulgadas"):
        graficos.mostrar_cuadricula(np.zeros((4, 8, 8, 1)), tamano_figura=(8, 8))
    with pytest.raises(ValueError, match="separacion=1.5 no es válido: debe ser un entero ≥ 0"):  # antes, de NumPy
        graficos.cuadricula(np.zeros((4, 8, 8, 1)), separacion=1.5)


def test_dibujar_perdidas_de_una_sola_epoca_marca_el_punto(monkeypatch):
    # Una línea de un solo punto no se dibuja: tras fit(..., epochs=1) la figura salía con los ejes vacíos.
    import matplotlib.pyplot as plt

    figuras = []
    monkeypatch.setattr(plt, "show", lambda: figuras.append(plt.gcf()))
    graficos.dibujar_perdidas({"perdida_g": [0.9], "perdida_d": [1.3], "exactitud_d": [0.6]})
    lineas = [linea for eje in figuras[0].axes for linea in eje.lines if len(linea.get_xdata()) == 1]
    assert len(lineas) == 3 and all(linea.get_marker() not in (None, "None", "") for linea in lineas)
    # Y el eje de las épocas marca la 1, no «0,96 … 1,04».
    assert all(list(eje.get_xticks()) == [1] for eje in figuras[0].axes)
    plt.close(figuras[0])


@pytest.mark.parametrize("historial, llego", [
    ({"perdida_g": [1.0, 0.9], "perdida_d": [1.3]}, "perdida_g: 2 valores, perdida_d: 1 valor"),
    ({"perdida_g": [1.0], "perdida_d": [1.3], "exactitud_d": []}, "exactitud_d: 0 valores"),
    ({"perdida_g": 1.0, "perdida_d": 1.3}, "perdida_g: no es una lista de números"),
    ({"perdida_g": [], "perdida_d": []}, "perdida_g: 0 valores, perdida_d: 0 valores"),
])
def test_dibujar_perdidas_con_listas_desiguales_o_vacias_lo_explica(historial, llego, tmp_path):
    # Antes: «x and y must have same first dimension…» de matplotlib, un TypeError, o una figura vacía.
    with pytest.raises(ValueError, match=f"todas igual de largas y con al menos una época, y le llegó .*{llego}"):
        graficos.dibujar_perdidas(historial, tmp_path / "p.png")
    assert not (tmp_path / "p.png").exists()


def test_las_marcas_logaritmicas_son_numeros_corrientes():
    import matplotlib.pyplot as plt

    figura, (perdida, swd, enorme) = plt.subplots(1, 3)
    perdida.semilogy([0, 20], [10, 2])  # la pérdida de dibujar_historiales: antes, «2×10⁰», «6×10⁰»
    swd.semilogy([0, 3], [110, 700])  # la SWD de dibujar_comparacion: antes, «3×10²»
    enorme.semilogy([1, 2], [1e-6, 1e6])
    graficos.con_coma_decimal(figura).canvas.draw()
    marcas = lambda eje: [m.get_text() for m in eje.get_yticklabels() + eje.get_yticklabels(minor=True) if m.get_text()]
    assert {"2", "3", "10"} <= set(marcas(perdida)) and {"100", "300", "600"} <= set(marcas(swd))
    assert not any("times" in m or "^" in m for m in marcas(perdida) + marcas(swd))
    # Si el eje abarca demasiado, todas en notación científica (no «0,01» junto a «10⁻⁴»).
    assert all(m.startswith("$") for m in marcas(enorme))
    figura, eje = plt.subplots()
    eje.semilogy([1, 2], [0.2, 0.9])
    graficos.con_coma_decimal(figura).canvas.draw()
    assert {"0,2", "0,3", "1"} <= set(marcas(eje))
    plt.close("all")


def test_las_marcas_logaritmicas_siguen_al_eje_que_queda_al_quitar_uno_compartido():
    import matplotlib.pyplot as plt

    # Al quitar uno de dos ejes compartidos, matplotlib pasa sus formateadores al que queda (set_axis): el de
    # dentro de _MarcasLogaritmicas seguía mirando los límites del quitado (de 0,1 a 500: sin marcas secundarias).
    for quitado in (0, 1):  # a cuál miraba depende de la versión de matplotlib
        figura, ejes = plt.subplots(2, 1, sharex=True)
        ejes[0].semilogx([0.1, 500], [1, 2])
        graficos.con_coma_decimal(figura).canvas.draw()
        ejes[quitado].remove()
        queda = ejes[1 - quitado].xaxis
        queda.axes.set_xlim(1.5, 9)
        figura.canvas.draw()
        assert {"2", "3", "4", "6"} <= set(queda.get_minor_formatter().format_ticks(queda.get_minorticklocs())), quitado


def test_dibujar_perdidas_con_titulo():
    import matplotlib.pyplot as plt

    plt.close("all")
    historial = {"perdida_g": [1.0, 0.9], "perdida_d": [1.3, 1.2], "exactitud_d": [0.6, 0.7]}
    # El cuaderno 04 dibuja dos seguidas (la ingenua y la receta del curso): sin título no se sabía cuál era cuál.
    graficos.dibujar_perdidas(historial, titulo="ingenua")
    assert plt.gcf()._suptitle.get_text() == "ingenua"
    plt.close("all")
    graficos.dibujar_perdidas(historial)
    assert plt.gcf()._suptitle is None
    plt.close("all")


def test_mostrar_cuadricula_ensancha_las_tiras_de_muchas_columnas(monkeypatch):
    import matplotlib.pyplot as plt

    anchos = []
    monkeypatch.setattr(plt, "show", lambda: anchos.append(plt.gcf().get_size_inches()[0]))
    digitos = np.zeros((16, 16, 16, 1))
    graficos.mostrar_cuadricula(digitos, columnas=16)  # el lote etiquetado del cuaderno 07: antes, 5 pulgadas
    graficos.mostrar_cuadricula(digitos[:10], columnas=10)  # las tiras de mostrar_interpolacion
    graficos.mostrar_cuadricula(np.zeros((64, 16, 16, 1)))  # 8 columnas: como siempre
    graficos.mostrar_cuadricula(digitos, columnas=16, tamano_figura=3)  # el que pidas
    graficos.mostrar_cuadricula(np.zeros((16, 16, 1)))  # una sola imagen
    assert anchos == pytest.approx([9.6, 6.0, 5.0, 3.0, 5.0])
    plt.close("all")


def test_guardar_cuadricula_deja_el_mosaico_cerca_de_512_px(tmp_path):
    def ancho(imagenes, **opciones):
        with Image.open(graficos.guardar_cuadricula(imagenes, tmp_path / "c.png", **opciones)) as png:
            return png.width

    assert ancho(np.zeros((64, 32, 32, 3))) == 526  # antes, 263 px: las 64 caras de la tarea, diminutas
    assert ancho(np.zeros((40, 32, 32, 3)), columnas=10) == 658  # 329 px
    assert ancho(np.zeros((64, 16, 16, 1))) == 540  # 135 px
    assert ancho(np.zeros((64, 64, 64, 3))) == 519  # ya cerca: no se amplía
    assert ancho(np.zeros((64, 128, 128, 3))) == 1031
    assert ancho(np.zeros((64, 32, 32, 3)), escala=1) == 263


