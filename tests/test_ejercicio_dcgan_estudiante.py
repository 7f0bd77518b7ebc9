"""El ejercicio del cuaderno 02 frente a más pasos y redes escritos como los escribe un estudiante: cada error se
explica en español, y las soluciones correctas escritas de otra forma se aceptan."""

import importlib.util

import keras
import pytest
import tensorflow as tf
from keras import layers

from helpers.ejercicio_dcgan import comprobar_generador, solucion
from helpers.ejercicio_paso import comprobar_paso
from helpers.estudiante import pista_de_nombre

_D = "self.opt_discriminador.apply(cinta_d.gradient(perdida_d, variables_d), variables_d)"
_G = "perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))"


def _mi_gan(capsys, tmp_path, *cambios):
    """La MiGAN de ``solucion("paso")`` con ``cambios`` (texto, sustituto), cargada de un archivo como la de un
    cuaderno (con su código fuente, para que se vea la línea del estudiante)."""
    solucion("paso")
    codigo = capsys.readouterr().out
    for viejo, nuevo in cambios:
        assert viejo in codigo
        codigo = codigo.replace(viejo, nuevo, 1)
    archivo = tmp_path / "mi_gan.py"
    archivo.write_text("import helpers\nimport keras\nimport tensorflow as tf\n\n" + codigo)
    especificacion = importlib.util.spec_from_file_location("mi_gan", archivo)
    modulo = importlib.util.module_from_spec(especificacion)
    especificacion.loader.exec_module(modulo)
    return modulo.MiGAN


