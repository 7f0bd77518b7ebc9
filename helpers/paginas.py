"""Páginas HTML de un solo archivo (las imágenes van dentro como ``data:``), para abrirlas sin conexión.

Las usan el informe de una entrega (``pagina_entrega.py``) y el de la clase (``revision_informes.py``). Todo
texto que venga de una entrega se escapa con ``html.escape``: un nombre con ``<script>`` se ve como texto.
La reflexión del estudiante, además, se lee como Markdown sencillo (``markdown_a_html``).
"""

import base64
import datetime
import html
import io
import re

ESTILO = """
body { font-family: system-ui, sans-serif; margin: 1.5em; max-width: 1500px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #e8eef7; }
table.ordenable th { cursor: pointer; }
td.numero { text-align: right; font-variant-numeric: tabular-nums; }
.aviso { color: #a40000; } .bien { color: #1a6b1a; }
img { image-rendering: pixelated; }
figure { margin: 0 0 0.4em; } figcaption { font-size: 0.8em; color: #555; }
ul { margin: 0; padding-left: 1.1em; }
.reflexion { max-width: 48em; line-height: 1.5; }
.reflexion ul, .reflexion ol { margin: 0.5em 0; padding-left: 1.6em; }
.reflexion h3 { font-size: 1.05em; } .reflexion h4, .reflexion h5, .reflexion h6 { font-size: 1em; }
pre { background: #f3f3f3; padding: 0.5em; overflow-x: auto; }
.desplazable { overflow: auto; max-height: 85vh; margin-bottom: 1em; }
.desplazable table { border-collapse: separate; border-spacing: 0; }
.desplazable th, .desplazable td { border-width: 0 1px 1px 0; }
.desplazable tr > :first-child { border-left-width: 1px; }
.desplazable thead th { border-top-width: 1px; position: sticky; top: 0; z-index: 2; }
.desplazable .fija { position: sticky; left: 0; z-index: 1; background: #fff; }
.desplazable thead .fija { z-index: 3; background: #e8eef7; }
.desplazable ul { min-width: 15em; } .desplazable td:last-child { min-width: 13em; }  /* sin una palabra por línea */
@media print { .desplazable { overflow: visible; max-height: none; } }
"""

MESES = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
         "noviembre", "diciembre")

# El Markdown que escribe un estudiante, línea a línea: «# Título», «- elemento» o «1. elemento», «```».
TITULO = re.compile(r"(#{1,6})\s+(.*)")
ELEMENTO = re.compile(r"\s*(?:[-*+]|(\d{1,9})[.)])\s+(.*)")
VALLA = "```"
# Dentro de una línea, `código` y [enlace](dirección) (o ![imagen](archivo)) se toman tal cual. Ninguna
# búsqueda pasa por encima de la marca con la que empezó (otra comilla, otro corchete): así, un texto
# de 100 000 caracteres raros tarda lo mismo que uno normal.
LITERAL = re.compile(r"`([^`]+)`|!?\[([^\[\]]+)\]\(\s*([^)\s\[\]]+)\s*\)")


def _entre(marca):
    """El patrón de «marca, texto, marca» (p. ej. «**texto**»): sin la marca dentro, sin espacio junto
    a ella y sin letras pegadas por fuera, para que «generador_menor_swd» o «2*3*4» no sean cursiva."""
    m, c = re.escape(marca), re.escape(marca[0])
    return re.compile(rf"(?<![\w{c}]){m}(?!\s)([^{c}]+?)(?<!\s){m}(?![\w{c}])")


# Primero la negrita: si no, «**» se leería como dos cursivas.
RESALTES = [(_entre("**"), "strong"), (_entre("__"), "strong"), (_entre("*"), "em"), (_entre("_"), "em")]
# La página ya tiene su <h1> y la reflexión va bajo un <h2>: «#» de la reflexión es un <h3>.
NIVEL_TITULO = 2

# Al pulsar un encabezado, ordena las filas por esa columna (números por su valor; una segunda
# pulsación invierte el orden). Las celdas sin valor van siempre al final.
ORDENAR = """
document.querySelectorAll("table.ordenable th").forEach(function (th, columna) {
  th.addEventListener("click", function () {
    var cuerpo = th.closest("table").tBodies[0];
    var filas = Array.from(cuerpo.rows);
    var sube = th.dataset.orden !== "sube";
    th.dataset.orden = sube ? "sube" : "baja";
    function valor(fila) {
      var celda = fila.cells[columna];
      var v = celda.dataset.valor !== undefined ? celda.dataset.valor : celda.textContent.trim();
      return v === "" || isNaN(Number(v)) ? v : Number(v);
    }
    filas.sort(function (a, b) {
      var x = valor(a), y = valor(b);
      if (x === "" || y === "") return (x === "") - (y === "");
      var orden = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "es");
      return sube ? orden : -orden;
    });
    filas.forEach(function (fila) { cuerpo.appendChild(fila); });
  });
});
"""


