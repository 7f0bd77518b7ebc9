"""Callbacks de Keras para ver entrenar una GAN: muestras fijas, GIF, historial, métrica y cronómetro.

- ``MuestrasFijas``: al final de las épocas (como mucho una vez cada pocos segundos) genera una
  cuadrícula a partir de los *mismos* vectores latentes, la guarda como PNG (y la muestra en el
  cuaderno cada ``mostrar_cada`` épocas); al final arma ``evolucion.gif``.
- ``HistorialPerdidas``: guarda las métricas de cada época en ``historial.csv`` y dibuja ``perdidas.png``.
- ``SeguimientoMetrica``: mide la calidad (SWD) cada pocas épocas y guarda el generador de menor SWD.
- ``Cronometro``: separa el tiempo de ``fit`` en pasos de entrenamiento y lo demás.

El punto de control (guardar y reanudar el entrenamiento, y detenerlo ante un NaN) está en
``punto_de_control.py``; la escritura que un corte no deja a medias, en ``archivos.py``; el avance en
pantalla y el límite de tiempo, en ``progreso.py``.
"""

import csv
import math
import re
import time
import weakref
from pathlib import Path

import keras
import numpy as np

from .archivos import escribir_de_una_vez, leer_csv
from .carga_keras import cargar_keras
from .graficos import dibujar_curvas_metrica, dibujar_perdidas, guardar_cuadricula
from .lotes import aplicar_por_lotes
from .opciones import es_entero
from .progreso import DetenerSiNaN
from .swd import swd_promediada
from .textos import cifra, contar

SEMILLA_CUADRICULA = 1234  # la de los vectores latentes de MuestrasFijas (y de la cuadrícula de una entrega)


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
        if not self.epoca_inicial:  # entrenar no llega aquí con una GAN ya entrenada
            avisar_si_ya_entrenada(self, f"sus cuadros sustituyen a los de «{self.carpeta / 'muestras'}» (la evolución "
                                   "empieza en lo ya aprendido)", "Para conservarlos, usa otra carpeta; para empezar de "
                                   "cero, vuelve a crear la GAN.")
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


_YA_AVISADAS = weakref.WeakKeyDictionary()  # GAN → los params del fit en que un callback ya dijo que estaba entrenada


def avisar_si_ya_entrenada(callback, que, consejo):
    """Al empezar un ``fit`` de una GAN que ya dio pasos (la celda de ``fit`` ejecutada otra vez), dice que ``que``
    (lo que ``callback`` sustituye). El primer callback de ese ``fit`` que avisa lo dice entero, con ``consejo``;
    los siguientes, solo su parte («Además, …»): el aviso no se repite si van varios."""
    optimizador = getattr(callback.model, "opt_generador", None)
    if optimizador is None or not (pasos := int(optimizador.iterations.numpy())):
        return
    if callback.params is not None and _YA_AVISADAS.get(callback.model) is callback.params:  # el mismo fit
        print(f"Además, {que}.")
        return
    _YA_AVISADAS[callback.model] = callback.params  # Keras da el mismo diccionario a todos los callbacks de un fit
    print(f"Esta GAN ya se entrenó ({contar(pasos, 'paso', 'pasos')}): fit sigue desde ahí y cuenta las épocas otra "
          f"vez desde 1, así que {que}. {consejo}")


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
    from PIL import Image

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
    # Todos del tamaño del último: los de un entrenamiento empezado con una versión anterior del kit pueden ser
    # más pequeños, y Pillow recortaría los demás al tamaño del primero.
    imagenes = [imagen if imagen.size == imagenes[-1].size else imagen.resize(imagenes[-1].size, Image.NEAREST)
                for imagen in imagenes]
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
    solo con las épocas que el punto de control ya incluye (``epoca_inicial``), y avisa si le faltan. Con ``fit``
    directamente, si la GAN ya se había entrenado y hay un ``historial.csv``, dice que se reescribe desde la época 1.
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
            return
        if not self.epoca_inicial and self.ruta_csv.exists():  # la celda de fit otra vez: el de antes se pierde
            avisar_si_ya_entrenada(self, f"«{self.ruta_csv}» se reescribe con las épocas de este fit", "Para "
                                   "conservarlo, usa otra carpeta; para empezar de cero, vuelve a crear la GAN.")
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
      (``swd.distancia_swd``), promediada sobre 4 grupos de muestras de vectores latentes fijos;
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
            # Empezar de cero sobrescribe la carpeta (ver ``entrenamiento.entrenar``): si esta ejecución se corta
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
            valor = self._valor(cargar_keras(self.carpeta / ARCHIVO_MENOR_SWD))  # también si lo guardó otra Keras
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

