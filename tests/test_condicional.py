"""GAN condicional: formas, la etiqueta manda, entrena con pérdidas finitas y obedece al dígito pedido."""

import re

import keras
import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

import helpers
from helpers.condicional import (
    CuadriculaPorDigito,
    GANCondicional,
    a_dataset_condicional,
    aciertos_por_digito,
    construir_discriminador_condicional,
    construir_generador_condicional,
)


def _gan(lr=4e-4):
    keras.utils.set_random_seed(0)
    gan = GANCondicional(construir_generador_condicional(), construir_discriminador_condicional())
    gan.compile(keras.optimizers.Adam(lr, beta_1=0.5), keras.optimizers.Adam(lr, beta_1=0.5))
    return gan


def test_formas_de_las_redes_y_de_los_datos():
    generador, discriminador = construir_generador_condicional(), construir_discriminador_condicional()
    z, etiquetas = keras.ops.zeros((3, 64)), keras.ops.convert_to_tensor([[0], [5], [9]], "int32")
    imagenes = generador([z, etiquetas])
    assert imagenes.shape == (3, 16, 16, 1) and np.abs(imagenes).max() <= 1
    assert discriminador([imagenes, etiquetas]).shape == (3, 1)
    generador_color = construir_generador_condicional(tamano=32, canales=3)
    assert generador_color([keras.ops.zeros((2, 64)), keras.ops.zeros((2, 1), "int32")]).shape == (2, 32, 32, 3)
    reales, digitos = next(iter(a_dataset_condicional(*helpers.imagenes_digitos(16), lote=8)))
    assert reales.shape == (8, 16, 16, 1) and digitos.shape == (8, 1) and digitos.dtype == "int32"


def test_la_etiqueta_cambia_la_salida_de_las_dos_redes():
    gan = _gan()
    z = np.tile(np.random.default_rng(0).normal(size=(1, 64)).astype(np.float32), (10, 1))
    imagenes = gan.generar(np.arange(10), z=z)
    assert min(np.abs(imagenes[i] - imagenes[j]).max() for i in range(10) for j in range(i)) > 1e-4
    pares = [keras.ops.repeat(imagenes[:1], 10, axis=0), keras.ops.reshape(keras.ops.arange(10, dtype="int32"), (10, 1))]
    logits = np.asarray(gan.discriminador(pares))
    assert np.unique(logits.round(6)).size == 10
    assert gan.cuadricula_por_digito(z[:3]).shape == (30, 16, 16, 1)


def _gan_pequena(tamano=16, clases=10):
    return GANCondicional(construir_generador_condicional(tamano, clases=clases, ancho=8),
                          construir_discriminador_condicional(tamano, clases=clases, ancho=8))


