"""Puntos de control: guardar el estado de una GAN y reanudarla exactamente donde se quedó.

``PuntoDeControl``, un callback de ``fit``, guarda en ``punto_de_control.npz`` los pesos, el estado de los
optimizadores y la época (como mucho una vez por minuto, y al terminar); si la pérdida, los pesos o las
muestras se vuelven NaN, detiene el entrenamiento y vuelve al último estado sano. ``restaurar_estado`` carga
ese archivo en una GAN (si es de otra arquitectura, receta o lote, lanza ``ValueError`` en español) y
``epoca_guardada`` dice hasta qué época llegó. Los callbacks que se ven entrenar (muestras, historial,
métrica) están en ``callbacks``.
"""

import json
import math
import time
from pathlib import Path

import keras
import numpy as np

from .archivos import escribir_de_una_vez, guardar_npz, nombre_apartado
from .progreso import DetenerSiNaN
from .textos import cifra

ARCHIVO_ESTADO = "punto_de_control.npz"
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


def guardar_estado(gan, carpeta, epoca, valores=None, lote=None):
    """Guarda en ``carpeta/punto_de_control.npz`` (con ``escribir_de_una_vez``) el estado de la GAN
    (o ``valores``, una copia tomada antes con ``copiar_estado``), ``epoca``, la receta de ``compile`` y,
    si se da, el ``lote`` de los datos."""
    carpeta = Path(carpeta)
    carpeta.mkdir(parents=True, exist_ok=True)
    valores = valores if valores is not None else copiar_estado(gan)
    receta = _en_json(gan.receta_al_compilar)
    extra = {"lote": lote} if lote is not None else {}
    escribir_de_una_vez(carpeta / ARCHIVO_ESTADO, lambda temporal: guardar_npz(
        temporal, epoca=epoca, formato=FORMATO_ESTADO, receta=receta, **extra, **valores))


def copiar_estado(gan):
    """Copia en memoria (NumPy) de ``variables_con_nombre(gan)``."""
    return {nombre: variable.numpy() for nombre, variable in variables_con_nombre(gan).items()}


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
    otra receta (``BaseGAN.receta``: tasas, pérdida, estabilizadores) u otro ``lote`` que el anotado al
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
    cargables = {nombre: variable for nombre, variable in variables.items() if nombre in guardado}
    # Todas las formas antes de cargar ninguna: a medio cargar, la GAN no sería ni la de antes ni la guardada.
    for nombre, variable in cargables.items():
        if tuple(guardado[nombre].shape) != tuple(variable.shape):
            raise ValueError(
                f"El punto de control {ruta} tiene «{nombre}» de forma {guardado[nombre].shape} donde esta GAN "
                f"espera {tuple(variable.shape)}. " + remedio
            )
    for nombre, variable in cargables.items():
        variable.assign(guardado[nombre])
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
        if self.inestable and self.volver_al_ultimo_estado_sano() is not None:
            self._escribir()  # también si esa época ya estaba en disco: con los sorteos nuevos
        elif self.sano and self.sano[0] != self.epoca_guardada:
            self._escribir()

    def _escribir(self):
        epoca, valores = self.sano
        guardar_estado(self.model, self.carpeta, epoca, valores, self.lote)
        self.epoca_guardada = epoca
        self.ultima_escritura = time.perf_counter()

    def volver_al_ultimo_estado_sano(self):
        """Tras un NaN: carga en la GAN el último estado sano de este entrenamiento (o, si no llegó a haber
        ninguno, el del punto de control del que siguió) y devuelve su época, o ``None`` si no hay ninguno.
        Los sorteos (``generador_aleatorio``) siguen donde iban, y así queda el estado sano que se guarda: con
        los de entonces, continuar desde ahí repetiría los mismos datos, vectores latentes y aumentos, y el
        mismo NaN."""
        sorteos = self.model.generador_aleatorio.state.numpy()
        if self.sano:
            epoca = self.sano[0]
            for nombre, variable in variables_con_nombre(self.model).items():
                variable.assign(self.sano[1][nombre])
        elif self.epoca_guardada:
            epoca = restaurar_estado(self.model, self.carpeta)
        else:
            return None
        self.model.generador_aleatorio.state.assign(sorteos)
        self.sano = (epoca, copiar_estado(self.model))
        return epoca
