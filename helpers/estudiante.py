"""El código del estudiante: dónde está en una traza o en la pila y si es su última versión de la celda.

Los ejercicios y los avisos del kit señalan la línea del estudiante, no una del kit, de Keras o de Python:
``linea_del_estudiante`` la busca en la traza de un error y ``nivel_del_estudiante`` da el ``stacklevel`` con el que
``warnings.warn`` la señala. ``version_sin_ejecutar`` avisa cuando lo que comprueba un ejercicio no es la última
versión que escribió de su celda (p. ej. porque tenía un error de sintaxis y Python no ejecutó nada de ella), y
``pista_de_nombre``, qué nombre quería escribir cuando usa uno que no existe (una variable, un atributo de un módulo o
un argumento con nombre de una función), con ``nombre_parecido``; ``llamadas_en`` lee en su código a qué funciones
llama y con qué argumentos con nombre, y ``conversion_reducida``, si convierte algo a float16 o bfloat16. No dependen
de ningún otro módulo del kit.
"""

import ast
import builtins
import difflib
import functools
import inspect
import keyword
import linecache
import os
import re
import site
import sys
import sysconfig
import traceback
import types
import warnings

import numpy as np

# Magias de línea que ejecutan código guardado en otro sitio (un archivo, celdas anteriores, el portapapeles…).
MAGIAS_QUE_EJECUTAN = ("run", "rerun", "recall", "load", "loadpy", "macro", "paste", "cpaste", "store")


@functools.cache
def _carpetas_ajenas():
    """Carpetas de código que no es del estudiante: Python, los paquetes instalados y el propio kit."""
    import keras
    import tensorflow as tf

    carpetas = (*(sysconfig.get_paths()[clave] for clave in ("stdlib", "platstdlib", "purelib", "platlib")),
                site.getusersitepackages(), *(os.path.dirname(modulo.__file__) for modulo in (tf, keras, np)),
                os.path.dirname(__file__))
    return tuple({os.path.join(os.path.realpath(carpeta), "") for carpeta in carpetas})


def linea_del_estudiante(error):
    """La última línea de la traza de ``error`` que no es de Python, de un paquete ni del kit (la del estudiante,
    en su archivo o en su celda, cuyo texto guarda IPython), o ``""`` si no la hay. En un error de una
    ``tf.function`` del estudiante, la traza solo tiene el código que genera autograph: la línea sale del mensaje,
    que cita las del estudiante («File "…", line 20, in train_step  *» y debajo, su texto)."""
    citadas = re.findall(r'File "([^"]*)", line \d+, in \S+ +\*\n +(.+)', str(error))
    for archivo, linea in reversed([(marco.filename, marco.line) for marco in traceback.extract_tb(error.__traceback__)]
                                   + citadas):
        if _del_estudiante(archivo, linea):
            return linea.strip()
    return ""


def _del_estudiante(archivo, linea):
    """Si la línea ``linea`` de ``archivo`` (de una traza) es del estudiante: con texto, y ni de Python, ni de un
    paquete, ni del kit, ni del código que genera autograph."""
    return bool(linea) and "__autograph_generated_file" not in archivo and not os.path.realpath(archivo).startswith(
        _carpetas_ajenas())


def pista_de_nombre(error):
    """Qué hacer con un nombre que no existe, en español, o ``""``: si ``error`` es un ``AttributeError`` de un nombre
    mal escrito de un módulo, «tf.matmult no existe: ¿querías decir tf.matmul?» (con el módulo como lo escribió el
    estudiante); si es un ``NameError``, el nombre parecido que sí existe en ese punto, o que falta definirlo; si la
    función a la que llamó no tiene un argumento con ese nombre, «tf.matmul no tiene ningún argumento transpose_A:
    ¿querías decir transpose_a=True?»."""
    nombre = getattr(error, "name", None)
    if isinstance(error, AttributeError) and isinstance(modulo := getattr(error, "obj", None), types.ModuleType) and nombre:
        parecido = nombre_parecido(nombre, [n for n in dir(modulo) if not n.startswith("_")])
        escrito = re.search(rf"([\w.]+)\.{re.escape(nombre)}\b", linea_del_estudiante(error))
        prefijo = escrito[1] if escrito else modulo.__name__.rpartition(".")[2]
        return f"{prefijo}.{nombre} no existe: ¿querías decir {prefijo}.{parecido}?" if parecido else ""
    if isinstance(error, (TypeError, ValueError)):
        return _pista_de_argumento(error)
    if not (isinstance(error, NameError) and not isinstance(error, UnboundLocalError) and nombre):
        return ""
    traza = error.__traceback__
    while traza.tb_next is not None:
        traza = traza.tb_next
    marco = traza.tb_frame
    visibles = [n for n in (*marco.f_locals, *marco.f_globals) if not n.startswith("_")]
    if parecido := nombre_parecido(nombre, visibles):
        return f"{nombre} no existe: ¿querías decir {parecido}?"
    return f"{nombre} no existe en ese punto: ¿una errata, o falta definirlo (o importarlo) antes?"


