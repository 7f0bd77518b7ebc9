import contextlib
import errno
import gc
import json
import math
import re
import shutil
import sys
import types
import warnings
import zipfile

import keras
import tensorflow as tf
import numpy as np
import pytest
from PIL import Image

import helpers
from helpers import callbacks
from helpers import base_gan, comprobaciones_gan, entrenamiento, gan_basica, progreso, punto_de_control, replicas
from helpers.punto_de_control import ARCHIVO_ESTADO, PuntoDeControl, restaurar_estado


@pytest.fixture(scope="module")
def digitos():
    imagenes, _ = helpers.imagenes_digitos(16)
    return imagenes[:64]


def gan_pequena(**opciones):
    helpers.fijar_semilla(0)
    return helpers.crear_gan(16, dim_latente=8, ancho=8, **opciones)


@pytest.fixture(scope="module")
def terminado(digitos, tmp_path_factory):
    """Un entrenamiento de 3 épocas con lotes de 32, un punto de control y un cuadro por época: ``carpeta``,
    la ``gan`` en memoria y su ``historial``. Solo para leerlo; quien lo cambie, que use ``copia``."""
    carpeta = tmp_path_factory.mktemp("terminado") / "resultados"
    gan = gan_pequena()
    historial = helpers.entrenar(gan, helpers.a_dataset(digitos, 32), epocas=3, carpeta=carpeta, verbose=0,
                                 guardar_cada_segundos=0)
    return types.SimpleNamespace(carpeta=carpeta, gan=gan, historial=historial)


@pytest.fixture
def copia(terminado, tmp_path):
    """Una copia de la carpeta de ``terminado`` que cada prueba puede estropear o seguir entrenando."""
    return shutil.copytree(terminado.carpeta, tmp_path / "resultados")


def test_perdidas_en_un_caso_calculado_a_mano():
    cero = np.zeros((4, 1), np.float32)
    assert np.isclose(float(gan_basica.perdida_discriminador(cero, cero)), 2 * math.log(2), atol=1e-6)
    assert np.isclose(float(gan_basica.perdida_generador(cero)), math.log(2), atol=1e-6)
    # Reales con logit 2 y suavizado 0,1 (objetivo 0,9): -(0,9·log σ(2) + 0,1·log(1 − σ(2))).
    sigma = 1 / (1 + math.exp(-2))
    esperado_real = -(0.9 * math.log(sigma) + 0.1 * math.log(1 - sigma))
    # Generadas con logit -3: -log(1 − σ(-3)).
    esperado_falso = -math.log(1 - 1 / (1 + math.exp(3)))
    valor = gan_basica.perdida_discriminador(np.full((3, 1), 2.0, np.float32), np.full((3, 1), -3.0, np.float32), 0.1)
    assert np.isclose(float(valor), esperado_real + esperado_falso, atol=1e-6)
    # El generador no satura: con D muy seguro (logit -10) su pérdida vale ≈ 10 y su gradiente no se anula.
    assert np.isclose(float(gan_basica.perdida_generador(np.full((2, 1), -10.0, np.float32))), 10.0, atol=1e-3)


def test_perdidas_estables_con_logits_enormes():
    grandes = np.array([[1e4], [-1e4]], np.float32)
    assert np.isfinite(float(gan_basica.perdida_discriminador(grandes, -grandes)))
    assert np.isfinite(float(gan_basica.perdida_generador(grandes)))


def test_exactitud_del_discriminador():
    reales = np.array([[1.0], [-1.0]], np.float32)
    falsos = np.array([[-1.0], [-2.0]], np.float32)
    assert float(gan_basica.exactitud_discriminador(reales, falsos)) == pytest.approx(0.75)


def test_suavizado_invalido():
    with pytest.raises(ValueError, match="suavizado_etiquetas"):
        gan_pequena(suavizado_etiquetas=0.7)
    # Un bool no es un número: antes False valía como 0 (y True se rechazaba por valer 1).
    with pytest.raises(ValueError, match=r"suavizado_etiquetas=False debe ser un número entre 0 y 0,5"):
        gan_pequena(suavizado_etiquetas=False)


def test_cada_optimizador_mueve_solo_su_red(digitos):
    gan = gan_pequena(lr_discriminador=0.0)
    d_antes = [v.numpy().copy() for v in gan.discriminador.trainable_variables]
    g_antes = [v.numpy().copy() for v in gan.generador.trainable_variables]
    historia = gan.fit(helpers.a_dataset(digitos, 32), epochs=1, verbose=0, shuffle=False)
    assert set(historia.history) == {"perdida_g", "perdida_d", "exactitud_d"}
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(d_antes, gan.discriminador.trainable_variables))
    assert any(not np.array_equal(a, v.numpy()) for a, v in zip(g_antes, gan.generador.trainable_variables))
    assert int(gan.opt_generador.iterations.numpy()) == int(gan.opt_discriminador.iterations.numpy()) == 2


def test_entrenar_escribe_resultados_y_recarga_el_generador(terminado):
    historial, carpeta = terminado.historial, terminado.carpeta
    assert len(historial["perdida_g"]) == 3 and all(np.isfinite(historial["perdida_d"]))
    assert sorted(p.name for p in (carpeta / "muestras").iterdir()) == ["epoca_0001.png", "epoca_0002.png", "epoca_0003.png"]
    for nombre in ("evolucion.gif", "perdidas.png", "historial.csv", ARCHIVO_ESTADO):
        assert (carpeta / nombre).stat().st_size > 0
    assert Image.open(carpeta / "evolucion.gif").n_frames == 3
    recargado = keras.models.load_model(carpeta / "generador.keras", safe_mode=True)
    z = np.random.default_rng(0).normal(size=(4, 8)).astype(np.float32)
    np.testing.assert_allclose(recargado(z, training=False), terminado.gan.generador(z, training=False), atol=1e-5)


def test_modo_rapido_limita_las_epocas(tmp_path, digitos):
    historial = helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 64), epocas=500, carpeta=tmp_path, verbose=0)
    assert len(historial["perdida_g"]) == entrenamiento.EPOCAS_RAPIDAS_GAN


def test_epocas_invalidas(tmp_path, digitos):
    with pytest.raises(ValueError, match="epocas="):
        helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 32), epocas=0, carpeta=tmp_path)


class Interrupcion(Exception):
    pass


class CortarEn(keras.callbacks.Callback):
    """Simula un Ctrl-C o una desconexión justo al terminar la época ``epoca`` (contando desde 1)."""

    def __init__(self, epoca):
        super().__init__()
        self.epoca = epoca

    def on_epoch_end(self, epoca, logs=None):
        if epoca + 1 == self.epoca:
            raise Interrupcion


def test_reanudar_tras_una_interrupcion(tmp_path, digitos, capsys):
    datos = helpers.a_dataset(digitos, 32)
    gan = gan_pequena()
    with pytest.raises(Interrupcion):
        helpers.entrenar(gan, datos, epocas=5, carpeta=tmp_path, verbose=0, callbacks=[CortarEn(2)], guardar_cada_segundos=0)
    pesos_al_cortar = [v.numpy().copy() for v in gan.generador.variables]

    # Una GAN nueva (p. ej. tras reiniciar Colab) recupera pesos y optimizadores del punto de control.
    nueva = gan_pequena()
    assert restaurar_estado(nueva, tmp_path) == 2
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(pesos_al_cortar, nueva.generador.variables))
    assert int(nueva.opt_generador.iterations.numpy()) == int(nueva.opt_discriminador.iterations.numpy()) == 4

    historial = helpers.entrenar(nueva, datos, epocas=5, carpeta=tmp_path, verbose=0, guardar_cada_segundos=0)
    assert "Reanudo desde la época 2" in capsys.readouterr().out
    assert len(historial["perdida_g"]) == 5
    assert int(nueva.opt_generador.iterations.numpy()) == 10
    assert len(list((tmp_path / "muestras").glob("epoca_*.png"))) == 5
    filas = (tmp_path / "historial.csv").read_text(encoding="utf-8").splitlines()
    assert [f.split(",")[0] for f in filas[1:]] == ["1", "2", "3", "4", "5"]

    # Pedir las mismas épocas otra vez no entrena nada más.
    helpers.entrenar(nueva, datos, epocas=5, carpeta=tmp_path, verbose=0)
    assert "no queda nada más que entrenar" in capsys.readouterr().out
    assert int(nueva.opt_generador.iterations.numpy()) == 10


def test_cortar_y_reanudar_llega_a_los_mismos_pesos_que_sin_cortar(tmp_path, digitos):
    # Antes, los datos creados de nuevo al reanudar (como tras reiniciar Colab) volvían a barajar como en la primera
    # época: cortar en la 2 y seguir hasta la 3 dejaba pesos distintos de los de 3 épocas seguidas (en 1e-4). Dos
    # entrenamientos seguidos dan los mismos bit a bit en CPU; la tolerancia solo deja sitio al redondeo. Con los
    # estabilizadores que sortean o llevan estado (aumento, ruido, media móvil, pasos de D adaptativos).
    opciones = {"aumento": "color,traslacion,recorte", "ruido_instancia": 0.1, "media_movil": 0.999,
                "exactitud_objetivo_d": 0.75}
    seguida = gan_pequena(**opciones)
    helpers.entrenar(seguida, helpers.a_dataset(digitos, 16), 3, tmp_path / "seguida", verbose=0, guardar_cada_segundos=0)
    with pytest.raises(Interrupcion):
        helpers.entrenar(gan_pequena(**opciones), helpers.a_dataset(digitos, 16), 3, tmp_path / "cortada", verbose=0,
                         callbacks=[CortarEn(2)], guardar_cada_segundos=0)
    reanudada = gan_pequena(**opciones)
    helpers.entrenar(reanudada, helpers.a_dataset(digitos, 16), 3, tmp_path / "cortada", verbose=0, guardar_cada_segundos=0)
    esperado, obtenido = punto_de_control.copiar_estado(seguida), punto_de_control.copiar_estado(reanudada)
    for nombre, valor in esperado.items():
        np.testing.assert_allclose(obtenido[nombre], valor, rtol=0, atol=1e-6, err_msg=nombre)


def test_punto_de_control_de_otra_gan(copia):
    otra = helpers.crear_gan(16, dim_latente=8, ancho=16)
    with pytest.raises(ValueError, match="continuar=False"):
        restaurar_estado(otra, copia)
    # Con los mismos nombres y otras formas (en color), no carga nada: antes cambiaba las primeras variables y
    # se paraba a medias, y con continuar=False esta GAN empezaba desde una mezcla sin decirlo.
    en_color = gan_pequena(canales=3)
    antes = [v.numpy().copy() for v in en_color.variables]
    with pytest.raises(ValueError, match="de forma .* donde esta GAN espera"):
        restaurar_estado(en_color, copia)
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(antes, en_color.variables))


@pytest.fixture(scope="module")
def con_suavizado(digitos, tmp_path_factory):
    """El punto de control de una época de ``gan_pequena(suavizado_etiquetas=0.1)``, solo para leerlo."""
    carpeta = tmp_path_factory.mktemp("con_suavizado")
    helpers.entrenar(gan_pequena(suavizado_etiquetas=0.1), helpers.a_dataset(digitos, 32), epocas=1,
                     carpeta=carpeta, verbose=0)
    return carpeta


@pytest.mark.parametrize("cambio, mensaje", [
    ({"lr_generador": 1e-4}, "opt_generador.learning_rate: 0,0004 al guardarlo y 0,0001 ahora"),
    ({"suavizado_etiquetas": 0.2}, "suavizado_etiquetas: 0,1 al guardarlo y 0,2 ahora"),
    ({"perdida": "bisagra", "suavizado_etiquetas": 0.0}, "perdida: 'no_saturante' al guardarlo y 'bisagra' ahora"),
    # Antes, las listas de Python: «aumento: [] al guardarlo y ['color', 'traslacion'] ahora».
    ({"aumento": ("color", "traslacion")}, "aumento: ninguno al guardarlo y color, traslacion ahora"),
])
def test_punto_de_control_de_otra_receta(con_suavizado, tmp_path, cambio, mensaje):
    # La misma arquitectura con otra receta (un ejercicio en la misma carpeta): seguir mezclaría las dos, y la
    # tasa de aprendizaje, que se guarda con el optimizador, volvería a la anterior sin decirlo.
    carpeta = shutil.copytree(con_suavizado, tmp_path / "resultados")
    otra = gan_pequena(**{"suavizado_etiquetas": 0.1, **cambio})
    antes = [v.numpy().copy() for v in otra.generador.variables]
    with pytest.raises(ValueError, match=f"es de otra receta \\({mensaje}\\): seguirlo mezclaría las dos.*continuar=False"):
        restaurar_estado(otra, carpeta)
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(antes, otra.generador.variables))  # nada cargado
    # La misma receta en otra GAN nueva (tras reiniciar) sí se reanuda, también con un número de NumPy.
    assert restaurar_estado(gan_pequena(suavizado_etiquetas=np.float32(0.1).item()), carpeta) == 1


