"""The figures of the study notes: the model runs each plot names (worked out on a worker thread, no
Qt), drawn as a plain line chart with QPainter for print, and the diagram as the Moodle export draws it.
Colours are Okabe–Ito (told apart by people with colour-vision deficiencies) and every run has its
own dash pattern as well, so a black-and-white print still tells the lines apart."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen

if TYPE_CHECKING:
    from app.knowledge.learning import FigureSpec
    from app.model.simulation import Model

WIDTH, HEIGHT = 1500, 820  # px: printed about 16 cm wide, so ~240 dpi
FONT_PX = 27
# The colours of the app's own plots: formation blue, resorption vermillion; runs of bone mass in
# black, orange, bluish green and reddish purple.
FORMATION, RESORPTION = "#0072B2", "#D55E00"
RUN_COLOURS = ("#000000", "#E69F00", "#009E73", "#CC79A7")
RUN_DASHES = (Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine, Qt.PenStyle.DashDotLine)
SAMPLES = 240  # points per line: smooth at print size, small in the file


@dataclass(frozen=True)
class Series:
    label: str
    t: tuple[float, ...]
    y: tuple[float, ...]
    colour: str
    dash: Qt.PenStyle


def _thin(values: Sequence[float], n: int) -> tuple[float, ...]:
    if len(values) <= n:
        return tuple(float(v) for v in values)
    step = (len(values) - 1) / (n - 1)
    return tuple(float(values[round(i * step)]) for i in range(n))


def run_figure(model: Model, spec: FigureSpec) -> list[Series]:
    """The lines of a plot figure: each run of the model for the figure's years (no Qt; a worker
    thread calls this). Raises ValueError naming the run the model refused."""
    from app.model.simulation import Inputs

    out: list[Series] = []
    for i, run in enumerate(spec.runs):
        try:
            traj = model.simulate(Inputs(estrogen=run.estrogen, ferritin=run.ferritin, treatments=run.treatments),
                                  spec.years)
        except ValueError as exc:
            raise ValueError(f"figure {spec.id!r}, run “{run.label}”: {exc}") from None
        t = _thin(traj.t_years, SAMPLES)
        dash = RUN_DASHES[i % len(RUN_DASHES)]
        if spec.plot == "remodelling":
            out.append(Series(f"Formation, {run.label}", t, _thin(traj.formation, SAMPLES), FORMATION, dash))
            out.append(Series(f"Resorption, {run.label}", t, _thin(traj.resorption, SAMPLES), RESORPTION, dash))
        else:
            out.append(Series(run.label, t, _thin(traj.bone_mass_pct, SAMPLES), RUN_COLOURS[i % len(RUN_COLOURS)],
                              dash))
    return out


def _ticks(lo: float, hi: float, most: int = 6) -> list[float]:
    """Round tick values covering [lo, hi]."""
    span = max(hi - lo, 1e-9)
    raw = span / most
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step + 1e-9) + 1)]


def y_label(spec: FigureSpec) -> str:
    return "Rate (% of bone per year)" if spec.plot == "remodelling" else "Bone mass (% of the start)"


def plot_image(spec: FigureSpec, series: Sequence[Series], width: int = WIDTH, height: int = HEIGHT) -> QImage:
    """A line chart of `series` on white: axes with round ticks, grid lines, a legend above the plot."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.white)
    p = QPainter(image)
    try:
        p.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        font = QFont("DejaVu Sans")
        font.setPixelSize(FONT_PX)
        p.setFont(font)
        fm = p.fontMetrics()
        line_h = fm.height()
        # The legend, in as many rows as it needs, above the plot.
        entries = [(s, fm.horizontalAdvance(s.label) + 90) for s in series]
        rows: list[list[Series]] = [[]]
        used = 0
        for s, w in entries:
            if rows[-1] and used + w > width - 140:
                rows.append([])
                used = 0
            rows[-1].append(s)
            used += w
        top = 20 + len(rows) * (line_h + 8) + 16
        ys = [v for s in series for v in s.y]
        lo, hi = (min(ys), max(ys)) if ys else (0.0, 1.0)
        pad = max((hi - lo) * 0.08, 0.5)
        lo, hi = lo - pad, hi + pad
        yticks = _ticks(lo, hi)
        lo, hi = min(lo, yticks[0]), max(hi, yticks[-1])
        label_w = max(fm.horizontalAdvance(f"{v:g}") for v in yticks)
        left = 40 + line_h + label_w + 16
        right, bottom = width - 40, height - (2 * line_h + 40)
        plot = QRectF(left, top, right - left, bottom - top)
        years = spec.years or max((s.t[-1] for s in series if s.t), default=1.0)
        xticks = _ticks(0.0, years, 10)

        def at(t: float, v: float) -> QPointF:
            return QPointF(plot.left() + plot.width() * t / years,
                           plot.bottom() - plot.height() * (v - lo) / (hi - lo))

        grid = QPen(QColor("#d9d9d9"), 1.5)
        axis = QPen(QColor("#222222"), 2.5)
        for v in yticks:
            y = at(0, v).y()
            p.setPen(grid)
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(axis)
            text = f"{v:g}"
            p.drawText(QRectF(plot.left() - label_w - 16, y - line_h / 2, label_w + 6, line_h),
                       Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, text)
        for t in xticks:
            x = at(t, lo).x()
            p.setPen(grid)
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(axis)
            p.drawText(QRectF(x - 60, plot.bottom() + 6, 120, line_h), Qt.AlignmentFlag.AlignCenter, f"{t:g}")
        p.setPen(axis)
        p.drawLine(plot.bottomLeft(), plot.bottomRight())
        p.drawLine(plot.bottomLeft(), plot.topLeft())
        p.drawText(QRectF(plot.left(), plot.bottom() + line_h + 12, plot.width(), line_h),
                   Qt.AlignmentFlag.AlignCenter, "Years after the start of the run")
        p.save()
        p.translate(30, plot.center().y())
        p.rotate(-90)
        p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), line_h), Qt.AlignmentFlag.AlignCenter, y_label(spec))
        p.restore()
        p.setClipRect(plot.adjusted(-3, -3, 3, 3))
        for s in series:
            path = QPainterPath(at(s.t[0], s.y[0]))
            for t, v in zip(s.t[1:], s.y[1:], strict=True):
                path.lineTo(at(t, v))
            pen = QPen(QColor(s.colour), 5)
            pen.setStyle(s.dash)
            pen.setCapStyle(Qt.PenCapStyle.FlatCap)
            p.setPen(pen)
            p.drawPath(path)
        p.setClipping(False)
        y = 20.0
        for row in rows:
            x = float(left)
            for s in row:
                pen = QPen(QColor(s.colour), 5)
                pen.setStyle(s.dash)
                p.setPen(pen)
                p.drawLine(QPointF(x, y + line_h / 2), QPointF(x + 64, y + line_h / 2))
                p.setPen(axis)
                p.drawText(QRectF(x + 74, y, width, line_h), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                           s.label)
                x += fm.horizontalAdvance(s.label) + 90 + 20
            y += line_h + 8
    finally:
        p.end()
    return image
