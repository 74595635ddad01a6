"""--plot shows everything in the data's own units and names: the fit's axes and the loss panel (issue 11).

The figure is caught where it would be written, and its axes read back.
"""

import doctest
import json

import numpy as np
import pytest
from test_cli import ok, write_csv

import tinynet
import tinynet.draw.fits
from tinynet.draw import canvas


@pytest.fixture
def figures(monkeypatch):
    """The figures --plot draws, kept instead of written."""
    drawn = []
    monkeypatch.setattr(canvas, "save", lambda fig, path, dpi: drawn.append(fig))
    return drawn


@pytest.fixture
def price_csv(tmp_path):
    """price = 3 * size + 5000 + noise: thousands, far from the standardised scale (variance 1)."""
    size = np.linspace(1000.0, 2000.0, 200)
    price = 3 * size + 5000 + np.random.default_rng(0).normal(0.0, 5.0, size.size)
    return write_csv(tmp_path / "houses.csv", ["size", "price"], zip(size, price))


def the_fit_and_loss(fig):
    """The first fit panel and the loss panel."""
    fits = [ax for ax in fig.axes if ax.get_label().startswith("fit: ")]
    (loss,) = [ax for ax in fig.axes if ax.get_label() == "loss"]
    return fits[0], loss


def curves(ax) -> dict:
    """The panel's labelled lines (not the spike marks) by label."""
    return {line.get_label(): line.get_ydata() for line in ax.get_lines() if not line.get_label().startswith("_")}


def test_train_plot_names_the_columns_and_draws_losses_in_the_datas_units(tmp_path, price_csv, figures):
    report = json.loads(ok("train", "--data", price_csv, "--hidden", "8", "--epochs", "300", "--val-fraction",
                           "0.2", "--json", "--plot", tmp_path / "fit.png").stdout)
    fit_panel, loss_panel = the_fit_and_loss(figures[0])
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
    fit_panel, loss_panel = the_fit_and_loss(figures[0])
    assert (fit_panel.get_xlabel(), fit_panel.get_ylabel()) == ("size", "price")
    drawn = curves(loss_panel)
    assert drawn["least squares"][0] == pytest.approx(rows[0]["mse"])
    assert drawn["identity"][-1] == pytest.approx(rows[1]["mse"], rel=0.5)  # ties least squares, as the table says


def test_a_builtin_dataset_keeps_x_and_y(tmp_path, figures):
    ok("train", "--hidden", "4", "--epochs", "20", "--plot", tmp_path / "fit.png")
    fit_panel, _ = the_fit_and_loss(figures[0])
    assert (fit_panel.get_xlabel(), fit_panel.get_ylabel()) == ("x", "y")


# --- issue 18: a picture that shows what it claims ---------------------------------------------------------


def panels(fig) -> dict:
    """The figure's panels by what they show: "fit: relu", "zoom", "slope", "loss" (Axes.get_label)."""
    return {ax.get_label(): ax for ax in fig.axes}


def names_of(ax) -> set:
    """The legend names of the lines in a panel, without their MSE: {"relu", "kinks"}."""
    return {line.get_label().split(" (MSE")[0] for line in ax.get_lines()}


@pytest.fixture(scope="module")
def sin_rows():
    X, y = tinynet.make_dataset("sin")
    return X, y, tinynet.compare(X, y, hidden=(8,), epochs=300)


def draw(X, y, rows):
    fits = [{"label": row["activation"] or row["model"], "net": row["net"], "history": row["history"],
             "mse": row["mse"]} for row in rows]
    return tinynet.draw.draw_fits(X, y, fits, "title")


def test_compare_draws_each_net_in_a_panel_of_its_own(tmp_path, figures):
    ok("compare", "--hidden", "8", "--epochs", "300", "--plot", tmp_path / "compare.png")
    drawn = panels(figures[0])
    assert list(drawn) == ["fit: identity", "fit: relu", "fit: sigmoid", "zoom", "slope", "loss"]
    # no net's fit is drawn over another net's; least squares, a line, beside the net that is one line
    assert names_of(drawn["fit: identity"]) == {"identity", "least squares"}
    assert names_of(drawn["fit: relu"]) == {"relu", "kinks"}
    assert names_of(drawn["fit: sigmoid"]) == {"sigmoid"}
    # drawn so both show: the identity net as a wide band, least squares dashed on top of it
    band, dashes = drawn["fit: identity"].get_lines()
    assert band.get_linewidth() > 2 * dashes.get_linewidth() and dashes.get_linestyle() == "--"
    assert dashes.get_zorder() > band.get_zorder()


