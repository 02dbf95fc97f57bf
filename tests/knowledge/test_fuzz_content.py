"""Content fuzzing: malformed YAML and markdown never crash load_content/check_content, and every
problem names a file and a line >= 1. Longer runs: IRONBONE_FUZZ_EXAMPLES=2000."""

from __future__ import annotations

import math
import runpy
from pathlib import Path
from types import SimpleNamespace

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from app.knowledge.content import check_content, load_content
from app.knowledge.render import markdown_to_html

fz = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "fuzz_content.py")))
FUZZ = fz.fuzz_settings("IRONBONE_FUZZ_EXAMPLES", 60)


@FUZZ
@given(tree=fz.broken_trees())
def test_broken_content_never_crashes_the_loader_or_the_checker(tree) -> None:
    with fz.broken_tree_dir(tree) as root:
        content = load_content(root)
        fz.check_problems(content.problems)
        fz.check_problems(check_content(root))
        for page in [*content.node_pages.values(), *content.topic_pages.values()]:
            markdown_to_html(page.body)  # what the panel shows must render too


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 3))
@given(tree=fz.broken_trees(fz.CONTENT))
def test_broken_shipped_content_never_crashes_the_checker(tree) -> None:
    """The shipped tree has the model files too (treatments, scenarios, claims), checked against
    a real pathway."""
    with fz.broken_tree_dir(tree, fz.CONTENT) as root:
        fz.check_problems(check_content(root))


@FUZZ
@given(text=st.one_of(st.text(max_size=400), st.sampled_from(["[" * 3000, "> " * 3000, "*a" * 2000,
                                                              "<" * 1000, "\x00\ud7ff\ufffd"])))
def test_any_markdown_renders(text: str) -> None:
    out = markdown_to_html(text)
    assert "<script" not in out.lower() and "<iframe" not in out.lower()


def test_the_fuzzer_reaches_real_problems() -> None:
    """Sanity: a hand-made broken tree does produce problems (the harness is not vacuous)."""
    tree = {"pathway.yaml": fz.deep(5000, "flow"), "nodes/alpha.md": b"\xff\xfe---", "glossary.yaml": "terms: 3"}
    with fz.broken_tree_dir(tree) as root:
        problems = check_content(root)
        files = {p.file for p in problems}
        assert {"content/pathway.yaml", "content/nodes/alpha.md", "content/glossary.yaml"} <= files, problems
        fz.check_problems(problems)


fd = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "fuzz_data.py")))


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 3))
@given(data=st.data())
def test_odd_values_in_the_pathway_never_crash_the_checker(data) -> None:
    """Value-level mutations of the shipped pathway.yaml (huge integers, NaN, lists for numbers,
    deleted keys...): the text fuzzer above rarely forms them. 10**400 once crashed the loader."""
    import yaml

    original = yaml.safe_load((fz.CONTENT / "pathway.yaml").read_text(encoding="utf-8"))
    tree, _ = data.draw(fd.mutated_tree(original))
    # And always one number (a position, weight, basal level...) swapped for an odd value.
    numbers = [path for path in fd._paths(tree) if path and type(fd._get(tree, path)) in (int, float)]
    if numbers:
        path = data.draw(st.sampled_from(numbers))
        fd._get(tree, path[:-1])[path[-1]] = data.draw(st.sampled_from(
            [10**400, -(10**400), 2**63, 1e308, -1, 5e-324, math.nan, math.inf, "12", [1, 2], None, True]))
    try:
        text = fd.plain_yaml(tree, allow_unicode=True, default_flow_style=None, sort_keys=False)
    except RecursionError:  # nesting PyYAML cannot write (deep nesting is fuzzed as text above)
        assume(False)
    with fz.broken_tree_dir({"pathway.yaml": text}, fz.CONTENT) as root:
        content = load_content(root)
        fz.check_problems(content.problems)
        fz.check_problems(check_content(root))


hs = fz.hostile


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 2))
@given(case=fz.hostile_values())
def test_hostile_strings_in_content_are_refused_promptly_or_loaded_as_text(case) -> None:
    """A hostile string (rich text loading /dev/zero, a 5,000-digit number, U+2028, 100,000
    characters...) in any text of a shipped file: every checker answers promptly with one-line
    problems, and where it loads, it loads unchanged (text is never interpreted on the way in)."""
    from app.knowledge.checks import check_all
    from app.knowledge.model_io import load_model_content
    from app.knowledge.tours import load_tours
    from app.quiz.checks import check_quizzes

    name, _original, changed = case
    with fz.broken_tree_dir({name: changed}, fz.CONTENT) as root:
        def check() -> list:
            content = load_content(root)
            mc = load_model_content(root, content.pathway)
            tours = load_tours(root, content.pathway, mc.scenarios, mc.treatments)[1]
            return [*check_all(root), *check_quizzes(root), *tours]

        fz.check_problems(hs.promptly(check))
        content = load_content(root)
        texts = {n.label for n in content.pathway.nodes} | {n.name for n in content.pathway.nodes} \
            | {r.title for r in content.references.values()} | {t.meaning for t in content.glossary}
        for text in texts:
            assert isinstance(text, str)  # loaded as text, whatever it says
