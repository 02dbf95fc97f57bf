"""The printable study notes: the objectives and key points of every topic page in study-path order,
the figures the study path names, the glossary A-Z and the references cited, as one PrintDoc
(app.knowledge.printable) the GUI builds with its rendered figures and prints to PDF."""

from __future__ import annotations

from app.knowledge.content import Content
from app.knowledge.glossary_index import OTHER, GlossaryIndex
from app.knowledge.key_points import key_points_of
from app.knowledge.learning import FigureSpec, Learning
from app.knowledge.printable import PrintDoc, reference_line

TITLE = "IronBone study notes"
REVIEW_KEY = "cai2023"


def note_topics(content: Content, learning: Learning) -> tuple[str, ...]:
    """The topic pages the notes cover, in study-path order (every topic page with key points when
    there is no study path)."""
    if learning.path is not None:
        return tuple(t for t in learning.path.topics() if t in content.topic_pages)
    return tuple(pid for pid, p in sorted(content.topic_pages.items()) if key_points_of(p.body) is not None)


def figures(learning: Learning) -> tuple[FigureSpec, ...]:
    """The figures the GUI must draw for the notes (ids, kinds and model runs)."""
    return learning.path.figures if learning.path is not None else ()


def study_notes(content: Content, learning: Learning, *, date: str = "") -> PrintDoc:
    """The notes as a PrintDoc; `date` (e.g. "12 March 2026") is printed under the title."""
    review = content.references.get(REVIEW_KEY)
    source = f" Built on {reference_line(review)}." if review is not None else ""
    subtitle = (f"Key points, figures and glossary, in the order of the study path.{source} "
                f"A teaching aid, not clinical advice.{' ' + date if date else ''}")
    doc = PrintDoc(TITLE, subtitle=subtitle, references=content.references)
    if learning.objectives is not None and learning.objectives.app:
        doc.heading("What you should be able to do", 2)
        doc.bullets([o.text for o in learning.objectives.app])
    by_topic = {}
    for f in figures(learning):
        by_topic.setdefault(f.after, []).append(f)
    sections = {p.id: s for s, p in learning.sections.items()}
    for pid in note_topics(content, learning):
        page = content.topic_pages[pid]
        doc.heading(page.title, 2, anchor=f"topic-{pid}")
        section = sections.get(pid)
        if section is not None and learning.objectives is not None and learning.objectives.of_section(section):
            doc.text("You should be able to:", "muted")
            doc.bullets([o.text for o in learning.objectives.of_section(section)])
        kp = key_points_of(page.body)
        if kp is not None:
            doc.markdown(f"::: key-points\n{kp.markdown()}\n:::\n")
        for f in by_topic.get(pid, ()):
            doc.figure(f.id, f.title, f.caption)
    index = GlossaryIndex(content.glossary)
    if len(index):
        doc.heading("Glossary", 2, new_page=True, anchor="glossary")
        for group in index.groups():
            doc.heading("Other" if group.letter == OTHER else group.letter, 3)
            rows = []
            for t in group.terms:
                meaning = t.meaning
                if t.cite:
                    refs = "; ".join(f"[{_short(content, k)}](ref:{k})" for k in t.cite)
                    meaning += f" ({refs})"
                name = f"**{t.term}**" + (f": {t.expansion}" if t.expansion else "")
                rows.append([name, meaning])
            doc.table(["Term", "Meaning"], rows, widths=[30, 70])
    return doc


def _short(content: Content, key: str) -> str:
    ref = content.references.get(key)
    return ref.short() if ref else key
