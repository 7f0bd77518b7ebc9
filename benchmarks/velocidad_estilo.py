"""Velocidad de la transferencia de estilo: el bucle del tutorial de TensorFlow frente al del curso.

Misma red, mismas capas, misma pérdida y mismo tamaño (256 px de lado mayor) para todos, en varios
pares foto + estilo (``PARES``; el primero es con el que se eligieron los ajustes de L-BFGS, los
demás no se usaron para elegirlos):
(a) el bucle del tutorial «Neural style transfer» de tensorflow.org: Adam (tasa 0,02, β1 0,99,
    ε 0,1) durante ``--pasos`` pasos desde la foto, recortando a [0, 1] tras cada paso, con la
    pérdida escrita como en el tutorial (matriz de Gram con ``einsum``, variación total con cortes
    ``imagen[:, 1:]`` y derivadas automáticas);
(b) ``estilo.transferir_estilo`` con sus opciones por defecto (L-BFGS de ``helpers.lbfgs``). El curso
    traza su gradiente una vez por proceso y lo paga solo el primer par (el tutorial, en cada par);
    ``--sin-traza`` lo traza antes de medir, para comparar todos los pares igual;
(c) lo mismo que (b) con ``scipy.optimize.minimize(method="L-BFGS-B", jac=True)`` en lugar de
    ``helpers.lbfgs``: misma memoria, misma pérdida, mismo espectro, mismo calentamiento.
Las pérdidas de (a) y (b) son la misma función; el banco lo comprueba antes de medir. En cada par se
corren los tres, uno tras otro en el mismo proceso, y se mide cuánto tardan (b) y (c) en alcanzar
la pérdida final de (a), contando todo lo que hace ``transferir_estilo`` (cargar las imágenes,
compilar, optimizar). Imprime el modelo de CPU, cada par (cociente de tiempos de reloj, de tiempos de
CPU del proceso y de gradientes calculados; los dos últimos no dependen de la carga de la máquina)
y las medianas, y guarda las imágenes.

    python benchmarks/velocidad_estilo.py --salida resultados/velocidad_estilo
    python benchmarks/velocidad_estilo.py --pares chelsea+noche astronauta+fuego --sin-scipy
    python benchmarks/velocidad_estilo.py --sin-scipy --sin-traza
"""

import argparse
import os
import statistics
import time
from unittest import mock

os.environ.pop("CURSO_GAN_RAPIDO", None)  # el modo rápido recortaría el trabajo del curso y falsearía la medida

import helpers  # noqa: E402  (primero: silencia los avisos de C de TensorFlow al importarlo)
import keras  # noqa: E402
import matplotlib.cbook  # noqa: E402
import numpy as np  # noqa: E402
import scipy.optimize  # noqa: E402
import skimage.data  # noqa: E402
import sklearn.datasets  # noqa: E402
import tensorflow as tf  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

from helpers import estilo, optimizadores_estilo, pinturas  # noqa: E402

# Fotos y estilos que vienen con los paquetes instalados: fotos de skimage, scikit-learn y matplotlib;
# pinturas generadas por helpers.pinturas y texturas reales (tinción de microscopio, campo profundo
# del Hubble, grava).
PARES = {
    "chelsea+noche": (skimage.data.chelsea, lambda: pinturas.pintura_pinceladas(512, "noche")),
    "astronauta+fuego": (skimage.data.astronaut, lambda: pinturas.pintura_pinceladas(512, "fuego", semilla=3)),
    "cafe+kandinsky": (skimage.data.coffee, lambda: pinturas.pintura_geometrica(512, "kandinsky", semilla=1)),
    "cohete+tincion": (skimage.data.rocket, skimage.data.immunohistochemistry),
    "china+hubble": (lambda: sklearn.datasets.load_sample_image("china.jpg"), skimage.data.hubble_deep_field),
    "hopper+grava": (lambda: matplotlib.cbook.get_sample_data("grace_hopper.jpg").name,
                     lambda: pinturas.textura("grava")),
}

