"""Page images come only from the content folder and resources/: a refused image loads nothing
(an empty QImage, never None, which would make Qt load the path itself), judged on the decoded,
resolved path and read through the bounded reader; a real content image still shows."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QColor, QImage, QTextDocument

from app.paths import resources_dir

hs = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[2] / "helpers" / "hostile.py")))
IMAGE = QTextDocument.ResourceType.ImageResource


def _png(path: Path, width: int, height: int, colour: str = "#c0ffee") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), "PNG")
    return path


@pytest.fixture
def page_with_images(mini_dir: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The mini content with an image of its own, and a page asking for images everywhere else."""
    _png(mini_dir / "images" / "ok.png", 7, 5)
    secret = _png(tmp_path / "x" / "secret.png", 11, 13, "#ff0000")
    os.symlink(secret, mini_dir / "images" / "link.png")  # inside by name, outside in fact
    srcs = {"ok": "images/ok.png", "secret": str(secret), "link": "images/link.png",
            "passwd": "/etc/passwd", "file": f"file://{secret}", "unc": "%2F%2F127.0.0.1%3A9/x.png",
            "double": "%252F%252F127.0.0.1%253A9/x.png", "up": "../x/secret.png"}
    page = mini_dir / "nodes" / "alpha.md"
    body = "\n\n".join(f"![{name}]({src})" for name, src in srcs.items())
    page.write_text(page.read_text(encoding="utf-8") + "\n" + body + "\n", encoding="utf-8")
    return mini_dir, srcs


def test_only_the_content_image_loads(qtbot, make_window, page_with_images) -> None:
    root, srcs = page_with_images
    window = make_window(root)
    panel = window.panel
    for name, src in srcs.items():
        image = panel.loadResource(IMAGE, QUrl(src))
        assert isinstance(image, QImage), f"{name}: {image!r} (None lets Qt load {src} itself)"
        if name == "ok":
            assert (image.width(), image.height()) == (7, 5)
        else:
            assert image.isNull(), f"{name}: {src} was loaded"
    # Shown in the window: the document holds the content image and nothing from outside.
    window.controller.select_node("alpha")
    window.grab()  # lays the page out: every image is asked for now
    doc = panel.document()
    ok = doc.resource(IMAGE, QUrl(srcs["ok"]))
    assert isinstance(ok, QImage) and (ok.width(), ok.height()) == (7, 5)
    for name in ("secret", "passwd", "file", "unc", "link", "up"):
        shown = doc.resource(IMAGE, QUrl(srcs[name]))
        assert shown is None or (isinstance(shown, QImage) and shown.isNull()), f"{name}: {shown!r}"


def test_an_image_from_resources_loads(qtbot, make_window, mini_dir) -> None:
    window = make_window(mini_dir)
    icons = sorted((resources_dir() / "icons").rglob("*.png"))
    assert icons, "resources/ ships its icons"
    rel = icons[0].relative_to(resources_dir()).as_posix()
    image = window.panel.loadResource(IMAGE, QUrl(rel))
    assert isinstance(image, QImage) and not image.isNull()


@pytest.mark.skipif(hs.needs_fifo, reason="needs FIFOs and /dev")
def test_devices_and_fifos_are_refused_promptly(qtbot, make_window, mini_dir) -> None:
    """A FIFO or a link to /dev/zero inside the content folder: refused at once (no hang, no abort)."""
    window = make_window(mini_dir)
    images = mini_dir / "images"
    images.mkdir()
    hs.make_fifo(images / "fifo.png")
    hs.link_to_device(images / "zero.png")
    for src in ("images/fifo.png", "images/zero.png", "/dev/zero", "%2Fdev%2Fzero"):
        image = window.panel.loadResource(IMAGE, QUrl(src))
        assert isinstance(image, QImage) and image.isNull(), src


def test_an_image_too_large_to_decode_is_refused(qtbot, make_window, mini_dir) -> None:
    """A small file that decodes to a huge picture (a PNG of 20,000 x 20,000 pixels) is not decoded."""
    window = make_window(mini_dir)
    _png(mini_dir / "images" / "wide.png", 20_000, 2_500)  # 50 million pixels, a few kB on disk
    assert (mini_dir / "images" / "wide.png").stat().st_size < 1_000_000
    image = window.panel.loadResource(IMAGE, QUrl("images/wide.png"))
    assert isinstance(image, QImage) and image.isNull()
