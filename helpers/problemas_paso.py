"""En qué difiere tu paso del de ``GANBasica`` cuando ``comprobar_paso`` da los dos desde el mismo estado.

Cada ``problema_…`` mira una cosa (a qué variables aplicó cada optimizador y cuántas veces, cuántos vectores
latentes sorteó, qué devolvió, las estadísticas de normalización, las pérdidas, la precisión, los gradientes) y
devuelve ``None`` o qué difiere y por qué suele pasar. Una pérdida que no coincide se compara con sus errores
frecuentes (``_perdidas_candidatas``: el signo, la media, ``from_logits``…). Están aparte de ``comprobar_paso``
para que esta se lea de una vez: solo las llama en orden.
"""

import keras
import numpy as np
import tensorflow as tf

from .estudiante import conversion_reducida, llamadas_en, nombre_parecido
from .gan_basica import GANBasica
from .paso_anotado import REDES, estadisticas_normalizacion, gan_de_prueba, pesos_entrenables, variables_entrenables
from .pistas_paso import EN_FLOAT32, codigo_del_paso
from .textos import cifra, contar


def _recibidas(gan, optimizador):
    return {ruta for _, rutas in getattr(gan, optimizador).anotaciones for ruta in rutas}


def problema_variables_ajenas(gan):
    """¿Actualizó algún optimizador variables de la otra red?"""
    for optimizador, red, otra in REDES:
        if _recibidas(gan, optimizador) & variables_entrenables(gan, otra):
            return (f"self.{optimizador} recibió variables del {otra}. Cada optimizador debe aplicar a SU red el "
                    f"gradiente de SU pérdida: self.{optimizador}.apply(gradientes, self.{red}.trainable_variables). "
                    "Así la otra red queda «congelada» en ese paso.")
    return None


def problema_sorteos(sorteos, lote):
    """¿Sorteó el paso otro número de vectores latentes que imágenes reales trae el lote?"""
    n = lote.shape[0]
    if otro := next((m for m in sorteos if m != n), None):
        return (f"sorteas {otro} vectores latentes para un lote de {n} imágenes reales: sortea uno por imagen real, "
                "z = self.ruido_latente(tf.shape(reales)[0]), que sirve con cualquier tamaño de lote.")
    return None


def problema_llamadas(gan, antes):
    """¿Se aplicó cada optimizador una vez, a todas las variables de su red? ``antes``: los pesos de cada red antes
    del paso (``pesos_entrenables``)."""
    for optimizador, red, _ in REDES:
        llamadas, propias = getattr(gan, optimizador).anotaciones, variables_entrenables(gan, red)
        if not llamadas and getattr(gan, "optimizer", None) is not None and int(gan.optimizer.iterations.numpy()):
            return (f"self.{optimizador} no se usó: aplicaste un gradiente con self.optimizer, el optimizador que "
                    f"Keras crea por su cuenta en compile (RMSprop), no el de la GAN. Usa self.{optimizador}.apply("
                    "cinta.gradient(perdida, variables), variables).")
        if not llamadas:
            if not np.array_equal(pesos_entrenables(getattr(gan, red)), antes[red]):
                return (f"self.{optimizador} no se usó, pero el {red} cambió: lo actualizó otro optimizador (¿uno creado "
                        "dentro de train_step? Sería uno nuevo en cada paso, sin la memoria de Adam) o una resta a mano. "
                        f"Usa el de la GAN: self.{optimizador}.apply(cinta.gradient(perdida, variables), variables).")
            return (f"self.{optimizador} no se usó: el {red} no se actualizó. Aplica su gradiente con "
                    f"self.{optimizador}.apply(cinta.gradient(perdida, variables), variables).")
        if len(llamadas) > 1:
            return f"self.{optimizador} se aplicó {len(llamadas)} veces en un paso; debe aplicarse una vez."
        ajenas = _recibidas(gan, optimizador) - propias
        if ajenas and ajenas <= {v.path for v in getattr(gan, red).non_trainable_variables}:
            cuantas = contar(len(ajenas), "variable no entrenable", "variables no entrenables")
            return (f"self.{optimizador} recibió también {cuantas} del {red} (las medias de BatchNormalization, que "
                    f"no se aprenden por gradiente): usa self.{red}.trainable_variables, no self.{red}.variables.")
        if _recibidas(gan, optimizador) != propias:
            return (f"self.{optimizador} recibió solo {len(_recibidas(gan, optimizador))} de las {len(propias)} "
                    f"variables entrenables del {red}: usa self.{red}.trainable_variables.")
    return None


def problema_resultado(obtenido):
    if not isinstance(obtenido, dict) or not {"perdida_d", "perdida_g"} <= set(obtenido):
        return ('train_step debe terminar con return {"perdida_d": perdida_d, "perdida_g": perdida_g}: es lo que '
                "fit muestra en su línea de progreso.")
    return None


