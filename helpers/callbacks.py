"""Callbacks de Keras para entrenar una GAN: muestras fijas, historial, GIF y puntos de control.

- ``MuestrasFijas``: al final de las épocas (como mucho una vez cada pocos segundos) genera una
  cuadrícula a partir de los *mismos* vectores latentes, la guarda como PNG (y la muestra en el
  cuaderno cada ``mostrar_cada`` épocas); al final arma ``evolucion.gif``.
- ``HistorialPerdidas``: guarda las métricas de cada época en ``historial.csv`` y dibuja ``perdidas.png``.
- ``SeguimientoMetrica``: mide la calidad (SWD) cada pocas épocas y guarda el generador de menor SWD.
- ``PuntoDeControl``: guarda pesos y estado de los optimizadores (como mucho una vez por minuto, y al
  terminar); si la pérdida, los pesos o las muestras se vuelven NaN, detiene el entrenamiento y vuelve
  al último estado sano.
- ``Cronometro``: separa el tiempo de ``fit`` en pasos de entrenamiento y lo demás.

El avance en pantalla y el límite de tiempo están en ``progreso.py``.
"""

import contextlib
import csv
import errno
import json
import math
import os
import re
import time
from pathlib import Path

import keras
import numpy as np

from .entorno import cifra, contar, es_entero
from .graficos import dibujar_curvas_metrica, dibujar_perdidas, guardar_cuadricula
from .metricas import aplicar_por_lotes, swd_promediada
from .progreso import DetenerSiNaN

ARCHIVO_ESTADO = "punto_de_control.npz"
SEMILLA_CUADRICULA = 1234  # la de los vectores latentes de MuestrasFijas (y de la cuadrícula de una entrega)
FORMATO_ESTADO = 2
# Variables del LossScaleOptimizer (solo existen con mixed_float16): se guardan, pero un punto de
# control puede reanudarse con otra política sin ellas.
_ESCALA_DE_PERDIDA = ("dynamic_scale", "step_counter")


def variables_con_nombre(gan):
    """Todo lo que un punto de control guarda para continuar exactamente donde se quedó, con un
    nombre estable por variable: ``{nombre: variable}``.

    Los pesos se nombran por red y posición (``generador/003_kernel``): la arquitectura fija su
    orden. El estado de los optimizadores se nombra por la variable a la que acompaña
    (``opt_generador/003_kernel/momentum``), así que un orden distinto no puede intercambiarlos.
    """
    if not hasattr(gan, "opt_generador"):
        raise RuntimeError("Llama a gan.compile(...) antes de guardar o restaurar un punto de control.")
    redes = {"generador": gan.generador, "discriminador": gan.discriminador}
    if getattr(gan, "generador_ema", None) is not None:
        redes["generador_ema"] = gan.generador_ema
    variables = {}
    for nombre, red in redes.items():
        for i, variable in enumerate(red.variables):
            variables[f"{nombre}/{i:03d}_{variable.name}"] = variable
    for nombre, optimizador, red in (
        ("opt_generador", gan.opt_generador, gan.generador),
        ("opt_discriminador", gan.opt_discriminador, gan.discriminador),
    ):
        variables.update(_variables_de_optimizador(nombre, optimizador, red))
    variables["estado/generador_aleatorio"] = gan.generador_aleatorio.state
    if hasattr(gan, "exactitud_reciente_d"):
        variables["estado/exactitud_reciente_d"] = gan.exactitud_reciente_d
    return variables


def _variables_de_optimizador(nombre, optimizador, red):
    """Las variables de ``optimizador`` nombradas por la variable de ``red`` a la que acompañan."""
    interno = optimizador
    variables = {}
    if isinstance(optimizador, keras.optimizers.LossScaleOptimizer):
        interno = optimizador.inner_optimizer
        for variable in (optimizador.dynamic_scale, optimizador.step_counter):
            variables[f"{nombre}/{variable.name}"] = variable
    # Keras nombra cada variable de estado como la ruta de su variable con «_» y un sufijo
    # (p. ej. «dense_kernel_momentum»); las propias del optimizador no llevan prefijo.
    prefijos = {v.path.replace("/", "_") + "_": f"{i:03d}_{v.name}" for i, v in enumerate(red.trainable_variables)}
    for variable in interno.variables:
        prefijo = max((p for p in prefijos if variable.name.startswith(p)), key=len, default=None)
        clave = f"{prefijos[prefijo]}/{variable.name[len(prefijo):]}" if prefijo else variable.name
        variables[f"{nombre}/{clave}"] = variable
    return variables


@contextlib.contextmanager
def con_la_ruta_pedida(temporal, ruta):
    """Un error del sistema operativo en el bloque sobre ``temporal`` (o sobre algo dentro, si es una carpeta) o sin
    archivo (el disco lleno al escribir) nombra ``ruta``, la que se pidió: el temporal está oculto y no dice
    nada a quien lee el mensaje (``explicar_error_del_sistema`` cita ``error.filename``). Los ``OSError`` del kit, que ya lo explican (sin ``errno``), siguen igual."""
    try:
        yield
    except OSError as error:
        archivo = error.filename
        oculto = isinstance(archivo, (str, os.PathLike)) and (Path(archivo) == temporal or temporal in Path(archivo).parents)
        if error.errno is not None and (archivo is None or oculto):
            error.filename = str(ruta)
        raise


