"""Casos de uso reales de la preparación: fotos enormes de móvil, zips grandes, enlaces simbólicos y
mensajes que sirven igual en la terminal que en Python."""

import base64
import errno
import io
import itertools
import os
import re
import shutil
import sys
import types
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, features
from skimage import data

from helpers import carpeta_o_zip, lectura, preparacion, zip_seguro


def _foto(semilla, alto, ancho):
    """Foto sintética suave, distinta para cada semilla."""
    rng = np.random.default_rng(semilla)
    return np.asarray(Image.fromarray(rng.integers(0, 256, (4, 5, 3), dtype=np.uint8)).resize((ancho, alto), Image.BICUBIC))


def test_foto_jpeg_enorme_se_lee_reducida_y_la_bomba_png_no(tmp_path, monkeypatch):
    # El límite de Pillow (89 millones) bajado a 2 millones: las mismas reglas con archivos pequeños.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 2_000_000)
    carpeta = tmp_path / "grandes"
    carpeta.mkdir()
    movil = _foto(0, 2000, 3000)  # 6 millones, el triple: lo más que se admite en JPEG (una de 200 MP es 2,2 veces)
    Image.fromarray(movil).save(carpeta / "movil.jpg", quality=90)
    Image.fromarray(_foto(1, 1200, 1800)).save(carpeta / "medio.jpg")  # 2,16 millones: 1,1 veces, como una de 108 MP
    Image.fromarray(_foto(2, 2100, 3000)).save(carpeta / "gigante.jpg")  # 6,3 millones: ni en JPEG
    Image.fromarray(_foto(3, 1200, 1800)).save(carpeta / "bomba.png", compress_level=1)

    informe = preparacion.revisar_imagenes(carpeta)
    assert informe.utilizables == ["medio.jpg", "movil.jpg"]
    motivos = dict(informe.descartadas)
    assert motivos["gigante.jpg"].startswith("mide 3000×2100 px, más de 6 millones de píxeles: posible bomba de descompresión")
    assert motivos["bomba.png"].startswith("dice medir más de 2 millones de píxeles: posible bomba de descompresión")
    for motivo in motivos.values():  # y dice qué hacer si es una foto de verdad
        assert "redúcela por debajo de" in motivo and "editor de imágenes" in motivo
    assert "6 millones si la guardas como JPEG" in motivos["bomba.png"]

    leida = lectura.leer_imagen(carpeta / "movil.jpg")  # a la mitad de lado: 1,5 millones, bajo el límite
    assert leida.shape == (1000, 1500, 3)
    reducida = np.asarray(Image.fromarray(movil).resize((1500, 1000), Image.BOX)).astype(int)
    assert np.abs(leida.astype(int) - reducida).mean() < 3
    carpeta_lista, _ = preparacion.preparar_imagenes(carpeta, tmp_path / "resultados", tamano=32)
    assert len(list(carpeta_lista.iterdir())) == 2


def _zip_falso(*tamanos):
    """Un zip que solo declara ``(descomprimido, comprimido)`` por miembro: ``miembros`` no lee más que eso."""
    infos = []
    for i, (descomprimido, comprimido) in enumerate(tamanos):
        info = zipfile.ZipInfo(f"foto_{i:02d}.jpg")
        info.file_size, info.compress_size = descomprimido, comprimido
        infos.append(info)
    return types.SimpleNamespace(filename="fotos.zip", infolist=lambda: infos)


def test_zip_grande_de_fotos_no_es_una_bomba():
    # 45 fotos de 50 MB (2,2 GB): las JPEG casi no se comprimen.
    mb = 2**20
    assert len(zip_seguro.miembros(_zip_falso(*[(50 * mb, 49 * mb)] * 45))) == 45
    with pytest.raises(ValueError, match="fotos.zip» ocuparía 4.099 MiB descomprimido.*parece una bomba zip.*descomprímelo"):
        zip_seguro.miembros(_zip_falso((4096 * mb, 4 * mb), *[(mb, mb)] * 3))
    # Rellenar con archivos normales no esconde la bomba: cuenta lo que crece más de 100 veces.
    with pytest.raises(ValueError, match="4.096 MiB salen de archivos que crecen más de 100 veces"):
        zip_seguro.miembros(_zip_falso((4096 * mb, 4 * mb), *[(1024 * mb, 1024 * mb)] * 40))
    # Demasiado grande sin ser una bomba: que lo descomprima el usuario y use la carpeta.
    with pytest.raises(ValueError, match="ocuparía 2.250 MiB descomprimido, más de 1.024 MiB: demasiado para leerlo") as error:
        zip_seguro.miembros(_zip_falso(*[(50 * mb, 49 * mb)] * 45), max_bytes=2**30)
    assert "bomba" not in str(error.value)
    assert "descomprímelo con otro programa y usa la carpeta" in str(error.value)


def test_zip_bomba_y_miembro_enorme_con_archivos_de_verdad(tmp_path, monkeypatch):
    ruta = tmp_path / "ceros.zip"
    with zipfile.ZipFile(ruta, "w", zipfile.ZIP_DEFLATED) as archivo_zip:
        archivo_zip.writestr("ceros.png", b"\0" * 3 * 2**20)
    monkeypatch.setattr(zip_seguro, "MAX_INFLADOS", 2**20)  # en vez de 256 MiB, para no escribirlos
    with pytest.raises(ValueError, match="ceros.zip.*parece una bomba zip"):
        preparacion.revisar_imagenes(ruta)
    # El ruido no se comprime: no es una bomba. Pero un archivo enorme no se lee entero en memoria.
    ruido = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 256, (1000, 1200, 3), dtype=np.uint8)).save(ruido, "PNG")
    with zipfile.ZipFile(tmp_path / "ruido.zip", "w", zipfile.ZIP_DEFLATED) as archivo_zip:
        archivo_zip.writestr("ruido.png", ruido.getvalue())
    assert preparacion.revisar_imagenes(tmp_path / "ruido.zip").utilizables == ["ruido.png"]
    monkeypatch.setattr(carpeta_o_zip, "MAX_MIEMBRO", 2**20)  # en vez de 512 MiB
    motivo = dict(preparacion.revisar_imagenes(tmp_path / "ruido.zip").descartadas)["ruido.png"]
    assert motivo == "ocupa 3 MiB descomprimido, más de los 1 MiB que leo de un zip: descomprímelo tú y usa la carpeta"


def test_una_salida_que_es_un_archivo_se_explica_sin_tocarlo(tmp_path):
    (tmp_path / "fotos").mkdir()
    Image.fromarray(_foto(0, 40, 40)).save(tmp_path / "fotos" / "a.png")
    (tmp_path / "notas.txt").write_text("mías", encoding="utf-8")
    with pytest.raises(ValueError, match=r"La salida «.*notas.txt» es un archivo, no una carpeta: elige otra carpeta de salida"):  # antes, FileExistsError en inglés
        preparacion.preparar_imagenes(tmp_path / "fotos", tmp_path / "notas.txt", 32)
    assert (tmp_path / "notas.txt").read_text(encoding="utf-8") == "mías"


def test_sin_imagenes_el_error_trae_los_motivos_para_la_terminal_y_python(tmp_path):
    gatos = tmp_path / "gatos"
    gatos.mkdir()
    for i in range(12):
        Image.fromarray(_foto(i, 64, 64)).save(gatos / f"gato_{i:02d}.png")
    with pytest.raises(ValueError) as error:
        preparacion.preparar_imagenes(gatos, tmp_path / "resultados", rostros=True)
    mensaje = str(error.value)
    primera = mensaje.splitlines()[0]
    assert "gatos» no tiene ninguna imagen utilizable (12 archivos descartados)" in primera
    assert "--rostros" in primera and "rostros=False" in primera  # las dos maneras de quitarlo
    assert "  - gato_00.png: no se detectó ningún rostro de frente" in mensaje
    # revisar_imagenes no las listaría: el motivo es de preparar_imagenes. Se cuentan por motivo.
    assert mensaje.splitlines()[-2:] == ["  … y 2 más:", "    2 × no se detectó ningún rostro de frente"]
    assert "revisar_imagenes" not in mensaje
    assert not (tmp_path / "resultados").exists()
    (tmp_path / "vacia").mkdir()
    with pytest.raises(ValueError, match="vacia» no tiene ninguna imagen utilizable: está vacía.*Añade fotos JPEG") as error:
        preparacion.preparar_imagenes(tmp_path / "vacia", tmp_path / "resultados")
    assert "revisar_imagenes" not in str(error.value)


