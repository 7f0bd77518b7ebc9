import re
import tracemalloc

import keras
import numpy as np
import pytest
import skimage.data

import helpers
from helpers import fid_kid, memorizacion, metricas, swd
from helpers.datos import redimensionar


def test_frechet_de_gaussianas_conocidas():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4000, 3))
    assert metricas.distancia_frechet(a, a) < 1e-4
    # Medias separadas por 2 en cada eje y misma covarianza: ‖Δμ‖² = 12.
    assert abs(metricas.distancia_frechet(a, a + 2.0) - 12.0) < 1e-3
    # Desviación 1 frente a 2 en 3 ejes: Tr(1 + 4 − 2·2) · 3 = 3.
    assert abs(metricas.distancia_frechet(a, 2 * rng.normal(size=(4000, 3))) - 3.0) < 0.3


def test_digitos_reales_puntuan_bien_y_el_ruido_mal():
    reales, _ = helpers.imagenes_digitos(16)
    buenos = metricas.evaluar_digitos(reales)
    assert buenos["clases_cubiertas"] == 10 and buenos["confianza_alta"] > 0.8 and buenos["frechet"] < 5
    ruido = np.random.default_rng(0).uniform(-1, 1, (500, 16, 16, 1)).astype(np.float32)
    malos = metricas.evaluar_digitos(ruido)
    assert malos["confianza_alta"] < 0.1 and malos["frechet"] > 20 * buenos["frechet"]
    with pytest.warns(UserWarning, match=r"ampliados a 28 px: sus cifras sirven para una GAN entrenada con "
                                         r"helpers\.imagenes_digitos\(28\), no con MNIST"):
        metricas.evaluar_digitos(np.zeros((10, 28, 28, 1), np.float32))


def test_un_generador_colapsado_cubre_menos_clases():
    reales, etiquetas = helpers.imagenes_digitos(16)
    colapsado = metricas.evaluar_digitos(reales[etiquetas == 3][:100].repeat(5, axis=0))
    assert colapsado["clases_cubiertas"] <= 2 and colapsado["reparto"][3] > 0.9
    diverso = metricas.evaluar_digitos(reales[:500])
    assert colapsado["frechet"] > 5 * diverso["frechet"]


# --- SWD, FID, KID y memorización con caras (en gris) y fotos (en color) incluidas en skimage ---


@pytest.fixture(scope="module")
def caras():
    """Las 100 caras de ``lfw_subset`` a 32×32 en [-1, 1], barajadas: dos mitades de 50 comparables."""
    imagenes = skimage.data.lfw_subset()[:100, ..., None].astype(np.float32) * 2 - 1
    return redimensionar(imagenes, 32)[np.random.default_rng(0).permutation(100)]


def ruido_como(imagenes, semilla=1):
    return np.clip(np.random.default_rng(semilla).normal(0, 0.5, imagenes.shape), -1, 1).astype(np.float32)


def test_piramide_laplaciana_reconstruye_la_imagen(caras):
    niveles = metricas.piramide_laplaciana(caras[:4])
    assert [nivel.shape[1] for nivel in niveles] == [32, 16]
    # Ampliar el nivel pequeño como lo hace la pirámide y sumar los detalles devuelve el original.
    ampliada = np.zeros_like(caras[:4])
    ampliada[:, ::2, ::2] = niveles[1]
    np.testing.assert_allclose(niveles[0] + 4 * swd._suavizar(ampliada), caras[:4], atol=1e-5)


def test_swd_de_conjuntos_identicos_es_cero_y_repetible(caras):
    assert metricas.distancia_swd(caras[:50], caras[:50], parches_por_imagen=32)["media"] == 0.0
    una = metricas.distancia_swd(caras[:50], caras[50:], semilla=3, parches_por_imagen=32)
    assert una == metricas.distancia_swd(caras[:50], caras[50:], semilla=3, parches_por_imagen=32)
    assert set(una) == {"32px", "16px", "media"}
    for opcion, mensaje in (({"proyecciones": 0}, "proyecciones=0 no es válido: debe ser un entero"),
                            ({"semilla": -1}, "semilla=-1 no es válida: usa un número entero")):
        with pytest.raises(ValueError, match=mensaje):  # antes, NaN sin aviso o un error de NumPy
            metricas.distancia_swd(caras[:50], caras[50:], **opcion)


def test_swd_reales_bajo_colapso_peor_ruido_alto(caras):
    def swd(otras):
        return metricas.distancia_swd(caras[:50], otras, parches_por_imagen=32)["media"]

    reales, colapso, ruido = swd(caras[50:]), swd(np.repeat(caras[50:51], 50, axis=0)), swd(ruido_como(caras[50:]))
    assert 2 * reales < colapso < ruido and ruido > 10 * reales


def test_swd_en_color_con_varios_niveles():
    fotos = [skimage.data.astronaut(), skimage.data.coffee(), skimage.data.chelsea()]
    # 30 recortes de 64×64 de tres fotos: imágenes en color con textura real.
    rng = np.random.default_rng(0)
    recortes = np.stack([
        foto[y : y + 64, x : x + 64]
        for foto in fotos
        for y, x in rng.integers(0, 230, (10, 2))
    ]).astype(np.float32) / 127.5 - 1
    resultado = metricas.distancia_swd(recortes[::2], recortes[1::2], parches_por_imagen=32, proyecciones=128)
    assert set(resultado) == {"64px", "32px", "16px", "media"}
    ruido = metricas.distancia_swd(recortes[::2], ruido_como(recortes[1::2]), parches_por_imagen=32, proyecciones=128)
    assert ruido["media"] > 5 * resultado["media"]


def test_swd_avisa_de_tamanos_distintos(caras):
    with pytest.raises(ValueError, match="redimensiona"):
        metricas.distancia_swd(caras, redimensionar(caras, 16))


