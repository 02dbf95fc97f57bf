"""Shared test set-up: the offscreen Qt platform, content fixtures and a main-window factory."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTENT = ROOT / "content"


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    """A private copy of the tiny valid content tree, safe to break."""
    dest = tmp_path / "content"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest
