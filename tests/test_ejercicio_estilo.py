"""El ejercicio del cuaderno 05: la comprobación acepta lo correcto y explica los errores típicos."""

import numpy as np
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


def gram_con_transpose(mapas):
    n, alto, ancho, canales = mapas.shape
    filas = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(tf.transpose(filas), filas) / (alto * ancho)


def gram_dividida_por_un_entero(mapas):
    filas = tf.reshape(mapas, (tf.shape(mapas)[0], -1, tf.shape(mapas)[3]))
    return tf.matmul(filas, filas, transpose_a=True) / tf.shape(filas)[1]


@pytest.mark.parametrize("nombre, funcion, pista", [
    ("gram", gram_con_transpose, "tf.transpose(F) invierte todos los ejes, también el del lote: usa "
                                 "tf.matmul(F, F, transpose_a=True)"),
    ("gram", gram_dividida_por_un_entero, "tf.shape da enteros: conviértelos con tf.cast(…, tf.float32)"),
    # Antes, también «tf.shape da enteros…», y sí lo había convertido, a float64.
    ("gram", lambda m: gram_sin_dividir(m) / tf.cast(m.shape[1] * m.shape[2], tf.float64),
     "los mapas son float32: convierte el divisor a tf.float32, no a tf.float64"),
    ("estilo", lambda mapa, gram_objetivo: contenido_bien(mapa, gram_objetivo),
     "comparas un mapa con una Gram: calcula antes gram = mi_matriz_gram(mapa)"),
])
def test_errores_de_tensorflow_tipicos_llevan_su_pista(capsys, nombre, funcion, pista):
    # Antes, la línea de TensorFlow («{{function_node __wrapped__…}} In[0] and In[1]…») y la pista general.
    assert not ejercicio.comprobar(nombre, funcion)
    salida = capsys.readouterr().out
    assert f"Pista: {pista}" in salida and "function_node" not in salida and "[Op:" not in salida, salida


def gram_con_transpose_a_mayuscula(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(F, F, transpose_A=True) / (alto * ancho)


def gram_con_transpose_a_mayuscula_en_otra_linea(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(F, F,
                     transpose_A=True) / (alto * ancho)


@pytest.mark.parametrize("nombre, funcion, pista", [
    # Antes, «Got an unexpected keyword argument 'transpose_A'» en inglés y la pista general del ejercicio.
    ("gram", gram_con_transpose_a_mayuscula, "tf.matmul no tiene ningún argumento transpose_A: ¿querías decir "
                                            "transpose_a=True?"),
    # TensorFlow rehace la traza y solo deja la primera línea de la llamada.
    ("gram", gram_con_transpose_a_mayuscula_en_otra_linea, "tf.matmul no tiene ningún argumento transpose_A: "
                                                          "¿querías decir transpose_a=True?"),
    ("contenido", lambda m, o: tf.reduce_mean(tf.square(m - o)) / tf.reduce_mean(tf.square(o), keepdim=True),
     "tf.reduce_mean no tiene ningún argumento keepdim: ¿querías decir keepdims=True?"),
])
def test_un_argumento_con_nombre_mal_escrito_se_explica(capsys, nombre, funcion, pista):
    assert not ejercicio.comprobar(nombre, funcion)
    salida = capsys.readouterr().out
    assert f"Pista: {pista}\n" in salida, salida


def gram_en_float16(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.cast(tf.reshape(mapas, (n, alto * ancho, canales)), tf.float16)
    return tf.cast(tf.matmul(F, F, transpose_a=True), tf.float32) / (alto * ancho)


def test_calcular_en_float16_se_explica(capsys):
    # Antes, «tf.shape da enteros: conviértelos…», y el divisor no era un entero, y «la mayor diferencia es 0,000425».
    assert not ejercicio.comprobar("gram", lambda m: gram_sin_dividir(m) / tf.cast(m.shape[1] * m.shape[2], tf.float16))
    salida = capsys.readouterr().out
    assert ("Pista: mezclas un tensor float16 con los mapas, y TensorFlow no convierte de un tipo a otro por su "
            "cuenta; los mapas y las pérdidas van en float32: quita la conversión a float16 (tf.cast(…, tf.float16)) o "
            "vuelve a float32 con tf.cast(…, tf.float32).") in salida and "enteros" not in salida, salida
    for funcion in (gram_en_float16, lambda m: tf.cast(gram_bien(m), tf.float16)):
        assert not ejercicio.comprobar("gram", funcion)
        salida = capsys.readouterr().out
        assert "no coincide con helpers.estilo: calculas en float16, que guarda muchas menos cifras" in salida
        assert "quita la conversión a float16" in salida and "la mayor diferencia" not in salida, salida


def gram_con_tres_ejes(mapas):
    alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (-1, alto * ancho, canales))
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho)


def gram_sin_los_canales(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho))
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho)


