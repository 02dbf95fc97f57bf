"""The review's directional claims (content/claims.yaml) as data, and their evaluation with the model."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from app.model.numbers import shown
from app.model.simulation import Inputs, Model, State, Trajectory

COMPARES = ("single", "pair", "sweep", "all_pairs")
DIRECTIONS = ("up", "down", "flat", "non_increasing", "non_decreasing", "opposite")
BONE_VALUES = ("bone_mass_pct", "fracture_risk", "formation", "resorption", "balance")
_SERIES = {"bone_mass_pct", "fracture_risk", "formation", "resorption", "balance"}


@dataclass(frozen=True, kw_only=True)
class RunSpec:
    """One model run of a claim (every run starts from the premenopausal reference)."""

    label: str
    estrogen: float | None = None
    ferritin: float | None = None
    treatments: tuple[str, ...] = ()
    clamps: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    knockouts: tuple[str, ...] = ()

    def inputs(self, **override: float) -> Inputs:
        values = {"estrogen": self.estrogen, "ferritin": self.ferritin, **override}
        missing = [k for k, v in values.items() if v is None]
        if missing:
            raise ValueError(f"run {self.label!r} has no {' or '.join(missing)}")
        return Inputs(estrogen=values["estrogen"], ferritin=values["ferritin"],  # type: ignore[arg-type]
                      treatments=self.treatments, clamps=dict(self.clamps), knockouts=self.knockouts)


@dataclass(frozen=True, kw_only=True)
class Expectation:
    what: str  # a node id or one of BONE_VALUES
    direction: str  # one of DIRECTIONS
    margin: float = 0.0
    around: float = 0.0  # for `flat`
    of: str = ""  # for `opposite`


@dataclass(frozen=True, kw_only=True)
class Claim:
    id: str
    number: int
    text: str
    section: str
    cite: tuple[str, ...]
    years: float
    compare: str
    runs: tuple[RunSpec, ...]
    expect: tuple[Expectation, ...]
    sweep_param: str = ""
    sweep_values: tuple[float, ...] = ()
    line: int = 0  # line in claims.yaml, for messages


@dataclass(frozen=True, kw_only=True)
class ClaimResult:
    claim: Claim
    passed: bool
    detail: str


class _Runs:
    """Memoised projections: claims share many runs (the reference, PM, PMI)."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._cache: dict[tuple[Inputs, float], Trajectory] = {}

    def __call__(self, inputs: Inputs, years: float) -> Trajectory:
        key = (inputs, years)
        if key not in self._cache:
            self._cache[key] = self.model.simulate(inputs, years)
        return self._cache[key]


def _final(tr: Trajectory, what: str) -> float:
    s: State = tr.final
    if what == "balance":
        return s.balance
    if what in ("bone_mass_pct", "fracture_risk", "formation", "resorption"):
        return float(getattr(s, what))
    return float(s.activities[what])


def _series(tr: Trajectory, what: str) -> list[float]:
    if what == "balance":
        return (tr.formation - tr.resorption).tolist()
    return getattr(tr, what).tolist()


def _fmt(what: str, v: float) -> str:
    return f"{v:.2f}" if what in ("bone_mass_pct", "formation", "resorption", "balance") else f"{v:.3f}"


def check_names(claim: Claim, model: Model) -> list[str]:
    """Problems with the ids a claim names (nodes, treatments, values), as messages."""
    out = []
    valid = set(model.node_ids) | set(BONE_VALUES)
    for e in claim.expect:
        for name in (e.what, e.of) if e.of else (e.what,):
            if name not in valid:
                out.append(f"claim {claim.id}: unknown value {shown(name)} (a node id or one of "
                           f"{', '.join(BONE_VALUES)})")
    for r in claim.runs:
        for t in r.treatments:
            if t not in model.treatments:
                out.append(f"claim {claim.id}: unknown treatment {shown(t)}")
        for n in (*r.clamps, *r.knockouts):
            if n not in model.index:
                out.append(f"claim {claim.id}: unknown node {shown(n)}")
    return out


