"""La tarea con tus imágenes: carpeta de ejemplo, reserva, cortar y reanudar un entrenamiento, generar."""

import errno
import json
import os
import re
import shutil
import time
import warnings
import zipfile
from pathlib import Path

import keras
import numpy as np
import pytest
from PIL import Image

import helpers
from helpers import (eleccion_generador, ejemplo, entrega, generador_guardado, imagenes_guardadas, modelos, opciones_tarea,
                     punto_de_control, reanudacion, registro_tarea, tarea)
from helpers.archivos import escribir_de_una_vez
from helpers.punto_de_control import epoca_guardada
from helpers.entorno import en_exclusiva
from helpers.condicional import GANCondicional, construir_discriminador_condicional, construir_generador_condicional
from test_gan import Envenenar  # pone un NaN en el generador al empezar una época


def _crear_gan_sin_xla(*args, **kwargs):
    """XLA tarda decenas de segundos en compilar en CPU: en entrenamientos de pocos pasos no compensa."""
    gan = helpers.crear_gan(*args, **kwargs)
    gan.jit_compile = False
    return gan


@pytest.fixture
def sin_xla(monkeypatch):
    monkeypatch.setattr(tarea, "crear_gan", _crear_gan_sin_xla)


@pytest.fixture(scope="module")
def carpeta_pequena(tmp_path_factory):
    """24 imágenes de 40×40 (manchas de color suaves, todas distintas) y un archivo que no es imagen."""
    carpeta = tmp_path_factory.mktemp("pequena") / "fotos"
    carpeta.mkdir()
    rng = np.random.default_rng(0)
    for i in range(24):
        manchas = rng.integers(0, 256, (3, 3, 3), dtype=np.uint8)
        Image.fromarray(manchas).resize((40, 40), Image.BICUBIC).save(carpeta / f"foto_{i:02d}.png")
    (carpeta / "leeme.txt").write_text("no soy una imagen", encoding="utf-8")
    return carpeta


@pytest.fixture(scope="module")
def terminado(carpeta_pequena, tmp_path_factory):
    """Un entrenamiento terminado de 2 épocas: 20 imágenes de entrenamiento y lote 32 pedido (se usa 20)."""
    salida = tmp_path_factory.mktemp("terminado") / "mi_gan"
    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(tarea, "crear_gan", _crear_gan_sin_xla)
        helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 2, verbose=0)
    return salida


@pytest.fixture
def copia(terminado, tmp_path):
    """Una copia de ``terminado`` que cada prueba puede estropear."""
    return shutil.copytree(terminado, tmp_path / "mi_gan")


def _contenidos(carpeta):
    """``{ruta relativa: bytes}`` de todo lo que hay en ``carpeta``: para ver que no se tocó nada."""
    return {p.relative_to(carpeta): p.read_bytes() for p in sorted(carpeta.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def ejemplo_creado(tmp_path_factory):
    return helpers.carpeta_de_ejemplo(tmp_path_factory.mktemp("ejemplo") / "mis_fotos")


def test_los_minutos_de_una_sesion_matada_se_cuentan_al_continuar(carpeta_pequena, copia, sin_xla, capsys):
    antes = tarea.leer_registro(copia)
    # Una sesión que empezó hace 10 minutos (reescribió imagenes.npz y marcó tarea.json sin terminar), guardó su
    # punto de control hace 5 y murió sin volver a escribir tarea.json: cuentan esos 5 minutos, no los que pasaron después.
    registro_tarea.escribir_registro(copia / tarea.ARCHIVO_REGISTRO, {**antes, "terminado": False})
    ahora = time.time()
    for nombre, hace in ((tarea.ARCHIVO_REGISTRO, 700), (tarea.ARCHIVO_IMAGENES, 600), (punto_de_control.ARCHIVO_ESTADO, 300)):
        os.utime(copia / nombre, (ahora - hace, ahora - hace))
    tarea.entrenar_carpeta(carpeta_pequena, copia, 32, antes["epocas"] + 1, continuar=True, verbose=0)
    assert "se cortó sin anotar su tiempo" in capsys.readouterr().out
    assert 5.0 <= tarea.leer_registro(copia)["minutos"] - antes["minutos"] < 6.0
    # Terminada bien, tarea.json es posterior a su punto de control: la siguiente no suma nada de más.
    minutos = tarea.leer_registro(copia)["minutos"]
    tarea.entrenar_carpeta(carpeta_pequena, copia, 32, antes["epocas"] + 2, continuar=True, verbose=0)
    assert "se cortó sin anotar" not in capsys.readouterr().out
    assert tarea.leer_registro(copia)["minutos"] - minutos < 1.0


def test_una_copia_de_un_entrenamiento_terminado_no_suma_minutos_por_sus_fechas(carpeta_pequena, copia, sin_xla, capsys):
    # Antes, una carpeta copiada sin conservar las fechas (cp -r, una descarga de Drive) con tarea.json anterior al
    # punto de control decía «La sesión anterior se cortó sin anotar su tiempo (¿se apagó el equipo…?)» y sumaba
    # minutos: la sesión anterior había terminado y los había anotado.
    antes = tarea.leer_registro(copia)
    ahora = time.time()
    for nombre, hace in ((tarea.ARCHIVO_REGISTRO, 700), (tarea.ARCHIVO_IMAGENES, 600), (punto_de_control.ARCHIVO_ESTADO, 300)):
        os.utime(copia / nombre, (ahora - hace, ahora - hace))
    tarea.entrenar_carpeta(carpeta_pequena, copia, 32, antes["epocas"] + 1, continuar=True, verbose=0)
    assert "se cortó sin anotar" not in capsys.readouterr().out
    assert tarea.leer_registro(copia)["minutos"] - antes["minutos"] < 1.0


def test_interrumpir_mientras_lee_las_imagenes_lo_dice_y_no_toca_la_salida(carpeta_pequena, copia, monkeypatch):
    antes = {r.name: r.read_bytes() for r in copia.iterdir() if r.is_file()}

    def cortada(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(tarea, "imagenes_carpeta_uint8", cortada)
    with pytest.raises(KeyboardInterrupt, match=f"mientras leía las imágenes, antes de escribir nada en «{re.escape(str(copia))}»"):
        tarea.entrenar_carpeta(carpeta_pequena, copia, 32, 4, continuar=True)
    assert {r.name: r.read_bytes() for r in copia.iterdir() if r.is_file()} == antes


def test_la_carpeta_de_ejemplo_interrumpida_no_queda_a_medias(ejemplo_creado, tmp_path, monkeypatch):
    real = ejemplo.carpeta_desordenada

    def cortada(destino, *args, **kwargs):
        (destino / "a_medias.png").parent.mkdir(parents=True)
        (destino / "a_medias.png").write_bytes(b"")
        raise KeyboardInterrupt

    monkeypatch.setattr(ejemplo, "carpeta_desordenada", cortada)
    with pytest.raises(KeyboardInterrupt):
        helpers.carpeta_de_ejemplo(tmp_path / "fotos")
    assert not (tmp_path / "fotos").exists()  # la celda, ejecutada otra vez, la crea entera
    monkeypatch.setattr(ejemplo, "carpeta_desordenada", real)
    (tmp_path / "fotos").mkdir()  # también si ya existía vacía
    creada = helpers.carpeta_de_ejemplo(tmp_path / "fotos")
    assert sorted(p.relative_to(creada) for p in creada.rglob("*")) == sorted(
        p.relative_to(ejemplo_creado) for p in ejemplo_creado.rglob("*"))
    assert [p.name for p in tmp_path.iterdir()] == ["fotos"]


def test_la_carpeta_de_ejemplo_trae_los_problemas_tipicos(ejemplo_creado, tmp_path):
    informe = helpers.revisar_imagenes(ejemplo_creado)
    descartadas = dict(informe.descartadas)
    assert set(descartadas) == set(ejemplo.DESCARTES)
    for nombre, motivo in ejemplo.DESCARTES.items():
        assert motivo in descartadas[nombre]
    assert len(informe.utilizables) == len(ejemplo.FOTOS) * ejemplo.RECORTES_POR_FOTO + 1  # + la copia
    assert any(nombre.startswith("vacaciones/") for nombre in informe.utilizables)
    versiones = [ejemplo_creado / nombre for nombre in informe.utilizables]
    assert {Image.open(p).mode for p in versiones} >= {"RGB", "L", "P", "RGBA", "CMYK"}
    assert {p.suffix for p in versiones} == {".jpg", ".png", ".webp", ".bmp", ".gif"}

    _, preparado = helpers.preparar_imagenes(ejemplo_creado, tmp_path, tamano=32, sin_duplicados=True)
    copias = [(nombre, motivo) for nombre, motivo in preparado.descartadas if motivo.startswith("copia exacta")]
    assert len(copias) == 1 and copias[0][0].startswith(f"{ejemplo.COPIA}.")  # se queda el original, gato_2
    assert copias[0][1].startswith("copia exacta de «gato_2.")


def test_la_carpeta_de_ejemplo_es_repetible_y_no_se_sobrescribe(ejemplo_creado, tmp_path, capsys):
    otra = helpers.carpeta_de_ejemplo(tmp_path / "otra")
    archivos = sorted(p.relative_to(otra) for p in otra.rglob("*") if p.is_file())
    assert archivos == sorted(p.relative_to(ejemplo_creado) for p in ejemplo_creado.rglob("*") if p.is_file())
    assert all((otra / a).read_bytes() == (ejemplo_creado / a).read_bytes() for a in archivos)

    antes = {p: p.stat().st_mtime_ns for p in otra.rglob("*")}
    assert helpers.carpeta_de_ejemplo(otra, semilla=5) == otra
    assert {p: p.stat().st_mtime_ns for p in otra.rglob("*")} == antes
    assert "ya existe" in capsys.readouterr().out


def test_separar_reserva():
    imagenes = np.arange(100, dtype=np.float32).reshape(100, 1, 1, 1)
    entrenamiento, reserva = helpers.separar_reserva(imagenes, semilla=3)
    assert (len(entrenamiento), len(reserva)) == (85, 15)
    assert sorted(np.concatenate([entrenamiento, reserva]).ravel()) == list(range(100))
    repetida = helpers.separar_reserva(imagenes, semilla=3)[1]
    assert np.array_equal(reserva, repetida)
    assert not np.array_equal(reserva, helpers.separar_reserva(imagenes, semilla=4)[1])
    assert len(helpers.separar_reserva(np.zeros((10, 1, 1, 1)))[1]) == 2
    assert len(helpers.separar_reserva(np.zeros((3000, 1, 1, 1)))[1]) == tarea.MAX_RESERVA
    with pytest.raises(ValueError, match="Solo hay 9 imágenes"):
        helpers.separar_reserva(np.zeros((9, 1, 1, 1)))
    # Un texto o None: antes, «'<' not supported between instances of 'int' and 'str'» de Python.
    for fraccion in (0, 0.95, 1.5, float("nan"), True, "0.15", None):
        with pytest.raises(ValueError, match=f"fraccion={re.escape(repr(fraccion))} no es válida"):
            helpers.separar_reserva(imagenes, fraccion=fraccion)
    assert len(helpers.separar_reserva(imagenes, fraccion=0.5)[1]) == 50
    with pytest.raises(TypeError, match="«fotos» es una ruta: cárgalas antes"):
        helpers.separar_reserva(Path("fotos"))
    with pytest.raises(ValueError, match=r"un lote de imágenes .* llega uno de forma \(100,\)"):
        helpers.separar_reserva(imagenes.ravel())


def test_sin_espacio_antes_de_entrenar_dice_que_archivo_y_como_seguir(carpeta_pequena, tmp_path, sin_xla, monkeypatch):
    salida = tmp_path / "mi_gan"

    def cuota_agotada(*args, **kwargs):
        raise OSError(errno.EDQUOT, "Disk quota exceeded")

    with monkeypatch.context() as parche:
        parche.setattr(tarea, "guardar_npz", cuota_agotada)  # imagenes.npz, lo primero que escribe
        with pytest.raises(OSError) as lleno:
            helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 2, lote=8, verbose=0)
    assert str(lleno.value) == (
        f"Entrenamiento detenido: no se pudo escribir «{salida / tarea.ARCHIVO_IMAGENES}»: se acabó el espacio de tu "
        "cuota (p. ej. la de Google Drive). No se llegó a guardar ninguna época: libera espacio (en Google Drive, vacía "
        "también la papelera) o elige una carpeta de otro disco y vuelve a empezar.")
    assert lleno.value.__suppress_context__ and not list(salida.glob(".*.tmp*"))
    seguido = helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 2, lote=8, continuar=True, verbose=0)
    assert seguido["epoca"] == 2 and not seguido["interrumpido"]


def test_cortar_y_reanudar_sigue_la_cuenta_de_epocas_y_pasos(carpeta_pequena, tmp_path, sin_xla, capsys):
    salida = tmp_path / "mi_gan"
    corte = helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, lote=8, callbacks=[helpers.SimularCorte(2)], verbose=0)
    texto = capsys.readouterr().out
    assert corte["interrumpido"] and corte["epoca"] == 2 and corte["historial"] is None
    assert "hasta la época 2" in texto and "continuar=True" in texto and "Traceback" not in texto
    assert len(list((salida / "muestras").glob("epoca_*.png"))) == 2
    assert not (salida / "generador.keras").exists()

    with pytest.raises(FileExistsError, match="continuar=True"):
        helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, lote=8)

    # Una GAN nueva, como tras reiniciar Colab: sigue desde la época 2 con los optimizadores guardados.
    reanudado = helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, lote=8, continuar=True, verbose=0)
    impreso = capsys.readouterr().out
    assert "Reanudo desde la época 2" in impreso
    assert (reanudado["epoca_inicial"], reanudado["epoca"], reanudado["epocas"]) == (2, 4, 4)
    assert not reanudado["interrumpido"] and len(reanudado["historial"]["perdida_g"]) == 4
    pasos_por_epoca = len(reanudado["entrenamiento"]) // 8
    gan = reanudado["gan"]
    assert int(gan.opt_generador.iterations) == int(gan.opt_discriminador.iterations) == 4 * pasos_por_epoca
    assert np.array_equal(reanudado["reserva"], corte["reserva"])  # la reserva no se cuela al reanudar
    for nombre in ("generador.keras", "generador_menor_swd.keras", "mejor_generador.keras", "evolucion.gif", "metrica.csv", "historial.csv"):
        assert (salida / nombre).stat().st_size > 0
    eleccion = reanudado["eleccion"]
    assert list(eleccion["medidas"]) == ["generador.keras", "generador_menor_swd.keras"]
    assert all(np.isfinite(m["swd"]) and m["swd"] > 0 and np.isfinite(m["kid"]) for m in eleccion["medidas"].values())
    assert f"Recomendado: {eleccion['elegido']}" in impreso
    registro = json.loads((salida / "tarea.json").read_text(encoding="utf-8"))
    assert registro["recomendado"]["generador"] == eleccion["elegido"]
    assert registro["reanudaciones"] == 1 and registro["receta"]["lote"] == 8

    # Otra vez con continuar=True, ya terminado: no entrena, no falla, vuelve a recomendar, y no
    # cuenta como reanudación (la rúbrica premia seguir un entrenamiento interrumpido).
    otra = helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, lote=8, continuar=True, verbose=0)
    assert "no queda nada más que entrenar" in capsys.readouterr().out
    assert otra["epoca"] == 4 and otra["eleccion"]["elegido"] in ("generador.keras", "generador_menor_swd.keras")
    assert json.loads((salida / "tarea.json").read_text(encoding="utf-8"))["reanudaciones"] == 1


