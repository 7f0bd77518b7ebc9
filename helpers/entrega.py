"""La entrega de la tarea: ``python -m helpers entregar`` (y el cuaderno 06) empaqueta en un .zip lo
que evalúa la rúbrica, con un manifiesto y un informe de una página.

Dentro del zip, todo en la raíz:

- ``generador.keras``: el generador elegido (el final o el recomendado por ``entrenar_carpeta``);
- ``muestras.png``: su cuadrícula de 64 muestras con la semilla de ``MuestrasFijas`` (1234);
- ``evolucion.gif`` (reducido), ``perdidas.png``, ``metrica.png``, ``historial.csv``, ``metrica.csv``;
- ``imagenes.npz``: las imágenes de reserva y de entrenamiento a la resolución del entrenamiento (uint8), para
  que quien revise vuelva a medir; de entrenamiento, todas si no pasan de ``MAX_ENTRENAMIENTO`` y, si pasan, las
  que deciden la comprobación de memorización y otras al azar hasta ``MAX_ENTRENAMIENTO`` (ver
  ``imagenes_que_deciden``; el manifiesto dice cuántas van, y ``indices`` en el npz, en qué posiciones);
  ``sin_imagenes=True`` las deja fuera;
- ``reflexion.md`` (si la das) e ``informe.html``: medidas, comprobación de memorización (con los pares de
  muestras y fotos de entrenamiento, salvo sin imágenes) y reflexión (con su formato Markdown: títulos,
  negritas, listas…);
- ``manifiesto.json``: versión del kit, receta, imágenes, épocas, minutos, dispositivo, semillas,
  medidas, avisos (p. ej. un GIF dañado que se quedó fuera) y la huella SHA-256 de cada archivo.

Este módulo mide los generadores, dibuja las figuras y escribe el zip (``entregar``). Lo demás de la entrega tiene su
propio módulo, que no importa este: lo que comparte con la revisión (el formato del manifiesto, las muestras fijas, qué
imágenes van y la memorización), en ``formato_entrega``; lo que se comprueba antes de empaquetar, en
``comprobacion_entrega``; el nombre y la reflexión del estudiante, en ``nombre_y_reflexion``, y la página del informe,
en ``pagina_entrega``. Lo que era público aquí se importa de ellos, así que ``helpers.entrega.<nombre>`` sigue
sirviendo (el cuaderno 06 usa ``REFLEXION_DE_EJEMPLO``).
"""

import contextlib
import datetime
import io
import json
import os
import re
import tempfile
import time
import zipfile
from importlib import metadata
from pathlib import Path

import numpy as np

from .archivos import con_la_ruta_pedida
from .callbacks import SEMILLA_CUADRICULA, duraciones_gif
from .comprobacion_entrega import (CLAVES_IMAGENES, CLAVES_REGISTRO, como_rehacer, comprobar_argumentos,
                                   comprobar_generador, leer_imagenes_de, leer_registro_comprobado, npz_danado)
from .datos import a_rango_simetrico
from .entorno import carpeta_resultados
from .formato_entrega import (FORMATO, GENERADORES, MAX_ENTRENAMIENTO, MEDIDOS, MUESTRAS_CUADRICULA,
                              MUESTRAS_MEMORIZACION, VECINAS_MEMORIZACION, entrenamiento_entregado, imagenes_medibles,
                              imagenes_que_deciden, medir_memorizacion, muestras_fijas, posiciones_coherentes, sha256)
from .generador_guardado import cargar_generador, medir_generador, mismo_generador
from .graficos import guardar_cuadricula
from .imagenes_guardadas import bloques_guardados
from .memorizacion import mostrar_vecinos
from .nombre_y_reflexion import (DOCUMENTOS, MAX_REFLEXION, NOMBRE_DE_EJEMPLO, REFLEXION_DE_EJEMPLO, ZIP_POR_DEFECTO,
                                 avisar_olvidos, leer_reflexion, nombre_de)
from .opciones import exigir_booleano, exigir_ruta
from .pagina_entrega import informe_entrega
from .registro_tarea import ARCHIVO_IMAGENES, MANIFIESTO
from .textos import texto_imprimible

# Lo que se usa como helpers.entrega.<nombre>, aunque viva en los módulos que nombra el docstring.
__all__ = [
    "ADJUNTOS", "CLAVES_IMAGENES", "CLAVES_REGISTRO", "CUADROS_GIF", "DOCUMENTOS", "FORMATO", "GENERADORES", "LADO_GIF",
    "MANIFIESTO", "MAX_ENTRENAMIENTO", "MAX_REFLEXION", "MEDIDOS", "MUESTRAS_CUADRICULA", "MUESTRAS_MEMORIZACION",
    "NOMBRE_DE_EJEMPLO", "REFLEXION_DE_EJEMPLO", "VECINAS_MEMORIZACION", "ZIP_POR_DEFECTO", "entrenamiento_entregado",
    "entregar", "imagenes_medibles", "imagenes_que_deciden", "informe_entrega", "medir_memorizacion", "muestras_fijas",
    "posiciones_coherentes", "sha256",
]

