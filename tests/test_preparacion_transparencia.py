"""La transparencia al leer imágenes: los dibujos claros (iconos, logotipos o trazos blancos pensados para un fondo
oscuro) y el color transparente de los PNG de 16 bits, por todos los caminos que leen una imagen."""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from helpers import estilo, lectura, preparacion
from test_preparacion_casos import mismas_al_cargar_y_al_preparar


def _trazo_blanco(ruta):
    lienzo = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(lienzo).line([(8, 50), (30, 12), (56, 40)], fill=(255, 255, 255, 255), width=4)
    lienzo.save(ruta)


def _icono_gris_claro(ruta):  # modo LA: gris y alfa
    lienzo = Image.new("LA", (64, 64), (0, 0))
    pincel = ImageDraw.Draw(lienzo)
    pincel.ellipse([12, 12, 52, 52], fill=(235, 255))
    pincel.rectangle([26, 20, 38, 44], fill=(0, 0))
    lienzo.save(ruta)


def _paleta_transparente(ruta):  # como un GIF o un PNG de 8 bits: el color 0 de la paleta es el transparente
    lienzo = Image.new("P", (64, 64), 0)
    lienzo.putpalette([0, 0, 0, 255, 255, 255, 250, 250, 240])
    pincel = ImageDraw.Draw(lienzo)
    pincel.polygon([(32, 6), (58, 56), (6, 56)], fill=1)
    pincel.ellipse([24, 30, 40, 46], fill=2)
    lienzo.save(ruta, transparency=0)


def _blanco_con_bordes_suaves(ruta):  # dibujado a 256 px y reducido: el alfa del borde va de 0 a 255
    grande = Image.new("RGBA", (256, 256), (255, 255, 255, 0))
    ImageDraw.Draw(grande).ellipse([40, 40, 216, 216], fill=(255, 255, 255, 255))
    ImageDraw.Draw(grande).ellipse([90, 90, 166, 166], fill=(255, 255, 255, 0))
    grande.resize((64, 64), Image.Resampling.LANCZOS).save(ruta)


CLAROS = {"a_trazo.png": _trazo_blanco, "b_icono.png": _icono_gris_claro, "c_paleta.png": _paleta_transparente,
          "d_anillo.png": _blanco_con_bordes_suaves}


def _normales(carpeta):
    """Las que no cambian: un dibujo oscuro sobre transparencia, un emoji, un sprite de color y una foto."""
    oscuro = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(oscuro).line([(8, 50), (30, 12), (56, 40)], fill=(40, 40, 40, 255), width=4)
    oscuro.save(carpeta / "e_oscuro.png")
    emoji = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    pincel = ImageDraw.Draw(emoji)
    pincel.ellipse([4, 4, 60, 60], fill=(255, 204, 77, 255))
    pincel.arc([18, 30, 46, 50], 20, 160, fill=(60, 40, 20, 255), width=3)
    emoji.save(carpeta / "f_emoji.png")
    sprite = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
    ImageDraw.Draw(sprite).ellipse([20, 10, 44, 34], fill=(180, 60, 200, 255))
    sprite.save(carpeta / "g_sprite.png")
    foto = np.random.default_rng(0).integers(0, 256, (4, 5, 3), dtype=np.uint8)
    Image.fromarray(foto).resize((64, 64), Image.BICUBIC).save(carpeta / "h_foto.png")


def _sobre(ruta, fondo):
    """La imagen de ``ruta`` compuesta con Pillow sobre ``fondo``: lo que el kit debe dar."""
    imagen = Image.open(ruta).convert("RGBA")
    return np.asarray(Image.alpha_composite(Image.new("RGBA", imagen.size, fondo), imagen).convert("RGB"))


def _aviso_de_carpeta(nombres):
    return (f"Aviso: {len(nombres)} imágenes son dibujos claros sobre fondo transparente, que sobre blanco apenas se "
            f"verían, así que las compongo sobre negro: {nombres[0]}, {nombres[1]}, {nombres[2]} y 1 más. Si prefieres "
            "otro fondo (p. ej., el mismo para todas), guárdalas sin transparencia, sobre ese fondo, con un editor de "
            "imágenes.")


