"""Learning content: objectives, the study path and its figures, section weights, the tours'
learning and teaching fields (recap, check, next, teacher notes, focus, build-up, timing) and the
teacher guide; shipped files load cleanly and every broken part is reported at its line."""

from __future__ import annotations

import re
import shutil
import textwrap
from pathlib import Path

import pytest

from app.knowledge.checks import check_all
from app.knowledge.content import load_content
from app.knowledge.learning import (
    OBJECTIVES_FOR_APP,
    OBJECTIVES_PER_SECTION,
    load_learning,
    section_key,
)
from app.knowledge.teacher_guide import load_guide
from app.knowledge.tour_learning import (
    CHECK_MINUTES,
    SECONDS_PER_STEP,
    SPEAKING_WPM,
    Reveal,
    build_states,
    estimate_minutes,
    minutes_problem,
)
from app.knowledge.tours import TourStep
from app.knowledge.weights import section_words

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    dest = tmp_path / "content"
    shutil.copytree(CONTENT, dest)
    return dest


def _lines(root: Path, needle: str = "") -> list[str]:
    return [str(p) for p in check_all(root) if needle in str(p)]


def _edit(path: Path, old: str, new: str) -> int:
    """Replace `old` (which must occur) in a file; the 1-based line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


# --- the shipped content ------------------------------------------------------------------------

def test_the_shipped_learning_content_loads_cleanly() -> None:
    learning = load_learning(CONTENT)
    assert learning.problems == ()
    sections = list(learning.sections)
    assert sections == ["1", "2", "2.1", "2.2", "3.1", "3.2", "3.3", "3.4", "4", "5", "5.1", "5.2", "5.3", "6"]
    assert sections == sorted(sections, key=section_key)
    objectives = learning.objectives
    assert OBJECTIVES_FOR_APP[0] <= len(objectives.app) <= OBJECTIVES_FOR_APP[1]
    for s in sections:
        assert OBJECTIVES_PER_SECTION[0] <= len(objectives.of_section(s)) <= OBJECTIVES_PER_SECTION[1], s
    path = learning.path
    assert path.steps[0].key == "topic:overview"
    assert set(path.tours()) == set(learning.tours)
    assert sorted(s for step in path.steps if step.kind == "quiz" for s in step.sections) == sorted(sections)
    assert [f.id for f in path.figures] == ["mechanism", "remodelling-iron", "menopause-iron", "treatments"]
    assert learning.tours_of_section("2.2") == ("iron-feeds-osteoclasts",)
    guide, problems = load_guide(CONTENT, learning)
    assert problems == [] and sum(s.minutes for s in guide.segments) == guide.minutes == 20


def test_every_tour_ends_with_a_recap_and_a_check_and_links_the_next() -> None:
    tours = load_learning(CONTENT).tours
    order = list(tours)
    for i, tour in enumerate(tours.values()):
        assert tour.recap and "](ref:" in tour.recap, tour.id
        assert tour.check is not None and tour.objectives and tour.teacher is not None, tour.id
        assert tour.teacher.misconceptions and tour.teacher.ask and tour.teacher.answer, tour.id
        assert len(tour.teacher.step_minutes) == len(tour.steps), tour.id
        assert tour.next == (order[i + 1] if i + 1 < len(order) else ""), tour.id
        assert minutes_problem(tour.minutes, estimate_minutes(tour.steps, tour.recap, True)) is None, tour.id


def test_the_hepcidin_tour_builds_the_diagram_up_step_by_step() -> None:
    tour = load_learning(CONTENT).tours["estrogen-hepcidin-ferroportin"]
    shown = tour.visibility()
    assert shown[0].nodes == {"hepcidin", "fpn1"} and shown[0].edges == {("hepcidin", "fpn1")}
    for before, after in zip(shown[:6], shown[1:7], strict=True):  # each step adds, none takes away
        assert before.nodes <= after.nodes and before.edges <= after.edges
    assert "estrogen" not in shown[1].nodes and "estrogen" in shown[2].nodes
    assert {"tfr1", "labile_iron"} <= shown[5].nodes and ("transferrin", "tfr1") in shown[5].edges
    assert shown[7] is None  # `build: end`: the whole diagram again
    focus = tour.steps[7].focus
    assert "hepcidin" in focus.nodes and ("hepcidin", "fpn1") in focus.edges
    assert all(a in focus.nodes and b in focus.nodes for a, b in focus.edges)


# --- section weights ------------------------------------------------------------------------------

REVIEW = """\
 Abstract: not counted at all.
 1 Introduction

