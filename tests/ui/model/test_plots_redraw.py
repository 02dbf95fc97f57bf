"""The plots redraw only what moved: curves whose numbers did not change are not handed to pyqtgraph
again, and cached axes look exactly like uncached ones after the ranges and the size change."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QGraphicsItem


def test_unchanged_curves_are_not_handed_to_pyqtgraph_again(window) -> None:
    plots = window.plots
    calls: dict[str, int] = {}
    for name in ("formation_curve", "resorption_curve", "mass_curve", "projection_curve"):
        curve = getattr(plots, name)
        original = curve.setData

        def counting(*args, _name=name, _original=original, **kwargs):  # noqa: ANN002, ANN003, ANN202
            calls[_name] = calls.get(_name, 0) + 1
            return _original(*args, **kwargs)

        curve.setData = counting
    t, f, r, m, pt, pm = window.model_controller.history()
    plots.show_data(t, f, r, m, pt, pm)
    calls.clear()
    plots.show_data(list(t), list(f), list(r), list(m), list(pt), list(pm))  # equal numbers, new lists
    assert calls == {}
    plots.show_data(t, f, r, m, pt, [x - 1.0 for x in pm])  # only the projection moved
    assert calls == {"projection_curve": 1}
    calls.clear()
    plots.show_data(t, [x + 1.0 for x in f], r, m, pt, pm)
    assert calls == {"formation_curve": 1, "projection_curve": 1}
    curve = plots.formation_curve.curve  # what is drawn really is the new data
    assert list(curve.yData) == pytest.approx([x + 1.0 for x in f])


def _plots_image(window):  # noqa: ANN001, ANN202
    QApplication.processEvents()  # layouts and ranges settle; grab() then paints everything at once
    return window.plots_box.grab().toImage()


def test_cached_axes_draw_exactly_like_uncached_ones(qtbot, window) -> None:
    plots = window.plots
    axes = [plot.getAxis(side) for plot in (plots.rate_plot, plots.mass_plot) for side in ("left", "bottom")]
    assert all(axis.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for axis in axes)
    mc = window.model_controller
    mc.choose_scenario("postmenopause_iron")
    for _ in range(12 * 20):  # twenty model years: both ranges grow
        mc.advance(365.25 / 12)
    size = (window.width() - 150, window.height() - 40)
    window.resize(*size)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    cached = _plots_image(window)
    for axis in axes:
        axis.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    plain = _plots_image(window)
    assert cached.size() == plain.size() and cached == plain