def gram_con_la_forma_sin_tupla(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, n, alto * ancho, canales)
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho)


@pytest.mark.parametrize("funcion, pista", [
    # Antes, «too many values to unpack (expected 3)», «Input to reshape is a tensor with 420 values, but the requested
    # shape has 105» y «Too many arguments were given. Expected 3 but got 4.», con la pista general del ejercicio.
    (gram_con_tres_ejes, "los mapas tienen cuatro ejes, (n, alto, ancho, canales): recoge los cuatro, n, alto, ancho, "
                         "canales = mapas.shape"),
    (gram_sin_los_canales, "tf.reshape no cambia cuántos números hay, y pides una forma de 105 para 420: F = "
                           "tf.reshape(mapas, (n, alto * ancho, canales)) los conserva todos"),
    (gram_con_la_forma_sin_tupla, "la forma nueva va entre paréntesis, como una tupla: tf.reshape(mapas, (n, alto * "
                                  "ancho, canales))"),
])
def test_un_error_al_dar_forma_a_f_lleva_su_pista(capsys, funcion, pista):
    assert not ejercicio.comprobar("gram", funcion)
    salida = capsys.readouterr().out
    assert f"Pista: {pista}." in salida, salida


def estilo_con_la_gram_en_dos_ejes(mapa, gram_objetivo):
    n, canales = gram_objetivo.shape
    return contenido_bien(gram_bien(mapa), gram_objetivo)


def contenido_con_tres_ejes(mapa, objetivo):
    alto, ancho, canales = mapa.shape
    return contenido_bien(mapa, objetivo)


def estilo_con_una_gram_propia_en_dos_ejes(mapa, gram_objetivo):
    gram = gram_bien(mapa)
    n, canales = gram.shape
    return contenido_bien(gram, gram_objetivo)


@pytest.mark.parametrize("nombre, funcion, pista", [
    # Antes, las tres con «los mapas tienen cuatro ejes, (n, alto, ancho, canales): recoge los cuatro, n, alto, ancho,
    # canales = mapas.shape»: gram_objetivo tiene tres, el mapa de contenido se llama mapa y de gram no se sabe.
    ("estilo", estilo_con_la_gram_en_dos_ejes, "gram_objetivo es una matriz de Gram, con tres ejes, (n, canales, "
                                               "canales): recoge los tres, p. ej. n, canales, _ = gram_objetivo.shape"),
    ("contenido", contenido_con_tres_ejes, "los mapas tienen cuatro ejes, (n, alto, ancho, canales): recoge los "
                                           "cuatro, n, alto, ancho, canales = mapa.shape"),
    ("estilo", estilo_con_una_gram_propia_en_dos_ejes, "la pérdida de contenido, pero entre mi_matriz_gram(mapa) y "
                                                       "gram_objetivo"),
])
def test_desempaquetar_la_forma_nombra_los_ejes_de_lo_que_desempaquetas(capsys, nombre, funcion, pista):
    assert not ejercicio.comprobar(nombre, funcion)
    salida = capsys.readouterr().out
    assert f"Pista: {pista}." in salida and "cuatro ejes" not in salida.replace(pista, ""), salida


def test_un_error_en_la_funcion_muestra_la_linea_del_estudiante(capsys):
    def gram_con_una_errata(mapas):
        return gram_bien(mapas).numpyy()

    assert not ejercicio.comprobar("gram", gram_con_una_errata)
    assert "Tu línea: return gram_bien(mapas).numpyy()" in capsys.readouterr().out

    def estilo_con_la_gram_al_reves(mapa, gram_objetivo):
        filas = tf.reshape(mapa, (mapa.shape[0], -1, mapa.shape[3]))
        gram = tf.matmul(filas, filas, transpose_b=True) / filas.shape[1]  # F·Fᵀ: posiciones × posiciones
        return tf.reduce_mean((gram - gram_objetivo) ** 2) / tf.reduce_mean(gram_objetivo ** 2)

    # Antes, «comparas un mapa con una Gram…», cuando ya comparaba dos Gram.
    assert not ejercicio.comprobar("estilo", estilo_con_la_gram_al_reves)
    salida = capsys.readouterr().out
    assert 'comparas dos Gram de formas distintas: las dos deben ser (n, canales, canales); comprueba antes la tuya con comprobar("gram", mi_matriz_gram)' in salida, salida


