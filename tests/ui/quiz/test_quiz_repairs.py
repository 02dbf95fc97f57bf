"""An answer whose review card had to be renewed (a hand-edited or damaged row of the progress file)
is still saved, and the quiz panel says so, as plain text, instead of keeping quiet."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from app.quiz.store import ProgressStore, default_path

LEFT = Qt.MouseButton.LeftButton


def _answer_first(qtbot, window, seed: int):  # noqa: ANN001, ANN202
    quiz = window.features["quiz"]
    quiz.act_practice.trigger()
    panel = quiz.panel
    panel.seed = seed
    panel.type_combo.setCurrentIndex(panel.type_combo.findData("single"))
    qtbot.mouseClick(panel.start_button, LEFT)
    q = panel.session.current
    qtbot.mouseClick(panel.view.buttons[q.answer], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    return panel, q


def test_a_repaired_card_is_reported_after_the_answer(qtbot, window) -> None:
    panel, q = _answer_first(qtbot, window, seed=11)
    assert not panel.banner.isVisible()
    with sqlite3.connect(default_path()) as conn:  # a hand edit: the card loses its fields
        conn.execute("UPDATE cards SET card = ? WHERE question_id = ?", ('{"card_id": "<img src=/dev/zero>"}', q.id))
    panel2, q2 = _answer_first(qtbot, window, seed=11)  # the same draw: the same question first
    assert q2.id == q.id
    assert panel2.banner.isVisible()
    text = panel2.banner_label.text()
    assert "could not be read" in text and "starts again from this answer" in text
    assert "could not be read" in window.last_message
    with ProgressStore(default_path()) as store:
        assert [r.score for r in store.history(question_id=q.id)] == [1.0, 1.0]  # both answers kept
        assert store.card(q.id) is not None  # a fresh card
