import math
import re

import matplotlib
import numpy as np
import pytest

import helpers
from helpers import callbacks, laboratorio, progreso

matplotlib.use("Agg")

RECETAS = {
    "por defecto": {"ancho": 8, "dim_latente": 8},
    "bisagra, lote 16": {"ancho": 8, "dim_latente": 8, "perdida": "bisagra", "lote": 16},
}


PRESUPUESTO = 12  # segundos del reloj simulado por receta


class RelojSimulado:
    """Sustituye a ``time`` en el laboratorio, los callbacks y el límite de tiempo: cada lectura avanza un segundo.

    Así las pruebas no dependen de lo rápida que sea la máquina: las épocas, las medidas y el
    momento en que se agota el presupuesto son siempre los mismos.
    """

    def __init__(self):
        self.ahora = 0.0

    def perf_counter(self):
        self.ahora += 1.0
        return self.ahora


@pytest.fixture(scope="module")
def resultados():
    imagenes, _ = helpers.imagenes_digitos(16)
    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(laboratorio, "time", RelojSimulado())
        parche.setattr(callbacks, "time", laboratorio.time)
        parche.setattr(progreso, "time", laboratorio.time)  # el de LimiteDeTiempo
        # Modo rápido (conftest): cada receta entrena como mucho SEGUNDOS_RAPIDOS aunque pidamos 10 minutos.
        parche.setattr(laboratorio, "SEGUNDOS_RAPIDOS", PRESUPUESTO)
        return laboratorio.comparar_recetas(RECETAS, imagenes[:64], imagenes[64:80], minutos=10, lote=32, cada=2)


def test_hay_un_resultado_por_receta(resultados):
    assert list(resultados) == list(RECETAS)
    for r in resultados.values():
        assert set(r) == {"registros", "historial", "segundos", "muestras", "gan"}


def test_el_modo_rapido_recorta_el_presupuesto(resultados):
    for r in resultados.values():
        # LimiteDeTiempo para al final de la primera época que, con su medida, pasa del presupuesto: la
        # anterior acabó dentro y la medida final, fuera (los relojes leen el mismo tiempo simulado).
        assert len(r["segundos"]) >= 2
        assert r["segundos"][-2] <= PRESUPUESTO < r["registros"][-1]["segundos"]


def test_las_curvas_empiezan_sin_entrenar_y_avanzan_en_el_tiempo(resultados):
    for r in resultados.values():
        registros = r["registros"]
        assert registros[0]["epoca"] == 0 and len(registros) >= 2
        epocas = [m["epoca"] for m in registros]
        # Al empezar, cada 2 épocas y al terminar (la última época no tiene por qué ser múltiplo de 2).
        assert epocas[:-1] == list(range(0, 2 * len(registros) - 2, 2))
        assert epocas[-1] == len(r["segundos"]) and epocas[-1] - epocas[-2] in (1, 2)
        segundos = [m["segundos"] for m in registros]
        assert all(a < b for a, b in zip(segundos, segundos[1:]))
        assert all(math.isfinite(m["valor"]) and m["valor"] > 0 for m in registros)
        assert len(r["historial"]["exactitud_d"]) == len(r["segundos"])


def test_muestras_de_cada_receta(resultados):
    for r in resultados.values():
        assert r["muestras"].shape == (16, 16, 16, 1)
        assert np.all(np.abs(r["muestras"]) <= 1.0)


def test_la_receta_puede_traer_su_lote(resultados):
    # 64 imágenes: 2 pasos por época con lotes de 32 y 4 con lotes de 16 (más el de calentamiento).
    pasos = {n: (int(r["gan"].opt_generador.iterations) - 1) / len(r["segundos"]) for n, r in resultados.items()}
    assert pasos == {"por defecto": 2, "bisagra, lote 16": 4}


def test_graficos(resultados):
    figura = laboratorio.dibujar_comparacion(resultados, suelo=50.0)
    eje_swd, eje_d = figura.axes
    assert len(eje_swd.lines) == len(RECETAS) + 1 and len(eje_d.lines) == len(RECETAS) + 1
    figura = laboratorio.mostrar_muestras_recetas(resultados, columnas=3)
    assert [eje.get_title().split("\n")[0] for eje in figura.axes[: len(RECETAS)]] == list(RECETAS)


