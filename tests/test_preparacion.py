import hashlib
import io
import os
import pickle
import re
import stat
import unicodedata
import zipfile
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from PIL import Image
from skimage import data

matplotlib.use("Agg")

from helpers import carpeta_o_zip, encuadre, lectura, preparacion, zip_seguro  # noqa: E402
from helpers.ejemplo import DESCARTES, escribir_descartes, marcar_deflate64, png_enorme  # noqa: E402

UTILIZABLES = [
    "cmyk.jpg", "dieciseis.png", "foto.bmp", "foto.webp", "gris.png", "paleta.gif",
    "repetidas/1_original.png", "repetidas/2_copia.png", "repetidas/3_casi.jpg", "rotada.jpg", "transparente.png",
]
# Los descartes de siempre (helpers.ejemplo) y tres trampas propias de estas pruebas.
MOTIVOS = {
    **DESCARTES,
    "modelo.pkl": "no es una imagen",
    "texto.jpg": "no es una imagen",
    "truncada.jpg": "truncada",
}


def _foto(semilla, alto=96, ancho=128):
    """Foto sintética: un campo de color suave, distinto para cada semilla (huellas dHash lejanas)."""
    rng = np.random.default_rng(semilla)
    return np.asarray(Image.fromarray(rng.integers(0, 256, (4, 5, 3), dtype=np.uint8)).resize((ancho, alto), Image.BICUBIC))


class _Trampa:
    """Al deserializarse con pickle crea ``marcador``: prueba de que un archivo se cargó con pickle."""

    def __init__(self, marcador):
        self.marcador = marcador

    def __reduce__(self):
        return Path.touch, (self.marcador,)


