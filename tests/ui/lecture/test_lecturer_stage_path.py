"""The lecturer's path through a tour with a build-up, end to end, as a lecturer with a second screen
walks it: Teach ▸ Guided tours ▸ the hepcidin tour, F5, the clicker through the build-up to the focus
step, the presenter notes on the other screen with the full caption while the hall reads headlines,
then Esc and Leave tour give everything back."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.lecture.test_lecture import start_from_menu
from tests.ui.lecture.test_stage import BUILD_TOUR, drawn, expected_build, plain, tour_file, two_screens


def test_tour_with_build_up_in_presentation_mode_with_presenter_notes(qtbot, window) -> None:
    data = tour_file(BUILD_TOUR)
    steps = data["steps"]
    expected = expected_build(steps)
    focus_at = next(i for i, s in enumerate(steps) if "focus" in s)
    lecture = window.features["lecture"]
    lecture.stage.screens = two_screens(window)  # a projector beside the laptop
    every_node, every_edge = set(window.scene.node_items), {e.edge.key for e in window.scene.edge_items}

    start_from_menu(window, BUILD_TOUR)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert lecture.presentation.active
    notes = lecture.stage.notes
    qtbot.waitUntil(lambda: notes.active)
    panel = lecture.tour_panel
    for i, step in enumerate(steps):
        # The hall: only what the build-up has revealed, and a one-line headline.
        nodes, edges = drawn(window)
        if expected[i] is not None:
            assert (nodes, edges) == expected[i], f"step {i + 1}"
            assert len(nodes) < len(every_node)
        assert "\n" not in panel.caption.toPlainText().strip()
        assert panel.caption.toPlainText().strip() in step["caption"]
        # The presenter: the whole caption and where the tour is.
        assert notes.notes.caption.toPlainText().startswith(plain(step["caption"]))
        assert f"step {i + 1} of {len(steps)}" in notes.notes.place.text()
        if i == focus_at:
            break
        qtbot.keyClick(window.view, Qt.Key.Key_PageDown)

    focus = set(steps[focus_at]["focus"]["nodes"])
    assert drawn(window) == (every_node, every_edge)  # the build-up has ended: everything is drawn
    assert {nid for nid, it in window.scene.node_items.items() if it.opacity() == 1.0} == focus
    assert all(it.opacity() < 0.5 for nid, it in window.scene.node_items.items() if nid not in focus)

    qtbot.keyClick(window.view, Qt.Key.Key_Escape)  # out of presentation mode
    assert not lecture.presentation.active and not notes.active
    assert panel.caption.toPlainText().startswith(plain(steps[focus_at]["caption"]))
    panel.leave_button.click()
    assert drawn(window) == (every_node, every_edge)
    assert all(it.opacity() == 1.0 for it in window.scene.node_items.values())
