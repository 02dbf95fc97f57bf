"""The signed mechanism graph of the review's Fig. 1 as frozen dataclasses plus a networkx view."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # networkx is imported lazily: it is not needed for the first paint
    import networkx as nx

NODE_KINDS = ("hormone", "protein", "receptor", "molecule", "cell", "process", "outcome")
# Kinds of evidence behind an edge: a study in people, in animals, in cells, or only a review's
# statement (a scheme, a textbook fact, a claim we could not trace to a primary study).
EVIDENCE_KINDS = ("clinical", "animal", "in_vitro", "review")
SIGNS = ("+", "-")
# What a node does for the model (pathway.yaml `role:`): code asks the pathway for the node with a
# role instead of naming ids. Each role is held by at most one node.
ROLES = {
    "estrogen_input": "the estrogen slider (percent of the premenopausal level)",
    "iron_input": "the serum-ferritin slider (the body's iron store)",
    "formation": "the bone-formation drive handed to the osteoblasts of the slow layer",
    "resorption": "the bone-resorption drive handed to the osteoclasts of the slow layer",
    "osteoclasts": "the osteoclasts whose signals recruit osteoblasts (coupling)",
    "bone_mass": "bone mass, owned by the slow layer",
    "fracture_risk": "the fracture-risk index, owned by the slow layer",
}


@dataclass(frozen=True, slots=True)
class Compartment:
    id: str
    label: str
    rect: tuple[float, float, float, float]
    colour: str = "#EEEEEE"


@dataclass(frozen=True, slots=True)
class Node:
    id: str
    label: str
    name: str
    kind: str
    compartment: str
    pos: tuple[float, float]
    aliases: tuple[str, ...] = ()
    abbreviation: str = ""
    is_input: bool = False
    basal: float = 0.0
    role: str = ""  # one of ROLES, or "" for an ordinary node
    line: int = 0  # line in pathway.yaml, for messages


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    sign: int  # +1 activates, -1 inhibits
    weight: float
    cite: tuple[str, ...]
    section: str
    evidence: str
    note: str = ""
    inference: bool = False  # the sign is an inference (the review's or ours), not a finding
    gate: bool = False  # the target needs this input (an "and"): without it the target falls
    line: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.target)


@dataclass(frozen=True)
class Pathway:
    compartments: tuple[Compartment, ...]
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    _index: dict[str, Node] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index.update({n.id: n for n in self.nodes})

    def node(self, node_id: str) -> Node:
        try:
            return self._index[node_id]
        except KeyError:
            raise KeyError(f"unknown node id {node_id!r}") from None

    def has_node(self, node_id: str) -> bool:
        return node_id in self._index

    @property
    def node_ids(self) -> tuple[str, ...]:
        return tuple(n.id for n in self.nodes)

    @property
    def roles(self) -> dict[str, str]:
        """role -> node id, for the nodes that have a role."""
        return {n.role: n.id for n in self.nodes if n.role}

    def role_node(self, role: str) -> str:
        """The id of the node holding `role`; KeyError naming the role if no node holds it."""
        for n in self.nodes:
            if n.role == role:
                return n.id
        raise KeyError(f"no node has role {role!r} (set `role: {role}` on one node in pathway.yaml)")

    @cached_property
    def graph(self) -> nx.DiGraph:
        """A directed graph; node data holds the Node, edge data the Edge and its sign."""
        import networkx as nx

        g = nx.DiGraph()
        for n in self.nodes:
            g.add_node(n.id, node=n)
        for e in self.edges:
            if e.source in self._index and e.target in self._index:
                g.add_edge(e.source, e.target, edge=e, sign=e.sign, weight=e.weight)
        return g

    def neighbours(self, node_id: str) -> set[str]:
        g = self.graph
        if node_id not in g:
            return set()
        return set(g.predecessors(node_id)) | set(g.successors(node_id))

    def edges_of(self, node_id: str) -> list[Edge]:
        return [e for e in self.edges if node_id in (e.source, e.target)]