@pytest.mark.parametrize("etiquetas, mensaje", [
    (np.arange(1, 21) % 10 + 1, r"de 0 a 9 \(hay 10 clases\) y van de 1 a 10: si numeras las clases desde 1, réstales 1"),
    (np.arange(20) % 10 - 1, "de 0 a 9 .* y van de -1 a 8"),
    (np.arange(20) % 10 + 0.7, "hay alguna con decimales, como 0,7"),
    ((np.arange(20) % 10).astype(str), "llegó '0', que no es un número: si son texto, conviértelas con"),
    (np.eye(10)[np.arange(20) % 10], r"forma \(20, 10\) .* un entero por imagen.*np.argmax\(etiquetas, axis=1\)"),
    (np.zeros(19), "Hay 20 imágenes y 19 etiquetas: debe haber una etiqueta por imagen"),
])
def test_a_dataset_condicional_rechaza_etiquetas_que_no_son_un_entero_valido_por_imagen(etiquetas, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        a_dataset_condicional(np.zeros((20, 16, 16, 1)), etiquetas, lote=4)


def test_a_dataset_condicional_comprueba_las_imagenes_como_a_dataset():
    etiquetas = np.arange(20) % 10
    with pytest.raises(ValueError, match=r"van de 0 a 255 y la GAN las espera en \[-1, 1\].*imagenes / 127.5 - 1"):
        a_dataset_condicional(np.linspace(0, 255, 20 * 16 * 16).reshape(20, 16, 16, 1), etiquetas)
    with pytest.raises(ValueError, match="le llegó una tupla"):
        a_dataset_condicional((np.zeros((20, 16, 16, 1)), etiquetas), etiquetas)
    # Enteros escritos como float (3.0), y la forma (n, 1) que dan los lotes, valen; clases amplía el rango.
    _, digitos = next(iter(a_dataset_condicional(np.zeros((20, 16, 16, 1)), etiquetas[:, None] * 1.0, lote=20)))
    assert sorted(np.asarray(digitos).ravel()) == sorted(etiquetas)
    assert a_dataset_condicional(np.zeros((20, 16, 16, 1)), etiquetas + 2, clases=12) is not None


def test_a_dataset_condicional_avisa_de_un_lote_mayor_que_los_datos_y_mantiene_las_parejas(capsys):
    imagenes = np.linspace(-1, 1, 12)[:, None, None, None] * np.ones((12, 16, 16, 1))
    datos = a_dataset_condicional(imagenes, np.arange(12) % 10, lote=64, semilla=3)
    assert "Aviso: lote=64 es mayor que el número de imágenes (12); uso lote=12." in capsys.readouterr().out
    reales, digitos = next(iter(datos))
    assert reales.shape == (12, 16, 16, 1) and digitos.shape == (12, 1)
    # Barajadas juntas: cada imagen conserva su etiqueta (la imagen i vale linspace[i] y lleva i % 10).
    indices = np.rint((np.asarray(reales)[:, 0, 0, 0] + 1) / 2 * 11).astype(int)
    assert sorted(indices) == list(range(12)) and list(indices) != list(range(12))
    assert list(np.asarray(digitos).ravel()) == list(indices % 10)


def test_generar_rechaza_etiquetas_vectores_y_semillas_no_validos():
    gan = _gan_pequena()
    casos = [
        (lambda: gan.generar([3, 10]), "de 0 a 9 .* y van de 3 a 10"),
        (lambda: gan.generar([2.7, 3.9]), "hay alguna con decimales, como 2,7"),
        (lambda: gan.generar(np.eye(10)[[3, 7]]), r"np.argmax\(etiquetas, axis=1\)"),
        (lambda: gan.generar([]), "No hay etiquetas: pasa al menos una"),
        (lambda: gan.generar("37"), "llegó '37', que no es un número"),
        (lambda: gan.generar([3], semilla=1.5), "semilla=1.5 no es válida: usa un número entero .* o None"),
        (lambda: gan.generar([3, 7], z=np.zeros((2, 32))), r"z tiene forma \(2, 32\) y debe ser \(2, 64\)"),
        (lambda: gan.cuadricula_por_digito(np.zeros((8, 32))), r"debe ser \(columnas, 64\): .*el dim_latente"),
        (lambda: gan.generar([1], z="ruido"), r"z debe ser una matriz de números, \(1, 64\)"),
        # Antes, «could not convert string to float: 'abc'» de NumPy.
        (lambda: gan.cuadricula_por_digito("abc"), r"z debe ser una matriz de números, \(columnas, 64\), p. ej."),
        # Antes, «Can't convert Python sequence with out-of-range integer to Tensor» de TensorFlow.
        (lambda: gan.generar([3], semilla=2**70), r"semilla=\d+ no es válida: usa un número entero de 0 a 4\.294\.967\.295"),
        (lambda: gan.muestrear(2, semilla=2**70), r"semilla=\d+ no es válida: usa un número entero de 0 a .* o None"),
        (lambda: aciertos_por_digito(gan.generador), "recibe la GAN condicional entera"),
        (lambda: aciertos_por_digito(gan, por_digito=10.5), "por_digito=10.5 debe ser un número entero"),
    ]
    for llamada, mensaje in casos:
        with pytest.raises(ValueError, match=mensaje):
            llamada()
    assert gan.generar([3.0, 7], semilla=np.int64(1)).shape == (2, 16, 16, 1)


def test_fit_comprueba_los_datos_antes_de_entrenar():
    gan = _gan_pequena()
    gan.compile()
    etiquetas = np.arange(32) % 10
    with pytest.raises(ValueError, match=r"forma \(32, 32, 1\) y el generador las hace de forma \(16, 16, 1\)"):
        gan.fit(a_dataset_condicional(np.zeros((32, 32, 32, 1)), etiquetas, lote=8), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="parejas \\(imágenes, etiquetas\\).*a_dataset_condicional"):
        gan.fit(helpers.a_dataset(np.zeros((32, 16, 16, 1)), lote=8), epochs=1, verbose=0)
    # entrenar es para generadores de una entrada: antes fallaba dentro de un callback, en inglés.
    with pytest.raises(ValueError, match=r"pide más entradas \(¿una GAN condicional\?\).*CuadriculaPorDigito"):
        helpers.entrenar(gan, a_dataset_condicional(np.zeros((32, 16, 16, 1)), etiquetas, lote=8), 1, verbose=0)
    # Matrices en lugar de un Dataset: las mismas comprobaciones que a_dataset_condicional.
    imagenes = np.zeros((32, 16, 16, 1), np.float32)
    with pytest.raises(ValueError, match="van de 1 a 10: si numeras las clases desde 1, réstales 1"):
        gan.fit(imagenes, etiquetas + 1, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"van de 0 a 255 .*imagenes / 127.5 - 1"):
        gan.fit(imagenes + 255 * (np.arange(32) % 2)[:, None, None, None], etiquetas, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"imágenes y etiquetas: fit\(imagenes, etiquetas\)"):
        gan.fit(imagenes, epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"epochs='2' no es válido: debe ser un entero positivo"):
        gan.fit(imagenes, etiquetas, epochs="2", verbose=0)
    # Antes, batch_size=0 entrenaba con lotes de 32 sin decir nada, y -1 hablaba de «lote».
    for lote in (0, -1, 2.5):
        with pytest.raises(ValueError, match=rf"batch_size={lote} no es válido: debe ser un entero positivo"):
            gan.fit(imagenes, etiquetas, batch_size=lote, epochs=1, verbose=0)
    # Un Dataset propio: se mira su primer lote.
    propio = tf.data.Dataset.from_tensor_slices((imagenes, etiquetas + 1)).batch(16)
    with pytest.raises(ValueError, match="van de 1 a 10"):
        gan.fit(propio, epochs=1, verbose=0)
    assert int(gan.opt_generador.iterations) == 0  # no llegó a dar ningún paso
    # Bien hechas, las tres formas entrenan (etiquetas (n,) o (n, 1)).
    for datos in ((imagenes, etiquetas), ((imagenes, etiquetas), None),
                  (tf.data.Dataset.from_tensor_slices((imagenes, etiquetas)).batch(8), None)):
        gan.fit(*datos, epochs=1, verbose=0)
    assert int(gan.opt_generador.iterations) > 0


def test_redes_no_condicionales_y_opciones_no_validas_se_explican():
    generador, discriminador = construir_generador_condicional(), construir_discriminador_condicional()
    with pytest.raises(ValueError, match="El generador de una GAN condicional recibe dos entradas"):
        GANCondicional(helpers.modelos.construir_generador(16, 1, 64), discriminador)
    with pytest.raises(ValueError, match="El discriminador de una GAN condicional recibe dos entradas"):
        GANCondicional(generador, helpers.modelos.construir_discriminador(16, 1))
    sin_input = keras.Sequential([keras.layers.Dense(4)])  # sin entradas definidas todavía
    with pytest.raises(ValueError, match="El generador de una GAN condicional recibe dos entradas"):
        GANCondicional(sin_input, discriminador)
    with pytest.raises(ValueError, match="suavizado_etiquetas=2 debe ser un número entre 0 y 0,5"):
        GANCondicional(generador, discriminador, suavizado_etiquetas=2)
    with pytest.raises(ValueError, match=r"GANCondicional no tiene suavizado \(¿una errata\?\).*suavizado_etiquetas"):
        GANCondicional(generador, discriminador, suavizado=0.1)


def test_el_numero_de_clases_sale_de_las_redes(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="el generador: 5, el discriminador: 10"):
        GANCondicional(construir_generador_condicional(clases=5, ancho=8), construir_discriminador_condicional(ancho=8))
    gan = _gan_pequena(clases=5)
    assert gan.clases == 5 and gan.muestrear(10).shape == (10, 16, 16, 1)
    with pytest.raises(ValueError, match=r"de 0 a 4 \(hay 5 clases\) y llegó 7"):
        gan.generar([7])
    titulos = []
    monkeypatch.setattr("helpers.condicional.mostrar_png", lambda ruta, titulo: titulos.append(titulo))
    gan.compile()
    gan.fit(a_dataset_condicional(np.zeros((8, 16, 16, 1)), np.arange(8) % 5, lote=8, clases=5), epochs=1, verbose=0,
            callbacks=[CuadriculaPorDigito(tmp_path, columnas=2, mostrar_cada=1)])
    assert titulos == ["Época 1: una fila por dígito, de 0 a 4"]


def test_generador_y_discriminador_admiten_los_mismos_tamanos():
    gan = _gan_pequena(tamano=28)
    assert gan.discriminador([gan.generar([0, 9]), np.array([[0], [9]])]).shape == (2, 1)
    mensajes = []
    for construir in (construir_generador_condicional, construir_discriminador_condicional):
        with pytest.raises(ValueError, match=r"tamano=20 no es válido: usa uno de \(16, 28, 32, 64, 128\)") as error:
            construir(20)
        mensajes.append(str(error.value))
    assert mensajes[0] == mensajes[1]


def test_unos_pasos_dan_perdidas_finitas_y_la_cuadricula(tmp_path, capsys):
    gan = _gan()
    imagenes, etiquetas = helpers.imagenes_digitos(16)
    datos = a_dataset_condicional(imagenes[:64], etiquetas[:64], lote=16)
    registro = gan.fit(datos, epochs=2, verbose=0, callbacks=[CuadriculaPorDigito(tmp_path, columnas=4)])
    assert "ya se entrenó" not in capsys.readouterr().out
    for nombre in ("perdida_g", "perdida_d", "exactitud_d"):
        assert len(registro.history[nombre]) == 2 and np.all(np.isfinite(registro.history[nombre]))
    with Image.open(tmp_path / "muestras" / "epoca_0002.png") as cuadro:
        assert abs(cuadro.height / cuadro.width - (10 * 17 - 1) / (4 * 17 - 1)) < 0.02  # 10 filas, 4 columnas
    assert (tmp_path / "evolucion.gif").exists()
    # La celda de fit ejecutada otra vez sigue desde esos pesos: se dice, con cómo empezar de cero. Si se
    # corta, no queda el GIF del entrenamiento anterior como si fuera de este.
    with pytest.raises(KeyboardInterrupt):
        gan.fit(datos, epochs=2, verbose=0, callbacks=[CuadriculaPorDigito(tmp_path, columnas=4), helpers.SimularCorte(1)])
    assert "Esta GAN ya se entrenó (8 pasos): fit sigue desde ahí" in capsys.readouterr().out
    assert not (tmp_path / "evolucion.gif").exists() and (tmp_path / "muestras" / "epoca_0001.png").exists()


def test_fit_se_detiene_tras_la_primera_epoca_nan_y_dice_que_probar(capsys):
    # Antes seguía todas las épocas con pérdidas NaN sin decir nada, y la cuadrícula por dígito salía gris.
    gan = _gan_pequena()
    gan.compile(keras.optimizers.Adam(1e30, beta_1=0.5), keras.optimizers.Adam(1e30, beta_1=0.5))
    imagenes, etiquetas = helpers.imagenes_digitos(16)
    registro = gan.fit(imagenes[:64], etiquetas[:64], epochs=4, verbose=0)
    salida = capsys.readouterr().out
    assert re.search(r"\bperdida_\w+ se volvi(ó|eron) NaN o infinitas? en la época 1: el entrenamiento se detuvo\. "
                     r"Prueba una tasa de aprendizaje menor: crea la GAN otra vez, compílala con gan\.compile\(", salida)
    assert len(registro.history["perdida_d"]) == 1


def test_tras_un_entrenamiento_corto_dibuja_el_digito_pedido():
    # 25 épocas de 16 lotes (el modo rápido recorta a 512 imágenes y 25 épocas): unos 400 pasos.
    # Con tres semillas, la media de aciertos pasó de 0,9; al azar sería 0,1.
    gan = _gan()
    gan.fit(a_dataset_condicional(*helpers.imagenes_digitos(16), lote=32), epochs=25, verbose=0)
    aciertos = aciertos_por_digito(gan, por_digito=50)
    assert aciertos.shape == (10,) and aciertos.mean() > 0.6, aciertos


@pytest.mark.parametrize("lote, mensaje", [(0, "lote=0 no es válido"), (16.0, "lote=16.0 no es válido")])
def test_a_dataset_condicional_explica_un_lote_que_no_sirve(lote, mensaje):
    imagenes, etiquetas = helpers.imagenes_digitos(16)
    with pytest.raises(ValueError, match=re.escape(mensaje) + ": debe ser un entero positivo"):
        a_dataset_condicional(imagenes, etiquetas, lote=lote)


def test_el_discriminador_condicional_explica_un_ancho_que_no_sirve():
    with pytest.raises(ValueError, match=r"ancho=8\.5 no es válido: debe ser un entero positivo"):
        construir_discriminador_condicional(ancho=8.5)


def test_parejas_sin_agrupar_en_lotes_se_explican():
    imagenes, etiquetas = helpers.imagenes_digitos(16)
    gan = GANCondicional(construir_generador_condicional(), construir_discriminador_condicional())
    gan.compile()
    sueltas = tf.data.Dataset.from_tensor_slices((imagenes[:8], etiquetas[:8, None].astype("int32")))
    with pytest.raises(ValueError, match=r"parejas sueltas, sin agrupar en lotes: añade \.batch"):
        gan.fit(sueltas, epochs=1, verbose=0)


@pytest.mark.parametrize("construir, opcion, mensaje", [
    (construir_generador_condicional, {"dim_latente": 0}, "dim_latente=0 no es válido: debe ser un entero positivo"),
    (construir_generador_condicional, {"clases": 1}, "clases=1 no es válido: debe ser un entero ≥ 2"),
    (construir_discriminador_condicional, {"clases": 2.0}, "clases=2.0 no es válido: debe ser un entero ≥ 2"),
])
def test_las_redes_condicionales_explican_una_dimension_o_unas_clases_que_no_sirven(construir, opcion, mensaje):
    with pytest.raises(ValueError, match=re.escape(mensaje)):
        construir(**opcion)


@pytest.mark.parametrize("opciones, mensaje", [
    ({"carpeta": 7}, "carpeta=7 no sirve como ruta: indica la carpeta donde guardar los cuadros"),
    # Unas imágenes (argumentos cambiados de orden): su forma; antes, su repr de pantallas enteras.
    ({"carpeta": np.zeros((8, 16, 16, 1))}, "carpeta recibió una matriz de forma (8, 16, 16, 1), que no sirve como ruta"),
    ({"columnas": 0}, "columnas=0 no es válido: debe ser un entero positivo"),
    ({"mostrar_cada": -1}, "mostrar_cada=-1 no es válido: debe ser un entero ≥ 0"),
    ({"mostrar_cada": 2.5}, "mostrar_cada=2.5 no es válido"),
])
def test_cuadricula_por_digito_explica_opciones_que_no_sirven(tmp_path, opciones, mensaje):
    with pytest.raises(ValueError, match=re.escape(mensaje)):
        CuadriculaPorDigito(**{"carpeta": tmp_path, **opciones})


def test_fit_sin_compile_y_tasas_que_no_sirven_se_explican_en_espanol():
    gan = GANCondicional(construir_generador_condicional(), construir_discriminador_condicional())
    datos = a_dataset_condicional(*helpers.imagenes_digitos(16), lote=16)
    with pytest.raises(ValueError, match=r"Falta compilar la GAN: antes de fit, llama a gan\.compile"):
        gan.fit(datos, epochs=1, verbose=0)
    for tasa, escrita in ((-4e-4, "vale -0,0004"), (float("nan"), "es NaN"), (float("inf"), "es infinita"),
                          (-float("inf"), "es menos infinito")):
        with pytest.raises(ValueError, match=f"La tasa de aprendizaje de opt_discriminador {escrita}: debe ser un "
                                             r"número positivo y finito .*para dejar esa red quieta, Adam\(0\.0\)"):
            gan.compile(opt_generador=keras.optimizers.Adam(4e-4), opt_discriminador=keras.optimizers.Adam(tasa))
    escalado = keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(-1e-3))  # el de la precisión mixta
    with pytest.raises(ValueError, match="La tasa de aprendizaje de opt_generador vale -0,001"):
        gan.compile(opt_generador=escalado, opt_discriminador=keras.optimizers.Adam(4e-4))
    programa = keras.optimizers.schedules.ExponentialDecay(-1e-3, 100, 0.5)  # negativa desde el primer paso
    with pytest.raises(ValueError, match="La tasa de aprendizaje de opt_generador vale -0,001: debe ser un número"):
        gan.compile(opt_generador=keras.optimizers.Adam(programa), opt_discriminador=keras.optimizers.Adam(4e-4))

    class Tasa:  # sin get_config: Keras no podría guardarla
        def __call__(self):
            return 4e-4

    class Programa(keras.optimizers.schedules.LearningRateSchedule):  # como en muchos tutoriales: sin get_config
        def __call__(self, paso):
            return 4e-4

    for tasa in (Tasa(), Programa()):
        with pytest.raises(ValueError, match=r"La tasa de aprendizaje de opt_discriminador es un objeto que Keras no "
                                             r"sabe guardar \(le falta get_config\)"):
            gan.compile(opt_generador=keras.optimizers.Adam(4e-4), opt_discriminador=keras.optimizers.Adam(tasa))
    with pytest.raises(ValueError, match="Falta compilar la GAN"):  # antes de preparar (y recortar) los datos
        gan.fit(*helpers.imagenes_digitos(16), epochs=1, verbose=0)
    gan.compile(opt_generador=keras.optimizers.Adam(0.0), opt_discriminador=keras.optimizers.Adam(
        keras.optimizers.schedules.ExponentialDecay(4e-4, 100, 0.5)))  # 0 (red quieta) y un programa valen


