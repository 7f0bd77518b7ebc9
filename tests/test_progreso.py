import re

import keras
import pytest

import helpers
from helpers import base_gan, progreso
from helpers.progreso import Progreso, _ajustar, cifra_metrica, duracion, segundos_restantes, tiempo_corto


@pytest.fixture(scope="module")
def datos():
    imagenes, _ = helpers.imagenes_digitos(16)
    return helpers.a_dataset(imagenes[:64], 32)  # 2 pasos por época


def gan_pequena():
    helpers.fijar_semilla(0)
    return helpers.crear_gan(16, dim_latente=8, ancho=8)


def test_duracion():
    assert duracion(0.4) == "menos de 1 s"
    assert duracion(1.2) == "1 s"
    assert duracion(45) == "45 s"
    assert duracion(185) == "3 min 05 s"
    assert duracion(3720) == "1 h 02 min"


def test_segundos_restantes():
    assert segundos_restantes(2.0, 5) == 10.0
    assert segundos_restantes(2.0, 5, segundos_en_esta_epoca=1.0) == 9.0
    assert segundos_restantes(2.0, 1, segundos_en_esta_epoca=3.0) == 0.0  # una época más lenta: no negativo
    assert segundos_restantes(2.0, 5, segundos_hasta_limite=3.0) == 3.0  # LimiteDeTiempo para antes
    assert segundos_restantes(2.0, 5, segundos_hasta_limite=-1.0) == 0.0


def test_valores_grandes_pequenos_y_no_finitos():
    assert [cifra_metrica(v) for v in (1.2614, 0.0, -0.0004, 3.2e-5, 1.83e30, 1e9, 999.4)] == [
        "1,261", "0,000", "-0,0004", "3,2e-05", "1,83e+30", "1e+09", "999,400"]
    assert [cifra_metrica(v) for v in (float("nan"), float("inf"), float("-inf"))] == ["NaN", "∞", "-∞"]
    assert [tiempo_corto(s) for s in (0.004, 0.035, 0.3, 12.46, 75)] == ["4 ms", "35 ms", "0,30 s", "12,5 s", "1 min 15 s"]


def test_una_metrica_de_miles_se_lee_con_punto_de_miles_y_sin_decimales():
    # Antes: «perdida_d 256168,938». Las cifras de las lecciones escriben los miles así («65.536»).
    assert [cifra_metrica(v) for v in (256168.938, -256168.938, 1000.0, 1234.4, 999999.4)] == [
        "256.169", "-256.169", "1.000", "1.234", "999.999"]
    # Desde un millón, también si se alcanza al redondear, en notación científica como 1e30.
    assert [cifra_metrica(v) for v in (999999.6, 1e6, 2.5e7)] == ["1e+06", "1e+06", "2,5e+07"]
    assert [cifra_metrica(v) for v in (0.693, 1.234, 999.9996)] == ["0,693", "1,234", "1.000"]  # las de siempre, igual


def test_ajustar_quita_partes_enteras():
    texto = "Época 1/3 · perdida_g 0,694 · tiempo 3 s"
    assert _ajustar(texto, 80) == texto
    assert _ajustar(texto, 30) == "Época 1/3 · perdida_g 0,694"  # no «perdida_g 0,69», que es otro número
    assert _ajustar(texto, 5) == "Época"


def test_una_linea_por_epoca_en_espanol(datos, capsys):
    gan_pequena().fit(datos, epochs=3, verbose=2)
    lineas = capsys.readouterr().out.splitlines()
    assert [linea.split(" · ")[0] for linea in lineas] == ["Época 1/3", "Época 2/3", "Época 3/3"]
    for linea in lineas:
        for nombre in ("perdida_g", "perdida_d", "exactitud_d"):
            assert re.search(rf"{nombre} \d+,\d{{3}}\b", linea), linea
    # Lo que falta: desde la segunda época (la primera incluye compilar) y no en la última.
    assert [bool(re.search(r" · faltan? ", linea)) for linea in lineas] == [False, True, False]
    ritmo = r" · (\d+ ms|\d+,\d+ s|\d+ min \d+ s|\d+ h \d+ min) por época$"
    assert [bool(re.search(ritmo, linea)) for linea in lineas] == [False, True, True]
    assert "Epoch" not in "".join(lineas) and "step" not in "".join(lineas)


def test_verbose_0_no_escribe_nada_y_verbose_por_posicion(datos, capsys):
    gan = gan_pequena()
    gan.fit(datos, epochs=2, verbose=0)
    assert capsys.readouterr().out == ""
    gan.fit(datos, None, None, 2, 2)  # x, y, batch_size, epochs, verbose: como en keras.Model.fit
    assert [linea.split(" · ")[0] for linea in capsys.readouterr().out.splitlines()] == ["Época 1/2", "Época 2/2"]


