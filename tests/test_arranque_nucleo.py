"""El arranque de núcleos de nbval con un reintento (conftest.py): solo si el núcleo muere al arrancar."""

import pytest

from conftest import _arrancar_con_reintento


class ArranqueFalso:
    """Hace de ``nbval.kernel.start_new_kernel``: muere las primeras ``muertes`` veces."""

    def __init__(self, muertes, error="Kernel died before replying to kernel_info"):
        self.muertes, self.error, self.llamadas = muertes, error, []

    def __call__(self, startup_timeout=60, kernel_name="python", stderr=None, cwd=None):
        self.llamadas.append(stderr)
        if len(self.llamadas) <= self.muertes:
            if stderr is not None:
                stderr.write("zmq.error.ZMQError: Address already in use\n")
            raise RuntimeError(self.error)
        return "gestor", "cliente"


def test_un_nucleo_que_muere_al_arrancar_se_arranca_otra_vez_y_avisa_con_su_salida():
    arranque = ArranqueFalso(muertes=1)
    with pytest.warns(UserWarning, match=r"(?s)murió al arrancar.*Address already in use"):
        resultado = _arrancar_con_reintento(arranque)(kernel_name="python3", stderr="original", cwd="/tmp")
    assert resultado == ("gestor", "cliente")
    assert len(arranque.llamadas) == 2 and arranque.llamadas[1] == "original"


def test_si_muere_dos_veces_el_error_llega_a_pytest():
    arranque = ArranqueFalso(muertes=2)
    with pytest.warns(UserWarning), pytest.raises(RuntimeError, match="died"):
        _arrancar_con_reintento(arranque)(stderr=None)
    assert len(arranque.llamadas) == 2


def test_otros_fallos_del_arranque_no_se_repiten():
    arranque = ArranqueFalso(muertes=1, error="Kernel didn't respond in 60 seconds")
    with pytest.raises(RuntimeError, match="didn't respond"):
        _arrancar_con_reintento(arranque)(stderr=None)
    assert len(arranque.llamadas) == 1
