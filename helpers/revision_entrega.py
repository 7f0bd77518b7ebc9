"""Una entrega de la clase, revisada sin fiarse de ella: ``revisar_entrega`` da su fila del informe.

Lee el .zip con ``lectura_entrega`` (límites de tamaño, sin rutas peligrosas) y carga el generador con
``generador_ajeno`` (solo capas de Keras y del kit, nunca ``Lambda``). Después coteja lo que declara el manifiesto,
que no va firmado (``declarado_entrega``), con lo que hay en el zip y con lo que se vuelve a medir: aquí, la
cuadrícula, que se regenera (``UMBRAL_CUADRICULA``), y en ``medida_entrega``, las épocas de ``historial.csv``,
las imágenes, SWD, KID y memorización, con las mismas muestras, imágenes y cuentas que ``entrega`` (las de
``formato_entrega``). Lo que no se puede revisar lanza ``EntregaIlegible``, con el motivo y qué hacer. Lo usa
``revision``, que revisa la clase entera.

Lo que era público aquí y ahora vive en esos módulos se importa de ellos, así que ``helpers.revision_entrega.<nombre>``
sigue sirviendo.
"""

from pathlib import Path

import numpy as np
from PIL import Image

from . import paginas
from .declarado_entrega import CREIBLE, NOMBRES, cifra_declarada, imagenes_declaradas, texto_declarado
from .formato_entrega import muestras_fijas, sha256
from .generador_ajeno import (ESPECIALES, MAX_CONFIG, MAX_LADO, MAX_LATENTE, MAX_PARAMETROS, PROHIBIDAS,
                              cargar_generador_ajeno, objetos_no_permitidos)
from .graficos import ampliar, guardar_cuadricula
from .lectura_entrega import (DESCARGAR, MAX_DESCOMPRIMIDO, MAX_HISTORIAL, MAX_IMAGENES, MAX_LADO_PNG, MAX_MANIFIESTO,
                              MAX_MIEMBROS, MAX_MODELO, MAX_ZIP, NO_ES_ENTREGA, REENTREGAR, EntregaIlegible,
                              kit_mas_nuevo, leer_manifiesto, leer_png, leer_zip, sin_carpeta_comun)
from .medida_entrega import (MAX_FILAS_HISTORIAL, TOLERANCIA, UMBRAL_MEMORIZACION, cotejar_historial, cotejar_imagenes,
                             miniatura, volver_a_medir)
from .registro_tarea import ARCHIVO_IMAGENES, MANIFIESTO
from .textos import texto_imprimible

# Lo que se usa como helpers.revision_entrega.<nombre>, aunque viva en los módulos que nombra el docstring.
__all__ = [
    "CREIBLE", "DESCARGAR", "ESPECIALES", "EntregaIlegible", "MAX_CONFIG", "MAX_DESCOMPRIMIDO", "MAX_FILAS_HISTORIAL",
    "MAX_HISTORIAL", "MAX_IMAGENES", "MAX_LADO", "MAX_LADO_PNG", "MAX_LATENTE", "MAX_MANIFIESTO", "MAX_MIEMBROS",
    "MAX_MODELO", "MAX_PARAMETROS", "MAX_ZIP", "NOMBRES", "NO_ES_ENTREGA", "PROHIBIDAS", "REENTREGAR", "TOLERANCIA",
    "UMBRAL_CUADRICULA", "UMBRAL_MEMORIZACION", "cargar_generador_ajeno", "leer_zip", "objetos_no_permitidos",
    "revisar_entrega",
]

# Umbral del aviso de la cuadrícula (ver la guía docente, «Entregas y revisión»).
UMBRAL_CUADRICULA = 3.0  # diferencia media (0–255) entre la cuadrícula entregada y la regenerada


