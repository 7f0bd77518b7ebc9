"""Pruebas del juguete del cuaderno 01: datos, métricas, fotos del juego y un entrenamiento corto."""

import re
import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf

import helpers
from helpers import juguete


def test_mezcla_1d_tiene_tres_modos_de_igual_peso_y_la_desviacion_pedida():
    x = juguete.muestras_mezcla_1d(9000, desviacion=0.2, semilla=3)
    assert x.shape == (9000, 1) and x.dtype == np.float32
    cercano = np.abs(x - np.array(juguete.MEDIAS_1D)[None, :]).argmin(axis=1)
    for i, media in enumerate(juguete.MEDIAS_1D):
        grupo = x[cercano == i, 0]
        assert abs(len(grupo) / len(x) - 1 / 3) < 0.03
        assert abs(grupo.mean() - media) < 0.02
        assert abs(grupo.std() - 0.2) < 0.02
    np.testing.assert_array_equal(x, juguete.muestras_mezcla_1d(9000, desviacion=0.2, semilla=3))


def test_anillo_2d_reparte_las_muestras_entre_los_modos_sobre_el_circulo():
    x = juguete.muestras_anillo_2d(8000, modos=8, radio=2.0, desviacion=0.05, semilla=1)
    assert x.shape == (8000, 2) and x.dtype == np.float32
    assert abs(np.linalg.norm(x, axis=1).mean() - 2.0) < 0.01
    centros = juguete.centros_anillo(8, 2.0)
    np.testing.assert_allclose(np.linalg.norm(centros, axis=1), 2.0, rtol=1e-6)
    conteos = np.bincount(np.linalg.norm(x[:, None] - centros[None], axis=-1).argmin(1), minlength=8)
    assert conteos.min() > 800 and conteos.max() < 1200


def test_modos_cubiertos_en_un_caso_a_mano():
    centros = np.array([[0.0, 0.0], [5.0, 0.0], [0.0, 5.0], [5.0, 5.0]])
    # 45 muestras en el primer centro, 45 en el segundo, 1 en el tercero y 9 lejos de todos.
    muestras = np.concatenate([np.zeros((45, 2)), np.tile([5.0, 0.0], (45, 1)), [[0.0, 5.0]], np.full((9, 2), 50.0)])
    modos, cerca = juguete.modos_cubiertos(muestras, centros, radio=0.5, minimo=0.02)
    assert modos == 2  # el tercero solo recibe el 1 % (< 2 %) y el cuarto nada
    assert cerca == pytest.approx(0.91)
    assert juguete.modos_cubiertos(muestras, centros, radio=0.5, minimo=0.01)[0] == 3


@pytest.mark.parametrize("argumentos, mensaje", [
    # Antes, «float() argument must be … not 'Functional'» de NumPy con la red en lugar de sus muestras.
    (lambda gan, c: (gan.generador, c, 0.25), r"^muestras debe ser una matriz de puntos .* recibió GeneradorDenso: usa las "
                                              r"del generador, gan.generador\(ruido\)"),
    (lambda gan, c: ("abc", c, 0.25), r"^muestras debe ser .* y recibió str"),
    (lambda gan, c: (np.zeros((0, 2)), c, 0.25), r"^muestras .* al menos uno, y recibió una matriz de forma \(0, 2\)"),
    (lambda gan, c: (c, "anillo", 0.25), r"^centros debe ser una matriz de puntos .* usa centros_anillo\(\)"),
    # Antes, un UFuncTypeError en inglés; y radio negativo o minimo=2 («el 2 %») daban 0 modos sin avisar.
    (lambda gan, c: (c, c, "0.25"), r"^radio='0\.25' no es válido: es la distancia al centro"),
    (lambda gan, c: (c, c, -0.25), r"^radio=-0\.25 no es válido"),
    (lambda gan, c: (c, c, 0.25, 2), r"^minimo=2 no es válido: es una fracción de las muestras, de 0 a 1"),
], ids=["la_red", "texto", "vacias", "centros_texto", "radio_texto", "radio_negativo", "minimo_porcentaje"])
def test_modos_cubiertos_explica_lo_que_no_sirve(argumentos, mensaje):
    gan = juguete.crear_gan_juguete(dim_datos=2, ocultas=(4,))
    with pytest.raises(ValueError, match=mensaje):
        juguete.modos_cubiertos(*argumentos(gan, juguete.centros_anillo()))