def test_enlaces_simbolicos_se_siguen_sin_repetir_ni_dar_vueltas(tmp_path):
    fuera = tmp_path / "fuera"
    fuera.mkdir()
    carpeta = tmp_path / "fotos"
    (carpeta / "sub").mkdir(parents=True)
    for i, nombre in enumerate(["fuera/a.jpg", "fuera/b.jpg", "fotos/foto_00.jpg"]):
        Image.fromarray(_foto(i, 48, 64)).save(tmp_path / nombre)
    os.symlink(carpeta / "foto_00.jpg", carpeta / "atajo.jpg")  # antes que el original por orden alfabético
    os.symlink(fuera, carpeta / "enlazadas")  # una carpeta de fuera
    os.symlink(fuera / "a.jpg", carpeta / "sub" / "otra_vez.jpg")  # el mismo archivo por otro camino
    os.symlink(carpeta, carpeta / "sub" / "bucle")  # vuelve a la carpeta de arriba
    os.symlink(tmp_path / "no_existe.jpg", carpeta / "roto.jpg")

    _, informe = preparacion.preparar_imagenes(carpeta, tmp_path / "resultados", tamano=16, sin_duplicados=True)
    assert informe.utilizables == ["enlazadas/b.jpg", "foto_00.jpg", "sub/otra_vez.jpg"]
    assert dict(informe.descartadas) == {
        "atajo.jpg": "es el mismo archivo que «foto_00.jpg» (por un enlace simbólico): no se lee dos veces",
        "enlazadas/a.jpg": "es el mismo archivo que «sub/otra_vez.jpg» (por un enlace simbólico): no se lee dos veces",
        "roto.jpg": "enlace simbólico roto (o en bucle): lo que señala no existe",
        "sub/bucle": "enlace a una carpeta que ya se recorre (o que lo contiene): se salta para no leerla dos veces",
    }


def test_un_enlace_a_una_carpeta_de_mas_arriba_no_lee_lo_que_hay_junto_a_la_tuya(tmp_path):
    # Antes, «fotos/arriba» → la carpeta que contiene «fotos» se recorría entera: se colaban las imágenes de al
    # lado (aquí, la de «ajena/») y, al preparar otra vez, las copias de la preparación anterior.
    carpeta = tmp_path / "fotos"
    carpeta.mkdir()
    (tmp_path / "ajena").mkdir()
    Image.fromarray(_foto(0, 48, 64)).save(carpeta / "mia.jpg")
    Image.fromarray(_foto(1, 48, 64)).save(tmp_path / "ajena" / "de_otro.jpg")
    os.symlink(tmp_path, carpeta / "arriba")
    os.symlink(tmp_path.parent, carpeta / "mas_arriba")

    informe = preparacion.revisar_imagenes(carpeta)
    assert informe.utilizables == ["mia.jpg"]
    motivo = "enlace a una carpeta que ya se recorre (o que lo contiene): se salta para no leerla dos veces"
    assert dict(informe.descartadas) == {"arriba": motivo, "mas_arriba": motivo}
    # Lo mismo dentro de una carpeta de fuera a la que lleva un enlace: «album/arriba» → la que contiene el álbum (y
    # «ajena/»), que no está encima de «fotos».
    for enlace in ("arriba", "mas_arriba"):
        (carpeta / enlace).unlink()
    album = tmp_path / "discos" / "album"
    album.mkdir(parents=True)
    Image.fromarray(_foto(2, 48, 64)).save(album / "del_album.jpg")
    Image.fromarray(_foto(3, 48, 64)).save(tmp_path / "discos" / "junto_al_album.jpg")
    os.symlink(album, carpeta / "album")
    os.symlink(album.parent, album / "arriba")
    informe = preparacion.revisar_imagenes(carpeta)
    assert informe.utilizables == ["album/del_album.jpg", "mia.jpg"]
    assert dict(informe.descartadas) == {"album/arriba": motivo}


@pytest.mark.parametrize("copia", ["foto - copia.png", "foto (1).png", "foto copia.png", "Copia de foto.png",
                                   "foto - Copy.png", "a_foto (2).png", "foto_copia.png"])
def test_sin_duplicados_se_queda_con_el_original_y_no_con_la_copia(tmp_path, copia):
    carpeta = tmp_path / "fotos"
    carpeta.mkdir()
    for nombre in ("foto.png", copia, "otra.png"):
        Image.fromarray(_foto(1 if nombre == "otra.png" else 0, 48, 48)).save(carpeta / nombre)
    _, informe = preparacion.preparar_imagenes(carpeta, tmp_path / "resultados", tamano=16, sin_duplicados=True)
    assert sorted(informe.utilizables) == ["foto.png", "otra.png"]
    assert dict(informe.descartadas) == {copia: "copia exacta de «foto.png»"}


def test_una_copia_exacta_tiene_la_misma_forma(tmp_path):
    # Antes, la huella eran solo los bytes de los píxeles: una imagen lisa tumbada se daba por «copia exacta» de la
    # misma de pie. Es casi idéntica (la misma miniatura), no una copia.
    carpeta = tmp_path / "lisas"
    carpeta.mkdir()
    Image.new("RGB", (100, 200), (90, 140, 60)).save(carpeta / "a_de_pie.png")
    Image.new("RGB", (200, 100), (90, 140, 60)).save(carpeta / "b_tumbada.png")
    Image.new("RGB", (100, 200), (90, 140, 60)).save(carpeta / "c_copia.png")
    _, informe = preparacion.preparar_imagenes(carpeta, tmp_path / "resultados", tamano=16, sin_duplicados=True)
    assert dict(informe.descartadas) == {"b_tumbada.png": "casi idéntica a «a_de_pie.png»",
                                         "c_copia.png": "copia exacta de «a_de_pie.png»"}


def test_png_danado_no_se_confunde_con_algo_que_no_es_imagen(tmp_path):
    bueno = io.BytesIO()
    Image.fromarray(_foto(0, 40, 40)).save(bueno, "PNG")
    danado = bytearray(bueno.getvalue())
    danado[18] ^= 0xFF  # un byte del ancho: la suma de control de la cabecera ya no cuadra
    (tmp_path / "danado.png").write_bytes(bytes(danado))
    with pytest.raises(ValueError, match="danado.png.*dañada.*guárdala de nuevo"):
        lectura.leer_imagen(tmp_path / "danado.png")
    (tmp_path / "notas.png").write_text("no soy una imagen")
    with pytest.raises(ValueError, match=r"notas.png.*no es una imagen JPEG, PNG, WebP, BMP, GIF, HEIC ni AVIF \(si es "
                                         r"una foto TIFF o RAW, conviértela a JPEG o PNG\)"):
        lectura.leer_imagen(tmp_path / "notas.png")


# Dos AVIF pequeñas hechas con Pillow 13 (guardadas aquí: Pillow 10.4, el del entorno de versiones mínimas, no las
# escribe). Una foto de 24×16 px con tres franjas verticales (roja, azul y transparente) y la orientación 6 (girarla 90°
# a la derecha, como la de un móvil de pie)…
_AVIF_FOTO = base64.b64decode(
    "AAAAIGZ0eXBhdmlmAAAAAGF2aWZtaWYxbWlhZk1BMUIAAAGRbWV0YQAAAAAAAAAhaGRscgAAAAAAAAAAcGljdAAAAAAAAAAAAAAAAAAAAAAOcG"
    "l0bQAAAAAAAQAAACxpbG9jAAAAAEQAAAIAAQAAAAEAAAHVAAAALwACAAAAAQAAAbkAAAAcAAAAQmlpbmYAAAAAAAIAAAAaaW5mZQIAAAAAAQAA"
    "YXYwMUNvbG9yAAAAABppbmZlAgAAAAACAABhdjAxQWxwaGEAAAAAGmlyZWYAAAAAAAAADmF1eGwAAgABAAEAAADOaXBycAAAAKZpcGNvAAAAFG"
    "lzcGUAAAAAAAAAGAAAABAAAAAQcGl4aQAAAAADCAgIAAAADGF2MUOBAAwAAAAAE2NvbHJuY2x4AAEADQAGgAAAAAlpcm90AwAAAA5waXhpAAAA"
    "AAEIAAAADGF2MUOBABwAAAAAOGF1eEMAAAAAdXJuOm1wZWc6bXBlZ0I6Y2ljcDpzeXN0ZW1zOmF1eGlsaWFyeTphbHBoYQAAAAAgaXBtYQAAAA"
    "AAAAACAAEFAQKDBIUAAgUBBocIhQAAAFNtZGF0EgAKBRgQ7+wqMhERgAABALVOumdNL6CvBdz3ZBIACgkYEO/tEBDQaEAyIESB/f2qQCCCD5AA"
    "AK69v0hP6a3fg2FIiMyukTM09l6g"
)
# …y una animada de 8×8 px con dos fotogramas, rojo y azul (marca avis).
_AVIF_ANIMADA = base64.b64decode(
    "AAAALGZ0eXBhdmlzAAAAAGF2aWZhdmlzbXNmMWlzbzhtaWYxbWlhZk1BMUIAAADrbWV0YQAAAAAAAAAhaGRscgAAAAAAAAAAcGljdAAAAAAAAA"
    "AAAAAAAAAAAAAOcGl0bQAAAAAAAQAAAB5pbG9jAAAAAEQAAAEAAQAAAAEAAAPlAAAAJgAAAChpaW5mAAAAAAABAAAAGmluZmUCAAAAAAEAAGF2"
    "MDFDb2xvcgAAAABqaXBycAAAAEtpcGNvAAAAFGlzcGUAAAAAAAAACAAAAAgAAAAQcGl4aQAAAAADCAgIAAAADGF2MUOBAAwAAAAAE2NvbHJuY2"
    "x4AAEADQAGgAAAABdpcG1hAAAAAAAAAAEAAQQBAoMEAAACxm1vb3YAAAB4bXZoZAEAAAAAAAAA5zwqFQAAAADnPCoVAAAD6P//////////AAEA"
    "AAEAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAEAAAJGdH"
    "JhawAAAGh0a2hkAQAAAQAAAADnPCoVAAAAAOc8KhUAAAABAAAAAP//////////AAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAQAA"
    "AAAAAAAAAAAAAAAAQAAAAAAIAAAACAAAAAAALGVkdHMAAAAkZWxzdAEAAAEAAAABAAAAAAAAAAIAAAAAAAAAAAABAAAAAAGqbWRpYQAAACxtZG"
    "hkAQAAAAAAAADnPCoVAAAAAOc8KhUAAAPoAAAAAAAAAAJVxAAAAAAAIWhkbHIAAAAAAAAAAHBpY3QAAAAAAAAAAAAAAAAAAAABVW1pbmYAAAAU"
    "dm1oZAAAAAEAAAAAAAAAAAAAACRkaW5mAAAAHGRyZWYAAAAAAAAAAQAAAAx1cmwgAAAAAQAAARVzdGJsAAAAlXN0c2QAAAAAAAAAAQAAAIVhdj"
    "AxAAAAAAAAAAEAAAAAAAAAAAAAAAAAAAAAAAgACABIAAAASAAAAAAAAAABCkFPTSBDb2RpbmcAAAAAAAAAAAAAAAAAAAAAAAAAAAAAGP//AAAA"
    "DGF2MUOBAAwAAAAAE2NvbHJuY2x4AAEADQAGgAAAABBjY3N0AAAAAHwAAAAAAAAYc3R0cwAAAAAAAAABAAAAAgAAAAEAAAAcc3RzYwAAAAAAAA"
    "ABAAAAAQAAAAIAAAABAAAAHHN0c3oAAAAAAAAAAAAAAAIAAAAmAAAAIAAAABRzdGNvAAAAAAAAAAEAAAPlAAAAFHN0c3MAAAAAAAAAAQAAAAEA"
    "AABObWRhdBIACgwAAAABF+bXzICGg0IyFBAAoAAAAkAAAAB5TN/TjkFWmz1AEgAyHDADwIAAAEagAAACQAAAgAAe5f16tPfRPavM+UA="
)
LEE_AVIF = "avif" in features.get_supported_modules()  # Pillow 11.3 o más nueva, con libavif


