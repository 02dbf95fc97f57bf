"""The Quiz menu (practice, exam, review, progress) and the "Quiz" dock that holds the quiz panel.
install() only makes the actions; the panel, the bank and the progress store come on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from app.ui.quiz.panel import QuizPanel
    from app.ui.shell.main_window import MainWindow

DOCK_WIDTH = 400
DEFER_MS = 100
SHORTCUTS = {"practice": "Ctrl+Shift+Q", "exam": "Ctrl+Shift+X", "review": "Ctrl+Shift+R",
             "progress": "Ctrl+Shift+M"}


def panel(window: MainWindow, *, show: bool = True) -> QuizPanel:
    """The quiz panel in its dock, built on first use (and shown unless `show` is False)."""
    existing = getattr(window, "quiz_panel", None)
    if existing is None:
        from app.ui.quiz.panel import QuizPanel

        existing = QuizPanel(window)
        window.quiz_panel = existing
        window.quiz_dock.setWidget(existing)
    if show:
        first = not window.quiz_dock.isVisible()
        window.quiz_dock.show()
        window.quiz_dock.raise_()
        if first:
            # Leave the diagram most of the room: the dock takes a readable column, no more.
            window.resizeDocks([window.quiz_dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
    return existing


def _practice(window: MainWindow) -> None:
    p = panel(window)
    p.show_start("practice")


def _exam(window: MainWindow) -> None:
    p = panel(window)
    p.show_start("exam")


def _review(window: MainWindow) -> None:
    panel(window).start_review()


def _progress(window: MainWindow) -> None:
    panel(window).show_progress()


def _on_menu_about_to_show(window: MainWindow) -> None:
    """Show how many reviews are due in the menu (this opens the progress file)."""
    panel(window, show=False).refresh_review_action()


def _on_dock_visibility_changed(window: MainWindow, visible: bool) -> None:
    # The dock can come back visible from the saved window state, or from its menu toggle: fill it.
    if visible and window.quiz_panel is None:
        p = panel(window, show=False)
        # Loading the bank waits until the window is on screen (start-up time is measured).
        QTimer.singleShot(DEFER_MS, p, lambda: p.session is None and p.show_start())


def install(window: MainWindow) -> None:
    """Add the Quiz menu (before Help) and an empty, hidden Quiz dock on the right."""
    window.quiz_panel = None
    dock = window.add_side_dock("Quiz", "quiz_dock")
    dock.hide()
    window.quiz_dock = dock
    # The dock may come back visible from saved settings: fill it then.
    dock.visibilityChanged.connect(lambda visible: _on_dock_visibility_changed(window, visible))

    window.act_quiz_practice = window._action("&Practice…", lambda: _practice(window), [SHORTCUTS["practice"]],
                                              "Practise with questions drawn by section and difficulty; "
                                              "feedback after each answer")
    window.act_quiz_exam = window._action("&Exam…", lambda: _exam(window), [SHORTCUTS["exam"]],
                                          "A timed exam: no feedback until the end, then a report by section")
    window.act_quiz_review = window._action("&Review due", lambda: _review(window), [SHORTCUTS["review"]],
                                            "Spaced repetition: answer again what you missed, when it is due")
    window.act_quiz_progress = window._action("Pro&gress", lambda: _progress(window), [SHORTCUTS["progress"]],
                                              "Mastery by section and compartment, history, reviews due")
    menu = QMenu("&Quiz", window)
    for act in (window.act_quiz_practice, window.act_quiz_exam, window.act_quiz_review):
        menu.addAction(act)
    menu.addSeparator()
    menu.addAction(window.act_quiz_progress)
    act_dock = dock.toggleViewAction()
    act_dock.setText("Show quiz &panel")
    act_dock.setToolTip("Show or hide the quiz panel")
    act_dock.setStatusTip("Show or hide the quiz panel")
    menu.addAction(act_dock)
    menu.aboutToShow.connect(lambda: _on_menu_about_to_show(window))
    window.menuBar().insertMenu(window.menus["help"].menuAction(), menu)
    window.menus["quiz"] = menu
