"""Reads content/treatments.yaml, scenarios.yaml, claims.yaml and calibration.yaml into app.model
objects, collecting every problem as `file:line: message` (bad entries are skipped, never raised)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from app.knowledge.calibration_io import load_calibration
from app.knowledge.limits import ID_MAX_CHARS
from app.knowledge.pathway_io import load_pathway
from app.knowledge.problems import Problem, read_content
from app.knowledge.species import reference_keys
from app.knowledge.yamlio import YamlError, finite_number, line_of, load_yaml, str_list
from app.model.calibration import Row
from app.model.claims import COMPARES, DIRECTIONS, Claim, Expectation, RunSpec
from app.model.numbers import in_range, shown, shown_names
from app.model.pathway import Pathway
from app.model.scenarios import SCENARIO_ROLES, Scenario, scenario_with_role
from app.model.simulation import ESTROGEN_RANGE, FERRITIN_RANGE, Model
from app.model.treatments import (
    ACTION_KINDS,
    Action,
    AddInput,
    BlockEdge,
    Clamp,
    EstrogenFloor,
    IronTargetFactor,
    Treatment,
)

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_PAGE = re.compile(r"^(node|topic):([A-Za-z0-9_.-]+)$")
_SECTION = re.compile(r"^[1-6](\.[1-4])?$")

Report = Callable[[int, str], None]


def _read(path: Path, name: str, key: str, problems: list[Problem]) -> list | None:
    text = read_content(path, name, problems)
    if text is None:
        return None
    try:
        data = load_yaml(text)
    except YamlError as exc:
        problems.append(Problem(name, exc.line, str(exc), fatal=True))
        return None
    items = data.get(key) if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(name, 1, f"expected a mapping with a {shown(key)} list"))
        return None
    return items


def _entry_id(raw: Any, what: str, seen: dict[str, int], report: Report) -> str | None:
    ln = line_of(raw)
    if not isinstance(raw, dict):
        report(ln, f"a {what} must be a mapping")
        return None
    eid = raw.get("id")
    if not isinstance(eid, str) or not _ID.match(eid) or len(eid) > ID_MAX_CHARS:
        report(ln, f"{what} without a valid 'id' (got {shown(eid)})")
        return None
    if eid in seen:
        report(ln, f"duplicate {what} id {shown(eid)} (first on line {seen[eid]})")
        return None
    seen[eid] = ln
    return eid


# --- treatments -------------------------------------------------------------------------------

def _action(raw: Any, tid: str, pathway: Pathway | None, report: Report) -> Action | None:
    ln = line_of(raw)
    if not isinstance(raw, dict):
        report(ln, f"treatment {shown(tid)}: an action must be a mapping")
        return None
    kind = raw.get("kind")
    action: Action | None = None
    if kind == "clamp":
        node, value = raw.get("node"), finite_number(raw.get("value"))
        if isinstance(node, str) and value is not None:
            action = Clamp(node=node, value=value)
    elif kind == "add_input":
        node, weight, sign = raw.get("node"), finite_number(raw.get("weight")), raw.get("sign")
        if isinstance(node, str) and weight is not None and sign in ("+", "-"):
            action = AddInput(node=node, sign=1 if sign == "+" else -1, weight=weight)
    elif kind == "block_edge":
        src, tgt, frac = raw.get("source"), raw.get("target"), finite_number(raw.get("fraction"))
        if isinstance(src, str) and isinstance(tgt, str) and frac is not None:
            action = BlockEdge(source=src, target=tgt, fraction=frac)
    elif kind == "iron_target_factor":
        factor = finite_number(raw.get("factor"))
        if factor is not None:
            action = IronTargetFactor(factor=factor)
    elif kind == "estrogen_floor":
        pct = finite_number(raw.get("percent"))
        if pct is not None:
            action = EstrogenFloor(percent=pct)
    else:
        report(ln, f"treatment {shown(tid)}: unknown action kind {shown(kind)} (valid: {', '.join(ACTION_KINDS)})")
        return None
    if action is None:
        report(ln, f"treatment {shown(tid)}: action {shown(kind)} is missing a field or has a wrong type")
        return None
    if pathway is not None and pathway.nodes:
        msgs = action.problems(pathway)
        if msgs:
            for m in msgs:
                report(ln, f"treatment {shown(tid)}: {m}")
            return None
    return action


def parse_treatments(items: list, file: str, pathway: Pathway | None = None
                     ) -> tuple[dict[str, Treatment], list[Problem]]:
    problems: list[Problem] = []

    def report(line: int, msg: str) -> None:
        problems.append(Problem(file, line, msg))

    out: dict[str, Treatment] = {}
    seen: dict[str, int] = {}
    for raw in items:
        tid = _entry_id(raw, "treatment", seen, report)
        if tid is None:
            continue
        ln = line_of(raw)
        for key in ("name", "class", "mechanism"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                report(ln, f"treatment {shown(tid)}: no {shown(key)}")
        mechanism = str(raw.get("mechanism", "")).strip()
        if "\n" in mechanism:
            report(ln, f"treatment {shown(tid)}: 'mechanism' must be one line")
        cite = str_list(raw.get("cite"))
        if not cite:
            report(ln, f"treatment {shown(tid)}: no citation ('cite' is empty)")
            cite = cite or []
        page = raw.get("page", "")
        if page and (not isinstance(page, str) or not _PAGE.match(page)):
            report(ln, f"treatment {shown(tid)}: 'page' must be node:<id> or topic:<id> (got {shown(page)})")
            page = ""
        elif page and page.startswith("node:") and pathway is not None and pathway.nodes \
                and not pathway.has_node(page[5:]):
            report(ln, f"treatment {shown(tid)}: page names unknown node {shown(page[5:])}")
        section = raw.get("section", "5")
        if isinstance(section, (int, float)) and not isinstance(section, bool):
            section = str(section)
        if not isinstance(section, str) or not _SECTION.match(section):
            report(ln, f"treatment {shown(tid)}: 'section' must be a section of the review such as \"5\" or "
                       f"\"5.1\" (got {shown(section)})")
            section = "5"
        raw_actions = raw.get("actions")
        if not isinstance(raw_actions, list) or not raw_actions:
            report(ln, f"treatment {shown(tid)}: no 'actions' list")
            continue
        actions = [_action(a, tid, pathway, report) for a in raw_actions]
        if any(a is None for a in actions):
            continue  # a treatment that would act only in part is left out, not half-applied
        out[tid] = Treatment(
            id=tid, name=str(raw.get("name", tid)), group=str(raw.get("group", "")),
            drug_class=str(raw.get("class", "")), mechanism=mechanism,
            actions=tuple(a for a in actions if a is not None), cite=tuple(cite),
            page=str(page or ""), section=section, line=ln,
        )
    return out, problems


def load_treatments(path: Path, pathway: Pathway | None = None, display_name: str | None = None
                    ) -> tuple[dict[str, Treatment], list[Problem]]:
    name = display_name or str(path)
    problems: list[Problem] = []
    items = _read(path, name, "treatments", problems)
    if items is None:
        return {}, problems
    out, more = parse_treatments(items, name, pathway)
    return out, problems + more


# --- scenarios --------------------------------------------------------------------------------

def _in_range(raw: dict, key: str, lo: float, hi: float, what: str, report: Report) -> float | None:
    try:
        return in_range(f"{what}: {shown(key)}", raw.get(key), lo, hi)
    except ValueError as exc:
        report(line_of(raw), str(exc))
        return None


def load_scenarios(path: Path, treatments: dict[str, Treatment] | None = None,
                   display_name: str | None = None) -> tuple[dict[str, Scenario], list[Problem]]:
    name = display_name or str(path)
    problems: list[Problem] = []

    def report(line: int, msg: str) -> None:
        problems.append(Problem(name, line, msg))

    items = _read(path, name, "scenarios", problems)
    if items is None:
        return {}, problems
    out: dict[str, Scenario] = {}
    seen: dict[str, int] = {}
    for raw in items:
        sid = _entry_id(raw, "scenario", seen, report)
        if sid is None:
            continue
        ln = line_of(raw)
        what = f"scenario {shown(sid)}"
        est = _in_range(raw, "estrogen", *ESTROGEN_RANGE, what, report)
        fer = _in_range(raw, "ferritin", *FERRITIN_RANGE, what, report)
        desc = raw.get("description")
        if not isinstance(desc, str) or not desc.strip():
            report(ln, f"{what}: no 'description'")
            desc = ""
        elif len(desc.strip().splitlines()) > 2:
            report(ln, f"{what}: 'description' should be at most two lines")
        tlist = str_list(raw.get("treatments"))
        if tlist is None:
            report(ln, f"{what}: 'treatments' must be a list of ids")
            tlist = []
        if treatments is not None:
            for t in tlist:
                if t not in treatments:
                    report(ln, f"{what}: unknown treatment {shown(t)} (valid: {shown_names(treatments, 10)})")
            tlist = [t for t in tlist if t in treatments]
        cite = str_list(raw.get("cite"))
        if not cite:
            report(ln, f"{what}: no citation ('cite' is empty)")
        role = raw.get("role", "") or ""
        if role and role not in SCENARIO_ROLES:
            report(ln, f"{what}: unknown role {shown(role)} (valid: {', '.join(SCENARIO_ROLES)})")
            role = ""
        elif role and scenario_with_role(out, role):
            report(ln, f"{what}: role {shown(role)} is already held by {shown(scenario_with_role(out, role))}")
            role = ""
        if est is None or fer is None:
            continue
        out[sid] = Scenario(
            id=sid, name=str(raw.get("name", sid)), estrogen=est, ferritin=fer,
            description=desc.strip(),
            treatments=tuple(tlist), cite=tuple(cite or ()), role=str(role), line=ln,
        )
    return out, problems


# --- claims -----------------------------------------------------------------------------------

def _run_spec(raw: Any, cid: str, needs: tuple[str, ...], report: Report) -> RunSpec | None:
    ln = line_of(raw)
    if not isinstance(raw, dict):
        report(ln, f"claim {shown(cid)}: a run must be a mapping")
        return None
    vals: dict[str, float | None] = {}
    for key, (lo, hi) in (("estrogen", ESTROGEN_RANGE), ("ferritin", FERRITIN_RANGE)):
        if key in raw:
            vals[key] = _in_range(raw, key, lo, hi, f"claim {shown(cid)}", report)
            if vals[key] is None:
                return None
        elif key in needs:
            report(ln, f"claim {shown(cid)}: a run needs {shown(key)}")
            return None
        else:
            vals[key] = None
    treatments = str_list(raw.get("treatments"))
    knockouts = str_list(raw.get("knockouts"))
    clamps_raw = raw.get("clamps") or {}
    if treatments is None or knockouts is None or not isinstance(clamps_raw, dict):
        report(ln, f"claim {shown(cid)}: treatments/knockouts must be lists of ids, clamps a mapping")
        return None
    clamps: dict[str, float] = {}
    for k, v in clamps_raw.items():
        f = finite_number(v)
        if f is None or not 0.0 <= f <= 1.0:
            report(ln, f"claim {shown(cid)}: clamp {shown(k)} must be in [0, 1] (got {shown(v)})")
            return None
        clamps[str(k)] = f
    return RunSpec(label=str(raw.get("label", "run")), estrogen=vals["estrogen"], ferritin=vals["ferritin"],
                   treatments=tuple(treatments), clamps=MappingProxyType(clamps),
                   knockouts=tuple(knockouts))


def load_claims(path: Path, display_name: str | None = None) -> tuple[tuple[Claim, ...], list[Problem]]:
    """Claims in file order. Names (nodes, treatments) are checked against a model by
    `check_claim_names`, since this file can be read without one."""
    name = display_name or str(path)
    problems: list[Problem] = []

    def report(line: int, msg: str) -> None:
        problems.append(Problem(name, line, msg))

    items = _read(path, name, "claims", problems)
    if items is None:
        return (), problems
    out: list[Claim] = []
    seen: dict[str, int] = {}
    for raw in items:
        cid = _entry_id(raw, "claim", seen, report)
        if cid is None:
            continue
        ln = line_of(raw)
        compare = raw.get("compare")
        if compare not in COMPARES:
            report(ln, f"claim {shown(cid)}: compare must be one of {', '.join(COMPARES)} (got {shown(compare)})")
            continue
        years = finite_number(raw.get("years", 10))
        if years is None or not 0 < years <= 100:
            report(ln, f"claim {shown(cid)}: 'years' must be a number in (0, 100]")
            continue
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip():
            report(ln, f"claim {shown(cid)}: no 'text'")
            continue
        cite = str_list(raw.get("cite"))
        if not cite:
            report(ln, f"claim {shown(cid)}: no citation ('cite' is empty)")
        sweep_param, sweep_values = "", ()
        if compare == "sweep":
            sw = raw.get("sweep")
            vals = sw.get("values") if isinstance(sw, dict) else None
            param = sw.get("param") if isinstance(sw, dict) else None
            nums = [finite_number(v) for v in vals] if isinstance(vals, list) else []
            if param not in ("estrogen", "ferritin") or len(nums) < 2 or any(v is None for v in nums):
                report(line_of(sw, ln), f"claim {shown(cid)}: 'sweep' needs param (estrogen or ferritin) "
                                        "and a list of at least two values")
                continue
            sweep_param, sweep_values = str(param), tuple(float(v) for v in nums if v is not None)
        needs = tuple(k for k in ("estrogen", "ferritin") if k != sweep_param)
        raw_runs = raw.get("runs")
        if not isinstance(raw_runs, list) or not raw_runs:
            report(ln, f"claim {shown(cid)}: no 'runs' list")
            continue
        runs = [_run_spec(r, cid, needs, report) for r in raw_runs]
        if any(r is None for r in runs):
            continue
        wanted = {"single": 1, "pair": 2}.get(str(compare))
        if wanted is not None and len(runs) != wanted:
            report(ln, f"claim {shown(cid)}: compare {shown(compare)} needs exactly {wanted} run(s)")
            continue
        expects: list[Expectation] = []
        raw_exp = raw.get("expect")
        if not isinstance(raw_exp, list) or not raw_exp:
            report(ln, f"claim {shown(cid)}: no 'expect' list")
            continue
        for e in raw_exp:
            eln = line_of(e, ln)
            if not isinstance(e, dict) or not isinstance(e.get("what"), str):
                report(eln, f"claim {shown(cid)}: an expectation needs 'what'")
                continue
            direction = e.get("direction")
            if direction not in DIRECTIONS:
                report(eln, f"claim {shown(cid)}: direction must be one of {', '.join(DIRECTIONS)} "
                            f"(got {shown(direction)})")
                continue
            margin = finite_number(e.get("margin", 0.0))
            around = finite_number(e.get("around", 0.0))
            if margin is None or margin < 0 or around is None:
                report(eln, f"claim {shown(cid)}: 'margin' must be a number >= 0 and 'around' a number")
                continue
            expects.append(Expectation(what=e["what"], direction=str(direction), margin=margin,
                                       around=around, of=str(e.get("of", "") or "")))
        if len(expects) != len(raw_exp):
            continue
        number = raw.get("number")
        out.append(Claim(
            id=cid, number=number if isinstance(number, int) else len(out) + 1, text=text.strip(),
            section=str(raw.get("section", "")), cite=tuple(cite or ()), years=years,
            compare=str(compare), runs=tuple(r for r in runs if r is not None), expect=tuple(expects),
            sweep_param=sweep_param, sweep_values=sweep_values, line=ln,
        ))
    return tuple(out), problems


def check_claim_names(claims: tuple[Claim, ...], model: Model, file: str) -> list[Problem]:
    """file:line problems for claims naming nodes, treatments or values the model lacks."""
    from app.model.claims import check_names

    return [Problem(file, c.line, msg) for c in claims for msg in check_names(c, model)]


# --- everything at once -----------------------------------------------------------------------

@dataclass(frozen=True)
class ModelContent:
    """The model and the data around it, as loaded from a content/ directory."""

    model: Model | None
    scenarios: dict[str, Scenario]
    claims: tuple[Claim, ...]
    problems: tuple[Problem, ...]
    calibration: tuple[Row, ...] = ()

    @property
    def treatments(self) -> dict[str, Treatment]:
        return dict(self.model.treatments) if self.model else {}


def load_model_content(root: Path, pathway: Pathway | None = None) -> ModelContent:
    """Load pathway (unless given), treatments, scenarios and claims; never raises on bad content.
    `model` is None only when the pathway lacks what the model needs (its message is in problems)."""
    from app.knowledge.problems import rel

    problems: list[Problem] = []
    if pathway is None:
        pfile = root / "pathway.yaml"
        pathway, probs = load_pathway(pfile, rel(pfile, root))
        problems += probs
    tfile, sfile, cfile = root / "treatments.yaml", root / "scenarios.yaml", root / "claims.yaml"
    treatments, probs = load_treatments(tfile, pathway, rel(tfile, root))
    problems += probs
    scenarios, probs = load_scenarios(sfile, treatments, rel(sfile, root))
    problems += probs
    claims, probs = load_claims(cfile, rel(cfile, root))
    problems += probs
    model: Model | None = None
    try:
        model = Model(pathway, treatments)
    except ValueError as exc:
        problems.append(Problem(rel(root / "pathway.yaml", root), 1, f"cannot build the model: {exc}"))
    if model is not None:
        problems += check_claim_names(claims, model, rel(cfile, root))
    kfile = root / "calibration.yaml"
    calibration, probs = load_calibration(kfile, rel(kfile, root), treatments=list(treatments),
                                          reference_keys=reference_keys(root))
    problems += probs
    return ModelContent(model=model, scenarios=scenarios, claims=claims, problems=tuple(sorted(set(problems))),
                        calibration=calibration)


def load_model(root: Path | None = None) -> Model:
    """The model from the app's content/ (or `root`); raises ValueError if it cannot be built."""
    from app.paths import content_dir

    mc = load_model_content(root or content_dir())
    if mc.model is None:
        raise ValueError(str(mc.problems[0]) if mc.problems else "cannot build the model")
    return mc.model