def _aviso_de_una(imagen):
    return (f"Aviso: {imagen} es un dibujo claro sobre fondo transparente, que sobre blanco apenas se vería, así que la "
            "compongo sobre negro. Si prefieres otro fondo, guárdala sin transparencia, sobre ese fondo, con un editor de "
            "imágenes.\n")


@pytest.fixture
def mezclada(tmp_path):
    carpeta = tmp_path / "iconos"
    carpeta.mkdir()
    for nombre, dibujar in CLAROS.items():
        dibujar(carpeta / nombre)
    _normales(carpeta)
    return carpeta


def test_un_dibujo_claro_sobre_transparencia_se_lee_sobre_negro_y_se_avisa(mezclada, capsys):
    # Antes, los cuatro quedaban sobre blanco: el trazo y el anillo, una imagen blanca uniforme; el icono y la paleta,
    # casi (del 235 o el 240 al 255), y sin ningún aviso.
    for nombre in CLAROS:
        ruta = mezclada / nombre
        esperada = _sobre(ruta, "black")
        assert esperada.max() >= 235 and _sobre(ruta, "white").min() >= 235
        np.testing.assert_array_equal(lectura.leer_imagen(ruta), esperada)
        assert capsys.readouterr().out == _aviso_de_una(f"«{ruta}»")
        with Image.open(ruta) as abierta:
            np.testing.assert_array_equal(lectura.rgb_de_pil(abierta), esperada)
        assert capsys.readouterr().out == _aviso_de_una(f"«{ruta}»")
        np.testing.assert_array_equal(estilo.cargar_imagen(ruta.read_bytes(), None), esperada)
        assert capsys.readouterr().out == _aviso_de_una("la imagen de esos bytes")
        rgba = np.asarray(Image.open(ruta).convert("RGBA"))
        np.testing.assert_array_equal(estilo.cargar_imagen(rgba, None), esperada)
        assert capsys.readouterr().out == _aviso_de_una("la imagen")


def test_una_carpeta_mezclada_compone_sobre_negro_solo_los_dibujos_claros(mezclada, tmp_path, capsys):
    # Los oscuros, el emoji, el sprite y la foto quedan como antes, sobre blanco.
    claros = sorted(CLAROS)
    normales = ["e_oscuro.png", "f_emoji.png", "g_sprite.png", "h_foto.png"]
    for nombre in normales:
        np.testing.assert_array_equal(lectura.leer_imagen(mezclada / nombre), _sobre(mezclada / nombre, "white"))
    assert capsys.readouterr().out == ""
    cargadas = preparacion.imagenes_carpeta(mezclada, 64)
    assert capsys.readouterr().out == _aviso_de_carpeta(claros) + "\n"
    for cargada, nombre in zip(cargadas, claros + normales):
        fondo = "black" if nombre in claros else "white"
        np.testing.assert_allclose(cargada, _sobre(mezclada / nombre, fondo) / 127.5 - 1, atol=1e-6)
    revisadas = preparacion.revisar_imagenes(mezclada)
    assert revisadas.sobre_negro == claros
    preparacion.mostrar_informe(revisadas)
    assert capsys.readouterr().out.splitlines()[-1] == _aviso_de_carpeta(claros)
    carpeta, informe = preparacion.preparar_imagenes(mezclada, tmp_path / "res", 64)
    assert informe.sobre_negro == claros
    assert capsys.readouterr().out.splitlines()[1:] == [_aviso_de_carpeta(claros)]
    preparadas = [np.asarray(Image.open(ruta)) for ruta in sorted(carpeta.glob("*.png"))]
    np.testing.assert_array_equal(np.stack(preparadas), np.round((cargadas + 1) * 127.5).astype(np.uint8))


def test_al_rellenar_un_dibujo_claro_las_bandas_son_negras_como_su_fondo(tmp_path, capsys):
    carpeta = tmp_path / "logos"
    carpeta.mkdir()
    logotipo = Image.new("RGBA", (96, 32), (0, 0, 0, 0))
    ImageDraw.Draw(logotipo).rectangle([10, 8, 86, 24], fill=(255, 255, 255, 255))
    logotipo.save(carpeta / "logo.png")
    carpeta_preparada, _ = preparacion.preparar_imagenes(carpeta, tmp_path / "res", 48, recorte="relleno")
    [preparada] = [np.asarray(Image.open(ruta)) for ruta in carpeta_preparada.glob("*.png")]
    assert preparada[:8].max() == 0 and preparada[-8:].max() == 0  # antes, bandas blancas sobre un fondo negro
    assert preparada[24, 24].min() == 255


