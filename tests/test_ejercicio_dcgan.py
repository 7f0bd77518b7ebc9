"""El ejercicio del cuaderno 02: las comprobaciones aceptan la solución y explican cada error típico."""

import functools
import importlib.util
import json
import operator

import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import layers

import conftest
import helpers
from helpers import ejercicio_dcgan
from helpers.ejercicio_dcgan import comprobar_discriminador, comprobar_generador, completar, solucion
from helpers.ejercicio_paso import comprobar_paso
from test_capas import alcanzables, grafo_de_importaciones


def _clase_solucion(capsys, cambio=None):
    """La clase ``MiGAN`` que imprime ``solucion("paso")``, con un ``cambio`` (viejo, nuevo) opcional."""
    solucion("paso")
    codigo = capsys.readouterr().out
    if cambio:
        assert cambio[0] in codigo
        codigo = codigo.replace(*cambio, 1)
    espacio = {"helpers": helpers, "tf": tf, "keras": keras, "np": np}
    exec(codigo, espacio)
    return espacio["MiGAN"]


def _comprobar(capsys, clase):
    correcto = comprobar_paso(clase)
    return correcto, capsys.readouterr().out


def test_la_solucion_del_paso_coincide_con_ganbasica(capsys):
    correcto, salida = _comprobar(capsys, _clase_solucion(capsys))
    assert correcto and salida.startswith("✓") and "completar" not in salida


def test_ejercicio_paso_exporta_comprobar_paso_y_sus_piezas_no_lo_importan():
    # ejercicio_paso se partió en paso_anotado, pistas_paso y problemas_paso. Lo que era público, comprobar_paso,
    # sigue saliendo de «import *» (el mismo objeto que el cuaderno toma de ejercicio_dcgan), sin lo que el módulo
    # importa para sí. Las importaciones van en un sentido, también dentro de funciones:
    # paso_anotado ← pistas_paso ← problemas_paso ← ejercicio_paso.
    todo = {}
    exec("from helpers.ejercicio_paso import *", todo)
    assert set(todo) - {"__builtins__"} == {"comprobar_paso"}
    assert todo["comprobar_paso"] is ejercicio_dcgan.comprobar_paso is comprobar_paso
    grafo = grafo_de_importaciones()
    orden = ["paso_anotado", "pistas_paso", "problemas_paso", "ejercicio_paso"]
    for posicion, modulo in enumerate(orden):
        assert set(orden[:posicion]) <= grafo[modulo] and not alcanzables(grafo, modulo) & set(orden[posicion:]), modulo


def test_la_comprobacion_calcula_en_float32_y_deja_la_politica_como_estaba(capsys):
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        correcto, salida = _comprobar(capsys, _clase_solucion(capsys))
        assert correcto and keras.mixed_precision.dtype_policy().name == "mixed_float16"
    finally:
        keras.mixed_precision.set_global_policy("float32")


def test_el_paso_con_completar_coincide_pero_lo_recuerda(capsys):
    class ConHuecos(helpers.GANBasica):
        def train_step(self, reales):
            z = self.ruido_latente(tf.shape(reales)[0])
            with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:
                falsas = completar("falsas", self, z)
                logits_reales = self.discriminador(reales, training=True)
                logits_falsos = self.discriminador(falsas, training=True)
                perdida_d = completar("perdida_d", logits_reales, logits_falsos)
                perdida_g = completar("perdida_g", logits_falsos)
            completar("actualizar_d", self, cinta_d, perdida_d)
            completar("actualizar_g", self, cinta_g, perdida_g)
            return {"perdida_d": perdida_d, "perdida_g": perdida_g}

    correcto, salida = _comprobar(capsys, ConHuecos)
    assert correcto and "Aún usa completar para falsas, perdida_d, perdida_g, actualizar_d, actualizar_g" in salida


@pytest.mark.parametrize(
    "cambio, explicacion",
    [
        (("tf.reduce_mean(tf.nn.softplus(-logits_falsos))\n", "-tf.reduce_mean(tf.nn.softplus(-logits_falsos))\n"),
         "tiene el signo cambiado: con el signo menos, G empeoraría"),
        (("tf.reduce_mean(tf.nn.softplus(-logits_falsos))\n", "tf.reduce_mean(tf.nn.softplus(logits_falsos))\n"),
         "tiene el signo del logit cambiado"),
        (("tf.reduce_mean(tf.nn.softplus(-logits_falsos))\n", "-tf.reduce_mean(tf.nn.softplus(logits_falsos))\n"),
         "es la pérdida saturante del minimax original"),
        (("perdida_d = tf.reduce_mean(tf.nn.softplus(-logits_reales)) + ", "perdida_d = -tf.reduce_mean(tf.nn.softplus(-logits_reales)) - "),
         "tiene el signo cambiado: con el signo menos, D maximizaría"),
    ],
)
def test_una_perdida_con_el_signo_mal_se_explica(capsys, cambio, explicacion):
    correcto, salida = _comprobar(capsys, _clase_solucion(capsys, cambio))
    assert not correcto and explicacion in salida


def test_actualizar_d_con_el_optimizador_de_g_se_explica(capsys):
    clase = _clase_solucion(capsys, ("self.opt_discriminador.apply", "self.opt_generador.apply"))
    correcto, salida = _comprobar(capsys, clase)
    assert not correcto and "self.opt_generador recibió variables del discriminador" in salida


def test_actualizar_con_las_variables_de_las_dos_redes_se_explica(capsys):
    clase = _clase_solucion(capsys, ("variables_d = self.discriminador.trainable_variables", "variables_d = self.trainable_variables"))
    correcto, salida = _comprobar(capsys, clase)
    assert not correcto and "self.opt_discriminador recibió variables del generador" in salida and "«congelada»" in salida


def test_olvidar_training_true_en_el_generador_se_explica(capsys):
    clase = _clase_solucion(capsys, ("self.generador(z, training=True)", "self.generador(z)"))
    correcto, salida = _comprobar(capsys, clase)
    assert not correcto and "falta training=True" in salida and "BatchNormalization" in salida


def test_otro_ruido_o_no_actualizar_g_se_explican(capsys):
    otro_ruido = _clase_solucion(capsys, ("z = self.ruido_latente(tf.shape(reales)[0])", "z = tf.random.normal((tf.shape(reales)[0], 64))"))
    correcto, salida = _comprobar(capsys, otro_ruido)
    assert not correcto and "otros vectores latentes" in salida
    sin_g = _clase_solucion(capsys, ("self.opt_generador.apply(cinta_g.gradient(perdida_g, variables_g), variables_g)", "pass"))
    correcto, salida = _comprobar(capsys, sin_g)
    assert not correcto and "self.opt_generador no se usó" in salida


def test_un_error_en_el_paso_se_explica_sin_traza(capsys):
    roto = _clase_solucion(capsys, ("logits_falsos = self.discriminador(falsas", "logits_falsos = self.discriminador(falsos"))
    correcto, salida = _comprobar(capsys, roto)
    assert not correcto and "train_step lanzó NameError" in salida
    correcto, salida = _comprobar(capsys, keras.Model)
    assert not correcto and "herede de helpers.GANBasica" in salida


