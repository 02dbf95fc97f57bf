"""Prepared slider settings (content/scenarios.yaml): premenopausal reference, early postmenopause,
postmenopause with iron accumulation and iron overload."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.model.simulation import Inputs


@dataclass(frozen=True, kw_only=True, slots=True)
class Scenario:
    id: str
    name: str
    estrogen: float  # % of the premenopausal level
    ferritin: float  # µg/L
    description: str  # two lines
    treatments: tuple[str, ...] = ()
    cite: tuple[str, ...] = ()
    role: str = ""  # "reference": the state every run, tour and reset starts from
    line: int = 0  # line in scenarios.yaml, for messages

    def inputs(self) -> Inputs:
        return Inputs(estrogen=self.estrogen, ferritin=self.ferritin, treatments=self.treatments)


SCENARIO_ROLES = ("reference",)


def scenario_with_role(scenarios: Mapping[str, Scenario], role: str) -> str | None:
    """The id of the scenario holding `role` (scenarios.yaml `role:`), or None if none does."""
    return next((s.id for s in scenarios.values() if s.role == role), None)
