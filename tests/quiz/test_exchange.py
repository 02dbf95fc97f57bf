"""Export to GIFT and Moodle XML and back: every type has an equivalent, special characters are
escaped, unsupported GIFT constructs are reported with their lines, and the CLI works."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from app.quiz.bank import Bank
from app.quiz.exchange import (
    LmsAnswer,
    LmsQuestion,
    export_gift,
    export_moodle_xml,
    gift_escape,
    gift_unescape,
    import_gift,
    import_moodle_xml,
    to_lms,
)
from app.quiz.generate import generate_predictions
from app.quiz.questions import QUESTION_TYPES


def _all(bank: Bank, model) -> list:
    return list(bank.questions) + list(generate_predictions(model))


def test_every_type_round_trips_through_gift(bank: Bank, model) -> None:
    questions = _all(bank, model)
    assert {q.type for q in questions} == set(QUESTION_TYPES)
    lms = [to_lms(q, model=model) for q in questions]
    result = import_gift(export_gift(lms))
    assert result.problems == ()
    assert list(result.questions) == lms
    kinds = {q.type: lq.kind for q, lq in zip(questions, lms, strict=True)}
    assert kinds == {"single": "multichoice", "multiple": "multichoice", "truefalse": "truefalse",
                     "click_node": "multichoice", "predict": "matching", "ordering": "matching",
                     "matching": "matching", "numeric": "numerical"}


def test_prediction_export_is_keyed_by_the_model(bank: Bank, model) -> None:
    q = bank.get("pred-menopause-hepcidin")
    lq = to_lms(q, model=model)
    # A matching question node -> direction: each node's statement stays whole however Moodle
    # shuffles, and Moodle grades it as IronBone does, by the share of nodes matched.
    assert lq.kind == "matching" and len(lq.pairs) == len(q.targets)
    assert dict(lq.pairs)["Hepcidin"] == "goes up"
    assert set(dict(lq.pairs).values()) | set(lq.distractors) == {"goes up", "goes down", "does not change"}


def test_special_characters_are_escaped() -> None:
    nasty = "a~b=c#d{e}f:g\\h\nnew line → µg/L <b>&"
    assert gift_unescape(gift_escape(nasty)) == nasty
    assert "\n" not in gift_escape(nasty)
    q = LmsQuestion(kind="multichoice", name="x::y", text=nasty, general_feedback=nasty, category="c",
                    answers=(LmsAnswer(text=nasty, fraction=100, feedback=nasty), LmsAnswer(text="b", fraction=0)))
    [back] = import_gift(export_gift([q])).questions
    assert back == q
    root = ET.fromstring(export_moodle_xml([q]).encode("utf-8"))
    text = root.find("question[@type='multichoice']/questiontext/text").text
    assert "&lt;b&gt;" in text and "<br>" in text


def test_moodle_xml_parses_and_has_every_question(bank: Bank, model) -> None:
    questions = _all(bank, model)
    xml = export_moodle_xml([to_lms(q, model=model) for q in questions])
    root = ET.fromstring(xml.encode("utf-8"))
    qs = [e for e in root.findall("question") if e.get("type") != "category"]
    assert len(qs) == len(questions)
    assert {e.get("type") for e in qs} == {"multichoice", "truefalse", "matching", "numerical"}
    for e in qs:
        assert e.find("name/text").text and e.find("generalfeedback/text").text
        if e.get("type") == "multichoice":
            fr = [float(a.get("fraction")) for a in e.findall("answer")]
            assert abs(sum(f for f in fr if f > 0) - 100) < 1e-3


def test_gift_import_reports_unsupported_constructs_with_lines() -> None:
    text = """// a comment
$CATEGORY: Mine

