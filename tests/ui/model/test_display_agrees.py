"""What the window says about one change must agree with itself: the "why" line explains a whole
drag, the line and the diagram's colours name their baselines and never contradict each other, the
plots and the gauge show a change at once, and the time bar does not jump when Play turns to Pause."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QStyle, QStyleOptionSlider

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
