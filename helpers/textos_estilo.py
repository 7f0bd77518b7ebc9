"""Lo que ``estilo.transferir_estilo`` te dice en español mientras optimiza y cuando para.

- ``texto_avance``: la línea de avance («Iteración 120/400 · faltan 12 s · pérdida 1,234…»);
- ``texto_interrupcion``: tras un Ctrl-C, por dónde iba y cómo seguir desde lo hecho;
- ``texto_desbordada``: si unos pesos enormes desbordan la pérdida, qué pesos usar.
"""

from .progreso import cifra_metrica, duracion, falta, tiempo_corto


def texto_avance(historial, total, interrumpida=False):
    """«Iteración 120/400 · faltan 12 s · pérdida 1,234 · tiempo 5 s · 31 ms por iteración» (con varias
    escalas, también la escala). El ritmo se mide desde la segunda iteración (la primera incluye
    calcular los objetivos y, la primera vez, trazar el gradiente) y en la escala actual; lo que falta,
    solo en la última: una escala menor es más barata y daría una estimación corta. ``interrumpida``:
    «Interrumpida en la iteración 120/400», sin lo que faltaba."""
    hechas, segundos, escalas = len(historial["total"]), historial["segundos"], historial["escala"]
    partes = [f"{'Interrumpida en la iteración' if interrumpida else 'Iteración'} {hechas}/{total}"]
    if len(set(escalas)) > 1 or escalas[-1] != 1:
        partes.append(f"escala {escalas[-1]:g}".replace(".", ","))
    desde = hechas - escalas.count(escalas[-1])  # la primera iteración de esta escala, que se salta
    por_iteracion = (segundos[-1] - segundos[desde]) / (hechas - 1 - desde) if hechas - 1 > desde else None
    if por_iteracion is not None and hechas < total and escalas[-1] == 1 and not interrumpida:
        partes.append(falta(por_iteracion * (total - hechas)))
    partes += [f"pérdida {cifra_metrica(historial['total'][-1])}", f"tiempo {duracion(segundos[-1])}"]
    if por_iteracion is not None:
        partes.append(f"{tiempo_corto(por_iteracion)} por iteración")
    return " · ".join(partes)


def texto_interrupcion(hechas, total, iteraciones, lado_maximo, escalas, en_la_ultima):
    """Qué decir tras un Ctrl-C (o parar la celda) cuando iban ``hechas`` de ``total`` iteraciones
    (``iteraciones`` en cada una de las ``escalas``) con ese ``lado_maximo``; ``en_la_ultima``: si iba por
    la última escala."""
    if not hechas:
        return ("Transferencia interrumpida antes de la primera iteración (mientras se cargaban las imágenes, se "
                "preparaba la red o se calculaba el primer gradiente): no devuelve ninguna imagen.")
    # En la última escala, las que le faltaban (y solo esa escala); antes, seguir repite todas desde la imagen.
    restantes = ""
    if en_la_ultima:
        restantes = (f", escalas=({float(escalas[-1])!r},)" if len(escalas) > 1 else "") + f", iteraciones={total - hechas}"
    consejo = f"pide menos iteraciones (p. ej. iteraciones={max(1, iteraciones // 2)})"
    if lado_maximo is None or lado_maximo > 256:
        consejo += " o una imagen más pequeña (p. ej. lado_maximo=256)"
    return (f"Transferencia interrumpida tras {hechas} de {total} iteraciones. Lo hecho no se pierde: «imagen, "
            "historial = estilo.transferencia_interrumpida()» te da la imagen de la última iteración, y "
            f"transferir_estilo(…, inicio=imagen{restantes}) sigue desde ella{' con las que faltaban' if restantes else ''}. "
            f"Para esperar menos la próxima vez, {consejo}.")


def texto_desbordada(peso_contenido, peso_estilo, peso_variacion):
    """Qué decir si la pérdida o su gradiente se desbordan (las optimizaciones lanzan ``FloatingPointError``):
    en float32 no cabe nada más allá de unos 3·10³⁸."""
    return (f"La optimización se desbordó (la pérdida o su gradiente no caben en float32) con peso_contenido="
            f"{peso_contenido:g}, peso_estilo={peso_estilo:g} y peso_variacion={peso_variacion:g}: usa pesos más "
            "pequeños, como los de por defecto (1, 10 y 0,1). Cuenta sobre todo la proporción entre ellos, no su tamaño.")