@pytest.mark.parametrize("cambio, explicacion", [
    (("self.opt_discriminador.apply(cinta_d.gradient(perdida_d, variables_d), variables_d)",
      "self.opt_discriminador.apply(variables_d, cinta_d.gradient(perdida_d, variables_d))"),
     "apply recibe primero los gradientes y después las variables"),
    (("self.opt_generador.apply(cinta_g.gradient(perdida_g, variables_g), variables_g)",
      "self.opt_generador.apply(cinta_g.gradient(perdida_g, variables_g))"),
     "apply necesita también las variables que actualiza"),
    (("cinta_g.gradient(perdida_g, variables_g)", "cinta_d.gradient(perdida_g, variables_g)"),
     "pediste dos gradientes a la misma cinta"),
    (("self.ruido_latente(", "self.ruido_latent("), "self.ruido_latent no existe: ¿querías decir self.ruido_latente?"),
    # Antes, un TypeError de TensorFlow en inglés al aplicar a D un gradiente pedido respecto de G.
    (("self.opt_discriminador.apply(cinta_d.gradient(perdida_d, variables_d), variables_d)",
      "self.opt_discriminador.apply(cinta_g.gradient(perdida_g, self.generador.trainable_variables), variables_d)"),
     "los gradientes no tienen la forma de las variables a las que los aplicas"),
    # Antes, el aviso de Keras en inglés y «recibió solo 12 de las 8 variables entrenables».
    (("variables_g = self.generador.trainable_variables", "variables_g = self.generador.variables"),
     "recibió también 4 variables no entrenables del generador (las medias de BatchNormalization"),
    (("perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))",
      "perdida_g = keras.losses.BinaryCrossentropy()(tf.ones_like(logits_falsos), logits_falsos)"),
     "sin from_logits=True, que espera probabilidades y recibe logits"),
    (("perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))",
      "perdida_g = np.mean(tf.nn.softplus(-logits_falsos))"),
     "una pérdida es un número de NumPy"),
    # Antes, solo la línea de Keras en inglés («expected shape=(None, 64), found shape=(16, 100)»).
    (("self.ruido_latente(tf.shape(reales)[0])", "tf.random.normal((tf.shape(reales)[0], 100))"),
     "el generador recibe vectores latentes de 64 números y le llegaron de otra forma: usa z = self.ruido_latente(n)"),
    # Antes, solo el error de Python o de Keras en inglés: «apply_gradients() takes 2 positional arguments but 3
    # were given», «'_AdamAnotado' object has no attribute 'minimize'», «too many values to unpack (expected 2)»,
    # «Input 0 with name 'imagen' of layer 'discriminador' is incompatible…» y «Cannot convert … Ellipsis…».
    (("self.opt_discriminador.apply(cinta_d.gradient(perdida_d, variables_d), variables_d)",
      "self.opt_discriminador.apply_gradients(cinta_d.gradient(perdida_d, variables_d), variables_d)"),
     "apply_gradients recibe una sola lista de pares (gradiente, variable): self.opt_….apply_gradients(zip("),
    (("self.opt_discriminador.apply(cinta_d.gradient(perdida_d, variables_d), variables_d)",
      "self.opt_discriminador.minimize(perdida_d, variables_d, tape=cinta_d)"),
     "los optimizadores de Keras 3 no tienen minimize: aplica el gradiente con self.opt_….apply("),
    (("        z = self.ruido_latente", "        reales, _ = reales\n        z = self.ruido_latente"),
     "reales es solo el lote de imágenes (n, 16, 16, 1), sin etiquetas"),
    (("self.discriminador(falsas, training=True)", "self.discriminador(z, training=True)"),
     "el discriminador recibe imágenes (n, 16, 16, 1) y le llegó otra cosa"),
    (("perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))", "perdida_g = ..."),
     "una línea aún tiene ... en lugar de tu código"),
    # Antes, solo el error de Python o de TensorFlow en inglés: «ruido_latente() missing 1 required positional
    # argument: 'n'», «Shapes of all inputs must match…» y «gradient() missing 1 required positional argument: 'sources'».
    (("self.ruido_latente(tf.shape(reales)[0])", "self.ruido_latente()"),
     "self.ruido_latente(n) recibe solo n, cuántos vectores latentes sortear (uno por imagen real): z = self.ruido_latente(tf.shape(reales)[0])"),
    (("self.ruido_latente(tf.shape(reales)[0])", "self.ruido_latente(reales)"), "self.ruido_latente(n) recibe solo n"),
    (("cinta_g.gradient(perdida_g, variables_g)", "cinta_g.gradient(perdida_g)"),
     "cinta.gradient recibe la pérdida y las variables respecto de las que derivas: cinta_d.gradient(perdida_d, "
     "self.discriminador.trainable_variables)"),
    # Antes, «la cinta no registró el cálculo de la pérdida…», con todo dentro de la cinta.
    (("variables_d = self.discriminador.trainable_variables",
      "variables_d = helpers.construir_discriminador(16, 1).trainable_variables"),
     "self.opt_discriminador recibió variables que no son de la red de esta GAN (¿discriminador.trainable_variables, la "
     "del cuaderno, sin self.?): usa self.discriminador.trainable_variables."),
])
def test_errores_tipicos_del_paso_se_explican_en_espanol(capsys, cambio, explicacion):
    correcto, salida = _comprobar(capsys, _clase_solucion(capsys, cambio))
    assert not correcto and explicacion in salida, salida


def test_las_perdidas_fuera_de_la_cinta_se_explican(capsys):
    # Antes, «train_step lanzó ValueError: No gradients provided for any variable.»
    perdidas = ("            perdida_d = tf.reduce_mean(tf.nn.softplus(-logits_reales)) + "
                "tf.reduce_mean(tf.nn.softplus(logits_falsos))\n"
                "            perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))\n")
    fuera = _clase_solucion(capsys, (perdidas, perdidas.replace("            ", "        ")))
    correcto, salida = _comprobar(capsys, fuera)
    assert not correcto and "la cinta no registró el cálculo de la pérdida" in salida, salida


