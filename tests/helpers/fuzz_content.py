"""Hypothesis strategies for broken content trees (malformed YAML and markdown, hostile strings from
hostile.py in any text) and the set-up shared by the fuzz tests. Load it by path (tests/ is no
package under --import-mode=importlib):
    fz = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "fuzz_content.py")))
"""

from __future__ import annotations

import math
import os
import runpy
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
CONTENT = Path(__file__).resolve().parents[2] / "content"  # the shipped tree, model files and all

GLOSSARY = """terms:
  - {term: AF, expansion: Alpha factor, meaning: The first node., node: alpha, variants: [alpha factor]}
  - {term: BR, expansion: Beta receptor, meaning: The second node.}
"""
TARGETS = {
    MINI: ("pathway.yaml", "references.yaml", "glossary.yaml", "nodes/alpha.md", "nodes/beta.md",
           "topics/overview.md", "treatments.yaml", "scenarios.yaml", "claims.yaml"),
    CONTENT: ("pathway.yaml", "references.yaml", "glossary.yaml", "nodes/estrogen.md", "nodes/rankl.md",
              "topics/overview.md", "topics/about-model.md", "treatments.yaml", "scenarios.yaml", "claims.yaml"),
}

hostile = SimpleNamespace(**runpy.run_path(str(Path(__file__).with_name("hostile.py"))))

# --- what goes into a file ---------------------------------------------------------------------
scalars = st.one_of(
    hostile.hostile_strings(long=False),
    st.none(), st.booleans(), st.text(max_size=30),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308, -1e308, 10**400, "", "~", "null", "+", "-",
                     "alpha", "beta", "node:alpha", "ref:nowhere", "\u202e\u0000\ufeff", "é" * 50]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), inner, max_size=5)),
    max_leaves=25)
KEYS = ("id", "label", "name", "kind", "compartment", "pos", "rect", "aliases", "basal", "input", "source",
        "target", "sign", "weight", "cite", "section", "evidence", "key", "authors", "year", "title", "doi",
        "term", "expansion", "meaning", "node", "variants", "actions", "inputs", "expect", "nodes", "edges")
entries = st.dictionaries(st.sampled_from(KEYS), values, max_size=8)
# Files shaped like ours (a mapping of lists of entries) whose fields have the wrong types.
shaped = st.dictionaries(
    st.sampled_from(["compartments", "nodes", "edges", "references", "terms", "treatments", "scenarios",
                     "claims", "version"]),
    st.one_of(st.lists(entries, max_size=6), values), max_size=5)


def _dump(data: object) -> str:
    try:
        return yaml.dump(data, allow_unicode=True, default_flow_style=None)
    except (yaml.YAMLError, ValueError, OverflowError):
        return repr(data)


@st.composite
def mutated(draw, original: str) -> str:
    """A valid file cut short, or with a span replaced by junk."""
    n = len(original)
    a = draw(st.integers(0, n))
    if draw(st.booleans()):
        return original[:a]
    b = draw(st.integers(a, min(n, a + 40)))
    junk = draw(st.one_of(st.text(max_size=20), st.sampled_from(
        ["\t", ": :", "- - -", "{", "[", "]", "}", "&a", "*a", "!!python/object:os.system", "---", "\x00",
         "!!binary |\n  ###", "<<: *x", "? [a]\n: b"])))
    return original[:a] + junk + original[b:]


def deep(depth: int, kind: str) -> str:
    if kind == "flow":
        return "nodes: " + "[" * depth + "]" * depth + "\n"
    if kind == "map":
        return "nodes: " + "{a: " * depth + "1" + "}" * depth + "\n"
    return "".join("  " * i + "- \n" for i in range(depth))


