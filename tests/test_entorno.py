import logging
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest

from helpers import entorno, repositorio


def test_modo_rapido_lee_la_variable(monkeypatch, capsys):
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "1")
    assert entorno.modo_rapido()
    assert entorno.limitar(500, 20) == 20 and capsys.readouterr().out == ""
    # Con lo que se recorta, lo dice (solo si recorta).
    assert entorno.limitar(30, 20, "épocas") == 20 and entorno.limitar(10, 20, "épocas") == 10
    assert capsys.readouterr().out == "Modo rápido: como mucho 20 épocas en lugar de 30.\n"
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "0")
    assert not entorno.modo_rapido()
    assert entorno.limitar(500, 20, "épocas") == 500 and capsys.readouterr().out == ""
    monkeypatch.delenv("CURSO_GAN_RAPIDO")
    assert not entorno.modo_rapido()
    monkeypatch.setenv("CURSO_GAN_RAPIDO", " On ")
    assert entorno.modo_rapido()
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "verdadero")
    with pytest.warns(UserWarning, match="CURSO_GAN_RAPIDO='verdadero' no se entiende.*Sigo en modo completo"):
        assert not entorno.modo_rapido()


@pytest.mark.parametrize(
    "capacidad, politica",
    [(None, "float32"), ((6, 0), "float32"), ((7, 5), "mixed_float16"), ((8, 0), "mixed_bfloat16"), ((9, 0), "mixed_bfloat16")],
)
def test_politica_de_precision_segun_la_gpu(capacidad, politica):
    assert entorno.politica_precision(capacidad) == politica


@pytest.fixture
def politica_restaurada():
    """Deja la política de precisión global de Keras como estaba, pase lo que pase en la prueba."""
    import keras

    antes = keras.mixed_precision.global_policy().name
    yield
    keras.mixed_precision.set_global_policy(antes)


@pytest.mark.parametrize("capacidad", [None, (7, 5), (9, 0)])
def test_activar_precision_mixta_sigue_al_dispositivo(capacidad, monkeypatch, politica_restaurada):
    import keras

    monkeypatch.setattr(entorno, "capacidad_gpu", lambda: capacidad)
    assert entorno.activar_precision_mixta() == entorno.politica_precision(capacidad)
    assert keras.mixed_precision.global_policy().name == entorno.politica_precision(capacidad)


def test_el_dispositivo_descrito_es_el_que_ve_tensorflow():
    import tensorflow as tf

    hay_gpu = bool(tf.config.list_physical_devices("GPU"))
    assert entorno.describir_dispositivo().startswith("GPU" if hay_gpu else "CPU")
    assert (entorno.capacidad_gpu() is not None) == hay_gpu


def test_carpeta_resultados(monkeypatch, tmp_path):
    monkeypatch.delenv(entorno.VARIABLE_RESULTADOS, raising=False)
    assert entorno.carpeta_resultados("demo") == Path("resultados/demo")
    assert entorno.carpeta_resultados() == Path("resultados")
    monkeypatch.setenv(entorno.VARIABLE_RESULTADOS, str(tmp_path))
    assert entorno.carpeta_resultados("06_tarea", "mi_gan") == tmp_path / "06_tarea" / "mi_gan"
    assert not (tmp_path / "06_tarea").exists()  # solo da la ruta


@pytest.mark.parametrize("backend", ["jax", "torch"])
def test_otro_backend_de_keras_da_un_mensaje_en_espanol(backend):
    entorno_hijo = {**os.environ, "KERAS_BACKEND": backend}
    proceso = subprocess.run([sys.executable, "-c", "import helpers"], env=entorno_hijo, capture_output=True, text=True)
    assert proceso.returncode != 0
    ultima = proceso.stderr.strip().splitlines()[-1]
    assert ultima.startswith("ImportError: ") and f"KERAS_BACKEND={backend}" in ultima and "necesita TensorFlow" in ultima
    # Un solo error, el nuestro: Keras no llegó a buscar el backend pedido.
    assert proceso.stderr.count("Traceback") == 1 and "ModuleNotFoundError" not in proceso.stderr