@pytest.fixture
def desordenada(tmp_path):
    """Una carpeta como la que trae un estudiante: formatos, modos y archivos rotos de todo tipo."""
    carpeta = tmp_path / "fotos"
    (carpeta / "repetidas").mkdir(parents=True)
    exif = Image.Exif()
    exif[0x0112] = 6  # orientación: la cámara estaba girada, hay que rotar 90° a la derecha
    Image.fromarray(data.chelsea()).transpose(Image.Transpose.ROTATE_90).save(carpeta / "rotada.jpg", exif=exif, quality=95)
    Image.fromarray(data.camera()).resize((128, 128)).save(carpeta / "gris.png")
    Image.fromarray(data.rocket()).resize((150, 100)).quantize(32).save(carpeta / "paleta.gif")
    rgba = np.dstack([_foto(4), np.full((96, 128), 255, np.uint8)])
    rgba[:, :64, 3] = 0  # mitad izquierda transparente
    Image.fromarray(rgba).save(carpeta / "transparente.png")
    Image.new("CMYK", (64, 48), (0, 255, 255, 0)).save(carpeta / "cmyk.jpg")  # rojo puro en CMYK
    dieciseis = np.full((64, 64), 128 * 257, np.uint16)
    dieciseis[0, 0] = 65535
    Image.fromarray(dieciseis).save(carpeta / "dieciseis.png")
    Image.fromarray(_foto(1)).save(carpeta / "foto.webp")
    Image.fromarray(_foto(2)).save(carpeta / "foto.bmp")
    completa = io.BytesIO()
    Image.fromarray(_foto(3, 300, 400)).save(completa, "JPEG")
    (carpeta / "truncada.jpg").write_bytes(completa.getvalue()[: len(completa.getvalue()) // 2])
    (carpeta / "texto.jpg").write_text("esto no es una foto")
    (carpeta / "modelo.pkl").write_bytes(pickle.dumps(_Trampa(tmp_path / "DESEMPAQUETADO")))
    (carpeta / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    escribir_descartes(carpeta, _foto(5))
    original = np.asarray(Image.fromarray(data.coffee()).resize((200, 133)))
    Image.fromarray(original).save(carpeta / "repetidas/1_original.png")
    (carpeta / "repetidas/2_copia.png").write_bytes((carpeta / "repetidas/1_original.png").read_bytes())
    mas_clara = np.clip(original.astype(int) + 12, 0, 255).astype(np.uint8)
    Image.fromarray(mas_clara).save(carpeta / "repetidas/3_casi.jpg", quality=80)
    return carpeta


@pytest.fixture
def zip_malicioso(tmp_path):
    """Un zip con una imagen buena y todas las trampas: rutas que escapan, un enlace y una bomba."""
    ruta = tmp_path / "entregas.zip"
    buena = io.BytesIO()
    Image.fromarray(_foto(7, 64, 64)).save(buena, "PNG")
    enlace = zipfile.ZipInfo("enlace.png")
    enlace.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as archivo_zip:
        archivo_zip.writestr("buena.png", buena.getvalue())
        archivo_zip.writestr("__MACOSX/._buena.png", b"\0\5\26\7")
        archivo_zip.writestr(zipfile.ZipInfo("../../evil.png"), buena.getvalue())
        archivo_zip.writestr(zipfile.ZipInfo(str(tmp_path / "absoluta.png")), buena.getvalue())
        archivo_zip.writestr(enlace, str(tmp_path / "secreto.txt"))
        archivo_zip.writestr("bomba.png", png_enorme())
    return ruta


def _estado(carpeta):
    """Huella SHA-256 y fecha de modificación de cada archivo (también los ocultos)."""
    return {
        p.relative_to(carpeta).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(carpeta.rglob("*")) if p.is_file()
    }


def test_revisar_cuenta_y_explica_cada_descarte(desordenada):
    informe = preparacion.revisar_imagenes(desordenada)
    assert informe.utilizables == UTILIZABLES
    assert sorted(nombre for nombre, _ in informe.descartadas) == sorted(MOTIVOS)
    for nombre, motivo in informe.descartadas:
        assert MOTIVOS[nombre] in motivo, (nombre, motivo)
    assert ".DS_Store" not in str(informe)  # los archivos del sistema no son del estudiante
    tabla = informe.tabla()
    assert "11 imágenes utilizables, 9 descartadas" in tabla
    assert all(nombre in tabla for nombre in MOTIVOS)
    assert len(informe.miniaturas) == 11 and informe.miniaturas[0].shape == (64, 64, 3)


def test_leer_imagen_orientacion_y_colores(desordenada):
    rotada = lectura.leer_imagen(desordenada / "rotada.jpg")
    assert rotada.shape == data.chelsea().shape and rotada.dtype == np.uint8
    assert np.abs(rotada.astype(int) - data.chelsea()).mean() < 4
    gris = lectura.leer_imagen(desordenada / "gris.png")
    assert gris.shape == (128, 128, 3) and np.array_equal(gris[..., 0], gris[..., 2])
    paleta = lectura.leer_imagen(desordenada / "paleta.gif")
    esperada = np.asarray(Image.open(desordenada / "paleta.gif").convert("RGB"))
    np.testing.assert_array_equal(paleta, esperada)
    transparente = lectura.leer_imagen(desordenada / "transparente.png")
    assert np.all(transparente[:, :64] == 255)  # lo transparente queda sobre fondo blanco
    np.testing.assert_array_equal(transparente[:, 64:], _foto(4)[:, 64:])
    cmyk = lectura.leer_imagen(desordenada / "cmyk.jpg")
    assert np.abs(cmyk.astype(int) - [255, 0, 0]).max() <= 3
    dieciseis = lectura.leer_imagen(desordenada / "dieciseis.png")
    assert dieciseis[0, 0].tolist() == [255] * 3 and dieciseis[1, 1].tolist() == [128] * 3


@pytest.mark.parametrize("nombre, motivo", [("truncada.jpg", "truncada"), ("texto.jpg", "no es una imagen"),
                                             ("vacia.png", "vacío"), ("animada.gif", "animada")])
def test_leer_imagen_error_en_espanol_con_el_nombre(desordenada, nombre, motivo):
    with pytest.raises(ValueError, match=f"{nombre}.*{motivo}"):
        lectura.leer_imagen(desordenada / nombre)


def test_modo_de_color_sin_conversion_y_ruta_inexistente(tmp_path):
    with pytest.raises(lectura.Descarte, match="modo de color La no admitido"):
        lectura._a_rgb(Image.new("La", (4, 4)))
    with pytest.raises(FileNotFoundError, match="no_esta.png.*comprueba la ruta"):
        lectura.leer_imagen(tmp_path / "no_esta.png")


def test_una_sola_foto_en_lugar_de_la_carpeta_se_explica(tmp_path):
    """Antes: «no es una carpeta ni un archivo .zip (o no existe)», de una foto que sí existe."""
    foto = tmp_path / "yo.jpg"
    Image.new("RGB", (64, 64)).save(foto)
    with pytest.raises(ValueError, match=r"yo.jpg» es un archivo, no una carpeta ni un .zip: pon tus imágenes .* en una carpeta"):
        preparacion.revisar_imagenes(foto)


def test_archivo_sin_permiso_se_informa_y_se_sigue(desordenada, monkeypatch):
    def abrir(ruta, modo="r"):
        if Path(ruta).name == "gris.png":
            raise PermissionError(13, "Permission denied")
        return open(ruta, modo)

    monkeypatch.setattr(carpeta_o_zip, "open", abrir, raising=False)  # como root no se puede quitar el permiso
    informe = preparacion.revisar_imagenes(desordenada)
    assert dict(informe.descartadas)["gris.png"] == "no se puede leer: revisa sus permisos"
    assert len(informe.utilizables) == 10


def test_carpeta_sin_permiso_lo_dice_en_lugar_de_pedir_fotos(desordenada, monkeypatch):
    # Antes, de la tuya: «no tiene ninguna imagen utilizable: añade fotos», y de motivo «.: carpeta que no se puede leer».
    listar = Path.iterdir

    def sin_permiso(carpeta):  # como un chmod 000, que a root no le impide leer
        if carpeta.name == "fotos":
            raise PermissionError(13, "Permission denied", str(carpeta))
        return listar(carpeta)

    monkeypatch.setattr(Path, "iterdir", sin_permiso)
    with pytest.raises(ValueError) as error:
        preparacion.revisar_imagenes(desordenada)
    assert str(error.value) == (f"No puedo leer la carpeta «{desordenada}»: no tienes permiso para ver lo que contiene. "
                                "Comprueba sus permisos, o copia tus imágenes a una carpeta tuya.")
    informe = preparacion.revisar_imagenes(desordenada.parent)  # una de dentro se salta, con su motivo
    assert dict(informe.descartadas)["fotos"] == "carpeta que no se puede leer: revisa sus permisos"


def test_bomba_de_descompresion_se_rechaza_por_la_cabecera(tmp_path):
    (tmp_path / "enorme.png").write_bytes(png_enorme())
    with pytest.raises(ValueError, match="enorme.png.*bomba de descompresión"):
        lectura.leer_imagen(tmp_path / "enorme.png")


def test_revisar_zip_sin_extraer_nada(zip_malicioso, tmp_path):
    antes = sorted(tmp_path.parent.iterdir())
    informe = preparacion.revisar_imagenes(zip_malicioso)
    assert informe.utilizables == ["buena.png"]
    motivos = dict(informe.descartadas)
    assert "«..»" in motivos["../../evil.png"]
    assert "ruta absoluta" in motivos[str(tmp_path / "absoluta.png")]
    assert "enlace simbólico" in motivos["enlace.png"]
    assert "bomba de descompresión" in motivos["bomba.png"]
    assert len(motivos) == 4  # __MACOSX se ignora
    assert sorted(tmp_path.iterdir()) == [tmp_path / "entregas.zip"] and sorted(tmp_path.parent.iterdir()) == antes


def test_un_zip_de_7zip_con_deflate64_lo_dice_sin_llamarlo_danado(tmp_path):
    ruta = tmp_path / "fotos.zip"
    foto = io.BytesIO()
    Image.fromarray(_foto(0)).save(foto, "PNG")
    with zipfile.ZipFile(ruta, "w") as archivo_zip:  # el primero se marca después como Deflate64
        archivo_zip.writestr("deflate64.png", foto.getvalue())
        archivo_zip.writestr("buena.png", foto.getvalue())
    marcar_deflate64(ruta)
    informe = preparacion.revisar_imagenes(ruta)
    assert informe.utilizables == ["buena.png"]
    assert dict(informe.descartadas) == {
        "deflate64.png": "comprimido con un método que no sé leer (p. ej. el Deflate64 de 7-Zip), no con el normal "
                         "(Deflate)"}
    with zipfile.ZipFile(ruta, "w") as archivo_zip:  # un archivo del sistema se sigue saltando sin decir nada
        archivo_zip.writestr("Thumbs.db", b"miniaturas de Windows")
        archivo_zip.writestr("buena.png", foto.getvalue())
    marcar_deflate64(ruta)
    informe = preparacion.revisar_imagenes(ruta)
    assert informe.utilizables == ["buena.png"] and informe.descartadas == []


def test_un_miembro_lzma_danado_se_explica_sin_traza(tmp_path):
    ruta = tmp_path / "fotos.zip"
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_LZMA) as archivo_zip:
        archivo_zip.writestr("ruido.png", np.random.default_rng(0).bytes(20_000))
    datos = bytearray(ruta.read_bytes())
    datos[2_000:2_100] = bytes(100)  # en medio de los datos comprimidos
    ruta.write_bytes(bytes(datos))
    assert dict(preparacion.revisar_imagenes(ruta).descartadas) == {
        "ruido.png": "dañado dentro del zip: no se puede descomprimir"}


def test_bomba_zip_no_se_abre(tmp_path):
    ruta = tmp_path / "bomba.zip"
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as archivo_zip:
        archivo_zip.writestr("ceros.png", b"\0" * 3 * 2**20)  # 3 MiB que comprimidos ocupan 3 KB
        for i in range(4):
            archivo_zip.writestr(f"relleno{i}.png", b"x")
    assert ruta.stat().st_size < 20_000
    with zipfile.ZipFile(ruta) as archivo_zip:
        with pytest.raises(ValueError, match="3 MiB descomprimido, más de 1 MiB.*bomba zip"):
            zip_seguro.miembros(archivo_zip, max_bytes=2**20)
        with pytest.raises(ValueError, match=r"5 archivos, más de los que abro de un zip \(como mucho 3\)"):
            zip_seguro.miembros(archivo_zip, max_archivos=3)
    assert sorted(tmp_path.iterdir()) == [ruta]
    (tmp_path / "roto.zip").write_bytes(ruta.read_bytes()[:100])
    with pytest.raises(ValueError, match="roto.zip.*no es un .zip válido"):
        preparacion.revisar_imagenes(tmp_path / "roto.zip")


def test_preparar_forma_cantidad_y_carpeta_nueva(desordenada, tmp_path, capsys):
    carpeta, informe = preparacion.preparar_imagenes(desordenada, tmp_path / "resultados", tamano=32)
    assert carpeta == tmp_path / "resultados" / "fotos_32px"
    archivos = sorted(carpeta.iterdir())
    assert len(archivos) == 11 == len(informe.utilizables) and archivos[0].name == "00001_cmyk.png"
    for archivo in archivos:
        with Image.open(archivo) as imagen:
            assert imagen.format == "PNG" and imagen.mode == "RGB" and imagen.size == (32, 32)
    assert "11 imágenes de 32×32" in capsys.readouterr().out
    # Otra vez, en gris y con relleno: carpeta nueva, la anterior intacta.
    gris, _ = preparacion.preparar_imagenes(desordenada, tmp_path / "resultados", tamano=32, canales=1, recorte="relleno")
    assert gris.name == "fotos_32px_2" and len(list(carpeta.iterdir())) == 11
    paleta = np.asarray(Image.open(gris / "00006_paleta.png"))
    assert paleta.shape == (32, 32) and np.all(paleta[0] == 255) and paleta[16].std() > 5  # franja de relleno blanca
    with pytest.raises(ValueError, match="recorte="):
        preparacion.preparar_imagenes(desordenada, tmp_path / "resultados", recorte="estirar")


# Sin nombre, como el disco lleno de verdad (lo que falla es escribir en el archivo ya abierto): antes, «no se pudo
# escribir un archivo».
@pytest.mark.parametrize("con_nombre", [True, False])
def test_sin_espacio_al_preparar_lo_dice_en_espanol_y_no_deja_nada(desordenada, tmp_path, monkeypatch, con_nombre):
    import errno

    antes, escribir = _estado(desordenada), Path.write_bytes
    escritas = []

    def disco_lleno_a_la_tercera(destino, datos):
        escritas.append(destino)
        if len(escritas) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", *([str(destino)] if con_nombre else []))
        return escribir(destino, datos)

    monkeypatch.setattr(Path, "write_bytes", disco_lleno_a_la_tercera)
    with pytest.raises(OSError) as lleno:
        preparacion.preparar_imagenes(desordenada, tmp_path / "salida", tamano=32)
    assert str(lleno.value) == (
        f"Preparación detenida: no se pudo escribir «{tmp_path / 'salida'}»: no queda espacio en el disco. En "
        f"«{tmp_path / 'salida'}» no queda ninguna carpeta a medias y tus originales no se han tocado: libera espacio "
        "(en Google Drive, vacía también la papelera) o elige una carpeta de otro disco, y vuelve a empezarla.")
    assert lleno.value.__suppress_context__ and len(escritas) == 3
    assert list((tmp_path / "salida").iterdir()) == [] and _estado(desordenada) == antes


@pytest.mark.parametrize("tamano", [16, 64])
def test_preparar_quita_duplicados(desordenada, tmp_path, tamano):
    carpeta, informe = preparacion.preparar_imagenes(desordenada, tmp_path / "resultados", tamano, sin_duplicados=True)
    assert len(list(carpeta.iterdir())) == 9 == len(informe.utilizables)
    motivos = dict(informe.descartadas)
    assert motivos["repetidas/2_copia.png"] == "copia exacta de «repetidas/1_original.png»"
    assert motivos["repetidas/3_casi.jpg"] == "casi idéntica a «repetidas/1_original.png»"
    assert "repetidas/1_original.png" in informe.utilizables


def test_recorte_de_rostros(tmp_path):
    caras = tmp_path / "caras"
    caras.mkdir()
    Image.fromarray(data.astronaut()).save(caras / "astronauta.png")
    Image.fromarray(data.chelsea()).save(caras / "gato.jpg")
    x, y, lado = preparacion.caja_rostro(data.astronaut())
    assert 100 < lado < 250 and 180 < x + lado / 2 < 270 and 80 < y + lado / 2 < 160  # la cara de Eileen Collins
    assert preparacion.caja_rostro(data.chelsea()) is None
    carpeta, informe = preparacion.preparar_imagenes(caras, tmp_path / "resultados", tamano=48, rostros=True)
    assert informe.utilizables == ["astronauta.png"] and [p.name for p in carpeta.iterdir()] == ["00001_astronauta.png"]
    assert dict(informe.descartadas) == {"gato.jpg": "no se detectó ningún rostro de frente"}
    rostro = np.asarray(Image.open(carpeta / "00001_astronauta.png")).astype(int)
    centro = np.asarray(Image.fromarray(data.astronaut()).resize((48, 48))).astype(int)
    assert np.abs(rostro - centro).mean() > 20  # es un recorte, no la foto entera
    (caras / "astronauta.png").unlink()
    with pytest.raises(ValueError, match="caras.*rostros=False"):
        preparacion.preparar_imagenes(caras, tmp_path / "resultados", rostros=True)


def test_imagenes_carpeta_para_entrenar(desordenada, zip_malicioso, tmp_path, capsys):
    imagenes = preparacion.imagenes_carpeta(desordenada, tamano=16)
    assert imagenes.shape == (11, 16, 16, 3) and imagenes.dtype == np.float32
    assert imagenes.min() >= -1.0 and imagenes.max() <= 1.0 and imagenes.max() == 1.0
    aviso = capsys.readouterr().out
    assert "omito 9 archivos" in aviso and all(f"{nombre}:" in aviso for nombre in MOTIVOS)
    carpeta, _ = preparacion.preparar_imagenes(desordenada, tmp_path / "resultados", tamano=16)
    grises = preparacion.imagenes_carpeta(carpeta, tamano=16, canales=1)
    assert grises.shape == (11, 16, 16, 1)
    assert preparacion.imagenes_carpeta(zip_malicioso, tamano=16).shape == (1, 16, 16, 3)
    (tmp_path / "vacia").mkdir()
    (tmp_path / "vacia" / "leeme.txt").write_text("hola")
    with pytest.raises(ValueError, match="vacia.*ninguna imagen utilizable.*añade fotos") as error:
        preparacion.imagenes_carpeta(tmp_path / "vacia")
    assert "leeme.txt: no es una imagen" in str(error.value)  # el motivo viene en el propio error
    with pytest.raises(ValueError, match="no_existe.*comprueba la ruta"):
        preparacion.imagenes_carpeta(tmp_path / "no_existe")


def test_una_ruta_con_virgulilla_se_expande_y_una_relativa_dice_donde_se_busco(tmp_path, monkeypatch):
    # En un cuaderno, «~/fotos» no lo expande nadie: antes decía que la carpeta no existía.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))  # Windows
    (tmp_path / "fotos").mkdir()
    for i in range(3):
        Image.fromarray(np.full((20, 20, 3), 40 * i, np.uint8)).save(tmp_path / "fotos" / f"{i}.png")
    assert len(preparacion.imagenes_carpeta("~/fotos", tamano=16)) == 3
    assert len(preparacion.cargar_imagenes("~/fotos", tamano=16)) == 3  # la que usa el cuaderno 03 (CONJUNTO)
    assert lectura.leer_imagen("~/fotos/1.png").shape == (20, 20, 3)
    monkeypatch.chdir(tmp_path / "fotos")
    buscada = re.escape(str(tmp_path / "fotos" / "estilos" / "van_gogh.jpg"))
    with pytest.raises(FileNotFoundError, match=f"No encuentro «estilos/van_gogh.jpg»: comprueba la ruta \\(la busqué en {buscada}\\)"):
        lectura.leer_imagen("estilos/van_gogh.jpg")
    buscada = re.escape(str(tmp_path / "fotos" / "mis_fotos"))
    with pytest.raises(ValueError, match=f"«mis_fotos» no es una carpeta.*\\(la busqué en {buscada}\\)"):
        preparacion.imagenes_carpeta("mis_fotos")


def test_modo_rapido_lee_pocos_archivos(desordenada, monkeypatch, capsys):
    monkeypatch.setattr(carpeta_o_zip, "MAX_RAPIDO", 5)
    informe = preparacion.revisar_imagenes(desordenada)
    assert len(informe.utilizables) + len(informe.descartadas) == 5
    assert "uso solo 5 de 20 archivos, tomados a intervalos iguales entre todos" in capsys.readouterr().out


def test_modo_rapido_lee_archivos_de_todas_las_subcarpetas(tmp_path, monkeypatch, capsys):
    # Una carpeta por clase: antes, en modo rápido solo se leían los primeros (todos de «gatos»).
    monkeypatch.setenv("CURSO_GAN_RAPIDO", "1")
    monkeypatch.setattr(carpeta_o_zip, "MAX_RAPIDO", 6)
    for clase in ("gatos", "perros", "vacas"):
        (tmp_path / clase).mkdir()
        for i in range(6):
            Image.fromarray(np.full((16, 16, 3), 40 * i, np.uint8)).save(tmp_path / clase / f"{i}.png")
    informe = preparacion.revisar_imagenes(tmp_path)
    assert len(informe.utilizables) == 6
    assert {nombre.split("/")[0] for nombre in informe.utilizables} == {"gatos", "perros", "vacas"}
    assert "uso solo 6 de 18 archivos" in capsys.readouterr().out


def test_barra_de_progreso_en_carpetas_grandes(tmp_path, capsys, monkeypatch):
    real = carpeta_o_zip.LineaDeAvance
    monkeypatch.setattr(carpeta_o_zip, "LineaDeAvance", lambda: real(cada_segundos=0))  # una línea por archivo
    rng = np.random.default_rng(0)
    for i in range(120):
        Image.fromarray(rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)).save(tmp_path / f"{i:03d}.png")
    assert preparacion.imagenes_carpeta(tmp_path, tamano=16).shape == (120, 16, 16, 3)
    lineas = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"120 archivos revisados en .+", lineas[-1])
    assert [int(re.fullmatch(r"Archivo (\d+)/120 · faltan? .+", linea)[1]) for linea in lineas[:-1]] == list(range(1, 120))


