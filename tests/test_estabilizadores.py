import re

import keras
import numpy as np
import pytest
import tensorflow as tf

import helpers
from helpers import estabilizadores as est


def logits(*valores):
    return np.array(valores, np.float32)[:, None]


def test_perdida_bisagra_a_mano():
    reales, falsos = logits(2.0, 0.5), logits(-2.0, 0.5)
    perdida_d, perdida_g = est.perdidas_adversarias("bisagra", reales, falsos)
    # D: media(max(0, 1 − [2; 0,5])) + media(max(0, 1 + [−2; 0,5])) = 0,25 + 0,75.
    assert float(perdida_d) == pytest.approx(1.0)
    assert float(perdida_g) == pytest.approx(0.75)


def test_perdida_wasserstein_a_mano():
    perdida_d, perdida_g = est.perdidas_adversarias("wasserstein", logits(2.0, 0.5), logits(-2.0, 0.5))
    assert float(perdida_d) == pytest.approx(-0.75 - 1.25)
    assert float(perdida_g) == pytest.approx(0.75)


def test_perdida_desconocida():
    with pytest.raises(ValueError, match="perdida"):
        est.perdidas_adversarias("minimax", logits(0.0), logits(0.0))


def test_programas_del_ruido_de_instancia():
    assert [est.sigma_ruido(0.2, "constante", p) for p in (0, 0.5, 1)] == [0.2, 0.2, 0.2]
    assert [est.sigma_ruido(0.2, "lineal", p) for p in (0, 0.5, 1)] == pytest.approx([0.2, 0.1, 0.0])
    assert [est.sigma_ruido(0.2, "tercios", p) for p in (0.1, 0.5, 0.9)] == pytest.approx([0.2, 0.1, 0.0])
    with pytest.raises(ValueError, match="programa_ruido"):
        est.sigma_ruido(0.2, "exponencial", 0.5)


def test_el_ruido_sigue_su_programa_durante_fit():
    helpers.fijar_semilla(0)
    gan = helpers.crear_gan(16, dim_latente=8, ancho=8, ruido_instancia=0.3, programa_ruido="lineal")
    imagenes, _ = helpers.imagenes_digitos(16)
    sigmas = []
    anotar = keras.callbacks.LambdaCallback(on_epoch_end=lambda *_: sigmas.append(float(gan.sigma_actual.numpy())))
    gan.fit(helpers.a_dataset(imagenes[:64], 32), epochs=3, verbose=0, callbacks=[anotar])
    # La primera época, con todo el ruido; la última, con el del final (antes, 0,1 y no 0: nunca se apagaba).
    assert sigmas == pytest.approx([0.3, 0.15, 0.0], abs=1e-6)


def test_penalizaciones_de_gradiente_a_mano():
    gan = helpers.crear_gan(
        16, dim_latente=8, ancho=8, perdida="wasserstein", penalizacion_r1=2.0, penalizacion_gradiente=10.0
    )
    # Gradientes respecto de una real y de una mezcla.
    gradientes = [tf.constant([[3.0, 4.0]]), tf.constant([[0.0, 2.0]])]
    # R1: γ/2·‖(3, 4)‖² = 1·25; WGAN-GP: λ·(‖(0, 2)‖ − 1)² = 10·1.
    assert float(gan._penalizaciones(gradientes)) == pytest.approx(25.0 + 10.0, rel=1e-5)


def test_wasserstein_sin_penalizacion_avisa_y_suavizado_solo_con_no_saturante():
    with pytest.warns(UserWarning, match="penalizacion_gradiente"):
        helpers.crear_gan(16, dim_latente=8, ancho=8, perdida="wasserstein")
    with pytest.raises(ValueError, match="suavizado_etiquetas"):
        helpers.crear_gan(16, dim_latente=8, ancho=8, perdida="bisagra", suavizado_etiquetas=0.1)
    with pytest.raises(ValueError, match="penalizacion_r1"):
        helpers.crear_gan(16, dim_latente=8, ancho=8, penalizacion_r1=-1.0)


def test_ruido_solo_en_reales_sin_ruido_se_explica():
    # Antes entrenaba sin ruido ninguno y sin aviso: la receta «+ ruido solo en reales» era la ingenua.
    with pytest.raises(ValueError, match=re.escape("ruido_solo_reales=True elige dónde va el ruido de instancia, pero "
                                                   "ruido_instancia es 0: da también su desviación, p. ej. ruido_instancia=0.1.")):
        helpers.crear_gan(16, dim_latente=8, ancho=8, ruido_solo_reales=True)
    assert helpers.crear_gan(16, dim_latente=8, ancho=8, ruido_instancia=0.1, ruido_solo_reales=True).ruido_solo_reales


