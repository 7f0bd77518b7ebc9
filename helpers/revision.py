"""La revisión de la clase: ``python -m helpers revisar CARPETA --salida informe_clase.html``.

Lee cada ``.zip`` de ``entregar`` que haya en la carpeta (y sus subcarpetas) sin fiarse de nada: ni
de los números del manifiesto ni de las imágenes. Vuelve a generar la cuadrícula con el generador
entregado y la semilla anotada, vuelve a medir SWD, KID y memorización con las imágenes entregadas,
coteja las épocas y las imágenes declaradas con ``historial.csv`` e ``imagenes.npz`` (el manifiesto no
va firmado) y compara entre sí los zips, los pesos de los generadores y las historias de entrenamiento.
Escribe un informe HTML (miniaturas, tabla ordenable) y, con la misma información, una hoja de cálculo
(.xlsx) para el libro de notas y un CSV para programas.

Una entrega es ajena y no se ejecuta nada de ella: el zip se lee como ``preparar`` (sin ``../``,
rutas absolutas ni enlaces, con límites de tamaño), el ``config.json`` del modelo se revisa antes de
cargarlo (solo capas de Keras y las registradas por el kit, nunca ``Lambda``) y se carga con
``safe_mode=True``; las matrices de NumPy, con ``allow_pickle=False``. Antes de generar nada se
comprueban las formas del generador (hasta ``MAX_LADO`` px de lado, 1 o 3 canales), las muestras que
pide el manifiesto y las imágenes de reserva: una entrega pequeña no puede agotar la memoria. Solo
se escribe en la carpeta del informe (y en una carpeta oculta dentro de ella con lo ya revisado, para
retomar una revisión cortada, que se borra al escribir los informes). Una entrega que no se puede leer
tiene su fila con el motivo y qué hacer, y la revisión sigue con las demás; lo que no es un .zip, también.

Este módulo tiene la revisión de la clase: buscar las entregas en la carpeta, revisarlas guardando lo ya
revisado y compararlas entre sí. Leer y volver a medir una entrega está en ``revision_entrega`` (y en los
módulos que usa: ``lectura_entrega``, con ``EntregaIlegible``; ``generador_ajeno``, ``declarado_entrega`` y
``medida_entrega``), y escribir los informes, en ``revision_informes``.
"""

import hashlib
import json
import re
import shutil
import unicodedata
import zipfile
from pathlib import Path, PurePath

import numpy as np

from .archivos import con_la_ruta_pedida, escribir_de_una_vez, guardar_npz
from .carpeta_o_zip import archivo_del_sistema
from .declarado_entrega import epocas_declaradas
from .entorno import carpeta_resultados, en_exclusiva, modo_rapido
from .lectura_entrega import MAX_ZIP, REENTREGAR, EntregaIlegible
from .nombre_y_reflexion import NOMBRE_DE_EJEMPLO, ZIP_POR_DEFECTO
from .opciones import exigir_ruta
from .registro_tarea import MANIFIESTO
from .revision_entrega import revisar_entrega
from .revision_informes import COLUMNAS, _escribir_informes
from .textos import contar, enumerar_algunos, miles, sin_tildes, texto_imprimible

# «Casi idénticos»: sus pesos distan menos de un cuarto de lo típico entre dos entregas de la clase.
# Relativo a la clase y no absoluto: con la misma semilla todos parten de los mismos pesos, y tras
# pocos pasos dos entregas honradas distan menos del 1 % (benchmarks/revision_clase.py).
UMBRAL_PARECIDO = 0.25


def distancias_pesos(filas):
    """``[(fila_a, fila_b, distancia)]`` de cada par de generadores con la misma arquitectura."""
    legibles = [fila for fila in filas if "pesos" in fila]
    return [(a, b, float(np.linalg.norm(a["pesos"] - b["pesos"])))
            for i, a in enumerate(legibles) for b in legibles[i + 1 :] if a["pesos"].shape == b["pesos"].shape]


