"""El avance de los trabajos largos en español y lo que detiene un entrenamiento: el límite de tiempo y un NaN.

- ``LineaDeAvance``: una línea que se rehace en su sitio (cuaderno, terminal o archivo); la usan
  ``Progreso``, la transferencia de estilo y ``carpeta_o_zip.recorrer_imagenes`` (al revisar, preparar o cargar
  100 archivos o más).
- ``Progreso``: en lugar de la barra de Keras («Epoch 1/50», «step»), una línea con la época, el paso,
  el tiempo, lo que falta y las métricas con coma decimal. ``BaseGAN.fit`` (el de todas las GAN del
  curso) la pone sola según ``verbose``.
- ``LimiteDeTiempo``: detiene ``fit`` tras la época que agota un presupuesto de minutos.
- ``DetenerSiNaN``: detiene ``fit`` tras la primera época con una pérdida NaN o infinita y dice qué
  probar. ``BaseGAN.fit`` también lo pone solo.
"""

import math
import shutil
import sys
import time

import keras

from .opciones import es_real
from .textos import cifra, miles


def duracion(segundos):
    """Un tiempo para leerlo de un vistazo: «menos de 1 s», «45 s», «3 min 05 s», «1 h 02 min»."""
    segundos = int(round(segundos))
    if segundos < 1:
        return "menos de 1 s"
    if segundos < 60:
        return f"{segundos} s"
    if segundos < 3600:
        return f"{segundos // 60} min {segundos % 60:02d} s"
    return f"{segundos // 3600} h {segundos % 3600 // 60:02d} min"


def segundos_restantes(segundos_por_epoca, epocas_pendientes, segundos_en_esta_epoca=0.0, segundos_hasta_limite=None):
    """Lo que falta para terminar: las épocas pendientes (contando la que está en curso) al ritmo medido,
    menos lo que ya lleva la actual, y nunca más que lo que queda hasta el límite de tiempo."""
    restante = max(segundos_por_epoca * epocas_pendientes - segundos_en_esta_epoca, 0.0)
    if segundos_hasta_limite is not None:
        restante = min(restante, max(segundos_hasta_limite, 0.0))
    return restante


def _destino():
    """Dónde escribe ``LineaDeAvance``: ``"cuaderno"`` (Jupyter, Colab: un texto que se actualiza),
    ``"terminal"`` (la línea se rehace con ``\\r``) o ``"archivo"`` (una tubería o un registro, donde
    rehacer la línea solo ensuciaría: una línea nueva cada tanto)."""
    if "ipykernel" in sys.modules:
        from IPython import get_ipython

        if get_ipython() is not None:
            return "cuaderno"
    return "terminal" if getattr(sys.stdout, "isatty", lambda: False)() else "archivo"


def falta(segundos):
    """«faltan 3 min 05 s», «falta 1 s»."""
    texto = duracion(segundos)
    return f"{'falta' if texto in ('1 s', 'menos de 1 s') else 'faltan'} {texto}"


class LineaDeAvance:
    """Una línea de avance que se rehace en su sitio: en un cuaderno (Jupyter, Colab), un texto que se
    actualiza; en una terminal, con ``\\r``, cortada al ancho por partes enteras (``_ajustar``); en un
    archivo o una tubería, una línea nueva en cada ``escribir``.

    ``toca()`` dice si ya pasaron ``cada_segundos`` desde la última escritura (por defecto 1 s; 30 s en
    un archivo, para no llenarlo). ``terminar(texto)`` deja la versión final y pasa a la línea siguiente.
    """

    def __init__(self, cada_segundos=None):
        self.destino = _destino()
        self.intervalo = cada_segundos if cada_segundos is not None else (30.0 if self.destino == "archivo" else 1.0)
        self.ultima_escritura = time.perf_counter()
        self.escrito = ""
        self.pantalla = None
        self.ancho = 0

    def toca(self):
        return time.perf_counter() - self.ultima_escritura >= self.intervalo

    def escribir(self, texto):
        self.escrito = texto
        self.ultima_escritura = time.perf_counter()
        if self.destino == "cuaderno":
            from IPython.display import Pretty, display

            if self.pantalla is None:
                self.pantalla = display(Pretty(texto), display_id=True)
            else:
                self.pantalla.update(Pretty(texto))
        elif self.destino == "terminal":
            texto = _ajustar(texto, shutil.get_terminal_size().columns - 1)
            sys.stdout.write("\r" + texto.ljust(self.ancho))
            sys.stdout.flush()
            self.ancho = max(self.ancho, len(texto))
        else:
            print(texto, flush=True)

    def terminar(self, texto):
        if texto != self.escrito:
            self.escribir(texto)
        if self.destino == "terminal":
            print(flush=True)