One two three.
Four five.
2 Effect of iron on bone metab-
olism and its mechanism

Six seven osteo-
blasts eight.
Fig. 1  A legend that
runs over lines and ends with factor 6.
Nine ten.
3 Correlation between
other factors

3.1 Effects of estrogen

Eleven twelve.
Table 1  A table
with rows
insulin-like growth factor-1.
Thirteen.
"""


def test_section_words_counts_running_text_only() -> None:
    assert section_words(REVIEW, ["1", "2", "3.1", "6"]) == {"1": 5, "2": 6, "3.1": 3, "6": 0}


def test_weights_problems_are_reported(copy: Path) -> None:
    path = copy / "review_weights.yaml"
    bad = _edit(path, '"5.3": 107', '"5.3": many')
    other = _edit(path, '"6": 76', '"9": 76')
    mapping = path.read_text(encoding="utf-8").splitlines().index("sections:") + 2  # its first entry
    got = _lines(copy, "review_weights.yaml")
    assert f"content/review_weights.yaml:{bad}: section '5.3': words must be a whole number (got 'many')" in got
    assert f"content/review_weights.yaml:{other}: unknown section '9'" in got
    assert f"content/review_weights.yaml:{mapping}: section '6' has no word count" in got


# --- objectives ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("objective", "old", "new", "message"), [
    ("app-chain", 'text: "Trace the chain from', 'text: "Understand the chain from',
     "objective 'app-chain': objective starts with 'understand', which a student cannot check"),
    ("app-chain", 'text: "Trace the chain from', 'text: "Ponder the chain from',
     "objective 'app-chain': objective should start with an action verb a student can check (got 'ponder'"),
    ("app-read-diagram", "  - id: app-read-diagram", "  - id: app-chain", "duplicate objective id 'app-chain'"),
    ("app-read-diagram", "  - id: app-read-diagram", "  - id: App Read",
     "objective 'id' must be lower-case letters, digits and -"),
    ("s4-outcome", "      questions: [pred-fracture]", "      questions: pred-fracture",
     "objective 's4-outcome': 'questions' must be a list of question ids"),
])
def test_malformed_objectives_are_reported_at_their_line(copy: Path, objective: str, old: str, new: str,
                                                         message: str) -> None:
    path = copy / "objectives.yaml"
    indent = "  " if objective.startswith("app") else "    "
    line = path.read_text(encoding="utf-8").splitlines().index(f"{indent}- id: {objective}") + 1
    _edit(path, old, new)
    got = _lines(copy, "objectives.yaml")
    assert any(p.startswith(f"content/objectives.yaml:{line}: {message}") for p in got), got


def test_sections_must_be_the_review_sections(copy: Path) -> None:
    path = copy / "objectives.yaml"
    _edit(path, '  "6":\n', '  "7":\n')
    got = _lines(copy, "objectives.yaml")
    assert any("unknown section '7' (sections of the review: 1, 2, 2.1" in p for p in got)
    assert any("section '6' has no objectives" in p for p in got)


# --- the study path -----------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "message"), [
    ("  - topic: s2-bone-metabolism\n", "  - topic: s2-nowhere\n", "topic step: no page topics/s2-nowhere.md"),
    ("  - tour: iron-harms-osteoblasts\n", "  - tour: iron-harms-everything\n",
     "tour step: unknown tour 'iron-harms-everything'"),
    ('  - quiz: "6"\n', '  - quiz: "7"\n', "quiz step: unknown section(s) 7"),
    ("  - topic: s6-outlook\n", "  - page: s6-outlook\n", "a study-path step names one of topic, tour, quiz"),
])
def test_malformed_study_path_steps_are_reported(copy: Path, old: str, new: str, message: str) -> None:
    line = _edit(copy / "study_path.yaml", old, new)
    assert any(p.startswith(f"content/study_path.yaml:{line}: {message}") for p in _lines(copy, "study_path")), \
        _lines(copy, "study_path")


def test_the_path_must_cover_every_page_tour_and_section_once(copy: Path) -> None:
    path = copy / "study_path.yaml"
    _edit(path, "  - topic: s3-4-sex-differences\n", "  - topic: s4-fractures\n")
    _edit(path, "  - tour: treatment-targets\n", "")
    _edit(path, '  - quiz: "6"\n', "")
    got = _lines(copy, "study_path")
    first = path.read_text(encoding="utf-8").splitlines().index("  - topic: overview") + 1  # the list's line
    assert f"content/study_path.yaml:{first}: the study path has no topic step for the page " \
           "'s3-4-sex-differences'" in got
    assert f"content/study_path.yaml:{first}: the study path lists the page 's4-fractures' 2 times" in got
    assert f"content/study_path.yaml:{first}: the study path has no tour step for the tour 'treatment-targets'" in got
    assert f"content/study_path.yaml:{first}: the study path has no quiz step for section '6'" in got


@pytest.mark.parametrize(("old", "new", "message"), [
    ("as the review argues ([Cai et al., 2023](ref:cai2023)).", "as the review argues.",
     "figure 'menopause-iron': the caption cites no source"),
    ("treatments: [denosumab]}", "treatments: [aspirin]}", "figure 'treatments': unknown treatment 'aspirin'"),
    ("    after: s2-2-osteoclasts\n", "    after: help\n", "figure 'remodelling-iron': 'after' names 'help'"),
    ("    plot: remodelling\n", "    plot: pie\n", "figure 'remodelling-iron': 'plot' must be one of"),
    ('{label: "Ferritin 800 µg/L", estrogen: 100, ferritin: 800}',
     '{label: "Ferritin 800 µg/L", estrogen: 100, ferritin: 8000}', "figure 'remodelling-iron': run"),
])
def test_malformed_figures_are_reported(copy: Path, old: str, new: str, message: str) -> None:
    _edit(copy / "study_path.yaml", old, new)
    assert any(message in p for p in _lines(copy, "study_path")), _lines(copy, "study_path")


# --- tours: learning fields -----------------------------------------------------------------------

def _tour(root: Path, extra: str, steps: str = "", name: str = "zz-test.yaml") -> tuple[Path, str]:
    body = steps or """\
  - caption: |
      A step ([Cai et al., 2023](ref:cai2023)).
    highlight: [estrogen]
  - caption: "Another step."