def revisar_entrega(ruta, temporal):
    """Fila del informe para la entrega ``ruta`` (ver ``revision_informes.COLUMNAS``), más ``pesos`` y ``miniatura``.

    Lanza ``EntregaIlegible`` si no se puede revisar; los problemas de una entrega legible van en
    ``avisos`` (lista de textos).
    """
    archivos = sin_carpeta_comun(leer_zip(ruta))
    if any(nombre.lower().endswith(".zip") for nombre in archivos):
        raise EntregaIlegible("contiene otros .zip (¿las entregas de toda la clase en uno?)",
                              "descomprímelo en la carpeta de entregas y vuelve a revisar")
    if not archivos:
        raise EntregaIlegible("el .zip está vacío")
    if MANIFIESTO not in archivos:  # p. ej., un zip con las fotos
        raise EntregaIlegible(f"falta {MANIFIESTO}", NO_ES_ENTREGA)
    if "generador.keras" not in archivos:
        otros = [nombre for nombre in archivos if nombre.lower().endswith((".h5", ".hdf5", ".keras"))]
        raise EntregaIlegible("falta generador.keras, el generador que se revisa"
                              + (f" (trae {texto_imprimible(otros[0])}: revisar solo lee el generador.keras que guarda "
                                 "«entregar»)" if otros else ""))
    nuevo = kit_mas_nuevo(archivos[MANIFIESTO])
    try:
        manifiesto = leer_manifiesto(archivos[MANIFIESTO])
        generador = cargar_generador_ajeno(archivos["generador.keras"], temporal)
    except EntregaIlegible as error:  # con un kit más nuevo, lo que no se entiende puede ser solo nuevo
        if nuevo:
            raise EntregaIlegible(f"{error.motivo.rstrip('. ')}; pero está {nuevo}", "") from None
        raise
    fila = {
        "entrega": texto_imprimible(Path(ruta).name), "alumno": texto_declarado(manifiesto.get("alumno")),
        "tamano": f"{generador.output_shape[1]}×{generador.output_shape[2]}×{generador.output_shape[3]}",
        "dispositivo": texto_declarado(manifiesto.get("dispositivo")), "swd": None, "kid": None, "memorizacion": None,
        "diversidad": None,
        "avisos": [], "motivo": "", "pesos": np.concatenate([np.ravel(w) for w in generador.get_weights()]),
    }
    if nuevo:
        fila["avisos"].append(nuevo)
    for clave in ("epocas", "minutos"):
        fila[clave] = cifra_declarada(clave, manifiesto.get(clave), fila)
    declaradas = imagenes_declaradas(manifiesto.get("imagenes"), fila)
    fila["imagenes"] = int(declaradas or 0)
    declarados = manifiesto["archivos"] if isinstance(manifiesto["archivos"], dict) else {}
    cambiados = sorted(n for n, c in archivos.items() if n in declarados and declarados[n] != sha256(c))
    anadidos = sorted(n for n in archivos if n != MANIFIESTO and n not in declarados)
    faltan = sorted(n for n in declarados if n not in archivos)
    for lista, texto in ((cambiados, "archivos que no coinciden con la huella SHA-256 del manifiesto"),
                         (anadidos, "archivos añadidos después de empaquetar (el manifiesto no los lista)"),
                         (faltan, "faltan archivos que el manifiesto declara (se quitaron del zip)")):
        if lista:
            fila["avisos"].append(f"{texto}: {', '.join(lista)}")
    if "historial.csv" in archivos:
        cotejar_historial(fila, archivos["historial.csv"])

    semillas = manifiesto["semillas"]
    regenerada = muestras_fijas(generador, semillas["cuadricula"], semillas["muestras_cuadricula"])
    mosaico = np.asarray(Image.open(guardar_cuadricula(regenerada, Path(temporal) / "regenerada.png", escala=1)).convert("RGB"))
    fila["miniatura"] = miniatura(mosaico)
    # Sin muestras.png se revisa igual (la cuadrícula se regenera), pero su comprobación no se da por buena.
    if "muestras.png" not in archivos:
        fila["avisos"].append("sin muestras.png, la cuadrícula entregada: no se puede comprobar que salga de este "
                              "generador (la miniatura es la regenerada)")
    else:
        entregada = leer_png(archivos["muestras.png"])
        ampliado = _a_la_escala_de(mosaico, entregada)
        if entregada.shape != ampliado.shape or np.abs(entregada.astype(np.int16) - ampliado).mean() > UMBRAL_CUADRICULA:
            fila["avisos"].append("la cuadrícula entregada no sale de este generador con la semilla anotada")
            fila["miniatura_entregada"] = miniatura(entregada)

    if ARCHIVO_IMAGENES not in archivos:
        fila["avisos"].append("sin imágenes de reserva: SWD, KID y memorización no se pueden volver a medir")
    else:
        volver_a_medir(fila, generador, archivos[ARCHIVO_IMAGENES], manifiesto)
        cotejar_imagenes(fila, declaradas, manifiesto, archivos[ARCHIVO_IMAGENES])
    _rubrica(fila, manifiesto)
    reflexion = archivos.get("reflexion.md", b"").decode("utf-8", errors="replace")
    fila["palabras_reflexion"] = paginas.contar_palabras(reflexion)  # la rúbrica pide unas 500
    return fila


def _a_la_escala_de(mosaico, entregada):
    """``mosaico`` (la cuadrícula regenerada, a escala 1) ampliado como ``entregada`` si esta mide un número entero
    de veces lo que él: ``guardar_cuadricula`` repite cada píxel (``graficos.ampliar``), y cuántas veces ha cambiado
    entre versiones del kit (263 px antes y 526 ahora para 32 px). Si no, tal cual."""
    veces = entregada.shape[1] // mosaico.shape[1]
    if veces > 1 and entregada.shape[:2] == (mosaico.shape[0] * veces, mosaico.shape[1] * veces):
        return ampliar(mosaico, veces)
    return mosaico


def _rubrica(fila, manifiesto):
    """Lo medible de la rúbrica de la guía docente: cuántas imágenes, si reanudó, si hay cifras re-medidas.
    La coherencia del tema y la interpretación de los números se valoran a mano."""
    def nivel(n):
        return "excelente" if n >= 300 else "suficiente" if n >= 100 else "insuficiente"

    fila["rubrica_datos"] = nivel(fila["imagenes"] or 0)
    # Sin imagenes.npz no se han podido contar, y con una parte, quizá no bastan: es lo que dice el manifiesto.
    if fila["swd"] is None or nivel(fila.get("imagenes_contadas", fila["imagenes"])) != fila["rubrica_datos"]:
        fila["rubrica_datos"] += " (declarado)"
    reanudaciones = cifra_declarada("reanudaciones", manifiesto.get("reanudaciones"), fila)
    fila["rubrica_reanudable"] = ("excelente" if (reanudaciones or 0) >= 1 else "suficiente") + (
        " (sin declarar)" if reanudaciones is None else " (declarado)")
    fila["rubrica_metricas"] = "re-medidas" if fila["swd"] is not None else "sin imágenes"
