"""La página del informe de una entrega, ``informe.html``: un solo archivo HTML, con las figuras dentro, que se
abre sin conexión.

``informe_entrega`` la escribe con los datos del entrenamiento, las medidas de cada generador (``MEDIDOS``), la
comprobación de memorización (con los pares de muestras y fotos de entrenamiento, salvo en una entrega sin
imágenes), las figuras y la reflexión, leída como Markdown. No mide ni lee nada: recibe el manifiesto y los
archivos que ``entrega`` ya preparó. El informe de la clase entera está en ``revision_informes``.
"""

from . import paginas
from .callbacks import SEMILLA_CUADRICULA
from .formato_entrega import MEDIDOS
from .memorizacion import lectura_memorizacion
from .textos import cifra, miles


def informe_entrega(manifiesto, archivos, vecinos, reflexion):
    """Página HTML autocontenida con los datos, las medidas, las figuras y la reflexión de la entrega.
    ``vecinos`` (el PNG de los pares de ``mostrar_vecinos``) es ``None`` en una entrega sin imágenes: los pares
    enseñarían las fotos de entrenamiento que el estudiante no quiere compartir."""
    imagenes, memorizacion = manifiesto["imagenes"], manifiesto["memorizacion"]
    entregadas = manifiesto["imagenes_entregadas"]
    muestra = ([("en la entrega", f"{miles(entregadas['entrenamiento'])} de entrenamiento (las que deciden la comprobación de "
                 "memorización y otras al azar) y todas las de reserva")]
               if entregadas and entregadas["entrenamiento"] < imagenes["entrenamiento"] else [])
    datos = paginas.tabla(["dato", "valor"], [
        ("imágenes", f"{miles(imagenes['entrenamiento'])} de entrenamiento y {imagenes['reserva']} de reserva"),
        *muestra,
        ("tamaño", f"{imagenes['tamano']} px, {imagenes['canales']} canales"),
        ("épocas", manifiesto["epocas"]),
        ("minutos de entrenamiento", cifra(manifiesto["minutos"], 1)),
        ("reanudaciones", manifiesto["reanudaciones"]),
        ("dispositivo", manifiesto["dispositivo"]),
        ("versión del kit", manifiesto["version_kit"]),
        ("semilla", manifiesto["semillas"]["entrenamiento"]),
    ])
    medidas = paginas.tabla(["generador", "qué es", "SWD ×10³", "KID"], [
        (archivo + (" (el entregado)" if archivo == manifiesto["generador_elegido"] else ""),
         MEDIDOS.get(archivo, ""), cifra(medida["swd"], 1), cifra(medida["kid"], 3))
        for archivo, medida in manifiesto["medidas"].items()
    ])
    cociente, diversidad = memorizacion["cociente"], memorizacion["diversidad"]
    figuras = [f"<h2>Muestras del generador entregado (semilla {SEMILLA_CUADRICULA})</h2>",
               # A su tamaño: reducida (con image-rendering: pixelated) perdía filas de píxeles.
               paginas.imagen(paginas.uri(archivos["muestras.png"], "image/png"), "cuadrícula de muestras")]
    if "evolucion.gif" in archivos:
        figuras += ["<h2>Evolución</h2>", paginas.imagen(paginas.uri(archivos["evolucion.gif"], "image/gif"), "evolución")]
    for nombre, titulo in (("perdidas.png", "Pérdidas"), ("metrica.png", "SWD frente a la reserva")):
        if nombre in archivos:
            # A su tamaño: reducidas (y con image-rendering: pixelated) sus rótulos no se leían.
            figuras += [f"<h2>{titulo}</h2>", paginas.imagen(paginas.uri(archivos[nombre], "image/png"), titulo)]
    texto = "<p><em>Sin reflexión.</em></p>" if reflexion is None else paginas.markdown_a_html(reflexion)
    avisos = "".join(f"<p><strong>Aviso:</strong> {paginas.escapar(aviso)}.</p>" for aviso in manifiesto.get("avisos", ()))
    cuerpo = (
        f"<p>Entrega de <strong>{paginas.escapar(manifiesto['alumno'])}</strong>, el "
        f"<time datetime=\"{paginas.escapar(manifiesto['fecha'])}\">{paginas.fecha_legible(manifiesto['fecha'])}</time>.</p>"
        + avisos +
        f"<h2>Entrenamiento</h2>{datos}"
        f"<h2>Medidas frente a la reserva (menor es mejor)</h2>{medidas}"
        f"<h2>¿Memoriza?</h2><p>Cociente de memorización: <strong>{cifra(cociente)}</strong>; "
        f"diversidad de las muestras: <strong>{cifra(diversidad) or 'sin medir'}</strong> (≈ 1 en fotos reales). "
        f"Lectura: {lectura_memorizacion(memorizacion)}. "
        + ("Los pares de muestras y fotos de entrenamiento no se dibujan: la entrega va sin tus imágenes.</p>"
           if vecinos is None else "Abajo, las 8 muestras más cercanas al entrenamiento, cada una sobre su imagen "
           "de entrenamiento más parecida.</p>"
           + paginas.imagen(paginas.uri(vecinos, "image/png"), "muestras y sus vecinas del entrenamiento"))
        + "".join(figuras)
        + f'<h2>Reflexión</h2><div class="reflexion">{texto}</div>'
    )
    return paginas.pagina(f"Entrega: {manifiesto['alumno']}", cuerpo)
