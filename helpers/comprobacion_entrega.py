"""Lo que se comprueba antes de empaquetar una entrega, con lo que hay que hacer si falla: cada error dice
qué orden vuelve a escribir lo que falta o está dañado, sin entrenar más.

- ``comprobar_argumentos``: el generador pedido, la carpeta del entrenamiento (con ``tarea.json`` e
  ``imagenes.npz``) y el .zip de salida, que no debe existir (nunca se sobrescribe);
- ``leer_registro_comprobado``: ``tarea.json``, con lo que lee la entrega (``CLAVES_REGISTRO`` y
  ``CLAVES_IMAGENES``) y de su tipo;
- ``comprobar_generador``: que esté el generador elegido y que el entrenamiento terminara;
- ``leer_imagenes_de``: las formas de ``imagenes.npz`` y su reserva, que deben ser las del generador;
  ``npz_danado``, el error si está dañado;
- ``como_rehacer``: cómo vuelve a escribir ``entrenar`` un archivo dañado (con ``reanudacion.orden_continuar``).

Solo lee. El nombre y la reflexión del estudiante se comprueban en ``nombre_y_reflexion``; lo que se mide y se
escribe en el zip está en ``entrega``, que es quien usa este módulo.
"""

from .archivos import nombre_apartado
from .formato_entrega import GENERADORES, imagenes_medibles
from .imagenes_guardadas import formas_guardadas, leer_imagenes_guardadas
from .opciones import es_entero
from .reanudacion import orden_continuar
from .registro_tarea import ARCHIVO_IMAGENES, ARCHIVO_REGISTRO, leer_registro

# Lo que la entrega lee de ``tarea.json`` y de qué tipo es.
CLAVES_REGISTRO = {"version_kit": str, "receta": dict, "imagenes": dict, "epocas": int, "minutos": (int, float),
                   "dispositivo": str, "semilla": int}
CLAVES_IMAGENES = ("entrenamiento", "reserva", "tamano", "canales")


def comprobar_argumentos(resultados, salida, generador):
    if generador not in GENERADORES:
        raise ValueError(f"generador={generador!r} no es válido: usa {' o '.join(GENERADORES)}.")
    if resultados.is_file():  # p. ej. resultados/mi_gan/generador.keras: «no tiene tarea.json» no diría qué falla
        raise ValueError(f"«{resultados}» es un archivo: entrega la carpeta de tu entrenamiento (la --salida de "
                         f"«entrenar»){f', «{resultados.parent}»' if (resultados.parent / ARCHIVO_REGISTRO).is_file() else ''}.")
    faltan = [nombre for nombre in (ARCHIVO_REGISTRO, ARCHIVO_IMAGENES) if not (resultados / nombre).is_file()]
    if faltan:
        raise FileNotFoundError(
            f"«{resultados}» no tiene {' ni '.join(faltan)}: entrega la carpeta de salida de "
            "«python -m helpers entrenar» (o de entrenar_carpeta). Si entrenaste con una versión anterior del "
            "kit, sigue el entrenamiento con --continuar para que se escriban."
        )
    if salida.is_dir():
        raise ValueError(f"«{salida}» es una carpeta: escribe el nombre del .zip que se crea, p. ej. "
                         f"{salida / 'entrega.zip'}.")
    if salida.suffix != ".zip":
        raise ValueError(f"«{salida}» debe terminar en .zip (p. ej. entrega.zip).")
    if salida.exists():
        raise FileExistsError(f"«{salida}» ya existe y no lo sobrescribo: bórralo tú o elige otro nombre.")


def leer_registro_comprobado(resultados):
    """``tarea.json`` de ``resultados``, comprobado; si está dañado, ``ValueError`` que dice cómo rehacerlo."""
    ruta = resultados / ARCHIVO_REGISTRO
    try:
        registro = leer_registro(resultados)
    except ValueError:
        registro = None
    if registro is None:
        problema = "no es el registro JSON que escribe el kit"
    else:
        imagenes = registro.get("imagenes") if isinstance(registro.get("imagenes"), dict) else {}
        malas = [clave for clave, tipo in CLAVES_REGISTRO.items()
                 if not isinstance(registro.get(clave), tipo) or isinstance(registro.get(clave), bool)]
        malas += [f"imagenes.{clave}" for clave in CLAVES_IMAGENES
                  if not es_entero(imagenes.get(clave))]
        problema = f"le falta o tiene mal {', '.join(malas[:3])}{' y más' if len(malas) > 3 else ''}" if malas else None
    if problema:
        # Renombrarlo (no borrarlo) para no perder nada; ``entrenar`` escribe uno nuevo si no lo encuentra.
        raise ValueError(
            f"«{ruta}» está dañado ({problema}). Renómbralo (p. ej. a {nombre_apartado(ruta)}) y repite la orden con "
            f"la que entrenaste añadiendo --continuar (--salida {resultados}): se vuelve a escribir y, si el "
            "entrenamiento ya había terminado, no entrena más. Después, entrega de nuevo."
        )
    return registro


