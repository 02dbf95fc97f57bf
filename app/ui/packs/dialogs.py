"""The lesson-pack dialogs: what a pack holds before it is installed (then: open its session, take its
tour), and what goes into a new pack (questions by category or file, tours, the session, title and
author). Every text from a pack is shown as plain text."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from app.knowledge.session import Session
    from app.quiz.bank import BankContext
    from app.quiz.pack import InstalledPack, PackPreview
    from app.quiz.userbank import UserFile
    from app.ui.context import FeatureContext

MAX_LISTED = 12  # questions or steps listed under each part; the rest are counted


class PackHost(Protocol):
    """What the export dialog needs of the pack feature (app.ui.packs.feature.PacksFeature)."""

    ctx: FeatureContext

    def bank_context(self) -> BankContext: ...

    def ask_export_path(self, title: str, chosen: Callable[[Path], object]) -> object: ...

    def say(self, text: str) -> None: ...


def _label(text: str = "", name: str = "") -> QLabel:
    """A label that never reads its text as rich text (it may come from someone else's pack)."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(text)
    if name:
        label.setAccessibleName(name)
    return label


def _short(text: str, limit: int = 90) -> str:
    one = " ".join(str(text).split())
    return one if len(one) <= limit else one[:limit - 1] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def describe_session(session: Session, labels: dict[str, str]) -> str:
    """One line for a pack's session: the inputs, the clock, the page, the pinned runs."""
    i = session.inputs
    parts = [f"estrogen {i.estrogen:g} %", f"ferritin {i.ferritin:g} µg/L"]
    if i.treatments:
        parts.append("treatments " + ", ".join(i.treatments))
    if i.knockouts:
        parts.append("knocked out " + ", ".join(labels.get(n, n) for n in i.knockouts))
    parts.append(f"year {session.years:.1f}")
    if session.selection:
        parts.append(f"page {session.selection[1]}")
    if session.pinned:
        parts.append(_plural(len(session.pinned), "pinned run"))
    return "; ".join(parts)


class PackDialog(QDialog):
    """What a checked pack holds; Install; then offers to open its session and take its tour."""

    installed = Signal(object)  # InstalledPack

    def __init__(self, preview: PackPreview, *, install: Callable[[PackPreview], InstalledPack],
                 open_session: Callable[[Path], bool], start_tour: Callable[[str], bool],
                 labels: dict[str, str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.preview = preview
        self.installed_pack: InstalledPack | None = None
        self._install, self._open_session, self._start_tour = install, open_session, start_tour
        self.setWindowTitle(f"Lesson pack: {_short(preview.title, 60)}")
        self.setAccessibleName("Lesson pack")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(680, 480)
        v = QVBoxLayout(self)
        by = f" by {_short(preview.author, 200)}" if preview.author else ""
        made = f", made {_short(preview.created, 40)}" if preview.created else ""
        version = f" with IronBone {_short(preview.app_version, 40)}" if preview.app_version else ""
        self.header = _label(f"“{_short(preview.title, 200)}”{by}{made}{version} ({preview.source}). It holds:",
                             "Pack")
        v.addWidget(self.header)
        self.contents = QTreeWidget()
        self.contents.setHeaderHidden(True)
        self.contents.setAccessibleName("What the pack holds")
        v.addWidget(self.contents, 1)
        for pq in preview.questions:
            cats = ", ".join(dict.fromkeys(q.category or "My questions" for q in pq.questions))
            top = QTreeWidgetItem([f"Questions {pq.name}: {_plural(len(pq.questions), 'question')} "
                                   f"(category {_short(cats, 80)})"])
            for q in pq.questions[:MAX_LISTED]:
                child = QTreeWidgetItem([_short(q.prompt)])
                child.setToolTip(0, q.prompt)
                top.addChild(child)
            if len(pq.questions) > MAX_LISTED:
                top.addChild(QTreeWidgetItem([f"… and {len(pq.questions) - MAX_LISTED} more"]))
            self.contents.addTopLevelItem(top)
        for pt in preview.tours:
            t = pt.tour
            top = QTreeWidgetItem([f"Tour “{_short(t.title, 80)}”: {_plural(len(t.steps), 'step')}, "
                                   f"about {t.minutes:g} min"])
            for n, step in enumerate(t.steps[:MAX_LISTED], 1):
                top.addChild(QTreeWidgetItem([f"{n}. {_short(step.caption.split(chr(10), 1)[0])}"]))
            self.contents.addTopLevelItem(top)
        if preview.session is not None:
            self.contents.addTopLevelItem(QTreeWidgetItem(
                [f"A session: {describe_session(preview.session, labels or {})}"]))
        self.contents.expandAll()
        self.note = _label("Installing adds these to your own questions, tours and sessions; a name you already "
                           "use gets a new one, so nothing of yours is replaced. A pack holds data only.", "Note")
        v.addWidget(self.note)
        self.error = _label("", "Install problem")
        self.error.setStyleSheet("color: #B3261E;")
        self.error.hide()
        v.addWidget(self.error)
        self.buttons = QDialogButtonBox()
        self.install_button = self.buttons.addButton("&Install", QDialogButtonBox.ButtonRole.AcceptRole)
        self.install_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.install_button.clicked.connect(self.install)
        self.cancel_button.clicked.connect(self.reject)
        v.addWidget(self.buttons)
        # After installing: what to do next.
        self.after = QWidget()
        row = QHBoxLayout(self.after)
        row.setContentsMargins(0, 0, 0, 0)
        self.session_button = QPushButton("Open its &session")
        self.session_button.setToolTip("Set the sliders, treatments, clock, page and pinned runs as the pack has them")
        self.session_button.clicked.connect(self.open_session)
        row.addWidget(self.session_button)
        self.tour_buttons: list[QPushButton] = []
        row.addStretch(1)
        self.close_button = QPushButton("&Close")
        self.close_button.clicked.connect(self.accept)
        row.addWidget(self.close_button)
        self.after.hide()
        v.addWidget(self.after)

    def install(self) -> InstalledPack | None:
        from app.quiz.pack import PackError

        try:
            done = self._install(self.preview)
        except (PackError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.error.setText(f"Nothing was installed: {reason}")
            self.error.show()
            return None
        self.installed_pack = done
        self.error.hide()
        parts = []
        if done.question_ids:
            parts.append(f"{_plural(len(done.question_ids), 'question')} (Quiz ▸ Practice, Questions from)")
        if done.tour_ids:
            parts.append(f"{_plural(len(done.tour_ids), 'tour')} (Teach ▸ Guided tours)")
        if done.session_file is not None:
            parts.append(f"the session ({done.session_file.name})")
        self.note.setText("Installed: " + "; ".join(parts) + ".")
        self.buttons.hide()
        self.session_button.setVisible(done.session_file is not None)
        layout = self.after.layout()
        for tour_id, pt in zip(done.tour_ids, self.preview.tours, strict=True):
            b = QPushButton(f"Take the tour “{_short(pt.tour.title, 40).replace('&', '&&')}”")
            b.setAccessibleName(f"Take the tour {pt.tour.title}")
            b.clicked.connect(lambda _=False, t=tour_id: self.start_tour(t))
            layout.insertWidget(1 + len(self.tour_buttons), b)
            self.tour_buttons.append(b)
        self.after.show()
        (self.tour_buttons[0] if self.tour_buttons else self.close_button).setDefault(True)
        self.installed.emit(done)
        return done

    def open_session(self) -> bool:
        if self.installed_pack is None or self.installed_pack.session_file is None:
            return False
        ok = self._open_session(self.installed_pack.session_file)
        if ok and not self.tour_buttons:
            self.accept()
        return ok

    def start_tour(self, tour_id: str) -> bool:
        ok = self._start_tour(tour_id)
        if ok:
            self.accept()
        return ok


class ExportPackDialog(QDialog):
    """File ▸ Export lesson pack…: which of the user's questions (by category or file) and tours, whether
    the session goes in, the title and author; Export… asks where to save."""

    exported = Signal(object)  # Path

    def __init__(self, feature: PackHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.feature = feature
        self.setWindowTitle("Export lesson pack")
        self.setAccessibleName("Export lesson pack")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.resize(640, 520)
        v = QVBoxLayout(self)
        v.addWidget(_label("One file for the class: they open it with File ▸ Open lesson pack (or a double click) "
                           "and get your questions, your tours and this session."))
        form = QFormLayout()
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Pack title")
        self.title_edit.setPlaceholderText("e.g. Week 3: iron and bone")
        self.author_edit = QLineEdit()
        self.author_edit.setAccessibleName("Author")
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Author:", self.author_edit)
        v.addLayout(form)
        v.addWidget(_label("Your questions (tick a category or a file):"))
        self.questions_tree = QTreeWidget()
        self.questions_tree.setHeaderHidden(True)
        self.questions_tree.setAccessibleName("Questions to include")
        v.addWidget(self.questions_tree, 2)
        v.addWidget(_label("Your tours:"))
        self.tours_tree = QTreeWidget()
        self.tours_tree.setHeaderHidden(True)
        self.tours_tree.setAccessibleName("Tours to include")
        v.addWidget(self.tours_tree, 1)
        self.session_check = QCheckBox("This &session: sliders, treatments, knock-outs, clock, page and pinned runs")
        self.session_check.setChecked(feature.ctx.library.session_bytes is not None)
        self.session_check.setEnabled(feature.ctx.library.session_bytes is not None)
        v.addWidget(self.session_check)
        self.error = _label("", "Export problem")
        self.error.setStyleSheet("color: #B3261E;")
        self.error.hide()
        v.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton("&Export…", QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.ask_path)
        self.buttons.rejected.connect(self.reject)
        v.addWidget(self.buttons)
        self._files: list[UserFile] = []
        self._tour_files: dict[str, Path] = {}
        self._fill()

    # --- what can go in ------------------------------------------------------------------------
    def _fill(self) -> None:
        from app.knowledge.tours import USER_PREFIX, load_tours
        from app.knowledge.userdata import TOURS, user_folder
        from app.quiz.userbank import category_of, list_files

        ctx = self.feature.ctx
        self._files = list_files(ctx=self.feature.bank_context())
        by_category: dict[str, list[tuple[UserFile, int]]] = {}
        for f in self._files:
            for category in f.categories:
                n = sum(1 for q in f.questions if category_of(q) == category)
                by_category.setdefault(category, []).append((f, n))
        flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        for category, files in by_category.items():
            total = sum(n for _, n in files)
            top = QTreeWidgetItem([f"{category} ({_plural(total, 'question')})"])
            top.setFlags(flags | Qt.ItemFlag.ItemIsAutoTristate)
            top.setData(0, Qt.ItemDataRole.UserRole, ("category", category))
            self.questions_tree.addTopLevelItem(top)
            for f, n in files:
                child = QTreeWidgetItem([f"{f.name}.yaml ({_plural(n, 'question')})"])
                child.setFlags(flags)
                child.setData(0, Qt.ItemDataRole.UserRole, ("file", f.name, category))
                child.setCheckState(0, Qt.CheckState.Checked)
                top.addChild(child)
        self.questions_tree.expandAll()
        if not by_category:
            none = QTreeWidgetItem(["(none: File ▸ Import questions… brings yours in)"])
            none.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.questions_tree.addTopLevelItem(none)
        mc = ctx.model()
        folder = user_folder(TOURS)
        tours, _ = load_tours(ctx.content.root, ctx.content.pathway, list(mc.scenarios), list(mc.model.treatments),
                              user_folder=folder)
        for tid, tour in tours.items():
            if not tid.startswith(USER_PREFIX):
                continue
            name = tid[len(USER_PREFIX):]
            path = next((p for p in (folder / f"{name}.yaml", folder / f"{name}.yml") if p.is_file()), None)
            if path is None:
                continue
            self._tour_files[tid] = path
            item = QTreeWidgetItem([f"{tour.title} ({_plural(len(tour.steps), 'step')})"])
            item.setFlags(flags)
            item.setData(0, Qt.ItemDataRole.UserRole, tid)
            item.setCheckState(0, Qt.CheckState.Checked)
            self.tours_tree.addTopLevelItem(item)
        if not self._tour_files:
            none = QTreeWidgetItem(["(none: Teach ▸ Record a tour makes one)"])
            none.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tours_tree.addTopLevelItem(none)

    def set_checked(self, tree: QTreeWidget, text_start: str, on: bool) -> bool:
        """Tick or untick the first row whose text starts with `text_start` (for keyboard users and tests)."""
        items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        items += [it.child(j) for it in list(items) for j in range(it.childCount())]
        for item in items:
            if item.text(0).startswith(text_start):
                item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                return True
        return False

    def chosen_questions(self) -> tuple[list[Path], list[str]]:
        """The files to read and the ids to take from them (only the ticked categories of each file)."""
        from app.quiz.userbank import category_of

        wanted: dict[str, set[str]] = {}
        for i in range(self.questions_tree.topLevelItemCount()):
            top = self.questions_tree.topLevelItem(i)
            for j in range(top.childCount()):
                child = top.child(j)
                data = child.data(0, Qt.ItemDataRole.UserRole)
                if data and child.checkState(0) == Qt.CheckState.Checked:
                    wanted.setdefault(data[1], set()).add(data[2])
        files, ids = [], []
        for f in self._files:
            if f.name in wanted:
                picked = [q.id for q in f.questions if category_of(q) in wanted[f.name]]
                if picked:
                    files.append(f.path)
                    ids += picked
        return files, ids

    def chosen_tours(self) -> list[Path]:
        out = []
        for i in range(self.tours_tree.topLevelItemCount()):
            item = self.tours_tree.topLevelItem(i)
            tid = item.data(0, Qt.ItemDataRole.UserRole)
            if tid in self._tour_files and item.checkState(0) == Qt.CheckState.Checked:
                out.append(self._tour_files[tid])
        return out

    # --- writing -------------------------------------------------------------------------------
    def _problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def ask_path(self) -> None:
        """Check the choices, then ask where to save (a non-blocking file dialog)."""
        if not self.title_edit.text().strip():
            self._problem("Give the pack a title: the class sees it when they open the pack.")
            self.title_edit.setFocus()
            return
        files, _ = self.chosen_questions()
        if not files and not self.chosen_tours() and not self.session_check.isChecked():
            self._problem("Tick at least one category, file, tour or the session.")
            return
        self.error.hide()
        self.feature.ask_export_path(self.title_edit.text().strip(), self.export_to)

    def export_to(self, path: Path) -> Path | None:
        """Write the pack to `path`; the file written, or None after saying why (nothing is written then)."""
        from app import __version__
        from app.quiz.pack import PackError, export_pack

        files, ids = self.chosen_questions()
        session = None
        if self.session_check.isChecked() and self.feature.ctx.library.session_bytes is not None:
            session = self.feature.ctx.library.session_bytes()
        try:
            written = export_pack(path, questions=files, question_ids=ids, tours=self.chosen_tours(),
                                  session=session, title=self.title_edit.text().strip(),
                                  author=self.author_edit.text().strip(), app_version=__version__)
        except (PackError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self._problem(f"The pack was not written: {reason}")
            return None
        parts = [_plural(len(ids), "question"), _plural(len(self.chosen_tours()), "tour")]
        if session is not None:
            parts.append("the session")
        self.feature.say(f"Exported the lesson pack {written} ({', '.join(parts)})")
        self.accept()
        self.exported.emit(written)
        return written
