"""A content problem, one `file:line: message` so authors can jump straight to it, and the reading of a
content file that reports one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from app.knowledge.limits import CONTENT_FILE_BYTES
from app.knowledge.userfile import UserFileError, read_user_text


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    file: str
    line: int
    message: str
    # The whole file could not be read or parsed: the cause of what other files then miss, so
    # reports list it first (see cause_first). Not part of equality or order.
    fatal: bool = field(default=False, compare=False)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def read_content(path: Path, name: str, problems: list[Problem], *, missing: str | None = "file is missing",
                 limit: int = CONTENT_FILE_BYTES) -> str | None:
    """The text of a content file through the one bounded reader, or None with the reason added
    to `problems` as `name:line: ...` (a missing file: `missing`, or nothing if that is None)."""
    try:
        return read_user_text(path, limit=limit, what="content file")
    except UserFileError as exc:
        if exc.missing and missing is None:
            return None
        problems.append(Problem(name, exc.line or 1, missing if exc.missing and missing else
                                f"cannot read: {exc.reason}", fatal=True))
        return None


def cause_first(problems: list[Problem]) -> list[Problem]:
    """Problems sorted by file and line, those that stopped a whole file from being read first:
    a broken pathway.yaml is what leaves other files naming nodes that are then unknown."""
    return sorted(problems, key=lambda p: (not p.fatal, p.file, p.line, p.message))


def rel(path: Path, root: Path) -> str:
    """A path as shown in messages: relative to the content root's parent when possible."""
    try:  # the folder is resolved, not the file: a link to /dev/zero is still named as the author named it
        return str((path.parent.resolve() / path.name).relative_to(root.resolve().parent))
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