def _se_lee_la_foto_avif(ruta):
    """Con un Pillow que lee AVIF, comprueba que ``leer_imagen(ruta)`` da la foto de ``_AVIF_FOTO`` derecha: girada a
    la derecha, roja arriba, azul en medio y blanca abajo (la franja transparente, sobre el fondo blanco); cada franja
    sin sus bordes, que AV1 difumina. Con uno que no, que lo dice y cómo actualizarlo."""
    if not LEE_AVIF:
        aviso = f"{re.escape(ruta.name)}»: es una foto AVIF y tu versión de Pillow no la lee"
        with pytest.raises(ValueError, match=aviso):
            lectura.leer_imagen(ruta)
        return
    leida = lectura.leer_imagen(ruta)
    assert leida.shape == (24, 16, 3)
    for franja, color in zip((leida[1:7], leida[9:15], leida[17:23]), ((220, 30, 40), (30, 60, 200), (255, 255, 255))):
        assert np.abs(franja.astype(int) - color).max() <= 8


def _heic(foto, orientacion=1):
    """Bytes de ``foto`` guardada como HEIC de iPhone (HEVC) con pillow-heif, con esa orientación EXIF."""
    import pillow_heif

    exif = Image.Exif()
    exif[0x0112] = orientacion
    salida = io.BytesIO()
    pillow_heif.from_pillow(Image.fromarray(foto)).save(salida, quality=95, exif=exif.tobytes())
    return salida.getvalue()


def test_las_fotos_heic_del_iphone_se_leen_derechas(tmp_path):
    # Antes: «no es una imagen JPEG, PNG, WebP, BMP ni GIF (si es una foto HEIC…, conviértela)».
    carpeta = tmp_path / "iphone"
    carpeta.mkdir()
    de_pie = _foto(0, 90, 60)  # guardada tumbada, con la orientación EXIF 6 que la endereza (como la cámara)
    (carpeta / "IMG_0001.HEIC").write_bytes(_heic(np.rot90(de_pie, 1), orientacion=6))
    (carpeta / "IMG_0002.heic").write_bytes(_heic(_foto(1, 60, 80)))
    Image.fromarray(_foto(2, 60, 80)).save(carpeta / "IMG_0003.JPG")
    informe = preparacion.revisar_imagenes(carpeta)
    assert informe.utilizables == ["IMG_0001.HEIC", "IMG_0002.heic", "IMG_0003.JPG"] and not informe.descartadas
    leida = lectura.leer_imagen(carpeta / "IMG_0001.HEIC")
    # De pie y no cabeza abajo (el otro giro de esa forma); el error es el de la compresión, mayor con pillow-heif 0.22.
    assert leida.shape == (90, 60, 3)
    assert np.abs(leida.astype(int) - de_pie).mean() < 12 < np.abs(leida.astype(int) - de_pie[::-1, ::-1]).mean()
    imagenes = preparacion.imagenes_carpeta(carpeta, 32)
    assert imagenes.shape == (3, 32, 32, 3)


def test_una_heic_con_varias_fotos_se_lee_su_foto_principal_y_no_es_animada(tmp_path):
    # Antes: «animada, con 3 fotogramas: guarda uno como PNG». Una HEIC con varias fotos (una ráfaga, una foto con
    # sus variantes) dice cuál es la principal, la que muestran los visores: esa es la foto.
    import pillow_heif

    fotos = [_foto(i, 60 + 10 * i, 80) for i in range(3)]
    heif = pillow_heif.HeifFile()
    for foto in fotos:
        heif.add_from_pillow(Image.fromarray(foto))
    heif.save(tmp_path / "IMG_0001.HEIC", quality=95, primary_index=1)
    leida = lectura.leer_imagen(tmp_path / "IMG_0001.HEIC")
    assert leida.shape == (70, 80, 3) and np.abs(leida.astype(int) - fotos[1]).mean() < 12
    assert preparacion.revisar_imagenes(tmp_path).utilizables == ["IMG_0001.HEIC"]
    pillow_heif.register_heif_opener()
    with Image.open(tmp_path / "IMG_0001.HEIC") as abierta:  # abierta con Pillow, como puede llegar a cargar_imagen
        assert lectura.rgb_de_pil(abierta).shape == (70, 80, 3)


def test_una_heic_con_la_marca_generica_de_heif_se_lee_y_una_avif_no_se_confunde_con_ella(tmp_path):
    # Antes: «no es una imagen JPEG, PNG, WebP, BMP, GIF ni HEIC». Algunas cámaras y programas ponen como marca
    # principal de la caja «ftyp» la genérica de HEIF (mif1) y la de HEIC solo entre las compatibles.
    heic = bytearray(_heic(_foto(0, 60, 80)))
    assert heic[4:12] == b"ftypheic" and b"heic" in heic[16:28]  # las compatibles de pillow-heif: mif1, heic, miaf
    heic[8:12] = b"mif1"
    (tmp_path / "IMG_0001.HEIC").write_bytes(heic)
    assert lectura.leer_imagen(tmp_path / "IMG_0001.HEIC").shape == (60, 80, 3)
    # Una AVIF también puede llevar mif1 como marca principal, pero entre las compatibles lleva avif y no heic: se lee
    # como AVIF (antes: «no es una imagen…»), no con pillow-heif, que no la entendería.
    avif = bytearray(_AVIF_FOTO)
    assert avif[4:12] == b"ftypavif" and b"avif" in avif[16:32]
    avif[8:12] = b"mif1"
    (tmp_path / "foto.avif").write_bytes(avif)
    _se_lee_la_foto_avif(tmp_path / "foto.avif")


# La de _AVIF_FOTO con una caja «ftyp» de 68 bytes: mif1 como marca principal y avif tras otras doce compatibles (los
# desplazamientos de «iloc», corridos otro tanto).
_AVIF_FTYP_LARGA = base64.b64decode(
    "AAAARGZ0eXBtaWYxAAAAAG1pZjFtaWFmTUExQk1BMUFpc284bWlmMmF2aW9NaUhBTWlIQk1pUHJpc285aXNvbWF2aWYAAAGRbWV0YQAAAAAAAAAh"
    "aGRscgAAAAAAAAAAcGljdAAAAAAAAAAAAAAAAAAAAAAOcGl0bQAAAAAAAQAAACxpbG9jAAAAAEQAAAIAAQAAAAEAAAH5AAAALwACAAAAAQAAAd0A"
    "AAAcAAAAQmlpbmYAAAAAAAIAAAAaaW5mZQIAAAAAAQAAYXYwMUNvbG9yAAAAABppbmZlAgAAAAACAABhdjAxQWxwaGEAAAAAGmlyZWYAAAAAAAAA"
    "DmF1eGwAAgABAAEAAADOaXBycAAAAKZpcGNvAAAAFGlzcGUAAAAAAAAAGAAAABAAAAAQcGl4aQAAAAADCAgIAAAADGF2MUOBAAwAAAAAE2NvbHJu"
    "Y2x4AAEADQAGgAAAAAlpcm90AwAAAA5waXhpAAAAAAEIAAAADGF2MUOBABwAAAAAOGF1eEMAAAAAdXJuOm1wZWc6bXBlZ0I6Y2ljcDpzeXN0ZW1z"
    "OmF1eGlsaWFyeTphbHBoYQAAAAAgaXBtYQAAAAAAAAACAAEFAQKDBIUAAgUBBocIhQAAAFNtZGF0EgAKBRgQ7+wqMhERgAABALVOumdNL6CvBdz3"
    "ZBIACgkYEO/tEBDQaEAyIESB/f2qQCCCD5AAAK69v0hP6a3fg2FIiMyukTM09l6g"
)


