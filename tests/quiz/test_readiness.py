"""Readiness explained: question states from first tries, section states with their reason and next
action, the study path ticked, the exam verdict, "retry my mistakes" and when the next review is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.knowledge.learning import Learning, load_learning
from app.quiz.bank import Bank
from app.quiz.questions import MultipleAnswer, SingleChoice
from app.quiz.readiness import (
    Attempt,
    Rules,
    draw_mistakes,
    due_status,
    exam_verdict,
    first_tries,
    mistakes,
    overall,
    path_progress,
    question_progress,
    section_readiness,
    wait_text,
)
from app.quiz.session import QuizSession
from app.quiz.store import AnswerRecord, ProgressStore

CONTENT = Path(__file__).resolve().parents[2] / "content"
T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def learning() -> Learning:
    return load_learning(CONTENT)


@pytest.fixture
def store(tmp_path: Path):
    with ProgressStore(tmp_path / "p.sqlite3") as s:
        yield s


def _section(bank: Bank, section: str) -> list:
    return [q for q in bank.questions if q.section == section and not q.generated]


def _row(bank: Bank, store: ProgressStore, learning: Learning, section: str, now: datetime, **rules):
    rows = section_readiness(bank=bank, store=store, learning=learning, rules=Rules(**rules), now=now)
    return next(r for r in rows if r.section == section)


# --- question states ----------------------------------------------------------------------------

def _rec(i: int, qid: str, score: float, at: datetime, session: str = "") -> AnswerRecord:
    return AnswerRecord(id=i, question_id=qid, answered_at=at, score=score, mode="practice", response=None,
                        session=session)


def test_second_tries_in_a_session_are_not_first_tries() -> None:
    history = [_rec(1, "q", 0.0, T0, "s1"), _rec(2, "q", 1.0, T0, "s1"), _rec(3, "q", 1.0, T0, "s2"),
               _rec(4, "r", 1.0, T0), _rec(5, "r", 0.0, T0)]
    tries = first_tries(reversed(history))  # the store lists newest first
    assert [a.score for a in tries["q"]] == [0.0, 1.0]
    assert [a.score for a in tries["r"]] == [1.0, 0.0]  # answers outside a session all count


@pytest.mark.parametrize(("scores_hours", "status"), [
    ((), "unseen"),
    (((1.0, 0),), "once"),
    (((1.0, 0), (1.0, 2)), "once"),  # right twice, but the same morning
    (((1.0, 0), (1.0, 21)), "secure"),
    (((1.0, 0), (1.0, 21), (0.5, 48)), "missed"),  # partly right counts as a mistake
    (((0.0, 0), (1.0, 30)), "once"),
])
def test_question_states(scores_hours: tuple, status: str) -> None:
    tries = tuple(Attempt(at=T0 + timedelta(hours=h), score=s) for s, h in scores_hours)
    p = question_progress("q", tries, Rules())
    assert p.status == status
    if status == "once":
        first_right = next(a.at for a in tries if a.right)
        assert p.secure_from == first_right + timedelta(hours=20)


def test_rules_are_checked_and_explained() -> None:
    with pytest.raises(ValueError, match="pass_mark"):
        Rules(pass_mark=1.5)
    with pytest.raises(ValueError, match="spacing"):
        Rules(spacing=timedelta(0))
    text = Rules(target=0.9, spacing=timedelta(hours=24)).explain()
    assert "90%" in text and "24 hours" in text and "partly right answer counts as a mistake" in text


# --- sections -----------------------------------------------------------------------------------

def test_a_fresh_store_has_every_section_not_started_and_points_to_the_first_page(
        bank: Bank, store: ProgressStore, learning: Learning) -> None:
    rows = section_readiness(bank=bank, store=store, learning=learning, now=T0)
    assert [r.section for r in rows] == list(learning.sections)
    assert {r.state for r in rows} == {"not_started"}
    first = rows[0]
    assert first.action.kind == "read_page" and first.action.target == "topic:s1-introduction"
    assert "none of its 12 questions is answered" in first.reason
    line, action = overall(rows)
    assert line.startswith("0 of 14 sections ready") and action == first.action


def test_the_next_action_follows_what_holds_a_section_back(bank: Bank, store: ProgressStore,
                                                            learning: Learning) -> None:
    qs = _section(bank, "2.2")
    n, need = len(qs), -(-len(qs) * 8 // 10)
    now = T0
    row = _row(bank, store, learning, "2.2", now)
    assert (row.state, row.action.kind) == ("not_started", "read_page")

    store.record_page_read("topic:s2-2-osteoclasts", now=now)
    row = _row(bank, store, learning, "2.2", now)
    assert (row.state, row.action.kind, row.action.count) == ("learning", "answer_questions", need)
    assert row.action.text == f"Answer {need} more questions on 2.2 Iron and osteoclasts."

    store.record_answer(qs[0].id, 0.5, session="a", now=now)  # partly right: a mistake
    row = _row(bank, store, learning, "2.2", now)
    assert row.action.kind == "retry_mistakes" and row.action.question_ids == (qs[0].id,)
    assert row.missed == 1 and "1 wrong or partly wrong" in row.reason

    for q in qs:  # every first try right in a new session
        store.record_answer(q.id, 1.0, session="b", now=now + timedelta(minutes=5))
    row = _row(bank, store, learning, "2.2", now + timedelta(minutes=6))
    assert row.state == "nearly_ready" and row.right_now == n and row.secure == 0
    assert row.action.kind == "take_tour" and row.action.target == "iron-feeds-osteoclasts"

    store.record_tour_finished("iron-feeds-osteoclasts", now=now)
    row = _row(bank, store, learning, "2.2", now + timedelta(minutes=6))
    assert row.state == "nearly_ready" and row.action.kind == "answer_again"
    assert row.action.count == need and row.action.when == now + timedelta(minutes=5, hours=20)
    assert "in 20 h" in row.action.text

    later = now + timedelta(days=1)
    for q in qs[:need]:
        store.record_answer(q.id, 1.0, session="c", now=later)
    row = _row(bank, store, learning, "2.2", later)
    assert (row.state, row.secure, row.action.kind) == ("ready", need, "keep_fresh")
    assert row.label == "Ready" and row.mastery == pytest.approx((need + 0.5 * (n - need)) / n)


def test_a_second_try_in_the_same_session_does_not_make_a_question_right(bank: Bank, store: ProgressStore,
                                                                          learning: Learning) -> None:
    q = next(q for q in _section(bank, "2.1") if isinstance(q, SingleChoice))
    s = QuizSession(mode="practice", questions=(q,), store=store)
    s.submit(next(c.id for c in q.choices if c.id != q.answer), now=T0)
    s.retry()
    s.submit(q.answer, now=T0 + timedelta(seconds=10))
    row = _row(bank, store, learning, "2.1", T0 + timedelta(minutes=1))
    assert row.questions[q.id].status == "missed" and row.missed == 1


# --- the study path -----------------------------------------------------------------------------

def test_the_study_path_ticks_pages_tours_and_quiz_steps(bank: Bank, store: ProgressStore,
                                                         learning: Learning) -> None:
    path = path_progress(bank=bank, store=store, learning=learning)
    assert path is not None and path.done_count == 0
    assert path.next.step.key == "topic:overview" and path.next.title == "Welcome to IronBone"
    store.record_page_read("topic:overview", now=T0)
    store.record_page_read("topic:s1-introduction", now=T0)
    store.record_tour_finished("iron-after-menopause", now=T0)
    qs = _section(bank, "1")
    half = -(-len(qs) // 2)
    for i, q in enumerate(qs[:half]):  # half answered, all but one right: at least 70 % right
        store.record_answer(q.id, 0.0 if i == 0 else 1.0, now=T0)
    path = path_progress(bank=bank, store=store, learning=learning)
    done = [s.step.key for s in path.steps if s.done]
    assert done == ["topic:overview", "topic:s1-introduction", "tour:iron-after-menopause", "quiz:1"]
    quiz = path.steps[3]
    assert quiz.title == "Questions on 1 Introduction: why iron builds up after menopause"
    assert quiz.detail == f"{half} of {len(qs)} answered, {(half - 1) / half:.0%} right"
    assert path.next.step.key == "topic:s2-bone-metabolism"


def test_a_quiz_step_with_too_few_right_is_not_done(bank: Bank, store: ProgressStore, learning: Learning) -> None:
    qs = _section(bank, "2")
    for q in qs:
        store.record_answer(q.id, 0.0, now=T0)
    step = next(s for s in path_progress(bank=bank, store=store, learning=learning).steps if s.step.key == "quiz:2")
    assert not step.done and step.detail == f"{len(qs)} of {len(qs)} answered, 0% right"


def test_without_a_study_path_there_is_no_path_progress(bank: Bank, store: ProgressStore,
                                                         learning: Learning) -> None:
    from dataclasses import replace

    assert path_progress(bank=bank, store=store, learning=replace(learning, path=None)) is None


# --- exams --------------------------------------------------------------------------------------

def _exam(bank: Bank, right_by_section: dict[str, tuple[int, int]]) -> QuizSession:
    """An exam of single-choice questions: per section (right, asked)."""
    questions, answers = [], []
    for section, (right, asked) in right_by_section.items():
        qs = [q for q in _section(bank, section) if isinstance(q, SingleChoice)][:asked]
        assert len(qs) == asked, section
        for i, q in enumerate(qs):
            questions.append(q)
            answers.append(q.answer if i < right else next(c.id for c in q.choices if c.id != q.answer))
    s = QuizSession(mode="exam", questions=tuple(questions))
    for a in answers:
        s.submit(a)
        s.next()
    return s


def test_the_exam_verdict_names_the_sections_to_revisit(bank: Bank, learning: Learning) -> None:
    report = _exam(bank, {"2.1": (4, 4), "2.2": (0, 2), "3.3": (2, 4)}).finish()
    verdict = exam_verdict(report, pass_mark=0.7, learning=learning)
    assert not verdict.passed and verdict.fraction == pytest.approx(6 / 10)
    assert [r.section for r in verdict.revisit] == ["2.2", "3.3"]  # weakest first
    assert verdict.revisit[0].page == "topic:s2-2-osteoclasts"
    assert verdict.summary == ("Not passed yet: 60% (pass mark 70%). Revisit 2.2 Iron and osteoclasts (0%) "
                               "and 3.3 Iron and H-type vessels in bone (50%).")
    lenient = exam_verdict(report, pass_mark=0.5, learning=learning)
    assert lenient.passed and [r.section for r in lenient.revisit] == ["2.2"]
    assert lenient.summary.startswith("Passed: 60% (pass mark 50%). Revisit 2.2")
    with pytest.raises(ValueError, match="pass mark"):
        exam_verdict(report, pass_mark=0)


def test_an_exam_with_every_section_passed_says_so(bank: Bank) -> None:
    verdict = exam_verdict(_exam(bank, {"1": (3, 3)}).finish())
    assert verdict.passed and verdict.revisit == ()
    assert verdict.summary == "Passed: 100% (pass mark 70%). Every section is at or above the pass mark."


# --- retry my mistakes ----------------------------------------------------------------------------

def test_mistakes_are_the_latest_first_tries_not_fully_right(bank: Bank, store: ProgressStore) -> None:
    a, b, c, d = [q for q in bank.questions if isinstance(q, MultipleAnswer)][:4]
    store.record_answer(a.id, 0.0, session="1", now=T0)
    store.record_answer(a.id, 1.0, session="1", now=T0)  # the second try does not undo the miss
    store.record_answer(b.id, 0.6, session="1", now=T0 + timedelta(minutes=1))  # partly right
    store.record_answer(c.id, 0.0, session="1", now=T0)
    store.record_answer(c.id, 1.0, session="2", now=T0 + timedelta(days=1))  # right at a later first try
    store.record_answer(d.id, 1.0, session="1", now=T0)
    assert [q.id for q in mistakes(bank, store)] == [b.id, a.id]  # most recent first
    drawn = draw_mistakes(bank, store, seed=3)
    assert {q.id for q in drawn} == {a.id, b.id}
    assert draw_mistakes(bank, store, 1, seed=3) == drawn[:1]
    session = QuizSession(mode="retry", questions=drawn, store=store)
    session.submit(sorted(drawn[0].answers), now=T0 + timedelta(days=2))
    assert drawn[0].id not in {q.id for q in mistakes(bank, store)}


def test_prediction_mistakes_are_left_out_without_a_model(bank: Bank, store: ProgressStore) -> None:
    pred = next(q for q in bank.questions if q.type == "predict" and not q.generated)
    store.record_answer(pred.id, 0.5, now=T0)
    assert [q.id for q in draw_mistakes(bank, store, seed=1)] == [pred.id]
    assert draw_mistakes(bank, store, seed=1, gradable_predictions=False) == ()


# --- due in N min --------------------------------------------------------------------------------

@pytest.mark.parametrize(("seconds", "text"), [(30, "in under a minute"), (61, "in 2 min"), (3599, "in 1 h"),
                                               (3601, "in 2 h"), (47 * 3600, "in 47 h"), (50 * 3600, "in 3 days")])
def test_wait_text(seconds: int, text: str) -> None:
    assert wait_text(timedelta(seconds=seconds)) == text


def test_due_status_replaces_a_dead_start_button(store: ProgressStore) -> None:
    status = due_status(store, now=T0)
    assert (status.due_now, status.next_due, status.minutes_until) == (0, None, None)
    assert status.text.startswith("Nothing to review yet")
    store.record_answer("a", 1.0, now=T0)  # due again 10 minutes later
    status = due_status(store, ["a"], now=T0 + timedelta(minutes=2))
    assert status.due_now == 0 and status.minutes_until == 8
    assert status.text == "Nothing is due now; the next review is due in 8 min."
    status = due_status(store, ["a"], now=T0 + timedelta(minutes=11))
    assert status.due_now == 1 and status.minutes_until == 0
    assert status.text == "1 question is due for review now."
    assert due_status(store, ["other"], now=T0).next_due is None
