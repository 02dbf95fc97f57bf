"""Grading of every question type, with partial credit, and prediction questions graded by the model."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from app.model.simulation import Inputs, Model
from app.model.why import explain, label_in_sentence, settled_deltas
from app.quiz.questions import (
    DIRECTIONS,
    ClickNode,
    Matching,
    MultipleAnswer,
    Numeric,
    Ordering,
    Predict,
    Question,
    Scenario,
    SingleChoice,
    TrueFalse,
)

# A node that moves less than this (activity units, 0..1) counts as "no change": the model's
# activities are qualitative, and a shift of a fifth of a percent is invisible on the diagram.
NO_CHANGE = 0.002
# Prediction targets must be clear of the threshold (bank check): a mark should never hinge on
# rounding. Moves between NO_CHANGE / 2 and 2 x NO_CHANGE are "ambiguous".
CLEAR_FACTOR = 2.0

Response = object  # per type: str | Collection[str] | bool | Sequence[str] | Mapping[str, str] | float


@dataclass(frozen=True, kw_only=True)
class Mark:
    """One graded prediction: the student's mark, the model's direction and why."""

    node: str
    given: str | None
    expected: str
    delta: float
    why: str  # the path that explains the direction (app.model.why), or why nothing moves
    path: tuple[str, ...] = ()

    @property
    def correct(self) -> bool:
        return self.given == self.expected


@dataclass(frozen=True, kw_only=True)
class Grade:
    score: float  # 0..1, partial credit where the type allows it
    feedback: str  # what was right or wrong, then the question's explanation
    marks: tuple[Mark, ...] = ()

    @property
    def correct(self) -> bool:
        return self.score >= 1.0 - 1e-9


class GradingError(ValueError):
    """A response of the wrong shape for its question (a programming error in the caller)."""


def inputs_of(s: Scenario) -> Inputs:
    return Inputs(estrogen=s.estrogen, ferritin=s.ferritin, treatments=s.treatments)


def direction(delta: float) -> str:
    if delta > NO_CHANGE:
        return "up"
    if delta < -NO_CHANGE:
        return "down"
    return "none"


def is_clear(delta: float) -> bool:
    """Far enough from the no-change threshold to grade fairly."""
    a = abs(delta)
    return a < NO_CHANGE / CLEAR_FACTOR or a > NO_CHANGE * CLEAR_FACTOR


def model_directions(model: Model, q: Predict) -> dict[str, tuple[str, float]]:
    """What the model says for each target: (direction, settled change)."""
    d = settled_deltas(model, inputs_of(q.before), inputs_of(q.after))
    return {t: (direction(d[t]), d[t]) for t in q.targets}


def _why(model: Model, q: Predict, node: str, expected: str) -> tuple[str, tuple[str, ...]]:
    label = label_in_sentence(model, node)
    if expected == "none":
        return (f"The change does not reach {label} (it moves less than {NO_CHANGE:g}).", ())
    trace = explain(model, inputs_of(q.before), inputs_of(q.after), target=node, max_paths=1)
    if trace.paths:
        return trace.paths[0].sentence + ".", trace.paths[0].nodes
    return trace.sentence, ()


def grade_predict(model: Model, q: Predict, response: Mapping[str, str]) -> Grade:
    if not isinstance(response, Mapping):
        raise GradingError("a prediction is answered with a mapping node id -> up/down/none")
    bad = [v for v in response.values() if v not in DIRECTIONS]
    if bad:
        raise GradingError(f"marks must be one of {', '.join(DIRECTIONS)} (got {bad[0]!r})")
    marks = []
    for node, (exp, delta) in model_directions(model, q).items():
        why, path = _why(model, q, node, exp)
        marks.append(Mark(node=node, given=response.get(node), expected=exp, delta=delta, why=why, path=path))
    score = sum(m.correct for m in marks) / len(marks) if marks else 0.0
    words = {"up": "up", "down": "down", "none": "no change"}
    lines = []
    for m in marks:
        label = label_in_sentence(model, m.node)
        ok = "✓" if m.correct else "✗"
        given = words.get(m.given or "", "no mark")
        lines.append(f"{ok} {label}: you said {given}; the model says {words[m.expected]}. {m.why}")
    return Grade(score=score, feedback="\n".join([*lines, q.explanation]), marks=tuple(marks))


def _fraction_set(given: Collection[str], correct: Collection[str], options: Collection[str]) -> float:
    """Partial credit for a multiple-answer question: each correct option ticked earns
    1/len(correct), each wrong one ticked costs 1/len(wrong options); floored at 0 (as Moodle)."""
    given_s, correct_s = set(given), set(correct)
    wrong_s = set(options) - correct_s
    gain = len(given_s & correct_s) / len(correct_s) if correct_s else 0.0
    loss = len(given_s & wrong_s) / len(wrong_s) if wrong_s else 0.0
    return max(0.0, gain - loss)


def order_score(given: Sequence[str], correct: Sequence[str]) -> float:
    """Fraction of step pairs in the right relative order (1 = all, 0 = reversed or invalid)."""
    if sorted(given) != sorted(correct) or len(correct) < 2:
        return 1.0 if list(given) == list(correct) else 0.0
    pos = {s: i for i, s in enumerate(given)}
    pairs = list(combinations(correct, 2))
    return sum(pos[a] < pos[b] for a, b in pairs) / len(pairs)


def _result(score: float, q: Question, right: str, wrong: str) -> Grade:
    head = right if score >= 1.0 - 1e-9 else wrong
    return Grade(score=score, feedback=f"{head}\n{q.explanation}".strip())


def grade(q: Question, response: Response, *, model: Model | None = None) -> Grade:
    """Grade `response` to `q`. Prediction questions need the model (they are never hand-keyed)."""
    if isinstance(q, Predict):
        if model is None:
            raise GradingError("prediction questions are graded by running the model: pass model=")
        return grade_predict(model, q, response)  # type: ignore[arg-type]
    if isinstance(q, SingleChoice):
        if not isinstance(response, str):
            raise GradingError("a single-choice question is answered with one choice id")
        chosen = next((c for c in q.choices if c.id == response), None)
        right = next(c for c in q.choices if c.id == q.answer)
        score = 1.0 if response == q.answer else 0.0
        if chosen is not None and chosen.credit is not None and response != q.answer:
            score = min(1.0, max(0.0, chosen.credit / 100))
        fb = chosen.feedback if chosen and chosen.feedback else ""
        wrong = f"Partly right ({score:.0%}): the best answer is “{right.text}”." if score > 0 else \
            f"Not quite: the answer is “{right.text}”."
        return _result(score, q, f"Correct. {fb}".strip(), f"{wrong} {fb}".strip())
    if isinstance(q, MultipleAnswer):
        if isinstance(response, str) or not isinstance(response, Collection):
            raise GradingError("a multiple-answer question is answered with a collection of choice ids")
        if q.partial:  # the author's credits: their sum over the ticked options, within 0..100 %
            ticked = set(response)
            score = min(1.0, max(0.0, sum((c.credit or 0.0) for c in q.choices if c.id in ticked) / 100))
        else:
            score = _fraction_set(response, q.answers, [c.id for c in q.choices])
        rights = "; ".join(c.text for c in q.choices if c.id in q.answers)
        return _result(score, q, "Correct.", f"Partly right ({score:.0%}). The correct options: {rights}.")
    if isinstance(q, TrueFalse):
        if not isinstance(response, bool):
            raise GradingError("a true/false question is answered with True or False")
        score = 1.0 if response == q.answer else 0.0
        return _result(score, q, "Correct.", f"Not quite: the statement is {'true' if q.answer else 'false'}.")
    if isinstance(q, ClickNode):
        if isinstance(response, str):
            response = [response]
        if not isinstance(response, Collection):
            raise GradingError("a click-the-node question is answered with node id(s)")
        if len(q.answers) == 1:
            score = 1.0 if set(response) == set(q.answers) else 0.0
        else:
            given, correct = set(response), set(q.answers)
            score = max(0.0, (len(given & correct) - len(given - correct)) / len(correct))
        return _result(score, q, "Correct.", f"Not quite: the node(s) to click: {', '.join(sorted(q.answers))}.")
    if isinstance(q, Ordering):
        if isinstance(response, str) or not isinstance(response, Sequence):
            raise GradingError("an ordering question is answered with the step ids in order")
        score = order_score(list(response), q.correct_order)
        order = " → ".join(s.text for s in q.steps)
        return _result(score, q, "Correct.", f"Partly right ({score:.0%}). The order: {order}.")
    if isinstance(q, Matching):
        if not isinstance(response, Mapping):
            raise GradingError("a matching question is answered with a mapping left -> right")
        key = q.key
        score = sum(response.get(left) == right for left, right in key.items()) / len(key)
        pairs = "; ".join(f"{a} = {b}" for a, b in q.pairs)
        return _result(score, q, "Correct.", f"Partly right ({score:.0%}). The pairs: {pairs}.")
    if isinstance(q, Numeric):
        if isinstance(response, bool) or not isinstance(response, (int, float)) or not math.isfinite(response):
            raise GradingError("a numeric question is answered with a finite number")
        score = 1.0 if abs(float(response) - q.answer) <= q.tolerance + 1e-12 else 0.0
        unit = f" {q.unit}" if q.unit else ""
        tol = f" (± {q.tolerance:g})" if q.tolerance else ""
        return _result(score, q, "Correct.", f"Not quite: the answer is {q.answer:g}{unit}{tol}.")
    raise GradingError(f"unknown question type {type(q).__name__}")
