import os
from pathlib import Path

import pytest

from helpers import errores


def test_motivo_descarga_en_espanol():
    import socket
    import urllib.error

    sin_red = [urllib.error.URLError(socket.gaierror(-2, "Name or service not known")),
               Exception("URL fetch failure on https://x/mnist.npz: None -- [Errno -3] Temporary failure in name resolution"),
               TimeoutError("The read operation timed out")]
    for error in sin_red:
        assert errores.motivo_descarga(error) == "sin conexión a internet, o el servidor no responde"
    no_encontrado = urllib.error.HTTPError("https://x", 404, "Not Found", {}, None)
    assert errores.motivo_descarga(no_encontrado) == "el servidor respondió con el código HTTP 404"
    assert errores.motivo_descarga(PermissionError("disco protegido\nmás")) == "el error fue «disco protegido»"


@pytest.mark.skipif(os.name == "nt", reason="allí una ruta de Windows es la de este sistema")
@pytest.mark.parametrize("ruta, pista", [
    # En Colab, la ruta de la carpeta en el portátil del estudiante; antes: «(la busqué en /content/C:\Users\…)».
    ("C:\\Users\\ana\\fotos", "es una ruta de Windows y aquí el sistema es otro: en Colab, sube tus archivos"),
    ("C:/Users/ana/fotos", "es una ruta de Windows"),
    # «\t» y «\n» de una ruta de Windows escrita sin r"…": antes, «la busqué en …/fotos	area».
    ("fotos\tarea", "tiene un tabulador o un salto de línea: en Python, «\\t» o «\\n» dentro de comillas"),
    ("/home/ana/fotos\nuevas", "escribe la ruta con «/» en lugar de «\\», o como r\"C:\\…\""),
    # Sin montar Google Drive (p. ej. USAR_DRIVE = False en el cuaderno 06): antes, solo «comprueba la ruta».
    ("/content/drive/MyDrive/fotos", "Google Drive no está montado: ejecuta «from google.colab import drive; "
                                      "drive.mount(\"/content/drive\")» y vuelve a intentarlo"),
])
def test_una_ruta_que_no_puede_estar_aqui_dice_por_que(ruta, pista):
    if ruta.startswith("/content/drive") and os.path.ismount("/content/drive"):
        pytest.skip("Google Drive está montado")
    pistas = errores.buscada_en(ruta)
    assert pistas.startswith(" (") and pista in pistas and "la busqué en" not in pistas
    assert errores.buscada_en("/home/ana/fotos") == ""


def test_la_primera_linea_de_un_error_de_keras_dentro_de_una_tf_function():
    # Antes, la última línea del mensaje: «• mask=None», de los argumentos que recibió la capa.
    import keras
    import tensorflow as tf

    modelo = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Conv2D(4, 3)])

    @tf.function
    def paso(imagenes):
        return modelo(imagenes, training=True)

    with pytest.raises(ValueError) as error:
        paso(tf.zeros((2, 8, 8, 3)))
    assert str(error.value).startswith("in user code:")
    linea = errores.primera_linea(error.value)
    assert linea.startswith("Input 0") and "is incompatible with the layer" in linea, linea


def test_la_mezcla_de_tipos_se_explica_en_errores_y_solo_alli():
    import tensorflow as tf

    with pytest.raises(tf.errors.InvalidArgumentError) as error:
        tf.constant(1.0) * tf.constant(2, tf.int32)
    tipos = errores.tipos_mezclados(error.value)
    assert errores.mezcla_de_tipos(tipos[0], f"otro {tipos[1]}") == (
        "mezclas un tensor float32 con otro int32, y TensorFlow no convierte de un tipo a otro por su cuenta")
    # Antes, la frase estaba escrita en ejercicio_paso y en ejercicio_estilo; ahora la toman de aquí.
    paquete = Path(errores.__file__).parent
    con_la_frase = [modulo.name for modulo in sorted(paquete.glob("*.py"))
                    if "no convierte de un tipo a otro" in modulo.read_text(encoding="utf-8")]
    assert con_la_frase == ["errores.py"], con_la_frase