@pytest.mark.parametrize("generador, discriminador, forma", [
    ((16,), (28,), r"\(16, 16, 1\) y el discriminador las espera de forma \(28, 28, 1\)"),
    ((16, 3), (16, 1), r"\(16, 16, 3\) y el discriminador las espera de forma \(16, 16, 1\)"),
])
def test_redes_de_otro_tamano_o_canales_se_explican_al_crear_la_gan(generador, discriminador, forma):
    # Antes, fit fallaba dentro del discriminador con un ValueError de Keras, en inglés.
    with pytest.raises(ValueError, match=f"El generador hace imágenes de forma {forma} \\(alto, ancho, canales\\): "
                                         r"construye las dos redes con los mismos tamano=…, canales=… y clases=…"):
        GANCondicional(construir_generador_condicional(*generador, ancho=8),
                       construir_discriminador_condicional(*discriminador, ancho=8))


@pytest.mark.parametrize("ultimas, opciones, mensaje", [
    (11, {}, r"de 0 a 9 \(hay 10 clases\) y llegó 11"),
    # Con XLA (el de Keras en una GPU) TensorFlow se salta las aserciones de train_step: la comprobación va en los datos.
    (11, {"jit_compile": True}, r"de 0 a 9 \(hay 10 clases\) y llegó 11"),
    (2.5, {}, "hay alguna con decimales, como 2,5"),
])
def test_las_etiquetas_de_cualquier_lote_se_comprueban_no_solo_las_del_primero(ultimas, opciones, mensaje):
    gan = _gan_pequena()
    gan.compile(**opciones)
    # Ordenadas por clase: el primer lote está bien y el último trae la clase 11 (o 2,5).
    etiquetas = np.r_[np.sort(np.arange(48) % 10), np.full(16, ultimas)].astype(np.float32 if ultimas == 2.5 else np.int64)
    datos = tf.data.Dataset.from_tensor_slices((np.zeros((64, 16, 16, 1), np.float32), etiquetas)).batch(16)
    with pytest.raises(ValueError, match=mensaje) as error:
        gan.fit(datos, epochs=1, verbose=0)
    assert error.value.__suppress_context__  # el mensaje en español, sin la traza de TensorFlow


