"""Cited directional expectations (content/expectations.yaml): what the literature says a change does
to a node, written independently of the model. Generated prediction questions ask only about nodes
with such an expectation, and only where the model agrees with it."""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.knowledge.problems import Problem, read_content
from app.knowledge.yamlio import YamlError, line_of, load_yaml, str_list
from app.model.numbers import shown, shown_names
from app.model.scenarios import Scenario as ModelScenario
from app.model.units import ESTROGEN_RANGE, FERRITIN_RANGE
from app.quiz.questions import SECTIONS, Scenario

DIRECTIONS = ("up", "down")
_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_PAGE = re.compile(r"^(node|topic):([A-Za-z0-9_.-]+)$")
_TEMPLATE_FIELDS = {"treatment", "estrogen", "ferritin"}


@dataclass(frozen=True, kw_only=True)
class Expectation:
    node: str
    direction: str  # up | down
    cite: tuple[str, ...]
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class ExpectedChange:
    """A change of inputs and what the literature expects it to do."""

    key: str
    words: str  # how the prompt names the change
    before: Scenario
    after: Scenario
    section: str
    page: str
    expect: tuple[Expectation, ...]
    line: int = 0


@dataclass(frozen=True, kw_only=True)
class Expectations:
    changes: tuple[ExpectedChange, ...] = ()
    problems: tuple[Problem, ...] = ()


