"""Páginas HTML de un solo archivo (las imágenes van dentro como ``data:``), para abrirlas sin conexión.

Las usan el informe de una entrega (``entrega.py``) y el de la clase (``revision.py``). Todo texto
que venga de una entrega se escapa con ``html.escape``: un nombre con ``<script>`` se ve como texto.
"""

import base64
import html
import io

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
ul { margin: 0; padding-left: 1.1em; }
"""

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


def tabla(encabezados, filas, ordenable=False):
    """Tabla HTML. Cada celda de ``filas`` es texto (se escapa) o ``(html, valor_para_ordenar)``:
    el HTML se inserta tal cual (lo construye quien llama) y el valor se usa al ordenar."""
    cabecera = "".join(f"<th>{escapar(e)}</th>" for e in encabezados)
    cuerpo = []
    for fila in filas:
        celdas = []
        for celda in fila:
            if isinstance(celda, tuple):
                contenido, valor = celda
                numero = isinstance(valor, (int, float))
                clase = ' class="numero"' if numero else ""
                celdas.append(f'<td{clase} data-valor="{escapar(valor)}">{contenido}</td>')
            else:
                celdas.append(f"<td>{escapar(celda)}</td>")
        cuerpo.append("<tr>" + "".join(celdas) + "</tr>")
    clase = ' class="ordenable"' if ordenable else ""
    return f"<table{clase}><thead><tr>{cabecera}</tr></thead><tbody>{''.join(cuerpo)}</tbody></table>"


def pagina(titulo, cuerpo, ordenable=False):
    """Documento HTML completo en español; con ``ordenable``, incluye el guion que ordena las tablas."""
    guion = f"<script>{ORDENAR}</script>" if ordenable else ""
    return (
        f'<!DOCTYPE html>\n<html lang="es"><head><meta charset="utf-8"><title>{escapar(titulo)}</title>'
        f"<style>{ESTILO}</style></head><body><h1>{escapar(titulo)}</h1>{cuerpo}{guion}</body></html>\n"
    )