def test_continuar_con_otro_lote_se_explica_sin_tocar_nada(copia, digitos):
    # Cambiar el lote en el cuaderno y volver a ejecutar la celda: seguir mezclaría dos entrenamientos.
    guardado = {ruta.name: ruta.read_bytes() for ruta in copia.rglob("*") if ruta.is_file()}
    with pytest.raises(ValueError, match="lotes de 32 imágenes y los datos de ahora vienen en lotes de 16: .*"
                                         "a_dataset\\(imagenes, lote=32\\); para probar el lote nuevo.*continuar=False"):
        helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 16), epocas=4, carpeta=copia, verbose=0)
    assert {ruta.name: ruta.read_bytes() for ruta in copia.rglob("*") if ruta.is_file()} == guardado
    # Con el mismo lote sigue; una matriz (Keras elige el lote) no se comprueba, y el lote anotado se conserva.
    gan = gan_pequena()
    assert len(helpers.entrenar(gan, helpers.a_dataset(digitos, 32), epocas=4, carpeta=copia, verbose=0)["perdida_g"]) == 4
    assert len(helpers.entrenar(gan, digitos, epocas=5, carpeta=copia, verbose=0)["perdida_g"]) == 5
    with pytest.raises(ValueError, match="lotes de 32 imágenes y los datos de ahora vienen en lotes de 16"):
        helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 16), epocas=6, carpeta=copia, verbose=0)


def test_empezar_de_cero_con_una_gan_que_ya_entreno_se_explica_sin_borrar_nada(tmp_path, digitos):
    # Volver a ejecutar la celda de entrenar (con otra carpeta, o continuar=False) sin la de crear_gan:
    # seguiría desde los pesos de ahora llamándolo época 1.
    gan, datos = gan_pequena(), helpers.a_dataset(digitos, 32)
    helpers.entrenar(gan, datos, 1, carpeta=tmp_path / "primera", verbose=0)
    (tmp_path / "otra").mkdir()
    (tmp_path / "otra" / "historial.csv").write_text("de antes", encoding="utf-8")
    for carpeta, continuar in ((tmp_path / "otra", True), (tmp_path / "primera", False)):
        motivo = "no tiene un punto de control del que seguir" if continuar else "pides empezar de cero"
        with pytest.raises(ValueError, match=f"ya ha dado 2 pasos de entrenamiento.*{motivo}.*Crea la GAN de nuevo"):
            helpers.entrenar(gan, datos, 2, carpeta=carpeta, continuar=continuar, verbose=0)
    assert (tmp_path / "otra" / "historial.csv").read_text(encoding="utf-8") == "de antes"
    assert punto_de_control.epoca_guardada(tmp_path / "primera") == 1
    # Desde su punto de control sí sigue: lo carga entero.
    assert len(helpers.entrenar(gan, datos, 2, carpeta=tmp_path / "primera", verbose=0)["perdida_g"]) == 2


def test_un_punto_de_control_sin_lote_anotado_se_reanuda_con_cualquiera(terminado, tmp_path):
    punto_de_control.guardar_estado(terminado.gan, tmp_path, 1)  # como los de versiones anteriores, sin lote
    assert restaurar_estado(gan_pequena(), tmp_path, lote=16) == 1


def test_la_receta_de_un_punto_de_control_es_la_de_compile(tmp_path, digitos):
    class Decaer(keras.callbacks.Callback):  # la tasa cambia al entrenar: la receta pedida, no
        def on_epoch_end(self, epoca, logs=None):
            self.model.opt_generador.learning_rate.assign(1e-5)

    helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 32), epocas=1, carpeta=tmp_path, verbose=0,
                     callbacks=[Decaer()])
    assert restaurar_estado(gan_pequena(), tmp_path) == 1
    # Una opción que el punto de control no anotó (de una versión anterior) no impide seguir.
    guardado = dict(np.load(tmp_path / ARCHIVO_ESTADO))
    receta = json.loads(str(guardado["receta"]))
    del receta["suavizado_etiquetas"]
    np.savez(tmp_path / ARCHIVO_ESTADO, **{**guardado, "receta": json.dumps(receta)})
    assert restaurar_estado(gan_pequena(suavizado_etiquetas=0.2), tmp_path) == 1
    # Dos tasas casi iguales se distinguen en el mensaje.
    with pytest.raises(ValueError, match="learning_rate: 0,0004 al guardarlo y 0,0004001 ahora"):
        restaurar_estado(gan_pequena(lr_generador=4.001e-4), tmp_path)


class Envenenar(keras.callbacks.Callback):
    """Pone un NaN en un peso del generador al empezar la época ``epoca`` (desde 0). Con ``al_terminar``, al
    terminarla, tras medir sus pérdidas (finitas) y después de PuntoDeControl: como la última actualización de
    una época que rompe la GAN."""

    def __init__(self, epoca, al_terminar=False):
        super().__init__()
        self.epoca, self.al_terminar = epoca, al_terminar

    def envenenar(self, epoca, al_terminar):
        if (epoca, al_terminar) == (self.epoca, self.al_terminar):
            variable = self.model.generador.trainable_variables[0]
            variable.assign(np.full(variable.shape, np.nan, np.float32))

    def on_epoch_begin(self, epoca, logs=None):
        self.envenenar(epoca, al_terminar=False)

    def on_epoch_end(self, epoca, logs=None):
        self.envenenar(epoca, al_terminar=True)


def test_nan_detiene_y_conserva_el_ultimo_punto_sano(tmp_path, digitos, capsys, monkeypatch):
    # Una copia en memoria tras cada época, como en una máquina en la que cada una dura más de un segundo.
    monkeypatch.setattr(punto_de_control, "COPIA_CADA_SEGUNDOS", 0)
    gan = gan_pequena()
    historial = helpers.entrenar(gan, helpers.a_dataset(digitos, 32), epocas=6, carpeta=tmp_path, verbose=0,
                                 callbacks=[Envenenar(2)])
    salida = capsys.readouterr().out
    assert "NaN" in salida and "crear_gan(..., lr_generador=1e-4" in salida and historial["inestable"] is True
    # El PuntoDeControl de entrenar ya vigila los NaN: fit no añade otra comprobación que lo diga dos veces.
    assert salida.count("el entrenamiento se detuvo") == 1
    with np.load(tmp_path / ARCHIVO_ESTADO) as guardado:
        assert int(guardado["epoca"]) == 2
    # Se restauró el último estado sano y el generador guardado no tiene NaN.
    assert all(np.all(np.isfinite(v.numpy())) for v in gan.generador.variables)
    recargado = keras.models.load_model(tmp_path / "generador.keras")
    assert np.all(np.isfinite(recargado(np.zeros((2, 8), np.float32))))
    # La época 3, la del NaN, no tiene cuadro: antes, uno gris (el NaN dibujado) cerraba evolucion.gif.
    con_cuadro = list(callbacks.cuadros_guardados(tmp_path / "muestras"))  # la 2, según el reloj (uno cada 5 s)
    assert con_cuadro[0] == 1 and 3 not in con_cuadro


class AnotarSorteos(keras.callbacks.Callback):
    """El estado de ``generador_aleatorio`` al terminar cada época: ``{época (desde 1): estado}``."""

    def __init__(self):
        super().__init__()
        self.estados = {}

    def on_epoch_end(self, epoca, logs=None):
        self.estados[epoca + 1] = self.model.generador_aleatorio.state.numpy().copy()


def test_tras_un_nan_el_estado_sano_guardado_sortea_de_nuevo(tmp_path, digitos):
    # Reanudar sigue el mismo camino que sin cortes (mismos datos y sorteos): con los sorteos de la época sana, continuar
    # tras un NaN llevaría al mismo NaN. Aquí la época 2 ya estaba en disco (se guarda en cada una) y se reescribe.
    gan, sorteos = gan_pequena(), AnotarSorteos()
    helpers.entrenar(gan, helpers.a_dataset(digitos, 32), epocas=4, carpeta=tmp_path, verbose=0, guardar_cada_segundos=0,
                     callbacks=[Envenenar(2), sorteos])
    with np.load(tmp_path / ARCHIVO_ESTADO) as guardado:
        assert int(guardado["epoca"]) == 2
        guardados = guardado["estado/generador_aleatorio"]
        assert np.array_equal(guardado["generador/000_kernel"], gan.generador.variables[0].numpy())  # los pesos sanos
    assert not np.array_equal(guardados, sorteos.estados[2])
    assert np.array_equal(gan.generador_aleatorio.state.numpy(), guardados)


class InterrumpirAlTerminar(keras.callbacks.Callback):
    """Un Ctrl-C mientras fit termina (el GIF, las gráficas), tras el aviso de un NaN."""

    def on_train_end(self, logs=None):
        raise KeyboardInterrupt


@pytest.mark.parametrize("copia_cada_segundos, epoca_nan, corte", [
    # Entre dos épocas, tras una con pesos NaN (y pérdidas finitas) que aún no se había copiado: solo se copia la
    # 1.ª. Antes el aviso decía «la GAN vuelve a su último estado sano», pero solo lo hacía el punto de control.
    (3600, 1, lambda: helpers.SimularCorte(2)),
    # Mientras fit termina (el GIF, perdidas.png) tras ver el NaN al final de la 2.ª: quien vuelve es entrenar,
    # después de fit, y ese Ctrl-C se lo saltaba.
    (0, 0, InterrumpirAlTerminar),
])
def test_un_ctrl_c_tras_un_nan_devuelve_tambien_la_gan_en_memoria_a_su_estado_sano(
        tmp_path, digitos, capsys, monkeypatch, copia_cada_segundos, epoca_nan, corte):
    monkeypatch.setattr(punto_de_control, "COPIA_CADA_SEGUNDOS", copia_cada_segundos)
    gan = gan_pequena()
    with pytest.raises(KeyboardInterrupt, match="queda guardado todo hasta la época 1;"):
        helpers.entrenar(gan, helpers.a_dataset(digitos, 32), epocas=4, carpeta=tmp_path, verbose=0,
                         guardar_cada_segundos=3600, callbacks=[Envenenar(epoca_nan, al_terminar=True), corte()])
    assert "en la época 2: el entrenamiento se detuvo y la GAN vuelve a su último estado sano." in capsys.readouterr().out
    assert all(np.all(np.isfinite(v.numpy())) for v in gan.generador.variables)
    sana = gan_pequena()
    assert restaurar_estado(sana, tmp_path) == 1
    for en_memoria, guardada in zip(gan.generador.variables, sana.generador.variables):
        np.testing.assert_array_equal(en_memoria.numpy(), guardada.numpy())


def test_entrenar_aconseja_tras_un_nan_segun_como_se_hizo_la_gan(tmp_path, digitos, capsys):
    # Antes, entrenar aconsejaba crear_gan(..., lr_generador=1e-4…) también a una GANBasica hecha a mano.
    helpers.entrenar(_basica(2e-4), helpers.a_dataset(digitos, 32), epocas=3, carpeta=tmp_path, verbose=0,
                     callbacks=[Envenenar(1)])
    salida = capsys.readouterr().out
    assert "compílala con gan.compile(opt_generador=keras.optimizers.Adam(1e-4" in salida and "crear_gan(" not in salida


def test_un_nan_en_la_primera_epoca_no_promete_volver_a_un_estado_sano(tmp_path, digitos, capsys):
    """Antes decía «la GAN vuelve a su último estado sano» y a continuación que no había ninguno."""
    with pytest.raises(FloatingPointError, match="antes de completar una época sana: no hay nada que guardar"):
        helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 32), epocas=3, carpeta=tmp_path, verbose=0,
                         callbacks=[Envenenar(0)])
    salida = capsys.readouterr().out
    assert "en la época 1: el entrenamiento se detuvo.\n" in salida and "estado sano" not in salida


