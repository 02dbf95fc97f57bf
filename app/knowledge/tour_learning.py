"""The learning and teaching fields of a guided tour, read and checked apart from the tour's core
fields (app.knowledge.tours): the recap, the check question, the next tour, objectives, the
teacher's notes, and per step the focus (dim the rest) and the build-up (reveal the diagram part
by part). Also the reading-time estimate that keeps a tour's advertised minutes honest."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from app.knowledge.yamlio import finite_number, line_of
from app.model.numbers import shown, shown_names

TOUR_KEYS = ("recap", "check", "next", "objectives", "teacher")
STEP_KEYS = ("focus", "build", "reveal")
BUILD_VALUES = ("start", "end")
TEACHER_KEYS = ("step_minutes", "misconceptions", "suggested_question")

# How long a tour takes in class: the lecturer reads or paraphrases each caption at a speaking pace,
# gives every step a moment for the diagram to change and the hall to look, lets the model play the
# step's years at the tour speed (1 model year per second), reads the recap and leaves a minute for
# the check question. check-content compares the estimate with the tour's `minutes`.
SPEAKING_WPM = 150.0
SECONDS_PER_STEP = 20.0
SECONDS_PER_MODEL_YEAR = 1.0
CHECK_MINUTES = 1.0
MINUTES_TOLERANCE = (1.0, 0.2)  # absolute minutes, share of the advertised minutes: the larger counts
WRAP_MINUTES_MAX = 3.0  # teacher timings: minutes left after the steps, for the recap and the check

Report = Callable[[int, str], None]


@dataclass(frozen=True, slots=True)
class Focus:
    """Keep these bright and dim everything else, for one step."""

    nodes: tuple[str, ...]
    edges: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Reveal:
    """What a build-up step adds to the diagram (cumulative over the following steps)."""

    nodes: tuple[str, ...] = ()
    edges: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Misconception:
    belief: str  # what students often think (markdown)
    correction: str  # what is so instead (markdown)


@dataclass(frozen=True, slots=True)
class TeacherNotes:
    step_minutes: tuple[float, ...] = ()  # one per step (the rest of `minutes` is for recap and check), or ()
    misconceptions: tuple[Misconception, ...] = ()
    ask: str = ""  # a suggested question for the hall (markdown)
    answer: str = ""  # what a good answer says (markdown)


@dataclass(frozen=True, slots=True)
class Visibility:
    """What the diagram shows at one step of a build-up: only these nodes and edges."""

    nodes: frozenset[str]
    edges: frozenset[tuple[str, str]]


def _node_ids(value: Any, key: str, known: Any, report: Report) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        report(0, f"{key} must be a list of node ids (got {shown(value)})")
        return None
    if known.nodes:
        unknown = [v for v in value if v not in known.nodes]
        if unknown:
            report(0, f"{key} names unknown node(s) {shown_names(unknown)}")
            return None
    return tuple(value)


def _edges(value: Any, key: str, known: Any, report: Report) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return ()
    ok = isinstance(value, list) and all(isinstance(e, list) and len(e) == 2 and all(isinstance(x, str) for x in e)
                                         for e in value)
    if not ok:
        report(0, f"{key} must be a list of [source, target] pairs (got {shown(value)})")
        return None
    edges = tuple((a, b) for a, b in value)
    if known.nodes:
        missing = [e for e in edges if e not in known.edges]
        if missing:
            report(0, f"{key}: no edge {shown_names([f'{a} -> {b}' for a, b in missing], 3, 60)} in pathway.yaml")
            return None
    return edges


Parts = tuple[tuple[str, ...], tuple[tuple[str, str], ...]]


def _parts(raw: Any, key: str, known: Any, report: Report) -> Parts | None:
    if not isinstance(raw, dict) or set(raw) - {"nodes", "edges"} or not raw:
        report(0, f"'{key}' must be a mapping with 'nodes' and/or 'edges' (got {shown(raw)})")
        return None
    nodes = _node_ids(raw.get("nodes"), f"'{key}.nodes'", known, report)
    edges = _edges(raw.get("edges"), f"'{key}.edges'", known, report)
    if nodes is None or edges is None:
        return None
    return nodes, edges


def step_fields(raw: Mapping, known: Any, report: Report) -> dict[str, Any]:
    """The step's focus, build and reveal as TourStep keyword arguments (bad ones left out and
    reported)."""
    out: dict[str, Any] = {}
    if "focus" in raw:
        parts = _parts(raw["focus"], "focus", known, report)
        if parts is not None:
            nodes, edges = parts
            # A focused edge keeps its two ends bright; with no edges given, every edge between two
            # focused nodes stays bright.
            nodes = tuple(dict.fromkeys([*nodes, *(n for e in edges for n in e)]))
            if not edges and "edges" not in raw["focus"]:
                edges = tuple(sorted(e for e in known.edges if e[0] in nodes and e[1] in nodes))
            out["focus"] = Focus(nodes=nodes, edges=edges)
    if "build" in raw:
        if raw["build"] not in BUILD_VALUES:
            report(0, f"'build' must be one of {', '.join(BUILD_VALUES)} (got {shown(raw['build'])})")
        else:
            out["build"] = raw["build"]
    if "reveal" in raw:
        parts = _parts(raw["reveal"], "reveal", known, report)
        if parts is not None:
            out["reveal"] = Reveal(nodes=parts[0], edges=parts[1])
    return out


def build_states(steps: Sequence[Any]) -> tuple[Visibility | None, ...]:
    """Per step: what the diagram shows (None: everything). `build: start` begins a build-up with
    only that step's reveal; later steps add theirs; `build: end` shows everything again. A step's
    highlight and path are revealed with it, so the hall never sees a highlight on nothing."""
    out: list[Visibility | None] = []
    nodes: set[str] | None = None
    edges: set[tuple[str, str]] = set()
    for step in steps:
        build = getattr(step, "build", "")
        if build == "start":
            nodes, edges = set(), set()
        elif build == "end":
            nodes, edges = None, set()
        if nodes is not None:
            reveal = getattr(step, "reveal", None)
            if reveal is not None:
                nodes |= set(reveal.nodes) | {n for e in reveal.edges for n in e}
                edges |= set(reveal.edges)
            path = tuple(getattr(step, "path", ()))
            nodes |= set(getattr(step, "highlight", ())) | set(path)
            edges |= set(pairwise(path))
            out.append(Visibility(nodes=frozenset(nodes), edges=frozenset(edges)))
        else:
            out.append(None)
    return tuple(out)


def _check_build(steps_raw: list, report: Report) -> None:
    """A reveal outside a build-up, an end without a start and a start inside a build-up are
    authoring slips: report them at the step."""
    building = False
    for i, raw in enumerate(steps_raw, start=1):
        if not isinstance(raw, dict):
            continue
        ln = line_of(raw)
        build = raw.get("build")
        if build == "start":
            if building:
                report(ln, f"step {i}: 'build: start' inside a build-up (end the first with 'build: end')")
            building = True
        elif build == "end":
            if not building:
                report(ln, f"step {i}: 'build: end' without a 'build: start' before it")
            building = False
        if "reveal" in raw and not building:
            report(ln, f"step {i}: 'reveal' outside a build-up (start one with 'build: start')")


def _text(value: Any, key: str, report: Report, ln: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        report(ln, f"{key} must be text (markdown)")
        return ""
    return value.strip()


def _teacher(raw: Any, n_steps: int, minutes: float | None, what: str, check: Callable[[str, Report], None],
             report: Report, ln: int) -> TeacherNotes | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        report(ln, f"{what}: 'teacher' must be a mapping ({', '.join(TEACHER_KEYS)})")
        return None
    ln = line_of(raw, ln)
    for key in raw:
        if key not in TEACHER_KEYS:
            report(ln, f"{what}: unknown key {shown(key)} in 'teacher' (valid: {', '.join(TEACHER_KEYS)})")
    step_minutes: tuple[float, ...] = ()
    if "step_minutes" in raw:
        values = raw["step_minutes"]
        nums = [finite_number(v) for v in values] if isinstance(values, list) else []
        if len(nums) != n_steps or any(v is None or v <= 0 for v in nums):
            report(line_of(values, ln), f"{what}: 'teacher.step_minutes' needs one positive number per step "
                                        f"({n_steps} steps)")
        else:
            step_minutes = tuple(v for v in nums if v is not None)
            left = (minutes - sum(step_minutes)) if minutes is not None else 0.0
            if not 0 <= left <= WRAP_MINUTES_MAX + 1e-9:
                report(line_of(values, ln), f"{what}: 'teacher.step_minutes' add up to {sum(step_minutes):g} of the "
                                            f"tour's {minutes:g} minutes; what is left is for the recap and the check "
                                            f"question and must be 0-{WRAP_MINUTES_MAX:g} minutes")
    misconceptions: list[Misconception] = []
    items = raw.get("misconceptions", [])
    if not isinstance(items, list):
        report(ln, f"{what}: 'teacher.misconceptions' must be a list of {{belief, correction}}")
        items = []
    for item in items:
        il = line_of(item, ln)
        if not isinstance(item, dict) or set(item) != {"belief", "correction"} or \
                not all(isinstance(v, str) and v.strip() for v in item.values()):
            report(il, f"{what}: a misconception needs 'belief' (what students think) and 'correction'")
            continue
        for v in item.values():
            check(v, lambda _l, msg, il=il: report(il, f"{what}: misconception: {msg}"))
        misconceptions.append(Misconception(belief=item["belief"].strip(), correction=item["correction"].strip()))
    ask = answer = ""
    if "suggested_question" in raw:
        q = raw["suggested_question"]
        ql = line_of(q, ln)
        if not isinstance(q, dict) or set(q) != {"ask", "answer"} or \
                not all(isinstance(v, str) and v.strip() for v in q.values()):
            report(ql, f"{what}: 'teacher.suggested_question' needs 'ask' and 'answer' (text)")
        else:
            ask, answer = q["ask"].strip(), q["answer"].strip()
            for v in (ask, answer):
                check(v, lambda _l, msg, ql=ql: report(ql, f"{what}: suggested question: {msg}"))
    return TeacherNotes(step_minutes=step_minutes, misconceptions=tuple(misconceptions), ask=ask, answer=answer)


def estimate_minutes(steps: Sequence[Any], recap: str = "", has_check: bool = False) -> float:
    """Class time a tour takes (see the constants above), in minutes."""
    from app.knowledge.search import plain_text

    words = sum(len(plain_text(s.caption).split()) for s in steps) + len(plain_text(recap).split())
    seconds = len(steps) * SECONDS_PER_STEP + sum(s.years for s in steps) * SECONDS_PER_MODEL_YEAR
    return words / SPEAKING_WPM + seconds / 60 + (CHECK_MINUTES if has_check else 0.0)


def minutes_problem(advertised: float, estimate: float) -> str | None:
    tolerance = max(MINUTES_TOLERANCE[0], MINUTES_TOLERANCE[1] * advertised)
    if abs(estimate - advertised) <= tolerance:
        return None
    return (f"says {advertised:g} minutes but its captions, steps, model years, recap and check take about "
            f"{estimate:.1f} (at {SPEAKING_WPM:g} words a minute and {SECONDS_PER_STEP:g} s a step); set "
            f"'minutes' to about {round(estimate * 2) / 2:g} or shorten it")


def tour_fields(data: Mapping, what: str, steps: Sequence[Any], minutes: float | None,
                check: Callable[[str, Report], None], report: Report) -> dict[str, Any]:
    """The tour's recap, check, next, objectives and teacher notes as Tour keyword arguments; also
    checks the build-up sequence. `check(markdown, report)` checks a piece of markdown as a caption
    is checked (links, review notes, species)."""
    ln = line_of(data)
    out: dict[str, Any] = {}
    recap = _text(data.get("recap"), f"{what}: 'recap'", report, ln)
    if recap:
        check(recap, lambda _l, msg: report(ln, f"{what}: recap: {msg}"))
        out["recap"] = recap
    if "check" in data:
        value = data["check"]
        if isinstance(value, str) and value.strip():
            out["check"] = value.strip()
        elif isinstance(value, dict):
            out["check"] = value  # an inline question: app.quiz.learning parses it as the bank would
        else:
            report(line_of(value, ln), f"{what}: 'check' must be a question id of the bank or a question "
                                       f"written out (got {shown(value)})")
    if "next" in data:
        nxt = data["next"]
        if not isinstance(nxt, str) or not nxt.strip():
            report(ln, f"{what}: 'next' must be a tour id (got {shown(nxt)})")
        else:
            out["next"] = nxt.strip()
    if "objectives" in data:
        objs = data["objectives"]
        if not isinstance(objs, list) or not objs or not all(isinstance(o, str) and o for o in objs):
            report(line_of(objs, ln), f"{what}: 'objectives' must be a list of objective ids")
        else:
            out["objectives"] = tuple(objs)
    raw_steps = data.get("steps") if isinstance(data.get("steps"), list) else []
    teacher = _teacher(data.get("teacher"), len(raw_steps), minutes, what, check, report, ln)
    if teacher is not None:
        out["teacher"] = teacher
    _check_build(raw_steps, report)
    return out


def timing_problem(tour: Any) -> str | None:
    """Why a loaded tour does not take the minutes it advertises (None if it does); check-content
    reports it (app.knowledge.learning), apart from the tour file's own problems."""
    if not tour.steps or not tour.minutes:
        return None
    bad = minutes_problem(tour.minutes, estimate_minutes(tour.steps, tour.recap, tour.check is not None))
    return f"tour {shown(tour.id)}: {bad}" if bad else None
