"""Laboratorio de estabilidad del cuaderno 04: varias recetas, el mismo presupuesto de tiempo.

Cada receta es un diccionario de opciones de ``crear_gan`` (``{"perdida": "bisagra"}``,
``RECETA_POCOS_DATOS``…). ``comparar_recetas`` entrena cada una durante los mismos minutos de reloj
sobre los mismos datos y mide la SWD contra imágenes de reserva cada pocas épocas; así se comparan
recetas que van a distinta velocidad por paso (WGAN-GP es más lenta, por ejemplo) con lo que de
verdad importa cuando entrenas en tu portátil: la calidad que alcanzas en un tiempo dado.

- ``comparar_recetas``: entrena y devuelve, por receta, las curvas de SWD y de pérdidas y unas muestras;
- ``dibujar_comparacion``: la SWD y la exactitud del discriminador de todas las recetas frente al tiempo;
- ``mostrar_muestras_recetas``: las cuadrículas finales de todas las recetas, una junto a otra;
- ``mediana_final`` y ``oscilacion_final``: dónde se asienta la SWD de una receta y cuánto salta.
"""

import math
import time
import warnings

import numpy as np

from .callbacks import SeguimientoMetrica
from .datos import IMAGENES_RAPIDAS, a_dataset, imagenes_para_gan
from .entorno import fijar_semilla, limitar, repartidos, sin_aviso_de_trazar_de_nuevo
from .estabilizadores import PROGRAMAS_RUIDO
from .estudiante import nivel_del_estudiante
from .gan import crear_gan
from .graficos import con_coma_decimal, cuadricula, guardar_figura
from .opciones import es_entero, es_real, exigir_enteros, exigir_semilla
from .progreso import LimiteDeTiempo
from .textos import cifra, contar, miles

SEGUNDOS_RAPIDOS = 3  # por receta en modo rápido: el cuaderno 04 entrena doce recetas


class SeguimientoDesdeCero(SeguimientoMetrica):
    """``SeguimientoMetrica`` que además mide antes de la primera época (``epoca`` 0, ``segundos`` 0)
    y al terminar: cada curva va del generador sin entrenar al generador final, aunque el
    entrenamiento se detenga entre dos medidas. El reloj arranca después de la medida inicial.

    ``self.fin_de_epoca``: el momento en que acaba cada época, con el mismo reloj que ``registros`` y
    leído antes de medir esa época: la SWD y las pérdidas de una época caen en el mismo segundo."""

    def on_train_begin(self, logs=None):
        super().on_train_begin(logs)
        self._medir(-1)
        self.registros[0]["segundos"] = 0.0
        self.fin_de_epoca = []
        self.inicio = time.perf_counter()

    def on_epoch_end(self, epoca, logs=None):
        self.fin_de_epoca.append(time.perf_counter() - self.inicio)
        super().on_epoch_end(epoca, logs)

    def on_train_end(self, logs=None):
        if self.ultima_epoca is not None and self.registros[-1]["epoca"] != self.ultima_epoca + 1:
            self._medir(self.ultima_epoca)  # una medida más, fuera del ritmo de ``cada``
        super().on_train_end(logs)