@pytest.mark.parametrize("color, fondo", [((224, 224, 224, 255), "negro"), ((223, 223, 223, 255), "blanco"),
                                          ((255, 255, 0, 255), "negro"), ((255, 204, 77, 255), "blanco"),
                                          ((255, 255, 255, 0), "blanco"), ((255, 255, 255, 110), "negro")])
def test_que_dibujo_es_claro(color, fondo):
    # Un gris de 224 o más claro, o el amarillo puro, sobre transparencia; el amarillo de un emoji, no. Sin nada
    # dibujado, blanco; un trazo blanco semitransparente también se perdería sobre blanco.
    rgba = np.zeros((8, 8, 4), np.uint8)
    rgba[2:6, 2:6] = color
    esperado = lectura.FONDO_OSCURO if fondo == "negro" else lectura.FONDO
    assert lectura.fondo_bajo_transparencia(Image.fromarray(rgba, "RGBA")) == esperado


def test_una_imagen_clara_sin_transparencia_no_cambia(tmp_path, capsys):
    # Una foto de nieve guardada con canal alfa, todo opaco: no hay dibujo que se pierda sobre blanco.
    nieve = np.dstack([np.full((16, 16, 3), 250, np.uint8), np.full((16, 16), 255, np.uint8)])
    Image.fromarray(nieve).save(tmp_path / "nieve.png")
    np.testing.assert_array_equal(lectura.leer_imagen(tmp_path / "nieve.png"), nieve[..., :3])
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("radio, fondo", [(20, "blanco"), (40, "blanco"), (80, "negro")])
def test_una_foto_clara_con_esquinas_redondeadas_sigue_sobre_blanco(radio, fondo):
    # Una captura o una foto de nieve de 160×160 con las esquinas redondeadas (de 20 o 40 px: un 1 % o un 5 % de
    # píxeles transparentes) salía con las esquinas negras y avisada como «dibujo claro». Con radio 80 es un disco
    # claro que llena el cuadro (un 21 % transparente): sobre blanco no se vería.
    nieve = Image.new("RGBA", (160, 160), (0, 0, 0, 0))
    ImageDraw.Draw(nieve).rounded_rectangle([0, 0, 159, 159], radius=radio, fill=(246, 248, 250, 255))
    esperado = lectura.FONDO_OSCURO if fondo == "negro" else lectura.FONDO
    assert lectura.fondo_bajo_transparencia(nieve) == esperado


def _png_rgb_de_16_bits(ruta, rgb, transparente):
    """Escribe a mano (Pillow no sabe) un PNG en color de 16 bits ``rgb`` (uint16 ``(alto, ancho, 3)``) con el color
    ``transparente`` en su tRNS."""
    def bloque(tipo, datos):
        return struct.pack(">I", len(datos)) + tipo + datos + struct.pack(">I", zlib.crc32(tipo + datos))
    alto, ancho, _ = rgb.shape
    filas = b"".join(b"\0" + fila.astype(">u2").tobytes() for fila in rgb)  # filtro 0 en cada fila
    ruta.write_bytes(b"\x89PNG\r\n\x1a\n" + bloque(b"IHDR", struct.pack(">IIBBBBB", ancho, alto, 16, 2, 0, 0, 0))
                     + bloque(b"tRNS", struct.pack(">HHH", *transparente)) + bloque(b"IDAT", zlib.compress(filas))
                     + bloque(b"IEND", b""))


