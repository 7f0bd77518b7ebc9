"""GAN condicional: eliges el dígito que dibuja el generador (Mirza y Osindero, 2014).

La etiqueta entra en las dos redes como un vector «one-hot» de ``clases`` posiciones (10 para los
dígitos; un 1 en la del dígito):
- el generador la concatena al vector latente: ``[z, one_hot(y)]`` → el generador DCGAN de
  ``helpers.modelos`` (con ``clases`` entradas más);
- el discriminador la recibe como ``clases`` canales constantes pegados a la imagen: juzga si la pareja
  (imagen, dígito) es real. Un 3 perfecto con la etiqueta 7 es «falso», y eso obliga a G a obedecer.

``GANCondicional`` es ``GANBasica`` con la etiqueta en cada llamada: las mismas pérdidas, una pasada,
dos cintas y dos optimizadores. Los datos son parejas ``(imágenes, etiquetas)`` (``a_dataset_condicional``).
"""

import numbers

import keras
import numpy as np
import tensorflow as tf
from keras import layers

from .archivos import escribir_de_una_vez
from .callbacks import SEMILLA_CUADRICULA, avisar_si_ya_entrenada, crear_gif, mostrar_png
from .comprobaciones_gan import comprobar_muestreo, comprobar_suavizado, entradas_de
from .datos import a_dataset, imagenes_para_gan, mapear_lotes, primer_lote
from .entorno import limitar
from .gan_basica import GANBasica, perdida_discriminador, perdida_generador
from .graficos import guardar_cuadricula
from .lotes import aplicar_por_lotes
from .metricas import clasificador_digitos
from .modelos import comprobar_tamano, construir_generador, resolucion_inicial
from .opciones import es_entero, exigir_carpeta, exigir_enteros, exigir_ruta, exigir_semilla
from .textos import cifra, contar

CLASES = 10
EPOCAS_RAPIDAS = 25


def _una_caliente(etiqueta, clases):
    """Etiquetas enteras ``(n, 1)`` → vectores one-hot ``(n, clases)``."""
    return layers.CategoryEncoding(clases, output_mode="one_hot", name="una_caliente")(etiqueta)


def _clases_de(red):
    """Cuántas clases codifica ``red``: el tamaño de su capa one-hot (o ``Embedding``, como en un
    discriminador de proyección); ``None`` si no tiene ninguna."""
    for capa in red.layers:
        if isinstance(capa, layers.CategoryEncoding):
            return capa.num_tokens
        if isinstance(capa, layers.Embedding):
            return capa.input_dim
    return None


def construir_generador_condicional(tamano=16, canales=1, dim_latente=64, clases=CLASES, ancho=64):
    """``[z (dim_latente,), etiqueta (1,) entera en 0…clases-1]`` → imagen ``(tamano, tamano, canales)`` en [-1, 1]."""
    exigir_enteros(("dim_latente", dim_latente, 1), ("clases", clases, 2))
    z = keras.Input((dim_latente,), name="vector_latente")
    etiqueta = keras.Input((1,), dtype="int32", name="etiqueta")
    cuerpo = construir_generador(tamano, canales, dim_latente + clases, ancho, nombre="generador_dcgan")
    imagen = cuerpo(layers.Concatenate()([z, _una_caliente(etiqueta, clases)]))
    return keras.Model([z, etiqueta], imagen, name="generador_condicional")


def construir_discriminador_condicional(tamano=16, canales=1, clases=CLASES, ancho=64):
    """``[imagen (tamano, tamano, canales) en [-1, 1], etiqueta (1,) entera]`` → logit ``(1,)``.

    Como ``construir_discriminador`` (convoluciones de paso 2 y LeakyReLU hasta 4×4, o 7×7 con 28 px;
    sin normalización por lotes), pero la entrada lleva ``clases`` canales más: el one-hot de la etiqueta
    repetido en cada píxel, para que desde la primera capa cada filtro vea imagen y dígito juntos.
    Admite los mismos tamaños y canales que el generador, con el mismo mensaje si no valen.
    """
    comprobar_tamano(tamano, canales)
    exigir_enteros(("clases", clases, 2), ("ancho", ancho, 1))
    _, bloques = resolucion_inicial(tamano)
    imagen = keras.Input((tamano, tamano, canales), name="imagen")
    etiqueta = keras.Input((1,), dtype="int32", name="etiqueta")
    mapas = layers.UpSampling2D(tamano)(layers.Reshape((1, 1, clases))(_una_caliente(etiqueta, clases)))
    x = layers.Concatenate()([imagen, mapas])
    for i in range(bloques):
        x = layers.LeakyReLU(0.2)(layers.Conv2D(min(ancho * 2**i, 512), 4, strides=2, padding="same")(x))
    logit = layers.Dense(1, dtype="float32", name="logit")(layers.Flatten()(x))
    return keras.Model([imagen, etiqueta], logit, name="discriminador_condicional")