def escribir_de_una_vez(ruta, escribir):
    """Escribe ``ruta`` con ``escribir(temporal)`` en un archivo temporal a su lado (con la misma
    extensión, que Keras y NumPy miran) que luego la reemplaza: un corte a mitad de la escritura deja
    la versión anterior intacta, nunca un archivo a medias.

    Antes de cambiarle el nombre se pide al sistema que escriba el temporal en el disco, y después la
    carpeta: tras un apagón (no solo un proceso matado) algunos sistemas de archivos dejarían si no el
    nombre nuevo con el archivo vacío."""
    ruta = Path(ruta)
    temporal = ruta.with_name(f".{ruta.stem}.tmp{ruta.suffix}")
    try:
        with con_la_ruta_pedida(temporal, ruta):
            escribir(temporal)
            with open(temporal, "r+b") as archivo:
                _forzar_al_disco(archivo.fileno())
    except BaseException:  # también Ctrl-C: no deja el temporal a medias
        with contextlib.suppress(OSError):  # en un disco de solo lectura, borrar también falla: cuenta el primer error
            temporal.unlink(missing_ok=True)
        raise
    os.replace(temporal, ruta)
    if os.name == "posix":  # Windows no deja abrir una carpeta para esto: allí basta con el archivo
        with contextlib.suppress(OSError):  # el archivo ya está guardado: esto solo lo hace más seguro
            carpeta = os.open(ruta.parent, os.O_RDONLY)
            try:
                os.fsync(carpeta)
            finally:
                os.close(carpeta)


def _forzar_al_disco(descriptor):
    """``os.fsync``, salvo donde el sistema de archivos no lo admite (algunas carpetas de red o
    montadas): ahí se sigue sin él. Un error de escritura de verdad sí se lanza."""
    try:
        os.fsync(descriptor)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise


def guardar_estado(gan, carpeta, epoca, valores=None, lote=None):
    """Guarda en ``carpeta/punto_de_control.npz`` (con ``escribir_de_una_vez``) el estado de la GAN
    (o ``valores``, una copia tomada antes con ``copiar_estado``), ``epoca``, la receta de ``compile`` y,
    si se da, el ``lote`` de los datos."""
    carpeta = Path(carpeta)
    carpeta.mkdir(parents=True, exist_ok=True)
    valores = valores if valores is not None else copiar_estado(gan)
    receta = _en_json(gan.receta_al_compilar)
    extra = {"lote": lote} if lote is not None else {}
    escribir_de_una_vez(carpeta / ARCHIVO_ESTADO, lambda temporal: np.savez(
        temporal, epoca=epoca, formato=FORMATO_ESTADO, receta=receta, **extra, **valores))


def copiar_estado(gan):
    """Copia en memoria (NumPy) de ``variables_con_nombre(gan)``."""
    return {nombre: variable.numpy() for nombre, variable in variables_con_nombre(gan).items()}


def nombre_apartado(ruta):
    """El nombre que proponen los mensajes para apartar un archivo dañado sin borrarlo: ``x.csv`` → ``x_roto.csv``."""
    ruta = Path(ruta)
    return f"{ruta.stem}_roto{ruta.suffix}"


def _leer_estado(ruta, nombres=None):
    """Las matrices ``nombres`` (por defecto, todas) del punto de control ``ruta``, ya leídas.

    Un archivo truncado, de texto o sin ``epoca`` lanza ``ValueError`` en español que lo nombra:
    NumPy y zipfile lanzan tipos muy distintos (y en inglés) según dónde esté el daño."""
    try:
        with np.load(ruta, allow_pickle=False) as guardado:
            valores = {nombre: guardado[nombre] for nombre in nombres or guardado.files}
        int(valores["epoca"])
    except Exception as error:
        raise ValueError(
            f"El punto de control «{ruta}» está dañado o incompleto ({error.__class__.__name__}), quizá por un "
            f"corte mientras se escribía o se copiaba. Renómbralo (p. ej. a {nombre_apartado(ruta)}) para "
            "empezar de cero en esa carpeta (si es la de una tarea, renombra también tarea.json; se sustituyen las "
            "curvas, las muestras y los generadores de antes: copia los que quieras conservar), o usa otra carpeta "
            "de resultados (en Python, el argumento carpeta de entrenar o salida de entrenar_carpeta; en la "
            "terminal, --salida)."
        ) from None
    return valores


def leer_csv(ruta, convertir):
    """Las filas del CSV ``ruta`` pasadas por ``convertir(fila)``. Uno dañado (otra cabecera, p. ej. tras
    guardarlo con una hoja de cálculo, o una línea cortada) lanza ``ValueError`` en español que lo nombra."""
    try:
        with open(ruta, newline="", encoding="utf-8") as archivo:
            return [convertir(fila) for fila in csv.DictReader(archivo)]
    except (KeyError, ValueError, TypeError, csv.Error):  # UnicodeDecodeError es un ValueError
        raise ValueError(
            f"«{ruta}» está dañado (¿lo guardó otro programa o se cortó?): renómbralo (p. ej. a "
            f"{nombre_apartado(ruta)}) y vuelve a continuar; el kit empieza uno nuevo desde esa época."
        ) from None


def epoca_guardada(carpeta):
    """Última época del punto de control de ``carpeta`` (0 si no hay ninguno); ``ValueError`` si está dañado."""
    ruta = Path(carpeta) / ARCHIVO_ESTADO
    if not ruta.exists():
        return 0
    return int(_leer_estado(ruta, ["epoca"])["epoca"])


