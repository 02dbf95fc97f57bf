"""Model speed: a 30-year projection, one animation frame, the steady signalling, a slider change.

Run: .venv/bin/python -m pytest -m benchmark tests/benchmarks -s
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable

import numpy as np
import pytest

from app.knowledge.model_io import load_model
from app.model.simulation import Inputs, Simulation
from app.model.why import explain

RUNS = 300
TARGET_PROJECTION_MS = 5.0  # a 30-year projection at most 5 ms
TARGET_FRAME_MS = 4.0  # work per animation frame at most 4 ms p95


def _times(fn: Callable[[int], object], runs: int = RUNS) -> tuple[float, float]:
    fn(0)  # warm caches and imports
    out = []
    gc.disable()
    try:
        for i in range(runs):
            t = time.perf_counter()
            fn(i)
            out.append((time.perf_counter() - t) * 1000.0)
    finally:
        gc.enable()
    return statistics.median(out), float(np.percentile(out, 95))


@pytest.mark.benchmark
def test_model_speed(bench) -> None:
    model = load_model()
    rng = np.random.default_rng(7)
    treatments = list(model.treatments)
    # Fresh inputs every call, so no cache can hide the work.
    cases = [Inputs(estrogen=float(rng.uniform(0, 120)), ferritin=float(rng.uniform(10, 3000)),
                    treatments=tuple(t for t in treatments if rng.random() < 0.15)) for _ in range(RUNS + 1)]
    rows: list[tuple[str, float, float, str]] = []

    proj = _times(lambda i: model.simulate(cases[i], 30))
    rows.append(("30-year projection (simulate)", *proj, f"<= {TARGET_PROJECTION_MS} ms"))
    steady = _times(lambda i: model.steady_signalling(cases[i]))
    rows.append(("steady_signalling", *steady, "-"))

    sim = Simulation(model, cases[0])
    frame = _times(lambda i: sim.advance(365.25 / 12), runs=3 * RUNS)  # one month of model time
    rows.append(("Simulation.advance(1 month)", *frame, f"<= {TARGET_FRAME_MS} ms p95"))
    fast = _times(lambda i: sim.advance(2 * 365.25 / 60), runs=3 * RUNS)  # 2 years/s at 60 fps
    rows.append(("Simulation.advance(2 yr / 60)", *fast, f"<= {TARGET_FRAME_MS} ms p95"))

    def slider(i: int) -> None:
        sim.set_inputs(cases[i])
        sim.project(30)

    change = _times(slider)
    rows.append(("set_inputs + 30-year projection", *change, "model share of 8 ms"))
    why = _times(lambda i: explain(model, cases[i], cases[i + 1] if i < RUNS else cases[0]))
    rows.append(("why trace (explain)", *why, "-"))

    print("\nIronBone model speed (ms)")
    print(f"{'what':34s} {'median':>8s} {'p95':>8s}  target")
    for name, med, p95, target in rows:
        print(f"{name:34s} {med:8.3f} {p95:8.3f}  {target}")
    bench("30-year projection, p95", proj[1], TARGET_PROJECTION_MS)
    bench("model work per animation frame (2 yr/s), p95", fast[1], TARGET_FRAME_MS)
    assert proj[0] <= TARGET_PROJECTION_MS and proj[1] <= TARGET_PROJECTION_MS
    assert frame[1] <= TARGET_FRAME_MS and fast[1] <= TARGET_FRAME_MS
