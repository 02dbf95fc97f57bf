"""What the app cannot show promptly is refused by the loaders and check-content, with file and line:
huge markdown tables (a 5000 x 200 table froze the page panel for minutes), overlong pages, texts
and captions, a 50 MB reference title. Line numbers are the editor's, even with U+2028 in a file."""

from __future__ import annotations

import runpy
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.knowledge import limits
from app.knowledge.content import check_content, load_content
from app.knowledge.pages import markdown_bounds

hs = SimpleNamespace(**runpy.run_path(str(Path(__file__).parents[1] / "helpers" / "hostile.py")))
ROOT = Path(__file__).resolve().parents[2]


def _table(rows: int, cols: int) -> str:
    return ("|" + "|".join(f"h{c}" for c in range(cols)) + "|\n|" + "|".join(["---"] * cols) + "|\n"
            + "".join("|" + "|".join(["a"] * cols) + "|\n" for _ in range(rows)))


def _page(path: Path, body: str) -> int:
    """Write a node page whose body starts with `body`; returns the file line of the body's first line."""
    path.write_text("---\ntitle: Alpha\n---\n" + body, encoding="utf-8")
    return 4


def _lines(root: Path) -> list[str]:
    return [str(p) for p in hs.promptly(lambda: check_content(root))]


def test_a_5000_by_200_table_is_refused_at_its_line(mini_dir: Path) -> None:
    start = _page(mini_dir / "nodes" / "alpha.md", "Intro.\n\n" + _table(5000, 200))
    lines = _lines(mini_dir)
    assert f"content/nodes/alpha.md:{start + 2}: a table of 200 columns is too wide to show (at most 20)" in lines
    assert (f"content/nodes/alpha.md:{start + 2}: the page's tables have 1,000,200 cells up to here; at most "
            "1,000 can be shown promptly") in lines
    content = load_content(mini_dir)
    assert "alpha" not in content.node_pages and "node:alpha" in content.page_problems


@pytest.mark.parametrize(("rows", "cols", "refused"), [(99, 10, False), (100, 10, True), (10, 20, False),
                                                        (1, 21, True)])
def test_the_table_bound_is_exact(rows: int, cols: int, refused: bool) -> None:
    problems = markdown_bounds("text\n\n" + _table(rows, cols), 10)
    assert bool(problems) == refused, problems
    if refused:
        assert problems[0][0] == 12


def test_cells_of_all_tables_on_a_page_count_together() -> None:
    text = "\n".join(_table(49, 10) for _ in range(3))  # 500 cells each
    assert markdown_bounds(text, 1) == [(1 + 2 * 52, "the page's tables have 1,500 cells up to here; at most "
                                                     "1,000 can be shown promptly")]


def test_a_delimiter_row_of_200000_characters_is_read_in_linear_time() -> None:
    line = "|" + "-" * 150_000 + "x"
    assert hs.promptly(lambda: markdown_bounds("a|b\n" + line, 1), seconds=5) == []


def test_an_overlong_page_is_refused(mini_dir: Path) -> None:
    start = _page(mini_dir / "topics" / "overview.md", "word " * 50_000)
    assert (f"content/topics/overview.md:{start}: the page has 250,000 characters; at most 200,000 can be shown "
            "promptly (split it)") in _lines(mini_dir)


def test_a_50_mb_reference_title_is_refused_with_its_size(mini_dir: Path) -> None:
    path = mini_dir / "references.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + '  - {key: huge2020, authors: "A", year: 2020, title: "' + "t" * (50 * limits.MB)
                    + '"}\n', encoding="utf-8")
    assert ("content/references.yaml:1: cannot read: is 50.0 MB, too large for a content file (at most 2 MB)"
            in _lines(mini_dir))


def test_a_long_reference_title_is_refused_at_its_line(mini_dir: Path) -> None:
    path = mini_dir / "references.yaml"
    text = path.read_text(encoding="utf-8")
    n = text.count("\n") + 1
    path.write_text(text + '  - {key: long2020, authors: "A", year: 2020, title: "' + "t" * 30_000 + '"}\n',
                    encoding="utf-8")
    assert (f"content/references.yaml:{n}: a text of 30,000 characters is too long (at most 20,000)"
            in _lines(mini_dir))


