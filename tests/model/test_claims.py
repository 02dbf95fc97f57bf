"""The 20 directional claims of the review (content/claims.yaml): one test each, all must pass."""

from __future__ import annotations

import pytest

from app.knowledge.model_io import load_model_content
from app.model.claims import evaluate, evaluate_all
from app.model.simulation import Inputs
from app.paths import content_dir

CONTENT = load_model_content(content_dir())
CLAIMS = {c.id: c for c in CONTENT.claims}


def test_claims_file_is_complete_and_clean() -> None:
    assert CONTENT.problems == ()
    assert sorted(c.number for c in CONTENT.claims) == list(range(1, 21))
    for c in CONTENT.claims:
        assert c.cite and c.section and c.text


@pytest.mark.parametrize("claim_id", list(CLAIMS))
def test_claim(claim_id: str) -> None:
    assert CONTENT.model is not None
    passed, detail = evaluate(CONTENT.model, CLAIMS[claim_id])
    assert passed, f"claim {CLAIMS[claim_id].number} ({claim_id}) fails: {detail}"


def test_reference_is_exactly_flat() -> None:
    """Claim 1 holds by construction, not by tuning: the reference is a steady state."""
    assert CONTENT.model is not None
    traj = CONTENT.model.simulate(Inputs.reference(), 30)
    assert abs(traj.bone_mass_pct - 100.0).max() < 1e-9
    assert abs(traj.formation - traj.resorption).max() < 1e-9


def test_evaluate_all_reports_every_claim() -> None:
    assert CONTENT.model is not None
    results = evaluate_all(CONTENT.model, CONTENT.claims)
    assert [r.claim.id for r in results] == list(CLAIMS)
    assert all(r.passed and r.detail.startswith("✓") for r in results)


def test_evaluate_all_shows_claims_naming_missing_treatments_as_not_checked() -> None:
    """A broken treatments.yaml leaves claims naming unknown treatments: listed, never raised."""
    from app.model.simulation import Model

    bare = Model(CONTENT.model.pathway, {})
    results = evaluate_all(bare, CONTENT.claims)
    assert len(results) == len(CONTENT.claims)
    skipped = [r for r in results if r.detail.startswith("not checked: ")]
    assert skipped and all(not r.passed and "unknown treatment" in r.detail for r in skipped)
