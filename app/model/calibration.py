"""The calibration table (content/calibration.yaml) as data, and each row's figure computed live
from a Model: published trial and cohort figures beside the model's own, within or outside range."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from app.model.simulation import (
    DAYS_PER_YEAR,
    DEFAULT_DT_DAYS,
    Inputs,
    Model,
    Simulation,
)

# What a figure row measures (the row's `measure:`):
MEASURES = {
    "loss": "bone lost from the premenopausal start, % of it (positive = lost)",
    "loss_rate": "bone lost per year over a window of years since menopause, % a year",
    "effect": "treated minus untreated bone mass, % of bone mass when treatment starts",
    "change": "change of bone mass since treatment started, % of it",
}
KINDS = ("figure", "order", "ratio")
ORDERS = ("descending", "ascending")


@dataclass(frozen=True, kw_only=True)
class Population:
    """Who is simulated: estrogen and ferritin from menopause on (the model's time 0), and how
    many years pass untreated before the intervention starts."""

    estrogen: float
    ferritin: float
    untreated_years: float = 0.0

    def inputs(self, treatments: tuple[str, ...] = ()) -> Inputs:
        return Inputs(estrogen=self.estrogen, ferritin=self.ferritin, treatments=treatments)


@dataclass(frozen=True, kw_only=True)
class Arm:
    """One run of an order or ratio row: a population and the treatments it gets."""

    label: str
    population: Population
    intervention: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Row:
    """One line of the calibration table.

    figure: one arm's `measure` after `years`, against `published` and `range`.
    order:  the arms' measures must run `order` (descending or ascending) by at least `margin`.
    ratio:  the first arm's measure divided by the largest of the others must lie in `range`.
    """

    id: str
    kind: str
    label: str
    measure: str
    years: float  # duration of the intervention (natural-history rows: since menopause)
    arms: tuple[Arm, ...]
    cite: tuple[str, ...]
    published: float | None = None  # figure rows: the published figure
    published_text: str = ""  # what the source reports, in words (all rows)
    range: tuple[float, float] = (-math.inf, math.inf)
    window: tuple[float, float] | None = None  # loss_rate: years since menopause
    order: str = "descending"
    margin: float = 0.0
    verified: str = ""  # what the abstract says, or why the figure is not from an abstract
    note: str = ""
    line: int = 0  # line in calibration.yaml, for messages


@dataclass(frozen=True, kw_only=True)
class RowResult:
    """A row with the model's figure: `model` is one number (figure, ratio rows) or one per arm
    (order rows, in arm order); `within` says whether the row holds."""

    row: Row
    model: float | tuple[float, ...]
    within: bool
    detail: str

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def published(self) -> float | None:
        return self.row.published

    @property
    def range(self) -> tuple[float, float]:
        return self.row.range

    @property
    def cite(self) -> tuple[str, ...]:
        return self.row.cite


@dataclass
class _Runs:
    """Memoised bone-mass readings: many rows share runs (untreated arms, the same drug)."""

    model: Model
    dt_days: float = DEFAULT_DT_DAYS
    _cache: dict = field(default_factory=dict)

    def bone(self, pop: Population, intervention: tuple[str, ...], at_years: Iterable[float]
             ) -> tuple[float, ...]:
        """Bone mass (% of the premenopausal start) at each of `at_years` (years since menopause)
        when `intervention` starts after the population's untreated years, as in the GUI: the
        treatment is ticked at that moment of the clock and everything else carries on."""
        times = tuple(sorted(set(at_years)))
        key = (pop, intervention, times)
        if key not in self._cache:
            sim = Simulation(self.model, pop.inputs(), dt_days=self.dt_days)
            out: dict[float, float] = {}
            started = not intervention
            for t in times:
                if not started and t >= pop.untreated_years:
                    _advance_to(sim, pop.untreated_years)
                    sim.set_inputs(pop.inputs(intervention))
                    started = True
                _advance_to(sim, t)
                out[t] = sim.state.bone_mass_pct
            self._cache[key] = out
        cached = self._cache[key]
        return tuple(cached[t] for t in at_years)


def _advance_to(sim: Simulation, years: float) -> None:
    steps = int(round(years * DAYS_PER_YEAR / sim.dt_days))
    now = int(round(sim.t_years * DAYS_PER_YEAR / sim.dt_days))
    if steps > now:
        sim.advance((steps - now) * sim.dt_days)


def measure(runs: _Runs, row: Row, arm: Arm) -> float:
    """The row's measure for one arm."""
    pop, start = arm.population, arm.population.untreated_years
    end = start + row.years
    if row.measure == "loss":
        (mass,) = runs.bone(pop, arm.intervention, [end])
        return 100.0 - mass
    if row.measure == "loss_rate":
        a, b = row.window or (start, end)
        ma, mb = runs.bone(pop, arm.intervention, [a, b])
        return 100.0 * (1.0 - (mb / ma) ** (1.0 / (b - a)))
    if row.measure == "effect":
        m0, treated = runs.bone(pop, arm.intervention, [start, end])
        (untreated,) = runs.bone(pop, (), [end])
        return 100.0 * (treated - untreated) / m0
    if row.measure == "change":
        m0, treated = runs.bone(pop, arm.intervention, [start, end])
        return 100.0 * (treated - m0) / m0
    raise ValueError(f"row {row.id}: unknown measure {row.measure!r} (valid: {', '.join(MEASURES)})")


def check_names(row: Row, model: Model) -> list[str]:
    """Problems with the treatment ids a row names, as messages."""
    return [f"row {row.id}: unknown treatment {t!r} (valid: {', '.join(model.treatments)})"
            for arm in row.arms for t in arm.intervention if t not in model.treatments]


def evaluate_row(model: Model, row: Row, *, runs: _Runs | None = None) -> RowResult:
    names = check_names(row, model)
    if names:
        raise ValueError(names[0])
    runs = runs or _Runs(model)
    values = tuple(measure(runs, row, arm) for arm in row.arms)
    lo, hi = row.range
    if row.kind == "figure":
        v = values[0]
        ok = lo <= v <= hi
        return RowResult(row=row, model=v, within=ok,
                         detail=f"{v:.2f} ({'within' if ok else 'outside'} {lo:g} to {_fmt(hi)})")
    if row.kind == "ratio":
        best = max(values[1:])
        v = values[0] / best if best > 0 else math.inf
        ok = lo <= v <= hi
        return RowResult(row=row, model=v, within=ok,
                         detail=f"{row.arms[0].label} {values[0]:.2f} / best single {best:.2f} = {v:.2f} "
                                f"({'within' if ok else 'outside'} {lo:g} to {_fmt(hi)})")
    sign = 1.0 if row.order == "descending" else -1.0
    breaks = [i for i in range(len(values) - 1) if sign * (values[i] - values[i + 1]) < row.margin]
    shown = " > " if row.order == "descending" else " < "
    detail = shown.join(f"{a.label} {v:.2f}" for a, v in zip(row.arms, values, strict=True))
    if breaks:
        i = breaks[0]
        detail += f" (breaks between {row.arms[i].label} and {row.arms[i + 1].label})"
    return RowResult(row=row, model=values, within=not breaks, detail=detail)


def evaluate(model: Model, rows: Iterable[Row]) -> list[RowResult]:
    """Every row computed from `model`, in order. A row naming a treatment the model lacks is
    shown as not holding (check-content reports it), never raised."""
    runs = _Runs(model)
    out = []
    for row in rows:
        names = check_names(row, model)
        if names:
            out.append(RowResult(row=row, model=math.nan, within=False, detail=f"not computed: {names[0]}"))
        else:
            out.append(evaluate_row(model, row, runs=runs))
    return out


def _fmt(x: float) -> str:
    return "no limit" if math.isinf(x) else f"{x:g}"


