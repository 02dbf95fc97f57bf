"""The question bank: reads content/quizzes/*.yaml into questions, reporting every problem as
`file:line: message`, and draws seeded pools of questions by section, difficulty and compartment."""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.knowledge.problems import Problem, read_content, rel
from app.knowledge.species import reference_keys
from app.knowledge.yamlio import YamlError, finite_number, line_of, load_yaml
from app.model.numbers import shown
from app.model.pathway import Pathway
from app.model.simulation import ESTROGEN_RANGE, FERRITIN_RANGE, Model
from app.quiz.questions import (
    DIFFICULTIES,
    DIRECTIONS,
    MIN_OPTIONS,
    QUESTION_TYPES,
    SECTIONS,
    Choice,
    ClickNode,
    Matching,
    MultipleAnswer,
    Numeric,
    Ordering,
    Predict,
    Question,
    Scenario,
    SingleChoice,
    TrueFalse,
    moodle_grade,
)

_ID = re.compile(r"^[a-z0-9][a-z0-9_.:-]*$")
_PAGE = re.compile(r"^(node|topic):([A-Za-z0-9_.-]+)$")
_COMMON = ("id", "type", "section", "nodes", "difficulty", "prompt", "explanation", "page", "cite", "category")
_EXTRA: Mapping[str, tuple[str, ...]] = {
    "single": ("choices", "answer"),
    "multiple": ("choices", "answers"),
    "truefalse": ("answer",),
    "click_node": ("answer",),
    "predict": ("before", "after", "targets", "expect"),
    "ordering": ("steps",),
    "matching": ("pairs", "distractors"),
    "numeric": ("answer", "tolerance", "unit"),
}
_OPTIONAL = {"cite", "tolerance", "unit", "category", "distractors", "expect"}


def _show(value: Any) -> str:
    """A value from the file for a message, shortened (a hostile file may hold megabytes)."""
    return shown(value, 60)


def _name(key: Any) -> str:
    """A key or id for a list in a message: unquoted, its control characters and line separators
    escaped, shortened."""
    text = repr(str(key))[1:-1]
    return text if len(text) <= 40 else text[:39] + "…"


def _keys(keys: Iterable[Any]) -> str:
    names = sorted(_name(k) for k in keys)
    return ", ".join(names[:10]) + (f", … ({len(names)} in all)" if len(names) > 10 else "")


