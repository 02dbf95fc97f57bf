"""Export to GIFT and Moodle XML and back: every type has an equivalent, special characters are
escaped, unsupported GIFT constructs are reported with their lines, and the CLI works."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

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
                     "click_node": "multichoice", "predict": "multichoice", "ordering": "matching",
                     "matching": "matching", "numeric": "numerical"}


def test_prediction_export_is_keyed_by_the_model(bank: Bank, model) -> None:
    q = bank.get("pred-menopause-hepcidin")
    lq = to_lms(q, model=model)
    right = {a.text for a in lq.answers if a.fraction > 0}
    assert "Hepcidin goes up" in right and "Hepcidin goes down" not in right
    assert abs(sum(a.fraction for a in lq.answers if a.fraction > 0) - 100) < 1e-3


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
  =150:10#ok
}

::Range::Menstrual iron loss per year?{#30..42}

::Match::Match.{=OPG -> osteoprotegerin =ROS -> oxidants =Tf -> transferrin}

::Multi::Pick two.{~%50%a ~%50%b ~%-100%c}
"""
    res = import_gift(text)
    assert [(p.line, p.message.split(" ")[0]) for p in res.problems] == [(6, "essay"), (8, "short-answer"),
                                                                           (10, "missing-word")]
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
