"""The lesson-pack feature: File ▸ Open lesson pack… and File ▸ Export lesson pack…, a pack dropped on the
window or named on the command line. It meets the quiz, the tours and the session only through the
feature context's library: it says what it installed, and asks the others to open a session or a tour."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.ui.drops import FileDrop
from app.ui.packs import SUFFIX, take_startup_file

if TYPE_CHECKING:
    from app.quiz.bank import BankContext
    from app.quiz.pack import InstalledPack, PackPreview
    from app.ui.context import FeatureContext
    from app.ui.packs.dialogs import ExportPackDialog, PackDialog

FILTER = "IronBone lesson pack (*.ironbone-pack)"
FOLDER_KEY = "packs/folder"


class PacksFeature:
    """`act_open`, `act_export`; `dialog` (the pack being shown), `export_dialog`, `file_dialog` and
    `message_box` once used."""

    name = "packs"

    def __init__(self) -> None:
        self.dialog: PackDialog | None = None
        self.export_dialog: ExportPackDialog | None = None
        self.file_dialog: QFileDialog | None = None
        self.message_box: QMessageBox | None = None
        self.last_message = ""
        self._pending: Path | None = None

    def install(self, ctx: FeatureContext) -> None:
        self.ctx = ctx
        self.act_open = ctx.add_action("Open lesson pac&k…", self.open_dialog, [],
                                       "Open a lesson pack: see what it holds, then install its questions, "
                                       "tours and session")
        self.act_export = ctx.add_action("E&xport lesson pack…", self.show_export, [],
                                         "One file for the class: your questions, your tours and this session")
        ctx.add_to_menu("file", self.act_open, self.act_export, None)
        self.drop_filter = FileDrop(SUFFIX, self.open_path, ctx.window)
        window = ctx.window
        window.setAcceptDrops(True)
        for target in [window, *(w for w in window.findChildren(QWidget) if w.acceptDrops())]:
            target.installEventFilter(self.drop_filter)
        ctx.model_ready.connect(self._on_model_ready)
        pending = take_startup_file()
        if pending is not None:
            self._pending = pending

    def _on_model_ready(self) -> None:
        if self._pending is not None:
            path, self._pending = self._pending, None
            self.open_path(path)

    # --- messages ------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        self.last_message = text
        self.ctx.post(text)

    def report(self, title: str, text: str, informative: str = "Nothing was installed.") -> QMessageBox:
        """A problem: in the status bar and a non-modal message box, as plain text."""
        self.say(text)
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.ctx.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(informative)
        box.open()
        self.message_box = box
        return box

    # --- opening -------------------------------------------------------------------------------
    def _folder(self) -> Path:
        return Path(str(self.ctx.settings().value(FOLDER_KEY, str(Path.home())) or Path.home()))

    def _ask(self, title: str, *, save: bool, start: Path, chosen) -> QFileDialog:  # noqa: ANN001
        if self.file_dialog is not None:
            self.file_dialog.close()
            self.file_dialog.deleteLater()
        dialog = QFileDialog(self.ctx.window, title, str(start), FILTER if save else f"{FILTER};;All files (*)")
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

    def open_dialog(self) -> QFileDialog:
        return self._ask("Open lesson pack", save=False, start=self._folder(), chosen=self.open_path)

    def bank_context(self) -> BankContext:
        from app.quiz.bank import BankContext

        mc = self.ctx.model()
        return BankContext.of(self.ctx.content.root, pathway=self.ctx.content.pathway,
                              model=mc.model if mc is not None else None)

    def read(self, path: Path) -> PackPreview:
        """The pack at `path`, every part checked against what is loaded (PackError if anything is wrong)."""
        from app.knowledge.tours import known_ids
        from app.quiz.pack import read_pack

        mc = self.ctx.model()
        content = self.ctx.content
        scenarios, treatments = list(mc.scenarios), list(mc.model.treatments)
        return read_pack(path, ctx=self.bank_context(),
                         known=known_ids(content.root, content.pathway, scenarios, treatments),
                         treatments=treatments, nodes=list(content.pathway.node_ids), scenarios=scenarios)

    def open_path(self, path: Path) -> PackDialog | None:
        """Check the pack and show what it holds (nothing is installed yet); None after a message if it
        is refused."""
        from app.quiz.pack import PackError

        path = Path(path)
        if self.ctx.model() is None:
            self._pending = path
            self.say(f"{path.name} opens as soon as the model has loaded")
            return None
        self.ctx.settings().setValue(FOLDER_KEY, str(path.parent))
        try:
            pv = self.read(path)
        except PackError as exc:
            self.report("Cannot open lesson pack", f"Could not open {path.name}: {exc}")
            return None
        from app.ui.packs.dialogs import PackDialog

        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        labels = {n.id: n.label for n in self.ctx.content.pathway.nodes}
        self.dialog = PackDialog(pv, install=self.install_pack, open_session=self.open_session,
                                 start_tour=self.start_tour, labels=labels, parent=self.ctx.window)
        self.dialog.open()
        self.say(f"Lesson pack “{pv.title}”: see what it holds, then Install")
        return self.dialog

    def install_pack(self, pv: PackPreview) -> InstalledPack:
        """Install a checked pack (all or nothing) and tell the quiz and the tours. OSError / PackError
        if it could not be written (nothing is then left behind)."""
        from app.quiz.pack import install_pack

        done = install_pack(pv)
        if done.question_ids:
            self.ctx.library.changed.emit("questions")
        if done.tour_ids:
            self.ctx.library.changed.emit("tours")
        parts = []
        if done.question_ids:
            parts.append(f"{len(done.question_ids)} question{'s' if len(done.question_ids) != 1 else ''}")
        if done.tour_ids:
            parts.append(f"{len(done.tour_ids)} tour{'s' if len(done.tour_ids) != 1 else ''}")
        if done.session_file is not None:
            parts.append("a session")
        self.say(f"Installed the lesson pack “{pv.title}”: {', '.join(parts)}")
        return done

    def open_session(self, path: Path) -> bool:
        opener = self.ctx.library.open_session
        if opener is None:
            self.say("Sessions cannot be opened in this window")
            return False
        return opener(path)

    def start_tour(self, tour_id: str) -> bool:
        starter = self.ctx.library.start_tour
        if starter is None:
            self.say("Tours cannot be played in this window")
            return False
        return starter(tour_id)

    # --- exporting -----------------------------------------------------------------------------
    def show_export(self) -> ExportPackDialog | None:
        """File ▸ Export lesson pack…: choose what goes in (needs the model, which checks the tours)."""
        if self.ctx.model() is None:
            self.say("The model is still loading; export the pack in a moment")
            return None
        from app.ui.packs.dialogs import ExportPackDialog

        if self.export_dialog is not None:
            self.export_dialog.close()
            self.export_dialog.deleteLater()
        self.export_dialog = ExportPackDialog(self, parent=self.ctx.window)
        self.export_dialog.open()
        return self.export_dialog

    def ask_export_path(self, title: str, chosen: Callable[[Path], object]) -> QFileDialog:
        """Ask where to save a pack named after `title`; `chosen(path)` writes it."""
        from app.quiz.pack import free_pack_name

        def on_chosen(path: Path) -> None:
            if not path.name.endswith(SUFFIX):
                path = path.with_name(path.name + SUFFIX)
            self.ctx.settings().setValue(FOLDER_KEY, str(path.parent))
            chosen(path)

        return self._ask("Export lesson pack", save=True, start=free_pack_name(self._folder(), title),
                         chosen=on_chosen)
