"""Varias réplicas (``tf.distribute.MirroredStrategy``) sin GPU: dos dispositivos lógicos de CPU.

Los dispositivos lógicos se configuran antes de que TensorFlow arranque, así que cada comprobación
se ejecuta en un proceso nuevo con el guion de abajo.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

GUION = r'''
import json, sys
from pathlib import Path
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import numpy as np
from PIL import Image
import helpers
import helpers.gan
from helpers.__main__ import main

carpeta = Path(sys.argv[1])
# Una sola estrategia para todo el proceso: dos estrategias sobre los mismos dispositivos
# comparten las claves de sus operaciones colectivas.
estrategia_dos = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
dos = lambda: estrategia_dos
imagenes, _ = helpers.imagenes_digitos(16)
salida = {}

# 1. entrenar: la misma GAN con una réplica y con dos.
for nombre, estrategia in (("una", None), ("dos", dos())):
    helpers.fijar_semilla(0)
    gan = helpers.crear_gan(16, dim_latente=8, ancho=8, penalizacion_r1=1.0, media_movil=0.9, estrategia=estrategia)
    salida[nombre] = helpers.entrenar(gan, helpers.a_dataset(imagenes[:128], 32), 2, carpeta / nombre, verbose=0)
    salida[nombre + "_replicas"] = gan.distribute_strategy.num_replicas_in_sync

# 2. El punto de control escrito con dos réplicas se reanuda con una.
helpers.fijar_semilla(0)
una = helpers.crear_gan(16, dim_latente=8, ancho=8, penalizacion_r1=1.0, media_movil=0.9, estrategia=None)
salida["reanudado"] = helpers.entrenar(una, helpers.a_dataset(imagenes[:128], 32), 3, carpeta / "dos", verbose=0)

# 3. La línea de órdenes: con varias «GPU» usa todas salvo --una-gpu.
fotos = carpeta / "fotos"
fotos.mkdir()
for i, imagen in enumerate(imagenes[:48]):
    Image.fromarray(((imagen[..., 0] + 1) * 127.5).astype(np.uint8)).resize((32, 32)).save(fotos / f"{i}.png")
helpers.gan.estrategia_por_defecto = dos
replicas = []
crear_gan = helpers.tarea.crear_gan
def crear_y_anotar(*args, **kwargs):
    gan = crear_gan(*args, **kwargs)
    replicas.append(gan.distribute_strategy.num_replicas_in_sync)
    return gan
helpers.tarea.crear_gan = crear_y_anotar
for nombre, extra in (("cli_dos", []), ("cli_una", ["--una-gpu"])):
    replicas.clear()
    main(["entrenar", str(fotos), "--tamano", "32", "--epocas", "2", "--lote", "8", "--salida", str(carpeta / nombre), *extra])
    salida[nombre + "_replicas"] = sorted(set(replicas))
print("RESULTADO " + json.dumps(salida, default=float))
'''


def ejecutar(tmp_path):
    entorno = {**os.environ, "CUDA_VISIBLE_DEVICES": "-1"}
    proceso = subprocess.run(
        [sys.executable, "-c", GUION, str(tmp_path)], capture_output=True, text=True, env=entorno, timeout=900
    )
    assert proceso.returncode == 0, proceso.stdout[-3000:] + proceso.stderr[-3000:]
    linea = next(l for l in proceso.stdout.splitlines() if l.startswith("RESULTADO "))
    return json.loads(linea.removeprefix("RESULTADO ")), proceso.stdout


def historial_csv(ruta):
    filas = Path(ruta).read_text(encoding="utf-8").splitlines()
    campos = filas[0].split(",")
    return [dict(zip(campos, map(float, f.split(",")))) for f in filas[1:]]


def test_dos_replicas_entrenan_como_una(tmp_path):
    resultado, salida = ejecutar(tmp_path)
    assert resultado["una_replicas"] == 1 and resultado["dos_replicas"] == 2
    una, dos = resultado["una"], resultado["dos"]
    # Mismo lote global, mismos vectores latentes: las pérdidas por época coinciden (salvo redondeos
    # y la normalización por lotes, que cada réplica calcula con su mitad del lote).
    for metrica in ("perdida_g", "perdida_d", "penalizacion_d", "exactitud_d"):
        assert len(una[metrica]) == len(dos[metrica]) == 2
        for a, b in zip(una[metrica], dos[metrica]):
            assert abs(a - b) <= 0.02 * abs(a) + 5e-3, (metrica, una[metrica], dos[metrica])

    # Reanudado con una réplica desde el punto de control de dos: sigue en la época 3.
    assert "Reanudo desde la época 2" in salida
    assert len(resultado["reanudado"]["perdida_g"]) == 3
    assert resultado["reanudado"]["perdida_g"][:2] == dos["perdida_g"]

    # La línea de órdenes usa las dos «GPU» y, con --una-gpu, una; el entrenamiento es el mismo.
    assert resultado["cli_dos_replicas"] == [2] and resultado["cli_una_replicas"] == [1]
    cli_dos, cli_una = historial_csv(tmp_path / "cli_dos" / "historial.csv"), historial_csv(tmp_path / "cli_una" / "historial.csv")
    assert len(cli_dos) == len(cli_una) == 2
    for fila_dos, fila_una in zip(cli_dos, cli_una):
        for metrica in ("perdida_g", "perdida_d"):
            assert abs(fila_dos[metrica] - fila_una[metrica]) <= 0.02 * abs(fila_una[metrica]) + 5e-3
    assert (tmp_path / "cli_dos" / "generador.keras").exists()