def test_the_relu_panel_and_the_zoom_draw_its_kinks_and_straight_pieces(sin_rows):
    X, y, rows = sin_rows
    relu = rows[2]["net"]
    lo, hi = float(X.min()), float(X.max())
    kinks = tinynet.breakpoints(relu, lo, hi)
    assert len(kinks) >= 3
    drawn = panels(draw(X, y, rows))
    dots = {line.get_label(): line for line in drawn["fit: relu"].get_lines()}["kinks"]
    np.testing.assert_allclose(dots.get_xdata(), kinks)
    np.testing.assert_allclose(dots.get_ydata(), tinynet.predict(relu, kinks.reshape(-1, 1))[:, 0])
    zoom = drawn["zoom"]
    x0, x1 = zoom.get_xlim()
    assert x1 - x0 <= (hi - lo) / 4 * (1 + 1e-12)  # a zoom, not the whole range again (up to x0 + width's rounding)
    pieces = {line.get_label(): line for line in zoom.get_lines()}["relu: straight pieces"]
    xs, ys = np.asarray(pieces.get_xdata()), np.asarray(pieces.get_ydata())
    shown = xs[1:-1]
    assert len(shown) >= 1 and np.isin(shown, kinks).all()  # every corner drawn is a kink of the net
    assert ((kinks <= x0) | (kinks >= x1) | np.isin(kinks, shown)).all()  # and every kink in the window is drawn
    middles = ((xs[:-1] + xs[1:]) / 2).reshape(-1, 1)
    np.testing.assert_allclose(tinynet.predict(relu, middles)[:, 0], (ys[:-1] + ys[1:]) / 2, atol=1e-9)  # straight


def test_the_slope_panel_is_a_staircase_for_relu_a_constant_for_lines_and_smooth_for_sigmoid(sin_rows):
    X, y, rows = sin_rows
    lo, hi = float(X.min()), float(X.max())
    slopes = {line.get_label(): np.asarray(line.get_ydata()) for line in panels(draw(X, y, rows))["slope"].get_lines()}
    steps = [piece[2] for piece in tinynet.pieces(rows[2]["net"], lo, hi)]
    np.testing.assert_allclose(slopes["relu"], np.repeat(steps, 2))  # one level per piece, a step at each kink
    line_slope = float(rows[0]["net"][0].weight.data[0, 0])
    np.testing.assert_allclose(slopes["least squares"], line_slope)
    np.testing.assert_allclose(slopes["identity"], line_slope, rtol=1e-3)
    sigmoid = slopes["sigmoid"]
    assert len(np.unique(sigmoid)) > 900 and np.abs(np.diff(sigmoid)).max() < 0.05  # no steps: smooth


def test_loss_spikes_finds_bouts_of_bouncing_and_when_the_loss_is_back():
    # epochs 4-8 bounce above 3x the low of 0.1: epoch 6 dips under it, but 7 is up again, one bout;
    # then 60 quiet epochs, and a last spike that never comes back down
    bout = [1.0, 0.5, 0.1, 0.9, 0.2, 0.09, 0.8, 0.3, 0.05]
    quiet = list(np.geomspace(0.04, 0.01, 60))
    assert tinynet.draw.loss_spikes(bout + quiet + [0.9, 0.5]) == [(4, 4, 9), (70, 70, None)]
    assert tinynet.draw.loss_spikes([1.0, 0.5, 0.25, 0.2]) == []
    assert doctest.testmod(tinynet.draw.fits).failed == 0


def test_the_loss_panel_marks_and_explains_its_spikes(sin_rows):
    X, y, rows = sin_rows
    smooth = list(np.geomspace(1.0, 1e-4, 300))
    spiky = smooth[:100] + [smooth[99] * 10] + smooth[101:200] + [smooth[199] * 20] + smooth[201:]
    fits = [{"label": "relu", "net": rows[2]["net"], "history": tinynet.History(loss=spiky)},
            {"label": "sigmoid", "net": rows[3]["net"], "history": tinynet.History(loss=smooth)}]
    loss_panel = panels(tinynet.draw.draw_fits(X, y, fits, "title"))["loss"]
    title = loss_panel.get_title().replace("\n", " ")
    assert "relu's loss spikes at epochs 101 and 201" in title and "back below its old low within 1 epochs" in title
    assert "steps of training overshoot and the loss bounces up and down" in title and "sigmoid" not in title
    (marks,) = [line for line in loss_panel.get_lines() if line.get_gid() == "spike"]
    assert list(marks.get_xdata()) == [101, 201]
    quiet = panels(draw(X, y, rows[:1] + [dict(rows[1], history=tinynet.History(loss=smooth))]))["loss"]
    assert quiet.get_title() == "loss during training"