def _comprobar_recetas(recetas, minutos, lote, cada, semilla, n_muestras):
    """``ValueError`` con un ejemplo si ``recetas`` no es ``{nombre: opciones de crear_gan}``, si una opción
    no es válida o si una receta baja el ruido de instancia por épocas (aquí quien para es el reloj)."""
    ejemplo = "p. ej. {\"ingenua\": INGENUA, \"+ R1\": {**INGENUA, \"penalizacion_r1\": 1.0}}"
    if not isinstance(recetas, dict):
        raise ValueError(f"recetas debe ser un diccionario {{nombre: opciones de crear_gan}}: {ejemplo}.")
    if malas := [nombre for nombre, receta in recetas.items() if not isinstance(receta, dict)]:
        raise ValueError(f"La receta {malas[0]!r} no es un diccionario de opciones de crear_gan (llegó "
                         f"{recetas[malas[0]]!r:.60}): {ejemplo}.")
    if not recetas:
        raise ValueError(f"recetas está vacío: pasa un diccionario {{nombre: opciones de crear_gan}}, {ejemplo}.")
    # El nombre sale en el resumen y en las leyendas: con otra cosa, el error llegaría tras entrenar.
    if malos := [nombre for nombre in recetas if not (isinstance(nombre, str) and nombre.strip())]:
        raise ValueError(f"Cada receta se nombra con un texto no vacío (sale en el resumen y en las leyendas) y "
                         f"llegó {malos[0]!r}: {ejemplo}.")
    exigir_enteros(("lote", lote, 1), ("cada", cada, 1), ("n_muestras", n_muestras, 1))
    exigir_semilla(semilla)
    for nombre, receta in recetas.items():
        if "lote" in receta and not es_entero(receta["lote"], 1):
            raise ValueError(f"lote={receta['lote']!r} (en la receta {nombre!r}) no es válido: debe ser un entero positivo.")
    if not es_real(minutos, mayor_que=0):
        raise ValueError(f"minutos={minutos!r} no es válido: debe ser un número positivo y finito (p. ej. 2 o 0,5).")
    for nombre, receta in recetas.items():
        programa = receta.get("programa_ruido", "lineal")  # el de GAN por defecto
        # Uno que no existe (una errata) no baja nada: lo explica crear_gan al preparar la receta.
        if receta.get("ruido_instancia") and programa != "constante" and programa in PROGRAMAS_RUIDO:
            raise ValueError(
                f"La receta {nombre!r} usa ruido_instancia con programa_ruido={programa!r}, que baja el ruido "
                "según las épocas de fit; comparar_recetas entrena por tiempo, sin saber cuántas épocas habrá, "
                "así que el ruido no bajaría nunca. Aquí usa programa_ruido='constante'; para ver cómo se apaga, "
                "entrena esa receta con crear_gan y fit(..., epochs=...)."
            )


def _preparar_recetas(recetas, entrenamiento, lote, semilla):
    """``{nombre: (gan, lote_receta)}``: cada receta construida, con su lote ajustado a las imágenes y un
    primer paso ya dado; ``ValueError`` que la nombra si no se puede entrenar."""
    lado, canales = entrenamiento.shape[1], entrenamiento.shape[3]
    # Cada receta se construye y da su primer paso antes de entrenar ninguna: una opción mal escrita en la
    # última no tira los minutos de las anteriores. Ese paso compila el de entrenamiento (tarda segundos), así
    # que tampoco gasta el presupuesto, y cada receta tarda distinto en compilar. Con take(1) la época tiene
    # un solo paso aunque se agrupen varios por llamada (steps_per_execution).
    preparadas = {}
    for nombre, receta in recetas.items():
        opciones = dict(receta)
        lote_receta = opciones.pop("lote", lote)
        if lote_receta > len(entrenamiento):
            if "lote" in receta:
                print(f"Aviso: la receta {nombre!r} pide lote={lote_receta} y hay {miles(len(entrenamiento))} imágenes "
                      f"de entrenamiento; uso lote={len(entrenamiento)}.")
            lote_receta = len(entrenamiento)
        if ajenas := sorted({"tamano", "canales"} & opciones.keys()):
            raise ValueError(f"La receta {nombre!r} trae {' y '.join(ajenas)}, que comparar_recetas toma de las imágenes "
                             f"({lado} px, {contar(canales, 'canal', 'canales')}): quíta{'los' if len(ajenas) > 1 else 'lo'} "
                             "de la receta; para otro tamaño, redimensiona las imágenes de entrenamiento y de reserva.")
        fijar_semilla(semilla)
        try:
            gan = crear_gan(lado, canales, **opciones)
            historia = gan.fit(a_dataset(entrenamiento, lote_receta, semilla=semilla).take(1), epochs=1, verbose=0)
        except ValueError as error:
            raise ValueError(f"La receta {nombre!r} no se puede entrenar (no he entrenado ninguna todavía): {error}") from None
        except KeyboardInterrupt:
            raise KeyboardInterrupt("Comparación interrumpida mientras preparaba las recetas: no se ha entrenado ninguna; "
                                    "vuelve a ejecutar la celda para empezar.") from None
        imagen = gan.generador_para_muestras()(np.zeros((1, gan.dim_latente), np.float32), training=False)
        # Si no, la receta no tendría ni la medida inicial y la comparación fallaría al resumirla.
        if not (all(math.isfinite(v[-1]) for v in historia.history.values()) and np.isfinite(imagen).all()):
            raise ValueError(f"La receta {nombre!r} diverge ya en su primer paso (pérdidas o imágenes NaN o infinitas; no he "
                             "entrenado ninguna todavía): prueba en ella tasas de aprendizaje menores (lr_generador, "
                             "lr_discriminador).")
        preparadas[nombre] = gan, lote_receta  # los datos, al entrenarla: una copia de las imágenes por receta a la vez
    return preparadas


