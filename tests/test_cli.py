import contextlib
import errno
import functools
import io
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import types
import warnings
from unittest import mock

import numpy as np
import pytest
from PIL import Image
from test_tarea import carpeta_pequena, sin_xla  # noqa: F401 (fixtures compartidas con las pruebas de la tarea)

from helpers import __main__ as cli
from helpers import punto_de_control
from helpers import tarea
from helpers.__main__ import main


@pytest.fixture(scope="module")
def demo_de_una_epoca(tmp_path_factory):
    """Una demo de 1 época: su ``carpeta`` y lo que escribió en la terminal (``salida``). Solo para leerla; quien la
    siga o la estropee, que use una copia."""
    carpeta = tmp_path_factory.mktemp("demo") / "demo"
    with contextlib.redirect_stdout(io.StringIO()) as salida:
        main(["demo", "--epocas", "1", "--salida", str(carpeta)])
    return types.SimpleNamespace(carpeta=carpeta, salida=salida.getvalue())


def test_demo_entrena_y_dice_donde_quedo_todo(demo_de_una_epoca, tmp_path, capsys):
    carpeta, salida = demo_de_una_epoca.carpeta, demo_de_una_epoca.salida
    for nombre in ("muestras.png", "evolucion.gif", "perdidas.png", "generador.keras"):
        assert (carpeta / nombre).stat().st_size > 0
        assert str(carpeta / nombre) in salida
    assert "/10 clases" in salida and "Entrenamiento terminado en" in salida
    # Una segunda llamada reanuda: ya no hay épocas pendientes, y no dice que haya entrenado.
    copia = shutil.copytree(carpeta, tmp_path / "demo")
    main(["demo", "--epocas", "1", "--salida", str(copia)])
    salida = capsys.readouterr().out
    assert "no queda nada más que entrenar" in salida and "Entrenamiento terminado" not in salida
    assert "añade --desde-cero" in salida


