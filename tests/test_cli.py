import pytest

from helpers.__main__ import main


def test_demo_entrena_y_dice_donde_quedo_todo(tmp_path, capsys):
    main(["demo", "--epocas", "2", "--salida", str(tmp_path)])
    salida = capsys.readouterr().out
    for nombre in ("muestras.png", "evolucion.gif", "perdidas.png", "generador.keras"):
        assert (tmp_path / nombre).stat().st_size > 0
        assert str(tmp_path / nombre) in salida
    assert "/10 clases" in salida
    # Una segunda llamada reanuda: ya no hay épocas pendientes.
    main(["demo", "--epocas", "2", "--salida", str(tmp_path)])
    assert "no hay nada más que entrenar" in capsys.readouterr().out


def test_argumentos_invalidos(capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--epocas", "cero"])
    assert "--epocas" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="--epocas=0"):
        main(["demo", "--epocas", "0"])
    with pytest.raises(SystemExit):
        main([])
