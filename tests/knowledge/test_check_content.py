"""check-content: every class of content error is reported once, as file:line: message."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.knowledge.content import check_content, load_content

ROOT = Path(__file__).resolve().parents[2]


def _lines(root: Path) -> list[str]:
    return [str(p) for p in check_content(root)]


def _line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_mini_fixture_is_clean(mini_dir: Path) -> None:
    assert _lines(mini_dir) == []


def test_the_shipped_content_is_clean() -> None:
    problems = _lines(ROOT / "content")
    assert problems == [], "\n".join(problems[:20])


def test_duplicate_node_id(mini_dir: Path) -> None:
    p = mini_dir / "pathway.yaml"
    _replace(p, "id: delta,", "id: beta,")
    line = _line_of(p, 'label: "Delta"')
    assert f"content/pathway.yaml:{line}: duplicate node id 'beta' (first on line {line - 2})" in _lines(mini_dir)


def test_an_edge_end_that_is_a_long_nested_list_is_named_in_one_short_line(mini_dir: Path) -> None:
    """Found by the value fuzzer: a list of lists as an edge's source was echoed whole (10,089 characters)."""
    p = mini_dir / "pathway.yaml"
    huge = "[[" + ", ".join(["x" * 50] * 200) + "]]"
    _replace(p, "{source: gamma, target: delta", "{source: " + huge + ", target: delta")
    lines = [m for m in _lines(mini_dir) if "pathway.yaml" in m]
    assert lines and all(len(m) < 300 for m in lines), max(lines, key=len)[:400]
    assert any("edge [[" in m and "->delta: source" in m and "is not a node" in m for m in lines), lines


def test_edge_to_missing_node(mini_dir: Path) -> None:
    p = mini_dir / "pathway.yaml"
    _replace(p, "{source: gamma, target: delta", "{source: gamma, target: omega")
    line = _line_of(p, "target: omega")
    assert f"content/pathway.yaml:{line}: edge gamma->omega: target 'omega' is not a node" in _lines(mini_dir)


def test_edge_without_citation(mini_dir: Path) -> None:
    p = mini_dir / "pathway.yaml"
    _replace(p, "cite: [jones2010]", "cite: []")
    line = _line_of(p, "cite: []")
    assert f"content/pathway.yaml:{line}: edge gamma->delta: no citation ('cite' is empty)" in _lines(mini_dir)


def test_unknown_reference_key_in_edge(mini_dir: Path) -> None:
    p = mini_dir / "pathway.yaml"
    _replace(p, "cite: [jones2010]", "cite: [nobody1999]")
    line = _line_of(p, "nobody1999")
    assert f"content/pathway.yaml:{line}: edge gamma->delta: unknown reference key 'nobody1999'" in _lines(mini_dir)


def test_node_without_page(mini_dir: Path) -> None:
    (mini_dir / "nodes" / "gamma.md").unlink()
    line = _line_of(mini_dir / "pathway.yaml", "id: gamma")
    assert _lines(mini_dir) == [
        f"content/pathway.yaml:{line}: node 'gamma' has no page (expected content/nodes/gamma.md)"
    ]


def test_page_for_unknown_id(mini_dir: Path) -> None:
    shutil.copy(mini_dir / "nodes" / "alpha.md", mini_dir / "nodes" / "zeta.md")
    assert _lines(mini_dir) == ["content/nodes/zeta.md:1: page for unknown node id 'zeta'"]


def test_node_page_too_short_or_missing_sections(mini_dir: Path) -> None:
    (mini_dir / "nodes" / "beta.md").write_text("---\ntitle: Beta\n---\n# Beta\n\n## What it is\nShort.\n",
                                              encoding="utf-8")
    assert _lines(mini_dir) == [
        "content/nodes/beta.md:4: missing section(s): What it does here, Evidence, Related "
        "(node pages need: What it is, What it does here, Evidence, Related)",
        "content/nodes/beta.md:4: page has 5 words; node pages need 120–400",
    ]


def test_malformed_pathway_yaml(mini_dir: Path) -> None:
    p = mini_dir / "pathway.yaml"
    text = p.read_text(encoding="utf-8").splitlines()
    text[7] = "  - {id: alpha, label: [unclosed"
    p.write_text("\n".join(text) + "\n", encoding="utf-8")
    problems = _lines(mini_dir)
    assert problems[0].startswith("content/pathway.yaml:")
    assert "malformed YAML" in problems[0]
    line = int(problems[0].split(":")[1])
    assert 8 <= line <= 9  # the parser reports the broken line or the one right after


def test_malformed_front_matter(mini_dir: Path) -> None:
    page = mini_dir / "nodes" / "beta.md"
    _replace(page, "references: [smith2001]", "references: [smith2001")
    problems = _lines(mini_dir)
    assert len(problems) == 1
    assert problems[0].startswith("content/nodes/beta.md:")
    assert "front matter: malformed YAML" in problems[0]


def test_missing_front_matter(mini_dir: Path) -> None:
    (mini_dir / "nodes" / "beta.md").write_text("# Beta\nNo front matter\n", encoding="utf-8")
    assert _lines(mini_dir) == [
        "content/nodes/beta.md:1: missing front matter: the file must start with '---'"
    ]


