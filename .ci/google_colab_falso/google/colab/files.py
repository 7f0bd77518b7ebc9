"""``google.colab.files`` de mentira: subir archivos necesita a una persona."""


def upload():
    raise RuntimeError("files.upload() espera a una persona: ponlo detrás de una opción apagada por defecto")
