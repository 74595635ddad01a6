"""TorchStandardize and TorchUnstandardize: tinynet's scaling layers as torch modules, made when torch is there."""

import functools

SCALING_NAMES = ("TorchStandardize", "TorchUnstandardize")


@functools.cache
def scaling_modules() -> dict[str, type]:
    """TorchStandardize and TorchUnstandardize, made the first time they are needed.

    They subclass torch.nn.Module, so they can exist only once torch is
    imported. The module's ``__getattr__`` below hands them out as
    ``tinynet.io.torch_bridge.TorchStandardize``, which is also where pickle
    looks for them: ``torch.save(net)`` of a whole module works too.
    """
    from .torch_bridge import _import_torch  # the one message for a missing torch

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
        cls.__qualname__ = cls.__name__  # pickle looks them up as tinynet.io.torch_scaling.<name>
    return classes


def __getattr__(name: str):
    if name in SCALING_NAMES:
        return scaling_modules()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
