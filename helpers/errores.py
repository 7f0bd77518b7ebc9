"""Los errores explicados en español: los del sistema operativo, los de una descarga y los de Keras.

``explicar_error_del_sistema`` dice qué pasó con un ``OSError`` («[Errno 28] No space left on device») y con qué
archivo, y ``explicar_y_aconsejar`` añade qué hacer (``consejo_del_sistema``: liberar espacio si falta, lo que dice
``falta_espacio``; si no, corregir la ruta). ``motivo_descarga`` dice por qué falló una descarga; ``buscada_en``, por
qué no está una ruta que no se encuentra; ``primera_linea``, la línea que importa de un error de Keras o TensorFlow, y
``tipos_mezclados``, qué tipos de número mezcló una operación de TensorFlow que los rechazó, y ``mezcla_de_tipos``,
por qué la rechazó (cada ejercicio añade su consejo).
No dependen de ningún otro módulo del kit: los usa cualquiera que escribe, descarga o busca archivos.
"""

import errno
import os
import re
from pathlib import Path


def primera_linea(error):
    """La primera línea del mensaje de ``error`` (como mucho 300 caracteres): los de Keras y TensorFlow
    pueden ocupar veinte, en inglés, y al estudiante le basta la primera junto a la pista en español.
    Si es un error de autograph («in user code:», el código citado y el error), la del error; si Keras empieza con
    «Exception encountered when calling …», la que sigue, que dice qué pasó; sin los colores de Keras ni el nombre
    interno de la operación de TensorFlow («{{function_node …}}», «[Op:Sub]»)."""
    texto = re.sub(r"\x1b\[[0-9;]*m|\{\{function_node [^}]*\}\}\s*", "", str(error))
    lineas = [linea.strip() for linea in texto.splitlines() if linea.strip()] or ["-"]
    if lineas[0] == "in user code:":  # tras el código citado, «ValueError: …»: sin el tipo, que ya se dice al lado
        i = next((i for i, linea in enumerate(lineas) if re.match(r"[\w.]+(Error|Exception): ", linea)), len(lineas) - 1)
        lineas = [lineas[i].partition(": ")[2] or lineas[i], *lineas[i + 1:]]
    if lineas[0].startswith("Exception encountered when calling") and len(lineas) > 1:
        lineas = lineas[1:]
    return re.sub(r"\s*\[Op:\w+\]( name:.*)?$", "", lineas[0])[:300]


# Cómo dice TensorFlow que una operación recibió tensores de tipos distintos: paso a paso, al compilar un grafo, al
# dividir y al convertir. Los tipos van con el nombre de Python (float16) o con el de C (half).
_TIPOS_MEZCLADOS = (r"expected to be an? (\w+) tensor but is an? (\w+) tensor",
                    r"has type (\w+) that does not match type (\w+)",
                    r"must have the same dtype, got tf\.(\w+) != tf\.(\w+)",
                    r"requested dtype (\w+) for Tensor with dtype (\w+)",
                    r"have types \[(\w+), (\w+)")
_TIPOS_DE_C = {"half": "float16", "float": "float32", "double": "float64"}


def tipos_mezclados(error):
    """Los dos tipos (``("float32", "float16")``) si ``error`` es el de TensorFlow al operar con tensores de tipos
    distintos, que no convierte por su cuenta; si no, ``()``."""
    for patron in _TIPOS_MEZCLADOS:
        if encontrados := re.search(patron, str(error)):
            return tuple(_TIPOS_DE_C.get(tipo, tipo) for tipo in encontrados.groups())
    return ()


def mezcla_de_tipos(tipo, con):
    """«mezclas un tensor float16 con otro float32, y TensorFlow no convierte de un tipo a otro por su cuenta»: por
    qué falló una operación de ``tipos_mezclados``, sin el consejo, que depende del ejercicio; ``con`` nombra el otro
    tensor como lo conoce el estudiante («otro float32», «los mapas»)."""
    return f"mezclas un tensor {tipo} con {con}, y TensorFlow no convierte de un tipo a otro por su cuenta"


# Cómo dicen los sistemas y las bibliotecas que no hay red (o que el servidor no contesta).
_SIN_RED = ("Name or service not known", "Temporary failure in name resolution", "Network is unreachable",
            "nodename nor servname", "getaddrinfo failed", "Connection refused", "timed out")


def motivo_descarga(error):
    """Por qué falló una descarga, para un mensaje en español: «sin conexión…» en el caso normal; si
    no, el código HTTP o, como último recurso, la primera línea del error original."""
    codigo = getattr(error, "code", None)
    if isinstance(codigo, int):
        return f"el servidor respondió con el código HTTP {codigo}"
    if any(texto in str(error) for texto in _SIN_RED) or isinstance(error, TimeoutError):
        return "sin conexión a internet, o el servidor no responde"
    return f"el error fue «{primera_linea(error)}»"


