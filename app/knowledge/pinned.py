"""Pinned runs: a run kept as a reference to compare the live one with (its inputs, its curves and its
nodes' activities), as plain JSON-ready data, and the validation of pinned runs read from a session
file. Qt-free: the comparison feature (app.ui.explore.compare) shows them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.model.numbers import shown

if TYPE_CHECKING:  # numpy comes with the model: the comparison feature imports this module at start-up
    from app.model.simulation import Model

MAX_PINS = 3
_SERIES = ("t", "formation", "resorption", "mass")


@dataclass
class PinnedRun:
    """One pinned run: its name, inputs (as inputs_to_json writes them), the curves of formation,
    resorption and bone mass over model years t, each node's activity when it was pinned."""

    name: str
    inputs: dict
    t: list[float]
    formation: list[float]
    resorption: list[float]
    mass: list[float]
    activities: dict[str, float] = field(default_factory=dict)
    t_pinned: float = 0.0

    def as_dict(self) -> dict:
        return {"name": self.name, "inputs": dict(self.inputs), "t_pinned": self.t_pinned,
                **{k: list(getattr(self, k)) for k in _SERIES}, "activities": dict(self.activities)}

    def differences(self, activities: dict[str, float]) -> dict[str, float]:
        """Live activity minus this run's, per node (a node this run does not know: no difference)."""
        return {nid: float(v) - self.activities.get(nid, float(v)) for nid, v in activities.items()}


def validate_pinned(data: object, model: Model | None = None) -> list[PinnedRun]:
    """Pinned runs from JSON data (a session file's `pinned`): shapes, finite numbers and plausible
    ranges checked as a session file's are (app.knowledge.session.validate_pinned, with key paths
    such as pinned[0].formation[3]), then ids against `model` when given. Raises ValueError naming
    the run and the field at the first problem."""
    from app.knowledge.session import SessionError, inputs_from_json
    from app.knowledge.session import validate_pinned as checked_pins

    try:
        checked = checked_pins(data)
    except SessionError as exc:
        raise ValueError(str(exc)) from None
    if len(checked) > MAX_PINS:
        raise ValueError(f"at most {MAX_PINS} pinned runs (got {len(checked)})")
    runs = []
    for i, d in enumerate(checked):
        if model is not None:
            try:
                model.validate(inputs_from_json(d["inputs"], f"pinned[{i}].inputs"))
            except (SessionError, ValueError) as exc:
                raise ValueError(f"pinned[{i}].inputs: {exc}") from None
            unknown = [k for k in d["activities"] if k not in model.index]
            if unknown:
                raise ValueError(f"pinned[{i}].activities: unknown node {shown(unknown[0])}")
        runs.append(PinnedRun(**d))
    return runs
