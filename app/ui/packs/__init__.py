"""The lesson-pack feature: File ▸ Open lesson pack and Export lesson pack (.ironbone-pack files holding a
lecturer's questions, tours and a session), and a pack named on the command line or dropped on the window."""

from __future__ import annotations

from pathlib import Path

SUFFIX = ".ironbone-pack"  # app.quiz.pack.SUFFIX, repeated so start-up imports nothing of the pack reader
_startup: list[Path] = []


def open_on_start(path: Path) -> None:
    """Ask the next window to open the pack at `path` once its model is ready (python -m app FILE.ironbone-pack)."""
    _startup[:] = [Path(path)]


def take_startup_file() -> Path | None:
    """The pack open_on_start() named, once (the first window takes it)."""
    return _startup.pop() if _startup else None