def _comprobar_formas(generador, discriminador):
    """``ValueError`` en español si el generador hace imágenes de otra forma que la que espera el
    discriminador: Keras fallaría al entrenar, en inglés y desde dentro del discriminador."""
    hechas, esperadas = tuple(generador.outputs[0].shape[1:]), tuple(discriminador.inputs[0].shape[1:])
    # None: una dimensión que el discriminador admite de cualquier tamaño
    if len(hechas) != len(esperadas) or any(None not in (h, e) and h != e for h, e in zip(hechas, esperadas)):
        raise ValueError(
            f"El generador hace imágenes de forma {hechas} y el discriminador las espera de forma {esperadas} (alto, "
            "ancho, canales): construye las dos redes con los mismos tamano=…, canales=… y clases=…, los de tus imágenes "
            "(p. ej. construir_generador_condicional(16) y construir_discriminador_condicional(16) para los "
            "dígitos de 16×16)."
        )


def _etiquetas(etiquetas, clases):
    """``etiquetas`` como int32 ``(n, 1)``, o ``ValueError`` en español si no son un entero de 0 a
    ``clases - 1`` por imagen: sin esto, 2,7 se truncaría a 2 y una etiqueta fuera de rango se
    convertiría en un one-hot de ceros, y la GAN entrenaría sin avisar."""
    valores = np.asarray(etiquetas)
    if valores.ndim > 1 and valores.shape[1:] != (1,):
        raise ValueError(
            f"Las etiquetas tienen forma {valores.shape} y debe haber un entero por imagen, forma (n,): si son "
            "vectores one-hot, conviértelas con np.argmax(etiquetas, axis=1)."
        )
    valores = valores.reshape(-1)
    if valores.size == 0:
        raise ValueError(f"No hay etiquetas: pasa al menos una, un entero de 0 a {clases - 1}.")
    if valores.dtype.kind not in "iuf":
        otro = next((v for v in valores.tolist() if isinstance(v, bool) or not isinstance(v, numbers.Real)), valores[0])
        raise ValueError(
            f"Las etiquetas deben ser números enteros, uno por imagen, y llegó {otro!r}, que no es un número: si son "
            "texto, conviértelas con [int(e) for e in etiquetas]."
        )
    if np.isnan(valores.astype(np.float64)).any():
        raise ValueError("Hay etiquetas NaN: cada imagen necesita el número de su clase (0, 1, 2…).")
    if decimales := valores[valores != np.round(valores)].tolist():
        raise ValueError(
            f"Las etiquetas deben ser números enteros y hay alguna con decimales, como "
            f"{cifra(decimales[0], significativas=4)}: pasa el número de clase de cada imagen (0, 1, 2…)."
        )
    if valores.min() < 0 or valores.max() >= clases:
        menor, mayor = (cifra(v, significativas=10) for v in (valores.min(), valores.max()))
        recibidas = f"llegó {menor}" if menor == mayor else f"van de {menor} a {mayor}"
        consejo = ("si numeras las clases desde 1, réstales 1 (etiquetas - 1)" if valores.min() == 1 and valores.max() == clases
                   else f"si tienes más clases, construye las redes con clases=… (ahora {clases})")
        raise ValueError(f"Las etiquetas deben ser enteros de 0 a {clases - 1} (hay {clases} clases) y {recibidas}: "
                         f"{consejo}.")
    return valores.astype(np.int32).reshape(-1, 1)


