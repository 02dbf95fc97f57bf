"""Recording a tour without Qt: steps from the app's state, edit / move / delete, saved as tour YAML in
the user folder, checked like the built-in tours, loaded beside them and planned the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.knowledge.content import load_content
from app.knowledge.model_io import load_model_content
from app.knowledge.tour_draft import DraftStep, TourDraft, TourDraftError, delete_user_tour
from app.knowledge.tour_plan import plan
from app.knowledge.tours import known_ids, load_tours
from app.model.simulation import Inputs

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def env():
    pathway = load_content(CONTENT).pathway
    mc = load_model_content(CONTENT, pathway)
    known = known_ids(CONTENT, pathway, list(mc.scenarios), list(mc.treatments))
    return pathway, mc, known


def _three_steps() -> TourDraft:
    draft = TourDraft(title="Iron after menopause, my way", summary="Three steps for Monday's class.")
    draft.add(DraftStep.record(Inputs.reference(), caption="Before menopause: **balance**.",
                               scenario="premenopausal", page="topic:s2-bone-metabolism"))
    draft.add(DraftStep.record(Inputs(estrogen=10, ferritin=500, treatments=("denosumab",)),
                               caption="After menopause, with [hepcidin](node:hepcidin) falling.",
                               page="node:hepcidin", path=("estrogen", "hepcidin", "fpn1"), years=3))
    draft.add(DraftStep.record(Inputs(estrogen=10, ferritin=500, knockouts=("rankl",)),
                               caption="Knock RANKL out and watch resorption.", highlight=("rankl", "osteoclast")))
    return draft


def test_a_recorded_three_step_tour_round_trips_and_validates(tmp_path: Path, env) -> None:
    pathway, mc, known = env
    draft = _three_steps()
    folder = tmp_path / "tours"
    path = draft.save(known, folder=folder)
    assert path == folder / "iron-after-menopause-my-way.yaml" and draft.name == "iron-after-menopause-my-way"
    tours, problems = load_tours(CONTENT, pathway, list(mc.scenarios), list(mc.treatments), user_folder=folder)
    assert problems == []
    tour = tours["user:iron-after-menopause-my-way"]
    builtin, _ = load_tours(CONTENT, pathway, list(mc.scenarios), list(mc.treatments))
    assert set(tours) == set(builtin) | {tour.id}  # beside the built-ins, none of them changed
    assert [s.caption for s in tour.steps] == [s.caption for s in draft.steps]
    assert tour.steps[1].path == ("estrogen", "hepcidin", "fpn1") and tour.steps[1].page == "node:hepcidin"
    assert tour.steps[2].knockouts == ("rankl",) and tour.steps[1].knockouts == ()
    assert tour.steps[1].treatments == ("denosumab",) and tour.steps[2].treatments == ()
    assert TourDraft.from_tour(tour).steps == draft.steps  # back into the editor unchanged
    # Played with the built-ins' step semantics: each step's inputs are what was recorded.
    steps = plan(tour, mc.scenarios)
    assert steps[0].inputs == Inputs.reference()
    assert steps[1].inputs == Inputs(estrogen=10, ferritin=500, treatments=("denosumab",))
    assert steps[2].inputs == Inputs(estrogen=10, ferritin=500, knockouts=("rankl",))
    assert (steps[2].start_years, steps[1].play_years) == (3, 3)


def test_moving_and_deleting_steps_keeps_each_steps_state(tmp_path: Path, env) -> None:
    pathway, mc, known = env
    draft = _three_steps()
    draft.move(2, 0)
    draft.delete(2)
    draft.edit(1, caption="Back to the reference.")
    assert [s.caption for s in draft.steps] == ["Knock RANKL out and watch resorption.", "Back to the reference."]
    draft.save(known, folder=tmp_path)
    tours, problems = load_tours(CONTENT, pathway, list(mc.scenarios), list(mc.treatments), user_folder=tmp_path)
    steps = plan(tours[draft.tour_id], mc.scenarios)
    # Each step carries its whole state, so moving the knock-out first does not leak it into the next.
    assert steps[0].inputs.knockouts == ("rankl",) and steps[1].inputs == Inputs.reference()
    with pytest.raises(IndexError):
        draft.delete(5)


def test_problems_are_named_by_step_and_nothing_is_written(tmp_path: Path, env) -> None:
    _, _, known = env
    draft = _three_steps()
    draft.edit(1, path=("hepcidin", "bone_mass"), page="node:no_such_node")
    draft.edit(2, caption="  ")
    with pytest.raises(TourDraftError) as err:
        draft.save(known, folder=tmp_path)
    text = str(err.value)
    assert "step 2: 'path': there is no edge hepcidin -> bone_mass" in text
    assert "step 2: 'page' names unknown node 'no_such_node'" in text and "step 3: empty 'caption'" in text
    assert list(tmp_path.iterdir()) == []
    one = TourDraft(title="Short", summary="s")
    one.add(DraftStep(caption="Only one."))
    with pytest.raises(TourDraftError, match="at least 2 steps"):
        one.save(known, folder=tmp_path)
    with pytest.raises(TourDraftError, match="title"):
        TourDraft(summary="x").save(known, folder=tmp_path)


def test_a_second_tour_with_the_same_title_gets_its_own_file(tmp_path: Path, env) -> None:
    _, _, known = env
    first, second = _three_steps(), _three_steps()
    p1, p2 = first.save(known, folder=tmp_path), second.save(known, folder=tmp_path)
    assert p1 != p2 and second.tour_id == "user:iron-after-menopause-my-way-2"
    first.edit(0, caption="Edited.")
    assert first.save(known, folder=tmp_path) == p1  # saving again overwrites its own file only
    delete_user_tour(second.name, folder=tmp_path)
    assert not p2.exists() and p1.exists()
    with pytest.raises(TourDraftError):
        delete_user_tour("../x", folder=tmp_path)


def test_a_user_tour_file_cannot_pose_as_a_builtin(tmp_path: Path, env) -> None:
    pathway, mc, _ = env
    (tmp_path / "evil.yaml").write_text("id: iron-after-menopause\ntitle: T\nminutes: 5\nsummary: S\nsteps:\n"
                                        "  - caption: a\n  - caption: b\n", encoding="utf-8")
    (tmp_path / "tagged.yaml").write_text("id: !!python/object:os.system x\n", encoding="utf-8")
    tours, problems = load_tours(CONTENT, pathway, list(mc.scenarios), list(mc.treatments), user_folder=tmp_path)
    messages = [p.message for p in problems]
    assert any("must start with 'user:'" in m for m in messages)
    assert any("tags" in m for m in messages)
    builtin, _ = load_tours(CONTENT, pathway, list(mc.scenarios), list(mc.treatments))
    assert tours == builtin
