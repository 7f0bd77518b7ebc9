"""Colecciones grandes (CelebA, las fotos de un móvil): cargarlas sin tener varias copias a la vez y, si no caben en
memoria, decirlo antes de leer nada. La memoria libre se simula: las pruebas no dependen de la máquina."""

import os
import re
import sys
import tracemalloc

import numpy as np
import pytest
from PIL import Image

from helpers import cargar_carpeta, carpeta_o_zip, datos, imagenes_guardadas, memoria, preparacion, reanudacion, tarea


def _carpeta(tmp_path, n, lado=64):
    carpeta = tmp_path / "fotos"
    carpeta.mkdir()
    rng = np.random.default_rng(0)
    for i in range(n):
        Image.fromarray(rng.integers(0, 256, (lado, lado, 3), dtype=np.uint8)).save(carpeta / f"{i:03d}.png")
    return carpeta


def _pico(funcion, *args):
    """``(resultado, bytes)``: lo que devuelve ``funcion(*args)`` y el pico de memoria de NumPy y Python mientras corre."""
    tracemalloc.start()
    try:
        resultado = funcion(*args)
        return resultado, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _sin_leer(*args, **kwargs):
    raise AssertionError("no debe decodificar ninguna imagen si no caben")


def test_si_no_caben_en_memoria_lo_dice_con_cifras_antes_de_leer_ninguna(tmp_path, monkeypatch):
    carpeta = _carpeta(tmp_path, 12)
    monkeypatch.setattr(carpeta_o_zip, "decodificar", _sin_leer)
    # 12 × 64 × 64 × 3 valores: 737.280 bytes en el cuaderno (uint8 y float32) y 294.912 en uint8; caben 0,8 × libres.
    monkeypatch.setattr(cargar_carpeta, "memoria_libre", lambda: 400_000)
    with pytest.raises(ValueError) as error:
        preparacion.imagenes_carpeta(carpeta, 64)
    mensaje = str(error.value)
    assert "12 archivos" in mensaje and "a 64 px" in mensaje and "0,0 GB libres" in mensaje and "no caben" in mensaje
    assert "a 32 px" in mensaje and "entrenar_carpeta" in mensaje  # qué hacer: menos píxeles, o en uint8
    assert "caben unas 5 a 64 px" in mensaje and "python -m helpers preparar ... --maximo 5" in mensaje  # o menos fotos
    monkeypatch.setattr(cargar_carpeta, "memoria_libre", lambda: 300_000)  # en uint8 tampoco caben: no es una salida
    with pytest.raises(ValueError) as error:
        preparacion.imagenes_carpeta(carpeta, 64)
    assert "a 32 px" in str(error.value) and "entrenar_carpeta" not in str(error.value)
    monkeypatch.setattr(cargar_carpeta, "memoria_libre", lambda: 50_000)  # en modo rápido entrena a 32 px: 73.728 bytes
    with pytest.raises(ValueError, match="no caben"):
        tarea.entrenar_carpeta(carpeta, tmp_path / "mi_gan", 64, epocas=1)
    assert not (tmp_path / "mi_gan").exists()


def test_si_caben_o_no_se_sabe_se_cargan(tmp_path, monkeypatch):
    carpeta = _carpeta(tmp_path, 12, lado=16)
    monkeypatch.setattr(cargar_carpeta, "memoria_libre", lambda: 10**6)
    assert preparacion.imagenes_carpeta(carpeta, 16).shape == (12, 16, 16, 3)
    monkeypatch.setattr(cargar_carpeta, "memoria_libre", lambda: None)  # Windows: no se comprueba
    assert preparacion.imagenes_carpeta_uint8(carpeta, 16).dtype == np.uint8


def test_cargar_no_tiene_a_la_vez_varias_copias_de_las_imagenes(tmp_path):
    carpeta = _carpeta(tmp_path, 60)
    valores = 60 * 64 * 64 * 3
    imagenes, pico = _pico(preparacion.imagenes_carpeta, carpeta, 64)
    assert imagenes.dtype == np.float32 and imagenes.shape == (60, 64, 64, 3)
    # La uint8 y la float32 del resultado (5 bytes por valor); con una lista, np.stack y la cuenta de una vez, 10.
    assert pico < 5.5 * valores
    # Para entrenar: la uint8 y su parte de entrenamiento (2 bytes por valor), sin nada en float32.
    (entrenamiento, reserva), pico = _pico(tarea._cargar_y_separar, carpeta, 64, 0, tmp_path / "mi_gan")
    assert entrenamiento.dtype == reserva.dtype == np.uint8 and len(entrenamiento) + len(reserva) == 60
    assert pico < 2.2 * valores
    np.testing.assert_array_equal(datos.a_rango_simetrico(np.concatenate([entrenamiento, reserva]), 255).min(), -1.0)


