"""Prediction questions generated from cited expectations (content/expectations.yaml) and graded by
the model, never hand-keyed: a node is asked about only when the literature states its direction
and the model agrees, so no question keys an answer the model invented."""

from __future__ import annotations

import random
from collections.abc import Iterable
from pathlib import Path

from app.model.simulation import Model
from app.quiz.expectations import Expectations, ExpectedChange, load_expectations
from app.quiz.grading import NO_CHANGE, direction, inputs_of, is_clear
from app.quiz.questions import Predict

MIN_TARGETS = 2  # a question about one node is a true/false question in disguise


def expectations_for(model: Model, root: Path | None = None, *,
                     file: str = "content/expectations.yaml") -> Expectations:
    """The expectations of the app's content (or `root`), checked against the model's ids."""
    from app.knowledge.model_io import load_scenarios
    from app.knowledge.species import reference_keys
    from app.paths import content_dir

    root = root or content_dir()
    scenarios, _ = load_scenarios(root / "scenarios.yaml", dict(model.treatments))
    return load_expectations(root, scenarios=scenarios, treatments=model.treatments, nodes=model.node_ids,
                             refs=reference_keys(root), file=file)


def agreeing(model: Model, change: ExpectedChange) -> list[tuple[str, str, float]]:
    """(node, direction, settled change) for every expectation the model reproduces clearly."""
    from app.model.why import settled_deltas

    deltas = settled_deltas(model, inputs_of(change.before), inputs_of(change.after))
    return [(e.node, e.direction, deltas[e.node]) for e in change.expect
            if is_clear(deltas[e.node]) and direction(deltas[e.node]) == e.direction]


def generate_for(model: Model, change: ExpectedChange, *, n_targets: int = 4, seed: int | str = 0) -> Predict | None:
    """One question about `change`: up to `n_targets` nodes whose direction the literature states
    and the model reproduces; None if fewer than MIN_TARGETS are left."""
    ok = agreeing(model, change)
    if len(ok) < MIN_TARGETS:
        return None
    rng = random.Random(f"{seed}:{change.key}")
    rng.shuffle(ok)
    chosen = {node for node, _, _ in ok[:n_targets]}
    targets = tuple(t for t in model.node_ids if t in chosen)  # graph order: upstream first
    cite = tuple(dict.fromkeys(c for e in change.expect if e.node in chosen for c in e.cite))
    return Predict(
        id=f"gen-{change.key}", section=change.section, nodes=targets, difficulty=2 if len(targets) < 4 else 3,
        prompt=f"{change.words} For each node, predict whether its activity goes up, goes down or does not "
        "change once signalling has settled.",
        explanation="Generated from published findings and graded by the model: each node asked about has a "
        "direction stated in the cited studies, and the model agrees with it (a move smaller than "
        f"{NO_CHANGE:g} would count as no change). The path under each mark shows the chain that carries it.",
        page=change.page, cite=cite, generated=True,
        before=change.before, after=change.after, targets=targets,
    )


def generate_predictions(model: Model, *, expectations: Expectations | None = None, n_targets: int = 4,
                         seed: int | str = 0) -> tuple[Predict, ...]:
    """One generated prediction question per expected change that leaves enough to ask."""
    exp = expectations if expectations is not None else expectations_for(model)
    out: Iterable[Predict | None] = (generate_for(model, c, n_targets=n_targets, seed=seed) for c in exp.changes)
    return tuple(q for q in out if q is not None)