@pytest.mark.parametrize(("biblioteca", "version", "sirve"), [
    ("Keras", "3.12.4", False), ("Keras", "3.2.1", False), ("Keras", "2.15.0", False), ("Keras", "3.13.0", True),
    ("Keras", "3.16.0.dev2026101003", True), ("TensorFlow", "2.15.1", False), ("TensorFlow", "2.16.0rc0", True),
    ("TensorFlow", "2.21.0", True),
])
def test_una_version_antigua_se_explica(biblioteca, version, sirve):
    if sirve:
        entorno.comprobar_version(biblioteca, version)
        return
    minima, modulo = ("3.13", "keras") if biblioteca == "Keras" else ("2.16", "tensorflow")
    with pytest.raises(ImportError) as error:
        entorno.comprobar_version(biblioteca, version)
    mensaje = str(error.value)
    assert mensaje.startswith(f"El curso necesita {biblioteca} {minima} o posterior y tienes la versión {version}")
    assert f'pip install -U "{modulo}>={minima}"' in mensaje
    assert ("Keras 2 no sirve" in mensaje) == (version == "2.15.0")


@pytest.mark.parametrize("modulo", ["keras", "tensorflow"])
def test_importar_helpers_con_una_version_antigua_lo_explica_y_nada_mas(modulo):
    # La versión que dice tener la biblioteca ya importada, como si fuera otra: helpers la lee de ahí.
    orden = f"import {modulo}; {modulo}.__version__ = '2.15.0'; import helpers"
    proceso = subprocess.run([sys.executable, "-c", orden], capture_output=True, text=True)
    ultima = proceso.stderr.strip().splitlines()[-1]
    assert ultima.startswith("ImportError: El curso necesita") and "tienes la versión 2.15.0" in ultima
    assert proceso.stderr.count("Traceback") == 1


