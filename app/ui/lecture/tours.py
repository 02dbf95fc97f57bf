"""Guided tours: a runner that steps through content/tours/*.yaml, the tour bar that shows a step,
and what a session file keeps of a tour.

Each step sets the sliders, scenario and treatments it names, marks nodes, lights a path (the
tour's overlay layer), opens a page and plays its years. The state at a step is worked out from
the tour alone (app.knowledge.tour_plan), so Previous and Resume land exactly where Next did."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from app.paths import resources_dir
from app.ui.diagram.overlays import Layer
from app.ui.text import SafeBrowser, tip

if TYPE_CHECKING:
    from app.knowledge.tour_plan import StepPlan
    from app.knowledge.tours import Tour
    from app.ui.context import FeatureContext

TOUR_SPEED = 1.0  # model years per second while a step plays


class TourRunner(QObject):
    """Holds the running tour and its step; applies a step to the model and the views."""

    step_changed = Signal(object, int)  # Tour or None, step index
    message_posted = Signal(str)

    def __init__(self, ctx: FeatureContext) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self._tours: dict[str, Tour] | None = None
        self.tour: Tour | None = None
        self.index = 0
        self._plans: tuple[StepPlan, ...] = ()
        self._last: tuple[str, int] | None = None  # the tour left, for "Resume"
        self.user_problems: list = []  # Problem: why a file among the user's own tours was not loaded

    # --- data ---
    @property
    def tours(self) -> dict[str, Tour]:
        if self._tours is None:
            from app.knowledge.tours import load_tours
            from app.knowledge.userdata import TOURS, user_folder

            mc = self.ctx.model()
            scenarios = list(mc.scenarios) if mc else None
            treatments = list(mc.model.treatments) if mc else None
            # The lecturer's own tours (user:<name>, recorded or from a lesson pack) after the built-ins.
            self._tours, problems = load_tours(self.ctx.content.root, self.ctx.content.pathway,
                                               scenarios, treatments, user_folder=user_folder(TOURS))
            self.user_problems = [p for p in problems if p.file.endswith("(your tours)")]
        return self._tours

    def reload(self) -> None:
        """Read the tours again on next use (a user tour was saved, installed or deleted)."""
        self._tours = None

    def position(self) -> tuple[str, int] | None:
        return (self.tour.id, self.index) if self.tour else None

    @property
    def resumable(self) -> tuple[str, int] | None:
        return self._last

    # --- moving ---
    def start(self, tour_id: str, step: int = 0) -> bool:
        """Begin (or resume) a tour at `step`; the model is rebuilt to that step's state."""
        mc = self.ctx.model()
        if mc is None:
            self.message_posted.emit("The model is still loading; try the tour again in a moment")
            return False
        tour = self.tours.get(tour_id)
        if tour is None:
            known = ", ".join(sorted(self.tours)) or "none"
            self.message_posted.emit(f"Unknown tour {tour_id!r} (tours: {known})")
            return False
        if not tour.steps:
            self.message_posted.emit(f"Tour {tour_id!r} has no steps")
            return False
        from app.knowledge.tour_plan import plan

        self.tour, self.index = tour, 0
        self._plans = plan(tour, mc.scenarios)
        self._rebuild(max(0, min(int(step), len(tour.steps) - 1)))
        return True

    def resume(self, tour_id: str, step: int) -> bool:
        return self.start(tour_id, step)

    def next(self) -> bool:
        if self.tour is None:
            return False
        if self.index + 1 >= len(self.tour.steps):
            self.message_posted.emit("Last step of the tour: Leave tour ends it (Teach ▸ Leave tour)")
            return False
        mc = self.ctx.model()
        if mc is not None:
            mc.finish_play()  # the step's years count fully, as when arriving from elsewhere
        self._enter(self.index + 1)
        return True

    def previous(self) -> bool:
        if self.tour is None or self.index == 0:
            return False
        self._rebuild(self.index - 1)
        return True

    def go_to(self, index: int) -> None:
        if self.tour is not None and 0 <= index < len(self.tour.steps) and index != self.index:
            self._rebuild(index)

    def leave(self) -> None:
        if self.tour is None:
            return
        self._last = (self.tour.id, self.index)
        mc = self.ctx.model()
        if mc is not None:
            mc.set_playing(False)
        self.tour = None
        self._plans = ()
        self.ctx.diagram.clear_overlay(Layer.TOUR)
        self.step_changed.emit(None, 0)
        self.message_posted.emit("Tour left: Teach ▸ Resume tour brings you back to the same step")

    # --- applying ---
    def _rebuild(self, index: int) -> None:
        """Reset, then replay every earlier step at once so step `index` starts as it would."""
        mc = self.ctx.model()
        assert mc is not None and self.tour is not None
        mc.reset_all()
        for p in self._plans[:index]:
            mc.set_inputs(p.inputs, scenario=p.scenario, explain=False)
            if p.play_years > 0:
                mc.advance(p.play_years * 365.25)
        self._enter(index)

    def _enter(self, index: int) -> None:
        mc = self.ctx.model()
        assert mc is not None and self.tour is not None
        self.index = index
        step, p = self.tour.steps[index], self._plans[index]
        mc.set_inputs(p.inputs, scenario=p.scenario)
        mc.explain_now()
        scene = self.ctx.diagram
        scene.set_marked(Layer.TOUR, step.highlight)
        path = step.path  # a step without one leaves the diagram to the layers below (the "why" trace)
        scene.set_lit(Layer.TOUR, path or None, zip(path, path[1:], strict=False))
        if step.page:
            self.ctx.open_link(step.page)
        if p.play_years > 0:
            mc.play_until(mc.state.t_years + p.play_years, TOUR_SPEED)
        self.step_changed.emit(self.tour, index)


