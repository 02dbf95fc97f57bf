"""Crash recovery (app/ui/session/recovery.py): unsaved work is kept in a recovery file, removed on a normal
close, and offered back after a crash; a real instance is killed with SIGKILL to prove it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QLockFile, Qt
from PySide6.QtWidgets import QMessageBox

from app.knowledge.session import read

ROOT = Path(__file__).resolve().parents[3]
CONTENT = ROOT / "content"

CRASHING = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.knowledge.content import load_content
from app.ui.app import create_window

app = QApplication([])
window = create_window(load_content(Path(sys.argv[1])))

def on_session_ready():
    rec = window.features["session"].enable_recovery(Path(sys.argv[2]), interval_ms=30)
    rec.written.connect(lambda _path: print("written", flush=True))
    window.controls.estrogen_slider.setValue(int(sys.argv[3]))

def on_model_ready():
    manager = window.features["session"].manager
    if manager.ready:
        on_session_ready()
    else:
        manager.became_ready.connect(on_session_ready)

window.model_ready.connect(on_model_ready)
window.show()
app.exec()  # working on, until the test kills it
"""


def _session(window):  # noqa: ANN001, ANN202
    return window.features["session"]


def _with_recovery(qtbot, make_window, folder: Path, interval_ms: int = 30):  # noqa: ANN001, ANN202
    window = make_window(CONTENT)
    qtbot.waitUntil(lambda: window.model_controller is not None and _session(window).manager.ready)
    rec = _session(window).enable_recovery(folder, interval_ms=interval_ms)
    qtbot.waitUntil(lambda: rec.timer.isActive() or rec.offer_box is not None or bool(rec.problem))
    return window, rec


def _kill_an_instance_with_unsaved_work(folder: Path, estrogen: int) -> Path:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, "-c", CRASHING, str(CONTENT), str(folder), str(estrogen)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
    finally:
        proc.send_signal(signal.SIGKILL)  # a crash: no close event, nothing cleaned up
        proc.wait(timeout=30)
        proc.stdout.close()
    left = folder / f"recovery-{proc.pid}.ironbone"
    assert left.exists() and left.with_suffix(".lock").exists()
    return left


def test_unsaved_changes_are_kept_and_go_on_a_normal_close(qtbot, make_window, tmp_path) -> None:
    window, rec = _with_recovery(qtbot, make_window, tmp_path / "recovery")
    assert rec.autosave() is False and not rec.path.exists()  # nothing unsaved: nothing kept
    slider = window.controls.estrogen_slider
    slider.setFocus()
    for _ in range(3):
        qtbot.keyClick(slider, Qt.Key.Key_PageDown)  # as a person lowers estrogen
    qtbot.waitUntil(lambda: rec.path.exists() and read(rec.path).inputs == window.model_controller.inputs)
    assert read(rec.path).inputs.estrogen < 100
    window.acts.quit.trigger()  # File ▸ Quit: unsaved work is asked about first
    box = _session(window).manager.save_prompt
    assert isinstance(box, QMessageBox) and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    assert window.isVisible() and rec.path.exists() and rec.path.with_suffix(".lock").exists()  # all kept
    window.acts.quit.trigger()
    box = _session(window).manager.save_prompt
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Discard), Qt.MouseButton.LeftButton)
    assert not window.isVisible()  # a normal end: the kept copy and the lock go
    assert not rec.path.exists() and not rec.path.with_suffix(".lock").exists()


def test_saving_removes_the_kept_copy(qtbot, make_window, tmp_path) -> None:
    window, rec = _with_recovery(qtbot, make_window, tmp_path / "recovery")
    window.controls.estrogen_slider.setValue(30)
    qtbot.waitUntil(rec.path.exists)
    assert _session(window).manager.save_to(tmp_path / "lesson.ironbone")
    qtbot.waitUntil(lambda: not rec.path.exists())


def test_after_a_crash_the_session_is_offered_back_and_restored(qtbot, make_window, tmp_path) -> None:
    folder = tmp_path / "recovery"
    left = _kill_an_instance_with_unsaved_work(folder, 35)
    window, rec = _with_recovery(qtbot, make_window, folder)
    qtbot.waitUntil(lambda: rec.offer_box is not None and rec.offer_box.isVisible())
    box = rec.offer_box
    assert box.windowModality() != Qt.WindowModality.ApplicationModal  # the window stays usable
    assert "did not close properly" in box.text()
    assert window.model_controller.inputs.estrogen == 100  # nothing changes before the answer
    qtbot.mouseClick(rec.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model_controller.inputs.estrogen == 35)
    assert _session(window).manager.path is None and _session(window).manager.unsaved()  # untitled: save to keep it
    assert "Restored the unsaved session" in _session(window).manager.last_message
    assert not left.exists() and not left.with_suffix(".lock").exists()
    qtbot.waitUntil(rec.path.exists)  # this instance keeps it now
    assert read(rec.path).inputs.estrogen == 35


