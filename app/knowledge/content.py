"""Loads the whole content/ tree into one frozen Content object and validates it."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.knowledge.key_points import check_topic_page, parse_key_points
from app.knowledge.pages import Page, load_page
from app.knowledge.pathway_io import load_pathway
from app.knowledge.problems import Problem, read_content, rel
from app.knowledge.render import APP_LINKS
from app.knowledge.review_note import parse_notes
from app.knowledge.species import check_text, species_field
from app.knowledge.yamlio import YamlError, line_of, load_yaml
from app.model.numbers import shown
from app.model.pathway import Pathway

_KEY_RE = re.compile(r"^[a-z0-9_]+$")


# An author in a list is "Surname INITIALS" ("Nagy B Jr"); a first name part that is not followed by
# initials ("Institute of Medicine") is an organisation, cited whole.
_INITIALS = re.compile(r"(?:[A-Z]{1,4}|Jr|Sr|II|III)")


def _surname(author: str, initials: bool = False) -> str | None:
    """The surname of "Surname INITIALS" (with its initials if asked), or None when `author` is not
    written so."""
    words = author.split()
    if len(words) == 1 or (len(words) >= 2 and all(_INITIALS.fullmatch(w) for w in words[1:])):
        return " ".join(words[:2]) if initials else words[0]
    return None


def _cited_names(authors: str, initials: bool = False) -> str:
    parts = [p.strip() for p in authors.split(",") if p.strip()]
    if not parts:
        return ""
    first = parts[0]
    if " et al" in first:  # "Erber et al.", "Chen et al. (as the review cites it)"
        return f"{first.split()[0]} et al."
    if " and " in first:  # "Wang and Xu": already as text cites it
        return first
    surname = _surname(first, initials)
    if surname is None:  # an organisation
        return first
    people = [p for p in parts if p != "et al."]
    if len(people) == 2 and "et al." not in parts and (second := _surname(people[1])):
        return f"{surname} and {second}"
    return surname + (" et al." if len(parts) > 1 else "")


@dataclass(frozen=True)
class Reference:
    key: str
    authors: str
    year: int | str
    title: str
    journal: str = ""
    doi: str = ""
    kind: str = ""
    species: tuple[str, ...] = ()  # what the study was done in (animal, or cells' origin)
    extra: dict = field(default_factory=dict, compare=False, repr=False)

    def short(self, *, initials: bool = False) -> str:
        """How text cites the work: "Xu et al., 2021", "Wang and Xu, 2022", "Frost, 1987", and an
        organisation by its name ("Institute of Medicine, 2001"); with `initials`, the first
        author's too ("Liu LL et al., 2021"), to tell two works of one surname and year apart."""
        return f"{_cited_names(self.authors, initials) or self.key}, {self.year}"


def cited_as(references: Mapping[str, Reference]) -> dict[str, str]:
    """Each reference key -> its short form, with initials where two works would read the same
    (as the pages cite them: "Liu H et al., 2021" and "Liu LL et al., 2021")."""
    plain = {k: r.short() for k, r in references.items()}
    count = Counter(plain.values())
    return {k: (references[k].short(initials=True) if count[s] > 1 else s) for k, s in plain.items()}


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    expansion: str
    meaning: str
    node: str = ""
    variants: tuple[str, ...] = ()
    cite: tuple[str, ...] = ()  # references.yaml keys behind the meaning, where a fact needs one
    line: int = 0

    @property
    def is_abbreviation(self) -> bool:
        """An abbreviation has an expansion ("ROS": "Reactive oxygen species"); a term such as
        "Fenton reaction" is defined by its meaning alone."""
        return bool(self.expansion)


@dataclass(frozen=True)
class Content:
    root: Path
    pathway: Pathway
    node_pages: dict[str, Page]
    topic_pages: dict[str, Page]
    references: dict[str, Reference]
    glossary: tuple[GlossaryTerm, ...]
    problems: tuple[Problem, ...]
    # Per-page problems (file:line) so the GUI can show an error panel for a broken page.
    page_problems: dict[str, tuple[Problem, ...]] = field(default_factory=dict)

    def page(self, kind: str, page_id: str) -> Page | None:
        pages = self.node_pages if kind == "node" else self.topic_pages
        return pages.get(page_id)


def _load_yaml_file(path: Path, name: str, problems: list[Problem]):
    """The parsed file; None (with a problem unless it is simply absent) if it cannot be had."""
    text = read_content(path, name, problems, missing=None)
    if text is None:
        return None
    try:
        return load_yaml(text)
    except YamlError as exc:
        problems.append(Problem(name, exc.line, str(exc), fatal=True))
        return None


def _year(value: object) -> int | str:
    """A year as written (2021, "in press"); anything else (a date, a list) as its text."""
    return value if type(value) is int else str(value)


