"""The explanatory panel: renders a node, topic or reference page as safe HTML and decides,
per click, which links may be followed (internal schemes and http/https only)."""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QToolTip

from app.knowledge.content import Content
from app.knowledge.render import (
    DARK,
    EXTERNAL_SCHEMES,
    INTERNAL_SCHEMES,
    LIGHT,
    Theme,
    document,
    error_document,
    glossary_pattern,
    link_scheme,
    markdown_to_html,
)
from app.paths import resources_dir
from app.ui.text import SafeBrowser


def current_theme() -> Theme:
    try:
        from PySide6.QtCore import Qt

        scheme = QGuiApplication.styleHints().colorScheme()
        return DARK if scheme == Qt.ColorScheme.Dark else LIGHT
    except AttributeError:  # Qt < 6.5
        return LIGHT


class PagePanel(SafeBrowser):
    """Images come only from the content folder and resources/ (SafeBrowser.loadResource)."""

    internal_link_activated = Signal(str, str)  # kind, id
    message_posted = Signal(str)

    def __init__(self, content: Content, parent=None) -> None:
        super().__init__(parent, image_roots=[content.root, resources_dir()])
        self.content = content
        self.scheme = "system"  # "system" | "light" | "dark" (View ▸ Appearance)
        self.font_scale = 1.0  # View ▸ Larger / Smaller text
        self.theme = current_theme()
        self.setAccessibleName("Explanatory page")
        self.anchorClicked.connect(self._on_anchor_clicked)
        self.location: tuple[str, str] | None = None
        # Generated sections appended to a page, e.g. the live claims table of the model page.
        self.appendices: dict[tuple[str, str], object] = {}
        # Pages and links of kinds that features generate (app.ui.context.Pages), and what they put
        # under the title of content pages of a kind.
        self._generated: dict[str, Callable[[str], str]] = {}
        self._follow: dict[str, Callable[[str], None]] = {}
        self._prefaces: dict[str, list[Callable[[str], str]]] = {}
        self.setMinimumWidth(300)
        self.glossary = {g.term: g for g in content.glossary}
        self._glossary_links: tuple | None = None  # see _glossary, built with the first page

    def _glossary(self) -> tuple | None:
        """Abbreviations (and their upper-case variants) link to the glossary, and hovering explains
        them: one regex over every term and the term each name stands for (compiled once)."""
        if self._glossary_links is None:
            lookup: dict[str, str] = {}
            for g in self.content.glossary:
                for name in (g.term, *g.variants):
                    if name and name != name.lower() and name not in lookup:
                        lookup[name] = g.term
            self._glossary_links = (glossary_pattern(list(lookup)), lookup) if lookup else ()
        return self._glossary_links or None

    def set_appearance(self, *, scheme: str | None = None, font_scale: float | None = None) -> None:
        """Colour scheme and text size of the pages; re-renders the page on show."""
        if scheme is not None:
            self.scheme = scheme if scheme in ("system", "light", "dark") else "system"
        if font_scale is not None:
            self.font_scale = min(2.0, max(0.7, float(font_scale)))
        base = {"light": LIGHT, "dark": DARK}.get(self.scheme) or current_theme()
        self.theme = dataclasses.replace(base, font_pt=base.font_pt * self.font_scale)
        if self.location is not None:
            self.show_location(*self.location)

    # --- showing pages --------------------------------------------------------------------
    def show_location(self, kind: str, page_id: str) -> None:
        self.location = (kind, page_id)
        self.setHtml(self.html_for(kind, page_id))
        if kind in ("ref", "glossary"):
            self.scrollToAnchor(page_id)

    # --- what features add (app.ui.context.Pages) ---------------------------------------------
    def add_generated(self, kind: str, render: Callable[[str], str],
                      follow: Callable[[str], None] | None = None) -> None:
        self._generated[kind] = render
        if follow is not None:
            self._follow[kind] = follow

    def add_preface(self, kind: str, preface: Callable[[str], str]) -> None:
        self._prefaces.setdefault(kind, []).append(preface)

    def refresh(self, kind: str) -> None:
        """Render the open page again (keeping its scroll position) if it is of `kind`."""
        if self.location is not None and self.location[0] == kind:
            bar = self.verticalScrollBar()
            at = bar.value()
            self.setHtml(self.html_for(*self.location))
            bar.setValue(at)

    def page_theme(self) -> Theme:
        return self.theme

    def html_for(self, kind: str, page_id: str) -> str:
        if kind in self._generated:
            return self._generated[kind](page_id)
        if kind == "ref":
            return self._references_html()
        if kind == "glossary":
            return self._glossary_html()
        problems = self.content.page_problems.get(f"{kind}:{page_id}", ())
        page = self.content.page(kind, page_id)
        if page is None:
            if problems:
                return error_document(f"{kind}: {page_id}", [str(p) for p in problems], self.theme)
            return error_document(f"{kind}: {page_id}", [f"no page for {kind} id {page_id!r}"], self.theme)
        body = markdown_to_html(page.body, self._glossary())
        preface = "".join(p(page_id) for p in self._prefaces.get(kind, ()))
        if preface:
            head, sep, rest = body.partition("</h1>")
            body = head + sep + preface + rest if sep else preface + body
        appendix = self.appendices.get((kind, page_id))
        if appendix is not None:
            body += appendix()  # type: ignore[operator]
        if kind == "node" and self.content.pathway.has_node(page_id):
            body += self._edges_html(page_id)
            topics = [t for t in self.content.topic_pages.values() if page_id in t.nodes]
            if topics:
                links = ", ".join(f'<a href="topic:{t.id}">{html.escape(t.title)}</a>'
                                  for t in sorted(topics, key=lambda t: t.id))
                body += f"<h2>Discussed in</h2><p>{links}</p>"
        if problems:
            items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems)
            body = f'<div class="error"><p>Problems in this page:</p><ul>{items}</ul></div>' + body
        return document(body, self.theme)

    def _edges_html(self, node_id: str) -> str:
        """The node's edges from pathway.yaml with their citations: generated, never stale."""
        pw = self.content.pathway
        rows = []
        for e in pw.edges_of(node_id):
            src, tgt = pw.node(e.source), pw.node(e.target)
            verb = "activates" if e.sign > 0 else "inhibits"
            cites = ", ".join(
                f'<a href="ref:{html.escape(k)}">{html.escape(self._short(k))}</a>' for k in e.cite
            )
            rows.append(
                f'<tr><td><a href="node:{src.id}">{html.escape(src.label)}</a> {verb} '
                f'<a href="node:{tgt.id}">{html.escape(tgt.label)}</a></td>'
                f"<td>§{html.escape(e.section)}</td><td>{html.escape(self._evidence_words(e))}</td>"
                f"<td>{cites}</td></tr>"
            )
        if not rows:
            return ""
        return ("<h2>Edges in the diagram</h2><table width=\"98%\"><tr><th>Effect</th><th>Review</th>"
                "<th>Evidence</th><th>Source</th></tr>" + "".join(rows) + "</table>")

    @staticmethod
    def _evidence_words(edge) -> str:  # noqa: ANN001 - app.model.pathway.Edge
        """The kind of evidence, and whether the sign is an inference or the link a gate."""
        words = [edge.evidence.replace("_", " ")]
        if edge.inference:
            words.append("sign inferred (the review's or this app's), not measured")
        if edge.gate:
            words.append("a gate: the target needs it")
        return "; ".join(words)

    def _short(self, key: str) -> str:
        ref = self.content.references.get(key)
        return ref.short() if ref else key

    def _glossary_html(self) -> str:
        rows = []
        for g in sorted(self.glossary.values(), key=lambda g: g.term.lower()):
            node = (f' — <a href="node:{g.node}">on the diagram</a>'
                    if g.node and self.content.pathway.has_node(g.node) else "")
            rows.append(f'<p><a name="{html.escape(g.term)}"></a><b>{html.escape(g.term)}</b>: '
                        f"{html.escape(g.expansion)}{node}<br>{html.escape(g.meaning)}</p>")
        return document("<h1>Glossary</h1><p>Every abbreviation the review uses.</p>" + "".join(rows),
                        self.theme)

    def event(self, event) -> bool:  # noqa: ANN001
        """Hovering an abbreviation shows its expansion and meaning."""
        if event.type() == QEvent.Type.ToolTip:
            href = self.anchorAt(event.pos())
            if href.startswith("glossary:"):
                g = self.glossary.get(href.split(":", 1)[1])
                if g is not None:
                    QToolTip.showText(event.globalPos(), self.glossary_tip(g.term), self)
                    return True
            QToolTip.hideText()
            event.ignore()
            return True
        return super().event(event)

    def glossary_tip(self, term: str) -> str:
        g = self.glossary[term]
        return f"<b>{html.escape(g.term)}</b>: {html.escape(g.expansion)}<br><i>{html.escape(g.meaning)}</i>"

    def _references_html(self) -> str:
        refs = self.content.references
        if not refs:
            return document("<h1>References</h1><p>No references file (content/references.yaml).</p>",
                            self.theme)
        cited_by: dict[str, list[str]] = {}
        pw = self.content.pathway
        for e in pw.edges:
            for k in e.cite:
                cited_by.setdefault(k, []).append(
                    f'<a href="node:{e.source}">{html.escape(pw.node(e.source).label)}</a> → '
                    f'<a href="node:{e.target}">{html.escape(pw.node(e.target).label)}</a>')
        for kind, pages in (("node", self.content.node_pages), ("topic", self.content.topic_pages)):
            for pid, page in pages.items():
                for k in page.references:
                    cited_by.setdefault(k, []).append(
                        f'<a href="{kind}:{pid}">{html.escape(page.title)}</a>')
        items = []
        for key in sorted(refs):
            r = refs[key]
            doi = (f' <a href="https://doi.org/{html.escape(r.doi)}">doi:{html.escape(r.doi)}</a>'
                   if r.doi else "")
            unverified = ("" if r.extra.get("verified", True) else
                          ' <span class="muted">(title and journal not yet checked against the source)</span>')
            users = cited_by.get(key, [])
            used = (f'<br><span class="muted">Cited by: {"; ".join(users)}</span>' if users else "")
            items.append(
                f'<p><a name="{html.escape(key)}"></a><b>{html.escape(r.short())}</b> '
                f"{html.escape(r.authors)} ({html.escape(str(r.year))}). {html.escape(r.title)}. "
                f"<i>{html.escape(r.journal)}</i>.{doi}{unverified}{used}</p>"
            )
        return document("<h1>References</h1><p>Every work the review cites, with the diagram edges and "
                        "pages that rely on it.</p>" + "".join(items), self.theme)

    # --- links ----------------------------------------------------------------------------
    def _on_anchor_clicked(self, url: QUrl) -> None:
        self.follow_link(url.toString())

    def follow_link(self, target: str) -> None:
        scheme = link_scheme(target)
        if scheme in self._follow:
            self._follow[scheme](target.split(":", 1)[1].strip())
        elif scheme in INTERNAL_SCHEMES or scheme in self._generated:
            ident = target.split(":", 1)[1].strip().lstrip("/")
            self.internal_link_activated.emit(scheme, ident)
        elif scheme in EXTERNAL_SCHEMES:
            QDesktopServices.openUrl(QUrl(target))
            self.message_posted.emit(f"Opened {target} in your web browser")
        else:
            shown = target if len(target) < 60 else target[:57] + "…"
            self.message_posted.emit(
                f"Refused to open link '{shown}': only http and https links open outside IronBone"
            )
