"""Callbacks de Keras para entrenar una GAN: muestras fijas, historial, GIF y puntos de control.

- ``MuestrasFijas``: al final de cada época genera una cuadrícula a partir de los *mismos* vectores
  latentes, la guarda como PNG (y la muestra en el cuaderno cada ``mostrar_cada`` épocas); al final
  arma ``evolucion.gif``.
- ``HistorialPerdidas``: guarda las métricas de cada época en ``historial.csv`` y dibuja ``perdidas.png``.
- ``PuntoDeControl``: guarda pesos y estado de los optimizadores tras cada época sana; si la pérdida
  se vuelve NaN, detiene el entrenamiento sin pisar el último punto de control.
- ``LimiteDeTiempo``: detiene ``fit`` tras la época que agota un presupuesto de minutos.
"""

import csv
import math
import os
import time
from pathlib import Path

import keras
import numpy as np

from .graficos import dibujar_perdidas, guardar_cuadricula

ARCHIVO_ESTADO = "punto_de_control.npz"


def guardar_estado(gan, carpeta, epoca):
    """Guarda en ``carpeta/punto_de_control.npz`` todas las variables de la GAN y ``epoca``.

    Se escribe en un archivo temporal y luego se renombra: una interrupción a mitad de la escritura
    no estropea el punto de control anterior.
    """
    carpeta = Path(carpeta)
    carpeta.mkdir(parents=True, exist_ok=True)
    valores = {f"v{i}": v.numpy() for i, v in enumerate(gan.variables_de_estado())}
    temporal = carpeta / f".{ARCHIVO_ESTADO}.tmp"
    with open(temporal, "wb") as archivo:
        np.savez(archivo, epoca=epoca, **valores)
    os.replace(temporal, carpeta / ARCHIVO_ESTADO)


def restaurar_estado(gan, carpeta):
    """Carga el punto de control de ``carpeta`` en ``gan`` y devuelve la época guardada (0 si no hay)."""
    ruta = Path(carpeta) / ARCHIVO_ESTADO
    if not ruta.exists():
        return 0
    variables = gan.variables_de_estado()
    with np.load(ruta, allow_pickle=False) as guardado:
        if len(guardado.files) - 1 != len(variables):
            raise ValueError(
                f"El punto de control {ruta} no corresponde a esta GAN (otra arquitectura u opciones). "
                "Usa otra carpeta de resultados (--salida en la terminal) o empieza de cero (continuar=False)."
            )
        for i, variable in enumerate(variables):
            valor = guardado[f"v{i}"]
            if tuple(valor.shape) != tuple(variable.shape):
                raise ValueError(
                    f"El punto de control {ruta} tiene una variable de forma {valor.shape} donde esta GAN "
                    f"espera {tuple(variable.shape)}. Usa otra carpeta de resultados (--salida) o continuar=False."
                )
            variable.assign(valor)
        return int(guardado["epoca"])


class PuntoDeControl(keras.callbacks.Callback):
    """Guarda el estado tras cada época cuyas métricas son finitas; ante un NaN, detiene y avisa."""

    def __init__(self, carpeta):
        super().__init__()
        self.carpeta = Path(carpeta)
        self.epoca_guardada = None
        self.inestable = False

    def on_epoch_end(self, epoca, logs=None):
        logs = logs or {}
        malas = [nombre for nombre, valor in logs.items() if not math.isfinite(float(valor))]
        if malas:
            self.inestable = True
            self.model.stop_training = True
            print(
                f"\nLa métrica {', '.join(malas)} se volvió NaN o infinita en la época {epoca + 1}: "
                "el entrenamiento se detuvo y el último punto de control sano queda intacto. "
                "Prueba una tasa de aprendizaje menor (p. ej. 1e-4) o suavizado_etiquetas=0.1."
            )
            return
        guardar_estado(self.model, self.carpeta, epoca + 1)
        self.epoca_guardada = epoca + 1


