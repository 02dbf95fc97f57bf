"""Prediction questions generated from the pathway graph and graded by the model (never hand-keyed),
so the bank grows with content/pathway.yaml."""

from __future__ import annotations

import random
from dataclasses import dataclass

import networkx as nx

from app.model.simulation import ESTROGEN, FERRITIN, Model
from app.quiz.grading import NO_CHANGE, direction, inputs_of, is_clear
from app.quiz.questions import Predict, Scenario

# Where each kind of change is taught (section of the review, topic page).
_TREATMENT_SECTION = {"hepcidin": ("5.1", "topic:s5-1-lowering-iron"), "icariin": ("5.2", "topic:s5-2-icariin"),
                      "aps": ("5.3", "topic:s5-3-aps")}


@dataclass(frozen=True, kw_only=True)
class Change:
    """A change of the model's inputs that a generated question asks about."""

    key: str
    words: str  # how the prompt names the change
    before: Scenario
    after: Scenario
    section: str
    page: str


def standard_changes(model: Model) -> tuple[Change, ...]:
    """Menopause, iron accumulation (with and without estrogen), and every treatment the model
    knows started in the postmenopausal, iron-loaded state (review §1, §3.1, Table 1)."""
    pre, post = Scenario(estrogen=100, ferritin=50), Scenario(estrogen=10, ferritin=50)
    post_iron = Scenario(estrogen=10, ferritin=500)
    changes = [
        Change(key="estrogen-100-10", words="Estrogen falls from 100 % to 10 % of its premenopausal level "
               "(ferritin stays at 50 µg/L).", before=pre, after=post, section="3.1", page="topic:s3-1-estrogen-iron"),
        Change(key="ferritin-50-800", words="Serum ferritin rises from 50 to 800 µg/L while estrogen stays at "
               "100 %.", before=pre, after=Scenario(estrogen=100, ferritin=800), section="2.1",
               page="topic:s2-1-osteoblasts"),
        Change(key="ferritin-50-500-post", words="After menopause (estrogen 10 %), serum ferritin rises from 50 to "
               "500 µg/L.", before=post, after=post_iron, section="3.1", page="topic:s3-1-estrogen-iron"),
    ]
    for tid, t in model.treatments.items():
        section, page = _TREATMENT_SECTION.get(tid, ("5", "topic:s5-treatments"))
        changes.append(Change(key=f"treat-{tid.replace('_', '-')}", words=f"{t.name} is started in a woman after "
                              "menopause with iron accumulation (estrogen 10 %, ferritin 500 µg/L).",
                              before=post_iron, after=Scenario(estrogen=10, ferritin=500, treatments=(tid,)),
                              section=section, page=page))
    return tuple(changes)


def generate_for(model: Model, change: Change, *, n_targets: int = 4, seed: int | str = 0) -> Predict | None:
    """One question about `change`: up to `n_targets` nodes downstream of where the change enters,
    each clearly up, down or unchanged in the model; None if nothing clear is left to ask."""
    from app.model.why import settled_deltas

    deltas = settled_deltas(model, inputs_of(change.before), inputs_of(change.after))
    g = model.pathway.graph
    sources = [n for n, d in ((ESTROGEN, change.before.estrogen != change.after.estrogen),
                              (FERRITIN, change.before.ferritin != change.after.ferritin)) if d]
    for tid in set(change.after.treatments) ^ set(change.before.treatments):
        sources += list(model.treatments[tid].target_nodes)
    downstream: set[str] = set()
    for s in sources:
        if s in g:
            downstream |= nx.descendants(g, s)
    downstream -= {ESTROGEN, FERRITIN}
    candidates = sorted(n for n in downstream if is_clear(deltas[n]))
    if not candidates:
        return None
    rng = random.Random(f"{seed}:{change.key}")
    moving = [n for n in candidates if direction(deltas[n]) != "none"]
    still = [n for n in candidates if direction(deltas[n]) == "none"]
    rng.shuffle(moving)
    rng.shuffle(still)
    # Mostly nodes that move, and one that does not when there is one: "no change" is a real answer.
    targets = moving[: n_targets - 1] + still[:1] if still else moving[:n_targets]
    if len(targets) < n_targets:
        targets += [n for n in moving + still if n not in targets][: n_targets - len(targets)]
    targets = [t for t in model.node_ids if t in targets]  # graph order: upstream first
    return Predict(
        id=f"gen-{change.key}", section=change.section, nodes=tuple(targets), difficulty=2 if len(sources) == 1 else 3,
        prompt=f"{change.words} For each node, predict whether its activity goes up, goes down or does not "
        "change once signalling has settled.",
        explanation="Generated from the pathway and graded by the model: each mark is checked against the "
        f"model's settled state (a move smaller than {NO_CHANGE:g} counts as no change). Follow the arrows from "
        "the node where the change enters; the path under each mark shows the chain that carries it.",
        page=change.page, cite=("cai2023",), generated=True,
        before=change.before, after=change.after, targets=tuple(targets),
    )


def generate_predictions(model: Model, *, n_targets: int = 4, seed: int | str = 0) -> tuple[Predict, ...]:
    """One generated prediction question per standard change."""
    out = (generate_for(model, c, n_targets=n_targets, seed=seed) for c in standard_changes(model))
    return tuple(q for q in out if q is not None)
