"""Entorno de ejecución: modo rápido, resultados, semillas, versiones, dispositivo, precisión mixta y Colab.

El modo rápido (variable de entorno ``CURSO_GAN_RAPIDO=1``) se lee solo aquí: los demás módulos
preguntan con ``modo_rapido()`` o recortan su trabajo con ``limitar(valor, maximo_rapido)`` (y una colección
con ``repartidos(n, maximo_rapido)``, que no se queda con los primeros). La
carpeta de resultados (``CURSO_GAN_RESULTADOS``, por defecto ``resultados``) también: ``carpeta_resultados``.

Lo que usan todos los módulos sin depender de dónde se ejecuta el kit tiene su propio módulo: los textos de los
mensajes, ``textos``; la comprobación de las opciones, ``opciones``; los errores explicados, ``errores``, y la línea
del estudiante, ``estudiante``. Este módulo usa los tres primeros; ninguno de los cuatro importa este.
"""

import contextlib
import errno
import functools
import logging
import os
import platform
import random
import re
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np

from .archivos import tiene_solo
from .errores import explicar_y_aconsejar
from .opciones import exigir_carpeta, exigir_ruta, exigir_semilla
from .textos import miles

VARIABLE_RAPIDO = "CURSO_GAN_RAPIDO"
VARIABLE_RESULTADOS = "CURSO_GAN_RESULTADOS"
LIMITE_RANGO = 1.01  # las imágenes van de -1 a 1; lo que se pase de esto no es redondeo


# Lo que puede valer CURSO_GAN_RAPIDO, en minúsculas, y si activa el modo rápido.
VALORES_RAPIDO = {**dict.fromkeys(("1", "true", "si", "sí", "yes", "on"), True),
                  **dict.fromkeys(("", "0", "false", "no", "off"), False)}


def modo_rapido():
    """``True`` si ``CURSO_GAN_RAPIDO`` vale 1 (o true/sí): los ayudantes recortan el trabajo. Con
    un valor que no se entiende avisa (una vez) y sigue en modo completo."""
    valor = os.environ.get(VARIABLE_RAPIDO, "").strip().lower()
    if valor not in VALORES_RAPIDO:
        _avisar_valor_rapido(valor)
    return VALORES_RAPIDO.get(valor, False)


@functools.lru_cache(maxsize=None)
def _avisar_valor_rapido(valor):
    warnings.warn(f"{VARIABLE_RAPIDO}={valor!r} no se entiende: usa 1 para el modo rápido o 0 para el completo. "
                  "Sigo en modo completo.", stacklevel=3)


def limitar(valor, maximo_rapido, que=None):
    """Devuelve ``valor`` tal cual, o como mucho ``maximo_rapido`` en modo rápido. Con ``que`` (p. ej.
    ``"épocas"``), si recorta lo dice: quien pidió 30 épocas y ve 20 sabe por qué."""
    if not modo_rapido() or valor <= maximo_rapido:
        return valor
    if que:
        print(f"Modo rápido: como mucho {miles(maximo_rapido)} {que} en lugar de {miles(valor)}.")
    return maximo_rapido


def repartidos(n, maximo_rapido, que=None):
    """Índices de los elementos que se usan de una colección de ``n``: todos (``0 … n-1``) o, en modo rápido,
    como mucho ``maximo_rapido`` repartidos a intervalos iguales por toda la colección, en orden y siempre
    los mismos. No los primeros: unas imágenes ordenadas por clase o por carpeta darían solo las primeras
    clases o carpetas. ``que``: como en ``limitar``."""
    cuantos = limitar(n, maximo_rapido, que)
    return np.arange(n) if cuantos >= n else np.arange(cuantos) * n // cuantos


def carpeta_resultados(*partes):
    """Ruta bajo la carpeta de resultados del curso: ``resultados/partes…`` (relativa a donde trabajas).

    Con la variable de entorno ``CURSO_GAN_RESULTADOS`` la raíz es esa carpeta en lugar de
    ``resultados``: las pruebas la apuntan a una carpeta temporal nueva, para que cada ejecución de
    los cuadernos empiece de cero y no deje archivos en el repositorio. No crea nada.
    """
    return Path(os.environ.get(VARIABLE_RESULTADOS) or "resultados", *map(str, partes))