def test_una_etiqueta_mala_despues_del_primer_lote_de_a_dataset_se_explica_tambien_con_un_solo_iterador():
    # Con los datos de a_dataset, fit los recorre con un solo iterador (las épocas seguidas, mapear_lotes): la etiqueta
    # se comprueba también ahí. La 11 solo vale para quien creó los datos con clases=12, no para esta GAN.
    etiquetas = np.r_[np.arange(63) % 10, 11]
    datos = a_dataset_condicional(np.zeros((64, 16, 16, 1), np.float32), etiquetas, lote=16, clases=12)
    assert int(np.max(next(iter(a_dataset_condicional(np.zeros((64, 16, 16, 1), np.float32), etiquetas, lote=16,
                                                      clases=12)))[1])) < 10  # el primer lote está bien
    gan = _gan_pequena()
    gan.compile()
    with pytest.raises(ValueError, match=r"enteros de 0 a 9 \(hay 10 clases\) y van de 0 a 11") as error:
        gan.fit(datos, epochs=2, verbose=0)
    assert error.value.__suppress_context__ and gan.steps_per_execution == 1


def test_etiquetas_validas_de_cualquier_tipo_entrenan():
    # En uint8, la comparación con clases=300 se hacía en uint8 (300 → 44) y rechazaba la etiqueta 199 con
    # un error de TensorFlow en inglés.
    gan = _gan_pequena(clases=300)
    gan.compile()
    for tipo in (np.uint8, np.int16, np.float16):
        datos = tf.data.Dataset.from_tensor_slices((np.zeros((32, 16, 16, 1), np.float32),
                                                     np.arange(168, 200).astype(tipo))).batch(16)
        assert len(gan.fit(datos, epochs=1, verbose=0).history["perdida_d"]) == 1


