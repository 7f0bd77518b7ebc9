"""Precisión mixta en CPU: cada estabilizador entrena con pérdidas finitas y cercanas a las de float32.

TensorFlow ejecuta float16 y bfloat16 también en CPU (despacio): estas pruebas no necesitan GPU.
"""

import keras
import numpy as np
import pytest

import helpers
from helpers.punto_de_control import restaurar_estado

POLITICAS = ("mixed_float16", "mixed_bfloat16")
RECETAS = {
    "base": {},
    "bisagra": {"perdida": "bisagra"},
    "r1": {"penalizacion_r1": 1.0},
    "wgan_gp": {"perdida": "wasserstein", "penalizacion_gradiente": 10.0},
    "espectral": {"normalizacion_espectral": True},
    "minilote": {"desviacion_minilote": True},
    "aumento": {"aumento": "color,traslacion,recorte"},
    "ruido": {"ruido_instancia": 0.1, "programa_ruido": "constante"},
    "ruido_reales": {"ruido_instancia": 0.1, "programa_ruido": "constante", "ruido_solo_reales": True},
    "media_movil": {"media_movil": 0.9},
    "pasos_d": {"exactitud_objetivo_d": 0.75},
    "todo": {
        "desviacion_minilote": True,
        "normalizacion_espectral": True,
        "penalizacion_r1": 1.0,
        "aumento": "color,traslacion",
        "ruido_instancia": 0.05,
        "media_movil": 0.9,
    },
}


@pytest.fixture(scope="module")
def lote():
    imagenes, _ = helpers.imagenes_digitos(16)
    return imagenes[:32]


@pytest.fixture(scope="module")
def referencias():
    """Pesos iniciales y métricas del primer paso en float32 de cada receta (se calculan una vez)."""
    return {}


@pytest.fixture
def politica():
    """Deja la política global como estaba aunque la prueba falle."""
    anterior = keras.mixed_precision.dtype_policy().name
    yield keras.mixed_precision.set_global_policy
    keras.mixed_precision.set_global_policy(anterior)


def gan_con(politica_global, opciones, pesos=None):
    keras.mixed_precision.set_global_policy(politica_global)
    # Los pesos iniciales salen del estado global de Keras: sin fijarlo dependerían de las pruebas que corrieron antes
    # en el mismo proceso, y con algunos el gradiente de R1, escalado para float16, se desborda y el primer paso de D
    # se descarta (perdida_d 0,0 en la CI).
    helpers.fijar_semilla(0)
    gan = helpers.crear_gan(16, dim_latente=8, ancho=8, semilla=3, **opciones)
    if pesos:
        gan.generador.set_weights(pesos[0])
        gan.discriminador.set_weights(pesos[1])
        if gan.generador_ema:
            gan.generador_ema.set_weights(pesos[0])
    return gan


@pytest.mark.parametrize("nombre", RECETAS)
@pytest.mark.parametrize("nombre_politica", POLITICAS)
def test_cada_estabilizador_en_precision_mixta(nombre, nombre_politica, lote, politica, referencias):
    opciones = RECETAS[nombre]
    if nombre not in referencias:
        referencia = gan_con("float32", opciones)
        pesos = (referencia.generador.get_weights(), referencia.discriminador.get_weights())
        referencias[nombre] = pesos, referencia.train_on_batch(lote, return_dict=True)
    pesos, esperado = referencias[nombre]

    gan = gan_con(nombre_politica, opciones, pesos)
    assert gan.discriminador.compute_dtype == nombre_politica.split("_")[1]
    primero = gan.train_on_batch(lote, return_dict=True)
    # Mismos pesos, mismo lote y mismos números al azar: la primera pérdida se parece a la de float32.
    for metrica in ("perdida_g", "perdida_d", "penalizacion_d"):
        if metrica in esperado:
            assert np.isfinite(primero[metrica]), (metrica, primero)
            assert primero[metrica] == pytest.approx(esperado[metrica], rel=0.05, abs=2e-3), metrica
    if "penalizacion_d" in esperado:
        assert primero["penalizacion_d"] > 0 and esperado["penalizacion_d"] > 0

    for _ in range(2):
        metricas = gan.train_on_batch(lote, return_dict=True)
        assert all(np.isfinite(v) for v in metricas.values()), metricas
    for red, inicial in ((gan.generador, pesos[0]), (gan.discriminador, pesos[1])):
        actuales = red.get_weights()
        assert all(np.all(np.isfinite(p)) for p in actuales)
        assert any(not np.allclose(a, b) for a, b in zip(inicial, actuales)), f"{red.name} no se movió"


