"""Los remedios de la bitácora del estudiante, medidos como en el laboratorio del cuaderno 04.

Entrena la receta ingenua del cuaderno 04 y sus variantes con los remedios que probó la bitácora
(dropout en D, ruido de instancia en ambas o solo en las reales, dos tasas de aprendizaje en los dos
sentidos, pasos de D adaptativos), cada una durante ``--minutos`` con ``comparar_recetas``, sobre
las 150 caras de entrenamiento, y mide la SWD contra las 25 de reserva. Imprime, por receta, las
épocas, la SWD final, su mediana y su oscilación en el último tercio, la exactitud de D, la fracción
de pasos en que se actualizó D y el cociente de memorización, y el cociente de cada mediana frente a
la de la ingenua (la referencia, medida en la misma ejecución).

``--reloj cpu`` cuenta el presupuesto en tiempo de CPU del proceso dividido entre ``--nucleos``, en
lugar del reloj de pared: en una máquina compartida, cada receta hace aproximadamente el trabajo que
haría en una máquina libre con ``--nucleos`` núcleos, y la comparación no depende de la carga de los
demás procesos (sí un poco de la caché compartida).

    python benchmarks/laboratorio_bitacora.py --minutos 2
    python benchmarks/laboratorio_bitacora.py --minutos 2 --reloj cpu --nucleos 2 --recetas ingenua "+ dropout en D"
"""

import argparse
import json
import time
import types

import helpers  # primero: silencia los avisos de C de TensorFlow al importarlo
import helpers.callbacks
import helpers.laboratorio
import numpy as np

from helpers.entorno import modelo_cpu
from helpers.metricas import comprobar_memorizacion

INGENUA = dict(ancho=32, suavizado_etiquetas=0.0, lr_generador=1e-3, lr_discriminador=1e-3)
RUIDO = dict(ruido_instancia=0.1, programa_ruido="constante")
RECETAS = {
    "ingenua": INGENUA,
    "+ dropout en D": {**INGENUA, "abandono": 0.3},
    "+ ruido en ambas": {**INGENUA, **RUIDO},
    "+ ruido solo en reales": {**INGENUA, **RUIDO, "ruido_solo_reales": True},
    "TTUR: D más rápido": {**INGENUA, "lr_generador": 2.5e-4},
    "TTUR: G más rápido": {**INGENUA, "lr_discriminador": 2.5e-4},
    "+ pasos de D adaptativos": {**INGENUA, "exactitud_objetivo_d": 0.75},
}


def usar_reloj_de_cpu(nucleos):
    """Los relojes del laboratorio (límite de tiempo, momentos de cada medida) pasan a contar el
    tiempo de CPU de este proceso entre ``nucleos``."""
    reloj = types.SimpleNamespace(perf_counter=lambda: time.process_time() / nucleos)
    helpers.callbacks.time = reloj
    helpers.laboratorio.time = reloj


def resumen(resultado, entrenamiento, reserva):
    historial, registros = resultado["historial"], resultado["registros"]
    z = np.random.default_rng(5).normal(size=(200, resultado["gan"].dim_latente)).astype("float32")
    muestras = np.asarray(resultado["gan"].generador_para_muestras()(z, training=False))
    return {
        "epocas": registros[-1]["epoca"],
        "swd_final": registros[-1]["valor"],
        "mediana_final": helpers.mediana_final(registros),
        "oscilacion": helpers.oscilacion_final(registros),
        "exactitud_d": float(np.mean(historial["exactitud_d"][-10:])),
        "pasos_d": float(np.mean(historial["pasos_d"][-10:])) if "pasos_d" in historial else 1.0,
        "perdida_g": float(np.mean(historial["perdida_g"][-10:])),
        "memorizacion": comprobar_memorizacion(muestras, entrenamiento, reserva)["cociente"],
    }


def main():
    argumentos = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    argumentos.add_argument("--minutos", type=float, default=2.0, help="presupuesto por receta")
    argumentos.add_argument("--reloj", choices=("pared", "cpu"), default="pared")
    argumentos.add_argument("--nucleos", type=int, default=2, help="con --reloj cpu: núcleos de la máquina que se imita")
    argumentos.add_argument("--recetas", nargs="+", choices=list(RECETAS), default=list(RECETAS))
    argumentos.add_argument("--json", help="archivo donde guardar las cifras")
    opciones = argumentos.parse_args()
    if opciones.reloj == "cpu":
        usar_reloj_de_cpu(opciones.nucleos)
    print(f"CPU: {modelo_cpu()}; reloj: {opciones.reloj}; {opciones.minutos:g} min por receta", flush=True)
    entrenamiento = helpers.imagenes_rostros(32, "entrenamiento")
    reserva = helpers.imagenes_rostros(32, "reserva")
    cifras = {}
    for nombre in opciones.recetas:
        resultado = helpers.comparar_recetas({nombre: RECETAS[nombre]}, entrenamiento, reserva, minutos=opciones.minutos, cada=10)
        cifras[nombre] = resumen(resultado[nombre], entrenamiento, reserva)
        if opciones.json:
            with open(opciones.json, "w", encoding="utf-8") as archivo:
                json.dump(cifras, archivo, ensure_ascii=False, indent=1)
    referencia = cifras.get("ingenua", {}).get("mediana_final")
    print(f"\n{'receta':<26} {'épocas':>6} {'SWD final':>9} {'mediana':>8} {'oscil.':>6} {'exact. D':>8} {'pasos D':>7} {'memor.':>6} {'mediana/ingenua':>15}")
    for nombre, c in cifras.items():
        cociente = f"{c['mediana_final'] / referencia:15.2f}" if referencia else f"{'—':>15}"
        print(f"{nombre:<26} {c['epocas']:6d} {c['swd_final']:9.0f} {c['mediana_final']:8.0f} {c['oscilacion']:6.2f} "
              f"{c['exactitud_d']:8.2f} {c['pasos_d']:7.2f} {c['memorizacion']:6.2f} {cociente}")


if __name__ == "__main__":
    main()
