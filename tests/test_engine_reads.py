"""The engine a learner reads is the engine that runs: one training step of the engine's own classes,
traced line by line, runs nothing but tinynet/engine/ code (and numpy), and the engine stays one sitting."""

import sys
from pathlib import Path

import numpy as np

from tinynet import engine

ENGINE = Path(engine.__file__).parent


def test_a_step_of_the_engines_classes_runs_only_engine_code():
    rng = np.random.default_rng(0)
    model = engine.Sequential(engine.Linear(1, 8, rng=rng), engine.ReLU(), engine.Linear(8, 8, rng=rng),
                              engine.Sigmoid(), engine.Linear(8, 1, rng=rng))
    X = rng.normal(size=(16, 1))
    y = np.sin(X)
    files = set()

    def tracer(frame, event, arg):
        if event == "call":
            files.add(Path(frame.f_code.co_filename))

    for optimizer in (engine.SGD(model.parameters(), lr=0.1, momentum=0.9), engine.Adam(model.parameters())):
        sys.settrace(tracer)
        try:
            engine.train_step(model, engine.MSELoss(), optimizer, X, y)
        finally:
            sys.settrace(None)
    ours = {path for path in files if "tinynet" in path.parts}
    assert ours and all(path.parent == ENGINE for path in ours), sorted(map(str, ours))
    assert {path.name for path in ours} == {"step.py", "module.py", "linear.py", "activations.py", "losses.py",
                                            "optim.py"}


def test_the_engine_is_one_sitting():
    files = sorted(ENGINE.glob("*.py"))
    lines = sum(len(path.read_text().splitlines()) for path in files)
    assert len(files) <= 7 and lines <= 550, (len(files), lines)  # 500, and 50 for softmax and weight decay (issue 22)
    for path in files:  # numpy only
        imports = [line for line in path.read_text().splitlines() if line.startswith(("import ", "from "))]
        assert all(line == "import numpy as np" or line.startswith("from .") for line in imports), path