# La pérdida del tutorial (sin normalizar) da gradientes de 10 a 100 por píxel y la del curso unas
# 10⁴ veces menores: se multiplica por ESCALA para que ε = 0,1 pese tan poco como en el tutorial.
# Multiplicar la pérdida no cambia su mínimo; la pérdida final se compara sin multiplicar.
ESCALA = 1e4


def gram_del_tutorial(mapas):
    """La matriz de Gram como la escribe el tutorial: un ``einsum`` sobre las posiciones."""
    posiciones = tf.cast(tf.shape(mapas)[1] * tf.shape(mapas)[2], tf.float32)
    return tf.linalg.einsum("bijc,bijd->bcd", mapas, mapas) / posiciones


def variacion_del_tutorial(imagen):
    """La variación total con cortes, como ``tf.image.total_variation``, en media como la del curso."""
    return (tf.reduce_mean(tf.abs(imagen[:, 1:] - imagen[:, :-1]))
            + tf.reduce_mean(tf.abs(imagen[:, :, 1:] - imagen[:, :, :-1])))


def perdida_del_tutorial(extractor, contenido, pintura, pesos=(1.0, 10.0, 0.1)):
    """La pérdida total de ``estilo.crear_perdida`` escrita como en el tutorial: ``perdida(imagen)``."""
    objetivo_contenido = extractor(tf.constant(contenido[None]))["contenido"]
    grams_pintura = [gram_del_tutorial(m) for m in extractor(tf.constant(pintura[None]))["estilo"]]

    def error_relativo(obtenidos, objetivos):  # el de estilo.perdida_estilo
        return tf.add_n([tf.reduce_mean(tf.square(o - t)) / (tf.reduce_mean(tf.square(t)) + 1e-8)
                         for o, t in zip(obtenidos, objetivos)]) / len(objetivos)

    def perdida(imagen):
        mapas = extractor(imagen * 255.0)
        return (pesos[0] * estilo.perdida_contenido(mapas["contenido"], objetivo_contenido)
                + pesos[1] * error_relativo([gram_del_tutorial(m) for m in mapas["estilo"]], grams_pintura)
                + pesos[2] * variacion_del_tutorial(imagen))

    return perdida


def bucle_del_tutorial(perdida, contenido, pasos):
    """Adam como en el tutorial de TensorFlow; devuelve la imagen final en [0, 1], los segundos de
    reloj y los de CPU del proceso."""
    inicio, inicio_cpu = time.perf_counter(), time.process_time()
    image = tf.Variable(contenido[None] / 255.0)
    opt = keras.optimizers.Adam(learning_rate=0.02, beta_1=0.99, epsilon=1e-1)

    @tf.function()
    def train_step(image):
        with tf.GradientTape() as tape:
            loss = ESCALA * perdida(image)
        grad = tape.gradient(loss, image)
        opt.apply_gradients([(grad, image)])
        image.assign(tf.clip_by_value(image, 0.0, 1.0))

    for _ in range(pasos):
        train_step(image)
    return image.numpy(), time.perf_counter() - inicio, time.process_time() - inicio_cpu


class RelojConCpu:
    """Hace de ``time`` dentro de ``estilo``: da el reloj y anota a la vez el tiempo de CPU del proceso.

    ``transferir_estilo`` lee el reloj al empezar y tras cada iteración (``historial["segundos"]``):
    ``cpu[k]`` es el tiempo de CPU del proceso (acumulado) al acabar la iteración ``k``; ``cpu[0]``, al empezar.
    """

    def __init__(self):
        self.cpu = []

    def perf_counter(self):
        self.cpu.append(time.process_time())
        return time.perf_counter()


