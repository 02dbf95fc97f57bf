"""One answer widget per question type (choices, true/false, click-the-node, predict, ordering,
matching, numeric). Each shows a question, returns the response, and shows the grade; none grades."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.quiz.grading import Grade, Mark
from app.quiz.questions import (
    ClickNode,
    Matching,
    MultipleAnswer,
    Numeric,
    Ordering,
    Predict,
    Question,
    SingleChoice,
    TrueFalse,
)
from app.ui.palette import current
from app.ui.text import plain_label, tip


def ok_colour() -> str:
    """Right answers: a green with at least 4.5:1 on the current scheme's background."""
    return current().ok


def bad_colour() -> str:
    """Wrong answers: a red with at least 4.5:1 on the current scheme's background."""
    return current().bad


ARROWS = {"up": "▲ up", "down": "▼ down", "none": "– no change"}


def _wrap_label(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    if name:
        label.setAccessibleName(name)
    return label


class AnswerView(QWidget):
    """Base: `response()` gives the answer (None while incomplete, with `missing` saying what is
    missing); `show_grade` marks what was right; `set_locked` stops editing."""

    changed = Signal()  # the answer was edited

    missing = "Choose an answer first."
    keys = "Keys: 1–9 choose an option, Enter submits and goes on."  # the panel's footer, kept true by tests
    claimed_keys: frozenset[int] = frozenset(range(Qt.Key.Key_1, Qt.Key.Key_9 + 1))  # see event()

    def __init__(self, question: Question) -> None:
        super().__init__()
        self.question = question
        self.setAccessibleName(f"Answer to question {question.id}")

    def event(self, event: QEvent) -> bool:
        # The keys the footer promises are this view's, even where the window binds them to a
        # shortcut (F fits the diagram): the focused option ignores them and they come up here.
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.key() in self.claimed_keys \
                and not event.modifiers() & ~(Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier):
            event.accept()
            return True
        return super().event(event)

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Every concrete view (public name) must say how its answer reads: checked at import."""
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_") and not callable(getattr(cls, "response", None)):
            raise TypeError(f"{cls.__name__} must define response()")

    # response(self) -> object | None: the answer, or None while incomplete (each view defines it)

    def pick(self, number: int) -> bool:
        """Number key `number` (1-based) pressed: choose that option if there is one."""
        return False

    def set_locked(self, locked: bool) -> None:
        for child in self.findChildren(QWidget):
            if not isinstance(child, QLabel):
                child.setEnabled(not locked)

    def show_grade(self, grade: Grade | None) -> None:
        """Mark the right and wrong parts (None: clear the marks)."""

    def detach(self) -> None:
        """Disconnect from anything outside the widget (the diagram)."""


# --- choices ---------------------------------------------------------------------------------
class _ClickLabel(QLabel):
    """The wrapped text of an option: clicking it clicks its button, as a button's own text would."""

    def __init__(self, text: str, button: QRadioButton | QCheckBox) -> None:
        super().__init__(text)
        self.button = button
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802, ANN001
        if event.button() == Qt.MouseButton.LeftButton and self.button.isEnabled():
            self.button.click()
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


class _ChoiceView(AnswerView):
    def __init__(self, question: SingleChoice | MultipleAnswer, exclusive: bool) -> None:
        super().__init__(question)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(8)
        self.group = QButtonGroup(self)
        self.group.setExclusive(exclusive)
        self.buttons: dict[str, QRadioButton | QCheckBox] = {}
        self.texts: dict[str, QLabel] = {}
        for i, choice in enumerate(question.choices, start=1):
            cls = QRadioButton if exclusive else QCheckBox
            button = cls(f"&{i}" if i < 10 else "")
            button.setAccessibleName(choice.text)
            button.setToolTip(tip(f"Key {i}: {choice.text}" if i < 10 else choice.text))
            button.toggled.connect(lambda _=False: self.changed.emit())
            self.group.addButton(button, i)
            self.buttons[choice.id] = button
            label = _ClickLabel(choice.text, button)
            self.texts[choice.id] = label
            grid.addWidget(button, i, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, i, 1)
        grid.setColumnStretch(1, 1)

    def pick(self, number: int) -> bool:
        button = self.group.button(number)
        if button is None or not button.isEnabled():
            return False
        button.click() if self.group.exclusive() else button.toggle()
        button.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def _mark(self, right: set[str]) -> None:
        for cid, button in self.buttons.items():
            style = ""
            if cid in right:
                style = f"color: {ok_colour()}; font-weight: bold;"
            elif button.isChecked():
                style = f"color: {bad_colour()}; text-decoration: line-through;"
            self.texts[cid].setStyleSheet(style)


class SingleChoiceView(_ChoiceView):
    def __init__(self, question: SingleChoice) -> None:
        super().__init__(question, exclusive=True)

    def response(self) -> str | None:
        return next((cid for cid, b in self.buttons.items() if b.isChecked()), None)

    def show_grade(self, grade: Grade | None) -> None:
        q = self.question
        assert isinstance(q, SingleChoice)
        self._mark({q.answer} if grade is not None else set())
        if grade is None:
            for label in self.texts.values():
                label.setStyleSheet("")


class MultipleAnswerView(_ChoiceView):
    missing = "Tick at least one option first."

    def __init__(self, question: MultipleAnswer) -> None:
        super().__init__(question, exclusive=False)

    def response(self) -> frozenset[str] | None:
        ticked = frozenset(cid for cid, b in self.buttons.items() if b.isChecked())
        return ticked or None

    def show_grade(self, grade: Grade | None) -> None:
        q = self.question
        assert isinstance(q, MultipleAnswer)
        self._mark(set(q.answers) if grade is not None else set())
        if grade is None:
            for label in self.texts.values():
                label.setStyleSheet("")


class TrueFalseView(_ChoiceView):
    keys = "Keys: 1 or T true, 2 or F false, Enter submits and goes on."
    claimed_keys = AnswerView.claimed_keys | {Qt.Key.Key_T, Qt.Key.Key_F}

    def __init__(self, question: TrueFalse) -> None:
        from app.quiz.questions import Choice

        fake = SingleChoice(id=question.id, section=question.section, nodes=question.nodes,
                            difficulty=question.difficulty, prompt=question.prompt, explanation="",
                            page=question.page, choices=(Choice(id="true", text="True"),
                                                          Choice(id="false", text="False")), answer="true")
        super().__init__(fake, exclusive=True)
        self.question = question

    def response(self) -> bool | None:
        if self.buttons["true"].isChecked():
            return True
        if self.buttons["false"].isChecked():
            return False
        return None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = {Qt.Key.Key_T: 1, Qt.Key.Key_F: 2}.get(Qt.Key(event.key()))
        if key and self.pick(key):
            return
        super().keyPressEvent(event)

    def show_grade(self, grade: Grade | None) -> None:
        q = self.question
        assert isinstance(q, TrueFalse)
        if grade is None:
            for label in self.texts.values():
                label.setStyleSheet("")
            return
        self._mark({"true" if q.answer else "false"})


# --- click the node on the diagram --------------------------------------------------------------
class ClickNodeView(AnswerView):
    """Answered on the live diagram, then submitted: with one answer a click chooses the node (a
    click on another changes the choice); with several each click adds or removes a node."""

    missing = "Click a node on the diagram first."
    keys = ("Keys: F6 goes to the diagram, where the arrow keys move between nodes and Enter chooses one; "
            "Enter here submits.")
    claimed_keys = frozenset()

    def __init__(self, question: ClickNode, *, labels: Mapping[str, str],
                 connect: Callable[[Callable[[str], None]], Callable[[], None]]) -> None:
        super().__init__(question)
        self.labels = labels
        self.chosen: list[str] = []
        self.locked = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        n = len(question.answers)
        hint = ("Click the node on the diagram (on the left), then Submit; a click on another node "
                "changes your choice." if n == 1 else
                f"Click {n} nodes on the diagram (on the left); a second click removes a node. Then submit.")
        self.hint = _wrap_label(hint, "How to answer")
        self.hint.setStyleSheet("font-style: italic;")
        self.chosen_label = _wrap_label("Chosen: nothing yet", "Chosen nodes")
        clear = QPushButton("Clear")
        clear.setToolTip("Forget the nodes clicked so far")
        clear.setAccessibleName("Clear the chosen nodes")
        clear.clicked.connect(self._clear)
        clear.setVisible(n > 1)
        self.clear_button = clear
        row = QHBoxLayout()
        row.addWidget(self.chosen_label, 1)
        row.addWidget(clear)
        layout.addWidget(self.hint)
        layout.addLayout(row)
        self._disconnect = connect(self._on_scene_node_clicked)

    def _on_scene_node_clicked(self, node_id: str) -> None:
        if self.locked:
            return
        q = self.question
        assert isinstance(q, ClickNode)
        if len(q.answers) == 1:
            self.chosen = [node_id]
        elif node_id in self.chosen:
            self.chosen.remove(node_id)
        else:
            self.chosen.append(node_id)
        self._show_chosen()
        self.changed.emit()

    def _clear(self) -> None:
        self.chosen = []
        self._show_chosen()
        self.changed.emit()

    def _show_chosen(self) -> None:
        names = ", ".join(self.labels.get(n, n) for n in self.chosen) or "nothing yet"
        self.chosen_label.setText(f"Chosen: {names}")

    def response(self) -> frozenset[str] | None:
        return frozenset(self.chosen) or None

    def set_locked(self, locked: bool) -> None:
        self.locked = locked
        self.clear_button.setEnabled(not locked)

    def show_grade(self, grade: Grade | None) -> None:
        q = self.question
        assert isinstance(q, ClickNode)
        if grade is None:
            self.chosen_label.setStyleSheet("")
            self._show_chosen()
            return
        right = ", ".join(self.labels.get(n, n) for n in sorted(q.answers))
        colour = ok_colour() if grade.correct else bad_colour()
        self.chosen_label.setStyleSheet(f"color: {colour};")
        self.chosen_label.setText(self.chosen_label.text() + ("" if grade.correct else f" — the answer: {right}"))

    def detach(self) -> None:
        self._disconnect()


# --- predict the direction -------------------------------------------------------------------
class PredictView(AnswerView):
    """One row per target node: up / down / no change; after grading each row says what the
    model did, and "Show path" lights the chain that explains it on the diagram."""

    missing = "Mark every node (up, down or no change) first."
    keys = ("Keys: 1 up, 2 down, 3 no change for the node in focus (then the next node has it); "
            "Tab and the arrow keys move between the choices; Enter submits and goes on.")
    claimed_keys = frozenset({Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3})
    path_requested = Signal(object)  # Mark

    def __init__(self, question: Predict, *, labels: Mapping[str, str]) -> None:
        super().__init__(question)
        self.labels = labels
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        self.groups: dict[str, QButtonGroup] = {}
        self.result_labels: dict[str, QLabel] = {}
        self.path_buttons: dict[str, QPushButton] = {}
        self.marks: dict[str, Mark] = {}
        row = 0
        for node in question.targets:
            name = labels.get(node, node)
            grid.addWidget(QLabel(f"<b>{html.escape(name)}</b>"), row, 0, 1, 4)
            group = QButtonGroup(self)
            for col, (value, text) in enumerate(ARROWS.items(), start=1):
                button = QRadioButton(text)
                button.setAccessibleName(f"{name}: {text.split(' ', 1)[1]}")
                button.setProperty("direction", value)
                button.toggled.connect(lambda _=False: self.changed.emit())
                group.addButton(button, col)
                grid.addWidget(button, row + 1, col - 1)
            self.groups[node] = group
            result = _wrap_label("", f"Result for {name}")
            result.hide()
            path = QPushButton("Path")
            path.setToolTip(tip(f"Light the chain that moves {name} on the diagram"))
            path.setAccessibleName(f"Show the path to {name}")
            path.hide()
            path.clicked.connect(lambda _=False, n=node: n in self.marks and self.path_requested.emit(self.marks[n]))
            below = QHBoxLayout()
            below.setContentsMargins(12, 0, 0, 6)
            below.addWidget(result, 1)
            below.addWidget(path, 0, Qt.AlignmentFlag.AlignTop)
            grid.addLayout(below, row + 2, 0, 1, 4)
            self.result_labels[node] = result
            self.path_buttons[node] = path
            row += 3
        grid.setColumnStretch(3, 1)

    def set_mark(self, node: str, direction: str) -> None:
        """Mark `node` as going `direction` (up / down / none), as a click on its button would."""
        for b in self.groups[node].buttons():
            if b.property("direction") == direction:
                b.click()

    def pick(self, number: int) -> bool:
        """1 up, 2 down, 3 no change for the node whose choice has the focus (else the first node
        not yet marked); the focus then moves on to the next node."""
        if not 1 <= number <= len(ARROWS):
            return False
        nodes = list(self.groups)
        focus = self.focusWidget()
        here = next((i for i, n in enumerate(nodes) if focus in self.groups[n].buttons()), None)
        if here is None:
            here = next((i for i, n in enumerate(nodes) if self.groups[n].checkedButton() is None), None)
        if here is None:
            return False
        button = self.groups[nodes[here]].button(number)
        if button is None or not button.isEnabled():
            return False
        button.click()
        if here + 1 < len(nodes):
            after = self.groups[nodes[here + 1]]
            button = after.checkedButton() or after.button(1)
        button.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return True

    def response(self) -> dict[str, str] | None:
        out = {}
        for node, group in self.groups.items():
            b = group.checkedButton()
            if b is None:
                return None
            out[node] = str(b.property("direction"))
        return out

    def set_locked(self, locked: bool) -> None:
        for group in self.groups.values():
            for b in group.buttons():
                b.setEnabled(not locked)

    def show_grade(self, grade: Grade | None) -> None:
        for node, label in self.result_labels.items():
            label.setVisible(grade is not None)
            self.path_buttons[node].setVisible(False)
        if grade is None:
            return
        for mark in grade.marks:
            label = self.result_labels.get(mark.node)
            if label is None:
                continue
            ok = "✓" if mark.correct else "✗"
            colour = ok_colour() if mark.correct else bad_colour()
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setText(f"<span style='color:{colour}'><b>{ok} The model: {ARROWS[mark.expected]}.</b></span> "
                          f"{html.escape(mark.why)}")
            self.marks[mark.node] = mark
            button = self.path_buttons[mark.node]
            button.setVisible(bool(mark.path))
            button.setEnabled(True)


# --- order the steps -------------------------------------------------------------------------
class _OrderList(QListWidget):
    """A list whose rows move with drag and drop, or Alt+Up / Alt+Down."""

    moved = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        mods = event.modifiers()
        if mods & (Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.ControlModifier) and \
                event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
            return
        super().keyPressEvent(event)

    def move_current(self, step: int) -> None:
        row = self.currentRow()
        new = row + step
        if row < 0 or not 0 <= new < self.count():
            return
        item = self.takeItem(row)
        self.insertItem(new, item)
        self.setCurrentRow(new)
        self.moved.emit()

    def dropEvent(self, event) -> None:  # noqa: N802, ANN001
        super().dropEvent(event)
        self.moved.emit()


class OrderingView(AnswerView):
    missing = ""
    keys = "Keys: Alt+Up / Alt+Down move the selected step; Enter submits and goes on."
    claimed_keys = frozenset()

    def __init__(self, question: Ordering, *, seed: int | str) -> None:
        super().__init__(question)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(_wrap_label("Drag the steps into order (first at the top), or select one and press "
                                     "Alt+Up / Alt+Down.", "How to answer"))
        self.list = _OrderList()
        self.list.setAccessibleName("Steps in your order")
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        for step in question.presented(seed):
            item = QListWidgetItem(step.text)
            item.setData(Qt.ItemDataRole.UserRole, step.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.moved.connect(self.changed.emit)
        self.list.setMinimumHeight(min(260, 34 * self.list.count() + 8))
        buttons = QHBoxLayout()
        for text, step, hint in (("Move up", -1, "Move the selected step up (Alt+Up)"),
                                 ("Move down", 1, "Move the selected step down (Alt+Down)")):
            b = QPushButton(text)
            b.setToolTip(hint)
            b.setAccessibleName(hint)
            b.clicked.connect(lambda _=False, s=step: self.list.move_current(s))
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def order(self) -> list[str]:
        return [self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())]

    def response(self) -> list[str]:
        return self.order()

    def show_grade(self, grade: Grade | None) -> None:
        q = self.question
        assert isinstance(q, Ordering)
        correct = q.correct_order
        for i in range(self.list.count()):
            item = self.list.item(i)
            sid = item.data(Qt.ItemDataRole.UserRole)
            text = next(s.text for s in q.steps if s.id == sid)
            if grade is None:
                item.setText(text)
                item.setForeground(self.palette().text())
            else:
                ok = correct.index(sid) == i
                item.setText(f"{'✓' if ok else '✗'} {text}" + ("" if ok else f"  (step {correct.index(sid) + 1})"))
                from PySide6.QtGui import QColor

                item.setForeground(QColor(ok_colour() if ok else bad_colour()))


# --- matching --------------------------------------------------------------------------------
class MatchingView(AnswerView):
    missing = "Choose a match for every item first."
    keys = "Keys: Tab moves between the items, the arrow keys choose a match; Enter submits and goes on."
    claimed_keys = frozenset()

    def __init__(self, question: Matching, *, seed: int | str) -> None:
        super().__init__(question)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.combos: dict[str, QComboBox] = {}
        options = question.right_options(seed)
        for row, (left, _) in enumerate(question.pairs):
            label = _wrap_label(left)
            combo = QComboBox()
            combo.addItem("— choose —", None)
            for opt in options:
                combo.addItem(opt, opt)
            combo.setAccessibleName(f"Match for {left}")
            combo.setToolTip(tip(f"What goes with {left}?"))
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.currentIndexChanged.connect(lambda _=0: self.changed.emit())
            label.setBuddy(combo)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
            self.combos[left] = combo
        grid.setColumnStretch(1, 1)

    def choose(self, left: str, right: str) -> None:
        combo = self.combos[left]
        combo.setCurrentIndex(combo.findData(right))

    def response(self) -> dict[str, str] | None:
        out = {left: c.currentData() for left, c in self.combos.items()}
        return None if any(v is None for v in out.values()) else out

    def show_grade(self, grade: Grade | None) -> None:
        q = self.question
        assert isinstance(q, Matching)
        for left, combo in self.combos.items():
            if grade is None:
                combo.setStyleSheet("")
                combo.setToolTip(tip(f"What goes with {left}?"))
                continue
            ok = combo.currentData() == q.key[left]
            combo.setStyleSheet(f"color: {ok_colour() if ok else bad_colour()};")
            combo.setToolTip("Right" if ok else tip(f"The match: {q.key[left]}"))


# --- numeric ---------------------------------------------------------------------------------
class NumericView(AnswerView):
    missing = "Type a number first (for example 2.5)."
    keys = "Keys: type the number; Enter submits and goes on."
    claimed_keys = frozenset()

    def __init__(self, question: Numeric) -> None:
        super().__init__(question)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("a number, e.g. 2.5")
        self.edit.setAccessibleName("Your number")
        self.edit.setToolTip("Type a number; a comma or a point both work as the decimal mark")
        self.edit.setMaximumWidth(180)
        self.edit.textChanged.connect(lambda _="": self.changed.emit())
        row.addWidget(self.edit)
        if question.unit:
            row.addWidget(plain_label(question.unit))
        row.addStretch(1)

    def response(self) -> float | None:
        text = self.edit.text().strip().replace(",", ".").replace("−", "-").replace(" ", "")
        if not text:
            self.missing = "Type a number first (for example 2.5)."
            return None
        try:
            value = float(text)
        except ValueError:
            self.missing = f"“{self.edit.text().strip()}” is not a number; type digits such as 2.5 or -1."
            return None
        if value != value or value in (float("inf"), float("-inf")):
            self.missing = "Type a finite number."
            return None
        return value

    def show_grade(self, grade: Grade | None) -> None:
        colour = "" if grade is None else (ok_colour() if grade.correct else bad_colour())
        self.edit.setStyleSheet(f"color: {colour};" if colour else "")


def make_view(question: Question, *, seed: int | str, labels: Mapping[str, str],
              connect_clicks: Callable[[Callable[[str], None]], Callable[[], None]]) -> AnswerView:
    """The answer widget for `question`."""
    if isinstance(question, SingleChoice):
        return SingleChoiceView(question)
    if isinstance(question, MultipleAnswer):
        return MultipleAnswerView(question)
    if isinstance(question, TrueFalse):
        return TrueFalseView(question)
    if isinstance(question, ClickNode):
        return ClickNodeView(question, labels=labels, connect=connect_clicks)
    if isinstance(question, Predict):
        return PredictView(question, labels=labels)
    if isinstance(question, Ordering):
        return OrderingView(question, seed=seed)
    if isinstance(question, Matching):
        return MatchingView(question, seed=seed)
    if isinstance(question, Numeric):
        return NumericView(question)
    raise TypeError(f"no view for question type {type(question).__name__}")


__all__ = ["AnswerView", "Mark", "make_view"]
