"""Start-up benchmark: `python -m app --smoke-test` against a bare one-label PySide6 window.

Run: python -m pytest -m benchmark tests/benchmarks -s
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("IRONBONE_BENCH_RUNS", "9"))


def _time(cmd: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one run. CPU time is printed beside the
    wall clock: on a shared VM it varies far less from run to run."""
    # As installed: pip byte-compiles a wheel, so the app runs from cached bytecode. Where
    # PYTHONDONTWRITEBYTECODE is set (as on this CI machine) every run would recompile
    # IronBone's sources and time the compiler instead of the app; Python's normal caching is
    # restored for both programs (the caches are git-ignored).
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


@pytest.mark.benchmark
def test_startup_is_at_most_1_5x_a_bare_window(bench) -> None:
    app_cmd = [sys.executable, "-m", "app", "--smoke-test"]
    bare_cmd = [sys.executable, str(Path(__file__).with_name("bare_window.py"))]
    _time(app_cmd), _time(bare_cmd)  # warm the file and bytecode caches for both
    app_times, bare_times = [], []
    for _ in range(RUNS):  # alternate so drift hits both equally
        app_times.append(_time(app_cmd))
        bare_times.append(_time(bare_cmd))
    app_med, bare_med = (statistics.median(w for w, _ in app_times), statistics.median(w for w, _ in bare_times))
    app_cpu, bare_cpu = (statistics.median(c for _, c in app_times), statistics.median(c for _, c in bare_times))
    ratio = app_med / bare_med
    print(f"\nstart-up (median of {RUNS}): IronBone {app_med * 1000:.0f} ms, "
          f"bare window {bare_med * 1000:.0f} ms, ratio {ratio:.2f} (target <= 1.5); "
          f"CPU time {app_cpu * 1000:.0f} vs {bare_cpu * 1000:.0f} ms, ratio {app_cpu / bare_cpu:.2f}")
    bench("start-up: --smoke-test / bare window (wall)", ratio, 1.5, "x")
    bench("start-up: --smoke-test / bare window (CPU)", app_cpu / bare_cpu, None, "x")
    bench("start-up: --smoke-test, median", app_med * 1000, None)
    assert ratio <= 1.5


# The real interactive start (`python -m app`), probed: a 2 ms timer on the GUI thread notes each
# turn of the event loop, and the longest gap between the first paint and the model being ready is
# the longest the window could not answer a click. The app quits as soon as the model is ready.
_RESPONSIVE_PROBE = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import app.ui.shell.main_window as mw

ticks, marks = [], {}
init = mw.MainWindow.__init__
def probed(self, *a, **k):
    init(self, *a, **k)
    self.model_ready.connect(lambda: (marks.setdefault("ready", time.perf_counter()),
                                      QTimer.singleShot(0, QApplication.quit)))
    tick = QTimer(self)
    tick.setInterval(2)
    tick.timeout.connect(lambda: ticks.append(time.perf_counter()))
    tick.start()
mw.MainWindow.__init__ = probed
paint = mw.MainWindow.paintEvent
def painted(self, event):
    marks.setdefault("painted", time.perf_counter())
    paint(self, event)
mw.MainWindow.paintEvent = painted
from app.cli import main
main([])
window = [t for t in ticks if marks["painted"] <= t <= marks["ready"] + 0.5]
print(max(b - a for a, b in zip(window, window[1:])) * 1000, (marks["ready"] - marks["painted"]) * 1000)
"""


@pytest.mark.benchmark
def test_the_window_answers_within_250_ms_while_the_model_loads(bench, tmp_path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRONBONE_DATA_DIR=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "config"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    blocks, ready = [], []
    for _ in range(RUNS):
        out = subprocess.run([sys.executable, "-c", _RESPONSIVE_PROBE], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        block, to_ready = (float(x) for x in out.stdout.split()[-2:])
        blocks.append(block)
        ready.append(to_ready)
    worst = statistics.median(blocks)
    print(f"\nlongest GUI-thread block from the first paint to the model being ready: median {worst:.0f} ms "
          f"(target <= 250); the model was ready {statistics.median(ready):.0f} ms after the first paint")
    bench("start-up: longest unresponsive moment after first paint", worst, 250)
    bench("start-up: first paint -> model ready", statistics.median(ready), None)
    assert worst <= 250