def test_a_dataset_uint8_da_los_mismos_lotes_que_a_dataset_en_float32():
    imagenes = np.random.default_rng(1).integers(0, 256, (40, 8, 8, 3), dtype=np.uint8)
    en_uint8 = [lote.numpy() for lote in datos.a_dataset_uint8(imagenes, 16, semilla=3)]
    en_float = [lote.numpy() for lote in datos.a_dataset(datos.a_rango_simetrico(imagenes, 255), 16, semilla=3)]
    assert len(en_uint8) == 2 and all(lote.dtype == np.float32 and lote.shape == (16, 8, 8, 3) for lote in en_uint8)
    np.testing.assert_array_equal(np.stack(en_uint8), np.stack(en_float))
    with pytest.raises(ValueError, match="usa a_dataset"):
        datos.a_dataset_uint8(datos.a_rango_simetrico(imagenes, 255))
    # Antes, a una matriz uint8 vacía o sin el eje de los canales también le decía «usa a_dataset».
    with pytest.raises(ValueError, match=r"^No hay imágenes: a_dataset_uint8 recibió una matriz vacía, de forma \(0, 8, 8, 3\)\.$"):
        datos.a_dataset_uint8(imagenes[:0])
    # Una lista vacía llega como float64: tampoco es que sean imágenes en [-1, 1].
    with pytest.raises(ValueError, match=r"^No hay imágenes: a_dataset_uint8 recibió una matriz vacía, de forma \(0,\)\.$"):
        datos.a_dataset_uint8([])
    with pytest.raises(ValueError, match=r"de forma \(40, 8, 8\), sin el eje de los canales: añádelo") as error:
        datos.a_dataset_uint8(imagenes[..., 0])
    assert "usa a_dataset" not in str(error.value)


def test_donde_no_se_sabe_la_memoria_libre_una_reserva_negada_se_explica_antes_de_leer(tmp_path, monkeypatch):
    # Sin MemAvailable (Windows, que además no promete memoria que no tiene) el sistema niega la matriz al pedirla.
    # Antes, la traza de NumPy en inglés («Unable to allocate … for an array with shape …»); ahora, lo mismo que con
    # la memoria conocida, sin cifras de lo libre y aún sin leer nada.
    carpeta = _carpeta(tmp_path, 12)
    monkeypatch.setattr(carpeta_o_zip, "decodificar", _sin_leer)
    monkeypatch.setattr(cargar_carpeta, "memoria_libre", lambda: None)
    vacia = np.empty

    def negada(forma, dtype=float, *args, **kwargs):
        if np.dtype(dtype) == np.uint8 and len(forma) == 4 and forma[0] == 12:  # la matriz de las 12 fotos
            raise MemoryError(f"Unable to allocate … for an array with shape {forma} and data type uint8")
        return vacia(forma, dtype, *args, **kwargs)

    monkeypatch.setattr(cargar_carpeta.np, "empty", negada)
    with pytest.raises(ValueError) as error:
        preparacion.imagenes_carpeta(carpeta, 64)
    mensaje = str(error.value)
    assert mensaje.startswith("Tus 12 archivos de «") and "a 64 px necesitan 0,0 GB de memoria y el sistema no puede " \
                                                          "dárselos: no caben" in mensaje
    assert "No he leído nada" in mensaje and "a 32 px ocupan" in mensaje and "--maximo N" in mensaje
    assert "entrenar_carpeta" in mensaje
    with pytest.raises(ValueError, match="el sistema no puede dárselos"):
        tarea.entrenar_carpeta(carpeta, tmp_path / "mi_gan", 32, 1)  # en modo rápido, a 32 px
    assert not (tmp_path / "mi_gan").exists()


