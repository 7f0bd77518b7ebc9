"""Preparar las imágenes de un estudiante: revisar qué sirve y guardar copias cuadradas, del mismo tamaño y limpias.

- ``revisar_imagenes``: qué archivos de una carpeta (con subcarpetas) o de un .zip sirven, y por qué
  no sirven los demás. ``mostrar_informe`` lo enseña como tabla y vista previa.
- ``preparar_imagenes``: las deja cuadradas, del mismo tamaño y en PNG en una carpeta nueva bajo
  ``salida`` (o en la de una preparación anterior idéntica); si quieres, recorta rostros y quita duplicados.

Lo demás tiene su propio módulo, que no importa este: recorrer la carpeta o el .zip y leer cada archivo con seguridad
está en ``carpeta_o_zip``; dejar las imágenes cuadradas y recortar rostros, en ``encuadre``, y cargarlas en memoria
para entrenar (``imagenes_carpeta``, y ``cargar_imagenes``, que acepta además el nombre de un conjunto de
``helpers.datos``), en ``cargar_carpeta``. Lo que era público aquí se importa de ellos, así que
``helpers.preparacion.<nombre>`` sigue sirviendo (las copias guardadas de los cuadernos lo usan).

Los originales solo se leen: nunca se modifican, mueven ni borran. Solo se decodifican imágenes, con ``lectura``
(JPEG, PNG, WebP, BMP y GIF con Pillow; AVIF con Pillow 11.3 o más nueva; HEIC con pillow-heif); ningún archivo se
carga con pickle. Las copias casi idénticas las reconoce ``duplicados``.
"""

import glob
import io
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from .archivos import IgualEnLaSerie, con_la_ruta_pedida, primera_libre
from .cargar_carpeta import (BYTES_CUADERNO, BYTES_ENTRENAR, PARTE_PARA_IMAGENES, cargar_imagenes, comprobar_memoria,
                             imagenes_carpeta, imagenes_carpeta_uint8)
from .carpeta_o_zip import (A_MEDIAS, MARCAS_DE_RESULTADOS, MAX_MIEMBRO, MAX_RAPIDO, NOMBRE_DE_COPIA, QUE_RUTA,
                            archivo_del_sistema, error_sin_imagenes, recorrer_imagenes, recuento_de_motivos)
from .datos import a_rango_simetrico
from .duplicados import Vistas
from .encuadre import (ALARGADA, LADO_DETECCION, RECORTES, aviso_alargadas, aviso_ampliadas, caja_rostro,
                       comprobar_encuadre, cuadrar, medida_si_alargada, medida_si_pequena)
from .entorno import carpeta_resultados
from .errores import consejo_del_sistema, explicar_error_del_sistema
from .graficos import mostrar_cuadricula
from .lectura import FONDO_OSCURO, aviso_sobre_negro
from .opciones import exigir_booleano, exigir_carpeta, exigir_enteros, exigir_ruta
from .textos import contar, miles

# Lo que se usa como helpers.preparacion.<nombre>, aunque viva en carpeta_o_zip, encuadre o cargar_carpeta.
__all__ = [
    "A_MEDIAS", "ALARGADA", "BYTES_CUADERNO", "BYTES_ENTRENAR", "LADO_DETECCION", "MARCAS_DE_RESULTADOS", "MAX_MIEMBRO",
    "MAX_RAPIDO", "MINIATURA", "NOMBRE_DE_COPIA", "PARTE_PARA_IMAGENES", "QUE_RUTA", "RECORTES", "Informe",
    "archivo_del_sistema", "caja_rostro", "cargar_imagenes", "comprobar_memoria", "comprobar_salida",
    "imagenes_carpeta", "imagenes_carpeta_uint8", "mostrar_informe", "preparar_imagenes", "revisar_imagenes",
]

MINIATURA = 64


