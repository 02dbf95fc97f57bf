"""GIFT import fuzzing: arbitrary text and damaged copies of the GIFT that `export` writes
for the real bank are either imported or reported with a line inside the file; nothing raises, nothing
hangs, and what is imported turns into bank entries that load or are refused with a message.
Longer runs: IRONBONE_FUZZ_EXAMPLES=2000."""

from __future__ import annotations

import math
import runpy
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.knowledge.yamlio import load_yaml
from app.quiz.bank import _Bad, parse_question
from app.quiz.exchange import (
    ImportResult,
    LmsQuestion,
    export_gift,
    export_moodle_xml,
    import_gift,
    import_moodle_xml,
    lms_to_yaml_entry,
    to_lms,
)
from app.quiz.generate import generate_predictions

fd = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "fuzz_data.py")))
FUZZ = fd.fuzz_settings("IRONBONE_FUZZ_EXAMPLES", 400)
JUNK = ["{", "}", "{}", "~", "=", "#", "####", "::", "\\", "\\{", "->", "%50%", "%-100%", "%1e400%", "#1e400",
        "{#\n=nan\n}", "{#inf:1}", "{#1..2..3}", "{#-1:-5}", "{T#", "{FALSE}", "$CATEGORY:", "// x", "[html]",
        "[markdown]", "\n\n", "\r", "\x00", "\ufeff", "\u2028", "é" * 100, "{" * 50, "}" * 50]
DEFAULTS = {"section": "1", "page": "topic:overview", "difficulty": 2, "nodes": ["bone_mass"]}
KINDS = {"multichoice", "truefalse", "matching", "numerical"}


@pytest.fixture(scope="module")
def gift_blocks(bank, model) -> list[str]:
    """The exported real bank, as its blocks (header, categories, one question each)."""
    lms = [to_lms(q, model=model) for q in [*bank.questions, *generate_predictions(model)]]
    return [b for b in export_gift(lms).split("\n\n") if b.strip()]


def _check(text: str | bytes, importer=import_gift) -> ImportResult:  # noqa: ANN001
    """The property: a result whose problems and questions name lines inside the file, and whose
    questions become bank entries that load or are refused with a message (never a crash)."""
    result = importer(text)
    # GIFT counts text lines; XML also names the line after a final line break (where expat found
    # the file ended too soon), as an editor shows it.
    n_lines = max(1, len(text.splitlines())) if importer is import_gift else text.count("\n" if isinstance(text, str)
                                                                                        else b"\n") + 1
    for p in result.problems:
        assert 1 <= p.line <= n_lines and p.message.strip() and len(p.message) < 200, (p, n_lines)
    for q in result.questions:
        assert isinstance(q, LmsQuestion) and q.kind in KINDS and 1 <= q.line <= n_lines, q
        if q.kind == "numerical":
            assert math.isfinite(q.number) and math.isfinite(q.tolerance) and q.tolerance >= 0, q
        if q.kind == "multichoice":
            assert any(a.fraction > 0 for a in q.answers), q
        entry = lms_to_yaml_entry(q, f"imported-q{q.line}")
        raw = load_yaml(yaml.safe_dump({"questions": [entry]}, allow_unicode=True, sort_keys=False))["questions"][0]
        try:
            parse_question(raw, "imported.yaml", defaults=DEFAULTS)
        except _Bad as exc:
            assert str(exc).strip()
    return result


@FUZZ
@given(text=st.one_of(st.text(max_size=300), st.text(alphabet="{}~=#:\\->%\n T.0123456789abc", max_size=200),
                      st.lists(st.sampled_from(JUNK), max_size=20).map("".join)))
def test_any_text_is_imported_or_reported_by_line(text: str) -> None:
    _check(text)


@FUZZ
@given(data=st.data())
def test_damaged_export_is_imported_or_reported_by_line(gift_blocks: list[str], data) -> None:
    start = data.draw(st.integers(0, len(gift_blocks) - 1))
    chunk = "\n\n".join(gift_blocks[start:start + data.draw(st.integers(1, 4))])
    for _ in range(data.draw(st.integers(1, 3))):
        chunk = data.draw(fd.damaged_text(chunk, JUNK))
    _check(chunk)


def test_the_untouched_export_imports_without_problems(gift_blocks: list[str]) -> None:
    """Sanity: the harness is not vacuous (every exported question comes back)."""
    result = _check("\n\n".join(gift_blocks))
    assert result.problems == () and len(result.questions) > 100