def test_el_registro_anota_el_lote_que_se_uso(terminado):
    registro = json.loads((terminado / "tarea.json").read_text(encoding="utf-8"))
    assert registro["imagenes"]["entrenamiento"] == 20
    assert registro["receta"]["lote"] == 20 and registro["reanudaciones"] == 0  # se pidió 32
    assert registro["pedido"] == {"epocas": 2, "lote": 32}  # para que entregar repita la orden del estudiante


def test_el_registro_dice_que_el_modo_rapido_recorto_las_epocas(carpeta_pequena, tmp_path, sin_xla, monkeypatch):
    # Antes, «pedido: 2 épocas», «epocas: 1» y «terminado» sin más: parecía un entrenamiento cortado.
    monkeypatch.setattr(tarea, "EPOCAS_RAPIDAS_GAN", 1)
    helpers.entrenar_carpeta(carpeta_pequena, tmp_path / "mi_gan", 32, 2, verbose=0)
    registro = tarea.leer_registro(tmp_path / "mi_gan")
    assert registro["pedido"]["epocas"] == 2  # la orden, para continuarla sin el modo rápido
    assert registro["epocas"] == 1 and registro["modo_rapido"] is True and registro["terminado"] is True


def test_en_modo_rapido_dice_cuantas_imagenes_entrenan_de_verdad(carpeta_pequena, tmp_path, sin_xla, monkeypatch, capsys):
    # Antes: «como mucho 10 imágenes en lugar de 20» y, dos líneas después, «20 imágenes para entrenar».
    monkeypatch.setattr(tarea, "EPOCAS_RAPIDAS_GAN", 1)
    monkeypatch.setattr(tarea, "IMAGENES_RAPIDAS", 10)
    monkeypatch.setattr(helpers.datos, "IMAGENES_RAPIDAS", 10)
    helpers.entrenar_carpeta(carpeta_pequena, tmp_path / "mi_gan", 32, 1, verbose=0)
    salida = capsys.readouterr().out
    assert "como mucho 10 imágenes en lugar de 20" in salida
    assert "10 imágenes para entrenar (de 20, por el modo rápido) y 4 de reserva" in salida
    assert tarea.leer_registro(tmp_path / "mi_gan")["imagenes"]["entrenamiento"] == 20  # lo que revisar recuenta


def test_un_punto_de_control_danado_se_explica_antes_de_escribir(copia, carpeta_pequena, sin_xla):
    ruta = copia / "punto_de_control.npz"
    original = ruta.read_bytes()
    mitad = len(original) // 2
    danados = {
        "truncado": original[:mitad],
        "de texto": b"esto no es un punto de control",
        "con bytes cambiados en medio": original[:mitad] + bytes(b ^ 0xFF for b in original[mitad : mitad + 100])
        + original[mitad + 100 :],
    }
    for contenido in danados.values():
        ruta.write_bytes(contenido)
        antes = _contenidos(copia)
        with pytest.raises(ValueError, match=r"punto_de_control\.npz» está dañado o incompleto .* Renómbralo"):
            helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=True, verbose=0)
        assert _contenidos(copia) == antes