def test_un_progreso_propio_sustituye_al_de_fit(datos, capsys):
    gan_pequena().fit(datos, epochs=2, callbacks=[Progreso(2)])  # verbose="auto": no añade otro
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_nan_se_escribe_como_en_el_resto_del_curso(capsys):
    progreso_nan = Progreso(2)
    progreso_nan.set_params({"epochs": 3, "steps": 2})
    progreso_nan.set_model(gan_pequena())
    progreso_nan.on_train_begin()
    progreso_nan.on_epoch_begin(0)
    progreso_nan.on_epoch_end(0, {"exactitud_d": 0.5, "perdida_d": float("nan"), "perdida_g": 0.25})
    assert "exactitud_d 0,500 · perdida_d NaN · perdida_g 0,250 · " in capsys.readouterr().out


def test_reanudar_cuenta_las_epocas_totales(datos, capsys):
    gan_pequena().fit(datos, epochs=4, initial_epoch=2, verbose=2)
    lineas = capsys.readouterr().out.splitlines()
    assert [linea.split(" · ")[0] for linea in lineas] == ["Época 3/4", "Época 4/4"]


def test_en_una_terminal_rehace_una_sola_linea(datos, capsys, monkeypatch):
    monkeypatch.setattr(progreso, "_destino", lambda: "terminal")
    gan_pequena().fit(datos, epochs=3, verbose=0, callbacks=[Progreso(1, cada_segundos=0)])
    salida = capsys.readouterr().out
    assert salida.startswith("\rÉpoca 1/3 · empezando") and salida.endswith("\n")
    assert salida.count("\n") == 1  # todo en la misma línea hasta el final
    escritos = salida.rstrip("\n").split("\r")[1:]
    assert any(texto.startswith("Época 1/3 · paso ") for texto in escritos)  # avanza dentro de la época
    for hecho, total in re.findall(r"paso (\d+)/(\d+)", salida):  # Keras da los pasos de 8 en 8
        assert int(hecho) <= int(total) == 2
    assert escritos[-1].startswith("Época 3/3 · ") and "paso" not in escritos[-1]
    # Cada línea tapa entera a la anterior, aunque sea más corta.
    assert all(len(nuevo) >= len(viejo.rstrip()) for viejo, nuevo in zip(escritos, escritos[1:]))


def test_en_un_archivo_escribe_el_principio_y_el_final(datos, capsys, monkeypatch):
    monkeypatch.setattr(progreso, "_destino", lambda: "archivo")
    # Con un intervalo que nunca pasa, solo la primera línea y la última: un registro no se llena.
    gan_pequena().fit(datos, epochs=4, verbose=0, callbacks=[Progreso(1, cada_segundos=3600)])
    lineas = capsys.readouterr().out.splitlines()
    assert len(lineas) == 2
    assert lineas[0].startswith("Época 1/4 · empezando")
    assert lineas[1].startswith("Época 4/4 · ")


def test_en_un_cuaderno_actualiza_un_solo_texto(datos, monkeypatch):
    import IPython.display

    mostrados, creadas = [], []

    class Pantalla:
        def update(self, objeto):
            mostrados.append(objeto.data)

    def display(objeto, display_id=False):
        assert display_id is True
        mostrados.append(objeto.data)
        creadas.append(Pantalla())
        return creadas[-1]

    monkeypatch.setattr(progreso, "_destino", lambda: "cuaderno")
    monkeypatch.setattr(IPython.display, "display", display)
    gan_pequena().fit(datos, epochs=3, verbose=0, callbacks=[Progreso(1, cada_segundos=0)])
    assert len(creadas) == 1  # un solo texto en el cuaderno, que se actualiza
    assert mostrados[0].startswith("Época 1/3 · empezando")
    assert mostrados[-1].startswith("Época 3/3 · ") and len(mostrados) > 3


def test_si_otro_callback_detiene_fit_la_ultima_linea_lo_dice(datos, capsys):
    class DetenerTrasLaSegunda(keras.callbacks.Callback):
        def on_epoch_end(self, epoca, logs=None):
            self.model.stop_training = epoca == 1

    gan_pequena().fit(datos, epochs=5, verbose=2, callbacks=[DetenerTrasLaSegunda()])
    lineas = capsys.readouterr().out.splitlines()
    assert len(lineas) == 2 and re.search(r" · faltan? ", lineas[0] + lineas[1]) is None
    assert lineas[1].startswith("Época 2/5 · detenido antes de la última época · ")  # delante: no se corta