@pytest.mark.parametrize("cambio, que_hacer", [
    (('return {"perdida_d": perdida_d, "perdida_g": perdida_g}',
      'return {"perdida_d": float(perdida_d), "perdida_g": float(perdida_g)}'), "quita el float() o el int()"),
    (('return {"perdida_d"', 'print(perdida_d.numpy())\n        return {"perdida_d"'), "quita el .numpy()"),
    (("self.ruido_latente(tf.shape(reales)[0])", "self.ruido_latente(len(reales))"),
     "len(reales) no se sabe en el grafo: usa tf.shape(reales)[0]"),
    (("self.ruido_latente(tf.shape(reales)[0])", "self.ruido_latente(reales.shape[0])"),
     "reales.shape[0] puede valer None (con una matriz o lotes de tamaño variable)"),
    # Antes, «… nada de .numpy(), float(), np.…», que no venía al caso: tf.Variable es de TensorFlow.
    (('return {"perdida_d"', 'pasos = tf.Variable(0)\n        pasos.assign_add(1)\n        return {"perdida_d"'),
     "crea la variable una sola vez, fuera de train_step (p. ej. en __init__), y dentro solo cámbiala con .assign(…)"),
    (('return {"perdida_d"', 'if perdida_d > 10:\n            perdida_d = perdida_d / 2\n        return {"perdida_d"'),
     "dentro de train_step usa solo operaciones de TensorFlow: nada de .numpy(), float(), np.…, print de valores ni if "
     "con un tensor"),
])
def test_un_paso_que_solo_funciona_fuera_del_grafo_se_explica(capsys, tmp_path, cambio, que_hacer):
    # Paso a paso dan lo mismo que GANBasica; fit los compila y fallaban en la celda siguiente, en inglés.
    correcto, salida = _comprobar(capsys, _clase_en_archivo(capsys, tmp_path, cambio))
    assert not correcto and "da el mismo paso que el de GANBasica, pero fit lo compila en un grafo" in salida
    tu_linea = next((linea for linea in salida.splitlines() if linea.startswith("  Tu línea: ")), "")
    assert tu_linea.endswith(cambio[1].splitlines()[0].strip()), salida  # la línea cambiada, en su archivo
    assert f"Qué hacer: {que_hacer}" in salida


def test_la_pista_del_grafo_no_depende_del_mensaje_de_tensorflow(capsys, tmp_path, monkeypatch):
    # TensorFlow 2.22 da a sus tensores simbólicos un __index__ que lanza «'SymbolicTensor' object cannot be
    # interpreted as an integer», y float() pasa a decir eso: la pista sale de la línea, no del mensaje. El
    # sustituto es una función de C (operator.index de un float), sin línea de Python que parezca del estudiante.
    monkeypatch.setattr(_clase_tensor_simbolico(), "__index__", staticmethod(functools.partial(operator.index, 0.5)),
                        raising=False)
    cambio = ('return {"perdida_d": perdida_d, "perdida_g": perdida_g}',
              'return {"perdida_d": float(perdida_d), "perdida_g": float(perdida_g)}')
    correcto, salida = _comprobar(capsys, _clase_en_archivo(capsys, tmp_path, cambio))
    assert not correcto and "object cannot be interpreted as an integer" in salida, salida
    assert "Qué hacer: quita el float() o el int()" in salida, salida


def _clase_tensor_simbolico():
    """La clase de los tensores de un grafo (la que recibe train_step cuando fit lo compila)."""
    clases = []
    tf.function(lambda x: clases.append(type(x)) or x, autograph=False).get_concrete_function(tf.TensorSpec((1,)))
    return clases[0]


def _clase_en_archivo(capsys, tmp_path, cambio):
    """MiGAN de la solución con ``cambio`` (texto, sustituto), cargada de un archivo como la de un cuaderno:
    con el código fuente a mano, autograph convertiría len o float."""
    solucion("paso")
    archivo = tmp_path / "mi_gan.py"
    archivo.write_text("import helpers\nimport tensorflow as tf\n\n" + capsys.readouterr().out.replace(*cambio, 1))
    especificacion = importlib.util.spec_from_file_location("mi_gan", archivo)
    modulo = importlib.util.module_from_spec(especificacion)
    especificacion.loader.exec_module(modulo)
    return modulo.MiGAN


def test_las_redes_sin_llamar_o_un_optimizador_sin_crear_se_explican():
    with pytest.raises(ValueError, match=r"generador debe ser un keras.Model y recibió una función .*mi_generador\(\)"):
        helpers.GANBasica(_generador, _discriminador())
    gan = helpers.GANBasica(_generador(), _discriminador())
    with pytest.raises(ValueError, match=r"opt_discriminador debe ser un optimizador de Keras y recibió la clase, sin "
                                         r"crear: añade los paréntesis"):
        gan.compile(opt_generador=keras.optimizers.Adam(), opt_discriminador=keras.optimizers.Adam)


def _generador(final="tanh", filtros_finales=1, operacion=None, activacion=layers.ReLU, bn_despues=False,
               tipo_entrada="float32"):
    def bloque(x):
        return (layers.BatchNormalization()(activacion()(x)) if bn_despues
                else activacion()(layers.BatchNormalization()(x)))

    z = keras.Input((64,), dtype=tipo_entrada)
    x = layers.Reshape((4, 4, 128))(bloque(layers.Dense(4 * 4 * 128, use_bias=False)(z)))
    x = bloque(layers.Conv2DTranspose(64, 4, strides=2, padding="same", use_bias=False)(x))
    imagen = layers.Conv2DTranspose(filtros_finales, 4, strides=2, padding="same", activation=final)(x)
    return keras.Model(z, operacion(imagen) if operacion else imagen)


def test_un_generador_sin_normalizacion_en_un_bloque_no_vale(capsys):
    def sin_bn_en_el_bloque():
        z = keras.Input((64,))
        x = layers.Reshape((4, 4, 128))(layers.ReLU()(layers.BatchNormalization()(layers.Dense(4 * 4 * 128)(z))))
        x = layers.ReLU()(layers.Conv2DTranspose(64, 4, strides=2, padding="same")(x))
        return keras.Model(z, layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x))

    assert not comprobar_generador(sin_bn_en_el_bloque)
    assert "tiene 1 BatchNormalization para 2 capas ocultas" in capsys.readouterr().out


def test_comprobar_generador(capsys):
    assert comprobar_generador(_generador)
    assert "misma salida que el del curso" in capsys.readouterr().out
    assert not comprobar_generador(lambda: _generador(final="sigmoid"))
    assert "la última capa termina en sigmoid: debe ser tanh" in capsys.readouterr().out
    # Sin tanh, el generador sin entrenar puede quedar dentro de [-1, 1] por casualidad: antes decía «✓».
    assert not comprobar_generador(lambda: _generador(final=None))
    assert "la última capa termina sin activación: debe ser tanh" in capsys.readouterr().out
    assert not comprobar_generador(lambda: _generador(filtros_finales=3))
    assert "la salida es (None, 16, 16, 3)" in capsys.readouterr().out
    # tanh como operación (keras.ops.tanh no es una capa): antes, «termina sin activación».
    assert comprobar_generador(lambda: _generador(final=None, operacion=keras.ops.tanh))
    assert "misma salida que el del curso" in capsys.readouterr().out
    # LeakyReLU en lugar de ReLU: no es el del curso, pero sirve (antes, «Revisa el orden… BatchNormalization»).
    assert comprobar_generador(lambda: _generador(activacion=lambda: layers.LeakyReLU(0.2)))
    assert "usas LeakyReLU(0.2) donde el del curso usa ReLU (2 veces)" in capsys.readouterr().out
    # También como operación: antes, «✗ … usas la operación keras.ops.leakyrelu donde el del curso usa ReLU».
    assert comprobar_generador(lambda: _generador(activacion=lambda: functools.partial(keras.ops.leaky_relu, negative_slope=0.2)))
    assert "usas Activation(leaky_relu) donde el del curso usa ReLU (2 veces)" in capsys.readouterr().out
    # Las dos cosas a la vez, y LeakyReLU() sin pendiente en el generador (que no usa LeakyReLU(0.2)).
    assert comprobar_generador(lambda: _generador(final=None, operacion=keras.ops.tanh, activacion=layers.LeakyReLU))
    salida = capsys.readouterr().out
    assert "usas LeakyReLU(0.3) donde el del curso usa ReLU (2 veces). Con los mismos pesos" in salida, salida
    # Una sigmoide en las capas ocultas no es un cambio inocente.
    assert not comprobar_generador(lambda: _generador(activacion=lambda: layers.Activation("sigmoid")))
    salida = capsys.readouterr().out
    assert "Difiere en que usas Activation(sigmoid) donde el del curso usa ReLU (2 veces)." in salida, salida
    assert "Revisa el orden" not in salida
    # BatchNormalization después de la activación sí se rechaza, y se dice el orden.
    assert not comprobar_generador(lambda: _generador(bn_despues=True))
    salida = capsys.readouterr().out
    assert "después de la activación: el orden DCGAN es convolución → BatchNormalization → activación" in salida
    assert not comprobar_generador(lambda: _generador(tipo_entrada="int32"))
    assert "la entrada es de tipo int32: los vectores latentes son números reales" in capsys.readouterr().out