@pytest.mark.parametrize("minutos", ["NaN", "Infinity", "true"])
def test_un_tarea_json_con_minutos_que_no_son_un_numero_finito_esta_danado(tmp_path, minutos):
    # Antes se aceptaba: NaN o Infinity seguían para siempre en las cuentas de minutos, y true contaba como 1.
    (tmp_path / "tarea.json").write_text(f'{{"minutos": {minutos}, "reanudaciones": 0}}', encoding="utf-8")
    with pytest.raises(ValueError, match=r"tarea\.json» está dañado .* renómbralo"):
        tarea.leer_registro(tmp_path)
    (tmp_path / "tarea.json").write_text('{"minutos": 1.5, "reanudaciones": 0}', encoding="utf-8")
    assert tarea.leer_registro(tmp_path)["minutos"] == 1.5


def test_un_tarea_json_danado_se_detecta_antes_de_entrenar(copia, carpeta_pequena, sin_xla):
    (copia / "tarea.json").write_text('{"version_kit": 1', encoding="utf-8")
    antes = _contenidos(copia)
    with pytest.raises(ValueError, match=r"tarea\.json» está dañado .* renómbralo .* y vuelve a continuar"):
        helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=True, verbose=0)
    assert _contenidos(copia) == antes and epoca_guardada(copia) == 2


def test_un_corte_al_escribir_deja_el_archivo_anterior(tmp_path):
    ruta = tmp_path / "tarea.json"
    ruta.write_text('{"epocas": 2}', encoding="utf-8")

    def cortar(temporal):
        temporal.write_bytes(b'{"epo')
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        escribir_de_una_vez(ruta, cortar)
    assert json.loads(ruta.read_text(encoding="utf-8")) == {"epocas": 2}


@pytest.mark.parametrize("cambio", ["otra carpeta", "otra semilla", "otro tamaño", "otro lote"])
def test_continuar_con_otras_imagenes_no_escribe_nada(copia, carpeta_pequena, tmp_path, sin_xla, monkeypatch, cambio):
    carpeta, semilla, tamano, lote, mensaje = carpeta_pequena, 0, 32, 32, "no son las del entrenamiento guardado"
    if cambio == "otra carpeta":  # las mismas fotos menos una, cambiada por otra
        carpeta = shutil.copytree(carpeta_pequena, tmp_path / "otras")
        manchas = np.random.default_rng(99).integers(0, 256, (3, 3, 3), dtype=np.uint8)
        Image.fromarray(manchas).resize((40, 40), Image.BICUBIC).save(carpeta / "foto_05.png")
    elif cambio == "otra semilla":  # otra partición: fotos de entrenamiento pasarían a la reserva
        semilla, mensaje = 1, "se entrenó con la semilla 0 y pides 1"
    elif cambio == "otro tamaño":
        monkeypatch.setenv("CURSO_GAN_RAPIDO", "0")  # el modo rápido entrena siempre a 32 px
        tamano, mensaje = 64, "es un entrenamiento a 32 px y pides 64"
    else:  # tarea.json anotaría un lote con el que no se entrenó
        lote, mensaje = 8, r"se entrenó con lote 20 y pides 8: para continuarlo usa lote=20 \(en la terminal, --lote 20\)"
    antes = _contenidos(copia)
    with pytest.raises(ValueError, match=mensaje):
        helpers.entrenar_carpeta(carpeta, copia, tamano, 3, continuar=True, semilla=semilla, lote=lote, verbose=0)
    assert _contenidos(copia) == antes


def test_continuar_un_registro_que_anotaba_el_lote_pedido(copia, carpeta_pequena, sin_xla):
    # Antes tarea.json anotaba el lote pedido (32) y no el usado (20, hay 20 imágenes): se sigue con el mismo.
    registro = json.loads((copia / "tarea.json").read_text(encoding="utf-8"))
    registro["receta"]["lote"] = 32
    (copia / "tarea.json").write_text(json.dumps(registro), encoding="utf-8")
    reanudado = helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=True, lote=32, verbose=0)
    assert (reanudado["epoca_inicial"], reanudado["epoca"]) == (2, 3)
    assert json.loads((copia / "tarea.json").read_text(encoding="utf-8"))["receta"]["lote"] == 20


def test_continuar_un_entrenamiento_sin_registro_ni_imagenes_guardadas(copia, carpeta_pequena, sin_xla):
    # Como los de versiones anteriores del kit: sin tarea.json ni imagenes.npz se puede seguir.
    (copia / "tarea.json").unlink()
    (copia / "imagenes.npz").unlink()
    reanudado = helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=True, verbose=0)
    assert (reanudado["epoca_inicial"], reanudado["epoca"]) == (2, 3)
    registro = json.loads((copia / "tarea.json").read_text(encoding="utf-8"))
    assert registro["reanudaciones"] == 1 and registro["epocas"] == 3
    with np.load(copia / "imagenes.npz") as imagenes:
        assert len(imagenes["entrenamiento"]) == 20


def test_una_gan_rota_en_su_unico_paso_no_guarda_ni_recomienda_nada(carpeta_pequena, tmp_path, sin_xla, monkeypatch):
    # Un paso por época (20 imágenes, lote 20): las pérdidas de la época son finitas, pero su
    # actualización deja pesos enormes y el generador da NaN.
    rota = {**tarea.RECETA_POCOS_DATOS, "lr_generador": 1e30, "lr_discriminador": 1e30}
    monkeypatch.setattr(tarea, "RECETA_POCOS_DATOS", rota)
    salida = tmp_path / "rota"
    with pytest.raises(FloatingPointError, match=r"inestable .* otra semilla \(--semilla 1"):
        helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 2, verbose=0)
    for nombre in ("generador.keras", "mejor_generador.keras", "generador_menor_swd.keras", "punto_de_control.npz"):
        assert not (salida / nombre).exists()


def test_un_nan_a_mitad_no_aconseja_lo_que_la_tarea_no_permite(carpeta_pequena, tmp_path, sin_xla, capsys):
    # Una sesión terminada (con su recomendación) y otra que continúa y da NaN en su primera época: ni
    # «otra tasa de aprendizaje» (la receta es fija) ni la recomendación de antes, que ya no es de este
    # entrenamiento; sí cómo seguir desde la época sana y, si se repite, otra semilla.
    salida = tmp_path / "a_mitad"
    helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 2, verbose=0)
    assert (salida / "mejor_generador.keras").exists()
    capsys.readouterr()
    with pytest.raises(FloatingPointError, match=r"inestable \(NaN\).*\(época 2\)\. Puedes seguir desde ahí \(vuelve a "
                       r"llamar a entrenar_carpeta con continuar=True\).*otra semilla \(--semilla 1"):
        helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, continuar=True, verbose=0,
                                 callbacks=[Envenenar(2)])
    impreso = capsys.readouterr().out
    assert "NaN" in impreso and "tasa de aprendizaje" not in impreso and "Para continuar" not in impreso
    assert not (salida / "mejor_generador.keras").exists() and epoca_guardada(salida) == 2


def test_un_nan_a_mitad_de_la_primera_sesion_anota_lo_entrenado(carpeta_pequena, tmp_path, sin_xla, capsys,
                                                               monkeypatch):
    # Antes, tras un NaN a mitad no se escribía tarea.json: al continuar, como aconseja el mensaje, se leía
    # «La sesión anterior se cortó sin anotar su tiempo (¿se apagó el equipo o se cerró Colab?)».
    monkeypatch.setattr(punto_de_control, "COPIA_CADA_SEGUNDOS", 0)  # una copia tras cada época: vuelve a la 2.ª
    salida = tmp_path / "nan"
    with pytest.raises(FloatingPointError, match=r"queda guardado su último estado sano \(época 2\)"):
        helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, verbose=0, callbacks=[Envenenar(2)])
    registro = tarea.leer_registro(salida)
    assert registro["epocas"] == 2 and registro["terminado"] is False
    capsys.readouterr()
    helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, continuar=True, verbose=0)
    assert "se cortó sin anotar" not in capsys.readouterr().out
    assert tarea.leer_registro(salida)["reanudaciones"] == 1 and tarea.leer_registro(salida)["terminado"] is True


def test_un_callback_sin_crear_se_explica_antes_de_escribir_nada(carpeta_pequena, tmp_path):
    # Antes: «TypeError: Value after * must be an iterable», con imagenes.npz ya escrito en la salida.
    with pytest.raises(ValueError, match=r"recibió la clase SimularCorte, sin crear: añade los paréntesis"):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path / "nueva", 32, 2, verbose=0, callbacks=helpers.SimularCorte)
    assert not (tmp_path / "nueva").exists()


def test_elegir_generador_no_recomienda_un_generador_que_da_nan(tmp_path):
    reserva = np.repeat(helpers.imagenes_rostros(32, "reserva"), 3, axis=-1)
    generador = helpers.crear_gan(32, 3, ancho=8, dim_latente=8).generador
    generador.trainable_variables[0].assign(np.full(generador.trainable_variables[0].shape, np.nan, np.float32))
    for archivo in ("generador.keras", "generador_menor_swd.keras"):
        generador.save(tmp_path / archivo)
    with pytest.raises(FloatingPointError, match=r"generador\.keras da imágenes NaN o infinitas"):
        tarea.elegir_generador(tmp_path, reserva)
    assert not (tmp_path / "mejor_generador.keras").exists()