def test_caracteristicas_de_squeezenet_en_gris_y_color(caras):
    gris = metricas.caracteristicas(caras[:3])
    color = metricas.caracteristicas(np.zeros((2, 48, 48, 3), np.float32))
    assert gris.shape == (3, 512) and color.shape == (2, 512) and np.all(gris >= 0)
    assert metricas.modelo_caracteristicas() is metricas.modelo_caracteristicas("squeezenet")  # construido una sola vez
    np.testing.assert_allclose(metricas.caracteristicas(np.repeat(caras[:3], 3, axis=-1)), gris, atol=1e-4)


def test_extractor_en_float32_aunque_se_entrene_con_precision_mixta(monkeypatch, caras):
    normales = metricas.caracteristicas(caras[:2])
    monkeypatch.setattr(fid_kid, "_MODELOS_CARACTERISTICAS", {})
    keras.config.set_dtype_policy("mixed_bfloat16")
    try:
        mixtas = metricas.caracteristicas(caras[:2])
    finally:
        keras.config.set_dtype_policy("float32")
    np.testing.assert_allclose(mixtas, normales, rtol=1e-4, atol=1e-4)


def test_fid_y_kid_separan_reales_colapso_y_ruido(caras):
    a, b = caras[:50], caras[50:]
    assert metricas.distancia_fid(a, a) == {"fid": pytest.approx(0, abs=1e-3), "red": "SqueezeNet"}
    kid = metricas.distancia_kid(a, b)
    assert kid["red"] == "SqueezeNet" and abs(kid["kid"]) < 2 * kid["desviacion"] + 0.01  # compatible con 0
    # Otra resolución o 0 subconjuntos: antes, una cifra sin sentido o NaN sin aviso.
    for distancia in (metricas.distancia_kid, metricas.distancia_fid):
        with pytest.raises(ValueError, match=r"«reales» \(32, 32, 1\) y «generadas» \(16, 16, 1\) deben tener el mismo"):
            distancia(a, b[:, ::2, ::2])
    with pytest.raises(ValueError, match="subconjuntos=0 no es válido"):
        metricas.distancia_kid(a, b, subconjuntos=0)
    # El resto, con las características ya calculadas (es lo que hacen distancia_fid y distancia_kid).
    reales = metricas.caracteristicas(a)
    otras = {
        "reales": b,
        "cinco caras": np.tile(b[:5], (10, 1, 1, 1)),
        "una cara": np.repeat(b[:1], 50, axis=0),
        "ruido": ruido_como(b),
    }
    fid = {k: metricas.distancia_frechet(reales, metricas.caracteristicas(v)) for k, v in otras.items()}
    assert 1.5 * fid["reales"] < fid["cinco caras"] < fid["una cara"] < fid["ruido"]
    kid = {k: metricas.kid_de_caracteristicas(reales, metricas.caracteristicas(v)) for k, v in otras.items()}
    media_reales, desviacion_reales = kid["reales"]
    assert media_reales + 3 * desviacion_reales < kid["cinco caras"][0] < kid["una cara"][0]
    assert kid["ruido"][0] > kid["cinco caras"][0]


def test_mmd_polinomico_es_insesgado():
    rng = np.random.default_rng(0)
    # Muestras pequeñas de la misma gaussiana: el MMD² sesgado saldría siempre > 0; el insesgado
    # oscila alrededor de 0.
    valores = [metricas.mmd_polinomico(rng.normal(size=(20, 8)), rng.normal(size=(20, 8))) for _ in range(300)]
    assert min(valores) < 0 < max(valores) and abs(np.mean(valores)) < 3 * np.std(valores) / np.sqrt(300)
    assert metricas.mmd_polinomico(rng.normal(size=(200, 8)), rng.normal(1.0, 1, (200, 8))) > 10 * np.std(valores)
    media, desviacion = metricas.kid_de_caracteristicas(rng.normal(size=(100, 8)), rng.normal(size=(80, 8)))
    assert desviacion > 0 and abs(media) < 3 * desviacion


def test_inception_sin_red_avisa_y_usa_squeezenet(monkeypatch, caras):
    def sin_conexion(**_):
        raise OSError("sin conexión")

    monkeypatch.setattr(keras.applications, "InceptionV3", sin_conexion)
    # Caché nueva (la de siempre vuelve al acabar la prueba), con la SqueezeNet ya construida.
    monkeypatch.setattr(fid_kid, "_MODELOS_CARACTERISTICAS", {"squeezenet": metricas.modelo_caracteristicas()})
    with pytest.warns(UserWarning, match="InceptionV3.*SqueezeNet"):
        resultado = metricas.distancia_fid(caras[:20], caras[20:40], red="inception")
    assert resultado["red"] == "SqueezeNet"


def test_inception_se_amplia_a_299_y_se_etiqueta(monkeypatch):
    # Sustituta sin descargas: la media de cada canal (comprueba el envoltorio, no Inception).
    monkeypatch.setattr(
        keras.applications, "InceptionV3", lambda **_: keras.Sequential([keras.layers.GlobalAveragePooling2D()])
    )
    monkeypatch.setattr(fid_kid, "_MODELOS_CARACTERISTICAS", {})
    modelo, nombre = metricas.modelo_caracteristicas("inception")
    assert nombre == "InceptionV3" and modelo.layers[1].output.shape[1:3] == (299, 299)
    np.testing.assert_allclose(metricas.caracteristicas(np.full((2, 16, 16, 1), 0.5), "inception"), 0.5, atol=1e-5)


def test_red_desconocida():
    with pytest.raises(ValueError, match="red='vgg'"):
        metricas.caracteristicas(np.zeros((1, 16, 16, 1)), red="vgg")


