"""Learning objectives (content/objectives.yaml) and the study path with the figures of its printed
notes (content/study_path.yaml), loaded into frozen objects and checked as `file:line: message`."""

# The review's sections are the `section:` of the topic pages (the app's guides, sections "help"
# and "model", and the overview are not sections of the review). Objectives belong to the app as a
# whole or to one section; questions and tours name the objectives they serve (checked in
# app.quiz.learning, which knows the question bank). Nothing here knows the progress store: what
# a student has done is worked out in app.quiz.readiness.

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.knowledge.content import Content, _load_yaml_file
from app.knowledge.key_points import needs_key_points
from app.knowledge.pages import LINK_RE, Page
from app.knowledge.problems import Problem, rel
from app.knowledge.weights import (  # noqa: F401 (section helpers re-exported for callers)
    NOT_REVIEW,
    load_weights,
    review_sections,
    section_key,
    section_pages,
)
from app.knowledge.yamlio import finite_number, line_of
from app.model.numbers import shown, shown_names

APP = "app"  # the `section` of objectives for the whole app
OBJECTIVES_PER_SECTION = (2, 5)
OBJECTIVES_FOR_APP = (3, 6)
# An objective starts with a verb whose result a student can check; these say what to do.
ACTION_VERBS = frozenset("""
    apply assess calculate classify compare contrast describe distinguish evaluate explain identify
    interpret judge justify list locate match name order outline predict read recognise relate
    sketch state summarise trace use weigh
""".split())
VAGUE_VERBS = frozenset("understand know learn appreciate grasp realise realize see be become feel".split())
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
STEP_KINDS = ("topic", "tour", "quiz")
FIGURE_KINDS = ("diagram", "plot")
PLOTS = ("bone_mass", "remodelling")


# --- objectives -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Objective:
    """One thing a student should be able to do, in words they can check themselves against."""

    id: str
    section: str  # a review section, or APP
    text: str
    questions: tuple[str, ...] = ()  # questions named here rather than in their quiz file
    line: int = 0


@dataclass(frozen=True)
class Objectives:
    app: tuple[Objective, ...] = ()
    by_section: Mapping[str, tuple[Objective, ...]] = None  # type: ignore[assignment]
    file: str = ""

    def __post_init__(self) -> None:
        if self.by_section is None:
            object.__setattr__(self, "by_section", {})

    @property
    def all(self) -> tuple[Objective, ...]:
        return self.app + tuple(o for group in self.by_section.values() for o in group)

    def get(self, objective_id: str) -> Objective | None:
        return next((o for o in self.all if o.id == objective_id), None)

    def of_section(self, section: str) -> tuple[Objective, ...]:
        return self.by_section.get(section, ())


def _verb_problem(text: str) -> str | None:
    first = re.split(r"[\s,;:]+", text.strip(), maxsplit=1)[0].lower()
    if first in VAGUE_VERBS:
        return (f"objective starts with {shown(first)}, which a student cannot check; start with what they will do "
                f"(e.g. explain, predict, trace, compare)")
    if first not in ACTION_VERBS:
        return (f"objective should start with an action verb a student can check (got {shown(first)}; "
                f"valid: {shown_names(sorted(ACTION_VERBS), 10)})")
    return None


def _objective(raw: Any, section: str, seen: dict[str, int], name: str,
               problems: list[Problem]) -> Objective | None:
    ln = line_of(raw)
    if not isinstance(raw, dict):
        problems.append(Problem(name, ln, "an objective must be a mapping with 'id' and 'text'"))
        return None
    unknown = set(raw) - {"id", "text", "questions"}
    if unknown:
        problems.append(Problem(name, ln, f"unknown key(s) {shown_names(sorted(map(str, unknown)))} "
                                          f"(valid: id, text, questions)"))
    oid, text = raw.get("id"), raw.get("text")
    if not isinstance(oid, str) or not _ID.match(oid):
        problems.append(Problem(name, ln, "objective 'id' must be lower-case letters, digits and - "
                                          f"(got {shown(oid)})"))
        return None
    if oid in seen:
        problems.append(Problem(name, ln, f"duplicate objective id {shown(oid)} (line {seen[oid]})"))
        return None
    seen[oid] = ln
    if not isinstance(text, str) or not text.strip():
        problems.append(Problem(name, ln, f"objective {shown(oid)} has no 'text'"))
        return None
    bad = _verb_problem(text)
    if bad:
        problems.append(Problem(name, ln, f"objective {shown(oid)}: {bad}"))
    questions = raw.get("questions", [])
    if not isinstance(questions, list) or not all(isinstance(q, str) and q for q in questions):
        problems.append(Problem(name, ln, f"objective {shown(oid)}: 'questions' must be a list of question ids"))
        questions = []
    return Objective(id=oid, section=section, text=" ".join(text.split()), questions=tuple(questions), line=ln)


