"""Reads content/calibration.yaml into app.model.calibration rows, reporting every problem as
`file:line: message` (a bad row is skipped, never raised)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from app.knowledge.problems import Problem, read_content
from app.knowledge.yamlio import YamlError, finite_number, line_of, load_yaml, str_list
from app.model.calibration import KINDS, MEASURES, ORDERS, Arm, Population, Row
from app.model.numbers import shown, shown_names
from app.model.units import ESTROGEN_RANGE, FERRITIN_RANGE

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ROW_KEYS = {"id", "kind", "label", "population", "intervention", "arms", "measure", "years", "window",
             "published", "range", "order", "margin", "cite", "verified", "note", "source"}
_POP_KEYS = {"estrogen", "ferritin", "untreated_years"}

Report = Callable[[int, str], None]


class _Bad(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _number(raw: dict, key: str, lo: float, hi: float, what: str, line: int) -> float:
    v = finite_number(raw.get(key))
    if v is None or not lo <= v <= hi:
        raise _Bad(line, f"{what}: {shown(key)} must be a number from {lo:g} to {hi:g} (got {shown(raw.get(key))})")
    return v


def _population(raw: Any, base: Population | None, what: str, line: int) -> Population:
    if not isinstance(raw, dict):
        raise _Bad(line, f"{what}: 'population' must be a mapping with estrogen, ferritin and untreated_years")
    ln = line_of(raw, line)
    unknown = set(raw) - _POP_KEYS
    if unknown:
        raise _Bad(ln, f"{what}: unknown population key(s) {shown_names(sorted(map(str, unknown)))} "
                       f"(valid: {', '.join(sorted(_POP_KEYS))})")
    vals: dict[str, float] = {}
    for key, (lo, hi) in (("estrogen", ESTROGEN_RANGE), ("ferritin", FERRITIN_RANGE),
                          ("untreated_years", (0.0, 100.0))):
        if key in raw:
            vals[key] = _number(raw, key, lo, hi, what, ln)
        elif base is not None:
            vals[key] = getattr(base, key)
        elif key == "untreated_years":
            vals[key] = 0.0
        else:
            raise _Bad(ln, f"{what}: the population needs {shown(key)}")
    return Population(**vals)


def _ids(raw: Any, what: str, line: int, treatments: Collection[str] | None) -> tuple[str, ...]:
    ids = str_list(raw if raw is not None else [])
    if ids is None:
        raise _Bad(line, f"{what}: 'intervention' must be a list of treatment ids ([] for none)")
    if treatments is not None:
        for t in ids:
            if t not in treatments:
                raise _Bad(line, f"{what}: unknown treatment {shown(t)} (valid: {shown_names(treatments, 10)})")
    return tuple(ids)


def _range(raw: Any, what: str, line: int) -> tuple[float, float]:
    if not isinstance(raw, list) or len(raw) != 2:
        raise _Bad(line, f"{what}: 'range' must be [low, high] (high may be null: no upper limit)")
    lo = finite_number(raw[0])
    hi = math.inf if raw[1] is None else finite_number(raw[1])
    if lo is None or hi is None or lo > hi:
        raise _Bad(line, f"{what}: 'range' must be two numbers, low <= high (got {shown(raw)})")
    return lo, hi


def parse_row(raw: Any, *, treatments: Collection[str] | None = None,
              reference_keys: Collection[str] | None = None) -> Row:
    line = line_of(raw)
    if not isinstance(raw, dict):
        raise _Bad(line, "a calibration row must be a mapping")
    rid = raw.get("id")
    if not isinstance(rid, str) or not _ID.match(rid):
        raise _Bad(line, f"row without a valid 'id' (got {shown(rid)})")
    what = f"row {shown(rid)}"
    unknown = set(raw) - _ROW_KEYS
    if unknown:
        raise _Bad(line, f"{what}: unknown key(s) {shown_names(sorted(map(str, unknown)))}")
    kind = raw.get("kind", "figure")
    if kind not in KINDS:
        raise _Bad(line, f"{what}: 'kind' must be one of {', '.join(KINDS)} (got {shown(kind)})")
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise _Bad(line, f"{what}: no 'label'")
    meas = raw.get("measure")
    if not isinstance(meas, str) or meas not in MEASURES:
        raise _Bad(line, f"{what}: 'measure' must be one of {', '.join(MEASURES)} (got {shown(meas)})")
    years = _number(raw, "years", 0.1, 100.0, what, line)
    cite = str_list(raw.get("cite"))
    if not cite:
        raise _Bad(line, f"{what}: no citation ('cite' is empty)")
    if reference_keys is not None:
        missing = [k for k in cite if k not in reference_keys]
        if missing:
            raise _Bad(line, f"{what}: unknown reference key(s) {shown_names(missing)} (see references.yaml)")
    verified = raw.get("verified")
    if not isinstance(verified, str) or not verified.strip():
        raise _Bad(line, f"{what}: 'verified' must say what the source's abstract reports (or why "
                         "the figure is not from an abstract)")
    base = _population(raw.get("population"), None, what, line)
    if kind == "figure":
        if "arms" in raw:
            raise _Bad(line, f"{what}: a figure row has one population and intervention, no 'arms'")
        arms = (Arm(label=label.strip(), population=base,
                    intervention=_ids(raw.get("intervention"), what, line, treatments)),)
        published = finite_number(raw.get("published"))
        if published is None:
            raise _Bad(line, f"{what}: a figure row needs the 'published' figure (a number)")
        rng = _range(raw.get("range"), what, line)
    else:
        raw_arms = raw.get("arms")
        if not isinstance(raw_arms, list) or len(raw_arms) < 2:
            raise _Bad(line, f"{what}: an {kind} row needs 'arms' (two or more)")
        arm_list = []
        for a in raw_arms:
            aln = line_of(a, line)
            if not isinstance(a, dict) or not isinstance(a.get("label"), str) or not a["label"].strip():
                raise _Bad(aln, f"{what}: each arm needs a 'label'")
            pop = _population(a["population"], base, what, aln) if "population" in a else base
            arm_list.append(Arm(label=a["label"].strip(), population=pop,
                                intervention=_ids(a.get("intervention"), what, aln, treatments)))
        arms = tuple(arm_list)
        published = None
        rng = _range(raw.get("range"), what, line) if kind == "ratio" else (-math.inf, math.inf)
    window = None
    if meas == "loss_rate":
        w = raw.get("window")
        nums = [finite_number(v) for v in w] if isinstance(w, list) else []
        if len(nums) != 2 or any(v is None for v in nums) or not 0 <= nums[0] < nums[1] <= 100:  # type: ignore[operator]
            raise _Bad(line, f"{what}: 'window' must be [from, to] in years since menopause, from < to")
        window = (float(nums[0]), float(nums[1]))  # type: ignore[arg-type]
    order = raw.get("order", "descending")
    if order not in ORDERS:
        raise _Bad(line, f"{what}: 'order' must be one of {', '.join(ORDERS)} (got {shown(order)})")
    margin = finite_number(raw.get("margin", 0.0))
    if margin is None or margin < 0:
        raise _Bad(line, f"{what}: 'margin' must be a number >= 0")
    text = raw.get("source", "")
    return Row(id=rid, kind=str(kind), label=label.strip(), measure=str(meas), years=years, arms=arms,
               cite=tuple(cite), published=published, published_text=str(text or "").strip(), range=rng,
               window=window, order=str(order), margin=margin, verified=verified.strip(),
               note=str(raw.get("note", "") or "").strip(), line=line)


def load_calibration(path: Path, display_name: str | None = None, *, treatments: Collection[str] | None = None,
                     reference_keys: Collection[str] | None = None) -> tuple[tuple[Row, ...], list[Problem]]:
    """Rows in file order; an absent file is an empty table (a content pack without one)."""
    name = display_name or str(path)
    problems: list[Problem] = []
    text = read_content(path, name, problems, missing=None)
    if text is None:
        return (), problems
    try:
        data = load_yaml(text)
    except YamlError as exc:
        return (), [Problem(name, exc.line, str(exc))]
    items = data.get("rows") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return (), [Problem(name, 1, "expected a mapping with a 'rows' list")]
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for raw in items:
        try:
            row = parse_row(raw, treatments=treatments, reference_keys=reference_keys)
        except _Bad as exc:
            problems.append(Problem(name, exc.line, str(exc)))
            continue
        if row.id in seen:
            problems.append(Problem(name, row.line, f"duplicate row id {shown(row.id)} (first on line {seen[row.id]})"))
            continue
        seen[row.id] = row.line
        rows.append(row)
    return tuple(rows), problems