def restaurar_estado(gan, carpeta, lote=None):
    """Carga el punto de control de ``carpeta`` en ``gan`` y devuelve la época guardada (0 si no hay).

    Sirve aunque la política de precisión haya cambiado (p. ej. guardado en GPU con
    ``mixed_float16`` y reanudado en CPU con ``float32``) o el número de GPU. Con otra arquitectura,
    otra receta (``GANBasica.receta``: tasas, pérdida, estabilizadores) u otro ``lote`` que el anotado al
    guardarlo lanza ``ValueError`` sin cargar nada."""
    ruta = Path(carpeta) / ARCHIVO_ESTADO
    if not ruta.exists():
        return 0
    variables = variables_con_nombre(gan)
    remedio = ("Usa otra carpeta de resultados (en Python, el argumento carpeta de entrenar o salida de "
               "entrenar_carpeta; en la terminal, --salida); con helpers.entrenar (o la demo de la "
               "terminal) también puedes empezar de cero en esta, que sustituye lo que haya en ella: continuar=False "
               "(en la demo, --desde-cero).")
    guardado = _leer_estado(ruta)
    if "formato" not in guardado:
        raise ValueError(
            f"El punto de control {ruta} es de una versión anterior del curso y no se puede reanudar. " + remedio
        )
    # Solo las opciones anotadas en los dos: un punto de control sin receta (o sin una opción que el kit
    # anotó después) se reanuda como entonces.
    antes, ahora = json.loads(str(guardado.get("receta", "{}"))), json.loads(_en_json(gan.receta_al_compilar))
    if distintas := [clave for clave in sorted(antes.keys() & ahora.keys()) if not _iguales(antes[clave], ahora[clave])]:
        clave = distintas[0]
        entonces, hoy = _dos_valores(antes[clave], ahora[clave])
        raise ValueError(
            f"El punto de control {ruta} es de otra receta ({clave}: {entonces} al guardarlo y {hoy} ahora): "
            "seguirlo mezclaría las dos en un mismo entrenamiento. " + remedio
        )
    if lote is not None and "lote" in guardado and int(guardado["lote"]) != lote:
        raise ValueError(
            f"El punto de control {ruta} se entrenó con lotes de {int(guardado['lote'])} imágenes y los datos de ahora "
            f"vienen en lotes de {lote}: seguirlo mezclaría los dos en un mismo entrenamiento. Para continuarlo, "
            f"vuelve a crear los datos con a_dataset(imagenes, lote={int(guardado['lote'])}); para probar el lote nuevo, "
            "crea la GAN de nuevo (crear_gan) y usa otra carpeta de resultados o empieza de cero en esta con "
            "continuar=False (sustituye lo que haya en ella)."
        )
    opcional = {n for n in [*variables, *guardado] if n.rsplit("/", 1)[-1] in _ESCALA_DE_PERDIDA}
    faltan = sorted(set(variables) - set(guardado) - opcional)
    sobran = sorted(set(guardado) - set(variables) - opcional - {"epoca", "formato", "receta", "lote"})
    if faltan or sobran:
        diferencia = (faltan or sobran)[0]
        raise ValueError(
            f"El punto de control {ruta} no corresponde a esta GAN (otra arquitectura u opciones: "
            f"{'falta' if faltan else 'sobra'} «{diferencia}»). " + remedio
        )
    for nombre, variable in variables.items():
        if nombre not in guardado:
            continue
        valor = guardado[nombre]
        if tuple(valor.shape) != tuple(variable.shape):
            raise ValueError(
                f"El punto de control {ruta} tiene «{nombre}» de forma {valor.shape} donde esta GAN "
                f"espera {tuple(variable.shape)}. " + remedio
            )
        variable.assign(valor)
    return int(guardado["epoca"])


def _en_json(receta):
    """La receta como texto JSON; los números de NumPy, como números."""
    return json.dumps(receta, sort_keys=True, default=lambda v: v.item() if isinstance(v, np.generic) else str(v))


def _iguales(antes, ahora):
    """Iguales, o casi si son números: 0,1 de Python y el mismo de float32 son la misma opción."""
    if isinstance(antes, float) or isinstance(ahora, float):
        return isinstance(antes, (int, float)) and isinstance(ahora, (int, float)) and math.isclose(antes, ahora, rel_tol=1e-6)
    return antes == ahora


def _dos_valores(antes, ahora):
    """Dos valores distintos de una opción para un mensaje, con las cifras justas para que se distingan:
    0,0002 y no 0.00019999999494757503."""
    if isinstance(antes, float) and isinstance(ahora, float):
        for cifras in (3, 6, 9):
            textos = cifra(antes, significativas=cifras), cifra(ahora, significativas=cifras)
            if textos[0] != textos[1]:
                return textos
    return _valor_de_receta(antes), _valor_de_receta(ahora)


def _valor_de_receta(valor):
    """Un valor de la receta como se lee en un mensaje: las listas sin corchetes ni comillas, y vacías, «ninguno»."""
    if isinstance(valor, (list, tuple)):
        return ", ".join(map(str, valor)) or "ninguno"
    return repr(valor)


# Como mucho una copia en memoria del estado por segundo (ver PuntoDeControl).
COPIA_CADA_SEGUNDOS = 1.0


