"""The session manager: saves the window's state to `.ironbone` files (app.knowledge.session) and opens
them, keeps the recent files, shows the file name and a "•" for unsaved changes in the title bar
(an untitled session with changes too), asks Save / Discard / Cancel before unsaved work would be
lost, and takes a session file dropped on the window. What features keep in a file comes from their
SessionParts (app.ui.context).

Opening checks the whole file (every id against the loaded content, every feature's field by its
feature) before anything changes: a damaged, foreign or newer-version file gives a message and
leaves the window as it was.
The model clock is rebuilt by replaying the saved inputs over model time (reset, then each change
at the year it was made), so bone mass and the plots come back as they were saved.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QMessageBox

from app.ui.text import no_mnemonic, tip

if TYPE_CHECKING:
    from app.knowledge.session import Session
    from app.ui.context import FeatureContext

RECENT_KEY = "session/recent"
FOLDER_KEY = "session/folder"
MAX_RECENT = 8
FILTER = "IronBone session (*.ironbone)"
UNTITLED = "Untitled session"
SUFFIX = ".ironbone"  # app.knowledge.session.SUFFIX, repeated so install() imports nothing heavy
DAYS_PER_YEAR = 365.25
_startup: list[Path] = []


def open_on_start(path: Path) -> None:
    """Ask the next window to open `path` once its model is ready (python -m app FILE.ironbone)."""
    _startup[:] = [Path(path)]


def take_startup_file() -> Path | None:
    """The file open_on_start() named, once (the first window takes it)."""
    return _startup.pop() if _startup else None


class SessionManager(QObject):
    """Saves the window's state to a session file and restores it; keeps the recent-files list."""

    became_ready = Signal()  # the model is there: sessions can be saved and opened

    def __init__(self, ctx: FeatureContext) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self.window = ctx.window
        self.path: Path | None = None
        self.base_title = self.window.windowTitle()
        self.message_box: QMessageBox | None = None
        self.save_prompt: QMessageBox | None = None  # Save / Discard / Cancel before work would be lost
        self.file_dialog: QFileDialog | None = None
        self.last_message = ""
        self._saved_key: object = None
        self._dirty = False
        self._carried: dict[str, Any] = {}  # feature fields of the file no feature here restores: saved again
        self._timeline: list = []  # TimelinePoint: when each change of inputs was made
        self._overflow = False  # more changes than a file stores: the clock then replays the last inputs
        self._pending: Path | None = None
        self.ready = False

    # --- state ---------------------------------------------------------------------------------
    def snapshot(self) -> Session | None:
        """The window's state as a Session (None until the model exists)."""
        from app.knowledge.session import SELECTION_KINDS, Session

        mc = self.ctx.model()
        if mc is None:
            return None
        loc = self.ctx.navigation.location
        selection = (loc[0], loc[1]) if loc and loc[0] in SELECTION_KINDS else None
        values = self._part_values()
        tour = values.get("tour")
        timeline = () if self._overflow else tuple(self._timeline)
        if timeline and (timeline[-1].inputs != mc.inputs or timeline[-1].scenario != mc.scenario):
            timeline = ()  # cannot happen through the controller; never save an inconsistent one
        return Session(inputs=mc.inputs, scenario=mc.scenario, years=mc.state.t_years, selection=selection,
                       tour=tuple(tour) if tour else None, pinned=tuple(values.get("pinned") or ()),
                       timeline=timeline)

    def _part_values(self) -> dict[str, Any]:
        """What each feature keeps in the file, by field; fields no feature here handles, as read."""
        return {**self._carried, **{part.key: part.save() for part in self.ctx.session_parts}}

    def _key(self) -> object:
        """What counts as work: the inputs, the clock and the features' parts. The open page is saved
        in the file too, but reading pages is not a change anyone would be asked to save."""
        mc = self.ctx.model()
        if mc is None:
            return None
        return (mc.inputs, mc.scenario, round(mc.state.t_years, 9), sorted(self._part_values().items()))

    @property
    def dirty(self) -> bool:
        return self._dirty

    def unsaved(self) -> bool:
        """Changes since the session was last saved, opened or started, the clock included."""
        self._refresh()
        return self._dirty

    def _refresh(self) -> None:
        dirty = self._key() != self._saved_key
        if dirty != self._dirty:
            self._dirty = dirty
        self._update_title()

    def _mark_saved(self) -> None:
        self._saved_key = self._key()
        self._dirty = False
        self._update_title()

    def _update_title(self) -> None:
        if self.path is None:
            title = f"{UNTITLED} • — IronBone" if self._dirty else self.base_title
        else:
            title = f"{self.path.name}{' •' if self._dirty else ''} — IronBone"
        if self.window.windowTitle() != title:
            self.window.setWindowTitle(title)

    def _on_model_inputs_changed(self, inputs) -> None:  # noqa: ANN001
        """Remember at which model year the inputs changed, so opening the file replays them."""
        from app.knowledge.session import MAX_TIMELINE, TimelinePoint

        mc = self.ctx.model()
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
        if not self._dirty:
            self._refresh()  # only the clock can have moved: cheap, and nothing to do once dirty

    def open_when_ready(self, path: Path) -> None:
        """Open `path` as soon as the model has loaded."""
        self._pending = Path(path)

    def on_model_ready(self) -> None:
        mc = self.ctx.model()
        from app.knowledge.session import TimelinePoint

        self._timeline = [TimelinePoint(t_years=mc.sim.t_years, inputs=mc.inputs, scenario=mc.scenario)]
        mc.inputs_changed.connect(self._on_model_inputs_changed)
        mc.scenario_changed.connect(self._on_model_scenario_changed)
        mc.state_changed.connect(self._on_model_state_changed)
        self.ctx.session_parts.changed.connect(self._refresh)
        self._mark_saved()
        self.ready = True
        self.became_ready.emit()
        if self._pending is not None:
            path, self._pending = self._pending, None
            self.open_path(path)

    # --- messages ------------------------------------------------------------------------------
    def report(self, title: str, text: str) -> None:
        """A problem: in the status bar and in a non-modal message box (never blocks)."""
        self.last_message = text
        self.ctx.post(text)
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the file's name and values: text, never markup
        box.setInformativeText("Nothing was changed.")
        box.open()
        self.message_box = box

    def _post(self, text: str) -> None:
        self.last_message = text
        self.ctx.post(text)

    # --- actions -------------------------------------------------------------------------------
    # --- before work would be lost ---------------------------------------------------------------
    def ask_to_save(self, doing: str, then: Callable[[], None]) -> None:
        """Run `then` now if nothing is unsaved; else ask Save / Discard / Cancel first (a window-modal
        box, never blocking). Save saves (asking for a name if the session has none) and goes on
        once the file is written; Discard goes on; Cancel, or closing the box, changes nothing."""
        if not self.ready or not self.unsaved():
            then()
            return
        if self.save_prompt is not None:
            self.save_prompt.close()
        name = f"“{self.path.name}”" if self.path is not None else "this untitled session"
        box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved changes",
                          f"Save the changes to {name} before {doing}?", parent=self.window)
        box.setInformativeText("Discard loses the changes made since it was last saved."
                               if self.path is not None else
                               "Discard loses the settings, clock and runs of this session.")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        box.setEscapeButton(QMessageBox.StandardButton.Cancel)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.setAccessibleName("Unsaved changes")

        def answered(button) -> None:  # noqa: ANN001
            role = box.standardButton(button)
            self.save_prompt = None
            if role == QMessageBox.StandardButton.Save:
                self.save(then=then)
            elif role == QMessageBox.StandardButton.Discard:
                then()

        box.buttonClicked.connect(answered)
        box.open()
        self.save_prompt = box

    def request_new_session(self) -> None:
        """File ▸ New session: asks first if work would be lost."""
        self.ask_to_save("starting a new session", self.new_session)

    def new_session(self) -> None:
        mc = self.ctx.model()
        if mc is None:
            return
        for part in self.ctx.session_parts:
            part.clear()
        mc.reset_all()
        self.path = None
        self._carried = {}
        self._mark_saved()
        self._post("New session: the model is back at the premenopausal reference, year 0 "
                   "(earlier files are under File ▸ Open recent)")

    def open_dialog(self) -> None:
        """Choose a file to open (a window-modal dialog shown with open(): nothing blocks); unsaved
        work is asked about first."""
        self.ask_to_save("opening another session", lambda: self._ask("Open session", save=False,
                                                                      start=self._folder(), chosen=self.open_path))

    def request_open(self, path: Path) -> None:
        """Open `path` (a recent file, a dropped file), asking first if work would be lost."""
        self.ask_to_save("opening another session", lambda: self.open_path(path))

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
        if self.ctx.model() is None:
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
        self.ctx.settings().setValue(FOLDER_KEY, str(path.parent))
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

    def save(self, *, then: Callable[[], None] | None = None) -> bool:
        """Save to the session's file, or ask for a name if it has none; `then` runs once the file is
        written (not if saving fails or the name is not given)."""
        if self.path is None:
            return self.save_as(then=then)
        saved = self.save_to(self.path)
        if saved and then is not None:
            then()
        return saved

    def save_as(self, *, then: Callable[[], None] | None = None) -> bool:
        """Ask for a name (non-blocking dialog); the file is written once one is chosen, then `then`
        runs. False if the model is not loaded yet."""
        if self.ctx.model() is None:
            self._post("The model is still loading; save the session in a moment")
            return False
        suggested = self.path or (self._folder() / f"ironbone-session{SUFFIX}")
        self._ask("Save session as", save=True, start=suggested,
                  chosen=lambda path: self._on_save_name_chosen(path, then))
        return True

    def _on_save_name_chosen(self, path: Path, then: Callable[[], None] | None = None) -> None:
        if path.suffix.lower() != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        if self.save_to(path) and then is not None:
            then()

    def save_to(self, path: Path) -> bool:
        """Write the session to `path` (it becomes the session's file); False, after a message, if not."""
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
        self.ctx.settings().setValue(FOLDER_KEY, str(path.parent))
        note = (" (too many changes to store them all: reopening replays the current inputs from year 0)"
                if session.years > 0 and not session.timeline else "")
        self._post(f"Saved session to {path}{note}")
        return True

    # --- opening, step by step -----------------------------------------------------------------
    def _check(self, session: Session) -> str:
        """Every id checked against what is loaded, and each feature's field by its feature; '' if all is well."""
        from app.knowledge.session import check_ids

        mc = self.ctx.model()
        content = self.ctx.content
        problems = check_ids(session, treatments=mc.model.treatments, nodes=[n.id for n in content.pathway.nodes],
                             scenarios=mc.scenarios, pages=content.topic_pages,
                             edges=[e.key for e in content.pathway.edges])
        for key, value in _feature_fields(session).items():
            part = self.ctx.session_parts.get(key)
            if part is not None:
                problems += part.check(value)
        if not problems:
            return ""
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        return "; ".join(problems[:3]) + more

    def _apply(self, session: Session, path: Path) -> list[str] | None:
        """Restore the state (checked already); None, after a message, if a feature still refused its part."""
        notes: list[str] = list(session.notes)
        for key, value in _feature_fields(session).items():
            part = self.ctx.session_parts.get(key)
            if part is None:
                self._carried[key] = value
                if value:
                    notes.append(MISSING_NOTES[key](value))
                continue
            self._carried.pop(key, None)
            try:
                notes += part.restore(value)
            except ValueError as exc:
                self.report("Cannot open session", f"Could not open {path}: {key}: {exc}")
                return None
        self._replay(session)
        if session.selection is not None:
            kind, ident = session.selection
            if kind == "node":
                self.ctx.navigation.select_node(ident)
                self.ctx.view.centre_on_node(ident)
            else:
                self.ctx.navigation.open_page(kind, ident)
        return notes

    def _replay(self, session: Session) -> None:
        """Reset, then apply each saved change of inputs at its model year, then run to the saved year.
        The controller's signals are held during the replay and sent once at the end."""
        from app.knowledge.session import TimelinePoint

        mc = self.ctx.model()
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
        value = self.ctx.settings().value(RECENT_KEY, [])
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, list):
            return []
        return [str(v) for v in value if isinstance(v, str) and v][:MAX_RECENT]

    def _set_recent(self, paths: list[str]) -> None:
        self.ctx.settings().setValue(RECENT_KEY, paths[:MAX_RECENT])

    def _remember(self, path: Path) -> None:
        p = str(Path(path).resolve())
        self._set_recent([p] + [q for q in self.recent() if q != p])

    def _forget_recent(self, path: Path) -> None:
        p = str(Path(path).resolve())
        recent = self.recent()
        if p in recent:
            self._set_recent([q for q in recent if q != p])

    def _folder(self) -> Path:
        return Path(str(self.ctx.settings().value(FOLDER_KEY, str(Path.home())) or Path.home()))

    def fill_recent_menu(self, menu: QMenu) -> None:
        menu.clear()
        recent = self.recent()
        if not recent:
            menu.addAction("(no recent sessions)").setEnabled(False)
            return
        for i, p in enumerate(recent):
            path = Path(p)
            missing = not path.is_file()
            act = menu.addAction(f"&{i + 1}  {no_mnemonic(path.name)}{'  (missing)' if missing else ''}")
            act.setToolTip(tip(f"{p} — no longer there" if missing else p))
            act.setStatusTip(p)
            act.setEnabled(not missing)
            act.triggered.connect(lambda _=False, q=path: self.request_open(q))
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


def _feature_fields(session: Session) -> dict[str, Any]:
    """The fields of a session file that features own, by key (see app.ui.context.SessionPart)."""
    return {"tour": session.tour, "pinned": session.pinned}


# What a file's field means when no feature here can restore it (it is kept and saved again).
MISSING_NOTES = {
    "tour": lambda _value: "guided tours are not available here; the tour was not resumed",
    "pinned": lambda value: f"{len(value)} pinned run(s) kept in the file but not shown here",
}


def _tail(message: str, path: Path) -> str:
    """read() starts its messages with the file name; the caller already names the file."""
    prefix = f"{path.name}: "
    return message[len(prefix):] if message.startswith(prefix) else message
