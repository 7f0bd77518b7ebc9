"""Los informes de la revisión de la clase: el HTML (``informe_clase``: resumen, tabla ordenable con
miniaturas y qué significa cada aviso) y, con la misma información, la hoja de cálculo (.xlsx) para el
libro de notas y el CSV para programas (``escribir_csv``), los dos con las ``COLUMNAS``.
``_escribir_informes`` escribe los tres juntos o ninguno. Lo usa ``revision``.
"""

import contextlib
import csv
import math
import os

from . import paginas
from .archivos import con_la_ruta_pedida
from .hoja_calculo import escribir_xlsx
from .memorizacion import UMBRAL_DIVERSIDAD
from .textos import cifra, contar, texto_imprimible

COLUMNAS = ("entrega", "alumno", "imagenes", "tamano", "epocas", "minutos", "dispositivo", "swd", "kid",
            "memorizacion", "diversidad", "rubrica_datos", "rubrica_reanudable", "rubrica_metricas",
            "palabras_reflexion", "avisos", "motivo")


def _escribir_informes(filas, juntos, carpeta):
    """La hoja, el CSV y el HTML (``juntos``), los tres a la vez o ninguno: una hoja suelta sin su informe
    impediría repetir la revisión."""
    temporales = {ruta: ruta.parent / f".{ruta.name}.tmp" for ruta in juntos}
    escritores = (lambda temporal: escribir_xlsx(COLUMNAS, [[_celda_hoja(fila.get(columna)) for columna in COLUMNAS]
                                                            for fila in filas], temporal, hoja="Entregas"),
                  lambda temporal: escribir_csv(filas, temporal),
                  lambda temporal: temporal.write_text(informe_clase(filas, carpeta), encoding="utf-8"))
    try:
        for (ruta, temporal), escribir in zip(temporales.items(), escritores):
            with con_la_ruta_pedida(temporal, ruta):
                escribir(temporal)
        for ruta, temporal in temporales.items():
            with con_la_ruta_pedida(temporal, ruta):
                os.replace(temporal, ruta)
    finally:
        for temporal in temporales.values():
            with contextlib.suppress(OSError):  # en un disco de solo lectura, borrar también falla: cuenta el primer error
                temporal.unlink(missing_ok=True)


def _celda_hoja(valor):
    """El valor para la hoja de cálculo (y, como texto, para el CSV): avisos unidos por «; » y números
    con 4 cifras significativas."""
    if isinstance(valor, list):
        return "; ".join(valor)
    if isinstance(valor, float) and math.isfinite(valor):
        return float(f"{valor:.4g}")
    return valor


def _celda_csv(valor):
    """Texto para el CSV; lo que empieza por ``=``, ``+``, ``-`` o ``@`` (o por un tabulador o un retorno de carro,
    que algunas hojas de cálculo saltan antes de mirarlo) se antepone con ``'`` para que la hoja de cálculo no lo
    tome por una fórmula."""
    valor = _celda_hoja(valor)
    if valor is None:
        return ""
    texto = f"{valor:.4g}" if isinstance(valor, float) else str(valor)
    return "'" + texto if texto and texto[0] in "=+-@\t\r" and not isinstance(valor, (int, float)) else texto


def escribir_csv(filas, ruta):
    """CSV para el libro de notas (UTF-8 con BOM, para que Excel respete las tildes)."""
    with open(ruta, "w", newline="", encoding="utf-8-sig") as archivo:
        escritor = csv.writer(archivo)
        escritor.writerow(COLUMNAS)
        escritor.writerows([_celda_csv(fila.get(columna)) for columna in COLUMNAS] for fila in filas)


