"""Configuración común de pytest (también al ejecutar un solo cuaderno), heredada por los núcleos de
Jupyter que lanza nbval:

- modo rápido para las pruebas y los cuadernos;
- resultados en una carpeta temporal nueva en cada ejecución (``CURSO_GAN_RESULTADOS``, ver
  ``helpers.entorno.carpeta_resultados``): cada cuaderno entrena desde cero, aunque pidas
  ``continuar=True``, y no queda nada escrito en el repositorio. Se borra al terminar.
"""

import os
import shutil
import tempfile

os.environ["CURSO_GAN_RAPIDO"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["CURSO_GAN_RESULTADOS"] = tempfile.mkdtemp(prefix="curso_gan_resultados_")


def pytest_unconfigure(config):
    shutil.rmtree(os.environ["CURSO_GAN_RESULTADOS"], ignore_errors=True)
