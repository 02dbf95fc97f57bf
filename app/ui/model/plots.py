"""The time plots (formation vs resorption, bone mass with its projection, pinned reference runs)
and the balance gauge. pyqtgraph is imported only when the plots are first built, after the window
has painted; the plots follow the application palette (light / dark) and presentation mode."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.ui.text import esc

FORMATION = "#0072B2"  # Okabe–Ito blue, solid
RESORPTION = "#D55E00"  # Okabe–Ito vermillion, dashed
MASS = "#000000"  # light palette; the palette's text colour otherwise (see _apply_palette)
PROJECTION = "#777777"
# Pinned reference runs: Okabe–Ito colours the live curves do not use (orange, bluish green,
# reddish purple), drawn dashed.
REFERENCE_COLOURS = ("#E69F00", "#009E73", "#CC79A7")
LINE_WIDTH = 2.0
PRESENTATION_LINE_WIDTH = 4.0
PRESENTATION_FONT_SCALE = 1.15  # on top of presentation mode's larger window font


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
        title = "Formation − resorption"
        if p.fontMetrics().horizontalAdvance(title) > w - 4:
            title = "Balance"  # large fonts (presentation mode): the short name fits
        p.drawText(QRectF(0, 0, w, bar.top() - 2), Qt.AlignmentFlag.AlignCenter, title)
        text = f"{self.value:+.2f} %/yr"
        word = "gain" if self.value > 0.05 else "loss" if self.value < -0.05 else "balance"
        p.drawText(QRectF(0, bar.bottom() + 2, w, h - bar.bottom() - 2), Qt.AlignmentFlag.AlignCenter,
                   f"{text} ({word})")
        p.end()


PLOTTABLE = 1e9  # far beyond any rate or bone mass the model reaches; 1e308 overflows the plots


def _plottable(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value) and abs(value) <= PLOTTABLE


def _same(a, b) -> bool:  # noqa: ANN001
    """Equal sequences of numbers (lists or arrays)."""
    if a is b:
        return True
    if isinstance(a, list) and isinstance(b, list):
        return a == b
    try:
        return len(a) == len(b) and all(x == y for x, y in zip(a, b, strict=True))
    except TypeError:
        return False


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
        self._last: tuple | None = None  # the live data last shown (ranges are recomputed with references)
        self.references: list[tuple[str, list[float], list[float], list[float], list[float]]] = []
        self.reference_curves: list[tuple[object, object, object]] = []  # (formation, resorption, mass) per run
        self.presentation = False

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
        self.formation_curve = self.rate_plot.plot([], [], name="formation")
        self.resorption_curve = self.rate_plot.plot([], [], name="resorption")
        self.mass_plot = pg.PlotWidget()
        self.mass_plot.setAccessibleName("Bone mass over time")
        self.mass_plot.setTitle("Bone mass")
        self.mass_plot.setLabel("left", "Bone mass (% of start)")
        self.mass_plot.setLabel("bottom", "Time (years)")
        self.mass_plot.addLegend(offset=(-6, 4))  # top right: bone mass mostly falls away from it
        self.mass_curve = self.mass_plot.plot([], [], name="so far")
        self.projection_curve = self.mass_plot.plot([], [], name="projection")  # dashed: if nothing changes
        self.mass_plot.setXLink(self.rate_plot)
        for plot in (self.rate_plot, self.mass_plot):
            plot.disableAutoRange()  # show_data sets snapped ranges itself
            # The axes (ticks, labels and the grid) change only with the ranges: kept as pixmaps
            # instead of replaying their text on every redraw of the curves.
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
                # Major and minor ticks only: the third level filled the grid with faint lines
                # (busy to read, and half the cost of redrawing the axes when a range moves).
                axis.setStyle(maxTickLevel=1)
            plot.showGrid(x=True, y=True, alpha=0.25)
            plot.setMenuEnabled(False)
            plot.setMinimumWidth(170)
        self._layout.addWidget(self.rate_plot, 1)
        self._layout.addWidget(self.mass_plot, 1)
        self._layout.addWidget(self.gauge)
        self.built = True
        self._apply_style()
        if self.references:
            self.set_references(self.references)
        if self._pending is not None:
            self.show_data(*self._pending)

    # --- palette and presentation -------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_style()
        super().changeEvent(event)

    def mass_colour(self) -> QColor:
        """Black on a light background, the palette's text colour on a dark one."""
        bg = self.palette().base().color()
        return QColor(MASS) if bg.lightnessF() > 0.5 else self.palette().text().color()

    def set_presentation(self, on: bool) -> None:
        """Thicker lines and larger axis text for a projector (presentation mode calls this)."""
        if on != self.presentation:
            self.presentation = on
            self._apply_style()

    def _apply_style(self) -> None:
        """Background, axes, titles, legends and pens from the palette and presentation mode."""
        if not self.built:
            return
        import pyqtgraph as pg

        pal = self.palette()
        bg, fg = pal.base().color(), pal.text().color()
        width = PRESENTATION_LINE_WIDTH if self.presentation else LINE_WIDTH
        font = QFont(self.font())
        size = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
        if self.presentation:
            size *= PRESENTATION_FONT_SCALE
        font.setPointSizeF(size)
        css = {"color": fg.name(), "font-size": f"{size:.0f}pt"}
        legend_size = size * 0.8 if self.presentation else size  # legends sit over the curves
        titles = {self.rate_plot: "Formation and resorption", self.mass_plot: "Bone mass"}
        if self.presentation:  # short axis names: long ones are clipped at projector sizes
            labels = {self.rate_plot: "% per year", self.mass_plot: "% of start"}
        else:
            labels = {self.rate_plot: "% of bone mass per year", self.mass_plot: "Bone mass (% of start)"}
        for plot in (self.rate_plot, self.mass_plot):
            plot.setBackground(bg)
            plot.setTitle(titles[plot], color=fg.name(), size=f"{size * 1.1:.0f}pt")
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(pg.mkPen(fg))
                axis.setTextPen(pg.mkPen(fg))
                axis.setTickFont(font)
            plot.setLabel("left", labels[plot], **css)
            plot.setLabel("bottom", "Time (years)", **css)
            legend = plot.getPlotItem().legend
            if legend is not None:  # legends stay transparent: they sit over the curves in narrow plots
                legend.setLabelTextColor(fg)
                legend.setLabelTextSize(f"{legend_size:.0f}pt")
        self.formation_curve.setPen(pg.mkPen(FORMATION, width=width))
        self.resorption_curve.setPen(pg.mkPen(RESORPTION, width=width, style=Qt.PenStyle.DashLine))
        self.mass_curve.setPen(pg.mkPen(self.mass_colour(), width=width))
        self.projection_curve.setPen(pg.mkPen(PROJECTION, width=width, style=Qt.PenStyle.DashLine))
        for i, curves in enumerate(self.reference_curves):
            for curve in curves:
                curve.setPen(self._reference_pen(i))
        # Legend labels were styled when they were added: restyle them for the new colours.
        for plot in (self.rate_plot, self.mass_plot):
            legend = plot.getPlotItem().legend
            if legend is not None:
                for _sample, label in legend.items:
                    label.setText(label.text, color=fg.name(), size=f"{legend_size:.0f}pt")

    def _reference_pen(self, index: int):  # noqa: ANN202
        import pyqtgraph as pg

        width = (PRESENTATION_LINE_WIDTH if self.presentation else LINE_WIDTH) * 0.8
        return pg.mkPen(REFERENCE_COLOURS[index % len(REFERENCE_COLOURS)], width=width,
                        style=Qt.PenStyle.DashLine)

    # --- pinned reference runs ----------------------------------------------------------------
    def set_references(self, references) -> None:  # noqa: ANN001
        """Pinned runs as (name, t, formation, resorption, mass): drawn dashed, one colour each,
        named in both legends. An empty list removes them. A run with a number no plot can draw
        (not finite, or beyond ±PLOTTABLE) is left out: pyqtgraph would overflow on it."""
        self.references = [(str(n), list(t), list(f), list(r), list(m)) for n, t, f, r, m in references
                           if all(_plottable(v) for v in (*t, *f, *r, *m))]
        if not self.built:
            return
        for curves in self.reference_curves:
            for plot, curve in zip((self.rate_plot, self.rate_plot, self.mass_plot), curves, strict=True):
                plot.removeItem(curve)  # also takes it out of the legend
        self.reference_curves = []
        for i, (name, t, f, r, m) in enumerate(self.references):
            pen = self._reference_pen(i)
            cf = self.rate_plot.plot(t, f, pen=pen)  # named in the bone-mass legend: the rate legend stays short
            cr = self.rate_plot.plot(t, r, pen=pen)
            cm = self.mass_plot.plot(t, m, pen=pen, name=f"{esc(name)} (pinned)")  # a legend is rich text
            for curve in (cf, cr, cm):
                curve.setZValue(-1)  # under the live run
            self.reference_curves.append((cf, cr, cm))
        self._apply_style()
        self._ranges = None
        if self._last is not None:
            self.show_data(*self._last)

    def show_data(self, t, formation, resorption, mass, proj_t, proj_mass) -> None:  # noqa: ANN001
        """Arrays of the run so far and the projection; drawn if the plots exist, else kept."""
        if not self.built:
            self._pending = (t, formation, resorption, mass, proj_t, proj_mass)
            return
        self._pending = None
        last = self._last
        self._last = (t, formation, resorption, mass, proj_t, proj_mass)
        # Only curves whose numbers changed are handed to pyqtgraph (each setData re-bounds and
        # repaints): a paused slider drag changes the projection and one point of the others.
        same_t = last is not None and _same(last[0], t)
        for curve, x, y, i in ((self.formation_curve, t, formation, 1), (self.resorption_curve, t, resorption, 2),
                               (self.mass_curve, t, mass, 3)):
            if not (same_t and _same(last[i], y)):
                curve.setData(x, y)
        if last is None or not (_same(last[4], proj_t) and _same(last[5], proj_mass)):
            self.projection_curve.setData(proj_t, proj_mass)
        # Ranges snap to whole years and whole percent, and are set only when they change:
        # re-laying out the axes is the costliest part of a redraw (pyqtgraph re-renders labels).
        ref_t = [x for ref in self.references for x in ref[1][-1:]]
        ref_mass = [x for ref in self.references for x in ref[4]]
        ref_rates = [x for ref in self.references for x in (*ref[2], *ref[3])]
        end = math.ceil(max([10.0, *(t[-1:] or [0.0]), *(proj_t[-1:] or [0.0]), *ref_t]))
        lo = 5 * math.floor(min([*mass, *proj_mass, *ref_mass, 99.0]) / 5)  # 5 % steps: ranges rarely move
        hi = 5 * math.ceil(max([*mass, *proj_mass, *ref_mass, 101.0]) / 5)
        rates = [*formation, *resorption, *ref_rates] or [0.0]
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