@pytest.mark.parametrize("cambios, explicacion", [
    # Antes, solo el error de Python en inglés: «name 'falsos' is not defined», «name 'generador' is not
    # defined» y «cannot access local variable 'variables_g' where it is not associated with a value».
    ([("self.discriminador(falsas", "self.discriminador(falsos")], "falsos no existe: ¿querías decir falsas?"),
    ([("falsas = self.generador(", "falsas = generador(")], "generador no existe dentro de train_step: es self.generador"),
    ([(_D, _D.replace("cinta_d.gradient(perdida_d, variables_d)", "cinta_g.gradient(perdida_g, variables_g)"))],
     "usas variables_g antes de darle valor: la línea variables_g = … tiene que ir antes de esta"),
    # Antes, «self.d_optimizer no existe: ¿querías decir self.optimizer?» (el de Keras, que no es el de D),
    # «self.loss_fn no existe: ¿querías decir self.loss?» y, con latent_dim, el error de Python en inglés.
    ([("self.opt_discriminador.apply", "self.d_optimizer.apply")],
     "self.d_optimizer es el nombre del ejemplo de keras.io; aquí es self.opt_discriminador"),
    ([("self.ruido_latente(tf.shape(reales)[0])", "tf.random.normal((tf.shape(reales)[0], self.latent_dim))")],
     "self.latent_dim es el nombre del ejemplo de keras.io; aquí es self.dim_latente"),
    ([(_G, "perdida_g = self.loss_fn(tf.ones_like(logits_falsos), logits_falsos)")],
     "self.loss_fn es el nombre del ejemplo de keras.io; aquí no hay función de pérdida"),
    # Antes, «You must call `compile()` before using the model.», en inglés.
    ([(_D, "self.discriminador.train_on_batch(reales, tf.ones((tf.shape(reales)[0], 1)))")],
     "self.discriminador.train_on_batch entrena la red por su cuenta (como en Keras 2)"),
    # Antes, «apply necesita también las variables que actualiza», y sí las recibía: una lista vacía.
    ([("variables_d = self.discriminador.trainable_variables",
       "self.discriminador.trainable = False\n        variables_d = self.discriminador.trainable_variables")],
     "self.opt_discriminador recibió una lista de variables vacía: ¿pusiste trainable = False"),
    # Antes, solo el error de Keras en inglés («Input 0 with name 'None' of layer 'logit' is incompatible…»).
    ([("        z = self.ruido_latente", "        reales = reales[0]\n        z = self.ruido_latente")],
     "el discriminador recibe imágenes (n, 16, 16, 1) y le llegó otra cosa: pásale reales tal cual"),
    # Antes, «perdida_g vale 11,1832 y debería valer 0,6989. Calcúlala desde los logits…», sin decir qué difería.
    ([(_G, "perdida_g = tf.reduce_sum(tf.nn.softplus(-logits_falsos))")], "es la suma sobre el lote, no la media"),
    # Antes, «self.trainable_variabels no existe: ¿querías decir self.trainable_variables?»: el atributo era del
    # generador, y las variables de la GAN entera llevan a otro error.
    ([("variables_g = self.generador.trainable_variables", "variables_g = self.generador.trainable_variabels")],
     "trainable_variabels no existe: ¿querías decir trainable_variables?\n  Tu línea: variables_g = self.generador.trainable_variabels"),
    # Antes, solo el error de Python en inglés («'EagerTensor' object has no attribute 'backward'», «… 'type' object
    # does not support the context manager protocol»).
    ([("        variables_d =", "        perdida_d.backward()\n        variables_d =")],
     ".backward() es de PyTorch, y los tensores de TensorFlow no lo tienen: el gradiente lo pide la cinta"),
    ([('return {"perdida_d": perdida_d, "perdida_g": perdida_g}', 'return {"perdida_d": perdida_d.item(), "perdida_g": perdida_g.item()}')],
     ".item() es de PyTorch, y los tensores de TensorFlow no lo tienen: devuelve los tensores tal cual"),
    ([("self.discriminador(falsas, training=True)", "self.discriminador(falsas.detach(), training=True)")],
     ".detach() es de PyTorch, y los tensores de TensorFlow no lo tienen: aquí no hace falta"),
    # Antes, «self.opt_discriminador no se usó: el discriminador no se actualizó», y sí se actualizó, con otro Adam.
    ([(_D, "opt = keras.optimizers.Adam(1e-4, beta_1=0.5)\n        opt.apply(cinta_d.gradient(perdida_d, variables_d), variables_d)")],
     "self.opt_discriminador no se usó, pero el discriminador cambió: lo actualizó otro optimizador (¿uno creado dentro "
     "de train_step?"),
    # Antes, «la cinta no ve que perdida_g dependa del generador… o pasó por NumPy», sin nombrar tf.stop_gradient.
    ([("falsas = self.generador(z, training=True)", "falsas = tf.stop_gradient(self.generador(z, training=True))")],
     "tf.stop_gradient corta el camino del gradiente desde perdida_g hasta el generador, que así no aprende nada: quítalo"),
    # Antes, «cinta_d no existe: ¿querías decir cinta_g?», que llevaba a usar una cinta para los dos gradientes.
    ([("tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d", "tf.GradientTape() as cinta_g, cinta_d")],
     "cinta_d no tiene su tf.GradientTape(): cada cinta se abre con la suya (with tf.GradientTape() as cinta_g, "
     "tf.GradientTape() as cinta_d).\n  Tu línea: with tf.GradientTape() as cinta_g, cinta_d:"),
    ([("tf.GradientTape() as cinta_d", "tf.GradientTape as cinta_d")],
     "Qué hacer: la cinta se crea con paréntesis: with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d."),
    # Antes, solo el error de Python o de TensorFlow en inglés: «GradientTape.__init__() got an unexpected keyword
    # argument 'persistant'», «Got an unexpected keyword argument 'label'» y «_AdamAnotado.apply() got an unexpected
    # keyword argument 'variables'», con el nombre de una clase de la comprobación.
    ([("tf.GradientTape() as cinta_g,", "tf.GradientTape(persistant=True) as cinta_g,")],
     "train_step lanzó TypeError: tf.GradientTape no tiene ningún argumento persistant: ¿querías decir "
     "persistent=True?"),
    ([(_G, "perdida_g = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(label=tf.ones_like(logits_falsos), "
           "logits=logits_falsos))")],
     "tf.nn.sigmoid_cross_entropy_with_logits no tiene ningún argumento label: ¿querías decir "
     "labels=tf.ones_like(logits_falsos)?"),
    ([(_D, "self.opt_discriminador.apply(cinta_d.gradient(perdida_d, variables_d), variables=variables_d)")],
     "self.opt_discriminador.apply no tiene ningún argumento variables: ¿querías decir "
     "trainable_variables=variables_d?"),
])
def test_errores_de_estudiante_en_el_paso_se_explican(capsys, tmp_path, cambios, explicacion):
    correcto = comprobar_paso(_mi_gan(capsys, tmp_path, *cambios))
    salida = capsys.readouterr().out
    assert not correcto and explicacion in salida, salida
    assert " is not defined" not in salida and "local variable" not in salida and "compile()" not in salida, salida
    assert "unexpected keyword" not in salida and "_AdamAnotado" not in salida, salida


