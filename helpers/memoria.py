"""La memoria libre del sistema: cuánta puede pedir el kit antes de cargar una colección sin que el proceso muera
a mitad (``cargar_carpeta.comprobar_memoria``). Lee ``/proc/meminfo`` (Linux, Colab) o ``vm_stat`` (macOS) y los
límites de los cgroups (contenedores, JupyterHub, Slurm); en Windows no se sabe.
"""

import os
import re
import subprocess
import sys
from pathlib import Path, PurePosixPath


def memoria_libre(proc=Path("/proc"), cgroup=Path("/sys/fs/cgroup")):
    """Bytes de memoria que el sistema puede dar ahora sin quitársela a nadie (``MemAvailable`` de Linux y Colab; en
    macOS, ``vm_stat``) o, con un límite de memoria más estrecho (un JupyterHub en Kubernetes, Docker o systemd; un
    trabajo de Slurm), lo que le queda hasta él: allí ``MemAvailable`` es la de toda la máquina. ``None`` si no se
    sabe (Windows no lo dice sin dependencias nuevas; allí el sistema niega la memoria al pedirla y se explica
    igual). ``proc`` y ``cgroup``: dónde leer ``meminfo``, el cgroup del proceso y los cgroups (v2 o v1)."""
    conocidas = [libres for libres in (_disponible_en_el_sistema(proc), _libre_bajo_los_limites(proc, cgroup)) if libres is not None]
    return min(conocidas, default=None)


def _disponible_en_el_sistema(proc):
    try:
        with open(proc / "meminfo", encoding="ascii") as meminfo:
            for linea in meminfo:
                if linea.startswith("MemAvailable:"):
                    return int(linea.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    if sys.platform == "darwin":
        return _disponible_en_macos()
    try:  # otros Unix: solo la memoria sin usar, que se queda corta (no cuenta la caché de disco que se puede liberar)
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def _disponible_en_macos():
    """Las páginas libres, especulativas e inactivas de ``vm_stat`` por su tamaño, o ``None``. Es la memoria
    disponible que da psutil en macOS: las inactivas se reaprovechan antes de comprimir o de ir a disco."""
    try:
        salida = subprocess.run(["vm_stat"], capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    pagina = re.search(r"page size of (\d+) bytes", salida)
    paginas = dict(re.findall(r"^Pages (free|speculative|inactive): +(\d+)\.$", salida, re.M))
    if pagina is None or len(paginas) < 3:
        return None
    return int(pagina[1]) * sum(int(cuantas) for cuantas in paginas.values())


SIN_LIMITE = 2**62  # cgroup v1 sin límite escribe casi 2**63; v2, «max»
# Por versión de cgroup: su controlador en /proc/self/cgroup («» en v2), su carpeta bajo /sys/fs/cgroup y, en cada
# cgroup, los archivos del límite, del uso y de las estadísticas, con las claves de la caché de disco.
CGROUPS = (("", ".", "memory.max", "memory.current", "memory.stat", ("active_file", "inactive_file")),
           ("memory", "memory", "memory.limit_in_bytes", "memory.usage_in_bytes", "memory.stat",
            ("total_active_file", "total_inactive_file")))


def _libre_bajo_los_limites(proc, cgroup):
    """Lo menos que queda hasta un límite de memoria, o ``None`` si no hay ninguno: en el cgroup de este proceso y
    en los que lo contienen, hasta la raíz. systemd y Slurm ponen el límite en el cgroup del usuario o del trabajo,
    por encima del proceso; en un contenedor, su cgroup es la raíz (y una ruta de /proc/self/cgroup que no existe
    dentro de él se salta)."""
    rutas = _cgroups_del_proceso(proc)
    libres = []
    for controlador, carpeta, *archivos in CGROUPS:
        partes = PurePosixPath("/", rutas.get(controlador, "/")).relative_to("/").parts
        if ".." in partes:  # fuera de la raíz de su espacio de nombres de cgroups: no se ve, queda la raíz
            partes = ()
        for hasta in range(len(partes), -1, -1):  # del propio a la raíz
            libre = _libre_en_el_cgroup(cgroup / carpeta / PurePosixPath(*partes[:hasta]), *archivos)
            if libre is not None:
                libres.append(libre)
    return min(libres, default=None)


def _cgroups_del_proceso(proc):
    """``{controlador: ruta}`` de ``proc/self/cgroup`` («» para v2, «memory» para v1); vacío si no se puede leer."""
    rutas = {}
    try:
        for linea in (proc / "self" / "cgroup").read_text(encoding="utf-8").splitlines():
            _, controladores, ruta = linea.split(":", 2)
            for controlador in ("", "memory"):  # la línea de v2 no nombra controladores: «0::/ruta»
                if controlador in controladores.split(","):
                    rutas[controlador] = ruta
    except (OSError, ValueError):
        pass
    return rutas


def _libre_en_el_cgroup(carpeta, limite, uso, estadisticas, cache):
    """Bytes hasta el límite del cgroup ``carpeta``, o ``None`` si no tiene límite o no es un cgroup. El uso descuenta
    la caché de disco, activa e inactiva, que el núcleo libera antes de llegar al límite (como cuenta
    ``MemAvailable``): las fotos recién leídas o preparadas no deben parecer memoria ocupada."""
    try:
        texto = (carpeta / limite).read_text(encoding="ascii").strip()
        if texto == "max" or int(texto) >= SIN_LIMITE:
            return None
        usados = int((carpeta / uso).read_text(encoding="ascii"))
    except (OSError, ValueError):
        return None
    try:
        lineas = (linea.split() for linea in (carpeta / estadisticas).read_text(encoding="ascii").splitlines())
        # Las cifras no se leen a la vez: la caché puede pasar un poco del uso leído antes.
        usados = max(0, usados - sum(int(valor) for clave, valor, *_ in lineas if clave in cache))
    except (OSError, ValueError):
        pass
    return max(0, int(texto) - usados)
