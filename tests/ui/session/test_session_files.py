"""Sessions as a person uses them: set sliders, a treatment, a clamp and a node, save from the File
menu, reset, open the file again and find everything as it was; damaged, newer and unknown files
give a message and change nothing; Open recent lists the files and reopens them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

CONTENT = Path(__file__).resolve().parents[3] / "content"
TOUR = "iron-after-menopause"


def _compare(window):  # noqa: ANN001, ANN202
    return window.features["compare"]


def _lecture(window):  # noqa: ANN001, ANN202
    return window.features["lecture"]


def _session(window):  # noqa: ANN001, ANN202
    return window.features["session"]


def _answer(window, path: Path, *, save: bool) -> None:
    """Answer the open or save dialog the last action showed, as a person picking `path` would."""
    dialog = _session(window).manager.file_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.acceptMode() == (QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.fileSelected.emit(str(path))  # what accept() sends once the name is chosen
    dialog.close()


def _answer_prompt(qtbot, window, button: QMessageBox.StandardButton) -> None:
    """Answer the Save / Discard / Cancel question as a person would: a click on the button."""
    box = _session(window).manager.save_prompt
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() != Qt.WindowModality.ApplicationModal  # open(), never exec()
    qtbot.mouseClick(box.button(button), Qt.MouseButton.LeftButton)


DISCARD = QMessageBox.StandardButton.Discard


def _set_up_a_run(qtbot, window) -> None:
    """Estrogen down by keyboard, ferritin typed, a treatment ticked, RANKL clamped high from its
    context menu, a year and a half played, estrogen changed again, then a node clicked."""
    mc, controls = window.model_controller, window.controls
    controls.estrogen_slider.setFocus()
    for _ in range(7):
        qtbot.keyClick(controls.estrogen_slider, Qt.Key.Key_PageDown)
    spin = controls.ferritin_spin
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, "800")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    box = controls.treatment_boxes["denosumab"]
    box.setChecked(True)  # a click on a check box in a scroll area: toggled like a click
    item = window.scene.node_items["rankl"]
    window.scene.node_context_requested.emit("rankl", window.view.mapToGlobal(window.view.mapFromScene(item.pos())))
    next(a for a in window.model_binding.node_menu.actions() if a.text().startswith("Clamp RANKL high")).trigger()
    window.model_binding.node_menu.close()
    for _ in range(18):
        window.acts.step.trigger()  # one month each
    controls.estrogen_slider.setFocus()
    qtbot.keyClick(controls.estrogen_slider, Qt.Key.Key_PageUp)
    mc.advance(365.25 * 0.75)
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.view.mapFromScene(window.scene.node_items["hepcidin"].pos()))
    assert mc.inputs.estrogen == pytest.approx(40) and mc.inputs.ferritin == pytest.approx(800)
    assert mc.inputs.treatments == ("denosumab",) and dict(mc.inputs.clamps) == {"rankl": 1.0}
    assert window.controller.location == ("node", "hepcidin")


def _picture(window) -> tuple:
    mc = window.model_controller
    s = mc.state
    return (mc.inputs, mc.scenario, round(s.t_years, 9), round(s.bone_mass_pct, 9), round(s.formation, 9),
            window.controller.location, window.controls.estrogen_spin.value(),
            window.controls.treatment_boxes["denosumab"].isChecked(), window.scene.node_items["rankl"].clamp)


def test_save_reset_open_gives_back_the_same_state(qtbot, window, tmp_path, monkeypatch) -> None:
    _set_up_a_run(qtbot, window)
    before = _picture(window)
    history_before = window.model_controller.history()[3][-1]
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    _answer(window, tmp_path / "lecture", save=True)  # no suffix typed: .ironbone is added
    saved = tmp_path / "lecture.ironbone"
    assert saved.is_file()
    assert window.windowTitle() == "lecture.ironbone — IronBone"
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "ironbone-session" and data["inputs"]["clamps"] == {"rankl": 1.0}
    assert data["selection"] == {"kind": "node", "id": "hepcidin"} and data["years"] == pytest.approx(2.25)

    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # reset all
    window.controller.open_page("topic", "overview")
    assert _picture(window) != before
    assert window.windowTitle() == "lecture.ironbone • — IronBone"  # changed since saved

    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    _answer_prompt(qtbot, window, DISCARD)  # the reset is not worth keeping
    _answer(window, saved, save=False)
    assert _picture(window) == before  # bone mass too: the clock replays the saved changes
    assert window.model_controller.history()[3][-1] == pytest.approx(history_before, abs=1e-9)
    assert window.windowTitle() == "lecture.ironbone — IronBone"
    assert "Opened session lecture.ironbone" in window.statusBar().currentMessage()
    assert window.controller.selected == "hepcidin" and window.scene.node_items["hepcidin"].selected
    assert window.panel.location == ("node", "hepcidin")


def test_save_again_overwrites_without_asking_and_the_dot_follows_changes(qtbot, window, tmp_path,
                                                                           monkeypatch) -> None:
    path = tmp_path / "s.ironbone"
    _session(window).act_save_as.trigger()
    _answer(window, path, save=True)
    assert window.windowTitle() == "s.ironbone — IronBone"
    window.model_controller.set_estrogen(60)
    assert window.windowTitle() == "s.ironbone • — IronBone"
    window.model_controller.choose_scenario("premenopausal")  # back as saved: nothing to save
    assert window.windowTitle() == "s.ironbone — IronBone"
    window.acts.step.trigger()
    assert _session(window).manager.dirty
    _session(window).act_save.trigger()
    assert _session(window).manager.file_dialog is None or not _session(window).manager.file_dialog.isVisible()
    assert not _session(window).manager.dirty
    assert json.loads(path.read_text(encoding="utf-8"))["years"] > 0


def _message(window) -> str:
    box = _session(window).manager.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() != Qt.WindowModality.ApplicationModal  # open(), never exec(): nothing blocks
    text = box.text()
    box.close()
    return text


@pytest.mark.parametrize(("content", "expected"), [
    (b"\x00\x01garbage\xff", "is not UTF-8 text"),
    (b'{"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 250, "ferritin": 50}}',
     "inputs.estrogen must be between 0 and 120 % (got 250)"),
    (b'{"format": "ironbone-session", "version": 3, "inputs": {}}',
     "This file was saved by a newer IronBone (format 3); this version reads format 1."),
    (b'{"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 50, "ferritin": 50, '
     b'"treatments": ["snake_oil"]}}', 'inputs.treatments[0]: unknown treatment "snake_oil"'),
    (b'{"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 50, "ferritin": 50}, '
     b'"selection": {"kind": "node", "id": "unicorn"}}', 'selection.id: unknown node "unicorn"'),
    (b'{"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 50, "ferritin": 50}, '
     b'"tour": {"id": "iron-after-menopause", "step": 99}}', "tour.step: 99 is past the last step"),
])
def test_a_damaged_or_newer_file_says_why_and_changes_nothing(qtbot, window, tmp_path, monkeypatch,
                                                              content: bytes, expected: str) -> None:
    window.model_controller.choose_scenario("postmenopause_iron")
    window.model_controller.advance(365.25)
    window.controller.select_node("rankl")
    before = _picture(window)
    bad = tmp_path / "bad.ironbone"
    bad.write_bytes(content)
    _session(window).act_open.trigger()
    _answer_prompt(qtbot, window, DISCARD)
    _answer(window, bad, save=False)
    text = _message(window)
    assert text.startswith(f"Could not open {bad}: ") and expected in text
    assert expected in window.statusBar().currentMessage()
    assert _picture(window) == before
    assert _session(window).manager.path is None  # still no file
    assert window.windowTitle() == "Untitled session • — IronBone"  # and its work still unsaved
    assert str(bad.resolve()) not in _session(window).manager.recent()


def test_recent_menu_lists_files_greys_missing_ones_and_reopens(qtbot, window, tmp_path, monkeypatch) -> None:
    a, b = tmp_path / "a.ironbone", tmp_path / "b.ironbone"
    window.model_controller.set_estrogen(30)
    _session(window).act_save_as.trigger()
    _answer(window, a, save=True)
    window.model_controller.set_estrogen(70)
    _session(window).act_save_as.trigger()
    _answer(window, b, save=True)
    menu = _session(window).recent_menu
    menu.aboutToShow.emit()
    texts = [act.text() for act in menu.actions() if not act.isSeparator()]
    assert texts[:2] == ["&1  b.ironbone", "&2  a.ironbone"]  # newest first
    assert window.menus["file"].actions()[2].menu() is menu  # New, Open, Open recent, then the rest

    first = next(act for act in menu.actions() if act.text().endswith("a.ironbone"))
    first.trigger()
    assert window.model_controller.inputs.estrogen == 30
    assert window.windowTitle() == "a.ironbone — IronBone"

    b.unlink()
    menu.aboutToShow.emit()
    gone = next(act for act in menu.actions() if "b.ironbone" in act.text())
    assert gone.text().endswith("(missing)") and not gone.isEnabled()
    _session(window).manager.open_path(b)  # e.g. from an old shortcut: refused with a message, dropped from the list
    assert "no such file" in (text := _message(window)) and "taken off the Open recent list" in text
    assert _session(window).manager.recent() == [str(a.resolve())]
    menu.aboutToShow.emit()
    next(act for act in menu.actions() if act.text() == "&Clear list").trigger()
    assert _session(window).manager.recent() == []


def _pin(name: str) -> dict:
    """A pinned run as the comparison feature saves it (what a session file must hold)."""
    return {"name": name, "inputs": {"estrogen": 10, "ferritin": 50, "treatments": [], "clamps": {},
                                     "knockouts": [], "edge_knockouts": []},
            "t_pinned": 1.0, "t": [0.0, 1.0], "formation": [7.0, 7.4], "resorption": [7.0, 9.1],
            "mass": [100.0, 96.4], "activities": {"rankl": 0.4}}


class FakePins:
    """Stands in for the comparison feature: a feature whose session part keeps pinned runs under
    "pinned" (the protocol every part promises), and can refuse them."""

    name = "fake-pins"
    key = "pinned"

    def __init__(self, pins: list[dict]) -> None:
        self.pins = pins
        self.refuse = False

    def install(self, ctx) -> None:  # noqa: ANN001
        ctx.session_parts.add(self)

    def save(self) -> tuple[dict, ...]:
        return tuple(dict(p) for p in self.pins)

    def check(self, value) -> list[str]:  # noqa: ANN001
        return ["pinned: run 1 has no bone-mass data"] if self.refuse else []

    def restore(self, value) -> list[str]:  # noqa: ANN001
        self.pins = [dict(p) for p in value]
        return []

    def clear(self) -> None:
        pass


def _window_without_compare(qtbot, make_window, *extra):  # noqa: ANN001, ANN202
    """A window with every feature but the comparison, and `extra` features; its model loaded."""
    from app.ui.app import standard_features

    window = make_window(CONTENT, features=lambda: [f for f in standard_features() if f.name != "compare"]
                         + list(extra))
    qtbot.waitUntil(lambda: window.model_controller is not None)
    assert "compare" not in window.features
    return window


def test_tour_step_and_pinned_runs_come_back(qtbot, make_window, tmp_path) -> None:
    compare = FakePins([_pin("untreated")])
    window = _window_without_compare(qtbot, make_window, compare)
    session = _session(window)
    runner = _lecture(window).runner
    assert runner.start(TOUR, 2)
    window.model_controller.finish_play()
    before = _picture(window)
    path = tmp_path / "tour.ironbone"
    session.act_save.trigger()
    _answer(window, path, save=True)
    assert json.loads(path.read_text(encoding="utf-8"))["tour"] == {"id": TOUR, "step": 2}

    runner.leave()
    session.act_new.trigger()
    _answer_prompt(qtbot, window, DISCARD)  # leaving the tour changed the session
    compare.pins = []
    assert runner.position() is None and window.model_controller.state.t_years == 0
    assert window.windowTitle() == session.manager.base_title

    session.manager.open_path(path)
    assert runner.position() == (TOUR, 2)
    assert compare.pins == [_pin("untreated")]
    assert _picture(window) == before
    assert not window.model_controller.playing

    compare.refuse = True  # the comparison refuses its data: nothing else may change
    runner.leave()
    session.act_new.trigger()
    _answer_prompt(qtbot, window, DISCARD)
    after_new = _picture(window)
    session.manager.open_path(path)
    assert "pinned: run 1 has no bone-mass data" in _message(window)
    assert _picture(window) == after_new and runner.position() is None


def test_pinned_runs_survive_a_window_without_the_comparison_feature(qtbot, make_window, tmp_path) -> None:
    pins_file = tmp_path / "pins.ironbone"
    pins_file.write_text(json.dumps({
        "format": "ironbone-session", "version": 1, "inputs": {"estrogen": 20, "ferritin": 300},
        "pinned": [_pin("kept")], "mystery": 1}), encoding="utf-8")
    window = _window_without_compare(qtbot, make_window)
    session = _session(window).manager
    session.open_path(pins_file)
    message = window.statusBar().currentMessage()
    assert "1 pinned run(s) kept in the file" in message and "ignored unknown key mystery" in message
    out = tmp_path / "again.ironbone"
    session.save_to(out)
    assert json.loads(out.read_text(encoding="utf-8"))["pinned"] == [_pin("kept")]


def test_dropping_a_session_file_on_the_window_opens_it(qtbot, window, tmp_path, monkeypatch) -> None:
    path = tmp_path / "dropped.ironbone"
    window.model_controller.set_ferritin(1200)
    _session(window).act_save_as.trigger()
    _answer(window, path, save=True)
    _session(window).act_new.trigger()
    # The offscreen platform has no drag manager: hand the events to the filter the window, the
    # diagram and the page share, as Qt would during a real drag.
    drops = _session(window).drop_filter
    other = QMimeData()
    other.setUrls([QUrl.fromLocalFile(str(tmp_path / "picture.png"))])
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    for data, wanted in ((other, False), (mime, True)):
        enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, data, Qt.MouseButton.LeftButton,
                                Qt.KeyboardModifier.NoModifier)
        enter.ignore()
        assert drops.eventFilter(window.view.viewport(), enter) is wanted and enter.isAccepted() is wanted
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    assert drops.eventFilter(window.view.viewport(), drop)
    assert window.model_controller.inputs.ferritin != 1200  # opened just after the drop returns
    qtbot.waitUntil(lambda: window.model_controller.inputs.ferritin == 1200)
    assert window.windowTitle() == "dropped.ironbone — IronBone"


def test_a_session_named_on_the_command_line_opens_once_the_model_is_ready(qtbot, make_window, tmp_path) -> None:
    from app.cli import main
    from app.ui.session import files as session_ui

    path = tmp_path / "start.ironbone"
    path.write_text(json.dumps({"format": "ironbone-session", "version": 1, "years": 1.5,
                                "inputs": {"estrogen": 15, "ferritin": 600}}), encoding="utf-8")
    with pytest.raises(SystemExit) as info:
        main(["notes.txt"])  # a typo'd sub-command is not taken for a session
    assert info.value.code == 2
    session_ui.open_on_start(path)
    w = make_window(CONTENT)
    qtbot.waitUntil(lambda: w.features["session"].manager.path == path)
    assert w.model_controller.inputs.estrogen == 15 and w.model_controller.state.t_years == pytest.approx(1.5)


def test_file_menu_screenshot(qtbot, window, tmp_path) -> None:
    menu = window.menus["file"]
    names = [a.text() for a in menu.actions()[:7]]
    assert names == ["&New session", "&Open session…", "Open &recent", "", "&Save session", "Save session &as…", ""]
    for act in (_session(window).act_new, _session(window).act_open, _session(window).act_save,
                _session(window).act_save_as):
        assert act.shortcuts() and act.toolTip()
    menu.popup(window.mapToGlobal(QPoint(0, 0)))
    qtbot.waitExposed(menu)
    menu.grab().save(str(tmp_path / "file-menu.png"))
    menu.close()


def test_too_many_changes_to_store_replays_the_last_inputs_and_says_so(qtbot, window, tmp_path,
                                                                      monkeypatch) -> None:
    import app.knowledge.session as sf

    monkeypatch.setattr(sf, "MAX_TIMELINE", 3)
    mc = window.model_controller
    for value in (90, 80, 70, 60, 50):
        mc.set_estrogen(value)
        window.acts.step.trigger()
    path = tmp_path / "busy.ironbone"
    _session(window).act_save.trigger()
    _answer(window, path, save=True)
    assert "reopening replays the current inputs from year 0" in window.statusBar().currentMessage()
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["timeline"] == [] and data["inputs"]["estrogen"] == 50
    _session(window).act_new.trigger()
    assert _session(window).manager.open_path(path)
    assert mc.inputs.estrogen == 50 and mc.state.t_years == pytest.approx(data["years"])


def test_pinned_runs_of_the_real_comparison_round_trip(qtbot, window, tmp_path) -> None:
    compare = _compare(window).compare
    mc = window.model_controller
    mc.choose_scenario("postmenopause_iron")
    mc.advance(365.25 * 2)
    compare.pin("iron, two years")
    saved = compare.pinned_data()
    assert len(saved) == 1
    path = tmp_path / "pins.ironbone"
    _session(window).manager.save_to(path)
    assert not _session(window).manager.dirty
    compare.clear()
    assert _session(window).manager.dirty  # removing a pin is a change to the session
    assert _session(window).manager.open_path(path)
    assert compare.pinned_data() == saved and not _session(window).manager.dirty


def test_cut_links_come_back_and_an_unknown_link_is_refused(qtbot, window, tmp_path) -> None:
    mc = window.model_controller
    assert mc.set_inputs(mc.inputs.replace(edge_knockouts=(("rankl", "rank"),)))
    path = tmp_path / "cut.ironbone"
    _session(window).manager.save_to(path)
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert mc.inputs.edge_knockouts == ()
    assert _session(window).manager.open_path(path)
    assert mc.inputs.edge_knockouts == (("rankl", "rank"),)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["inputs"]["edge_knockouts"] = [["rankl", "bone_mass"]]
    data["timeline"] = []
    bad = tmp_path / "bad.ironbone"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = mc.inputs
    assert not _session(window).manager.open_path(bad)
    assert mc.inputs == before
    assert "no link rankl → bone_mass" in _session(window).manager.last_message  # also in the message box
