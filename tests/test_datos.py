import re
import warnings

import numpy as np
import pytest
import tensorflow as tf

import helpers
from helpers import datos
from helpers.opciones import SEMILLA_MAXIMA


def test_digitos_en_rango_y_con_margen():
    imagenes, etiquetas = datos.imagenes_digitos(16)
    assert imagenes.shape == (1347, 16, 16, 1) and imagenes.dtype == np.float32
    assert imagenes.min() == -1.0 and imagenes.max() <= 1.0 and imagenes.max() > 0.9
    # El margen de 2 px (16 // 8) es fondo puro, como en MNIST.
    assert np.all(imagenes[:, :2] == -1.0) and np.all(imagenes[:, :, -2:] == -1.0)
    assert set(np.unique(etiquetas)) == set(range(10))


def test_particion_disjunta_estratificada_y_repetible():
    _, y_entrenamiento = datos.imagenes_digitos(16, "entrenamiento")
    x_reserva, y_reserva = datos.imagenes_digitos(16, "reserva")
    x_todo, _ = datos.imagenes_digitos(16, "todo")
    assert len(y_entrenamiento) + len(y_reserva) == len(x_todo) == 1797
    np.testing.assert_allclose(np.bincount(y_reserva) / len(y_reserva), np.bincount(y_entrenamiento) / len(y_entrenamiento), atol=0.01)
    np.testing.assert_array_equal(x_reserva, datos.imagenes_digitos(16, "reserva")[0])
    # Ninguna imagen de reserva está en el entrenamiento.
    entrenamiento = {x.tobytes() for x in datos.imagenes_digitos(16, "entrenamiento")[0]}
    assert sum(x.tobytes() in entrenamiento for x in x_reserva) < 5  # sklearn tiene algún dígito repetido


@pytest.mark.parametrize("tamano", [16, 28, 32])
def test_digitos_en_otros_tamanos(tamano):
    imagenes, _ = datos.imagenes_digitos(tamano, "reserva")
    assert imagenes.shape[1:] == (tamano, tamano, 1)


@pytest.mark.parametrize("tamano", [16.0, 0, -16, "16"])
def test_un_tamano_que_no_es_un_lado_se_explica(tamano):
    # Antes: 0 daba 16 px sin avisar y los demás, errores de TensorFlow o de Python en inglés.
    for conjunto in ("digitos", "rostros"):
        with pytest.raises(ValueError, match=f"tamano={tamano!r} no es válido: es el lado de la imagen en píxeles"):
            helpers.cargar_imagenes(conjunto, tamano=tamano)


def test_parte_invalida():
    with pytest.raises(ValueError, match="parte="):
        datos.imagenes_digitos(16, "prueba")


def test_mnist_sin_red_da_error_en_espanol(monkeypatch):
    import keras

    def sin_red():  # lo que lanza keras.utils.get_file sin conexión
        raise Exception("URL fetch failure on https://x/mnist.npz: None -- [Errno -2] Name or service not known")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", sin_red)
    with pytest.raises(ConnectionError, match="mnist: sin conexión a internet.*imagenes_digitos"):
        datos.imagenes_mnist("mnist")
    with pytest.raises(ValueError, match="conjunto="):
        datos.imagenes_mnist("cifar")


def test_mnist_convierte_y_redimensiona(monkeypatch):
    import keras

    falsas = np.zeros((6, 28, 28), np.uint8)
    falsas[:, 10:18, 10:18] = 255
    monkeypatch.setattr(keras.datasets.fashion_mnist, "load_data", lambda: ((falsas, np.arange(6)), (falsas, np.arange(6))))
    imagenes, etiquetas = datos.imagenes_mnist("fashion_mnist", tamano=32)
    assert imagenes.shape == (6, 32, 32, 1)
    assert imagenes.min() == -1.0 and np.isclose(imagenes.max(), 1.0, atol=1e-3)