def comprobar_backend():
    """``ImportError`` en español si Keras va a usar otro backend que TensorFlow (``KERAS_BACKEND``).

    El kit usa TensorFlow directamente (``tf.data``, ``tf.function``, ``tf.distribute``), así que con
    JAX o PyTorch fallaría más adelante con errores difíciles de entender.
    """
    backend = os.environ.get("KERAS_BACKEND", "tensorflow").strip().lower()
    if backend != "tensorflow":
        raise ImportError(
            f"KERAS_BACKEND={backend}: el curso necesita TensorFlow como backend de Keras. Quita la variable "
            "(o pon KERAS_BACKEND=tensorflow) antes de importar helpers; en Colab, reinicia el entorno de ejecución."
        )


# Las versiones más antiguas con las que pasan las pruebas del curso (las mismas que pyproject.toml).
VERSIONES_MINIMAS = {"TensorFlow": (2, 16), "Keras": (3, 13)}


def partes_de_version(version):
    """«3.16.0.dev2026» → ``(3, 16, 0)``, para comparar versiones; ``()`` sin cifras."""
    return tuple(int(parte) for parte in re.findall(r"\d+", version)[:3])


def comprobar_version(biblioteca, version):
    """``ImportError`` en español si ``version`` (p. ej. ``keras.__version__``) es anterior a la mínima del
    curso para ``biblioteca`` («TensorFlow» o «Keras»): con una anterior el kit fallaría más adelante,
    en inglés y lejos de la causa."""
    minima = VERSIONES_MINIMAS[biblioteca]
    if partes_de_version(version)[:2] >= minima:
        return
    requisito = f"{biblioteca.lower()}>={minima[0]}.{minima[1]}"
    raise ImportError(
        f"El curso necesita {biblioteca} {minima[0]}.{minima[1]} o posterior y tienes la versión {version}"
        + (" (Keras 2 no sirve: el curso usa Keras 3)" if biblioteca == "Keras" and version.startswith("2.") else "")
        + f': actualiza {biblioteca} con pip install -U "{requisito}" (en un cuaderno, %pip install -U "{requisito}") y '
        "reinicia el núcleo (en Colab, el entorno de ejecución). Las versiones probadas están en requirements.txt, "
        "y las mínimas (las de un Mac con Intel), en .ci/minimas-restricciones.txt."
    )


def fijar_semilla(semilla=0):
    """Fija las semillas de Python, NumPy, TensorFlow y Keras para obtener ejecuciones repetibles."""
    import keras

    semilla = exigir_semilla(semilla)
    random.seed(semilla)
    np.random.seed(semilla)
    keras.utils.set_random_seed(semilla)


def en_colab():
    """``True`` si el código se ejecuta dentro de Google Colab."""
    return "google.colab" in sys.modules


