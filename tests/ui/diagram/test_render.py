"""The diagram as a PNG for a Moodle question: the real diagram, readable at 1200 px, unmarked (no
selection, hover or lit path giving an answer away), and an 8-bit PNG that looks like the full-colour
picture; the CLI's Moodle XML carries it in every click-the-node question."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from app.knowledge.pathway_io import load_pathway
from app.paths import content_dir
from app.ui.diagram.items import SELECTION
from app.ui.diagram.overlays import Layer
from app.ui.diagram.render import DEFAULT_WIDTH, diagram_png, png_bytes, scene_image
from app.ui.diagram.scene import DiagramScene


@pytest.fixture(scope="module")
def pathway():
    pw, problems = load_pathway(content_dir() / "pathway.yaml", "pathway.yaml")
    assert not problems
    return pw


def _pixels(image: QImage) -> np.ndarray:
    """Height x width x (r, g, b)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(rgb.constBits(), dtype=np.uint8).reshape(rgb.height(), rgb.bytesPerLine())
    return rows[:, :rgb.width() * 3].reshape(rgb.height(), rgb.width(), 3).astype(int)


def _count(image: QImage, colour: QColor) -> int:
    return int(np.all(_pixels(image) == (colour.red(), colour.green(), colour.blue()), axis=2).sum())


def test_the_picture_is_the_whole_diagram_at_a_readable_width(qapp, pathway) -> None:
    data = diagram_png(pathway)
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and 20_000 < len(data) < 400_000
    image = QImage.fromData(data, "PNG")
    assert not image.isNull()
    assert image.width() == DEFAULT_WIDTH
    scene = DiagramScene(pathway)
    bounds = scene.itemsBoundingRect()
    assert image.height() == pytest.approx(DEFAULT_WIDTH * (bounds.height() + 24) / (bounds.width() + 24), abs=1)
    pixels = _pixels(image)
    inked = np.any(pixels < 245, axis=2).mean()
    assert inked > 0.3  # compartments, nodes, edges and the key, not a blank page
    # The compartments' tints are there: as many distinct colours as the diagram has fills and lines.
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 40


def test_the_picture_shows_no_selection_hover_or_lit_path(qtbot, qapp, pathway) -> None:
    marked = DiagramScene(pathway)
    marked.set_selected("rankl")
    marked._on_node_hovered("ros")
    marked.set_lit(Layer.QUIZ, {"caspase3"}, set())
    shown = scene_image(marked)
    assert _count(shown, SELECTION) > 50  # the selection ring, as the window draws it
    picture = QImage.fromData(diagram_png(pathway), "PNG")
    assert _count(picture, SELECTION) == 0
    assert picture.size() == shown.size()
    # Against the unmarked diagram in full colour: the marks change many pixels by far more than the
    # 8-bit palette moves any pixel (at most ~80 of 255, on antialiased edges only).
    plain = _pixels(scene_image(DiagramScene(pathway)))
    assert (np.abs(_pixels(shown) - plain).max(axis=2) > 100).sum() > 2000
    assert (np.abs(_pixels(picture) - plain).max(axis=2) > 100).sum() == 0


def test_the_eight_bit_picture_looks_like_the_full_colour_one(qapp, pathway) -> None:
    full = scene_image(DiagramScene(pathway))
    small = png_bytes(full)
    assert len(small) < len(png_bytes(full, palette=0)) / 2
    difference = np.abs(_pixels(QImage.fromData(small, "PNG")) - _pixels(full)).max(axis=2)
    assert np.percentile(difference, 99) <= 32 and difference.mean() < 1.5 and (difference > 40).mean() < 0.01


def test_a_width_out_of_range_is_refused(qapp, pathway) -> None:
    with pytest.raises(ValueError, match="100 to 4000 px"):
        scene_image(DiagramScene(pathway), 50_000)


def test_export_quiz_puts_the_diagram_in_every_click_the_node_question(qapp, tmp_path: Path, capsys) -> None:
    from app.cli import main

    out = tmp_path / "bank.xml"
    assert main(["export-quiz", "--format", "moodle-xml", str(out)]) == 0
    err = capsys.readouterr().err
    root = ET.parse(out).getroot()
    clicks = [q for q in root.iter("question")
              if any(t.findtext("text") == "ironbone-type:click_node" for t in q.iter("tag"))]
    assert len(clicks) >= 10 and f"the {len(clicks)} click-the-node questions show IronBone's diagram" in err
    files = [q.find("questiontext/file") for q in clicks]
    assert all(f is not None and f.get("name") == "ironbone-diagram.png" for f in files)
    assert len({f.text for f in files}) == 1  # one drawing, the same picture in each question
    image = QImage.fromData(base64.b64decode(files[0].text), "PNG")
    assert image.width() == DEFAULT_WIDTH and image.height() > 500
    # GIFT: words alone, and the lecturer is told so.
    assert main(["export-quiz", "--format", "gift", str(tmp_path / "bank.gift")]) == 0
    err = capsys.readouterr().err
    assert "GIFT cannot carry pictures" in err and f"({len(clicks)} questions)" in err
    # Imported back: every click-the-node question returns as one, with a note on its picture.
    back = tmp_path / "back.yaml"
    assert main(["import-quiz", str(out), "--out", str(back)]) == 0
    err = capsys.readouterr().err
    assert err.count("note: the picture ironbone-diagram.png is IronBone's own diagram") == len(clicks)
    assert back.read_text(encoding="utf-8").count("type: click_node") == len(clicks)


def test_export_quiz_without_the_picture_says_so(qapp, tmp_path: Path, capsys, monkeypatch) -> None:
    from app.cli import main
    from app.ui.diagram import render

    out = tmp_path / "words.xml"
    assert main(["export-quiz", "--format", "moodle-xml", "--no-pictures", str(out)]) == 0
    assert "<file " not in out.read_text(encoding="utf-8")
    assert "click-the-node questions ask for the node's name in words alone" in capsys.readouterr().err

    def broken(_pathway, **_kw) -> bytes:  # noqa: ANN001 - as Qt failing to encode the PNG
        raise OSError("no PNG writer")

    monkeypatch.setattr(render, "diagram_png", broken)
    assert main(["export-quiz", "--format", "moodle-xml", str(out)]) == 0
    err = capsys.readouterr().err
    assert "warning: cannot draw the diagram (no PNG writer)" in err and "in words alone" in err
    assert err.count("warning: cannot draw") == 1 and "<file " not in out.read_text(encoding="utf-8")
