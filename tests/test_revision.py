"""La revisión de la clase: una carpeta de entregas fabricada aquí, con una buena y una de cada problema."""

import ast
import base64
import csv
import errno
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from html import unescape
from pathlib import Path

import keras
import ml_dtypes
import numpy as np
import pytest
from PIL import Image

import helpers
from helpers import (declarado_entrega, entorno, entrega, formato_entrega, generador_ajeno, imagenes_guardadas,
                     lectura_entrega, medida_entrega, nombre_y_reflexion, paginas, revision, revision_entrega,
                     revision_informes, tarea)
from helpers.__main__ import main
from helpers.datos import a_rango_simetrico
from helpers.ejemplo import marcar_deflate64, png_enorme
from helpers.graficos import a_uint8, guardar_cuadricula

from test_hoja_calculo import leer_xlsx
from test_preparacion import zip_marcado_utf8_sin_serlo


def _sin_xla(*args, **kwargs):
    """XLA tarda decenas de segundos en compilar en CPU: en entrenamientos de pocos pasos no compensa."""
    gan = helpers.crear_gan(*args, **kwargs)
    gan.jit_compile = False
    return gan


def entrenar_rostros(base, inicio, semilla):
    """Entrena 2 épocas (modo rápido) con 30 de los rostros incluidos, guardados como PNG en ``base``."""
    caras = a_uint8(helpers.imagenes_rostros(32, "todo", espejo=False))[inicio : inicio + 30, ..., 0]
    fotos = base / f"fotos_{inicio}"
    fotos.mkdir(parents=True)
    for i, cara in enumerate(caras):
        Image.fromarray(cara).save(fotos / f"cara_{i:02d}.png")
    with pytest.MonkeyPatch.context() as parche:
        parche.setattr(tarea, "crear_gan", _sin_xla)
        tarea.entrenar_carpeta(fotos, base / f"resultados_{inicio}", tamano=32, epocas=2, semilla=semilla, verbose=0)
    return base / f"resultados_{inicio}"


def rehacer(origen, destino, cambios, manifiesto=None, huellas=True):
    """Copia la entrega ``origen`` en ``destino`` con ``cambios`` ({miembro: bytes}) y, si se pide,
    el manifiesto con las huellas SHA-256 al día (como haría quien quiere colar el cambio)."""
    with zipfile.ZipFile(origen) as viejo:
        archivos = {nombre: viejo.read(nombre) for nombre in viejo.namelist()}
    archivos.update(cambios)
    datos = json.loads(archivos[entrega.MANIFIESTO])
    datos.update(manifiesto or {})
    if huellas:
        datos["archivos"] = {n: hashlib.sha256(c).hexdigest() for n, c in archivos.items() if n != entrega.MANIFIESTO}
    archivos[entrega.MANIFIESTO] = json.dumps(datos).encode()
    with zipfile.ZipFile(destino, "w") as nuevo:
        for nombre, contenido in archivos.items():
            nuevo.writestr(nombre, contenido)


def generador_con_lambda():
    """Vector latente → imagen 32×32×3, con una capa ``Lambda`` (código de Python dentro del archivo)."""
    entrada = keras.Input((64,))
    x = keras.layers.Reshape((32, 32, 3))(keras.layers.Dense(32 * 32 * 3)(entrada))
    return keras.Model(entrada, keras.layers.Lambda(lambda t: keras.ops.tanh(t))(x))