@dataclass(repr=False)
class Informe:
    """Resultado de revisar (o preparar) una carpeta o un .zip de imágenes.

    - ``utilizables``: nombres (relativos a la carpeta, o rutas dentro del zip) de las imágenes válidas;
    - ``descartadas``: pares ``(nombre, motivo)``, con el motivo en español;
    - ``miniaturas``: hasta 16 vistas previas uint8 ``(lado, lado, canales)`` para ``mostrar_informe``;
    - ``ampliadas``: pares ``(nombre, medida)`` de las utilizables que medían menos que el tamaño pedido y
      se ampliaron (solo al preparar; ``preparar_imagenes`` lo avisa al terminar);
    - ``sobre_negro``: nombres de las utilizables que eran dibujos claros sobre fondo transparente y se
      compusieron sobre negro, porque sobre blanco apenas se verían (se avisa al preparar y al mostrar el informe).
    """

    origen: str
    utilizables: list = field(default_factory=list)
    descartadas: list = field(default_factory=list)
    miniaturas: list = field(default_factory=list)
    ampliadas: list = field(default_factory=list)
    sobre_negro: list = field(default_factory=list)

    def tabla(self, max_filas=30):
        """Resumen y tabla de texto con el motivo de cada archivo descartado; de los que pasen de
        ``max_filas`` (``None``: ninguno), solo cuántos hay por cada motivo."""
        utilizables = contar(len(self.utilizables), "imagen utilizable", "imágenes utilizables")
        lineas = [f"{self.origen}: {utilizables}, {contar(len(self.descartadas), 'descartada', 'descartadas')}."]
        corte = len(self.descartadas) if max_filas is None else max_filas
        mostradas, resto = self.descartadas[:corte], self.descartadas[corte:]
        if mostradas:
            # Con las tildes compuestas: una de macOS («o» + «´») ocupa dos caracteres y se ve como uno, y descuadraba.
            mostradas = [(unicodedata.normalize("NFC", nombre), motivo) for nombre, motivo in mostradas]
            ancho = max(len("archivo"), *(len(nombre) for nombre, _ in mostradas))
            lineas += ["", f"{'archivo':<{ancho}}  motivo", f"{'-' * ancho}  {'-' * 6}"]
            lineas += [f"{nombre:<{ancho}}  {motivo}" for nombre, motivo in mostradas]
        if resto:
            lineas.append(f"… y {contar(len(resto), 'descartada más', 'descartadas más')} (en Python, tabla(None) del "
                          "informe las lista todas):")
            lineas += recuento_de_motivos(resto, "  ")
        return "\n".join(lineas)

    __str__ = __repr__ = tabla


def _carpeta_a_medias(destino, serie):
    """Crea una carpeta oculta junto a ``destino`` (``.fotos_64px.1a2b3c4d.a_medias``) para escribir en ella, con los
    archivos que hasta aquí coincidían con una preparación anterior (``serie.copiar_lo_igual``).

    Oculta, nadie la toma por preparada: ``preparar_imagenes`` no la cuenta al elegir nombre y al cargar
    imágenes se salta (o, si la nombras, se rechaza). Así, lo que quede de un corte de golpe nunca se usa.
    """
    destino.parent.mkdir(parents=True, exist_ok=True)  # si no se puede, el error nombra la carpeta de salida
    carpeta = destino.with_name(f".{destino.name}.{secrets.token_hex(4)}{A_MEDIAS}")
    try:
        carpeta.mkdir()
    except OSError as error:  # que el mensaje nombre tu carpeta de salida, no la oculta
        raise type(error)(error.errno, error.strerror, str(destino.parent)) from None
    try:
        with con_la_ruta_pedida(carpeta, destino.parent):  # si no cabe, el error nombra la salida, no la oculta
            serie.copiar_lo_igual(carpeta)
    except BaseException:  # también Ctrl-C: quien llama aún no la conoce para borrarla
        shutil.rmtree(carpeta, ignore_errors=True)
        raise
    return carpeta