"""
    text = f"id: zz-test\ntitle: \"T\"\nminutes: 3\nsummary: \"s\"\nsteps:\n{body}{textwrap.dedent(extra)}"
    path = root / "tours" / name
    path.write_text(text, encoding="utf-8")
    return path, text


def _tour_problems(root: Path) -> list[tuple[int, str]]:
    """Problems of the test tour, its timing left out (these tours are too short for any class; the
    timing check has tests of its own below)."""
    return [(p.line, p.message) for p in _all_problems(root)
            if p.file == "content/tours/zz-test.yaml" and "minutes but its captions" not in p.message]


def _all_problems(root: Path) -> list:
    """What check-content reports for a content tree: the content, and the tour files themselves."""
    from app.knowledge.model_io import load_model_content
    from app.knowledge.tours import load_tours

    content = load_content(root)
    mc = load_model_content(root, content.pathway)
    return check_all(root) + load_tours(root, content.pathway, mc.scenarios, mc.treatments)[1]


def test_learning_fields_of_a_tour_are_read(copy: Path) -> None:
    _tour(copy, """\
        recap: "What we saw ([Cai et al., 2023](ref:cai2023))."
        check: {type: truefalse, prompt: "q", answer: true}
        next: iron-after-menopause
        objectives: [s1-stores]
        teacher:
          step_minutes: [1, 1]
          misconceptions: [{belief: "b", correction: "c"}]
          suggested_question: {ask: "a?", answer: "yes"}
        """)
    tour = load_learning(copy).tours["zz-test"]
    assert tour.recap.startswith("What we saw") and tour.next == "iron-after-menopause"
    assert tour.check == {"type": "truefalse", "prompt": "q", "answer": True}
    assert tour.objectives == ("s1-stores",)
    assert tour.teacher.step_minutes == (1.0, 1.0) and tour.teacher.ask == "a?"
    assert _tour_problems(copy) == []


@pytest.mark.parametrize(("extra", "message"), [
    ("next: nowhere\n", "tour 'zz-test': 'next' names unknown tour 'nowhere'"),
    ("next: zz-test\n", "tour 'zz-test': 'next' names the tour itself"),
    ("objectives: [s9-none]\n", "tour 'zz-test': unknown objective 's9-none' (not in objectives.yaml)"),
    ("recap: \"See [x](ref:nobody1900).\"\n",
     "tour 'zz-test': recap: caption cites unknown reference key 'nobody1900' (not in references.yaml)"),
    ("check: 42\n", "tour 'zz-test': 'check' must be a question id of the bank or a question written out"),
    ("teacher: {step_minutes: [1]}\n", "tour 'zz-test': 'teacher.step_minutes' needs one positive number per step"),
    ("teacher: {step_minutes: [2, 2]}\n", "tour 'zz-test': 'teacher.step_minutes' add up to 4 of the tour's 3"),
    ("teacher: {misconceptions: [{belief: b}]}\n", "tour 'zz-test': a misconception needs 'belief'"),
    ("teacher: {suggested_question: {ask: a}}\n", "tour 'zz-test': 'teacher.suggested_question' needs 'ask'"),
    ("teacher: {notes: x}\n", "tour 'zz-test': unknown key 'notes' in 'teacher'"),
])
def test_broken_learning_fields_are_reported(copy: Path, extra: str, message: str) -> None:
    _tour(copy, extra)
    assert any(m.startswith(message) for _, m in _tour_problems(copy)), _tour_problems(copy)


@pytest.mark.parametrize(("steps", "message"), [
    ("""\
  - caption: "One ([Cai et al., 2023](ref:cai2023))."
    reveal: {nodes: [estrogen]}
  - caption: "Two."
