"""Sustituto de ``google.colab`` para la etapa «como Colab» de la CI.

.ci/run lo importa al arrancar Python (con un .pth), como hace Colab con el suyo, para que
``helpers.en_colab()`` y la celda de preparación de los cuadernos se comporten como en Colab. Sus
``files.upload()`` y ``drive.mount()`` fallan: en la CI ningún cuaderno debe esperar a una persona.

Sin ``google/__init__.py``: ``google`` sigue siendo un paquete de espacio de nombres compartido con
``google.protobuf``, que necesita TensorFlow.
"""