def test_z_con_nan_infinitos_o_vacio_y_clases_que_no_sirven_se_explican():
    gan = _gan_pequena()
    casos = [
        (lambda: gan.generar([1, 2], z=np.full((2, 64), np.nan)),
         "z tiene 128 valores NaN o infinitos: los vectores latentes deben ser números finitos, p. ej. "
         "np.random.default_rng(0).normal(size=(2, 64))."),
        (lambda: gan.generar([1], z=np.r_[np.zeros(63), np.inf][None]), "z tiene 1 valor NaN o infinito:"),
        (lambda: gan.cuadricula_por_digito(np.full((3, 64), -np.inf)),
         "z tiene 192 valores NaN o infinitos: los vectores latentes deben ser números finitos, p. ej. "
         "np.random.default_rng(0).normal(size=(3, 64))."),
        (lambda: gan.cuadricula_por_digito(np.zeros((0, 64))),
         "z no tiene ningún vector latente: pasa al menos uno, forma (columnas, 64), p. ej. "
         "np.random.default_rng(0).normal(size=(8, 64))."),
        (lambda: a_dataset_condicional(np.zeros((8, 16, 16, 1)), np.arange(8) % 2, clases=0),
         "clases=0 no es válido: debe ser un entero ≥ 2."),
        (lambda: GANCondicional(gan.generador, gan.discriminador, clases=1), "clases=1 no es válido: debe ser un entero ≥ 2."),
    ]
    for llamada, mensaje in casos:
        with pytest.raises(ValueError, match=re.escape(mensaje)):
            llamada()


