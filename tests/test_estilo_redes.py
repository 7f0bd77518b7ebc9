"""Transferencia de estilo: qué red elige ``red="auto"``, VGG19 sin descargas y precisión mixta."""

import keras
import numpy as np
import pytest
import skimage.data
import tensorflow as tf

from helpers import estilo, perdidas_estilo, pinturas


@pytest.fixture
def red_recien_elegida():
    """Olvida la red construida antes y después de la prueba (se guarda en caché)."""
    estilo.olvidar_redes()
    yield
    estilo.olvidar_redes()


@pytest.fixture
def con_gpu_y_sin_modo_rapido(monkeypatch):
    """Simula una GPU de capacidad 8.0 fuera del modo rápido (nada se construye en ella)."""
    monkeypatch.setattr(perdidas_estilo, "capacidad_gpu", lambda: (8, 0))
    monkeypatch.setattr(perdidas_estilo, "modo_rapido", lambda: False)


@pytest.fixture
def vgg19_sin_pesos(monkeypatch, red_recien_elegida):
    """VGG19 de Keras con pesos al azar (``weights=None``): la misma arquitectura, sin descargar nada."""
    original = keras.applications.VGG19
    monkeypatch.setattr(keras.applications, "VGG19", lambda **opciones: original(**{**opciones, "weights": None}))


def test_auto_elige_squeezenet_en_modo_rapido_y_sin_gpu(monkeypatch):
    assert estilo.elegir_red("auto")[0] == "squeezenet"  # las pruebas corren en modo rápido
    monkeypatch.setattr(perdidas_estilo, "modo_rapido", lambda: False)
    monkeypatch.setattr(perdidas_estilo, "capacidad_gpu", lambda: None)
    nombre, motivo = estilo.elegir_red("auto")
    assert nombre == "squeezenet" and "sin GPU" in motivo
    assert estilo.elegir_red("vgg19") == ("vgg19", 'la pediste con red="vgg19"')
    with pytest.raises(ValueError, match="resnet"):
        estilo.elegir_red("resnet")


def test_auto_elige_vgg19_con_gpu_y_lo_dice(con_gpu_y_sin_modo_rapido, vgg19_sin_pesos):
    nombre, motivo = estilo.elegir_red("auto")
    assert nombre == "vgg19" and "GPU" in motivo
    extractor = estilo.extractor_estilo()
    assert extractor.red == "vgg19" and extractor.motivo == motivo


def test_sin_conexion_usa_squeezenet_con_aviso(monkeypatch, con_gpu_y_sin_modo_rapido, red_recien_elegida):
    def sin_conexion(*args, **kwargs):
        raise OSError("URL fetch failure: sin conexión")

    monkeypatch.setattr(keras.applications, "VGG19", sin_conexion)
    with pytest.warns(UserWarning, match="SqueezeNet"):
        extractor = estilo.extractor_estilo()
    assert extractor.red == "squeezenet" and "VGG19" in extractor.motivo
    with pytest.raises(RuntimeError, match='red="squeezenet"'):
        estilo.extractor_estilo("vgg19")


def test_vgg19_capas_formas_y_preprocesado(vgg19_sin_pesos):
    extractor = estilo.extractor_estilo("vgg19")
    assert extractor.capas_contenido == ["block5_conv2"]
    assert extractor.capas_estilo == [f"block{i}_conv1" for i in range(1, 6)]
    imagenes = np.random.default_rng(0).uniform(0, 255, (2, 64, 48, 3)).astype(np.float32)
    salidas = extractor(imagenes)
    assert [tuple(m.shape) for m in salidas["contenido"]] == [(2, 4, 3, 512)]
    assert [tuple(m.shape) for m in salidas["estilo"]] == [
        (2, 64, 48, 64), (2, 32, 24, 128), (2, 16, 12, 256), (2, 8, 6, 512), (2, 4, 3, 512)]

    # El preprocesado interno es el que espera la VGG19 de Keras (BGR menos la media de ImageNet).
    base = perdidas_estilo._red_base("vgg19")[1]
    primera = keras.Model(base.input, base.get_layer("block1_conv1").output)
    esperado = primera(keras.applications.vgg19.preprocess_input(imagenes.copy()))
    np.testing.assert_allclose(salidas["estilo"][0].numpy(), esperado.numpy(), rtol=1e-4, atol=1e-3)



def test_vgg19_necesita_16_px_con_sus_capas_y_lo_dice(vgg19_sin_pesos):
    # block5_conv1 va tras cuatro agrupamientos 2×2: con 15 px, TensorFlow fallaba en inglés.
    extractor = estilo.extractor_estilo("vgg19")
    assert extractor.lado_minimo == 16
    with pytest.raises(ValueError, match=r"mide 48×15 px y la red \(vgg19\) necesita al menos 16 px"):
        extractor(np.zeros((1, 15, 48, 3), np.float32))
    assert extractor(np.zeros((1, 16, 48, 3), np.float32))["estilo"][-1].shape[1:3] == (1, 3)

def test_transferencia_corta_con_vgg19(vgg19_sin_pesos):
    imagen, historial = estilo.transferir_estilo(
        skimage.data.coffee(), pinturas.pintura_pinceladas(64, "mar"), iteraciones=6, lado_maximo=48, red="vgg19")
    assert imagen.shape == (32, 48, 3) and np.isfinite(imagen).all()
    assert np.isfinite(historial["total"]).all() and historial["total"][-1] < historial["total"][0]


@pytest.fixture(params=["mixed_float16", "mixed_bfloat16"])
def politica_mixta(request, red_recien_elegida):
    """Activa una política global de precisión mixta y deja la anterior al terminar."""
    anterior = keras.config.dtype_policy()
    keras.config.set_dtype_policy(request.param)
    try:
        yield request.param
    finally:
        keras.config.set_dtype_policy(anterior)


def _transferencia_corta():
    return estilo.transferir_estilo(skimage.data.chelsea(), pinturas.pintura_geometrica(64, "mondrian"),
                                    iteraciones=6, lado_maximo=48, red="squeezenet")


def test_precision_mixta_da_las_perdidas_de_float32(politica_mixta):
    keras.config.set_dtype_policy("float32")
    _, en_float32 = _transferencia_corta()
    estilo.olvidar_redes()
    keras.config.set_dtype_policy(politica_mixta)

    extractor = estilo.extractor_estilo("squeezenet")
    mapas = extractor(tf.zeros((1, 40, 40, 3)))
    assert all(m.dtype == tf.float32 for m in mapas["contenido"] + mapas["estilo"])
    imagen, en_mixta = _transferencia_corta()
    assert keras.config.dtype_policy().name == politica_mixta  # no cambia la política del estudiante
    assert np.isfinite(imagen).all() and np.isfinite(en_mixta["total"]).all()
    np.testing.assert_allclose(en_mixta["total"], en_float32["total"], rtol=1e-3)
