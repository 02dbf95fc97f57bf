"""The shell's dialogs: content problems, About, Cite this and the keyboard shortcuts. Each opens
without blocking (open(), never exec()) and is kept, so a test or a second click finds it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QVBoxLayout

from app import __version__
from app.knowledge.content import Content
from app.knowledge.review_note import REVIEW_KEY as REVIEW  # the review's key in content/references.yaml
from app.ui.text import plain


class Dialogs:
    """Opens the shell's dialogs over `window`."""

    def __init__(self, window: QMainWindow, content: Content, post: Callable[[str], None]) -> None:
        self._window, self._content, self._post = window, content, post
        self.problems_box = self.about_box = self.cite_dialog = self.shortcuts_dialog = None
        self.cite_texts: dict = {}

    def show_problems(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs: kept off the start-up path

        problems = self._content.problems
        text = "\n".join(str(p) for p in problems[:200]) or "No problems found."
        if len(problems) > 200:
            text += f"\n… and {len(problems) - 200} more (run: python -m app check-content)"
        box = QMessageBox(QMessageBox.Icon.Warning if problems else QMessageBox.Icon.Information, "Content problems",
                          f"{len(problems)} problem(s) in {self._content.root}", parent=self._window)
        plain(box)  # the folder's name and the problems quote what the files say
        box.setDetailedText(text)
        box.setInformativeText("Each line is file:line: message. Fix the file and restart IronBone.")
        box.open()
        self.problems_box = box

    def show_about(self) -> None:
        import html

        from PySide6.QtWidgets import QMessageBox  # dialogs: kept off the start-up path

        from app.knowledge.cite import plain

        review = self._content.references.get(REVIEW)  # as content/references.yaml has it
        source = f"<p><b>Scientific source:</b> {html.escape(plain(review))}</p>" if review is not None else ""
        box = QMessageBox(self._window)
        box.setWindowTitle("About IronBone")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>IronBone {__version__}</h3>"
            "<p>An interactive teaching app on how iron accumulation and falling estrogen after "
            "menopause tilt bone remodelling towards loss.</p>"
            f"{source}"
            "<p><b>A teaching model, not a clinical tool.</b> Its numbers illustrate directions and "
            "rough sizes; they are not predictions for any person.</p>"
            "<p>Licence: MIT (code). Content written afresh from the review, with citations.</p>"
        )
        box.setIcon(QMessageBox.Icon.Information)
        box.open()
        self.about_box = box

    def show_cite(self) -> None:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit  # dialogs: kept off the start-up path

        from app.knowledge.cite import app_bibtex, app_plain, bibtex, plain

        review = self._content.references.get(REVIEW)
        parts = []
        if review is not None:
            parts += [("The review (plain text)", plain(review)), ("The review (BibTeX)", bibtex(review))]
        parts += [("IronBone (plain text)", app_plain()), ("IronBone (BibTeX)", app_bibtex())]
        dialog = QDialog(self._window)
        dialog.setWindowTitle("Cite this")
        layout = QVBoxLayout(dialog)
        self.cite_texts = {}
        for title, text in parts:
            layout.addWidget(QLabel(f"<b>{title}</b>"))
            box = QPlainTextEdit(text)
            box.setReadOnly(True)
            box.setAccessibleName(title)
            box.setMaximumHeight(110 if "BibTeX" in title else 60)
            copy = QPushButton(f"Copy {title.lower()}")
            copy.clicked.connect(lambda _=False, t=text, n=title: (
                QGuiApplication.clipboard().setText(t), self._post(f"Copied: {n}")))
            layout.addWidget(box)
            layout.addWidget(copy)
            self.cite_texts[title] = (box, copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(640, 560)
        dialog.open()
        self.cite_dialog = dialog

    def show_shortcuts(self) -> None:
        """A sheet generated from the actions themselves, so it is never out of date."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem  # off the start-up path

        rows = []
        for act in self._window.actions():
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()]
            if keys:
                rows.append((act.text().replace("&", ""), ", ".join(keys)))
        rows += [("Move between nodes", "Tab / Shift+Tab, arrow keys (diagram focused)"),
                 ("Open the node under the keyboard cursor", "Enter"),
                 ("Knock out, clamp or release the node under the cursor", "Menu key or Shift+F10"),
                 ("Step through the node's links; follow one; back", "L / Shift+L; Enter; Esc"),
                 ("Zoom around the cursor", "Mouse wheel"), ("Pan", "Drag the diagram")]
        dialog = QDialog(self._window)
        dialog.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(rows), 2, dialog)
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setAccessibleName("Keyboard shortcuts")
        for r, (what, keys) in enumerate(sorted(rows)):
            table.setItem(r, 0, QTableWidgetItem(what))
            table.setItem(r, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(560, 520)
        dialog.open()
        self.shortcuts_dialog = dialog
