"""A learner's own layer: backward before forward is a clear error, as the README promises.

The README's Softplus reads ``self.x`` in backward with the comment "a clear
error if forward never ran". These tests run that very class, taken from
README.md, and a layer written the plain way (``x = self.x``), and check
that the error names the layer, the attribute and the fix, while a misspelt
attribute is still an ordinary AttributeError.
"""

import copy
import doctest
import pickle
import re
from pathlib import Path

import numpy as np
import pytest

import tinynet as tn
from tinynet.kinds import ACTIVATIONS

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


@pytest.fixture
def registry_as_it_was():
    """The README's class registers "softplus": leave the table as the test found it (README's doctest adds its own)."""
    before = dict(ACTIVATIONS)
    ACTIVATIONS.pop("softplus", None)
    yield
    ACTIVATIONS.clear()
    ACTIVATIONS.update(before)


def readme_softplus() -> type:
    """The Softplus class of the README's "Write your own layer", defined by running the README's own lines."""
    section = README[README.index("## Write your own layer"):]
    block = re.search(r"```python\n(.*?)```", section, re.DOTALL).group(1)
    namespace: dict = {}
    for example in doctest.DocTestParser().get_examples(block):
        exec(example.source, namespace)  # noqa: S102 (running the README's own text is the point)
        if "Softplus" in namespace:
            return namespace["Softplus"]
    raise AssertionError("no class Softplus in the README's 'Write your own layer'")


class Square(tn.Module):
    """A learner's layer written the plain way: y = x**2, dL/dx = grad_output * 2 * x."""

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, grad_output):
        return grad_output * 2 * self.x


def test_the_readme_softplus_says_to_call_forward_first(registry_as_it_was):
    softplus = readme_softplus()()
    with pytest.raises(AttributeError) as error:
        softplus.backward(np.ones((2, 2)))
    assert str(error.value) == ("Softplus has no attribute 'x': if forward saves it for backward (self.x = ...), "
                                "call forward before backward")
    softplus.forward(np.zeros((2, 2)))  # after forward, the same backward runs: sigmoid(0) = 0.5
    np.testing.assert_allclose(softplus.backward(np.ones((2, 2))), np.full((2, 2), 0.5))


def test_a_layer_written_the_plain_way_says_to_call_forward_first():
    with pytest.raises(AttributeError, match=re.escape("Square has no attribute 'x': if forward saves it for "
                                                       "backward (self.x = ...), call forward before backward")):
        Square().backward(np.ones((3, 1)))
    layer = Square()
    layer.forward(np.array([[3.0]]))
    assert layer.backward(np.array([[1.0]])).tolist() == [[6.0]]


def test_a_misspelt_attribute_is_still_an_attribute_error():
    layer = Square()
    layer.forward(np.ones((1, 1)))
    with pytest.raises(AttributeError, match=r"^Square has no attribute 'xx'") as error:
        layer.xx  # noqa: B018 (the read is the test)
    assert error.value.name == "xx"  # what Python's "Did you mean" reads
    with pytest.raises(AttributeError, match="ReLU has no attribute 'maks'"):
        tn.ReLU().maks  # noqa: B018


def test_hasattr_getattr_copy_and_pickle_work_before_and_after_forward():
    fresh = Square()
    assert not hasattr(fresh, "x") and getattr(fresh, "x", None) is None
    for layer in (fresh, Square()):
        for copied in (copy.copy(layer), copy.deepcopy(layer), pickle.loads(pickle.dumps(layer))):
            assert isinstance(copied, Square)
    used = Square()
    used.forward(np.array([[2.0]]))
    assert pickle.loads(pickle.dumps(used)).x.tolist() == [[2.0]]
    assert copy.deepcopy(used).x.tolist() == [[2.0]]
    model = tn.mlp([1, 3, 1], "relu", seed=0)
    np.testing.assert_array_equal(copy.deepcopy(model)(np.ones((2, 1))), model(np.ones((2, 1))))


def test_the_built_in_layers_keep_their_own_message():
    with pytest.raises(AttributeError, match="ReLU has no attribute 'mask': .* call forward before backward"):
        tn.ReLU().backward(np.ones((1, 1)))