class _Bad(Exception):
    """One problem with one question: (line, message)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _text(raw: Mapping, key: str, line: int) -> str:
    v = raw.get(key)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str) or not v.strip():
        raise _Bad(line, f"'{key}' must be non-empty text")
    return v.strip()


def _ids(value: Any, line: int, what: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise _Bad(line_of(value, line), f"'{what}' must be a list of ids")
    if not value and not allow_empty:
        raise _Bad(line, f"'{what}' must not be empty")
    if len(set(value)) != len(value):
        raise _Bad(line_of(value, line), f"'{what}' lists an id twice")
    return tuple(value)


def _choices(value: Any, line: int, key: str, minimum: int) -> tuple[Choice, ...]:
    """Choices as plain strings (ids a, b, c, ... in order) or {id, text, feedback} mappings."""
    if not isinstance(value, list) or len(value) < minimum:
        raise _Bad(line_of(value, line), f"'{key}' must list at least {minimum} options")
    out: list[Choice] = []
    for i, item in enumerate(value):
        ln = line_of(item, line_of(value, line))
        if isinstance(item, str) and item.strip():
            out.append(Choice(id=chr(ord("a") + i), text=item.strip()))
        elif isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"].strip():
            cid = item.get("id", chr(ord("a") + i))
            if not isinstance(cid, str) or not _ID.match(cid):
                raise _Bad(ln, f"option id {_show(cid)} must be lower-case letters, digits, _ or -")
            fb = item.get("feedback", "")
            if not isinstance(fb, str):
                raise _Bad(ln, "option 'feedback' must be text")
            unknown = set(item) - {"id", "text", "feedback", "credit"}
            if unknown:
                raise _Bad(ln, f"unknown option key(s): {_keys(unknown)} (valid: id, text, feedback, credit)")
            credit = None
            if "credit" in item:
                raw_credit = finite_number(item["credit"])
                credit = moodle_grade(raw_credit) if raw_credit is not None else None
                if credit is None:
                    raise _Bad(ln, f"option 'credit' {_show(item['credit'])} must be a percent Moodle allows "
                               "(100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20, "
                               "16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0, or one of them negative)")
            out.append(Choice(id=cid, text=item["text"].strip(), feedback=fb.strip(), credit=credit))
        else:
            raise _Bad(ln, f"each entry of '{key}' must be text or a mapping with 'text'")
    ids = [c.id for c in out]
    if len(set(ids)) != len(ids):
        raise _Bad(line_of(value, line), f"'{key}' has two options with the same id")
    texts = [c.text for c in out]
    if len(set(texts)) != len(texts):
        raise _Bad(line_of(value, line), f"'{key}' has two options with the same text")
    return tuple(out)


def _scenario(value: Any, line: int, key: str, treatments: Iterable[str] | None) -> Scenario:
    if not isinstance(value, dict):
        raise _Bad(line, f"'{key}' must be a mapping with estrogen, ferritin and optional treatments")
    ln = line_of(value, line)
    unknown = set(value) - {"estrogen", "ferritin", "treatments"}
    if unknown:
        raise _Bad(ln, f"'{key}' has unknown key(s): {_keys(unknown)}")
    nums = {}
    for k, (lo, hi) in (("estrogen", ESTROGEN_RANGE), ("ferritin", FERRITIN_RANGE)):
        v = finite_number(value.get(k))  # None for text, true/false, nan, inf and 10**400
        if v is None or not lo <= v <= hi:
            raise _Bad(ln, f"'{key}.{k}' must be a number from {lo:g} to {hi:g} (got {_show(value.get(k))})")
        nums[k] = v
    tr = _ids(value.get("treatments", []), ln, f"{key}.treatments", allow_empty=True)
    if treatments is not None:
        known = set(treatments)
        for t in tr:
            if t not in known:
                raise _Bad(ln, f"unknown treatment {_show(t)} (valid: {', '.join(sorted(known))})")
    return Scenario(estrogen=nums["estrogen"], ferritin=nums["ferritin"], treatments=tr)


def _expectations(raw: Any, targets: tuple[str, ...], line: int) -> tuple[tuple[str, str], ...]:
    """A predict question's `expect`: target -> up / down / none, from the cited sources."""
    if raw is None:
        return ()
    if not isinstance(raw, dict):
        raise _Bad(line_of(raw, line), "'expect' must map each target to up, down or none")
    out = []
    for node, d in raw.items():
        if node not in targets:
            raise _Bad(line_of(raw, line), f"'expect' names {_show(node)}, which is not a target")
        if d not in DIRECTIONS:
            raise _Bad(line_of(raw, line), f"'expect.{node}' must be one of {', '.join(DIRECTIONS)} "
                                           f"(got {_show(d)})")
        out.append((str(node), str(d)))
    return tuple(out)