def comparar_pesos(filas):
    """Avisa en las filas de generadores idénticos (un aviso por fila, con las demás del grupo) y en las dos de
    cada par de generadores casi idénticos (ver ``UMBRAL_PARECIDO``)."""
    pares = distancias_pesos(filas)
    distintas = [distancia for _, _, distancia in pares if distancia > 0]
    tipica = float(np.median(distintas)) if distintas else 0.0
    iguales = {}  # id de la fila → las demás con el mismo generador
    for a, b, distancia in pares:
        if distancia == 0:
            iguales.setdefault(id(a), []).append(b["entrega"])
            iguales.setdefault(id(b), []).append(a["entrega"])
    # Una clase entera con el mismo generador no llena cada fila con una línea por compañero. Va antes que los «casi
    # idénticos», que pesan menos.
    for fila in filas:
        if otras := iguales.get(id(fila)):
            fila["avisos"].append(f"generador idéntico al de {enumerar_algunos(otras, maximo=5)}")
    for a, b, distancia in pares:
        if 0 < distancia < UMBRAL_PARECIDO * tipica:
            # Tras muy pocos pasos los pesos dependen más de cuántos se dieron que de las fotos.
            for esta, otra in ((a, b), (b, a)):
                epocas = ("" if esta.get("epocas") is None and otra.get("epocas") is None else
                          f"; esta entrega declara {epocas_declaradas(esta)} y {otra['entrega']}, "
                          f"{epocas_declaradas(otra)}")
                esta["avisos"].append(f"generador casi idéntico al de {otra['entrega']} (sus pesos distan un "
                                      f"{100 * distancia / tipica:.0f} % de lo típico en la clase{epocas})")


def comparar_historiales(filas):
    """Avisa en las dos filas de cada par cuyo ``historial.csv`` empieza igual: pérdidas idénticas cifra a cifra
    solo salen del mismo entrenamiento (uno siguió el del otro) o de las mismas fotos con la misma semilla, y
    unas épocas más pueden alejar los pesos lo bastante para que ``comparar_pesos`` no avise. Los pares con el
    generador idéntico ya tienen su aviso."""
    con_historial = [fila for fila in filas if fila.get("historial")]
    for i, a in enumerate(con_historial):
        for b in con_historial[i + 1 :]:
            x, y = a["historial"], b["historial"]
            iguales = next((k for k, (fx, fy) in enumerate(zip(x, y)) if fx != fy), min(len(x), len(y)))
            if not iguales or np.array_equal(a["pesos"], b["pesos"]):
                continue
            if iguales == len(x) == len(y):
                texto = "la historia de entrenamiento (historial.csv) es idéntica a la de {}"
            else:
                tramo = "la primera época es idéntica" if iguales == 1 else f"las {miles(iguales)} primeras épocas son idénticas"
                texto = "la historia de entrenamiento empieza igual que la de {} (" + tramo + " en historial.csv)"
            a["avisos"].append(texto.format(b["entrega"]))
            b["avisos"].append(texto.format(a["entrega"]))


def comparar_alumnos(filas):
    """Avisa en cada entrega a nombre de alguien que tiene otra en la clase («Ana Pérez» y «ana perez» cuentan
    igual): dos versiones de la misma persona (¿cuál vale?) o dos personas con el mismo nombre. No avisa del
    nombre de ejemplo ni del de un zip sin nombre («entrega»): en una clase olvidadiza, cada fila listaría a las
    demás, y la columna «alumno» ya los deja ver."""
    por_nombre = {}
    for fila in filas:
        if fila["alumno"] and fila["alumno"] not in (NOMBRE_DE_EJEMPLO, ZIP_POR_DEFECTO.stem):
            por_nombre.setdefault(" ".join(sin_tildes(fila["alumno"]).split()), []).append(fila)
    for grupo in (grupo for grupo in por_nombre.values() if len(grupo) > 1):
        for fila in grupo:
            otras = enumerar_algunos([otra["entrega"] for otra in grupo if otra is not fila], maximo=5)
            fila["avisos"].append(f"mismo alumno («{fila['alumno']}») que {otras}")


# Cómo lleva un nombre sus letras con tilde: «é» en un carácter o en dos («e» y la tilde aparte).
_TILDES = {"NFC": "unidas a su letra (como en Windows y Linux)",
           "NFD": "separadas de su letra (como las suele guardar macOS)"}


