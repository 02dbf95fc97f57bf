"""Builds the model and the control panel's data from the loaded content (after first paint)."""

from __future__ import annotations

from dataclasses import dataclass

from app.knowledge.content import Content
from app.model.scenarios import Scenario
from app.model.simulation import Model
from app.ui.model.controls import ScenarioInfo, TreatmentInfo


@dataclass(frozen=True)
class ModelSetup:
    model: Model
    scenarios: dict[str, Scenario]
    scenario_infos: list[ScenarioInfo]
    treatment_infos: list[TreatmentInfo]
    treatment_pages: dict[str, str]
    claims: tuple
    problems: tuple


def build_model(content: Content) -> ModelSetup:
    """Raises ValueError naming the file and line if the model cannot be built at all."""
    from app.knowledge.model_io import load_model_content

    mc = load_model_content(content.root, content.pathway)
    if mc.model is None:
        raise ValueError(str(mc.problems[0]) if mc.problems else "cannot build the model")
    treatments = mc.model.treatments
    # A treatment without a page of its own opens the topic page of the review's section on it.
    section_pages = {page.section: f"topic:{pid}" for pid, page in sorted(content.topic_pages.items())
                     if page.section}
    return ModelSetup(
        model=mc.model,
        scenarios=dict(mc.scenarios),
        scenario_infos=[ScenarioInfo(s.id, s.name, s.description) for s in mc.scenarios.values()],
        treatment_infos=[TreatmentInfo(t.id, t.name, t.mechanism, t.page) for t in treatments.values()],
        treatment_pages={t.id: page for t in treatments.values()
                         if (page := t.page or section_pages.get(t.section, ""))},
        claims=mc.claims,
        problems=mc.problems,
    )