def test_copias_del_entrenamiento_distancia_cero_e_indice_correcto(caras):
    entrenamiento = caras[:60]
    elegidas = np.array([5, 0, 59, 17])
    indices, distancias = metricas.vecinos_mas_cercanos(entrenamiento[elegidas], entrenamiento, lote=3)
    np.testing.assert_array_equal(indices, elegidas)
    np.testing.assert_array_equal(distancias, 0.0)
    _, lejos = metricas.vecinos_mas_cercanos(ruido_como(caras[:4]), entrenamiento)
    assert np.all(lejos > 10)
    indices, _ = metricas.vecinos_mas_cercanos(entrenamiento[elegidas] + 0.01, entrenamiento, red="squeezenet")
    np.testing.assert_array_equal(indices, elegidas)


def test_las_vecinas_mas_cercanas_no_copian_el_bloque_una_vez_por_candidata():
    """Antes, las distancias exactas a las k candidatas se calculaban de una vez: k copias del bloque de consultas
    (a 128 px, con k = 8 y 256 consultas, 400 MB más al revisar una entrega)."""
    rng = np.random.default_rng(0)
    consultas, imagenes = rng.random((64, 3 * 32 * 32), dtype=np.float32), rng.random((100, 3 * 32 * 32), dtype=np.float32)
    imagenes[7] = consultas[2]
    tracemalloc.start()
    try:
        indices, distancias = memorizacion._vecinas(consultas, imagenes, 8, lote=64)
        pico = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert pico < 4 * consultas.nbytes, pico  # antes, más de 16 veces (8 candidatas: la resta y su cuadrado)
    exactas = np.linalg.norm(consultas[:, None] - imagenes[None], axis=2)
    assert np.array_equal(indices, np.argsort(exactas, axis=1, kind="stable")[:, :8])
    np.testing.assert_allclose(distancias, np.sort(exactas, axis=1)[:, :8], rtol=1e-5)
    assert indices[2, 0] == 7 and distancias[2, 0] == 0.0
    # Lo mismo al buscar la segunda vecina que no es copia de la primera (antes, 7 copias a la vez).
    imagenes[8] = imagenes[7]  # una foto repetida: la segunda de la consulta 2 no es la 8, copia de la 7
    indices, distancias = memorizacion._vecinas(consultas, imagenes, 8, lote=64)
    tracemalloc.start()
    try:
        cociente = memorizacion._primera_entre_segunda(imagenes, indices, distancias, escala=float(np.median(distancias[:, 0])))
        pico = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert pico < 4 * consultas.nbytes, pico
    distintas = np.linalg.norm(imagenes[indices[:, :1]] - imagenes[indices[:, 1:]], axis=2) > 0.1 * np.median(distancias[:, 0])
    segunda = np.where(distintas.any(axis=1), np.argmax(distintas, axis=1) + 1, 7)
    assert segunda[2] == 2 and cociente == float(np.median(distancias[:, 0] / distancias[np.arange(64), segunda]))


def test_comprobar_memorizacion(caras):
    entrenamiento, reserva, otras = caras[:50], caras[50:75], caras[75:]
    copias = metricas.comprobar_memorizacion(entrenamiento[:20] + 0.02, entrenamiento, reserva)
    assert copias["cociente"] < 0.1
    nuevas = metricas.comprobar_memorizacion(otras, entrenamiento, reserva)
    assert 0.7 < nuevas["cociente"] < 1.4
    assert 0.7 < nuevas["diversidad"] < 1.4 and copias["diversidad"] > 0.7
    assert metricas.lectura_memorizacion(copias).endswith("memoriza")
    assert metricas.lectura_memorizacion(nuevas).startswith("las muestras no se parecen al entrenamiento")


def test_muestras_casi_iguales_no_se_leen_como_memorizacion(caras):
    """La cara media con un poco de ruido (como las manchas de un generador sin entrenar) queda más
    cerca de cada cara de entrenamiento que las caras entre sí, sin copiar ninguna."""
    entrenamiento, reserva = caras[:50], caras[50:75]
    ruido = 0.02 * np.random.default_rng(0).normal(size=(64,) + caras.shape[1:])
    manchas = metricas.comprobar_memorizacion(entrenamiento.mean(axis=0) + ruido, entrenamiento, reserva)
    assert manchas["cociente"] < 0.9 and manchas["diversidad"] < 0.1
    assert metricas.muestras_casi_iguales(manchas)
    assert metricas.lectura_memorizacion(manchas).startswith("las muestras son casi iguales entre sí")
    assert manchas["primera_entre_segunda"] > metricas.UMBRAL_PRIMERA_ENTRE_SEGUNDA
    # Todas la misma foto de entrenamiento, con más o menos ruido: colapso y además copia.
    for sigma in (0.02, 0.05, 0.1):
        calcadas = metricas.comprobar_memorizacion(entrenamiento[3] + ruido * sigma / 0.02, entrenamiento, reserva)
        assert calcadas["primera_entre_segunda"] < 0.5 and not metricas.muestras_casi_iguales(calcadas)
        assert calcadas["primera_entre_detalle"] < 0.6 * metricas.UMBRAL_PRIMERA_ENTRE_DETALLE  # con margen
        assert metricas.lectura_memorizacion(calcadas).endswith("memoriza"), sigma


def test_una_mancha_lisa_junto_a_una_foto_casi_lisa_no_se_lee_como_memorizacion(caras):
    """Una entrega de 1 época a 128 px (manchas grises) salía «posible memorización» en revisar: con pocas fotos,
    una casi lisa quedaba mucho más cerca de la mancha que la segunda, como si la mancha estuviera encima de ella."""
    entrenamiento, reserva = np.concatenate([caras[:50], 0.1 * caras[3:4]]), caras[50:75]
    manchas = 0.002 * np.random.default_rng(0).normal(size=(64,) + caras.shape[1:])
    resultado = metricas.comprobar_memorizacion(manchas, entrenamiento, reserva)
    assert resultado["cociente"] < 0.3 and resultado["primera_entre_segunda"] < metricas.UMBRAL_PRIMERA_ENTRE_SEGUNDA
    assert resultado["primera_entre_detalle"] > 1 and metricas.muestras_casi_iguales(resultado)
    assert metricas.lectura_memorizacion(resultado).startswith("las muestras son casi iguales entre sí")
    # Con la red no se mide (sus características no tienen un «color medio»), y la lectura es la de antes.
    assert metricas.comprobar_memorizacion(manchas, entrenamiento, reserva, red="squeezenet")["primera_entre_detalle"] is None


