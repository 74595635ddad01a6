"""--plot on two inputs (issue 18): axes named, a legend for the classes, data visible on their own class's
colour, each point of the plane shaded by the class the net gives it, and many regions still readable.

The figure is caught where it would be written, and read back.
"""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from test_cli import ok

import tinynet
from tinynet import draw
from tinynet.draw import canvas


@pytest.fixture
def figures(monkeypatch):
    """The figures --plot draws on two inputs, kept instead of written."""
    drawn = []
    monkeypatch.setattr(canvas, "save", lambda fig, path, dpi: drawn.append(fig))
    return drawn


def legend_texts(fig) -> list[str]:
    return [text.get_text() for legend in fig.legends for text in legend.get_texts()]


def data_markers(ax) -> list:
    """The scatter collections of the data (the regions are PolyCollections, the boundary a LineCollection)."""
    return [c for c in ax.collections if type(c).__name__ == "PathCollection"]


def test_compare_on_xor_names_the_axes_and_says_which_colour_is_which_class(tmp_path, figures):
    ok("compare", "--data", "xor", "--hidden", "4,4", "--epochs", "100", "--plot", tmp_path / "xor.png")
    (fig,) = figures
    region_panels = [ax for ax in fig.axes if ax.get_label().startswith("regions: ")]
    assert len(region_panels) == 4
    for ax in region_panels:
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("x0", "x1")
    texts = legend_texts(fig)
    assert {"data, class 0", "data, class 1", "decision boundary (p = 0.5)"} <= set(texts)
    assert any(t.startswith("the net says class 1") for t in texts)
    assert any(t.startswith("the net says class 0") for t in texts)


def test_data_points_have_dark_edges_and_a_shape_per_class(tmp_path, figures):
    ok("compare", "--data", "xor", "--hidden", "4,4", "--epochs", "100", "--plot", tmp_path / "xor.png")
    _, y = tinynet.make_dataset("xor")
    region_panels = [ax for ax in figures[0].axes if ax.get_label().startswith("regions: ")]
    assert len(region_panels) == 4
    for ax in region_panels:
        zero, one = data_markers(ax)
        assert len(zero.get_offsets()) == (y == 0).sum() and len(one.get_offsets()) == (y == 1).sum()
        for points in (zero, one):
            # a dark rim, not the point's own colour: it shows on a region shaded in that colour
            assert np.allclose(points.get_edgecolor()[:, :3], 0.0)
            assert not np.allclose(points.get_facecolor()[:, :3], 0.0)
        assert zero.get_paths()[0] != one.get_paths()[0]  # circles and triangles


@pytest.fixture(scope="module")
def wide_relu():
    """A 2-32-32-1 ReLU classifier on xor (the default width): hundreds of regions."""
    X, y = tinynet.make_dataset("xor")
    rows = tinynet.compare_classifiers(X, y, hidden=(32, 32), activations=("relu",), epochs=300)
    return X, y, {"label": "relu", "net": rows[1]["net"], "accuracy": rows[1]["accuracy"],
                  "regions": rows[1]["linear_regions"]}


def test_every_shaded_polygon_is_coloured_by_the_class_the_net_gives_it(wide_relu, figures, tmp_path):
    X, y, entry = wide_relu
    draw.plot_regions(str(tmp_path / "x.png"), X, y, [entry], "title")
    (ax,) = figures[0].axes
    (shading,) = [c for c in ax.collections if type(c).__name__ == "PolyCollection"]
    for path, fill in zip(shading.get_paths(), shading.get_facecolors()):
        corners = path.vertices[:-1]  # a closed path repeats its first vertex
        centre = corners.mean(axis=0)
        inside = centre + 0.98 * (corners - centre)  # just inside each corner: every point of the polygon
        says_one = tinynet.predict(entry["net"], inside)[:, 0] >= 0.5
        assert says_one.all() or not says_one.any()  # no polygon straddles the decision boundary
        red, _, blue = fill[:3]
        assert (red > blue) == says_one[0]  # red for class 1, blue for class 0, as the legend says


def test_hundreds_of_regions_do_not_wash_out_to_white(wide_relu, figures, tmp_path):
    X, y, entry = wide_relu
    assert entry["regions"] > 300
    draw.plot_regions(str(tmp_path / "x.png"), X, y, [entry], "title")
    fig = figures[0]
    (ax,) = fig.axes
    canvas = FigureCanvasAgg(fig)  # render it as the PNG would be
    canvas.draw()
    pixels = np.asarray(canvas.buffer_rgba())[..., :3] / 255
    (x0, y0), (x1, y1) = ax.get_window_extent().get_points().astype(int)
    height = pixels.shape[0]
    panel = pixels[height - y1 + 2:height - y0 - 2, x0 + 2:x1 - 2]
    # white edge lines over 1,353 regions made 3.5% of this panel near-white (every channel > 0.8), in a
    # starburst over the middle, where the regions are small; the lightest shading now is a 35% tint
    pale = (panel.min(axis=2) > 0.8).mean()
    assert pale < 0.005, f"{pale:.1%} of the panel is near-white"
    (shading,) = [c for c in ax.collections if type(c).__name__ == "PolyCollection"]
    edges, fills = shading.get_edgecolors(), shading.get_facecolors()
    assert shading.get_linewidths().max() <= 0.3  # hairlines
    assert (edges[:, :3] < fills[:, :3] + 1e-9).all()  # a shade darker than the fill, never white over it