def test_la_demo_sin_espacio_dice_como_seguir_en_la_terminal(demo_de_una_epoca, tmp_path, monkeypatch, capsys):
    copia = shutil.copytree(demo_de_una_epoca.carpeta, tmp_path / "demo")

    def disco_lleno(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(punto_de_control, "guardar_npz", disco_lleno)
    assert _salir(["demo", "--epocas", "2", "--salida", copia]) == 1
    error = capsys.readouterr().err
    assert error.endswith(f"En «{copia}» queda el punto de control de la época 1. Libera espacio (en Google Drive, "
                          "vacía también la papelera). Para continuar: vuelve a lanzar la misma orden\n")


@pytest.mark.parametrize(
    "argumentos, mensaje",
    [
        (["demo", "--epocas", "cero"], "demo: error: argumento --epocas: 'cero' no es un número entero"),
        (["demo", "--epocas", "0"], "demo: error: argumento --epocas: debe ser un entero de al menos 1, no 0"),
        (["demo", "--semilla", "x"], "demo: error: argumento --semilla: 'x' no es un número entero"),
        (["demo", "--semilla", "-1"], "demo: error: argumento --semilla: debe ser un entero entre 0 y 4.294.967.295, no -1"),
        (["demo", "--epocas"], "demo: error: argumento --epocas: falta su valor"),
        # Antes: «maximo=0 no es válido», el nombre de Python, y «valor no válido: 'diez'», sin decir qué se espera.
        (["preparar", ".", "--maximo", "0"], "preparar: error: argumento --maximo: debe ser un entero de al menos 1, no 0"),
        (["preparar", ".", "--maximo", "diez"], "preparar: error: argumento --maximo: 'diez' no es un número entero"),
        (["demo", "--otra"], "helpers: error: argumentos no reconocidos: --otra"),
        # Antes: «ignored explicit argument 'si'», en inglés.
        (["demo", "--desde-cero=si"], "demo: error: argumento --desde-cero: no lleva valor: escribe --desde-cero sin «=si»"),
        ([], "helpers: error: faltan argumentos obligatorios: ORDEN"),
    ],
)
def test_errores_de_argumentos_como_argparse_en_espanol(argumentos, mensaje, capsys):
    assert _salir(argumentos) == 2
    error = capsys.readouterr().err
    assert error.startswith("uso: python -m helpers") and mensaje in error and "Traceback" not in error


def test_rutas_de_mas_dicen_que_hacer(tmp_path, capsys):
    # «revisar entregas/*.zip»: el intérprete de órdenes pasa un argumento por zip. Antes solo se leía
    # «argumentos no reconocidos», sin decir que revisar quiere la carpeta.
    for nombre in ("ana.zip", "beto.zip"):
        (tmp_path / nombre).write_bytes(b"")
    assert _salir(["revisar", str(tmp_path / "ana.zip"), str(tmp_path / "beto.zip")]) == 2
    error = capsys.readouterr().err
    assert f"argumentos no reconocidos: {tmp_path / 'beto.zip'}: revisar recibe una sola carpeta, la que tiene los .zip" in error
    # Una carpeta con espacios sin comillas («mis fotos», y «mis» existe) en cualquier otra orden.
    (tmp_path / "mis").mkdir()
    assert _salir(["preparar", str(tmp_path / "mis"), "fotos"]) == 2
    assert ('argumentos no reconocidos: fotos: si es parte de una ruta con espacios, escribe la ruta entre '
            'comillas (p. ej. "mis fotos")') in capsys.readouterr().err
    # «preparar fotos/*.jpg»: un argumento por foto. Antes le hablaba de una ruta con espacios, que no hay.
    for nombre in ("a.jpg", "b.jpg", "c.jpg"):
        (tmp_path / "mis" / nombre).write_bytes(b"")
    assert _salir(["preparar", *sorted((tmp_path / "mis").iterdir())]) == 2
    assert (f"argumentos no reconocidos: {tmp_path / 'mis' / 'b.jpg'} {tmp_path / 'mis' / 'c.jpg'}: preparar recibe la "
            "carpeta, no sus archivos: escribe solo la carpeta (p. ej. «fotos», no «fotos/*.jpg»)") in capsys.readouterr().err


def test_ayuda_en_espanol_sin_tocar_argparse(capsys):
    import argparse
    import gettext

    assert _salir(["demo", "--help"]) == 0
    ayuda = capsys.readouterr().out
    assert ayuda.startswith("uso: python -m helpers demo") and "opciones:" in ayuda
    assert "-h, --help" in ayuda and "muestra esta ayuda y termina" in ayuda and "--epocas EPOCAS" in ayuda
    assert _salir(["preparar", "-h"]) == 0
    assert "argumentos:" in capsys.readouterr().out
    # El módulo argparse queda como estaba: otros programas del mismo proceso siguen en inglés.
    assert argparse._ is gettext.gettext
    assert "usage:" in argparse.ArgumentParser(prog="otro").format_usage()


# --- La tarea con tus imágenes: preparar, entrenar y generar ---------------------------------


def _salir(argumentos):
    """Ejecuta la orden y devuelve su código de salida (0 si termina sin ``SystemExit``)."""
    try:
        main([str(a) for a in argumentos])
    except SystemExit as fin:
        return fin.code
    return 0


def _huellas(carpeta, excepto=()):
    """Tamaño y fecha de cada archivo bajo ``carpeta`` (sin las carpetas ``excepto``)."""
    return {
        p: (p.stat().st_size, p.stat().st_mtime_ns)
        for p in carpeta.rglob("*")
        if not any(p.is_relative_to(e) for e in excepto)
    }


def test_preparar_informa_y_dice_como_seguir(carpeta_pequena, tmp_path, capsys):
    assert _salir(["preparar", carpeta_pequena, "--salida", tmp_path, "--tamano", "32", "--sin-duplicados"]) == 0
    salida = capsys.readouterr().out
    preparada = tmp_path / "fotos_32px"
    assert len(list(preparada.glob("*.png"))) == 24
    assert "24 imágenes utilizables, 1 descartada" in salida and "leeme.txt" in salida
    assert f"Imágenes preparadas en: {preparada}" in salida
    assert f"python -m helpers entrenar {preparada} --tamano 32" in salida


def test_preparar_con_pocas_imagenes_no_propone_entrenar(carpeta_pequena, tmp_path, capsys):
    # Antes, «Siguiente paso: python -m helpers entrenar …», que fallaba con «hacen falta al menos 10».
    pocas = tmp_path / "pocas"
    pocas.mkdir()
    for foto in sorted(carpeta_pequena.glob("*.png"))[:3]:
        shutil.copy(foto, pocas)
    assert _salir(["preparar", pocas, "--salida", tmp_path / "res", "--tamano", "32"]) == 0
    salida = capsys.readouterr().out
    assert salida.endswith(f"Con 3 imágenes no basta para entrenar: hacen falta al menos 10 (mejor, cientos). Añade más "
                           f"fotos a «{pocas}» y vuelve a prepararlas.\n") and "entrenar " not in salida


def test_preparar_otra_vez_lo_mismo_no_deja_otra_copia(carpeta_pequena, tmp_path, capsys):
    for _ in range(2):
        assert _salir(["preparar", carpeta_pequena, "--salida", tmp_path, "--tamano", "32"]) == 0
    salida = capsys.readouterr().out
    assert f"«{tmp_path / 'fotos_32px'}» ya tiene exactamente estas imágenes preparadas" in salida
    assert salida.count(f"Imágenes preparadas en: {tmp_path / 'fotos_32px'}\n") == 2
    assert not (tmp_path / "fotos_32px_2").exists()


def test_preparar_propone_una_carpeta_de_entrenamiento_libre(carpeta_pequena, tmp_path, monkeypatch, capsys):
    # Antes proponía siempre «--salida resultados/mi_gan», aunque ya tuviera un entrenamiento (entrenar lo rechaza).
    monkeypatch.setenv("CURSO_GAN_RESULTADOS", str(tmp_path / "resultados"))
    (tmp_path / "resultados" / "mi_gan").mkdir(parents=True)
    assert _salir(["preparar", carpeta_pequena, "--salida", tmp_path / "preparadas", "--tamano", "32"]) == 0
    assert capsys.readouterr().out.rstrip().endswith(f"--salida {tmp_path / 'resultados' / 'mi_gan_2'}")


def test_preparar_con_recorte_relleno(tmp_path, capsys):
    # El aviso de las imágenes muy alargadas propone «--recorte relleno»: antes la orden no lo tenía.
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    Image.new("RGB", (400, 40), "red").save(fotos / "banner.png")
    assert _salir(["preparar", fotos, "--salida", tmp_path / "res", "--tamano", "32"]) == 0
    assert "prepáralas con recorte='relleno' (en la terminal, preparar --recorte relleno)" in capsys.readouterr().out
    assert _salir(["preparar", fotos, "--salida", tmp_path / "res", "--tamano", "32", "--recorte", "relleno"]) == 0
    assert "muy alargada" not in capsys.readouterr().out
    rellena = np.asarray(Image.open(next((tmp_path / "res" / "fotos_32px_2").glob("*.png"))))
    assert (rellena[0] == 255).all() and (rellena[16] == (255, 0, 0)).all()  # bandas blancas y el banner entero


def test_entrenar_cortar_reanudar_y_generar(carpeta_pequena, tmp_path, sin_xla, monkeypatch, capsys):
    salida, generadas = tmp_path / "mi gan", tmp_path / "generadas"
    antes = _huellas(carpeta_pequena.parent)
    orden = ["entrenar", carpeta_pequena, "--tamano", "32", "--epocas", "3", "--salida", salida, "--lote", "8"]

    # Un Ctrl-C a mitad de la 2.ª época: mensaje corto, sin traza, y la orden exacta para seguir.
    cortar = functools.partial(tarea.entrenar_carpeta, callbacks=[tarea.SimularCorte(1)])
    monkeypatch.setattr(cli, "entrenar_carpeta", cortar)
    assert _salir(orden) == 130
    texto = capsys.readouterr()
    assert "hasta la época 1" in texto.out and "Traceback" not in texto.out + texto.err
    seguir = f"python -m helpers entrenar {carpeta_pequena} --tamano 32 --epocas 3 --salida '{salida}' --lote 8 --continuar"
    assert seguir in texto.out
    monkeypatch.setattr(cli, "entrenar_carpeta", tarea.entrenar_carpeta)

    # Sin --continuar no se pisa el entrenamiento guardado.
    assert _salir(orden) == 1
    error = capsys.readouterr().err
    assert "error:" in error and "ya tiene un entrenamiento (punto de control de la época 1)" in error and "--continuar" in error

    # Con --continuar sigue desde la época 1; --minutos lo para al terminar la primera época.
    assert _salir([*orden, "--continuar", "--minutos", "0.0001"]) == 0
    texto = capsys.readouterr().out
    assert "Reanudo desde la época 1" in texto and "Entrenadas 2 de 3 épocas" in texto
    assert "--minutos 0.0001 --lote 8 --continuar" in texto
    assert tarea.epoca_guardada(salida) == 2

    assert _salir(["generar", "--modelo", salida / "generador.keras", "--n", "9", "--salida", generadas, "--interpolacion"]) == 0
    assert str(generadas / "interpolacion.png") in capsys.readouterr().out
    assert (generadas / "muestras.png").stat().st_size > 0
    # Fuera de las carpetas de resultados no cambió nada (tus imágenes, tampoco).
    assert _huellas(carpeta_pequena.parent) == antes
    assert {p.name for p in tmp_path.iterdir()} == {"mi gan", "generadas"}


@pytest.mark.parametrize(
    "argumentos, codigo, mensaje",
    [
        (["entrenar", "{no_existe}"], 2, "no encuentro «{no_existe}»: comprueba la ruta"),
        (["entrenar", "{fotos}", "--tamano", "48"], 2, "--tamano: opción no válida: 48 (elige entre 32, 64, 128)"),
        (["entrenar", "{fotos}", "--epocas", "0"], 2, "--epocas: debe ser un entero de al menos 1, no 0"),
        (["entrenar", "{fotos}", "--epocas", "diez"], 2, "--epocas: 'diez' no es un número entero"),
        (["entrenar", "{fotos}", "--minutos", "-5"], 2, "--minutos: debe ser un número positivo y finito (p. ej. 30 o 0,5), no -5"),
        (["entrenar", "{fotos}", "--lote", "1"], 2, "--lote: debe ser un entero de al menos 2, no 1"),
        (["entrenar", "{fotos}", "--semilla", "-1"], 2, "--semilla: debe ser un entero entre 0 y 4.294.967.295, no -1"),
        (["entrenar", "{fotos}", "--salida", "{fotos}/resultados"], 1, "está dentro de la de imágenes"),
        (["entrenar", "{pocas}", "--tamano", "32"], 1, "Solo hay 3 imágenes utilizables"),
        (["entrenar", "{fotos}", "--salida", "{archivo}"], 1, "La salida «{archivo}» es un archivo, no una carpeta"),
        (["entrenar", "{fotos}", "--salida", "{modelos}"], 1, "«{modelos}» ya tiene archivos (generador.keras) y no es la carpeta de una tarea"),
        (["demo", "--salida", "{tarea}"], 1, "«{tarea}» es la carpeta de una tarea (tiene tarea.json)"),
        (["demo", "--salida", "{archivo}"], 1, "--salida «{archivo}» es un archivo: la demo escribe en una carpeta"),
        (["generar", "--modelo", "{roto}", "--salida", ""], 2, "--salida: está vacía: escribe la ruta"),
        (["generar", "--modelo", " "], 2, "--modelo: está vacía: escribe la ruta"),
        (["preparar", ""], 2, "CARPETA_O_ZIP: está vacía: escribe la ruta"),
        (["preparar", "{no_existe}"], 2, "no encuentro «{no_existe}»"),
        (["preparar", "{fotos}", "--tamano", "100"], 2, "--tamano: opción no válida: 100"),
        (["preparar", "{vacia}"], 1, "no tiene ninguna imagen utilizable"),
        # Como entrenar; antes, «salida='…'», el nombre de Python del parámetro.
        (["preparar", "{fotos}", "--salida", "{archivo}"], 1, "La salida «{archivo}» es un archivo, no una carpeta"),
        (["preparar", "{fotos}", "--salida", "{archivo}/sub"], 1,
         "no se pudo usar «{archivo}/sub»: una parte de la ruta es un archivo, no una carpeta"),
        (["generar"], 2, "faltan argumentos obligatorios: --modelo"),
        (["generar", "--modelo", "modelo.h5"], 1, "«modelo.h5» no es un archivo .keras"),
        (["generar", "--modelo", "{no_existe}.keras"], 1, "No encuentro el modelo «{no_existe}.keras»"),
        (["generar", "--modelo", "{roto}"], 1, "No puedo cargar «{roto}»"),
        (["generar", "--modelo", "{roto}", "--n", "0"], 2, "--n: debe ser un entero entre 1 y 1.024, no 0"),
        (["entrenar"], 2, "faltan argumentos obligatorios: CARPETA"),
        (["otra"], 2, "opción no válida: 'otra'"),
    ],
)
def test_errores_en_espanol_sin_traza(argumentos, codigo, mensaje, carpeta_pequena, tmp_path, capsys):
    rutas = {"fotos": carpeta_pequena, "no_existe": tmp_path / "no_existe", "pocas": tmp_path / "pocas",
             "vacia": tmp_path / "vacia", "roto": tmp_path / "roto.keras", "archivo": tmp_path / "notas.txt",
             "modelos": tmp_path / "modelos", "tarea": tmp_path / "tarea"}
    for carpeta, archivo in (("modelos", "generador.keras"), ("tarea", "tarea.json")):  # de otro, no del kit
        (tmp_path / carpeta).mkdir()
        (tmp_path / carpeta / archivo).write_bytes(b"mio")
    (tmp_path / "notas.txt").write_text("un archivo, no una carpeta", encoding="utf-8")
    (tmp_path / "vacia").mkdir()
    (tmp_path / "vacia" / "notas.txt").write_text("sin fotos", encoding="utf-8")
    (tmp_path / "pocas").mkdir()
    for i, color in enumerate(("red", "green", "blue")):
        Image.new("RGB", (32, 32), color).save(tmp_path / "pocas" / f"{i}.png")
    (tmp_path / "roto.keras").write_bytes(b"PK\x03\x04 a medias")
    assert _salir([a.format(**rutas) for a in argumentos]) == codigo
    error = capsys.readouterr().err
    assert "error: " in error and mensaje.format(**rutas) in error and "Traceback" not in error
    assert not (carpeta_pequena / "resultados").exists()
    assert [p.name for p in (tmp_path / "modelos").iterdir()] == ["generador.keras"]  # nada tuyo se toca
    assert [p.name for p in (tmp_path / "tarea").iterdir()] == ["tarea.json"]
    assert (tmp_path / "modelos" / "generador.keras").read_bytes() == b"mio"


def test_ctrl_c_fuera_del_entrenamiento(carpeta_pequena, tmp_path, monkeypatch, capsys):
    def interrumpir(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "preparar_imagenes", interrumpir)
    assert _salir(["preparar", carpeta_pequena, "--salida", tmp_path]) == 130
    assert capsys.readouterr().err.strip() == "Interrumpido."
    # Si quien se interrumpe lo explica (preparar_imagenes, la demo), la orden da ese mensaje.
    interrumpida = mock.Mock(side_effect=KeyboardInterrupt("Preparación interrumpida."))
    monkeypatch.setattr(cli, "preparar_imagenes", interrumpida)
    assert _salir(["preparar", carpeta_pequena, "--salida", tmp_path]) == 130
    assert capsys.readouterr().err.strip() == "Preparación interrumpida."


def test_entrenamiento_inestable_sin_traza(carpeta_pequena, tmp_path, monkeypatch, capsys):
    # Lo que hace entrenar_carpeta ante una pérdida no finita (helpers.entrenamiento): la CLI solo da el mensaje.
    def inestable(*args, **kwargs):
        raise FloatingPointError("El entrenamiento se volvió inestable en la época 3: baja la tasa.")

    monkeypatch.setattr(cli, "entrenar_carpeta", inestable)
    assert _salir(["entrenar", carpeta_pequena, "--salida", tmp_path / "gan"]) == 1
    error = capsys.readouterr().err
    assert error.strip() == "error: El entrenamiento se volvió inestable en la época 3: baja la tasa."


def test_la_orden_para_continuar_se_lee_igual(tmp_path):
    # Lo que imprime entrenar al cortarse se vuelve a leer con las mismas opciones (una semilla grande
    # no sale en notación científica; las rutas con espacios y comillas van entre comillas).
    fotos = tmp_path / "mis fotos d'Ana"
    fotos.mkdir()
    orden = tarea.orden_continuar(fotos, tmp_path / "mi gan", 64, epocas=300, minutos=0.5, semilla=12345678, lote=8,
                                  una_gpu=True)
    partes = shlex.split(orden)
    assert partes[:3] == ["python", "-m", "helpers"] and partes[-1] == "--continuar"
    args = cli._analizador().parse_args(partes[3:])
    assert (args.carpeta, args.salida, args.tamano, args.epocas, args.minutos, args.semilla, args.lote, args.una_gpu) == (
        str(fotos), str(tmp_path / "mi gan"), 64, 300, 0.5, 12345678, 8, True)


def test_un_kill_se_trata_como_un_ctrl_c(carpeta_pequena, tmp_path, monkeypatch, capsys):
    # SIGTERM (un «kill», cerrar el portátil) llega como KeyboardInterrupt al entrenamiento, que guarda
    # su punto de control y dice cómo seguir (lo mismo que tras un Ctrl-C, probado en test_tarea).
    def matar(*args, **kwargs):
        assert signal.getsignal(signal.SIGTERM) is cli._como_ctrl_c  # sin ella, la señal mataría pytest
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(30)  # la señal interrumpe la espera
        raise AssertionError("SIGTERM no interrumpió la orden")

    anterior = signal.getsignal(signal.SIGTERM)
    monkeypatch.setattr(cli, "entrenar_carpeta", matar)
    try:
        assert _salir(["entrenar", carpeta_pequena, "--salida", tmp_path / "gan"]) == 130
    finally:
        signal.signal(signal.SIGTERM, anterior)
    assert capsys.readouterr().err.strip() == "Interrumpido."


def test_la_demo_no_escribe_en_una_carpeta_ajena(tmp_path, capsys):
    mia = tmp_path / "Documentos"
    (mia / "muestras").mkdir(parents=True)
    (mia / "perdidas.png").write_bytes(b"mi dibujo")
    (mia / "muestras" / "epoca_2023_viaje.png").write_bytes(b"mi foto")
    assert _salir(["demo", "--epocas", "1", "--salida", mia]) == 1
    assert f"«{mia}» tiene archivos que no son de una demo (en muestras: epoca_2023_viaje.png)" in capsys.readouterr().err
    assert sorted(p.relative_to(mia).as_posix() for p in mia.rglob("*")) == ["muestras", "muestras/epoca_2023_viaje.png", "perdidas.png"]
    assert (mia / "perdidas.png").read_bytes() == b"mi dibujo"


def _orden(*argumentos, **opciones):
    entorno = {**os.environ, **opciones.pop("entorno", {})}
    return subprocess.Popen([sys.executable, "-m", "helpers", *map(str, argumentos)], text=True, env=entorno,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **opciones)


# Lo carga Python al arrancar (sitecustomize): manda un Ctrl-C al propio proceso justo cuando empieza a
# importarse TensorFlow, que es donde pasa la mayor parte de la espera antes de la orden.
CTRL_C_AL_IMPORTAR_TENSORFLOW = """
import os, signal, sys

signal.signal(signal.SIGINT, signal.default_int_handler)  # como en una terminal, aunque pytest corra en segundo plano

class CtrlCAlImportarTensorflow:
    def find_spec(self, nombre, ruta=None, objetivo=None):
        if nombre == "tensorflow":
            sys.meta_path.remove(self)
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlCAlImportarTensorflow())
"""


def test_ctrl_c_mientras_se_carga_tensorflow(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(CTRL_C_AL_IMPORTAR_TENSORFLOW, encoding="utf-8")
    ruta_python = os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")]))
    orden = _orden("generar", "--modelo", tmp_path / "no_existe.keras", entorno={"PYTHONPATH": ruta_python})
    salida, error = orden.communicate(timeout=300)
    assert error.strip() == "Interrumpido mientras se cargaba TensorFlow, antes de empezar la orden: no se ha hecho nada."
    assert salida == "" and orden.returncode == 130


@pytest.mark.parametrize("codificacion", ["ascii", "cp1252"])
def test_una_consola_que_no_es_utf8_no_tumba_la_orden(codificacion, tmp_path):
    # cp1252: lo que recibe un archivo al redirigir la salida en Windows; ascii: LC_ALL=C sin UTF-8.
    ayuda = _orden("entrenar", "--help", entorno={"PYTHONIOENCODING": codificacion}, encoding=codificacion)
    salida, error = ayuda.communicate(timeout=300)
    assert ayuda.returncode == 0 and "Traceback" not in error and "--continuar" in salida
    fallo = _orden("entrenar", tmp_path / "no_está", entorno={"PYTHONIOENCODING": codificacion}, encoding=codificacion,
                   errors="replace")
    _, error = fallo.communicate(timeout=300)
    assert fallo.returncode == 2 and "Traceback" not in error and "comprueba la ruta" in error


def test_una_salida_cerrada_no_se_confunde_con_una_ruta_mala(carpeta_pequena, tmp_path):
    # «python -m helpers preparar … | head -1»: quien lee se va antes de que la orden escriba.
    orden = _orden("preparar", carpeta_pequena, "--salida", tmp_path, "--tamano", "32")
    orden.stdout.close()
    error = orden.stderr.read()
    orden.wait(timeout=300)
    assert orden.returncode == 1 and "Traceback" not in error and "error" not in error


def test_los_errores_del_sistema_en_espanol_y_con_el_consejo_que_toca():
    assert cli._explicar(OSError(errno.ENOSPC, "No space left on device", "resultados/x.png")) == (
        "no se pudo escribir «resultados/x.png»: no queda espacio en el disco. Libera espacio (en Google Drive, vacía "
        "también la papelera) o elige una carpeta de otro disco y vuelve a intentarlo.")
    assert cli._explicar(PermissionError(errno.EACCES, "Permission denied", "/fotos")) == (
        "no se pudo usar «/fotos»: no tienes permiso para usarlo. Corrige la ruta o elige otra carpeta y vuelve a intentarlo.")


def test_la_demo_con_virgulilla_sin_expandir_no_escribe_en_una_tarea(tmp_path, monkeypatch, capsys):
    # «--salida=~/t» llega sin expandir (bash solo expande «~» al principio de una palabra).
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "tarea.json").write_text("{}", encoding="utf-8")
    assert _salir(["demo", "--epocas", "1", "--salida=~/t"]) == 1
    assert f"«{tmp_path / 't'}» es la carpeta de una tarea" in capsys.readouterr().err
    assert [r.name for r in (tmp_path / "t").iterdir()] == ["tarea.json"]


def test_la_demo_sigue_en_su_carpeta_tras_un_corte(tmp_path):
    # Lo que deja una demo cortada al empezar de cero (su cuadrícula, una carpeta de cuadros vacía, Thumbs.db
    # de Windows) no es de nadie más: la siguiente demo entrena ahí.
    carpeta = tmp_path / "demo"
    (carpeta / "muestras").mkdir(parents=True)
    (carpeta / "muestras.png").write_bytes(b"cuadricula de antes")
    (carpeta / "Thumbs.db").write_bytes(b"")
    assert _salir(["demo", "--epocas", "1", "--salida", carpeta]) == 0
    assert (carpeta / "generador.keras").exists()


def test_la_demo_cortada_dice_como_seguir_con_la_misma_orden(tmp_path, monkeypatch, capsys):
    import helpers

    entrenar, carpeta = helpers.entrenar, tmp_path / "demo"
    monkeypatch.setattr(helpers, "entrenar", lambda *args, **opciones: entrenar(
        *args, **opciones, callbacks=[helpers.SimularCorte(1)]))
    assert _salir(["demo", "--epocas", "2", "--salida", carpeta]) == 130
    assert capsys.readouterr().err.strip().endswith(
        f"Demo interrumpida: en «{carpeta}» queda guardado todo hasta la época 1. Para seguir desde ahí, vuelve a "
        "lanzar la misma orden.")
    monkeypatch.setattr(helpers, "entrenar", entrenar)
    assert _salir(["demo", "--epocas", "2", "--salida", carpeta]) == 0
    assert "Reanudo desde la época 1" in capsys.readouterr().out


def test_las_senales_vuelven_a_su_manejador_y_nohup_se_respeta(monkeypatch):
    # Con nohup, SIGHUP se ignora: la orden no lo cambia. Al terminar, cada señal vuelve a su manejador.
    anteriores = {numero: signal.getsignal(numero) for numero in (signal.SIGTERM, signal.SIGHUP)}
    vistas = {}
    monkeypatch.setattr(cli, "apuntar", lambda args: vistas.update(
        {numero: signal.getsignal(numero) for numero in (signal.SIGTERM, signal.SIGHUP)}))
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        assert _salir(["apuntar", "ana/curso-gan"]) == 0
        assert vistas == {signal.SIGTERM: cli._como_ctrl_c, signal.SIGHUP: signal.SIG_IGN}
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL and signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        for numero, manejador in anteriores.items():
            signal.signal(numero, manejador)


def test_lo_que_dice_una_demo_interrumpida_segun_lo_guardado(tmp_path, monkeypatch):
    guardadas = iter([0, 2, 5])
    monkeypatch.setattr(cli, "epoca_guardada", lambda carpeta: next(guardadas))
    assert cli._demo_interrumpida(tmp_path, 5, False) == (
        f"Demo interrumpida antes de terminar la primera época: no hay nada guardado en «{tmp_path}». Vuelve a lanzar "
        "la orden para empezar.")
    assert cli._demo_interrumpida(tmp_path, 5, True).endswith("Para seguir desde ahí, vuelve a lanzar la misma orden "
                                                              "sin --desde-cero.")
    assert cli._demo_interrumpida(tmp_path, 5, False) == (
        f"Demo interrumpida al terminar: las 5 épocas están guardadas en «{tmp_path}». Vuelve a lanzar la misma orden "
        "para completar lo que falte (muestras, GIF, curvas y generador).")


def test_los_avisos_salen_como_una_linea_en_espanol(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "quizás")  # un valor que no se entiende: la terminal avisa
    antes = warnings.showwarning
    (tmp_path / "vacia").mkdir()
    assert _salir(["entrenar", tmp_path / "vacia", "--salida", tmp_path / "r"]) == 1
    error = capsys.readouterr().err
    assert "Aviso: CURSO_GAN_RAPIDO='quizás' no se entiende" in error
    assert "UserWarning" not in error and "entorno.py" not in error
    assert warnings.showwarning is antes


def test_la_tarea_entera_en_una_carpeta_de_red(carpeta_pequena, tmp_path, sin_xla, monkeypatch, capsys):
    # Una unidad de red o una memoria USB: fsync sin efecto (EINVAL), sin enlaces duros ni cerrojos.
    fcntl = pytest.importorskip("fcntl")

    def no_admitido(codigo):
        def falla(*args, **kwargs):
            raise OSError(codigo, os.strerror(codigo))
        return falla

    monkeypatch.setattr(os, "fsync", no_admitido(errno.EINVAL))
    monkeypatch.setattr(os, "link", no_admitido(errno.EPERM))
    monkeypatch.setattr(fcntl, "flock", no_admitido(errno.ENOLCK))
    preparada, resultados, entregas = tmp_path / "fotos_32px", tmp_path / "mi gan", tmp_path / "entregas"
    assert _salir(["preparar", carpeta_pequena, "--salida", tmp_path, "--tamano", "32"]) == 0
    assert _salir(["entrenar", preparada, "--tamano", "32", "--epocas", "2", "--salida", resultados, "--lote", "8"]) == 0
    assert _salir(["entregar", resultados, "--salida", entregas / "ana.zip", "--nombre", "Ana"]) == 0
    assert _salir(["revisar", entregas, "--salida", tmp_path / "clase.html"]) == 0
    texto = capsys.readouterr()
    assert "Traceback" not in texto.out + texto.err and "error:" not in texto.err
    assert "Ana" in (tmp_path / "clase.html").read_text(encoding="utf-8")
    assert not [p.name for p in tmp_path.rglob("*.tmp*")]  # ningún temporal a medias


def test_sin_espacio_en_el_disco_dice_que_archivo_y_la_orden_para_seguir(carpeta_pequena, tmp_path, sin_xla, monkeypatch,
                                                                        capsys):
    salida = tmp_path / "mi gan"
    orden = ["entrenar", carpeta_pequena, "--tamano", "32", "--salida", salida, "--lote", "8"]
    assert _salir([*orden, "--epocas", "1"]) == 0

    def disco_lleno(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    capsys.readouterr()
    with monkeypatch.context() as parche:
        parche.setattr(punto_de_control, "guardar_npz", disco_lleno)  # el punto de control ya no cabe
        assert _salir([*orden, "--epocas", "2", "--continuar"]) == 1
    seguir = f"python -m helpers entrenar {carpeta_pequena} --tamano 32 --epocas 2 --salida '{salida}' --lote 8 --continuar"
    assert capsys.readouterr().err == (
        f"error: Entrenamiento detenido: no se pudo escribir «{salida / punto_de_control.ARCHIVO_ESTADO}»: no queda espacio en el "
        f"disco. En «{salida}» queda el punto de control de la época 1. Libera espacio (en Google Drive, vacía también la "
        f"papelera). Para continuar: {seguir}\n")
    assert _salir(shlex.split(seguir)[3:]) == 0  # con espacio, la orden que dio termina el entrenamiento
    assert tarea.epoca_guardada(salida) == 2


def test_una_ruta_con_virgulilla_entre_comillas_se_expande(tmp_path, monkeypatch, capsys):
    # «"~/mis fotos"» entre comillas (por el espacio), o cualquier «~» en Windows, llega sin expandir: antes,
    # «no encuentro «~/mis fotos»» aunque existiera, mientras preparar_imagenes sí lo encontraba.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))  # Windows
    (tmp_path / "mis fotos").mkdir()
    for i, color in enumerate(("red", "green", "blue")):
        Image.new("RGB", (32, 32), color).save(tmp_path / "mis fotos" / f"{i}.png")
    assert _salir(["preparar", "~/mis fotos", "--salida", tmp_path / "salida", "--tamano", "32"]) == 0
    assert len(list((tmp_path / "salida" / "mis fotos_32px").glob("*.png"))) == 3
    capsys.readouterr()
    monkeypatch.chdir(tmp_path)  # una ruta relativa que no existe dice dónde se buscó, como en Python
    assert _salir(["preparar", "fotos"]) == 2
    assert f"no encuentro «fotos»: comprueba la ruta (la busqué en {tmp_path / 'fotos'})" in capsys.readouterr().err
