"""--plot shows everything in the data's own units and names: the fit's axes and the loss panel (issue 11).

The figure is caught where it would be written, and its axes read back.
"""

import json

import numpy as np
import pytest
from test_cli import ok, write_csv

import cli.plot


@pytest.fixture
def figures(monkeypatch):
    """The figures --plot draws, kept instead of written."""
    drawn = []
    monkeypatch.setattr(cli.plot, "_save_atomically", lambda fig, path: drawn.append(fig))
    return drawn


@pytest.fixture
def price_csv(tmp_path):
    """price = 3 * size + 5000 + noise: thousands, far from the standardised scale (variance 1)."""
    size = np.linspace(1000.0, 2000.0, 200)
    price = 3 * size + 5000 + np.random.default_rng(0).normal(0.0, 5.0, size.size)
    return write_csv(tmp_path / "houses.csv", ["size", "price"], zip(size, price))


def curves(ax) -> dict:
    return {line.get_label(): line.get_ydata() for line in ax.get_lines()}


def test_train_plot_names_the_columns_and_draws_losses_in_the_datas_units(tmp_path, price_csv, figures):
    report = json.loads(ok("train", "--data", price_csv, "--hidden", "8", "--epochs", "300", "--val-fraction",
                           "0.2", "--json", "--plot", tmp_path / "fit.png").stdout)
    fit_panel, loss_panel = figures[0].axes
    assert (fit_panel.get_xlabel(), fit_panel.get_ylabel()) == ("size", "price")
    assert "standardised" not in loss_panel.get_ylabel()
    (train_label, train), (val_label, val) = curves(loss_panel).items()
    assert val_label == f"{train_label}, validation"
    # the last epoch's losses are the reported MSEs, in price units squared (not 1e-5 of them)
    assert train[-1] == pytest.approx(report["final_mse"], rel=0.5)
    assert val[-1] == pytest.approx(report["val_mse"], rel=0.5)


def test_compare_plot_draws_least_squares_and_the_nets_in_the_same_units(tmp_path, price_csv, figures):
    rows = json.loads(ok("compare", "--data", price_csv, "--hidden", "8", "--epochs", "300", "--json",
                         "--plot", tmp_path / "compare.png").stdout)
    fit_panel, loss_panel = figures[0].axes
    assert (fit_panel.get_xlabel(), fit_panel.get_ylabel()) == ("size", "price")
    drawn = curves(loss_panel)
    assert drawn["least squares"][0] == pytest.approx(rows[0]["mse"])
    assert drawn["identity"][-1] == pytest.approx(rows[1]["mse"], rel=0.5)  # ties least squares, as the table says


def test_a_builtin_dataset_keeps_x_and_y(tmp_path, figures):
    ok("train", "--hidden", "4", "--epochs", "20", "--plot", tmp_path / "fit.png")
    fit_panel, _ = figures[0].axes
    assert (fit_panel.get_xlabel(), fit_panel.get_ylabel()) == ("x", "y")