def test_una_avif_cuya_marca_va_tras_muchas_compatibles_se_reconoce(tmp_path):
    # Antes solo se miraban los primeros 64 bytes: «no es una imagen JPEG, PNG, WebP, BMP, GIF, HEIC ni AVIF».
    largo = int.from_bytes(_AVIF_FTYP_LARGA[:4], "big")
    assert _AVIF_FTYP_LARGA[4:12] == b"ftypmif1" and _AVIF_FTYP_LARGA[64:largo] == b"avif"
    (tmp_path / "foto.avif").write_bytes(_AVIF_FTYP_LARGA)
    _se_lee_la_foto_avif(tmp_path / "foto.avif")


def test_sin_pillow_heif_una_foto_heic_dice_como_leerla_y_una_danada_que_lo_esta(tmp_path, monkeypatch):
    foto = _heic(_foto(0, 60, 80))
    (tmp_path / "danada.heic").write_bytes(foto[: len(foto) // 3])
    with pytest.raises(ValueError, match=r"danada\.heic».*dañada"):
        lectura.leer_imagen(tmp_path / "danada.heic")
    (tmp_path / "IMG_0001.HEIC").write_bytes(foto)
    monkeypatch.setitem(sys.modules, "pillow_heif", None)  # como en Colab, que no lo trae: import falla
    with pytest.raises(ValueError, match=r"IMG_0001\.HEIC»: es una foto HEIC .* falta el paquete pillow-heif: "
                                         r"instálalo \(pip install pillow-heif; en Colab, !pip install -q pillow-heif"):
        lectura.leer_imagen(tmp_path / "IMG_0001.HEIC")
    assert dict(preparacion.revisar_imagenes(tmp_path).descartadas)["IMG_0001.HEIC"] == lectura.SIN_PILLOW_HEIF


def test_las_fotos_avif_se_leen_derechas_o_se_dice_como_actualizar_pillow(tmp_path):
    # Antes: «no es una imagen JPEG, PNG, WebP, BMP, GIF ni HEIC (si es una foto AVIF…, conviértela a JPEG o PNG)»,
    # también con un Pillow que sí las lee.
    (tmp_path / "PXL_0001.avif").write_bytes(_AVIF_FOTO)
    Image.fromarray(_foto(0, 24, 16)).save(tmp_path / "PXL_0002.jpg")
    informe = preparacion.revisar_imagenes(tmp_path)
    if LEE_AVIF:
        assert informe.utilizables == ["PXL_0001.avif", "PXL_0002.jpg"] and not informe.descartadas
        _se_lee_la_foto_avif(tmp_path / "PXL_0001.avif")
        assert preparacion.imagenes_carpeta(tmp_path, 16).shape == (2, 16, 16, 3)
    else:  # Pillow 11.2 o anterior
        assert informe.utilizables == ["PXL_0002.jpg"]
        assert informe.descartadas == [("PXL_0001.avif", lectura.SIN_AVIF)]


def test_una_avif_animada_danada_enorme_o_pequena_se_rechaza_como_las_demas(tmp_path, monkeypatch):
    (tmp_path / "animada.avif").write_bytes(_AVIF_ANIMADA)
    (tmp_path / "cortada.avif").write_bytes(_AVIF_FOTO[: len(_AVIF_FOTO) // 3])  # la caja «ftyp» entera, lo demás no
    (tmp_path / "truncada.avif").write_bytes(_AVIF_FOTO[:-10])
    motivos = dict(preparacion.revisar_imagenes(tmp_path).descartadas)
    if LEE_AVIF:
        assert motivos == {"animada.avif": "animada, con 2 fotogramas: guarda uno como PNG",
                           "cortada.avif": "dañada: su cabecera no se entiende; ábrela en un editor y guárdala de nuevo",
                           "truncada.avif": "dañada o truncada: ábrela en un editor y guárdala de nuevo"}
    else:
        assert motivos == dict.fromkeys(("animada.avif", "cortada.avif", "truncada.avif"), lectura.SIN_AVIF)
    (tmp_path / "foto.avif").write_bytes(_AVIF_FOTO)
    pequena = "demasiado pequeña: 24×16 px y el mínimo es 20 px" if LEE_AVIF else "es una foto AVIF"
    with pytest.raises(ValueError, match=f"foto\\.avif»: {pequena}"):
        lectura.leer_imagen(tmp_path / "foto.avif", tamano_minimo=20)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 300)  # el límite de Pillow, por debajo de sus 384 píxeles
    bomba = "dice medir más de 0 millones de píxeles: posible bomba de descompresión" if LEE_AVIF else "es una foto AVIF"
    with pytest.raises(ValueError, match=f"foto\\.avif»: {bomba}"):
        lectura.leer_imagen(tmp_path / "foto.avif")


def test_sin_avif_en_pillow_una_foto_avif_dice_como_actualizarlo(tmp_path, monkeypatch):
    # Con Pillow 11.3 o más nueva, como una compilada sin libavif. (Que Image.open la abra o no depende de más cosas:
    # imageio, al cargar una imagen de skimage, registra el lector de AVIF de pillow-heif 0.22, si está instalado.)
    if lectura.AvifImagePlugin is not None:
        monkeypatch.setattr(lectura.AvifImagePlugin, "SUPPORTED", False)
    (tmp_path / "PXL_0001.avif").write_bytes(_AVIF_FOTO)
    with pytest.raises(ValueError, match=r"PXL_0001\.avif»: es una foto AVIF y tu versión de Pillow no la lee \(las lee "
                                         r"desde la 11\.3\): actualízala \(pip install -U \"pillow>=11\.3\"; en un "
                                         r"cuaderno, reinicia después el núcleo\) y vuelve a ejecutar, o convierte la "
                                         r"foto a JPEG o PNG\.$"):
        lectura.leer_imagen(tmp_path / "PXL_0001.avif")
    assert preparacion.revisar_imagenes(tmp_path).descartadas == [("PXL_0001.avif", lectura.SIN_AVIF)]


def _con_exif(jpeg, exif):
    """Los bytes de ``jpeg`` con un segmento APP1 «Exif» de contenido ``exif`` tras la marca de inicio."""
    segmento = b"\xff\xe1" + (len(exif) + 8).to_bytes(2, "big") + b"Exif\x00\x00" + exif
    return jpeg[:2] + segmento + jpeg[2:]


def test_exif_danado_zip_dentro_y_nombres_de_macos(tmp_path, recwarn, capsys):
    jpeg = io.BytesIO()
    Image.fromarray(_foto(1, 60, 80)).save(jpeg, "JPEG")
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    # Como algunas aplicaciones de retoque: un EXIF que apunta fuera del archivo o que se corta.
    (fotos / "exif_fuera.jpg").write_bytes(_con_exif(jpeg.getvalue(), b"II*\x00\xff\xff\x00\x00"))
    orientacion = (0x0112).to_bytes(2, "little") + (3).to_bytes(2, "little") + (0x7FFFFFFF).to_bytes(4, "little")
    (fotos / "exif_enorme.jpg").write_bytes(_con_exif(jpeg.getvalue(), b"II*\x00\x08\x00\x00\x00\x01\x00" + orientacion
                                                    + (8).to_bytes(4, "little") + b"\x00" * 4))
    for i in range(10):  # macOS guarda «cañón» como «can˜o´n» (NFD)
        Image.fromarray(_foto(10 + i, 40, 40)).save(fotos / f"can\u0303o\u0301n_{i}.png")
    with zipfile.ZipFile(fotos / "mas_fotos.zip", "w") as dentro:
        dentro.writestr("otra.png", b"")
    carpeta, informe = preparacion.preparar_imagenes(fotos, tmp_path / "salida", 32)
    assert not [str(aviso.message) for aviso in recwarn]  # ni «Corrupt EXIF data» ni otros avisos de Pillow en inglés
    assert {"exif_enorme.jpg", "exif_fuera.jpg"} <= set(informe.utilizables) and len(informe.utilizables) == 12
    assert informe.descartadas == [("mas_fotos.zip", "es un .zip: descomprímelo y pon sus imágenes con las demás")]
    assert any(p.name.endswith("_cañón_0.png") for p in carpeta.iterdir())


def _fotos(carpeta, n):
    """``n`` fotos distintas en ``carpeta`` (y en una subcarpeta, cuyo orden es el delicado)."""
    nombres = [f"foto_{i:02d}.png" for i in range(n - 3)] + ["sub/x.png", "sub-a.png", "sub.png"]
    for i, nombre in enumerate(nombres):
        (carpeta / nombre).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(_foto(100 + i, 40, 48)).save(carpeta / nombre)
    return nombres


def _zip_de(carpeta, ruta_zip, semilla=0):
    """Como ``zip -r``: con la carpeta delante y los archivos en el orden en que los da el sistema (aquí, barajados)."""
    archivos = sorted(carpeta.rglob("*"))
    np.random.default_rng(semilla).shuffle(archivos)
    with zipfile.ZipFile(ruta_zip, "w") as archivo_zip:
        for archivo in archivos:
            archivo_zip.write(archivo, archivo.relative_to(carpeta.parent).as_posix())
    return ruta_zip


def _contenido(carpeta):
    """Bytes de cada archivo de ``carpeta`` (con subcarpetas), por ruta relativa."""
    return {p.relative_to(carpeta).as_posix(): p.read_bytes() for p in carpeta.rglob("*") if p.is_file()}


def _cortar_tras(monkeypatch, guardadas):
    """Ctrl-C tras escribir ``guardadas`` imágenes, una sola vez: la siguiente preparación termina."""
    guardar, cuenta = Image.Image.save, itertools.count(1)

    def guardar_y_cortar(imagen, *args, **kwargs):
        if next(cuenta) == guardadas + 1:
            raise KeyboardInterrupt
        return guardar(imagen, *args, **kwargs)

    monkeypatch.setattr(Image.Image, "save", guardar_y_cortar)


@pytest.mark.parametrize("como, sin_duplicados", [("carpeta", False), ("zip", False), ("zip", True)])
def test_preparar_cortado_no_deja_una_carpeta_que_parezca_preparada(tmp_path, monkeypatch, como, sin_duplicados):
    carpeta = tmp_path / "fotos"
    _fotos(carpeta, 20)
    origen = carpeta if como == "carpeta" else _zip_de(carpeta, tmp_path / "fotos.zip")
    originales = _contenido(tmp_path)
    _cortar_tras(monkeypatch, 8)
    with pytest.raises(KeyboardInterrupt) as corte:
        preparacion.preparar_imagenes(origen, tmp_path / "res", 32, sin_duplicados=sin_duplicados)
    assert str(corte.value) == (f"Preparación interrumpida: en «{tmp_path / 'res'}» no queda ninguna carpeta a "
                                "medias que parezca preparada, y tus originales no se han tocado. Vuelve a empezarla "
                                "cuando quieras.")
    assert corte.value.__suppress_context__
    assert list((tmp_path / "res").iterdir()) == []  # ni la carpeta a medias ni la oculta
    # Otra vez, entera: con el nombre de siempre (no fotos_32px_2) y con todas las imágenes.
    preparada, informe = preparacion.preparar_imagenes(origen, tmp_path / "res", 32, sin_duplicados=sin_duplicados)
    assert preparada == tmp_path / "res" / "fotos_32px" and len(list(preparada.iterdir())) == 20 == len(informe.utilizables)
    assert {k: v for k, v in _contenido(tmp_path).items() if not k.startswith("res/")} == originales  # intactos


def test_lo_que_deja_un_corte_de_golpe_no_se_usa(tmp_path, monkeypatch, capsys):
    # Un corte de golpe (SIGKILL, cerrar la terminal) no da tiempo a borrar: se simula sin el borrado.
    carpeta = tmp_path / "fotos"
    _fotos(carpeta, 20)
    _cortar_tras(monkeypatch, 8)
    monkeypatch.setattr(shutil, "rmtree", lambda *args, **kwargs: None)
    with pytest.raises(KeyboardInterrupt):
        preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32)
    [resto] = (tmp_path / "res").iterdir()
    assert resto.name.startswith(".fotos_32px.") and len(list(resto.iterdir())) == 8
    preparada, _ = preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32)
    assert preparada == tmp_path / "res" / "fotos_32px"  # el resto no cuenta como carpeta ya preparada
    assert f"Aviso: «{resto}» quedó de una preparación cortada de golpe" in capsys.readouterr().out
    assert len(preparacion.imagenes_carpeta(tmp_path / "res", 32)) == 20  # oculto: no se carga con las demás
    with pytest.raises(ValueError, match=r"fotos_32px\..*cortada a medias: no la uses\. Bórrala"):
        preparacion.imagenes_carpeta(resto, 32)  # ni nombrándolo: entrenar tampoco lo usa


def test_una_carpeta_y_su_zip_dan_las_imagenes_en_el_mismo_orden(tmp_path):
    # zip -r guarda los archivos sin ordenar: el orden no puede depender de cómo se entreguen las fotos,
    # o la reserva cambia y continuar un entrenamiento con el .zip se rechaza.
    carpeta = tmp_path / "fotos"
    nombres = _fotos(carpeta, 12)
    en_carpeta = preparacion.imagenes_carpeta(carpeta, 16)
    for semilla in range(3):
        en_zip = preparacion.imagenes_carpeta(_zip_de(carpeta, tmp_path / f"fotos_{semilla}.zip", semilla), 16)
        assert np.array_equal(en_zip, en_carpeta)
    assert len({imagen.tobytes() for imagen in en_carpeta}) == 12  # todas distintas: el orden sí se nota
    # El de la carpeta, carpeta a carpeta: «sub/x.png» antes que «sub-a.png» (y no por orden de texto).
    assert preparacion.revisar_imagenes(carpeta).utilizables == sorted(nombres, key=lambda n: n.split("/"))
    assert preparacion.revisar_imagenes(tmp_path / "fotos_0.zip").utilizables == [
        f"fotos/{nombre}" for nombre in sorted(nombres, key=lambda n: n.split("/"))
    ]


def test_sin_duplicados_no_confunde_el_mismo_dibujo_en_otro_color(tmp_path):
    carpeta = tmp_path / "fotos"
    carpeta.mkdir()
    # Rayas oscuras anchas: de media, los tonos claros pesan poco y la diferencia media de color es pequeña.
    rayas = np.clip(np.sin(np.linspace(0, 3 * np.pi, 64)) * 1.6, 0, 1)[None, :, None] * np.ones((64, 1, 1))
    ruido = np.random.default_rng(0).normal(0, 0.03, (64, 64, 3))
    for nombre, tono in {"morada.png": (185, 150, 205), "oliva.png": (180, 170, 95), "salmon.png": (225, 150, 130)}.items():
        Image.fromarray(np.clip(255 * (rayas * np.array(tono) / 255 + ruido), 0, 255).astype(np.uint8)).save(carpeta / nombre)
    mas_clara = np.clip(np.asarray(Image.open(carpeta / "oliva.png"), int) + 12, 0, 255).astype(np.uint8)
    Image.fromarray(mas_clara).save(carpeta / "oliva_clara.jpg", quality=85)
    _, informe = preparacion.preparar_imagenes(carpeta, tmp_path / "resultados", tamano=32, sin_duplicados=True)
    assert sorted(informe.utilizables) == ["morada.png", "oliva.png", "salmon.png"]
    assert dict(informe.descartadas) == {"oliva_clara.jpg": "casi idéntica a «oliva.png»"}


def _copia_clara_en_jpeg(original, copia):
    """Guarda en ``copia`` el PNG con transparencia ``original`` sobre blanco, 12 niveles más claro y en JPEG: una
    casi idéntica que ``sin_duplicados`` debe reconocer."""
    imagen = Image.open(original).convert("RGBA")
    sobre_blanco = Image.alpha_composite(Image.new("RGBA", imagen.size, "white"), imagen)
    clara = np.clip(np.asarray(sobre_blanco.convert("RGB"), int) + 12, 0, 255).astype(np.uint8)
    Image.fromarray(clara).save(copia, quality=85)


def test_sin_duplicados_no_confunde_dibujos_pequenos_distintos_sobre_fondo_transparente(tmp_path):
    # Sprites: círculos de colores en sitios distintos sobre transparencia (fondo blanco al leerlos). La media de
    # la miniatura apenas cambia entre ellos; antes se descartaban 9 de 16 como «casi idéntica».
    carpeta = tmp_path / "sprites"
    carpeta.mkdir()
    azar = np.random.default_rng(0)
    for i in range(16):
        lienzo = Image.new("RGBA", (64, 64), (0, 0, 0, 0))
        x, y, radio = *azar.integers(12, 52, 2), int(azar.integers(6, 11))
        ImageDraw.Draw(lienzo).ellipse([x - radio, y - radio, x + radio, y + radio], fill=(*azar.integers(0, 200, 3), 255))
        lienzo.save(carpeta / f"sprite_{i:02d}.png")
    _copia_clara_en_jpeg(carpeta / "sprite_03.png", carpeta / "sprite_03_clara.jpg")
    _, informe = preparacion.preparar_imagenes(carpeta, tmp_path / "resultados", tamano=32, sin_duplicados=True)
    assert dict(informe.descartadas) == {"sprite_03_clara.jpg": "casi idéntica a «sprite_03.png»"}
    assert len(informe.utilizables) == 16


def test_sin_duplicados_no_confunde_emojis_que_solo_difieren_en_los_ojos_o_la_boca(tmp_path):
    # La misma cara amarilla con otros ojos u otra boca: a 9×8, cada rasgo cabe en una casilla que apenas cambia, y
    # antes se descartaban 2 de estas 6 como «casi idéntica». Una copia más clara en JPEG sí lo es.
    carpeta = tmp_path / "emojis"
    carpeta.mkdir()
    tinta = (60, 40, 20, 255)
    ojos = {"puntos": lambda p, x: p.ellipse([x - 6, 45, x + 6, 57], fill=tinta),
            "cruces": lambda p, x: (p.line([x - 8, 42, x + 8, 58], fill=tinta, width=4),
                                    p.line([x - 8, 58, x + 8, 42], fill=tinta, width=4)),
            "cerrados": lambda p, x: p.arc([x - 10, 42, x + 10, 60], 180, 360, fill=tinta, width=4)}
    bocas = {"sonrisa": lambda p: p.arc([38, 62, 90, 100], 20, 160, fill=tinta, width=4),
             "triste": lambda p: p.arc([38, 78, 90, 110], 200, 340, fill=tinta, width=4)}
    for nombre_ojos, ojo in ojos.items():
        for nombre_boca, boca in bocas.items():
            lienzo = Image.new("RGBA", (128, 128), (0, 0, 0, 0))
            pincel = ImageDraw.Draw(lienzo)
            pincel.ellipse([8, 8, 120, 120], fill=(255, 204, 77, 255))
            ojo(pincel, 45), ojo(pincel, 83), boca(pincel)
            lienzo.save(carpeta / f"{nombre_ojos}_{nombre_boca}.png")
    _copia_clara_en_jpeg(carpeta / "cruces_triste.png", carpeta / "cruces_triste_clara.jpg")
    _, informe = preparacion.preparar_imagenes(carpeta, tmp_path / "resultados", tamano=32, sin_duplicados=True)
    assert dict(informe.descartadas) == {"cruces_triste_clara.jpg": "casi idéntica a «cruces_triste.png»"}
    assert len(informe.utilizables) == 6


@pytest.mark.parametrize("marca", ["tarea.json", "punto_de_control.npz"])
def test_la_carpeta_de_resultados_de_un_entrenamiento_no_son_tus_fotos(tmp_path, marca):
    # Antes se entrenaba con las muestras y las gráficas que el kit guardó en ella.
    mi_gan = tmp_path / "resultados" / "mi_gan"
    (mi_gan / "muestras").mkdir(parents=True)
    (mi_gan / marca).write_bytes(b"{}")
    for figura in ("metrica.png", "perdidas.png", "muestras/epoca_0001.png"):
        Image.fromarray(_foto(0, 64, 64)).save(mi_gan / figura)
    mensaje = (f"«{mi_gan}» es la carpeta de resultados de un entrenamiento (tiene {marca}): sus imágenes son muestras "
               "y gráficas del curso, no tus fotos. Indica la carpeta (o el .zip) de tus imágenes, o la que creó preparar "
               "(python -m helpers preparar, o preparar_imagenes).")
    for cargar in (preparacion.revisar_imagenes, preparacion.imagenes_carpeta,
                   lambda ruta: preparacion.preparar_imagenes(ruta, tmp_path / "preparadas", 32)):
        with pytest.raises(ValueError) as error:
            cargar(mi_gan)
        assert str(error.value) == mensaje
    assert not (tmp_path / "preparadas").exists()
    assert len(preparacion.imagenes_carpeta(mi_gan / "muestras", 32)) == 1  # una subcarpeta suya, nombrada, sí
    # resultados/ entera: las fotos preparadas sí, las muestras del entrenamiento de al lado no (antes, las tres
    # figuras entraban con las fotos).
    _fotos(tmp_path / "resultados" / "fotos_32px", 5)
    informe = preparacion.revisar_imagenes(tmp_path / "resultados")
    assert len(informe.utilizables) == 5 and all(n.startswith("fotos_32px/") for n in informe.utilizables)
    assert dict(informe.descartadas) == {"mi_gan": f"carpeta de resultados de un entrenamiento (tiene {marca}): sus "
                                                 "imágenes son muestras y gráficas del curso, no tus fotos"}
    assert len(preparacion.imagenes_carpeta(tmp_path / "resultados", 32)) == 5
    # Igual en su .zip, que los estudiantes entregan a menudo (con la carpeta delante, como zip -r).
    informe = preparacion.revisar_imagenes(_zip_de(tmp_path / "resultados", tmp_path / "resultados.zip"))
    assert len(informe.utilizables) == 5 and dict(informe.descartadas) == {
        "resultados/mi_gan": f"carpeta de resultados de un entrenamiento (tiene {marca}): sus imágenes son muestras y "
                             "gráficas del curso, no tus fotos"}
    # Con «\\» entre carpetas, como los de Compress-Archive de Windows: antes, las muestras entraban con las fotos.
    with zipfile.ZipFile(tmp_path / "windows.zip", "w") as archivo_zip:
        for archivo in (tmp_path / "resultados").rglob("*"):
            archivo_zip.write(archivo, str(archivo.relative_to(tmp_path)).replace("/", "\\"))
        archivo_zip.writestr("resultados\\Thumbs.db", b"miniaturas de Windows")  # del sistema: ni se lista
    informe = preparacion.revisar_imagenes(tmp_path / "windows.zip")
    assert len(informe.utilizables) == 5 and [nombre for nombre, _ in informe.descartadas] == ["resultados/mi_gan"]
    # Y el .zip de la carpeta de resultados hecho desde dentro (sin carpeta delante): como la carpeta misma.
    with zipfile.ZipFile(tmp_path / "mi_gan.zip", "w") as archivo_zip:
        for archivo in mi_gan.rglob("*"):
            archivo_zip.write(archivo, archivo.relative_to(mi_gan).as_posix())
    with pytest.raises(ValueError, match=re.escape(f"«{tmp_path / 'mi_gan.zip'}» es la carpeta de resultados de un "
                                                   f"entrenamiento (tiene {marca})")):
        preparacion.imagenes_carpeta(tmp_path / "mi_gan.zip", 32)


def test_las_marcas_de_resultados_son_las_que_escribe_la_tarea():
    from helpers import punto_de_control, registro_tarea

    marcas = (registro_tarea.ARCHIVO_REGISTRO, punto_de_control.ARCHIVO_ESTADO, registro_tarea.MANIFIESTO)
    assert carpeta_o_zip.MARCAS_DE_RESULTADOS == marcas


def test_una_entrega_no_son_tus_fotos(tmp_path):
    # El .zip de «entregar» (o descomprimido) lleva muestras.png, perdidas.png y metrica.png: antes, preparar
    # daba «3 imágenes utilizables» con esas gráficas, y entrenar pedía «añade más fotos».
    entrega = tmp_path / "ana"
    entrega.mkdir()
    (entrega / "manifiesto.json").write_text("{}", encoding="utf-8")
    for figura in ("muestras.png", "perdidas.png", "metrica.png"):
        Image.fromarray(_foto(0, 64, 64)).save(entrega / figura)
    comprimida = tmp_path / "ana.zip"
    with zipfile.ZipFile(comprimida, "w") as archivo_zip:
        for archivo in entrega.iterdir():
            archivo_zip.write(archivo, archivo.name)
    for ruta in (entrega, comprimida):
        with pytest.raises(ValueError, match=re.escape(f"«{ruta}» es una entrega de «entregar» (tiene manifiesto.json): "
                                                       "sus imágenes son muestras y gráficas del curso, no tus fotos.")):
            preparacion.preparar_imagenes(ruta, tmp_path / "preparadas", 32)
    assert not (tmp_path / "preparadas").exists()
    # Descomprimida junto a las fotos: se omite con su motivo y las fotos se usan.
    _fotos(tmp_path / "fotos", 5)
    shutil.copytree(entrega, tmp_path / "fotos" / "entrega")
    informe = preparacion.revisar_imagenes(tmp_path / "fotos")
    assert len(informe.utilizables) == 5 and dict(informe.descartadas) == {
        "entrega": "entrega de «entregar» (tiene manifiesto.json): sus imágenes son muestras y gráficas del curso, no tus fotos"}


def test_las_imagenes_mas_pequenas_que_el_tamano_se_amplian_avisando(tmp_path, capsys):
    # Antes decía «14 imágenes de 128×128» sin más, y 13 eran ampliaciones borrosas.
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    for i in range(12):
        Image.fromarray(_foto(i, 20, 20)).save(fotos / f"mini_{i:02d}.png")
    Image.fromarray(_foto(12, 200, 40)).save(fotos / "alta.png")  # 40 de ancho: pequeña al recortar, no al rellenar
    Image.fromarray(_foto(13, 150, 200)).save(fotos / "grande.png")
    preparada, informe = preparacion.preparar_imagenes(fotos, tmp_path / "res", 128)
    salida = capsys.readouterr().out.splitlines()
    assert salida[0] == f"14 imágenes de 128×128 en {preparada}; 0 descartadas."
    assert salida[1] == (
        "Aviso: 13 imágenes medían menos de 128×128 px y se han ampliado, así que se verán borrosas: alta.png (40×200 px), "
        "mini_00.png (20×20 px), mini_01.png (20×20 px) y 10 más. Usa un tamaño menor (--tamano en la terminal; tamano= "
        "en Python) o fotos más grandes.")
    assert salida[2:] == [_ALTA_ALARGADA]
    assert informe.ampliadas == [("alta.png", "40×200 px")] + [(f"mini_{i:02d}.png", "20×20 px") for i in range(12)]
    assert len(informe.utilizables) == 14 and informe.descartadas == []

    _, informe = preparacion.preparar_imagenes(fotos, tmp_path / "res", 128, recorte="relleno")  # alta.png mide 200
    assert [nombre for nombre, _ in informe.ampliadas] == [f"mini_{i:02d}.png" for i in range(12)]
    assert "Aviso: 12 imágenes medían menos de 128×128 px" in capsys.readouterr().out

    for archivo in fotos.glob("mini_*.png"):
        archivo.unlink()
    preparacion.preparar_imagenes(fotos, tmp_path / "res", 128)
    assert "Aviso: 1 imagen medía menos de 128×128 px y se ha ampliado, así que se verá borrosa: alta.png (40×200 px)." \
        in capsys.readouterr().out
    _, informe = preparacion.preparar_imagenes(fotos, tmp_path / "res", 32)  # nada que ampliar: solo la alargada
    assert informe.ampliadas == [] and capsys.readouterr().out.splitlines()[1:] == [_ALTA_ALARGADA]


_ALTA_ALARGADA = ("Aviso: 1 imagen es muy alargada (más de 2:1) y el cuadrado central deja fuera más de la mitad de "
                  "ella: alta.png (40×200 px). Si lo importante no está en el centro, prepáralas con recorte='relleno' "
                  "(en la terminal, preparar --recorte relleno): quedan enteras, con bandas blancas.")


def test_las_imagenes_muy_alargadas_avisan_de_que_el_recorte_central_las_corta(tmp_path, capsys):
    # Banners de 10:1 y panoramas de 3:1: el cuadrado central se quedaba con una franja de en medio sin decir nada.
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    Image.fromarray(_foto(0, 60, 600)).save(fotos / "banner.png")
    Image.fromarray(_foto(1, 300, 100)).save(fotos / "vertical.png")
    Image.fromarray(_foto(2, 90, 160)).save(fotos / "pantalla.png")  # 16:9, como una captura de pantalla: sin aviso
    Image.fromarray(_foto(3, 100, 200)).save(fotos / "justo_2_a_1.png")  # sin aviso: queda justo la mitad
    aviso = ("Aviso: 2 imágenes son muy alargadas (más de 2:1) y el cuadrado central deja fuera más de la mitad de "
             "cada una: banner.png (600×60 px) y vertical.png (100×300 px). Si lo importante no está en el centro, "
             "prepáralas con recorte='relleno' (en la terminal, preparar --recorte relleno): quedan enteras, con "
             "bandas blancas.")
    preparacion.preparar_imagenes(fotos, tmp_path / "res", 32)
    assert capsys.readouterr().out.splitlines()[1:] == [aviso]
    preparacion.imagenes_carpeta(fotos, 32)  # sin preparar, también se recortan al cuadrado central
    assert capsys.readouterr().out.splitlines() == [aviso]
    for otras in ({"recorte": "relleno"}, {"recorte": "relleno", "canales": 1}):  # enteras: nada que avisar
        preparacion.preparar_imagenes(fotos, tmp_path / "res", 32, **otras)
        assert "Aviso" not in capsys.readouterr().out


def test_entrenar_a_mas_tamano_que_el_preparado_avisa(tmp_path, capsys):
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    for i, letra in enumerate("abcde"):
        Image.fromarray(_foto(i, 40, 48)).save(fotos / f"{letra}.png")
    (fotos / "notas.txt").write_text("no es una foto")
    preparada, _ = preparacion.preparar_imagenes(fotos, tmp_path / "res", 32)
    capsys.readouterr()
    assert preparacion.imagenes_carpeta(preparada, 64).shape == (5, 64, 64, 3)
    assert capsys.readouterr().out == (
        "Aviso: 5 imágenes medían menos de 64×64 px y se han ampliado, así que se verán borrosas: 00001_a.png (32×32 px), "
        "00002_b.png (32×32 px), 00003_c.png (32×32 px) y 2 más. Usa un tamaño menor (--tamano en la terminal; tamano= en "
        "Python) o fotos más grandes.\n")
    preparacion.imagenes_carpeta(fotos, 16)  # el aviso de lo omitido, pero nada ampliado
    salida = capsys.readouterr().out
    assert "Aviso: omito 1 archivo" in salida and "ampliado" not in salida


def test_una_jpeg_decodificada_reducida_no_cuenta_como_pequena(tmp_path, monkeypatch, capsys):
    # Con 2,1 millones (más que el límite, bajado a 2), libjpeg la decodifica a la mitad: 1500×350, de lado menor
    # por debajo de 512. Cuenta el original, de 700: no se avisa de ella, solo de la que de verdad es pequeña.
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 2_000_000)
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    Image.fromarray(_foto(0, 700, 3000)).save(fotos / "panoramica.jpg")
    Image.fromarray(_foto(1, 200, 300)).save(fotos / "pequena.jpg")
    assert preparacion.imagenes_carpeta(fotos, 512).shape == (2, 512, 512, 3)
    assert capsys.readouterr().out.startswith(
        "Aviso: 1 imagen medía menos de 512×512 px y se ha ampliado, así que se verá borrosa: pequena.jpg (300×200 px).")