RUBRICA = {"rubrica_datos": "datos", "rubrica_reanudable": "reanudable", "rubrica_metricas": "métricas"}
LEYENDA = (
    ("la cuadrícula entregada no sale de este generador", "muestras.png no es lo que el generador entregado "
     "dibuja con la semilla anotada: se cambió la imagen o el generador. No prueba mala fe (pudo entregar otro "
     "generador por error)."),
    ("generador idéntico / casi idéntico al de …", "los pesos de dos entregas coinciden, o distan menos de un cuarto "
     "de lo que distan dos entregas típicas de esta clase: mismo archivo o uno retocado. No dice quién copió a quién. "
     "Tras muy pocas épocas los pesos dependen más de cuántos pasos se dieron que de las fotos: dos entregas honradas "
     "con las mismas épocas pueden salir «casi idénticas», y una copia reentrenada unas épocas puede no salir. "
     "Compara sus épocas y sus cuadrículas antes de concluir."),
    ("mismo archivo que …", "dos zips de la clase son el mismo archivo, byte a byte, con otro nombre: una copia o la "
     "misma entrega subida dos veces. No dice quién copió a quién."),
    ("la historia de entrenamiento es idéntica a / empieza igual que la de …", "las pérdidas de historial.csv coinciden "
     "cifra a cifra desde la primera época: un entrenamiento siguió al otro (con unas épocas más, los pesos pueden "
     "no salir «casi idénticos») o los dos salen de la misma carpeta. También las mismas fotos con la misma semilla "
     "en la misma máquina pueden dar la misma historia: pregunta antes de concluir."),
    ("mismo alumno (…) que …", "dos entregas dicen ser de la misma persona (sin contar mayúsculas ni tildes): "
     "una versión corregida que se subió sin quitar la anterior, o dos estudiantes con el mismo nombre. Pregunta cuál "
     "cuenta; la hoja de cálculo tiene una fila por entrega."),
    ("otro archivo se llama igual a la vista, con otros caracteres", "dos archivos de la carpeta tienen el mismo "
     "nombre escrito de dos formas: la «é» de «Zoé.zip» en un carácter (Windows, Linux) o en dos, «e» y la tilde "
     "(macOS). Linux los guarda como dos archivos que se ven iguales; el aviso dice cuál es cuál. Si no sale también "
     "«mismo archivo que …», son entregas distintas: renombra una para distinguirlas y revisa de nuevo."),
    ("el manifiesto declara … y historial.csv llega a / imagenes.npz trae …", "manifiesto.json no va firmado: sus "
     "épocas o su número de imágenes no son los de los archivos entregados, así que se editó después de "
     "«entregar». La tabla da las imágenes contadas y las épocas declaradas."),
    ("hecha con un kit más nuevo que el tuyo", "el manifiesto es de un formato que tu copia del kit no conoce: "
     "actualízala y revisa de nuevo. No dice nada de la entrega."),
    ("… del manifiesto no coincide(n) con lo re-medido", "las cifras declaradas no son las que salen al medir de "
     "nuevo con las mismas imágenes y semilla. No prueba que se inventaran: pudo editar el zip después."),
    ("posible memorización", "las muestras están mucho más cerca de sus imágenes de entrenamiento que una foto "
     "nueva. Con pocas imágenes es lo esperable; no es trampa. No se avisa si las muestras son casi iguales entre "
     "sí (sin entrenar o colapsadas) y no calcan una foto: entonces el cociente no dice nada."),
    ("sin muestras.png", "el zip no trae la cuadrícula que se entregó (se quitó de él: también sale «faltan "
     "archivos»). Se revisa con la cuadrícula regenerada, pero no se puede comprobar que la del estudiante saliera "
     "de este generador."),
    ("sin imágenes de reserva", "se entregó con --sin-imagenes (o se quitó imagenes.npz del zip: entonces también "
     "sale «faltan archivos»): las medidas no se pueden repetir."),
    ("huella SHA-256 / archivos añadidos / faltan archivos", "el zip cambió después de empaquetar la entrega: un "
     "archivo distinto, uno de más o uno de menos. Lo más frecuente es volver a comprimir a mano; no prueba trampa."),
    ("el manifiesto declara … que no es creíble / que no es un número", "una cifra declarada imposible (negativa, "
     "infinita, desmesurada, con decimales donde se cuenta o que no es un número): el manifiesto se editó a mano. No "
     "se usa en la tabla ni en la rúbrica."),
)


