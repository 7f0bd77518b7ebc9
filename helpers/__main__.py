"""Línea de órdenes del curso: ``python -m helpers ORDEN``.

- ``demo``: entrena la DCGAN con los dígitos incluidos (sin descargas) y deja en ``resultados/demo``
  una cuadrícula de muestras, el GIF de la evolución y la curva de pérdidas;
- ``preparar``, ``entrenar`` y ``generar``: la tarea «reentrena la GAN con tus propias imágenes» sin
  cuaderno, con las mismas funciones que el cuaderno 06 (``helpers.preparacion``, ``helpers.tarea`` y
  ``helpers.generador_guardado``);
- ``entregar`` y ``revisar``: el estudiante empaqueta su entrega en un .zip y el docente revisa la
  carpeta con las de toda la clase (``helpers.entrega`` y ``helpers.revision``);
- ``apuntar``: hace que las insignias, las celdas de preparación y los enlaces apunten a otra copia del
  curso en GitHub (``helpers.repositorio``).

Los errores de uso se escriben como ``error: …`` y terminan con código 2 (argumentos) o 1 (archivos
o datos); un Ctrl-C, con 130 y sin traza de Python. Un ``kill`` o cerrar la terminal (SIGTERM,
SIGHUP) se tratan como un Ctrl-C: ``entrenar`` guarda su punto de control y dice cómo continuar.
"""

import argparse
import os
import re
import signal
import sys
import threading
import time
import warnings
from pathlib import Path

import helpers

from . import _interrumpida_la_carga
from .archivos import primera_libre
from .callbacks import cuadros_guardados
from .entrega import entregar as entregar_resultados
from .encuadre import RECORTES
from .errores import buscada_en, explicar_y_aconsejar
from .formato_entrega import GENERADORES
from .memorizacion import lectura_memorizacion
from .metricas import evaluar_digitos
from .nombre_y_reflexion import ZIP_POR_DEFECTO
from .opciones import exigir_ruta
from .preparacion import preparar_imagenes
from .punto_de_control import ARCHIVO_ESTADO, epoca_guardada
from .repositorio import RAMA, apuntar as apuntar_repositorio, como_publicar
from .revision import revisar as revisar_entregas
from .entorno import carpeta_resultados
from .generador_guardado import generar_imagenes
from .opciones_tarea import TAMANOS_TAREA, motivo_invalido
from .reanudacion import contenido_visible, orden_continuar
from .registro_tarea import ARCHIVO_REGISTRO
from .tarea import MIN_IMAGENES, entrenar_carpeta
from .textos import cifra, citar_para_terminal, contar


class _Formato(argparse.HelpFormatter):
    """Ayuda de argparse con «uso:» y los títulos de sección en español."""

    TITULOS = {"positional arguments": "argumentos", "options": "opciones"}

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)

    def start_section(self, heading):
        super().start_section(self.TITULOS.get(heading, heading))


# Los errores de argparse que puede ver un estudiante, en español (lo demás queda tal cual).
_ERRORES = (
    (r"^argument (\S+): ", r"argumento \1: "),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"opción no válida: \1 (elige entre \2)"),
    (r"invalid \S+ value: ", "valor no válido: "),
    (r"^the following arguments are required: ", "faltan argumentos obligatorios: "),
    (r"expected one argument", "falta su valor"),
    (r"^ambiguous option: (\S+) could match ", r"opción ambigua: \1 puede ser "),
    # --continuar=si («argumento --continuar», ya traducido arriba: la opción se escribe sola)
    (r"^argumento (\S+): ignored explicit argument (['\"])(.*)\2$", r"argumento \1: no lleva valor: escribe \1 sin «=\3»"),
)

_UNA_RUTA = 'si es parte de una ruta con espacios, escribe la ruta entre comillas (p. ej. "mis fotos")'
_UNA_CARPETA = ("revisar recibe una sola carpeta, la que tiene los .zip: escribe solo la carpeta (p. ej. «python -m helpers "
                "revisar entregas», no «entregas/*.zip»), entre comillas si su nombre tiene espacios")
