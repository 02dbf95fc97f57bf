"""Exports for slides and handouts: the diagram (PNG at 1x/2x/4x, SVG, PDF, clipboard) as it is
coloured now, with its legend; both plots as one figure (PNG, SVG); the run's data (CSV).

A figure carries a caption under it (unless asked not to): the model's settings as they came down
from the model (estrogen, ferritin, the year, treatments, clamps), the review it is built on and a
"teaching model" note, so a slide says what it shows. The user's pointer (selection ring, keyboard
cursor, hover) is never part of a figure."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QPoint, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene, QWidget

from app.ui.diagram.render import caption_height, draw_caption, drawn_for_print, figure_rect

if TYPE_CHECKING:
    from app.knowledge.content import Reference
    from app.model.simulation import Inputs

PNG_SCALES = (1, 2, 4)
REVIEW_KEY = "cai2023"  # the review the model is built on (content/references.yaml)
TEACHING_NOTE = "IronBone teaching model: qualitative directions, not patient data or clinical advice."


class ExportError(Exception):
    """An export that could not be written; the message names the file and the reason."""


def review_citation(ref: Reference | None) -> str:
    """The review as a figure cites it: "Cai et al., 2023, J Zhejiang Univ Sci B 24(4):301–311"."""
    if ref is None:
        return "Cai et al., 2023, J Zhejiang Univ Sci B 24(4):301–311"
    vol, issue = str(ref.extra.get("volume", "") or ""), str(ref.extra.get("issue", "") or "")
    pages = str(ref.extra.get("pages", "") or "").replace("-", "–")
    where = f"{vol}({issue})" if vol and issue else vol
    tail = f" {where}:{pages}" if where and pages else f" {where}" if where else ""
    return f"{ref.short()}, {ref.journal}{tail}"


def figure_caption(inputs: Inputs, t_years: float, treatment_names: Iterable[str] = (),
                   node_names: dict[str, str] | None = None, citation: str = "") -> str:
    """The caption under an exported figure, from the model's state: its settings, the source and the note."""
    names = node_names or {}
    parts = [f"Estrogen {inputs.estrogen:g} % of the premenopausal level",
             f"serum ferritin {inputs.ferritin:g} µg/L", f"year {t_years:.1f}"]
    treatments = list(treatment_names)
    parts.append(f"treatments: {', '.join(treatments)}" if treatments else "no treatment")
    if inputs.knockouts:
        parts.append("knocked out: " + ", ".join(names.get(n, n) for n in inputs.knockouts))
    if inputs.clamps:
        held = (f"{names.get(n, n)} at {v:g}" for n, v in sorted(inputs.clamps.items()))
        parts.append("held fixed: " + ", ".join(held))
    if inputs.edge_knockouts:
        parts.append(f"{len(inputs.edge_knockouts)} link(s) cut")
    source = f"After {citation}." if citation else ""
    return f"{'; '.join(parts)}.\n{source} {TEACHING_NOTE}".strip()