def test_errores_al_construir_la_red_se_explican_sin_traza(capsys):
    assert not comprobar_generador(_generador())  # el modelo en lugar de la función
    assert "Pasa la función sin paréntesis: comprobar_generador(mi_generador)" in capsys.readouterr().out
    sin_entrada = keras.Sequential([layers.Dense(16 * 16), layers.Reshape((16, 16, 1)), layers.Activation("tanh")])
    assert not comprobar_generador(lambda: sin_entrada)
    assert "no sabe qué forma tiene su entrada: empieza con keras.Input((64,))" in capsys.readouterr().out

    def con_tf_tanh():
        z = keras.Input((64,))
        return keras.Model(z, tf.tanh(layers.Reshape((16, 16, 1))(layers.Dense(16 * 16)(z))))

    assert not comprobar_generador(con_tf_tanh)
    salida = capsys.readouterr().out
    assert "usa capas de Keras (p. ej. layers.Activation(\"tanh\")), no funciones de tf." in salida
    assert len(salida.splitlines()) == 2  # la primera línea del error de Keras, no sus 20

    def sin_input():
        z = tf.zeros((1, 64))
        return keras.Model(z, layers.Dense(3)(z))

    def reshape_que_no_cabe():
        z = keras.Input((64,))
        return keras.Model(z, layers.Reshape((4, 4, 64))(layers.Dense(4 * 4 * 128)(z)))

    for funcion, pista in ((sin_input, "La entrada del modelo debe ser keras.Input((64,)), no un tensor de tf."),
                           (reshape_que_no_cabe, "Reshape debe tener tantos valores como la capa anterior")):
        assert not comprobar_generador(funcion)
        salida = capsys.readouterr().out
        assert pista in salida and "Exception encountered" not in salida and "no funciones de tf" not in salida

    def capa_sin_aplicar():
        imagen = keras.Input((16, 16, 1))
        x = layers.LeakyReLU(layers.Conv2D(32, 4, strides=2, padding="same")(imagen))
        return keras.Model(imagen, layers.Dense(1)(layers.Flatten()(x)))

    def sin_canal():
        imagen = keras.Input((16, 16))
        return keras.Model(imagen, layers.Dense(1)(layers.Flatten()(layers.Conv2D(32, 4, strides=2)(imagen))))

    for funcion, pista in ((capa_sin_aplicar, "Una capa se crea y después se aplica: layers.LeakyReLU(0.2)(x)"),
                           (sin_canal, "Falta el eje de los canales: keras.Input((16, 16, 1))")):
        assert not comprobar_discriminador(funcion)
        assert pista in capsys.readouterr().out

    def sin_el_x_final():
        z = keras.Input((64,))
        x = layers.Reshape((8, 8, 1))(layers.Dense(64)(z))
        x = layers.Conv2DTranspose(8, 4, strides=2, padding="same")  # se crea y no se aplica
        return keras.Model(z, layers.Conv2D(1, 3, padding="same", activation="tanh")(x))

    assert not comprobar_generador(sin_el_x_final)
    assert "en alguna línea falta el (x) del final" in capsys.readouterr().out


def _generador_que_falla(ultima_linea):
    """Un mi_generador cuyo bloque de capas es ``ultima_linea`` (un texto, como el que escribe el estudiante)."""
    def mi_generador():
        z = keras.Input((64,))
        x = layers.Reshape((4, 4, 128))(layers.Dense(4 * 4 * 128)(z))
        return keras.Model(z, eval(ultima_linea, {"layers": layers, "np": np, "x": x}))
    return mi_generador


@pytest.mark.parametrize("bloque, pista", [
    # Antes, «La entrada del modelo debe ser keras.Input((64,))»: la entrada estaba bien; la salida era el ...
    ("...", "La salida del modelo tiene que salir de aplicar capas a la entrada"),
    ("None", "La salida del modelo tiene que salir de aplicar capas a la entrada"),
    # Antes, solo el error de Keras en inglés («… You cannot convert it to an int.», «Received: units=<KerasTensor…»).
    ("layers.BatchNormalization(x)", "Una capa se crea y después se aplica"),
    ("layers.Dense(x)", "Una capa se crea y después se aplica"),
    ("layers.Activation(x)", "Una capa se crea y después se aplica"),
    ("layers.Flatten(x)", "Una capa se crea y después se aplica"),
    # Antes, «module 'keras.layers' has no attribute 'BatchNormalisation'», sin más.
    ("layers.BatchNormalisation()(x)", "layers.BatchNormalisation no existe: ¿querías decir layers.BatchNormalization?"),
    ("layers.Conv2DTransposed(1, 4)(x)", "layers.Conv2DTransposed no existe: ¿querías decir layers.Conv2DTranspose?"),
    # Antes, solo el error de Keras en inglés («… You cannot convert it to a NumPy array.», «Could not interpret
    # activation function identifier: Tanh»).
    ("np.tanh(layers.Conv2DTranspose(1, 4, strides=4)(x))", "no funciones de NumPy (np.…)"),
    ("layers.Conv2DTranspose(1, 4, strides=4, activation='Tanh')(x)", "\"Tanh\" no es una activación de Keras: ¿querías decir \"tanh\"?"),
    ("layers.Activation('tangente')(x)", "\"tangente\" no es una activación de Keras (se escriben en minúscula"),
    # Antes, solo «name 'xx' is not defined».
    ("layers.Conv2DTranspose(1, 4, strides=4, activation='tanh')(xx)", "xx no existe: ¿querías decir x?"),
    # Antes, «tanh no existe en ese punto: ¿una errata, o falta definirlo (o importarlo) antes?».
    ("layers.Activation(tanh)(layers.Conv2DTranspose(1, 4, strides=4)(x))",
     'tanh va entre comillas, como texto: "tanh" (p. ej. layers.Activation("tanh") o activation="tanh")'),
    # Antes, solo «Reshape.__init__() takes 2 positional arguments but 4 were given».
    ("layers.Reshape(4, 4, 128)(x)", "La forma va entre paréntesis, como una tupla: layers.Reshape((4, 4, 128)), no "
                                     "layers.Reshape(4, 4, 128)."),
])
def test_mas_errores_al_construir_el_generador_se_explican(capsys, bloque, pista):
    assert not comprobar_generador(_generador_que_falla(bloque))
    salida = capsys.readouterr().out
    assert pista in salida and "debe ser keras.Input" not in salida, salida