""", "step 1: 'reveal' outside a build-up (start one with 'build: start')"),
    ("""\
  - caption: "One ([Cai et al., 2023](ref:cai2023))."
    build: end
  - caption: "Two."
""", "step 1: 'build: end' without a 'build: start' before it"),
    ("""\
  - caption: "One ([Cai et al., 2023](ref:cai2023))."
    build: start
  - caption: "Two."
    build: start
""", "step 2: 'build: start' inside a build-up"),
    ("""\
  - caption: "One ([Cai et al., 2023](ref:cai2023))."
    build: begin
  - caption: "Two."
""", "step 1: 'build' must be one of start, end"),
    ("""\
  - caption: "One ([Cai et al., 2023](ref:cai2023))."
    build: start
    reveal: {edges: [[estrogen, bone_mass]]}
  - caption: "Two."
""", "step 1: 'reveal.edges': no edge estrogen -> bone_mass in pathway.yaml"),
    ("""\
  - caption: "One ([Cai et al., 2023](ref:cai2023))."
    focus: {nodes: [liver]}
  - caption: "Two."
""", "step 1: 'focus.nodes' names unknown node(s) liver"),
    ("""\
  - caption: "One ([Cai et al., 2023](ref:cai2023))."
    focus: [estrogen]
  - caption: "Two."
""", "step 1: 'focus' must be a mapping with 'nodes' and/or 'edges'"),
])
def test_broken_focus_and_build_up_are_reported_at_the_step(copy: Path, steps: str, message: str) -> None:
    path, text = _tour(copy, "", steps)
    line = text.splitlines().index(steps.splitlines()[0]) + 1
    assert (line if message.startswith("step 1") else line + 2, message) in [
        (ln, m[: len(message)]) for ln, m in _tour_problems(copy)], _tour_problems(copy)


def test_build_states_accumulate_and_reveal_what_a_step_points_at() -> None:
    steps = [TourStep(caption="a", build="start", reveal=Reveal(nodes=("estrogen",))),
             TourStep(caption="b", path=("estrogen", "hepcidin")),
             TourStep(caption="c", reveal=Reveal(edges=(("hepcidin", "fpn1"),)), highlight=("ros",)),
             TourStep(caption="d", build="end"),
             TourStep(caption="e")]
    shown = build_states(steps)
    assert shown[0].nodes == {"estrogen"} and shown[0].edges == set()
    assert shown[1].nodes == {"estrogen", "hepcidin"} and shown[1].edges == {("estrogen", "hepcidin")}
    assert shown[2].nodes == {"estrogen", "hepcidin", "fpn1", "ros"}
    assert shown[3] is None and shown[4] is None
    assert build_states([TourStep(caption="x")]) == (None,)


def test_focus_without_edges_keeps_the_edges_between_its_nodes(copy: Path) -> None:
    _tour(copy, "", """\
  - caption: "One ([Cai et al., 2023](ref:cai2023))."
    focus: {nodes: [estrogen, hepcidin, fpn1]}
  - caption: "Two."
    focus: {nodes: [estrogen], edges: [[hepcidin, fpn1]]}
