"""Signed paths between two nodes: net sign by hand from content/pathway.yaml, caps, knock-outs."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.knowledge.content import load_content
from app.model.paths import CUT, HELD, OPEN, route_text, signed_paths
from app.model.simulation import Inputs

CONTENT = Path(__file__).resolve().parents[2] / "content"
# estrogen -| hepcidin -| osteoblast FPN1 -| labile iron -> osteoclast -> bone resorption -| bone mass:
# four inhibitions, so the net sign is + (more estrogen, more bone along this route).
HEPCIDIN_ROUTE = ("estrogen", "hepcidin", "fpn1_ob", "labile_iron", "osteoclast", "bone_resorption", "bone_mass")
# estrogen -| hepcidin -> BMP2 -> SMAD -> Runx2 -> osteoblast -> bone formation -> bone mass: one
# inhibition, net -.
HEPCIDIN_BMP_ROUTE = ("estrogen", "hepcidin", "bmp2", "smad", "runx2", "osteoblast", "bone_formation", "bone_mass")


@pytest.fixture(scope="module")
def pathway():
    return load_content(CONTENT).pathway


def test_estrogen_to_bone_mass_lists_the_hepcidin_routes_with_their_hand_computed_sign(pathway) -> None:
    result = signed_paths(pathway, "estrogen", "bone_mass")
    by_nodes = {p.nodes: p for p in result.paths}
    route = by_nodes[HEPCIDIN_ROUTE]
    assert route.signs == (-1, -1, -1, 1, 1, -1)
    assert route.sign == 1 and route.length == 6 and route.status == OPEN
    assert route.strength == pytest.approx(0.6 * 0.4 * 0.4 * 0.1 * 0.5 * 1.0)
    assert by_nodes[HEPCIDIN_BMP_ROUTE].sign == -1
    assert route_text(pathway, route) == ("Estrogen ⊣ Hepcidin ⊣ " + pathway.node("fpn1_ob").label + " ⊣ "
                                          + pathway.node("labile_iron").label
                                          + " → Osteoclast → " + pathway.node("bone_resorption").label
                                          + " ⊣ " + pathway.node("bone_mass").label)
    # Every path is simple, ends where asked, and no longer than the cap.
    for p in result.paths:
        assert p.nodes[0] == "estrogen" and p.nodes[-1] == "bone_mass"
        assert len(set(p.nodes)) == len(p.nodes) and p.length <= result.max_len
    # Open paths come first, shortest first.
    lengths = [p.length for p in result.paths if p.status == OPEN]
    assert lengths == sorted(lengths)


def test_a_path_into_a_slider_input_is_marked_held(pathway) -> None:
    result = signed_paths(pathway, "estrogen", "bone_mass")
    via_ferritin = [p for p in result.paths if p.nodes[1] == "serum_ferritin"]
    assert via_ferritin and all(p.status == HELD and "slider" in p.reason for p in via_ferritin)


def test_knockouts_and_cut_links_mark_paths_cut(pathway) -> None:
    result = signed_paths(pathway, "estrogen", "bone_mass", knockouts=["hepcidin"],
                          edge_knockouts=[("labile_iron", "osteoclast")])
    for p in result.paths:
        if "hepcidin" in p.nodes:
            assert p.status == CUT and "Hepcidin is knocked out" in p.reason
        elif ("labile_iron", "osteoclast") in p.edges:
            assert p.status == CUT and "is cut" in p.reason
    statuses = [p.status for p in result.paths]
    assert statuses.index(CUT) > statuses.index(OPEN)
    assert result.counts()[CUT] == statuses.count(CUT) > 0


def test_caps_are_reported(pathway) -> None:
    short = signed_paths(pathway, "estrogen", "bone_mass", max_len=4)
    assert all(p.length <= 4 for p in short.paths) and short.complete
    few = signed_paths(pathway, "estrogen", "bone_mass", max_paths=5)
    assert len(few.paths) == 5 and few.found > 5 and few.truncated
    stopped = signed_paths(pathway, "estrogen", "bone_mass", max_enumerated=10)
    assert not stopped.complete and stopped.truncated
    assert signed_paths(pathway, "bone_mass", "estrogen").paths == ()
    with pytest.raises(ValueError, match="unknown node 'nope'"):
        signed_paths(pathway, "nope", "bone_mass")


def test_edge_knockouts_are_model_inputs(pathway) -> None:
    from app.ui.model.loader import build_model

    model = build_model(load_content(CONTENT)).model
    ref = Inputs.reference()
    cut = ref.replace(edge_knockouts=[["estrogen", "osteoclast"]])  # a JSON-style pair is accepted
    assert cut.edge_knockouts == (("estrogen", "osteoclast"),) and hash(cut) != hash(ref)
    i = model.node_ids.index("osteoclast")
    assert model.steady_signalling(cut)[i] > model.steady_signalling(ref)[i]  # the brake is gone
    with pytest.raises(ValueError, match="no edge bone_mass -> estrogen"):
        model.validate(ref.replace(edge_knockouts=[("bone_mass", "estrogen")]))
    with pytest.raises(ValueError, match="pair"):
        ref.replace(edge_knockouts=["ab"])
