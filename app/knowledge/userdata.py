"""Where a user's own material lives (questions, tours, beside the progress database) and how it is
written: atomically, so a crash or a full disk leaves the old file or the new one, never half."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

ENV_DIR = "IRONBONE_DATA_DIR"  # the same override app.quiz.store honours for the progress database
QUESTIONS = "questions"
TOURS = "tours"
MAX_USER_FILE_BYTES = 2 * 1024 * 1024  # one user question or tour file; a class's worth is a few kB


def data_dir() -> Path:
    """IRONBONE_DATA_DIR if set, else the user's data directory (platformdirs), as for progress."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("IronBone", appauthor=False))


def user_folder(kind: str, base: Path | None = None) -> Path:
    """<data>/questions or <data>/tours (not created here)."""
    if kind not in (QUESTIONS, TOURS):
        raise ValueError(f"unknown kind of user folder {kind!r}")
    return (base if base is not None else data_dir()) / kind


def slug(text: str, *, fallback: str = "imported", limit: int = 40) -> str:
    """Lower-case letters, digits and '-' only: safe as a file name and inside an id on every system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")
    return out or fallback


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder, fsync and os.replace. OSError
    if it cannot be written; the old file, if any, is then untouched."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def free_name(folder: Path, stem: str, suffix: str = ".yaml") -> str:
    """`stem`, or `stem-2`, `stem-3`, ... : the first that no file in `folder` has."""
    name, n = stem, 1
    while (folder / f"{name}{suffix}").exists():
        n += 1
        name = f"{stem}-{n}"
    return name


def load_user_yaml(text: str) -> object:
    """YAML of a user's or another person's file: the one bounded loader (no aliases, bounded size),
    and no explicit tags either (`!!binary`, `!!python/object`, `!custom`): such files are plain
    data, so a tag can only be a mistake or an attack. YamlError(message, line) otherwise."""
    from app.knowledge.yamlio import load_yaml

    return load_yaml(text, allow_tags=False)
