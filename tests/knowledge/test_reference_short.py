"""A reference's short form, as text cites it ("Xu et al., 2021"): people, pairs and organisations."""

from __future__ import annotations

import pytest

from app.knowledge.content import Reference
from app.paths import content_dir


@pytest.mark.parametrize(("authors", "short"), [
    ("Xu J, Jia Z, Knutson MD, et al.", "Xu et al., 2021"),
    ("Cai H, Zhang H, He W, Zhang H", "Cai et al., 2021"),
    ("Gaffney-Stomberg E", "Gaffney-Stomberg, 2021"),
    ("Balogh E, Tolnai E, Nagy B Jr, et al.", "Balogh et al., 2021"),
    ("Erber et al.", "Erber et al., 2021"),
    ("Chen et al. (as the review cites it)", "Chen et al., 2021"),
    # Two authors written as the review cites them, and an organisation: named whole, never "Wang, 2021"
    # or "Institute et al., 2021".
    ("Wang and Xu", "Wang and Xu, 2021"),
    ("Institute of Medicine, Panel on Micronutrients", "Institute of Medicine, 2021"),
])
def test_short_names_the_first_author_as_a_citation_does(authors: str, short: str) -> None:
    assert Reference(key="k2021", authors=authors, year=2021, title="t").short() == short


def test_the_pages_cite_works_as_their_short_forms() -> None:
    # Every "[Name, year](ref:key)" link in the pages uses the short form the exports print, with
    # the first author's initials where two works would read alike (Liu H and Liu LL, 2021); a page
    # may add initials where nothing clashes ("Kim BJ et al., 2012"), never write another name.
    import re

    from app.knowledge.content import cited_as, load_content

    content = load_content(content_dir())
    names = cited_as(content.references)
    link = re.compile(r"\[([^\]]+?, \d{4}[a-z]?)\]\(ref:([a-z0-9_]+)\)")
    seen = 0
    bad = []
    for page in [*content.node_pages.values(), *content.topic_pages.values()]:
        for text, key in link.findall(page.body):
            if key in content.references and ";" not in text:
                seen += 1
                if text not in (names[key], content.references[key].short(initials=True)):
                    bad.append((page.file, text, names[key]))
    assert bad == []
    assert seen > 50
    assert {names["liuh2021"], names["liull2021"]} == {"Liu H et al., 2021", "Liu LL et al., 2021"}