class PuntoDeControl(DetenerSiNaN):
    """Guarda el estado cada ``cada_segundos`` (y al terminar) si es sano: métricas y pesos finitos y
    un generador que da imágenes finitas. Ante un NaN, detiene el entrenamiento (como ``DetenerSiNaN``, que
    amplía) y vuelve al último estado sano de este entrenamiento.

    Copia el estado sano en memoria tras la primera época, tras la última y entre medias como mucho una
    vez por ``COPIA_CADA_SEGUNDOS`` (con épocas cortas, copiarlo en cada una se notaría): un Ctrl-C pierde
    como mucho ese segundo y la época en curso. Escribirlo a disco cuesta más, así que se hace como
    mucho una vez por ``cada_segundos``: una desconexión sin aviso pierde como mucho ese tiempo.
    ``epoca_inicial`` > 0 indica que este entrenamiento continúa el punto de control de ``carpeta``;
    ``lote``, el de los datos, se anota para que no se continúe con otro (``restaurar_estado``); con
    ``None`` (una matriz: Keras elige el lote) se conserva el que anotó el punto de control que continúa.
    """

    def __init__(self, carpeta, cada_segundos=60.0, epoca_inicial=0, lote=None):
        super().__init__()
        self.carpeta = Path(carpeta)
        if lote is None and epoca_inicial:
            with np.load(self.carpeta / ARCHIVO_ESTADO, allow_pickle=False) as guardado:
                lote = int(guardado["lote"]) if "lote" in guardado.files else None
        self.lote = lote
        self.cada_segundos = cada_segundos
        self.epoca_guardada = epoca_inicial or None
        self.sano = None
        self.ultima_copia = -math.inf
        self.epoca_terminada = None  # la última época terminada y los pasos dados hasta su final
        self.pasos_al_terminar = None

    def on_train_begin(self, logs=None):
        self.ultima_escritura = time.perf_counter()

    def on_epoch_end(self, epoca, logs=None):
        if problema := self.metricas_no_finitas(logs):
            self._detener(problema, epoca)
            return
        self.epoca_terminada, self.pasos_al_terminar = epoca + 1, self._pasos()
        ahora = time.perf_counter()
        toca_escribir = ahora - self.ultima_escritura >= self.cada_segundos
        if toca_escribir or ahora - self.ultima_copia >= min(COPIA_CADA_SEGUNDOS, self.cada_segundos):
            self._copiar_si_es_sano(epoca)
            if toca_escribir and not self.inestable:
                self._escribir()

    def _copiar_si_es_sano(self, epoca):
        # Las pérdidas de la época se miden antes de su última actualización, que aún puede romper
        # la GAN: por eso se comprueba también el estado que se guardaría.
        valores = copiar_estado(self.model)
        if self._es_sano(valores):
            self.sano = (epoca + 1, valores)
            self.ultima_copia = time.perf_counter()
        else:
            self._detener("Los pesos de la GAN o las imágenes del generador se volvieron NaN o infinitos", epoca)

    def _detener(self, problema, epoca):
        # Sin una época sana (ni un punto de control del que se siguiera), no hay estado al que volver.
        # El consejo lo imprime entrenar, tras volver a ese estado.
        vuelta = " y la GAN vuelve a su último estado sano" if self.sano or self.epoca_guardada else ""
        self.detener(epoca, problema, f"{vuelta}.")

    def _es_sano(self, valores):
        """``True`` si todos los valores reales de ``valores`` son finitos y el generador de las muestras
        da imágenes finitas con unos pocos vectores latentes (pesos finitos pero enormes ya dan NaN)."""
        if not all(np.isfinite(v).all() for v in valores.values() if v.dtype.kind not in "biu"):
            return False
        ruido = np.random.default_rng(0).normal(size=(8, self.model.dim_latente)).astype(np.float32)
        # predict_on_batch reutiliza su función compilada: más barato que una llamada eager en cada época.
        return bool(np.isfinite(self.model.generador_para_muestras().predict_on_batch(ruido)).all())

    def on_train_end(self, logs=None):
        self.guardar_pendiente()

    def _pasos(self):
        return int(self.model.opt_generador.iterations.numpy()), int(self.model.opt_discriminador.iterations.numpy())

    def guardar_pendiente(self):
        """Escribe el último estado sano si aún no está en disco (al terminar o ante un Ctrl-C). Si la GAN
        no ha dado ningún paso desde el final de una época, es el de esa época, aunque aún no se hubiera
        copiado. Tras un NaN (en esa época o en una anterior), la GAN en memoria vuelve también al último
        estado sano, como dice el aviso, y no solo el punto de control: un Ctrl-C mientras ``fit`` termina
        se salta la vuelta que ``entrenar`` hace después."""
        copiada = self.sano[0] if self.sano else None
        sin_copiar = self.epoca_terminada is not None and self.epoca_terminada != copiada
        # Con precisión mixta, un paso descartado por desbordar la escala de la pérdida no cuenta: deja igual los
        # pesos y los optimizadores (solo baja la escala y mueve BatchNorm y la media móvil), así que se reanuda bien
        # desde esa época, que vuelve a entrenarse entera.
        if sin_copiar and not self.inestable and self._pasos() == self.pasos_al_terminar:
            self._copiar_si_es_sano(self.epoca_terminada - 1)
        if self.inestable:
            self.volver_al_ultimo_estado_sano()
        if self.sano and self.sano[0] != self.epoca_guardada:
            self._escribir()

    def _escribir(self):
        epoca, valores = self.sano
        guardar_estado(self.model, self.carpeta, epoca, valores, self.lote)
        self.epoca_guardada = epoca
        self.ultima_escritura = time.perf_counter()

    def volver_al_ultimo_estado_sano(self):
        """Tras un NaN: carga en la GAN el último estado sano de este entrenamiento y devuelve su
        época, o ``None`` si no llegó a haber ninguno (ni un punto de control del que se continuara)."""
        if self.sano:
            for nombre, variable in variables_con_nombre(self.model).items():
                variable.assign(self.sano[1][nombre])
            return self.sano[0]
        if self.epoca_guardada:
            return restaurar_estado(self.model, self.carpeta)
        return None


