"""Transferencia de estilo: pérdidas en casos calculados a mano, extractor, carga de imágenes y bucle."""

import re
import warnings
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
import skimage.color
import skimage.data
import tensorflow as tf
from PIL import Image

from helpers import (color_estilo, estilo, frecuencias_estilo, imagenes_estilo, opciones_estilo, optimizadores_estilo,
                     perdidas_estilo, pinturas, textos_estilo)
from helpers.lbfgs import _Curvatura, minimizar_lbfgs
from test_capas import alcanzables, grafo_de_importaciones


def test_gram_de_una_entrada_conocida():
    # 1 imagen, 1×2 posiciones, 2 canales: vectores (1, 2) y (3, 4).
    caracteristicas = tf.constant([[[[1.0, 2.0], [3.0, 4.0]]]])
    gram = estilo.matriz_gram(caracteristicas).numpy()
    np.testing.assert_allclose(gram, [[[(1 + 9) / 2, (2 + 12) / 2], [(2 + 12) / 2, (4 + 16) / 2]]])


def test_gradiente_de_la_gram_a_mano_y_con_varias_imagenes():
    # f = Σ_cd W_cd·G_cd con G = FᵀF/P → df/dF = F·(W + Wᵀ)/P. Dos imágenes de 1×2 posiciones.
    caracteristicas = tf.constant([[[[1.0, 2.0], [3.0, 4.0]]], [[[0.0, 1.0], [2.0, 0.0]]]])
    pesos = tf.constant([[1.0, 2.0], [0.0, 3.0]])
    with tf.GradientTape() as cinta:
        cinta.watch(caracteristicas)
        f = tf.reduce_sum(estilo.matriz_gram(caracteristicas) * pesos)
    simetrica = np.array([[2.0, 2.0], [2.0, 6.0]])  # W + Wᵀ
    esperado = caracteristicas.numpy().reshape(2, 2, 2) @ simetrica / 2
    np.testing.assert_allclose(cinta.gradient(f, caracteristicas).numpy().reshape(2, 2, 2), esperado)


def test_gram_en_float32_con_caracteristicas_float16():
    # 16×16 posiciones de valor 300: la suma de productos (2,3·10⁷) desborda float16 (máx. 65 504).
    caracteristicas = tf.fill((1, 16, 16, 3), tf.constant(300.0, tf.float16))
    gram = estilo.matriz_gram(caracteristicas)
    assert gram.dtype == tf.float32
    np.testing.assert_allclose(gram.numpy(), np.full((1, 3, 3), 90_000.0))


def test_perdida_contenido_a_mano():
    obtenidos = [tf.constant([[[[1.0, 2.0]]]])]
    objetivo = [tf.constant([[[[1.0, 0.0]]]])]
    # media((0, 2)²) = 2 y media((1, 0)²) = 0,5 → 4
    assert float(estilo.perdida_contenido(obtenidos, objetivo)) == pytest.approx(4.0, rel=1e-6)
    assert float(estilo.perdida_contenido(objetivo, objetivo)) == 0.0


def test_perdida_contenido_con_mapas_de_otro_tamano_se_explica():
    # Antes: InvalidArgumentError de TensorFlow en inglés, «Incompatible shapes: [1,16,16,8] vs. [1,24,24,8] [Op:Sub]».
    foto, generada = tf.ones((1, 24, 24, 8)), tf.ones((1, 16, 16, 8))
    with pytest.raises(ValueError, match=re.escape(
            "perdida_contenido compara mapas de formas distintas: (1, 16, 16, 8) los obtenidos y (1, 24, 24, 8) los "
            "objetivos; la imagen generada debe medir lo mismo (alto y ancho) que la foto de contenido de la que salen "
            "los objetivos: redimensiónala antes de pasarla al extractor, p. ej. tf.image.resize(imagen, foto.shape[:2]).")):
        estilo.perdida_contenido(generada, foto)
    with pytest.raises(ValueError, match=re.escape("formas distintas (capa 2 de 2): (1, 4, 4, 8) los obtenidos y (1, 4, 4, "
                                                   "4) los objetivos; tienen distinto número de canales (8 y 4)")):
        estilo.perdida_contenido([foto, tf.ones((1, 4, 4, 8))], [foto, tf.ones((1, 4, 4, 4))])
    # Lo que TensorFlow sabe restar sigue igual: el mapa de una imagen sin lote, o con formas aún sin fijar.
    assert float(estilo.perdida_contenido(foto, foto[0])) == 0.0
    sin_fijar = tf.function(estilo.perdida_contenido, input_signature=[tf.TensorSpec((1, None, None, 8))] * 2)
    assert float(sin_fijar(foto, foto)) == 0.0


def test_perdidas_con_capas_o_gram_que_no_casan_se_explican():
    # Antes: «zip() argument 2 is shorter than argument 1» de Python y «Incompatible shapes» de TensorFlow, en inglés.
    mapas = tf.ones((1, 6, 6, 8))
    with pytest.raises(ValueError, match=re.escape("perdida_contenido recibió 2 capas de mapas y 1 objetivos: pasa una "
                                                   "entrada por capa en las dos listas")):
        estilo.perdida_contenido([mapas, mapas], [mapas])
    for perdida in (estilo.perdida_contenido, estilo.perdida_estilo):  # antes, «Inputs must be an iterable…» de TF
        with pytest.raises(ValueError, match=f"{perdida.__name__} recibió una lista vacía: pasa al menos una capa"):
            perdida([], [])
    with pytest.raises(ValueError, match=re.escape("perdida_estilo recibió 1 capas de mapas y 2 objetivos")):
        estilo.perdida_estilo([mapas], [estilo.matriz_gram(mapas)] * 2)
    with pytest.raises(ValueError, match=re.escape(
            "perdida_estilo compara matrices de Gram de formas distintas: (1, 8, 8) los obtenidos y (1, 4, 4) los "
            "objetivos; tienen distinto número de canales (8 y 4): saca los dos de la misma capa, con el mismo extractor.")):
        estilo.perdida_estilo(mapas, tf.ones((1, 4, 4)))
    # Una Gram del estilo no depende del tamaño de la imagen: otra de otro tamaño, con los mismos canales, vale.
    assert float(estilo.perdida_estilo(mapas, estilo.matriz_gram(tf.ones((1, 9, 3, 8))))) == pytest.approx(0.0, abs=1e-6)


def test_perdida_estilo_a_mano():
    caracteristicas = [tf.constant([[[[1.0, 0.0], [1.0, 0.0]]]])]  # Gram [[1, 0], [0, 0]]
    gram_objetivo = [tf.constant([[[1.0, 0.0], [0.0, 1.0]]])]
    # media de (0, 0, 0, 1)² = 0,25 y media de (1, 0, 0, 1)² = 0,5 → 0,5
    assert float(estilo.perdida_estilo(caracteristicas, gram_objetivo)) == pytest.approx(0.5, rel=1e-6)



def test_gram_de_un_mapa_sin_lote_se_explica():
    # Antes: «slice index 3 of dimension 0 out of bounds [Op:StridedSlice]».
    mapa = tf.ones((1, 5, 7, 4))
    with pytest.raises(ValueError, match=r"forma \(5, 7, 4\): si es el mapa de una sola imagen, .*mapa\[None\]"):
        estilo.matriz_gram(mapa[0])
    with pytest.raises(ValueError, match=r"matriz_gram recibe mapas \(n, alto, ancho, canales\)"):
        estilo.matriz_gram(tf.ones((35, 4)))


def test_gram_de_todas_las_capas_o_de_none_se_explica():
    """Antes, la lista de capas de estilo del extractor daba «Shapes of all inputs must match … [Op:Pack]», su
    diccionario y None, «Attempt to convert a value (…) with an unsupported type» con los mapas impresos."""
    mapas = {"contenido": [tf.ones((1, 2, 3, 8))], "estilo": [tf.ones((1, 5, 7, 4)), tf.ones((1, 2, 3, 8))]}
    with pytest.raises(ValueError, match=re.escape("le llegó una lista de 2 mapas (uno por capa): calcula una Gram por "
                                                   "capa, [estilo.matriz_gram(m) for m in mapas]")):
        estilo.matriz_gram(mapas["estilo"])
    with pytest.raises(ValueError, match=re.escape("un diccionario (claves: contenido, estilo), el que da el extractor")):
        estilo.matriz_gram(mapas)
    with pytest.raises(ValueError, match=re.escape("le llegó None (¿falta el return en la función que calcula los mapas?)")):
        estilo.matriz_gram(None)
    assert estilo.matriz_gram(np.ones((1, 5, 7, 4)).tolist()).shape == (1, 4, 4)  # una lista de números sigue valiendo


def test_las_perdidas_aceptan_los_tensores_de_una_sola_capa():
    # Un tensor solo es una capa con todo su lote, no una lista de capas de una imagen cada una.
    azar = np.random.default_rng(0)
    mapas, objetivo = (tf.constant(azar.random((2, 5, 7, 4)), tf.float32) for _ in range(2))
    gram = estilo.matriz_gram(objetivo)
    assert float(estilo.perdida_estilo(mapas, gram)) == pytest.approx(float(estilo.perdida_estilo([mapas], [gram])))
    assert float(estilo.perdida_contenido(mapas, objetivo)) == pytest.approx(
        float(estilo.perdida_contenido([mapas], [objetivo])))

def test_perdida_variacion_a_mano():
    imagen = tf.constant([[[[0.0], [1.0]], [[2.0], [3.0]]]])  # [[0, 1], [2, 3]]
    # vertical: |2-0|, |3-1| → 2; horizontal: |1-0|, |3-2| → 1
    assert float(estilo.perdida_variacion(imagen)) == pytest.approx(3.0)


@pytest.mark.parametrize("forma", [(1, 1, 3, 1), (1, 3, 1, 1), (1, 1, 1, 1)], ids=["una_fila", "una_columna", "un_pixel"])
def test_perdida_variacion_de_una_imagen_de_un_pixel_de_alto_o_de_ancho(forma):
    # Antes, NaN: la media de las diferencias de un eje sin vecinos está vacía. Ese eje no varía: aporta 0.
    imagen = tf.Variable(np.reshape(np.array([0.0, 1.0, 3.0], np.float32)[: np.prod(forma)], forma))
    with tf.GradientTape() as cinta:
        perdida = estilo.perdida_variacion(imagen)
    gradiente = np.ravel(cinta.gradient(perdida, imagen))
    if np.prod(forma) == 1:
        assert float(perdida) == 0.0 and np.array_equal(gradiente, [0.0])
    else:  # (|1-0| + |3-1|) / 2 en el eje con vecinos
        assert float(perdida) == pytest.approx(1.5)
        np.testing.assert_allclose(gradiente, [-0.5, 0.0, 0.5])


def _cuadratica(dimension=20, condicion=100.0):
    """``f(x) = ½ xᵀAx − bᵀx`` con autovalores de 1 a ``condicion``; devuelve ``(funcion, mínimo, A)``."""
    azar = np.random.default_rng(0)
    giro, _ = np.linalg.qr(azar.normal(size=(dimension, dimension)))
    a = tf.constant(giro @ np.diag(np.geomspace(1, condicion, dimension)) @ giro.T, tf.float32)
    b = tf.constant(azar.normal(size=dimension), tf.float32)

    def funcion(x):
        ax = tf.linalg.matvec(a, x)
        return 0.5 * tf.tensordot(x, ax, 1) - tf.tensordot(b, x, 1), ax - b

    return funcion, np.linalg.solve(a.numpy().astype(np.float64), b.numpy()), a


