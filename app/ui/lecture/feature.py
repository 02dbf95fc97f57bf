"""The lecture feature: the Teach menu with guided tours, presentation mode and inquiry mode, the tour
bar at the bottom (built on first use), and the tour's place in session files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QWidget

from app.ui.lecture.tours import TourPanel, TourPart, TourRunner
from app.ui.text import no_mnemonic, tip

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from app.knowledge.tours import Tour
    from app.ui.context import FeatureContext
    from app.ui.lecture.inquiry import Inquiry
    from app.ui.lecture.poll_view import ClassPoll
    from app.ui.lecture.presentation import Presentation
    from app.ui.lecture.recorder import TourRecorder
    from app.ui.lecture.teacher_guide_view import TeacherGuide
    from app.ui.lecture.tour_end import TourEnd

TOUR_BAR_HEIGHT = 190
RECORDER_HEIGHT = 260
USER_TOUR = "user:"  # app.knowledge.tours.USER_PREFIX: the lecturer's own tours (not imported at start-up)


class LectureFeature:
    """`runner`, `tour_panel` (None until a tour starts), `presentation` and `inquiry` (made on first
    use), `tours_menu` and the Teach menu's actions."""

    name = "lecture"

    def __init__(self) -> None:
        self.tour_panel: TourPanel | None = None
        self._dock: QDockWidget | None = None
        self._presentation: Presentation | None = None
        self._inquiry: Inquiry | None = None
        self.recorder: TourRecorder | None = None
        self._recorder_dock: QDockWidget | None = None
        self.tour_end: TourEnd | None = None  # the recap and check question, built at the first tour's end
        self._end_dock: QDockWidget | None = None
        self._poll: ClassPoll | None = None
        self._guide: TeacherGuide | None = None

    def install(self, ctx: FeatureContext) -> None:
        self._ctx = ctx
        self.runner = runner = TourRunner(ctx)
        runner.message_posted.connect(ctx.post)
        runner.step_changed.connect(self._on_runner_step_changed)
        ctx.session_parts.add(TourPart(runner))
        runner.step_changed.connect(lambda *_: ctx.session_parts.changed.emit())
        runner.finished.connect(self._on_runner_finished)
        runner.ended.connect(self.show_tour_end)

        menu = ctx.add_menu("teach", "&Teach")
        self.act_presentation = ctx.add_action("&Presentation mode", lambda: self.presentation.toggle(), ["F5"],
                                               "Full screen, large and high-contrast for a projector; Esc leaves")
        self.act_presentation.setCheckable(True)
        self._act_escape = ctx.add_action("Leave presentation", lambda: self.presentation.escape(), ["Esc"],
                                          "Leave presentation mode (first ends a spotlight or a focus)")
        self._act_escape.setEnabled(False)  # while presenting only
        self.act_inquiry = ctx.add_action("&Inquiry mode (hide results)", lambda: self.inquiry.toggle(), ["Ctrl+I"],
                                          "Hide the plots, readouts and colours so the class predicts first; "
                                          "again to reveal")
        self.act_inquiry.setCheckable(True)
        self.tours_menu = QMenu("Guided &tours", ctx.window)
        self.tours_menu.setToolTipsVisible(True)
        self.tours_menu.aboutToShow.connect(self._fill_tours_menu)
        self.act_tour_next = ctx.add_action("&Next tour step", runner.next, ["PgDown"], "Next step of the tour")
        self.act_tour_prev = ctx.add_action("P&revious tour step", runner.previous, ["PgUp"],
                                            "Previous step of the tour")
        self.act_tour_leave = ctx.add_action("&Leave tour", runner.leave, [], "End the tour; it can be resumed")
        self.act_tour_resume = ctx.add_action("Res&ume tour", self.resume_tour, [],
                                              "Back to the step where the tour was left")
        for act in (self.act_tour_next, self.act_tour_prev, self.act_tour_leave, self.act_tour_resume):
            act.setEnabled(False)
        menu.addAction(self.act_presentation)
        menu.addAction(self.act_inquiry)
        self.act_poll = ctx.add_action("Class &poll…", lambda: self.poll.choose(), ["Ctrl+Shift+V"],
                                       "Put a choice or prediction question to the hall in large type, "
                                       "count the hands, reveal the answer")
        menu.addAction(self.act_poll)
        self.act_guide = ctx.add_action("&Teacher guide", lambda: self.teacher_guide.open(), [],
                                        "The 20-minute storyline and every tour's objectives, timings, "
                                        "misconceptions and question for the hall")
        self.act_handout = ctx.add_action("Export teacher &handout…", lambda: self.teacher_guide.export(), [],
                                          "The teacher guide as a printable A4 PDF")
        ctx.add_to_menu("help", None, self.act_guide, self.act_handout)
        ctx.pages.add_generated("teacher", lambda ident: self.teacher_guide.render(ident),
                                lambda ident: self.teacher_guide.follow(ident))
        menu.addSeparator()
        menu.addMenu(self.tours_menu)
        for act in (self.act_tour_next, self.act_tour_prev, self.act_tour_leave, self.act_tour_resume):
            menu.addAction(act)
        self._install_recording(ctx, menu)
        self._install_stage(ctx, menu)

    @property
    def presentation(self) -> Presentation:
        if self._presentation is None:
            from app.ui.lecture.presentation import Presentation

            self._presentation = Presentation(self._ctx, self.runner)
            self._presentation.changed.connect(self.act_presentation.setChecked)
            self._presentation.changed.connect(self._act_escape.setEnabled)
            self._presentation.changed.connect(self._on_presentation_changed)
            self.stage.attach(self._presentation)
        return self._presentation

    @property
    def inquiry(self) -> Inquiry:
        if self._inquiry is None:
            from app.ui.lecture.inquiry import Inquiry

            self._inquiry = Inquiry(self._ctx)
            self._inquiry.changed.connect(self.act_inquiry.setChecked)
        return self._inquiry

    def _on_presentation_changed(self, on: bool) -> None:
        """While presenting, the tour bar has no title bar of its own: its height goes to the plots."""
        if self._dock is not None:
            self._dock.setTitleBarWidget(QWidget(self._dock) if on else None)

    @property
    def poll(self) -> ClassPoll:
        if self._poll is None:
            from app.ui.lecture.poll_view import ClassPoll

            self._poll = ClassPoll(self._ctx)
        return self._poll

    @property
    def teacher_guide(self) -> TeacherGuide:
        if self._guide is None:
            from app.ui.lecture.teacher_guide_view import TeacherGuide

            self._guide = TeacherGuide(self._ctx, self.start_tour, lambda qid: self.poll.open_id(qid))
        return self._guide

    # --- tours ------------------------------------------------------------------------------
    def start_tour(self, tour_id: str) -> bool:
        self._tour_dock()
        return self.runner.start(tour_id)

    def resume_tour(self) -> None:
        last = self.runner.resumable
        if last is not None:
            self._tour_dock()
            self.runner.resume(*last)

    def _tour_dock(self) -> QDockWidget:
        """The tour bar at the bottom, built when the first tour starts."""
        if self._dock is None:
            self.tour_panel = TourPanel(self.runner, self._ctx.open_link)
            self._dock = self._ctx.add_dock("Guided tour", "tour_dock", self.tour_panel, bottom=True)
            self._ctx.window.resizeDocks([self._dock], [TOUR_BAR_HEIGHT], Qt.Orientation.Vertical)
        return self._dock

    def _fill_tours_menu(self) -> None:
        menu = self.tours_menu
        menu.clear()
        if self._ctx.model() is None:
            menu.addAction("(the model is loading…)").setEnabled(False)
            return
        for i, (tid, tour) in enumerate(self.runner.tours.items()):
            mine = "  · yours" if tid.startswith(USER_TOUR) else ""
            # A title from someone else's file: its "&" is shown, not read as a keyboard accelerator.
            act = menu.addAction(f"&{i + 1}  {no_mnemonic(tour.title)} ({tour.minutes:g} min){mine}")
            act.setToolTip(tip(tour.summary))
            act.setObjectName(f"tour:{tid}")
            act.triggered.connect(lambda _=False, t=tid: self.start_tour(t))
        if not self.runner.tours:
            menu.addAction("(no tours in content/tours)").setEnabled(False)
        for problem in self.runner.user_problems[:5]:
            bad = menu.addAction(f"(not loaded: {problem.file.split(' ', 1)[0]})")
            bad.setToolTip(f"{problem.file}: {problem.message}")
            bad.setEnabled(False)

    # --- the end of a tour: recap, check question, next tour --------------------------------------
    def _on_runner_finished(self, tour: Tour) -> None:
        """The last step was reached: the tour counts as taken on the study path."""
        if self._ctx.learner is not None and not tour.id.startswith(USER_TOUR):
            self._ctx.learner.record_tour_finished(tour.id)

    def show_tour_end(self, tour: Tour) -> TourEnd:
        """The recap, the check question and the next tour, in the tour bar's place."""
        from app.ui.lecture.tour_end import TourEnd

        if self.tour_end is None:
            self.tour_end = TourEnd(self._ctx.open_link)
            self.tour_end.back_requested.connect(self._on_tour_end_back_requested)
            self.tour_end.check_requested.connect(self._on_tour_end_check_requested)
            self.tour_end.next_requested.connect(self.start_tour)
            self.tour_end.close_requested.connect(self.runner.leave)
            self._end_dock = self._ctx.add_dock("Tour recap", "tour_end_dock", self.tour_end, bottom=True)
        next_tour = self.runner.tours.get(tour.next) if tour.next else None
        self.tour_end.show_end(tour, self._check_question(tour), next_tour)
        self._tour_dock().hide()
        self._end_dock.show()
        self._ctx.window.resizeDocks([self._end_dock], [self.tour_end.sizeHint().height()], Qt.Orientation.Vertical)
        return self.tour_end

    def _check_question(self, tour: Tour):  # noqa: ANN202 - app.quiz.questions.Question | None
        learner, mc = self._ctx.learner, self._ctx.model()
        if tour.check is None or learner is None:
            return None
        from app.quiz.learning import tour_check_question

        return tour_check_question(tour, learner.bank(), mc.model if mc is not None else None,
                                   self._ctx.content.root, content=self._ctx.content)

    def _hide_tour_end(self) -> None:
        if self._end_dock is not None:
            self._end_dock.hide()

    def _on_tour_end_back_requested(self) -> None:
        self._hide_tour_end()
        if self.runner.tour is not None:
            self._tour_dock().show()

    def _on_tour_end_check_requested(self, question) -> None:  # noqa: ANN001 - app.quiz.questions.Question
        start_quiz = self._ctx.library.start_quiz
        if start_quiz is None:
            self._ctx.post("The quiz is not available in this window")
        else:
            start_quiz("practice", questions=(question,))

    def _on_runner_step_changed(self, tour: Tour | None, index: int) -> None:
        self._hide_tour_end()  # a step shows, or the tour was left: the recap goes
        dock = self._tour_dock()
        dock.setVisible(tour is not None)
        if tour is not None:
            self.tour_panel.show_step(tour, index)
        for act in (self.act_tour_leave, self.act_tour_next, self.act_tour_prev):
            act.setEnabled(tour is not None)
        self.act_tour_resume.setEnabled(tour is None and self.runner.resumable is not None)
        if tour is not None:
            self._ctx.post(f"Tour “{tour.title}”, step {index + 1} of {len(tour.steps)}")

    # --- the lecturer's hands on the diagram: focus, spotlight, presenter notes (app/ui/lecture/stage.py) ---
    def _install_stage(self, ctx: FeatureContext, menu: QMenu) -> None:
        from app.ui.lecture.stage import Stage

        self.stage = Stage(ctx, self.runner, menu, lambda: self.tour_panel)

    # --- recording the lecturer's own tours ----------------------------------------------------
    def _install_recording(self, ctx: FeatureContext, menu: QMenu) -> None:
        """Teach ▸ Record a tour and Edit my tours; user tours reload when another feature installs some."""
        self.act_record = ctx.add_action("Recor&d a tour…", self.record_tour, ["Ctrl+Shift+T"],
                                         "Record your own tour: set up each step, type its caption, add it")
        self.edit_tours_menu = QMenu("&Edit my tours", ctx.window)
        self.edit_tours_menu.setToolTipsVisible(True)
        self.edit_tours_menu.aboutToShow.connect(self._fill_edit_tours_menu)
        menu.addSeparator()
        menu.addAction(self.act_record)
        menu.addMenu(self.edit_tours_menu)
        ctx.library.start_tour = self.start_tour
        ctx.library.changed.connect(self._on_library_changed)

    def _on_library_changed(self, kind: str) -> None:
        if kind == "tours":
            self.runner.reload()
        elif kind == "questions" and self._poll is not None:
            self._poll.reload()

    def open_recorder(self) -> TourRecorder | None:
        """The recorder in its dock (built on first use; None until the model has loaded)."""
        if self._ctx.model() is None:
            self._ctx.post("The model is still loading; record a tour in a moment")
            return None
        if self.recorder is None:
            from app.ui.lecture.recorder import TourRecorder

            self.recorder = TourRecorder(self._ctx, self.runner, post=self._ctx.post)
            # Under the diagram, so that the path explorer on the right stays open beside it.
            self._recorder_dock = self._ctx.add_dock("Record a tour", "tour_recorder_dock", self.recorder,
                                                     bottom=True)
            self._ctx.window.resizeDocks([self._recorder_dock], [RECORDER_HEIGHT], Qt.Orientation.Vertical)
        if self.runner.tour is not None:
            self.runner.leave()  # recording shows the app as the lecturer sets it, not a tour's step
        self._recorder_dock.show()
        self._recorder_dock.raise_()
        return self.recorder

    def record_tour(self) -> TourRecorder | None:
        recorder = self.open_recorder()
        if recorder is not None and (recorder.draft.steps or recorder.saved_name):
            recorder.new_tour()
        elif recorder is not None:
            recorder.title_edit.setFocus()
        return recorder

    def edit_tour(self, tour_id: str) -> TourRecorder | None:
        """Open one of the user's tours in the recorder."""
        tour = self.runner.tours.get(tour_id)
        if tour is None or not tour_id.startswith(USER_TOUR):
            self._ctx.post(f"No tour of yours named {tour_id!r}")
            return None
        recorder = self.open_recorder()
        if recorder is not None:
            from app.knowledge.tour_draft import TourDraft

            recorder.load(TourDraft.from_tour(tour))
        return recorder

    def _fill_edit_tours_menu(self) -> None:
        menu = self.edit_tours_menu
        menu.clear()
        if self._ctx.model() is None:
            menu.addAction("(the model is loading…)").setEnabled(False)
            return
        mine = [(tid, t) for tid, t in self.runner.tours.items() if tid.startswith(USER_TOUR)]
        for tid, tour in mine:
            act = menu.addAction(f"{tour.title.replace('&', '&&')} ({len(tour.steps)} steps)")
            act.setObjectName(f"edit:{tid}")
            act.setToolTip(tour.summary)
            act.triggered.connect(lambda _=False, t=tid: self.edit_tour(t))
        if not mine:
            menu.addAction("(none yet: Teach ▸ Record a tour)").setEnabled(False)