@pytest.mark.parametrize("valor", ["no", "False", None])
def test_jit_compile_que_no_es_auto_ni_booleano_se_explica(valor):
    # Antes, "no" llegaba a Keras, que lo tomaba por verdadero y compilaba con XLA sin aviso.
    with pytest.raises(ValueError, match=re.escape(f"jit_compile={valor!r} no es válido: usa \"auto\" (XLA solo en una "
                                                   "GPU NVIDIA o AMD), True o False, sin comillas.")):
        helpers.crear_gan(16, dim_latente=8, ancho=8, jit_compile=valor)
    assert helpers.crear_gan(16, dim_latente=8, ancho=8, jit_compile=np.False_).jit_compile is False


@pytest.mark.parametrize("opcion, valor, mensaje", [
    ("suavizado_etiquetas", "0.1", "suavizado_etiquetas='0.1' debe ser un número entre 0 y 0,5 (típico: 0,1)."),
    ("exactitud_objetivo_d", "0.75", "exactitud_objetivo_d='0.75' debe ser un número mayor que 0,5 y menor que 1"),
    ("media_movil", "0.999", "media_movil='0.999' debe ser un número entre 0 (desactivada) y 1 (típico: 0,999)."),
    ("media_movil", None, "media_movil=None debe ser un número entre 0 (desactivada) y 1"),
])
def test_una_opcion_entre_comillas_se_explica(opcion, valor, mensaje):
    # Antes: TypeError en inglés («'<' not supported between instances of 'float' and 'str'»).
    with pytest.raises(ValueError, match=re.escape(mensaje)):
        helpers.crear_gan(16, dim_latente=8, ancho=8, **{opcion: valor})


def test_aumento_conserva_forma_y_deja_pasar_el_gradiente():
    semilla = keras.random.SeedGenerator(0)
    uniforme = lambda forma: keras.random.uniform(forma, seed=semilla)  # noqa: E731
    imagenes = tf.Variable(tf.random.uniform((6, 16, 16, 3), -1, 1))
    with tf.GradientTape() as cinta:
        aumentadas = est.aumentar(imagenes, ("color", "traslacion", "recorte"), uniforme)
        total = tf.reduce_sum(aumentadas)
    assert aumentadas.shape == imagenes.shape
    gradiente = cinta.gradient(total, imagenes)
    assert gradiente is not None and float(tf.reduce_sum(tf.abs(gradiente))) > 0


def test_cada_aumento_hace_lo_que_dice():
    semilla = keras.random.SeedGenerator(1)
    uniforme = lambda forma: keras.random.uniform(forma, seed=semilla)  # noqa: E731
    unos = tf.ones((8, 16, 16, 1))
    # Traslación: el contenido se mueve y entra relleno (0); nunca aparecen otros valores.
    trasladadas = est.aumentar(unos, ("traslacion",), uniforme).numpy()
    assert set(np.unique(trasladadas)) <= {0.0, 1.0}
    assert (trasladadas == 0).any() and (trasladadas.reshape(8, -1).mean(1) >= (14 / 16) ** 2 - 1e-6).all()
    # Recorte: como mucho un cuadrado de 8×8 (la mitad del lado) a 0 por imagen, y alguno entero.
    recortadas = est.aumentar(unos, ("recorte",), uniforme).numpy()
    ceros = (recortadas == 0).reshape(8, -1).sum(1)
    assert ceros.max() == 64 and (ceros <= 64).all() and (ceros > 0).all()
    # Color en una imagen gris constante: solo el brillo la cambia, en ±0,5 y por igual en toda ella.
    coloreadas = est.aumentar(unos * 0.2, ("color",), uniforme).numpy()
    por_imagen = coloreadas.reshape(8, -1)
    assert np.allclose(por_imagen, por_imagen[:, :1], atol=1e-6)
    assert (np.abs(por_imagen[:, 0] - 0.2) <= 0.5).all() and por_imagen[:, 0].std() > 0


def test_aumento_invalido():
    assert est.comprobar_aumento("color, recorte") == ("color", "recorte")
    assert est.comprobar_aumento(None) == ()
    with pytest.raises(ValueError, match="rotacion"):
        est.comprobar_aumento("color,rotacion")


def test_desviacion_del_minilote_por_grupos():
    capa = est.DesviacionMinilote(grupo=4)
    iguales = np.ones((4, 2, 2, 1), np.float32)
    distintas = np.arange(4, dtype=np.float32).reshape(4, 1, 1, 1) * np.ones((4, 2, 2, 1), np.float32)
    salida = capa(np.concatenate([iguales, distintas])).numpy()
    assert salida.shape == (8, 2, 2, 2)
    assert np.allclose(salida[:4, ..., 1], 0.0, atol=1e-3)  # grupo sin variedad
    assert np.allclose(salida[4:, ..., 1], np.std(np.arange(4.0)), atol=1e-3)  # no se mezcla con el otro


