"""Lo que pone el estudiante en su entrega, además de su entrenamiento: su nombre y su reflexión.

- ``nombre_de``: el nombre de quien entrega (un número de estudiante vale igual); sin él, la entrega va a nombre
  del zip;
- ``leer_reflexion``: el texto de la reflexión (Markdown o texto plano en UTF-8, como mucho ``MAX_REFLEXION``
  caracteres), o un error que dice cómo guardarla si es una carpeta, un PDF o un documento de Word
  (``DOCUMENTOS``);
- ``NOMBRE_DE_EJEMPLO``, ``REFLEXION_DE_EJEMPLO`` y ``ZIP_POR_DEFECTO``: lo que el cuaderno 06 y la línea de
  órdenes traen escrito; entregarlo así es casi siempre un olvido, que ``avisar_olvidos`` dice (y ``revisar`` no
  toma esos nombres por el de nadie al buscar dos entregas del mismo alumno).

No lee la carpeta del entrenamiento (eso es ``comprobacion_entrega``). Lo usan ``entrega``, la revisión de la
clase (``revision``) y el cuaderno 06 (``REFLEXION_DE_EJEMPLO``, a través de ``helpers.entrega``).
"""

from pathlib import Path

from .errores import buscada_en
from .opciones import es_entero

# Lo que el cuaderno 06 trae escrito para que lo cambies: entregarlo así es casi siempre un olvido.
NOMBRE_DE_EJEMPLO = "Tu nombre"
ZIP_POR_DEFECTO = Path("entrega.zip")  # bajo la carpeta de resultados del curso
REFLEXION_DE_EJEMPLO = "Aquí va tu reflexión: qué ves en las curvas y en las muestras.\n"
MAX_REFLEXION = 100_000  # caracteres

# Lo que a veces se entrega como reflexión en lugar de un texto, por sus primeros bytes: se leería como texto
# ilegible (o, el RTF, como sus códigos de formato).
DOCUMENTOS = {b"%PDF": "un PDF", b"PK\x03\x04": "un documento de Word o de LibreOffice (o un .zip)",
              b"\xd0\xcf\x11\xe0": "un documento de Word antiguo (.doc)", b"{\\rtf": "un documento RTF"}


def nombre_de(nombre):
    """``nombre`` sin espacios a los lados; ``""`` sin él (en blanco es como sin nombre: el del zip). Un entero (un
    número de estudiante escrito sin comillas) vale como su texto; otra cosa que no sea un texto, ``ValueError``."""
    if es_entero(nombre):
        return str(nombre)
    if nombre is not None and not isinstance(nombre, str):
        raise ValueError(f'nombre={nombre!r} no es válido: escribe tu nombre entre comillas, p. ej. nombre="Ana Pérez".')
    return (nombre or "").strip()


def leer_reflexion(ruta):
    if ruta.is_dir():
        raise ValueError(f"La reflexión «{ruta}» es una carpeta: indica el archivo .md o .txt con tu texto.")
    if not ruta.is_file():
        raise FileNotFoundError(f"No encuentro la reflexión «{ruta}»{buscada_en(ruta)}: escribe tu texto en un archivo "
                                ".md o .txt.")
    contenido = ruta.read_bytes()
    if que := next((que for firma, que in DOCUMENTOS.items() if contenido.startswith(firma)), None):
        raise ValueError(f"«{ruta}» es {que}, no un texto: copia tu reflexión en un archivo .md o .txt (en tu editor, "
                         "Guardar como… texto sin formato, UTF-8).")
    try:
        texto = contenido.decode("utf-8-sig")  # sin la marca BOM que añade el Bloc de notas de Windows
    except UnicodeDecodeError:
        raise ValueError(f"«{ruta}» no está en UTF-8: guárdalo como texto UTF-8 desde tu editor.") from None
    if len(texto) > MAX_REFLEXION:
        raise ValueError(f"La reflexión «{ruta}» tiene {len(texto)} caracteres: como mucho {MAX_REFLEXION} (una página).")
    return texto


def avisar_olvidos(nombre, salida, reflexion, texto_reflexion):
    """Imprime y devuelve (``{aviso: remedio}``) los olvidos de una entrega: va a nombre del de ejemplo o del zip
    por defecto, o su reflexión es la de ejemplo o está vacía. No la detienen: van a ``manifiesto["avisos"]``."""
    olvidos = {}  # aviso: remedio
    if nombre == NOMBRE_DE_EJEMPLO:
        olvidos[f"la entrega va a nombre de «{NOMBRE_DE_EJEMPLO}», el de ejemplo"] = ("pon el tuyo en NOMBRE (en el "
                                                                                     "cuaderno 06) o en --nombre")
    if not nombre and salida.stem == ZIP_POR_DEFECTO.stem:
        olvidos[f"la entrega va a nombre de «{salida.stem}», el nombre del zip por defecto"] = ("pon el tuyo en "
                                                                                               "--nombre (o nombre=)")
    if texto_reflexion is not None and texto_reflexion.strip() == REFLEXION_DE_EJEMPLO.strip():
        olvidos["la reflexión es todavía el texto de ejemplo"] = f"escribe la tuya en «{reflexion}»"
    elif texto_reflexion is not None and not texto_reflexion.strip():
        olvidos["la reflexión está vacía"] = f"escribe la tuya en «{reflexion}» (¿no guardaste el archivo?)"
    for aviso, remedio in olvidos.items():
        print(f"Aviso: {aviso}: {remedio} y vuelve a entregar (desde la terminal, borra antes «{salida}» o usa otra "
              "--salida).")
    return olvidos