ADJUNTOS = ("perdidas.png", "metrica.png", "historial.csv", "metrica.csv")
LADO_GIF, CUADROS_GIF = 256, 30


def entregar(resultados, salida=None, nombre=None, reflexion=None, sin_imagenes=False,
             generador="generador.keras"):
    """Empaqueta la carpeta ``resultados`` de un entrenamiento en el zip ``salida`` (ver el módulo; por
    defecto, ``resultados/entrega.zip``, bajo la carpeta de resultados del curso).

    - ``nombre``: quién entrega (por defecto, el nombre del zip sin extensión; con el zip por defecto,
      «entrega», avisa); un número, como el de estudiante, vale igual;
    - ``reflexion``: ruta de un texto (Markdown o texto plano, UTF-8) que va al zip y al informe,
      donde se ve con su formato (``paginas.markdown_a_html``);
    - ``sin_imagenes``: no incluye ``imagenes.npz`` (si no puedes compartir tus fotos) ni, en el informe, los
      pares de muestras y fotos de entrenamiento; el informe lleva igualmente las medidas, pero quien revise no
      podrá repetirlas;
    - ``generador``: ``"generador.keras"`` (el final) o ``"mejor_generador.keras"`` (el recomendado:
      ``entrenar_carpeta`` deja ahí el de menor SWD durante el entrenamiento solo si mejora al final en
      SWD y, con margen, en KID; si no, una copia del final; el motivo está en ``tarea.json``).

    Mide los generadores de ``MEDIDOS`` que haya (SWD y KID frente a la reserva, con la semilla del
    entrenamiento) y la memorización del elegido. Nunca sobrescribe: si ``salida`` existe, lanza ``FileExistsError``. Si falta el
    generador (entrenamiento sin terminar) o ``tarea.json`` o ``imagenes.npz`` están dañados, lanza
    ``FileNotFoundError`` o ``ValueError`` diciendo cómo rehacerlos; un ``evolucion.gif`` dañado se
    queda fuera con un aviso (impreso y en ``manifiesto["avisos"]``). Una ruta vacía o que no es una ruta, o un
    ``nombre`` que no es un texto ni un número, es un ``ValueError``. Devuelve ``(ruta_del_zip, manifiesto)``.
    """
    resultados = exigir_ruta("resultados", resultados, "la carpeta de tu entrenamiento (la --salida de «entrenar»)")
    salida = exigir_ruta("salida", carpeta_resultados(ZIP_POR_DEFECTO) if salida is None else salida,
                         "el .zip que se crea (p. ej. entrega.zip)")
    if reflexion is not None:
        reflexion = exigir_ruta("reflexion", reflexion, "el archivo .md o .txt con tu reflexión")
    nombre = nombre_de(nombre)
    exigir_booleano("sin_imagenes", sin_imagenes)
    comprobar_argumentos(resultados, salida, generador)
    try:
        return _empaquetar(resultados, salida, nombre, reflexion, sin_imagenes, generador)
    except KeyboardInterrupt:  # sin la traza de TensorFlow, que no le dice nada a quien paró la orden
        raise KeyboardInterrupt(f"Entrega interrumpida: no se ha creado «{salida}» y tu carpeta de resultados sigue "
                                "igual. Vuelve a lanzar la misma orden (o celda) cuando quieras.") from None


