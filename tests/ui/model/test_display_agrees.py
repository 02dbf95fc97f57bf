"""What the window says about one change must agree with itself: the "why" line explains a whole
drag, the line and the diagram's colours name their baselines and never contradict each other, the
plots and the gauge show a change at once, and the time bar does not jump when Play turns to Pause."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider

LEFT = Qt.MouseButton.LeftButton


def _handle_centre(slider) -> QPoint:  # noqa: ANN001
    """Where the slider's handle is drawn now."""
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    return slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                         QStyle.SubControl.SC_SliderHandle, slider).center()


def _x_of(slider, value: int) -> int:  # noqa: ANN001
    """The x where the handle's centre sits at `value`."""
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    groove = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                           QStyle.SubControl.SC_SliderGroove, slider)
    handle = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                           QStyle.SubControl.SC_SliderHandle, slider)
    span = groove.width() - handle.width()
    return groove.left() + handle.width() // 2 + QStyle.sliderPositionFromValue(
        slider.minimum(), slider.maximum(), value, span)


def _why_text(window) -> str:  # noqa: ANN001
    return re.sub(r"<[^>]+>", "", window.why.text())


def test_the_why_line_explains_the_whole_drag_not_its_last_tick(qtbot, window) -> None:
    mc = window.model_controller
    mc.clock = lambda: 0.0  # every move of the drag falls within the undo step's merge window
    slider = window.controls.estrogen_slider
    start = _handle_centre(slider)
    qtbot.mousePress(slider, LEFT, pos=start)
    for value in (80, 60, 40):
        qtbot.mouseMove(slider, QPoint(_x_of(slider, value), start.y()))
    # The person's hand rests mid-drag, long enough for the line to be traced.
    qtbot.waitUntil(lambda: "Why" in _why_text(window), timeout=3000)
    assert mc.inputs.estrogen < 100
    for value in (25, 17, 9):
        qtbot.mouseMove(slider, QPoint(_x_of(slider, value), start.y()))
    qtbot.mouseRelease(slider, LEFT, pos=QPoint(_x_of(slider, 9), start.y()))
    end = mc.inputs.estrogen
    assert end < 12
    qtbot.waitUntil(lambda: f"→ {end:g} %" in _why_text(window), timeout=3000)
    text = _why_text(window)
    assert f"estrogen 100 % → {end:g} %" in text, text  # from before the drag, not from 17 %
    # The same boundary as undo: one Ctrl+Z brings the whole drag back.
    window.acts.undo.trigger()
    assert mc.inputs.estrogen == 100


def test_a_drag_by_keys_is_explained_from_its_start(qtbot, window) -> None:
    mc = window.model_controller
    mc.clock = lambda: 0.0
    slider = window.controls.estrogen_slider
    slider.setFocus()
    for _ in range(5):
        qtbot.keyClick(slider, Qt.Key.Key_PageDown)
    mc.explain_now()  # as if the hand paused
    for _ in range(4):
        qtbot.keyClick(slider, Qt.Key.Key_PageDown)
    mc.explain_now()
    assert "estrogen 100 % → 10 %" in _why_text(window)