def test_un_nombre_mal_escrito_o_sin_definir_se_explica(capsys):
    # Antes, solo «module 'tensorflow' has no attribute 'matmult'» o «name 'posiciones' is not defined» en inglés y
    # la pista general del ejercicio.
    def gram_con_matmult(mapas):
        n, alto, ancho, canales = mapas.shape
        F = tf.reshape(mapas, (n, alto * ancho, canales))
        return tf.matmult(F, F, transpose_a=True) / (alto * ancho)

    assert not ejercicio.comprobar("gram", gram_con_matmult)
    assert "Pista: tf.matmult no existe: ¿querías decir tf.matmul?\n" in capsys.readouterr().out

    def gram_sin_posiciones(mapas):
        n, alto, ancho, canales = mapas.shape
        filas = tf.reshape(mapas, (n, alto * ancho, canales))
        return tf.matmul(filas, filas, transpose_a=True) / posicione  # noqa: F821 — la errata del estudiante

    assert not ejercicio.comprobar("gram", gram_sin_posiciones)
    assert "Pista: posicione no existe en ese punto: ¿una errata, o falta definirlo" in capsys.readouterr().out

    def contenido_con_errata(mapa, objetivo):
        diferencia = mapa - objetivo
        return tf.reduce_mean(tf.square(difrencia)) / tf.reduce_mean(tf.square(objetivo))  # noqa: F821

    assert not ejercicio.comprobar("contenido", contenido_con_errata)
    assert "Pista: difrencia no existe: ¿querías decir diferencia?\n" in capsys.readouterr().out


@pytest.mark.parametrize("primero, pista", [
    (gram_traspuesta, "comparas dos Gram de formas distintas"),
    (lambda mapa: mapa, "comparas un mapa con una Gram"),
])
def test_una_gram_de_otra_forma_en_completar_lleva_su_pista(capsys, primero, pista):
    # completar("estilo", …) no usa el mensaje de formas de perdida_contenido (habla de la foto de contenido):
    # comprobar sigue reconociendo el «Incompatible shapes» de TensorFlow.
    assert not ejercicio.comprobar("estilo", lambda mapa, gram_objetivo: ejercicio.completar("estilo", primero(mapa),
                                                                                            gram_objetivo))
    salida = capsys.readouterr().out
    assert f"Pista: {pista}" in salida and "foto de contenido" not in salida, salida


def test_devolver_algo_que_no_son_numeros_se_explica(capsys):
    # Antes, «<lambda> lanzó ValueError: could not convert string to float», aunque tu función no lanzó nada.
    assert not ejercicio.comprobar("gram", lambda mapas: "hola")
    salida = capsys.readouterr().out
    assert "devolvió str, que no es un tensor de números: devuelve la matriz de Gram" in salida and "lanzó" not in salida


def test_pasar_el_resultado_o_olvidar_el_nombre_se_explica(capsys):
    # Antes, un AttributeError del propio kit y un TypeError de Python.
    mapas = tf.ones((1, 2, 2, 3))
    assert not ejercicio.comprobar("gram", gram_bien(mapas))
    assert 'Pasa la función sin paréntesis: comprobar("gram", mi_funcion)' in capsys.readouterr().out
    assert not ejercicio.comprobar(gram_bien)
    assert 'Di también qué ejercicio compruebas: comprobar("gram", mi_matriz_gram)' in capsys.readouterr().out
    assert not ejercicio.comprobar("gram")
    assert 'Falta la función: comprobar("gram", mi_funcion).' in capsys.readouterr().out


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


def gram_sin_parentesis(mapas):
    n, alto, ancho, canales = mapas.shape
    filas = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(filas, filas, transpose_a=True) / alto * ancho


def gram_sin_parentesis_al_reves(mapas):
    n, alto, ancho, canales = mapas.shape
    filas = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(filas, filas, transpose_a=True) / ancho * alto


def gram_con_coma_de_mas(mapas):
    n, alto, ancho, canales = mapas.shape
    filas = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(filas, filas, transpose_a=True) / (alto * ancho),


def estilo_con_gram_del_objetivo(mapa, gram_objetivo):
    return contenido_bien(gram_bien(mapa), gram_bien(gram_objetivo))


def estilo_que_devuelve_la_gram_tambien(mapa, gram_objetivo):
    gram = gram_bien(mapa)
    return contenido_bien(gram, gram_objetivo), gram


