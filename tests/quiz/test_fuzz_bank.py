"""Quiz-bank fuzzing: a real content/quizzes file with wrong types for any field, missing
fields, unknown types, duplicate ids, absurd numbers, deep nesting, YAML tags or damaged text never
makes the loader raise; every problem names the file and a line, and the questions nobody touched
still load. Longer runs: IRONBONE_FUZZ_EXAMPLES=2000."""

from __future__ import annotations

import runpy
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.knowledge.yamlio import load_yaml
from app.quiz.bank import load_bank
from app.quiz.questions import Question

fd = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "fuzz_data.py")))
FUZZ = fd.fuzz_settings("IRONBONE_FUZZ_EXAMPLES", 150)
CONTENT = Path(__file__).resolve().parents[2] / "content"
SOURCES = ("s2-1-osteoblasts.yaml", "predictions.yaml", "s4-s6-fractures-treatments.yaml")
ORIGINALS = {name: yaml.safe_load((CONTENT / "quizzes" / name).read_text(encoding="utf-8")) for name in SOURCES}
TEXTS = {name: (CONTENT / "quizzes" / name).read_text(encoding="utf-8") for name in SOURCES}
VALUES = st.one_of(fd.yaml_values, st.sampled_from(
    ["single", "multiple", "truefalse", "click_node", "predict", "ordering", "matching", "numeric", "essay",
     "s21-fenton", "topic:overview", "node:rankl", "topic:" + "a" * 300, "node:../../etc", "2001-02-30"]))
JUNK = ["!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!!binary x", "!!timestamp 2001-13-01",
        "!!int x", "!!float x", "!!set {a}", "!!omap [a]", "&a x", "*a", "*nowhere", "<<: *a", "? [a]\n: b", "{",
        "[", "- - -", ": :", "\t", "\x00", "---\n", "...\n", "%YAML 1.1\n", "9" * 5000, "1e400", "2001-02-30",
        "0x" + "f" * 400, "'", '"', "#", "|", ">"]


