"""Moodle's own GIFT and Moodle XML test fixtures, imported question by question and compared with
what Moodle's own tests say Moodle reads from them: IronBone imports the same question or refuses
it naming its line, never a different question (tests/fixtures/moodle/README.md says where each
file comes from)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.quiz.exchange import ImportResult, LmsAnswer, import_gift, import_moodle_xml

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "moodle"


def _read(name: str) -> ImportResult:
    data = (FIXTURES / name).read_bytes()
    return import_moodle_xml(data) if name.endswith(".xml") else import_gift(data.decode("utf-8"))


def _by_line(result: ImportResult) -> tuple[dict, dict]:
    return {q.line: q for q in result.questions}, {p.line: p.message for p in result.problems}


def _answers(q) -> list[tuple[str, float, str]]:
    return [(a.text, a.fraction, a.feedback) for a in q.answers]


def test_gift_questions_fixture() -> None:
    """question/format/gift/tests/fixtures/questions.gift.txt against giftformat_test.php."""
    questions, problems = _by_line(_read("questions.gift.txt"))
    # test_import_essay: qtype essay -> refused.
    assert problems[2].startswith("essay questions")
    # test_import_match: [html] stripped, subquestion texts without their markers, '= -> Chat' an extra
    # answer with an empty item (subquestions[4] text '', subanswers[4] 'Chat').
    match = questions[5]
    assert (match.kind, match.name) == ("matching", "Moodle activities")
    assert match.text == "Match the activity to the description."  # Moodle keeps <b>; shown as a reader sees it
    assert match.pairs == (("An activity supporting asynchronous discussions.", "Forum"),
                           ("A teacher asks a question and specifies a choice of multiple responses.", "Choice"),
                           ("A bank of record entries which participants can add to.", "Database"),
                           ("A collection of web pages that anyone can add to or edit.", "Wiki"))
    assert match.distractors == ("Chat",)
    # test_import_multichoice: single, fractions (1, 0, 0), answer 'blue' without [plain], feedback
    # "wrong, it's yellow" without [html].
    q2 = questions[14]
    assert (q2.kind, q2.single, q2.name) == ("multichoice", True, "Q2")
    assert q2.text == "What's between orange and green in the spectrum?"
    assert _answers(q2) == [("yellow", 100, "right; good!"), ("red", 0, "wrong, it's yellow"),
                            ("blue", 0, "wrong, it's yellow")]
    # test_import_multichoice_multi: single 0, fractions (0.5, -1, 0.5, -1), markers stripped.
    colours = questions[22]
    assert (colours.kind, colours.single) == ("multichoice", False)
    assert _answers(colours) == [("yellow", 50, "right; good!"), ("red", -100, "wrong"),
                                 ("off-beige", 50, "right; good!"), ("blue", -100, "wrong")]
    # test_import_numerical: answers ('3' tol 2 at 100 %, '*' at 0 % with "Completely wrong"): the
    # catch-all feedback has no IronBone equivalent -> refused, blamed on the '~#' feedback.
    assert "feedback for wrong answers (~#" in problems[31]
    # test_import_shortanswer -> refused.
    assert problems[34].startswith("short-answer")
    # test_import_truefalse reads "FALSE#...#..." as correctanswer 0; in this fixture file the block
    # ends in '";' after the brace, so Moodle reads a missing-word question ("_____") -> refused.
    assert "missing-word" in problems[41]
    # test_import_truefalse_true_answer1 / 2: {T} and {TRUE} -> correctanswer 1.
    for line in (46, 49):
        assert (questions[line].kind, questions[line].truth, questions[line].text) == ("truefalse", True,
                                                                                         "TSL is blablabla.")
    # Moodle's behat import counts 9 questions in this file: every one is here, imported or refused.
    assert len(questions) + len(problems) == 9


def test_gift_numerical_with_catch_all_feedback_is_blamed_on_the_feedback() -> None:
    """giftformat_test.php test_import_numerical, exactly as the test writes it."""
    result = import_gift("// math range question\n::Q5:: What is a number from 1 to 5? {#3:2~#Completely wrong}")
    assert result.questions == ()
    assert result.problems[0].line == 2 and "(~#" in result.problems[0].message
    assert "number" not in result.problems[0].message.split(":")[0]


def test_gift_truefalse_with_feedback_as_moodle_tests_it() -> None:
    """giftformat_test.php test_import_truefalse: FALSE, feedbacktrue = the first text (the feedback for
    the wrong answer 'true'), feedbackfalse = the second."""
    [q] = import_gift("// true/false\n::Q1:: 42 is the Absolute Answer to everything.{\n"
                      "FALSE#42 is the Ultimate Answer.#You gave the right answer.}").questions
    assert (q.truth, q.text) == (False, "42 is the Absolute Answer to everything.")
    assert (q.feedback_wrong, q.feedback_right) == ("42 is the Ultimate Answer.", "You gave the right answer.")


def test_gift_idnumber_and_tags_as_moodle_reads_them() -> None:
    """giftformat_test.php test_extract_idnumber_and_tags_from_comment cases, on a question IronBone has."""
    cases = [("// A comment with [id:frog] <-- an idnumber.", "frog", ()),
             ("// Look tags: [tag:frog] [tag:toad].", "", ("frog", "toad")),
             ("// [tag:add] [tag:basic] [id:four]", "four", ("add", "basic")),
             ("// [tag:  basic] Here is  \n// a [id:   four   ] que[tag:add   ]stion.", "four", ("basic", "add")),
             ("// [id:i\\]d].", "i]d", ()),
             ("// [tag:t\\]ag].", "", ("t]ag",))]
    for comment, idnumber, tags in cases:
        [q] = import_gift(f"{comment}\n::Q::Is it?{{TRUE}}").questions
        assert (q.idnumber, q.tags) == (idnumber, tags), comment


def test_gift_questions_in_category_fixture() -> None:
    """question/format/gift/tests/fixtures/questions_in_category.gift.txt (Moodle's behat import)."""
    questions, problems = _by_line(_read("questions_in_category.gift.txt"))
    assert {q.category for q in questions.values()} == {"Default for New Features"}
    assert questions[5].distractors == ("Chat",) and len(questions[5].pairs) == 4
    greeting = questions[14]
    # [html] text: tags go, escaped \= and \: come back, <br /><br /> is a paragraph break; the link's
    # address stays readable because the question needs the recording.
    assert greeting.text == ("Listen to this greeting: (http://demo.moodle.net/file.php/5/media/bonjour.mp3)\n\n"
                             "What language is being spoken?")
    assert _answers(greeting) == [("English", 0, "Sorry, listen again."), ("French", 100, "Yes, well done!"),
                                  ("German", 0, "Sorry, listen again."), ("Spanish", 0, "Sorry, listen again.")]
    assert problems[22].startswith("short-answer")  # {=%100%Moodler#}: one '=' answer, no '~': short answer
    acronym = questions[27]
    assert (acronym.kind, acronym.truth) == ("truefalse", True)
    assert acronym.text == "Moodle is an acronym for Modular Object-Oriented Dynamic Learning Environment."


def test_gift_documentation_examples() -> None:
    """question/format/gift/examples.txt, the examples of Moodle's GIFT documentation, as format.php reads them."""
    questions, problems = _by_line(_read("examples.gift.txt"))
    grant = questions[8]
    assert _answers(grant) == [("Grant", 0, ""), ("Jefferson", 0, ""), ("no one", 100, "")]
    assert "missing-word" in problems[10]  # Grant is {~buried =entombed ~living} in Grant's tomb.
    assert (questions[12].kind, questions[12].truth) == ("truefalse", False)
    assert problems[14].startswith("short-answer")
    assert (questions[16].number, questions[16].tolerance) == (1822, 1)
    assert (questions[70].number, questions[70].tolerance) == (1822, 0)  # {#1822}
    assert problems[72].startswith("text after") and problems[74].startswith("text after")  # "{#...}."
    assert "partial credit" in problems[76]  # =1822:0 =%50%1822:2
    # [markdown]: the marker goes and the markup is read (**Grant's tomb** -> Grant's tomb); it is a
    # short-answer question, so refused.
    assert problems[103].startswith("short-answer")
    # Percentage weights on a one-answer question: Moodle keeps single = 1 (there is an '=') with
    # 'half credit answer' worth 50 %; IronBone reads the same.
    difficult = questions[115]
    assert difficult.single and _answers(difficult) == [("wrong answer", 0, ""), ("half credit answer", 50, ""),
                                                        ("full credit answer", 100, "")]
    # Multiple answers: no '=', so several answers (single = 0), with the weights as written.
    assert not questions[130].single and [a.fraction for a in questions[130].answers] == [0, 50, 50, 0]
    assert [a.fraction for a in questions[136].answers] == [-50, 50, 50, -50]
    # Special characters: escaped '=' is text.
    assert [a.text for a in questions[143].answers] == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = questions[148]
    assert [a.text for a in control.answers] == ["~", "=", "#", "{", "}", "\\"]
    assert control.answers[5].fraction == 100 and control.answers[5].feedback.startswith(
        "Correct! \\ (backslash) is not a control character. BUT,\nit is used")
    assert questions[177].pairs == (("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo"))
    assert questions[190].answers[1] == LmsAnswer(text="half credit answer", fraction=50, feedback="comment on answer")
    assert "partial credit" in problems[202]


def test_xml_multichoice_fixture_with_files_is_refused() -> None:
    """question/format/xml/tests/fixtures/multichoice.xml: Moodle imports 1 question whose text links
    to an embedded recording and whose answers are flag pictures (behat import_export.feature);
    IronBone cannot show them, so it refuses the question at its line instead of importing it without."""
    result = _read("multichoice.xml")
    assert result.questions == ()
    assert [(p.line, "@@PLUGINFILE@@" in p.message) for p in result.problems] == [(16, True)]


def test_xml_old_image_tag_fixture() -> None:
    """sample_questions_with_old_image_tag.xml: Moodle imports 2 (a cloze and 'mcq with image', whose
    picture is Moodle 1.9's <image>/<image_base64>); IronBone names the cloze and the image."""
    questions, problems = _by_line(_read("sample_questions_with_old_image_tag.xml"))
    assert questions == {}
    assert problems[16] == "embedded-answer (cloze) questions are not supported"
    assert problems[42].startswith("the question has an image (<image>")


def test_xml_invalid_grades_fixture() -> None:
    """error_invalid_grades.xml: Moodle's importer stops with 'invalidgradequestion' (grades 0.33)
    (qformat_xml_import_export_test.php, test_importprocess 'Import with invalid grades')."""
    result = _read("error_invalid_grades.xml")
    assert result.questions == ()
    assert [(p.line, p.message.split(" is not")[0]) for p in result.problems] == [(38, "the grade fraction='33'")]


def test_xml_cloze_fixture() -> None:
    """broken_cloze_questions.xml: type="cloze" is Moodle XML's spelling of embedded answers."""
    result = _read("broken_cloze_questions.xml")
    assert result.questions == ()
    assert [p.line for p in result.problems] == [4, 20, 36, 52, 68]
    assert {p.message for p in result.problems} == {"embedded-answer (cloze) questions are not supported"}


def test_xml_categories_and_idnumbers() -> None:
    """nested_categories_with_questions.xml and old_format_file.xml (qformat_xml_import_export_test.php
    test_import_nested_categories_with_questions, test_import_old_format: each question in its
    category), html_chars_in_idnumbers.xml (idnumber 'T & F')."""
    nested = {q.name: q.category for q in _read("nested_categories_with_questions.xml").questions}
    assert nested == {"Iota Question": "Iota", "Kappa Question": "Iota/Kappa", "Lambda Question": "Iota/Kappa/Lambda",
                      "Mu Question": "Iota/Mu"}
    assert [p.message for p in _read("nested_categories_with_questions.xml").problems] == [
        "essay questions are not supported"]
    old = _read("old_format_file.xml").questions
    assert [(q.name, q.category, q.text, q.truth) for q in old] == [
        ("Pi Question", "Pi", "Testing Pi Question", True), ("Rho Question", "Pi/Rho", "Testing Rho Question", True)]
    [alpha] = _read("html_chars_in_idnumbers.xml").questions
    assert (alpha.idnumber, alpha.category, alpha.text) == ("T & F", "Alpha", "Testing Alpha Question")


@pytest.mark.parametrize(("xml", "expected"), [
    # xmlformat_test.php test_import_match_19: generalfeedback without a format is HTML to Moodle
    # (FORMAT_HTML); subquestion '' with answer 'd' is an extra answer.
    ("""<quiz><question type="matching"><name><text>Matching question</text></name>
    <questiontext format="html"><text>Match the upper and lower case letters.</text></questiontext>
    <generalfeedback><text>The answer is A -&gt; a, B -&gt; b and C -&gt; c.</text></generalfeedback>
    <subquestion><text>A</text><answer><text>a</text></answer></subquestion>
    <subquestion><text>B</text><answer><text>b</text></answer></subquestion>
    <subquestion><text>C</text><answer><text>c</text></answer></subquestion>
    <subquestion><text></text><answer><text>d</text></answer></subquestion></question></quiz>""",
     dict(kind="matching", pairs=(("A", "a"), ("B", "b"), ("C", "c")), distractors=("d",),
          general_feedback="The answer is A -> a, B -> b and C -> c.")),
    # Moodle writes type="matching"; type="match" (qtype_match's own name) reads the same.
    ("""<quiz><question type="match"><name><text>M</text></name><questiontext><text>Match.</text></questiontext>
    <subquestion><text>A</text><answer><text>a</text></answer></subquestion>
    <subquestion><text>B</text><answer><text>b</text></answer></subquestion>
    <subquestion><text>C</text><answer><text>c</text></answer></subquestion></question></quiz>""",
     dict(kind="matching", pairs=(("A", "a"), ("B", "b"), ("C", "c")))),
    # test_import_multichoice_19: single false, fractions (0, 1, 0, 1).
    ("""<quiz><question type="multichoice"><name><text>Multiple choice question</text></name>
    <questiontext format="html"><text>Which are the even numbers?</text></questiontext>
    <generalfeedback><text>The even numbers are 2 and 4.</text></generalfeedback><single>false</single>
    <answer fraction="0"><text>1</text></answer><answer fraction="100"><text>2</text></answer>
    <answer fraction="0"><text>3</text></answer><answer fraction="100"><text>4</text></answer></question></quiz>""",
     dict(kind="multichoice", single=False, answers=tuple(LmsAnswer(text=t, fraction=f) for t, f in
                                                          (("1", 0), ("2", 100), ("3", 0), ("4", 100))))),
    # test_import_truefalse_19 and _with_idnumber: correctanswer true, feedbacktrue 'Well done!'.
    ("""<quiz><question type="truefalse"><name><text>True false question</text></name>
    <questiontext format="html"><text>The answer is true.</text></questiontext>
    <generalfeedback><text>General feedback: You should have chosen true.</text></generalfeedback>
    <idnumber>TestIdNum1</idnumber>
    <answer fraction="100"><text>true</text><feedback><text>Well done!</text></feedback></answer>
    <answer fraction="0"><text>false</text><feedback><text>Doh!</text></feedback></answer></question></quiz>""",
     dict(kind="truefalse", truth=True, feedback_right="Well done!", feedback_wrong="Doh!", idnumber="TestIdNum1",
          general_feedback="General feedback: You should have chosen true.")),
])
def test_xml_as_moodles_import_tests_read_it(xml: str, expected: dict) -> None:
    [q] = import_moodle_xml(xml).questions
    for key, value in expected.items():
        assert getattr(q, key) == value, key


def test_xml_numerical_with_answers_for_wrong_responses_is_refused() -> None:
    """xmlformat_test.php test_import_numerical_19: answers 42 (100 %, feedback), 13 (0 %, feedback)
    and * (0 %): IronBone's numerical question cannot say "What were you thinking?!" to 13 -> refused."""
    result = import_moodle_xml("""<quiz><question type="numerical"><name><text>Numerical question</text></name>
    <questiontext format="html"><text>What is the answer?</text></questiontext>
    <answer fraction="100"><text>42</text><feedback><text>Well done!</text></feedback><tolerance>0.001</tolerance>
    </answer><answer fraction="0"><text>13</text><feedback><text>What were you thinking?!</text></feedback>
    <tolerance>1</tolerance></answer><answer fraction="0"><text>*</text><feedback><text>Completely wrong.</text>
    </feedback><tolerance></tolerance></answer></question></quiz>""")
    assert result.questions == ()
    assert result.problems[0].line == 4 and "wrong answers" in result.problems[0].message
