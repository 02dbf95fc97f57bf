"""The living model driven as a person would: sliders, spin boxes, scenarios, treatments, the
node context menu, play / step / reset, and what the diagram, plots and "why" show."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from app.ui.model.controls import ferritin_to_pos, pos_to_ferritin

CONTENT = Path(__file__).resolve().parents[3] / "content"


def test_the_model_loads_after_the_first_paint_with_controls_and_plots(window) -> None:
    assert window.controls is not None and window.plots.built
    assert window.controls.estrogen_spin.value() == 100
    assert window.controls.ferritin_spin.value() == 50
    assert window.controls.scenario_combo.currentData() == "premenopausal"
    assert window.acts.play.isEnabled()


def test_estrogen_slider_by_keyboard_changes_the_model_and_colours_the_diagram(qtbot, window) -> None:
    slider = window.controls.estrogen_slider
    slider.setFocus()
    for _ in range(9):  # nine page-steps of 10 %: 100 % -> 10 %
        qtbot.keyClick(slider, Qt.Key.Key_PageDown)
    assert window.model_controller.inputs.estrogen == pytest.approx(10)
    assert window.controls.estrogen_spin.value() == 10
    assert window.controls.scenario_combo.currentData() == ""  # custom now
    hepcidin = window.scene.node_items["hepcidin"]
    assert hepcidin.change > 0.02 and hepcidin.tint is not None  # up: claim 9
    assert window.scene.node_items["estrogen"].change < 0
    # The "why" names a chain from estrogen to bone and lights it on the diagram, once the
    # slider rests.
    qtbot.waitUntil(lambda: "Why:" in window.why.text())
    assert "Why:" in window.why.text() and "estrogen" in window.why.text().lower()
    assert window.scene.node_items["estrogen"].on_path
    assert any(e.on_path for e in window.scene.edge_items)


def test_typing_a_ferritin_value_moves_the_log_slider_and_band(qtbot, window) -> None:
    spin = window.controls.ferritin_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "800")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert window.model_controller.inputs.ferritin == pytest.approx(800)
    assert window.controls.ferritin_slider.value() == ferritin_to_pos(800)
    assert "accumulation" in window.controls.ferritin_status.text().lower()
    # Body iron follows ferritin slowly (a store with a half-year time constant): play two years.
    window.model_controller.advance(730)
    assert window.scene.node_items["ros"].change > 0.02  # claim 4


def test_an_absurd_value_is_clamped_by_the_spin_box_and_refused_by_the_model(qtbot, window) -> None:
    spin = window.controls.ferritin_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "99999")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    # The spin box refuses the digits that would leave 10–3000 µg/L.
    assert window.model_controller.inputs.ferritin == spin.value() <= 3000
    window.model_controller.set_estrogen(float("nan"))
    assert "must be a number" in window.statusBar().currentMessage()
    window.model_controller.set_estrogen(500)
    assert "estrogen must be between 0 and 120" in window.statusBar().currentMessage()
    assert window.model_controller.inputs.estrogen == 100


def test_log_slider_round_trip() -> None:
    for value in (10, 12, 50, 150, 500, 1000, 3000):
        assert pos_to_ferritin(ferritin_to_pos(value)) == pytest.approx(value, rel=0.01)


def test_choosing_a_scenario_sets_the_sliders(qtbot, window) -> None:
    combo = window.controls.scenario_combo
    index = combo.findData("postmenopause_iron")
    combo.setFocus()
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert window.controls.estrogen_spin.value() == 10
    assert window.controls.ferritin_spin.value() == 500
    assert "iron" in window.controls.scenario_description.text().lower()


def test_treatment_checkbox_and_play_step_reset(qtbot, window) -> None:
    mc = window.model_controller
    mc.choose_scenario("postmenopause_iron")
    box = window.controls.treatment_boxes["denosumab"]
    window.controls_scroll.ensureWidgetVisible(box)  # scrolled to, as a person would
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert "denosumab" in mc.inputs.treatments
    # Step (Right arrow when the diagram does not have the keyboard) moves the clock a month.
    window.controls.estrogen_spin.setFocus()
    window.acts.step.trigger()
    assert mc.state.t_years == pytest.approx(1 / 12, abs=0.01)
    assert window.controls.clock.text() == "Year 0.1"
    # Play runs the clock on the timer; Space toggles.
    window.acts.play.trigger()
    assert mc.playing and window.controls.play_button.isChecked()
    qtbot.waitUntil(lambda: mc.state.t_years > 0.3, timeout=5000)
    window.acts.play.trigger()
    assert not mc.playing
    t, formation, resorption, mass, proj_t, proj_mass = mc.history()
    assert len(t) > 2 and len(proj_t) > 100 and proj_t[0] <= t[-1] < proj_t[-1]
    assert window.plots.mass_curve.getData()[0] is not None
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert mc.state.t_years == 0 and mc.inputs.treatments == () and mc.inputs.estrogen == 100
    assert not box.isChecked()


def test_right_click_knock_out_marks_the_node_and_release_clears_it(qtbot, window) -> None:
    mc = window.model_controller
    mc.choose_scenario("early_postmenopause")
    opg = window.scene.node_items["opg"]
    before = window.scene.node_items["osteoclast"].change
    window.scene.node_context_requested.emit("opg", window.view.mapToGlobal(window.view.mapFromScene(opg.pos())))
    menu = window.model_binding.node_menu
    assert isinstance(menu, QMenu)
    knock = next(a for a in menu.actions() if a.text().startswith("Knock out"))
    knock.trigger()
    menu.close()
    assert mc.inputs.knockouts == ("opg",)
    assert opg.clamp == "knockout"
    assert window.scene.node_items["osteoclast"].change > before  # claim 18: OPG is a decoy
    window.scene.node_context_requested.emit("opg", window.view.mapToGlobal(window.view.mapFromScene(opg.pos())))
    release = next(a for a in window.model_binding.node_menu.actions() if a.text().startswith("Release"))
    release.trigger()
    window.model_binding.node_menu.close()
    assert mc.inputs.knockouts == () and opg.clamp is None


def test_arrow_keys_stay_with_the_focused_diagram(qtbot, window) -> None:
    window.view.setFocus()
    qtbot.waitUntil(window.view.hasFocus)
    window.view.set_keyboard_cursor("rankl")
    qtbot.keyClick(window.view, Qt.Key.Key_Right)
    assert window.view.keyboard_cursor == "rank"
    assert window.model_controller.state.t_years == 0  # Right did not step the model
    QApplication.processEvents()


def test_about_the_model_lists_every_claim_with_a_live_tick(qtbot, window) -> None:
    window.acts.about_model.trigger()
    assert window.panel.location == ("topic", "about-model")
    text = window.panel.toPlainText()
    assert "teaching model" in text.lower()
    assert "20 of 20 claims hold" in text
    assert text.count("✔") == 20


def test_undo_and_redo_of_the_inputs(qtbot, window) -> None:
    mc, controls = window.model_controller, window.controls
    mc.clock = lambda: 100.0  # the controller's clock stands still: however slow this machine, one drag
    assert not window.acts.undo.isEnabled()
    controls.estrogen_slider.setFocus()
    for _ in range(5):  # one drag of one slider: a single undo step
        qtbot.keyClick(controls.estrogen_slider, Qt.Key.Key_PageDown)
    assert mc.inputs.estrogen == pytest.approx(50)
    controls.treatment_boxes["denosumab"].setChecked(True)
    mc.clamp("rankl", "knockout")
    assert window.acts.undo.isEnabled() and not window.acts.redo.isEnabled()
    t_before = mc.state.t_years
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert mc.inputs.knockouts == () and mc.inputs.treatments == ("denosumab",)
    assert window.scene.node_items["rankl"].clamp is None
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert mc.inputs.treatments == () and not controls.treatment_boxes["denosumab"].isChecked()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert mc.inputs.estrogen == pytest.approx(100) and controls.estrogen_spin.value() == 100
    assert not window.acts.undo.isEnabled()
    assert mc.state.t_years == t_before  # undo restores inputs, it does not rewind time
    window.acts.redo.trigger()
    assert mc.inputs.estrogen == pytest.approx(50)
    assert "Redone: estrogen 50 %" in window.last_message


def test_reset_all_can_be_undone_and_typing_keeps_its_own_undo(qtbot, window) -> None:
    mc = window.model_controller
    mc.choose_scenario("postmenopause_iron")
    qtbot.keyClick(window.view, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert mc.inputs.estrogen == 100
    window.acts.undo.trigger()
    assert (mc.inputs.estrogen, mc.inputs.ferritin) == (10, 500)
    assert mc.scenario == "postmenopause_iron"
    window.search.edit.setFocus()
    qtbot.keyClicks(window.search.edit, "ros")
    qtbot.keyClick(window.search.edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.search.edit.text() != "ros"  # the search box undid its typing
    assert (mc.inputs.estrogen, mc.inputs.ferritin) == (10, 500)  # the model was left alone


def test_a_pause_in_a_drag_starts_a_new_undo_step(qtbot, window) -> None:
    from app.ui.model.controller import UNDO_MERGE_MS

    mc, slider = window.model_controller, window.controls.estrogen_slider
    now = [100.0]
    mc.clock = lambda: now[0]
    slider.setFocus()
    for _ in range(2):
        qtbot.keyClick(slider, Qt.Key.Key_PageDown)
    now[0] += UNDO_MERGE_MS / 1000 * 0.9  # still within the window: the same step
    qtbot.keyClick(slider, Qt.Key.Key_PageDown)
    now[0] += UNDO_MERGE_MS / 1000 * 1.5  # a pause: the next move is a step of its own
    qtbot.keyClick(slider, Qt.Key.Key_PageDown)
    assert mc.inputs.estrogen == pytest.approx(60)
    window.acts.undo.trigger()
    assert mc.inputs.estrogen == pytest.approx(70)
    window.acts.undo.trigger()
    assert mc.inputs.estrogen == pytest.approx(100)
    assert not window.acts.undo.isEnabled()