def comprobar_generador(resultados, registro, generador):
    """``FileNotFoundError`` que dice cómo conseguir el generador elegido si no está en ``resultados``, o
    ``ValueError`` si el entrenamiento se cortó sin terminar: sus generadores serían de antes del corte
    y no coincidirían con las épocas, el historial ni las curvas que se entregan."""
    # Sin la clave «terminado» (versiones anteriores del kit), se da por terminado.
    if registro.get("terminado") is False and (resultados / GENERADORES[0]).is_file():
        raise ValueError(
            f"El entrenamiento de «{resultados}» se cortó sin terminar: sus generadores son de antes del corte. "
            "Termínalo repitiendo la orden con la que entrenaste y añadiendo --continuar; para entregar lo que ya "
            f"tiene sin entrenar más, con sus {registro['epocas']} épocas: «{_orden_entrenar(resultados, registro, max(1, registro['epocas']))}» "
            "(escribe el generador final y la recomendación). Después, entrega de nuevo."
        )
    if (resultados / generador).is_file():
        return
    if (resultados / GENERADORES[0]).is_file():  # falta solo el recomendado
        raise FileNotFoundError(
            f"«{resultados}» no tiene {generador} (se escribe al terminar un entrenamiento que mide la SWD): "
            f"entrega el final, {GENERADORES[0]} (--generador {GENERADORES[0]})."
        )
    sin_entrenar_mas = (f" Para entregar lo que ya tienes sin entrenar más, usa --epocas {registro['epocas']} "
                        "en lugar de las que pediste." if registro["epocas"] >= 1 else "")
    raise FileNotFoundError(
        f"«{resultados}» no tiene {GENERADORES[0]}: el entrenamiento no terminó. Termínalo repitiendo la orden con "
        f"la que entrenaste y añadiendo --continuar (p. ej. «{_orden_entrenar(resultados, registro)}»).{sin_entrenar_mas} "
        "Después, entrega de nuevo."
    )


def leer_imagenes_de(resultados, registro, forma, generador):
    """``(formas, reserva)``: las formas de ``resultados/imagenes.npz`` (sin leer las de entrenamiento) y su reserva
    uint8, que deben tener la ``forma`` del ``generador`` (su nombre): si no la tienen pero sí la de ``tarea.json``,
    el que no es de aquí es el generador."""
    ruta = resultados / ARCHIVO_IMAGENES
    try:
        formas = formas_guardadas(ruta)
    except ValueError as error:
        raise npz_danado(resultados, registro, error) from None
    imagenes = registro["imagenes"]
    de_la_tarea = (imagenes["tamano"], imagenes["tamano"], imagenes["canales"])
    if forma != de_la_tarea and imagenes_medibles(formas, de_la_tarea):
        raise ValueError(
            f"«{resultados / generador}» no es el generador de este entrenamiento: dibuja imágenes de "
            f"{'×'.join(map(str, forma))} y las de «{resultados}» son de {'×'.join(map(str, de_la_tarea))} "
            f"(¿lo copiaste de otra carpeta?). Entrega cada generador desde la carpeta en que se entrenó; para tener "
            f"aquí el de esta, {como_rehacer(resultados, registro, resultados / generador)}."
        )
    if not imagenes_medibles(formas, forma):
        raise ValueError(
            f"«{ruta}» no tiene las imágenes de este entrenamiento (el generador dibuja imágenes de "
            f"{'×'.join(map(str, forma))}; ellas son de {'×'.join(map(str, formas['entrenamiento'][1:]))}, "
            f"{formas['reserva'][0]} de reserva): {como_rehacer(resultados, registro, ruta)}."
        )
    try:
        return formas, leer_imagenes_guardadas(ruta, "reserva")
    except ValueError as error:
        raise npz_danado(resultados, registro, error) from None


def npz_danado(resultados, registro, error):
    ruta = resultados / ARCHIVO_IMAGENES
    return ValueError(f"«{ruta}» está dañado o incompleto ({error}): {como_rehacer(resultados, registro, ruta)}.")


def como_rehacer(resultados, registro, archivo):
    """Cómo vuelve a escribir ``entrenar`` el ``archivo`` dañado sin entrenar más: con ``--continuar`` y
    las épocas hechas. Primero se aparta (renombrado, no borrado): ``--continuar`` se niega a seguir con él."""
    return (f"renómbralo (p. ej. a {nombre_apartado(archivo)}) y vuelve a escribirlo con «{_orden_entrenar(resultados, registro, max(1, registro['epocas']))}» "
            "(con esas épocas, las ya hechas, no entrena más); después, entrega de nuevo")


def _orden_entrenar(resultados, registro, epocas=None):
    """La orden ``entrenar … --continuar`` de este entrenamiento, con la semilla de ``tarea.json`` y, salvo
    otras ``epocas``, las épocas y el lote de la última orden (``pedido``; sin él, registros de versiones
    anteriores, el lote usado), como la que dio ``entrenar`` al cortarse (sin su ``--minutos``, que es de
    cada sesión, ni ``--una-gpu``)."""
    pedido = registro.get("pedido") if isinstance(registro.get("pedido"), dict) else {}
    epocas = epocas or (pedido["epocas"] if es_entero(pedido.get("epocas"), 1) else None)
    lote = pedido["lote"] if es_entero(pedido.get("lote"), 2) else registro["receta"].get("lote", 32)
    return orden_continuar("TUS_IMAGENES", resultados, registro["imagenes"]["tamano"], epocas,
                           semilla=registro["semilla"], lote=lote)
