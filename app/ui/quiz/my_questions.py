"""The lecturer's own questions in the quiz: Quiz ▸ My questions (each category and file with its
questions, removed with a confirmation and undone with one click), and the "Questions from" choice of
the quiz panel (IronBone's own questions, or one category of the user's)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.ui.quiz.import_dialog import plain_label, short

if TYPE_CHECKING:
    from app.quiz.bank import Bank, BankContext
    from app.quiz.questions import Question
    from app.quiz.userbank import UserFile

ALL = None  # "Questions from": everything
BUILTIN = "\x00builtin"  # IronBone's own questions (a name no category can have)
USER_PREFIX = "user:"  # app.quiz.userbank.ID_PREFIX


def is_users(q: Question) -> bool:
    return q.id.startswith(USER_PREFIX)


def category_choices(bank: Bank) -> list[tuple[str, str | None]]:
    """(label, data) for the "Questions from" box: all, IronBone's own, then each category of the
    user's questions, with how many questions each holds."""
    from app.quiz.userbank import category_of

    own = sum(1 for q in bank.questions if not is_users(q))
    counts: dict[str, int] = {}
    for q in bank.questions:
        if is_users(q):
            counts[category_of(q)] = counts.get(category_of(q), 0) + 1
    if not counts:
        return [(f"All questions ({len(bank)})", ALL)]
    return ([(f"All questions ({len(bank)})", ALL), (f"IronBone's questions ({own})", BUILTIN)]
            + [(f"{short(name, 50)} ({n}, yours)", name) for name, n in counts.items()])


def only(bank: Bank, category: str | None) -> Bank:
    """The questions of one choice of "Questions from" (the bank itself for ALL)."""
    if category is ALL:
        return bank
    from app.quiz.bank import Bank
    from app.quiz.userbank import category_of

    if category == BUILTIN:
        keep = tuple(q for q in bank.questions if not is_users(q))
    else:
        keep = tuple(q for q in bank.questions if is_users(q) and category_of(q) == category)
    return Bank(keep, bank.problems, bank.compartments)


@dataclass(frozen=True)
class Removal:
    """What one removal changed, to put it back: each file's bytes before (None: it did not exist)."""

    what: str
    before: tuple[tuple[Path, bytes], ...]


