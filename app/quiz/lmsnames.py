"""How IronBone's ids read outside the app: a page id as its title and section of the review, a
reference key as "Author et al., year", for the texts an LMS shows (feedback, explanations)."""

# A student in Moodle cannot follow "topic:s6-outlook" or "xu2021": those are IronBone's internal
# ids. The exporter writes "See IronBone's page 'Conclusions and outlook' (review §6)" and "Xu et
# al., 2021" instead, and keeps the ids only in the question's idnumber and tags, which Moodle does
# not show to students and which bring the question back whole when it is imported again.

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.knowledge.content import Content, cited_as

REVIEW_KEY = "cai2023"  # the review's key in content/references.yaml
REVIEW_CITED = "Cai et al., 2023"


@dataclass(frozen=True, kw_only=True)
class ReaderNames:
    """Page ids and reference keys as a reader outside IronBone sees them."""

    titles: Mapping[str, str] = field(default_factory=dict)  # "topic:s6-outlook" -> "Conclusions and outlook"
    sections: Mapping[str, str] = field(default_factory=dict)  # a topic page -> its section of the review
    works: Mapping[str, str] = field(default_factory=dict)  # "xu2021" -> "Xu et al., 2021"

    @classmethod
    def of(cls, content: Content) -> ReaderNames:
        titles: dict[str, str] = {}
        sections: dict[str, str] = {}
        for pid, page in content.node_pages.items():
            titles[f"node:{pid}"] = page.title
        for pid, page in content.topic_pages.items():
            title = page.title
            # "6 Conclusions and outlook": the number is said as "review §6" beside the title.
            if page.section and title.startswith(page.section + " "):
                title = title[len(page.section):].strip()
            titles[f"topic:{pid}"] = title
            if page.section and page.section[:1].isdigit():
                sections[f"topic:{pid}"] = page.section
        return cls(titles=titles, sections=sections, works=cited_as(content.references))

    def page_reference(self, page: str, section: str, *, fallback_title: str | None = None) -> str:
        """ "See IronBone's page 'Conclusions and outlook' (review §6)." ('' when the page's title is
        unknown: never its id.)"""
        title = self.titles.get(page) or fallback_title
        if not title:
            return ""
        where = self.sections.get(page) or section
        return f"See IronBone's page '{title}'" + (f" (review §{where})." if where else ".")

    def sources(self, keys: Sequence[str], section: str) -> str:
        """ "Sources: Cai et al., 2023, §2.1; Xu et al., 2021." The review first, with the section the
        question comes from; keys without a known reference are left out (never printed raw)."""
        review = REVIEW_CITED + (f", §{section}" if section else "")
        works = [review, *dict.fromkeys(self.works[k] for k in keys if k != REVIEW_KEY and k in self.works)]
        return f"Source{'s' if len(works) > 1 else ''}: {'; '.join(works)}."