def test_nunca_se_deserializa_ni_se_toca_el_original(desordenada, zip_malicioso, tmp_path):
    antes, antes_zip = _estado(desordenada), _estado(tmp_path)["entregas.zip"]
    preparacion.revisar_imagenes(desordenada)
    preparacion.preparar_imagenes(desordenada, tmp_path / "resultados", tamano=16, sin_duplicados=True)
    preparacion.imagenes_carpeta(desordenada, tamano=16)
    preparacion.preparar_imagenes(zip_malicioso, tmp_path / "resultados", tamano=16)
    with pytest.raises(ValueError, match="rostros=False"):  # no hay caras: se descartan todas
        preparacion.preparar_imagenes(desordenada, tmp_path / "resultados", rostros=True)
    assert _estado(desordenada) == antes and _estado(tmp_path)["entregas.zip"] == antes_zip
    assert not (tmp_path / "DESEMPAQUETADO").exists()
    pickle.loads((desordenada / "modelo.pkl").read_bytes())  # la trampa funciona si alguien la deserializa
    assert (tmp_path / "DESEMPAQUETADO").exists()


def test_mostrar_informe(desordenada, capsys):
    import matplotlib.pyplot as plt

    plt.close("all")
    preparacion.mostrar_informe(preparacion.revisar_imagenes(desordenada))
    assert "motivo" in capsys.readouterr().out
    figura = plt.gcf()
    assert figura.axes[0].get_title() == "Vista previa: 11 de 11 imágenes utilizables"
    plt.close("all")