def parse_question(raw: Any, file: str, *, defaults: Mapping[str, Any] | None = None,
                   node_ids: Iterable[str] | None = None, treatments: Iterable[str] | None = None,
                   input_nodes: Mapping[str, str] | None = None) -> Question:
    """One YAML mapping -> a question; raises _Bad(line, message) on the first problem.
    `input_nodes` maps the input roles (estrogen_input, iron_input) to their node ids."""
    line = line_of(raw)
    if not isinstance(raw, dict):
        raise _Bad(line, "a question must be a mapping")
    merged = {**(defaults or {}), **raw}
    qtype = merged.get("type")
    if not isinstance(qtype, str) or qtype not in QUESTION_TYPES:  # a list or mapping is no type either
        raise _Bad(line, f"'type' must be one of {', '.join(QUESTION_TYPES)} (got {_show(qtype)})")
    allowed = set(_COMMON) | set(_EXTRA[qtype]) | {"objectives"}
    unknown = set(raw) - allowed
    if unknown:
        raise _Bad(line, f"unknown key(s) for a {qtype} question: {_keys(unknown)}")
    missing = [k for k in (*_COMMON, *_EXTRA[qtype]) if k not in merged and k not in _OPTIONAL]
    if missing:
        raise _Bad(line, f"missing key(s): {', '.join(missing)}")
    qid = merged["id"]
    if not isinstance(qid, str) or not _ID.match(qid):
        raise _Bad(line, f"'id' must be lower-case letters, digits and - _ . : (got {_show(qid)})")
    section = str(merged["section"]) if isinstance(merged["section"], (str, int, float)) else ""
    if section not in SECTIONS:
        raise _Bad(line, f"'section' must be one of the review's sections {', '.join(SECTIONS)} "
                   f"(got {_show(section)})")
    diff = merged["difficulty"]
    if diff not in DIFFICULTIES or isinstance(diff, bool):
        raise _Bad(line, f"'difficulty' must be 1, 2 or 3 (got {_show(diff)})")
    nodes = _ids(merged["nodes"], line, "nodes")
    known_nodes = set(node_ids) if node_ids is not None else None

    def check_nodes(ids: Iterable[str], what: str) -> None:
        if known_nodes is None:
            return
        for n in ids:
            if n not in known_nodes:
                raise _Bad(line, f"{what}: unknown node {_show(n)} (see content/pathway.yaml)")

    check_nodes(nodes, "nodes")
    page = merged["page"]
    if not isinstance(page, str) or not _PAGE.match(page):
        raise _Bad(line, f"'page' must be 'topic:<id>' or 'node:<id>' (got {_show(page)})")
    cite = _ids(merged.get("cite", []), line, "cite", allow_empty=True)
    category = merged.get("category", "")
    if not isinstance(category, str) or len(category) > 200:
        raise _Bad(line, f"'category' must be text of at most 200 characters (got {_show(category)})")
    common = dict(id=qid, section=section, nodes=nodes, difficulty=diff, prompt=_text(merged, "prompt", line),
                  explanation=_text(merged, "explanation", line), page=page, cite=cite, category=category.strip(),
                  file=file, line=line)
    common["objectives"] = _ids(merged.get("objectives", []), line, "objectives", allow_empty=True)
    if qtype == "single":
        choices = _choices(merged["choices"], line, "choices", MIN_OPTIONS["single"])
        ans = merged["answer"]
        if not isinstance(ans, str) or ans not in {c.id for c in choices}:  # a list is not one id
            raise _Bad(line, f"'answer' {_show(ans)} is not the id of one of the choices")
        for c in choices:
            if c.credit is not None and (c.credit < 0 or (c.id == ans and c.credit != 100)
                                         or (c.id != ans and c.credit >= 100)):
                raise _Bad(line, f"option {shown(c.id)}: in a one-answer question the answer earns 100 and the other "
                           "options 0 up to below 100 (no negative credit: a score never goes below 0)")
        return SingleChoice(**common, choices=choices, answer=ans)
    if qtype == "multiple":
        choices = _choices(merged["choices"], line, "choices", MIN_OPTIONS["multiple"])
        answers = _ids(merged["answers"], line, "answers")
        if not set(answers) <= {c.id for c in choices}:
            raise _Bad(line, "'answers' must be ids of the choices")
        if any(c.credit is not None for c in choices):
            earning = {c.id for c in choices if (c.credit or 0) > 0}
            if earning != set(answers):
                raise _Bad(line, "with 'credit' on the options, 'answers' must be exactly the options whose "
                           "credit is above 0")
            if sum(c.credit or 0 for c in choices if (c.credit or 0) > 0) < 100 - 0.01:
                raise _Bad(line, "the credits of the right options must add up to at least 100")
        return MultipleAnswer(**common, choices=choices, answers=frozenset(answers))
    if qtype == "truefalse":
        if not isinstance(merged["answer"], bool):
            raise _Bad(line, "'answer' must be true or false")
        return TrueFalse(**common, answer=merged["answer"])
    if qtype == "click_node":
        answers = _ids(merged["answer"], line, "answer")
        check_nodes(answers, "answer")
        return ClickNode(**common, answers=frozenset(answers))
    if qtype == "predict":
        before = _scenario(merged["before"], line, "before", treatments)
        after = _scenario(merged["after"], line, "after", treatments)
        if before == after:
            raise _Bad(line, "'before' and 'after' are the same: nothing changes")
        targets = _ids(merged["targets"], line, "targets")
        check_nodes(targets, "targets")
        changed = {"estrogen_input": before.estrogen != after.estrogen,
                   "iron_input": before.ferritin != after.ferritin}
        for role, moved in changed.items():
            if moved and input_nodes is not None and input_nodes.get(role) in targets:
                raise _Bad(line, f"target {shown(input_nodes[role])} is the input that is changed; ask about its "
                                 "effects instead")
        return Predict(**common, before=before, after=after, targets=targets,
                       expect=_expectations(merged.get("expect"), targets, line))
    if qtype == "ordering":
        steps = _choices(merged["steps"], line, "steps", MIN_OPTIONS["ordering"])
        return Ordering(**common, steps=steps)
    if qtype == "matching":
        raw_pairs = merged["pairs"]
        if not isinstance(raw_pairs, list) or len(raw_pairs) < MIN_OPTIONS["matching"]:
            raise _Bad(line_of(raw_pairs, line),
                       f"'pairs' must list at least {MIN_OPTIONS['matching']} [left, right] pairs")
        pairs = []
        for p in raw_pairs:
            if not (isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) and x.strip() for x in p)):
                raise _Bad(line_of(p, line_of(raw_pairs, line)), "each pair must be [left text, right text]")
            pairs.append((p[0].strip(), p[1].strip()))
        # Two left items may share a right item (as in Moodle: "goes up" for two nodes); a left item
        # appears once, or the answer key would be ambiguous.
        if len({a for a, _ in pairs}) != len(pairs):
            raise _Bad(line_of(raw_pairs, line), "'pairs' must not repeat a left item")
        extra = merged.get("distractors", [])
        if not isinstance(extra, list) or not all(isinstance(x, str) and x.strip() for x in extra):
            raise _Bad(line_of(extra, line), "'distractors' must be a list of texts (right items that match "
                       "no left item)")
        distractors = tuple(x.strip() for x in extra)
        if len({b for _, b in pairs} | set(distractors)) < MIN_OPTIONS["matching_answers"]:
            raise _Bad(line_of(raw_pairs, line), f"a matching question needs at least "
                       f"{MIN_OPTIONS['matching_answers']} different right items (pairs and distractors)")
        if len(set(distractors)) != len(distractors) or set(distractors) & {b for _, b in pairs}:
            raise _Bad(line_of(extra, line), "'distractors' must not repeat each other or a right item of 'pairs'")
        return Matching(**common, pairs=tuple(pairs), distractors=distractors)
    # numeric
    vals = {}
    for k in ("answer", "tolerance"):
        v = finite_number(merged.get(k, 0.0))  # None for text, true/false, nan, inf and 10**400
        if v is None:
            raise _Bad(line, f"'{k}' must be a finite number (got {_show(merged.get(k))})")
        vals[k] = v
    if vals["tolerance"] < 0:
        raise _Bad(line, "'tolerance' must not be negative")
    unit = merged.get("unit", "")
    if not isinstance(unit, str):
        raise _Bad(line, "'unit' must be text")
    return Numeric(**common, answer=vals["answer"], tolerance=vals["tolerance"], unit=unit)