def escapar(texto):
    """Texto cualquiera → texto seguro dentro de HTML."""
    return html.escape(str(texto), quote=True)


def fecha_legible(iso):
    """Fecha ISO 8601 con zona (la ``fecha`` de un manifiesto) → «3 de diciembre de 2026, 17:10 (UTC)».
    En UTC, no en la hora local de quien entrega: quien revisa compara entregas de sitios distintos."""
    fecha = datetime.datetime.fromisoformat(iso).astimezone(datetime.timezone.utc)
    return f"{fecha.day} de {MESES[fecha.month - 1]} de {fecha.year}, {fecha:%H:%M} (UTC)"


def markdown_a_html(texto):
    """El Markdown sencillo de una reflexión → HTML seguro, para el cuerpo de ``pagina``.

    Entiende títulos (``# …``, ``## …``, ``### …``), párrafos separados por una línea en blanco (un
    salto de línea dentro de un párrafo se respeta), listas (``- …``, ``* …`` o ``1. …``), bloques de
    código entre dos líneas con tres comillas invertidas y, dentro de una línea, ``**negrita**``,
    ``*cursiva*``, código entre comillas invertidas y enlaces ``[texto](dirección)``, que se ven como
    «texto (dirección)»: la página no lleva a ningún sitio. Todo se escapa antes de darle formato: un
    ``<script>`` en la reflexión se ve como texto.
    """
    bloques = []  # [etiqueta, líneas]; las listas, [etiqueta, elementos (cada uno, sus líneas), primer número]
    abierto = None  # el bloque que sigue la línea siguiente; una línea en blanco lo cierra
    for linea in texto.splitlines():
        if abierto and abierto[0] == "pre":
            if linea.strip().startswith(VALLA):
                abierto = None
            else:
                abierto[1].append(linea)
        elif linea.strip().startswith(VALLA):
            abierto = ["pre", []]
            bloques.append(abierto)
        elif not linea.strip():
            abierto = None
        elif titulo := TITULO.fullmatch(linea):
            bloques.append([f"h{min(6, NIVEL_TITULO + len(titulo[1]))}", [titulo[2]]])
            abierto = None
        elif elemento := ELEMENTO.fullmatch(linea):
            etiqueta = "ol" if elemento[1] else "ul"
            if not abierto or abierto[0] != etiqueta:
                abierto = [etiqueta, [], int(elemento[1] or 1)]
                bloques.append(abierto)
            abierto[1].append([elemento[2]])
        elif abierto and abierto[0] in ("ul", "ol"):  # un elemento largo que sigue en la línea de abajo
            abierto[1][-1].append(linea)
        elif abierto:
            abierto[1].append(linea)
        else:
            abierto = ["p", [linea]]
            bloques.append(abierto)
    return "".join(_bloque(*bloque) for bloque in bloques)


def contar_palabras(texto):
    """Palabras del Markdown ``texto`` como las contaría el docente: lo que va entre espacios con alguna letra o
    cifra, así que una dirección, una ruta o un número («0,35», «1e-4») son una palabra. No cuentan los signos
    sueltos («—», «=»), las marcas de Markdown (las de lista; de un enlace o una imagen, la dirección, no su
    texto) ni los bloques de código entre dos líneas ``VALLA``: no son prosa de la reflexión."""
    palabras, en_codigo = 0, False
    for linea in texto.splitlines():
        if linea.strip().startswith(VALLA):
            en_codigo = not en_codigo
        elif not en_codigo:
            linea = elemento[2] if (elemento := ELEMENTO.fullmatch(linea)) else linea
            linea = LITERAL.sub(lambda literal: literal[2] or literal[0], linea)  # de un enlace, su texto
            palabras += sum(1 for trozo in linea.split() if re.search(r"[^\W_]", trozo))
    return palabras


def _bloque(etiqueta, lineas, inicio=1):
    if etiqueta == "pre":
        codigo = escapar("\n".join(lineas))
        return f"<pre><code>{codigo}</code></pre>"
    if etiqueta in ("ul", "ol"):
        primero = f' start="{inicio}"' if inicio != 1 else ""
        elementos = "".join(f"<li>{_lineas(elemento)}</li>" for elemento in lineas)
        return f"<{etiqueta}{primero}>{elementos}</{etiqueta}>"
    return f"<{etiqueta}>{_lineas(lineas)}</{etiqueta}>"


