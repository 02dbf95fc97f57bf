"""Teach ▸ Class poll driven as a lecturer would: F5, Ctrl+Shift+V, search the picker, Enter; counts
typed as a letter and digits; Enter reveals; Esc closes. Expected options, answers and paths come from
the question bank read here, and from grading the prediction with the model."""

from __future__ import annotations

from pathlib import Path
from string import ascii_uppercase

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.quiz.bank import load_bank
from app.quiz.grading import grade_predict
from app.quiz.poll import MAX_VOTES
from app.quiz.questions import Predict, SingleChoice
from app.ui.diagram.overlays import Layer

CONTENT = Path(__file__).resolve().parents[3] / "content"


@pytest.fixture(scope="module")
def bank():  # noqa: ANN201
    return load_bank(CONTENT)


def _lecture(window):  # noqa: ANN001, ANN202
    return window.features["lecture"]


def _keys(qtbot, window, text: str) -> None:  # noqa: ANN001
    qtbot.keyClicks(QApplication.focusWidget() or window, text)


def _key(qtbot, window, key) -> None:  # noqa: ANN001
    qtbot.keyClick(QApplication.focusWidget() or window, key)


def _words(prompt: str) -> str:
    """Words of the prompt, as a lecturer would type them to find it."""
    return " ".join(prompt.split()[:8])


def open_poll(qtbot, window, question) -> object:  # noqa: ANN001
    """Ctrl+Shift+V, type words of the question, Enter: the poll opens on it."""
    poll = _lecture(window).poll
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_V,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: poll.picker is not None and poll.picker.isVisible())
    picker = poll.picker
    qtbot.waitUntil(picker.search.hasFocus)  # the cursor is in the search box: type there
    qtbot.keyClicks(picker.search, _words(question.prompt))
    qtbot.waitUntil(lambda: picker.list.currentItem() is not None
                    and picker.list.currentItem().data(Qt.ItemDataRole.UserRole) == question.id)
    with qtbot.waitSignal(poll.opened):
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    return poll


def _single(bank) -> SingleChoice:  # noqa: ANN001
    return next(q for q in bank.questions if isinstance(q, SingleChoice) and len(q.choices) >= 3)


def _predict(bank) -> Predict:  # noqa: ANN001
    return next(q for q in bank.questions if isinstance(q, Predict) and len(q.targets) >= 2)


def _lines(poll) -> list[str]:  # noqa: ANN001
    return [ln.strip() for ln in poll.view.browser.toPlainText().splitlines() if ln.strip()]


def test_a_poll_in_f5_shows_the_question_with_lettered_options(qtbot, window, bank) -> None:
    q = _single(bank)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert _lecture(window).presentation.active
    poll = open_poll(qtbot, window, q)
    assert poll.view.isVisible()
    assert poll.view.geometry().contains(window.view.mapTo(window, window.view.rect().center()))  # over the hall view
    text = poll.view.browser.toPlainText()
    assert " ".join(q.prompt.split()) in " ".join(text.split())
    lines = _lines(poll)
    for i, choice in enumerate(q.choices):  # in the file's order, lettered A, B, C…
        at = lines.index(ascii_uppercase[i])
        assert lines[at + 1].startswith(" ".join(choice.text.split())[:30])
    assert ascii_uppercase[len(q.choices)] not in lines


def test_typed_counts_show_shares_and_the_reveal_shows_the_right_letter(qtbot, window, bank) -> None:
    q = _single(bank)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    poll = open_poll(qtbot, window, q)
    _keys(qtbot, window, "A3B1")
    text = poll.view.browser.toPlainText()
    assert "3 · 75 %" in text and "1 · 25 %" in text
    right = ascii_uppercase[[c.id for c in q.choices].index(q.answer)]
    assert f"Right: {right}" not in text
    with qtbot.waitSignal(poll.changed):
        _key(qtbot, window, Qt.Key.Key_Return)
    text = poll.view.browser.toPlainText()
    assert f"Right: {right}" in text
    hall = {"A": 75, "B": 25}.get(right, 0)
    assert f"the hall: {hall} % right" in text or (hall == 0 and "Right:" in text)
    assert _lecture(window).presentation.active  # Enter revealed; nothing else happened


