"""``google.colab.drive`` de mentira: montar Drive necesita a una persona."""


def mount(*args, **kwargs):
    raise RuntimeError("drive.mount() espera a una persona: ponlo detrás de una opción apagada por defecto")
