"""Markdown to safe HTML for the explanatory panel: raw HTML is never rendered, links are kept
as inert anchors whose scheme the view checks when clicked."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

INTERNAL_SCHEMES = ("node", "topic", "ref", "glossary", "app")
# `app:NAME` links open a part of the app from a page; check-content refuses any other name.
APP_LINKS = {"evidence": "Model ▸ Evidence: the calibration table computed live from the model"}
EXTERNAL_SCHEMES = ("http", "https")


@dataclass(frozen=True, slots=True)
class Theme:
    """Colours for rendered pages; light and dark variants below."""

    text: str = "#1b1b1b"
    background: str = "#ffffff"
    link: str = "#0b5cad"
    muted: str = "#5a5a5a"
    border: str = "#b8b8b8"
    table_head: str = "#eef1f5"
    error_bg: str = "#fdecea"
    error_text: str = "#7a1010"
    note_bg: str = "#fff6dc"
    note_border: str = "#c9a227"
    note_title: str = "#6b4e00"
    points_bg: str = "#e6f3ec"
    points_border: str = "#2e7d5b"
    points_title: str = "#17553a"
    font_pt: float = 11.5


LIGHT = Theme()
DARK = Theme(
    text="#e8e8e8",
    background="#1e1f22",
    link="#8cc4ff",
    muted="#b0b0b0",
    border="#5c5f66",
    table_head="#2b2d31",
    error_bg="#4a1f1f",
    error_text="#ffd6d6",
    note_bg="#3a3220",
    note_border="#b08d2a",
    note_title="#f3d98b",
    points_bg="#1c3027",
    points_border="#4fa37c",
    points_title="#a6e3c3",
)


def _make_parser():
    from markdown_it import MarkdownIt  # imported on first use: keeps it off the first paint

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
    md.enable("table")
    md.enable("strikethrough")
    # Render every link as an anchor (escaped); the panel decides on click which schemes are
    # followed, so a refused javascript: link is visible and explained instead of vanishing.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.add_render_rule("image", _image_rule)
    md.block.ruler.before("fence", "fenced_block", _fenced_block,
                          {"alt": ["paragraph", "reference", "blockquote", "list"]})
    for name, rule in _BLOCK_RENDERERS.items():
        md.add_render_rule(name, rule)
    md.core.ruler.push("glossary_links", _glossary_rule)
    return md


def glossary_pattern(terms: list[str]) -> re.Pattern[str] | None:
    """One regex for every abbreviation: whole words only, longest first (RANKL before RANK)."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return None
    alt = "|".join(re.escape(t) for t in terms)
    return re.compile(rf"(?<![0-9A-Za-z])({alt})(?![0-9A-Za-z])")


def _glossary_rule(state) -> None:  # noqa: ANN001 - markdown-it core rule
    """Turn abbreviations in running text into glossary: links (hover shows the expansion)."""
    pattern = state.env.get("glossary_pattern") if isinstance(state.env, dict) else None
    lookup = state.env.get("glossary_lookup", {}) if isinstance(state.env, dict) else {}
    if pattern is None:
        return
    from markdown_it.token import Token

    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        out, depth = [], 0
        for tok in block.children:
            if tok.type == "link_open":
                depth += 1
            elif tok.type == "link_close":
                depth -= 1
            if tok.type != "text" or depth > 0 or not pattern.search(tok.content):
                out.append(tok)
                continue
            pos = 0
            for m in pattern.finditer(tok.content):
                if m.start() > pos:
                    t = Token("text", "", 0)
                    t.content = tok.content[pos:m.start()]
                    out.append(t)
                key = lookup.get(m.group(1), m.group(1))
                open_ = Token("link_open", "a", 1)
                open_.attrs = {"href": f"glossary:{key}", "class": "abbr"}
                text = Token("text", "", 0)
                text.content = m.group(1)
                out += [open_, text, Token("link_close", "a", -1)]
                pos = m.end()
            if pos < len(tok.content):
                t = Token("text", "", 0)
                t.content = tok.content[pos:]
                out.append(t)
        block.children = out


