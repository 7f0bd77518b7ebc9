"""El código de las lecciones se ejecuta y da las cifras que cita su texto; las órdenes que citan los textos del
curso existen con esas opciones, y lo que citan del código (``helpers.…``, funciones con sus argumentos, archivos, los
nombres de la tabla de módulos del README) existe."""

import ast
import contextlib
import importlib
import importlib.util
import inspect
import io
import json
import pkgutil
import re
import tokenize
from pathlib import Path

import keras
import nbformat
import pytest

import conftest
import helpers
from helpers.__main__ import _analizador
from helpers.gan import GAN

LECCIONES = conftest.RAIZ / "lessons"
# Un número como lo escribe la lección («−0,0036», «1.000», «44,95») o como lo imprime Python («+0.0489»).
NUMERO_LECCION = re.compile(r"[-−+]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
NUMERO_PYTHON = re.compile(r"[-+]?\d+(?:\.\d+)?")


def _numeros(texto, espanol):
    """``[(valor, decimales), ...]`` de los números de ``texto``, en orden."""
    numeros = []
    for numero in (NUMERO_LECCION if espanol else NUMERO_PYTHON).findall(texto):
        numero = numero.replace("−", "-")
        if espanol:
            numero = numero.replace(".", "").replace(",", ".")
        numeros.append((float(numero), len(numero.split(".")[1]) if "." in numero else 0))
    return numeros


def _unidades(texto):
    """Las filas de tabla y las frases (partidas también por «;») del texto, sin los bloques de código."""
    texto = re.sub(r"^```.*?^```", "", texto, flags=re.M | re.S)
    filas = [linea for linea in texto.splitlines() if linea.startswith("|")]
    prosa = " ".join(linea for linea in texto.splitlines() if not linea.startswith("|"))
    return filas + re.split(r"(?<=[.;])\s", prosa)


def _citada(linea, unidades):
    """¿Hay una fila o una frase con la etiqueta de ``linea`` (lo que va antes de «:») y sus números seguidos, en
    el mismo orden? Una unidad en la última cifra de margen: otra CPU u otra BLAS pueden redondear distinto."""
    etiqueta = linea.split(":")[0] if ":" in linea else ""
    impresos = _numeros(linea, espanol=bool(re.search(r"\d,\d", linea)))
    for unidad in unidades:
        if etiqueta not in unidad:
            continue
        citados = [valor for valor, _ in _numeros(unidad, espanol=True)]
        for inicio in range(len(citados) - len(impresos) + 1):
            if all(abs(valor - citado) <= 1.5 * 10.0**-decimales
                   for (valor, decimales), citado in zip(impresos, citados[inicio:])):
                return True
    return False


@pytest.mark.parametrize("leccion", ["05_medir_una_gan.md"])
def test_cada_linea_que_imprime_el_codigo_de_la_leccion_esta_en_su_texto(leccion):
    texto = (LECCIONES / leccion).read_text(encoding="utf-8")
    bloques = conftest.bloques_python(texto)
    assert bloques
    salida = io.StringIO()
    espacio = {}
    with contextlib.redirect_stdout(salida):
        for linea, codigo in bloques:  # en orden y en el mismo espacio de nombres, como en una sesión de Python
            exec(compile(codigo, f"{leccion}, línea {linea}", "exec"), espacio)
    impresas = [linea for linea in salida.getvalue().splitlines() if linea.strip()]
    assert impresas
    unidades = _unidades(texto)
    for linea in impresas:
        assert _citada(linea, unidades), f"{leccion}: el código imprime «{linea}» y ninguna fila o frase lo cita"


def _textos_con_ordenes():
    """``(lugar, texto)`` de lo que cita órdenes a quien usa el curso: README, lecciones, benchmarks/README, las
    celdas de los cuadernos (texto y código), los mensajes de helpers y los de los scripts de benchmarks/."""
    raiz = conftest.RAIZ
    for ruta in [raiz / "README.md", raiz / "benchmarks" / "README.md", *sorted((raiz / "lessons").glob("*.md")),
                 *sorted((raiz / "helpers").glob("*.py")), *sorted((raiz / "benchmarks").glob("*.py"))]:
        yield str(ruta.relative_to(raiz)), ruta.read_text(encoding="utf-8")
    for ruta in sorted((raiz / "notebooks").glob("*.ipynb")):
        yield str(ruta.relative_to(raiz)), "\n".join(celda.source for celda in nbformat.read(ruta, as_version=4).cells)


def _opciones_de_cada_orden():
    """``{orden: {opción: valores admitidos o None}}`` de ``python -m helpers``."""
    subordenes = next(accion for accion in _analizador()._actions if isinstance(accion.choices, dict)).choices
    return {orden: {opcion: accion.choices for accion in analizador._actions for opcion in accion.option_strings}
            for orden, analizador in subordenes.items()}


def _opciones_de_los_scripts():
    """``{"benchmarks/x.py": {opción: valores admitidos o None}}``, leídas de sus ``add_argument`` sin importarlos."""
    scripts = {}
    for ruta in sorted((conftest.RAIZ / "benchmarks").glob("*.py")):
        opciones = scripts[f"benchmarks/{ruta.name}"] = {"--help": None}
        for nodo in ast.walk(ast.parse(ruta.read_text(encoding="utf-8"))):
            if isinstance(nodo, ast.Call) and getattr(nodo.func, "attr", None) == "add_argument":
                valores = next((argumento.value for argumento in nodo.keywords if argumento.arg == "choices"), None)
                try:
                    valores = ast.literal_eval(valores) if valores else None
                except ValueError:  # choices=list(RECETAS): cualquier valor
                    valores = None
                for nombre in nodo.args:
                    if isinstance(nombre, ast.Constant) and str(nombre.value).startswith("--"):
                        opciones[nombre.value] = valores
    return scripts


# «python -m helpers ORDEN …» y «benchmarks/x.py …» hasta donde acaba la orden citada (el código en línea, la
# línea o la cita).
ORDEN_CITADA = re.compile(r"python -m helpers ([a-z]\w*)\b([^`\n»\"]*)")
SCRIPT_CITADO = re.compile(r"(?<![\w/.])(benchmarks/\w+\.py)([^`\n»\"]*)")
OPCION = re.compile(r"(?<![\w-])(--[a-z][a-z-]*)(?:[ =]([^\s`…]+))?")


def _citas(texto, opciones):
    """``(orden, resto)`` de cada orden que cita ``texto``: tras «python -m helpers» o «python», o en código en
    línea que empieza por una orden (`` `preparar --maximo N` ``)."""
    yield from ORDEN_CITADA.findall(texto)
    yield from SCRIPT_CITADO.findall(texto)
    ordenes = "|".join(orden for orden in opciones if "/" not in orden)
    yield from re.findall(rf"`({ordenes})(\s[^`]*)?`", texto)


def opciones_que_no_existen(textos, opciones):
    """``lugar: orden --opción`` de cada opción (o valor de una opción con valores fijos) citada tras
    ``python -m helpers ORDEN`` (o ``python benchmarks/x.py``) que esa orden (o ese script) no tiene."""
    faltan = []
    for lugar, texto in textos:
        for orden, resto in _citas(texto, opciones):
            if orden not in opciones:
                faltan.append(f"{lugar}: no existe {orden}" if "/" in orden else f"{lugar}: no hay una orden «{orden}»")
                continue
            for opcion, valor in OPCION.findall(resto):
                if opcion not in opciones[orden]:
                    faltan.append(f"{lugar}: «{orden}» no tiene {opcion}")
                elif opciones[orden][opcion] and valor and not valor.startswith(("-", "{")) \
                        and valor not in map(str, opciones[orden][opcion]):
                    faltan.append(f"{lugar}: {orden} {opcion} no admite {valor}")
    return faltan


def test_las_ordenes_citadas_tienen_esas_opciones():
    faltan = opciones_que_no_existen(_textos_con_ordenes(), {**_opciones_de_cada_orden(), **_opciones_de_los_scripts()})
    assert not faltan, ("Opciones citadas que la línea de órdenes o el script no tienen (python -m helpers ORDEN "
                        "--help, python benchmarks/x.py --help):\n" + "\n".join(faltan))


def test_cada_opcion_que_nombra_la_guia_docente_existe():
    # La guía nombra opciones sueltas («usa `--sin-imagenes`»): cada una es de alguna orden.
    todas = set().union(*_opciones_de_cada_orden().values())
    guia = (LECCIONES / "guia_docente.md").read_text(encoding="utf-8")
    nombradas = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", guia))
    assert nombradas and nombradas <= todas, f"La guía docente nombra opciones que no existen: {sorted(nombradas - todas)}"


def _opciones_de_pytest():
    """Las opciones de pytest (``--lf``, ``--durations``), las que le añaden el ``conftest.py`` del curso y los
    complementos que usa (pytest-xdist, nbval), leídas de sus fuentes."""
    fuentes = [conftest.RAIZ / "conftest.py",
               *Path(importlib.util.find_spec("_pytest").origin).parent.rglob("*.py"),
               *(Path(importlib.util.find_spec(f"{complemento}.plugin").origin) for complemento in ("xdist", "nbval"))]
    return {opcion for fuente in fuentes
            for opcion in re.findall(r"[\"'](--[a-z][a-z-]*)[\"']", fuente.read_text(encoding="utf-8"))}


def opciones_sueltas_que_no_existen(fragmentos, conocidas):
    """``lugar: --opción`` de cada opción que citan los ``fragmentos`` (``--sin-imagenes``, ``--dist loadfile``) y no
    está entre las ``conocidas``."""
    return [f"{lugar}: {opcion}" for lugar, fragmento in fragmentos
            for opcion in re.findall(r"(?<![\w-])--[a-z][a-z-]*", fragmento) if opcion not in conocidas]


def test_cada_opcion_que_citan_el_readme_las_lecciones_y_los_cuadernos_existe():
    # Las citadas sueltas (`--sin-cuadernos`, `--una-gpu`): de alguna orden, de un script de benchmarks/ o de pytest.
    conocidas = set().union(*_opciones_de_cada_orden().values(), *_opciones_de_los_scripts().values(),
                            _opciones_de_pytest())
    faltan = opciones_sueltas_que_no_existen(fragmentos_de_codigo(textos_del_estudiante()), conocidas)
    assert not faltan, "Opciones citadas que no tiene ninguna orden, script ni pytest:\n" + "\n".join(faltan)


def test_opciones_que_no_existen_encuentra_las_de_antes():
    opciones = {**_opciones_de_cada_orden(), **_opciones_de_los_scripts()}
    conocidas = set().union(*opciones.values(), _opciones_de_pytest())
    assert opciones_sueltas_que_no_existen([("f.md", "pytest -n 2 --dist loadfile --sin-soluciones --lf --durations=5"),
                                            ("g.md", "--sin-cuadernos, --una-gpu, --sin-gpu")], conocidas) == [
        "g.md: --sin-gpu"]
    textos = [("a.md", "`python -m helpers entrenar fotos --pasos-por-epoca 10 --tamano 48 --minutos 5`"),
              ("b.md", "python -m helpers generar --modelo g.keras --n 8\npython -m helpers revisa x"),
              ("c.py", 'f"python -m helpers entregar {carpeta} --generador {nombre} --sin-imagenes"'),
              ("d.md", "con `preparar --maximo N` o `entrenar … --una-gpu`; `preparar --max 5`, `generar`"),
              ("e.md", "`python benchmarks/laboratorio_bitacora.py --minutos 1 --reloj cpu --nucleo 2` y "
                       "`python benchmarks/laboratorio_bitacora.py --reloj tiempo`, `python benchmarks/no_hay.py`")]
    assert opciones_que_no_existen(textos, opciones) == [
        "a.md: «entrenar» no tiene --pasos-por-epoca", "a.md: entrenar --tamano no admite 48",
        "b.md: no hay una orden «revisa»", "d.md: «preparar» no tiene --max",
        "e.md: «benchmarks/laboratorio_bitacora.py» no tiene --nucleo",
        "e.md: benchmarks/laboratorio_bitacora.py --reloj no admite tiempo", "e.md: no existe benchmarks/no_hay.py"]


# --- Lo que los textos citan del código existe ---------------------------------------------------------------------

MODULOS = {modulo.name for modulo in pkgutil.iter_modules(helpers.__path__)}
# Cómo llaman los textos a las bibliotecas (como las importan los cuadernos).
BIBLIOTECAS = {"keras": "keras", "layers": "keras.layers", "tf": "tensorflow", "np": "numpy"}


def textos_del_estudiante():
    """``(lugar, texto, comentarios)`` de lo que lee quien sigue el curso: el README, las lecciones y, de cada
    cuaderno, el texto de sus celdas y los comentarios de su código (el código lo examina test_cuadernos_api)."""
    raiz = conftest.RAIZ
    for ruta in [raiz / "README.md", *sorted((raiz / "lessons").glob("*.md"))]:
        yield str(ruta.relative_to(raiz)), ruta.read_text(encoding="utf-8"), []
    for ruta in sorted((raiz / "notebooks").glob("*.ipynb")):
        celdas = json.loads(ruta.read_text(encoding="utf-8"))["cells"]
        texto = "\n".join("".join(celda["source"]) for celda in celdas if celda["cell_type"] == "markdown")
        comentarios = [comentario for celda in celdas if celda["cell_type"] == "code"
                       for comentario in comentarios_de("".join(celda["source"]))]
        yield str(ruta.relative_to(raiz)), texto, comentarios


def comentarios_de(codigo):
    """Los comentarios de ``codigo``, sin «#», leídos con tokenize: un «#» dentro de un texto (``color="#ff0000"``) no
    empieza ninguno. Las líneas de IPython (``%matplotlib``, ``!pip``) no son Python y se saltan."""
    lineas = ["" if linea.lstrip().startswith(("%", "!")) else linea for linea in codigo.splitlines()]
    return [token.string[1:] for token in tokenize.generate_tokens(io.StringIO("\n".join(lineas) + "\n").readline)
            if token.type == tokenize.COMMENT]


def test_los_comentarios_de_un_cuaderno_no_empiezan_dentro_de_un_texto():
    # Antes se cortaba cada línea en su primer «#»: «ff0000", lw=2)» contaba como comentario, y lw=2 como un argumento
    # citado que ninguna función del kit tiene.
    codigo = '%matplotlib inline\nplt.plot(x, color="#ff0000", lw=2)  # en rojo\ntitulo = f"Época #{i}"\n'
    assert comentarios_de(codigo) == [" en rojo"]


BLOQUE = re.compile(r"^ *```[^\n]*\n(.*?)^ *```", flags=re.M | re.S)  # también los sangrados, dentro de una lista


def fragmentos_de_codigo(textos):
    """``(lugar, fragmento)``: cada bloque de código y cada código en línea de los textos, y cada comentario."""
    for lugar, texto, comentarios in textos:
        for fragmento in [*BLOQUE.findall(texto), *re.findall(r"`([^`]+)`", BLOQUE.sub("", texto)), *comentarios]:
            yield lugar, fragmento


def modulos_con_su_nombre():
    """Los módulos del kit que los cuadernos importan con su nombre (``from helpers import estilo``): los textos
    los citan así (``estilo.transferir_estilo``)."""
    nombres = set()
    for ruta in (conftest.RAIZ / "notebooks").glob("*.ipynb"):
        for celda in json.loads(ruta.read_text(encoding="utf-8"))["cells"]:
            for importados in re.findall(r"^from helpers import (.+)$", "".join(celda["source"]), flags=re.M):
                nombres.update(nombre.strip() for nombre in importados.split(",") if nombre.strip() in MODULOS)
    return nombres


def resolver(ruta):
    """El objeto que nombra ``ruta`` («helpers.estilo.CAPAS», «estilo.CAPAS», «np.log»), o ``None`` si no existe."""
    raiz, *partes = ruta.split(".")
    try:
        objeto = importlib.import_module(BIBLIOTECAS.get(raiz, f"helpers.{raiz}" if raiz in MODULOS else raiz))
    except ImportError:
        return None
    for parte in partes:
        if hasattr(objeto, parte):
            objeto = getattr(objeto, parte)
            continue
        try:  # un submódulo que aún no se había importado
            objeto = importlib.import_module(f"{objeto.__name__}.{parte}")
        except (ImportError, AttributeError):
            return None
    return objeto


def _arboles(fragmento):
    """``fragmento`` como Python («…» como «...»): entero si lo es, y si no (prosa, una orden), cada llamada que
    contenga."""
    fragmento = fragmento.replace("…", "...")
    try:
        return [ast.parse(fragmento)]
    except SyntaxError:
        pass
    arboles = []
    for llamada in re.finditer(r"[A-Za-z_][\w.]*\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)", fragmento):
        try:
            arboles.append(ast.parse(llamada.group()))
        except SyntaxError:
            continue
    return arboles


def _nombre(nodo):
    """«a.b.c» de ``nodo`` (``ast.Name`` o ``ast.Attribute`` sobre uno), o ``None``."""
    partes = []
    while isinstance(nodo, ast.Attribute):
        partes.insert(0, nodo.attr)
        nodo = nodo.value
    return ".".join([nodo.id, *partes]) if isinstance(nodo, ast.Name) else None


def _funcion_citada(nombre, con_su_nombre):
    """La función o clase que llama ``nombre``: del kit (``helpers.x``, ``estilo.x`` o ``x`` a secas, como la
    importan los cuadernos), de Keras, TensorFlow o NumPy; «no existe …» si la ruta no existe; ``None`` si no es de
    ellos (una función de la lección o un método de un objeto)."""
    raiz = nombre.split(".")[0]
    if raiz == "helpers" or raiz in BIBLIOTECAS or raiz in con_su_nombre:
        return resolver(nombre) or f"no existe {nombre}"
    if "." in nombre:
        return None
    if hasattr(helpers, nombre):
        return getattr(helpers, nombre)
    for modulo in sorted(MODULOS):  # las que los cuadernos importan de su módulo: from helpers.metricas import …
        objeto = getattr(importlib.import_module(f"helpers.{modulo}"), nombre, None)
        if getattr(objeto, "__module__", None) == f"helpers.{modulo}":
            return objeto
    return None


def argumentos_con_nombre(funcion):
    """Los argumentos con nombre que admite ``funcion``, o ``None`` si admite cualquiera (``**kwargs``). Las de
    ``crear_gan`` que pasan el resto a ``GAN`` (``comprobar_opciones_gan``) admiten también los de ``GAN``."""
    try:
        parametros = inspect.signature(funcion).parameters.values()
    except (TypeError, ValueError):
        return None
    nombres = {parametro.name for parametro in parametros if parametro.kind in (parametro.POSITIONAL_OR_KEYWORD,
                                                                                 parametro.KEYWORD_ONLY)}
    if any(parametro.kind == parametro.VAR_KEYWORD for parametro in parametros):
        try:
            if "comprobar_opciones_gan(" not in inspect.getsource(funcion):
                return None
        except (TypeError, OSError):
            return None
        nombres |= set(inspect.signature(GAN).parameters)
    return nombres


def argumentos_conocidos():
    """Los nombres que un ``nombre=valor`` suelto puede citar: los parámetros de las funciones, clases y métodos de
    ``helpers`` y los argumentos con nombre que pasa el código del kit, de los cuadernos o de las lecciones a
    cualquier función (``safe_mode=True`` a ``load_model``, ``allow_pickle=False`` a ``np.load``)."""
    raiz = conftest.RAIZ
    codigos = [ruta.read_text(encoding="utf-8") for ruta in sorted((raiz / "helpers").glob("*.py"))]
    for ruta in sorted((raiz / "notebooks").glob("*.ipynb")):
        codigos += ["\n".join(linea for linea in celda.source.splitlines() if not linea.lstrip().startswith(("%", "!")))
                    for celda in nbformat.read(ruta, as_version=4).cells if celda.cell_type == "code"]
    for ruta in sorted((raiz / "lessons").glob("*.md")):
        codigos += [codigo for _, codigo in conftest.bloques_python(ruta.read_text(encoding="utf-8"))]
    nombres = {nodo.arg for codigo in codigos for nodo in ast.walk(ast.parse(codigo))
               if isinstance(nodo, ast.keyword) and nodo.arg}
    for modulo in map(importlib.import_module, (f"helpers.{nombre}" for nombre in MODULOS)):
        for objeto in vars(modulo).values():
            if getattr(objeto, "__module__", None) != modulo.__name__:
                continue
            for funcion in [objeto, *vars(objeto).values()] if inspect.isclass(objeto) else [objeto]:
                if callable(funcion):
                    try:
                        nombres.update(inspect.signature(funcion).parameters)
                    except (TypeError, ValueError):
                        continue
    return nombres


def referencias_que_no_existen(fragmentos, con_su_nombre, argumentos):
    """``lugar: qué`` de lo que citan los ``fragmentos`` y no existe: una ruta ``helpers.x.y`` (o ``estilo.y``, si
    ``estilo`` está en ``con_su_nombre``), un archivo del repositorio, lo que importa un ``from helpers… import``, un
    argumento con nombre que no admite la función del kit (o de Keras, TensorFlow o NumPy) a la que se pasa, y un
    ``nombre=valor`` suelto (``abandono=0.3``) cuyo nombre no es ninguno de los ``argumentos``."""
    faltan = []
    citables = "|".join(["helpers", *sorted(con_su_nombre)])
    for lugar, fragmento in fragmentos:
        for ruta in re.findall(rf"(?<![\w./-])((?:{citables})(?:\.[A-Za-z_]\w*)+)", fragmento):
            if not ruta.endswith(".py") and resolver(ruta) is None:  # «estilo.py» es un archivo
                faltan.append(f"{lugar}: no existe {ruta}")
        for ruta in re.findall(r"(?<![\w./-])((?:helpers|benchmarks|tests|lessons|notebooks|images|\.ci)/[\w./-]*\w)",
                               fragmento):
            if not (conftest.RAIZ / ruta).exists():
                faltan.append(f"{lugar}: no existe el archivo {ruta}")
        # «abandono=0.3», «perdida='wasserstein', …»; no lo que sigue a ? o & en un enlace (?usp=sharing).
        if "(" not in fragmento and "\n" not in fragmento:
            faltan += [f"{lugar}: ninguna función del kit tiene el argumento {nombre}"
                       for nombre in re.findall(r"(?<![\w.=!<>?&-])([a-z_][a-z0-9_]*)=(?!=)", fragmento)
                       if nombre not in argumentos]
        for nodo in (nodo for arbol in _arboles(fragmento) for nodo in ast.walk(arbol)):
            if isinstance(nodo, ast.ImportFrom) and (nodo.module or "").split(".")[0] == "helpers":
                faltan += [f"{lugar}: no existe {nodo.module}.{alias.name}" for alias in nodo.names
                           if resolver(f"{nodo.module}.{alias.name}") is None]
            if not (isinstance(nodo, ast.Call) and (nombre := _nombre(nodo.func))):
                continue
            funcion = _funcion_citada(nombre, con_su_nombre)
            if isinstance(funcion, str):
                faltan.append(f"{lugar}: {funcion}")
            elif callable(funcion) and (admitidos := argumentos_con_nombre(funcion)) is not None:
                faltan += [f"{lugar}: {nombre}() no tiene el argumento {argumento.arg}" for argumento in nodo.keywords
                           if argumento.arg is not None and argumento.arg not in admitidos]
    return list(dict.fromkeys(faltan))  # una llamada a una ruta que no existe sale una vez, no dos


def test_lo_que_citan_el_readme_las_lecciones_y_los_cuadernos_existe():
    faltan = referencias_que_no_existen(fragmentos_de_codigo(textos_del_estudiante()), modulos_con_su_nombre(),
                                        argumentos_conocidos())
    assert not faltan, "Los textos citan código que no existe (¿un módulo partido, una función o un argumento " \
        "renombrados?):\n" + "\n".join(faltan)


def nombres_de_la_tabla_que_no_existen(readme, argumentos):
    """``lugar: qué`` de la tabla de módulos de ``readme`` (filas «| `modulo.py` | …»): un módulo que no existe, o un
    nombre con forma de nombre del kit (``separar_reserva``, ``GANBasica``, ``MAX_ENTRENAMIENTO``) que no está en
    ningún módulo del kit ni es de ``keras.Model`` (``train_step``, ``steps_per_execution``, ``steps_per_epoch``) ni
    uno de los ``argumentos`` (``from_logits``)."""
    kit = {nombre for modulo in MODULOS for nombre in vars(importlib.import_module(f"helpers.{modulo}"))} | MODULOS
    de_keras = set(dir(keras.Model)).union(*(inspect.signature(metodo).parameters
                                              for metodo in (keras.Model.compile, keras.Model.fit)))
    faltan = []
    for modulo, fila in re.findall(r"^\| `(\w+)\.py` \|(.*)$", readme, flags=re.M):
        if modulo != "__init__" and modulo not in MODULOS:
            faltan.append(f"README.md: la tabla tiene {modulo}.py, que no existe")
        faltan += [f"README.md: la fila de {modulo}.py nombra {nombre}, que no está en el kit"
                   for nombre in re.findall(r"`([A-Za-z_]\w+)`", fila)
                   if re.fullmatch(r"[a-z]+(?:_[a-z0-9]+)+|[A-Z][a-z]+[A-Z]\w*|[A-Z_]{4,}", nombre)
                   and nombre not in kit | de_keras | argumentos]
    return faltan


def test_los_nombres_de_la_tabla_de_modulos_del_readme_existen():
    argumentos = argumentos_conocidos()
    faltan = nombres_de_la_tabla_que_no_existen((conftest.RAIZ / "README.md").read_text(encoding="utf-8"), argumentos)
    assert not faltan, "La tabla de módulos del README nombra lo que no existe:\n" + "\n".join(faltan)
    roto = ("| `tarea.py` | `separar_reserva` y `apartar_reserva`, con `TAMANOS_TAREA`, `MAX_RESERVAS` y `fit` |\n"
            "| `gan_basica.py` | `GANBasica`, `BaseGan` y `train_step`, con `from_logits` y `steps_per_epoch` |\n"
            "| `entrega_vieja.py` | … |")
    assert nombres_de_la_tabla_que_no_existen(roto, argumentos) == [
        "README.md: la fila de tarea.py nombra apartar_reserva, que no está en el kit",
        "README.md: la fila de tarea.py nombra MAX_RESERVAS, que no está en el kit",
        "README.md: la fila de gan_basica.py nombra BaseGan, que no está en el kit",
        "README.md: la tabla tiene entrega_vieja.py, que no existe"]


def test_referencias_que_no_existen_encuentra_las_rotas():
    textos = [
        ("a.md", "Lee `helpers.gan_basica.perdida_generador` y `helpers.entrega.MAX_ENTRENAMIENTO` (se reexportan), "
                 "no `helpers.gan_basica.comprobar_pasos` ni `helpers.revision_entregas.leer_zip`. Con "
                 "`estilo.CAPAS` y `estilo.CAPA`; en [`helpers/gan_basica.py`](x), no en `helpers/entrega_vieja.py`.",
         [" p. ej. estilo.cargar_imagen(\"foto.jpg\", lado=256)"]),
        ("b.md", "```python\nfrom helpers.metricas import distancia_kid, distancia_kdi\n"
                 "gan = crear_gan(16, 1, media_movil=0.999, suavizado=0.1)\n"
                 "helpers.entrenar(gan, datos, 10, carpeta=c, minutos=3)\n"
                 "keras.optimizers.Adam(2e-4, beta_1=0.5)\nmi_funcion(lo_que_sea=1)\n```\n"
                 "Con `abandono=0.3`, `safe_mode=True` o `perdida='bisagra', penalizacion_gradient=10`; "
                 "`transferir_estilo(..., metodo=\"adam\", pasos=10)`. Un enlace no cita argumentos: "
                 "`https://colab.research.google.com/drive/1a?usp=sharing&authuser=1`.", []),
    ]
    faltan = referencias_que_no_existen(fragmentos_de_codigo(textos), {"estilo"}, argumentos_conocidos())
    assert faltan == [
        "a.md: no existe helpers.gan_basica.comprobar_pasos", "a.md: no existe helpers.revision_entregas.leer_zip",
        "a.md: no existe estilo.CAPA", "a.md: no existe el archivo helpers/entrega_vieja.py",
        "a.md: estilo.cargar_imagen() no tiene el argumento lado",
        "b.md: no existe helpers.metricas.distancia_kdi", "b.md: crear_gan() no tiene el argumento suavizado",
        "b.md: helpers.entrenar() no tiene el argumento minutos",
        "b.md: ninguna función del kit tiene el argumento penalizacion_gradient",
        "b.md: transferir_estilo() no tiene el argumento pasos"]
