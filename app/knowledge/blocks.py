"""Fenced blocks in page markdown (`::: name` ... `:::`): which names exist and where each block
starts and ends, shared by the renderer and by check-content so the two never disagree."""

# Two kinds exist: `review-note` (app.knowledge.review_note: what the review states and what is
# better supported) and `key-points` (app.knowledge.key_points: the short list that ends a topic
# page). Each kind parses its own body; this module only finds the blocks.

from __future__ import annotations

import re
from dataclasses import dataclass

NAMES = ("review-note", "key-points")

OPEN_RE = re.compile(r"^ {0,3}:{3,}\s*([A-Za-z][\w-]*)\s*$")
CLOSE_RE = re.compile(r"^ {0,3}:{3,}\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a text; lines are 0-based indexes into the text's lines."""

    name: str
    start: int  # the `::: name` line
    end: int  # the closing `:::` line, or the line where the unclosed block stops
    closed: bool
    body: tuple[str, ...]  # the lines between the two fences


def scan(text: str) -> tuple[list[Block], list[tuple[int, str]]]:
    """Every block of a known name in `text`, and a problem (0-based line, message) for each
    opening fence of an unknown name. A block runs to its closing `:::`; one that meets another
    opening fence or the end of the text first is unclosed (`closed` is False)."""
    lines = text.splitlines()
    blocks: list[Block] = []
    problems: list[tuple[int, str]] = []
    i = 0
    while i < len(lines):
        m = OPEN_RE.match(lines[i])
        if not m:
            i += 1
            continue
        name = m.group(1)
        if name not in NAMES:
            known = " or ".join(f"'::: {n}'" for n in NAMES)
            problems.append((i, f"unknown block '::: {name}' (known blocks: {known})"))
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not CLOSE_RE.match(lines[j]) and not OPEN_RE.match(lines[j]):
            j += 1
        closed = j < len(lines) and bool(CLOSE_RE.match(lines[j]))
        blocks.append(Block(name=name, start=i, end=j, closed=closed, body=tuple(lines[i + 1 : j])))
        i = j + 1 if closed else j
    return blocks, problems


def not_closed(name: str) -> str:
    return f"'::: {name}' is not closed by a ':::' line"
