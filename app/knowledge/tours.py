"""Loads the guided tours in content/tours/*.yaml into frozen Tour objects, collecting every problem
as `file:line: message` (bad parts are dropped and reported, never raised)."""

# A tour is a lecture in small steps: each step shows a caption, highlights nodes, traces a chain of
# edges and may set the sliders, a scenario, the treatments, play model time and open a page. The
# GUI drives the same controller the sliders do (DESIGN.md "Data flow"); this module only reads and
# checks the files, so it stays free of Qt and is testable on its own.

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

from app.knowledge.limits import ID_MAX_CHARS
from app.knowledge.pages import LINK_RE, markdown_bounds
from app.knowledge.problems import Problem, read_content, rel
from app.knowledge.yamlio import YamlError, finite_number, line_of, load_yaml, str_list
from app.model.numbers import MAX_YEARS, shown
from app.model.pathway import Pathway
from app.model.simulation import ESTROGEN_RANGE, FERRITIN_RANGE

MINUTES_RANGE = (3.0, 10.0)  # issue 6: each tour takes 3-10 minutes of class time
YEARS_RANGE = (0.0, 30.0)  # model time a single step may play
SET_RANGES: dict[str, tuple[float, float]] = {"estrogen": ESTROGEN_RANGE, "ferritin": FERRITIN_RANGE}
TOUR_KEYS = ("version", "id", "title", "minutes", "summary", "steps")
STEP_KEYS = ("caption", "highlight", "path", "set", "scenario", "treatments", "years", "page")
LINK_SCHEMES = ("node", "topic", "ref", "http", "https")  # as on the pages (content/README.md)
MIN_STEPS = 2

Report = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class TourStep:
    """One step of a tour; fields left out of the file leave the app's state as it is."""

    caption: str  # markdown
    highlight: tuple[str, ...] = ()
    path: tuple[str, ...] = ()  # node ids; every consecutive pair is an edge of the pathway
    estrogen: float | None = None  # % of the premenopausal level
    ferritin: float | None = None  # µg/L
    scenario: str | None = None  # applied before `estrogen` / `ferritin`
    treatments: tuple[str, ...] | None = None  # None: unchanged; (): all switched off
    years: float = 0.0  # model time to play in this step
    page: str = ""  # "node:<id>" or "topic:<id>", or "" for none
    line: int = 0  # line of the step in its file

    @property
    def values(self) -> dict[str, float]:
        """The slider values this step sets, by slider name."""
        out = {"estrogen": self.estrogen, "ferritin": self.ferritin}
        return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Tour:
    """A guided tour: a titled sequence of steps, read from one file."""

    id: str
    title: str
    minutes: float
    summary: str
    steps: tuple[TourStep, ...]
    file: str = ""
    line: int = 0


def _ids(value: Any) -> list[str] | None:
    """A list of non-empty strings (a lone string counts as a list of one); None if malformed.
    Unlike str_list, a missing or empty value is malformed here: a step must name something."""
    return None if value is None or value == "" else str_list(value)


def _reference_keys(root: Path) -> set[str] | None:
    """Keys of references.yaml, or None when it cannot be read (its own loader reports that)."""
    text = read_content(root / "references.yaml", "references.yaml", [])
    if text is None:
        return None
    try:
        data = load_yaml(text)
    except YamlError:
        return None
    items = data.get("references") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    return {str(r["key"]) for r in items if isinstance(r, dict) and isinstance(r.get("key"), str)}


@dataclass(frozen=True)
class _Known:
    """What tour steps may name, gathered once per content directory."""

    nodes: frozenset[str]
    edges: frozenset[tuple[str, str]]
    topics: frozenset[str]
    refs: frozenset[str] | None
    scenarios: frozenset[str] | None
    treatments: frozenset[str] | None


def _check_links(caption: str, known: _Known, report: Report) -> int:
    """Report unknown link targets in a caption; return how many citations it makes."""
    cites = 0
    for m in LINK_RE.finditer(caption):
        scheme, target = m.group(1).lower(), m.group(2)
        if scheme == "ref":
            cites += 1
            if known.refs is not None and target not in known.refs:
                report(0, f"caption cites unknown reference key {shown(target)} (not in references.yaml)")
        elif scheme == "node":
            if known.nodes and target not in known.nodes:
                report(0, f"caption links to unknown node {shown(target)}")
        elif scheme == "topic":
            if target not in known.topics:
                report(0, f"caption links to unknown topic {shown(target)} (no topics/{target}.md)")
        elif scheme not in LINK_SCHEMES:
            report(0, f"caption link scheme {shown(scheme)} is not allowed "
                      f"(valid: {', '.join(LINK_SCHEMES)})")
    return cites


