"""The time plots (formation vs resorption, bone mass with its projection, pinned reference runs)
and the balance gauge. pyqtgraph is imported only when the plots are first built, after the window
has painted; the plots follow the application palette (light / dark) and presentation mode."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from app.ui.palette import DARK, LIGHT, Scheme
from app.ui.text import esc

FORMATION = LIGHT.formation  # Okabe–Ito blue, solid (the light scheme's; see app.ui.palette)
RESORPTION = LIGHT.resorption  # Okabe–Ito vermillion, dashed
MASS = LIGHT.mass  # light palette; the palette's text colour otherwise
PROJECTION = LIGHT.projection
# Pinned reference runs: Okabe–Ito colours the live curves do not use (orange, bluish green,
# reddish purple), each with its own dash pattern (in pen widths) so they differ without colour too.
REFERENCE_COLOURS = LIGHT.references
REFERENCE_DASHES = ((7.0, 3.0), (1.0, 2.0), (7.0, 2.5, 1.0, 2.5))  # long dash, dots, dash-dot
LINE_WIDTH = 2.0
PLOT_MIN_WIDTH = 150
PRESENTATION_LINE_WIDTH = 4.0
PRESENTATION_FONT_SCALE = 1.0  # presentation mode's larger window font is large enough
LEGEND_SCALE = 0.85  # legend text against the axes' text


class BalanceGauge(QWidget):
    """The balance: formation minus resorption, in % of bone mass per year; the needle sits at 0
    when they are equal. Called "Balance" everywhere (title, accessible name, presentation mode)."""

    TITLE = "Balance"

    RANGE = 6.0  # ± % per year shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = 0.0
        self.setMinimumSize(140, 80)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(self.TITLE)
        self.setToolTip("Balance: formation minus resorption under the inputs now, in % of bone mass per "
                        "year; above 0 bone is gained, below 0 it is lost")
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
        scheme = DARK if pal.base().color().lightnessF() < 0.5 else LIGHT
        colour = QColor(scheme.formation if frac >= 0 else scheme.resorption)
        fill = QRectF(mid, bar.top() + 2, frac * (bar.width() / 2 - 2), bar.height() - 4).normalized()
        p.fillRect(fill, colour)
        p.drawLine(int(mid), int(bar.top() - 4), int(mid), int(bar.bottom() + 4))
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 0.9)
        p.setFont(font)
        p.drawText(QRectF(0, 0, w, bar.top() - 2), Qt.AlignmentFlag.AlignCenter, self.TITLE)
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
        self._rate_projection: tuple = ([], [], [])  # (t, formation, resorption) from now on
        self.references: list[tuple[str, list[float], list[float], list[float], list[float]]] = []
        self.reference_curves: list[tuple[object, object, object]] = []  # (formation, resorption, mass) per run
        self.presentation = False
        self._refit_pending = False

    def build(self) -> None:
        if self.built:
            return
        import pyqtgraph as pg  # heavy: kept off the first-paint path

        pg.setConfigOptions(antialias=True, background=self.palette().base().color(),
                            foreground=self.palette().text().color())
        self.placeholder.hide()
        self.rate_plot = pg.PlotWidget()
        self.rate_plot.setAccessibleName("Bone formation and resorption over time")
        self.rate_plot.setToolTip("Formation and resorption so far; dotted: where they go from now if "
                                  "nothing changes (as the bone-mass projection)")
        self.rate_plot.setTitle("Formation and resorption")
        self.rate_plot.setLabel("left", "% of bone mass per year")
        self.rate_plot.setLabel("bottom", "Time (years)")
        self._add_legend(pg, self.rate_plot)
        self.formation_curve = self.rate_plot.plot([], [], name="formation")
        self.resorption_curve = self.rate_plot.plot([], [], name="resorption")
        # Dotted, in the rates' own colours: where they go from now if nothing changes. Right after
        # a change at year 0 the run so far is one point, and these show what the change does.
        self.formation_projection = self.rate_plot.plot([], [])
        self.resorption_projection = self.rate_plot.plot([], [])
        self.mass_plot = pg.PlotWidget()
        self.mass_plot.setAccessibleName("Bone mass over time")
        self.mass_plot.setTitle("Bone mass")
        self.mass_plot.setLabel("left", "Bone mass (% of start)")
        self.mass_plot.setLabel("bottom", "Time (years)")
        self._add_legend(pg, self.mass_plot)
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
            plot.setMinimumWidth(PLOT_MIN_WIDTH)
            plot.installEventFilter(self)  # a new size: titles, axis names and legend columns refit
        self._layout.addWidget(self.rate_plot, 1)
        self._layout.addWidget(self.mass_plot, 1)
        self._layout.addWidget(self.gauge)
        self.built = True
        self._fit_gauge()
        self._apply_style()
        if self.references:
            self.set_references(self.references)
        if self._pending is not None:
            self.show_data(*self._pending)
        if self._rate_projection[0]:
            projection, self._rate_projection = self._rate_projection, ([], [], [])
            self.show_rate_projection(*projection)

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        super().resizeEvent(event)
        self._fit_gauge()

    def _fit_gauge(self) -> None:
        """Beside two plots where all three fit whole (a narrow column with a dock open, a small
        screen); otherwise the plots take the room and the gauge steps aside."""
        if not self.built:
            return
        margins = self._layout.contentsMargins()
        need = (2 * PLOT_MIN_WIDTH + self.gauge.minimumWidth() + 2 * self._layout.spacing()
                + margins.left() + margins.right())
        fits = self.width() >= need
        if fits != self.gauge.isVisibleTo(self):
            self.gauge.setVisible(fits)

    # --- palette and presentation -------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.FontChange):
            self._apply_style()
        super().changeEvent(event)

    def colours(self) -> Scheme:
        """The curves' colours for the palette the plots are drawn on (light, dark; presentation
        mode's projector palette is light)."""
        return DARK if self.palette().base().color().lightnessF() < 0.5 else LIGHT  # curves sit on Base

    def mass_colour(self) -> QColor:
        """Black on a light background, the palette's text colour on a dark one."""
        return QColor(LIGHT.mass) if not self.colours().dark else self.palette().text().color()

    def line_width(self, factor: float = 1.0) -> float:
        """Curve width in device pixels: pyqtgraph's pens are cosmetic (device pixels), so on a
        screen scaled 2x they are made twice as wide to look the same, never hairlines."""
        width = PRESENTATION_LINE_WIDTH if self.presentation else LINE_WIDTH
        return width * factor * max(1.0, self.devicePixelRatioF())

    def set_presentation(self, on: bool) -> None:
        """Thicker lines and larger axis text for a projector (presentation mode calls this)."""
        if on != self.presentation:
            self.presentation = on
            self._apply_style()

    @staticmethod
    def _add_legend(pg, plot) -> None:  # noqa: ANN001
        """The legend under the plot, in the plot's own layout: it never covers a curve nor is cut
        off by the plot area however small the plot gets (as many columns as fit its width)."""
        item = plot.getPlotItem()
        legend = pg.LegendItem(colCount=2, horSpacing=14, verSpacing=-4)
        item.layout.addItem(legend, 4, 1)
        item.legend = legend  # plot(name=...) and removeItem() use it

    def _apply_style(self) -> None:
        """Background, axes, titles, legends and pens from the palette and presentation mode."""
        if not self.built:
            return
        import pyqtgraph as pg

        pal = self.palette()
        bg, fg = pal.base().color(), pal.text().color()
        scheme = self.colours()
        width = self.line_width()
        axis_width = max(1.0, self.devicePixelRatioF())
        font = QFont(self.font())
        size = font.pointSizeF() if font.pointSizeF() > 0 else 9.0
        if self.presentation:
            size *= PRESENTATION_FONT_SCALE
        font.setPointSizeF(size)
        self._text_size = size
        for plot in (self.rate_plot, self.mass_plot):
            plot.setBackground(bg)
            for side in ("left", "bottom"):
                axis = plot.getAxis(side)
                axis.setPen(pg.mkPen(fg, width=axis_width))
                axis.setTextPen(pg.mkPen(fg))
                axis.setTickFont(font)
            plot.getPlotItem().legend.setLabelTextColor(fg)
        self.formation_curve.setPen(pg.mkPen(scheme.formation, width=width))
        self.resorption_curve.setPen(pg.mkPen(scheme.resorption, width=width, style=Qt.PenStyle.DashLine))
        self.mass_curve.setPen(pg.mkPen(self.mass_colour(), width=width))
        self.projection_curve.setPen(pg.mkPen(scheme.projection, width=width, style=Qt.PenStyle.DashLine))
        for curve, colour in ((self.formation_projection, scheme.formation),
                              (self.resorption_projection, scheme.resorption)):
            curve.setPen(pg.mkPen(colour, width=width * 0.75, style=Qt.PenStyle.DotLine))
        for i, curves in enumerate(self.reference_curves):
            for curve in curves:
                curve.setPen(self._reference_pen(i))
        self._fit_text()

    # Names from the longest to the shortest: each plot shows the longest that fits it whole.
    TITLES = {"rate": ("Formation and resorption", "Formation & resorption", "Rates"), "mass": ("Bone mass",)}
    AXIS_NAMES = {"rate": ("% of bone mass per year", "% per year", "%/yr"),
                  "mass": ("Bone mass (% of start)", "% of start", "%")}

    def eventFilter(self, watched, event) -> bool:  # noqa: N802, ANN001
        if event.type() == QEvent.Type.Resize and watched in (self.rate_plot, self.mass_plot) \
                and not self._refit_pending:
            # Once the plots have laid out their axes at the new size (next turn of the event loop).
            self._refit_pending = True
            QTimer.singleShot(0, self._fit_text)
        return False

    def _fit_text(self) -> None:
        """Titles, axis names and legends sized to the plots: the longest name that fits whole, the
        title's font smaller if even the shortest does not, legend entries in as many columns as fit."""
        self._refit_pending = False
        if not self.built:
            return
        from PySide6.QtGui import QFontMetricsF

        fg = self.palette().text().color().name()
        size = getattr(self, "_text_size", 9.0)
        for key, plot in (("rate", self.rate_plot), ("mass", self.mass_plot)):
            item = plot.getPlotItem()
            # Title and legend share the plot area's column: the width less the left axis's.
            axis_width = item.getAxis("left").geometry().width()
            room = max(40.0, plot.width() - max(axis_width, 40.0) - 10.0)
            title_size = size * 1.1
            font = QFont(self.font())
            font.setPointSizeF(title_size)
            title = next((t for t in self.TITLES[key] if QFontMetricsF(font).horizontalAdvance(t) <= room),
                         self.TITLES[key][-1])
            while QFontMetricsF(font).horizontalAdvance(title) > room and title_size > 6:
                title_size -= 0.5
                font.setPointSizeF(title_size)
            plot.setTitle(title, color=fg, size=f"{title_size:.1f}pt")
            legend = item.legend
            legend_size = size * LEGEND_SCALE
            for _sample, label in legend.items:
                label.setText(label.text, color=fg, size=f"{legend_size:.1f}pt")
            # An entry: its sample, the label with its margins, the spacing to the next column.
            widths = sorted((sample.boundingRect().width() + label.item.boundingRect().width()
                             + legend.layout.horizontalSpacing() + 8 for sample, label in legend.items),
                            reverse=True)
            columns = max(1, len(widths))
            while columns > 1 and sum(widths[:columns]) > room:
                columns -= 1
            if legend.columnCount != columns:
                legend.setColumnCount(columns)
            # The axis name goes along the plot area as tall as title and legend leave it.
            item.layout.activate()
            font.setPointSizeF(size)
            metrics = QFontMetricsF(font)
            height = item.vb.height() if item.vb.height() > 20 else plot.height() * 0.4
            name = next((n for n in self.AXIS_NAMES[key] if metrics.horizontalAdvance(n) <= height - 6),
                        self.AXIS_NAMES[key][-1])
            css = {"color": fg, "font-size": f"{size:.1f}pt"}
            for side, text in (("left", name), ("bottom", "Time (years)")):
                axis = item.getAxis(side)
                if axis.labelText != text or axis.labelStyle != css:
                    plot.setLabel(side, text, **css)
                    item.layout.activate()
                    axis.resizeEvent()  # pyqtgraph centres an axis name only when the axis resizes

    def _reference_pen(self, index: int):  # noqa: ANN202
        import pyqtgraph as pg

        colours = self.colours().references
        pen = pg.mkPen(colours[index % len(colours)], width=self.line_width(0.8))
        pen.setDashPattern(list(REFERENCE_DASHES[index % len(REFERENCE_DASHES)]))
        return pen

    # --- pinned reference runs ----------------------------------------------------------------
    def set_references(self, references) -> None:  # noqa: ANN001
        """Pinned runs as (name, t, formation, resorption, mass): each in its own colour and dash
        pattern, under the live run, and named in both legends. An empty list removes them."""
        # A run with a number no plot can draw (not finite, or beyond ±PLOTTABLE) is left out:
        # pyqtgraph would overflow on it.
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
            # One legend entry per run in each plot: its formation and resorption share the pen.
            cf = self.rate_plot.plot(t, f, pen=pen, name=f"{esc(name)} (pinned)")
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
        self._set_ranges()

    def show_rate_projection(self, t, formation, resorption) -> None:  # noqa: ANN001
        """Formation and resorption from now if nothing changes (dotted); kept until the plots exist."""
        last, self._rate_projection = self._rate_projection, (t, formation, resorption)
        if not self.built:
            return
        same_t = _same(last[0], t)
        for curve, y, i in ((self.formation_projection, formation, 1), (self.resorption_projection, resorption, 2)):
            if not (same_t and _same(last[i], y)):
                curve.setData(t, y)
        if self._last is not None:
            self._set_ranges()

    def _set_ranges(self) -> None:
        t, formation, resorption, mass, proj_t, proj_mass = self._last
        # Ranges snap to whole years and whole percent, and are set only when they change:
        # re-laying out the axes is the costliest part of a redraw (pyqtgraph re-renders labels).
        ref_t = [x for ref in self.references for x in ref[1][-1:]]
        ref_mass = [x for ref in self.references for x in ref[4]]
        ref_rates = [x for ref in self.references for x in (*ref[2], *ref[3])]
        end = math.ceil(max([10.0, *(t[-1:] or [0.0]), *(proj_t[-1:] or [0.0]), *ref_t]))
        lo = 5 * math.floor(min([*mass, *proj_mass, *ref_mass, 99.0]) / 5)  # 5 % steps: ranges rarely move
        hi = 5 * math.ceil(max([*mass, *proj_mass, *ref_mass, 101.0]) / 5)
        rates = [*formation, *resorption, *ref_rates, *self._rate_projection[1], *self._rate_projection[2]] or [0.0]
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