class MuestrasFijas(keras.callbacks.Callback):
    """Cuadrícula de ``n`` muestras de vectores latentes fijos (``semilla``) al final de cada época.

    Guarda ``carpeta/muestras/epoca_0001.png``, … y, al terminar, ``carpeta/evolucion.gif``.
    """

    def __init__(self, carpeta, n=64, semilla=1234, mostrar_cada=0):
        super().__init__()
        self.carpeta = Path(carpeta)
        self.n = n
        self.semilla = semilla
        self.mostrar_cada = mostrar_cada

    def on_train_begin(self, logs=None):
        rng = np.random.default_rng(self.semilla)
        self.ruido = rng.normal(size=(self.n, self.model.dim_latente)).astype(np.float32)

    def on_epoch_end(self, epoca, logs=None):
        imagenes = self.model.generador_para_muestras()(self.ruido, training=False)
        ruta = guardar_cuadricula(imagenes, self.carpeta / "muestras" / f"epoca_{epoca + 1:04d}.png")
        if self.mostrar_cada and (epoca + 1) % self.mostrar_cada == 0:
            _mostrar_png(ruta, f"Época {epoca + 1}")

    def on_train_end(self, logs=None):
        crear_gif(self.carpeta / "muestras", self.carpeta / "evolucion.gif")


def _mostrar_png(ruta, titulo):
    """Muestra un PNG en el cuaderno (no hace nada fuera de Jupyter)."""
    try:
        from IPython import get_ipython
        from IPython.display import Image, display
    except ImportError:
        return
    if get_ipython() is not None:
        print(titulo)
        display(Image(filename=str(ruta)))


def crear_gif(carpeta_muestras, ruta_gif, max_cuadros=60, duracion_ms=120):
    """Une los PNG de ``carpeta_muestras`` (en orden) en un GIF animado de como mucho ``max_cuadros``."""
    from PIL import Image

    cuadros = sorted(Path(carpeta_muestras).glob("epoca_*.png"))
    if not cuadros:
        return None
    elegidos = [cuadros[i] for i in np.unique(np.linspace(0, len(cuadros) - 1, max_cuadros).round().astype(int))]
    imagenes = [Image.open(ruta).convert("P") for ruta in elegidos]
    # El último cuadro se queda más tiempo en pantalla para poder mirarlo.
    duraciones = [duracion_ms] * (len(imagenes) - 1) + [1500]
    imagenes[0].save(ruta_gif, save_all=True, append_images=imagenes[1:], duration=duraciones, loop=0)
    return Path(ruta_gif)


class HistorialPerdidas(keras.callbacks.Callback):
    """Acumula las métricas por época en ``carpeta/historial.csv`` (también entre reanudaciones)
    y al terminar dibuja ``carpeta/perdidas.png``. ``self.historial`` es un diccionario de listas.
    """

    def __init__(self, carpeta, epoca_inicial=0):
        super().__init__()
        self.ruta_csv = Path(carpeta) / "historial.csv"
        self.epoca_inicial = epoca_inicial
        self.filas = []

    def on_train_begin(self, logs=None):
        if self.ruta_csv.exists():
            with open(self.ruta_csv, newline="", encoding="utf-8") as archivo:
                self.filas = [f for f in csv.DictReader(archivo) if int(f["epoca"]) <= self.epoca_inicial]

    def on_epoch_end(self, epoca, logs=None):
        self.filas.append({"epoca": epoca + 1, **{k: float(v) for k, v in (logs or {}).items()}})
        self.ruta_csv.parent.mkdir(parents=True, exist_ok=True)
        with open(self.ruta_csv, "w", newline="", encoding="utf-8") as archivo:
            escritor = csv.DictWriter(archivo, fieldnames=list(self.filas[-1]))
            escritor.writeheader()
            escritor.writerows(self.filas)

    @property
    def historial(self):
        claves = [k for k in (self.filas[-1] if self.filas else {}) if k != "epoca"]
        return {k: [float(f[k]) for f in self.filas] for k in claves}

    def on_train_end(self, logs=None):
        if self.filas:
            dibujar_perdidas(self.historial, self.ruta_csv.parent / "perdidas.png")


class LimiteDeTiempo(keras.callbacks.Callback):
    """Detiene ``fit`` al terminar la primera época que supera ``minutos`` de entrenamiento.

    Sirve para comparar recetas con el mismo presupuesto de tiempo, o para no pasarte de la sesión.
    """

    def __init__(self, minutos):
        super().__init__()
        if minutos <= 0:
            raise ValueError(f"minutos={minutos!r} debe ser positivo.")
        self.segundos = 60.0 * minutos

    def on_train_begin(self, logs=None):
        self.inicio = time.perf_counter()

    def on_epoch_end(self, epoca, logs=None):
        if time.perf_counter() - self.inicio > self.segundos:
            self.model.stop_training = True