@dataclass(frozen=True)
class Bank:
    """Every question by id, plus the problems met while loading (bad questions are skipped)."""

    questions: tuple[Question, ...]
    problems: tuple[Problem, ...] = ()
    compartments: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # question id -> compartments

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType({q.id: q for q in self.questions}))

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, qid: str) -> Question | None:
        return self._by_id.get(qid)  # type: ignore[attr-defined]

    def pool(self, *, sections: Iterable[str] | None = None, difficulties: Iterable[int] | None = None,
             types: Iterable[str] | None = None, compartments: Iterable[str] | None = None) -> tuple[Question, ...]:
        """Questions matching every given filter, in bank order."""
        secs = set(sections) if sections is not None else None
        diffs = set(difficulties) if difficulties is not None else None
        typs = set(types) if types is not None else None
        comps = set(compartments) if compartments is not None else None
        return tuple(q for q in self.questions
                     if (secs is None or q.section in secs) and (diffs is None or q.difficulty in diffs)
                     and (typs is None or q.type in typs)
                     and (comps is None or comps & set(self.compartments.get(q.id, ()))))

    def draw(self, n: int, *, seed: int | str, shuffle_options: bool = True, **filters: Any) -> tuple[Question, ...]:
        """n questions drawn at random (seeded: the same seed gives the same quiz) from the pool,
        spread over the pool's sections first, with their options shuffled."""
        pool = list(self.pool(**filters))
        rng = random.Random(str(seed))
        rng.shuffle(pool)
        # Round-robin over sections so a short quiz still covers the ground.
        by_sec: dict[str, list[Question]] = {}
        for q in pool:
            by_sec.setdefault(q.section, []).append(q)
        order = sorted(by_sec, key=lambda s: SECTIONS.index(s))
        rng.shuffle(order)
        picked: list[Question] = []
        while len(picked) < n and any(by_sec.values()):
            for s in order:
                if by_sec[s] and len(picked) < n:
                    picked.append(by_sec[s].pop())
        return tuple(q.shuffled(seed) if shuffle_options else q for q in picked)

    def with_questions(self, extra: Iterable[Question], pathway: Pathway | None = None) -> Bank:
        extra = tuple(extra)
        comps = dict(self.compartments)
        if pathway is not None:
            comps.update(_compartments(extra, pathway))
        return Bank(self.questions + extra, self.problems, MappingProxyType(comps))

    def section_groups(self) -> dict[str, tuple[str, ...]]:
        return {s: tuple(q.id for q in self.questions if q.section == s) for s in SECTIONS}

    def compartment_groups(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {}
        for qid, comps in self.compartments.items():
            for c in comps:
                out.setdefault(c, []).append(qid)
        return {c: tuple(v) for c, v in out.items()}


def _compartments(questions: Iterable[Question], pathway: Pathway) -> dict[str, tuple[str, ...]]:
    out = {}
    for q in questions:
        ids = list(q.nodes)
        if isinstance(q, ClickNode):
            ids += sorted(q.answers)
        if isinstance(q, Predict):
            ids += list(q.targets)
        comps = [pathway.node(n).compartment for n in ids if pathway.has_node(n)]
        out[q.id] = tuple(dict.fromkeys(comps))
    return out


@dataclass(frozen=True)
class BankContext:
    """What questions are checked against: the content root (pages, references), node and treatment
    ids (None: not checked). One per content directory; the built-in bank and user files share it."""

    root: Path
    node_ids: tuple[str, ...] | None = None
    treatments: tuple[str, ...] | None = None
    refs: frozenset[str] | None = None
    input_nodes: Mapping[str, str] | None = None  # input role -> node id (the pathway's roles)
    node_labels: Mapping[str, str] | None = None  # node id -> its name on the diagram

    @classmethod
    def of(cls, root: Path, *, pathway: Pathway | None = None, model: Model | None = None) -> BankContext:
        refs = reference_keys(root)
        # An empty pathway is a broken one: its own problems say why; no "unknown node" for every question.
        return cls(root=root, node_ids=tuple(pathway.node_ids) if pathway is not None and pathway.nodes else None,
                   treatments=tuple(model.treatments) if model is not None else None,
                   refs=frozenset(refs) if refs is not None else None,
                   input_nodes=pathway.roles if pathway is not None else None,
                   node_labels={n.id: n.label for n in pathway.nodes} if pathway is not None and pathway.nodes
                   else None)

    def page_exists(self, page: str) -> bool:
        kind, pid = page.split(":", 1)
        try:
            return (self.root / ("topics" if kind == "topic" else "nodes") / f"{pid}.md").is_file()
        except OSError:  # a name too long for the file system: no such page either
            return False


def load_document(data: Any, name: str, ctx: BankContext, seen: dict[str, str] | None = None,
                  ) -> tuple[list[Question], list[Problem]]:
    """The questions of one parsed quiz file (a mapping with `questions` and optional `defaults`),
    checked exactly as the built-in bank is; problems as `name:line: message`. `seen` maps question
    ids already taken to where (duplicates are refused)."""
    seen = {} if seen is None else seen
    problems: list[Problem] = []
    questions: list[Question] = []
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return [], [Problem(name, 1, "expected a mapping with a 'questions' list")]
    unknown = set(data) - {"questions", "defaults"}
    if unknown:
        problems.append(Problem(name, 1, f"unknown top-level key(s): {_keys(unknown)}"))
    defaults = data.get("defaults") or {}
    if not isinstance(defaults, dict) or set(defaults) - {"section", "page", "difficulty", "nodes", "cite", "type",
                                                          "category"}:
        problems.append(Problem(name, line_of(defaults), "'defaults' may set section, page, difficulty, nodes, "
                                "cite, type and category only"))
        defaults = {}
    for raw in data["questions"]:
        try:
            q = parse_question(raw, name, defaults=defaults, node_ids=ctx.node_ids, treatments=ctx.treatments,
                               input_nodes=ctx.input_nodes)
        except _Bad as exc:
            problems.append(Problem(name, exc.line, str(exc)))
            continue
        if q.id in seen:
            problems.append(Problem(name, q.line, f"duplicate question id {_show(q.id)} (first in {seen[q.id]})"))
            continue
        if ctx.refs is not None:
            missing = [c for c in q.cite if c not in ctx.refs]
            if missing:
                problems.append(Problem(name, q.line, f"unknown reference key(s): {_keys(missing)}"))
                continue
        if not ctx.page_exists(q.page):
            problems.append(Problem(name, q.line, f"'page' {_show(q.page)} does not exist in content/"))
            continue
        seen[q.id] = f"{name}:{q.line}"
        questions.append(q)
    return questions, problems


def load_bank(root: Path, *, pathway: Pathway | None = None, model: Model | None = None) -> Bank:
    """Read every content/quizzes/*.yaml (sorted). Never raises on bad content: each problem is a
    `file:line: message` in `Bank.problems` and the question is skipped. With `pathway` (and
    `model` for treatments) node ids and treatment ids are checked too."""
    folder = root / "quizzes"
    problems: list[Problem] = []
    questions: list[Question] = []
    if not folder.is_dir():
        return Bank((), ())
    ctx = BankContext.of(root, pathway=pathway, model=model)
    seen: dict[str, str] = {}
    for path in sorted(folder.glob("*.yaml")):
        name = rel(path, root)
        text = read_content(path, name, problems)
        if text is None:
            continue
        try:
            data = load_yaml(text)
        except YamlError as exc:  # the parser may point just past the last line
            problems.append(Problem(name, min(exc.line, text.count("\n") + 1), str(exc), fatal=True))
            continue
        got, bad = load_document(data, name, ctx, seen)
        questions += got
        problems += bad
    comps = _compartments(questions, pathway) if pathway is not None else {}
    return Bank(tuple(questions), tuple(problems), MappingProxyType(comps))


def check_predictions(bank: Bank, model: Model) -> list[Problem]:
    """Prediction targets the model cannot grade fairly: a settled change too close to the
    no-change threshold, no direction stated by the author (`expect`), or a model that
    disagrees with the stated, cited direction (the model grades; the author and the
    literature say what is true)."""
    from app.quiz.grading import NO_CHANGE, is_clear, model_directions

    problems = []
    for q in bank.questions:
        if isinstance(q, Predict):
            try:
                dirs = model_directions(model, q)
            except ValueError as exc:
                problems.append(Problem(q.file, q.line, f"the model cannot run this prediction: {exc}"))
                continue
            expected = dict(q.expect)
            for node, (got, delta) in dirs.items():
                if not is_clear(delta):
                    problems.append(Problem(q.file, q.line, f"target {shown(node)} moves by {delta:+.4f}, too close to "
                                            f"the no-change threshold ({NO_CHANGE:g}) to grade fairly"))
                elif node not in expected:
                    problems.append(Problem(q.file, q.line, f"target {shown(node)} has no expected direction "
                                            "('expect': what the cited sources say)"))
                elif expected[node] != got:
                    problems.append(Problem(q.file, q.line, f"target {shown(node)}: the question expects "
                                            f"{expected[node]} but the model says {got} ({delta:+.4f})"))
    return problems


def load_checked_bank(root: Path) -> tuple[Bank, Model | None]:
    """The bank with node, treatment and reference ids checked against the rest of content/."""
    from app.knowledge.model_io import load_model_content
    from app.knowledge.pathway_io import load_pathway

    pathway, _ = load_pathway(root / "pathway.yaml", rel(root / "pathway.yaml", root))
    mc = load_model_content(root, pathway)
    return load_bank(root, pathway=pathway, model=mc.model), mc.model


def _strings(value: Any) -> Iterable[str]:
    """Every piece of text in a question's fields (prompt, options, pairs, feedback...)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list)):
        for item in value:
            yield from _strings(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))


def check_species(bank: Bank, root: Path) -> list[Problem]:
    """A question that names an animal while citing a study references.yaml records as done in
    another species (e.g. "in rats" for a mouse study)."""
    from app.knowledge.species import mismatches_in, reference_species

    species = {k: v for k, v in (reference_species(root) or {}).items() if v}
    problems = []
    for q in bank.questions:
        text = " ".join(s for f in dataclasses.fields(q) if f.name not in ("id", "file", "page", "cite")
                        for s in _strings(getattr(q, f.name)))
        for slip in mismatches_in(q.cite, text, species):
            problems.append(Problem(q.file, q.line, f"question {shown(q.id)}: {slip.message()}"))
    return problems


def check_bank(root: Path) -> list[Problem]:
    """Every problem of content/quizzes/ as `file:line: message` (for `python -m app check-content`).
    Problems of pathway.yaml itself are reported by app.knowledge, not repeated here."""
    if not (root / "quizzes").is_dir():
        return []
    bank, model = load_checked_bank(root)
    return bank_problems(root, bank, model)


def bank_problems(root: Path, bank: Bank, model: Model | None) -> list[Problem]:
    """The problems of a loaded bank: its own, species slips, predictions and expectations."""
    problems = list(bank.problems) + check_species(bank, root)
    if model is not None:
        problems += check_predictions(bank, model)
        problems += check_expectations(root, model)
    return sorted(set(problems))


def check_expectations(root: Path, model: Model) -> list[Problem]:
    """content/expectations.yaml: its own problems, and every cited expectation the model
    contradicts or leaves too close to no change (a generated question would then skip it)."""
    from app.quiz.generate import agreeing, expectations_for

    file = rel(root / "expectations.yaml", root)
    exp = expectations_for(model, root, file=file)
    problems = list(exp.problems)
    for change in exp.changes:
        ok = {node for node, _, _ in agreeing(model, change)}
        for e in change.expect:
            if e.node not in ok:
                problems.append(Problem(file, e.line,
                                        f"{change.key}: the model does not show {e.node} {e.direction} "
                                        f"as the cited sources ({', '.join(e.cite)}) say"))
    return problems
