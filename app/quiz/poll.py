"""A class poll made from a bank question: lettered options (A, B, C...), vote counts the lecturer
types in from a show of hands, then the reveal (the right option(s), the explanation and, for a
prediction, the model's direction and the path that explains it). Immutable: every change returns
a new PollState, so the presentation view only ever displays one. No Qt, no network."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from string import ascii_uppercase

from app.model.simulation import Model
from app.quiz.questions import MultipleAnswer, Predict, Question, SingleChoice, TrueFalse

POLL_TYPES: tuple[str, ...] = ("single", "multiple", "truefalse", "predict")
DIRECTION_TEXT: Mapping[str, str] = {"up": "Goes up", "down": "Goes down", "none": "No change"}
MAX_VOTES = 100_000  # a count typed by hand; more than any lecture hall holds


class PollError(ValueError):
    """A poll asked to do what it cannot (an unsupported question type, an unknown option, a
    negative count): the message says what."""


@dataclass(frozen=True)
class PollOption:
    letter: str  # "A", "B", ...
    key: str  # the choice id, "true"/"false", or a direction ("up", "down", "none")
    text: str


@dataclass(frozen=True)
class PollItem:
    """One thing the hall votes on: the whole question, or one target of a prediction."""

    key: str  # "" for a choice question; the node id for a prediction target
    label: str  # "" for a choice question; the node's name for a prediction target
    options: tuple[PollOption, ...]
    votes: tuple[int, ...]  # one count per option

    @property
    def total(self) -> int:
        return sum(self.votes)

    def shares(self) -> tuple[float, ...]:
        """Each option's share of the votes (all 0 before anyone voted)."""
        total = self.total
        return tuple(v / total if total else 0.0 for v in self.votes)

    def letter_of(self, key: str) -> str:
        return next(o.letter for o in self.options if o.key == key)


@dataclass(frozen=True)
class ItemReveal:
    correct: tuple[str, ...]  # letters of the right option(s)
    why: str = ""  # predictions: the model's reason for this target
    path: tuple[str, ...] = ()  # predictions: node ids of the traced path (for the diagram)
    delta: float = 0.0  # predictions: the settled change of the target


@dataclass(frozen=True)
class Reveal:
    items: tuple[ItemReveal, ...]  # one per PollItem
    explanation: str