def _lineas(lineas):
    return "<br>".join(_en_linea(linea.strip()) for linea in lineas)


def _en_linea(texto):
    """Una línea escapada, con su código y sus enlaces tal cual y el resto con negrita y cursiva."""
    texto, partes, desde = escapar(texto), [], 0
    for literal in LITERAL.finditer(texto):
        codigo, enlace, direccion = literal.groups()
        partes.append(_resaltar(texto[desde:literal.start()]))
        if codigo is not None:
            partes.append(f"<code>{codigo}</code>")
        else:
            partes.append(_resaltar(enlace) + ("" if direccion == enlace else f" ({direccion})"))
        desde = literal.end()
    partes.append(_resaltar(texto[desde:]))
    return "".join(partes)


def _resaltar(texto):
    for patron, etiqueta in RESALTES:
        texto = patron.sub(rf"<{etiqueta}>\1</{etiqueta}>", texto)
    return texto


def uri_png(imagen):
    """Imagen de PIL → ``data:image/png;base64,…`` (se vuelve a codificar: nunca se copian bytes ajenos)."""
    buffer = io.BytesIO()
    imagen.save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def uri(contenido, tipo):
    """Bytes generados por el kit (``tipo`` MIME, p. ej. ``image/gif``) → ``data:`` URI."""
    return f"data:{tipo};base64," + base64.b64encode(contenido).decode("ascii")


def imagen(fuente, alternativo, ancho=None):
    """Etiqueta ``<img>`` con ``fuente`` (una URI ``data:``) y texto alternativo escapado."""
    medida = f' width="{int(ancho)}"' if ancho else ""
    return f'<img src="{fuente}" alt="{escapar(alternativo)}"{medida}>'


def figura(fuente, pie, ancho=None):
    """``<figure>`` con la imagen ``fuente`` (URI ``data:``) y ``pie`` visible debajo (también su texto alternativo)."""
    return f"<figure>{imagen(fuente, pie, ancho)}<figcaption>{escapar(pie)}</figcaption></figure>"


def tabla(encabezados, filas, ordenable=False, fija=None):
    """Tabla HTML. Cada celda de ``filas`` es texto (se escapa) o ``(html, valor_para_ordenar)``:
    el HTML se inserta tal cual (lo construye quien llama) y el valor se usa al ordenar.

    Con ``fija`` (el índice de una columna), la tabla va en un recuadro que se desplaza a los lados y
    hacia abajo sin mover la página, con los encabezados y esa columna siempre a la vista: así una
    tabla más ancha que la ventana de un portátil se lee fila a fila."""
    def clase(*nombres):
        nombres = " ".join(nombre for nombre in nombres if nombre)
        return f' class="{nombres}"' if nombres else ""

    def fijada(columna):
        return "fija" if columna == fija else ""

    cabecera = "".join(f"<th{clase(fijada(i))}>{escapar(e)}</th>" for i, e in enumerate(encabezados))
    cuerpo = []
    for fila in filas:
        celdas = []
        for i, celda in enumerate(fila):
            if isinstance(celda, tuple):
                contenido, valor = celda
                numero = "numero" if isinstance(valor, (int, float)) else ""
                celdas.append(f'<td{clase(numero, fijada(i))} data-valor="{escapar(valor)}">{contenido}</td>')
            else:
                celdas.append(f"<td{clase(fijada(i))}>{escapar(celda)}</td>")
        cuerpo.append("<tr>" + "".join(celdas) + "</tr>")
    html_tabla = (f"<table{clase('ordenable' if ordenable else '')}><thead><tr>{cabecera}</tr></thead>"
                  f"<tbody>{''.join(cuerpo)}</tbody></table>")
    return html_tabla if fija is None else f'<div class="desplazable">{html_tabla}</div>'


def pagina(titulo, cuerpo, ordenable=False):
    """Documento HTML completo en español; con ``ordenable``, incluye el guion que ordena las tablas."""
    guion = f"<script>{ORDENAR}</script>" if ordenable else ""
    return (
        f'<!DOCTYPE html>\n<html lang="es"><head><meta charset="utf-8"><title>{escapar(titulo)}</title>'
        f"<style>{ESTILO}</style></head><body><h1>{escapar(titulo)}</h1>{cuerpo}{guion}</body></html>\n"
    )