def problema_normalizacion(gan, referencia, antes_bn):
    despues, esperado = estadisticas_normalizacion(gan.generador), estadisticas_normalizacion(referencia.generador)
    if np.allclose(despues, antes_bn):
        sin_el = ("la normalización usa las medias acumuladas (aún sin aprender) en lugar de las estadísticas del "
                  "lote, y las imágenes y los gradientes salen distintos")
        argumentos = [a for funcion, a in llamadas_en(codigo_del_paso(gan)) if funcion.endswith("generador")]
        if any(a.get("training") == "False" for a in argumentos):
            return ("llamas al generador con training=False, y en el paso de entrenamiento va training=True, para que "
                    "su BatchNormalization use las estadísticas del lote (y vaya aprendiendo sus medias). Con "
                    f"training=False, {sin_el}. training=False es para generar muestras fuera del entrenamiento; aquí, "
                    "falsas = self.generador(z, training=True).")
        erratas = (n for a in argumentos for n in a if n != "training" and nombre_parecido(n, ["training"]))
        if errata := next(erratas, None):
            return (f"llamas al generador con {errata}=…, y Keras no avisa de un argumento que no conoce: lo ignora, y "
                    f"el generador queda en modo inferencia. ¿Querías decir training=True? Sin él, {sin_el}.")
        return ("las estadísticas de BatchNormalization del generador no cambiaron: falta training=True al llamar a "
                f"self.generador(z, training=True). Sin él, {sin_el}.")
    if not np.allclose(despues, esperado, atol=1e-5):
        return ("el generador vio otros vectores latentes o se llamó más de una vez en modo entrenamiento. Usa un solo "
                "z = self.ruido_latente(n) y una sola pasada: falsas = self.generador(z, training=True).")
    return None


def problema_perdidas(obtenido, esperado, lote):
    candidatas = None
    for nombre in ("perdida_d", "perdida_g"):
        if obtenido[nombre] is None or np.size(obtenido[nombre]) != 1:
            return (f"{nombre} tiene forma {np.shape(obtenido[nombre])}: una pérdida es un solo número; calcula la media "
                    "con tf.reduce_mean.")
        valor, bueno = float(obtenido[nombre]), float(esperado[nombre])
        if np.isclose(valor, bueno, rtol=1e-4, atol=1e-5):
            continue
        if not np.isfinite(valor):
            return (f"{nombre} vale {cifra(valor)}, no un número: ¿tomaste el logaritmo de un logit (puede ser negativo "
                    "o cero) o dividiste por cero? Calcúlala desde los logits con tf.nn.softplus, que nunca da nan ni "
                    "infinito, y tf.reduce_mean.")
        candidatas = candidatas or _perdidas_candidatas(lote)
        for candidata, explicacion in candidatas[nombre]:
            if np.isclose(valor, candidata, rtol=1e-4, atol=1e-5):
                return f"{nombre} vale {cifra(valor, 4)} y debería valer {cifra(bueno, 4)}: {explicacion}."
        return (f"{nombre} vale {cifra(valor, 4)} y debería valer {cifra(bueno, 4)}. Calcúlala desde los logits con tf.nn.softplus "
                "y tf.reduce_mean (lección 1, § 4: softplus(−ℓ) = −log D, con ℓ el logit).")
    return None


