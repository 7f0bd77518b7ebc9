"""Una hoja de cálculo ``.xlsx`` mínima, escrita a mano: números que ningún idioma reinterpreta.

Un CSV guarda los números como texto y cada programa los lee con su configuración regional: un
LibreOffice en español de España, p. ej., toma el punto de «0.043» por separador de millares y pone
43 sin avisar. En un ``.xlsx`` el número se guarda como número, y Excel, LibreOffice y Google
Sheets lo muestran con la coma o el punto de quien lo abre. Aquí solo lo imprescindible del formato
(Office Open XML, ECMA-376): una hoja, el texto dentro de cada celda y sin estilos.
"""

import itertools
import numbers
import re
import zipfile
from xml.sax.saxutils import escape

from .opciones import es_real

_CABECERA = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PAQUETE = "http://schemas.openxmlformats.org/package/2006/"
_DOCUMENTO = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HOJA = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TIPO = "application/vnd.openxmlformats-officedocument.spreadsheetml."

_PARTES_FIJAS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{_PAQUETE}content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{_TIPO}sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TIPO}worksheet+xml"/></Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{_PAQUETE}relationships"><Relationship Id="rId1" '
        f'Type="{_DOCUMENTO}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_PAQUETE}relationships"><Relationship Id="rId1" '
        f'Type="{_DOCUMENTO}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}

# Lo que XML no admite (caracteres de control, sustitutos sueltos) no puede ir en una celda; Excel no acepta más de 32.767
# caracteres por celda.
_NO_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
MAX_CELDA = 32767


def _columna(indice):
    """0 → A, 25 → Z, 26 → AA."""
    letras = ""
    indice += 1
    while indice:
        indice, resto = divmod(indice - 1, 26)
        letras = chr(65 + resto) + letras
    return letras


def _celda(valor, referencia):
    if valor is None or valor == "":
        return ""
    # es_real también reconoce los escalares de NumPy, cuyo repr no es un número («np.float32(0.5)»).
    if es_real(valor):
        numero = int(valor) if isinstance(valor, numbers.Integral) else float(valor)
        return f'<c r="{referencia}"><v>{numero!r}</v></c>'
    texto = escape(_NO_XML.sub("", str(valor))[:MAX_CELDA])
    return f'<c r="{referencia}" t="inlineStr"><is><t xml:space="preserve">{texto}</t></is></c>'


def escribir_xlsx(encabezados, filas, ruta, hoja="Hoja1"):
    """Escribe en ``ruta`` una hoja con ``encabezados`` en la primera fila y una fila por lista de ``filas``.

    Cada valor puede ser un número (se guarda como número; ``nan`` e infinitos, como texto), un texto
    o ``None`` o ``""`` (celda vacía). La primera fila queda fija al desplazarse y cada columna, tan ancha
    como su texto más largo (hasta 60 caracteres). ``hoja``: el nombre de la pestaña, como
    Excel lo admite (de 1 a 31 caracteres, sin corchetes, dos puntos, asterisco, interrogación ni barras).
    """
    if not 1 <= len(hoja) <= 31 or re.search(r"[][:*?/\\]", hoja):
        raise ValueError(f"«{hoja}» no sirve como nombre de hoja: de 1 a 31 caracteres, sin []:*?/ ni \\.")
    tabla = [list(encabezados), *[list(fila) for fila in filas]]
    anchos = [min(60, 2 + max((len(str(valor)) for valor in columna if valor is not None), default=0))
              for columna in itertools.zip_longest(*tabla)]
    columnas = "".join(f'<col min="{j + 1}" max="{j + 1}" width="{ancho}" customWidth="1"/>'
                       for j, ancho in enumerate(anchos))
    columnas = f"<cols>{columnas}</cols>" if columnas else ""
    renglones = "".join(
        f'<row r="{i + 1}">' + "".join(_celda(valor, f"{_columna(j)}{i + 1}") for j, valor in enumerate(fila)) + "</row>"
        for i, fila in enumerate(tabla))
    fija = ('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/></sheetView></sheetViews>')
    partes = {
        **_PARTES_FIJAS,
        "xl/workbook.xml": (f'<workbook xmlns="{_HOJA}" xmlns:r="{_DOCUMENTO}"><bookViews><workbookView/></bookViews>'
                            f'<sheets><sheet name="{escape(hoja, {chr(34): "&quot;"})}" sheetId="1" r:id="rId1"/>'
                            '</sheets></workbook>'),
        "xl/worksheets/sheet1.xml": (f'<worksheet xmlns="{_HOJA}">{fija}{columnas}'
                                     f'<sheetData>{renglones}</sheetData></worksheet>'),
    }
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as archivo:
        for nombre, contenido in partes.items():
            archivo.writestr(nombre, _CABECERA + contenido)