def test_lbfgs_encuentra_el_minimo_de_una_cuadratica_y_gana_al_descenso_por_gradiente():
    funcion, minimo, a = _cuadratica()
    evaluaciones, valores = [], []

    def contando(x):
        evaluaciones.append(1)
        return funcion(x)

    x = minimizar_lbfgs(contando, tf.zeros(20), iteraciones=40, memoria=20,
                        al_iterar=lambda x, valor: valores.append(valor))
    assert isinstance(x, np.ndarray) and x.dtype == np.float32
    np.testing.assert_allclose(x, minimo, atol=1e-3)
    assert len(valores) == 40 and all(b <= a for a, b in zip(valores, valores[1:]))  # Armijo: nunca sube

    # El descenso por gradiente con el mejor paso fijo (1/curvatura máxima) y las mismas evaluaciones
    # se queda lejos: con condición 100 necesita cientos de pasos.
    x_gd, paso = tf.zeros(20), 1 / float(tf.reduce_max(tf.linalg.eigvalsh(a)))
    for _ in range(len(evaluaciones)):
        x_gd -= paso * funcion(x_gd)[1]
    assert np.abs(x_gd.numpy() - minimo).max() > 100 * np.abs(x - minimo).max()


def test_lbfgs_en_rosenbrock_recorta_pasos_y_llega_al_valle():
    def rosenbrock(x):
        x = tf.constant(x)
        with tf.GradientTape() as cinta:
            cinta.watch(x)
            valor = 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2
        return valor, cinta.gradient(valor, x)

    x = minimizar_lbfgs(rosenbrock, tf.constant([-1.2, 1.0]), iteraciones=100, memoria=5, primer_paso=0.1)
    np.testing.assert_allclose(x, [1.0, 1.0], atol=1e-3)


def test_busqueda_de_linea_nunca_acepta_un_paso_que_sube():
    # Un gradiente con el signo cambiado: toda dirección «de bajada» sube. Ningún paso cumple Armijo,
    # así que L-BFGS no debe moverse (antes aceptaba el último paso probado aunque subiera).
    def mentirosa(x):
        return float(np.sum(x**2)), -2.0 * x

    valores = []
    x = minimizar_lbfgs(mentirosa, np.array([1.0, -2.0]), iteraciones=3, al_iterar=lambda x, v: valores.append(v))
    np.testing.assert_array_equal(x, [1.0, -2.0])
    assert valores == [5.0, 5.0, 5.0]


@pytest.mark.parametrize("paso", [1.0, 1.3, 3.0])
def test_lbfgs_nunca_sube_en_una_funcion_no_convexa(paso):
    # Suma de pozos dobles con pendiente: la curvatura cambia de signo y los pasos cuasi-Newton
    # largos se pasan a menudo; cada punto aceptado debe tener un valor no mayor que el anterior.
    def pozos(x):
        return float(np.sum((x**2 - 1) ** 2 + 0.3 * x)), (4 * x * (x**2 - 1) + 0.3).astype(np.float32)

    inicial = np.random.default_rng(0).normal(0, 1.5, 50).astype(np.float32)
    valores = [pozos(inicial)[0]]
    minimizar_lbfgs(pozos, inicial, iteraciones=60, memoria=5, paso=paso, al_iterar=lambda x, v: valores.append(v))
    assert all(nuevo <= viejo for viejo, nuevo in zip(valores, valores[1:]))
    assert valores[-1] < valores[0] - 10


def test_lbfgs_respeta_la_forma_y_el_primer_paso():
    cuadratica, _, _ = _cuadratica(dimension=6)

    def funcion(x):  # recibe y devuelve matrices 2×3
        assert x.shape == (2, 3)
        valor, gradiente = cuadratica(tf.reshape(x, [-1]))
        return valor, tf.reshape(gradiente, (2, 3))

    puntos = []
    x = minimizar_lbfgs(funcion, tf.zeros((2, 3)), iteraciones=1, primer_paso=0.05,
                        al_iterar=lambda x, _: puntos.append(x))
    assert x.shape == (2, 3) and len(puntos) == 1
    assert float(np.abs(x).max()) == pytest.approx(0.05)


def test_lbfgs_prueba_primero_el_paso_pedido():
    # f(x) = 2x²: tras el primer paso (0,05) la curvatura estimada es la real y el paso cuasi-Newton
    # llega al mínimo; con paso=1,3 se pasa un 30 % (y Armijo lo acepta, porque baja).
    def funcion(x):
        return 2.0 * float(x[0]) ** 2, np.array([4.0 * x[0]], np.float32)

    for paso, esperado in ((1.0, 0.0), (1.3, 0.95 - 1.3 * 0.95)):
        x = minimizar_lbfgs(funcion, np.array([1.0]), iteraciones=2, paso=paso)
        assert float(x[0]) == pytest.approx(esperado, abs=1e-6)


def _dos_bucles(g, pares):
    """La recursión de dos bucles de Nocedal y Wright (algoritmo 7.4), en float64: la referencia."""
    q, alfas = g.astype(np.float64), []
    for s, y in reversed(pares):
        alfas.append((s @ q) / (s @ y))
        q = q - alfas[-1] * y
    s, y = pares[-1]
    r = q * (s @ y) / (y @ y)
    for (s, y), alfa in zip(pares, reversed(alfas)):
        r = r + (alfa - (y @ r) / (s @ y)) * s
    return r


def test_forma_compacta_coincide_con_la_recursion_de_dos_bucles_y_olvida_los_pares_viejos():
    azar = np.random.default_rng(0)
    giro = np.linalg.qr(azar.normal(size=(30, 30)))[0]
    a = giro @ np.diag(np.geomspace(1, 50, 30)) @ giro.T
    curvatura, pares = _Curvatura(memoria=5, dimension=30), []
    g = azar.normal(size=30).astype(np.float32)
    curvatura.anadir(np.zeros(30, np.float32), np.zeros(30, np.float32), g)  # el punto de partida
    for i in range(12):  # más pares que memoria: los primeros se olvidan
        s = (azar.normal(size=30) * (1e-3 if i % 3 else 1.0)).astype(np.float32)  # pasos cortos y largos
        y = (a @ s).astype(np.float32)
        g = g + y
        curvatura.anadir(s, y, g)
        pares.append((s.astype(np.float64), y.astype(np.float64)))
        esperado = -_dos_bucles(g, pares[-5:])
        np.testing.assert_allclose(curvatura.direccion(), esperado, rtol=1e-4, atol=1e-4 * np.abs(esperado).max())

    # Un paso que casi llega al mínimo: g se hace diez veces menor y sus productos se recalculan.
    s = (-0.9 * np.linalg.solve(a, g)).astype(np.float32)
    y = (a @ s).astype(np.float32)
    g = g + y
    curvatura.anadir(s, y, g)
    pares.append((s.astype(np.float64), y.astype(np.float64)))
    assert curvatura.y_sumados == 0.0
    esperado = -_dos_bucles(g, pares[-5:])
    np.testing.assert_allclose(curvatura.direccion(), esperado, rtol=1e-4, atol=1e-4 * np.abs(esperado).max())

    otro_g = g - y
    curvatura.anadir(s, -y, otro_g)  # curvatura negativa: no se guarda, pero la dirección es la del g nuevo
    esperado = -_dos_bucles(otro_g, pares[-5:])
    np.testing.assert_allclose(curvatura.direccion(), esperado, rtol=1e-4, atol=1e-4 * np.abs(esperado).max())


class _ParesContados(np.ndarray):
    """La matriz de pares de ``_Curvatura``, contando cuántas veces se multiplica (cada vez, una lectura entera)."""
    productos = 0

    def __array_ufunc__(self, ufunc, metodo, *entradas, **opciones):
        if ufunc is np.matmul:
            _ParesContados.productos += 1
        entradas = [e.view(np.ndarray) if isinstance(e, _ParesContados) else e for e in entradas]
        return getattr(ufunc, metodo)(*entradas, **opciones)


def test_anadir_lee_los_pares_una_vez_y_sigue_siendo_la_forma_compacta():
    # Como minimizar_lbfgs: s = longitud·direccion(). Los s·y que usa direccion (los de cada s con su y y con los y
    # más nuevos) salen de pares·y, sin multiplicar también la matriz por s, y la dirección sigue siendo la de la
    # recursión de dos bucles.
    azar = np.random.default_rng(1)
    giro = np.linalg.qr(azar.normal(size=(30, 30)))[0]
    a = giro @ np.diag(np.geomspace(1, 50, 30)) @ giro.T
    curvatura, pares = _Curvatura(memoria=5, dimension=30), []
    curvatura.pares = curvatura.pares.view(_ParesContados)
    g = azar.normal(size=30).astype(np.float32)
    curvatura.anadir(np.zeros(30, np.float32), np.zeros(30, np.float32), g)
    for i in range(12):  # más pares que memoria: los primeros se olvidan
        direccion = curvatura.direccion() if curvatura.orden else -0.05 * g
        s = ((1.3, 0.4, 1.0)[i % 3] * direccion).astype(np.float32)  # pasos alargados, acortados y el clásico
        y = (a @ s).astype(np.float32)
        g = g + y
        _ParesContados.productos = 0
        curvatura.anadir(s, y, g)
        if i:  # con pares guardados: pares·y y, si los y sumados pesan ya mucho, pares·g de nuevo
            assert _ParesContados.productos == 1 + (curvatura.y_sumados == 0.0)
        pares.append((s.astype(np.float64), y.astype(np.float64)))
        orden = np.array(curvatura.orden)
        filas = curvatura.pares.view(np.ndarray).astype(np.float64)
        exactos = np.triu(filas[orden] @ filas[curvatura.memoria + orden].T)  # par viejo · par nuevo, en orden de llegada
        np.testing.assert_allclose(np.triu(curvatura.s_por_y[np.ix_(orden, orden)]), exactos, rtol=1e-4,
                                   atol=1e-5 * np.abs(exactos).max())
        esperado = -_dos_bucles(g, pares[-5:])
        np.testing.assert_allclose(curvatura.direccion(), esperado, rtol=1e-4, atol=1e-4 * np.abs(esperado).max())


def test_lbfgs_guarda_como_s_el_paso_que_de_verdad_dio():
    # Lejos del origen, x + longitud·direccion se redondea en float32: el par debe ser el desplazamiento real
    # x_nuevo − x, el que corresponde a la diferencia de gradientes y, no el paso pedido antes de redondear.
    centro = np.linspace(1000.0, 1001.0, 50)
    curvaturas = np.geomspace(1, 100, 50)

    def funcion(x):
        d = np.asarray(x, np.float64) - centro
        return 0.5 * float(d @ (curvaturas * d)), curvaturas * d

    puntos, guardados = [np.full(50, 1000.3, np.float32)], []
    anadir = _Curvatura.anadir

    def anotar(self, s, y, g, *resto):
        guardados.append(np.array(s))
        return anadir(self, s, y, g, *resto)

    with mock.patch.object(_Curvatura, "anadir", anotar):
        minimizar_lbfgs(funcion, puntos[0], iteraciones=8, memoria=3, al_iterar=lambda x, v: puntos.append(x.copy()))
    for s, antes, despues in zip(guardados, puntos, puntos[1:]):
        np.testing.assert_array_equal(s, despues - antes)


