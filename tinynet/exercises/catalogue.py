"""The exercises, in the order to do them: what each asks, where its lines are, how it is checked."""

import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import engine
from . import pieces
from .layers import BugTask, LayerTask, NewLayerTask
from .losses import LossTask
from .optimizers import OptimizerTask, StepTask, adam, momentum, plain
from .source import Piece, marked_piece

TINYNET = Path(engine.__file__).parent.parent


@dataclass(frozen=True)
class Exercise:
    """One exercise: ``summary`` says what to write; ``source`` (under tinynet/) marks the lines of ``defines``.

    ``plant`` (right line, wrong line) makes the stub the solution with one line wrong, for a bug to find,
    instead of the solution with its marked bodies taken out.
    """

    name: str
    summary: str
    source: str
    defines: str
    task: object  # a LayerTask, LossTask, OptimizerTask or StepTask: checks(obj) and diagnose(obj)
    tips: tuple[str, ...]
    imports: str = "import numpy as np\n\nfrom tinynet.engine import Module"
    plant: tuple[str, str] | None = None
    footer: str = ""

    @property
    def file_name(self) -> str:
        """The file ``start`` writes: relu_backward.py (a name Python can import)."""
        return self.name.replace("-", "_") + ".py"

    def piece(self) -> Piece:
        return marked_piece(TINYNET / self.source, self.name)

    def stub(self) -> str:
        """The file a learner starts from: the piece's docstrings, its marked bodies to write (or one bug)."""
        piece = self.piece()
        if self.plant:
            right, wrong = self.plant
            code = piece.solution()
            if code.count(right) != 1:
                raise ValueError(f"{self.source} must hold {right!r} once, for exercise {self.name} to plant its bug")
            code = code.replace(right, wrong)
            how = (f"One line of {self.defines}'s backward below is wrong. Run `python {self.file_name}`: "
                   "tinynet's gradient check says which gradients are off, and so where to look. Fix the "
                   "line, then check your work:")
        else:
            code = piece.stub()
            bodies = [body.name for body in piece.bodies]
            how = (f"Write {' and '.join(bodies)}: {'each body raises' if len(bodies) > 1 else 'its body raises'} "
                   "NotImplementedError for now, and the docstring above says what to compute, with the "
                   "shapes. Then check your work:")
        return self.file(how, code, f"Stuck? `tinynet exercise solution {self.name}` prints a solution: "
                                    f"tinynet's own code, from tinynet/{self.source}.")

    def solution(self) -> str:
        """The same file with the piece as its source has it: it passes ``check``."""
        return self.file(f"A solution: {self.defines} as tinynet/{self.source} has it. Check it with:",
                         self.piece().solution(), "")

    def file(self, how: str, code: str, last: str) -> str:
        def paragraph(text: str) -> str:
            return textwrap.fill(text, 78, break_on_hyphens=False, break_long_words=False)

        tips = "\n".join(textwrap.fill(tip, 78, initial_indent="- ", subsequent_indent="  ") for tip in self.tips)
        parts = [f'"""tinynet exercise {self.name}', paragraph(self.summary), paragraph(how),
                 f"    tinynet exercise check {self.name}", f"Tips:\n{tips}"] + ([paragraph(last)] if last else [])
        return "\n\n".join(parts) + f'\n"""\n\n{self.imports}\n\n\n{code}{self.footer}'


def sig(x):
    return 1 / (1 + np.exp(-x))


ACTIVATION = {"make": lambda cls, n_in, n_out, seed: cls()}
BUG_FOOTER = '''

if __name__ == "__main__":  # python find_the_bug.py: tinynet's gradient check, one line per array
    import tinynet

    rng = np.random.default_rng(0)
    net = TwoLayerNet(3, 5, 2, rng=0)
    X, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    for name, error in tinynet.gradcheck_report(net, X, y).items():
        print(f"{name:8} relative error {tinynet.relative_error_text(error)}")
'''