def _exigir_finitos(z, forma):
    """``ValueError`` en español si ``z`` tiene NaN o infinitos: el generador daría imágenes de NaN sin avisar.
    ``forma``: la de ``z``, para el ejemplo del mensaje."""
    if malos := int(z.size - np.isfinite(z).sum()):
        raise ValueError(
            f"z tiene {contar(malos, 'valor NaN o infinito', 'valores NaN o infinitos')}: los vectores latentes deben "
            f"ser números finitos, p. ej. np.random.default_rng(0).normal(size={forma})."
        )


def a_dataset_condicional(imagenes, etiquetas, lote=64, semilla=0, clases=CLASES):
    """Parejas ``(imágenes (lote, alto, ancho, canales), etiquetas (lote, 1) int32)`` barajadas en cada
    época, en lotes completos y con precarga. En modo rápido, como mucho 512 parejas repartidas por todo el
    conjunto (de unas ordenadas por clase quedan todas las clases; ver ``a_dataset``).

    ``imagenes``: en [-1, 1], como las que recibe ``a_dataset``; ``etiquetas``: un entero de 0 a
    ``clases - 1`` por imagen, en el mismo orden, forma ``(n,)``.
    """
    if not es_entero(lote, 1):
        raise ValueError(f"lote={lote!r} no es válido: debe ser un entero positivo (parejas por paso; p. ej. 32 o 64).")
    exigir_enteros(("clases", clases, 2))
    imagenes = imagenes_para_gan(imagenes, "a_dataset_condicional")
    etiquetas = _etiquetas(etiquetas, clases)
    if len(etiquetas) != len(imagenes):
        raise ValueError(
            f"Hay {contar(len(imagenes), 'imagen', 'imágenes')} y {contar(len(etiquetas), 'etiqueta', 'etiquetas')}: "
            "debe haber una etiqueta por imagen, en el mismo orden."
        )
    return a_dataset(imagenes, lote, semilla, etiquetas=etiquetas)


def _vigilar_etiquetas(datos, clases, fallos):
    """``datos`` con las etiquetas de cada lote comprobadas al pasar, no solo las del primero (unas ordenadas por
    clase pueden traer las malas al final). Si un lote trae alguna fuera de 0…``clases - 1`` o con decimales, el
    ``ValueError`` de ``_etiquetas`` se guarda en ``fallos`` y detiene ``fit``. Va en el flujo de datos y no en
    ``train_step``: con XLA (el de la GPU) TensorFlow se salta las aserciones."""
    espec = datos.element_spec
    de_etiquetas = espec[1] if isinstance(espec, tuple) and len(espec) == 2 else None
    if not isinstance(de_etiquetas, tf.TensorSpec) or not (de_etiquetas.dtype.is_integer or de_etiquetas.dtype.is_floating):
        return datos  # no son parejas con etiquetas numéricas: _comprobar_datos explica qué falta

    def guardar_error(etiquetas):
        try:
            _etiquetas(etiquetas.numpy(), clases)
        except ValueError as error:
            fallos.append(error)
            return False
        return True  # manda la comprobación de Python: si no encuentra nada, el lote vale

    def vigilar(imagenes, etiquetas):
        valores = tf.cast(etiquetas, tf.float64)  # en uint8, clases=300 sería 44
        validas = tf.reduce_all((valores >= 0) & (valores < clases) & (valores == tf.round(valores)))  # NaN: ninguna
        # Python (lento) solo con un lote malo, para guardar el mismo mensaje que se da con el primero.
        validas = tf.cond(validas, lambda: validas, lambda: tf.py_function(guardar_error, [etiquetas], tf.bool))
        with tf.control_dependencies([tf.debugging.Assert(validas, ["etiquetas no válidas"])]):
            return imagenes, tf.identity(etiquetas)

    # La precarga, después: la comprobación se hace mientras entrena el paso anterior. Con mapear_lotes, los de
    # a_dataset_condicional siguen siendo de a_dataset: fit los recorre con un solo iterador (ver BaseGAN.fit).
    return mapear_lotes(datos, vigilar)


