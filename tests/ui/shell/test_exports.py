"""Exports as a lecturer uses them: PNG at 2x has twice the pixels, the SVG parses and names
every node, the PDF is a PDF, plots and CSV are written, copy puts an image on the clipboard."""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QMessageBox

CONTENT = Path(__file__).resolve().parents[3] / "content"


def _answer_dialogs(monkeypatch, path: Path, scale: str = "2x") -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (scale, True))


def test_png_at_2x_has_twice_the_pixels(window, tmp_path, monkeypatch) -> None:
    one, two = tmp_path / "one.png", tmp_path / "two.png"
    _answer_dialogs(monkeypatch, one, "1x")
    window.acts.export_png.trigger()
    _answer_dialogs(monkeypatch, two, "2x")
    window.acts.export_png.trigger()
    a, b = QImage(str(one)), QImage(str(two))
    assert not a.isNull() and not b.isNull()
    assert b.width() == 2 * a.width() and abs(b.height() - 2 * a.height()) <= 1
    assert "Saved the diagram" in window.statusBar().currentMessage()


def test_svg_parses_and_contains_every_node_label(window, tmp_path, monkeypatch) -> None:
    out = tmp_path / "d.svg"
    _answer_dialogs(monkeypatch, out)
    window.acts.export_svg.trigger()
    root = ET.parse(out).getroot()
    text = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    # Qt splits a label into runs where the font changes (Greek letters): compare without spaces.
    squashed = "".join(text.split())
    for node in window.content.pathway.nodes:
        assert "".join(node.label.split()) in squashed, node.label
    assert "activates" in text and "inhibits" in text  # the legend travels with it


def test_exported_diagram_keeps_the_current_colouring(window, tmp_path) -> None:
    from app.ui.shell.export import diagram_image

    window.model_controller.choose_scenario("postmenopause_iron")
    window.model_controller.advance(3 * 365.25)
    image = diagram_image(window.scene, 1)
    item = window.scene.node_items["hepcidin"]
    rect = window.scene.itemsBoundingRect().adjusted(-12, -12, 12, 12)
    # A point inside the hepcidin hexagon, away from its label.
    x = int(item.pos().x() - rect.left() - item.width / 2 + 14)
    y = int(item.pos().y() - rect.top())
    colour = image.pixelColor(x, y)
    assert item.tint is not None
    assert abs(colour.red() - item.tint.red()) < 20 and abs(colour.green() - item.tint.green()) < 20
    assert item.tint.red() > item.tint.blue()  # the orange family of UP: more active than before


def test_the_plots_export_as_one_png_under_the_chosen_name(window, tmp_path, monkeypatch) -> None:
    plots = window.plots
    folder = tmp_path / "slides"
    folder.mkdir()
    out = folder / "figure.png"
    _answer_dialogs(monkeypatch, out)
    window.acts.export_plots.trigger()
    assert sorted(p.name for p in folder.iterdir()) == ["figure.png"]
    image = QImage(str(out))
    # Both plots side by side, at twice the screen's pixels.
    assert image.width() == 2 * (plots.rate_plot.width() + plots.mass_plot.width())
    assert image.height() == 2 * max(plots.rate_plot.height(), plots.mass_plot.height())
    assert "Saved the plots" in window.statusBar().currentMessage()
    _answer_dialogs(monkeypatch, folder / "figure.jpg")
    window.acts.export_plots.trigger()  # a kind it cannot write: said (without blocking), nothing written
    box = window.exports.error_box
    assert isinstance(box, QMessageBox) and box.isVisible() and box.text() == "figure.jpg: plots export as .png or .svg"
    assert box.textFormat() == Qt.TextFormat.PlainText
    box.close()
    assert sorted(p.name for p in folder.iterdir()) == ["figure.png"]


def test_pdf_and_bad_folder(window, tmp_path, monkeypatch) -> None:
    out = tmp_path / "d.pdf"
    _answer_dialogs(monkeypatch, out)
    window.acts.export_pdf.trigger()
    assert out.read_bytes().startswith(b"%PDF")
    from app.ui.shell.export import ExportError, export_diagram_png

    with pytest.raises(ExportError, match="cannot write .*nowhere"):
        export_diagram_png(window.scene, tmp_path / "nowhere" / "x.png", 1)


def test_plots_csv_and_clipboard(window, tmp_path, monkeypatch) -> None:
    mc = window.model_controller
    mc.choose_scenario("early_postmenopause")
    mc.advance(365.25)
    folder = tmp_path / "slides"
    folder.mkdir()
    _answer_dialogs(monkeypatch, folder / "plots.svg")
    window.acts.export_plots.trigger()
    assert sorted(p.name for p in folder.iterdir()) == ["plots.svg"]  # one figure, the name chosen
    svg = " ".join(ET.parse(folder / "plots.svg").getroot().itertext())
    assert "Formation and resorption" in svg and "Bone mass" in svg  # both plots in it
    _answer_dialogs(monkeypatch, tmp_path / "run.csv")
    window.acts.export_csv.trigger()
    with (tmp_path / "run.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0] == "t_years" and len(rows) > 10
    assert float(rows[-1][0]) == pytest.approx(1.0, abs=0.05)
    assert float(rows[-1][3]) < 100  # bone was lost in the first year after menopause
    window.acts.copy_diagram.trigger()
    assert not QApplication.clipboard().image().isNull()
