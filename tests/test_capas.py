"""Las importaciones dentro de ``helpers`` van en un solo sentido: ningún ciclo entre sus módulos,
contando también las que se hacen dentro de funciones (``from .x import y`` en mitad del código)."""

import ast
from pathlib import Path

import pytest

PAQUETE = Path(__file__).resolve().parent.parent / "helpers"


def _dependencias(ruta, modulos):
    """Módulos de ``helpers`` que importa el archivo ``ruta``, en cualquier lugar del código.

    ``import helpers`` o ``from helpers import nombre`` (si ``nombre`` no es un módulo) cuentan como
    depender de ``__init__``, que importa a su vez casi todo el paquete.
    """
    dependencias = set()

    def paquete_o_modulos(nombres):
        encontrados = {n for n in nombres if n in modulos}
        return encontrados if encontrados == set(nombres) else encontrados | {"__init__"}

    for nodo in ast.walk(ast.parse(ruta.read_text(encoding="utf-8"), filename=str(ruta))):
        if isinstance(nodo, ast.Import):
            for alias in nodo.names:
                partes = alias.name.split(".")
                if partes[0] == "helpers":
                    dependencias.add(partes[1] if len(partes) > 1 else "__init__")
        elif isinstance(nodo, ast.ImportFrom):
            partes = (nodo.module or "").split(".") if nodo.module else []
            if nodo.level == 1 or (nodo.level == 0 and partes[:1] == ["helpers"]):
                ruta_modulo = partes if nodo.level == 1 else partes[1:]
                if ruta_modulo:
                    dependencias.add(ruta_modulo[0])
                else:
                    dependencias |= paquete_o_modulos([alias.name for alias in nodo.names])
    return dependencias - {ruta.stem}


def grafo_de_importaciones(paquete=PAQUETE):
    """``{módulo: módulos de helpers que importa}`` de todos los ``.py`` de ``paquete``."""
    rutas = {ruta.stem: ruta for ruta in paquete.glob("*.py")}
    return {nombre: _dependencias(ruta, set(rutas)) & set(rutas) for nombre, ruta in rutas.items()}


def alcanzables(grafo, modulo):
    """Los módulos que ``modulo`` importa, directamente o a través de otros."""
    vistos, pendientes = set(), [modulo]
    while pendientes:
        nuevos = grafo[pendientes.pop()] - vistos
        vistos |= nuevos
        pendientes.extend(nuevos)
    return vistos


def buscar_ciclo(grafo):
    """Un ciclo del ``grafo`` como lista ``[a, b, …, a]``, o ``None`` si no hay ninguno."""
    estado, pila = {}, []

    def visitar(nodo):
        estado[nodo] = "abierto"
        pila.append(nodo)
        for vecino in sorted(grafo.get(nodo, ())):
            if estado.get(vecino) == "abierto":
                return pila[pila.index(vecino) :] + [vecino]
            if vecino not in estado and (ciclo := visitar(vecino)):
                return ciclo
        estado[nodo] = "cerrado"
        pila.pop()
        return None

    for nodo in sorted(grafo):
        if nodo not in estado and (ciclo := visitar(nodo)):
            return ciclo
    return None


def test_ningun_ciclo_de_importaciones_en_helpers():
    ciclo = buscar_ciclo(grafo_de_importaciones())
    assert ciclo is None, "Ciclo de importaciones: " + " → ".join(ciclo)


# Los módulos que usa todo el kit en sus mensajes y comprobaciones, con lo único del kit que pueden importar:
# ``entorno`` (TensorFlow, la GPU, Colab) puede usarlos a ellos, nunca al revés.
BASE = {"textos": set(), "opciones": {"textos"}, "errores": set(), "estudiante": set()}


def test_los_modulos_de_base_solo_importan_lo_que_tienen_debajo():
    grafo = grafo_de_importaciones()
    assert {modulo: grafo.get(modulo) for modulo in BASE} == BASE


def test_se_ven_las_importaciones_dentro_de_funciones(tmp_path):
    (tmp_path / "__init__.py").write_text("from .a import f\n")
    (tmp_path / "a.py").write_text("def f():\n    from .b import g\n    return g()\n")
    (tmp_path / "b.py").write_text("import helpers\n\n\ndef g():\n    from helpers.c import h\n    return h\n")
    (tmp_path / "c.py").write_text("def h():\n    from . import a\n    return a\n")
    grafo = grafo_de_importaciones(tmp_path)
    assert grafo == {"__init__": {"a"}, "a": {"b"}, "b": {"__init__", "c"}, "c": {"a"}}
    assert buscar_ciclo(grafo) == ["__init__", "a", "b", "__init__"]


@pytest.mark.parametrize(
    "grafo, hay_ciclo",
    [({"a": {"b"}, "b": {"c"}, "c": set()}, False), ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True), ({"a": {"a"}}, True)],
)
def test_buscar_ciclo(grafo, hay_ciclo):
    assert (buscar_ciclo(grafo) is not None) == hay_ciclo
