"""Every widget the keyboard can reach says what it is to a screen reader: the whole window is walked
with the node list, the quiz (each kind of question, the report, the progress), the path explorer,
the comparison and a guided tour open; combo boxes are named for what they choose, not for their
value; the clock and the zoom tell their values as they change."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QComboBox, QWidget

NAME, DESCRIPTION = QAccessible.Text.Name, QAccessible.Text.Description


def unnamed(window) -> list[str]:  # noqa: ANN001
    """Each visible widget Tab can stop on whose accessible name is empty, described for the message."""
    out = []
    for widget in window.findChildren(QWidget):
        if not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or widget.focusProxy() is not None:
            continue  # not a stop of its own (a spin box's editor hands the focus to the spin box)
        if not widget.isVisible():
            continue
        iface = QAccessible.queryAccessibleInterface(widget)
        name = iface.text(NAME).strip() if iface is not None else ""
        if not name:
            parent = widget.parentWidget()
            out.append(f"{type(widget).__name__} {widget.objectName()!r} in {type(parent).__name__}")
    return out


def combo_problems(window) -> list[str]:  # noqa: ANN001
    """On Linux Qt names a combo box by its current value; what it chooses comes from its label (a
    buddy QLabel or the group box around it), which AT-SPI gives as "labelled by"."""
    out = []
    for combo in window.findChildren(QComboBox):
        if not combo.isVisible():
            continue
        iface = QAccessible.queryAccessibleInterface(combo)
        labels = [rel[0].text(NAME).strip() for rel in iface.relations(QAccessible.RelationFlag.Label)]
        value = combo.currentText().strip()
        if not any(label and label != value for label in labels):
            out.append(f"combo box showing {value!r} (named {combo.accessibleName()!r}) has no label: {labels!r}")
    return out


def test_every_focusable_widget_has_a_name_with_every_dock_open(qtbot, window) -> None:
    problems: list[str] = []

    def check(where: str) -> None:
        problems.extend(f"{where}: {p}" for p in unnamed(window) + combo_problems(window))

    check("the window")
    window.acts.node_list.trigger()
    qtbot.waitUntil(window.node_dock.isVisible)
    check("node list")
    window.features["paths"].toggle()
    check("path explorer")
    compare = window.features["compare"]
    compare.toggle_panel()
    compare.pin()
    check("compare runs, one pinned")
    lecture = window.features["lecture"]
    lecture.start_tour(next(iter(lecture.runner.tours)))
    qtbot.waitUntil(lambda: lecture.tour_panel is not None and lecture.tour_panel.isVisible())
    check("guided tour")
    quiz = window.features["quiz"]
    panel = quiz.open_panel()
    panel.show_start("practice")
    check("quiz start")
    kinds = [panel.type_combo.itemData(i) for i in range(panel.type_combo.count()) if panel.type_combo.itemData(i)]
    for kind in kinds:
        panel.show_start("practice")
        panel.type_combo.setCurrentIndex(panel.type_combo.findData(kind))
        panel.count_spin.setValue(1)
        qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
        assert panel.stack.currentWidget() is panel.question_page, kind
        check(f"quiz question ({kind})")
        panel.finish()
    check("quiz report")
    panel.show_progress()
    check("quiz progress")
    assert problems == [], "\n".join(sorted(set(problems)))


def test_the_clock_and_the_zoom_tell_their_values(qtbot, window) -> None:
    clock = QAccessible.queryAccessibleInterface(window.controls.clock)
    assert clock.text(NAME) == "Model time" and "Year 0.0" in clock.text(DESCRIPTION)
    window.acts.step.trigger()
    assert "Year 0.1" in clock.text(DESCRIPTION)
    zoom = QAccessible.queryAccessibleInterface(window.zoom_label)
    assert zoom.text(NAME) == "Zoom level"
    window.view.zoom_by(2.0)
    shown = f"{window.view.zoom() * 100:.0f} %"
    assert window.zoom_label.text() == shown and shown in zoom.text(DESCRIPTION)
