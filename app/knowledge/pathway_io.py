"""Reads content/pathway.yaml into an app.model Pathway, collecting every problem with its line."""

from __future__ import annotations

from pathlib import Path

from app.knowledge.limits import ID_MAX_CHARS
from app.knowledge.problems import Problem, read_content
from app.knowledge.yamlio import YamlError, finite_number, line_of, load_yaml
from app.model.numbers import shown
from app.model.pathway import (
    EVIDENCE_KINDS,
    NODE_KINDS,
    ROLES,
    Compartment,
    Edge,
    Node,
    Pathway,
)


def parse_pathway(text: str, file: str) -> tuple[Pathway, list[Problem]]:
    """Parse pathway YAML text. Bad entries are skipped and reported; never raises."""
    problems: list[Problem] = []

    def report(line: int, msg: str) -> None:
        problems.append(Problem(file, line, msg))

    try:
        data = load_yaml(text)
    except YamlError as exc:
        problems.append(Problem(file, exc.line, str(exc), fatal=True))
        return Pathway((), (), ()), problems
    if not isinstance(data, dict):
        report(1, "expected a mapping with 'compartments', 'nodes' and 'edges'")
        return Pathway((), (), ()), problems

    compartments: list[Compartment] = []
    comp_ids: set[str] = set()
    raw_comps = data.get("compartments") or []
    if not isinstance(raw_comps, list):
        report(line_of(data), f"'compartments' must be a list (got {shown(raw_comps)})")
        raw_comps = []
    for raw in raw_comps:
        ln = line_of(raw)
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
            report(ln, "compartment without an 'id'")
            continue
        rect = raw.get("rect")
        nums = [finite_number(v) for v in rect] if isinstance(rect, list) else []
        if len(nums) != 4 or any(v is None for v in nums) or nums[2] <= 0 or nums[3] <= 0:
            report(ln, f"compartment {shown(raw['id'])}: 'rect' must be [x, y, width, height]")
            continue
        if raw["id"] in comp_ids:
            report(ln, f"duplicate compartment id {shown(raw['id'])}")
            continue
        comp_ids.add(raw["id"])
        compartments.append(
            Compartment(
                id=raw["id"],
                label=str(raw.get("label", raw["id"])),
                rect=tuple(nums),  # type: ignore[arg-type]
                colour=str(raw.get("colour", "#EEEEEE")),
            )
        )

    nodes: list[Node] = []
    seen: dict[str, int] = {}
    role_seen: dict[str, tuple[str, int]] = {}
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list) or not raw_nodes:
        report(line_of(raw_nodes), "no 'nodes' list")
        raw_nodes = []
    for raw in raw_nodes:
        ln = line_of(raw)
        if not isinstance(raw, dict):
            report(ln, "a node must be a mapping")
            continue
        nid = raw.get("id")
        if not isinstance(nid, str) or not nid.isidentifier() or len(nid) > ID_MAX_CHARS:
            report(ln, f"node without a valid 'id' (got {shown(nid)})")
            continue
        if nid in seen:
            report(ln, f"duplicate node id {shown(nid)} (first on line {seen[nid]})")
            continue
        seen[nid] = ln
        kind = raw.get("kind", "protein")
        if kind not in NODE_KINDS:
            report(ln, f"node {shown(nid)}: unknown kind {shown(kind)} (valid: {', '.join(NODE_KINDS)})")
            kind = "protein"
        comp = raw.get("compartment", "")
        if not isinstance(comp, str):  # a list or mapping here is unhashable: report, don't crash
            report(ln, f"node {shown(nid)}: 'compartment' must be a compartment id")
            comp = ""
        elif comp_ids and comp not in comp_ids:
            report(ln, f"node {shown(nid)}: unknown compartment {shown(comp)}")
        pos = raw.get("pos")
        xy = [finite_number(v) for v in pos] if isinstance(pos, list) else []
        if len(xy) != 2 or any(v is None for v in xy):
            report(ln, f"node {shown(nid)}: 'pos' must be [x, y]")
            xy = [0.0, 0.0]
        basal = finite_number(raw.get("basal", 0.0))
        if basal is None or not 0.0 <= basal <= 1.0:
            report(ln, f"node {shown(nid)}: 'basal' must be a number in [0, 1]")
            basal = 0.0
        aliases = raw.get("aliases") or []
        if not isinstance(aliases, list):
            report(ln, f"node {shown(nid)}: 'aliases' must be a list")
            aliases = []
        role = raw.get("role", "") or ""
        if not isinstance(role, str) or (role and role not in ROLES):
            report(ln, f"node {shown(nid)}: unknown role {shown(role)} (valid: {', '.join(ROLES)})")
            role = ""
        elif role in role_seen:
            other, other_line = role_seen[role]
            report(ln, f"node {shown(nid)}: role {shown(role)} is already held by {shown(other)} (line {other_line})")
            role = ""
        elif role:
            role_seen[role] = (nid, ln)
        nodes.append(
            Node(
                id=nid,
                label=str(raw.get("label", nid)),
                name=str(raw.get("name", raw.get("label", nid))),
                kind=kind,
                compartment=str(comp),
                pos=(xy[0], xy[1]),  # type: ignore[arg-type]
                aliases=tuple(str(a) for a in aliases),
                abbreviation=str(raw.get("abbreviation", "")),
                is_input=bool(raw.get("input", False)),
                basal=basal,
                role=role,
                line=ln,
            )
        )

    edges: list[Edge] = []
    edge_seen: dict[tuple[str, str], int] = {}
    raw_edges = data.get("edges") or []
    if not isinstance(raw_edges, list):
        report(line_of(data), f"'edges' must be a list (got {shown(raw_edges)})")
        raw_edges = []
    for raw in raw_edges:
        ln = line_of(raw)
        if not isinstance(raw, dict):
            report(ln, "an edge must be a mapping")
            continue
        src, tgt = raw.get("source"), raw.get("target")
        # Messages name the edge by its ends; an end that is not id-like may be any YAML value (a
        # long list, a text with a newline), so it is shown shortened, never echoed.
        label = "->".join(v if isinstance(v, str) and v.isidentifier() and len(v) <= ID_MAX_CHARS
                          else shown(v) for v in (src, tgt))
        ok = True
        for end, val in (("source", src), ("target", tgt)):
            if not isinstance(val, str) or val not in seen:
                report(ln, f"edge {label}: {end} {shown(val)} is not a node")
                ok = False
        sign = raw.get("sign")
        if sign not in ("+", "-"):
            report(ln, f"edge {label}: 'sign' must be \"+\" or \"-\" (got {shown(sign)})")
            ok = False
        cite = raw.get("cite")
        if isinstance(cite, str):
            cite = [cite]
        if cite and not isinstance(cite, list):  # a number, a mapping: never a list of keys
            report(ln, f"edge {label}: 'cite' must be a reference key or a list of them (got {shown(cite)})")
            ok = False
        elif not cite or not all(isinstance(c, str) and c for c in cite):
            report(ln, f"edge {label}: no citation ('cite' is empty)")
            ok = False
        section = raw.get("section")
        if not section:
            report(ln, f"edge {label}: no review section")
        evidence = raw.get("evidence")
        if evidence not in EVIDENCE_KINDS:
            report(
                ln,
                f"edge {label}: evidence must be one of {', '.join(EVIDENCE_KINDS)} "
                f"(got {shown(evidence)})",
            )
        inference = raw.get("inference", False)
        if not isinstance(inference, bool):
            report(ln, f"edge {label}: 'inference' must be true or false (got {shown(inference)})")
            inference = False
        gate = raw.get("gate", False)
        if not isinstance(gate, bool) or (gate and sign != "+"):
            report(ln, f"edge {label}: 'gate' must be true or false, and only on a \"+\" edge "
                       f"(got {shown(gate)})")
            gate = False
        weight = finite_number(raw.get("weight", 0.5))
        if weight is None or not 0.0 <= weight <= 1.0:
            report(ln, f"edge {label}: 'weight' must be a number in [0, 1]")
            weight = 0.5
        if ok and (src, tgt) in edge_seen:
            report(ln, f"duplicate edge {src}->{tgt} (first on line {edge_seen[(src, tgt)]})")
            continue
        if not ok:
            continue
        edge_seen[(src, tgt)] = ln
        edges.append(
            Edge(
                source=src,
                target=tgt,
                sign=1 if sign == "+" else -1,
                weight=weight,
                cite=tuple(cite),
                section=str(section or ""),
                evidence=str(evidence or ""),
                note=str(raw.get("note", "")),
                inference=inference,
                gate=gate,
                line=ln,
            )
        )
    return Pathway(tuple(compartments), tuple(nodes), tuple(edges)), problems


def load_pathway(path: Path, display_name: str | None = None) -> tuple[Pathway, list[Problem]]:
    name = display_name or str(path)
    problems: list[Problem] = []
    text = read_content(path, name, problems)
    if text is None:
        return Pathway((), (), ()), problems
    return parse_pathway(text, name)
