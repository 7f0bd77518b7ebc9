"""La tarea con tus imágenes: carpeta de ejemplo, reserva, cortar y reanudar un entrenamiento, generar."""

import json

import numpy as np
import pytest
from PIL import Image

import helpers
from helpers import ejemplo, tarea


@pytest.fixture
def sin_xla(monkeypatch):
    """XLA tarda decenas de segundos en compilar en CPU: en entrenamientos de pocos pasos no compensa."""

    def crear_gan(*args, **kwargs):
        gan = helpers.crear_gan(*args, **kwargs)
        gan.jit_compile = False
        return gan

    monkeypatch.setattr(tarea, "crear_gan", crear_gan)


@pytest.fixture(scope="module")
def carpeta_pequena(tmp_path_factory):
    """24 imágenes de 40×40 (manchas de color suaves, todas distintas) y un archivo que no es imagen."""
    carpeta = tmp_path_factory.mktemp("pequena") / "fotos"
    carpeta.mkdir()
    rng = np.random.default_rng(0)
    for i in range(24):
        manchas = rng.integers(0, 256, (3, 3, 3), dtype=np.uint8)
        Image.fromarray(manchas).resize((40, 40), Image.BICUBIC).save(carpeta / f"foto_{i:02d}.png")
    (carpeta / "leeme.txt").write_text("no soy una imagen", encoding="utf-8")
    return carpeta


@pytest.fixture(scope="module")
def ejemplo_creado(tmp_path_factory):
    return helpers.carpeta_de_ejemplo(tmp_path_factory.mktemp("ejemplo") / "mis_fotos")


def test_la_carpeta_de_ejemplo_trae_los_problemas_tipicos(ejemplo_creado, tmp_path):
    informe = helpers.revisar_imagenes(ejemplo_creado)
    descartadas = dict(informe.descartadas)
    assert set(descartadas) == set(ejemplo.DESCARTES)
    for nombre, motivo in ejemplo.DESCARTES.items():
        assert motivo in descartadas[nombre]
    assert len(informe.utilizables) == len(ejemplo.FOTOS) * ejemplo.RECORTES_POR_FOTO + 1  # + la copia
    assert any(nombre.startswith("vacaciones/") for nombre in informe.utilizables)
    versiones = [ejemplo_creado / nombre for nombre in informe.utilizables]
    assert {Image.open(p).mode for p in versiones} >= {"RGB", "L", "P", "RGBA", "CMYK"}
    assert {p.suffix for p in versiones} == {".jpg", ".png", ".webp", ".bmp", ".gif"}

    _, preparado = helpers.preparar_imagenes(ejemplo_creado, tmp_path, tamano=32, sin_duplicados=True)
    copias = [motivo for _, motivo in preparado.descartadas if motivo.startswith("copia exacta")]
    assert len(copias) == 1 and copias[0].startswith(f"copia exacta de «{ejemplo.COPIA}.")


def test_la_carpeta_de_ejemplo_es_repetible_y_no_se_sobrescribe(ejemplo_creado, tmp_path, capsys):
    otra = helpers.carpeta_de_ejemplo(tmp_path / "otra")
    archivos = sorted(p.relative_to(otra) for p in otra.rglob("*") if p.is_file())
    assert archivos == sorted(p.relative_to(ejemplo_creado) for p in ejemplo_creado.rglob("*") if p.is_file())
    assert all((otra / a).read_bytes() == (ejemplo_creado / a).read_bytes() for a in archivos)

    antes = {p: p.stat().st_mtime_ns for p in otra.rglob("*")}
    assert helpers.carpeta_de_ejemplo(otra, semilla=5) == otra
    assert {p: p.stat().st_mtime_ns for p in otra.rglob("*")} == antes
    assert "ya existe" in capsys.readouterr().out


def test_separar_reserva():
    imagenes = np.arange(100, dtype=np.float32).reshape(100, 1, 1, 1)
    entrenamiento, reserva = helpers.separar_reserva(imagenes, semilla=3)
    assert (len(entrenamiento), len(reserva)) == (85, 15)
    assert sorted(np.concatenate([entrenamiento, reserva]).ravel()) == list(range(100))
    repetida = helpers.separar_reserva(imagenes, semilla=3)[1]
    assert np.array_equal(reserva, repetida)
    assert not np.array_equal(reserva, helpers.separar_reserva(imagenes, semilla=4)[1])
    assert len(helpers.separar_reserva(np.zeros((10, 1, 1, 1)))[1]) == 2
    assert len(helpers.separar_reserva(np.zeros((3000, 1, 1, 1)))[1]) == tarea.MAX_RESERVA
    with pytest.raises(ValueError, match="Solo hay 9 imágenes"):
        helpers.separar_reserva(np.zeros((9, 1, 1, 1)))