@dataclass(frozen=True)
class PollState:
    question_id: str
    kind: str  # the question's type
    prompt: str
    items: tuple[PollItem, ...]
    reveal_data: Reveal | None = None

    @property
    def revealed(self) -> bool:
        return self.reveal_data is not None

    # --- votes ----------------------------------------------------------------------------------
    def _index(self, item: int | str) -> int:
        if isinstance(item, int) and not isinstance(item, bool):
            if not 0 <= item < len(self.items):
                raise PollError(f"no poll item {item} (there are {len(self.items)})")
            return item
        for i, it in enumerate(self.items):
            if it.key == item:
                return i
        raise PollError(f"no poll item {item!r} (items: {', '.join(it.key or '(the question)' for it in self.items)})")

    def set_votes(self, letter: str, count: int, *, item: int | str = 0) -> PollState:
        """The count for one option (as typed by the lecturer); the other counts stay."""
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MAX_VOTES:
            raise PollError(f"a vote count must be a whole number from 0 to {MAX_VOTES} (got {count!r})")
        i = self._index(item)
        it = self.items[i]
        letters = [o.letter for o in it.options]
        if letter not in letters:
            raise PollError(f"no option {letter!r} (options: {', '.join(letters)})")
        votes = list(it.votes)
        votes[letters.index(letter)] = count
        items = list(self.items)
        items[i] = replace(it, votes=tuple(votes))
        return replace(self, items=tuple(items))

    def add_vote(self, letter: str, n: int = 1, *, item: int | str = 0) -> PollState:
        i = self._index(item)
        it = self.items[i]
        letters = [o.letter for o in it.options]
        if letter not in letters:
            raise PollError(f"no option {letter!r} (options: {', '.join(letters)})")
        return self.set_votes(letter, max(0, it.votes[letters.index(letter)] + n), item=i)

    def cleared(self) -> PollState:
        """Every count back to 0 and the answer hidden again (to poll a second time)."""
        return replace(self, items=tuple(replace(it, votes=(0,) * len(it.options)) for it in self.items),
                       reveal_data=None)

    # --- the reveal -----------------------------------------------------------------------------
    def reveal(self, model: Model | None = None, question: Question | None = None) -> PollState:
        """The poll with its answer shown. A prediction needs the model (the model grades it) and
        the question it was made from; a choice question needs only the question."""
        if question is None or question.id != self.question_id:
            raise PollError("reveal needs the question the poll was made from")
        if isinstance(question, Predict):
            if model is None:
                raise PollError("a prediction is revealed by running the model: pass model=")
            from app.quiz.grading import grade_predict

            marks = {m.node: m for m in grade_predict(model, question, {}).marks}
            items = tuple(ItemReveal(correct=(it.letter_of(marks[it.key].expected),), why=marks[it.key].why,
                                     path=marks[it.key].path, delta=marks[it.key].delta) for it in self.items)
        elif isinstance(question, SingleChoice):
            items = (ItemReveal(correct=(self.items[0].letter_of(question.answer),)),)
        elif isinstance(question, MultipleAnswer):
            it = self.items[0]
            items = (ItemReveal(correct=tuple(o.letter for o in it.options if o.key in question.answers)),)
        elif isinstance(question, TrueFalse):
            items = (ItemReveal(correct=(self.items[0].letter_of("true" if question.answer else "false"),)),)
        else:  # pragma: no cover - from_question refuses other types
            raise PollError(f"a {question.type} question cannot be polled")
        return replace(self, reveal_data=Reveal(items=items, explanation=question.explanation))

    def hall_right(self, item: int | str = 0) -> float | None:
        """After the reveal: the share of the votes on a right option (None before any vote or reveal)."""
        if self.reveal_data is None:
            return None
        i = self._index(item)
        it = self.items[i]
        if not it.total:
            return None
        right = set(self.reveal_data.items[i].correct)
        return sum(v for o, v in zip(it.options, it.votes, strict=True) if o.letter in right) / it.total


def can_poll(question: Question) -> bool:
    return question.type in POLL_TYPES


def poll_from_question(question: Question, *, labels: Mapping[str, str] | None = None) -> PollState:
    """A poll of a choice or prediction question, options lettered in the file's order (a poll
    should look the same each time it is shown). `labels` names prediction targets (node id ->
    label; the id is used where missing)."""
    labels = labels or {}

    def lettered(pairs: list[tuple[str, str]]) -> tuple[PollOption, ...]:
        if len(pairs) > len(ascii_uppercase):
            raise PollError(f"a poll has at most {len(ascii_uppercase)} options (got {len(pairs)})")
        return tuple(PollOption(letter=ascii_uppercase[i], key=k, text=t) for i, (k, t) in enumerate(pairs))

    if isinstance(question, (SingleChoice, MultipleAnswer)):
        options = lettered([(c.id, c.text) for c in question.choices])
        items = (PollItem(key="", label="", options=options, votes=(0,) * len(options)),)
    elif isinstance(question, TrueFalse):
        options = lettered([("true", "True"), ("false", "False")])
        items = (PollItem(key="", label="", options=options, votes=(0, 0)),)
    elif isinstance(question, Predict):
        options = lettered([(d, DIRECTION_TEXT[d]) for d in ("up", "down", "none")])
        items = tuple(PollItem(key=t, label=labels.get(t, t), options=options, votes=(0, 0, 0))
                      for t in question.targets)
    else:
        raise PollError(f"a {question.type} question cannot be polled (polls take {', '.join(POLL_TYPES)})")
    return PollState(question_id=question.id, kind=question.type, prompt=question.prompt, items=items)
