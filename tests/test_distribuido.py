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


# El cuaderno 07 con las redes creadas dentro de la estrategia, como se haría con dos GPU (Kaggle, 2×T4): entrena,
# guarda el generador, lo carga y genera cada dígito. Con SGD con momento: como Adam, crea variables (al principio
# del primer paso fallaba), pero no oculta unos gradientes sumados entre réplicas en lugar de promediados.
GUION_CONDICIONAL = r'''
import contextlib, json, sys
from pathlib import Path
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras
import numpy as np
import helpers
from helpers.condicional import (CuadriculaPorDigito, GANCondicional, a_dataset_condicional,
                                 construir_discriminador_condicional, construir_generador_condicional)

carpeta = Path(sys.argv[1])
estrategia_dos = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
imagenes, etiquetas = helpers.imagenes_digitos(16)
salida = {}
for nombre, estrategia in (("una", None), ("dos", estrategia_dos)):
    helpers.fijar_semilla(0)
    with estrategia.scope() if estrategia else contextlib.nullcontext():
        gan = GANCondicional(construir_generador_condicional(16, dim_latente=8, ancho=8),
                             construir_discriminador_condicional(16, ancho=8))
        gan.compile(opt_generador=keras.optimizers.SGD(0.02, momentum=0.5),
                    opt_discriminador=keras.optimizers.SGD(0.02, momentum=0.5))
    datos = a_dataset_condicional(imagenes[:128], etiquetas[:128], lote=32)
    registro = gan.fit(datos, epochs=3, callbacks=[CuadriculaPorDigito(carpeta / nombre, columnas=2)], verbose=0)
    salida[nombre] = registro.history
    salida[nombre + "_replicas"] = gan.distribute_strategy.num_replicas_in_sync
    gan.generador.save(carpeta / nombre / "generador.keras")
    cargado = keras.models.load_model(carpeta / nombre / "generador.keras", safe_mode=True, compile=False)
    z = np.random.default_rng(0).normal(size=(10, 8)).astype("float32")
    por_clase = np.asarray(cargado([z, np.arange(10, dtype="int32")[:, None]]))
    salida[nombre + "_cargado"] = float(np.abs(por_clase - gan.generar(np.arange(10), z=z)).max())
    salida[nombre + "_clases_distintas"] = float(np.abs(por_clase[1:] - por_clase[:1]).max(axis=(1, 2, 3)).min())
    if estrategia:  # cada réplica, sus propios vectores latentes
        z = estrategia.run(tf.function(lambda: gan.ruido_latente(4)))
        salida["z_por_replica"] = [np.asarray(parte).tolist() for parte in estrategia.experimental_local_results(z)]
        with estrategia.scope():  # fuera de un paso (sin réplica): los pedidos, como con una
            salida["z_en_el_ambito"] = list(gan.ruido_latente(4).shape)
print("RESULTADO " + json.dumps(salida, default=float))
'''

# Dos réplicas y una, con los mismos datos de a_dataset (y de a_dataset_condicional) en dos fit seguidos: las mismas
# épocas de lotes en el mismo orden; sin steps_per_epoch y con 4 pasos por época.
GUION_LOTES = r'''
import contextlib, json
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import numpy as np
import helpers
from helpers import punto_de_control
from helpers.condicional import (GANCondicional, a_dataset_condicional, construir_discriminador_condicional,
                                 construir_generador_condicional)

estrategia_dos = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
imagenes, etiquetas = helpers.imagenes_digitos(16)
diferencias = {}
for pasos in (None, 4):  # un iterador para todo fit, y uno por época (steps_per_epoch)
    estados = {}
    for nombre, estrategia in (("una", None), ("dos", estrategia_dos)):
        helpers.fijar_semilla(0)
        gan = helpers.crear_gan(16, dim_latente=8, ancho=8, estrategia=estrategia)
        datos = helpers.a_dataset(imagenes[:128], 32)
        gan.fit(datos, epochs=2, verbose=0, steps_per_epoch=pasos)
        gan.fit(datos, epochs=1, verbose=0, steps_per_epoch=pasos)
        estados[nombre] = punto_de_control.copiar_estado(gan)
        helpers.fijar_semilla(0)
        with estrategia.scope() if estrategia else contextlib.nullcontext():
            condicional = GANCondicional(construir_generador_condicional(16, dim_latente=8, ancho=8),
                                         construir_discriminador_condicional(16, ancho=8))
            condicional.compile()
        datos = a_dataset_condicional(imagenes[:128], etiquetas[:128], lote=32)
        condicional.fit(datos, epochs=2, verbose=0, steps_per_epoch=pasos)
        condicional.fit(datos, epochs=1, verbose=0, steps_per_epoch=pasos)
        estados[nombre + "_condicional"] = condicional.get_weights()
    diferencias[str(pasos)] = {
        "gan": max(float(np.abs(estados["dos"][k] - v).max()) for k, v in estados["una"].items()),
        "condicional": max(float(np.abs(a - b).max()) for a, b in zip(estados["una_condicional"], estados["dos_condicional"])),
    }
errores = []
for compilar in (lambda: helpers.crear_gan(16, dim_latente=8, ancho=8, estrategia=estrategia_dos).compile(steps_per_execution=4),
                 lambda: condicional.compile(steps_per_execution=2)):
    try:
        compilar()
    except ValueError as error:
        errores.append(str(error))
print("RESULTADO " + json.dumps({"diferencias": diferencias, "errores": errores}))
'''