def _fenced_block(state, start_line: int, end_line: int, silent: bool) -> bool:  # noqa: ANN001
    """`::: review-note` and `::: key-points` blocks (app.knowledge.blocks) as one framed box each.
    A review note is a set of labelled fields, each parsed as inline markdown; key points are
    markdown (a bulleted list) parsed as blocks inside the box. Raw HTML stays escaped in both. An
    unclosed block runs to the end of the text (check-content reports it)."""
    from app.knowledge import blocks

    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    first = state.src[state.bMarks[start_line] + state.tShift[start_line]:state.eMarks[start_line]]
    m = blocks.OPEN_RE.match(first)
    if not m or m.group(1) not in blocks.NAMES:
        return False
    if silent:
        return True
    line, body, close = start_line + 1, [], None
    while line < end_line:
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]
        if text and state.sCount[line] < state.blkIndent:
            break
        if blocks.CLOSE_RE.match(text):
            close = line
            break
        body.append(text)
        line += 1
    after = close + 1 if close is not None else line
    if m.group(1) == "key-points":
        _key_points_tokens(state, start_line, line, after)
    else:
        _review_note_tokens(state, start_line, after, body)
    state.line = after
    return True


def _review_note_tokens(state, start_line: int, after: int, body: list[str]) -> None:  # noqa: ANN001
    from app.knowledge import review_note as rn

    fields, _ = rn.split_fields(body)
    token = state.push("review_note_open", "table", 1)
    token.block, token.map = True, [start_line, after]
    for name, text in fields:
        token = state.push("review_note_field_open", "p", 1)
        token.meta = {"name": name}
        token = state.push("inline", "", 0)
        token.content, token.map, token.children = text, [start_line, after], []
        state.push("review_note_field_close", "p", -1)
    state.push("review_note_close", "table", -1)


def _key_points_tokens(state, start_line: int, body_end: int, after: int) -> None:  # noqa: ANN001
    """The body lines are tokenized as markdown blocks, fenced in as markdown-it's container
    plugin does: lineMax stops lazy continuation lines at the closing fence."""
    old_parent, old_max = state.parentType, state.lineMax
    state.parentType, state.lineMax = "key_points", body_end
    token = state.push("key_points_open", "table", 1)
    token.block, token.map = True, [start_line, after]
    state.md.block.tokenize(state, start_line + 1, body_end)
    state.push("key_points_close", "table", -1)
    state.parentType, state.lineMax = old_parent, old_max


def _note_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001 - renderer signature
    from app.knowledge.review_note import TITLE

    return ('<table class="review-note" width="98%" cellpadding="8" cellspacing="0"><tr>'
            f'<td class="review-note"><p class="review-note-title">{html.escape(TITLE)}</p>\n')


def _note_field_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    from app.knowledge.review_note import LABELS

    label = LABELS.get(tokens[idx].meta.get("name", ""), "")
    return f"<p><b>{html.escape(label)}</b> "


def _points_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    """95 %, not 98: Qt can size a percentage table against the page's width from before the
    vertical scroll bar appeared; at 95 % that stays inside the panel down to its 300 px minimum
    (0.95 x (300 + 15) < 300), so the box never needs a horizontal scroll bar."""
    from app.knowledge.key_points import TITLE

    return ('<table class="key-points" width="95%" cellpadding="8" cellspacing="0"><tr>'
            f'<td class="key-points"><p class="key-points-title">{html.escape(TITLE)}</p>\n')


_BLOCK_RENDERERS = {
    "review_note_open": _note_open,
    "review_note_close": lambda self, tokens, idx, options, env: "</td></tr></table>\n",
    "review_note_field_open": _note_field_open,
    "review_note_field_close": lambda self, tokens, idx, options, env: "</p>\n",
    "key_points_open": _points_open,
    "key_points_close": lambda self, tokens, idx, options, env: "</td></tr></table>\n",
}

_MD = None


def _image_rule(self, tokens, idx, options, env):  # noqa: ANN001 - markdown-it renderer signature
    """Images only from content/ or resources/ (relative paths); anything else shows its alt."""
    token = tokens[idx]
    src = token.attrGet("src") or ""
    alt = html.escape(token.content or "image")
    lowered = src.strip().lower()
    # Backslashes (raw or percent-encoded) could make a Windows UNC path, \\host\share: network.
    if ":" in lowered.split("/")[0] or lowered.startswith("//") or ".." in lowered \
            or "\\" in lowered or "%5c" in lowered:
        return f'<span class="blocked">[image not shown: {alt}]</span>'
    return f'<img src="{html.escape(src)}" alt="{alt}">'