def evaluate(model: Model, claim: Claim, *, runs: _Runs | None = None) -> tuple[bool, str]:
    """Run the claim's simulations and compare: (passed, one-line detail per expectation)."""
    names = check_names(claim, model)
    if names:
        raise ValueError(names[0])
    run = runs or _Runs(model)
    years = claim.years
    parts: list[str] = []
    ok_all = True
    for e in claim.expect:
        ok, text = _check(run, claim, e, years)
        ok_all &= ok
        parts.append(("✓ " if ok else "✗ ") + text)
    return ok_all, "; ".join(parts)


def _check(run: _Runs, claim: Claim, e: Expectation, years: float) -> tuple[bool, str]:
    if claim.compare == "single":
        tr = run(claim.runs[0].inputs(), years)
        if e.direction != "flat":
            raise ValueError(f"claim {claim.id}: 'single' supports only 'flat'")
        values = _series(tr, e.what) if e.what in _SERIES else [_final(tr, e.what)]
        worst = max(abs(v - e.around) for v in values)
        ok = worst <= e.margin
        return ok, (f"{e.what} stays within {e.around:g} ± {e.margin:g} "
                    f"(largest deviation {worst:.3g})")
    if claim.compare == "pair":
        a = _final(run(claim.runs[0].inputs(), years), e.what)
        b = _final(run(claim.runs[1].inputs(), years), e.what)
        d = b - a
        if e.direction == "up":
            ok = d >= e.margin
        elif e.direction == "down":
            ok = d <= -e.margin
        else:
            raise ValueError(f"claim {claim.id}: 'pair' supports 'up' and 'down'")
        return ok, (f"{e.what} {e.direction}: {_fmt(e.what, a)} -> {_fmt(e.what, b)} "
                    f"({d:+.3g}, needs {'+' if e.direction == 'up' else '-'}{e.margin:g})")
    if claim.compare == "sweep":
        texts, ok_all = [], True
        for spec in claim.runs:
            vals = [_final(run(spec.inputs(**{claim.sweep_param: v}), years), e.what)
                    for v in claim.sweep_values]
            steps = list(itertools.pairwise(vals))
            if e.direction == "non_increasing":
                bad = [i for i, (x, y) in enumerate(steps) if y > x + e.margin]
            elif e.direction == "non_decreasing":
                bad = [i for i, (x, y) in enumerate(steps) if y < x - e.margin]
            else:
                raise ValueError(f"claim {claim.id}: 'sweep' supports non_increasing/non_decreasing")
            ok_all &= not bad
            where = (f", breaks at {claim.sweep_param} {claim.sweep_values[bad[0]]:g} -> "
                     f"{claim.sweep_values[bad[0] + 1]:g}" if bad else "")
            texts.append(f"{spec.label}: {e.what} {_fmt(e.what, vals[0])} -> {_fmt(e.what, vals[-1])}{where}")
        return ok_all, f"{e.what} {e.direction.replace('_', '-')} in {claim.sweep_param}: " + "; ".join(texts)
    if claim.compare == "all_pairs":
        if e.direction != "opposite" or not e.of:
            raise ValueError(f"claim {claim.id}: 'all_pairs' supports 'opposite' with 'of'")
        pts = [(spec.label, _final(t, e.of), _final(t, e.what))
               for spec in claim.runs for t in [run(spec.inputs(), years)]]
        bad = [(p, q) for p, q in itertools.combinations(pts, 2)
               if abs(p[1] - q[1]) > 1e-9 and not (p[2] - q[2]) * (p[1] - q[1]) < 0]
        if bad:
            (l1, _, _), (l2, _, _) = bad[0]
            return False, f"{e.what} does not move against {e.of} between {l1!r} and {l2!r}"
        return True, f"{e.what} moves against {e.of} in all {len(pts) * (len(pts) - 1) // 2} pairs of runs"
    raise ValueError(f"claim {claim.id}: unknown compare {claim.compare!r} (valid: {', '.join(COMPARES)})")


def evaluate_all(model: Model, claims: Iterable[Claim]) -> list[ClaimResult]:
    runs = _Runs(model)
    out = []
    for c in claims:
        # A claim naming what the model lacks (content/claims.yaml edited, or treatments.yaml broken)
        # is already a check-content problem; here it is shown as not holding, not raised.
        names = check_names(c, model)
        passed, detail = (False, f"not checked: {names[0]}") if names else evaluate(model, c, runs=runs)
        out.append(ClaimResult(claim=c, passed=passed, detail=detail))
    return out