def nombre_parecido(nombre, candidatos):
    """El candidato más parecido a ``nombre``, o ``None`` si ninguno se le parece. Sin distinguir mayúsculas, la errata
    más fácil: con transpose_A, transpose_a y no transpose_b, que se le parece lo mismo."""
    por_minusculas = {}
    for candidato in candidatos:
        por_minusculas.setdefault(candidato.lower(), candidato)
    parecidos = difflib.get_close_matches(nombre.lower(), por_minusculas, n=1, cutoff=0.6)
    return por_minusculas[parecidos[0]] if parecidos else None


# Cómo dicen Python, TensorFlow y Keras que una función recibió un argumento con un nombre que no tiene.
_ARGUMENTO_DESCONOCIDO = (
    r"unexpected keyword argument '(\w+)'",  # Python («f() got an …») y TensorFlow («Got an …»)
    r"Unrecognized keyword arguments? passed to \w+: \{'(\w+)'",  # las capas de Keras
    r"Argument\(s\) not recognized: \{'(\w+)'",  # los optimizadores de Keras
)


def _pista_de_argumento(error):
    """«tf.matmul no tiene ningún argumento transpose_A: ¿querías decir transpose_a=True?» si ``error`` dice que una
    función no tiene un argumento con nombre que le pasó el estudiante, o que le falta uno obligatorio que escribió con
    otro nombre (p. ej. kernel=4 en lugar de kernel_size=4); si no, ``""``."""
    texto = str(error)
    desconocido = next((m[1] for patron in _ARGUMENTO_DESCONOCIDO if (m := re.search(patron, texto, re.I))), None)
    faltan = re.findall(r"'(\w+)'", texto.partition("missing")[2]) if re.search(r"missing \d+ required", texto) else []
    if not (desconocido or faltan):
        return ""
    marco, instruccion = _instruccion_del_estudiante(error)
    for funcion, argumentos in llamadas_en(instruccion):
        propios = _argumentos_de(_resolver(funcion, marco))
        for argumento, valor in argumentos.items():
            ajeno = argumento == desconocido or faltan and propios and argumento not in propios
            if not ajeno:
                continue
            parecido = nombre_parecido(argumento, faltan or propios)
            if not parecido and desconocido and (sugerido := re.search(r"Did you mean '(\w+)'", texto)):
                parecido = sugerido[1]  # las versiones recientes de Python lo sugieren, en inglés
            if parecido:
                valor = re.sub(r"\s+", " ", valor)  # uno escrito en varias líneas, en una
                return f"{funcion} no tiene ningún argumento {argumento}: ¿querías decir {parecido}={valor}?"
            if desconocido and propios:
                return f"{funcion} no tiene ningún argumento {argumento}: los suyos son {', '.join(propios)}"
    if desconocido:
        return f"la función a la que llamas no tiene ningún argumento {desconocido}: ¿una errata en su nombre?"
    return ""


def _instruccion_del_estudiante(error):
    """El marco de la última línea del estudiante en la traza de ``error`` y el texto de su instrucción desde esa línea
    (puede ocupar varias: hasta que se cierran sus paréntesis); ``(None, "")`` si no la hay."""
    pasos = list(traceback.walk_tb(error.__traceback__))
    for (marco, _), resumen in reversed(list(zip(pasos, traceback.StackSummary.extract(pasos)))):
        archivo = resumen.filename
        if not _del_estudiante(archivo, resumen.line):
            continue
        # TensorFlow rehace la traza de sus errores y deja solo la primera línea de la instrucción (end_lineno no sirve).
        texto, numero = "", resumen.lineno
        while linea := linecache.getline(archivo, numero):
            texto, numero = texto + linea, numero + 1
            sin_textos = re.sub(r"#[^\n]*|'[^'\n]*'|\"[^\"\n]*\"", "", texto)
            if sum(sin_textos.count(c) for c in "([{") <= sum(sin_textos.count(c) for c in ")]}"):
                break
        return marco, texto or resumen.line
    return None, ""


