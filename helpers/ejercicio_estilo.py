"""El ejercicio del cuaderno 05: escribir la matriz de Gram y las pérdidas de contenido y de estilo.

En las celdas del ejercicio, la línea que te toca escribir viene como ``completar("gram", F)``: hace
el cálculo del curso y te recuerda que falta la tuya, para que el cuaderno se ejecute entero aunque aún
no hayas escrito nada. ``comprobar(nombre, tu_funcion)`` compara tu función con ``helpers.estilo``
en unos datos de prueba y, si no coincide, te dice en qué se equivoca.

- ``"gram"``: ``mi_matriz_gram(mapas)``, ``(n, alto, ancho, canales)`` → ``(n, canales, canales)``;
- ``"contenido"``: ``mi_perdida_contenido(mapa, objetivo)``, dos mapas de una capa → escalar;
- ``"estilo"``: ``mi_perdida_estilo(mapa, gram_objetivo)``, un mapa y una Gram de una capa → escalar.
"""

import inspect
import re

import numpy as np
import tensorflow as tf

from .errores import mezcla_de_tipos, primera_linea, tipos_mezclados
from .estudiante import conversion_reducida, linea_del_estudiante, pista_de_nombre, version_sin_ejecutar
from .perdidas_estilo import _error_relativo, matriz_gram, perdida_contenido, perdida_estilo
from .textos import cifra, miles

_PISTAS = {
    "gram": "el producto FᵀF (tf.matmul(F, F, transpose_a=True)) dividido por el número de posiciones",
    "contenido": "la media de (mapa − objetivo)² dividida por la media de objetivo²",
    "estilo": "la pérdida de contenido, pero entre mi_matriz_gram(mapa) y gram_objetivo",
}
# Qué hacer con un tensor de menos precisión (float16, bfloat16) en el ejercicio.
_EN_FLOAT32 = ("los mapas y las pérdidas van en float32: quita la conversión a {tipo} (tf.cast(…, tf.{tipo})) o "
               "vuelve a float32 con tf.cast(…, tf.float32)")
# Lo que recibe cada completar en las celdas del cuaderno.
_ARGUMENTOS = {"gram": "F", "contenido": "mapa, objetivo", "estilo": "gram, gram_objetivo"}
# Cómo llama comprobar a la función de cada ejercicio (la firma de su celda).
_FIRMAS = {"gram": "mi_matriz_gram(mapas)", "contenido": "mi_perdida_contenido(mapa, objetivo)",
           "estilo": "mi_perdida_estilo(mapa, gram_objetivo)"}
_usos = []  # nombres de los ``completar`` llamados durante la última comprobación


def completar(nombre, *datos):
    """Hueco del ejercicio ``nombre``: devuelve el cálculo del curso con ``datos`` y avisa de que falta el tuyo.

    - ``completar("gram", F)``: ``F`` ``(n, posiciones, canales)`` → ``(n, canales, canales)``;
    - ``completar("contenido", mapa, objetivo)`` y ``completar("estilo", gram, gram_objetivo)``:
      el error cuadrático relativo entre los dos tensores, un escalar float32.
    """
    if nombre not in _PISTAS:
        raise ValueError(f"No hay ejercicio «{nombre}»: usa uno de {', '.join(_PISTAS)}.")
    if len(datos) != len(_ARGUMENTOS[nombre].split(", ")):
        raise TypeError(f"completar(\"{nombre}\", …) recibe {_ARGUMENTOS[nombre]}: no borres esos datos de la "
                        f"llamada, completar(\"{nombre}\", {_ARGUMENTOS[nombre]}).")
    _usos.append(nombre)
    if nombre == "gram":
        (filas,) = datos
        return tf.matmul(filas, filas, transpose_a=True) / tf.cast(tf.shape(filas)[1], tf.float32)
    obtenido, objetivo = datos
    # Sin el mensaje de formas de perdida_contenido (habla de la foto): comprobar reconoce el «Incompatible shapes»
    # de TensorFlow para explicar una Gram de forma equivocada.
    return _error_relativo([obtenido], [objetivo])


