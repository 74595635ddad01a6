"""compare --animate: the three nets learning side by side, one panel each per frame."""

import pytest
from click.testing import CliRunner

from cli.main import cli

pytestmark = pytest.mark.slow  # python -m pytest -m "not slow" leaves it out of the quick loop


def test_compare_animate_draws_three_panels_a_frame(tmp_path):
    pytest.importorskip("matplotlib")
    from PIL import Image, ImageChops

    path = tmp_path / "compare.gif"
    result = CliRunner().invoke(cli, ["compare", "--hidden", "8", "--epochs", "300", "--animate", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_size < 3 * 2**20
    with Image.open(path) as film:
        assert 60 <= film.n_frames <= 120
        assert film.size == (3 * 480, 300)  # identity, relu and sigmoid, 480 x 300 each
        frames = []
        for i in (0, film.n_frames - 1):
            film.seek(i)
            frames.append(film.convert("RGB"))
    assert ImageChops.difference(*frames).getbbox() is not None  # the nets moved


def test_compare_animate_is_checked_before_training(tmp_path):
    result = CliRunner().invoke(cli, ["compare", "--animate", str(tmp_path / "film.txt")])
    assert result.exit_code == 2 and "--animate" in result.output


def test_compare_animates_the_classifiers_of_a_0_1_target(tmp_path):
    # issue 20 item 11: xor's classifiers were compared and the film silently not drawn, exit 0
    pytest.importorskip("matplotlib")
    from PIL import Image

    path = tmp_path / "xor.png"  # a strip of frames: quicker to write than the GIF, the same frames
    result = CliRunner().invoke(cli, ["compare", "--data", "xor", "--hidden", "8", "--epochs", "100", "--animate",
                                      str(path)])
    assert result.exit_code == 0, result.output
    assert "binary cross-entropy" in result.output  # the classifiers' table
    with Image.open(path) as strip:
        assert strip.size == (3 * 3 * 480, 2 * 300)  # six frames of the identity, relu and sigmoid nets


def test_val_fraction_on_a_0_1_target_is_refused_not_a_regression_in_disguise():
    # issue 20 item 11: it silently compared the classifiers' data as a regression, by MSE
    for data in ("xor", "spiral3"):  # two classes or k
        result = CliRunner().invoke(cli, ["compare", "--data", data, "--val-fraction", "0.2"])
        assert result.exit_code == 2, result.output
        assert "'--val-fraction': a target of class labels is compared as classifiers" in result.output
        assert "MSE" not in result.output.split("Error")[0]  # refused before any table
