"""Transferencia de estilo: pérdidas en casos calculados a mano, extractor, carga de imágenes y bucle."""

import keras
import numpy as np
import pytest
import skimage.color
import skimage.data
import tensorflow as tf
from PIL import Image

from helpers import estilo, pinturas


def test_gram_de_una_entrada_conocida():
    # 1 imagen, 1×2 posiciones, 2 canales: vectores (1, 2) y (3, 4).
    caracteristicas = tf.constant([[[[1.0, 2.0], [3.0, 4.0]]]])
    gram = estilo.matriz_gram(caracteristicas).numpy()
    np.testing.assert_allclose(gram, [[[(1 + 9) / 2, (2 + 12) / 2], [(2 + 12) / 2, (4 + 16) / 2]]])


def test_gram_en_float32_con_caracteristicas_float16():
    # 16×16 posiciones de valor 300: la suma de productos (2,3·10⁷) desborda float16 (máx. 65 504).
    caracteristicas = tf.fill((1, 16, 16, 3), tf.constant(300.0, tf.float16))
    gram = estilo.matriz_gram(caracteristicas)
    assert gram.dtype == tf.float32
    np.testing.assert_allclose(gram.numpy(), np.full((1, 3, 3), 90_000.0))


def test_perdida_contenido_a_mano():
    obtenidos = [tf.constant([[[[1.0, 2.0]]]])]
    objetivo = [tf.constant([[[[1.0, 0.0]]]])]
    # media((0, 2)²) = 2 y media((1, 0)²) = 0,5 → 4
    assert float(estilo.perdida_contenido(obtenidos, objetivo)) == pytest.approx(4.0, rel=1e-6)
    assert float(estilo.perdida_contenido(objetivo, objetivo)) == 0.0


def test_perdida_estilo_a_mano():
    caracteristicas = [tf.constant([[[[1.0, 0.0], [1.0, 0.0]]]])]  # Gram [[1, 0], [0, 0]]
    gram_objetivo = [tf.constant([[[1.0, 0.0], [0.0, 1.0]]])]
    # media de (0, 0, 0, 1)² = 0,25 y media de (1, 0, 0, 1)² = 0,5 → 0,5
    assert float(estilo.perdida_estilo(caracteristicas, gram_objetivo)) == pytest.approx(0.5, rel=1e-6)


def test_perdida_variacion_a_mano():
    imagen = tf.constant([[[[0.0], [1.0]], [[2.0], [3.0]]]])  # [[0, 1], [2, 3]]
    # vertical: |2-0|, |3-1| → 2; horizontal: |1-0|, |3-2| → 1
    assert float(estilo.perdida_variacion(imagen)) == pytest.approx(3.0)


@pytest.fixture
def red_recien_elegida():
    """Olvida la red elegida antes y después de la prueba (se guarda en caché)."""
    estilo._red_base.cache_clear()
    yield
    estilo._red_base.cache_clear()


def test_sin_conexion_usa_squeezenet_con_aviso(monkeypatch, red_recien_elegida):
    def sin_conexion(*args, **kwargs):
        raise OSError("URL fetch failure: sin conexión")

    monkeypatch.setattr(keras.applications, "VGG19", sin_conexion)
    with pytest.warns(UserWarning, match="SqueezeNet"):
        extractor = estilo.extractor_caracteristicas()
    assert extractor.red == "squeezenet"
    with pytest.raises(RuntimeError, match='red="squeezenet"'):
        estilo.extractor_caracteristicas("vgg19")


def test_extractor_devuelve_las_capas_pedidas():
    extractor = estilo.extractor_caracteristicas("squeezenet", ["fire5"], ["conv1", "fire3"])
    salidas = extractor(np.zeros((2, 64, 64, 3), np.float32))
    assert [m.shape for m in salidas["contenido"]] == [(2, 7, 7, 256)]
    assert [m.shape for m in salidas["estilo"]] == [(2, 31, 31, 64), (2, 15, 15, 128)]
    with pytest.raises(ValueError, match="fire99"):
        estilo.extractor_caracteristicas("squeezenet", ["fire99"])


def test_cargar_imagen_de_varios_modos(tmp_path):
    transparente = Image.new("RGBA", (40, 20), (255, 0, 0, 0))
    transparente.save(tmp_path / "transparente.png")
    np.testing.assert_allclose(estilo.cargar_imagen(tmp_path / "transparente.png", None)[0, 0], [255, 255, 255])

    dieciseis_bits = Image.fromarray(np.array([[0, 65535]], np.uint16))
    dieciseis_bits.save(tmp_path / "16bits.png")
    np.testing.assert_allclose(estilo.cargar_imagen(tmp_path / "16bits.png", None)[0], [[0, 0, 0], [255, 255, 255]])

    Image.new("RGB", (30, 60), (0, 0, 255)).convert("P").save(tmp_path / "paleta.gif")
    azul = estilo.cargar_imagen(tmp_path / "paleta.gif", lado_maximo=30)
    assert azul.shape == (30, 15, 3) and azul.dtype == np.float32
    np.testing.assert_allclose(azul[5, 5], [0, 0, 255])

    Image.new("CMYK", (8, 8), (0, 0, 0, 0)).save(tmp_path / "cmyk.jpg")
    assert estilo.cargar_imagen(tmp_path / "cmyk.jpg").min() > 250  # CMYK sin tinta es blanco

    desde_arreglo = estilo.cargar_imagen(np.full((4, 4), 0.5, np.float32), None)  # gris en [0, 1]
    np.testing.assert_allclose(desde_arreglo, 128)


def test_cargar_imagen_explica_los_errores(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_esta.jpg"):
        estilo.cargar_imagen(tmp_path / "no_esta.jpg")
    (tmp_path / "notas.jpg").write_text("esto no es una imagen")
    with pytest.raises(ValueError, match="notas.jpg"):
        estilo.cargar_imagen(tmp_path / "notas.jpg")
    Image.new("RGB", (64, 64), "red").save(tmp_path / "entera.png")
    (tmp_path / "cortada.png").write_bytes((tmp_path / "entera.png").read_bytes()[:80])
    with pytest.raises(ValueError, match="cortada.png"):
        estilo.cargar_imagen(tmp_path / "cortada.png")


@pytest.mark.parametrize("metodo", ["lbfgs", "adam"])
def test_transferencia_corta_reduce_la_perdida(metodo):
    pintura = pinturas.pintura_geometrica(64, "mondrian")
    imagen, historial = estilo.transferir_estilo(
        skimage.data.coffee(), pintura, iteraciones=8, metodo=metodo, escalas=(1.0,), lado_maximo=64, red="squeezenet"
    )
    assert imagen.shape == (43, 64, 3) and imagen.dtype == np.float32  # la foto es de 400×600
    assert 0 <= imagen.min() and imagen.max() <= 255
    assert len(historial["total"]) == 8
    assert historial["total"][-1] < historial["total"][0]


def test_preservar_color_conserva_el_color_de_la_foto():
    contenido = estilo.cargar_imagen(skimage.data.coffee(), 64)
    imagen, _ = estilo.transferir_estilo(
        contenido, pinturas.pintura_pinceladas(64, "fuego"), iteraciones=3, escalas=(1.0,), lado_maximo=64,
        preservar_color=True, red="squeezenet",
    )
    color_foto = skimage.color.rgb2yiq(contenido / 255)[..., 1:]
    color_resultado = skimage.color.rgb2yiq(imagen / 255)[..., 1:]
    assert np.abs(color_resultado - color_foto).mean() < 0.02