def _datos_de_prueba():
    """Mapas ``(3, 5, 7, 4)`` ≥ 0 (como tras una ReLU), un objetivo de la misma forma y su Gram.

    Cada divisor equivocado debe dar otros números: con 1 imagen, dividir por n no cambiaría nada, y con 2,
    n·alto·ancho·canales sería 2·canales·alto·ancho.
    """
    azar = np.random.default_rng(0)
    mapas = tf.constant(np.maximum(azar.normal(size=(3, 5, 7, 4)), 0), tf.float32)
    objetivo = tf.constant(np.maximum(azar.normal(size=(3, 5, 7, 4)), 0), tf.float32)
    return mapas, objetivo, matriz_gram(objetivo)


def comprobar(nombre, funcion=None):
    """Compara tu ``funcion`` con la del curso en datos de prueba; devuelve ``True`` si coinciden.

    Si no coinciden, explica en español lo que suele fallar; si coinciden pero aún usas
    ``completar``, te lo recuerda.
    """
    if callable(nombre):
        print("✗ Di también qué ejercicio compruebas: comprobar(\"gram\", mi_matriz_gram) (o \"contenido\", \"estilo\").")
        return False
    if funcion is None:
        print(f"✗ Falta la función: comprobar(\"{nombre}\", mi_funcion).")
        return False
    if not callable(funcion):
        print(f"✗ Pasa la función sin paréntesis: comprobar(\"{nombre}\", mi_funcion), no lo que devuelve mi_funcion(…).")
        return False
    if nombre not in _PISTAS:
        raise ValueError(f"No hay ejercicio «{nombre}»: usa uno de {', '.join(_PISTAS)}.")
    if sin_ejecutar := version_sin_ejecutar(funcion):
        print(f"✗ {sin_ejecutar}")
        return False
    mapas, objetivo, gram_objetivo = _datos_de_prueba()
    argumentos, esperado = {
        "gram": ((mapas,), matriz_gram(mapas)),
        "contenido": ((mapas, objetivo), perdida_contenido([mapas], [objetivo])),
        "estilo": ((mapas, gram_objetivo), perdida_estilo([mapas], [gram_objetivo])),
    }[nombre]
    _usos.clear()
    nombre_funcion = getattr(funcion, "__name__", "tu función")
    try:
        devuelto = funcion(*argumentos)
    except Exception as error:  # el código del estudiante puede fallar de cualquier manera
        linea = linea_del_estudiante(error)
        # Sin más marcos que este, Python no llegó a entrar en la función: no acepta esos argumentos.
        al_llamar = isinstance(error, TypeError) and error.__traceback__.tb_next is None
        pista = (f"comprobar(\"{nombre}\", …) llama a tu función como {_FIRMAS[nombre]}: ¿es la función de este "
                 "ejercicio? Deja los parámetros que trae su celda" if al_llamar
                 else pista_de_nombre(error) or _pista_del_error(nombre, str(error), linea, _ejes(funcion, argumentos)))
        print(f"✗ {nombre_funcion} lanzó {type(error).__name__}: {primera_linea(error)}\n"
              + (f"  Tu línea: {linea}\n" if linea and not al_llamar else "")
              + f"  Pista: {pista}{'' if pista.endswith('?') else '.'}")
        return False
    try:
        if isinstance(devuelto, (str, bytes)):  # NumPy convertiría el texto «0.53» en un número
            raise TypeError
        obtenido = None if devuelto is None or isinstance(devuelto, tuple) else np.asarray(devuelto, np.float64)
    except (TypeError, ValueError):  # p. ej. un texto, o una lista de tensores de formas distintas
        print(f"✗ {nombre_funcion} devolvió {type(devuelto).__name__}, que no es un tensor de números: devuelve "
              f"{'la matriz de Gram' if nombre == 'gram' else 'la pérdida'}. Pista: {_PISTAS[nombre]}.")
        return False
    if devuelto is None:
        print(f"✗ {nombre_funcion} devolvió None: ¿falta el return al final? Pista: {_PISTAS[nombre]}.")
        return False
    if isinstance(devuelto, tuple):  # NumPy solo diría «inhomogeneous shape»
        que = "la matriz de Gram: return G" if nombre == "gram" else "la pérdida: return perdida"
        cuantos = ("una tupla de un solo valor (¿sobra una coma al final del return?)" if len(devuelto) == 1
                   else f"{len(devuelto)} valores separados por comas")
        print(f"✗ {nombre_funcion} devolvió {cuantos}: devuelve solo {que}.")
        return False
    esperado = np.asarray(esperado, np.float64)
    if obtenido.shape == esperado.shape and np.allclose(obtenido, esperado, rtol=1e-4, atol=1e-6):
        if nombre in _usos:
            print(f"✓ {nombre_funcion} coincide, pero aún usa completar(\"{nombre}\", …): cámbialo por tu línea "
                  f"({_PISTAS[nombre]}) y vuelve a comprobar.")
        else:
            print(f"✓ {nombre_funcion} coincide con helpers.estilo. ¡Bien!")
        return True
    diagnostico = (_precision(devuelto, funcion, obtenido, esperado)
                   or _diagnostico(nombre, obtenido, esperado, argumentos))
    print(f"✗ {nombre_funcion} no coincide con helpers.estilo: {diagnostico}")
    return False


