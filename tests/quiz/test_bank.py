"""The shipped question bank loads cleanly, covers the review and the diagram, and bad files are
reported as file:line problems."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

from app.quiz.bank import Bank, check_bank, load_bank, load_checked_bank
from app.quiz.questions import QUESTION_TYPES, SECTIONS, Ordering, SingleChoice

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_shipped_bank_has_no_problems(bank: Bank) -> None:
    assert bank.problems == ()
    assert check_bank(CONTENT) == []


def test_bank_size_and_coverage(bank: Bank, model) -> None:
    hand = [q for q in bank.questions if not q.generated]
    assert len(hand) >= 80
    assert set(Counter(q.section for q in hand)) == set(SECTIONS)
    assert set(Counter(q.type for q in hand)) == set(QUESTION_TYPES)
    comps = {c.id for c in model.pathway.compartments}
    covered = {c for v in bank.compartments.values() for c in v}
    assert comps <= covered
    for q in hand:
        assert q.explanation and q.page and q.nodes and q.difficulty in (1, 2, 3)


def _bank_with(tmp_path: Path, text: str) -> tuple[Path, list]:
    root = tmp_path / "content"
    # Without the shipped bank, the files that tie it to the learning content (objectives, section
    # weights, tour check questions, the teacher guide) would report their own problems here.
    shutil.copytree(CONTENT, root, ignore=shutil.ignore_patterns(
        "quizzes", "objectives.yaml", "review_weights.yaml", "teacher_guide.yaml", "tours"))
    (root / "quizzes").mkdir()
    (root / "quizzes" / "bad.yaml").write_text(text, encoding="utf-8")
    return root, check_bank(root)


GOOD = """\
questions:
  - id: ok-one
    type: truefalse
    section: "1"
    nodes: [estrogen]
    difficulty: 1
    prompt: "A statement."
    answer: true
    explanation: "Why."
    page: "topic:s1-introduction"
"""


def test_errors_are_reported_with_their_lines(tmp_path: Path) -> None:
    text = GOOD + """\
  - id: bad-section
    type: truefalse
    section: "9.9"
    nodes: [estrogen]
    difficulty: 1
    prompt: "x"
    answer: true
    explanation: "y"
    page: "topic:s1-introduction"
  - id: bad-node
    type: click_node
    section: "1"
    nodes: [estrogen]
    difficulty: 2
    prompt: "x"
    answer: no_such_node
    explanation: "y"
    page: "topic:s1-introduction"
  - id: ok-one
    type: truefalse
    section: "1"
    nodes: [estrogen]
    difficulty: 1
    prompt: "again"
    answer: false
    explanation: "y"
    page: "topic:s1-introduction"
  - id: bad-page
    type: single
    section: "2"
    nodes: [osteoblast]
    difficulty: 1
    prompt: "x"
    choices: [one, two]
    answer: c
    explanation: "y"
    page: "topic:nowhere"
  - id: bad-treatment
    type: predict
    section: "5"
    nodes: [osteoclast]
    difficulty: 1
    prompt: "x"
    before: {estrogen: 10, ferritin: 500}
    after: {estrogen: 10, ferritin: 500, treatments: [magic]}
    targets: [osteoclast]
    explanation: "y"
    page: "topic:s5-treatments"
"""
    root, problems = _bank_with(tmp_path, text)
    lines = text.splitlines()

    def line_of(snippet: str, nth: int = 0) -> int:
        return [i for i, t in enumerate(lines, 1) if snippet in t][nth]

    got = {(p.file, p.line): p.message for p in problems}
    f = "content/quizzes/bad.yaml"
    assert len(problems) == 5
    assert "section" in got[(f, line_of("id: bad-section"))]
    assert "no_such_node" in got[(f, line_of("id: bad-node"))]
    assert "duplicate question id 'ok-one'" in got[(f, line_of("id: ok-one", 1))]
    assert "answer" in got[(f, line_of("id: bad-page"))]
    assert "magic" in got[(f, line_of("treatments: [magic]"))]  # the line of `after:`
    assert [q.id for q in load_checked_bank(root)[0].questions] == ["ok-one"]
    # Without the pathway and model, ids of nodes and treatments are not checked.
    assert "bad-node" in {q.id for q in load_bank(root).questions}


def test_malformed_yaml_has_its_line(tmp_path: Path) -> None:
    _, problems = _bank_with(tmp_path, GOOD + "  - id: [unclosed\n")
    assert len(problems) == 1 and problems[0].line == 12 and "malformed YAML" in problems[0].message


def test_ambiguous_prediction_target_is_rejected(tmp_path: Path) -> None:
    text = GOOD + """\
  - id: fuzzy
    type: predict
    section: "5.2"
    nodes: [fpn1_ob]
    difficulty: 1
    prompt: "x"
    before: {estrogen: 10, ferritin: 500}
    after: {estrogen: 10, ferritin: 500, treatments: [icariin]}
    targets: [fpn1_ob]
    expect: {fpn1_ob: up}
    explanation: "y"
    page: "topic:s5-2-icariin"
"""
    _, problems = _bank_with(tmp_path, text)
    assert len(problems) == 1 and problems[0].line == 11 and "too close" in problems[0].message


def test_check_content_cli_reports_quiz_problems(tmp_path: Path, capsys) -> None:
    from app.cli import main

    root, _ = _bank_with(tmp_path, GOOD.replace("difficulty: 1", "difficulty: 7"))
    assert main(["check-content", str(root)]) == 1
    assert "content/quizzes/bad.yaml:2: 'difficulty' must be 1, 2 or 3" in capsys.readouterr().out


def test_pools_and_seeded_draws(bank: Bank) -> None:
    pool = bank.pool(sections=["2.1"], difficulties=[1])
    assert pool and all(q.section == "2.1" and q.difficulty == 1 for q in pool)
    assert all("bone_vessels" in bank.compartments[q.id] for q in bank.pool(compartments=["bone_vessels"]))
    a = bank.draw(10, seed=7)
    assert [q.id for q in a] == [q.id for q in bank.draw(10, seed=7)]
    assert [q.id for q in a] != [q.id for q in bank.draw(10, seed=8)]
    assert len({q.section for q in a}) == 10  # spread over sections first
    q = next(q for q in bank.questions if isinstance(q, SingleChoice) and len(q.choices) >= 4)
    orders = {tuple(c.id for c in q.shuffled(s).choices) for s in range(20)}
    assert len(orders) > 1 and all(sorted(o) == sorted(c.id for c in q.choices) for o in orders)
    o = next(q for q in bank.questions if isinstance(q, Ordering))
    assert all(o.presented(s) != o.steps for s in range(20))


def test_quiz_files_are_read_as_data_only(tmp_path: Path) -> None:
    """A YAML tag that would build a Python object or run a command is refused with its line."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    marker = tmp_path / "ran"
    (root / "quizzes" / "evil.yaml").write_text(
        "section: '1'\nquestions:\n"
        f"  - id: evil\n    prompt: !!python/object/apply:os.system ['touch {marker}']\n",
        encoding="utf-8")
    bank = load_bank(root)
    assert not marker.exists()
    problem = next(p for p in bank.problems if p.file.endswith("evil.yaml"))
    assert problem.line == 4
    assert bank.get("evil") is None
