"""Export writes only what Moodle accepts and reads back IronBone's own questions whole; import and
`import-quiz` never write what the bank would reject, never overwrite silently, and name lines as an
editor counts them."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from app.quiz.bank import Bank, BankContext, load_document
from app.quiz.exchange import (
    LmsQuestion,
    export_gift,
    export_moodle_xml,
    import_gift,
    import_moodle_xml,
    lms_to_yaml_entry,
    to_lms,
)
from app.quiz.generate import generate_predictions
from app.quiz.questions import MOODLE_FRACTIONS, Choice, Matching, MultipleAnswer, Numeric, TrueFalse

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "moodle"
COMMON = dict(section="2.1", nodes=("ros",), difficulty=2, explanation="Why.", page="node:ros")


def _all(bank: Bank, model) -> list:
    return list(bank.questions) + list(generate_predictions(model))


def _grades(xml: str) -> list[float]:
    root = ET.fromstring(xml.encode("utf-8"))
    return [float(a.get("fraction")) for a in root.iter("answer") if a.get("fraction") is not None]


def test_every_exported_grade_is_one_moodle_allows(bank: Bank, model) -> None:
    many = MultipleAnswer(id="many", prompt="Tick the iron proteins.", **COMMON,
                          choices=tuple(Choice(id=f"c{i}", text=f"option {i}") for i in range(14)),
                          answers=frozenset({"c0", "c1"}))  # 12 wrong options: -1/12 is not a Moodle grade
    lms = [to_lms(q, model=model) for q in [*_all(bank, model), many]]
    allowed = {round(f * 100, 5) for f in MOODLE_FRACTIONS}
    for grade in _grades(export_moodle_xml(lms)):
        assert grade in allowed, grade
    wrong = [a.fraction for a in lms[-1].answers if a.fraction < 0]
    assert set(wrong) == {-10.0}  # the next larger allowed penalty: all twelve wrong ticks still cost everything
    assert import_gift(export_gift(lms)).problems == ()


def test_predictions_with_many_targets_export_as_matching(model) -> None:
    preds = [q for q in generate_predictions(model) if len(q.targets) >= 2]
    assert preds
    for q in preds:
        lq = to_lms(q, model=model)
        assert lq.kind == "matching" and len(lq.pairs) == len(q.targets)


def test_html_in_a_plain_prompt_is_shown_as_written_in_moodle() -> None:
    q = TrueFalse(id="tf-html", prompt="Is <b>ROS</b> & iron < 3?", answer=True, **COMMON)
    gift = export_gift([to_lms(q)])
    assert "::tf-html::[plain]Is <b>ROS</b> & iron < 3?{TRUE" in gift  # [plain]: Moodle escapes the tags itself
    [back] = import_gift(gift).questions
    assert back.text == "Is <b>ROS</b> & iron < 3?"
    xml = export_moodle_xml([to_lms(q)])
    assert "Is &amp;lt;b&amp;gt;ROS&amp;lt;/b&amp;gt; &amp;amp; iron &amp;lt; 3?" in xml  # HTML-escaped, then XML
    assert import_moodle_xml(xml).questions[0].text == "Is <b>ROS</b> & iron < 3?"


def test_a_matching_item_with_an_arrow_exports_and_comes_back() -> None:
    q = Matching(id="arrows", prompt="Match the chains.", **COMMON,
                 pairs=(("iron -> ROS", "oxidative stress"), ("E2 -> hepcidin", "iron export"), ("C", "c -> d")),
                 distractors=("nothing",))
    lq = to_lms(q)
    gift = export_gift([lq])  # no ValueError any more
    [back] = import_gift(gift).questions
    assert back.pairs == q.pairs and back.distractors == ("nothing",)
    assert import_moodle_xml(export_moodle_xml([lq])).questions[0].pairs == q.pairs


def test_true_false_penalty_and_numeric_units_follow_moodle() -> None:
    tf = to_lms(TrueFalse(id="tf", prompt="True?", answer=True, **COMMON))
    num = to_lms(Numeric(id="num", prompt="Upper normal ferritin?", answer=150, tolerance=10, unit="µg/L", **COMMON))
    root = ET.fromstring(export_moodle_xml([tf, num]).encode("utf-8"))
    penalties = {q.get("type"): q.findtext("penalty") for q in root.iter("question") if q.get("type") != "category"}
    assert penalties == {"truefalse": "1", "numerical": "0.3333333"}
    numerical = next(q for q in root.iter("question") if q.get("type") == "numerical")
    assert numerical.findtext("units/unit/unit_name") == "µg/L" and numerical.findtext("units/unit/multiplier") == "1"
    assert (numerical.findtext("unitgradingtype"), numerical.findtext("showunits")) == ("0", "0")
    gift = export_gift([num])
    assert "Upper normal ferritin? (Answer in µg/L.)" in gift  # GIFT has no units: the prompt says it
    for back in (import_gift(gift).questions[0], import_moodle_xml(export_moodle_xml([num])).questions[0]):
        assert (back.text, back.unit, back.number, back.tolerance) == ("Upper normal ferritin?", "µg/L", 150, 10)


@pytest.mark.parametrize("fmt", ["gift", "xml"])
def test_the_bank_comes_back_with_its_sections_pages_and_nodes(bank: Bank, model, fmt: str, tiny_png) -> None:
    from app.knowledge.content import load_content
    from app.quiz.lmsnames import ReaderNames

    questions = _all(bank, model)
    # As the CLI exports: readable references, and the diagram's picture in Moodle XML.
    names = ReaderNames.of(load_content(ROOT / "content"))
    picture = tiny_png(30, 20)
    lms = [to_lms(q, model=model, names=names, diagram=(lambda _q: picture) if fmt == "xml" else None)
           for q in questions]
    result = import_gift(export_gift(lms)) if fmt == "gift" else import_moodle_xml(export_moodle_xml(lms))
    assert result.problems == () and len(result.questions) == len(questions)
    ctx = BankContext.of(ROOT / "content", pathway=model.pathway, model=model)
    entries = [lms_to_yaml_entry(lq, f"back-{i}", labels=ctx.node_labels) for i, lq in enumerate(result.questions)]
    data = yaml.safe_load(yaml.safe_dump({"defaults": {"section": "1", "page": "topic:overview", "difficulty": 1,
                                                       "nodes": ["bone_mass"]}, "questions": entries}))
    back, problems = load_document(data, "back.yaml", ctx)
    assert problems == []
    for q, b, lq in zip(questions, back, result.questions, strict=True):
        assert lq.idnumber == q.id
        assert (b.section, b.page, b.nodes, b.difficulty, b.cite) == (q.section, q.page, q.nodes, q.difficulty, q.cite)
        assert b.explanation == q.explanation
        if q.type in ("single", "multiple", "truefalse", "click_node", "matching", "numeric"):
            assert b.prompt == q.prompt and b.type == q.type
        if q.type == "click_node":
            assert b.answers == q.answers


def test_gift_lines_are_counted_as_editors_count_them() -> None:
    # U+2028, U+0085 and a form feed are characters, not line ends: the essay is on line 3.
    text = "::A::Is \u2028it\u0085 \x0c true?{T}\n\n::Essay::Write.{}\n"
    result = import_gift(text)
    assert [q.line for q in result.questions] == [1]
    assert [(p.line, p.message.split(" ")[0]) for p in result.problems] == [(3, "essay")]
    assert import_gift("a\r\nb{T}\r\n\r\n::E::{}\r\n").problems[0].line == 4


def test_an_unknown_xml_encoding_is_one_clear_line() -> None:
    result = import_moodle_xml(b'<?xml version="1.0" encoding="x-klingon"?>\n<quiz></quiz>')
    assert result.questions == ()
    [problem] = result.problems
    assert problem.line == 1 and "'x-klingon'" in problem.message and "UTF-8" in problem.message


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", "import-quiz", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, check=False)


def test_import_quiz_writes_only_what_the_bank_accepts(tmp_path: Path) -> None:
    src = tmp_path / "moodle.gift"
    src.write_bytes((FIXTURES / "questions.gift.txt").read_bytes())
    done = _cli(str(src))
    assert done.returncode == 0, done.stderr
    doc = yaml.safe_load((tmp_path / "moodle.yaml").read_text(encoding="utf-8"))
    import app.quiz.bank as bankmod

    ctx = bankmod.BankContext.of(ROOT / "content")
    _, problems = load_document(doc, "moodle.yaml", ctx)
    assert problems == []
    matching = next(q for q in doc["questions"] if q["type"] == "matching")
    assert matching["distractors"] == ["Chat"] and all(left for left, _ in matching["pairs"])
    assert "5 question(s) imported" in done.stderr and "4 not imported" in done.stderr


def test_import_quiz_does_not_overwrite_the_default_output_without_force(tmp_path: Path) -> None:
    src = tmp_path / "mine.gift"
    src.write_text("::A::Iron is a metal.{T}\n", encoding="utf-8")
    kept = tmp_path / "mine.yaml"
    kept.write_text("# my edited questions\n", encoding="utf-8")
    done = _cli(str(src))
    assert done.returncode == 1 and "--force" in done.stderr and "Traceback" not in done.stderr
    assert kept.read_text(encoding="utf-8") == "# my edited questions\n"
    assert _cli(str(src), "--force").returncode == 0
    assert yaml.safe_load(kept.read_text(encoding="utf-8"))["questions"][0]["type"] == "truefalse"


def test_import_quiz_with_nothing_the_bank_accepts_writes_nothing(tmp_path: Path) -> None:
    src = tmp_path / "bad.gift"
    # Importable as Moodle reads it, but the node it names does not exist: the bank's loader says no.
    src.write_text("::A::Iron is a metal.{T}\n", encoding="utf-8")
    done = _cli(str(src), "--nodes", "no_such_node")
    assert done.returncode == 1 and "unknown node 'no_such_node'" in done.stderr
    assert not (tmp_path / "bad.yaml").exists()


def test_lms_question_without_tags_takes_the_defaults() -> None:
    entry = lms_to_yaml_entry(LmsQuestion(kind="truefalse", name="x", text="T?", truth=True), "x")
    assert set(entry) == {"id", "type", "prompt", "answer", "explanation"}