def test_distancia_wasserstein_de_un_desplazamiento_es_el_desplazamiento():
    x = juguete.muestras_mezcla_1d(2000, semilla=0)
    assert juguete.distancia_wasserstein_1d(x, x) == 0.0
    assert juguete.distancia_wasserstein_1d(x, x + 1.5) == pytest.approx(1.5, rel=1e-5)


def test_el_dataset_sirve_lotes_de_todas_las_muestras():
    x = juguete.muestras_mezcla_1d(1000, semilla=0)
    lotes = list(juguete.a_dataset_juguete(x, lote=128))
    assert [len(lote) for lote in lotes] == [128] * 7 + [104]
    np.testing.assert_allclose(np.sort(np.concatenate(lotes)[:, 0]), np.sort(x[:, 0]))


def test_epocas_juguete_solo_recorta_en_modo_rapido(monkeypatch):
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "1")
    assert juguete.epocas_juguete(500) == juguete.EPOCAS_RAPIDAS_JUGUETE
    assert juguete.epocas_juguete(10) == 10
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "0")
    assert juguete.epocas_juguete(500) == 500
    for epocas in ("60", 60.5, 0):
        with pytest.raises(ValueError, match=f"epocas={epocas!r} no es válido: debe ser un entero positivo"):
            juguete.epocas_juguete(epocas)


def test_crear_gan_juguete_da_redes_de_la_dimension_pedida():
    gan = juguete.crear_gan_juguete(dim_datos=2, dim_latente=4, ocultas=(16,), suavizado_etiquetas=0.2)
    z = np.zeros((3, 4), np.float32)
    assert gan.generador(z).shape == (3, 2)
    assert gan.discriminador(np.zeros((3, 2), np.float32)).shape == (3, 1)
    assert gan.suavizado_etiquetas == 0.2
    assert float(keras.ops.convert_to_numpy(gan.opt_generador.learning_rate)) == pytest.approx(1e-3)


@pytest.mark.parametrize("z, mensaje", [
    # Otra dimensión latente, p. ej. el ruido de una GAN creada antes con otro dim_latente.
    (np.zeros((5, 3), np.float32), "«z» tiene forma (5, 3): cada fila debe tener 8 números (en un generador, su "
                                   "dimensión latente)."),
    (np.zeros(8, np.float32), "«z» tiene forma (8,): si es una sola, pásala como lote de una, z[None]."),
    (np.zeros(5, np.float32), "«z» tiene forma (5,): cada fila debe tener 8 números"),
], ids=["otra_dimension", "un_vector_sin_lote", "numeros_sueltos"])
def test_el_generador_de_juguete_explica_en_espanol_un_ruido_de_otra_forma(z, mensaje, tmp_path):
    gan = juguete.crear_gan_juguete(dim_datos=1)
    guardado = tmp_path / "generador.keras"
    gan.generador.save(guardado)
    for generador in (gan.generador, keras.models.load_model(guardado)):  # también el que el estudiante guardó
        with pytest.raises(ValueError, match="^" + re.escape("El modelo espera entradas de forma (n, 8) y " + mensaje)):
            generador(z)
        assert generador(np.zeros((5, 8), np.float32)).shape == (5, 1)
        assert generador(np.zeros((5, 8, 1), np.float32)).shape == (5, 1)  # Keras quita el eje de tamaño 1


