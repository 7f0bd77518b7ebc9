"""La entrega del estudiante: qué registra el entrenamiento y qué lleva el zip."""

import builtins
import errno
import hashlib
import io
import json
import os
import re
import shlex
import shutil
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import helpers
from helpers import (comprobacion_entrega, entrega, errores, formato_entrega, generador_guardado, imagenes_guardadas,
                     metricas, nombre_y_reflexion, pagina_entrega, paginas, revision_entrega, tarea)
from helpers.__main__ import main
from helpers.graficos import a_uint8


def sin_xla(*args, **kwargs):
    """XLA tarda más en compilar que estos pocos pasos."""
    gan = helpers.crear_gan(*args, **kwargs)
    gan.jit_compile = False
    return gan


@pytest.fixture(scope="module")
def resultados(tmp_path_factory):
    """Un entrenamiento de 2 épocas (modo rápido) con 20 rostros, interrumpido y seguido 1 época más."""
    base = tmp_path_factory.mktemp("entrega")
    fotos = base / "fotos"
    fotos.mkdir()
    for i, cara in enumerate(a_uint8(helpers.imagenes_rostros(32, "todo", espejo=False))[:20, ..., 0]):
        Image.fromarray(cara).save(fotos / f"cara_{i:02d}.png")
    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(tarea, "crear_gan", sin_xla)
        tarea.entrenar_carpeta(fotos, base / "res", tamano=32, epocas=2, verbose=0)
        registro = json.loads((base / "res" / tarea.ARCHIVO_REGISTRO).read_text(encoding="utf-8"))
        tarea.entrenar_carpeta(fotos, base / "res", tamano=32, epocas=3, continuar=True, verbose=0)
    return base, registro


def test_el_entrenamiento_registra_lo_que_pide_el_manifiesto(resultados):
    base, primero = resultados
    registro = json.loads((base / "res" / tarea.ARCHIVO_REGISTRO).read_text(encoding="utf-8"))
    assert (primero["epocas"], primero["reanudaciones"], registro["epocas"], registro["reanudaciones"]) == (2, 0, 3, 1)
    assert registro["minutos"] > primero["minutos"] > 0
    assert registro["imagenes"] == {"entrenamiento": 17, "reserva": 3, "tamano": 32, "canales": 3}
    # El lote usado: ``a_dataset`` reduce el de 32 pedido a las 17 imágenes de entrenamiento.
    assert registro["receta"]["lote"] == 17 and registro["semilla"] == 0 and registro["dispositivo"]
    ruta = base / "res" / tarea.ARCHIVO_IMAGENES
    entrenamiento, reserva = (entrega.a_rango_simetrico(imagenes_guardadas.leer_imagenes_guardadas(ruta, parte), 255)
                              for parte in imagenes_guardadas.PARTES)
    assert entrenamiento.shape == (17, 32, 32, 3) and reserva.shape == (3, 32, 32, 3)
    assert -1.0 <= entrenamiento.min() < entrenamiento.max() <= 1.0


# Una reflexión como las de clase, guardada con el Bloc de notas de Windows (con BOM).
REFLEXION = """\ufeff# Mi reflexión

Entrené con 120 fotos de **Ñuñoa**. La SWD <bajó> poco.

- Las curvas se cruzan en la época 20.

Segundo párrafo.
"""


@pytest.fixture(scope="module")
def zip_ana(resultados):
    base, _ = resultados
    (base / "reflexion.md").write_text(REFLEXION, encoding="utf-8")
    ruta, manifiesto = entrega.entregar(base / "res", base / "ana.zip", nombre="Ana", reflexion=base / "reflexion.md")
    return ruta, manifiesto


def test_el_zip_lleva_lo_que_evalua_la_rubrica(zip_ana):
    ruta, manifiesto = zip_ana
    with zipfile.ZipFile(ruta) as archivo_zip:
        archivos = {nombre: archivo_zip.read(nombre) for nombre in archivo_zip.namelist()}
    assert set(archivos) == {"generador.keras", "muestras.png", "evolucion.gif", "perdidas.png", "metrica.png",
                             "historial.csv", "metrica.csv", "imagenes.npz", "reflexion.md", "informe.html",
                             entrega.MANIFIESTO}
    assert json.loads(archivos[entrega.MANIFIESTO]) == manifiesto
    assert manifiesto["archivos"] == {n: hashlib.sha256(c).hexdigest() for n, c in archivos.items() if n != entrega.MANIFIESTO}
    assert (manifiesto["alumno"], manifiesto["epocas"], manifiesto["reanudaciones"]) == ("Ana", 3, 1)
    assert manifiesto["avisos"] == []
    # Los dos candidatos de entrenar y el recomendado, que copia a uno de ellos y tiene su misma medida.
    medidas = manifiesto["medidas"]
    assert set(medidas) == {"generador.keras", "generador_menor_swd.keras", "mejor_generador.keras"}
    recomendado = json.loads((ruta.parent / "res" / tarea.ARCHIVO_REGISTRO).read_text(encoding="utf-8"))["recomendado"]
    assert medidas["mejor_generador.keras"] == medidas[recomendado["generador"]]
    with Image.open(io.BytesIO(archivos["evolucion.gif"])) as gif:
        assert gif.width <= entrega.LADO_GIF and gif.n_frames == 3
    # La cuadrícula es la del generador entregado con la semilla de MuestrasFijas: la de la última época.
    ultima = np.asarray(Image.open(ruta.parent / "res" / "muestras" / "epoca_0003.png").convert("RGB")).astype(int)
    assert np.abs(np.asarray(Image.open(io.BytesIO(archivos["muestras.png"])).convert("RGB")) - ultima).mean() < 1
    informe = archivos["informe.html"].decode("utf-8")
    assert "La SWD &lt;bajó&gt; poco." in informe and "<p>Segundo párrafo.</p>" in informe
    # La reflexión, con su formato Markdown, y la fecha, legible (la del manifiesto sigue en ISO 8601).
    assert archivos["reflexion.md"].decode("utf-8") == REFLEXION.removeprefix("\ufeff")
    assert "<h3>Mi reflexión</h3>" in informe and "<strong>Ñuñoa</strong>" in informe
    assert "<ul><li>Las curvas se cruzan en la época 20.</li></ul>" in informe
    assert f'<time datetime="{manifiesto["fecha"]}">{paginas.fecha_legible(manifiesto["fecha"])}</time>' in informe
    assert "Cociente de memorización" in informe and informe.count("data:image/") == 5
    # Las gráficas, a su tamaño: reducidas a 520 px (y pixeladas) sus rótulos no se leían.
    # Y la cuadrícula (antes, 384 px con image-rendering: pixelated: perdía filas de píxeles).
    for alternativo in ("Pérdidas", "SWD frente a la reserva", "muestras y sus vecinas del entrenamiento",
                        "cuadrícula de muestras"):
        assert re.search(f'alt="{alternativo}">', informe), alternativo
    assert "el de menor SWD durante el entrenamiento" in informe and "el final" in informe
    # Tres épocas de un paso: manchas casi iguales, que no se leen como memorización.
    assert manifiesto["memorizacion"]["diversidad"] < metricas.UMBRAL_DIVERSIDAD
    assert "casi iguales entre sí" in informe and "pegadas al entrenamiento" not in informe