::Good::Which is the iron exporter?{=FPN1 ~TfR1#no, that imports ~DMT1}

::Essay::Write about iron.{}

::Short::Name the liver's iron hormone.{=hepcidin =HAMP}

Grant is {~buried =entombed ~living} in Grant's tomb.

::TF::Hepcidin comes from the liver.{T#wrong!#right!}

::Num::Normal ferritin upper limit?{#
  =150:10
}

::Range::Menstrual iron loss per year?{#30..42}

::Match::Match.{=OPG -> osteoprotegerin =ROS -> oxidants =Tf -> transferrin}

::Multi::Pick two.{~%50%a ~%50%b ~%-100%c}
"""
    res = import_gift(text)
    assert [(p.line, p.message.split(" ")[0]) for p in res.problems] == [(6, "essay"), (8, "short-answer"),
                                                                           (10, "text")]
    assert "missing-word" in res.problems[2].message
    by = {q.name: q for q in res.questions}
    assert set(by) == {"Good", "TF", "Num", "Range", "Match", "Multi"}
    assert by["Good"].category == "Mine" and by["Good"].line == 4 and by["Good"].single
    assert by["Good"].answers[1].feedback == "no, that imports"
    assert by["TF"].truth and by["TF"].feedback_right == "right!" and by["TF"].feedback_wrong == "wrong!"
    assert (by["Num"].number, by["Num"].tolerance) == (150, 10)
    assert (by["Range"].number, by["Range"].tolerance) == (36, 6)
    assert by["Match"].pairs[0] == ("OPG", "osteoprotegerin")
    assert not by["Multi"].single


def test_cli_export_and_import(tmp_path: Path, bank: Bank, model, capsys) -> None:
    from app.cli import main

    gift, xml = tmp_path / "bank.gift", tmp_path / "bank.xml"
    assert main(["export-quiz", "--format", "gift", str(gift)]) == 0
    assert main(["export-quiz", "--format", "moodle-xml", str(xml)]) == 0
    ET.parse(xml)
    n = len(_all(bank, model))
    assert len(import_gift(gift.read_text(encoding="utf-8")).questions) == n
    # A lecturer's file: imported into the bank format, which then loads as questions.
    mine = tmp_path / "mine.gift"
    mine.write_text("::A::Iron exporter?{=FPN1 ~TfR1}\n\n::B::Essay{}\n\n::C::True?{TRUE}\n", encoding="utf-8")
    out = tmp_path / "mine.yaml"
    assert main(["import-quiz", str(mine), "--out", str(out), "--section", "3.2",
                 "--page", "node:fpn1", "--nodes", "fpn1"]) == 0
    err = capsys.readouterr().err
    assert f"{mine}:3: not imported: essay" in err
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [q["type"] for q in doc["questions"]] == ["single", "truefalse"]
    from app.quiz.bank import parse_question

    for raw in doc["questions"]:
        parse_question(raw, "mine.yaml", defaults=doc["defaults"])


def test_every_type_round_trips_through_moodle_xml(bank: Bank, model) -> None:
    lms = [to_lms(q, model=model) for q in _all(bank, model)]
    result = import_moodle_xml(export_moodle_xml(lms))
    assert result.problems == ()
    assert list(result.questions) == lms  # texts, answers, grades, feedback, categories, numbers


def test_special_characters_round_trip_through_moodle_xml() -> None:
    nasty = "a~b=c#d{e}f:g\\h\nnew line → µg/L <b>& </p> ]]> &amp;"
    q = LmsQuestion(kind="multichoice", name="x <y> & z", text=nasty, general_feedback=nasty, category="c/d",
                    answers=(LmsAnswer(text=nasty, fraction=100, feedback=nasty), LmsAnswer(text="b", fraction=0)))
    tf = LmsQuestion(kind="truefalse", name="tf", text="True?", category="c/d", truth=False, feedback_right="yes",
                     feedback_wrong="no")
    assert import_moodle_xml(export_moodle_xml([q, tf])).questions == (q, tf)


MOODLE = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category><text>$course$/top/Bone biology</text></category>
  </question>
  <question type="multichoice">
    <name><text>Hepcidin</text></name>
    <questiontext format="html">
      <text><![CDATA[<p>Which protein does   <strong>hepcidin</strong> break down?</p><p>Pick one.</p>]]></text>
    </questiontext>
    <generalfeedback format="html"><text>&lt;p&gt;See the iron page.&lt;/p&gt;</text></generalfeedback>
    <single>true</single>
    <answer fraction="100" format="html"><text>Ferroportin (FPN1)</text>
      <feedback format="html"><text>Right.</text></feedback></answer>
    <answer fraction="0" format="html"><text>Transferrin receptor 1</text></answer>
  </question>
  <question type="shortanswer">
    <name><text>Typed</text></name>
    <questiontext format="html"><text>Name the cell.</text></questiontext>
    <answer fraction="100"><text>osteoclast</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Picture</text></name>
    <questiontext format="html"><text><![CDATA[<p>Which cell? <img src="@@PLUGINFILE@@/c.png"></p>]]></text>
    </questiontext>
    <answer fraction="100"><text>A</text></answer><answer fraction="0"><text>B</text></answer>
  </question>
  <question type="multichoice">
    <name><text>Partial</text></name>
    <questiontext format="html"><text>Half right?</text></questiontext>
    <single>true</single>
    <answer fraction="100"><text>A</text></answer><answer fraction="50"><text>B</text></answer>
  </question>
  <question type="numerical">
    <name><text>Ferritin</text></name>
    <questiontext format="moodle_auto_format"><text>Upper normal ferritin for women (µg/L)?</text></questiontext>
    <answer fraction="100" format="moodle_auto_format"><text>150</text><tolerance>10</tolerance></answer>
    <units><unit><multiplier>1</multiplier><unit_name>µg/L</unit_name></unit></units>
  </question>
  <question type="truefalse">
    <name><text>TF</text></name>
    <questiontext format="html"><text>Estrogen falls at menopause.</text></questiontext>
    <answer fraction="100" format="moodle_auto_format"><text>true</text>
      <feedback format="html"><text>Yes.</text></feedback></answer>
    <answer fraction="0" format="moodle_auto_format"><text>false</text>
      <feedback format="html"><text>No: it falls.</text></feedback></answer>
  </question>
  <question type="matching">
    <name><text>Pairs</text></name>
    <questiontext format="html"><text>Match.</text></questiontext>
    <subquestion format="html"><text>RANKL</text><answer><text>drives osteoclasts</text></answer></subquestion>
    <subquestion format="html"><text>OPG</text><answer><text>decoy receptor</text></answer></subquestion>
    <subquestion format="html"><text>NF-&amp;kappa;B</text><answer><text>gene switch</text></answer></subquestion>
  </question>
  <question type="essay">
    <name><text>Essay</text></name>
    <questiontext format="html"><text>Discuss.</text></questiontext>
  </question>
</quiz>
"""


def _line(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


def test_moodle_xml_as_moodle_writes_it() -> None:
    result = import_moodle_xml(MOODLE)
    by = {q.name: q for q in result.questions}
    assert list(by) == ["Hepcidin", "Partial", "Ferritin", "TF", "Pairs"]
    # One answer, partial credit: read as Moodle grades it (B earns half), not refused, not altered.
    assert [(a.text, a.fraction) for a in by["Partial"].answers] == [("A", 100), ("B", 50)]
    assert by["Partial"].single
    hep = by["Hepcidin"]
    assert hep.text == "Which protein does hepcidin break down?\n\nPick one."  # HTML as a reader sees it
    assert hep.general_feedback == "See the iron page." and hep.category == "Bone biology"
    assert [(a.text, a.fraction, a.feedback) for a in hep.answers] == [
        ("Ferroportin (FPN1)", 100, "Right."), ("Transferrin receptor 1", 0, "")]
    assert hep.line == _line(MOODLE, '<question type="multichoice">')
    assert (by["Ferritin"].number, by["Ferritin"].tolerance, by["Ferritin"].unit) == (150, 10, "µg/L")
    assert (by["TF"].truth, by["TF"].feedback_right, by["TF"].feedback_wrong) == (True, "Yes.", "No: it falls.")
    assert by["Pairs"].pairs == (("RANKL", "drives osteoclasts"), ("OPG", "decoy receptor"),
                                 ("NF-κB", "gene switch"))
    problems = {p.line: p.message for p in result.problems}
    assert problems == {
        _line(MOODLE, '<question type="shortanswer">'): "short-answer questions (typed text) are not supported",
        _line(MOODLE, "<questiontext format=\"html\"><text><![CDATA[<p>Which cell?"):
            "<questiontext> refers to a file stored in the Moodle quiz (@@PLUGINFILE@@); IronBone questions are "
            "text only",
        _line(MOODLE, '<question type="essay">'): "essay questions are not supported",
    }


@pytest.mark.parametrize(("xml", "line", "words"), [
    ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n'
     "<quiz><question type='truefalse'><questiontext><text>&lol2;</text></questiontext></question></quiz>",
     2, "document type or entity declaration is not allowed"),
    ('<?xml version="1.0"?>\n<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<quiz>&x;</quiz>',
     2, "document type or entity declaration is not allowed"),
    ("<quiz>\n<question type='multichoice'>\n<name><text>a</name>\n</quiz>", 3, "not well-formed XML: mismatched tag"),
    ("\n\n<questions/>", 3, "starts with <quiz>, not <questions>"),
    ("<quiz>\n</quiz>", 1, "no <question>"),
    ("<quiz><question type='numerical'><questiontext format='html'><text>n?</text></questiontext>"
     "<answer fraction='100'><text>1e400</text></answer></question></quiz>", 1, "must be finite"),
    ("<quiz><question type='multichoice'><questiontext><text>q</text></questiontext>"
     "<answer fraction='nan'><text>a</text></answer><answer><text>b</text></answer></question></quiz>",
     1, "must be between -100 and 100"),
    (b"<quiz>\n<question type='truefalse'>\xff</question></quiz>", 2, "not well-formed XML"),
])
def test_bad_moodle_xml_is_reported_with_its_line(xml, line: int, words: str) -> None:
    result = import_moodle_xml(xml)
    assert result.questions == ()
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.line == line and words in problem.message, problem
    assert "lollol" not in problem.message and "root:" not in problem.message


def test_cli_imports_moodle_xml(tmp_path: Path, capsys) -> None:
    from app.cli import main
    from app.quiz.bank import parse_question

    mine = tmp_path / "from-moodle.xml"
    mine.write_text(MOODLE, encoding="utf-8")
    out = tmp_path / "mine.yaml"
    assert main(["import-quiz", str(mine), "--out", str(out), "--nodes", "hepcidin,fpn1"]) == 0
    err = capsys.readouterr().err
    essay = _line(MOODLE, '<question type="essay">')
    assert f"{mine}:{essay}: not imported: essay" in err
    assert "5 question(s) imported" in err
    doc = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert [q["type"] for q in doc["questions"]] == ["single", "single", "numeric", "truefalse", "matching"]
    assert [c.get("credit") for c in doc["questions"][1]["choices"]] == [100, 50]
    for raw in doc["questions"]:
        parse_question(raw, "mine.yaml", defaults=doc["defaults"])
    # A file that is XML by its first bytes, whatever its name; broken: exit 1 and nothing written.
    broken = tmp_path / "export.txt"
    broken.write_text("<?xml version='1.0'?>\n<quiz><question>", encoding="utf-8")
    out.write_text("kept", encoding="utf-8")
    assert main(["import-quiz", str(broken), "--out", str(out)]) == 1
    assert f"{broken}:2: not imported: not well-formed XML" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "kept"
