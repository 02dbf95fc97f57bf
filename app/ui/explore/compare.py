"""Run comparison: pin up to three named runs; the plots draw them dashed beside the live run and
the diagram colours each node by its difference from the chosen pinned run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.knowledge.pinned import MAX_PINS
from app.ui.diagram.overlays import Layer
from app.ui.text import plain_label

# What a session file holds for a pinned run's name (app.knowledge.session.MAX_NAME_CHARS, which
# module is kept off the start-up path): a longer name is cut, so the session still saves.
MAX_NAME_CHARS = 32_767

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from app.knowledge.pinned import PinnedRun
    from app.ui.context import FeatureContext

PROJECTION_YEARS = 10.0  # a pinned run keeps where it was heading, so a run pinned at year 0 still draws
SHORT_NAME_CHARS = 40  # a name in a caption or a list: the whole of it is in the name's own box


def short_name(name: str) -> str:
    """A run's name shortened for the diagram's key and the combo box (a name may be 32,767 long)."""
    return name if len(name) <= SHORT_NAME_CHARS else name[: SHORT_NAME_CHARS - 1] + "…"


class Compare(QObject):
    """The pinned runs and which one colours the diagram."""

    pinned_changed = Signal()  # added, removed, renamed or restored
    colour_pin_changed = Signal(object)  # index of the pin colouring the diagram, or None

    message_posted = Signal(str)

    def __init__(self, ctx: FeatureContext) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self.pins: list[PinnedRun] = []
        self.colour_pin: int | None = None
        self._connected = False
        self._counter = 0
        ctx.model_ready.connect(self._on_window_model_ready)

    # --- public API -----------------------------------------------------------------------
    def pin(self, name: str | None = None) -> PinnedRun | None:
        """Pin the live run (history so far plus its projection); refused beyond MAX_PINS."""
        mc = self.ctx.model()
        if mc is None:
            self._say("The model is still loading: pin the run in a moment")
            return None
        if len(self.pins) >= MAX_PINS:
            self._say(f"{MAX_PINS} runs are pinned already: remove one (Compare runs panel) or clear them first")
            return None
        from app.knowledge.pinned import PinnedRun
        from app.knowledge.session import inputs_to_json

        t, formation, resorption, mass, *_ = mc.history()
        tr = mc.sim.project(PROJECTION_YEARS)
        skip = 1 if t and len(tr.t_years) and abs(tr.t_years[0] - t[-1]) < 1e-9 else 0
        self._counter += 1
        run = PinnedRun(
            name=(name or "").strip()[:MAX_NAME_CHARS].strip() or self._free_name(),
            inputs=inputs_to_json(mc.inputs),
            t=[*t, *tr.t_years.tolist()[skip:]],
            formation=[*formation, *tr.formation.tolist()[skip:]],
            resorption=[*resorption, *tr.resorption.tolist()[skip:]],
            mass=[*mass, *tr.bone_mass_pct.tolist()[skip:]],
            activities={k: float(v) for k, v in mc.state.activities.items()},
            t_pinned=float(mc.state.t_years),
        )
        self.pins.append(run)
        self._changed()
        self.set_colour_pin(len(self.pins) - 1)
        self._say(f"Pinned “{run.name}”: it stays dashed in the plots; the diagram now shows the "
                  "difference from it")
        return run

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.pins):
            name = self.pins.pop(index).name
            if self.colour_pin is not None:
                if self.colour_pin == index:
                    self.colour_pin = len(self.pins) - 1 if self.pins else None
                elif self.colour_pin > index:
                    self.colour_pin -= 1
            self._changed()
            self._recolour()
            self.colour_pin_changed.emit(self.colour_pin)
            self._say(f"Removed the pinned run “{name}”")

    def rename(self, index: int, name: str) -> None:
        name = name.strip()[:MAX_NAME_CHARS].strip()
        if 0 <= index < len(self.pins) and name and name != self.pins[index].name:
            self.pins[index].name = name
            self._changed()
            self._recolour()

    def clear(self) -> None:
        if not self.pins:
            self._say("No pinned runs to clear")
            return
        self.pins.clear()
        self.colour_pin = None
        self._counter = 0  # the next pin is "Run 1" again
        self._changed()
        self._recolour()
        self.colour_pin_changed.emit(None)
        self._say("Pinned runs cleared: the diagram shows the change from the reference again")

    def set_colour_pin(self, index: int | None) -> None:
        """Colour the diagram by live minus pinned run `index` (None: the normal colouring)."""
        if index is not None and not 0 <= index < len(self.pins):
            index = None
        if index != self.colour_pin:
            self.colour_pin = index
            self.colour_pin_changed.emit(index)
        self._recolour()

    def pinned_data(self) -> list[dict]:
        """Every pinned run as JSON-ready dicts (the sessions feature saves these)."""
        return [p.as_dict() for p in self.pins]

    def check_pinned(self, data: list[dict]) -> None:
        """Raises ValueError naming the run and field if `data` cannot be restored."""
        self._validate(data)

    def _validate(self, data: object) -> list[PinnedRun]:
        from app.knowledge.pinned import validate_pinned

        mc = self.ctx.model()
        return validate_pinned(data, mc.model if mc is not None else None)

    def restore_pinned(self, data: list[dict]) -> None:
        """Replace the pinned runs by saved ones; bad data raises ValueError and changes nothing."""
        runs = self._validate(data)
        self.pins = runs
        self._counter = max(self._counter, len(runs))
        self.colour_pin = None
        self._changed()
        self.set_colour_pin(len(runs) - 1 if runs else None)

    # --- views ------------------------------------------------------------------------------
    def _free_name(self) -> str:
        names = {p.name for p in self.pins}
        n = self._counter
        while f"Run {n}" in names:
            n += 1
        return f"Run {n}"

    def _say(self, text: str) -> None:
        self.message_posted.emit(text)

    def _changed(self) -> None:
        self.ctx.plots.set_references([(p.name, p.t, p.formation, p.resorption, p.mass) for p in self.pins])
        self.pinned_changed.emit()

    def _on_window_model_ready(self) -> None:
        mc = self.ctx.model()
        if mc is not None and not self._connected:
            mc.state_changed.connect(self._on_model_state_changed)
            self._connected = True
            self._recolour()

    def _on_model_state_changed(self, state) -> None:  # noqa: ANN001
        if self.colour_pin is not None:
            self._recolour()

    def _recolour(self) -> None:
        """Tint the diagram by the difference from the chosen pin (the explorer's layer of tints);
        without one, the diagram goes back to the change from the reference."""
        mc = self.ctx.model()
        if mc is None:
            return
        if self.colour_pin is None:
            self.ctx.diagram.set_changes(Layer.EXPLORER, None)
            return
        pin = self.pins[self.colour_pin]
        self.ctx.diagram.set_changes(Layer.EXPLORER, self.differences(mc.state),
                                      caption=f"Difference from the pinned run “{short_name(pin.name)}” (now − then):")

    def differences(self, state) -> dict[str, float]:  # noqa: ANN001
        """Live activity minus the chosen pinned run's, per node."""
        if self.colour_pin is None:
            return {}
        return self.pins[self.colour_pin].differences(state.activities)


class ComparePanel(QWidget):
    """The dock's contents: one row per pinned run (colour, editable name, settings, remove), the
    run that colours the diagram, pin and clear buttons, and a message line."""

    def __init__(self, compare: Compare) -> None:
        super().__init__()
        from app.ui.model.plots import REFERENCE_COLOURS

        self.compare = compare
        self._colours = REFERENCE_COLOURS
        self.setAccessibleName("Compare runs")
        v = QVBoxLayout(self)
        v.setContentsMargins(6, 6, 6, 6)
        self.intro = plain_label(wrap=True)
        v.addWidget(self.intro)
        self.rows = QGridLayout()
        self.rows.setColumnStretch(1, 1)
        v.addLayout(self.rows)
        self.name_edits: list[QLineEdit] = []
        self.remove_buttons: list[QToolButton] = []
        self._summaries: list[QLabel] = []
        h = QHBoxLayout()
        colours = QLabel("Diagram colours:")
        self.colour_combo = QComboBox()
        colours.setBuddy(self.colour_combo)  # on Linux a screen reader names a combo box by its label
        h.addWidget(colours)
        self.colour_combo.setAccessibleName("Which run the diagram compares with")
        self.colour_combo.setToolTip("Colour each node by its activity now minus its activity in this pinned run "
                                     "(orange: higher now, blue: lower now)")
        h.addWidget(self.colour_combo, 1)
        v.addLayout(h)
        h = QHBoxLayout()
        self.pin_button = QPushButton("Pin this run")
        self.pin_button.setToolTip("Keep the current run as a dashed reference (Ctrl+B)")
        self.pin_button.setAccessibleName("Pin this run")
        self.pin_button.clicked.connect(lambda: compare.pin())
        self.clear_button = QPushButton("Clear all")
        self.clear_button.setToolTip("Remove every pinned run (Ctrl+Shift+B)")
        self.clear_button.setAccessibleName("Clear pinned runs")
        self.clear_button.clicked.connect(compare.clear)
        h.addWidget(self.pin_button)
        h.addWidget(self.clear_button)
        h.addStretch(1)
        v.addLayout(h)
        self.message = plain_label(wrap=True)  # messages name the runs: text from session files
        self.message.setAccessibleName("Compare message")
        v.addWidget(self.message)
        v.addStretch(1)
        self.colour_combo.currentIndexChanged.connect(self._on_colour_combo_changed)
        compare.pinned_changed.connect(self.refresh)
        compare.colour_pin_changed.connect(self._on_compare_colour_pin_changed)
        compare.message_posted.connect(self.message.setText)
        self.refresh()

    def refresh(self) -> None:
        pins = self.compare.pins
        n = len(pins)
        self.intro.setText(
            "Pin a run to keep it as a dashed reference in the plots; the diagram then shows how each node "
            f"differs from it. Up to {MAX_PINS} runs, each with a name you can edit."
            if not pins else f"{n} of {MAX_PINS} runs pinned. Edit a name and press Enter to rename it.")
        if len(self.name_edits) != n:
            self._rebuild_rows(n)
        for i, p in enumerate(pins):
            if not self.name_edits[i].hasFocus():
                self.name_edits[i].setText(p.name)
            self._summaries[i].setText(self._summary(p))
        self.colour_combo.blockSignals(True)
        self.colour_combo.clear()
        self.colour_combo.addItem("change from the reference (no pin)", None)
        for i, p in enumerate(pins):
            self.colour_combo.addItem(f"difference from “{short_name(p.name)}”", i)
        self.colour_combo.setCurrentIndex(0 if self.compare.colour_pin is None else self.compare.colour_pin + 1)
        self.colour_combo.setEnabled(bool(pins))
        self.colour_combo.blockSignals(False)
        self.pin_button.setEnabled(n < MAX_PINS)
        self.clear_button.setEnabled(bool(pins))

    def _rebuild_rows(self, n: int) -> None:
        while self.rows.count():
            w = self.rows.takeAt(0).widget()
            if w is not None:
                w.hide()  # at once: deleteLater waits for the event loop
                w.deleteLater()
        self.name_edits, self.remove_buttons, self._summaries = [], [], []
        for i in range(n):
            swatch = QLabel("━ ━")
            colour = self._colours[i % len(self._colours)]
            swatch.setStyleSheet(f"color: {colour}; font-weight: bold;")
            swatch.setToolTip("The dashed colour of this run in the plots")
            edit = QLineEdit()
            edit.setMaxLength(MAX_NAME_CHARS)  # what a session file keeps
            edit.setAccessibleName(f"Name of pinned run {i + 1}")
            edit.setToolTip("Name shown in the plot legends; press Enter to rename")
            edit.editingFinished.connect(lambda i=i, e=edit: self.compare.rename(i, e.text()))
            remove = QToolButton()
            remove.setText("✕")
            remove.setAccessibleName(f"Remove pinned run {i + 1}")
            remove.setToolTip("Remove this pinned run")
            remove.clicked.connect(lambda _=False, i=i: self.compare.remove(i))
            summary = plain_label(wrap=True)  # treatment names from the content
            font = QFont(summary.font())
            font.setPointSizeF(font.pointSizeF() * 0.9)
            summary.setFont(font)
            self.rows.addWidget(swatch, 2 * i, 0)
            self.rows.addWidget(edit, 2 * i, 1)
            self.rows.addWidget(remove, 2 * i, 2)
            self.rows.addWidget(summary, 2 * i + 1, 1, 1, 2)
            self.name_edits.append(edit)
            self.remove_buttons.append(remove)
            self._summaries.append(summary)

    def _summary(self, p: PinnedRun) -> str:
        inp = p.inputs
        parts = [f"estrogen {inp['estrogen']:g} %", f"ferritin {inp['ferritin']:g} µg/L"]
        mc = self.compare.ctx.model()
        for tid in inp.get("treatments", []):
            t = mc.model.treatments.get(tid) if mc is not None else None
            parts.append(t.name if t is not None else tid)
        parts += [f"{k} knocked out" for k in inp.get("knockouts", [])]
        parts += [f"{k} clamped" for k in inp.get("clamps", {})]
        parts += [f"{a}→{b} cut" for a, b in inp.get("edge_knockouts", [])]
        return f"Pinned at year {p.t_pinned:.1f}: " + ", ".join(parts)

    def _on_colour_combo_changed(self, row: int) -> None:
        self.compare.set_colour_pin(self.colour_combo.itemData(row))

    def _on_compare_colour_pin_changed(self, index: int | None) -> None:
        self.colour_combo.blockSignals(True)
        self.colour_combo.setCurrentIndex(0 if index is None else index + 1)
        self.colour_combo.blockSignals(False)


class PinnedPart:
    """A session keeps the pinned runs (`pinned`: a list of runs as plain JSON)."""

    key = "pinned"

    def __init__(self, compare: Compare) -> None:
        self.compare = compare

    def save(self) -> tuple[dict, ...]:
        return tuple(self.compare.pinned_data())

    def check(self, value: object) -> list[str]:
        try:
            self.compare.check_pinned([dict(p) for p in value or ()])
        except ValueError as exc:
            return [f"pinned: {exc}"]
        return []

    def restore(self, value: object) -> list[str]:
        self.compare.restore_pinned([dict(p) for p in value or ()])
        return []

    def clear(self) -> None:
        """Pinned runs stay: they are what the new session is compared with."""


class CompareFeature:
    """Model ▸ Pin this run, Clear pinned runs, Compare runs panel: `compare`, `panel` and `dock` (None
    until the panel is first shown)."""

    name = "compare"

    def __init__(self) -> None:
        self.panel: ComparePanel | None = None
        self.dock: QDockWidget | None = None

    def install(self, ctx: FeatureContext) -> None:
        self._ctx = ctx
        self.compare = compare = Compare(ctx)
        compare.message_posted.connect(ctx.post)
        ctx.session_parts.add(PinnedPart(compare))
        compare.pinned_changed.connect(ctx.session_parts.changed.emit)
        self.act_pin_run = ctx.add_action(
            "&Pin this run", self.pin, ["Ctrl+B"],
            "Keep the current run as a named, dashed reference (up to three); the diagram shows the difference")
        self.act_clear_pins = ctx.add_action("C&lear pinned runs", compare.clear, ["Ctrl+Shift+B"],
                                             "Remove every pinned run")
        self.act_compare_panel = ctx.add_action(
            "&Compare runs panel", self.toggle_panel, ["Ctrl+Alt+B"],
            "Show or hide the pinned runs: names, colours, which one the diagram compares with")
        ctx.add_to_menu("model", None, self.act_pin_run, self.act_clear_pins, self.act_compare_panel)

    def pin(self) -> None:
        if self.compare.pin() is not None:
            self.open_panel()

    def open_panel(self, *, show: bool = True) -> ComparePanel:
        """The Compare runs dock, built on first use."""
        if self.panel is None:
            self.panel = ComparePanel(self.compare)
            self.dock = self._ctx.add_dock("Compare runs", "compare_dock", self.panel)
        if show:
            self.dock.show()
            self.dock.raise_()
        return self.panel

    def toggle_panel(self) -> None:
        if self.dock is not None and self.dock.isVisible():
            self.dock.hide()
        else:
            self.open_panel()