def buscada_en(ruta):
    """Para los mensajes de «no encuentro»: por qué no está una ruta que no puede estar aquí (una de Windows fuera
    de Windows, una con un tabulador o un salto de línea que dejó una «\\» de Windows, una de Google Drive sin
    montarlo) o, si no, dónde se buscó una ruta relativa (se cuenta desde la carpeta de trabajo, que en un
    cuaderno es la suya); nada si es absoluta."""
    texto = str(ruta)
    if os.name != "nt" and re.match(r"[A-Za-z]:[\\/]|\\\\", texto):
        return (" (es una ruta de Windows y aquí el sistema es otro: en Colab, sube tus archivos o ponlos en Google "
                "Drive; en WSL, el disco C: está en /mnt/c)")
    if any(caracter in texto for caracter in "\t\n\r\a\b\f\v"):
        return (" (tiene un tabulador o un salto de línea: en Python, «\\t» o «\\n» dentro de comillas no es una barra y "
                "una letra; escribe la ruta con «/» en lugar de «\\», o como r\"C:\\…\")")
    if texto.startswith("/content/drive") and not os.path.ismount("/content/drive"):
        return (" (Google Drive no está montado: ejecuta «from google.colab import drive; drive.mount(\"/content/drive\")» "
                "y vuelve a intentarlo; en el cuaderno 06, pon USAR_DRIVE = True)")
    return "" if Path(ruta).is_absolute() else f" (la busqué en {Path(ruta).resolve()})"


# El sistema operativo explica sus errores en inglés («[Errno 17] File exists»); estos, en español.
MOTIVOS_DEL_SISTEMA = {
    errno.ENOENT: "no existe (o no existe la carpeta que debería contenerlo)",
    errno.EEXIST: "ya hay un archivo con ese nombre donde hace falta una carpeta",
    errno.ENOTDIR: "una parte de la ruta es un archivo, no una carpeta",
    errno.EISDIR: "es una carpeta y hace falta un archivo",
    errno.EACCES: "no tienes permiso para usarlo",
    errno.EPERM: "no tienes permiso para usarlo",
    errno.EROFS: "está en un disco de solo lectura",
    errno.ENOSPC: "no queda espacio en el disco",
    errno.ENAMETOOLONG: "el nombre es demasiado largo",
}
if hasattr(errno, "EDQUOT"):  # por si un sistema no lo define
    MOTIVOS_DEL_SISTEMA[errno.EDQUOT] = "se acabó el espacio de tu cuota (p. ej. la de Google Drive)"


def falta_espacio(error):
    """Si ``error`` es del sistema operativo por falta de espacio (el disco lleno o la cuota agotada)."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


def consejo_del_sistema(error, otra_carpeta=True):
    """Qué hacer ante un error del sistema operativo: liberar espacio si falta; si no, corregir la ruta. Sin
    ``otra_carpeta``, no propone cambiar de carpeta (p. ej. para continuar un entrenamiento en la misma)."""
    if falta_espacio(error):
        return "libera espacio (en Google Drive, vacía también la papelera)" + (
            " o elige una carpeta de otro disco" if otra_carpeta else "")
    return "corrige la ruta o elige otra carpeta"


def explicar_error_del_sistema(error):
    """«no se pudo escribir «ruta»: no queda espacio en el disco»: un error del sistema operativo (un ``OSError``
    con ``errno``) en español y con el archivo que fallaba; ``None`` si ``error`` no es de esos."""
    if not isinstance(error, OSError) or error.errno is None:
        return None
    motivo = MOTIVOS_DEL_SISTEMA.get(error.errno, f"el sistema dice «{error.strerror}»")
    archivo = f"«{error.filename}»" if error.filename is not None else "un archivo"
    return f"no se pudo {'escribir' if falta_espacio(error) else 'usar'} {archivo}: {motivo}"


def explicar_y_aconsejar(error, y_luego):
    """«no se pudo escribir «ruta»: no queda espacio en el disco. Libera espacio (…) y ``y_luego``.»: la
    explicación y el consejo de un error del sistema operativo en una frase; ``None`` si no es de esos."""
    explicacion = explicar_error_del_sistema(error)
    if explicacion is None:
        return None
    consejo = consejo_del_sistema(error)
    return f"{explicacion}. {consejo[0].upper()}{consejo[1:]} y {y_luego}."