def test_la_regla_solo_cambia_el_final_por_un_candidato_claramente_mejor():
    final = {"swd": 50.0, "kid": 0.40, "kid_desviacion": 0.05}
    assert tarea.gana_el_candidato(final, {"swd": 40.0, "kid": 0.20, "kid_desviacion": 0.05})
    # Mejor en KID pero dentro del ruido, o mejor en KID pero peor en SWD: se queda el final.
    assert not tarea.gana_el_candidato(final, {"swd": 40.0, "kid": 0.35, "kid_desviacion": 0.05})
    assert not tarea.gana_el_candidato(final, {"swd": 60.0, "kid": 0.10, "kid_desviacion": 0.01})
    assert not tarea.gana_el_candidato(final, final)


@pytest.mark.parametrize("gana", [False, True])
def test_elegir_generador_copia_el_elegido_en_mejor_generador(tmp_path, capsys, monkeypatch, gana):
    reserva = np.repeat(helpers.imagenes_rostros(32, "reserva"), 3, axis=-1)
    for archivo, semilla in (("generador.keras", 1), ("generador_menor_swd.keras", 2)):
        helpers.crear_gan(32, 3, ancho=8, dim_latente=8, semilla=semilla).generador.save(tmp_path / archivo)
    (tmp_path / "tarea.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(eleccion_generador, "gana_el_candidato", lambda final, candidato: gana)
    eleccion = tarea.elegir_generador(tmp_path, reserva)
    texto = capsys.readouterr().out
    final, candidato = eleccion["medidas"].values()
    assert f"SWD {final['swd']:7.1f}".replace(".", ",") in texto and f"KID {candidato['kid']:.3f}".replace(".", ",") in texto
    elegido = "generador_menor_swd.keras" if gana else "generador.keras"
    assert eleccion["elegido"] == elegido and f"Recomendado: {elegido} (copiado en mejor_generador.keras)" in texto
    assert (tmp_path / "mejor_generador.keras").read_bytes() == (tmp_path / elegido).read_bytes()
    # El candidato sigue en su archivo: al reanudar y volver a elegir, se compara con él.
    assert (tmp_path / "generador_menor_swd.keras").exists()
    registro = json.loads((tmp_path / "tarea.json").read_text(encoding="utf-8"))
    assert registro["recomendado"]["generador"] == elegido
    assert set(registro["recomendado"]["medidas"]) == {"generador.keras", "generador_menor_swd.keras"}


def test_entrenar_carpeta_rechaza_argumentos_invalidos(carpeta_pequena, tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="tamano=48"):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path, tamano=48)
    with pytest.raises(ValueError, match="epocas=0"):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path, epocas=0)
    with pytest.raises(ValueError, match="lote=1 no es válido: debe ser un entero de al menos 2"):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path, lote=1)
    with pytest.raises(ValueError, match="minutos=0"):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path, minutos=0)
    # Antes, None no se comprobaba: acababa en un TypeError en inglés (int(None), None <= 32).
    for opcion in ("tamano", "epocas", "lote", "semilla"):
        with pytest.raises(ValueError, match=f"^{opcion}=None no es válido: "):
            helpers.entrenar_carpeta(carpeta_pequena, tmp_path, **{opcion: None})
    with pytest.raises(ValueError, match="dentro de la de imágenes"):
        helpers.entrenar_carpeta(carpeta_pequena, carpeta_pequena / "resultados", tamano=32)
    assert not (carpeta_pequena / "resultados").exists()
    monkeypatch.setenv("HOME", str(carpeta_pequena.parent))  # «~/fotos» y «~/fotos/gan», escritos en un cuaderno
    monkeypatch.setenv("USERPROFILE", str(carpeta_pequena.parent))
    with pytest.raises(ValueError, match="dentro de la de imágenes"):
        helpers.entrenar_carpeta(f"~/{carpeta_pequena.name}", f"~/{carpeta_pequena.name}/gan", tamano=32)
    assert not (carpeta_pequena / "gan").exists()
    imagenes = helpers.imagenes_carpeta(carpeta_pequena, 32)  # la matriz en lugar de la carpeta (cuaderno 06)
    with pytest.raises(TypeError, match="imagenes debe ser la carpeta .* llega ndarray"):
        helpers.entrenar_carpeta(imagenes, tmp_path / "mi_gan", tamano=32)
    assert not (tmp_path / "mi_gan").exists()
    # «» sería la carpeta actual (en Colab, /content con Google Drive dentro); antes, un TypeError en inglés con None.
    with pytest.raises(ValueError, match=r"imagenes='' no sirve como ruta: indica la carpeta \(o el .zip\) con tus fotos"):
        helpers.entrenar_carpeta("", tmp_path / "mi_gan", tamano=32)
    with pytest.raises(ValueError, match="salida=None no sirve como ruta: indica la carpeta donde guardar el entrenamiento"):
        helpers.entrenar_carpeta(carpeta_pequena, None, tamano=32)
    with pytest.raises(ValueError, match="ruta=None no sirve como ruta: indica el archivo del generador"):
        helpers.cargar_generador(None)


def test_continuar_sin_punto_de_control_dice_que_empieza_de_cero_solo_si_puede_entrenar(carpeta_pequena, tmp_path,
                                                                                         monkeypatch, capsys):
    pocas = tmp_path / "una"
    pocas.mkdir()
    Image.fromarray(np.zeros((32, 32, 3), np.uint8)).save(pocas / "sola.png")
    for continuar in (False, True):
        with pytest.raises(ValueError, match="Solo hay 1 imagen utilizable en «[^»]*una» y hacen falta al menos 10"):
            helpers.entrenar_carpeta(pocas, tmp_path / "con_una", tamano=32, continuar=continuar)
    assert "empiezo de cero" not in capsys.readouterr().out

    class Parada(Exception):
        pass

    def sin_entrenar(*args, **kwargs):
        raise Parada

    monkeypatch.setattr(tarea, "crear_gan", sin_entrenar)
    with pytest.raises(Parada):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path / "nueva", tamano=32, continuar=True)
    assert f"No hay punto de control en «{tmp_path / 'nueva'}»: empiezo de cero." in capsys.readouterr().out


def test_generar_imagenes(tmp_path):
    generador = helpers.construir_generador(32, 3, dim_latente=8, ancho=8)
    ruta = tmp_path / "generador.keras"
    generador.save(ruta)
    rutas = helpers.generar_imagenes(ruta, tmp_path / "generadas", n=10, semilla=2, interpolacion=True)
    assert [r.name for r in rutas] == ["muestras.png", "interpolacion.png"]
    assert Image.open(rutas[1]).width > Image.open(rutas[1]).height  # 4 tiras de 10 pasos
    otra = helpers.generar_imagenes(generador, tmp_path / "otra", n=10, semilla=2)[0]
    assert otra.read_bytes() == rutas[0].read_bytes()  # misma semilla, mismas imágenes
    # Cerca de 512 px de ancho: antes, 64 caras de 32 px en 263 px y las tiras en 329×131, diminutas.
    rutas = helpers.generar_imagenes(generador, tmp_path / "grandes", n=64, interpolacion=True)
    assert [Image.open(ruta).size for ruta in rutas] == [(526, 526), (658, 262)]