class SeguimientoMetrica(keras.callbacks.Callback):
    """Mide la calidad cada ``cada`` épocas y guarda el mejor generador: «¿cuándo parar?» se
    responde con una métrica, no con la última época.

    - ``reales``: imágenes reales que la GAN no ve al entrenar (reserva), ``(n, alto, ancho, canales)``;
    - ``metrica``: función ``(reales, generadas) -> float``, menor es mejor; por defecto la SWD
      (``metricas.distancia_swd``), promediada sobre 4 grupos de muestras de vectores latentes fijos;
    - ``carpeta``: si se da, escribe ``metrica.csv`` (época, segundos, valor; se conserva al reanudar),
      ``metrica.png`` y ``mejor_generador.keras`` (el de menor valor hasta ahora).

    ``self.registros`` es la lista de mediciones: diccionarios con ``epoca``, ``segundos`` y ``valor``.
    """

    def __init__(self, reales, carpeta=None, cada=10, metrica=None, nombre="SWD ×10³", epoca_inicial=0, semilla=4321):
        super().__init__()
        if cada < 1:
            raise ValueError(f"cada={cada!r} debe ser un número de épocas ≥ 1.")
        self.reales = np.asarray(reales, np.float32)
        self.carpeta = Path(carpeta) if carpeta else None
        self.cada = cada
        self.metrica = metrica or _swd_promediada
        self.nombre = nombre
        self.epoca_inicial = epoca_inicial
        self.semilla = semilla
        self.registros = []

    def on_train_begin(self, logs=None):
        rng = np.random.default_rng(self.semilla)
        self.ruido = rng.normal(size=(4 * len(self.reales), self.model.dim_latente)).astype(np.float32)
        self.inicio = time.perf_counter()
        self.segundos_previos = 0.0
        if self.carpeta and (self.carpeta / "metrica.csv").exists():
            with open(self.carpeta / "metrica.csv", newline="", encoding="utf-8") as archivo:
                filas = [
                    {"epoca": int(f["epoca"]), "segundos": float(f["segundos"]), "valor": float(f["valor"])}
                    for f in csv.DictReader(archivo)
                ]
            # Solo las mediciones que el punto de control ya incluye: las demás se repetirán.
            self.registros = [r for r in filas if r["epoca"] <= self.epoca_inicial]
            self.segundos_previos = self.registros[-1]["segundos"] if self.registros else 0.0

    @property
    def mejor(self):
        """El registro de menor valor (``None`` si aún no se midió)."""
        return min(self.registros, key=lambda r: r["valor"]) if self.registros else None

    def on_epoch_end(self, epoca, logs=None):
        if (epoca + 1) % self.cada:
            return
        generador = self.model.generador_para_muestras()
        generadas = generador.predict(self.ruido, batch_size=256, verbose=0)
        segundos = self.segundos_previos + time.perf_counter() - self.inicio
        registro = {"epoca": epoca + 1, "segundos": round(segundos, 1), "valor": float(self.metrica(self.reales, generadas))}
        es_mejor = self.mejor is None or registro["valor"] < self.mejor["valor"]
        self.registros.append(registro)
        if self.carpeta:
            self.carpeta.mkdir(parents=True, exist_ok=True)
            with open(self.carpeta / "metrica.csv", "w", newline="", encoding="utf-8") as archivo:
                escritor = csv.DictWriter(archivo, fieldnames=["epoca", "segundos", "valor"])
                escritor.writeheader()
                escritor.writerows(self.registros)
            if es_mejor:
                generador.save(self.carpeta / "mejor_generador.keras")

    def on_train_end(self, logs=None):
        if self.carpeta and self.registros:
            import matplotlib.pyplot as plt

            from .graficos import dibujar_curvas_metrica

            plt.close(dibujar_curvas_metrica({"": self.registros}, self.nombre, "epoca", self.carpeta / "metrica.png"))


def _swd_promediada(reales, generadas):
    """SWD media de ``generadas`` partidas en grupos del tamaño de ``reales`` (la SWD usa tantas
    imágenes como el conjunto menor; promediar grupos reduce el ruido de la medida)."""
    from .metricas import distancia_swd

    grupos = [generadas[i : i + len(reales)] for i in range(0, len(generadas) - len(reales) + 1, len(reales))]
    return float(np.mean([distancia_swd(reales, grupo)["media"] for grupo in grupos]))