def _empaquetar(resultados, salida, nombre, reflexion, sin_imagenes, generador):
    """El trabajo de ``entregar`` tras comprobar los argumentos: medir, dibujar y escribir el zip."""
    registro = leer_registro_comprobado(resultados)
    comprobar_generador(resultados, registro, generador)
    texto_reflexion = leer_reflexion(reflexion) if reflexion is not None else None
    olvidos = avisar_olvidos(nombre, salida, reflexion, texto_reflexion)
    semilla = registro["semilla"]
    elegido = cargar_generador(resultados / generador)
    formas, reserva_uint8 = leer_imagenes_de(resultados, registro, tuple(elegido.output_shape[1:]), generador)
    reserva = a_rango_simetrico(reserva_uint8, 255)
    medidas, avisos = _medir_generadores(resultados, reserva, semilla, generador)
    avisos = list(olvidos) + avisos
    # Con las de entrenamiento que van en la entrega, que incluyen las que deciden la medida: quien revise la repite
    # con lo mismo, y sale lo que saldría con todas.
    total = formas["entrenamiento"][0]
    try:
        indices, entregadas = imagenes_que_deciden(muestras_fijas(elegido, semilla, MUESTRAS_MEMORIZACION), reserva,
                                                   bloques_guardados(resultados / ARCHIVO_IMAGENES), total,
                                                   entrenamiento_entregado(total), semilla)
    except ValueError as error:
        raise npz_danado(resultados, registro, error) from None
    entrenamiento = a_rango_simetrico(entregadas, 255)
    muestras, memorizacion = medir_memorizacion(elegido, entrenamiento, reserva, semilla)

    archivos = {"generador.keras": (resultados / generador).read_bytes()}
    with tempfile.TemporaryDirectory() as temporal:
        temporal = Path(temporal)
        archivos["muestras.png"] = guardar_cuadricula(muestras_fijas(elegido), temporal / "muestras.png").read_bytes()
        vecinos = None  # los pares llevan tus fotos de entrenamiento: sin imágenes, tampoco van en el informe
        if not sin_imagenes:
            mostrar_vecinos(muestras, entrenamiento, n=8, ruta=temporal / "vecinos.png")
            vecinos = (temporal / "vecinos.png").read_bytes()
    if (resultados / "evolucion.gif").is_file():
        gif = _gif_reducido(resultados / "evolucion.gif")
        if gif is None:
            avisos.append("evolucion.gif estaba dañado y no va en la entrega")
            print(f"Aviso: «{resultados / 'evolucion.gif'}» está dañado y la entrega va sin él. Si quieres "
                  f"incluirlo, {como_rehacer(resultados, registro, 'evolucion.gif')}.")
        else:
            archivos["evolucion.gif"] = gif
    archivos |= {nombre_: (resultados / nombre_).read_bytes() for nombre_ in ADJUNTOS if (resultados / nombre_).is_file()}
    if not sin_imagenes and len(entregadas) == total:
        archivos[ARCHIVO_IMAGENES] = (resultados / ARCHIVO_IMAGENES).read_bytes()
    elif not sin_imagenes:
        npz = io.BytesIO()
        # Con sus posiciones: quien revise comprueba con ellas el total declarado (``posiciones_coherentes``).
        np.savez_compressed(npz, entrenamiento=entregadas, reserva=reserva_uint8, indices=indices)
        archivos[ARCHIVO_IMAGENES] = npz.getvalue()
    if texto_reflexion is not None:
        archivos["reflexion.md"] = texto_reflexion.encode("utf-8")

    manifiesto = {
        "formato": FORMATO,
        "alumno": texto_imprimible(nombre or salida.stem),
        "fecha": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "version_kit": registro["version_kit"],
        "version_kit_entrega": metadata.version("curso-gan"),
        "receta": registro["receta"],
        "imagenes": registro["imagenes"],
        "epocas": registro["epocas"],
        "minutos": registro["minutos"],
        "reanudaciones": registro.get("reanudaciones", 0),
        "dispositivo": registro["dispositivo"],
        "semillas": {"entrenamiento": semilla, "medidas": semilla, "cuadricula": SEMILLA_CUADRICULA,
                     "muestras_cuadricula": MUESTRAS_CUADRICULA},
        "generador_elegido": generador,
        "medidas": medidas,
        "memorizacion": memorizacion,
        "con_imagenes": not sin_imagenes,
        "imagenes_entregadas": None if sin_imagenes else {"entrenamiento": len(entregadas), "reserva": len(reserva)},
        "avisos": avisos,
    }
    archivos["informe.html"] = informe_entrega(manifiesto, archivos, vecinos, texto_reflexion).encode("utf-8")
    manifiesto["archivos"] = {nombre_: sha256(contenido) for nombre_, contenido in archivos.items()}
    archivos[MANIFIESTO] = json.dumps(manifiesto, ensure_ascii=False, indent=1).encode("utf-8")
    _escribir_zip(salida, archivos)
    return salida, manifiesto