@pytest.mark.parametrize("bloque, no_es_activacion", [
    # Antes, «get va entre comillas, como texto: "get" (p. ej. layers.Activation("get") …)», que Keras rechaza.
    ("layers.Dense(4, activation=get)(x)", "get"),
    ("layers.Activation(serialize)(x)", "serialize"),
    ("layers.Activation(deserialize)(x)", "deserialize"),
    # Antes, «"serialise" no es una activación de Keras: ¿querías decir "serialize"?».
    ("layers.Activation('serialise')(x)", "serialize"),
    ("layers.Activation('Get')(x)", "get"),
])
def test_la_pista_de_activacion_no_propone_get_ni_serialize(capsys, bloque, no_es_activacion):
    assert not comprobar_generador(_generador_que_falla(bloque))
    salida = capsys.readouterr().out
    assert f'"{no_es_activacion}"' not in salida and "va entre comillas" not in salida, salida
    with pytest.raises(ValueError, match="Could not interpret activation"):
        keras.activations.get(no_es_activacion)


def test_una_funcion_que_pide_argumentos_se_explica(capsys):
    def mi_generador(dim_latente):  # antes, solo «mi_generador() missing 1 required positional argument…»
        return _generador()
    assert not comprobar_generador(mi_generador)
    assert "La comprobación llama a mi_generador() sin argumentos: dale a cada uno un valor por defecto" in capsys.readouterr().out


def test_una_forma_sin_tupla_en_keras_input_se_explica(capsys):
    def mi_discriminador():
        imagen = keras.Input(256)  # antes, «Cannot convert '256' to a shape.», sin más
        return keras.Model(imagen, layers.Dense(1)(imagen))

    assert not comprobar_discriminador(mi_discriminador)
    assert "La forma va entre paréntesis, como una tupla: keras.Input((16, 16, 1))" in capsys.readouterr().out


def _discriminador(final=None, normalizar=False):
    imagen = keras.Input((16, 16, 1))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(32, 4, strides=2, padding="same")(imagen))
    if normalizar:
        x = layers.BatchNormalization()(x)
    return keras.Model(imagen, layers.Dense(1, activation=final)(layers.Flatten()(x)))


def test_comprobar_discriminador(capsys):
    assert comprobar_discriminador(_discriminador)
    salida = capsys.readouterr().out
    assert "cumple las reglas" in salida and "No es idéntico al del curso" in salida
    assert not comprobar_discriminador(lambda: _discriminador(final="sigmoid"))
    assert "termina con sigmoide" in capsys.readouterr().out
    assert comprobar_discriminador(lambda: _discriminador(normalizar=True))
    assert "Aviso: lleva BatchNormalization" in capsys.readouterr().out

    def con_sigmoide_como_operacion():
        imagen = keras.Input((16, 16, 1))
        x = layers.Flatten()(layers.LeakyReLU(0.2)(layers.Conv2D(32, 4, strides=2, padding="same")(imagen)))
        return keras.Model(imagen, keras.ops.sigmoid(layers.Dense(1)(x)))

    assert not comprobar_discriminador(con_sigmoide_como_operacion)
    assert "termina con sigmoide" in capsys.readouterr().out

    def como_el_del_curso(activacion=lambda: layers.LeakyReLU(0.2), abandono=False):
        x = imagen = keras.Input((16, 16, 1))
        for filtros in (64, 128):
            x = activacion()(layers.Conv2D(filtros, 4, strides=2, padding="same")(x))
            x = layers.Dropout(0.3)(x) if abandono else x
        return keras.Model(imagen, layers.Dense(1)(layers.Flatten()(x)))

    # Cambios que no rompen la red: se dicen y sirven (antes, «✗ … Revisa el orden… BatchNormalization»).
    for opciones, cambio in (({"activacion": layers.LeakyReLU}, "usas LeakyReLU(0.3) donde el del curso usa "
                              "LeakyReLU(0.2) (2 veces); (LeakyReLU() sin argumento tiene pendiente 0,3 en Keras 3"),
                             ({"activacion": layers.ReLU}, "usas ReLU donde el del curso usa LeakyReLU(0.2) (2 veces)"),
                             ({"abandono": True}, "añades Dropout (2 veces)")):
        assert comprobar_discriminador(lambda: como_el_del_curso(**opciones))
        salida = capsys.readouterr().out
        assert f"No es idéntico al del curso: {cambio}" in salida and "sirve" in salida, salida


def test_las_soluciones_de_las_redes_son_las_del_curso(capsys):
    def generador():
        z = keras.Input((64,))
        x = layers.Reshape((4, 4, 128))(layers.ReLU()(layers.BatchNormalization()(layers.Dense(4 * 4 * 128, use_bias=False)(z))))
        return keras.Model(z, completar("generador", x))

    def discriminador():
        imagen = keras.Input((16, 16, 1))
        return keras.Model(imagen, completar("discriminador", imagen))

    assert comprobar_generador(generador) and comprobar_discriminador(discriminador)
    salida = capsys.readouterr().out
    assert salida.count("misma salida que el del curso") == 2 and 'Aún usa completar("generador"' in salida


def test_completar_y_solucion_rechazan_nombres_desconocidos():
    with pytest.raises(ValueError, match="No hay ningún hueco «gram»"):
        completar("gram", None)
    # Antes, solo la lista de huecos.
    with pytest.raises(ValueError) as error:
        completar("perdida-d", None, None)
    assert str(error.value).startswith("No hay ningún hueco «perdida-d»: ¿querías decir «perdida_d»? Los huecos son")
    with pytest.raises(TypeError, match="recibe logits_falsos"):
        completar("perdida_g")
    with pytest.raises(ValueError, match="No hay solución «todo»"):
        solucion("todo")


def _cuerpo_generador(x):
    """Del vector latente a 4×4×128, como en el cuaderno; el estudiante escribe el resto."""
    return layers.Reshape((4, 4, 128))(layers.ReLU()(layers.BatchNormalization()(layers.Dense(4 * 4 * 128, use_bias=False)(x))))


def _generador_del_estudiante(resto):
    def mi_generador():
        z = keras.Input((64,))
        return keras.Model(z, resto(_cuerpo_generador(z)))
    return mi_generador


def _bloque(x, filtros=64, **opciones):
    opciones = {"strides": 2, "padding": "same", **opciones}
    return layers.ReLU()(layers.BatchNormalization()(layers.Conv2DTranspose(filtros, 4, use_bias=False, **opciones)(x)))


