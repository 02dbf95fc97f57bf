"""Session files in the File menu: New, Open, Open recent, Save, Save as (`.ironbone`, see
app.knowledge.session), the file name and a "•" for unsaved changes in the title bar, and
drag-and-drop of a session file onto the window.

Opening checks the whole file (and every id in it against the loaded content) before anything
changes: a damaged, foreign or newer-version file gives a message and leaves the window as it was.
The model clock is rebuilt by replaying the saved inputs over model time (reset, then each change
at the year it was made), so bone mass and the plots come back as they were saved.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox

if TYPE_CHECKING:
    from app.knowledge.session import Session
    from app.ui.shell.main_window import MainWindow

RECENT_KEY = "session/recent"
FOLDER_KEY = "session/folder"
MAX_RECENT = 8
FILTER = "IronBone session (*.ironbone)"
SUFFIX = ".ironbone"  # app.knowledge.session.SUFFIX, repeated so install() imports nothing heavy
DAYS_PER_YEAR = 365.25
_startup: list[Path] = []


def open_on_start(path: Path) -> None:
    """Ask the next window to open `path` once its model is ready (python -m app FILE.ironbone)."""
    _startup[:] = [Path(path)]


class SessionManager(QObject):
    """Saves the window's state to a session file and restores it; keeps the recent-files list."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.path: Path | None = None
        self.base_title = window.windowTitle()
        self.message_box: QMessageBox | None = None
        self.file_dialog: QFileDialog | None = None
        self.last_message = ""
        self._saved_key: object = None
        self._dirty = False
        self._pinned_changed = False
        self._carried_pinned: tuple = ()  # pinned runs kept when no comparison feature is present
        self._timeline: list = []  # TimelinePoint: when each change of inputs was made
        self._overflow = False  # more changes than a file stores: the clock then replays the last inputs
        self._pending: Path | None = None

    # --- state ---------------------------------------------------------------------------------
    def snapshot(self) -> Session | None:
        """The window's state as a Session (None until the model exists)."""
        from app.knowledge.session import SELECTION_KINDS, Session

        mc = self.window.model_controller
        if mc is None:
            return None
        loc = self.window.controller.location
        selection = (loc[0], loc[1]) if loc and loc[0] in SELECTION_KINDS else None
        runner = getattr(self.window, "tour_runner", None)
        tour = runner.position() if runner is not None and hasattr(runner, "position") else None
        compare = getattr(self.window, "compare", None)
        pinned = (tuple(compare.pinned_data()) if compare is not None and hasattr(compare, "pinned_data")
                  else self._carried_pinned)
        timeline = () if self._overflow else tuple(self._timeline)
        if timeline and (timeline[-1].inputs != mc.inputs or timeline[-1].scenario != mc.scenario):
            timeline = ()  # cannot happen through the controller; never save an inconsistent one
        return Session(inputs=mc.inputs, scenario=mc.scenario, years=mc.state.t_years, selection=selection,
                       tour=tuple(tour) if tour else None, pinned=pinned, timeline=timeline)

    def _key(self) -> object:
        mc = self.window.model_controller
        if mc is None:
            return None
        runner = getattr(self.window, "tour_runner", None)
        tour = runner.position() if runner is not None and hasattr(runner, "position") else None
        return (mc.inputs, mc.scenario, round(mc.state.t_years, 9), self.window.controller.location, tour)

    @property
    def dirty(self) -> bool:
        return self._dirty

    def unsaved(self) -> bool:
        """Changes since the session was last saved, opened or started, the clock included (crash
        recovery asks: the title's dot follows the clock only for a named file)."""
        self._refresh()
        return self._dirty

    def _refresh(self) -> None:
        dirty = self._pinned_changed or (self._key() != self._saved_key)
        if dirty != self._dirty:
            self._dirty = dirty
        self._update_title()

    def _mark_saved(self) -> None:
        self._saved_key = self._key()
        self._pinned_changed = False
        self._dirty = False
        self._update_title()

    def _update_title(self) -> None:
        if self.path is None:
            title = self.base_title
        else:
            title = f"{self.path.name}{' •' if self._dirty else ''} — IronBone"
        if self.window.windowTitle() != title:
            self.window.setWindowTitle(title)

    def _on_model_inputs_changed(self, inputs) -> None:  # noqa: ANN001
        """Remember at which model year the inputs changed, so opening the file replays them."""
        from app.knowledge.session import MAX_TIMELINE, TimelinePoint

        mc = self.window.model_controller
        t = mc.sim.t_years
        while self._timeline and self._timeline[-1].t_years >= t - 1e-12:
            self._timeline.pop()  # the same moment again, or a reset to year 0
        if not self._timeline:
            self._overflow = False
        self._timeline.append(TimelinePoint(t_years=t, inputs=inputs, scenario=mc.scenario))
        if len(self._timeline) > MAX_TIMELINE:
            # Too many changes to store: from now on the file replays the inputs from year 0.
            self._overflow = True
            self._timeline = self._timeline[-1:]
        self._refresh()

    def _on_model_scenario_changed(self, scenario) -> None:  # noqa: ANN001
        from app.knowledge.session import TimelinePoint

        last = self._timeline[-1] if self._timeline else None
        if last is not None and last.scenario != scenario:
            self._timeline[-1] = TimelinePoint(t_years=last.t_years, inputs=last.inputs, scenario=scenario)
        self._refresh()

    def _on_model_state_changed(self, _state) -> None:  # noqa: ANN001
        if self.path is not None and not self._dirty:
            self._refresh()  # only the clock can have moved: cheap, and nothing to do once dirty

    def _on_pinned_changed(self, *_args) -> None:  # noqa: ANN002
        self._pinned_changed = True
        self._refresh()

    def on_model_ready(self) -> None:
        mc = self.window.model_controller
        from app.knowledge.session import TimelinePoint

        self._timeline = [TimelinePoint(t_years=mc.sim.t_years, inputs=mc.inputs, scenario=mc.scenario)]
        mc.inputs_changed.connect(self._on_model_inputs_changed)
        mc.scenario_changed.connect(self._on_model_scenario_changed)
        mc.state_changed.connect(self._on_model_state_changed)
        self.window.controller.page_changed.connect(lambda *_: self._refresh())
        runner = getattr(self.window, "tour_runner", None)
        if runner is not None and hasattr(runner, "step_changed"):
            runner.step_changed.connect(lambda *_: self._refresh())
        compare = getattr(self.window, "compare", None)
        if compare is not None and hasattr(compare, "pinned_changed"):
            compare.pinned_changed.connect(self._on_pinned_changed)
        self._mark_saved()
        for act in self.window.session_actions:
            act.setEnabled(True)
        if self._pending is not None:
            path, self._pending = self._pending, None
            self.open_path(path)

    # --- messages ------------------------------------------------------------------------------
    def report(self, title: str, text: str) -> None:
        """A problem: in the status bar and in a non-modal message box (never blocks)."""
        self.last_message = text
        self.window._post(text)
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.window)
        box.setInformativeText("Nothing was changed.")
        box.open()
        self.message_box = box

    def _post(self, text: str) -> None:
        self.last_message = text
        self.window._post(text)

    # --- actions -------------------------------------------------------------------------------
    def new_session(self) -> None:
        mc = self.window.model_controller
        if mc is None:
            return
        runner = getattr(self.window, "tour_runner", None)
        if runner is not None and getattr(runner, "tour", None) is not None and hasattr(runner, "leave"):
            runner.leave()
        mc.reset_all()
        self.path = None
        self._carried_pinned = ()
        self._mark_saved()
        self._post("New session: the model is back at the premenopausal reference, year 0 "
                   "(earlier files are under File ▸ Open recent)")

    def open_dialog(self) -> None:
        """Choose a file to open (a window-modal dialog shown with open(): nothing blocks)."""
        self._ask("Open session", save=False, start=self._folder(), chosen=self.open_path)

    def _ask(self, title: str, *, save: bool, start: Path, chosen) -> QFileDialog:  # noqa: ANN001
        if self.file_dialog is not None:
            self.file_dialog.close()
            self.file_dialog.deleteLater()
        dialog = QFileDialog(self.window, title, str(start if not save else start.parent),
                             FILTER if save else f"{FILTER};;All files (*)")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
        if save:
            dialog.setDefaultSuffix(SUFFIX[1:])
            dialog.selectFile(start.name)
        dialog.setAccessibleName(title)
        dialog.fileSelected.connect(lambda name: chosen(Path(name)) if name else None)
        dialog.open()
        self.file_dialog = dialog
        return dialog

    def open_path(self, path: Path) -> bool:
        """Open a session file; on any problem say what and where, and change nothing."""
        path = Path(path)
        if self.window.model_controller is None:
            self._pending = path
            self._post(f"{path.name} opens as soon as the model has loaded")
            return False
        loaded = self._load(path, "open")
        if loaded is None:
            return False
        session, notes = loaded
        self.path = path
        self._mark_saved()
        self._remember(path)
        QSettings().setValue(FOLDER_KEY, str(path.parent))
        extra = f" (note: {'; '.join(notes)})" if notes else ""
        self._post(f"Opened session {path.name}: year {session.years:.1f}{extra}")
        return True

    def restore_unsaved(self, path: Path) -> bool:
        """Open a crash-recovery copy: as Open does, but the session stays untitled and unsaved, and
        the copy is not remembered among the recent files."""
        loaded = self._load(Path(path), "restore")
        if loaded is None:
            return False
        session, notes = loaded
        self.path = None
        self._saved_key = None  # matches no state: unsaved until saved
        self._refresh()
        extra = f" (note: {'; '.join(notes)})" if notes else ""
        self._post(f"Restored the unsaved session at year {session.years:.1f}: save it to keep it{extra}")
        return True

    def _load(self, path: Path, verb: str) -> tuple[Session, list[str]] | None:
        """Read, check and apply a session file: None, after a message saying what and where, if
        any step refused it (nothing has changed then)."""
        from app.knowledge.session import SessionError, read

        title = f"Cannot {verb} session"
        try:
            session = read(path)
        except SessionError as exc:
            extra = ""
            if verb == "open" and not path.exists() and str(path.resolve()) in self.recent():
                self._forget_recent(path)
                extra = " It was taken off the Open recent list."
            self.report(title, f"Could not {verb} {path}: {_tail(str(exc), path)}{extra}")
            return None
        problem = self._check(session)
        if problem:
            self.report(title, f"Could not {verb} {path}: {problem}")
            return None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # a long replay can take a second or two
        try:
            notes = self._apply(session, path)
        finally:
            QApplication.restoreOverrideCursor()
        return None if notes is None else (session, notes)

    def save(self) -> bool:
        if self.path is None:
            return self.save_as()
        return self._write(self.path)

    def save_as(self) -> bool:
        """Ask for a name (non-blocking dialog); the file is written once one is chosen. False if the
        model is not loaded yet."""
        if self.window.model_controller is None:
            self._post("The model is still loading; save the session in a moment")
            return False
        suggested = self.path or (self._folder() / f"ironbone-session{SUFFIX}")
        self._ask("Save session as", save=True, start=suggested, chosen=self._on_save_name_chosen)
        return True

    def _on_save_name_chosen(self, path: Path) -> None:
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        self._write(path)

    def _write(self, path: Path) -> bool:
        from app import __version__
        from app.knowledge.session import SessionError, write

        session = self.snapshot()
        if session is None:
            self._post("The model is still loading; save the session in a moment")
            return False
        try:
            write(path, session, app_version=__version__)
        except (OSError, SessionError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.report("Session not saved", f"Could not save the session to {path}: {reason}. "
                        "Any earlier file of that name is unchanged.")
            return False
        self.path = path
        self._mark_saved()
        self._remember(path)
        QSettings().setValue(FOLDER_KEY, str(path.parent))
        note = (" (too many changes to store them all: reopening replays the current inputs from year 0)"
                if session.years > 0 and not session.timeline else "")
        self._post(f"Saved session to {path}{note}")
        return True

    # --- opening, step by step -----------------------------------------------------------------
    def _check(self, session: Session) -> str:
        """Every id checked against what is loaded; '' if all is well."""
        from app.knowledge.session import check_ids

        mc = self.window.model_controller
        content = self.window.content
        tours = None
        runner = getattr(self.window, "tour_runner", None)
        if session.tour is not None and runner is not None and isinstance(getattr(runner, "tours", None), dict):
            tours = {tid: len(t.steps) for tid, t in runner.tours.items()}
        problems = check_ids(session, treatments=mc.model.treatments, nodes=[n.id for n in content.pathway.nodes],
                             scenarios=mc.scenarios, tours=tours, pages=content.topic_pages,
                             edges=[e.key for e in content.pathway.edges])
        if not problems:
            return ""
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return "; ".join(problems[:3]) + more

    def _apply(self, session: Session, path: Path) -> list[str] | None:
        """Restore the state; None (after a message) if a part refused its data before anything changed."""
        window = self.window
        notes: list[str] = list(session.notes)
        compare = getattr(window, "compare", None)
        if compare is not None and hasattr(compare, "restore_pinned"):
            try:
                compare.restore_pinned([dict(p) for p in session.pinned])
            except ValueError as exc:
                self.report("Cannot open session", f"Could not open {path}: pinned: {exc}")
                return None
            self._carried_pinned = ()
        else:
            self._carried_pinned = session.pinned
            if session.pinned:
                notes.append(f"{len(session.pinned)} pinned run(s) kept in the file but not shown here")
        runner = getattr(window, "tour_runner", None)
        if session.tour is not None:
            if runner is not None and hasattr(runner, "resume"):
                if runner.resume(*session.tour) is False:
                    notes.append(f"tour {session.tour[0]!r} could not be resumed")
            else:
                notes.append("guided tours are not available here; the tour was not resumed")
        elif runner is not None and getattr(runner, "tour", None) is not None and hasattr(runner, "leave"):
            runner.leave()
        self._replay(session)
        if session.selection is not None:
            kind, ident = session.selection
            if kind == "node":
                window.controller.select_node(ident)
                window.view.centre_on_node(ident)
            else:
                window.controller.open_page(kind, ident)
        return notes

    def _replay(self, session: Session) -> None:
        """Reset, then apply each saved change of inputs at its model year, then run to the saved year.
        The controller's signals are held during the replay and sent once at the end."""
        from app.knowledge.session import TimelinePoint

        mc = self.window.model_controller
        points = list(session.timeline) or [TimelinePoint(t_years=0.0, inputs=session.inputs,
                                                          scenario=session.scenario)]
        mc.set_playing(False)
        mc.reset_all()
        mc.blockSignals(True)
        try:
            for p in points:
                if p.t_years > mc.sim.t_years:
                    mc.advance((p.t_years - mc.sim.t_years) * DAYS_PER_YEAR)
                mc.set_inputs(p.inputs, scenario=p.scenario, explain=False)
                mc.scenario = p.scenario  # set_inputs keeps the old label when the inputs are equal
            if session.years > mc.sim.t_years:
                mc.advance((session.years - mc.sim.t_years) * DAYS_PER_YEAR)
        finally:
            mc.blockSignals(False)
        mc.inputs_changed.emit(mc.inputs)
        mc.scenario_changed.emit(mc.scenario)
        mc.state_changed.emit(mc.state)
        mc.history_changed.emit(mc.history())
        self._timeline = points
        self._overflow = False

    # --- recent files and folders --------------------------------------------------------------
    def recent(self) -> list[str]:
        value = QSettings().value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, list):
            return []
        return [str(v) for v in value if isinstance(v, str) and v][:MAX_RECENT]

    def _set_recent(self, paths: list[str]) -> None:
        QSettings().setValue(RECENT_KEY, paths[:MAX_RECENT])

    def _remember(self, path: Path) -> None:
        p = str(Path(path).resolve())
        self._set_recent([p] + [q for q in self.recent() if q != p])

    def _forget_recent(self, path: Path) -> None:
        p = str(Path(path).resolve())
        recent = self.recent()
        if p in recent:
            self._set_recent([q for q in recent if q != p])

    def _folder(self) -> Path:
        return Path(str(QSettings().value(FOLDER_KEY, str(Path.home())) or Path.home()))

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        recent = self.recent()
        if not recent:
            menu.addAction("(no recent sessions)").setEnabled(False)
            return
        for i, p in enumerate(recent):
            path = Path(p)
            missing = not path.is_file()
            act = menu.addAction(f"&{i + 1}  {path.name}{'  (missing)' if missing else ''}")
            act.setToolTip(f"{p} — no longer there" if missing else p)
            act.setStatusTip(p)
            act.setEnabled(not missing)
            act.triggered.connect(lambda _=False, q=path: self.open_path(q))
        menu.addSeparator()
        clear = menu.addAction("&Clear list")
        clear.setToolTip("Forget the recent sessions (the files stay)")
        clear.triggered.connect(self._on_clear_recent)
        if any(not Path(p).is_file() for p in recent):
            prune = menu.addAction("&Remove missing files")
            prune.setToolTip("Take the files that were moved or deleted off this list")
            prune.triggered.connect(self._on_prune_recent)

    def _on_clear_recent(self) -> None:
        self._set_recent([])
        self._post("Recent sessions list cleared")

    def _on_prune_recent(self) -> None:
        recent = self.recent()
        kept = [p for p in recent if Path(p).is_file()]
        self._set_recent(kept)
        self._post(f"Removed {len(recent) - len(kept)} missing file(s) from the recent sessions")


