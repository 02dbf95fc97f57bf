"""Readiness in the progress view, as a student meets it: what "ready" means, each section's state,
reason and next action as a button that does it; "Retry my mistakes now" with partly wrong answers
coming back; a review button that says when the next review is due and wakes up when it is (the
panel's clock is moved by hand); and an exam against a pass mark that names the sections to revisit."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from app.knowledge.content import load_content
from app.knowledge.learning import load_learning
from app.quiz.readiness import Rules
from app.quiz.store import ProgressStore, default_path

CONTENT = Path(__file__).resolve().parents[3] / "content"
LEFT = Qt.MouseButton.LeftButton
LEARNING = load_learning(CONTENT, load_content(CONTENT))


def _quiz(window):  # noqa: ANN001, ANN202
    return window.features["quiz"]


def show_progress(qtbot, window):  # noqa: ANN001, ANN202
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    panel = _quiz(window).panel
    assert panel.stack.currentWidget() is panel.progress_page
    assert panel.progress_tabs.currentWidget() is panel.readiness
    return panel


def answer(qtbot, panel, choice_ids) -> None:  # noqa: ANN001
    for cid in choice_ids:
        panel.view.buttons[cid].click()
    qtbot.mouseClick(panel.submit_button, LEFT)


def test_the_progress_view_explains_ready_and_each_sections_next_action(qtbot, window) -> None:
    panel = show_progress(qtbot, window)
    view = panel.readiness
    assert view.explain.text() == Rules(pass_mark=0.7).explain()
    assert view.overall.text().startswith(f"0 of {len(LEARNING.sections)} sections ready")
    assert [r.readiness.section for r in view.rows] == list(LEARNING.sections)
    row = view.row("1")
    assert row.state.text() == "Not started" and "nothing done yet" in row.reason.text().lower()
    assert row.next.text() == "Next: Read the page “1 Introduction: why iron builds up after menopause”."
    qtbot.mouseClick(row.button, LEFT)
    assert window.panel.location == ("topic", "s1-introduction")


def test_after_reading_the_next_action_asks_that_sections_questions(qtbot, window) -> None:
    assert window.learner.record_page_read("topic:s2-2-osteoclasts")
    panel = show_progress(qtbot, window)
    row = panel.readiness.row("2.2")
    assert row.state.text() == "Learning" and row.reason.text().startswith("Page read")
    assert row.button.text() == "Answer now" and "more questions on 2.2" in row.next.text()
    qtbot.mouseClick(row.button, LEFT)
    s = panel.session
    assert s.mode == "practice" and {q.section for q in s.questions} == {"2.2"}
    assert len(s) == min(10, len(row.readiness.questions))


def test_a_partly_wrong_answer_comes_back_in_retry_my_mistakes(qtbot, window) -> None:
    assert _quiz(window).start_quiz("practice", question_ids=("s1-why-accumulates",))
    panel = _quiz(window).panel
    q = panel.session.current
    assert len(q.answers) > 1
    answer(qtbot, panel, [sorted(q.answers)[0]])  # one right option of several
    grade = panel.session.grade_of(q)
    assert 0 < grade.score < 1  # partly right
    panel = show_progress(qtbot, window)
    assert panel.readiness.retry_button.isEnabled() and "(1)" in panel.readiness.retry_button.text()
    window.menus["quiz"].aboutToShow.emit()
    _quiz(window).act_retry.trigger()  # Quiz ▸ Retry my mistakes now
    s = panel.session
    assert s.mode == "retry" and [x.id for x in s.questions] == ["s1-why-accumulates"]
    answer(qtbot, panel, sorted(s.current.answers))
    assert panel.feedback.toPlainText().startswith("Correct")
    panel = show_progress(qtbot, window)
    assert not panel.readiness.retry_button.isEnabled() and "(0)" in panel.readiness.retry_button.text()


class Now:
    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at


def test_the_review_button_says_when_the_next_review_is_due_and_wakes_up(qtbot, window) -> None:
    with ProgressStore(default_path()) as store:
        store.record_answer("s21-fenton", 1.0)  # a first right answer: due again in a few minutes
        due = store.next_due()
    now = Now()
    panel = _quiz(window).open_panel()
    panel.now = now
    assert timedelta(minutes=1) < due - now.at < timedelta(hours=1)  # fsrs: a new card comes back within the hour
    minutes = math.ceil((due - now.at).total_seconds() / 60)
    panel.review_due.recheck_ms = 20  # look again soon (in real time) …
    panel = show_progress(qtbot, window)
    button = panel.review_button
    assert not button.isEnabled() and button.text() == f"Next review due in {minutes} min"
    panel.show_start("review")  # the start form says the same instead of a dead Start
    assert not panel.start_button.isEnabled() and panel.start_button.text() == f"Next review due in {minutes} min"
    assert panel.pool_label.text() == f"Nothing is due now; the next review is due in {minutes} min."
    panel.show_progress()
    now.at = due + timedelta(seconds=1)  # … while the panel's clock passes the due time
    qtbot.waitUntil(lambda: button.isEnabled() and button.text() == "&Review due (1)")
    qtbot.mouseClick(button, LEFT)
    assert panel.session.mode == "review" and [q.id for q in panel.session.questions] == ["s21-fenton"]


def test_the_start_button_wakes_up_on_its_own_when_a_review_falls_due(qtbot, window) -> None:
    with ProgressStore(default_path()) as store:
        store.record_answer("s21-fenton", 1.0)
        due = store.next_due()
    now = Now()
    panel = _quiz(window).open_panel()
    panel.now = now
    panel.start_due.recheck_ms = 20
    panel.show_start("review")
    assert not panel.start_button.isEnabled()
    now.at = due + timedelta(minutes=1)
    qtbot.waitUntil(lambda: panel.start_button.isEnabled(), timeout=3000)  # the timer, not a click
    assert panel.start_button.text() == "&Review due (1)"
    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData("practice"))
    assert panel.start_button.text() == "&Start" and panel.start_button.isEnabled()


@pytest.mark.parametrize("mark", [90])
def test_an_exam_against_a_pass_mark_names_the_sections_to_revisit(qtbot, window, mark) -> None:
    _quiz(window).act_exam.trigger()
    panel = _quiz(window).panel
    assert panel.pass_spin.isVisible() and panel.pass_spin.value() == 70  # the default
    panel.pass_spin.setValue(mark)
    assert int(QSettings().value("quiz/pass_mark")) == mark  # remembered
    panel.seed = 4
    panel.type_combo.setCurrentIndex(panel.type_combo.findData("single"))
    panel.count_spin.setValue(3)
    qtbot.mouseClick(panel.start_button, LEFT)
    s = panel.session
    first = s.current
    answer(qtbot, panel, [first.answer])  # right
    while s.current is not None and panel.stack.currentWidget() is panel.question_page:
        q = s.current
        answer(qtbot, panel, [next(c.id for c in q.choices if c.id != q.answer)])  # wrong
    assert panel.stack.currentWidget() is panel.report_page
    box = panel.verdict_box
    assert box.isVisible()
    verdict = box.verdict
    assert not verdict.passed and verdict.pass_mark == mark / 100
    assert box.summary.text().startswith("Not passed yet: 33% (pass mark 90%). Revisit ")
    assert [b.text() for b in box.buttons] == [f"Revisit {r.title}" for r in verdict.revisit if r.page]
    assert box.buttons
    target = next(r.page for r in verdict.revisit if r.page)
    qtbot.mouseClick(box.buttons[0], LEFT)
    assert window.panel.location == tuple(target.split(":", 1))


def test_a_practice_report_has_no_verdict(qtbot, window) -> None:
    assert _quiz(window).start_quiz("practice", question_ids=("s21-fenton",))
    panel = _quiz(window).panel
    answer(qtbot, panel, [panel.session.current.answer])
    qtbot.mouseClick(panel.next_button, LEFT)
    assert panel.stack.currentWidget() is panel.report_page and not panel.verdict_box.isVisible()
