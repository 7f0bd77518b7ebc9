"""Los cambios que los cuadernos invitan a hacer (otro lote, otra frecuencia, los ejercicios) no
rompen sus comprobaciones: se editan una o dos celdas como lo haría un estudiante y se ejecutan las
celdas de código necesarias en un mismo espacio de nombres, como en el núcleo de Jupyter."""

import json

import matplotlib
import pytest

import conftest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 (después de elegir Agg)


def _ejecutar(cuaderno, celdas, cambios, espacio=None):
    """Ejecuta las ``celdas`` (índices entre todas las celdas) de ``cuaderno`` tras aplicar ``cambios``
    (``{índice: (texto, nuevo)}``) y devuelve el espacio de nombres (``espacio``: lo que ya definieron
    las celdas anteriores, si no se ejecutan). Como en el núcleo, lo que define una celda antes de fallar se
    queda en ``espacio``."""
    todas = json.loads((conftest.RAIZ / "notebooks" / cuaderno).read_text(encoding="utf-8"))["cells"]
    espacio = {"__name__": "__main__"} if espacio is None else espacio
    for indice in celdas:
        assert todas[indice]["cell_type"] == "code", (cuaderno, indice)
        fuente = "".join(todas[indice]["source"])
        if indice in cambios:
            texto, nuevo = cambios[indice]
            assert fuente.count(texto) == 1, f"{cuaderno}, celda {indice}: ya no contiene {texto!r}"
            fuente = fuente.replace(texto, nuevo)
        exec(compile(fuente, f"{cuaderno}, celda {indice}", "exec"), espacio)
        plt.close("all")
    return espacio


@pytest.fixture(autouse=True)
def titulos(tmp_path, monkeypatch):
    """Los títulos de las figuras que muestran las celdas, en orden."""
    monkeypatch.setenv("CURSO_GAN_RESULTADOS", str(tmp_path / "resultados"))
    vistos = []
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: vistos.extend(eje.get_title() for eje in plt.gcf().axes))
    return vistos


def test_01_con_otra_frecuencia_de_fotos_la_celda_de_entrenamiento_sigue_valiendo():
    espacio = _ejecutar("01_introduccion_gan.ipynb", [1, 4, 6, 10], {10: ("cada=6", "cada=10")})
    assert len(espacio["fotogramas"].fotos) == 1 + espacio["epocas"] // 10


def test_02_el_titulo_de_tu_gan_dice_las_epocas_que_entrenaste(titulos):
    _ejecutar("02_dcgan_digitos.ipynb", [1, 4, 5, 7, 10, 13, 16], {16: ("epochs=10", "epochs=2")})
    assert titulos[-1] == "Tu GAN tras 2 épocas"


def test_03_las_caras_sin_reflejos_del_ejercicio_2_pasan_la_celda_de_los_datos():
    espacio = _ejecutar("03_dcgan_rostros.ipynb", [1, 4], {4: ('"entrenamiento")', '"entrenamiento", espejo=False)')})
    assert len(espacio["entrenamiento"]) == 75


def test_06_sin_descartar_duplicados_la_carpeta_de_ejemplo_no_parece_incompleta():
    espacio = _ejecutar("06_tarea_tus_imagenes.ipynb", [1, 4, 6, 8, 12],
                        {12: ("SIN_DUPLICADOS = True", "SIN_DUPLICADOS = False")})
    assert not any(motivo.startswith("copia exacta") for _, motivo in espacio["informe"].descartadas)


def test_07_con_otro_lote_las_celdas_de_los_datos_y_del_discriminador_siguen_valiendo():
    espacio = _ejecutar("07_gan_condicional.ipynb", [1, 4, 6, 8], {4: ("lote=32", "lote=64")})
    assert espacio["lote_imagenes"].shape == (64, 16, 16, 1) and espacio["logits_bien"].shape == (64, 1)