def comparar_nombres(filas):
    """Pone como primer aviso de cada entrega cuyo nombre se ve igual que el de otra, pero va escrito con otros
    caracteres, cuál es cuál: «Zoé.zip» con la «é» en un carácter y con «e» y la tilde aparte son dos archivos en una
    carpeta de Linux (copiados de Windows y de un Mac), y sin él el informe tendría dos filas que no se distinguen,
    con avisos como «mismo archivo que Zoé.zip» que no dirían cuál."""
    por_nombre = {}
    for fila in filas:
        por_nombre.setdefault(unicodedata.normalize("NFC", fila["entrega"]), []).append(fila)
    for grupo in (grupo for grupo in por_nombre.values() if len(grupo) > 1):
        for fila in grupo:
            otras = [_tildes(otra["entrega"]) for otra in grupo if otra is not fila]
            quienes = "otro archivo se llama" if len(otras) == 1 else f"otros {len(otras)} archivos se llaman"
            fila["avisos"].insert(0, f"{quienes} igual a la vista, con otros caracteres: en este, las tildes van "
                                     f"{_tildes(fila['entrega'])}, y en {'el otro' if len(otras) == 1 else 'los otros'}, "
                                     f"{enumerar_algunos(otras, maximo=5)}")


def _tildes(nombre):
    """Cómo van las tildes de ``nombre``, para distinguirlo de otro que se ve igual."""
    return next((texto for forma, texto in _TILDES.items() if unicodedata.is_normalized(forma, nombre)),
                "unas unidas a su letra y otras separadas")


def revisar(carpeta, salida=None):
    """Revisa todas las entregas ``*.zip`` de ``carpeta`` y escribe ``salida`` (HTML; por defecto,
    ``resultados/informe_clase.html``) y, al lado, la hoja de cálculo (.xlsx) y el CSV.

    Devuelve la lista de filas (diccionarios con ``COLUMNAS``; ``avisos`` es una lista). No modifica
    nada en ``carpeta``; si ``salida`` existe, lanza ``FileExistsError``, y si otra revisión está
    escribiendo la misma ``salida``, ``BlockingIOError``. Lo ya revisado se guarda en una carpeta oculta
    junto a ``salida`` (``cache_de``): si la revisión se corta, la misma orden la retoma por donde iba; al
    escribir los informes se borra.
    """
    carpeta = exigir_ruta("carpeta", carpeta, "la carpeta con las entregas (.zip) de tu clase")
    salida = exigir_ruta("salida", carpeta_resultados("informe_clase.html") if salida is None else salida,
                         "el informe HTML que se escribe (p. ej. informe_clase.html)")
    if carpeta.is_file():
        raise ValueError(f"«{carpeta}» es un archivo y revisar recibe la carpeta con las entregas (.zip): pon ahí los "
                         "zips; si es el .zip de toda la clase que descargaste, descomprímelo antes.")
    if not carpeta.is_dir():
        raise FileNotFoundError(f"No encuentro la carpeta de entregas «{carpeta}».")
    if salida.is_dir():
        raise ValueError(f"«{salida}» es una carpeta: escribe el nombre del informe que se crea, p. ej. "
                         f"{salida / 'informe_clase.html'}.")
    if salida.suffix != ".html":
        raise ValueError(f"«{salida}» debe terminar en .html (p. ej. informe_clase.html).")
    juntos = (salida.with_suffix(".xlsx"), salida.with_suffix(".csv"), salida)
    _ninguno_existe(juntos)
    sin_revisar, zips = _contenido(carpeta)
    salida.parent.mkdir(parents=True, exist_ok=True)
    _borrar_temporales_viejos(salida.parent)
    cache = cache_de(salida)
    ocupada = (f"Ya hay una revisión en marcha en «{salida}»; espera a que termine y vuelve a lanzar esta orden, o "
               "elige otra --salida.")
    with con_la_ruta_pedida(cache, salida):  # la carpeta oculta no dice nada: el error nombra el informe
        cache.mkdir(exist_ok=True)
        # Dos revisiones a la vez se quitarían lo ya revisado y escribirían el mismo informe.
        with en_exclusiva(cache, ocupada):
            _ninguno_existe(juntos)  # la otra pudo terminar mientras esta buscaba los zips
            filas = _revisar_todas(sin_revisar, zips, carpeta, cache)
            comparar_nombres(filas)
            comparar_pesos(filas)
            comparar_historiales(filas)
            comparar_alumnos(filas)
            _escribir_informes(filas, juntos, carpeta)
            for guardado in cache.iterdir():  # las copias del material de los estudiantes; el cerrojo sigue abierto
                if guardado.name != ".cerrojo":
                    guardado.unlink()
    # Ya sin el cerrojo (Windows no borra un archivo abierto); si otra revisión acaba de tomarlo, que se quede.
    shutil.rmtree(cache, ignore_errors=True)
    con_avisos = sum(bool(f["avisos"] or f["motivo"]) for f in filas)
    print(f"\n{contar(len(filas), 'entrega', 'entregas')}, {con_avisos} con avisos o ilegibles. Informe: {salida}; "
          f"para tu hoja de notas, {juntos[0].name} (y {juntos[1].name} para programas).")
    return filas


