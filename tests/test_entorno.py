import numpy as np
import pytest

from helpers import entorno


def test_modo_rapido_lee_la_variable(monkeypatch):
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "1")
    assert entorno.modo_rapido()
    assert entorno.limitar(500, 20) == 20
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "0")
    assert not entorno.modo_rapido()
    assert entorno.limitar(500, 20) == 500
    monkeypatch.delenv("CURSO_GAN_RAPIDO")
    assert not entorno.modo_rapido()


@pytest.mark.parametrize(
    "capacidad, politica",
    [(None, "float32"), ((6, 0), "mixed_float16"), ((7, 5), "mixed_float16"), ((8, 0), "mixed_bfloat16"), ((9, 0), "mixed_bfloat16")],
)
def test_politica_de_precision_segun_la_gpu(capacidad, politica):
    assert entorno.politica_precision(capacidad) == politica


def test_sin_gpu_se_queda_en_float32():
    assert entorno.capacidad_gpu() is None
    assert entorno.describir_dispositivo().startswith("CPU")
    assert entorno.activar_precision_mixta() == "float32"


def test_fijar_semilla_repite_los_numeros():
    import keras

    entorno.fijar_semilla(7)
    a = (np.random.rand(3), keras.random.normal((3,)).numpy())
    entorno.fijar_semilla(7)
    b = (np.random.rand(3), keras.random.normal((3,)).numpy())
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_colab_se_detecta_por_el_modulo(monkeypatch):
    import sys
    import types

    assert not entorno.en_colab()
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert entorno.en_colab()