def test_aciertos_por_digito_explica_que_mide_digitos_en_gris():
    # Antes, Keras fallaba en inglés dentro del clasificador («expected axis -1 … to have value 256»).
    gan = GANCondicional(construir_generador_condicional(16, 3, ancho=8), construir_discriminador_condicional(16, 3, ancho=8))
    with pytest.raises(ValueError, match=r"clasificador de dígitos en gris \(1 canal\) y esta GAN hace imágenes de 3 canales"):
        aciertos_por_digito(gan, por_digito=2)


def test_cuadricula_por_digito_explica_una_carpeta_vacia_un_archivo_o_una_gan_no_condicional(tmp_path, monkeypatch):
    # "" era la carpeta actual: al empezar borraba sus muestras/epoca_*.png (de otro trabajo) y su evolucion.gif.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "muestras").mkdir()
    (tmp_path / "muestras" / "epoca_0007.png").write_bytes(b"mio")
    with pytest.raises(ValueError, match="carpeta='' no sirve como ruta: indica la carpeta donde guardar los cuadros"):
        CuadriculaPorDigito("")
    # Un archivo: antes, NotADirectoryError en inglés al terminar la primera época.
    archivo = tmp_path / "cuadros.png"
    archivo.write_bytes(b"x")
    with pytest.raises(ValueError, match="es un archivo, no una carpeta: elige otra carpeta para los cuadros"):
        CuadriculaPorDigito(archivo)
    # Una GAN sin etiquetas: antes, AttributeError en inglés («no attribute 'cuadricula_por_digito'»).
    gan = helpers.crear_gan(16, ancho=8)
    with pytest.raises(ValueError, match="necesita una GANCondicional, no una GAN: .*helpers.MuestrasFijas"):
        gan.fit(helpers.a_dataset(np.zeros((8, 16, 16, 1), np.float32), 8), epochs=1, verbose=0,
                callbacks=[CuadriculaPorDigito(tmp_path / "otra")])
    assert (tmp_path / "muestras" / "epoca_0007.png").read_bytes() == b"mio"