def test_bad_counts_are_refused_with_a_message_and_the_count_kept(qtbot, window, bank) -> None:
    q = _single(bank)
    poll = open_poll(qtbot, window, q)  # outside F5 too
    _keys(qtbot, window, "B" + str(MAX_VOTES))
    assert f"{MAX_VOTES} · 100 %" in poll.view.browser.toPlainText()
    _keys(qtbot, window, "7")  # one digit too many: more than any hall
    assert f"{MAX_VOTES}7" in poll.view.message.text() and f"B stays {MAX_VOTES}" in poll.view.message.text()
    assert f"{MAX_VOTES} · 100 %" in poll.view.browser.toPlainText()
    _key(qtbot, window, Qt.Key.Key_Minus)
    assert "negative" in poll.view.message.text()
    missing = ascii_uppercase[len(q.choices)]
    _keys(qtbot, window, missing)
    assert f"no option {missing}" in poll.view.message.text()
    assert f"{MAX_VOTES} · 100 %" in poll.view.browser.toPlainText()
    _key(qtbot, window, Qt.Key.Key_Delete)
    assert "100 %" not in poll.view.browser.toPlainText()


def test_a_prediction_reveal_lights_the_traced_path_and_esc_gives_the_diagram_back(qtbot, window, bank) -> None:
    q = _predict(bank)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    poll = open_poll(qtbot, window, q)
    labels = {n.id: n.label for n in window.content.pathway.nodes}
    text = poll.view.browser.toPlainText()
    for target in q.targets:
        assert labels[target] in text
    marks = grade_predict(window.model_controller.model, q, {}).marks
    path = {n for m in marks for n in m.path}
    assert path
    assert window.scene.shown("lit") != Layer.QUIZ
    _keys(qtbot, window, "A2")
    _key(qtbot, window, Qt.Key.Key_Tab)  # the next target
    _keys(qtbot, window, "B5")
    with qtbot.waitSignal(poll.changed):
        _key(qtbot, window, Qt.Key.Key_Return)
    assert window.scene.shown("lit") == Layer.QUIZ
    assert window.scene.lit_nodes() == path
    text = poll.view.browser.toPlainText()
    for m in marks:
        assert f"The model: {labels[m.node]} {dict(up='goes up', down='goes down', none='no change')[m.expected]}" \
            in text
    _key(qtbot, window, Qt.Key.Key_Escape)
    assert not poll.view.isVisible()
    assert _lecture(window).presentation.active  # Esc closed the poll, not presentation mode
    assert window.scene.shown("lit") != Layer.QUIZ
    window.activateWindow()  # the offscreen platform activates no window once a dialog has gone
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    _key(qtbot, window, Qt.Key.Key_Escape)
    assert not _lecture(window).presentation.active


def test_clicker_keys_do_not_step_the_tour_behind_an_open_poll(qtbot, window, bank) -> None:
    lecture = _lecture(window)
    lecture.start_tour("iron-after-menopause")
    qtbot.keyClick(window, Qt.Key.Key_F5)
    _key(qtbot, window, Qt.Key.Key_PageDown)
    assert lecture.runner.index == 1
    poll = open_poll(qtbot, window, _single(bank))
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Backspace):
        _key(qtbot, window, key)
    assert lecture.runner.index == 1
    _key(qtbot, window, Qt.Key.Key_Escape)
    assert not poll.is_open
    _key(qtbot, window, Qt.Key.Key_PageDown)
    assert lecture.runner.index == 2


def test_the_picker_filters_by_section_and_polls_only_choice_and_prediction_questions(qtbot, window, bank) -> None:
    poll = _lecture(window).poll
    picker = poll.choose()
    qtbot.waitUntil(picker.isVisible)
    pollable = [q for q in bank.questions if q.type in ("single", "multiple", "truefalse", "predict")]
    assert picker.list.count() >= len(pollable)
    shown = {picker.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(picker.list.count())}
    assert {q.id for q in pollable} <= shown
    assert not {q.id for q in bank.questions if q.type in ("ordering", "click_node", "numeric")} & shown
    section = pollable[0].section
    picker.section.setCurrentIndex(picker.section.findData(section))
    ids = {picker.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(picker.list.count())}
    assert ids == {q.id for q in pollable if q.section == section} | (ids - {q.id for q in bank.questions})
    picker.reject()


def test_a_poll_opened_before_f5_keeps_its_keys_in_presentation_mode(qtbot, window, bank) -> None:
    lecture = _lecture(window)
    lecture.start_tour("iron-after-menopause")
    poll = open_poll(qtbot, window, _single(bank))
    window.activateWindow()  # the offscreen platform activates no window once a dialog has gone
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: lecture.presentation.active and window.isFullScreen())
    for key in (Qt.Key.Key_PageDown, Qt.Key.Key_Space):
        _key(qtbot, window, key)
    assert lecture.runner.index == 0
    _keys(qtbot, window, "A7")
    assert "7 · 100 %" in poll.view.browser.toPlainText()
