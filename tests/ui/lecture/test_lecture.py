"""Lecture-hall tools driven as a lecturer would: tours from the Teach menu stepped with buttons and
clicker keys, presentation mode (F5 / Esc / Ctrl+=), inquiry mode (Ctrl+I)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from app.knowledge.tour_plan import plan
from app.knowledge.tours import load_tours

CONTENT = Path(__file__).resolve().parents[3] / "content"
TOUR = "iron-after-menopause"


def _lecture(window):  # noqa: ANN001, ANN202
    return window.features["lecture"]


def start_from_menu(window, tour_id: str) -> None:
    """Open Teach ▸ Guided tours and choose the tour, as a person would."""
    menu = _lecture(window).tours_menu
    menu.aboutToShow.emit()
    action = next(a for a in menu.actions() if a.objectName() == f"tour:{tour_id}")
    action.trigger()


def snapshot(window) -> tuple:
    mc = window.model_controller
    mc.finish_play()
    return (mc.inputs, round(mc.state.t_years, 6), round(mc.state.bone_mass_pct, 6))


def test_every_tour_is_in_the_menu(window) -> None:
    _lecture(window).tours_menu.aboutToShow.emit()
    names = {a.objectName() for a in _lecture(window).tours_menu.actions()}
    tours, problems = load_tours(CONTENT, window.content.pathway)
    assert not problems
    assert len(tours) >= 5
    assert names == {f"tour:{t}" for t in tours}


def test_each_step_sets_the_sliders_and_treatments_it_says(qtbot, window) -> None:
    mc = window.model_controller
    tours, _ = load_tours(CONTENT, window.content.pathway)
    for tid, tour in tours.items():
        start_from_menu(window, tid)
        plans = plan(tour, mc.scenarios)
        for i, step in enumerate(tour.steps):
            if i:
                qtbot.mouseClick(_lecture(window).tour_panel.next_button, Qt.MouseButton.LeftButton)
            assert _lecture(window).runner.position() == (tid, i)
            assert _lecture(window).tour_panel.indicator.text().startswith(f"Step {i + 1} of {len(tour.steps)}")
            for name, value in step.values.items():  # what the step file says, on the sliders
                spin = getattr(window.controls, f"{name}_spin")
                assert spin.value() == pytest.approx(value, rel=0.02), (tid, i, name)
                assert getattr(mc.inputs, name) == pytest.approx(value)
            if step.treatments is not None:
                assert set(mc.inputs.treatments) == set(step.treatments)
                for t in step.treatments:
                    assert window.controls.treatment_boxes[t].isChecked()
            assert mc.inputs == plans[i].inputs
            for nid in step.highlight:
                assert window.scene.node_items[nid].search_hit
            for nid in step.path:
                assert window.scene.node_items[nid].on_path
        _lecture(window).runner.leave()


def test_a_step_plays_exactly_its_years_then_pauses(qtbot, window) -> None:
    start_from_menu(window, TOUR)  # step 1 plays one year from year 0
    mc = window.model_controller
    assert mc.playing
    qtbot.waitUntil(lambda: not mc.playing, timeout=5000)
    assert mc.state.t_years == pytest.approx(1.0, abs=1e-9)


def test_previous_lands_where_next_did(qtbot, window) -> None:
    start_from_menu(window, TOUR)
    panel = _lecture(window).tour_panel
    for _ in range(3):
        qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    at_step_4 = snapshot(window)
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.prev_button, Qt.MouseButton.LeftButton)
    assert _lecture(window).runner.position() == (TOUR, 3)
    again = snapshot(window)
    assert again[0] == at_step_4[0]
    assert again[1:] == pytest.approx(at_step_4[1:], abs=1e-6)
    assert panel.prev_button.isEnabled()  # there is a step before this one


def test_leave_and_resume_the_same_step(qtbot, window) -> None:
    start_from_menu(window, TOUR)
    qtbot.mouseClick(_lecture(window).tour_panel.next_button, Qt.MouseButton.LeftButton)
    dock = window.findChild(type(window.node_dock), "tour_dock")
    assert dock.isVisible()
    qtbot.mouseClick(_lecture(window).tour_panel.leave_button, Qt.MouseButton.LeftButton)
    assert not dock.isVisible()
    assert _lecture(window).runner.position() is None
    assert _lecture(window).act_tour_resume.isEnabled()
    assert not any(it.search_hit for it in window.scene.node_items.values())
    _lecture(window).act_tour_resume.trigger()
    assert _lecture(window).runner.position() == (TOUR, 1)
    assert dock.isVisible()


def test_an_unknown_tour_is_refused_with_a_message(window) -> None:
    assert not _lecture(window).runner.start("no-such-tour")
    assert "Unknown tour 'no-such-tour'" in window.last_message
    assert _lecture(window).runner.position() is None


def test_presentation_mode_keys(qtbot, window) -> None:
    normal_size = window.font().pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert _lecture(window).presentation.active
    qtbot.waitUntil(window.isFullScreen)
    assert not window.toolbar.isVisible() and not window.menuBar().isVisible()
    assert window.font().pointSizeF() == pytest.approx(normal_size * _lecture(window).presentation.scale)
    before = _lecture(window).presentation.scale
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert _lecture(window).presentation.scale == pytest.approx(before * 1.1)
    assert window.font().pointSizeF() == pytest.approx(normal_size * before * 1.1)
    assert float(QSettings().value("presentation/scale")) == pytest.approx(before * 1.1)  # remembered
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not _lecture(window).presentation.active
    qtbot.waitUntil(lambda: not window.isFullScreen())
    assert window.toolbar.isVisible() and window.menuBar().isVisible()
    assert window.font().pointSizeF() == pytest.approx(normal_size)


def test_clicker_keys_step_the_tour_while_presenting(qtbot, window) -> None:
    start_from_menu(window, TOUR)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    for key, expected in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_Right, 2), (Qt.Key.Key_PageUp, 1),
                          (Qt.Key.Key_Left, 0)):
        qtbot.keyClick(window.view, key)
        assert _lecture(window).runner.position() == (TOUR, expected), key
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not _lecture(window).presentation.active


def test_inquiry_mode_hides_results_until_revealed(qtbot, window) -> None:
    mc = window.model_controller
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert _lecture(window).inquiry.active
    assert not window.plots_box.isVisible() and _lecture(window).inquiry.banner.isVisible()
    window.controls.estrogen_spin.setValue(10)  # the lecturer changes the input; the class predicts
    assert mc.inputs.estrogen == 10
    mc.advance(365.25 * 2)
    assert all(item.tint is None for item in window.scene.node_items.values())
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert not _lecture(window).inquiry.active
    assert window.plots_box.isVisible() and not _lecture(window).inquiry.banner.isVisible()
    assert window.scene.node_items["osteoclast"].tint is not None  # the reveal colours the diagram
    assert "Why:" in window.why.text()


EXIT_SCRIPT = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
app = QApplication(sys.argv)
from app.knowledge.content import load_content
from app.ui.app import create_window
from pathlib import Path
w = create_window(load_content(Path(sys.argv[1])))
w.show()
def go():
    if w.model_controller is None:
        QTimer.singleShot(20, go)
        return
    w.features["lecture"].start_tour("iron-after-menopause")
    w.features["lecture"].presentation.enter()
    QTimer.singleShot(200, app.quit)  # quit while presenting, window still open
    QTimer.singleShot(200, discard)
def discard():  # the tour is unsaved work: quitting asks first, and the person discards it
    prompt = w.features["session"].manager.save_prompt
    if prompt is None:
        QTimer.singleShot(20, discard)
        return
    prompt.button(QMessageBox.StandardButton.Discard).click()
QTimer.singleShot(20, go)
app.exec()
"""


def test_quitting_while_presenting_exits_cleanly(tmp_path) -> None:
    """Regression: an application-wide font change replayed into pyqtgraph's widgets at exit
    crashed the interpreter (SIGSEGV) when the app quit in presentation mode."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path),
           "XDG_DATA_HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", EXIT_SCRIPT, str(CONTENT)], env=env, capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).resolve().parents[3])
    assert proc.returncode == 0, proc.stderr[-2000:]
