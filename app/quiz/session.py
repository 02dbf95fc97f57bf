"""A quiz session (practice, exam or review): the questions in order, where the student is, every
grade, the exam clock and the end-of-exam report. No Qt: the quiz panel only displays it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from app.model.simulation import Model
from app.quiz.bank import Bank
from app.quiz.grading import Grade, Response, grade
from app.quiz.questions import SECTIONS, Predict, Question
from app.quiz.store import ProgressStore, StoreError

# "retry": the questions last answered wrong or partly wrong, asked again now, whatever their schedule
# (app.quiz.readiness.draw_mistakes); it shows feedback as practice does.
MODES: tuple[str, ...] = ("practice", "exam", "review", "retry")
# A section counts as "to revise" in the exam report below this mean score.
REVISE_BELOW = 0.75


class SessionError(RuntimeError):
    """A session asked to do what its state does not allow (a programming error in the caller)."""


@dataclass(frozen=True, kw_only=True)
class SectionScore:
    section: str
    asked: int
    answered: int
    score: float  # sum of the scores (unanswered count 0)

    @property
    def fraction(self) -> float:
        return self.score / self.asked if self.asked else 0.0


@dataclass(frozen=True, kw_only=True)
class Report:
    """The end of a session: the total, the score by section and what to read again."""

    mode: str
    asked: int
    answered: int
    score: float
    by_section: tuple[SectionScore, ...]
    revise: tuple[Question, ...]  # questions not fully right, in the order asked
    revise_sections: tuple[str, ...]  # sections under REVISE_BELOW, weakest first
    timed_out: bool = False
    elapsed_s: float = 0.0

    @property
    def fraction(self) -> float:
        return self.score / self.asked if self.asked else 0.0


@dataclass(kw_only=True)
class QuizSession:
    """Questions asked one after another. `submit` grades the current question and commits the
    answer to the store at once; practice and review allow another try, an exam does not and
    shows nothing until the report."""

    mode: str
    questions: tuple[Question, ...]
    model: Model | None = None
    store: ProgressStore | None = None
    time_limit_s: float | None = None  # exams only
    seed: int | str = 0  # the draw's seed: ordering and matching options are shown in its order
    clock: Callable[[], float] = time.monotonic
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    index: int = 0
    grades: dict[str, Grade] = field(default_factory=dict)  # latest grade per question id
    attempts: dict[str, int] = field(default_factory=dict)
    finished: bool = False
    timed_out: bool = False
    store_error: str = ""  # set when an answer could not be saved (the session carries on)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise SessionError(f"mode must be one of {', '.join(MODES)} (got {self.mode!r})")
        self.started = self.clock()
        self.ended: float | None = None

    # --- where we are -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.questions)

    @property
    def current(self) -> Question | None:
        if self.finished or not 0 <= self.index < len(self.questions):
            return None
        return self.questions[self.index]

    @property
    def is_last(self) -> bool:
        return self.index >= len(self.questions) - 1

    @property
    def shows_feedback(self) -> bool:
        return self.mode != "exam"

    def grade_of(self, question: Question | None = None) -> Grade | None:
        q = question or self.current
        return self.grades.get(q.id) if q else None

    def can_retry(self) -> bool:
        g = self.grade_of()
        return self.shows_feedback and g is not None and not g.correct and not self.finished

    # --- answering ----------------------------------------------------------------------------
    def submit(self, response: Response, *, now: datetime | None = None) -> Grade:
        """Grade the current question and commit the answer to the store before returning."""
        q = self.current
        if q is None:
            raise SessionError("no current question (the session is finished)")
        if self.remaining() == 0.0:
            self.finish(timed_out=True)
            raise SessionError("the exam time is over")
        if not self.shows_feedback and q.id in self.grades:
            raise SessionError("an exam question is answered once")
        g = grade(q, response, model=self.model if isinstance(q, Predict) else None)
        self.grades[q.id] = g
        self.attempts[q.id] = self.attempts.get(q.id, 0) + 1
        if self.store is not None:
            # Only the first try reschedules the review card: a second try comes after the feedback
            # showed the answer, so getting it right then is no sign of recall.
            first_try = self.attempts[q.id] == 1
            try:
                self.store.record_answer(q.id, g.score, mode=self.mode, response=_jsonable(response),
                                         session=self.session_id, now=now, reschedule=first_try)
            except StoreError as exc:
                self.store_error = str(exc)
        return g

    def retry(self) -> None:
        """Practice and review: forget the shown grade of the current question (the stored answer stays)."""
        if not self.can_retry():
            raise SessionError("only a wrong answer in practice or review can be tried again")
        q = self.current
        assert q is not None
        del self.grades[q.id]

    def next(self) -> bool:
        """Move to the next question; False (and the session finishes) after the last one."""
        if self.finished:
            return False
        if self.is_last:
            self.finish()
            return False
        self.index += 1
        return True

    def finish(self, *, timed_out: bool = False) -> Report:
        if not self.finished:
            self.finished = True
            self.timed_out = timed_out
            self.ended = self.clock()
        return self.report()

    # --- the exam clock -----------------------------------------------------------------------
    def remaining(self) -> float | None:
        """Seconds left of an exam (None without a limit), never below 0."""
        if self.time_limit_s is None:
            return None
        end = self.ended if self.ended is not None else self.clock()
        return max(0.0, self.time_limit_s - (end - self.started))

    def elapsed(self) -> float:
        end = self.ended if self.ended is not None else self.clock()
        return end - self.started

    # --- the report ---------------------------------------------------------------------------
    def report(self) -> Report:
        """Exams count every question (unanswered = 0); practice and review only those answered."""
        asked = self.questions if self.mode == "exam" else tuple(q for q in self.questions if q.id in self.grades)
        by_sec: dict[str, list[Question]] = {}
        for q in asked:
            by_sec.setdefault(q.section, []).append(q)
        rows = []
        for sec in sorted(by_sec, key=lambda s: SECTIONS.index(s) if s in SECTIONS else len(SECTIONS)):
            qs = by_sec[sec]
            got = [self.grades[q.id].score for q in qs if q.id in self.grades]
            rows.append(SectionScore(section=sec, asked=len(qs), answered=len(got), score=sum(got)))
        revise = tuple(q for q in asked if q.id not in self.grades or not self.grades[q.id].correct)
        weak = sorted((r for r in rows if r.fraction < REVISE_BELOW), key=lambda r: (r.fraction, r.section))
        return Report(mode=self.mode, asked=len(asked), answered=len(self.grades),
                      score=sum(g.score for g in self.grades.values()), by_section=tuple(rows), revise=revise,
                      revise_sections=tuple(r.section for r in weak), timed_out=self.timed_out,
                      elapsed_s=self.elapsed())


def _jsonable(response: Response) -> object:
    """Responses as stored: sets become sorted lists, mappings plain dicts."""
    if isinstance(response, (set, frozenset)):
        return sorted(response)
    if isinstance(response, Mapping):
        return dict(response)
    if isinstance(response, tuple):
        return list(response)
    return response


def draw_practice(bank: Bank, n: int, *, seed: int | str, sections: Iterable[str] | None = None,
                  difficulties: Iterable[int] | None = None, types: Iterable[str] | None = None,
                  gradable_predictions: bool = True) -> tuple[Question, ...]:
    """n questions from the pool (seeded, spread over sections, options shuffled). Prediction
    questions are left out when no model is there to grade them."""
    if not gradable_predictions:
        allowed = set(types) if types is not None else {q.type for q in bank.questions}
        types = allowed - {"predict"}
    return bank.draw(n, seed=seed, sections=sections, difficulties=difficulties, types=types)


def draw_review(bank: Bank, store: ProgressStore, n: int, *, seed: int | str, now: datetime | None = None,
                gradable_predictions: bool = True) -> tuple[Question, ...]:
    """The due review cards (most overdue first) that are still in the bank, options shuffled."""
    out = []
    for qid in store.due(now=now, question_ids=[q.id for q in bank.questions]):
        q = bank.get(qid)
        if q is None or (isinstance(q, Predict) and not gradable_predictions):
            continue
        out.append(q.shuffled(seed))
        if len(out) >= n:
            break
    return tuple(out)