class GANCondicional(GANBasica):
    """``GANBasica`` en la que G y D reciben también la etiqueta de cada imagen.

    - ``generador``: ``[z, etiqueta]`` → imagen (``construir_generador_condicional``);
    - ``discriminador``: ``[imagen, etiqueta]`` → logit (``construir_discriminador_condicional``);
    - ``clases``: número de clases; por defecto, el de la capa one-hot (o ``Embedding``) de las redes,
      que deben coincidir;
    - ``suavizado_etiquetas``: suavizado unilateral de la etiqueta «real» (0,1 por defecto, como ``crear_gan``).
    Métricas: ``perdida_g``, ``perdida_d`` y ``exactitud_d``. En modo rápido ``fit`` entrena como
    mucho ``EPOCAS_RAPIDAS`` épocas.
    """

    entradas_por_red = 2  # [z, etiqueta] y [imagen, etiqueta]

    def __init__(self, generador, discriminador, clases=None, suavizado_etiquetas=0.1, semilla=0, **kwargs):
        for nombre, red, constructor in (("generador", generador, "construir_generador_condicional"),
                                         ("discriminador", discriminador, "construir_discriminador_condicional")):
            if not (isinstance(red, keras.Model) and len(entradas_de(red)) == 2):
                raise ValueError(f"El {nombre} de una GAN condicional recibe dos entradas, [{'z' if nombre == 'generador' else 'imagen'}, "
                                 f"etiqueta], y este no: constrúyelo con {constructor}.")
        _comprobar_formas(generador, discriminador)
        if clases is not None:
            exigir_enteros(("clases", clases, 2))
        comprobar_suavizado(suavizado_etiquetas)
        super().__init__(generador, discriminador, semilla=semilla, **kwargs)
        self.dim_latente = generador.input_shape[0][-1]  # la primera entrada es z; la segunda, la etiqueta
        # Con un número de clases distinto, la GAN pediría etiquetas que una de las redes no conoce.
        por_origen = {"el generador": _clases_de(generador), "el discriminador": _clases_de(discriminador),
                      "clases": clases}
        conocidos = {n for n in por_origen.values() if n is not None}
        if len(conocidos) > 1:
            detalle = ", ".join(f"{origen}: {n}" for origen, n in por_origen.items() if n is not None)
            raise ValueError(
                f"No coincide el número de clases ({detalle}): construye las dos redes con el mismo clases=… "
                "(GANCondicional lo toma de ellas)."
            )
        self.clases = conocidos.pop() if conocidos else CLASES
        self.suavizado_etiquetas = suavizado_etiquetas

    def __call__(self, entradas=None, *args, **kwargs):
        """Como en ``GANBasica``, ``gan(x)`` es ``gan.generador(x)``, y aquí ``x`` es ``[z, etiquetas]``. Con ``z``
        solo, Keras diría en inglés que al generador le falta una entrada."""
        if not (isinstance(entradas, (list, tuple, dict)) and len(entradas) == 2):
            raise ValueError(
                "Una GAN condicional necesita también la etiqueta de cada imagen: usa gan.muestrear(n) (clases 0, 1, "
                "2…), gan.generar(etiquetas, z) o gan.generador([z, etiquetas]), con z de forma (n, "
                f"{self.dim_latente}) y etiquetas de 0 a {self.clases - 1}.")
        return super().__call__(entradas, *args, **kwargs)

    def train_step(self, datos):
        reales, etiquetas = datos
        etiquetas = tf.reshape(tf.cast(etiquetas, "int32"), (-1, 1))  # (n,) o (n, 1): las dos valen
        z = self.ruido_latente(tf.shape(reales)[0])

        # Las generadas llevan las etiquetas del lote real: D compara parejas del mismo dígito.
        with tf.GradientTape() as cinta_g, tf.GradientTape() as cinta_d:
            falsas = self.generador([z, etiquetas], training=True)
            logits_reales = self.discriminador([reales, etiquetas], training=True)
            logits_falsos = self.discriminador([falsas, etiquetas], training=True)
            perdida_d = perdida_discriminador(logits_reales, logits_falsos, self.suavizado_etiquetas)
            perdida_g = perdida_generador(logits_falsos)
        return self.aplicar_paso(cinta_g, cinta_d, perdida_g, perdida_d, logits_reales, logits_falsos)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, *args, **kwargs):
        """El ``fit`` de ``BaseGAN`` (en modo rápido, como mucho ``EPOCAS_RAPIDAS`` épocas).

        ``x``: lo que da ``a_dataset_condicional``; también valen las imágenes en ``x`` y sus etiquetas en
        ``y`` (o la pareja en ``x``), que pasan por ``a_dataset_condicional`` con lotes de ``batch_size`` (32).
        Las etiquetas de cada lote se comprueban al pasar: una que no vale detiene el entrenamiento con un
        ``ValueError`` en español."""
        self.exigir_compilada()  # antes de preparar los datos, que en modo rápido ya escribe sus recortes
        if not isinstance(x, tf.data.Dataset):
            imagenes, etiquetas = (x if isinstance(x, (tuple, list)) and len(x) == 2 and y is None else (x, y))
            if etiquetas is None:
                raise ValueError("La GAN condicional entrena con imágenes y etiquetas: fit(imagenes, etiquetas) o "
                                 "fit(a_dataset_condicional(imagenes, etiquetas)).")
            if batch_size is not None and not es_entero(batch_size, 1):  # 0 daba lotes de 32 sin decir nada
                raise ValueError(f"batch_size={batch_size!r} no es válido: debe ser un entero positivo (parejas por paso; "
                                 "p. ej. 32 o 64), o nada para lotes de 32.")
            x, y = a_dataset_condicional(imagenes, etiquetas, lote=32 if batch_size is None else batch_size,
                                         clases=self.clases), None
            batch_size = None
        exigir_enteros(("epochs", epochs, 1))
        fallos = []
        try:
            return super().fit(_vigilar_etiquetas(x, self.clases, fallos), y, batch_size,
                               limitar(epochs, EPOCAS_RAPIDAS, "épocas"), *args, **kwargs)
        except tf.errors.InvalidArgumentError:
            if not fallos:
                raise
            # El mensaje de _etiquetas, sin la traza de TensorFlow que lo envuelve.
            raise ValueError(str(fallos[0])) from None

    def _comprobar_datos(self, datos, lote=None):
        """(Lo llama ``fit`` antes de entrenar.) ``ValueError`` en español si el ``tf.data.Dataset`` ``datos`` no
        trae parejas (imágenes, etiquetas) con imágenes de la forma del generador, si está vacío (``fit`` acabaría sin
        entrenar y sin avisar) o si en su primer lote hay etiquetas o imágenes que no valen (TensorFlow fallaría dentro
        del grafo, con un error en inglés, o la GAN entrenaría sin sentido, p. ej. con etiquetas de 1 a 10)."""
        espec = datos.element_spec
        if not (isinstance(espec, tuple) and len(espec) == 2):
            raise ValueError(
                "La GAN condicional entrena con parejas (imágenes, etiquetas): crea los datos con "
                "a_dataset_condicional(imagenes, etiquetas), no con a_dataset."
            )
        esperada = tuple(self.generador.output_shape[1:])
        if tuple(espec[0].shape) == esperada:
            raise ValueError("El conjunto de datos da parejas sueltas, sin agrupar en lotes: añade .batch(…) (p. ej. "
                             "datos.batch(32)) o créalo con a_dataset_condicional(imagenes, etiquetas, lote).")
        if (lote := primer_lote(datos)) is None:
            raise ValueError("No hay imágenes: el conjunto de datos está vacío.")
        imagenes_para_gan(lote[0].numpy(), "fit")  # primer_lote: sin gastar una época de los de a_dataset_condicional
        _etiquetas(lote[1].numpy(), self.clases)
        forma = tuple(espec[0].shape[1:])
        if None not in forma and forma != esperada:
            raise ValueError(
                f"Los datos traen imágenes de forma {forma} y el generador las hace de forma {esperada} (alto, ancho, "
                "canales): construye las dos redes con el tamaño y los canales de tus imágenes "
                "(construir_generador_condicional(tamano, canales) y construir_discriminador_condicional(tamano, "
                "canales)) o carga las imágenes a ese tamaño (p. ej. helpers.imagenes_digitos(tamano))."
            )

    def generar(self, etiquetas, z=None, semilla=None):
        """Una imagen por etiqueta (``(n,)`` enteros de 0 a ``clases - 1``): float32 ``(n, alto, ancho, canales)``
        en [-1, 1].

        ``z`` ``(n, dim_latente)``: los vectores latentes; si no se dan, se sortean con ``semilla``
        (un entero, o ``None`` para unos distintos cada vez).
        """
        etiquetas = _etiquetas(etiquetas, self.clases)
        if z is None:
            semilla = exigir_semilla(semilla, none_es_azar=True)  # Keras no acepta enteros de NumPy ni mayores de 2**32
            z = keras.random.normal((len(etiquetas), self.dim_latente), seed=semilla)
        try:
            z = np.asarray(z, np.float32)
        except (TypeError, ValueError):
            raise ValueError(f"z debe ser una matriz de números, ({len(etiquetas)}, {self.dim_latente}), o None para "
                             "sortearlos con semilla.") from None
        if z.shape != (len(etiquetas), self.dim_latente):
            raise ValueError(
                f"z tiene forma {z.shape} y debe ser {(len(etiquetas), self.dim_latente)}: un vector latente de "
                f"{self.dim_latente} números (el dim_latente de esta GAN) por etiqueta."
            )
        _exigir_finitos(z, f"({len(etiquetas)}, {self.dim_latente})")
        entradas = [tf.convert_to_tensor(z), tf.convert_to_tensor(etiquetas)]
        return np.asarray(self.generador(entradas, training=False), np.float32)

    def muestrear(self, n, semilla=None):
        """``n`` muestras con las clases 0, 1, …, ``clases - 1``, 0, 1… (como ``GANBasica.muestrear``)."""
        comprobar_muestreo(n, semilla)
        return self.generar(np.arange(n) % self.clases, semilla=semilla)

    def cuadricula_por_digito(self, z):
        """Una fila por dígito y una columna por vector latente de ``z`` ``(columnas, dim_latente)``:
        ``(clases · columnas, alto, ancho, canales)``. En cada columna el ruido es el mismo: cambia
        solo el dígito pedido."""
        try:
            z = np.asarray(z, np.float32)
        except (TypeError, ValueError):  # p. ej. un texto: NumPy lo diría en inglés
            raise ValueError(f"z debe ser una matriz de números, (columnas, {self.dim_latente}), p. ej. "
                             f"np.random.default_rng(0).normal(size=(8, {self.dim_latente})).") from None
        if z.ndim != 2 or z.shape[1] != self.dim_latente:
            raise ValueError(
                f"z tiene forma {z.shape} y debe ser (columnas, {self.dim_latente}): un vector latente de "
                f"{self.dim_latente} números (el dim_latente de esta GAN) por columna."
            )
        if not len(z):  # si no, generar diría que no hay etiquetas
            raise ValueError(f"z no tiene ningún vector latente: pasa al menos uno, forma (columnas, {self.dim_latente}), "
                             f"p. ej. np.random.default_rng(0).normal(size=(8, {self.dim_latente})).")
        _exigir_finitos(z, f"({len(z)}, {self.dim_latente})")
        return self.generar(np.repeat(np.arange(self.clases), len(z)), z=np.tile(z, (self.clases, 1)))