def generador_de(alto, ancho, canales, latente=8):
    """Vector latente → imagen ``alto×ancho×canales`` con muy pocos pesos: Dense a 4×4 y UpSampling2D."""
    entrada = keras.Input((latente,))
    x = keras.layers.Reshape((4, 4, canales))(keras.layers.Dense(16 * canales)(entrada))
    return keras.Model(entrada, keras.layers.UpSampling2D((alto // 4, ancho // 4))(x))


# 18 palabras, como las contaría el docente: 6 en los dos primeros párrafos y 12 en el elemento de la lista (la
# dirección, la ruta y cada número son una; «1.», «=», «—» y la dirección del enlace, ninguna). El código no cuenta.
REFLEXION = """Mi GAN <aprendió> poco.

Segundo párrafo.

1. Con lr = 0,0002 y 1e-4: ver https://github.com/curso-gan/curso-gan/blob/main/lessons/03_problemas_del_entrenamiento.md
   y resultados/mi_gan/generador.keras — [la lección 3](https://github.com/curso-gan/curso-gan/blob/main/lessons/03.md).

```
python -m helpers entrenar mis_fotos --epocas 30
```
"""


@pytest.fixture(scope="module")
def clase(tmp_path_factory):
    """Carpeta ``entregas`` con 13 zips (ver ``ESPERADO``) y los dos entrenamientos de los que salen."""
    base = tmp_path_factory.mktemp("clase")
    ana, beto = entrenar_rostros(base, 0, semilla=0), entrenar_rostros(base, 40, semilla=1)
    entregas = base / "entregas"
    entregas.mkdir()
    (base / "reflexion.md").write_text(REFLEXION, encoding="utf-8")
    entrega.entregar(ana, entregas / "ana.zip", nombre="Ana", reflexion=base / "reflexion.md")
    entrega.entregar(beto, entregas / "beto.zip", nombre="Beto")
    entrega.entregar(beto, entregas / "sin_reserva.zip", nombre="Sofía", sin_imagenes=True)
    # La cuadrícula cambiada por fotos reales (las de entrenamiento de Beto), del mismo tamaño.
    reales = a_rango_simetrico(imagenes_guardadas.leer_imagenes_guardadas(beto / tarea.ARCHIVO_IMAGENES, "entrenamiento"), 255)
    falsa = guardar_cuadricula(np.resize(reales, (64, *reales.shape[1:])), base / "falsa.png").read_bytes()
    rehacer(entregas / "beto.zip", entregas / "cuadricula.zip", {"muestras.png": falsa}, {"alumno": "Ciro"})
    # Sin la cuadrícula entregada: se revisa igual, con la regenerada.
    with zipfile.ZipFile(entregas / "beto.zip") as beto_zip, zipfile.ZipFile(entregas / "sin_muestras.zip", "w") as nuevo:
        for nombre in beto_zip.namelist():
            if nombre != "muestras.png":
                nuevo.writestr(nombre, beto_zip.read(nombre))
    # Un zip de fotos, no de «entregar».
    with zipfile.ZipFile(entregas / "fotos.zip", "w") as fotos:
        fotos.writestr("cara_00.png", falsa)
    # El generador de Beto con otro nombre; el nombre empieza por «=» (fórmula en una hoja de cálculo).
    rehacer(entregas / "beto.zip", entregas / "copia.zip", {}, {"alumno": "=HIPERVINCULO(1)"})
    # Cifras mejoradas a mano en el manifiesto de Beto.
    datos = json.loads(zipfile.ZipFile(entregas / "beto.zip").read(entrega.MANIFIESTO))
    datos["medidas"]["generador.keras"]["swd"] /= 3
    rehacer(entregas / "beto.zip", entregas / "infladas.zip", {}, {"medidas": datos["medidas"]})
    # Un generador con una capa Lambda (código) en lugar del de Ana.
    ruta_lambda = base / "lambda.keras"
    generador_con_lambda().save(ruta_lambda)
    rehacer(entregas / "ana.zip", entregas / "lambda.zip", {"generador.keras": ruta_lambda.read_bytes()})
    # Un generador de pocos KB que dibuja 1024×1024: generar con él agotaría la memoria de un portátil.
    ruta_grande = base / "grande.keras"
    generador_de(1024, 1024, 3, latente=64).save(ruta_grande)
    rehacer(entregas / "ana.zip", entregas / "grande.zip", {"generador.keras": ruta_grande.read_bytes()})
    manifiesto = json.loads(zipfile.ZipFile(entregas / "ana.zip").read(entrega.MANIFIESTO))
    rehacer(entregas / "ana.zip", entregas / "muchas.zip", {},
            {"semillas": {**manifiesto["semillas"], "muestras_cuadricula": 1024}})
    # Más reserva de la que aparta «entrenar»: se generaría el doble de muestras.
    npz = io.BytesIO()
    np.savez_compressed(npz, entrenamiento=np.zeros((2, 32, 32, 3), np.uint8), reserva=np.zeros((201, 32, 32, 3), np.uint8))
    rehacer(entregas / "ana.zip", entregas / "reserva.zip", {tarea.ARCHIVO_IMAGENES: npz.getvalue()})
    with zipfile.ZipFile(entregas / "escapa.zip", "w") as malicioso:
        malicioso.writestr("../fuera.txt", "escribo fuera")
        malicioso.writestr(entrega.MANIFIESTO, "{}")
    contenido = (entregas / "ana.zip").read_bytes()
    (entregas / "subcarpeta").mkdir()
    (entregas / "subcarpeta" / "truncado.zip").write_bytes(contenido[: len(contenido) // 2])
    return {"base": base, "entregas": entregas, "ana": ana}


def _foto(carpeta):
    """{ruta relativa: huella} de todo lo que hay bajo ``carpeta``."""
    return {p.relative_to(carpeta): hashlib.sha256(p.read_bytes()).hexdigest() for p in carpeta.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def revisada(clase):
    """Revisa la clase con la línea de órdenes y devuelve las filas del CSV por entrega."""
    base, entregas = clase["base"], clase["entregas"]
    antes = _foto(base)
    main(["revisar", str(entregas), "--salida", str(base / "informe" / "clase.html")])
    despues = _foto(base)
    with open(base / "informe" / "clase.csv", newline="", encoding="utf-8-sig") as archivo:
        filas = {fila["entrega"]: fila for fila in csv.DictReader(archivo)}
    return {"filas": filas, "antes": antes, "despues": despues, **clase}


def _alrededor(html, entrega):
    """El HTML antes y después de la celda «entrega» de la fila de ``entrega`` (su valor para ordenar, su posición)."""
    return re.split(rf'<td data-valor="\d+">{re.escape(entrega)}</td>', html)


ESPERADO = {
    "cuadricula.zip": "la cuadrícula entregada no sale de este generador",
    "copia.zip": "generador idéntico al de beto.zip",
    "infladas.zip": "SWD del manifiesto no coincide con lo re-medido",
    "sin_reserva.zip": "sin imágenes de reserva",
    "sin_muestras.zip": "sin muestras.png, la cuadrícula entregada: no se puede comprobar",
}
ILEGIBLES = {
    "escapa.zip": "ruta con «..»",
    "lambda.zip": "capas no permitidas: Lambda",
    "subcarpeta/truncado.zip": "no es un .zip válido",
    "grande.zip": "generador.keras dibuja imágenes de 1024×1024×3 (se revisan hasta 256×256 con 1 o 3 canales",
    "muchas.zip": "manifiesto.json pide una cuadrícula de 1024 muestras («entregar» la hace de 64)",
    "reserva.zip": "imagenes.npz tiene 201 imágenes de reserva («entrenar» aparta como mucho 200)",
    "fotos.zip": "falta manifiesto.json; no parece una entrega hecha con «entregar»",
}
# El paso siguiente que cada motivo da al docente.
QUE_HACER = ("pide al estudiante", "descárgalo de nuevo", "descomprímelo")


def test_cada_entrega_tiene_su_aviso(revisada):
    filas = revisada["filas"]
    assert set(filas) == {"ana.zip", "beto.zip", *ESPERADO, *ILEGIBLES}
    for nombre, aviso in ESPERADO.items():
        assert aviso in filas[nombre]["avisos"], (nombre, filas[nombre]["avisos"])
        assert filas[nombre]["motivo"] == ""
    for nombre, motivo in ILEGIBLES.items():
        assert motivo in filas[nombre]["motivo"], (nombre, filas[nombre]["motivo"])
    # Las copiadas y cambiadas comparten generador con la de Beto: se avisa en las dos direcciones.
    assert "generador idéntico al de copia.zip" in filas["beto.zip"]["avisos"]
    assert "cuadrícula" not in filas["beto.zip"]["avisos"] and "manifiesto" not in filas["beto.zip"]["avisos"]


def test_la_cuadricula_de_otra_version_del_kit_se_reconoce(clase, tmp_path):
    # Las versiones anteriores del kit la guardaban sin ampliar (263 px para 32 px), esta a unos 512 px: las dos
    # salen del mismo generador. Antes, la de 263 px se daba por falsa.
    with zipfile.ZipFile(clase["entregas"] / "beto.zip") as beto:
        (tmp_path / "generador.keras").write_bytes(beto.read("generador.keras"))
        semillas = json.loads(beto.read(entrega.MANIFIESTO))["semillas"]
        assert Image.open(io.BytesIO(beto.read("muestras.png"))).width == 526
    muestras = formato_entrega.muestras_fijas(helpers.cargar_generador(tmp_path / "generador.keras"),
                                              semillas["cuadricula"], semillas["muestras_cuadricula"])
    for escala in (1, 3):
        png = guardar_cuadricula(muestras, tmp_path / f"muestras_{escala}.png", escala=escala).read_bytes()
        rehacer(clase["entregas"] / "beto.zip", tmp_path / f"escala_{escala}.zip", {"muestras.png": png})
        fila = revision_entrega.revisar_entrega(tmp_path / f"escala_{escala}.zip", tmp_path)
        assert not any("cuadrícula" in aviso for aviso in fila["avisos"]), (escala, fila["avisos"])
    # Una cuadrícula ampliada que no sale de este generador se sigue viendo, también si solo cambian los píxeles que
    # no son el centro de cada bloque (la ampliación repite cada píxel: se comparan todos, no uno por bloque).
    buena = np.asarray(Image.open(tmp_path / "muestras_3.png").convert("RGB")).copy()
    buena[0::3] = 0  # la primera fila de cada bloque de 3×3, en negro
    falsas = {"negativo": guardar_cuadricula(-muestras, tmp_path / "negativo.png", escala=2).read_bytes(),
              "retocada": _png_de(buena)}
    for nombre, png in falsas.items():
        rehacer(clase["entregas"] / "beto.zip", tmp_path / f"{nombre}.zip", {"muestras.png": png})
        fila = revision_entrega.revisar_entrega(tmp_path / f"{nombre}.zip", tmp_path)
        assert "la cuadrícula entregada no sale de este generador con la semilla anotada" in fila["avisos"], nombre


def _png_de(matriz):
    salida = io.BytesIO()
    Image.fromarray(matriz).save(salida, format="PNG")
    return salida.getvalue()


def test_el_alumno_sin_espacios_de_mas():
    # Antes, «  Nuria   Peña» llegaba así a la hoja de cálculo y no se encontraba al buscar «Nuria Peña».
    assert declarado_entrega.texto_declarado("  Nuria   Peña\tIbáñez\n") == "Nuria Peña Ibáñez"


def test_el_alumno_escrito_en_macos_se_encuentra_en_el_libro_de_notas():
    # Antes, «Zoé Díaz» de un Mac (NFD: «e» + «´») llegaba así a la hoja y al CSV: buscar «Zoé Díaz» tecleado
    # (NFC) no lo encontraba, aunque se vea igual.
    tecleado = "Zoé Díaz"
    assert declarado_entrega.texto_declarado(unicodedata.normalize("NFD", f"{tecleado} ")) == tecleado


def test_una_cuadricula_enorme_se_dice_enorme_y_no_danada(recwarn):
    # Antes, la de 20.000 px salía «dañado» (Pillow se niega a abrirla: más del doble de su límite) y el docente la
    # descargaba de nuevo para nada; la de 10.000 px, además, sacaba el aviso de Pillow en inglés.
    for ancho, alto in ((20_000, 20_000), (10_000, 10_000), (5_000, 1)):
        with pytest.raises(lectura_entrega.EntregaIlegible, match=r"muestras.png es una imagen enorme \(más de 4096 px "
                                                                   r"de lado\), no la cuadrícula de «entregar»"):
            lectura_entrega.leer_png(png_enorme(ancho, alto))
    assert not [aviso for aviso in recwarn if issubclass(aviso.category, Image.DecompressionBombWarning)]
    with pytest.raises(lectura_entrega.EntregaIlegible, match="muestras.png está dañado"):
        lectura_entrega.leer_png(png_enorme(64, 64)[:30])


def test_un_zip_vacio_o_con_otro_modelo_dice_lo_que_trae(tmp_path):
    # Antes, el vacío decía «falta manifiesto.json; no parece una entrega…» y el de un .h5 en lugar del .keras,
    # «falta generador.keras» sin más: el docente no sabía qué había recibido.
    vacio = tmp_path / "vacio.zip"
    zipfile.ZipFile(vacio, "w").close()
    with pytest.raises(lectura_entrega.EntregaIlegible, match="^el .zip está vacío; pide al estudiante"):
        revision_entrega.revisar_entrega(vacio, tmp_path)
    con_h5 = tmp_path / "con_h5.zip"
    with zipfile.ZipFile(con_h5, "w") as archivo:
        archivo.writestr(entrega.MANIFIESTO, "{}")
        archivo.writestr("modelo.h5", b"\x89HDF")
    with pytest.raises(lectura_entrega.EntregaIlegible, match=r"^falta generador.keras, el generador que se revisa "
                       r"\(trae modelo.h5: revisar solo lee el generador.keras que guarda «entregar»\); pide al"):
        revision_entrega.revisar_entrega(con_h5, tmp_path)


def test_cada_ilegible_dice_que_hacer(revisada):
    for nombre in ILEGIBLES:
        motivo = revisada["filas"][nombre]["motivo"]
        assert any(paso in motivo for paso in QUE_HACER), (nombre, motivo)


def test_sin_muestras_png_se_revisa_con_la_cuadricula_regenerada(revisada):
    sin, beto = revisada["filas"]["sin_muestras.zip"], revisada["filas"]["beto.zip"]
    assert sin["motivo"] == "" and sin["swd"] == beto["swd"] and sin["rubrica_metricas"] == "re-medidas"
    # La comprobación de la cuadrícula no se da por pasada: se dice que falta, no que no coincide.
    assert "faltan archivos que el manifiesto declara (se quitaron del zip): muestras.png" in sin["avisos"]
    assert "no sale de este generador" not in sin["avisos"]
    html = (revisada["base"] / "informe" / "clase.html").read_text(encoding="utf-8")
    fila = _alrededor(html, "sin_muestras.zip")[1].split("</tr>")[0]
    assert "sin muestras.png, la cuadrícula entregada" in fila
    assert "<figcaption>regenerada aquí</figcaption>" in _alrededor(html, "sin_muestras.zip")[0].rsplit("<tr>", 1)[1]


def test_el_informe_dibuja_los_pares_y_rotula_cada_miniatura(revisada):
    html = (revisada["base"] / "informe" / "clase.html").read_text(encoding="utf-8")
    celda = _alrededor(html, "ana.zip")[0].rsplit("<tr>", 1)[1]
    pie = "las 8 muestras más parecidas al entrenamiento, sobre su foto"
    assert "<figcaption>regenerada aquí</figcaption>" in celda and f"<figcaption>{pie}</figcaption>" in celda
    assert "la entregada (no coincide)" not in celda
    # Dibujados por revisar con las imágenes entregadas, no copiados de informe.html: 8 parejas de 32 px.
    uri = celda.split(f'alt="{pie}"')[0].rsplit('src="data:image/png;base64,', 1)[1].split('"')[0]
    with Image.open(io.BytesIO(base64.b64decode(uri))) as pares:
        assert pares.size == (8 * 32, 2 * 32)
    cuadricula = _alrededor(html, "cuadricula.zip")[0].rsplit("<tr>", 1)[1]
    assert "<figcaption>la entregada (no coincide)</figcaption>" in cuadricula


def test_la_buena_tiene_sus_numeros_y_ningun_aviso(revisada):
    ana = revisada["filas"]["ana.zip"]
    assert ana["avisos"] == "" and ana["motivo"] == ""
    manifiesto = json.loads(zipfile.ZipFile(revisada["entregas"] / "ana.zip").read(entrega.MANIFIESTO))
    medida = manifiesto["medidas"]["generador.keras"]
    assert float(ana["swd"]) == pytest.approx(medida["swd"], rel=1e-3)
    assert float(ana["kid"]) == pytest.approx(medida["kid"], rel=1e-2, abs=1e-3)
    assert float(ana["memorizacion"]) == pytest.approx(manifiesto["memorizacion"]["cociente"], rel=1e-3)
    assert (ana["alumno"], ana["imagenes"], ana["tamano"], ana["epocas"]) == ("Ana", "30", "32×32×3", "2")
    assert ana["rubrica_datos"].startswith("insuficiente") and ana["rubrica_reanudable"].startswith("suficiente")
    assert revisada["filas"]["sin_reserva.zip"]["swd"] == ""
    # Antes, 54: cada trozo de la dirección y de la ruta, «0» y «0002», «1e» y «4», el número de la lista y el código.
    assert ana["palabras_reflexion"] == "18" and revisada["filas"]["sin_reserva.zip"]["palabras_reflexion"] == "0"
    html = (revisada["base"] / "informe" / "clase.html").read_text(encoding="utf-8")
    assert "reflexión: 18 palabras (unas 500)" in _alrededor(html, "ana.zip")[1].split("</tr>")[0]


def test_no_escribe_fuera_de_la_salida_ni_toca_las_entregas(revisada):
    nuevos = set(revisada["despues"]) - set(revisada["antes"])
    assert {str(p) for p in nuevos} == {"informe/clase.html", "informe/clase.csv", "informe/clase.xlsx"}
    assert all(revisada["despues"][p] == huella for p, huella in revisada["antes"].items())
    assert not list(revisada["base"].parent.rglob("fuera.txt"))


def test_el_csv_no_deja_pasar_formulas(revisada):
    assert revisada["filas"]["copia.zip"]["alumno"] == "'=HIPERVINCULO(1)"


def test_la_hoja_de_calculo_guarda_numeros_y_dice_lo_mismo_que_el_csv(revisada):
    hoja = leer_xlsx(revisada["base"] / "informe" / "clase.xlsx")
    assert hoja[0] == list(revision_informes.COLUMNAS)
    filas = {fila[0]: dict(zip(hoja[0], fila)) for fila in hoja[1:]}
    assert set(filas) == set(revisada["filas"])
    for nombre, fila in filas.items():
        for columna, valor in fila.items():
            en_csv = revisada["filas"][nombre][columna]
            if isinstance(valor, float):  # los números, como números: nadie los reinterpreta con su idioma
                assert valor == float(en_csv), (nombre, columna)
            elif columna == "alumno" and nombre == "copia.zip":
                assert (valor, en_csv) == ("=HIPERVINCULO(1)", "'=HIPERVINCULO(1)")  # texto, nunca una fórmula
            else:
                assert (valor or "") == en_csv, (nombre, columna)
    assert isinstance(filas["ana.zip"]["kid"], float) and isinstance(filas["ana.zip"]["imagenes"], float)


def test_no_sobrescribe_un_informe(revisada, capsys):
    with pytest.raises(SystemExit) as salida:
        main(["revisar", str(revisada["entregas"]), "--salida", str(revisada["base"] / "informe" / "clase.html")])
    assert salida.value.code == 1
    assert "ya existe" in capsys.readouterr().err


def test_los_zips_ocultos_no_son_entregas(tmp_path, revisada):
    # El temporal de un «entregar» cortado y el doble ._ de macOS no son entregas.
    carpeta = tmp_path / "entregas"
    (carpeta / "ana").mkdir(parents=True)
    ana = revisada["entregas"] / "ana.zip"
    shutil.copy(ana, carpeta / "ana" / ".ana.tmp.zip")
    shutil.copy(ana, carpeta / "._ana.zip")
    with pytest.raises(ValueError, match="no tiene ningún .zip"):
        revision.revisar(carpeta, tmp_path / "clase.html")


def test_entregas_vueltas_a_comprimir_retocadas_o_mal_puestas(tmp_path, revisada):
    ana = revisada["entregas"] / "ana.zip"
    carpeta = tmp_path / "clase"
    carpeta.mkdir()
    with zipfile.ZipFile(ana) as original:
        archivos = {nombre: original.read(nombre) for nombre in original.namelist()}

    def comprimir(nombre, miembros):
        with zipfile.ZipFile(carpeta / nombre, "w") as nuevo:
            for miembro, contenido in miembros.items():
                nuevo.writestr(miembro, contenido)

    # Vuelta a comprimir con su carpeta y con la basura de macOS: se revisa como la original.
    comprimir("carpeta.zip", {f"ana/{n}": c for n, c in archivos.items()} | {"__MACOSX/ana/._generador.keras": b"x"})
    comprimir("mac.zip", archivos | {".DS_Store": b"x", "notas.txt": b"hola"})
    comprimir("windows.zip", {f"ana\\{n}": c for n, c in archivos.items()})  # «ana\manifiesto.json»
    comprimir("sin_npz.zip", {n: c for n, c in archivos.items() if n != tarea.ARCHIVO_IMAGENES})
    comprimir("de_toda_la_clase.zip", {"ana.zip": ana.read_bytes()})
    # Cifras imposibles escritas a mano (con las huellas al día).
    rehacer(ana, carpeta / "editada.zip", {}, {"epocas": 1e300, "minutos": float("nan"), "reanudaciones": -3})
    rehacer(ana, carpeta / "futura.zip", {}, {"formato": formato_entrega.FORMATO + 1})  # de un kit más nuevo
    # Una descomprimida, y un nombre que no es UTF-8 (zips de Windows): ninguno para la revisión.
    with zipfile.ZipFile(ana) as original:
        original.extractall(carpeta / "descomprimida")
        original.extractall(carpeta / "mac")  # junto a su mac.zip (descomprimida por el navegador): no cuenta
    shutil.copy(ana, bytes(carpeta / "luis_p") + b"\xe9rez.zip")
    shutil.copy(ana, carpeta / "José.ZIP")  # la extensión en mayúsculas también es un zip
    with pytest.raises(ValueError, match="es un archivo y revisar recibe la carpeta"):
        revision.revisar(ana, tmp_path / "x.html")

    filas = {fila["entrega"]: fila for fila in revision.revisar(carpeta, tmp_path / "informe.html")}
    assert set(filas) == {"carpeta.zip", "mac.zip", "windows.zip", "sin_npz.zip", "de_toda_la_clase.zip", "editada.zip",
                          "futura.zip", "descomprimida", "luis_p\ufffdrez.zip", "José.ZIP"}
    formato = formato_entrega.FORMATO
    assert filas["futura.zip"]["avisos"][0] == (f"hecha con un kit más nuevo que el tuyo (formato {formato + 1}; "
                                                f"el tuyo lee hasta el {formato}): actualiza el kit y revisa de nuevo")
    assert filas["windows.zip"]["motivo"] == "" and not [a for a in filas["windows.zip"]["avisos"] if "archivos" in a]
    assert filas["José.ZIP"]["motivo"] == "" and filas["José.ZIP"]["swd"] == filas["carpeta.zip"]["swd"]
    assert filas["carpeta.zip"]["motivo"] == "" and not [a for a in filas["carpeta.zip"]["avisos"] if "archivos" in a]
    assert filas["mac.zip"]["avisos"][0] == "archivos añadidos después de empaquetar (el manifiesto no los lista): notas.txt"
    assert filas["sin_npz.zip"]["avisos"][0].startswith("faltan archivos que el manifiesto declara (se quitaron del "
                                                        "zip): imagenes.npz")
    assert "contiene otros .zip" in filas["de_toda_la_clase.zip"]["motivo"]
    assert "carpeta descomprimida" in filas["descomprimida"]["motivo"]
    editada = filas["editada.zip"]
    assert editada["epocas"] is None and editada["minutos"] is None and editada["rubrica_reanudable"] == "suficiente (sin declarar)"
    assert sum("no es creíble" in aviso for aviso in editada["avisos"]) == 3
    html = (tmp_path / "informe.html").read_text(encoding="utf-8")
    assert "10 entregas de «clase»" in html and "luis_p\ufffdrez.zip" in html
    assert (tmp_path / "informe.csv").exists() and (tmp_path / "informe.xlsx").exists()
    assert not list(tmp_path.glob(".*.tmp"))


def test_un_manifiesto_con_nulos_o_textos_donde_van_cifras(revisada, tmp_path):
    ana = revisada["entregas"] / "ana.zip"
    rehacer(ana, tmp_path / "nulos.zip", {}, {"alumno": None, "dispositivo": None,
                                             "imagenes": {"entrenamiento": "muchas", "reserva": 7}})
    fila = revision_entrega.revisar_entrega(tmp_path / "nulos.zip", tmp_path)
    # Como si faltaran (no «None»), y la cuenta que no es un número se dice en lugar de sumarse como 0.
    assert (fila["alumno"], fila["dispositivo"], fila["imagenes"]) == ("", "", 30)
    assert "el manifiesto declara «muchas» imágenes de entrenamiento, que no es un número: se editó a mano" in fila["avisos"]
    assert not [aviso for aviso in fila["avisos"] if "declara 7" in aviso]
    revision_informes.escribir_csv([fila], tmp_path / "nulos.csv")
    with open(tmp_path / "nulos.csv", newline="", encoding="utf-8-sig") as archivo:
        assert next(csv.DictReader(archivo))["alumno"] == ""
    assert ">None<" not in revision_informes.informe_clase([{**fila, "entrega": "nulos.zip"}], tmp_path)


def test_la_columna_tamano_se_ordena_por_el_lado(tmp_path):
    # Como texto, al pulsar «tamaño» la de 128 px iba antes que la de 32.
    filas = [{**dict.fromkeys(revision_informes.COLUMNAS), "alumno": "", "avisos": [], "motivo": "", "entrega": f"{lado}.zip",
              "tamano": f"{lado}×{lado}×3"} for lado in (128, 32)]
    html = revision_informes.informe_clase(filas + [{**filas[0], "tamano": None, "entrega": "ilegible.zip"}], tmp_path)
    assert 'data-valor="128">128×128×3</td>' in html and 'data-valor="32">32×32×3</td>' in html
    # La columna «alumno» queda fija al desplazar la tabla: sin alumno, dice de qué zip es la fila.
    assert '<td class="fija" data-valor=""><em>ilegible.zip</em></td>' in html


def test_cifras_del_manifiesto():
    # La KID es insesgada y puede salir algo negativa: se compara como cualquier otra cifra.
    numero, cifra = declarado_entrega.numero_declarado, declarado_entrega.cifra_declarada
    assert numero(-0.0003) == -0.0003 and numero(float("inf")) is None
    assert not medida_entrega._discrepan(-0.0003, numero(-0.0002), "kid")
    fila = {"avisos": []}
    assert cifra("epocas", 12, fila) == 12 and fila["avisos"] == []
    assert cifra("epocas", -1, fila) is None
    assert cifra("epocas", None, fila) is None  # sin declarar: sin aviso
    # Un entero que no cabe en un float (el JSON lo admite): antes, OverflowError de math.isfinite y sin revisión.
    assert numero(10**400) is None and cifra("epocas", 10**400, fila) is None
    assert cifra("epocas", 99.5, fila) is None and cifra("minutos", 2.5, fila) == 2.5
    assert fila["avisos"] == ["el manifiesto declara -1 épocas, que no es creíble: se editó a mano",
                              "el manifiesto declara 10000000000000000000 épocas, que no es creíble: se editó a mano",
                              "el manifiesto declara 99.5 épocas, que no es creíble: se editó a mano"]
    fila = {"avisos": []}
    assert declarado_entrega.imagenes_declaradas({"entrenamiento": 27, "reserva": 3}, fila) == 30
    assert fila["avisos"] == []
    assert declarado_entrega.imagenes_declaradas({"entrenamiento": 3.5, "reserva": 3.5}, fila) is None
    assert declarado_entrega.imagenes_declaradas({"entrenamiento": 27, "reserva": [3]}, fila) is None
    assert fila["avisos"] == [
        "el manifiesto declara «3.5» imágenes de entrenamiento, que no es un número entero: se editó a mano",
        "el manifiesto declara «3.5» imágenes de reserva, que no es un número entero: se editó a mano",
        "el manifiesto declara «[3]» imágenes de reserva, que no es un número: se editó a mano"]


def test_la_entrega_dentro_de_carpetas_o_con_algo_al_lado():
    entrega = {"manifiesto.json": b"m", "generador.keras": b"g"}
    sistema = {"__MACOSX/x/._generador.keras": b"", "x/.DS_Store": b""}
    assert lectura_entrega.sin_carpeta_comun(entrega | sistema) == entrega
    assert lectura_entrega.sin_carpeta_comun({f"x/beto/{n}": c for n, c in entrega.items()} | sistema) == entrega
    # Lo de fuera de la carpeta de la entrega conserva su ruta: la revisión lo avisa como añadido.
    assert lectura_entrega.sin_carpeta_comun({f"beto/{n}": c for n, c in entrega.items()} | {"LEEME.txt": b"l"}) == {
        **entrega, "LEEME.txt": b"l"}
    with pytest.raises(lectura_entrega.EntregaIlegible, match=r"tiene 2 manifiesto.json \(ana/manifiesto.json, "
                                                       r"beto/manifiesto.json\): es más de una entrega"):
        lectura_entrega.sin_carpeta_comun({f"{a}/{n}": c for a in ("ana", "beto") for n, c in entrega.items()})
    with pytest.raises(lectura_entrega.EntregaIlegible, match="tiene generador.keras dentro y fuera de «beto»"):
        lectura_entrega.sin_carpeta_comun({f"beto/{n}": c for n, c in entrega.items()} | {"generador.keras": b"otro"})
    with pytest.raises(lectura_entrega.EntregaIlegible, match="es más de una entrega"):  # una en la raíz y otra dentro
        lectura_entrega.sin_carpeta_comun(entrega | {f"beto/{n}": c for n, c in entrega.items()})


def test_un_texto_que_no_es_utf8_en_el_manifiesto_no_tumba_la_revision():
    manifiesto = {"semillas": {"cuadricula": 0, "muestras_cuadricula": 4, "medidas": 0}, "medidas": {},
                  "generador_elegido": "generador.keras", "archivos": {"a\ud800.png": "0"}, "alumno": "Ana \ud800"}
    leido = lectura_entrega.leer_manifiesto(json.dumps(manifiesto).encode())  # «\ud800» escrito como escape de JSON
    assert leido["alumno"] == "Ana ?" and list(leido["archivos"]) == ["a?.png"]
    # Editado a mano con otro tipo donde va el nombre del generador: se dice que el manifiesto está dañado.
    with pytest.raises(lectura_entrega.EntregaIlegible, match="manifiesto.json está dañado o no es de «entregar»"):
        lectura_entrega.leer_manifiesto(json.dumps({**manifiesto, "generador_elegido": ["x"]}).encode())


def test_objetos_no_permitidos():
    capa = {"module": "keras.layers", "class_name": "Dense", "config": {}, "registered_name": None}
    assert generador_ajeno.objetos_no_permitidos({"layers": [capa]}) == []
    del_kit = {"module": "helpers.estabilizadores", "class_name": "DesviacionMinilote",
               "registered_name": "curso_gan>DesviacionMinilote"}
    assert generador_ajeno.objetos_no_permitidos([del_kit, {"class_name": "__tuple__", "config": {}}]) == []
    ajena = {"module": "mi_paquete", "class_name": "Trampa", "registered_name": "mio>Trampa"}
    lambda_ = {"module": "keras.layers", "class_name": "Lambda", "config": {"function": {"class_name": "__lambda__"}}}
    assert generador_ajeno.objetos_no_permitidos({"capas": [ajena, lambda_]}) == ["Lambda", "Trampa", "__lambda__"]


def _buscar(captura, miniatura):
    """¿Aparece ``miniatura`` (alto×ancho×3) píxel a píxel en ``captura``? (tolerancia de 3 niveles)

    Primero, las posiciones donde coinciden 4 píxeles ancla; luego, la miniatura entera en cada una.
    """
    captura, miniatura = captura.astype(int), miniatura.astype(int)
    alto, ancho = miniatura.shape[:2]
    filas, columnas = captura.shape[0] - alto + 1, captura.shape[1] - ancho + 1
    posibles = np.ones((filas, columnas), bool)
    for dy, dx in ((0, 0), (alto // 2, ancho // 2), (alto - 1, ancho - 1), (alto // 3, 2 * ancho // 3)):
        posibles &= np.abs(captura[dy : dy + filas, dx : dx + columnas] - miniatura[dy, dx]).max(-1) <= 3
    return any(np.abs(captura[y : y + alto, x : x + ancho] - miniatura).mean() < 3 for y, x in zip(*np.nonzero(posibles)))


def test_el_informe_se_ve_en_un_navegador(revisada, tmp_path):
    navegador = shutil.which("chromium") or shutil.which("chromium-browser")
    assert navegador, "Hace falta Chromium para esta prueba: apt-get install -y chromium"
    informe = revisada["base"] / "informe" / "clase.html"
    captura = tmp_path / "captura.png"
    subprocess.run(
        [navegador, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'perfil'}",
         "--force-device-scale-factor=1", "--window-size=1500,1400", f"--screenshot={captura}", informe.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    pixeles = np.asarray(Image.open(captura).convert("RGB"))
    assert pixeles.std() > 10  # no está en blanco
    encabezado = np.all(np.abs(pixeles.astype(int) - (232, 238, 247)) <= 2, axis=-1)
    assert encabezado.sum() > 2000  # la fila de encabezados de la tabla
    html = informe.read_text(encoding="utf-8")
    assert "<script>" in html and 'class="ordenable"' in html and 'src="http' not in html
    primera = html.split('src="data:image/png;base64,')[1].split('"')[0]
    miniatura = np.asarray(Image.open(io.BytesIO(base64.b64decode(primera))).convert("RGB"))
    assert _buscar(pixeles, miniatura)


def test_casi_identicos_respecto_de_la_clase():
    """Con la misma semilla todos los generadores se parecen: «casi idéntico» es relativo a la clase."""
    rng = np.random.default_rng(0)
    inicio = rng.normal(size=1000)
    filas = [{"entrega": f"{i}.zip", "avisos": [], "pesos": inicio + 0.01 * rng.normal(size=1000)} for i in range(4)]
    filas.append({"entrega": "retocada.zip", "avisos": [], "pesos": filas[0]["pesos"] + 0.001 * rng.normal(size=1000)})
    filas.append({"entrega": "otra_red.zip", "avisos": [], "pesos": np.zeros(10)})
    revision.comparar_pesos(filas)
    assert [len(f["avisos"]) for f in filas] == [1, 0, 0, 0, 1, 0]
    assert filas[0]["avisos"] == ["generador casi idéntico al de retocada.zip (sus pesos distan un 7 % de lo típico "
                                  "en la clase)"]
    assert filas[4]["avisos"][0].startswith("generador casi idéntico al de 0.zip")
    # Con las épocas declaradas, cada fila dice las suyas primero.
    filas[0]["epocas"], filas[4]["epocas"], filas[0]["avisos"], filas[4]["avisos"] = 20.0, 1.0, [], []
    revision.comparar_pesos(filas)
    assert filas[0]["avisos"][0].endswith("; esta entrega declara 20 épocas y retocada.zip, 1 época)")
    assert filas[4]["avisos"][0].endswith("; esta entrega declara 1 época y 0.zip, 20 épocas)")


def test_un_grupo_con_el_mismo_generador_da_un_aviso_por_fila():
    """Antes, cada fila de un grupo de copias tenía una línea por compañero: con 60 entregas iguales, 59 líneas en
    cada una (3.540 en el informe) y la tabla ilegible; y «mismo alumno» nombraba a las 59."""
    pesos = np.random.default_rng(0).normal(size=100)
    filas = [{"entrega": f"alumno{i}.zip", "avisos": [], "pesos": pesos.copy()} for i in range(8)]
    filas.append({"entrega": "honrada.zip", "avisos": [], "pesos": pesos + 1.0})
    revision.comparar_pesos(filas)
    assert [len(fila["avisos"]) for fila in filas] == [1] * 8 + [0]
    assert filas[0]["avisos"] == ["generador idéntico al de alumno1.zip, alumno2.zip, alumno3.zip, alumno4.zip, "
                                  "alumno5.zip y 2 más"]
    assert filas[7]["avisos"][0].startswith("generador idéntico al de alumno0.zip, alumno1.zip,")
    # Lo mismo si todas van a nombre de la misma persona.
    for fila in filas:
        fila["alumno"], fila["avisos"] = "Ana", []
    revision.comparar_alumnos(filas)
    assert filas[8]["avisos"] == ["mismo alumno («Ana») que alumno0.zip, alumno1.zip, alumno2.zip, alumno3.zip, "
                                  "alumno4.zip y 3 más"]
    # Con una sola copia, como antes: el nombre de la otra.
    pareja = [{"entrega": nombre, "avisos": [], "pesos": pesos.copy()} for nombre in ("ana.zip", "beto.zip")]
    revision.comparar_pesos(pareja)
    assert [fila["avisos"] for fila in pareja] == [["generador idéntico al de beto.zip"], ["generador idéntico al de ana.zip"]]
    # Con una casi idéntica además, el aviso más fuerte va primero, como cuando había uno por par (antes de agruparlos,
    # el «idéntico» quedaba detrás de los «casi idénticos»).
    rng = np.random.default_rng(1)
    clase = [{"entrega": f"{i}.zip", "avisos": [], "pesos": pesos + rng.normal(size=100)} for i in range(4)]
    retocada = {"entrega": "retocada.zip", "avisos": [], "pesos": pesos + 0.01 * rng.normal(size=100)}
    for fila in pareja:
        fila["avisos"] = []
    revision.comparar_pesos(pareja + [retocada] + clase)
    assert [aviso.split(" (")[0] for aviso in pareja[1]["avisos"]] == ["generador idéntico al de ana.zip",
                                                                      "generador casi idéntico al de retocada.zip"]


def _guardado_con_otra_keras(tmp_path, version, valor=8):
    """Un generador.keras como lo guarda una Keras ``version`` que añade una opción nueva a sus capas Dense, con
    ``valor``: ``None`` si no hace nada (como ``input_axes=None`` desde Keras 3.14)."""
    generador_de(32, 32, 3).save(tmp_path / "g.keras")
    with zipfile.ZipFile(tmp_path / "g.keras") as modelo:
        miembros = {nombre: modelo.read(nombre) for nombre in modelo.namelist()}
    config = json.loads(miembros["config.json"])
    for capa in config["config"]["layers"]:
        if capa["class_name"] == "Dense":
            capa["config"]["opcion_nueva"] = valor
    miembros |= {"config.json": json.dumps(config).encode(), "metadata.json": json.dumps({"keras_version": version}).encode()}
    salida = io.BytesIO()
    with zipfile.ZipFile(salida, "w") as modelo:
        for nombre, contenido in miembros.items():
            modelo.writestr(nombre, contenido)
    return salida.getvalue()


def test_un_generador_de_una_keras_mas_nueva_lo_dice(tmp_path):
    # Antes: «no se puede cargar… pide al estudiante que vuelva a entregar», y volvería igual (p. ej. desde Colab, con
    # una Keras más nueva que la del docente). Lo que hay que hacer es actualizar la Keras de quien revisa.
    with pytest.raises(lectura_entrega.EntregaIlegible, match=rf"generador.keras se guardó con Keras 99.1.0, más nueva "
                                                               rf"que la tuya \({re.escape(keras.__version__)}\), que no lo "
                                                               r"sabe leer; actualiza Keras \(pip install -U keras\)"):
        generador_ajeno.cargar_generador_ajeno(_guardado_con_otra_keras(tmp_path, "99.1.0"), tmp_path)
    # Con la misma versión (o sin saberla), el archivo está mal: que lo entregue de nuevo.
    for version in (keras.__version__, "???"):
        with pytest.raises(lectura_entrega.EntregaIlegible, match="no se puede cargar: Keras no lo reconoce"):
            generador_ajeno.cargar_generador_ajeno(_guardado_con_otra_keras(tmp_path, version), tmp_path)


def test_un_generador_de_una_keras_mas_nueva_con_opciones_que_no_hacen_nada_se_revisa(tmp_path):
    # Antes, «se guardó con Keras 3.15.1, más nueva que la tuya (3.13.2)»: la entrega de un portátil revisada en Colab,
    # por un input_axes=None que no cambia la red.
    contenido = _guardado_con_otra_keras(tmp_path, "99.1.0", valor=None)
    generador = generador_ajeno.cargar_generador_ajeno(contenido, tmp_path)
    z = np.random.default_rng(0).normal(size=(4, generador.input_shape[-1])).astype("float32")
    assert np.array_equal(generador(z, training=False), keras.models.load_model(tmp_path / "g.keras")(z, training=False))
    assert list(tmp_path.iterdir()) == [tmp_path / "g.keras"]


@pytest.mark.parametrize("forma, latente, motivo", [
    ((512, 512, 3), 8, "dibuja imágenes de 512×512×3"),
    ((32, 32, 2), 8, "dibuja imágenes de 32×32×2"),
    ((32, 32, 3), 5000, "pide un vector latente de 5000 valores"),
], ids=["grande", "dos_canales", "latente_enorme"])
def test_rechaza_generadores_desmesurados_antes_de_generar(tmp_path, forma, latente, motivo):
    ruta = tmp_path / "generador.keras"
    generador_de(*forma, latente=latente).save(ruta)
    with pytest.raises(lectura_entrega.EntregaIlegible, match=motivo):
        generador_ajeno.cargar_generador_ajeno(ruta.read_bytes(), tmp_path)
    generador_de(256, 128, 1).save(ruta)  # en el límite y en gris: se revisa
    assert generador_ajeno.cargar_generador_ajeno(ruta.read_bytes(), tmp_path).output_shape == (None, 256, 128, 1)


# Lo mide Chromium en la página: desplaza la tabla al final (a la derecha y abajo), ordena por alumno
# y deja las medidas en un atributo del <body>, que se lee con --dump-dom.
MEDIR_TABLA = """<script>
var caja = document.querySelector(".desplazable"), th = caja.querySelector("th.fija");
var medidas = {pagina: document.documentElement.scrollWidth - window.innerWidth, tabla: caja.scrollWidth - caja.clientWidth};
caja.scrollLeft = caja.scrollWidth; caja.scrollTop = caja.scrollHeight;
var izquierda = caja.getBoundingClientRect().left, arriba = caja.getBoundingClientRect().top;
medidas.alumno = caja.querySelector("tbody tr:last-child td.fija").getBoundingClientRect().left - izquierda;
medidas.encabezado = th.getBoundingClientRect().top - arriba;
th.click();
medidas.orden = Array.from(caja.querySelectorAll("tbody td.fija"), function (celda) { return celda.textContent; });
document.body.dataset.medidas = JSON.stringify(medidas);
</script></body>"""


def test_el_informe_de_la_clase_se_lee_en_la_ventana_de_un_portatil(tmp_path):
    """Antes, la tabla (14 columnas, miniaturas de 256 px) se salía por la derecha de una ventana de 1200 px:
    se desplazaba la página entera y, al ir a ver SWD o KID, se perdía de vista de quién era cada fila."""
    navegador = shutil.which("chromium") or shutil.which("chromium-browser")
    assert navegador, "Hace falta Chromium para esta prueba: apt-get install -y chromium"
    miniatura = paginas.uri_png(Image.new("RGB", (128, 128), (120, 120, 120)))
    pares = paginas.uri_png(Image.new("RGB", (256, 64), (90, 90, 90)))
    alumnos = ["Marta", "Ana", "Luis", "Beto", "Sofía", "Ciro"]
    filas = [{**dict.fromkeys(revision_informes.COLUMNAS), "entrega": f"{a.lower()}.zip", "alumno": a, "motivo": "",
              "avisos": [f"generador idéntico al de {b.lower()}.zip" for b in alumnos if b != a],
              "miniatura": miniatura, "pares": pares, "imagenes": 30, "tamano": "32×32×3", "epocas": 20,
              "minutos": 3.5, "dispositivo": "CPU Intel(R) Xeon(R) Processor (2 núcleos); sin GPU", "swd": 700.0,
              "kid": 1.4, "memorizacion": 0.8, "diversidad": 0.04, "rubrica_datos": "insuficiente",
              "rubrica_reanudable": "suficiente (declarado)", "rubrica_metricas": "re-medidas", "palabras_reflexion": 480}
             for a in alumnos]
    informe = tmp_path / "clase.html"
    informe.write_text(revision_informes.informe_clase(filas, tmp_path).replace("</body>", MEDIR_TABLA), encoding="utf-8")
    dom = subprocess.run(
        [navegador, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'perfil'}",
         "--force-device-scale-factor=1", "--window-size=1200,900", "--dump-dom", informe.as_uri()],
        check=True, capture_output=True, text=True, timeout=120,
    ).stdout
    marca = re.search(r'data-medidas="([^"]*)"', dom)
    assert marca, "El guion no pudo medir: ¿falta el recuadro desplazable o la columna fija?"
    medidas = json.loads(unescape(marca[1]))
    assert medidas["pagina"] <= 0  # la página no se desplaza a los lados: solo el recuadro de la tabla
    assert medidas["tabla"] > 0  # (que sí es más ancha que la ventana)
    assert abs(medidas["alumno"]) <= 1 and abs(medidas["encabezado"]) <= 1  # el nombre y los encabezados, a la vista
    assert medidas["orden"] == sorted(alumnos)  # y se sigue ordenando al pulsar un encabezado


def _clase_falsa(tmp_path, monkeypatch, cortar_en=None):
    """Tres zips y una entrega descomprimida; ``revisar_entrega`` se sustituye por una que anota a quién
    revisa, da como alumno el contenido del zip y, si se pide, se corta en la llamada ``cortar_en``."""
    entregas = tmp_path / "entregas"
    (entregas / "descomprimida").mkdir(parents=True, exist_ok=True)
    (entregas / "descomprimida" / entrega.MANIFIESTO).write_text("{}")
    for nombre in ("ana.zip", "luis.zip", "marta.zip"):
        if not (entregas / nombre).exists():
            (entregas / nombre).write_text(f"entrega de {nombre}")
    llamadas = []

    def revisar_falsa(ruta, temporal):
        llamadas.append(ruta.name)
        if len(llamadas) == cortar_en:
            raise KeyboardInterrupt
        return {**dict.fromkeys(revision_informes.COLUMNAS), "avisos": [], "motivo": "", "alumno": ruta.read_text(),
                "swd": np.float32(0.5), "pesos": np.arange(3.0)}

    monkeypatch.setattr(revision, "revisar_entrega", revisar_falsa)
    return entregas, llamadas


def test_dos_entregas_a_nombre_de_la_misma_persona_se_avisan(tmp_path, monkeypatch):
    """Antes, «ana.zip» y «ana_v2.zip» de la misma alumna salían como dos filas sin ningún aviso."""
    entregas = tmp_path / "entregas"
    entregas.mkdir()
    for zip_, alumno in {"ana.zip": "Ana Pérez", "ana_v2.zip": "ana  perez", "luis.zip": "Luis",
                         "marta.zip": nombre_y_reflexion.NOMBRE_DE_EJEMPLO,
                         "olvido.zip": nombre_y_reflexion.NOMBRE_DE_EJEMPLO}.items():
        (entregas / zip_).write_text(alumno)
    _clase_falsa(tmp_path, monkeypatch)
    filas = revision.revisar(entregas, tmp_path / "clase.html")
    avisos = {fila["entrega"]: [aviso for aviso in fila["avisos"] if aviso.startswith("mismo alumno")] for fila in filas}
    # Los demás, sin él: otro nombre, o el de ejemplo (la columna «alumno» ya lo deja ver).
    assert avisos == {"ana.zip": ["mismo alumno («Ana Pérez») que ana_v2.zip"],
                      "ana_v2.zip": ["mismo alumno («ana  perez») que ana.zip"],
                      "luis.zip": [], "marta.zip": [], "olvido.zip": [], "descomprimida": []}


def test_dos_zips_que_se_llaman_igual_a_la_vista_dicen_cual_es_cual(tmp_path, monkeypatch):
    """«Zoé.zip» copiado de Windows (NFC, «é») y de un Mac (NFD, «e» y la tilde aparte) son dos archivos en una carpeta
    de Linux. Antes, dos filas «Zoé.zip» que no se distinguían, sin ningún aviso si no eran de la misma persona."""
    entregas = tmp_path / "entregas"
    entregas.mkdir()
    compuesto, descompuesto = (unicodedata.normalize(forma, "Zoé.zip") for forma in ("NFC", "NFD"))
    (entregas / compuesto).write_text("Zoé")
    (entregas / descompuesto).write_text("Zoé Díaz")
    if len(list(entregas.iterdir())) == 1:
        pytest.skip("este sistema de archivos guarda los dos nombres como uno (p. ej. el de macOS)")
    _clase_falsa(tmp_path, monkeypatch)
    filas = {fila["entrega"]: fila for fila in revision.revisar(entregas, tmp_path / "clase.html")}
    unidas, separadas = "unidas a su letra (como en Windows y Linux)", "separadas de su letra (como las suele guardar macOS)"
    inicio = "otro archivo se llama igual a la vista, con otros caracteres: en este, las tildes van "
    assert filas[compuesto]["avisos"][0] == f"{inicio}{unidas}, y en el otro, {separadas}"
    assert filas[descompuesto]["avisos"][0] == f"{inicio}{separadas}, y en el otro, {unidas}"
    assert not [aviso for fila in (filas["ana.zip"], filas["luis.zip"]) for aviso in fila["avisos"] if "a la vista" in aviso]
    assert any(filas[compuesto]["avisos"][0].startswith(clave) for clave, _ in revision_informes.LEYENDA)


def test_el_original_va_antes_que_sus_copias_en_el_informe_la_hoja_y_el_csv(tmp_path, monkeypatch):
    # Antes, «Ana García (1).zip» iba antes que «Ana García.zip» (el espacio va antes que el punto) y «(10)», antes que «(2)».
    entregas = tmp_path / "entregas"
    (entregas / "grupo 10").mkdir(parents=True)
    (entregas / "grupo 9").mkdir()
    orden = ["Ana García.zip", "Ana García (1).zip", "Ana García (2).zip", "Ana García (9).zip", "Ana García (10).zip",
             "Beto.zip", "grupo 9/Eva.zip", "grupo 10/Eva.zip"]
    for nombre in orden:
        (entregas / nombre).write_text(nombre)
    (entregas / "notas (1).txt").write_text("")
    (entregas / "notas.txt").write_text("")
    _clase_falsa(tmp_path, monkeypatch)  # añade ana.zip, luis.zip, marta.zip y una carpeta «descomprimida»
    salida = tmp_path / "informe" / "clase.html"
    # Primero lo que no se revisa, como siempre.
    esperado = ["descomprimida", "notas.txt", "notas (1).txt", "ana.zip", *orden, "luis.zip", "marta.zip"]
    assert [fila["entrega"] for fila in revision.revisar(entregas, salida)] == esperado
    with open(salida.with_suffix(".csv"), newline="", encoding="utf-8-sig") as archivo:
        assert [fila["entrega"] for fila in csv.DictReader(archivo)] == esperado
    assert [fila[0] for fila in leer_xlsx(salida.with_suffix(".xlsx"))[1:]] == esperado
    # Al pulsar «entrega» en la página, se ordena por su posición, no por el texto.
    html = salida.read_text(encoding="utf-8")
    posiciones = [int(re.search(rf'data-valor="(\d+)">{re.escape(nombre)}</td>', html)[1]) for nombre in esperado]
    assert posiciones == list(range(len(esperado)))


def test_nombres_de_zip_que_serian_formulas_en_el_csv(tmp_path, monkeypatch):
    # El nombre del zip lo elige el estudiante. Antes, uno que empieza por un tabulador y «=» llegaba tal cual al CSV.
    entregas = tmp_path / "entregas"
    entregas.mkdir()
    for nombre in ("=1+1.zip", "\t=1+1.zip", "@A1.zip", '<b>Ana & "Bea", Ciro.zip'):
        (entregas / nombre).write_text("Ana")
    _clase_falsa(tmp_path, monkeypatch)
    salida = tmp_path / "clase.html"
    revision.revisar(entregas, salida)
    with open(salida.with_suffix(".csv"), newline="", encoding="utf-8-sig") as archivo:
        nombres = {fila["entrega"] for fila in csv.DictReader(archivo)}
    assert {"'=1+1.zip", "'\t=1+1.zip", "'@A1.zip", '<b>Ana & "Bea", Ciro.zip'} <= nombres
    assert re.search(r'<td data-valor="\d+">&lt;b&gt;Ana &amp; &quot;Bea&quot;, Ciro\.zip</td>', salida.read_text(encoding="utf-8"))


def test_el_orden_de_las_entregas_no_cuenta_mayusculas_ni_tildes(tmp_path, monkeypatch):
    # Antes, por caracteres, «Zoé.zip» iba antes que «carla.zip» y «Álvaro.zip», después de todas.
    entregas = tmp_path / "entregas"
    entregas.mkdir()
    for nombre in ("Zoé Díaz (1).zip", "carla 128 px.zip", "Álvaro.zip", "Beto Núñez.zip", "beto.zip"):
        (entregas / nombre).write_text(nombre)
    _clase_falsa(tmp_path, monkeypatch)
    filas = revision.revisar(entregas, tmp_path / "clase.html")
    assert [fila["entrega"] for fila in filas] == [
        "descomprimida", "Álvaro.zip", "ana.zip", "beto.zip", "Beto Núñez.zip", "carla 128 px.zip", "luis.zip",
        "marta.zip", "Zoé Díaz (1).zip"]


def test_una_revision_interrumpida_se_retoma_donde_iba(tmp_path, monkeypatch, capsys):
    informe = tmp_path / "informe"
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch, cortar_en=2)
    with pytest.raises(KeyboardInterrupt) as corte:
        revision.revisar(entregas, informe / "clase.html")
    cache = informe / ".clase.html.revision"
    assert str(corte.value) == (
        "Revisión interrumpida en la entrega 3 de 4: no se ha escrito ningún informe (el HTML, la hoja y el CSV se "
        f"escriben juntos al final). Lo ya revisado queda en «{cache}»: vuelve a lanzar la misma orden y seguirá por "
        "donde iba; si no la vas a retomar, borra esa carpeta (tiene copias del material de tus estudiantes).")
    assert corte.value.__suppress_context__ and llamadas == ["ana.zip", "luis.zip"]
    assert [p.name for p in informe.iterdir()] == [cache.name]  # ningún informe a medias
    capsys.readouterr()

    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    filas = revision.revisar(entregas, informe / "clase.html")
    salida = capsys.readouterr().out
    assert llamadas == ["luis.zip", "marta.zip"]  # ana.zip no se revisa dos veces
    assert "Retomo la revisión cortada" in salida and "[2/4] ana.zip (ya revisada)" in salida
    assert "[3/4] luis.zip\n" in salida  # la que se cortó no estaba guardada
    ana = filas[1]
    assert (ana["entrega"], ana["alumno"], ana["swd"]) == ("ana.zip", "entrega de ana.zip", 0.5)
    assert np.array_equal(ana["pesos"], np.arange(3.0))
    assert sorted(p.name for p in informe.iterdir()) == ["clase.csv", "clase.html", "clase.xlsx"]  # ni la caché


def test_una_entrega_cambiada_no_reutiliza_lo_guardado(tmp_path, monkeypatch):
    entregas, _ = _clase_falsa(tmp_path, monkeypatch, cortar_en=2)
    with pytest.raises(KeyboardInterrupt):
        revision.revisar(entregas, tmp_path / "clase.html")
    (entregas / "ana.zip").write_text("ana entregó otra vez")  # el mismo nombre, otro contenido
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    filas = revision.revisar(entregas, tmp_path / "clase.html")
    assert llamadas == ["ana.zip", "luis.zip", "marta.zip"] and filas[1]["alumno"] == "ana entregó otra vez"
    # Lo que cambia el resultado sin cambiar el zip también cambia dónde se guarda: el modo rápido (y el código del kit).
    donde = revision._guardada(tmp_path, revision._huella_kit(), entregas / "luis.zip")
    monkeypatch.setattr(revision, "modo_rapido", lambda: not helpers.modo_rapido())
    assert revision._guardada(tmp_path, revision._huella_kit(), entregas / "luis.zip") != donde


@pytest.mark.parametrize("bytes_que_quedan", [40, 0])  # cortado a medias o vacío, como lo puede dejar un apagón
def test_lo_guardado_danado_se_revisa_de_nuevo(tmp_path, monkeypatch, bytes_que_quedan):
    entregas, _ = _clase_falsa(tmp_path, monkeypatch, cortar_en=2)
    with pytest.raises(KeyboardInterrupt):
        revision.revisar(entregas, tmp_path / "clase.html")
    (guardada,) = revision.cache_de(tmp_path / "clase.html").glob("*.npz")
    guardada.write_bytes(guardada.read_bytes()[:bytes_que_quedan])
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    filas = revision.revisar(entregas, tmp_path / "clase.html")
    assert llamadas == ["ana.zip", "luis.zip", "marta.zip"] and filas[1]["alumno"] == "entrega de ana.zip"


def test_los_pesos_guardados_se_comparan_aunque_fueran_bfloat16(tmp_path):
    guardada = tmp_path / "fila.npz"
    revision._guardar({"alumno": "Ana", "pesos": np.ones(4, ml_dtypes.bfloat16)}, guardada)
    pesos = revision._leer_guardada(guardada)["pesos"]  # NumPy leería un bfloat16 guardado como bytes sin tipo
    assert pesos.dtype == np.float32 and float(np.linalg.norm(pesos - np.zeros(4, np.float32))) == 2.0


def test_se_revisa_en_una_carpeta_que_no_admite_fsync(tmp_path, monkeypatch):
    # Algunas carpetas de red o montadas responden EINVAL a fsync: lo ya revisado se guarda igual.
    def fsync_no_admitido(descriptor):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(os, "fsync", fsync_no_admitido)
    entregas, _ = _clase_falsa(tmp_path, monkeypatch, cortar_en=3)
    with pytest.raises(KeyboardInterrupt):
        revision.revisar(entregas, tmp_path / "clase.html")
    cache = revision.cache_de(tmp_path / "clase.html")
    assert sorted(p.suffix for p in cache.iterdir() if p.name != ".cerrojo") == [".npz", ".npz"]
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    filas = revision.revisar(entregas, tmp_path / "clase.html")
    assert llamadas == ["marta.zip"] and [f["alumno"] for f in filas[1:]] == [
        "entrega de ana.zip", "entrega de luis.zip", "entrega de marta.zip"]


def test_lo_que_no_se_puede_leer_tiene_su_fila_y_no_para_la_revision(tmp_path, monkeypatch):
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    (entregas / "carpeta.zip").mkdir()
    (entregas / "roto.zip").symlink_to(tmp_path / "no_existe.zip")
    monkeypatch.setattr(revision, "revisar_entrega", lambda ruta, temporal: lectura_entrega.leer_zip(ruta))
    filas = {fila["entrega"]: fila for fila in revision.revisar(entregas, tmp_path / "clase.html")}
    # Qué es, con su nombre y en español (sin el nombre de la excepción de Python).
    assert filas["carpeta.zip"]["motivo"].startswith("«carpeta.zip» no es un archivo .zip sino una carpeta; pon en su "
                                                     "lugar el .zip que crea «python -m helpers entregar»")
    assert filas["roto.zip"]["motivo"].startswith("«roto.zip» no es un archivo .zip sino un enlace roto; ")
    assert not revision.cache_de(tmp_path / "clase.html").exists()


def test_el_progreso_cuenta_todas_las_filas_del_resumen(tmp_path, monkeypatch, capsys):
    entregas, _ = _clase_falsa(tmp_path, monkeypatch)
    filas = revision.revisar(entregas, tmp_path / "clase.html")
    salida = capsys.readouterr().out
    assert len(filas) == 4 and "[1/4] descomprimida" in salida and "[4/4] marta.zip" in salida
    assert "\n4 entregas, " in salida


def test_borra_los_temporales_que_dejaba_una_revision_muerta(tmp_path, monkeypatch):
    informe = tmp_path / "informe"
    vieja, ajena, parecida = informe / ".revision_k3_x9ab0", informe / ".revision_mias", informe / ".revision_abcd1234"
    for carpeta, archivo in ((vieja, "generador.keras"), (ajena, "generador.keras"), (parecida, "notas.txt")):
        carpeta.mkdir(parents=True)
        (carpeta / archivo).write_bytes(b"x")
    (vieja / "regenerada.png").write_bytes(b"x")
    entregas, _ = _clase_falsa(tmp_path, monkeypatch)
    revision.revisar(entregas, informe / "clase.html")
    # Solo la del kit (su nombre de tempfile y su contenido); lo demás no se toca.
    assert not vieja.exists() and (ajena / "generador.keras").exists() and (parecida / "notas.txt").exists()


def test_una_revision_retomada_da_el_mismo_informe(revisada, tmp_path, monkeypatch):
    carpeta = tmp_path / "clase"
    carpeta.mkdir()
    for nombre in ("ana.zip", "beto.zip"):
        shutil.copy(revisada["entregas"] / nombre, carpeta / nombre)
    original = revision.revisar_entrega
    llamadas = []

    def cortar_en_la_segunda(ruta, temporal):
        llamadas.append(ruta.name)
        if len(llamadas) == 2:
            raise KeyboardInterrupt
        return original(ruta, temporal)

    monkeypatch.setattr(revision, "revisar_entrega", cortar_en_la_segunda)
    with pytest.raises(KeyboardInterrupt):
        revision.revisar(carpeta, tmp_path / "informe" / "clase.html")
    monkeypatch.setattr(revision, "revisar_entrega", original)
    revision.revisar(carpeta, tmp_path / "informe" / "clase.html")
    with open(tmp_path / "informe" / "clase.csv", newline="", encoding="utf-8-sig") as archivo:
        filas = {fila["entrega"]: fila for fila in csv.DictReader(archivo)}
    # Los avisos de beto.zip dependen de la clase (en la del módulo tiene una copia): el resto, idéntico.
    assert filas["ana.zip"] == revisada["filas"]["ana.zip"]
    assert {**filas["beto.zip"], "avisos": ""} == {**revisada["filas"]["beto.zip"], "avisos": ""}


def test_lo_que_no_es_un_zip_se_dice_y_no_se_calla(tmp_path, monkeypatch, capsys):
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    (entregas / "hugo.ZIP").write_text("entrega de hugo")  # la extensión en mayúsculas también es un zip
    for nombre in ("trabajo.rar", "x.7z", "y.zip.part", "notas.docx", "Thumbs.db", ".DS_Store"):
        (entregas / nombre).write_text("x")
    (entregas / "descomprimida" / "generador.keras").write_text("x")  # ya está en la fila de su carpeta
    filas = {fila["entrega"]: fila for fila in revision.revisar(entregas, tmp_path / "clase.html")}
    salida = capsys.readouterr().out
    assert "hugo.ZIP" in llamadas
    # Los del sistema (Thumbs.db, .DS_Store) no son de nadie; lo demás tiene su fila, con el motivo y qué hacer.
    assert set(filas) == {"descomprimida", "ana.zip", "luis.zip", "marta.zip", "hugo.ZIP", "trabajo.rar", "x.7z",
                          "y.zip.part", "notas.docx"}
    assert filas["trabajo.rar"]["motivo"].startswith("está comprimido en .rar, no en .zip; pide al estudiante")
    assert filas["x.7z"]["motivo"].startswith("está comprimido en .7z, no en .zip")
    assert filas["y.zip.part"]["motivo"].startswith("es una descarga sin terminar; espera a que acabe")
    assert filas["notas.docx"]["motivo"].startswith("no es un .zip; si es parte de una entrega, pide al estudiante")
    assert "[2/9] notas.docx — no se revisa: no es un .zip; si es parte de una entrega" in salida
    assert "\n9 entregas, " in salida and all(linea.count("no se revisa") <= 1 for linea in salida.splitlines())
    # Lo que queda dentro de una carpeta ya contada no tiene fila aparte: la de un zip con su nombre (también
    # descomprimida dos veces, «ana/ana/», como «Extraer todo» de Windows) y la de una descarga de Safari a medias.
    (entregas / "ana" / "ana").mkdir(parents=True)
    (entregas / "ana" / "ana" / entrega.MANIFIESTO).write_text("{}")
    (entregas / "beto.zip").mkdir()
    (entregas / "beto.zip" / entrega.MANIFIESTO).write_text("{}")
    (entregas / "eva.zip.download").mkdir()
    for nombre in ("eva.zip", "Info.plist"):
        (entregas / "eva.zip.download" / nombre).write_text("x")
    # La entrega de alguien descomprimida en la carpeta de la clase misma: su manifiesto tiene su fila, como cada
    # archivo suelto, y la carpeta de la clase no pasa por una entrega descomprimida que lo tapa todo.
    (entregas / entrega.MANIFIESTO).write_text("{}")
    filas = {fila["entrega"]: fila for fila in revision.revisar(entregas, tmp_path / "de_nuevo.html")}
    assert set(filas) == {"descomprimida", "ana.zip", "luis.zip", "marta.zip", "hugo.ZIP", "trabajo.rar", "x.7z",
                          "y.zip.part", "notas.docx", "beto.zip", "eva.zip.download", "manifiesto.json"}
    assert filas["eva.zip.download"]["motivo"].startswith("es una descarga sin terminar")
    assert filas["manifiesto.json"]["motivo"].startswith("es el manifiesto de una entrega descomprimida en la carpeta "
                                                         "de la clase: quita sus archivos")
    # Sin ningún zip, el error dice qué hay.
    (tmp_path / "sin_zips").mkdir()
    (tmp_path / "sin_zips" / "trabajo.rar").write_text("x")
    with pytest.raises(ValueError, match=r"no tiene ningún \.zip \(solo trabajo\.rar\)"):
        revision.revisar(tmp_path / "sin_zips", tmp_path / "otra.html")


def test_un_enlace_a_otra_carpeta_tiene_su_fila(tmp_path, monkeypatch):
    # La búsqueda no entra en los enlaces a carpetas (podrían llevar fuera de la clase). Antes, los zips de
    # «grupo_b», un enlace a la carpeta de otro grupo, faltaban en el informe sin ningún aviso.
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    (tmp_path / "grupo_b").mkdir()
    (tmp_path / "grupo_b" / "eva.zip").write_text("entrega de eva.zip")
    (entregas / "grupo_b").symlink_to(tmp_path / "grupo_b", target_is_directory=True)
    filas = {fila["entrega"]: fila for fila in revision.revisar(entregas, tmp_path / "clase.html")}
    assert filas["grupo_b"]["motivo"].startswith("es un enlace a otra carpeta, y revisar no entra en los enlaces")
    assert "eva.zip" not in llamadas and len(filas) == 5
    # Con solo enlaces, sus filas, y no «no tiene ningún .zip».
    (tmp_path / "solo_enlaces").mkdir()
    (tmp_path / "solo_enlaces" / "grupo_b").symlink_to(tmp_path / "grupo_b", target_is_directory=True)
    assert [fila["entrega"] for fila in revision.revisar(tmp_path / "solo_enlaces", tmp_path / "otra.html")] == ["grupo_b"]


def test_rutas_que_no_son_rutas_se_explican_en_espanol(tmp_path, monkeypatch):
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    for argumentos, mensaje in (
            ((None,), "carpeta=None no sirve como ruta: indica la carpeta con las entregas (.zip) de tu clase, entre "
                      "comillas."),
            (("",), "carpeta='' no sirve como ruta"),  # sería la carpeta actual
            ((entregas, ""), "salida='' no sirve como ruta: indica el informe HTML que se escribe (p. ej. "
                             "informe_clase.html)")):
        with pytest.raises(ValueError, match=re.escape(mensaje)):
            revision.revisar(*argumentos)
    assert llamadas == []


def test_sin_poder_escribir_el_error_nombra_el_informe_y_no_sus_temporales(tmp_path, monkeypatch, capsys):
    # Un disco de solo lectura, simulado: chmod no basta si las pruebas corren como root.
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    salida = tmp_path / "informe" / "clase.html"
    crear_carpeta = Path.mkdir

    def solo_lectura(carpeta, *args, **kwargs):
        if carpeta == revision.cache_de(salida):
            raise OSError(errno.EROFS, "Read-only file system", str(carpeta))
        return crear_carpeta(carpeta, *args, **kwargs)

    with monkeypatch.context() as parche:
        parche.setattr(Path, "mkdir", solo_lectura)
        with pytest.raises(SystemExit):
            main(["revisar", str(entregas), "--salida", str(salida)])
    assert capsys.readouterr().err == (f"error: no se pudo usar «{salida}»: está en un disco de solo lectura. Corrige "
                                       "la ruta o elige otra carpeta y vuelve a intentarlo.\n")
    assert llamadas == [] and list(salida.parent.iterdir()) == []

    # El disco lleno a mitad del CSV (el sistema no dice en qué archivo): el error lo nombra, y ningún informe (ni
    # su temporal) queda a medias.
    def no_cabe(filas, ruta):
        ruta.write_text("entrega,alumno\n")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(revision_informes, "escribir_csv", no_cabe)
    with pytest.raises(OSError) as error:
        revision.revisar(entregas, salida)
    assert error.value.filename == str(salida.with_suffix(".csv"))
    assert [p.name for p in salida.parent.iterdir()] == [revision.cache_de(salida).name]  # lo revisado, para retomar


def test_el_mismo_archivo_con_otro_nombre_se_avisa_y_no_se_revisa_dos_veces(tmp_path, monkeypatch, capsys):
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    shutil.copy(entregas / "ana.zip", entregas / "ana_copia.zip")
    shutil.copy(entregas / "ana.zip", entregas / "ana_otra.zip")
    filas = {fila["entrega"]: fila for fila in revision.revisar(entregas, tmp_path / "clase.html")}
    salida = capsys.readouterr().out
    assert "[3/6] ana_copia.zip (mismo archivo que ana.zip)\n" in salida and "ya revisada" not in salida
    assert llamadas == ["ana.zip", "luis.zip", "marta.zip"]
    # Como con el generador idéntico (que aquí también sale), en todas las filas; en la primera, un aviso con todas
    # sus copias (antes, una línea por copia).
    assert filas["ana_copia.zip"]["avisos"][0] == filas["ana_otra.zip"]["avisos"][0] == "mismo archivo que ana.zip"
    assert filas["ana.zip"]["avisos"][0] == "mismo archivo que ana_copia.zip y ana_otra.zip"
    assert not [aviso for aviso in filas["ana.zip"]["avisos"][1:] if "mismo archivo" in aviso]
    assert not [aviso for aviso in filas["luis.zip"]["avisos"] if "mismo archivo" in aviso]


def test_dos_revisiones_a_la_vez_no_se_pisan(tmp_path, monkeypatch, capsys):
    entregas, llamadas = _clase_falsa(tmp_path, monkeypatch)
    salida = tmp_path / "informe" / "clase.html"
    cache = revision.cache_de(salida)
    cache.mkdir(parents=True)
    (cache / "fila_de_la_otra.npz").write_bytes(b"")  # lo que la otra ya ha revisado
    with entorno.en_exclusiva(cache, "ocupada"):  # la otra revisión, en marcha
        with pytest.raises(BlockingIOError, match=f"Ya hay una revisión en marcha en «{salida}»; espera a que termine"):
            revision.revisar(entregas, salida)
    assert llamadas == [] and "Retomo" not in capsys.readouterr().out
    assert (cache / "fila_de_la_otra.npz").exists()  # no se toca lo de la otra
    revision.revisar(entregas, salida)  # terminada la otra, esta sigue (y lo borra todo al acabar)
    assert sorted(p.name for p in salida.parent.iterdir()) == ["clase.csv", "clase.html", "clase.xlsx"]


def test_las_barras_de_windows_en_el_zip(tmp_path):
    def zip_con(nombre, miembros):
        with zipfile.ZipFile(tmp_path / nombre, "w") as nuevo:
            for miembro, contenido in miembros.items():
                nuevo.writestr(miembro, contenido)
        return tmp_path / nombre

    leido = lectura_entrega.leer_zip(zip_con("windows.zip", {"ana\\manifiesto.json": b"m",
                                                             "ana\\generador.keras": b"g"}))
    assert lectura_entrega.sin_carpeta_comun(leido) == {"manifiesto.json": b"m", "generador.keras": b"g"}
    # Una carpeta escrita «ana\\» no es un archivo sin nombre.
    con_carpeta = lectura_entrega.leer_zip(zip_con("carpeta.zip", {"ana\\": b"", "ana\\manifiesto.json": b"m"}))
    assert con_carpeta == {"ana/manifiesto.json": b"m"}
    # «..» se rechaza con las dos barras, y el mensaje nombra el miembro con «/», como zip_seguro lo corrige.
    with pytest.raises(lectura_entrega.EntregaIlegible, match=re.escape("miembro «ana/../../fuera.txt»: ruta con «..»")):
        lectura_entrega.leer_zip(zip_con("escapa.zip", {"ana\\..\\..\\fuera.txt": b"x", "manifiesto.json": b"m"}))
    with pytest.raises(lectura_entrega.EntregaIlegible, match="absoluta"):
        lectura_entrega.leer_zip(zip_con("absoluta.zip", {"\\fuera.txt": b"x"}))
    with pytest.raises(lectura_entrega.EntregaIlegible, match=r"dos archivos con el mismo nombre \(uno escrito con «\\» y otro con «/»\)"):
        lectura_entrega.leer_zip(zip_con("doble.zip", {"ana/manifiesto.json": b"m", "ana\\manifiesto.json": b"otro"}))


def test_el_manifiesto_editado_no_cuela(revisada, tmp_path):
    """El manifiesto no va firmado: las épocas se cotejan con historial.csv y las imágenes, con imagenes.npz."""
    ana = revisada["entregas"] / "ana.zip"
    imagenes = json.loads(zipfile.ZipFile(ana).read(entrega.MANIFIESTO))["imagenes"]
    rehacer(ana, tmp_path / "editada.zip", {}, {"epocas": 50, "imagenes": {**imagenes, "entrenamiento": 1000}})
    fila = revision_entrega.revisar_entrega(tmp_path / "editada.zip", tmp_path)
    assert "el manifiesto declara 50 épocas y historial.csv llega a la época 2" in fila["avisos"]
    assert (f"el manifiesto declara {1000 + imagenes['reserva']:_} imágenes e imagenes.npz trae 30 (la tabla y la "
            "rúbrica usan estas)").replace("_", ".") in fila["avisos"]
    assert fila["imagenes"] == 30 and fila["rubrica_datos"] == "insuficiente"
    # Un historial.csv que no es el del kit no tumba la revisión: se dice que no se pudo cotejar.
    rehacer(ana, tmp_path / "historial_roto.zip", {"historial.csv": b"\xff\xfe"})
    fila = revision_entrega.revisar_entrega(tmp_path / "historial_roto.zip", tmp_path)
    assert "historial.csv está dañado: no se pueden comprobar las épocas declaradas" in fila["avisos"]


def test_un_historial_de_cientos_de_miles_de_epocas_se_coteja(revisada, tmp_path):
    # A 32 px, con pocas fotos, una época dura una décima de segundo: unas horas dan más de 100.000. Antes, más de los
    # 5 MiB que se leían de historial.csv, y la entrega salía ilegible pidiendo entregarla otra vez, en vano.
    ana = revisada["entregas"] / "ana.zip"
    epocas = 120_000
    historial = "epoca,exactitud_d,perdida_d,perdida_g\n" + "".join(
        f"{i},0.46875,1.392067551612854,0.674679696559906\n" for i in range(1, epocas + 1))
    assert len(historial) > 5 * 2**20
    rehacer(ana, tmp_path / "larga.zip", {"historial.csv": historial.encode()}, {"epocas": epocas})
    fila = revision_entrega.revisar_entrega(tmp_path / "larga.zip", tmp_path)
    assert fila["epocas"] == epocas and not any("historial" in aviso for aviso in fila["avisos"])
    assert len(fila["historial"]) == medida_entrega.MAX_FILAS_HISTORIAL
    # Solo la cabecera: ninguna época que cotejar.
    rehacer(ana, tmp_path / "vacio.zip", {"historial.csv": b"epoca,perdida_d\n"})
    fila = revision_entrega.revisar_entrega(tmp_path / "vacio.zip", tmp_path)
    assert "historial.csv está dañado: no se pueden comprobar las épocas declaradas" in fila["avisos"]


def test_historias_de_entrenamiento_que_empiezan_igual():
    """Quien sigue el entrenamiento de otro con unas épocas más tiene pesos distintos, pero su historial.csv
    empieza con las mismas pérdidas, cifra a cifra."""
    historia = [["1", "1.2345", "0.6789"], ["2", "1.1111", "0.7222"], ["3", "1.0123", "0.7333"]]

    def fila(nombre, filas, pesos):
        return {"entrega": nombre, "avisos": [], "historial": filas, "pesos": np.full(3, pesos)}

    filas = [fila("ana.zip", historia[:2], 0.0), fila("beto.zip", historia, 1.0), fila("copia.zip", historia, 2.0),
             fila("igual.zip", historia[:2], 0.0), fila("otra.zip", [["1", "1.3", "0.6"], *historia[1:]], 3.0)]
    revision.comparar_historiales(filas)
    ana, beto, copia, igual, otra = (f["avisos"] for f in filas)
    assert ana == ["la historia de entrenamiento empieza igual que la de beto.zip (las 2 primeras épocas son "
                   "idénticas en historial.csv)",
                   "la historia de entrenamiento empieza igual que la de copia.zip (las 2 primeras épocas son "
                   "idénticas en historial.csv)"]  # con igual.zip, el generador idéntico ya tiene su aviso
    assert beto[0].startswith("la historia de entrenamiento empieza igual que la de ana.zip (las 2 primeras")
    assert "la historia de entrenamiento (historial.csv) es idéntica a la de copia.zip" in beto
    assert len(igual) == 2 and otra == []  # la primera época distinta: entrenamientos distintos


def test_lee_las_imagenes_de_la_mayor_entrega_honrada(tmp_path):
    # 2.500 de entrenamiento y 200 de reserva a 128 px, fotos con tanto detalle que no se comprimen: antes pasaban de
    # los 100 MiB que se leían de cualquier miembro, y la entrega salía ilegible pidiendo entregarla otra vez, en vano.
    imagenes = (formato_entrega.MAX_ENTRENAMIENTO + tarea.MAX_RESERVA) * 128 * 128 * 3
    tamano = imagenes + formato_entrega.MAX_ENTRENAMIENTO * 8 + 4096  # más los índices y las cabeceras de NumPy
    ruta = tmp_path / "grande.zip"
    with zipfile.ZipFile(ruta, "w") as nuevo, nuevo.open(entrega.ARCHIVO_IMAGENES, "w") as miembro:  # sin comprimir
        for inicio in range(0, tamano, 2**24):
            miembro.write(bytes(min(2**24, tamano - inicio)))
    assert len(lectura_entrega.leer_zip(ruta)[entrega.ARCHIVO_IMAGENES]) == tamano


def test_una_entrega_marcada_utf8_sin_serlo_se_explica(tmp_path):
    # Antes, «error inesperado al revisarla (UnicodeDecodeError)».
    ruta = zip_marcado_utf8_sin_serlo(tmp_path / "ana.zip", b"{}")
    with pytest.raises(lectura_entrega.EntregaIlegible, match=r"^dice llevar los nombres de sus archivos en UTF-8 y no "
                                                               r"los lleva .*; pide al estudiante que vuelva a entregar"):
        lectura_entrega.leer_zip(ruta)


def test_un_metodo_de_compresion_que_no_se_sabe_leer_se_explica(tmp_path):
    ruta = tmp_path / "7zip.zip"
    with zipfile.ZipFile(ruta, "w") as nuevo:  # sin comprimir, y después marcado como Deflate64 (método 9)
        nuevo.writestr(entrega.MANIFIESTO, b"{}")
    marcar_deflate64(ruta)
    with pytest.raises(lectura_entrega.EntregaIlegible, match=r"miembro «manifiesto\.json»: comprimido con un método que no sé "
                                                       r"leer \(p\. ej\. el Deflate64 de 7-Zip\), no con el normal "
                                                       r"\(Deflate\); pide al estudiante que vuelva a entregar"):
        lectura_entrega.leer_zip(ruta)
    modelo = io.BytesIO()
    with zipfile.ZipFile(modelo, "w") as nuevo:
        nuevo.writestr("config.json", b"{}")
    (tmp_path / "modelo.keras").write_bytes(modelo.getvalue())
    marcar_deflate64(tmp_path / "modelo.keras")
    with pytest.raises(lectura_entrega.EntregaIlegible, match=r"generador\.keras, miembro «config\.json»: comprimido con un "
                                                       r"método que no sé leer"):
        generador_ajeno.cargar_generador_ajeno((tmp_path / "modelo.keras").read_bytes(), tmp_path)


def test_con_un_kit_mas_nuevo_lo_que_no_se_entiende_lo_dice():
    nuevo = json.dumps({"formato": formato_entrega.FORMATO + 1}).encode()
    assert lectura_entrega.kit_mas_nuevo(nuevo).startswith("hecha con un kit más nuevo que el tuyo")
    assert lectura_entrega.kit_mas_nuevo(json.dumps({"formato": formato_entrega.FORMATO}).encode()) == ""
    assert lectura_entrega.kit_mas_nuevo(b"[1, 2]") == "" and lectura_entrega.kit_mas_nuevo(b"\xff") == ""


def test_los_pares_son_las_muestras_mas_cercanas_sobre_su_foto():
    azar = np.random.default_rng(0)
    entrenamiento = azar.uniform(-1, 1, (20, 8, 8, 1)).astype(np.float32)
    copias = entrenamiento[[3, 7, 1, 0, 12, 5, 9, 18]]
    muestras = np.concatenate([azar.uniform(-1, 1, (24, 8, 8, 1)).astype(np.float32), copias])
    uri = medida_entrega._pares(muestras, entrenamiento)
    with Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))) as pares:
        pixeles = np.asarray(pares)
    assert pixeles.shape == (16, 64)  # 8 parejas de 8 px, en gris
    # Las 8 más cercanas son las copias (distancia 0): cada una, igual a su foto de debajo.
    np.testing.assert_array_equal(pixeles[:8], pixeles[8:])


def test_informes_ya_escritos_con_lo_revisado_aun_ahi_lo_dicen(tmp_path, monkeypatch):
    entregas, _ = _clase_falsa(tmp_path, monkeypatch)
    salida = tmp_path / "informe" / "clase.html"
    revision.revisar(entregas, salida)
    # Los tres, empezando por el pedido: antes nombraba solo la hoja, y al borrarla, el CSV, y luego el HTML.
    xlsx, csv_ = salida.with_suffix(".xlsx"), salida.with_suffix(".csv")
    with pytest.raises(FileExistsError) as error:
        revision.revisar(entregas, salida)
    assert str(error.value) == (f"«{salida}», «{xlsx}» y «{csv_}» ya existen y no los sobrescribo: bórralos tú o elige "
                                "otra --salida.")
    # Cortada tras escribir los informes y antes de borrar lo revisado: el mensaje nombra esa carpeta.
    cache = revision.cache_de(salida)
    cache.mkdir()
    (cache / "fila.npz").write_bytes(b"")
    with pytest.raises(FileExistsError, match=f"Queda también «{re.escape(str(cache))}», de esa revisión, con copias"):
        revision.revisar(entregas, salida)
    # Cortada entre un informe y el siguiente: se borra solo el suelto y la misma orden sigue con lo revisado.
    salida.unlink()
    salida.with_suffix(".csv").unlink()
    with pytest.raises(FileExistsError, match=rf"solo dejó «{re.escape(str(salida.with_suffix('.xlsx')))}»: bórralo y "
                                              r"vuelve a lanzar la misma orden.*no borres esa carpeta"):
        revision.revisar(entregas, salida)
    # Sin lo revisado, un informe suelto es solo un archivo que no se sobrescribe.
    shutil.rmtree(cache)
    with pytest.raises(FileExistsError, match=rf"^«{re.escape(str(xlsx))}» ya existe y no lo sobrescribo: bórralo tú o "
                                              r"elige otra --salida\.$"):
        revision.revisar(entregas, salida)


def test_una_carpeta_como_salida_se_explica(tmp_path, capsys):
    # Antes: ««informes» debe terminar en .html», como si hubiera que renombrar la carpeta.
    (tmp_path / "entregas").mkdir()
    (tmp_path / "informes").mkdir()
    with pytest.raises(SystemExit) as salida:
        main(["revisar", str(tmp_path / "entregas"), "--salida", str(tmp_path / "informes")])
    assert salida.value.code == 1
    assert (f"«{tmp_path / 'informes'}» es una carpeta: escribe el nombre del informe que se crea, p. ej. "
            f"{tmp_path / 'informes' / 'informe_clase.html'}.") in capsys.readouterr().err
    assert list((tmp_path / "informes").iterdir()) == []


def test_los_informes_de_una_revision_anterior_en_la_carpeta_no_son_entregas(tmp_path, revisada):
    # Antes, al revisar de nuevo una carpeta con su informe dentro: «4 entregas, 3 con avisos o ilegibles» y, para
    # informe.html, .xlsx y .csv, «pide al estudiante que vuelva a entregar».
    carpeta = tmp_path / "entregas"
    carpeta.mkdir()
    shutil.copy(revisada["entregas"] / "ana.zip", carpeta)
    revision.revisar(carpeta, carpeta / "informe.html")
    (carpeta / "notas.txt").write_text("hola", encoding="utf-8")  # lo demás sí tiene su fila
    filas = revision.revisar(carpeta, carpeta / "informe_2.html")
    assert sorted(fila["entrega"] for fila in filas) == ["ana.zip", "notas.txt"]


def test_el_orden_de_las_entregas_no_depende_de_como_se_lista_la_carpeta(tmp_path, monkeypatch):
    for nombre in ("a1.zip", "a01.zip", "a001.zip", "a2.zip"):  # a1, a01 y a001: la misma cifra
        (tmp_path / nombre).write_bytes(b"PK")
    listar = Path.rglob
    ordenes = []
    for al_reves in (False, True):
        monkeypatch.setattr(Path, "rglob", lambda self, patron, r=al_reves: sorted(listar(self, patron), reverse=r))
        ordenes.append([zip_.name for zip_ in revision._contenido(tmp_path)[1]])
    assert ordenes[0] == ordenes[1] == ["a001.zip", "a01.zip", "a1.zip", "a2.zip"]


def test_revision_entrega_reexporta_lo_que_era_suyo():
    # benchmarks/revision_clase.py lee «revision_entrega.UMBRAL_MEMORIZACION», y quien importaba de revision_entrega
    # sigue sirviéndose de él: es lo mismo, no una copia.
    todo = {}
    exec("from helpers.revision_entrega import *", todo)
    for modulo, nombres in ((revision_entrega, ("UMBRAL_CUADRICULA", "revisar_entrega")),
                            (lectura_entrega, ("MAX_ZIP", "MAX_MIEMBROS", "MAX_DESCOMPRIMIDO", "MAX_MODELO", "MAX_IMAGENES",
                                               "MAX_MANIFIESTO", "MAX_HISTORIAL", "MAX_LADO_PNG", "REENTREGAR",
                                               "DESCARGAR", "NO_ES_ENTREGA", "EntregaIlegible", "leer_zip")),
                            (generador_ajeno, ("MAX_CONFIG", "MAX_PARAMETROS", "MAX_LADO", "MAX_LATENTE", "ESPECIALES",
                                               "PROHIBIDAS", "cargar_generador_ajeno", "objetos_no_permitidos")),
                            (declarado_entrega, ("CREIBLE", "NOMBRES")),
                            (medida_entrega, ("MAX_FILAS_HISTORIAL", "TOLERANCIA", "UMBRAL_MEMORIZACION"))):
        for nombre in nombres:
            assert todo[nombre] is getattr(modulo, nombre), nombre
    assert set(todo) - {"__builtins__"} == set(revision_entrega.__all__)
    # Las importaciones van en un solo sentido: ninguno de sus módulos importa revision_entrega.
    for modulo in (lectura_entrega, generador_ajeno, declarado_entrega, medida_entrega):
        importados = {nodo.module for nodo in ast.walk(ast.parse(Path(modulo.__file__).read_text(encoding="utf-8")))
                      if isinstance(nodo, ast.ImportFrom)}
        assert "revision_entrega" not in importados, modulo.__name__
