"""The model controller: holds the model's inputs and clock, runs the animation timer, keeps undo
and the "why" of each change, and sends new states down to the views. Sliders, treatments, scenarios, clamps, tours and
the CLI all end up in `set_inputs`: one way in."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.model.numbers import MAX_YEARS
from app.model.scenarios import Scenario, scenario_with_role
from app.model.simulation import DAYS_PER_YEAR, Inputs, Model, Simulation, State
from app.model.why import explain

FRAME_MS = 16  # ~60 fps
PROJECTION_YEARS = 10.0
STEP_DAYS = DAYS_PER_YEAR / 12  # the Step button advances one month
WHY_DELAY_MS = 120
UNDO_MERGE_MS = 1000  # further moves of the same slider within this time are one undo step
UNDO_LIMIT = 100


class ModelController(QObject):
    inputs_changed = Signal(object)  # Inputs
    state_changed = Signal(object)  # State
    history_changed = Signal(object)  # (t, formation, resorption, mass, proj_t, proj_mass)
    playing_changed = Signal(bool)
    scenario_changed = Signal(object)  # scenario id or None
    why_changed = Signal(object)  # WhyTrace or None
    undo_changed = Signal(bool, bool)  # can undo, can redo
    message_posted = Signal(str)

    def __init__(self, model: Model, scenarios: dict[str, Scenario], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.scenarios = scenarios
        self.inputs = Inputs.reference()
        self.reference_scenario = scenario_with_role(scenarios, "reference")  # what Reset comes back to
        self.scenario: str | None = self.reference_scenario
        self.sim = Simulation(model, self.inputs)
        self.speed = 1.0  # model years per real second
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._frame_at = 0.0  # clock seconds of the last animation frame
        # The "why" is traced once the inputs rest for a moment: not on every step of a drag.
        self._why_timer = QTimer(self)
        self._why_timer.setSingleShot(True)
        self._why_timer.setInterval(WHY_DELAY_MS)
        self._why_timer.timeout.connect(self._on_why_timer_timeout)
        self._why_from: Inputs | None = None
        self._stop_at: float | None = None  # play_until(): pause exactly at this model year
        # Undo / redo of the inputs (sliders, scenario, treatments, clamps, cut links); time is
        # not rewound. A drag of one slider is one step.
        self._undo: list[tuple[Inputs, str | None]] = []
        self._redo: list[tuple[Inputs, str | None]] = []
        self._undo_key: frozenset[str] = frozenset()
        self._undo_at: float | None = None  # when the last undo step was recorded (clock seconds)
        # Seconds on a monotonic clock (undo merging, animation frames); tests put their own clock here.
        self.clock: Callable[[], float] = time.monotonic
        self._history: list[tuple[float, float, float, float]] = []
        self._projection: tuple[list[float], list[float]] = ([], [])
        self._rate_projection: tuple[list[float], list[float], list[float]] = ([], [], [])
        self._record(self.sim.state)
        self._project()

    # --- read-only views of the state -------------------------------------------------------
    @property
    def state(self) -> State:
        return self.sim.state

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    # --- the one way in ------------------------------------------------------------------------
    def set_inputs(self, inputs: Inputs, *, scenario: str | None = None, explain: bool = True,
                   undoable: bool = True) -> bool:
        """Apply new inputs; a bad value changes nothing and says why. Returns success."""
        if inputs == self.inputs:
            return True
        old_inputs, old_scenario = self.inputs, self.scenario
        try:
            state = self.sim.set_inputs(inputs)
        except ValueError as exc:
            self.message_posted.emit(f"Not applied: {exc}")
            return False
        if undoable:
            self._remember(old_inputs, old_scenario, inputs)
        else:
            self._undo_key = frozenset()  # a change from elsewhere (tour, undo) ends the step in progress
        self.inputs = inputs
        self.scenario = scenario
        self._project()
        self.inputs_changed.emit(inputs)
        self.scenario_changed.emit(scenario)
        self.state_changed.emit(state)
        self._emit_history()
        if explain:
            if undoable:
                # The trace spans the whole undo step: a drag is explained from where it began,
                # even when the hand rested mid-drag long enough for a trace of the part so far.
                self._why_from = self._undo[-1][0]
            elif self._why_from is None:
                self._why_from = old_inputs
            self._why_timer.start()
        return True

    # --- undo ----------------------------------------------------------------------------------
    def _remember(self, old: Inputs, old_scenario: str | None, new: Inputs) -> None:
        key = frozenset(f.name for f in dataclasses.fields(Inputs) if getattr(old, f.name) != getattr(new, f.name))
        now = self.clock()
        merge = (self._undo and key == self._undo_key and len(key) == 1 and self._undo_at is not None
                 and (now - self._undo_at) * 1000 < UNDO_MERGE_MS)
        if not merge:
            self._undo.append((old, old_scenario))
            del self._undo[:-UNDO_LIMIT]
        self._undo_key = key
        self._undo_at = now
        self._redo.clear()
        self.undo_changed.emit(True, False)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> bool:
        """Back to the inputs before the last change (the clock runs on)."""
        return self._step_history(self._undo, self._redo, "Undone")

    def redo(self) -> bool:
        return self._step_history(self._redo, self._undo, "Redone")

    def _step_history(self, source: list, target: list, verb: str) -> bool:
        if not source:
            return False
        inputs, scenario = source.pop()
        target.append((self.inputs, self.scenario))
        self._undo_key = frozenset()  # the next change starts a new step
        if not self.set_inputs(inputs, scenario=scenario, undoable=False):
            source.append((inputs, scenario))
            target.pop()
        self.undo_changed.emit(self.can_undo, self.can_redo)
        self.message_posted.emit(f"{verb}: estrogen {inputs.estrogen:g} %, ferritin {inputs.ferritin:g} µg/L"
                                 + (f", {len(inputs.treatments)} treatment(s)" if inputs.treatments else ""))
        return True

    def explain_now(self) -> None:
        """Trace the pending change at once (tests, tours); normally it waits for a pause."""
        if self._why_timer.isActive():
            self._why_timer.stop()
            self._on_why_timer_timeout()

    def set_estrogen(self, value: float) -> None:
        self._set_number("estrogen", value)

    def set_ferritin(self, value: float) -> None:
        self._set_number("ferritin", value)
        if not self.playing and self.inputs.ferritin == value:
            self.message_posted.emit("Body iron follows ferritin over months: press Play (Ctrl+Space) to watch "
                                     "the cells respond")

    def _set_number(self, name: str, value: float) -> None:
        if not isinstance(value, (int, float)) or not math.isfinite(value):
            self.message_posted.emit(f"Not applied: {name} must be a number (got {value!r})")
            return
        try:
            inputs = self.inputs.replace(**{name: float(value)})
        except ValueError as exc:  # out of range: say so, change nothing
            self.message_posted.emit(f"Not applied: {exc}")
            return
        self.set_inputs(inputs)

    def set_treatment(self, treatment_id: str, on: bool) -> None:
        current = list(self.inputs.treatments)
        if on and treatment_id not in current:
            current.append(treatment_id)
        elif not on and treatment_id in current:
            current.remove(treatment_id)
        self.set_inputs(self.inputs.replace(treatments=tuple(current)), scenario=self.scenario)

    def choose_scenario(self, scenario_id: str) -> None:
        s = self.scenarios.get(scenario_id)
        if s is None:
            valid = ", ".join(sorted(self.scenarios))
            self.message_posted.emit(f"Unknown scenario {scenario_id!r} (valid: {valid})")
            return
        self.set_inputs(self.inputs.replace(estrogen=s.estrogen, ferritin=s.ferritin,
                                            treatments=s.treatments), scenario=s.id)

    def clamp(self, node_id: str, mode: str) -> None:
        """mode: "knockout", "high" (1.0), "low" (0.0) or "release"."""
        clamps = dict(self.inputs.clamps)
        knockouts = set(self.inputs.knockouts)
        clamps.pop(node_id, None)
        knockouts.discard(node_id)
        if mode == "knockout":
            knockouts.add(node_id)
        elif mode == "high":
            clamps[node_id] = 1.0
        elif mode == "low":
            clamps[node_id] = 0.0
        self.set_inputs(self.inputs.replace(clamps=clamps, knockouts=tuple(sorted(knockouts))),
                        scenario=self.scenario)

    def clamp_mode(self, node_id: str) -> str | None:
        if node_id in self.inputs.knockouts:
            return "knockout"
        if node_id in self.inputs.clamps:
            return "high" if self.inputs.clamps[node_id] >= 0.5 else "low"
        return None

    # --- time ------------------------------------------------------------------------------
    @property
    def at_limit(self) -> bool:
        """The clock has reached MAX_YEARS, where it stops everywhere."""
        return self.sim.t_years >= MAX_YEARS - 1e-9

    def _say_limit(self, verb: str = "Stopped") -> None:
        self.message_posted.emit(f"{verb} at year {MAX_YEARS:g}, where the model clock ends: press Reset "
                                 "(Ctrl+R) to start over")

    def set_playing(self, on: bool) -> None:
        if not on:
            self._stop_at = None
        if on and self.at_limit:
            self._say_limit("The clock is")
            self.playing_changed.emit(False)  # the Play button springs back
            return
        if on == self.playing:
            return
        if on:
            self._frame_at = self.clock()
            self._timer.start()
        else:
            self._timer.stop()
        self.playing_changed.emit(on)

    def play_until(self, t_years: float, speed: float | None = None) -> None:
        """Play (at `speed` model years per second, or the current speed) and pause exactly at
        model year `t_years`, or at MAX_YEARS if that comes first (tours play a step's years this way)."""
        if t_years > MAX_YEARS + 1e-9:
            self.message_posted.emit(f"This step would play to year {t_years:.1f}; the model clock ends at year "
                                     f"{MAX_YEARS:g}, so it stops there (Reset, Ctrl+R, starts over)")
            t_years = MAX_YEARS
        if t_years <= self.sim.t_years + 1e-9:
            return
        if speed is not None:
            self.set_speed(speed)
        self.set_playing(True)
        self._stop_at = float(t_years)

    def finish_play(self) -> None:
        """Jump straight to where a running play_until() would pause."""
        target = self._stop_at
        self.set_playing(False)
        if target is not None and target > self.sim.t_years:
            self.advance((target - self.sim.t_years) * DAYS_PER_YEAR)

    def toggle_playing(self) -> None:
        self.set_playing(not self.playing)

    def set_speed(self, years_per_second: float) -> None:
        self.speed = max(1 / 12, min(2.0, float(years_per_second)))

    def step(self, days: float = STEP_DAYS) -> None:
        self.set_playing(False)
        self.advance(days)

    def advance(self, days: float) -> State:
        """Advance the clock, never past MAX_YEARS (a request beyond it stops there and says so); long
        jumps are recorded month by month so the plots keep their shape."""
        room = max(0.0, (MAX_YEARS - self.sim.t_years) * DAYS_PER_YEAR)
        if days > room + 1e-9:
            days = room
            self._say_limit()
        remaining = float(days)
        while remaining > STEP_DAYS:
            self._record(self.sim.advance(STEP_DAYS))
            remaining -= STEP_DAYS
        state = self.sim.advance(remaining)
        self._record(state)
        self.state_changed.emit(state)
        self._emit_history()
        return state

    def reset_all(self) -> None:
        """Reference inputs, year 0, no treatments, clamps or knock-outs (PhET's Reset All)."""
        self.set_playing(False)
        reference = Inputs.reference()
        if self.inputs != reference:  # Ctrl+Z brings the sliders back (at year 0)
            self._remember(self.inputs, self.scenario, reference)
        self.inputs = reference
        self.scenario = self.reference_scenario
        self.sim = Simulation(self.model, self.inputs)
        self._history.clear()
        self._why_timer.stop()
        self._why_from = None
        self._record(self.sim.state)
        self._project()
        self.inputs_changed.emit(self.inputs)
        self.scenario_changed.emit(self.scenario)
        self.state_changed.emit(self.sim.state)
        self._emit_history()
        self.why_changed.emit(None)

    def _on_timer_timeout(self) -> None:
        now = self.clock()
        elapsed = min(max(now - self._frame_at, 0.0), 0.1)  # a stalled frame does not jump the clock
        self._frame_at = now
        days = elapsed * self.speed * DAYS_PER_YEAR
        stop_at = min(self._stop_at if self._stop_at is not None else MAX_YEARS, MAX_YEARS)
        days = min(days, max(0.0, (stop_at - self.sim.t_years) * DAYS_PER_YEAR))  # the last frame stops on it
        self.advance(days)
        if self.sim.t_years >= stop_at - 1e-9:
            paused_for_tour = self._stop_at is not None and self._stop_at < MAX_YEARS
            self.set_playing(False)
            if not paused_for_tour:
                self._say_limit("Paused")

    # --- history and projection -------------------------------------------------------------
    def _record(self, state: State) -> None:
        point = (state.t_years, state.formation, state.resorption, state.bone_mass_pct)
        if self._history and abs(self._history[-1][0] - point[0]) < 1e-12:
            self._history[-1] = point
        else:
            self._history.append(point)

    def _project(self) -> None:
        """Where bone mass goes from now if nothing changes (dashed in the plot)."""
        tr = self.sim.project(PROJECTION_YEARS)
        t = tr.t_years.tolist()
        self._projection = (t, tr.bone_mass_pct.tolist())
        self._rate_projection = (t, tr.formation.tolist(), tr.resorption.tolist())

    def rate_projection(self) -> tuple[list[float], list[float], list[float]]:
        """(t, formation, resorption) from now if nothing changes: a change shows in the rates at
        once, even at year 0 when the run so far is a single point."""
        return self._rate_projection

    def answered_balance(self) -> float:
        """Formation minus resorption under the current inputs, once the osteoclasts have answered
        them (within days): what a change does to the balance now, before the clock has run."""
        formation, resorption = self.sim.answered_rates()
        return formation - resorption

    def history(self) -> tuple[list[float], list[float], list[float], list[float], list[float], list[float]]:
        t = [p[0] for p in self._history]
        return (t, [p[1] for p in self._history], [p[2] for p in self._history],
                [p[3] for p in self._history], *self._projection)

    def _emit_history(self) -> None:
        self.history_changed.emit(self.history())

    # --- the "why" ---------------------------------------------------------------------------
    def _on_why_timer_timeout(self) -> None:
        old, self._why_from = self._why_from, None
        if old is not None and old != self.inputs:
            self._explain(old, self.inputs)

    def _explain(self, old: Inputs, new: Inputs) -> None:
        try:
            trace = explain(self.model, old, new)
        except ValueError as exc:
            self.message_posted.emit(f"No explanation: {exc}")
            return
        self.why_changed.emit(trace)
