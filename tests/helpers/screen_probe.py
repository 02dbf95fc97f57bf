"""Runs IronBone on the screen this process was started with (the offscreen platform with a screen
size from a configuration file, QT_SCALE_FACTOR for HiDPI) the way a person would use it there, and
prints one JSON object of what it measured: where the window opened, what the toolbar and the
inputs show, the diagram's labels with the quiz open, and presentation mode during a tour.
tests/ui/shell/test_small_screens.py starts it once per screen and checks the numbers."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QRect, QRectF, Qt  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QApplication, QDockWidget  # noqa: E402

from app.knowledge.content import load_content  # noqa: E402
from app.paths import content_dir  # noqa: E402

app = QApplication(sys.argv[:1])


def settle(until=lambda: True, seconds: float = 20.0) -> None:  # noqa: ANN001
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if until():
            break
        time.sleep(0.005)
    for _ in range(5):
        app.processEvents()


def rect(r) -> list[float]:  # noqa: ANN001
    return [r.x(), r.y(), r.width(), r.height()]


def inside(inner, outer, slack: float = 0.5) -> bool:  # noqa: ANN001
    return (inner.left() >= outer.left() - slack and inner.top() >= outer.top() - slack
            and inner.right() <= outer.right() + slack and inner.bottom() <= outer.bottom() + slack)


def text_rect(item) -> QRectF:  # noqa: ANN001
    """The scene rectangle of a text item's text (its document's margin left out)."""
    margin = item.document().documentMargin()
    return item.mapRectToScene(item.boundingRect().adjusted(margin, margin, -margin, -margin))


def toolbar(window) -> dict:  # noqa: ANN001
    """The clock's buttons: shown, whole, inside the toolbar (not in its overflow menu)."""
    bar = window.toolbar
    out = {}
    for name in ("play_button", "step_button", "reset_button"):
        button = getattr(window.controls, name)
        where = QRect(button.mapTo(bar, button.rect().topLeft()), button.size())
        out[name] = button.isVisible() and inside(where, bar.rect()) and button.width() >= button.sizeHint().width()
    return out


