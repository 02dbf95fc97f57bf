"""The session feature: File ▸ New, Open, Open recent, Save and Save as, drag and drop of a session
file onto the window, and, for interactive runs, crash recovery."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMenu, QWidget

from app.ui.session.files import DropFilter, SessionManager, take_startup_file

if TYPE_CHECKING:
    from app.ui.context import FeatureContext
    from app.ui.session.recovery import RecoveryManager


class SessionFeature:
    """`manager` (SessionManager), `recovery` (None until enabled), `drop_filter`, `recent_menu` and
    the File menu's session actions."""

    name = "session"

    def __init__(self) -> None:
        self.recovery: RecoveryManager | None = None

    def install(self, ctx: FeatureContext) -> None:
        self._ctx = ctx
        self.manager = manager = SessionManager(ctx)
        self.act_new = ctx.add_action("&New session", manager.new_session, ["Ctrl+N"],
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
        self.drop_filter = DropFilter(manager)
        # Widgets that take drops of their own (the diagram, the page) get the session file first.
        for target in [window, *(w for w in window.findChildren(QWidget) if w.acceptDrops())]:
            target.installEventFilter(self.drop_filter)
        pending = take_startup_file()
        if pending is not None:
            manager.open_when_ready(pending)
        ctx.library.open_session = manager.open_path  # a lesson pack's session, once installed
        ctx.library.session_bytes = self.session_bytes

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

    def enable_recovery(self, folder: Path | None = None, *, interval_ms: int | None = None) -> RecoveryManager:
        """Keep a recovery copy of unsaved work (interactive runs only; app.ui.app decides)."""
        from app.ui.session import recovery

        if self.recovery is None:
            self.recovery = recovery.RecoveryManager(self._ctx, self.manager, folder or recovery.default_folder(),
                                                     interval_ms=interval_ms or recovery.INTERVAL_MS)
        return self.recovery