@pytest.mark.parametrize("cambio, explicacion", [
    # Antes, «falta training=True al llamar a self.generador(z, training=True)», y sí lo había puesto: con False.
    (("self.generador(z, training=True)", "self.generador(z, training=False)"),
     "llamas al generador con training=False, y en el paso de entrenamiento va training=True, para que su "
     "BatchNormalization use las estadísticas del lote"),
    # Antes, también «falta training=True»: Keras 3.15 acepta trainig=True sin avisar, y lo ignora. Keras 3.16 lanza
    # un TypeError, y antes la pista no decía cuál era el argumento bueno.
    (("self.generador(z, training=True)", "self.generador(z, trainig=True)"),
     ("llamas al generador con trainig=…, y Keras no avisa de un argumento que no conoce: lo ignora, y el generador "
      "queda en modo inferencia. ¿Querías decir training=True?",
      "self.generador no tiene ningún argumento trainig: ¿querías decir training=True?")),
])
def test_el_modo_del_generador_escrito_de_otra_forma_se_explica(capsys, tmp_path, cambio, explicacion):
    correcto = comprobar_paso(_mi_gan(capsys, tmp_path, cambio))
    salida = capsys.readouterr().out
    explicaciones = explicacion if isinstance(explicacion, tuple) else (explicacion,)
    assert not correcto and any(e in salida for e in explicaciones) and "falta training=True" not in salida, salida


def test_un_argumento_mal_escrito_al_llamar_a_una_red_sugiere_el_de_su_call():
    """Keras rechaza un argumento que una capa no conoce (y desde 3.16 también una red como las del curso); la pista lo
    busca en su método call, no en __call__, que los admite todos."""
    generador = layers.Dense(2)
    with pytest.raises(TypeError) as error:
        generador(tf.zeros((1, 3)), trainig=True)
    assert pista_de_nombre(error.value) == "generador no tiene ningún argumento trainig: ¿querías decir training=True?"


_REALES_EN_FLOAT16 = ("        z = self.ruido_latente",
                      "        reales = tf.cast(reales, tf.float16)\n        z = self.ruido_latente")


@pytest.mark.parametrize("cambios, explicacion", [
    # Antes, «las pérdidas coinciden, pero el gradiente que recibe self.opt_discriminador no… ¿Una parte de la pérdida
    # pasó por NumPy (.numpy(), np.…)?» y «perdida_g vale 0,6987 y debería valer 0,6989. Calcúlala desde los logits…».
    ([_REALES_EN_FLOAT16], "calculas en float16, que guarda muchas menos cifras que float32, y las pérdidas y los "
                           "gradientes ya no coinciden"),
    ([(_G, "perdida_g = tf.cast(tf.reduce_mean(tf.nn.softplus(-logits_falsos)), tf.float16)")], "calculas en float16"),
    # Antes, solo el error de TensorFlow en inglés («cannot compute ConcatV2 as input #1(zero-based) was expected to be
    # a half tensor but is a float tensor»).
    ([_REALES_EN_FLOAT16, ("logits_reales = self.discriminador(reales, training=True)\n            logits_falsos = "
                           "self.discriminador(falsas, training=True)",
                           "logits = self.discriminador(tf.concat([reales, falsas], 0), training=True)\n            "
                           "logits_reales, logits_falsos = tf.split(logits, 2)")],
     "train_step lanzó InvalidArgumentError: mezclas un tensor float16 con otro float32, y TensorFlow no convierte de "
     "un tipo a otro por su cuenta"),
])
def test_calcular_en_float16_se_explica(capsys, tmp_path, cambios, explicacion):
    correcto = comprobar_paso(_mi_gan(capsys, tmp_path, *cambios))
    salida = capsys.readouterr().out
    assert not correcto and explicacion in salida, salida
    assert "quita la conversión a float16 (tf.cast(…, tf.float16)) o vuelve a float32 con tf.cast(" in salida, salida
    assert "NumPy" not in salida and "cannot compute" not in salida and "half" not in salida, salida


