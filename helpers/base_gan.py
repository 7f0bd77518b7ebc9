"""La parte de Keras que toda GAN del curso hace igual: ``BaseGAN``, de la que hereda ``GANBasica`` para que en
``gan_basica`` quede lo que hay que leer (las pérdidas, un optimizador por red y ``train_step``).

``BaseGAN`` es un ``keras.Model`` con:
- ``compile``: las opciones que van a Keras, con sus errores en español, y los pasos por llamada
  (``steps_per_execution``) de los que parte cada ``fit``;
- ``fit``: el de Keras con el avance en español (``Progreso``), ``DetenerSiNaN``, un Ctrl-C explicado y los datos
  comprobados antes de entrenar (``_comprobar_datos``, que cada GAN amplía); con los datos de ``a_dataset``, un solo
  iterador para todo ``fit`` (``_un_iterador_para_todo``) y, si hace falta, menos pasos por llamada, los que dividan
  cada época;
- ``make_train_function``: la primera llamada del paso, sin el registro de C de TensorFlow;
- con varias réplicas, los números al azar de cada una (``_al_azar``) y los optimizadores construidos antes del
  primer paso (``construir_optimizadores``);
- ``receta``, lo que guarda un punto de control, y ``save``, que explica cómo guardar el generador.

Da por hechos los atributos que pone ``GANBasica`` (``generador``, ``discriminador``, ``generador_aleatorio`` y, tras
``compile``, ``opt_generador`` y ``opt_discriminador``). Aquí no están las pérdidas, ``train_step`` ni el optimizador
de cada red (``gan_basica``), las comprobaciones de las redes y de los optimizadores (``comprobaciones_gan``) ni el
gradiente de cada réplica (``replicas``). No importa ``gan_basica``.
"""

import inspect
import warnings
import weakref

import keras
import numpy as np
import tensorflow as tf

from .comprobaciones_gan import forma_de_los_lotes, lista_de_callbacks
from .datos import (comprobar_dataset_gan, de_a_dataset, empezar_en_epoca, epoca_siguiente, epocas_seguidas,
                    imagenes_para_gan)
from .entorno import sin_registro_de_c
from .opciones import es_entero, exigir_enteros
from .progreso import DetenerSiNaN, LimiteDeTiempo, Progreso


def _mayor_divisor(numero, hasta):
    """El mayor divisor de ``numero`` que no pasa de ``hasta``: los pasos por llamada con los que cada época es un
    número entero de llamadas."""
    return max(d for d in range(1, hasta + 1) if numero % d == 0)


class _ContarEpocas(keras.callbacks.Callback):
    """Con ``datos.epocas_seguidas``, la época que dará el próximo recorrido de ``datos`` avanza al empezar cada
    época de ``fit``, como si la recorriera: si ``fit`` para antes (``LimiteDeTiempo``, un NaN, Ctrl-C), el próximo
    sigue con la época siguiente a la última que empezó."""

    def __init__(self, datos, primera):
        super().__init__()
        self.datos, self.siguiente = datos, primera

    def on_epoch_begin(self, epoca, logs=None):
        self.siguiente += 1
        empezar_en_epoca(self.datos, self.siguiente)


class _DevolverLaEpoca(keras.callbacks.Callback):
    """Con un iterador de ``datos`` por época y una estrategia (varias réplicas), Keras saca un lote de un iterador que
    luego tira, para construir el modelo dentro de ella, y ese recorrido cuenta como una época de ``datos``: al empezar
    el entrenamiento, su época siguiente vuelve a ser la de antes de ``fit``."""

    def __init__(self, datos):
        super().__init__()
        self.datos, self.epoca = datos, epoca_siguiente(datos)

    def on_train_begin(self, logs=None):
        empezar_en_epoca(self.datos, self.epoca)