def test_una_foto_repetida_en_el_entrenamiento_no_oculta_la_copia(caras):
    # Con dos copias de la foto en el entrenamiento, una muestra calcada está igual de cerca de las dos:
    # la segunda vecina que cuenta es otra foto.
    entrenamiento, reserva = np.concatenate([caras[:50], caras[3:4]]), caras[50:75]
    ruido = np.random.default_rng(0).normal(size=(64,) + caras.shape[1:])
    for sigma in (0.02, 0.05):
        calcadas = metricas.comprobar_memorizacion(caras[3] + sigma * ruido, entrenamiento, reserva)
        assert calcadas["primera_entre_segunda"] < 0.5 and metricas.lectura_memorizacion(calcadas).endswith("memoriza")


def test_la_diversidad_sin_reserva_que_comparar_no_se_inventa(caras):
    # Dos imágenes de reserva iguales: no hay distancia típica con la que comparar.
    iguales = metricas.comprobar_memorizacion(caras[60:70], caras[:50], np.repeat(caras[50:51], 2, axis=0))
    una = metricas.comprobar_memorizacion(caras[60:61], caras[:50], caras[50:55])
    assert iguales["diversidad"] is None and una["diversidad"] is None
    assert not metricas.muestras_casi_iguales(iguales) and not metricas.muestras_casi_iguales(una)


