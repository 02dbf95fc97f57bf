"""Markdown pages with YAML front matter (content/nodes/*.md, content/topics/*.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.knowledge.limits import ID_MAX_CHARS, PAGE_MAX_CHARS, TABLE_MAX_CELLS, TABLE_MAX_COLUMNS
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
        for i, line in enumerate(self.body.split("\n")):  # not splitlines(): U+2028 is no line to an editor
            for m in LINK_RE.finditer(line):
                out.append((m.group(1).lower(), m.group(2), self.body_line + i))
        return out


def _delimiter_columns(line: str) -> int:
    """The number of columns if `line` is a table's delimiter row (`|---|:--:|`), else 0. Written
    without a regular expression: a line may be 200,000 characters long."""
    cells = line.strip().strip("|").split("|")
    for cell in cells:
        dashes = cell.strip().removeprefix(":").removesuffix(":")
        if not dashes or dashes.strip("-"):
            return 0
    return len(cells)


def markdown_bounds(text: str, first_line: int, *, what: str = "page") -> list[tuple[int, str]]:
    """(file line, message) for what the rich-text panel cannot lay out promptly: a text over
    PAGE_MAX_CHARS, a table wider than TABLE_MAX_COLUMNS, more than TABLE_MAX_CELLS table cells in
    all (Qt needs about 0.2 ms a cell: 1,000 cells take 0.2 s, a 5000 x 200 table minutes).
    `first_line` is the file line of the text's first line."""
    out: list[tuple[int, str]] = []
    if len(text) > PAGE_MAX_CHARS:
        out.append((first_line, f"the {what} has {len(text):,} characters; at most {PAGE_MAX_CHARS:,} can be "
                                "shown promptly (split it)"))
    lines = text.split("\n")
    cells = 0
    i = 1
    while i < len(lines):
        cols = _delimiter_columns(lines[i]) if "|" in lines[i - 1] and "-" in lines[i] else 0
        if not cols:
            i += 1
            continue
        end = i + 1
        while end < len(lines) and lines[end].strip() and "|" in lines[end]:
            end += 1
        if cols > TABLE_MAX_COLUMNS:
            out.append((first_line + i - 1, f"a table of {cols:,} columns is too wide to show (at most "
                                            f"{TABLE_MAX_COLUMNS})"))
        before, cells = cells, cells + cols * (end - i)  # the header row and the body rows
        if cells > TABLE_MAX_CELLS >= before:
            out.append((first_line + i - 1, f"the {what}'s tables have {cells:,} cells up to here; at most "
                                            f"{TABLE_MAX_CELLS:,} can be shown promptly"))
        i = end + 1
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
    lines = text.split("\n")  # as an editor counts them (not splitlines(): U+2028...)
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
        problems.append(Problem(file, exc.line, f"front matter: {exc}", fatal=True))
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
    bounds = markdown_bounds(body, end + 2)
    if bounds:  # refused whole: the panel shows these problems instead of freezing on the page
        problems += [Problem(file, line, msg) for line, msg in bounds]
        return None, problems
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
    if len(path.stem) > ID_MAX_CHARS:  # the page id: a session could not name it
        return None, [Problem(file, 1, f"the file name is {len(path.stem)} characters long; a page id may have at "
                                       f"most {ID_MAX_CHARS}")]
    return parse_page(text, page_id=path.stem, kind=kind, file=file)
