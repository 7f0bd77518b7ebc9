"""GAN condicional: formas, la etiqueta manda, entrena con pérdidas finitas y obedece al dígito pedido."""

import keras
import numpy as np
import pytest
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


def test_errores_claros():
    with pytest.raises(ValueError, match="una etiqueta por imagen"):
        a_dataset_condicional(np.zeros((4, 16, 16, 1)), np.zeros(3))
    with pytest.raises(ValueError, match="entre 0 y 9"):
        _gan().generar([3, 10])
    with pytest.raises(ValueError, match="tamano=28 no es válido"):
        construir_discriminador_condicional(tamano=28)


def test_unos_pasos_dan_perdidas_finitas_y_la_cuadricula(tmp_path):
    gan = _gan()
    imagenes, etiquetas = helpers.imagenes_digitos(16)
    datos = a_dataset_condicional(imagenes[:64], etiquetas[:64], lote=16)
    registro = gan.fit(datos, epochs=2, verbose=0, callbacks=[CuadriculaPorDigito(tmp_path, columnas=4)])
    for nombre in ("perdida_g", "perdida_d", "exactitud_d"):
        assert len(registro.history[nombre]) == 2 and np.all(np.isfinite(registro.history[nombre]))
    with Image.open(tmp_path / "muestras" / "epoca_0002.png") as cuadro:
        assert abs(cuadro.height / cuadro.width - (10 * 17 - 1) / (4 * 17 - 1)) < 0.02  # 10 filas, 4 columnas
    assert (tmp_path / "evolucion.gif").exists()


def test_tras_un_entrenamiento_corto_dibuja_el_digito_pedido():
    # 25 épocas de 16 lotes (el modo rápido recorta a 512 imágenes y 25 épocas): unos 400 pasos.
    # Con tres semillas, la media de aciertos pasó de 0,9; al azar sería 0,1.
    gan = _gan()
    gan.fit(a_dataset_condicional(*helpers.imagenes_digitos(16), lote=32), epochs=25, verbose=0)
    aciertos = aciertos_por_digito(gan, por_digito=50)
    assert aciertos.shape == (10,) and aciertos.mean() > 0.6, aciertos
