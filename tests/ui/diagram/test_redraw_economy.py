"""A slider step redraws only what changed on screen: a node whose shade or badge no display can tell
apart asks for no repaint, and every change of look that shows is drawn and undone exactly."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QGraphicsScene

from app.model.pathway import Node
from app.ui.diagram.items import CHANGE_FULL, CHANGE_STEPS, NodeItem


def _node() -> tuple[QGraphicsScene, NodeItem]:
    scene = QGraphicsScene()
    item = NodeItem(Node(id="ros", label="ROS", name="Reactive oxygen species", kind="molecule",
                         compartment="osteoblast", pos=(0.0, 0.0)))
    scene.addItem(item)
    QApplication.processEvents()  # the item's first appearance is drawn before the test begins
    return scene, item


def _redrawn(scene: QGraphicsScene, change) -> bool:  # noqa: ANN001
    """Whether `change` made the scene ask for a repaint of any region (QGraphicsScene.changed,
    which Qt sends once control is back in the event loop)."""
    regions: list = []
    scene.changed.connect(regions.extend)
    try:
        change()
        QApplication.processEvents()
    finally:
        scene.changed.disconnect(regions.extend)
    return bool(regions)


def test_a_node_is_redrawn_only_when_its_colour_or_badge_visibly_changes(qtbot) -> None:
    scene, item = _node()
    step = CHANGE_FULL / CHANGE_STEPS
    assert _redrawn(scene, lambda: item.set_change(10 * step)) and item.tint is not None
    shade = item.tint.rgb()
    # within the same shade: nothing to redraw
    assert not _redrawn(scene, lambda: item.set_change(10 * step + 0.3 * step)) and item.tint.rgb() == shade
    assert item.change == pytest.approx(10.3 * step)  # the number itself is kept
    assert _redrawn(scene, lambda: item.set_change(12 * step)) and item.tint.rgb() != shade  # two shades darker
    assert _redrawn(scene, lambda: item.set_change(-12 * step))  # the other way: another hue and the ▼ badge
    assert _redrawn(scene, lambda: item.set_change(0.0)) and item.tint is None  # back to no change: untinted


def test_the_badge_alone_changes_a_node(qtbot) -> None:
    scene, item = _node()
    assert _redrawn(scene, lambda: item.set_change(0.0195))  # a light shade, no badge yet
    shade = item.tint.rgb()
    assert not _redrawn(scene, lambda: item.set_change(0.0199))
    assert _redrawn(scene, lambda: item.set_change(0.0205)) and item.tint.rgb() == shade  # now the ▲ badge shows


def _look(item: NodeItem) -> tuple:
    """What a node shows of the model: its tint and its ▲ / ▼ badge."""
    return (None if item.tint is None else item.tint.rgb()), item.change >= 0.02, item.change <= -0.02


def test_a_slider_drag_still_updates_plots_and_diagram(qtbot, window) -> None:
    slider = window.controls.estrogen_slider
    before_mass = list(window.plots.projection_curve.curve.yData)
    before_tints = {nid: _look(item) for nid, item in window.scene.node_items.items()}
    for value in range(99, 19, -8):
        slider.setValue(value)
        QApplication.processEvents()
    assert window.model_controller.inputs.estrogen == pytest.approx(27)
    after_mass = list(window.plots.projection_curve.curve.yData)
    assert after_mass[-1] < before_mass[-1] - 1  # less estrogen: the projected bone mass falls
    changed = [nid for nid, item in window.scene.node_items.items() if _look(item) != before_tints[nid]]
    assert "osteoclast" in changed and "estrogen" in changed


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
