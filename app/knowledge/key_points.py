"""The "key points" block that ends every topic page: a short bulleted list a student can revise
from, shared by the renderer (a distinct box), check-content (its shape and place) and the study
notes (which print it).

```
::: key-points
- Bone mass changes only when formation and resorption drift apart.
- Iron restrains osteoblasts and helps osteoclasts ([Cai et al., 2023](ref:cai2023)).
- ...
:::
```
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.knowledge.blocks import not_closed, scan

NAME = "key-points"
TITLE = "Key points"
BULLETS = (3, 6)  # a revision list, not a second page
# Topic pages whose `section` is one of these are the app's own guides, not sections of the
# review: they need no key points (see content/README.md).
EXEMPT_SECTIONS = ("help", "model")

_BULLET_RE = re.compile(r"^\s{0,3}[-*+]\s+(.*)$")


@dataclass(frozen=True)
class KeyPoints:
    line: int  # 0-based line of the opening fence within the text
    bullets: tuple[str, ...]  # each bullet's markdown, continuation lines joined
    closed: bool = True

    def markdown(self) -> str:
        """The bullets as a markdown list (for the study notes)."""
        return "\n".join(f"- {b}" for b in self.bullets)


def _bullets(body: tuple[str, ...]) -> tuple[list[str], list[tuple[int, str]]]:
    """The bullets of a block's body and the problems found, as (index into body, message)."""
    bullets: list[list[str]] = []
    problems: list[tuple[int, str]] = []
    for i, line in enumerate(body):
        m = _BULLET_RE.match(line)
        if m:
            bullets.append([m.group(1).strip()])
        elif not line.strip():
            continue
        elif bullets and line.startswith((" ", "\t")):
            bullets[-1].append(line.strip())
        else:
            problems.append((i, f"{NAME} holds a bulleted list only: start each point with '- ' "
                                f"(got {line.strip()[:40]!r})"))
    return [" ".join(parts).strip() for parts in bullets], problems


def parse_key_points(text: str) -> tuple[list[KeyPoints], list[tuple[int, str]]]:
    """Every key-points block in a markdown text and the problems of their shape, as (0-based
    line, message): closed, 3-6 bullets, nothing but bullets. Unknown block names are left to
    app.knowledge.review_note.parse_notes, so they are reported once."""
    blocks, _ = scan(text)
    found: list[KeyPoints] = []
    problems: list[tuple[int, str]] = []
    for block in blocks:
        if block.name != NAME:
            continue
        if not block.closed:
            problems.append((block.start, not_closed(NAME)))
        bullets, body_problems = _bullets(block.body)
        problems += [(block.start + 1 + k, msg) for k, msg in body_problems]
        lo, hi = BULLETS
        if not lo <= len(bullets) <= hi:
            problems.append((block.start, f"{NAME} has {len(bullets)} point(s); write {lo}-{hi}"))
        if any(not b for b in bullets):
            problems.append((block.start, f"{NAME} has an empty point"))
        found.append(KeyPoints(line=block.start, bullets=tuple(bullets), closed=block.closed))
    return found, problems


def needs_key_points(section: str) -> bool:
    """Whether a topic page of this `section` must end in key points."""
    return section not in EXEMPT_SECTIONS


def check_topic_page(text: str, section: str) -> list[tuple[int, str]]:
    """Problems of a topic page's key points, as (0-based line, message): the block's shape, and
    for a review page exactly one block, placed last (only blank lines may follow it)."""
    found, problems = parse_key_points(text)
    if not needs_key_points(section):
        return problems
    lines = text.splitlines()
    if not found:
        end = max(len(lines) - 1, 0)
        problems.append((end, f"the page does not end in '::: {NAME}': every topic page needs "
                              f"{BULLETS[0]}-{BULLETS[1]} key points at its end (only the app's guides, "
                              f"section {' or '.join(EXEMPT_SECTIONS)}, are exempt)"))
        return problems
    if len(found) > 1:
        problems.append((found[1].line, f"the page has {len(found)} {NAME} blocks; keep one, at the end"))
    last = found[-1]
    closing = _closing_line(lines, last)
    if any(line.strip() for line in lines[closing + 1 :]):
        problems.append((last.line, f"'::: {NAME}' must be the last thing on the page"))
    return problems


def _closing_line(lines: list[str], kp: KeyPoints) -> int:
    """The 0-based line of the block's closing fence (its last body line if unclosed)."""
    blocks, _ = scan("\n".join(lines))
    block = next(b for b in blocks if b.start == kp.line)
    return block.end if block.closed else block.end - 1


def key_points_of(text: str) -> KeyPoints | None:
    """The (last) key points of a page's markdown, or None."""
    found, _ = parse_key_points(text)
    return found[-1] if found else None
