"""Loads the guided tours in content/tours/*.yaml into frozen Tour objects, collecting every problem
as `file:line: message` (bad parts are dropped and reported, never raised)."""

# A tour is a lecture in small steps: each step shows a caption, highlights nodes, traces a chain of
# edges and may set the sliders, a scenario, the treatments, play model time and open a page. The
# GUI drives the same controller the sliders do (docs/architecture.md, "Data flow"); this module only reads and
# checks the files, so it stays free of Qt and is testable on its own.

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

from app.knowledge import tour_learning
from app.knowledge.limits import ID_MAX_CHARS
from app.knowledge.pages import LINK_RE, markdown_bounds
from app.knowledge.problems import Problem, read_content, rel
from app.knowledge.render import APP_LINKS
from app.knowledge.review_note import parse_notes
from app.knowledge.species import check_text, reference_species
from app.knowledge.yamlio import YamlError, finite_number, line_of, load_yaml, str_list
from app.model.numbers import MAX_YEARS, shown
from app.model.pathway import Pathway
from app.model.simulation import ESTROGEN_RANGE, FERRITIN_RANGE

MINUTES_RANGE = (3.0, 10.0)  # a tour fits a slot of a lecture: 3-10 minutes of class time
YEARS_RANGE = (0.0, 30.0)  # model time a single step may play
SET_RANGES: dict[str, tuple[float, float]] = {"estrogen": ESTROGEN_RANGE, "ferritin": FERRITIN_RANGE}
TOUR_KEYS = ("version", "id", "title", "minutes", "summary", "steps")
STEP_KEYS = ("caption", "highlight", "path", "set", "scenario", "treatments", "knockouts", "years", "page")
USER_PREFIX = "user:"  # a user's own tours (<data>/tours) have ids user:<name>, never a built-in's
LINK_SCHEMES = ("node", "topic", "ref", "app", "http", "https")  # as on the pages (content/README.md)
MIN_STEPS = 2
# Recap, check question, next tour, objectives and teacher notes; per step focus and build-up
# (app.knowledge.tour_learning reads and checks them).
TOUR_KEYS += tour_learning.TOUR_KEYS
STEP_KEYS += tour_learning.STEP_KEYS

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
    knockouts: tuple[str, ...] | None = None  # nodes held at 0; None: unchanged; (): none knocked out
    years: float = 0.0  # model time to play in this step
    page: str = ""  # "node:<id>" or "topic:<id>", or "" for none
    line: int = 0  # line of the step in its file
    focus: tour_learning.Focus | None = None  # dim everything else during this step
    build: str = ""  # "start" begins a build-up (only revealed parts shown), "end" shows all again
    reveal: tour_learning.Reveal | None = None  # what this step adds to a build-up

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
    recap: str = ""  # markdown shown after the last step
    check: str | dict | None = field(default=None, compare=False)  # a bank question id, or one written out
    next: str = ""  # the tour to take next
    objectives: tuple[str, ...] = ()  # ids of content/objectives.yaml
    teacher: tour_learning.TeacherNotes | None = None

    def visibility(self) -> tuple[tour_learning.Visibility | None, ...]:
        """Per step, what a build-up shows (None: the whole diagram)."""
        return tour_learning.build_states(self.steps)


def _ids(value: Any) -> list[str] | None:
    """A list of non-empty strings (a lone string counts as a list of one); None if malformed.
    Unlike str_list, a missing or empty value is malformed here: a step must name something."""
    return None if value is None or value == "" else str_list(value)


@dataclass(frozen=True)
class _Known:
    """What tour steps may name, gathered once per content directory."""

    nodes: frozenset[str]
    edges: frozenset[tuple[str, str]]
    topics: frozenset[str]
    refs: frozenset[str] | None
    scenarios: frozenset[str] | None
    treatments: frozenset[str] | None
    species: dict[str, tuple[str, ...]] | None = None


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
        elif scheme == "app":
            if target not in APP_LINKS:
                report(0, f"caption links to unknown app link {shown('app:' + target)} "
                          f"(known: {', '.join(f'app:{name}' for name in APP_LINKS)})")
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
    for _, msg in parse_notes(caption)[1]:
        here(0, msg)
    for slip in check_text(caption, known.species or {}):
        here(0, slip.message())
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
        knockouts=_knockouts(raw, known, here),
        years=years, page=_page(raw, known, here), line=ln,
        **tour_learning.step_fields(raw, known, here),
    )
    return step, cites


