"""The calibration table (content/calibration.yaml): well formed, every row computed from the model
and inside its range, and the figures are the model's own (a changed parameter changes them)."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from app.knowledge.calibration_io import load_calibration
from app.knowledge.model_io import load_model_content
from app.model.calibration import evaluate, evaluate_row
from app.model.simulation import Model
from app.paths import content_dir

CONTENT = load_model_content(content_dir())
MODEL = CONTENT.model
ROWS = {r.id: r for r in CONTENT.calibration}


def test_calibration_file_is_clean_and_complete() -> None:
    assert CONTENT.problems == ()
    kinds = {r.kind for r in ROWS.values()}
    assert kinds == {"figure", "order", "ratio"}
    for row in ROWS.values():
        assert row.cite and row.verified and row.label
        if row.kind == "figure":
            assert row.published is not None and row.range[0] <= row.range[1]
    # The trials the table was started with are all there.
    for rid in ("swan_transmenopause", "swan_cumulative", "kim_femur_loss_rate", "freedom_denosumab",
                "horizon_zoledronic_acid", "neer_teriparatide", "whi_estrogen_progestin", "more_raloxifene",
                "loft_odanacatib", "data_combination", "data_teriparatide", "data_denosumab"):
        assert rid in ROWS


@pytest.mark.parametrize("row_id", list(ROWS))
def test_row_holds(row_id: str) -> None:
    assert MODEL is not None
    result = evaluate_row(MODEL, ROWS[row_id])
    assert result.within, f"{row_id}: {result.detail} (published {ROWS[row_id].published})"


def test_the_whole_table_in_one_call() -> None:
    assert MODEL is not None
    results = evaluate(MODEL, CONTENT.calibration)
    assert [r.id for r in results] == list(ROWS)
    outside = [f"{r.id}: {r.detail}" for r in results if not r.within]
    assert outside == []


def test_figures_are_computed_from_the_model() -> None:
    """A faster turnover loses more bone after menopause; a weaker denosumab gains less."""
    assert MODEL is not None
    swan, freedom = ROWS["swan_transmenopause"], ROWS["freedom_denosumab"]
    base_loss = evaluate_row(MODEL, swan).model
    faster = Model(MODEL.pathway, MODEL.treatments, params=dataclasses.replace(
        MODEL.params, turnover_pct_per_year=2 * MODEL.params.turnover_pct_per_year))
    assert evaluate_row(faster, swan).model > base_loss + 1.0
    weak = dict(MODEL.treatments)
    den = weak["denosumab"]
    weak["denosumab"] = dataclasses.replace(den, actions=tuple(
        dataclasses.replace(a, fraction=0.5) for a in den.actions))
    weaker = Model(MODEL.pathway, weak, params=MODEL.params)
    assert evaluate_row(weaker, freedom).model < evaluate_row(MODEL, freedom).model - 1.0


def test_order_and_ratio_rows_report_every_arm() -> None:
    assert MODEL is not None
    order = evaluate_row(MODEL, ROWS["trial_order"])
    assert isinstance(order.model, tuple) and len(order.model) == 4
    assert order.model == tuple(sorted(order.model, reverse=True))
    ratio = evaluate_row(MODEL, ROWS["antiresorptives_saturate"])
    assert isinstance(ratio.model, float) and "/" in ratio.detail


def test_a_row_naming_an_unknown_treatment_is_shown_not_raised() -> None:
    assert MODEL is not None
    bare = Model(MODEL.pathway, {}, params=MODEL.params)
    results = evaluate(bare, CONTENT.calibration)
    natural = [r for r in results if not any(a.intervention for a in r.row.arms)]
    treated = [r for r in results if any(a.intervention for a in r.row.arms)]
    assert natural and all(r.within for r in natural)
    assert treated and all(not r.within and r.detail.startswith("not computed: ") for r in treated)
    assert all(math.isnan(r.model) for r in treated if isinstance(r.model, float))


def test_bad_rows_are_reported_with_lines(tmp_path: Path) -> None:
    p = tmp_path / "calibration.yaml"
    p.write_text("""\
rows:
  - id: ok
    label: "fine"
    population: {estrogen: 10, ferritin: 50}
    intervention: []
    measure: loss
    years: 3
    published: 7
    range: [5, 9]
    cite: [x]
    verified: "abstract says 7"
  - id: bad_measure
    label: "x"
    population: {estrogen: 10, ferritin: 50}
    measure: height
    years: 3
    published: 1
    range: [0, 2]
    cite: [x]
    verified: "v"
  - id: no_verified
    label: "x"
    population: {estrogen: 10, ferritin: 50}
    measure: loss
    years: 3
    published: 1
    range: [0, 2]
    cite: [x]
  - id: bad_drug
    label: "x"
    population: {estrogen: 10, ferritin: 5000, untreated_years: 10}
    intervention: [aspirin]
    measure: effect
    years: 3
    published: 1
    range: [0, 2]
    cite: [x]
    verified: "v"
  - id: unknown_ref
    label: "x"
    population: {estrogen: 10, ferritin: 50}
    measure: loss
    years: 3
    published: 1
    range: [2, 0]
    cite: [nobody2020]
    verified: "v"
  - id: ok
    label: "again"
    population: {estrogen: 10, ferritin: 50}
    measure: loss
    years: 6
    published: 10
    range: [7, 13]
    cite: [x]
    verified: "abstract says 10"
""", encoding="utf-8")
    rows, problems = load_calibration(p, "calibration.yaml", treatments=["denosumab"], reference_keys={"x"})
    assert [r.id for r in rows] == ["ok"]
    text = [str(x) for x in problems]
    assert any(t.startswith("calibration.yaml:12:") and "'measure' must be one of" in t for t in text)
    assert any(t.startswith("calibration.yaml:21:") and "'verified'" in t for t in text)
    assert any(t.startswith("calibration.yaml:31:") and "'ferritin' must be a number from 10 to 3000" in t
               for t in text)
    assert any(t.startswith("calibration.yaml:39:") and "unknown reference key(s) nobody2020" in t for t in text)
    assert any(t.startswith("calibration.yaml:48:") and "duplicate row id 'ok'" in t for t in text)
    assert len(problems) == 5