def test_el_estado_se_copia_como_mucho_una_vez_por_segundo_y_al_terminar_se_guarda_la_ultima_epoca(
        tmp_path, monkeypatch):
    # Antes se copiaba en cada época: con épocas cortas (pocas imágenes, o una GPU), cientos de copias por minuto.
    reloj = [0.0]
    monkeypatch.setattr(punto_de_control.time, "perf_counter", lambda: reloj[0])
    punto = PuntoDeControl(tmp_path)  # escribe en disco como mucho cada 60 s
    punto.set_model(gan_pequena())
    punto.on_train_begin()
    copiadas = []
    for epoca in range(25):  # épocas de una décima de segundo
        reloj[0] = (epoca + 1) / 10
        punto.on_epoch_end(epoca, {"perdida_g": 1.0, "perdida_d": 1.0})
        if punto.sano[0] not in copiadas:
            copiadas.append(punto.sano[0])
    assert copiadas == [1, 11, 21] and not (tmp_path / ARCHIVO_ESTADO).exists()
    # Un Ctrl-C a mitad de la época 26 (la GAN ya dio un paso) guarda la última copia, la de la época 21...
    punto.model.opt_generador.iterations.assign_add(1)
    punto.guardar_pendiente()
    assert restaurar_estado(gan_pequena(), tmp_path) == 21
    # ...y al terminar tras la época 25 sin más pasos, se guarda esa, aunque no se hubiera copiado.
    punto.model.opt_generador.iterations.assign_add(-1)
    punto.on_train_end()
    assert restaurar_estado(gan_pequena(), tmp_path) == 25


class Epocas(keras.callbacks.Callback):
    """Anota las épocas que terminan: un callback cualquiera del estudiante."""

    def __init__(self):
        super().__init__()
        self.terminadas = []

    def on_epoch_end(self, epoca, logs=None):
        self.terminadas.append(epoca + 1)


def _basica(tasa):
    gan = helpers.GANBasica(helpers.construir_generador(16, 1, 8, 8), helpers.construir_discriminador(16, 1, 8))
    gan.compile(opt_generador=keras.optimizers.Adam(tasa, beta_1=0.5), opt_discriminador=keras.optimizers.Adam(tasa, beta_1=0.5))
    return gan


@pytest.mark.parametrize("crear, consejo", [
    (lambda: gan_pequena(lr_generador=1e30, lr_discriminador=1e30), "crear_gan(..., lr_generador=1e-4, lr_discriminador=1e-4)"),
    (lambda: _basica(1e30), "crea la GAN otra vez, compílala con gan.compile(opt_generador=keras.optimizers.Adam(1e-4"),
], ids=["crear_gan", "GANBasica"])
def test_fit_se_detiene_tras_la_primera_epoca_nan_y_dice_que_probar(digitos, capsys, crear, consejo):
    # Antes, un fit sin entrenar seguía todas las épocas con pérdidas NaN sin decir nada: cuadrículas grises.
    gan, epocas = crear(), Epocas()
    mios = [epocas]
    historia = gan.fit(helpers.a_dataset(digitos, 32), epochs=4, verbose=0, callbacks=mios)
    salida = capsys.readouterr().out
    assert re.search(r"\bperdida_\w+ se volvi(ó|eron) NaN o infinitas? en la época 1: el entrenamiento se detuvo\. "
                     r"Prueba una tasa de aprendizaje menor: ", salida) and consejo in salida
    assert len(historia.history["perdida_d"]) == 1
    assert epocas.terminadas == [1] and mios == [epocas]  # los callbacks propios siguen ahí, y su lista no cambia
    # Una vez por época, con las métricas que Keras ya trae: ninguna espera a la GPU en cada paso.
    assert progreso.DetenerSiNaN.on_train_batch_end is keras.callbacks.Callback.on_train_batch_end


def test_una_gan_sana_entrena_sin_el_aviso_de_nan(digitos, capsys):
    # El contrapunto de la anterior, igual para cualquier forma de crear la GAN: basta con una.
    assert len(gan_pequena().fit(helpers.a_dataset(digitos, 32), epochs=2, verbose=0).history["perdida_d"]) == 2
    assert "NaN" not in capsys.readouterr().out


def test_las_metricas_no_finitas_se_nombran_en_singular_o_plural():
    assert progreso.DetenerSiNaN.metricas_no_finitas({"perdida_g": float("inf"), "exactitud_d": 0.5}) == (
        "La métrica perdida_g se volvió NaN o infinita")
    assert progreso.DetenerSiNaN.metricas_no_finitas({"perdida_d": float("nan"), "perdida_g": float("nan")}) == (
        "Las métricas perdida_d y perdida_g se volvieron NaN o infinitas")
    assert progreso.DetenerSiNaN.metricas_no_finitas({"perdida_d": 1.0, "lista": [float("nan")]}) == ""
    # Una matriz de NumPy de un solo valor (como pueden llegar los logs de la época) también cuenta.
    assert progreso.DetenerSiNaN.metricas_no_finitas({"perdida_g": np.array(np.nan)}) == (
        "La métrica perdida_g se volvió NaN o infinita")


def test_el_seguimiento_de_la_metrica_juzga_las_epocas_como_detener_si_nan(digitos):
    # Una época sana o no, con el mismo criterio que DetenerSiNaN (antes, uno propio: una métrica que no es un
    # número, como una lista, daba TypeError en inglés).
    seguimiento = callbacks.SeguimientoMetrica(digitos[:8], cada=10)
    seguimiento.set_model(gan_pequena())
    seguimiento.on_train_begin()
    for logs, sana in [({"perdida_g": np.array(np.nan)}, False), ({"perdida_d": 1.0, "lista": [float("nan")]}, True),
                       ({"perdida_d": float("inf"), "perdida_g": 1.0}, False), (None, True)]:
        seguimiento.on_epoch_end(0, logs)
        assert seguimiento.ultima_sana is (not progreso.DetenerSiNaN.metricas_no_finitas(logs)) is sana


def test_punto_de_control_ignora_epocas_no_finitas(tmp_path):
    punto = PuntoDeControl(tmp_path)
    punto.set_model(gan_pequena())
    punto.on_epoch_end(0, {"perdida_g": float("inf"), "perdida_d": 1.0})
    assert punto.inestable and punto.model.stop_training
    assert not (tmp_path / ARCHIVO_ESTADO).exists()


def test_precision_mixta_envuelve_los_optimizadores(digitos):
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        gan = gan_pequena()
        assert isinstance(gan.opt_generador, keras.optimizers.LossScaleOptimizer)
        assert isinstance(gan.opt_discriminador, keras.optimizers.LossScaleOptimizer)
        historia = gan.fit(helpers.a_dataset(digitos, 32), epochs=1, verbose=0, shuffle=False)
        assert np.isfinite(historia.history["perdida_g"][0])
        assert gan.generador(np.zeros((1, 8))).dtype == "float32"
    finally:
        keras.mixed_precision.set_global_policy("float32")
    assert not isinstance(gan_pequena().opt_generador, keras.optimizers.LossScaleOptimizer)


