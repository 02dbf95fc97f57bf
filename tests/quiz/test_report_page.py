"""The quiz report's content (app/quiz/report_page.py): the score, the score by section named after
its topic page, what to revise linked to its page, and text from questions shown as text."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from app.knowledge.content import load_content
from app.quiz.report_page import report_html, section_name, section_title
from app.quiz.session import Report, SectionScore

CONTENT = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture(scope="module")
def content():  # noqa: ANN201
    return load_content(CONTENT)


def _report(**changes) -> Report:  # noqa: ANN003
    fields = dict(mode="exam", asked=4, answered=3, score=2.5, elapsed_s=125.0,
                  by_section=(SectionScore(section="2.1", asked=3, answered=3, score=2.5),
                              SectionScore(section="9.9", asked=1, answered=0, score=0.0)),
                  revise=(SimpleNamespace(prompt="Which <b>cell</b> builds bone?", page="node:osteoblast"),),
                  revise_sections=("2.1", "9.9"))
    return Report(**{**fields, **changes})


def test_a_section_is_named_by_its_topic_page(content) -> None:
    assert section_title(content, "2.1") == "Iron and osteoblasts"  # the page's number is not repeated
    assert section_name(content, "2.1") == "§2.1 Iron and osteoblasts"
    assert section_name(content, "9.9") == "§9.9"  # a section with no page keeps its number


def test_the_report_gives_the_score_the_sections_and_what_to_revise(content) -> None:
    text = report_html(_report(), content)
    assert "<h3>Exam finished</h3>" in text
    assert "Score <b>2.5 of 4</b> (62%); 3 answered in 2:05." in text
    assert "<td>§2.1 Iron and osteoblasts</td><td align='right'>2.5 / 3</td><td align='right'>83%</td>" in text
    assert "<a href='topic:s2-1-osteoblasts'>§2.1 Iron and osteoblasts</a>" in text  # revise: linked to its page
    assert "<li>§9.9</li>" in text  # no page to link
    title = content.page("node", "osteoblast").title
    assert f"<a href='node:osteoblast'>{title}</a>" in text
    assert "Time ran out" not in text and "nothing to revise" not in text


def test_question_text_is_escaped(content) -> None:
    text = report_html(_report(), content)
    assert "Which &lt;b&gt;cell&lt;/b&gt; builds bone?" in text and "<b>cell</b>" not in text


def test_a_timed_out_exam_and_a_perfect_practice(content) -> None:
    assert "<b>Time ran out.</b>" in report_html(_report(timed_out=True), content)
    perfect = _report(mode="practice", score=4.0, answered=4, revise=(), revise_sections=())
    text = report_html(perfect, content)
    assert "<h3>Practice finished</h3>" in text and "Every question right — nothing to revise." in text
    assert "What to revise" not in text