def test_generar_con_el_disco_lleno_lo_dice_en_espanol(tmp_path, monkeypatch):
    generador = helpers.construir_generador(32, 3, dim_latente=8, ancho=8)
    guardar = Image.Image.save

    def sin_espacio_para_la_interpolacion(imagen, ruta, *args, **kwargs):
        if "interpolacion" in str(ruta):
            with open(ruta, "wb") as archivo:
                archivo.write(b"a medias")
            raise OSError(errno.ENOSPC, "No space left on device", str(ruta))
        return guardar(imagen, ruta, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", sin_espacio_para_la_interpolacion)
    salida = tmp_path / "generadas"
    with pytest.raises(OSError) as error:
        helpers.generar_imagenes(generador, salida, n=4, interpolacion=True)
    assert str(error.value) == (
        f"No se pudo escribir «{salida / 'interpolacion.png'}»: no queda espacio en el disco. Libera espacio (en "
        "Google Drive, vacía también la papelera) o elige una carpeta de otro disco y vuelve a generar las imágenes.")
    assert error.traceback[-1].name == "generar_imagenes" and error.value.__suppress_context__  # sin la de Pillow
    assert sorted(p.name for p in salida.iterdir()) == ["muestras.png"]  # ni el temporal a medias


def test_generar_explica_lo_que_no_es_un_generador_y_una_capa_desconocida(tmp_path):
    for modelo in (None, lambda z: z, np.zeros((4, 8))):
        with pytest.raises(ValueError, match="no es un generador: pasa la ruta de un generador.keras"):
            helpers.generar_imagenes(modelo, tmp_path)

    @keras.saving.register_keras_serializable(package="ajena")
    class MiCapa(keras.layers.Layer):
        def call(self, x):
            return x

    entrada = keras.Input((8,))
    ajeno = keras.Model(entrada, MiCapa()(keras.layers.Reshape((2, 2, 2))(entrada)))
    ajeno.save(tmp_path / "ajeno.keras")
    keras.saving.get_custom_objects().pop("ajena>MiCapa")  # como en otro ordenador, sin su código
    with pytest.raises(ValueError, match=r"usa una capa que el curso no conoce \(«MiCapa»\)"):
        helpers.generar_imagenes(tmp_path / "ajeno.keras", tmp_path / "salida")
    assert not (tmp_path / "salida").exists()


def test_el_archivo_llega_al_disco_antes_de_cambiar_de_nombre(tmp_path, monkeypatch):
    ruta = tmp_path / "tarea.json"
    ruta.write_text("antes", encoding="utf-8")
    vistos = []  # qué había en disco en cada fsync: el temporal ya escrito, y luego ya con su nombre
    fsync = os.fsync

    def anotar(descriptor):
        vistos.append((ruta.read_text(encoding="utf-8"), sorted(p.name for p in tmp_path.iterdir())))
        fsync(descriptor)

    monkeypatch.setattr(os, "fsync", anotar)
    escribir_de_una_vez(ruta, lambda temporal: temporal.write_text("después", encoding="utf-8"))
    carpeta = [("después", ["tarea.json"])] if os.name == "posix" else []  # Windows no abre carpetas
    assert vistos == [("antes", [".tarea.tmp.json", "tarea.json"]), *carpeta]


@pytest.mark.parametrize("codigo", ["EINVAL", "EIO"])
def test_un_disco_sin_fsync_no_impide_guardar_pero_un_error_de_escritura_si(tmp_path, monkeypatch, codigo):
    def fallar(descriptor):
        raise OSError(getattr(errno, codigo), os.strerror(getattr(errno, codigo)))

    monkeypatch.setattr(os, "fsync", fallar)
    ruta = tmp_path / "historial.csv"
    ruta.write_text("antes", encoding="utf-8")
    if codigo == "EINVAL":  # p. ej. una carpeta de red que no lo admite: se guarda igual
        escribir_de_una_vez(ruta, lambda temporal: temporal.write_text("después", encoding="utf-8"))
        assert ruta.read_text(encoding="utf-8") == "después"
    else:  # el disco falló al escribir: se dice, y lo anterior sigue intacto
        with pytest.raises(OSError) as error:
            escribir_de_una_vez(ruta, lambda temporal: temporal.write_text("después", encoding="utf-8"))
        assert ruta.read_text(encoding="utf-8") == "antes" and error.value.filename == str(ruta)
    assert [p.name for p in tmp_path.iterdir()] == ["historial.csv"]


def test_un_error_al_escribir_nombra_tu_archivo_y_no_el_temporal(tmp_path):
    def sin_permiso(temporal):
        raise PermissionError(13, "Permission denied", str(temporal))

    with pytest.raises(PermissionError) as error:
        escribir_de_una_vez(tmp_path / "muestras.png", sin_permiso)
    assert error.value.filename == str(tmp_path / "muestras.png")


def test_en_un_disco_de_solo_lectura_se_nombra_tu_archivo_y_no_el_temporal(tmp_path, monkeypatch):
    # En Linux, borrar un archivo que no existe en un disco de solo lectura también da EROFS: antes, ese segundo
    # error (con el nombre del temporal oculto) sustituía al primero.
    def solo_lectura(*argumentos, **opciones):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".muestras.tmp.png"))

    monkeypatch.setattr(Path, "unlink", solo_lectura)
    with pytest.raises(OSError) as error:
        escribir_de_una_vez(tmp_path / "muestras.png", solo_lectura)
    assert error.value.errno == errno.EROFS and error.value.filename == str(tmp_path / "muestras.png")


def test_un_directorio_de_solo_lectura_en_el_cerrojo_nombra_tu_carpeta(tmp_path, monkeypatch):
    def solo_lectura(ruta, *argumentos, **opciones):
        raise OSError(errno.EROFS, "Read-only file system", str(ruta))

    monkeypatch.setattr("builtins.open", solo_lectura)
    with pytest.raises(OSError) as error, en_exclusiva(tmp_path, "ocupada"):
        pass
    assert error.value.filename == str(tmp_path)  # no «…/.cerrojo», un archivo que no es tuyo


def test_generar_con_un_generador_sin_tanh_avisa_y_recorta(tmp_path, capsys):
    ajeno = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16 * 16 * 3, kernel_initializer=keras.initializers.Constant(0.5)),
                              keras.layers.Reshape((16, 16, 3))])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # sin el aviso de la cuadrícula, que aconsejaría convertir imágenes
        ruta = helpers.generar_imagenes(ajeno, tmp_path, n=4)[0]
    assert "Aviso: el generador da valores de" in capsys.readouterr().out
    assert np.asarray(Image.open(ruta)).max() == 255  # recortado a 1, el blanco


def test_generar_con_un_generador_que_da_nan_lo_dice_sin_escribir(tmp_path):
    generador = helpers.construir_generador(32, 3, dim_latente=8, ancho=8)
    peso = generador.trainable_variables[0]
    peso.assign(np.full(peso.shape, np.nan, np.float32))
    ruta = tmp_path / "roto.keras"
    generador.save(ruta)
    with pytest.raises(ValueError, match=f"El generador «{ruta}» da imágenes con NaN"):
        helpers.generar_imagenes(ruta, tmp_path / "generadas", n=4)
    assert not (tmp_path / "generadas").exists()


def test_generar_no_sobrescribe_tus_archivos(tmp_path, capsys):
    generador = helpers.construir_generador(32, 3, dim_latente=8, ancho=8)
    carpeta = tmp_path / "usuario"
    carpeta.mkdir()
    (carpeta / "muestras.png").write_bytes(b"mi dibujo")
    rutas = helpers.generar_imagenes(generador, carpeta, n=4, interpolacion=True)
    assert [r.name for r in rutas] == ["muestras_2.png", "interpolacion_2.png"]
    assert (carpeta / "muestras.png").read_bytes() == b"mi dibujo" and not (carpeta / "interpolacion.png").exists()
    aviso = "ya existe y no lo sobrescribo: guardo en muestras_2.png y interpolacion_2.png"
    assert f"«{carpeta / 'muestras.png'}» {aviso}" in capsys.readouterr().out
    assert helpers.generar_imagenes(generador, carpeta, n=4)[0].name == "muestras_3.png"
    with pytest.raises(ValueError, match="es un archivo, no una carpeta"):
        helpers.generar_imagenes(generador, carpeta / "muestras.png", n=4)
    assert (carpeta / "muestras.png").read_bytes() == b"mi dibujo"


def test_cargar_generador_explica_los_fallos(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="No encuentro el modelo"):
        helpers.cargar_generador(tmp_path / "no_existe.keras")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=f"la busqué en {re.escape(str(tmp_path / 'no_existe.keras'))}"):
        helpers.cargar_generador("no_existe.keras")
    (tmp_path / "roto.keras").write_bytes(b"PK\x03\x04 esto no es un modelo")
    with pytest.raises(ValueError) as error:
        helpers.cargar_generador(tmp_path / "roto.keras")
    # Sin el nombre en inglés de la excepción de Keras («(ValueError)»), que no dice nada a quien lo lee.
    assert str(error.value) == (f"No puedo cargar «{tmp_path / 'roto.keras'}»: está dañado, incompleto o no es un modelo "
                                "de Keras. Cópialo de nuevo o vuelve a entrenar.")
    monkeypatch.setenv("HOME", str(tmp_path))  # «~/…» escrito en un cuaderno
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    with pytest.raises(ValueError, match="roto.keras.*dañado"):
        helpers.cargar_generador("~/roto.keras")
    with pytest.raises(ValueError, match="no es un archivo .keras"):
        helpers.cargar_generador(tmp_path / "modelo.h5")
    with pytest.raises(ValueError, match="GEN.KERAS» termina en .KERAS.*Renómbralo a «GEN.keras»"):
        helpers.cargar_generador(tmp_path / "GEN.KERAS")
    discriminador = helpers.construir_discriminador(32, 3, ancho=8)
    discriminador.save(tmp_path / "discriminador.keras")
    with pytest.raises(ValueError, match=re.escape("discriminador.keras» no es un generador (de un vector latente a una "
                                                   "imagen): usa el generador.keras de un entrenamiento.")):
        helpers.cargar_generador(tmp_path / "discriminador.keras")
    # Vector latente → imagen, pero con una capa Lambda: código que se ejecutaría al cargarlo.
    entrada = keras.Input((8,))
    x = keras.layers.Reshape((32, 32, 3))(keras.layers.Dense(32 * 32 * 3)(entrada))
    keras.Model(entrada, keras.layers.Lambda(lambda t: keras.ops.tanh(t))(x)).save(tmp_path / "con_codigo.keras")
    with pytest.raises(ValueError, match=r"con_codigo\.keras»: contiene código de Python .* por seguridad"):
        helpers.cargar_generador(tmp_path / "con_codigo.keras")
    with pytest.raises(ValueError, match="n=0"):
        helpers.generar_imagenes(tmp_path / "discriminador.keras", tmp_path, n=0)
    with pytest.raises(ValueError, match="^n=None no es válido: "):  # antes, un TypeError de NumPy
        helpers.generar_imagenes(tmp_path / "discriminador.keras", tmp_path, n=None)
    # Dos entradas (vector latente y dígito, como el de la GAN condicional): no es un generador de la tarea.
    latente, digito = keras.Input((8,)), keras.Input((1,))
    imagen = keras.layers.Reshape((16, 16, 1))(keras.layers.Dense(256)(keras.layers.Concatenate()([latente, digito])))
    keras.Model([latente, digito], imagen).save(tmp_path / "condicional.keras")
    with pytest.raises(ValueError, match="condicional.keras» no es un generador"):
        helpers.cargar_generador(tmp_path / "condicional.keras")
    # Un vector latente de tamaño sin fijar o vacío: no hay cómo elegir z (y con 0, todas iguales).
    libre, vacio = keras.Input((None,)), keras.Input((0,))
    por_nombre = {"libre": (libre, keras.layers.Conv2D(3, 1)(keras.layers.Reshape((-1, 1, 1))(libre))),
                  "vacio": (vacio, keras.layers.Reshape((4, 4, 3))(keras.layers.Dense(48)(vacio)))}
    for nombre, (entrada, imagen) in por_nombre.items():
        keras.Model(entrada, imagen).save(tmp_path / f"{nombre}.keras")
        with pytest.raises(ValueError, match=f"{nombre}.keras» no es un generador"):
            helpers.cargar_generador(tmp_path / f"{nombre}.keras")
    (tmp_path / "mi_gan").mkdir()
    with pytest.raises(ValueError, match=r"mi_gan» es una carpeta: indica el archivo del generador, p. ej. .*mi_gan/generador.keras"):
        helpers.cargar_generador(tmp_path / "mi_gan")