def test_media_movil_del_generador(digitos, tmp_path):
    gan, datos = gan_pequena(media_movil=0.5), helpers.a_dataset(digitos[:32], 32)
    antes = [v.numpy().copy() for v in gan.generador.variables]
    helpers.entrenar(gan, datos, epocas=1, carpeta=tmp_path, verbose=0)  # un solo paso
    despues = [v.numpy() for v in gan.generador.variables]
    # Tras el primer paso (t = 1) el factor es min(0,5; 2/11): la media olvida deprisa el inicio.
    factor = 2 / 11
    for a, d, promedio in zip(antes, despues, gan.generador_ema.variables):
        np.testing.assert_allclose(promedio.numpy(), factor * a + (1 - factor) * d, rtol=1e-5, atol=1e-6)
    assert gan.generador_para_muestras() is gan.generador_ema
    # Lo que se guarda y se restaura es la media móvil (la misma GAN sigue desde su punto de control).
    helpers.entrenar(gan, datos, epocas=2, carpeta=tmp_path, verbose=0)
    nueva = gan_pequena(media_movil=0.5)
    assert restaurar_estado(nueva, tmp_path) == 2
    for a, b in zip(gan.generador_ema.variables, nueva.generador_ema.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.raises(ValueError, match="media_movil"):
        gan_pequena(media_movil=1.0)
    # Un bool no es un número: antes media_movil=False valía como 0 (y True se rechazaba por valer 1).
    with pytest.raises(ValueError, match=r"media_movil=False debe ser un número entre 0 \(desactivada\) y 1"):
        gan_pequena(media_movil=False)


def test_metrica_durante_el_entrenamiento_y_al_reanudar(tmp_path, digitos):
    reserva, _ = helpers.imagenes_digitos(16, "reserva")
    gan = gan_pequena()
    historial = helpers.entrenar(gan, helpers.a_dataset(digitos, 32), 8, carpeta=tmp_path, verbose=0, reales_metrica=reserva[:16], cada_metrica=2)
    assert [r["epoca"] for r in historial["metrica"]] == [2, 4, 6, 8]
    assert all(np.isfinite(r["valor"]) and r["valor"] > 0 for r in historial["metrica"])
    assert (tmp_path / "metrica.png").exists() and (tmp_path / "metrica.csv").exists()
    mejor = keras.models.load_model(tmp_path / "generador_menor_swd.keras", safe_mode=True)
    assert mejor(np.zeros((1, 8), np.float32)).shape == (1, 16, 16, 1)
    # Al reanudar (la misma GAN, desde su punto de control) se conservan las mediciones anteriores y el tiempo
    # sigue sumando. La última época se mide aunque no le toque (9 no es múltiplo de 2): antes, la última medida
    # era la de la 8 y el generador final no tenía la suya.
    historial = helpers.entrenar(gan, helpers.a_dataset(digitos, 32), 9, carpeta=tmp_path, verbose=0, reales_metrica=reserva[:16], cada_metrica=2)
    registros = historial["metrica"]
    assert [r["epoca"] for r in registros] == [2, 4, 6, 8, 9]
    assert all(a["segundos"] <= b["segundos"] for a, b in zip(registros, registros[1:]))
    # Otra vez, ya terminado: no hay nada que entrenar ni que medir (con cada_metrica="auto" también).
    otra = helpers.entrenar(helpers.crear_gan(16, dim_latente=8, ancho=8), helpers.a_dataset(digitos, 32), 9, carpeta=tmp_path, verbose=0, reales_metrica=reserva[:16])
    assert [r["epoca"] for r in otra["metrica"]] == [2, 4, 6, 8, 9]


def test_con_cada_auto_medir_se_lleva_como_mucho_un_5_por_ciento(monkeypatch, tmp_path, digitos):
    # Un reloj de mentira: cada época «tarda» 12 s y cada medida 4 s, sea cual sea la máquina.
    reloj = [0.0]
    monkeypatch.setattr(callbacks.time, "perf_counter", lambda: reloj[0])

    class DoceSegundosPorEpoca(keras.callbacks.Callback):
        def on_epoch_end(self, epoca, logs=None):
            reloj[0] += 12.0

    def metrica_lenta(reales, generadas):
        reloj[0] += 4.0
        return float(epocas_medidas.append(len(epocas_medidas)) or 1.0)

    epocas_medidas = []
    seguimiento = callbacks.SeguimientoMetrica(digitos[:8], tmp_path, cada="auto", metrica=metrica_lenta)
    gan_pequena().fit(helpers.a_dataset(digitos[:32], 32), epochs=16, verbose=0,
                      callbacks=[DoceSegundosPorEpoca(), seguimiento])
    epocas = [r["epoca"] for r in seguimiento.registros]
    # Tras la primera época (t = 12 s); la segunda cuando 4 + 4 s de medir son el 5 % de lo
    # transcurrido (t = 160 s, época 13); la tercera tocaría en t = 240 s (época 20): solo la del final.
    assert epocas == [1, 13, 16]
    assert seguimiento.midiendo == 12.0
    with pytest.raises(ValueError, match="auto"):
        callbacks.SeguimientoMetrica(digitos[:8], cada=0)


def test_al_reanudar_solo_un_generador_mejor_sustituye_al_de_menor_swd(tmp_path, digitos):
    # Al reanudar, el guardado se mide de nuevo: su medida puede ser posterior al punto de control (y ya
    # no estar en metrica.csv) o faltar (metrica.csv renombrado por dañado).
    gan, guardado, csv = gan_pequena(), tmp_path / callbacks.ARCHIVO_MENOR_SWD, tmp_path / "metrica.csv"
    gan.generador_para_muestras().save(guardado)
    antes = guardado.read_bytes()
    valores = iter([1.0, 2.0, 0.5, 0.5, 3.0])

    def seguimiento(epoca_inicial):
        s = callbacks.SeguimientoMetrica(digitos[:8], tmp_path, cada=1, metrica=lambda r, g: next(valores),
                                         epoca_inicial=epoca_inicial)
        s.set_model(gan)
        s.on_train_begin()
        return s

    def medir(s, epoca):
        generador = gan.generador_para_muestras()
        generador.set_weights([w + 0.01 for w in generador.get_weights()])  # otro generador cada vez
        s.on_epoch_end(epoca, {"perdida": 1.0})

    reanudado = seguimiento(epoca_inicial=5)  # el guardado vale 1,0
    medir(reanudado, 5)  # 2,0: peor, no lo sustituye
    assert guardado.read_bytes() == antes and reanudado.menor_valor == 1.0
    medir(reanudado, 6)  # 0,5: mejor
    assert guardado.read_bytes() != antes and reanudado.menor_valor == 0.5
    # Otro corte y se reanuda desde la época 5: metrica.csv se queda sin las medidas 6 y 7, pero el
    # guardado (0,5) se vuelve a medir y una medida peor (3,0) no lo sustituye.
    otra_vez = seguimiento(epoca_inicial=5)
    mejor = guardado.read_bytes()
    medir(otra_vez, 5)
    assert otra_vez.menor_valor == 0.5 and guardado.read_bytes() == mejor
    # Uno dañado (p. ej. cortado al copiarlo) lo sustituye cualquier medida.
    guardado.write_bytes(mejor[:100])
    assert seguimiento(epoca_inicial=5).menor_valor == float("inf")
    # Empezar de cero en la misma carpeta no hereda nada de la ejecución anterior.
    assert csv.exists() and seguimiento(epoca_inicial=0).menor_valor == float("inf")
    assert not csv.exists() and not guardado.exists()


def test_al_reanudar_con_otra_keras_el_generador_de_menor_swd_se_vuelve_a_medir(tmp_path, digitos):
    # Antes, reanudar con una Keras anterior (entrenar en el portátil y seguir en Colab) daba el guardado por dañado
    # (infinito), y la primera medida lo sustituía aunque fuera peor. Las Keras más nuevas anotan opciones que no
    # cambian la red (input_axes=None); aquí, con un nombre inventado.
    guardado = tmp_path / callbacks.ARCHIVO_MENOR_SWD
    gan_pequena().generador_para_muestras().save(guardado)
    with zipfile.ZipFile(guardado) as modelo:
        miembros = {nombre: modelo.read(nombre) for nombre in modelo.namelist()}
    config = json.loads(miembros["config.json"])
    for capa in config["config"]["layers"]:
        capa["config"]["opcion_futura"] = None
    miembros |= {"config.json": json.dumps(config).encode(), "metadata.json": b'{"keras_version": "99.1.0"}'}
    with zipfile.ZipFile(guardado, "w") as modelo:
        for nombre, contenido in miembros.items():
            modelo.writestr(nombre, contenido)
    seguimiento = callbacks.SeguimientoMetrica(digitos[:8], tmp_path, cada=1, metrica=lambda r, g: 1.5, epoca_inicial=5)
    seguimiento.set_model(gan_pequena())
    seguimiento.on_train_begin()
    assert seguimiento.menor_valor == 1.5


def test_fit_explica_datos_de_otra_forma_y_deja_barajar_las_matrices(digitos, monkeypatch):
    gan = gan_pequena()  # 16 px, 1 canal
    for datos in (helpers.a_dataset(np.zeros((8, 28, 28, 1), np.float32), 4), np.zeros((8, 16, 16, 3), np.float32)):
        with pytest.raises(ValueError, match=r"forma \((28, 28|16, 16, 3)[^)]*\) y el generador las hace de forma \(16, 16, 1\)"):
            gan.fit(datos, epochs=1, verbose=0)
    # Un tf.data.Dataset llega ya barajado (a_dataset); una matriz, no: ahí Keras debe barajar.
    pedido = {}
    monkeypatch.setattr(keras.Model, "fit", lambda self, x=None, *args, **kwargs: pedido.setdefault(
        "dataset" if hasattr(x, "element_spec") else "matriz", kwargs))
    gan.fit(helpers.a_dataset(digitos, 8), epochs=1)
    gan.fit(digitos, epochs=1)
    assert pedido["dataset"]["shuffle"] is False and "shuffle" not in pedido["matriz"]
    with pytest.raises(ValueError, match="lote=0 no es válido"):
        helpers.a_dataset(digitos, 0)


def test_fit_explica_que_faltan_los_datos_o_unas_epocas_que_no_son_un_entero(digitos):
    # Antes: «KeyError: 'pop from an empty set'» y «'str' object cannot be interpreted as an integer».
    gan = gan_pequena()
    with pytest.raises(ValueError, match=r"fit necesita los datos: p\. ej\. fit\(helpers\.a_dataset"):
        gan.fit(None, epochs=1, verbose=0)
    for epocas in ("2", 0, 1.5):
        with pytest.raises(ValueError, match=rf"epochs={epocas!r} no es válido: debe ser un entero positivo"):
            gan.fit(helpers.a_dataset(digitos, 8), epochs=epocas, verbose=0)
    assert int(gan.opt_generador.iterations) == 0


def test_steps_per_epoch_mayor_que_los_lotes_de_una_epoca_se_explica_antes_de_entrenar(digitos):
    # Antes, Keras acortaba cada época a los lotes que había (8 pasos de 20 pedidos) con un aviso en inglés; y con datos
    # que no se acaban, la última llamada de cada época daba sus 8 pasos: 16 por época con steps_per_epoch=10 y 8 con 3.
    import tensorflow as tf

    gan = gan_pequena()
    for datos in (helpers.a_dataset(digitos, 16), tf.data.Dataset.from_tensor_slices(digitos).batch(16)):
        with pytest.raises(ValueError, match=r"steps_per_epoch=10 pide más lotes de los que tiene una época de tus datos "
                                             r"\(4\): .* Quita steps_per_epoch .* datos\.repeat\(\)"):
            gan.fit(datos, epochs=2, steps_per_epoch=10, verbose=0)
    assert int(gan.opt_generador.iterations) == 0
    gan.fit(helpers.a_dataset(digitos, 16).repeat(), epochs=2, steps_per_epoch=10, verbose=0)
    assert int(gan.opt_generador.iterations) == 20 and gan.steps_per_execution == 5
    gan.fit(helpers.a_dataset(digitos, 16).repeat(), epochs=1, steps_per_epoch=3, verbose=0)  # con el paso ya trazado
    assert int(gan.opt_generador.iterations) == 23


class _Llamadas(keras.callbacks.Callback):
    """Cuántas llamadas a TensorFlow hace la última época: Keras avisa a los callbacks tras cada una."""

    def on_epoch_begin(self, epoca, logs=None):
        self.llamadas = 0

    def on_train_batch_end(self, paso, logs=None):
        self.llamadas += 1


def test_cada_fit_parte_de_los_pasos_por_llamada_de_compile_sin_trazar_de_mas(digitos):
    # Los pasos por llamada bajan para los datos de un fit (a 2 con 2 lotes por época; a 6 con steps_per_epoch=6) y
    # antes se quedaban así: el fit siguiente, con 8 lotes, hacía en cada época 4 llamadas de 2 pasos (o una de 6 y
    # otra de 2) en lugar de una de 8.
    trazas = []

    def gan_contada():
        gan = gan_pequena()
        paso = gan.train_step
        gan.train_step = lambda datos: trazas.append(1) or paso(datos)  # Python solo lo ejecuta al trazar
        return gan

    def llamadas(gan, datos, **opciones):
        contador = _Llamadas()
        gan.fit(datos, epochs=2, verbose=0, callbacks=[contador], **opciones)
        return contador.llamadas

    for lote, opciones, bajados in ((32, {}, 2), (8, {"steps_per_epoch": 6}, 6)):
        gan = gan_contada()
        assert llamadas(gan, helpers.a_dataset(digitos, lote), **opciones) == 1 and gan.steps_per_execution == bajados
        assert llamadas(gan, helpers.a_dataset(digitos, 8)) == 1 and gan.steps_per_execution == 8
    # Con los mismos datos, la función ya trazada; y con otros de 7 lotes, la trazada con 8 pasos por llamada (la época,
    # una llamada, como con 7), como la que traza comparar_recetas con su primer paso suelto: trazarla otra vez
    # costaría segundos.
    trazas.clear()
    gan, datos = gan_contada(), helpers.a_dataset(digitos, 8)
    llamadas(gan, datos)
    llamadas(gan, datos)
    llamadas(gan, helpers.a_dataset(digitos[:56], 8))
    assert len(trazas) == 1 and gan.steps_per_execution == 8


def test_fit_no_entrena_en_silencio_con_imagenes_en_0_255(digitos, tmp_path):
    # Sin esto, una GAN con imágenes en [0, 255] (image_dataset_from_directory, un uint8) entrenaba sin
    # aprender nada, y la pareja (imágenes, etiquetas) en una tupla daba un error de TensorFlow en inglés.
    import tensorflow as tf

    gan, en_0_255, etiquetas = gan_pequena(), (digitos + 1) * 127.5, np.zeros(len(digitos))
    rango = r"Las imágenes van de 0 a 255 y la GAN las espera en \[-1, 1\].* Si están en \[0, 255\], conviértelas con "
    for datos, mensaje in ((en_0_255, rango + "imagenes / 127.5 - 1"), (en_0_255.astype(np.uint8), rango),
                           (tf.data.Dataset.from_tensor_slices(en_0_255).batch(8),
                            rango + r"datos.map\(lambda imagenes: imagenes / 127.5 - 1\)"),
                           (tf.data.Dataset.from_tensor_slices((en_0_255, etiquetas)).batch(8),
                            rango + r"datos.map\(lambda imagenes, etiquetas: \(imagenes / 127.5 - 1, etiquetas\)\)"),
                           ((digitos, etiquetas), "le llegó una tupla.*Sepáralas antes"),
                           (tf.data.Dataset.from_tensor_slices(digitos[:0]).batch(8), "el conjunto de datos está vacío"),
                           (tf.data.Dataset.from_tensor_slices(digitos), r"muestras sueltas, de forma \(16, 16, 1\), sin "
                                                                         r"agrupar en lotes: añade \.batch")):
        with pytest.raises(ValueError, match=mensaje):
            gan.fit(datos, epochs=1, verbose=0)
    assert int(gan.opt_generador.iterations) == 0
    # Los pares de image_dataset_from_directory con las imágenes ya en [-1, 1] siguen valiendo: la GAN toma las imágenes.
    gan.fit(tf.data.Dataset.from_tensor_slices((digitos[:16], etiquetas[:16])).batch(8), epochs=1, verbose=0)
    assert int(gan.opt_generador.iterations) == 2
    # entrenar lo dice antes de tocar la carpeta, también si ya tenía resultados de otra vez.
    (tmp_path / "resultados").mkdir()
    (tmp_path / "resultados" / "generador.keras").write_bytes(b"el de ayer")
    with pytest.raises(ValueError, match=rango):
        helpers.entrenar(gan, en_0_255, 1, carpeta=tmp_path / "resultados", continuar=False, verbose=0)
    assert (tmp_path / "resultados" / "generador.keras").read_bytes() == b"el de ayer"


def test_entrenar_explica_datos_de_otra_forma_y_una_carpeta_que_es_un_archivo(digitos, tmp_path):
    for opcion, valor in (("cada_metrica", "5"), ("guardar_cada_segundos", "60"), ("mostrar_cada", "25")):
        with pytest.raises(ValueError, match=f"{opcion}='{valor}' no es válido"):
            helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 8), 1, carpeta=tmp_path / "r", **{opcion: valor})
    # La reserva de la métrica, de otro tamaño o como pareja (imágenes, etiquetas): antes se decía al final de la
    # primera época, con el nombre «reales»; ahora, antes de entrenar y con el del argumento.
    reserva = digitos[:16]
    for mala, forma in (((reserva, np.zeros(16)), "no es una matriz de imágenes"),
                        (reserva[:, ::2, ::2], r"tiene forma \(16, 8, 8, 1\)")):
        with pytest.raises(ValueError, match=rf"reales_metrica {forma} y el generador da imágenes de forma \(16, 16, 1\)"):
            helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 8), 1, carpeta=tmp_path / "r", reales_metrica=mala)
    assert not (tmp_path / "r").exists()
    helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 8), 1, carpeta=tmp_path / "r", verbose=0, mostrar_cada=None)
    with pytest.raises(ValueError, match=r"forma \(16, 16, 1\) y el generador las hace de forma \(32, 32, 3\)"):
        helpers.entrenar(helpers.crear_gan(32, 3, ancho=8, dim_latente=4), helpers.a_dataset(digitos, 8), 1,
                         carpeta=tmp_path / "resultados", verbose=0)
    (tmp_path / "notas.txt").write_text("mías", encoding="utf-8")
    with pytest.raises(ValueError, match="es un archivo, no una carpeta"):
        helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 8), 1, carpeta=tmp_path / "notas.txt")
    assert (tmp_path / "notas.txt").read_text(encoding="utf-8") == "mías"