def _entrenar_receta(nombre, gan, datos, reserva, minutos, cada, semilla, n_muestras):
    """Entrena ``gan`` durante ``minutos`` midiendo la SWD contra ``reserva``, imprime su línea de
    resumen y devuelve su resultado (ver ``comparar_recetas``)."""
    seguimiento = SeguimientoDesdeCero(reserva, cada=cada)
    try:
        historia = gan.fit(
            datos,
            epochs=1_000_000,  # quien para es LimiteDeTiempo, no el número de épocas
            verbose=0,
            # La medida inicial, antes de que arranque el reloj del límite.
            callbacks=[seguimiento, LimiteDeTiempo(minutos)],
        )
    except KeyboardInterrupt:  # el de fit hablaría de seguir entrenando esta GAN, que no se guarda
        raise KeyboardInterrupt(f"Comparación interrumpida en la receta {nombre!r}: no se guarda nada, así que al "
                                "volver a ejecutar la celda se entrenan todas las recetas de nuevo.") from None
    z = np.random.default_rng(semilla).normal(size=(n_muestras, gan.dim_latente)).astype(np.float32)
    resultado = {
        "registros": seguimiento.registros,
        "historial": historia.history,
        "segundos": seguimiento.fin_de_epoca,
        "muestras": np.asarray(gan.generador_para_muestras()(z, training=False)),
        "gan": gan,
    }
    final = seguimiento.registros[-1]
    oscilacion = oscilacion_final(seguimiento.registros)
    print(
        f"{nombre:<28} SWD final {final['valor']:4.0f}, mediana del último tercio {mediana_final(seguimiento.registros):4.0f},"
        f" oscilación {cifra(oscilacion, 1) if math.isfinite(oscilacion) else 'sin medir (una sola medida en el último tercio)'}"
        f" ({final['segundos']:.0f} s, "
        f"{contar(final['epoca'], 'época', 'épocas')})"
    )
    return resultado