def test_mostrar_vecinos_guarda_pares_y_devuelve_indices(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    rng = np.random.default_rng(0)
    entrenamiento = rng.uniform(-1, 1, (10, 8, 8, 3)).astype(np.float32)
    generadas = np.concatenate([entrenamiento[[7, 2]], rng.uniform(-1, 1, (3, 8, 8, 3)).astype(np.float32)])
    indices, distancias = metricas.mostrar_vecinos(generadas, entrenamiento, n=4, ruta=tmp_path / "v.png")
    assert list(indices[:2]) == [7, 2] and np.all(distancias[:2] == 0) and np.all(distancias[2:] > 0)
    assert (tmp_path / "v.png").stat().st_size > 5000


@pytest.mark.parametrize("n, red", [(1, None), (3, "squeezenet")])
def test_mostrar_vecinos_con_pocas_columnas_no_corta_el_titulo(monkeypatch, caras, n, red):
    import matplotlib

    matplotlib.use("Agg")
    figuras = []
    monkeypatch.setattr(memorizacion, "guardar_o_mostrar", lambda figura, ruta: figuras.append(figura))
    metricas.mostrar_vecinos(caras[60:70], caras[:50], n=n, red=red)
    figura = figuras[0]
    figura.canvas.draw()
    titulo = figura.get_suptitle()
    extension = next(texto for texto in figura.texts if texto.get_text() == titulo).get_window_extent()
    # Antes, con 1,4 pulgadas por columna, el título se salía por los dos lados del PNG guardado.
    assert extension.x0 >= 0 and extension.x1 <= figura.bbox.width


def test_swd_promediada_es_la_media_de_los_grupos_completos(caras):
    reales, generadas = caras[:20], ruido_como(caras[:70])
    grupos = [metricas.distancia_swd(reales, generadas[i : i + 20])["media"] for i in (0, 20, 40)]
    assert metricas.swd_promediada(reales, generadas) == pytest.approx(np.mean(grupos))
    # Menos generadas que reales: un solo grupo, como distancia_swd.
    assert metricas.swd_promediada(reales, generadas[:10]) == pytest.approx(metricas.distancia_swd(reales, generadas[:10])["media"])
    assert metricas.swd_promediada(reales, reales) == 0.0


def test_el_generador_sin_entrenar_no_memoriza_la_carpeta_de_ejemplo(tmp_path):
    # El caso que llamaba «memoriza» a manchas grises: la carpeta de ejemplo tiene recortes parecidos de
    # una misma foto y una foto repetida; nada de eso debe hacer pasar la mancha por una copia.
    from helpers.ejemplo import carpeta_de_ejemplo
    from helpers.tarea import separar_reserva

    imagenes = helpers.cargar_imagenes(carpeta_de_ejemplo(tmp_path / "ejemplo"), 32)
    entrenamiento, reserva = separar_reserva(imagenes)
    keras.utils.set_random_seed(0)
    generador = helpers.crear_gan(32, 3, **helpers.RECETA_POCOS_DATOS).generador
    manchas = generador(np.random.default_rng(0).normal(size=(256, 64)).astype(np.float32), training=False)
    resultado = metricas.comprobar_memorizacion(np.asarray(manchas), entrenamiento, reserva)
    assert resultado["cociente"] < 0.5 and metricas.muestras_casi_iguales(resultado)


def test_entradas_que_no_sirven_se_explican_en_espanol(caras):
    entrenamiento, reserva = caras[:50], caras[50:75]
    casos = [
        (lambda: metricas.distancia_swd(caras[:0], caras), "«reales» tiene 0 imágenes"),
        (lambda: metricas.distancia_kid(np.zeros((4, 32, 32, 4)), caras), r"«reales» debe ser un lote .* con 1 o 3 canales"),
        (lambda: metricas.distancia_fid(caras, caras[:1]), "«generadas» tiene 1 imagen y hacen falta al menos 2"),
        (lambda: metricas.distancia_frechet(np.ones((3, 5)), np.ones((3, 4))), r"la misma d; llegan \(3, 5\) y \(3, 4\)"),
        (lambda: metricas.mmd_polinomico(np.ones((1, 5)), np.ones((3, 5))), "al menos 2 imágenes por conjunto"),
        (lambda: metricas.comprobar_memorizacion(caras[75:], entrenamiento, reserva[:, ::2, ::2]),
         r"«reserva» \(16, 16, 1\) y «entrenamiento» \(32, 32, 1\)"),
        # La reserva dentro del entrenamiento: el cociente se dispararía y diría «no copia» de cualquiera.
        (lambda: metricas.comprobar_memorizacion(caras[75:], entrenamiento, entrenamiento), "que ser de imágenes que la GAN no vio"),
        (lambda: metricas.mostrar_vecinos(caras[75:], entrenamiento, n=0), "n=0 no es válido"),
        (lambda: metricas.evaluar_digitos(np.zeros((4, 32, 32, 3))), r"dígitos en gris y cuadrados \(n, t, t, 1\)"),
        # Fotos en [0, 255] daban una KID de 10¹⁰ sin aviso.
        (lambda: metricas.distancia_kid(caras, (caras + 1) * 127.5), r"«generadas» va de [\d,]+ a [\d,]+ .* en \[-1, 1\]"),
    ]
    for calcular, mensaje in casos:
        with pytest.raises(ValueError, match=mensaje):
            calcular()
    # Un poco fuera de [-1, 1] (el redondeo de un reescalado) sí vale.
    assert np.isfinite(metricas.distancia_swd(caras * 1.02, caras)["media"])
    # Muestras con NaN (un generador roto) dan NaN, que callbacks y tarea tratan como inestabilidad.
    assert np.isnan(metricas.distancia_swd(caras, np.where(caras > 0.9, np.nan, caras))["media"])
    # También la FID y la KID: antes, SqueezeNet perdía el NaN de una esquina y daban una cifra normal.
    rotas = caras.copy()
    rotas[:, 0, 0] = np.nan
    assert np.isnan(metricas.distancia_fid(caras, rotas)["fid"]) and np.isnan(metricas.distancia_kid(caras, rotas)["kid"])
    generador = keras.Sequential([keras.Input((4,)), keras.layers.Dense(32 * 32), keras.layers.Reshape((32, 32, 1))])
    with pytest.raises(TypeError, match="«generadas» es un modelo .* pasa sus muestras"):
        metricas.distancia_kid(caras, generador)


def test_imagenes_en_0_1_frente_a_otras_en_menos_1_1_se_avisan(caras, recwarn, tmp_path):
    """Generadas pasadas a [0, 1] para dibujarlas daban una FID de 138 frente a reales en [-1, 1], sin aviso."""
    en_0_1 = (caras[75:] + 1) / 2
    # mas_cercanas y mostrar_vecinos (la de los cuadernos 03 y 06) llegan al aviso a través de otros ayudantes: antes
    # señalaba el interior de metricas.py, y Python solo lo enseñaba la primera vez en toda la sesión.
    for medir, nombre in [(lambda: metricas.distancia_swd(caras[:75], en_0_1), "generadas"),
                          (lambda: metricas.swd_promediada(caras[:75], en_0_1), "generadas"),
                          (lambda: metricas.distancia_fid(caras[:75], en_0_1), "generadas"),
                          (lambda: metricas.distancia_kid(en_0_1, caras[:75], subconjuntos=2), "reales"),
                          (lambda: metricas.comprobar_memorizacion(en_0_1, caras[:50], caras[50:75]), "generadas"),
                          (lambda: metricas.mas_cercanas(en_0_1, caras[:50], 2), "generadas"),
                          (lambda: metricas.mostrar_vecinos(en_0_1, caras[:50], 2, ruta=tmp_path / "v.png"), "generadas")]:
        with pytest.warns(UserWarning, match=rf"«{nombre}» va de [\d,]+ a 1, sin ningún valor negativo, y «\w+» baja hasta "
                                             r"-[\d,]+: ¿está «\w+» en \[0, 1\].*x \* 2 - 1") as avisos:
            medir()
        assert avisos[0].filename == __file__  # señala la línea del estudiante, no el interior del kit
    # Las dos en [-1, 1] (aunque unas sean más claras) o las dos en [0, 1]: sin aviso.
    recwarn.clear()
    metricas.distancia_swd(caras[:75], np.clip(caras[75:], -0.4, 1))
    metricas.distancia_swd(caras[:75], np.clip(caras[75:], 0.4, 1))  # muy claras, sin nada cerca de 0
    metricas.distancia_swd((caras[:75] + 1) / 2, en_0_1)
    assert not [aviso for aviso in recwarn if "sin ningún valor negativo" in str(aviso.message)]


def test_fotos_repetidas_en_reserva_y_entrenamiento_no_cuentan_como_nuevas(caras):
    entrenamiento, reserva = caras[:50], caras[50:75]
    limpia = metricas.comprobar_memorizacion(caras[75:], entrenamiento, reserva)
    # Una carpeta con fotos repetidas: separar_reserva puede dejar copias en las dos partes.
    con_copias = metricas.comprobar_memorizacion(caras[75:], entrenamiento, np.concatenate([reserva, entrenamiento[:20]]))
    assert con_copias["mediana_reserva"] == limpia["mediana_reserva"] and con_copias["cociente"] == limpia["cociente"]


def test_memorizacion_con_red_describe_cada_lote_una_vez(monkeypatch):
    azar = np.random.default_rng(0)
    lotes = [azar.uniform(-1, 1, (n, 8, 8, 3)).astype(np.float32) for n in (6, 10, 5)]
    descritos = []
    monkeypatch.setattr(memorizacion, "caracteristicas",
                        lambda imagenes, red: descritos.append(len(imagenes)) or imagenes.reshape(len(imagenes), -1))
    con_red = metricas.comprobar_memorizacion(*lotes, red="squeezenet")
    assert sorted(descritos) == [5, 6, 10]  # generadas, entrenamiento y reserva, cada una una vez
    en_pixeles = metricas.comprobar_memorizacion(*lotes)  # estas «características» son los píxeles
    # Salvo primera_entre_detalle, que solo se mide en píxeles (el color medio de una foto no es de sus características).
    assert con_red.pop("primera_entre_detalle") is None and en_pixeles.pop("primera_entre_detalle") > 0
    assert con_red == en_pixeles
    # Muestras en color y fotos en gris (la red describe las dos igual): la diversidad, en píxeles, no se puede
    # medir. Antes salía un cociente de distancias de espacios distintos (1,6 donde variaban como las reales).
    monkeypatch.setattr(memorizacion, "caracteristicas", lambda imagenes, red: imagenes.mean(-1).reshape(len(imagenes), -1))
    grises = [lote.mean(-1, keepdims=True) for lote in lotes[1:]]
    mezcla = metricas.comprobar_memorizacion(lotes[0], *grises, red="squeezenet")
    assert mezcla["diversidad"] is None and np.isfinite(mezcla["cociente"])
    assert metricas.comprobar_memorizacion(lotes[0], *lotes[1:], red="squeezenet")["diversidad"] is not None


def test_un_lote_mal_pasado_se_explica_en_espanol(caras):
    # La pareja (imágenes, etiquetas) de imagenes_digitos o el Dataset de entrenar: antes, un error de NumPy en inglés.
    for otra_cosa, tipo in ((helpers.imagenes_digitos(16), "tuple"), (helpers.a_dataset(caras, 10), "_PrefetchDataset")):
        with pytest.raises(TypeError, match=rf"«reales» debe ser un lote de imágenes .* objeto de tipo {tipo}: de la pareja "
                                            r"\(imágenes, etiquetas\) de imagenes_digitos, toma solo las imágenes"):
            metricas.distancia_swd(otra_cosa, caras)
    # Una sola imagen (alto, ancho, canales): antes se tomaba por 32 imágenes de 32×1 o 32×3 píxeles; sus
    # características salían sin aviso y la FID decía «(32, 32, 1) y (32, 1, 1) deben tener el mismo alto…».
    color = np.repeat(caras[0], 3, axis=-1)
    with pytest.raises(ValueError, match=r"«imagenes» tiene forma \(32, 32, 3\): es una sola imagen .* imagen\[None\]"):
        metricas.caracteristicas(color)
    with pytest.raises(ValueError, match=r"«generadas» tiene forma \(32, 32, 1\): es una sola imagen"):
        metricas.distancia_fid(caras, caras[0])
    # Una lista de fotos de tamaños distintos: antes, «debe ser un lote… de la pareja (imágenes, etiquetas)…».
    with pytest.raises(ValueError, match=re.escape("«reales» es una lista de imágenes de tamaños distintos ((16, 16, 1), "
                                                   "(32, 32, 1)): para medirlas tienen que ser todas del mismo.")):
        metricas.distancia_swd([caras[0], caras[1, ::2, ::2]], caras)
    with pytest.raises(ValueError, match=re.escape("«reales» es una lista de lotes: júntalos en uno con np.concatenate")):
        metricas.distancia_swd([caras[:10], caras[10:15]], caras)  # p. ej. [lote for lote in datos]


def test_nan_en_la_frechet_o_la_memorizacion_no_se_lee_como_un_resultado(caras):
    # Antes, «Eigenvalues did not converge» de NumPy; ahora NaN, como la SWD y la KID.
    assert np.isnan(metricas.distancia_frechet(np.full((5, 3), np.nan), np.ones((5, 3))))
    # Antes, un cociente NaN no pasaba ningún umbral y se leía «memoriza».
    rotas = metricas.comprobar_memorizacion(np.full_like(caras[:10], np.nan), caras[:50], caras[50:75])
    assert metricas.lectura_memorizacion(rotas).startswith("no se puede medir: hay valores NaN en las imágenes")
    # En las reales, antes «Todas las imágenes de «reserva» están también en «entrenamiento»… quita duplicados».
    con_nan = caras[:50].copy()
    con_nan[3, 0, 0, 0] = np.nan
    con_nan_en_la_esquina = caras[:50].copy()
    con_nan_en_la_esquina[0, 0, 0, 0] = np.nan  # SqueezeNet lo pierde: no basta con mirar sus características
    for argumentos, nombre, red in (((con_nan, caras[50:75]), "entrenamiento", None),
                                    ((caras[:50], con_nan[:25]), "reserva", None),
                                    ((con_nan_en_la_esquina, caras[50:75]), "entrenamiento", "squeezenet")):
        with pytest.raises(ValueError, match=f"^«{nombre}» tiene valores NaN: son imágenes reales"):
            metricas.comprobar_memorizacion(caras[:10], *argumentos, red=red)


@pytest.mark.parametrize("funcion", ["vecinos_mas_cercanos", "mas_cercanas", "mostrar_vecinos"])
def test_nan_en_el_entrenamiento_de_los_vecinos_se_explica(caras, funcion, tmp_path):
    # Antes, la imagen con NaN salía la «más cercana» de todas las muestras, a distancia NaN, sin aviso.
    con_nan = caras[:50].copy()
    con_nan[3, 0, 0, 0] = np.nan
    argumentos = {"ruta": tmp_path / "vecinos.png"} if funcion == "mostrar_vecinos" else {}
    with pytest.raises(ValueError, match="^«entrenamiento» tiene valores NaN: son imágenes reales"):
        getattr(metricas, funcion)(caras[50:60], con_nan, **argumentos)


def test_kid_con_pocas_imagenes_o_subconjuntos_mal_dichos_lo_explica():
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(40, 8)), rng.normal(size=(40, 8))
    # Antes, «tamano_subconjunto=1: …» aunque nadie lo había pedido.
    with pytest.raises(ValueError, match=r"^Hay 3 y 3 imágenes: el KID compara subconjuntos de al menos 2 .* al menos 4"):
        metricas.kid_de_caracteristicas(a[:3], b[:3])
    # Antes, 0 usaba el tamaño por defecto sin aviso, y 2.5 o semilla=-1 daban un error de NumPy.
    for opcion, mensaje in (({"tamano_subconjunto": 0}, "tamano_subconjunto=0 no es válido: debe ser un entero ≥ 2"),
                            ({"tamano_subconjunto": 2.5}, "tamano_subconjunto=2.5 no es válido"),
                            ({"semilla": -1}, "semilla=-1 no es válida: usa un número entero de 0 a")):
        with pytest.raises(ValueError, match=mensaje):
            metricas.kid_de_caracteristicas(a, b, **opcion)
    assert np.isfinite(metricas.kid_de_caracteristicas(a, b, semilla=None)[0])  # None: subconjuntos al azar