def controls(window) -> list[str]:
    """Every value box, tick box and button of the inputs panel, scrolled to: whole in the viewport
    and as wide as its content. Returns what is not."""
    scroll, panel = window.controls_scroll, window.controls
    bad = []
    for widget in [*panel.findChildren(QAbstractSpinBox), *panel.findChildren(QAbstractButton)]:
        if not widget.isVisibleTo(panel) or widget.parent() is panel.time_bar:
            continue
        at = widget.mapTo(panel, widget.rect().center())  # scroll the whole widget into view
        scroll.ensureVisible(at.x(), at.y(), widget.width() // 2 + 1, widget.height() // 2 + 1)
        app.processEvents()
        where = QRect(widget.mapTo(scroll.viewport(), widget.rect().topLeft()), widget.size())
        name = widget.accessibleName() or widget.text() if hasattr(widget, "text") else widget.accessibleName()
        if not inside(where, scroll.viewport().rect()):
            bad.append(f"{name}: {rect(where)} outside the viewport {rect(scroll.viewport().rect())}")
        if widget.width() < widget.sizeHint().width():
            bad.append(f"{name}: {widget.width()} px wide, needs {widget.sizeHint().width()}")
    return bad


def plots(window) -> list[str]:
    """Titles, axis names and legends whole, inside their plot and clear of each other."""
    p = window.plots
    bad = []
    shown = [w for w in (p.rate_plot, p.mass_plot, p.gauge) if w.isVisible()]
    for i, a in enumerate(shown):
        for b in shown[i + 1:]:
            if a.geometry().intersects(b.geometry()):
                bad.append(f"{a.accessibleName()} overlaps {b.accessibleName()}")
    for plot in (p.rate_plot, p.mass_plot):
        item = plot.getPlotItem()
        area = QRectF(plot.viewport().rect())
        vb = item.vb.sceneBoundingRect()
        title = text_rect(item.titleLabel.item)
        left, bottom = item.getAxis("left"), item.getAxis("bottom")
        name = plot.accessibleName()
        if not inside(title, area):
            bad.append(f"{name}: title {item.titleLabel.text!r} {rect(title)} cut by {rect(area)}")
        if title.intersects(vb):
            bad.append(f"{name}: title over the plot area")
        for axis, side in ((left, "left"), (bottom, "bottom")):
            label = text_rect(axis.label)
            if not inside(label, area):
                bad.append(f"{name}: {side} axis name {axis.labelText!r} cut")
            if label.intersects(vb) or label.intersects(title):
                bad.append(f"{name}: {side} axis name {axis.labelText!r} over the plot or title")
        if text_rect(left.label).height() > vb.height() + 4:
            bad.append(f"{name}: left axis name {left.labelText!r} longer than the axis")
        legend = item.legend
        box = legend.sceneBoundingRect()
        if box.intersects(vb):
            bad.append(f"{name}: legend over the curves")
        for _sample, label in legend.items:
            text = text_rect(label.item)
            if not inside(text, area):
                bad.append(f"{name}: legend entry {label.text!r} cut")
        if len(legend.items) < 2:
            bad.append(f"{name}: legend has {len(legend.items)} entries")
    return bad


def diagram(window) -> dict:
    view = window.view
    return {"label_px": view.label_px(), "overview": window.scene.overview_mode, "zoom": view.zoom()}


def main() -> None:
    from app.ui.app import create_window

    screen = app.primaryScreen()
    window = create_window(load_content(content_dir()))
    window.settings.place()  # as an interactive start does (app.ui.app.run_gui)
    window.show()
    settle(lambda: window.model_controller is not None and window.controller.location is not None)
    settle()
    out = {"available": rect(screen.availableGeometry()), "dpr": screen.devicePixelRatio(),
           "frame": rect(window.frameGeometry()), "maximized": window.isMaximized(),
           "toolbar": toolbar(window), "controls": controls(window), "plots": plots(window),
           "diagram": diagram(window)}
    mc = window.model_controller
    mc.choose_scenario("postmenopause_iron")
    mc.advance(2 * 365.25)
    out["curve_pens"] = [c.opts["pen"].widthF() for c in (window.plots.formation_curve, window.plots.mass_curve)]
    out["cosmetic"] = all(c.opts["pen"].isCosmetic() for c in (window.plots.formation_curve,
                                                               window.plots.mass_curve))
    quiz = window.features["quiz"]
    quiz.act_practice.trigger()
    panel = quiz.panel
    panel.type_combo.setCurrentIndex(panel.type_combo.findData("click"))
    panel.start_button.click()
    settle()
    out["quiz"] = {"diagram": diagram(window), "plots": plots(window), "toolbar": toolbar(window),
                   "controls": controls(window)}
    lecture = window.features["lecture"]
    lecture.start_tour("iron-after-menopause")
    for _ in range(5):
        lecture.runner.next()
    mc.finish_play()
    lecture.presentation.enter()
    settle()
    settle()
    side = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
    docks = [d.objectName() for d in window.findChildren(QDockWidget)
             if d.isVisible() and window.dockWidgetArea(d) in side]
    tour = lecture.tour_panel
    dock = tour.parentWidget()
    focus = window.scene.focus_rect()
    shown = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    f5 = {"frame": rect(window.frameGeometry()), "diagram": diagram(window), "plots": plots(window),
          "side_docks": docks, "tour_height": dock.height(), "tour_needs": dock.minimumSizeHint().height(),
          "caption_scrolls": tour.caption.verticalScrollBar().maximum() > 0,
          "focus_centre_shown": shown.contains(focus.center()) if focus is not None else None,
          "plots_height": window.plots.height(), "diagram_height": window.view.viewport().height()}
    scale = lecture.presentation.scale
    window.acts.zoom_in.trigger()  # Ctrl+= while presenting
    settle()
    f5["label_px_larger"] = diagram(window)["label_px"]
    window.acts.zoom_out.trigger()
    settle()
    f5["scale_back"] = lecture.presentation.scale == scale
    lecture.act_inquiry.trigger()  # Ctrl+I
    settle()
    badge = window.view.badge
    f5["inquiry_badge"] = badge is not None and badge.isVisible() and bool(badge.text())
    lecture.act_inquiry.trigger()
    settle()
    f5["inquiry_badge_after"] = badge is not None and badge.isVisible()
    out["f5"] = f5
    lecture.presentation.leave()
    settle()
    out["after_f5"] = {"quiz_dock": quiz.dock.isVisible(), "label_px": window.view.label_px(),
                       "tour_title_bar": dock.titleBarWidget() is None}
    print(json.dumps(out))
    window.settings.save_on_close = False
    window.close()


if __name__ == "__main__":
    main()
