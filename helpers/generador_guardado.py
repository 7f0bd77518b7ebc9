"""Un generador guardado en ``.keras``: cargarlo sin ejecutar código ajeno, medirlo y dibujar con él.

- ``cargar_generador``: lo abre con ``safe_mode=True`` y, si no puede, dice por qué en español (falta, está dañado,
  lleva código, no es un generador o se guardó con una Keras más nueva que no la sabe leer: ``carga_keras``);
- ``medir_generador``: su SWD y su KID frente a la reserva (misma semilla, mismas cifras);
- ``mismo_generador``: si dos modelos tienen los mismos pesos;
- ``generar_imagenes``: muestras e interpolaciones en PNG, sin escribir encima de nada (``python -m helpers generar``).

Lo usan ``eleccion_generador`` (al terminar de entrenar, para recomendar un generador), ``entrega``, la revisión
(``generador_ajeno`` y ``medida_entrega``), la línea de órdenes y el cuaderno 06 (a través de ``helpers``).
"""

import itertools
import re
from pathlib import Path

import keras
import numpy as np

from .archivos import escribir_de_una_vez
from .carga_keras import cargar_keras, keras_mas_nueva
from .entorno import LIMITE_RANGO
from .errores import buscada_en, explicar_y_aconsejar
from .fid_kid import distancia_kid
from .graficos import guardar_cuadricula, interpolar_latente
from .lotes import aplicar_por_lotes
from .modelos import red_generadora
from .opciones import exigir_booleano, exigir_carpeta, exigir_enteros, exigir_ruta, exigir_semilla
from .opciones_tarea import comprobar_opciones
from .swd import swd_promediada
from .textos import cifra