def test_el_generador_de_juguete_se_llama_como_cualquier_modelo_de_keras():
    # Al comprobar el ruido, solo se aceptaba generador(z): generador(inputs=z) fallaba con un TypeError y [z] o
    # {"vector_latente": z}, que Keras acepta, con «tiene forma (1, 5, 8)» o «llegó un objeto de tipo dict».
    gan = juguete.crear_gan_juguete(dim_datos=1, media_movil=0.999)
    z = np.zeros((5, 8), np.float32)
    for generador in (gan.generador, gan.generador_ema):  # la media móvil es un clon (keras.models.clone_model)
        for llamada in (lambda: generador(inputs=z), lambda: generador([z]), lambda: generador({"vector_latente": z})):
            assert llamada().shape == (5, 1)
        with pytest.raises(ValueError, match=re.escape("«z» tiene forma (5, 3): cada fila debe tener 8 números")):
            generador({"vector_latente": np.zeros((5, 3), np.float32)})
        # Un tensor sin ejes: antes, «tiene forma ()», lo que el mensaje quiere evitar.
        with pytest.raises(ValueError, match=re.escape("«z» debe ser una matriz de forma (n, 8) y llegó un objeto de tipo")):
            generador(tf.constant(1.0))


@pytest.mark.parametrize("dim, cada, epocas, fotos", [(1, 1, 3, 4), (2, 2, 5, 3)])
def test_fotogramas_guarda_la_foto_inicial_y_una_cada_tantas_epocas(dim, cada, epocas, fotos):
    datos = juguete.muestras_mezcla_1d(256) if dim == 1 else juguete.muestras_anillo_2d(256)
    gan = juguete.crear_gan_juguete(dim_datos=dim, ocultas=(16,))
    camara = juguete.Fotogramas(limites=(-3, 3), cada=cada, n=50, puntos=20)
    gan.fit(juguete.a_dataset_juguete(datos, lote=128), epochs=epocas, shuffle=False, verbose=0, callbacks=[camara])
    assert [foto["epoca"] for foto in camara.fotos] == list(range(0, epocas + 1, cada))
    assert len(camara.fotos) == fotos
    for foto in camara.fotos:
        assert foto["muestras"].shape == (50, dim)
        assert foto["rejilla"].shape == ((20, 1) if dim == 1 else (400, 2))
        assert foto["d"].shape == (len(foto["rejilla"]),) and np.all((foto["d"] >= 0) & (foto["d"] <= 1))
    # Los vectores latentes son fijos: sin entrenar entre dos fotos, las muestras serían idénticas.
    assert not np.allclose(camara.fotos[0]["muestras"], camara.fotos[-1]["muestras"])


def test_un_entrenamiento_corto_acerca_el_generador_a_la_mezcla():
    reales = juguete.muestras_mezcla_1d(3000, semilla=0)
    referencia = juguete.muestras_mezcla_1d(3000, semilla=1)
    gan = juguete.crear_gan_juguete(dim_datos=1, semilla=0)
    z = np.random.default_rng(2).normal(size=(3000, gan.dim_latente)).astype(np.float32)
    antes = juguete.distancia_wasserstein_1d(gan.generador(z), referencia)
    gan.fit(juguete.a_dataset_juguete(reales), epochs=15, shuffle=False, verbose=0)
    despues = juguete.distancia_wasserstein_1d(gan.generador(z), referencia)
    assert despues < 0.6 * antes, (antes, despues)