class Progreso(keras.callbacks.Callback):
    """El avance de ``fit``: «Época 12/600 · faltan 2 min 56 s · exactitud_d 0,648 · perdida_d 1,261 ·
    perdida_g 0,910 · tiempo 4 s · 0,30 s por época» (las métricas, en el orden alfabético en que
    Keras las da).

    - ``verbose=2``: una línea al terminar cada época (como Keras con ``verbose=2``).
    - ``verbose=1``: una sola línea (``LineaDeAvance``) que se rehace como mucho cada ``cada_segundos``
      (1 s; 30 s si la salida va a un archivo, donde cada vez es una línea nueva), también dentro de
      una época larga.
    - El tiempo por época se mide desde la segunda época (la primera puede incluir compilar el paso);
      lo que falta, también, y durante la segunda por los pasos que lleva. Con ``limite_segundos`` (el
      de ``LimiteDeTiempo``), lo que falta nunca pasa de lo que queda hasta ese límite. Si otro
      callback detiene ``fit``, la línea lo dice; si ``fit`` se interrumpe, ``cortar`` la cierra.
    """

    def __init__(self, verbose=1, limite_segundos=None, cada_segundos=None):
        super().__init__()
        if not verbose:
            raise ValueError("Progreso(verbose=0) no escribiría nada: para entrenar en silencio, quítalo y "
                             "usa fit(..., verbose=0).")
        self.por_epoca = verbose == 2
        self.limite_segundos = limite_segundos
        self.cada_segundos = cada_segundos

    def on_train_begin(self, logs=None):
        self.salida = LineaDeAvance(self.cada_segundos)
        self.inicio = time.perf_counter()
        self.fin_primera = self.fin_ultima = None
        self.epocas_hechas = 0
        self.linea = ""

    def on_epoch_begin(self, epoca, logs=None):
        self.epoca = epoca
        if self.epocas_hechas == 0 and not self.por_epoca:
            self.salida.escribir(f"Época {epoca + 1}/{self.params['epochs']} · empezando · la primera época puede "
                           "tardar más (TensorFlow prepara el paso)")

    def on_train_batch_end(self, paso, logs=None):
        if not self.por_epoca and self.salida.toca():
            self.salida.escribir(self._texto(logs, paso=paso + 1))

    def on_epoch_end(self, epoca, logs=None):
        ahora = time.perf_counter()
        self.epocas_hechas += 1
        self.fin_primera = self.fin_primera or ahora
        self.fin_ultima = ahora
        self.linea = self._texto(logs)
        if self.por_epoca:
            print(self.linea, flush=True)
        elif self.salida.toca():
            self.salida.escribir(self.linea)

    def on_train_end(self, logs=None):
        if not self.por_epoca and self.linea:
            self.salida.terminar(self.linea)

    def cortar(self):
        """Tras un error o un Ctrl-C, de los que Keras no avisa a los callbacks: deja a la vista la última
        época terminada (la línea solo se rehace cada ``intervalo`` segundos, y con épocas cortas iría
        varias por detrás del «guardado hasta la época N» que sigue) y, en una terminal, pasa a la línea
        siguiente, para que el mensaje del error no empiece pegado a la del avance."""
        salida = getattr(self, "salida", None)
        if salida is None or self.por_epoca:
            return
        if self.linea and self.linea != salida.escrito:
            salida.escribir(self.linea)
        if salida.escrito and salida.destino == "terminal":
            print(flush=True)

    def _texto(self, logs, paso=None):
        """La línea de la época en curso (``paso``: el último paso hecho) o de la que acaba de terminar."""
        ahora = time.perf_counter()
        total = self.params["epochs"]
        partes = [f"Época {self.epoca + 1}/{total}"]
        # Sin saber cuántos pasos tiene la época no se dice el paso: Keras los cuenta de
        # steps_per_execution en steps_per_execution y pasaría de los que hay.
        pasos = self.params.get("steps")
        if paso is not None and pasos:
            partes.append(f"paso {min(paso, pasos)}/{pasos}")
        detenido = paso is None and self.model.stop_training and self.epoca + 1 < total
        if detenido:  # delante: en una terminal estrecha se cortan las últimas partes
            partes.append("detenido antes de la última época")
        pendientes = total - self.epoca - (0 if paso is not None else 1)
        en_esta = ahora - self.fin_ultima if paso is not None and self.fin_ultima else 0.0
        por_epoca = None
        if self.epocas_hechas >= 2:
            por_epoca = ritmo = (self.fin_ultima - self.fin_primera) / (self.epocas_hechas - 1)
        elif self.epocas_hechas == 1 and paso and pasos:  # en la segunda época, por los pasos que lleva
            ritmo = en_esta / min(paso, pasos) * pasos
        else:
            ritmo = None
        if ritmo is not None and pendientes and not detenido:
            limite = None if self.limite_segundos is None else self.limite_segundos - (ahora - self.inicio)
            partes.append(falta(segundos_restantes(ritmo, pendientes, en_esta, limite)))
        partes += [f"{nombre} {cifra_metrica(valor)}" for nombre, valor in (logs or {}).items() if isinstance(valor, (int, float))]
        partes.append(f"tiempo {duracion(ahora - self.inicio)}")
        if por_epoca is not None:
            partes.append(f"{tiempo_corto(por_epoca)} por época")
        return " · ".join(partes)


