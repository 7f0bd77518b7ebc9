"""Configuración común de pytest (también al ejecutar un solo cuaderno): modo rápido para las
pruebas y para los núcleos de Jupyter que lanza nbval, que heredan estas variables."""

import os

os.environ["CURSO_GAN_RAPIDO"] = "1"
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
