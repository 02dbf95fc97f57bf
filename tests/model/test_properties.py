"""Property tests: for any inputs, treatments, clamps and knock-outs the model stays finite and bounded."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.knowledge.model_io import load_model
from app.model.simulation import ESTROGEN_RANGE, FERRITIN_RANGE, Inputs, Model, Simulation

MODEL: Model = load_model()
NODES = list(MODEL.node_ids)
TREATMENTS = list(MODEL.treatments)

inputs_st = st.builds(
    lambda e, f, t, c, k: Inputs(estrogen=e, ferritin=f, treatments=tuple(t), clamps=c, knockouts=tuple(k)),
    st.floats(*ESTROGEN_RANGE),
    st.floats(*FERRITIN_RANGE),
    st.lists(st.sampled_from(TREATMENTS), max_size=4, unique=True),
    st.dictionaries(st.sampled_from(NODES), st.floats(0.0, 1.0), max_size=3),
    st.lists(st.sampled_from(NODES), max_size=2, unique=True),
)
_SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_state(state) -> None:  # noqa: ANN001
    for nid, v in state.activities.items():
        assert math.isfinite(v) and 0.0 <= v <= 1.0, (nid, v)
    for nid, v in state.delta_vs_reference.items():
        assert math.isfinite(v) and -1.0 <= v <= 1.0, (nid, v)
    assert math.isfinite(state.bone_mass_pct) and state.bone_mass_pct > 0.0
    assert 0.0 <= state.fracture_risk <= 1.0
    assert math.isfinite(state.formation) and state.formation >= 0.0
    assert math.isfinite(state.resorption) and state.resorption >= 0.0


@_SETTINGS
@given(inputs=inputs_st, years=st.floats(0.0, 40.0))
def test_projection_is_finite_and_bounded(inputs: Inputs, years: float) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # also under plain python, not only pytest's filter
        traj = MODEL.simulate(inputs, years)
        x = MODEL.steady_signalling(inputs)
    _check_state(traj.final)
    assert np.all(np.isfinite(x)) and np.all((x >= 0.0) & (x <= 1.0))
    for arr in (traj.bone_mass_pct, traj.formation, traj.resorption, traj.fracture_risk):
        assert np.all(np.isfinite(arr))
    assert np.all(traj.bone_mass_pct > 0.0)
    assert np.all((traj.fracture_risk >= 0.0) & (traj.fracture_risk <= 1.0))
    # The risk index falls whenever bone mass rises (review §4), along any trajectory.
    order = np.argsort(traj.bone_mass_pct, kind="stable")
    assert np.all(np.diff(traj.fracture_risk[order]) <= 1e-12)
    for nid, v in inputs.clamps.items():
        if nid not in inputs.knockouts:
            assert traj.final.activities[nid] == pytest.approx(v)
    for nid in inputs.knockouts:
        assert traj.final.activities[nid] == 0.0


@_SETTINGS
@given(first=inputs_st, second=inputs_st, steps=st.lists(st.floats(0.0, 400.0), min_size=1, max_size=6))
def test_animation_stays_bounded_through_changes(first: Inputs, second: Inputs, steps: list[float]) -> None:
    sim = Simulation(MODEL, first)
    for i, days in enumerate(steps):
        if i == len(steps) // 2:
            _check_state(sim.set_inputs(second))
        _check_state(sim.advance(days))
    assert sim.t_years <= sum(steps) / 365.25 + 1e-9


@pytest.mark.parametrize(("estrogen", "ferritin"), [(0, 10), (10, 100), (120, 10), (0, 3000), (120, 3000)])
def test_all_ten_treatments_together_stay_bounded_for_decades(estrogen: float, ferritin: float) -> None:
    """No input combination grows bone without bound: every treatment at once, for 80 years,
    levels off within a plausible margin of the premenopausal bone mass."""
    traj = MODEL.simulate(Inputs(estrogen=estrogen, ferritin=ferritin, treatments=tuple(TREATMENTS)), 80)
    mass = traj.bone_mass_pct
    assert np.all(np.isfinite(mass)) and 90.0 < mass.min() and mass.max() < 125.0
    per_year = 48
    assert abs(mass[-1] - mass[-10 * per_year]) < 0.5  # settled: less than half a point in a decade