@pytest.mark.parametrize("transparente", [(0x12FF, 0x3400, 0x56AB), (0, 0, 200)])
def test_el_color_transparente_de_un_png_rgb_de_16_bits_queda_blanco_como_en_los_demas(tmp_path, capsys, transparente):
    # Antes se cargaba con ese color (Pillow lo guarda en 16 bits y los píxeles en 8), no blanco como en un PNG de 8
    # bits. El segundo, casi negro, tiene todos los canales por debajo de 256: Pillow lo tomaría por el azul (0, 0, 200).
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    rgb = np.empty((16, 16, 3), np.uint16)
    rgb[:] = np.array([40, 90, 160]) * 257
    rgb[:, :8] = transparente  # mitad izquierda: el color transparente
    _png_rgb_de_16_bits(fotos / "a_dieciseis.png", rgb, transparente)
    ocho = np.where(rgb[..., :1] == transparente[0], (0, 0, 200), (40, 90, 160)).astype(np.uint8)
    Image.fromarray(ocho).save(fotos / "b_ocho.png", transparency=(0, 0, 200))
    esperada = np.where(rgb[..., :1] == transparente[0], 255, (40, 90, 160)).astype(np.uint8)
    np.testing.assert_array_equal(lectura.leer_imagen(fotos / "b_ocho.png"), esperada)
    np.testing.assert_array_equal(lectura.leer_imagen(fotos / "a_dieciseis.png"), esperada)
    with Image.open(fotos / "a_dieciseis.png") as abierta:
        np.testing.assert_array_equal(lectura.rgb_de_pil(abierta), esperada)
    np.testing.assert_array_equal(estilo.cargar_imagen((fotos / "a_dieciseis.png").read_bytes(), None), esperada)
    mismas_al_cargar_y_al_preparar(fotos, tmp_path, esperada)
    assert "dibujo claro" not in capsys.readouterr().out


def test_el_color_transparente_de_una_imagen_hecha_con_crop_o_de_las_teselas_de_pillow_10(tmp_path):
    # Antes, un AttributeError en inglés: una imagen hecha con crop, copy o resize no tiene tile, y en Pillow 10 (la
    # versión mínima) cada tesela es una tupla sin nombres (sin .args): fallaba cualquier PNG RGB con su color
    # transparente, también al preparar una carpeta.
    ocho = np.zeros((8, 8, 3), np.uint8)
    ocho[:, :4], ocho[:, 4:] = (0, 0, 200), (50, 60, 70)
    Image.fromarray(ocho).save(tmp_path / "ocho.png", transparency=(0, 0, 200))
    dieciseis = np.where(ocho == (0, 0, 200), 0, ocho.astype(np.uint16) * 257).astype(np.uint16)
    dieciseis[:, :4] = (0, 0, 200)
    _png_rgb_de_16_bits(tmp_path / "dieciseis.png", dieciseis, (0, 0, 200))
    esperada = np.where(ocho == (0, 0, 200), 255, ocho).astype(np.uint8)
    esperada[:, :4] = 255
    with Image.open(tmp_path / "ocho.png") as abierta:
        np.testing.assert_array_equal(lectura.rgb_de_pil(abierta.crop((0, 0, 8, 8))), esperada)
        np.testing.assert_array_equal(estilo.cargar_imagen(abierta.copy(), None), esperada)
    for nombre in ("ocho.png", "dieciseis.png"):
        with Image.open(tmp_path / nombre) as abierta:
            abierta.tile = [tuple(tesela) for tesela in abierta.tile]  # como las deja Pillow 10
            np.testing.assert_array_equal(lectura.rgb_de_pil(abierta), esperada)


@pytest.mark.parametrize("decodificar", [lambda abierta: abierta.copy(), lambda abierta: abierta.crop((0, 0, 8, 8)),
                                         lambda abierta: abierta.convert("RGB")])