def _precision(devuelto, funcion, obtenido, esperado):
    """Por qué ``obtenido`` casi coincide con ``esperado`` si ``funcion`` calcula en float16 o bfloat16 (lo devuelve así
    o su código convierte algo a ese tipo); si se aparta más, o no hay conversión, ``""``."""
    if obtenido.shape != esperado.shape or not np.allclose(obtenido, esperado, rtol=0.05, atol=1e-6):
        return ""
    tipo = getattr(getattr(devuelto, "dtype", None), "name", "")
    if tipo not in ("float16", "bfloat16"):
        try:
            tipo = conversion_reducida(inspect.getsource(funcion))
        except (OSError, TypeError):  # definida con exec, sin archivo ni celda que leer
            return ""
    return tipo and (f"calculas en {tipo}, que guarda muchas menos cifras que float32, y el resultado se aparta del "
                     f"del curso; {_EN_FLOAT32.format(tipo=tipo)}.")


def _ejes(funcion, argumentos):
    """``{parámetro de funcion: ejes del argumento que recibe}``; ``{}`` si su firma no se puede leer."""
    try:
        parametros = inspect.signature(funcion).parameters
    except (TypeError, ValueError):
        return {}
    return {parametro: len(argumento.shape) for parametro, argumento in zip(parametros, argumentos)}