def _knockouts(raw: dict, known: _Known, report: Report) -> tuple[str, ...] | None:
    if "knockouts" not in raw:
        return None
    if raw["knockouts"] is None or raw["knockouts"] == []:
        return ()
    ids = _node_list(raw, "knockouts", known, report)
    return tuple(dict.fromkeys(ids))


def _tour(data: Any, file: str, known: _Known, seen: dict[str, str], report: Report, *,
          require_citation: bool = True) -> Tour | None:
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
    if cites == 0 and require_citation:
        report(ln, f"{what}: no caption cites a reference ([Author, year](ref:key))")
    total = sum(s.years for s in steps)
    if total > MAX_YEARS:  # played from year 0, it would run past the model clock's end
        report(ln, f"{what}: its steps play {total:g} years; the model clock stops at {MAX_YEARS:g}")
    if not steps:
        return None

    def check_markdown(text: str, rep: Callable[[int, str], None]) -> None:
        _check_links(text, known, rep)
        for _, msg in parse_notes(text)[1]:
            rep(0, msg)
        for slip in check_text(text, known.species or {}):
            rep(0, slip.message())

    extra = tour_learning.tour_fields(data, what, steps, minutes, check_markdown, report)
    return Tour(id=tid, title=str(data.get("title") or tid).strip(), minutes=minutes or 0.0,
                summary=str(data.get("summary") or "").strip(), steps=tuple(steps), file=file, line=ln,
                **extra)


Known = _Known  # the public name, for the tour recorder (app.knowledge.tour_draft)


def known_ids(root: Path, pathway: Pathway, scenario_ids: Iterable[str] | None = None,
              treatment_ids: Iterable[str] | None = None) -> _Known:
    """What a tour step may name, from the content directory (for built-in and user tours alike)."""
    if not pathway.nodes:  # a broken pathway: its own problems say why; no "unknown ..." cascade here
        scenario_ids = treatment_ids = None
    refs = reference_species(root)
    return _Known(
        nodes=frozenset(pathway.node_ids),
        edges=frozenset(e.key for e in pathway.edges),
        topics=frozenset(p.stem for p in (root / "topics").glob("*.md")),
        refs=frozenset(refs) if refs is not None else None,
        scenarios=frozenset(scenario_ids) if scenario_ids is not None else None,
        treatments=frozenset(treatment_ids) if treatment_ids is not None else None,
        species={k: v for k, v in refs.items() if v} if refs is not None else None,
    )


def parse_tour(data: Any, name: str, known: _Known, seen: dict[str, str] | None = None, *,
               user: bool = False) -> tuple[Tour | None, list[Problem]]:
    """One tour from parsed YAML, checked as the built-in tours are. A user tour's id must be
    'user:<name>' (so it never takes a built-in's) and need not cite a reference."""
    problems: list[Problem] = []

    def report(line: int, msg: str) -> None:
        problems.append(Problem(name, line, msg))

    if user and isinstance(data, dict) and not str(data.get("id", "")).startswith(USER_PREFIX):
        report(line_of(data), f"a user tour's id must start with {shown(USER_PREFIX)} (got {shown(data.get('id'))})")
        return None, problems
    tour = _tour(data, name, known, {} if seen is None else seen, report, require_citation=not user)
    return tour, problems


def load_tours(root: Path, pathway: Pathway, scenario_ids: Iterable[str] | None = None,
               treatment_ids: Iterable[str] | None = None, *, user_folder: Path | None = None,
               ) -> tuple[dict[str, Tour], list[Problem]]:
    """Every tour under `root`/tours (file-name order), then every user tour in `user_folder` if
    given, and the problems found; never raises on bad content. Scenario or treatment ids given as
    None are not checked (their files are broken)."""
    known = known_ids(root, pathway, scenario_ids, treatment_ids)
    tours: dict[str, Tour] = {}
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    folders = [(root / "tours", False)] + ([(user_folder, True)] if user_folder is not None else [])
    for folder, user in folders:
        if not folder.is_dir():
            continue
        for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
            name = rel(path, root) if not user else f"tours/{path.name} (your tours)"
            text = read_content(path, name, problems)
            if text is None:
                continue
            try:
                if user:
                    from app.knowledge.userdata import load_user_yaml

                    data = load_user_yaml(text)
                else:
                    data = load_yaml(text)
            except YamlError as exc:
                problems.append(Problem(name, exc.line, str(exc), fatal=True))
                continue
            tour, found = parse_tour(data, name, known, seen, user=user)
            problems += found
            if tour is not None:
                tours[tour.id] = tour
    return tours, problems