def stylesheet(theme: Theme = LIGHT) -> str:
    t = theme
    return f"""
body {{ color: {t.text}; background-color: {t.background}; font-size: {t.font_pt}pt; }}
h1 {{ font-size: {t.font_pt * 1.6:.1f}pt; margin-bottom: 6px; }}
h2 {{ font-size: {t.font_pt * 1.25:.1f}pt; margin-top: 14px; margin-bottom: 4px; }}
h3 {{ font-size: {t.font_pt * 1.1:.1f}pt; }}
p, li {{ line-height: 140%; }}
a {{ color: {t.link}; }}
a.abbr {{ color: {t.text}; text-decoration: none; border-bottom: 1px dotted {t.muted}; }}
code {{ font-family: monospace; }}
pre {{ white-space: pre-wrap; }}
table {{ border-collapse: collapse; margin: 6px 0; }}
th {{ background-color: {t.table_head}; }}
th, td {{ border: 1px solid {t.border}; padding: 4px 6px; }}
.muted {{ color: {t.muted}; }}
.blocked {{ color: {t.muted}; font-style: italic; }}
.error {{ background-color: {t.error_bg}; color: {t.error_text}; padding: 8px; }}
td.review-note {{ background-color: {t.note_bg}; border: 2px solid {t.note_border}; }}
p.review-note-title {{ color: {t.note_title}; font-weight: bold; margin-top: 0px; }}
td.key-points {{ background-color: {t.points_bg}; border: 2px solid {t.points_border}; }}
p.key-points-title {{ color: {t.points_title}; font-weight: bold; margin-top: 0px; }}
"""


def markdown_to_html(text: str, glossary: tuple[re.Pattern[str] | None, dict[str, str]] | None = None) -> str:
    """The body HTML of a markdown text, raw HTML escaped (shown as text, never rendered).
    `glossary` = (pattern, variant -> term): abbreviations become glossary: links."""
    global _MD
    if _MD is None:
        _MD = _make_parser()
    env = {"glossary_pattern": glossary[0], "glossary_lookup": glossary[1]} if glossary else {}
    # Tables span the panel (Qt's rich text reads the attribute, not CSS); 98 % avoids a
    # one-pixel horizontal scroll bar from rounding.
    return _MD.render(text, env).replace("<table>", '<table width="98%">')


_PRINT_MD = None


def _print_link_open(self, tokens, idx, options, env) -> str:  # noqa: ANN001 - renderer signature
    env.setdefault("print_links", []).append(tokens[idx].attrGet("href") or "")
    return ""


def _print_link_close(self, tokens, idx, options, env) -> str:  # noqa: ANN001
    href = env["print_links"].pop() if env.get("print_links") else ""
    # Paper cannot follow a link: an in-app link keeps its words (a citation's "Author, year" points to
    # the references list); a web link shows its address.
    return f" ({html.escape(href)})" if link_scheme(href) in EXTERNAL_SCHEMES else ""


def markdown_to_print_html(text: str) -> str:
    """Markdown as HTML for a printed document: the same safe renderer (raw HTML escaped, review
    notes and key points as boxes), with links turned into their text."""
    global _PRINT_MD
    if _PRINT_MD is None:
        _PRINT_MD = _make_parser()
        _PRINT_MD.add_render_rule("link_open", _print_link_open)
        _PRINT_MD.add_render_rule("link_close", _print_link_close)
    return _PRINT_MD.render(text, {}).replace("<table>", '<table width="100%">')


def document(body_html: str, theme: Theme = LIGHT) -> str:
    return (
        "<html><head><style>"
        + stylesheet(theme)
        + "</style></head><body>"
        + body_html
        + "</body></html>"
    )


def error_document(title: str, problems: list[str], theme: Theme = LIGHT) -> str:
    items = "".join(f"<li><code>{html.escape(p)}</code></li>" for p in problems)
    return document(
        f'<h1>{html.escape(title)}</h1><div class="error"><p>This page could not be shown. '
        f"Fix the content file and restart IronBone; <code>python -m app check-content</code> "
        f"lists every problem:</p>"
        f"<ul>{items}</ul></div>",
        theme,
    )


def link_scheme(url: str) -> str:
    """The lower-case scheme of a link, '' if none."""
    head = url.strip().split(":", 1)
    return head[0].lower() if len(head) == 2 and "/" not in head[0] else ""
