"""Crash recovery: while the session has unsaved changes it is written to a recovery file every few
seconds (on a worker thread: the write waits for the disk), and the file goes when IronBone closes
normally. A lock file held for the whole run tells a live instance from one that died: after a crash,
the next start offers the session back, untitled and marked unsaved, in a message that does not
block the window. An end that cannot ask about unsaved work (a signal, the desktop session ending)
writes the file one last time and keeps it, releasing the lock, so the next start offers it too.
Lock files that instances which died left behind are removed at start.

The folder is `recovery/` beside the progress file (IRONBONE_DATA_DIR, else the user data folder).
Only the interactive GUI installs this (not the smoke test, screenshots or the self-test)."""

from __future__ import annotations

import os
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, QTimer, Signal
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from app.knowledge.session import Session
    from app.ui.context import FeatureContext
    from app.ui.session.files import SessionManager

INTERVAL_MS = 5000
PREFIX = "recovery-"
SUFFIX = ".ironbone"


def default_folder() -> Path:
    from app.quiz.store import default_path

    return default_path().parent / "recovery"


class RecoveryManager(QObject):
    """Keeps a recovery copy of unsaved work and offers the copies of crashed instances back."""

    written = Signal(str)  # a recovery file has been written (its path)
    def __init__(self, ctx: FeatureContext, manager: SessionManager, folder: Path, *,
                 interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(ctx.window)
        self.ctx, self.manager = ctx, manager
        self.window = ctx.window
        self.folder = Path(folder)
        self.path = self.folder / f"{PREFIX}{os.getpid()}{SUFFIX}"
        self._lock = QLockFile(str(self.path.with_suffix(".lock")))
        self._lock.setStaleLockTime(0)  # held for the whole run: only a dead owner makes it stale
        self._written: Session | None = None  # what the recovery file holds now
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future | None = None
        self.problem = ""  # why recovery files cannot be written here ("" while all is well)
        self.offer_box: QMessageBox | None = None
        self._offered: Path | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.autosave)
        # The session feature ends this (finish() or keep()) when the window closes.
        if manager.ready:
            self._start()
        else:  # what is unsaved is known once the manager has the model
            manager.became_ready.connect(self._start)

    # --- running ---------------------------------------------------------------------------------
    def _start(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._disable(f"cannot create {self.folder}: {exc.strerror or exc}")
            return
        if not self._lock.tryLock(0):
            self._disable(f"cannot lock {self._lock.fileName()} (error {int(self._lock.error().value)})")
            return
        self.remove_stale_locks()
        self.timer.start()
        self.offer_next()

    def _disable(self, why: str) -> None:
        self.problem = why
        self.ctx.post(f"Crash recovery is off: {why}")

    def autosave(self) -> bool:
        """Write the session if it has unsaved changes that the recovery file does not hold yet;
        remove the file once nothing is unsaved. True if a write was started (`written` follows)."""
        manager = self.manager
        if self.ctx.model() is None or self.problem:
            return False
        if self._pending is not None:
            if not self._pending.done():
                return False  # the last write is still waiting for the disk
            error = self._pending.exception()
            self._pending = None
            if error is not None:
                self._written = None
                self.ctx.post(f"Crash recovery could not write {self.path}: {error}")
        if not manager.unsaved():
            self._remove_own()
            return False
        session = manager.snapshot()
        if session is None or session == self._written:
            return False
        self._written = session
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ironbone-recovery")
        self._pending = self._executor.submit(_write, self.path, session)
        # Called on the worker thread: the signal reaches the GUI thread through its event loop.
        self._pending.add_done_callback(lambda job: job.exception() is None and self.written.emit(str(self.path)))
        return True

    def _remove_own(self) -> None:
        self._written = None
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            self.ctx.post(f"Crash recovery could not remove {self.path}: {exc.strerror or exc}")

    def finish(self) -> None:
        """A normal end: wait for a write in progress, then remove the file and the lock."""
        self._stop()
        if self._lock.isLocked():
            self._remove_own()
            self._lock.unlock()

    def keep(self) -> None:
        """An end that cannot ask: the unsaved work is written now and the file stays for the next
        start to offer; the lock is released (nothing unsaved: the file goes, as on a normal end)."""
        self._stop()
        if self._lock.isLocked():
            self.write_now()
            self._lock.unlock()

    def write_now(self) -> bool:
        """Write the recovery file at once, on this thread, if work is unsaved (and remove it if not).
        True if the file holds the session now."""
        if self.ctx.model() is None or self.problem or not self._lock.isLocked():
            return False
        if self._executor is not None:
            self._executor.shutdown(wait=True)  # a write in progress ends first: the newest wins
            self._executor = None
        self._pending = None
        if not self.manager.unsaved():
            self._remove_own()
            return False
        session = self.manager.snapshot()
        if session is None:
            return False
        if session != self._written or not self.path.exists():
            try:
                _write(self.path, session)
            except Exception as exc:  # noqa: BLE001 - the app is ending: say what, lose nothing else
                self._written = None
                self.ctx.post(f"Crash recovery could not write {self.path}: {exc}")
                return False
            self._written = session
        return True

    def _stop(self) -> None:
        self.timer.stop()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        self._pending = None

    def remove_stale_locks(self) -> list[Path]:
        """Remove the lock files of instances that are no longer running (a lock is stale once its
        process has gone); their recovery files, if any, stay to be offered. Returns those removed."""
        removed = []
        for lock_path in self.folder.glob(f"{PREFIX}*.lock"):
            if lock_path == self.path.with_suffix(".lock"):
                continue
            lock = QLockFile(str(lock_path))
            lock.setStaleLockTime(0)  # stale only when its owner is gone, however old
            if lock.tryLock(0):  # taken over from a dead owner: unlocking removes the file
                lock.unlock()
                removed.append(lock_path)
        return removed

    # --- after a crash ---------------------------------------------------------------------------
    def left_behind(self) -> list[Path]:
        """Recovery files of instances that are no longer running, newest first."""
        out = []
        for path in self.folder.glob(f"{PREFIX}*{SUFFIX}"):
            if path == self.path:
                continue
            lock = QLockFile(str(path.with_suffix(".lock")))
            lock.setStaleLockTime(0)
            if lock.tryLock(0):  # nobody holds it: its instance ended without removing the file
                lock.unlock()
                out.append(path)
        return sorted(out, key=_mtime, reverse=True)

    def offer_next(self) -> None:
        """Offer the newest file a crashed instance left, in a message that does not block."""
        files = self.left_behind()
        if not files:
            return
        path = files[0]
        self._offered = path
        when = datetime.fromtimestamp(_mtime(path)).strftime("%d %b %Y at %H:%M")
        more = f" ({len(files) - 1} more after this one)" if len(files) > 1 else ""
        box = QMessageBox(QMessageBox.Icon.Question, "Restore unsaved session",
                          f"IronBone did not close properly. It kept the session you were working on, "
                          f"last written on {when}{more}. Restore it?", parent=self.window)
        box.setInformativeText("Restored, it opens untitled with unsaved changes: save it to keep it. "
                               "Discard deletes the kept copy.")
        self.restore_button = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
        self.discard_button = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(self.restore_button)
        box.buttonClicked.connect(self._on_offer_answered)
        box.open()
        self.offer_box = box

    def _on_offer_answered(self, button) -> None:  # noqa: ANN001
        path, self._offered = self._offered, None
        if path is None:
            return
        if button is self.restore_button:
            self.restore(path)
        else:
            _unlink(path)
            self.ctx.post(f"Discarded the session kept in {path.name}")
        QTimer.singleShot(0, self, self.offer_next)  # another crashed instance's, if any

    def restore(self, path: Path) -> bool:
        manager = self.manager
        if not manager.restore_unsaved(path):
            # Unreadable: set aside (not deleted), so it is not offered at every start.
            aside = path.with_name(path.name + ".unreadable")
            try:
                os.replace(path, aside)
            except OSError:
                pass
            return False
        _unlink(path)
        self.autosave()  # ours now holds it, in case of another crash
        return True


def _write(path: Path, session: Session) -> None:  # no Qt here: it runs on the worker thread too
    from app import __version__
    from app.knowledge.session import write

    write(path, session, app_version=__version__)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _unlink(path: Path) -> None:
    for p in (path, path.with_suffix(".lock")):
        try:
            p.unlink()
        except OSError:
            pass
