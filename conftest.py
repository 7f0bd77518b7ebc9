"""Configuración común de pytest (también al ejecutar un solo cuaderno), heredada por los núcleos de
Jupyter que lanza nbval:

- modo rápido para las pruebas y los cuadernos;
- resultados en una carpeta temporal nueva en cada ejecución (``CURSO_GAN_RESULTADOS``, ver
  ``helpers.entorno.carpeta_resultados``): cada cuaderno entrena desde cero, aunque pidas
  ``continuar=True``, y no queda nada escrito en el repositorio. Se borra al terminar;
- un núcleo que muere al arrancar, antes de ejecutar ninguna celda, se arranca una vez más (ver
  ``_arrancar_con_reintento``);
- con pytest-xdist, cada proceso (y los núcleos de Jupyter que lanza) usa solo su parte de los núcleos
  de la CPU (ver ``pytest_configure``);
- tras la última celda de cada cuaderno, en el mismo núcleo, se ejecutan los bloques de código de su
  apartado de ``lessons/soluciones.md``, como los pega el docente (ver ``pytest_collection_modifyitems``).
"""

import os
import re
import shutil
import sys
import tempfile
import warnings
from collections import defaultdict
from pathlib import Path

import nbformat
import nbval.kernel
import nbval.plugin
import pytest

