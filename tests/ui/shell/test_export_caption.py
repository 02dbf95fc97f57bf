"""Slide-ready exports: the figure carries a caption with the settings the lecturer set (typed into
the controls here), the review it is built on and a 'teaching model' note; the selection ring and the
keyboard cursor stay on screen and out of the figure; File ▸ Caption under exported figures turns the
caption off."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import yaml
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QInputDialog

CONTENT = Path(__file__).resolve().parents[3] / "content"


def _answer_dialogs(monkeypatch, path: Path, scale: str = "1x") -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (scale, True))


def _type_into(qtbot, spin, value: str) -> None:  # noqa: ANN001
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, value)
    qtbot.keyClick(spin, Qt.Key.Key_Return)


def _svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()
    return ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]


def test_the_exported_figure_is_captioned_with_the_settings_and_the_source(qtbot, window, tmp_path,
                                                                           monkeypatch) -> None:
    mc = window.model_controller
    _type_into(qtbot, window.controls.estrogen_spin, "35")
    _type_into(qtbot, window.controls.ferritin_spin, "800")
    qtbot.waitUntil(lambda: mc.inputs.estrogen == 35 and mc.inputs.ferritin == 800)
    treatments = yaml.safe_load((CONTENT / "treatments.yaml").read_text(encoding="utf-8"))
    items = treatments["treatments"] if isinstance(treatments, dict) else treatments
    first = items[0]
    mc.set_treatment(first["id"], True)
    mc.advance(2 * 365.25)
    review = next(r for r in yaml.safe_load((CONTENT / "references.yaml").read_text(encoding="utf-8"))["references"]
                  if r["key"] == "cai2023")

    out = tmp_path / "slide.svg"
    _answer_dialogs(monkeypatch, out)
    window.acts.export_svg.trigger()
    texts = _svg_texts(out)
    caption = " ".join(t for t in texts if "premenopausal level" in t or "teaching model" in t)
    assert "Estrogen 35 %" in caption and "ferritin 800 µg/L" in caption and "year 2.0" in caption
    assert first["name"] in caption
    assert f"Cai et al., {review['year']}" in caption and review["journal"] in caption
    assert f"{review['volume']}({review['issue']}):{review['pages'].replace('-', '–')}" in caption
    assert "teaching model" in caption

    window.acts.export_caption.trigger()  # File ▸ Caption under exported figures: off
    bare = tmp_path / "bare.svg"
    _answer_dialogs(monkeypatch, bare)
    window.acts.export_svg.trigger()
    assert not [t for t in _svg_texts(bare) if "premenopausal level" in t or "teaching model" in t]


def test_the_caption_adds_a_band_under_the_png_and_the_pdf_page(window, tmp_path, monkeypatch) -> None:
    with_caption, without = tmp_path / "with.png", tmp_path / "without.png"
    _answer_dialogs(monkeypatch, with_caption)
    window.acts.export_png.trigger()
    window.acts.export_caption.trigger()
    _answer_dialogs(monkeypatch, without)
    window.acts.export_png.trigger()
    a, b = QImage(str(with_caption)), QImage(str(without))
    assert a.width() == b.width() and a.height() > b.height() + 20
    # Above the caption the two figures are the same picture.
    assert a.copy(0, 0, b.width(), b.height()) == b


def test_a_selected_node_is_not_ringed_in_the_export(qtbot, window, tmp_path, monkeypatch) -> None:
    window.acts.export_caption.trigger()  # the figure alone, to compare pixel for pixel
    before = tmp_path / "before.png"
    _answer_dialogs(monkeypatch, before)
    window.acts.export_png.trigger()

    node = window.content.pathway.nodes[0].id
    item = window.scene.node_items[node]
    window.view.centerOn(item)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.view.mapFromScene(item.sceneBoundingRect().center()))
    qtbot.waitUntil(lambda: window.controller.selected == node)
    # On screen the selection is drawn: the scene as it is now differs from the export before.
    rect = window.scene.itemsBoundingRect().adjusted(-12, -12, 12, 12)
    live = QImage(QImage(str(before)).size(), QImage.Format.Format_ARGB32)
    live.fill(Qt.GlobalColor.white)
    painter = QPainter(live)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    window.scene.render(painter, QRectF(0, 0, live.width(), live.height()), rect)
    painter.end()
    first = QImage(str(before)).convertToFormat(QImage.Format.Format_ARGB32)
    assert live != first

    after = tmp_path / "after.png"
    _answer_dialogs(monkeypatch, after)
    window.acts.export_png.trigger()
    assert QImage(str(after)).convertToFormat(QImage.Format.Format_ARGB32) == first  # no ring in the figure
    assert window.controller.selected == node  # and the selection is still there on screen