@sin_aviso_de_trazar_de_nuevo()  # cada receta es una GAN nueva, con su paso trazado de nuevo: a propósito
def comparar_recetas(recetas, entrenamiento, reserva, minutos=3.0, lote=32, cada=5, semilla=0, n_muestras=16):
    """Entrena cada receta de ``recetas`` (``{nombre: opciones de crear_gan}``) durante ``minutos`` (menos si
    sus pérdidas se vuelven NaN: ``fit`` se detiene al terminar esa época).

    - ``entrenamiento`` y ``reserva``: imágenes ``(n, lado, lado, canales)`` en [-1, 1]; la GAN solo
      ve las de entrenamiento y la SWD (×10³, menor es mejor) se mide contra las de reserva;
    - ``cada``: épocas entre dos medidas de la SWD (medir también cuenta en el tiempo); siempre se
      mide además al empezar y al terminar;
    - una receta puede traer su propio ``lote``; si no, se usa ``lote``;
    - todas parten de la misma ``semilla`` (pesos iniciales y orden de los lotes);
    - el ruido de instancia solo con ``programa_ruido='constante'``: los que bajan avanzan con las
      épocas de ``fit``, y aquí quien para es el reloj (con otro programa, ``ValueError``).

    En modo rápido cada receta entrena como mucho ``SEGUNDOS_RAPIDOS`` segundos. XLA, como en
    ``crear_gan``, solo en una GPU NVIDIA o AMD (en CPU hace más lento este paso).

    Devuelve ``{nombre: resultado}``; cada resultado es un diccionario con:
    ``registros`` (lista de ``{epoca, segundos, valor}`` de la SWD; la primera, con ``epoca`` 0, es
    el generador antes de entrenar, tras el paso de calentamiento; la última, el final),
    ``historial`` (listas por época de ``perdida_g``, ``perdida_d``, ``exactitud_d``…),
    ``segundos`` (el final de cada época, con el mismo reloj que ``registros``), ``muestras``
    (``n_muestras`` imágenes de vectores latentes fijos, iguales para todas las recetas) y ``gan``
    (el modelo entrenado, por si quieres seguir).
    """
    # Antes de entrenar ninguna: que el error no llegue tras varios minutos de otras recetas.
    _comprobar_recetas(recetas, minutos, lote, cada, semilla, n_muestras)
    entrenamiento, reserva = _imagenes(entrenamiento, "entrenamiento"), _imagenes(reserva, "reserva")
    if entrenamiento.shape[1:] != reserva.shape[1:]:
        raise ValueError(f"Las imágenes de entrenamiento son de forma {entrenamiento.shape[1:]} y las de reserva de "
                         f"{reserva.shape[1:]} (alto, ancho, canales): la SWD compara imágenes del mismo tamaño y "
                         "canales; cárgalas igual (p. ej. helpers.imagenes_rostros(32, \"reserva\")).")
    if limitar(minutos, SEGUNDOS_RAPIDOS / 60) < minutos:
        print(f"Modo rápido: {SEGUNDOS_RAPIDOS} s por receta en lugar de {miles(round(minutos * 60))} s.")
        minutos = SEGUNDOS_RAPIDOS / 60
    # Una vez, no en cada receta; repartidas por todo el conjunto, como en a_dataset (y sin copiarlo si son todas).
    usadas = repartidos(len(entrenamiento), IMAGENES_RAPIDAS, "imágenes")
    if len(usadas) < len(entrenamiento):
        entrenamiento = entrenamiento[usadas]
    # Avisado aquí una vez, no por a_dataset en cada receta y en cada fit.
    if lote > len(entrenamiento) and not all("lote" in receta for receta in recetas.values()):
        print(f"Aviso: lote={lote} y hay {miles(len(entrenamiento))} imágenes de entrenamiento; uso lote={len(entrenamiento)}.")
    with warnings.catch_warnings():  # lo de [0, 1] ya se avisó arriba, con el conjunto: a_dataset y fit lo repetirían sin él
        warnings.filterwarnings("ignore", message="Las imágenes van de .*sin ningún valor negativo")
        preparadas = _preparar_recetas(recetas, entrenamiento, lote, semilla)
        resultados = {}
        for nombre, (gan, lote_receta) in preparadas.items():
            datos = a_dataset(entrenamiento, lote_receta, semilla=semilla)
            resultados[nombre] = _entrenar_receta(nombre, gan, datos, reserva, minutos, cada, semilla, n_muestras)
    return resultados


def _imagenes(imagenes, parametro):
    """``imagenes_para_gan`` con el nombre del parámetro en el error y en el aviso (p. ej. de unas imágenes
    en [0, 1]): comparar_recetas recibe dos conjuntos."""
    try:
        with warnings.catch_warnings(record=True) as avisos:
            warnings.simplefilter("always")
            imagenes = imagenes_para_gan(imagenes, "comparar_recetas")
    except ValueError as error:
        raise ValueError(f"En «{parametro}»: {error}") from None
    for aviso in avisos:
        warnings.warn(f"En «{parametro}»: {aviso.message}", aviso.category, stacklevel=nivel_del_estudiante())
    return imagenes


def _tipo(valor):
    """Cómo nombrar en un mensaje lo que llegó en lugar de lo esperado: «una lista», «None», «un int»…"""
    return {list: "una lista", tuple: "una tupla", type(None): "None"}.get(type(valor), f"un {type(valor).__name__}")