@pytest.mark.parametrize("nombre, contenido, que", [
    ("reflexion.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "un PDF"),
    ("reflexion.docx", b"PK\x03\x04\x14\x00\x06\x00", "un documento de Word o de LibreOffice"),
    # El RTF es texto ASCII: antes entraba tal cual, con sus códigos de formato, en el informe.
    ("reflexion.rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Mi reflexi\\'f3n}", "un documento RTF"),
])
def test_una_reflexion_que_es_un_documento_se_nombra(resultados, tmp_path, nombre, contenido, que):
    # Antes: «no está en UTF-8: guárdalo como texto UTF-8», cierto pero sin decir que era un PDF o un Word.
    base, _ = resultados
    (tmp_path / nombre).write_bytes(contenido)
    with pytest.raises(ValueError, match=f"^«{re.escape(str(tmp_path / nombre))}» es {que}.*, no un texto: copia tu "
                                         "reflexión en un archivo .md o .txt"):
        entrega.entregar(base / "res", tmp_path / "x.zip", reflexion=tmp_path / nombre, sin_imagenes=True)
    assert not (tmp_path / "x.zip").exists()


def test_una_reflexion_vacia_se_avisa(resultados, tmp_path, capsys):
    base, _ = resultados
    (tmp_path / "reflexion.md").write_text("\n  \n", encoding="utf-8")
    _, manifiesto = entrega.entregar(base / "res", tmp_path / "entrega.zip", nombre="Ana",
                                     reflexion=tmp_path / "reflexion.md", sin_imagenes=True)
    assert manifiesto["avisos"] == ["la reflexión está vacía"]
    assert (f"Aviso: la reflexión está vacía: escribe la tuya en «{tmp_path / 'reflexion.md'}» (¿no guardaste el "
            "archivo?) y vuelve a entregar") in capsys.readouterr().out


def test_el_nombre_y_la_reflexion_de_ejemplo_se_avisan(resultados, tmp_path, capsys):
    base, _ = resultados
    (tmp_path / "reflexion.md").write_text(entrega.REFLEXION_DE_EJEMPLO, encoding="utf-8")  # la del cuaderno 06
    ruta, manifiesto = entrega.entregar(base / "res", tmp_path / "entrega.zip", nombre=entrega.NOMBRE_DE_EJEMPLO,
                                        reflexion=tmp_path / "reflexion.md", sin_imagenes=True)
    olvidos = ["la entrega va a nombre de «Tu nombre», el de ejemplo", "la reflexión es todavía el texto de ejemplo"]
    salida = capsys.readouterr().out
    assert f"Aviso: {olvidos[0]}: pon el tuyo en NOMBRE (en el cuaderno 06) o en --nombre y vuelve a entregar" in salida
    assert f"Aviso: {olvidos[1]}: escribe la tuya en «{tmp_path / 'reflexion.md'}» y vuelve a entregar" in salida
    assert manifiesto["avisos"] == olvidos  # también en informe.html
    with zipfile.ZipFile(ruta) as archivo_zip:
        assert "el de ejemplo" in archivo_zip.read("informe.html").decode("utf-8")


def test_sin_nombre_el_zip_por_defecto_se_avisa_y_uno_con_nombre_no(resultados, tmp_path, capsys):
    base, _ = resultados
    _, manifiesto = entrega.entregar(base / "res", tmp_path / "entrega.zip", sin_imagenes=True)
    aviso = "la entrega va a nombre de «entrega», el nombre del zip por defecto"
    assert f"Aviso: {aviso}: pon el tuyo en --nombre (o nombre=) y vuelve a entregar" in capsys.readouterr().out
    assert manifiesto["alumno"] == "entrega" and manifiesto["avisos"] == [aviso]
    _, manifiesto = entrega.entregar(base / "res", tmp_path / "ana_garcia.zip", nombre="  ", sin_imagenes=True)
    assert manifiesto["alumno"] == "ana_garcia" and manifiesto["avisos"] == []


def test_otra_entrega_a_la_vez_con_la_misma_salida_no_se_sobrescribe(resultados, tmp_path, monkeypatch):
    base, _ = resultados
    salida = tmp_path / "dos.zip"
    informe = entrega.informe_entrega

    def y_mientras_tanto_otra(*args):  # la otra entrega termina mientras esta mide y dibuja
        salida.write_bytes(b"la otra")
        return informe(*args)

    monkeypatch.setattr(entrega, "informe_entrega", y_mientras_tanto_otra)
    with pytest.raises(FileExistsError, match="apareció mientras preparaba la entrega.*no lo sobrescribo"):
        entrega.entregar(base / "res", salida, nombre="Segundo", sin_imagenes=True)
    assert salida.read_bytes() == b"la otra" and [r.name for r in tmp_path.iterdir()] == ["dos.zip"]


def test_sin_enlaces_duros_la_entrega_se_escribe_y_tampoco_sobrescribe(tmp_path, monkeypatch):
    def sin_enlaces(origen, destino):  # p. ej. una memoria USB en FAT
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(entrega.os, "link", sin_enlaces)
    archivos = {"a.txt": b"uno"}
    entrega._escribir_zip(tmp_path / "e.zip", archivos)
    with zipfile.ZipFile(tmp_path / "e.zip") as archivo_zip:
        assert archivo_zip.read("a.txt") == b"uno"
    with pytest.raises(FileExistsError, match="no lo sobrescribo"):
        entrega._escribir_zip(tmp_path / "e.zip", {"a.txt": b"dos"})
    assert [r.name for r in tmp_path.iterdir()] == ["e.zip"]


def test_el_temporal_de_una_entrega_matada_se_borra_en_la_siguiente(tmp_path):
    abandonado, en_curso = tmp_path / ".e.4321.tmp.zip", tmp_path / ".e.8765.tmp.zip"  # kill -9 a mitad / otra entrega
    ajeno = tmp_path / ".e.v2.4321.tmp.zip"  # el de otra salida («e.v2.zip») se queda para su entrega
    for temporal in (abandonado, en_curso, ajeno):
        temporal.write_bytes(b"a medias")
    hace_dos_horas = time.time() - 2 * 3600
    for viejo in (abandonado, ajeno):
        os.utime(viejo, (hace_dos_horas, hace_dos_horas))
    entrega._escribir_zip(tmp_path / "e.zip", {"a.txt": b"uno"})
    assert sorted(r.name for r in tmp_path.iterdir()) == [".e.8765.tmp.zip", ".e.v2.4321.tmp.zip", "e.zip"]


def test_una_entrega_interrumpida_lo_dice_y_no_deja_nada(resultados, tmp_path, monkeypatch):
    base, _ = resultados
    antes = {r.name: r.read_bytes() for r in (base / "res").iterdir() if r.is_file()}

    def cortada(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(entrega, "medir_memorizacion", cortada)
    salida = tmp_path / "ana.zip"
    with pytest.raises(KeyboardInterrupt, match=f"Entrega interrumpida: no se ha creado «{re.escape(str(salida))}»"):
        entrega.entregar(base / "res", salida, nombre="Ana", sin_imagenes=True)
    assert list(tmp_path.iterdir()) == []
    assert {r.name: r.read_bytes() for r in (base / "res").iterdir() if r.is_file()} == antes


def test_las_medidas_se_pueden_repetir(zip_ana, resultados):
    base, _ = resultados
    _, manifiesto = zip_ana
    reserva = entrega.a_rango_simetrico(
        imagenes_guardadas.leer_imagenes_guardadas(base / "res" / tarea.ARCHIVO_IMAGENES, "reserva"), 255)
    generador = generador_guardado.cargar_generador(base / "res" / "generador.keras")
    medida = generador_guardado.medir_generador(generador, reserva, 0)
    assert medida == pytest.approx(manifiesto["medidas"]["generador.keras"], rel=1e-6)


@pytest.mark.parametrize("iguales", [True, False])
def test_un_generador_con_los_mismos_pesos_que_otro_ya_medido_no_se_vuelve_a_medir(resultados, tmp_path, monkeypatch,
                                                                                   iguales):
    # Los dos candidatos, guardados por separado (otros bytes): con los mismos pesos, una sola medida para los tres
    # (el recomendado es una copia); con otros, una cada uno, y el recomendado reutiliza la de su original.
    base, _ = resultados
    res = shutil.copytree(base / "res", tmp_path / "res")
    final = generador_guardado.cargar_generador(res / "generador.keras")
    if not iguales:
        final.set_weights([w * 0.5 for w in final.get_weights()])
    final.save(res / "generador_menor_swd.keras")
    shutil.copyfile(res / "generador.keras", res / "mejor_generador.keras")
    medidos = []
    medir = entrega.medir_generador
    monkeypatch.setattr(entrega, "medir_generador", lambda *args: medidos.append(args) or medir(*args))
    medidas = entrega.entregar(res, tmp_path / "ana.zip", nombre="Ana", sin_imagenes=True)[1]["medidas"]
    assert len(medidos) == (1 if iguales else 2)
    assert medidas["mejor_generador.keras"] == medidas["generador.keras"]
    assert (medidas["generador_menor_swd.keras"] == medidas["generador.keras"]) is iguales


def test_sin_imagenes_y_otro_generador(resultados, capsys):
    base, _ = resultados
    main(["entregar", str(base / "res"), "--salida", str(base / "sin.zip"), "--sin-imagenes",
          "--generador", "mejor_generador.keras"])
    assert "Entrega creada" in capsys.readouterr().out
    with zipfile.ZipFile(base / "sin.zip") as archivo_zip:
        manifiesto = json.loads(archivo_zip.read(entrega.MANIFIESTO))
        assert "imagenes.npz" not in archivo_zip.namelist()
        elegido = archivo_zip.read("generador.keras")
        informe = archivo_zip.read("informe.html").decode("utf-8")
    assert manifiesto["alumno"] == "sin" and not manifiesto["con_imagenes"]
    # Sin sus fotos, tampoco en el informe: los pares de vecinos enseñaban 8 fotos de entrenamiento.
    assert "vecinas del entrenamiento" not in informe and informe.count("data:image/") == 4
    assert "no se dibujan: la entrega va sin tus imágenes" in informe and "Cociente de memorización" in informe
    assert elegido == (base / "res" / "mejor_generador.keras").read_bytes()


def test_un_nombre_que_no_es_utf8_no_tumba_la_entrega(resultados, tmp_path, capsys):
    # «año» en Latin-1 (el nombre de un zip o una carpeta de Windows): Python lo recibe con un carácter
    # sustituto. Por --nombre, porque macOS no deja crear un archivo con ese nombre.
    base, _ = resultados
    salida = tmp_path / "x.zip"
    main(["entregar", str(base / "res"), "--salida", str(salida), "--sin-imagenes", "--nombre", "a\udcf1o"])
    assert "Entrega creada" in capsys.readouterr().out
    with zipfile.ZipFile(salida) as archivo_zip:
        assert json.loads(archivo_zip.read(entrega.MANIFIESTO))["alumno"] == "a\ufffdo"
        assert "a\ufffdo" in archivo_zip.read("informe.html").decode("utf-8")


def test_errores_claros(resultados, zip_ana, tmp_path, capsys, monkeypatch):
    base, _ = resultados
    with pytest.raises(FileExistsError, match="ya existe"):  # el zip de Ana: no se pisa
        entrega.entregar(base / "res", zip_ana[0])
    with pytest.raises(FileNotFoundError, match="no tiene tarea.json"):
        entrega.entregar(tmp_path, tmp_path / "x.zip")
    with pytest.raises(ValueError, match="debe terminar en .zip"):
        entrega.entregar(base / "res", tmp_path / "x.tar")
    with pytest.raises(ValueError, match="generador='otro.keras' no es válido"):
        entrega.entregar(base / "res", tmp_path / "x.zip", generador="otro.keras")
    with pytest.raises(FileNotFoundError, match="No encuentro la reflexión"):
        entrega.entregar(base / "res", tmp_path / "x.zip", reflexion=tmp_path / "no.md")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(FileNotFoundError, match=f"No encuentro la reflexión «no.md» \\(la busqué en {re.escape(str(tmp_path / 'no.md'))}\\)"):
        entrega.entregar(base / "res", tmp_path / "x.zip", reflexion="no.md")
    with pytest.raises(ValueError, match="es una carpeta: indica el archivo .md o .txt"):
        entrega.entregar(base / "res", tmp_path / "x.zip", reflexion=tmp_path)
    (tmp_path / "latin1.md").write_bytes("reflexión".encode("latin-1"))
    with pytest.raises(SystemExit) as salida:
        main(["entregar", str(base / "res"), "--salida", str(tmp_path / "x.zip"), "--reflexion", str(tmp_path / "latin1.md")])
    assert salida.value.code == 1 and "no está en UTF-8" in capsys.readouterr().err
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".*")) == []


