"""File ▸ Import questions…: choose a GIFT or Moodle XML file, see what will come in and what will not
(with the line and why), choose the category, and install the questions among the user's own
(app.quiz.userbank). Every text from the file is shown as plain text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.quiz.bank import BankContext
    from app.quiz.userbank import ImportPreview, UserFile
    from app.ui.context import FeatureContext

FILTER = "Quiz files (*.gift *.txt *.xml);;GIFT (*.gift *.txt);;Moodle XML (*.xml);;All files (*)"
FOLDER_KEY = "quiz/import_folder"
KEEP = ""  # the category choice "as the file says"
TYPE_NAMES = {"single": "single choice", "multiple": "multiple answers", "truefalse": "true or false",
              "click_node": "click the node", "predict": "prediction", "ordering": "ordering",
              "matching": "matching", "numeric": "number"}


def plain_label(text: str = "", name: str = "") -> QLabel:
    """A label that never reads its text as rich text (it may come from someone else's file)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(text)
    if name:
        label.setAccessibleName(name)
    return label


def plain_table(headers: list[str], name: str) -> QTableWidget:
    """A read-only table; its items are plain text by nature."""
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAccessibleName(name)
    t.setWordWrap(False)
    header = t.horizontalHeader()
    for c in range(len(headers)):
        header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return t


def short(text: str, limit: int = 90) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[:limit - 1] + "…"


def fill_table(table: QTableWidget, rows: list[list[str]], tips: list[str] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if tips is not None:
                item.setToolTip(tips[r])
            table.setItem(r, c, item)


class ImportDialog(QDialog):
    """The preview: what comes in, what does not (line and why), the category, then Import."""

    installed = Signal(object)  # UserFile

    def __init__(self, preview: ImportPreview, *, install: Callable[[ImportPreview, str | None], UserFile],
                 existing: tuple[str, ...] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self._install = install
        self.setWindowTitle(f"Import questions from {preview.source}")
        self.setAccessibleName("Import questions")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(760, 520)
        n_in, n_out = len(preview.incoming), len(preview.refused)
        v = QVBoxLayout(self)
        self.summary = plain_label(
            f"{preview.source}: {n_in} question{'s' if n_in != 1 else ''} will come in"
            f"{f', {n_out} will not (see below)' if n_out else ''}. They go among your own questions; "
            "IronBone's questions are not changed.", "Summary")
        v.addWidget(self.summary)
        v.addWidget(plain_label("Will come in:"))
        self.incoming_table = plain_table(["Line", "Kind", "Category", "Question"], "Questions that will come in")
        fill_table(self.incoming_table,
                   [[str(i.line), TYPE_NAMES.get(i.question.type, i.question.type),
                     i.question.category or "(none)", short(i.question.prompt)] for i in preview.incoming],
                   [i.question.prompt for i in preview.incoming])
        v.addWidget(self.incoming_table, 3)
        self.refused_label = plain_label("Will not come in:")
        v.addWidget(self.refused_label)
        self.refused_table = plain_table(["Line", "Why"], "Questions that will not come in")
        fill_table(self.refused_table, [[str(r.line), short(r.reason, 200)] for r in preview.refused],
                   [r.reason for r in preview.refused])
        v.addWidget(self.refused_table, 2)
        self.refused_label.setVisible(bool(n_out))
        self.refused_table.setVisible(bool(n_out))
        # Questions that come in otherwise than the file has them (IronBone's own diagram picture,
        # options no longer node names...): said, never done silently.
        self.notes_label = plain_label("Comes in, with a note:")
        v.addWidget(self.notes_label)
        self.notes_table = plain_table(["Line", "Note"], "Notes on questions that will come in")
        fill_table(self.notes_table, [[str(n.line), short(n.reason, 200)] for n in preview.notes],
                   [n.reason for n in preview.notes])
        v.addWidget(self.notes_table, 1)
        self.notes_label.setVisible(bool(preview.notes))
        self.notes_table.setVisible(bool(preview.notes))
        form = QFormLayout()
        self.category_combo = QComboBox()
        self.category_combo.setEditable(True)
        self.category_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.category_combo.setAccessibleName("Category")
        self.category_combo.setToolTip("Where the questions appear in Quiz ▸ Practice (Questions from); type a "
                                       "new name to make a category")
        from app.quiz.userbank import MY_QUESTIONS

        own = ", ".join(preview.categories) if preview.categories else MY_QUESTIONS
        self.category_combo.addItem(f"As in the file ({short(own, 60)})", KEEP)
        for name in dict.fromkeys((MY_QUESTIONS, *existing)):
            self.category_combo.addItem(name, name)
        form.addRow("&Category:", self.category_combo)
        v.addLayout(form)
        self.error = plain_label("", "Import problem")
        self.error.setStyleSheet("color: #B3261E;")
        self.error.hide()
        v.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(f"&Import {n_in} question{'s' if n_in != 1 else ''}",
                                                    QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(n_in > 0)
        self.import_button.setDefault(True)
        self.buttons.accepted.connect(self.install)
        self.buttons.rejected.connect(self.reject)
        v.addWidget(self.buttons)

    def category(self) -> str | None:
        """The chosen category (None: each question keeps its file's, else "My questions")."""
        text = self.category_combo.currentText().strip()
        index = self.category_combo.findText(text)
        data = self.category_combo.itemData(index) if index >= 0 else text
        return None if data == KEEP or not data else str(data)

    def install(self) -> UserFile | None:
        from app.quiz.userbank import UserBankError

        try:
            done = self._install(self.preview, self.category())
        except (UserBankError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.error.setText(f"Nothing was imported: {reason}")
            self.error.show()
            return None
        self.accept()
        self.installed.emit(done)
        return done


class QuestionImport:
    """The flow behind File ▸ Import questions…: file dialog, preview dialog, install, tell the others."""

    def __init__(self, ctx: FeatureContext) -> None:
        self.ctx = ctx
        self.file_dialog: QFileDialog | None = None
        self.dialog: ImportDialog | None = None
        self.message_box: QMessageBox | None = None
        self.last_message = ""

    def bank_context(self) -> BankContext:
        from app.quiz.bank import BankContext

        mc = self.ctx.model()
        return BankContext.of(self.ctx.content.root, pathway=self.ctx.content.pathway,
                              model=mc.model if mc is not None else None)

    def choose_file(self) -> QFileDialog:
        """Ask for the file (a window-modal dialog shown with open(): nothing blocks)."""
        if self.file_dialog is not None:
            self.file_dialog.close()
            self.file_dialog.deleteLater()
        start = str(self.ctx.settings().value(FOLDER_KEY, str(Path.home())) or Path.home())
        dialog = QFileDialog(self.ctx.window, "Import questions (GIFT or Moodle XML)", start, FILTER)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAccessibleName("Import questions")
        dialog.fileSelected.connect(lambda name: self.open_file(Path(name)) if name else None)
        dialog.open()
        self.file_dialog = dialog
        return dialog

    def open_file(self, path: Path) -> ImportDialog | None:
        """Preview `path`; the dialog that lists what comes in (None, after a message, if unreadable)."""
        from app.quiz.userbank import UserBankError, categories, list_files, preview

        self.ctx.settings().setValue(FOLDER_KEY, str(Path(path).parent))
        bank_ctx = self.bank_context()
        try:
            pv = preview(path, ctx=bank_ctx)
        except UserBankError as exc:
            self.report("Cannot import questions", f"Could not read {path}: {exc}")
            return None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        existing = categories(list_files(ctx=bank_ctx))
        self.dialog = ImportDialog(pv, install=lambda p, category: self._install(p, category, bank_ctx),
                                   existing=existing, parent=self.ctx.window)
        self.dialog.installed.connect(self._on_dialog_installed)
        self.dialog.open()
        return self.dialog

    def _install(self, pv: ImportPreview, category: str | None, bank_ctx: BankContext) -> UserFile:
        from app.quiz.userbank import install

        return install(pv, ctx=bank_ctx, category=category)

    def _on_dialog_installed(self, done: UserFile) -> None:
        n = len(done.questions)
        cats = ", ".join(f"“{c}”" for c in done.categories)
        self.last_message = (f"Imported {n} question{'s' if n != 1 else ''} into {cats}: Quiz ▸ Practice, "
                             "Questions from, has them; Quiz ▸ My questions removes them")
        self.ctx.post(self.last_message)
        self.ctx.library.changed.emit("questions")

    def report(self, title: str, text: str) -> None:
        """A problem: in the status bar and a non-modal message box."""
        self.last_message = text
        self.ctx.post(text)
        if self.message_box is not None:
            self.message_box.close()
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.ctx.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Nothing was imported.")
        box.open()
        self.message_box = box
