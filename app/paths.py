"""The one place that knows where content/ and resources/ live (checkout, wheel or bundle)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def _candidates() -> list[Path]:
    here = Path(__file__).resolve().parent
    roots = []
    # A PyInstaller bundle unpacks data next to the executable (sys._MEIPASS).
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        roots.append(Path(meipass))
    roots.append(here / "_data")  # an installed wheel ships the data inside the package
    roots.append(here.parent)  # a source checkout: content/ beside app/
    return roots


def data_root() -> Path:
    """The directory holding content/ and resources/."""
    override = os.environ.get("IRONBONE_DATA")
    if override:
        return Path(override)
    for root in _candidates():
        if (root / "content").is_dir():
            return root
    return _candidates()[-1]


def content_dir() -> Path:
    return data_root() / "content"


def resources_dir() -> Path:
    return data_root() / "resources"


def review_fingerprint() -> Path:
    """The hashes of the review's 10-word runs, for the copying check (app.knowledge.originality).
    Built by packaging/make_review_hashes.py; the review's text itself is not part of IronBone."""
    return resources_dir() / "review-shingles.bin"
