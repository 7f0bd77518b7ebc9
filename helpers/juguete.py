"""La GAN de juguete del cuaderno 01: datos de 1 y 2 dimensiones que se entrenan en segundos.

Con datos tan pequeños se puede *ver* el juego entero en un solo gráfico: la densidad real, la
densidad de las muestras del generador y la salida del discriminador D(x) sobre todo el eje.

- ``muestras_mezcla_1d`` y ``muestras_anillo_2d``: los datos reales (mezclas de gaussianas);
- ``crear_gan_juguete``: generador y discriminador densos dentro de la ``GAN`` del curso, compilada;
- ``Fotogramas``: callback que guarda una «foto» del juego antes de entrenar y cada ``cada`` épocas;
- ``dibujar_fotogramas``: la cuadrícula de fotos (curvas en 1-D, nubes de puntos en 2-D);
- ``modos_cubiertos`` y ``distancia_wasserstein_1d``: números para comprobar que el generador aprendió.
"""

import math

import keras
import numpy as np
import tensorflow as tf
from scipy import stats

from .entorno import limitar
from .gan import GAN, comprobar_opciones_gan, suavizado_por_defecto
from .gan_basica import optimizador_dcgan
from .graficos import con_coma_decimal, guardar_figura
from .modelos import construir_discriminador_denso, construir_generador_denso, exigir_ocultas
from .opciones import es_entero, es_real, exigir_enteros, exigir_semilla
from .textos import contar

MEDIAS_1D = (-2.0, 0.0, 2.0)
EPOCAS_RAPIDAS_JUGUETE = 60
# Con una tasa de aprendizaje demasiado alta los pesos explotan y el generador solo da NaN: medirlo o
# dibujarlo daría números sin sentido («0 modos») y avisos de numpy en inglés.
DIVERGIO = (
    "En {donde} hay valores NaN o infinitos: el entrenamiento divergió (las pérdidas se volvieron NaN). "
    "Crea la GAN de nuevo con tasas de aprendizaje menores (por defecto, crear_gan_juguete usa "
    "lr_generador=1e-3 y lr_discriminador=1e-3) y vuelve a entrenarla."
)


def muestras_mezcla_1d(n=6000, medias=MEDIAS_1D, desviacion=0.25, semilla=0):
    """``n`` muestras ``(n, 1)`` float32 de una mezcla de gaussianas de igual peso en la recta.

    Cada muestra elige una de las ``medias`` al azar y le suma ruido normal de ``desviacion``.
    """
    exigir_enteros(("n", n, 1))
    rng = np.random.default_rng(exigir_semilla(semilla, none_es_azar=True))
    centros = rng.choice(np.asarray(medias, np.float32), size=n)
    return (centros + desviacion * rng.standard_normal(n)).astype(np.float32)[:, None]


def centros_anillo(modos=8, radio=2.0):
    """Los ``modos`` centros ``(modos, 2)`` repartidos por igual en una circunferencia de ``radio``."""
    exigir_enteros(("modos", modos, 1))
    angulos = 2 * np.pi * np.arange(modos) / modos
    return (radio * np.stack([np.cos(angulos), np.sin(angulos)], axis=1)).astype(np.float32)


def muestras_anillo_2d(n=4000, modos=8, radio=2.0, desviacion=0.05, semilla=0):
    """``n`` muestras ``(n, 2)`` float32 de un anillo de ``modos`` gaussianas estrechas.

    Es el ejemplo clásico para ver el colapso de modos: un generador que «se conforma» produce
    solo algunos de los grupos (Metz et al., 2017).
    """
    exigir_enteros(("n", n, 1))
    rng = np.random.default_rng(exigir_semilla(semilla, none_es_azar=True))
    centros = centros_anillo(modos, radio)[rng.integers(modos, size=n)]
    return (centros + desviacion * rng.standard_normal((n, 2))).astype(np.float32)


