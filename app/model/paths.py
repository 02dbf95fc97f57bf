"""Every simple signed path between two nodes of the pathway, with its net effect, strength and
whether the model can carry it now (knock-outs, cut links, held nodes); Qt-free."""

# A path's net sign is the product of its edge signs: an even number of inhibitions means "more of
# the source, more of the target". The enumeration is capped (path length and number of paths)
# because a lecturer's graph with many loops can hold millions of simple paths.

from __future__ import annotations

import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from itertools import islice

from app.model.pathway import Pathway

MAX_LEN = 10  # edges; every route from estrogen to bone mass in content/ has at most 10
MAX_PATHS = 300  # rows listed
MAX_ENUMERATED = 20000  # simple paths looked at before giving up (then the list says so)

OPEN, CUT, HELD = "open", "cut", "held"


@dataclass(frozen=True, kw_only=True)
class SignedPath:
    nodes: tuple[str, ...]
    signs: tuple[int, ...]  # one per edge: +1 activates, -1 inhibits
    strength: float  # product of the edge weights
    status: str = OPEN  # OPEN: the model carries it; CUT: a knock-out breaks it; HELD: a held node ignores it
    reason: str = ""  # why it is cut or held, in words

    @property
    def sign(self) -> int:
        """Net effect: +1 when the source raises the target along this path, -1 when it lowers it."""
        return -1 if sum(s < 0 for s in self.signs) % 2 else 1

    @property
    def length(self) -> int:
        return len(self.signs)

    @property
    def edges(self) -> tuple[tuple[str, str], ...]:
        return tuple(zip(self.nodes, self.nodes[1:], strict=False))

    @property
    def inhibitions(self) -> int:
        return sum(s < 0 for s in self.signs)


@dataclass(frozen=True, kw_only=True)
class PathList:
    source: str
    target: str
    paths: tuple[SignedPath, ...]  # open first, then shortest, then strongest
    found: int  # simple paths found within the caps (may exceed len(paths))
    complete: bool  # False: the enumeration stopped at MAX_ENUMERATED paths
    max_len: int
    max_paths: int

    @property
    def truncated(self) -> bool:
        return not self.complete or self.found > len(self.paths)

    def counts(self) -> dict[str, int]:
        """How many listed paths raise, lower, are cut or held."""
        out = {"raise": 0, "lower": 0, CUT: 0, HELD: 0}
        for p in self.paths:
            if p.status == OPEN:
                out["raise" if p.sign > 0 else "lower"] += 1
            else:
                out[p.status] += 1
        return out


def _status(pathway: Pathway, nodes: tuple[str, ...], knockouts: Collection[str],
            edge_knockouts: Collection[tuple[str, str]], held: Collection[str]) -> tuple[str, str]:
    label = lambda nid: pathway.node(nid).label  # noqa: E731
    for nid in nodes:
        if nid in knockouts:
            return CUT, f"{label(nid)} is knocked out"
    for u, v in zip(nodes, nodes[1:], strict=False):
        if (u, v) in edge_knockouts:
            return CUT, f"the link {label(u)} → {label(v)} is cut"
    for nid in nodes[1:]:
        if nid in held:
            node = pathway.node(nid)
            why = "is set by its slider" if node.is_input else "is clamped"
            return HELD, f"{node.label} {why}, so the model ignores what flows into it"
    return OPEN, ""


def signed_paths(
    pathway: Pathway,
    source: str,
    target: str,
    *,
    knockouts: Iterable[str] = (),
    edge_knockouts: Iterable[tuple[str, str]] = (),
    clamped: Iterable[str] = (),
    max_len: int = MAX_LEN,
    max_paths: int = MAX_PATHS,
    max_enumerated: int = MAX_ENUMERATED,
) -> PathList:
    """All simple paths source -> target of at most `max_len` edges (the first `max_paths` after
    sorting). Nodes that are inputs of the model (sliders) or `clamped` ignore their incoming
    edges, so a path entering one is HELD; one through a knocked-out node or cut link is CUT."""
    for nid in (source, target):
        if not pathway.has_node(nid):
            raise ValueError(f"unknown node {nid!r} (valid: {', '.join(pathway.node_ids)})")
    if max_len < 1 or max_paths < 1:
        raise ValueError(f"caps must be at least 1 (got max_len={max_len}, max_paths={max_paths})")
    import networkx as nx

    g = pathway.graph
    knocked = set(knockouts)
    cut = {tuple(e) for e in edge_knockouts}
    held = set(clamped) | {n.id for n in pathway.nodes if n.is_input}
    raw: list[list[str]] = []
    complete = True
    if source != target:
        gen = nx.all_simple_paths(g, source, target, cutoff=max_len)
        raw = list(islice(gen, max_enumerated))
        complete = len(raw) < max_enumerated or next(gen, None) is None
    out: list[SignedPath] = []
    for p in raw:
        nodes = tuple(p)
        data = [g.edges[u, v] for u, v in zip(nodes, nodes[1:], strict=False)]
        status, reason = _status(pathway, nodes, knocked, cut, held)  # type: ignore[arg-type]
        out.append(SignedPath(nodes=nodes, signs=tuple(int(d["sign"]) for d in data),
                              strength=math.prod(float(d["weight"]) for d in data),
                              status=status, reason=reason))
    order = {OPEN: 0, HELD: 1, CUT: 2}
    out.sort(key=lambda sp: (order[sp.status], sp.length, -sp.strength, sp.nodes))
    return PathList(source=source, target=target, paths=tuple(out[:max_paths]), found=len(out),
                    complete=complete, max_len=max_len, max_paths=max_paths)


def route_text(pathway: Pathway, path: SignedPath) -> str:
    """The route as labels joined by → (activates) and ⊣ (inhibits)."""
    parts = [pathway.node(path.nodes[0]).label]
    for s, nid in zip(path.signs, path.nodes[1:], strict=True):
        parts.append(("→ " if s > 0 else "⊣ ") + pathway.node(nid).label)
    return " ".join(parts)