def _node_list(raw: dict, key: str, known: _Known, report: Report) -> list[str]:
    if key not in raw:
        return []
    ids = _ids(raw[key])
    if ids is None:
        report(0, f"{shown(key)} must be a list of node ids (got {shown(raw[key])})")
        return []
    if not known.nodes:  # the pathway is broken: its own messages say why, no cascade here
        return ids
    unknown = [n for n in ids if n not in known.nodes]
    for n in unknown:
        report(0, f"{shown(key)} names unknown node {shown(n)}")
    return [n for n in ids if n not in unknown]


def _path(raw: dict, known: _Known, report: Report) -> tuple[str, ...]:
    if "path" not in raw:
        return ()
    before = _ids(raw["path"])
    nodes = _node_list(raw, "path", known, report)
    if before is None or len(nodes) != len(before):
        return ()  # already reported; a path with a hole in it cannot be traced
    if len(nodes) < 2:
        report(0, "'path' needs at least two nodes")
        return ()
    if not known.nodes:
        return tuple(nodes)
    missing = [(a, b) for a, b in pairwise(nodes) if (a, b) not in known.edges]
    for a, b in missing:
        report(0, f"'path': there is no edge {a} -> {b} in pathway.yaml")
    return () if missing else tuple(nodes)


def _values(raw: dict, report: Report) -> dict[str, float]:
    if "set" not in raw:
        return {}
    given = raw["set"]
    if not isinstance(given, dict):
        report(0, f"'set' must be a mapping of slider values, e.g. {{estrogen: 10}} (got {shown(given)})")
        return {}
    out: dict[str, float] = {}
    for key, value in given.items():
        if key not in SET_RANGES:
            report(0, f"'set': unknown slider {shown(key)} (valid: {', '.join(SET_RANGES)})")
            continue
        lo, hi = SET_RANGES[key]
        v = finite_number(value)
        if v is None or not lo <= v <= hi:
            report(0, f"'set': {key} must be a number between {lo:g} and {hi:g} (got {shown(value)})")
            continue
        out[key] = v
    return out


def _one_id(raw: dict, key: str, valid: frozenset[str] | None, report: Report) -> str | None:
    if key not in raw or raw[key] is None:
        return None
    value = raw[key]
    if not isinstance(value, str) or not value:
        report(0, f"{shown(key)} must be an id (got {shown(value)})")
        return None
    if valid is not None and value not in valid:
        report(0, f"unknown {key} {shown(value)} (valid: {', '.join(sorted(valid))})")
        return None
    return value


def _treatments(raw: dict, valid: frozenset[str] | None, report: Report) -> tuple[str, ...] | None:
    if "treatments" not in raw:
        return None
    value = raw["treatments"]
    ids = [] if value is None or value == [] else _ids(value)
    if ids is None:
        report(0, f"'treatments' must be a list of treatment ids ([] switches all off; got {shown(value)})")
        return None
    if valid is not None:
        for t in ids:
            if t not in valid:
                report(0, f"unknown treatment {shown(t)} (valid: {', '.join(sorted(valid))})")
        ids = [t for t in ids if t in valid]
    return tuple(ids)


def _page(raw: dict, known: _Known, report: Report) -> str:
    value = raw.get("page")
    if value is None or value == "":
        return ""
    kind, _, target = value.partition(":") if isinstance(value, str) else ("", "", "")
    if kind not in ("node", "topic") or not target:
        report(0, f"'page' must be node:<id> or topic:<id> (got {shown(value)})")
        return ""
    if kind == "node" and known.nodes and target not in known.nodes:
        report(0, f"'page' names unknown node {shown(target)}")
        return ""
    if kind == "topic" and target not in known.topics:
        report(0, f"'page' names unknown topic {shown(target)} (no topics/{target}.md)")
        return ""
    return value