def a_dataset_juguete(muestras, lote=128, semilla=0):
    """``tf.data.Dataset`` de lotes de ``muestras``, barajado de nuevo en cada época."""
    if not es_entero(lote, 1):
        raise ValueError(f"lote={lote!r} no es válido: debe ser un entero positivo (muestras por paso; p. ej. 128).")
    semilla = exigir_semilla(semilla)
    try:
        datos = np.asarray(muestras, np.float32)
        llego = f"una matriz de forma {datos.shape}" if datos.ndim else f"un objeto de tipo {type(muestras).__name__}"
    except (TypeError, ValueError):  # p. ej. texto, o el Dataset que devuelve esta misma función
        datos, llego = np.empty(0), f"un objeto de tipo {type(muestras).__name__}"
    if datos.ndim not in (1, 2) or not datos.size:  # si no, TensorFlow fallaría en inglés
        raise ValueError(f"a_dataset_juguete recibe las muestras, una matriz (n, dim) con al menos una, y le llegó {llego}: "
                         "p. ej. a_dataset_juguete(helpers.muestras_mezcla_1d(6000)).")
    if malos := int(datos.size - np.isfinite(datos).sum()):  # si no, la GAN entrenaría hasta dar pérdidas NaN
        raise ValueError(f"Las muestras tienen {contar(malos, 'valor NaN o infinito', 'valores NaN o infinitos')}: "
                         "quítalos antes de crear los datos; con ellos la GAN solo aprendería a dar NaN.")
    return tf.data.Dataset.from_tensor_slices(datos).shuffle(len(datos), seed=semilla).batch(lote)


def crear_gan_juguete(
    dim_datos=1,
    dim_latente=8,
    ocultas=(64, 64),
    lr_generador=1e-3,
    lr_discriminador=1e-3,
    suavizado_etiquetas=None,
    semilla=0,
    **opciones,
):
    """GAN compilada para datos vectoriales de ``dim_datos`` (1 o 2) dimensiones.

    Generador ``(dim_latente,)`` → ``(dim_datos,)`` y discriminador ``(dim_datos,)`` → logit, ambos
    densos (``helpers.modelos``). Adam con β1 = 0,5; con redes tan pequeñas una tasa de aprendizaje
    de 1e-3 converge antes que los 2e-4 habituales en imágenes. El suavizado unilateral de etiquetas,
    por defecto (``None``), vale 0,1 con la pérdida no saturante, como en ``crear_gan``, y 0 con las
    demás, que no lo admiten. ``opciones`` pasa otros estabilizadores a ``GAN`` (p. ej.
    ``perdida='wasserstein', penalizacion_gradiente=10``).
    """
    comprobar_opciones_gan(crear_gan_juguete, opciones)
    if not es_entero(dim_datos, 1):
        raise ValueError(f"dim_datos={dim_datos!r} no es válido: debe ser un entero positivo (1 para la mezcla de la "
                         "recta, 2 para el anillo).")
    if not es_entero(dim_latente, 1):
        raise ValueError(f"dim_latente={dim_latente!r} no es válido: debe ser un entero positivo (el tamaño del "
                         "vector latente; p. ej. 8).")
    ocultas = exigir_ocultas(ocultas)
    if opciones.get("aumento"):
        raise ValueError("aumento traslada, recorta y cambia el color de imágenes; la GAN de juguete aprende puntos "
                         "de la recta o del plano: quita esa opción.")
    semilla = exigir_semilla(semilla)
    if suavizado_etiquetas is None:
        suavizado_etiquetas = suavizado_por_defecto(opciones.get("perdida", "no_saturante"))
    keras.utils.set_random_seed(semilla)
    gan = GAN(
        construir_generador_denso(dim_latente, dim_datos, ocultas),
        construir_discriminador_denso(dim_datos, ocultas),
        suavizado_etiquetas=suavizado_etiquetas,
        semilla=semilla,
        **opciones,
    )
    gan.compile(
        opt_generador=optimizador_dcgan(lr_generador, 0.5, "lr_generador"),
        opt_discriminador=optimizador_dcgan(lr_discriminador, 0.5, "lr_discriminador"),
    )
    gan.consejo_si_nan = ("Prueba tasas de aprendizaje menores: crear_gan_juguete(..., lr_generador=2e-4, "
                          "lr_discriminador=2e-4) y entrena de nuevo.")  # el que da fit si las pérdidas se vuelven NaN
    return gan


