"""The lecturer's class path, as in the hall: F5 → Teach ▸ Class poll on a prediction → the hands
counted and typed → Enter reveals the model's answer with its traced path on the diagram, in view
beside the poll → Esc back to the diagram, still presenting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.quiz.bank import load_bank
from app.quiz.grading import grade_predict
from app.quiz.questions import Predict
from app.ui.diagram.overlays import Layer

CONTENT = Path(__file__).resolve().parents[3] / "content"


def test_f5_poll_a_prediction_count_reveal_see_the_path_and_escape(qtbot, window) -> None:
    lecture = window.features["lecture"]
    question = next(q for q in load_bank(CONTENT).questions if isinstance(q, Predict))
    labels = {n.id: n.label for n in window.content.pathway.nodes}

    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert lecture.presentation.active
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_V,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    poll = lecture.poll
    qtbot.waitUntil(lambda: poll.picker is not None and poll.picker.search.hasFocus())
    qtbot.keyClicks(poll.picker.search, " ".join(question.prompt.split()[:8]))
    qtbot.waitUntil(lambda: poll.picker.list.currentItem().data(Qt.ItemDataRole.UserRole) == question.id)
    with qtbot.waitSignal(poll.opened):
        qtbot.keyClick(poll.picker.search, Qt.Key.Key_Return)

    view = poll.view
    text = view.browser.toPlainText()
    assert " ".join(question.prompt.split()) in " ".join(text.split())
    assert all(labels[t] in text for t in question.targets)
    assert {"A", "B", "C"} <= {ln.strip() for ln in text.splitlines()}
    # The poll covers the hall view: the diagram is hidden while the class votes.
    assert view.geometry().contains(window.view.mapTo(window, window.view.rect().center()))

    qtbot.keyClicks(QApplication.focusWidget() or window, "A30B10C10")  # 30 hands for "goes up", 10 and 10
    assert "30 · 60 %" in view.browser.toPlainText()

    with qtbot.waitSignal(poll.changed):
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return)
    marks = grade_predict(window.model_controller.model, question, {}).marks
    path = {n for m in marks for n in m.path}
    assert window.scene.shown("lit") == Layer.QUIZ and window.scene.lit_nodes() == path
    # The traced path is in view: the poll has moved aside, off the diagram, and the diagram shows the
    # path. Presentation mode never shrinks labels below legible, so on this small test screen (800 px)
    # a path wider than the pane is centred in it instead of shown whole.
    def path_in_view() -> bool:
        left_of_poll = window.view.mapTo(window, window.view.rect().topRight()).x() <= view.geometry().left()
        items = [window.scene.node_items[n].sceneBoundingRect() for n in path]
        centres = [window.view.mapFromScene(r.center()) for r in items]
        if all(window.view.rect().contains(c) for c in centres):
            return left_of_poll
        span = items[0]
        for r in items[1:]:
            span = span.united(r)
        wider = window.view.mapFromScene(span).boundingRect().width() > window.view.viewport().width()
        middle = window.view.mapFromScene(span.center())
        return left_of_poll and wider and abs(middle.x() - window.view.viewport().width() / 2) <= 2

    qtbot.waitUntil(path_in_view)
    right = {m.node: {"up": "A", "down": "B", "none": "C"}[m.expected] for m in marks}
    assert f"Right: {right[question.targets[0]]}" in view.browser.toPlainText()

    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Escape)
    assert not view.isVisible() and poll.state is None
    assert lecture.presentation.active
    assert window.scene.shown("lit") != Layer.QUIZ
