"""Pinned runs as data (app/knowledge/pinned.py): JSON-ready, read back the same, checked against the
model with a message naming the run and the field, and the difference a pinned run colours with."""

from __future__ import annotations

import json

import pytest

from app.knowledge.model_io import load_model
from app.knowledge.pinned import MAX_PINS, PinnedRun, validate_pinned
from app.knowledge.session import inputs_to_json
from app.model.simulation import Inputs


@pytest.fixture(scope="module")
def model():  # noqa: ANN201
    return load_model()


def _run(**changes) -> dict:  # noqa: ANN003
    run = PinnedRun(name="Run 1", inputs=inputs_to_json(Inputs(estrogen=40, ferritin=300, knockouts=("hepcidin",))),
                    t=[0.0, 1.0, 2.0], formation=[1.0, 0.9, 0.8], resorption=[1.0, 1.1, 1.2],
                    mass=[100.0, 99.0, 97.5], activities={"hepcidin": 0.2, "rankl": 0.7}, t_pinned=1.0)
    return {**run.as_dict(), **changes}


def test_a_run_round_trips_through_json(model) -> None:
    data = json.loads(json.dumps([_run()]))
    (run,) = validate_pinned(data, model)
    assert run.as_dict() == data[0]
    assert run.inputs["knockouts"] == ["hepcidin"] and run.inputs["edge_knockouts"] == []


def test_inputs_are_stored_as_the_session_file_stores_them(model) -> None:
    inputs = Inputs(estrogen=30, ferritin=800, treatments=("denosumab",), clamps={"rankl": 1.0},
                    edge_knockouts=(("rankl", "rank"),))
    (run,) = validate_pinned([_run(inputs=inputs_to_json(inputs))], model)
    assert run.inputs == inputs_to_json(inputs) and Inputs(**run.inputs) == inputs


@pytest.mark.parametrize(("bad", "message"), [
    ("not a list", r"pinned: \"not a list\" should be a list"),
    ([_run()] * (MAX_PINS + 1), f"at most {MAX_PINS} pinned runs"),
    (["run"], r"pinned\[0\]: \"run\" should be an object"),
    ([{"name": ""}], r"pinned\[0\]\.name: \"\" should be a name"),
    ([_run(inputs=[])], r"pinned\[0\]\.inputs: \[\] should be an object"),
    ([_run(inputs={"estrogen": 500, "ferritin": 50})], "estrogen must be between 0 and 120"),
    ([_run(inputs={"estrogen": 50, "ferritin": 50, "knockouts": ["nope"]})], "unknown node 'nope'"),
    ([_run(mass=[100.0, 99.0])], "should be equally long"),
    ([_run(t=["x", 1.0, 2.0])], r"pinned\[0\]\.t\[0\] must be a number between"),
    ([_run(formation=[])], r"pinned\[0\]\.formation: \[\] should be a non-empty list of numbers"),
    ([_run(activities={"nope": 1.0})], "activities: unknown node 'nope'"),
    ([_run(activities={"rankl": float("nan")})], r"pinned\[0\]\.activities\.rankl must be a number between 0 and 1"),
    ([_run(activities=[1.0])], r"pinned\[0\]\.activities: \[1\.0\] should be an object mapping node ids"),
    ([_run(t_pinned=True)], "t_pinned must be a number"),
])
def test_bad_runs_are_refused_naming_the_run_and_the_field(model, bad, message) -> None:
    with pytest.raises(ValueError, match=message):
        validate_pinned(bad, model)


def test_without_a_model_ids_are_not_checked() -> None:
    (run,) = validate_pinned([_run(activities={"a_node_of_other_content": 0.5})])
    assert run.activities == {"a_node_of_other_content": 0.5}


def test_differences_are_now_minus_then_per_node() -> None:
    (run,) = validate_pinned([_run()])
    diff = run.differences({"hepcidin": 0.5, "rankl": 0.7, "osteoclast": 0.4})
    assert diff == pytest.approx({"hepcidin": 0.3, "rankl": 0.0, "osteoclast": 0.0})  # unknown then: no difference