def test_dataset_barajado_por_lotes_completos():
    imagenes = np.arange(100, dtype=np.float32).reshape(100, 1, 1, 1) / 50 - 1  # 100 valores distintos en [-1, 1]
    lotes = list(datos.a_dataset(imagenes, lote=32, semilla=0))
    assert [len(l) for l in lotes] == [32, 32, 32]
    valores = np.concatenate([l.numpy().ravel() for l in lotes])
    assert len(set(valores)) == 96 and not np.all(np.diff(valores) > 0)


def _epocas(conjunto, cuantas):
    """Los valores de ``cuantas`` recorridos de ``conjunto`` (uno por época de fit), cada uno en una matriz."""
    return [np.concatenate([lote.numpy().ravel() for lote in conjunto]) for _ in range(cuantas)]


def test_el_orden_de_cada_epoca_depende_solo_de_la_semilla_y_de_su_numero():
    # Antes, unos datos creados de nuevo (al reanudar tras reiniciar Colab) barajaban otra vez como en la
    # primera época, y el entrenamiento reanudado no seguía el camino del que no se cortó.
    imagenes = np.arange(100, dtype=np.float32).reshape(100, 1, 1, 1) / 50 - 1
    seguidas = _epocas(datos.a_dataset(imagenes, lote=32), 4)
    assert all(len(set(epoca)) == 96 for epoca in seguidas)  # cada época, sin repetir imágenes
    assert len({epoca.tobytes() for epoca in seguidas}) == 4  # y cada una en otro orden
    reanudado = datos.a_dataset(imagenes, lote=32)
    datos.empezar_en_epoca(reanudado, 2)
    assert np.array_equal(np.concatenate(_epocas(reanudado, 2)), np.concatenate(seguidas[2:]))
    assert not np.array_equal(_epocas(datos.a_dataset(imagenes, lote=32, semilla=1), 1)[0], seguidas[0])


def test_ni_las_pasadas_ni_las_semillas_repiten_el_orden_cada_256():
    # index_shuffle solo usa 8 bits de cada número de su semilla con pocas imágenes: con (semilla, pasada) tal cual,
    # el orden de la época 256 era el de la 0 (y así cada 256), y las semillas 256, 2**31 o SEMILLA_MAXIMA
    # barajaban como 0 o 255 aunque el resto del entrenamiento (los pesos, los sorteos) fuera distinto.
    imagenes = np.arange(100, dtype=np.uint8).reshape(100, 1, 1, 1)

    def orden(semilla, epoca):
        conjunto = datos.a_dataset_uint8(imagenes, lote=10, semilla=semilla)
        datos.empezar_en_epoca(conjunto, epoca)
        return _epocas(conjunto, 1)[0].tobytes()

    assert len({orden(0, epoca) for epoca in (0, 1, 256, 257, 512)}) == 5
    assert len({orden(semilla, 0) for semilla in (0, 255, 256, 2**31, SEMILLA_MAXIMA)}) == 5


def test_con_lotes_por_epoca_cada_epoca_sigue_donde_acabo_la_anterior():
    # Una colección grande (entrenar_carpeta): una época es solo una parte de una pasada, y al reanudar la
    # siguiente empieza a mitad de pasada, donde habría seguido sin cortes.
    imagenes = np.arange(100, dtype=np.uint8).reshape(100, 1, 1, 1)
    pasadas = np.concatenate(_epocas(datos.a_dataset_uint8(imagenes, lote=10), 3))
    por_partes = datos.a_dataset_uint8(imagenes, lote=10, lotes_por_epoca=4)
    assert [len(epoca) for epoca in _epocas(por_partes, 1)] == [40]
    datos.empezar_en_epoca(por_partes, 3)  # lotes 12 a 15: los dos últimos de la 2.ª pasada y los dos primeros de la 3.ª
    assert np.array_equal(_epocas(por_partes, 1)[0], pasadas[120:160])


def test_en_modo_rapido_el_dataset_dice_que_recorta(capsys):  # pytest activa siempre el modo rápido
    lotes = list(datos.a_dataset(np.zeros((600, 2, 2, 1), np.float32), lote=100))
    assert sum(len(l) for l in lotes) == 500  # 512 imágenes, en lotes completos
    assert capsys.readouterr().out == "Modo rápido: como mucho 512 imágenes en lugar de 600.\n"


