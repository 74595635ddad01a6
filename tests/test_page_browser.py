"""The page as a learner sees it: rendered by headless Chromium, its script run, its numbers read back.

Chromium is Debian's ``chromium`` package (.ci/run installs it where it can);
where it is missing these tests skip, saying so. Each run gets a fresh
profile and no network services, so nothing is fetched: the page stands alone.
"""

import shutil
import subprocess

import numpy as np
import pytest
from test_cli import ok
from test_page import Page, trained

import tinynet
from tinynet.draw.page import formula, page_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get "
                                                          "install chromium); the page is checked in a browser only"),
              pytest.mark.slow]  # a Chromium start takes most of a second: the quick loop (-m "not slow") leaves them
QUIET = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--hide-scrollbars")


def chromium(tmp_path, *args: str) -> str:
    """Run Chromium headless with a fresh profile; return what it printed on stdout."""
    profile = tmp_path / f"profile{len(list(tmp_path.glob('profile*')))}"
    done = subprocess.run([CHROMIUM, *QUIET, f"--user-data-dir={profile}", *args], check=False, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def rendered(tmp_path, path, fragment: str = "") -> Page:
    """The page's DOM after its script ran, with ``fragment`` (#frame=K, #epoch=E) in its address."""
    return Page(chromium(tmp_path, "--dump-dom", path.as_uri() + fragment))


@pytest.fixture(scope="module")
def sin_page(tmp_path_factory):
    model, recorder, X, y = trained(hidden=(8,), epochs=300)
    path = tmp_path_factory.mktemp("page") / "sin.html"
    path.write_text(page_html(X, y, [{"label": "relu", "net": model, "recorder": recorder}], "sin"))
    return model, recorder, X, path


def epoch_of(page: Page) -> int:
    return int(page.slider()["aria-valuetext"].removeprefix("epoch ").replace(",", ""))


def test_in_the_browser_the_slider_ends_at_the_trained_net_with_its_exact_numbers(sin_page, tmp_path):
    model, recorder, X, path = sin_page
    page = rendered(tmp_path, path)
    slider = page.slider()
    assert slider["value"] == slider["max"] and epoch_of(page) == recorder.snapshots[-1].epoch
    lo, hi = X.min(), X.max()
    np.testing.assert_allclose(page.kinks(), tinynet.breakpoints(model, lo, hi), rtol=0, atol=1e-12)
    np.testing.assert_allclose(page.pieces(), tinynet.pieces(model, lo, hi), rtol=0, atol=1e-12)
    assert len(page.pieces()) == tinynet.linear_pieces(model, lo, hi)
    # the script drawing the last frame itself (asked for it by number) writes the same numbers
    again = rendered(tmp_path, path, f"#frame={slider['max']}")
    assert again.pieces() == page.pieces() and list(again.kinks()) == list(page.kinks())


@pytest.mark.parametrize("fragment", ["#frame=0", "#frame=3", "#epoch=100"])
def test_in_the_browser_the_slider_moves_the_fit_to_the_model_of_that_epoch(sin_page, tmp_path, fragment):
    _, recorder, X, path = sin_page
    page = rendered(tmp_path, path, fragment)
    epoch = epoch_of(page)
    assert epoch < recorder.snapshots[-1].epoch
    if fragment.startswith("#epoch"):
        assert epoch <= 100
    then = recorder.model_at(next(s for s in recorder.snapshots if s.epoch == epoch))
    lo, hi = X.min(), X.max()
    np.testing.assert_allclose(page.kinks(), tinynet.breakpoints(then, lo, hi), rtol=0, atol=1e-12)
    np.testing.assert_allclose(page.pieces(), tinynet.pieces(then, lo, hi), rtol=0, atol=1e-12)
    # the formula the script writes for each piece is the one Python writes
    titles = [text for owner, text in page.titles if "data-slope" in owner]
    assert titles == [formula(*piece) for piece in tinynet.pieces(then, lo, hi)]


def test_in_the_browser_two_inputs_show_the_models_regions_and_boundary(tmp_path):
    model, recorder, X, y = trained("xor", hidden=(8, 8), epochs=200, classify=True)
    path = tmp_path / "xor.html"
    path.write_text(page_html(X, y, [{"label": "xor", "net": model, "recorder": recorder}], "xor"))
    box = tinynet.data_box(X)
    for fragment, net in (("", model), ("#frame=0", recorder.model_at(recorder.snapshots[0]))):
        page = rendered(tmp_path, path, fragment)
        assert len({a["data-region"] for a in page.having("data-region")}) == len(tinynet.linear_regions(net, box))
        segments = [[[float(a["data-x0"]), float(a["data-y0"])], [float(a["data-x1"]), float(a["data-y1"])]]
                    for a in page.having("data-x0")]
        np.testing.assert_allclose(np.array(segments).reshape(-1, 2, 2), tinynet.decision_boundary(net, box),
                                   rtol=0, atol=1e-12)


def test_a_page_from_train_matches_the_saved_model_in_the_browser(tmp_path):
    ok("train", "--hidden", "8", "--epochs", "300", "--html", tmp_path / "t.html", "--save", tmp_path / "t.npz", "-q")
    model = tinynet.load(str(tmp_path / "t.npz"))
    X, _ = tinynet.make_dataset("sin")
    page = rendered(tmp_path, tmp_path / "t.html")
    np.testing.assert_allclose(page.pieces(), tinynet.pieces(model, X.min(), X.max()), rtol=0, atol=1e-12)
    assert epoch_of(page) == 300 and page.slider()["value"] == page.slider()["max"]


def test_screenshots_at_two_slider_positions_differ_and_are_not_blank(sin_page, tmp_path):
    Image = pytest.importorskip("PIL.Image", reason="reading the screenshots needs Pillow (the plot extra)")
    path = sin_page[3]
    shots = []
    for fragment in ("#frame=0", ""):
        png = tmp_path / f"shot{len(shots)}.png"
        chromium(tmp_path, f"--screenshot={png}", "--window-size=900,700", path.as_uri() + fragment)
        shots.append(np.asarray(Image.open(png).convert("RGB"), dtype=np.int16))
    first, last = shots
    for shot in shots:
        assert len(np.unique(shot.reshape(-1, 3), axis=0)) > 20  # text, axes, data and fit: many colours
        assert (shot.sum(axis=2) < 600).mean() > 0.01  # and more than a sliver of it is not white
    changed = np.abs(first - last).max(axis=2) > 40
    assert changed.mean() > 0.002, "moving the slider changed nothing on the screen"
