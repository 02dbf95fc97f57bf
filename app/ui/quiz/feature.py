"""The quiz feature: the Quiz menu (practice, exam, review, progress, the lecturer's own questions), File ▸
Import questions, and the "Quiz" dock that holds the quiz panel. install() only makes the actions; the
panel, the bank and the progress store come on first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMenu

    from app.ui.context import FeatureContext
    from app.ui.quiz.import_dialog import QuestionImport
    from app.ui.quiz.my_questions import MyQuestionsDialog
    from app.ui.quiz.panel import QuizPanel

DOCK_WIDTH = 400
DEFER_MS = 100
SHORTCUTS = {"practice": "Ctrl+Shift+Q", "exam": "Ctrl+Shift+X", "review": "Ctrl+Shift+R",
             "progress": "Ctrl+Shift+M"}


class QuizFeature:
    """`panel` (None until first used), `dock`, `menu` and the four actions."""

    name = "quiz"

    def __init__(self) -> None:
        self.panel: QuizPanel | None = None
        self.dock: QDockWidget | None = None
        self.menu: QMenu | None = None
        self._ctx: FeatureContext | None = None
        self._importer: QuestionImport | None = None
        self.my_questions: MyQuestionsDialog | None = None

    def install(self, ctx: FeatureContext) -> None:
        """The Quiz menu (before Help) and an empty, hidden Quiz dock on the right."""
        self._ctx = ctx
        self.dock = dock = ctx.add_dock("Quiz", "quiz_dock")
        dock.hide()
        # The dock may come back visible from the saved window state, or from its menu toggle: fill it.
        dock.visibilityChanged.connect(self._on_dock_visibility_changed)
        self.act_practice: QAction = ctx.add_action(
            "&Practice…", lambda: self.open_panel().show_start("practice"), [SHORTCUTS["practice"]],
            "Practise with questions drawn by section and difficulty; feedback after each answer")
        self.act_exam: QAction = ctx.add_action(
            "&Exam…", lambda: self.open_panel().show_start("exam"), [SHORTCUTS["exam"]],
            "A timed exam: no feedback until the end, then a report by section")
        self.act_review: QAction = ctx.add_action(
            "&Review due", lambda: self.open_panel().start_review(), [SHORTCUTS["review"]],
            "Spaced repetition: answer again what you missed, when it is due")
        self.act_progress: QAction = ctx.add_action(
            "Pro&gress", lambda: self.open_panel().show_progress(), [SHORTCUTS["progress"]],
            "Mastery by section and compartment, history, reviews due")
        self.menu = menu = ctx.add_menu("quiz", "&Quiz")
        for act in (self.act_practice, self.act_exam, self.act_review):
            menu.addAction(act)
        menu.addSeparator()
        menu.addAction(self.act_progress)
        act_dock = dock.toggleViewAction()
        act_dock.setText("Show quiz &panel")
        act_dock.setToolTip("Show or hide the quiz panel")
        act_dock.setStatusTip("Show or hide the quiz panel")
        menu.addAction(act_dock)
        # The menu says how many reviews are due (this opens the progress file).
        menu.aboutToShow.connect(lambda: self.open_panel(show=False).refresh_review_action())
        self.act_import = ctx.add_action("&Import questions…", lambda: self.importer.choose_file(), [],
                                         "Bring your own questions in from a GIFT or Moodle XML file")
        ctx.add_to_menu("file", self.act_import)
        self.act_my_questions = ctx.add_action("&My questions…", self.show_my_questions, [],
                                               "The questions you imported, by category: remove them")
        menu.insertAction(act_dock, self.act_my_questions)
        ctx.library.changed.connect(self._on_library_changed)

    @property
    def importer(self) -> QuestionImport:
        if self._importer is None:
            from app.ui.quiz.import_dialog import QuestionImport

            self._importer = QuestionImport(self._ctx)
        return self._importer

    def show_my_questions(self) -> MyQuestionsDialog:
        """Quiz ▸ My questions (built on first use, refreshed each time it opens)."""
        if self.my_questions is None:
            from app.knowledge.userdata import QUESTIONS, user_folder
            from app.ui.quiz.my_questions import MyQuestionsDialog

            self.my_questions = MyQuestionsDialog(lambda: self.importer.bank_context(),
                                                  folder=lambda: user_folder(QUESTIONS), parent=self._ctx.window)
            self.my_questions.changed.connect(lambda: self._ctx.library.changed.emit("questions"))
        else:
            self.my_questions.refresh()
        self.my_questions.show()
        self.my_questions.raise_()
        return self.my_questions

    def _on_library_changed(self, kind: str) -> None:
        if kind != "questions":
            return
        if self.panel is not None:
            self.panel.reload_bank()
        if self.my_questions is not None and self.my_questions.isVisible():
            self.my_questions.refresh()  # e.g. a lesson pack was installed while the list is open

    def open_panel(self, *, show: bool = True) -> QuizPanel:
        """The quiz panel in its dock, built on first use (and shown unless `show` is False)."""
        assert self._ctx is not None and self.dock is not None
        if self.panel is None:
            from app.ui.quiz.panel import QuizPanel

            self.panel = QuizPanel(self._ctx, review_action=self.act_review)
            self.dock.setWidget(self.panel)
        if show:
            first = not self.dock.isVisible()
            self.dock.show()
            self.dock.raise_()
            if first:
                # Leave the diagram most of the room: the dock takes a readable column, no more.
                self._ctx.window.resizeDocks([self.dock], [DOCK_WIDTH], Qt.Orientation.Horizontal)
        return self.panel

    def _on_dock_visibility_changed(self, visible: bool) -> None:
        if visible and self.panel is None:
            panel = self.open_panel(show=False)
            # Loading the bank waits until the window is on screen (start-up time is measured).
            QTimer.singleShot(DEFER_MS, panel, lambda: panel.session is None and panel.show_start())