def test_receta_de_digitos_con_todo_en_float16(politica):
    """La combinación que daba NaN desde la primera época: desviación del minilote, normalización
    espectral y R1 con ``mixed_float16`` (la política de una T4 de Colab)."""
    imagenes, _ = helpers.imagenes_digitos(16)
    politica("mixed_float16")
    # Cuatro pasos bastan: el NaN salía en los primeros. Lotes de 16: float16 en CPU es muy lento, y el paso
    # tarda en proporción al lote.
    gan = helpers.crear_gan(16, desviacion_minilote=True, normalizacion_espectral=True, penalizacion_r1=1.0)
    iniciales = gan.discriminador.get_weights()
    historia = gan.fit(helpers.a_dataset(imagenes[:32], 16), epochs=2, verbose=0).history
    for nombre, valores in historia.items():
        assert all(np.isfinite(valores)), (nombre, valores)
    # Que D se entrenó, y no solo que nada es NaN. No con exactitud_d > 0,5: tras solo cuatro pasos (alguno,
    # descartado por la escala de la pérdida), D aún puede clasificar todo igual y dar 0,5 justo.
    actuales = gan.discriminador.get_weights()
    assert all(np.all(np.isfinite(p)) for p in actuales)
    assert any(not np.allclose(a, b) for a, b in zip(iniciales, actuales)), "D no se movió"
    assert all(v > 0 for v in historia["penalizacion_d"])


def test_compilar_otra_vez_con_sus_optimizadores_no_los_envuelve_dos_veces(lote, politica):
    # Antes, gan.compile(gan.opt_generador, gan.opt_discriminador) (p. ej. para cambiar jit_compile) envolvía
    # cada LossScaleOptimizer en otro: el de dentro dividía los gradientes por una escala (2¹⁵) nunca aplicada.
    politica("mixed_float16")
    gan = helpers.crear_gan(16, dim_latente=8, ancho=8, semilla=3)
    gan.compile(gan.opt_generador, gan.opt_discriminador)
    for optimizador in (gan.opt_generador, gan.opt_discriminador):
        assert isinstance(optimizador, keras.optimizers.LossScaleOptimizer)
        assert not isinstance(optimizador.inner_optimizer, keras.optimizers.LossScaleOptimizer)
    assert all(np.isfinite(v) for v in gan.train_on_batch(lote, return_dict=True).values())


def test_normalizacion_espectral_calcula_en_float32(politica):
    x = np.random.default_rng(0).normal(size=(4, 5)).astype(np.float32)
    nucleos = {}
    for nombre in ("float32", "mixed_bfloat16"):
        politica(nombre)
        keras.utils.set_random_seed(0)
        capa = helpers.modelos.NormalizacionEspectral(keras.layers.Dense(3))
        salida = capa(x, training=True)
        nucleos[nombre] = capa.layer.kernel.numpy()
    assert capa.layer.compute_dtype == "bfloat16" and salida.shape == (4, 3)
    # El núcleo normalizado que se guarda es el mismo que en float32 (en bfloat16 diferiría en ~1e-2).
    np.testing.assert_allclose(nucleos["mixed_bfloat16"], nucleos["float32"], rtol=1e-5, atol=1e-6)


def test_punto_de_control_entre_politicas(lote, tmp_path, politica):
    # De mixed_float16 a float32 y de vuelta: cada GAN restaura el punto de control que dejó la anterior, entrenada
    # con la otra política, y sigue entrenando desde ahí con la suya.
    receta, datos = {"penalizacion_r1": 1.0, "media_movil": 0.9}, helpers.a_dataset(lote, 16)
    origen = gan_con("mixed_float16", receta)
    helpers.entrenar(origen, datos, 2, carpeta=tmp_path, verbose=0, guardar_cada_segundos=0)
    for epocas, nombre_politica in ((3, "float32"), (4, "mixed_float16")):
        destino = gan_con(nombre_politica, receta)
        assert restaurar_estado(destino, tmp_path) == epocas - 1, nombre_politica
        for original, restaurada in zip(origen.generador.variables, destino.generador.variables):
            np.testing.assert_array_equal(original.numpy(), restaurada.numpy())
        assert int(destino.opt_discriminador.iterations.numpy()) == int(origen.opt_discriminador.iterations.numpy())
        historial = helpers.entrenar(destino, datos, epocas, carpeta=tmp_path, verbose=0, guardar_cada_segundos=0)
        assert len(historial["perdida_g"]) == epocas and all(np.isfinite(historial["perdida_d"])), nombre_politica
        origen = destino


def test_politica_por_capacidad_de_computo():
    politica = helpers.entorno.politica_precision
    assert politica(None) == "float32"
    assert politica((6, 1)) == "float32"  # Pascal: sin núcleos tensoriales
    assert politica((7, 5)) == "mixed_float16"  # T4
    assert politica((8, 0)) == "mixed_bfloat16"  # A100
    assert politica((9, 0)) == "mixed_bfloat16"  # H100