def _registros(valores, segundos):
    return [{"epoca": i, "segundos": s, "valor": v} for i, (s, v) in enumerate(zip(segundos, valores))]


def test_mediana_y_oscilacion_del_ultimo_tercio():
    # El último tercio de 90 s empieza en 60 s: solo cuentan 200, 100, 200 y 100.
    registros = _registros([600, 300, 150, 200, 100, 200, 100], [0, 15, 30, 60, 70, 80, 90])
    assert laboratorio.mediana_final(registros) == 150.0
    assert laboratorio.oscilacion_final(registros) == pytest.approx(np.percentile([200, 100, 200, 100], 90) / np.percentile([200, 100, 200, 100], 10))
    asentada = _registros([600, 300, 120, 121, 120, 119], [0, 30, 60, 70, 80, 90])
    assert laboratorio.oscilacion_final(asentada) == pytest.approx(1.0, abs=0.02)
    assert laboratorio.oscilacion_final(registros) > 1.8


def test_oscilacion_con_una_sola_medida_en_el_ultimo_tercio_es_nan_y_no_asentada():
    # Un entrenamiento corto: la medida inicial (0 s) y la final (90 s); en el último tercio solo la final.
    corta = _registros([600, 150], [0, 90])
    assert math.isnan(laboratorio.oscilacion_final(corta))
    assert laboratorio.mediana_final(corta) == 150.0
    assert laboratorio.oscilacion_final(_registros([600, 150, 100], [0, 80, 90])) == pytest.approx(
        np.percentile([150, 100], 90) / np.percentile([150, 100], 10))


def test_la_precision_dibujada_es_una_media_de_las_ultimas_epocas():
    valores = [1.0] * 10 + [0.0] * 10
    media = laboratorio._media_deslizante(valores, ventana=10)
    assert media[:10].tolist() == [1.0] * 10
    assert media[14] == pytest.approx(0.5) and media[19] == 0.0


class Entrena(Exception):
    """La lanza el ``crear_gan`` falso: la receta pasó las comprobaciones y empezaría a entrenar."""


@pytest.mark.parametrize("ruido", [{"programa_ruido": "lineal"}, {"programa_ruido": "tercios"}, {}])
def test_rechaza_el_ruido_que_baja_antes_de_entrenar_ninguna_receta(monkeypatch, ruido):
    # ProgramaRuido avanza con las épocas que pide fit y aquí para el reloj: el ruido no bajaría como se pidió.
    def crear_gan(*args, **kwargs):
        raise Entrena

    monkeypatch.setattr(laboratorio, "crear_gan", crear_gan)
    imagenes = np.zeros((8, 16, 16, 1), np.float32)
    recetas = {"por defecto": {}, "ruido que se apaga": {"ruido_instancia": 0.1, **ruido}}
    with pytest.raises(ValueError, match=r"'ruido que se apaga' usa ruido_instancia .* usa programa_ruido='constante'"):
        laboratorio.comparar_recetas(recetas, imagenes, imagenes)
    with pytest.raises(Entrena):  # el ruido constante sí vale
        laboratorio.comparar_recetas({"ruido": {"ruido_instancia": 0.1, "programa_ruido": "constante"}}, imagenes, imagenes)