def test_argumentos_de_otro_tipo_se_explican_en_espanol(resultados, tmp_path):
    base, _ = resultados
    # Un número de estudiante escrito sin comillas vale como nombre.
    _, manifiesto = entrega.entregar(base / "res", tmp_path / "n.zip", nombre=20231234, sin_imagenes=True)
    assert manifiesto["alumno"] == "20231234"
    for nombre in (3.5, True, ["Ana"]):
        with pytest.raises(ValueError, match=re.escape(f"nombre={nombre!r} no es válido: escribe tu nombre entre "
                                                       'comillas, p. ej. nombre="Ana Pérez".')):
            entrega.entregar(base / "res", tmp_path / "x.zip", nombre=nombre)
    # Sin el TypeError en inglés de Python; «» sería la carpeta actual.
    for argumentos, mensaje in (
            ({"resultados": None}, "resultados=None no sirve como ruta: indica la carpeta de tu entrenamiento (la "
                                   "--salida de «entrenar»), entre comillas."),
            ({"resultados": ""}, "resultados='' no sirve como ruta"),
            ({"salida": ""}, "salida='' no sirve como ruta: indica el .zip que se crea (p. ej. entrega.zip)"),
            ({"reflexion": 7}, "reflexion=7 no sirve como ruta: indica el archivo .md o .txt con tu reflexión")):
        with pytest.raises(ValueError, match=re.escape(mensaje)):
            entrega.entregar(**{"resultados": base / "res", "salida": tmp_path / "x.zip", **argumentos})
    assert [r.name for r in tmp_path.iterdir()] == ["n.zip"]


