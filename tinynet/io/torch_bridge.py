"""torch_bridge: the same network in PyTorch, and back.

tinynet borrows torch.nn's names, so the translation is one line per layer:

    tinynet                       torch.nn
    Linear (W, b)                 Linear: weight = W.T, bias = b   (torch stores W transposed)
    Identity, ReLU, Sigmoid, Tanh the modules of the same names
    LeakyReLU(negative_slope)     LeakyReLU(negative_slope)      (the arguments of config())
    Standardize(mean, std)        TorchStandardize: y = (x - mean) / std
    Unstandardize(mean, std)      TorchUnstandardize: y = x * std + mean

The scaling layers become small torch modules (buffers: saved, never
trained), not folded into a Linear, so a round trip gives back the very
layers it started from. Layer i of one Sequential is layer i of the other:
the state_dict names are the model file's ("0.weight", "4.mean"; weights
transposed). Arrays are copied; the dtype is kept. Anything but the exact
types above is refused with a ValueError naming the layer, and so is what
makes a torch net compute other than its layers say, which no layer type
shows: a hook (register_forward_hook and its kin, on a layer or on every
module), a parameter that two layers share (one Linear used twice, or tied
weights: torch trains one tensor where tinynet would train two copies), a
layer on the meta device (a shape without values). A layer without
parameters used twice (one ReLU object at two places) becomes two layers,
which compute and train the same. torch is imported inside these functions
only; without it they raise ModuleNotFoundError naming the extra to install.
"""

import functools

import numpy as np

from .. import fast, kinds
from ..engine import (
    Identity,
    LeakyReLU,
    Linear,
    Module,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
)
from ..kinds import ACTIVATIONS
from ..standardize import Standardize, Unstandardize
from .atomic import atomic_write

MISSING_TORCH = ('this needs PyTorch, which is not installed: pip install "tinynet[torch]" (a CPU build is '
                 "enough: see PyTorch's install page for the CPU-only wheel of your platform)")
# torch.nn has a module of the same name, taking the arguments config() gives (negative_slope) and
# keeping them as attributes of those names
SAME_NAME = (Identity, ReLU, LeakyReLU, Sigmoid, Tanh)
SCALING = {Standardize: "TorchStandardize", Unstandardize: "TorchUnstandardize"}
KNOWN = "Linear, Identity, ReLU, LeakyReLU, Sigmoid, Tanh, TorchStandardize and TorchUnstandardize"
# The hooks torch runs around a module's forward and backward (Module._call_impl): each kind is kept in a
# dict of this name on every module, and as "_global" + name in torch.nn.modules.module for all modules at
# once. torch has no public way to list them; an attribute missing in another torch version counts as none.
# name -> (the hook, the Module method that adds one, the function that adds one for every module)
HOOKS = {"_forward_pre_hooks": ("a forward pre-hook", "register_forward_pre_hook",
                                "register_module_forward_pre_hook"),
         "_forward_hooks": ("a forward hook", "register_forward_hook", "register_module_forward_hook"),
         "_backward_pre_hooks": ("a backward pre-hook", "register_full_backward_pre_hook",
                                 "register_module_full_backward_pre_hook"),
         "_backward_hooks": ("a backward hook", "register_full_backward_hook", "register_module_full_backward_hook")}


def to_torch(model: Module) -> "torch.nn.Sequential":  # noqa: F821  (torch is imported inside, never at module level)
    """The same network as a ``torch.nn.Sequential``, layer for layer (see the table above).

    ``model`` is a tinynet Sequential or a single layer. Weights are copied
    and transposed (torch's Linear weight is W.T: (out_features, in_features));
    draws nothing from torch's random generator.

    >>> import pytest; torch = pytest.importorskip("torch")  # these examples need torch
    >>> to_torch(mlp([2, 3, 1], "leaky_relu"))[:2]
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): LeakyReLU(negative_slope=0.01)
    )
    """
    torch = _import_torch()
    if not isinstance(model, Module):
        raise TypeError(f"to_torch takes a tinynet Sequential or layer, got {type(model).__name__}")
    layers = model.layers if isinstance(model, Sequential) else [model]
    return torch.nn.Sequential(*(_to_torch_layer(torch, layer, i) for i, layer in enumerate(layers)))