class MuestrasFijas(keras.callbacks.Callback):
    """Cuadrícula de ``n`` muestras de vectores latentes fijos (``semilla``) al final de las épocas.

    Guarda ``carpeta/muestras/epoca_0001.png``, … como mucho una vez cada ``cada_segundos`` (y
    siempre la primera época, la última y las que se muestran en el cuaderno cada ``mostrar_cada``)
    y, al terminar, ``carpeta/evolucion.gif``. Al empezar borra los cuadros posteriores a
    ``epoca_inicial``: son de un entrenamiento anterior que este sobrescribe. Con ``fit`` directamente, si
    la GAN ya se había entrenado (la celda de ``fit`` ejecutada otra vez), lo dice: las épocas vuelven a
    contar desde 1 y sus cuadros sustituyen a los de antes. Una época cuyo generador da NaN o infinitos
    no tiene cuadro (sería gris): ``PuntoDeControl`` la detiene y lo dice.
    """

    def __init__(self, carpeta, n=64, semilla=SEMILLA_CUADRICULA, mostrar_cada=0, cada_segundos=5.0, epoca_inicial=0):
        super().__init__()
        self.carpeta = Path(carpeta)
        self.n = n
        self.semilla = semilla
        self.mostrar_cada = mostrar_cada
        self.cada_segundos = cada_segundos
        self.epoca_inicial = epoca_inicial
        self.ultima_epoca = None  # ninguna aún: si fit falla antes de empezar, no hay nada pendiente

    def on_train_begin(self, logs=None):
        generador = self.model.generador_para_muestras()
        # Antes de borrar nada; si no, Keras fallaría en inglés (la condicional) o tras la primera época (la de juguete).
        if len(getattr(generador, "inputs", None) or ()) != 1:
            raise ValueError("MuestrasFijas dibuja un generador de un vector latente a una imagen, y el de esta GAN pide "
                             "más entradas (¿una GAN condicional?): usa CuadriculaPorDigito(carpeta), como en el cuaderno 07.")
        if len(forma := generador.output_shape) != 4:
            raise ValueError(f"MuestrasFijas guarda cuadrículas de imágenes y esta GAN genera muestras de forma {forma[1:]} "
                             "(¿la de juguete?): para ver cómo evolucionan, usa helpers.Fotogramas.")
        rng = np.random.default_rng(self.semilla)
        self.ruido = rng.normal(size=(self.n, self.model.dim_latente)).astype(np.float32)
        if not self.epoca_inicial and (pasos := int(self.model.opt_generador.iterations.numpy())):  # entrenar no llega aquí así
            print(f"Esta GAN ya se entrenó ({contar(pasos, 'paso', 'pasos')}): fit sigue desde ahí y cuenta las épocas otra "
                  f"vez desde 1, así que sus cuadros sustituyen a los de «{self.carpeta / 'muestras'}» (la evolución empieza "
                  "en lo ya aprendido). Para conservarlos, usa otra carpeta; para empezar de cero, vuelve a crear la GAN.")
        for epoca, cuadro in cuadros_guardados(self.carpeta / "muestras").items():
            if epoca > self.epoca_inicial:
                cuadro.unlink()
        self.ultimo = None
        self.ultima_epoca = None

    def on_epoch_end(self, epoca, logs=None):
        mostrar = bool(self.mostrar_cada) and (epoca + 1) % self.mostrar_cada == 0
        if mostrar or self.ultimo is None or time.perf_counter() - self.ultimo >= self.cada_segundos:
            ruta = self._guardar(epoca)
            if mostrar and ruta:
                mostrar_png(ruta, f"Época {epoca + 1}")
        self.ultima_epoca = epoca

    def on_train_end(self, logs=None):
        self.guardar_pendiente()
        crear_gif(self.carpeta / "muestras", self.carpeta / "evolucion.gif")

    def guardar_pendiente(self):
        """Guarda la cuadrícula de la última época si aún no está (al terminar o ante un Ctrl-C)."""
        if self.ultima_epoca is not None and not (self.carpeta / "muestras" / f"epoca_{self.ultima_epoca + 1:04d}.png").exists():
            self._guardar(self.ultima_epoca)

    def _guardar(self, epoca):
        """Guarda el cuadro de ``epoca`` y devuelve su ruta; ``None`` si el generador da NaN o infinitos."""
        imagenes = np.asarray(self.model.generador_para_muestras()(self.ruido, training=False))
        self.ultimo = time.perf_counter()
        if not np.isfinite(imagenes).all():  # pesos rotos: el cuadro sería gris y cerraría el GIF
            return None
        ruta = self.carpeta / "muestras" / f"epoca_{epoca + 1:04d}.png"
        # De una vez: un cuadro a medias rompería el GIF y guardar_pendiente no lo rehace (ya existe).
        escribir_de_una_vez(ruta, lambda temporal: guardar_cuadricula(imagenes, temporal))
        return ruta


def mostrar_png(ruta, titulo):
    """Muestra un PNG en el cuaderno (no hace nada fuera de Jupyter)."""
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:
        return
    if get_ipython() is not None:
        print(titulo)
        display(Image(filename=str(ruta)))