def test_el_rostro_de_una_foto_grande_no_se_recorta_de_una_version_reducida(tmp_path, monkeypatch, capsys):
    # Antes, a 256 px, esta JPEG de 2048 se decodificaba a 512 y su rostro (unos 185 px) se ampliaba a 256.
    caras = tmp_path / "caras"
    caras.mkdir()
    Image.fromarray(data.astronaut()).resize((2048, 2048), Image.BICUBIC).save(caras / "astronauta.jpg", quality=90)
    cuadrar, recortes = preparacion.cuadrar, []

    def apuntar(imagen, *args, **kwargs):
        recortes.append(imagen.shape[:2])
        return cuadrar(imagen, *args, **kwargs)

    monkeypatch.setattr(preparacion, "cuadrar", apuntar)
    _, informe = preparacion.preparar_imagenes(caras, tmp_path / "res", 256, rostros=True)
    [(alto, ancho)] = recortes
    assert alto == ancho >= 256 and informe.ampliadas == [] and "Aviso" not in capsys.readouterr().out


def test_preparar_no_escribe_dentro_de_la_carpeta_de_imagenes(tmp_path, monkeypatch):
    # Como la terminal: antes, desde Python, lo preparado quedaba entre tus fotos (p. ej. en Colab, con tus fotos en
    # /content y la salida por defecto, resultados/) y la siguiente carga tomaba cada foto dos veces.
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    for i in range(3):
        Image.fromarray(_foto(i, 40, 40)).save(fotos / f"{i}.png")
    with pytest.raises(ValueError, match=r"La carpeta de salida «.*resultados» está dentro de la de imágenes «.*fotos»"):
        preparacion.preparar_imagenes(fotos, fotos / "resultados", 16)
    monkeypatch.chdir(fotos)
    monkeypatch.delenv("CURSO_GAN_RESULTADOS", raising=False)
    with pytest.raises(ValueError, match=r"La carpeta de salida «resultados» está dentro de la de imágenes «\.»"):
        preparacion.preparar_imagenes(".", tamano=16)
    assert sorted(p.name for p in fotos.iterdir()) == ["0.png", "1.png", "2.png"]
    assert len(preparacion.imagenes_carpeta(fotos, 16)) == 3


