"""Key points: every topic page ends in one framed list, check-content insists on it, and the block
shares its fences with the review note."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.knowledge.content import check_content, load_content
from app.knowledge.key_points import EXEMPT_SECTIONS, key_points_of, parse_key_points
from app.knowledge.render import DARK, LIGHT, markdown_to_html, stylesheet

CONTENT = Path(__file__).resolve().parents[2] / "content"

POINTS = """\
::: key-points
- Iron feeds **ROS** ([Smith, 2001](ref:smith2001)).
- ROS harm osteoblasts, and this point runs
  over two lines.
- Bone is lost.
:::
"""


def _topic(mini_dir: Path) -> Path:
    return mini_dir / "topics" / "overview.md"


def _set_body_end(mini_dir: Path, tail: str) -> int:
    """Replace the fixture overview's key points with `tail`; the 1-based line where it starts."""
    page = _topic(mini_dir)
    text = page.read_text(encoding="utf-8")
    head = text[: text.index("::: key-points")]
    page.write_text(head + tail, encoding="utf-8")
    return head.count("\n") + 1


def _lines(root: Path) -> list[str]:
    return [str(p) for p in check_content(root)]


def test_key_points_render_as_one_titled_box_with_a_list() -> None:
    out = markdown_to_html("Text before.\n\n" + POINTS + "\nText after.\n")
    assert out.count('<td class="key-points">') == 1
    box = out[out.index('<table class="key-points"'):out.index("</table>")]
    assert '<p class="key-points-title">Key points</p>' in box
    assert box.count("<li>") == 3
    assert "Iron feeds <strong>ROS</strong>" in box
    assert '<a href="ref:smith2001">Smith, 2001</a>' in box
    assert "runs\nover two lines" in box  # the continuation stays in its point
    assert out.rstrip().endswith("<p>Text after.</p>") and ":::" not in out


def test_html_in_key_points_stays_text() -> None:
    out = markdown_to_html(POINTS.replace("Bone is lost.", "<script>x()</script>"))
    assert "<script" not in out and "&lt;script&gt;" in out


def test_the_closing_fence_stops_a_lazy_continuation() -> None:
    out = markdown_to_html(POINTS + "After the box.\n")
    assert out.index("</table>") < out.index("After the box.")


def test_both_themes_style_the_box() -> None:
    for theme in (LIGHT, DARK):
        css = stylesheet(theme)
        assert f"td.key-points {{ background-color: {theme.points_bg}" in css
        assert f"color: {theme.points_title}" in css
    assert LIGHT.points_bg != DARK.points_bg


def test_parse_returns_the_points_in_order() -> None:
    kp = key_points_of("Intro.\n\n" + POINTS)
    assert kp is not None and kp.line == 2
    assert kp.bullets == ("Iron feeds **ROS** ([Smith, 2001](ref:smith2001)).",
                          "ROS harm osteoblasts, and this point runs over two lines.", "Bone is lost.")
    assert kp.markdown().splitlines()[2] == "- Bone is lost."


def test_a_topic_page_with_key_points_last_is_clean(mini_dir: Path) -> None:
    assert _lines(mini_dir) == []


def test_a_topic_page_without_key_points_is_reported(mini_dir: Path) -> None:
    page = _topic(mini_dir)
    text = page.read_text(encoding="utf-8")
    page.write_text(text[: text.index("::: key-points")].rstrip() + "\n", encoding="utf-8")
    last = len(page.read_text(encoding="utf-8").splitlines())
    assert any(line.startswith(f"content/topics/overview.md:{last}: the page does not end in '::: key-points'")
               for line in _lines(mini_dir))


@pytest.mark.parametrize("section", EXEMPT_SECTIONS)
def test_the_app_guides_need_no_key_points(mini_dir: Path, section: str) -> None:
    (mini_dir / "topics" / "guide.md").write_text(
        f'---\ntitle: Guide\nsection: "{section}"\n---\n# Guide\n\nHow to use the app.\n', encoding="utf-8")
    assert _lines(mini_dir) == []


@pytest.mark.parametrize(("tail", "offset", "message"), [
    ("::: key-points\n- One.\n- Two.\n:::\n", 0, "key-points has 2 point(s); write 3-6"),
    ("::: key-points\n" + "".join(f"- Point {i}.\n" for i in range(7)) + ":::\n", 0,
     "key-points has 7 point(s); write 3-6"),
    ("::: key-points\n- One.\nA sentence that is no point.\n- Two.\n- Three.\n:::\n", 2,
     "key-points holds a bulleted list only: start each point with '- ' (got 'A sentence that is no point.')"),
    ("::: key-points\n- One.\n- Two.\n- Three.\n", 0, "'::: key-points' is not closed by a ':::' line"),
    ("::: key-points\n- One.\n- Two.\n- Three.\n:::\n\nA last word.\n", 0,
     "'::: key-points' must be the last thing on the page"),
])
def test_malformed_key_points_are_reported_at_their_line(mini_dir: Path, tail: str, offset: int,
                                                         message: str) -> None:
    line = _set_body_end(mini_dir, tail)
    assert f"content/topics/overview.md:{line + offset}: {message}" in _lines(mini_dir)


def test_two_blocks_on_one_page_are_reported(mini_dir: Path) -> None:
    block = "::: key-points\n- One.\n- Two.\n- Three.\n:::\n"
    line = _set_body_end(mini_dir, block + "\n" + block)
    assert f"content/topics/overview.md:{line + 6}: the page has 2 key-points blocks; keep one, at the end" \
        in _lines(mini_dir)


def test_key_points_on_a_node_page_are_checked_for_shape_only(mini_dir: Path) -> None:
    page = mini_dir / "nodes" / "beta.md"
    lines = page.read_text(encoding="utf-8").splitlines()
    at = lines.index("## Related")
    lines[at:at] = ["::: key-points", "- Only one.", ":::", ""]
    page.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _lines(mini_dir) == [f"content/nodes/beta.md:{at + 1}: key-points has 1 point(s); write 3-6"]


def test_every_shipped_topic_page_ends_in_three_to_six_points() -> None:
    content = load_content(CONTENT)
    needing = [p for p in content.topic_pages.values() if p.section not in EXEMPT_SECTIONS]
    assert len(needing) == 15  # the overview and the review's 14 sections
    for page in needing:
        kp = key_points_of(page.body)
        assert kp is not None, page.id
        assert 3 <= len(kp.bullets) <= 6, page.id
        assert page.body.rstrip().endswith(":::"), page.id
    found, problems = parse_key_points(content.topic_pages["help"].body)
    assert found == [] and problems == []


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_text_in_the_box_is_readable_in_both_themes() -> None:
    for theme in (LIGHT, DARK):
        for fg in (theme.text, theme.link, theme.points_title):
            assert _contrast(fg, theme.points_bg) >= 4.5, (theme, fg)