def test_mezclar_una_comparacion_con_numeros_se_explica(capsys, tmp_path):
    # Antes, «… quita la conversión a bool (tf.cast(…, tf.bool))»: el bool sale de la comparación, no de una conversión.
    exactitud = ("        exactitud = tf.reduce_mean(tf.concat([logits_reales > 0, tf.cast(logits_falsos <= 0, tf.float32)], 0))\n"
                 '        return {"perdida_d"')
    correcto = comprobar_paso(_mi_gan(capsys, tmp_path, ('        return {"perdida_d"', exactitud)))
    salida = capsys.readouterr().out
    assert not correcto and ("y TensorFlow no convierte de un tipo a otro por su cuenta: una comparación (como "
                             "logits_reales > 0) da bool; conviértela con tf.cast(…, tf.float32) antes de operar con "
                             "ella.") in salida, salida
    assert "conversión a bool" not in salida, salida


@pytest.mark.parametrize("cambio, explicacion", [
    # Antes, «la cinta no ve que perdida_g dependa del generador… o pasó por NumPy», sin nombrar predict.
    (("self.generador(z, training=True)", "self.generador.predict(z, verbose=0)"),
     "self.generador.predict devuelve una matriz de NumPy, sin el camino del gradiente hasta el generador"),
    # Antes, «perdida_d vale 2,0188 y debería valer 1,3869. Calcúlala desde los logits…», y lo mismo con perdida_g.
    (("perdida_d = tf.reduce_mean(tf.nn.softplus(-logits_reales)) + tf.reduce_mean(tf.nn.softplus(logits_falsos))",
      "bce = keras.losses.BinaryCrossentropy(from_logits=True)\n            perdida_d = bce(logits_reales, "
      "tf.ones_like(logits_reales)) + bce(logits_falsos, tf.zeros_like(logits_falsos))"),
     "perdida_d vale 2,0188 y debería valer 1,3869: pasas a BinaryCrossentropy primero los logits y después las "
     "etiquetas"),
    ((_G, "perdida_g = keras.losses.BinaryCrossentropy(from_logits=True)(logits_falsos, tf.ones_like(logits_falsos))"),
     "perdida_g vale 1,3247 y debería valer 0,6989: pasas a BinaryCrossentropy primero los logits y después las "
     "etiquetas"),
])
def test_mas_despistes_del_paso_se_explican(capsys, tmp_path, recwarn, cambio, explicacion):
    correcto = comprobar_paso(_mi_gan(capsys, tmp_path, cambio))
    salida = capsys.readouterr().out
    assert not correcto and explicacion in salida, salida
    # Ni el aviso en inglés de TensorFlow sobre tf.data y la ejecución paso a paso (con .predict) junto a la pista.
    assert not [str(aviso.message) for aviso in recwarn if "run_functions_eagerly" in str(aviso.message)]


@pytest.mark.parametrize("cambios", [
    [("with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:", "with tf.GradientTape(persistent=True) as cinta:"),
     ("cinta_d.gradient", "cinta.gradient"), ("cinta_g.gradient", "cinta.gradient")],
    [("logits_reales = self.discriminador(reales, training=True)\n            logits_falsos = self.discriminador(falsas, "
      "training=True)", "logits = self.discriminador(tf.concat([reales, falsas], 0), training=True)\n"
      "            logits_reales, logits_falsos = logits[:tf.shape(reales)[0]], logits[tf.shape(reales)[0]:]")],
    [("perdida_d = tf.reduce_mean(tf.nn.softplus(-logits_reales)) + tf.reduce_mean(tf.nn.softplus(logits_falsos))",
      "perdida_d = keras.ops.mean(keras.ops.softplus(-logits_reales)) + keras.ops.mean(keras.ops.softplus(logits_falsos))"),
     (_G, "perdida_g = keras.losses.BinaryCrossentropy(from_logits=True)(keras.ops.ones_like(logits_falsos), logits_falsos)")],
    [(_D, "self.opt_discriminador.apply_gradients(zip(cinta_d.gradient(perdida_d, variables_d), variables_d))")],
    # Congelar D (al estilo de Keras 2) solo mientras se actualiza G no cambia nada: se acepta.
    [("        variables_g = self.generador.trainable_variables",
      "        self.discriminador.trainable = False\n        variables_g = self.generador.trainable_variables"),
     ('        return {"perdida_d"', '        self.discriminador.trainable = True\n        return {"perdida_d"')],
    # Con @tf.function, como en el tutorial de TensorFlow: antes, «train_step lanzó NotImplementedError: in user code:»
    # (el optimizador anotado de la comprobación no podía leer los gradientes dentro del grafo).
    [("    def train_step", "    @tf.function\n    def train_step")],
])
def test_pasos_correctos_escritos_de_otra_forma_valen(capsys, tmp_path, cambios):
    correcto = comprobar_paso(_mi_gan(capsys, tmp_path, *cambios))
    salida = capsys.readouterr().out
    assert correcto and salida.startswith("✓ Tu train_step coincide con el de GANBasica"), salida