def mismas_al_cargar_y_al_preparar(fotos, tmp_path, esperada):
    """Las dos imágenes de ``fotos`` (16 px) se cargan iguales con ``imagenes_carpeta`` y se preparan iguales a
    ``esperada``."""
    una, otra = preparacion.imagenes_carpeta(fotos, 16)
    np.testing.assert_array_equal(una, otra)
    preparada, _ = preparacion.preparar_imagenes(fotos, tmp_path / "res", 16)
    primera, segunda = (np.asarray(Image.open(ruta)) for ruta in sorted(preparada.glob("*.png")))
    np.testing.assert_array_equal(primera, esperada)
    np.testing.assert_array_equal(primera, segunda)


def test_el_gris_transparente_de_un_png_de_16_bits_queda_blanco_como_en_los_demas(tmp_path):
    # Antes, un PNG gris de 16 bits con un gris transparente (tRNS) se cargaba con ese gris (aquí, negro) en
    # lugar de blanco, como sí quedan un RGBA, un LA o una paleta con transparencia.
    fotos = tmp_path / "fotos"
    fotos.mkdir()
    gris = np.full((16, 16), 40 * 257, np.uint16)
    gris[:, :8] = 0  # mitad izquierda: el gris transparente
    Image.fromarray(gris).save(fotos / "a_dieciseis.png", transparency=0)
    assert Image.open(fotos / "a_dieciseis.png").mode == "I;16"
    alfa = np.where(gris == 0, 0, 255).astype(np.uint8)
    Image.fromarray(np.dstack([np.full((16, 16), 40, np.uint8), alfa])).save(fotos / "b_gris_y_alfa.png")  # LA
    esperada = np.where(gris[..., None] == 0, 255, 40) * np.ones(3, np.uint8)
    np.testing.assert_array_equal(lectura.leer_imagen(fotos / "a_dieciseis.png"), esperada)
    mismas_al_cargar_y_al_preparar(fotos, tmp_path, esperada)