def load_objectives(root: Path, sections: Iterable[str] | None = None) -> tuple[Objectives | None, list[Problem]]:
    """content/objectives.yaml; (None, []) when the file does not exist. `sections` are the review
    sections (None: not checked)."""
    path = root / "objectives.yaml"
    name = rel(path, root)
    problems: list[Problem] = []
    data = _load_yaml_file(path, name, problems)
    if data is None:
        return (Objectives(file=name) if problems else None), problems
    if not isinstance(data, dict) or not isinstance(data.get("sections"), dict) or \
            not isinstance(data.get("app"), list):
        problems.append(Problem(name, 1, "expected a mapping with an 'app' list and a 'sections' mapping "
                                         "(section number -> list of objectives)"))
        return Objectives(file=name), problems
    unknown = set(data) - {"app", "sections"}
    if unknown:
        problems.append(Problem(name, 1, f"unknown top-level key(s): {shown_names(sorted(map(str, unknown)))}"))
    seen: dict[str, int] = {}
    app = tuple(o for o in (_objective(r, APP, seen, name, problems) for r in data["app"]) if o)
    lo, hi = OBJECTIVES_FOR_APP
    if not lo <= len(app) <= hi:
        problems.append(Problem(name, line_of(data["app"]), f"the app has {len(app)} objective(s); write {lo}-{hi}"))
    known = tuple(sections) if sections is not None else None
    by_section: dict[str, tuple[Objective, ...]] = {}
    raw_sections = data["sections"]
    for key, items in raw_sections.items():
        section = str(key)
        ln = line_of(items, line_of(raw_sections))
        if known is not None and section not in known:
            problems.append(Problem(name, ln, f"unknown section {shown(section)} (sections of the review: "
                                              f"{shown_names(known, 14)})"))
            continue
        if not isinstance(items, list):
            problems.append(Problem(name, ln, f"section {shown(section)}: expected a list of objectives"))
            continue
        got = tuple(o for o in (_objective(r, section, seen, name, problems) for r in items) if o)
        lo, hi = OBJECTIVES_PER_SECTION
        if not lo <= len(got) <= hi:
            problems.append(Problem(name, ln, f"section {shown(section)} has {len(got)} objective(s); write {lo}-{hi}"))
        by_section[section] = got
    if known is not None:
        for section in known:
            if section not in raw_sections and section not in {str(k) for k in raw_sections}:
                problems.append(Problem(name, line_of(raw_sections), f"section {shown(section)} has no objectives"))
        by_section = {s: by_section[s] for s in sorted(by_section, key=section_key)}
    return Objectives(app=app, by_section=by_section, file=name), problems


# --- the study path and its figures -----------------------------------------------------------------

@dataclass(frozen=True)
class StudyStep:
    """One stop on the study path: read a topic page, take a tour, or answer a section's questions."""

    kind: str  # "topic" | "tour" | "quiz"
    target: str  # topic page id, tour id, or the first section of a quiz
    sections: tuple[str, ...] = ()  # quiz steps: the sections whose questions it asks
    line: int = 0

    @property
    def key(self) -> str:
        """A stable id for the step ("topic:s1-introduction", "tour:iron-after-menopause", "quiz:2.1")."""
        return f"{self.kind}:{'+'.join(self.sections) if self.kind == 'quiz' else self.target}"


@dataclass(frozen=True)
class FigureRun:
    label: str
    estrogen: float
    ferritin: float
    treatments: tuple[str, ...] = ()


@dataclass(frozen=True)
class FigureSpec:
    """A figure of the printed study notes, drawn by the GUI (the core knows no pixels)."""

    id: str
    kind: str  # "diagram" (the mechanism diagram) | "plot" (model runs over time)
    title: str
    caption: str  # markdown, citing its source
    after: str  # the topic page after whose key points it is printed
    plot: str = ""  # plots: "bone_mass" | "remodelling"
    runs: tuple[FigureRun, ...] = ()
    years: float = 0.0
    line: int = 0


@dataclass(frozen=True)
class StudyPath:
    steps: tuple[StudyStep, ...] = ()
    figures: tuple[FigureSpec, ...] = ()
    file: str = ""

    def topics(self) -> tuple[str, ...]:
        return tuple(s.target for s in self.steps if s.kind == "topic")

    def tours(self) -> tuple[str, ...]:
        return tuple(s.target for s in self.steps if s.kind == "tour")