def test_un_generador_de_una_keras_mas_nueva_dice_que_la_actualices(tmp_path):
    # Antes: «está dañado… Cópialo de nuevo o vuelve a entrenar», y copiarlo no cambia nada: se guardó con una Keras más
    # nueva (la de Colab, que cambia sin avisar) que añade a sus capas opciones que la instalada no conoce.
    keras.Sequential([keras.Input((8,)), keras.layers.Dense(16 * 16 * 3), keras.layers.Reshape((16, 16, 3))]).save(
        tmp_path / "g.keras")
    with zipfile.ZipFile(tmp_path / "g.keras") as modelo:
        miembros = {nombre: modelo.read(nombre) for nombre in modelo.namelist()}
    config = json.loads(miembros["config.json"])
    next(capa for capa in config["config"]["layers"] if capa["class_name"] == "Dense")["config"]["opcion_nueva"] = 8
    for version in ("99.1.0", keras.__version__):
        nuevos = {"config.json": json.dumps(config).encode(), "metadata.json": json.dumps({"keras_version": version}).encode()}
        with zipfile.ZipFile(tmp_path / f"{version}.keras", "w") as modelo:
            for nombre, contenido in (miembros | nuevos).items():
                modelo.writestr(nombre, contenido)
    with pytest.raises(ValueError) as error:
        helpers.cargar_generador(tmp_path / "99.1.0.keras")
    assert str(error.value) == (f"No puedo cargar «{tmp_path / '99.1.0.keras'}»: se guardó con Keras 99.1.0, más nueva que "
                                f"la tuya ({keras.__version__}), que no lo sabe leer. Actualiza Keras (pip install -U "
                                "keras) y vuelve a intentarlo.")
    # Con la misma versión, el archivo está mal de verdad.
    with pytest.raises(ValueError, match="está dañado, incompleto o no es un modelo de Keras"):
        helpers.cargar_generador(tmp_path / f"{keras.__version__}.keras")


def test_un_generador_de_una_keras_mas_nueva_con_opciones_que_no_hacen_nada_se_carga(tmp_path):
    # Antes, «se guardó con Keras 3.15.1, más nueva que la tuya (3.13.2)…»: un generador del portátil abierto en Colab.
    # Las Keras más nuevas anotan opciones que la de Colab no admite aunque no cambien la red: input_axes=None en los
    # inicializadores, renorm=False (con su renorm_momentum) en BatchNormalization. Aquí, con nombres inventados.
    original = keras.Sequential([keras.Input((8,)), keras.layers.Dense(4 * 4 * 3), keras.layers.BatchNormalization(),
                                 keras.layers.Reshape((4, 4, 3))])
    original.save(tmp_path / "g.keras")
    with zipfile.ZipFile(tmp_path / "g.keras") as modelo:
        miembros = {nombre: modelo.read(nombre) for nombre in modelo.namelist()}
    config = json.loads(miembros["config.json"])
    capas = {capa["class_name"]: capa["config"] for capa in config["config"]["layers"]}
    densa, normalizacion = capas["Dense"], capas["BatchNormalization"]
    densa["kernel_initializer"]["config"]["ejes_futuros"] = None
    normalizacion |= {"refuerzo": False, "refuerzo_momento": 0.99}

    def guardado(nombre, version, config):
        nuevos = {"config.json": json.dumps(config).encode(), "metadata.json": json.dumps({"keras_version": version}).encode()}
        with zipfile.ZipFile(tmp_path / nombre, "w") as modelo:
            for miembro, contenido in (miembros | nuevos).items():
                modelo.writestr(miembro, contenido)
        return tmp_path / nombre

    ruta = guardado("nueva.keras", "99.1.0", config)
    antes = ruta.read_bytes()
    z = np.random.default_rng(0).normal(size=(5, 8)).astype("float32")
    assert np.array_equal(helpers.cargar_generador(ruta)(z, training=False), original(z, training=False))
    assert ruta.read_bytes() == antes  # el archivo del estudiante no se toca
    # Con refuerzo=True, la opción cambia la red: no se quita nada y el mensaje pide actualizar Keras.
    normalizacion["refuerzo"] = True
    with pytest.raises(ValueError, match="se guardó con Keras 99.1.0, más nueva que la tuya"):
        helpers.cargar_generador(guardado("activada.keras", "99.1.0", config))
    # Guardado con la misma versión, una opción que no conoce es un archivo mal hecho: no se adapta.
    normalizacion["refuerzo"] = False
    with pytest.raises(ValueError, match="está dañado, incompleto o no es un modelo de Keras"):
        helpers.cargar_generador(guardado("misma.keras", keras.__version__, config))


def _generador_diminuto():
    """Un generador de 4×4×3 con capas como las del kit y pesos fijos, no aleatorios, para comparar salidas (positivos:
    uno es la varianza de la normalización)."""
    generador = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2 * 2 * 4, use_bias=False),
                                  keras.layers.BatchNormalization(), keras.layers.Reshape((2, 2, 4)),
                                  keras.layers.Conv2DTranspose(3, 4, strides=2, padding="same", activation="tanh")])
    generador.set_weights([np.linspace(0.05, 0.5, peso.size).reshape(peso.shape) for peso in generador.get_weights()])
    return generador


def test_un_generador_guardado_con_keras_3_15_se_carga_con_la_version_minima():
    # tests/datos/generador_keras_3_15.keras es _generador_diminuto() guardado con Keras 3.15.1, la de
    # requirements.txt, que anota input_axes=None y renorm=False; la etapa de versiones mínimas de la CI (Keras 3.13)
    # y Colab no lo abrían.
    cargado = helpers.cargar_generador(Path(__file__).parent / "datos" / "generador_keras_3_15.keras")
    z = np.random.default_rng(0).normal(size=(3, 8)).astype("float32")
    assert np.allclose(cargado(z, training=False), _generador_diminuto()(z, training=False), atol=1e-6)


def test_de_una_keras_mas_nueva_solo_se_quitan_los_ajustes_de_una_opcion_nueva_apagada(tmp_path):
    # renorm_momentum se quita con renorm=False porque renorm también es nueva: todo lo nuevo está apagado. Antes se
    # quitaba también una opción nueva que empezara por el nombre de una que esta Keras ya conoce y vale False
    # (use_bias_…, trainable_… en una capa congelada), aunque hiciera algo: se cargaba otra red sin avisar.
    _generador_diminuto().save(tmp_path / "g.keras")
    with zipfile.ZipFile(tmp_path / "g.keras") as modelo:
        miembros = {nombre: modelo.read(nombre) for nombre in modelo.namelist()}

    def guardado(nombre, opciones):
        config = json.loads(miembros["config.json"])
        densa = next(capa["config"] for capa in config["config"]["layers"] if capa["class_name"] == "Dense")
        assert densa["use_bias"] is False
        densa |= opciones
        nuevos = {"config.json": json.dumps(config).encode(), "metadata.json": b'{"keras_version": "99.1.0"}'}
        with zipfile.ZipFile(tmp_path / nombre, "w") as modelo:
            for miembro, contenido in (miembros | nuevos).items():
                modelo.writestr(miembro, contenido)
        return tmp_path / nombre

    helpers.cargar_generador(guardado("nueva_apagada.keras", {"refuerzo": False, "refuerzo_escala": 0.5}))
    with pytest.raises(ValueError, match="se guardó con Keras 99.1.0, más nueva que la tuya"):
        helpers.cargar_generador(guardado("de_una_conocida.keras", {"use_bias_escala": 0.5}))


def test_generar_e_interpolar_con_una_gan_o_un_modelo_que_no_es_generador(tmp_path):
    gan = helpers.crear_gan(16, 1, dim_latente=8, ancho=8, media_movil=0.99)
    ruta = helpers.generar_imagenes(gan, tmp_path, n=4, semilla=2)[0]
    directa = helpers.generar_imagenes(gan.generador_ema, tmp_path / "directa", n=4, semilla=2)[0]
    assert ruta.read_bytes() == directa.read_bytes()  # la GAN dibuja con su media móvil
    assert helpers.interpolar_latente(gan, np.zeros(8), np.ones(8), pasos=3).shape == (3, 16, 16, 1)
    sin_construir = keras.Sequential([keras.layers.Dense(3)])  # sin entradas definidas: no es un generador, sin excepción
    assert not modelos.es_generador(sin_construir) and modelos.es_generador(gan.generador)
    cinco_canales = keras.Sequential([keras.Input((8,)), keras.layers.Dense(16 * 16 * 5), keras.layers.Reshape((16, 16, 5))])
    cinco_canales.save(tmp_path / "cinco.keras")
    with pytest.raises(ValueError, match="cinco.keras» dibuja imágenes de 5 canales"):  # no se puede dibujar: que lo diga al cargar
        helpers.cargar_generador(tmp_path / "cinco.keras")
    condicional = GANCondicional(construir_generador_condicional(16, dim_latente=8, ancho=8),
                                 construir_discriminador_condicional(16, ancho=8))
    for dibujar in (lambda: helpers.mostrar_interpolacion(condicional), lambda: helpers.generar_imagenes(condicional, tmp_path)):
        with pytest.raises(ValueError, match="no es un generador.*cuadricula_por_digito"):
            dibujar()


