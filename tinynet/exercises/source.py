"""Stub and solution from the same lines: the pieces of source an exercise marks, read with ``ast``.

A def line that ends in ``# exercise: NAME`` (as ``ReLU.backward`` does in
tinynet/engine/activations.py) is a body the learner of exercise NAME writes.
The piece an exercise hands out is the class (or function) around those
defs, whole, docstring and all: the solution is its lines as they are, the
stub the same lines with each marked body replaced by one ``raise
NotImplementedError``. The markers are comments and take no line of their
own, so the engine reads as it did; and since both files come from the same
lines, they cannot disagree.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

MARKER = re.compile(r"\s*# exercise: ([a-z0-9-]+)$")


@dataclass(frozen=True)
class Body:
    """One marked body: lines [start, end) of its piece, their indent, and the def's name ("ReLU.backward")."""

    start: int
    end: int
    indent: str
    name: str


@dataclass(frozen=True)
class Piece:
    """The class or function an exercise hands out: its lines (markers removed) and the bodies to write."""

    path: Path
    first_line: int  # 1-based line of the piece in ``path``, for messages
    lines: tuple[str, ...]
    bodies: tuple[Body, ...]

    def solution(self) -> str:
        """The piece as its source has it."""
        return "\n".join(self.lines) + "\n"

    def stub(self) -> str:
        """The piece with each marked body replaced by ``raise NotImplementedError``."""
        lines = list(self.lines)
        for body in reversed(self.bodies):
            lines[body.start:body.end] = [f'{body.indent}raise NotImplementedError("{body.name}")']
        return "\n".join(lines) + "\n"

    def body_lines(self) -> list[str]:
        """Every line of the marked bodies, as the solution has them."""
        return [line for body in self.bodies for line in self.lines[body.start:body.end]]


def marked_piece(path: Path, name: str) -> Piece:
    """The piece of ``path`` whose defs carry ``# exercise: name``; a ValueError names what is missing.

    >>> from tinynet import engine
    >>> piece = marked_piece(Path(engine.__file__).parent / "activations.py", "relu-backward")
    >>> [body.name for body in piece.bodies], piece.lines[0]
    (['ReLU.forward', 'ReLU.backward'], 'class ReLU(Module):')
    """
    text = path.read_text()
    source = text.splitlines()
    marked = {i + 1 for i, line in enumerate(source) if (found := MARKER.search(line)) and found.group(1) == name}
    if not marked:
        raise ValueError(f"{path} marks no def with '# exercise: {name}'")
    tree = ast.parse(text, str(path))
    units = [node for node in tree.body if isinstance(node, (ast.ClassDef, ast.FunctionDef))
             and any(node.lineno <= line <= node.end_lineno for line in marked)]
    if len(units) != 1:
        raise ValueError(f"the defs marked '# exercise: {name}' in {path} must lie in one class or function, "
                         f"found {len(units)}")
    unit = units[0]
    top = min([unit.lineno] + [d.lineno for d in unit.decorator_list])
    defs = [unit] if isinstance(unit, ast.FunctionDef) else [node for node in unit.body
                                                             if isinstance(node, ast.FunctionDef)]
    bodies = []
    for node in defs:
        if node.lineno not in marked:
            continue
        first = node.body[0]
        has_docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
            and isinstance(first.value.value, str)
        if has_docstring:
            start = first.end_lineno + 1
        else:  # comment lines between the signature and the first statement belong to the body
            start = first.lineno
            while start - 1 > node.lineno and source[start - 2].strip().startswith("#"):
                start -= 1
        qualified = node.name if node is unit else f"{unit.name}.{node.name}"
        indent = re.match(r"\s*", source[start - 1]).group()
        bodies.append(Body(start - top, node.end_lineno + 1 - top, indent, qualified))
        marked.discard(node.lineno)
    if marked:
        raise ValueError(f"line {min(marked)} of {path} carries '# exercise: {name}' but is no def of {unit.name}")
    lines = tuple(MARKER.sub("", line) for line in source[top - 1:unit.end_lineno])
    return Piece(path, top, lines, tuple(bodies))