def test_02_mnist_del_ejercicio_6_pasa_las_celdas_de_los_datos(monkeypatch):
    import keras
    import numpy as np

    azar = np.random.default_rng(0)  # sin red: un MNIST de mentira con su forma (n, 28, 28) en uint8
    falso = (azar.integers(0, 256, (100, 28, 28), dtype=np.uint8), azar.integers(0, 10, 100)), (None, None)
    monkeypatch.setattr(keras.datasets.mnist, "load_data", lambda: falso)
    espacio = _ejecutar("02_dcgan_digitos.ipynb", [1, 4, 5],
                        {4: ('cargar_imagenes("digitos")', 'cargar_imagenes("mnist")')})
    assert espacio["lote"].shape[1:] == (28, 28, 1)


def test_06_la_entrega_dice_las_medidas_del_generador_que_entregas(tmp_path, capsys):
    from PIL import Image

    import helpers
    from helpers import tarea
    from helpers.graficos import a_uint8
    from helpers.metricas import lectura_memorizacion

    fotos, salida = tmp_path / "fotos", tmp_path / "mi_gan"
    fotos.mkdir()
    for i, cara in enumerate(a_uint8(helpers.imagenes_rostros(32, "todo", espejo=False))[:20, ..., 0]):
        Image.fromarray(cara).save(fotos / f"cara_{i:02d}.png")
    tarea.entrenar_carpeta(fotos, salida, tamano=32, epocas=1, verbose=0)
    # Como si el kit hubiera recomendado el de menor SWD, distinto del final (en una época no pasa).
    helpers.fijar_semilla(1)
    otro = helpers.crear_gan(32, 3, **helpers.RECETA_POCOS_DATOS).generador_para_muestras()
    for nombre in ("generador_menor_swd.keras", "mejor_generador.keras"):
        otro.save(salida / nombre)
    capsys.readouterr()
    espacio = _ejecutar("06_tarea_tus_imagenes.ipynb", [28], {28: (
        "reflexion=REFLEXION)", 'reflexion=REFLEXION, generador="mejor_generador.keras")')}, espacio={
        "helpers": helpers, "RESULTADOS": tmp_path, "SALIDA": salida, "lectura_memorizacion": lectura_memorizacion})
    medidas = espacio["manifiesto"]["medidas"]
    entregado, final = (helpers.cifra(medidas[nombre]["swd"], 1) for nombre in ("mejor_generador.keras", "generador.keras"))
    assert entregado != final and f"mejor_generador.keras, SWD {entregado}," in capsys.readouterr().out


def test_06_con_menos_epocas_que_las_ya_entrenadas_la_celda_de_reanudar_no_dice_que_se_interrumpio():
    celdas = [1, 4, 6, 8, 12, 14, 16]
    espacio = _ejecutar("06_tarea_tus_imagenes.ipynb", celdas, {14: ("EPOCAS = 300", "EPOCAS = 6")})
    # Otra vez, con menos épocas (p. ej. para acabar antes) y la misma SALIDA: no queda nada que entrenar.
    espacio = _ejecutar("06_tarea_tus_imagenes.ipynb", [14, 16], {14: ("EPOCAS = 300", "EPOCAS = 5")}, espacio)
    assert espacio["reanudado"]["epoca"] == 6 and not espacio["reanudado"]["interrumpido"]


def test_07_con_las_prendas_del_ejercicio_5_la_medida_de_aciertos_no_culpa_a_las_epocas(monkeypatch):
    import keras
    import numpy as np

    azar = np.random.default_rng(0)  # sin red: un Fashion-MNIST de mentira con su forma (n, 28, 28) en uint8
    falso = (azar.integers(0, 256, (200, 28, 28), dtype=np.uint8), np.arange(200) % 10), (None, None)
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", lambda: falso)
    cambios = {4: ("helpers.imagenes_digitos(16)", 'helpers.imagenes_mnist("fashion_mnist", tamano=16)'),
               12: ("EPOCAS = 30", "EPOCAS = 1")}
    with pytest.raises(AssertionError, match="ejercicio 5"):
        _ejecutar("07_gan_condicional.ipynb", [1, 4, 6, 8, 10, 12, 15], cambios)