def epocas_juguete(epocas):
    """Las ``epocas`` pedidas, o como mucho ``EPOCAS_RAPIDAS_JUGUETE`` en modo rápido."""
    exigir_enteros(("epocas", epocas, 1))
    return limitar(epocas, EPOCAS_RAPIDAS_JUGUETE, "épocas")


class Fotogramas(keras.callbacks.Callback):
    """Guarda una foto del juego antes de entrenar y cada ``cada`` épocas.

    Cada foto es un diccionario con ``epoca``, ``muestras`` (``n`` salidas del generador para los
    *mismos* vectores latentes, ``(n, dim)``), ``rejilla`` (puntos ``x`` en los que se evalúa el
    discriminador) y ``d`` (la probabilidad D(x) = sigmoide(logit) en esos puntos).

    Si la misma GAN vuelve a entrenar con este callback, las fotos se añaden y las épocas siguen
    contando (6, 12, 18…). Con otra GAN empieza una película nueva: ``fotos`` pasa a ser otra lista y
    la anterior queda intacta para quien la guardó (``fotos_1 = fotogramas.fotos``).
    """

    def __init__(self, limites=(-4.0, 4.0), cada=1, n=2000, puntos=200, semilla=1234):
        if not es_entero(cada, 1):
            raise ValueError(f"cada={cada!r} debe ser un número entero de épocas, 1 o más (cada=6: una foto cada 6 épocas).")
        _comprobar_limites(limites)
        # Si no, el error llegaría en inglés y a mitad de fit (la primera foto se toma al empezar a entrenar).
        exigir_enteros(("n", n, 1), ("puntos", puntos, 2))
        super().__init__()
        self.limites = limites
        self.cada = cada
        self.n = n
        self.puntos = puntos
        self.semilla = exigir_semilla(semilla, none_es_azar=True)  # None: otros puntos cada vez
        self.fotos = []
        self.gan = None  # la GAN de la película en curso
        self.epocas = 0  # las que lleva entrenadas esa GAN con este callback

    def on_train_begin(self, logs=None):
        gan = self.model
        forma = gan.discriminador.input_shape  # (None, dim_datos) en la de juguete; una lista si hay varias entradas
        if isinstance(forma, list) or len(forma) != 2:  # p. ej. imágenes: Keras fallaría en inglés con la rejilla
            forma = tuple((forma[0] if isinstance(forma, list) else forma)[1:])
            raise ValueError(
                f"Fotogramas es para la GAN de juguete (crear_gan_juguete), de puntos de 1 o 2 dimensiones, y esta GAN "
                f"recibe datos de forma {forma}: para ver cómo evolucionan sus imágenes, entrénala con helpers.entrenar "
                "(guarda una cuadrícula de muestras por época) o usa helpers.MuestrasFijas(carpeta)."
            )
        if gan is not self.gan:  # otra GAN: sus fotos no se mezclan con las de la anterior
            self.gan, self.fotos, self.epocas = gan, [], 0
        self.ruido = np.random.default_rng(self.semilla).normal(size=(self.n, gan.dim_latente)).astype(np.float32)
        eje = np.linspace(*self.limites, self.puntos, dtype=np.float32)
        dim = gan.discriminador.input_shape[-1]
        if dim not in (1, 2):
            raise ValueError(
                f"Fotogramas solo dibuja datos de 1 o 2 dimensiones, y esta GAN tiene dim_datos={dim}: "
                "entrénala sin Fotogramas o usa dim_datos=1 o 2 en crear_gan_juguete."
            )
        # En 2-D la rejilla es el producto cartesiano del eje consigo mismo (puntos² posiciones).
        self.rejilla = eje[:, None] if dim == 1 else np.stack(np.meshgrid(eje, eje), -1).reshape(-1, 2)
        if not self.fotos:
            if pasos := int(gan.opt_generador.iterations.numpy()):
                print(f"Esta GAN ya se entrenó ({contar(pasos, 'paso', 'pasos')}): la película empieza desde esos pesos, "
                      "no desde el azar. Para verla desde el principio, vuelve a ejecutar la celda que crea la GAN.")
            self._fotografiar(0)

    def on_epoch_end(self, epoca, logs=None):
        # Contadas aquí y no con ``epoca``, que vuelve a 0 en cada fit: al seguir entrenando la misma
        # GAN, las fotos continúan la numeración en lugar de repetir «época 6».
        self.epocas += 1
        if self.epocas % self.cada == 0:
            self._fotografiar(self.epocas)

    def _fotografiar(self, epoca):
        gan = self.model
        muestras = gan.generador(self.ruido, training=False)
        logits = gan.discriminador(self.rejilla, training=False)
        self.fotos.append(
            {
                "epoca": epoca,
                "muestras": np.asarray(muestras),
                "rejilla": self.rejilla,
                "d": np.asarray(keras.ops.sigmoid(logits))[:, 0],
            }
        )


