"""The "About the model" page: well formed, honest, and its numbers are the model's own."""

from __future__ import annotations

import re

from app.knowledge.model_io import load_model
from app.knowledge.pages import load_page
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
    """Every figure row of content/calibration.yaml appears on the page with the model's own value:
    if someone retunes a weight, this fails until the page is updated too."""
    from app.knowledge.model_io import load_model_content
    from app.model.calibration import evaluate

    body = PAGE_FILE.read_text(encoding="utf-8")
    mc = load_model_content(content_dir())
    shown = [r for r in evaluate(MODEL, mc.calibration)
             if r.row.kind == "figure" and not r.row.range[1] == float("inf")]
    assert len(shown) >= 12
    for r in shown:
        line = f"| {r.row.label} | {r.row.published:g} | {r.model:.1f} | {r.row.range[0]:g} to {r.row.range[1]:g} |"
        assert line in body, line
    assert "Model ▸ Evidence" in body


def test_the_page_states_what_the_model_cannot_do() -> None:
    text = " ".join(PAGE_FILE.read_text(encoding="utf-8").split())
    for words in ("not a clinical tool", "One bone", "no dose-response", "no drug holidays", "No side effects"):
        assert words in text, words
