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
MIN_OPTIONS: Mapping[str, int] = MappingProxyType({"single": 2, "multiple": 3, "ordering": 3, "matching": 3})


@dataclass(frozen=True, kw_only=True)
class Choice:
    """One option of a choice question; `id` is stable so shuffling never changes grading."""

    id: str
    text: str
    feedback: str = ""


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
    TYPE: ClassVar[str] = "single"
    choices: tuple[Choice, ...]
    answer: str  # id of the correct choice

    def shuffled(self, seed: int | str) -> SingleChoice:
        return replace(self, choices=_shuffle_tuple(self.choices, seed, self.id))


@dataclass(frozen=True, kw_only=True)
class MultipleAnswer(Question):
    TYPE: ClassVar[str] = "multiple"
    choices: tuple[Choice, ...]
    answers: frozenset[str]  # ids of every correct choice

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

    @property
    def key(self) -> Mapping[str, str]:
        return MappingProxyType(dict(self.pairs))

    def right_options(self, seed: int | str) -> tuple[str, ...]:
        return _shuffle_tuple(tuple(r for _, r in self.pairs), seed, self.id)


@dataclass(frozen=True, kw_only=True)
class Numeric(Question):
    TYPE: ClassVar[str] = "numeric"
    answer: float
    tolerance: float = 0.0
    unit: str = ""


QUESTION_TYPES: Mapping[str, type[Question]] = MappingProxyType({
    c.TYPE: c for c in (SingleChoice, MultipleAnswer, TrueFalse, ClickNode, Predict, Ordering, Matching, Numeric)
})