def _load_references(root: Path, problems: list[Problem]) -> dict[str, Reference]:
    path = root / "references.yaml"
    name = rel(path, root)
    data = _load_yaml_file(path, name, problems)
    refs: dict[str, Reference] = {}
    if data is None:
        return refs
    items = data.get("references") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(name, 1, "expected a mapping with a 'references' list"))
        return refs
    for raw in items:
        ln = line_of(raw)
        if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
            problems.append(Problem(name, ln, "reference without a 'key'"))
            continue
        key = raw["key"]
        if key in refs:
            problems.append(Problem(name, ln, f"duplicate reference key {shown(key)}"))
            continue
        species, bad_species = species_field(raw.get("species"))
        problems += [Problem(name, ln, f"reference {shown(key)}: {msg}") for msg in bad_species]
        refs[key] = Reference(
            key=key,
            authors=str(raw.get("authors", "")),
            year=_year(raw.get("year", "")),
            title=str(raw.get("title", "")),
            journal=str(raw.get("journal", "")),
            doi=str(raw.get("doi", "") or ""),
            kind=str(raw.get("kind", "")),
            species=species,
            extra=dict(raw),
        )
    return refs


def _load_glossary(root: Path, problems: list[Problem]) -> tuple[GlossaryTerm, ...]:
    path = root / "glossary.yaml"
    name = rel(path, root)
    data = _load_yaml_file(path, name, problems)
    if data is None:
        return ()
    items = data.get("terms") if isinstance(data, dict) else None
    if not isinstance(items, list):
        problems.append(Problem(name, 1, "expected a mapping with a 'terms' list"))
        return ()
    out: list[GlossaryTerm] = []
    seen: dict[str, int] = {}
    for raw in items:
        ln = line_of(raw)
        if not isinstance(raw, dict) or not raw.get("term"):
            problems.append(Problem(name, ln, "glossary entry without a 'term'"))
            continue
        term = str(raw["term"])
        if term in seen:
            problems.append(Problem(name, ln, f"duplicate glossary term {shown(term)} (line {seen[term]})"))
            continue
        seen[term] = ln
        variants = raw.get("variants") or []
        cite = raw.get("cite") or []
        if not isinstance(cite, list) or not all(isinstance(k, str) and k for k in cite):
            problems.append(Problem(name, ln, f"glossary term {shown(term)}: 'cite' must be a list of reference keys"))
            cite = []
        if not str(raw.get("meaning", "") or "").strip():
            problems.append(Problem(name, ln, f"glossary term {shown(term)} has no 'meaning'"))
        out.append(
            GlossaryTerm(
                term=term,
                expansion=str(raw.get("expansion", "") or ""),
                meaning=str(raw.get("meaning", "")),
                node=str(raw.get("node", "") or ""),
                variants=tuple(str(v) for v in variants) if isinstance(variants, list) else (),
                cite=tuple(cite),
                line=ln,
            )
        )
    return tuple(out)


def _load_pages(folder: Path, kind: str, root: Path) -> tuple[dict[str, Page], dict[str, list[Problem]]]:
    pages: dict[str, Page] = {}
    per_page: dict[str, list[Problem]] = {}
    if not folder.is_dir():
        return pages, per_page
    for path in sorted(folder.glob("*.md")):
        page, probs = load_page(path, kind=kind, file=rel(path, root))
        if probs:
            per_page[path.stem] = probs
        if page is not None:
            pages[path.stem] = page
    return pages, per_page


NODE_PAGE_WORDS = (120, 400)
NODE_PAGE_SECTIONS = ("What it is", "What it does here", "Evidence", "Related")


def _node_page_shape(page: Page) -> list[Problem]:
    """Node pages: 120–400 words of body and the four sections, in order."""
    from app.knowledge.search import plain_text

    out = []
    n = len(plain_text(page.body).split())
    lo, hi = NODE_PAGE_WORDS
    if not lo <= n <= hi:
        out.append(Problem(page.file, page.body_line, f"page has {n} words; node pages need {lo}–{hi}"))
    headings = [line[3:].strip() for line in page.body.splitlines() if line.startswith("## ")]
    wanted = [h for h in headings if h in NODE_PAGE_SECTIONS]
    if wanted != list(NODE_PAGE_SECTIONS):
        missing = [h for h in NODE_PAGE_SECTIONS if h not in headings]
        msg = f"missing section(s): {', '.join(missing)}" if missing else "sections out of order"
        out.append(Problem(page.file, page.body_line,
                           f"{msg} (node pages need: {', '.join(NODE_PAGE_SECTIONS)})"))
    return out


def _page_text_problems(page: Page, references: dict[str, Reference]) -> list[Problem]:
    """Review notes that are malformed, and animals named next to a citation of a study done in
    another species (the species references.yaml records)."""
    notes_problems = [Problem(page.file, page.body_line + i, msg) for i, msg in parse_notes(page.body)[1]]
    notes_problems += _key_points_problems(page)
    species = {k: r.species for k, r in references.items() if r.species}
    slips = [Problem(page.file, page.body_line + m.line, m.message()) for m in check_text(page.body, species)]
    return notes_problems + slips