@pytest.mark.parametrize("semilla", [1.5, "0"])
def test_una_semilla_que_no_es_un_entero_se_explica_al_crear_la_gan(semilla):
    # Antes, en inglés desde Keras: «Argument `seed` must be an integer».
    generador, discriminador = construir_generador_condicional(ancho=8), construir_discriminador_condicional(ancho=8)
    with pytest.raises(ValueError, match=f"semilla={semilla!r} no es válida: usa un número entero"):
        GANCondicional(generador, discriminador, semilla=semilla)
    assert GANCondicional(generador, discriminador, semilla=None).muestrear(2).shape == (2, 16, 16, 1)


def test_redes_condicionales_en_una_gan_sin_etiquetas_se_explican_al_crearla():
    """Antes, helpers.GAN(generador, discriminador) condicionales se creaba y fit (o muestrear) fallaba en inglés:
    «Expected int32, but got None of type 'NoneType'» o «Layer … expects 2 named input(s)»."""
    generador = construir_generador_condicional(ancho=8)
    discriminador = construir_discriminador_condicional(ancho=8)
    with pytest.raises(ValueError, match=r"^El generador recibe 2 entradas .* y GAN solo le da el vector latente: .*"
                                         r"GANCondicional\(generador, discriminador\)"):
        helpers.GAN(generador, discriminador)
    with pytest.raises(ValueError, match=r"^El discriminador recibe 2 entradas .* y GANBasica solo le da la imagen"):
        helpers.GANBasica(helpers.construir_generador(16, 1, 64, 8), discriminador)


