"""tinynet.draw is the pictures' one home: usable without the command line, matplotlib only when drawing.

The pictures' contents are tested where the commands draw them (test_plot,
test_plot_regions, test_hinges, test_film, test_compare_film); here, what
the package promises on its own: what importing it costs, what a missing
matplotlib raises, how files are written, and that cli/ no longer draws.
"""

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from test_cli import PNG_SIGNATURE

import tinynet
from tinynet import draw

REPO = Path(__file__).resolve().parent.parent


def imported_names(path: Path) -> set[str]:
    """The top-level modules ``path`` imports anywhere, inside functions too (relative imports left out)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names.add(node.module.split(".")[0])
    return names


def test_importing_tinynet_draw_imports_neither_matplotlib_nor_click():
    code = ("import json, sys; before = set(sys.modules); import tinynet.draw; "
            "print(json.dumps(sorted({n.split('.')[0] for n in set(sys.modules) - before})))")
    new = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO,
                                    check=True).stdout)
    assert "tinynet" in new
    assert not {"matplotlib", "PIL", "click"} & set(new)


def test_the_drawing_lives_in_tinynet_draw_and_never_in_cli():
    for path in sorted((REPO / "tinynet" / "draw").glob("*.py")):
        assert "click" not in imported_names(path), path.name  # a library error, not a command-line one
    for path in sorted((REPO / "cli").glob("*.py")):
        assert not {"matplotlib", "PIL"} & imported_names(path), f"cli/{path.name} draws: move it to tinynet.draw"


@pytest.fixture
def no_matplotlib(monkeypatch):
    """``import matplotlib`` fails, as where the plot extra is not installed."""
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)


def sin_fit():
    X, y = tinynet.make_dataset("sin", 64)
    return X, y, [{"label": "relu", "net": tinynet.mlp([1, 4, 1], seed=0), "history": tinynet.History(loss=[1.0])}]


def test_without_matplotlib_drawing_raises_a_tinynet_error_with_the_install_hint(tmp_path, no_matplotlib):
    X, y, fits = sin_fit()
    for attempt in (draw.check_can_draw, draw.pyplot,
                    lambda: draw.plot_fits(str(tmp_path / "fit.png"), X, y, fits, "title")):
        with pytest.raises(draw.MatplotlibMissing) as error:
            attempt()
        assert isinstance(error.value, tinynet.TinynetError)  # the command line says it in one line
        message = str(error.value)
        assert "\n" not in message and "tinynet[plot]" in message and "pip install" in message
    assert os.listdir(tmp_path) == []


def test_a_picture_is_written_in_the_kind_its_name_says_png_without_a_suffix(tmp_path):
    X, y, fits = sin_fit()
    draw.plot_fits(str(tmp_path / "fit"), X, y, fits, "title")
    assert (tmp_path / "fit").read_bytes().startswith(PNG_SIGNATURE)
    draw.plot_fits(str(tmp_path / "fit.svg"), X, y, fits, "title")
    assert b"<svg" in (tmp_path / "fit.svg").read_bytes()[:1000]


def test_a_picture_that_fails_midway_leaves_the_old_one_whole(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    X, y, fits = sin_fit()
    path = tmp_path / "fit.png"
    path.write_bytes(b"the old picture")

    def broken(fig, file, **options):
        file.write(b"half a pic")
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        draw.plot_fits(str(path), X, y, fits, "title")
    assert path.read_bytes() == b"the old picture"
    assert os.listdir(tmp_path) == ["fit.png"]  # no temporary file left beside it


def test_draw_hinges_returns_the_figure_of_each_unit_and_their_sum():
    model = tinynet.exact_abs()  # |x| = relu(x) + relu(-x): two hinges, one kink at 0
    fig = draw.draw_hinges(model, None, None, "|x| by hand")
    (ax,) = fig.axes
    lines = {line.get_label(): line for line in ax.get_lines()}
    found = tinynet.hinges(model)
    for unit in found.units:
        line = lines[f"unit {unit.unit}"]
        np.testing.assert_allclose(line.get_ydata(), unit(np.asarray(line.get_xdata())), rtol=1e-12)
    fit = lines["the fit: bias + sum of hinges"]
    np.testing.assert_allclose(fit.get_ydata(), np.abs(fit.get_xdata()), atol=1e-12)
    assert fig.texts[0].get_text() == "|x| by hand"  # the title is the caller's
    draw.pyplot().close(fig)
