"""The model's API and behaviour: built from the graph, validated inputs, the animation clock,
clamps, knock-outs and edge blocks, the slow iron store and the calibration targets."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.knowledge.model_io import load_model
from app.model.pathway import Edge, Pathway
from app.model.simulation import DAYS_PER_YEAR, Inputs, Model, Simulation

ROOT = Path(__file__).resolve().parents[2]
MODEL = load_model()
PM = Inputs(estrogen=10, ferritin=50)
PMI = Inputs(estrogen=10, ferritin=500)


def _bone(inputs: Inputs, years: float) -> float:
    return MODEL.simulate(inputs, years).final.bone_mass_pct


def test_reference_state_is_the_reference() -> None:
    ref = MODEL.reference_state()
    assert dict(ref.activities) == dict(MODEL.reference_activities)
    assert all(v == 0.0 for v in ref.delta_vs_reference.values())
    assert ref.bone_mass_pct == 100.0 and ref.formation == ref.resorption
    sim = Simulation(MODEL, Inputs.reference())
    assert sim.advance(3650).activities == pytest.approx(dict(MODEL.reference_activities), abs=1e-12)
    # Every intermediate node sits in a readable range at the reference (MODEL-NOTES §4).
    inner = {k: v for k, v in MODEL.reference_activities.items()
             if k not in ("estrogen", "serum_ferritin", "bone_mass", "fracture_risk")}
    assert 0.1 < min(inner.values()) and max(inner.values()) < 0.75


def test_adding_an_edge_to_the_graph_changes_the_simulation() -> None:
    pw = MODEL.pathway
    extra = Edge(source="estrogen", target="runx2", sign=1, weight=0.6, cite=("test",), section="x",
                 evidence="in_vitro")
    bigger = Model(Pathway(pw.compartments, pw.nodes, (*pw.edges, extra)), MODEL.treatments)
    i = MODEL.index["runx2"]
    assert bigger.steady_signalling(PM)[i] != pytest.approx(MODEL.steady_signalling(PM)[i])
    weaker = Model(Pathway(pw.compartments, pw.nodes, tuple(
        dataclasses.replace(e, weight=0.0) if (e.source, e.target) == ("estrogen", "osteoclast") else e
        for e in pw.edges)), MODEL.treatments)
    assert _bone(PM, 10) != pytest.approx(weaker.simulate(PM, 10).final.bone_mass_pct)


@pytest.mark.parametrize(("kwargs", "words"), [
    ({"estrogen": 150, "ferritin": 50}, ["estrogen", "0", "120", "150"]),
    ({"estrogen": -1, "ferritin": 50}, ["estrogen", "-1"]),
    ({"estrogen": float("nan"), "ferritin": 50}, ["estrogen", "nan"]),
    ({"estrogen": 10, "ferritin": 5}, ["ferritin", "10", "3000", "5"]),
    ({"estrogen": 10, "ferritin": float("inf")}, ["ferritin", "inf"]),
    ({"estrogen": 10, "ferritin": 50, "clamps": {"ros": 1.5}}, ["ros", "1.5"]),
    ({"estrogen": 10**400, "ferritin": 50}, ["estrogen", "0", "120", "a number with 401 digits"]),  # no float holds it
])
def test_bad_numbers_raise_one_line_messages(kwargs: dict, words: list[str]) -> None:
    with pytest.raises(ValueError) as exc:
        Inputs(**kwargs)
    msg = str(exc.value)
    assert "\n" not in msg and len(msg) < 120 and all(w in msg for w in words)


def test_unknown_ids_name_the_valid_choices() -> None:
    with pytest.raises(ValueError, match=r"unknown treatment 'aspirin' \(valid: .*denosumab"):
        MODEL.simulate(Inputs(estrogen=10, ferritin=50, treatments=("aspirin",)), 1)
    with pytest.raises(ValueError, match=r"unknown node 'bone' \(valid: .*bone_mass"):
        MODEL.steady_signalling(Inputs(estrogen=10, ferritin=50, knockouts=("bone",)))
    with pytest.raises(ValueError, match="unknown node 'x'"):
        Simulation(MODEL, Inputs(estrogen=10, ferritin=50, clamps={"x": 0.5}))


def test_inputs_are_frozen_hashable_and_normalised() -> None:
    a = Inputs(estrogen=10, ferritin=50, treatments=["denosumab", "denosumab"], clamps={"ros": 1})
    b = Inputs(estrogen=10.0, ferritin=50.0, treatments=("denosumab",), clamps={"ros": 1.0})
    assert a == b and hash(a) == hash(b) and a.treatments == ("denosumab",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.estrogen = 5  # type: ignore[misc]
    with pytest.raises(TypeError):
        a.clamps["ros"] = 0.2  # type: ignore[index]


def test_simulation_clock_is_fixed_step_and_frame_rate_independent() -> None:
    one = Simulation(MODEL, PMI)
    many = Simulation(MODEL, PMI)
    one.advance(365.25)
    for _ in range(60):
        many.advance(365.25 / 60)  # a year in 60 frames
    assert many.state.t_years == pytest.approx(one.state.t_years)
    assert many.state.bone_mass_pct == pytest.approx(one.state.bone_mass_pct, abs=1e-12)
    assert MODEL.simulate(PMI, 1).final.bone_mass_pct == pytest.approx(one.state.bone_mass_pct, abs=1e-12)


def test_set_inputs_keeps_clock_and_bone_and_reset_starts_over() -> None:
    sim = Simulation(MODEL, PMI)
    sim.advance(2 * DAYS_PER_YEAR)
    before = sim.state
    after = sim.set_inputs(PMI.replace(treatments=("denosumab",)))
    assert after.t_years == before.t_years and after.bone_mass_pct == before.bone_mass_pct
    assert after.activities["rank"] < before.activities["rank"]  # targets change at once
    assert after.iron_store == before.iron_store  # the slow store carries on
    later = sim.advance(DAYS_PER_YEAR)
    assert later.bone_mass_pct > before.bone_mass_pct  # denosumab turns loss into gain
    projection = sim.project(5)
    assert sim.state == later  # projecting does not move the simulation
    assert projection.t_years[0] == pytest.approx(later.t_years)
    assert projection.t_years[-1] == pytest.approx(later.t_years + 5)
    fresh = sim.reset()
    assert fresh.t_years == 0 and fresh.bone_mass_pct == 100.0 and sim.inputs.treatments == ("denosumab",)
    with pytest.raises(ValueError):
        sim.set_inputs(Inputs(estrogen=10, ferritin=50, treatments=("nope",)))
    assert sim.inputs.treatments == ("denosumab",)  # a bad input changes nothing


def test_iron_store_is_slow() -> None:
    """Ferritin acts through a store with a time constant of about 180 days (MODEL-NOTES §4)."""
    settled = MODEL.steady_signalling(PMI)[MODEL.index["serum_ferritin"]]
    sim = Simulation(MODEL, PMI)
    month = sim.advance(30.4).activities["serum_ferritin"]
    years = sim.advance(5 * DAYS_PER_YEAR).activities["serum_ferritin"]
    assert month < 0.3 * settled and years == pytest.approx(settled, rel=1e-3)


def test_knockout_and_clamp_any_node() -> None:
    for nid in MODEL.node_ids:
        k = MODEL.simulate(PM.replace(knockouts=(nid,)), 1).final
        c = MODEL.simulate(PM.replace(clamps={nid: 0.7}), 1).final
        assert k.activities[nid] == 0.0 and c.activities[nid] == pytest.approx(0.7)
    runx2_ko = MODEL.steady_signalling(PM.replace(knockouts=("runx2",)))
    assert runx2_ko[MODEL.index["osteoblast"]] < MODEL.steady_signalling(PM)[MODEL.index["osteoblast"]]
    assert _bone(PM.replace(clamps={"osteoclast": 0.9}), 10) < _bone(PM, 10)


def test_denosumab_blocks_rankl_binding_partially() -> None:
    i = MODEL.index["rank"]
    plain, blocked = MODEL.steady_signalling(PMI), MODEL.steady_signalling(PMI.replace(treatments=("denosumab",)))
    ko = MODEL.steady_signalling(PMI.replace(knockouts=("rankl",)))
    assert ko[i] < blocked[i] < 0.3 * plain[i]
    assert blocked[MODEL.index["rankl"]] == pytest.approx(plain[MODEL.index["rankl"]], abs=0.02)


def test_hepcidin_therapy_has_two_faces() -> None:
    """Less body iron but ferroportin shut: a clear gain at high ferritin, about nil at normal."""
    def gain(base: Inputs) -> float:
        return _bone(base.replace(treatments=("hepcidin",)), 10) - _bone(base, 10)

    assert gain(PMI) > 2.0 and abs(gain(PM)) < 1.0
    treated = MODEL.steady_signalling(PM.replace(treatments=("hepcidin",)))
    assert treated[MODEL.index["fpn1"]] < MODEL.steady_signalling(PM)[MODEL.index["fpn1"]]


def test_calibration_is_plausible() -> None:
    """Untreated loss after menopause like SWAN (Greendale 2012): fastest early, about 7-8 % by
    three years and 10-11 % by ten; iron adds to it; the trials' order at three years."""
    traj = MODEL.simulate(PM, 10)
    at = {y: traj.bone_mass_pct[int(np.argmin(abs(traj.t_years - y)))] for y in (1, 3, 10)}
    assert 96.0 < at[1] < 97.5 and 91.0 < at[3] < 94.0 and 88.0 < at[10] < 91.0
    assert (100.0 - at[3]) / 3 > 2 * (at[3] - at[10]) / 7  # the early years lose fastest
    assert _bone(PMI, 10) < _bone(PM, 10) - 2.0
    for base in (PM, PMI):
        gains = {t: _bone(base.replace(treatments=(t,)), 3) - _bone(base, 3)
                 for t in ("denosumab", "zoledronic_acid", "teriparatide", "estradiol", "raloxifene")}
        order = sorted(gains, key=gains.get, reverse=True)  # type: ignore[arg-type]
        assert order == ["denosumab", "zoledronic_acid", "teriparatide", "estradiol", "raloxifene"], gains
        assert all(g > 0 for g in gains.values())


def test_model_layer_is_pure() -> None:
    """app.model imports neither Qt nor yaml (DESIGN.md layers)."""
    code = ("import sys, app.model.simulation, app.model.treatments, app.model.claims, app.model.why, "
            "app.model.scenarios; bad = [m for m in ('PySide6', 'pyqtgraph', 'yaml') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