@pytest.mark.parametrize("resto, explicacion", [
    # Antes, todos estos daban «✓ Tu generador cumple las reglas DCGAN… sirve».
    (lambda x: layers.Reshape((16, 16, 1))(layers.Dense(256, activation="tanh")(layers.Flatten()(x))),
     "no tiene Conv2DTranspose: en una DCGAN se sube de resolución con Conv2DTranspose de paso 2, cada una duplica el lado"),
    (lambda x: layers.Conv2DTranspose(1, 4, strides=4, padding="same", activation="tanh")(x),
     "una Conv2DTranspose tiene strides=(4, 4): en una DCGAN cada una duplica el lado (strides=2)"),
    (lambda x: layers.Activation("tanh")(layers.BatchNormalization()(layers.Conv2DTranspose(1, 4, strides=2, padding="same")(_bloque(x)))),
     "normalizas la capa de salida (BatchNormalization tras la última convolución)"),
    # Antes, pistas que no venían al caso: el número de convoluciones, o «la última capa debe ser tanh».
    (lambda x: layers.Conv2DTranspose(1, 4, strides=2, activation="tanh")(_bloque(x, padding="valid")),
     'Con padding="same" cada una duplica el lado exactamente'),
    (lambda x: layers.Permute((3, 1, 2))(layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(_bloque(x))),
     "los canales van al final, (alto, ancho, canales)"),
    (lambda x: layers.Rescaling(127.5, offset=127.5)(layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(_bloque(x))),
     "no cambies la escala después de tanh: las imágenes reales están en [-1, 1]"),
    # Antes, también «no cambies la escala después de tanh»: la escala no cambia después; la ReLU va antes.
    (lambda x: layers.Activation("tanh")(layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="relu")(_bloque(x))),
     "ninguno negativo, aunque termina en tanh: algo antes de tanh deja solo valores positivos (¿una ReLU"),
    # Antes, con el sesgo de Keras (otros pesos que los del curso), «✓ … No es idéntico al del curso… sirve».
    (lambda x: layers.Activation("tanh")(layers.Conv2DTranspose(1, 4, strides=2, padding="same")(
        layers.BatchNormalization()(layers.Conv2DTranspose(64, 4, strides=2, padding="same")(x)))),
     "tras la 1.ª Conv2DTranspose no hay activación: la DCGAN lleva ReLU tras cada capa oculta"),
    # Antes, «✓ … usas LeakyReLU(1) donde el del curso usa ReLU… sirve»: con pendiente 1 no activa nada.
    (lambda x: layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(layers.LeakyReLU(1.0)(
        layers.BatchNormalization()(layers.Conv2DTranspose(64, 4, strides=2, padding="same", use_bias=False)(x)))),
     "usa LeakyReLU(1): la pendiente de los negativos va de 0 a 1, sin llegar a 1"),
])
def test_un_generador_que_no_sigue_las_reglas_dcgan_no_vale(capsys, resto, explicacion):
    assert not comprobar_generador(_generador_del_estudiante(resto))
    salida = capsys.readouterr().out
    assert salida.startswith("✗ Tu generador no está listo") and explicacion in salida, salida


def test_un_cambio_que_rompe_la_red_no_se_da_por_bueno_y_se_nombra_como_se_escribio(capsys):
    # Antes, «✓ Tu generador cumple las reglas DCGAN.» y después «✗ … añades Activation(multiply)».
    assert not comprobar_generador(lambda: _generador(operacion=lambda imagen: imagen * 0.5))
    salida = capsys.readouterr().out
    assert "✓" not in salida and "Difiere en que añades la operación x * …." in salida, salida

    def con_el_signo_cambiado():
        imagen = keras.Input((16, 16, 1))
        x = layers.LeakyReLU(0.2)(layers.Conv2D(64, 4, strides=2, padding="same")(imagen))
        x = layers.LeakyReLU(0.2)(layers.Conv2D(128, 4, strides=2, padding="same")(x))
        return keras.Model(imagen, -layers.Dense(1)(layers.Flatten()(x)))

    assert not comprobar_discriminador(con_el_signo_cambiado)
    salida = capsys.readouterr().out
    assert "✓" not in salida and "Difiere en que añades la operación -x." in salida, salida


def _discriminador_del_estudiante(*capas, final=None):
    def mi_discriminador():
        x = imagen = keras.Input((16, 16, 1))
        for capa in capas:
            x = capa()(x)
        return keras.Model(imagen, layers.Dense(1, activation=final)(layers.Flatten()(x)))
    return mi_discriminador


@pytest.mark.parametrize("discriminador, explicacion", [
    # Antes, «✓ Tu discriminador cumple las reglas DCGAN… sirve».
    (_discriminador_del_estudiante(), "no tiene Conv2D: en una DCGAN se baja de resolución con Conv2D de paso 2"),
    (_discriminador_del_estudiante(lambda: layers.Conv2D(64, 4, padding="same"), lambda: layers.LeakyReLU(0.2)),
     "sus Conv2D no bajan de resolución (strides=1, el de Keras): usa strides=2"),
    (_discriminador_del_estudiante(lambda: layers.Conv2D(64, 4, strides=4, padding="same"), lambda: layers.LeakyReLU(0.2)),
     "una Conv2D tiene strides=(4, 4)"),
    # Antes, «¿una sigmoide al final?» con una ReLU.
    (_discriminador_del_estudiante(lambda: layers.Conv2D(64, 4, strides=2, padding="same"), lambda: layers.LeakyReLU(0.2),
                                   final="relu"),
     "termina con ReLU: devuelve el logit, sin activación, que puede ser cualquier número (también negativo)"),
    # Antes, «✓ … No es idéntico al del curso… sirve»: sin activación, el discriminador era lineal; y LeakyReLU(2), una
    # errata de LeakyReLU(0.2), se daba por una activación como otra.
    (_discriminador_del_estudiante(lambda: layers.Conv2D(32, 4, strides=2, padding="same"),
                                   lambda: layers.Conv2D(32, 4, strides=2, padding="same")),
     "tras la 1.ª Conv2D no hay activación: la DCGAN lleva LeakyReLU(0.2) tras cada capa oculta"),
    (_discriminador_del_estudiante(lambda: layers.Conv2D(64, 4, strides=2, padding="same"), lambda: layers.LeakyReLU(2)),
     "usa LeakyReLU(2): la pendiente de los negativos va de 0 a 1, sin llegar a 1 (con 1, la capa no cambia nada): "
     "¿querías decir LeakyReLU(0.2)?"),
])
def test_un_discriminador_que_no_sigue_las_reglas_dcgan_no_vale(capsys, discriminador, explicacion):
    assert not comprobar_discriminador(discriminador)
    salida = capsys.readouterr().out
    assert salida.startswith("✗ Tu discriminador no está listo") and explicacion in salida, salida