def diagram_image(scene: QGraphicsScene, scale: int = 1, caption: str = "") -> QImage:
    rect = figure_rect(scene)
    size = QSize(int(rect.width()) * scale, int(rect.height()) * scale)
    extra = caption_height(caption, size.width())
    image = QImage(QSize(size.width(), size.height() + int(extra)), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    with drawn_for_print(scene):
        scene.render(painter, QRectF(0, 0, size.width(), size.height()), rect)
    if caption:
        draw_caption(painter, QRectF(0, size.height(), size.width(), extra), caption)
    painter.end()
    return image


def export_diagram_png(scene: QGraphicsScene, path: Path, scale: int = 1, caption: str = "") -> Path:
    if scale not in PNG_SCALES:
        raise ExportError(f"scale must be one of {', '.join(map(str, PNG_SCALES))} (got {scale!r})")
    if not diagram_image(scene, scale, caption).save(str(path), "PNG"):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    return path


def export_diagram_svg(scene: QGraphicsScene, path: Path, title: str = "IronBone diagram", caption: str = "") -> Path:
    rect = figure_rect(scene)
    extra = caption_height(caption, rect.width())
    gen = QSvgGenerator()
    gen.setFileName(str(path))
    gen.setSize(QSize(int(rect.width()), int(rect.height() + extra)))
    gen.setViewBox(QRectF(0, 0, rect.width(), rect.height() + extra))
    gen.setTitle(title)
    gen.setDescription(caption or "Exported from IronBone; after Fig. 1 of Cai et al. 2023, doi:10.1631/jzus.B2200519")
    painter = QPainter()
    if not painter.begin(gen):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    with drawn_for_print(scene):
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
    if caption:
        draw_caption(painter, QRectF(0, rect.height(), rect.width(), extra), caption)
    painter.end()
    return path


def export_diagram_pdf(scene: QGraphicsScene, path: Path, caption: str = "") -> Path:
    rect = figure_rect(scene)
    extra = caption_height(caption, rect.width())
    writer = QPdfWriter(str(path))
    writer.setTitle("IronBone diagram")
    writer.setCreator("IronBone")
    writer.setResolution(150)
    # A page the shape of the diagram and its caption (in points), so nothing is squeezed or cut.
    writer.setPageSize(QPageSize(QSizeF(rect.width() * 0.75, (rect.height() + extra) * 0.75), QPageSize.Unit.Point))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    painter = QPainter()
    if not painter.begin(writer):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    k = writer.width() / rect.width()  # device pixels per scene unit
    painter.scale(k, k)
    with drawn_for_print(scene):
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect, Qt.AspectRatioMode.KeepAspectRatio)
    if caption:
        draw_caption(painter, QRectF(0, rect.height(), rect.width(), extra), caption)
    painter.end()
    return path


def copy_diagram(scene: QGraphicsScene, scale: int = 2, caption: str = "") -> QImage:
    image = diagram_image(scene, scale, caption)
    QGuiApplication.clipboard().setImage(image)
    return image


def export_plots(widgets, path: Path, *, scale: int = 2, caption: str = "") -> Path:  # noqa: ANN001 - PlotWidgets
    """One figure of the plots side by side, as they are on screen, to exactly `path`: PNG (at
    `scale` times the screen's pixels) or SVG (Qt's own generator: pyqtgraph's fails on current Qt)."""
    widgets = list(widgets)
    width = sum(w.width() for w in widgets)
    plots_height = max(w.height() for w in widgets)
    extra = caption_height(caption, width)
    height = plots_height + int(extra)
    suffix = path.suffix.lower()
    if suffix == ".svg":
        device = QSvgGenerator()
        device.setFileName(str(path))
        device.setSize(QSize(width, height))
        device.setViewBox(QRectF(0, 0, width, height))
        device.setTitle("IronBone plots")
        device.setDescription("Formation and resorption; bone mass. Exported from IronBone")
    elif suffix == ".png":
        device = QImage(QSize(width * scale, height * scale), QImage.Format.Format_ARGB32)
        device.fill(widgets[0].palette().base().color())
    else:
        raise ExportError(f"{path.name}: plots export as .png or .svg")
    painter = QPainter()
    if not painter.begin(device):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    if suffix == ".png":
        painter.scale(scale, scale)
    try:
        x = 0
        for w in widgets:  # each paints itself as on screen (title, axes, curves, legend), as vectors
            QWidget.render(w, painter, QPoint(x, 0))  # the widget's own render: QGraphicsView's draws its scene
            x += w.width()
        if caption:
            draw_caption(painter, QRectF(0, plots_height, width, extra), caption)
    finally:
        painter.end()
    if suffix == ".png" and not device.save(str(path), "PNG"):
        raise ExportError(f"cannot write {path}: check the folder exists and is writable")
    return path


def export_csv(history, path: Path) -> Path:  # noqa: ANN001 - ModelController.history()
    t, formation, resorption, mass, _pt, _pm = history
    try:
        with path.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["t_years", "formation_pct_per_year", "resorption_pct_per_year", "bone_mass_pct"])
            for row in zip(t, formation, resorption, mass, strict=True):
                w.writerow([f"{v:.6g}" for v in row])
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