def test_una_imagen_ya_decodificada_con_un_color_transparente_que_podria_ser_de_16_bits_se_avisa(tmp_path, capsys,
                                                                                             decodificar):
    # Ya decodificada (sin teselas), un PNG de 16 bits con un color transparente de canales de 255 o menos es igual que
    # uno de 8 bits: su color transparente no se reconoce (aquí sus píxeles quedan negros y los de (0, 0, 200) en 8
    # bits, blancos). Antes, ese resultado erróneo, en silencio; ahora se lee como de 8 bits y se avisa.
    dieciseis = np.full((8, 8, 3), 50 * 257, np.uint16)
    dieciseis[:, :4] = (0, 0, 200)
    _png_rgb_de_16_bits(tmp_path / "dieciseis.png", dieciseis, (0, 0, 200))
    aviso = ("Aviso: la imagen tiene un color transparente, (0, 0, 200), y llegó ya decodificada (tras copy, crop "
             "o convert): si viene de un PNG de 16 bits, ese color ya no se reconoce y su transparencia sale mal. Pasa "
             "la ruta del archivo, o la imagen recién abierta con Image.open, y se lee bien.\n")
    with Image.open(tmp_path / "dieciseis.png") as abierta:
        lectura.rgb_de_pil(decodificar(abierta))
    assert capsys.readouterr().out == aviso
    with Image.open(tmp_path / "dieciseis.png") as abierta:
        estilo.cargar_imagen(decodificar(abierta), None)
    assert capsys.readouterr().out == aviso
    # Recién abierta, o con un color que delata los 16 bits, se lee bien y sin aviso.
    esperada = np.where(dieciseis == (0, 0, 200), 255, 50).astype(np.uint8)
    with Image.open(tmp_path / "dieciseis.png") as abierta:
        np.testing.assert_array_equal(lectura.rgb_de_pil(abierta), esperada)
    dieciseis[:, :4] = (0, 300, 200)
    _png_rgb_de_16_bits(tmp_path / "dieciseis.png", dieciseis, (0, 300, 200))
    with Image.open(tmp_path / "dieciseis.png") as abierta:
        np.testing.assert_array_equal(lectura.rgb_de_pil(decodificar(abierta)), esperada)
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("bits", [8, 16])
def test_un_png_abierto_y_ya_cargado_se_lee_segun_su_cabecera_sin_aviso(tmp_path, capsys, bits):
    # Antes, tras Image.open(ruta).load(), «Aviso: … si viene de un PNG de 16 bits…» también con uno de 8 bits (lo
    # normal): la imagen abierta aún sabe de qué archivo viene, y su cabecera dice cuántos bits tiene.
    ocho = np.full((8, 8, 3), 50, np.uint8)
    ocho[:, :4] = (0, 0, 200)
    if bits == 8:
        Image.fromarray(ocho).save(tmp_path / "png.png", transparency=(0, 0, 200))
    else:
        dieciseis = ocho.astype(np.uint16) * 257
        dieciseis[:, :4] = (0, 0, 200)
        _png_rgb_de_16_bits(tmp_path / "png.png", dieciseis, (0, 0, 200))
    esperada = np.where(ocho == (0, 0, 200), 255, ocho).astype(np.uint8)
    esperada[:, :4] = 255
    with Image.open(tmp_path / "png.png") as abierta:
        abierta.load()
        np.testing.assert_array_equal(lectura.rgb_de_pil(abierta), esperada)
        np.testing.assert_array_equal(estilo.cargar_imagen(abierta, None), esperada)
    assert capsys.readouterr().out == ""


def test_una_imagen_con_transparencia_se_compone_una_sola_vez_salvo_un_dibujo_claro(mezclada, monkeypatch):
    # Antes, cada imagen con transparencia se componía dos veces sobre blanco (una para decidir el fondo y otra para
    # leerla): con una carpeta de iconos, el doble de trabajo en cada lectura.
    esperada, compuestas, componer = _sobre(mezclada / "e_oscuro.png", "white"), [], Image.alpha_composite
    monkeypatch.setattr(Image, "alpha_composite", lambda fondo, imagen: compuestas.append(fondo.getpixel((0, 0)))
                        or componer(fondo, imagen))
    np.testing.assert_array_equal(lectura.leer_imagen(mezclada / "e_oscuro.png"), esperada)
    assert compuestas == [(255, 255, 255, 255)]
    compuestas.clear()
    lectura.leer_imagen(mezclada / "a_trazo.png")
    assert compuestas == [(255, 255, 255, 255), (0, 0, 0, 255)]  # para decidir, y sobre negro


def test_un_dibujo_claro_en_0_1_con_el_alfa_medio_nivel_por_encima_de_1_tambien_va_sobre_negro(capsys):
    # cargar_imagen admite medio nivel de más (1 + 0,5/255, p. ej. tras interpolar); antes ese alfa, 255,5, se
    # redondeaba a 256 y como uint8 daba 0: el trazo contaba como transparente y quedaba blanco sobre blanco, sin aviso.
    rgba = np.zeros((16, 16, 4), np.float32)
    rgba[6:10] = (1, 1, 1, 1 + 0.5 / 255)
    cargada = estilo.cargar_imagen(rgba, None)
    assert cargada[0].max() == 0 and cargada[8].min() == 255
    assert capsys.readouterr().out == _aviso_de_una("la imagen")