def test_the_why_line_and_the_colours_name_their_baselines_and_never_contradict(qtbot, window) -> None:
    mc = window.model_controller
    mc.set_estrogen(10)
    mc.explain_now()
    box = window.controls.treatment_boxes["estradiol"]
    qtbot.mouseClick(box, LEFT, pos=QPoint(8, box.height() // 2))  # on its tick box
    assert "estradiol" in mc.inputs.treatments
    with qtbot.waitSignal(mc.why_changed, timeout=3000):
        pass  # the line is traced once the inputs rest
    text = _why_text(window)
    legend = window.scene.legend
    # Each names what it compares with.
    assert "since that change" in text.lower()
    assert legend.show_changes and legend.changes_caption == "Colours compared with “Premenopausal reference”:"
    # The line says estrogen went up (since the change) ...
    assert re.search(r"\bEstrogen up\b", text), text
    estrogen = window.scene.node_items["estrogen"]
    # ... while the node, coloured against the reference, is still less active (blue ▼) ...
    assert estrogen.change < -0.02 and estrogen.tint is not None
    # ... and the line says so in words, naming the colours' baseline: no contradiction is left.
    note = text[text.lower().index("colours"):]
    assert "compared with “Premenopausal reference”" in note and "estrogen" in note.lower() and "below" in note, text
    # Every node the line calls "up" that the diagram shows down (or the reverse) is named in the note.
    for label, word in re.findall(r"([^→:.]+?) (up|down)(?= →|\.|$)", text.split("Since that change:")[1]
                                  .split("Colours")[0]):
        nid = next(n.id for n in window.content.pathway.nodes if n.label.lower() == label.strip().lower())
        change = window.scene.node_items[nid].change
        if abs(change) >= 0.02 and (change > 0) != (word == "up"):
            assert label.strip().lower() in note.lower(), (label, text)


def test_the_note_goes_when_the_colours_show_something_else(qtbot, window) -> None:
    from app.ui.diagram.overlays import Layer

    mc = window.model_controller
    mc.set_estrogen(10)
    mc.explain_now()
    mc.set_treatment("estradiol", True)
    mc.explain_now()
    assert "compared with “Premenopausal reference”" in _why_text(window)
    # Another layer colours the nodes (as the comparison with a pinned run does): its caption says
    # what the colours mean, and the line no longer speaks for them.
    window.scene.set_changes(Layer.EXPLORER, {"estrogen": 0.3}, caption="Difference from “Run 1”:")
    mc.advance(30)
    assert "compared with “Premenopausal reference”" not in _why_text(window)
    window.scene.set_changes(Layer.EXPLORER, None)
    mc.advance(30)
    assert "compared with “Premenopausal reference”" in _why_text(window)


def test_right_after_a_change_at_year_0_the_plots_and_gauge_show_what_it_does(qtbot, window) -> None:
    mc = window.model_controller
    plots, gauge = window.plots, window.plots.gauge
    assert abs(gauge.value) < 0.05  # the reference: in balance
    spin = window.controls.estrogen_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "10")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert mc.inputs.estrogen == 10 and mc.state.t_years == 0  # the clock has not run
    # The gauge reads loss at once, in words too (its accessible description carries the number).
    assert gauge.value < -1.0
    assert gauge.accessibleDescription().startswith("-")
    # The rates plot is not empty: the dotted projections start now, resorption above formation.
    t, formation = plots.formation_projection.getData()
    _t, resorption = plots.resorption_projection.getData()
    assert t is not None and len(t) > 10 and t[0] == 0
    month = next(i for i, x in enumerate(t) if x >= 1 / 12)
    assert resorption[month] - formation[month] == pytest.approx(gauge.value * -1, rel=0.1)
    # The rates axis shows them.
    low, high = plots.rate_plot.getViewBox().viewRange()[1]
    assert low <= min(formation) and max(resorption) <= high
    # Once the clock runs, the gauge and the run agree.
    mc.advance(365.25)
    assert gauge.value == pytest.approx(mc.state.balance, abs=0.05)


def test_the_balance_has_one_name_in_every_mode(qtbot, window) -> None:
    gauge = window.plots.gauge
    names = set()
    for presentation in (False, True):
        window.features["lecture"].presentation.enter() if presentation else None
        gauge.repaint()
        names.add(gauge.accessibleName())
        assert "Balance" in gauge.toolTip() and "formation minus resorption" in gauge.toolTip()
    window.features["lecture"].presentation.leave()
    assert names == {"Balance"}


def _laid_out() -> None:
    """Let the layouts answer the size changes posted so far (no waiting on a clock)."""
    for _ in range(3):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)


def test_the_time_bar_does_not_jump_when_play_turns_to_pause(qtbot, window) -> None:
    controls = window.controls
    play, step = controls.play_button, controls.step_button
    _laid_out()
    before = (play.width(), step.mapTo(window, QPoint(0, 0)))
    qtbot.mouseClick(play, LEFT)
    assert window.model_controller.playing and "Pause" in play.text()
    _laid_out()
    assert (play.width(), step.mapTo(window, QPoint(0, 0))) == before
    qtbot.mouseClick(play, LEFT)
    assert not window.model_controller.playing and "Play" in play.text()
    _laid_out()
    assert (play.width(), step.mapTo(window, QPoint(0, 0))) == before