def test_dos_preparaciones_de_las_mismas_fotos_en_la_carpeta_se_avisan(tmp_path, capsys):
    # Antes, entrenar con «datos/» que tiene dentro dos preparaciones cargaba cada foto dos veces sin decir nada.
    fotos = tmp_path / "fotos"
    for i in range(5):
        (fotos / "sub").mkdir(parents=True, exist_ok=True)
        Image.fromarray(_foto(i, 40, 50)).save(fotos / ("sub" if i % 2 else "") / f"{i}.png")
    assert len(preparacion.imagenes_carpeta(fotos, 16)) == 5 and "idéntica" not in capsys.readouterr().out
    preparada, _ = preparacion.preparar_imagenes(fotos, tmp_path / "datos", 16)
    # Otra preparación igual ya no deja copia (la reutiliza): la hace una copia a mano, o una versión anterior del kit.
    shutil.copytree(preparada, tmp_path / "datos" / "fotos_16px_2")
    capsys.readouterr()
    cargadas = preparacion.imagenes_carpeta(tmp_path / "datos", 16)
    assert capsys.readouterr().out == (
        f"Aviso: 5 imágenes de «{tmp_path / 'datos'}» son idénticas a otra (p. ej. «fotos_16px_2/00001_0.png» a "
        "«fotos_16px/00001_0.png») y se cargan todas: cuentan más de una vez. Si son dos preparaciones de las mismas "
        "fotos, indica solo una de las carpetas; para quitar las repetidas, prepáralas con sin_duplicados=True (en la "
        "terminal, --sin-duplicados).\n")
    # Solo se avisa: se cargan todas, en su orden (la partición de la reserva no cambia).
    assert len(cargadas) == 10 and np.array_equal(cargadas[:5], cargadas[5:])
    (fotos / "copia.png").write_bytes((fotos / "sub" / "1.png").read_bytes())
    assert len(preparacion.imagenes_carpeta(fotos, 16)) == 6
    assert f"Aviso: 1 imagen de «{fotos}» es idéntica a otra (p. ej. «sub/1.png» a «copia.png»)" in capsys.readouterr().out