@dataclass(frozen=True)
class PathContext:
    """What the study path may name (None: not checked, its file is broken)."""

    topics: frozenset[str]
    review_topics: frozenset[str]  # topic pages that need key points, hence a place on the path
    sections: tuple[str, ...]
    tours: frozenset[str] | None
    treatments: frozenset[str] | None
    references: frozenset[str] | None


def _step(raw: Any, ctx: PathContext, name: str, problems: list[Problem]) -> StudyStep | None:
    ln = line_of(raw)
    if not isinstance(raw, dict) or len([k for k in raw if k in STEP_KINDS]) != 1 or set(raw) - set(STEP_KINDS):
        problems.append(Problem(name, ln, f"a study-path step names one of {', '.join(STEP_KINDS)} "
                                          f"(e.g. {{topic: s1-introduction}}; got {shown(raw)})"[:200]))
        return None
    kind, value = next(iter(raw.items()))
    if kind == "quiz":
        sections = [str(v) for v in value] if isinstance(value, list) else [str(value)]
        bad = [s for s in sections if s not in ctx.sections]
        if bad or not sections:
            problems.append(Problem(name, ln, f"quiz step: unknown section(s) {shown_names(bad) if bad else '(none)'} "
                                              f"(sections of the review: {shown_names(ctx.sections, 14)})"))
            return None
        return StudyStep(kind="quiz", target=sections[0], sections=tuple(sections), line=ln)
    if not isinstance(value, str) or not value:
        problems.append(Problem(name, ln, f"{kind} step needs an id (got {shown(value)})"))
        return None
    if kind == "topic" and value not in ctx.topics:
        problems.append(Problem(name, ln, f"topic step: no page topics/{shown_names(value)}.md"))
        return None
    if kind == "tour" and ctx.tours is not None and value not in ctx.tours:
        problems.append(Problem(name, ln, f"tour step: unknown tour {shown(value)} "
                                          f"(tours: {shown_names(sorted(ctx.tours), 10)})"))
        return None
    return StudyStep(kind=kind, target=value, line=ln)


def _figure(raw: Any, ctx: PathContext, seen: set[str], name: str, problems: list[Problem]) -> FigureSpec | None:
    from app.model.simulation import ESTROGEN_RANGE, FERRITIN_RANGE

    ln = line_of(raw)

    def bad(msg: str) -> None:
        problems.append(Problem(name, ln, f"figure {shown(fid)}: {msg}" if isinstance(fid, str) else msg))

    fid = raw.get("id") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(fid, str) or not _ID.match(fid):
        problems.append(Problem(name, ln, "a figure needs an 'id' of lower-case letters, digits and - "
                                          f"(got {shown(fid)})"))
        return None
    if fid in seen:
        bad("duplicate figure id")
        return None
    seen.add(fid)
    unknown = set(raw) - {"id", "kind", "title", "caption", "after", "plot", "runs", "years"}
    if unknown:
        bad(f"unknown key(s) {shown_names(sorted(map(str, unknown)))}")
    kind = raw.get("kind")
    if kind not in FIGURE_KINDS:
        bad(f"'kind' must be one of {', '.join(FIGURE_KINDS)} (got {shown(kind)})")
        return None
    texts = {k: raw.get(k) for k in ("title", "caption")}
    for k, v in texts.items():
        if not isinstance(v, str) or not v.strip():
            bad(f"no {shown(k)}")
            return None
    caption = texts["caption"].strip()
    cites = [m.group(2) for m in LINK_RE.finditer(caption) if m.group(1).lower() == "ref"]
    if not cites:
        bad("the caption cites no source ([Author, year](ref:key))")
    if ctx.references is not None:
        for key in cites:
            if key not in ctx.references:
                bad(f"the caption cites unknown reference key {shown(key)}")
    after = raw.get("after")
    if not isinstance(after, str) or after not in ctx.topics:
        bad(f"'after' must name a topic page on the path (got {shown(after)})")
        return None
    if kind == "diagram":
        for k in ("plot", "runs", "years"):
            if k in raw:
                bad(f"{shown(k)} belongs to plots, not to the diagram")
        return FigureSpec(id=fid, kind=kind, title=texts["title"].strip(), caption=caption, after=after, line=ln)
    plot = raw.get("plot")
    if plot not in PLOTS:
        bad(f"'plot' must be one of {', '.join(PLOTS)} (got {shown(plot)})")
        return None
    years = finite_number(raw.get("years"))
    if years is None or not 0 < years <= 30:
        bad(f"'years' must be a number above 0 and at most 30 (got {shown(raw.get('years'))})")
        return None
    runs_raw = raw.get("runs")
    if not isinstance(runs_raw, list) or not 1 <= len(runs_raw) <= 4:
        bad("'runs' must list 1-4 runs ({label, estrogen, ferritin, treatments})")
        return None
    runs = []
    for r in runs_raw:
        rl = line_of(r, ln)
        if not isinstance(r, dict) or not isinstance(r.get("label"), str) or not r["label"].strip():
            problems.append(Problem(name, rl, f"figure {shown(fid)}: a run needs a 'label'"))
            return None
        e, f = finite_number(r.get("estrogen")), finite_number(r.get("ferritin"))
        if e is None or not ESTROGEN_RANGE[0] <= e <= ESTROGEN_RANGE[1] or \
                f is None or not FERRITIN_RANGE[0] <= f <= FERRITIN_RANGE[1]:
            problems.append(Problem(name, rl, f"figure {shown(fid)}: run {shown(r['label'])} needs estrogen "
                                              f"{ESTROGEN_RANGE[0]:g}-{ESTROGEN_RANGE[1]:g} and ferritin "
                                              f"{FERRITIN_RANGE[0]:g}-{FERRITIN_RANGE[1]:g}"))
            return None
        treatments = r.get("treatments", [])
        if not isinstance(treatments, list) or not all(isinstance(t, str) for t in treatments):
            problems.append(Problem(name, rl, f"figure {shown(fid)}: 'treatments' must be a list of ids"))
            return None
        if ctx.treatments is not None:
            for t in treatments:
                if t not in ctx.treatments:
                    problems.append(Problem(name, rl, f"figure {shown(fid)}: unknown treatment {shown(t)}"))
                    return None
        runs.append(FigureRun(label=r["label"].strip(), estrogen=e, ferritin=f, treatments=tuple(treatments)))
    return FigureSpec(id=fid, kind=kind, title=texts["title"].strip(), caption=caption, after=after,
                      plot=plot, runs=tuple(runs), years=years, line=ln)


