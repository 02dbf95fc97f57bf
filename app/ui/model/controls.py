"""The model's control panel: estrogen and ferritin sliders with spin boxes, the ferritin bands,
scenarios, treatments and the clock. Display-only: it emits what the user asked for and shows
what the controller sends back."""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.palette import current
from app.ui.text import esc, no_mnemonic, plain_label, tip

FERRITIN_MIN, FERRITIN_MAX = 10.0, 3000.0
ESTROGEN_MIN, ESTROGEN_MAX = 0.0, 120.0
_LOG_STEPS = 1000
# The review's bands for women (§1): normal 12–150 µg/L, accumulation 150–1000, overload > 1000.
BANDS = ((FERRITIN_MIN, 12.0, "low", "#BDBDBD"), (12.0, 150.0, "normal", "#009E73"),
         (150.0, 1000.0, "accumulation", "#E69F00"), (1000.0, FERRITIN_MAX, "overload", "#D55E00"))
SPEEDS = (("1 month / s", 1 / 12), ("3 months / s", 0.25), ("6 months / s", 0.5),
          ("1 year / s", 1.0), ("2 years / s", 2.0))


def ferritin_to_pos(value: float) -> int:
    value = min(max(value, FERRITIN_MIN), FERRITIN_MAX)
    return round(_LOG_STEPS * math.log(value / FERRITIN_MIN) / math.log(FERRITIN_MAX / FERRITIN_MIN))


def pos_to_ferritin(pos: int) -> float:
    return FERRITIN_MIN * (FERRITIN_MAX / FERRITIN_MIN) ** (pos / _LOG_STEPS)


def ferritin_band(value: float) -> str:
    if value < 12:
        return "Low: below the normal range (under 12 µg/L)"
    if value <= 150:
        return "Normal for women (12–150 µg/L)"
    if value <= 1000:
        return "Iron accumulation (150–1000 µg/L)"
    return "Iron overload (over 1000 µg/L)"


def estrogen_status(value: float) -> str:
    if value >= 80:
        return "Premenopausal range"
    if value >= 30:
        return "Falling: perimenopause"
    return "Postmenopausal (about 10 % of the earlier level)"


@dataclass(frozen=True, slots=True)
class TreatmentInfo:
    id: str
    name: str
    mechanism: str
    page: str = ""  # "topic:..." or "node:..." to open from the panel


@dataclass(frozen=True, slots=True)
class ScenarioInfo:
    id: str
    name: str
    description: str


class FerritinBands(QWidget):
    """A strip under the ferritin slider showing the review's bands on the same log scale."""

    def __init__(self, slider: QSlider, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._slider = slider
        self.setMinimumHeight(18)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Serum ferritin bands for women (review §1): normal 12–150 µg/L, "
                        "accumulation 150–1000 µg/L, overload above 1000 µg/L")
        self._font = QFont()
        self._font.setPointSizeF(7.5)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, 18)

    def band_colours(self) -> list[tuple[str, QColor, QColor]]:
        """(name, label colour, band fill) per band: a light wash of the band's colour over the
        window, labelled in the window's text colour (at least 4.5:1 in light and dark schemes)."""
        pal = self.palette()
        window, text = pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.WindowText)
        alpha = current().band_alpha
        out = []
        for _lo, _hi, name, colour in BANDS:
            c = QColor(colour)
            fill = QColor.fromRgbF(*(c.getRgbF()[i] * alpha + window.getRgbF()[i] * (1 - alpha) for i in range(3)))
            out.append((name, QColor(text), fill))
        return out

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        # Align with the slider groove: Qt styles inset the groove by half a handle width.
        inset = 6.0
        width = self.width() - 2 * inset
        p.setFont(self._font)
        for (lo, hi, _name, _colour), (name, text, fill) in zip(BANDS, self.band_colours(), strict=True):
            x0 = inset + width * ferritin_to_pos(lo) / _LOG_STEPS
            x1 = inset + width * ferritin_to_pos(hi) / _LOG_STEPS
            rect = QRectF(x0, 0, x1 - x0, self.height() - 1)
            p.fillRect(rect, fill)
            p.setPen(QPen(text))
            if rect.width() > p.fontMetrics().horizontalAdvance(name) + 4:
                p.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
        p.end()