def test_train_on_xor_draws_named_axes_a_legend_and_the_loss(tmp_path, figures):
    ok("train", "--data", "xor", "--hidden", "4,4", "--epochs", "100", "--plot", tmp_path / "x.png")
    (fig,) = figures
    regions, loss = fig.axes
    assert (regions.get_xlabel(), regions.get_ylabel()) == ("x0", "x1")
    assert loss.get_xlabel() == "epoch" and "binary cross-entropy" in loss.get_ylabel()
    assert {"data, class 0", "data, class 1"} <= set(legend_texts(fig))


def test_a_smooth_net_is_shaded_by_class_too_and_the_legend_has_no_region_edges(tmp_path, figures):
    ok("train", "--data", "circles", "--hidden", "8", "--activation", "sigmoid", "--epochs", "100",
       "--plot", tmp_path / "x.png")
    regions, _ = figures[0].axes
    (image,) = regions.get_images()
    assert image.get_gid() == "shading"
    assert "edges of the linear regions" not in legend_texts(figures[0])


# --- past the region cap: the classes are drawn, the regions said not to be (issue 20 item 12) -----------------


def too_many(*args, **kwargs):
    raise ValueError("the model has 31,251 regions x 128 units by layer 6: more than 4,000,000 numbers, too many "
                     "for linear_regions to hold in memory")


@pytest.fixture
def past_the_cap(monkeypatch):
    """Every count and list of regions runs out, as a 2-128-128-128-1 net's does on spiral (in 10 s, not 0.1)."""
    import tinynet.draw.regions
    import tinynet.lesson.report

    monkeypatch.setattr(tinynet.lesson.report, "count_regions", too_many)
    monkeypatch.setattr(tinynet.draw.regions, "linear_regions", too_many)


def region_titles(fig) -> list[str]:
    return [ax.get_title() for ax in fig.axes if ax.get_label().startswith("regions: ")]


def test_train_plot_past_the_cap_draws_the_classes_and_says_the_regions_are_not_drawn(tmp_path, figures,
                                                                                        past_the_cap):
    # it trained, printed "not counted", then exited 1 on the cap's error with no picture
    path = tmp_path / "xor.png"
    result = ok("train", "--data", "xor", "--hidden", "8", "--epochs", "100", "--plot", path, "--save",
                tmp_path / "m.npz")
    assert "linear regions:      not counted: the model has 31,251 regions" in result.stdout
    assert result.stderr == (f"Warning: {path} does not draw the linear regions, too many to list (see above): it "
                             "shades each point of the plane by its class\n")
    (fig,) = figures
    (title,) = region_titles(fig)
    assert "too many regions to draw" in title.replace("\n", " ") and "accuracy" in title
    assert "edges of the linear regions" not in legend_texts(fig)
    assert [c.get_gid() for c in fig.axes[0].get_children() if c.get_gid()] == ["shading"]


def test_compare_plot_past_the_cap_never_calls_a_relu_net_smooth(tmp_path, figures, past_the_cap):
    # its table said "too many", and its picture "relu: smooth, no regions"
    result = ok("compare", "--data", "xor", "--hidden", "8", "--epochs", "100", "--plot", tmp_path / "xor.png")
    assert "too many" in result.stdout
    (fig,) = figures
    titles = dict(zip(["logistic regression", "identity", "relu", "sigmoid"], region_titles(fig)))
    assert "too many regions to draw" in titles["relu"].replace("\n", " ")
    assert "smooth, no regions" in titles["sigmoid"]


def test_a_net_whose_regions_run_out_while_drawing_is_still_drawn(monkeypatch):
    import tinynet.draw.regions

    monkeypatch.setattr(tinynet.draw.regions, "linear_regions", too_many)
    X, y = tinynet.make_dataset("xor", 64)
    net = tinynet.mlp([2, 4, 1], "relu", output_activation="sigmoid", seed=0)
    fig = draw.draw_regions(X, y, [{"label": "relu", "net": net, "accuracy": 0.5, "regions": True}], title="t")
    assert region_titles(fig) == ["relu: too many regions to draw\naccuracy 50.0%"]