def _tail(message: str, path: Path) -> str:
    """read() starts its messages with the file name; the caller already names the file."""
    prefix = f"{path.name}: "
    return message[len(prefix):] if message.startswith(prefix) else message


class _DropFilter(QObject):
    """Accepts a dragged .ironbone file anywhere on the window and opens it."""

    def __init__(self, manager: SessionManager) -> None:
        super().__init__(manager)
        self.manager = manager

    @staticmethod
    def _session_path(event) -> Path | None:  # noqa: ANN001
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(SUFFIX):
                return Path(url.toLocalFile())
        return None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if self._session_path(event) is not None:
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            path = self._session_path(event)
            if path is not None:
                event.acceptProposedAction()
                QTimer.singleShot(0, lambda: self.manager.open_path(path))
                return True
        return False


def install(window: MainWindow) -> None:
    """File ▸ New / Open / Open recent / Save / Save as, above the exports; drag-and-drop of sessions."""
    manager = SessionManager(window)
    window.session = manager
    act_new = window._action("&New session", manager.new_session, ["Ctrl+N"],
                             "Start afresh: the premenopausal reference at year 0")
    act_open = window._action("&Open session…", manager.open_dialog, ["Ctrl+O"],
                              "Open a saved .ironbone session: sliders, treatments, clock, page and tour")
    act_save = window._action("&Save session", manager.save, ["Ctrl+S"],
                              "Save the sliders, treatments, clamps, clock, page, tour step and pinned runs")
    act_save_as = window._action("Save session &as…", manager.save_as, ["Ctrl+Shift+S"],
                                 "Save the session under a new name")
    recent = QMenu("Open &recent", window)
    recent.setToolTipsVisible(True)
    recent.menuAction().setToolTip("Sessions opened or saved lately")
    recent.aboutToShow.connect(lambda: manager.fill_recent_menu(recent))
    window.act_session_new, window.act_session_open = act_new, act_open
    window.act_session_save, window.act_session_save_as = act_save, act_save_as
    window.recent_sessions_menu = recent
    window.session_actions = (act_new, act_save, act_save_as)
    for act in window.session_actions:
        act.setEnabled(False)  # until the model has loaded (Open waits for it by itself)
    menu = window.menus["file"]
    first = menu.actions()[0] if menu.actions() else None
    for act in (act_new, act_open):
        menu.insertAction(first, act)
    menu.insertMenu(first, recent)
    menu.insertSeparator(first)
    for act in (act_save, act_save_as):
        menu.insertAction(first, act)
    menu.insertSeparator(first)
    window.model_ready.connect(manager.on_model_ready)
    window.setAcceptDrops(True)
    drops = _DropFilter(manager)
    # The diagram and the page accept drops of their own; the filter sees a session file first.
    for target in (window, window.view.viewport(), window.panel.viewport()):
        target.installEventFilter(drops)
    window.session_drop_filter = drops
    if _startup:
        manager._pending = _startup.pop()
