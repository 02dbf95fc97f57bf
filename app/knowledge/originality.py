"""Guards against copying: finds runs of N consecutive words shared with the review's text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from app.knowledge.limits import CONTENT_FILE_BYTES
from app.knowledge.problems import Problem, rel
from app.knowledge.userfile import UserFileError, read_user_text

RUN = 10  # DESIGN.md: no run of 10 or more consecutive words of the review
_WORD = re.compile(r"[a-z0-9]+")
# The review's text comes from a PDF: words broken at line ends by a hyphen are joined again.
_BROKEN = re.compile(r"[\u2010\u00ad-]\s*\n\s*")


def words(text: str) -> list[str]:
    return _WORD.findall(_BROKEN.sub("", text).lower())


def shingles(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}


def find_copies(files: Iterable[Path], source_text: str, root: Path, n: int = RUN) -> list[Problem]:
    """One Problem per file line where a run of `n` words of the source begins."""
    source = shingles(source_text, n)
    problems: list[Problem] = []
    for path in files:
        try:
            text = read_user_text(path, limit=CONTENT_FILE_BYTES, what="content file")
        except UserFileError:
            continue  # unreadable files are reported by the loaders
        # Map every word to its line so the message can point at it.
        line_of_word: list[int] = []
        for lineno, line in enumerate(text.split("\n"), start=1):
            line_of_word += [lineno] * len(_WORD.findall(line.lower()))
        w = _WORD.findall(text.lower())
        reported: set[int] = set()
        for i in range(len(w) - n + 1):
            if tuple(w[i : i + n]) in source:
                line = line_of_word[i] if i < len(line_of_word) else 1
                if line not in reported:
                    reported.add(line)
                    problems.append(Problem(rel(path, root), line,
                                            f"copies {n}+ consecutive words of the review: "
                                            f"\"{' '.join(w[i:i + n])}\" — rewrite it in your own words"))
    return problems


def content_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml", ".yml") and p.is_file()
                  and p.name != "README.md")