def informe_clase(filas, carpeta):
    """HTML autocontenido de la clase: resumen, tabla ordenable con miniaturas y leyenda de avisos."""
    encabezados = ["muestras", "entrega", "alumno", "avisos", "imágenes", "tamaño", "épocas", "minutos",
                   "dispositivo", "SWD ×10³", "KID", "memorización", "diversidad", "rúbrica (lo medible)"]
    cuerpo = []
    for posicion, fila in enumerate(filas):
        miniaturas = "".join(paginas.figura(fila[clave], pie) for clave, pie in (
            ("miniatura", "regenerada aquí"), ("miniatura_entregada", "la entregada (no coincide)"),
            ("pares", "las 8 muestras más parecidas al entrenamiento, sobre su foto")) if fila.get(clave))
        avisos = [f"<li class=\"aviso\">{paginas.escapar(a)}</li>" for a in fila["avisos"]]
        if fila["motivo"]:
            avisos.append(f"<li class=\"aviso\"><strong>ilegible:</strong> {paginas.escapar(fila['motivo'])}</li>")
        rubrica = "<br>".join(paginas.escapar(f"{nombre}: {fila[c]}") for c, nombre in RUBRICA.items() if fila.get(c))
        if fila.get("palabras_reflexion") is not None:
            rubrica += f"<br>reflexión: {contar(fila['palabras_reflexion'], 'palabra', 'palabras')} (unas 500)"
        cuerpo.append([
            # Por su posición, la de revisar: como texto, el navegador pondría «Ana García (1).zip» antes que
            # «Ana García.zip» (el espacio va antes que el punto) y «(10)» antes que «(2)».
            (miniaturas, ""), (paginas.escapar(fila["entrega"]), str(posicion)),
            # La columna que queda fija al desplazar la tabla: sin alumno (una entrega ilegible), el nombre del zip.
            (paginas.escapar(fila["alumno"]), fila["alumno"]) if fila["alumno"] else (
                f"<em>{paginas.escapar(fila['entrega'])}</em>", ""),
            # El número de avisos como texto: se ordena igual, pero la celda no se alinea como un número.
            ("<ul>" + "".join(avisos) + "</ul>" if avisos else '<span class="bien">sin avisos</span>', str(len(avisos))),
            (paginas.escapar(fila["imagenes"] or ""), fila["imagenes"] or ""),
            # Se ordena por el lado en píxeles: como texto, «128×128×3» iría antes que «32×32×3».
            (paginas.escapar(fila["tamano"] or ""), int(fila["tamano"].split("×")[0]) if fila["tamano"] else ""),
            *[(cifra(fila[c], d), fila[c] if fila[c] is not None else "")
              for c, d in (("epocas", 0), ("minutos", 1), )],
            fila["dispositivo"] or "",
            *[(cifra(fila[c], d), fila[c] if fila[c] is not None else "")
              for c, d in (("swd", 1), ("kid", 3), ("memorizacion", 2), ("diversidad", 2))],
            (rubrica, ""),
        ])
    con_avisos = sum(bool(f["avisos"] or f["motivo"]) for f in filas)
    leyenda = "".join(f"<dt><strong>{paginas.escapar(a)}</strong></dt><dd>{paginas.escapar(b)}</dd>" for a, b in LEYENDA)
    html = (
        f"<p>{contar(len(filas), 'entrega', 'entregas')} de «{paginas.escapar(texto_imprimible(carpeta.resolve().name))}»; "
        f"{con_avisos} con avisos o ilegibles. SWD, KID, memorización, diversidad y, si se entregó imagenes.npz, las "
        "imágenes son las re-medidas aquí; épocas, minutos, dispositivo y reanudaciones son las declaradas en el "
        "manifiesto, que no va firmado («declarado» en la rúbrica; las épocas se cotejan con historial.csv). "
        "Menor es mejor en SWD y KID; el cociente de memorización, ≈ 1 o más es lo sano; la diversidad de las "
        "muestras, ≈ 1 como en fotos reales, y muy baja "
        f"(< {cifra(UMBRAL_DIVERSIDAD)}) si el generador no ha aprendido o ha colapsado. Pulsa un encabezado para "
        "ordenar; la tabla se desplaza a los lados con la columna «alumno» siempre a la vista.</p>"
        + paginas.tabla(encabezados, cuerpo, ordenable=True, fija=encabezados.index("alumno"))
        + f"<h2>Qué significa cada aviso (y qué no prueba)</h2><dl>{leyenda}</dl>"
    )
    return paginas.pagina("Revisión de entregas", html, ordenable=True)
