"""Class polls from bank questions: lettered options, typed vote counts, the reveal (and, for a
prediction, the model's answer with its traced path)."""

from __future__ import annotations

import pytest

from app.model.simulation import Model
from app.quiz.bank import Bank
from app.quiz.grading import model_directions
from app.quiz.poll import PollError, can_poll, poll_from_question
from app.quiz.questions import MultipleAnswer, Ordering, Predict, SingleChoice, TrueFalse


def _first(bank: Bank, cls: type):
    return next(q for q in bank.questions if isinstance(q, cls) and not q.generated)


def test_a_choice_question_becomes_lettered_options_in_file_order(bank: Bank) -> None:
    q = _first(bank, SingleChoice)
    poll = poll_from_question(q)
    [item] = poll.items
    assert [o.letter for o in item.options] == ["A", "B", "C", "D"][: len(q.choices)]
    assert [o.text for o in item.options] == [c.text for c in q.choices]
    assert item.votes == (0,) * len(q.choices) and item.shares() == (0.0,) * len(q.choices)
    assert not poll.revealed and poll.hall_right() is None


def test_counts_are_typed_in_and_the_reveal_marks_the_answer(bank: Bank) -> None:
    q = _first(bank, SingleChoice)
    right = next(i for i, c in enumerate(q.choices) if c.id == q.answer)
    letter = "ABCD"[right]
    wrong = "ABCD"[(right + 1) % len(q.choices)]
    poll = poll_from_question(q).set_votes(letter, 30).set_votes(wrong, 10).add_vote(wrong, 2)
    item = poll.items[0]
    assert item.total == 42 and item.votes[right] == 30
    assert item.shares()[right] == pytest.approx(30 / 42)
    shown = poll.reveal(question=q)
    assert shown.revealed and shown.reveal_data.items[0].correct == (letter,)
    assert shown.reveal_data.explanation == q.explanation
    assert shown.hall_right() == pytest.approx(30 / 42)
    again = shown.cleared()
    assert not again.revealed and again.items[0].total == 0


def test_multiple_and_true_false_reveal_their_right_letters(bank: Bank) -> None:
    q = _first(bank, MultipleAnswer)
    poll = poll_from_question(q).reveal(question=q)
    expected = tuple("ABCDEFG"[i] for i, c in enumerate(q.choices) if c.id in q.answers)
    assert poll.reveal_data.items[0].correct == expected
    tf = _first(bank, TrueFalse)
    poll = poll_from_question(tf)
    assert [o.text for o in poll.items[0].options] == ["True", "False"]
    assert poll.reveal(question=tf).reveal_data.items[0].correct == ("A" if tf.answer else "B",)


def test_a_prediction_polls_each_target_and_reveals_the_model_answer(bank: Bank, model: Model) -> None:
    q = _first(bank, Predict)
    labels = {t: model.pathway.node(t).label for t in q.targets}
    poll = poll_from_question(q, labels=labels)
    assert [it.key for it in poll.items] == list(q.targets)
    assert [it.label for it in poll.items] == [labels[t] for t in q.targets]
    assert [o.text for o in poll.items[0].options] == ["Goes up", "Goes down", "No change"]
    poll = poll.set_votes("B", 12, item=q.targets[0]).set_votes("A", 5, item=1)
    assert poll.items[0].votes == (0, 12, 0) and poll.items[1].votes == (5, 0, 0)
    with pytest.raises(PollError, match="model"):
        poll.reveal(question=q)
    shown = poll.reveal(model, question=q)
    expected = model_directions(model, q)
    for item, rev in zip(shown.items, shown.reveal_data.items, strict=True):
        direction = expected[item.key][0]
        assert rev.correct == ({"up": "A", "down": "B", "none": "C"}[direction],)
        if direction != "none":
            assert rev.path and rev.path[-1] == item.key and rev.why
        assert rev.delta == pytest.approx(expected[item.key][1])


def test_polls_refuse_what_they_cannot_do(bank: Bank) -> None:
    order = _first(bank, Ordering)
    assert not can_poll(order)
    with pytest.raises(PollError, match="ordering question cannot be polled"):
        poll_from_question(order)
    q = _first(bank, SingleChoice)
    poll = poll_from_question(q)
    with pytest.raises(PollError, match="no option 'Z'"):
        poll.set_votes("Z", 1)
    for bad in (-1, 1.5, True, 10**9):
        with pytest.raises(PollError, match="whole number"):
            poll.set_votes("A", bad)
    with pytest.raises(PollError, match="no poll item 3"):
        poll.set_votes("A", 1, item=3)
    other = _first(bank, TrueFalse)
    with pytest.raises(PollError, match="question the poll was made from"):
        poll.reveal(question=other)
    assert poll.add_vote("A", -5).items[0].votes[0] == 0  # never below zero
