"""Text from an LMS file as the plain text a reader of it sees: Moodle's four text formats (HTML, Moodle
auto-format, plain text, markdown) turned into IronBone's plain text, in time linear in the text."""

# Moodle stores every text with a format (lib/weblib.php FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN,
# FORMAT_MARKDOWN) and renders it as HTML; IronBone shows questions as plain text, so a text is
# converted the way a browser would show Moodle's rendering of it: tags go, <br> and block ends break
# lines, runs of white space collapse, entities are decoded. Media (images, audio, video, embedded
# objects) and files stored inside the quiz (@@PLUGINFILE@@) cannot be shown as text: they are
# refused, never dropped, so a question that needs its picture is not imported without it. The one
# exception is a picture the caller names (IronBone's own diagram in its own click-the-node
# questions, which the app draws live): it becomes a mark the caller splits the text at.
#
# The tokenizer below is a single left-to-right pass, like the HTML standard's: every search starts
# where the last one ended, so hostile input ("<a " 40,000 times, "<!--" 100,000 times, unclosed
# quotes) costs linear time. An unterminated tag or comment runs to the end of the text and is
# dropped, as browsers drop it.

from __future__ import annotations

import html
import re

# Moodle's own names: GIFT's [html] [moodle] [plain] [markdown] and Moodle XML's format="..."
# (question/format/xml/format.php trans_format). A Moodle XML text without a format is HTML.
GIFT_FORMATS = {"html": "html", "moodle": "moodle", "plain": "plain", "markdown": "markdown"}
XML_FORMATS = {"html": "html", "moodle_auto_format": "moodle", "plain_text": "plain", "markdown": "markdown"}

MAX_TEXT_CHARS = 20_000  # one question text, answer or feedback; a lecture slide is far shorter

_BLOCKS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
                     "ul", "ol", "table", "dl", "dt", "dd", "section", "article", "header", "footer",
                     "figure", "figcaption", "hr", "address", "center"})
_MEDIA = frozenset({"img", "image", "audio", "video", "object", "embed", "iframe", "svg", "math", "canvas",
                    "picture", "source", "track", "applet", "frame", "frameset", "map", "area", "input"})
_RAW = frozenset({"script", "style", "template", "noscript", "title", "head"})
_OPEN = re.compile(r"<(?:[A-Za-z!?]|/[A-Za-z])")
_TAG_NAME = re.compile(r"[A-Za-z][^\s/>]*")
_TAG_STOP = re.compile(r"[>=]")
_WS = re.compile(r"[ \t\n\r\f\v]+")
_CELL = frozenset({"td", "th"})


class TextRefused(ValueError):
    """A text IronBone cannot show as plain text without losing what it says (media, files)."""


