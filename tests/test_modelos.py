import numpy as np
import pytest

from helpers import modelos


@pytest.mark.parametrize("tamano", modelos.TAMANOS)
@pytest.mark.parametrize("canales", modelos.CANALES)
def test_formas_para_cada_tamano(tamano, canales):
    generador = modelos.construir_generador(tamano, canales, dim_latente=16, ancho=8)
    discriminador = modelos.construir_discriminador(tamano, canales, ancho=8)
    imagenes = generador(np.random.normal(size=(2, 16)).astype("float32"))
    assert tuple(imagenes.shape) == (2, tamano, tamano, canales)
    assert np.all(np.abs(imagenes) <= 1.0)
    assert tuple(discriminador(imagenes).shape) == (2, 1)


def test_reglas_dcgan():
    from keras import layers

    generador = modelos.construir_generador(32)
    discriminador = modelos.construir_discriminador(32, abandono=0.3)
    tipos_g = {type(c) for c in generador.layers}
    tipos_d = {type(c) for c in discriminador.layers}
    assert layers.BatchNormalization in tipos_g and layers.Conv2DTranspose in tipos_g
    assert layers.LeakyReLU in tipos_d and layers.Dropout in tipos_d
    assert not any(isinstance(c, (layers.MaxPooling2D, layers.BatchNormalization)) for c in discriminador.layers)
    assert all(c.strides == (2, 2) for c in discriminador.layers if isinstance(c, layers.Conv2D))
    assert generador.layers[-1].activation.__name__ == "tanh"
    # El discriminador devuelve un logit: sin sigmoide a la salida.
    assert discriminador.layers[-1].activation.__name__ == "linear"


def test_ancho_y_dim_latente():
    generador = modelos.construir_generador(16, dim_latente=100, ancho=32)
    assert generador.input_shape == (None, 100)
    assert generador.layers[-2].input.shape[-1] == 32


@pytest.mark.parametrize("tamano", [8, 24, 30, 256, "32"])
def test_tamano_invalido(tamano):
    with pytest.raises(ValueError, match="tamano="):
        modelos.construir_generador(tamano)
    with pytest.raises(ValueError, match="tamano="):
        modelos.construir_discriminador(tamano)


@pytest.mark.parametrize("canales", [0, 2, 4])
def test_canales_invalidos(canales):
    with pytest.raises(ValueError, match="canales="):
        modelos.construir_generador(16, canales)


def test_abandono_invalido():
    with pytest.raises(ValueError, match="abandono="):
        modelos.construir_discriminador(16, abandono=1.5)


def test_modelos_densos_de_juguete():
    generador = modelos.construir_generador_denso(dim_latente=4, dim_salida=2)
    discriminador = modelos.construir_discriminador_denso(dim_entrada=2)
    x = generador(np.zeros((5, 4), "float32"))
    assert tuple(x.shape) == (5, 2) and tuple(discriminador(x).shape) == (5, 1)


@pytest.mark.parametrize("construir, opciones, mensaje", [
    # Antes, 0 construía una red sin entradas y lo demás fallaba en inglés dentro de Keras («Negative dimensions are
    # not allowed», «expected a positive integer. Received: units=6» con ocultas="64», «'int' object is not iterable»).
    (modelos.construir_generador_denso, {"dim_latente": 0}, r"^dim_latente=0 no es válido: debe ser un entero positivo"),
    (modelos.construir_generador_denso, {"dim_salida": -1}, r"^dim_salida=-1 no es válido"),
    (modelos.construir_generador_denso, {"ocultas": (64, 1.5)}, r"^ocultas=\(64, 1\.5\) no es válido: da las neuronas"),
    (modelos.construir_generador_denso, {"ocultas": "64"}, r"^ocultas='64' no es válido"),
    (modelos.construir_discriminador_denso, {"dim_entrada": 1.5}, r"^dim_entrada=1\.5 no es válido: debe ser un entero"),
    (modelos.construir_discriminador_denso, {"dim_entrada": "2"}, r"^dim_entrada='2' no es válido"),
    (modelos.construir_discriminador_denso, {"ocultas": 64}, r"^ocultas=64 no es válido: da las neuronas .* \(64, 64\)"),
])
def test_modelos_densos_explican_sus_argumentos(construir, opciones, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        construir(**opciones)


def test_las_capas_ocultas_dadas_con_un_generador_se_construyen_todas():
    # Antes, comprobarlas gastaba el generador y la red salía sin capas ocultas, sin aviso.
    from keras import layers

    red = modelos.construir_generador_denso(ocultas=(16 for _ in range(2)))
    assert [capa.units for capa in red.layers if isinstance(capa, layers.Dense)] == [16, 16, 1]


def test_red_generadora_devuelve_la_red_o_explica_lo_que_no_es_un_generador():
    import re

    generador = modelos.construir_generador(16, 1, dim_latente=4, ancho=8)
    discriminador = modelos.construir_discriminador(16, ancho=8)
    assert modelos.red_generadora(generador) is generador

    def funcion(z, training=False):
        return z

    assert modelos.red_generadora(funcion, funcion=True) is funcion  # solo donde se pide (interpolar_latente)
    for no_es, mensaje in ((None, "generador=NoneType no es un generador: pasa el generador (un keras.Model) o una GAN"),
                           (np.zeros((2, 16, 16, 1)), "generador=ndarray no es un generador: pasa"),
                           (funcion, "generador=function no es un generador: pasa"),
                           ("g.keras", "«g.keras» es una ruta, no un generador: cárgalo antes con helpers.cargar_generador"),
                           (discriminador, "generador=Functional no es un generador (de un vector latente a una imagen; "
                                           "el de una GAN condicional pide también el dígito")):
        with pytest.raises(ValueError, match=re.escape(mensaje)):
            modelos.red_generadora(no_es)
    # El parámetro y el consejo son los de quien llama; un texto que no es un nombre de parámetro va tal cual.
    with pytest.raises(ValueError, match=re.escape("modelo=NoneType no es un generador: pasa otro.")):
        modelos.red_generadora(None, "modelo", "pasa otro")
    with pytest.raises(ValueError, match=re.escape("«d.keras» no es un generador (de un vector latente a una imagen): usa otro.")):
        modelos.red_generadora(discriminador, "«d.keras»", "usa otro")
