"""History: what happened during ``fit``, epoch by epoch."""

import math
from dataclasses import dataclass, field


@dataclass
class History:
    """What happened during ``fit``.

    ``loss`` has one training loss per epoch, each measured on the forward
    pass of that epoch, before its update (and ``val_loss`` the validation
    loss after it, if asked). ``final_loss`` is the returned model's loss on
    the training data, after the last update: the number to report.
    ``settled`` is True when training stopped early because the loss had
    settled (see ``fit``'s ``patience``).
    """

    loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    seconds: float = 0.0
    final_loss: float = math.nan
    settled: bool = False

    @property
    def epochs(self) -> int:
        return len(self.loss)