def test_un_conjunto_de_parejas_o_de_diccionarios_se_comprueba_por_sus_imagenes(digitos, tmp_path):
    # Antes, de las parejas (imágenes, etiquetas) solo se miraba el rango: con otra forma o sin lotes, el error llegaba
    # en inglés desde el discriminador («Input 0 with name 'imagen' … is incompatible»), y al continuar con otro lote
    # no se avisaba. Un diccionario (tensorflow_datasets) daba «TypeError: Expected any non-tensor type».
    import tensorflow as tf

    etiquetas = np.arange(len(digitos)) % 10

    def parejas(imagenes, lote=8):
        datos = tf.data.Dataset.from_tensor_slices((imagenes, etiquetas))
        return datos.batch(lote, drop_remainder=True) if lote else datos

    gan = gan_pequena()
    for datos, mensaje in ((parejas(np.zeros((len(digitos), 28, 28), np.float32)),
                            r"muestras de forma \(28, 28\) y el generador las hace de forma \(16, 16, 1\)"),
                           (parejas(digitos, lote=None), r"muestras sueltas, de forma \(16, 16, 1\), sin agrupar en lotes"),
                           (tf.data.Dataset.from_tensor_slices({"image": digitos, "label": etiquetas}).batch(8),
                            r"da diccionarios \(claves: image, label\).*datos\.map\(lambda ejemplo: ejemplo\['image'\]\)")):
        with pytest.raises(ValueError, match=mensaje):
            gan.fit(datos, epochs=1, verbose=0)
    assert int(gan.opt_generador.iterations) == 0
    helpers.entrenar(gan, parejas(digitos), 1, carpeta=tmp_path, verbose=0)
    with pytest.raises(ValueError, match="se entrenó con lotes de 8 imágenes y los datos de ahora vienen en lotes de 16"):
        helpers.entrenar(gan_pequena(), parejas(digitos, lote=16), 2, carpeta=tmp_path, verbose=0)


def test_entrenar_con_una_carpeta_vacia_no_escribe_ni_borra_en_la_actual(digitos, tmp_path, monkeypatch):
    # Antes, carpeta="" era la carpeta actual: empezar de cero borraba ahí generador.keras, evolucion.gif… del
    # estudiante y escribía los resultados entre sus cuadernos. Una matriz daba un TypeError de pathlib en inglés.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "generador.keras").write_bytes(b"el mio")
    for carpeta, mensaje in (("", r"carpeta='' no sirve como ruta: indica la carpeta de los resultados"),
                             (digitos, r"carpeta recibió una matriz de forma \(64, 16, 16, 1\), que no sirve como ruta")):
        with pytest.raises(ValueError, match=mensaje):
            helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 8), 1, carpeta=carpeta, verbose=0)
    assert [ruta.name for ruta in tmp_path.iterdir()] == ["generador.keras"]
    assert (tmp_path / "generador.keras").read_bytes() == b"el mio"


def test_callbacks_acepta_uno_suelto_y_explica_lo_que_no_es_un_callback(digitos, tmp_path):
    # Antes, uno suelto (el fit de Keras lo admite) daba «TypeError: 'LimiteDeTiempo' object is not iterable» o
    # «Value after * must be an iterable» en entrenar, ya borrados los resultados de antes.
    (tmp_path / "generador.keras").write_bytes(b"el de ayer")
    for lista, mensaje in ((helpers.LimiteDeTiempo, r"recibió la clase LimiteDeTiempo, sin crear: añade los paréntesis"),
                           ([helpers.LimiteDeTiempo(5), "cada 5"], r"callbacks lleva callbacks de Keras.* y recibió str")):
        with pytest.raises(ValueError, match=mensaje):
            helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 32), 1, carpeta=tmp_path, continuar=False,
                             verbose=0, callbacks=lista)
    assert (tmp_path / "generador.keras").read_bytes() == b"el de ayer"
    gan = gan_pequena()
    historial = helpers.entrenar(gan, helpers.a_dataset(digitos, 32), 2, carpeta=tmp_path / "r", verbose=0,
                                 callbacks=helpers.LimiteDeTiempo(5))
    assert len(historial["perdida_g"]) == 2
    gan.fit(helpers.a_dataset(digitos, 32), epochs=1, verbose=0, callbacks=helpers.LimiteDeTiempo(5))
    assert int(gan.opt_generador.iterations) == 6  # las 2 épocas de entrenar y la de fit, de 2 pasos cada una


def test_desviacion_minilote_con_un_lote_que_no_es_multiplo_de_4_se_explica(digitos):
    gan = gan_pequena(desviacion_minilote=True)
    for datos, opciones in ((helpers.a_dataset(digitos, 30), {}), (digitos[:42], {"batch_size": 16})):  # 42 = 16 + 16 + 10
        with pytest.raises(ValueError, match=r"múltiplo de 4 imágenes y (el lote tiene 30|el último lote .* tiene 10)"):
            gan.fit(datos, epochs=1, verbose=0, **opciones)
    assert np.isfinite(gan.fit(digitos[:32], batch_size=16, epochs=1, verbose=0).history["perdida_d"][0])


def test_redes_optimizadores_y_tasas_que_no_valen_se_explican():
    generador, discriminador = helpers.construir_generador(16, 1, 4, 8), helpers.construir_discriminador(16, 1, 8)
    en_sigmoide = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Flatten(), keras.layers.Dense(1, activation="sigmoid")])
    diez = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    with pytest.raises(ValueError, match="termina en una sigmoide .* quita activation=\"sigmoid\""):
        helpers.GANBasica(generador, en_sigmoide)
    with pytest.raises(ValueError, match=r"un logit por imagen, forma \(n, 1\), y da \(None, 10\)"):
        helpers.GAN(generador, diez)
    with pytest.raises(ValueError, match=r"GANBasica no tiene suavizado \(¿una errata\?\)"):
        helpers.GANBasica(generador, discriminador, suavizado=0.1)
    gan, adam = helpers.GANBasica(generador, discriminador), keras.optimizers.Adam()
    for opciones, mensaje in (({"opt_generador": adam, "opt_discriminador": adam}, "son el mismo optimizador"),
                              ({"optimizer": adam}, "no usa optimizer de compile"),
                              ({"opt_generator": adam}, r"compile no tiene opt_generator \(¿una errata\?\)")):
        with pytest.raises(ValueError, match=mensaje):
            gan.compile(**opciones)
    for tasa in (-1e-3, float("nan"), "1e-3", True):
        with pytest.raises(ValueError, match=f"lr_discriminador={tasa!r} no es válida"):
            helpers.crear_gan(16, 1, ancho=8, dim_latente=4, lr_discriminador=tasa)
    # Un entero o un float de NumPy valen (Keras solo acepta float de Python).
    assert float(helpers.crear_gan(16, 1, ancho=8, dim_latente=4, lr_generador=1).opt_generador.learning_rate) == 1.0
    helpers.crear_gan(16, 1, ancho=8, dim_latente=4, lr_generador=np.float32(1e-3))


def test_crear_gan_nombra_una_opcion_mal_escrita():
    with pytest.raises(ValueError, match=r"no tiene la opción suavizado \(¿una errata\?\).*suavizado_etiquetas") as error:
        helpers.crear_gan(16, 1, suavizado=0.1)
    assert "name" not in str(error.value).split("Las que hay: ")[1].split(", ")  # de Keras, no una opción del curso
    with pytest.raises(ValueError, match=r"no tiene las opciones lr, suavizado \("):
        helpers.crear_gan(16, 1, suavizado=0.1, lr=1e-4)
    assert helpers.crear_gan(16, 1, ancho=8, dim_latente=4, name="mi_gan").name == "mi_gan"


@pytest.mark.parametrize("opcion, valor, mensaje", [
    ("tamano", 16.0, r"tamano=16.0 no es válido: usa uno de"),
    ("dim_latente", 0, r"dim_latente=0 no es válido: debe ser un entero positivo"),  # antes, todas iguales
    ("dim_latente", 64.0, r"dim_latente=64.0 no es válido"),
    ("ancho", 32.5, r"ancho=32.5 no es válido: debe ser un entero positivo"),
    ("beta_1", "0.5", r"beta_1='0.5' no es válido: es un número de 0 a 1, sin llegar a 1"),
    ("beta_1", 1.5, r"beta_1=1.5 no es válido"),
    ("abandono", "0.3", r"abandono='0.3' debe ser un número entre 0"),
    ("ruido_instancia", "0.1", r"ruido_instancia='0.1' no es válido: debe ser un número ≥ 0 y finito"),
    ("penalizacion_r1", float("nan"), r"penalizacion_r1=nan no es válido"),  # antes, pérdidas NaN al entrenar
    ("aumento", True, r"aumento=True no es válido: usa un texto como 'color,traslacion,recorte'"),
    ("estrategia", "gpu", r"estrategia='gpu' no es válida: usa \"auto\""),
])
def test_crear_gan_explica_cada_valor_que_no_sirve(opcion, valor, mensaje):
    with pytest.raises(ValueError, match=mensaje):
        helpers.crear_gan(**{"tamano": 16, "ancho": 8, "dim_latente": 4, opcion: valor})


def test_muestrear_explica_n_y_semilla():
    gan = gan_pequena()
    for n in (0, -1, 4.0, "4"):
        with pytest.raises(ValueError, match=f"n={n!r} no es válido: es cuántas muestras quieres"):
            gan.muestrear(n)
    with pytest.raises(ValueError, match="semilla=1.5 no es válida"):
        gan.muestrear(4, semilla=1.5)
    # Antes, «Can't convert Python sequence with out-of-range integer to Tensor» de TensorFlow.
    with pytest.raises(ValueError, match=r"semilla=\d+ no es válida: usa un número entero de 0 a 4\.294\.967\.295 .* o None"):
        gan.muestrear(4, semilla=2**70)
    assert gan.muestrear(np.int64(2), semilla=np.int64(3)).shape == (2, 16, 16, 1)


def test_limite_de_tiempo_detiene_fit(digitos):
    gan = gan_pequena()
    historial = gan.fit(helpers.a_dataset(digitos, 32), epochs=1000, verbose=0, callbacks=[helpers.LimiteDeTiempo(1e-6)])
    assert len(historial.epoch) == 1
    # Antes, «'<=' not supported between instances of 'str' and 'int'» y, con NaN, ningún límite sin avisar.
    # 10**400 no cabe en un float: antes se aceptaba y fallaba después, en inglés, al pasarlo a segundos.
    for minutos in (0, -1, "5", float("nan"), None, 10**400):
        with pytest.raises(ValueError, match=rf"minutos={minutos!r} no es válido: debe ser un número positivo y finito"):
            helpers.LimiteDeTiempo(minutos)


def test_xla_segun_el_dispositivo_salvo_que_se_pida():
    assert helpers.crear_gan(16, ancho=8, dim_latente=4).jit_compile is helpers.entorno.jit_por_defecto()
    assert helpers.crear_gan(16, ancho=8, dim_latente=4, jit_compile=True).jit_compile is True
    sin_xla = helpers.crear_gan(16, ancho=8, dim_latente=4, jit_compile=False)
    assert sin_xla.jit_compile is False
    imagenes = np.zeros((8, 16, 16, 1), np.float32)
    historial = sin_xla.fit(helpers.a_dataset(imagenes, 4), epochs=1, verbose=0).history
    assert np.isfinite(historial["perdida_d"][0])


@pytest.mark.parametrize(("gpu", "con_cuda_o_rocm", "xla"), [
    (False, True, False),  # CPU
    (True, True, True),  # NVIDIA (Colab) o AMD
    (True, False, False),  # la GPU de un Mac con tensorflow-metal, o DirectML: XLA no tiene compilador para ellas
])
def test_xla_solo_en_una_gpu_para_la_que_xla_compila(monkeypatch, gpu, con_cuda_o_rocm, xla):
    import tensorflow as tf

    dispositivos = [tf.config.LogicalDevice("/device:GPU:0", "GPU")] if gpu else []
    monkeypatch.setattr(tf.config, "list_logical_devices", lambda tipo=None: dispositivos if tipo == "GPU" else [])
    monkeypatch.setattr(tf.test, "is_built_with_gpu_support", lambda: con_cuda_o_rocm)
    assert helpers.entorno.jit_por_defecto() is xla