def crear_gif(carpeta_muestras, ruta_gif, max_cuadros=60):
    """Une los PNG de ``carpeta_muestras`` (en orden) en un GIF animado de como mucho ``max_cuadros``
    (con ``escribir_de_una_vez``). Devuelve su ruta, o ``None`` si no hay cuadros que leer.

    Los cuadros dañados se saltan con un aviso: el GIF es un extra y no debe tumbar un entrenamiento
    que ya terminó."""
    cuadros = list(cuadros_guardados(carpeta_muestras).values())
    if not cuadros:
        return None
    elegidos = [cuadros[i] for i in np.unique(np.linspace(0, len(cuadros) - 1, max_cuadros).round().astype(int))]
    leidos = {ruta: _leer_cuadro(ruta) for ruta in elegidos}
    danados = [ruta.name for ruta, imagen in leidos.items() if imagen is None]
    if danados:
        estado, sin = ("está dañado", "él: bórralo") if len(danados) == 1 else ("están dañados", "ellos: bórralos")
        print(f"Aviso: {', '.join(danados)} (en «{carpeta_muestras}») {estado} (¿se cortó al escribirse?) y "
              f"{Path(ruta_gif).name} va sin {sin} para que este aviso no vuelva a salir.")
    imagenes = [imagen for imagen in leidos.values() if imagen is not None]
    if not imagenes:
        return None
    escribir_de_una_vez(ruta_gif, lambda temporal: imagenes[0].save(
        temporal, format="GIF", save_all=True, append_images=imagenes[1:], duration=duraciones_gif(len(imagenes)), loop=0))
    return Path(ruta_gif)


def cuadros_guardados(carpeta_muestras):
    """``{época: ruta}`` de los ``epoca_XXXX.png`` de ``carpeta_muestras``, por época. Las copias que dejan
    Drive o Dropbox al sincronizar («epoca_0010 (1).png») no son cuadros: se ignoran."""
    cuadros = {}
    for ruta in Path(carpeta_muestras).glob("epoca_*.png"):
        if coincide := re.fullmatch(r"epoca_(\d+)\.png", ruta.name):
            cuadros[int(coincide[1])] = ruta
    return dict(sorted(cuadros.items()))


def duraciones_gif(cuadros):
    """Milisegundos de cada cuadro de un GIF de la evolución: el último se queda más en pantalla para mirarlo."""
    return [120] * (cuadros - 1) + [1500]


def _leer_cuadro(ruta):
    """El PNG ``ruta`` en paleta (para el GIF), o ``None`` si está cortado o dañado."""
    from PIL import Image

    try:
        with Image.open(ruta) as imagen:
            return imagen.convert("P")
    except (OSError, EOFError, SyntaxError, ValueError, Image.DecompressionBombError):  # Pillow, según el daño
        return None


class HistorialPerdidas(keras.callbacks.Callback):
    """Acumula las métricas por época en ``carpeta/historial.csv`` (también entre reanudaciones)
    y al terminar dibuja ``carpeta/perdidas.png``. ``self.historial`` es un diccionario de listas.

    Cada época añade una línea al CSV (barato); al empezar se reescribe (con ``escribir_de_una_vez``)
    solo con las épocas que el punto de control ya incluye (``epoca_inicial``), y avisa si le faltan.
    """

    def __init__(self, carpeta, epoca_inicial=0):
        super().__init__()
        self.ruta_csv = Path(carpeta) / "historial.csv"
        self.epoca_inicial = epoca_inicial
        self.filas = []

    def on_train_begin(self, logs=None):
        # De cero, el de antes no cuenta (ni si está dañado).
        self.filas = self._filas_del_punto_de_control() if self.epoca_inicial else []
        self.campos = list(self.filas[0]) if self.filas else None
        if self.filas:
            self._reescribir()
        else:
            self.ruta_csv.unlink(missing_ok=True)

    def _filas_del_punto_de_control(self):
        """Las filas de ``historial.csv`` hasta ``epoca_inicial`` (las demás se vuelven a entrenar), con
        un aviso si faltan épocas: nada las puede rehacer, pero no deben desaparecer sin que se note."""
        filas = []
        if self.ruta_csv.exists():
            # Cada fila que se conserva se lee entera: una línea cortada es un CSV dañado, no una fila vacía.
            filas = leer_csv(self.ruta_csv, lambda fila: _fila_historial(fila, self.epoca_inicial))
            filas = [fila for fila in filas if fila]
        faltan = sorted(set(range(1, self.epoca_inicial + 1)) - {fila["epoca"] for fila in filas})
        if faltan:
            print(f"Aviso: a «{self.ruta_csv}» le faltan épocas que el punto de control ya entrenó "
                  f"({_tramos(faltan)}), quizá por un corte o por apartarlo al estar dañado. No se pueden recuperar: "
                  "perdidas.png y la entrega irán sin ellas. El entrenamiento sigue.")
        return filas

    def on_epoch_end(self, epoca, logs=None):
        self.filas.append({"epoca": epoca + 1, **{k: float(v) for k, v in (logs or {}).items()}})
        if self.campos is None:
            self.campos = list(self.filas[0])
            self._reescribir()
            return
        with open(self.ruta_csv, "a", newline="", encoding="utf-8") as archivo:
            csv.DictWriter(archivo, fieldnames=self.campos, extrasaction="ignore").writerow(self.filas[-1])

    def _reescribir(self):
        """Escribe todo ``self.filas`` de una vez: un corte a mitad deja el CSV de antes, no uno vacío."""
        self.ruta_csv.parent.mkdir(parents=True, exist_ok=True)
        escribir_de_una_vez(self.ruta_csv, self._escribir_csv)

    def _escribir_csv(self, ruta):
        with open(ruta, "w", newline="", encoding="utf-8") as archivo:
            escritor = csv.DictWriter(archivo, fieldnames=self.campos, extrasaction="ignore")
            escritor.writeheader()
            escritor.writerows(self.filas)

    @property
    def historial(self):
        claves = [k for k in (self.filas[-1] if self.filas else {}) if k != "epoca"]
        return {k: [float(f[k]) for f in self.filas] for k in claves}

    def on_train_end(self, logs=None):
        if self.filas:
            dibujar_perdidas(self.historial, self.ruta_csv.parent / "perdidas.png")


