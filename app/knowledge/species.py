"""Which animal a sentence says a cited study used, checked against the `species:` that
references.yaml records for that study (a rat study called a mouse study is a teaching error)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from app.model.numbers import shown

# Canonical values of `species:` in references.yaml. Only animals are looked for in text: words
# such as "women" stand next to animal and cell studies too often (as context, not as the subject
# of the study) for their presence to prove a slip.
SPECIES = ("human", "mouse", "rat", "zebrafish", "rabbit", "sheep", "pig", "dog")
_ANIMAL_WORDS = {
    "mouse": r"mouse|mice|murine",
    "rat": r"rats?",
    "zebrafish": r"zebrafish",
    "rabbit": r"rabbits?",
    "sheep": r"sheep|ovine",
    "pig": r"pigs?|porcine",
    "dog": r"dogs?|canine",
}
_ANIMAL_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _ANIMAL_WORDS.items()) + r")(?![\w-])",
    re.IGNORECASE,
)
_REF_RE = re.compile(r"\]\(\s*ref:([^)\s]+)\s*\)", re.IGNORECASE)
_LINK_TARGET_RE = re.compile(r"\]\([^)]*\)")
# A new item starts at a list marker, a table row or a heading; a sentence ends at . ! ? before a
# capital, a bracket or emphasis (so "et al., 2021" and "e.g. x" do not split).
_ITEM_RE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||#)")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[*_])")


@dataclass(frozen=True)
class Mismatch:
    line: int  # 0-based line of the sentence within the text
    key: str
    named: tuple[str, ...]  # species the sentence names
    recorded: tuple[str, ...]  # species references.yaml records for the key

    def message(self) -> str:
        return (f"the text here names {' / '.join(self.named)} next to a citation of {shown(self.key)}, "
                f"but references.yaml records that study's species as {' / '.join(self.recorded)}")


def named_species(text: str) -> tuple[str, ...]:
    """The animal species a piece of text names, link targets left out, in canonical form."""
    found = []
    for m in _ANIMAL_RE.finditer(_LINK_TARGET_RE.sub("]", text)):
        name = next(k for k, v in m.groupdict().items() if v)
        if name not in found:
            found.append(name)
    return tuple(found)


def _sentences(text: str) -> list[tuple[int, str]]:
    """(0-based first line, sentence) for every sentence of a markdown text."""
    items: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for i, line in enumerate(text.splitlines()):
        if not line.strip():
            current = None
        elif current is None or _ITEM_RE.match(line):
            current = [line]
            items.append((i, current))
        else:
            current.append(line)
    out: list[tuple[int, str]] = []
    for first, lines in items:
        joined = "\n".join(lines)
        pos = 0
        for part in _SENTENCE_END_RE.split(joined):
            start = joined.find(part, pos)
            out.append((first + joined.count("\n", 0, max(start, 0)), part))
            pos = max(start, 0) + len(part)
    return out


def mismatches_in(cites: Sequence[str], text: str, species: Mapping[str, Sequence[str]],
                  line: int = 0) -> list[Mismatch]:
    """A cited study whose recorded species is none of the animals the text names. Studies with
    no recorded species (reviews, unchecked entries) are not judged."""
    named = named_species(text)
    if not named:
        return []
    out = []
    for key in dict.fromkeys(cites):
        recorded = tuple(species.get(key, ()))
        if recorded and not set(recorded) & set(named):
            out.append(Mismatch(line, key, named, recorded))
    return out


def check_text(text: str, species: Mapping[str, Sequence[str]]) -> list[Mismatch]:
    """Species slips in a markdown text: every sentence that names an animal is compared with the
    studies it cites ([Author, year](ref:key))."""
    out: list[Mismatch] = []
    for line, sentence in _sentences(text):
        out += mismatches_in(_REF_RE.findall(sentence), sentence, species, line)
    return out


def species_field(value: object) -> tuple[tuple[str, ...], list[str]]:
    """The `species:` of one reference (a name or a list of names) and what is wrong with it."""
    if value is None or value == "":
        return (), []
    items: Iterable[object] = value if isinstance(value, list) else [value]
    good: list[str] = []
    bad: list[str] = []
    for item in items:
        name = str(item).strip().lower()
        (good if name in SPECIES else bad).append(name)
    problems = [f"unknown species {shown(b)} (valid: {', '.join(SPECIES)})" for b in bad]
    return tuple(dict.fromkeys(good)), problems


def reference_species(root: Path) -> dict[str, tuple[str, ...]] | None:
    """Every key of `root`/references.yaml with the species it records (() if none), or None when
    the file cannot be read (the references loader reports that)."""
    from app.knowledge.problems import read_content
    from app.knowledge.yamlio import YamlError, load_yaml

    text = read_content(root / "references.yaml", "references.yaml", [])
    if text is None:
        return None
    try:
        data = load_yaml(text, track_lines=False)
    except YamlError:
        return None
    items = data.get("references") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return None
    return {str(r["key"]): species_field(r.get("species"))[0]
            for r in items if isinstance(r, dict) and isinstance(r.get("key"), str)}



def reference_keys(root: Path) -> set[str] | None:
    """The keys of `root`/references.yaml, or None when it cannot be read (then keys go unchecked)."""
    refs = reference_species(root)
    return None if refs is None else set(refs)