def _step(raw: Any, index: int, known: _Known, report: Report) -> tuple[TourStep | None, int]:
    """One step (None if it has no usable caption) and the number of citations in its caption."""
    ln = line_of(raw)

    def here(_line: int, msg: str) -> None:
        report(ln, f"step {index}: {msg}")

    if not isinstance(raw, dict):
        here(0, "a step must be a mapping")
        return None, 0
    for key in raw:
        if key not in STEP_KEYS:
            here(0, f"unknown key {shown(key)} (valid: {', '.join(STEP_KEYS)})")
    caption = raw.get("caption")
    if not isinstance(caption, str) or not caption.strip():
        here(0, "empty 'caption'")
        return None, 0
    too_big = markdown_bounds(caption, ln, what="caption")
    for _line, msg in too_big:
        here(0, msg)
    if too_big:  # never handed to the caption's rich-text view
        return None, 0
    cites = _check_links(caption, known, here)
    highlight = _node_list(raw, "highlight", known, here)
    path = _path(raw, known, here)
    values = _values(raw, here)
    years = 0.0
    if "years" in raw:
        y = finite_number(raw["years"])
        lo, hi = YEARS_RANGE
        if y is None or not lo <= y <= hi:
            here(0, f"'years' must be a number between {lo:g} and {hi:g} (got {shown(raw['years'])})")
        else:
            years = y
    step = TourStep(
        caption=caption.strip(), highlight=tuple(highlight), path=path,
        estrogen=values.get("estrogen"), ferritin=values.get("ferritin"),
        scenario=_one_id(raw, "scenario", known.scenarios, here),
        treatments=_treatments(raw, known.treatments, here),
        years=years, page=_page(raw, known, here), line=ln,
    )
    return step, cites


def _tour(data: Any, file: str, known: _Known, seen: dict[str, str], report: Report) -> Tour | None:
    if not isinstance(data, dict):
        report(1, "a tour file must be a mapping with id, title, minutes, summary and steps")
        return None
    ln = line_of(data)
    for key in data:
        if key not in TOUR_KEYS:
            report(ln, f"unknown key {shown(key)} (valid: {', '.join(TOUR_KEYS)})")
    tid = data.get("id")
    if not isinstance(tid, str) or not tid.strip() or len(tid) > ID_MAX_CHARS:
        report(ln, f"tour without a valid 'id' (got {shown(tid)})")
        return None
    if tid in seen:
        report(ln, f"duplicate tour id {shown(tid)} (also in {seen[tid]})")
        return None
    seen[tid] = file
    what = f"tour {shown(tid)}"
    for key in ("title", "summary"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            report(ln, f"{what}: no {shown(key)}")
    minutes = finite_number(data.get("minutes"))
    lo, hi = MINUTES_RANGE
    if minutes is None or not lo <= minutes <= hi:
        report(ln, f"{what}: 'minutes' must be a number between {lo:g} and {hi:g} "
                   f"(got {shown(data.get('minutes'))})")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or len(raw_steps) < MIN_STEPS:
        report(line_of(raw_steps, ln), f"{what}: needs a 'steps' list of at least {MIN_STEPS} steps")
        return None
    steps: list[TourStep] = []
    cites = 0
    for i, raw in enumerate(raw_steps, start=1):
        step, n = _step(raw, i, known, report)
        cites += n
        if step is not None:
            steps.append(step)
    if cites == 0:
        report(ln, f"{what}: no caption cites a reference ([Author, year](ref:key))")
    total = sum(s.years for s in steps)
    if total > MAX_YEARS:  # played from year 0, it would run past the model clock's end
        report(ln, f"{what}: its steps play {total:g} years; the model clock stops at {MAX_YEARS:g}")
    if not steps:
        return None
    return Tour(id=tid, title=str(data.get("title") or tid).strip(), minutes=minutes or 0.0,
                summary=str(data.get("summary") or "").strip(), steps=tuple(steps), file=file, line=ln)


def load_tours(root: Path, pathway: Pathway, scenario_ids: Iterable[str] | None = None,
               treatment_ids: Iterable[str] | None = None) -> tuple[dict[str, Tour], list[Problem]]:
    """Every tour under `root`/tours (file-name order) and the problems found; never raises on bad
    content. Scenario or treatment ids given as None are not checked (their files are broken)."""
    folder = root / "tours"
    if not folder.is_dir():
        return {}, []
    if not pathway.nodes:  # a broken pathway: its own problems say why; no "unknown ..." cascade here
        scenario_ids = treatment_ids = None
    refs = _reference_keys(root)
    known = _Known(
        nodes=frozenset(pathway.node_ids),
        edges=frozenset(e.key for e in pathway.edges),
        topics=frozenset(p.stem for p in (root / "topics").glob("*.md")),
        refs=frozenset(refs) if refs is not None else None,
        scenarios=frozenset(scenario_ids) if scenario_ids is not None else None,
        treatments=frozenset(treatment_ids) if treatment_ids is not None else None,
    )
    tours: dict[str, Tour] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        name = rel(path, root)

        def report(line: int, msg: str, name: str = name) -> None:
            problems.append(Problem(name, line, msg))

        text = read_content(path, name, problems)
        if text is None:
            continue
        try:
            data = load_yaml(text)
        except YamlError as exc:
            problems.append(Problem(name, exc.line, str(exc), fatal=True))
            continue
        tour = _tour(data, name, known, seen, report)
        if tour is not None:
            tours[tour.id] = tour
    return tours, problems
