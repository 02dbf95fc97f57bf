"""Pinned runs driven like a user: pin from the Model menu, move a slider, read the dashed reference
in the plots and the difference colouring on the diagram; three pins at most; rename; clear; save
and restore for sessions; the plots follow the palette and presentation mode."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

CONTENT = Path(__file__).resolve().parents[3] / "content"


def _compare(window):  # noqa: ANN001, ANN202
    return window.features["compare"]


def _lecture(window):  # noqa: ANN001, ANN202
    return window.features["lecture"]


def _page_down(qtbot, window, times: int) -> None:
    slider = window.controls.estrogen_slider
    slider.setFocus()
    for _ in range(times):
        qtbot.keyClick(slider, Qt.Key.Key_PageDown)


def test_pin_then_move_a_slider_shows_the_reference_dashed_and_colours_the_difference(qtbot, window) -> None:
    mc = window.model_controller
    _page_down(qtbot, window, 5)  # 100 % -> 50 %
    mc.advance(365.25)
    assert "Pin this run" in [a.text().replace("&", "") for a in window.menus["model"].actions()]
    _compare(window).act_pin_run.trigger()
    compare = _compare(window).compare
    assert [p.name for p in compare.pins] == ["Run 1"]
    pinned = compare.pins[0]
    assert pinned.inputs["estrogen"] == 50 and pinned.t_pinned == pytest.approx(1.0)
    assert pinned.t[-1] == pytest.approx(11.0)  # the run so far plus where it was heading
    dock = _compare(window).dock
    assert dock.objectName() == "compare_dock" and dock.isVisible()
    _page_down(qtbot, window, 4)  # 50 % -> 10 %
    assert mc.inputs.estrogen == 10
    # The plots: one dashed curve per series of the pinned run, with its data and name.
    cf, cr, cm = window.plots.reference_curves[0]
    x, y = cm.getData()
    assert list(x) == pytest.approx(pinned.t) and list(y) == pytest.approx(pinned.mass)
    assert list(cf.getData()[1]) == pytest.approx(pinned.formation)
    assert list(cr.getData()[1]) == pytest.approx(pinned.resorption)
    assert cm.opts["pen"].style() == Qt.PenStyle.CustomDashLine  # each pin its own dash pattern
    legend = window.plots.mass_plot.getPlotItem().legend
    assert "Run 1 (pinned)" in [label.text for _s, label in legend.items]
    # The diagram: live minus pinned, not the change from the premenopausal reference.
    hepcidin = window.scene.node_items["hepcidin"]
    diff = mc.state.activities["hepcidin"] - pinned.activities["hepcidin"]
    assert abs(diff) > 0.01
    assert hepcidin.change == pytest.approx(diff, abs=1e-3)
    assert hepcidin.change != pytest.approx(mc.state.delta_vs_reference["hepcidin"], abs=1e-3)
    assert "Run 1" in window.scene.legend.changes_caption  # the diagram's key says what the colours mean
    mc.advance(30)  # the colouring follows the live run
    assert hepcidin.change == pytest.approx(mc.state.activities["hepcidin"] - pinned.activities["hepcidin"],
                                            abs=1e-3)
    # Inquiry mode hides the colours; revealing brings the difference back, not the reference colouring.
    _lecture(window).act_inquiry.trigger()
    assert hepcidin.change == 0.0
    _lecture(window).act_inquiry.trigger()  # the reveal shows the difference at once: no event-loop turn needed
    assert abs(hepcidin.change - (mc.state.activities["hepcidin"] - pinned.activities["hepcidin"])) < 1e-3
    # Back to the normal colouring from the dock's combo box.
    combo = _compare(window).panel.colour_combo
    combo.setCurrentIndex(0)
    assert compare.colour_pin is None
    assert hepcidin.change == pytest.approx(mc.state.delta_vs_reference["hepcidin"], abs=1e-3)
    reference = mc.scenarios[mc.reference_scenario].name  # the scenario with role: reference
    assert window.scene.legend.changes_caption == f"Colours compared with “{reference}”:"


def test_three_pins_at_most_rename_remove_and_clear(qtbot, window) -> None:
    mc = window.model_controller
    for _ in range(3):
        _compare(window).act_pin_run.trigger()
        mc.step()
    assert [p.name for p in _compare(window).compare.pins] == ["Run 1", "Run 2", "Run 3"]
    panel = _compare(window).panel
    assert not panel.pin_button.isEnabled()
    _compare(window).act_pin_run.trigger()
    assert len(_compare(window).compare.pins) == 3
    assert "3 runs are pinned already" in window.statusBar().currentMessage()
    assert "3 runs are pinned already" in panel.message.text()
    # Rename the second run in the dock.
    edit = panel.name_edits[1]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Estradiol trial")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert _compare(window).compare.pins[1].name == "Estradiol trial"
    labels = [label.text for _s, label in window.plots.mass_plot.getPlotItem().legend.items]
    assert "Estradiol trial (pinned)" in labels
    assert panel.colour_combo.findText("difference from “Estradiol trial”") > 0
    # Remove the first with its ✕ button.
    qtbot.mouseClick(panel.remove_buttons[0], Qt.MouseButton.LeftButton)
    assert [p.name for p in _compare(window).compare.pins] == ["Estradiol trial", "Run 3"]
    assert len(window.plots.reference_curves) == 2
    # Clear from the Model menu: references gone, normal colouring back.
    _compare(window).act_clear_pins.trigger()
    assert _compare(window).compare.pins == [] and window.plots.reference_curves == []
    assert window.plots.mass_plot.getPlotItem().legend.items.__len__() == 2
    item = window.scene.node_items["hepcidin"]
    assert item.change == pytest.approx(mc.state.delta_vs_reference["hepcidin"], abs=1e-3)
    assert panel.pin_button.isEnabled() and not panel.clear_button.isEnabled()


def test_pinned_data_round_trips_through_json_and_bad_data_is_refused(qtbot, window) -> None:
    mc = window.model_controller
    mc.clamp("hepcidin", "knockout")
    _compare(window).act_pin_run.trigger()
    data = json.loads(json.dumps(_compare(window).compare.pinned_data()))
    assert data[0]["name"] == "Run 1" and data[0]["inputs"]["knockouts"] == ["hepcidin"]
    assert set(data[0]) >= {"name", "inputs", "t", "formation", "resorption", "mass", "activities"}
    _compare(window).act_clear_pins.trigger()
    _compare(window).compare.restore_pinned(data)
    assert _compare(window).compare.pinned_data() == data
    assert len(window.plots.reference_curves) == 1
    bad_cases = [
        ("not a list", "should be a list"),
        ([{"name": ""}], r"pinned\[0\]\.name: \"\" should be a name"),
        ([{**data[0], "inputs": {**data[0]["inputs"], "estrogen": 500}}], "estrogen must be between 0 and 120"),
        ([{**data[0], "mass": data[0]["mass"][:-1]}], "should be equally long"),
        ([{**data[0], "t": ["x"]}], r"pinned\[0\]\.t\[0\] must be a number between"),
        ([{**data[0], "activities": {"nope": 1.0}}], "unknown node 'nope'"),
        ([{**data[0], "inputs": {**data[0]["inputs"], "knockouts": ["nope"]}}], "unknown node 'nope'"),
        ([data[0]] * 4, "at most 3"),
    ]
    for bad, message in bad_cases:
        with pytest.raises(ValueError, match=message):
            _compare(window).compare.restore_pinned(bad)
        assert _compare(window).compare.pinned_data() == data  # nothing lost


def test_plots_follow_the_palette_and_presentation_mode(qtbot, window) -> None:
    plots = window.plots
    app = QApplication.instance()
    old = app.palette()
    try:
        dark = QPalette(old)
        dark.setColor(QPalette.ColorRole.Base, QColor("#202124"))
        dark.setColor(QPalette.ColorRole.Text, QColor("#E8EAED"))
        app.setPalette(dark)
        qtbot.waitUntil(lambda: plots.rate_plot.backgroundBrush().color() == QColor("#202124"))
        assert plots.mass_curve.opts["pen"].color() == QColor("#E8EAED")  # not black on black
        assert plots.rate_plot.getAxis("left").textPen().color() == QColor("#E8EAED")
    finally:
        app.setPalette(old)
    qtbot.waitUntil(lambda: plots.rate_plot.backgroundBrush().color() == old.base().color())
    width = plots.formation_curve.opts["pen"].widthF()
    size = plots.rate_plot.getAxis("bottom").style["tickFont"].pointSizeF()
    plots.set_presentation(True)
    assert plots.formation_curve.opts["pen"].widthF() > width
    larger = plots.font()
    larger.setPointSizeF(size * 1.4)  # presentation mode's window font
    plots.setFont(larger)
    assert plots.rate_plot.getAxis("bottom").style["tickFont"].pointSizeF() > size
    plots.set_presentation(False)
    assert plots.formation_curve.opts["pen"].widthF() == width