def test_preparar_otra_vez_lo_mismo_usa_la_carpeta_de_antes_y_otra_cosa_crea_la_siguiente(tmp_path, capsys):
    # Antes, cada «ejecutar todo» del cuaderno 06 dejaba otra copia idéntica: fotos_32px_2, fotos_32px_3…
    carpeta = tmp_path / "fotos"
    _fotos(carpeta, 6)
    primera, _ = preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32)
    en_gris, _ = preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32, canales=1)  # otras opciones: otra
    assert (primera.name, en_gris.name) == ("fotos_32px", "fotos_32px_2")
    antes = {ruta: (ruta.stat().st_mtime_ns, ruta.read_bytes()) for ruta in (tmp_path / "res").rglob("*") if ruta.is_file()}
    capsys.readouterr()
    otra_vez, informe = preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32, canales=1)
    assert otra_vez == en_gris and len(informe.utilizables) == 6
    assert capsys.readouterr().out.startswith(
        f"«{en_gris}» ya tiene exactamente estas imágenes preparadas: la uso en lugar de crear otra copia.\n"
        f"6 imágenes de 32×32 en {en_gris}; 0 descartadas.")
    assert sorted(p.name for p in (tmp_path / "res").iterdir()) == ["fotos_32px", "fotos_32px_2"]  # ni la oculta
    assert {ruta: (ruta.stat().st_mtime_ns, ruta.read_bytes()) for ruta in antes} == antes  # nada se ha tocado
    # Otras fotos (una más): ninguna de antes tiene lo mismo, así que la siguiente libre, como siempre.
    Image.fromarray(_foto(7, 40, 48)).save(carpeta / "nueva.png")
    assert preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32)[0].name == "fotos_32px_3"


def test_preparar_otra_vez_lo_mismo_no_escribe_nada_en_la_salida(tmp_path, monkeypatch, capsys):
    # Antes se preparaba entera en una carpeta oculta de la salida y solo después se comparaba y se borraba: en Drive,
    # miles de archivos escritos y borrados (a su papelera). Sin poder crear nada en la salida (un disco de solo
    # lectura, simulado: chmod no basta si las pruebas corren como root), prepararlo otra vez fallaba.
    carpeta = tmp_path / "fotos"
    _fotos(carpeta, 6)
    primera, _ = preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32)
    def estado():
        return {ruta: (ruta.stat().st_mtime_ns, ruta.is_file() and ruta.read_bytes()) for ruta in (tmp_path / "res").rglob("*")}

    antes = estado()
    crear_carpeta, escribir = Path.mkdir, Path.write_bytes

    def solo_lectura(original):
        def sin_escribir(ruta, *args, **kwargs):
            if ruta.is_relative_to(tmp_path / "res"):
                raise OSError(errno.EROFS, "Read-only file system", str(ruta))
            return original(ruta, *args, **kwargs)
        return sin_escribir

    monkeypatch.setattr(Path, "mkdir", solo_lectura(crear_carpeta))
    monkeypatch.setattr(Path, "write_bytes", solo_lectura(escribir))
    capsys.readouterr()
    assert preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32)[0] == primera
    assert capsys.readouterr().out.startswith(f"«{primera}» ya tiene exactamente estas imágenes preparadas")
    assert estado() == antes


@pytest.mark.parametrize("caso", ["una foto más", "la de antes tiene algo más", "otra antes en la serie"])
def test_preparar_algo_distinto_da_lo_mismo_que_en_una_carpeta_vacia(tmp_path, caso):
    # Lo que coincidía con una preparación anterior se copia de ella: el resultado es el mismo que sin ella.
    carpeta, res = tmp_path / "fotos", tmp_path / "res"
    _fotos(carpeta, 6)
    if caso == "otra antes en la serie":  # fotos_32px, en gris, se descarta con la primera; fotos_32px_2, con la última
        preparacion.preparar_imagenes(carpeta, res, 32, canales=1)
    anterior, _ = preparacion.preparar_imagenes(carpeta, res, 32)
    if caso == "la de antes tiene algo más":
        (anterior / ".notas.txt").write_text("mías")
    else:
        Image.fromarray(_foto(7, 40, 48)).save(carpeta / "zz.png")
    guardada = _contenido(res)
    nueva, _ = preparacion.preparar_imagenes(carpeta, res, 32)
    esperada, _ = preparacion.preparar_imagenes(carpeta, tmp_path / "vacia", 32)
    assert nueva == primera_libre_de(anterior) and _contenido(nueva) == _contenido(esperada)
    assert set(_contenido(anterior)) - {".notas.txt"} <= set(_contenido(nueva))  # sí había algo que copiar
    assert {nombre: datos for nombre, datos in _contenido(res).items() if not nombre.startswith(nueva.name + "/")} == guardada
    assert not list(res.glob(".*"))  # ninguna oculta


def primera_libre_de(carpeta):
    """La siguiente de la serie de ``carpeta`` (``fotos_32px`` → ``fotos_32px_2``; ``…_2`` → ``…_3``)."""
    base, _, numero = carpeta.name.rpartition("_")
    return carpeta.with_name(f"{base}_{int(numero) + 1}" if numero.isdigit() else f"{carpeta.name}_2")


def test_preparar_cortado_al_copiar_lo_de_antes_no_deja_nada(tmp_path, monkeypatch):
    carpeta = tmp_path / "fotos"
    _fotos(carpeta, 6)
    preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32)
    Image.fromarray(_foto(7, 40, 48)).save(carpeta / "zz.png")
    guardada, copiar, cuenta = _contenido(tmp_path / "res"), shutil.copyfile, itertools.count(1)

    def copiar_y_cortar(*args, **kwargs):
        if next(cuenta) == 3:
            raise KeyboardInterrupt
        return copiar(*args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copiar_y_cortar)
    with pytest.raises(KeyboardInterrupt, match="no queda ninguna carpeta a medias"):
        preparacion.preparar_imagenes(carpeta, tmp_path / "res", 32)
    assert next(cuenta) == 4 and _contenido(tmp_path / "res") == guardada
    assert [p.name for p in (tmp_path / "res").iterdir()] == ["fotos_32px"]


def test_igual_en_la_serie_compara_nombres_subcarpetas_y_bytes(tmp_path):
    from helpers.archivos import IgualEnLaSerie

    def igual(archivos, destino=tmp_path / "una"):
        serie = IgualEnLaSerie(destino)
        for nombre, datos in archivos.items():
            serie.sigue_igual(nombre, datos)
        return serie.igual()

    una = tmp_path / "una"
    (una / "sub").mkdir(parents=True)
    (una / "a.png").write_bytes(b"abc")
    (una / "sub" / "b.png").write_bytes(b"de")
    assert igual({"a.png": b"abc", "sub/b.png": b"de"}) is None  # la subcarpeta no es un archivo comparado
    shutil.rmtree(una / "sub")
    assert igual({"a.png": b"abc"}) == una
    assert igual({"a.png": b"abC"}) is None  # mismo tamaño, otro byte
    assert igual({"a.png": b"abc", "b.png": b""}) is None  # uno de más
    (una / ".oculto").write_bytes(b"")  # uno de más en la carpeta, aunque esté vacío y oculto
    assert igual({"a.png": b"abc"}) is None
    (una / ".oculto").unlink()
    (tmp_path / "una_2").mkdir()
    (tmp_path / "una_2" / "a.png").symlink_to(una / "a.png")  # un enlace no se sigue: no se da por igual
    (una / "a.png").write_bytes(b"xyz")
    assert igual({"a.png": b"abc"}) is None and igual({"a.png": b"xyz"}) == una
    assert igual({"a.png": b"abc"}, tmp_path / "no_existe") is None
