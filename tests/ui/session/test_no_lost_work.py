"""No lost work: quitting, opening another session or starting a new one with unsaved changes asks
Save / Discard / Cancel (answered here with clicks, as a person would); an untitled session with
changes says so in the title; and a run ended from outside (SIGTERM, SIGINT, the desktop session
ending) keeps the work for the next start, proved on the real app in a subprocess."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.knowledge.session import read

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content"
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
SAVE, DISCARD, CANCEL = (QMessageBox.StandardButton.Save, QMessageBox.StandardButton.Discard,
                         QMessageBox.StandardButton.Cancel)


def _session(window):  # noqa: ANN001, ANN202
    return window.features["session"]


def _prompt(window) -> QMessageBox:  # noqa: ANN001
    box = _session(window).manager.save_prompt
    assert isinstance(box, QMessageBox) and box.isVisible(), "no Save / Discard / Cancel question"
    assert box.windowModality() != Qt.WindowModality.ApplicationModal  # the rest of the desktop stays usable
    return box


def _click(qtbot, window, button: QMessageBox.StandardButton) -> None:  # noqa: ANN001
    qtbot.mouseClick(_prompt(window).button(button), LEFT)


def _lower_estrogen(qtbot, window, steps: int = 3) -> None:  # noqa: ANN001
    slider = window.controls.estrogen_slider
    slider.setFocus()
    for _ in range(steps):
        qtbot.keyClick(slider, Qt.Key.Key_PageDown)


def _with_recovery(qtbot, window, folder: Path):  # noqa: ANN001, ANN202
    qtbot.waitUntil(lambda: _session(window).manager.ready)
    rec = _session(window).enable_recovery(folder, interval_ms=30)
    qtbot.waitUntil(rec.timer.isActive)
    return rec


def test_an_untitled_session_with_changes_shows_it_in_the_title(qtbot, window) -> None:
    manager = _session(window).manager
    qtbot.waitUntil(lambda: manager.ready)
    assert window.windowTitle() == manager.base_title  # nothing done yet
    window.controller.select_node("rankl")  # reading is not a change
    assert window.windowTitle() == manager.base_title and not manager.unsaved()
    _lower_estrogen(qtbot, window)
    assert window.windowTitle() == "Untitled session • — IronBone"
    window.acts.play.trigger()  # the clock alone is work too
    window.acts.play.trigger()
    qtbot.keyClick(window, Qt.Key.Key_R, CTRL)
    window.acts.step.trigger()
    assert window.windowTitle() == "Untitled session • — IronBone"


def test_quitting_with_nothing_unsaved_asks_nothing(qtbot, window) -> None:
    qtbot.waitUntil(lambda: _session(window).manager.ready)
    window.controller.select_node("hepcidin")
    window.acts.quit.trigger()  # File ▸ Quit
    assert not window.isVisible() and _session(window).manager.save_prompt is None


def test_quit_cancel_keeps_everything_including_the_recovery_copy(qtbot, window, tmp_path) -> None:
    rec = _with_recovery(qtbot, window, tmp_path / "recovery")
    _lower_estrogen(qtbot, window)
    inputs = window.model_controller.inputs
    qtbot.waitUntil(lambda: rec.path.exists() and read(rec.path).inputs == inputs)
    window.acts.quit.trigger()  # File ▸ Quit
    box = _prompt(window)
    assert "untitled session" in box.text() and "quitting" in box.text()
    assert rec.path.exists()  # nothing is removed while the question is open
    _click(qtbot, window, CANCEL)
    assert window.isVisible() and window.model_controller.inputs == inputs
    assert rec.path.exists() and rec.path.with_suffix(".lock").exists() and rec.timer.isActive()
    # Esc is Cancel too.
    window.acts.quit.trigger()  # File ▸ Quit
    qtbot.keyClick(_prompt(window), Qt.Key.Key_Escape)
    assert window.isVisible() and rec.path.exists()


def test_quit_save_on_an_untitled_session_asks_for_a_name_saves_then_quits(qtbot, window, tmp_path) -> None:
    rec = _with_recovery(qtbot, window, tmp_path / "recovery")
    _lower_estrogen(qtbot, window)
    qtbot.waitUntil(rec.path.exists)
    window.acts.quit.trigger()  # File ▸ Quit
    _click(qtbot, window, SAVE)
    dialog = _session(window).manager.file_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert window.isVisible()  # not before the file is written
    path = tmp_path / "lesson.ironbone"
    dialog.fileSelected.emit(str(path))  # the name is chosen
    assert read(path).inputs.estrogen == 70
    assert not window.isVisible()  # then it quits: a normal end, the copy goes
    assert not rec.path.exists() and not rec.path.with_suffix(".lock").exists()


def test_quit_save_then_the_name_dialog_cancelled_quits_nothing(qtbot, window, tmp_path) -> None:
    _with_recovery(qtbot, window, tmp_path / "recovery")
    _lower_estrogen(qtbot, window)
    window.acts.quit.trigger()  # File ▸ Quit
    _click(qtbot, window, SAVE)
    dialog = _session(window).manager.file_dialog
    dialog.reject()  # the person thinks again
    assert window.isVisible() and _session(window).manager.unsaved()


def test_quit_save_on_a_named_session_saves_to_its_file(qtbot, window, tmp_path) -> None:
    manager = _session(window).manager
    qtbot.waitUntil(lambda: manager.ready)
    path = tmp_path / "named.ironbone"
    assert manager.save_to(path)
    _lower_estrogen(qtbot, window, 5)
    assert window.windowTitle() == "named.ironbone • — IronBone"
    window.acts.quit.trigger()  # File ▸ Quit
    assert "“named.ironbone”" in _prompt(window).text()
    _click(qtbot, window, SAVE)
    assert not window.isVisible()  # no name to ask: saved and quit
    assert json.loads(path.read_text(encoding="utf-8"))["inputs"]["estrogen"] == 50


def test_quit_discard_quits_and_removes_the_recovery_copy(qtbot, window, tmp_path) -> None:
    rec = _with_recovery(qtbot, window, tmp_path / "recovery")
    _lower_estrogen(qtbot, window)
    qtbot.waitUntil(rec.path.exists)
    window.acts.quit.trigger()  # File ▸ Quit
    _click(qtbot, window, DISCARD)
    assert not window.isVisible()
    assert not rec.path.exists() and not rec.path.with_suffix(".lock").exists()


def test_open_asks_first_and_cancel_opens_nothing(qtbot, window, tmp_path) -> None:
    manager = _session(window).manager
    qtbot.waitUntil(lambda: manager.ready)
    other = tmp_path / "other.ironbone"
    window.model_controller.set_estrogen(20)
    assert manager.save_to(other)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)  # saved: a new session starts without a question
    assert manager.save_prompt is None and window.model_controller.inputs.estrogen == 100
    _lower_estrogen(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    assert "opening another session" in _prompt(window).text()
    _click(qtbot, window, CANCEL)
    assert manager.file_dialog is None or not manager.file_dialog.isVisible()  # no file dialog
    assert window.model_controller.inputs.estrogen == 70
    qtbot.keyClick(window, Qt.Key.Key_O, CTRL)
    _click(qtbot, window, DISCARD)
    dialog = manager.file_dialog
    assert dialog.isVisible() and dialog.acceptMode() == QFileDialog.AcceptMode.AcceptOpen
    dialog.fileSelected.emit(str(other))
    assert window.model_controller.inputs.estrogen == 20 and manager.path == other


def test_open_recent_and_a_dropped_file_ask_first(qtbot, window, tmp_path) -> None:
    manager = _session(window).manager
    qtbot.waitUntil(lambda: manager.ready)
    other = tmp_path / "other.ironbone"
    window.model_controller.set_estrogen(20)
    assert manager.save_to(other)
    window.model_controller.set_estrogen(60)
    menu = _session(window).recent_menu
    menu.aboutToShow.emit()
    next(a for a in menu.actions() if a.text().endswith("other.ironbone")).trigger()
    _click(qtbot, window, CANCEL)
    assert window.model_controller.inputs.estrogen == 60
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(other))])
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    _session(window).drop_filter.eventFilter(window, drop)
    qtbot.waitUntil(lambda: manager.save_prompt is not None and manager.save_prompt.isVisible())
    _click(qtbot, window, DISCARD)
    assert window.model_controller.inputs.estrogen == 20


def test_new_session_asks_first(qtbot, window, tmp_path) -> None:
    manager = _session(window).manager
    qtbot.waitUntil(lambda: manager.ready)
    _lower_estrogen(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    assert "starting a new session" in _prompt(window).text()
    _click(qtbot, window, CANCEL)
    assert window.model_controller.inputs.estrogen == 70
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    _click(qtbot, window, SAVE)
    manager.file_dialog.fileSelected.emit(str(tmp_path / "kept.ironbone"))
    assert read(tmp_path / "kept.ironbone").inputs.estrogen == 70
    assert window.model_controller.inputs.estrogen == 100 and manager.path is None  # then the new one


# --- ends that cannot ask: the real app in a subprocess -----------------------------------------

DRIVER = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtGui import QSessionManager
from PySide6.QtWidgets import QApplication
import app.ui.shell.main_window as mw
from app.knowledge.session import read

mode = sys.argv[1]
windows = []
init = mw.MainWindow.__init__
def keep(self, *a, **k):
    init(self, *a, **k)
    windows.append(self)
mw.MainWindow.__init__ = keep

def recovery():
    w = windows[0] if windows else None
    return w.features["session"].recovery if w is not None and w.features else None

def poll():
    rec = recovery()
    if rec is None or not rec.timer.isActive():  # recovery starts once the model is there
        QTimer.singleShot(20, poll)
        return
    windows[0].controls.estrogen_slider.setValue(45)
    rec.written.connect(on_written)
    rec.autosave()

def on_written(_path):
    rec = recovery()
    rec.written.disconnect(on_written)
    rec.timer.stop()  # from now on only the end writes the file
    windows[0].controls.estrogen_slider.setValue(30)  # a change the kept copy does not hold yet
    app = QApplication.instance()
    if mode == "session-end":
        app.commitDataRequest.emit(app.findChild(QSessionManager))  # the desktop session asks for unsaved data ...
        print("committed", f"{read(rec.path).inputs.estrogen:g}", flush=True)
        app.exit(0)  # ... then ends the app without closing its window
        return
    print("ready", rec.path.name, flush=True)

QTimer.singleShot(0, poll)
from app.cli import main
sys.exit(main([]))
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", IRONBONE_DATA_DIR=str(tmp_path / "data"),
                IRONBONE_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"))


def _line(proc: subprocess.Popen, timeout: float = 60) -> str:
    """The next line the app prints (the test's only way to know where it is: no sleeping)."""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            proc.kill()
            raise AssertionError(f"no line from the app within {timeout} s")
    return proc.stdout.readline().strip()


def _run_until_ready(tmp_path: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", DRIVER, mode], cwd=ROOT, env=_env(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _kept_and_unlocked(tmp_path: Path, pid: int) -> Path:
    kept = tmp_path / "data" / "recovery" / f"recovery-{pid}.ironbone"
    assert kept.exists(), sorted(p.name for p in kept.parent.iterdir())
    assert read(kept).inputs.estrogen == 30  # the last change, written at the end
    assert not kept.with_suffix(".lock").exists()  # the lock is released
    settings = (tmp_path / "config" / "IronBone" / "IronBone.conf").read_text(encoding="utf-8")
    assert "geometry" in settings  # the window's settings were saved
    return kept


def _offered_at_the_next_start(qtbot, make_window, kept: Path) -> None:  # noqa: ANN001
    window = make_window(CONTENT)
    qtbot.waitUntil(lambda: window.model_controller is not None)
    rec = _with_recovery(qtbot, window, kept.parent)
    qtbot.waitUntil(lambda: rec.offer_box is not None and rec.offer_box.isVisible())
    qtbot.mouseClick(rec.restore_button, LEFT)
    qtbot.waitUntil(lambda: window.model_controller.inputs.estrogen == 30)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_ends_the_app_like_a_quit_that_cannot_ask(qtbot, make_window, tmp_path, sig) -> None:
    proc = _run_until_ready(tmp_path, "signal")
    try:
        assert _line(proc).startswith("ready recovery-")
        proc.send_signal(sig)
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
        out, err = proc.communicate()
    assert code == 128 + sig, err  # ended by that signal, as a shell reports it; no traceback
    assert "Traceback" not in err, err
    kept = _kept_and_unlocked(tmp_path, proc.pid)
    _offered_at_the_next_start(qtbot, make_window, kept)


def test_the_desktop_session_ending_keeps_the_work(qtbot, make_window, tmp_path) -> None:
    proc = _run_until_ready(tmp_path, "session-end")
    try:
        assert _line(proc) == "committed 30"  # written at the request, before the end
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
        _out, err = proc.communicate()
    assert code == 0, err
    kept = _kept_and_unlocked(tmp_path, proc.pid)
    _offered_at_the_next_start(qtbot, make_window, kept)


def test_stale_locks_of_dead_instances_are_removed_at_start(qtbot, window, tmp_path) -> None:
    folder = tmp_path / "recovery"
    folder.mkdir()
    locker = ("import sys\nfrom PySide6.QtCore import QLockFile\n"
              "lock = QLockFile(sys.argv[1])\nprint(lock.tryLock(0), flush=True)\nsys.stdin.read()\n")
    stale = folder / "recovery-4242.lock"
    proc = subprocess.Popen([sys.executable, "-c", locker, str(stale)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert _line(proc) == "True"
    finally:
        proc.send_signal(signal.SIGKILL)  # dies holding it: the lock file stays behind
        proc.wait(timeout=30)
        proc.stdout.close()
        proc.stdin.close()
    assert stale.exists()
    rec = _with_recovery(qtbot, window, folder)
    assert not stale.exists()  # cleaned at start
    assert rec.path.with_suffix(".lock").exists()  # this instance's own lock is held
    assert rec.offer_box is None  # a lock without a recovery file offers nothing
