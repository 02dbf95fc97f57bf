"""Content fuzzing: malformed YAML and markdown never crash load_content/check_content, and every
problem names a file and a line >= 1 (issue 8). Longer runs: IRONBONE_FUZZ_EXAMPLES=2000."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.knowledge.content import check_content, load_content
from app.knowledge.render import markdown_to_html


def _helper(name: str):  # noqa: ANN202 - tests/ is no package under --import-mode=importlib
    key = f"ironbone_test_{name}"
    if key not in sys.modules:
        spec = importlib.util.spec_from_file_location(key, Path(__file__).parents[1] / "helpers" / f"{name}.py")
        sys.modules[key] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[key]


fz = _helper("fuzz_content")
EXAMPLES = int(os.environ.get("IRONBONE_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(tree=fz.broken_trees())
def test_broken_content_never_crashes_the_loader_or_the_checker(tree) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        fz.write_tree(tree, root)
        content = load_content(root)
        fz.check_problems(content.problems)
        fz.check_problems(check_content(root))
        for page in [*content.node_pages.values(), *content.topic_pages.values()]:
            markdown_to_html(page.body)  # what the panel shows must render too


@settings(FUZZ, max_examples=max(1, EXAMPLES // 3))
@given(tree=fz.broken_trees(fz.CONTENT))
def test_broken_shipped_content_never_crashes_the_checker(tree) -> None:
    """The shipped tree has the model files too (treatments, scenarios, claims), checked against
    a real pathway."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        fz.write_tree(tree, root, fz.CONTENT)
        fz.check_problems(check_content(root))


@FUZZ
@given(text=st.one_of(st.text(max_size=400), st.sampled_from(["[" * 3000, "> " * 3000, "*a" * 2000,
                                                              "<" * 1000, "\x00\ud7ff\ufffd"])))
def test_any_markdown_renders(text: str) -> None:
    out = markdown_to_html(text)
    assert "<script" not in out.lower() and "<iframe" not in out.lower()


def test_the_fuzzer_reaches_real_problems() -> None:
    """Sanity: a hand-made broken tree does produce problems (the harness is not vacuous)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        fz.write_tree({"pathway.yaml": fz.deep(5000, "flow"), "nodes/alpha.md": b"\xff\xfe---",
                       "glossary.yaml": "terms: 3"}, root)
        problems = check_content(root)
        files = {p.file for p in problems}
        assert {"content/pathway.yaml", "content/nodes/alpha.md", "content/glossary.yaml"} <= files, problems
        fz.check_problems(problems)
