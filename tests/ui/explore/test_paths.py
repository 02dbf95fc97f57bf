"""The path explorer driven like a student: open it, pick nodes, read the hepcidin route and its
sign, light it on the diagram, knock out hepcidin, cut a link and put it back."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

CONTENT = Path(__file__).resolve().parents[3] / "content"
# estrogen -| hepcidin -| FPN1 -| labile iron -> osteoclast -> bone resorption -| bone mass: four
# inhibitions in content/pathway.yaml, so more estrogen raises bone mass along it (+).
HEPCIDIN_ROUTE = ("estrogen", "hepcidin", "fpn1_ob", "labile_iron", "osteoclast", "bone_resorption", "bone_mass")


def _paths(window):  # noqa: ANN001, ANN202
    return window.features["paths"]


def _row_of(explorer, nodes) -> int:
    return next(i for i, p in enumerate(explorer.result.paths) if p.nodes == nodes)


def _click_row(qtbot, explorer, row: int) -> None:
    table = explorer.table
    table.scrollToItem(table.item(row, 0))
    rect = table.visualItemRect(table.item(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _choose(qtbot, combo, text: str) -> None:
    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), text)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)


def test_the_explorer_lists_the_hepcidin_route_with_its_sign_and_lights_it(qtbot, window) -> None:
    assert _paths(window).dock is None  # built on first use
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dock = window.findChild(type(window.node_dock), "paths_dock")
    assert dock is not None and dock.isVisible()
    ex = _paths(window).explorer
    # Type the nodes like a person: first another target, then bone mass again.
    _choose(qtbot, ex.target_combo, window.content.pathway.node("osteoclast").label)
    assert ex.target == "osteoclast"
    assert all(p.nodes[-1] == "osteoclast" for p in ex.result.paths)
    _choose(qtbot, ex.target_combo, window.content.pathway.node("bone_mass").label)
    assert (ex.source, ex.target) == ("estrogen", "bone_mass")
    row = _row_of(ex, HEPCIDIN_ROUTE)
    assert ex.table.item(row, 0).text() == "+"
    assert ex.table.item(row, 1).text() == "6"
    assert ex.table.item(row, 3).text() == "open"
    fpn1_ob = window.content.pathway.node("fpn1_ob").label
    assert ex.table.item(row, 4).text().startswith(f"⊣ Hepcidin ⊣ {fpn1_ob} ⊣ ")
    assert ex.table.item(row, 4).toolTip().startswith(f"Estrogen ⊣ Hepcidin ⊣ {fpn1_ob} ⊣ ")
    assert "10 steps" in ex.note.text() and "routes" in ex.summary.text()
    _click_row(qtbot, ex, row)
    scene = window.scene
    for nid, item in scene.node_items.items():
        assert item.on_path == (nid in HEPCIDIN_ROUTE), nid
    lit = {e.edge.key for e in scene.edge_items if e.on_path}
    assert lit == set(zip(HEPCIDIN_ROUTE, HEPCIDIN_ROUTE[1:], strict=False))
    assert "more Estrogen raises" in ex.route_label.text()
    # Closing the dock hands the diagram back to the "why" trace.
    dock.close()
    assert not scene.node_items["hepcidin"].on_path


def test_knocking_out_hepcidin_marks_its_routes_cut(qtbot, window) -> None:
    _paths(window).explore("estrogen", "bone_mass")
    ex = _paths(window).explorer
    before = ex.result.counts()
    assert before["cut"] == 0
    window.model_controller.clamp("hepcidin", "knockout")
    through = [i for i, p in enumerate(ex.result.paths) if "hepcidin" in p.nodes]
    assert through
    for i in through:
        assert ex.table.item(i, 3).text() == "cut"
        assert ex.table.item(i, 4).font().strikeOut()
        assert "Hepcidin is knocked out" in ex.table.item(i, 3).toolTip()
    assert ex.result.counts()["cut"] == len(through)
    assert "Knocked out: Hepcidin" in ex.note.text()
    window.model_controller.clamp("hepcidin", "release")
    assert ex.result.counts()["cut"] == 0


def test_cutting_a_link_changes_the_model_and_the_list_and_marks_the_diagram(qtbot, window) -> None:
    _paths(window).explore("estrogen", "bone_mass")
    ex = _paths(window).explorer
    ex.steps_spin.setValue(8)  # few enough routes that the cut ones are listed too
    mc = window.model_controller
    _click_row(qtbot, ex, _row_of(ex, HEPCIDIN_ROUTE))
    ex.link_combo.setCurrentIndex(ex.link_combo.findText("→ Osteoclast", Qt.MatchFlag.MatchEndsWith))
    key = tuple(ex.link_combo.currentData())
    assert key == ("labile_iron", "osteoclast")
    osteoclast_before = mc.state.activities["osteoclast"]
    qtbot.mouseClick(ex.cut_button, Qt.MouseButton.LeftButton)
    assert mc.inputs.edge_knockouts == (key,)
    assert mc.state.activities["osteoclast"] < osteoclast_before  # iron no longer drives osteoclasts
    assert ex.table.item(_row_of(ex, HEPCIDIN_ROUTE), 3).text() == "cut"
    assert ex.cut_button.text() == "Restore link"
    assert key in window.scene.cut_marks and window.scene.cut_marks[key].scene() is window.scene
    assert "cut" in window.statusBar().currentMessage()
    qtbot.mouseClick(ex.restore_button, Qt.MouseButton.LeftButton)
    assert mc.inputs.edge_knockouts == ()
    assert not window.scene.cut_marks
    assert ex.table.item(_row_of(ex, HEPCIDIN_ROUTE), 3).text() == "open"
    # Reset all also restores links.
    ex.toggle_chosen_link()
    assert mc.inputs.edge_knockouts
    mc.reset_all()
    assert not window.scene.cut_marks and ex.result.counts()["cut"] == 0


def test_swap_and_step_cap(qtbot, window) -> None:
    _paths(window).explore("estrogen", "bone_mass")
    ex = _paths(window).explorer
    qtbot.mouseClick(ex.swap_button, Qt.MouseButton.LeftButton)
    assert (ex.source, ex.target) == ("bone_mass", "estrogen")
    assert ex.table.rowCount() == 0 and "No route" in ex.summary.text()
    qtbot.mouseClick(ex.swap_button, Qt.MouseButton.LeftButton)
    ex.steps_spin.setValue(4)
    assert ex.result.paths and all(p.length <= 4 for p in ex.result.paths)
    assert "at most 4 steps" in ex.note.text()
    _paths(window).explore("nope", "bone_mass")
    assert "unknown node 'nope'" in window.statusBar().currentMessage()
