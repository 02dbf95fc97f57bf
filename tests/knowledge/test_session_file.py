"""The .ironbone session format: what is saved reads back equal; every damaged, foreign, newer or
hostile file is refused with a message naming the key and the value, and nothing is half-written."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.knowledge import session as sf
from app.knowledge.session import NewerVersionError, Session, SessionError, TimelinePoint
from app.model.simulation import Inputs

WHEN = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)


def pin(name: str = "run A", **changes: object) -> dict:
    """A pinned run as the comparison feature saves it (and as read() returns it)."""
    data = {"name": name, "inputs": sf.inputs_to_json(Inputs(estrogen=10, ferritin=500)), "t_pinned": 1.0,
            "t": [0.0, 0.5, 1.0], "formation": [7.0, 7.5, 7.8], "resorption": [7.0, 8.5, 9.0],
            "mass": [100.0, 99.6, 99.0], "activities": {"rankl": 0.6, "opg": 0.2}}
    data.update(changes)
    return data


def _session() -> Session:
    start = Inputs.reference()
    later = Inputs(estrogen=20, ferritin=800, treatments=("denosumab", "hepcidin"),
                   clamps={"rankl": 1.0, "opg": 0.0}, knockouts=("nox4",), edge_knockouts=(("rankl", "rank"),))
    return Session(inputs=later, scenario=None, years=4.25, selection=("node", "rankl"), tour=("iron", 2),
                   pinned=(pin(),),
                   timeline=(TimelinePoint(t_years=0.0, inputs=start, scenario="premenopausal"),
                             TimelinePoint(t_years=1.5, inputs=later, scenario=None)))


def _minimal(**changes: object) -> dict:
    data = {"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 50, "ferritin": 100}}
    data.update(changes)
    return data


def _error(data: object) -> str:
    text = data if isinstance(data, (str, bytes)) else json.dumps(data)
    with pytest.raises(SessionError) as info:
        sf.loads(text)
    return str(info.value)


def test_round_trip_through_a_file_is_equal(tmp_path: Path) -> None:
    original = _session()
    path = tmp_path / "lecture.ironbone"
    sf.write(path, original, app_version="9.9.9", saved=WHEN)
    back = sf.read(path)
    assert back.inputs == original.inputs
    assert (back.scenario, back.years, back.selection, back.tour) == (None, 4.25, ("node", "rankl"), ("iron", 2))
    assert back.pinned == original.pinned
    assert back.timeline == original.timeline
    assert back.app_version == "9.9.9" and back.saved == "2026-11-27T03:00:00+00:00"
    assert back.notes == ()
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw["format"] == "ironbone-session" and raw["version"] == 1
    assert raw["inputs"] == {"estrogen": 20.0, "ferritin": 800.0, "treatments": ["denosumab", "hepcidin"],
                             "clamps": {"opg": 0.0, "rankl": 1.0}, "knockouts": ["nox4"],
                             "edge_knockouts": [["rankl", "rank"]]}
    assert raw["selection"] == {"kind": "node", "id": "rankl"} and raw["tour"] == {"id": "iron", "step": 2}


def test_minimal_file_gets_the_documented_defaults() -> None:
    s = sf.loads(json.dumps(_minimal()))
    assert s.inputs == Inputs(estrogen=50, ferritin=100)
    assert (s.scenario, s.years, s.selection, s.tour, s.pinned, s.timeline) == (None, 0.0, None, None, (), ())


@pytest.mark.parametrize(("change", "expected"), [
    ({"inputs": {"estrogen": 250, "ferritin": 100}}, "inputs.estrogen must be between 0 and 120 % (got 250)"),
    ({"inputs": {"estrogen": 50, "ferritin": 5}}, "inputs.ferritin must be between 10 and 3000 µg/L (got 5)"),
    ({"inputs": {"estrogen": "50", "ferritin": 100}},
     "inputs.estrogen must be a number between 0 and 120 % (got '50')"),
    ({"inputs": {"estrogen": True, "ferritin": 100}},
     "inputs.estrogen must be a number between 0 and 120 % (got true)"),
    ({"inputs": {"ferritin": 100}}, "inputs: the key 'estrogen' is missing"),
    ({"inputs": [50, 100]}, "inputs: [50, 100] should be an object"),
    ({"inputs": {"estrogen": 50, "ferritin": 100, "treatments": "denosumab"}},
     'inputs.treatments: "denosumab" should be a list of ids'),
    ({"inputs": {"estrogen": 50, "ferritin": 100, "treatments": ["x", 7]}}, "inputs.treatments[1]: 7 should be an id"),
    ({"inputs": {"estrogen": 50, "ferritin": 100, "clamps": {"rankl": 1.5}}},
     "inputs.clamps.rankl must be between 0 and 1 (activity) (got 1.5)"),
    ({"inputs": {"estrogen": 50, "ferritin": 100, "clamps": ["rankl"]}},
     'inputs.clamps: ["rankl"] should be an object'),
    ({"inputs": {"estrogen": 50, "ferritin": 100, "knockouts": [""]}}, 'inputs.knockouts[0]: "" should be an id'),
    ({"inputs": {"estrogen": 50, "ferritin": 100, "edge_knockouts": "rankl"}},
     'inputs.edge_knockouts: "rankl" should be a list of [source, target] pairs'),
    ({"inputs": {"estrogen": 50, "ferritin": 100, "edge_knockouts": [["rankl"]]}},
     'inputs.edge_knockouts[0]: ["rankl"] should be a [source, target] pair'),
    ({"inputs": {"estrogen": 50, "ferritin": 100, "edge_knockouts": [["rankl", 3]]}},
     "inputs.edge_knockouts[0][1]: 3 should be an id"),
    ({"years": -1}, "years must be between 0 and 60 years (got -1)"),
    ({"years": 200}, "years must be between 0 and 60 years (got 200)"),  # the clock stops at 60
    ({"years": "3"}, "years must be a number between 0 and 60 years (got '3')"),
    ({"scenario": 3}, "scenario: 3 should be an id"),
    ({"selection": {"kind": "script", "id": "x"}}, 'selection.kind: "script" is not one of node, topic'),
    ({"selection": "rankl"}, 'selection: "rankl" should be an object'),
    ({"tour": {"id": "iron", "step": -1}}, "tour.step: -1 should be a step number"),
    ({"tour": {"id": "iron", "step": 1.5}}, "tour.step: 1.5 should be a step number"),
    ({"pinned": {"a": 1}}, 'pinned: {"a": 1} should be a list'),
    ({"pinned": [1, 2]}, "pinned[0]: 1 should be an object"),
    ({"timeline": [{"t": 2, "inputs": {"estrogen": 50, "ferritin": 100}}], "years": 1},
     "timeline[0].t must be between 0 and 1 years"),
    ({"timeline": [{"t": 0, "inputs": {"estrogen": 500, "ferritin": 100}}]},
     "timeline[0].inputs.estrogen must be between 0 and 120 % (got 500)"),
    ({"pinned": [pin(name="")]}, 'pinned[0].name: "" should be a name'),
    ({"pinned": [pin(formation=[1e308, -1e308, 7.0])]},
     "pinned[0].formation[0] must be between 0 and 1000 % per year (got 1e+308)"),
    ({"pinned": [pin(mass=[100, -5, 99])]}, "pinned[0].mass[1] must be between 0 and 1000 % (got -5)"),
    ({"pinned": [pin(t=[0, 1])]}, "pinned[0]: t, formation, resorption and mass should be equally long (t 2, "),
    ({"pinned": [pin(t=[])]}, "pinned[0].t: [] should be a non-empty list of numbers"),
    ({"pinned": [pin(activities={"rankl": 2})]},
     "pinned[0].activities.rankl must be between 0 and 1 (activity) (got 2)"),
    ({"pinned": [pin(t_pinned=500)]}, "pinned[0].t_pinned must be between 0 and 60 years (got 500)"),
    ({"pinned": [pin(inputs={"estrogen": 1e308, "ferritin": 50})]}, "pinned[0].inputs.estrogen must be between"),
    ({"app_version": 1}, "app_version: 1 should be short text"),
    ({"format": "something-else"}, 'format: "something-else" is not an IronBone session'),
    ({"version": "1"}, 'version: "1" should be a whole number'),
    ({"version": 0}, "version: 0 is not a session format"),
])
def test_each_validation_error_names_the_key_and_the_value(change: dict, expected: str) -> None:
    assert expected in _error(_minimal(**change))


def test_a_newer_format_says_so_plainly() -> None:
    with pytest.raises(NewerVersionError) as info:
        sf.loads(json.dumps({"format": "ironbone-session", "version": 3, "whatever": {"new": "layout"}}))
    assert str(info.value).startswith("This file was saved by a newer IronBone (format 3); "
                                      "this version reads format 1.")


@pytest.mark.parametrize(("data", "expected"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00binary", "byte 0x89 at offset 0 is not UTF-8"),
    (b"", "not valid JSON at line 1, column 1"),
    ('{"format": "ironbone-session", "version": 1,', "not valid JSON at line 1"),
    ("[1, 2, 3]", "the top level is a list"),
    ('"just text"', "the top level is text"),
    ('{"version": 1}', 'the key "format" is missing'),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"format": "ironbone-session", "version": 1, "version": 2}', 'the key "version" appears twice'),
])
def test_garbage_is_refused_with_a_reason(data: str | bytes, expected: str) -> None:
    assert expected in _error(data)


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_refused_anywhere(number: str) -> None:
    """NaN and Infinity are no JSON numbers (refused while parsing); 1e999 is, and is refused at its key."""
    for text, key in ((json.dumps(_minimal()).replace('"estrogen": 50', f'"estrogen": {number}'),
                       "inputs.estrogen"),
                      (json.dumps(_minimal(pinned=[pin()])).replace("[7.0, 7.5, 7.8]", f"[7.0, {number}, 7.8]"),
                       "pinned[0].formation[1]")):
        message = _error(text)
        if number == "1e999":
            assert message.startswith(f"{key} must be between") and message.endswith("(got 1e999)")
        else:
            assert message.startswith("not valid session data") and number in message


def test_huge_files_are_refused_before_they_are_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.ironbone"
    with open(path, "wb") as fh:
        fh.truncate(sf.MAX_BYTES + 1)  # sparse: cheap to make
    with pytest.raises(SessionError) as info:
        sf.read(path)
    assert str(info.value) == ("huge.ironbone: is 20,971,521 bytes, too large for a session file "
                               "(at most 20,971,520 bytes)")  # never "20.0 MB ... (at most 20.0 MB)"
    assert "too large" in _error("x" * (sf.MAX_BYTES + 1))


def test_deep_pinned_data_and_too_many_entries_are_refused() -> None:
    deep: object = 1
    for _ in range(sf.MAX_DEPTH + 2):
        deep = [deep]
    assert "pinned[0]: nested more than" in _error(_minimal(pinned=[pin(x=deep)]))
    assert "pinned: 51 pinned runs" in _error(_minimal(pinned=[pin()] * 51))
    assert "inputs.treatments: 201 entries" in _error(
        _minimal(inputs={"estrogen": 50, "ferritin": 100, "treatments": [f"t{i}" for i in range(201)]}))


def test_unknown_keys_are_ignored_and_reported_even_hostile_ones() -> None:
    data = _minimal(__proto__={"polluted": True}, constructor={"prototype": 1}, future_field=[1, 2])
    data["inputs"]["__class__"] = "x"
    data["inputs"]["speed"] = 2
    s = sf.loads(json.dumps(data))
    assert s.inputs == Inputs(estrogen=50, ferritin=100)
    assert set(s.notes) == {"ignored unknown key __proto__", "ignored unknown key constructor",
                            "ignored unknown key future_field", "ignored unknown key inputs.__class__",
                            "ignored unknown key inputs.speed"}
    assert not hasattr(Session, "polluted") and not hasattr(dict, "polluted")


def test_a_timeline_that_does_not_end_in_the_inputs_is_dropped_with_a_note() -> None:
    data = _minimal(years=2, timeline=[{"t": 0, "inputs": {"estrogen": 100, "ferritin": 50}, "scenario": None}])
    s = sf.loads(json.dumps(data))
    assert s.timeline == ()
    assert any("timeline ignored" in n for n in s.notes)


def test_ids_are_checked_against_the_content() -> None:
    s = _session()
    ok = sf.check_ids(s, treatments=["denosumab", "hepcidin"], nodes=["rankl", "opg", "nox4"],
                      scenarios=["premenopausal"], tours={"iron": 3}, pages=["overview"], edges=[("rankl", "rank")])
    assert ok == []
    problems = sf.check_ids(s, treatments=["denosumab"], nodes=["rankl", "opg"], scenarios=[],
                            tours={"iron": 2}, pages=[], edges=[("rank", "traf6")])
    assert "inputs.edge_knockouts[0]: the pathway has no link rankl → rank" in problems
    assert 'inputs.treatments[1]: unknown treatment "hepcidin" (known: denosumab)' in problems
    assert 'inputs.knockouts[0]: unknown node "nox4"' in problems
    assert 'timeline[0].scenario: unknown scenario "premenopausal" (known: none)' in problems
    assert "tour.step: 2 is past the last step of 'iron' (steps 0–1)" in problems


def test_writing_is_atomic_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "s.ironbone"
    sf.write(path, _session(), app_version="1", saved=WHEN)
    before = path.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    changed = Session(inputs=Inputs(estrogen=1, ferritin=20))
    with pytest.raises(OSError, match="No space left"):
        sf.write(path, changed, app_version="1", saved=WHEN)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.ironbone"]  # no temporary file left behind


def test_unreadable_paths_give_a_session_error(tmp_path: Path) -> None:
    with pytest.raises(SessionError, match=r"gone.ironbone: no such file"):
        sf.read(tmp_path / "gone.ironbone")
    with pytest.raises(SessionError, match="is a folder"):
        sf.read(tmp_path)


def test_pinned_runs_read_back_normalised_and_their_ids_are_checked() -> None:
    raw = pin(inputs={"estrogen": 10, "ferritin": 500, "treatments": ["denosumab"]}, t=[0, 1, 2], extra=1)
    s = sf.loads(json.dumps(_minimal(pinned=[raw])))
    (back,) = s.pinned
    assert back["inputs"] == sf.inputs_to_json(Inputs(estrogen=10, ferritin=500, treatments=("denosumab",)))
    assert back["t"] == [0.0, 1.0, 2.0] and all(type(x) is float for x in back["t"])
    assert "extra" not in back and "ignored unknown key pinned[0].extra" in s.notes
    assert sf.validate_pinned([raw]) == s.pinned
    problems = sf.check_ids(s, treatments=[], nodes=["rankl"], scenarios=[])
    assert 'pinned[0].inputs.treatments[0]: unknown treatment "denosumab" (known: none)' in problems
    assert 'pinned[0].activities: unknown node "opg"' in problems


def test_a_5000_digit_number_is_reported_at_its_key_path() -> None:
    """json.loads would stop with Python's own conversion error ("Exceeds the limit (4300 digits)..."),
    which names no key."""
    text = json.dumps(_minimal(pinned=[pin()])).replace("[7.0, 7.5, 7.8]", "[7.0, 7.5, 7.8, " + "9" * 5000 + "]")
    assert _error(text) == ("pinned[0].formation[3] must be between 0 and 1000 % per year "
                            "(got a number with 5,000 digits)")
    text = json.dumps(_minimal()).replace('"estrogen": 50', '"estrogen": -' + "1" * 5000)
    assert _error(text) == ("inputs.estrogen must be between 0 and 120 % "
                            "(got a negative number with 5,000 digits)")


def test_a_state_the_app_reaches_is_always_saved_and_read_back(tmp_path: Path) -> None:
    """The clock may pass MAX_YEARS by one animation frame before the GUI pauses; float steps end at
    60.000000000001. Neither may make a session unsavable (the recovery copy uses the same writer)."""
    for years in (60.0, 60.000000000001, 60.2):
        s = Session(inputs=Inputs.reference(), years=years, pinned=(pin(t_pinned=years),))
        sf.write(tmp_path / "s.ironbone", s, app_version="1", saved=WHEN)
        assert sf.read(tmp_path / "s.ironbone").years == years
