"""Compara dos «pip freeze» del entorno como Colab: falla si instalar el kit cambió algo que ya estaba.

Uso (con el Python de ese entorno, para medir lo añadido)::

    python .ci/comparar_entornos.py antes.txt despues.txt

Escribe cada paquete añadido con su versión y lo que ocupa instalado, y termina con código 1 si algún
paquete de ``antes.txt`` desapareció o cambió de versión.
"""

import sys
from importlib import metadata
from pathlib import Path


def leer(ruta):
    """``{nombre normalizado: versión u origen}`` de un archivo de ``pip freeze``."""
    paquetes = {}
    for linea in Path(ruta).read_text(encoding="utf-8").splitlines():
        nombre, separador, version = linea.partition("==")
        if not separador:
            nombre, separador, version = linea.partition(" @ ")  # instalado desde git o una carpeta
        if separador:
            paquetes[nombre.strip().lower().replace("_", "-")] = version.strip()
    return paquetes


def megas(nombre):
    """Lo que ocupan en disco los archivos que instaló el paquete ``nombre``, en MB."""
    archivos = metadata.distribution(nombre).files or []
    return sum(archivo.size or 0 for archivo in archivos) / 1e6


def main(antes, despues):
    antes, despues = leer(antes), leer(despues)
    for nombre in sorted(despues.keys() - antes.keys()):
        print(f"  añadido: {nombre} {despues[nombre]} ({f'{megas(nombre):.1f}'.replace('.', ',')} MB)")
    cambiados = [f"{nombre} {version} → {despues.get(nombre, 'desinstalado')}"
                 for nombre, version in sorted(antes.items()) if despues.get(nombre) != version]
    for cambio in cambiados:
        print(f"  CAMBIADO: {cambio}")
    if cambiados:
        print("error: instalar el kit cambió paquetes que Colab ya trae; revisa las dependencias de pyproject.toml")
        return 1
    print(f"  sin cambios en los {len(antes)} paquetes que ya estaban")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