def test_normalizacion_espectral_acota_los_pesos():
    d = helpers.construir_discriminador(16, 1, ancho=8, normalizacion_espectral=True)
    x = np.random.default_rng(0).normal(size=(4, 16, 16, 1)).astype(np.float32)
    for _ in range(30):  # una iteración de potencia por llamada en entrenamiento
        d(x, training=True)
    nucleos = [v.numpy() for v in d.weights if v.name == "kernel"]
    assert len(nucleos) == 3  # dos convoluciones y la capa densa
    for nucleo in nucleos:
        mayor_valor_singular = np.linalg.svd(nucleo.reshape(-1, nucleo.shape[-1]), compute_uv=False)[0]
        assert mayor_valor_singular == pytest.approx(1.0, abs=0.05)


def test_discriminador_con_desviacion_del_minilote_se_guarda_y_carga(tmp_path):
    d = helpers.construir_discriminador(16, 1, ancho=8, desviacion_minilote=True)
    x = np.random.default_rng(0).normal(size=(8, 16, 16, 1)).astype(np.float32)
    d.save(tmp_path / "d.keras")
    cargado = keras.models.load_model(tmp_path / "d.keras")
    assert np.allclose(cargado(x), d(x), atol=1e-6)


def test_pasos_adaptativos_del_discriminador():
    imagenes, _ = helpers.imagenes_digitos(16)
    datos = helpers.a_dataset(imagenes[:32], 32)
    for precision_reciente, debe_cambiar in ((0.95, False), (0.5, True)):
        helpers.fijar_semilla(0)
        gan = helpers.crear_gan(16, dim_latente=8, ancho=8, exactitud_objetivo_d=0.75)
        gan.exactitud_reciente_d.assign(precision_reciente)
        antes = [v.numpy().copy() for v in gan.discriminador.trainable_variables]
        historial = gan.fit(datos, epochs=1, verbose=0)
        cambio = any(not np.array_equal(a, v.numpy()) for a, v in zip(antes, gan.discriminador.trainable_variables))
        assert cambio == debe_cambiar
        assert historial.history["pasos_d"][0] == (1.0 if debe_cambiar else 0.0)


@pytest.mark.parametrize(
    "opciones",
    [
        {"perdida": "bisagra", "aumento": "color,traslacion,recorte"},
        {"perdida": "wasserstein", "penalizacion_gradiente": 10.0, "normalizacion_espectral": True},
        {"penalizacion_r1": 1.0, "ruido_instancia": 0.1, "desviacion_minilote": True, "media_movil": 0.9},
    ],
)
def test_combinaciones_de_estabilizadores_entrenan(opciones):
    helpers.fijar_semilla(0)
    gan = helpers.crear_gan(16, dim_latente=8, ancho=8, **opciones)
    imagenes, _ = helpers.imagenes_digitos(16)
    historial = gan.fit(helpers.a_dataset(imagenes[:64], 32), epochs=1, verbose=0)
    assert all(np.isfinite(v[0]) for v in historial.history.values())
    muestras = gan.generador_para_muestras()(np.zeros((2, 8), np.float32)).numpy()
    assert muestras.shape == (2, 16, 16, 1) and np.abs(muestras).max() <= 1.0


def test_aumentar_comprueba_sus_argumentos():
    uniforme = lambda forma: keras.random.uniform(forma, seed=keras.random.SeedGenerator(0))  # noqa: E731
    imagenes = tf.zeros((4, 16, 16, 1))
    # Antes: «traslación» (con tilde) o «Color» no aumentaban nada, sin avisar.
    for aumento in ("traslación", "Color"):
        with pytest.raises(ValueError, match=f"aumento={aumento!r}: .* no existe; usa una combinación de"):
            est.aumentar(imagenes, aumento, uniforme)
    assert est.aumentar(imagenes, "color, recorte", uniforme).shape == imagenes.shape
    # Antes: IndexError y TypeError de Python.
    with pytest.raises(ValueError, match=r"le llegó uno de forma \(16, 16, 1\): para una sola imagen, usa imagen\[None\]"):
        est.aumentar(imagenes[0], "color", uniforme)
    with pytest.raises(ValueError, match="uniforme=None no es válido: debe ser una función"):
        est.aumentar(imagenes, "color", None)


def test_desviacion_del_minilote_comprueba_grupo_y_lote():
    for grupo in (0, 1, 4.0):
        with pytest.raises(ValueError, match=f"grupo={grupo!r} no es válido: debe ser un entero ≥ 2"):
            est.DesviacionMinilote(grupo=grupo)
    # Antes: InvalidArgumentError de TensorFlow («Input to reshape is a tensor with …»), en inglés.
    d = helpers.construir_discriminador(16, 1, ancho=8, desviacion_minilote=True)
    with pytest.raises(ValueError, match="en grupos de 4 imágenes y le llegó un lote de 10: pásale un número de imágenes "
                                         "múltiplo de 4"):
        d(np.zeros((10, 16, 16, 1), np.float32))
    with pytest.raises(ValueError, match=r"le llegó uno de forma \(16, 16, 1\)"):
        est.DesviacionMinilote()(np.zeros((16, 16, 1), np.float32))
    assert d(np.zeros((8, 16, 16, 1), np.float32)).shape == (8, 1)
