"""Guided tours: a runner that steps through content/tours/*.yaml, the tour bar that shows a step,
and what a session file keeps of a tour.

Each step sets the sliders, scenario and treatments it names, marks nodes, lights a path (the
tour's overlay layer), shows only its build-up's parts or fades all but its focus, opens a page and
plays its years. The state at a step is worked out from the tour alone (app.knowledge.tour_plan),
so Previous and Resume land exactly where Next did."""

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
PINNED = "pinned"  # the session part of the pinned runs (the comparison feature's)


class TourRunner(QObject):
    """Holds the running tour and its step; applies a step to the model and the views."""

    step_changed = Signal(object, int)  # Tour or None, step index
    message_posted = Signal(str)
    finished = Signal(object)  # Tour: its last step was reached (once per start)
    ended = Signal(object)  # Tour: Next on its last step, for the recap

    def __init__(self, ctx: FeatureContext) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self._tours: dict[str, Tour] | None = None
        self.tour: Tour | None = None
        self.index = 0
        self._plans: tuple[StepPlan, ...] = ()
        self._shown: tuple = ()  # per step: what a build-up shows (Visibility, or None: everything)
        self._last: tuple[str, int] | None = None  # the tour left, for "Resume"
        self._finished_sent = False
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
    def start(self, tour_id: str, step: int = 0, *, fresh: bool = True) -> bool:
        """Begin (or, `fresh` False, resume) a tour at `step`; the model is rebuilt to that step's state.
        A fresh start clears the pinned runs; resuming (a session file's tour) keeps them."""
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

        cleared = self._clear_pinned() if fresh else False
        self.tour, self.index = tour, 0
        self._finished_sent = False
        self._plans = plan(tour, mc.scenarios)
        self._shown = tour.visibility()
        self._rebuild(max(0, min(int(step), len(tour.steps) - 1)))
        if cleared:  # said after the step's own message, which would hide it
            self.message_posted.emit(f"Tour “{tour.title}” starts from its own state: pinned runs cleared, the "
                                     "colours show the change from the reference")
        return True

    def _clear_pinned(self) -> bool:
        """A tour starts from its own state: no pinned runs, so the colours are the change from the
        reference for every student who takes it (through the comparison's session part: clearing
        them is restoring a session that has none). True if there were some."""
        part = self.ctx.session_parts.get(PINNED)
        if part is None or not part.save():
            return False
        part.restore(None)
        return True

    def resume(self, tour_id: str, step: int) -> bool:
        return self.start(tour_id, step, fresh=False)

    def next(self) -> bool:
        if self.tour is None:
            return False
        if self.index + 1 >= len(self.tour.steps):
            self.ended.emit(self.tour)  # on to the recap and the check question
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
        self._shown = ()
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
        # A build-up draws only what it has revealed so far (its focus, if any, waits for the whole
        # diagram); otherwise a focus fades the rest to context.
        shown = self._shown[index] if index < len(self._shown) else None
        if shown is not None:
            scene.set_visibility(Layer.TOUR, shown.nodes, shown.edges, mode="hide")
        elif step.focus is not None:
            scene.set_visibility(Layer.TOUR, step.focus.nodes, step.focus.edges, mode="dim")
        else:
            scene.set_visibility(Layer.TOUR, None)
        if step.page:
            self.ctx.open_link(step.page)
        if p.play_years > 0:
            mc.play_until(mc.state.t_years + p.play_years, TOUR_SPEED)
        self.step_changed.emit(self.tour, index)
        if index == len(self.tour.steps) - 1 and not self._finished_sent:
            self._finished_sent = True
            self.finished.emit(self.tour)


class TourPanel(QWidget):
    """The tour bar: title, step indicator, the step's caption, Previous / Next / Leave."""

    def __init__(self, runner: TourRunner, open_link: Callable[[str], None]) -> None:
        super().__init__()
        self.runner = runner
        self._dock_pending = False
        self.headline_only = False
        self._shown: tuple[Tour, int] | None = None
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

    def set_headline_only(self, on: bool) -> None:
        """The hall sees only the step's one-line headline (the presenter notes window has the caption)."""
        if on != self.headline_only:
            self.headline_only = on
            if self._shown is not None:
                self.show_step(*self._shown)

    def show_step(self, tour: Tour | None, index: int) -> None:
        if tour is None:
            return
        from app.knowledge.render import markdown_to_html

        self._shown = (tour, index)
        n = len(tour.steps)
        self.title.setText(f"<b>{html.escape(tour.title)}</b>")
        self.title.setToolTip(tip(f"{tour.title}: about {tour.minutes:g} min"))
        dots = "".join("●" if i == index else "○" for i in range(n))
        step = tour.steps[index]
        plays = f" · plays {step.years:g} year{'s' if step.years != 1 else ''}" if step.years else ""
        self.indicator.setText(f"Step {index + 1} of {n}  {dots}{plays}")
        self.indicator.setToolTip(f"Step {index + 1} of {n}" + (f"; the model{plays[2:]}" if plays else ""))
        if self.headline_only:  # the presenter notes window has the whole caption
            from app.knowledge.teacher_handout import headline

            self.caption.setHtml(f"<p style='font-size: x-large'><b>{html.escape(headline(step.caption))}</b></p>")
        else:
            self.caption.setHtml(markdown_to_html(step.caption))
        self.prev_button.setEnabled(index > 0)
        last = index + 1 == n
        self.next_button.setText("Recap ▶" if last else "Next ▶")
        self.next_button.setToolTip("The tour's recap and check question (Page Down)" if last else
                                    "Next step (Page Down, or → in presentation mode)")
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
