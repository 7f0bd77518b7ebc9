"""Un solo sitio nombra el repositorio del curso: insignias, celdas de preparación y enlaces salen de él."""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import repositorio
from helpers.__main__ import main

RAIZ = Path(__file__).resolve().parents[1]
# URL de GitHub, de Colab o de archivos en bruto: (servicio, dueño/nombre, resto).
URL_GITHUB = re.compile(
    r"https://(colab\.research\.google\.com/github|github\.com|raw\.githubusercontent\.com)/([\w.-]+/[\w.-]+)([^\s)\"'>\]`]*)"
)


def _textos():
    """(lugar, texto) del README, las lecciones y cada celda de los cuadernos."""
    for ruta in repositorio.archivos_con_enlaces(RAIZ):
        if ruta.suffix == ".ipynb":
            for numero, celda in enumerate(json.loads(ruta.read_text(encoding="utf-8"))["cells"]):
                yield f"{ruta.name}, celda {numero}", "".join(celda["source"])
        else:
            yield ruta.name, ruta.read_text(encoding="utf-8")


def _celdas(cuaderno):
    return json.loads(cuaderno.read_text(encoding="utf-8"))["cells"]


def test_todas_las_celdas_de_preparacion_son_la_del_ajuste():
    esperada = repositorio.celda_preparacion()
    assert f'"{repositorio.REPOSITORIO}", "{repositorio.RAMA}"' in esperada
    for cuaderno in sorted((RAIZ / "notebooks").glob("*.ipynb")):
        celda = _celdas(cuaderno)[1]
        assert celda["cell_type"] == "code"
        assert "".join(celda["source"]) == esperada, f"{cuaderno.name}: ejecuta «python -m helpers apuntar»"


def test_cada_cuaderno_tiene_su_insignia_arriba_y_en_el_readme():
    readme = (RAIZ / "README.md").read_text(encoding="utf-8")
    for cuaderno in sorted((RAIZ / "notebooks").glob("*.ipynb")):
        url = repositorio.url_colab(f"notebooks/{cuaderno.name}")
        insignia = f"[![Abrir en Colab](https://colab.research.google.com/assets/colab-badge.svg)]({url})"
        assert insignia in "".join(_celdas(cuaderno)[0]["source"]), f"{cuaderno.name}: falta su insignia arriba"
        assert insignia in readme, f"README.md: falta la insignia de {cuaderno.name}"


def test_los_enlaces_a_este_curso_usan_el_repositorio_y_la_rama_del_ajuste():
    propio, rama = repositorio.REPOSITORIO, repositorio.RAMA
    prefijos = {"colab.research.google.com/github": f"/blob/{rama}/", "raw.githubusercontent.com": f"/{rama}/"}
    vistos = 0
    for lugar, texto in _textos():
        for servicio, repo, resto in URL_GITHUB.findall(texto):
            ruta = re.sub(r"^/(blob|tree)?/?[\w.-]+/", "", resto).split("#")[0]
            if repo.removesuffix(".git") != propio:
                # Otro proyecto citado en una lección es legítimo; otra copia de este curso, no.
                assert servicio != "colab.research.google.com/github", f"{lugar}: Colab abre {repo}, no {propio}"
                assert repo.split("/")[1] != propio.split("/")[1], f"{lugar}: apunta a {repo}, no a {propio}"
                assert not (RAIZ / ruta).is_file(), f"{lugar}: {repo} es otra copia del curso"
                continue
            vistos += 1
            if resto.startswith("@"):  # pip install git+https://github.com/dueño/nombre@rama
                assert resto == f"@{rama}", f"{lugar}: {repo}{resto} no usa la rama {rama}"
            prefijo = prefijos.get(servicio, f"/blob/{rama}/" if resto.startswith(("/blob/", "/tree/")) else None)
            if prefijo:
                assert resto.startswith(prefijo), f"{lugar}: {repo}{resto} no usa la rama {rama}"
                assert (RAIZ / ruta).is_file(), f"{lugar}: {ruta} no existe en el repositorio"
    assert vistos >= 12  # como poco, la insignia de cada cuaderno en el README y en el propio cuaderno


