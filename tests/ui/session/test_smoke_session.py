"""`python -m app FILE.ironbone --smoke-test` opens FILE: it exits 0 when the file opens and non-zero,
with the reason the window would give, when it does not (real subprocesses, offscreen)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.knowledge import session as sf
from app.model.simulation import Inputs

ROOT = Path(__file__).resolve().parents[3]


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRONBONE_DATA_DIR=str(tmp_path / "data"),
               IRONBONE_CACHE_DIR=str(tmp_path / "cache"), XDG_CONFIG_HOME=str(tmp_path / "config"))
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def _file(tmp_path: Path, name: str, data: dict | str) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


BASE = {"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 10, "ferritin": 500}}


def test_a_good_file_opens(tmp_path: Path) -> None:
    good = tmp_path / "good.ironbone"
    sf.write(good, sf.Session(inputs=Inputs(estrogen=10, ferritin=500, treatments=("denosumab",)),
                              scenario="postmenopause_iron", years=3.0, selection=("node", "rankl"),
                              tour=("iron-after-menopause", 1)), app_version="test")
    out = _run(tmp_path, str(good), "--smoke-test")
    assert out.returncode == 0, out.stderr
    assert "smoke test ok" in out.stdout and f"session {good} opens" in out.stdout


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("json.ironbone", "{not json", "not valid JSON at line 1"),
    ("scenario.ironbone", {**BASE, "scenario": "<img src=/dev/zero>"},
     'scenario: unknown scenario "<img src=/dev/zero>"'),
    ("treatment.ironbone", {**BASE, "inputs": {**BASE["inputs"], "treatments": ["nope"]}},
     'inputs.treatments[0]: unknown treatment "nope"'),
    ("huge.ironbone", {**BASE, "pinned": [{"name": "x", "inputs": BASE["inputs"], "t": [0, 1], "formation": [1e308, 1],
                                          "resorption": [1, 1], "mass": [100, 99]}]},
     "pinned[0].formation[0] must be between 0 and 1000"),
    ("tour.ironbone", {**BASE, "tour": {"id": "iron-after-menopause", "step": 999}},
     "tour.step: 999 is past the last step"),
])
def test_a_bad_file_fails_with_its_reason(tmp_path: Path, name: str, data, reason: str) -> None:  # noqa: ANN001
    path = _file(tmp_path, name, data)
    out = _run(tmp_path, str(path), "--smoke-test")
    assert out.returncode != 0, out.stdout
    assert f"cannot open {path}" in out.stderr and reason in out.stderr, out.stderr
    assert "smoke test ok" not in out.stdout


def test_a_missing_file_fails(tmp_path: Path) -> None:
    out = _run(tmp_path, str(tmp_path / "nowhere.ironbone"), "--smoke-test")
    assert out.returncode != 0 and "no such file" in out.stderr, out.stderr