def ejecutar(tmp_path, guion=GUION, *argumentos):
    entorno = {**os.environ, "CUDA_VISIBLE_DEVICES": "-1"}
    proceso = subprocess.run(
        [sys.executable, "-c", guion, str(tmp_path), *argumentos], capture_output=True, text=True, env=entorno,
        timeout=900,
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


def test_la_gan_condicional_entrena_con_dos_replicas_como_con_una_y_su_generador_se_carga(tmp_path):
    # Antes, con dos réplicas fallaba en el primer paso («You must feed a value for placeholder tensor»: los
    # optimizadores creaban sus variables dentro de la réplica), sumaba los gradientes de las dos (con SGD, el doble
    # de tasa) y las dos réplicas sorteaban los mismos vectores latentes.
    resultado, _ = ejecutar(tmp_path, GUION_CONDICIONAL)
    assert resultado["una_replicas"] == 1 and resultado["dos_replicas"] == 2
    una, dos = resultado["una"], resultado["dos"]
    for metrica in ("perdida_g", "perdida_d"):
        assert len(una[metrica]) == len(dos[metrica]) == 3
        for a, b in zip(una[metrica], dos[metrica]):
            assert abs(a - b) <= 0.02 * abs(a) + 5e-3, (metrica, una[metrica], dos[metrica])
    primera, segunda = resultado["z_por_replica"]
    assert len(primera) == len(segunda) == 4 and primera != segunda
    assert resultado["z_en_el_ambito"] == [4, 8]
    for nombre in ("una", "dos"):
        # El generador guardado y cargado dibuja lo mismo, y cada clase, algo distinto.
        assert resultado[nombre + "_cargado"] < 1e-5 and resultado[nombre + "_clases_distintas"] > 1e-4
        assert len(list((tmp_path / nombre / "muestras").glob("epoca_*.png"))) == 3
        assert (tmp_path / nombre / "evolucion.gif").exists()


def test_dos_replicas_ven_los_mismos_lotes_que_una(tmp_path):
    # Con una estrategia, Keras saca un lote de un iterador que luego tira (para construir el modelo dentro de ella).
    # Ese lote contaba como una época de a_dataset, y las dos réplicas entrenaban con los lotes de la época siguiente
    # (0,009 de diferencia en los pesos); con un solo iterador para todo fit, con los de una, dos o más épocas después,
    # según lo que su precarga llegara a leer.
    # La GAN condicional, igual (antes, con los lotes de la época siguiente).
    # Con steps_per_epoch, fit crea un iterador por época, y ese lote aún se llevaba una época en cada fit (0,009 de
    # diferencia en los pesos de la GAN y 0,004 en los de la condicional).
    # Las dos formas en un proceso: cada uno cuesta importar TensorFlow y crear la estrategia.
    resultado, _ = ejecutar(tmp_path, GUION_LOTES)
    assert list(resultado["diferencias"]) == ["None", "4"]
    for diferencias in resultado["diferencias"].values():
        assert diferencias["gan"] < 1e-5 and diferencias["condicional"] < 1e-5, resultado["diferencias"]
    # Varios pasos por llamada con réplicas: Keras fallaría en el primer paso, en inglés («You must feed a value for
    # placeholder tensor»); el kit lo dice en español al compilar, con la GAN y con la condicional.
    assert len(resultado["errores"]) == 2, resultado["errores"]
    for texto, pedido in zip(resultado["errores"], (4, 2)):
        assert f"steps_per_execution={pedido} no funciona con varias GPU" in texto and "--una-gpu" in texto