def test_los_cuadernos_no_tienen_enlaces_relativos():
    relativo = re.compile(r"\]\((?!https?://|#)[^)]*\)|src=[\"'](?!https?://)")
    for cuaderno in sorted((RAIZ / "notebooks").glob("*.ipynb")):
        for numero, celda in enumerate(_celdas(cuaderno)):
            if celda["cell_type"] == "markdown":
                encontrados = relativo.findall("".join(celda["source"]))
                assert not encontrados, (
                    f"{cuaderno.name}, celda {numero}: {encontrados} no funciona en Colab; "
                    f"«python -m helpers apuntar {repositorio.REPOSITORIO}» lo hace absoluto"
                )


def test_absolutizar_convierte_cada_clase_de_enlace():
    texto = (
        "[lección](../lessons/02_dcgan.md#la-perdida) ![figura](../images/a.png) [otro](03_x.ipynb) "
        "[código](../helpers/gan.py) [arriba](#objetivos) [web](https://keras.io/)"
    )
    resultado = repositorio.absolutizar(texto, "notebooks", "ana/mi-curso", "v1")
    assert resultado == (
        "[lección](https://github.com/ana/mi-curso/blob/v1/lessons/02_dcgan.md#la-perdida) "
        "![figura](https://raw.githubusercontent.com/ana/mi-curso/v1/images/a.png) "
        "[otro](https://colab.research.google.com/github/ana/mi-curso/blob/v1/notebooks/03_x.ipynb) "
        "[código](https://github.com/ana/mi-curso/blob/v1/helpers/gan.py) [arriba](#objetivos) [web](https://keras.io/)"
    )


def _copia(destino):
    """Copia en ``destino`` los archivos que reescribe «apuntar» y devuelve su contenido por ruta."""
    originales = {}
    for ruta in [*repositorio.archivos_con_enlaces(RAIZ), RAIZ / "helpers" / "repositorio.py"]:
        copia = destino / ruta.relative_to(RAIZ)
        copia.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ruta, copia)
        originales[copia] = copia.read_bytes()
    return originales


def test_apuntar_a_una_copia_cambia_todo_y_volver_deja_los_mismos_bytes(tmp_path, monkeypatch, capsys):
    originales = _copia(tmp_path)
    (tmp_path / ".git").mkdir()  # un clon: dice cómo publicarlo
    monkeypatch.chdir(tmp_path)
    main(["apuntar", "ana/mi-curso", "--rama", "otono-2027"])
    assert "git tag otono-2027 && git push origin refs/tags/otono-2027" in capsys.readouterr().out

    assert repositorio.leer_ajuste(tmp_path) == ("ana/mi-curso", "otono-2027")
    for ruta, antes in originales.items():
        texto = ruta.read_text(encoding="utf-8")
        assert repositorio.REPOSITORIO not in texto, f"{ruta.name} sigue nombrando {repositorio.REPOSITORIO}"
        if repositorio.REPOSITORIO in antes.decode("utf-8"):
            assert "ana/mi-curso" in texto
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert repositorio.url_colab("notebooks/02_dcgan_digitos.ipynb", "ana/mi-curso", "otono-2027") in readme
    assert "git+https://github.com/ana/mi-curso@otono-2027" in readme
    for cuaderno in sorted((tmp_path / "notebooks").glob("*.ipynb")):
        celdas = _celdas(cuaderno)
        assert "".join(celdas[1]["source"]) == repositorio.celda_preparacion("ana/mi-curso", "otono-2027")
        assert repositorio.url_colab(f"notebooks/{cuaderno.name}", "ana/mi-curso", "otono-2027") in "".join(
            celdas[0]["source"]
        )

    main(["apuntar", repositorio.REPOSITORIO, "--rama", repositorio.RAMA])
    for ruta, antes in originales.items():
        assert ruta.read_bytes() == antes, f"{ruta.name} no ha vuelto a ser igual"
    main(["apuntar", repositorio.REPOSITORIO, "--rama", repositorio.RAMA])
    assert "no hay nada que cambiar" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argumentos", "mensaje"),
    [
        (["apuntar", "https://github.com/ana/mi-curso"], "escríbelo como dueño/nombre"),
        (["apuntar", "ana/mi-curso", "--rama", "ramas/nueva"], "sin «/»"),
        # La orden del README copiada tal cual: antes, «p. ej. TU_USUARIO/curso-gan», el mismo nombre rechazado.
        (["apuntar", "TU_USUARIO/curso-gan", "--rama", "main"], "cambia TU_USUARIO por tu usuario"),
        (["apuntar", "tu_usuario/curso-gan"], "cambia TU_USUARIO por tu usuario"),  # en minúsculas, antes se aceptaba
    ],
)
def test_apuntar_rechaza_nombres_que_no_sirven_sin_tocar_nada(tmp_path, monkeypatch, capsys, argumentos, mensaje):
    originales = _copia(tmp_path)
    monkeypatch.chdir(tmp_path)
    _falla_sin_cambiar_nada(argumentos, mensaje, originales, capsys)


