"""The quiz panel driven as a student would: Quiz menu, options clicked, Submit, Try again, nodes
clicked on the live diagram, predictions graded by the model with their paths lit, steps put in
order with the keyboard, a timed exam with its report, reviews, progress, and a damaged progress
file set aside with a message."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QRadioButton

from app.quiz.grading import model_directions
from app.quiz.questions import ClickNode, Matching, MultipleAnswer, Numeric, Ordering, Predict, SingleChoice
from app.quiz.store import ProgressStore, default_path

CONTENT = Path(__file__).resolve().parents[3] / "content"
LEFT = Qt.MouseButton.LeftButton


def _quiz(window):  # noqa: ANN001, ANN202
    return window.features["quiz"]


def open_practice(qtbot, window, kind: str | None, *, seed: int = 11, mode: str = "practice", n: int = 10):
    """Quiz ▸ Practice (or Exam), choose the kind of question and how many, Start."""
    (_quiz(window).act_exam if mode == "exam" else _quiz(window).act_practice).trigger()
    panel = _quiz(window).panel
    assert _quiz(window).dock.isVisible() and panel.stack.currentWidget() is panel.start_page
    panel.seed = seed
    panel.type_combo.setCurrentIndex(panel.type_combo.findData(kind))
    panel.count_spin.setValue(n)
    qtbot.mouseClick(panel.start_button, LEFT)
    assert panel.stack.currentWidget() is panel.question_page
    return panel


def stored(question_id: str) -> list[float]:
    with ProgressStore(default_path()) as store:
        return [r.score for r in store.history(question_id=question_id)]


def click_node(qtbot, window, node_id: str) -> None:
    item = window.scene.node_items[node_id]
    window.view.centre_on_node(node_id)
    pos = window.view.mapFromScene(item.sceneBoundingRect().center())
    qtbot.mouseClick(window.view.viewport(), LEFT, pos=pos)


def test_quiz_menu_sits_before_help_with_shortcuts(window) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("&Go") < titles.index("&Quiz") < titles.index("&Help")
    quiz = _quiz(window)
    for act in (quiz.act_practice, quiz.act_exam, quiz.act_review, quiz.act_progress):
        assert act.shortcut().toString() and act.toolTip()
    keys = [k.toString() for a in window.actions() for k in a.shortcuts()]
    ours = [quiz.act_practice, quiz.act_exam, quiz.act_review, quiz.act_progress]
    assert all(keys.count(a.shortcut().toString()) == 1 for a in ours)  # no other action uses them
    assert _quiz(window).panel is None  # nothing built at start-up


def test_single_choice_right_then_wrong_then_try_again(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "single")
    q = panel.session.current
    assert isinstance(q, SingleChoice)
    qtbot.mouseClick(panel.view.buttons[q.answer], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.feedback.isVisible()
    assert panel.feedback.toPlainText().startswith("Correct")
    assert q.explanation[:40] in panel.feedback.toPlainText()
    assert stored(q.id) == [1.0]  # committed as it was given
    assert not panel.retry_button.isVisible()

    qtbot.mouseClick(panel.next_button, LEFT)
    q2 = panel.session.current
    assert q2 is not q and isinstance(q2, SingleChoice)
    wrong = next(c.id for c in q2.choices if c.id != q2.answer)
    qtbot.mouseClick(panel.view.buttons[wrong], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.feedback.toPlainText().startswith("Not quite")
    assert stored(q2.id) == [0.0]
    assert panel.retry_button.isVisible()
    qtbot.mouseClick(panel.retry_button, LEFT)
    assert not panel.feedback.isVisible() and panel.view.response() == wrong  # the answer stays, to change
    qtbot.mouseClick(panel.view.buttons[q2.answer], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.feedback.toPlainText().startswith("Correct")
    assert stored(q2.id) == [1.0, 0.0]  # newest first: both tries are kept


def test_keys_pick_and_submit_and_the_page_link_opens(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "multiple", seed=5)
    q = panel.session.current
    assert isinstance(q, MultipleAnswer)
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert panel.hint.text()  # nothing ticked yet: a clear message, nothing graded
    assert panel.session.grade_of() is None
    for i, c in enumerate(q.choices, start=1):
        if c.id in q.answers:
            qtbot.keyClick(panel.view, Qt.Key(Qt.Key.Key_0 + i))
    assert panel.view.response() == q.answers
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert panel.session.grade_of().correct
    # The link under the feedback opens the page that teaches it.
    kind, pid = q.page.split(":", 1)
    panel.feedback.anchorClicked.emit(QUrl(q.page))
    assert window.panel.location == (kind, pid)
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)  # Enter again: the next question
    assert panel.session.index == 1


def test_click_the_node_on_the_diagram(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "click_node", seed=2, n=20)
    s = panel.session
    singles = [i for i, q in enumerate(s.questions) if len(q.answers) == 1]
    several = [i for i, q in enumerate(s.questions) if len(q.answers) > 1]
    assert singles and several
    s.index = singles[0]
    panel.show_question()
    q = s.current
    assert isinstance(q, ClickNode)
    wrong = next(n for n in ("ros", "osteoclast", "hepcidin") if n not in q.answers)
    click_node(qtbot, window, wrong)  # a click chooses; Submit grades
    assert s.grade_of() is None and "Submit" in panel.view.hint.text()
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.feedback.toPlainText().startswith("Not quite")
    right = next(iter(q.answers))
    label = window.content.pathway.node(right).label
    assert label in panel.feedback.toPlainText()
    assert window.scene.node_items[right].on_path  # the right node is lit on the diagram
    assert not window.scene.node_items[wrong].on_path
    qtbot.mouseClick(panel.retry_button, LEFT)
    assert not window.scene.node_items[right].on_path
    click_node(qtbot, window, right)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert s.grade_of().correct
    assert stored(q.id) == [1.0, 0.0]
    click_node(qtbot, window, wrong)  # once graded, a click on the diagram answers nothing
    assert s.grade_of().correct and stored(q.id) == [1.0, 0.0]

    # A question with several nodes: clicks add and remove, then Submit.
    s.index = several[0]
    panel.show_question()
    q = s.current
    click_node(qtbot, window, wrong)
    click_node(qtbot, window, wrong)  # a second click takes it out again
    assert panel.session.grade_of() is None
    for n in sorted(q.answers):
        click_node(qtbot, window, n)
    assert panel.view.response() == q.answers
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert s.grade_of().correct and stored(q.id) == [1.0]
    qtbot.mouseClick(panel.finish_button, LEFT)
    assert panel.stack.currentWidget() is panel.report_page
    click_node(qtbot, window, wrong)  # the quiz is over: clicks only select nodes again
    assert stored(q.id) == [1.0]
    assert window.controller.location == ("node", wrong)


def test_a_click_question_is_graded_on_the_node_chosen_when_submitted(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "click_node", seed=2, n=20)
    s = panel.session
    s.index = next(i for i, q in enumerate(s.questions) if len(q.answers) == 1)
    panel.show_question()
    q = s.current
    right = next(iter(q.answers))
    wrong = next(n for n in ("ros", "osteoclast", "hepcidin") if n not in q.answers)
    label = window.content.pathway.node(right).label
    # First thoughts first: a wrong node, then the person changes their mind.
    click_node(qtbot, window, wrong)
    assert s.grade_of() is None and stored(q.id) == []  # nothing graded, nothing stored
    click_node(qtbot, window, right)
    assert s.grade_of() is None and panel.view.chosen_label.text() == f"Chosen: {label}"
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert s.grade_of().correct and stored(q.id) == [1.0]  # graded on the node chosen last
    assert panel.feedback.toPlainText().startswith("Correct")


def test_a_click_question_submitted_with_nothing_chosen_says_so(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "click_node", seed=2)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert "Click a node" in panel.hint.text() and panel.session.grade_of() is None


def test_prediction_graded_by_the_model_with_the_path_lit(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "predict", seed=4)
    q = panel.session.current
    assert isinstance(q, Predict)
    truth = model_directions(window.model_controller.model, q)
    first, *rest = q.targets
    wrong = next(d for d in ("up", "down", "none") if d != truth[first][0])
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert "every node" in panel.hint.text()
    panel.view.set_mark(first, wrong)
    for t in rest:
        panel.view.set_mark(t, truth[t][0])
    qtbot.mouseClick(panel.submit_button, LEFT)
    grade = panel.session.grade_of()
    assert grade.score == pytest.approx(len(rest) / len(q.targets))
    assert panel.feedback.toPlainText().startswith("Partly right")
    assert "✗" in panel.view.result_labels[first].text()
    assert all("✓" in panel.view.result_labels[t].text() for t in rest)
    mark = next(m for m in grade.marks if m.path)
    button = panel.view.path_buttons[mark.node]
    assert button.isVisible()
    qtbot.mouseClick(button, LEFT)
    lit = {n for n, it in window.scene.node_items.items() if it.on_path}
    assert lit == set(mark.path)
    lit_edges = {e.edge.key for e in window.scene.edge_items if e.on_path}
    assert lit_edges == set(zip(mark.path, mark.path[1:], strict=False))
    assert stored(q.id) == [pytest.approx(grade.score)]
    qtbot.mouseClick(panel.next_button, LEFT)
    # The diagram goes back to the model's own "why" trace.
    trace = window.last_trace
    expected = {n for p in trace.paths for n in p.nodes} if trace else set()
    assert {n for n, it in window.scene.node_items.items() if it.on_path} == expected


def test_ordering_with_the_keyboard_and_matching(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "ordering", seed=8)
    q = panel.session.current
    assert isinstance(q, Ordering)
    lst = panel.view.list
    assert panel.view.order() != list(q.correct_order)  # never shown already in order
    # Selection sort with Alt+Up, as a person would do it.
    for target, sid in enumerate(q.correct_order):
        row = panel.view.order().index(sid)
        lst.setCurrentRow(row)
        for _ in range(row - target):
            qtbot.keyClick(lst, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert panel.view.order() == list(q.correct_order)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.session.grade_of().correct

    panel.show_start("practice")
    panel = open_practice(qtbot, window, "matching", seed=8)
    q = panel.session.current
    assert isinstance(q, Matching)
    lefts = [left for left, _ in q.pairs]
    for left, right in q.pairs[1:]:
        panel.view.choose(left, right)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert "every item" in panel.hint.text()
    panel.view.choose(lefts[0], q.pairs[1][1])  # one wrong match
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.session.grade_of().score == pytest.approx((len(lefts) - 1) / len(lefts))
    qtbot.mouseClick(panel.retry_button, LEFT)
    panel.view.choose(lefts[0], q.pairs[0][1])
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.session.grade_of().correct


def test_numeric_with_tolerance_and_bad_input(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "numeric", seed=1)
    q = panel.session.current
    assert isinstance(q, Numeric)
    qtbot.keyClicks(panel.view.edit, "lots")
    qtbot.keyClick(panel.view.edit, Qt.Key.Key_Return)
    assert "lots" in panel.hint.text() and panel.session.grade_of() is None
    panel.view.edit.clear()
    value = q.answer + q.tolerance * 0.5
    qtbot.keyClicks(panel.view.edit, f"{value:g}".replace(".", ","))  # a decimal comma works too
    qtbot.keyClick(panel.view.edit, Qt.Key.Key_Return)
    assert panel.session.grade_of().correct


def test_exam_is_timed_silent_and_ends_with_a_report_by_section(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "single", seed=6, mode="exam")
    assert panel.timer_label.text() == "Time left 15:00"
    s = panel.session
    assert s.mode == "exam" and len(s) == 10
    q = s.current
    qtbot.mouseClick(panel.view.buttons[q.answer], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert s.index == 1 and not panel.feedback.isVisible()  # no feedback during an exam
    assert stored(q.id) == [1.0]
    q2 = s.current
    wrong = next(c.id for c in q2.choices if c.id != q2.answer)
    panel.view.buttons[wrong].click()
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert not panel.retry_button.isVisible()
    s.time_limit_s = s.elapsed() + 0.2  # time is nearly up
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.report_page, timeout=5000)
    report = panel.last_report
    assert report.timed_out and report.asked == 10 and report.answered == 2 and report.score == 1.0
    text = panel.report_view.toPlainText()
    assert "Time ran out" in text and "By section" in text and "What to revise" in text
    assert panel.section_name(q2.section) in text
    assert not panel.timer.isActive()


def test_review_draws_the_due_cards(qtbot, window) -> None:
    ids = ["s21-bcl2-role", "s21-fenton"]
    past = datetime.now(UTC) - timedelta(days=3)
    with ProgressStore(default_path()) as store:
        for qid in ids:
            store.record_answer(qid, 0.0, now=past)
    window.menus["quiz"].aboutToShow.emit()
    assert _quiz(window).act_review.text() == "&Review due (2)"
    _quiz(window).act_review.trigger()
    panel = _quiz(window).panel
    assert panel.session.mode == "review"
    assert sorted(q.id for q in panel.session.questions) == sorted(ids)
    q = panel.session.current
    panel.view.buttons[q.answer].click()
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.feedback.toPlainText().startswith("Correct")
    assert _quiz(window).act_review.text() == "&Review due (1)"


def test_nothing_due_says_so(qtbot, window) -> None:
    _quiz(window).act_review.trigger()
    panel = _quiz(window).panel
    assert panel.stack.currentWidget() is panel.start_page
    assert "Nothing is due" in panel.start_message.text()


def test_progress_view_shows_mastery_history_and_due(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "single", seed=9)
    q = panel.session.current
    qtbot.mouseClick(panel.view.buttons[q.answer], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    _quiz(window).act_progress.trigger()
    assert panel.stack.currentWidget() is panel.progress_page
    summary = panel.progress_summary.text()
    assert "<b>1</b> of" in summary and "<b>0</b> due for review" in summary and "Next review:" in summary
    rows = {panel.section_table.item(r, 0).text(): (panel.section_table.item(r, 1).text(),
                                                     panel.section_table.item(r, 2).text())
            for r in range(panel.section_table.rowCount())}
    answered, mastery = rows[panel.section_name(q.section)]
    assert answered.startswith("1 / ") and mastery != "0%"
    assert panel.compartment_table.rowCount() >= 5
    assert panel.history_table.rowCount() == 1
    assert panel.history_table.item(0, 3).text() == "100%"


def test_damaged_progress_file_is_set_aside_with_a_message(qtbot, window) -> None:
    path = default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database at all\x00" * 50)
    panel = open_practice(qtbot, window, "single", seed=12)
    assert panel.banner.isVisible()
    assert "set aside" in panel.banner_label.text()
    assert "set aside" in window.statusBar().currentMessage()
    moved = list(path.parent.glob(path.name + ".corrupt-*"))
    assert len(moved) == 1 and moved[0].read_bytes().startswith(b"this is not")
    q = panel.session.current
    qtbot.mouseClick(panel.view.buttons[q.answer], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert stored(q.id) == [1.0]  # the new file works


def test_unwritable_store_still_lets_the_student_practise(qtbot, window, monkeypatch, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("IRONBONE_DATA_DIR", str(blocker / "sub"))
    panel = open_practice(qtbot, window, "single", seed=12)
    assert "will not be saved" in panel.banner_label.text()
    q = panel.session.current
    qtbot.mouseClick(panel.view.buttons[q.answer], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.feedback.toPlainText().startswith("Correct")


def test_panel_screenshot(qtbot, window, tmp_path) -> None:
    panel = open_practice(qtbot, window, "single", seed=3)
    png = tmp_path / "quiz.png"
    assert _quiz(window).dock.grab().save(str(png))
    assert png.stat().st_size > 2000
    assert all(isinstance(b, QRadioButton) and b.isVisible() for b in panel.view.buttons.values())


def test_dock_opened_from_its_menu_toggle_fills_itself(qtbot, window) -> None:
    _quiz(window).dock.toggleViewAction().trigger()
    assert _quiz(window).dock.isVisible()
    qtbot.waitUntil(lambda: _quiz(window).panel is not None and _quiz(window).panel.pool_label.text() != "")
    panel = _quiz(window).panel
    assert panel.stack.currentWidget() is panel.start_page
    assert panel.section_combo.count() > 10  # "All sections" and one entry per section with questions
    panel.section_combo.setCurrentIndex(panel.section_combo.findData("2.1"))
    n = len(panel.bank().pool(sections=["2.1"]))
    assert panel.pool_label.text().startswith(f"{n} question")


def test_leaving_a_click_question_stops_answering_from_the_diagram(qtbot, window) -> None:
    panel = open_practice(qtbot, window, "click_node", seed=2)
    q = panel.session.current
    _quiz(window).act_exam.trigger()  # back to the start screen, mid-question
    assert panel.stack.currentWidget() is panel.start_page
    click_node(qtbot, window, next(iter(q.answers)))
    assert panel.session.grade_of(q) is None and stored(q.id) == []
    _quiz(window).act_progress.trigger()
    assert panel.history_table.rowCount() == 0


def test_a_view_without_response_is_refused_when_defined() -> None:
    from app.ui.quiz.views import AnswerView

    with pytest.raises(TypeError, match="must define response"):
        type("BrokenView", (AnswerView,), {})
