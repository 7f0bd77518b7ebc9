import re
import unicodedata
from pathlib import Path

import numpy as np
import pytest

import helpers
from helpers import entrega, estilo, opciones


def test_es_entero_acepta_enteros_de_numpy_y_no_bool_ni_decimales():
    assert opciones.es_entero(3) and opciones.es_entero(np.int64(3), 1, 3) and opciones.es_entero(-5)
    assert not opciones.es_entero(True) and not opciones.es_entero(np.bool_(True))
    assert not opciones.es_entero(3.0) and not opciones.es_entero("3") and not opciones.es_entero(None)
    assert not opciones.es_entero(0, 1) and not opciones.es_entero(4, 1, 3)


def test_es_real_acepta_reales_finitos_de_numpy_y_no_bool_nan_ni_textos():
    assert opciones.es_real(0.5) and opciones.es_real(-3) and opciones.es_real(np.float32(0.5)) and opciones.es_real(np.int64(3))
    for no_es in (True, False, np.bool_(True), float("nan"), float("inf"), -float("inf"), np.float32("nan"), 10**400,
                  "0.5", None, np.array(0.5), [0.5]):
        assert not opciones.es_real(no_es), no_es
    # minimo y maximo, incluidos; mayor_que y menor_que, excluidos.
    assert opciones.es_real(0, 0, 1) and opciones.es_real(1, 0, 1) and not opciones.es_real(1.5, 0, 1)
    assert not opciones.es_real(-0.1, 0) and opciones.es_real(1e300, 0)
    assert not opciones.es_real(0, mayor_que=0) and opciones.es_real(1e-9, mayor_que=0)
    assert not opciones.es_real(1, 0, menor_que=1) and opciones.es_real(0.999, 0, menor_que=1)
    assert opciones.es_real(np.float32(0.75), mayor_que=0.5, menor_que=1) and not opciones.es_real(0.5, mayor_que=0.5)


def test_exigir_booleano_no_toma_un_texto_por_verdadero():
    assert opciones.exigir_booleano("x", np.True_) is True and opciones.exigir_booleano("x", False) is False
    with pytest.raises(ValueError, match=r"^x='no' no es válido: usa True o False, sin comillas\.$"):
        opciones.exigir_booleano("x", "no")
    with pytest.raises(ValueError, match=r"^x=1 no es válido: usa True o False\.$"):
        opciones.exigir_booleano("x", 1)


def _gan_y_datos():
    helpers.fijar_semilla(0)
    return helpers.crear_gan(16, dim_latente=8, ancho=8), helpers.a_dataset(helpers.imagenes_digitos(16)[0][:64], 32)


# Antes, «"no"» contaba como verdadero: se preservaba el color, se reflejaban los rostros, se recortaban caras, se
# seguía el entrenamiento guardado... sin decir nada (o, sin carpeta, otro error que no hablaba de la opción).
@pytest.mark.parametrize("opcion, llamar", [
    ("preservar_color", lambda v, _: estilo.transferir_estilo(
        np.full((40, 40, 3), 100.0, np.float32), np.full((40, 40, 3), 50.0, np.float32), iteraciones=2,
        lado_maximo=64, red="squeezenet", preservar_color=v)),
    ("espejo", lambda v, _: helpers.imagenes_rostros(16, espejo=v)),
    ("color", lambda v, _: helpers.imagenes_lfw(32, color=v)),  # antes de descargar nada
    ("rostros", lambda v, carpeta: helpers.preparar_imagenes(carpeta / "fotos", carpeta, rostros=v)),
    ("sin_duplicados", lambda v, carpeta: helpers.preparar_imagenes(carpeta / "fotos", carpeta, sin_duplicados=v)),
    ("normalizacion_espectral", lambda v, _: helpers.construir_discriminador(16, normalizacion_espectral=v)),
    ("desviacion_minilote", lambda v, _: helpers.crear_gan(16, dim_latente=8, ancho=8, desviacion_minilote=v)),
    ("ruido_solo_reales", lambda v, _: helpers.crear_gan(16, dim_latente=8, ancho=8, ruido_instancia=0.1,
                                                         ruido_solo_reales=v)),
    ("continuar", lambda v, carpeta: helpers.entrenar(*_gan_y_datos(), 1, carpeta=carpeta, continuar=v, verbose=0)),
    ("continuar", lambda v, carpeta: helpers.entrenar_carpeta(carpeta / "fotos", carpeta / "gan", continuar=v)),
    ("interpolacion", lambda v, carpeta: helpers.generar_imagenes(carpeta / "g.keras", carpeta, interpolacion=v)),
    ("sin_imagenes", lambda v, carpeta: entrega.entregar(carpeta / "gan", carpeta / "e.zip", sin_imagenes=v)),
])
def test_las_opciones_de_si_o_no_no_aceptan_un_texto(opcion, llamar, tmp_path):
    with pytest.raises(ValueError, match=f"^{opcion}='no' no es válido: usa True o False, sin comillas"):
        llamar("no", tmp_path)


