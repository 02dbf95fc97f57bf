"""A content problem: one `file:line: message`, so authors can jump straight to it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def rel(path: Path, root: Path) -> str:
    """A path as shown in messages: relative to the content root's parent when possible."""
    try:
        return str(path.resolve().relative_to(root.resolve().parent))
    except ValueError:
        return str(path)


def as_given(problem: Problem, root: Path, given: Path) -> Problem:
    """The problem with its file named the way the user named the content directory (`given`, as
    typed: absolute, or relative to the working directory), so an editor opens it from there.
    `problem.file` is relative to `root`'s parent (see `rel`); an absolute one stays as it is."""
    file = Path(problem.file)
    if file.is_absolute():
        return problem
    try:
        inside = (root.resolve().parent / file).relative_to(root.resolve())
    except ValueError:
        return problem  # not inside the content directory: nothing to re-root
    return Problem(str(given / inside), problem.line, problem.message)