def test_objetivo_y_gradiente_mide_la_imagen_recortada_y_suma_muelle_y_refuerzo():
    def perdida(imagen):
        return {"total": tf.reduce_sum(imagen), "contenido": tf.reduce_mean(imagen)}

    def calcular(imagen, refuerzo=tf.constant(0.0)):
        return optimizadores_estilo._objetivo_y_gradiente(perdida, tf.identity, imagen, refuerzo)

    imagen = tf.constant([[[[0.5, 1.5, -1.0]]]])  # un píxel: un canal dentro, uno por arriba y otro por abajo
    partes, objetivo, gradiente = calcular(imagen)
    assert float(partes["total"]) == pytest.approx(1.5)  # 0,5 + 1 + 0: lo que se devolverá
    assert float(objetivo) == pytest.approx(1.5 + 0.01 * (0.5**2 + 1.0**2))
    np.testing.assert_allclose(gradiente.numpy().ravel(), [1.0, 0.01, -0.02], rtol=1e-5)

    _, objetivo_reforzado, _ = calcular(imagen, tf.constant(2.0))
    assert float(objetivo_reforzado) == pytest.approx(float(objetivo) + 2.0 * 0.5)  # + 2·contenido (media 0,5)


def test_recortar_con_muelle_da_lo_mismo_que_recorte_y_muelle_con_derivada_automatica():
    valores = np.random.default_rng(0).uniform(-0.5, 1.5, (1, 6, 5, 3)).astype(np.float32)
    valores[0, 0, 0, :2] = 0.0, 1.0  # los bordes del rango, dentro: reciben la derivada de la pérdida
    imagen, pesos = tf.constant(valores), tf.constant(np.random.default_rng(1).normal(size=valores.shape), tf.float32)

    def objetivo(recortar):
        with tf.GradientTape() as cinta:
            cinta.watch(imagen)
            recortada, muelle = recortar(imagen)
            valor = tf.reduce_sum(pesos * recortada**2) + muelle
        return valor, cinta.gradient(valor, imagen)

    def recorte_y_muelle(x):
        recortada = tf.clip_by_value(x, 0.0, 1.0)
        return recortada, 0.01 * tf.reduce_sum(tf.square(x - recortada))

    valor, gradiente = objetivo(optimizadores_estilo._recortar_con_muelle)
    valor_esperado, gradiente_esperado = objetivo(recorte_y_muelle)
    assert float(valor) == pytest.approx(float(valor_esperado), rel=1e-6)
    np.testing.assert_allclose(gradiente.numpy(), gradiente_esperado.numpy(), rtol=1e-6, atol=1e-7)


def test_calentamiento_refuerza_el_contenido_y_el_historial_mide_la_perdida_de_verdad():
    foto = estilo.cargar_imagen(skimage.data.coffee(), 64)
    pintura = estilo.cargar_imagen(pinturas.pintura_pinceladas(64, "noche"), 64)
    perdida = estilo.crear_perdida(estilo.extractor_estilo("squeezenet"), foto, pintura)
    inicio = (foto / 255.0)[None].astype(np.float32)

    def optimizar(calentamiento):
        historial = []
        imagen = optimizadores_estilo.optimizar_lbfgs(perdida, inicio, 12, lambda partes, *_: historial.append(partes),
                                                       calentamiento=calentamiento)
        return imagen, historial

    _, sin_refuerzo = optimizar(0)
    imagen, reforzado = optimizar(12)  # todo calentamiento: el contenido pesa el triple
    assert float(reforzado[-1]["contenido"]) < 0.9 * float(sin_refuerzo[-1]["contenido"])
    # el historial guarda la pérdida sin refuerzo, la de la imagen devuelta
    assert float(reforzado[-1]["total"]) == pytest.approx(float(perdida(tf.constant(imagen))["total"]), rel=1e-4)


def test_en_frecuencias_parte_de_la_base_y_mueve_mas_las_frecuencias_bajas():
    base = tf.random.uniform((1, 20, 30, 3))
    a_imagen, ceros = estilo.en_frecuencias(base)
    assert ceros.shape == (1, 3, 20, 16, 2)
    np.testing.assert_allclose(a_imagen(ceros).numpy(), base.numpy(), atol=1e-6)

    # El mismo empujón en una frecuencia baja cambia la imagen más que en una alta.
    def cambio(fila, columna):
        z = tf.tensor_scatter_nd_update(ceros, [[0, 0, fila, columna, 0]], [1.0])
        return float(tf.reduce_max(tf.abs(a_imagen(z) - base)))

    assert cambio(0, 1) > 3 * cambio(10, 15)


def test_extractor_devuelve_las_capas_pedidas():
    extractor = estilo.extractor_estilo("squeezenet", ["fire5"], ["conv1", "fire3"])
    salidas = extractor(np.zeros((2, 64, 64, 3), np.float32))
    assert [m.shape for m in salidas["contenido"]] == [(2, 7, 7, 256)]
    assert [m.shape for m in salidas["estilo"]] == [(2, 31, 31, 64), (2, 15, 15, 128)]
    with pytest.raises(ValueError, match="fire99"):
        estilo.extractor_estilo("squeezenet", ["fire99"])
    # Un nombre solo es una lista de una capa (no las letras «f», «i», «r»…).
    assert estilo.extractor_estilo("squeezenet", "fire5", "conv1").capas_estilo == ["conv1"]
    # Una imagen sin el eje del lote, o sin sus tres canales: en español (Keras imprimía la imagen entera).
    foto = np.zeros((64, 48, 3), np.float32)
    with pytest.raises(ValueError, match=r"le llegó una sola, de forma \(64, 48, 3\): .*extractor\(imagen\[None\]\)"):
        extractor(foto)
    for forma in ((1, 64, 48, 1), (64, 48)):
        with pytest.raises(ValueError, match=rf"de forma \(n, alto, ancho, 3\) y le llegaron de forma \({forma[0]}, "):
            extractor(np.zeros(forma, np.float32))



def test_una_imagen_demasiado_pequena_para_la_red_se_explica():
    # 400×6000 a 384 px de lado mayor deja 26 px de alto: antes, un error de oneDNN en inglés (y con 20 px
    # el proceso moría con SIGFPE). Las capas por defecto de SqueezeNet necesitan 31 px (tres agrupamientos 3×3).
    original = np.random.default_rng(0).random((400, 6000, 3))
    foto = estilo.cargar_imagen(original, lado_maximo=384)
    extractor = estilo.extractor_estilo("squeezenet")
    assert foto.shape == (26, 384, 3) and extractor.lado_minimo == 31
    mensaje = (r"La imagen mide 384×26 px y la red \(squeezenet\) necesita al menos 31 px en el lado menor: "
               r"amplíala con cargar_imagen\(ruta, lado_maximo=458\) o usa transferir_estilo, que lo hace sola\.")
    with pytest.raises(ValueError, match=mensaje):
        extractor(foto[None])
    with pytest.raises(ValueError, match=mensaje):
        estilo.crear_perdida(extractor, foto, foto)
    # El lado_maximo que propone basta, y 31 px pasan por la red.
    ampliada = estilo.cargar_imagen(original, lado_maximo=458)
    assert min(ampliada.shape[:2]) == 31
    assert extractor(ampliada[None])["estilo"][-1].shape[1] == 1
    # Con capas menos profundas basta menos: fire5 está antes del último agrupamiento.
    assert estilo.extractor_estilo("squeezenet", ["fire5"], ["conv1"]).lado_minimo == 15


def test_el_extractor_acepta_una_lista_de_imagenes():
    # Antes, Keras respondía en inglés que la estructura de las entradas no coincidía.
    extractor = estilo.extractor_estilo("squeezenet")
    imagenes = np.random.default_rng(0).uniform(0, 255, (2, 40, 48, 3)).astype(np.float32)
    de_lista, de_lote = extractor([imagenes[0], imagenes[1]]), extractor(imagenes)
    for obtenido, esperado in zip(de_lista["estilo"], de_lote["estilo"], strict=True):
        np.testing.assert_allclose(obtenido.numpy(), esperado.numpy(), rtol=1e-5, atol=1e-4)
    with pytest.raises(ValueError, match="no tienen todas la misma forma"):
        extractor([imagenes[0], imagenes[0, :32]])
    np.testing.assert_allclose(extractor([imagenes])["estilo"][0].numpy(), de_lote["estilo"][0].numpy())  # [lote]
    variable = tf.Variable(imagenes[0])
    with tf.GradientTape() as cinta:  # la lista no corta el camino del gradiente hasta la imagen
        perdida = tf.reduce_sum(extractor([variable])["estilo"][0])
    assert cinta.gradient(perdida, variable) is not None


def test_sin_capas_de_contenido_o_de_estilo_se_explica():
    foto = np.full((40, 40, 3), 100.0, np.float32)
    with pytest.raises(ValueError, match="capas_contenido está vacía"):
        estilo.transferir_estilo(foto, foto, iteraciones=2, red="squeezenet", capas_contenido=[])
    with pytest.raises(ValueError, match="capas_estilo está vacía: .* o estilo=None"):
        estilo.transferir_estilo(foto, foto, iteraciones=2, red="squeezenet", capas_estilo=[])
    # Una capa de la otra red (p. ej. la de la lección con la red que eligió red="auto"): dice de cuál es.
    with pytest.raises(ValueError, match=r'^La capa «block5_conv2» no está en squeezenet. Es una capa de vgg19: pide '
                                         r'red="vgg19" o usa una de squeezenet. Capas disponibles: conv1, pool1'):
        estilo.transferir_estilo(foto, foto, iteraciones=2, red="squeezenet", capas_contenido="block5_conv2")
    # Las dos a la vez: antes, Keras en inglés («`outputs` argument cannot be empty»).
    with pytest.raises(ValueError, match=r'^capas_contenido y capas_estilo están vacías: .*=\["fire5"\]'):
        estilo.transferir_estilo(foto, foto, iteraciones=2, red="squeezenet", capas_contenido=[], capas_estilo=())


@pytest.mark.parametrize("estilo_, pesos, mensaje", [
    ("foto", (0, 0, 0), "Con peso_contenido=0, peso_estilo=0 y peso_variacion=0, la pérdida vale siempre 0"),
    (None, (0, 10.0, 0.0), r"Sin estilo \(estilo=None\) y con peso_contenido=0 y peso_variacion=0.0, la pérdida vale"),
])
def test_unos_pesos_que_no_dejan_nada_que_optimizar_se_explican(estilo_, pesos, mensaje):
    # Antes devolvía la imagen de partida sin cambios, con una pérdida de 0 en cada iteración y sin decir nada.
    foto = np.full((40, 40, 3), 100.0, np.float32)
    peso_contenido, peso_estilo, peso_variacion = pesos
    with pytest.raises(ValueError, match=f"^{mensaje}.*da a alguno un valor mayor que 0"):
        estilo.transferir_estilo(foto, foto if estilo_ else None, iteraciones=2, red="squeezenet",
                                 peso_contenido=peso_contenido, peso_estilo=peso_estilo, peso_variacion=peso_variacion)