XML_JUNK = ["<", ">", "</quiz>", "<quiz>", "<question type='numerical'>", "</question>", "&", "&amp;", "&lt;p&gt;",
            "&#0;", "&#xFFFF;", "<![CDATA[", "]]>", "<!DOCTYPE q>", "<!ENTITY e 'x'>", "&e;", "fraction='1e400'",
            "fraction='nan'", "fraction='-0'", "<img src='x'>", "<text>", "</text>", "<single>false</single>",
            "<tolerance>-1</tolerance>", "<br>", "format='html'", "\x00", "\ufeff", "é" * 50, "<" * 40]


@pytest.fixture(scope="module")
def xml_export(bank, model) -> str:
    return export_moodle_xml([to_lms(q, model=model) for q in [*bank.questions, *generate_predictions(model)]])


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 4))
@given(data=st.data())
def test_damaged_moodle_xml_is_imported_or_reported_by_line(xml_export: str, data) -> None:
    text = xml_export
    for _ in range(data.draw(st.integers(1, 3))):
        text = data.draw(fd.damaged_text(text, XML_JUNK))
    _check(text, import_moodle_xml)


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 4))
@given(data=st.data())
def test_damaged_moodle_xml_bytes_are_imported_or_reported_by_line(xml_export: str, data) -> None:
    _check(data.draw(fd.damaged_bytes(xml_export.encode("utf-8"))), import_moodle_xml)


def test_the_untouched_xml_export_imports_without_problems(xml_export: str) -> None:
    result = _check(xml_export, import_moodle_xml)
    assert result.problems == () and len(result.questions) > 100


# --- what the fuzzer found (the exact minimal inputs) ------------------------------------------
@pytest.mark.parametrize(("text", "expected"), [
    ("{#NAN}", "cannot read the number 'NAN' (it must be finite)"),  # found by hypothesis, as is
    ("0{#1e400}", "cannot read the number '1e400'"),
    ("0{#nan}", "cannot read the number 'nan'"),
    ("0{#inf..1}", "cannot read the number 'inf..1'"),
    ("0{#" + "9" * 500 + "x}", "cannot read the number '99999"),  # the value is shortened in the message
    ("0{#1:-1}", "the tolerance -1 must not be negative"),
    ("0{~a ~b}", "none of the answers earns credit"),
    ("0{~%-50%a ~%0%b}", "none of the answers earns credit"),
])
def test_answers_that_cannot_make_a_question_are_reported_on_their_line(text: str, expected: str) -> None:
    result = import_gift("// a comment\n\n" + text)
    assert result.questions == ()
    assert [(p.line, p.message[:len(expected)]) for p in result.problems] == [(3, expected)]


def test_an_unclosed_answer_block_before_many_lines_is_reported_quickly() -> None:
    """The brace scan is linear in the text: a rescan of the open block on every line would make this
    take minutes."""
    text = "::A::Which?{\n" + "~an option\n" * 20_000
    t0 = time.perf_counter()
    result = import_gift(text)
    assert time.perf_counter() - t0 < 2.0
    assert [(p.line, p.message) for p in result.problems] == [(1, "the answer block '{' is never closed")]


# --- the command line -------------------------------------------------------------------------
def _import_quiz(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "import-quiz", str(path)], capture_output=True, text=True,
                          timeout=60, cwd=Path(__file__).resolve().parents[2])


@pytest.mark.parametrize(("data", "expected"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00garbage\xff",
     "{file}:1: byte 0x89 at offset 0 is not UTF-8 text (GIFT files are UTF-8)"),
    (b"::a::b\n\n\xff", "{file}:3: byte 0xff at offset 8 is not UTF-8 text (GIFT files are UTF-8)"),
    (b"hello\n{{{\n::x::{~a}\n", "{file}: no question could be imported (1 not imported)"),
])
def test_import_quiz_of_garbage_exits_non_zero_with_one_line_naming_the_file(tmp_path: Path, data: bytes,
                                                                            expected: str) -> None:
    path = tmp_path / "garbage.gift"
    path.write_bytes(data)
    (tmp_path / "garbage.yaml").write_text("# the lecturer's own file\n", encoding="utf-8")
    result = _import_quiz(path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    last = result.stderr.strip().splitlines()[-1]
    assert last == "error: " + expected.format(file=path), result.stderr
    assert all(str(path) in line for line in result.stderr.strip().splitlines())
    assert (tmp_path / "garbage.yaml").read_text(encoding="utf-8") == "# the lecturer's own file\n"  # untouched


def test_import_quiz_of_a_folder_or_a_missing_file_says_so(tmp_path: Path) -> None:
    # The one reader of user files (app.knowledge.userfile) words the reason; one line naming the file.
    for path, why in ((tmp_path, "is a folder, not a regular file"), (tmp_path / "nowhere.gift", "no such file")):
        result = _import_quiz(path)
        assert result.returncode == 1 and result.stderr.startswith(f"error: {path}: ")
        assert why in result.stderr.lower() and result.stderr.count("\n") == 1