@pytest.mark.parametrize("comprobar, funcion, pista", [
    # Antes, solo el error de Keras o de Python en inglés: «Unrecognized keyword arguments passed to Conv2DTranspose:
    # {'stride': 4}», «Conv2DTranspose.__init__() missing 1 required positional argument: 'kernel_size'» y
    # «Unrecognized keyword arguments passed to Conv2D: {'activaton': 'relu'}».
    (comprobar_generador,
     _generador_del_estudiante(lambda x: layers.Conv2DTranspose(1, 4, stride=4, padding="same", activation="tanh")(x)),
     "layers.Conv2DTranspose no tiene ningún argumento stride: ¿querías decir strides=4?"),
    (comprobar_generador,
     _generador_del_estudiante(lambda x: layers.Conv2DTranspose(1, kernel=4, strides=4, padding="same")(x)),
     "layers.Conv2DTranspose no tiene ningún argumento kernel: ¿querías decir kernel_size=4?"),
    (comprobar_discriminador,
     _discriminador_del_estudiante(lambda: layers.Conv2D(64, 4, strides=2, padding="same", activaton="relu")),
     'layers.Conv2D no tiene ningún argumento activaton: ¿querías decir activation="relu"?'),
])
def test_un_argumento_con_nombre_mal_escrito_se_explica(capsys, comprobar, funcion, pista):
    assert not comprobar(funcion)
    salida = capsys.readouterr().out
    assert f"  {pista} Pista: solucion(" in salida, salida


def test_un_argumento_sin_parecido_lista_los_de_la_capa_y_no_los_que_pone_ella(capsys):
    # Antes, la lista de Conv2D llevaba rank, que pone Conv2D al llamar a la convolución genérica: Conv2D(rank=2)
    # falla («got multiple values for keyword argument 'rank'»).
    assert not comprobar_discriminador(_discriminador_del_estudiante(lambda: layers.Conv2D(64, 4, strides=2, relleno="same")))
    salida = capsys.readouterr().out
    assert "layers.Conv2D no tiene ningún argumento relleno: los suyos son filters, kernel_size, strides, padding," in salida
    assert "rank," not in salida.replace("lora_rank,", ""), salida
    assert ", name. Pista: solucion(" in salida, salida  # antes, «…, name Pista:», sin el punto


def _discriminador_con_final(final):
    def mi_discriminador():
        imagen = keras.Input((16, 16, 1))
        x = layers.LeakyReLU(0.2)(layers.Conv2D(64, 4, strides=2, padding="same")(imagen))
        x = layers.LeakyReLU(0.2)(layers.Conv2D(128, 4, strides=2, padding="same")(x))
        return keras.Model(imagen, final(x))
    return mi_discriminador


def test_el_final_del_discriminador_se_explica_sin_confundirlo_con_bajar_de_resolucion(capsys):
    # Antes, «usa GlobalAveragePooling2D: en una DCGAN se baja de resolución con Conv2D de paso 2», y ya lo hacía.
    assert not comprobar_discriminador(_discriminador_con_final(lambda x: layers.Dense(1)(layers.GlobalAveragePooling2D()(x))))
    salida = capsys.readouterr().out
    assert "usa GlobalAveragePooling2D antes de Dense(1): la DCGAN no lleva agrupamiento" in salida, salida
    assert "aplana el último bloque con layers.Flatten() y pásalo a Dense(1)" in salida and "paso 2" not in salida
    # Una Conv2D de 4×4 al final tiene los mismos parámetros que Flatten y Dense(1): antes, «134.337 frente a 134.337».
    assert comprobar_discriminador(_discriminador_con_final(lambda x: layers.Flatten()(layers.Conv2D(1, 4)(x))))
    salida = capsys.readouterr().out
    assert "No es idéntico al del curso (los mismos 134.337 parámetros, repartidos de otra forma), pero" in salida, salida


@pytest.mark.parametrize("cambio, explicacion", [
    # Antes, «la cinta no registró el cálculo de la pérdida», con todo ya dentro de la cinta.
    (("perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))", "perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_reales))"),
     "la cinta no ve que perdida_g dependa del generador. O perdida_g sale de los logits de las imágenes reales"),
    (("logits_reales = self.discriminador(reales, training=True)\n            logits_falsos = self.discriminador(falsas, training=True)",
      "logits_reales = self.discriminador(falsas, training=True)\n            logits_falsos = self.discriminador(reales, training=True)"),
     "la cinta no ve que perdida_g dependa del generador. O perdida_g sale de los logits de las imágenes reales"),
    # Antes, solo «perdida_d vale 1,3745 y debería valer 1,3869».
    (("tf.nn.softplus(-logits_reales)) + ", "tf.nn.softplus(logits_reales)) + "), "falta el signo menos en las reales"),
    (("+ tf.reduce_mean(tf.nn.softplus(logits_falsos))", "+ tf.reduce_mean(tf.nn.softplus(-logits_falsos))"),
     "sobra el signo menos en las generadas"),
    # Antes, «perdida_g vale nan y debería valer 0,6989. Calcúlala desde los logits…», sin decir de dónde sale el nan.
    (("perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))", "perdida_g = tf.reduce_mean(-tf.math.log(logits_falsos))"),
     "perdida_g vale nan, no un número: ¿tomaste el logaritmo de un logit (puede ser negativo o cero)"),
    # Antes, solo «perdida_d vale 0,6930 y debería valer 1,3869» y «perdida_g vale 0,4752 y debería valer 0,6989».
    (("perdida_d = tf.reduce_mean(tf.nn.softplus(-logits_reales)) + tf.reduce_mean(tf.nn.softplus(logits_falsos))",
      "perdida_d = keras.losses.BinaryCrossentropy(from_logits=True)(tf.concat([tf.zeros_like(logits_reales), "
      "tf.ones_like(logits_falsos)], 0), tf.concat([logits_reales, logits_falsos], 0))"),
     "tiene las etiquetas al revés: las reales van a 1 (softplus(-logits_reales)) y las generadas a 0 "
     "(softplus(logits_falsos)); además, es la mitad: suma las dos medias"),
    (("perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))",
      "perdida_g = keras.losses.BinaryCrossentropy(from_logits=True)(tf.ones_like(logits_falsos), tf.sigmoid(logits_falsos))"),
     "aplicas la sigmoide a los logits y BinaryCrossentropy(from_logits=True) la aplica otra vez"),
    # Antes, «self.opt_generador no se usó: el generador no se actualizó», y sí se actualizó, con el RMSprop de Keras.
    (("self.opt_generador.apply(", "self.optimizer.apply("),
     "self.opt_generador no se usó: aplicaste un gradiente con self.optimizer, el optimizador que Keras crea por su "
     "cuenta en compile (RMSprop), no el de la GAN"),
])
def test_mas_errores_de_las_perdidas_se_explican(capsys, cambio, explicacion):
    correcto, salida = _comprobar(capsys, _clase_solucion(capsys, cambio))
    assert not correcto and explicacion in salida, salida