@pytest.mark.parametrize("nombre, funcion, explicacion", [
    # Antes: «la mayor diferencia es 50,8», «not enough values to unpack (expected 4, got 3)» con la pista
    # general y «inhomogeneous shape» de NumPy.
    ("gram", gram_sin_parentesis, "«/ alto * ancho» divide por alto y multiplica por ancho: pon paréntesis"),
    ("gram", gram_sin_parentesis_al_reves, "«/ ancho * alto» divide por ancho y multiplica por alto: pon paréntesis"),
    ("gram", gram_con_coma_de_mas, "devolvió una tupla de un solo valor (¿sobra una coma al final del return?): "
                                   "devuelve solo la matriz de Gram: return G"),
    ("estilo", estilo_con_gram_del_objetivo, "Pista: gram_objetivo ya es una matriz de Gram (n, canales, canales): "
                                             "no le apliques mi_matriz_gram"),
    ("estilo", estilo_que_devuelve_la_gram_tambien, "devolvió 2 valores separados por comas: devuelve solo la "
                                                    "pérdida: return perdida"),
])
def test_otros_despistes_tipicos_se_explican(capsys, nombre, funcion, explicacion):
    assert not ejercicio.comprobar(nombre, funcion)
    salida = capsys.readouterr().out
    assert salida.startswith("✗") and explicacion in salida and "inhomogeneous" not in salida, salida


@pytest.mark.parametrize("nombre, datos, argumentos", [
    ("gram", (), "F"),
    ("contenido", (tf.ones((1, 2, 2, 3)),), "mapa, objetivo"),
    ("estilo", (1, 2, 3), "gram, gram_objetivo"),
])
def test_completar_sin_sus_datos_se_explica(nombre, datos, argumentos):
    # Antes: «ValueError: not enough values to unpack».
    with pytest.raises(TypeError, match=rf'completar\("{nombre}", …\) recibe {argumentos}: no borres esos datos'):
        ejercicio.completar(nombre, *datos)


def test_un_texto_con_un_numero_no_pasa_por_la_perdida(capsys):
    # Antes, NumPy convertía el texto «1.5592…» en un número: con el valor correcto, «¡Bien!».
    def contenido_como_texto(mapa, objetivo):
        return str(contenido_bien(mapa, objetivo).numpy())

    assert not ejercicio.comprobar("contenido", contenido_como_texto)
    salida = capsys.readouterr().out
    assert "devolvió str, que no es un tensor de números: devuelve la pérdida" in salida and "¡Bien!" not in salida


def gram_con_t_de_numpy(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    return F.T @ F / (alto * ancho)


def gram_con_numpy(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales)).numpy()
    return F.T @ F / (alto * ancho)


def gram_por_imagen(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (-1, canales))  # aplana también el lote
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho)


def contenido_por_imagen(mapa, objetivo):
    return tf.reduce_mean((mapa - objetivo) ** 2, axis=[1, 2, 3]) / tf.reduce_mean(objetivo**2, axis=[1, 2, 3])