def test_app_links_name_a_part_of_the_app(mini_dir: Path) -> None:
    """`app:NAME` opens a part of the app from a page: a name the app does not have is reported."""
    page = mini_dir / "nodes" / "gamma.md"
    _replace(page, "[Alpha](node:alpha)", "[Alpha](node:alpha), [the table](app:evidence), [x](app:nowhere)")
    line = _line_of(page, "app:nowhere")
    assert _lines(mini_dir) == [f"content/nodes/gamma.md:{line}: unknown app link 'app:nowhere' "
                                "(known: app:evidence)"]


def test_broken_node_link(mini_dir: Path) -> None:
    page = mini_dir / "nodes" / "gamma.md"
    _replace(page, "[Alpha](node:alpha)", "[Alpha](node:alfa)")
    line = _line_of(page, "node:alfa")
    assert _lines(mini_dir) == [f"content/nodes/gamma.md:{line}: broken link node:alfa (no such node)"]


def test_bad_sign_and_evidence(mini_dir: Path) -> None:
    p = mini_dir / "pathway.yaml"
    _replace(p, 'sign: "-"', 'sign: "?"')
    _replace(p, "evidence: clinical", "evidence: hearsay")
    problems = _lines(mini_dir)
    assert any("edge beta->gamma: 'sign' must be" in x for x in problems)
    assert any("edge gamma->delta: evidence must be one of clinical, animal, in_vitro" in x for x in problems)


def test_duplicate_glossary_term(mini_dir: Path) -> None:
    (mini_dir / "glossary.yaml").write_text(
        "terms:\n  - {term: AF, expansion: Alpha factor, meaning: x}\n"
        "  - {term: AF, expansion: Again, meaning: y}\n",
        encoding="utf-8",
    )
    assert _lines(mini_dir) == ["content/glossary.yaml:3: duplicate glossary term 'AF' (line 2)"]


def test_loader_never_raises_on_garbage(mini_dir: Path) -> None:
    (mini_dir / "pathway.yaml").write_bytes(b"\xff\xfe\x00garbage")
    content = load_content(mini_dir)
    assert content.pathway.nodes == ()
    assert content.problems and content.problems[0].file == "content/pathway.yaml"


@pytest.mark.parametrize("broken", [False, True])
def test_cli_exit_codes(mini_dir: Path, broken: bool) -> None:
    if broken:
        (mini_dir / "nodes" / "gamma.md").unlink()
    proc = subprocess.run(
        [sys.executable, "-m", "app", "check-content", str(mini_dir)],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert proc.returncode == (1 if broken else 0)
    if broken:
        assert proc.stdout.strip().endswith("node 'gamma' has no page (expected content/nodes/gamma.md)")
    else:
        assert proc.stdout == ""


@pytest.mark.parametrize("typed", ["absolute", "content", "."])
def test_cli_names_files_the_way_the_directory_was_typed(mini_dir: Path, typed: str) -> None:
    (mini_dir / "nodes" / "gamma.md").unlink()
    arg, cwd, shown = {"absolute": (str(mini_dir), ROOT, f"{mini_dir}/pathway.yaml"),
                       "content": ("content", mini_dir.parent, "content/pathway.yaml"),
                       ".": (".", mini_dir, "pathway.yaml")}[typed]
    proc = subprocess.run([sys.executable, "-m", "app", "check-content", arg],
                          capture_output=True, text=True, cwd=cwd, timeout=60)
    assert proc.returncode == 1
    line = _line_of(mini_dir / "pathway.yaml", "id: gamma")
    assert proc.stdout.startswith(f"{shown}:{line}: node 'gamma' has no page"), proc.stdout


def test_cli_names_the_shipped_content_in_full_when_run_from_elsewhere(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "app", "check-content"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", f"content OK: {ROOT / 'content'}\n")


def test_model_files_are_checked_too(tmp_path: Path) -> None:
    import shutil

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    t = root / "treatments.yaml"
    _replace(t, "{kind: add_input, node: osteoblast,", "{kind: add_input, node: osteoblastz,")
    line = _line_of(t, "osteoblastz")
    problems = _lines(root)
    hits = [p for p in problems if p.startswith("content/treatments.yaml:") and "osteoblastz" in p]
    assert hits, problems
    assert int(hits[0].split(":")[1]) == line


def test_a_list_used_as_a_yaml_key_is_reported_with_its_line() -> None:
    from app.knowledge.yamlio import YamlError, load_yaml

    with pytest.raises(YamlError) as info:
        load_yaml("a: 1\n? [x, y]\n: 2\n")
    assert info.value.line == 2
    assert "a key must be plain text or a number" in str(info.value)


def test_numbers_too_large_for_a_float_are_reported_not_raised(mini_dir: Path) -> None:
    p = mini_dir / "pathway.yaml"
    huge = "1" + "0" * 400  # a YAML int no float holds: float() raises OverflowError
    _replace(p, "pos: [300, 80]", f"pos: [{huge}, 80]")
    _replace(p, "weight: 0.6", f"weight: {huge}")
    _replace(p, "basal: 0.2}", f"basal: {huge}}}")
    problems = _lines(mini_dir)
    line = _line_of(p, "id: beta")
    assert any(f"pathway.yaml:{line}: node 'beta': 'pos'" in x for x in problems), problems
    assert any("weight" in x for x in problems), problems
    assert any("basal" in x for x in problems), problems
    assert load_content(mini_dir).pathway.has_node("alpha")  # the rest still loads