def test_dataset_lote_demasiado_grande_y_vacio(capsys):
    lotes = list(datos.a_dataset(np.zeros((10, 2, 2, 1)), lote=64))
    assert [len(l) for l in lotes] == [10]
    assert "lote=64" in capsys.readouterr().out
    with pytest.raises(ValueError, match=r"^No hay imágenes: a_dataset recibió una matriz vacía, de forma \(0, 2, 2, 1\)\.$"):
        datos.a_dataset(np.zeros((0, 2, 2, 1)))
    # Una lista vacía: antes, «a_dataset recibe imágenes apiladas…», como si le faltaran ejes.
    with pytest.raises(ValueError, match=r"^No hay imágenes: a_dataset recibió una matriz vacía, de forma \(0,\)\.$"):
        datos.a_dataset([])


def test_dataset_de_una_tupla_o_de_imagenes_desiguales():
    with pytest.raises(ValueError, match=r"tupla.*imagenes, etiquetas = helpers.imagenes_digitos\(\)"):
        datos.a_dataset(datos.imagenes_digitos())
    with pytest.raises(ValueError, match=r"tamaños distintos.*imagenes_carpeta"):
        datos.a_dataset([np.zeros((4, 4, 1)), np.zeros((5, 5, 1))])
    with pytest.raises(ValueError, match=r"van de 0 a 255 y la GAN las espera en \[-1, 1\].*imagenes / 127.5 - 1; .*np.clip"):
        datos.a_dataset(np.full((8, 4, 4, 1), 255, np.uint8) * np.arange(2, dtype=np.uint8).reshape(2, 1, 1, 1).repeat(4, 0))
    # Antes, «van de nan a nan» con el consejo de las imágenes en [0, 255], que no venía al caso.
    with pytest.raises(ValueError, match=r"^128 de los 128 valores de las imágenes son NaN o infinitos: revisa cómo"):
        datos.a_dataset(np.full((8, 4, 4, 1), np.nan))
    con_un_infinito = np.zeros((8, 4, 4, 1), np.float32)
    con_un_infinito[3, 1, 2] = np.inf
    lotes = tf.data.Dataset.from_tensor_slices(con_un_infinito).batch(8)
    with pytest.raises(ValueError, match=r"^1 de los 128 valores de las imágenes es NaN o infinito: revisa") as error:
        datos.comprobar_dataset_gan(lotes)
    assert "255" not in str(error.value)


def test_comprobar_el_rango_no_copia_el_conjunto():
    # Todo el conjunto de entrenamiento pasa por aquí (a_dataset, fit): una máscara de np.isfinite ocuparía una
    # cuarta parte de él en float32 (cientos de MiB con LFW), solo para dar el mensaje de un NaN que casi nunca hay.
    import tracemalloc

    imagenes = np.random.default_rng(0).uniform(-1, 1, (256, 32, 32, 3)).astype(np.float32)
    tracemalloc.start()
    try:
        datos.imagenes_para_gan(imagenes)
        pico = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert pico < imagenes.nbytes / 16
    menos_infinito = imagenes.copy()
    menos_infinito[0, 0, 0, 0] = -np.inf
    with pytest.raises(ValueError, match=r"^1 de los 786\.432 valores de las imágenes es NaN o infinito"):
        datos.imagenes_para_gan(menos_infinito)


def test_modo_rapido_limita_imagenes(monkeypatch):
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "1")
    lotes = list(datos.a_dataset(np.zeros((2000, 2, 2, 1)), lote=100))
    assert sum(len(l) for l in lotes) == 500  # 512 imágenes → 5 lotes completos


