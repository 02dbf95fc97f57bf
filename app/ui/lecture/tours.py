"""Tools for the lecture hall: guided tours, presentation mode and inquiry mode.

- A tour runner steps through content/tours/*.yaml: each step sets the sliders, scenario and
  treatments it names, highlights nodes, traces a path, opens a page and plays its years. The
  state at a step is worked out from the tour alone (app.knowledge.tour_plan), so Previous and
  Resume land exactly where Next did.
- Presentation mode (F5, Esc leaves): full screen, bars hidden, everything larger (Ctrl+= / Ctrl+-,
  remembered), a high-contrast projector look; clicker keys (Page Up / Page Down, arrows) step
  the tour.
- Inquiry mode (Ctrl+I): plots, readouts and colouring hidden so the class predicts first.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.ui.diagram.overlays import Layer

if TYPE_CHECKING:
    from app.knowledge.tour_plan import StepPlan
    from app.knowledge.tours import Tour
    from app.ui.shell.main_window import MainWindow

TOUR_SPEED = 1.0  # model years per second while a step plays
SCALE_DEFAULT = 1.4
SCALE_MIN, SCALE_MAX = 1.0, 3.0
NEXT_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space)
PREV_KEYS = (Qt.Key.Key_PageUp, Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_Backspace)


# --- tours -------------------------------------------------------------------------------------
class TourRunner(QObject):
    """Holds the running tour and its step; applies a step to the model and the views."""

    step_changed = Signal(object, int)  # Tour or None, step index
    message_posted = Signal(str)

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._tours: dict[str, Tour] | None = None
        self.tour: Tour | None = None
        self.index = 0
        self._plans: tuple[StepPlan, ...] = ()
        self._last: tuple[str, int] | None = None  # the tour left, for "Resume"

    # --- data ---
    @property
    def tours(self) -> dict[str, Tour]:
        if self._tours is None:
            from app.knowledge.tours import load_tours

            mc = self.window.model_controller
            scenarios = list(mc.scenarios) if mc else None
            treatments = list(mc.model.treatments) if mc else None
            self._tours, _problems = load_tours(self.window.content.root, self.window.content.pathway,
                                                scenarios, treatments)
        return self._tours

    def position(self) -> tuple[str, int] | None:
        return (self.tour.id, self.index) if self.tour else None

    @property
    def resumable(self) -> tuple[str, int] | None:
        return self._last

    # --- moving ---
    def start(self, tour_id: str, step: int = 0) -> bool:
        """Begin (or resume) a tour at `step`; the model is rebuilt to that step's state."""
        mc = self.window.model_controller
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
        mc = self.window.model_controller
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
        mc = self.window.model_controller
        if mc is not None:
            mc.set_playing(False)
        self.tour = None
        self._plans = ()
        self.window.scene.clear_overlay(Layer.TOUR)
        self.step_changed.emit(None, 0)
        self.message_posted.emit("Tour left: Teach ▸ Resume tour brings you back to the same step")

    # --- applying ---
    def _rebuild(self, index: int) -> None:
        """Reset, then replay every earlier step at once so step `index` starts as it would."""
        mc = self.window.model_controller
        assert mc is not None and self.tour is not None
        mc.reset_all()
        for p in self._plans[:index]:
            mc.set_inputs(p.inputs, scenario=p.scenario, explain=False)
            if p.play_years > 0:
                mc.advance(p.play_years * 365.25)
        self._enter(index)

    def _enter(self, index: int) -> None:
        mc = self.window.model_controller
        assert mc is not None and self.tour is not None
        self.index = index
        step, p = self.tour.steps[index], self._plans[index]
        mc.set_inputs(p.inputs, scenario=p.scenario)
        mc.explain_now()
        scene = self.window.scene
        scene.set_marked(Layer.TOUR, step.highlight)
        path = step.path  # a step without one leaves the diagram to the layers below (the "why" trace)
        scene.set_lit(Layer.TOUR, path or None, zip(path, path[1:], strict=False))
        if step.page:
            self.window.panel.follow_link(step.page)
        if p.play_years > 0:
            mc.play_until(mc.state.t_years + p.play_years, TOUR_SPEED)
        self.step_changed.emit(self.tour, index)


class TourPanel(QWidget):
    """The tour bar: title, step indicator, the step's caption, Previous / Next / Leave."""

    def __init__(self, runner: TourRunner, window: MainWindow) -> None:
        super().__init__()
        self.runner = runner
        self.window = window
        self.setAccessibleName("Guided tour")
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.indicator = QLabel()
        self.indicator.setAccessibleName("Tour step")
        self.caption = QTextBrowser()
        self.caption.setOpenLinks(False)
        self.caption.setAccessibleName("Tour caption")
        self.caption.anchorClicked.connect(lambda url: window.panel.follow_link(url.toString()))
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
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.indicator)
        buttons = QVBoxLayout()
        for b in (self.prev_button, self.next_button, self.leave_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.caption, 1)
        body.addLayout(buttons)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 4, 8, 6)
        lay.addLayout(head)
        lay.addLayout(body, 1)

    def show_step(self, tour: Tour | None, index: int) -> None:
        if tour is None:
            return
        from app.knowledge.render import markdown_to_html

        n = len(tour.steps)
        self.title.setText(f"<b>{html.escape(tour.title)}</b> · about {tour.minutes:g} min")
        dots = "".join("●" if i == index else "○" for i in range(n))
        self.indicator.setText(f"Step {index + 1} of {n}  {dots}")
        self.indicator.setToolTip(f"Step {index + 1} of {n}")
        step = tour.steps[index]
        extra = f"<p><i>Plays {step.years:g} model year{'s' if step.years != 1 else ''}.</i></p>" if step.years else ""
        self.caption.setHtml(markdown_to_html(step.caption) + extra)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index + 1 < n)


