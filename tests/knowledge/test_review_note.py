"""The review note: rendered as one distinct box, and check-content rejects a malformed one."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.knowledge.content import check_content
from app.knowledge.render import markdown_to_html

NOTE = """\
::: review-note
review: menstruation removes about **36 mg** of iron a year ([Jones and Lee, 2010](ref:jones2010)).
better: measured losses are nearer half a milligram a day
([Smith, 2001](ref:smith2001)).
:::
"""


def _add_to_beta(mini_dir: Path, block: str) -> int:
    """Append `block` to the Evidence section of the fixture's beta page; its first line number."""
    page = mini_dir / "nodes" / "beta.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    at = lines.index("## Related")
    lines[at:at] = block.splitlines() + [""]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


def _lines(root: Path) -> list[str]:
    return [str(p) for p in check_content(root)]


def test_a_note_renders_as_one_labelled_box() -> None:
    out = markdown_to_html("Before.\n\n" + NOTE + "\nAfter.\n")
    assert out.count('<td class="review-note">') == 1
    box = out[out.index('<table class="review-note"'):out.index("</table>")]
    assert "A correction to the review" in box
    assert "<b>The review states:</b> menstruation removes about <strong>36 mg</strong>" in box
    assert "<b>Better supported:</b> measured losses are nearer half a milligram a day" in box
    assert '<a href="ref:smith2001">Smith, 2001</a>' in box  # continuation line joined, link kept
    assert out.startswith("<p>Before.</p>") and out.rstrip().endswith("<p>After.</p>")
    assert ":::" not in out


def test_html_inside_a_note_stays_text() -> None:
    out = markdown_to_html(NOTE.replace("half a milligram", "<script>alert(1)</script><img src=x>"))
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out


def test_a_well_formed_note_is_clean(mini_dir: Path) -> None:
    _add_to_beta(mini_dir, NOTE)
    assert _lines(mini_dir) == []


@pytest.mark.parametrize(("block", "message"), [
    (NOTE.replace("better: measured", "measured").replace("\n([Smith", " ([Smith"),
     "review-note has no 'better:' field (it needs both 'review:' and 'better:')"),
    (NOTE.replace("review: menstruation", "menstruation"),
     "review-note has no 'review:' field (it needs both 'review:' and 'better:')"),
    (NOTE.replace("([Smith, 2001](ref:smith2001))", "(a textbook)"),
     "review-note 'better:' cites no source other than the review; cite it as [Author, year](ref:key)"),
    (NOTE.replace("([Smith, 2001](ref:smith2001))", "([Cai et al., 2023](ref:cai2023))"),
     "review-note 'better:' cites no source other than the review; cite it as [Author, year](ref:key)"),
    (NOTE.rstrip().removesuffix(":::"), "'::: review-note' is not closed by a ':::' line"),
    (NOTE.replace("::: review-note", "::: warning"),
     "unknown block '::: warning' (known blocks: '::: review-note' or '::: key-points')"),
])
def test_a_malformed_note_is_reported_at_its_line(mini_dir: Path, block: str, message: str) -> None:
    line = _add_to_beta(mini_dir, block)
    assert f"content/nodes/beta.md:{line}: {message}" in _lines(mini_dir)


def test_an_unknown_source_in_a_note_is_a_broken_link(mini_dir: Path) -> None:
    line = _add_to_beta(mini_dir, NOTE.replace("ref:smith2001", "ref:nobody1999"))
    assert f"content/nodes/beta.md:{line + 3}: broken link ref:nobody1999 (no such reference key)" in _lines(mini_dir)


def test_a_note_in_a_tour_caption_is_checked_too(tmp_path: Path) -> None:
    import shutil

    from app.knowledge.content import load_content
    from app.knowledge.tours import load_tours

    root = tmp_path / "content"
    shutil.copytree(Path(__file__).resolve().parents[2] / "content", root)
    caption = NOTE.replace("ref:smith2001", "ref:cai2023").replace("\n", "\n      ")
    (root / "tours" / "zz.yaml").write_text(
        "id: zz\ntitle: T\nminutes: 5\nsummary: S\nsteps:\n"
        f"  - caption: |\n      {caption}\n  - caption: \"Two ([Cai et al., 2023](ref:cai2023)).\"\n",
        encoding="utf-8")
    _, problems = load_tours(root, load_content(root).pathway)
    assert [(p.file, p.line) for p in problems if "cites no source other than the review" in p.message] \
        == [("content/tours/zz.yaml", 6)]
