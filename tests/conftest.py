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


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch) -> None:
    """QSettings and caches write to a per-test folder, never to the user's real configuration."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("IRONBONE_CACHE_DIR", str(tmp_path / "cache"))  # the parsed-content cache
    from PySide6.QtCore import QSettings

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "config"))


@pytest.fixture(scope="session")
def synthetic():
    """The synthetic pathway generator (tests/helpers/synthetic.py), loaded by path: the tests
    folder is not a package under pytest's importlib mode."""
    import importlib.util
    import sys

    name = "ironbone_test_synthetic"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / "helpers" / "synthetic.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


@pytest.fixture(scope="session")
def render_scene():
    """render_scene(scene, width, height) -> QImage: the whole scene drawn as the exports draw it
    (white background, antialiased shapes and text)."""

    def render(scene, width: int = 900, height: int = 600):  # noqa: ANN001, ANN202
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QImage, QPainter

        image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(0xFFFFFFFF)
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        scene.render(painter, QRectF(image.rect()), scene.sceneRect())
        painter.end()
        return image

    return render
