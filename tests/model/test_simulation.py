"""The model's API and behaviour: built from the graph, validated inputs, the animation clock,
clamps, knock-outs and edge blocks, the slow iron store, roles, gates and the schedule of changes."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

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
    # Every intermediate node sits in a readable range at the reference (docs/model.md).
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


def test_answered_rates_show_a_change_at_once_and_agree_with_the_run_once_settled() -> None:
    sim = Simulation(MODEL, Inputs.reference())
    assert sim.answered_rates() == pytest.approx((sim.state.formation, sim.state.resorption))  # in balance
    pm = Inputs.reference().replace(estrogen=10.0)
    at_once = sim.set_inputs(pm)
    assert at_once.resorption == at_once.formation  # the cells have not moved yet at year 0 ...
    formation, resorption = sim.answered_rates()
    assert resorption > formation + 1.0  # ... but the new inputs already tilt the balance to loss
    month = sim.advance(DAYS_PER_YEAR / 12)  # osteoclasts answer within days
    assert month.resorption == pytest.approx(resorption, rel=0.01)
    assert formation == at_once.formation  # formation lags by months: not answered at once
    sim.advance(5 * DAYS_PER_YEAR)
    assert sim.answered_rates() == pytest.approx((sim.state.formation, sim.state.resorption), rel=1e-3)
    settled = sim.state
    sim.answered_rates()
    assert sim.state is settled and sim.t_years == settled.t_years  # asking moves nothing


def test_iron_store_is_slow() -> None:
    """Ferritin acts through a store with a time constant of about 180 days (docs/model.md)."""
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
    """Less body iron, but ferroportin shut on bone cells too: the first face wins where iron is
    high, and cells keep more iron than the lower store alone would leave them."""
    def gain(base: Inputs) -> float:
        return _bone(base.replace(treatments=("hepcidin",)), 10) - _bone(base, 10)

    assert gain(PMI) > 2.0 and gain(PMI) > 2 * gain(PM)
    plain = MODEL.steady_signalling(PM)
    treated = MODEL.steady_signalling(PM.replace(treatments=("hepcidin",)))
    for exporter in ("fpn1", "fpn1_ob"):
        assert treated[MODEL.index[exporter]] < plain[MODEL.index[exporter]]
    # The second face: with the bone cells' exporter spared, they would hold less iron still.
    i, ob = MODEL.index["labile_iron"], MODEL.index["fpn1_ob"]
    for base in (PM, PMI):
        spared = base.replace(treatments=("hepcidin",), clamps={"fpn1_ob": float(MODEL.steady_signalling(base)[ob])})
        cells = MODEL.steady_signalling(base.replace(treatments=("hepcidin",)))[i]
        assert MODEL.steady_signalling(spared)[i] < cells < MODEL.steady_signalling(base)[i]


def test_model_layer_is_pure() -> None:
    """app.model imports neither Qt nor yaml (the layers of docs/model.md)."""
    code = ("import sys, app.model.simulation, app.model.treatments, app.model.claims, app.model.why, "
            "app.model.scenarios; bad = [m for m in ('PySide6', 'pyqtgraph', 'yaml') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_schedule_is_the_gui_clock_with_set_inputs() -> None:
    """simulate_schedule changes inputs exactly as the GUI does at the current clock."""
    from app.model.simulation import schedule_treatments, simulate_schedule

    plan = schedule_treatments(PM, [("denosumab", 4.0), ("teriparatide", 4.0), ("estradiol", 6.5)])
    assert [(t, i.treatments) for t, i in plan] == [
        (0.0, ()), (4.0, ("denosumab", "teriparatide")), (6.5, ("denosumab", "teriparatide", "estradiol"))]
    traj = simulate_schedule(MODEL, plan, 9)
    sim = Simulation(MODEL, PM)
    sim.advance(4 * DAYS_PER_YEAR)
    sim.set_inputs(plan[1][1])
    sim.advance(2.5 * DAYS_PER_YEAR)
    sim.set_inputs(plan[2][1])
    end = sim.advance(2.5 * DAYS_PER_YEAR)
    assert traj.final.bone_mass_pct == pytest.approx(end.bone_mass_pct, abs=1e-12)
    assert traj.t_years[-1] == pytest.approx(9) and len(traj.t_years) == 9 * 48 + 1
    plain = MODEL.simulate(PM, 9)
    before = traj.t_years <= 4 + 1e-9
    assert (traj.bone_mass_pct[before] == plain.bone_mass_pct[before]).all()
    assert traj.bone_mass_pct[-1] > traj.bone_mass_pct[4 * 48]  # the drugs lift bone from year 4
    with pytest.raises(ValueError, match="starts with the inputs at year 0"):
        simulate_schedule(MODEL, [(1.0, PM)], 3)


def test_the_model_asks_the_pathway_for_roles() -> None:
    pw = MODEL.pathway
    assert MODEL.roles["estrogen_input"] == "estrogen" and MODEL.roles["resorption"] == "bone_resorption"
    stripped = Pathway(pw.compartments, tuple(dataclasses.replace(n, role="") if n.role == "formation" else n
                                              for n in pw.nodes), pw.edges)
    with pytest.raises(ValueError, match=r"lacks the node role\(s\) the model needs: formation"):
        Model(stripped, MODEL.treatments)
    # Another node may take a role: the model follows the data, not an id.
    moved = Pathway(pw.compartments, tuple(
        dataclasses.replace(n, role="formation") if n.id == "osteoblast" else
        dataclasses.replace(n, role="") if n.role == "formation" else n for n in pw.nodes), pw.edges)
    assert Model(moved, MODEL.treatments).roles["formation"] == "osteoblast"


def test_osteoclasts_need_rank_whatever_else_pushes_them() -> None:
    """The gate rank -> osteoclast is an "and": with RANK silenced, iron and estrogen loss can no
    longer raise osteoclasts much, while without the gate they would."""
    i = MODEL.index["osteoclast"]
    silenced = PMI.replace(knockouts=("rank",))
    gated = MODEL.steady_signalling(silenced)[i]
    assert gated < 0.25 * MODEL.steady_signalling(PMI)[i]
    pw = MODEL.pathway
    ungated = Model(Pathway(pw.compartments, pw.nodes, tuple(e for e in pw.edges if not e.gate)), MODEL.treatments)
    assert ungated.steady_signalling(silenced)[i] > 2 * gated
    cut = MODEL.steady_signalling(PMI.replace(edge_knockouts=(("rank", "osteoclast"),)))[i]
    assert cut < 0.25 * MODEL.steady_signalling(PMI)[i]  # a cut required link carries nothing


def test_more_osteoclasts_lose_bone_more_osteoblasts_gain_it() -> None:
    assert _bone(PM.replace(clamps={"osteoclast": 0.9}), 10) < _bone(PM, 10) - 2.0
    assert _bone(PM.replace(clamps={"osteoblast": 0.9}), 10) > _bone(PM, 10) + 2.0


def test_antiresorptives_lift_bone_through_mineral_and_refill() -> None:
    """Denosumab at year 10: resorption falls at once, formation follows with the osteoblasts'
    lag (the remodelling space refills), and the slower renewal lets mineral accumulate."""
    sim = Simulation(MODEL, PMI)
    sim.advance(10 * DAYS_PER_YEAR)
    start = sim.state
    sim.set_inputs(PMI.replace(treatments=("denosumab",)))
    month = sim.advance(30.0)
    assert month.resorption < 0.5 * start.resorption and month.formation > month.resorption
    later = sim.advance(3 * DAYS_PER_YEAR)
    assert later.mineral > start.mineral and later.bone_mass_pct > start.bone_mass_pct


def test_the_mechanostat_slows_loss_but_caps_growth() -> None:
    import math

    from app.model.simulation import mechanostat

    p = MODEL.params
    values = [mechanostat(math.log(v), p) for v in (0.3, 0.6, 0.9, 1.0, 1.1, 1.3)]
    assert values[3] == pytest.approx(1.0)
    assert all(a > b for a, b in zip(values, values[1:], strict=False))  # more bone, less formation
    assert values[0] < 1.0 + p.mechanostat_gain  # a deficit raises formation only so far
    assert values[-1] < 0.2  # well above the start, formation nearly stops


@pytest.mark.parametrize("years", [10, 30, 50])
def test_the_iron_effect_never_reverses(years: int) -> None:
    """More ferritin, less bone, however long after menopause: the bounded mechanostat never lets
    the bone that lost more catch up."""
    masses = [_bone(Inputs(estrogen=10, ferritin=f), years) for f in (50, 150, 300, 600, 1000, 2000)]
    assert all(a > b + 0.2 for a, b in zip(masses, masses[1:], strict=False)), masses
