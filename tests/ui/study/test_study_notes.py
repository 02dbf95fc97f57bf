"""File ▸ Export study notes writes an A4 PDF with its pages and figures and an HTML file beside it with
the key points, figures, glossary and references; in steps, with progress; a place that cannot be
written is named, and nothing half-written is left."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QPushButton

from app.knowledge.content import load_content
from app.knowledge.key_points import key_points_of
from app.knowledge.learning import load_learning
from app.knowledge.study_notes import figures

CONTENT = Path(__file__).resolve().parents[3] / "content"

LEARNING = load_learning(CONTENT, load_content(CONTENT))
FIGURES = figures(LEARNING)


def test_the_notes_are_a_pdf_with_pages_and_figures_and_an_html_beside_it(qtbot, window, tmp_path,
                                                                         monkeypatch) -> None:
    exporter = window.features["study"].notes_exporter
    steps: list[int] = []
    exporter.progressed.connect(lambda n, _text: steps.append(n))
    # File ▸ Export study notes, the file dialog answered with a name without its extension.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "my notes"), ""))
    with qtbot.waitSignal(exporter.finished, timeout=60_000) as done:
        window.features["study"].act_export_notes.trigger()
    pdf, html_path = done.args
    assert pdf == tmp_path / "my notes.pdf" and html_path == tmp_path / "my notes.html"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages == window.features["study"].exporter.pages >= 10  # A4 pages, each key-points box and figure
    images = len(re.findall(rb"/Subtype\s*/Image", data))
    assert images >= len(FIGURES) == 4  # every figure embedded
    assert b"/MediaBox [0 0 595" in data  # A4: 595 x 842 points
    html = html_path.read_text(encoding="utf-8")
    for pid in LEARNING.path.topics():
        page = window.content.topic_pages[pid]
        kp = key_points_of(page.body)
        if kp is not None:
            first = re.sub(r"\(\[.*?\]\(ref:[^)]*\)\)|\[([^\]]*)\]\([^)]*\)", r"\1", kp.bullets[0])[:40]
            assert first.split("(")[0].strip()[:30] in html, pid
    for f in FIGURES:
        assert f.title in html
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(uris) == len(FIGURES)  # the HTML stands alone
    for uri in uris:
        assert not QImage.fromData(base64.b64decode(uri)).isNull()
    assert "Glossary" in html and "Fenton reaction" in html and "References" in html
    assert "Hunt JR, Zito CA, Johnson LK" in html or "Hunt" in html  # a cited work in full
    # Steps done as each begins: loading, the model runs, each figure, the HTML, the PDF, in order.
    assert steps == [0, *range(len(FIGURES) + 3)]
    assert not list(tmp_path.glob("*.part"))


def test_a_plot_figure_draws_each_run_in_its_own_colour_and_dash(qtbot, window) -> None:
    from app.ui.study.figures import plot_image, run_figure

    spec = next(f for f in FIGURES if f.id == "menopause-iron")
    series = run_figure(window.model_controller.model, spec)
    assert [s.label for s in series] == [r.label for r in spec.runs]
    assert len({s.colour for s in series}) == len({s.dash for s in series}) == len(series)
    # The model's own directions: premenopausal stays level, iron accumulation loses most.
    assert abs(series[0].y[-1] - 100) < 1 and series[2].y[-1] < series[1].y[-1] < 99
    image = plot_image(spec, series)
    colours = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert {s.colour.lower() for s in series} <= colours
    remodelling = next(f for f in FIGURES if f.plot == "remodelling")
    lines = run_figure(window.model_controller.model, remodelling)
    assert [s.label.split(",")[0] for s in lines] == ["Formation", "Resorption"] * len(remodelling.runs)
    assert QRectF(image.rect()).width() > 1000


@pytest.mark.parametrize("where", ["missing-folder", "a-file"])
def test_a_place_that_cannot_be_written_is_named(qtbot, window, tmp_path, where) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    target = tmp_path / "missing" / "notes.pdf" if where == "missing-folder" else blocker / "notes.pdf"
    study = window.features["study"]
    study.export_notes(tmp_path / "warm-up.pdf")  # builds the exporter; let it finish first
    qtbot.waitUntil(lambda: not study.exporter.running, timeout=60_000)
    with qtbot.waitSignal(study.exporter.failed) as failed:
        study.export_notes(target)
    assert str(target.parent) in failed.args[0]
    assert str(target.parent) in window.last_message
    box = study.exporter.error_box
    assert box.isVisible() and str(target.parent) in box.text()
    box.close()
    assert not target.exists() and not list(tmp_path.glob("**/*.part"))


def test_cancelling_stops_the_export_and_writes_nothing(qtbot, window, tmp_path) -> None:
    study = window.features["study"]
    exporter = study.export_notes(tmp_path / "notes.pdf")
    assert exporter.running
    exporter.dialog.show()  # it shows itself after a moment
    cancel = next(b for b in exporter.dialog.findChildren(QPushButton) if b.text() == "Cancel")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert not exporter.running
    qtbot.waitUntil(lambda: "cancelled" in window.last_message)
    assert not list(tmp_path.glob("notes*"))
