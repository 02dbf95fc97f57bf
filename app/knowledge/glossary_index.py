"""The glossary as a browsable index: terms grouped A-Z for a jump bar, and a filter over term,
aliases, expansion and meaning that forgives case, accents, hyphens and Greek letters. No Qt."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from string import ascii_uppercase

from app.knowledge.content import GlossaryTerm
from app.knowledge.search import fold

OTHER = "#"  # the group of terms that do not start with a letter A-Z


def group_letter(term: str) -> str:
    """The A-Z group of a term: its first letter, ignoring leading signs; Greek letters go under
    their Latin name's initial (β-catenin under B), digits and the rest under OTHER."""
    folded = fold(term)
    for ch in folded:
        if ch.isalpha() and ch.upper() in ascii_uppercase:
            return ch.upper()
        if ch.isalnum():
            return OTHER
    return OTHER


def _sort_key(term: GlossaryTerm) -> tuple[str, str]:
    return (fold(term.term), term.term)


@dataclass(frozen=True)
class Group:
    letter: str
    terms: tuple[GlossaryTerm, ...]


class GlossaryIndex:
    """The glossary's terms, sorted as a reader expects (case and accents ignored)."""

    def __init__(self, terms: Iterable[GlossaryTerm]) -> None:
        self.terms: tuple[GlossaryTerm, ...] = tuple(sorted(terms, key=_sort_key))

    def __len__(self) -> int:
        return len(self.terms)

    def groups(self, terms: Iterable[GlossaryTerm] | None = None) -> tuple[Group, ...]:
        """Non-empty groups in A-Z order, OTHER last; `terms` (e.g. a filter's result) defaults to all."""
        chosen = self.terms if terms is None else tuple(sorted(terms, key=_sort_key))
        by: dict[str, list[GlossaryTerm]] = {}
        for t in chosen:
            by.setdefault(group_letter(t.term), []).append(t)
        order = [*ascii_uppercase, OTHER]
        return tuple(Group(letter=k, terms=tuple(by[k])) for k in order if k in by)

    def letters(self) -> tuple[tuple[str, bool], ...]:
        """Every letter A-Z (and OTHER) with whether any term starts with it: the jump bar."""
        present = {g.letter for g in self.groups()}
        return tuple((k, k in present) for k in [*ascii_uppercase, OTHER])

    def filter(self, text: str) -> tuple[GlossaryTerm, ...]:
        """Terms matching every word of `text`, best first: a match in the term itself, then in an
        alias, the expansion, the meaning. An empty filter returns every term."""
        words = [fold(w) for w in text.split() if fold(w)]
        if not words:
            return self.terms
        scored: list[tuple[int, tuple[str, str], GlossaryTerm]] = []
        for t in self.terms:
            fields = (fold(t.term), " ".join(fold(v) for v in t.variants), fold(t.expansion), fold(t.meaning))
            ranks = []
            for w in words:
                rank = next((i for i, f in enumerate(fields) if w in f), None)
                if rank is None:
                    break
                ranks.append(rank)
            else:
                exact = 0 if fold(t.term) == "".join(words) else 1
                scored.append((min(ranks) * 2 + exact, _sort_key(t), t))
        return tuple(t for _, _, t in sorted(scored, key=lambda s: (s[0], s[1])))

    def get(self, term: str) -> GlossaryTerm | None:
        return next((t for t in self.terms if t.term == term), None)