def cifra_metrica(numero):
    """Una métrica con coma decimal: «1,261», «256.169», «3,2e-05», «1,83e+30», «NaN», «∞».

    De 1.000 a 999.999, sin decimales y con punto de miles, como las cifras grandes de las lecciones
    («65.536»): «256168,938» no se lee de un vistazo y sus decimales no dicen nada. Desde un millón
    (también si lo alcanza al redondear), en notación científica."""
    if math.isnan(numero):
        return "NaN"
    if math.isinf(numero):
        return "∞" if numero > 0 else "-∞"
    entero = int(round(numero))
    if numero and not (1e-3 <= abs(numero) and abs(entero) < 1e6):
        return cifra(numero, significativas=3)
    if round(abs(numero), 3) >= 1e3:  # 999,9996 se escribiría «1000,000»
        return miles(entero)
    return cifra(numero, 3)


def tiempo_corto(segundos):
    """Un tiempo corto con su precisión: «35 ms», «0,30 s», «12,5 s»; desde 1 min, como ``duracion``."""
    if segundos < 0.1:
        return f"{round(1000 * segundos)} ms"
    if segundos < 60:
        return f"{cifra(segundos, 2 if segundos < 10 else 1)} s"
    return duracion(segundos)


def _ajustar(texto, ancho):
    """``texto`` sin sus últimas partes (« · ») hasta que quepa en ``ancho`` columnas: una línea partida
    en dos ya no se rehace con ``\\r``, y un número cortado a medias se leería como otro."""
    partes = texto.split(" · ")
    while len(partes) > 1 and len(" · ".join(partes)) > ancho:
        partes.pop()
    return " · ".join(partes)[:ancho]


class LimiteDeTiempo(keras.callbacks.Callback):
    """Detiene ``fit`` al terminar la primera época que supera ``minutos`` de entrenamiento.

    Sirve para comparar recetas con el mismo presupuesto de tiempo, o para no pasarte de la sesión.
    """

    def __init__(self, minutos):
        super().__init__()
        if not es_real(minutos, mayor_que=0):
            raise ValueError(f"minutos={minutos!r} no es válido: debe ser un número positivo y finito (p. ej. 30 o 0.5).")
        self.segundos = 60.0 * minutos

    def on_train_begin(self, logs=None):
        self.inicio = time.perf_counter()

    def on_epoch_end(self, epoca, logs=None):
        if time.perf_counter() - self.inicio > self.segundos:
            self.model.stop_training = True


class DetenerSiNaN(keras.callbacks.Callback):
    """Detiene ``fit`` al terminar la primera época con una métrica NaN o infinita (basta un paso: la media
    de la época también lo es) y dice en qué época y, con ``consejo``, qué probar. Lo mira una vez por
    época, en las métricas que Keras ya trae de la GPU: no hace esperar a ningún paso.

    ``BaseGAN.fit`` lo añade solo, con el ``consejo_si_nan`` de la GAN; ``PuntoDeControl`` (el de
    ``entrenar``) lo amplía y además vuelve al último estado sano.
    """

    def __init__(self, consejo=""):
        super().__init__()
        self.consejo = consejo
        self.inestable = False

    def on_epoch_end(self, epoca, logs=None):
        if problema := self.metricas_no_finitas(logs):
            self.detener(epoca, problema, f". {self.consejo}" if self.consejo else ".")

    @staticmethod
    def metricas_no_finitas(logs):
        """«La métrica perdida_g se volvió NaN o infinita» (o «Las métricas … se volvieron…») si alguna
        métrica numérica de ``logs`` no es finita; si no, ``""``."""
        malas = [nombre for nombre, valor in (logs or {}).items() if not _es_finito(valor)]
        if len(malas) > 1:
            return f"Las métricas {', '.join(malas[:-1])} y {malas[-1]} se volvieron NaN o infinitas"
        return f"La métrica {malas[0]} se volvió NaN o infinita" if malas else ""

    def detener(self, epoca, problema, despues):
        """Detiene ``fit`` tras la época ``epoca`` (desde 0) y lo cuenta: «{problema} en la época 3: el
        entrenamiento se detuvo{despues}»."""
        self.inestable = True
        self.model.stop_training = True
        print(f"\n{problema} en la época {epoca + 1}: el entrenamiento se detuvo{despues}")


def _es_finito(valor):
    """``False`` solo si ``valor`` es un número (también de NumPy o un tensor de un solo valor) NaN o infinito."""
    try:
        return math.isfinite(float(valor))
    except (TypeError, ValueError):  # p. ej. una lista: no es una métrica de la época
        return True