def test_al_continuar_compara_las_imagenes_guardadas_sin_leerlas_todas_de_una_vez(tmp_path, monkeypatch):
    # Antes, imagenes.npz se leía entero: al continuar con CelebA estaban dos veces en memoria.
    entrenamiento = np.arange(2000 * 32 * 32 * 3, dtype=np.int64).reshape(2000, 32, 32, 3).astype(np.uint8)
    guardadas = {"entrenamiento": entrenamiento, "reserva": entrenamiento[:5].copy()}
    salida = tmp_path / "mi_gan"
    salida.mkdir()
    np.savez_compressed(salida / tarea.ARCHIVO_IMAGENES, **guardadas)
    monkeypatch.setattr(imagenes_guardadas, "BYTES_POR_BLOQUE", 20 * 32 * 32 * 3)
    _, pico = _pico(reanudacion.comprobar_mismas_imagenes, salida, guardadas, tmp_path / "fotos", 32, {})
    assert pico < entrenamiento.nbytes / 4
    # Por bloques, cada imagen se compara con la suya: una cambiada en el último bloque se nota.
    cambiadas = {**guardadas, "entrenamiento": entrenamiento.copy()}
    cambiadas["entrenamiento"][-1] = 255 - cambiadas["entrenamiento"][-1]
    with pytest.raises(ValueError, match="no son las del entrenamiento guardado"):
        reanudacion.comprobar_mismas_imagenes(salida, cambiadas, tmp_path / "fotos", 32, {})
    # Cortado (p. ej. al copiarlo): el mismo consejo que antes, apartarlo y continuar.
    ruta = salida / tarea.ARCHIVO_IMAGENES
    ruta.write_bytes(ruta.read_bytes()[: ruta.stat().st_size // 2])
    with pytest.raises(ValueError, match=r"imagenes\.npz» está dañado \(no se puede leer: quizá se cortó .*renómbralo") as error:
        reanudacion.comprobar_mismas_imagenes(salida, guardadas, tmp_path / "fotos", 32, {})
    assert not re.search(r"BadZipFile|\w+Error", str(error.value))  # no el nombre en inglés de la excepción


def _sistema(tmp_path, disponible_kb, cgroup):
    """Raíces falsas de /proc (con ``MemAvailable``) y de /sys/fs/cgroup (con ``cgroup``: ``{ruta: texto}``)."""
    proc, raiz = tmp_path / "proc", tmp_path / "cgroup"
    proc.mkdir()
    (proc / "meminfo").write_text(f"MemTotal: 16000000 kB\nMemAvailable: {disponible_kb} kB\n", encoding="ascii")
    for nombre, texto in cgroup.items():
        ruta = raiz / nombre
        ruta.parent.mkdir(parents=True, exist_ok=True)
        ruta.write_text(texto, encoding="ascii")
    return proc, raiz


@pytest.mark.parametrize("cgroup, libres", [
    ({}, 8_000_000 * 1024),  # sin contenedor: MemAvailable
    # cgroup v2: límite de 2 GB, 1,5 GB en uso, de ellos 0,25 GB de caché de disco inactiva (se libera)
    ({"memory.max": "2000000000\n", "memory.current": "1500000000\n",
      "memory.stat": "anon 1000000000\nfile 500000000\ninactive_file 250000000\n"}, 750_000_000),
    # La caché activa también se libera al acercarse al límite (MemAvailable la cuenta como libre): fotos recién
    # leídas dos veces (validar y cargar) no dejan 0,2 GB libres de 2 GB, sino 1,4 GB.
    ({"memory.max": "2000000000\n", "memory.current": "1900000000\n",
      "memory.stat": "anon 600000000\nfile 1300000000\nactive_file 1200000000\ninactive_file 100000000\n"}, 1_400_000_000),
    ({"memory/memory.limit_in_bytes": "2000000000\n", "memory/memory.usage_in_bytes": "1900000000\n",
      "memory/memory.stat": "cache 1300000000\nactive_file 5\ntotal_active_file 1200000000\n"
                            "total_inactive_file 100000000\n"}, 1_400_000_000),
    # memory.stat se lee después que memory.current: si la caché ha crecido entretanto, nunca más que el límite.
    ({"memory.max": "1000000000\n", "memory.current": "100\n", "memory.stat": "active_file 500\n"}, 1_000_000_000),
    ({"memory.max": "max\n", "memory.current": "1500000000\n"}, 8_000_000 * 1024),  # v2 sin límite
    # cgroup v1: límite de 1 GB y 0,4 GB en uso
    ({"memory/memory.limit_in_bytes": "1000000000\n", "memory/memory.usage_in_bytes": "400000000\n",
      "memory/memory.stat": "cache 0\ntotal_inactive_file 0\n"}, 600_000_000),
    ({"memory/memory.limit_in_bytes": "9223372036854771712\n", "memory/memory.usage_in_bytes": "400000000\n"},
     8_000_000 * 1024),  # v1 sin límite: casi 2**63
    ({"memory.max": "20000000000000\n", "memory.current": "0\n"}, 8_000_000 * 1024),  # límite mayor que el anfitrión
])
def test_en_un_contenedor_la_memoria_libre_es_la_que_le_queda_hasta_su_limite(tmp_path, cgroup, libres):
    # Antes, en un JupyterHub con límite de 2 GB se leía MemAvailable del anfitrión (8 GB) y la carga moría a mitad.
    proc, raiz = _sistema(tmp_path, 8_000_000, cgroup)
    assert memoria.memoria_libre(proc, raiz) == libres


_USUARIO = "user.slice/user-1000.slice"
_TRABAJO = "memory/slurm/uid_1000/job_42"


@pytest.mark.parametrize("propio, cgroup, libres", [
    # JupyterHub con systemd (cgroup v2): el límite de 2 GB está en el cgroup del usuario, por encima del proceso.
    ("0::/user.slice/user-1000.slice/jupyter.scope\n",
     {f"{_USUARIO}/memory.max": "2000000000\n", f"{_USUARIO}/memory.current": "1500000000\n",
      f"{_USUARIO}/jupyter.scope/memory.max": "max\n", f"{_USUARIO}/jupyter.scope/memory.current": "1400000000\n"},
     500_000_000),
    # Un trabajo de Slurm (cgroup v1) con 4 GB, dentro de los 6 GB del usuario: manda el más estrecho, descontada la caché.
    ("5:memory:/slurm/uid_1000/job_42/step_0\n1:cpu,cpuacct:/\n0::/\n",
     {"memory/slurm/uid_1000/memory.limit_in_bytes": "6000000000\n", "memory/slurm/uid_1000/memory.usage_in_bytes": "3000000000\n",
      f"{_TRABAJO}/memory.limit_in_bytes": "4000000000\n", f"{_TRABAJO}/memory.usage_in_bytes": "3000000000\n",
      f"{_TRABAJO}/memory.stat": "total_inactive_file 500000000\n"},
     1_500_000_000),
    # Docker sin espacio de nombres de cgroups: la ruta del anfitrión no existe dentro; su límite está en la raíz.
    ("4:memory:/docker/0123abcd\n", {"memory/memory.limit_in_bytes": "1000000000\n",
                                     "memory/memory.usage_in_bytes": "400000000\n"}, 600_000_000),
    # Fuera de la raíz de su espacio de nombres («/..»): solo se ve la raíz.
    ("0::/../hermano\n", {"memory.max": "1000000000\n", "memory.current": "100000000\n"}, 900_000_000),
    ("basura sin dos puntos\n", {"memory.max": "1000000000\n", "memory.current": "100000000\n"}, 900_000_000),
])
def test_un_limite_por_encima_del_cgroup_del_proceso_tambien_cuenta(tmp_path, propio, cgroup, libres):
    # Antes solo se miraba la raíz: con systemd o Slurm el límite está en el cgroup del usuario o del trabajo, se leía
    # MemAvailable de toda la máquina (8 GB) y la carga moría a mitad.
    proc, raiz = _sistema(tmp_path, 8_000_000, cgroup)
    (proc / "self").mkdir()
    (proc / "self" / "cgroup").write_text(propio, encoding="ascii")
    assert memoria.memoria_libre(proc, raiz) == libres


# La salida de vm_stat en un Mac con Apple Silicon (páginas de 16 KB), recortada.
VM_STAT = """Mach Virtual Memory Statistics: (page size of 16384 bytes)
Pages free:                                3567.
Pages active:                            265338.
Pages inactive:                          263174.
Pages speculative:                         2051.
Pages throttled:                              0.
Pages wired down:                        134612.
Pages purgeable:                           5180.
"Translation faults":                 1064381953.
Pages stored in compressor:              711006.
"""


@pytest.mark.parametrize("guion, libres", [
    (f"cat <<'FIN'\n{VM_STAT}FIN\n", 16384 * (3567 + 2051 + 263174)),  # libres, especulativas e inactivas: 4,4 GB
    ("echo 'otra cosa'\n", None),
    ("exit 1\n", None),
])
def test_en_macos_la_memoria_libre_es_la_que_dice_vm_stat(tmp_path, monkeypatch, guion, libres):
    # Antes, en macOS no se comprobaba: una colección que no cabía se leía igual y el Mac acababa escribiendo en disco.
    carpeta = tmp_path / "bin"
    carpeta.mkdir()
    (carpeta / "vm_stat").write_text("#!/bin/sh\n" + guion, encoding="ascii")
    (carpeta / "vm_stat").chmod(0o755)
    monkeypatch.setenv("PATH", f"{carpeta}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert memoria.memoria_libre(tmp_path / "sin_proc", tmp_path / "sin_cgroup") == libres


def test_leer_una_parte_sin_imagenes_da_una_matriz_vacia(tmp_path):
    # Leer por bloques no da ningún bloque de una parte vacía: antes, «need at least one array to concatenate».
    ruta = tmp_path / tarea.ARCHIVO_IMAGENES
    np.savez_compressed(ruta, entrenamiento=np.full((3, 8, 8, 3), 7, np.uint8), reserva=np.zeros((0, 8, 8, 3), np.uint8))
    reserva = imagenes_guardadas.leer_imagenes_guardadas(ruta, "reserva")
    assert reserva.shape == (0, 8, 8, 3) and reserva.dtype == np.uint8
    entrenamiento = imagenes_guardadas.leer_imagenes_guardadas(ruta, "entrenamiento")
    assert entrenamiento.shape == (3, 8, 8, 3) and (entrenamiento == 7).all()
