"""The window used with the keyboard alone: window-wide keys never take a key from the focused control
that uses it, Play and Step have keys that work from anywhere, the Menu key and Shift+F10 open a node's
menu, F6 cycles the regions, Tab visits the inputs before the diagram's nodes, an opening dock takes
the focus, the node list opens readable, and the focus is drawn clearly (contrast computed from the
colours, the ring found on screen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QMenu, QScrollArea, QWidget

from app.ui.shell.focus_ring import HALO_PX, ring_colours

KEY = Qt.Key
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def focus(qtbot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


# --- keys stay with the control that uses them -----------------------------------------------------
def test_space_on_a_treatment_ticks_it_and_does_not_start_the_clock(qtbot, window) -> None:
    mc = window.model_controller
    box = window.controls.treatment_boxes["denosumab"]
    focus(qtbot, box)
    qtbot.keyClick(box, KEY.Key_Space)
    assert box.isChecked() and "denosumab" in mc.inputs.treatments
    assert not mc.playing
    qtbot.keyClick(box, KEY.Key_Space)
    assert not box.isChecked() and mc.inputs.treatments == ()
    assert not mc.playing and mc.state.t_years == 0


def test_right_on_the_estrogen_slider_moves_the_slider_and_not_the_clock(qtbot, window) -> None:
    mc, slider = window.model_controller, window.controls.estrogen_slider
    slider.setValue(50)
    focus(qtbot, slider)
    qtbot.keyClick(slider, KEY.Key_Right)
    assert slider.value() == 51 and mc.inputs.estrogen == pytest.approx(51)
    assert mc.state.t_years == 0
    qtbot.keyClick(slider, KEY.Key_PageDown)  # not "next tour step" either
    assert slider.value() == 41


def test_keys_stay_with_radio_buttons_lists_and_combo_boxes(qtbot, window) -> None:
    mc = window.model_controller
    window.acts.node_list.trigger()
    node_list = window.node_list
    focus(qtbot, node_list)
    node_list.setCurrentRow(0)
    zoom = window.view.zoom()
    qtbot.keyClick(node_list, KEY.Key_Down)
    assert node_list.currentRow() == 1 and mc.state.t_years == 0
    qtbot.keyClick(node_list, KEY.Key_F)  # jumps to an entry: the diagram is not fitted
    assert window.view.zoom() == zoom
    qtbot.keyClick(node_list, KEY.Key_Space)
    assert not mc.playing
    combo = window.controls.speed_combo
    focus(qtbot, combo)
    index = combo.currentIndex()
    qtbot.keyClick(combo, KEY.Key_Down)
    assert combo.currentIndex() == index + 1 and mc.state.t_years == 0


def test_space_and_right_still_play_and_step_where_nothing_uses_them(qtbot, window) -> None:
    mc = window.model_controller
    focus(qtbot, window.view)
    qtbot.keyClick(window.view, KEY.Key_Space)  # the diagram has no use for Space
    assert mc.playing
    qtbot.keyClick(window.view, KEY.Key_Space)
    assert not mc.playing
    plot = window.plots.mass_plot  # a plot has no use for the arrow keys
    focus(qtbot, plot)
    qtbot.keyClick(plot, KEY.Key_Right)
    assert mc.state.t_years == pytest.approx(1 / 12, abs=0.01)


def test_ctrl_space_and_ctrl_right_work_from_any_control(qtbot, window) -> None:
    mc = window.model_controller
    box = window.controls.treatment_boxes["denosumab"]
    focus(qtbot, box)
    qtbot.keyClick(box, KEY.Key_Space, CTRL)
    assert mc.playing and not box.isChecked()
    qtbot.keyClick(box, KEY.Key_Space, CTRL)
    assert not mc.playing
    slider = window.controls.estrogen_slider
    focus(qtbot, slider)
    value = slider.value()
    qtbot.keyClick(slider, KEY.Key_Right, CTRL)
    assert mc.state.t_years == pytest.approx(1 / 12, abs=0.01) and slider.value() == value
    # The menu shows the keys that work everywhere.
    assert window.acts.play.shortcut().toString() == "Ctrl+Space"
    assert window.acts.step.shortcut().toString() == "Ctrl+Right"


def test_typing_in_the_search_box_keeps_every_key(qtbot, window) -> None:
    mc = window.model_controller
    edit = window.search.edit
    focus(qtbot, edit)
    zoom = window.view.zoom()
    qtbot.keyClicks(edit, "f ros")
    assert edit.text() == "f ros" and not mc.playing and window.view.zoom() == zoom
    qtbot.keyClick(edit, KEY.Key_Right, CTRL)
    assert mc.state.t_years == 0  # Ctrl+Right moves by a word in a text field


# --- the diagram's node menu -----------------------------------------------------------------------
@pytest.mark.parametrize(("key", "mods"), [(KEY.Key_Menu, Qt.KeyboardModifier.NoModifier), (KEY.Key_F10, SHIFT)])
def test_menu_key_and_shift_f10_open_the_focused_nodes_menu(qtbot, window, key, mods) -> None:
    mc = window.model_controller
    focus(qtbot, window.view)
    window.view.set_keyboard_cursor("rankl")
    qtbot.keyClick(window.view, key, mods)
    menu = window.model_binding.node_menu
    assert isinstance(menu, QMenu)
    qtbot.waitUntil(menu.isVisible)
    assert menu.accessibleName() == "Actions for RANKL"
    node = window.view.viewport().mapToGlobal(window.view.mapFromScene(window.scene.node_items["rankl"].pos()))
    assert menu.geometry().contains(node)  # placed at the node, not at the mouse
    qtbot.keyClick(menu, KEY.Key_Down)
    assert menu.activeAction().text().startswith("Knock out RANKL")
    qtbot.keyClick(menu, KEY.Key_Return)
    assert mc.clamp_mode("rankl") == "knockout" and window.scene.node_items["rankl"].clamp == "knockout"


# --- regions and tab order ----------------------------------------------------------------------------
def test_f6_cycles_the_regions_and_shift_f6_goes_back(qtbot, window) -> None:
    focus(qtbot, window.search.edit)
    window.features["paths"].toggle()  # a dock open on the right
    dock = window.features["paths"].dock
    qtbot.waitUntil(lambda: dock.isAncestorOf(QApplication.focusWidget()))
    focus(qtbot, window.search.edit)
    seen = []
    for _ in range(5):
        qtbot.keyClick(QApplication.focusWidget(), KEY.Key_F6)
        seen.append(QApplication.focusWidget())
    assert seen[0] is window.controls.estrogen_slider  # the inputs
    assert seen[1] is window.view
    assert seen[2] is window.panel
    assert dock.isAncestorOf(seen[3])
    assert seen[4] is window.search.edit  # round again
    qtbot.keyClick(QApplication.focusWidget(), KEY.Key_F6, SHIFT)
    assert dock.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), KEY.Key_F6, SHIFT)
    assert QApplication.focusWidget() is window.panel
    assert window.keyboard.next_region in window.menus["go"].actions()


def test_tab_visits_search_and_inputs_before_the_diagram_and_its_nodes(qtbot, window) -> None:
    focus(qtbot, window.search.edit)
    visited = []
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), KEY.Key_Tab)
        widget = QApplication.focusWidget()
        if widget is window.view:
            break
        visited.append(widget)
    assert QApplication.focusWidget() is window.view
    controls = window.controls
    for expected in (controls.play_button, controls.speed_combo, controls.estrogen_slider, controls.ferritin_spin,
                     controls.scenario_combo, *controls.treatment_boxes.values()):
        assert expected in visited
    assert visited.index(controls.play_button) < visited.index(controls.estrogen_slider)
    # Then every node, and on to the page.
    nodes = {window.view.keyboard_cursor}
    for _ in range(len(window.content.pathway.nodes) - 1):
        qtbot.keyClick(window.view, KEY.Key_Tab)
        nodes.add(window.view.keyboard_cursor)
    assert nodes == set(window.content.pathway.node_ids)
    qtbot.keyClick(window.view, KEY.Key_Tab)
    assert QApplication.focusWidget() is window.panel


def test_opening_a_dock_moves_the_focus_into_it(qtbot, window) -> None:
    focus(qtbot, window.view)
    window.features["compare"].toggle_panel()
    dock = window.features["compare"].dock
    qtbot.waitUntil(lambda: dock.isAncestorOf(QApplication.focusWidget()))
    focus(qtbot, window.view)
    qtbot.keyClick(window.view, KEY.Key_L, CTRL)  # Ctrl+L: the node list
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.node_list)


def test_the_node_list_opens_wide_enough_to_read_every_entry(qtbot, window) -> None:
    qtbot.keyClick(window, KEY.Key_L, CTRL)
    node_list, dock = window.node_list, window.node_dock
    qtbot.waitUntil(lambda: node_list.isVisible() and dock.rect().contains(node_list.geometry()))  # laid out
    widest = node_list.sizeHintForColumn(0)
    assert node_list.viewport().width() >= widest, "entries are cut"
    assert window.node_dock.width() <= 0.45 * window.width()


# --- the focus is visible (its colours' contrast: tests/ui/test_contrast.py) -------------------------
def test_the_ring_is_drawn_around_the_focused_control(qtbot, window) -> None:
    box = window.controls.treatment_boxes["denosumab"]
    focus(qtbot, box)
    ring = window.keyboard.ring
    qtbot.waitUntil(ring.isVisible)
    where = QPoint(*box.mapTo(window, QPoint(0, 0)).toTuple())
    assert ring.geometry().contains(where) and ring.target is box
    image: QImage = window.grab(ring.geometry()).toImage()
    core, _ = ring_colours(ring.background())
    mid_top = [image.pixelColor(image.width() // 2, y).name() for y in range(HALO_PX + 2)]
    assert mid_top[HALO_PX:] == [core.name()] * 2  # past the halo, at least 2 px of the core
    focus(qtbot, window.view)
    assert not ring.isVisible()  # the diagram draws its own: the ring on the node


def _share_of(pixel: QColor, core: QColor, halo: QColor) -> float:
    """How much of the core a pixel shows, 0 (the halo) to 1 (the core): anti-aliasing blends the
    ring's edges into the pixels it half covers."""
    axis = [c - h for c, h in zip(core.getRgb()[:3], halo.getRgb()[:3], strict=True)]
    offset = [p - h for p, h in zip(pixel.getRgb()[:3], halo.getRgb()[:3], strict=True)]
    return max(0.0, min(1.0, sum(a * o for a, o in zip(axis, offset, strict=True)) / sum(a * a for a in axis)))