def _detenida_por_el_sistema(error, temporal, destino):
    """El ``OSError`` en español que sustituye a uno del sistema operativo (el disco lleno, sin permiso…) al
    preparar hacia ``destino``; si falló al escribir en la carpeta oculta ``temporal``, ya borrada, nombra la
    carpeta de salida (también si el error no nombra ningún archivo: el disco lleno al escribir uno abierto)."""
    archivo = error.filename
    if temporal is not None and (archivo is None or Path(archivo).is_relative_to(temporal)):
        archivo = destino.parent
    explicacion = explicar_error_del_sistema(OSError(error.errno, error.strerror, archivo))
    return OSError(f"Preparación detenida: {explicacion}. En «{destino.parent}» no queda ninguna carpeta a medias y tus "
                   f"originales no se han tocado: {consejo_del_sistema(error)}, y vuelve a empezarla.")


def _avisar_restos(destino):
    """Nombra las carpetas ocultas que dejó junto a ``destino`` un corte de golpe (sin tiempo de borrarlas,
    p. ej. al cerrar la terminal): no se usan, pero ocupan sitio."""
    for resto in sorted(destino.parent.glob(f".{glob.escape(destino.name)}.*{A_MEDIAS}")):
        print(f"Aviso: «{resto}» quedó de una preparación cortada de golpe y no se usa: bórrala para liberar espacio.")


def comprobar_salida(salida, origen):
    """``ValueError`` si la carpeta de salida (de un entrenamiento o de ``preparar_imagenes``) es un archivo o está
    dentro de la de imágenes: lo que escribe el kit se mezclaría con tus fotos (y se cargaría como si fueran tuyas
    la próxima vez)."""
    salida, origen = Path(salida).expanduser(), Path(origen).expanduser()
    exigir_carpeta(f"La salida «{salida}»", salida, "elige otra carpeta de salida")
    if origen.is_dir() and salida.resolve().is_relative_to(origen.resolve()):
        raise ValueError(f"La carpeta de salida «{salida}» está dentro de la de imágenes «{origen}»: elige otra.")


def revisar_imagenes(ruta, tamano_minimo=16):
    """Revisa una carpeta (con subcarpetas) o un .zip sin escribir nada y devuelve un ``Informe``.

    Motivos de descarte: no es una imagen, vacía, dañada o truncada, más pequeña que ``tamano_minimo``
    píxeles de lado, animada, demasiado grande (bomba de descompresión), modo de color no admitido,
    enlace simbólico roto o repetido en una carpeta (los demás se siguen) y, dentro de un zip, rutas o
    enlaces peligrosos. Los archivos ocultos del sistema se ignoran. Un .zip que parece una bomba zip
    lanza ``ValueError`` sin descomprimir nada.
    """
    exigir_enteros(("tamano_minimo", tamano_minimo, 1))
    ruta = exigir_ruta("ruta", ruta, QUE_RUTA)
    informe = Informe(str(ruta))
    for nombre, imagen, fondo, _, motivo in recorrer_imagenes(ruta, tamano_minimo, lado=MINIATURA):
        if motivo:
            informe.descartadas.append((nombre, motivo))
            continue
        informe.utilizables.append(nombre)
        if fondo == FONDO_OSCURO:
            informe.sobre_negro.append(nombre)
        if len(informe.miniaturas) < 16:
            informe.miniaturas.append(cuadrar(imagen, MINIATURA))
    return informe


def mostrar_informe(informe):
    """Imprime la tabla del ``informe`` (y el aviso de las compuestas sobre negro) y dibuja una cuadrícula con las
    primeras imágenes utilizables."""
    print(informe.tabla())
    if informe.sobre_negro:
        print(aviso_sobre_negro(informe.sobre_negro))
    if informe.miniaturas:
        titulo = f"Vista previa: {len(informe.miniaturas)} de {len(informe.utilizables)} imágenes utilizables"
        mostrar_cuadricula(a_rango_simetrico(np.stack(informe.miniaturas), 255.0), titulo=titulo)