def _comprobar_resultados(resultados, funcion, claves):
    """``ValueError`` en español si ``resultados`` no es ``{nombre: resultado}`` como lo devuelve
    ``comparar_recetas``, con al menos una receta y en cada una las ``claves`` que lee ``funcion`` (quién
    lo recibe, para el mensaje)."""
    que = f"{funcion} recibe lo que devuelve comparar_recetas, un diccionario {{nombre de la receta: resultado}},"
    if isinstance(resultados, dict) and "registros" in resultados:
        raise ValueError(f"{que} y le llegó el resultado de una sola receta: pasa el diccionario entero o, para ver "
                         f"solo una, {funcion}({{\"ingenua\": resultados[\"ingenua\"]}}).")
    if not isinstance(resultados, dict):
        raise ValueError(f"{que} y le llegó {_tipo(resultados)}: p. ej. resultados = helpers.comparar_recetas(RECETAS, "
                         f"entrenamiento, reserva) y luego {funcion}(resultados).")
    if not resultados:
        raise ValueError(f"{que} y está vacío: pasa el de comparar_recetas, con al menos una receta.")
    for nombre, resultado in resultados.items():
        if not (isinstance(resultado, dict) and set(claves) <= resultado.keys()):
            raise ValueError(f"{que} y {nombre!r} no es el resultado de una receta (un diccionario con "
                             f"{', '.join(claves)}): le llegó {_tipo(resultado)}.")


def _comprobar_registros(registros, funcion):
    """``ValueError`` en español si ``registros`` no es la lista de medidas de la SWD de una receta."""
    que = f"{funcion} recibe los registros de una receta, resultados[nombre][\"registros\"],"
    if isinstance(registros, dict):
        raise ValueError(f"{que} y le llegó un diccionario (¿el resultado entero de una receta?): p. ej. "
                         f"{funcion}(resultados[\"ingenua\"][\"registros\"]).")
    if not isinstance(registros, (list, tuple)):
        raise ValueError(f"{que} una lista de {{epoca, segundos, valor}}, y le llegó {_tipo(registros)}.")
    if not registros:
        raise ValueError(f"{que} y la lista está vacía: pasa la de una receta entrenada con comparar_recetas, que "
                         "tiene al menos la medida del principio y la del final.")
    if malos := [r for r in registros if not (isinstance(r, dict) and {"segundos", "valor"} <= r.keys())]:
        raise ValueError(f"{que} una lista de {{epoca, segundos, valor}}, y trae {malos[0]!r:.60}.")


def mediana_final(registros):
    """Mediana de la SWD en el último tercio del tiempo: una medida suelta salta mucho de una época a
    otra (sobre todo si el juego oscila), la mediana de varias dice dónde se ha asentado la receta."""
    _comprobar_registros(registros, "mediana_final")
    return float(np.median(_ultimo_tercio(registros)))


def oscilacion_final(registros):
    """Cuánto salta la SWD en el último tercio del tiempo: el cociente entre sus percentiles 90 y 10.
    Cerca de 1, la receta se ha asentado; 2 o más, el juego da vueltas y la última época es lotería.
    Con una sola medida en ese tercio (un entrenamiento corto o ``cada`` grande) no hay salto que medir:
    devuelve ``nan``, no un 1 que parecería una receta asentada."""
    _comprobar_registros(registros, "oscilacion_final")
    tercio = _ultimo_tercio(registros)
    if len(tercio) < 2:
        return math.nan
    p10, p90 = np.percentile(tercio, [10, 90])
    return float(p90 / p10)


def _ultimo_tercio(registros):
    limite = 2 / 3 * registros[-1]["segundos"]
    return [r["valor"] for r in registros if r["segundos"] >= limite]