_SUS_ARCHIVOS = ("{orden} recibe la carpeta, no sus archivos: escribe solo la carpeta (p. ej. «fotos», no «fotos/*.jpg»), "
                 "entre comillas si su nombre tiene espacios")


class _Analizador(argparse.ArgumentParser):
    """``ArgumentParser`` en español: uso, ayuda (``-h``) y errores (``… error: …`` y código 2).

    Las subórdenes usan la misma clase (``add_subparsers`` crea los analizadores con ``type(self)``).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formato)
        super().__init__(*args, add_help=False, **kwargs)
        self.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")

    def parse_args(self, args=None, namespace=None):
        """El de argparse, pero lo que sobra sin «-» delante dice qué hacer: suele ser una ruta con espacios sin
        comillas, o «entregas/*.zip», que el intérprete de órdenes convierte en un argumento por zip."""
        leidos, sobrantes = self.parse_known_args(args, namespace)
        if sobrantes:
            mensaje = f"argumentos no reconocidos: {' '.join(sobrantes)}"
            if not any(sobrante.startswith("-") for sobrante in sobrantes):
                mensaje += ": " + _que_sobra(getattr(leidos, "orden", None), sobrantes)
            self.error(mensaje)
        return leidos

    def error(self, message):
        for patron, traduccion in _ERRORES:
            message = re.sub(patron, traduccion, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def _que_sobra(orden, sobrantes):
    """Qué hacer con los argumentos ``sobrantes`` (sin «-») de ``orden``: si todos existen, el intérprete de órdenes
    ha convertido «fotos/*.jpg» en un argumento por archivo; si no, suelen ser el resto de una ruta con espacios."""
    if orden == "revisar":
        return _UNA_CARPETA
    return _SUS_ARCHIVOS.format(orden=orden) if all(Path(sobrante).exists() for sobrante in sobrantes) else _UNA_RUTA


def _opcion(nombre, tipo=int):
    """Tipo de argparse para la opción ``nombre`` de la tarea: convierte el texto (``tipo`` ``int`` o
    ``float``, con coma o punto decimal) y aplica los límites de ``opciones_tarea.motivo_invalido``."""

    def convertir(texto):
        try:
            valor = tipo(texto.replace(",", ".")) if tipo is float else tipo(texto)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{texto!r} no es un número{' entero' if tipo is int else ''}") from None
        if motivo := motivo_invalido(nombre, valor):
            raise argparse.ArgumentTypeError(f"{motivo}, no {texto}")
        return valor

    return convertir


def _ruta(texto):
    """Una ruta escrita en la terminal; «» sería la carpeta actual sin que nadie la haya pedido."""
    if not texto.strip():
        raise argparse.ArgumentTypeError("está vacía: escribe la ruta")
    return texto


def _existente(texto):
    """Una ruta que existe, leída como en Python (``exigir_ruta``): «~» se expande aquí, porque entre comillas
    («"~/mis fotos"») o en Windows el intérprete de órdenes no lo hace."""
    ruta = exigir_ruta("ruta", _ruta(texto), "")  # también con las tildes en la otra forma de Unicode (macOS)
    if not ruta.exists():
        raise argparse.ArgumentTypeError(f"no encuentro «{texto}»: comprueba la ruta{buscada_en(ruta)}")
    return str(ruta)


def _analizador():
    analizador = _Analizador(
        prog="python -m helpers",
        description="Curso GAN: entrenar y probar redes generativas adversarias desde la terminal.",
    )
    ordenes = analizador.add_subparsers(dest="orden", required=True, metavar="ORDEN")
    demo = ordenes.add_parser(
        "demo",
        help="entrena la DCGAN con los dígitos incluidos (unos 3 minutos en CPU)",
        description="Entrena la DCGAN de dígitos 16×16 (sin descargas) y guarda muestras, GIF y pérdidas.",
    )
    demo.add_argument("--epocas", type=_opcion("epocas"), default=100, help="épocas de entrenamiento (por defecto: %(default)s)")
    demo.add_argument("--salida", type=_ruta, default=str(carpeta_resultados("demo")), help="carpeta de resultados (por defecto: %(default)s)")
    demo.add_argument("--semilla", type=_opcion("semilla"), default=0, help="semilla para repetir el resultado (por defecto: 0)")
    demo.add_argument("--desde-cero", action="store_true", help="ignora un punto de control anterior en --salida")

    preparar = ordenes.add_parser(
        "preparar",
        help="revisa tus imágenes y las deja cuadradas y del mismo tamaño en una carpeta nueva",
        description="Revisa una carpeta o un .zip de imágenes (tus originales no se tocan) y guarda copias "
        "cuadradas en PNG en una carpeta nueva dentro de --salida (si una preparación anterior ya tiene "
        "exactamente las mismas, usa esa). Dice qué archivos descarta y por qué.",
    )
    preparar.add_argument("origen", metavar="CARPETA_O_ZIP", type=_existente, help="carpeta o .zip con tus imágenes")
    preparar.add_argument("--salida", type=_ruta, default=str(carpeta_resultados()), help="dónde crear la carpeta preparada (por defecto: %(default)s)")
    preparar.add_argument("--tamano", type=int, choices=TAMANOS_TAREA, default=64, help="lado en píxeles (por defecto: %(default)s)")
    preparar.add_argument("--rostros", action="store_true", help="recorta el rostro más grande; descarta las fotos sin rostro")
    preparar.add_argument("--sin-duplicados", action="store_true", help="descarta las copias exactas y las fotos casi iguales")
    preparar.add_argument("--maximo", type=_opcion("maximo"), metavar="N", help="como mucho N imágenes, elegidas al "
                          "azar (siempre las mismas): para una colección que no cabe en memoria al entrenar")
    preparar.add_argument("--recorte", choices=RECORTES, default="centro",
                          help="centro: el cuadrado central; relleno: la imagen entera con bandas blancas, o negras en un dibujo "
                               "claro sobre transparencia (por defecto: %(default)s)")

    entrenar = ordenes.add_parser(
        "entrenar",
        help="entrena la GAN con tus imágenes (receta para pocos datos), reanudable",
        description="Entrena la receta del curso para pocos datos con una carpeta de imágenes. Aparta un 15 % "
        "(como mucho 200 imágenes) para medir la calidad (SWD; medir se lleva como mucho un 5 % del tiempo), guarda muestras, GIF y un "
        "punto de control (como mucho uno por minuto) y, al final, generador.keras (el final) y mejor_generador.keras (el "
        "recomendado): vuelve a medir (SWD y KID) el final y el de menor SWD durante el entrenamiento, "
        "y recomienda este solo si su SWD es menor y su KID es menor en más de dos veces el ruido de la KID; si no, "
        "mejor_generador.keras es una copia del final. Dice cuál recomienda y por qué, y lo anota en tarea.json. "
        "Si lo interrumpes (Ctrl-C), --continuar sigue desde la última época guardada (solo se pierden la época a "
        "medias y el segundo anterior).",
    )
    entrenar.add_argument("carpeta", metavar="CARPETA", type=_existente, help="carpeta o .zip con tus imágenes preparadas")
    entrenar.add_argument("--tamano", type=int, choices=TAMANOS_TAREA, default=64, help="lado en píxeles (por defecto: %(default)s)")
    entrenar.add_argument("--epocas", type=_opcion("epocas"), default=100, help="épocas en total (por defecto: %(default)s)")
    entrenar.add_argument("--salida", type=_ruta, default=str(carpeta_resultados("mi_gan")), help="carpeta de resultados (por defecto: %(default)s)")
    entrenar.add_argument("--minutos", type=_opcion("minutos", float), help="para al terminar la época que pase de estos minutos")
    entrenar.add_argument("--continuar", action="store_true", help="sigue el entrenamiento guardado en --salida")
    entrenar.add_argument("--semilla", type=_opcion("semilla"), default=0, help="semilla para repetir el resultado (por defecto: %(default)s)")
    entrenar.add_argument("--lote", type=_opcion("lote"), default=32, help="imágenes por lote (por defecto: %(default)s)")
    entrenar.add_argument("--una-gpu", action="store_true", help="con varias GPU visibles, usa solo una (por defecto las usa todas)")

    generar = ordenes.add_parser(
        "generar",
        help="dibuja imágenes nuevas con un generador guardado",
        description="Carga un generador .keras (sin ejecutar código del archivo) y guarda una cuadrícula de "
        "muestras y, si quieres, tiras de interpolación en el espacio latente.",
    )
    generar.add_argument("--modelo", type=_ruta, required=True, help="generador guardado (resultados/mi_gan/generador.keras)")
    generar.add_argument("--n", type=_opcion("n"), default=64, help="número de muestras (por defecto: %(default)s)")
    generar.add_argument("--salida", type=_ruta, default=str(carpeta_resultados("generadas")), help="carpeta de las imágenes (por defecto: %(default)s)")
    generar.add_argument("--semilla", type=_opcion("semilla"), default=0, help="otra semilla da otras muestras (por defecto: %(default)s)")
    generar.add_argument("--interpolacion", action="store_true", help="guarda también interpolacion.png")

    entregar = ordenes.add_parser(
        "entregar",
        help="empaqueta tu entrega (generador, muestras, curvas, medidas, informe) en un .zip",
        description="Empaqueta la carpeta de resultados de «entrenar» en un .zip con el generador elegido, su "
        "cuadrícula, el GIF, las curvas, tus imágenes de entrenamiento y reserva (para que se puedan volver a "
        "medir), un manifiesto y un informe HTML de una página con SWD, KID y memorización.",
    )
    entregar.add_argument("resultados", metavar="RESULTADOS", type=_existente, help="carpeta de salida de «entrenar»")
    entregar.add_argument("--salida", type=_ruta, default=str(carpeta_resultados(ZIP_POR_DEFECTO)), help="zip que se crea (por defecto: %(default)s)")
    entregar.add_argument("--nombre", help="tu nombre, tal como lo verá el docente (por defecto: el del zip)")
    entregar.add_argument("--reflexion", type=_existente, help="texto con tu reflexión (Markdown o texto, UTF-8)")
    entregar.add_argument("--sin-imagenes", action="store_true", help="no incluye tus imágenes (no se podrán re-medir)")
    entregar.add_argument("--generador", choices=GENERADORES, default=GENERADORES[0],
                          help="el generador que entregas (por defecto: %(default)s, el de la última época; "
                          "mejor_generador.keras es el que recomendó «entrenar»)")

    revisar = ordenes.add_parser(
        "revisar",
        help="revisa las entregas de la clase y escribe un informe HTML y una hoja de cálculo",
        description="Lee cada .zip de «entregar» de la carpeta sin fiarse de él (no ejecuta nada), regenera las "
        "muestras, vuelve a medir SWD, KID y memorización, compara los generadores entre sí y escribe un "
        "informe HTML con miniaturas y una tabla ordenable y, con lo mismo, una hoja de cálculo (.xlsx) para el "
        "libro de notas y un CSV para programas.",
    )
    revisar.add_argument("carpeta", metavar="CARPETA_DE_ENTREGAS", type=_existente, help="carpeta con los .zip")
    revisar.add_argument("--salida", type=_ruta, default=str(carpeta_resultados("informe_clase.html")),
                         help="informe que se crea (por defecto: %(default)s; la hoja .xlsx y el CSV, al lado)")

    apuntar = ordenes.add_parser(
        "apuntar",
        help="hace que insignias, celdas de preparación y enlaces apunten a tu copia del curso en GitHub",
        description="Reescribe el repositorio y la rama del curso (helpers/repositorio.py) y, a partir de "
        "ellos, las insignias de Colab, la celda de preparación de cada cuaderno y los enlaces del README, "
        "las lecciones y los cuadernos. Ejecútala en la carpeta raíz del curso; luego haz commit y push.",
    )
    apuntar.add_argument("repositorio", metavar="DUEÑO/NOMBRE", help="tu repositorio en GitHub, p. ej. TU_USUARIO/curso-gan")
    apuntar.add_argument("--rama", default=RAMA, help="rama o etiqueta que instalarán los cuadernos (por defecto: %(default)s)")
    return analizador


def _fallar(mensaje):
    print(f"error: {mensaje}", file=sys.stderr)
    raise SystemExit(1)


def _explicar(error):
    """El texto de ``error`` para el usuario. Los del kit ya vienen en español; los del sistema
    operativo (los que traen ``errno``) se cuentan en español, con el archivo que fallaba."""
    return explicar_y_aconsejar(error, "vuelve a intentarlo") or str(error)


# Lo que escribe la demo en su carpeta (también si se cortó a medias).
ARCHIVOS_DEMO = {"historial.csv", "muestras", "muestras.png", "evolucion.gif", "perdidas.png", "generador.keras", ARCHIVO_ESTADO}


def _demo_interrumpida(carpeta, epocas, desde_cero):
    """Qué quedó de una demo interrumpida en ``carpeta`` y cómo seguir con la misma orden."""
    guardada = epoca_guardada(carpeta)
    if not guardada:
        return (f"Demo interrumpida antes de terminar la primera época: no hay nada guardado en «{carpeta}». "
                "Vuelve a lanzar la orden para empezar.")
    if guardada >= epocas:
        return (f"Demo interrumpida al terminar: las {guardada} épocas están guardadas en «{carpeta}». Vuelve a "
                "lanzar la misma orden" + (" sin --desde-cero" if desde_cero else "") + " para completar lo que falte "
                "(muestras, GIF, curvas y generador).")
    return (f"Demo interrumpida: en «{carpeta}» queda guardado todo hasta la época {guardada}. Para seguir desde "
            "ahí, vuelve a lanzar la misma orden" + (" sin --desde-cero." if desde_cero else "."))


def demo(epocas, salida, semilla, desde_cero=False):
    """Entrena la receta por defecto con los dígitos incluidos, la mide y dice dónde quedó todo."""
    print(f"Dispositivo: {helpers.describir_dispositivo()}")
    helpers.fijar_semilla(semilla)
    imagenes, _ = helpers.imagenes_digitos(16, semilla=semilla)
    gan = helpers.crear_gan(16)
    carpeta = Path(salida).expanduser()  # «--salida=~/demo» llega sin expandir
    if carpeta.is_file():
        raise ValueError(f"--salida «{carpeta}» es un archivo: la demo escribe en una carpeta (nueva, vacía o de otra demo).")
    if (carpeta / ARCHIVO_REGISTRO).exists():
        raise ValueError(f"«{carpeta}» es la carpeta de una tarea (tiene {ARCHIVO_REGISTRO}): la demo mezclaría sus resultados "
                         "con los de la tarea. Usa otra --salida.")
    # Lo que no sea de una demo (también dentro de muestras/) es de alguien y entrenar lo sobrescribiría.
    ajenos = contenido_visible(carpeta, ARCHIVOS_DEMO)
    if not ajenos and (carpeta / "muestras").is_dir():
        cuadros = {ruta.name for ruta in cuadros_guardados(carpeta / "muestras").values()}
        if dentro := contenido_visible(carpeta / "muestras", cuadros):
            ajenos = f"en muestras: {dentro}"
    if ajenos:
        raise FileExistsError(f"«{carpeta}» tiene archivos que no son de una demo ({ajenos}): no escribo ahí, para no "
                              "sobrescribir ni borrar nada tuyo. Usa otra --salida, nueva o vacía.")
    epocas_antes = 0 if desde_cero else epoca_guardada(carpeta)
    inicio = time.perf_counter()
    datos = helpers.a_dataset(imagenes, 32, semilla)
    try:
        helpers.entrenar(gan, datos, epocas, carpeta=carpeta, continuar=not desde_cero, verbose=1,
                         como_seguir="vuelve a lanzar la misma orden" + (" sin --desde-cero" if desde_cero else ""))
    except KeyboardInterrupt:  # el mensaje de entrenar habla de celdas; aquí se sigue con la misma orden
        raise KeyboardInterrupt(_demo_interrumpida(carpeta, epocas, desde_cero)) from None
    minutos = (time.perf_counter() - inicio) / 60

    muestras = gan.muestrear(100, semilla=semilla)
    cuadricula = helpers.guardar_cuadricula(muestras, carpeta / "muestras.png", columnas=10)
    calidad = evaluar_digitos(muestras)
    if epoca_guardada(carpeta) > epocas_antes:  # si ya estaba completa, entrenar lo ha dicho y no ha entrenado
        print(f"\nEntrenamiento terminado en {cifra(minutos, 1)} min.")
    else:  # entrenar habla de carpetas; la demo tiene además su opción
        print("Para repetir la demo desde cero en esta carpeta, añade --desde-cero (sustituye lo que haya en ella).")
    print(
        f"Calidad (clasificador de dígitos de reserva): {calidad['clases_cubiertas']}/10 clases, "
        f"{calidad['confianza_alta'] * 100:.0f} % de muestras nítidas (confianza ≥ 0,9)."
    )
    print("Resultados:")
    for descripcion, ruta in (
        ("cuadrícula de 100 muestras", cuadricula),
        ("evolución (GIF)", carpeta / "evolucion.gif"),
        ("curvas de pérdida", carpeta / "perdidas.png"),
        ("generador entrenado", carpeta / "generador.keras"),
    ):
        print(f"  {descripcion:<28} {ruta}")


def preparar(args):
    """Prepara las imágenes de ``args.origen`` y dice cómo seguir."""
    carpeta, informe = preparar_imagenes(
        args.origen, args.salida, args.tamano, rostros=args.rostros, sin_duplicados=args.sin_duplicados,
        recorte=args.recorte, maximo=args.maximo,
    )
    print(f"\n{informe.tabla()}\n\nImágenes preparadas en: {carpeta}")
    if len(informe.utilizables) < MIN_IMAGENES:  # entrenar la rechazaría: no se propone como siguiente paso
        print(f"Con {contar(len(informe.utilizables), 'imagen', 'imágenes')} no basta para entrenar: hacen falta al menos "
              f"{MIN_IMAGENES} (mejor, cientos). Añade más fotos a «{args.origen}» y vuelve a prepararlas.")
        return
    siguiente = f"python -m helpers entrenar {citar_para_terminal(carpeta)} --tamano {args.tamano} --epocas 100"
    salida = primera_libre(carpeta_resultados("mi_gan"))  # una que ya tenga un entrenamiento, entrenar la rechazaría
    print(f"Siguiente paso: {siguiente} --salida {citar_para_terminal(salida)}")


def entrenar(args):
    """Entrena con ``args.carpeta``; sin ``--continuar`` no sobrescribe un entrenamiento guardado (``entrenar_carpeta``)."""
    como_seguir = orden_continuar(args.carpeta, args.salida, args.tamano, epocas=args.epocas, minutos=args.minutos,
                                  semilla=args.semilla, lote=args.lote, una_gpu=args.una_gpu)
    resultado = entrenar_carpeta(
        args.carpeta, args.salida, args.tamano, args.epocas, args.minutos, args.continuar, args.semilla, args.lote,
        como_seguir=como_seguir, verbose=1,
        estrategia=None if args.una_gpu else "auto",
    )
    if resultado["interrumpido"]:
        raise SystemExit(130)


def generar(args):
    """Dibuja muestras (y la interpolación) con el generador ``args.modelo``."""
    rutas = generar_imagenes(args.modelo, args.salida, args.n, args.semilla, args.interpolacion)
    print("Guardado:", *rutas, sep="\n  ")


def entregar(args):
    """Empaqueta la entrega de ``args.resultados`` y dice qué contiene."""
    ruta, manifiesto = entregar_resultados(args.resultados, args.salida, args.nombre, args.reflexion,
                                           args.sin_imagenes, args.generador)
    medida = manifiesto["medidas"][args.generador]
    print(f"Entrega creada: {ruta} ({len(manifiesto['archivos']) + 1} archivos; ábrela y mira informe.html).")
    print(f"  {args.generador}: SWD {cifra(medida['swd'], 1)}; KID {cifra(medida['kid'], 3)}; "
          f"cociente de memorización {cifra(manifiesto['memorizacion']['cociente'])} "
          f"({lectura_memorizacion(manifiesto['memorizacion'])})")


def revisar(args):
    """Revisa la carpeta de entregas ``args.carpeta``."""
    revisar_entregas(args.carpeta, args.salida)


def apuntar(args):
    """Apunta el curso de la carpeta actual a ``args.repositorio`` y ``args.rama`` y dice cómo publicarlo."""
    cambiados = apuntar_repositorio(args.repositorio, args.rama)
    if not cambiados:
        print(f"Todo apuntaba ya a {args.repositorio} (rama {args.rama}): no hay nada que cambiar.")
        return
    print(f"Ahora apuntan a {args.repositorio} (rama {args.rama}):", *cambiados, sep="\n  ")
    print(como_publicar(args.repositorio, args.rama))


def _como_ctrl_c(numero, marco):
    raise KeyboardInterrupt


def _senales_como_ctrl_c():
    """Mientras dura la orden, SIGTERM y SIGHUP hacen lo mismo que un Ctrl-C, salvo que ya las atienda
    otro (con ``nohup``, SIGHUP se ignora y se sigue ignorando). Devuelve ``{señal: manejador de antes}``."""
    anteriores = {}
    if threading.current_thread() is threading.main_thread():  # Python solo deja cambiarlas desde ahí
        for nombre in ("SIGTERM", "SIGHUP"):
            numero = getattr(signal, nombre, None)
            if numero is not None and signal.getsignal(numero) is signal.SIG_DFL:
                anteriores[numero] = signal.signal(numero, _como_ctrl_c)
    return anteriores


def _mostrar_aviso(mensaje, categoria, archivo, linea, destino=None, codigo=None):
    """En la terminal, un aviso es una línea «Aviso: …», sin la ruta ni la línea del kit que lo lanzó."""
    print(f"Aviso: {mensaje}", file=destino or sys.stderr)


def main(argumentos=None):
    if signal.getsignal(signal.SIGINT) is _interrumpida_la_carga:  # el de la carga del paquete (helpers/__init__.py)
        signal.signal(signal.SIGINT, signal.default_int_handler)
    # Una tilde no debe tumbar la orden en una consola o un archivo que no sean UTF-8 (cp1252 al
    # redirigir en Windows, ASCII con LC_ALL=C): el carácter que no quepa sale como «?».
    for flujo in (sys.stdout, sys.stderr):
        if hasattr(flujo, "reconfigure"):
            flujo.reconfigure(errors="replace")
    args = _analizador().parse_args(argumentos)
    anteriores = _senales_como_ctrl_c()
    mostrar_aviso, warnings.showwarning = warnings.showwarning, _mostrar_aviso
    try:
        if args.orden == "demo":
            demo(args.epocas, args.salida, args.semilla, args.desde_cero)
        else:
            ordenes = {"preparar": preparar, "entrenar": entrenar, "generar": generar, "entregar": entregar,
                       "revisar": revisar, "apuntar": apuntar}
            ordenes[args.orden](args)
    except KeyboardInterrupt as error:  # con el mensaje de quien lo explica (p. ej. preparar o la demo)
        print(f"\n{str(error) or 'Interrumpido.'}", file=sys.stderr)
        raise SystemExit(130) from None
    except BrokenPipeError:
        # Quien leía la salida se cerró (p. ej. «| head»): no queda nadie a quien explicárselo, y lo que
        # Python aún tenga por escribir al salir va a /dev/null en lugar de dar otro error.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):  # una salida sin descriptor (p. ej. capturada en memoria)
            pass
        raise SystemExit(1) from None
    # Los ayudantes explican en español qué falla y qué hacer: basta con su mensaje, sin traza.
    except (ValueError, OSError, ImportError, FloatingPointError) as error:
        _fallar(_explicar(error))
    finally:
        warnings.showwarning = mostrar_aviso
        for numero, manejador in anteriores.items():
            signal.signal(numero, manejador)


if __name__ == "__main__":
    sys.exit(main())
