"""One builder for IronBone's printable documents (the study notes and the teacher's handout): HTML
that a browser prints and Qt's QTextDocument lays out alike (tables rather than flex or grid,
simple CSS, page breaks, no scripts), with the citations it uses listed in full at the end.

Figures are slots the GUI fills: the core names each figure and its caption; the GUI renders the
diagram or a plot to an image and passes it in. `PrintDoc.build(images, embed=True)` writes the
images into the HTML as data: URIs (an .html file that stands alone); `embed=False` writes
`<img src="ironbone-figure:ID">` and returns the images as resources for
`QTextDocument.addResource(QTextDocument.ImageResource, QUrl(name), image)` before printing to PDF."""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from app.knowledge.content import Reference
from app.knowledge.pages import LINK_RE
from app.knowledge.render import markdown_to_print_html

FIGURE_SCHEME = "ironbone-figure"
_MIME = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".svg": "image/svg+xml"}
_SAFE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm; }
body { font-family: "DejaVu Serif", Georgia, serif; font-size: 10.5pt; color: #111111; background-color: #ffffff; }
h1 { font-size: 20pt; margin-bottom: 4px; }
h2 { font-size: 14pt; margin-top: 14px; margin-bottom: 4px; page-break-after: avoid; }
h3 { font-size: 11.5pt; margin-top: 10px; margin-bottom: 2px; page-break-after: avoid; }
p, li { line-height: 135%; }
.subtitle { font-size: 11pt; color: #444444; }
.muted { color: #555555; }
.caption { font-size: 9.5pt; color: #333333; }
.break { page-break-before: always; }
table.grid { border-collapse: collapse; }
table.grid th { background-color: #eef1f5; text-align: left; }
table.grid th, table.grid td { border: 1px solid #b8b8b8; padding: 4px; vertical-align: top; }
td.key-points { background-color: #e6f3ec; border: 2px solid #2e7d5b; }
p.key-points-title { color: #17553a; font-weight: bold; margin-top: 0px; }
td.review-note { background-color: #fff6dc; border: 2px solid #c9a227; }
p.review-note-title { color: #6b4e00; font-weight: bold; margin-top: 0px; }
td.figure { border: 1px solid #b8b8b8; padding: 6px; }
td.placeholder { border: 1px dashed #888888; padding: 24px; color: #555555; text-align: center; }
p.ref { margin-top: 2px; margin-bottom: 2px; }
"""


@dataclass(frozen=True)
class Image:
    """A rendered figure: its bytes and MIME type."""

    data: bytes
    mime: str = "image/png"

    @classmethod
    def from_path(cls, path: Path | str) -> Image:
        p = Path(path)
        mime = _MIME.get(p.suffix.lower())
        if mime is None:
            raise ValueError(f"{p}: a figure must be a PNG, JPEG or SVG file")
        return cls(data=p.read_bytes(), mime=mime)

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def figure_url(figure_id: str) -> str:
    return f"{FIGURE_SCHEME}:{figure_id}"


@dataclass(frozen=True)
class Printed:
    """A built document: the HTML, and (when not embedded) the images it names, by URL."""

    html: str
    resources: Mapping[str, Image] = field(default_factory=dict)
    missing_figures: tuple[str, ...] = ()  # figure slots no image was given for (a placeholder shows)


class PrintDoc:
    """Collects the parts of a printable document in order; `build` writes it. Every piece of text
    goes through html.escape or the safe markdown renderer."""

    def __init__(self, title: str, *, subtitle: str = "", references: Mapping[str, Reference] | None = None) -> None:
        self.title = title
        self.subtitle = subtitle
        self.references = dict(references or {})
        self._parts: list[tuple[str, object]] = []
        self._cited: list[str] = []

    # --- adding parts ---------------------------------------------------------------------------
    def _cite(self, text: str) -> None:
        for m in LINK_RE.finditer(text):
            if m.group(1).lower() == "ref" and m.group(2) not in self._cited:
                self._cited.append(m.group(2))

    def heading(self, text: str, level: int = 2, *, new_page: bool = False, anchor: str = "") -> None:
        self._parts.append(("heading", (text, level, new_page, anchor)))

    def markdown(self, text: str) -> None:
        self._cite(text)
        self._parts.append(("html", markdown_to_print_html(text)))

    def text(self, text: str, css_class: str = "") -> None:
        cls = f' class="{css_class}"' if css_class else ""
        self._parts.append(("html", f"<p{cls}>{html.escape(text)}</p>\n"))

    def bullets(self, items: list[str]) -> None:
        """A list of markdown items (each may cite)."""
        for item in items:
            self._cite(item)
        body = "".join(f"<li>{_inline(item)}</li>" for item in items)
        self._parts.append(("html", f"<ul>{body}</ul>\n"))

    def table(self, header: list[str], rows: list[list[str]], widths: list[int] | None = None) -> None:
        """A grid of markdown cells (first row `header`, plain text); `widths` in percent."""
        for row in rows:
            for cell in row:
                self._cite(cell)
        ws = widths or []
        head = "".join(f'<th{_width(ws, i)}>{html.escape(h)}</th>' for i, h in enumerate(header))
        body = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in rows)
        self._parts.append(("html", f'<table class="grid" width="100%" cellspacing="0" cellpadding="4">'
                                    f"<tr>{head}</tr>{body}</table>\n"))

    def figure(self, figure_id: str, title: str, caption: str) -> None:
        """A slot for a figure the GUI draws; `caption` is markdown and should cite its source."""
        if not _SAFE_ID.match(figure_id):
            raise ValueError(f"figure id {figure_id!r} must be lower-case letters, digits and -")
        self._cite(caption)
        self._parts.append(("figure", (figure_id, title, caption)))

    def cited(self) -> tuple[str, ...]:
        return tuple(self._cited)

    # --- writing ----------------------------------------------------------------------------------
    def _references_html(self) -> str:
        if not self._cited:
            return ""
        known = [self.references[k] for k in self._cited if k in self.references]
        unknown = sorted(k for k in self._cited if k not in self.references)
        known.sort(key=lambda r: (r.authors.lower(), str(r.year), r.key))
        items = "".join(f'<p class="ref">{html.escape(reference_line(r))}</p>\n' for r in known)
        items += "".join(f'<p class="ref">{html.escape(k)} (not in the reference list)</p>\n' for k in unknown)
        return f'<h2 class="break"><a name="references"></a>References</h2>\n{items}'

    def build(self, images: Mapping[str, Image | Path | str] | None = None, *, embed: bool = True) -> Printed:
        """The whole document. `images` maps figure ids to an Image or an image file path."""
        given = {k: (v if isinstance(v, Image) else Image.from_path(v)) for k, v in (images or {}).items()}
        out: list[str] = []
        resources: dict[str, Image] = {}
        missing: list[str] = []
        for kind, value in self._parts:
            if kind == "html":
                out.append(str(value))
            elif kind == "heading":
                text, level, new_page, anchor = value  # type: ignore[misc]
                cls = ' class="break"' if new_page else ""
                name = f'<a name="{html.escape(anchor)}"></a>' if anchor else ""
                out.append(f"<h{level}{cls}>{name}{html.escape(text)}</h{level}>\n")
            else:
                fid, title, caption = value  # type: ignore[misc]
                image = given.get(fid)
                if image is None:
                    missing.append(fid)
                    picture = (f'<td class="placeholder">[Figure “{html.escape(title)}”: no image was '
                               f"drawn for it]</td>")
                else:
                    src = image.data_uri() if embed else figure_url(fid)
                    if not embed:
                        resources[figure_url(fid)] = image
                    picture = (f'<td class="figure" align="center">'
                               f'<img src="{src}" width="600" alt="{html.escape(title)}"></td>')
                out.append(f'<table width="100%" cellspacing="0" cellpadding="0"><tr>{picture}</tr></table>\n'
                           f'<p class="caption"><b>{html.escape(title)}.</b> {_inline(caption)}</p>\n')
        subtitle = f'<p class="subtitle">{html.escape(self.subtitle)}</p>\n' if self.subtitle else ""
        body = (f"<h1>{html.escape(self.title)}</h1>\n{subtitle}" + "".join(out) + self._references_html())
        doc = ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
               f"<title>{html.escape(self.title)}</title><style>{PRINT_CSS}</style></head>\n"
               f"<body>\n{body}</body></html>\n")
        return Printed(html=doc, resources=resources, missing_figures=tuple(missing))


def reference_line(ref: Reference) -> str:
    """A reference in full, Vancouver-like: "Authors. Title. Journal. Year;Volume:Pages. doi:..."."""
    vol, pages = str(ref.extra.get("volume", "") or ""), str(ref.extra.get("pages", "") or "")
    when = f"{ref.year}{';' + vol if vol else ''}{':' + pages if pages else ''}"
    where = f"{ref.journal.rstrip('.')}. {when}." if ref.journal else f"{when}."
    doi = f" doi:{ref.doi}" if ref.doi else ""
    return f"{ref.authors.rstrip('.')}. {ref.title.rstrip('.')}. {where}{doi}"


def _width(widths: list[int], i: int) -> str:
    return f' width="{widths[i]}%"' if i < len(widths) else ""


def _inline(text: str) -> str:
    """Markdown of one cell or item as inline HTML (a lone paragraph loses its <p>)."""
    out = markdown_to_print_html(text).strip()
    if out.startswith("<p>") and out.endswith("</p>") and out.count("<p>") == 1:
        out = out[3:-4]
    return out
