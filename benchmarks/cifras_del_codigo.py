"""Las cifras de coste que citan los docstrings y mensajes de ``helpers``, medidas en tu máquina.

Cada línea impresa es una de esas cifras, con la referencia medida en el mismo proceso:
(a) características de SqueezeNet para la SWD, la KID y la FID del curso: mil imágenes a 64 px
    (``fid_kid.TAMANO_SQUEEZENET``) frente a 224 px;
(b) InceptionV3 a 299 px (con pesos al azar: el cálculo es el mismo que con los de ImageNet, que
    aquí no se descargan) frente a SqueezeNet a 64 px, por imagen;
(c) ``lotes.aplicar_por_lotes`` frente a ``predict`` en la primera llamada con 64 imágenes;
(d) los productos de la KID (mil características de 512) en float32 frente a float64;
(e) multiplicaciones por iteración de la transferencia de estilo: VGG19 frente a SqueezeNet con las
    capas de ``estilo.CAPAS``, a 384 px de lado mayor (el ``lado_maximo`` por defecto), contadas
    capa a capa (no dependen de la máquina).

    python benchmarks/cifras_del_codigo.py
"""

import time

import helpers  # noqa: F401  (primero: silencia los avisos de C de TensorFlow al importarlo)
import keras
import numpy as np

from helpers import describir_dispositivo
from helpers.estilo import CAPAS
from helpers.fid_kid import _envolver, modelo_caracteristicas
from helpers.lotes import aplicar_por_lotes
from helpers.squeezenet import construir_squeezenet, preprocesar_squeezenet


def segundos(funcion, rondas=3):
    """El mejor de ``rondas`` tiempos de reloj de ``funcion()``."""
    tiempos = []
    for _ in range(rondas):
        inicio = time.perf_counter()
        funcion()
        tiempos.append(time.perf_counter() - inicio)
    return min(tiempos)


def multiplicaciones(modelo, capas, alto, ancho):
    """Multiplicaciones de las convoluciones de ``modelo`` hasta la más profunda de ``capas``, en una
    imagen de ``alto × ancho`` (las capas están en orden topológico)."""
    hasta = max(modelo.layers.index(modelo.get_layer(c)) for c in capas)
    convoluciones = [c for c in modelo.layers[: hasta + 1] if isinstance(c, keras.layers.Conv2D)]
    salidas = keras.Model(modelo.input, [c.output for c in convoluciones])(np.zeros((1, alto, ancho, 3), np.float32))
    return sum(int(np.prod(s.shape[1:3])) * int(np.prod(c.kernel.shape)) for c, s in zip(convoluciones, salidas))


def main():
    print(describir_dispositivo())
    azar = np.random.default_rng(0)
    imagenes = azar.uniform(-1, 1, (1000, 32, 32, 3)).astype(np.float32)

    # Cada red envuelta como la del kit (fid_kid._envolver: ampliar con antialias y, SqueezeNet, su preprocesado).
    a_64, _ = modelo_caracteristicas("squeezenet")
    base = construir_squeezenet(incluir_clasificador=False)
    a_224 = _envolver(224, lambda x: base(preprocesar_squeezenet((x + 1.0) * 127.5)))
    a_299 = _envolver(299, keras.applications.InceptionV3(weights=None, include_top=False, pooling="avg"))
    for modelo in (a_64, a_224, a_299):
        aplicar_por_lotes(modelo, imagenes[:100])  # calienta: la primera llamada prepara cada modelo
    segundos_64, segundos_224 = (segundos(lambda: aplicar_por_lotes(m, imagenes)) for m in (a_64, a_224))
    print(f"(a) SqueezeNet, 1.000 imágenes: {segundos_64:.1f} s a 64 px, {segundos_224:.1f} s a 224 px")
    inception, squeezenet = (segundos(lambda: aplicar_por_lotes(m, imagenes[:200])) for m in (a_299, a_64))
    print(f"(b) InceptionV3 a 299 px tarda {inception / squeezenet:.0f} veces lo que SqueezeNet a 64 px")

    pocas = imagenes[:64]
    nuevo_directa, nuevo_predict = keras.models.clone_model(a_64), keras.models.clone_model(a_64)
    directa = segundos(lambda: aplicar_por_lotes(nuevo_directa, pocas), 1)
    con_predict = segundos(lambda: nuevo_predict.predict(pocas, verbose=0), 1)
    print(f"(c) primera llamada con 64 imágenes: aplicar_por_lotes {directa:.2f} s, predict {con_predict:.2f} s "
          f"({con_predict / directa:.1f}×)")

    x64 = azar.standard_normal((1000, 512))
    x32 = x64.astype(np.float32)
    en_float64, en_float32 = (segundos(lambda: x @ x.T, 10) for x in (x64, x32))
    print(f"(d) producto 1.000×512 por su traspuesta: float32 {en_float64 / en_float32:.1f} veces más rápido que float64")

    vgg = keras.applications.VGG19(include_top=False, weights=None)
    capas = {red: CAPAS[red]["contenido"] + CAPAS[red]["estilo"] for red in CAPAS}
    cuentas = {"vgg19": multiplicaciones(vgg, capas["vgg19"], 256, 384),
               "squeezenet": multiplicaciones(construir_squeezenet(incluir_clasificador=False), capas["squeezenet"], 256, 384)}
    print(f"(e) estilo a 384×256 px: VGG19 {cuentas['vgg19'] / 1e9:.1f}·10⁹ multiplicaciones por pasada, SqueezeNet "
          f"{cuentas['squeezenet'] / 1e9:.2f}·10⁹: {cuentas['vgg19'] / cuentas['squeezenet']:.0f} veces más")


if __name__ == "__main__":
    main()
