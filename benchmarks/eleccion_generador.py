"""¿Recomienda ``entrenar`` el mejor generador? Juzgado en imágenes que ni entrenaron ni eligieron.

En cada colección (todas sin conexión) se aparta primero un 30 % como **juicio**; el resto va a
``entrenar_carpeta``, que separa su propia reserva, entrena ``--minutos`` y recomienda con ella el
final o el de menor SWD (``elegir_generador``). Después se miden los dos generadores con 2.000
muestras frente al juicio, que no intervino en nada: SWD promediada (×10³) y KID con su desviación.
El juez prefiere al candidato (el de menor SWD durante el entrenamiento) solo si gana en las dos
medidas, con la KID por delante en más de dos veces su ruido; si no, al final. Colecciones:

- ``rostros``: las 100 caras de ``skimage.data.lfw_subset()`` (70 personas entrenan, 30 juzgan);
- ``carpeta``: la carpeta desordenada del banco ``tarea_carpeta_desordenada.py`` (3 versiones de cada
  cara en tamaños, modos y formatos variados) pasada por ``preparar_imagenes``; las personas del
  juicio tienen su propia carpeta desordenada, preparada igual;
- ``digitos``: los 1.797 dígitos de scikit-learn, cada uno teñido de un color al azar.

Imprime, por colección y semilla, las medidas de la reserva (las que usó ``entrenar``) y las del
juicio, qué recomendó ``entrenar`` y qué habría elegido el juez; al final, en cuántas ejecuciones el
recomendado es peor que el final en el juicio. Guarda las cuadrículas de los dos generadores.

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
from skimage import data

from helpers.callbacks import ARCHIVO_MENOR_SWD
from helpers.datos import partir
from helpers.ejemplo import carpeta_desordenada
from helpers.metricas import distancia_kid, swd_promediada
from helpers.tarea import cargar_generador, entrenar_carpeta, gana_el_candidato

FRACCION_JUICIO = 0.3
MUESTRAS_JUICIO = 2000
TAMANO = 32
ARCHIVOS = {"final": "generador.keras", "menor SWD": ARCHIVO_MENOR_SWD}


def escribir_pngs(imagenes, carpeta):
    """Guarda ``imagenes`` uint8 ``(n, alto, ancho[, 3])`` como PNG numerados en ``carpeta`` (nueva)."""
    carpeta.mkdir(parents=True)
    for i, imagen in enumerate(imagenes):
        Image.fromarray(imagen).save(carpeta / f"imagen_{i:04d}.png")
    return carpeta


def caras_uint8():
    """Las 100 caras de ``lfw_subset`` (las 100 primeras; las otras 100 no son caras), uint8 25×25."""
    return (data.lfw_subset()[:100] * 255).astype(np.uint8)


def partir_en_carpetas(imagenes, carpeta, semilla):
    """Escribe el 70 % de ``imagenes`` en ``carpeta/entrenan`` y devuelve esa carpeta y el 30 % restante
    (el juicio) leído de PNG a ``TAMANO`` px, como lo leería ``entrenar_carpeta``."""
    entrenan, juzgan = partir(len(imagenes), FRACCION_JUICIO, semilla)
    juicio = helpers.imagenes_carpeta(escribir_pngs(imagenes[juzgan], carpeta / "juzgan"), TAMANO)
    return escribir_pngs(imagenes[entrenan], carpeta / "entrenan"), juicio


def coleccion_rostros(carpeta, semilla):
    return partir_en_carpetas(caras_uint8(), carpeta, semilla)


def coleccion_carpeta(carpeta, semilla):
    """Carpetas desordenadas con personas distintas para entrenar y juzgar, preparadas como en la tarea."""
    from tarea_carpeta_desordenada import VERSIONES, con_margenes

    caras = caras_uint8()
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
    """SWD y KID de ``MUESTRAS_JUICIO`` muestras (semilla distinta de la de ``elegir_generador``) frente a ``juicio``."""
    z = np.random.default_rng(12345).normal(size=(MUESTRAS_JUICIO, generador.input_shape[-1])).astype(np.float32)
    muestras = np.concatenate([generador(z[i : i + 200], training=False) for i in range(0, len(z), 200)])
    kid = distancia_kid(juicio, muestras, subconjuntos=100, tamano_subconjunto=len(juicio) // 2)
    return {"swd": swd_promediada(juicio, muestras), "kid": kid["kid"], "kid_desviacion": kid["desviacion"]}, muestras


def ejecutar(nombre, semilla, args, salida):
    gan = salida / f"{nombre}_semilla{semilla}"
    with tempfile.TemporaryDirectory() as temporal, contextlib.redirect_stdout(io.StringIO()):  # sus informes y barras
        entrenan, juicio = COLECCIONES[nombre](Path(temporal), semilla)
        resultado = entrenar_carpeta(entrenan, gan, tamano=TAMANO, epocas=100_000, minutos=args.minutos,
                                     semilla=semilla, verbose=0)
    eleccion = resultado["eleccion"]
    recomendado = "menor SWD" if eleccion["elegido"] == ARCHIVO_MENOR_SWD else "final"
    juicios = {}
    for clave, archivo in ARCHIVOS.items():
        juicios[clave], muestras = juzgar(cargar_generador(gan / archivo), juicio)
        helpers.guardar_cuadricula(muestras[:64], gan / f"juicio_{archivo.removesuffix('.keras')}.png", columnas=8)
    juez = "menor SWD" if gana_el_candidato(juicios["final"], juicios["menor SWD"]) else "final"
    epoca_candidato = min(resultado["historial"]["metrica"], key=lambda r: r["valor"])["epoca"]
    print(f"\n{nombre}, semilla {semilla}: {len(resultado['entrenamiento'])} entrenan, {len(resultado['reserva'])} "
          f"de reserva, {len(juicio)} de juicio; {resultado['epoca']} épocas; candidato de la época {epoca_candidato}")
    for clave, archivo in ARCHIVOS.items():
        r, j = eleccion["medidas"][archivo], juicios[clave]
        print(f"  {clave:<10} reserva: SWD {r['swd']:6.1f} KID {r['kid']:.3f} ± {r['kid_desviacion']:.3f}   "
              f"juicio: SWD {j['swd']:6.1f} KID {j['kid']:.3f} ± {j['kid_desviacion']:.3f}")
    peor = juicios[recomendado]["kid"] > juicios["final"]["kid"] + 2 * juicios["final"]["kid_desviacion"]
    print(f"  recomendado: {recomendado}; el juez habría elegido: {juez}"
          f"{'; EL RECOMENDADO ES PEOR QUE EL FINAL EN EL JUICIO' if peor else ''}")
    return recomendado == juez, peor


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
    resultados = [ejecutar(nombre, semilla, args, salida) for nombre in args.colecciones for semilla in args.semillas]
    print(f"\nEl juez coincide con la recomendación en {sum(r[0] for r in resultados)} de {len(resultados)} "
          f"ejecuciones; el recomendado es peor que el final en el juicio en {sum(r[1] for r in resultados)}.")
    print(f"Cuadrículas (juicio_generador.png, juicio_generador_menor_swd.png) en {salida}/")


if __name__ == "__main__":
    main()
