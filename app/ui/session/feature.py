"""The session feature: File ▸ New, Open, Open recent, Save and Save as, drag and drop of a session
file onto the window, the question before unsaved work would be lost (quitting included), and,
for interactive runs, crash recovery.

An end that cannot ask (SIGTERM, Ctrl+C in the terminal, the desktop session ending) keeps the
unsaved work in the recovery file, so that the next start offers it back (end_unattended)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget

from app.ui.drops import FileDrop
from app.ui.session.files import SUFFIX, SessionManager, take_startup_file

if TYPE_CHECKING:
    from app.ui.context import FeatureContext
    from app.ui.session.recovery import RecoveryManager


class SessionFeature:
    """`manager` (SessionManager), `recovery` (None until enabled), `drop_filter`, `recent_menu` and
    the File menu's session actions."""

    name = "session"

    def __init__(self) -> None:
        self.recovery: RecoveryManager | None = None
        self.unattended = False  # the app is ending without anyone to ask (end_unattended)
        self._close_confirmed = False  # the question before closing was answered: close now

    def install(self, ctx: FeatureContext) -> None:
        self._ctx = ctx
        self.manager = manager = SessionManager(ctx)
        self.act_new = ctx.add_action("&New session", manager.request_new_session, ["Ctrl+N"],
                                      "Start afresh: the premenopausal reference at year 0")
        self.act_open = ctx.add_action("&Open session…", manager.open_dialog, ["Ctrl+O"],
                                       "Open a saved .ironbone session: sliders, treatments, clock, page and tour")
        self.act_save = ctx.add_action("&Save session", manager.save, ["Ctrl+S"],
                                       "Save the sliders, treatments, clamps, clock, page, tour step and pinned runs")
        self.act_save_as = ctx.add_action("Save session &as…", manager.save_as, ["Ctrl+Shift+S"],
                                          "Save the session under a new name")
        self.recent_menu = recent = QMenu("Open &recent", ctx.window)
        recent.setToolTipsVisible(True)
        recent.menuAction().setToolTip("Sessions opened or saved lately")
        recent.aboutToShow.connect(lambda: manager.fill_recent_menu(recent))
        self.actions = (self.act_new, self.act_save, self.act_save_as)
        for act in self.actions:
            act.setEnabled(False)  # until the model has loaded (Open waits for it by itself)
        ctx.add_to_menu("file", self.act_new, self.act_open, recent, None, self.act_save, self.act_save_as, None)
        ctx.model_ready.connect(self._on_model_ready)
        window = ctx.window
        window.setAcceptDrops(True)
        self.drop_filter = FileDrop(SUFFIX, manager.request_open, manager)
        # Widgets that take drops of their own (the diagram, the page) get the session file first.
        for target in [window, *(w for w in window.findChildren(QWidget) if w.acceptDrops())]:
            target.installEventFilter(self.drop_filter)
        self.close_guard = _CloseGuard(self)
        window.installEventFilter(self.close_guard)
        pending = take_startup_file()
        if pending is not None:
            manager.open_when_ready(pending)
        ctx.library.open_session = self.open_from_pack  # a lesson pack's session, once installed
        ctx.library.session_bytes = self.session_bytes

    def open_from_pack(self, path: Path) -> bool:
        """Open a lesson pack's session as Open would: with unsaved work, ask Save / Discard / Cancel
        first (the file opens once answered; True means it opened or the question is up)."""
        manager = self.manager
        if not manager.unsaved():
            return manager.open_path(path)
        manager.request_open(path)
        return True

    def session_bytes(self) -> bytes | None:
        """The window's state as the bytes of a session file, without a tour position (a lesson pack
        carries its tours apart); None until the model has loaded."""
        import dataclasses

        from app import __version__
        from app.knowledge.session import dumps

        session = self.manager.snapshot()
        if session is None:
            return None
        return dumps(dataclasses.replace(session, tour=None), app_version=__version__).encode("utf-8")

    def _on_model_ready(self) -> None:
        for act in self.actions:
            act.setEnabled(True)
        self.manager.on_model_ready()

    # --- ending ------------------------------------------------------------------------------------
    def on_window_close(self) -> bool:
        """The window is asked to close: True holds the close back while unsaved work is asked about;
        False lets it close, with the recovery file removed (a normal end) or kept (an end that
        cannot ask)."""
        manager = self.manager
        app = QGuiApplication.instance()
        cannot_ask = self.unattended or (app is not None and app.isSavingSession())  # the desktop session ends
        if not (cannot_ask or self._close_confirmed) and manager.ready and manager.unsaved():
            manager.ask_to_save("quitting", self._close_now)
            return True
        self._close_confirmed = False
        if self.recovery is not None:
            if cannot_ask:
                self.recovery.keep()
            else:
                self.recovery.finish()
        return False

    def _close_now(self) -> None:
        self._close_confirmed = True
        self._ctx.window.close()

    def end_unattended(self) -> None:
        """The app ends without anyone to ask (a signal, the desktop session ending): nothing is
        asked, unsaved work stays in the recovery file for the next start and the lock is released,
        when the window closes next."""
        self.unattended = True

    def keep_for_recovery(self) -> None:
        """Write the recovery file now if work is unsaved (the desktop session is about to end)."""
        if self.recovery is not None:
            self.recovery.write_now()

    def enable_recovery(self, folder: Path | None = None, *, interval_ms: int | None = None) -> RecoveryManager:
        """Keep a recovery copy of unsaved work (interactive runs only; app.ui.app decides)."""
        from app.ui.session import recovery

        if self.recovery is None:
            self.recovery = recovery.RecoveryManager(self._ctx, self.manager, folder or recovery.default_folder(),
                                                     interval_ms=interval_ms or recovery.INTERVAL_MS)
        return self.recovery


class _CloseGuard(QObject):
    """Holds the window's close back while unsaved work is asked about (see on_window_close)."""

    def __init__(self, feature: SessionFeature) -> None:
        super().__init__(feature._ctx.window)
        self.feature = feature

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Close and obj is self.feature._ctx.window:
            if self.feature.on_window_close():
                event.ignore()
                return True
        return False
