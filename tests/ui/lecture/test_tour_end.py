"""A guided tour starts from its own state (no pinned runs, colours against the reference), counts as
taken once its last step is reached, and ends with its recap, its check question answered in the
quiz panel with feedback, and a button to the next tour."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt

from app.knowledge.content import load_content
from app.knowledge.tours import load_tours
from app.quiz.store import ProgressStore, default_path
from app.ui.diagram.overlays import Layer

CONTENT = Path(__file__).resolve().parents[3] / "content"
LEFT = Qt.MouseButton.LeftButton
TOURS, _ = load_tours(CONTENT, load_content(CONTENT).pathway)


def _lecture(window):  # noqa: ANN001, ANN202
    return window.features["lecture"]


def tours_finished() -> dict:
    with ProgressStore(default_path()) as store:
        return store.tours_finished()


def to_last_step(qtbot, window, tour_id: str) -> None:  # noqa: ANN001
    """Start the tour from the Teach menu and click Next to its last step."""
    menu = _lecture(window).tours_menu
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.objectName() == f"tour:{tour_id}").trigger()
    bar = _lecture(window).tour_panel
    for _ in range(len(TOURS[tour_id].steps) - 1):
        assert bar.next_button.text() == "Next ▶"
        qtbot.mouseClick(bar.next_button, LEFT)
    assert bar.next_button.text() == "Recap ▶" and bar.next_button.isEnabled()


def test_a_tour_starts_without_pinned_runs_and_colours_against_the_reference(qtbot, window) -> None:
    compare = window.features["compare"]
    mc = window.model_controller
    mc.set_estrogen(20)
    compare.act_pin_run.trigger()  # the diagram now shows the change from this pinned run
    mc.set_estrogen(80)
    assert window.scene.shown("changes") is Layer.EXPLORER
    _lecture(window).start_tour("iron-feeds-osteoclasts")
    assert compare.compare.pins == [] and compare.compare.colour_pin is None
    assert window.scene.shown("changes") is Layer.MODEL  # change against the premenopausal reference
    assert "pinned runs cleared" in window.last_message


def test_a_session_that_resumes_a_tour_keeps_its_pinned_runs(qtbot, window, tmp_path) -> None:
    _lecture(window).start_tour("iron-after-menopause")
    window.model_controller.finish_play()
    window.features["compare"].act_pin_run.trigger()
    path = tmp_path / "lesson.ironbone"
    session = window.features["session"].manager
    assert session.save_to(path)
    assert json.loads(path.read_text(encoding="utf-8"))["pinned"]
    _lecture(window).runner.leave()
    window.features["compare"].compare.clear()
    assert session.open_path(path)
    assert _lecture(window).runner.tour is not None
    assert len(window.features["compare"].compare.pins) == 1  # resumed, not started afresh


def test_the_last_step_counts_the_tour_and_next_shows_the_recap(qtbot, window) -> None:
    tour = TOURS["iron-after-menopause"]
    assert "iron-after-menopause" not in tours_finished()
    with qtbot.waitSignal(window.learner.recorded) as recorded:
        to_last_step(qtbot, window, tour.id)
    assert recorded.args == ["tour", tour.id]
    assert "iron-after-menopause" in tours_finished()
    qtbot.mouseClick(_lecture(window).tour_panel.next_button, LEFT)  # "Recap ▶"
    end = _lecture(window).tour_end
    assert end.isVisible() and not _lecture(window).tour_panel.isVisible()
    assert end.title.text() == f"Recap: {tour.title}"
    assert "menstrual blood" in end.recap.toPlainText().lower()  # the recap's markdown, rendered
    assert end.check.text().startswith("Check yourself: Which of these let iron build up")
    assert end.next_button.text() == f"Next tour: {TOURS[tour.next].title} ▶"
    qtbot.mouseClick(end.back_button, LEFT)  # ◀ Last step
    assert _lecture(window).tour_panel.isVisible() and not end.isVisible()
    assert _lecture(window).runner.position() == (tour.id, len(tour.steps) - 1)


def test_the_check_question_is_answered_in_the_quiz_panel_then_the_next_tour(qtbot, window) -> None:
    to_last_step(qtbot, window, "iron-after-menopause")
    _lecture(window).act_tour_next.trigger()  # Page Down on the last step: the recap
    end = _lecture(window).tour_end
    assert end.isVisible()
    qtbot.mouseClick(end.check_button, LEFT)
    quiz = window.features["quiz"].panel
    assert quiz.isVisible() and quiz.session.current.id == "s1-why-accumulates"
    q = quiz.session.current
    for cid in q.answers:
        quiz.view.buttons[cid].click()
    qtbot.mouseClick(quiz.submit_button, LEFT)
    assert quiz.feedback.toPlainText().startswith("Correct")
    assert end.isVisible()  # the recap stays while the student answers
    qtbot.mouseClick(end.next_button, LEFT)
    assert _lecture(window).runner.position() == ("iron-harms-osteoblasts", 0)
    assert not end.isVisible() and _lecture(window).tour_panel.isVisible()


def test_a_check_question_written_in_the_tour_file_is_asked_too(qtbot, window) -> None:
    tour = TOURS["iron-feeds-osteoclasts"]
    assert isinstance(tour.check, dict)
    to_last_step(qtbot, window, tour.id)
    qtbot.mouseClick(_lecture(window).tour_panel.next_button, LEFT)
    end = _lecture(window).tour_end
    qtbot.mouseClick(end.check_button, LEFT)
    quiz = window.features["quiz"].panel
    assert quiz.session.current.id == f"tour-{tour.id}-check"
    assert quiz.prompt.text() == end.question.prompt


def test_the_last_tour_has_no_next_and_close_leaves_it(qtbot, window) -> None:
    last = next(t for t in TOURS.values() if not t.next)
    to_last_step(qtbot, window, last.id)
    qtbot.mouseClick(_lecture(window).tour_panel.next_button, LEFT)
    end = _lecture(window).tour_end
    assert not end.next_button.isVisible()
    qtbot.mouseClick(end.close_button, LEFT)
    assert _lecture(window).runner.tour is None and not end.isVisible()
    assert _lecture(window).act_tour_resume.isEnabled()