def _perdidas_candidatas(lote):
    """Variantes frecuentes de las pérdidas, calculadas con los logits del paso de referencia."""
    gan = gan_de_prueba(GANBasica)
    z = gan.ruido_latente(lote.shape[0])  # el mismo primer sorteo que en el paso de referencia
    reales = gan.discriminador(lote, training=True)
    falsos = gan.discriminador(gan.generador(z, training=True), training=True)

    def media(x):
        return float(tf.reduce_mean(tf.nn.softplus(x)))

    def entropia_cruzada(etiqueta, logits):  # sin from_logits=True: Keras toma los logits por probabilidades
        return float(keras.losses.BinaryCrossentropy()(tf.fill(tf.shape(logits), etiqueta), logits))

    def argumentos_cambiados(etiqueta, logits):  # bce(logits, etiquetas) en lugar de bce(etiquetas, logits)
        return float(keras.losses.BinaryCrossentropy(from_logits=True)(logits, tf.fill(tf.shape(logits), etiqueta)))

    n = lote.shape[0]
    suma = "es la suma sobre el lote, no la media: usa tf.reduce_mean, que no cambia con el tamaño del lote"
    sin_from_logits = ("usa keras.losses.BinaryCrossentropy sin from_logits=True, que espera probabilidades y recibe "
                       "logits: escribe BinaryCrossentropy(from_logits=True)")
    dos_sigmoides = ("aplicas la sigmoide a los logits y BinaryCrossentropy(from_logits=True) la aplica otra vez: pásale "
                     "los logits tal cual")
    al_reves = ("tiene las etiquetas al revés: las reales van a 1 (softplus(-logits_reales)) y las generadas a 0 "
                "(softplus(logits_falsos))")
    orden = ("pasas a BinaryCrossentropy primero los logits y después las etiquetas, y va al revés: primero las "
             "etiquetas y después los logits, bce(tf.ones_like(logits), logits)")
    mitad = ("es la mitad: suma las dos medias, la de reales y la de generadas (con las dos en un solo lote, la media "
             "de todo el lote es la mitad de esa suma)")

    return {
        "perdida_d": [
            (-(media(-reales) + media(falsos)), "tiene el signo cambiado: con el signo menos, D maximizaría su error"),
            (media(reales) + media(-falsos), al_reves),
            ((media(reales) + media(-falsos)) / 2, f"{al_reves}; además, {mitad}"),
            (media(reales) + media(falsos), "falta el signo menos en las reales: softplus(-logits_reales) = −log D(x), que "
                                            "baja cuando D dice «real» con ellas"),
            (media(-reales) + media(-falsos), "sobra el signo menos en las generadas: softplus(logits_falsos) = "
                                              "−log(1 − D(G(z))), que baja cuando D dice «generada» con ellas"),
            ((media(-reales) + media(falsos)) / 2, mitad),
            (n * (media(-reales) + media(falsos)), suma),
            (entropia_cruzada(1.0, reales) + entropia_cruzada(0.0, falsos), sin_from_logits),
            (media(-tf.sigmoid(reales)) + media(tf.sigmoid(falsos)), dos_sigmoides),
            (argumentos_cambiados(1.0, reales) + argumentos_cambiados(0.0, falsos), orden),
        ],
        "perdida_g": [
            (-media(-falsos), "tiene el signo cambiado: con el signo menos, G empeoraría a propósito"),
            (media(falsos), "tiene el signo del logit cambiado: G quiere que D diga «real», así que sus imágenes "
                            "van a 1: softplus(-logits_falsos)"),
            (-media(falsos), "es la pérdida saturante del minimax original, log(1 − D(G(z))): al principio casi no da "
                             "gradiente; usa la no saturante, −log D(G(z)) = softplus(-logits_falsos)"),
            (entropia_cruzada(1.0, falsos), sin_from_logits),
            (media(-tf.sigmoid(falsos)), dos_sigmoides),
            (n * media(-falsos), suma),
            (argumentos_cambiados(1.0, falsos), orden),
        ],
    }


def problema_precision(gan, obtenido, esperado, problema):
    """``problema`` (las pérdidas o los gradientes no coinciden) explicado por la precisión si el paso calcula algo en
    float16 o bfloat16 (lo convierte a ese tipo en su código o devuelve así las pérdidas) y las pérdidas casi coinciden;
    si se apartan más, el problema es otro (p. ej. la fórmula) y se explica ``problema``."""
    perdidas = [(obtenido[nombre], esperado[nombre]) for nombre in ("perdida_d", "perdida_g")]
    if not (problema and all(np.size(o) == 1 and np.isclose(float(o), float(e), rtol=0.05) for o, e in perdidas)):
        return problema
    tipos = [getattr(getattr(valor, "dtype", None), "name", "") for valor in obtenido.values()]
    if not (tipo := next((t for t in tipos if t in ("float16", "bfloat16")), None)
            or conversion_reducida(codigo_del_paso(gan))):
        return problema
    return (f"calculas en {tipo}, que guarda muchas menos cifras que float32, y las pérdidas y los gradientes ya no "
            f"coinciden con los de GANBasica. {EN_FLOAT32.format(tipo=tipo)}.")


def problema_gradientes(gan, referencia):
    for nombre, red in (("opt_discriminador", "discriminador"), ("opt_generador", "generador")):
        gradientes, _ = getattr(gan, nombre).anotaciones[0]
        esperados, _ = getattr(referencia, nombre).anotaciones[0]
        for g, e in zip(gradientes, esperados):
            if g is None or not np.allclose(g, e, rtol=1e-3, atol=1e-6 * np.abs(e).max()):
                return (f"las pérdidas coinciden, pero el gradiente que recibe self.{nombre} no: deriva la pérdida del "
                        f"{red} (perdida_{red[0]}) respecto de las variables del {red}, con la cinta que la registró. ¿Una "
                        "parte de la pérdida pasó por NumPy (.numpy(), np.…)? La cinta no la ve.")
    return None
