"""Moodle export a lecturer can use as is: click-the-node questions carry the diagram as a picture in
Moodle XML (a <file> as Moodle writes one) and say they are text only in GIFT; what students read names
no internal id; IronBone's own picture comes back as its click-the-node question, any other is refused."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.knowledge.content import load_content
from app.quiz.bank import Bank, BankContext
from app.quiz.exchange import (
    CLICK_NOTE,
    FIGURE_FILE,
    FIGURE_IMPORTED,
    GIFT_TEXT_ONLY,
    LmsQuestion,
    export_gift,
    export_moodle_xml,
    import_gift,
    import_moodle_xml,
    lms_to_yaml_entry,
    png_size,
    to_lms,
)
from app.quiz.generate import generate_predictions
from app.quiz.lmsnames import ReaderNames
from app.quiz.questions import ClickNode

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def names() -> ReaderNames:
    return ReaderNames.of(load_content(ROOT / "content"))


def _clicks(bank: Bank) -> list[ClickNode]:
    found = [q for q in bank.questions if isinstance(q, ClickNode)]
    assert len(found) >= 10
    return found


def _question_el(xml: str, qid: str) -> ET.Element:
    root = ET.fromstring(xml.encode("utf-8"))
    return next(e for e in root.iter("question") if e.findtext("idnumber") == qid)


def test_a_click_the_node_question_carries_the_diagram_as_moodle_writes_a_file(bank: Bank, model, names,
                                                                               tiny_png) -> None:
    q = _clicks(bank)[0]
    picture = tiny_png(120, 70)
    xml = export_moodle_xml([to_lms(q, model=model, names=names, diagram=lambda _q: picture)])
    el = _question_el(xml, q.id)
    text_el = el.find("questiontext")
    assert text_el is not None and text_el.get("format") == "html"
    # As question/format/xml/format.php writequestion(): <text>, then write_files() inside <questiontext>.
    assert [c.tag for c in text_el] == ["text", "file"]
    file = text_el.find("file")
    assert file.attrib == {"name": FIGURE_FILE, "path": "/", "encoding": "base64"}
    data = base64.b64decode(file.text, validate=True)
    assert data == picture and data.startswith(b"\x89PNG\r\n\x1a\n")
    markup = text_el.findtext("text")
    img = re.search(r"<img [^>]*>", markup).group(0)
    assert f'src="@@PLUGINFILE@@/{FIGURE_FILE}"' in img and 'width="120"' in img and 'height="70"' in img
    assert 'alt="' in img and "diagram" in img
    assert markup.startswith(f"<p>{q.prompt}</p>") and CLICK_NOTE not in markup  # the picture replaces the words
    # Still a choice among node names, which Moodle can grade.
    assert el.get("type") == "multichoice"
    labels = {n.label for n in model.pathway.nodes}
    options = [a.findtext("text") for a in el.findall("answer")]
    assert set(options) <= labels and len(options) >= 3


def test_gift_says_the_click_the_node_questions_are_text_only(bank: Bank, model, tiny_png) -> None:
    clicks = _clicks(bank)
    picture = tiny_png(40, 30)
    gift = export_gift([to_lms(q, model=model, diagram=lambda _q: picture) for q in clicks])
    assert f"// {GIFT_TEXT_ONLY}" in gift.splitlines()[:4]
    assert "@@PLUGINFILE@@" not in gift and "<img" not in gift
    back = import_gift(gift)
    assert back.problems == () and len(back.questions) == len(clicks)
    assert all(lq.figure is None and lq.text.endswith(CLICK_NOTE) for lq in back.questions)
    # A bank without click-the-node questions has no such line.
    others = [q for q in bank.questions if not isinstance(q, ClickNode)][:5]
    assert GIFT_TEXT_ONLY not in export_gift([to_lms(q, model=model) for q in others])


def test_the_pictured_questions_come_back_whole_with_a_note(bank: Bank, model, names, tiny_png) -> None:
    clicks = _clicks(bank)
    picture = tiny_png(50, 40)
    lms = [to_lms(q, model=model, names=names, diagram=lambda _q: picture) for q in clicks]
    xml = export_moodle_xml(lms)
    result = import_moodle_xml(xml)
    assert result.problems == ()
    assert list(result.questions) == lms  # texts, figure (bytes, size, alt), answers, grades, tags
    assert [n.message for n in result.notes] == [FIGURE_IMPORTED] * len(clicks)
    lines = xml.splitlines()
    assert all(lines[n.line - 1].lstrip().startswith("<question type=") for n in result.notes)
    ctx = BankContext.of(ROOT / "content", pathway=model.pathway, model=model)
    for q, lq in zip(clicks, result.questions, strict=True):
        entry = lms_to_yaml_entry(lq, q.id, labels=ctx.node_labels)
        assert entry["type"] == "click_node" and entry["prompt"] == q.prompt
        assert set([entry["answer"]] if isinstance(entry["answer"], str) else entry["answer"]) == set(q.answers)


def _with_picture(xml: str, qid: str, edit) -> str:  # noqa: ANN001 - edit(str) -> str on that question only
    start = xml.index(f"<idnumber>{qid}</idnumber>")
    begin, end = xml.rfind("<question ", 0, start), xml.index("</question>", start)
    return xml[:begin] + edit(xml[begin:end]) + xml[end:]


@pytest.mark.parametrize(("what", "edit", "words"), [
    ("IronBone's tags gone (a foreign question)",
     lambda s: re.sub(r"<tags>.*</tags>", "", s, flags=re.DOTALL), "@@PLUGINFILE@@"),
    ("another picture's name", lambda s: s.replace(FIGURE_FILE, "cell.png"), "@@PLUGINFILE@@"),
    ("a second file shown beside the diagram",
     lambda s: s.replace("&lt;/p&gt;\n&lt;p&gt;Find", '&lt;a href="@@PLUGINFILE@@/talk.mp3"&gt;hear&lt;/a&gt;&lt;/p&gt;'
                                                   "\n&lt;p&gt;Find"), "@@PLUGINFILE@@"),
    ("bytes that are not a PNG",
     lambda s: re.sub(r'(encoding="base64">)[^<]*', lambda m: m.group(1) + base64.b64encode(b"GIF89a....").decode(), s),
     "not a PNG image"),
    ("the diagram shown twice",
     lambda s: s.replace("&lt;p&gt;Find", '&lt;img src="@@PLUGINFILE@@/ironbone-diagram.png"&gt;&lt;p&gt;Find'),
     "more than once"),
])
def test_any_other_picture_is_still_refused_with_its_line(bank: Bank, model, tiny_png, what: str, edit,
                                                          words: str) -> None:
    q = _clicks(bank)[0]
    xml = export_moodle_xml([to_lms(q, model=model, diagram=lambda _q: tiny_png(20, 10))])
    changed = _with_picture(xml, q.id, edit)
    assert changed != xml, what
    result = import_moodle_xml(changed)
    assert result.questions == () and result.notes == ()
    [problem] = result.problems
    assert words in problem.message, (what, problem)
    assert problem.line > 1


def test_a_click_the_node_question_changed_in_moodle_comes_back_as_what_it_now_is(bank: Bank, model, tiny_png,
                                                                                tmp_path: Path) -> None:
    from app.quiz import userbank

    q = _clicks(bank)[0]
    lq = to_lms(q, model=model, diagram=lambda _q: tiny_png(20, 10))
    right = next(a.text for a in lq.answers if a.fraction == 100)
    xml = export_moodle_xml([lq]).replace(f"<text>{right}</text>", f"<text>{right} (the executioner)</text>")
    src = tmp_path / "changed.xml"
    src.write_text(xml, encoding="utf-8")
    ctx = BankContext.of(ROOT / "content", pathway=model.pathway, model=model)
    pv = userbank.preview(src, ctx=ctx)
    [inc] = pv.incoming
    assert inc.question.type == "single"  # a choice question now, not a wrong click-the-node one
    assert [n.reason for n in pv.notes] == [FIGURE_IMPORTED, userbank.CLICK_NODE_CHANGED]
    # Unchanged, the preview brings the click-the-node question and says where its picture went.
    src.write_text(export_moodle_xml([lq]), encoding="utf-8")
    pv = userbank.preview(src, ctx=ctx)
    assert [i.question.type for i in pv.incoming] == ["click_node"]
    assert [(n.line, n.reason) for n in pv.notes] == [(pv.incoming[0].line, FIGURE_IMPORTED)]


# --- what students read ----------------------------------------------------------------------

def _shown_texts(lq: LmsQuestion) -> list[str]:
    texts = [lq.text, lq.general_feedback, lq.feedback_right, lq.feedback_wrong]
    texts += [t for a in lq.answers for t in (a.text, a.feedback)]
    texts += [t for pair in lq.pairs for t in pair] + list(lq.distractors)
    if lq.figure is not None:
        texts += [lq.figure.lead, lq.figure.after, lq.figure.alt]
    return texts


def test_nothing_students_read_holds_an_internal_id(bank: Bank, model, names, tiny_png) -> None:
    questions = list(bank.questions) + list(generate_predictions(model))
    content = load_content(ROOT / "content")
    keys = set(content.references)
    ids = re.compile(r"\b(?:node|topic|ref):[\w-]+")
    lms = [to_lms(q, model=model, names=names, diagram=lambda _q: tiny_png(10, 10)) for q in questions]
    for fmt, back in (("xml", import_moodle_xml(export_moodle_xml(lms))), ("gift", import_gift(export_gift(lms)))):
        assert back.problems == ()
        for lq in back.questions:  # what Moodle shows, as IronBone's importer reads it back
            for text in _shown_texts(lq):
                assert not ids.search(text), (fmt, lq.idnumber, text)
                assert not set(re.findall(r"\b[a-z_]+\d{4}[a-z]?\b", text)) & keys, (fmt, lq.idnumber, text)
    # The ids stay where Moodle keeps them for IronBone, out of students' sight.
    assert all(lq.idnumber and any(t.startswith("ironbone-page:") for t in lq.tags) for lq in lms)


def test_feedback_names_the_page_by_title_and_section_and_the_works_by_author(bank: Bank, model, names) -> None:
    by_page = {q.page: q for q in bank.questions}
    outlook = to_lms(by_page["topic:s6-outlook"], model=model, names=names)
    assert "See IronBone's page 'Conclusions and outlook' (review §6)." in outlook.general_feedback
    cited = next(q for q in bank.questions if "xu2021" in q.cite and q.page.startswith("node:"))
    lq = to_lms(cited, model=model, names=names)
    title = model.pathway.node(cited.page[5:]).label
    assert f"See IronBone's page '{title}' (review §{cited.section})." in lq.general_feedback
    assert f"Sources: Cai et al., 2023, §{cited.section}; " in lq.general_feedback
    assert "Xu et al., 2021" in lq.general_feedback
    assert lq.general_feedback.startswith(cited.explanation + "\n\n")
    # Without the content's names nothing is printed raw: the node's page by its label, the review alone.
    bare = to_lms(cited, model=model)
    assert f"See IronBone's page '{title}'" in bare.general_feedback and "xu2021" not in bare.general_feedback
    assert "Source: Cai et al., 2023" in to_lms(by_page["topic:s6-outlook"], model=model).general_feedback


def test_explanations_of_older_exports_still_come_back_clean() -> None:
    old = LmsQuestion(kind="truefalse", name="x", text="T?", truth=True, tags=(
        "ironbone-section:3.1", "ironbone-page:topic:s3-1-estrogen-iron", "ironbone-type:truefalse"),
        general_feedback="Estrogen represses hepcidin. (IronBone page: topic:s3-1-estrogen-iron) Source: Cai et "
                         "al. 2023, section 3.1.")
    assert lms_to_yaml_entry(old, "x")["explanation"] == "Estrogen represses hepcidin."


def test_png_size_reads_the_header_and_refuses_other_bytes(tiny_png) -> None:
    assert png_size(tiny_png(1200, 706)) == (1200, 706)
    with pytest.raises(ValueError, match="not a PNG"):
        png_size(b"GIF89a" + bytes(30))