def test_enteros_que_no_sirven_en_las_metricas_se_explican(caras):
    # tamano_minimo=1: antes, un bucle sin fin (la reducción se queda en 1×1).
    with pytest.raises(ValueError, match="tamano_minimo=1 no es válido: debe ser un entero ≥ 2"):
        metricas.piramide_laplaciana(caras[:2], tamano_minimo=1)
    # lote=0: antes, «range() arg 3 must not be zero».
    with pytest.raises(ValueError, match="lote=0 no es válido: debe ser un entero positivo"):
        metricas.caracteristicas(caras[:2], lote=0)
    with pytest.raises(ValueError, match="lote=0 no es válido"):
        metricas.vecinos_mas_cercanos(caras[:2], caras, lote=0)
    # n=-1: antes, todas las muestras menos una, sin aviso.
    with pytest.raises(ValueError, match=r"n=-1 no es válido: debe ser un entero positivo \(cuántas muestras elegir"):
        metricas.mas_cercanas(caras[:5], caras[5:20], n=-1)
    # Antes, «expected non-negative integer»; y con 2**32 o un entero de NumPy, errores de Keras en inglés.
    for semilla in (-1, 2**32):
        with pytest.raises(ValueError, match=f"semilla={semilla} no es válida: usa un número entero de 0 a"):
            metricas.evaluar_digitos(np.zeros((4, 16, 16, 1), np.float32), semilla=semilla)


