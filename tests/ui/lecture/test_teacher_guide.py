"""Help ▸ Teacher guide and Help ▸ Export teacher handout, used as a lecturer would: the guide page
lists every tour of content/tours with its timings, misconceptions and question, the storyline adds
up to its minutes, a tour link starts the tour; the handout is an A4 PDF with every tour in it, never
written over a file without asking, and a bad place is said plainly. Expected values come from the
YAML files read here."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFileDialog, QMessageBox

CONTENT = Path(__file__).resolve().parents[3] / "content"


def _tours() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((CONTENT / "tours").glob("*.yaml"))]


def _storyline() -> dict:
    return yaml.safe_load((CONTENT / "teacher_guide.yaml").read_text(encoding="utf-8"))["storyline"]


def _squash(text: str) -> str:
    return " ".join(text.replace("**", "").split())


@pytest.fixture
def window(qtbot, make_window):  # noqa: ANN001, ANN201
    w = make_window(CONTENT)
    qtbot.waitUntil(lambda: w.model_controller is not None and w.learner.is_loaded)
    return w


def _help_action(window, name: str):  # noqa: ANN001, ANN202
    """The Help menu's entry, as a person finds it there."""
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help")
    return next(a for a in help_menu.actions() if a.text().replace("&", "").rstrip("…") == name)


def _open_guide(qtbot, window) -> str:  # noqa: ANN001
    _help_action(window, "Teacher guide").trigger()
    qtbot.waitUntil(lambda: window.controller.location == ("teacher", "guide"))
    qtbot.waitUntil(lambda: "The tours" in window.panel.toPlainText())
    return _squash(window.panel.toPlainText())


def _link_point(browser, href: str) -> QPoint:  # noqa: ANN001
    doc = browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid() and frag.charFormat().isAnchor() and frag.charFormat().anchorHref() == href:
                cursor = QTextCursor(doc)
                cursor.setPosition(frag.position() + min(1, frag.length() - 1))
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                rect = browser.cursorRect(cursor)
                return QPoint(rect.center().x() + 2, rect.center().y())
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href!r} on the page")


def test_the_guide_lists_every_tour_and_a_storyline_that_adds_up(qtbot, window) -> None:
    text = _open_guide(qtbot, window)
    story = _storyline()
    minutes = [s["minutes"] for s in story["segments"]]
    assert sum(minutes) == story["minutes"] == 20
    assert f"{_squash(story['title'])} ({story['minutes']:g} minutes)" in text
    clock = 0.0
    for seg in story["segments"]:  # every segment with its place in the twenty minutes
        assert f"{_squash(seg['title'])} ({clock:g}–{clock + seg['minutes']:g} min)" in text
        clock += seg["minutes"]
    tours = _tours()
    assert len(tours) >= 5
    for tour in tours:
        assert f"{_squash(tour['title'])} ({tour['minutes']:g} minutes)" in text, tour["id"]
        teacher = tour.get("teacher") or {}
        for m in teacher.get("misconceptions", []):
            assert _squash(m["belief"])[:40] in text, (tour["id"], m["belief"])
        ask = (teacher.get("suggested_question") or {}).get("ask")
        if ask:
            assert _squash(ask)[:40] in text, tour["id"]
        for n, step_minutes in enumerate(teacher.get("step_minutes", []), start=1):
            assert f"{n} " in text and f"{step_minutes:g} min" in text


def test_a_tour_link_in_the_guide_starts_that_tour(qtbot, window) -> None:
    _open_guide(qtbot, window)
    tour = _tours()[1]
    runner = window.features["lecture"].runner
    href = f"teacher:tour/{tour['id']}"
    qtbot.mouseClick(window.panel.viewport(), Qt.MouseButton.LeftButton, pos=_link_point(window.panel, href))
    qtbot.waitUntil(lambda: runner.tour is not None and runner.tour.id == tour["id"])
    assert runner.index == 0


def _answer(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def test_the_handout_is_an_a4_pdf_with_every_tour(qtbot, window, tmp_path, monkeypatch) -> None:
    out = tmp_path / "handout.pdf"
    _answer(monkeypatch, out)
    guide = window.features["lecture"].teacher_guide
    with qtbot.waitSignal(guide.finished, timeout=30_000) as done:
        _help_action(window, "Export teacher handout").trigger()
    path, pages = done.args
    assert path == out and out.is_file() and not list(tmp_path.glob("*.part"))
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?![s\w])", data)) == pages > 3
    assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+595(\.\d+)?\s+842", data)  # A4 in points
    if shutil.which("pdftotext"):  # the words on the pages, where poppler is installed
        text = _squash(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                      check=True).stdout)
        for tour in _tours():
            assert _squash(tour["title"]) in text, tour["id"]
        assert _squash(_storyline()["title"]) in text
    assert str(out) in window.statusBar().currentMessage()


def test_an_existing_handout_is_replaced_only_when_the_lecturer_says_so(qtbot, window, tmp_path,
                                                                        monkeypatch) -> None:
    out = tmp_path / "mine.pdf"
    out.write_bytes(b"the lecturer's own file")
    _answer(monkeypatch, out)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text)
                        or QMessageBox.StandardButton.No)
    guide = window.features["lecture"].teacher_guide
    _help_action(window, "Export teacher handout").trigger()
    assert asked and "mine.pdf" in asked[0]
    assert out.read_bytes() == b"the lecturer's own file" and not guide.running
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(guide.finished, timeout=30_000):
        _help_action(window, "Export teacher handout").trigger()
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("where", ["no-such-folder/handout.pdf", "a-file/handout.pdf"])
def test_a_place_that_cannot_be_written_is_said_plainly(qtbot, window, tmp_path, monkeypatch, where: str) -> None:
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    out = tmp_path / where
    _answer(monkeypatch, out)
    guide = window.features["lecture"].teacher_guide
    with qtbot.waitSignal(guide.failed) as failed:
        _help_action(window, "Export teacher handout").trigger()
    message = failed.args[0]
    assert str(out) in message and ("does not exist" in message or "not a folder" in message)
    qtbot.waitUntil(lambda: guide.error_box is not None and guide.error_box.isVisible())
    assert guide.error_box.text() == message
    assert not out.exists()