def _pista_del_error(nombre, texto, linea, ejes):
    """La pista para un error de TensorFlow o NumPy típico del ejercicio ``nombre`` (``linea``: la del estudiante que
    falló; ``ejes``: los de cada parámetro de su función, de ``_ejes``); si no, la general."""
    if reducido := next((t for t in tipos_mezclados(texto) if t in ("float16", "bfloat16")), None):
        return f"{mezcla_de_tipos(reducido, 'los mapas')}; {_EN_FLOAT32.format(tipo=reducido)}"
    if "batch dimensions" in texto or "In[0] and In[1]" in texto:
        return ("tf.transpose(F) invierte todos los ejes, también el del lote: usa tf.matmul(F, F, transpose_a=True) "
                "(o tf.transpose(F, perm=[0, 2, 1]))")
    if "has no attribute 'T'" in texto:
        return ("los tensores de TensorFlow no tienen .T (es de NumPy, y allí invertiría también el eje del lote): usa "
                "tf.matmul(F, F, transpose_a=True)")
    if nombre == "gram" and ("core dimension" in texto or "not aligned" in texto):
        return (".T y np.transpose de NumPy invierten todos los ejes, también el del lote: usa "
                "tf.matmul(F, F, transpose_a=True)")
    if "float64" in texto or "double tensor" in texto:
        return "los mapas son float32: convierte el divisor a tf.float32, no a tf.float64 (tf.cast(…, tf.float32))"
    if "same dtype" in texto or "int32" in texto:
        return "tf.shape da enteros: conviértelos con tf.cast(…, tf.float32) antes de dividir"
    if nombre == "estilo" and "expected 4, got 3" in texto:
        return ("gram_objetivo ya es una matriz de Gram (n, canales, canales): no le apliques mi_matriz_gram, "
                "compárala tal cual con mi_matriz_gram(mapa)")
    # Según lo que desempaqueta: un mapa (cuatro ejes) o gram_objetivo (tres); de otra variable no se sabe.
    forma = re.search(r"=\s*(?:(\w+)\.shape\b|tf\.shape\((\w+)\))", linea) if "values to unpack" in texto else None
    variable = forma and (forma[1] or forma[2])
    if ejes.get(variable) == 4:
        return ("los mapas tienen cuatro ejes, (n, alto, ancho, canales): recoge los cuatro, n, alto, ancho, canales = "
                f"{variable}.shape")
    if ejes.get(variable) == 3:
        return (f"{variable} es una matriz de Gram, con tres ejes, (n, canales, canales): recoge los tres, p. ej. "
                f"n, canales, _ = {variable}.shape")
    if numeros := re.search(r"Input to reshape is a tensor with (\d+) values, but the requested shape has (\d+)",
                            texto):
        return (f"tf.reshape no cambia cuántos números hay, y pides una forma de {numeros[2]} para {numeros[1]}: "
                "F = tf.reshape(mapas, (n, alto * ancho, canales)) los conserva todos")
    if "Too many arguments" in texto and "reshape" in linea:
        return "la forma nueva va entre paréntesis, como una tupla: tf.reshape(mapas, (n, alto * ancho, canales))"
    if nombre == "estilo" and (formas := re.search(r"Incompatible shapes: \[([\d,]*)\] vs\. \[([\d,]*)\]", texto)):
        if sorted(forma.count(",") + 1 for forma in formas.groups()) == [3, 4]:
            return "comparas un mapa con una Gram: calcula antes gram = mi_matriz_gram(mapa) y compara las dos Gram"
        return ("comparas dos Gram de formas distintas: las dos deben ser (n, canales, canales); comprueba antes la "
                "tuya con comprobar(\"gram\", mi_matriz_gram)")
    return _PISTAS[nombre]


def _f_mezclada(mapas):
    """La F «canales × posiciones» de la lección 4 hecha con tf.reshape, sin trasponer: ``(n, canales, posiciones)``."""
    n, alto, ancho, canales = mapas.shape
    return np.asarray(mapas, np.float64).reshape(n, canales, alto * ancho)


def _proporcionales(a, b):
    """Si ``a`` es ``b`` por un número positivo: el mismo producto, dividido por lo que sea."""
    if a.shape != b.shape:
        return False
    escala = np.sum(a * b) / np.sum(b * b)
    return escala > 0 and np.allclose(a, escala * b, rtol=1e-4, atol=1e-6 * np.abs(a).max())


def _producto_centrado(filas, ejes):
    """FᵀF de ``filas`` ``(n, posiciones, canales)`` menos su media en los ``ejes`` (``None``: la de todo)."""
    centradas = filas - filas.mean(axis=ejes, keepdims=True)
    return np.transpose(centradas, (0, 2, 1)) @ centradas


