"""One limit for the model clock (app.model.numbers.MAX_YEARS) in the GUI: Step, advance, the play
timer's last frame, a tour's play_until started late and finish_play all stop there and say so, and
a session saved at the limit (or its recovery copy) opens again at the same year."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.knowledge.session import read
from app.model.numbers import MAX_YEARS
from app.model.simulation import DAYS_PER_YEAR


def _near_limit(mc, years_before: float) -> None:  # noqa: ANN001
    mc.advance((MAX_YEARS - years_before) * DAYS_PER_YEAR - mc.sim.t_years * DAYS_PER_YEAR)
    assert mc.sim.t_years == pytest.approx(MAX_YEARS - years_before, abs=0.07)  # whole model steps


def test_step_stops_at_the_limit_and_says_so(qtbot, window) -> None:
    mc = window.model_controller
    _near_limit(mc, 0.1)
    step = window.controls.step_button
    for _ in range(5):  # five months from 59.9 would end at 60.3
        qtbot.mouseClick(step, Qt.MouseButton.LeftButton)
    assert mc.sim.t_years <= MAX_YEARS + 1e-9
    assert mc.sim.t_years == pytest.approx(MAX_YEARS, abs=1 / 365)
    assert f"{MAX_YEARS:g}" in window.last_message and "Reset" in window.last_message
    assert window.controls.clock.text() == f"Year {MAX_YEARS:.1f}"


def test_advance_never_runs_past_the_limit(window) -> None:
    mc = window.model_controller
    mc.advance(200 * DAYS_PER_YEAR)  # a long jump: what once reached year 200
    assert mc.sim.t_years <= MAX_YEARS + 1e-9
    t, *_ = mc.history()
    assert max(t) <= MAX_YEARS + 1e-9


def test_play_stops_exactly_at_the_limit(qtbot, window) -> None:
    mc = window.model_controller
    _near_limit(mc, 0.06)
    now = [0.0]

    def slow_frames() -> float:  # every frame comes 0.1 s after the last: the longest one counted
        now[0] += 0.1
        return now[0]

    mc.clock = slow_frames
    mc.set_speed(2.0)  # a frame of 0.1 s runs 0.2 years: past the limit
    with qtbot.waitSignal(mc.playing_changed, check_params_cb=lambda on: on is False, timeout=5000):
        mc.set_playing(True)
    assert mc.sim.t_years <= MAX_YEARS + 1e-9
    assert mc.sim.t_years == pytest.approx(MAX_YEARS, abs=1 / 365)
    assert f"year {MAX_YEARS:g}" in window.last_message.lower()


def test_play_at_the_limit_does_not_start(qtbot, window) -> None:
    mc = window.model_controller
    _near_limit(mc, 0.0)
    qtbot.mouseClick(window.controls.play_button, Qt.MouseButton.LeftButton)
    assert not mc.playing
    assert not window.controls.play_button.isChecked()
    assert f"{MAX_YEARS:g}" in window.last_message


def test_a_tour_step_started_late_stops_at_the_limit(qtbot, window) -> None:
    mc = window.model_controller
    _near_limit(mc, 1.0)
    mc.play_until(MAX_YEARS + 5.0, speed=2.0)  # a tour step of 6 years at year 59
    mc.finish_play()
    assert not mc.playing
    assert mc.sim.t_years == pytest.approx(MAX_YEARS, abs=1 / 365)
    assert mc.sim.t_years <= MAX_YEARS + 1e-9
    assert f"{MAX_YEARS:g}" in window.last_message


def test_a_session_saved_at_the_limit_opens_again(qtbot, window, tmp_path: Path) -> None:
    mc = window.model_controller
    mc.set_estrogen(10)
    _near_limit(mc, 0.05)
    for _ in range(5):  # past the limit and the quarter year a file allows beyond it, without the limit
        qtbot.mouseClick(window.controls.step_button, Qt.MouseButton.LeftButton)
    reached = mc.sim.t_years
    manager = window.features["session"].manager
    path = tmp_path / "limit.ironbone"
    assert manager.save_to(path), manager.last_message
    assert read(path).years == pytest.approx(reached)
    mc.reset_all()
    assert manager.open_path(path), manager.last_message
    assert mc.sim.t_years == pytest.approx(reached, abs=1e-6)
    assert mc.inputs.estrogen == 10


def test_the_recovery_copy_keeps_a_state_at_the_limit(qtbot, window, tmp_path: Path) -> None:
    feature = window.features["session"]
    recovery = feature.enable_recovery(tmp_path / "recovery", interval_ms=60_000)
    mc = window.model_controller
    mc.set_estrogen(20)
    mc.advance(200 * DAYS_PER_YEAR)
    with qtbot.waitSignal(recovery.written, timeout=10_000) as written:
        assert recovery.autosave(), window.last_message
    assert read(Path(written.args[0])).years == pytest.approx(mc.sim.t_years)
    recovery.finish()