class BaseGAN(keras.Model):
    """Lo que ``compile`` y ``fit`` hacen en todas las GAN del curso, sin el paso de entrenamiento (ver el docstring
    del módulo). No se usa sola: hereda de ella ``GANBasica``, y así ``GAN``, ``GANCondicional`` y tu ``MiGAN``."""

    # Lo que ``fit`` aconseja si las pérdidas se vuelven NaN (``DetenerSiNaN``); ``crear_gan`` y
    # ``crear_gan_juguete`` dan a sus GAN el suyo.
    consejo_si_nan = ("Prueba una tasa de aprendizaje menor: crea la GAN otra vez, compílala con "
                      "gan.compile(opt_generador=keras.optimizers.Adam(1e-4, beta_1=0.5), "
                      "opt_discriminador=keras.optimizers.Adam(1e-4, beta_1=0.5)) y vuelve a entrenarla.")

    def compile(self, **kwargs):
        """El ``compile`` de Keras sin ``optimizer`` ni ``loss`` (una GAN lleva un optimizador por red y sus pérdidas
        en ``train_step``), con sus errores en español; anota de cuántos pasos por llamada parte cada ``fit``."""
        if sobran := sorted(set(kwargs) & {"optimizer", "loss", "metrics", "loss_weights", "weighted_metrics"}):
            raise ValueError(f"Una GAN no usa {', '.join(sobran)} de compile: recibe un optimizador por red, "
                             "compile(opt_generador=…, opt_discriminador=…), y sus pérdidas están en train_step.")
        if desconocidas := sorted(set(kwargs) - set(inspect.signature(keras.Model.compile).parameters)):
            raise ValueError(f"compile no tiene {', '.join(desconocidas)} (¿una errata?): los optimizadores van en "
                             "opt_generador y opt_discriminador.")
        if self.distribute_strategy.num_replicas_in_sync > 1 and kwargs.get("steps_per_execution", 1) != 1:
            # Keras falla dentro de MirroredStrategy con varios pasos por llamada (keras-team/keras#19246), en inglés
            # y en el primer paso.
            raise ValueError(f"steps_per_execution={kwargs['steps_per_execution']!r} no funciona con varias GPU "
                             "(varias réplicas): quítalo (con varias réplicas se usa 1) o entrena con una sola GPU "
                             "(estrategia=None en crear_gan o en entrenar_carpeta, --una-gpu en la terminal).")
        super().compile(**kwargs)
        # Los pasos por llamada de los que parte cada fit (el valor de Keras puede bajar para los datos de un fit) y
        # los de la función de entrenamiento ya trazada (ninguna tras compile).
        self._pasos_de_compile, self._pasos_trazados = self.steps_per_execution, None

    def construir_optimizadores(self):
        """Crea ya las variables de cada optimizador (en la estrategia de la GAN), no en el primer paso: con varias
        réplicas (``tf.distribute``) ese paso se ejecuta dentro de cada una y crearlas ahí falla, y en ``GAN`` D puede
        saltarse su actualización (``tf.cond``), y dentro de una rama tampoco se pueden crear. Construir uno ya
        construido no hace nada."""
        with self.distribute_strategy.scope():
            self.opt_generador.build(self.generador.trainable_variables)
            self.opt_discriminador.build(self.discriminador.trainable_variables)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None, *args, **kwargs):
        """El ``fit`` de Keras con el avance en español (``Progreso``) en lugar de la barra de Keras:
        ``verbose=1`` o ``"auto"``, una línea que se rehace; ``2``, una línea por época; ``0``, nada.
        Sin validación: una GAN no tiene etiquetas que predecir. Si una pérdida se vuelve NaN o infinita,
        se detiene al terminar esa época y dice qué probar (``DetenerSiNaN``, con ``consejo_si_nan``). Un
        Ctrl-C (o parar la celda) lanza un ``KeyboardInterrupt`` que lo explica, sin la traza de TensorFlow.
        ``steps_per_epoch`` da esos pasos en cada época (los pasos por llamada bajan a un divisor si hace falta), y si
        pide más lotes de los que tienen los datos, un ``ValueError`` lo explica antes de entrenar. Cada ``fit`` parte
        de los pasos por llamada de ``compile`` (``steps_per_execution``): si los baja para sus datos, es solo para
        ese ``fit`` (después, ``gan.steps_per_execution`` dice los que usó)."""
        self.exigir_compilada()
        if x is None:
            raise ValueError("fit necesita los datos: p. ej. fit(helpers.a_dataset(imagenes, lote=64), epochs=10).")
        if isinstance(x, tf.data.Dataset) and y is not None:  # Keras lo rechazaría en inglés
            raise ValueError("Con un tf.data.Dataset, fit no recibe y: las etiquetas, si las hay, ya van en sus lotes (p. ej. "
                             "los de a_dataset_condicional(imagenes, etiquetas)). Quita el segundo argumento: "
                             "gan.fit(datos, epochs=…).")
        exigir_enteros(("epochs", epochs, 1))
        self._comprobar_datos(x, batch_size)
        firma = inspect.signature(keras.Model.fit)
        if desconocidas := sorted(set(kwargs) - set(firma.parameters)):
            raise ValueError(f"fit no tiene {', '.join(desconocidas)} (¿una errata?): p. ej. epochs, callbacks, verbose, "
                             "steps_per_epoch.")
        # Por nombre, también los que llegan en su posición (validation_split es el 7.º de Keras).
        opciones = firma.bind_partial(
            self, x, y, batch_size, epochs, verbose, callbacks, *args, **kwargs).arguments
        if opciones.get("validation_data") is not None or opciones.get("validation_split"):
            raise ValueError("Una GAN no se valida con validation_data ni validation_split (no hay etiquetas que "
                             "predecir): quítalos y mide las muestras con helpers.metricas (SWD, KID).")
        del opciones["self"]
        callbacks = opciones["callbacks"] = lista_de_callbacks(callbacks)
        for red in (self.generador, self.discriminador):  # para _avisar_si_ya_entrenaron (sin impedir que se libere)
            red._gan_que_la_entrena = weakref.ref(self)
        if not any(isinstance(c, DetenerSiNaN) for c in callbacks):  # entrenar ya trae el suyo (PuntoDeControl)
            callbacks.append(DetenerSiNaN(self.consejo_si_nan))
        if verbose and not any(isinstance(c, Progreso) for c in callbacks):
            limite = next((c.segundos for c in callbacks if isinstance(c, LimiteDeTiempo)), None)
            callbacks.append(Progreso(verbose, limite_segundos=limite))
        opciones["verbose"] = 0
        pedidos = opciones.get("steps_per_epoch")
        self.steps_per_execution = self._pasos_de_compile  # los que bajó un fit anterior eran para sus datos
        if isinstance(x, tf.data.Dataset):  # ya llega barajado (a_dataset); Keras avisaría en inglés de que lo ignora
            opciones["shuffle"] = False
            # Más pasos que lotes: Keras acortaría cada época a los que hay, con un aviso en inglés.
            if es_entero(pedidos, 1) and 0 <= (lotes := int(x.cardinality())) < pedidos:
                raise ValueError(f"steps_per_epoch={pedidos} pide más lotes de los que tiene una época de tus datos "
                                 f"({lotes}): cada época pararía al acabarlos. Quita steps_per_epoch (cada época recorre "
                                 "todos los lotes) o, para épocas más largas, repite los datos: datos.repeat().")
            if pedidos is None:
                self._un_iterador_para_todo(opciones)
            if opciones["x"] is x and de_a_dataset(x):  # un iterador por época (steps_per_epoch, o sin llamadas enteras)
                callbacks.append(_DevolverLaEpoca(x))
        if es_entero(pedidos, 1) and pedidos % self.steps_per_execution:
            # La última llamada de cada época daría todos sus pasos, más de los pedidos: llamadas que dividan la época.
            self.steps_per_execution = _mayor_divisor(pedidos, self.steps_per_execution)
        if self.steps_per_execution != self._pasos_trazados:
            self.train_function = None  # la ya trazada da en cada llamada otros pasos (o aún no hay ninguna)
        try:
            with warnings.catch_warnings():
                if opciones.get("steps_per_epoch") is None:  # datos de longitud desconocida: acabarlos es lo normal
                    warnings.filterwarnings("ignore", message="Your input ran out of data")
                return super().fit(**opciones)
        except BaseException as error:
            for callback in callbacks:
                if isinstance(callback, Progreso):
                    callback.cortar()
            if not isinstance(error, KeyboardInterrupt):
                raise
            # Sin la traza de TensorFlow (decenas de líneas que no le dicen nada a quien paró la celda).
            raise KeyboardInterrupt("Entrenamiento interrumpido: la GAN conserva lo que aprendió hasta aquí. Si vuelves "
                                    "a llamar a fit, sigue desde ahí; para empezar de cero, vuelve a crearla.") from None

    def exigir_compilada(self):
        """``ValueError`` en español si aún no se llamó a ``compile`` (Keras lo diría en inglés, tras preparar los datos)."""
        if not self.compiled:
            raise ValueError("Falta compilar la GAN: antes de fit, llama a gan.compile(opt_generador=…, "
                             "opt_discriminador=…) con un optimizador para cada red (o gan.compile() para los del curso).")

    def _un_iterador_para_todo(self, opciones):
        """Con los datos de ``a_dataset``, un solo iterador para todo ``fit``: Keras crea dos en cada época, y
        rehacerlos pesa tanto como los pasos de una época de pocas imágenes (``benchmarks/epocas_cortas.py``). Solo
        si cada época es un número entero de llamadas: si no, una llamada seguiría con los lotes de la época
        siguiente. Los pasos por llamada (los de ``compile``) bajan al mayor divisor de los lotes por época, si así
        cada época no hace más de una llamada más que antes (con 31 lotes serían 31 llamadas de un paso en lugar de 4,
        y cada llamada también cuesta), salvo que la función de entrenamiento ya esté trazada con más. Si no es un
        número entero de llamadas, un iterador por época."""
        datos = opciones["x"]
        lotes = int(datos.cardinality())
        if not de_a_dataset(datos) or lotes <= 0:
            return
        divisor = _mayor_divisor(lotes, self.steps_per_execution)  # la llamada más larga que cabe un número entero de veces
        if lotes // divisor <= -(-lotes // self.steps_per_execution) + 1:
            self.steps_per_execution = divisor
        # Con la ya trazada si da más pasos por llamada: no hace más llamadas, y trazarla otra vez costaría segundos (en
        # comparar_recetas, del tiempo de la receta, que la traza antes con un solo lote).
        self.steps_per_execution = max(self.steps_per_execution, self._pasos_trazados or 0)
        opciones["steps_per_epoch"] = lotes  # si no, Keras crea dos iteradores en cada época y no uno
        if lotes % self.steps_per_execution == 0:
            epocas = max(opciones.get("epochs", 1) - opciones.get("initial_epoch", 0), 1)
            opciones["x"], primera = epocas_seguidas(datos, epocas)
            opciones["callbacks"].append(_ContarEpocas(datos, primera))

    def _comprobar_datos(self, datos, lote=None):
        """``ValueError`` en español si las muestras de ``datos`` no tienen la forma de las del generador o si
        un ``tf.data.Dataset`` no viene en lotes (los errores de TensorFlow llegarían desde dentro del
        discriminador, en inglés). Si son imágenes, también que estén en [-1, 1] (en un ``tf.data``, su
        primer lote): en [0, 255], la GAN entrenaría sin avisar y sin aprender nada. ``lote``: el
        ``batch_size`` de ``fit``, para las subclases que lo necesitan."""
        esperada = tuple(self.generador.output_shape[1:])
        if len(esperada) == 3 and isinstance(datos, tf.data.Dataset):
            comprobar_dataset_gan(datos)
        elif len(esperada) == 3 and isinstance(datos, (np.ndarray, tf.Tensor, list, tuple)):
            imagenes_para_gan(datos, "fit")
        if isinstance(getattr(datos, "element_spec", None), dict):  # p. ej. los de tensorflow_datasets
            raise ValueError(
                f"El conjunto de datos da diccionarios (claves: {', '.join(map(str, datos.element_spec))}) y fit espera "
                "lotes de imágenes o parejas (imágenes, etiquetas): quédate con las imágenes, p. ej. "
                "datos.map(lambda ejemplo: ejemplo['image']), y pásalas a [-1, 1]."
            )
        forma = forma_de_los_lotes(datos)
        if hasattr(datos, "element_spec") and forma == esperada:
            raise ValueError(
                f"El conjunto de datos da muestras sueltas, de forma {forma}, sin agrupar en lotes: añade .batch(…) "
                "(p. ej. datos.batch(32)) o créalo con helpers.a_dataset(imagenes, lote) (a_dataset_juguete para la GAN "
                "de juguete), que baraja y agrupa."
            )
        forma = forma[1:]
        if forma and None not in forma and forma != esperada and len(esperada) == 1:  # la GAN de juguete: vectores
            raise ValueError(
                f"Los datos traen muestras de forma {forma} y el generador las hace de forma {esperada}: crea la GAN "
                "de juguete con dim_datos igual a la dimensión de tus datos (crear_gan_juguete(dim_datos=1) para la "
                "mezcla de 1-D, dim_datos=2 para el anillo)."
            )
        if forma and None not in forma and forma != esperada:
            raise ValueError(
                f"Los datos traen muestras de forma {forma} y el generador las hace de forma {esperada} (alto, "
                "ancho, canales): crea la GAN con redes del tamaño y los canales de tus imágenes (crear_gan(tamano, "
                "canales), o tu generador y tu discriminador con esa forma) o cárgalas a ese tamaño (p. ej. "
                "helpers.cargar_imagenes(..., tamano=...))."
            )

    def make_train_function(self, force=False):
        if self.train_function is not None and not force:
            return self.train_function
        super().make_train_function(force)
        self._pasos_trazados = self.steps_per_execution
        # Al preparar la primera llamada, TensorFlow intenta fusionar convolución, sesgo y LeakyReLU, a
        # veces no puede (2.20, el de Colab) y lo cuenta en la celda en inglés («remapper failed: …
        # Mutation::Apply error»). Es inofensivo: esa llamada se hace sin la salida de error de C.
        funcion = self.train_function

        def primera_llamada(*args, **kwargs):
            self.train_function = funcion  # las siguientes, directas
            with sin_registro_de_c():
                return funcion(*args, **kwargs)

        self.train_function = primera_llamada
        return self.train_function

    def receta(self):
        """Lo que decide cómo entrena, aparte de las formas de las redes: ``{opción: valor}`` (valores de
        JSON). Un punto de control guarda la de ``compile`` y solo se reanuda con la misma
        (``punto_de_control.restaurar_estado``): la tasa de aprendizaje, p. ej., se guarda con el optimizador y
        seguir con la anterior sería callarlo."""
        receta = {"clase": type(self).__name__}
        for nombre in ("opt_generador", "opt_discriminador"):
            optimizador = getattr(self, nombre)
            optimizador = getattr(optimizador, "inner_optimizer", optimizador)  # sin el de la precisión mixta
            configuracion = optimizador.get_config()
            receta[nombre] = type(optimizador).__name__
            for clave in ("learning_rate", "beta_1", "beta_2"):
                if clave in configuracion:
                    receta[f"{nombre}.{clave}"] = configuracion[clave]
        return receta

    def _al_azar(self, distribucion, forma):
        """Números al azar (float32) de ``forma`` = ``(n, ...)`` para las ``n`` muestras de esta réplica.

        Con varias réplicas, cada una sortea los del lote completo y toma su trozo: si no, todas sortearían los
        mismos, y el entrenamiento repite así la secuencia de números de un solo dispositivo. Fuera de un paso (sin
        réplica, p. ej. dentro de ``estrategia.scope()``), los ``n`` pedidos, como con una."""
        contexto = tf.distribute.get_replica_context()
        replicas = contexto.num_replicas_in_sync if contexto else 1
        if replicas == 1:
            return distribucion(forma, seed=self.generador_aleatorio)
        n, replica = forma[0], contexto.replica_id_in_sync_group
        todos = distribucion((n * replicas, *forma[1:]), seed=self.generador_aleatorio)
        return todos[replica * n : (replica + 1) * n]

    def save(self, *args, **kwargs):
        raise TypeError(
            "Una GAN no se guarda entera: guarda el generador con gan.generador.save('generador.keras') "
            "(o gan.generador_para_muestras().save(...) si usas la media móvil). Para continuar un "
            "entrenamiento, usa helpers.entrenar, que guarda un punto de control en su carpeta."
        )
