"""What the app looks like at each step of a guided tour, worked out from the tour alone.

A step only names what it changes; everything else carries over from the steps before it. A tour
always starts from the premenopausal reference at year 0, so the state at step k is the same
whether the lecturer got there with Next, with Previous or by resuming a saved session."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from app.knowledge.tours import Tour
from app.model.scenarios import Scenario, scenario_with_role
from app.model.simulation import Inputs


@dataclass(frozen=True, slots=True)
class StepPlan:
    """The inputs in force during one step and the model years before and during it."""

    index: int
    inputs: Inputs
    scenario: str | None
    start_years: float  # model clock when the step begins
    play_years: float  # years the step plays


def plan(tour: Tour, scenarios: Mapping[str, Scenario]) -> tuple[StepPlan, ...]:
    """One StepPlan per step. Unknown scenario ids (check-content reports them) are skipped."""
    inputs = Inputs.reference()
    scenario = scenario_with_role(scenarios, "reference")  # scenarios.yaml `role: reference`
    clock = 0.0
    out: list[StepPlan] = []
    for i, step in enumerate(tour.steps):
        if step.scenario and step.scenario in scenarios:
            s = scenarios[step.scenario]
            inputs = inputs.replace(estrogen=s.estrogen, ferritin=s.ferritin, treatments=s.treatments)
            scenario = s.id
        values = step.values
        if values:
            try:
                inputs = inputs.replace(**values)
            except ValueError:
                pass  # out of range: check-content names the file and line
            if not step.scenario:
                scenario = None  # the sliders have left the named scenario
        if step.treatments is not None:
            try:
                inputs = inputs.replace(treatments=tuple(step.treatments))
            except ValueError:
                pass
        if step.knockouts is not None:
            try:
                inputs = inputs.replace(knockouts=tuple(step.knockouts))
            except ValueError:
                pass
        out.append(StepPlan(i, inputs, scenario, clock, max(0.0, step.years)))
        clock += max(0.0, step.years)
    return tuple(out)