def test_fit_con_un_dataset_y_las_etiquetas_aparte_se_explica():
    """Antes, gan.fit(datos, etiquetas) daba el error de Keras «When providing `x` as a tf.data.Dataset, `y` should
    not be passed»."""
    imagenes, etiquetas = helpers.imagenes_digitos(16)
    gan = GANCondicional(construir_generador_condicional(ancho=8), construir_discriminador_condicional(ancho=8))
    gan.compile()
    with pytest.raises(ValueError, match=r"^Con un tf.data.Dataset, fit no recibe y: las etiquetas, si las hay, ya van"):
        gan.fit(a_dataset_condicional(imagenes[:64], etiquetas[:64], lote=32), etiquetas[:64], epochs=1, verbose=0)
    assert int(gan.opt_generador.iterations) == 0


def test_llamar_a_la_gan_condicional_con_z_solo_explica_que_faltan_las_etiquetas():
    """Antes, gan(z) daba el error de Keras en inglés («Layer "generador_condicional" expects 2 named input(s) …»);
    gan([z, etiquetas]) sigue siendo gan.generador([z, etiquetas]), como gan(z) en una GAN sin etiqueta."""
    gan = _gan_pequena()
    z = np.random.default_rng(0).normal(size=(4, 64)).astype(np.float32)
    with pytest.raises(ValueError, match=re.escape("Una GAN condicional necesita también la etiqueta de cada imagen: "
                                                   "usa gan.muestrear(n) (clases 0, 1, 2…), gan.generar(etiquetas, z) o "
                                                   "gan.generador([z, etiquetas]), con z de forma (n, 64)")):
        gan(z)
    etiquetas = np.arange(4).reshape(-1, 1)
    np.testing.assert_allclose(gan([z, etiquetas]), gan.generador([z, etiquetas]))


def test_fit_recorre_a_dataset_condicional_desde_su_primera_epoca_con_un_solo_iterador(monkeypatch):
    # Antes, fit sacaba el primer lote para comprobarlo con un recorrido que gastaba la primera época (entrenaba desde
    # la segunda), y con las etiquetas vigiladas los datos dejaban de ser de a_dataset: dos iteradores por época.
    def nueva():
        keras.utils.set_random_seed(0)
        gan = _gan_pequena()
        gan.compile()
        return gan

    imagenes, etiquetas = helpers.imagenes_digitos(16)
    referencia = a_dataset_condicional(imagenes[:96], etiquetas[:96], lote=32)
    epocas = [lote for _ in range(3) for lote in referencia]  # tres recorridos: las épocas 0, 1 y 2
    a_mano = nueva()
    a_mano.fit(tf.data.Dataset.from_tensor_slices(tuple(np.stack(parte) for parte in zip(*epocas))), verbose=0)
    creados = []
    original = tf.data.Dataset.__iter__
    monkeypatch.setattr(tf.data.Dataset, "__iter__", lambda conjunto: creados.append(1) or original(conjunto))
    seguida = nueva()
    seguida.fit(a_dataset_condicional(imagenes[:96], etiquetas[:96], lote=32), epochs=3, verbose=0)
    assert len(creados) <= 3, creados  # el primer lote, el de fit y el que Keras saca para construir; antes, 7
    for esperado, obtenido in zip(a_mano.get_weights(), seguida.get_weights()):
        np.testing.assert_allclose(obtenido, esperado, rtol=0, atol=1e-6)


def test_un_dataset_vacio_se_explica_como_en_la_gan_basica():
    # Antes, fit terminaba sin dar un paso ni decir nada (un historial vacío): la GAN básica sí lo explica.
    gan = _gan_pequena()
    gan.compile()
    imagenes, etiquetas = helpers.imagenes_digitos(16)
    vacios = [tf.data.Dataset.from_tensor_slices((np.zeros((0, 16, 16, 1), np.float32), np.zeros(0, np.int64))).batch(8),
              a_dataset_condicional(imagenes[:64], etiquetas[:64], lote=32).take(0)]
    for vacio in vacios:
        with pytest.raises(ValueError, match="No hay imágenes: el conjunto de datos está vacío"):
            gan.fit(vacio, epochs=1, verbose=0)
    assert int(gan.opt_generador.iterations) == 0