def test_lectura_memorizacion_explica_que_recibe_el_diccionario_entero():
    """Antes, lectura_memorizacion(memoria["cociente"]) daba «TypeError: 'float' object is not subscriptable»."""
    with pytest.raises(ValueError, match=r"^lectura_memorizacion recibe el diccionario entero de comprobar_memorizacion "
                                         r'y llegó el número 0,83: .*no memoria\["cociente"\]'):
        metricas.lectura_memorizacion(np.float64(0.83))
    with pytest.raises(ValueError, match="llegó un objeto de tipo NoneType"):
        metricas.lectura_memorizacion(None)


def test_una_gan_en_lugar_de_sus_muestras_aconseja_muestrear():
    """Antes se aconsejaba generador(z) también a una GAN condicional, cuyo generador pide además la etiqueta."""
    from helpers.condicional import GANCondicional, construir_discriminador_condicional, construir_generador_condicional

    gan = GANCondicional(construir_generador_condicional(ancho=8), construir_discriminador_condicional(ancho=8))
    with pytest.raises(TypeError, match=r"«muestras» es un modelo .* pasa sus muestras, p\. ej\. gan\.muestrear\(500\)"):
        metricas.evaluar_digitos(gan)


def test_kid_y_frechet_de_listas_de_caracteristicas():
    """Antes, kid_de_caracteristicas de dos listas daba «TypeError: only integer scalar arrays can be converted to a
    scalar index», y distancia_frechet de filas de distinta longitud, el error de NumPy «inhomogeneous shape»."""
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=(40, 8)), rng.normal(size=(40, 8))
    assert metricas.kid_de_caracteristicas(list(a), list(b)) == metricas.kid_de_caracteristicas(a, b)
    with pytest.raises(ValueError, match=r"^Las características deben ser dos matrices \(n, d\) de números"):
        metricas.distancia_frechet([[1, 2], [3]], [[1, 2], [3, 4]])


def test_aplicar_por_lotes_con_imagenes_de_otra_forma_que_el_modelo_lo_explica():
    """Antes, un clasificador de 16 px con imágenes de 8 px o en color daba el error de Keras en inglés («Input 0 …
    is incompatible with the layer: expected shape=(None, 16, 16, 1)», o «expected axis -1 … to have value 256»
    con las imágenes impresas), y una sola imagen sin el eje del lote, lo mismo."""
    clasificador = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    for forma in ((5, 8, 8, 1), (5, 16, 16, 3)):
        with pytest.raises(ValueError, match=re.escape(f"El modelo espera entradas de forma (n, 16, 16, 1) y «imagenes» "
                                                       f"tiene forma {forma}: llévalas a ese tamaño")):
            metricas.aplicar_por_lotes(clasificador, np.zeros(forma, np.float32))
    with pytest.raises(ValueError, match=r"forma \(16, 16, 1\): si es una sola, pásala como lote de una, imagenes\[None\]"):
        metricas.aplicar_por_lotes(clasificador, np.zeros((16, 16, 1), np.float32))
    # Lo que Keras ya aceptaba sigue valiendo: el gris sin el eje de canales, y los vectores latentes de un generador.
    assert metricas.aplicar_por_lotes(clasificador, np.zeros((5, 16, 16), np.float32)).shape == (5, 10)
    generador = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    assert metricas.aplicar_por_lotes(generador, np.zeros((7, 4), np.float32), lote=3).shape == (7, 3)


def test_aplicar_por_lotes_acepta_una_lista_de_imagenes():
    """Antes, Keras tomaba cada imagen de la lista por una entrada distinta del modelo: «The structure of `inputs`
    doesn't match» y «Input 0 … is incompatible with the layer», en inglés."""
    clasificador = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    imagenes = np.random.default_rng(0).uniform(-1, 1, (3, 16, 16, 1)).astype(np.float32)
    np.testing.assert_allclose(metricas.aplicar_por_lotes(clasificador, list(imagenes)),
                               metricas.aplicar_por_lotes(clasificador, imagenes))
    with pytest.raises(ValueError, match=r"^Las imágenes de la lista no tienen todas la misma forma: .*np\.stack"):
        metricas.aplicar_por_lotes(clasificador, [imagenes[0], imagenes[0, :8]])