def _to_torch_layer(torch, layer: Module, i: int):
    known = kinds.kind_of(layer)
    kind = known.cls if known else type(layer)  # the engine's class, for its faster form too
    if type(layer) in (Linear, fast.Linear):
        W = layer.weight.data  # (in_features, out_features)
        # skip_init: no random weights drawn (from torch's global generator) only to be overwritten
        linear = torch.nn.utils.skip_init(torch.nn.Linear, layer.in_features, layer.out_features,
                                          bias=layer.bias is not None, dtype=getattr(torch, W.dtype.name))
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T))  # torch's weight: W.T, (out_features, in_features)
            if layer.bias is not None:
                linear.bias.copy_(torch.from_numpy(layer.bias.data))
        return linear
    if kind in SAME_NAME:
        return getattr(torch.nn, kind.__name__)(**kinds.config(layer))
    if kind in SCALING:
        return scaling_modules()[SCALING[kind]](torch.from_numpy(layer.mean), torch.from_numpy(layer.std))
    raise ValueError(f"layer {i} is a {kind.__name__}, which to_torch cannot translate: it translates "
                     "Linear, Identity, ReLU, LeakyReLU, Sigmoid, Tanh, Standardize and Unstandardize")


def from_torch(module: "torch.nn.Module") -> Sequential:  # noqa: F821  (as above)
    """The same network as a tinynet ``Sequential``: the inverse of ``to_torch``.

    ``module`` is a ``torch.nn.Sequential`` (nested ones are spliced in, as
    tinynet's Sequential does) or a single layer, of the types in the table
    above, all float32 or all float64; tensors are copied to numpy (from any
    device but meta, which holds no values). Anything else is refused, naming
    the layer by its state_dict path, and so are hooks and parameters shared
    by two layers (see the module docstring).

    >>> import pytest; torch = pytest.importorskip("torch")  # these examples need torch
    >>> from_torch(torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Tanh()))
    Sequential(
      (0): Linear(in_features=2, out_features=3, bias=True)
      (1): Tanh()
    )
    """
    torch = _import_torch()
    if not isinstance(module, torch.nn.Module):
        raise TypeError(f"from_torch takes a torch.nn.Module, got {type(module).__name__}")
    _refuse_hooks(torch, module)
    layers, dtypes = [], []  # dtypes: (which layer, dtype name) of each layer holding tensors
    for path, layer in _leaves(torch, module, ""):
        where = _where(path)
        tiny, dtype = _from_torch_layer(torch, layer, where)
        layers.append(tiny)
        if dtype is not None:
            dtypes.append((where, dtype))
    for where, dtype in dtypes[1:]:
        if dtype != dtypes[0][1]:
            raise ValueError(f"{where} is {dtype} but {dtypes[0][0]} is {dtypes[0][1]}: tinynet computes in one "
                             "dtype: convert the module with .double() or .float() first")
    _refuse_shared_parameters(module)
    return Sequential(*layers)


def _leaves(torch, module, path: str):
    """(state_dict path, layer) of every layer, in order, nested Sequentials opened.

    A module placed twice is listed twice, as torch runs it twice (named_children lists it once).
    """
    if type(module) is not torch.nn.Sequential:
        yield path, module
        return
    for name, child in module.named_modules(remove_duplicate=False):
        if name and "." not in name:  # a child, not the Sequential itself or a grandchild
            yield from _leaves(torch, child, f"{path}.{name}" if path else name)


def _where(path: str) -> str:
    return f"layer {path}" if path else "the module"


def _refuse_hooks(torch, module) -> None:
    """A ValueError naming the first hook that would make ``module`` compute other than its layers say."""
    everywhere = torch.nn.modules.module
    for attribute, (hook, _, add_everywhere) in HOOKS.items():
        if getattr(everywhere, "_global" + attribute, None):
            raise ValueError(f"{hook} is registered for every torch module (torch.nn.modules.module."
                             f"{add_everywhere}), so the net computes more than its layers say, and tinynet cannot "
                             "translate code: remove it first (handle.remove())")
    for path, layer in module.named_modules(remove_duplicate=False):
        for attribute, (hook, add, _) in HOOKS.items():
            if getattr(layer, attribute, None):
                raise ValueError(f"{_where(path)} ({type(layer).__name__}) has {hook} ({add}), so the net "
                                 "computes more than its layers say, and tinynet cannot translate code: remove "
                                 "it first (handle.remove())")


def _refuse_shared_parameters(module) -> None:
    """A ValueError naming the first parameter found at two places (torch lists it once unless asked)."""
    first = {}  # id(parameter) -> its first state_dict path
    for path, parameter in module.named_parameters(remove_duplicate=False):
        if id(parameter) in first:
            layer, _, name = path.rpartition(".")
            other, _, other_name = first[id(parameter)].rpartition(".")
            raise ValueError(f"{_where(layer)} shares its {name} with {_where(other)}'s {other_name} (the "
                             "same module placed twice, or tied weights): torch trains one tensor for both, "
                             "but each tinynet layer owns its parameters, so a copy would train as two; "
                             "give each place a module of its own (copy.deepcopy) if two layers are what you mean")
        first[id(parameter)] = path


