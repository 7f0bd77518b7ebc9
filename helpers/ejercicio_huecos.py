"""Los huecos del ejercicio del cuaderno 02, que comparten las comprobaciones de las redes (``ejercicio_dcgan``) y
la del paso (``ejercicio_paso``, con su GAN de prueba en ``paso_anotado`` y sus pistas en ``pistas_paso``).

En las celdas del ejercicio, las líneas que te toca escribir vienen como ``completar("nombre", …)``:
ejecuta la solución del curso (la que imprime ``solucion``) para que el cuaderno se ejecute entero aunque
aún no hayas escrito nada. Sustitúyela por tus líneas y comprueba tu trabajo con ``comprobar_generador``,
``comprobar_discriminador`` y ``comprobar_paso``.
"""

import contextlib
import difflib

import keras
import tensorflow as tf
from keras import layers

DIM_LATENTE, TAMANO = 64, 16

# Para cada hueco: nombres de los datos que recibe ``completar``, la variable que devuelve (o None)
# y las líneas de la solución. ``completar`` ejecuta estas mismas líneas: una sola fuente.
_HUECOS = {
    "generador": ("x", "imagen", """\
x = layers.Conv2DTranspose(64, 4, strides=2, padding="same", use_bias=False)(x)  # 4×4 → 8×8
x = layers.ReLU()(layers.BatchNormalization()(x))
x = layers.Conv2DTranspose(1, 4, strides=2, padding="same")(x)  # 8×8 → 16×16
imagen = layers.Activation("tanh")(x)  # salida en [-1, 1], como las imágenes reales"""),
    "discriminador": ("imagen", "logit", """\
x = layers.LeakyReLU(0.2)(layers.Conv2D(64, 4, strides=2, padding="same")(imagen))  # 16×16 → 8×8
x = layers.LeakyReLU(0.2)(layers.Conv2D(128, 4, strides=2, padding="same")(x))  # 8×8 → 4×4
logit = layers.Dense(1)(layers.Flatten()(x))  # un número sin sigmoide: el logit"""),
    "falsas": ("self z", "falsas", "falsas = self.generador(z, training=True)"),
    "perdida_d": ("logits_reales logits_falsos", "perdida_d", """\
perdida_d = tf.reduce_mean(tf.nn.softplus(-logits_reales)) + tf.reduce_mean(tf.nn.softplus(logits_falsos))"""),
    "perdida_g": ("logits_falsos", "perdida_g", "perdida_g = tf.reduce_mean(tf.nn.softplus(-logits_falsos))"),
    "actualizar_d": ("self cinta_d perdida_d", None, """\
variables_d = self.discriminador.trainable_variables
self.opt_discriminador.apply(cinta_d.gradient(perdida_d, variables_d), variables_d)"""),
    "actualizar_g": ("self cinta_g perdida_g", None, """\
variables_g = self.generador.trainable_variables
self.opt_generador.apply(cinta_g.gradient(perdida_g, variables_g), variables_g)"""),
}
HUECOS_DEL_PASO = ("falsas", "perdida_d", "perdida_g", "actualizar_d", "actualizar_g")
huecos_usados = []  # huecos ``completar`` ejecutados durante la última comprobación


def completar(nombre, *datos):
    """Hueco ``nombre`` del ejercicio: ejecuta la solución del curso con ``datos`` y devuelve su resultado.

    - ``completar("generador", x)``: ``x`` ``(n, 4, 4, 128)`` → imagen ``(n, 16, 16, 1)`` en [-1, 1];
    - ``completar("discriminador", imagen)``: ``(n, 16, 16, 1)`` → logit ``(n, 1)``;
    - ``completar("falsas", self, z)``: imágenes generadas ``(n, 16, 16, 1)``;
    - ``completar("perdida_d", logits_reales, logits_falsos)`` y ``completar("perdida_g", logits_falsos)``:
      escalares;
    - ``completar("actualizar_d", self, cinta_d, perdida_d)`` y ``completar("actualizar_g", self, cinta_g,
      perdida_g)``: aplican un paso del optimizador de esa red; no devuelven nada.
    """
    if nombre not in _HUECOS:
        parecidos = difflib.get_close_matches(str(nombre), _HUECOS, n=1, cutoff=0.6)
        raise ValueError(f"No hay ningún hueco «{nombre}»: "
                         + (f"¿querías decir «{parecidos[0]}»? " if parecidos else "")
                         + f"Los huecos son {', '.join(_HUECOS)}.")
    argumentos, resultado, codigo = _HUECOS[nombre]
    if len(datos) != len(argumentos.split()):
        raise TypeError(f"completar(\"{nombre}\", …) recibe {argumentos.replace(' ', ', ')}: "
                        "no borres esos datos de la llamada.")
    huecos_usados.append(nombre)
    espacio = {"layers": layers, "tf": tf, **dict(zip(argumentos.split(), datos))}
    exec(codigo, espacio)  # noqa: S102 — el código es la solución fija de este módulo
    return espacio[resultado] if resultado else None


def solucion(nombre):
    """Imprime la solución del ejercicio ``nombre``: ``"generador"``, ``"discriminador"`` o ``"paso"``
    (el ``train_step`` entero), o de un solo hueco (``"perdida_g"``, ``"actualizar_d"``…)."""
    if nombre == "paso":
        dentro_de_la_cinta = ("falsas", "perdida_d", "perdida_g")
        print(_TRAIN_STEP.format(**{h: _sangrar(_HUECOS[h][2], 12 if h in dentro_de_la_cinta else 8) for h in HUECOS_DEL_PASO}))
    elif nombre in _HUECOS:
        print(_HUECOS[nombre][2])
    else:
        raise ValueError(f"No hay solución «{nombre}»: usa 'generador', 'discriminador', 'paso' o un hueco "
                         f"({', '.join(HUECOS_DEL_PASO)}).")


def _sangrar(codigo, espacios):
    return "\n".join(" " * espacios + linea for linea in codigo.splitlines())


_TRAIN_STEP = """\
class MiGAN(helpers.GANBasica):
    def train_step(self, reales):
        z = self.ruido_latente(tf.shape(reales)[0])
        with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:
{falsas}
            logits_reales = self.discriminador(reales, training=True)
            logits_falsos = self.discriminador(falsas, training=True)
{perdida_d}
{perdida_g}
{actualizar_d}
{actualizar_g}
        return {{"perdida_d": perdida_d, "perdida_g": perdida_g}}"""


@contextlib.contextmanager
def calculo_exacto():
    """float32 sin atajos mientras se compara: sin TF32 (GPU Ampere o posteriores) ni precisión mixta,
    que redondean según el algoritmo elegido y harían diferir dos pasos correctos escritos de otra forma."""
    tf32, politica = tf.config.experimental.tensor_float_32_execution_enabled(), keras.mixed_precision.dtype_policy()
    tf.config.experimental.enable_tensor_float_32_execution(False)
    keras.mixed_precision.set_global_policy("float32")
    try:
        yield
    finally:
        tf.config.experimental.enable_tensor_float_32_execution(tf32)
        keras.mixed_precision.set_global_policy(politica)


def pista_para(texto, pistas, otra=""):
    """La pista de la primera clave de ``pistas`` que aparece en ``texto``, u ``otra`` si no aparece ninguna."""
    return next((pista for clave, pista in pistas if clave in texto), otra)
