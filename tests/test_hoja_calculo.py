"""La hoja .xlsx mínima: se lee como un .xlsx, con los números como números y el texto tal cual."""

import re
import zipfile
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from helpers.hoja_calculo import escribir_xlsx

HOJA = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def leer_xlsx(ruta):
    """Las filas de la primera hoja, siguiendo las relaciones del paquete como haría un programa de hojas
    de cálculo: números como ``float``, texto como ``str`` y ``None`` en las celdas vacías."""
    with zipfile.ZipFile(ruta) as archivo:
        partes = {nombre: ET.fromstring(archivo.read(nombre)) for nombre in archivo.namelist()}
    tipos = {e.get("PartName"): e.get("ContentType") for e in partes["[Content_Types].xml"] if e.get("PartName")}
    libro = next(e.get("Target") for e in partes["_rels/.rels"] if e.get("Type").endswith("/officeDocument"))
    assert tipos["/" + libro].endswith("sheet.main+xml")
    hoja_id = partes[libro].find(f"{HOJA}sheets")[0].get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    relaciones = partes[libro.replace("workbook.xml", "_rels/workbook.xml.rels")]
    destino = "xl/" + next(e.get("Target") for e in relaciones if e.get("Id") == hoja_id)
    assert tipos["/" + destino].endswith("worksheet+xml")
    filas = []
    for renglon in partes[destino].find(f"{HOJA}sheetData"):
        valores = {}
        for celda in renglon:
            letras = re.match(r"[A-Z]+", celda.get("r")).group()
            columna = sum((ord(c) - 64) * 26 ** i for i, c in enumerate(reversed(letras))) - 1
            if celda.get("t") == "inlineStr":
                valores[columna] = celda.find(f"{HOJA}is/{HOJA}t").text or ""
            else:
                valores[columna] = float(celda.find(f"{HOJA}v").text)
        filas.append([valores.get(j) for j in range(max(valores) + 1)] if valores else [])
    return filas


def test_numeros_como_numeros_y_texto_tal_cual(tmp_path):
    ruta = tmp_path / "notas.xlsx"
    escribir_xlsx(["entrega", "kid", "imagenes", "avisos"],
                  [["ana<&>\".zip", 0.043, np.int64(300), "=1+1"],
                   ["josé\x01\ud800.zip", np.float32(0.5), None, ""],
                   ["luis.zip", float("nan"), float("inf"), "   con espacios "]], ruta, hoja="Entregas")
    assert leer_xlsx(ruta) == [["entrega", "kid", "imagenes", "avisos"],
                               ["ana<&>\".zip", 0.043, 300.0, "=1+1"],  # «=1+1» es texto: una celda de texto no calcula
                               ["josé.zip", 0.5],  # sin el carácter de control, que XML no admite; vacías al final
                               ["luis.zip", "nan", "inf", "   con espacios "]]
    hoja = zipfile.ZipFile(ruta).read("xl/worksheets/sheet1.xml").decode()
    assert 'state="frozen"' in hoja and "<f>" not in hoja  # encabezado fijo; ninguna fórmula


def test_un_entero_que_no_cabe_en_un_float_va_como_texto(tmp_path):
    # Antes, OverflowError de math.isfinite; como número, la hoja de cálculo no podría leerlo.
    ruta = tmp_path / "enorme.xlsx"
    escribir_xlsx(["cifra"], [[10**400]], ruta)
    assert leer_xlsx(ruta) == [["cifra"], [str(10**400)]]


def test_columnas_mas_alla_de_la_z_y_celdas_largas(tmp_path):
    ruta = tmp_path / "ancha.xlsx"
    escribir_xlsx([f"c{j}" for j in range(30)], [list(range(29)) + ["x" * 40000]], ruta)
    filas = leer_xlsx(ruta)
    assert filas[0][26:28] == ["c26", "c27"] and filas[1][29] == "x" * 32767  # AA, AB; el máximo de Excel por celda
    assert ' r="AD2"' in zipfile.ZipFile(ruta).read("xl/worksheets/sheet1.xml").decode()


def test_sin_filas_ni_encabezados_y_filas_cortas(tmp_path):
    escribir_xlsx([], [], tmp_path / "vacia.xlsx")
    assert leer_xlsx(tmp_path / "vacia.xlsx") == [[]]
    assert "<cols>" not in zipfile.ZipFile(tmp_path / "vacia.xlsx").read("xl/worksheets/sheet1.xml").decode()
    escribir_xlsx(["a"], [["x", "una columna más"]], tmp_path / "corta.xlsx")
    hoja = zipfile.ZipFile(tmp_path / "corta.xlsx").read("xl/worksheets/sheet1.xml").decode()
    assert leer_xlsx(tmp_path / "corta.xlsx") == [["a"], ["x", "una columna más"]] and 'min="2" max="2"' in hoja


@pytest.mark.parametrize("nombre", ["", "a" * 32, "notas/2026", "hoja[1]"])
def test_nombre_de_hoja_que_excel_no_admite(tmp_path, nombre):
    with pytest.raises(ValueError, match="nombre de hoja"):
        escribir_xlsx(["a"], [], tmp_path / "x.xlsx", hoja=nombre)
    assert not (tmp_path / "x.xlsx").exists()
