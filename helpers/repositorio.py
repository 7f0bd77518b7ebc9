"""El repositorio del curso en GitHub y los enlaces que se construyen a partir de él.

``REPOSITORIO`` (dueño/nombre) y ``RAMA`` (rama o etiqueta) son el único sitio que nombra la copia
publicada del curso. De ellos salen las insignias de Colab, la celda de preparación de cada cuaderno
(que instala el kit desde esa rama) y los enlaces de los cuadernos a lecciones, imágenes y otros
cuadernos: absolutos, porque un cuaderno abierto en Colab no tiene el repositorio al lado.

Para que todo apunte a otra copia (la de un docente, p. ej.)::

    python -m helpers apuntar TU_USUARIO/curso-gan --rama main

Este módulo no importa nada del paquete: ``.ci/run`` lo ejecuta suelto con ``runpy``.
"""

import json
import re
import subprocess
from pathlib import Path

REPOSITORIO = "curso-gan/curso-gan"
RAMA = "main"

_PATRON_REPOSITORIO = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+")
# Sin «/»: así la rama se distingue de la ruta del archivo en las URL de GitHub y de Colab.
_PATRON_RAMA = re.compile(r"[A-Za-z0-9._-]+")
# Enlace relativo de Markdown: ![texto](ruta) o [texto](ruta); no URL ni anclas (#sección).
_ENLACE_RELATIVO = re.compile(r"(!?)\[([^\]]*)\]\((?![a-z][a-z0-9+.-]*:|#)([^)\s]+)\)")


def validar(repositorio, rama):
    """Comprueba que ``repositorio`` tenga la forma ``dueño/nombre`` y ``rama`` sea un nombre sin «/»."""
    if "tu_usuario" in repositorio.lower():  # la orden del README copiada tal cual: el mensaje de abajo pondría ese ejemplo
        raise ValueError(f"«{repositorio}» es el ejemplo del README: cambia TU_USUARIO por tu usuario (o tu organización) "
                         "de GitHub, p. ej. ana-garcia/curso-gan")
    if not _PATRON_REPOSITORIO.fullmatch(repositorio) or repositorio.endswith(".git"):
        raise ValueError(
            f"«{repositorio}» no es un repositorio de GitHub: escríbelo como dueño/nombre, p. ej. TU_USUARIO/curso-gan "
            "con tu usuario de GitHub"
        )
    if not _PATRON_RAMA.fullmatch(rama) or rama.startswith("."):
        raise ValueError(
            f"«{rama}» no sirve como rama o etiqueta: usa solo letras, cifras, «.», «-» o «_» (sin «/»)"
        )


def url_colab(ruta, repositorio=REPOSITORIO, rama=RAMA):
    """URL que abre en Colab el cuaderno ``ruta`` (p. ej. ``'notebooks/02_dcgan_digitos.ipynb'``)."""
    return f"https://colab.research.google.com/github/{repositorio}/blob/{rama}/{ruta}"


def url_github(ruta, repositorio=REPOSITORIO, rama=RAMA):
    """URL de la página de GitHub del archivo ``ruta`` (una lección, un módulo)."""
    return f"https://github.com/{repositorio}/blob/{rama}/{ruta}"


def url_imagen(ruta, repositorio=REPOSITORIO, rama=RAMA):
    """URL del archivo ``ruta`` tal cual (para mostrar una imagen dentro de un cuaderno)."""
    return f"https://raw.githubusercontent.com/{repositorio}/{rama}/{ruta}"


MARCA_PREPARACION = "# Preparación:"  # así empieza la celda de preparación (ver ``celda_preparacion``)


