"""Argumentos que no sirven (o que se escriben de otra forma) en las pinturas sin conexión y en la carpeta de ejemplo
del cuaderno 06."""

import numpy as np
import pytest

from helpers import ejemplo, pinturas


@pytest.mark.parametrize("semilla", [-1, 1.5, "0"])
def test_pinturas_con_una_semilla_que_no_sirve(semilla):
    # Antes: errores de NumPy en inglés («expected non-negative integer», «SeedSequence expects int…»).
    for llamada in (pinturas.pintura_pinceladas, pinturas.pintura_geometrica):
        with pytest.raises(ValueError, match=f"semilla={semilla!r} no es válida: usa un número entero"):
            llamada(32, semilla=semilla)


def test_una_paleta_que_no_es_un_nombre_se_explica():
    # Antes: TypeError «unhashable type: 'list'».
    with pytest.raises(ValueError, match=r"paleta=\['#000000', '#ffffff'\] no existe: usa una de 'noche'"):
        pinturas.pintura_pinceladas(32, paleta=["#000000", "#ffffff"])


def test_el_estilo_geometrico_o_la_textura_con_mayuscula_son_los_mismos():
    # Antes, «estilo='Mondrian' no existe: usa "mondrian" o "kandinsky"», con el nombre del pintor bien escrito.
    assert np.array_equal(pinturas.pintura_geometrica(64, "Mondrian"), pinturas.pintura_geometrica(64, "mondrian"))
    assert np.array_equal(pinturas.pintura_geometrica(64, "Kandinsky"), pinturas.pintura_geometrica(64))
    with pytest.raises(ValueError, match="estilo='Picasso' no existe"):
        pinturas.pintura_geometrica(64, "Picasso")
    assert np.array_equal(pinturas.textura("Ladrillo"), pinturas.textura("ladrillo"))


def test_carpeta_de_ejemplo_sobre_un_archivo_no_escribe_nada(tmp_path):
    archivo = tmp_path / "fotos.zip"
    archivo.write_bytes(b"mis fotos")
    # Antes: NotADirectoryError en inglés tras escribir unas 70 fotos en la carpeta oculta .fotos.zip.tmp, que quedaba.
    with pytest.raises(ValueError, match="«.*fotos.zip» es un archivo, no una carpeta"):
        ejemplo.carpeta_de_ejemplo(archivo)
    assert archivo.read_bytes() == b"mis fotos" and sorted(p.name for p in tmp_path.iterdir()) == ["fotos.zip"]


@pytest.mark.parametrize("destino", ["", None])
def test_carpeta_de_ejemplo_sin_ruta(destino, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mi_trabajo.ipynb").write_text("{}")
    # Antes: "" devolvía la carpeta actual como «carpeta de ejemplo» y None daba un TypeError.
    with pytest.raises(ValueError, match=f"destino={destino!r} no sirve como ruta"):
        ejemplo.carpeta_de_ejemplo(destino)
    assert "ya existe" not in capsys.readouterr().out


def test_carpeta_de_ejemplo_con_una_semilla_que_no_sirve(tmp_path):
    with pytest.raises(ValueError, match="semilla=-1 no es válida"):
        ejemplo.carpeta_de_ejemplo(tmp_path / "fotos", semilla=-1)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("tamano", [15, 4097, 10**6])
def test_pinturas_con_un_tamano_fuera_de_limites(tamano):
    # Antes, 10**6 intentaba reservar un lienzo de 3 TB (MemoryError o el equipo colgado); 4097 se dibujaba.
    for llamada in (lambda: pinturas.pintura_pinceladas(tamano, pinceladas=1), lambda: pinturas.pintura_geometrica(tamano)):
        with pytest.raises(ValueError, match=f"tamano={tamano!r} no es válido: debe ser un entero de 16 a 4096 píxeles"):
            llamada()


@pytest.mark.parametrize("pinceladas", [0, 2.5, 50001])  # no 10**8: si vuelve el fallo, no se cuelga
def test_pinceladas_fuera_de_limites(pinceladas):
    # Antes, 10**8 dibujaba durante horas (unos 0,3 ms por pincelada) sin decir nada.
    with pytest.raises(ValueError, match=f"pinceladas={pinceladas!r} no es válido: debe ser un entero de 1 a 50000"):
        pinturas.pintura_pinceladas(32, pinceladas=pinceladas)