# --- presentation ------------------------------------------------------------------------------
def projector_palette() -> QPalette:
    """Black on white with strong accents: readable from the back of a lit lecture hall."""
    pal = QPalette()
    white, black = QColor("#FFFFFF"), QColor("#000000")
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button,
                 QPalette.ColorRole.AlternateBase, QPalette.ColorRole.ToolTipBase):
        pal.setColor(role, white)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText,
                 QPalette.ColorRole.ToolTipText, QPalette.ColorRole.BrightText):
        pal.setColor(role, black)
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#0072B2"))
    pal.setColor(QPalette.ColorRole.HighlightedText, white)
    pal.setColor(QPalette.ColorRole.Link, QColor("#0050A0"))
    return pal


class Presentation(QObject):
    """Full screen, bars hidden, larger everything, projector colours; clicker keys step tours."""

    changed = Signal(bool)

    def __init__(self, window: MainWindow, runner: TourRunner) -> None:
        super().__init__(window)
        self.window = window
        self.runner = runner
        self.active = False
        self._saved: dict[str, object] = {}
        try:
            scale = float(QSettings().value("presentation/scale", SCALE_DEFAULT))
        except (TypeError, ValueError):
            scale = SCALE_DEFAULT
        self.scale = min(SCALE_MAX, max(SCALE_MIN, scale))
        # The application-wide event filter, font and palette must be undone before Qt tears down.
        QApplication.instance().aboutToQuit.connect(self.leave)
        window.destroyed.connect(self._uninstall)

    def _uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def toggle(self) -> None:
        self.leave() if self.active else self.enter()

    def enter(self) -> None:
        if self.active:
            return
        w = self.window
        app = QApplication.instance()
        self._saved = {
            "font": w.font(), "palette": w.palette(), "maximized": w.isMaximized(),
            "toolbar": w.toolbar.isVisible(), "menubar": w.menuBar().isVisible(),
            "status": w.statusBar().isVisible(), "scheme": w.panel.scheme, "font_scale": w.panel.font_scale,
            "splitter": w.splitter.sizes(), "node_dock": w.node_dock.isVisible(),
        }
        self.active = True
        # Font and palette are set on the window (its docks and panels inherit them), never
        # application-wide: Qt would replay an application change into half-destroyed widgets
        # at exit.
        w.setPalette(projector_palette())
        w.toolbar.hide()
        w.menuBar().hide()
        w.statusBar().hide()
        w.node_dock.hide()
        total = sum(w.splitter.sizes())
        w.splitter.setSizes([int(total * 0.68), total - int(total * 0.68)])  # the diagram gets the room
        self._apply_scale()
        self._style(True)
        app.installEventFilter(self)
        w.showFullScreen()
        QTimer.singleShot(0, w.view.fit_all)
        self.changed.emit(True)

    def leave(self) -> None:
        if not self.active:
            return
        w = self.window
        app = QApplication.instance()
        app.removeEventFilter(self)
        self.active = False
        w.setFont(self._saved["font"])
        w.setPalette(self._saved["palette"])
        w.toolbar.setVisible(bool(self._saved["toolbar"]))
        w.menuBar().setVisible(bool(self._saved["menubar"]))
        w.statusBar().setVisible(bool(self._saved["status"]))
        w.node_dock.setVisible(bool(self._saved["node_dock"]))
        w.splitter.setSizes(list(self._saved["splitter"]))
        w.panel.set_appearance(scheme=str(self._saved["scheme"]), font_scale=float(self._saved["font_scale"]))
        self._style(False)
        if self._saved["maximized"]:
            w.showMaximized()
        else:
            w.showNormal()
        QTimer.singleShot(0, w.view.fit_all)
        self.changed.emit(False)

    def adjust(self, factor: float) -> None:
        """Ctrl+= / Ctrl+- while presenting: scale everything; remembered for next time."""
        self.scale = round(min(SCALE_MAX, max(SCALE_MIN, self.scale * factor)), 3)
        QSettings().setValue("presentation/scale", self.scale)
        if self.active:
            self._apply_scale()
        self.window._post(f"Presentation scale {self.scale * 100:.0f} %")

    def _apply_scale(self) -> None:
        base = self._saved["font"]
        font = base.__class__(base)
        size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
        font.setPointSizeF(size * self.scale)
        self.window.setFont(font)
        # Page text grows more gently than the rest: headings are already large.
        page_scale = float(self._saved["font_scale"]) * (1 + (self.scale - 1) * 0.5)
        self.window.panel.set_appearance(scheme="light", font_scale=min(2.0, page_scale))

    def _style(self, on: bool) -> None:
        w = self.window
        for target, name in ((w.scene, "set_projector_style"), (w.plots, "set_presentation")):
            fn = getattr(target, name, None)
            if fn is not None:
                fn(on)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001
        """Clicker keys step the tour while presenting (before any shortcut or widget sees them)."""
        if not self.active or self.runner.tour is None:
            return False
        if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        key = event.key()
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier or key not in (*NEXT_KEYS, *PREV_KEYS):
            return False
        focus = QApplication.focusWidget()
        if focus is not None and focus.inherits("QLineEdit"):
            return False  # typing in a search box
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()
            return True
        if not event.isAutoRepeat():
            self.runner.next() if key in NEXT_KEYS else self.runner.previous()
        return True


