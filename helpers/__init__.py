"""Curso GAN: ayudantes de los cuadernos (datos, modelos, entrenamiento, gráficos y métricas)."""

import atexit
import os
import signal
import sys


def _interrumpida_la_carga(numero, marco):
    # El aviso, al salir: mientras se importa TensorFlow la salida de error está tapada (sin_registro_de_c).
    atexit.register(print, "\nInterrumpido mientras se cargaba TensorFlow, antes de empezar la orden: no se ha "
                    "hecho nada.", file=sys.stderr)
    raise SystemExit(130)


# Con «python -m helpers», Python carga este paquete (y TensorFlow: unos segundos) antes de la orden, y un
# Ctrl-C ahí acabaría en una traza de TensorFlow; la orden vuelve a dejar el Ctrl-C normal al empezar. Si
# quien la lanzó ignora el Ctrl-C (p. ej. un script con «&»), se sigue ignorando.
if sys.argv[:1] == ["-m"] and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
    signal.signal(signal.SIGINT, _interrumpida_la_carga)

# Silencia el registro en C++ de TensorFlow (p. ej. «cuInit» sin GPU); los avisos de Python siguen visibles.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from .entorno import (  # noqa: E402
    sin_registro_de_c,
    activar_precision_mixta,
    carpeta_resultados,
    comprobar_backend,
    comprobar_version,
    describir_dispositivo,
    estrategia_por_defecto,
    en_colab,
    fijar_semilla,
    guardar_subida,
    limitar,
    modo_rapido,
    politica_precision,
)
from .textos import cifra  # noqa: E402
comprobar_backend()  # antes de importar Keras: con otro backend, un mensaje claro y nada más
with sin_registro_de_c():
    import tensorflow  # noqa: E402

    # Buscar GPU aquí: sin ella, CUDA avisa de un «cuInit» fallido que no interesa al estudiante.
    tensorflow.config.list_physical_devices("GPU")
comprobar_version("TensorFlow", tensorflow.__version__)
import keras  # noqa: E402

comprobar_version("Keras", keras.__version__)

from .callbacks import (  # noqa: E402
    HistorialPerdidas,
    MuestrasFijas,
    SeguimientoMetrica,
    crear_gif,
)
from .datos import a_dataset, imagenes_digitos, imagenes_lfw, imagenes_mnist, imagenes_rostros  # noqa: E402
from .ejemplo import carpeta_de_ejemplo  # noqa: E402
from .entrenamiento import entrenar  # noqa: E402
from .gan import GAN, RECETA_POCOS_DATOS, crear_gan  # noqa: E402
from .gan_basica import GANBasica, exactitud_discriminador, perdida_discriminador, perdida_generador  # noqa: E402
from .generador_guardado import cargar_generador, generar_imagenes  # noqa: E402
from .graficos import (  # noqa: E402
    con_coma_decimal,
    dibujar_curvas_metrica,
    dibujar_perdidas,
    guardar_cuadricula,
    interpolar_latente,
    mostrar_cuadricula,
    mostrar_interpolacion,
)
from .juguete import (  # noqa: E402
    MEDIAS_1D,
    Fotogramas,
    a_dataset_juguete,
    centros_anillo,
    crear_gan_juguete,
    dibujar_fotogramas,
    distancia_wasserstein_1d,
    epocas_juguete,
    modos_cubiertos,
    muestras_anillo_2d,
    muestras_mezcla_1d,
)
from .laboratorio import (  # noqa: E402
    comparar_recetas,
    dibujar_comparacion,
    mediana_final,
    mostrar_muestras_recetas,
    oscilacion_final,
)
from .modelos import (  # noqa: E402
    construir_discriminador,
    construir_discriminador_denso,
    construir_generador,
    construir_generador_denso,
)
from .progreso import LimiteDeTiempo  # noqa: E402
from .punto_de_control import PuntoDeControl  # noqa: E402
from .cargar_carpeta import cargar_imagenes, imagenes_carpeta  # noqa: E402
from .preparacion import mostrar_informe, preparar_imagenes, revisar_imagenes  # noqa: E402
from .tarea import SimularCorte, entrenar_carpeta, separar_reserva  # noqa: E402
