"""Prepared slider settings (content/scenarios.yaml): premenopausal reference, early postmenopause,
postmenopause with iron accumulation and iron overload."""

from __future__ import annotations

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
    line: int = 0  # line in scenarios.yaml, for messages

    def inputs(self) -> Inputs:
        return Inputs(estrogen=self.estrogen, ferritin=self.ferritin, treatments=self.treatments)