def test_06_tu_carpeta_tras_la_de_ejemplo_no_se_toma_por_la_de_ejemplo(tmp_path):
    """Con la carpeta de ejemplo ya usada, escribir la tuya en MIS_IMAGENES y saltarte la celda de la de ejemplo
    no puede acabar en «La carpeta de ejemplo <tus fotos> está incompleta…: bórrala»."""
    from PIL import Image

    import helpers
    from helpers.graficos import a_uint8

    mias = tmp_path / "mis_fotos"
    mias.mkdir()
    for i, cara in enumerate(a_uint8(helpers.imagenes_rostros(32, "todo", espejo=False))[:12, ..., 0]):
        Image.fromarray(cara).save(mias / f"cara_{i:02d}.png")
    espacio = _ejecutar("06_tarea_tus_imagenes.ipynb", [1, 4, 6, 8, 10], {})
    espacio = _ejecutar("06_tarea_tus_imagenes.ipynb", [4, 10, 12],
                        {4: ("MIS_IMAGENES = None", f"MIS_IMAGENES = {str(mias)!r}")}, espacio)
    assert len(espacio["preparadas"]) == 12


def test_06_si_la_celda_del_corte_da_un_error_la_de_reanudar_no_dice_que_la_interrumpiste(tmp_path):
    """Con pocas fotos, entrenar_carpeta lo explica y la celda del corte falla; la de reanudar decía después «la celda
    del corte se interrumpió antes de terminar la primera época», y nadie la había interrumpido."""
    from PIL import Image

    import helpers
    from helpers.graficos import a_uint8

    mias = tmp_path / "pocas_fotos"
    mias.mkdir()
    for i, cara in enumerate(a_uint8(helpers.imagenes_rostros(32, "todo", espejo=False))[:3, ..., 0]):
        Image.fromarray(cara).save(mias / f"cara_{i}.png")
    espacio = _ejecutar("06_tarea_tus_imagenes.ipynb", [1, 4, 6, 8, 12],
                        {4: ("MIS_IMAGENES = None", f"MIS_IMAGENES = {str(mias)!r}")})
    with pytest.raises(ValueError, match="Solo hay 3 imágenes utilizables"):
        _ejecutar("06_tarea_tus_imagenes.ipynb", [14], {}, espacio)
    with pytest.raises(AssertionError, match="¿la interrumpiste o dio un error") as error:
        _ejecutar("06_tarea_tus_imagenes.ipynb", [16], {}, espacio)
    assert "se interrumpió antes" not in str(error.value)
    with pytest.raises(AssertionError, match="¿la interrumpiste o dio un error"):  # tampoco la de las figuras
        _ejecutar("06_tarea_tus_imagenes.ipynb", [18], {}, espacio)


def test_06_con_drive_volver_a_ejecutar_solo_la_celda_de_tus_imagenes_no_devuelve_los_resultados_a_colab(monkeypatch):
    """Con USAR_DRIVE = True, la celda de MIS_IMAGENES dejaba RESULTADOS en la máquina de Colab y era la de montar Drive
    la que lo cambiaba: ejecutar de nuevo solo la primera hacía que el entrenamiento empezara de cero fuera de Drive.
    Ahora la misma celda monta Drive: saltarse la siguiente no deja escribir en un /content/drive sin montar."""
    import sys
    import types
    from pathlib import Path

    montajes = []
    colab = types.ModuleType("google.colab")
    colab.drive = types.SimpleNamespace(mount=montajes.append)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    en_drive = Path("/content/drive/MyDrive/curso_gan/06_tarea")
    con_drive = {4: ("USAR_DRIVE = False", "USAR_DRIVE = True")}
    espacio = _ejecutar("06_tarea_tus_imagenes.ipynb", [1, 4], con_drive)
    assert espacio["RESULTADOS"] == en_drive and montajes == ["/content/drive"]
    espacio = _ejecutar("06_tarea_tus_imagenes.ipynb", [6, 4], con_drive, espacio)
    assert espacio["RESULTADOS"] == en_drive and montajes == ["/content/drive"] * 2


def test_05_otra_pintura_sin_volver_a_revolverla_dice_que_celda_ejecutar():
    """El ejercicio 2 invita a cambiar la pintura; si después se ejecuta la celda de las distancias sin la que
    revuelve la pintura, la revuelta es la de antes y la comprobación fallaba con un AssertionError sin texto."""
    espacio = _ejecutar("05_transferencia_estilo.ipynb", [1, 3, 5, 9, 12, 14, 16, 19], {})
    with pytest.raises(AssertionError, match="vuelve a ejecutar la celda anterior"):
        _ejecutar("05_transferencia_estilo.ipynb", [5, 20], {5: ('paleta="noche"', 'paleta="fuego"')}, espacio)