@pytest.mark.parametrize("foto, escalas, forma", [
    (skimage.data.coffee(), (0.5,), (43, 64, 3)),  # la última escala, menor que 1
    (np.full((20, 200, 3), 120, np.uint8), (1.0,), (6, 64, 3)),  # 6 px de alto: se optimiza ampliada a 32
])
def test_el_resultado_tiene_el_tamano_de_la_foto_aunque_se_optimice_a_otro(foto, escalas, forma):
    # Antes, con preservar_color, «could not broadcast input array from shape (32,48) into shape (43,64)»; sin él,
    # una imagen de otro tamaño que la foto (32×48 o 32×341).
    pintura = pinturas.pintura_pinceladas(64, "fuego")
    for preservar_color in (False, True):
        imagen, _ = estilo.transferir_estilo(foto, pintura, iteraciones=2, escalas=escalas, lado_maximo=64,
                                             preservar_color=preservar_color, red="squeezenet")
        assert imagen.shape == forma and imagen.dtype == np.float32 and 0 <= imagen.min() and imagen.max() <= 255


def test_una_panoramica_no_se_deforma():
    # 9:1 a 256 px de lado mayor: el lado menor (28) sube a 32 y el mayor crece en proporción.
    panoramica = np.zeros((28, 256, 3))
    assert imagenes_estilo._tamano(panoramica, 1.0) == [32, 293]
    assert imagenes_estilo._tamano(panoramica, 0.5) == [32, 293]
    assert imagenes_estilo._tamano(np.zeros((100, 300, 3)), 0.5) == [50, 150]  # lo normal, sin cambios


def test_lado_maximo_none_conserva_el_tamano_y_avisa_si_es_enorme(monkeypatch, capsys):
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "1")  # en modo rápido, 128 px también con None
    imagen, _ = estilo.transferir_estilo(np.zeros((100, 300, 3)), None, iteraciones=1, lado_maximo=None,
                                         red="squeezenet")
    assert imagen.shape == (43, 128, 3)
    assert "Modo rápido: como mucho 128 px de lado en lugar del tamaño original." in capsys.readouterr().out
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "0")
    with pytest.warns(UserWarning, match=r"La imagen mide 1100×300 píxeles .* unas 8 veces más tiempo") as avisos:
        imagen, _ = estilo.transferir_estilo(np.zeros((300, 1100, 3)), None, iteraciones=1, lado_maximo=None,
                                             red="squeezenet")
    assert imagen.shape == (300, 1100, 3)
    assert avisos[0].filename == __file__  # señala la línea del alumno, no una del kit
    # También al cargarla sin más (una pintura enorme que después pasa por el extractor); no, si cabe.
    with pytest.warns(UserWarning, match=r"La imagen mide 1500×200 píxeles y con lado_maximo=None se queda así") as avisos:
        assert estilo.cargar_imagen(np.zeros((200, 1500, 3), np.uint8), None).shape == (200, 1500, 3)
    assert avisos[0].filename == __file__
    # Las funciones de dibujo no tienen lado_maximo: su consejo es cargarla antes más pequeña.
    import matplotlib

    matplotlib.use("Agg")
    with pytest.warns(UserWarning, match=r"1100×300 píxeles y se dibuja a ese tamaño.*cargar_imagen\(ruta, 768\)") as avisos:
        estilo.mostrar_mapas(np.zeros((300, 1100, 3), np.uint8), capas="conv1", canales=2, red="squeezenet")
    assert avisos[0].filename == __file__
    matplotlib.pyplot.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert estilo.cargar_imagen(np.zeros((200, 1024, 3), np.uint8), None).shape == (200, 1024, 3)


def test_cargar_imagen_de_varios_modos(tmp_path):
    with pytest.raises(ValueError, match="lado_maximo=-5 no es válido"):  # antes, una imagen de 1×1 sin avisar
        estilo.cargar_imagen(np.zeros((8, 8, 3)), lado_maximo=-5)
    transparente = Image.new("RGBA", (40, 20), (255, 0, 0, 0))
    transparente.save(tmp_path / "transparente.png")
    np.testing.assert_allclose(estilo.cargar_imagen(tmp_path / "transparente.png", None)[0, 0], [255, 255, 255])

    dieciseis_bits = Image.fromarray(np.array([[0, 65535]], np.uint16))
    dieciseis_bits.save(tmp_path / "16bits.png")
    np.testing.assert_allclose(estilo.cargar_imagen(tmp_path / "16bits.png", None)[0], [[0, 0, 0], [255, 255, 255]])

    Image.new("RGB", (30, 60), (0, 0, 255)).convert("P").save(tmp_path / "paleta.gif")
    azul = estilo.cargar_imagen(tmp_path / "paleta.gif", lado_maximo=30)
    assert azul.shape == (30, 15, 3) and azul.dtype == np.float32
    np.testing.assert_allclose(azul[5, 5], [0, 0, 255])

    Image.new("CMYK", (8, 8), (0, 0, 0, 0)).save(tmp_path / "cmyk.jpg")
    assert estilo.cargar_imagen(tmp_path / "cmyk.jpg").min() > 250  # CMYK sin tinta es blanco

    desde_arreglo = estilo.cargar_imagen(np.full((4, 4), 0.5, np.float32), None)  # gris en [0, 1]
    np.testing.assert_allclose(desde_arreglo, 128)


def test_un_lado_maximo_enorme_avisa_o_se_rechaza():
    # Antes solo avisaba con lado_maximo=None; a 100000 px, un MemoryError sin mensaje.
    with pytest.warns(UserWarning, match=r"La imagen mide 5×5 píxeles y con lado_maximo=2000 queda de 2000×2000: "
                                         r".* unas 27 veces más tiempo") as avisos:
        assert estilo.cargar_imagen(np.zeros((5, 5, 3)), 2000).shape == (2000, 2000, 3)
    assert avisos[0].filename == __file__
    with pytest.raises(ValueError, match=r"^lado_maximo=100000 no es válido: usa un entero de 1 a 4096"):
        estilo.cargar_imagen(np.zeros((5, 5, 3)), 100000)


def _imagenes_dificiles(carpeta):
    """Guarda en ``carpeta`` una foto de móvil girada (orientación EXIF 6), un PNG gris de 16 bits y un PNG
    transparente, y devuelve sus nombres."""
    girada = Image.fromarray(skimage.data.astronaut()[:96, :64])
    exif = girada.getexif()
    exif[0x0112] = 6
    girada.save(carpeta / "girada.jpg", exif=exif)
    Image.fromarray(np.array([[0, 32896, 65535]], np.uint16)).save(carpeta / "16bits.png")
    Image.new("RGBA", (4, 2), (255, 0, 0, 0)).save(carpeta / "transparente.png")
    return ["girada.jpg", "16bits.png", "transparente.png"]


def test_cargar_imagen_de_bytes_o_de_un_archivo_abierto(tmp_path):
    # Antes, los bytes se tomaban por una ruta («File name too long») y el archivo abierto, también.
    for nombre in _imagenes_dificiles(tmp_path):  # se decodifican igual que el archivo
        desde_archivo = estilo.cargar_imagen(tmp_path / nombre, None)
        np.testing.assert_array_equal(estilo.cargar_imagen((tmp_path / nombre).read_bytes(), None), desde_archivo)
        with open(tmp_path / nombre, "rb") as abierto:
            np.testing.assert_array_equal(estilo.cargar_imagen(abierto, None), desde_archivo)
    with pytest.raises(ValueError, match="^No puedo usar la imagen de esos bytes: no es una imagen JPEG"):
        estilo.cargar_imagen(b"esto no es una imagen")
    with open(tmp_path / "girada.jpg") as como_texto, pytest.raises(ValueError, match=r'abierto como texto: .*"rb"'):
        estilo.cargar_imagen(como_texto)
    subida = {"foto.jpg": (tmp_path / "girada.jpg").read_bytes()}  # lo que devuelve files.upload() de Colab
    with pytest.raises(ValueError, match=r"^fuente es un diccionario, no una imagen: .*files.upload\(\).*"
                                         r"los bytes .*cargar_imagen\(subida\['foto.jpg'\]\) o "
                                         r"cargar_imagen\(next\(iter\(subida.values\(\)\)\)\)"):
        estilo.cargar_imagen(subida, 64)
    for valor in (None, "", 3):  # antes: «No encuentro «None»», ««.» es una carpeta»
        with pytest.raises(ValueError, match=rf"^fuente={valor!r} no sirve como ruta: indica la ruta o la URL"):
            estilo.cargar_imagen(valor)
    with pytest.raises(ValueError, match="^contenido=None no sirve como ruta"):
        estilo.transferir_estilo(None, None, iteraciones=1, red="squeezenet")


def test_cargar_imagen_de_un_archivo_ya_leido_o_cerrado(tmp_path):
    import io

    _imagenes_dificiles(tmp_path)
    esperada = estilo.cargar_imagen(tmp_path / "girada.jpg", None)
    # Antes: un BytesIO recién escrito (posición al final) daba «archivo vacío (0 bytes)», y un archivo tras
    # Image.open, «no es una imagen JPEG…»: se leía desde donde estaba, no el archivo entero.
    memoria = io.BytesIO()
    memoria.write((tmp_path / "girada.jpg").read_bytes())
    np.testing.assert_array_equal(estilo.cargar_imagen(memoria, None), esperada)
    with open(tmp_path / "girada.jpg", "rb") as abierto:
        Image.open(abierto)  # lee la cabecera
        np.testing.assert_array_equal(estilo.cargar_imagen(abierto, None), esperada)
    # Antes: «read of closed file», en inglés.
    with pytest.raises(ValueError, match=r"^fuente es un archivo ya cerrado \(p\. ej\. al salir de su «with open"):
        estilo.cargar_imagen(abierto)


def test_tipos_equivocados_se_explican_en_espanol(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    foto = np.zeros((8, 8, 3), np.uint8)
    # Antes: Keras («`outputs` argument cannot be empty»), «'int' object is not iterable», Path(None),
    # «cannot convert float NaN to integer», UFuncTypeError y, con números complejos, solo un aviso.
    with pytest.raises(ValueError, match="^capas está vacía: indica al menos una capa"):
        estilo.mostrar_mapas(foto, capas=[], red="squeezenet")
    with pytest.raises(ValueError, match=r"^capas=3 no es válido: indica el nombre de una capa"):
        estilo.mostrar_mapas(foto, capas=3, red="squeezenet")
    with pytest.raises(ValueError, match=r"^capas_estilo=3 no es válido: indica el nombre de una capa"):
        estilo.transferir_estilo(foto, foto, iteraciones=1, red="squeezenet", capas_estilo=3)
    # La lista tal como la escribiste, no convertida en tupla (antes, «capas_estilo=(1, 2)»).
    with pytest.raises(ValueError, match=r"^capas_estilo=\[1, 2\] no es válido: indica el nombre de una capa"):
        estilo.transferir_estilo(foto, foto, iteraciones=1, red="squeezenet", capas_estilo=[1, 2])
    with pytest.raises(ValueError, match="^ruta=None no sirve como ruta: indica el archivo donde guardarla"):
        estilo.guardar_imagen(foto, None)
    with pytest.raises(ValueError, match=r"^tamano=0 no es válido: debe ser un número positivo"):
        estilo.mostrar_imagenes({"foto": foto}, tamano=0)
    for matriz, tipo in ((np.array([["a"]]), "<U1"), (np.ones((4, 4, 3), complex), "complex128")):
        with pytest.raises(ValueError, match=f"^fuente es una matriz de tipo {tipo} y se espera una de números reales"):
            estilo.cargar_imagen(matriz)
    # Una imagen con NaN no tiene «valores de nan a nan» ni se arregla con (imagen + 1) / 2.
    con_nan = np.full((4, 4, 3), 0.5)
    con_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match=r"^fuente tiene valores NaN o infinitos \(3 de 48\)"):
        estilo.cargar_imagen(con_nan)