def dibujar_comparacion(resultados, suelo=None, ruta=None):
    """Dos gráficos con una curva por receta, frente al tiempo de entrenamiento: la SWD (escala
    logarítmica) y la exactitud del discriminador (media de las últimas 10 épocas). Los dos con el
    mismo reloj, el del presupuesto de ``comparar_recetas`` (cuenta también el tiempo de medir).

    ``suelo``: la SWD «real contra real» (un número, p. ej. ``swd_promediada(reserva, entrenamiento)``), que
    se dibuja como línea de referencia. Devuelve la figura
    (y la guarda en ``ruta`` si se da).
    """
    import matplotlib.pyplot as plt

    _comprobar_resultados(resultados, "dibujar_comparacion", ("registros", "historial", "segundos"))
    for nombre, r in resultados.items():  # si no, matplotlib fallaba en inglés («x and y must have same first dimension»)
        historial = r["historial"]
        if not (isinstance(historial, dict) and len(historial.get("exactitud_d", ())) == len(r["segundos"])):
            raise ValueError(f"En {nombre!r}, «historial» debe ser un diccionario con la lista «exactitud_d», un valor "
                             f"por época, tantos como «segundos» ({len(r['segundos'])}): ¿viene de otro entrenamiento "
                             "(o es el objeto History de fit, y no su .history)? Usa los dos del mismo resultado de "
                             "comparar_recetas.")
    if suelo is not None and not es_real(suelo, mayor_que=0):
        como = " (¿el de distancia_swd? Pasa su [\"media\"])" if isinstance(suelo, dict) else ""
        raise ValueError(f"suelo={suelo!r:.60} no es válido{como}: debe ser un número positivo, la SWD real contra real "
                         "(p. ej. swd_promediada(reserva, entrenamiento)), o None para no dibujarlo.")
    figura, (eje_swd, eje_d) = plt.subplots(1, 2, figsize=(13, 4.2))
    for nombre, r in resultados.items():
        linea = eje_swd.plot([m["segundos"] for m in r["registros"]], [m["valor"] for m in r["registros"]], marker=".", label=nombre)
        eje_d.plot(r["segundos"], _media_deslizante(r["historial"]["exactitud_d"]), color=linea[0].get_color(), label=nombre)
    if suelo is not None:
        eje_swd.axhline(suelo, color="0.3", ls="--", lw=1, label="real contra real")
    eje_swd.set_yscale("log")
    eje_swd.set_ylabel("SWD ×10³ (menor es mejor)")
    eje_swd.legend(fontsize=8)
    eje_d.axhline(0.5, color="0.3", ls=":", lw=1)
    eje_d.set_ylim(0, 1.02)
    eje_d.set_ylabel("exactitud del discriminador")
    for eje in (eje_swd, eje_d):
        eje.set_xlabel("tiempo de entrenamiento (s)")
        eje.grid(alpha=0.3)
    con_coma_decimal(figura).tight_layout()
    if ruta:
        guardar_figura(figura, ruta)
    return figura


def _media_deslizante(valores, ventana=10):
    """Media de las últimas ``ventana`` épocas en cada punto: la exactitud de una sola época es muy ruidosa."""
    return np.array([np.mean(valores[max(0, i + 1 - ventana) : i + 1]) for i in range(len(valores))])


def mostrar_muestras_recetas(resultados, columnas=3, ruta=None):
    """Las ``muestras`` finales de cada receta en su propio recuadro, con su nombre y su SWD final."""
    import matplotlib.pyplot as plt

    _comprobar_resultados(resultados, "mostrar_muestras_recetas", ("registros", "muestras"))
    exigir_enteros(("columnas", columnas, 1))
    filas = math.ceil(len(resultados) / columnas)
    figura, ejes = plt.subplots(filas, columnas, figsize=(3.6 * columnas, 4.2 * filas), squeeze=False)
    for eje, (nombre, r) in zip(ejes.flat, resultados.items()):
        mosaico = cuadricula(r["muestras"])
        eje.imshow(mosaico.squeeze(), cmap="gray" if mosaico.shape[-1] == 1 else None, vmin=0, vmax=255)
        eje.set_title(f"{nombre}\nSWD {r['registros'][-1]['valor']:.0f}", fontsize=10)
    for eje in ejes.flat:
        eje.axis("off")
    figura.tight_layout()
    if ruta:
        guardar_figura(figura, ruta)
    return figura