def test_a_tour_caption_with_a_huge_table_is_refused_at_its_step(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    path = root / "tours" / "02-iron-harms-osteoblasts.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("  - caption:"))
    table = _table(300, 10).replace("\n", "\n      ")
    lines.insert(at + 1, "      " + table)
    lines[at] = "  - caption: |"
    path.write_text("\n".join(lines), encoding="utf-8")
    from app.knowledge.model_io import load_model_content
    from app.knowledge.tours import load_tours

    pathway = load_content(root).pathway
    mc = load_model_content(root, pathway)
    tours, problems = load_tours(root, pathway, mc.scenarios, mc.treatments)
    assert (f"content/tours/02-iron-harms-osteoblasts.yaml:{at + 1}: step 1: the caption's tables have "
            "3,010 cells up to here; at most 1,000 can be shown promptly") in [str(p) for p in problems]


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85"])
def test_yaml_lines_are_counted_as_an_editor_counts_them(mini_dir: Path, sep: str) -> None:
    """YAML breaks lines at U+2028, U+2029 and NEL; editors (and so `file:line`) do not."""
    refs = mini_dir / "references.yaml"
    body = refs.read_text(encoding="utf-8")
    refs.write_text(f'about: "a{sep}b{sep}c"\n' + body + "  - {key: 7}\n", encoding="utf-8")
    bad_ref = body.count("\n") + 2
    page = mini_dir / "nodes" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title:", f"note: 'a{sep}b'\nx: *y\ntitle:", 1),
                    encoding="utf-8")
    lines = _lines(mini_dir)
    assert f"content/references.yaml:{bad_ref}: reference without a 'key'" in lines
    assert ("content/nodes/alpha.md:3: front matter: YAML aliases (&anchor / *alias) are not allowed: write the "
            "value out in full") in lines


@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x1c", "\x1d", "\x1e", "\x0b", "\x0c"])
def test_page_lines_are_counted_as_an_editor_counts_them(mini_dir: Path, sep: str) -> None:
    """str.splitlines() also breaks at these; a page's link is reported at the line an editor shows."""
    page = mini_dir / "nodes" / "alpha.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text + f"\nA{sep}B{sep}C [broken](node:nobody)\n", encoding="utf-8")
    broken = text.count("\n") + 2
    assert f"content/nodes/alpha.md:{broken}: broken link node:nobody (no such node)" in _lines(mini_dir)


def test_a_tour_that_would_play_past_the_clock_is_reported(tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    path = root / "tours" / "05-treatment-targets.yaml"
    text = path.read_text(encoding="utf-8")
    assert "    years: 3\n" in text
    path.write_text(text.replace("    years: 3\n", "    years: 30\n"), encoding="utf-8")
    from app.knowledge.model_io import load_model_content
    from app.knowledge.tours import load_tours

    pathway = load_content(root).pathway
    mc = load_model_content(root, pathway)
    _tours, problems = load_tours(root, pathway, mc.scenarios, mc.treatments)
    assert any("its steps play" in p.message and "the model clock stops at 60" in p.message for p in problems)


def test_an_id_no_session_could_name_is_refused(mini_dir: Path) -> None:
    """A session names nodes and pages by id (at most 200 characters): content may not make one the
    app could then not save."""
    long_id = "a" * 201
    path = mini_dir / "pathway.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: delta,", f"id: {long_id},", 1), encoding="utf-8")
    (mini_dir / "topics" / f"{'t' * 201}.md").write_text("---\ntitle: T\n---\nText.\n", encoding="utf-8")
    lines = _lines(mini_dir)
    assert any(f"node without a valid 'id' (got '{'a' * 38}…)" in line for line in lines), lines
    assert f"content/topics/{'t' * 201}.md:1: the file name is 201 characters long; a page id may have at most 200" \
        in lines
