"""The time plots (formation vs resorption, bone mass with its projection) and the balance gauge.
pyqtgraph is imported only when the plots are first built, after the window has painted."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

FORMATION = "#0072B2"  # Okabe–Ito blue, solid
RESORPTION = "#D55E00"  # Okabe–Ito vermillion, dashed
MASS = "#000000"
PROJECTION = "#777777"


class BalanceGauge(QWidget):
    """Formation minus resorption, in % of bone mass per year; the needle sits at 0 in balance."""

    RANGE = 6.0  # ± % per year shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = 0.0
        self.setMinimumSize(140, 80)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Bone balance")
        self.setToolTip("Formation minus resorption: above 0 bone is gained, below 0 it is lost")
        self._update_accessible()

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(150, 120)

    def set_value(self, value: float) -> None:
        if abs(value - self.value) > 1e-4:
            self.value = value
            self._update_accessible()
            self.update()

    def _update_accessible(self) -> None:
        self.setAccessibleDescription(f"{self.value:+.2f} % per year")

    def paintEvent(self, event) -> None:  # noqa: N802, ANN001
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        w, h = self.width(), self.height()
        bar = QRectF(10, h / 2 - 9, w - 20, 18)
        p.setPen(QPen(pal.text().color(), 1))
        p.setBrush(pal.base())
        p.drawRect(bar)
        frac = max(-1.0, min(1.0, self.value / self.RANGE))
        mid = bar.center().x()
        colour = QColor(FORMATION if frac >= 0 else RESORPTION)
        fill = QRectF(mid, bar.top() + 2, frac * (bar.width() / 2 - 2), bar.height() - 4).normalized()
        p.fillRect(fill, colour)
        p.drawLine(int(mid), int(bar.top() - 4), int(mid), int(bar.bottom() + 4))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        p.setFont(font)
        p.drawText(QRectF(0, 0, w, bar.top() - 2), Qt.AlignmentFlag.AlignCenter, "Formation − resorption")
        text = f"{self.value:+.2f} %/yr"
        word = "gain" if self.value > 0.05 else "loss" if self.value < -0.05 else "balance"
        p.drawText(QRectF(0, bar.bottom() + 2, w, h - bar.bottom() - 2), Qt.AlignmentFlag.AlignCenter,
                   f"{text} ({word})")
        p.end()


class PlotsPanel(QWidget):
    """Two linked time plots and the gauge; `build()` creates the pyqtgraph widgets on demand."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Plots")
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(4, 2, 4, 2)
        self.placeholder = QLabel("Plots appear here…")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.addWidget(self.placeholder)
        self.gauge = BalanceGauge()
        self.built = False
        self.rate_plot = None
        self.mass_plot = None
        self._pending: tuple | None = None
        self._ranges: tuple[float, ...] | None = None

    def build(self) -> None:
        if self.built:
            return
        import pyqtgraph as pg  # heavy: kept off the first-paint path

        pg.setConfigOptions(antialias=True, background=self.palette().base().color(),
                            foreground=self.palette().text().color())
        self.placeholder.hide()
        self.rate_plot = pg.PlotWidget()
        self.rate_plot.setAccessibleName("Bone formation and resorption over time")
        self.rate_plot.setTitle("Formation and resorption")
        self.rate_plot.setLabel("left", "% of bone mass per year")
        self.rate_plot.setLabel("bottom", "Time (years)")
        self.rate_plot.addLegend(offset=(-6, -4))  # bottom right: rates mostly rise to the top right
        self.formation_curve = self.rate_plot.plot(
            [], [], pen=pg.mkPen(FORMATION, width=2), name="formation")
        self.resorption_curve = self.rate_plot.plot(
            [], [], pen=pg.mkPen(RESORPTION, width=2, style=Qt.PenStyle.DashLine), name="resorption")
        self.mass_plot = pg.PlotWidget()
        self.mass_plot.setAccessibleName("Bone mass over time")
        self.mass_plot.setTitle("Bone mass")
        self.mass_plot.setLabel("left", "Bone mass (% of start)")
        self.mass_plot.setLabel("bottom", "Time (years)")
        self.mass_plot.addLegend(offset=(-6, 4))  # top right: bone mass mostly falls away from it
        self.mass_curve = self.mass_plot.plot([], [], pen=pg.mkPen(MASS, width=2), name="so far")
        self.projection_curve = self.mass_plot.plot(
            [], [], pen=pg.mkPen(PROJECTION, width=2, style=Qt.PenStyle.DashLine),
            name="projection (current settings)")
        self.mass_plot.setXLink(self.rate_plot)
        for plot in (self.rate_plot, self.mass_plot):
            plot.disableAutoRange()  # show_data sets snapped ranges itself
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setMenuEnabled(False)
            plot.setMinimumWidth(220)
        self._layout.addWidget(self.rate_plot, 1)
        self._layout.addWidget(self.mass_plot, 1)
        self._layout.addWidget(self.gauge)
        self.built = True
        if self._pending is not None:
            self.show_data(*self._pending)

    def show_data(self, t, formation, resorption, mass, proj_t, proj_mass) -> None:  # noqa: ANN001
        """Arrays of the run so far and the projection; drawn if the plots exist, else kept."""
        if not self.built:
            self._pending = (t, formation, resorption, mass, proj_t, proj_mass)
            return
        self._pending = None
        self.formation_curve.setData(t, formation)
        self.resorption_curve.setData(t, resorption)
        self.mass_curve.setData(t, mass)
        self.projection_curve.setData(proj_t, proj_mass)
        # Ranges snap to whole years and whole percent, and are set only when they change:
        # re-laying out the axes is the costliest part of a redraw (pyqtgraph re-renders labels).
        end = math.ceil(max([10.0, *(t[-1:] or [0.0]), *(proj_t[-1:] or [0.0])]))
        lo = 5 * math.floor(min([*mass, *proj_mass, 99.0]) / 5)  # 5 % steps: ranges rarely move
        hi = 5 * math.ceil(max([*mass, *proj_mass, 101.0]) / 5)
        rates = [*formation, *resorption] or [0.0]
        r_lo, r_hi = 2 * math.floor(min(rates) / 2) - 1, 2 * math.ceil(max(rates) / 2) + 1
        if (end, lo, hi, r_lo, r_hi) != self._ranges:
            self._ranges = (end, lo, hi, r_lo, r_hi)
            self.rate_plot.setXRange(0.0, end, padding=0.02)
            self.rate_plot.setYRange(r_lo, r_hi, padding=0.0)
            self.mass_plot.setYRange(lo, hi, padding=0.05)


class WhyLabel(QLabel):
    """The sentence that spells out the strongest path from what changed to bone mass."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAccessibleName("Why: the path from the change to bone mass")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setMinimumHeight(36)
        self.setText("<i>Move a slider or switch a treatment on: the chain of effects it sets off "
                     "is traced here and lit on the diagram.</i>")


def plots_area(parent: QWidget | None = None) -> tuple[QWidget, PlotsPanel, WhyLabel]:
    box = QWidget(parent)
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(2)
    plots = PlotsPanel()
    why = WhyLabel()
    v.addWidget(plots, 1)
    v.addWidget(why)
    return box, plots, why