@pytest.mark.parametrize("opcion, valor, mensaje", [
    ("semilla", 1.0, "semilla=1.0 no es válida: usa un número entero de 0 a 4.294.967.295"),
    ("semilla", -1, "semilla=-1 no es válida: usa un número entero de 0 a 4.294.967.295"),
    ("semilla", 2**32, "semilla=4294967296 no es válida: usa un número entero de 0 a 4.294.967.295"),
    ("lote", 0, "lote=0 no es válido: debe ser un entero positivo."),
    ("cada", "5", "cada='5' no es válido"),
    ("n_muestras", True, "n_muestras=True no es válido"),
    ("minutos", 0, "minutos=0 no es válido: debe ser un número positivo"),
    ("minutos", "2", "minutos='2' no es válido"),
    ("minutos", math.inf, "minutos=inf no es válido: debe ser un número positivo y finito"),
    ("recetas", {"por defecto": {}, "grande": {"lote": 0.5}}, "lote=0.5 (en la receta 'grande') no es válido: debe ser un entero positivo."),
    # El nombre se usa al imprimir el resumen, tras entrenar: antes fallaba ahí, con un TypeError en inglés.
    ("recetas", {None: {"ancho": 16}}, "Cada receta se nombra con un texto no vacío (sale en el resumen y en las leyendas) y llegó None"),
    ("recetas", {("a", 1): {}}, "Cada receta se nombra con un texto no vacío (sale en el resumen y en las leyendas) y llegó ('a', 1)"),
    ("recetas", {"bien": {}, " ": {}}, "Cada receta se nombra con un texto no vacío (sale en el resumen y en las leyendas) y llegó ' '"),
])
def test_opciones_que_no_sirven_se_explican_antes_de_entrenar(monkeypatch, opcion, valor, mensaje):
    def crear_gan(*args, **kwargs):
        raise Entrena

    monkeypatch.setattr(laboratorio, "crear_gan", crear_gan)
    imagenes = np.zeros((8, 16, 16, 1), np.float32)
    with pytest.raises(ValueError, match=re.escape(mensaje)):
        if opcion == "recetas":
            laboratorio.comparar_recetas(valor, imagenes, imagenes)
        else:
            laboratorio.comparar_recetas({"por defecto": {}}, imagenes, imagenes, **{opcion: valor})
    with pytest.raises(Entrena):  # con valores válidos de esos tipos, sí empezaría
        laboratorio.comparar_recetas({"por defecto": {}}, imagenes, imagenes, semilla=np.int64(3), minutos=np.float32(0.5))


@pytest.mark.parametrize("mala, mensaje", [
    ({"suavisado_etiquetas": 0.1}, "La receta 'mala' no se puede entrenar (no he entrenado ninguna todavía): crear_gan no "
                                   "tiene la opción suavisado_etiquetas"),
    ({"desviacion_minilote": True, "lote": 30}, "La receta 'mala' no se puede entrenar (no he entrenado ninguna todavía): "
                                               "Con desviacion_minilote cada lote debe tener un múltiplo de 4"),
    ({"tamano": 32}, "La receta 'mala' trae tamano, que comparar_recetas toma de las imágenes (16 px, 1 canal): quítalo"),
    # Antes: «usa ruido_instancia con programa_ruido='constant', que baja el ruido según las épocas»: una errata no baja nada.
    ({"ruido_instancia": 0.1, "programa_ruido": "constant"}, "La receta 'mala' no se puede entrenar (no he entrenado "
                                                             "ninguna todavía): programa_ruido='constant' no es válido"),
    # Antes: IndexError al empezar a entrenarla, sin la medida inicial de la SWD (un generador con NaN no se mide).
    ({"lr_generador": 1e30, "lr_discriminador": 1e30}, "La receta 'mala' diverge ya en su primer paso (pérdidas o "
                                                       "imágenes NaN o infinitas; no he entrenado ninguna todavía)"),
])
def test_una_receta_que_no_se_puede_entrenar_se_explica_antes_de_entrenar_las_anteriores(monkeypatch, mala, mensaje):
    class Entrena:  # el seguimiento solo se crea para entrenar: si llega ahí, las anteriores ya gastaban minutos
        def __init__(self, *args, **kwargs):
            raise AssertionError("empezó a entrenar antes de comprobar todas las recetas")

    monkeypatch.setattr(laboratorio, "SeguimientoDesdeCero", Entrena)
    imagenes, _ = helpers.imagenes_digitos(16)
    recetas = {"buena": {"ancho": 8, "dim_latente": 8}, "mala": {"ancho": 8, "dim_latente": 8, **mala}}
    with pytest.raises(ValueError, match=re.escape(mensaje)):
        laboratorio.comparar_recetas(recetas, imagenes[:64], imagenes[64:80])