@pytest.mark.parametrize("nombre, funcion, explicacion", [
    # Antes: la pista general tras «no attribute 'T'» o el error de NumPy, y «la mayor diferencia es 17,5».
    ("gram", gram_con_t_de_numpy, "Pista: los tensores de TensorFlow no tienen .T"),
    ("gram", gram_con_numpy, "Pista: .T y np.transpose de NumPy invierten todos los ejes, también el del lote"),
    ("gram", lambda m: gram_sin_dividir(m) / m.shape[0], "dividiste por n, el número de imágenes del lote (3)"),
    ("gram", lambda m: gram_sin_dividir(m) / m.shape[3], "dividiste por los canales (4)"),
    ("gram", lambda m: gram_bien(m) / m.shape[0], "dividiste también por n, el número de imágenes del lote"),
    # Antes: «la forma es (4, 4) y debería ser (2, 4, 4)» o «(2,) … ()» con la pista general.
    ("gram", gram_por_imagen, "sale una sola Gram (4, 4) y debe salir una por imagen del lote, (3, 4, 4)"),
    ("contenido", contenido_por_imagen, "debe salir un escalar, un solo número, y sale un tensor de forma (3,): "
                                        "tf.reduce_mean sin axis="),
    ("estilo", lambda m, g: contenido_por_imagen(gram_bien(m)[..., None], g[..., None]), "debe salir un escalar"),
    # Antes, solo «la mayor diferencia es …» con la pista general.
    ("gram", lambda m: gram_sin_dividir(m) // (m.shape[1] * m.shape[2]), "«//» es la división entera"),
    ("contenido", lambda m, o: tf.reduce_mean((m - o) ** 2) / tf.reduce_mean(o),
     "dividiste por la media de objetivo sin elevarlo al cuadrado"),
    ("contenido", lambda m, o: tf.reduce_mean(o**2) / tf.reduce_mean((m - o) ** 2), "pusiste la fracción al revés"),
    ("estilo", lambda m, g: tf.reduce_mean((gram_bien(m) - g) ** 2) / tf.reduce_mean(g),
     "dividiste por la media de gram_objetivo sin elevarlo al cuadrado"),
    # Antes, «la mayor diferencia es 1,52» con la pista general.
    ("contenido", lambda m, o: tf.reduce_mean(m - o) ** 2 / tf.reduce_mean(o**2),
     "elevas al cuadrado la media de la diferencia, y va al revés: la media de los cuadrados, "
     "tf.reduce_mean(tf.square(mapa - objetivo))"),
    ("estilo", lambda m, g: tf.reduce_mean(gram_bien(m) - g) ** 2 / tf.reduce_mean(g**2),
     "tf.reduce_mean(tf.square(gram - gram_objetivo))"),
])
def test_mas_errores_tipicos_con_su_explicacion(capsys, nombre, funcion, explicacion):
    assert not ejercicio.comprobar(nombre, funcion)
    salida = capsys.readouterr().out
    assert salida.startswith("✗") and explicacion in salida, salida


def test_comprobar_otra_funcion_o_cambiar_su_firma_se_explica(capsys):
    # Antes: «takes 1 positional argument but 2 were given» con la pista de la pérdida, que no es el problema.
    assert not ejercicio.comprobar("contenido", gram_bien)
    salida = capsys.readouterr().out
    assert ('Pista: comprobar("contenido", …) llama a tu función como mi_perdida_contenido(mapa, objetivo): ¿es la '
            "función de este ejercicio?") in salida and "Tu línea" not in salida, salida

    def estilo_con_un_parametro_de_mas(mapa, gram, gram_objetivo):
        return contenido_bien(gram, gram_objetivo)

    assert not ejercicio.comprobar("estilo", estilo_con_un_parametro_de_mas)
    assert "llama a tu función como mi_perdida_estilo(mapa, gram_objetivo)" in capsys.readouterr().out
    # Un TypeError dentro de la función sí es del cálculo: su línea y la pista del ejercicio.
    assert not ejercicio.comprobar("gram", lambda mapas: gram_bien(mapas, 2))
    assert "Pista: el producto FᵀF" in capsys.readouterr().out


def gram_de_f_con_reshape_a_canales_por_posiciones(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, canales, alto * ancho))  # la F «canales × posiciones» de la lección 4, sin trasponer
    return tf.matmul(F, F, transpose_b=True) / (alto * ancho)


@pytest.mark.parametrize("nombre, funcion, explicacion", [
    # Antes, todos con la pista general: «la mayor diferencia es 0,461», «… 0,926», «… 3,11» (con la pista «dividida
    # por la media de objetivo²», que es justo lo que creía haber hecho), «… 0,78» y «vale 0,79329 y debería valer
    # 0,52788».
    ("gram", gram_de_f_con_reshape_a_canales_por_posiciones,
     "tf.reshape(mapas, (n, canales, alto * ancho)) no traspone F: reordena los números"),
    ("gram", lambda m: gram_sin_dividir(m) / tf.cast(tf.size(m), tf.float32),
     "dividiste por todos los números de F (n·alto·ancho·canales = 420, lo que da tf.size)"),
    ("contenido", lambda m, o: tf.reduce_mean((m - o) ** 2) / tf.reduce_mean(o) ** 2,
     "dividiste por el cuadrado de la media, tf.reduce_mean(objetivo) ** 2; va la media de los cuadrados"),
    ("contenido", lambda m, o: 0.5 * contenido_bien(m, o), "sobra el ½ de la fórmula de Gatys et al. (lección 4)"),
    ("estilo", lambda m, g: tf.reduce_mean((gram_bien(m) - g) ** 2) / tf.reduce_mean(g) ** 2,
     "dividiste por el cuadrado de la media, tf.reduce_mean(gram_objetivo) ** 2"),
])
def test_despistes_con_la_normalizacion_o_la_f_de_la_leccion_se_explican(capsys, nombre, funcion, explicacion):
    assert not ejercicio.comprobar(nombre, funcion)
    salida = capsys.readouterr().out
    assert salida.startswith("✗") and explicacion in salida, salida


def gram_con_canales_delante_y_transpose_a(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, canales, alto * ancho))  # canales delante, sin trasponer los mapas
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho)