def dibujar_fotogramas(fotos, reales, columnas=4, limites=(-4.0, 4.0), ruta=None):
    """Cuadrícula con una foto por eje; devuelve la figura (y la guarda en ``ruta`` si se da).

    ``fotos``: la lista ``fotos`` de un ``Fotogramas`` (o el callback mismo); ``reales``: los datos con
    que se entrenó, ``(n, dim)`` (en 1-D vale también ``(n,)``).

    - 1-D: densidad real (gris), densidad generada (azul) y D(x) (rojo), todo en el mismo eje;
    - 2-D: puntos reales (gris), puntos generados (azul) y el mapa de D(x) de fondo.

    Si una foto tiene NaN (el entrenamiento divergió), lanza ``FloatingPointError`` y no dibuja nada.
    """
    import matplotlib.pyplot as plt

    fotos, reales = _fotos_y_reales(fotos, reales)
    _comprobar_limites(limites)
    if not es_entero(columnas, 1):
        raise ValueError(f"columnas={columnas!r} no es válido: debe ser un entero positivo (fotos por fila; p. ej. 4).")
    for foto in fotos:
        _comprobar_finitas(np.append(foto["muestras"], foto["d"]), f"la foto de la época {foto['epoca']}")
    filas = math.ceil(len(fotos) / columnas)
    es_1d = reales.shape[-1] == 1
    ancho = 3.2 if es_1d else 2.6  # en 2-D los ejes son cuadrados
    figura, ejes = plt.subplots(filas, columnas, figsize=(ancho * columnas, 2.6 * filas), squeeze=False)
    dibujar = _foto_1d if es_1d else _foto_2d
    for eje, foto in zip(ejes.flat, fotos):
        dibujar(eje, foto, reales, limites)
        eje.set_title(f"época {foto['epoca']}", fontsize=10)
    for eje in ejes.flat[len(fotos) :]:
        eje.axis("off")
    manejadores, etiquetas = ejes.flat[0].get_legend_handles_labels()
    # En 2-D los puntos miden 2 pt: en la leyenda, más grandes, para que se vea su color.
    figura.legend(manejadores, etiquetas, loc="lower center", ncol=3, frameon=False, markerscale=1 if es_1d else 4)
    con_coma_decimal(figura).tight_layout(rect=(0, 0.06 if filas > 1 else 0.1, 1, 1))
    if ruta:
        guardar_figura(figura, ruta)
    return figura


def _comprobar_limites(limites):
    """``ValueError`` en español si ``limites`` no son dos números finitos, el menor primero."""
    try:
        bajo, alto = (float(v) for v in limites)
    except (TypeError, ValueError):
        bajo = alto = math.nan
    if not (math.isfinite(bajo) and math.isfinite(alto) and bajo < alto):
        raise ValueError(f"limites={limites!r} no es válido: usa dos números, el menor primero, p. ej. limites=(-4, 4).")