@pytest.mark.parametrize("canales, opciones", [
    (3, helpers.RECETA_POCOS_DATOS),  # la de la tarea: aumento y media móvil
    (1, {"perdida": "wasserstein", "penalizacion_gradiente": 10.0}),
    (1, {"perdida": "bisagra", "penalizacion_r1": 1.0, "exactitud_objetivo_d": 0.75, "ruido_instancia": 0.1,
         "programa_ruido": "tercios", "ruido_solo_reales": True, "normalizacion_espectral": True,
         "desviacion_minilote": True, "abandono": 0.3}),
], ids=["tarea", "wgan_gp", "estabilizadores"])
def test_en_gpu_se_compila_con_xla_y_todas_las_variantes_lo_admiten(canales, opciones):
    # Con GPU (Colab) el paso se compila con XLA por defecto; una operación sin versión XLA rompería
    # el entrenamiento solo allí. XLA de CPU admite las mismas operaciones: aquí se comprueba sin GPU.
    helpers.fijar_semilla(0)
    gan = helpers.crear_gan(16, canales, dim_latente=8, jit_compile=True, **{**opciones, "ancho": 8})
    imagenes = np.random.default_rng(0).uniform(-1, 1, (8, 16, 16, canales)).astype(np.float32)
    historial = gan.fit(helpers.a_dataset(imagenes, 4), epochs=1, verbose=0).history
    assert gan.jit_compile is True and int(gan.opt_generador.iterations) == 2
    assert all(math.isfinite(valores[-1]) for valores in historial.values())


def test_la_receta_de_la_tarea_entrena_a_128_px():
    # La receta que usa `entrenar --tamano 128` (pensada para GPU): formas y unos pasos en CPU.
    gan = helpers.crear_gan(128, 3, **helpers.RECETA_POCOS_DATOS)
    imagenes = np.random.default_rng(0).uniform(-1, 1, (8, 128, 128, 3)).astype(np.float32)
    historial = gan.fit(helpers.a_dataset(imagenes, 4), epochs=1, verbose=0).history
    assert all(math.isfinite(valores[-1]) for valores in historial.values())
    assert int(gan.opt_generador.iterations) == 2
    assert gan.muestrear(2).shape == (2, 128, 128, 3)


def test_empezar_de_cero_no_lee_el_historial_de_antes(tmp_path):
    # Guardado con «;» por una hoja de cálculo: al reanudar se explica; de cero, simplemente no cuenta.
    danado = tmp_path / "historial.csv"
    danado.write_text("epoca;perdida_d\n1;0,7\n", encoding="utf-8")
    with pytest.raises(ValueError, match="historial.csv» está dañado"):
        callbacks.HistorialPerdidas(tmp_path, epoca_inicial=3).on_train_begin()
    callbacks.HistorialPerdidas(tmp_path, epoca_inicial=0).on_train_begin()
    assert not danado.exists()


def test_empezar_de_cero_y_cortar_no_deja_figuras_de_la_ejecucion_anterior(tmp_path, digitos):
    # Las figuras y la métrica de otra ejecución en la misma carpeta (que sí medía): si esta, que no mide,
    # se corta antes de dibujar las suyas, no deben quedar como si fueran de esta.
    de_otra = ("evolucion.gif", "perdidas.png", "metrica.png", "metrica.csv", "generador_menor_swd.keras")
    for nombre in de_otra:
        (tmp_path / nombre).write_bytes(b"de otra ejecucion")
    with pytest.raises(Interrupcion):
        helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 32), epocas=5, carpeta=tmp_path, verbose=0,
                         continuar=False, callbacks=[CortarEn(1)])
    assert [nombre for nombre in de_otra if (tmp_path / nombre).exists()] == []
    assert (tmp_path / ARCHIVO_ESTADO).exists()  # lo de esta ejecución sí se guardó


def test_empezar_de_cero_borra_el_punto_de_control_de_antes_aunque_se_corte_antes_del_primero(copia, digitos):
    # De cero otra vez, con un punto de control cada hora: se corta antes de escribir el primero.
    with pytest.raises(KeyboardInterrupt):
        helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 32), epocas=3, carpeta=copia, verbose=0,
                         continuar=False, guardar_cada_segundos=3600, callbacks=[helpers.SimularCorte(0)])
    assert not (copia / ARCHIVO_ESTADO).exists()  # continuar no reanudaría la ejecución anterior


def _disco_lleno(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_sin_espacio_para_guardar_para_con_un_mensaje_en_espanol_y_se_reanuda(copia, digitos, monkeypatch):
    import traceback

    # Cada vez que se vuelve a ejecutar la celda, la misma GAN sigue desde el punto de control de la época 3.
    gan, datos = gan_pequena(), helpers.a_dataset(digitos, 32)
    with monkeypatch.context() as parche:
        parche.setattr(punto_de_control, "guardar_npz", _disco_lleno)  # el punto de control ya no cabe
        for como_seguir, despues in ((None, "Después, vuelve a ejecutar la celda (con continuar=True, como por defecto) "
                                            "para seguir desde ahí."),
                                     ("repite la orden con --continuar", "Para continuar: repite la orden con --continuar")):
            with pytest.raises(OSError) as lleno:
                helpers.entrenar(gan, datos, epocas=5, carpeta=copia, verbose=0, guardar_cada_segundos=0,
                                 como_seguir=como_seguir)
            assert str(lleno.value) == (
                f"Entrenamiento detenido: no se pudo escribir «{copia / ARCHIVO_ESTADO}»: no queda espacio en el disco. "
                f"En «{copia}» queda el punto de control de la época 3. Libera espacio (en Google Drive, vacía también "
                f"la papelera). {despues}")
            archivos = [marco.filename for marco in traceback.extract_tb(lleno.value.__traceback__)]
            assert lleno.value.__suppress_context__ and not [a for a in archivos if "tensorflow" in a or "keras" in a]
    assert not list(copia.glob(".*.tmp*"))  # ningún temporal a medias
    historial = helpers.entrenar(gan, datos, epocas=5, carpeta=copia, verbose=0)  # con espacio, sigue
    assert len(historial["perdida_g"]) == 5 and punto_de_control.epoca_guardada(copia) == 5


def test_un_punto_de_control_que_no_cabe_da_solo_el_error(terminado, tmp_path, monkeypatch):
    # Un disco de verdad que se llena a mitad del archivo (el límite de tamaño de archivo del proceso): NumPy 2.1, la
    # de Colab, dejaba el .npz abierto y Python escribía al liberarlo una traza en inglés tras el mensaje del kit.
    resource = pytest.importorskip("resource")
    sin_lanzar, lleno = [], None
    monkeypatch.setattr(sys, "unraisablehook", sin_lanzar.append)
    blando, duro = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (2**14, duro))
    try:
        try:
            punto_de_control.guardar_estado(terminado.gan, tmp_path, 3)
        except OSError as error:  # al salir de aquí se suelta su traza, y con ella lo que se abrió al escribir
            lleno = (error.errno, error.filename)
        gc.collect()  # aún sin espacio, como seguiría el disco
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (blando, duro))
    assert lleno == (errno.EFBIG, str(tmp_path / ARCHIVO_ESTADO))
    assert sin_lanzar == [] and list(tmp_path.iterdir()) == []


class FallarAlTerminarEpoca(keras.callbacks.Callback):
    """Un callback con un error propio (p. ej. el de un estudiante) al terminar la primera época."""

    def on_epoch_end(self, epoca, logs=None):
        raise ValueError("mi callback falla")


def test_sin_espacio_tras_otro_error_no_lo_oculta_y_tras_un_ctrl_c_se_explica(tmp_path, digitos, monkeypatch):
    datos = helpers.a_dataset(digitos, 32)
    monkeypatch.setattr(punto_de_control, "guardar_npz", _disco_lleno)
    # El error propio es el que hay que corregir primero: no lo tapa el del disco.
    with pytest.raises(ValueError, match="mi callback falla"):
        helpers.entrenar(gan_pequena(), datos, epocas=3, carpeta=tmp_path, verbose=0, callbacks=[FallarAlTerminarEpoca()])
    # Tras un Ctrl-C, lo que impide seguir es no haber podido guardar.
    with pytest.raises(OSError, match=r"no queda espacio en el disco\. No se llegó a guardar ninguna época: libera "
                                      r"espacio \(en Google Drive, vacía también la papelera\) o elige una carpeta de otro "
                                      r"disco y vuelve a empezar\.$"):
        helpers.entrenar(gan_pequena(), datos, epocas=3, carpeta=tmp_path, verbose=0, continuar=False,
                         callbacks=[helpers.SimularCorte(1)])


def test_si_no_se_puede_ni_leer_la_carpeta_lo_dice(tmp_path, digitos, monkeypatch):
    def desconectado(*args, **kwargs):  # Google Drive desconectado a mitad del entrenamiento
        raise OSError(errno.ENOTCONN, "Transport endpoint is not connected", str(tmp_path / ARCHIVO_ESTADO))

    monkeypatch.setattr(punto_de_control, "guardar_npz", desconectado)
    monkeypatch.setattr(entrenamiento, "epoca_guardada", desconectado)
    with pytest.raises(OSError) as corte:
        helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 32), epocas=2, carpeta=tmp_path, verbose=0)
    assert str(corte.value) == (
        f"Entrenamiento detenido: no se pudo usar «{tmp_path / ARCHIVO_ESTADO}»: el sistema dice «Transport endpoint is "
        f"not connected». No se puede comprobar qué quedó guardado en «{tmp_path}». Comprueba que puedes volver a escribir "
        "ahí (p. ej., que Google Drive sigue conectado). Después, vuelve a ejecutar la celda (con continuar=True, como "
        "por defecto) para seguir desde ahí.")


def test_una_interrupcion_dice_que_quedo_guardado_sin_la_traza_de_tensorflow(tmp_path, digitos):
    import traceback

    class CorteTrasElPrimerPaso(keras.callbacks.Callback):
        def on_train_batch_end(self, paso, logs=None):
            raise KeyboardInterrupt

    datos = helpers.a_dataset(digitos, 32)
    # SimularCorte(2) corta al empezar la 3.ª época: sin copia en memoria de la 2.ª (se copia como mucho una
    # vez por segundo), el punto de control la copia entonces, porque la GAN aún no ha dado ningún paso más.
    for corte_simulado, texto in ((CorteTrasElPrimerPaso(), f"No llegó a terminar ninguna época: no hay nada guardado "
                                   f"en {tmp_path}. Para empezar, crea la GAN de nuevo"),
                                  (helpers.SimularCorte(2), f"En {tmp_path} queda guardado todo hasta la época 2; "
                                   "vuelve a ejecutar la celda")):
        gan = gan_pequena()
        with pytest.raises(KeyboardInterrupt) as corte:
            helpers.entrenar(gan, datos, epocas=5, carpeta=tmp_path, verbose=0, continuar=False,
                             callbacks=[corte_simulado])
        assert str(corte.value).startswith(f"Entrenamiento interrumpido. {texto}")
        archivos = [marco.filename for marco in traceback.extract_tb(corte.value.__traceback__)]
        assert corte.value.__suppress_context__ and not [a for a in archivos if "tensorflow" in a or "keras" in a]
    # Con fit a secas (el cuaderno 07), lo mismo sin punto de control: la GAN (la del último corte, con su paso ya
    # preparado) sigue como quedó, con los 2 pasos de la época que terminó antes del corte.
    pasos = int(gan.opt_generador.iterations)
    with pytest.raises(KeyboardInterrupt, match="la GAN conserva lo que aprendió hasta aquí") as corte:
        gan.fit(datos, epochs=3, verbose=0, callbacks=[helpers.SimularCorte(1)])
    assert corte.value.__suppress_context__ and int(gan.opt_generador.iterations) == pasos + 2


def test_reanudar_reescribe_el_historial_de_una_vez_y_avisa_si_le_faltan_epocas(tmp_path, monkeypatch, capsys):
    import csv

    ruta = tmp_path / "historial.csv"

    def reanudado(epocas, epoca_inicial=5):
        ruta.write_text("epoca,perdida_g,perdida_d\n" + "".join(f"{e},0.{e},1.{e}\n" for e in epocas), encoding="utf-8")
        return callbacks.HistorialPerdidas(tmp_path, epoca_inicial=epoca_inicial)

    # Un corte (Ctrl-C, SIGKILL) mientras se reescribe al reanudar deja el de antes entero, no uno vacío.
    historial = reanudado(range(1, 8))  # el punto de control va por la 5: la 6 y la 7 se vuelven a entrenar
    antes = ruta.read_bytes()
    with monkeypatch.context() as m:
        m.setattr(csv.DictWriter, "writerows", lambda self, filas: (_ for _ in ()).throw(KeyboardInterrupt))
        with pytest.raises(KeyboardInterrupt):
            historial.on_train_begin()
    assert ruta.read_bytes() == antes and [p.name for p in tmp_path.iterdir()] == ["historial.csv"]
    historial.on_train_begin()
    historial.on_epoch_end(5, {"perdida_g": 0.5, "perdida_d": 1.5})
    assert [f.split(",")[0] for f in ruta.read_text(encoding="utf-8").splitlines()[1:]] == ["1", "2", "3", "4", "5", "6"]
    assert capsys.readouterr().out == ""  # completo: sin aviso
    # Le faltan épocas (cortado, vacío o sin él): se avisa nombrando el archivo y cuáles; el entrenamiento sigue.
    reanudado([1, 2, 5]).on_train_begin()
    assert "historial.csv» le faltan épocas que el punto de control ya entrenó (3–4)" in capsys.readouterr().out
    ruta.write_bytes(b"")
    callbacks.HistorialPerdidas(tmp_path, epoca_inicial=5).on_train_begin()
    assert "(1–5)" in capsys.readouterr().out
    # Una línea cortada es un CSV dañado (como otra cabecera), no una fila a medias que rompa las curvas al final.
    ruta.write_text("epoca,perdida_g,perdida_d\n1,0.1,1.1\n2,0.2", encoding="utf-8")
    with pytest.raises(ValueError, match="historial.csv» está dañado"):
        callbacks.HistorialPerdidas(tmp_path, epoca_inicial=5).on_train_begin()


