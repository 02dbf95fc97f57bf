"""The lecturer's whole segment in one go, as in the hall with a projector beside the laptop: a tour
with a build-up in presentation mode (presenter notes on the second screen), a class poll on a
prediction in the middle of it (hands counted and typed, the reveal with the model's traced path),
then back to the tour where it was, and out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.quiz.bank import load_bank
from app.quiz.grading import grade_predict
from app.quiz.questions import Predict
from app.ui.diagram.overlays import Layer
from tests.ui.lecture.test_lecture import start_from_menu
from tests.ui.lecture.test_stage import BUILD_TOUR, drawn, expected_build, plain, tour_file, two_screens

CONTENT = Path(__file__).resolve().parents[3] / "content"
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_build_up_tour_then_a_class_poll_then_back_to_the_tour(qtbot, window) -> None:
    steps = tour_file(BUILD_TOUR)["steps"]
    expected = expected_build(steps)
    focus_at = next(i for i, s in enumerate(steps) if "focus" in s)
    focus = set(steps[focus_at]["focus"]["nodes"])
    question = next(q for q in load_bank(CONTENT).questions if isinstance(q, Predict))
    lecture = window.features["lecture"]
    lecture.stage.screens = two_screens(window)

    # The tour, presented: the build-up step by step, the presenter reading the whole caption.
    start_from_menu(window, BUILD_TOUR)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    notes = lecture.stage.notes
    qtbot.waitUntil(lambda: notes.active)
    for i in range(focus_at):
        if expected[i] is not None:
            assert drawn(window) == expected[i], f"step {i + 1}"
        assert notes.notes.caption.toPlainText().startswith(plain(steps[i]["caption"]))
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)
    assert {n for n, it in window.scene.node_items.items() if it.opacity() == 1.0} == focus

    # The class poll, in the middle of the tour.
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_V, CTRL_SHIFT)
    poll = lecture.poll
    qtbot.waitUntil(lambda: poll.picker is not None and poll.picker.search.hasFocus())
    qtbot.keyClicks(poll.picker.search, " ".join(question.prompt.split()[:8]))
    qtbot.waitUntil(lambda: poll.picker.list.currentItem().data(Qt.ItemDataRole.UserRole) == question.id)
    with qtbot.waitSignal(poll.opened):
        qtbot.keyClick(poll.picker.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: poll.view.isVisible())
    qtbot.keyClicks(QApplication.focusWidget() or window, "A20B5")
    assert "20 · 80 %" in poll.view.browser.toPlainText()
    assert lecture.runner.index == focus_at  # typing the hands did not step the tour
    with qtbot.waitSignal(poll.changed):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return)
    marks = grade_predict(window.model_controller.model, question, {}).marks
    assert window.scene.shown("lit") == Layer.QUIZ
    assert window.scene.lit_nodes() == {n for m in marks for n in m.path}

    # Esc closes the poll: the tour is where it was, still presenting, its focus and notes as before.
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Escape)
    assert not poll.view.isVisible() and lecture.presentation.active and notes.active
    assert lecture.runner.index == focus_at
    assert window.scene.shown("lit") != Layer.QUIZ
    assert {n for n, it in window.scene.node_items.items() if it.opacity() == 1.0} == focus
    assert notes.notes.caption.toPlainText().startswith(plain(steps[focus_at]["caption"]))

    window.activateWindow()  # the offscreen platform activates no window once the picker dialog has gone
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)
    assert not lecture.presentation.active and not notes.active