os.environ["CURSO_GAN_RAPIDO"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["CURSO_GAN_RESULTADOS"] = tempfile.mkdtemp(prefix="curso_gan_resultados_")


def pytest_configure(config):
    """Con varios procesos de pytest-xdist, cada uno se queda con su parte de los núcleos: TensorFlow y
    OpenBLAS abren por defecto un hilo por núcleo, y los que esperan girando le quitaban la CPU al otro
    proceso (una prueba de 1 s llegaba a tardar 40; medido en benchmarks/README.md, «Las pruebas en dos
    procesos»). Antes de importar TensorFlow, que lee estas variables al arrancar."""
    procesos = getattr(config, "workerinput", {}).get("workercount", 1)
    if procesos > 1:
        # Los núcleos que este proceso puede usar (un contenedor puede limitarlos), como «nproc» en .ci/run.
        nucleos = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        hilos = str(max(1, nucleos // procesos))
        for variable in ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
            os.environ.setdefault(variable, hilos)


def pytest_unconfigure(config):
    shutil.rmtree(os.environ["CURSO_GAN_RESULTADOS"], ignore_errors=True)


def _arrancar_con_reintento(arrancar):
    """Envuelve el arranque de núcleos de nbval: si el núcleo muere antes de responder a kernel_info
    (en la CI pasó una vez con dos cuadernos arrancando a la vez, y nbval tira lo que el núcleo escribe),
    avisa con el final de su salida de errores y lo arranca otra vez. Un fallo en una celda no se repite."""

    def arrancar_nucleo(*args, stderr=None, **kwargs):
        with tempfile.TemporaryFile("w+") as errores:
            try:
                return arrancar(*args, stderr=errores, **kwargs)
            except RuntimeError as error:
                if "died" not in str(error):
                    raise
                motivo = str(error)
            errores.seek(0)
            salida = errores.read()[-2000:] or "(nada)"
        warnings.warn(f"El núcleo de Jupyter murió al arrancar ({motivo}); lo arranco otra vez. Su salida de errores:\n{salida}")
        return arrancar(*args, stderr=stderr, **kwargs)

    return arrancar_nucleo


nbval.kernel.start_new_kernel = _arrancar_con_reintento(nbval.kernel.start_new_kernel)


RAIZ = Path(__file__).parent


def bloques_python(texto):
    """``[(línea, código), ...]``: los bloques ```` ```python ```` de primer nivel de un texto Markdown (los
    sangrados, dentro de una lista, son extractos) y la línea en que empieza cada uno."""
    return [(texto.count("\n", 0, bloque.start()) + 1, bloque.group(1))
            for bloque in re.finditer(r"^```python\n(.*?)^```", texto, flags=re.M | re.S)]


def bloques_de_soluciones():
    """``{cuaderno: [(línea, código), ...]}`` con los bloques de cada apartado «## Cuaderno NN» de
    ``lessons/soluciones.md``, en orden (ver ``bloques_python``). Un apartado sin su cuaderno (p. ej. tras
    renombrarlo) o repetido es un error: sus soluciones dejarían de probarse sin que nadie lo notara."""
    texto = (RAIZ / "lessons" / "soluciones.md").read_text(encoding="utf-8")
    titulos = list(re.finditer(r"^## .*$", texto, flags=re.M))
    bloques = {}
    for titulo, siguiente in zip(titulos, [*titulos[1:], None]):
        if not (numero := re.match(r"## Cuaderno (\d\d)\b", titulo.group())):
            continue
        cuadernos = sorted((RAIZ / "notebooks").glob(f"{numero[1]}_*.ipynb"))
        if len(cuadernos) != 1 or cuadernos[0].name in bloques:
            raise pytest.UsageError(
                f"lessons/soluciones.md: el apartado «Cuaderno {numero[1]}» debe ser uno solo y tener su cuaderno, y "
                f"en notebooks/ hay {len(cuadernos)} que empiezan por {numero[1]}_.")
        lineas_antes = texto.count("\n", 0, titulo.start())
        apartado = texto[titulo.start():siguiente.start() if siguiente else len(texto)]
        bloques[cuadernos[0].name] = [(lineas_antes + linea, codigo) for linea, codigo in bloques_python(apartado)]
    return bloques


def pytest_addoption(parser):
    parser.addoption("--sin-soluciones", action="store_true",
                     help="no ejecutar tras cada cuaderno los bloques de lessons/soluciones.md (la etapa colab de "
                          ".ci/run: las soluciones se prueban con las versiones fijadas)")


def pytest_collection_modifyitems(session, config, items):
    """Añade, tras la última celda de cada cuaderno, sus soluciones: se ejecutan en el mismo núcleo, con lo
    que el cuaderno ha definido, y basta con que no den error (como las celdas con ``--nbval-lax``)."""
    if config.getoption("sin_soluciones") or not any(isinstance(item, nbval.plugin.IPyNbCell) for item in items):
        return
    soluciones = bloques_de_soluciones()
    for indice in reversed(range(len(items))):
        celda = items[indice]
        if not isinstance(celda, nbval.plugin.IPyNbCell):
            continue
        # Solo tras la última celda de código del cuaderno: con una parte de sus celdas, fallarían sin motivo.
        if celda.cell_num != sum(c.cell_type == "code" for c in celda.parent.nb.cells) - 1:
            continue
        nuevas = [
            nbval.plugin.IPyNbCell.from_parent(
                celda.parent, name=f"Solución {n} (soluciones.md, línea {linea})", cell_num=celda.cell_num + n,
                cell=nbformat.v4.new_code_cell(codigo), options=defaultdict(bool, check=False),
            )
            for n, (linea, codigo) in enumerate(soluciones.get(Path(celda.parent.path).name, []), start=1)
        ]
        items[indice + 1:indice + 1] = nuevas


@pytest.fixture
def ipython(monkeypatch):
    """Un intérprete de IPython de verdad en este proceso, con su historial en memoria, como el del núcleo de
    Jupyter: ``ipython.run_cell(texto, store_history=True)`` ejecuta una celda. Al terminar se deja Python como
    estaba (IPython cambia ``__main__``, ``sys.displayhook`` y ``sys.excepthook``)."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    for nombre in ("displayhook", "excepthook"):
        monkeypatch.setattr(sys, nombre, getattr(sys, nombre))
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
    configuracion = Config()
    configuracion.HistoryManager.hist_file = ":memory:"
    yield InteractiveShell.instance(config=configuracion)
    InteractiveShell.clear_instance()
