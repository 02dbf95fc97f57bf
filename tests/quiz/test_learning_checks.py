"""The bank against the learning content: objectives mapped both ways, the balance across sections,
tour check questions, undefined abbreviations, and questions as printed on the teacher's handout."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from app.knowledge.learning import APP, load_learning
from app.knowledge.weights import TOLERANCE_PP
from app.knowledge.yamlio import load_yaml
from app.quiz.bank import Bank, check_bank, load_checked_bank
from app.quiz.learning import (
    defined_terms,
    hand_written,
    handout_questions,
    objective_questions,
    question_objectives,
    question_text,
    tour_check_question,
    undefined_terms,
)
from app.quiz.questions import SingleChoice

CONTENT = Path(__file__).resolve().parents[2] / "content"
# Recall of study details and vocabulary drills taken out of the bank (they test memory of a
# paper, not the mechanism).
REMOVED = ("s1-ferritin-capacity", "s2-bone-functions", "s21-autophagy-marker", "s22-abbreviations-osteoclast",
           "s33-weeks", "s34-kim-size", "s4-fung-cohort", "s4-hip-fracture-count", "s5-tcm-causes",
           "s51-four-times", "s51-evidence-order", "s53-ovx-pathway", "s53-compare", "s6-invisible-killer",
           "s6-abbreviations")


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


def _problems(root: Path, needle: str = "") -> list[str]:
    return [str(p) for p in check_bank(root) if needle in str(p)]


def _append_question(root: Path, text: str, file: str = "zz.yaml") -> None:
    (root / "quizzes" / file).write_text("questions:\n" + text, encoding="utf-8")


ONE = """\
  - id: zz-one
    type: truefalse
    section: "2.2"
    nodes: [opg]
    difficulty: 1
    objectives: [s22-rankl-opg]
    prompt: "OPG catches RANKL before it reaches RANK."
    answer: true
    explanation: "OPG is a decoy receptor."
    page: "node:opg"
    cite: [simonet1997]
"""


# --- the shipped bank ---------------------------------------------------------------------------

def test_every_question_tests_an_objective_of_its_section_and_every_objective_is_tested(bank: Bank) -> None:
    learning = load_learning(CONTENT)
    by_id = {o.id: o for o in learning.objectives.all}
    mapped = question_objectives(bank, learning)
    for q in hand_written(bank):
        assert any(by_id[o].section == q.section for o in mapped[q.id]), q.id
    tested = objective_questions(bank, learning)
    for o in learning.objectives.all:
        if o.section != APP:
            assert tested[o.id], o.id
    # The prediction file keeps objectives out; objectives.yaml lists its questions instead.
    assert "s21-ros" in mapped["pred-iron-osteoblast"]


def test_the_bank_follows_the_weight_of_each_section_in_the_review(bank: Bank) -> None:
    """Each section's share of the hand-written questions is within the tolerance of its share of
    the review's running text (word counts in review_weights.yaml)."""
    words = {str(k): v for k, v in load_yaml((CONTENT / "review_weights.yaml").read_text())["sections"].items()}
    counts = Counter(q.section for q in hand_written(bank))
    n, total = sum(counts.values()), sum(words.values())
    assert set(counts) == set(words)
    for section, w in words.items():
        assert abs(100 * counts[section] / n - 100 * w / total) <= TOLERANCE_PP, section


def test_recall_of_study_details_is_gone(bank: Bank) -> None:
    assert [q for q in REMOVED if bank.get(q) is not None] == []
    assert len(hand_written(bank)) >= 115


def test_no_shipped_question_uses_an_undefined_abbreviation(bank: Bank, model) -> None:
    names, expansions = defined_terms(CONTENT, model)
    assert {q.id: undefined_terms(q, names, expansions) for q in hand_written(bank)
            if undefined_terms(q, names, expansions)} == {}


# --- objectives ---------------------------------------------------------------------------------

def test_a_question_without_an_objective_of_its_section_is_reported(copy: Path) -> None:
    _append_question(copy, ONE.replace("objectives: [s22-rankl-opg]", "objectives: [s21-ros]"))
    got = _problems(copy, "zz-one")
    assert "content/quizzes/zz.yaml:2: question 'zz-one' (section 2.2) names objective 's21-ros' of section 2.1" in got
    assert any("question 'zz-one' tests no objective of section 2.2" in p for p in got)
    _append_question(copy, ONE.replace("objectives: [s22-rankl-opg]", "objectives: [s22-nothing]"))
    assert "content/quizzes/zz.yaml:2: question 'zz-one': unknown objective 's22-nothing'" in _problems(copy, "zz-one")


def test_an_objective_no_question_tests_is_reported(copy: Path) -> None:
    path = copy / "objectives.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.index("    - id: s22-osteoclast")
    line = text[:at].count("\n") + 1
    path.write_text(text.replace("    - id: s22-osteoclast", "    - id: s22-osteoclast-x"), encoding="utf-8")
    got = _problems(copy, "objective")
    assert f"content/objectives.yaml:{line}: objective 's22-osteoclast-x' has no question that tests it" in got


