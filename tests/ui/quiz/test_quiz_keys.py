"""Quiz questions answered with the keyboard alone, keys pressed where the focus is (as Qt delivers
them, window shortcuts included): the footer under each question says which keys work, and they do."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QRadioButton

from app.quiz.grading import model_directions
from app.quiz.questions import ClickNode, Predict, SingleChoice, TrueFalse
from app.ui.quiz.views import AnswerView, make_view

CONTENT = Path(__file__).resolve().parents[3] / "content"
KEY = Qt.Key


def start(qtbot, window, kind: str, *, seed: int = 4):  # noqa: ANN001, ANN202
    """Quiz ▸ Practice, one kind of question, Start: the first answer control has the focus."""
    quiz = window.features["quiz"]
    quiz.act_practice.trigger()
    panel = quiz.panel
    panel.seed = seed
    panel.type_combo.setCurrentIndex(panel.type_combo.findData(kind))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.stack.currentWidget() is panel.question_page
    qtbot.waitUntil(lambda: panel.view.isAncestorOf(QApplication.focusWidget()))
    return panel


def press(qtbot, key: Qt.Key, mods=Qt.KeyboardModifier.NoModifier) -> None:  # noqa: ANN001
    """A key pressed wherever the focus is now."""
    qtbot.keyClick(QApplication.focusWidget(), key, mods)


def test_predict_rows_are_marked_with_1_2_3_as_the_footer_says(qtbot, window) -> None:
    panel = start(qtbot, window, "predict")
    q = panel.session.current
    assert isinstance(q, Predict)
    footer = panel.keys_label.text()
    assert footer == panel.view.keys and "1 up, 2 down, 3 no change" in footer
    truth = model_directions(window.model_controller.model, q)
    number = {"up": KEY.Key_1, "down": KEY.Key_2, "none": KEY.Key_3}
    for target in q.targets:  # the focus moves on to the next node after each mark
        press(qtbot, number[truth[target][0]])
    assert panel.view.response() == {t: truth[t][0] for t in q.targets}
    assert window.model_controller.state.t_years == 0 and not window.model_controller.playing
    press(qtbot, KEY.Key_Return)
    assert panel.session.grade_of().correct


def test_predict_marks_the_row_in_focus_and_space_and_arrows_stay_with_the_choices(qtbot, window) -> None:
    panel = start(qtbot, window, "predict")
    q = panel.session.current
    assert len(q.targets) >= 2
    second = panel.view.groups[q.targets[1]]
    second.button(1).setFocus()
    press(qtbot, KEY.Key_2)
    assert second.checkedButton() is second.button(2)
    assert panel.view.groups[q.targets[0]].checkedButton() is None
    first = panel.view.groups[q.targets[0]].button(3)
    first.setFocus()
    press(qtbot, KEY.Key_Space)  # a radio button takes Space: no Play
    assert first.isChecked() and not window.model_controller.playing
    press(qtbot, KEY.Key_Left)  # and the arrows: no Step
    assert window.model_controller.state.t_years == 0


def test_true_false_keys_t_and_f_beat_the_windows_f_for_fit(qtbot, window) -> None:
    panel = start(qtbot, window, "truefalse")
    assert isinstance(panel.session.current, TrueFalse)
    assert "F false" in panel.keys_label.text()
    assert isinstance(QApplication.focusWidget(), QRadioButton)
    window.view.zoom_by(1.5)
    zoom = window.view.zoom()
    press(qtbot, KEY.Key_F)
    assert panel.view.response() is False and window.view.zoom() == zoom  # not "fit the diagram"
    press(qtbot, KEY.Key_T)
    assert panel.view.response() is True


def test_choice_numbers_work_where_the_focus_is(qtbot, window) -> None:
    panel = start(qtbot, window, "single", seed=5)
    q = panel.session.current
    assert isinstance(q, SingleChoice)
    assert "1–9 choose an option" in panel.keys_label.text()
    right = next(i for i, c in enumerate(q.choices, start=1) if c.id == q.answer)
    press(qtbot, Qt.Key(KEY.Key_0 + right))
    assert panel.view.response() == q.answer
    press(qtbot, KEY.Key_Return)
    assert panel.session.grade_of().correct


def test_click_the_node_by_keyboard(qtbot, window) -> None:
    panel = start(qtbot, window, "click_node", seed=2)
    q = panel.session.current
    assert isinstance(q, ClickNode)
    assert "F6" in panel.keys_label.text() and "Enter chooses" in panel.keys_label.text()
    while QApplication.focusWidget() is not window.view:  # F6 to the diagram, as the footer says
        press(qtbot, KEY.Key_F6)
    answer = sorted(q.answers)[0]
    window.view.set_keyboard_cursor(answer)
    press(qtbot, KEY.Key_Return)
    assert answer in panel.view.chosen


def test_every_view_says_which_keys_it_takes(qtbot, window) -> None:
    bank = window.features["quiz"].open_panel(show=False).bank()
    kinds = {}
    for q in bank.questions:
        kinds.setdefault(type(q).__name__, q)
    labels = {n.id: n.label for n in window.content.pathway.nodes}
    for q in kinds.values():
        view = make_view(q, seed=1, labels=labels, connect_clicks=lambda slot: lambda: None)
        assert view.keys.startswith("Keys:") and "Enter" in view.keys, type(view).__name__
        if view.keys == AnswerView.keys:  # promises the number keys: they must pick something
            assert view.pick(1), type(view).__name__