def llamadas_en(texto):
    """Las llamadas a una función con nombre en ``texto``, ``[(función como se escribió, {argumento: valor escrito})]``,
    con solo los argumentos con nombre; de la más interna a la más externa."""
    encontradas, abiertas, i = [], [], 0
    while i < len(texto):
        caracter = texto[i]
        if caracter in "\"'#":  # un texto entre comillas o un comentario: sus paréntesis y comas no cuentan
            cierre = texto.find("\n" if caracter == "#" else caracter, i + 1)
            i = len(texto) if cierre < 0 else cierre + 1
            continue
        if caracter in "([{":
            funcion = re.search(r"([A-Za-z_][\w.]*)\s*$", texto[:i]) if caracter == "(" else None
            es_llamada = funcion and not keyword.iskeyword(funcion[1])  # no «return (…)» ni «if (…)»
            abiertas.append((funcion[1] if es_llamada else None, [i]))
        elif caracter == "," and abiertas:
            abiertas[-1][1].append(i)
        elif caracter in ")]}" and abiertas:
            funcion, comas = abiertas.pop()
            if funcion:
                partes = (texto[a + 1:b] for a, b in zip(comas, comas[1:] + [i]))
                argumentos = dict(m.groups() for parte in partes
                                  if (m := re.fullmatch(r"\s*(\w+)\s*=(?!=)\s*(.*?)\s*", parte, re.S)))
                encontradas.append((funcion, argumentos))
        i += 1
    return encontradas


def conversion_reducida(codigo):
    """``"float16"`` o ``"bfloat16"`` si ``codigo`` nombra uno de esos tipos (``tf.float16``, ``"bfloat16"``,
    ``tf.half``…), el de una conversión a menos precisión que float32; si no, ``""``."""
    tipo = re.search(r"\b(?:tf|np|keras)\.(b?float16|half)\b|[\"'](b?float16)[\"']", codigo)
    return "" if tipo is None else "float16" if tipo[1] == "half" else tipo[1] or tipo[2]


def _resolver(nombre, marco):
    """El objeto al que se refiere ``nombre`` («tf.matmul», «self.opt_generador.apply») en ``marco``, o ``None``."""
    if marco is None:
        return None
    primero, *resto = nombre.split(".")
    objeto = next((espacio[primero] for espacio in (marco.f_locals, marco.f_globals, vars(builtins))
                   if primero in espacio), None)
    try:
        for parte in resto:
            objeto = getattr(objeto, parte)
    except Exception:  # una propiedad del estudiante puede fallar de cualquier manera
        return None
    return objeto


def _argumentos_de(funcion):
    """Los argumentos que ``funcion`` admite por nombre; de una clase, también los de las clases de las que hereda
    (una capa de Keras pasa ``name`` o ``dtype`` a ``Layer``), pero de esas solo los que tienen valor por defecto: los
    obligatorios los pone la propia clase (``Conv2D`` da ``rank`` a la convolución genérica, y no lo admite). ``[]`` si
    no se puede saber. Una capa o un modelo de Keras ya creados se llaman con los argumentos de su ``call``
    (``self.generador(z, training=True)``)."""
    import keras

    if isinstance(funcion, keras.layers.Layer):
        funcion = funcion.call
    fuentes = [clase.__init__ for clase in funcion.__mro__] if isinstance(funcion, type) else [funcion]
    nombres = []
    for orden, fuente in enumerate(fuentes):
        try:
            parametros = inspect.signature(fuente).parameters.values()
        except (TypeError, ValueError):  # None, o una función de C sin firma
            continue
        nombres += [p.name for p in parametros if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                    and p.name != "self" and p.name not in nombres and (orden == 0 or p.default is not p.empty)]
    return nombres


def version_sin_ejecutar(objeto):
    """Si ``objeto`` (la función o clase que va a comprobar un ejercicio) no es la última versión que el estudiante
    escribió de su celda, la explicación en español; si no, o fuera de IPython, ``""``.

    Python compila la celda entera antes de ejecutarla: con un error de sintaxis no ejecuta nada y sigue definida la
    versión anterior (la que ya pasaba, o la del curso con ``completar``). IPython guarda en su historial también
    las celdas que no llegaron a ejecutarse; se compara la celda que definió ``objeto`` con la última que lo define."""
    try:
        return _version_sin_ejecutar(objeto)
    except Exception:  # es una comprobación de más: un historial raro (``In`` es del estudiante) no impide la del ejercicio
        return ""