def test_sin_recetas_o_sin_canal_se_explica():
    imagenes, _ = helpers.imagenes_digitos(16)
    with pytest.raises(ValueError, match=r"recetas está vacío"):
        laboratorio.comparar_recetas({}, imagenes, imagenes)
    with pytest.raises(ValueError, match=r"recetas debe ser un diccionario \{nombre: opciones de crear_gan\}: p\. ej\."):
        laboratorio.comparar_recetas([{"ancho": 8}], imagenes, imagenes)
    with pytest.raises(ValueError, match=r"La receta 'b' no es un diccionario de opciones de crear_gan \(llegó 'ancho=8'\)"):
        laboratorio.comparar_recetas({"a": {}, "b": "ancho=8"}, imagenes, imagenes)
    with pytest.raises(ValueError, match=r"las de reserva de \(8, 8, 1\) \(alto, ancho, canales\): la SWD compara"):
        laboratorio.comparar_recetas({"a": {}}, imagenes, imagenes[:, ::2, ::2])
    with pytest.raises(ValueError, match=r"sin el eje de los canales: añádelo con imagenes\[\.\.\., None\]"):
        laboratorio.comparar_recetas({"a": {}}, imagenes[..., 0], imagenes)


@pytest.mark.parametrize("parametro", ["entrenamiento", "reserva"])
def test_unas_imagenes_en_0_255_se_explican_nombrando_el_conjunto(parametro):
    imagenes, _ = helpers.imagenes_digitos(16)
    conjuntos = {"entrenamiento": imagenes[:64], "reserva": imagenes[64:80]}
    conjuntos[parametro] = (conjuntos[parametro] + 1) * 127.5
    with pytest.raises(ValueError, match=f"^En «{parametro}»: Las imágenes van de 0 a 255 y la GAN las espera en \\[-1, 1\\]"):
        laboratorio.comparar_recetas({"a": {}}, **conjuntos)


@pytest.mark.parametrize("parametro", ["entrenamiento", "reserva"])
def test_unas_imagenes_en_0_1_se_avisan_una_vez_nombrando_el_conjunto(parametro, monkeypatch):
    # Antes, el aviso no decía cuál de los dos conjuntos estaba en [0, 1], y a_dataset y fit lo repetían.
    imagenes, _ = helpers.imagenes_digitos(16)
    conjuntos = {"entrenamiento": imagenes[:64], "reserva": imagenes[64:80]}
    conjuntos[parametro] = (conjuntos[parametro] + 1) / 2
    monkeypatch.setattr(laboratorio, "_entrenar_receta", lambda *args: {})  # basta con preparar la receta
    with pytest.warns(UserWarning, match=f"^En «{parametro}»: Las imágenes van de 0 a 1, sin ningún valor negativo: "
                                         r"¿están en \[0, 1\]") as avisos:
        laboratorio.comparar_recetas({"a": {"ancho": 8, "dim_latente": 8}}, **conjuntos)
    assert sum("Las imágenes van de" in str(aviso.message) for aviso in avisos) == 1
    assert avisos[0].filename == __file__  # señala la línea de quien llama, no una de datos.py


def test_un_lote_mayor_que_las_imagenes_se_avisa_una_vez(monkeypatch, capsys):
    imagenes, _ = helpers.imagenes_digitos(16)
    monkeypatch.setattr(laboratorio, "time", RelojSimulado())
    monkeypatch.setattr(callbacks, "time", laboratorio.time)
    monkeypatch.setattr(progreso, "time", laboratorio.time)
    monkeypatch.setattr(laboratorio, "SEGUNDOS_RAPIDOS", 4)
    recetas = {"grande": {"ancho": 8, "dim_latente": 8, "lote": 100}, "la de todas": {"ancho": 8, "dim_latente": 8}}
    r = laboratorio.comparar_recetas(recetas, imagenes[:48], imagenes[48:64], minutos=10, lote=64, cada=2)
    salida = capsys.readouterr().out
    assert salida.count("Aviso") == 2 and "Aviso: lote=64 y hay 48 imágenes de entrenamiento; uso lote=48." in salida
    assert "la receta 'grande' pide lote=100 y hay 48 imágenes de entrenamiento; uso lote=48" in salida
    for nombre in recetas:  # un paso por época, más el de calentamiento
        assert int(r[nombre]["gan"].opt_generador.iterations) == 1 + len(r[nombre]["segundos"])