@pytest.fixture(scope="module")
def root() -> Iterator[Path]:
    """A copy of content/ whose quizzes/ folder is emptied; each example writes one file into it."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(CONTENT, root, ignore=shutil.ignore_patterns("quizzes"))
        (root / "quizzes").mkdir()
        yield root


def _load(root: Path, model, text: str | bytes):
    path = root / "quizzes" / "fuzz.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    bank = load_bank(root, pathway=model.pathway, model=model)
    # A lone CR ends a line too (as in editors and Python's universal newlines).
    n_lines = max(1, (text.count(b"\n") + text.count(b"\r") if isinstance(text, bytes)
                      else text.count("\n") + text.count("\r")) + 1)
    for p in bank.problems:
        assert p.file == "content/quizzes/fuzz.yaml", p
        assert isinstance(p.line, int) and 1 <= p.line <= n_lines, (p, n_lines)
        assert p.message.strip() and "Traceback" not in p.message and len(p.message) < 1000, p
        assert not any(c in p.message for c in "\n\r\u2028\u2029\x85"), p  # one line, whatever the file held
    assert all(isinstance(q, Question) for q in bank.questions)
    return bank


# What refuses the whole file: the YAML loader (app.knowledge.yamlio), and the bounded reader before
# it, which turns away a file grown past the size limit (a long value repeated many times does that).
WHOLE_FILE = ("malformed YAML", "nested more than", "YAML aliases", "more than 250,000 values", "a text of",
              "cannot read")


@settings(FUZZ, max_examples=FUZZ.max_examples * 2)
@given(name=st.sampled_from(SOURCES), data=st.data())
def test_structural_changes_are_reported_and_untouched_questions_still_load(root: Path, model, name: str,
                                                                            data) -> None:
    tree, paths = data.draw(fd.mutated_tree(ORIGINALS[name], VALUES))
    try:
        text = fd.plain_yaml(tree, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, RecursionError):
        return  # not representable as YAML (the deepest nesting)
    bank = _load(root, model, text)
    if any(len(p) < 2 or p[0] != "questions" for p in paths):
        return  # the top level, 'defaults' or the whole list changed: any question may be affected
    if any(p.message.startswith(WHOLE_FILE) for p in bank.problems):
        return  # e.g. a lone surrogate PyYAML writes as an escape it then refuses, or nesting past the
        # loader's bound: the whole file is refused and no question can load
    # Compared by value, not index (a deleted question moves the later ones up), and by repr:
    # `1 == True`, but an answer 1 is no answer true.
    originals = {repr(q) for q in ORIGINALS[name]["questions"]}
    expected = {q["id"] for q in tree["questions"] if repr(q) in originals}
    loaded = {q.id for q in bank.questions}
    duplicated = {qid for qid in expected if any(repr(qid) in p.message for p in bank.problems)}
    assert expected - duplicated <= loaded, (expected - loaded, bank.problems)


@FUZZ
@given(name=st.sampled_from(SOURCES), data=st.data())
def test_damaged_text_is_reported_with_its_line(root: Path, model, name: str, data) -> None:
    text = TEXTS[name]
    for _ in range(data.draw(st.integers(1, 3))):
        text = data.draw(fd.damaged_text(text, JUNK))
    _load(root, model, text)


@FUZZ
@given(data=st.one_of(st.binary(max_size=200), st.text(max_size=200)))
def test_any_bytes_are_reported(root: Path, model, data: bytes | str) -> None:
    _load(root, model, data)


def test_the_untouched_file_loads_without_problems(root: Path, model) -> None:
    """Sanity: the harness is not vacuous."""
    bank = _load(root, model, TEXTS[SOURCES[0]])
    assert bank.problems == () and len(bank) == len(ORIGINALS[SOURCES[0]]["questions"])


# --- what the fuzzer found (the exact minimal inputs) ------------------------------------------
def _question(**changes: object) -> str:
    q = {"id": "q1", "type": "numeric", "section": "1", "nodes": ["estrogen"], "difficulty": 1, "prompt": "p",
         "explanation": "e", "page": "topic:overview", "answer": 1}
    q.update(changes)
    q = {k: v for k, v in q.items() if v is not None}
    return yaml.safe_dump({"questions": [q]}, sort_keys=False)


@pytest.mark.parametrize(("text", "line", "expected"), [
    (_question(type=["single"]), 2, "'type' must be one of"),
    (_question(difficulty=[1]), 2, "'difficulty' must be 1, 2 or 3 (got [1])"),
    (_question(type="single", choices=["x", "y"], answer=["a"]), 2, "'answer' [\"a\"] is not the id of one of"),
    (_question(answer=10**400), 2, "'answer' must be a finite number (got a number with 401 digits)"),
    (_question(type="predict", before={"estrogen": 10**400, "ferritin": 50}, after={"estrogen": 1, "ferritin": 50},
               targets=["rankl"], answer=None), 12,
     "'before.estrogen' must be a number from 0 to 120 (got a number with 401 digits)"),
    (_question(page="topic:" + "a" * 300), 2, "'page' 'topic:aaaa"),
    (_question(id=["pred-iron-hepcidin-loop"] * 5000), 2, "'id' must be lower-case letters"),
])
def test_bad_values_are_problems_with_a_line(root: Path, model, text: str, line: int, expected: str) -> None:
    """Found by the fuzzer: a list as the type or answer, whole numbers too large for a float, a page
    name too long for the file system (OSError), a message quoting a 5000-item list."""
    bank = _load(root, model, text)
    assert len(bank) == 0 and len(bank.problems) == 1
    problem = bank.problems[0]
    assert problem.line == line and problem.message.startswith(expected) and len(problem.message) < 200, problem


@pytest.mark.parametrize(("text", "line", "expected"), [
    ("questions:\n  - id: q1\n    prompt: 2001-02-30\n", 3, "malformed YAML: cannot read 2001-02-30 (day is out"),
    ("questions:\n  - id: q1\n    prompt: !!timestamp 2001-13-01\n", 3, "malformed YAML: cannot read 2001-13-01"),
    ("questions:\n  - id: q1\n    answer: " + "9" * 5000 + "\n", 3, "malformed YAML: cannot read 9999"),
    ("questions: [2001-02-30]\n", 1, "malformed YAML: cannot read 2001-02-30"),
])
def test_scalars_yaml_cannot_build_are_malformed_yaml_with_their_line(root: Path, model, text: str, line: int,
                                                                      expected: str) -> None:
    bank = _load(root, model, text)
    assert [(p.line, p.message[:len(expected)]) for p in bank.problems] == [(line, expected)]
    assert load_yaml.__module__ == "app.knowledge.yamlio"
