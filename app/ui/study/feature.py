"""The study feature: the start page (where to start: the study path with what is done ticked and the
next step), each section's objectives under its topic page's title, Go ▸ Topics, the glossary
browser, File ▸ Export study notes, and noting which topic pages the student has read.

install() makes actions and menus only, and opens the start page (a few lines of HTML until the
learning content has loaded on a worker thread); the glossary browser and the exporter are built on
first use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from app.ui.study.start_page import KIND, START, objectives_box, start_page_html
from app.ui.text import no_mnemonic, tip

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from app.ui.context import FeatureContext
    from app.ui.study.glossary import GlossaryBrowser
    from app.ui.study.notes import StudyNotesExport
    from app.ui.study.reading import ReadingTracker

GLOSSARY_WIDTH = 380
SHORTCUTS = {"start": "Ctrl+Shift+H", "glossary": "Ctrl+Shift+G"}


class StudyFeature:
    """`tracker` (page reading), `glossary` and `glossary_dock` (None until first opened), `exporter`
    (None until first used), `topics_menu` and the actions."""

    name = "study"

    def __init__(self) -> None:
        self.glossary: GlossaryBrowser | None = None
        self.glossary_dock: QDockWidget | None = None
        self.exporter: StudyNotesExport | None = None
        self.tracker: ReadingTracker | None = None

    def install(self, ctx: FeatureContext) -> None:
        self._ctx = ctx
        self.learner = ctx.learner
        ctx.pages.add_generated(KIND, self._render, self._follow)
        ctx.pages.add_preface("topic", self._objectives_of)
        self.act_start = ctx.add_action("&Start here: your study path", self.open_start_page, [SHORTCUTS["start"]],
                                        "Where to start: the study path with what you have done and the next step")
        self.act_glossary = ctx.add_action("Glossary bro&wser", self.open_glossary, [SHORTCUTS["glossary"]],
                                           "Every term A–Z with its meaning, filter and links to the diagram")
        self.act_export_notes = ctx.add_action("Export stud&y notes…", lambda: self.export_notes(), [],
                                               "A printable PDF (and HTML) of the key points, figures and glossary")
        self.topics_menu = QMenu("&Topics", ctx.window)
        self.topics_menu.setToolTipsVisible(True)
        self.topics_menu.aboutToShow.connect(self._fill_topics_menu)
        ctx.add_to_menu("go", None, self.act_start, self.topics_menu, self.act_glossary)
        ctx.add_to_menu("file", self.act_export_notes, None)
        self._install_reading(ctx)
        if self.learner is not None:
            self.learner.recorded.connect(self._on_learner_recorded)
            self.learner.notice.connect(lambda title, message: ctx.post(f"{title} {message}"))
            self.learner.loaded.connect(lambda: ctx.pages.refresh("topic"))  # the objectives box
        if ctx.navigation.location is None and self.has_path:
            self.open_start_page()  # the first screen leads with where to start

    @property
    def has_path(self) -> bool:
        """The content has a study path (a cheap look at the file; its checks come with the learning)."""
        return (self._ctx.content.root / "study_path.yaml").is_file()

    # --- the start page ---------------------------------------------------------------------------
    def open_start_page(self) -> None:
        self._ctx.navigation.open_page(KIND, START)

    def _render(self, ident: str) -> str:
        from app.knowledge.render import error_document

        theme = self._ctx.pages.page_theme()
        if ident != START:
            return error_document(f"{KIND}: {ident}", [f"no study page {ident!r}"], theme)
        learner = self.learner
        if learner is None:
            return start_page_html(learning=None, progress=None, theme=theme,
                                   note="Progress is not kept in this window.")
        if not learner.is_loaded:
            learner.when_loaded(lambda: self._ctx.pages.refresh(KIND))
            return start_page_html(learning=None, progress=None, theme=theme)
        from app.quiz.readiness import path_progress

        store = learner.progress()  # a first look at the path makes no progress file
        learning = learner.learning()
        progress = path_progress(bank=learner.bank(), store=store, learning=learning) if store is not None else None
        note = "" if store is not None else f"Progress is not saved: {learner.store_error}"
        return start_page_html(learning=learning, progress=progress, theme=theme, note=note)

    def _follow(self, ident: str) -> None:
        """study:start, study:tour/<id>, study:quiz/<section>+<section>."""
        what, _, arg = ident.partition("/")
        lib = self._ctx.library
        if what == START:
            self.open_start_page()
        elif what == "tour" and arg:
            if lib.start_tour is None:
                self._ctx.post("Guided tours are not available in this window")
            else:
                lib.start_tour(arg)
        elif what == "quiz" and arg:
            if lib.start_quiz is None:
                self._ctx.post("The quiz is not available in this window")
            else:
                lib.start_quiz("practice", sections=tuple(s for s in arg.split("+") if s))
        else:
            self._ctx.post(f"Unknown study link {KIND}:{ident[:60]}")

    def _on_learner_recorded(self, kind: str, item: str) -> None:
        self._ctx.pages.refresh(KIND)  # the start page's ticks, if it is open
        if kind == "page":
            page = self._ctx.content.page(*item.split(":", 1)) if ":" in item else None
            title = page.title if page is not None else item
            self._ctx.post(f"“{title}” counted as read on your study path")

    def _objectives_of(self, page_id: str) -> str:
        """The section's objectives under a topic page's title (once the learning content is loaded)."""
        learner = self.learner
        if learner is None or not learner.is_loaded:
            return ""
        page = self._ctx.content.topic_pages.get(page_id)
        learning = learner.learning()
        if page is None or learning.objectives is None or page.section not in learning.sections:
            return ""
        return objectives_box(learning.objectives.of_section(page.section), self._ctx.pages.page_theme())

    # --- Go ▸ Topics -----------------------------------------------------------------------------
    def _fill_topics_menu(self) -> None:
        from app.knowledge.weights import section_pages

        menu, content = self.topics_menu, self._ctx.content
        menu.clear()
        if self.has_path:
            menu.addAction(self.act_start)
            menu.addSeparator()
        review = section_pages(content)  # the sections of the review, in its order
        others = [p for p in content.topic_pages.values() if p not in review.values()]
        first = sorted((p for p in others if p.section == "overview"), key=lambda p: p.title.lower())
        rest = sorted((p for p in others if p.section != "overview"), key=lambda p: p.title.lower())
        for group in (first, list(review.values()), rest):
            for page in group:
                act = menu.addAction(no_mnemonic(page.title))
                act.setObjectName(f"topic:{page.id}")
                act.setToolTip(tip(f"Open the page “{page.title}”"))
                act.triggered.connect(lambda _=False, pid=page.id: self._ctx.navigation.open_page("topic", pid))
            if group and group is not rest:
                menu.addSeparator()

    # --- reading ------------------------------------------------------------------------------------
    def _install_reading(self, ctx: FeatureContext) -> None:
        from app.ui.study.reading import ReadingTracker

        self.tracker = ReadingTracker(window=ctx.window, scroll_bar=ctx.pages.verticalScrollBar(), parent=ctx.window)
        ctx.navigation.page_changed.connect(self.tracker.page_shown)
        self.tracker.page_read.connect(self._on_tracker_page_read)

    def _on_tracker_page_read(self, page: str) -> None:
        if self.learner is not None:
            self.learner.record_page_read(page)

    # --- the glossary browser -----------------------------------------------------------------------
    def open_glossary(self) -> GlossaryBrowser:
        if self.glossary is None:
            from app.ui.study.glossary import GlossaryBrowser

            self.glossary = GlossaryBrowser(self._ctx.content, self._ctx.open_link)
            self.glossary_dock = self._ctx.add_dock("Glossary", "glossary_dock", self.glossary,
                                                    accessible="Glossary browser")
        first = not self.glossary_dock.isVisible()
        self.glossary_dock.show()
        self.glossary_dock.raise_()
        if first:
            self._ctx.window.resizeDocks([self.glossary_dock], [GLOSSARY_WIDTH], Qt.Orientation.Horizontal)
        self.glossary.filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.glossary.filter.selectAll()
        return self.glossary

    # --- study notes ----------------------------------------------------------------------------------
    @property
    def notes_exporter(self) -> StudyNotesExport:
        """What File ▸ Export study notes runs (built on first use)."""
        if self.exporter is None:
            from app.ui.study.notes import StudyNotesExport

            self.exporter = StudyNotesExport(self._ctx)
        return self.exporter

    def export_notes(self, path=None):  # noqa: ANN001, ANN201 - Path | None -> StudyNotesExport
        """File ▸ Export study notes: asks where (unless `path`), then writes the PDF and the HTML."""
        exporter = self.notes_exporter
        exporter.start(path)
        return exporter