def _key_points_problems(page: Page) -> list[Problem]:
    """Key points: well formed wherever they appear, and closing every topic page of the review."""
    if page.kind == "topic":
        found = check_topic_page(page.body, page.section)
    else:
        found = parse_key_points(page.body)[1]
    return [Problem(page.file, page.body_line + i, msg) for i, msg in found]


def load_content(root: Path) -> Content:
    """Load everything under `root` (a content/ directory). Never raises on bad content."""
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(Problem(str(root), 1, "content directory does not exist"))
    pathway_file = root / "pathway.yaml"
    pathway, p_probs = load_pathway(pathway_file, rel(pathway_file, root))
    problems += p_probs
    node_pages, node_probs = _load_pages(root / "nodes", "node", root)
    topic_pages, topic_probs = _load_pages(root / "topics", "topic", root)
    references = _load_references(root, problems)
    glossary = _load_glossary(root, problems)
    page_problems: dict[str, list[Problem]] = {}
    for pid, probs in node_probs.items():
        page_problems.setdefault(f"node:{pid}", []).extend(probs)
    for pid, probs in topic_probs.items():
        page_problems.setdefault(f"topic:{pid}", []).extend(probs)

    # Cross-checks: every node has a page, every page belongs to a node, links resolve.
    ids = set(pathway.node_ids)
    for n in pathway.nodes:
        if n.id not in node_pages and n.id not in node_probs:
            msg = f"node {shown(n.id)} has no page (expected content/nodes/{n.id}.md)"
            problems.append(Problem(rel(pathway_file, root), n.line, msg))
    for pid, page in node_pages.items():
        for problem in _node_page_shape(page):
            page_problems.setdefault(f"node:{pid}", []).append(problem)
        if ids and pid not in ids:
            page_problems.setdefault(f"node:{pid}", []).append(
                Problem(page.file, 1, f"page for unknown node id {shown(pid)}")
            )
    for key, page in [*(("node:" + k, p) for k, p in node_pages.items()),
                      *(("topic:" + k, p) for k, p in topic_pages.items())]:
        for scheme, target, line in page.links():
            msg = None
            if scheme == "node" and ids and target not in ids:  # no cascade if pathway broke
                msg = f"broken link node:{target} (no such node)"
            elif scheme == "topic" and target not in topic_pages and target not in topic_probs:
                msg = f"broken link topic:{target} (no such topic page)"
            elif scheme == "ref" and references and target not in references:
                msg = f"broken link ref:{target} (no such reference key)"
            elif scheme == "app" and target not in APP_LINKS:
                msg = (f"unknown app link {shown('app:' + target)} (known: "
                       f"{', '.join(f'app:{name}' for name in APP_LINKS)})")
            if msg:
                page_problems.setdefault(key, []).append(Problem(page.file, line, msg))
        text_problems = _page_text_problems(page, references)
        if text_problems:
            page_problems.setdefault(key, []).extend(text_problems)
        if references:
            for k in page.references:
                if k not in references:
                    page_problems.setdefault(key, []).append(
                        Problem(page.file, 2, f"unknown reference key {shown(k)} in front matter")
                    )
    if references:
        for e in pathway.edges:
            for k in e.cite:
                if k not in references:
                    problems.append(
                        Problem(rel(pathway_file, root), e.line,
                                f"edge {e.source}->{e.target}: unknown reference key {shown(k)}")
                    )
    for term in glossary:
        if term.node and ids and term.node not in ids:  # no cascade if the pathway broke
            problems.append(Problem(rel(root / "glossary.yaml", root), 1,
                                    f"glossary term {shown(term.term)} names unknown node {shown(term.node)}"))
        if references:
            for k in term.cite:
                if k not in references:
                    problems.append(Problem(rel(root / "glossary.yaml", root), term.line or 1,
                                            f"glossary term {shown(term.term)} cites unknown reference key {shown(k)}"))

    all_problems = problems + [p for probs in page_problems.values() for p in probs]
    return Content(
        root=root,
        pathway=pathway,
        node_pages=node_pages,
        topic_pages=topic_pages,
        references=references,
        glossary=glossary,
        problems=tuple(sorted(set(all_problems))),
        page_problems={k: tuple(v) for k, v in page_problems.items()},
    )


def check_content(root: Path) -> list[Problem]:
    """Every problem of the content tree, the model's files (treatments, scenarios, claims) too."""
    from app.knowledge.model_io import load_model_content

    content = load_content(root)
    problems = set(content.problems)
    # A content tree with no model files is a diagram-only pack; once one is there, all count.
    has_model = any((root / f).exists() for f in ("treatments.yaml", "scenarios.yaml", "claims.yaml"))
    if content.pathway.nodes and has_model:
        problems |= set(load_model_content(root, content.pathway).problems)
    return sorted(problems)