class CuadriculaPorDigito(keras.callbacks.Callback):
    """Guarda ``carpeta/muestras/epoca_XXXX.png`` (una fila por dígito, ``columnas`` vectores latentes
    fijos por ``semilla``) al final de cada época y, al terminar, ``carpeta/evolucion.gif``. Cada
    ``mostrar_cada`` épocas la muestra en el cuaderno (0 = nunca). Si la GAN ya se había entrenado (la
    celda de ``fit`` ejecutada otra vez), lo dice: ``fit`` sigue desde esos pesos."""

    def __init__(self, carpeta, columnas=8, semilla=SEMILLA_CUADRICULA, mostrar_cada=0):
        # "" sería la carpeta actual: on_train_begin borraría sus muestras/epoca_*.png y su evolucion.gif.
        carpeta = exigir_ruta("carpeta", carpeta, "la carpeta donde guardar los cuadros, p. ej. "
                              "helpers.carpeta_resultados(\"07_gan_condicional\")")
        # Un archivo: si no, fallaría en inglés al terminar la primera época.
        exigir_carpeta("carpeta", carpeta, "elige otra carpeta para los cuadros")
        exigir_enteros(("columnas", columnas, 1), ("mostrar_cada", mostrar_cada, 0))
        exigir_semilla(semilla)
        super().__init__()
        self.carpeta = carpeta
        self.columnas, self.semilla, self.mostrar_cada = columnas, semilla, mostrar_cada

    def on_train_begin(self, logs=None):
        if not isinstance(self.model, GANCondicional):  # si no, AttributeError en inglés al terminar la primera época
            raise ValueError(f"CuadriculaPorDigito dibuja una fila por dígito y necesita una GANCondicional, no una "
                             f"{type(self.model).__name__}: para las muestras de otra GAN usa helpers.MuestrasFijas(carpeta) "
                             "o entrénala con helpers.entrenar, que ya las guarda.")
        azar = np.random.default_rng(self.semilla)
        self.z = azar.normal(size=(self.columnas, self.model.dim_latente)).astype(np.float32)
        # De un entrenamiento anterior en la misma carpeta: si este se corta, que no pase por suyo.
        for cuadro in (self.carpeta / "muestras").glob("epoca_*.png"):
            cuadro.unlink()
        (self.carpeta / "evolucion.gif").unlink(missing_ok=True)
        avisar_si_ya_entrenada(self, f"sus cuadros sustituyen a los de «{self.carpeta / 'muestras'}» (la evolución "
                               "empieza en dígitos ya formados)", "Para empezar de cero, vuelve a ejecutar las celdas "
                               "que crean el generador, el discriminador y la GAN.")

    def on_epoch_end(self, epoca, logs=None):
        ruta = self.carpeta / "muestras" / f"epoca_{epoca + 1:04d}.png"
        mosaico = self.model.cuadricula_por_digito(self.z)
        ruta.parent.mkdir(parents=True, exist_ok=True)
        escribir_de_una_vez(ruta, lambda temporal: guardar_cuadricula(mosaico, temporal, columnas=self.columnas))
        if self.mostrar_cada and (epoca + 1) % self.mostrar_cada == 0:
            mostrar_png(ruta, f"Época {epoca + 1}: una fila por dígito, de 0 a {self.model.clases - 1}")

    def on_train_end(self, logs=None):
        crear_gif(self.carpeta / "muestras", self.carpeta / "evolucion.gif")