def test_cuadros_y_gif_se_escriben_de_una_vez_y_el_gif_salta_los_danados(tmp_path, monkeypatch, capsys):
    from PIL import Image

    from helpers.graficos import guardar_cuadricula

    muestras = tmp_path / "muestras"
    for epoca in (1, 2, 3):
        guardar_cuadricula(np.full((4, 8, 8, 1), epoca / 4 - 0.5, np.float32), muestras / f"epoca_{epoca:04d}.png")
    danado = muestras / "epoca_0002.png"
    danado.write_bytes(danado.read_bytes()[: danado.stat().st_size // 2])
    gif = callbacks.crear_gif(muestras, tmp_path / "evolucion.gif")
    assert Image.open(gif).n_frames == 2
    assert "epoca_0002.png (en «" in capsys.readouterr().out
    # Un corte mientras se escribe el GIF deja el de antes entero.
    antes = gif.read_bytes()

    def a_medias(imagen, ruta, *args, **opciones):
        ruta.write_bytes(b"GIF89a a medias")
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(Image.Image, "save", a_medias)
        with pytest.raises(KeyboardInterrupt):
            callbacks.crear_gif(muestras, gif)
    assert gif.read_bytes() == antes
    # Y mientras se escribe un cuadro: no queda ninguno a medias (guardar_pendiente no lo rehace si existe).
    cuadros = callbacks.MuestrasFijas(tmp_path / "otra", n=4)
    cuadros.set_model(gan_pequena())
    cuadros.on_train_begin()
    monkeypatch.setattr(callbacks, "guardar_cuadricula", lambda imagenes, ruta: a_medias(None, ruta))
    (tmp_path / "otra" / "muestras").mkdir(parents=True)
    with pytest.raises(KeyboardInterrupt):
        cuadros.on_epoch_end(0)
    assert list((tmp_path / "otra" / "muestras").iterdir()) == []


def test_el_gif_junta_cuadros_de_dos_tamanos_sin_recortarlos(tmp_path):
    # Un entrenamiento empezado con una versión del kit que guardaba los cuadros a su tamaño (263 px para 32 px)
    # y seguido con esta (526 px): Pillow recortaba los nuevos a la esquina del tamaño del primero.
    from PIL import Image

    from helpers.graficos import guardar_cuadricula

    muestras = tmp_path / "muestras"
    blanca, negra = np.ones((4, 8, 8, 1), np.float32), -np.ones((4, 8, 8, 1), np.float32)
    guardar_cuadricula(blanca, muestras / "epoca_0001.png", escala=1)
    guardar_cuadricula(negra, muestras / "epoca_0002.png", escala=2)
    with Image.open(callbacks.crear_gif(muestras, tmp_path / "evolucion.gif")) as gif:
        assert gif.size == (34, 34) and gif.n_frames == 2
        primero = np.asarray(gif.convert("L"))
        gif.seek(1)
        segundo = np.asarray(gif.convert("L"))
    assert primero[:8, :8].min() == 255 and primero[-8:, -8:].min() == 255  # el pequeño, ampliado entero
    assert segundo[-8:, -8:].max() == 0


def test_reanudar_con_un_cuadro_danado_y_el_historial_vacio_termina_y_avisa(copia, digitos, capsys):
    cuadro = copia / "muestras" / "epoca_0003.png"
    cuadro.write_bytes(cuadro.read_bytes()[:2000])  # como `truncate -s 2000`
    (copia / "historial.csv").write_bytes(b"")
    historial = helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 32), epocas=4, carpeta=copia, verbose=0,
                                 guardar_cada_segundos=0)
    salida = capsys.readouterr().out
    assert "historial.csv» le faltan épocas que el punto de control ya entrenó (1–3)" in salida
    assert "epoca_0003.png (en «" in salida and "evolucion.gif va sin él" in salida
    assert len(historial["perdida_g"]) == 1
    assert Image.open(copia / "evolucion.gif").n_frames == 3


def test_reanudar_sin_nada_que_entrenar_hace_la_medida_final_que_falto(monkeypatch, tmp_path, digitos):
    # Un corte tras guardar el punto de control de la última época y antes de su medida final (p. ej. al
    # hacer el GIF): al reanudar no queda nada que entrenar, pero esa medida se hace (una vez).
    reloj = [0.0]
    monkeypatch.setattr(callbacks.time, "perf_counter", lambda: reloj[0])

    class UnSegundoPorEpoca(keras.callbacks.Callback):
        def on_epoch_end(self, epoca, logs=None):
            reloj[0] += 1.0

    class CortarAlTerminar(keras.callbacks.Callback):
        def on_train_end(self, logs=None):
            raise Interrupcion

    medidas = []

    def metrica_lenta(reales, generadas):  # cada medida, mejor que la anterior
        reloj[0] += 4.0
        medidas.append(len(medidas))
        return 10.0 - len(medidas)

    def seguimiento(epoca_inicial, cada="auto"):
        return callbacks.SeguimientoMetrica(digitos[:8], tmp_path, cada=cada, metrica=metrica_lenta,
                                            epoca_inicial=epoca_inicial)

    gan, datos = gan_pequena(), helpers.a_dataset(digitos[:32], 32)
    with pytest.raises(Interrupcion):
        gan.fit(datos, epochs=3, verbose=0, callbacks=[UnSegundoPorEpoca(), CortarAlTerminar(), seguimiento(0)])
    mejor = (tmp_path / callbacks.ARCHIVO_MENOR_SWD).read_bytes()  # el de la época 1
    for _ in range(2):  # la segunda vez ya está medida: no se repite
        reanudado = seguimiento(3)
        gan.fit(datos, epochs=3, initial_epoch=3, verbose=0, callbacks=[reanudado])
        assert [r["epoca"] for r in reanudado.registros] == [1, 3]
        assert (tmp_path / "metrica.csv").read_text(encoding="utf-8").count("\n3,") == 1
    assert (tmp_path / callbacks.ARCHIVO_MENOR_SWD).read_bytes() != mejor  # ahora, el de la época 3
    # Con «cada» fijo, igual, aunque la época no sea múltiplo de «cada»: sin cortes, también se mediría al terminar.
    (tmp_path / "metrica.csv").unlink()
    reanudado = seguimiento(3, 2)
    gan.fit(datos, epochs=3, initial_epoch=3, verbose=0, callbacks=[reanudado])
    assert [r["epoca"] for r in reanudado.registros] == [3]
    assert (tmp_path / "metrica.csv").read_text(encoding="utf-8").count("\n3,") == 1


def test_fit_explica_una_opcion_mal_escrita_y_crear_gan_acepta_un_programa_de_tasa(digitos):
    gan = gan_pequena()
    with pytest.raises(ValueError, match=r"fit no tiene epoch \(¿una errata\?\)"):
        gan.fit(helpers.a_dataset(digitos, 8), epoch=1)
    programa = keras.optimizers.schedules.ExponentialDecay(1e-3, decay_steps=100, decay_rate=0.5)
    assert gan_pequena(lr_generador=programa).opt_generador.learning_rate is not None
    negativo = keras.optimizers.schedules.ExponentialDecay(-1e-3, decay_steps=100, decay_rate=0.5)
    with pytest.raises(ValueError, match="El programa de lr_generador empieza con una tasa que vale -0,001"):
        gan_pequena(lr_generador=negativo)
    assert helpers.entrenar(gan_pequena(), helpers.a_dataset(digitos, 8), np.int64(1), carpeta=None, verbose=0)


def test_las_copias_de_sincronizacion_no_son_cuadros(tmp_path):
    # Drive o Dropbox dejan «epoca_0010 (1).png» al sincronizar: ni rompen la reanudación ni entran en el GIF.
    muestras = tmp_path / "muestras"
    muestras.mkdir()
    for gris, nombre in enumerate(("epoca_0002.png", "epoca_0010.png", "epoca_10000.png", "epoca_0010 (1).png")):
        Image.new("L", (8, 8), 60 * gris).save(muestras / nombre)
    assert list(callbacks.cuadros_guardados(muestras)) == [2, 10, 10000]
    with Image.open(callbacks.crear_gif(muestras, tmp_path / "evolucion.gif")) as gif:
        assert gif.n_frames == 3


def test_la_primera_llamada_del_paso_calla_el_registro_de_c(digitos, monkeypatch):
    # TensorFlow puede escribir «remapper failed…» (en inglés, inofensivo) al preparar el paso: solo esa llamada se tapa.
    veces = []

    @contextlib.contextmanager
    def anotar():
        veces.append(None)
        yield

    monkeypatch.setattr(base_gan, "sin_registro_de_c", anotar)
    gan = gan_pequena()
    gan.fit(helpers.a_dataset(digitos, 16), epochs=3, verbose=0)
    gan.fit(helpers.a_dataset(digitos, 16), epochs=1, verbose=0)
    assert len(veces) == 1
    gan.compile(keras.optimizers.Adam(), keras.optimizers.Adam())  # compilar de nuevo prepara otro paso
    gan.fit(helpers.a_dataset(digitos, 16), epochs=1, verbose=0)
    assert len(veces) == 2


def test_la_exactitud_del_critico_de_wasserstein_no_depende_de_su_cero(digitos):
    # Sumar una constante al crítico no cambia la pérdida de Wasserstein: tampoco debe cambiar su exactitud
    # (con el umbral en 0, un crítico que da +100 a todo acertaría justo la mitad, separe o no).
    exactitudes = []
    for desplazamiento in (0.0, 100.0):
        gan = gan_pequena(perdida="wasserstein", penalizacion_gradiente=10.0)
        sesgo = gan.discriminador.layers[-1].bias
        sesgo.assign(sesgo + desplazamiento)
        historia = gan.fit(helpers.a_dataset(digitos[:64], 32), epochs=1, verbose=0)
        exactitudes.append(historia.history["exactitud_d"][0])
    assert exactitudes[0] == pytest.approx(exactitudes[1], abs=1e-6) and exactitudes[0] != 0.5


def test_la_gan_basica_del_ejercicio_tambien_comprueba_los_datos(digitos):
    # La clase que el estudiante completa en el cuaderno 02 hereda de GANBasica: sin esto, unas imágenes en
    # [0, 255] entrenaban sin avisar y otro tamaño daba el error de Keras en inglés.
    gan = helpers.GANBasica(helpers.construir_generador(16, 1, 4, 8), helpers.construir_discriminador(16, 1, 8))
    gan.compile(opt_generador=keras.optimizers.Adam(2e-4), opt_discriminador=keras.optimizers.Adam(2e-4))
    for datos, mensaje in (((digitos + 1) * 127.5, r"Las imágenes van de 0 a 255 y la GAN las espera en \[-1, 1\]"),
                           (np.zeros((8, 32, 32, 1), np.float32),
                            r"forma \(32, 32, 1\) y el generador las hace de forma \(16, 16, 1\)")):
        with pytest.raises(ValueError, match=mensaje):
            gan.fit(datos, epochs=1, verbose=0)
    assert int(gan.opt_generador.iterations) == 0
    assert np.isfinite(gan.fit(helpers.a_dataset(digitos[:32], 16), epochs=1, verbose=0).history["perdida_d"][0])


