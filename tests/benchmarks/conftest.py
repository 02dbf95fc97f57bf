"""One table of every benchmark figure against its target, printed at the end of
`python -m pytest -m benchmark tests/benchmarks`. Each benchmark records its figures with the
`bench` fixture: bench("start-up / bare window", 1.77, 1.5, "x")."""

from __future__ import annotations

from collections.abc import Callable

import pytest

_ROWS: list[tuple[str, float, float | None, str]] = []


@pytest.fixture
def bench() -> Callable[..., None]:
    def record(what: str, value: float, target: float | None = None, unit: str = "ms") -> None:
        _ROWS.append((what, float(value), target, unit))

    return record


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ANN001, ARG001
    if not _ROWS:
        return
    tr = terminalreporter
    tr.section("IronBone benchmarks: figure against target")
    width = max(len(r[0]) for r in _ROWS)
    tr.write_line(f"{'measure':{width}s}  {'value':>10s}  {'target':>10s}  result")
    for what, value, target, unit in _ROWS:
        shown = f"{value:.2f} {unit}"
        if target is None:
            tr.write_line(f"{what:{width}s}  {shown:>10s}  {'-':>10s}  (reported)")
        else:
            verdict = "ok" if value <= target else "MISSED"
            tr.write_line(f"{what:{width}s}  {shown:>10s}  {'<= ' + format(target, 'g'):>10s}  {verdict}")