def test_mostrar_mapas_dibuja_como_mucho_16_canales(monkeypatch, capsys):
    # Antes, canales=1000 dibujaba 1000 mapas por capa (minutos).
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    columnas = []
    monkeypatch.setattr(plt, "show", lambda: columnas.append(len(plt.gcf().axes)))
    estilo.mostrar_mapas(np.zeros((64, 64, 3), np.uint8), capas="conv1", canales=1000, red="squeezenet")
    assert columnas == [16]
    assert "Dibujo 16 canales por capa en lugar de 1000: más no se distinguirían." in capsys.readouterr().out
    plt.close("all")


def test_una_imagen_de_pillow_se_lee_como_su_archivo(tmp_path):
    # Una foto de móvil girada (orientación EXIF 6) y un PNG gris de 16 bits, abiertos con Image.open.
    for nombre in _imagenes_dificiles(tmp_path)[:2]:
        desde_archivo = estilo.cargar_imagen(tmp_path / nombre, None)
        with Image.open(tmp_path / nombre) as abierta:
            np.testing.assert_array_equal(estilo.cargar_imagen(abierta, None), desde_archivo)
    assert estilo.cargar_imagen(tmp_path / "girada.jpg", None).shape == (64, 96, 3)  # de pie, no tumbada
    np.testing.assert_allclose(estilo.cargar_imagen(tmp_path / "16bits.png", None)[0, :, 0], [0, 128, 255])


def test_el_mensaje_de_una_imagen_con_valores_equivocados_dice_cual_es(tmp_path):
    # Antes: «La imagen tiene valores de -1 a 1…» sin decir si era el contenido, el estilo o el inicio.
    foto = np.full((8, 8, 3), 128.0, np.float32)
    muestra_gan = np.linspace(-1, 1, 8 * 8 * 3).reshape(8, 8, 3)
    con_nan = foto.copy()
    con_nan[0, 0, 0] = np.nan
    casos = [
        (dict(contenido=foto, estilo=muestra_gan), r"^estilo tiene valores de -1 a 1: .*\(imagen \+ 1\) / 2"),
        (dict(contenido=con_nan, estilo=foto), r"^contenido tiene valores NaN o infinitos \(1 de 192\)"),
        (dict(contenido=foto, estilo=foto, inicio=muestra_gan), r"^inicio tiene valores de -1 a 1"),
        (dict(contenido=foto, estilo=np.zeros((0, 8, 3))), r"^estilo es una imagen vacía \(forma \(0, 8, 3\)\)"),
        (dict(contenido=foto.astype(complex), estilo=foto), r"^contenido es una matriz de tipo complex128 y se espera"),
    ]
    for argumentos, mensaje in casos:
        with pytest.raises(ValueError, match=mensaje):
            estilo.transferir_estilo(**argumentos, iteraciones=1, red="squeezenet")
    with pytest.raises(ValueError, match=r"^imagen tiene valores de -1 a 1"):
        estilo.guardar_imagen(muestra_gan, tmp_path / "muestra.png")


def test_errores_tipicos_al_pasar_imagenes(tmp_path):
    foto = np.zeros((8, 8, 3), np.float32)
    with pytest.raises(ValueError, match=r"lo que devuelven transferir_estilo y transferencia_interrumpida: .*"
                                         "«imagen, historial = …»"):
        estilo.guardar_imagen((foto, {"total": [1.0]}), tmp_path / "x.png")  # sin desempaquetar
    with pytest.raises(ValueError, match="La lista no forma una imagen"):
        estilo.cargar_imagen([[0, 1, 2], [3, 4]])
    with pytest.raises(ValueError, match=r"^fuente es una imagen vacía \(forma \(0, 0, 3\)\)"):
        estilo.cargar_imagen(np.zeros((0, 0, 3)))


def test_cargar_imagen_explica_los_errores(tmp_path):
    with pytest.raises(FileNotFoundError, match="no_esta.jpg"):
        estilo.cargar_imagen(tmp_path / "no_esta.jpg")
    (tmp_path / "notas.jpg").write_text("esto no es una imagen")
    with pytest.raises(ValueError, match="notas.jpg"):
        estilo.cargar_imagen(tmp_path / "notas.jpg")
    Image.new("RGB", (64, 64), "red").save(tmp_path / "entera.png")
    (tmp_path / "cortada.png").write_bytes((tmp_path / "entera.png").read_bytes()[:80])
    with pytest.raises(ValueError, match="cortada.png"):
        estilo.cargar_imagen(tmp_path / "cortada.png")
    with pytest.raises(ValueError, match="es una carpeta, no una imagen"):
        estilo.cargar_imagen(tmp_path)
    with pytest.raises(ValueError, match="paleta='otonal' no existe: usa una de 'noche'"):
        pinturas.pintura_pinceladas(64, "otonal")
    assert np.array_equal(pinturas.pintura_pinceladas(32, "otono"), pinturas.pintura_pinceladas(32, "otoño"))
    for tamano in (0, 100.5):
        with pytest.raises(ValueError, match=rf"tamano={tamano!r} no es válido: debe ser un entero de 16 a 4096 píxeles"):
            pinturas.pintura_pinceladas(tamano)
        with pytest.raises(ValueError, match=rf"tamano={tamano!r} no es válido"):
            pinturas.pintura_geometrica(tamano)


@pytest.mark.parametrize("metodo", ["lbfgs", "adam"])
def test_la_segunda_llamada_reutiliza_el_gradiente_trazado_con_los_objetivos_nuevos(metodo):
    def transferir(foto, pintura, lado=64, **pesos):
        return estilo.transferir_estilo(foto, pintura, iteraciones=6, metodo=metodo, lado_maximo=lado,
                                        red="squeezenet", **pesos)

    def casi_iguales(una, otra):
        (imagen, historial), (otra_imagen, otro_historial) = una, otra
        # La pérdida de la primera iteración, casi exacta, antes de que la optimización amplifique el
        # redondeo distinto de otra traza; las imágenes del final, de media, a menos de 3 niveles de 255
        # (con los objetivos de estilo de la llamada anterior se alejan bastante más).
        assert historial["total"][0] == pytest.approx(otro_historial["total"][0], rel=1e-4)
        assert imagen.shape == otra_imagen.shape and np.abs(imagen - otra_imagen).mean() < 3.0

    estilo.olvidar_redes()
    transferir(skimage.data.coffee(), pinturas.pintura_geometrica(64, "mondrian"))  # 43×64
    compilado = optimizadores_estilo._gradiente_compilado(estilo.extractor_estilo("squeezenet"))
    trazados = compilado.experimental_get_tracing_count()
    assert trazados >= 1  # la primera llamada trazó esta función y no otra
    # Otra foto, otra pintura y otros pesos, del mismo tamaño: no se vuelve a trazar...
    segunda = (skimage.data.rocket(), pinturas.pintura_pinceladas(64, "fuego"))
    con_lo_trazado = transferir(*segunda, peso_estilo=3.0)
    assert compilado.experimental_get_tracing_count() == trazados
    # ...y da lo mismo que con un trazado nuevo: no queda nada de la primera llamada.
    estilo.olvidar_redes()
    casi_iguales(con_lo_trazado, transferir(*segunda, peso_estilo=3.0))
    # Con otro tamaño (de ancho impar) tampoco se traza de nuevo (la traza no fija el tamaño), y da lo
    # mismo que desde cero.
    compilado = optimizadores_estilo._gradiente_compilado(estilo.extractor_estilo("squeezenet"))
    trazados = compilado.experimental_get_tracing_count()
    con_otro_tamano = transferir(*segunda, lado=61, peso_estilo=3.0)
    assert compilado.experimental_get_tracing_count() == trazados
    estilo.olvidar_redes()
    casi_iguales(con_otro_tamano, transferir(*segunda, lado=61, peso_estilo=3.0))


def _corta_en_la_sexta():
    """Una ``LineaDeAvance`` que hace de Ctrl-C en la sexta iteración (``toca()`` se consulta una vez en cada una)."""
    class CortaEnLaSexta(estilo.LineaDeAvance):
        llamadas = 0

        def toca(self):
            CortaEnLaSexta.llamadas += 1
            if CortaEnLaSexta.llamadas == 6:
                raise KeyboardInterrupt
            return False

    return CortaEnLaSexta