@pytest.mark.parametrize(
    "opcion, valor, valido",
    [("tamano", 64, True), ("tamano", 48, False), ("epocas", 1, True), ("epocas", 0, False), ("epocas", 2.0, False),
     ("epocas", True, False), ("lote", 2, True), ("lote", 1, False), ("n", opciones_tarea.MAX_MUESTRAS, True),
     ("n", opciones_tarea.MAX_MUESTRAS + 1, False), ("minutos", 0.5, True), ("minutos", -1, False), ("minutos", True, False),
     ("minutos", float("inf"), False), ("minutos", float("nan"), False), ("minutos", np.float32(0.5), True),
     pytest.param("minutos", 10**400, False, id="minutos-10**400"), ("semilla", 0, True),
     ("semilla", 2**32 - 1, True), ("semilla", -1, False), ("semilla", 2**32, False)],
)
def test_motivo_invalido_acepta_y_rechaza_cada_opcion(opcion, valor, valido):
    assert (opciones_tarea.motivo_invalido(opcion, valor) is None) == valido


def test_continuar_con_otra_semilla_sin_imagenes_guardadas(copia, carpeta_pequena, sin_xla):
    # Sin imagenes.npz (p. ej. renombrado por estar dañado) la semilla de tarea.json aún protege la reserva.
    (copia / "imagenes.npz").rename(copia / "imagenes_roto.npz")
    antes = _contenidos(copia)
    with pytest.raises(ValueError, match="se entrenó con la semilla 0 y pides 1: .*--semilla 0"):
        helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=True, semilla=1, verbose=0)
    assert _contenidos(copia) == antes


@pytest.mark.parametrize("nombre", ["historial.csv", "metrica.csv"])
def test_un_csv_danado_se_explica_al_continuar(copia, carpeta_pequena, sin_xla, nombre):
    # Como lo deja una hoja de cálculo que guarda con «;»: otra cabecera.
    texto = (copia / nombre).read_text(encoding="utf-8")
    (copia / nombre).write_text(texto.replace(",", ";"), encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{nombre}» está dañado .*renómbralo \(p\. ej\. a {nombre[:-4]}_roto\.csv\)"):
        helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=True, verbose=0)
    (copia / nombre).rename(copia / f"{nombre[:-4]}_roto.csv")  # lo que dice el mensaje funciona
    assert helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=True, verbose=0)["epoca"] == 3


def test_continuar_con_menos_epocas_de_las_hechas_lo_dice(copia, carpeta_pequena, sin_xla, capsys):
    resultado = helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 1, continuar=True, verbose=0)
    assert resultado["epoca"] == 2 and "Nada más que entrenar: ya tenía 2 épocas (pediste 1). Resultados en" in capsys.readouterr().out


def test_empezar_de_cero_en_la_misma_carpeta_no_deja_generadores_de_antes(copia, carpeta_pequena, sin_xla):
    # Lo que aconseja un punto de control dañado: apartarlo y empezar de cero ahí. Si esa ejecución se
    # corta, la carpeta no debe parecer terminada con el generador de la anterior.
    (copia / "punto_de_control.npz").rename(copia / "punto_de_control_roto.npz")
    with pytest.raises(FileExistsError, match="aparta también tarea.json"):  # sin apartar también el registro
        helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, verbose=0)
    (copia / "tarea.json").rename(copia / "tarea_roto.json")
    resultado = helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, verbose=0, callbacks=[tarea.SimularCorte(1)])
    assert resultado["interrumpido"] and resultado["epoca"] == 1
    assert not (copia / "generador.keras").exists() and not (copia / "mejor_generador.keras").exists()
    with pytest.raises(FileNotFoundError, match="el entrenamiento no terminó"):
        entrega.entregar(copia, copia.parent / "entrega.zip")


def test_si_los_dos_candidatos_son_el_mismo_generador_lo_dice(tmp_path, capsys, monkeypatch):
    reserva = np.repeat(helpers.imagenes_rostros(32, "reserva"), 3, axis=-1)
    generador = helpers.crear_gan(32, 3, ancho=8, dim_latente=8).generador
    for archivo in ("generador.keras", "generador_menor_swd.keras"):  # guardados por separado: otros bytes
        generador.save(tmp_path / archivo)
    (tmp_path / "tarea.json").write_text("{}", encoding="utf-8")
    medidos = []
    medir = eleccion_generador.medir_generador
    monkeypatch.setattr(eleccion_generador, "medir_generador", lambda *args: medidos.append(args) or medir(*args))
    eleccion = tarea.elegir_generador(tmp_path, reserva)
    assert eleccion["elegido"] == "generador.keras"
    assert "porque la SWD fue mínima en la última época: los dos son el mismo generador." in capsys.readouterr().out
    # Se mide una sola vez, y las cifras de los dos son las de esa medida.
    assert len(medidos) == 1 and eleccion["medidas"]["generador.keras"] == eleccion["medidas"]["generador_menor_swd.keras"]
    assert tarea.leer_registro(tmp_path)["recomendado"]["medidas"]["generador_menor_swd.keras"]["swd"] > 0


def test_sin_punto_de_control_no_se_borra_un_entrenamiento_terminado(copia, carpeta_pequena, sin_xla):
    (copia / "punto_de_control.npz").unlink()  # p. ej. borrado para ahorrar sitio, o una copia sin él
    antes = _contenidos(copia)
    for continuar in (True, False):
        with pytest.raises(FileExistsError, match="tiene un entrenamiento de 2 épocas .* pero no su punto de control"):
            helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=continuar, verbose=0)
    assert _contenidos(copia) == antes


def test_un_corte_al_reanudar_no_deja_entregar_el_generador_de_antes(copia, carpeta_pequena, sin_xla, capsys):
    cortado = helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 4, continuar=True, verbose=0,
                                       callbacks=[tarea.SimularCorte(1)])
    assert cortado["interrumpido"] and "Para continuar donde lo dejaste" in capsys.readouterr().out
    assert json.loads((copia / "tarea.json").read_text(encoding="utf-8"))["terminado"] is False
    for generador in entrega.GENERADORES:  # los dos son de la sesión anterior, la de 2 épocas
        with pytest.raises(ValueError, match="se cortó sin terminar: sus generadores son de antes del corte"):
            entrega.entregar(copia, copia.parent / "entrega.zip", generador=generador)
    terminado = helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 4, continuar=True, verbose=0)
    assert terminado["epoca"] == 4 and json.loads((copia / "tarea.json").read_text(encoding="utf-8"))["terminado"]
    assert entrega.entregar(copia, copia.parent / "entrega.zip")[1]["epocas"] == 4


def test_un_corte_en_la_recomendacion_aconseja_continuar(copia, carpeta_pequena, sin_xla, monkeypatch, capsys):
    def cortar(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(tarea, "elegir_generador", cortar)
    resultado = helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 2, continuar=True, verbose=0)
    impreso = capsys.readouterr().out
    assert resultado["interrumpido"] and "Interrumpido al terminar" in impreso and "Para continuar" in impreso
    with pytest.raises(ValueError, match="se cortó sin terminar"):
        entrega.entregar(copia, copia.parent / "entrega.zip", generador="mejor_generador.keras")


def test_sin_imagenes_guardadas_otra_carpeta_no_se_acepta_al_continuar(copia, carpeta_pequena, sin_xla, tmp_path):
    (copia / "imagenes.npz").unlink()
    otra = shutil.copytree(carpeta_pequena, tmp_path / "otra")
    for foto in sorted(otra.glob("foto_*.png"))[:6]:
        foto.unlink()
    with pytest.raises(ValueError, match="se entrenó con 20 imágenes de entrenamiento y 4 de reserva a 32 px"):
        helpers.entrenar_carpeta(otra, copia, 32, 3, continuar=True, verbose=0)


def test_en_modo_rapido_continuar_uno_de_64_px_lo_explica(copia, carpeta_pequena, sin_xla, monkeypatch):
    with np.load(copia / "imagenes.npz") as guardado:
        grandes = {clave: np.repeat(np.repeat(guardado[clave], 2, axis=1), 2, axis=2) for clave in guardado.files}
    np.savez_compressed(copia / "imagenes.npz", **grandes)
    with pytest.raises(ValueError, match="a 64 px y el modo rápido .* quita esa variable"):
        helpers.entrenar_carpeta(carpeta_pequena, copia, 64, 3, continuar=True, verbose=0)


