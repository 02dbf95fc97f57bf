"""Search over the pathway: ids, labels, full names, aliases and abbreviations (no Qt)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.model.pathway import Node, Pathway


def fold(text: str) -> str:
    """Case-, accent- and Greek-letter-insensitive form used for matching (κ -> k, β -> b)."""
    greek = {"κ": "k", "β": "b", "α": "a", "γ": "g", "²": "2", "⁺": "+", "³": "3"}
    text = "".join(greek.get(ch, ch) for ch in text.lower())
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace("-", "").replace(" ", "")


def _fields(node: Node) -> list[tuple[str, int]]:
    # (text, rank): a lower rank sorts first, so exact ids and labels beat alias hits.
    out = [(node.id, 0), (node.label, 0), (node.abbreviation, 1)]
    out += [(a, 2) for a in node.aliases]
    out.append((node.name, 3))
    return [(t, r) for t, r in out if t]


def match_nodes(pathway: Pathway, query: str) -> list[str]:
    """Node ids matching `query`, best first: exact > prefix > substring, label before alias."""
    q = fold(query.strip())
    if not q:
        return []
    scored: list[tuple[int, int, str]] = []
    for order, node in enumerate(pathway.nodes):
        best = None
        for text, rank in _fields(node):
            f = fold(text)
            if f == q:
                score = rank
            elif f.startswith(q):
                score = 10 + rank
            elif q in f and (rank < 3 or len(q) >= 4):
                # Short queries ("ros") would hit inside long names ("prostate"): skip those.
                score = 20 + rank
            else:
                continue
            best = score if best is None else min(best, score)
        if best is not None:
            scored.append((best, order, node.id))
    return [nid for _, _, nid in sorted(scored)]


_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARK = re.compile(r"[#*_`>|]+")


def plain_text(markdown: str) -> str:
    """Markdown as the reader sees it: link texts kept, targets and markup dropped."""
    return re.sub(r"\s+", " ", _MARK.sub(" ", _LINK.sub(r"\1", markdown))).strip()


@dataclass(frozen=True, slots=True)
class PageHit:
    kind: str
    id: str
    title: str
    snippet: str
    count: int


class PageIndex:
    """Full-text search over page bodies (node and topic pages)."""

    def __init__(self, pages: list[tuple[str, str, str, str]]) -> None:
        # (kind, id, title, plain text); folded once for case-insensitive matching.
        self._pages = [(k, i, t, text, text.lower()) for k, i, t, text in pages]

    @classmethod
    def from_content(cls, content) -> PageIndex:  # noqa: ANN001 - app.knowledge.content.Content
        pages = [("node", p.id, p.title, plain_text(p.body)) for p in content.node_pages.values()]
        pages += [("topic", p.id, p.title, plain_text(p.body)) for p in content.topic_pages.values()]
        return cls(pages)

    def search(self, query: str, *, limit: int = 20) -> list[PageHit]:
        q = query.strip().lower()
        if len(q) < 3:
            return []
        hits = []
        for kind, pid, title, text, folded in self._pages:
            n = folded.count(q)
            if not n:
                continue
            at = folded.index(q)
            start, end = max(0, at - 40), min(len(text), at + len(q) + 40)
            snippet = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
            hits.append(PageHit(kind, pid, title, snippet, n))
        hits.sort(key=lambda h: (-h.count, h.title.lower()))
        return hits[:limit]