def test_modo_rapido_reparte_las_imagenes_por_todo_el_conjunto(monkeypatch):
    # Antes se quedaba con las 512 primeras: con las imágenes ordenadas por clase (0, 0, …, 9, 9), la GAN
    # condicional del modo rápido solo veía las clases 0 a 2, sin avisar.
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "1")
    etiquetas = np.repeat(np.arange(10), 200)  # 2.000, ordenadas por clase
    imagenes = np.broadcast_to(((etiquetas - 5) / 8)[:, None, None, None], (2000, 2, 2, 1))  # cada una dice su clase
    parejas = [(x, y) for lote_x, lote_y in datos.a_dataset(imagenes, lote=512, etiquetas=etiquetas)
               for x, y in zip(lote_x.numpy(), lote_y.numpy())]
    assert len(parejas) == 512 and len({y for _, y in parejas}) == 10  # todas las clases…
    assert all(np.all(x == (y - 5) / 8) for x, y in parejas)  # …y cada imagen con su etiqueta
    assert np.bincount([y for _, y in parejas]).min() >= 51  # repartidas: unas 51 de cada una
    np.testing.assert_array_equal(helpers.entorno.repartidos(2000, 512), helpers.entorno.repartidos(2000, 512))
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "0")
    np.testing.assert_array_equal(helpers.entorno.repartidos(2000, 512), np.arange(2000))


def test_rostros_incluidos_particion_y_reflejos():
    entrenamiento = datos.imagenes_rostros(32, "entrenamiento")
    reserva = datos.imagenes_rostros(32, "reserva")
    todo = datos.imagenes_rostros(32, "todo")
    assert entrenamiento.shape == (150, 32, 32, 1) and reserva.shape == (25, 32, 32, 1) and todo.shape == (100, 32, 32, 1)
    assert entrenamiento.min() >= -1 and entrenamiento.max() <= 1 and entrenamiento.dtype == np.float32
    # La segunda mitad del entrenamiento es la primera reflejada en horizontal.
    np.testing.assert_array_equal(entrenamiento[75:], entrenamiento[:75, :, ::-1])
    originales = {x.tobytes() for x in todo}
    vistas = {x.tobytes() for x in entrenamiento[:75]}
    assert vistas.isdisjoint({x.tobytes() for x in reserva}) and vistas | {x.tobytes() for x in reserva} == originales
    assert datos.imagenes_rostros(16, "entrenamiento", espejo=False).shape == (75, 16, 16, 1)


def test_lfw_con_un_minimo_que_nadie_alcanza_no_se_toma_por_un_fallo_de_red(monkeypatch):
    """Antes, «No se pudo descargar LFW», aunque la descarga funcionó."""
    import sklearn.datasets

    def demasiado(min_faces_per_person, **_):  # lo que hace scikit-learn tras descargar, sin descargar aquí
        raise ValueError(f"min_faces_per_person={min_faces_per_person} is too restrictive")

    monkeypatch.setattr(sklearn.datasets, "fetch_lfw_people", demasiado)
    with pytest.raises(ValueError, match=r"^minimo_por_persona=1000: nadie en LFW tiene tantas fotos .* usa un número menor"):
        datos.imagenes_lfw(64, minimo_por_persona=1000)


def test_lfw_sin_red_da_error_en_espanol(monkeypatch):
    import sklearn.datasets

    def sin_red(**_):
        raise OSError("sin conexión")

    monkeypatch.setattr(sklearn.datasets, "fetch_lfw_people", sin_red)
    with pytest.raises(ConnectionError, match="imagenes_rostros"):
        datos.imagenes_lfw(64)


@pytest.mark.parametrize("etiquetas", [None, np.repeat(np.arange(4), [40, 30, 20, 10])])
def test_partir_disjunta_repetible_y_estratificada(etiquetas):
    entrenamiento, reserva = datos.partir(100, 0.2, semilla=3, etiquetas=etiquetas)
    assert len(reserva) == 20 and sorted([*entrenamiento, *reserva]) == list(range(100))
    assert list(reserva) == sorted(reserva) and list(entrenamiento) == sorted(entrenamiento)
    np.testing.assert_array_equal(reserva, datos.partir(100, 0.2, semilla=3, etiquetas=etiquetas)[1])
    assert not np.array_equal(reserva, datos.partir(100, 0.2, semilla=4, etiquetas=etiquetas)[1])
    if etiquetas is not None:
        assert np.bincount(etiquetas[reserva]).tolist() == [8, 6, 4, 2]