def test_aplicar_por_lotes_acepta_el_eje_de_canales_que_el_modelo_no_tiene():
    """Keras quita el eje de canales de 1 si el modelo no lo tiene (p. ej. un clasificador de MNIST con
    keras.Input((28, 28))); la comprobación de la forma lo rechazaba: «espera entradas de forma (n, 28, 28)»."""
    clasificador = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
    imagenes = np.random.default_rng(0).uniform(-1, 1, (5, 28, 28, 1)).astype(np.float32)
    np.testing.assert_allclose(metricas.aplicar_por_lotes(clasificador, imagenes),
                               clasificador(imagenes[..., 0], training=False), atol=1e-6)


def test_aplicar_por_lotes_sin_imagenes_o_sin_una_matriz_se_explica():
    """Antes: «need at least one array to concatenate» de NumPy con un lote vacío, y «tiene forma ()» con None o
    un tf.data.Dataset. Un Sequential sin Input fija el lote con su primera llamada: el mensaje decía «espera
    entradas de forma (5, 8, 8, 1)», como si pidiera 5."""
    generador = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    for vacias in (np.zeros((0, 4), np.float32), []):
        with pytest.raises(ValueError, match="^«imagenes» está vacía: pasa al menos una.$"):
            metricas.aplicar_por_lotes(generador, vacias)
    with pytest.raises(ValueError, match=r"^«imagenes» debe ser una matriz de forma \(n, 4\) y llegó un objeto de tipo "
                                         "NoneType.$"):
        metricas.aplicar_por_lotes(generador, None)
    sin_input = keras.Sequential([keras.layers.Flatten(), keras.layers.Dense(2)])
    metricas.aplicar_por_lotes(sin_input, np.zeros((5, 8, 8, 1), np.float32))
    with pytest.raises(ValueError, match=re.escape("El modelo espera entradas de forma (n, 8, 8, 1) y «imagenes» tiene "
                                                   "forma (3, 4, 4, 1)")):
        metricas.aplicar_por_lotes(sin_input, np.zeros((3, 4, 4, 1), np.float32))


def test_aplicar_por_lotes_con_un_modelo_de_dos_entradas_las_reparte_en_lotes():
    """Como el generador condicional, [z, etiquetas]: antes de comprobar las listas, Keras lo recibía entero (sin
    lotes); después, «Las imágenes de la lista no tienen todas la misma forma … np.stack(imagenes)»."""
    z, etiqueta = keras.Input((4,)), keras.Input((1,))
    modelo = keras.Model([z, etiqueta], keras.layers.Dense(3)(keras.layers.Concatenate()([z, etiqueta])))
    azar = np.random.default_rng(0)
    entradas = [azar.normal(size=(7, 4)).astype(np.float32), (np.arange(7) % 3).reshape(-1, 1)]
    np.testing.assert_allclose(metricas.aplicar_por_lotes(modelo, entradas, lote=3),
                               modelo([entradas[0], entradas[1].astype(np.float32)]), atol=1e-6)


def test_aplicar_por_lotes_con_vectores_latentes_de_otra_dimension_no_habla_de_tamano_ni_canales():
    """Antes: «… tiene forma (5, 100): llévalas a ese tamaño y número de canales», que no dice nada de un vector."""
    generador = keras.Sequential([keras.Input((64,)), keras.layers.Dense(3)])
    with pytest.raises(ValueError, match=re.escape("El modelo espera entradas de forma (n, 64) y «imagenes» tiene forma "
                                                   "(5, 100): cada fila debe tener 64 números (en un generador, su "
                                                   "dimensión latente).")):
        metricas.aplicar_por_lotes(generador, np.zeros((5, 100), np.float32))


def test_aplicar_por_lotes_con_un_modelo_de_dos_entradas_explica_las_entradas_que_no_encajan():
    """Como el generador condicional, [z, etiquetas]: antes, Keras decía en inglés «expects 2 named input(s)…» (solo
    z) o «expected shape=(None, 4)…», la concatenación de dentro, «ConcatOp : Dimension 0 in both shapes must be
    equal» (menos etiquetas que z), y NumPy, «need at least one array to concatenate» (vacías)."""
    z, etiqueta = keras.Input((4,)), keras.Input((1,), dtype="int32")
    modelo = keras.Model([z, etiqueta], keras.layers.Dense(3)(keras.layers.Concatenate()(
        [z, keras.layers.Flatten()(keras.layers.Embedding(3, 2)(etiqueta))])))
    azar = np.random.default_rng(0)
    zs, etiquetas = azar.normal(size=(7, 4)), np.arange(7) % 3
    assert metricas.aplicar_por_lotes(modelo, [zs, etiquetas], lote=3).shape == (7, 3)  # float64 y sin eje 1: valen
    with pytest.raises(ValueError, match=re.escape("El modelo recibe 2 entradas: pásale una lista con una matriz por "
                                                   "entrada, p. ej. [z, etiquetas]")):
        metricas.aplicar_por_lotes(modelo, zs)
    with pytest.raises(ValueError, match=re.escape("distinto número de filas (7, 5): pasa una fila de cada una")):
        metricas.aplicar_por_lotes(modelo, [zs, etiquetas[:5]], lote=3)
    with pytest.raises(ValueError, match=re.escape("«imagenes[0]» tiene forma (7, 8): cada fila debe tener 4 números")):
        metricas.aplicar_por_lotes(modelo, [azar.normal(size=(7, 8)), etiquetas])
    with pytest.raises(ValueError, match="«imagenes» está vacía"):
        metricas.aplicar_por_lotes(modelo, [zs[:0], etiquetas[:0]])