@threadpool_limits.wrap(limits=1, user_api="blas")  # como helpers.lbfgs: BLAS no quita núcleos a TensorFlow
def minimizar_scipy(funcion, x, iteraciones, memoria=20, al_iterar=None, **_):
    """``helpers.lbfgs.minimizar_lbfgs`` con la misma firma, hecho con L-BFGS-B de SciPy (sin cotas).

    SciPy trabaja en float64; ``funcion`` recibe float32 como con el del curso. ``al_iterar`` se
    llama con el punto aceptado, que debe ser el último evaluado (``transferir_estilo`` guarda las
    partes de la pérdida de esa evaluación): se comprueba.
    """
    forma, ultimo = np.shape(x), {}

    def evaluar(v):
        ultimo["x"] = v.copy()
        valor, gradiente = funcion(v.astype(np.float32).reshape(forma))
        return float(valor), np.asarray(gradiente, np.float64).reshape(-1)

    def avisar(xk):
        if not np.array_equal(xk, ultimo["x"]):
            raise RuntimeError("L-BFGS-B aceptó un punto distinto del último evaluado: el historial mentiría.")
        al_iterar(xk.astype(np.float32).reshape(forma), None)

    opciones = {"maxcor": memoria, "maxiter": iteraciones, "maxfun": 20 * iteraciones, "ftol": 0.0, "gtol": 0.0}
    resultado = scipy.optimize.minimize(evaluar, np.asarray(x, np.float64).reshape(-1), jac=True,
                                        method="L-BFGS-B", callback=avisar, options=opciones)
    return resultado.x.astype(np.float32).reshape(forma)


def medir_curso(perdida, contenido, pintura, objetivo, args, optimizador="curso"):
    """``transferir_estilo`` hasta el final; devuelve (segundos de reloj, de CPU y gradientes al
    alcanzar ``objetivo`` o ``None``; los mismos al final; pérdida final; imagen)."""
    reloj = RelojConCpu()
    inicio, inicio_cpu = time.perf_counter(), time.process_time()
    minimizar = minimizar_scipy if optimizador == "scipy" else optimizadores_estilo.minimizar_lbfgs
    with mock.patch.object(estilo, "time", reloj), mock.patch.object(optimizadores_estilo, "minimizar_lbfgs", minimizar):
        imagen, historial = estilo.transferir_estilo(contenido, pintura, red=args.red, lado_maximo=args.lado)
    # Lo de antes del reloj del curso y lo de después (cargar, construir, recortar) también cuenta.
    preparacion = time.perf_counter() - inicio - historial["segundos"][-1]
    preparacion_cpu = time.process_time() - inicio_cpu - (reloj.cpu[-1] - reloj.cpu[0])
    final = float(perdida(tf.constant(imagen[None] / 255.0))["total"])
    medidas = [(segundos + preparacion, cpu - reloj.cpu[0] + preparacion_cpu, evaluaciones)
               for segundos, cpu, evaluaciones in zip(historial["segundos"], reloj.cpu[1:], historial["evaluaciones"])]
    alcanzada = [medida for medida, total in zip(medidas, historial["total"]) if total <= objetivo]
    return (alcanzada[0] if alcanzada else None), medidas[-1], final, imagen