def test_un_error_al_ejecutar_el_paso_muestra_la_linea_del_estudiante(capsys, tmp_path):
    # Antes, solo el ValueError de Keras en inglés y la pista general.
    linea = "perdida_g = tf.keras.losses.BinaryCrossentropy(from_logits=True)(tf.ones((32, 1)), logits_falsos)"
    clase = _clase_en_archivo(capsys, tmp_path, ("perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))", linea))
    correcto, salida = _comprobar(capsys, clase)
    assert not correcto and f"Tu línea: {linea}" in salida, salida
    assert "Qué hacer: las etiquetas deben tener la forma de los logits" in salida and "tf.ones_like" in salida


def _bloque_discriminador(filtros):
    return keras.Sequential([layers.Conv2D(filtros, 4, strides=2, padding="same"), layers.LeakyReLU(0.2)])


def _discriminador_con_salida_lineal():
    imagen = keras.Input((16, 16, 1))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(64, 4, strides=2, padding="same")(imagen))
    x = layers.LeakyReLU(0.2)(layers.Conv2D(128, 4, strides=2, padding="same")(x))
    logit = layers.Dense(1)(layers.Flatten()(x))
    return keras.Model(imagen, layers.Activation("linear", dtype="float32")(logit))  # como en precisión mixta


@pytest.mark.parametrize("discriminador", [
    # Antes de mirar dentro de bloques y envoltorios, «no tiene Conv2D»; con la salida lineal, un IndexError.
    lambda: helpers.construir_discriminador(16, 1, normalizacion_espectral=True),
    lambda: keras.Sequential([keras.Input((16, 16, 1)), _bloque_discriminador(64), _bloque_discriminador(128),
                              layers.Flatten(), layers.Dense(1)]),
    _discriminador_con_salida_lineal,
    # La activación dentro de la convolución como una capa o con functools.partial: antes, «tras la 1.ª Conv2D no hay
    # activación».
    _discriminador_del_estudiante(lambda: layers.Conv2D(64, 4, strides=2, padding="same", activation=layers.LeakyReLU(0.2)),
                                  lambda: layers.Conv2D(128, 4, strides=2, padding="same", activation=layers.LeakyReLU(0.2))),
    _discriminador_del_estudiante(
        lambda: layers.Conv2D(64, 4, strides=2, padding="same", activation=functools.partial(tf.nn.leaky_relu, alpha=0.2)),
        lambda: layers.Conv2D(128, 4, strides=2, padding="same", activation=functools.partial(tf.nn.leaky_relu, alpha=0.2))),
])
def test_discriminadores_correctos_en_bloques_o_envueltos_valen(capsys, discriminador):
    assert comprobar_discriminador(discriminador)
    assert capsys.readouterr().out.startswith("✓ Tu discriminador cumple las reglas DCGAN.")


def test_un_generador_en_bloques_vale_y_un_modelo_vacio_se_explica(capsys):
    def bloque(filtros):
        return keras.Sequential([layers.Conv2DTranspose(filtros, 4, strides=2, padding="same"),
                                 layers.BatchNormalization(), layers.ReLU()])

    assert comprobar_generador(_generador_del_estudiante(
        lambda x: layers.Conv2D(1, 3, padding="same", activation="tanh")(bloque(32)(bloque(64)(x)))))
    assert capsys.readouterr().out.startswith("✓ Tu generador cumple las reglas DCGAN.")
    # La línea de completar borrada y nada en su lugar: la salida es la entrada (antes, un IndexError). Keras 3.13
    # (el de Colab) no construye ese modelo y Keras 3.14 y después, sí: se explica de las dos maneras.
    desconectada = ("El modelo no conecta la entrada con la salida: la salida tiene que venir de aplicar las capas a "
                    "keras.Input(")
    assert not comprobar_generador(lambda: (lambda z: keras.Model(z, z))(keras.Input((64,))))
    salida = capsys.readouterr().out
    assert "la salida es (None, 64) y debería ser (None, 16, 16, 1)" in salida or f"{desconectada}(64,))" in salida
    assert not comprobar_discriminador(lambda: (lambda imagen: keras.Model(imagen, imagen))(keras.Input((16, 16, 1))))
    salida = capsys.readouterr().out
    assert "la salida es (None, 16, 16, 1) y debería ser (None, 1)" in salida or f"{desconectada}(16, 16, 1))" in salida
    # La salida de otro keras.Input: ninguna versión de Keras construye el modelo (antes, solo su error en inglés).
    assert not comprobar_generador(lambda: keras.Model(keras.Input((64,)), keras.Input((64,))))
    assert f"{desconectada}(64,)), no de otro keras.Input" in capsys.readouterr().out


# --- La celda que no llegó a ejecutarse -----------------------------------------------------------------------------

def _celda_del_cuaderno(indice):
    celdas = json.loads((conftest.RAIZ / "notebooks" / "02_dcgan_digitos.ipynb").read_text(encoding="utf-8"))["cells"]
    return "".join(celdas[indice]["source"])


@pytest.mark.parametrize("indice, original, con_error, comprobacion", [
    (7, 'imagen = completar("generador", x)', 'x = layers.Conv2DTranspose(64, 4, strides=2, padding="same"(x)',
     "comprobar_generador(mi_generador)"),
    (10, 'logit = completar("discriminador", imagen)', "x = layers.LeakyReLU(0.2)(layers.Conv2D(64, 4)(imagen)",
     "comprobar_discriminador(mi_discriminador)"),
    (13, 'falsas = completar("falsas", self, z)', "falsas = self.generador(z, training=True", "comprobar_paso(MiGAN)"),
])
def test_una_celda_con_error_de_sintaxis_no_aprueba_la_version_anterior(ipython, capsys, indice, original, con_error,
                                                                        comprobacion):
    # Antes, «✓ …» con «Aún usa completar…»: la versión del cuaderno, con completar, seguía definida.
    celda = _celda_del_cuaderno(indice)
    importaciones = _celda_del_cuaderno(4).split("\n\n")[0] + "\nimport helpers"
    for texto in (importaciones, celda, celda.replace(original, con_error)):
        ipython.run_cell(texto, store_history=True)
    capsys.readouterr()
    ipython.run_cell(f"correcto = {comprobacion}", store_history=True)
    salida, nombre = capsys.readouterr().out, comprobacion[comprobacion.index("(") + 1:-1]
    linea = next(numero for numero, texto in enumerate(celda.splitlines(), 1) if original in texto)
    assert ipython.user_ns["correcto"] is False and "✓" not in salida
    assert salida.startswith(f"✗ Tu última versión de la celda de {nombre} no llegó a ejecutarse: tiene un error de "
                             f"sintaxis en su línea {linea} («{con_error}"), salida


def test_la_clase_de_la_celda_ejecutada_otra_vez_se_comprueba(ipython, capsys):
    celda = _celda_del_cuaderno(13)
    for texto in (_celda_del_cuaderno(4).split("\n\n")[0] + "\nimport helpers", celda, celda + "   \n\n"):
        ipython.run_cell(texto, store_history=True)
    capsys.readouterr()
    ipython.run_cell("correcto = comprobar_paso(MiGAN)", store_history=True)
    assert ipython.user_ns["correcto"] and capsys.readouterr().out.startswith("✓ Tu train_step coincide")