def test_cortar_y_reanudar_sigue_la_cuenta_de_epocas_y_pasos(carpeta_pequena, tmp_path, sin_xla, capsys):
    salida = tmp_path / "mi_gan"
    corte = helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, lote=8, callbacks=[helpers.SimularCorte(2)], verbose=0)
    texto = capsys.readouterr().out
    assert corte["interrumpido"] and corte["epoca"] == 2 and corte["historial"] is None
    assert "hasta la época 2" in texto and "continuar=True" in texto and "Traceback" not in texto
    assert len(list((salida / "muestras").glob("epoca_*.png"))) == 2
    assert not (salida / "generador.keras").exists()

    with pytest.raises(FileExistsError, match="continuar=True"):
        helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, lote=8)

    # Una GAN nueva, como tras reiniciar Colab: sigue desde la época 2 con los optimizadores guardados.
    reanudado = helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, lote=8, continuar=True, verbose=0)
    impreso = capsys.readouterr().out
    assert "Reanudo desde la época 2" in impreso
    assert (reanudado["epoca_inicial"], reanudado["epoca"], reanudado["epocas"]) == (2, 4, 4)
    assert not reanudado["interrumpido"] and len(reanudado["historial"]["perdida_g"]) == 4
    pasos_por_epoca = len(reanudado["entrenamiento"]) // 8
    gan = reanudado["gan"]
    assert int(gan.opt_generador.iterations) == int(gan.opt_discriminador.iterations) == 4 * pasos_por_epoca
    assert np.array_equal(reanudado["reserva"], corte["reserva"])  # la reserva no se cuela al reanudar
    for nombre in ("generador.keras", "generador_menor_swd.keras", "mejor_generador.keras", "evolucion.gif", "metrica.csv", "historial.csv"):
        assert (salida / nombre).stat().st_size > 0
    eleccion = reanudado["eleccion"]
    assert list(eleccion["medidas"]) == ["generador.keras", "generador_menor_swd.keras"]
    assert all(np.isfinite(m["swd"]) and m["swd"] > 0 and np.isfinite(m["kid"]) for m in eleccion["medidas"].values())
    assert f"Recomendado: {eleccion['elegido']}" in impreso
    registro = json.loads((salida / "tarea.json").read_text(encoding="utf-8"))
    assert registro["recomendado"]["generador"] == eleccion["elegido"]

    # Otra vez con continuar=True, ya terminado: no entrena, no falla, vuelve a recomendar.
    otra = helpers.entrenar_carpeta(carpeta_pequena, salida, 32, 4, lote=8, continuar=True, verbose=0)
    assert "no hay nada más que entrenar" in capsys.readouterr().out
    assert otra["epoca"] == 4 and otra["eleccion"]["elegido"] in ("generador.keras", "generador_menor_swd.keras")


def test_la_regla_solo_cambia_el_final_por_un_candidato_claramente_mejor():
    final = {"swd": 50.0, "kid": 0.40, "kid_desviacion": 0.05}
    assert tarea.gana_el_candidato(final, {"swd": 40.0, "kid": 0.20, "kid_desviacion": 0.05})
    # Mejor en KID pero dentro del ruido, o mejor en KID pero peor en SWD: se queda el final.
    assert not tarea.gana_el_candidato(final, {"swd": 40.0, "kid": 0.35, "kid_desviacion": 0.05})
    assert not tarea.gana_el_candidato(final, {"swd": 60.0, "kid": 0.10, "kid_desviacion": 0.01})
    assert not tarea.gana_el_candidato(final, final)


