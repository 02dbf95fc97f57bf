"""The "why" trace: the strongest signed paths from what changed (a slider, a treatment, a clamp)
to bone mass, with the direction of every step taken from the model's own state changes."""

from __future__ import annotations

import math
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from app.model.simulation import Inputs, Model
from app.model.treatments import BlockEdge

MAX_LEN = 8  # edges: long enough for estrogen -> ... -> bone mass, short enough to read
MIN_CHANGE = 1e-4  # a node that moved less than this did not carry the signal
_ARROW = " → "
_PATHS: weakref.WeakKeyDictionary[Model, dict[tuple[str, str, int], list[list[str]]]] = (
    weakref.WeakKeyDictionary())


@dataclass(frozen=True, kw_only=True)
class WhyPath:
    nodes: tuple[str, ...]
    directions: tuple[int, ...]  # +1 up, -1 down, one per node
    score: float  # product of edge weights x geometric mean of the nodes' changes
    sentence: str

    @property
    def edges(self) -> tuple[tuple[str, str], ...]:
        return tuple(zip(self.nodes, self.nodes[1:], strict=False))


@dataclass(frozen=True, kw_only=True)
class WhyTrace:
    cause: str  # what changed, e.g. "estrogen 100 % → 10 %"
    sources: tuple[str, ...]  # nodes where the change enters the graph
    paths: tuple[WhyPath, ...]  # strongest first
    deltas: Mapping[str, float]  # settled change of every node (bone_mass: direction of balance)
    sentence: str  # the strongest path spelled out, or why there is none

    @property
    def edges(self) -> frozenset[tuple[str, str]]:
        """Every edge on the shown paths, for lighting them on the diagram."""
        return frozenset(e for p in self.paths for e in p.edges)


def _simple_paths(model: Model, source: str, target: str, max_len: int) -> list[list[str]]:
    cache = _PATHS.setdefault(model, {})
    key = (source, target, max_len)
    if key not in cache:
        import networkx as nx

        g = model.pathway.graph
        cache[key] = ([] if source == target or source not in g or target not in g
                      else [list(p) for p in nx.all_simple_paths(g, source, target, cutoff=max_len)])
    return cache[key]


def settled_deltas(model: Model, before: Inputs, after: Inputs) -> dict[str, float]:
    """Change of every node once signalling has settled. The bone-mass node gets the change of
    the long-run bone balance (its sign is where bone mass heads); fracture risk the opposite."""
    x0 = model.steady_signalling(before)
    x1 = model.steady_signalling(after)
    d = {nid: float(x1[i] - x0[i]) for i, nid in enumerate(model.node_ids)}
    db = model.long_run_balance(x1) - model.long_run_balance(x0)
    d[model.roles["bone_mass"]] = db
    d[model.roles["fracture_risk"]] = -db
    return d


def _sources(model: Model, before: Inputs, after: Inputs) -> tuple[list[str], list[str]]:
    """(nodes where the change enters, words for what changed)."""
    nodes: list[str] = []
    words: list[str] = []
    if before.estrogen != after.estrogen:
        nodes.append(model.roles["estrogen_input"])
        words.append(f"estrogen {before.estrogen:g} % → {after.estrogen:g} %")
    if before.ferritin != after.ferritin:
        nodes.append(model.roles["iron_input"])
        words.append(f"ferritin {before.ferritin:g} → {after.ferritin:g} µg/L")
    for tid in (*before.treatments, *after.treatments):
        if (tid in before.treatments) != (tid in after.treatments):
            t = model.treatments[tid]
            nodes.extend(t.target_nodes(model.roles))
            # A drug that blocks a link acts on the link, not on its ends: say which (denosumab
            # binds RANKL, so RANKL -> RANK carries almost nothing and the trace starts at RANK).
            blocked = [f"{model.pathway.node(a.source).label} → {model.pathway.node(a.target).label} blocked"
                       for a in t.actions if isinstance(a, BlockEdge)]
            words.append(f"{t.name} {'started' if tid in after.treatments else 'stopped'}"
                         + (f" ({', '.join(blocked)})" if blocked else ""))
    for nid in set(before.clamps) | set(after.clamps) | set(before.knockouts) | set(after.knockouts):
        b = 0.0 if nid in before.knockouts else before.clamps.get(nid)
        a = 0.0 if nid in after.knockouts else after.clamps.get(nid)
        if a != b:
            nodes.append(nid)
            label = model.pathway.node(nid).label
            words.append(f"{label} released" if a is None else
                         f"{label} knocked out" if nid in after.knockouts else f"{label} held at {a:g}")
    for src, dst in sorted(set(before.edge_knockouts) ^ set(after.edge_knockouts)):
        nodes.append(dst)  # the change enters the graph at the head of the link
        cut = (src, dst) in after.edge_knockouts
        words.append(f"link {model.pathway.node(src).label} → {model.pathway.node(dst).label} "
                     f"{'cut' if cut else 'restored'}")
    return list(dict.fromkeys(nodes)), words