def _ninguno_existe(juntos):
    existen = [ruta for ruta in juntos if ruta.exists()]
    if not existen:
        return
    cache = cache_de(juntos[-1])
    con_revisadas = cache.is_dir() and any(p.name != ".cerrojo" for p in cache.iterdir())
    if con_revisadas and len(existen) < len(juntos):  # cortada entre un informe y el siguiente
        raise FileExistsError(
            f"Una revisión anterior se cortó mientras escribía sus informes y solo dejó {' y '.join(f'«{r}»' for r in existen)}: "
            f"{'bórralos' if len(existen) > 1 else 'bórralo'} y vuelve a lanzar la misma orden, que seguirá con lo ya revisado (en «{cache}»; no borres esa "
            "carpeta) y escribirá los tres informes.")
    # Una revisión cortada justo después de escribir los informes deja su carpeta oculta: que no se olvide.
    queda = (f" Queda también «{cache}», de esa revisión, con copias del material de tus estudiantes: bórrala."
             if con_revisadas else "")
    # Todos, empezando por el informe pedido: nombrar solo uno hacía borrar y repetir la orden una vez por informe.
    nombres = [f"«{ruta}»" for ruta in sorted(existen, key=lambda ruta: ruta != juntos[-1])]
    if len(nombres) == 1:
        raise FileExistsError(f"{nombres[0]} ya existe y no lo sobrescribo: bórralo tú o elige otra --salida.{queda}")
    raise FileExistsError(f"{', '.join(nombres[:-1])} y {nombres[-1]} ya existen y no los sobrescribo: bórralos tú o "
                          f"elige otra --salida.{queda}")


DESCOMPRIMIDA = ("es una carpeta descomprimida, no un .zip; comprime su contenido (o pide el .zip de «entregar»), quita "
                 "la carpeta y revisa de nuevo")
COMPRIMIDOS = {".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"}
A_MEDIAS = {".part", ".crdownload", ".download", ".partial"}  # descargas sin terminar de los navegadores
A_MEDIAS_MOTIVO = "es una descarga sin terminar; espera a que acabe (o descárgalo de nuevo) y vuelve a revisar"
ENLACE = ("es un enlace a otra carpeta, y revisar no entra en los enlaces: copia aquí esa carpeta (o revísala aparte) y "
          "vuelve a revisar")