def test_el_resumen_de_una_sola_epoca_va_en_singular(monkeypatch, capsys):
    imagenes, _ = helpers.imagenes_digitos(16)
    monkeypatch.setattr(laboratorio, "time", RelojSimulado())
    monkeypatch.setattr(callbacks, "time", laboratorio.time)
    monkeypatch.setattr(progreso, "time", laboratorio.time)
    monkeypatch.setattr(laboratorio, "SEGUNDOS_RAPIDOS", 1)  # la primera época ya se pasa del presupuesto
    r = laboratorio.comparar_recetas({"una época": {"ancho": 8, "dim_latente": 8}}, imagenes[:16], imagenes[16:32], lote=16)
    assert len(r["una época"]["segundos"]) == 1
    assert re.search(r"una época .*\(\d+ s, 1 época\)$", capsys.readouterr().out, re.MULTILINE)


def test_la_swd_y_las_epocas_se_dibujan_con_el_mismo_reloj(monkeypatch):
    # Una medida lenta (30 s simulados): la SWD de una época y el final de esa época caen en el mismo
    # segundo, no separados por lo que tardó la medida (los dos paneles de dibujar_comparacion).
    imagenes, _ = helpers.imagenes_digitos(16)
    reloj = RelojSimulado()

    def medida_lenta(reales, generadas):
        reloj.ahora += 30.0
        return 100.0

    monkeypatch.setattr(laboratorio, "time", reloj)
    monkeypatch.setattr(callbacks, "time", reloj)
    monkeypatch.setattr(progreso, "time", reloj)
    monkeypatch.setattr(callbacks, "swd_promediada", medida_lenta)
    monkeypatch.setattr(laboratorio, "SEGUNDOS_RAPIDOS", 100)
    r = laboratorio.comparar_recetas({"a": {"ancho": 8, "dim_latente": 8}}, imagenes[:32], imagenes[32:48], lote=32, cada=1)["a"]
    assert len(r["registros"]) >= 3
    for medida in r["registros"][1:-1]:  # la de antes de entrenar y la final no tienen época propia
        assert abs(medida["segundos"] - r["segundos"][medida["epoca"] - 1]) <= 1.0  # una lectura del reloj simulado


def test_dibujar_comparacion_no_necesita_las_muestras():
    # Unos resultados guardados sin las imágenes (p. ej. en JSON) se siguen dibujando.
    sin_muestras = {clave: valor for clave, valor in _resultado().items() if clave != "muestras"}
    assert len(laboratorio.dibujar_comparacion({"a": sin_muestras}).axes) == 2


def _resultado():
    """Un resultado de una receta con la forma del de comparar_recetas, sin entrenar nada."""
    return {"registros": _registros([300.0, 200.0], [0.0, 3.0]), "historial": {"exactitud_d": [0.6]},
            "segundos": [3.0], "muestras": np.zeros((4, 16, 16, 1), np.float32), "gan": None}


@pytest.mark.parametrize("funcion", ["dibujar_comparacion", "mostrar_muestras_recetas"])
@pytest.mark.parametrize("resultados, mensaje", [
    (_resultado(), "y le llegó el resultado de una sola receta: pasa el diccionario entero o, para ver solo una, "
                   "{funcion}({{\"ingenua\": resultados[\"ingenua\"]}})."),
    ([_resultado()], "y le llegó una lista: p. ej. resultados = helpers.comparar_recetas(RECETAS, entrenamiento, reserva) "
                     "y luego {funcion}(resultados)."),
    ({}, "y está vacío: pasa el de comparar_recetas, con al menos una receta."),
    ({"a": _resultado()["registros"]}, "y 'a' no es el resultado de una receta (un diccionario con {claves}): le "
                                       "llegó una lista."),
])
def test_los_graficos_explican_unos_resultados_que_no_son_los_de_comparar_recetas(funcion, resultados, mensaje):
    claves = {"dibujar_comparacion": "registros, historial, segundos", "mostrar_muestras_recetas": "registros, muestras"}
    esperado = (f"{funcion} recibe lo que devuelve comparar_recetas, un diccionario {{nombre de la receta: resultado}}, "
                + mensaje.format(funcion=funcion, claves=claves[funcion]))
    with pytest.raises(ValueError, match=re.escape(esperado)):
        getattr(laboratorio, funcion)(resultados)