""")
    tour = load_learning(copy).tours["zz-test"]
    assert set(tour.steps[0].focus.edges) == {("estrogen", "hepcidin"), ("hepcidin", "fpn1")}
    assert tour.steps[1].focus.nodes == ("estrogen", "hepcidin", "fpn1")  # an edge brings its two ends
    assert tour.steps[1].focus.edges == (("hepcidin", "fpn1"),)


# --- tours take the time they advertise -------------------------------------------------------------

def test_the_estimate_counts_words_steps_model_years_recap_and_check() -> None:
    words = " ".join(["word"] * 150)
    steps = [TourStep(caption=words, years=30.0), TourStep(caption="**Short.** [x](ref:y)")]
    expected = (150 + 2) / SPEAKING_WPM + (2 * SECONDS_PER_STEP + 30) / 60
    assert estimate_minutes(steps) == pytest.approx(expected)
    assert estimate_minutes(steps, "one two three", True) == pytest.approx(expected + 3 / SPEAKING_WPM + CHECK_MINUTES)


def test_a_tour_advertising_more_time_than_it_takes_is_reported(copy: Path) -> None:
    _edit(copy / "tours" / "03-iron-feeds-osteoclasts.yaml", "minutes: 7\n", "minutes: 10\n")
    got = [p for p in _lines(copy, "03-iron-feeds-osteoclasts") if "says 10 minutes" in p]
    assert len(got) == 1
    # The tour runs about seven minutes; the message names the estimate and rounds it to a half minute.
    m = re.search(r"take about (\d+\.\d) .*set 'minutes' to about ([\d.]+) or shorten it", got[0])
    assert m and 6.0 <= float(m[1]) <= 8.0 and float(m[2]) == round(float(m[1]) * 2) / 2
    assert minutes_problem(5.0, 6.0) is None and minutes_problem(5.0, 6.1) is not None
    assert minutes_problem(10.0, 8.0) is None  # 20 % of 10 minutes


# --- the teacher guide ----------------------------------------------------------------------------

@pytest.mark.parametrize(("old", "new", "message"), [
    ("      minutes: 3\n      show: |", "      minutes: 4\n      show: |",
     "storyline: the segments take 21 minutes but 'minutes' says 20"),
    ("      tour: treatment-targets\n", "      tour: nowhere\n", "segment 'Treatments': unknown tour 'nowhere'"),
    ("      steps: [1, 4, 7, 9]\n", "      steps: [1, 40]\n",
     "segment 'Treatments': 'steps' must list step numbers of tour 'treatment-targets' (1-10)"),
    ("(ref:zhangp2018)", "(ref:nobody1900)", "segment 'Treatments': unknown reference key 'nobody1900'"),
    ("    - title: \"Treatments\"\n", "    - title: \"Treatments\"\n      colour: red\n",
     "segment 'Treatments': unknown key 'colour'"),
])
def test_teacher_guide_problems_are_reported(copy: Path, old: str, new: str, message: str) -> None:
    _edit(copy / "teacher_guide.yaml", old, new)
    assert any(message in p for p in _lines(copy, "teacher_guide")), _lines(copy, "teacher_guide")


def test_a_storyline_question_must_be_in_the_bank(copy: Path) -> None:
    from app.quiz.checks import check_quizzes

    _edit(copy / "teacher_guide.yaml", "      ask: s5-input-arms\n", "      ask: s5-gone\n")
    assert any("storyline segment 'Treatments': 'ask' names unknown question 's5-gone'" in str(p)
               for p in check_quizzes(copy))


def test_content_without_learning_files_is_still_valid(mini_dir: Path) -> None:
    learning = load_learning(mini_dir)
    assert learning.objectives is None and learning.path is None and learning.problems == ()
    assert check_all(mini_dir) == []

