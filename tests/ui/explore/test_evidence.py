"""Model ▸ Evidence: the calibration table computed live from the model on a worker thread, each row
marked within or outside its range (a missed row says so), its sources opening the references; the
About-the-model page links to it with app:evidence."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from app.knowledge.model_io import load_model_content
from app.model.simulation import Model, RemodellingParams

CONTENT = Path(__file__).resolve().parents[3] / "content"
LEFT = Qt.MouseButton.LeftButton


def _open(qtbot, window):  # noqa: ANN001, ANN202
    feature = window.features["evidence"]
    assert feature.act_evidence in window.menus["model"].actions()
    with qtbot.waitSignal(_dialog_signal(feature), timeout=30_000):
        feature.act_evidence.trigger()
    return feature.dialog


def _dialog_signal(feature):  # noqa: ANN001, ANN202
    """The computed signal of the dialog the action is about to make."""
    from app.ui.explore.evidence import EvidenceDialog

    if feature.dialog is None:
        feature.dialog = EvidenceDialog(feature._ctx)
    return feature.dialog.computed


def click_anchor(qtbot, browser, href: str) -> None:  # noqa: ANN001
    """Click a link of a rich-text view where it is drawn, as a person would."""
    doc = browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.charFormat().anchorHref() == href:
                cursor = QTextCursor(doc)
                cursor.setPosition(frag.position() + frag.length() // 2)
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                rect = browser.cursorRect(browser.textCursor())
                qtbot.mouseClick(browser.viewport(), LEFT, pos=rect.center())
                return
            it += 1
        block = block.next()
    raise AssertionError(f"no link to {href} in the view")


def test_the_table_is_computed_and_every_row_marked(qtbot, window) -> None:
    dialog = _open(qtbot, window)
    assert dialog.isVisible()
    rows = load_model_content(CONTENT, window.content.pathway).calibration
    assert [r.id for r in dialog.results] == [r.id for r in rows]
    held = sum(r.within for r in dialog.results)
    assert f"{held} of {len(rows)} rows hold" in dialog.status.text()
    assert "teaching model, not a clinical tool" in dialog.clinical.text()
    text = dialog.table.toPlainText()
    for result in dialog.results:
        assert result.row.label in text
        assert ("✔ within" if result.within else "✘ outside") in dialog.row_text(result.id)
    swan = next(r for r in dialog.results if r.id == "swan_transmenopause")
    assert f"{swan.model:.2f}" in dialog.row_text("swan_transmenopause") and "7.38" in dialog.row_text(swan.id)
    assert "Greendale et al., 2012" in text  # sources by name, not by key


def test_the_work_is_done_off_the_gui_thread(qtbot, window) -> None:
    dialog = _open(qtbot, window)
    before = dialog.results
    with qtbot.waitSignal(dialog.computed, timeout=30_000):
        assert dialog.compute()
        assert dialog.results is before and not dialog.again.isEnabled()  # returned before the results
        assert "Computing" in dialog.status.text()
    assert dialog.results is not before and dialog.again.isEnabled()
    assert dialog.seconds > 0


def test_a_changed_model_changes_the_figures(qtbot, window) -> None:
    """The figures come from the model, not from the file: a model with faster bone turnover gives
    other numbers for the same rows."""
    dialog = _open(qtbot, window)
    live = {r.id: r.model for r in dialog.results}
    shown = dialog.row_text("swan_transmenopause")
    mc = window.model_controller
    faster = Model(window.content.pathway, mc.model.treatments,
                   params=dataclasses.replace(RemodellingParams(), turnover_pct_per_year=25.0))
    with qtbot.waitSignal(dialog.computed, timeout=30_000):
        dialog.compute(model=faster)
    changed = {r.id: r.model for r in dialog.results}
    assert changed["swan_transmenopause"] != live["swan_transmenopause"]
    assert dialog.row_text("swan_transmenopause") != shown
    assert f"{changed['swan_transmenopause']:.2f}" in dialog.row_text("swan_transmenopause")


def test_a_row_the_model_misses_says_so(qtbot, window) -> None:
    dialog = _open(qtbot, window)
    rows = load_model_content(CONTENT, window.content.pathway).calibration
    missed = [dataclasses.replace(rows[0], range=(50.0, 60.0)), *rows[1:3]]
    with qtbot.waitSignal(dialog.computed, timeout=30_000):
        dialog.compute(rows=missed)
    assert not dialog.results[0].within
    assert "✘ outside: the model misses this figure" in dialog.row_text(rows[0].id)
    assert "2 of 3 rows hold" in dialog.status.text() and rows[0].label in dialog.status.text()


def test_a_source_opens_its_reference(qtbot, window) -> None:
    dialog = _open(qtbot, window)
    click_anchor(qtbot, dialog.table, "ref:greendale2012")
    assert window.panel.location == ("ref", "greendale2012")


def test_the_about_the_model_page_links_to_it(qtbot, window) -> None:
    feature = window.features["evidence"]
    window.acts.about_model.trigger()
    assert window.panel.location == ("topic", "about-model")
    signal = _dialog_signal(feature)
    with qtbot.waitSignal(signal, timeout=30_000):
        click_anchor(qtbot, window.panel, "app:evidence")
    assert feature.dialog.isVisible() and feature.dialog.results


def test_an_unknown_app_link_is_refused_with_a_message(qtbot, window) -> None:
    window.panel.follow_link("app:nowhere")
    assert "app:nowhere" in window.last_message and "not available" in window.last_message