def _errores_tipicos(nombre, mapas, segundo):
    """``{explicación: valor}`` de los errores más comunes en el ejercicio ``nombre``, en NumPy."""
    m = np.asarray(mapas, np.float64)
    n, alto, ancho, canales = m.shape
    filas = m.reshape(n, alto * ancho, canales)
    sin_dividir = np.transpose(filas, (0, 2, 1)) @ filas
    if nombre == "gram":
        mezcladas = _f_mezclada(m)
        covarianza = _producto_centrado(filas, 1)  # cada canal menos su media en cada imagen
        posiciones = alto * ancho
        gatys = canales**2 * posiciones**2  # N²·M²: Gatys et al. llaman N a los canales y M a las posiciones
        # Por qué el curso divide como divide, para las pistas de quien divide por otra cosa.
        media = ("cada entrada de la Gram suma un producto por posición, y dividir por cuántas hay da su media, que no "
                 "crece con el tamaño de la imagen")
        de_media = "cuánto se activa de media cada canal (qué colores y trazos abundan) también es estilo"
        sin_centrar = (f"El curso usa los mapas tal cual porque {de_media}, y la covarianza lo borra: la Gram es la "
                       "covarianza «salvo la media» (lección 4)")
        de_gatys = ("(lección 4; N = canales, M = posiciones): en Gatys et al. va en la pérdida de estilo, no en la "
                    "Gram, y el curso lo cambia por el error relativo de mi_perdida_estilo. Aquí la Gram es la media "
                    f"de los productos: {media}. Divide FᵀF solo por alto·ancho ({posiciones})")
        return {
            f"olvidaste dividir por el número de posiciones (alto·ancho = {alto * ancho})": sin_dividir,
            f"dividiste por los canales ({canales}); se divide por el número de posiciones (alto·ancho = {alto * ancho})":
            sin_dividir / canales,
            f"dividiste por canales² ({canales**2}); el curso divide por el número de posiciones (alto·ancho = "
            f"{posiciones}): {media}. Los canales dicen cuántas entradas tiene la Gram, no cuántos productos suma "
            "cada una: cambia el divisor por alto * ancho": sin_dividir / canales**2,
            f"dividiste por alto·ancho − 1 ({posiciones - 1}), como en una covarianza muestral; el curso hace la media "
            f"sobre las {posiciones} posiciones: el − 1 compensa haber restado a los datos su propia media, y la Gram "
            "no resta ninguna. Quita el − 1 del divisor": sin_dividir / (posiciones - 1),
            "restaste a cada canal su media antes de multiplicar: eso da la matriz de covarianzas, no la de Gram. "
            f"{sin_centrar}. Quita la resta de la media y divide FᵀF por el número de posiciones":
            covarianza / posiciones,
            f"calculaste la covarianza muestral, como np.cov: restaste a cada canal su media y dividiste por "
            f"alto·ancho − 1 ({posiciones - 1}). {sin_centrar}; sin media restada, el − 1 tampoco hace falta. Quita "
            f"la resta y divide FᵀF por las {posiciones} posiciones": covarianza / (posiciones - 1),
            f"restaste a cada canal su media en todo el lote, con las {n} imágenes juntas: así la Gram de cada imagen "
            "depende de las otras del lote (con otro lote saldría otra), y centrando en cada imagen sería una "
            f"covarianza, no la Gram. {sin_centrar}. Quita la resta de la media y divide FᵀF por el número de "
            "posiciones": _producto_centrado(filas, (0, 1)) / posiciones,
            f"restaste la media del eje 0, que en F (n, posiciones, canales) es el del lote, no el de las posiciones: "
            f"cada número menos su media en las {n} imágenes, así que la Gram de cada imagen depende de las otras del "
            f"lote. Restar la media de cada canal en cada imagen tampoco vale, daría una covarianza. {sin_centrar}. "
            "Quita la resta de la media y divide FᵀF por el número de posiciones":
            _producto_centrado(filas, 0) / posiciones,
            "restaste la media de todos los números de F (tf.reduce_mean sin axis=), también los de las otras "
            "imágenes del lote y los de los otros canales: así la Gram de cada imagen depende de todo el lote. El "
            f"curso no resta ninguna media porque {de_media} (lección 4). Quita la resta de la media y divide FᵀF por "
            "el número de posiciones": _producto_centrado(filas, None) / posiciones,
            f"dividiste por 4·N²·M² ({miles(4 * gatys)}), el factor de Gatys et al. {de_gatys}":
            sin_dividir / (4 * gatys),
            f"dividiste por N²·M² ({miles(gatys)}), el factor de Gatys et al. sin el 4 {de_gatys}": sin_dividir / gatys,
            f"dividiste por 2·N·M ({2 * canales * posiciones}): al elevar al cuadrado la diferencia de dos Gram así "
            f"divididas sale el factor 4·N²·M² de Gatys et al. {de_gatys}": sin_dividir / (2 * canales * posiciones),
            f"dividiste por n, el número de imágenes del lote ({n}); se divide por el número de posiciones "
            f"(alto·ancho = {alto * ancho})": sin_dividir / n,
            "dividiste también por n, el número de imágenes del lote: solo se divide por las posiciones": sin_dividir
            / (n * alto * ancho),
            "dividiste también por el número de canales: solo se divide por las posiciones": sin_dividir
            / (alto * ancho * canales),
            "«/ alto * ancho» divide por alto y multiplica por ancho: pon paréntesis, / (alto * ancho)": sin_dividir
            / alto * ancho,
            "«/ ancho * alto» divide por ancho y multiplica por alto: pon paréntesis, / (ancho * alto)": sin_dividir
            / ancho * alto,
            "tf.reshape(mapas, (n, canales, alto * ancho)) no traspone F: reordena los números y mezcla posiciones y "
            "canales. Deja F = tf.reshape(mapas, (n, alto * ancho, canales)) y usa tf.matmul(F, F, transpose_a=True)":
            mezcladas @ np.transpose(mezcladas, (0, 2, 1)) / (alto * ancho),
            f"dividiste por todos los números de F (n·alto·ancho·canales = {n * alto * ancho * canales}, lo que da "
            f"tf.size); se divide solo por el número de posiciones (alto·ancho = {alto * ancho})":
            sin_dividir / (n * alto * ancho * canales),
            "«//» es la división entera, que redondea hacia abajo: usa /, tf.matmul(F, F, transpose_a=True) / "
            "(alto * ancho)": np.floor(sin_dividir / (alto * ancho)),
        }
    a = sin_dividir / (alto * ancho) if nombre == "estilo" else m
    b, objetivo = np.asarray(segundo, np.float64), "gram_objetivo" if nombre == "estilo" else "objetivo"
    error = np.mean((a - b) ** 2)
    tipicos = {
        "falta dividir por la media del objetivo al cuadrado, tf.reduce_mean(objetivo ** 2)": error,
        "dividiste por la energía de lo obtenido; se divide por la del objetivo": error / np.mean(a**2),
        "sumaste los cuadrados (tf.reduce_sum) donde va la media (tf.reduce_mean)": np.sum((a - b) ** 2)
        / np.mean(b**2),
        "usaste el valor absoluto donde va el cuadrado": np.mean(np.abs(a - b)) / np.mean(np.abs(b)),
        "sale la raíz de la pérdida: no hace falta tf.sqrt": np.sqrt(error / np.mean(b**2)),
        f"dividiste por el cuadrado de la media, tf.reduce_mean({objetivo}) ** 2; va la media de los cuadrados, "
        f"tf.reduce_mean(tf.square({objetivo}))": error / np.mean(b) ** 2,
        f"dividiste por la media de {objetivo} sin elevarlo al cuadrado: va tf.reduce_mean(tf.square({objetivo}))":
        error / np.mean(b),
        "pusiste la fracción al revés: arriba va el error, la media de la diferencia al cuadrado, y abajo la media "
        f"de {objetivo}²": np.mean(b**2) / error,
    }
    diferencia = "gram - gram_objetivo" if nombre == "estilo" else "mapa - objetivo"
    tipicos[f"elevas al cuadrado la media de la diferencia, y va al revés: la media de los cuadrados, "
            f"tf.reduce_mean(tf.square({diferencia})); si no, las diferencias positivas y negativas se anulan antes de "
            "contar"] = np.mean(a - b) ** 2 / np.mean(b**2)
    if nombre == "contenido":
        tipicos["sobra el ½ de la fórmula de Gatys et al. (lección 4): la del curso, un error relativo, no lo lleva"] = (
            error / np.mean(b**2) / 2)
    return tipicos


