"""Readiness, explained: per section of the review, what a student has done (pages read, tours
finished, questions right at spaced intervals), a state with its reason in plain words and the one
thing to do next; the study path with its steps ticked; the exam verdict against a pass mark;
"retry my mistakes"; and when the next review falls due. No Qt: the GUI only displays these."""

# What counts, and why: a question answered right once may be short-term memory, so a question is
# *secure* only when its first try was fully right on two occasions a day or so apart and the latest
# first try was right too (spacing is what makes recall last). Second tries after the feedback are
# kept in the history but never count, and a partly right answer counts as a mistake. Readiness is
# computed from the progress store's history and activity, never stored, so it cannot go stale.

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from app.knowledge.learning import Learning, StudyStep
from app.quiz.bank import Bank
from app.quiz.questions import SECTIONS, Predict, Question
from app.quiz.session import Report
from app.quiz.store import AnswerRecord, ProgressStore

STATES: tuple[str, ...] = ("not_started", "learning", "nearly_ready", "ready")
STATE_LABELS: Mapping[str, str] = {"not_started": "Not started", "learning": "Learning",
                                   "nearly_ready": "Nearly ready", "ready": "Ready"}
ACTION_KINDS: tuple[str, ...] = ("read_page", "retry_mistakes", "answer_questions", "take_tour",
                                 "answer_again", "keep_fresh")