def _fotos_y_reales(fotos, reales):
    """``(fotos, reales)`` listos para dibujar, o ``ValueError`` en español que dice qué argumento falla y
    cómo pasarlo (sin esto, los errores llegaban de numpy o matplotlib y en inglés)."""
    if isinstance(fotos, Fotogramas):
        fotos = fotos.fotos
    claves = {"epoca", "muestras", "rejilla", "d"}
    if not isinstance(fotos, (list, tuple)) or not all(isinstance(f, dict) and claves <= f.keys() for f in fotos):
        raise ValueError(
            "dibujar_fotogramas recibe primero las fotos de un Fotogramas (una lista de diccionarios con epoca, "
            f"muestras, rejilla y d) y le llegó un objeto de tipo {type(fotos).__name__}: pásaselas en este orden, "
            "dibujar_fotogramas(fotogramas.fotos, reales)."
        )
    if not fotos:
        raise ValueError("No hay fotos que dibujar: entrena antes la GAN con fit(..., callbacks=[fotogramas]).")
    dim = np.shape(fotos[0]["muestras"])[-1]
    try:
        reales = np.asarray(reales, np.float32)
        llego = f"una matriz de forma {reales.shape}"
    except (TypeError, ValueError):  # p. ej. el tf.data.Dataset de entrenar en lugar de la matriz
        reales, llego = np.empty(0), f"un objeto de tipo {type(reales).__name__}"
    if reales.ndim == 1 and dim == 1:  # reales[:, 0]: una muestra por número, sin ambigüedad en 1-D
        reales = reales[:, None]
    if reales.ndim != 2 or reales.shape[-1] != dim or not len(reales):
        raise ValueError(
            f"Las fotos son de datos de {contar(dim, 'dimensión', 'dimensiones')} y como reales llegó {llego}: "
            f"pasa la matriz (n, {dim}) de los datos con los que entrenaste la GAN (la de muestras_mezcla_1d o "
            "muestras_anillo_2d, no su Dataset)."
        )
    return fotos, reales


def _foto_1d(eje, foto, reales, limites):
    bordes = np.linspace(*limites, 81)
    eje.hist(reales[:, 0], bordes, density=True, color="0.75", label="datos reales")
    generadas = foto["muestras"][:, 0]
    eje.hist(generadas, bordes, density=True, histtype="step", lw=1.8, color="tab:blue", label="generador")
    eje.plot(foto["rejilla"][:, 0], foto["d"], color="tab:red", lw=1.8, label="D(x)")
    eje.axhline(0.5, color="tab:red", lw=0.8, ls=":")
    eje.set_xlim(*limites)
    eje.set_ylim(0, 1.05)


def _foto_2d(eje, foto, reales, limites):
    lado = int(round(math.sqrt(len(foto["d"]))))
    mapa_d = foto["d"].reshape(lado, lado)  # fila = y, columna = x, como la rejilla de meshgrid
    # Donde se evaluó D (los límites del Fotogramas), aunque el dibujo muestre otra ventana.
    (x0, y0), (x1, y1) = foto["rejilla"].min(axis=0), foto["rejilla"].max(axis=0)
    eje.imshow(mapa_d, extent=(x0, x1, y0, y1), origin="lower", cmap="RdBu_r", vmin=0, vmax=1, alpha=0.35)
    # Con 1000 puntos de cada nube basta para ver los modos y el dibujo no se satura.
    eje.scatter(reales[:1000, 0], reales[:1000, 1], s=2, color="0.4", label="datos reales")
    eje.scatter(foto["muestras"][:1000, 0], foto["muestras"][:1000, 1], s=2, color="tab:blue", label="generador")
    eje.set_xlim(*limites)
    eje.set_ylim(*limites)
    eje.set_aspect("equal")
    eje.set_xticks([])
    eje.set_yticks([])


