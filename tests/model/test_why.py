"""The "why" trace: paths from what changed to bone mass, every arrow agreeing with the model."""

from __future__ import annotations

import pytest

from app.knowledge.model_io import load_model
from app.model.simulation import Inputs
from app.model.why import explain, label_in_sentence

MODEL = load_model()
REF = Inputs(estrogen=100, ferritin=50)
PM = Inputs(estrogen=10, ferritin=50)
PMI = Inputs(estrogen=10, ferritin=500)


def _state_direction(before: Inputs, after: Inputs, node: str) -> int:
    """The direction a node moved, read off the model's own states (not the trace)."""
    if node == "bone_mass":
        d = (MODEL.simulate(after, 10).final.bone_mass_pct - MODEL.simulate(before, 10).final.bone_mass_pct)
    else:
        i = MODEL.index[node]
        d = MODEL.steady_signalling(after)[i] - MODEL.steady_signalling(before)[i]
    return 1 if d > 0 else -1 if d < 0 else 0


def test_estrogen_loss_traces_from_estrogen_to_bone_mass() -> None:
    why = explain(MODEL, REF, PM)
    assert why.sources == ("estrogen",) and "estrogen 100 % → 10 %" in why.cause
    assert why.paths, why.sentence
    for path in why.paths:
        assert path.nodes[0] == "estrogen" and path.nodes[-1] == "bone_mass"
        assert len(path.nodes) - 1 <= 8
        for node, direction in zip(path.nodes, path.directions, strict=True):
            assert direction == _state_direction(REF, PM, node), node
        for (u, v), du, dv in zip(path.edges, path.directions, path.directions[1:], strict=False):
            assert du * dv == MODEL.pathway.graph.edges[u, v]["sign"], (u, v)
    best = why.paths[0]
    assert why.sentence == best.sentence
    assert why.sentence.startswith("Estrogen down → ") and why.sentence.endswith("bone mass (BMD) down")
    assert why.sentence.count(" → ") == len(best.nodes) - 1
    assert why.edges >= set(best.edges)


def test_paths_prefer_variety_and_strength() -> None:
    why = explain(MODEL, REF, PM, max_paths=4)
    assert [p.score for p in why.paths] == sorted((p.score for p in why.paths), reverse=True)
    assert len({p.nodes[1] for p in why.paths}) == len(why.paths)  # different first steps


def test_iron_accumulation_runs_through_labile_iron() -> None:
    why = explain(MODEL, PM, PMI)
    assert why.sources == ("serum_ferritin",)
    assert all("labile_iron" in p.nodes for p in why.paths)
    assert "labile Fe²⁺ up" in why.sentence


@pytest.mark.parametrize(("treatment", "start"), [("denosumab", "rank"), ("odanacatib", "cathepsin_k"),
                                                  ("teriparatide", "osteoblast")])
def test_treatments_trace_from_their_target(treatment: str, start: str) -> None:
    why = explain(MODEL, PMI, PMI.replace(treatments=(treatment,)))
    assert start in why.sources and "started" in why.cause
    assert why.paths and why.paths[0].nodes[0] == start
    assert why.sentence.endswith("bone mass (BMD) up")


def test_denosumab_is_named_for_what_it_binds() -> None:
    """Denosumab binds RANKL: the cause names the blocked link, the chain starts at RANK (what the
    blocked link no longer drives), and RANKL itself is not said to fall."""
    why = explain(MODEL, PMI, PMI.replace(treatments=("denosumab",)))
    assert why.cause == "Denosumab started (RANKL → RANK blocked)"
    assert why.sentence.startswith("RANK down → ")
    assert all(p.nodes[0] == "rank" and "rankl" not in p.nodes for p in why.paths)


def test_clamps_and_no_change() -> None:
    why = explain(MODEL, PM, PM.replace(knockouts=("opg",)))
    assert why.sources == ("opg",) and why.paths[0].nodes[:2] == ("opg", "rank")
    assert "knocked out" in why.cause
    same = explain(MODEL, PM, PM)
    assert same.paths == () and same.sentence == "Nothing changed."


def test_labels_read_as_words() -> None:
    assert label_in_sentence(MODEL, "estrogen") == "estrogen"
    assert label_in_sentence(MODEL, "labile_iron") == "labile Fe²⁺"
    assert label_in_sentence(MODEL, "fpn1") == "FPN1"
    assert label_in_sentence(MODEL, "ros") == "ROS"
    assert label_in_sentence(MODEL, "bone_formation") == "bone formation"