@pytest.mark.parametrize("historial, segundos", [
    ({"exactitud_d": [0.6, 0.7, 0.8]}, [3.0]),  # el historial de otro entrenamiento, más largo
    ({"perdida_g": [0.7]}, [3.0]),
    (object(), [3.0]),  # p. ej. el History de fit en vez de su .history
])
def test_dibujar_comparacion_explica_un_historial_de_otro_entrenamiento(historial, segundos):
    # Antes: ValueError de matplotlib en inglés («x and y must have same first dimension»), KeyError o TypeError.
    resultado = {**_resultado(), "historial": historial, "segundos": segundos}
    with pytest.raises(ValueError, match=re.escape("En 'a', «historial» debe ser un diccionario con la lista «exactitud_d», "
                                                   "un valor por época, tantos como «segundos» (1): ¿viene de otro entrenamiento")):
        laboratorio.dibujar_comparacion({"a": resultado})


@pytest.mark.parametrize("suelo, mensaje", [
    # El de distancia_swd es un diccionario: antes, TypeError de matplotlib en inglés («unhashable type: 'dict'»).
    ({"16px": 60.0, "media": 60.0}, "suelo={'16px': 60.0, 'media': 60.0} no es válido (¿el de distancia_swd? Pasa su "
                                    "[\"media\"]): debe ser un número positivo"),
    ("60", "suelo='60' no es válido: debe ser un número positivo"),  # antes se dibujaba sin aviso en otro sitio
    (0.0, "suelo=0.0 no es válido: debe ser un número positivo"),  # antes no se veía en la escala logarítmica
    (True, "suelo=True no es válido: debe ser un número positivo"),  # antes se dibujaba como un suelo de 1
])
def test_dibujar_comparacion_explica_un_suelo_que_no_sirve(suelo, mensaje):
    with pytest.raises(ValueError, match=re.escape(mensaje)):
        laboratorio.dibujar_comparacion({"a": _resultado()}, suelo=suelo)
    figura = laboratorio.dibujar_comparacion({"a": _resultado()}, suelo=np.float64(60.0))
    assert [linea.get_ydata()[0] for linea in figura.axes[0].lines if linea.get_linestyle() == "--"] == [60.0]


@pytest.mark.parametrize("columnas", [0, -1, 1.5])
def test_mostrar_muestras_recetas_explica_unas_columnas_que_no_sirven(columnas):
    with pytest.raises(ValueError, match=re.escape(f"columnas={columnas!r} no es válido: debe ser un entero positivo.")):
        laboratorio.mostrar_muestras_recetas({"a": _resultado()}, columnas=columnas)
    assert len(laboratorio.mostrar_muestras_recetas({"a": _resultado()}, columnas=1).axes) == 1


@pytest.mark.parametrize("columnas", [3, 4])
def test_los_titulos_de_la_segunda_fila_no_pisan_las_muestras_de_arriba(columnas):
    # Antes, con 3 o 4 columnas, el nombre de la receta de abajo tocaba (o pisaba) la cuadrícula de encima.
    figura = laboratorio.mostrar_muestras_recetas({f"receta {i}": _resultado() for i in range(columnas + 1)},
                                                  columnas=columnas)
    figura.canvas.draw()
    arriba, abajo = figura.axes[0], figura.axes[columnas]
    hueco = arriba.get_window_extent().y0 - abajo.title.get_window_extent().y1
    assert hueco > 0.05 * figura.dpi  # al menos 1/20 de pulgada de blanco entre los dos


@pytest.mark.parametrize("funcion", ["mediana_final", "oscilacion_final"])
@pytest.mark.parametrize("registros, mensaje", [
    (_resultado(), "y le llegó un diccionario (¿el resultado entero de una receta?): p. ej. "
                   "{funcion}(resultados[\"ingenua\"][\"registros\"])."),
    ([], "y la lista está vacía: pasa la de una receta entrenada con comparar_recetas"),
    (None, "una lista de {{epoca, segundos, valor}}, y le llegó None."),
    ([300.0, 200.0], "una lista de {{epoca, segundos, valor}}, y trae 300.0."),
])
def test_mediana_y_oscilacion_explican_unos_registros_que_no_sirven(funcion, registros, mensaje):
    esperado = f"{funcion} recibe los registros de una receta, resultados[nombre][\"registros\"], " + mensaje.format(funcion=funcion)
    with pytest.raises(ValueError, match=re.escape(esperado)):
        getattr(laboratorio, funcion)(registros)
