"""Quiz sessions without Qt: practice with retries, exams with a clock and a report by section,
review draws of due cards, and every answer committed to the store as it is given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.quiz.bank import Bank
from app.quiz.questions import Predict, SingleChoice
from app.quiz.session import QuizSession, SessionError, draw_practice, draw_review
from app.quiz.store import ProgressStore

T0 = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def _right(q: SingleChoice) -> str:
    return q.answer


def _wrong(q: SingleChoice) -> str:
    return next(c.id for c in q.choices if c.id != q.answer)


def test_practice_grades_stores_and_allows_another_try(bank: Bank, tmp_path: Path) -> None:
    questions = draw_practice(bank, 3, seed=7, types=["single"])
    assert len(questions) == 3 and all(isinstance(q, SingleChoice) for q in questions)
    assert draw_practice(bank, 3, seed=7, types=["single"]) == questions  # seeded
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        s = QuizSession(mode="practice", questions=questions, store=store, seed=7)
        q = s.current
        g = s.submit(_wrong(q), now=T0)
        assert not g.correct and s.can_retry()
        assert [r.question_id for r in store.history()] == [q.id]  # committed at once
        s.retry()
        assert s.grade_of() is None
        assert s.submit(_right(q), now=T0).correct and not s.can_retry()
        assert len(store.history()) == 2 and store.history()[0].mode == "practice"
        assert s.next() and s.current is questions[1]
        report = s.finish()
    # Practice stopped early reports only what was answered.
    assert report.asked == 1 and report.score == 1.0 and report.revise == ()
    assert s.current is None
    with pytest.raises(SessionError):
        s.submit("a")


def test_exam_has_no_retry_times_out_and_reports_by_section(bank: Bank) -> None:
    clock = FakeClock()
    questions = draw_practice(bank, 6, seed=3, types=["single", "truefalse"])
    s = QuizSession(mode="exam", questions=questions, time_limit_s=60, clock=clock)
    assert not s.shows_feedback and s.remaining() == 60
    first = s.current
    resp = _right(first) if isinstance(first, SingleChoice) else first.answer
    s.submit(resp)
    assert not s.can_retry()
    with pytest.raises(SessionError):
        s.submit(resp)  # an exam question is answered once
    s.next()
    clock.t += 61
    assert s.remaining() == 0.0
    with pytest.raises(SessionError):
        s.submit("a")
    assert s.finished and s.timed_out
    report = s.report()
    assert report.asked == 6 and report.answered == 1 and report.score == 1.0 and report.timed_out
    assert sum(r.asked for r in report.by_section) == 6
    assert {r.section for r in report.by_section} == {q.section for q in questions}
    assert len(report.revise) == 5 and first not in report.revise
    # Every section with nothing right is named for revision; the clock stopped at the end.
    assert set(report.revise_sections) >= {q.section for q in report.revise if q.section != first.section}
    clock.t += 100
    assert s.remaining() == 0.0 and report.elapsed_s == pytest.approx(61)


def test_prediction_is_graded_by_the_model_in_a_session(bank: Bank, model) -> None:  # noqa: ANN001
    q = next(q for q in bank.questions if isinstance(q, Predict))
    s = QuizSession(mode="practice", questions=(q,), model=model)
    g = s.submit({t: "up" for t in q.targets})
    assert len(g.marks) == len(q.targets) and any(m.path for m in g.marks)


def test_review_draws_due_cards_most_overdue_first(bank: Bank, tmp_path: Path) -> None:
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        ids = [q.id for q in bank.questions[:3]]
        for i, qid in enumerate(ids):
            store.record_answer(qid, 0.0, now=T0 + timedelta(minutes=i))
        store.record_answer("not-in-the-bank-any-more", 0.0, now=T0)
        later = T0 + timedelta(days=2)
        drawn = draw_review(bank, store, 10, seed=1, now=later)
        assert [q.id for q in drawn] == ids
        assert draw_review(bank, store, 2, seed=1, now=later) == drawn[:2]
        assert draw_review(bank, store, 10, seed=1, now=T0 - timedelta(days=1)) == ()


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(SessionError):
        QuizSession(mode="homework", questions=())


def test_a_second_try_after_the_feedback_does_not_reschedule_the_card(bank: Bank, tmp_path: Path) -> None:
    """A wrong first answer brings the question back within minutes; getting it right straight after
    reading the feedback is logged but must not push the card into the future."""
    q = next(q for q in bank.questions if isinstance(q, SingleChoice))
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        s = QuizSession(mode="practice", questions=(q,), store=store, seed=1)
        assert not s.submit(_wrong(q), now=T0).correct
        due_after_miss = store.card(q.id).due
        s.retry()
        assert s.submit(_right(q), now=T0 + timedelta(seconds=20)).correct
        assert [r.score for r in store.history()] == [1.0, 0.0]  # both answers are kept
        assert store.card(q.id).due == due_after_miss  # still due a minute after the miss
        assert store.due_count(now=T0 + timedelta(minutes=2), question_ids=[q.id]) == 1


def test_retry_is_a_mode_that_shows_feedback_and_allows_another_try(bank: Bank, tmp_path: Path) -> None:
    q = next(q for q in bank.questions if isinstance(q, SingleChoice))
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        s = QuizSession(mode="retry", questions=(q,), store=store)
        assert s.shows_feedback
        s.submit(_wrong(q), now=T0)
        assert s.can_retry()
        assert store.history()[0].mode == "retry"