class _ToggleTextButton(QToolButton):
    """A tool button as wide as the widest of the texts it takes, so the buttons after it in the
    toolbar stay put when Play turns into Pause (in any font size)."""

    def __init__(self, texts: tuple[str, ...]) -> None:
        super().__init__()
        self._texts = texts
        self.setText(texts[0])

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        metrics = self.fontMetrics()
        extra = max(metrics.horizontalAdvance(t) for t in self._texts) - metrics.horizontalAdvance(self.text())
        return QSize(hint.width() + max(0, extra), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return self.sizeHint()


PLAY_TEXT, PAUSE_TEXT = "▶ Play", "❚❚ Pause"


class ControlPanel(QWidget):
    estrogen_changed = Signal(float)
    ferritin_changed = Signal(float)
    scenario_chosen = Signal(str)
    treatment_toggled = Signal(str, bool)
    treatment_page_requested = Signal(str)
    play_toggled = Signal(bool)
    step_requested = Signal()
    reset_requested = Signal()
    speed_changed = Signal(float)  # model years per real second

    def __init__(self, *, scenarios: list[ScenarioInfo], treatments: list[TreatmentInfo],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Model controls")
        self._updating = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)

        # --- inputs -----------------------------------------------------------------------
        inputs = QGroupBox("Inputs")
        grid = QGridLayout(inputs)
        grid.setContentsMargins(6, 2, 6, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(0)

        self.estrogen_slider = QSlider(Qt.Orientation.Horizontal)
        self.estrogen_slider.setRange(int(ESTROGEN_MIN), int(ESTROGEN_MAX))
        self.estrogen_slider.setPageStep(10)
        self.estrogen_slider.setAccessibleName("Estrogen, percent of the premenopausal level")
        self.estrogen_slider.setToolTip("Estrogen in % of the premenopausal level (0–120 %). "
                                        "After menopause it falls to about 10 % (review §1).")
        self.estrogen_spin = QSpinBox()
        self.estrogen_spin.setRange(int(ESTROGEN_MIN), int(ESTROGEN_MAX))
        self.estrogen_spin.setSuffix(" %")
        self.estrogen_spin.setAccessibleName("Estrogen value")
        self.estrogen_status = QLabel()
        self.estrogen_status.setWordWrap(True)
        self.estrogen_status.setObjectName("status")
        label = QLabel("&Estrogen")
        label.setBuddy(self.estrogen_slider)
        self._estrogen_label = label

        self.ferritin_slider = QSlider(Qt.Orientation.Horizontal)
        self.ferritin_slider.setRange(0, _LOG_STEPS)
        self.ferritin_slider.setPageStep(50)
        self.ferritin_slider.setAccessibleName("Serum ferritin, micrograms per litre, log scale")
        self.ferritin_slider.setToolTip("Serum ferritin in µg/L on a log scale (10–3000)")
        self.ferritin_spin = QDoubleSpinBox()
        self.ferritin_spin.setRange(FERRITIN_MIN, FERRITIN_MAX)
        self.ferritin_spin.setDecimals(0)
        self.ferritin_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.ferritin_spin.setSuffix(" µg/L")
        self.ferritin_spin.setAccessibleName("Serum ferritin value")
        self.ferritin_bands = FerritinBands(self.ferritin_slider)
        self.ferritin_status = QLabel()
        self.ferritin_status.setWordWrap(True)
        label = QLabel("Serum &ferritin")
        label.setBuddy(self.ferritin_slider)
        self._ferritin_label = label
        self._inputs_grid = grid
        self.inputs_stacked = None  # names above their sliders where beside them would squeeze them
        self._place_inputs(stacked=False)
        grid.setColumnStretch(1, 1)
        layout.addWidget(inputs)

        # --- scenario ---------------------------------------------------------------------
        scen = QGroupBox("Scenario")
        sl = QVBoxLayout(scen)
        sl.setSpacing(2)
        self.scenario_combo = QComboBox()
        self.scenario_combo.setAccessibleName("Scenario")
        self.scenario_combo.addItem("Custom (set by the sliders)", "")
        for s in scenarios:
            self.scenario_combo.addItem(s.name, s.id)
        self._scenario_text = {s.id: s.description for s in scenarios}
        self.scenario_description = plain_label(wrap=True)
        self.scenario_description.setMinimumHeight(30)
        small = self.scenario_description.font()
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self.scenario_description.setFont(small)
        sl.addWidget(self.scenario_combo)
        sl.addWidget(self.scenario_description)
        layout.addWidget(scen)

        # --- treatments -------------------------------------------------------------------
        treat = QGroupBox("Treatments (review Table 1)")
        tl = QGridLayout(treat)
        tl.setVerticalSpacing(0)
        self.treatment_boxes: dict[str, QCheckBox] = {}
        self._treatment_grid = tl
        self._treatment_cells: list[tuple[QCheckBox, QToolButton]] = []
        self.treatment_columns = 2  # one where two would cut the names (narrow panel, large fonts)
        for i, t in enumerate(treatments):
            box = QCheckBox(no_mnemonic(t.name.split(" (")[0]))  # the short name; the tooltip has the rest
            box.setToolTip(f"<b>{esc(t.name)}</b><br>{esc(t.mechanism)}")
            box.setAccessibleName(t.name)
            box.setAccessibleDescription(t.mechanism)
            box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)  # as wide as its name
            box.toggled.connect(lambda on, tid=t.id: self._on_treatment_box_toggled(tid, on))
            more = QToolButton()
            more.setText("?")
            more.setAutoRaise(True)
            more.setToolTip(tip(f"Read about {t.name}"))
            more.setAccessibleName(f"About {t.name}")
            more.clicked.connect(lambda _=False, tid=t.id: self.treatment_page_requested.emit(tid))
            row, col = divmod(i, 2)
            tl.addWidget(box, row, col * 2, Qt.AlignmentFlag.AlignLeft)
            tl.addWidget(more, row, col * 2 + 1)
            self.treatment_boxes[t.id] = box
            self._treatment_cells.append((box, more))
        layout.addWidget(treat)
        # Spin boxes keep room for their longest value ("3000 µg/L", see fit_width); the scenario box
        # may elide a long name (its tooltip and the description below say it in full).
        self.scenario_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.scenario_combo.setMinimumContentsLength(16)

        # --- time -------------------------------------------------------------------------
        # The time controls live in the main toolbar (see MainWindow), always in view.
        time_box = QWidget()
        time_box.setAccessibleName("Time controls")
        hl = QHBoxLayout(time_box)
        hl.setContentsMargins(0, 0, 0, 0)
        self.play_button = _ToggleTextButton((PLAY_TEXT, PAUSE_TEXT))
        self.play_button.setCheckable(True)
        self.play_button.setToolTip("Play / pause the years (Ctrl+Space; Space when the focused control "
                                    "does not use it)")
        self.play_button.setAccessibleName("Play")
        self.step_button = QToolButton()
        self.step_button.setText("Step ▸")
        self.step_button.setToolTip("Advance one step of model time (Ctrl+Right; the Right arrow when the "
                                    "focused control does not use it)")
        self.step_button.setAccessibleName("Step one month")
        self.reset_button = QToolButton()
        self.reset_button.setText("Reset")
        self.reset_button.setToolTip("Back to the premenopausal reference, year 0, no treatments "
                                     "or clamps (Ctrl+R)")
        self.speed_combo = QComboBox()
        self.speed_combo.setAccessibleName("Speed, model time per second")
        for text, years in SPEEDS:
            self.speed_combo.addItem(text, years)
        self.speed_combo.setCurrentIndex(3)
        # On Linux a screen reader names a combo box by its label (its own name is its value); the
        # values say what they are on screen, so the label is for screen readers only.
        speed_label = QLabel("Speed, model time per second")
        speed_label.setBuddy(self.speed_combo)
        speed_label.hide()
        self.clock = QLabel("Year 0.0")
        self.clock.setAccessibleName("Model time")
        self.clock.setAccessibleDescription("Year 0.0 since the start")
        font = self.clock.font()
        font.setBold(True)
        self.clock.setFont(font)
        for w in (self.play_button, self.step_button, self.reset_button, speed_label, self.speed_combo):
            hl.addWidget(w)
        hl.addWidget(self.clock)
        self.time_bar = time_box
        layout.addStretch(1)

        # --- wiring -----------------------------------------------------------------------
        self.estrogen_slider.valueChanged.connect(self._on_estrogen_slider_changed)
        self.estrogen_spin.valueChanged.connect(self._on_estrogen_spin_changed)
        self.ferritin_slider.valueChanged.connect(self._on_ferritin_slider_changed)
        self.ferritin_spin.valueChanged.connect(self._on_ferritin_spin_changed)
        self.scenario_combo.activated.connect(self._on_scenario_combo_activated)
        self.play_button.toggled.connect(self._on_play_button_toggled)
        self.step_button.clicked.connect(self.step_requested)
        self.reset_button.clicked.connect(self.reset_requested)
        self.speed_combo.currentIndexChanged.connect(
            lambda i: self.speed_changed.emit(float(self.speed_combo.itemData(i))))

    # --- fitting the width it is given ---------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        # In a scroll area the panel is as wide as the viewport, or as its own minimum: the viewport's
        # width (not the panel's) says whether two columns of treatments fit.
        if event.type() == QEvent.Type.ParentChange and self.parentWidget() is not None:
            self.parentWidget().installEventFilter(self)
        elif event.type() in (QEvent.Type.FontChange, QEvent.Type.Show):
            self.fit_width(self._room())
        return super().event(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.fit_width(self._room())
        return False

    def _room(self) -> int:
        parent = self.parentWidget()
        return parent.width() if parent is not None else self.width()

    MIN_SLIDER = 120  # pixels a slider needs to be dragged with some precision

    def _place_inputs(self, *, stacked: bool) -> None:
        if stacked == self.inputs_stacked:
            return
        self.inputs_stacked = stacked
        grid = self._inputs_grid
        rows = ((self._estrogen_label, self.estrogen_slider, self.estrogen_spin, None, self.estrogen_status),
                (self._ferritin_label, self.ferritin_slider, self.ferritin_spin, self.ferritin_bands,
                 self.ferritin_status))
        for row in rows:
            for w in row:
                if w is not None:
                    grid.removeWidget(w)
        for row in range(grid.rowCount()):
            grid.setRowMinimumHeight(row, 0)
        r = 0
        for label, slider, spin, bands, status in rows:
            if stacked:  # name; slider and value; bands; status; a gap before the next name
                grid.addWidget(label, r, 0, 1, 3)
                r += 1
                grid.addWidget(slider, r, 0, 1, 2)
                grid.addWidget(spin, r, 2)
                if bands is not None:
                    r += 1
                    grid.addWidget(bands, r, 0, 1, 2)
                grid.addWidget(status, r + 1, 0, 1, 3)
                grid.setRowMinimumHeight(r + 2, 6)
                r += 1
            else:  # name, slider and value on one line; bands and status under the slider
                grid.addWidget(label, r, 0)
                grid.addWidget(slider, r, 1)
                grid.addWidget(spin, r, 2)
                if bands is not None:
                    r += 1
                    grid.addWidget(bands, r, 1)
                grid.addWidget(status, r + 1, 1, 1, 2)
            r += 2

    def fit_width(self, width: int) -> None:
        """Names beside the sliders where the sliders keep MIN_SLIDER pixels, else above them; two
        columns of treatments where they fit in `width` pixels, else one (never cut names)."""
        for spin in (self.estrogen_spin, self.ferritin_spin):  # room for the longest value in this font
            spin.setMinimumWidth(spin.sizeHint().width())
        grid = self._inputs_grid
        chrome = 2 * (grid.contentsMargins().left() + self.layout().contentsMargins().left()) + 16
        beside = (max(self._estrogen_label.sizeHint().width(), self._ferritin_label.sizeHint().width())
                  + self.MIN_SLIDER + max(self.estrogen_spin.sizeHint().width(), self.ferritin_spin.sizeHint().width())
                  + 2 * grid.horizontalSpacing() + chrome)
        self._place_inputs(stacked=width < beside)
        cells = self._treatment_cells
        if not cells:
            return
        grid = self._treatment_grid
        cell = max(box.sizeHint().width() + more.sizeHint().width() + grid.horizontalSpacing()
                   for box, more in cells)
        box_margins = grid.contentsMargins()
        frame = self.layout().contentsMargins()
        chrome = box_margins.left() + box_margins.right() + frame.left() + frame.right() + 12  # group frame
        columns = 2 if width >= chrome + 2 * cell + 2 * grid.horizontalSpacing() else 1
        if columns == self.treatment_columns:
            return
        self.treatment_columns = columns
        for box, more in cells:
            grid.removeWidget(box)
            grid.removeWidget(more)
        for i, (box, more) in enumerate(cells):
            row, col = divmod(i, columns)
            grid.addWidget(box, row, col * 2, Qt.AlignmentFlag.AlignLeft)
            grid.addWidget(more, row, col * 2 + 1)

    # --- user input -> signals -------------------------------------------------------------
    def _on_estrogen_slider_changed(self, value: int) -> None:
        if not self._updating:
            self.estrogen_changed.emit(float(value))

    def _on_estrogen_spin_changed(self, value: int) -> None:
        if not self._updating:
            self.estrogen_changed.emit(float(value))

    def _on_ferritin_slider_changed(self, pos: int) -> None:
        if not self._updating:
            self.ferritin_changed.emit(round(pos_to_ferritin(pos)))

    def _on_ferritin_spin_changed(self, value: float) -> None:
        if not self._updating:
            self.ferritin_changed.emit(float(value))

    def _on_scenario_combo_activated(self, index: int) -> None:
        sid = self.scenario_combo.itemData(index)
        if sid:
            self.scenario_chosen.emit(sid)

    def _on_treatment_box_toggled(self, tid: str, on: bool) -> None:
        if not self._updating:
            self.treatment_toggled.emit(tid, on)

    def _on_play_button_toggled(self, on: bool) -> None:
        if not self._updating:
            self.play_toggled.emit(on)

    # --- state -> display (setters) --------------------------------------------------------
    def set_inputs(self, *, estrogen: float, ferritin: float, scenario: str | None,
                   treatments: tuple[str, ...]) -> None:
        self._updating = True
        try:
            self.estrogen_slider.setValue(round(estrogen))
            self.estrogen_spin.setValue(round(estrogen))
            self.estrogen_status.setText(estrogen_status(estrogen))
            self.ferritin_slider.setValue(ferritin_to_pos(ferritin))
            self.ferritin_spin.setValue(ferritin)
            self.ferritin_status.setText(ferritin_band(ferritin))
            index = max(0, self.scenario_combo.findData(scenario or ""))
            self.scenario_combo.setCurrentIndex(index)
            self.scenario_description.setText(self._scenario_text.get(scenario or "", "Your own settings."))
            for tid, box in self.treatment_boxes.items():
                box.setChecked(tid in treatments)
        finally:
            self._updating = False

    def set_clock(self, years: float) -> None:
        text = f"Year {years:.1f}"
        if text != self.clock.text():
            self.clock.setText(text)
            self.clock.setAccessibleDescription(f"{text} since the start")  # what a screen reader reads

    def set_playing(self, playing: bool) -> None:
        self._updating = True
        self.play_button.setChecked(playing)
        self.play_button.setText(PAUSE_TEXT if playing else PLAY_TEXT)
        self.play_button.setAccessibleName("Pause" if playing else "Play")
        self._updating = False

    def speed(self) -> float:
        return float(self.speed_combo.currentData())