def _generador_bn_tras_activacion(use_bias):
    def mi_generador():
        z = keras.Input((64,))
        x = layers.Reshape((4, 4, 128))(layers.ReLU()(layers.BatchNormalization()(layers.Dense(2048, use_bias=False)(z))))
        x = layers.BatchNormalization()(layers.Conv2DTranspose(64, 4, strides=2, padding="same", activation="relu",
                                                               use_bias=use_bias)(x))
        return keras.Model(z, layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh")(x))
    return mi_generador


@pytest.mark.parametrize("use_bias", [False, True])
def test_la_normalizacion_tras_la_activacion_se_rechaza_con_sesgo_o_sin_el(capsys, use_bias):
    # Antes, con el sesgo de Keras (otros pesos que los del curso), «✓ … No es idéntico al del curso… sirve».
    assert not comprobar_generador(_generador_bn_tras_activacion(use_bias))
    salida = capsys.readouterr().out
    assert "pones la BatchNormalization después de la activación" in salida, salida
    assert "convolución → BatchNormalization → activación" in salida, salida


def test_un_paso_con_tf_function_que_falla_en_el_grafo_muestra_la_linea_del_estudiante(capsys, tmp_path):
    # Antes, «… y ahí lanza AttributeError: in user code:», «Tu línea: raise» (del código que genera autograph) y la
    # pista general.
    linea = 'return {"perdida_d": perdida_d.numpy(), "perdida_g": perdida_g}'
    correcto = comprobar_paso(_mi_gan(capsys, tmp_path, ("    def train_step", "    @tf.function\n    def train_step"),
                                      ('return {"perdida_d": perdida_d, "perdida_g": perdida_g}', linea)))
    salida = capsys.readouterr().out
    assert not correcto and "lanza AttributeError: 'SymbolicTensor' object has no attribute 'numpy'" in salida, salida
    assert f"Tu línea: {linea}" in salida and "Qué hacer: quita el .numpy()" in salida, salida


@pytest.mark.parametrize("cambios", [[], [("        variables_d =", "        perdida_d.backward()\n        variables_d =")]])
def test_tras_comprobar_un_paso_con_tf_function_las_funciones_vuelven_a_compilarse(capsys, tmp_path, cambios):
    # La comprobación ejecuta el paso sin compilar: si lo dejara así, también al fallar el paso, el fit del cuaderno
    # iría sin grafo, mucho más despacio.
    comprobar_paso(_mi_gan(capsys, tmp_path, ("    def train_step", "    @tf.function\n    def train_step"), *cambios))
    assert not tf.config.functions_run_eagerly()


@pytest.mark.parametrize("n, explicacion", [
    # Antes, «el generador vio otros vectores latentes o se llamó más de una vez», sin decir que eran demasiados.
    ("32", "sorteas 32 vectores latentes para un lote de 16 imágenes reales: sortea uno por imagen real"),
    # Antes, «✓ Tu train_step coincide…»: el lote de prueba trae 16 imágenes, y fit le pasaría lotes de 32.
    ("16", "da el mismo paso que el de GANBasica, pero sortea siempre 16 vectores latentes, tantos como imágenes trae el "
           "lote de prueba"),
])
def test_un_numero_fijo_de_vectores_latentes_se_explica(capsys, tmp_path, n, explicacion):
    cambio = ("self.ruido_latente(tf.shape(reales)[0])", f"self.ruido_latente({n})")
    correcto = comprobar_paso(_mi_gan(capsys, tmp_path, cambio))
    salida = capsys.readouterr().out
    assert not correcto and explicacion in salida and "z = self.ruido_latente(tf.shape(reales)[0])" in salida, salida
