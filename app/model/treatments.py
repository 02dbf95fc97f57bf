"""Treatments of the review's Table 1 as data: each is a list of generic actions on the pathway graph."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.model.numbers import shown, shown_names
from app.model.units import ESTROGEN_RANGE

if TYPE_CHECKING:
    from app.model.pathway import Pathway

Roles = Mapping[str, str]  # role -> node id (Pathway.roles)

# The generic action kinds (content/treatments.yaml spells them this way). A treatment is data:
# a new drug needs a yaml entry, not code.
ACTION_KINDS = ("clamp", "add_input", "block_edge", "iron_target_factor", "estrogen_floor")


@dataclass(frozen=True, kw_only=True, slots=True)
class Clamp:
    """Hold a node's activity at `value` (0..1), whatever its inputs say."""

    node: str
    value: float
    kind: str = "clamp"

    def nodes_in(self, roles: Roles) -> tuple[str, ...]:
        return (self.node,)

    def problems(self, pathway: Pathway) -> list[str]:
        out = [] if pathway.has_node(self.node) else [f"clamp: unknown node {shown(self.node)}"]
        if not _unit(self.value):
            out.append(f"clamp {shown_names(self.node)}: value must be in [0, 1] (got {shown(self.value)})")
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class AddInput:
    """An extra, constant input on a node: the drug acting like a fully active upstream node
    joined to it by an edge of this sign and weight (so it enters the node's fuzzy OR or its
    product of inhibitors exactly like a drawn edge would)."""

    node: str
    sign: int  # +1 activates, -1 inhibits
    weight: float
    kind: str = "add_input"

    def nodes_in(self, roles: Roles) -> tuple[str, ...]:
        return (self.node,)

    def problems(self, pathway: Pathway) -> list[str]:
        out = [] if pathway.has_node(self.node) else [f"add_input: unknown node {shown(self.node)}"]
        if self.sign not in (1, -1):
            out.append(f"add_input {shown_names(self.node)}: sign must be '+' or '-' (got {shown(self.sign)})")
        if not _unit(self.weight):
            out.append(f"add_input {shown_names(self.node)}: weight must be in [0, 1] (got {shown(self.weight)})")
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class BlockEdge:
    """Scale an existing edge's weight by (1 - fraction): an antibody that keeps a ligand off its
    receptor (denosumab on RANKL -> RANK, review §5)."""

    source: str
    target: str
    fraction: float
    kind: str = "block_edge"

    def nodes_in(self, roles: Roles) -> tuple[str, ...]:
        return (self.target,)

    def problems(self, pathway: Pathway) -> list[str]:
        out = []
        if not any(e.source == self.source and e.target == self.target for e in pathway.edges):
            out.append(f"block_edge: there is no edge {shown_names(self.source)}->{shown_names(self.target)} "
                       "in the pathway")
        if not _unit(self.fraction):
            out.append(f"block_edge {shown_names(self.source)}->{shown_names(self.target)}: fraction must be in [0, 1] "
                       f"(got {shown(self.fraction)})")
        return out


@dataclass(frozen=True, kw_only=True, slots=True)
class IronTargetFactor:
    """Multiply the level the body's iron store drifts towards (hepcidin therapy, chelation)."""

    factor: float
    kind: str = "iron_target_factor"
    role: str = "iron_input"  # the node this action enters through (pathway.yaml `role:`)

    def nodes_in(self, roles: Roles) -> tuple[str, ...]:
        return (roles[self.role],) if self.role in roles else ()

    def problems(self, pathway: Pathway) -> list[str]:
        ok = _finite(self.factor) and 0.0 < self.factor <= 10.0
        out = [] if ok else [f"iron_target_factor must be in (0, 10] (got {shown(self.factor)})"]
        return out + _role_problems(pathway, self.role, self.kind)


@dataclass(frozen=True, kw_only=True, slots=True)
class EstrogenFloor:
    """Estrogen-receptor signalling at least this many percent of the premenopausal level:
    replacement (estradiol) or an agonist at the receptor (raloxifene, phyto-estrogens)."""

    percent: float
    kind: str = "estrogen_floor"
    role: str = "estrogen_input"

    def nodes_in(self, roles: Roles) -> tuple[str, ...]:
        return (roles[self.role],) if self.role in roles else ()

    def problems(self, pathway: Pathway) -> list[str]:
        lo, hi = ESTROGEN_RANGE
        ok = _finite(self.percent) and lo <= self.percent <= hi
        out = [] if ok else [f"estrogen_floor must be in [{lo:g}, {hi:g}] % (got {shown(self.percent)})"]
        return out + _role_problems(pathway, self.role, self.kind)


Action = Clamp | AddInput | BlockEdge | IronTargetFactor | EstrogenFloor


@dataclass(frozen=True, kw_only=True, slots=True)
class Treatment:
    """One therapy of Table 1: what it is, how it acts on the graph, and who says so."""

    id: str
    name: str
    group: str  # Table 1's first column: Western medicine / Chinese traditional medicine
    drug_class: str  # Table 1's therapy class (yaml key `class`)
    mechanism: str  # one line, our own words
    actions: tuple[Action, ...]
    cite: tuple[str, ...] = ()
    page: str = ""  # "node:<id>" or "topic:<id>" to open from the treatments panel
    section: str = "5"  # the review's section that discusses it (quizzes are filed under it)
    line: int = 0  # line in treatments.yaml, for messages

    def target_nodes(self, roles: Roles) -> tuple[str, ...]:
        """The nodes the treatment acts on first (where the "why" trace starts); `roles` is the
        pathway's role -> node id map, for actions that enter through an input."""
        return tuple(dict.fromkeys(n for a in self.actions for n in a.nodes_in(roles)))

    def problems(self, pathway: Pathway) -> list[str]:
        return [p for a in self.actions for p in a.problems(pathway)]


def _role_problems(pathway: Pathway, role: str, kind: str) -> list[str]:
    if not pathway.nodes or role in pathway.roles:
        return []
    return [f"{kind} acts through the node with role {role!r}, and no node in pathway.yaml has it"]


def _finite(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _unit(x: object) -> bool:
    return _finite(x) and 0.0 <= float(x) <= 1.0  # type: ignore[arg-type]
