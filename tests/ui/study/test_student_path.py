"""A student's first session, end to end through the widgets: the start page, its first topics read
(the reading clock moved by hand), the section's tour taken to its recap and check question, the
section's questions answered from the study path, and the readiness view showing what was done and
the next thing to do, with a button that does it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.quiz.questions import MultipleAnswer, SingleChoice, TrueFalse
from app.ui.study.reading import READ_AFTER_S

LEFT = Qt.MouseButton.LeftButton
TOUR = "iron-after-menopause"


def read_page(qtbot, window, clock) -> str:  # noqa: ANN001
    """Stay on the open page long enough for it to count, as the tracker's timer sees it."""
    page = "{}:{}".format(*window.panel.location)
    clock.advance(READ_AFTER_S + 1)
    with qtbot.waitSignal(window.learner.recorded) as got:
        pass
    assert got.args == ["page", page]
    return page


def answer_right(qtbot, panel) -> bool:  # noqa: ANN001
    """Answer the current question right if it is a choice question; False for other kinds."""
    q = panel.session.current
    if isinstance(q, SingleChoice):
        panel.view.buttons[q.answer].click()
    elif isinstance(q, MultipleAnswer):
        for cid in q.answers:
            panel.view.buttons[cid].click()
    elif isinstance(q, TrueFalse):
        panel.view.buttons["true" if q.answer else "false"].click()
    else:
        return False
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.feedback.toPlainText().startswith("Correct")
    return True


def test_a_student_walks_the_study_path_to_the_readiness_view(qtbot, window, clock, click_link) -> None:
    study, lecture, quiz = (window.features[n] for n in ("study", "lecture", "quiz"))
    study.tracker.clock = clock
    # 1. The first screen: where to start.
    assert window.panel.location == ("study", "start")
    assert "Next step: Read “Welcome to IronBone” ▶" in window.panel.toPlainText()
    # 2. The first topic, from the next-step link, read; then the next one from the refreshed start page.
    click_link(window.panel, "topic:overview")
    assert read_page(qtbot, window, clock) == "topic:overview"
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.panel.location == ("study", "start")
    assert "Next step: Read “1 Introduction" in window.panel.toPlainText()
    click_link(window.panel, "topic:s1-introduction")
    assert "After this page you should be able to:" in window.panel.toPlainText()
    assert read_page(qtbot, window, clock) == "topic:s1-introduction"
    # 3. The section's tour, started from the path and stepped to its end with the bar's buttons.
    study.open_start_page()
    assert f"Next step: Take the tour “{lecture.runner.tours[TOUR].title}” ▶" in window.panel.toPlainText()
    click_link(window.panel, f"study:tour/{TOUR}")
    bar = lecture.tour_panel
    tour = lecture.runner.tours[TOUR]
    assert lecture.runner.tour is tour and bar.isVisible()
    for _ in range(len(tour.steps) - 1):
        qtbot.mouseClick(bar.next_button, LEFT)
    assert bar.next_button.text() == "Recap ▶" and lecture.runner.index == len(tour.steps) - 1
    window.model_controller.finish_play()  # the last step's run played to its end (no waiting on a timer)
    qtbot.mouseClick(bar.next_button, LEFT)
    end = lecture.tour_end
    assert end.isVisible() and end.title.text() == f"Recap: {tour.title}" and end.recap.toPlainText().strip()
    assert end.check.isVisible() and end.check.text().startswith("Check yourself: ")
    following = lecture.runner.tours[tour.next]
    assert end.next_button.isVisible() and following.title.replace("&", "&&") in end.next_button.text()
    qtbot.mouseClick(end.check_button, LEFT)  # the check question, in the quiz panel
    panel = quiz.panel
    assert panel.stack.currentWidget() is panel.question_page
    assert end.check.text() == f"Check yourself: {panel.session.current.prompt}"
    assert answer_right(qtbot, panel)
    qtbot.mouseClick(end.close_button, LEFT)
    # 4. The section's questions, from the study path.
    study.open_start_page()
    text = window.panel.toPlainText()
    assert "3 of" in text.split("Your study path — ", 1)[1][:10]  # two pages and the tour ticked
    assert "Next step: Questions on 1 Introduction" in text
    panel.seed = 5
    click_link(window.panel, "study:quiz/1")
    assert {q.section for q in panel.session.questions} == {"1"}
    answered = 0
    while panel.session.current is not None and answered < 4 and answer_right(qtbot, panel):
        answered += 1
        qtbot.mouseClick(panel.next_button, LEFT)
    if panel.stack.currentWidget() is panel.question_page:
        qtbot.mouseClick(panel.finish_button, LEFT)  # Stop: a kind of question this test does not answer
    assert answered >= 2
    # 5. Readiness: what was done, why the section is not ready yet, and the next action as a button.
    qtbot.keyClick(window, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert panel.stack.currentWidget() is panel.progress_page
    row = panel.readiness.row("1")
    assert row.state.text() == "Learning"
    reason = row.reason.text()
    assert reason.startswith("Page read; 1 of 1 tour finished;")
    # The check question is one of section 1's: it counts with those answered from the path.
    total = sum(1 for q in window.learner.bank().questions if q.section == "1" and not q.generated)
    assert f"{answered + 1} of {total} questions right at your latest try, 0 of them secure" in reason
    assert panel.readiness.row("2").state.text() == "Not started"
    assert row.button is not None and row.button.isEnabled() and row.button.text() == "Answer now"
    qtbot.mouseClick(row.button, LEFT)
    assert panel.stack.currentWidget() is panel.question_page
    assert {q.section for q in panel.session.questions} == {"1"}
    assert not {q.id for q in panel.session.questions} & {r.question_id for r in _answered(window)}


def _answered(window):  # noqa: ANN001, ANN202
    return window.learner.store().history()
