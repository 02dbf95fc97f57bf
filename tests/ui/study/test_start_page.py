"""The start page leads the first screen: the next step of the study path as a link, the app's
objectives, the whole path ticked from the progress file; Go ▸ Topics lists every section; a topic
page carries its section's objectives under its title; a page counts as read after 20 s in front
or scrolled to its end (the clock is moved by hand)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication

from app.knowledge.content import load_content
from app.knowledge.learning import load_learning
from app.quiz.store import ProgressStore, default_path
from app.ui.study.reading import READ_AFTER_S, SCROLL_FLOOR_S

CONTENT = Path(__file__).resolve().parents[3] / "content"

LEARNING = load_learning(CONTENT, load_content(CONTENT))


def pages_read() -> dict:
    with ProgressStore(default_path()) as store:
        return store.pages_read()


def test_the_first_screen_is_the_start_page_with_the_path_and_the_next_step(qtbot, window) -> None:
    assert window.panel.location == ("study", "start")
    text = window.panel.toPlainText()
    assert text.startswith("Start here")
    assert "Next step: Read “Welcome to IronBone” ▶" in text
    assert "How to use it" in text
    for objective in LEARNING.objectives.app:
        assert objective.text in text
    steps = LEARNING.path.steps
    assert f"Your study path — 0 of {len(steps)} done" in text
    # Every step in the path's order, each as a link: topics to their page, tours and quizzes to the feature.
    order = [text.index(f"{i}. ") for i in range(1, len(steps) + 1)]
    assert order == sorted(order)
    html = window.panel.toHtml()
    assert 'href="topic:s2-1-osteoblasts"' in html and 'href="study:tour/iron-after-menopause"' in html
    assert 'href="study:quiz/3.1+3.2"' in html
    # The next step comes before the objectives and the path: where to start is seen first.
    assert text.index("Next step") < text.index("What you will be able to do") < text.index("Your study path")


def test_the_next_step_link_opens_the_page_and_reading_it_ticks_the_path(qtbot, window, click_link) -> None:
    click_link(window.panel, "topic:overview")  # the next step, as a person clicks it
    assert window.panel.location == ("topic", "overview")
    with qtbot.waitSignal(window.learner.recorded):
        assert window.learner.record_page_read("topic:overview")
    window.controller.back()
    text = window.panel.toPlainText()
    assert "Next step: Read “1 Introduction: why iron builds up after menopause” ▶" in text
    assert f"1 of {len(LEARNING.path.steps)} done" in text
    assert "✓" in text.split("Your study path", 1)[1].split("Welcome to IronBone", 1)[0]


def test_a_study_link_starts_the_tour_and_the_quiz(qtbot, window, click_link) -> None:
    click_link(window.panel, "study:tour/iron-after-menopause")
    assert window.features["lecture"].runner.tour.id == "iron-after-menopause"
    window.features["lecture"].runner.leave()
    window.features["study"].open_start_page()
    click_link(window.panel, "study:quiz/3.1+3.2")
    panel = window.features["quiz"].panel
    assert panel.stack.currentWidget() is panel.question_page
    assert {q.section for q in panel.session.questions} <= {"3.1", "3.2"}


def test_go_topics_lists_the_start_page_and_every_section(qtbot, window) -> None:
    menu = window.features["study"].topics_menu
    menu.aboutToShow.emit()
    names = [a.objectName() for a in menu.actions() if not a.isSeparator()]
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts[0] == window.features["study"].act_start.text()
    topics = [n.removeprefix("topic:") for n in names[1:]]
    assert sorted(topics) == sorted(window.content.topic_pages)  # every topic page, once
    sections = [window.content.topic_pages[t].section for t in topics]
    review = [s for s in sections if s[0].isdigit()]
    assert review == [s for s in LEARNING.sections]  # the review's sections in its order
    assert topics[0] == "overview"
    action = next(a for a in menu.actions() if a.objectName() == "topic:s3-2-hepcidin")
    action.trigger()
    assert window.panel.location == ("topic", "s3-2-hepcidin")
    window.features["study"].act_start.trigger()
    assert window.panel.location == ("study", "start")


def test_a_topic_page_shows_its_sections_objectives_under_its_title(qtbot, window) -> None:
    window.controller.open_page("topic", "s2-1-osteoblasts")
    text = window.panel.toPlainText()
    box = text.index("After this page you should be able to:")
    assert text.index("2.1 Iron and osteoblasts") < box < text.index("Key points")
    for objective in LEARNING.objectives.of_section("2.1"):
        assert objective.text in text
    window.controller.open_page("topic", "help")  # the user guide is no section of the review
    assert "you should be able to" not in window.panel.toPlainText()


def test_a_page_counts_as_read_after_twenty_seconds_in_front(qtbot, window, clock) -> None:
    tracker = window.features["study"].tracker
    tracker.clock = clock
    window.controller.open_page("topic", "s2-bone-metabolism")
    clock.advance(READ_AFTER_S - 1)
    tracker.check()
    assert "topic:s2-bone-metabolism" not in pages_read()
    # Time behind another window does not count.
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowDeactivate))
    clock.advance(600)
    tracker.check()
    assert "topic:s2-bone-metabolism" not in pages_read()
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    clock.advance(1.5)
    with qtbot.waitSignal(window.learner.recorded) as got:  # the tracker's own timer notices
        pass
    assert got.args == ["page", "topic:s2-bone-metabolism"]
    assert "topic:s2-bone-metabolism" in pages_read()
    assert "counted as read" in window.last_message


def test_leaving_a_page_before_twenty_seconds_does_not_count(qtbot, window, clock) -> None:
    tracker = window.features["study"].tracker
    tracker.clock = clock
    window.controller.open_page("topic", "s4-fractures")
    clock.advance(15)
    window.controller.open_page("topic", "s5-treatments")
    clock.advance(15)  # 30 s in all, but 15 on each page
    tracker.check()
    assert not {"topic:s4-fractures", "topic:s5-treatments"} & set(pages_read())


def test_scrolling_a_page_to_its_end_counts_but_not_in_the_first_seconds(qtbot, window, clock) -> None:
    tracker = window.features["study"].tracker
    tracker.clock = clock
    window.controller.open_page("topic", "s2-1-osteoblasts")
    bar = window.panel.verticalScrollBar()
    assert bar.maximum() > 0  # a long page
    clock.advance(SCROLL_FLOOR_S - 3)
    window.panel.setFocus()
    qtbot.keyClick(window.panel, Qt.Key.Key_End)  # straight to the end
    assert bar.value() == bar.maximum()
    assert "topic:s2-1-osteoblasts" not in pages_read()  # too quick to be reading
    clock.advance(4)
    with qtbot.waitSignal(window.learner.recorded):
        pass
    assert "topic:s2-1-osteoblasts" in pages_read()