def test_fit_pasa_el_limite_de_tiempo_al_progreso(datos, monkeypatch, capsys):
    creados = []

    class Espia(Progreso):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            creados.append(self)

    monkeypatch.setattr(base_gan, "Progreso", Espia)
    gan_pequena().fit(datos, epochs=100, verbose=2, callbacks=[helpers.LimiteDeTiempo(1e-6)])
    assert [c.limite_segundos for c in creados] == [pytest.approx(6e-5)]
    lineas = capsys.readouterr().out.splitlines()
    assert len(lineas) == 1 and lineas[0].startswith("Época 1/100 · ")  # paró tras la primera
    assert lineas[0].startswith("Época 1/100 · detenido antes de la última época · ")


def test_entrenar_muestra_el_progreso_en_espanol(tmp_path, datos, capsys):
    helpers.entrenar(gan_pequena(), datos, 2, carpeta=tmp_path)
    salida = capsys.readouterr().out
    assert "Época 2/2 · " in salida and "Epoch" not in salida


def test_en_la_segunda_epoca_ya_estima_lo_que_falta_por_los_pasos(datos, capsys, monkeypatch):
    monkeypatch.setattr(progreso, "_destino", lambda: "archivo")
    gan = gan_pequena()
    gan.compile(steps_per_execution=1)  # un paso por llamada: la línea se escribe dentro de la época
    gan.fit(datos.repeat(), epochs=2, steps_per_epoch=6, verbose=0, callbacks=[Progreso(1, cada_segundos=0)])
    dentro = [linea for linea in capsys.readouterr().out.splitlines() if " · paso " in linea]
    assert not any(" · falta" in linea for linea in dentro if linea.startswith("Época 1/2"))
    segunda = [linea for linea in dentro if linea.startswith("Época 2/2")]
    assert segunda and all(re.search(r"^Época 2/2 · paso \d/6 · faltan? ", linea) for linea in segunda)


def test_datos_de_longitud_desconocida_sin_pasos_ni_avisos_en_ingles(capsys, monkeypatch, recwarn):
    import tensorflow as tf

    imagenes, _ = helpers.imagenes_digitos(16)
    lotes = tf.data.Dataset.from_generator(lambda: (imagenes[i * 32 : (i + 1) * 32] for i in range(3)),
                                           output_signature=tf.TensorSpec((None, 16, 16, 1), tf.float32))
    monkeypatch.setattr(progreso, "_destino", lambda: "archivo")
    gan_pequena().fit(lotes, epochs=2, verbose=0, callbacks=[Progreso(1, cada_segundos=0)])
    salida = capsys.readouterr().out
    assert " · paso " not in salida  # Keras los contaría de 8 en 8: «paso 8» con 3 lotes
    assert not [aviso for aviso in recwarn if "ran out of data" in str(aviso.message)]


def test_tras_un_error_la_terminal_pasa_de_linea(datos, capsys, monkeypatch):
    class Falla(keras.callbacks.Callback):
        def on_epoch_end(self, epoca, logs=None):
            raise RuntimeError("fallo del estudiante")

    monkeypatch.setattr(progreso, "_destino", lambda: "terminal")
    with pytest.raises(RuntimeError, match="fallo del estudiante"):
        gan_pequena().fit(datos, epochs=3, callbacks=[Falla()])
    assert capsys.readouterr().out.endswith("\n")  # el error no empieza pegado a la línea del avance


def test_al_cortarse_la_linea_muestra_la_ultima_epoca_terminada(datos, capsys, monkeypatch):
    class CortarTrasLaTercera(keras.callbacks.Callback):  # como SimularCorte o un Ctrl-C entre épocas
        def on_epoch_begin(self, epoca, logs=None):
            if epoca == 3:
                raise KeyboardInterrupt

    monkeypatch.setattr(progreso, "_destino", lambda: "archivo")
    # Con épocas más cortas que el intervalo, la línea a la vista seguiría en «empezando».
    with pytest.raises(KeyboardInterrupt):
        gan_pequena().fit(datos, epochs=10, verbose=0, callbacks=[Progreso(1, cada_segundos=3600), CortarTrasLaTercera()])
    lineas = capsys.readouterr().out.splitlines()
    assert lineas[0].startswith("Época 1/10 · empezando") and lineas[-1].startswith("Época 3/10 · falta")


def test_una_gan_no_se_valida_y_progreso_0_no_existe(datos):
    with pytest.raises(ValueError, match="no se valida con validation_data"):
        gan_pequena().fit(datos, epochs=1, validation_data=datos)
    with pytest.raises(ValueError, match="validation_split"):
        gan_pequena().fit(datos, epochs=1, validation_split=0.2)
    with pytest.raises(ValueError, match="no se valida"):  # en su posición de Keras: x, y, lote, épocas, …
        gan_pequena().fit(datos, None, None, 1, 0, None, 0.0, datos)
    with pytest.raises(ValueError, match=r"fit\(\.\.\., verbose=0\)"):
        Progreso(0)