def _contenido(carpeta):
    """``(sin_revisar, zips)`` de ``carpeta`` y sus subcarpetas, sin lo oculto (el temporal de un «entregar»
    cortado, .ana.1234.tmp.zip, o el ._ana.zip de macOS) ni los archivos del sistema. ``sin_revisar`` son pares
    ``(ruta, motivo)``, con su fila en el informe (también los enlaces a carpetas, en los que no entra); los
    informes de una revisión anterior escrita en la misma carpeta no son entregas y no la tienen."""
    todo = sorted((r for r in carpeta.rglob("*") if not archivo_del_sistema(r.relative_to(carpeta).as_posix())),
                  key=_orden_natural)
    a_medias = [r for r in todo if r.suffix.lower() in A_MEDIAS]  # Safari descarga en carpetas «x.zip.download»
    # También «.ZIP», y las carpetas o enlaces rotos con ese nombre: su fila dice qué son.
    zips = [r for r in todo if r.suffix.lower() == ".zip" and not _dentro(r, a_medias)]
    # Lo que hay dentro de una carpeta «x.zip» o de la que el navegador descomprimió junto a su zip ya está en
    # la fila de ese zip; lo de una descarga a medias, en la suya.
    apartadas = [*a_medias, *(r for r in zips if r.is_dir()), *(r.with_suffix("") for r in zips)]
    # Una entrega descomprimida (su manifiesto suelto en una carpeta) tiene su fila, y lo de dentro va con ella. En
    # la carpeta de la clase misma no: su manifiesto suelto tiene su propia fila, como cada archivo suelto.
    con_manifiesto = {r.parent for r in todo if r.name == MANIFIESTO and r.parent != carpeta and not _dentro(r, apartadas)}
    descomprimidas = sorted(d for d in con_manifiesto if not _dentro(d, con_manifiesto))
    apartadas += descomprimidas
    otros = [r for r in todo if r.suffix.lower() != ".zip" and not r.is_dir() and not _dentro(r, apartadas)
             and not _de_un_informe(r)]
    # La búsqueda no entra en ellos (podrían llevar fuera de la clase): sin su fila, sus zips faltarían callados.
    enlazadas = [r for r in todo if r.is_symlink() and r.is_dir() and r.suffix.lower() != ".zip"
                 and r not in a_medias and not _dentro(r, apartadas)]
    if not zips and not descomprimidas and not enlazadas:
        hay = ", ".join(_nombre(r, carpeta) for r in otros[:3]) + ("…" if len(otros) > 3 else "")
        raise ValueError(f"«{carpeta}» no tiene ningún .zip{f' (solo {hay})' if otros else ''}: pon ahí las entregas "
                         "de «python -m helpers entregar».")
    carpetas_a_medias = [r for r in a_medias if r.is_dir() and not _dentro(r, apartadas)]
    sin_revisar = ([(r, DESCOMPRIMIDA) for r in descomprimidas] + [(r, A_MEDIAS_MOTIVO) for r in carpetas_a_medias]
                   + [(r, ENLACE) for r in enlazadas] + [(r, _por_que_no_se_revisa(r)) for r in otros])
    return sorted(sin_revisar, key=lambda fila: _orden_natural(fila[0])), zips


def _orden_natural(ruta):
    """Clave para ordenar rutas como las lee una persona: en cada parte, el nombre sin la extensión, sin contar
    mayúsculas ni tildes, y sus cifras por su valor. Así «Ana García.zip» va antes que sus copias «Ana García (1).zip»,
    «(2)»… y «(10)», después de «(9)» (por caracteres, el espacio va antes que el punto y «1» antes que «9»), y
    «ana.zip» y «Álvaro.zip», junto a ellas y no después de «Zoe.zip». Si empatan («a1.zip», «a01.zip»,
    «ana.zip», «Ana.zip»), por caracteres: el orden no depende de cómo liste la carpeta el sistema."""
    return ([([int(trozo) if i % 2 else trozo for i, trozo in enumerate(re.split(r"(\d+)", sin_tildes(parte.stem)))],
              sin_tildes(parte.suffix)) for parte in map(PurePath, ruta.parts)], ruta.as_posix())


def _de_un_informe(ruta):
    """``True`` si ``ruta`` es uno de los tres informes (.html, .xlsx y .csv del mismo nombre) que escribe ``revisar``."""
    juntos = (".html", ".xlsx", ".csv")
    return ruta.suffix in juntos and all(ruta.with_suffix(sufijo).is_file() for sufijo in juntos)


def _dentro(ruta, carpetas):
    """``True`` si ``ruta`` está dentro de alguna de ``carpetas``."""
    return not set(carpetas).isdisjoint(ruta.parents)


