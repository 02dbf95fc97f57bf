"""The diagram as a screen reader gets it through Qt's accessibility API (in process): every node with
its label, role, states and a description that follows the model, the links under each node, the
keyboard cursor as the focused child, and nothing revealed that inquiry mode hides."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QToolTip

from app.ui.diagram.accessible import DiagramAccessible, EdgeAccessible, NodeAccessible

CONTENT = Path(__file__).resolve().parents[3] / "content"
NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description


def diagram(window) -> DiagramAccessible:  # noqa: ANN001
    iface = QAccessible.queryAccessibleInterface(window.view)
    assert isinstance(iface, DiagramAccessible)
    return iface


def node(window, node_id: str) -> NodeAccessible:  # noqa: ANN001
    iface = diagram(window).node(node_id)
    assert iface is not None
    return iface


def described(window, node_id: str) -> str:  # noqa: ANN001
    return node(window, node_id).text(DESCRIPTION)


def test_every_node_is_a_named_button_with_a_description(window) -> None:
    iface = diagram(window)
    pathway = window.content.pathway
    assert iface.text(NAME) == "Mechanism diagram" and iface.role() == QAccessible.Role.Canvas
    assert iface.childCount() == len(pathway.nodes)
    children = [iface.child(i) for i in range(iface.childCount())]
    assert sorted(c.text(NAME) for c in children) == sorted(n.label for n in pathway.nodes)
    for i, child in enumerate(children):
        n = pathway.node(child.id)
        assert child.role() == QAccessible.Role.Button
        assert child.parent() is iface and iface.indexOfChild(child) == i
        text = child.text(DESCRIPTION)
        assert n.name in text, n.id  # what it is
        state = child.state()
        assert state.focusable and state.selectable and state.hasPopup
    # What it does here: its links in and out, by label.
    rankl = described(window, "rankl")
    assert "Activates RANK." in rankl and "Activated by Osteoblast, ROS." in rankl
    assert "Osteoclast lineage" in rankl


def test_node_rects_are_where_the_nodes_are_drawn(window) -> None:
    iface = diagram(window)
    view_rect = QRect(window.view.viewport().mapToGlobal(QPoint(0, 0)), window.view.viewport().size())
    for i in range(iface.childCount()):
        rect = iface.child(i).rect()
        assert view_rect.contains(rect.center()), iface.child(i).text(NAME)
        assert iface.childAt(rect.center().x(), rect.center().y()) is not None
    rankl = node(window, "rankl")
    centre = window.view.viewport().mapToGlobal(window.view.mapFromScene(window.scene.node_items["rankl"].pos()))
    assert rankl.rect().contains(centre)


def test_descriptions_follow_the_model(qtbot, window) -> None:
    mc = window.model_controller
    assert "reference" not in described(window, "estrogen")  # nothing has changed yet
    with qtbot.waitSignal(mc.why_changed):  # the "why" is traced once the inputs rest
        mc.set_estrogen(10)
    assert "Less active than the reference" in described(window, "estrogen")
    assert "More active than the reference" in described(window, "hepcidin")  # estrogen no longer holds it down
    lit = window.scene.lit_nodes()
    assert lit  # the "why" trace of the change
    for nid in window.content.pathway.node_ids:
        assert ("on the traced path" in described(window, nid).lower()) == (nid in lit), nid
    mc.clamp("rankl", "knockout")
    assert "knocked out" in described(window, "rankl")
    mc.clamp("opg", "high")
    assert "clamped high" in described(window, "opg")
    mc.clamp("opg", "low")
    assert "clamped low" in described(window, "opg")
    mc.clamp("opg", "release")
    assert "clamped" not in described(window, "opg")


def test_inquiry_mode_hides_the_colours_from_screen_readers_too(qtbot, window) -> None:
    window.model_controller.set_estrogen(10)
    assert "less active" in described(window, "estrogen").lower()
    window.features["lecture"].act_inquiry.trigger()
    assert "active than the reference" not in described(window, "estrogen")
    window.features["lecture"].act_inquiry.trigger()
    assert "Less active than the reference" in described(window, "estrogen")


def test_selection_and_keyboard_focus_are_states(qtbot, window) -> None:
    iface = diagram(window)
    window.controller.select_node("ros")
    assert node(window, "ros").state().selected and not node(window, "rankl").state().selected
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    assert iface.focusChild() is node(window, "ros")  # selecting moved the cursor there
    assert node(window, "ros").state().focused
    qtbot.keyClick(window.view, Qt.Key.Key_Tab)
    moved = iface.focusChild()
    assert moved is not node(window, "ros") and moved.state().focused and not node(window, "ros").state().focused
    assert moved.id == window.view.keyboard_cursor
    window.search.edit.setFocus()
    qtbot.waitUntil(window.search.edit.hasFocus)
    assert iface.focusChild() is None and not moved.state().focused


def test_links_are_children_of_their_source_and_the_cursor_can_rest_on_one(qtbot, window) -> None:
    pathway = window.content.pathway
    ros = node(window, "ros")
    out = [e for e in pathway.edges if e.source == "ros"]
    assert ros.childCount() == len(out)
    names = {ros.child(i).text(NAME) for i in range(ros.childCount())}
    assert "ROS activates RANKL" in names and "ROS inhibits Osteoblast" in names
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    window.view.set_keyboard_cursor("rankl")
    qtbot.keyClick(window.view, Qt.Key.Key_L)  # RANKL's links: its one way out first, then the ways in
    assert window.view.keyboard_edge == ("rankl", "rank")
    link = diagram(window).focusChild()
    assert isinstance(link, EdgeAccessible) and link.text(NAME) == "RANKL activates RANK"
    assert link.state().focused and not node(window, "rankl").state().focused
    assert link.parent() is node(window, "rankl")
    edge = next(e for e in pathway.edges if e.key == ("rankl", "rank"))
    assert f"Review section {edge.section}" in link.text(DESCRIPTION)
    assert window.scene.focused == (None, ("rankl", "rank"))  # drawn too
    assert QToolTip.isVisible() and edge.note[:30] in QToolTip.text()  # and its note shown, as on hover
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    assert window.view.keyboard_edge is not None and window.view.keyboard_edge[1] == "rankl"  # a way in
    qtbot.keyClick(window.view, Qt.Key.Key_L, Qt.KeyboardModifier.ShiftModifier)
    assert window.view.keyboard_edge == ("rankl", "rank")
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # follow the link
    assert window.view.keyboard_cursor == "rank" and window.view.keyboard_edge is None
    assert diagram(window).focusChild() is node(window, "rank")
    qtbot.keyClick(window.view, Qt.Key.Key_L)
    qtbot.keyClick(window.view, Qt.Key.Key_Escape)  # back to the node
    assert window.view.keyboard_cursor == "rank" and window.view.keyboard_edge is None


def test_a_cut_link_says_so(qtbot, window) -> None:
    key = ("rankl", "rank")
    link = diagram(window).link(key)
    assert "cut" not in link.text(DESCRIPTION)
    mc = window.model_controller
    mc.set_inputs(mc.inputs.replace(edge_knockouts=(key,)), scenario=mc.scenario)  # as the path explorer cuts it
    assert "Cut in the model" in link.text(DESCRIPTION)


def test_interfaces_go_with_their_view(qtbot) -> None:
    from app.knowledge.content import load_content
    from app.ui.diagram.scene import DiagramScene
    from app.ui.diagram.view import DiagramView

    scene = DiagramScene(load_content(CONTENT).pathway)
    view = DiagramView(scene)
    view.show()
    iface = QAccessible.queryAccessibleInterface(view)
    child = iface.child(0)
    assert child.isValid() and child.text(NAME)
    destroyed = []
    view.destroyed.connect(lambda: destroyed.append(True))
    view.deleteLater()
    qtbot.waitUntil(lambda: bool(destroyed))
    try:
        gone = not child.isValid()
    except RuntimeError:  # Qt deleted the interface with the view: as good
        gone = True
    assert gone
    scene.deleteLater()


@pytest.mark.parametrize("node_id", ["estrogen", "bone_mass"])
def test_enter_on_a_node_is_a_click(qtbot, window, node_id) -> None:
    clicked = []
    window.scene.node_clicked.connect(clicked.append)
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    window.view.set_keyboard_cursor(node_id)
    qtbot.keyClick(window.view, Qt.Key.Key_Return)
    assert clicked == [node_id] and window.controller.selected == node_id


def test_a_click_focuses_the_clicked_node_only(qtbot, window) -> None:
    first = window.view.node_order[0]
    target = next(n for n in window.view.node_order if n != first)
    window.search.edit.setFocus()
    qtbot.waitUntil(window.search.edit.hasFocus)
    window.view.set_keyboard_cursor(None)  # as if the diagram had never had the keyboard
    drawn = []
    window.view.cursor_changed.connect(lambda: drawn.append(window.scene.focused[0]))
    pos = window.view.mapFromScene(window.scene.node_items[target].pos())
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    assert window.view.hasFocus() and diagram(window).focusChild() is node(window, target)
    assert first not in drawn and drawn[-1] == target  # no detour over the first node on the way
