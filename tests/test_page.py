"""The lesson as one HTML page: the numbers written into it are tinynet's, and it stands alone.

These read the page as written (the static markup, which is the trained net);
test_page_browser.py reads it as headless Chromium renders it, with its script run.
"""

import html.parser
import os
import re

import numpy as np
import pytest
from test_cli import assert_error, ok, run, write_csv

import tinynet
from tinynet import draw
from tinynet.draw.page import formula, page_html, unit_shares


class Page(html.parser.HTMLParser):
    """Every element's tag and attributes, in order, and the text of each <title> under the element it names."""

    def __init__(self, text: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.titles: list[tuple[dict, str]] = []  # (the attributes of the element a <title> belongs to, its text)
        self._open: list[dict] = []
        self._in_title = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if tag == "title" and self._open:
            self._in_title = self._open[-1]
            self.titles.append((self._in_title, ""))
        elif tag not in ("line", "input", "meta", "rect", "polyline", "polygon"):  # void in this markup
            self._open.append(attributes)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = None
        elif self._open and tag not in ("line", "input", "meta", "rect", "polyline", "polygon"):
            self._open.pop()

    def handle_data(self, data):
        if self._in_title is not None:
            owner, text = self.titles[-1]
            self.titles[-1] = (owner, text + data)

    def having(self, attribute: str, panel: int | None = None) -> list[dict]:
        """The attributes of every element carrying ``attribute``, in page order (of one panel, if given)."""
        found, current = [], None
        for tag, attributes in self.elements:
            if tag == "figure":
                current = int(attributes["id"].removeprefix("panel"))
            if attribute in attributes and (panel is None or panel == current):
                found.append(attributes)
        return found

    def pieces(self, panel: int | None = None) -> list[tuple[float, float, float, float]]:
        return [tuple(float(a[key]) for key in ("data-start", "data-end", "data-slope", "data-intercept"))
                for a in self.having("data-slope", panel)]

    def kinks(self, panel: int | None = None) -> np.ndarray:
        return np.array([float(a["data-x"]) for a in self.having("data-x", panel)])

    def slider(self) -> dict:
        return next(a for tag, a in self.elements if tag == "input" and a.get("type") == "range")


def trained(data="sin", hidden=(8,), epochs=300, seed=0, classify=False):
    """A standardised ReLU net trained on ``data`` with the recorder the page films: (model, recorder, X, y)."""
    X, y = tinynet.make_dataset(data)
    net = tinynet.mlp([X.shape[1], *hidden, 1], "relu", output_activation="sigmoid" if classify else "identity",
                      seed=seed)
    model = tinynet.standardized(net, X, y, targets=not classify)
    recorder = draw.film_recorder(model, X, epochs)
    history = tinynet.fit(net, *tinynet.split_scaling(model, X, y)[1:], epochs=epochs, seed=seed,
                          loss="bce" if classify else "mse", callback=recorder)
    recorder.finish(history)
    return model, recorder, X, y


@pytest.fixture(scope="module")
def sin_page():
    model, recorder, X, y = trained()
    return model, recorder, X, y, page_html(X, y, [{"label": "relu", "net": model, "recorder": recorder}], "sin")


def test_each_piece_and_kink_carries_the_models_exact_numbers(sin_page):
    model, _, X, _, text = sin_page
    page = Page(text)
    lo, hi = X.min(), X.max()
    expected = tinynet.pieces(model, lo, hi)
    assert page.pieces() == expected  # float(repr(v)) == v: exact, not to a tolerance
    np.testing.assert_array_equal(page.kinks(), tinynet.breakpoints(model, lo, hi))
    assert len(page.pieces()) == tinynet.linear_pieces(model, lo, hi) > 3
    # each attribute is the float's shortest round-trip repr, as Python writes it
    for attributes, (start, end, slope, intercept) in zip(page.having("data-slope"), expected):
        assert attributes["data-slope"] == repr(slope) and attributes["data-intercept"] == repr(intercept)
        assert attributes["data-start"] == repr(start) and attributes["data-end"] == repr(end)


def test_each_piece_is_focusable_and_names_its_formula(sin_page):
    model, _, X, _, text = sin_page
    page = Page(text)
    titled = {owner["data-slope"]: title for owner, title in page.titles if "data-slope" in owner}
    for attributes, piece in zip(page.having("data-slope"), tinynet.pieces(model, X.min(), X.max())):
        assert attributes["tabindex"] == "0"
        assert titled[attributes["data-slope"]] == formula(*piece)
    assert formula(-1.0, 0.5, 2.0, -0.25) == "on [-1, 0.5]: y = 2 * x - 0.25"
    assert formula(0.0, 3.14159, -1e-05, 12345.6) == "on [0, 3.142]: y = -1e-05 * x + 1.235e+04"


def test_the_slider_is_a_range_over_the_recorded_epochs_ending_at_the_trained_net(sin_page):
    _, recorder, _, _, text = sin_page
    slider = Page(text).slider()
    frames = int(slider["max"]) + 1
    assert slider["min"] == "0" and slider["value"] == slider["max"]
    assert 2 < frames <= len(recorder.snapshots)
    assert slider["aria-valuetext"] == f"epoch {recorder.snapshots[-1].epoch:,}"
    assert f"epoch {recorder.snapshots[-1].epoch:,} · " in text


def test_dead_kinks_beyond_the_picture_stand_at_its_edge_one_above_another():
    # units 0-2 switch on beyond x = 2, 3 and 4 (dead on [-1, 0]), unit 3 beyond -5; unit 4 bends the fit
    model = tinynet.Sequential(tinynet.Linear.from_weights([[1.0, 1.0, 1.0, -1.0, 1.0]], [-2.0, -3.0, -4.0, -5.0, 0.5]),
                               tinynet.ReLU(), tinynet.Linear.from_weights([[1.0], [1.0], [1.0], [1.0], [2.0]], [0.0]))
    X = np.linspace(-1.0, 0.0, 11)[:, None]
    page = Page(page_html(X, model(X), [{"label": "dead", "net": model}], "dead"))
    crosses = {float(a["data-dead-x"]): a["d"] for a in page.having("data-dead-x")}
    assert sorted(crosses) == [-5.0, 2.0, 3.0, 4.0]
    starts = {x: tuple(map(float, d[1:].split("l")[0].split())) for x, d in crosses.items()}
    right = [starts[x] for x in (2.0, 3.0, 4.0)]
    assert len({x for x, _ in right}) == 1 and len({y for _, y in right}) == 3  # one edge, three heights
    assert starts[-5.0][0] < right[0][0] and starts[-5.0][1] == right[0][1]  # the left edge: the first there


def test_a_dead_units_kink_is_marked_dead_and_is_no_kink_of_the_fit():
    # unit 0 is on where x > 0.5 (nowhere on [-1, 0]: dead there); unit 1 on where x > -0.5, bending the fit
    model = tinynet.Sequential(tinynet.Linear.from_weights([[1.0, 1.0]], [-0.5, 0.5]), tinynet.ReLU(),
                               tinynet.Linear.from_weights([[1.0], [2.0]], [0.0]))
    X = np.linspace(-1.0, 0.0, 11)[:, None]
    text = page_html(X, model(X), [{"label": "two units", "net": model}], "dead")
    page = Page(text)
    assert [a["data-dead-x"] for a in page.having("data-dead-x")] == [repr(0.5)]
    np.testing.assert_array_equal(page.kinks(), [-0.5])
    assert "2 linear pieces on [-1, 0] · 1 dead unit" in text


def test_the_hinges_and_their_sum_are_the_fit():
    model, _, X, _ = trained(hidden=(6,))
    lo, hi = X.min(), X.max()
    knots, shares, bias = unit_shares(model, lo, hi)
    np.testing.assert_allclose(shares.sum(axis=1) + bias, model(knots[:, None])[:, 0], rtol=0, atol=1e-12)
    # one hidden layer: each share is a unit's hinge, and the knots hold every hinge's kink on the data
    by_hand = tinynet.hinges(model)
    for unit, share in zip(by_hand.units, shares.T):
        np.testing.assert_allclose(share, unit(knots), rtol=0, atol=1e-12)
    inside = [u.kink for u in by_hand.units if lo < u.kink < hi and np.any(shares[:, u.unit])]
    assert set(inside) <= set(knots.tolist())
    deep, _, X, _ = trained(hidden=(6, 6))
    knots, shares, bias = unit_shares(deep, X.min(), X.max())
    np.testing.assert_allclose(shares.sum(axis=1) + bias, deep(knots[:, None])[:, 0], rtol=0, atol=1e-12)
    # between neighbouring knots every share is straight: its midpoint value is the mean of its ends
    middles = (knots[:-1] + knots[1:]) / 2
    layers = tinynet.layers_of(deep)  # Standardize, ..., the last Linear, Unstandardize
    body = tinynet.Sequential(*layers[:-2])  # up to the last hidden activation
    v = layers[-2].weight.data[:, 0] * layers[-1].std[0]
    np.testing.assert_allclose(body(middles[:, None]) * v, (shares[:-1] + shares[1:]) / 2, rtol=0, atol=1e-9)


def test_two_inputs_regions_and_boundary_are_the_models():
    model, recorder, X, y = trained("xor", hidden=(8, 8), epochs=200, classify=True)
    page = Page(page_html(X, y, [{"label": "xor", "net": model, "recorder": recorder}], "xor"))
    box = tinynet.data_box(X)
    regions = tinynet.linear_regions(model, box)
    assert len({a["data-region"] for a in page.having("data-region")}) == len(regions) > 10
    segments = np.array([[[float(a["data-x0"]), float(a["data-y0"])], [float(a["data-x1"]), float(a["data-y1"])]]
                         for a in page.having("data-x0")])
    np.testing.assert_array_equal(segments, tinynet.decision_boundary(model, box))


@pytest.mark.slow  # train's and compare's defaults, filmed: seconds, mostly counting each frame's pieces
def test_the_page_fetches_nothing_and_the_defaults_stay_under_one_megabyte(tmp_path):
    path = tmp_path / "sin.html"
    ok("train", "--html", path, "--quiet")
    text = path.read_text()
    assert len(path.read_bytes()) < 1_000_000
    assert not re.search(r"<(link|iframe|img|object|embed)\b|\bsrc=|\bhref=|@import|url\((?!#)|fetch\(|XMLHttpRequest",
                         text)
    # the only address is the SVG namespace, which the script names to make SVG elements: nothing is loaded
    assert set(re.findall(r"https?://[^\s\"'<>]+", text)) == {"http://www.w3.org/2000/svg"}
    compare = tmp_path / "compare.html"
    ok("compare", "--html", compare, "--quiet")
    assert len(compare.read_bytes()) < 1_000_000


def test_a_page_that_cannot_be_drawn_leaves_the_old_file_whole(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("old")
    three = tinynet.mlp([3, 4, 1], seed=0)
    with pytest.raises(ValueError, match="takes 3 inputs"):
        draw.write_page(str(path), None, None, [{"label": "three", "net": three}], "three")
    assert path.read_text() == "old" and os.listdir(tmp_path) == ["page.html"]


def test_train_and_compare_write_a_page_for_one_and_two_inputs(tmp_path):
    one, two = tmp_path / "one.html", tmp_path / "two.html"
    ok("train", "--hidden", "8", "--epochs", "200", "--html", one, "--save", tmp_path / "one.npz", "-q")
    model = tinynet.load(str(tmp_path / "one.npz"))
    X, _ = tinynet.make_dataset("sin")
    assert Page(one.read_text()).pieces() == tinynet.pieces(model, X.min(), X.max())
    ok("compare", "--data", "xor", "--hidden", "8", "--epochs", "100", "--html", two, "-q")
    page = Page(two.read_text())
    assert [a["id"] for tag, a in page.elements if tag == "figure"] == ["panel0", "panel1", "panel2", "panel3"]
    assert page.having("data-region", 2) and page.having("data-x0", 2)  # the relu net: regions and boundary


def test_page_draws_a_saved_model_and_refuses_in_one_line(tmp_path):
    ok("train", "--hidden", "6", "--epochs", "100", "--save", tmp_path / "m.npz", "-q")
    result = ok("page", tmp_path / "m.npz", tmp_path / "m.html", "--data", "sin")
    assert "wrote" in result.stdout
    page = Page((tmp_path / "m.html").read_text())
    model = tinynet.load(str(tmp_path / "m.npz"))
    X, _ = tinynet.make_dataset("sin")
    assert page.pieces() == tinynet.pieces(model, X.min(), X.max())
    assert not [a for tag, a in page.elements if tag == "input" and a["type"] == "range"]  # no film, no slider
    assert "No film" in (tmp_path / "m.html").read_text()
    assert_error(run("page", tmp_path / "m.npz", tmp_path / "m.txt"), 2, "FILE.html", ".html")
    csv = write_csv(tmp_path / "three.csv", ["a", "b", "c", "y"], np.random.default_rng(0).normal(size=(20, 4)))
    ok("train", "--data", csv, "--hidden", "4", "--epochs", "20", "--save", tmp_path / "three.npz", "-q")
    assert_error(run("page", tmp_path / "three.npz", tmp_path / "three.html"), 1, "takes 3 inputs")
    assert not (tmp_path / "three.html").exists()
    assert_error(run("train", "--data", csv, "--html", tmp_path / "t.html", "--epochs", "20"), 2, "--html",
                 "takes 3 inputs")


def test_a_two_input_regression_is_shaded_by_output_without_a_boundary():
    X = np.random.default_rng(0).uniform(-2, 2, (100, 2))
    y = (np.abs(X[:, :1]) + X[:, 1:]) * 10 + 50  # outputs far from 0: shaded around their own middle
    net = tinynet.mlp([2, 6, 1], seed=0)
    model = tinynet.standardized(net, X, y)
    tinynet.fit(net, *tinynet.split_scaling(model, X, y)[1:], epochs=100)
    text = page_html(X, y, [{"label": "plane", "net": model}], "regression")
    page = Page(text)
    regions = tinynet.linear_regions(model, tinynet.data_box(X))
    owners = [int(a["data-region"]) for a in page.having("data-region")]
    assert owners == list(range(len(regions)))  # each region whole: nothing to cut it along
    fills = {a["fill"] for a in page.having("data-region")}
    assert len(fills) > 3 and not page.having("data-x0")  # shades of both colours, and no decision boundary
    assert "its output at the polygon's centre" in text