def _fila_historial(fila, hasta):
    """Una fila de ``historial.csv`` leída (``epoca`` entera y el resto ``float``; si falta uno, ``TypeError``),
    o ``None`` si su época pasa de ``hasta``."""
    if int(fila["epoca"]) > hasta:
        return None
    return {clave: int(valor) if clave == "epoca" else float(valor) for clave, valor in fila.items()}


def _tramos(epocas):
    """Las épocas ``epocas`` (ordenadas) en tramos legibles: ``[1, 2, 3, 7]`` → ``"1–3, 7"``."""
    tramos = []
    for epoca in epocas:
        if tramos and epoca == tramos[-1][1] + 1:
            tramos[-1][1] = epoca
        else:
            tramos.append([epoca, epoca])
    return ", ".join(f"{desde}–{hasta}" if hasta > desde else str(desde) for desde, hasta in tramos)


class Cronometro(keras.callbacks.Callback):
    """Separa el tiempo de ``fit`` en pasos de entrenamiento y todo lo demás (callbacks que guardan,
    miden o dibujan). Debe ir el primero de la lista: su ``on_epoch_end`` marca el fin de los pasos."""

    def on_train_begin(self, logs=None):
        self.inicio = time.perf_counter()
        self.en_pasos = 0.0

    def on_epoch_begin(self, epoca, logs=None):
        self.inicio_epoca = time.perf_counter()

    def on_epoch_end(self, epoca, logs=None):
        self.en_pasos += time.perf_counter() - self.inicio_epoca

    def resumen(self):
        """Texto con los segundos en pasos, en lo demás y el porcentaje de lo demás."""
        total = time.perf_counter() - self.inicio
        resto = max(total - self.en_pasos, 0.0)
        return (
            f"Tiempo: {cifra(self.en_pasos, 1)} s en pasos de entrenamiento y {cifra(resto, 1)} s en lo demás "
            f"(guardar, medir, dibujar): {100 * resto / max(total, 1e-9):.0f} % del total."
        )


ARCHIVO_MENOR_SWD = "generador_menor_swd.keras"  # el de menor métrica medida hasta ahora
FRACCION_MEDIR = 0.05  # con cada="auto": medir se lleva como mucho este tanto del tiempo