def test_generar_cortado_no_deja_una_imagen_rota(tmp_path, monkeypatch):
    def escribir_a_medias(muestras, ruta, **_):
        Path(ruta).write_bytes(b"\x89PNG a medias")
        raise KeyboardInterrupt

    monkeypatch.setattr(generador_guardado, "guardar_cuadricula", escribir_a_medias)
    with pytest.raises(KeyboardInterrupt):
        generador_guardado.generar_imagenes(modelos.construir_generador(16, 1, 4, 8), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_dos_entrenamientos_no_usan_la_misma_carpeta_a_la_vez(copia, carpeta_pequena, sin_xla):
    import subprocess
    import sys
    import textwrap

    # Otro proceso tiene la carpeta (p. ej. un entrenamiento en otra terminal): este no escribe nada.
    otro = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from helpers import entorno
        with entorno.en_exclusiva(Path({str(copia)!r}), "ocupada"):
            print("dentro", flush=True)
            sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert otro.stdout.readline().strip() == "dentro"
        antes = _contenidos(copia)
        with pytest.raises(BlockingIOError, match="ya se está entrenando en otro proceso"):
            helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=True, verbose=0)
        assert _contenidos(copia) == antes
    finally:
        otro.communicate("")
    # Al acabar el otro (también si lo matan), el sistema suelta el cerrojo: se puede continuar.
    assert helpers.entrenar_carpeta(carpeta_pequena, copia, 32, 3, continuar=True, verbose=0)["epoca"] == 3


def test_no_escribe_en_una_carpeta_que_no_es_de_una_tarea(carpeta_pequena, tmp_path):
    # --salida en una carpeta tuya que casualmente tiene nombres como los del kit: nada se pisa ni se borra.
    mia = tmp_path / "mio"
    (mia / "muestras").mkdir(parents=True)
    (mia / "historial.csv").write_text("mis gastos", encoding="utf-8")
    (mia / "evolucion.gif").write_bytes(b"mi gif")
    (mia / "muestras" / "epoca_2023_viaje.png").write_bytes(b"mi foto")
    (mia / "notas.txt").write_text("y algo más", encoding="utf-8")
    antes = {p: p.read_bytes() for p in mia.rglob("*") if p.is_file()}
    with pytest.raises(FileExistsError, match=r"ya tiene archivos \(evolucion.gif, historial.csv, muestras y 1 más\) y no "
                                              "es la carpeta de una tarea"):
        helpers.entrenar_carpeta(carpeta_pequena, mia, 32, 2, verbose=0)
    assert {p: p.read_bytes() for p in mia.rglob("*") if p.is_file()} == antes
    # Una carpeta vacía (o con solo lo oculto, como un .DS_Store) sí vale.
    (tmp_path / "vacia").mkdir()
    (tmp_path / "vacia" / ".DS_Store").write_bytes(b"")
    assert tarea.contenido_visible(tmp_path / "vacia") == "" and tarea.contenido_visible(tmp_path / "no_existe") == ""


@pytest.mark.parametrize("continuar", [False, True])
def test_no_entrena_en_una_entrega_descomprimida(carpeta_pequena, tmp_path, continuar):
    # Una entrega descomprimida trae imagenes.npz, como una tarea; entrenar ahí cambiaría lo entregado.
    entrega = tmp_path / "ana_garcia"
    entrega.mkdir()
    for nombre in (tarea.MANIFIESTO, tarea.ARCHIVO_IMAGENES, "generador.keras", "evolucion.gif", "historial.csv"):
        (entrega / nombre).write_bytes(nombre.encode())
    antes = {p: p.read_bytes() for p in entrega.iterdir()}
    with pytest.raises(FileExistsError, match=r"es una entrega descomprimida \(tiene manifiesto.json\): no entreno ahí"):
        helpers.entrenar_carpeta(carpeta_pequena, entrega, 32, 2, continuar=continuar, verbose=0)
    assert {p: p.read_bytes() for p in entrega.iterdir()} == antes


def test_medir_generador_acepta_una_gan_y_explica_lo_que_no_es_un_generador():
    gan = helpers.crear_gan(16, dim_latente=8, ancho=8, media_movil=0.9)
    reserva, _ = helpers.imagenes_digitos(16, parte="reserva")
    # Antes: AttributeError en inglés («'GAN' object has no attribute 'input_shape'»); se mide la red de sus muestras.
    medida = generador_guardado.medir_generador(gan, reserva[:20], muestras=40)
    assert medida == generador_guardado.medir_generador(gan.generador_ema, reserva[:20], muestras=40)
    with pytest.raises(ValueError, match=re.escape("generador=ndarray no es un generador: pasa el generador (un keras.Model) "
                                                   "o una GAN del curso; para medir unas imágenes ya generadas usa "
                                                   "helpers.metricas.swd_promediada(reserva, imagenes).")):
        generador_guardado.medir_generador(reserva[20:60], reserva[:20])
    for muestras in (-5, 2.5):  # antes, el error de NumPy en inglés (muestras=0 usaba el valor por defecto, sin aviso)
        with pytest.raises(ValueError, match=re.escape(f"muestras={muestras!r} no es válido: debe ser un entero ≥ 2.")):
            generador_guardado.medir_generador(gan, reserva[:20], muestras=muestras)
    with pytest.raises(ValueError, match=re.escape("generador=Functional no es un generador (de un vector latente a una "
                                                   "imagen; el de una GAN condicional")):
        generador_guardado.medir_generador(helpers.construir_discriminador(16, ancho=8), reserva[:20])


def test_simular_corte_cuenta_las_epocas_de_cada_fit():
    # Antes contaba las de todos sus fit: el mismo SimularCorte en una segunda llamada cortaba antes del primer
    # paso, y la celda del cuaderno 06 decía «¿lo interrumpiste tú?».
    corte = helpers.SimularCorte(1)
    for _ in range(2):
        corte.on_train_begin()
        try:
            corte.on_train_batch_begin(0)
        except KeyboardInterrupt:
            pytest.fail("SimularCorte(1) cortó antes de terminar la primera época de este fit")
        corte.on_epoch_end(0)
        with pytest.raises(KeyboardInterrupt):
            corte.on_train_batch_begin(0)


def test_con_muchas_imagenes_cada_epoca_recorre_solo_una_parte(carpeta_pequena, tmp_path, sin_xla, monkeypatch, capsys):
    # Antes, una época era siempre una pasada entera: con CelebA (202.599 fotos) a 64 px en CPU, unos 6.300 pasos (más
    # de 20 minutos) sin guardar, medir ni dibujar, y un Ctrl-C los perdía todos. Aquí, 20 imágenes y como mucho 8 por
    # época: con lote 2, 8 pasos (el mínimo, uno por llamada a TensorFlow) son 16 imágenes.
    monkeypatch.setattr(tarea, "IMAGENES_POR_EPOCA", 8)
    salida = tmp_path / "mi_gan"
    resultado = helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 2, lote=2, verbose=0)
    assert ("20 imágenes para entrenar y 4 de reserva para medir la SWD (metrica.csv).\nCon tantas, cada época recorre 16 "
            "(una pasada por todas son unas 1,2 épocas)") in capsys.readouterr().out
    assert len(resultado["historial"]["perdida_g"]) == 2
    assert int(resultado["gan"].opt_generador.iterations.numpy()) == 2 * 8
    # Y se reanuda igual: la época 3 también son 8 pasos, con los lotes que habría visto sin parar (la pasada
    # siguiente no vuelve a empezar): los pesos, los de 3 épocas seguidas.
    reanudado = helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 3, lote=2, verbose=0, continuar=True)
    assert reanudado["epoca_inicial"] == 2 and len(reanudado["historial"]["perdida_g"]) == 3
    assert int(reanudado["gan"].opt_generador.iterations.numpy()) == 3 * 8
    seguido = helpers.entrenar_carpeta(carpeta_pequena, tmp_path / "seguida", 32, 3, lote=2, verbose=0)
    esperado, obtenido = punto_de_control.copiar_estado(seguido["gan"]), punto_de_control.copiar_estado(reanudado["gan"])
    for nombre, valor in esperado.items():
        np.testing.assert_allclose(obtenido[nombre], valor, rtol=0, atol=1e-6, err_msg=nombre)


def test_lo_que_se_importa_de_helpers_tarea_sigue_ahi_aunque_viva_en_otro_modulo():
    # Las copias guardadas del cuaderno 06, los guiones de estudiantes y benchmarks/ hacen «from helpers.tarea import …»
    # con lo que ahora vive en otro módulo (generador_guardado, registro_tarea, reanudacion…): es lo mismo, no una copia.
    todo = {}
    exec("from helpers.tarea import *", todo)
    for nombre in ("SimularCorte", "entrenar_carpeta", "separar_reserva", "MAX_RESERVA", "NAN_A_MITAD"):
        assert todo[nombre] is getattr(tarea, nombre)
    # También las constantes que tarea tenía antes de partirla (MAX_MUESTRAS, LIMITES, PARTES…), que luego faltaban.
    for modulo, nombres in ((generador_guardado, ("cargar_generador", "generar_imagenes", "medir_generador")),
                            (imagenes_guardadas, ("leer_imagenes_guardadas", "PARTES", "BYTES_POR_BLOQUE",
                                                  "NO_SON_IMAGENES", "ILEGIBLE_NPZ")),
                            (opciones_tarea, ("TAMANOS_TAREA", "MAX_MUESTRAS", "LIMITES", "TAMANO_RAPIDO")),
                            (registro_tarea, ("ARCHIVO_REGISTRO", "ARCHIVO_IMAGENES", "MANIFIESTO", "leer_registro")),
                            (reanudacion, ("TOLERANCIA_MISMAS_IMAGENES", "contenido_visible", "orden_continuar")),
                            (eleccion_generador, ("INESTABLE", "gana_el_candidato", "elegir_generador"))):
        for nombre in nombres:
            assert todo[nombre] is getattr(modulo, nombre)