EXERCISES = [
    Exercise(
        "relu-backward", "ReLU's forward and backward: dL/dx = grad_output * (x > 0)",
        "engine/activations.py", "ReLU",
        LayerTask(engine.ReLU, kinks=(0.0,), **ACTIVATION, mistakes=(
            ("relu-mask-wrong-side", lambda x, g, r: g * (x <= 0)),
            ("no-chain-rule", lambda x, g, r: (x > 0) * 1.0))),
        ("forward saves what backward needs: here, where x > 0.",
         "backward multiplies grad_output by the derivative, element by element: 1 where the unit is on, else 0.")),
    Exercise(
        "sigmoid-backward", "Sigmoid's forward and backward: dL/dx = dL/dy * s * (1 - s)",
        "engine/activations.py", "Sigmoid",
        LayerTask(engine.Sigmoid, **ACTIVATION, mistakes=(
            ("sigmoid-at-x", lambda x, g, r: g * x * (1 - x)),
            ("sigmoid-twice", lambda x, g, r: g * sig(r.s) * (1 - sig(r.s))),
            ("no-chain-rule", lambda x, g, r: r.s * (1 - r.s)))),
        ("the derivative is written with the output s, not the input: save s in forward.",
         "exp(-x) overflows for x < -709 and numpy warns; 1 / (1 + inf) = 0 is still the right limit.")),
    Exercise(
        "tanh-backward", "Tanh's forward and backward: dL/dx = dL/dy * (1 - t**2)",
        "engine/activations.py", "Tanh",
        LayerTask(engine.Tanh, **ACTIVATION, mistakes=(
            ("tanh-at-x", lambda x, g, r: g * (1 - x**2)),
            ("tanh-twice", lambda x, g, r: g * (1 - np.tanh(r.t) ** 2)),
            ("tanh-square", lambda x, g, r: g * (1 - r.t) ** 2),
            ("no-chain-rule", lambda x, g, r: 1 - r.t**2))),
        ("as for sigmoid, the derivative is written with the output: save t = tanh(x).",)),
    Exercise(
        "linear-backward", "Linear's forward and backward: dL/dW, dL/db and dL/dx",
        "engine/linear.py", "Linear",
        LayerTask(engine.Linear, make=lambda cls, n_in, n_out, seed: cls(n_in, n_out, rng=seed), net="linear",
                  data="abs", mistakes=(("input-not-transposed", lambda x, g, r: g @ r.weight.data),)),
        ("write each gradient's shape first: dL/dW has W's shape, dL/db b's, dL/dx x's; the products follow.",
         "add into weight.grad and bias.grad with +=: a parameter used twice collects both gradients.",
         "the layer may have no bias (bias=False): then self.bias is None."),
        imports="import numpy as np\n\nfrom tinynet.engine import Module, Parameter"),
    Exercise(
        "mse-backward", "MSELoss's backward: 2 * (prediction - target) / (N * D)",
        "engine/losses.py", "MSELoss",
        LossTask(engine.MSELoss, mistakes=(
            ("mse-missing-2", lambda p, t, right: right / 2),
            ("mse-missing-mean", lambda p, t, right: right * p.size),
            ("mse-missing-both", lambda p, t, right: right * p.size / 2),
            ("mse-per-row", lambda p, t, right: right * p.shape[1]),
            ("sign", lambda p, t, right: -right))),
        ("forward saved diff = prediction - target; the loss is the mean of diff**2 over every element.",)),
    Exercise(
        "bce-backward", "BCELoss's backward: (p - target) / (p * (1 - p)) / (N * D)",
        "engine/losses.py", "BCELoss",
        LossTask(engine.BCELoss, binary=True, mistakes=(
            ("bce-missing-mean", lambda p, t, right: right * p.size),
            ("bce-logit-gradient", lambda p, t, right: (p - t) / p.size),
            ("bce-logit-gradient", lambda p, t, right: p - t),
            ("sign", lambda p, t, right: -right))),
        ("d/dp of -(t * log(p) + (1 - t) * log(1 - p)) is -t / p + (1 - t) / (1 - p); put it over one denominator.",
         "forward clipped p away from 0 and 1: use self.p, not the prediction.")),
    Exercise(
        "sgd-step", "Gradient descent's step: data -= lr * grad, in place",
        "exercises/pieces.py", "PlainSGD",
        OptimizerTask(engine.SGD, ({"lr": 0.1},), train_config={"lr": 0.1}, mistakes=(
            ("sgd-sign", plain(sign=-1.0)), ("sgd-no-lr", plain(with_lr=False)))),
        ("self.params is the list of Parameters; each has .data and .grad.",
         "update in place (-=): the layers hold the same arrays."),
        imports="import numpy as np\n\nfrom tinynet.engine import Optimizer"),
    Exercise(
        "sgd-momentum", "SGD's step, with momentum and weight decay",
        "engine/optim.py", "SGD",
        OptimizerTask(engine.SGD, ({"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.5, "weight_decay": 0.1}),
                      train_config={"lr": 0.05, "momentum": 0.9}, mistakes=(
            ("momentum-lost", momentum(keep=False)), ("momentum-dampened", momentum(dampen=True)),
            ("weight-decay-ignored", momentum(decay=False)), ("sgd-sign", momentum(sign=-1.0)))),
        ("self.velocity holds one array per parameter, zeros at first: update it in place so it lasts.",),
        imports="import numpy as np\n\nfrom tinynet.engine import Optimizer"),
    Exercise(
        "adam-step", "Adam's step, with its bias correction written out",
        "engine/optim.py", "Adam",
        OptimizerTask(engine.Adam, ({"lr": 0.01}, {"lr": 0.1, "betas": (0.8, 0.99), "weight_decay": 0.1}),
                      mistakes=(
            ("adam-no-bias-correction", adam(correct=False)), ("adam-t-late", adam(t_late=True)),
            ("adam-state-lost", adam(keep=False)), ("weight-decay-ignored", adam(decay=False)))),
        ("t counts the steps taken, from 1: the bias correction needs it.",
         "m[...] = ... writes into the array self.m holds; m = ... would only rename a new one."),
        imports="import numpy as np\n\nfrom tinynet.engine import Optimizer"),
    Exercise(
        "train-step", "The training step: forward, loss, zero_grad, backward, step",
        "engine/step.py", "train_step", StepTask(),
        (("five lines, one per stage; the loss's backward() gives dL/d(prediction), where the model's backward "
         "starts."),),
        imports="import numpy as np"),
    Exercise(
        "silu-layer", "A new layer, SiLU = x * sigmoid(x), registered and trained",
        "exercises/pieces.py", "SiLU",
        NewLayerTask(pieces.SiLU, **ACTIVATION, mistakes=(
            ("silu-product-rule", lambda x, g, r: g * r.s),
            ("silu-product-rule", lambda x, g, r: g * x * r.s * (1 - r.s)),
            ("silu-product-rule", lambda x, g, r: g * r.s * (1 - r.s)),
            ("no-chain-rule", lambda x, g, r: r.s + x * r.s * (1 - r.s)))),
        ("y is a product of x and sigmoid(x): the product rule gives two terms.",
         "the class attribute name = 'silu' is what register_activation and mlp know it by.")),
    Exercise(
        "find-the-bug", "A net's backward with one line wrong: find it by gradcheck",
        "exercises/pieces.py", "TwoLayerNet",
        BugTask(pieces.TwoLayerNet, make=lambda cls, n_in, n_out, seed: cls(n_in, 8, n_out, rng=seed), net="whole"),
        (("gradcheck compares each gradient with central differences: those it finds right rule out every line "
         "they depend on."),),
        imports="import numpy as np\n\nfrom tinynet.engine import Module, Parameter",
        plant=("dz = dh * (1 - self.h**2)", "dz = dh * (1 - self.h) ** 2"), footer=BUG_FOOTER),
]