def _falla_sin_cambiar_nada(argumentos, mensaje, originales, capsys):
    """La orden acaba con error (código 1), su mensaje lleva ``mensaje`` y ningún archivo cambió."""
    with pytest.raises(SystemExit) as salida:
        main(argumentos)
    assert salida.value.code == 1
    assert mensaje in capsys.readouterr().err
    assert all(ruta.read_bytes() == antes for ruta, antes in originales.items())


def test_apuntar_fuera_de_la_raiz_del_curso_lo_dice(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit):
        main(["apuntar", "ana/mi-curso"])
    assert "no es la carpeta raíz del curso" in capsys.readouterr().err


def test_apuntar_con_un_cuaderno_danado_no_cambia_ninguno(tmp_path, monkeypatch, capsys):
    originales = _copia(tmp_path)
    danado = tmp_path / "notebooks" / "05_transferencia_estilo.ipynb"
    danado.write_text("<<<<<<< HEAD\n" + danado.read_text(encoding="utf-8"), encoding="utf-8")
    originales[danado] = danado.read_bytes()
    monkeypatch.chdir(tmp_path)
    # Ni los cuadernos de antes en el orden ni el README: arreglado ese, la orden se repite desde cero.
    _falla_sin_cambiar_nada(["apuntar", "ana/mi-curso"], "05_transferencia_estilo.ipynb» no es un cuaderno válido",
                            originales, capsys)


def test_apuntar_sin_repositorio_de_git_no_propone_git_push(tmp_path, monkeypatch, capsys):
    _copia(tmp_path)  # como un curso descargado en un ZIP
    monkeypatch.chdir(tmp_path)
    main(["apuntar", "ana/mi-curso"])
    salida = capsys.readouterr().out
    assert "no es un repositorio de git (¿la descargaste en un ZIP?)" in salida and "git push" not in salida
    assert "git clone https://github.com/ana/mi-curso.git" in salida