def _version_sin_ejecutar(objeto):
    shell = getattr(sys.modules.get("IPython"), "get_ipython", lambda: None)()
    nombre = getattr(objeto, "__name__", None)
    # Solo lo que el espacio del estudiante llama así: otro objeto con ese nombre lo pasó a propósito.
    if shell is None or nombre is None or shell.user_ns.get(nombre) is not objeto:
        return ""
    if isinstance(objeto, type):  # una clase no guarda su celda; sus métodos sí
        funciones = [f for f in vars(objeto).values()
                     if isinstance(f, types.FunctionType) and f.__qualname__.startswith(f"{objeto.__qualname__}.")]
    else:
        funciones = [inspect.unwrap(objeto)]
    codigo = getattr(funciones[0], "__code__", None) if funciones else None
    if codigo is None:
        return ""
    define = re.compile(rf"^(?:async\s+)?(?:def|class)\s+{re.escape(nombre)}\b", re.M)
    celdas = [_sin_espacios_finales(celda) for celda in shell.history_manager.input_hist_parsed]
    ejecutada = _sin_espacios_finales("".join(linecache.getlines(codigo.co_filename)))
    if ejecutada not in celdas or not define.search(ejecutada):  # definido en un archivo, con exec o dentro de otra cosa
        return ""
    indice = max(i for i, celda in enumerate(celdas) if define.search(celda))
    ultima = celdas[indice]
    # Después pudo definirlo algo que en el historial no se ve como «def»: una asignación (mi_funcion = la_que_guardó),
    # una magia de celda que lo nombra (%%capture con la definición dentro) o una que ejecuta código de otro sitio
    # (%run, %rerun…). IPython guarda las magias como llamadas a get_ipython(); las demás (%matplotlib, !pip) no cuentan.
    nombrado = re.escape(nombre)
    redefine = re.compile(rf"^{nombrado}\s*=(?!=)|get_ipython\(\)\.run_line_magic\('(?:{'|'.join(MAGIAS_QUE_EJECUTAN)})'"
                          rf"|get_ipython\(\)\.run_line_magic\('\w+', '{nombrado}\s*=(?!=)"  # %time mi_funcion = …
                          rf"|get_ipython\(\)\.run_cell_magic\(.*\b{nombrado}\b", re.M | re.S)
    if ultima == ejecutada or any(redefine.search(celda) for celda in celdas[indice + 1:]):
        return ""
    try:
        with warnings.catch_warnings():  # sus avisos (p. ej. «invalid escape sequence») ya los vio al ejecutarla
            warnings.simplefilter("ignore")
            compile(ultima, "<celda>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)  # IPython admite await fuera de async
    except SyntaxError as error:
        donde = f" en su línea {error.lineno} («{error.text.strip()}»)" if error.lineno and error.text else ""
        return (f"Tu última versión de la celda de {nombre} no llegó a ejecutarse: tiene un error de sintaxis{donde}, "
                "y Python no ejecuta nada de una celda que no puede leer entera. Corrígelo y ejecuta esa celda antes de "
                "comprobar; si no, lo que se comprueba es la versión anterior.")
    return (f"Tu última versión de la celda de {nombre} no llegó a definir {nombre}: la celda falló antes de llegar a "
            "la definición. Corrige el error que mostró y ejecútala antes de comprobar; si no, lo que se comprueba es la "
            "versión anterior.")


def _sin_espacios_finales(texto):
    """``texto`` sin espacios al final de cada línea ni líneas vacías al final: no cambian lo que define."""
    return "\n".join(linea.rstrip() for linea in texto.splitlines()).rstrip("\n")


def nivel_del_estudiante():
    """El ``stacklevel`` con el que ``warnings.warn``, llamado por quien llama a esta función, señala la línea del
    estudiante (la primera hacia fuera que no es de Python, de un paquete ni del kit), llame al kit directamente o a
    través de otros ayudantes; sin ella (p. ej. desde ``python -m helpers``), la más externa."""
    marco, nivel = sys._getframe(1), 1
    while marco.f_back is not None and os.path.realpath(marco.f_code.co_filename).startswith(_carpetas_ajenas()):
        marco, nivel = marco.f_back, nivel + 1
    return nivel
