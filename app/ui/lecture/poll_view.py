"""Teach ▸ Class poll: a choice or prediction question shown to the hall in large type with lettered
options, counts the lecturer types from a show of hands (a letter, then the digits), and the reveal:
the right option(s), the share of each, the explanation and, for a prediction, the model's answer and
the traced path lit on the diagram. Esc closes it. Nothing leaves the machine.

The poll's data is app.quiz.poll.PollState (immutable); `ClassPoll` holds the current one and the
view only displays it. While a poll is open its keys come before any shortcut or the presentation's
clicker keys (an application event filter, installed when the poll opens and removed when it closes),
so typing a count never steps a tour or leaves full screen."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.ui.diagram.overlays import Layer

if TYPE_CHECKING:
    from app.quiz.poll import PollState
    from app.quiz.questions import Question
    from app.ui.context import FeatureContext

RIGHT_COLOUR = "#1B7F3B"  # the reveal's "right" mark: green, with a tick, never colour alone
BAR_COLOUR = "#0072B2"  # Okabe-Ito blue: the share bars
BAR_RIGHT = "#2E9E57"
SIDE_SHARE = 0.45  # after a prediction's reveal the poll takes this share of the width; the diagram the rest
MAX_DIGITS = 7  # a typed count longer than this is absurd whatever MAX_VOTES says
HINT = ("Type a letter, then the count (A 1 2). Enter reveals · Tab: next target · "
        "Delete: clear counts · Esc closes")
CLICKER_KEYS = (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_Space, Qt.Key.Key_Left, Qt.Key.Key_Right,
                Qt.Key.Key_Up, Qt.Key.Key_Down)


def question_line(q: Question, section: str) -> str:
    kind = {"predict": "prediction", "truefalse": "true / false", "multiple": "several answers",
            "single": "one answer"}.get(q.type, q.type)
    prompt = " ".join(q.prompt.split())
    return f"{prompt}   [{section} · {kind}]"


class PollPicker(QDialog):
    """Choose the question to poll: search by words of the prompt, filter by section, Enter polls."""

    def __init__(self, questions: list[Question], sections: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Class poll: choose a question")
        self.setAccessibleName("Choose a question to poll")
        self.questions = questions
        self.sections = sections
        self.chosen: Question | None = None
        self.search = QLineEdit(self)
        self.search.setObjectName("poll_search")
        self.search.setPlaceholderText("Search the questions (words of the prompt, a node, a section)")
        self.search.setAccessibleName("Search the questions")
        self.search.setClearButtonEnabled(True)
        self.section = QComboBox(self)
        self.section.setObjectName("poll_section")
        self.section.setAccessibleName("Section")
        self.section.addItem("All sections", "")
        for sid in dict.fromkeys(q.section for q in questions):
            self.section.addItem(sections.get(sid, sid), sid)
        self.list = QListWidget(self)
        self.list.setObjectName("poll_questions")
        self.list.setAccessibleName("Questions that can be polled")
        self.list.setWordWrap(True)
        self.count = QLabel(self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.poll_button = buttons.addButton("&Poll this question", QDialogButtonBox.ButtonRole.AcceptRole)
        self.poll_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.section, 1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.count)
        lay.addWidget(buttons)
        self.resize(820, 520)
        self.search.textChanged.connect(self.refilter)
        self.section.currentIndexChanged.connect(self.refilter)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentRowChanged.connect(lambda row: self.poll_button.setEnabled(row >= 0))
        self.search.installEventFilter(self)
        self.refilter()

    def refilter(self) -> None:
        words = self.search.text().lower().split()
        section = self.section.currentData() or ""
        self.list.clear()
        for q in self.questions:
            if section and q.section != section:
                continue
            name = self.sections.get(q.section, q.section)
            hay = " ".join((q.prompt, q.id, name, q.section, " ".join(q.nodes))).lower()
            if all(w in hay for w in words):
                item = QListWidgetItem(question_line(q, name))  # a list item shows its text as plain text
                item.setData(Qt.ItemDataRole.UserRole, q.id)
                item.setToolTip(q.id)
                self.list.addItem(item)
        self.count.setText(f"{self.list.count()} of {len(self.questions)} questions")
        if self.list.count():
            self.list.setCurrentRow(0)
        self.poll_button.setEnabled(self.list.count() > 0)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001
        """Up and Down in the search box move through the list, so the mouse is never needed."""
        if obj is self.search and event.type() == QEvent.Type.KeyPress and \
                event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            row = self.list.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            if 0 <= row < self.list.count():
                self.list.setCurrentRow(row)
            return True
        return super().eventFilter(obj, event)

    def accept(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        qid = item.data(Qt.ItemDataRole.UserRole)
        self.chosen = next(q for q in self.questions if q.id == qid)
        super().accept()


class PollView(QFrame):
    """The poll in large type: what `ClassPoll` hands it, nothing more."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("class_poll")
        self.setAccessibleName("Class poll")
        self.setFrameShape(QFrame.Shape.Box)
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QPalette.ColorRole.Window, QColor("#FFFFFF"))
        pal.setColor(QPalette.ColorRole.Base, QColor("#FFFFFF"))
        pal.setColor(QPalette.ColorRole.WindowText, QColor("#000000"))
        pal.setColor(QPalette.ColorRole.Text, QColor("#000000"))
        self.setPalette(pal)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("poll_text")
        self.browser.setAccessibleName("The question and its options")
        self.browser.setOpenLinks(False)
        self.browser.setFrameShape(QFrame.Shape.NoFrame)
        self.browser.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # text wraps
        self.message = QLabel(self)
        self.message.setObjectName("poll_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.hint = QLabel(HINT, self)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.another_button = QPushButton("&Another…", self)
        self.clear_button = QPushButton("&Clear", self)
        self.reveal_button = QPushButton("&Reveal", self)
        self.reveal_button.setObjectName("poll_reveal")
        self.close_button = QPushButton("Close", self)
        self.close_button.setObjectName("poll_close")
        for b, tip in ((self.another_button, "Poll another question"), (self.clear_button, "Clear the counts (Delete)"),
                       (self.reveal_button, "Reveal the answer (Enter)"), (self.close_button, "Close the poll (Esc)")):
            b.setToolTip(tip)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys belong to the poll; buttons are for the mouse
        bar = QHBoxLayout()
        bar.addStretch(1)
        for b in (self.another_button, self.clear_button, self.reveal_button, self.close_button):
            bar.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(self.browser, 1)
        lay.addWidget(self.message)
        lay.addWidget(self.hint)
        lay.addLayout(bar)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def unit(self) -> int:
        """The option text's size in pixels: large enough for the back row whatever the screen."""
        font_px = self.font().pointSizeF() * 96 / 72 if self.font().pointSizeF() > 0 else 14.0
        return int(max(16, min(self.height() / 24, self.width() / 20, font_px * 2.6)))

    def show_state(self, state: PollState, *, current: int, typing: str, model_lines: list[str],
                   explanation_html: str, compact: bool) -> None:
        u = self.unit() if not compact else int(self.unit() * 0.8)
        self.browser.setHtml(_poll_html(state, u, current=current, typing=typing, model_lines=model_lines,
                                        explanation_html=explanation_html))
        self.reveal_button.setEnabled(not state.revealed)

    def say(self, text: str, *, bad: bool = False) -> None:
        self.message.setStyleSheet("color: #B00020; font-weight: bold;" if bad else "")
        self.message.setText(text)


def _bar(share: float, colour: str, width_pct: int = 100) -> str:
    filled = max(0, min(100, round(share * 100)))
    cells = f'<td width="{filled}%" bgcolor="{colour}">&nbsp;</td>' if filled else ""
    rest = f'<td width="{100 - filled}%" bgcolor="#E4E4E4">&nbsp;</td>' if filled < 100 else ""
    return f'<table width="{width_pct}%" cellspacing="0" cellpadding="0"><tr>{cells}{rest}</tr></table>'


def _poll_html(state: PollState, u: int, *, current: int, typing: str, model_lines: list[str],
               explanation_html: str) -> str:
    """The whole poll as HTML; every text from a file is escaped (the explanation comes from the
    sanitising markdown renderer)."""
    esc = html.escape
    small = max(12, int(u * 0.62))
    out = [f'<body style="font-size:{u}px; color:#000000;">',
           f'<p style="font-size:{int(u * 1.2)}px; font-weight:bold; margin-bottom:{u // 3}px;">'
           f"{esc(state.prompt)}</p>"]
    reveal = state.reveal_data
    for i, item in enumerate(state.items):
        right = set(reveal.items[i].correct) if reveal is not None else set()
        shares = item.shares()
        if item.label:
            marker = "▶ " if i == current and len(state.items) > 1 else ""
            out.append(f'<p style="font-weight:bold; margin-top:{u // 2}px; margin-bottom:2px;">'
                       f"{marker}{esc(item.label)}</p>")
        out.append(f'<table width="100%" cellspacing="0" cellpadding="{max(2, u // 6)}">')
        for opt, votes, share in zip(item.options, item.votes, shares, strict=True):
            is_right = opt.letter in right
            typing_here = i == current and typing.startswith(opt.letter)
            badge_bg = RIGHT_COLOUR if is_right else BAR_COLOUR if typing_here else "#000000"
            tick = " ✓" if is_right else ""
            count = str(votes)
            pct = f"{share * 100:.0f} %" if item.total else ""
            weight = "bold" if is_right else "normal"
            shown = f"{esc(count)} · {pct}" if pct else esc(count)
            out.append(
                f'<tr><td width="{int(u * 1.6)}" align="center" bgcolor="{badge_bg}" '
                f'style="color:#FFFFFF; font-weight:bold;">{opt.letter}</td>'
                f'<td width="50%" style="font-weight:{weight};">{esc(opt.text)}'
                f'<span style="color:{RIGHT_COLOUR};">{tick}</span></td>'
                f'<td width="26%">{_bar(share, BAR_RIGHT if is_right else BAR_COLOUR)}</td>'
                f'<td nowrap align="right" style="font-size:{small}px;">{shown}</td></tr>')
        out.append("</table>")
        if reveal is not None:
            letters = ", ".join(sorted(right))
            hall = state.hall_right(i)
            hall_text = f" · the hall: {hall * 100:.0f} % right" if hall is not None else ""
            out.append(f'<p style="font-size:{small}px; color:{RIGHT_COLOUR}; font-weight:bold;">'
                       f"Right: {esc(letters)}{hall_text}</p>")
            if i < len(model_lines) and model_lines[i]:
                out.append(f'<p style="font-size:{small}px;">{esc(model_lines[i])}</p>')
    if reveal is not None and explanation_html:
        out.append(f'<div style="font-size:{small}px; margin-top:{u // 2}px;">{explanation_html}</div>')
    out.append("</body>")
    return "".join(out)


class ClassPoll(QObject):
    """Teach ▸ Class poll: the picker, the view over the window, the keys and the diagram's path.

    `state` is the poll shown (None: closed); `question` the question it was made from."""

    opened = Signal(object)  # PollState
    changed = Signal(object)  # PollState: counts typed or the answer revealed
    closed = Signal()

    def __init__(self, ctx: FeatureContext, *, scale=None) -> None:  # noqa: ANN001 - () -> float | None
        super().__init__(ctx.window)
        self.ctx = ctx
        self.window = ctx.window
        self.state: PollState | None = None
        self.question: Question | None = None
        self.view: PollView | None = None
        self.picker: PollPicker | None = None
        self.current = 0  # the item counts go to (a prediction's target)
        self.typing = ""  # "A12": the letter and the digits typed so far
        self._splitter: list[int] | None = None  # the split before a prediction's reveal moved it
        self._filtering = False
        self._lit = False
        self._questions: list[Question] | None = None
        self.window.installEventFilter(self)  # resize: the view follows the window
        self.window.destroyed.connect(self._uninstall)

    # --- the questions --------------------------------------------------------------------------
    def questions(self) -> list[Question]:
        """Every choice and prediction question: IronBone's own, then the lecturer's."""
        if self._questions is None:
            from app.quiz.bank import BankContext, load_bank
            from app.quiz.poll import can_poll
            from app.quiz.userbank import combined_bank

            content = self.ctx.content
            mc = self.ctx.model()
            model = mc.model if mc is not None else None
            learner = self.ctx.learner
            base = learner.bank() if learner is not None else load_bank(content.root, pathway=content.pathway)
            bank = combined_bank(base, ctx=BankContext.of(content.root, pathway=content.pathway, model=model),
                                 pathway=content.pathway)
            self._questions = [q for q in bank.questions if can_poll(q)]
        return self._questions

    def section_names(self) -> dict[str, str]:
        from app.quiz.report_page import section_name

        return {q.section: section_name(self.ctx.content, q.section) for q in self.questions()}

    def reload(self) -> None:
        self._questions = None

    # --- opening ------------------------------------------------------------------------------------
    def choose(self) -> PollPicker | None:
        """Open the picker (window-modal); the chosen question is polled."""
        if self.ctx.model() is None:
            self.ctx.post("The model is still loading; open the poll in a moment")
            return None
        picker = PollPicker(self.questions(), self.section_names(), self.window)
        picker.setWindowModality(Qt.WindowModality.WindowModal)
        picker.accepted.connect(lambda: self.open(picker.chosen) if picker.chosen is not None else None)
        picker.finished.connect(picker.deleteLater)
        self.picker = picker
        picker.open()
        picker.search.setFocus()
        return picker

    def open_id(self, question_id: str) -> PollState | None:
        """Poll the question with this id (a teacher guide's "poll it" link)."""
        if self.ctx.model() is None:
            self.ctx.post("The model is still loading; open the poll in a moment")
            return None
        question = next((q for q in self.questions() if q.id == question_id), None)
        if question is None:
            self.ctx.post(f"No question {question_id[:60]!r} can be polled (polls take choice and prediction "
                          "questions)")
            return None
        return self.open(question)

    def open(self, question: Question) -> PollState | None:
        from app.quiz.poll import PollError, poll_from_question

        labels = {n.id: n.label for n in self.ctx.content.pathway.nodes}
        try:
            state = poll_from_question(question, labels=labels)
        except PollError as exc:
            self.ctx.post(str(exc))
            return None
        self._clear_path()
        self.question, self.state, self.current, self.typing = question, state, 0, ""
        view = self._view()
        self._restore_split()
        self._place()
        view.show()
        view.raise_()
        self.window.activateWindow()  # back from the picker: the keys go to the window again
        view.setFocus()
        if not self._filtering:
            QApplication.instance().installEventFilter(self)
            self._filtering = True
        view.say("")
        self._show()
        self.ctx.post(f"Class poll: {len(state.items[0].options)} options, lettered "
                      f"{state.items[0].options[0].letter}–{state.items[0].options[-1].letter}")
        self.opened.emit(state)
        return state

    def _view(self) -> PollView:
        if self.view is None:
            self.view = PollView(self.window)
            self.view.browser.anchorClicked.connect(self._on_anchor_clicked)
            self.view.reveal_button.clicked.connect(self.reveal)
            self.view.close_button.clicked.connect(self.close)
            self.view.clear_button.clicked.connect(self.clear_counts)
            self.view.another_button.clicked.connect(self.choose)
        return self.view

    def _on_anchor_clicked(self, url: QUrl) -> None:  # no links are written; any text's link does nothing
        pass

    @property
    def is_open(self) -> bool:
        return self.state is not None and self.view is not None and self.view.isVisible()

    # --- counts ---------------------------------------------------------------------------------------
    def set_count(self, letter: str, text: str) -> bool:
        """The count typed for `letter` on the current item; a bad one is refused with a message naming
        it and the count stays what it was."""
        from app.quiz.poll import MAX_VOTES, PollError

        assert self.state is not None
        item = self.state.items[self.current]
        letters = [o.letter for o in item.options]
        stripped = text.strip()
        previous = item.votes[letters.index(letter)] if letter in letters else 0
        if letter not in letters:
            return self._refuse(f"There is no option {letter} (options {letters[0]}–{letters[-1]})")
        if not stripped.isdigit() or not stripped.isascii():
            what = "negative" if stripped.startswith("-") else "not a whole number"
            return self._refuse(f"{stripped!r} for {letter} is {what}: a count is a whole number from 0 to "
                                f"{MAX_VOTES:,}; {letter} stays {previous}")
        if len(stripped) > MAX_DIGITS or int(stripped) > MAX_VOTES:
            return self._refuse(f"{stripped} for {letter} is more hands than any hall holds (at most {MAX_VOTES:,}); "
                                f"{letter} stays {previous}")
        try:
            self.state = self.state.set_votes(letter, int(stripped), item=self.current)
        except PollError as exc:  # pragma: no cover - checked above
            return self._refuse(str(exc))
        self._say("")
        self._show()
        self.changed.emit(self.state)
        return True

    def _refuse(self, message: str) -> bool:
        self._say(message, bad=True)
        self.ctx.post(message)
        return False

    def _say(self, text: str, *, bad: bool = False) -> None:
        if self.view is not None:
            self.view.say(text, bad=bad)

    def clear_counts(self) -> None:
        if self.state is None:
            return
        from dataclasses import replace

        self.state = replace(self.state, items=tuple(replace(it, votes=(0,) * len(it.options))
                                                     for it in self.state.items))
        self.typing = ""
        self._show()
        self.changed.emit(self.state)

    def next_item(self, step: int = 1) -> None:
        if self.state is not None and len(self.state.items) > 1:
            self.typing = ""
            self.current = (self.current + step) % len(self.state.items)
            self._show()

    # --- the reveal -------------------------------------------------------------------------------------
    def reveal(self) -> bool:
        from app.quiz.poll import PollError

        if self.state is None or self.question is None or self.state.revealed:
            return False
        mc = self.ctx.model()
        try:
            self.state = self.state.reveal(mc.model if mc is not None else None, self.question)
        except PollError as exc:
            return self._refuse(str(exc))
        self.typing = ""
        if self.state.kind == "predict":
            self._light_path()
        self._show()
        self.changed.emit(self.state)
        return True

    def _light_path(self) -> None:
        """The chain of nodes that explains each target, on the diagram beside the poll."""
        assert self.state is not None and self.state.reveal_data is not None
        nodes: set[str] = set()
        edges: set[tuple[str, str]] = set()
        for r in self.state.reveal_data.items:
            nodes |= set(r.path)
            edges |= set(zip(r.path, r.path[1:], strict=False))
        if not nodes:
            return
        self.ctx.diagram.set_lit(Layer.QUIZ, nodes, edges)
        self._lit = True
        layout = self.ctx.layout
        self._splitter = layout.splitter_sizes()
        total = sum(self._splitter)
        left = int(total * (1 - SIDE_SHARE))
        layout.set_splitter_sizes([left, total - left])
        self._place()
        QTimer.singleShot(0, self.ctx.view.fit_all)

    def _clear_path(self) -> None:
        if self._lit:
            self.ctx.diagram.set_lit(Layer.QUIZ, None)
            self._lit = False

    def _restore_split(self) -> None:
        if self._splitter is not None:
            self.ctx.layout.set_splitter_sizes(self._splitter)
            self._splitter = None
            QTimer.singleShot(0, self.ctx.view.fit_all)

    def model_lines(self) -> list[str]:
        from app.quiz.poll import DIRECTION_TEXT

        s = self.state
        if s is None or s.reveal_data is None or s.kind != "predict":
            return []
        lines = []
        for item, r in zip(s.items, s.reveal_data.items, strict=True):
            key = next(o.key for o in item.options if o.letter == r.correct[0])
            why = f": {r.why}" if r.why else ""
            lines.append(f"The model: {item.label} {DIRECTION_TEXT[key].lower()}{why}")
        return lines

    # --- closing ------------------------------------------------------------------------------------------
    def close(self) -> None:
        if self.state is None:
            return
        self._uninstall()
        self._clear_path()
        self._restore_split()
        if self.view is not None:
            had_focus = self.view.hasFocus()
            self.view.hide()
            if had_focus:
                self.window.setFocus()  # not left nowhere: Esc again leaves presentation mode
        self.state, self.question, self.typing = None, None, ""
        self.ctx.post("Class poll closed")
        self.closed.emit()

    def _uninstall(self) -> None:
        app = QApplication.instance()
        if self._filtering and app is not None:
            app.removeEventFilter(self)
        self._filtering = False

    # --- drawing ------------------------------------------------------------------------------------------
    def _place(self) -> None:
        """Over the whole window; after a prediction's reveal, over the page side only."""
        if self.view is None:
            return
        area = self.window.rect()
        central = self.window.centralWidget()
        if central is not None:
            area = central.geometry()
        if self._splitter is not None:
            left = self.ctx.layout.splitter_sizes()[0] + 8
            area = QRect(area.x() + left, area.y(), max(200, area.width() - left), area.height())
        self.view.setGeometry(area)

    def _show(self) -> None:
        if self.view is None or self.state is None:
            return
        explanation = ""
        if self.state.revealed and self.question is not None and self.question.explanation:
            from app.knowledge.render import markdown_to_html

            explanation = markdown_to_html(self.question.explanation)
        self.view.show_state(self.state, current=self.current, typing=self.typing, model_lines=self.model_lines(),
                             explanation_html=explanation, compact=self._splitter is not None)

    # --- keys ---------------------------------------------------------------------------------------------
    def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001
        kind = event.type()
        if obj is self.window and kind in (QEvent.Type.Resize, QEvent.Type.WindowStateChange):
            if self.is_open:
                self._place()
                QTimer.singleShot(0, self._show)  # sizes in pixels follow the new height
                # Entering presentation mode (F5) with the poll open installs the clicker keys'
                # filter after this one; the last installed runs first, so this one moves in front.
                app = QApplication.instance()
                app.removeEventFilter(self)
                app.installEventFilter(self)
            return False
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not self.is_open:
            return False
        if QApplication.activeModalWidget() is not None or not isinstance(obj, QWidget) \
                or obj.window() is not self.window:
            return False
        if not self._handles(event):
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # no shortcut (Esc: leave presentation) and no clicker key takes it
            return True
        if not event.isAutoRepeat() or event.key() == Qt.Key.Key_Backspace:
            self._key(event)
        return True

    def _handles(self, event) -> bool:  # noqa: ANN001
        mods = event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier)
        if mods:
            return False
        key = event.key()
        return (Qt.Key.Key_A <= key <= Qt.Key.Key_Z or Qt.Key.Key_0 <= key <= Qt.Key.Key_9
                or key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete, Qt.Key.Key_Return, Qt.Key.Key_Enter,
                           Qt.Key.Key_Escape, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Minus, *CLICKER_KEYS))

    def _key(self, event) -> None:  # noqa: ANN001
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.close()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.reveal()
        elif key in (Qt.Key.Key_Tab, Qt.Key.Key_Down):
            self.next_item(1)
        elif key in (Qt.Key.Key_Backtab, Qt.Key.Key_Up):
            self.next_item(-1)
        elif key == Qt.Key.Key_Delete:
            self.clear_counts()
        elif Qt.Key.Key_A <= key <= Qt.Key.Key_Z:
            self._letter(chr(key))
        elif Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self._digit(chr(key))
        elif key == Qt.Key.Key_Minus:
            letter = self.typing[:1] or "?"
            self._refuse(f"Counts cannot be negative; {letter} keeps its count")
        elif key == Qt.Key.Key_Backspace and self.typing:
            self.typing = self.typing[:-1]
            if len(self.typing) > 1:
                self.set_count(self.typing[0], self.typing[1:])
            elif len(self.typing) == 1:
                self.set_count(self.typing, "0")
            else:
                self._show()
        # the clicker keys do nothing while a poll is open: the tour behind it stays where it is

    def _letter(self, letter: str) -> None:
        assert self.state is not None
        letters = [o.letter for o in self.state.items[self.current].options]
        if letter not in letters:
            self._refuse(f"There is no option {letter} (options {letters[0]}–{letters[-1]})")
            return
        self.typing = letter
        self._say(f"Counting {letter}: type the number of hands")
        self._show()

    def _digit(self, digit: str) -> None:
        if not self.typing:
            self._refuse("Type the option's letter first, then its count")
            return
        if self.set_count(self.typing[0], self.typing[1:] + digit):
            self.typing += digit
            self._show()