@pytest.mark.parametrize(("rama", "sin_rama", "consejo"), [
    ("principal", False, 'Publícalo: git commit -am "Apunta a ana/mi-curso" && git push\n'),
    ("otono-2027", False, "Los cuadernos instalarán la rama «otono-2027» y estás en la rama «principal»: publícalo en "
                          "«otono-2027» (git switch otono-2027, que se lleva estos cambios"),
    ("v1", False, '&& git push; «v1» ya es una etiqueta y marca un commit anterior: muévela a este (git tag -f v1 && '
                  "git push -f origin refs/tags/v1)"),
    ("v1", True, 'Publícalo: git commit -am "Apunta a ana/mi-curso"; «v1» ya es una etiqueta'),
    ("nueva", False, "«nueva» aún no existe aquí: créala después del commit, como etiqueta (git tag nueva && git push "
                     "origin refs/tags/nueva) o como rama (git push origin HEAD:refs/heads/nueva)"),
])
def test_apuntar_aconseja_publicar_segun_sea_rama_o_etiqueta(tmp_path, monkeypatch, capsys, rama, sin_rama, consejo):
    _copia(tmp_path)
    monkeypatch.chdir(tmp_path)
    for variable in [v for v in os.environ if v.startswith("GIT_")]:  # p. ej. GIT_DIR, desde un gancho de git
        monkeypatch.delenv(variable)
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)  # sin la configuración de quien ejecuta las pruebas
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for orden in (["init", "-q", "-b", "principal"], ["add", "-A"],
                  ["-c", "user.name=A", "-c", "user.email=a@b.c", "commit", "-qm", "curso"],
                  ["branch", "otono-2027"], ["tag", "v1"], *([["switch", "-q", "--detach"]] if sin_rama else [])):
        subprocess.run(["git", *orden], check=True)
    main(["apuntar", "ana/mi-curso", "--rama", rama])
    salida = capsys.readouterr().out
    assert consejo in salida and salida.lower().count("publícalo") == 1
    assert bool(re.search(r"&& git push(?! -f| origin)", salida)) != sin_rama  # sin rama, un git push a secas fallaría


def test_apuntar_con_el_ajuste_editado_a_mano_lo_explica_sin_tocar_nada(tmp_path, monkeypatch, capsys):
    originales = _copia(tmp_path)
    ajuste = tmp_path / "helpers" / "repositorio.py"
    texto = ajuste.read_text(encoding="utf-8").replace(f'REPOSITORIO = "{repositorio.REPOSITORIO}"',
                                                       f'REPOSITORIO = "{repositorio.REPOSITORIO}"  # el tuyo')
    ajuste.write_text(texto, encoding="utf-8")
    originales[ajuste] = ajuste.read_bytes()
    monkeypatch.chdir(tmp_path)
    _falla_sin_cambiar_nada(["apuntar", "ana/mi-curso"], "no tiene sus dos líneas como las escribe el kit", originales,
                            capsys)


def test_apuntar_si_un_archivo_no_se_puede_escribir_deja_todos_como_estaban(tmp_path, monkeypatch, capsys):
    originales = _copia(tmp_path)
    bloqueado = tmp_path / "notebooks" / "06_tarea_tus_imagenes.ipynb"
    escribir = Path.write_text

    def de_solo_lectura(ruta, *args, **kwargs):
        if ruta.name == bloqueado.name:
            raise PermissionError(13, "Permission denied", str(ruta))
        return escribir(ruta, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", de_solo_lectura)
    monkeypatch.chdir(tmp_path)
    _falla_sin_cambiar_nada(["apuntar", "ana/mi-curso"], "06_tarea_tus_imagenes.ipynb» (¿es de solo lectura", originales,
                            capsys)


def test_apuntar_encuentra_la_celda_de_preparacion_aunque_no_sea_la_segunda(tmp_path, monkeypatch):
    _copia(tmp_path)
    cuaderno = tmp_path / "notebooks" / "02_dcgan_digitos.ipynb"
    contenido = json.loads(cuaderno.read_text(encoding="utf-8"))
    contenido["cells"].insert(0, {"cell_type": "markdown", "metadata": {}, "source": ["Nota de la profesora."]})
    titulo = "".join(contenido["cells"][1]["source"])
    cuaderno.write_text(json.dumps(contenido, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["apuntar", "ana/mi-curso"])
    celdas = _celdas(cuaderno)
    assert "".join(celdas[0]["source"]) == "Nota de la profesora."
    assert "".join(celdas[1]["source"]).replace(repositorio.REPOSITORIO, "ana/mi-curso") == titulo.replace(
        repositorio.REPOSITORIO, "ana/mi-curso")
    assert "".join(celdas[2]["source"]) == repositorio.celda_preparacion("ana/mi-curso", repositorio.RAMA)