def celda_preparacion(repositorio=REPOSITORIO, rama=RAMA):
    """Código de la segunda celda de todos los cuadernos (empieza por ``MARCA_PREPARACION``).

    Si falta ``helpers`` (o un paquete que necesita) y el cuaderno se ejecuta en Colab, instala el kit con
    pip desde la rama ``rama`` de ``repositorio`` (pip clona el repositorio; no cambia lo que Colab ya trae
    en una versión compatible). Si pip falla, enseña su salida y explica qué hacer. Fuera de Colab dice
    qué paquete falta. Otro error al importar (una versión antigua de Keras, otro backend) se ve con su
    propio mensaje. Después fija la semilla y dice qué dispositivo y qué TensorFlow/Keras encontró.

    En Colab, si el kit ya instalado en ese entorno de ejecución (por una ejecución anterior) es de otro
    commit que el de ``rama`` en GitHub, lo reinstala antes de importarlo: pip no lo haría solo, porque el
    número de versión del kit no cambia con cada commit, y los cuadernos nuevos fallarían con el kit viejo.
    Lo instala encima, sin desinstalarlo antes: si pip falla, queda el de antes. Sin git, sin respuesta de
    GitHub, o si el kit no vino de git, se queda el instalado.
    """
    return f'''# Preparación: en Colab instala el kit del curso desde GitHub (o lo pone al día); en tu máquina solo lo importa.
REPOSITORIO, RAMA = "{repositorio}", "{rama}"
import importlib, importlib.metadata, json, subprocess, sys
fuente = f"git+https://github.com/{{REPOSITORIO}}@{{RAMA}}"


def commit_anterior_del_kit():
    """El commit del kit que instaló aquí una ejecución anterior, si ya no es el de RAMA en GitHub."""
    try:
        origen = json.loads(importlib.metadata.distribution("curso-gan").read_text("direct_url.json") or "{{}}")
    except importlib.metadata.PackageNotFoundError:
        return None
    commit = origen.get("vcs_info", {{}}).get("commit_id")
    if commit is None:  # instalado desde una carpeta, no desde git
        return None
    try:  # sin git, o si GitHub no responde, se queda el instalado
        referencias = [f"refs/heads/{{RAMA}}", f"refs/tags/{{RAMA}}", f"refs/tags/{{RAMA}}^{{{{}}}}"]  # no otra/{{RAMA}}
        remoto = subprocess.run(["git", "ls-remote", f"https://github.com/{{REPOSITORIO}}", *referencias],
                                capture_output=True, text=True, timeout=30).stdout.split()[::2]
    except (OSError, subprocess.TimeoutExpired):
        return None
    return commit if remoto and commit not in remoto else None


if "google.colab" in sys.modules and "helpers" not in sys.modules and (anterior := commit_anterior_del_kit()):
    print(f"El kit instalado en este entorno (commit {{anterior[:7]}}) no es el que hay ahora en «{{RAMA}}»: lo actualizo.")
    # pip no cambia un kit de la misma versión: primero instala lo que pide el nuevo y luego cambia solo el kit. Sin
    # desinstalarlo antes: si pip falla, el de antes sigue ahí.
    for forzar in ([], ["--force-reinstall", "--no-deps"]):
        pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", *forzar, fuente], capture_output=True, text=True)
        if pip.returncode:
            print(pip.stdout + pip.stderr)
            print("No se pudo actualizar (arriba, el mensaje de pip): sigues con el kit que ya tenías. Para probar "
                  "más tarde, reinicia la sesión (Entorno de ejecución → Reiniciar sesión) y ejecuta esta celda.")
            break
try:
    import helpers
except ModuleNotFoundError as falta:  # otro ImportError (p. ej. una versión antigua de Keras) trae su propio mensaje
    if "google.colab" not in sys.modules:
        raise ImportError(f"Falta el paquete {{falta.name}}: instala el kit con «pip install -r requirements.txt» "
                          "desde la carpeta del curso y reinicia el núcleo.") from None
    print(f"Instalando el kit del curso desde {{fuente}} (menos de un minuto)…")
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", fuente], capture_output=True, text=True)
    if pip.returncode:
        print(pip.stdout + pip.stderr)
        raise RuntimeError(f"pip no pudo instalar el kit desde {{fuente}} (arriba, su mensaje). Comprueba la conexión "
                           f"y que {{REPOSITORIO}} tenga la rama o etiqueta «{{RAMA}}»; luego vuelve a ejecutar esta celda.") from None
    importlib.invalidate_caches()
    import helpers
import keras, tensorflow as tf
helpers.fijar_semilla(0)
print(f"{{helpers.describir_dispositivo()}} · TensorFlow {{tf.__version__}} · Keras {{keras.__version__}}")
if not tf.config.list_physical_devices("GPU"):
    print("Sin GPU todo funciona, pero más despacio. En Colab: Entorno de ejecución → Cambiar tipo de entorno de ejecución → GPU.")'''


def absolutizar(markdown, carpeta, repositorio=REPOSITORIO, rama=RAMA):
    """Convierte los enlaces relativos de un texto Markdown que vive en ``carpeta`` (p. ej.
    ``'notebooks'``) en URL absolutas: cuadernos → Colab, imágenes incrustadas → el archivo en bruto,
    el resto (lecciones, módulos) → su página de GitHub. Respeta las anclas (``#sección``)."""

    def absoluta(encontrado):
        incrustada, texto, destino = encontrado.groups()
        ruta, ancla, seccion = destino.partition("#")
        partes = []
        for parte in f"{carpeta}/{ruta}".split("/"):
            if parte == "..":
                partes.pop()
            elif parte not in ("", "."):
                partes.append(parte)
        ruta = "/".join(partes)
        if ruta.endswith(".ipynb"):
            url = url_colab(ruta, repositorio, rama)
        elif incrustada:
            url = url_imagen(ruta, repositorio, rama)
        else:
            url = url_github(ruta, repositorio, rama)
        return f"{incrustada}[{texto}]({url}{ancla}{seccion})"

    return _ENLACE_RELATIVO.sub(absoluta, markdown)