class TourPanel(QWidget):
    """The tour bar: title, step indicator, the step's caption, Previous / Next / Leave."""

    def __init__(self, runner: TourRunner, open_link: Callable[[str], None]) -> None:
        super().__init__()
        self.runner = runner
        self._dock_pending = False
        self.setAccessibleName("Guided tour")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.indicator = QLabel()
        self.indicator.setAccessibleName("Tour step")
        content = runner.ctx.content
        self.caption = SafeBrowser(image_roots=[content.root, resources_dir()])  # as the pages
        self.caption.setAccessibleName("Tour caption")
        self.caption.anchorClicked.connect(lambda url: open_link(url.toString()))
        self.prev_button = QPushButton("◀ Previous")
        self.prev_button.setToolTip("Previous step (Page Up, or ← in presentation mode)")
        self.next_button = QPushButton("Next ▶")
        self.next_button.setToolTip("Next step (Page Down, or → in presentation mode)")
        self.next_button.setDefault(True)
        self.leave_button = QPushButton("Leave tour")
        self.leave_button.setToolTip("End the tour here; Teach ▸ Resume tour comes back to this step")
        self.prev_button.clicked.connect(runner.previous)
        self.next_button.clicked.connect(runner.next)
        self.leave_button.clicked.connect(runner.leave)
        # Compact: one row of title, step and buttons over a caption as tall as its text (up to
        # MAX_CAPTION_LINES), so the bar takes no room from the diagram and plots it does not use.
        self.title.setWordWrap(True)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.indicator)
        for b in (self.prev_button, self.next_button, self.leave_button):
            head.addWidget(b)
        self.caption.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 6)
        lay.setSpacing(4)
        lay.addLayout(head)
        lay.addWidget(self.caption)

    def show_step(self, tour: Tour | None, index: int) -> None:
        if tour is None:
            return
        from app.knowledge.render import markdown_to_html

        n = len(tour.steps)
        self.title.setText(f"<b>{html.escape(tour.title)}</b>")
        self.title.setToolTip(tip(f"{tour.title}: about {tour.minutes:g} min"))
        dots = "".join("●" if i == index else "○" for i in range(n))
        step = tour.steps[index]
        plays = f" · plays {step.years:g} year{'s' if step.years != 1 else ''}" if step.years else ""
        self.indicator.setText(f"Step {index + 1} of {n}  {dots}{plays}")
        self.indicator.setToolTip(f"Step {index + 1} of {n}" + (f"; the model{plays[2:]}" if plays else ""))
        self.caption.setHtml(markdown_to_html(step.caption))
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index + 1 < n)
        self.fit_caption()

    MAX_CAPTION_LINES = 6

    def fit_caption(self) -> None:
        """The caption box as tall as its text at its width (a scroll bar beyond MAX_CAPTION_LINES),
        and the bar's dock as tall as the bar."""
        doc = self.caption.document()
        bar = self.caption.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        frame = 2 * self.caption.frameWidth() + 4
        doc.setTextWidth(max(50, self.caption.width() - frame - bar))  # as wrapped with a scroll bar
        line = self.caption.fontMetrics().lineSpacing()
        height = min(int(doc.size().height()) + frame, self.MAX_CAPTION_LINES * line + frame)
        if height != self.caption.height():
            self.caption.setFixedHeight(max(2 * line + frame, height))
        if not self._dock_pending:  # once the bar's layout has taken the new caption in
            self._dock_pending = True
            QTimer.singleShot(0, self._fit_dock)

    def _fit_dock(self) -> None:
        self._dock_pending = False
        dock = self.parentWidget()
        window = dock.parentWidget() if dock is not None else None
        if isinstance(dock, QDockWidget) and isinstance(window, QMainWindow) and dock.isVisible():
            window.resizeDocks([dock], [dock.minimumSizeHint().height()], Qt.Orientation.Vertical)

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_caption()  # the text wraps anew

    def changeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fit_caption()  # presentation mode's larger font


class TourPart:
    """A session keeps the tour and step it was on (`tour`: [id, step]) and resumes it on opening."""

    key = "tour"

    def __init__(self, runner: TourRunner) -> None:
        self.runner = runner

    def save(self) -> tuple[str, int] | None:
        return self.runner.position()

    def check(self, value: Any) -> list[str]:
        if value is None:
            return []
        from app.knowledge.session import Session, check_ids
        from app.model.simulation import Inputs

        # The file format's own check of a tour, so its messages read like every other field's.
        lengths = {tid: len(t.steps) for tid, t in self.runner.tours.items()}
        return check_ids(Session(inputs=Inputs.reference(), tour=tuple(value)), treatments=(), nodes=(),
                         scenarios=(), tours=lengths)

    def restore(self, value: Any) -> list[str]:
        if value is None:
            self.runner.leave()
            return []
        tour_id, step = value
        if not self.runner.resume(tour_id, step):
            return [f"tour {tour_id!r} could not be resumed"]
        return []

    def clear(self) -> None:
        self.runner.leave()