@pytest.mark.parametrize("metodo", ["lbfgs", "adam"])
def test_una_interrupcion_dice_por_donde_iba_sin_la_traza_de_tensorflow(metodo, monkeypatch):
    import traceback

    monkeypatch.setattr(estilo, "LineaDeAvance", _corta_en_la_sexta())
    with pytest.raises(KeyboardInterrupt) as corte:
        estilo.transferir_estilo(skimage.data.coffee(), pinturas.pintura_geometrica(64, "mondrian"), iteraciones=4,
                                 metodo=metodo, escalas=(0.5, 1.0), lado_maximo=64, red="squeezenet")
    assert str(corte.value) == ("Transferencia interrumpida tras 6 de 8 iteraciones. Lo hecho no se pierde: «imagen, "
                                "historial = estilo.transferencia_interrumpida()» te da la imagen de la última "
                                "iteración, y transferir_estilo(…, inicio=imagen, escalas=(1.0,), iteraciones=2) sigue "
                                "desde ella con las que faltaban. Para esperar menos la próxima vez, pide menos "
                                "iteraciones (p. ej. iteraciones=2).")
    # Parada en una escala anterior: seguir repite las escalas desde la imagen, sin cuentas de las que faltan.
    assert "transferir_estilo(…, inicio=imagen) sigue desde ella. " in textos_estilo.texto_interrupcion(
        3, 8, 4, 64, (0.5, 1.0), False)
    marcos = traceback.extract_tb(corte.value.__traceback__)
    assert corte.value.__suppress_context__ and marcos[-1].name == "transferir_estilo"
    # Antes de la primera iteración (p. ej. mientras se descarga o se prepara la red), también.
    monkeypatch.setattr(estilo, "extractor_estilo", mock.Mock(side_effect=KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt, match="^Transferencia interrumpida antes de la primera iteración") as corte:
        estilo.transferir_estilo(skimage.data.coffee(), None, iteraciones=4, metodo=metodo, lado_maximo=64,
                                 red="squeezenet")
    assert traceback.extract_tb(corte.value.__traceback__)[-1].name == "transferir_estilo"
    # Con imágenes grandes, también la sugerencia de reducirlas.
    for lado in (384, None):
        assert textos_estilo.texto_interrupcion(120, 400, 400, lado, (1.0,), True).endswith(
            "pide menos iteraciones (p. ej. iteraciones=200) o una imagen más pequeña (p. ej. lado_maximo=256).")


@pytest.mark.parametrize("preservar_color", [False, True])
def test_lo_hecho_antes_de_interrumpir_se_recupera_y_se_sigue_desde_ahi(monkeypatch, preservar_color):
    # Antes, parar la celda tiraba todas las iteraciones hechas.
    foto, pintura = skimage.data.coffee(), pinturas.pintura_geometrica(64, "mondrian")
    opciones = {"lado_maximo": 64, "red": "squeezenet", "preservar_color": preservar_color}
    with monkeypatch.context() as parche, pytest.raises(KeyboardInterrupt):
        parche.setattr(estilo, "LineaDeAvance", _corta_en_la_sexta())
        estilo.transferir_estilo(foto, pintura, iteraciones=4, escalas=(0.5, 1.0), **opciones)
    imagen, historial = estilo.transferencia_interrumpida()
    # Como la devolvería al terminar: del tamaño de la foto, en [0, 255] y, si se preserva, con su color.
    assert imagen.shape == (43, 64, 3) and imagen.dtype == np.float32 and 0 <= imagen.min() and imagen.max() <= 255
    assert len(historial["total"]) == 6 and historial["escala"][-1] == 1.0
    foto_pequena = estilo.cargar_imagen(foto, 64)
    if preservar_color:
        np.testing.assert_allclose(skimage.color.rgb2yiq(imagen / 255)[..., 1:],
                                   skimage.color.rgb2yiq(foto_pequena / 255)[..., 1:], atol=0.02)
    # Seguir desde ella empieza más abajo que empezar otra vez desde la foto, y sin calentamiento (que la
    # devolvería hacia la foto).
    vueltas = []
    optimizar = estilo._optimizar_escala
    monkeypatch.setattr(estilo, "_optimizar_escala", lambda *args: vueltas.append(args[8]) or optimizar(*args))
    _, seguida = estilo.transferir_estilo(foto, pintura, iteraciones=8, inicio=imagen, **opciones)
    _, de_nuevo = estilo.transferir_estilo(foto, pintura, iteraciones=8, **opciones)
    assert vueltas == [0, 2] and seguida["total"][0] < de_nuevo["total"][0]
    # Lo guardado se olvida cuando otra transferencia termina.
    with pytest.raises(ValueError, match="^No hay ninguna transferencia parada que recuperar: se guarda la última"):
        estilo.transferencia_interrumpida()


def test_un_error_al_seguir_no_borra_lo_guardado(monkeypatch):
    # Pasar el par entero como inicio (el error más probable) no debe tirar la transferencia parada.
    with monkeypatch.context() as parche, pytest.raises(KeyboardInterrupt):
        parche.setattr(estilo, "LineaDeAvance", _corta_en_la_sexta())
        estilo.transferir_estilo(skimage.data.coffee(), None, iteraciones=10, lado_maximo=64, red="squeezenet")
    with pytest.raises(ValueError, match="^Recibí una pareja"):
        estilo.transferir_estilo(skimage.data.coffee(), None, inicio=estilo.transferencia_interrumpida(), lado_maximo=64,
                                 red="squeezenet")
    assert len(estilo.transferencia_interrumpida()[1]["total"]) == 6


def test_una_sola_escala_interrumpida_dice_cuantas_iteraciones_faltan(monkeypatch):
    monkeypatch.setattr(estilo, "LineaDeAvance", _corta_en_la_sexta())
    with pytest.raises(KeyboardInterrupt, match=re.escape("transferir_estilo(…, inicio=imagen, iteraciones=4) sigue "
                                                          "desde ella con las que faltaban.")):
        estilo.transferir_estilo(skimage.data.coffee(), None, iteraciones=10, lado_maximo=64, red="squeezenet")


@pytest.mark.parametrize("inicio", ["contenid", "foto.jpg", Path("foto.jpg"), None, 3])
def test_inicio_que_no_sirve_se_explica(inicio):
    # Una ruta no vale (antes, "foto.jpg" se rechazaba y Path("foto.jpg") se aceptaba; None pedía una ruta).
    with pytest.raises(ValueError, match=re.escape(f"inicio={inicio!r} no sirve: usa \"contenido\", \"ruido\" o una "
                                                   "imagen ya cargada (la de estilo.transferencia_interrumpida() o la "
                                                   "de estilo.cargar_imagen(ruta)).")):
        estilo.transferir_estilo(skimage.data.coffee(), None, inicio=inicio, lado_maximo=64, red="squeezenet")


@pytest.mark.parametrize("metodo, peso, valor, inicio", [
    ("adam", "peso_estilo", 1e20, "contenido"), ("lbfgs", "peso_estilo", 1e30, "contenido"),
    ("lbfgs", "peso_variacion", 1e30, "contenido"), ("lbfgs", "peso_contenido", 1e30, "contenido"),
    ("adam", "peso_estilo", 1e38, "ruido"),  # ya la primera iteración: antes, un IndexError al escribir el avance
])
def test_unos_pesos_enormes_se_explican_y_nunca_dan_pixeles_nan(metodo, peso, valor, inicio):
    # Antes: Adam devolvía píxeles NaN sin decir nada; L-BFGS fallaba en SciPy («array must not contain infs or NaNs»).
    gato = estilo.cargar_imagen(skimage.data.chelsea(), 64)
    with pytest.raises(ValueError, match=rf"^La optimización se desbordó .*{re.escape(f'{peso}={valor:g}')}.*: usa pesos "
                                         "más pequeños"):
        estilo.transferir_estilo(gato, pinturas.pintura_pinceladas(64), metodo=metodo, iteraciones=5, lado_maximo=64,
                                 red="squeezenet", inicio=inicio, **{peso: valor})


def test_adam_con_varias_escalas_tras_otro_tamano():
    # Con la imagen como tf.Variable, la traza generalizada tras tres tamaños (41×61, 32×48 y 43×64) se
    # reutilizaba mal y TensorFlow fallaba dentro del grafo («Incompatible shapes»).
    estilo.olvidar_redes()
    estilo.transferir_estilo(skimage.data.rocket(), pinturas.pintura_pinceladas(64, "fuego"), iteraciones=2,
                             metodo="adam", lado_maximo=61, red="squeezenet")
    imagen, historial = estilo.transferir_estilo(skimage.data.coffee(), pinturas.pintura_geometrica(64, "mondrian"),
                                                 iteraciones=2, metodo="adam", escalas=(0.5, 1.0), lado_maximo=64,
                                                 red="squeezenet")
    assert imagen.shape == (43, 64, 3) and historial["escala"] == [0.5, 0.5, 1.0, 1.0]


@pytest.mark.parametrize("metodo", ["lbfgs", "adam"])
def test_transferencia_corta_reduce_la_perdida(metodo):
    pintura = pinturas.pintura_geometrica(64, "mondrian")
    imagen, historial = estilo.transferir_estilo(
        skimage.data.coffee(), pintura, iteraciones=8, metodo=metodo, escalas=(1.0,), lado_maximo=64, red="squeezenet"
    )
    assert imagen.shape == (43, 64, 3) and imagen.dtype == np.float32  # la foto es de 400×600
    assert 0 <= imagen.min() and imagen.max() <= 255
    assert len(historial["total"]) == 8
    assert historial["total"][-1] < historial["total"][0]


def test_la_transferencia_avisa_de_su_avance_en_espanol(capsys):
    estilo.transferir_estilo(skimage.data.coffee(), pinturas.pintura_geometrica(64, "mondrian"), iteraciones=4,
                             escalas=(0.5, 1.0), lado_maximo=64, red="squeezenet")
    lineas = capsys.readouterr().out.splitlines()  # a un archivo: la primera línea que toque y la última
    assert re.fullmatch(r"Iteración 8/8 · escala 1 · pérdida \S+ · tiempo .+ · \S+ m?s por iteración", lineas[-1])
    assert "step" not in " ".join(lineas) and "\x1b" not in " ".join(lineas)  # nada de la barra de Keras


def test_texto_del_avance_de_la_transferencia():
    historial = {"total": [2.5, 1.25, 1.0], "segundos": [1.5, 1.75, 2.0], "escala": [1.0, 1.0, 1.0]}
    assert textos_estilo.texto_avance(historial, 400) == (
        "Iteración 3/400 · faltan 1 min 39 s · pérdida 1,000 · tiempo 2 s · 0,25 s por iteración")
    assert textos_estilo.texto_avance(historial, 400, interrumpida=True) == (  # ya no falta nada
        "Interrumpida en la iteración 3/400 · pérdida 1,000 · tiempo 2 s · 0,25 s por iteración")
    historial["total"][-1] = float("nan")
    assert textos_estilo.texto_avance(historial, 3) == "Iteración 3/3 · pérdida NaN · tiempo 2 s · 0,25 s por iteración"
    primera = {"total": [2.5], "segundos": [0.4], "escala": [1.0]}
    assert textos_estilo.texto_avance(primera, 10) == "Iteración 1/10 · pérdida 2,500 · tiempo menos de 1 s"
    # Con dos escalas, el ritmo es el de la actual (sin su primera iteración, que prepara los objetivos)
    # y lo que falta solo se estima en la última: la pequeña es más barata.
    dos = {"total": [3.0] * 5, "segundos": [1.0, 1.1, 1.2, 2.0, 2.4], "escala": [0.5, 0.5, 0.5, 1.0, 1.0]}
    assert textos_estilo.texto_avance({k: v[:3] for k, v in dos.items()}, 6) == (
        "Iteración 3/6 · escala 0,5 · pérdida 3,000 · tiempo 1 s · 100 ms por iteración")
    assert textos_estilo.texto_avance(dos, 6) == (
        "Iteración 5/6 · escala 1 · falta menos de 1 s · pérdida 3,000 · tiempo 2 s · 0,40 s por iteración")


def test_preservar_color_conserva_el_color_de_la_foto():
    contenido = estilo.cargar_imagen(skimage.data.coffee(), 64)
    imagen, _ = estilo.transferir_estilo(
        contenido, pinturas.pintura_pinceladas(64, "fuego"), iteraciones=3, escalas=(1.0,), lado_maximo=64,
        preservar_color=True, red="squeezenet",
    )
    color_foto = skimage.color.rgb2yiq(contenido / 255)[..., 1:]
    color_resultado = skimage.color.rgb2yiq(imagen / 255)[..., 1:]
    assert np.abs(color_resultado - color_foto).mean() < 0.02


def test_con_preservar_color_el_progreso_muestra_la_imagen_en_color(monkeypatch):
    """Antes, mostrar_cada dibujaba la luminancia que se optimiza, en gris, y no la imagen en color que devuelve."""
    vistas = []
    monkeypatch.setattr(estilo, "mostrar_imagenes", lambda imagenes, **_: vistas.extend(imagenes.values()))
    contenido = estilo.cargar_imagen(skimage.data.coffee(), 64)
    imagen, _ = estilo.transferir_estilo(
        contenido, pinturas.pintura_pinceladas(64, "fuego"), iteraciones=2, lado_maximo=64, preservar_color=True,
        red="squeezenet", mostrar_cada=2,
    )
    assert len(vistas) == 1 and vistas[0].shape == imagen.shape
    np.testing.assert_allclose(vistas[0], imagen, atol=0.5)  # la última iteración dibujada es la devuelta


def test_cargar_imagen_rechaza_bombas_de_descompresion(tmp_path, monkeypatch):
    # El lector del curso mira la cabecera: una imagen que dice medir más de MAX_IMAGE_PIXELS ni se
    # decodifica. Se baja el límite para no escribir una imagen enorme.
    Image.new("RGB", (100, 100), "red").save(tmp_path / "grande.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ValueError, match="grande.png.*bomba"):
        estilo.cargar_imagen(tmp_path / "grande.png")


def test_imagenes_de_16_bits_listas_y_rangos_que_no_son_de_una_foto(tmp_path):
    foto = skimage.data.chelsea()[::8, ::8]
    esperada = estilo.cargar_imagen(foto, None)
    # 16 bits por canal (skimage o imageio leen así un PNG de 16 bits): antes se recortaba a blanco.
    np.testing.assert_allclose(estilo.cargar_imagen(foto.astype(np.uint16) * 257, None), esperada, atol=0.5)
    # Antes, negras sin avisar: una de 8 bits convertida a uint16 (leída como de 16) y una de Pillow en modo F (de
    # Image.fromarray con decimales en [0, 1]), que Pillow recortaba a [0, 255].
    with pytest.raises(ValueError, match=r"^imagen es uint16 y ninguno de sus valores pasa de 255: .*"
                                         r"imagen\.astype\(np\.uint8\)\.$"):
        estilo.guardar_imagen(foto.astype(np.uint16), tmp_path / "negra.png")
    en_modo_f = Image.fromarray((foto[..., 1] / 255).astype(np.float32))
    gris = estilo.cargar_imagen(foto[..., 1], None)
    np.testing.assert_allclose(estilo.cargar_imagen(en_modo_f, None), gris, atol=0.5)
    np.testing.assert_array_equal(estilo.cargar_imagen(foto.tolist(), None), esperada)
    with pytest.raises(ValueError, match=r"valores de -1 a 0,63\d*: .*\(imagen \+ 1\) / 2"):
        estilo.cargar_imagen(foto / 127.5 - 1, None)  # una imagen de la GAN, en [-1, 1]
    with pytest.raises(ValueError, match="valores de 0 a 416: "):
        estilo.cargar_imagen(foto * 2.0, None)
    # guardar_imagen entiende lo mismo que cargar_imagen: en [0, 1] no sale negra.
    ruta = estilo.guardar_imagen(foto / 255.0, tmp_path / "foto.png")
    np.testing.assert_array_equal(estilo.cargar_imagen(ruta, None), esperada)
    with pytest.raises(ValueError, match=r"foto»: no tiene extensión. Usa .png \(o .jpg, .webp\), p. ej. foto.png"):
        estilo.guardar_imagen(foto, tmp_path / "foto")
    with pytest.raises(ValueError, match=r"foto.txt»: la extensión «.txt» no es de imagen"):
        estilo.guardar_imagen(foto, tmp_path / "foto.txt")
    assert estilo.guardar_imagen(foto, tmp_path / "foto.bmp").stat().st_size > 0
    # Lo que guarda, cargar_imagen lo vuelve a leer. Antes, .tif se guardaba y luego cargar_imagen lo rechazaba
    # («no es una imagen JPEG, PNG, WebP, BMP ni GIF… conviértela a JPEG o PNG»).
    for extension in (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif"):
        assert estilo.cargar_imagen(estilo.guardar_imagen(foto, tmp_path / f"foto{extension}"), None).shape == foto.shape
    for extension in (".tif", ".TIFF"):
        with pytest.raises(ValueError, match=rf"foto{extension}»: el curso no lee TIFF \(no podrías volver a cargarla\)\. "
                                             r"Usa \.png \(o \.jpg, \.webp\), p\. ej\. foto\.png"):
            estilo.guardar_imagen(foto, tmp_path / f"foto{extension}")
        assert not (tmp_path / f"foto{extension}").exists()


@pytest.mark.parametrize("opcion, valor", [
    ("iteraciones", 0), ("iteraciones", 2.5), ("calentamiento", -1), ("lado_maximo", 0), ("escalas", ()),
    ("escalas", (0.5, 2.0)), ("escalas", (1.0, 0.5)), ("peso_estilo", -1.0), ("peso_contenido", float("nan")),
    # Antes: un error de TensorFlow en inglés al convertirlo, un TypeError tras la primera iteración, un dibujo en
    # cada iteración, o en modo normal una imagen de 100000 px de lado (MemoryError vacío).
    ("peso_estilo", 1e39), ("mostrar_cada", "a"), ("mostrar_cada", -1), ("mostrar_cada", 2.5), ("lado_maximo", 100000),
    ("escalas", {0.5, 1.0}),  # antes, tras la validación: «'set' object is not subscriptable»
    # Antes aceptados como 1 y 0 (un bool es un int de Python), y 10**400, OverflowError en inglés.
    ("peso_estilo", True), ("peso_variacion", False), ("escalas", (True,)), ("peso_contenido", 10**400),
])
def test_transferir_estilo_explica_una_opcion_sin_sentido(opcion, valor):
    with pytest.raises(ValueError, match=rf"^{opcion}=.* no es válido: "):
        estilo.transferir_estilo(skimage.data.coffee(), skimage.data.chelsea(), red="squeezenet", **{opcion: valor})


def test_dibujos_con_imagenes_en_cualquier_formato(tmp_path, monkeypatch, capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dibujadas = []
    monkeypatch.setattr(plt, "show", lambda: dibujadas.append([eje.images[0].get_array() for eje in plt.gcf().axes
                                                               if eje.images]))
    foto = estilo.cargar_imagen(skimage.data.coffee(), 64)
    estilo.guardar_imagen(foto, tmp_path / "cafe.png")
    # En [0, 1] (antes, negra), gris 2-D (antes, en falso color) y como ruta: lo mismo que en [0, 255].
    estilo.mostrar_imagenes({"0-255": foto, "0-1": foto / 255, "gris": foto.mean(axis=-1), "ruta": tmp_path / "cafe.png"})
    normal, unidad, gris, ruta = dibujadas[-1]
    np.testing.assert_array_equal(unidad, normal)
    np.testing.assert_array_equal(ruta, normal)
    assert gris.shape == normal.shape and (gris[..., 0] == gris[..., 2]).all()
    estilo.mostrar_mapas(tmp_path / "cafe.png", capas="conv1", canales=2, red="squeezenet")
    assert len(dibujadas[-1]) == 2  # una capa, dos canales
    # Una muestra de GAN de 16 px: antes, oneDNN tumbaba el proceso («Floating point exception»).
    muestra = np.random.default_rng(0).integers(0, 256, (16, 24, 3), dtype=np.uint8)
    estilo.mostrar_mapas(muestra, canales=2, red="squeezenet")
    mapas_dibujados = dibujadas[-1][::2]  # el primer canal de cada capa
    estilo.mostrar_gram({"muestra": muestra, "café": foto}, red="squeezenet")
    assert len(dibujadas[-1]) == 2
    # conv1 tiene 64 canales: el título dice los que se ven, no los pedidos (antes, «1000 canales»).
    estilo.mostrar_gram({"café": foto}, capa="conv1", canales=1000, red="squeezenet")
    assert dibujadas[-1][0].shape == (64, 64)
    assert plt.gcf()._suptitle.get_text() == "Matriz de Gram de conv1 (64 canales)"
    # mostrar_mapas amplía más: a 32 px, fire7 quedaba en 1×1 y sus mapas, de un solo color.
    assert [m.shape for m in mapas_dibujados] == [(31, 47), (15, 23), (15, 23), (7, 11), (3, 5)]
    salida = capsys.readouterr().out
    assert salida.count("La imagen mide 24×16 px: la amplío a 96×64, para que los mapas de las capas profundas") == 1
    assert salida.count("La imagen mide 24×16 px: la amplío a 48×32, lo mínimo para la red.") == 1
    with pytest.raises(ValueError, match="al menos una imagen"):
        estilo.mostrar_imagenes({})
    with pytest.raises(ValueError, match="canales=0"):
        estilo.mostrar_gram({"café": foto}, canales=0)
    with pytest.raises(ValueError, match="una sola capa"):
        estilo.mostrar_gram({"café": foto}, capa=["fire5"])
    # El par (imagen, historial) de transferir_estilo en lugar del historial: antes, un AttributeError.
    historial = {"evaluaciones": [1, 2], "segundos": [0.1, 0.2], "total": [2.0, 1.0]}
    for historiales, mensaje in (((foto, historial), "lo que llega es de tipo tuple"),
                                 ({"L-BFGS": (foto, historial)}, "el de «L-BFGS» es de tipo tuple")):
        with pytest.raises(TypeError, match=f"{mensaje}.*resultado, historial = transferir_estilo"):
            estilo.dibujar_historiales(historiales)
    estilo.dibujar_historiales(historial, tmp_path / "historial.png")
    assert (tmp_path / "historial.png").stat().st_size > 0
    # El título solo habla de cambios de escala si algún historial los tiene.
    titulos = []
    monkeypatch.setattr(imagenes_estilo, "guardar_o_mostrar", lambda figura, ruta: titulos.append(figura._suptitle.get_text()))
    estilo.dibujar_historiales({"una escala": {**historial, "escala": [1.0, 1.0]}})
    estilo.dibujar_historiales({"dos escalas": {**historial, "escala": [0.5, 1.0]}})
    assert titulos == ["Pérdida durante la optimización",
                       "Pérdida durante la optimización (los saltos son cambios de escala)"]
    plt.close("all")


def test_el_lado_minimo_no_acepta_una_salida_de_cero_px():
    class SinError:  # como Keras 3.13 con TensorFlow 2.16: por debajo de 31 px, una salida de 0 px y ningún error
        def compute_output_shape(self, forma):
            lado = forma[1]
            if lado < 8:
                raise ValueError("Computed output size would be negative")
            return {"contenido": [(1, lado // 8, lado // 8, 256)], "estilo": [(1, lado // 2, lado // 2, 64),
                                                                               (1, max(lado - 30, 0), None, 384)]}

    assert perdidas_estilo._lado_minimo(SinError()) == 31


def test_una_imagen_en_lote_o_con_los_canales_delante_dice_que_hacer():
    # Antes: «La imagen debe tener forma …; tiene (1, 8, 8, 3).», sin decir cuál de las dos ni qué hacer.
    foto = np.zeros((8, 8, 3), np.float32)
    with pytest.raises(ValueError, match=re.escape("contenido tiene forma (1, 8, 8, 3) y debe ser una imagen (alto, "
                                                   "ancho), (alto, ancho, 3) o (alto, ancho, 4): es un lote de una "
                                                   "imagen: quítale el eje del lote, imagen[0].")):
        estilo.transferir_estilo(foto[None], foto, iteraciones=1, red="squeezenet")
    with pytest.raises(ValueError, match=re.escape("estilo tiene forma (3, 8, 8) y debe ser una imagen") + ".*"
                                         + re.escape("canales delante: ponlos detrás con np.transpose(imagen, (1, 2, 0))")):
        estilo.transferir_estilo(foto, foto.transpose(2, 0, 1), iteraciones=1, red="squeezenet")
    with pytest.raises(ValueError, match=r"^fuente tiene forma \(2, 8, 8, 3\) .*: es un lote de 2 imágenes: pasa una"):
        estilo.cargar_imagen(np.stack([foto, foto]))


def test_una_imagen_en_0_1_con_el_redondeo_de_una_cuenta_no_sale_negra():
    # Ida y vuelta por YIQ: el máximo queda en 1,0000000000000002. Antes se leía como [0, 255]: casi negra.
    foto = skimage.data.astronaut() / 255.0
    vuelta = skimage.color.yiq2rgb(skimage.color.rgb2yiq(foto))
    assert vuelta.max() > 1
    np.testing.assert_allclose(estilo.cargar_imagen(vuelta, 64), estilo.cargar_imagen(foto, 64), atol=1)


def test_una_imagen_en_0_1_que_se_pasa_un_poco_se_explica_en_lugar_de_salir_negra():
    # Una bicúbica sobre una foto en [0, 1] se pasa de 1 en los bordes. Antes se leía como [0, 255]: casi negra.
    foto = skimage.data.astronaut()[::8, ::8] / 255.0
    ampliada = tf.image.resize(foto, (128, 128), method="bicubic").numpy()
    assert 1.01 < ampliada.max() <= 2
    with pytest.raises(ValueError, match=r"^contenido tiene valores de .* a 1,\d+: parece una imagen en \[0, 1\] que se "
                                         r"pasa un poco .* Recórtala con np\.clip\(imagen, 0, 1\)"):
        estilo.transferir_estilo(ampliada, foto, iteraciones=1, lado_maximo=32)
    assert estilo.cargar_imagen(np.clip(ampliada, 0, 1), 64).mean() > 50  # recortada, se lee como [0, 1]


def test_perdidas_con_una_imagen_sin_lote_o_mapas_en_lugar_de_gram_se_explican():
    # Antes: InvalidArgumentError de TensorFlow en inglés («Expected begin and size arguments…», «Incompatible shapes»).
    with pytest.raises(ValueError, match=re.escape("perdida_variacion recibe imágenes (n, alto, ancho, canales) y le "
                                                   "llegó un tensor de forma (8, 8, 3): si es una sola imagen, pásala "
                                                   "como lote de una, imagen[None].")):
        estilo.perdida_variacion(np.zeros((8, 8, 3), np.float32))
    mapas = tf.ones((1, 5, 5, 4))
    with pytest.raises(ValueError, match=r"^grams_objetivo trae mapas \(n, alto, ancho, canales\), no matrices de Gram"):
        estilo.perdida_estilo([mapas], [mapas])
    assert float(estilo.perdida_estilo([mapas], [estilo.matriz_gram(mapas)])) == 0.0


def test_dibujar_historiales_cuenta_gradientes_enteros(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    figuras = []
    monkeypatch.setattr(imagenes_estilo, "guardar_o_mostrar", lambda figura, ruta: figuras.append(figura))
    # 20 iteraciones (el modo rápido del cuaderno 05): antes, marcas «2,5», «7,5» y «12,5 gradientes».
    estilo.dibujar_historiales({"L-BFGS": {"evaluaciones": list(range(1, 21)), "segundos": [0.1 * i for i in range(1, 21)],
                                          "total": [10.0 / i for i in range(1, 21)]}})
    figura = figuras[0]
    figura.canvas.draw()
    marcas = [m.get_text() for m in figura.axes[0].get_xticklabels() if m.get_text()]
    assert marcas and all(m.lstrip("−-").isdigit() for m in marcas), marcas
    import matplotlib.pyplot as plt

    plt.close("all")


def test_la_leyenda_de_los_historiales_no_tapa_ninguna_curva(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    figuras = []
    monkeypatch.setattr(imagenes_estilo, "guardar_o_mostrar", lambda figura, ruta: figuras.append(figura))
    # Como en el cuaderno 05: Adam empieza cuando L-BFGS ya ha terminado. Antes, con loc="best" en cada panel,
    # la leyenda podía caer sobre el principio de la curva de Adam, según lo que tardara cada método.
    rapido = {"evaluaciones": list(range(2, 22)), "segundos": [0.1 + 0.02 * i for i in range(20)],
              "total": [10.0 / (1 + i) for i in range(20)]}
    lento = {"evaluaciones": list(range(1, 21)), "segundos": [1.0 + 0.02 * i for i in range(20)],
             "total": [10.0 - 0.3 * i for i in range(20)]}
    estilo.dibujar_historiales({"L-BFGS": rapido, "Adam": lento})
    figura = figuras[0]
    figura.canvas.draw()
    leyendas = figura.legends + [eje.get_legend() for eje in figura.axes if eje.get_legend()]
    assert len(leyendas) == 1 and [t.get_text() for t in leyendas[0].get_texts()] == ["L-BFGS", "Adam"]
    caja = leyendas[0].get_window_extent()
    assert not any(caja.overlaps(eje.get_window_extent()) for eje in figura.axes)
    import matplotlib.pyplot as plt

    plt.close("all")


def test_las_matrices_de_gram_comparten_escala_y_los_mapas_no_dejan_huecos(monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figuras = []
    monkeypatch.setattr(plt, "show", lambda: figuras.append(plt.gcf()))
    foto = estilo.cargar_imagen(skimage.data.coffee(), 64)
    # Antes, cada matriz con su propia escala y sin barra: la de la foto (mucho más débil) se veía igual de viva
    # que la de la pintura, y la pérdida de estilo compara valores.
    estilo.mostrar_gram({"café": foto, "café oscuro": foto * 0.3}, red="squeezenet")
    dibujos = [eje.images[0] for eje in figuras[-1].axes if eje.images]
    assert len(dibujos) == 2 and dibujos[0].get_clim() == dibujos[1].get_clim()
    assert dibujos[0].get_clim() == (min(d.get_array().min() for d in dibujos), max(d.get_array().max() for d in dibujos))
    assert any(eje.get_ylabel() == "G[c, d]" for eje in figuras[-1].axes)  # la barra de color
    # Una foto apaisada (400×600): antes, más blanco entre fila y fila de mapas que alto tenía cada mapa.
    estilo.mostrar_mapas(estilo.cargar_imagen(skimage.data.coffee(), 192), canales=6, red="squeezenet")
    figura = figuras[-1]
    figura.canvas.draw()
    filas = [figura.axes[i].get_window_extent() for i in range(0, len(figura.axes), 6)]
    assert all(arriba.y0 - abajo.y1 < 0.5 * arriba.height for arriba, abajo in zip(filas, filas[1:]))
    plt.close("all")


def test_cargar_imagen_pone_blanco_bajo_el_gris_transparente_de_un_png_de_16_bits(tmp_path):
    # Antes, el gris transparente (tRNS) de un PNG gris de 16 bits salía tal cual (aquí, negro), no blanco.
    gris = np.full((4, 6), 40 * 257, np.uint16)
    gris[:, :3] = 0
    Image.fromarray(gris).save(tmp_path / "dieciseis.png", transparency=0)
    esperada = np.where(gris[..., None] == 0, 255, 40) * np.ones(3)
    np.testing.assert_array_equal(estilo.cargar_imagen(tmp_path / "dieciseis.png", None), esperada)
    with Image.open(tmp_path / "dieciseis.png") as abierta:
        np.testing.assert_array_equal(estilo.cargar_imagen(abierta, None), esperada)


def test_un_gif_animado_de_pillow_se_rechaza_como_su_archivo(tmp_path):
    # Antes, abierto con Image.open, se usaba su primer fotograma sin avisar; su ruta sí se rechazaba.
    cuadros = [Image.new("RGB", (8, 8), color) for color in ("red", "green", "blue")]
    cuadros[0].save(tmp_path / "animada.gif", save_all=True, append_images=cuadros[1:], duration=100)
    with pytest.raises(ValueError, match="animada, con 3 fotogramas: guarda uno como PNG"):
        estilo.cargar_imagen(tmp_path / "animada.gif")
    with Image.open(tmp_path / "animada.gif") as animada:
        with pytest.raises(ValueError, match=r'^No puedo usar la imagen: animada, con 3 fotogramas: elige uno con '
                                             r'imagen\.seek\(número\) y pasa imagen\.convert\("RGB"\), o guárdalo como PNG\.$'):
            estilo.cargar_imagen(animada)
        animada.seek(2)  # lo que propone el mensaje
        np.testing.assert_array_equal(estilo.cargar_imagen(animada.convert("RGB"), None)[0, 0], [0, 0, 255])


def test_estilo_reexporta_lo_que_vive_en_sus_modulos():
    # Los cuadernos, la lección y los benchmarks usan «estilo.<nombre>»: es lo mismo que en su módulo, no una copia.
    todo = {}
    exec("from helpers.estilo import *", todo)
    casas = {estilo: ("CALENTAMIENTO", "transferir_estilo", "transferencia_interrumpida"),
             frecuencias_estilo: ("EXPONENTE_FRECUENCIAS", "en_frecuencias"),
             optimizadores_estilo: ("MEMORIA_LBFGS", "PASO_LBFGS", "olvidar_redes"),
             perdidas_estilo: ("CAPAS", "crear_perdida", "elegir_red", "extractor_estilo", "matriz_gram",
                               "perdida_contenido", "perdida_estilo", "perdida_variacion"),
             imagenes_estilo: ("CANALES_MAXIMOS", "LADO_MAXIMO", "PINTURAS_EN_LINEA", "cargar_imagen", "dibujar_historiales",
                               "guardar_imagen", "mostrar_gram", "mostrar_imagenes", "mostrar_mapas")}
    for modulo, nombres in casas.items():
        for nombre in nombres:
            assert todo[nombre] is getattr(modulo, nombre), nombre
    assert set(todo) - {"__builtins__"} == set(estilo.__all__) == {n for nombres in casas.values() for n in nombres}
    # Las importaciones van en un solo sentido: ninguno de sus módulos llega a estilo (tampoco dentro de una función,
    # ni con «from helpers import estilo»).
    grafo = grafo_de_importaciones()
    for modulo in (frecuencias_estilo, optimizadores_estilo, opciones_estilo, textos_estilo, color_estilo, perdidas_estilo,
                   imagenes_estilo):
        assert "estilo" not in alcanzables(grafo, modulo.__name__.rpartition(".")[2]), modulo.__name__


def test_los_ajustes_de_l_bfgs_y_el_gradiente_trazado_se_leen_en_su_modulo(monkeypatch):
    # benchmarks/exponente_frecuencias.py y lbfgs_vgg19_al_azar.py cambian estos ajustes, y velocidad_estilo.py
    # minimizar_lbfgs, donde se leen: cambiarlos en estilo, que solo los reexporta, no haría nada.
    monkeypatch.setattr(frecuencias_estilo, "EXPONENTE_FRECUENCIAS", 0.0)
    a_imagen, _ = estilo.en_frecuencias(tf.zeros((1, 8, 8, 3)))
    np.testing.assert_array_equal(a_imagen.peso.numpy(), 1)  # f⁰: ninguna frecuencia amplificada
    recibidos = []

    def minimizar(funcion, x, iteraciones, memoria, paso, al_iterar):
        recibidos.append((memoria, paso))
        return x

    monkeypatch.setattr(optimizadores_estilo, "minimizar_lbfgs", minimizar)
    monkeypatch.setattr(optimizadores_estilo, "MEMORIA_LBFGS", 7)
    monkeypatch.setattr(optimizadores_estilo, "PASO_LBFGS", 0.5)
    foto = estilo.cargar_imagen(skimage.data.coffee(), 64)
    perdida = estilo.crear_perdida(estilo.extractor_estilo("squeezenet"), foto, None)
    optimizadores_estilo.optimizar_lbfgs(perdida, (foto / 255.0)[None].astype(np.float32), 5, lambda *_: None)
    assert recibidos == [(7, 0.5)]
    # Una sola caché del gradiente trazado: estilo.olvidar_redes la vacía.
    assert optimizadores_estilo._gradiente_compilado.cache_info().currsize >= 1
    estilo.olvidar_redes()
    assert optimizadores_estilo._gradiente_compilado.cache_info().currsize == 0
