"""The weight of each section of the review, measured as the words of its running text, and the
share of the question bank each section should therefore hold (content/review_weights.yaml)."""

# Method (content/README.md repeats it): split the review's text at its numbered section headings
# ("1 Introduction", "2.1 Effect of ..."), drop the abstract before section 1, the Fig. 1 legend
# and Table 1 with its footnote (they interrupt the running text wherever the layout put them), and
# count the words left in each section. Section 3 has no text of its own before 3.1. The review's
# text is not part of IronBone, so the counts are measured once and kept in
# content/review_weights.yaml; `python -m app.knowledge.weights REVIEW.txt` measures them again.

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from app.knowledge.content import Content, _load_yaml_file
from app.knowledge.pages import Page
from app.knowledge.problems import Problem, rel
from app.knowledge.yamlio import line_of
from app.model.numbers import shown

_HEADING = re.compile(r"^\s*(\d(?:\.\d)?)\s+[A-Z][a-z]")
_WORD = re.compile(r"[^\W_]+(?:[-‐'’][^\W_]+)*", re.UNICODE)
_BROKEN = re.compile(r"[\u2010\u00ad-]\s*\n\s*")  # a word hyphenated at a line end (PDF layout)
_GROUPS = ("3",)  # headings with no text of their own (section 3 opens straight into 3.1)
# Bank shares may differ from review shares by this many percentage points.
TOLERANCE_PP = 2.0

NOT_REVIEW = ("overview", "help", "model")  # topic sections that are not sections of the review


def section_key(section: str) -> tuple:
    """Sort key for section numbers: "2" < "2.1" < "2.2" < "3.1" < "10"."""
    return tuple(int(p) if p.isdigit() else p for p in section.split("."))


def section_pages(content: Content) -> dict[str, Page]:
    """Review section -> its topic page, in the review's order."""
    pages = {p.section: p for p in content.topic_pages.values() if p.section and p.section not in NOT_REVIEW}
    return {s: pages[s] for s in sorted(pages, key=section_key)}


def review_sections(content: Content) -> tuple[str, ...]:
    return tuple(section_pages(content))


def _skip_spans(lines: list[str]) -> set[int]:
    """Lines of the figure legend and of the table (with its footnote)."""
    skip: set[int] = set()
    i = 0
    while i < len(lines):
        line = lines[i].strip()
        if line.startswith("Fig. 1"):
            j = i
            while j < len(lines) and not lines[j].rstrip().endswith("factor 6."):
                j += 1
            skip.update(range(i, j + 1))
            i = j + 1
            continue
        if line.startswith("Table 1"):
            j = i
            while j < len(lines) and not lines[j].rstrip().endswith("growth factor-1."):
                j += 1
            skip.update(range(i, j + 1))
            i = j + 1
            continue
        i += 1
    return skip


def section_words(review_text: str, sections: Iterable[str]) -> dict[str, int]:
    """Words of running text per section (see the method above); a section missing from the text
    counts 0."""
    wanted = list(sections)
    lines = review_text.splitlines()
    skip = _skip_spans(lines)
    counts = dict.fromkeys(wanted, 0)
    current: str | None = None
    buffer: list[str] = []

    def flush() -> None:
        if current in counts:
            counts[current] += len(_WORD.findall(_BROKEN.sub("", "\n".join(buffer))))
        buffer.clear()

    in_heading = False
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m and m.group(1) in [*wanted, *_GROUPS] and m.group(1) != current:
            flush()
            current, in_heading = m.group(1), True
            continue
        if in_heading:  # a heading runs on to the first blank line; its words are a title, not text
            in_heading = bool(line.strip())
            continue
        if i in skip or current is None:
            continue
        buffer.append(line)
    flush()
    return counts


@dataclass(frozen=True)
class ReviewWeights:
    words: Mapping[str, int]  # section -> words of running text
    lines: Mapping[str, int]  # section -> line in the file, for messages
    file: str = ""

    def shares(self) -> dict[str, float]:
        total = sum(self.words.values())
        return {s: (w / total if total else 0.0) for s, w in self.words.items()}


def load_weights(root: Path, sections: Iterable[str] | None = None) -> tuple[ReviewWeights | None, list[Problem]]:
    """content/review_weights.yaml (`sections: {"1": words, ...}`); (None, []) if it is absent."""
    path = root / "review_weights.yaml"
    name = rel(path, root)
    problems: list[Problem] = []
    data = _load_yaml_file(path, name, problems)
    if data is None:
        return None, problems
    raw = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(raw, dict):
        problems.append(Problem(name, 1, "expected a mapping with 'sections' (section number -> words)"))
        return None, problems
    known = list(sections) if sections is not None else None
    lines = _key_lines(path)
    words: dict[str, int] = {}
    for key, value in raw.items():
        section = str(key)
        at = lines.get(section, line_of(raw))
        if known is not None and section not in known:
            problems.append(Problem(name, at, f"unknown section {shown(section)}"))
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(Problem(name, at, f"section {shown(section)}: words must be a whole number "
                                              f"(got {shown(value)})"))
            continue
        words[section] = value
    if known is not None:
        for section in known:
            if section not in words and section not in {str(k) for k in raw}:
                problems.append(Problem(name, line_of(raw), f"section {shown(section)} has no word count"))
    return ReviewWeights(words=words, lines={s: lines.get(s, line_of(raw)) for s in words}, file=name), problems


def _key_lines(path: Path) -> dict[str, int]:
    """The line of each `"section": words` entry (plain text: a flow or block mapping alike)."""
    out: dict[str, int] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return out
    for i, line in enumerate(text.splitlines(), start=1):
        for m in re.finditer(r"[\"']?(\d(?:\.\d)?)[\"']?\s*:\s*\S", line):
            out.setdefault(m.group(1), i)
    return out


def main(argv: list[str] | None = None) -> int:
    """Print the sections' word counts of a review text as YAML, for content/review_weights.yaml."""
    from app.knowledge.content import load_content
    from app.paths import content_dir

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m app.knowledge.weights REVIEW.txt", file=sys.stderr)
        return 2
    sections = review_sections(load_content(content_dir()))
    counts = section_words(Path(args[0]).read_text(encoding="utf-8"), sections)
    print("sections:")
    for s, n in counts.items():
        print(f'  "{s}": {n}')
    return 0


if __name__ == "__main__":
    sys.exit(main())
