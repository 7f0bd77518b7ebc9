"""El ejercicio del cuaderno 05: la comprobación acepta lo correcto y explica los errores típicos."""

import pytest
import tensorflow as tf

from helpers import ejercicio_estilo as ejercicio


def gram_bien(mapas):
    n, alto, ancho, canales = mapas.shape
    filas = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(filas, filas, transpose_a=True) / (alto * ancho)


def gram_sin_dividir(mapas):
    n, alto, ancho, canales = mapas.shape
    filas = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(filas, filas, transpose_a=True)


def gram_traspuesta(mapas):
    n, alto, ancho, canales = mapas.shape
    filas = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(filas, filas, transpose_b=True) / (alto * ancho)


def contenido_bien(mapa, objetivo):
    return tf.reduce_mean((mapa - objetivo) ** 2) / tf.reduce_mean(objetivo**2)


def contenido_sin_normalizar(mapa, objetivo):
    return tf.reduce_mean((mapa - objetivo) ** 2)


def contenido_con_suma(mapa, objetivo):
    return tf.reduce_sum((mapa - objetivo) ** 2) / tf.reduce_mean(objetivo**2)


def estilo_bien(mapa, gram_objetivo):
    return contenido_bien(gram_bien(mapa), gram_objetivo)


def estilo_con_gram_sin_dividir(mapa, gram_objetivo):
    return contenido_bien(gram_sin_dividir(mapa), gram_objetivo)


def test_acepta_las_funciones_correctas(capsys):
    for nombre, funcion in (("gram", gram_bien), ("contenido", contenido_bien), ("estilo", estilo_bien)):
        assert ejercicio.comprobar(nombre, funcion)
        assert "¡Bien!" in capsys.readouterr().out


@pytest.mark.parametrize("nombre, funcion, explicacion", [
    ("gram", gram_sin_dividir, "olvidaste dividir por el número de posiciones"),
    ("gram", gram_traspuesta, "multiplicaste F·Fᵀ"),
    ("gram", lambda m: gram_bien(m) / m.shape[-1], "dividiste también por el número de canales"),
    ("contenido", contenido_sin_normalizar, "falta dividir por la media del objetivo al cuadrado"),
    ("contenido", contenido_con_suma, "sumaste los cuadrados"),
    ("contenido", lambda m, o: tf.sqrt(contenido_bien(m, o)), "raíz"),
    ("contenido", lambda m, o: -contenido_bien(m, o), "signo cambiado"),
    ("estilo", estilo_con_gram_sin_dividir, "mi_matriz_gram"),
    ("estilo", lambda m, g: contenido_sin_normalizar(gram_bien(m), g), "falta dividir"),
    ("contenido", lambda m, o: tf.reduce_mean(tf.square(m - o) / tf.square(o)), "divides elemento a elemento"),
])
def test_explica_los_errores_tipicos(capsys, nombre, funcion, explicacion):
    assert not ejercicio.comprobar(nombre, funcion)
    salida = capsys.readouterr().out
    assert salida.startswith("✗") and explicacion in salida


def test_un_error_de_python_se_explica_sin_traza(capsys):
    def rota(mapas):
        return mapas @ "texto"

    assert not ejercicio.comprobar("gram", rota)
    assert "lanzó" in capsys.readouterr().out


def test_olvidar_el_return_se_explica(capsys):
    def sin_return(mapas, objetivo):
        tf.reduce_mean((mapas - objetivo) ** 2)

    assert not ejercicio.comprobar("contenido", sin_return)
    assert "sin_return devolvió None: ¿falta el return al final?" in capsys.readouterr().out


def test_completar_da_la_solucion_y_la_comprobacion_lo_recuerda(capsys):
    def con_hueco(mapas):
        n, alto, ancho, canales = mapas.shape
        return ejercicio.completar("gram", tf.reshape(mapas, (n, alto * ancho, canales)))

    def estilo_con_hueco(mapa, gram_objetivo):
        return ejercicio.completar("estilo", gram_bien(mapa), gram_objetivo)

    assert ejercicio.comprobar("gram", con_hueco) and ejercicio.comprobar("estilo", estilo_con_hueco)
    salida = capsys.readouterr().out
    assert salida.count("aún usa completar") == 2
    with pytest.raises(ValueError, match="gramm"):
        ejercicio.completar("gramm", None)