def label_in_sentence(model: Model, node_id: str) -> str:
    """A node's label as it reads inside a sentence: ordinary words lower-cased ("bone
    formation", "labile Fe²⁺"), names and acronyms kept ("FPN1", "ROS", "Runx2", "Bax")."""
    node = model.pathway.node(node_id)
    label = node.label
    if node.kind in ("hormone", "molecule", "cell", "process", "outcome") and label[1:2].islower():
        return label[0].lower() + label[1:]
    return label


def _sentence(model: Model, nodes: list[str], dirs: list[int]) -> str:
    parts = [f"{label_in_sentence(model, n)} {'up' if d > 0 else 'down'}" for n, d in zip(nodes, dirs, strict=True)]
    return _upper_first(_ARROW.join(parts))


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def explain(
    model: Model,
    before: Inputs,
    after: Inputs,
    *,
    target: str | None = None,
    max_paths: int = 3,
    max_len: int = MAX_LEN,
) -> WhyTrace:
    """Why bone mass moves when the inputs go from `before` to `after`.

    Every simple path (at most `max_len` edges) from a changed node to `target` is kept only if
    each of its arrows agrees with the computed changes: the head moved in the direction the
    tail's change and the edge's sign predict. Paths are ranked by the product of their edge
    weights times the geometric mean of the changes along them (strong, short, moving paths).
    `target` defaults to the bone-mass node."""
    target = target or model.roles["bone_mass"]
    model.validate(before)
    model.validate(after)
    sources, words = _sources(model, before, after)
    cause = "; ".join(words) if words else "nothing changed"
    deltas = settled_deltas(model, before, after)
    frozen = MappingProxyType(deltas)
    if not sources:
        return WhyTrace(cause=cause, sources=(), paths=(), deltas=frozen, sentence="Nothing changed.")
    if abs(deltas[target]) < MIN_CHANGE:
        return WhyTrace(cause=cause, sources=tuple(sources), paths=(), deltas=frozen,
                        sentence=f"This change does not reach {label_in_sentence(model, target)}.")
    g = model.pathway.graph
    found: list[WhyPath] = []
    for src in sources:
        for path in _simple_paths(model, src, target, max_len):
            d = [deltas[n] for n in path]
            if any(abs(v) < MIN_CHANGE for v in d):
                continue
            ok, weight = True, 1.0
            for (u, v), du, dv in zip(zip(path, path[1:], strict=False), d, d[1:], strict=False):
                data = g.edges[u, v]
                if ((du > 0) == (dv > 0)) != (data["sign"] > 0):
                    ok = False
                    break
                weight *= data["weight"]
            if not ok:
                continue
            gmean = math.exp(sum(math.log(abs(v)) for v in d) / len(d))
            dirs = [1 if v > 0 else -1 for v in d]
            found.append(WhyPath(nodes=tuple(path), directions=tuple(dirs), score=weight * gmean,
                                 sentence=_sentence(model, path, dirs)))
    found.sort(key=lambda p: (-p.score, len(p.nodes), p.nodes))
    # Prefer variety: the strongest path through each first step (estrogen acts on osteoclasts,
    # NF-κB, ROS, hepcidin... at once), then the next strongest of the rest.
    first_steps: set[tuple[str, str]] = set()
    chosen: list[WhyPath] = []
    for p in found:
        if len(chosen) < max_paths and p.nodes[:2] not in first_steps:
            chosen.append(p)
            first_steps.add(p.nodes[:2])
    chosen += [p for p in found if p not in chosen][: max_paths - len(chosen)]
    best = tuple(sorted(chosen, key=lambda p: -p.score))
    if best:
        sentence = best[0].sentence
    else:
        sentence = (f"{_upper_first(label_in_sentence(model, target))} "
                    f"{'rises' if deltas[target] > 0 else 'falls'}, but no chain of at most "
                    f"{max_len} steps from the change explains it arrow by arrow.")
    return WhyTrace(cause=cause, sources=tuple(sources), paths=best, deltas=frozen, sentence=sentence)