def aciertos_por_digito(gan, por_digito=100, semilla=0):
    """Fracción de muestras que el clasificador de dígitos (``metricas.clasificador_digitos``, entrenado
    con la reserva) asigna al dígito pedido: matriz NumPy ``(gan.clases,)`` con valores en [0, 1], uno por
    clase. El clasificador solo conoce los dígitos 0 a 9: una clase 10 o mayor nunca acierta.

    Mide si G obedece la etiqueta; un generador que ignora la etiqueta acierta ~0,1 por azar."""
    if not isinstance(gan, GANCondicional):
        raise ValueError(f"aciertos_por_digito recibe la GAN condicional entera (gan), no {type(gan).__name__}: "
                         "necesita saber cuántas clases tiene y cómo pedirle cada dígito.")
    if not es_entero(por_digito, 1):
        raise ValueError(f"por_digito={por_digito!r} debe ser un número entero de muestras por dígito, 1 o más (p. ej. 100).")
    if (canales := gan.generador.output_shape[-1]) != 1:  # si no, Keras fallaría en inglés dentro del clasificador
        raise ValueError(f"aciertos_por_digito mide con un clasificador de dígitos en gris (1 canal) y esta GAN hace "
                         f"imágenes de {canales} canales: úsalo con una GAN de canales=1; las de color, júzgalas a ojo "
                         "con helpers.mostrar_cuadricula(gan.cuadricula_por_digito(z)).")
    etiquetas = np.repeat(np.arange(gan.clases), por_digito)
    muestras = gan.generar(etiquetas, semilla=semilla)
    clasificador, _ = clasificador_digitos(muestras.shape[1])
    predichas = aplicar_por_lotes(clasificador, muestras).argmax(1)
    return np.array([np.mean(predichas[etiquetas == d] == d) for d in range(gan.clases)])