@dataclass(frozen=True, kw_only=True)
class Rules:
    """The thresholds of readiness; the GUI may offer the pass mark as a setting."""

    target: float = 0.8  # share of a section's questions that must be right (then secure)
    spacing: timedelta = timedelta(hours=20)  # two right first tries this far apart make a question secure
    pass_mark: float = 0.7  # exams; also the share right that ticks a quiz step of the study path
    quiz_step_share: float = 0.5  # share of a section's questions a quiz step needs answered

    def __post_init__(self) -> None:
        for name in ("target", "pass_mark", "quiz_step_share"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise ValueError(f"{name} must be above 0 and at most 1 (got {value!r})")
        if self.spacing <= timedelta(0):
            raise ValueError(f"spacing must be positive (got {self.spacing!r})")

    def explain(self) -> str:
        """What mastery means, in plain words (for the readiness view)."""
        hours = self.spacing.total_seconds() / 3600
        return (f"A section is ready when you have read its page, finished its tours, and at least "
                f"{self.target:.0%} of its questions are secure. A question is secure when your first try "
                f"was fully right on two occasions at least {hours:g} hours apart, and your latest first "
                f"try was right too. Second tries after seeing the answer do not count, and a partly right "
                f"answer counts as a mistake. Nearly ready means the page is read and {self.target:.0%} of "
                f"the questions are right at your latest try, but not yet on two separate occasions.")


# --- questions ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attempt:
    at: datetime
    score: float

    @property
    def right(self) -> bool:
        return self.score >= 1.0 - 1e-9


def first_tries(history: Iterable[AnswerRecord]) -> dict[str, tuple[Attempt, ...]]:
    """Question id -> its first tries, oldest first. A first try is the first answer to the question
    within its session (an answer outside any session is a first try of its own)."""
    seen: set[tuple[str, str]] = set()
    out: dict[str, list[Attempt]] = {}
    for rec in sorted(history, key=lambda r: r.id):
        if rec.session:
            key = (rec.session, rec.question_id)
            if key in seen:
                continue
            seen.add(key)
        out.setdefault(rec.question_id, []).append(Attempt(at=_utc(rec.answered_at), score=rec.score))
    return {q: tuple(v) for q, v in out.items()}


@dataclass(frozen=True)
class QuestionProgress:
    question_id: str
    status: str  # "unseen" | "missed" (wrong or partly wrong) | "once" (right, not yet spaced) | "secure"
    last: Attempt | None = None
    secure_from: datetime | None = None  # "once": when a right answer would make it secure


def question_progress(question_id: str, tries: tuple[Attempt, ...], rules: Rules) -> QuestionProgress:
    if not tries:
        return QuestionProgress(question_id, "unseen")
    last = tries[-1]
    if not last.right:
        return QuestionProgress(question_id, "missed", last)
    rights = [t.at for t in tries if t.right]
    if rights[-1] - rights[0] >= rules.spacing:
        return QuestionProgress(question_id, "secure", last)
    return QuestionProgress(question_id, "once", last, secure_from=rights[0] + rules.spacing)


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _now(now: datetime | None) -> datetime:
    return _utc(now) if now is not None else datetime.now(UTC)


def readiness_questions(bank: Bank) -> tuple[Question, ...]:
    """The questions readiness counts: the hand-written bank (generated predictions are extra practice)."""
    return tuple(q for q in bank.questions if not q.generated)


# --- sections -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class NextAction:
    """The one thing to do next, as text and as data the GUI can turn into a button."""

    kind: str  # one of ACTION_KINDS
    text: str
    target: str = ""  # read_page: "topic:<id>"; take_tour: a tour id; otherwise the section
    count: int = 0
    when: datetime | None = None  # answer_again: from when it counts
    question_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectionReadiness:
    section: str
    title: str
    page: str  # "topic:<id>"
    state: str  # one of STATES
    reason: str
    action: NextAction
    total: int
    secure: int
    once: int
    missed: int
    unseen: int
    page_read: bool
    tours: tuple[str, ...] = ()
    tours_done: tuple[str, ...] = ()
    questions: Mapping[str, QuestionProgress] = field(default_factory=dict, compare=False, repr=False)

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def right_now(self) -> int:
        """Questions right at the latest first try."""
        return self.secure + self.once

    @property
    def mastery(self) -> float:
        """0..1: secure questions count fully, questions right only once count half."""
        return (self.secure + 0.5 * self.once) / self.total if self.total else 0.0


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _when(at: datetime, now: datetime) -> str:
    return "now" if at <= now else wait_text(at - now)


def _section(section: str, questions: list[Question], tries: Mapping[str, tuple[Attempt, ...]],
             pages_read: Mapping[str, datetime], tours_done: Mapping[str, datetime], learning: Learning,
             tour_titles: Mapping[str, str], rules: Rules, now: datetime) -> SectionReadiness:
    page = learning.sections.get(section)
    page_key = f"topic:{page.id}" if page is not None else ""
    title = learning.section_title(section)
    progress = {q.id: question_progress(q.id, tries.get(q.id, ()), rules) for q in questions}
    by = {s: [p for p in progress.values() if p.status == s] for s in ("unseen", "missed", "once", "secure")}
    n = len(questions)
    need = math.ceil(rules.target * n - 1e-9)
    read = page_key in pages_read
    tours = learning.tours_of_section(section)
    done = tuple(t for t in tours if t in tours_done)
    missing_tours = [t for t in tours if t not in tours_done]
    right_now = len(by["once"]) + len(by["secure"])
    secure = len(by["secure"])

    if not read and not done and len(by["unseen"]) == n:
        state = "not_started"
    elif read and not missing_tours and secure >= need:
        state = "ready"
    elif read and right_now >= need:
        state = "nearly_ready"
    else:
        state = "learning"

    # The reason: what holds the section back, in the order the student can fix it.
    facts = []
    if state == "not_started":
        facts.append(f"nothing done yet: the page is unread and none of its {_plural(n, 'question')} is answered")
    else:
        facts.append("page read" if read else "page not read yet")
        if tours:
            facts.append(f"{len(done)} of {_plural(len(tours), 'tour')} finished")
        facts.append(f"{right_now} of {n} questions right at your latest try, {secure} of them secure "
                     f"(ready needs {need} secure)")
        if by["missed"]:
            facts.append(f"{len(by['missed'])} wrong or partly wrong")
    reason = "; ".join(facts) + "."
    reason = reason[0].upper() + reason[1:]

    short = f"{section} {title.split(' ', 1)[1]}" if title.startswith(f"{section} ") else title
    if not read:
        action = NextAction(kind="read_page", text=f"Read the page “{title}”.", target=page_key)
    elif by["missed"]:
        ids = tuple(p.question_id for p in by["missed"])
        which = "the question" if len(ids) == 1 else f"the {len(ids)} questions"
        action = NextAction(kind="retry_mistakes", count=len(ids), question_ids=ids, target=section,
                            text=f"Retry {which} on {short} that you got wrong or partly wrong.")
    elif right_now < need:
        count = min(len(by["unseen"]), need - right_now)
        ids = tuple(p.question_id for p in by["unseen"])
        action = NextAction(kind="answer_questions", count=count, question_ids=ids, target=section,
                            text=f"Answer {count} more {'question' if count == 1 else 'questions'} on {short}.")
    elif missing_tours:
        t = missing_tours[0]
        action = NextAction(kind="take_tour", target=t, text=f"Take the tour “{tour_titles.get(t, t)}”.")
    elif secure < need:
        once = sorted(by["once"], key=lambda p: p.secure_from or now)
        count = need - secure
        when = (once[count - 1].secure_from if len(once) >= count else None) or now
        ids = tuple(p.question_id for p in once)
        later = "" if when <= now else f", {wait_text(when - now)}"
        action = NextAction(kind="answer_again", count=count, when=when, question_ids=ids, target=section,
                            text=f"Answer again {count} of the questions on {short} you have got right only "
                                 f"once{later}: a second right answer a day later makes them secure.")
    else:
        action = NextAction(kind="keep_fresh", target=section,
                            text="Ready. Keep it fresh: answer its questions when they fall due for review.")
    return SectionReadiness(section=section, title=title, page=page_key, state=state, reason=reason, action=action,
                            total=n, secure=secure, once=len(by["once"]), missed=len(by["missed"]),
                            unseen=len(by["unseen"]), page_read=read, tours=tours, tours_done=done,
                            questions=progress)


def section_readiness(*, bank: Bank, store: ProgressStore, learning: Learning, rules: Rules | None = None,
                      now: datetime | None = None,
                      questions: Iterable[Question] | None = None) -> tuple[SectionReadiness, ...]:
    """One SectionReadiness per section of the review, in the review's order. `questions` defaults to
    the hand-written bank."""
    rules = rules or Rules()
    when = _now(now)
    pool = list(questions) if questions is not None else list(readiness_questions(bank))
    tries = first_tries(store.history())
    pages, tours = store.pages_read(), store.tours_finished()
    titles = {tid: getattr(t, "title", tid) for tid, t in learning.tours.items()}
    sections = [s for s in learning.sections] or [s for s in SECTIONS if any(q.section == s for q in pool)]
    return tuple(_section(s, [q for q in pool if q.section == s], tries, pages, tours, learning, titles, rules, when)
                 for s in sections)


def overall(readiness: Iterable[SectionReadiness]) -> tuple[str, NextAction | None]:
    """One line for the whole review, and the first section's next action that is not 'keep fresh'."""
    rows = list(readiness)
    counts = {s: sum(1 for r in rows if r.state == s) for s in STATES}
    line = (f"{counts['ready']} of {_plural(len(rows), 'section')} ready, {counts['nearly_ready']} nearly ready, "
            f"{counts['learning']} in progress, {counts['not_started']} not started.")
    action = next((r.action for r in rows if r.action.kind != "keep_fresh"), None)
    return line, action


# --- the study path -----------------------------------------------------------------------------

@dataclass(frozen=True)
class StepProgress:
    step: StudyStep
    title: str
    done: bool
    detail: str


@dataclass(frozen=True)
class PathProgress:
    steps: tuple[StepProgress, ...]

    @property
    def next(self) -> StepProgress | None:
        """The first step not done (None when the whole path is done)."""
        return next((s for s in self.steps if not s.done), None)

    @property
    def done_count(self) -> int:
        return sum(s.done for s in self.steps)


def path_progress(*, bank: Bank, store: ProgressStore, learning: Learning, rules: Rules | None = None,
                  questions: Iterable[Question] | None = None) -> PathProgress | None:
    """The study path with what is done ticked; None when the content has no study path. A topic is
    done once its page was read, a tour once it was followed to the end, a quiz step once at least
    `quiz_step_share` of its sections' questions were answered and `pass_mark` of those answered
    were right at the latest first try."""
    if learning.path is None:
        return None
    rules = rules or Rules()
    pool = list(questions) if questions is not None else list(readiness_questions(bank))
    tries = first_tries(store.history())
    pages, tours = store.pages_read(), store.tours_finished()
    out: list[StepProgress] = []
    for step in learning.path.steps:
        if step.kind == "topic":
            title = learning.topic_titles.get(step.target, step.target)
            at = pages.get(f"topic:{step.target}")
            out.append(StepProgress(step, title, at is not None, "read" if at else "not read yet"))
        elif step.kind == "tour":
            tour = learning.tours.get(step.target)
            title = f"Tour: {getattr(tour, 'title', step.target)}"
            at = tours.get(step.target)
            out.append(StepProgress(step, title, at is not None, "finished" if at else "not taken yet"))
        else:
            qs = [q for q in pool if q.section in step.sections]
            answered = [q for q in qs if q.id in tries]
            right = [q for q in answered if tries[q.id][-1].right]
            done = bool(qs) and len(answered) >= rules.quiz_step_share * len(qs) - 1e-9 and \
                len(right) >= rules.pass_mark * len(answered) - 1e-9
            share = f", {len(right) / len(answered):.0%} right" if answered else ""
            detail = f"{len(answered)} of {len(qs)} answered{share}" if qs else "no questions yet"
            out.append(StepProgress(step, f"Questions on {_section_names(learning, step.sections)}", done, detail))
    return PathProgress(tuple(out))


def _section_names(learning: Learning, sections: Iterable[str]) -> str:
    sections = list(sections)
    if len(sections) == 1:
        return learning.section_title(sections[0])
    return "sections " + ", ".join(sections[:-1]) + " and " + sections[-1]


# --- exams --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SectionResult:
    section: str
    title: str
    page: str  # "topic:<id>" to revisit, "" if unknown
    asked: int
    fraction: float
    passed: bool


@dataclass(frozen=True)
class ExamVerdict:
    passed: bool
    fraction: float
    pass_mark: float
    sections: tuple[SectionResult, ...]
    revisit: tuple[SectionResult, ...]  # sections under the pass mark, weakest first
    summary: str


def exam_verdict(report: Report, *, pass_mark: float = 0.7, learning: Learning | None = None) -> ExamVerdict:
    """The exam against a pass mark (0 < pass_mark <= 1), with the sections to revisit."""
    if not 0 < pass_mark <= 1:
        raise ValueError(f"the pass mark must be above 0 and at most 1 (got {pass_mark!r})")
    rows = []
    for s in report.by_section:
        title = learning.section_title(s.section) if learning else f"Section {s.section}"
        page = learning.sections.get(s.section) if learning else None
        rows.append(SectionResult(section=s.section, title=title, page=f"topic:{page.id}" if page else "",
                                  asked=s.asked, fraction=s.fraction, passed=s.fraction >= pass_mark - 1e-9))
    revisit = tuple(sorted((r for r in rows if not r.passed), key=lambda r: (r.fraction, r.section)))
    passed = report.fraction >= pass_mark - 1e-9
    head = (f"{'Passed' if passed else 'Not passed yet'}: {report.fraction:.0%} "
            f"(pass mark {pass_mark:.0%}).")
    if revisit:
        items = [f"{r.title} ({r.fraction:.0%})" for r in revisit]
        listed = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
        head += f" Revisit {listed}."
    elif report.asked:
        head += " Every section is at or above the pass mark."
    return ExamVerdict(passed=passed, fraction=report.fraction, pass_mark=pass_mark, sections=tuple(rows),
                       revisit=revisit, summary=head)


# --- retry my mistakes --------------------------------------------------------------------------

def mistakes(bank: Bank, store: ProgressStore, *, questions: Iterable[Question] | None = None) -> tuple[Question, ...]:
    """The questions whose latest first try was wrong or partly wrong, most recent first; the
    schedule of their review cards plays no part."""
    pool = {q.id: q for q in (questions if questions is not None else bank.questions)}
    tries = first_tries(store.history())
    wrong = [(t[-1].at, qid) for qid, t in tries.items() if qid in pool and not t[-1].right]
    return tuple(pool[qid] for _, qid in sorted(wrong, key=lambda w: (w[0], w[1]), reverse=True))


def draw_mistakes(bank: Bank, store: ProgressStore, n: int | None = None, *, seed: int | str,
                  gradable_predictions: bool = True) -> tuple[Question, ...]:
    """A "retry my mistakes" session (mode "retry"): up to `n` of the mistakes, in a seeded order,
    options shuffled. Prediction questions are left out when no model is there to grade them."""
    pool = [q for q in mistakes(bank, store) if gradable_predictions or not isinstance(q, Predict)]
    rng = random.Random(f"retry:{seed}")
    rng.shuffle(pool)
    if n is not None:
        pool = pool[:n]
    return tuple(q.shuffled(seed) for q in pool)


# --- when the next review is due ----------------------------------------------------------------

def wait_text(delta: timedelta) -> str:
    """'in under a minute', 'in 8 min', 'in 3 h', 'in 2 days' (rounded up)."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "in under a minute"
    minutes = math.ceil(seconds / 60)
    if minutes < 60:
        return f"in {minutes} min"
    hours = math.ceil(seconds / 3600)
    if hours < 48:
        return f"in {hours} h"
    return f"in {math.ceil(seconds / 86400)} days"


@dataclass(frozen=True)
class DueStatus:
    due_now: int
    next_due: datetime | None  # the earliest card's due time (past when due_now > 0)
    now: datetime

    @property
    def minutes_until(self) -> int | None:
        """Whole minutes until the next review is due (0 when one is due now; None without cards)."""
        if self.next_due is None:
            return None
        return max(0, math.ceil((self.next_due - self.now).total_seconds() / 60))

    @property
    def text(self) -> str:
        if self.due_now:
            return f"{_plural(self.due_now, 'question')} {'is' if self.due_now == 1 else 'are'} due for review now."
        if self.next_due is None:
            return "Nothing to review yet: the questions you answer come back here when they fall due."
        return f"Nothing is due now; the next review is due {wait_text(self.next_due - self.now)}."


def due_status(store: ProgressStore, question_ids: Iterable[str] | None = None, *,
               now: datetime | None = None) -> DueStatus:
    """How many reviews are due now and, if none, when the next one is (for the Review button)."""
    when = _now(now)
    ids = list(question_ids) if question_ids is not None else None
    due = store.due_count(now=when, question_ids=ids)
    nxt = store.next_due(question_ids=ids)
    return DueStatus(due_now=due, next_due=_utc(nxt) if nxt else None, now=when)
