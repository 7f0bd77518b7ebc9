"""¿Recomienda ``entrenar`` el mejor generador? Juzgado con imágenes que no se usaron ni para entrenar ni para elegir.

En cada colección (todas sin conexión) se aparta primero un 30 % como **juicio**; el resto va a
``entrenar_carpeta``, que separa su propia reserva, entrena ``--minutos`` y recomienda con ella el
final o el de menor SWD (``elegir_generador``). Después se miden los dos generadores con 2.000
muestras frente al juicio, que no intervino en nada: SWD promediada (×10³) y KID con su desviación.
El juez aplica a esas medidas la regla de ``elegir_generador`` (``gana_el_candidato``): prefiere al
de menor SWD durante el entrenamiento solo si gana en SWD y su KID es menor en más de dos veces el
mayor de los dos ruidos; si no, al final. Colecciones:

- ``rostros``: las 100 caras de ``skimage.data.lfw_subset()`` (70 personas entrenan, 30 juzgan);
- ``carpeta``: la carpeta desordenada del banco ``tarea_carpeta_desordenada.py`` (3 versiones de cada
  cara en tamaños, modos y formatos variados) pasada por ``preparar_imagenes``; las personas del
  juicio tienen su propia carpeta desordenada, preparada igual;
- ``digitos``: los 1.797 dígitos de scikit-learn, cada uno teñido de un color al azar.

Imprime, por colección y semilla, las medidas de la reserva (las que usó ``entrenar``) y las del
juicio, qué recomendó ``entrenar`` y qué habría elegido el juez; al final, en cuántas ejecuciones
coinciden y en cuántas el recomendado es claramente peor que el otro en el juicio (KID mayor en más
de dos veces el mayor de los dos ruidos). Guarda las cuadrículas de los dos generadores.

    python benchmarks/eleccion_generador.py --minutos 3 --salida resultados/eleccion
"""

import argparse
import contextlib
import io
import tempfile
from pathlib import Path

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import numpy as np
from PIL import Image

from helpers.callbacks import ARCHIVO_MENOR_SWD
from helpers.datos import partir
from helpers.ejemplo import carpeta_desordenada
from helpers.tarea import cargar_generador, entrenar_carpeta, gana_el_candidato, medir_generador
from tarea_carpeta_desordenada import VERSIONES, caras_lfw, con_margenes

FRACCION_JUICIO = 0.3
MUESTRAS_JUICIO = 2000
SEMILLA_JUICIO = 12345  # otras muestras que las de elegir_generador (semilla 0)
TAMANO = 32
ARCHIVOS = {"final": "generador.keras", "menor SWD": ARCHIVO_MENOR_SWD}


def escribir_pngs(imagenes, carpeta):
    """Guarda ``imagenes`` uint8 ``(n, alto, ancho[, 3])`` como PNG numerados en ``carpeta`` (nueva)."""
    carpeta.mkdir(parents=True)
    for i, imagen in enumerate(imagenes):
        Image.fromarray(imagen).save(carpeta / f"imagen_{i:04d}.png")
    return carpeta


def partir_en_carpetas(imagenes, carpeta, semilla):
    """Escribe el 70 % de ``imagenes`` en ``carpeta/entrenan`` y devuelve esa carpeta y el 30 % restante
    (el juicio) leído de PNG a ``TAMANO`` px, como lo leería ``entrenar_carpeta``."""
    entrenan, juzgan = partir(len(imagenes), FRACCION_JUICIO, semilla)
    juicio = helpers.imagenes_carpeta(escribir_pngs(imagenes[juzgan], carpeta / "juzgan"), TAMANO)
    return escribir_pngs(imagenes[entrenan], carpeta / "entrenan"), juicio


def coleccion_rostros(carpeta, semilla):
    return partir_en_carpetas(caras_lfw(), carpeta, semilla)


def coleccion_carpeta(carpeta, semilla):
    """Carpetas desordenadas con personas distintas para entrenar y juzgar, preparadas como en la tarea."""
    caras = caras_lfw()
    preparadas = {}
    for parte, indices in zip(("entrenan", "juzgan"), partir(len(caras), FRACCION_JUICIO, semilla)):
        fotos = {f"persona_{i:03d}": caras[i] for i in indices}
        carpeta_desordenada(carpeta / parte, fotos, VERSIONES, semilla, encuadre=con_margenes)
        preparadas[parte], _ = helpers.preparar_imagenes(carpeta / parte, carpeta / "preparadas", tamano=TAMANO)
    return preparadas["entrenan"], helpers.imagenes_carpeta(preparadas["juzgan"], TAMANO)


def coleccion_digitos(carpeta, semilla):
    """Los dígitos de scikit-learn a ``TAMANO`` px, cada uno de un color al azar."""
    digitos, _ = helpers.imagenes_digitos(TAMANO, parte="todo")
    color = np.random.default_rng(semilla).uniform(0.2, 1.0, size=(len(digitos), 1, 1, 3))
    return partir_en_carpetas((255 * (digitos + 1) / 2 * color).astype(np.uint8), carpeta, semilla)


