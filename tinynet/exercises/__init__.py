"""Exercises that check themselves: write a piece of the engine, and tinynet says what is wrong.

``tinynet exercise list`` names them in order; ``start NAME`` writes a file
with the piece to write (its docstring, shapes and derivative, its body a
``raise NotImplementedError``); ``check NAME`` runs the learner's file
through four checks (shapes; a float64 gradient check that sets aside samples
at a kink; the piece against the engine's own on random shapes, a batch of one
among them; a small net on sin or abs that trains with it) and names the usual
mistakes it recognises; ``solution NAME`` prints the engine's own code.

Stub and solution come from the same lines of the engine's source, marked
there by a comment (see ``source``), so they cannot disagree. Pieces that are
not in the engine (a new layer, the net with a bug to find) live in
``pieces``. Checking a file runs it: it is the learner's own code, loaded
from its path like any Python module.

>>> [e.name for e in EXERCISES][:3]
['relu-backward', 'sigmoid-backward', 'tanh-backward']
"""

from pathlib import Path

from .catalogue import EXERCISES, Exercise
from .checking import ExerciseError, Found, Report, load_module, quiet, run_checks
from .hints import HINTS

__all__ = ["EXERCISES", "HINTS", "Exercise", "ExerciseError", "Found", "Report", "check", "get", "listing", "start"]


def get(name: str) -> Exercise:
    """The exercise called ``name``; an ExerciseError lists the names."""
    for exercise in EXERCISES:
        if exercise.name == name:
            return exercise
    raise ExerciseError(f"no exercise {name!r}: choose one of {', '.join(e.name for e in EXERCISES)}")


def listing() -> list[dict]:
    """Each exercise as a row: name, summary, the file ``start`` writes, the source its lines come from.

    >>> listing()[0]["name"], listing()[0]["file"], listing()[0]["source"]
    ('relu-backward', 'relu_backward.py', 'tinynet/engine/activations.py')
    """
    return [{"name": e.name, "summary": e.summary, "file": e.file_name, "source": f"tinynet/{e.source}"}
            for e in EXERCISES]


def start(name: str, folder: Path | str = ".") -> Path:
    """Write exercise ``name``'s stub into ``folder``; never over a file that exists (the learner's work)."""
    exercise = get(name)
    path = Path(folder) / exercise.file_name
    try:
        with open(path, "x", encoding="utf-8") as file:
            file.write(exercise.stub())
    except FileExistsError:
        raise ExerciseError(f"{path} exists already and is kept as it is: check it with `tinynet exercise check "
                            f"{name}{'' if Path(folder) == Path('.') else f' {path}'}`, or start afresh in another "
                            "folder (--dir)") from None
    return path


def check(name: str, path: Path | str | None = None) -> Report:
    """Load the learner's file (by default ``start``'s, in the current folder) and run every check on it."""
    exercise = get(name)
    path = Path(path if path is not None else exercise.file_name)
    if not path.is_file():
        raise ExerciseError(f"no file {path}: write it with `tinynet exercise start {name}` first, or give its path")
    loaded = []  # the learner's module, run once
    found = run_checks([("loads", lambda: loads(exercise, path, loaded))], path)
    if not found[0].passed:
        return Report(name, path, found)
    obj = getattr(loaded[0], exercise.defines)
    found += run_checks(exercise.task.checks(obj), path)
    following = EXERCISES[EXERCISES.index(exercise) + 1:]
    report = Report(name, path, found, next=following[0].name if following else None)
    if not report.passed:
        report.hint = diagnose(exercise, obj)
    return report


def loads(exercise: Exercise, path: Path, loaded: list):
    """The first check: the file runs and defines what the exercise asks for (kept in ``loaded``)."""
    module = load_module(path)
    loaded.append(module)
    if not hasattr(module, exercise.defines):
        return False, f"{path.name} defines no {exercise.defines}: keep the name the exercise gave it", []
    return True, f"{path.name} defines {exercise.defines}", []


def diagnose(exercise: Exercise, obj) -> tuple[str, str] | None:
    """The first usual mistake recognised in the learner's code, as (its name, what to do), or None."""
    try:
        with quiet():
            found = exercise.task.diagnose(obj)
    except Exception:  # noqa: BLE001 (a mistake no hint knows: the checks have said what they found)
        return None
    return HINTS[found] if isinstance(found, str) else found
