"""No content file copies ten or more consecutive words of the review."""

from __future__ import annotations

from pathlib import Path

from app.knowledge.originality import content_files, find_copies, words
from app.paths import review_source

ROOT = Path(__file__).resolve().parents[2]


def _review() -> str:
    source = review_source()
    assert source is not None, "the review text (../shared/source) must be beside the checkout"
    return source.read_text(encoding="utf-8")


def test_hyphenated_line_breaks_are_joined() -> None:
    assert words("osteo\u2010\nblasts and iron") == ["osteoblasts", "and", "iron"]


def test_shipped_content_copies_no_run_of_ten_words() -> None:
    problems = find_copies(content_files(ROOT / "content"), _review(), ROOT / "content")
    assert problems == [], "\n".join(map(str, problems[:10]))


def test_a_copied_sentence_is_reported_with_its_line(mini_dir: Path) -> None:
    page = mini_dir / "nodes" / "alpha.md"
    text = page.read_text(encoding="utf-8").splitlines()
    text.insert(8, "Hepcidin is a cysteine-rich antibacterial peptide synthesized and secreted by the liver.")
    page.write_text("\n".join(text) + "\n", encoding="utf-8")
    problems = find_copies(content_files(mini_dir), _review(), mini_dir)
    assert [(p.file, p.line) for p in problems] == [("content/nodes/alpha.md", 9)]
    assert "copies 10+ consecutive words" in problems[0].message


def test_nine_shared_words_are_fine(mini_dir: Path) -> None:
    page = mini_dir / "nodes" / "alpha.md"
    nine = "hepcidin is a cysteine rich antibacterial peptide synthesized and"
    page.write_text(page.read_text(encoding="utf-8") + f"\n{nine}\n", encoding="utf-8")
    assert find_copies(content_files(mini_dir), _review(), mini_dir) == []