def _diagnostico(nombre, obtenido, esperado, argumentos):
    """Qué se suele hacer mal para dar ``obtenido`` en lugar de ``esperado``, en una frase."""
    mapas = argumentos[0]
    if obtenido.shape != esperado.shape:
        posiciones = mapas.shape[1] * mapas.shape[2]
        if nombre == "gram" and obtenido.shape[-2:] == (posiciones, posiciones):
            mezcladas = _f_mezclada(mapas)
            if _proporcionales(obtenido, np.transpose(mezcladas, (0, 2, 1)) @ mezcladas):
                return (f"sale {obtenido.shape} en vez de {esperado.shape}: tf.reshape(mapas, (n, canales, alto * "
                        "ancho)) pone los canales delante en la forma, pero no traspone los mapas: solo reparte sus "
                        "números en otra forma. Con esa F, transpose_a=True da posiciones × posiciones, y "
                        "transpose_b=True, canales × canales pero con posiciones y canales mezclados. Lleva los canales "
                        "al final, F = tf.reshape(mapas, (n, alto * ancho, canales)), y deja transpose_a=True; o, para "
                        "la F canales × posiciones de la lección 4, trasponlos antes del reshape con "
                        "tf.transpose(mapas, (0, 3, 1, 2)) y usa transpose_b=True.")
            return (f"sale {obtenido.shape} en vez de {esperado.shape}: multiplicaste F·Fᵀ (posiciones × "
                    "posiciones); la Gram es Fᵀ·F (canales × canales): usa transpose_a=True.")
        if nombre == "gram" and obtenido.shape == esperado.shape[1:]:
            return (f"sale una sola Gram {obtenido.shape} y debe salir una por imagen del lote, {esperado.shape}: "
                    "conserva el eje del lote, tf.reshape(mapas, (n, alto * ancho, canales)), sin tf.reduce_mean ni "
                    "[0] sobre el eje 0.")
        if nombre != "gram":
            return (f"debe salir un escalar, un solo número, y sale un tensor de forma {obtenido.shape}: tf.reduce_mean "
                    f"sin axis= hace la media de todos los elementos, también de las imágenes del lote. Pista: "
                    f"{_PISTAS[nombre]}.")
        return f"la forma es {obtenido.shape} y debería ser {esperado.shape}. Pista: {_PISTAS[nombre]}."
    if not np.isfinite(obtenido).all():
        return ("sale NaN o infinito: ¿divides elemento a elemento? Los mapas tras una ReLU tienen ceros; divide "
                f"las medias, no cada elemento. Pista: {_PISTAS[nombre]}.")
    segundo = argumentos[1] if len(argumentos) > 1 else None
    for explicacion, valor in _errores_tipicos(nombre, mapas, segundo).items():
        if np.allclose(obtenido, valor, rtol=1e-4, atol=1e-6):
            return explicacion + "."
    if np.allclose(obtenido, -esperado, rtol=1e-4, atol=1e-6):
        return "tiene el signo cambiado: una pérdida (y una Gram de mapas ReLU) nunca es negativa."
    if nombre == "estilo":
        return (f"vale {cifra(float(obtenido), significativas=5)} y debería valer "
                f"{cifra(float(esperado), significativas=5)}. Comprueba antes que "
                f"mi_matriz_gram coincide; después: {_PISTAS[nombre]}.")
    diferencia = float(np.abs(obtenido - esperado).max())
    return f"la mayor diferencia es {cifra(diferencia, significativas=3)}. Pista: {_PISTAS[nombre]}."