def test_cargar_imagenes_por_nombre_carpeta_y_errores(desordenada):
    assert preparacion.cargar_imagenes("rostros").shape == (150, 32, 32, 1)
    assert preparacion.cargar_imagenes("digitos", 8).shape[1:] == (8, 8, 1)
    en_color = preparacion.cargar_imagenes("digitos", 8, canales=3)  # el gris, repetido en los tres canales
    assert en_color.shape[1:] == (8, 8, 3) and np.array_equal(en_color[..., 0], en_color[..., 2])
    with pytest.raises(ValueError, match="canales=2 no es válido"):
        preparacion.cargar_imagenes("digitos", canales=2)
    for tamano in (0, 4, 32.0, 2048):  # antes, con 0, un ZeroDivisionError desde dentro
        with pytest.raises(ValueError, match=rf"tamano={tamano!r} no es válido: debe ser un entero entre 8 y 1024"):
            preparacion.preparar_imagenes(desordenada, tamano=tamano)
        with pytest.raises(ValueError, match=rf"tamano={tamano!r} no es válido"):
            preparacion.imagenes_carpeta(desordenada, tamano)
    assert preparacion.cargar_imagenes(desordenada, 16).shape == (len(UTILIZABLES), 16, 16, 3)
    with pytest.raises(ValueError, match="no es un conjunto conocido") as error:
        preparacion.cargar_imagenes("caras_de_gatos")
    assert "Revisa la ruta." in str(error.value) and "Querías" not in str(error.value)
    # Antes, solo «Revisa la ruta.»: el nombre de un conjunto con tilde, mayúscula o guion no era una ruta.
    for escrito, conjunto in (("Dígitos", "digitos"), ("rostro", "rostros"), ("Fashion-MNIST", "fashion_mnist")):
        with pytest.raises(ValueError, match=re.escape(f"¿Querías decir conjunto={conjunto!r}? Sus nombres van en "
                                                       "minúscula y sin tildes.")):
            preparacion.cargar_imagenes(escrito)
    # "" sería la carpeta actual (antes, «ruta=''» sin decir qué parámetro); un número, ni ruta ni conjunto.
    for conjunto in ("", "  ", 3):
        with pytest.raises(ValueError, match=re.escape(
                f"conjunto={conjunto!r} no sirve como ruta: indica un conjunto ('digitos', 'rostros', 'mnist', "
                "'fashion_mnist' o 'lfw') o la carpeta o el .zip de tus imágenes, entre comillas.")):
            preparacion.cargar_imagenes(conjunto)


