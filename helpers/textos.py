"""Los textos de los mensajes: números como se escriben en español y nombres que se pueden imprimir o pegar.

``cifra`` (coma decimal), ``miles`` (punto de miles) y ``contar`` («3 imágenes») escriben las cifras de todo lo que
lee el usuario; ``texto_imprimible`` y ``citar_para_terminal``, nombres de archivo de otro sistema que no son UTF-8;
``sin_tildes``, lo que alguien escribió, para compararlo. No dependen de ningún otro módulo del kit, así que
cualquiera puede usarlos en sus mensajes.
"""

import numbers
import os
import shlex
import unicodedata


def cifra(valor, decimales=2, significativas=None):
    """Número con coma decimal, como se escribe en español en todo lo que lee el usuario; ``None`` → ``""``.

    Con ``decimales`` fijos («0,69»); con ``significativas``, en formato general, que también usa la
    notación científica («65535», «1,5e-05»)."""
    if valor is None:
        return ""
    return (f"{valor:.{significativas}g}" if significativas else f"{valor:.{decimales}f}").replace(".", ",")


def miles(entero):
    """Un entero con punto de miles, como se escribe en español: ``miles(4294967295)`` → «4.294.967.295»."""
    return f"{int(entero):,}".replace(",", ".")


def contar(n, singular, plural):
    """«1 imagen», «3 imágenes», «2.760 pasos»."""
    entero = isinstance(n, numbers.Integral) and not isinstance(n, bool)  # un decimal, tal cual: miles lo truncaría
    return f"{miles(n) if entero else n} {singular if n == 1 else plural}"


def enumerar_algunos(elementos, maximo=3):
    """«a.png (10×10 px), b.png (8×8 px) y 4 más»: los primeros ``maximo`` ``elementos``, textos o ``(nombre, medida)``;
    si caben todos, «a.png, b.png y c.png»."""
    nombres = [elemento if isinstance(elemento, str) else f"{elemento[0]} ({elemento[1]})"
               for elemento in elementos[:maximo]]
    if len(elementos) > maximo:
        nombres.append(f"{len(elementos) - maximo} más")
    return ", ".join(nombres[:-1]) + " y " + nombres[-1] if len(nombres) > 1 else "".join(nombres)


def texto_imprimible(texto):
    """``texto`` con los bytes que no son UTF-8 como «�»: un nombre de archivo o de carpeta de otro
    sistema (un zip de Windows, una carpeta en Latin-1) llega a Python con caracteres que no se pueden
    escribir en UTF-8."""
    return texto.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def citar_para_terminal(palabra):
    """``palabra`` (p. ej. una ruta) citada para pegarla en una terminal. Un nombre que no es UTF-8 (una
    carpeta en Latin-1) no se puede escribir tal cual: va con sus bytes como escapes ``$'\\xNN'``, que
    bash y zsh entienden."""
    palabra = str(palabra)
    try:
        palabra.encode("utf-8")
    except UnicodeEncodeError:
        return "$'" + "".join(chr(b) if 32 <= b < 127 and chr(b) not in "'\\" else f"\\x{b:02x}"
                              for b in os.fsencode(palabra)) + "'"
    return shlex.quote(palabra)


def sin_tildes(texto):
    """``texto`` en minúsculas sin tildes ni virgulillas, para comparar lo que alguien escribió: «Otoño» → «otono»."""
    return "".join(c for c in unicodedata.normalize("NFKD", texto.lower()) if not unicodedata.combining(c))