def _coverage(steps: list[StudyStep], ctx: PathContext, name: str, line: int) -> list[Problem]:
    """Every review page, every tour and every section's questions appear once, each section's
    questions after its page."""
    out: list[Problem] = []

    def once(kind: str, wanted: Iterable[str], got: list[str], what: str) -> None:
        for item in sorted(wanted):
            n = got.count(item)
            if n == 0:
                out.append(Problem(name, line, f"the study path has no {kind} step for {what} {shown(item)}"))
        for item in sorted(set(got)):
            if got.count(item) > 1:
                out.append(Problem(name, line, f"the study path lists {what} {shown(item)} {got.count(item)} times"))

    once("topic", ctx.review_topics, [s.target for s in steps if s.kind == "topic"], "the page")
    if ctx.tours is not None:
        once("tour", ctx.tours, [s.target for s in steps if s.kind == "tour"], "the tour")
    once("quiz", ctx.sections, [sec for s in steps if s.kind == "quiz" for sec in s.sections], "section")
    return out


def load_study_path(root: Path, ctx: PathContext) -> tuple[StudyPath | None, list[Problem]]:
    """content/study_path.yaml; (None, []) when the file does not exist."""
    path = root / "study_path.yaml"
    name = rel(path, root)
    problems: list[Problem] = []
    data = _load_yaml_file(path, name, problems)
    if data is None:
        return (StudyPath(file=name) if problems else None), problems
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        problems.append(Problem(name, 1, "expected a mapping with a 'steps' list (and optional 'figures')"))
        return StudyPath(file=name), problems
    unknown = set(data) - {"steps", "figures"}
    if unknown:
        problems.append(Problem(name, 1, f"unknown top-level key(s): {shown_names(sorted(map(str, unknown)))}"))
    steps = [s for s in (_step(r, ctx, name, problems) for r in data["steps"]) if s]
    problems += _coverage(steps, ctx, name, line_of(data["steps"]))
    figures_raw = data.get("figures") or []
    if not isinstance(figures_raw, list):
        problems.append(Problem(name, line_of(figures_raw), "'figures' must be a list"))
        figures_raw = []
    seen: set[str] = set()
    figures = tuple(f for f in (_figure(r, ctx, seen, name, problems) for r in figures_raw) if f)
    on_path = {s.target for s in steps if s.kind == "topic"}
    for f in figures:
        if f.after not in on_path:
            problems.append(Problem(name, f.line, f"figure {shown(f.id)}: 'after' names {shown(f.after)}, which is not "
                                                  f"a topic step of the path"))
    return StudyPath(steps=tuple(steps), figures=figures, file=name), problems