def test_comprobar_la_tasa_lee_variables_tensores_y_floats_sin_avisos_de_numpy_2():
    # Leer la tasa con np.array(variable) avisaba, en inglés y dentro de NumPy 2, de que __array__ no admite copy.
    from helpers.comprobaciones_gan import _comprobar_tasa

    class ProgramaPropio(keras.optimizers.schedules.LearningRateSchedule):  # como aconseja el mensaje: con get_config
        def __call__(self, paso):
            return -4e-4  # un float de Python, no un tensor

        def get_config(self):
            return {}

    programa = keras.optimizers.schedules.ExponentialDecay(1e-3, 10, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for optimizador in (keras.optimizers.Adam(2e-4), keras.optimizers.Adam(programa)):
            _comprobar_tasa("opt_generador", optimizador)
    with pytest.raises(ValueError, match="La tasa de aprendizaje de opt_generador vale -0,0004"):
        _comprobar_tasa("opt_generador", keras.optimizers.Adam(ProgramaPropio()))


def test_muestras_fijas_con_fit_otra_vez_lo_dice_y_con_otra_gan_lo_explica_antes_de_borrar(tmp_path, digitos, capsys):
    # Antes, la celda de fit ejecutada otra vez sustituía los cuadros de la anterior sin decirlo (las épocas
    # vuelven a 1); con una GAN condicional, Keras fallaba en inglés, y con la de juguete, tras una época.
    from helpers.condicional import GANCondicional, construir_discriminador_condicional, construir_generador_condicional

    gan = gan_pequena()
    datos = helpers.a_dataset(digitos[:32], 16)
    gan.fit(datos, epochs=1, verbose=0, callbacks=[helpers.MuestrasFijas(tmp_path, n=4)])
    assert "ya se entrenó" not in capsys.readouterr().out
    gan.fit(datos, epochs=1, verbose=0, callbacks=[helpers.MuestrasFijas(tmp_path, n=4)])
    assert "Esta GAN ya se entrenó (2 pasos): fit sigue desde ahí y cuenta las épocas otra vez desde 1" in capsys.readouterr().out
    condicional = GANCondicional(construir_generador_condicional(16, dim_latente=4, ancho=8),
                                 construir_discriminador_condicional(16, ancho=8))
    condicional.compile()
    juguete = helpers.crear_gan_juguete(dim_datos=1)
    for otra, dato, mensaje in (
            (condicional, (digitos[:16], np.zeros(16, int)), r"pide más entradas \(¿una GAN condicional\?\): usa CuadriculaPorDigito"),
            (juguete, helpers.muestras_mezcla_1d(64), r"genera muestras de forma \(1,\) \(¿la de juguete\?\): .*Fotogramas")):
        with pytest.raises(ValueError, match=mensaje):
            otra.fit(*dato if isinstance(dato, tuple) else (dato,), epochs=1, verbose=0,
                     callbacks=[helpers.MuestrasFijas(tmp_path, n=4)])
        assert int(otra.opt_generador.iterations) == 0
    assert (tmp_path / "muestras" / "epoca_0001.png").exists()  # nada borrado


def test_historial_perdidas_con_fit_otra_vez_dice_que_reescribe_el_csv_sin_repetir_el_aviso(tmp_path, digitos, capsys):
    # Antes, la celda de fit ejecutada otra vez reescribía historial.csv desde la época 1 sin decirlo.
    gan = gan_pequena()
    datos = helpers.a_dataset(digitos[:32], 16)
    gan.fit(datos, epochs=1, verbose=0, callbacks=[helpers.HistorialPerdidas(tmp_path)])
    assert "ya se entrenó" not in capsys.readouterr().out
    gan.fit(datos, epochs=1, verbose=0, callbacks=[helpers.HistorialPerdidas(tmp_path)])
    salida = capsys.readouterr().out
    assert (f"Esta GAN ya se entrenó (2 pasos): fit sigue desde ahí y cuenta las épocas otra vez desde 1, así que "
            f"«{tmp_path / 'historial.csv'}» se reescribe con las épocas de este fit. Para conservarlo, usa otra carpeta") in salida
    # Con MuestrasFijas, el aviso sale una vez y el historial se añade como una línea más, en cualquier orden.
    for orden in (1, -1):
        gan.fit(datos, epochs=1, verbose=0,
                callbacks=[helpers.MuestrasFijas(tmp_path, n=4), helpers.HistorialPerdidas(tmp_path)][::orden])
        salida = capsys.readouterr().out
        assert salida.count("Esta GAN ya se entrenó") == 1 and salida.count("Además, ") == 1, salida
        assert "historial.csv» se reescribe" in salida and "sus cuadros sustituyen" in salida
    # Sin historial.csv de antes no se pierde nada: no dice nada de él.
    otra = tmp_path / "otra"
    gan.fit(datos, epochs=1, verbose=0, callbacks=[helpers.HistorialPerdidas(otra)])
    assert "ya se entrenó" not in capsys.readouterr().out


def test_seguimiento_metrica_en_otro_fit_empieza_sus_registros(tmp_path, digitos):
    # Antes, el mismo callback en otro fit (la celda otra vez, o con otra GAN) añadía sus medidas a las del
    # anterior: épocas 1, 2, 1, 2 en registros y en metrica.csv, y una curva en zigzag.
    seguimiento = helpers.SeguimientoMetrica(digitos[:32], tmp_path, cada=1)
    datos = helpers.a_dataset(digitos[:32], 16)
    for gan in (gan_pequena(), gan_pequena()):
        for _ in range(2):
            gan.fit(datos, epochs=2, verbose=0, callbacks=[seguimiento])
            assert [r["epoca"] for r in seguimiento.registros] == [1, 2]
    assert (tmp_path / "metrica.csv").read_text(encoding="utf-8").count("\n") == 3  # cabecera y dos medidas


def test_una_gan_nueva_con_redes_ya_entrenadas_lo_dice(digitos, capsys):
    # Antes, volver a ejecutar solo la celda que crea la GAN (como la de GANCondicional en el cuaderno 07) daba una
    # GAN «nueva» con las redes ya entrenadas, sin decirlo: «antes de entrenar» medía lo ya aprendido.
    generador, discriminador = helpers.construir_generador(16, 1, 4, 8), helpers.construir_discriminador(16, 1, 8)
    primera = helpers.GANBasica(generador, discriminador)
    primera.compile()
    helpers.GANBasica(generador, discriminador)  # creada, pero sin entrenar: nada que decir
    assert "Aviso" not in capsys.readouterr().out
    primera.fit(helpers.a_dataset(digitos[:32], 16), epochs=1, verbose=0)
    helpers.GANBasica(generador, discriminador)
    assert "Aviso: estas redes ya se entrenaron en otra GAN (2 pasos): la nueva sigue desde sus pesos" in capsys.readouterr().out
    helpers.GANBasica(helpers.construir_generador(16, 1, 4, 8), helpers.construir_discriminador(16, 1, 8))
    assert "Aviso" not in capsys.readouterr().out


def test_compilar_con_los_optimizadores_de_otra_gan_lo_explica(digitos):
    # Antes, optimizadores creados en otra celda y reutilizados al volver a crear la GAN fallaban en el primer
    # paso de fit, en inglés («Unknown variable: … This optimizer can only be called for the variables it was
    # originally built with»).
    def nueva():
        return helpers.GANBasica(helpers.construir_generador(16, 1, 4, 8), helpers.construir_discriminador(16, 1, 8))

    opt_g, opt_d = keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5)
    datos = helpers.a_dataset(digitos[:32], 16)
    primera = nueva()
    primera.compile(opt_g, opt_d)
    primera.fit(datos, epochs=1, verbose=0)
    primera.compile(opt_g, opt_d)  # la misma GAN otra vez con los suyos sí vale
    primera.fit(datos, epochs=1, verbose=0)
    otra = nueva()
    with pytest.raises(ValueError, match=r"opt_generador ya se usó con otra red \(¿lo creaste en otra celda"):
        otra.compile(opt_g, keras.optimizers.Adam())
    with pytest.raises(ValueError, match=r"opt_discriminador ya se usó con otra red .*opt_discriminador=keras"):
        otra.compile(keras.optimizers.Adam(), opt_d)
    otra.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    assert np.isfinite(otra.fit(datos, epochs=1, verbose=0).history["perdida_d"][0])
    with pytest.raises(ValueError, match=r"opt_generador ya se usó con otra red"):  # crear_gan ya lo construyó
        gan_pequena().compile(gan_pequena().opt_generador, keras.optimizers.Adam())


@pytest.mark.parametrize("imagenes, lote, pasos_por_llamada, iteradores", [
    (64, 32, 2, 2), (64, 4, 8, 2), (64, 7, 3, 2), (62, 2, 8, 5),
], ids=["época más corta que una llamada", "época de dos llamadas", "época de 9 lotes", "época de 31 lotes"])
def test_fit_crea_un_solo_iterador_y_cada_epoca_ve_los_mismos_lotes(digitos, monkeypatch, imagenes, lote,
                                                                     pasos_por_llamada, iteradores):
    # Keras crea dos iteradores de los datos en cada época (uno se tira), y crearlos costaba con pocas imágenes casi
    # tanto como los pasos. Con los de a_dataset, fit crea uno para todo el entrenamiento, con los mismos lotes en
    # cada época que recorriéndolos época a época (con steps_per_epoch, Keras los recorre como antes). Con 2 lotes
    # por época, la llamada de 8 pasos se acorta a 2, y con 9, a 3: si no, cada época tomaría lotes de la siguiente.
    # Con 31 serían 31 llamadas de un paso en lugar de 4: se queda en 8 pasos por llamada y un iterador por época.
    creados = []
    original = tf.data.Dataset.__iter__
    monkeypatch.setattr(tf.data.Dataset, "__iter__", lambda conjunto: creados.append(1) or original(conjunto))
    por_lotes = helpers.a_dataset(digitos[:imagenes], lote)
    lotes = int(por_lotes.cardinality())
    seguida = gan_pequena()
    seguida.fit(por_lotes, epochs=4, verbose=0)
    assert len(creados) <= iteradores, creados  # antes, 8 en todos los casos
    epoca_a_epoca = gan_pequena()
    epoca_a_epoca.fit(helpers.a_dataset(digitos[:imagenes], lote), epochs=4, steps_per_epoch=lotes, verbose=0)
    assert seguida.steps_per_execution == pasos_por_llamada
    esperado, obtenido = punto_de_control.copiar_estado(epoca_a_epoca), punto_de_control.copiar_estado(seguida)
    for nombre, valor in esperado.items():
        np.testing.assert_allclose(obtenido[nombre], valor, rtol=0, atol=1e-6, err_msg=nombre)


def test_tras_parar_al_acabar_una_epoca_el_siguiente_fit_sigue_con_la_siguiente(digitos):
    # Con un solo iterador para todo fit, la precarga de tf.data lee por adelantado: al acabar una época ya ha empezado a
    # leer la siguiente. Si LimiteDeTiempo (o un NaN) para ahí, el próximo fit con los mismos datos sigue con esa época,
    # como cuando cada época era un recorrido (antes se la saltaba y llegaba a otros pesos).
    parada, datos = gan_pequena(), helpers.a_dataset(digitos, 7)
    assert len(parada.fit(datos, epochs=3, callbacks=[helpers.LimiteDeTiempo(1e-9)], verbose=0).history["perdida_g"]) == 1
    parada.fit(datos, epochs=1, verbose=0)
    seguida = gan_pequena()
    seguida.fit(helpers.a_dataset(digitos, 7), epochs=2, verbose=0)
    esperado, obtenido = punto_de_control.copiar_estado(seguida), punto_de_control.copiar_estado(parada)
    for nombre, valor in esperado.items():
        np.testing.assert_allclose(obtenido[nombre], valor, rtol=0, atol=1e-6, err_msg=nombre)


def test_lo_que_se_importa_de_helpers_gan_basica_sigue_ahi_aunque_viva_en_otro_modulo():
    # Guiones de estudiantes y copias de los cuadernos hacen «from helpers.gan_basica import …» con lo que ahora vive
    # en comprobaciones_gan o replicas: es lo mismo, no una copia. El fit de GANBasica es el de BaseGAN.
    todo = {}
    exec("from helpers.gan_basica import *", todo)
    for nombre in ("GANBasica", "perdida_discriminador", "perdida_generador", "exactitud_discriminador", "optimizador_dcgan"):
        assert todo[nombre] is getattr(gan_basica, nombre)
    for modulo, nombres in ((comprobaciones_gan, ("comprobar_muestreo", "comprobar_suavizado", "entradas_de",
                                                  "forma_de_los_lotes", "lista_de_callbacks")),
                            (replicas, ("despues_de", "gradiente_de_replica"))):
        for nombre in nombres:
            assert todo[nombre] is getattr(modulo, nombre)
    assert issubclass(gan_basica.GANBasica, base_gan.BaseGAN) and gan_basica.GANBasica.fit is base_gan.BaseGAN.fit