def test_dibujar_fotogramas_una_celda_por_foto(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    reales = juguete.muestras_anillo_2d(300)
    eje = np.linspace(-3, 3, 10, dtype=np.float32)
    rejilla = np.stack(np.meshgrid(eje, eje), -1).reshape(-1, 2)
    fotos = [
        {"epoca": e, "muestras": reales[:50], "rejilla": rejilla, "d": np.full(100, 0.5)}
        for e in range(5)
    ]
    ruta = tmp_path / "fotos.png"
    figura = juguete.dibujar_fotogramas(fotos, reales, columnas=3, limites=(-3, 3), ruta=ruta)
    visibles = [eje for eje in figura.axes if eje.axison]
    assert len(figura.axes) == 6 and len(visibles) == 5
    assert [eje.get_title() for eje in visibles] == [f"época {e}" for e in range(5)]
    assert ruta.stat().st_size > 5000
    # Los puntos de 2 pt, en la leyenda, se ampliaban igual: dos motas sin color reconocible.
    assert figura.legends[0].markerscale >= 3


def test_crear_gan_juguete_acepta_la_llamada_de_su_docstring():
    # El suavizado por defecto (0,1) es solo para la no saturante: con otra pérdida vale 0.
    assert "``perdida='wasserstein', penalizacion_gradiente=10``" in juguete.crear_gan_juguete.__doc__
    gan = juguete.crear_gan_juguete(perdida="wasserstein", penalizacion_gradiente=10)
    assert gan.perdida == "wasserstein" and gan.suavizado_etiquetas == 0.0
    historia = gan.fit(juguete.a_dataset_juguete(juguete.muestras_mezcla_1d(256)), epochs=1, verbose=0)
    assert np.isfinite(historia.history["perdida_d"][-1])
    assert juguete.crear_gan_juguete().suavizado_etiquetas == 0.1


def test_una_errata_en_crear_gan_juguete_se_explica_en_espanol():
    with pytest.raises(ValueError, match=r"crear_gan_juguete no tiene la opción lr \(¿una errata\?\)") as error:
        juguete.crear_gan_juguete(lr=1e-2)
    assert "lr_generador" in str(error.value) and "penalizacion_gradiente" in str(error.value)


@pytest.mark.parametrize("cada", [0, -1, 1.5])
def test_fotogramas_rechaza_un_cada_que_no_es_un_entero_positivo(cada):
    with pytest.raises(ValueError, match=f"cada={cada}"):
        juguete.Fotogramas(cada=cada)


def test_fotogramas_dice_que_solo_dibuja_1_o_2_dimensiones():
    gan = juguete.crear_gan_juguete(dim_datos=3, ocultas=(16,))
    datos = juguete.a_dataset_juguete(np.zeros((128, 3), np.float32))
    with pytest.raises(ValueError, match="solo dibuja datos de 1 o 2 dimensiones, y esta GAN tiene dim_datos=3"):
        gan.fit(datos, epochs=1, verbose=0, callbacks=[juguete.Fotogramas(n=10, puntos=10)])


def test_si_el_entrenamiento_diverge_medir_y_dibujar_lo_dicen_en_espanol(capsys):
    import matplotlib

    matplotlib.use("Agg")
    reales = juguete.muestras_mezcla_1d(512)
    gan = juguete.crear_gan_juguete(dim_datos=1, lr_generador=1e3, lr_discriminador=1e3)
    camara = juguete.Fotogramas(n=50, puntos=20)
    gan.fit(juguete.a_dataset_juguete(reales), epochs=4, verbose=0, callbacks=[camara])
    # fit se detiene y aconseja con la función que creó esta GAN (no con crear_gan, la de las imágenes).
    assert re.search(r"en la época \d: el entrenamiento se detuvo\. Prueba tasas de aprendizaje menores: "
                     r"crear_gan_juguete\(\.\.\., lr_generador=2e-4", capsys.readouterr().out)
    muestras = np.asarray(gan.generador(np.zeros((50, gan.dim_latente), np.float32)))
    assert np.isnan(muestras).all()
    divergio = r"hay valores NaN o infinitos: el entrenamiento divergió .* tasas de aprendizaje menores"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # ni un aviso de numpy («All-NaN slice encountered»)
        with pytest.raises(FloatingPointError, match="En las muestras " + divergio):
            juguete.modos_cubiertos(muestras, np.array(juguete.MEDIAS_1D)[:, None], radio=0.5)
        with pytest.raises(FloatingPointError, match=divergio):
            juguete.distancia_wasserstein_1d(muestras, reales)
        with pytest.raises(FloatingPointError, match=r"En la foto de la época [1-4] " + divergio):
            juguete.dibujar_fotogramas(camara.fotos, reales)


@pytest.mark.parametrize("opcion", [{"lote": 0}, {"lote": 12.8}, {"lote": "128"}, {"semilla": "1"}, {"semilla": -1}])
def test_a_dataset_juguete_explica_un_lote_o_una_semilla_no_validos(opcion):
    (nombre, valor), = opcion.items()
    with pytest.raises(ValueError, match=rf"^{nombre}={valor!r} no es válid[ao]: .*entero"):
        juguete.a_dataset_juguete(juguete.muestras_mezcla_1d(64), **opcion)


@pytest.mark.parametrize("opcion", [
    {"semilla": "0"}, {"semilla": 1.5}, {"semilla": None}, {"semilla": -1}, {"semilla": 2**32},
    {"dim_datos": 0}, {"dim_datos": "1"}, {"dim_latente": 0}, {"dim_latente": True},
])
def test_crear_gan_juguete_explica_una_semilla_o_una_dimension_no_validas(opcion):
    (nombre, valor), = opcion.items()
    with pytest.raises(ValueError, match=rf"^{nombre}={valor!r} no es válid[ao]: .*entero"):
        juguete.crear_gan_juguete(**opcion)


def test_crear_gan_juguete_acepta_una_semilla_de_numpy_y_tasas_enteras():
    gan = juguete.crear_gan_juguete(ocultas=(8,), semilla=np.int64(3), lr_discriminador=1)
    assert gan.generador.output_shape == (None, 1) and float(gan.opt_discriminador.learning_rate) == 1.0
    with pytest.raises(ValueError, match="lr_generador=-0.001 no es válida"):
        juguete.crear_gan_juguete(ocultas=(8,), lr_generador=-1e-3)
    assert len(list(juguete.a_dataset_juguete(juguete.muestras_mezcla_1d(64), lote=32, semilla=np.int64(3)))) == 2


def _entrenar_con(camara, gan, epocas, datos=None):
    datos = datos if datos is not None else juguete.a_dataset_juguete(juguete.muestras_mezcla_1d(256))
    gan.fit(datos, epochs=epocas, shuffle=False, verbose=0, callbacks=[camara])


def test_fotogramas_con_otra_gan_empieza_una_pelicula_nueva_y_con_la_misma_sigue():
    camara = juguete.Fotogramas(cada=2, n=20, puntos=10)
    gan_1 = juguete.crear_gan_juguete(ocultas=(8,), semilla=0)
    _entrenar_con(camara, gan_1, 4)
    fotos_1 = camara.fotos
    gan_2 = juguete.crear_gan_juguete(ocultas=(8,), semilla=1)
    _entrenar_con(camara, gan_2, 4)
    # Antes: [0, 2, 4, 2, 4], con las fotos de las dos GAN mezcladas en un mismo dibujo.
    assert [foto["epoca"] for foto in camara.fotos] == [0, 2, 4]
    assert [foto["epoca"] for foto in fotos_1] == [0, 2, 4]  # la película de gan_1, intacta
    assert not np.allclose(camara.fotos[0]["muestras"], fotos_1[0]["muestras"])  # la foto inicial es de gan_2
    _entrenar_con(camara, gan_2, 2)  # la misma GAN sigue entrenando: las épocas siguen contando
    assert [foto["epoca"] for foto in camara.fotos] == [0, 2, 4, 6]


def test_una_pelicula_nueva_de_una_gan_ya_entrenada_lo_dice(capsys):
    gan = juguete.crear_gan_juguete(ocultas=(8,), semilla=0)
    _entrenar_con(juguete.Fotogramas(cada=2, n=20, puntos=10), gan, 2)
    assert "ya se entrenó" not in capsys.readouterr().out
    _entrenar_con(juguete.Fotogramas(cada=2, n=20, puntos=10), gan, 2)  # la celda de fit, ejecutada otra vez
    assert re.search(r"Esta GAN ya se entrenó \(\d+ pasos\): la película empieza desde esos pesos", capsys.readouterr().out)


@pytest.fixture(scope="module")
def fotos_1d():
    import matplotlib

    matplotlib.use("Agg")
    camara = juguete.Fotogramas(cada=1, n=20, puntos=10)
    _entrenar_con(camara, juguete.crear_gan_juguete(ocultas=(8,)), 1)
    return camara


def test_dibujar_fotogramas_acepta_el_callback_y_los_datos_1d_como_vector(fotos_1d):
    reales = juguete.muestras_mezcla_1d(300)
    figura = juguete.dibujar_fotogramas(fotos_1d, reales[:, 0], columnas=2)
    assert [eje.get_title() for eje in figura.axes] == ["época 0", "época 1"]


@pytest.mark.parametrize("llamada, mensaje", [
    (lambda fotos, reales: (fotos.fotos, juguete.muestras_anillo_2d(300)),
     r"Las fotos son de datos de 1 dimensión y como reales llegó una matriz de forma \(300, 2\): pasa la matriz \(n, 1\)"),
    (lambda fotos, reales: (fotos.fotos, juguete.a_dataset_juguete(reales)),
     r"como reales llegó un objeto de tipo _BatchDataset: .* no su Dataset"),
    (lambda fotos, reales: (reales, fotos.fotos),
     r"recibe primero las fotos de un Fotogramas .* le llegó un objeto de tipo ndarray: pásaselas en este orden, "
     r"dibujar_fotogramas\(fotogramas\.fotos, reales\)"),
    (lambda fotos, reales: ([], reales), r"No hay fotos que dibujar: entrena antes la GAN con fit"),
    (lambda fotos, reales: (juguete.Fotogramas(), reales), r"No hay fotos que dibujar"),
], ids=["datos_2d", "dataset", "orden_cambiado", "lista_vacia", "callback_sin_entrenar"])
def test_dibujar_fotogramas_mal_llamado_lo_explica_en_espanol(fotos_1d, llamada, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        juguete.dibujar_fotogramas(*llamada(fotos_1d, juguete.muestras_mezcla_1d(300)))


def test_dibujar_fotogramas_con_fotos_2d_y_datos_1d_lo_explica():
    reales = juguete.muestras_anillo_2d(300)
    fotos = [{"epoca": 0, "muestras": reales[:50], "rejilla": np.zeros((100, 2), np.float32), "d": np.full(100, 0.5)}]
    with pytest.raises(ValueError, match=r"datos de 2 dimensiones y como reales llegó una matriz de forma \(300,\)"):
        juguete.dibujar_fotogramas(fotos, reales[:, 0])
    with pytest.raises(ValueError, match=r"columnas=0 no es válido"):
        juguete.dibujar_fotogramas(fotos, reales, columnas=0)


def test_el_mapa_de_d_se_dibuja_donde_se_evaluo_aunque_la_ventana_sea_otra():
    import matplotlib

    matplotlib.use("Agg")
    reales = juguete.muestras_anillo_2d(300)
    eje = np.linspace(-3, 3, 20, dtype=np.float32)
    rejilla = np.stack(np.meshgrid(eje, eje), -1).reshape(-1, 2)  # como la de Fotogramas(limites=(-3, 3))
    foto = {"epoca": 0, "muestras": reales[:50], "rejilla": rejilla, "d": np.full(400, 0.5)}
    figura = juguete.dibujar_fotogramas([foto], reales, columnas=1, limites=(-6, 6))
    assert figura.axes[0].images[0].get_extent() == pytest.approx([-3, 3, -3, 3])
    assert figura.axes[0].get_xlim() == pytest.approx((-6, 6))


@pytest.mark.parametrize("limites", [4, (4, -4), ("a", "b"), (0, float("inf"))])
def test_limites_que_no_sirven_se_explican(limites):
    with pytest.raises(ValueError, match=r"no es válido: usa dos números, el menor primero, p\. ej\. limites=\(-4, 4\)"):
        juguete.Fotogramas(limites=limites)
    reales = juguete.muestras_anillo_2d(300)
    foto = {"epoca": 0, "muestras": reales[:50], "rejilla": reales[:100], "d": np.full(100, 0.5)}
    with pytest.raises(ValueError, match=r"usa dos números, el menor primero"):
        juguete.dibujar_fotogramas([foto], reales, limites=limites)


def test_medidas_del_juguete_con_datos_de_otra_dimension_lo_dicen():
    anillo = juguete.muestras_anillo_2d(500)
    centros_1d = np.array(juguete.MEDIAS_1D)[:, None]
    with pytest.raises(ValueError, match=r"Las muestras tienen 2 dimensiones y los centros 1"):
        juguete.modos_cubiertos(anillo, centros_1d, radio=0.5)
    with pytest.raises(ValueError, match=r"mide muestras de la recta.*forma \(500, 2\)"):
        juguete.distancia_wasserstein_1d(anillo, juguete.muestras_mezcla_1d(500))
    assert juguete.distancia_wasserstein_1d(juguete.muestras_mezcla_1d(500)[:, 0], juguete.muestras_mezcla_1d(500)) == 0


@pytest.mark.parametrize("ocultas", [128, (64.0, 64.0), (64, 0), "64"])
def test_crear_gan_juguete_explica_unas_capas_ocultas_que_no_sirven(ocultas):
    with pytest.raises(ValueError, match=r"no es válido: da las neuronas de cada capa oculta como una tupla"):
        juguete.crear_gan_juguete(ocultas=ocultas)


def test_la_gan_de_juguete_no_acepta_aumento_de_imagenes():
    with pytest.raises(ValueError, match=r"aumento .* imágenes; la GAN de juguete aprende puntos"):
        juguete.crear_gan_juguete(dim_datos=2, aumento="traslacion")


@pytest.mark.parametrize("llamada, mensaje", [
    # 4e3 es un float: antes, «expected a sequence of integers or a single integer», de NumPy.
    (lambda: juguete.muestras_mezcla_1d(4e3), r"^n=4000\.0 no es válido: debe ser un entero positivo"),
    (lambda: juguete.muestras_anillo_2d(4000, modos=12.0), r"^modos=12\.0 no es válido: debe ser un entero positivo"),
    (lambda: juguete.muestras_anillo_2d(4000, semilla=-1), r"^semilla=-1 no es válida: usa un número entero de 0 a"),
    (lambda: juguete.muestras_mezcla_1d(100, semilla=1.5), r"^semilla=1\.5 no es válida"),
    # En el callback, antes el error llegaba de NumPy y a mitad de fit.
    (lambda: juguete.Fotogramas(n=1.5), r"^n=1\.5 no es válido: debe ser un entero positivo"),
    (lambda: juguete.Fotogramas(puntos=1), r"^puntos=1 no es válido: debe ser un entero ≥ 2"),
    (lambda: juguete.Fotogramas(semilla=-1), r"^semilla=-1 no es válida"),
], ids=["n_float", "modos_float", "semilla_negativa", "semilla_float", "fotogramas_n", "fotogramas_puntos",
        "fotogramas_semilla"])
def test_datos_y_fotogramas_con_enteros_que_no_sirven_lo_explican(llamada, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        llamada()


def test_sin_semilla_los_datos_de_juguete_salen_al_azar():
    # semilla=None, como en NumPy: cada llamada, otros puntos (y sin error).
    assert not np.array_equal(juguete.muestras_anillo_2d(50, semilla=None), juguete.muestras_anillo_2d(50, semilla=None))
    assert juguete.muestras_mezcla_1d(50, semilla=None).shape == (50, 1)


def test_fotogramas_con_una_gan_de_imagenes_lo_explica():
    # Antes, Keras fallaba en inglés al evaluar el discriminador de imágenes en la rejilla de puntos.
    gan = helpers.crear_gan(16, ancho=8)
    with pytest.raises(ValueError, match=r"Fotogramas es para la GAN de juguete .* recibe datos de forma \(16, 16, 1\)"):
        gan.fit(helpers.a_dataset(np.zeros((8, 16, 16, 1), np.float32), 8), epochs=1, verbose=0,
                callbacks=[juguete.Fotogramas(n=10, puntos=10)])


@pytest.mark.parametrize("muestras, mensaje", [
    ([], r"una matriz \(n, dim\) con al menos una, y le llegó una matriz de forma \(0,\)"),
    (None, "le llegó un objeto de tipo NoneType"),
    (np.zeros((2, 2, 2)), r"le llegó una matriz de forma \(2, 2, 2\)"),
    (np.array([[0.5], [np.nan], [np.inf]]), "Las muestras tienen 2 valores NaN o infinitos"),
])
def test_a_dataset_juguete_explica_muestras_que_no_sirven(muestras, mensaje):
    # Antes: errores de TensorFlow en inglés, o (con NaN) una GAN que entrenaba hasta dar pérdidas NaN.
    with pytest.raises(ValueError, match=mensaje):
        juguete.a_dataset_juguete(muestras)