def gram_de_f_traspuesta_a_canales_por_posiciones(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(tf.transpose(mapas, (0, 3, 1, 2)), (n, canales, alto * ancho))
    return tf.matmul(F, F, transpose_b=True) / (alto * ancho)


@pytest.mark.parametrize("funcion", [gram_con_canales_delante_y_transpose_a,
                                     lambda m: gram_con_canales_delante_y_transpose_a(m) * m.shape[1] * m.shape[2]])
def test_reshape_con_los_canales_delante_y_transpose_a_se_explica(capsys, funcion):
    # Antes, «multiplicaste F·Fᵀ (posiciones × posiciones) …: usa transpose_a=True», que es lo que había usado.
    assert not ejercicio.comprobar("gram", funcion)
    salida = capsys.readouterr().out
    assert ("sale (3, 35, 35) en vez de (3, 4, 4): tf.reshape(mapas, (n, canales, alto * ancho)) pone los canales "
            "delante en la forma, pero no traspone los mapas") in salida and "multiplicaste F·Fᵀ" not in salida, salida
    # Las dos salidas que propone la pista dan la Gram; un F·Fᵀ de verdad conserva su pista.
    assert ejercicio.comprobar("gram", gram_de_f_traspuesta_a_canales_por_posiciones)
    assert not ejercicio.comprobar("gram", gram_traspuesta)
    salida = capsys.readouterr().out
    assert "¡Bien!" in salida and "multiplicaste F·Fᵀ" in salida and "no traspone los mapas" not in salida, salida

# --- La celda que no llegó a ejecutarse -----------------------------------------------------------------------------

_IMPORTS = "import tensorflow as tf\nfrom helpers.ejercicio_estilo import completar, comprobar"
_GRAM = """def mi_matriz_gram(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    G = {linea}
    return G"""
_CON_COMPLETAR = _GRAM.format(linea='completar("gram", F)')
_BIEN = _GRAM.format(linea="tf.matmul(F, F, transpose_a=True) / (alto * ancho)")


def _comprobar_en_ipython(ipython, capsys, celdas):
    """Ejecuta ``celdas`` en ``ipython`` como las ejecuta un estudiante y después, en otra celda, la comprobación."""
    for celda in (_IMPORTS, *celdas):
        ipython.run_cell(celda, store_history=True)
    capsys.readouterr()
    ipython.run_cell('correcto = comprobar("gram", mi_matriz_gram)', store_history=True)
    return ipython.user_ns["correcto"], capsys.readouterr().out


def test_una_celda_con_error_de_sintaxis_no_aprueba_la_version_anterior(ipython, capsys):
    # Antes, «✓ mi_matriz_gram coincide, pero aún usa completar…»: la de completar seguía definida.
    con_error = _GRAM.format(linea="tf.matmul(F, F, transpose_a=True) / (alto * ancho")
    correcto, salida = _comprobar_en_ipython(ipython, capsys, [_CON_COMPLETAR, con_error])
    assert not correcto and "✓" not in salida
    assert salida.startswith("✗ Tu última versión de la celda de mi_matriz_gram no llegó a ejecutarse: tiene un error "
                             "de sintaxis en su línea 4 («G = tf.matmul(F, F, transpose_a=True) / (alto * ancho»)")


def test_una_celda_que_falla_antes_de_la_definicion_no_aprueba_la_version_anterior(ipython, capsys):
    # Antes, «✓ mi_matriz_gram coincide…» con la versión de la celda anterior, la única que llegó a ejecutarse.
    correcto, salida = _comprobar_en_ipython(ipython, capsys, [_BIEN, "tf.sin_esto\n" + _BIEN.replace("G\n", "G + 1\n")])
    assert not correcto and salida.startswith("✗ Tu última versión de la celda de mi_matriz_gram no llegó a definir "
                                              "mi_matriz_gram: la celda falló antes de llegar a la definición.")


@pytest.mark.parametrize("celdas", [
    [_CON_COMPLETAR, _BIEN, _BIEN],  # la misma celda, dos veces
    [_BIEN.replace("\n", "   \n") + "\n\n\n"],  # espacios al final de las líneas y líneas vacías al final
    [_GRAM.format(linea="tf.matmul(F, F, transpose_a=True)"), _BIEN],  # el mismo nombre, en otra celda después
    [_IMPORTS + "\n\n" + _BIEN + "\n\nprint(mi_matriz_gram(tf.ones((1, 2, 2, 3))).shape)"],  # más cosas en la celda
    [_GRAM.format(linea="tf.matmul(F, F, transpose_a=True) / (alto * ancho"), _BIEN],  # el error ya corregido
    ["def mi_matriz_gram(:\n    pass", "mi_matriz_gram = lambda x: x\n" + _BIEN],  # la última la define bien
])
def test_la_ultima_version_ejecutada_se_comprueba(ipython, capsys, celdas):
    correcto, salida = _comprobar_en_ipython(ipython, capsys, celdas)
    assert correcto and salida.startswith("✓ mi_matriz_gram coincide con helpers.estilo"), salida


def test_fuera_de_ipython_se_comprueba_lo_que_recibe(capsys):
    espacio = {}
    exec(compile(_IMPORTS + "\n" + _BIEN, "mi_script.py", "exec"), espacio)
    assert ejercicio.comprobar("gram", espacio["mi_matriz_gram"]) and capsys.readouterr().out.startswith("✓")


@pytest.mark.parametrize("celdas", [
    # Lo último que la definió fue una magia: IPython guarda la celda como una llamada, sin el «def».
    [_BIEN, _BIEN.replace("(alto * ancho)", "(alto * ancho"), "%%capture\n" + _BIEN],
    [_BIEN, _BIEN.replace("(alto * ancho)", "(alto * ancho"), "%rerun 2"],
    [_BIEN, "buena = mi_matriz_gram", _BIEN.replace("return G", "return G + 1"), "%time mi_matriz_gram = buena"],
    # Vuelve a poner a mano la versión buena que guardó antes.
    [_BIEN, "buena = mi_matriz_gram", _BIEN.replace("return G", "return G + 1"), "mi_matriz_gram = buena"],
])
def test_lo_que_la_definio_despues_de_la_ultima_celda_se_comprueba(ipython, capsys, celdas):
    # Antes, «✗ Tu última versión de la celda… no llegó a ejecutarse / a definir», con la buena ya definida.
    correcto, salida = _comprobar_en_ipython(ipython, capsys, celdas)
    assert correcto and salida.startswith("✓ mi_matriz_gram coincide con helpers.estilo"), salida


@pytest.mark.parametrize("otra", ["%pwd", "!echo hola", "%%time\nx = 1"])
def test_una_magia_que_no_la_define_no_oculta_la_celda_sin_ejecutar(ipython, capsys, otra):
    # Antes, cualquier magia después de la celda con el error (p. ej. %matplotlib inline) desactivaba el aviso: «✓ mi_matriz_gram coincide…».
    con_error = _BIEN.replace("(alto * ancho)", "(alto * ancho")
    correcto, salida = _comprobar_en_ipython(ipython, capsys, [_BIEN, con_error, otra])
    assert not correcto and salida.startswith("✗ Tu última versión de la celda de mi_matriz_gram no llegó a ejecutarse"), salida


def test_una_celda_con_await_que_falla_no_se_toma_por_un_error_de_sintaxis(ipython, capsys):
    # Antes, «tiene un error de sintaxis en su línea 2 («await asyncio.sleep(0)»)»: IPython sí la ejecutó.
    fallida = "import asyncio\nawait asyncio.sleep(0)\ntf.sin_esto\n" + _BIEN.replace("return G", "return G + 1")
    correcto, salida = _comprobar_en_ipython(ipython, capsys, [_BIEN, fallida])
    assert not correcto and salida.startswith("✗ Tu última versión de la celda de mi_matriz_gram no llegó a definir "
                                              "mi_matriz_gram: la celda falló antes de llegar a la definición."), salida


@pytest.mark.parametrize("raro", ["In.append(None)", "In[1] = 7"])
def test_un_historial_raro_no_impide_la_comprobacion(ipython, capsys, raro):
    # Antes, «AttributeError: 'NoneType' object has no attribute 'splitlines'» en lugar de la comprobación.
    correcto, salida = _comprobar_en_ipython(ipython, capsys, [_BIEN, raro])
    assert correcto and salida.startswith("✓ mi_matriz_gram coincide con helpers.estilo"), salida


# --- Otras normalizaciones razonables: cada una con su pista ---------------------------------------------------------

def gram_entre_canales_al_cuadrado(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(F, F, transpose_a=True) / canales**2


def gram_como_covarianza_muestral(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho - 1)


def gram_centrada(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    F = F - tf.reduce_mean(F, axis=1, keepdims=True)  # la media de cada canal en cada imagen
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho)


def gram_centrada_muestral(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    F = F - tf.reduce_mean(F, axis=1, keepdims=True)
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho - 1)


def gram_centrada_en_el_lote(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    F = F - tf.reduce_mean(F, axis=[0, 1], keepdims=True)  # la media de cada canal en todo el lote
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho)


def gram_centrada_en_el_eje_0(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    F = F - tf.reduce_mean(F, axis=0)  # el axis=0 de una F sin lote, (posiciones, canales)
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho)


def gram_centrada_con_la_media_de_todo(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    F = F - tf.reduce_mean(F)
    return tf.matmul(F, F, transpose_a=True) / (alto * ancho)


def gram_de_gatys(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    N, M = canales, alto * ancho
    return tf.matmul(F, F, transpose_a=True) / (4 * N**2 * M**2)


def gram_de_gatys_sin_el_4(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(F, F, transpose_a=True) / (canales**2 * (alto * ancho) ** 2)


def gram_entre_2_n_m(mapas):
    n, alto, ancho, canales = mapas.shape
    F = tf.reshape(mapas, (n, alto * ancho, canales))
    return tf.matmul(F, F, transpose_a=True) / (2 * canales * alto * ancho)  # la raíz del 4·N²·M² de Gatys et al.


@pytest.mark.parametrize("funcion, explicacion", [
    # Antes, todas con «la mayor diferencia es …» y la pista general.
    (gram_entre_canales_al_cuadrado, "dividiste por canales² (16); el curso divide por el número de posiciones "
                                     "(alto·ancho = 35): cada entrada de la Gram suma un producto por posición"),
    (gram_como_covarianza_muestral, "dividiste por alto·ancho − 1 (34), como en una covarianza muestral; el curso "
                                    "hace la media sobre las 35 posiciones"),
    (gram_centrada, "restaste a cada canal su media antes de multiplicar: eso da la matriz de covarianzas, no la de "
                    "Gram. El curso usa los mapas tal cual"),
    (gram_centrada_muestral, "calculaste la covarianza muestral, como np.cov: restaste a cada canal su media y "
                             "dividiste por alto·ancho − 1 (34)"),
    # Antes, «la mayor diferencia es 0,323», «… 0,767» y «… 0,292», con la pista general.
    (gram_centrada_en_el_lote, "restaste a cada canal su media en todo el lote, con las 3 imágenes juntas: así la "
                               "Gram de cada imagen depende de las otras del lote"),
    (gram_centrada_en_el_eje_0, "restaste la media del eje 0, que en F (n, posiciones, canales) es el del lote, no el "
                                "de las posiciones"),
    (gram_centrada_con_la_media_de_todo, "restaste la media de todos los números de F (tf.reduce_mean sin axis=)"),
    (gram_de_gatys, "dividiste por 4·N²·M² (78.400), el factor de Gatys et al. (lección 4; N = canales, M = "
                    "posiciones): en Gatys et al. va en la pérdida de estilo, no en la Gram"),
    (gram_de_gatys_sin_el_4, "dividiste por N²·M² (19.600), el factor de Gatys et al. sin el 4"),
    # Antes, con el lote de 2 imágenes, «dividiste por todos los números de F (… = 280, lo que da tf.size)».
    (gram_entre_2_n_m, "dividiste por 2·N·M (280): al elevar al cuadrado la diferencia de dos Gram así divididas sale "
                       "el factor 4·N²·M² de Gatys et al. (lección 4; N = canales, M = posiciones)"),
])
def test_otra_normalizacion_de_la_gram_lleva_su_pista(capsys, funcion, explicacion):
    assert not ejercicio.comprobar("gram", funcion)
    salida = capsys.readouterr().out
    assert salida.startswith("✗") and explicacion in salida and "la mayor diferencia" not in salida, salida


def test_en_los_datos_de_prueba_cada_gram_equivocada_da_otros_numeros():
    # La pista se elige por los números: si dos errores dieran los mismos (p. ej. con alto·ancho = canales, con un
    # lote de una imagen o, con uno de dos, n·alto·ancho·canales = 2·N·M), uno se llevaría la pista del otro, y uno
    # igual a la Gram correcta la contradiría.
    mapas = ejercicio._datos_de_prueba()[0]
    valores = [np.asarray(gram_bien(mapas), np.float64), *ejercicio._errores_tipicos("gram", mapas, None).values()]
    for i, valor in enumerate(valores):
        for otro in valores[i + 1:]:
            assert not np.allclose(valor, otro, rtol=1e-2, atol=1e-6)
    # Las Gram posiciones × posiciones se reconocen por proporcionalidad, sea cual sea el divisor: el F·Fᵀ de la F del
    # curso no debe ser proporcional al FᵀF de una F con los canales delante sin trasponer.
    posiciones = [np.asarray(gram(mapas), np.float64)
                  for gram in (gram_traspuesta, gram_con_canales_delante_y_transpose_a)]
    assert not ejercicio._proporcionales(*posiciones) and not ejercicio._proporcionales(*posiciones[::-1])
