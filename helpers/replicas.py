"""Varias réplicas (``tf.distribute``) dentro de un paso de entrenamiento: lo que ``aplicar_paso`` de ``GANBasica`` y
el ``train_step`` de ``GAN`` necesitan para que dos GPU den el mismo paso que una.

- ``gradiente_de_replica``: la parte del gradiente medio del lote que aporta cada réplica;
- ``despues_de``: el orden de los dos optimizadores, el mismo en todas las réplicas.

Con un solo dispositivo, ``gradiente_de_replica`` es el gradiente de siempre y ``despues_de`` no hace nada. Aquí no
se elige la estrategia (``entorno.estrategia_por_defecto``), ni se sortean los números al azar de cada réplica, ni se
construyen los optimizadores antes del primer paso (``BaseGAN._al_azar`` y ``BaseGAN.construir_optimizadores``).
"""

import contextlib

import tensorflow as tf


def _replicas():
    """Cuántas réplicas (``tf.distribute``) ejecutan este paso a la vez: 1 con un solo dispositivo."""
    return tf.distribute.get_strategy().num_replicas_in_sync


def gradiente_de_replica(cinta, perdida, variables):
    """El gradiente de ``perdida`` respecto de ``variables`` que aporta esta réplica. Con varias (``tf.distribute``),
    Keras suma los de todas: cada una da el suyo dividido por su número, y la suma es el de la media del lote
    completo. ``perdida`` puede venir escalada (``scale_loss`` de la precisión mixta): se divide igual."""
    return cinta.gradient(perdida, variables, output_gradients=tf.constant(1 / _replicas(), perdida.dtype))


def despues_de(optimizador):
    """Con varias réplicas, un bloque cuyas operaciones esperan a que ``optimizador`` haya aplicado su paso: cada
    optimizador suma sus gradientes entre las réplicas, y todas tienen que hacer esas sumas en el mismo orden (con
    varias GPU, en otro orden se quedarían esperándose). Con una sola, nada: las dos redes pueden ir a la vez."""
    if _replicas() > 1:
        return tf.control_dependencies([optimizador.iterations.value])
    return contextlib.nullcontext()