def test_05_tu_foto_subida_en_colab_es_la_que_se_pinta(tmp_path, monkeypatch):
    """La celda del ejercicio 1 usa lo que devuelve ``files.upload()`` (los bytes), no un archivo con ese nombre
    en la carpeta actual: ahí puede no estar, o ser el de una subida anterior con el mismo nombre."""
    import io
    import sys
    import types

    import numpy as np
    from PIL import Image

    png = io.BytesIO()
    Image.fromarray(np.full((30, 40, 3), (200, 30, 60), np.uint8)).save(png, format="PNG")
    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (50, 50)).save(tmp_path / "mi_foto.png")  # la de una subida anterior, con el mismo nombre
    colab = types.ModuleType("google.colab")
    colab.files = types.SimpleNamespace(upload=lambda: {"mi_foto.png": png.getvalue()})
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    espacio = _ejecutar("05_transferencia_estilo.ipynb", [1, 3, 35], {35: ("SUBIR_EN_COLAB = False", "SUBIR_EN_COLAB = True")})
    assert espacio["mi_foto"].shape == (288, 384, 3)
    assert np.allclose(espacio["mi_foto"][144, 192], (200, 30, 60), atol=2)


def test_02_en_un_nucleo_de_jupyter_la_comprobacion_no_aprueba_la_celda_anterior_a_un_error_de_sintaxis(tmp_path):
    # Antes, la celda de la comprobación decía «✓ …» de la versión con completar, que seguía definida.
    import nbclient
    import nbformat

    celdas = json.loads((conftest.RAIZ / "notebooks" / "02_dcgan_digitos.ipynb").read_text(encoding="utf-8"))["cells"]
    fuentes = ["".join(celdas[indice]["source"]) for indice in (1, 4, 7, 8)]
    con_error = fuentes[2].replace('imagen = completar("generador", x)', 'x = layers.Conv2DTranspose(64, 4(x)')
    cuaderno = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f) for f in [*fuentes[:3], con_error, fuentes[3]]])
    nbclient.NotebookClient(cuaderno, kernel_name="python3", allow_errors=True, timeout=600,
                            resources={"metadata": {"path": str(tmp_path)}}).execute()
    sintaxis, comprobacion = cuaderno.cells[3].outputs, cuaderno.cells[4].outputs
    assert [salida.get("ename") for salida in sintaxis] == ["SyntaxError"]
    texto = "".join(salida.get("text", "") for salida in comprobacion)
    assert texto.startswith("✗ Tu última versión de la celda de mi_generador no llegó a ejecutarse: tiene un error de "
                            "sintaxis en su línea 8"), texto
    assert comprobacion[-1].get("ename") == "AssertionError"


def test_01_medir_otra_vez_la_gan_ya_entrenada_no_la_llama_sin_entrenar():
    """Ejecutar de nuevo la celda que mide la GAN «sin entrenar» después de entrenarla tomaba como punto de partida
    la GAN ya entrenada: la celda de después del entrenamiento fallaba con «el generador debería acercarse mucho»."""
    espacio = _ejecutar("01_introduccion_gan.ipynb", [1, 4, 6, 8, 10], {})
    with pytest.raises(AssertionError, match="vuelve a ejecutar la celda que crea la GAN"):
        _ejecutar("01_introduccion_gan.ipynb", [8], {}, espacio)
    _ejecutar("01_introduccion_gan.ipynb", [13], {}, espacio)


def test_02_medir_otra_vez_la_gan_ya_entrenada_no_la_llama_inicial():
    """Lo mismo en el 02: la calidad «inicial» medida otra vez tras entrenar hacía fallar la comparación de después."""
    espacio = _ejecutar("02_dcgan_digitos.ipynb", [1, 4, 5, 18, 20, 22], {22: ("EPOCAS = 100", "EPOCAS = 2")})
    with pytest.raises(AssertionError, match="vuelve a ejecutar la celda que crea la GAN"):
        _ejecutar("02_dcgan_digitos.ipynb", [20], {}, espacio)