def _por_que_no_se_revisa(ruta):
    """El motivo de la fila de un archivo que no es .zip: ``revisar`` solo lee los de «entregar»."""
    sufijo = ruta.suffix.lower()
    if ruta.name == MANIFIESTO:
        return ("es el manifiesto de una entrega descomprimida en la carpeta de la clase: quita sus archivos y "
                "deja solo su .zip (o pídeselo al estudiante)")
    if sufijo in A_MEDIAS:
        return A_MEDIAS_MOTIVO
    if sufijo in COMPRIMIDOS:
        return f"está comprimido en {sufijo}, no en .zip; {REENTREGAR}"
    return f"no es un .zip; si es parte de una entrega, {REENTREGAR}"


def _revisar_todas(sin_revisar, zips, carpeta, cache):
    """Las filas de la tabla en su orden (primero lo que no se revisa), con lo ya revisado tomado de ``cache``."""
    total, filas, numero, kit = len(sin_revisar) + len(zips), [], 0, _huella_kit()
    primeras = {}  # huella → fila del primer zip con ella: una copia con otro nombre es un aviso, no «ya revisada»
    copias = {}  # id de esa primera fila → los nombres de sus copias
    try:
        if any(cache.glob("*.npz")):  # cuáles sirven (la misma entrega y el mismo kit) lo dice cada línea
            print("Retomo la revisión cortada: las entregas ya revisadas, si no han cambiado, no se revisan de nuevo.")
        # Lo que no se revisa cuenta en el progreso igual que en el resumen.
        for numero, (ruta, motivo) in enumerate(sin_revisar, 1):
            print(f"[{numero}/{total}] {_nombre(ruta, carpeta)} — no se revisa: {motivo}")
            filas.append(_ilegible(motivo) | {"entrega": _nombre(ruta, carpeta)})
        for numero, ruta in enumerate(zips, len(sin_revisar) + 1):
            nombre, guardada = _nombre(ruta, carpeta), _guardada(cache, kit, ruta)
            igual = primeras.get(guardada)
            ya = guardada and guardada.exists()
            nota = f" (mismo archivo que {igual['entrega']})" if igual else " (ya revisada)" if ya else ""
            print(f"[{numero}/{total}] {nombre}{nota}")
            fila = _revisar_guardando(ruta, guardada, cache) | {"entrega": nombre}
            if igual:
                fila["avisos"].append(f"mismo archivo que {igual['entrega']}")
                copias.setdefault(id(igual), []).append(nombre)
            elif guardada:
                primeras[guardada] = fila
            filas.append(fila)
        for fila in primeras.values():  # la primera de varias copias: un aviso con todas, no una línea por copia
            if nombres := copias.get(id(fila)):
                fila["avisos"].append(f"mismo archivo que {enumerar_algunos(nombres, maximo=5)}")
    except KeyboardInterrupt:  # sin la traza de TensorFlow de la red de un estudiante
        donde = f"en la entrega {numero} de {total}" if numero else "antes de la primera entrega"
        raise KeyboardInterrupt(
            f"Revisión interrumpida {donde}: no se ha escrito ningún informe (el HTML, la hoja y el CSV se escriben "
            f"juntos al final). Lo ya revisado queda en «{cache}»: vuelve a lanzar la misma orden y seguirá por donde "
            "iba; si no la vas a retomar, borra esa carpeta (tiene copias del material de tus estudiantes).") from None
    return filas


def _nombre(ruta, carpeta):
    return texto_imprimible(str(ruta.relative_to(carpeta)))


def _revisar_guardando(ruta, guardada, temporal):
    """La fila de la entrega ``ruta``: la guardada en ``guardada`` si ya estaba; si no, la revisa (con los
    temporales en ``temporal``) y, si se pudo revisar, la guarda (salvo ``guardada=None``). Nunca para la revisión."""
    if guardada and guardada.exists():
        try:
            return _leer_guardada(guardada)
        except (ValueError, OSError, EOFError, KeyError, zipfile.BadZipFile):  # dañada (un apagón): de nuevo
            guardada.unlink(missing_ok=True)
    try:
        fila = revisar_entrega(ruta, temporal)
    # Una ilegible no se guarda: es rápida de repetir y su causa puede ser pasajera (falta de memoria al cargar).
    except EntregaIlegible as error:
        return _ilegible(str(error))
    # Última red: una entrega ajena puede fallar de formas imprevistas y no debe parar la revisión.
    except Exception as error:  # noqa: BLE001
        return _ilegible(f"error inesperado al revisarla ({error.__class__.__name__}); vuelve a revisar la "
                         f"clase y, si se repite, {REENTREGAR}")
    if guardada is None:
        return fila
    _guardar(fila, guardada)
    # La fila sale de lo guardado: una revisión retomada da el mismo informe que una seguida.
    return _leer_guardada(guardada)


