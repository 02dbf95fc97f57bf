"""Question types of the quiz bank as frozen dataclasses (one class per type, no Qt, no I/O)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import ClassVar

# The review's sections (Cai et al. 2023); every question names one of them.
SECTIONS: tuple[str, ...] = ("1", "2", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "4", "5", "5.1", "5.2",
                             "5.3", "6")
DIFFICULTIES: tuple[int, ...] = (1, 2, 3)
DIRECTIONS: tuple[str, ...] = ("up", "down", "none")  # "none" = no change
# The fewest options a question of each kind may have (choices, steps, pairs); the bank and the
# importers hold every question to them.
# Matching follows Moodle's rule (qtype_match: at least two items and three answers, counting
# answers that match no item).
MIN_OPTIONS: Mapping[str, int] = MappingProxyType({"single": 2, "multiple": 3, "ordering": 3, "matching": 2,
                                                   "matching_answers": 3})

# The grades Moodle allows an answer (question/engine/bank.php, question_bank::
# ensure_fraction_options_initialised): 0, 100 %, and p/q for q <= 6, p/10, 1/q for q <= 10 and 1/20,
# each also negative. Moodle's importer refuses any other grade (lib/questionlib.php
# match_grade_options, mode 'error', within 0.00001), so a credit outside this list could never
# be exported; the bank refuses it too.
_RAW_FRACTIONS = (0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
                  0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05)
MOODLE_FRACTIONS: tuple[float, ...] = tuple(sorted({0.0, 1.0, -1.0, *_RAW_FRACTIONS, *(-f for f in _RAW_FRACTIONS)}))


def moodle_grade(percent: float) -> float | None:
    """`percent` as the Moodle grade it stands for (percent, 5 decimals: 33.33333), or None when
    Moodle does not allow it."""
    fraction = percent / 100
    for allowed in MOODLE_FRACTIONS:
        if abs(fraction - allowed) < 0.00001:
            return round(allowed * 100, 5)
    return None


@dataclass(frozen=True, kw_only=True)
class Choice:
    """One option of a choice question; `id` is stable so shuffling never changes grading."""

    id: str
    text: str
    feedback: str = ""
    # Percent of the marks this option earns (Moodle's answer grade), for questions whose author
    # gave partial credit; None: the type's own scheme (the answer is right or wrong).
    credit: float | None = None


@dataclass(frozen=True, kw_only=True)
class Question:
    """What every question has: a stable id, where it belongs and what it teaches."""

    TYPE: ClassVar[str] = ""

    id: str
    section: str
    nodes: tuple[str, ...]
    difficulty: int
    prompt: str
    explanation: str
    page: str  # "topic:<id>" or "node:<id>": the page that teaches it
    cite: tuple[str, ...] = ()
    category: str = ""  # a lecturer's own grouping (e.g. the Moodle category it came from); "" for the bank's
    file: str = ""
    line: int = 0
    generated: bool = False
    objectives: tuple[str, ...] = ()  # ids of content/objectives.yaml this question tests

    @property
    def type(self) -> str:
        return self.TYPE

    def shuffled(self, seed: int | str) -> Question:
        """The same question with its options in a seeded random order (grading is by id)."""
        return self


def _shuffle_tuple(items: tuple, seed: int | str, qid: str) -> tuple:
    # Seed with the question id too, so one session seed gives every question its own order.
    rng = random.Random(f"{seed}:{qid}")
    out = list(items)
    rng.shuffle(out)
    return tuple(out)


@dataclass(frozen=True, kw_only=True)
class SingleChoice(Question):
    """One option to pick; `answer` earns full marks, and options with a `credit` earn that share."""

    TYPE: ClassVar[str] = "single"
    choices: tuple[Choice, ...]
    answer: str  # id of the correct choice

    @property
    def partial(self) -> bool:
        return any(c.credit is not None for c in self.choices)

    def shuffled(self, seed: int | str) -> SingleChoice:
        return replace(self, choices=_shuffle_tuple(self.choices, seed, self.id))


@dataclass(frozen=True, kw_only=True)
class MultipleAnswer(Question):
    """Tick every right option. With `credit` on the options, the score is the sum of the credits of
    the ticked options, between 0 and 100 % (Moodle's multiple-response grading)."""

    TYPE: ClassVar[str] = "multiple"
    choices: tuple[Choice, ...]
    answers: frozenset[str]  # ids of every correct choice

    @property
    def partial(self) -> bool:
        return any(c.credit is not None for c in self.choices)

    def shuffled(self, seed: int | str) -> MultipleAnswer:
        return replace(self, choices=_shuffle_tuple(self.choices, seed, self.id))


@dataclass(frozen=True, kw_only=True)
class TrueFalse(Question):
    TYPE: ClassVar[str] = "truefalse"
    answer: bool


@dataclass(frozen=True, kw_only=True)
class ClickNode(Question):
    """Answered by clicking node(s) on the live diagram; the answer is one or more node ids."""

    TYPE: ClassVar[str] = "click_node"
    answers: frozenset[str]


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """One side of a prediction: the model's inputs (see app.model.simulation.Inputs)."""

    estrogen: float
    ferritin: float
    treatments: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Predict(Question):
    """Given a change (before -> after), mark up / down / no change on `targets`. Never
    hand-keyed: app.quiz.grading runs the model to grade every mark."""

    TYPE: ClassVar[str] = "predict"
    before: Scenario
    after: Scenario
    targets: tuple[str, ...]
    # (target, up | down | none) stated by the author from the cited sources, independent of the
    # model; check-content reports every target where the model disagrees.
    expect: tuple[tuple[str, str], ...] = ()

    def shuffled(self, seed: int | str) -> Predict:
        return replace(self, targets=_shuffle_tuple(self.targets, seed, self.id))


@dataclass(frozen=True, kw_only=True)
class Ordering(Question):
    """Put the steps in order; `steps` are listed in the correct order."""

    TYPE: ClassVar[str] = "ordering"
    steps: tuple[Choice, ...]

    @property
    def correct_order(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    def presented(self, seed: int | str) -> tuple[Choice, ...]:
        """The steps as shown to the student: shuffled, never already in the right order."""
        out = _shuffle_tuple(self.steps, seed, self.id)
        if len(out) > 1 and out == self.steps:
            out = out[1:] + out[:1]
        return out


@dataclass(frozen=True, kw_only=True)
class Matching(Question):
    """Match every left item (e.g. an abbreviation) to its right item (its meaning)."""

    TYPE: ClassVar[str] = "matching"
    pairs: tuple[tuple[str, str], ...]
    distractors: tuple[str, ...] = ()  # right items that match nothing (offered among the choices)

    @property
    def key(self) -> Mapping[str, str]:
        return MappingProxyType(dict(self.pairs))

    def right_options(self, seed: int | str) -> tuple[str, ...]:
        return _shuffle_tuple(tuple(dict.fromkeys([*(r for _, r in self.pairs), *self.distractors])), seed, self.id)


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    TYPE: ClassVar[str] = "numeric"
    answer: float
    tolerance: float = 0.0
    unit: str = ""


QUESTION_TYPES: Mapping[str, type[Question]] = MappingProxyType({
    c.TYPE: c for c in (SingleChoice, MultipleAnswer, TrueFalse, ClickNode, Predict, Ordering, Matching, Numeric)
})

