"""A slider step redraws only what changed on screen: node shades no display can tell apart, and
curves whose numbers did not move, are not redrawn; cached plot axes look exactly like uncached
ones after the ranges and the size change."""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QApplication, QGraphicsItem

from app.model.pathway import Node
from app.ui.diagram.items import CHANGE_FULL, CHANGE_STEPS, NodeItem


class _CountingNode(NodeItem):
    def __init__(self, node: Node) -> None:
        super().__init__(node)
        self.updates = 0

    def _changed(self) -> None:
        self.updates += 1
        super()._changed()


def _node() -> _CountingNode:
    return _CountingNode(Node(id="ros", label="ROS", name="Reactive oxygen species", kind="molecule",
                              compartment="osteoblast", pos=(0.0, 0.0)))


def test_a_node_is_redrawn_only_when_its_colour_or_badge_visibly_changes(qtbot) -> None:
    item = _node()
    step = CHANGE_FULL / CHANGE_STEPS
    item.set_change(10 * step)
    assert item.updates == 1 and item.tint is not None
    shade = item.tint.rgb()
    item.set_change(10 * step + 0.3 * step)  # within the same shade: nothing to redraw
    assert item.updates == 1 and item.tint.rgb() == shade
    assert item.change == pytest.approx(10.3 * step)  # the number itself is kept
    item.set_change(12 * step)  # two shades darker: redrawn
    assert item.updates == 2 and item.tint.rgb() != shade
    item.set_change(-12 * step)  # the other way: another hue and the ▼ badge
    assert item.updates == 3
    item.set_change(0.0)  # back to no change: untinted
    assert item.updates == 4 and item.tint is None


def test_the_badge_alone_changes_a_node(qtbot) -> None:
    item = _node()
    item.set_change(0.0195)  # a light shade, no badge yet
    assert item.updates == 1
    shade = item.tint.rgb()
    item.set_change(0.0199)
    assert item.updates == 1
    item.set_change(0.0205)  # the same shade, but now the ▲ badge shows
    assert item.updates == 2 and item.tint.rgb() == shade


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


def test_a_slider_drag_still_updates_plots_and_diagram(qtbot, window) -> None:
    slider = window.controls.estrogen_slider
    before_mass = list(window.plots.projection_curve.curve.yData)
    before_tints = {nid: item._look() for nid, item in window.scene.node_items.items()}
    for value in range(99, 19, -8):
        slider.setValue(value)
        QApplication.processEvents()
    assert window.model_controller.inputs.estrogen == pytest.approx(27)
    after_mass = list(window.plots.projection_curve.curve.yData)
    assert after_mass[-1] < before_mass[-1] - 1  # less estrogen: the projected bone mass falls
    changed = [nid for nid, item in window.scene.node_items.items() if item._look() != before_tints[nid]]
    assert "osteoclast" in changed and "estrogen" in changed


def _plots_image(window):  # noqa: ANN001, ANN202
    for _ in range(3):
        QApplication.processEvents()
        time.sleep(0.01)
    return window.plots_box.grab().toImage()


def test_cached_axes_draw_exactly_like_uncached_ones(qtbot, window) -> None:
    plots = window.plots
    axes = [plot.getAxis(side) for plot in (plots.rate_plot, plots.mass_plot) for side in ("left", "bottom")]
    assert all(axis.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for axis in axes)
    mc = window.model_controller
    mc.choose_scenario("postmenopause_iron")
    for _ in range(12 * 20):  # twenty model years: both ranges grow
        mc.advance(365.25 / 12)
    window.resize(window.width() - 150, window.height() - 40)
    cached = _plots_image(window)
    for axis in axes:
        axis.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    plain = _plots_image(window)
    assert cached.size() == plain.size() and cached == plain


def test_remembered_pens_follow_every_change_of_look(window, render_scene) -> None:
    """Nodes and edges keep their pens between paints: each change of state must still show,
    and undoing it must give back exactly the first picture."""
    scene = window.scene
    node = scene.node_items["osteoclast"]
    edge = next(e for e in scene.edge_items if e.edge.sign < 0)
    first = render_scene(scene)
    changes = [
        (lambda: node.set_state(selected=True), lambda: node.set_state(selected=False)),
        (lambda: node.set_state(dimmed=True), lambda: node.set_state(dimmed=False)),
        (lambda: node.set_on_path(True), lambda: node.set_on_path(False)),
        (lambda: node.set_change(0.2), lambda: node.set_change(0.0)),
        (lambda: edge.set_on_path(True), lambda: edge.set_on_path(False)),
        (lambda: edge.set_state(highlighted=True), lambda: edge.set_state(highlighted=False)),
        (lambda: edge.set_flow(edge.flow + 0.5), lambda: edge.set_flow(edge.flow - 0.5)),
        (lambda: scene.set_projector_style(True), lambda: scene.set_projector_style(False)),
    ]
    for do, undo in changes:
        do()
        assert render_scene(scene) != first
        undo()
        assert render_scene(scene) == first