def test_exigir_ruta_rechaza_lo_que_no_es_una_ruta_y_la_vacia(monkeypatch):
    monkeypatch.setenv("HOME", "/casa/ana")
    assert opciones.exigir_ruta("carpeta", "~/fotos", "la carpeta") == Path("/casa/ana/fotos")
    assert opciones.exigir_ruta("carpeta", Path("fotos"), "la carpeta") == Path("fotos")
    # «» sería la carpeta actual: en Colab, /content con todo Google Drive dentro.
    for valor in ("", "   ", None, 20231234, ["fotos"]):
        with pytest.raises(ValueError, match=re.escape(f"carpeta={valor!r} no sirve como ruta: indica la carpeta de "
                                                       "tus fotos, entre comillas.")):
            opciones.exigir_ruta("carpeta", valor, "la carpeta de tus fotos")
    # Unas imágenes en lugar de la ruta (argumentos cambiados de orden): su forma, no su repr de pantallas enteras.
    with pytest.raises(ValueError) as error:
        opciones.exigir_ruta("ruta", np.zeros((16, 32, 32, 1)), "el archivo donde guardarla (p. ej. muestras.png)")
    assert str(error.value) == ("ruta recibió una matriz de forma (16, 32, 32, 1), que no sirve como ruta: indica el "
                                "archivo donde guardarla (p. ej. muestras.png), entre comillas (¿cambiaste el orden de "
                                "los argumentos?).")


def test_exigir_ruta_con_la_misma_carpeta_en_las_dos_formas_sigue_la_del_archivo(tmp_path):
    # En Drive, «canción» subida desde el navegador (NFC) y otra vez desde un Mac (NFD): se ven iguales y son dos.
    # Antes se tomaba la primera que existía y, si el archivo estaba en la otra, la ruta tecleada «no existía».
    nfd = tmp_path / unicodedata.normalize("NFD", "canción")
    (tmp_path / "canción").mkdir()
    nfd.mkdir()
    (nfd / "portada.jpg").write_bytes(b"x")
    assert opciones.exigir_ruta("ruta", tmp_path / "canción" / "portada.jpg", "la imagen") == nfd / "portada.jpg"


def test_exigir_carpeta_explica_un_archivo_donde_va_una_carpeta(tmp_path):
    archivo = tmp_path / "cuadros.png"
    archivo.write_bytes(b"x")
    # Una carpeta, o una que aún no existe (quien escribe la crea): nada que decir.
    opciones.exigir_carpeta("carpeta", tmp_path, "elige otra carpeta")
    opciones.exigir_carpeta("carpeta", str(tmp_path / "nueva"), "elige otra carpeta")
    # Con el nombre del parámetro, como lo escribe quien llama desde Python.
    with pytest.raises(ValueError) as error:
        opciones.exigir_carpeta("carpeta", archivo, "elige otra carpeta para los cuadros")
    assert str(error.value) == f"carpeta={str(archivo)!r} es un archivo, no una carpeta: elige otra carpeta para los cuadros."
    # Con el texto que la nombra, como se lee en la terminal.
    with pytest.raises(ValueError) as error:
        opciones.exigir_carpeta(f"La salida «{archivo}»", str(archivo), "elige otra carpeta de salida")
    assert str(error.value) == f"La salida «{archivo}» es un archivo, no una carpeta: elige otra carpeta de salida."