def _ilegible(motivo):
    return {**dict.fromkeys(COLUMNAS), "alumno": "", "avisos": [], "motivo": motivo}


def cache_de(salida):
    """La carpeta oculta donde la revisión que escribe ``salida`` guarda lo ya revisado (y sus temporales)."""
    return salida.parent / f".{salida.name}.revision"


def _huella_kit():
    """Lo que cambia la revisión sin cambiar las entregas: el código del kit (también el de una copia
    actualizada con ``git pull``, que no cambia de versión) y el modo rápido."""
    huella = hashlib.sha256(str(modo_rapido()).encode())
    for modulo in sorted(Path(__file__).parent.glob("*.py")):
        huella.update(modulo.read_bytes())
    return huella


def _guardada(cache, kit, ruta):
    """Dónde se guarda la fila de ``ruta``: su huella SHA-256 junto a la del kit (``kit``). Una entrega cambiada,
    aunque se llame igual, nunca reutiliza una fila vieja. ``None`` si no se puede leer (una carpeta que se llama
    .zip, un enlace roto): se revisa sin guardarla y su motivo dice por qué."""
    if not ruta.is_file() or ruta.stat().st_size > MAX_ZIP:  # sin abrir una tubería ni leer gigas: lo dirá su fila
        return None
    huella = kit.copy()
    try:
        with open(ruta, "rb") as archivo:
            return cache / f"{hashlib.file_digest(archivo, lambda: huella).hexdigest()}.npz"
    except OSError:
        return None


def _guardar(fila, guardada):
    """Guarda la fila (sin su nombre, que depende de dónde esté el zip) y sus pesos en ``guardada`` (.npz)."""
    # En float32 siempre: NumPy guarda un tipo como bfloat16 (posible en un generador ajeno) como bytes sin tipo.
    pesos = {"pesos": np.asarray(fila["pesos"], np.float32)} if "pesos" in fila else {}
    datos = json.dumps({clave: valor for clave, valor in fila.items() if clave not in ("entrega", "pesos")},
                       ensure_ascii=False, default=float)  # las cifras de NumPy, como números de Python
    # Entera o nada, aunque la revisión se corte aquí o se vaya la luz (ver ``escribir_de_una_vez``).
    escribir_de_una_vez(guardada, lambda temporal: guardar_npz(temporal, fila=np.array(datos), **pesos))


def _leer_guardada(guardada):
    """La fila que guardó ``_guardar`` (sin ``entrega``), con sus pesos si los tenía."""
    with np.load(guardada, allow_pickle=False) as datos:
        return json.loads(str(datos["fila"])) | ({"pesos": datos["pesos"]} if "pesos" in datos else {})


def _borrar_temporales_viejos(carpeta):
    """Borra las carpetas temporales que las versiones anteriores del kit dejaban en ``carpeta`` si la revisión
    moría de golpe (``kill -9``): se reconocen por el nombre que les daba ``tempfile`` (``.revision_`` y 8
    letras o cifras) y por tener solo el generador y la cuadrícula de una entrega. Nada más se toca."""
    for vieja in carpeta.glob(".revision_*"):
        if not re.fullmatch(r"\.revision_[a-z0-9_]{8}", vieja.name) or vieja.is_symlink() or not vieja.is_dir():
            continue
        suyos = ("generador.keras", "regenerada.png")
        if all(p.is_file() and not p.is_symlink() and p.name in suyos for p in vieja.iterdir()):
            shutil.rmtree(vieja)