def _content(draw, base: Path, target: str) -> str | bytes:
    original = (base / target).read_text(encoding="utf-8") if (base / target).exists() else \
        (GLOSSARY if target == "glossary.yaml" else "")
    kind = draw(st.sampled_from(["bytes", "text", "mutated", "shaped", "values", "deep", "page"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "text":
        return draw(st.text(max_size=300))
    if kind == "mutated":
        return draw(mutated(original))
    if kind == "shaped":
        return _dump(draw(shaped))
    if kind == "values":
        return _dump(draw(values))
    if kind == "deep":
        return deep(draw(st.sampled_from([50, 500, 5000])), draw(st.sampled_from(["flow", "map", "block"])))
    # A page: front matter from the generators, then markdown with links, HTML and junk.
    front = _dump(draw(st.one_of(entries, values)))
    body = draw(st.lists(st.one_of(
        st.text(max_size=40),
        st.sampled_from(["## What it is", "[x](node:)", "[x](node:nowhere)", "[x](ref:)", "[x](topic:..)",
                         "[x](javascript:alert(1))", "![i](//evil.example/x.png)", "<script>x</script>",
                         "<iframe src=http://e.org>", "| a | b |\n|---|---|\n| 1 |", "```", "> " * 200,
                         "*" * 500, "[" * 300, "---", "---\ntitle: again\n---"]),
        hostile.hostile_strings(surrogates=False)), max_size=12))
    return "---\n" + front + "---\n" + "\n".join(body)


@st.composite
def broken_trees(draw, base: Path = MINI) -> dict[str, str | bytes]:
    """One to three files of `base` (MINI or CONTENT) replaced by broken versions."""
    chosen = draw(st.lists(st.sampled_from(TARGETS[base]), min_size=1, max_size=3, unique=True))
    return {target: _content(draw, base, target) for target in chosen}


def write_tree(tree: dict[str, str | bytes], root: Path, base: Path = MINI) -> None:
    """A copy of `base` at `root` (the mini fixture gets a glossary), the files of `tree` overwritten."""
    shutil.copytree(base, root)
    if base == MINI:
        (root / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    for target, data in tree.items():
        path = root / target
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8", errors="surrogatepass")


@contextmanager
def broken_tree_dir(tree: dict[str, str | bytes], base: Path = MINI) -> Iterator[Path]:
    """A temporary `content` folder: a copy of `base` with the files of `tree` broken."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        write_tree(tree, root, base)
        yield root


def fuzz_settings(env: str, default: int, *, fixtures: bool = False) -> settings:
    """Hypothesis settings of a fuzz test; the environment variable `env` sets the number of
    examples (longer runs). `fixtures`: the test takes function-scoped fixtures such as qtbot."""
    checks = [HealthCheck.too_slow, HealthCheck.data_too_large]
    if fixtures:
        checks.append(HealthCheck.function_scoped_fixture)
    return settings(max_examples=int(os.environ.get(env, str(default))), deadline=None, database=None,
                    suppress_health_check=checks)


def check_problems(problems) -> None:  # noqa: ANN001
    """Every problem names a file and a line >= 1 and says what is wrong, on one short line (a value
    it quotes is shortened, a line separator in it escaped)."""
    for p in problems:
        assert isinstance(p.file, str) and p.file, p
        assert isinstance(p.line, int) and p.line >= 1, p
        assert isinstance(p.message, str) and p.message, p
        assert "Traceback" not in p.message, p
        assert not any(c in p.message for c in "\n\r\u2028\u2029\x85"), p
        assert len(p.message) < 1000, (len(p.message), p.message[:300])


@st.composite
def hostile_values(draw, base: Path = CONTENT) -> tuple[str, str, str]:
    """(file, original text, changed text): a quoted text value of a shipped YAML file, or a line of a
    page, replaced by a hostile string (HTML loading a device, huge numbers, separators, 100,000
    characters). The file stays valid YAML, so what reaches the loader's checks is the string."""
    import json

    name = draw(st.sampled_from(["pathway.yaml", "references.yaml", "glossary.yaml", "treatments.yaml",
                                 "scenarios.yaml", "tours/01-iron-after-menopause.yaml", "nodes/rankl.md",
                                 "quizzes/predictions.yaml"]))
    text = (base / name).read_text(encoding="utf-8")
    evil = draw(hostile.hostile_strings(surrogates=False))
    if name.endswith(".md"):
        lines = text.split("\n")
        i = draw(st.integers(1, len(lines) - 1))
        lines.insert(i, evil.replace("\n", " "))
        return name, text, "\n".join(lines)
    quoted = [i for i in range(len(text)) if text.startswith(': "', i)]
    i = draw(st.sampled_from(quoted)) + 2
    end = text.index('"', i + 1)
    return name, text, text[:i] + json.dumps(evil, ensure_ascii=True) + text[end + 1:]