_HREF = re.compile(r"(?:^|\s)href\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)
_SPACE = frozenset(" \t\n\r\f\v")


def _href(attrs: str) -> str | None:
    m = _HREF.search(attrs) if "href" in attrs.lower() else None
    if not m:
        return None
    value = m.group(1)
    return html.unescape(value[1:-1] if value[:1] in "\"'" else value)


class _Out:
    """Collects text pieces; `pre` keeps white space as it is."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pre = 0

    def text(self, raw: str) -> None:
        data = html.unescape(raw) if "&" in raw else raw
        if not self.pre and not _SPACE.isdisjoint(data):
            data = _WS.sub(" ", data)
        self.parts.append(data)

    def brk(self, text: str) -> None:
        self.parts.append(text)


FIGURE_MARK = "\ufffc"  # where a known picture stood (the object replacement character)
_PLUGINFILE = "@@PLUGINFILE@@"
_SRC = re.compile(r"(?:^|\s)src\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)


def _plugin_files_refused(what: str) -> TextRefused:
    return TextRefused(f"{what} refers to a file stored in the Moodle quiz (@@PLUGINFILE@@); "
                       "IronBone questions are text only")


def _known_picture(attrs: str, files: frozenset[str]) -> bool:
    """An <img> showing one of `files` stored with the text (src="@@PLUGINFILE@@/name")."""
    m = _SRC.search(attrs)
    if not m:
        return False
    value = m.group(1)
    src = html.unescape(value[1:-1] if value[:1] in "\"'" else value)
    return src.startswith(_PLUGINFILE + "/") and src[len(_PLUGINFILE) + 1:] in files


def html_to_text(markup: str, *, what: str = "the text", files: frozenset[str] = frozenset()) -> str:
    """HTML as the plain text a browser shows. Raises TextRefused for media or quiz files, except
    an <img> of one of `files` (pictures the caller knows and shows itself), which becomes
    FIGURE_MARK; any other mention of a stored file is still refused."""
    if _PLUGINFILE in markup and not files:
        raise _plugin_files_refused(what)
    known = 0
    out = _Out()
    links: list[str | None] = []
    n, i = len(markup), 0
    while i < n:
        found = _OPEN.search(markup, i)  # "<" followed by a letter, "/letter", "!" or "?": the rest is text
        if found is None:
            out.text(markup[i:])
            break
        lt = found.start()
        if lt > i:
            out.text(markup[i:lt])
        nxt = markup[lt + 1:lt + 2]
        if markup.startswith("<!--", lt):
            end = markup.find("-->", lt + 4)
            i = n if end == -1 else end + 3
            continue
        if nxt in ("!", "?"):  # <!DOCTYPE>, <![CDATA[ (not HTML), <?xml ... ?>: bogus comments
            end = markup.find(">", lt + 2)
            i = n if end == -1 else end + 1
            continue
        closing = nxt == "/"
        m = _TAG_NAME.match(markup, lt + (2 if closing else 1))
        if not m:  # "a < b", "<3", "</ ": text, as browsers show it
            out.text("<")
            i = lt + 1
            continue
        name = m.group(0).lower()
        # The tag ends at the first ">" outside a quoted attribute value; a quote counts only right
        # after "=" (HTML's attribute-value states), so "don't" inside a tag does not open one.
        j, end = m.end(), -1
        while j < n:
            s = _TAG_STOP.search(markup, j)
            if s is None:
                break
            if s.group(0) == ">":
                end = s.start()
                break
            k = s.end()
            while k < n and markup[k] in " \t\n\r\f":
                k += 1
            if k < n and markup[k] in "\"'":
                close = markup.find(markup[k], k + 1)
                if close == -1:
                    break
                j = close + 1
            else:
                j = k
        if end == -1:  # a tag never closed swallows the rest of the text (dropped, as by a browser)
            break
        attrs = markup[m.end():end]
        i = end + 1
        if name == "img" and not closing and files and _known_picture(attrs, files):
            known += 1
            out.brk(FIGURE_MARK)
            continue
        if name in _MEDIA and not closing:
            raise TextRefused(f"{what} holds an image or other media (<{name}>); IronBone questions are "
                              "text only")
        if name in _RAW and not closing:
            close = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(markup, i)
            i = n if close is None else close.end()
            continue
        if name == "br":
            out.brk("\n")
        elif name in _BLOCKS:
            if name == "pre":
                out.pre += -1 if closing else 1
                out.pre = max(out.pre, 0)
            out.brk("\n\n")
        elif name in _CELL and not closing:
            out.brk(" ")
        elif name == "a":
            if closing:
                href = links.pop() if links else None
                if href:
                    out.brk(f" ({href})")
            else:
                links.append(_link(attrs))
    if files and markup.count(_PLUGINFILE) != known:  # a file used other than as a known picture
        raise _plugin_files_refused(what)
    return _tidy("".join(out.parts))


def _link(attrs: str) -> str | None:
    """The address a link points to, when the reader needs it (it is shown after the link's text)."""
    href = _href(attrs)
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "data:")):
        return None
    return href.strip()


def _tidy(text: str) -> str:
    lines = [line.strip(" ") for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    # Moodle's markdown (lib/markdown) passes inline HTML through, so HTML inside markdown is read as HTML.
    return MarkdownIt("commonmark", {"html": True}).render(text)


def to_plain(text: str, fmt: str, *, what: str = "the text", files: frozenset[str] = frozenset()) -> str:
    """`text` in Moodle format `fmt` ('html', 'moodle', 'plain' or 'markdown') as plain text; an
    <img> of one of `files` becomes FIGURE_MARK (see html_to_text)."""
    if len(text) > MAX_TEXT_CHARS:
        raise TextRefused(f"{what} has {len(text):,} characters; IronBone takes at most {MAX_TEXT_CHARS:,} "
                          "in one text")
    if fmt == "plain":
        return text.strip()
    if fmt == "markdown":
        return html_to_text(_markdown_html(text), what=what, files=files)
    if fmt == "moodle":  # Moodle auto-format: HTML where written, and a line break is a line break
        return html_to_text(text.replace("\r\n", "\n").replace("\n", "<br>"), what=what, files=files)
    return html_to_text(text, what=what, files=files)