def guardar_subida(subida, carpeta):
    """Guarda lo que devuelve ``google.colab.files.upload()`` (``{nombre: bytes}``) en una subcarpeta nueva de
    ``carpeta`` y devuelve lo que hay que leer: el ``.zip``, si subiste uno, o esa subcarpeta con tus fotos.
    Cada subida va a su propia subcarpeta: lo de una subida anterior (en Drive se conserva) no se mezcla. Si una
    subida anterior tiene exactamente los mismos archivos (``tiene_solo``), se usa la suya y no se escribe nada:
    subir lo mismo en cada «ejecutar todo» no llena tu Drive (ni su papelera). Otra cosa (``files.upload`` sin
    llamar, una ruta…) o una ``carpeta`` que no lo es, ``ValueError`` que dice qué pasar."""
    if not isinstance(subida, dict) or not all(isinstance(nombre, str) and isinstance(contenido, (bytes, bytearray))
                                               for nombre, contenido in subida.items()):
        llega = ("la función sin llamar: faltan los paréntesis, files.upload()" if callable(subida) else
                 "un diccionario que no es de nombres y bytes" if isinstance(subida, dict) else type(subida).__name__)
        raise ValueError(f"guardar_subida recibe lo que devuelve files.upload() de Colab, un diccionario "
                         f"{{nombre: bytes}}, y llega {llega}. Si ya tienes tus fotos en una carpeta o un .zip, no hace "
                         "falta: pasa su ruta a preparar_imagenes.")
    carpeta = exigir_ruta("carpeta", carpeta, "la carpeta donde guardar lo que subes")
    exigir_carpeta("carpeta", carpeta, "elige otra carpeta para lo que subes")
    if not subida:
        raise ValueError("No subiste ningún archivo (¿cerraste la ventana?): vuelve a ejecutar la celda y elige tus "
                         "fotos o un .zip.")
    nombres = {nombre: Path(nombre).name for nombre in subida}  # solo el nombre: nada fuera de la carpeta
    if raros := [nombre for nombre, final in nombres.items() if final in ("", ".", "..", ".zip")]:
        raise ValueError(f"No sé guardar un archivo llamado «{raros[0]}»: cámbiale el nombre y vuelve a subirlo.")
    if len(set(nombres.values())) < len(nombres):
        raise ValueError("Subiste dos archivos con el mismo nombre: cámbiale el nombre a uno y vuelve a subirlos.")
    zips = [nombre for nombre in subida if nombre.lower().endswith(".zip")]
    if zips and len(subida) > 1:
        que = "varios .zip" if len(zips) > 1 else "un .zip junto con otros archivos"
        raise ValueError(f"Subiste {que}: sube un solo .zip o solo fotos sueltas, y vuelve a ejecutar la celda.")
    carpeta.mkdir(parents=True, exist_ok=True)
    archivos = {nombres[nombre]: contenido for nombre, contenido in subida.items()}
    # Por la fecha con la que empieza el nombre: la más reciente primero.
    if destino := next((otra for otra in sorted(carpeta.iterdir(), reverse=True) if tiene_solo(otra, archivos)), None):
        print(f"Ya subiste exactamente estos archivos a «{destino}»: uso esa carpeta y no guardo otra copia.")
    else:
        destino = Path(tempfile.mkdtemp(prefix=time.strftime("%Y-%m-%d_%H-%M-%S_"), dir=carpeta))
        try:
            for nombre, contenido in archivos.items():
                (destino / nombre).write_bytes(contenido)
        except OSError as error:  # p. ej. el disco lleno: sin una subida a medias que parezca completa
            shutil.rmtree(destino, ignore_errors=True)
            if (texto := explicar_y_aconsejar(error, "vuelve a subirlo")) is None:
                raise
            raise OSError(f"No se pudo guardar lo que subiste: {texto}") from None
    return destino / nombres[zips[0]] if zips else destino


def capacidad_gpu():
    """Capacidad de cómputo ``(mayor, menor)`` de la primera GPU NVIDIA, o ``None`` si no hay GPU."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return None
    return tf.config.experimental.get_device_details(gpus[0]).get("compute_capability")


def modelo_cpu():
    """Nombre del procesador (``/proc/cpuinfo`` en Linux; si no, lo que sepa ``platform``): una
    medida de tiempo es un dato de esa CPU, así que cada benchmark lo imprime."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            return next(linea.split(":", 1)[1].strip() for linea in cpuinfo if linea.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine() or "desconocido"


def describir_dispositivo():
    """Texto corto con el dispositivo que usará TensorFlow, p. ej. ``'GPU: NVIDIA T4 (capacidad 7.5)'``
    o ``'CPU Intel Xeon … (2 núcleos); sin GPU'``."""
    import tensorflow as tf

    gpus = tf.config.list_physical_devices("GPU")
    if not gpus:
        return f"CPU {modelo_cpu()} ({os.cpu_count()} núcleos); sin GPU"
    detalles = tf.config.experimental.get_device_details(gpus[0])
    nombre = detalles.get("device_name", gpus[0].name)
    capacidad = detalles.get("compute_capability")
    return f"GPU: {nombre}" + (f" (capacidad {capacidad[0]}.{capacidad[1]})" if capacidad else "")


def politica_precision(capacidad=None):
    """Política de precisión adecuada a una GPU de capacidad ``capacidad`` (``None`` = CPU).

    - CPU: ``'float32'`` (la media precisión no acelera en CPU);
    - GPU de capacidad < 7 (Pascal: P100, GTX 10xx): ``'float32'``, porque no tienen núcleos
      tensoriales y la media precisión no les ahorra tiempo;
    - GPU de capacidad 7.x (V100, T4): ``'mixed_float16'``, con escalado de la pérdida;
    - GPU de capacidad ≥ 8 (A100, L4, H100): ``'mixed_bfloat16'``, sin escalado de pérdida.
    """
    if capacidad is None or capacidad[0] < 7:
        return "float32"
    return "mixed_bfloat16" if capacidad[0] >= 8 else "mixed_float16"


def activar_precision_mixta():
    """Activa en Keras la política que conviene al dispositivo actual y devuelve su nombre."""
    import keras

    politica = politica_precision(capacidad_gpu())
    keras.mixed_precision.set_global_policy(politica)
    return politica