# --- installation ---------------------------------------------------------------------------
def install(window: MainWindow) -> None:
    """The Teach menu, the tour bar (built on first use), presentation and inquiry actions."""
    runner = TourRunner(window)
    window.tour_runner = runner
    runner.message_posted.connect(window._post)
    presentation = Presentation(window, runner)
    window.presentation = presentation

    dock_holder: dict[str, QDockWidget] = {}

    def dock() -> QDockWidget:
        if "dock" not in dock_holder:
            d = QDockWidget("Guided tour", window)
            d.setObjectName("tour_dock")
            d.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.TopDockWidgetArea)
            panel = TourPanel(runner, window)
            d.setWidget(panel)
            window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, d)
            window.resizeDocks([d], [190], Qt.Orientation.Vertical)
            window.tour_panel = panel
            dock_holder["dock"] = d
        return dock_holder["dock"]

    def on_step_changed(tour: Tour | None, index: int) -> None:
        d = dock()
        d.setVisible(tour is not None)
        if tour is not None:
            d.widget().show_step(tour, index)
        act_leave.setEnabled(tour is not None)
        act_next.setEnabled(tour is not None)
        act_prev.setEnabled(tour is not None)
        act_resume.setEnabled(tour is None and runner.resumable is not None)
        if tour is not None:
            window._post(f"Tour “{tour.title}”, step {index + 1} of {len(tour.steps)}")

    runner.step_changed.connect(on_step_changed)

    def start(tour_id: str) -> None:
        dock()
        runner.start(tour_id)

    def resume() -> None:
        last = runner.resumable
        if last is not None:
            dock()
            runner.resume(*last)

    menu = QMenu("&Teach", window)
    window.menus["teach"] = menu
    window.menuBar().insertMenu(window.menus["help"].menuAction(), menu)
    window.act_presentation = window._action("&Presentation mode", presentation.toggle, ["F5"],
                                             "Full screen, large and high-contrast for a projector; Esc leaves")
    window.act_presentation.setCheckable(True)
    presentation.changed.connect(window.act_presentation.setChecked)
    act_escape = window._action("Leave presentation", presentation.leave, ["Esc"], "Leave presentation mode")
    act_escape.setEnabled(False)
    presentation.changed.connect(act_escape.setEnabled)
    window.act_inquiry = window._action("&Inquiry mode (hide results)", window.set_inquiry_toggle, ["Ctrl+I"],
                                        "Hide the plots, readouts and colours so the class predicts first; "
                                        "again to reveal")
    window.act_inquiry.setCheckable(True)
    tours_menu = menu.addMenu("Guided &tours")
    tours_menu.setToolTipsVisible(True)

    def fill_tours() -> None:
        tours_menu.clear()
        if window.model_controller is None:
            tours_menu.addAction("(the model is loading…)").setEnabled(False)
            return
        for i, (tid, tour) in enumerate(runner.tours.items()):
            act = tours_menu.addAction(f"&{i + 1}  {tour.title} ({tour.minutes:g} min)")
            act.setToolTip(tour.summary)
            act.setObjectName(f"tour:{tid}")
            act.triggered.connect(lambda _=False, t=tid: start(t))
        if not runner.tours:
            tours_menu.addAction("(no tours in content/tours)").setEnabled(False)

    tours_menu.aboutToShow.connect(fill_tours)
    window.tours_menu = tours_menu
    window.start_tour = start
    act_next = window._action("&Next tour step", runner.next, ["PgDown"], "Next step of the tour")
    act_prev = window._action("P&revious tour step", runner.previous, ["PgUp"], "Previous step of the tour")
    act_leave = window._action("&Leave tour", runner.leave, [], "End the tour; it can be resumed")
    act_resume = window._action("Res&ume tour", resume, [], "Back to the step where the tour was left")
    for act in (act_next, act_prev, act_leave, act_resume):
        act.setEnabled(False)
    window.act_tour_next, window.act_tour_prev = act_next, act_prev
    window.act_tour_leave, window.act_tour_resume = act_leave, act_resume
    menu.addAction(window.act_presentation)
    menu.addAction(window.act_inquiry)
    menu.addSeparator()
    menu.addMenu(tours_menu)
    for act in (act_next, act_prev, act_leave, act_resume):
        menu.addAction(act)