class _Bad(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _scenario(raw: Any, what: str, line: int, scenarios: Mapping[str, ModelScenario]) -> Scenario:
    """{scenario: id} or {estrogen: %, ferritin: µg/L}."""
    if not isinstance(raw, dict):
        raise _Bad(line, f"{what} must be {{scenario: <id>}} or {{estrogen: %, ferritin: µg/L}}")
    ln = line_of(raw, line)
    if "scenario" in raw:
        sid = raw["scenario"]
        if set(raw) != {"scenario"}:
            raise _Bad(ln, f"{what}: give either a scenario or estrogen and ferritin, not both")
        if not isinstance(sid, str) or sid not in scenarios:
            raise _Bad(ln, f"{what}: unknown scenario {shown(sid)} (valid: {shown_names(scenarios, 10)})")
        s = scenarios[sid]
        return Scenario(estrogen=s.estrogen, ferritin=s.ferritin, treatments=s.treatments)
    nums = {}
    for key, (lo, hi) in (("estrogen", ESTROGEN_RANGE), ("ferritin", FERRITIN_RANGE)):
        v = raw.get(key)
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
            raise _Bad(ln, f"{what}: {shown(key)} must be a number from {lo:g} to {hi:g} (got {shown(v)})")
        nums[key] = float(v)
    if set(raw) - {"estrogen", "ferritin"}:
        raise _Bad(ln, f"{what}: only scenario, or estrogen and ferritin, are allowed")
    return Scenario(estrogen=nums["estrogen"], ferritin=nums["ferritin"])


def _expect(raw: Any, what: str, line: int, nodes: Collection[str] | None,
            refs: Collection[str] | None) -> tuple[Expectation, ...]:
    if not isinstance(raw, list) or not raw:
        raise _Bad(line, f"{what}: 'expect' must list {{node, direction, cite}} entries")
    out: list[Expectation] = []
    for e in raw:
        ln = line_of(e, line)
        if not isinstance(e, dict) or set(e) - {"node", "direction", "cite"}:
            raise _Bad(ln, f"{what}: an expectation is {{node, direction, cite}}")
        node, direction = e.get("node"), e.get("direction")
        if not isinstance(node, str) or (nodes is not None and node not in nodes):
            raise _Bad(ln, f"{what}: unknown node {shown(node)} (see content/pathway.yaml)")
        if direction not in DIRECTIONS:
            raise _Bad(ln, f"{what}: direction must be up or down (got {shown(direction)})")
        cite = str_list(e.get("cite"))
        if not cite:
            raise _Bad(ln, f"{what}: the expectation for {shown(node)} cites nothing")
        if refs is not None and any(c not in refs for c in cite):
            raise _Bad(ln, f"{what}: unknown reference key(s) {shown_names([c for c in cite if c not in refs])}")
        if any(x.node == node for x in out):
            raise _Bad(ln, f"{what}: {shown(node)} is expected twice")
        out.append(Expectation(node=node, direction=str(direction), cite=tuple(cite), line=ln))
    return tuple(out)


def _section_page(raw: dict, what: str, line: int) -> tuple[str, str]:
    section = str(raw.get("section", ""))
    if section not in SECTIONS:
        raise _Bad(line, f"{what}: 'section' must be one of {', '.join(SECTIONS)} (got {shown(section)})")
    page = raw.get("page")
    if not isinstance(page, str) or not _PAGE.match(page):
        raise _Bad(line, f"{what}: 'page' must be topic:<id> or node:<id> (got {shown(page)})")
    return section, page


def parse_expectations(data: Any, file: str, *, scenarios: Mapping[str, ModelScenario],
                       treatments: Mapping[str, Any] | None = None, nodes: Collection[str] | None = None,
                       refs: Collection[str] | None = None) -> Expectations:
    """`treatments`: id -> object with name, section and page (app.model.treatments.Treatment)."""
    problems: list[Problem] = []
    changes: list[ExpectedChange] = []
    if not isinstance(data, dict):
        return Expectations(problems=(Problem(file, 1, "expected a mapping with 'changes' and 'treatments'"),))
    seen: dict[str, int] = {}

    def add(change: ExpectedChange) -> None:
        if change.key in seen:
            problems.append(Problem(file, change.line,
                                    f"duplicate change {shown(change.key)} (line {seen[change.key]})"))
        else:
            seen[change.key] = change.line
            changes.append(change)

    raw_changes = data.get("changes") or []
    if not isinstance(raw_changes, list):
        problems.append(Problem(file, line_of(data), f"'changes' must be a list (got {shown(raw_changes)})"))
        raw_changes = []
    for raw in raw_changes:
        line = line_of(raw)
        try:
            if not isinstance(raw, dict):
                raise _Bad(line, "a change must be a mapping")
            key = raw.get("id")
            if not isinstance(key, str) or not _ID.match(key):
                raise _Bad(line, f"change without a valid 'id' (got {shown(key)})")
            what = f"change {shown(key)}"
            words = raw.get("words")
            if not isinstance(words, str) or not words.strip():
                raise _Bad(line, f"{what}: no 'words' (how the question names the change)")
            section, page = _section_page(raw, what, line)
            before = _scenario(raw.get("before"), f"{what}: 'before'", line, scenarios)
            after = _scenario(raw.get("after"), f"{what}: 'after'", line, scenarios)
            add(ExpectedChange(key=key, words=words.strip(), before=before, after=after, section=section,
                               page=page, expect=_expect(raw.get("expect"), what, line, nodes, refs), line=line))
        except _Bad as exc:
            problems.append(Problem(file, exc.line, str(exc)))
    raw_t = data.get("treatments")
    if raw_t is not None:
        line = line_of(raw_t)
        try:
            if not isinstance(raw_t, dict) or not isinstance(raw_t.get("expect"), dict):
                raise _Bad(line, "'treatments' needs 'base', 'words' and an 'expect' mapping (treatment id -> list)")
            base = _scenario(raw_t.get("base"), "treatments: 'base'", line, scenarios)
            template = raw_t.get("words")
            if not isinstance(template, str) or not template.strip():
                raise _Bad(line, "treatments: no 'words'")
            fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            if not fields <= _TEMPLATE_FIELDS:
                raise _Bad(line, f"treatments: 'words' may name only {{treatment}}, {{estrogen}} and "
                                 f"{{ferritin}} (got {shown_names(sorted(fields - _TEMPLATE_FIELDS))})")
            for tid, raw_e in raw_t["expect"].items():
                ln = line_of(raw_e, line)
                try:
                    if treatments is not None and tid not in treatments:
                        raise _Bad(ln, f"treatments: unknown treatment {shown(tid)} "
                                       f"(valid: {shown_names(treatments, 10)})")
                    what = f"treatment {shown(tid)}"
                    t = treatments[tid] if treatments is not None else None
                    words = template.format(treatment=t.name if t else tid, estrogen=base.estrogen,
                                            ferritin=base.ferritin).strip()
                    after = Scenario(estrogen=base.estrogen, ferritin=base.ferritin,
                                     treatments=(*base.treatments, tid))
                    add(ExpectedChange(
                        key=f"treat-{tid.replace('_', '-')}", words=words, before=base, after=after,
                        section=t.section if t else "5", page=t.page if t and t.page else "topic:s5-treatments",
                        expect=_expect(raw_e, what, ln, nodes, refs), line=ln))
                except _Bad as exc:
                    problems.append(Problem(file, exc.line, str(exc)))
        except _Bad as exc:
            problems.append(Problem(file, exc.line, str(exc)))
    return Expectations(changes=tuple(changes), problems=tuple(problems))


def load_expectations(root: Path, *, scenarios: Mapping[str, ModelScenario],
                      treatments: Mapping[str, Any] | None = None, nodes: Collection[str] | None = None,
                      refs: Collection[str] | None = None, file: str = "content/expectations.yaml") -> Expectations:
    problems: list[Problem] = []
    text = read_content(root / "expectations.yaml", file, problems, missing=None)  # regular files only, bounded
    if text is None:
        return Expectations(problems=tuple(problems))
    try:
        data = load_yaml(text)
    except YamlError as exc:
        return Expectations(problems=(Problem(file, exc.line, str(exc)),))
    return parse_expectations(data, file, scenarios=scenarios, treatments=treatments, nodes=nodes, refs=refs)
