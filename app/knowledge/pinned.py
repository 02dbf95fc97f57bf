"""Pinned runs: a run kept as a reference to compare the live one with (its inputs, its curves and its
nodes' activities), as plain JSON-ready data, and the validation of pinned runs read from a session
file. Qt-free: the comparison feature (app.ui.explore.compare) shows them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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


def _numbers(value: object, what: str) -> list[float]:
    if not isinstance(value, list) or not value:
        raise ValueError(f"{what} must be a non-empty list of numbers (got {type(value).__name__})")
    out = []
    for i, v in enumerate(value):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError(f"{what}[{i}] must be a finite number (got {v!r})")
        out.append(float(v))
    return out


def validate_pinned(data: object, model: Model | None = None) -> list[PinnedRun]:
    """Pinned runs from JSON data (a session file's `pinned`), checked against `model` when given:
    raises ValueError naming the run and the field at the first problem."""
    from app.knowledge.session import inputs_to_json
    from app.model.simulation import Inputs

    if not isinstance(data, list):
        raise ValueError(f"pinned runs must be a list (got {type(data).__name__})")
    if len(data) > MAX_PINS:
        raise ValueError(f"at most {MAX_PINS} pinned runs (got {len(data)})")
    runs = []
    for i, item in enumerate(data, start=1):
        where = f"pinned run {i}"
        if not isinstance(item, dict):
            raise ValueError(f"{where} must be an object (got {type(item).__name__})")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"{where}: name must be a non-empty text (got {name!r})")
        where = f"pinned run {i} ({name.strip()!r})"
        raw = item.get("inputs")
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: inputs must be an object (got {type(raw).__name__})")
        try:
            inputs = Inputs(**raw)
            if model is not None:
                model.validate(inputs)
        except TypeError as exc:
            raise ValueError(f"{where}: inputs: {exc}") from None
        except ValueError as exc:
            raise ValueError(f"{where}: inputs: {exc}") from None
        series = {k: _numbers(item.get(k), f"{where}: {k}") for k in _SERIES}
        if len({len(v) for v in series.values()}) != 1:
            sizes = ", ".join(f"{k} {len(v)}" for k, v in series.items())
            raise ValueError(f"{where}: t, formation, resorption and mass must be equally long ({sizes})")
        acts = item.get("activities", {})
        if not isinstance(acts, dict):
            raise ValueError(f"{where}: activities must map node ids to numbers")
        activities = {}
        for k, v in acts.items():
            if model is not None and k not in model.index:
                raise ValueError(f"{where}: activities: unknown node {k!r}")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
                raise ValueError(f"{where}: activities: {k} must be a finite number (got {v!r})")
            activities[str(k)] = float(v)
        t_pinned = item.get("t_pinned", series["t"][-1])
        if isinstance(t_pinned, bool) or not isinstance(t_pinned, (int, float)) or not math.isfinite(t_pinned):
            raise ValueError(f"{where}: t_pinned must be a number (got {t_pinned!r})")
        runs.append(PinnedRun(name=name.strip(), inputs=inputs_to_json(inputs), activities=activities,
                              t_pinned=float(t_pinned), **series))
    return runs
