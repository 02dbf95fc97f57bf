"""The lecture feature: the Teach menu with guided tours, presentation mode and inquiry mode, the tour
bar at the bottom (built on first use), and the tour's place in session files."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from app.ui.lecture.tours import TourPanel, TourPart, TourRunner
from app.ui.text import no_mnemonic, tip

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from app.knowledge.tours import Tour
    from app.ui.context import FeatureContext
    from app.ui.lecture.inquiry import Inquiry
    from app.ui.lecture.presentation import Presentation

TOUR_BAR_HEIGHT = 190


class LectureFeature:
    """`runner`, `tour_panel` (None until a tour starts), `presentation` and `inquiry` (made on first
    use), `tours_menu` and the Teach menu's actions."""

    name = "lecture"

    def __init__(self) -> None:
        self.tour_panel: TourPanel | None = None
        self._dock: QDockWidget | None = None
        self._presentation: Presentation | None = None
        self._inquiry: Inquiry | None = None

    def install(self, ctx: FeatureContext) -> None:
        self._ctx = ctx
        self.runner = runner = TourRunner(ctx)
        runner.message_posted.connect(ctx.post)
        runner.step_changed.connect(self._on_runner_step_changed)
        ctx.session_parts.add(TourPart(runner))
        runner.step_changed.connect(lambda *_: ctx.session_parts.changed.emit())

        menu = ctx.add_menu("teach", "&Teach")
        self.act_presentation = ctx.add_action("&Presentation mode", lambda: self.presentation.toggle(), ["F5"],
                                               "Full screen, large and high-contrast for a projector; Esc leaves")
        self.act_presentation.setCheckable(True)
        self._act_escape = ctx.add_action("Leave presentation", lambda: self.presentation.leave(), ["Esc"],
                                          "Leave presentation mode")
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
        menu.addSeparator()
        menu.addMenu(self.tours_menu)
        for act in (self.act_tour_next, self.act_tour_prev, self.act_tour_leave, self.act_tour_resume):
            menu.addAction(act)

    @property
    def presentation(self) -> Presentation:
        if self._presentation is None:
            from app.ui.lecture.presentation import Presentation

            self._presentation = Presentation(self._ctx, self.runner)
            self._presentation.changed.connect(self.act_presentation.setChecked)
            self._presentation.changed.connect(self._act_escape.setEnabled)
        return self._presentation

    @property
    def inquiry(self) -> Inquiry:
        if self._inquiry is None:
            from app.ui.lecture.inquiry import Inquiry

            self._inquiry = Inquiry(self._ctx)
            self._inquiry.changed.connect(self.act_inquiry.setChecked)
        return self._inquiry

    # --- tours ------------------------------------------------------------------------------
    def start_tour(self, tour_id: str) -> None:
        self._tour_dock()
        self.runner.start(tour_id)

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
            act = menu.addAction(f"&{i + 1}  {no_mnemonic(tour.title)} ({tour.minutes:g} min)")
            act.setToolTip(tip(tour.summary))
            act.setObjectName(f"tour:{tid}")
            act.triggered.connect(lambda _=False, t=tid: self.start_tour(t))
        if not self.runner.tours:
            menu.addAction("(no tours in content/tours)").setEnabled(False)

    def _on_runner_step_changed(self, tour: Tour | None, index: int) -> None:
        dock = self._tour_dock()
        dock.setVisible(tour is not None)
        if tour is not None:
            self.tour_panel.show_step(tour, index)
        for act in (self.act_tour_leave, self.act_tour_next, self.act_tour_prev):
            act.setEnabled(tour is not None)
        self.act_tour_resume.setEnabled(tour is None and self.runner.resumable is not None)
        if tour is not None:
            self._ctx.post(f"Tour “{tour.title}”, step {index + 1} of {len(tour.steps)}")