def test_el_detector_de_rostros_no_necesita_opencv(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "cv2", None)  # «import cv2» fallaría
    encuadre._detector_rostros.cache_clear()
    try:
        assert preparacion.caja_rostro(data.astronaut()) is not None
    finally:
        encuadre._detector_rostros.cache_clear()


def test_el_detector_encuentra_las_caras_incluidas_y_pocas_falsas():
    # Las caras de lfw_subset (25×25, muy recortadas) con un margen de fondo y a 96 px, como una foto pequeña.
    lfw = (data.lfw_subset() * 255).astype(np.uint8)

    def foto(cara):
        return np.asarray(Image.fromarray(np.pad(cara, 6, mode="edge")).resize((96, 96), Image.BICUBIC).convert("RGB"))

    caras = sum(preparacion.caja_rostro(foto(c)) is not None for c in lfw[:40])
    falsas = sum(preparacion.caja_rostro(foto(c)) is not None for c in lfw[100:140])
    assert caras >= 34 and falsas <= 2


def test_sin_duplicados_con_cientos_de_imagenes(tmp_path):
    # Más de 256 imágenes: las huellas crecen por bloques. Las copias, al final, nombran a su original.
    carpeta = tmp_path / "muchas"
    carpeta.mkdir()
    for i in range(300):
        Image.fromarray(_foto(100 + i, 24, 32)).save(carpeta / f"{i:03d}.png")
    (carpeta / "copia_de_007.png").write_bytes((carpeta / "007.png").read_bytes())
    casi = np.clip(_foto(100 + 280, 24, 32).astype(int) + 8, 0, 255).astype(np.uint8)
    Image.fromarray(casi).save(carpeta / "casi_280.png")
    _, informe = preparacion.preparar_imagenes(carpeta, tmp_path / "resultados", 32, sin_duplicados=True)
    assert dict(informe.descartadas) == {"copia_de_007.png": "copia exacta de «007.png»", "casi_280.png": "casi idéntica a «280.png»"}
    assert len(informe.utilizables) == 300