def _cambiar_urls(texto, antes, despues):
    """Cambia en ``texto`` las URL de ``antes = (repositorio, rama)`` por las de ``despues``, en una pasada."""
    repositorio, rama = map(re.escape, antes)
    patron = re.compile(
        rf"(?P<colab>https://colab\.research\.google\.com/github/{repositorio}/blob/{rama}/)"
        rf"|(?P<github>https://github\.com/{repositorio}/blob/{rama}/)"
        rf"|(?P<imagen>https://raw\.githubusercontent\.com/{repositorio}/{rama}/)"
        rf"|(?P<pip>git\+https://github\.com/{repositorio}@{rama})(?![\w.-])"
        # El repositorio a secas (clonar, incidencias): que el nombre no siga (sí «.git» o fin de frase).
        rf"|(?P<repositorio>https://github\.com/{repositorio})(?![\w-]|\.(?!git\b)[\w-])"
    )
    nuevas = {
        "colab": url_colab("", *despues),
        "github": url_github("", *despues),
        "imagen": url_imagen("", *despues),
        "pip": f"git+https://github.com/{despues[0]}@{despues[1]}",
        "repositorio": f"https://github.com/{despues[0]}",
    }
    return patron.sub(lambda encontrado: nuevas[encontrado.lastgroup], texto)


def leer_ajuste(raiz="."):
    """``(REPOSITORIO, RAMA)`` tal como están escritos en ``helpers/repositorio.py`` dentro de ``raiz``."""
    ruta = _ruta_ajuste(raiz)
    codigo = ruta.read_text(encoding="utf-8")
    ajuste = [re.search(rf'^{nombre} = "([^"]*)"$', codigo, re.M) for nombre in ("REPOSITORIO", "RAMA")]
    if not all(ajuste):
        raise ValueError(f"«{ruta}» no tiene sus dos líneas como las escribe el kit, p. ej. REPOSITORIO = "
                         '"dueño/nombre" y RAMA = "main" (comillas dobles y nada detrás): déjalas así y '
                         "repite la orden; no he cambiado ningún archivo.")
    return tuple(encontrado[1] for encontrado in ajuste)


def _ruta_ajuste(raiz):
    ruta = Path(raiz) / "helpers" / "repositorio.py"
    if not ruta.is_file() or not (Path(raiz) / "notebooks").is_dir():
        raise FileNotFoundError(
            f"«{Path(raiz).resolve()}» no es la carpeta raíz del curso (falta helpers/repositorio.py o "
            "notebooks/): ejecuta la orden desde la carpeta que tiene README.md"
        )
    return ruta


def _lineas(texto):
    """Parte ``texto`` en líneas como las guarda Jupyter (cada una con su «\\n», la última sin él)."""
    return re.findall(r"[^\n]*\n|[^\n]+$", texto)


def archivos_con_enlaces(raiz="."):
    """Archivos cuyas URL salen del ajuste: README, lecciones y cuadernos."""
    raiz = Path(raiz)
    return [raiz / "README.md", *sorted((raiz / "lessons").glob("*.md")), *sorted((raiz / "notebooks").glob("*.ipynb"))]


def apuntar(repositorio, rama, raiz="."):
    """Hace que el curso de la carpeta ``raiz`` apunte a ``repositorio`` y ``rama``.

    Reescribe ``REPOSITORIO`` y ``RAMA`` en ``helpers/repositorio.py``, las URL del repositorio
    anterior en el README, las lecciones y los cuadernos, los enlaces relativos que queden en los
    cuadernos y la celda de preparación de cada cuaderno (la de código que empieza por
    «# Preparación:»). Prepara todos los archivos antes de escribir ninguno: si uno no se puede
    cambiar (un cuaderno dañado, uno sin celda de preparación), no cambia nada y lo dice. Devuelve las
    rutas que cambiaron.
    """
    validar(repositorio, rama)
    ajuste = _ruta_ajuste(raiz)
    antes, despues = leer_ajuste(raiz), (repositorio, rama)
    nuevos = {ruta: _apuntar_archivo(ruta, antes, despues) for ruta in archivos_con_enlaces(raiz)}
    codigo = ajuste.read_text(encoding="utf-8")
    nuevo = re.sub(r'^REPOSITORIO = "[^"]*"$', f'REPOSITORIO = "{repositorio}"', codigo, count=1, flags=re.M)
    nuevos[ajuste] = (codigo, re.sub(r'^RAMA = "[^"]*"$', f'RAMA = "{rama}"', nuevo, count=1, flags=re.M))
    cambiados = [ruta for ruta, (original, nuevo) in nuevos.items() if nuevo != original]
    escritos = []
    try:
        for ruta in cambiados:
            ruta.write_text(nuevos[ruta][1], encoding="utf-8")
            escritos.append(ruta)
    except OSError:
        for escrito in escritos:  # todos o ninguno: a medias, cada archivo apuntaría a un sitio
            escrito.write_text(nuevos[escrito][0], encoding="utf-8")
        raise OSError(f"No pude escribir «{ruta}» (¿es de solo lectura, o lo tiene abierto otro programa?): he "
                      "devuelto los demás a como estaban, así que no ha cambiado ningún archivo. Ciérralo o dale "
                      "permiso de escritura y repite la orden.") from None
    return cambiados


