"""The one YAML loader: safe constructors, line numbers, and refusals made while composing, before
anything is built: anchors and aliases (alias bombs), merge keys, deep nesting, too many values,
overlong texts. Checked with libyaml's C parser and with PyYAML's pure-Python one."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml

from app.knowledge import yamlio
from app.knowledge.yamlio import ALIAS_MESSAGE, YamlError, load_yaml

APP = Path(__file__).resolve().parents[2] / "app"

# Nine times nine ... nine levels: 10**18 strings if anything expanded it, a few hundred bytes here.
BOMB = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(17))


@pytest.fixture(params=["C", "pure Python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both of PyYAML's parsers; the loaders are rebuilt for each."""
    if request.param == "pure Python":
        monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML without libyaml")
    yamlio._loaders.cache_clear()
    yield request.param
    yamlio._loaders.cache_clear()


def _error(text: str, **kw: object) -> YamlError:
    with pytest.raises(YamlError) as info:
        load_yaml(text, **kw)
    return info.value


@pytest.mark.parametrize("track_lines", [True, False])
def test_an_alias_bomb_is_refused_at_its_first_anchor_at_once(parser: str, track_lines: bool) -> None:
    start = time.perf_counter()
    err = _error(BOMB, track_lines=track_lines)
    assert time.perf_counter() - start < 1.0  # a hang guard: it takes about a millisecond
    assert (str(err), err.line) == (ALIAS_MESSAGE, 1)


@pytest.mark.parametrize(("text", "line"), [
    ("a: 1\nb: &x 2\n", 2),  # an anchor alone
    ("a: 1\nb: [1, 2]\nc:\n  - *x\n", 4),  # an alias to nothing
    ("a: &x {k: 1}\nb: *x\n", 1),
    ("t: &x text\n", 1),
])
def test_anchors_and_aliases_are_refused_with_their_line(parser: str, text: str, line: int) -> None:
    err = _error(text)
    assert (str(err), err.line) == (ALIAS_MESSAGE, line)


def test_a_merge_key_is_refused(parser: str) -> None:
    err = _error("a: 1\nb:\n  <<: {k: 1}\n  j: 2\n")
    assert (err.line, str(err)) == (3, "YAML merge keys (<<) are not allowed: write the keys out in full")
    assert load_yaml('a: "<<"\n"<<": 1\n') == {"a": "<<", "<<": 1}  # quoted, it is just text


def test_nesting_is_bounded(parser: str) -> None:
    deep = "a:\n" + "".join("  " * i + "- \n" for i in range(1, 40))
    err = _error(deep)
    assert str(err) == "nested more than 32 levels deep" and err.line == 33  # the 33rd level
    assert load_yaml("[" * 32 + "]" * 32) is not None


def test_the_number_of_values_is_bounded(parser: str) -> None:
    err = _error("a: 1\nb: [" + "0, " * 250_000 + "]\n")
    assert str(err) == "more than 250,000 values in one file" and err.line == 2
    assert load_yaml("b: [" + "0, " * 240_000 + "]\n") is not None  # a 2,000-node pathway's size passes


def test_an_overlong_text_is_refused_with_its_line(parser: str) -> None:
    err = _error("a: 1\nb:\n  title: " + "x" * 20_001 + "\n")
    assert (str(err), err.line) == ("a text of 20,001 characters is too long (at most 20,000)", 3)
    assert len(load_yaml("t: " + "x" * 20_000)["t"]) == 20_000


def test_a_second_document_is_refused(parser: str) -> None:
    err = _error("a: 1\n---\nb: 2\n")
    assert err.line == 2 and "one YAML document" in str(err)


def test_line_offset_counts_from_the_front_matter(parser: str) -> None:
    assert _error("title: x\nb: *y\n", line_offset=1, track_lines=False).line == 3


def test_ordinary_yaml_loads_the_same_with_either_parser(parser: str) -> None:
    text = "a: [1, 2.5, {b: c}]\nd: null\ne: 2024-01-31\nf: 'it''s'\ng: |\n  two\n  lines\n"
    data = load_yaml(text)
    assert data == {"a": [1, 2.5, {"b": "c"}], "d": None, "e": __import__("datetime").date(2024, 1, 31),
                    "f": "it's", "g": "two\nlines\n"}
    assert data.line == 1 and data["a"].line == 1 and data["a"][2].line == 1
    assert load_yaml("") is None and load_yaml("# only a comment\n") is None


def test_python_tags_are_refused(parser: str) -> None:
    err = _error("a: !!python/object/apply:os.system ['true']\n")
    assert err.line == 1 and "malformed YAML" in str(err)


def test_every_yaml_load_in_the_app_goes_through_load_yaml() -> None:
    """No other module parses YAML itself: the bounds above hold everywhere."""
    call = re.compile(r"\byaml\.(load|safe_load|full_load|unsafe_load|load_all|safe_load_all|compose|parse)\(|"
                      r"\b(CSafeLoader|SafeLoader|FullLoader|UnsafeLoader|CLoader|Loader)\(")
    offenders = [f"{p.relative_to(APP)}:{i}" for p in sorted(APP.rglob("*.py")) if p.name != "yamlio.py"
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if call.search(line)]
    assert offenders == []