def test_las_versiones_minimas_son_las_de_pyproject_y_las_que_prueba_la_ci():
    raiz = Path(__file__).parents[1]
    requisitos = tomllib.loads((raiz / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    minimos = dict(re.fullmatch(r"([\w-]+)>=(\d+\.\d+)", requisito).groups() for requisito in requisitos if ">=" in requisito)
    probadas = dict(re.findall(r"^([\w-]+)==(\d+\.\d+)\.\d+$", (raiz / ".ci" / "minimas-restricciones.txt").read_text(
        encoding="utf-8"), re.M))
    assert len(minimos) == 9 and {nombre: probadas.get(nombre) for nombre in minimos} == minimos
    assert {biblioteca.lower(): f"{mayor}.{menor}" for biblioteca, (mayor, menor) in entorno.VERSIONES_MINIMAS.items()
            } == {nombre: minimos[nombre] for nombre in ("tensorflow", "keras")}


@pytest.mark.parametrize("situacion", ["otro backend", "falta helpers", "falta scipy"])
def test_la_celda_de_preparacion_fuera_de_colab_dice_que_falla_al_importar(situacion):
    entorno_hijo, antes = {**os.environ}, ""
    if situacion == "otro backend":  # helpers está, pero no se puede usar: su propio mensaje
        entorno_hijo["KERAS_BACKEND"], esperado = "jax", "KERAS_BACKEND=jax: el curso necesita TensorFlow"
    else:  # como si no estuviera instalado
        modulo = situacion.split()[1]
        antes, esperado = f"import sys; sys.modules[{modulo!r}] = None\n", f"Falta el paquete {modulo}: instala el kit"
    proceso = subprocess.run([sys.executable, "-c", antes + repositorio.celda_preparacion()], env=entorno_hijo,
                             capture_output=True, text=True)
    ultima = proceso.stderr.strip().splitlines()[-1]
    assert ultima.startswith("ImportError: ") and esperado in ultima and proceso.stderr.count("Traceback") == 1


def test_el_backend_tensorflow_se_acepta(monkeypatch):
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    entorno.comprobar_backend()
    monkeypatch.delenv("KERAS_BACKEND")
    entorno.comprobar_backend()


def test_fijar_semilla_repite_los_numeros():
    import keras

    entorno.fijar_semilla(7)
    a = (np.random.rand(3), keras.random.normal((3,)).numpy())
    entorno.fijar_semilla(7)
    b = (np.random.rand(3), keras.random.normal((3,)).numpy())
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


@pytest.mark.parametrize("semilla", [1.5, -1, 2**32, "0"])
def test_fijar_semilla_explica_una_semilla_no_valida(semilla):
    # Antes: 1.5 se truncaba a 1 en silencio y -1 o 2**32 daban el error en inglés de NumPy.
    with pytest.raises(ValueError, match=r"semilla=.* no es válida: usa un número entero de 0 a"):
        entorno.fijar_semilla(semilla)
    entorno.fijar_semilla(np.int64(7))  # un entero de NumPy sigue valiendo


def test_colab_se_detecta_por_el_modulo(monkeypatch):
    import sys
    import types

    assert not entorno.en_colab()
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    assert entorno.en_colab()


def test_limitar_escribe_las_cifras_como_en_espanol(monkeypatch, capsys):
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "1")
    assert entorno.limitar(5000, 512, "imágenes") == 512
    assert "como mucho 512 imágenes en lugar de 5.000." in capsys.readouterr().out


def test_en_exclusiva_sin_cerrojos_en_el_sistema_de_archivos_trabaja_igual(tmp_path, monkeypatch):
    import errno

    fcntl = pytest.importorskip("fcntl")  # el cerrojo de POSIX; en Windows es otro

    def sin_cerrojos(*args):
        raise OSError(errno.ENOTSUP, "Operation not supported")  # algunas unidades de red o en la nube

    monkeypatch.setattr(fcntl, "flock", sin_cerrojos)
    dentro = []
    with entorno.en_exclusiva(tmp_path, "ocupada"):
        dentro.append(True)
    assert dentro == [True]


def test_cada_subida_de_colab_va_a_su_carpeta_y_se_explica_lo_que_no_sirve(tmp_path):
    fotos = entorno.guardar_subida({"a.jpg": b"1", "b.png": b"2"}, tmp_path / "subidas")
    assert sorted(p.name for p in fotos.iterdir()) == ["a.jpg", "b.png"] and fotos.parent == tmp_path / "subidas"
    otra = entorno.guardar_subida({"c.jpg": b"3"}, tmp_path / "subidas")  # la anterior no se mezcla
    assert [p.name for p in otra.iterdir()] == ["c.jpg"] and otra != fotos
    archivo_zip = entorno.guardar_subida({"gatos.zip": b"PK"}, tmp_path / "subidas")
    assert archivo_zip.name == "gatos.zip" and archivo_zip.read_bytes() == b"PK"
    assert entorno.guardar_subida({"../fuera.jpg": b"4"}, tmp_path / "subidas").joinpath("fuera.jpg").exists()
    assert not (tmp_path / "fuera.jpg").exists()
    with pytest.raises(ValueError, match=r"No subiste ningún archivo \(¿cerraste la ventana\?\)"):
        entorno.guardar_subida({}, tmp_path / "subidas")
    for subida, que in (({"gatos.zip": b"PK", "d.jpg": b"5"}, "un .zip junto con otros archivos"),
                        ({"a.zip": b"PK", "b.ZIP": b"PK"}, "varios .zip")):
        with pytest.raises(ValueError, match=f"Subiste {que}: sube un solo .zip o solo fotos sueltas"):
            entorno.guardar_subida(subida, tmp_path / "subidas")
    for subida in ({"..": b"6"}, {".zip": b"PK"}, {"a/x.jpg": b"7", "b/x.jpg": b"8"}):
        with pytest.raises(ValueError, match="No sé guardar un archivo llamado|dos archivos con el mismo nombre"):
            entorno.guardar_subida(subida, tmp_path / "subidas")
    # Antes, errores en inglés («'function' object is not iterable»…), y unos bytes en texto dejaban una carpeta vacía.
    def upload():
        return {}

    for subida, llega in ((upload, "la función sin llamar: faltan los paréntesis, files.upload()"),
                          (["a.jpg"], "list"), (b"\x89PNG", "bytes"),
                          ({"a.jpg": "hola"}, "un diccionario que no es de nombres y bytes")):
        with pytest.raises(ValueError, match=re.escape(f"guardar_subida recibe lo que devuelve files.upload() de Colab, un "
                                                       f"diccionario {{nombre: bytes}}, y llega {llega}.")):
            entorno.guardar_subida(subida, tmp_path / "subidas")
    (tmp_path / "archivo").write_bytes(b"")
    for carpeta, error in ((None, r"carpeta=None no sirve como ruta"), (tmp_path / "archivo", r"es un archivo, no una carpeta")):
        with pytest.raises(ValueError, match=error):
            entorno.guardar_subida({"a.jpg": b"1"}, carpeta)
    assert len(list((tmp_path / "subidas").iterdir())) == 4  # lo que no sirve no deja carpeta


def test_subir_otra_vez_los_mismos_archivos_usa_la_carpeta_de_aquella_subida(tmp_path, capsys):
    # Antes, cada «ejecutar todo» del cuaderno 06 con SUBIR_EN_COLAB = True dejaba otra copia en tu Drive.
    fotos = entorno.guardar_subida({"a.jpg": b"1", "b.png": b"2"}, tmp_path / "subidas")
    archivo_zip = entorno.guardar_subida({"gatos.zip": b"PK"}, tmp_path / "subidas")
    capsys.readouterr()
    assert entorno.guardar_subida({"b.png": b"2", "a.jpg": b"1"}, tmp_path / "subidas") == fotos
    assert capsys.readouterr().out == (f"Ya subiste exactamente estos archivos a «{fotos}»: uso esa carpeta y no guardo "
                                       "otra copia.\n")
    assert entorno.guardar_subida({"gatos.zip": b"PK"}, tmp_path / "subidas") == archivo_zip
    assert len(list((tmp_path / "subidas").iterdir())) == 2
    # Con algo distinto (otro byte, un archivo menos), una subcarpeta nueva, como siempre; las anteriores, intactas.
    otra = entorno.guardar_subida({"a.jpg": b"1", "b.png": b"3"}, tmp_path / "subidas")
    menos = entorno.guardar_subida({"a.jpg": b"1"}, tmp_path / "subidas")
    assert len({fotos, otra, menos}) == 3 and len(list((tmp_path / "subidas").iterdir())) == 4
    assert {p.name: p.read_bytes() for p in fotos.iterdir()} == {"a.jpg": b"1", "b.png": b"2"}


def test_subir_otra_vez_lo_mismo_no_escribe_nada_aunque_el_disco_este_lleno(tmp_path, monkeypatch, capsys):
    # Antes se escribía la subida entera y luego, al verla igual a otra, se borraba: en Drive iba a la papelera, y con
    # el disco lleno la misma subida de antes fallaba aunque ya estuviera guardada.
    import errno

    fotos = entorno.guardar_subida({"a.jpg": b"1", "b.png": b"2"}, tmp_path / "subidas")
    archivo_zip = entorno.guardar_subida({"gatos.zip": b"PK" * 2**20}, tmp_path / "subidas")  # más de un bloque

    def disco_lleno(ruta, contenido):
        raise OSError(errno.ENOSPC, "No space left on device", str(ruta))

    monkeypatch.setattr(Path, "write_bytes", disco_lleno)
    capsys.readouterr()
    assert entorno.guardar_subida({"b.png": b"2", "a.jpg": b"1"}, tmp_path / "subidas") == fotos
    assert entorno.guardar_subida({"gatos.zip": b"PK" * 2**20}, tmp_path / "subidas") == archivo_zip
    assert capsys.readouterr().out.count("Ya subiste exactamente estos archivos") == 2
    assert sorted((tmp_path / "subidas").iterdir()) == sorted([fotos, archivo_zip.parent])
    with pytest.raises(OSError, match="no queda espacio"):  # un byte distinto en el último bloque: otra subida
        entorno.guardar_subida({"gatos.zip": b"PK" * (2**20 - 1) + b"PL"}, tmp_path / "subidas")


def test_una_subida_que_no_cabe_lo_dice_y_no_deja_nada_a_medias(tmp_path, monkeypatch):
    import errno

    escribir = Path.write_bytes

    def disco_lleno_a_la_segunda(ruta, contenido):
        if ruta.name == "b.png":
            raise OSError(errno.ENOSPC, "No space left on device", str(ruta))
        return escribir(ruta, contenido)

    monkeypatch.setattr(Path, "write_bytes", disco_lleno_a_la_segunda)
    with pytest.raises(OSError) as lleno:
        entorno.guardar_subida({"a.jpg": b"1", "b.png": b"2"}, tmp_path / "subidas")
    assert re.fullmatch(r"No se pudo guardar lo que subiste: no se pudo escribir «.*/b\.png»: no queda espacio en el "
                        r"disco\. Libera espacio \(en Google Drive, vacía también la papelera\) o elige una carpeta de "
                        r"otro disco y vuelve a subirlo\.", str(lleno.value))
    assert list((tmp_path / "subidas").iterdir()) == []  # ni la carpeta de esta subida ni a.jpg


# Crea ocho funciones nuevas y traza cada una, como crear una GAN nueva por receta; cuenta los avisos de
# TensorFlow que dicen que vuelve a trazar («retracing») y los demás. En un proceso nuevo: TensorFlow da
# ese aviso pocas veces por proceso.
_TRAZAR_DE_NUEVO = """
import logging, sys
import tensorflow as tf
from helpers import entorno
vistos = []
class Anotar(logging.Handler):
    def emit(self, registro):
        vistos.append(registro.getMessage())
logging.getLogger("tensorflow").addHandler(Anotar())
def trazar():
    vivas = []
    for _ in range(8):
        @tf.autograph.experimental.do_not_convert
        def doble(x):
            return 2 * x
        vivas.append(doble)
        tf.function(doble)(tf.constant(1.0))
    logging.getLogger("tensorflow").warning("otro aviso")
if sys.argv[1] == "con filtro":
    with entorno.sin_aviso_de_trazar_de_nuevo():
        trazar()
else:
    trazar()
print(sum("triggered tf.function retracing" in aviso for aviso in vistos), sum("otro aviso" == aviso for aviso in vistos))
"""


@pytest.mark.parametrize(("filtro", "esperados"), [("sin filtro", "2 1"), ("con filtro", "0 1")])
def test_sin_aviso_de_trazar_de_nuevo_solo_calla_ese_aviso(filtro, esperados):
    proceso = subprocess.run([sys.executable, "-c", _TRAZAR_DE_NUEVO, filtro], capture_output=True, text=True)
    assert proceso.stdout.split("\n")[-2] == esperados, proceso.stderr[-2000:]


def test_comparar_recetas_no_avisa_de_que_traza_de_nuevo(monkeypatch):
    from helpers import laboratorio

    avisos = []

    def crear_gan(*args, **opciones):  # en su lugar, el aviso que daría trazar una GAN nueva por receta
        logging.getLogger("tensorflow").warning("5 out of the last 5 calls to <function f> triggered tf.function retracing.")
        raise ValueError("receta de prueba")

    class Anotar(logging.Handler):
        def emit(self, registro):
            avisos.append(registro.getMessage())

    monkeypatch.setattr(laboratorio, "crear_gan", crear_gan)
    anotar = Anotar()
    logging.getLogger("tensorflow").addHandler(anotar)
    try:
        with pytest.raises(ValueError, match="receta de prueba"):
            laboratorio.comparar_recetas({"una": {}}, np.zeros((8, 16, 16, 1), np.float32), np.zeros((8, 16, 16, 1), np.float32))
    finally:
        logging.getLogger("tensorflow").removeHandler(anotar)
    assert avisos == []


_COLAB_CON_KIT = '''
import importlib.metadata, subprocess, sys, types
sys.path.insert(0, FALSOS)  # helpers, keras y tensorflow de mentira (ver _modulos_falsos)
if EN_COLAB:
    sys.modules["google.colab"] = types.ModuleType("google.colab")
llamadas, ejecutar, distribucion = [], subprocess.run, importlib.metadata.distribution


class _Distribucion:
    def read_text(self, nombre):
        return DIRECT_URL


def _distribucion(nombre):  # la del kit, de mentira; las demás, de verdad
    if nombre != "curso-gan":
        return distribucion(nombre)
    if DIRECT_URL is None:
        raise importlib.metadata.PackageNotFoundError(nombre)
    return _Distribucion()


def _run(orden, **opciones):  # git y pip, de mentira; lo demás, de verdad
    if orden[0] == "git":
        llamadas.append(orden)
        if SALIDA_GIT == "sin git":
            raise FileNotFoundError(2, "No such file or directory", "git")
        if SALIDA_GIT == "no responde":
            raise subprocess.TimeoutExpired(orden, opciones.get("timeout"))
        return subprocess.CompletedProcess(orden, 0 if SALIDA_GIT else 128, stdout=SALIDA_GIT, stderr="")
    if orden[1:3] == ["-m", "pip"]:
        llamadas.append(orden[3:])
        if PIP_FALLA:  # p. ej. GitHub deja de responder a mitad: pip no toca lo instalado
            return subprocess.CompletedProcess(orden, 1, stdout="", stderr="ERROR: fallo de red\\n")
        return subprocess.CompletedProcess(orden, 0, stdout="", stderr="")
    return ejecutar(orden, **opciones)


importlib.metadata.distribution, subprocess.run = _distribucion, _run
'''

def _modulos_falsos(carpeta):
    """Un ``helpers``, un ``keras`` y un ``tensorflow`` con solo lo que usa la celda tras importarlos: lo que se
    prueba aquí pasa antes, e importar TensorFlow en cada caso costaba unos 4 s. Con los de verdad, la celda
    entera la ejecutan todos los cuadernos."""
    (carpeta / "helpers.py").write_text("def fijar_semilla(semilla): pass\ndef describir_dispositivo(): return 'CPU'\n")
    (carpeta / "keras.py").write_text("__version__ = '3'\n")
    (carpeta / "tensorflow.py").write_text("import types\n__version__ = '2'\n"
                                           "config = types.SimpleNamespace(list_physical_devices=lambda tipo: [])\n")
    return str(carpeta)


_GIT_URL = '{"url": "https://github.com/curso-gan/curso-gan", "vcs_info": {"vcs": "git", "commit_id": "%s"}}'


_DE_GIT, _RAMA_AVANZO = _GIT_URL % ("a" * 40), "b" * 40 + "\trefs/heads/main\n"


@pytest.mark.parametrize("situacion, en_colab, direct_url, salida_git, pip_falla, reinstala", [
    ("la rama avanzó", True, _DE_GIT, _RAMA_AVANZO, False, True),
    ("el mismo commit", True, _DE_GIT, "a" * 40 + "\trefs/heads/main\n", False, False),
    ("una etiqueta anotada", True, _DE_GIT, "t" * 40 + "\trefs/tags/main\n" + "a" * 40 + "\trefs/tags/main^{}\n", False, False),
    ("sin conexión con GitHub", True, _DE_GIT, "", False, False),
    ("sin git", True, _DE_GIT, "sin git", False, False),
    ("GitHub no responde", True, _DE_GIT, "no responde", False, False),
    ("pip falla al actualizar", True, _DE_GIT, _RAMA_AVANZO, True, True),
    ("instalado desde una carpeta", True, '{"url": "file:///curso", "dir_info": {"editable": true}}', None, False, False),
    ("fuera de Colab", False, _DE_GIT, _RAMA_AVANZO, False, False),
])
def test_la_celda_de_preparacion_pone_al_dia_un_kit_de_otro_commit(situacion, en_colab, direct_url, salida_git, pip_falla,
                                                                   reinstala, tmp_path):
    # Antes: en un entorno de Colab que seguía vivo, un kit instalado antes de que cambiara la rama se quedaba
    # (pip no lo cambia: la versión del kit es la misma) y un cuaderno nuevo fallaba en una celda cualquiera.
    # Ponerlo al día no puede dejar al estudiante sin kit: sin git o sin GitHub la celda fallaba con la traza de
    # subprocess, y si pip fallaba tras desinstalar el de antes, se quedaba sin ninguno.
    antes = (f"EN_COLAB, DIRECT_URL, SALIDA_GIT, PIP_FALLA = {en_colab!r}, {direct_url!r}, {salida_git!r}, {pip_falla!r}\n"
             f"FALSOS = {_modulos_falsos(tmp_path)!r}\n" + _COLAB_CON_KIT)
    despues = "\nprint('LLAMADAS', llamadas)"
    proceso = subprocess.run([sys.executable, "-c", antes + repositorio.celda_preparacion() + despues],
                             capture_output=True, text=True)
    assert proceso.returncode == 0, proceso.stderr
    llamadas = eval(proceso.stdout.split("LLAMADAS ")[-1])
    # Solo la rama o la etiqueta RAMA: «main» a secas también daría refs/heads/otra/main.
    consulta = [["git", "ls-remote", f"https://github.com/{repositorio.REPOSITORIO}", "refs/heads/main", "refs/tags/main",
                 "refs/tags/main^{}"]]
    fuente = f"git+https://github.com/{repositorio.REPOSITORIO}@{repositorio.RAMA}"
    if not en_colab or salida_git is None:  # sin Colab, o sin kit de git, ni se pregunta a GitHub
        assert llamadas == []
    elif pip_falla:  # el kit de antes sigue instalado (la celda lo importa) y se dice qué pasó
        assert llamadas == consulta + [["install", "-q", fuente]]
        assert ("ERROR: fallo de red\n\nNo se pudo actualizar (arriba, el mensaje de pip): sigues con el kit que ya "
                "tenías. Para probar más tarde, reinicia la sesión (Entorno de ejecución → Reiniciar sesión)") in proceso.stdout
    elif reinstala:  # lo que pide el kit nuevo y luego el kit, encima del de antes
        assert llamadas == consulta + [["install", "-q", fuente], ["install", "-q", "--force-reinstall", "--no-deps", fuente]]
        assert "El kit instalado en este entorno (commit aaaaaaa) no es el que hay ahora en «main»: lo actualizo." in proceso.stdout
    else:
        assert llamadas == consulta and "lo actualizo" not in proceso.stdout


def _elegir_minimas():
    import runpy
    return runpy.run_path(str(Path(__file__).parents[1] / ".ci" / "elegir_minimas.py"))


def test_las_pruebas_que_la_etapa_minima_aparta_existen_y_no_lanzan_procesos():
    """Cada línea de .ci/minimas-fuera.txt nombra una prueba que existe (si no, --deselect no hace nada y nadie
    lo nota), de las que ejecuta esa etapa, y que no lanza otro Python (su cobertura no se vio al elegirla). Y
    solo esa: --deselect aparta todo lo que empieza por lo que le dan, así que «test_x» apartaría también
    «test_x_y» y, si se parametriza, cada «test_x[…]»."""
    import ast

    elegir_minimas = _elegir_minimas()
    raiz = Path(__file__).parents[1]
    pruebas = [linea for linea in (raiz / ".ci" / "minimas-fuera.txt").read_text(encoding="utf-8").splitlines()
               if not linea.startswith("#")]
    assert len(set(pruebas)) == len(pruebas)
    lanzan = {}  # por archivo de pruebas: las que lanzan otro Python
    for prueba in pruebas:
        archivo, nombre, parametros = re.fullmatch(r"(tests/test_\w+\.py)::(test_\w+)(\[.*\])?", prueba).groups()
        assert archivo != "tests/test_cuadernos_variantes.py"
        funciones = {f.name: f for f in ast.parse((raiz / archivo).read_text(encoding="utf-8")).body
                     if isinstance(f, ast.FunctionDef)}
        assert nombre in funciones, prueba
        if not parametros:
            assert not any("parametrize" in ast.unparse(d) for d in funciones[nombre].decorator_list), prueba
            assert not [f for f in funciones if f != nombre and f.startswith(nombre)], prueba
        if archivo not in lanzan:
            lanzan[archivo] = elegir_minimas["lanzan_procesos"](raiz / archivo)
        assert nombre not in lanzan[archivo], prueba
        assert f"{archivo}::{nombre}" not in elegir_minimas["SIEMPRE"], prueba


def test_las_funciones_que_tensorflow_ejecuta_por_su_cuenta_estan_revisadas():
    """La cobertura no ve lo que helpers pasa a Dataset.map o tf.py_function: una función nueva así debe revisarse
    (¿qué pruebas la llevan por cada camino?) y, si una sola prueba toma alguno, ponerla en SIEMPRE de
    .ci/elegir_minimas.py; después, añadirla a REVISADAS."""
    elegir_minimas = _elegir_minimas()
    assert elegir_minimas["funciones_que_ejecuta_tensorflow"]() == elegir_minimas["REVISADAS"]
    raiz = Path(__file__).parents[1]
    for prueba in elegir_minimas["SIEMPRE"]:
        archivo, nombre = prueba.split("::")
        assert re.search(rf"^def {nombre}\(", (raiz / archivo).read_text(encoding="utf-8"), re.M), prueba


def test_elegir_minimas_aparta_las_lentas_cuyas_lineas_recorren_otras():
    elegir = _elegir_minimas()["elegir"]
    lineas = {"lenta_repetida": {1, 2, 3}, "lenta_unica": {2, 9}, "otra": {1, 2, 3}, "con_proceso": {1},
              "corta": {1, 2}, "sin_lineas": set(), "gemela_a": {5}, "gemela_b": {5}}
    segundos = {"lenta_repetida": 30, "lenta_unica": 20, "otra": 2, "con_proceso": 40, "corta": 0.5,
                "sin_lineas": 50, "gemela_a": 10, "gemela_b": 9}
    # La línea 9 solo la recorre lenta_unica; de dos que recorren lo mismo (lenta_repetida y otra, las gemelas) se
    # aparta la más lenta y la otra se queda; las que lanzan procesos, las cortas y las sin líneas, nunca.
    assert elegir(lineas, segundos, {"con_proceso"}) == ["lenta_repetida", "gemela_a"]


def test_elegir_minimas_ve_los_procesos_a_traves_de_funciones_constantes_y_fixtures(tmp_path):
    (tmp_path / "test_compartido.py").write_text(
        "import os\n"
        "def carpeta_con_otro_python(tmp_path):\n    os.system('python -c pass')\n", encoding="utf-8")
    archivo = tmp_path / "test_ejemplo.py"
    archivo.write_text(
        "import multiprocessing, subprocess, sys\n"
        "from test_compartido import carpeta_con_otro_python\n"
        "ORDEN = [sys.executable, '-c', 'pass']\n"
        "def lanzar():\n    return subprocess.run(ORDEN)\n"
        "def proceso():\n    return lanzar()\n"
        "class EnOtroProceso:\n    def empezar(self):\n        multiprocessing.Process(target=print).start()\n"
        "def test_directa():\n    subprocess.run(['true'])\n"
        "def test_por_funcion():\n    proceso()\n"
        "def test_por_constante():\n    print(ORDEN)\n"
        "def test_por_fixture(proceso):\n    pass\n"
        "def test_por_clase():\n    EnOtroProceso().empezar()\n"
        "def test_por_fixture_de_otro_archivo(carpeta_con_otro_python):\n    pass\n"
        "def test_sin_procesos(tmp_path):\n    assert tmp_path\n", encoding="utf-8")
    assert _elegir_minimas()["lanzan_procesos"](archivo) == {
        "test_directa", "test_por_funcion", "test_por_constante", "test_por_fixture", "test_por_clase",
        "test_por_fixture_de_otro_archivo"}