def test_sin_salida_prepara_bajo_la_carpeta_de_resultados(desordenada, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CURSO_GAN_RESULTADOS", str(tmp_path / "raiz"))
    carpeta, _ = preparacion.preparar_imagenes(desordenada, tamano=16)
    assert carpeta == tmp_path / "raiz" / "fotos_16px" and len(list(carpeta.glob("*.png"))) == len(UTILIZABLES)


def test_nombres_utf8_sin_marcar_en_un_zip_de_macos(tmp_path):
    # macOS guarda los nombres en UTF-8 sin la marca del formato; zipfile los leería como cp437 («A├▒o»).
    ruta = tmp_path / "fotos.zip"
    foto = io.BytesIO()
    Image.fromarray(data.astronaut()).save(foto, format="PNG")
    with zipfile.ZipFile(ruta, "w") as archivo_zip:
        archivo_zip.writestr("Axo/foto.png", foto.getvalue())
    # «Año» ocupa un byte más que «Axo» en UTF-8: se cambia también «foto» por «fot» para no mover nada.
    ruta.write_bytes(ruta.read_bytes().replace(b"Axo/foto.png", "Año/fot.png".encode("utf-8")))
    assert zipfile.ZipFile(ruta).namelist() == ["A├▒o/fot.png"]  # lo que leería zipfile solo
    assert preparacion.revisar_imagenes(ruta).utilizables == ["Año/fot.png"]


def test_nombres_de_un_zip_de_windows_en_espanol(tmp_path):
    # La carpeta comprimida de Windows en español guarda los nombres en cp850, sin marca: zipfile los lee como
    # cp437, que coincide en las minúsculas acentuadas y la «ñ», pero no en las mayúsculas («╡lbum»).
    ruta = tmp_path / "fotos.zip"
    foto = io.BytesIO()
    Image.fromarray(_foto(0)).save(foto, format="PNG")
    with zipfile.ZipFile(ruta, "w") as archivo_zip:
        archivo_zip.writestr("Xlbum/Xngel_axo.png", foto.getvalue())
    ruta.write_bytes(ruta.read_bytes().replace(b"Xlbum/Xngel_axo.png", "Álbum/Ángel_año.png".encode("cp850")))
    assert zipfile.ZipFile(ruta).namelist() == ["╡lbum/╡ngel_año.png"]  # lo que leería zipfile solo
    assert preparacion.revisar_imagenes(ruta).utilizables == ["Álbum/Ángel_año.png"]
    carpeta, _ = preparacion.preparar_imagenes(ruta, tmp_path / "salida", tamano=16)
    assert [p.name for p in carpeta.iterdir()] == ["00001_Ángel_año.png"]


def test_un_nombre_de_windows_que_tambien_es_utf8(tmp_path):
    # En cp850, «Íñ» son los bytes de un acento hebreo en UTF-8: «Íñigo/foto.png» del Windows de un estudiante se leía
    # «֤igo/foto.png». Un nombre UTF-8 sin la marca de otro programa de Windows, o uno de macOS, se sigue leyendo en UTF-8,
    # también en cirílico («Тест/сеть.png» se leyó un tiempo «ðóðÁÐüÐé/ÐüðÁÐéÐî.png», todo letras latinas en cp850).
    ruta = tmp_path / "fotos.zip"
    foto = io.BytesIO()
    Image.fromarray(_foto(0)).save(foto, format="PNG")
    nombres = {"Íñigo/foto.png": ("cp850", 0), "Jesús/ñu.png": ("utf-8", 0), "写真/猫.png": ("utf-8", 3),
               "Тест/сеть.png": ("utf-8", 0)}
    with zipfile.ZipFile(ruta, "w") as archivo_zip:
        for i, (nombre, (codificacion, sistema)) in enumerate(nombres.items()):
            miembro = zipfile.ZipInfo(f"{i}" * len(nombre.encode(codificacion)))
            miembro.create_system = sistema  # 0: Windows (MS-DOS); 3: Unix, como macOS
            archivo_zip.writestr(miembro, foto.getvalue())
    contenido = ruta.read_bytes()
    for i, (nombre, (codificacion, _)) in enumerate(nombres.items()):
        contenido = contenido.replace(f"{i}".encode() * len(nombre.encode(codificacion)), nombre.encode(codificacion))
    ruta.write_bytes(contenido)
    assert zipfile.ZipFile(ruta).namelist()[0] == "╓ñigo/foto.png"  # lo que leería zipfile solo
    assert set(preparacion.revisar_imagenes(ruta).utilizables) == set(nombres)


def zip_marcado_utf8_sin_serlo(ruta, contenido):
    """Un zip con «José.png» en cp850 pero marcado como UTF-8 (0x800), como lo deja algún programa con un error."""
    with zipfile.ZipFile(ruta, "w") as archivo_zip:
        archivo_zip.writestr("Xxé.png", contenido)  # zipfile lo marca como UTF-8: ocupa 8 bytes, como «José.png» en cp850
    ruta.write_bytes(ruta.read_bytes().replace("Xxé.png".encode(), "José.png".encode("cp850")))
    return ruta


def test_un_zip_marcado_utf8_sin_serlo_se_explica(tmp_path):
    # Antes, un UnicodeDecodeError en inglés, con su traza en el cuaderno.
    foto = io.BytesIO()
    Image.fromarray(_foto(0)).save(foto, format="PNG")
    ruta = zip_marcado_utf8_sin_serlo(tmp_path / "fotos.zip", foto.getvalue())
    with pytest.raises(ValueError, match=r"^«.*fotos\.zip» dice llevar los nombres de sus archivos en UTF-8 y no los lleva "
                                         r"\(un error del programa que lo comprimió\), y no lo sé abrir\. Si el zip es "
                                         r"tuyo y de fiar, descomprímelo con otro programa y usa la carpeta\.$"):
        preparacion.revisar_imagenes(ruta)


def test_nombres_de_windows_con_el_nombre_unicode_aparte(tmp_path):
    # Windows, 7-Zip y WinRAR añaden el nombre en UTF-8 en un campo aparte (0x7075), sin la marca: desde Python 3.12
    # zipfile lo lee ya en Unicode, y «Álbum» (que no cabe en cp437) no debe romper al corregir el nombre.
    nombre = "Álbum/foto.png"
    campo = b"\x01" + zipfile.crc32(nombre.encode("cp850")).to_bytes(4, "little") + nombre.encode("utf-8")
    info = zipfile.ZipInfo(nombre)  # como lo deja Python 3.12: el nombre de ese campo, sin la marca 0x800
    info.flag_bits = 0
    zip_seguro._corregir_nombre(info)
    assert info.filename == nombre
    ruta = tmp_path / "fotos.zip"
    foto = io.BytesIO()
    Image.fromarray(_foto(0)).save(foto, format="PNG")
    with zipfile.ZipFile(ruta, "w") as archivo_zip:
        miembro = zipfile.ZipInfo("Xlbum/foto.png")
        miembro.extra = b"\x75\x70" + len(campo).to_bytes(2, "little") + campo
        archivo_zip.writestr(miembro, foto.getvalue())
    ruta.write_bytes(ruta.read_bytes().replace(b"Xlbum/foto.png", nombre.encode("cp850")))
    assert preparacion.revisar_imagenes(ruta).utilizables == [nombre]  # con cualquier versión de Python


def test_las_barras_de_windows_se_corrigen_en_un_solo_sitio(tmp_path):
    # Compress-Archive de Windows separa con «\»: zip_seguro lo corrige para todos (preparar y revisar), la carpeta
    # «carpeta\» no se lista como un archivo vacío y un «..» escrito con «\» se sigue rechazando.
    ruta = tmp_path / "windows.zip"
    foto = io.BytesIO()
    Image.fromarray(_foto(0)).save(foto, format="PNG")
    with zipfile.ZipFile(ruta, "w") as archivo_zip:
        archivo_zip.writestr("carpeta\\", b"")
        archivo_zip.writestr("carpeta\\foto.png", foto.getvalue())
        archivo_zip.writestr("carpeta\\..\\..\\fuera.png", foto.getvalue())
    escapa = "ruta con «..» dentro del zip: saldría de la carpeta, no se lee"
    with zipfile.ZipFile(ruta) as archivo_zip:
        assert [(info.filename, motivo) for info, motivo in zip_seguro.miembros(archivo_zip)] == [
            ("carpeta/foto.png", None), ("carpeta/../../fuera.png", escapa)]
    informe = preparacion.revisar_imagenes(ruta)
    assert informe.utilizables == ["carpeta/foto.png"]
    assert informe.descartadas == [("carpeta/../../fuera.png", escapa)]


def test_la_tabla_cuadra_con_nombres_de_macos():
    # Antes, «canción.txt» de un Mac («o» + «´») contaba un carácter más de los que se ven y su motivo salía descuadrado.
    informe = preparacion.Informe("fotos", ["a.png"], [(unicodedata.normalize("NFD", "canción.txt"), "no es una imagen"),
                                                       ("notas.txt", "no es una imagen")])
    assert informe.tabla().splitlines()[2:] == ["archivo      motivo", "-----------  ------",
                                                "canción.txt  no es una imagen", "notas.txt    no es una imagen"]


def test_la_tabla_resume_los_descartes_que_no_caben():
    informe = preparacion.Informe("fotos", ["a.png"], [(f"apunte_{i}.txt", "no es una imagen") for i in range(40)]
                                  + [("foto.heic", "otro motivo")])
    lineas = informe.tabla(max_filas=30).splitlines()
    assert lineas[0] == "fotos: 1 imagen utilizable, 41 descartadas."
    assert "apunte_29.txt  no es una imagen" in lineas and not any("apunte_30.txt" in linea for linea in lineas)
    assert lineas[-3:] == ["… y 11 descartadas más (en Python, tabla(None) del informe las lista todas):",
                           "  10 × no es una imagen", "  1 × otro motivo"]
    assert len(informe.tabla(max_filas=None).splitlines()) == 45


@pytest.mark.parametrize("ruta", ["", "  ", None, 3])
def test_una_ruta_vacia_no_es_la_carpeta_actual(desordenada, tmp_path, monkeypatch, ruta):
    # «» era la carpeta actual (en Colab, /content, con todo Google Drive dentro); None y 3, un TypeError en inglés.
    monkeypatch.chdir(desordenada)
    mensaje = re.escape(f"ruta={ruta!r} no sirve como ruta: indica la carpeta o el .zip de tus imágenes, entre comillas.")
    with pytest.raises(ValueError, match=f"^{mensaje}$"):
        preparacion.revisar_imagenes(ruta)
    with pytest.raises(ValueError, match=f"^{mensaje}$"):
        preparacion.imagenes_carpeta(ruta, 16)
    with pytest.raises(ValueError, match=f"^{mensaje}$"):
        preparacion.preparar_imagenes(ruta, tmp_path / "resultados", 16)
    if ruta is not None:  # salida=None es la de siempre: resultados/
        salida = re.escape(f"salida={ruta!r} no sirve como ruta: indica la carpeta donde crear la de imágenes "
                           "preparadas, entre comillas.")
        with pytest.raises(ValueError, match=f"^{salida}$"):
            preparacion.preparar_imagenes(desordenada, ruta, 16)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fotos"]  # nada preparado, tampoco en la carpeta actual
    assert not any(p.name.endswith("px") for p in desordenada.iterdir())


@pytest.mark.parametrize("tamano_minimo", ["16", 0, 2.5, True])
def test_tamano_minimo_que_no_es_un_entero_positivo(desordenada, tmp_path, tamano_minimo):
    mensaje = re.escape(f"tamano_minimo={tamano_minimo!r} no es válido: debe ser un entero positivo.")
    for funcion in (preparacion.revisar_imagenes, preparacion.imagenes_carpeta,
                    lambda ruta, tamano_minimo: preparacion.preparar_imagenes(ruta, tmp_path / "res", tamano_minimo=tamano_minimo)):
        with pytest.raises(ValueError, match=f"^{mensaje}$"):
            funcion(desordenada, tamano_minimo=tamano_minimo)
    with pytest.raises(ValueError, match=f"^{mensaje}$"):
        lectura.leer_imagen(desordenada / "gris.png", tamano_minimo)
    assert not (tmp_path / "res").exists()


def test_una_ruta_de_windows_se_explica_al_cargar_imagenes():
    if os.name == "nt":
        pytest.skip("allí una ruta de Windows es la de este sistema")
    with pytest.raises(FileNotFoundError, match=r"No encuentro «C:\\Users\\ana\\gato.jpg»: comprueba la ruta \(es una "
                                                r"ruta de Windows y aquí el sistema es otro"):
        lectura.leer_imagen("C:\\Users\\ana\\gato.jpg")
    if not os.path.ismount("/content/drive"):  # en Colab con Drive montado, la pista no toca
        with pytest.raises(ValueError, match="MyDrive/fotos» no es una carpeta.*Google Drive no está montado"):
            preparacion.imagenes_carpeta("/content/drive/MyDrive/fotos")


def test_un_nombre_de_macos_se_encuentra_escrito_con_el_teclado(tmp_path, monkeypatch, capsys):
    # macOS (y sus zips) escriben «piña» como «pin» + «˜» + «a» (NFD); en Linux (Colab), «piña» tecleado (NFC) no
    # lo encontraba: «No encuentro «…/piña.jpg»», aunque el nombre se ve igual en la lista de archivos.
    from helpers import estilo
    from helpers.__main__ import main

    carpeta = tmp_path / unicodedata.normalize("NFD", "José")
    carpeta.mkdir()
    for i in range(3):
        Image.fromarray(_foto(i, 40, 40)).save(carpeta / unicodedata.normalize("NFD", f"piña_{i}.jpg"))
    tecleada = tmp_path / "José"
    assert str(tecleada) != str(carpeta) and not os.path.exists(tecleada)
    assert lectura.leer_imagen(tecleada / "piña_0.jpg").shape == (40, 40, 3)
    assert estilo.cargar_imagen(str(carpeta / "piña_1.jpg"), None).shape == (40, 40, 3)  # la carpeta NFD, el archivo NFC
    assert len(preparacion.revisar_imagenes(tecleada).utilizables) == 3
    carpeta_preparada, _ = preparacion.preparar_imagenes(str(tecleada), tmp_path / "salida", tamano=16)
    assert len(list(carpeta_preparada.iterdir())) == 3
    main(["preparar", str(tecleada), "--salida", str(tmp_path / "salida"), "--tamano", "32"])
    assert "3 imágenes de 32×32" in capsys.readouterr().out


def test_una_ruta_con_partes_de_macos_y_partes_tecleadas(tmp_path):
    # En Drive, «Diseño» creada en el navegador (NFC) con «fotos de mamá» subida desde un Mac (NFD) dentro: la ruta
    # tecleada no estaba entera ni en NFC ni en NFD, y «no es una carpeta ni un archivo .zip (o no existe)».
    carpeta = tmp_path / "Diseño" / unicodedata.normalize("NFD", "fotos de mamá")
    carpeta.mkdir(parents=True)
    for i in range(3):
        Image.fromarray(_foto(i, 40, 40)).save(carpeta / unicodedata.normalize("NFD", f"piña_{i}.jpg"))
    tecleada = tmp_path / "Diseño" / "fotos de mamá"
    assert not os.path.exists(tecleada)
    assert len(preparacion.revisar_imagenes(tecleada).utilizables) == 3
    assert lectura.leer_imagen(tecleada / "piña_0.jpg").shape == (40, 40, 3)


def test_preparar_con_maximo_se_queda_con_una_parte_al_azar_siempre_la_misma(tmp_path, capsys, monkeypatch):
    # Antes no había forma de preparar solo una parte de una colección que no cabe en memoria: el aviso de memoria
    # pedía copiar a mano una parte elegida al azar en otra carpeta.
    real = carpeta_o_zip.LineaDeAvance
    monkeypatch.setattr(carpeta_o_zip, "LineaDeAvance", lambda: real(cada_segundos=0))
    fotos, rng = tmp_path / "fotos", np.random.default_rng(0)
    fotos.mkdir()
    for i in range(120):
        Image.fromarray(rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)).save(fotos / f"{i:03d}.png")
    carpeta, informe = preparacion.preparar_imagenes(fotos, tmp_path / "res", tamano=16, maximo=10)
    salida = capsys.readouterr().out
    assert len(informe.utilizables) == 10 == len(list(carpeta.glob("*.png")))
    assert set(informe.utilizables) != {f"{i:03d}.png" for i in range(10)}  # no las primeras
    assert "Con un máximo de 10, me he quedado con esas, elegidas al azar (siempre las mismas de estos archivos): 110 " \
           "archivos más no se han usado." in salida
    # La línea de avance termina aunque no se recorran todos los archivos.
    assert re.search(r"^\d+ archivos revisados en .+$", salida, re.M)
    # Otra vez, las mismas: se reutiliza la carpeta.
    otra, otro_informe = preparacion.preparar_imagenes(fotos, tmp_path / "res", tamano=16, maximo=10)
    assert otra == carpeta and otro_informe.utilizables == informe.utilizables
    with pytest.raises(ValueError, match="maximo=0 no es válido"):
        preparacion.preparar_imagenes(fotos, tmp_path / "res", tamano=16, maximo=0)