def test_a_dataset_explica_una_sola_imagen_o_imagenes_sin_canal():
    # Antes, una imagen (16, 16, 1) se partía en 16 «imágenes» de 16×1 y la GAN fallaba después en inglés.
    imagenes, _ = datos.imagenes_digitos(16, "reserva")
    with pytest.raises(ValueError, match=r"le llegó una sola imagen, de forma \(16, 16, 1\).*imagen\[None\]"):
        helpers.a_dataset(imagenes[0])
    with pytest.raises(ValueError, match=r"sin el eje de los canales: añádelo con imagenes\[\.\.\., None\]"):
        helpers.a_dataset(imagenes[..., 0])
    with pytest.raises(ValueError, match=r"le llegó una matriz de forma \(16, 16\)"):
        helpers.a_dataset(imagenes[0, ..., 0])


@pytest.mark.parametrize("forma", [(3, 0, 8, 3), (3, 8, 0, 3), (3, 8, 8, 0)])
def test_imagenes_de_alto_ancho_o_canales_cero_se_explican(forma):
    # Antes: «zero-size array to reduction operation minimum which has no identity», de NumPy y en inglés.
    for funcion, imagenes in (("a_dataset", np.zeros(forma, np.float32)), ("a_dataset_uint8", np.zeros(forma, np.uint8))):
        with pytest.raises(ValueError, match=rf"{funcion} recibe .* le llegaron de forma {re.escape(str(forma))}: el alto, "
                                             "el ancho y los canales deben ser mayores que 0"):
            getattr(datos, funcion)(imagenes, 2)


def test_a_dataset_con_etiquetas_pide_una_por_imagen():
    imagenes = np.zeros((10, 16, 16, 1), np.float32)
    with pytest.raises(ValueError, match="Hay 10 imágenes y 9 etiquetas: debe haber una etiqueta por imagen"):
        helpers.a_dataset(imagenes, 4, etiquetas=np.arange(9))
    _, etiquetas = next(iter(helpers.a_dataset(imagenes, 10, etiquetas=np.arange(10))))
    assert sorted(np.asarray(etiquetas)) == list(range(10))


def test_imagenes_en_0_1_avisan_de_convertirlas():
    imagenes, _ = helpers.imagenes_digitos(16)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        helpers.a_dataset(imagenes, 32)
        helpers.a_dataset(imagenes * 0.3 + 0.7, 32)  # una colección muy clara en [-1, 1]: sin nada por debajo de 0,4
    with pytest.warns(UserWarning, match=r"sin ningún valor negativo: ¿están en \[0, 1\]"):
        helpers.a_dataset((imagenes + 1) / 2, 32)  # divididas entre 255 en lugar de entre 127,5


@pytest.mark.parametrize("semilla", [-1, 1.5, "0"])
def test_una_semilla_que_no_sirve_se_explica(semilla):
    # Antes: errores de NumPy o de TensorFlow en inglés («expected non-negative integer», «not all arguments
    # converted during string formatting»).
    mensaje = f"semilla={semilla!r} no es válida: usa un número entero"
    for llamada in (lambda: datos.imagenes_digitos(16, semilla=semilla), lambda: datos.imagenes_rostros(16, semilla=semilla),
                    lambda: datos.a_dataset(np.zeros((8, 4, 4, 1), np.float32), 4, semilla=semilla)):
        with pytest.raises(ValueError, match=mensaje):
            llamada()
    assert len(list(datos.a_dataset(np.zeros((8, 4, 4, 1), np.float32), 4, semilla=None))) == 2  # None: otro orden cada vez


def test_descargas_comprueban_el_tamano_antes_de_descargar(monkeypatch):
    import keras
    import sklearn.datasets

    def no_descargar(*_, **__):
        raise AssertionError("no debería descargar nada")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", no_descargar)
    monkeypatch.setattr(sklearn.datasets, "fetch_lfw_people", no_descargar)
    with pytest.raises(ValueError, match="tamano=0 no es válido"):
        datos.imagenes_mnist("mnist", tamano=0)
    with pytest.raises(ValueError, match="tamano=0 no es válido"):
        datos.imagenes_lfw(0)
    with pytest.raises(ValueError, match="minimo_por_persona=-1 no es válido"):
        datos.imagenes_lfw(64, minimo_por_persona=-1)