COLECCIONES = {"rostros": coleccion_rostros, "carpeta": coleccion_carpeta, "digitos": coleccion_digitos}


def juzgar(generador, juicio):
    """``tarea.medir_generador`` con ``MUESTRAS_JUICIO`` muestras y 100 subconjuntos en la KID."""
    return medir_generador(generador, juicio, SEMILLA_JUICIO, muestras=MUESTRAS_JUICIO, subconjuntos=100)


def guardar_muestras(generador, ruta):
    """Cuadrícula de 64 muestras de ``generador`` (de la semilla del juicio) en ``ruta``."""
    z = np.random.default_rng(SEMILLA_JUICIO).normal(size=(64, generador.input_shape[-1])).astype(np.float32)
    helpers.guardar_cuadricula(generador(z, training=False), ruta, columnas=8)


def entrenar_con_reserva(nombre, semilla, minutos, gan):
    """Construye la colección, entrena con su 70 % en ``gan`` y devuelve (resultado de entrenar_carpeta, juicio)."""
    with tempfile.TemporaryDirectory() as temporal, contextlib.redirect_stdout(io.StringIO()):
        # Silencia lo que imprimen preparar_imagenes, imagenes_carpeta y entrenar_carpeta.
        entrenan, juicio = COLECCIONES[nombre](Path(temporal), semilla)
        resultado = entrenar_carpeta(entrenan, gan, tamano=TAMANO, epocas=100_000, minutos=minutos,
                                     semilla=semilla, verbose=0)
    if "eleccion" not in resultado:
        raise SystemExit(f"{nombre}: entrenar_carpeta no llegó a elegir (¿interrumpido?); nada que juzgar.")
    return resultado, juicio


def ejecutar(nombre, semilla, minutos, salida):
    """Una ejecución: entrena, juzga los dos generadores e imprime; devuelve si el juez coincide y si el
    recomendado es claramente peor que el otro en el juicio."""
    gan = salida / f"{nombre}_semilla{semilla}"
    resultado, juicio = entrenar_con_reserva(nombre, semilla, minutos, gan)
    eleccion = resultado["eleccion"]
    juicios = {}
    for clave, archivo in ARCHIVOS.items():
        generador = cargar_generador(gan / archivo)
        juicios[clave] = juzgar(generador, juicio)
        guardar_muestras(generador, gan / f"juicio_{archivo.removesuffix('.keras')}.png")
    recomendado = "menor SWD" if eleccion["elegido"] == ARCHIVO_MENOR_SWD else "final"
    otro = "final" if recomendado == "menor SWD" else "menor SWD"
    juez = "menor SWD" if gana_el_candidato(juicios["final"], juicios["menor SWD"]) else "final"
    margen = 2 * max(medida["kid_desviacion"] for medida in juicios.values())
    claramente_peor = juicios[otro]["kid"] + margen < juicios[recomendado]["kid"]

    epoca_candidato = min(resultado["historial"]["metrica"], key=lambda r: r["valor"])["epoca"]
    print(f"\n{nombre}, semilla {semilla}: {len(resultado['entrenamiento'])} entrenan, {len(resultado['reserva'])} "
          f"de reserva, {len(juicio)} de juicio; {resultado['epoca']} épocas; candidato de la época {epoca_candidato}")
    for clave, archivo in ARCHIVOS.items():
        r, j = eleccion["medidas"][archivo], juicios[clave]
        print(f"  {clave:<10} reserva: SWD {r['swd']:6.1f} KID {r['kid']:.3f} ± {r['kid_desviacion']:.3f}   "
              f"juicio: SWD {j['swd']:6.1f} KID {j['kid']:.3f} ± {j['kid_desviacion']:.3f}")
    print(f"  recomendado: {recomendado}; el juez habría elegido: {juez}"
          f"{'; EL RECOMENDADO ES CLARAMENTE PEOR EN EL JUICIO' if claramente_peor else ''}")
    return {"coincide": recomendado == juez, "claramente_peor": claramente_peor}


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    argumentos.add_argument("--colecciones", nargs="+", default=list(COLECCIONES), choices=list(COLECCIONES))
    argumentos.add_argument("--semillas", nargs="+", type=int, default=[0])
    argumentos.add_argument("--minutos", type=float, default=3.0, help="entrenamiento de cada ejecución")
    argumentos.add_argument("--salida", default="resultados/eleccion")
    args = argumentos.parse_args()
    salida = Path(args.salida)
    if salida.exists():
        raise SystemExit(f"«{salida}» ya existe: elige otra --salida (este script no escribe encima de nada).")
    print(helpers.describir_dispositivo())
    resultados = [ejecutar(nombre, semilla, args.minutos, salida) for nombre in args.colecciones for semilla in args.semillas]
    print(f"\nEl juez coincide con la recomendación en {sum(r['coincide'] for r in resultados)} de "
          f"{len(resultados)} ejecuciones; el recomendado es claramente peor en el juicio en "
          f"{sum(r['claramente_peor'] for r in resultados)}.")
    print(f"Cuadrículas (juicio_generador.png, juicio_generador_menor_swd.png) en {salida}/")


if __name__ == "__main__":
    main()
