"""The "About the model" page: well formed, honest, and its numbers are the model's own."""

from __future__ import annotations

import re

import numpy as np

from app.knowledge.model_io import load_model
from app.knowledge.pages import load_page
from app.model.simulation import Inputs
from app.paths import content_dir

PAGE_FILE = content_dir() / "topics" / "about-model.md"
MODEL = load_model()


def test_page_is_well_formed() -> None:
    page, problems = load_page(PAGE_FILE, kind="topic", file="about-model.md")
    assert problems == [] and page is not None
    assert page.title == "About the model" and page.section == "model"
    assert "teaching model, not a clinical tool" in page.body
    headings = re.findall(r"^## .+$", page.body, flags=re.M)
    assert headings[-1] == "## Claims checked live"  # the GUI appends the live table here
    assert set(page.nodes) <= set(MODEL.node_ids)


def test_calibration_numbers_on_the_page_are_the_models() -> None:
    """If someone retunes a weight, this fails until the page is updated too."""
    body = PAGE_FILE.read_text(encoding="utf-8")

    def loss(inputs: Inputs, years: float) -> str:
        t = MODEL.simulate(inputs, years)
        return f"{t.bone_mass_pct[int(np.argmin(abs(t.t_years - years)))] - 100:.1f}".replace("-", "−")

    pm = Inputs(estrogen=10, ferritin=50)
    assert f"{loss(pm, 1)} %, {loss(pm, 3)} %, {loss(pm, 10)} %" in body
    assert f"{loss(Inputs(estrogen=10, ferritin=500), 10)} %" in body
    for tid in ("denosumab", "zoledronic_acid", "teriparatide", "estradiol", "raloxifene", "odanacatib"):
        gains = []
        for base in (pm, Inputs(estrogen=10, ferritin=500)):
            g = (MODEL.simulate(base.replace(treatments=(tid,)), 3).final.bone_mass_pct
                 - MODEL.simulate(base, 3).final.bone_mass_pct)
            gains.append(f"+{g:.1f}")
        name = MODEL.treatments[tid].name.split(" (")[0].lower()
        assert re.search(rf"^\| {re.escape(name)} \| {re.escape(gains[0])} \| {re.escape(gains[1])} \|", body,
                         flags=re.M), (tid, gains)