def preparar_imagenes(ruta, salida=None, tamano=64, canales=3, rostros=False, sin_duplicados=False,
                      recorte="centro", tamano_minimo=16, maximo=None):
    """Deja las imágenes de ``ruta`` (carpeta o .zip) listas para entrenar en una carpeta nueva.

    Cada imagen utilizable se recorta al cuadrado central (``recorte='centro'``) o se completa con fondo
    blanco (``'relleno'``; negro en un dibujo claro sobre transparencia, como su fondo), se redimensiona a ``tamano``×``tamano`` y se guarda como PNG en color
    (``canales=3``) o gris (``canales=1``) en ``salida/<nombre>_<tamano>px`` (``_2``, ``_3``… si ya existe:
    no se sobrescribe nada; si una de ellas ya tiene exactamente los mismos archivos, se devuelve esa y no se crea
    otra copia; sin ``salida``, bajo ``carpeta_resultados()``, es decir, ``resultados/``). Una
    ``salida`` dentro de ``ruta`` se rechaza: lo preparado se mezclaría con tus fotos. Con ``rostros=True`` se
    recorta el rostro más grande y se descartan las fotos sin rostro; con ``sin_duplicados=True``, las copias
    exactas y casi iguales (huella dHash).
    Se escribe en una carpeta oculta que toma su nombre al terminar: si se corta (Ctrl-C, un error), no
    queda ninguna carpeta a medias que parezca preparada. Los originales no se tocan. Al terminar, avisa de las
    que medían menos de ``tamano`` y se han ampliado (``informe.ampliadas``) y, con ``recorte='centro'``, de las muy
    alargadas (más de 2:1), de las que el cuadrado central tira más de la mitad, y de los dibujos claros sobre fondo
    transparente, que se componen sobre negro (``informe.sobre_negro``). Con ``maximo``, se queda con ``maximo``
    imágenes utilizables elegidas al azar (siempre las mismas de los mismos archivos): para una colección que no
    cabría en memoria al entrenar. Devuelve ``(carpeta, informe)``.
    """
    comprobar_encuadre(canales, tamano, recorte)
    exigir_enteros(("tamano_minimo", tamano_minimo, 1))
    if maximo is not None:
        exigir_enteros(("maximo", maximo, 1))
    exigir_booleano("rostros", rostros)
    exigir_booleano("sin_duplicados", sin_duplicados)
    ruta, temporal = exigir_ruta("ruta", ruta, QUE_RUTA), None
    salida = None if salida is None else exigir_ruta("salida", salida, "la carpeta donde crear la de imágenes preparadas")
    comprobar_salida(salida or carpeta_resultados(), ruta)  # como en la terminal: nada preparado entre tus fotos
    destino = Path(salida or carpeta_resultados()) / f"{ruta.stem if ruta.is_file() else ruta.resolve().name}_{tamano}px"
    informe, vistas, alargadas = Informe(str(ruta)), Vistas(), []
    # El recorte del rostro y la huella necesitan más detalle que la salida. Un rostro recortado mide al menos 0,15
    # del lado mayor (caja_rostro: 24 px de LADO_DETECCION, por 1,6): con una JPEG reducida a 7 × tamano de lado
    # menor, ningún recorte queda menor que tamano (se ampliaría sin que la foto sea pequeña).
    lado = max(7 * tamano, 512) if rostros else max(tamano, 64)
    _avisar_restos(destino)
    serie = IgualEnLaSerie(destino)
    try:
        archivos = []
        for nombre, imagen, fondo, reduccion, motivo in recorrer_imagenes(ruta, tamano_minimo, lado,
                                                                          originales_primero=sin_duplicados,
                                                                          al_contar=archivos.append,
                                                                          al_azar=maximo is not None):
            if len(informe.utilizables) == maximo:
                break
            if imagen is not None and rostros:
                caja = caja_rostro(imagen)
                if caja is None:
                    motivo = "no se detectó ningún rostro de frente"
                else:
                    x, y, lado_caja = caja
                    imagen = imagen[y : y + lado_caja, x : x + lado_caja]
            if not motivo and sin_duplicados:
                motivo = vistas.duplicado(imagen, nombre)
            if motivo:
                informe.descartadas.append((nombre, motivo))
                continue
            if medida := medida_si_pequena(imagen, reduccion, tamano, recorte):
                informe.ampliadas.append((nombre, medida))
            if recorte == "centro" and not rostros and (medida := medida_si_alargada(imagen, reduccion)):
                alargadas.append((nombre, medida))
            imagen = cuadrar(imagen, tamano, recorte, canales, fondo)
            informe.utilizables.append(nombre)
            if fondo == FONDO_OSCURO:
                informe.sobre_negro.append(nombre)
            # NFC: los nombres de macOS llegan con la tilde aparte («n» + «˜») y \w la tomaría por un símbolo.
            limpio = re.sub(r"[^\w-]+", "_", unicodedata.normalize("NFC", Path(nombre).stem))[:40]
            archivo, png = f"{len(informe.utilizables):05d}_{limpio}.png", io.BytesIO()
            Image.fromarray(imagen.squeeze(-1) if canales == 1 else imagen).save(png, format="PNG")
            # Se escribe desde la primera que no tiene ya una preparación anterior (con las de antes, copiadas de
            # ella); si todas la tienen, nada.
            if not serie.sigue_igual(archivo, png.getvalue()):
                temporal = temporal or _carpeta_a_medias(destino, serie)
                (temporal / archivo).write_bytes(png.getvalue())
            if len(informe.miniaturas) < 16:
                informe.miniaturas.append(imagen)
        if not informe.utilizables:
            raise error_sin_imagenes(ruta, informe.descartadas, tamano_minimo, rostros)
        # Si todo coincidía con una preparación anterior (p. ej. al ejecutar todo el cuaderno otra vez), se usa esa
        # y no se ha escrito nada; si esa tiene algo más, se copia de ella. Si no, la oculta toma su nombre:
        # renombrar es instantáneo, la carpeta aparece ya completa o no aparece, y nunca encima de nada.
        if temporal is None and (igual := serie.igual()):
            print(f"«{igual}» ya tiene exactamente estas imágenes preparadas: la uso en lugar de crear otra copia.")
            carpeta = igual
        else:
            temporal = temporal or _carpeta_a_medias(destino, serie)
            carpeta = temporal.rename(primera_libre(destino))
    except BaseException as error:  # también Ctrl-C: se borra lo escrito (solo es nuestro, nunca un original)
        if temporal:
            shutil.rmtree(temporal, ignore_errors=True)
        if isinstance(error, KeyboardInterrupt):  # sin la traza de Pillow o NumPy, que no dice nada a quien paró
            raise KeyboardInterrupt(f"Preparación interrumpida: en «{destino.parent}» no queda ninguna carpeta a "
                                    "medias que parezca preparada, y tus originales no se han tocado. Vuelve a "
                                    "empezarla cuando quieras.") from None
        if explicar_error_del_sistema(error):  # p. ej. el disco lleno: en español y sin la traza de Pillow
            raise _detenida_por_el_sistema(error, temporal, destino) from None
        raise
    guardadas = contar(len(informe.utilizables), "imagen", "imágenes")
    print(f"{guardadas} de {tamano}×{tamano} en {carpeta}; {contar(len(informe.descartadas), 'descartada', 'descartadas')}.")
    if len(informe.utilizables) == maximo and (sin_ver := archivos[0] - len(informe.utilizables) - len(informe.descartadas)):
        print(f"Con un máximo de {miles(maximo)}, me he quedado con esas, elegidas al azar (siempre las mismas de estos "
              f"archivos): {contar(sin_ver, 'archivo', 'archivos')} más no se han usado.")
    if informe.ampliadas:
        print(aviso_ampliadas(informe.ampliadas, tamano, rostros))
    if alargadas:
        print(aviso_alargadas(alargadas))
    if informe.sobre_negro:
        print(aviso_sobre_negro(informe.sobre_negro))
    return carpeta, informe