class SeguimientoMetrica(keras.callbacks.Callback):
    """Mide la calidad cada ``cada`` épocas y guarda el mejor generador: «¿cuándo parar?» se
    responde con una métrica, no con la última época.

    - ``cada``: épocas entre dos medidas, o ``"auto"``: tras la primera época, después cada vez que
      el tiempo de todas las medidas más una siga siendo como mucho ``FRACCION_MEDIR`` (5 %) del
      tiempo transcurrido, sea cual sea la máquina. Con los dos, también al terminar, para que el
      generador final tenga su medida (y al reanudar sin nada que entrenar, si a la ejecución anterior
      le faltó);
    - ``reales``: imágenes reales que la GAN no ve al entrenar (reserva), ``(n, alto, ancho, canales)``;
    - ``metrica``: función ``(reales, generadas) -> float``, menor es mejor; por defecto la SWD
      (``metricas.distancia_swd``), promediada sobre 4 grupos de muestras de vectores latentes fijos;
    - ``carpeta``: si se da, escribe ``metrica.csv`` (época, segundos, valor; se conserva al reanudar),
      ``metrica.png`` y ``ARCHIVO_MENOR_SWD`` (el generador de menor valor hasta ahora; al reanudar se
      mide de nuevo, porque puede venir de una época posterior al punto de control que se vuelve a
      entrenar). Empezar de cero (``epoca_inicial=0``) borra los de una ejecución anterior.

    ``self.registros`` es la lista de mediciones: diccionarios con ``epoca``, ``segundos`` y ``valor``.
    """

    def __init__(self, reales, carpeta=None, cada=10, metrica=None, nombre="SWD ×10³", epoca_inicial=0, semilla=4321):
        super().__init__()
        if cada != "auto" and not es_entero(cada, 1):
            raise ValueError(f"cada={cada!r} debe ser un número de épocas ≥ 1 o \"auto\".")
        self.reales = np.asarray(reales, np.float32)
        self.carpeta = Path(carpeta) if carpeta else None
        self.cada = cada
        self.metrica = metrica or swd_promediada
        self.nombre = nombre
        self.epoca_inicial = epoca_inicial
        self.semilla = semilla
        self.registros = []

    def on_train_begin(self, logs=None):
        rng = np.random.default_rng(self.semilla)
        self.ruido = rng.normal(size=(4 * len(self.reales), self.model.dim_latente)).astype(np.float32)
        self.segundos_previos = 0.0
        self.ultima_epoca = None
        self.ultima_sana = True
        self.coste_medida = None
        self.midiendo = 0.0
        self.menor_valor = math.inf  # el valor del generador guardado en ARCHIVO_MENOR_SWD
        # Las de otro fit (el mismo callback otra vez, quizá con otra GAN) no son de este: sus épocas vuelven a 1.
        self.registros = []
        if self.carpeta and not self.epoca_inicial:
            # Empezar de cero sobrescribe la carpeta (ver ``gan.entrenar``): si esta ejecución se corta
            # antes de su primera medida, las de otra no deben mezclarse con las suyas al reanudar.
            for nombre in ("metrica.csv", ARCHIVO_MENOR_SWD):
                (self.carpeta / nombre).unlink(missing_ok=True)
        elif self.carpeta and (self.carpeta / "metrica.csv").exists():
            filas = leer_csv(self.carpeta / "metrica.csv", lambda f: {
                "epoca": int(f["epoca"]), "segundos": float(f["segundos"]), "valor": float(f["valor"])})
            # Solo las mediciones que el punto de control ya incluye: las demás se repetirán.
            self.registros = [r for r in filas if r["epoca"] <= self.epoca_inicial]
            self.segundos_previos = self.registros[-1]["segundos"] if self.registros else 0.0
        if self.epoca_inicial and self.carpeta and (self.carpeta / ARCHIVO_MENOR_SWD).is_file():
            # Al reanudar, el guardado puede venir de una medida posterior al punto de control (que ya no
            # está en metrica.csv) o faltar su medida (metrica.csv renombrado por dañado): se mide de
            # nuevo para que ninguna medida lo sustituya sin ser mejor.
            self.menor_valor = self._valor_guardado()
        self.inicio = time.perf_counter()

    def on_epoch_end(self, epoca, logs=None):
        self.ultima_epoca = epoca
        self.ultima_sana = not DetenerSiNaN.metricas_no_finitas(logs)
        if self.cada == "auto":
            transcurrido = time.perf_counter() - self.inicio
            if self.coste_medida is None or self.midiendo + self.coste_medida <= FRACCION_MEDIR * transcurrido:
                self._medir(epoca)
        elif (epoca + 1) % self.cada == 0:
            self._medir(epoca)

    def _medir(self, epoca):
        if not self.ultima_sana:
            return  # un generador con NaN no se mide ni puede ser el mejor
        comienzo = time.perf_counter()
        generador = self.model.generador_para_muestras()
        segundos = self.segundos_previos + comienzo - self.inicio
        registro = {"epoca": epoca + 1, "segundos": round(segundos, 1), "valor": self._valor(generador)}
        if not math.isfinite(registro["valor"]):
            return  # pérdidas finitas pero imágenes NaN: tampoco se anota ni puede ser el mejor
        es_mejor = registro["valor"] < self.menor_valor
        self.menor_valor = min(self.menor_valor, registro["valor"])
        self.registros.append(registro)
        if self.carpeta:
            self.carpeta.mkdir(parents=True, exist_ok=True)
            if es_mejor:  # antes que metrica.csv: un corte entre los dos deja el generador, que se vuelve a medir
                escribir_de_una_vez(self.carpeta / ARCHIVO_MENOR_SWD, generador.save)
            escribir_de_una_vez(self.carpeta / "metrica.csv", self._escribir_csv)
        self.coste_medida = time.perf_counter() - comienzo
        self.midiendo += self.coste_medida

    def _escribir_csv(self, ruta):
        with open(ruta, "w", newline="", encoding="utf-8") as archivo:
            escritor = csv.DictWriter(archivo, fieldnames=["epoca", "segundos", "valor"])
            escritor.writeheader()
            escritor.writerows(self.registros)

    def _valor(self, generador):
        """La métrica de las muestras de ``generador`` con los vectores latentes fijos."""
        return float(self.metrica(self.reales, aplicar_por_lotes(generador, self.ruido, 256)))  # sin predict: ver aplicar_por_lotes

    def _ultima_sin_medir(self):
        """La última época (desde 1) si aún no está medida; si no, ``None``. Sin nada que entrenar al
        reanudar es la del punto de control: la ejecución anterior pudo cortarse tras guardarlo y antes de
        su medida final (p. ej. al hacer el GIF)."""
        ultima = self.epoca_inicial if self.ultima_epoca is None else self.ultima_epoca + 1
        medida = bool(self.registros) and self.registros[-1]["epoca"] == ultima
        return ultima if ultima > 0 and not medida else None

    def _valor_guardado(self):
        """El valor de ``ARCHIVO_MENOR_SWD``; infinito si está dañado, no encaja con esta GAN o da NaN:
        entonces cualquier medida lo sustituye."""
        try:
            valor = self._valor(keras.models.load_model(self.carpeta / ARCHIVO_MENOR_SWD, safe_mode=True, compile=False))
        except Exception:  # Keras lanza tipos muy distintos según dónde esté dañado o qué no encaje
            return math.inf
        return valor if math.isfinite(valor) else math.inf

    def on_train_end(self, logs=None):
        ultima = self._ultima_sin_medir()
        if ultima:
            self._medir(ultima - 1)
        if self.carpeta and self.registros:
            import matplotlib.pyplot as plt

            plt.close(dibujar_curvas_metrica({"": self.registros}, self.nombre, "epoca", self.carpeta / "metrica.png"))

