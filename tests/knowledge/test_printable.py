"""Printable documents: the study notes (key points in study-path order, figures, glossary,
references) and the teacher's handout (storyline, tours, questions), as HTML that prints from a
browser and from Qt's QTextDocument alike."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from app.knowledge.content import load_content
from app.knowledge.key_points import key_points_of
from app.knowledge.learning import load_learning
from app.knowledge.printable import FIGURE_SCHEME, Image, PrintDoc, reference_line
from app.knowledge.search import plain_text
from app.knowledge.study_notes import figures, note_topics, study_notes
from app.knowledge.teacher_guide import load_guide
from app.knowledge.teacher_handout import headline, teacher_handout

CONTENT = Path(__file__).resolve().parents[2] / "content"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452")  # a PNG's first bytes: carried, never decoded


@pytest.fixture(scope="module")
def shipped():
    content = load_content(CONTENT)
    return content, load_learning(CONTENT, content)


def _text(doc_html: str) -> str:
    """The visible text of an HTML document, roughly (tags dropped, entities decoded, spaces joined)."""
    body = re.sub(r"<style>.*?</style>", "", doc_html, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_study_notes_follow_the_study_path_with_every_key_point(shipped) -> None:
    content, learning = shipped
    printed = study_notes(content, learning, date="1 March 2026").build()
    text = _text(printed.html)
    topics = note_topics(content, learning)
    assert topics[0] == "overview" and len(topics) == 15
    positions = [text.index(content.topic_pages[t].title) for t in topics]
    assert positions == sorted(positions)  # in study-path order
    for t in topics:
        for point in key_points_of(content.topic_pages[t].body).bullets:
            assert " ".join(plain_text(point).split()) in text, (t, point)
    assert printed.html.count('<td class="key-points">') == 15
    for o in learning.objectives.all:
        assert o.text in text
    assert "1 March 2026" in text and "A teaching aid, not clinical advice." in text


def test_study_notes_carry_the_glossary_and_every_cited_reference(shipped) -> None:
    content, learning = shipped
    doc = study_notes(content, learning)
    text = _text(doc.build().html)
    glossary = text[text.index("Glossary"):text.index("References")]
    for t in content.glossary:
        assert t.term in glossary and " ".join(t.meaning.split()) in glossary, t.term
    refs = text[text.index("References"):]
    assert set(doc.cited()) >= {"cai2023", "frost1987", "hunt2009"}
    for key in doc.cited():
        assert reference_line(content.references[key]) in refs, key


def test_figures_are_placeholders_until_the_gui_draws_them(shipped, tmp_path: Path) -> None:
    content, learning = shipped
    ids = [f.id for f in figures(learning)]
    doc = study_notes(content, learning)
    bare = doc.build()
    assert bare.missing_figures == tuple(ids) and bare.html.count('class="placeholder"') == len(ids)
    png = tmp_path / "diagram.png"
    png.write_bytes(PNG)
    embedded = doc.build({"mechanism": png, "treatments": Image(PNG)})
    assert embedded.missing_figures == ("remodelling-iron", "menopause-iron")
    assert embedded.html.count('src="data:image/png;base64,') == 2 and embedded.resources == {}
    linked = doc.build({"mechanism": Image(PNG)}, embed=False)
    assert f'src="{FIGURE_SCHEME}:mechanism"' in linked.html and "base64" not in linked.html
    assert linked.resources == {f"{FIGURE_SCHEME}:mechanism": Image(PNG)}
    caption = next(f for f in figures(learning) if f.id == "mechanism").caption
    assert plain_text(caption).split(".")[0] in _text(linked.html)
    with pytest.raises(ValueError, match="PNG, JPEG or SVG"):
        Image.from_path(tmp_path / "figure.gif")


def test_the_notes_are_printable_and_safe(shipped) -> None:
    content, learning = shipped
    out = study_notes(content, learning).build().html
    assert "<script" not in out.lower() and "javascript:" not in out.lower()
    assert "@page" in out and "page-break-before: always" in out and 'class="break"' in out
    assert "display: flex" not in out and "grid-template" not in out  # QTextDocument lays out tables only
    assert "](ref:" not in out and 'href="ref:' not in out  # citations print as their words


def test_text_is_escaped_everywhere() -> None:
    doc = PrintDoc("A <b>title</b>", subtitle="x & y")
    doc.heading("<i>head</i>")
    doc.text("<script>alert(1)</script>")
    doc.markdown("**bold** <img src=x onerror=y> [web](https://example.org/?a=1&b=2)")
    doc.bullets(["<u>item</u>"])
    doc.table(["<th>"], [["<td>"]])
    doc.figure("fig-1", "<t>", "<c>")
    out = doc.build().html
    for raw in ("<b>title", "<i>head", "<script>", "<img", "<u>item", "<th><th>", "<t>", "<c>"):
        assert raw not in out, raw
    assert "web (https://example.org/?a=1&amp;b=2)" in out
    with pytest.raises(ValueError, match="figure id"):
        doc.figure("../x", "t", "c")


def test_the_handout_holds_the_storyline_and_every_tour(shipped) -> None:
    from app.quiz.bank import load_checked_bank
    from app.quiz.learning import handout_questions

    content, learning = shipped
    guide, _ = load_guide(CONTENT, learning)
    bank, model = load_checked_bank(CONTENT)
    doc = teacher_handout(content, learning, guide, handout_questions(bank, learning, model, CONTENT))
    text = _text(doc.build().html)
    assert "Iron, estrogen and bone in twenty minutes (20 minutes)" in text
    clock = 0.0
    for i, seg in enumerate(guide.segments, start=1):
        assert f"{i}. {seg.title} ({clock:g}–{clock + seg.minutes:g} min)" in text
        clock += seg.minutes
        assert " ".join(bank.get(seg.ask).prompt.split()) in text
    for tour in learning.tours.values():
        assert f"Tour: {tour.title} ({tour.minutes:g} minutes)" in text
        for m in tour.teacher.misconceptions:
            assert " ".join(plain_text(m.belief).split()) in text
        assert " ".join(plain_text(tour.teacher.ask).split()) in text
    inline = learning.tours["iron-feeds-osteoclasts"].check
    assert isinstance(inline, dict) and inline["prompt"] in text
    assert "Answer: A. Iron raises OPG, which switches osteoclasts on" in text  # the inline check's key
    assert "Recap and check question" in text and "References" in text


def test_step_headlines_come_from_the_caption() -> None:
    assert headline("**Where we start.** Estrogen is at 100 %.") == "Where we start"
    assert headline("Iron makes ROS. Then more.") == "Iron makes ROS"


def test_the_notes_print_to_pdf_through_qtextdocument(shipped, qapp, tmp_path: Path) -> None:
    """The HTML is laid out by Qt's rich text engine (the GUI prints with it): several pages, the
    key-point boxes kept as tables, and a figure resource found under its URL."""
    from PySide6.QtCore import QSizeF, QUrl
    from PySide6.QtGui import QImage, QPageSize, QPdfWriter, QTextDocument

    content, learning = shipped
    printed = study_notes(content, learning).build({"mechanism": Image(_png_bytes())}, embed=False)
    doc = QTextDocument()
    for url, image in printed.resources.items():
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), QImage.fromData(image.data))
    doc.setHtml(printed.html)
    doc.setPageSize(QSizeF(600, 900))
    assert doc.pageCount() >= 10
    assert "Key points" in doc.toPlainText() and "Glossary" in doc.toPlainText()
    assert not doc.resource(QTextDocument.ResourceType.ImageResource, QUrl(f"{FIGURE_SCHEME}:mechanism")).isNull()
    out = tmp_path / "notes.pdf"
    writer = QPdfWriter(str(out))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    doc.print_(writer)
    del writer
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page(?!s)", data)) >= 5


def _png_bytes() -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QColor, QImage

    image = QImage(40, 20, QImage.Format.Format_RGB32)
    image.fill(QColor("#2e7d5b"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)