def test_sin_poder_escribir_el_zip_el_error_lo_nombra_a_el_y_no_a_su_temporal(resultados, tmp_path, monkeypatch,
                                                                             capsys):
    # Un disco de solo lectura, simulado: chmod no basta si las pruebas corren como root. En uno de verdad tampoco
    # se puede borrar el temporal, aunque no llegara a crearse.
    base, _ = resultados
    salida = tmp_path / "e.zip"
    borrar = Path.unlink

    # Una subclase y no una función: Keras también abre zips (el .keras del generador), y desde 3.16 comprueba su clase.
    class SinEscribir(zipfile.ZipFile):
        def __init__(self, ruta, *args, **kwargs):
            if str(ruta).endswith(".tmp.zip"):
                raise OSError(errno.EROFS, "Read-only file system", str(ruta))
            super().__init__(ruta, *args, **kwargs)

    def sin_borrar(ruta, *args, **kwargs):
        if ruta.name.endswith(".tmp.zip"):
            raise OSError(errno.EROFS, "Read-only file system", str(ruta))
        return borrar(ruta, *args, **kwargs)

    with monkeypatch.context() as parche:
        parche.setattr(zipfile, "ZipFile", SinEscribir)
        parche.setattr(Path, "unlink", sin_borrar)
        with pytest.raises(SystemExit):
            main(["entregar", str(base / "res"), "--salida", str(salida), "--sin-imagenes"])
    assert capsys.readouterr().err == (f"error: no se pudo usar «{salida}»: está en un disco de solo lectura. Corrige "
                                       "la ruta o elige otra carpeta y vuelve a intentarlo.\n")

    # El disco lleno al escribirlo (el sistema no dice en qué archivo) o, sin enlaces duros (una memoria USB en
    # FAT), al darle su nombre: el error nombra el zip y no queda el temporal a medias.
    class ZipLleno(zipfile.ZipFile):
        def writestr(self, *args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

    def sin_enlaces(origen, destino):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    def no_cabe(origen, destino):
        raise OSError(errno.ENOSPC, "No space left on device", str(origen))

    for parches in ([(zipfile, "ZipFile", ZipLleno)], [(os, "link", sin_enlaces), (os, "replace", no_cabe)]):
        with monkeypatch.context() as parche:
            for modulo, nombre, falso in parches:
                parche.setattr(modulo, nombre, falso)
            with pytest.raises(OSError) as error:
                entrega._escribir_zip(salida, {"a.txt": b"uno"})
        assert errores.explicar_error_del_sistema(error.value) == f"no se pudo escribir «{salida}»: no queda espacio en el disco"
        assert list(tmp_path.iterdir()) == []


def _copia(resultados, tmp_path):
    """Copia de la carpeta de resultados, para estropearla sin tocar la de las demás pruebas."""
    base, _ = resultados
    return shutil.copytree(base / "res", tmp_path / "res")


def continuar(resultados, copia):
    """Sigue el entrenamiento de ``copia`` con --continuar y las 3 épocas ya hechas (no entrena más)."""
    base, _ = resultados
    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(tarea, "crear_gan", sin_xla)
        tarea.entrenar_carpeta(base / "fotos", copia, tamano=32, epocas=3, continuar=True, verbose=0)


def test_sin_permiso_de_lectura_no_se_da_por_danado(resultados, tmp_path, monkeypatch, capsys):
    # Antes, los dos: «está dañado», con la orden para escribirlo de nuevo.
    copia = _copia(resultados, tmp_path)
    abrir = io.open
    for archivo, motivo in ((copia / "generador.keras", "No tengo permiso para leer «{}»: comprueba sus permisos."),
                            (copia / tarea.ARCHIVO_IMAGENES, "no se pudo usar «{}»: no tienes permiso para usarlo.")):
        def sin_permiso(ruta, *args, **kwargs):  # como un chmod 000, que a root no le impide leer
            if isinstance(ruta, (str, os.PathLike)) and Path(ruta) == archivo:
                raise PermissionError(errno.EACCES, "Permission denied", str(ruta))
            return abrir(ruta, *args, **kwargs)

        with monkeypatch.context() as parche:
            parche.setattr(io, "open", sin_permiso)  # el de zipfile
            parche.setattr(builtins, "open", sin_permiso)
            with pytest.raises(SystemExit):
                main(["entregar", str(copia), "--salida", str(tmp_path / "x.zip")])
        error = capsys.readouterr().err
        assert motivo.format(archivo) in error and "dañado" not in error


def test_archivos_danados_dicen_cual_y_como_rehacerlo(resultados, tmp_path, capsys):
    copia = _copia(resultados, tmp_path)
    npz, registro = copia / tarea.ARCHIVO_IMAGENES, copia / tarea.ARCHIVO_REGISTRO
    # Imágenes de otro entrenamiento (16 px, no las 32 del generador).
    np.savez_compressed(npz, entrenamiento=np.zeros((5, 16, 16, 3), np.uint8), reserva=np.zeros((2, 16, 16, 3), np.uint8))
    with pytest.raises(ValueError, match="no tiene las imágenes de este entrenamiento .*dibuja imágenes de 32×32×3; "
                       "ellas son de 16×16×3"):
        entrega.entregar(copia, tmp_path / "x.zip")
    # Imágenes en float (no las escribe el kit): leídas como uint8 saldrían medidas falsas sin avisar.
    np.savez_compressed(npz, entrenamiento=np.zeros((5, 32, 32, 3), np.float32), reserva=np.zeros((2, 32, 32, 3), np.float32))
    with pytest.raises(ValueError, match=r"imagenes.npz» está dañado o incompleto \(no son lotes de imágenes en uint8\)"):
        entrega.entregar(copia, tmp_path / "x.zip")
    npz.write_bytes((resultados[0] / "res" / tarea.ARCHIVO_IMAGENES).read_bytes()[:3000])  # una copia cortada
    with pytest.raises(SystemExit) as salida:
        main(["entregar", str(copia), "--salida", str(tmp_path / "x.zip")])
    error = capsys.readouterr().err
    assert salida.value.code == 1 and f"«{npz}» está dañado o incompleto" in error
    orden = error.split("renómbralo (p. ej. a imagenes_roto.npz) y vuelve a escribirlo con «")[1].split("»")[0]
    partes = shlex.split(orden)
    assert partes[:5] == ["python", "-m", "helpers", "entrenar", "TUS_IMAGENES"]
    assert ("--salida", str(copia)) in list(zip(partes, partes[1:]))
    assert orden.endswith("--continuar") and "--epocas 3 " in orden and "(con esas épocas, las ya hechas, no entrena más)" in error
    for contenido, problema in (("{}", "le falta o tiene mal version_kit, receta, imagenes y más"),
                                ('{"semilla": 0', "no es el registro JSON que escribe el kit")):
        registro.write_text(contenido, encoding="utf-8")
        with pytest.raises(ValueError, match=rf"tarea.json» está dañado \({problema}\)\. Renómbralo .*--continuar"):
            entrega.entregar(copia, tmp_path / "x.zip")
    assert list(tmp_path.glob("*.zip")) == []
    # Lo que proponen los mensajes funciona y no se pierde nada: los dañados quedan con otro nombre.
    npz.rename(copia / "imagenes_roto.npz")
    registro.rename(copia / "tarea_roto.json")
    continuar(resultados, copia)
    _, manifiesto = entrega.entregar(copia, tmp_path / "x.zip")
    assert manifiesto["epocas"] == 3 and (copia / "tarea_roto.json").read_text(encoding="utf-8") == '{"semilla": 0'


def test_un_generador_de_otra_carpeta_se_nombra_a_el_y_no_a_las_imagenes(resultados, tmp_path, capsys):
    # El del experimento a otro tamaño, copiado a la carpeta principal para entregarlo: el mensaje culpaba a
    # imagenes.npz y, siguiendo su consejo, --continuar sobrescribía el generador copiado.
    copia = _copia(resultados, tmp_path)
    ajeno = helpers.crear_gan(16).generador
    ajeno.save(copia / "generador.keras")
    with pytest.raises(ValueError, match=re.escape(f"«{copia / 'generador.keras'}» no es el generador de este "
                                                   "entrenamiento: dibuja imágenes de 16×16×1 y las de")
                       + r".* son de 32×32×3 .*renómbralo \(p\. ej\. a generador_roto\.keras\)"):
        entrega.entregar(copia, tmp_path / "x.zip")
    # Si no es el elegido, la entrega sigue sin su medida y el aviso dice qué le pasa (no «dañado»).
    (copia / "generador.keras").rename(copia / "generador_menor_swd.keras")
    shutil.copy(resultados[0] / "res" / "generador.keras", copia / "generador.keras")
    _, manifiesto = entrega.entregar(copia, tmp_path / "x.zip", sin_imagenes=True)
    assert "generador_menor_swd.keras" not in manifiesto["medidas"]
    assert manifiesto["avisos"] == ["generador_menor_swd.keras dibuja imágenes de 16×16×1, no las de este "
                                    "entrenamiento, y no se midió"]
    assert "dibuja imágenes de 16×16×1 y las de este entrenamiento son de 32×32×3" in capsys.readouterr().out


def test_un_gif_danado_se_queda_fuera_con_un_aviso(resultados, tmp_path, capsys):
    copia = _copia(resultados, tmp_path)
    gif = copia / "evolucion.gif"
    gif.write_bytes(gif.read_bytes()[:200])
    ruta, manifiesto = entrega.entregar(copia, tmp_path / "x.zip", sin_imagenes=True)
    assert f"Aviso: «{gif}» está dañado y la entrega va sin él" in capsys.readouterr().out
    with zipfile.ZipFile(ruta) as archivo_zip:
        assert "evolucion.gif" not in archivo_zip.namelist()
        informe = archivo_zip.read("informe.html").decode("utf-8")
    assert manifiesto["avisos"] == ["evolucion.gif estaba dañado y no va en la entrega"]
    assert "evolucion.gif estaba dañado y no va en la entrega" in informe


def test_un_entrenamiento_sin_terminar_dice_como_terminarlo(resultados, tmp_path):
    copia = _copia(resultados, tmp_path)
    (copia / "mejor_generador.keras").unlink()
    with pytest.raises(FileNotFoundError, match="no tiene mejor_generador.keras .*--generador generador.keras"):
        entrega.entregar(copia, tmp_path / "x.zip", generador="mejor_generador.keras")
    (copia / "generador.keras").unlink()  # como lo deja un Ctrl-C: solo el punto de control
    with pytest.raises(FileNotFoundError, match=r"no tiene generador.keras: el entrenamiento no terminó\. .*"
                       r"--tamano 32 --epocas 3 --salida \S+ --continuar».*usa --epocas 3 en lugar"):
        entrega.entregar(copia, tmp_path / "x.zip")
    # Lo que propone funciona: con --continuar y las épocas hechas no entrena más y guarda el generador.
    continuar(resultados, copia)
    _, manifiesto = entrega.entregar(copia, tmp_path / "x.zip", sin_imagenes=True)
    assert manifiesto["epocas"] == 3


def test_la_orden_para_rehacer_lleva_semilla_lote_y_comillas(tmp_path):
    # Sin la semilla, --continuar partiría la reserva de otro modo; sin comillas, la ruta se rompe en la terminal.
    resultados = tmp_path / "mis resultados" / "mi_gan"
    registro = {"imagenes": {"tamano": 64}, "semilla": 3, "receta": {"lote": 8}}
    assert shlex.split(comprobacion_entrega._orden_entrenar(resultados, registro, 12)) == [
        "python", "-m", "helpers", "entrenar", "TUS_IMAGENES", "--tamano", "64", "--epocas", "12",
        "--salida", str(resultados), "--semilla", "3", "--lote", "8", "--continuar"]
    # Con lo pedido anotado (épocas y lote de la última orden), la misma orden que dio entrenar al cortarse.
    registro["pedido"] = {"epocas": 8, "lote": 32}
    assert shlex.split(comprobacion_entrega._orden_entrenar(resultados, registro)) == [
        "python", "-m", "helpers", "entrenar", "TUS_IMAGENES", "--tamano", "64", "--epocas", "8",
        "--salida", str(resultados), "--semilla", "3", "--continuar"]


def test_la_reflexion_se_lee_como_markdown():
    html = paginas.markdown_a_html(
        "# Mi reflexión\n\n## Qué vi\nLa SWD bajó en **Ñuñoa** y *Providencia*,\ncon `lote=16`.\n\n"
        "- una\n- dos\n  que sigue\n\n3. tres\n4. cuatro\n")
    assert html == (
        "<h3>Mi reflexión</h3><h4>Qué vi</h4>"
        "<p>La SWD bajó en <strong>Ñuñoa</strong> y <em>Providencia</em>,<br>con <code>lote=16</code>.</p>"
        "<ul><li>una</li><li>dos<br>que sigue</li></ul>"
        '<ol start="3"><li>tres</li><li>cuatro</li></ol>')
    # Nombres de archivo y cuentas no se vuelven cursiva; un bloque de código se ve tal cual.
    assert paginas.markdown_a_html("generador_menor_swd.keras y 2*3*4") == "<p>generador_menor_swd.keras y 2*3*4</p>"
    assert paginas.markdown_a_html("```\n**x** <b>\n```") == "<pre><code>**x** &lt;b&gt;</code></pre>"


@pytest.mark.parametrize("texto, palabras", [
    ("Ver https://keras.io/api/models/ y resultados/mi_gan/generador.keras", 4),
    ("La SWD bajó de 0,35 a 0.2 con lr = 1e-4 — bien", 11),
    ("# Título\n\n- uno\n- dos\n\n10. diez\n\n___\n\n| a | b |", 6),
    ("Mira [la guía](https://keras.io/a_b_c/) y ![la cuadrícula](muestras.png), con `lote=16`.", 8),
    ("Antes:\n```python\nfor i in range(3):\n    print(i)\n```\nDespués.", 2),
    ("Sin cerrar:\n```\nprint(1)", 2),  # la página también lo muestra como código hasta el final
], ids=["direccion_y_ruta", "numeros_y_signos", "marcas_de_markdown", "enlace_imagen_y_codigo", "bloque_de_codigo",
        "bloque_sin_cerrar"])
def test_las_palabras_de_la_reflexion_se_cuentan_como_un_docente(texto, palabras):
    assert paginas.contar_palabras(texto) == palabras


def test_la_reflexion_no_puede_meter_html_ni_enlaces():
    html = paginas.markdown_a_html('Hola <script>alert("x")</script> **<img src=x onerror=alert(1)>**\n\n'
                                   "[la guía](https://keras.io/a_b_c/) y [esto](javascript:alert(1))")
    assert "<script" not in html and "<img" not in html and "<a" not in html
    assert "&lt;script&gt;" in html and "<strong>&lt;img src=x onerror=alert(1)&gt;</strong>" in html
    # Un enlace se ve como texto con su dirección, sin formato dentro de la dirección.
    assert "la guía (https://keras.io/a_b_c/)" in html and "esto (javascript:alert(1" in html


def test_la_fecha_se_lee_en_espanol():
    assert paginas.fecha_legible("2026-12-03T17:10:39+00:00") == "3 de diciembre de 2026, 17:10 (UTC)"
    assert paginas.fecha_legible("2027-01-01T01:05:00+02:00") == "31 de diciembre de 2026, 23:05 (UTC)"


def test_un_archivo_por_carpeta_o_una_carpeta_por_zip_se_explica(resultados, tmp_path, capsys):
    # Antes: «…/generador.keras no tiene tarea.json ni imagenes.npz» y ««carpeta» debe terminar en .zip».
    base, _ = resultados
    with pytest.raises(SystemExit) as salida:
        main(["entregar", str(base / "res" / "generador.keras"), "--salida", str(tmp_path / "x.zip")])
    assert salida.value.code == 1
    assert (f"«{base / 'res' / 'generador.keras'}» es un archivo: entrega la carpeta de tu entrenamiento (la --salida "
            f"de «entrenar»), «{base / 'res'}».") in capsys.readouterr().err
    with pytest.raises(ValueError, match=re.escape(f"«{tmp_path}» es una carpeta: escribe el nombre del .zip que se "
                                                   f"crea, p. ej. {tmp_path / 'entrega.zip'}.")):
        entrega.entregar(base / "res", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_las_que_deciden_dan_la_misma_memorizacion_que_todas():
    for semilla in range(3):
        azar = np.random.default_rng(semilla)
        entrenamiento = azar.integers(0, 256, (700, 6, 6, 1), dtype=np.uint8)
        reserva = entrega.a_rango_simetrico(azar.integers(0, 256, (20, 6, 6, 1), dtype=np.uint8), 255)
        todas = entrega.a_rango_simetrico(entrenamiento, 255)
        # Muestras al azar y casi copias de algunas de entrenamiento, como las de un generador que memoriza.
        muestras = np.concatenate([azar.uniform(-1, 1, (30, 6, 6, 1)), todas[:30] + azar.normal(0, 0.05, (30, 6, 6, 1))])
        muestras = muestras.astype(np.float32)
        bloques = np.array_split(entrenamiento, [50, 51, 300, 640])  # de tamaños distintos, uno de una sola imagen
        decidir = formato_entrega.imagenes_que_deciden
        indices, decisivas = decidir(muestras, reserva, iter(bloques), 700)
        assert len(indices) < 700 and (decisivas == entrenamiento[indices]).all()
        assert metricas.comprobar_memorizacion(muestras, entrega.a_rango_simetrico(decisivas, 255), reserva) == \
            metricas.comprobar_memorizacion(muestras, todas, reserva)
        # Completadas al azar hasta 600 (siempre las mismas con la misma semilla), y todas si no pasan de 700.
        completas, _ = decidir(muestras, reserva, iter(bloques), 700, maximo=600, semilla=5)
        assert len(completas) == 600 and set(indices) <= set(completas)
        assert (decidir(muestras, reserva, iter(bloques), 700, maximo=600, semilla=5)[0] == completas).all()
        assert (decidir(muestras, reserva, iter(bloques), 700, maximo=700)[1] == entrenamiento).all()


@pytest.fixture
def muchas(resultados, tmp_path, monkeypatch):
    """Una copia de los resultados con 400 imágenes de entrenamiento (las 17 y otras hechas de ellas con ruido), con
    entregar limitado a 100 por entrega y leyendo de 7 en 7."""
    copia = _copia(resultados, tmp_path)
    guardadas = {parte: imagenes_guardadas.leer_imagenes_guardadas(copia / tarea.ARCHIVO_IMAGENES, parte)
                 for parte in imagenes_guardadas.PARTES}
    azar = np.random.default_rng(0)
    base = guardadas["entrenamiento"][azar.integers(0, 17, 400)].astype(int) + azar.integers(-40, 41, (400, 32, 32, 3))
    entrenamiento = np.clip(base, 0, 255).astype(np.uint8)
    np.savez_compressed(copia / tarea.ARCHIVO_IMAGENES, entrenamiento=entrenamiento, reserva=guardadas["reserva"])
    registro = json.loads((copia / tarea.ARCHIVO_REGISTRO).read_text(encoding="utf-8"))
    registro["imagenes"]["entrenamiento"] = 400
    (copia / tarea.ARCHIVO_REGISTRO).write_text(json.dumps(registro), encoding="utf-8")
    monkeypatch.setattr(formato_entrega, "MAX_ENTRENAMIENTO", 100)  # al entregar y al revisar
    monkeypatch.setattr(imagenes_guardadas, "BYTES_POR_BLOQUE", 7 * 32 * 32 * 3)
    leidos = []
    bloques_guardados = imagenes_guardadas.bloques_guardados

    def contados(*args, **kwargs):
        for bloque in bloques_guardados(*args, **kwargs):
            leidos.append(len(bloque))
            yield bloque

    monkeypatch.setattr(entrega, "bloques_guardados", contados)
    monkeypatch.setattr(imagenes_guardadas, "bloques_guardados", contados)  # el de leer_imagenes_guardadas (la reserva)
    return copia, entrenamiento, guardadas["reserva"], leidos


def test_con_muchas_imagenes_la_entrega_lleva_las_que_deciden_y_revisar_mide_lo_mismo(muchas, tmp_path):
    copia, entrenamiento, reserva, leidos = muchas
    salida, manifiesto = entrega.entregar(copia, tmp_path / "ana.zip", nombre="Ana")
    # Las de entrenamiento, leídas de 7 en 7 y una sola vez (antes, todas de golpe y en float32).
    assert max(leidos) == 7 and sum(leidos) == 400 + 3
    with zipfile.ZipFile(salida) as archivo_zip:
        contenido = archivo_zip.read(tarea.ARCHIVO_IMAGENES)
    van, reserva_entregada = (imagenes_guardadas.leer_imagenes_guardadas(io.BytesIO(contenido), parte)
                              for parte in imagenes_guardadas.PARTES)
    assert len(van) == 100 and (reserva_entregada == reserva).all()
    assert {fila.tobytes() for fila in van} <= {fila.tobytes() for fila in entrenamiento}
    assert manifiesto["imagenes"]["entrenamiento"] == 400 and manifiesto["imagenes_entregadas"] == {"entrenamiento": 100, "reserva": 3}
    # La memorización es la de las 400, y revisar, con solo las 100 entregadas, la repite.
    generador = generador_guardado.cargar_generador(copia / "generador.keras")
    _, con_todas = formato_entrega.medir_memorizacion(generador, entrega.a_rango_simetrico(entrenamiento, 255),
                                                      entrega.a_rango_simetrico(reserva, 255))
    assert manifiesto["memorizacion"] == pytest.approx(con_todas, rel=1e-6)
    fila = revision_entrega.revisar_entrega(salida, tmp_path)
    assert fila["avisos"] == [] and fila["imagenes"] == 403 and fila["imagenes_contadas"] == 103
    assert fila["memorizacion"] == pytest.approx(con_todas["cociente"], rel=1e-6)
    assert fila["rubrica_datos"] == "excelente (declarado)"  # 103 contadas no llegan a 300
    informe = zipfile.ZipFile(salida).read("informe.html").decode("utf-8")
    assert "100 de entrenamiento (las que deciden la comprobación de memorización y otras al azar)" in informe


def test_un_total_inflado_en_el_manifiesto_se_avisa_aunque_no_vayan_todas(resultados, tmp_path, monkeypatch):
    # Antes, si no iban todas, cualquier total declarado mayor se daba por bueno: la tabla decía 30.003, sin aviso.
    copia = _copia(resultados, tmp_path)
    reserva = imagenes_guardadas.leer_imagenes_guardadas(copia / tarea.ARCHIVO_IMAGENES, "reserva")
    entrenamiento = np.random.default_rng(0).integers(0, 256, (2200, 32, 32, 3), dtype=np.uint8)
    np.savez_compressed(copia / tarea.ARCHIVO_IMAGENES, entrenamiento=entrenamiento, reserva=reserva)
    registro = json.loads((copia / tarea.ARCHIVO_REGISTRO).read_text(encoding="utf-8"))
    registro["imagenes"]["entrenamiento"] = 2200
    (copia / tarea.ARCHIVO_REGISTRO).write_text(json.dumps(registro), encoding="utf-8")
    monkeypatch.setattr(formato_entrega, "MAX_ENTRENAMIENTO", 2100)  # las que deciden son como mucho 256 × 8 + 3
    salida, manifiesto = entrega.entregar(copia, tmp_path / "ana.zip", nombre="Ana")
    assert manifiesto["imagenes_entregadas"] == {"entrenamiento": 2100, "reserva": 3}
    fila = revision_entrega.revisar_entrega(salida, tmp_path)
    assert fila["avisos"] == [] and fila["imagenes"] == 2203 and fila["imagenes_contadas"] == 2103
    with zipfile.ZipFile(salida) as entregado:
        archivos = {nombre: entregado.read(nombre) for nombre in entregado.namelist()}
    datos = json.loads(archivos[entrega.MANIFIESTO])
    datos["imagenes"]["entrenamiento"] = 30_000
    archivos[entrega.MANIFIESTO] = json.dumps(datos).encode()
    with zipfile.ZipFile(tmp_path / "inflada.zip", "w") as inflada:
        for nombre, contenido in archivos.items():
            inflada.writestr(nombre, contenido)
    fila = revision_entrega.revisar_entrega(tmp_path / "inflada.zip", tmp_path)
    assert fila["imagenes"] == 2103 and "imagenes_contadas" not in fila
    assert fila["avisos"] == ["el manifiesto declara 30.003 imágenes e imagenes.npz trae 2.103 (la tabla y la rúbrica "
                              "usan estas)"]


def test_el_informe_escribe_las_cifras_de_imagenes_con_punto_de_miles(muchas, tmp_path):
    # Con colecciones grandes se leía «19800 de entrenamiento» y «2500» mientras revisar escribe «19.800».
    salida, manifiesto = entrega.entregar(muchas[0], tmp_path / "ana.zip", nombre="Ana")
    with zipfile.ZipFile(salida) as entregado:
        archivos = {nombre: entregado.read(nombre) for nombre in entregado.namelist()}
    grande = {**manifiesto, "imagenes": {**manifiesto["imagenes"], "entrenamiento": 19_800},
              "imagenes_entregadas": {"entrenamiento": 2_500, "reserva": 3}}
    informe = pagina_entrega.informe_entrega(grande, archivos, None, None)
    assert "19.800 de entrenamiento y 3 de reserva" in informe
    assert "2.500 de entrenamiento (las que deciden" in informe


def test_una_entrega_de_antes_con_todas_las_imagenes_se_revisa_igual(muchas, tmp_path):
    copia, _, _, _ = muchas
    salida, manifiesto = entrega.entregar(copia, tmp_path / "ana.zip", nombre="Ana")
    # Como la hacía el kit anterior: formato 1, sin «imagenes_entregadas» y con todas las imágenes.
    with zipfile.ZipFile(salida) as entregado:
        archivos = {nombre: entregado.read(nombre) for nombre in entregado.namelist()}
    archivos[tarea.ARCHIVO_IMAGENES] = (copia / tarea.ARCHIVO_IMAGENES).read_bytes()
    datos = {**json.loads(archivos[entrega.MANIFIESTO]), "formato": 1}
    del datos["imagenes_entregadas"]
    datos["archivos"] = {n: hashlib.sha256(c).hexdigest() for n, c in archivos.items() if n != entrega.MANIFIESTO}
    archivos[entrega.MANIFIESTO] = json.dumps(datos).encode()
    with zipfile.ZipFile(tmp_path / "antes.zip", "w") as antes:
        for nombre, contenido in archivos.items():
            antes.writestr(nombre, contenido)
    fila = revision_entrega.revisar_entrega(tmp_path / "antes.zip", tmp_path)
    assert fila["avisos"] == [] and fila["imagenes"] == 403 and "imagenes_contadas" not in fila
    assert fila["memorizacion"] == pytest.approx(manifiesto["memorizacion"]["cociente"], rel=1e-6)
    assert fila["rubrica_datos"] == "excelente"


def test_lo_que_se_importa_de_helpers_entrega_sigue_ahi_aunque_viva_en_otro_modulo():
    # El cuaderno 06 (y sus copias guardadas) hace «from helpers.entrega import REFLEXION_DE_EJEMPLO, entregar», y
    # benchmarks/ y los guiones, «helpers.entrega.<nombre>» con lo que ahora vive en otro módulo: es lo mismo, no una copia.
    todo = {}
    exec("from helpers.entrega import *", todo)
    for nombre in ("entregar", "ADJUNTOS", "LADO_GIF", "CUADROS_GIF"):
        assert todo[nombre] is getattr(entrega, nombre)
    for modulo, nombres in ((formato_entrega, ("FORMATO", "GENERADORES", "MEDIDOS", "MUESTRAS_CUADRICULA",
                                               "MUESTRAS_MEMORIZACION", "VECINAS_MEMORIZACION", "MAX_ENTRENAMIENTO",
                                               "muestras_fijas", "medir_memorizacion", "imagenes_que_deciden",
                                               "posiciones_coherentes", "entrenamiento_entregado", "imagenes_medibles",
                                               "sha256")),
                            (comprobacion_entrega, ("CLAVES_REGISTRO", "CLAVES_IMAGENES")),
                            (nombre_y_reflexion, ("NOMBRE_DE_EJEMPLO", "REFLEXION_DE_EJEMPLO", "ZIP_POR_DEFECTO",
                                                  "MAX_REFLEXION", "DOCUMENTOS")),
                            (pagina_entrega, ("informe_entrega",))):
        for nombre in nombres:
            assert todo[nombre] is getattr(modulo, nombre)
    assert todo["MANIFIESTO"] == "manifiesto.json"


def test_los_olvidos_se_dicen_con_su_remedio(tmp_path, capsys):
    reflexion = tmp_path / "reflexion.md"
    olvidos = nombre_y_reflexion.avisar_olvidos(nombre_y_reflexion.NOMBRE_DE_EJEMPLO, tmp_path / "ana.zip", reflexion,
                                                nombre_y_reflexion.REFLEXION_DE_EJEMPLO)
    assert olvidos == {"la entrega va a nombre de «Tu nombre», el de ejemplo": "pon el tuyo en NOMBRE (en el cuaderno 06) "
                                                                             "o en --nombre",
                       "la reflexión es todavía el texto de ejemplo": f"escribe la tuya en «{reflexion}»"}
    assert capsys.readouterr().out.count("y vuelve a entregar (desde la terminal, borra antes") == 2
    # Sin nombre, con el zip por defecto (el nombre sería «entrega») y una reflexión en blanco; con un nombre, nada.
    assert list(nombre_y_reflexion.avisar_olvidos("", tmp_path / "entrega.zip", reflexion, " \n")) == [
        "la entrega va a nombre de «entrega», el nombre del zip por defecto", "la reflexión está vacía"]
    assert nombre_y_reflexion.avisar_olvidos("Ana", tmp_path / "entrega.zip", None, None) == {}