def _medir_generadores(resultados, reserva, semilla, elegido):
    """``(medidas, avisos)``: SWD y KID frente a la reserva de cada generador de ``MEDIDOS`` que haya en
    ``resultados``. El recomendado es una copia de uno de los otros dos, y los dos candidatos son a menudo el
    mismo generador (si la SWD fue mínima en la última época): la medida de uno con los mismos pesos que otro
    ya medido se reutiliza, no se repite. Uno dañado que no es el ``elegido`` se queda sin medir, con un
    aviso, y no para la entrega."""
    medidas, avisos, redes = {}, [], {}  # redes: archivo → la red ya medida
    for archivo in MEDIDOS:
        ruta = resultados / archivo
        if not ruta.is_file():
            continue
        try:
            red = cargar_generador(ruta)
            if tuple(red.output_shape[1:]) != reserva.shape[1:]:  # copiado de otra carpeta (otro tamaño)
                forma = "×".join(map(str, red.output_shape[1:]))
                avisos.append(f"{archivo} dibuja imágenes de {forma}, no las de este entrenamiento, y no se midió")
                print(f"Aviso: «{ruta}» dibuja imágenes de {forma} y las de este entrenamiento son de "
                      f"{'×'.join(map(str, reserva.shape[1:]))}: no es de esta carpeta. Lo entrego sin su medida.")
                continue
            original = next((otro for otro, suya in redes.items() if mismo_generador(red, suya)), None)
            medidas[archivo] = medidas[original] if original else medir_generador(red, reserva, semilla)
            redes[archivo] = red
        except ValueError as error:
            if archivo == elegido:
                raise
            avisos.append(f"{archivo} está dañado y no se midió")
            print(f"Aviso: {error} Lo entrego sin su medida.")
    return medidas, avisos


def _gif_reducido(ruta):
    """El GIF de la evolución con como mucho ``CUADROS_GIF`` cuadros de ``LADO_GIF`` px de ancho;
    ``None`` si está dañado (es opcional: la entrega sigue sin él)."""
    from PIL import Image, ImageSequence

    try:
        with Image.open(ruta) as gif:
            cuadros = [cuadro.convert("RGB") for cuadro in ImageSequence.Iterator(gif)]
    except (OSError, EOFError, SyntaxError, ValueError, Image.DecompressionBombError):  # cortado, dañado o no es GIF
        return None
    elegidos = [cuadros[i] for i in np.unique(np.linspace(0, len(cuadros) - 1, CUADROS_GIF).round().astype(int))]
    escala = min(1.0, LADO_GIF / elegidos[0].width)
    lado = (max(1, round(elegidos[0].width * escala)), max(1, round(elegidos[0].height * escala)))
    reducidos = [cuadro.resize(lado, Image.NEAREST).convert("P") for cuadro in elegidos]
    buffer = io.BytesIO()
    reducidos[0].save(buffer, format="GIF", save_all=True, append_images=reducidos[1:], duration=duraciones_gif(len(reducidos)),
                      loop=0)
    return buffer.getvalue()


def _escribir_zip(salida, archivos):
    """Escribe el zip en un temporal de este proceso y le da el nombre ``salida`` solo si sigue libre: nunca
    queda un zip a medias, y dos entregas a la vez con la misma salida no se sobrescriben (la segunda lo dice)."""
    salida.parent.mkdir(parents=True, exist_ok=True)
    _borrar_temporales_abandonados(salida)
    temporal = salida.with_name(f".{salida.stem}.{os.getpid()}.tmp.zip")
    try:
        with con_la_ruta_pedida(temporal, salida):
            with zipfile.ZipFile(temporal, "w", zipfile.ZIP_DEFLATED) as archivo_zip:
                for nombre, contenido in archivos.items():
                    archivo_zip.writestr(nombre, contenido)
            ocupada = FileExistsError(f"«{salida}» apareció mientras preparaba la entrega (¿otra entrega a la vez con la "
                                      "misma salida?) y no lo sobrescribo: elige otra salida y vuelve a entregar.")
            try:
                os.link(temporal, salida)  # un enlace nuevo falla si el nombre ya existe: sin carreras
            except FileExistsError:
                raise ocupada from None
            except OSError:  # un sistema de archivos sin enlaces (p. ej. una memoria USB en FAT)
                if salida.exists():
                    raise ocupada from None
                os.replace(temporal, salida)
    finally:
        with contextlib.suppress(OSError):  # en un disco de solo lectura, borrar también falla: cuenta el primer error
            temporal.unlink(missing_ok=True)


def _borrar_temporales_abandonados(salida, horas=1):
    """Borra los temporales que dejaron entregas cortadas a la misma ``salida`` (un proceso matado no borra
    el suyo, ``.NOMBRE.PID.tmp.zip``): solo los de hace más de ``horas``, porque una entrega tarda minutos
    y uno más nuevo puede ser de otra que aún se está escribiendo."""
    limite, suyo = time.time() - horas * 3600, re.compile(rf"\.{re.escape(salida.stem)}\.\d+\.tmp\.zip")
    for temporal in salida.parent.glob(".*.tmp.zip"):
        with contextlib.suppress(OSError):  # otro proceso pudo borrarlo ya
            if suyo.fullmatch(temporal.name) and temporal.stat().st_mtime < limite:
                temporal.unlink()
