"""The "review note": a block in a page that states what the review says and what is better
supported instead, shared by the renderer (a distinct box) and check-content (its shape).

```
::: review-note
review: What the review states, in our words, citing it ([Cai et al., 2023](ref:cai2023)).
better: What the wider literature supports, citing it ([Hunt et al., 2009](ref:hunt2009)).
:::
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.knowledge.blocks import not_closed, scan

NAME = "review-note"
FIELDS = ("review", "better")
LABELS = {"review": "The review states:", "better": "Better supported:"}
TITLE = "A correction to the review"
REVIEW_KEY = "cai2023"

FIELD_RE = re.compile(r"^\s*([A-Za-z]+):\s*(.*)$")
_REF_RE = re.compile(r"\]\(\s*ref:([^)\s]+)\s*\)", re.IGNORECASE)


@dataclass(frozen=True)
class ReviewNote:
    line: int  # 0-based index of the opening line within the text
    fields: tuple[tuple[str, str], ...]  # (name, text) in the order written

    def field(self, name: str) -> str:
        return next((text for n, text in self.fields if n == name), "")


def split_fields(lines: list[str]) -> tuple[list[tuple[str, str]], list[tuple[int, str]]]:
    """The `name: text` fields of a note's body lines (continuation lines join the field above)
    and the problems found, as (index into `lines`, message)."""
    fields: list[tuple[str, list[str]]] = []
    problems: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        m = FIELD_RE.match(line)
        if m and m.group(1).lower() in FIELDS:
            fields.append((m.group(1).lower(), [m.group(2)]))
        elif m and not fields:
            problems.append((i, f"unknown field {m.group(1)!r} in a {NAME} "
                                f"(fields: {', '.join(f + ':' for f in FIELDS)})"))
        elif fields:
            fields[-1][1].append(line)
        elif line.strip():
            problems.append((i, f"text before the first field of a {NAME}; start with 'review:'"))
    joined = [(name, " ".join(s.strip() for s in parts if s.strip())) for name, parts in fields]
    return joined, problems


def parse_notes(text: str) -> tuple[list[ReviewNote], list[tuple[int, str]]]:
    """Every review note in a markdown text and every problem of their shape, as (0-based line,
    message); an unknown `::: name` block is reported here too. A note must be closed, have
    exactly one `review:` and one `better:` field, each with text, and `better:` must cite at
    least one reference other than the review itself."""
    blocks, problems = scan(text)
    notes: list[ReviewNote] = []
    for block in blocks:
        if block.name != NAME:
            continue
        start = block.start
        if not block.closed:
            problems.append((start, not_closed(NAME)))
        fields, field_problems = split_fields(list(block.body))
        problems += [(start + 1 + k, msg) for k, msg in field_problems]
        names = [n for n, _ in fields]
        for name in FIELDS:
            if names.count(name) == 0:
                problems.append((start, f"{NAME} has no '{name}:' field (it needs both "
                                        f"'review:' and 'better:')"))
            elif names.count(name) > 1:
                problems.append((start, f"{NAME} has more than one '{name}:' field"))
        for name, body in fields:
            if not body:
                problems.append((start, f"{NAME} field '{name}:' is empty"))
        better = " ".join(body for n, body in fields if n == "better")
        if "better" in names and better:
            keys = [k.lower() for k in _REF_RE.findall(better)]
            if not [k for k in keys if k != REVIEW_KEY]:
                problems.append((start, f"{NAME} 'better:' cites no source other than the review; "
                                        f"cite it as [Author, year](ref:key)"))
        notes.append(ReviewNote(line=start, fields=tuple(fields)))
    return notes, sorted(problems)