def modos_cubiertos(muestras, centros, radio, minimo=0.02):
    """Cuántos ``centros`` reciben al menos una fracción ``minimo`` de las ``muestras``.

    Una muestra cae en un modo si está a menos de ``radio`` de su centro. Devuelve
    ``(modos_cubiertos, fraccion_cerca)``: la segunda es la fracción de muestras que caen cerca de
    algún modo (calidad); la primera mide la diversidad (lo contrario del colapso de modos).
    Con muestras NaN (el entrenamiento divergió) lanza ``FloatingPointError``.
    """
    muestras = _comprobar_finitas(_puntos("muestras", muestras, "las del generador, gan.generador(ruido): la red aplicada al "
                                                                "ruido, no la red"))
    centros = _puntos("centros", centros, "centros_anillo() para el anillo 2-D, np.array(MEDIAS_1D)[:, None] para la "
                                          "mezcla 1-D")
    if not es_real(radio, mayor_que=0):
        raise ValueError(f"radio={radio!r} no es válido: es la distancia al centro que cuenta como «cerca», un número "
                         "positivo (p. ej. 0.25 en el anillo 2-D, 0.5 en la mezcla 1-D).")
    if not es_real(minimo, 0, 1):
        raise ValueError(f"minimo={minimo!r} no es válido: es una fracción de las muestras, de 0 a 1 (p. ej. 0.02 para "
                         "el 2 %).")
    if muestras.shape[1] != centros.shape[1]:
        raise ValueError(f"Las muestras tienen {contar(muestras.shape[1], 'dimensión', 'dimensiones')} y los centros "
                         f"{centros.shape[1]}: usa los centros de los mismos datos (centros_anillo para el anillo 2-D, "
                         "np.array(MEDIAS_1D)[:, None] para la mezcla 1-D).")
    distancias = np.linalg.norm(muestras[:, None, :] - centros[None, :, :], axis=-1)
    cerca = distancias.min(axis=1) < radio
    modo = distancias.argmin(axis=1)[cerca]
    conteos = np.bincount(modo, minlength=len(centros))
    return int(np.sum(conteos >= minimo * len(muestras))), float(cerca.mean())


def _puntos(nombre, valor, ejemplo):
    """``valor`` como matriz float32 ``(n, dimensiones)`` (``(n,)`` vale: una dimensión), o ``ValueError`` en
    español que nombra ``nombre`` si no son puntos o no hay ninguno."""
    try:
        puntos = np.asarray(valor, np.float32)
    except (TypeError, ValueError):  # p. ej. la red o la GAN en lugar de sus muestras: NumPy lo diría en inglés
        puntos = None
    if puntos is None or puntos.ndim == 0 or not len(puntos):
        recibido = f"una matriz de forma {puntos.shape}" if puntos is not None and puntos.ndim else type(valor).__name__
        raise ValueError(f"{nombre} debe ser una matriz de puntos (n, dimensiones), al menos uno, y recibió {recibido}: "
                         f"usa {ejemplo}.")
    return puntos.reshape(len(puntos), -1)


def distancia_wasserstein_1d(muestras_a, muestras_b):
    """Distancia de Wasserstein-1 («del transportista de tierra») entre dos muestras de la recta.

    Es el trabajo mínimo para mover un histograma hasta el otro: 0 si las distribuciones coinciden.
    Con muestras NaN (el entrenamiento divergió) lanza ``FloatingPointError``.
    """
    for m in (muestras_a, muestras_b):
        if np.ndim(m) > 1 and np.shape(m)[-1] != 1:  # aplanar puntos de 2-D mezclaría sus coordenadas
            raise ValueError(f"distancia_wasserstein_1d mide muestras de la recta, (n,) o (n, 1), y le llegó una de forma "
                             f"{np.shape(m)}: en 2-D usa modos_cubiertos.")
    muestras_a, muestras_b = (_comprobar_finitas(np.ravel(m)) for m in (muestras_a, muestras_b))
    return float(stats.wasserstein_distance(muestras_a, muestras_b))


def _comprobar_finitas(muestras, donde="las muestras"):
    """Devuelve ``muestras`` tal cual, o lanza ``FloatingPointError`` si alguna no es finita (``DIVERGIO``)."""
    if not np.all(np.isfinite(muestras)):
        raise FloatingPointError(DIVERGIO.format(donde=donde))
    return muestras
