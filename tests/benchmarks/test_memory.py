"""Memory benchmark: peak RSS of IronBone against a bare PySide6 + pyqtgraph window, in subprocesses.

Run: .venv/bin/python -m pytest -m benchmark tests/benchmarks -s
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RUNS = int(os.environ.get("IRONBONE_BENCH_RUNS", "7"))
TARGET = 1.5  # peak RSS at most 1.5x a bare PySide6 + pyqtgraph window


# A small launcher reports its child's peak RSS. Measuring the child straight from pytest is wrong:
# Linux keeps ru_maxrss across fork + exec, so the child would inherit pytest's own high-water mark.
_LAUNCHER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if done.returncode:
    sys.exit(done.stderr.decode(errors="replace") or done.returncode)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def _peak_rss_mb(cmd: list[str]) -> float:
    """Peak resident set size of one run of `cmd` in a fresh process, in MiB."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", _LAUNCHER, *cmd], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, f"{cmd} failed: {done.stderr}"
    return int(done.stdout.split()[-1]) / 1024.0  # Linux reports KiB


def _medians(cmds: dict[str, list[str]]) -> dict[str, float]:
    for cmd in cmds.values():
        _peak_rss_mb(cmd)  # warm the file cache for each
    runs: dict[str, list[float]] = {name: [] for name in cmds}
    for _ in range(RUNS):  # alternate so any drift hits every command equally
        for name, cmd in cmds.items():
            runs[name].append(_peak_rss_mb(cmd))
    return {name: statistics.median(values) for name, values in runs.items()}


@pytest.mark.benchmark
def test_peak_rss_is_at_most_1_5x_a_bare_pyqtgraph_window(bench) -> None:
    med = _medians({
        "smoke": [sys.executable, "-m", "app", "--smoke-test"],
        "loaded": [sys.executable, str(HERE / "app_loaded.py")],
        "bare": [sys.executable, str(HERE / "bare_plot_window.py")],
    })
    smoke, loaded = med["smoke"] / med["bare"], med["loaded"] / med["bare"]
    print(f"\npeak RSS (median of {RUNS}): bare PySide6 + pyqtgraph window {med['bare']:.1f} MiB")
    print(f"  python -m app --smoke-test      {med['smoke']:.1f} MiB  ratio {smoke:.2f} (target <= {TARGET})")
    print(f"  fully loaded (page + model)     {med['loaded']:.1f} MiB  ratio {loaded:.2f} (target <= {TARGET})")
    bench("peak RSS at first paint / bare pyqtgraph window", smoke, TARGET, "x")
    bench("peak RSS fully loaded / bare pyqtgraph window", loaded, TARGET, "x")
    assert smoke <= TARGET
    assert loaded <= TARGET