def medir_generador(generador, reserva, semilla=0, muestras=None, subconjuntos=50):
    """SWD y KID de ``generador`` (ya cargado, o una GAN del curso) frente a ``reserva`` ``(n, alto, ancho, canales)`` en [-1, 1].

    Usa ``muestras`` muestras (por defecto ``max(100, 2·n)``) de la ``semilla`` dada; la SWD se
    promedia por grupos de n y la KID, sobre ``subconjuntos`` subconjuntos. Mismas entradas → mismas
    cifras, así quien revisa una entrega puede repetir la medida. Devuelve ``{"swd": …, "kid": …,
    "kid_desviacion": …}`` (menor es mejor; la desviación es la de la KID entre subconjuntos, su ruido).
    """
    # Si no, AttributeError en inglés con una GAN o unas imágenes, y con muestras=-5 o 2,5 el error de NumPy.
    generador = red_generadora(generador, consejo="pasa el generador (un keras.Model) o una GAN del curso; para medir "
                               "unas imágenes ya generadas usa helpers.metricas.swd_promediada(reserva, imagenes)")
    if muestras is not None:
        exigir_enteros(("muestras", muestras, 2))
    semilla = exigir_semilla(semilla)
    n = muestras or max(100, 2 * len(reserva))
    z = np.random.default_rng(semilla).normal(size=(n, generador.input_shape[-1])).astype(np.float32)
    generadas = aplicar_por_lotes(generador, z, 128)
    # Subconjuntos de al menos 2 imágenes: con 2 o 3 de reserva el KID por defecto (n // 2) no se puede calcular.
    kid = distancia_kid(reserva, generadas, subconjuntos=subconjuntos, tamano_subconjunto=max(2, len(reserva) // 2))
    return {"swd": swd_promediada(reserva, generadas), "kid": kid["kid"], "kid_desviacion": kid["desviacion"]}


def mismo_generador(uno, otro):
    """``True`` si los dos modelos tienen los mismos pesos: dos archivos guardados por separado del mismo generador
    no tienen los mismos bytes, pero sí dan las mismas imágenes y las mismas medidas."""
    pesos_uno, pesos_otro = uno.get_weights(), otro.get_weights()
    return len(pesos_uno) == len(pesos_otro) and all(np.array_equal(a, b) for a, b in zip(pesos_uno, pesos_otro))


def cargar_generador(ruta):
    """Carga un generador guardado en ``.keras`` (con ``safe_mode=True``: sin código arbitrario).

    Si el archivo falta, no tienes permiso para leerlo, no es un modelo, lleva código (p. ej. una capa ``Lambda``)
    o no parece un generador (vector latente → imagen), lanza ``FileNotFoundError`` o ``ValueError`` nombrándolo.
    """
    ruta = exigir_ruta("ruta", ruta, "el archivo del generador, p. ej. resultados/mi_gan/generador.keras")
    if ruta.is_dir():  # p. ej. la carpeta del entrenamiento en lugar de su generador
        raise ValueError(f"«{ruta}» es una carpeta: indica el archivo del generador, p. ej. {ruta / 'generador.keras'}.")
    if ruta.suffix.lower() == ".keras" and ruta.suffix != ".keras":
        raise ValueError(f"«{ruta}» termina en {ruta.suffix}: Keras solo abre archivos que terminan en .keras, en "
                         f"minúsculas. Renómbralo a «{ruta.stem}.keras».")
    if ruta.suffix != ".keras":
        raise ValueError(f"«{ruta}» no es un archivo .keras: usa p. ej. resultados/mi_gan/generador.keras.")
    if not ruta.is_file():
        raise FileNotFoundError(
            f"No encuentro el modelo «{ruta}»: comprueba la ruta{buscada_en(ruta)}; al entrenar se guardan "
            "generador.keras y mejor_generador.keras en la carpeta de salida."
        )
    try:
        open(ruta, "rb").close()  # sin permiso de lectura, Keras diría «File not found» y aquí saldría «dañado»
    except PermissionError:
        raise ValueError(f"No tengo permiso para leer «{ruta}»: comprueba sus permisos.") from None
    try:
        generador = cargar_keras(ruta)
    except Exception as error:  # Keras lanza tipos muy distintos según dónde esté dañado el archivo
        # Keras rechaza así (su mensaje pide safe_mode=False) lo que ejecutaría código al cargarse.
        if "safe_mode" in str(error):
            raise ValueError(
                f"No cargo «{ruta}»: contiene código de Python (p. ej. una capa Lambda) que se ejecutaría al "
                "abrirlo, y por seguridad no lo hago. Usa un generador.keras entrenado con el kit."
            ) from None
        if desconocida := re.search(r"Could not locate class '([^']+)'", str(error)):
            raise ValueError(
                f"No puedo cargar «{ruta}»: usa una capa que el curso no conoce («{desconocida[1]}»), así que no es "
                "un generador entrenado con el kit. Usa el generador.keras de un entrenamiento del curso."
            ) from None
        # Guardado en Colab, cuya Keras cambia sin avisar: copiarlo de nuevo no cambiaría nada.
        if guardado_con := keras_mas_nueva(ruta):
            raise ValueError(
                f"No puedo cargar «{ruta}»: se guardó con Keras {guardado_con}, más nueva que la tuya "
                f"({keras.__version__}), que no lo sabe leer. Actualiza Keras (pip install -U keras) y vuelve a intentarlo."
            ) from None
        raise ValueError(
            f"No puedo cargar «{ruta}»: está dañado, incompleto o no es un "
            "modelo de Keras. Cópialo de nuevo o vuelve a entrenar."
        ) from None
    generador = red_generadora(generador, f"«{ruta}»", "usa el generador.keras de un entrenamiento")
    if (canales := generador.output_shape[-1]) not in (1, 3):
        raise ValueError(f"«{ruta}» dibuja imágenes de {canales} canales y solo se pueden dibujar en gris (1) o en color "
                         "(3): usa el generador.keras de un entrenamiento del curso.")
    return generador


def _nombres_libres(carpeta, nombres):
    """``carpeta/nombre`` para cada nombre o, si alguno ya existe, todos con ``_2``, ``_3``…: nunca se
    escribe encima de nada (tampoco de un archivo tuyo que se llame igual)."""
    for numero in itertools.count(1):
        sufijo = "" if numero == 1 else f"_{numero}"
        rutas = [carpeta / f"{Path(nombre).stem}{sufijo}{Path(nombre).suffix}" for nombre in nombres]
        if not any(ruta.exists() for ruta in rutas):
            return rutas


def generar_imagenes(modelo, salida, n=64, semilla=0, interpolacion=False):
    """Dibuja ``n`` muestras de un generador y las guarda en ``salida/muestras.png``.

    ``modelo``: ruta de un ``.keras`` (ver ``cargar_generador``), el generador ya cargado o una GAN. Con
    ``interpolacion``, guarda también ``salida/interpolacion.png``: 4 tiras de 10 pasos entre pares
    de vectores latentes. Si ya hay archivos con esos nombres no los toca: usa ``muestras_2.png``
    (e ``interpolacion_2.png``), ``_3``… y lo dice. Misma ``semilla`` → mismas imágenes. Devuelve la
    lista de rutas escritas.
    """
    comprobar_opciones(n=n, semilla=semilla)
    exigir_booleano("interpolacion", interpolacion)
    salida = exigir_ruta("salida", salida, "la carpeta donde guardar las imágenes (en la terminal, --salida)")
    exigir_carpeta(f"«{salida}»", salida, "elige una carpeta para las imágenes")
    generador = cargar_generador(modelo) if isinstance(modelo, (str, Path)) else red_generadora(
        modelo, "modelo", "pasa la ruta de un generador.keras, el generador ya cargado o una GAN del curso")
    rng = np.random.default_rng(semilla)
    dim = generador.input_shape[-1]
    z = rng.normal(size=(n, dim)).astype(np.float32)
    muestras = aplicar_por_lotes(generador, z, 256)
    if not np.isfinite(muestras).all():  # si no, la cuadrícula saldría gris, sin más
        raise ValueError(
            f"El generador {'«' + str(modelo) + '» ' if isinstance(modelo, (str, Path)) else ''}da imágenes con NaN o "
            "infinitos: su entrenamiento se volvió inestable. Usa otro (p. ej. generador_menor_swd.keras) o vuelve a "
            "entrenar con otra semilla."
        )
    if np.abs(muestras).max() > LIMITE_RANGO:  # los generadores del kit acaban en tanh, en [-1, 1]
        print(f"Aviso: el generador da valores de {cifra(muestras.min(), significativas=4)} a "
              f"{cifra(muestras.max(), significativas=4)} y las imágenes se dibujan en [-1, 1] (los del curso "
              "acaban en tanh): lo que se sale se recorta. ¿Es un generador de este curso?")
    nombres = ["muestras.png", "interpolacion.png"][: 2 if interpolacion else 1]
    destinos = _nombres_libres(salida, nombres)
    if destinos[0].name != nombres[0]:
        existente = next(salida / nombre for nombre in nombres if (salida / nombre).exists())
        print(f"«{existente}» ya existe y no lo sobrescribo: guardo en {' y '.join(d.name for d in destinos)}.")
    # De una vez: un corte a mitad dejaría una imagen rota con el nombre que después no se sobrescribe.
    try:
        muestras = np.clip(muestras, -1, 1)
        escribir_de_una_vez(destinos[0], lambda temporal: guardar_cuadricula(muestras, temporal))
        if interpolacion:
            tiras = np.clip(np.concatenate([interpolar_latente(generador, rng.normal(size=dim), rng.normal(size=dim), 10)
                                            for _ in range(4)]), -1, 1)
            escribir_de_una_vez(destinos[1], lambda temporal: guardar_cuadricula(tiras, temporal, columnas=10))
    except OSError as error:  # p. ej. el disco lleno: en español, sin la traza de Pillow
        if (texto := explicar_y_aconsejar(error, "vuelve a generar las imágenes")) is None:
            raise
        raise OSError(f"{texto[0].upper()}{texto[1:]}") from None
    return destinos