@pytest.mark.parametrize("gana", [False, True])
def test_elegir_generador_copia_el_elegido_en_mejor_generador(tmp_path, capsys, monkeypatch, gana):
    reserva = np.repeat(helpers.imagenes_rostros(32, "reserva"), 3, axis=-1)
    for archivo, semilla in (("generador.keras", 1), ("generador_menor_swd.keras", 2)):
        helpers.crear_gan(32, 3, ancho=8, dim_latente=8, semilla=semilla).generador.save(tmp_path / archivo)
    (tmp_path / "tarea.json").write_text("{}", encoding="utf-8")
    monkeypatch.setattr(tarea, "gana_el_candidato", lambda final, candidato: gana)
    eleccion = tarea.elegir_generador(tmp_path, reserva)
    texto = capsys.readouterr().out
    final, candidato = eleccion["medidas"].values()
    assert f"{final['swd']:7.1f}" in texto and f"{candidato['kid']:.3f}" in texto
    elegido = "generador_menor_swd.keras" if gana else "generador.keras"
    assert eleccion["elegido"] == elegido and f"Recomendado: {elegido} (copiado en mejor_generador.keras)" in texto
    assert (tmp_path / "mejor_generador.keras").read_bytes() == (tmp_path / elegido).read_bytes()
    # El candidato sigue en su archivo: al reanudar y volver a elegir, se compara con él.
    assert (tmp_path / "generador_menor_swd.keras").exists()
    registro = json.loads((tmp_path / "tarea.json").read_text(encoding="utf-8"))
    assert registro["recomendado"]["generador"] == elegido
    assert set(registro["recomendado"]["medidas"]) == {"generador.keras", "generador_menor_swd.keras"}


def test_entrenar_carpeta_rechaza_argumentos_invalidos(carpeta_pequena, tmp_path):
    with pytest.raises(ValueError, match="tamano=48"):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path, tamano=48)
    with pytest.raises(ValueError, match="epocas=0"):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path, epocas=0)
    with pytest.raises(ValueError, match="lote=1 no es válido: debe ser un entero de al menos 2"):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path, lote=1)
    with pytest.raises(ValueError, match="minutos=0"):
        helpers.entrenar_carpeta(carpeta_pequena, tmp_path, minutos=0)
    with pytest.raises(ValueError, match="dentro de la de imágenes"):
        helpers.entrenar_carpeta(carpeta_pequena, carpeta_pequena / "resultados", tamano=32)
    assert not (carpeta_pequena / "resultados").exists()


def test_generar_imagenes(tmp_path):
    generador = helpers.construir_generador(32, 3, dim_latente=8, ancho=8)
    ruta = tmp_path / "generador.keras"
    generador.save(ruta)
    rutas = helpers.generar_imagenes(ruta, tmp_path / "generadas", n=10, semilla=2, interpolacion=True)
    assert [r.name for r in rutas] == ["muestras.png", "interpolacion.png"]
    assert Image.open(rutas[1]).width > Image.open(rutas[1]).height  # 4 tiras de 10 pasos
    otra = helpers.generar_imagenes(generador, tmp_path / "otra", n=10, semilla=2)[0]
    assert otra.read_bytes() == rutas[0].read_bytes()  # misma semilla, mismas imágenes


def test_cargar_generador_explica_los_fallos(tmp_path):
    with pytest.raises(FileNotFoundError, match="No encuentro el modelo"):
        helpers.cargar_generador(tmp_path / "no_existe.keras")
    (tmp_path / "roto.keras").write_bytes(b"PK\x03\x04 esto no es un modelo")
    with pytest.raises(ValueError, match="roto.keras.*dañado"):
        helpers.cargar_generador(tmp_path / "roto.keras")
    with pytest.raises(ValueError, match="no es un archivo .keras"):
        helpers.cargar_generador(tmp_path / "modelo.h5")
    discriminador = helpers.construir_discriminador(32, 3, ancho=8)
    discriminador.save(tmp_path / "discriminador.keras")
    with pytest.raises(ValueError, match="no parece un generador"):
        helpers.cargar_generador(tmp_path / "discriminador.keras")
    with pytest.raises(ValueError, match="n=0"):
        helpers.generar_imagenes(tmp_path / "discriminador.keras", tmp_path, n=0)


@pytest.mark.parametrize(
    "opcion, valor, valido",
    [("tamano", 64, True), ("tamano", 48, False), ("epocas", 1, True), ("epocas", 0, False), ("epocas", 2.0, False),
     ("epocas", True, False), ("lote", 2, True), ("lote", 1, False), ("n", tarea.MAX_MUESTRAS, True),
     ("n", tarea.MAX_MUESTRAS + 1, False), ("minutos", 0.5, True), ("minutos", -1, False)],
)
def test_motivo_invalido_es_la_unica_comprobacion_de_opciones(opcion, valor, valido):
    assert (tarea.motivo_invalido(opcion, valor) is None) == valido