def _from_torch_layer(torch, layer, where: str) -> tuple[Module, str | None]:
    """The tinynet layer for one torch layer, and the dtype of its tensors (None if it has none)."""
    kind = type(layer)
    if kind is torch.nn.Linear:
        W = _array(layer.weight, where, kind).T  # (in_features, out_features)
        b = None if layer.bias is None else _array(layer.bias, where, kind)
        return fast.Linear.from_weights(W, b), W.dtype.name
    for same in SAME_NAME:
        if kind is getattr(torch.nn, same.__name__):
            built = ACTIVATIONS[kinds.activation_name(same())]  # the class mlp builds (the fast one)
            return built(**{key: getattr(layer, key) for key in kinds.config(same())}), None
    for tiny, name in SCALING.items():
        if kind is scaling_modules()[name]:
            mean, std = _array(layer.mean, where, kind), _array(layer.std, where, kind)
            return tiny(mean, std), mean.dtype.name
    raise ValueError(f"{where} is a {kind.__name__} ({kind.__module__}.{kind.__qualname__}), which tinynet "
                     f"cannot represent: it has {KNOWN}")


def _array(tensor, where: str, kind: type) -> np.ndarray:
    """A numpy copy of ``tensor``, which must be float32 or float64 and hold values."""
    if tensor.is_meta:
        raise ValueError(f"{where} ({kind.__name__}) is on the meta device: its tensors have shapes but no "
                         "values to copy; give it values first (.to_empty(device='cpu'), then load_state_dict)")
    if str(tensor.dtype) not in ("torch.float32", "torch.float64"):
        raise ValueError(f"{where} ({kind.__name__}) holds {tensor.dtype} tensors, but tinynet computes in "
                         "float32 or float64: convert the module with .double() or .float() first")
    return tensor.detach().cpu().numpy().copy()


def save_state_dict(model: Module, path) -> None:
    """Write ``to_torch(model).state_dict()`` to ``path`` with ``torch.save``, atomically.

    What ``tinynet export`` writes. PyTorch reads it back, without unpickling
    any code, into the module ``to_torch`` builds:
    ``net = to_torch(model); net.load_state_dict(torch.load(path, weights_only=True))``.
    Like ``tinynet.save``, the file at ``path`` is replaced only once the new
    one is complete (see ``tinynet.io.atomic``).

    >>> import pytest; torch = pytest.importorskip("torch")  # this example needs torch
    >>> from tinynet.io.torch_bridge import save_state_dict
    >>> path = getfixture("tmp_path") / "model.pt"; save_state_dict(mlp([2, 3, 1]), path)
    >>> sorted(torch.load(path, weights_only=True))
    ['0.bias', '0.weight', '2.bias', '2.weight']
    """
    torch = _import_torch()
    state = to_torch(model).state_dict()
    with atomic_write(path) as file:
        torch.save(state, file)


# --- The scaling layers as torch modules, and torch itself: both made when first needed ---------------------


@functools.cache
def scaling_modules() -> dict[str, type]:
    """TorchStandardize and TorchUnstandardize, made the first time they are needed.

    They subclass torch.nn.Module, so they can exist only once torch is
    imported. The module's ``__getattr__`` below hands them out as
    ``tinynet.io.torch_bridge.TorchStandardize``, which is also where pickle
    looks for them: ``torch.save(net)`` of a whole module works too.
    """
    torch = _import_torch()

    class Scaling(torch.nn.Module):
        """A fixed per-feature scaling. Shape: x (N, features) -> (N, features); mean, std: (features,)."""

        def __init__(self, mean: "torch.Tensor", std: "torch.Tensor"):
            super().__init__()
            self.register_buffer("mean", torch.as_tensor(mean).clone())  # copied: the tinynet layer keeps its own
            self.register_buffer("std", torch.as_tensor(std).clone())

        def extra_repr(self) -> str:
            return f"features={self.mean.numel()}"

    class TorchStandardize(Scaling):
        """y = (x - mean) / std, feature by feature: tinynet's Standardize."""

        def forward(self, x: "torch.Tensor") -> "torch.Tensor":
            return (x - self.mean) / self.std

    class TorchUnstandardize(Scaling):
        """y = x * std + mean, feature by feature: tinynet's Unstandardize."""

        def forward(self, x: "torch.Tensor") -> "torch.Tensor":
            return x * self.std + self.mean

    classes = {"TorchStandardize": TorchStandardize, "TorchUnstandardize": TorchUnstandardize}
    for cls in classes.values():
        cls.__qualname__ = cls.__name__  # pickle looks them up as tinynet.io.torch_bridge.<name>
    return classes


def __getattr__(name: str):
    if name in SCALING.values():
        return scaling_modules()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _import_torch():
    try:
        import torch
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(MISSING_TORCH) from error
    return torch