def medir_par(nombre, extractor, args):
    """Los brazos en un par; devuelve ``{brazo: (cociente de reloj, cociente de CPU) o None}`` y las imágenes."""
    cargar_foto, cargar_estilo = PARES[nombre]
    contenido = estilo.cargar_imagen(cargar_foto(), args.lado)
    pintura = estilo.cargar_imagen(cargar_estilo(), args.lado)
    perdida = estilo.crear_perdida(extractor, contenido, pintura)  # pesos por defecto del curso
    perdida_tutorial = perdida_del_tutorial(extractor, contenido, pintura)
    ruido = np.random.default_rng(0).uniform(0, 255, contenido.shape)
    for prueba in (contenido, ruido):  # la misma función: en dos imágenes, el mismo valor
        imagen = tf.constant(prueba[None] / 255.0, tf.float32)
        curso, tutorial = float(perdida(imagen)["total"]), float(perdida_tutorial(imagen))
        if abs(curso - tutorial) > 1e-5 * abs(curso):
            raise SystemExit(f"{nombre}: la pérdida del tutorial ({tutorial:.6g}) no es la del curso ({curso:.6g}).")

    imagen_tutorial, segundos_tutorial, cpu_tutorial = bucle_del_tutorial(perdida_tutorial, contenido, args.pasos)
    objetivo = float(perdida(tf.constant(imagen_tutorial))["total"])
    print(f"{nombre} ({contenido.shape[1]}×{contenido.shape[0]} px): tutorial {segundos_tutorial:.1f} s "
          f"({1000 * segundos_tutorial / args.pasos:.0f} ms por paso; {cpu_tutorial:.1f} s de CPU) → pérdida {objetivo:.4g}",
          flush=True)
    cocientes, imagenes = {}, {"tutorial": imagen_tutorial[0] * 255}
    for brazo in ("curso", "scipy")[: 1 if args.sin_scipy else 2]:
        alcanzada, (segundos, cpu, gradientes), final, imagenes[brazo] = medir_curso(
            perdida, contenido, pintura, objetivo, args, brazo)
        texto = (f"  {brazo:>5}: {segundos:.1f} s en total ({cpu:.1f} s de CPU; {gradientes} gradientes, "
                 f"{1000 * segundos / gradientes:.0f} ms por gradiente) → {final:.4g}")
        if alcanzada:
            cocientes[brazo] = (segundos_tutorial / alcanzada[0], cpu_tutorial / alcanzada[1])
            texto += (f"; la alcanza en {alcanzada[0]:.1f} s: {cocientes[brazo][0]:.2f}× en tiempo "
                      f"({cocientes[brazo][1]:.2f}× en CPU), {args.pasos / alcanzada[2]:.2f}× en gradientes "
                      f"({alcanzada[2]} frente a {args.pasos})")
        else:
            cocientes[brazo] = None
            texto += "; NO la alcanza"
        print(texto, flush=True)
    return cocientes, imagenes


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--pares", nargs="+", default=list(PARES), choices=list(PARES))
    argumentos.add_argument("--pasos", type=int, default=1000, help="pasos de Adam del tutorial")
    argumentos.add_argument("--lado", type=int, default=256, help="lado mayor de las imágenes, en píxeles")
    argumentos.add_argument("--red", default="auto", choices=["auto", "vgg19", "squeezenet"])
    argumentos.add_argument("--sin-scipy", action="store_true", help="no medir L-BFGS-B de SciPy")
    argumentos.add_argument("--sin-traza", action="store_true",
                            help="trazar antes el gradiente del curso (sin contarlo), para que ningún par pague la traza")
    argumentos.add_argument("--salida", default="resultados/velocidad_estilo")
    args = argumentos.parse_args()

    helpers.fijar_semilla(0)
    extractor = estilo.extractor_estilo(args.red)
    print(helpers.describir_dispositivo())
    print(f"Red: {extractor.red}; lado mayor {args.lado} px; contenido {extractor.capas_contenido}, "
          f"estilo {extractor.capas_estilo}")
    if args.sin_traza:
        inicio = time.perf_counter()
        pequena = estilo.cargar_imagen(skimage.data.chelsea(), 64)
        estilo.transferir_estilo(pequena, pequena[::-1], red=args.red, lado_maximo=64, iteraciones=2, calentamiento=0)
        print(f"Gradiente del curso trazado antes de medir, sin contarlo: {time.perf_counter() - inicio:.1f} s")

    por_brazo = {}
    for nombre in args.pares:
        cocientes, imagenes = medir_par(nombre, extractor, args)
        for brazo, cociente in cocientes.items():
            por_brazo.setdefault(brazo, []).append(cociente)
        for brazo, imagen in imagenes.items():
            estilo.guardar_imagen(imagen, os.path.join(args.salida, f"{nombre}_{brazo}.png"))

    for brazo, cocientes in por_brazo.items():
        alcanzados = [c for c in cocientes if c is not None]
        texto = f"{brazo}: alcanza la pérdida del tutorial en {len(alcanzados)} de {len(cocientes)} pares"
        for indice, medida in enumerate(("tiempo", "CPU")):
            if alcanzados:
                valores = [c[indice] for c in alcanzados]
                texto += (f"; cociente de {medida} tutorial/{brazo}: mediana {statistics.median(valores):.2f}× "
                          f"(de {min(valores):.2f}× a {max(valores):.2f}×)")
        print(texto + " (objetivo ≥ 5×)")
    print(f"Imágenes en {args.salida}/")


if __name__ == "__main__":
    main()