def test_discard_deletes_the_kept_copy_and_changes_nothing(qtbot, make_window, tmp_path) -> None:
    folder = tmp_path / "recovery"
    left = _kill_an_instance_with_unsaved_work(folder, 20)
    window, rec = _with_recovery(qtbot, make_window, folder)
    qtbot.waitUntil(lambda: rec.offer_box is not None and rec.offer_box.isVisible())
    qtbot.mouseClick(rec.discard_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not left.exists())
    assert window.model_controller.inputs.estrogen == 100 and not _session(window).manager.unsaved()
    assert rec.left_behind() == []


def test_a_running_instance_s_file_is_not_offered(qtbot, make_window, tmp_path) -> None:
    folder = tmp_path / "recovery"
    folder.mkdir()
    other = folder / "recovery-1.ironbone"
    other.write_text("{}", encoding="utf-8")
    lock = QLockFile(str(other.with_suffix(".lock")))  # held by a live process (this one)
    lock.setStaleLockTime(0)
    assert lock.tryLock(0)
    try:
        _window, rec = _with_recovery(qtbot, make_window, folder)  # started: any offer is made by now
        assert rec.offer_box is None and rec.left_behind() == [] and other.exists()
    finally:
        lock.unlock()


def test_an_unreadable_copy_is_reported_and_set_aside(qtbot, make_window, tmp_path) -> None:
    folder = tmp_path / "recovery"
    folder.mkdir()
    broken = folder / "recovery-999999.ironbone"
    broken.write_bytes(b"\x89PNG garbage")
    window, rec = _with_recovery(qtbot, make_window, folder)
    qtbot.waitUntil(lambda: rec.offer_box is not None and rec.offer_box.isVisible())
    qtbot.mouseClick(rec.restore_button, Qt.MouseButton.LeftButton)
    manager = _session(window).manager
    qtbot.waitUntil(lambda: manager.message_box is not None and manager.message_box.isVisible())
    box = manager.message_box
    assert isinstance(box, QMessageBox) and box.text().startswith(f"Could not restore {broken}")
    box.close()
    assert not broken.exists() and broken.with_name(broken.name + ".unreadable").exists()
    assert window.model_controller.inputs.estrogen == 100
    assert rec.left_behind() == []  # not offered again


def test_a_folder_that_cannot_be_made_turns_recovery_off_with_a_message(qtbot, make_window, tmp_path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    window, rec = _with_recovery(qtbot, make_window, blocker / "recovery")
    qtbot.waitUntil(lambda: bool(rec.problem))
    assert "Crash recovery is off: cannot create" in window.last_message
    window.controls.estrogen_slider.setValue(30)
    rec.autosave()  # does nothing, raises nothing
    assert not rec.timer.isActive()


@pytest.mark.parametrize("args", [["--screenshot", "shot.png"], ["--smoke-test"]])
def test_only_an_interactive_run_keeps_recovery_files(tmp_path, args) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRONBONE_DATA_DIR=str(tmp_path / "data"),
               IRONBONE_CACHE_DIR=str(tmp_path / "cache"))
    out = subprocess.run([sys.executable, "-m", "app", *[str(tmp_path / a) if a.endswith(".png") else a
                                                          for a in args]],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert not (tmp_path / "data" / "recovery").exists()


INTERACTIVE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
import app.ui.shell.main_window as mw

windows = []
init = mw.MainWindow.__init__
def keep(self, *a, **k):
    init(self, *a, **k)
    windows.append(self)
mw.MainWindow.__init__ = keep

def poll():
    w = windows[0] if windows else None
    rec = w.features["session"].recovery if w is not None and w.features else None
    if rec is not None and rec.timer.isActive():
        if w.model_controller.inputs.estrogen == 100:
            w.controls.estrogen_slider.setValue(45)
        elif rec.path.exists():
            print("kept", rec.path.parent.name, flush=True)
            w.close()  # a normal quit: unsaved work is asked about
            prompt = w.features["session"].manager.save_prompt
            prompt.button(QMessageBox.StandardButton.Discard).click()  # the person discards it
            return
    QTimer.singleShot(20, poll)

QTimer.singleShot(0, poll)
QTimer.singleShot(60000, QApplication.quit)
from app.cli import main
code = main([])
print("left", sorted(p.name for p in rec_dir.iterdir()) if (rec_dir := __import__("pathlib").Path(sys.argv[1])).exists()
      else None, flush=True)
sys.exit(code)
"""


def test_the_interactive_app_keeps_a_copy_and_removes_it_on_quit(tmp_path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRONBONE_DATA_DIR=str(tmp_path / "data"),
               IRONBONE_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    out = subprocess.run([sys.executable, "-c", INTERACTIVE, str(tmp_path / "data" / "recovery")], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["kept recovery", "left []"], out.stdout + out.stderr