def path_context(content: Content, tour_ids: Iterable[str] | None,
                 treatment_ids: Iterable[str] | None) -> PathContext:
    topics = content.topic_pages
    return PathContext(
        topics=frozenset(topics),
        review_topics=frozenset(pid for pid, p in topics.items() if needs_key_points(p.section)),
        sections=review_sections(content),
        tours=frozenset(tour_ids) if tour_ids is not None else None,
        treatments=frozenset(treatment_ids) if treatment_ids is not None else None,
        references=frozenset(content.references) if content.references else None,
    )


# --- everything about learning in one content tree --------------------------------------------------

@dataclass(frozen=True)
class Learning:
    """The learning content of one content/ directory, as the GUI and the checks use it."""

    objectives: Objectives | None
    path: StudyPath | None
    sections: Mapping[str, Page]  # review section -> topic page
    tours: Mapping[str, Any]  # tour id -> app.knowledge.tours.Tour
    problems: tuple[Problem, ...] = ()
    topic_titles: Mapping[str, str] = field(default_factory=dict)  # every topic page id -> its title

    def section_title(self, section: str) -> str:
        page = self.sections.get(section)
        return page.title if page else f"Section {section}"

    def tours_of_section(self, section: str) -> tuple[str, ...]:
        """The tours that serve an objective of this section (in study-path order if there is one)."""
        if self.objectives is None:
            return ()
        mine = {o.id for o in self.objectives.of_section(section)}
        ids = [t.id for t in self.tours.values() if mine & set(getattr(t, "objectives", ()))]
        order = list(self.path.tours()) if self.path else []
        return tuple(sorted(ids, key=lambda t: order.index(t) if t in order else len(order)))


def load_learning(root: Path, content: Content | None = None) -> Learning:
    """Objectives, study path and tours of `root`, with their cross-references checked (tour
    objectives and `next:` links). Problems of the tour files themselves are load_tours' own."""
    from app.knowledge.content import load_content
    from app.knowledge.model_io import load_model_content
    from app.knowledge.tours import load_tours

    content = content or load_content(root)
    problems: list[Problem] = []
    tours: dict = {}
    treatments: Iterable[str] | None = None
    if content.pathway.nodes:
        mc = load_model_content(root, content.pathway)
        tours, _ = load_tours(root, content.pathway, mc.scenarios, mc.treatments)
        treatments = mc.treatments if mc.model is not None else None
    sections = section_pages(content)
    objectives, probs = load_objectives(root, tuple(sections))
    problems += probs
    path, probs = load_study_path(root, path_context(content, tours if content.pathway.nodes else None, treatments))
    problems += probs
    problems += _tour_links(tours, objectives)
    return Learning(objectives=objectives, path=path, sections=sections, tours=tours,
                    problems=tuple(sorted(set(problems))),
                    topic_titles={pid: p.title for pid, p in content.topic_pages.items()})


def _tour_links(tours: Mapping[str, Any], objectives: Objectives | None) -> list[Problem]:
    """Tours whose `next` or `objectives` name nothing, and tours that do not take the minutes they
    advertise."""
    from app.knowledge.tour_learning import timing_problem

    out: list[Problem] = []
    known = {o.id for o in objectives.all} if objectives is not None else None
    for tour in tours.values():
        slow = timing_problem(tour)
        if slow:
            out.append(Problem(tour.file, tour.line, slow))
        nxt = getattr(tour, "next", "")
        if nxt and nxt not in tours:
            out.append(Problem(tour.file, tour.line, f"tour {shown(tour.id)}: 'next' names unknown tour {shown(nxt)}"))
        elif nxt == tour.id:
            out.append(Problem(tour.file, tour.line, f"tour {shown(tour.id)}: 'next' names the tour itself"))
        if known is not None:
            for oid in getattr(tour, "objectives", ()):
                if oid not in known:
                    out.append(Problem(tour.file, tour.line, f"tour {shown(tour.id)}: unknown objective {shown(oid)} "
                                                             f"(not in objectives.yaml)"))
    return out


def check_learning_content(root: Path, content: Content | None = None) -> list[Problem]:
    """Every problem of objectives.yaml, study_path.yaml, review_weights.yaml and teacher_guide.yaml,
    and of the links from tours to objectives and to the next tour (for check-content)."""
    from app.knowledge.teacher_guide import load_guide

    learning = load_learning(root, content)
    problems = list(learning.problems)
    refs = frozenset(content.references) if content is not None and content.references else None
    problems += load_guide(root, learning, refs)[1]
    problems += load_weights(root, tuple(learning.sections))[1]
    return problems
