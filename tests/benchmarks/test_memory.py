"""Memory benchmark: peak RSS of IronBone against a bare PySide6 + pyqtgraph window, in subprocesses.

Run: .venv/bin/python -m pytest -m benchmark tests/benchmarks -s
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RUNS = int(os.environ.get("IRONBONE_BENCH_RUNS", "7"))
TARGET = 1.5  # issue 8: peak RSS at most 1.5x a bare PySide6 + pyqtgraph window


def _peak_rss_mb(cmd: list[str]) -> float:
    """Peak resident set size of one child process, from its own rusage (os.wait4), in MiB."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)  # already reaped: tell Popen
        if proc.returncode != 0:
            err.seek(0)
            raise AssertionError(f"{cmd} exited {proc.returncode}: {err.read().decode(errors='replace')}")
    return usage.ru_maxrss / 1024.0  # Linux reports KiB


def _medians(cmds: dict[str, list[str]]) -> dict[str, float]:
    for cmd in cmds.values():
        _peak_rss_mb(cmd)  # warm the file cache for each
    runs: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(RUNS):  # alternate so any drift hits every command equally
        for name, cmd in cmds.items():
            runs[name].append(_peak_rss_mb(cmd))
    return {name: statistics.median(values) for name, values in runs.items()}


@pytest.mark.benchmark
def test_peak_rss_is_at_most_1_5x_a_bare_pyqtgraph_window() -> None:
    med = _medians({
        "smoke": [sys.executable, "-m", "app", "--smoke-test"],
        "loaded": [sys.executable, str(HERE / "app_loaded.py")],
        "bare": [sys.executable, str(HERE / "bare_plot_window.py")],
    })
    smoke, loaded = med["smoke"] / med["bare"], med["loaded"] / med["bare"]
    print(f"\npeak RSS (median of {RUNS}): bare PySide6 + pyqtgraph window {med['bare']:.1f} MiB")
    print(f"  python -m app --smoke-test      {med['smoke']:.1f} MiB  ratio {smoke:.2f} (target <= {TARGET})")
    print(f"  fully loaded (page + model)     {med['loaded']:.1f} MiB  ratio {loaded:.2f} (target <= {TARGET})")
    assert smoke <= TARGET
    assert loaded <= TARGET
