"""`python -m app simulate`: the JSON contract (docs/model.md), the lists, the summary and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli_simulate import main

ROOT = Path(__file__).resolve().parents[1]
RUN = "import sys; from app.cli_simulate import main; sys.exit(main(sys.argv[1:]))"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_exactly_the_contract_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--estrogen", "10", "--ferritin", "500", "--years", "10", "--json",
                          "--treatment", "denosumab", "--clamp", "opg=0.2", "--knockout", "hedgehog")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert set(data) == {"inputs", "nodes", "bone", "trajectory"}
    assert data["inputs"] == {"estrogen": 10, "ferritin": 500, "years": 10, "treatments": ["denosumab"],
                              "clamps": {"opg": 0.2, "hedgehog": 0.0}}
    from app.knowledge.model_io import load_model

    assert list(data["nodes"]) == list(load_model().node_ids) and all(0.0 <= v <= 1.0 for v in data["nodes"].values())
    assert data["nodes"]["opg"] == 0.2 and data["nodes"]["hedgehog"] == 0.0
    assert set(data["bone"]) == {"formation", "resorption", "bone_mass_pct", "fracture_risk"}
    assert 0.0 <= data["bone"]["fracture_risk"] <= 1.0
    traj = data["trajectory"]
    assert set(traj) == {"t_years", "bone_mass_pct", "formation", "resorption"}
    assert len({len(v) for v in traj.values()}) == 1
    assert traj["t_years"][0] == 0 and traj["t_years"][-1] == pytest.approx(10)
    assert traj["bone_mass_pct"][0] == 100 and traj["bone_mass_pct"][-1] == pytest.approx(data["bone"]["bone_mass_pct"])


def test_claim_two_through_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    def run(e: str, f: str) -> dict:
        code, out, _ = _run(capsys, "--estrogen", e, "--ferritin", f, "--years", "10", "--json")
        assert code == 0
        return json.loads(out)

    ref, pm = run("100", "50"), run("10", "50")
    assert pm["nodes"]["bone_resorption"] > ref["nodes"]["bone_resorption"] + 0.02
    assert pm["bone"]["bone_mass_pct"] < ref["bone"]["bone_mass_pct"] - 0.5
    assert ref["bone"]["bone_mass_pct"] == pytest.approx(100.0, abs=1e-9)


def test_scenario_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "--scenario", "postmenopause_iron", "--years", "3")
    assert code == 0 and err == ""
    assert "estrogen 10 %" in out and "ferritin 500 µg/L" in out and "not a clinical tool" in out
    code, out, _ = _run(capsys, "--scenario", "postmenopause_iron", "--estrogen", "100", "--json")
    assert json.loads(out)["inputs"]["estrogen"] == 100 and json.loads(out)["inputs"]["years"] == 10


@pytest.mark.parametrize(("flag", "first"), [("--list-nodes", "serum_ferritin"),
                                              ("--list-treatments", "teriparatide"),
                                              ("--list-scenarios", "premenopausal")])
def test_lists(capsys: pytest.CaptureFixture[str], flag: str, first: str) -> None:
    code, out, err = _run(capsys, flag)
    assert code == 0 and err == "" and out.split("\t")[0] == first
    code, out, _ = _run(capsys, flag, "--json")
    assert json.loads(out)[0]["id"] == first


@pytest.mark.parametrize(("argv", "words"), [
    (["--estrogen", "150", "--ferritin", "50"], ["--estrogen", "0", "120"]),
    (["--estrogen", "x", "--ferritin", "50"], ["--estrogen", "'x'"]),
    (["--estrogen", "10", "--ferritin", "5"], ["--ferritin", "10", "3000"]),
    (["--estrogen", "10", "--ferritin", "50", "--years", "inf"], ["--years", "60"]),
    (["--estrogen", "10", "--ferritin", "50", "--treatment", "aspirin"], ["aspirin", "denosumab", "acupuncture"]),
    (["--estrogen", "10", "--ferritin", "50", "--clamp", "bone=1"], ["'bone'", "bone_mass", "osteoclast"]),
    (["--estrogen", "10", "--ferritin", "50", "--clamp", "ros=1.2"], ["ros", "0", "1"]),
    (["--estrogen", "10", "--ferritin", "50", "--clamp", "ros"], ["NODE=VALUE"]),
    (["--estrogen", "10", "--ferritin", "50", "--knockout", "x"], ["'x'", "rankl"]),
    (["--ferritin", "50"], ["--estrogen", "required", "premenopausal"]),
    (["--scenario", "moon"], ["moon", "iron_overload"]),
    (["--frobnicate"], ["--frobnicate"]),
    (["--estrogen"], ["--estrogen"]),
    (["--list-nodes", "--list-scenarios"], ["--list-scenarios"]),
])
def test_bad_input_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str],
                                          words: list[str]) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert all(w in err for w in words), err


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and "--estrogen" in out


def test_subprocess_contract() -> None:
    ok = subprocess.run([sys.executable, "-c", RUN, "--estrogen", "10", "--ferritin", "500", "--years", "2",
                         "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and ok.stderr == ""
    assert json.loads(ok.stdout)["inputs"]["ferritin"] == 500
    bad = subprocess.run([sys.executable, "-c", RUN, "--estrogen", "10", "--ferritin", "50", "--treatment", "x"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and bad.stdout == "" and len(bad.stderr.splitlines()) == 1


def test_self_test_uses_every_feature_and_leaves_the_users_files_alone(tmp_path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    env.pop("IRONBONE_DATA_DIR", None)
    proc = subprocess.run([sys.executable, "-m", "app", "--self-test"], env=env, capture_output=True, text=True,
                          timeout=180, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for step in ("tour", "presentation and inquiry", "quiz panel", "path explorer", "pinned run",
                 "session saved and reopened", "diagram export", "study notes", "its recap"):
        assert step in proc.stdout
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written == [], written  # no progress file, no settings: the user's data stay as they were


def test_treatment_started_later_is_the_guis_set_inputs_at_that_moment(capsys: pytest.CaptureFixture[str]) -> None:
    """`--treatment denosumab@10` is what the GUI does when it is ticked at year 10: the clock,
    the cells, the bone and the iron store carry on, only the inputs change."""
    from app.knowledge.model_io import load_model
    from app.model.simulation import DAYS_PER_YEAR, Inputs, Simulation

    code, out, err = _run(capsys, "--estrogen", "10", "--ferritin", "100", "--years", "13",
                          "--treatment", "denosumab@10", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["inputs"]["treatments"] == ["denosumab@10"]
    model = load_model()
    sim = Simulation(model, Inputs(estrogen=10, ferritin=100))
    sim.advance(10 * DAYS_PER_YEAR)
    at_start = sim.state.bone_mass_pct
    sim.set_inputs(Inputs(estrogen=10, ferritin=100, treatments=("denosumab",)))
    end = sim.advance(3 * DAYS_PER_YEAR)
    assert data["bone"]["bone_mass_pct"] == pytest.approx(end.bone_mass_pct, abs=1e-9)
    assert data["nodes"] == pytest.approx(dict(end.activities), abs=1e-12)
    traj = data["trajectory"]
    i10 = traj["t_years"].index(pytest.approx(10.0))
    assert traj["bone_mass_pct"][i10] == pytest.approx(at_start, abs=1e-9)
    assert traj["bone_mass_pct"][-1] > at_start  # denosumab lifts bone above where it started
    untreated = json.loads(_run(capsys, "--estrogen", "10", "--ferritin", "100", "--years", "13", "--json")[1])
    assert untreated["trajectory"]["bone_mass_pct"][:i10 + 1] == traj["bone_mass_pct"][:i10 + 1]


def test_plain_and_timed_treatments_mix_and_show_in_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--estrogen", "10", "--ferritin", "500", "--years", "5", "--json",
                        "--treatment", "estradiol", "--treatment", "teriparatide@2.5", "--treatment", "hepcidin@0")
    assert code == 0
    assert json.loads(out)["inputs"]["treatments"] == ["estradiol", "hepcidin", "teriparatide@2.5"]
    code, out, _ = _run(capsys, "--estrogen", "10", "--ferritin", "500", "--years", "5",
                        "--treatment", "teriparatide@2.5")
    assert code == 0 and "Teriparatide (PTH 1-34) from year 2.5" in out


@pytest.mark.parametrize(("argv", "words"), [
    (["--treatment", "denosumab@x"], ["--treatment denosumab@YEARS", "'x'", "0", "13"]),
    (["--treatment", "denosumab@14"], ["--treatment denosumab@YEARS", "13", "'14'"]),
    (["--treatment", "denosumab@-1"], ["'-1'"]),
    (["--treatment", "aspirin@2"], ["aspirin", "denosumab"]),
    (["--treatment", "denosumab", "--treatment", "denosumab@3"], ["denosumab", "twice"]),
])
def test_bad_treatment_start_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                    words: list[str]) -> None:
    code, out, err = _run(capsys, "--estrogen", "10", "--ferritin", "100", "--years", "13", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert all(w in err for w in words), err


LONG = "x" * 100_000


@pytest.mark.parametrize("argv", [
    ["--estrogen", LONG, "--ferritin", "50"],
    ["--estrogen", "10", "--ferritin", "50", "--years", "9" * 100_000],
    ["--estrogen", "10", "--ferritin", "50", "--treatment", LONG],
    ["--scenario", LONG],
    ["--estrogen", "10", "--ferritin", "50", "--clamp", LONG],
    ["--estrogen", "10", "--ferritin", "50", "--clamp", LONG + "=1"],
    ["--estrogen", "10", "--ferritin", "50", "--knockout", LONG],
    ["--estrogen", "10", "--ferritin", "50", LONG],
    ["--" + LONG],
])
def test_a_100000_character_argument_is_never_echoed_in_full(capsys: pytest.CaptureFixture[str],
                                                             argv: list[str]) -> None:
    code, out, err = _run(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 1000, len(err)