def test_an_objective_may_list_questions_but_only_real_ones_of_its_section(copy: Path) -> None:
    path = copy / "objectives.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("questions: [pred-fracture]", "questions: [pred-fracture, pred-aps, nope]"),
                    encoding="utf-8")
    got = _problems(copy, "s4-outcome")
    assert any("objective 's4-outcome' (section 4) names question 'pred-aps' of section 5.3" in p for p in got)
    assert any("objective 's4-outcome' names unknown question 'nope'" in p for p in got)


# --- balance ------------------------------------------------------------------------------------

def test_a_lopsided_bank_is_reported_against_the_weights_file(copy: Path) -> None:
    many = "".join(ONE.replace("zz-one", f"zz-{i}") for i in range(12))
    _append_question(copy, many)
    got = _problems(copy, "review_weights.yaml")
    assert len(got) == 1
    assert got[0].startswith("content/review_weights.yaml:9: section 2.2 holds 17.4 % of the questions (23) "
                             "but 8.3 % of the review's text: aim for about 11 of 132")


# --- tour check questions -----------------------------------------------------------------------

def test_tour_check_questions_are_real_questions(bank: Bank, model) -> None:
    learning = load_learning(CONTENT)
    checks = {tid: tour_check_question(t, bank, model, CONTENT) for tid, t in learning.tours.items()}
    assert all(q is not None for q in checks.values()), checks
    inline = checks["iron-feeds-osteoclasts"]
    assert isinstance(inline, SingleChoice) and inline.id == "tour-iron-feeds-osteoclasts-check"
    assert inline.section == "2.2" and inline.answer == "a"
    assert checks["iron-after-menopause"] is bank.get("s1-why-accumulates")


def test_a_broken_tour_check_is_reported_at_the_tour(copy: Path) -> None:
    tour = copy / "tours" / "01-iron-after-menopause.yaml"
    tour.write_text(tour.read_text(encoding="utf-8").replace("check: s1-why-accumulates", "check: s1-gone"),
                    encoding="utf-8")
    assert "content/tours/01-iron-after-menopause.yaml:5: tour 'iron-after-menopause': 'check' names unknown " \
           "question 's1-gone' (not in content/quizzes)" in _problems(copy, "s1-gone")
    tour3 = copy / "tours" / "03-iron-feeds-osteoclasts.yaml"
    tour3.write_text(tour3.read_text(encoding="utf-8").replace("  answer: a\n", "  answer: z\n"), encoding="utf-8")
    got = _problems(copy, "check question")
    assert len(got) == 1 and "'answer' 'z' is not the id of one of the choices" in got[0]
    assert got[0].startswith("content/tours/03-iron-feeds-osteoclasts.yaml:")


# --- abbreviations ------------------------------------------------------------------------------

@pytest.mark.parametrize(("prompt", "undefined"), [
    ("Cells given FAC made more ROS.", ["FAC"]),
    ("Cells given ferric ammonium citrate (FAC) made more ROS.", []),
    ("Iron blunts BMP-2-driven mineralisation; mRNA of TfR1 fell.", []),
    ("A woman takes APS.", []),  # a treatment's short name, spelled out in the treatment list
    ("TNF signals through its receptor.", ["TNF"]),
])
def test_undefined_abbreviations_are_found(bank: Bank, model, prompt: str, undefined: list[str]) -> None:
    from dataclasses import replace

    names, expansions = defined_terms(CONTENT, model)
    q = replace(next(q for q in hand_written(bank) if q.type == "truefalse"), prompt=prompt)
    assert undefined_terms(q, names, expansions) == undefined


def test_an_undefined_abbreviation_is_reported_with_a_hint(copy: Path) -> None:
    _append_question(copy, ONE.replace("OPG catches RANKL before it reaches RANK.",
                                       "OPG was measured in cells given FAC."))
    assert ("content/quizzes/zz.yaml:2: question 'zz-one' uses 'FAC' without defining it: spell it out in the "
            "question (e.g. 'Ferric ammonium citrate (FAC)') or use a name shown on the diagram") in _problems(copy)


# --- questions on paper -------------------------------------------------------------------------

def test_questions_print_with_letters_and_their_answer(bank: Bank, model) -> None:
    q = bank.get("s21-routes")
    text = question_text(q, model)
    assert text.options[0] == "A. ROS trigger mitochondrial apoptosis"
    assert text.answer.startswith("A. ROS trigger mitochondrial apoptosis; B.") and "E." not in text.answer
    pred = bank.get("pred-iron-osteoclast")
    assert question_text(pred).answer == "graded by the model"
    assert "(the model's answer)" in question_text(pred, model).answer
    order = question_text(bank.get("s21-ros-chain-order"))
    assert order.answer.startswith("Ferrous iron accumulates in the labile pool → The Fenton reaction")
    assert question_text(bank.get("s1-ferritin-normal-band")).answer == "150 µg/L"
    learning = load_learning(CONTENT)
    printed = handout_questions(bank, learning, model, CONTENT)
    assert printed["tour:iron-feeds-osteoclasts"].prompt.startswith("Ferritin rises while estrogen stays at 100 %")


def test_the_shipped_content_has_no_learning_problems() -> None:
    bank, _ = load_checked_bank(CONTENT)
    assert check_bank(CONTENT) == []
    assert bank.problems == ()