def _near(a: QColor, b: QColor, tolerance: int = 40) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def _ring_in(column: list[QColor], core: QColor, halo: QColor) -> bool:
    """A band of the core at least 3 px thick (its pixels' shares summed, edges blended by
    anti-aliasing) with a pixel of the halo on each side."""
    shares = [_share_of(p, core, halo) for p in column]
    start = 0
    while start < len(column):
        end = start
        while end < len(column) and shares[end] >= 0.1:
            end += 1
        if end > start:
            if sum(shares[start:end]) >= 2.8 and 0 < start and end < len(column) \
                    and _near(column[start - 1], halo) and _near(column[end], halo):
                return True
            start = end
        else:
            start += 1
    return False


@pytest.mark.parametrize("zoom", [None, 0.3], ids=["fitted", "zoomed-out"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_diagrams_focus_ring_is_on_screen_in_the_schemes_colours(qtbot, window, scheme, zoom) -> None:
    # What colours the ring has, and their contrast, is the palette's (tests/ui/test_contrast.py
    # measures them); here the ring is found drawn: 3 px of the core between two bands of the halo,
    # in the detailed look and in the zoomed-out look of plain boxes alike.
    from app.ui.diagram.items import LOD_SIMPLE

    window.acts.schemes[scheme].trigger()
    colours = window.scene.colours()
    assert colours.name == scheme
    core, halo = QColor(colours.focus_core), QColor(colours.focus_halo)
    focus(qtbot, window.view)
    window.view.set_keyboard_cursor("rankl")
    item = window.scene.node_items["rankl"]
    assert item.focused
    if zoom is not None:
        window.view.zoom_by(zoom / window.view.zoom())
        window.view.centerOn(item)
        assert window.view.zoom() < LOD_SIMPLE
    top = window.view.mapFromScene(item.sceneBoundingRect().center().x(), item.simple_rect().top())
    image = window.view.viewport().grab().toImage()
    column = [image.pixelColor(top.x(), y) for y in range(top.y() - 16, top.y() + 4)]
    assert _ring_in(column, core, halo), [c.name() for c in column]
    if zoom is not None:  # that was the scene's batched overview; the node's own paint draws it too
        assert window.scene.overview_mode
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QImage, QPainter

        area = item.simple_rect().adjusted(-60, -60, 60, 60)
        own = QImage(int(area.width() * zoom), int(area.height() * zoom), QImage.Format.Format_RGB32)
        painter = QPainter(own)
        window.scene.render(painter, QRectF(own.rect()), area)
        painter.end()
        x, y = own.width() // 2, round(60 * zoom)
        column = [own.pixelColor(x, row) for row in range(y - 16, y + 4)]
        assert _ring_in(column, core, halo), [c.name() for c in column]


def test_dialogs_get_the_ring_too(qtbot, window) -> None:
    from PySide6.QtWidgets import QDialog

    from app.ui.shell.focus_ring import FocusRing

    window.acts.shortcuts.trigger()
    dialog = next(d for d in window.findChildren(QDialog) if d.windowTitle() == "Keyboard shortcuts")
    qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
    ring = dialog.findChild(FocusRing)
    assert ring is not None
    qtbot.waitUntil(ring.isVisible)
    assert ring.target is QApplication.focusWidget()
    rows = [dialog.findChild(type(ring.target)).item(r, 0).text() for r in range(ring.target.rowCount())]
    assert "Next region" in rows and "Knock out, clamp or release the node under the cursor" in rows
    dialog.close()


def test_a_dialog_that_takes_the_focus_itself_gets_no_ring_around_itself(qtbot, window) -> None:
    # Model ▸ Evidence gives the focus to the dialog itself: the ring has nothing to outline there
    # (and must not measure the dialog against the main window above it: Qt warns).
    from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout

    from app.ui.shell.focus_ring import FocusRing

    dialog = QDialog(window)
    button = QPushButton("Close", dialog)
    QVBoxLayout(dialog).addWidget(button)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    dialog.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog)
    ring = dialog.findChild(FocusRing)
    assert ring is not None and ring.target is None and not ring.isVisible()
    focus(qtbot, button)  # a control in it still wears the ring
    qtbot.waitUntil(ring.isVisible)
    assert ring.target is button
    dialog.close()


def test_a_control_focused_out_of_sight_is_scrolled_into_view(qtbot, window) -> None:
    """Focus that comes by a shortcut or a screen reader, not by Tab, still shows where it is."""
    box = window.controls.treatment_boxes["denosumab"]
    area = next(w for w in _ancestors(box) if isinstance(w, QScrollArea))
    area.resize(area.width(), 120)  # a short pane: the treatments are below its fold
    area.verticalScrollBar().setValue(0)
    qtbot.waitUntil(lambda: not _seen(box, area))
    box.setFocus(Qt.FocusReason.ShortcutFocusReason)
    qtbot.waitUntil(lambda: _seen(box, area))
    qtbot.waitUntil(window.keyboard.ring.isVisible)


def _ancestors(widget: QWidget) -> list[QWidget]:
    out, w = [], widget.parentWidget()
    while w is not None:
        out.append(w)
        w = w.parentWidget()
    return out


def _seen(widget: QWidget, area: QScrollArea) -> bool:
    top_left = widget.mapTo(area.viewport(), QPoint(0, 0))
    return area.viewport().rect().contains(QRect(top_left, widget.size()))