def como_publicar(repositorio, rama, raiz="."):
    """Qué hacer, después de ``apuntar``, para publicar el curso de ``raiz`` en ``repositorio`` y ``rama``:
    las órdenes de git dependen de si ``rama`` es la rama en la que estás, otra rama, una etiqueta que
    ya existe o un nombre nuevo."""
    if not (Path(raiz) / ".git").exists():  # p. ej. el curso descargado en un ZIP: git commit fallaría en inglés
        return (f"Esta carpeta no es un repositorio de git (¿la descargaste en un ZIP?): para publicar los cambios, "
                f"clona tu copia (git clone https://github.com/{repositorio}.git), repite ahí esta orden y sigue lo "
                "que diga.")
    actual = _git(raiz, "symbolic-ref", "--quiet", "--short", "HEAD")  # vacío sin rama (HEAD separado)

    def existe(referencia):
        return bool(_git(raiz, "rev-parse", "--verify", "--quiet", referencia))

    commit = f'git commit -am "Apunta a {repositorio}"'
    publicar = commit + (" && git push" if actual else "")
    if rama == actual:
        return f"Publícalo: {publicar}"
    if existe(f"refs/heads/{rama}") or existe(f"refs/remotes/origin/{rama}"):
        donde = f"en la rama «{actual}»" if actual else "sin rama (HEAD separado)"
        return (f"Los cuadernos instalarán la rama «{rama}» y estás {donde}: publícalo en «{rama}» (git switch "
                f"{rama}, que se lleva estos cambios, y luego {commit} && git push).")
    if existe(f"refs/tags/{rama}"):
        return (f"Publícalo: {publicar}; «{rama}» ya es una etiqueta y marca un commit anterior: muévela a este "
                f"(git tag -f {rama} && git push -f origin refs/tags/{rama}).")
    return (f"Publícalo: {publicar}; «{rama}» aún no existe aquí: créala después del commit, como etiqueta (git tag "
            f"{rama} && git push origin refs/tags/{rama}) o como rama (git push origin HEAD:refs/heads/{rama}).")


def _git(raiz, *argumentos):
    """La salida de ``git argumentos`` en ``raiz``, o ``""`` si falla o no hay git."""
    try:
        return subprocess.run(["git", *argumentos], cwd=raiz, capture_output=True, encoding="utf-8",
                              errors="replace").stdout.strip()
    except OSError:
        return ""


def _apuntar_archivo(ruta, antes, despues):
    """``(texto actual, texto nuevo)`` de ``ruta`` apuntando a ``despues``; ``ValueError`` si no se puede."""
    original = ruta.read_text(encoding="utf-8")
    if ruta.suffix != ".ipynb":
        return original, _cambiar_urls(original, antes, despues)
    sin_cambios = "no he cambiado ningún archivo"
    try:
        cuaderno = json.loads(original)
        celdas = cuaderno["cells"]
    except (ValueError, KeyError, TypeError):
        raise ValueError(f"«{ruta}» no es un cuaderno válido (¿un conflicto de git a medias?): arréglalo y repite la "
                         f"orden; {sin_cambios}.") from None
    preparacion = [c for c in celdas if c["cell_type"] == "code" and "".join(c["source"]).startswith(MARCA_PREPARACION)]
    if len(preparacion) != 1:
        raise ValueError(f"«{ruta}» tiene {len(preparacion)} celdas de preparación (de código, empiezan por "
                         f"«{MARCA_PREPARACION}») y debe tener una: {sin_cambios}.")
    for celda in celdas:
        fuente = _cambiar_urls("".join(celda["source"]), antes, despues)
        if celda["cell_type"] == "markdown":
            fuente = absolutizar(fuente, "notebooks", *despues)
        celda["source"] = _lineas(fuente)
    preparacion[0]["source"] = _lineas(celda_preparacion(*despues))
    return original, json.dumps(cuaderno, indent=1, ensure_ascii=False) + "\n"
