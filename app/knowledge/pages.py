"""Markdown pages with YAML front matter (content/nodes/*.md, content/topics/*.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.knowledge.problems import Problem, read_content
from app.knowledge.yamlio import YamlError, load_yaml

LINK_RE = re.compile(r"\]\(\s*([a-zA-Z][a-zA-Z0-9+.-]*):([^)\s]*)\s*\)")


@dataclass(frozen=True)
class Page:
    id: str
    kind: str  # "node" or "topic"
    title: str
    body: str
    file: str
    body_line: int  # 1-based line of the first body line in the file
    aliases: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()
    section: str = ""
    meta: dict = field(default_factory=dict, compare=False, repr=False)

    def links(self) -> list[tuple[str, str, int]]:
        """Every `[text](scheme:target)` link in the body as (scheme, target, file line)."""
        out = []
        for i, line in enumerate(self.body.splitlines()):
            for m in LINK_RE.finditer(line):
                out.append((m.group(1).lower(), m.group(2), self.body_line + i))
        return out


def _str_tuple(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    if isinstance(value, str) and value:
        return (value,)
    return ()


def parse_page(text: str, *, page_id: str, kind: str, file: str) -> tuple[Page | None, list[Problem]]:
    """Split and parse front matter; a page with broken front matter is returned as None."""
    problems: list[Problem] = []
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        problems.append(Problem(file, 1, "missing front matter: the file must start with '---'"))
        return None, problems
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if end is None:
        problems.append(Problem(file, 1, "front matter is not closed by a '---' line"))
        return None, problems
    try:
        meta = load_yaml("\n".join(lines[1:end]), line_offset=1, track_lines=False)
    except YamlError as exc:
        problems.append(Problem(file, exc.line, f"front matter: {exc}"))
        return None, problems
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        problems.append(Problem(file, 2, "front matter must be a mapping (key: value)"))
        return None, problems
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(Problem(file, 2, "front matter has no 'title'"))
        title = page_id
    body = "\n".join(lines[end + 1 :])
    page = Page(
        id=page_id,
        kind=kind,
        title=str(title),
        body=body,
        file=file,
        body_line=end + 2,
        aliases=_str_tuple(meta.get("aliases")),
        references=_str_tuple(meta.get("references")),
        related=_str_tuple(meta.get("related")),
        nodes=_str_tuple(meta.get("nodes")),
        section=str(meta.get("section", "")),
        meta=dict(meta),
    )
    return page, problems


def load_page(path: Path, *, kind: str, file: str) -> tuple[Page | None, list[Problem]]:
    problems: list[Problem] = []
    text = read_content(path, file, problems, missing="cannot read: no such file (a broken link?)")
    if text is None:
        return None, problems
    return parse_page(text, page_id=path.stem, kind=kind, file=file)
