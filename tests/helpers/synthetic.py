"""Synthetic pathways for scale tests: N nodes on a grid, tiled by compartments, about 2 edges per node."""

from __future__ import annotations

import math
import random
from pathlib import Path

import yaml

from app.knowledge.pathway_io import parse_pathway
from app.model.pathway import NODE_KINDS, Pathway

DX, DY = 170.0, 90.0  # grid spacing: wide enough for a label, like content/pathway.yaml
BLOCK = 8  # compartments are BLOCK x BLOCK cells of the grid
CITE = "synthetic2024"


def _layout(n: int) -> tuple[int, list[tuple[int, int]]]:
    cols = max(1, math.ceil(math.sqrt(n * DY / DX)))  # roughly square in scene units
    return cols, [(i % cols, i // cols) for i in range(n)]


def pathway_dict(n: int, *, seed: int = 0) -> dict:
    """The pathway as the plain data pathway.yaml holds (compartments, nodes, edges)."""
    rng = random.Random(seed)
    cols, cells = _layout(n)
    rows = cells[-1][1] + 1 if cells else 0
    compartments = []
    for by in range(0, rows, BLOCK):
        for bx in range(0, cols, BLOCK):
            compartments.append({
                "id": f"c{bx // BLOCK}_{by // BLOCK}",
                "label": f"Compartment {bx // BLOCK}.{by // BLOCK}",
                "rect": [bx * DX + 5, by * DY + 5, min(BLOCK, cols - bx) * DX - 10,
                         min(BLOCK, rows - by) * DY - 10],
                "colour": "#E2EEF7" if (bx + by) // BLOCK % 2 else "#F4ECD6",
            })
    index = {cell: i for i, cell in enumerate(cells)}
    nodes = []
    for i, (x, y) in enumerate(cells):
        nodes.append({
            "id": f"n{i}", "label": f"Node {i}", "name": f"Synthetic node {i}",
            "kind": NODE_KINDS[i % len(NODE_KINDS)],
            "compartment": f"c{x // BLOCK}_{y // BLOCK}",
            "pos": [x * DX + DX / 2, y * DY + DY / 2], "basal": 0.2, "input": i == 0,
        })
    edges, seen = [], set()
    for i, (x, y) in enumerate(cells):
        # One edge to a grid neighbour, one to a random node a few cells away: mostly local
        # wiring, as in a real mechanism diagram, with some edges crossing other nodes.
        near = index.get((x + 1, y)) if (x + y) % 2 else index.get((x, y + 1))
        far = None
        for _ in range(20):  # retry off-grid picks so every node gets its second edge
            far = index.get((x + rng.randint(-3, 3), y + rng.randint(-3, 3)))
            if far is not None and far not in (i, near):
                break
        targets = [near, far]
        for j in targets:
            if j is None or j == i or (i, j) in seen:
                continue
            seen.add((i, j))
            edges.append({"source": f"n{i}", "target": f"n{j}", "sign": "+" if rng.random() < 0.6 else "-",
                          "weight": 0.5, "cite": [CITE], "section": "1", "evidence": "in_vitro"})
    return {"version": 1, "compartments": compartments, "nodes": nodes, "edges": edges}


def pathway_yaml(n: int, *, seed: int = 0) -> str:
    return yaml.safe_dump(pathway_dict(n, seed=seed), sort_keys=False, width=200)


def make_pathway(n: int, *, seed: int = 0) -> Pathway:
    """A valid Pathway of `n` nodes, read through the real parser (so lines are right too)."""
    pathway, problems = parse_pathway(pathway_yaml(n, seed=seed), "pathway.yaml")
    if problems:
        raise AssertionError(f"synthetic pathway is invalid: {problems[:3]}")
    return pathway


_PAGE = """---
title: {title}
references: [{cite}]
---
# {title}

## What it is
{words}

## What it does here
{words}

## Evidence
See [the source]({ref}).

## Related
- [{title}](node:{nid})
"""


def write_content(root: Path, n: int, *, seed: int = 0) -> Path:
    """A whole valid content tree of `n` nodes under `root`: pathway, node pages, references."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pathway.yaml").write_text(pathway_yaml(n, seed=seed), encoding="utf-8")
    (root / "references.yaml").write_text(yaml.safe_dump({"references": [
        {"key": CITE, "authors": "Synth A, Etic B", "year": 2024, "title": "A made-up source",
         "journal": "J Scale Tests"}]}), encoding="utf-8")
    nodes = root / "nodes"
    nodes.mkdir(exist_ok=True)
    words = " ".join(["filler"] * 70)
    for i in range(n):
        nodes.joinpath(f"n{i}.md").write_text(
            _PAGE.format(title=f"Node {i}", cite=CITE, words=words, ref=f"ref:{CITE}", nid=f"n{i}"),
            encoding="utf-8")
    return root