class MyQuestionsDialog(QDialog):
    """Quiz ▸ My questions: the user's questions by category and file; Remove (confirmed), Undo."""

    changed = Signal()  # files in the user question folder were changed

    def __init__(self, bank_context: Callable[[], BankContext], *, folder: Callable[[], Path],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bank_context = bank_context
        self._folder = folder
        self.undo_item: Removal | None = None
        self.confirm_box: QMessageBox | None = None
        self.setWindowTitle("My questions")
        self.setAccessibleName("My questions")
        self.resize(720, 480)
        v = QVBoxLayout(self)
        v.addWidget(plain_label("Questions you imported or got from a lesson pack, by category. IronBone's own "
                                "questions are not listed and cannot be removed. Progress on a removed question "
                                "is kept, so Undo brings it back as it was."))
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Question", "Kind", "File"])
        self.tree.setAccessibleName("Your questions")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.currentItemChanged.connect(lambda *_: self._refresh_buttons())
        v.addWidget(self.tree, 1)
        self.status = plain_label("", "What changed")
        v.addWidget(self.status)
        row = QHBoxLayout()
        self.remove_button = QPushButton("&Remove…")
        self.remove_button.setToolTip("Remove the selected question, or every question of the selected file")
        self.remove_button.clicked.connect(self.ask_remove)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setToolTip("Put back what was removed last")
        self.undo_button.clicked.connect(self.undo)
        row.addWidget(self.remove_button)
        row.addWidget(self.undo_button)
        row.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        row.addWidget(buttons)
        v.addLayout(row)
        self.refresh()

    def files(self) -> list[UserFile]:
        from app.quiz.userbank import list_files

        return list_files(ctx=self._bank_context(), folder=self._folder())

    def refresh(self) -> None:
        from app.quiz.userbank import category_of
        from app.ui.quiz.import_dialog import TYPE_NAMES

        self.tree.clear()
        files = self.files()
        by_category: dict[str, dict[str, list[Question]]] = {}
        for f in files:
            for q in f.questions:
                by_category.setdefault(category_of(q), {}).setdefault(f.name, []).append(q)
        for category, per_file in by_category.items():
            n = sum(len(qs) for qs in per_file.values())
            top = QTreeWidgetItem([f"{category} ({n})", "", ""])
            top.setData(0, Qt.ItemDataRole.UserRole, ("category", category))
            self.tree.addTopLevelItem(top)
            for name, questions in per_file.items():
                file_item = QTreeWidgetItem([f"{name}.yaml ({len(questions)})", "", name])
                file_item.setData(0, Qt.ItemDataRole.UserRole, ("file", name))
                top.addChild(file_item)
                for q in questions:
                    item = QTreeWidgetItem([short(q.prompt), TYPE_NAMES.get(q.type, q.type), name])
                    item.setToolTip(0, q.prompt)
                    item.setData(0, Qt.ItemDataRole.UserRole, ("question", q.id))
                    file_item.addChild(item)
        self.tree.expandAll()
        bad = [p for f in files for p in f.problems]
        if not by_category:
            self.tree.addTopLevelItem(QTreeWidgetItem(["(none yet: File ▸ Import questions…)", "", ""]))
        if bad:
            self.status.setText(f"{len(bad)} problem(s) in your question files, e.g. {bad[0]}")
        self.tree.setColumnWidth(0, 440)
        self.tree.resizeColumnToContents(1)
        self._refresh_buttons()

    def selected(self) -> tuple[str, str] | None:
        item = self.tree.currentItem()
        data = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return tuple(data) if data and data[0] in ("question", "file") else None

    def select(self, kind: str, ident: str) -> bool:
        """Select the tree's row for a question id or a file name."""
        for item in self._tree_items():
            if item.data(0, Qt.ItemDataRole.UserRole) == (kind, ident):
                self.tree.setCurrentItem(item)
                return True
        return False

    def _tree_items(self) -> list[QTreeWidgetItem]:
        out, stack = [], [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            out.append(item)
            stack += [item.child(i) for i in range(item.childCount())]
        return out

    def _refresh_buttons(self) -> None:
        self.remove_button.setEnabled(self.selected() is not None)
        self.undo_button.setEnabled(self.undo_item is not None)

    def ask_remove(self) -> QMessageBox | None:
        """Confirm the removal (a non-blocking question)."""
        sel = self.selected()
        if sel is None:
            return None
        kind, ident = sel
        item = self.tree.currentItem()
        if kind == "question":
            what = f"the question “{short(item.toolTip(0) or item.text(0), 80)}”"
        else:  # the file's questions in every category, not only those under the row chosen
            n = sum(len(f.questions) for f in self.files() if f.name == ident)
            what = f"all {n} question{'s' if n != 1 else ''} of {ident}.yaml"

        box = QMessageBox(QMessageBox.Icon.Question, "Remove questions", f"Remove {what}?", parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("Your answers to them are kept; Undo puts them back.")
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(lambda b: self.remove(kind, ident, what) if b is remove else None)
        box.open()
        self.confirm_box = box
        return box

    def remove(self, kind: str, ident: str, what: str = "") -> bool:
        from app.knowledge.userdata import MAX_USER_FILE_BYTES
        from app.knowledge.userfile import UserFileError, read_user_bytes
        from app.quiz.userbank import UserBankError, remove_file, remove_question

        folder = self._folder()
        name = ident if kind == "file" else ident[len(USER_PREFIX):].rsplit(":", 1)[0]
        path = folder / f"{name}.yaml"
        try:
            before = read_user_bytes(path, limit=MAX_USER_FILE_BYTES, what="question file")
            if kind == "file":
                remove_file(ident, folder=folder)
            else:
                remove_question(ident, folder=folder)
        except (UserBankError, UserFileError, OSError) as exc:
            self.status.setText(f"Nothing was removed: {exc}")
            return False
        self.undo_item = Removal(what=what or ident, before=((path, before),))
        self.refresh()
        self.status.setText(f"Removed {what or ident}. Undo puts it back.")
        self.changed.emit()
        return True

    def undo(self) -> bool:
        from app.knowledge.userdata import atomic_write

        item = self.undo_item
        if item is None:
            return False
        try:
            for path, data in item.before:
                atomic_write(path, data)
        except OSError as exc:
            self.status.setText(f"Could not put it back: {exc.strerror or exc}")
            return False
        self.undo_item = None
        self.refresh()
        self.status.setText(f"Put back {item.what}.")
        self.changed.emit()
        return True