def jit_por_defecto():
    """``True`` si se compila el paso de entrenamiento con XLA: en una GPU NVIDIA o AMD sí; en CPU no,
    porque allí fue más lento en tres de los cuatro procesadores medidos, y sin él el kit va a la par del
    bucle del tutorial en los cuatro (``benchmarks/rendimiento_dcgan.py`` lo mide en tu máquina y dice si
    te conviene). Tampoco en la GPU de un Mac (``tensorflow-metal``) o la de DirectML en Windows: se ven
    como «GPU», pero llegan como complementos a un TensorFlow sin CUDA ni ROCm, y XLA no tiene
    compilador para ellas (el primer paso fallaría)."""
    import tensorflow as tf

    return bool(tf.config.list_logical_devices("GPU")) and tf.test.is_built_with_gpu_support()


def estrategia_por_defecto():
    """``tf.distribute.MirroredStrategy`` si hay varias GPU visibles (una copia del modelo en cada una,
    con los gradientes sumados entre ellas); ``None`` con una sola GPU o en CPU."""
    import tensorflow as tf

    if len(tf.config.list_logical_devices("GPU")) > 1:
        return tf.distribute.MirroredStrategy()
    return None


@contextlib.contextmanager
def sin_registro_de_c():
    """Tapa la salida de error de nivel C mientras dura el bloque.

    TensorFlow escribe avisos de CUDA al importarse, antes de leer ``TF_CPP_MIN_LOG_LEVEL``, y otros al
    preparar el primer paso de entrenamiento: solo se usa alrededor de ``import tensorflow`` y de esa
    primera llamada (``BaseGAN.make_train_function``). Los errores de Python se ven igual.
    """
    try:
        copia = os.dup(2)
    except OSError:
        yield
        return
    with open(os.devnull, "w") as nulo:
        os.dup2(nulo.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(copia, 2)
            os.close(copia)


@contextlib.contextmanager
def sin_aviso_de_trazar_de_nuevo():
    """Mientras dura el bloque (o la función que decora), TensorFlow no avisa de que vuelve a trazar funciones.

    Crear varias GAN seguidas, como hace ``comparar_recetas`` a propósito, traza el paso de cada una, y
    TensorFlow lo ve como un error de quien escribió el código: escribe en inglés «…triggered
    tf.function retracing…» y aconseja cambiar código que no es del estudiante. Los demás avisos siguen."""
    def filtro(registro):
        return "triggered tf.function retracing" not in registro.getMessage()

    registro = logging.getLogger("tensorflow")
    registro.addFilter(filtro)
    try:
        yield
    finally:
        registro.removeFilter(filtro)


@contextlib.contextmanager
def en_exclusiva(carpeta, ocupada):
    """Mientras dura el bloque, ningún otro proceso puede tomar ``carpeta`` (el que lo intenta recibe
    ``BlockingIOError`` con el mensaje ``ocupada``): dos ``entrenar`` o dos ``revisar`` a la vez mezclarían
    sus archivos.

    Es un cerrojo del sistema operativo sobre ``carpeta/.cerrojo``: se suelta solo cuando el proceso
    acaba, también si lo matan, así que nunca hay que borrarlo a mano. Donde el sistema de archivos
    no admite cerrojos (algunas unidades de red), se trabaja sin él."""
    try:
        archivo = open(carpeta / ".cerrojo", "a")
    except OSError as error:
        error.filename = str(carpeta)  # el mensaje nombra tu carpeta, no el archivo oculto del cerrojo
        raise
    with archivo:
        try:
            if os.name == "nt":
                import msvcrt

                archivo.seek(0)
                msvcrt.locking(archivo.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(archivo, fcntl.LOCK_EX | fcntl.LOCK_NB)
            cerrado = True
        except OSError as error:
            # Ocupado: EWOULDBLOCK en POSIX (BlockingIOError), EACCES o EDEADLOCK en Windows (EDEADLOCK solo existe
            # allí: en macOS, nombrarlo sería un AttributeError); otro error es un sistema de archivos sin cerrojos.
            if isinstance(error, BlockingIOError) or (os.name == "nt" and error.errno in (errno.EACCES, errno.EDEADLOCK)):
                raise BlockingIOError(ocupada) from None
            cerrado = False
        try:
            yield
        finally:
            if cerrado and os.name == "nt":  # Windows lo suelta al cerrar, pero «con un retraso sin especificar»
                archivo.seek(0)
                msvcrt.locking(archivo.fileno(), msvcrt.LK_UNLCK, 1)
