"""Help ▸ Teacher guide: the 20-minute storyline with its timings and, for every guided tour, its
objectives, minutes per step, common misconceptions and a question for the hall, as a page of the
page panel (`teacher:guide`, rendered through the one sanitising markdown renderer; `teacher:tour/ID`
starts a tour, `teacher:poll/ID` polls a question, `teacher:export` writes the handout); and
Help ▸ Export teacher handout, a printable A4 PDF of the same (app.knowledge.teacher_handout).

The handout's document is built on a worker thread (the questions' model answers take a model run
each); only Qt's page layout and the PDF writing run on the GUI thread. The PDF is written beside its
name as `.part` and renamed when whole, so a failure leaves nothing half-written, and an existing file
is replaced only when the lecturer says so."""

from __future__ import annotations

import datetime
import html
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QObject, QSizeF, Qt, QTimer, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.knowledge.learning import Learning
    from app.knowledge.teacher_guide import TeacherGuide
    from app.ui.context import FeatureContext

KIND = "teacher"
GUIDE = "guide"
DEFAULT_NAME = "ironbone-teacher-guide.pdf"
MARGINS_MM = QMarginsF(16, 18, 16, 18)  # left, top, right, bottom, as the printable document's @page says
DOC_DPI = 96  # Qt's rich text sizes points and image widths at this resolution
POLL_MS = 20


def _md(text: str) -> str:
    from app.knowledge.render import markdown_to_html

    return markdown_to_html(text)


def _minutes(value: float) -> str:
    return f"{value:g} min"


def guide_html(guide: TeacherGuide | None, learning: Learning, question_prompt: Callable[[str], str | None]) -> str:
    """The teacher guide as the body of a page. Text from the content files is escaped or goes through
    the sanitising markdown renderer; the only links made here are teacher:… links with escaped ids."""
    esc = html.escape
    out = [f'<p><a href="{KIND}:export">Export teacher handout (PDF)…</a></p>']
    if guide is not None:
        out.append(f"<h1>{esc(guide.title)}</h1>{_md(guide.intro)}")
        total = sum(s.minutes for s in guide.segments)
        out.append(f"<h2>{esc(guide.storyline_title)} ({total:g} minutes)</h2>")
        rows, clock = [], 0.0
        for i, seg in enumerate(guide.segments, start=1):
            tour = learning.tours.get(seg.tour) if seg.tour else None
            if tour is not None:
                show = (f'<a href="{KIND}:tour/{esc(tour.id)}">{esc(tour.title)}</a>, steps '
                        f"{esc(', '.join(map(str, seg.steps)))}")
            else:
                show = "by hand (below)"
            rows.append(f"<tr><td>{i}. {esc(seg.title)}</td><td>{clock:g}–{clock + seg.minutes:g}</td>"
                        f"<td>{show}</td></tr>")
            clock += seg.minutes
        out.append('<table width="98%" border="1" cellspacing="0" cellpadding="4">'
                   "<tr><th>Segment</th><th>Minutes</th><th>Show</th></tr>" + "".join(rows) + "</table>")
        clock = 0.0
        for i, seg in enumerate(guide.segments, start=1):
            out.append(f"<h3>{i}. {esc(seg.title)} ({clock:g}–{clock + seg.minutes:g} min)</h3>")
            clock += seg.minutes
            tour = learning.tours.get(seg.tour) if seg.tour else None
            if tour is not None:
                heads = "; ".join(f"step {n}: {_headline(tour, n)}" for n in seg.steps)
                out.append(f'<p><b>Show:</b> <a href="{KIND}:tour/{esc(tour.id)}">tour “{esc(tour.title)}”</a> '
                           f"({esc(heads)})</p>")
            if seg.show:
                out.append(f"<p><b>Show:</b></p>{_md(seg.show)}")
            out.append(f"<p><b>Say:</b></p>{_md(seg.say)}")
            if seg.ask:
                prompt = question_prompt(seg.ask)
                if prompt is not None:
                    out.append(f"<p><b>Ask the hall:</b> {esc(prompt)} "
                               f'<a href="{KIND}:poll/{esc(seg.ask)}">(poll it)</a></p>')
    out.append("<h2>The tours</h2>")
    objectives = {o.id: o for o in learning.objectives.all} if learning.objectives is not None else {}
    order = list(learning.path.tours()) if learning.path is not None else []
    tours = sorted(learning.tours.values(), key=lambda t: (order.index(t.id) if t.id in order else len(order), t.id))
    for tour in tours:
        out.append(f"<h3>{esc(tour.title)} ({tour.minutes:g} minutes) · "
                   f'<a href="{KIND}:tour/{esc(tour.id)}">start the tour</a></h3>')
        objs = [objectives[o].text for o in tour.objectives if o in objectives]
        if objs:
            out.append("<p><b>Objectives.</b> After this tour students should be able to:</p><ul>"
                       + "".join(f"<li>{esc(o)}</li>" for o in objs) + "</ul>")
        teacher = tour.teacher
        minutes = teacher.step_minutes if teacher is not None and teacher.step_minutes else ()
        rows = "".join(f"<tr><td>{i}</td><td>{esc(_headline(tour, i))}</td>"
                       f"<td>{_minutes(minutes[i - 1]) if minutes else ''}</td></tr>"
                       for i in range(1, len(tour.steps) + 1))
        out.append('<p><b>Timings.</b></p><table width="98%" border="1" cellspacing="0" cellpadding="3">'
                   f"<tr><th>Step</th><th>Headline</th><th>Minutes</th></tr>{rows}</table>")
        if teacher is not None and teacher.misconceptions:
            out.append("<p><b>Common misconceptions.</b></p>"
                       '<table width="98%" border="1" cellspacing="0" cellpadding="3">'
                       "<tr><th>Students often think</th><th>What is so instead</th></tr>"
                       + "".join(f"<tr><td>{_md(m.belief)}</td><td>{_md(m.correction)}</td></tr>"
                                 for m in teacher.misconceptions) + "</table>")
        if teacher is not None and teacher.ask:
            out.append(f"<p><b>A question for the hall.</b></p>{_md(teacher.ask)}"
                       f"<p><i>A good answer:</i></p>{_md(teacher.answer)}")
    return "".join(out)


def _headline(tour, n: int) -> str:  # noqa: ANN001 - app.knowledge.tours.Tour
    from app.knowledge.teacher_handout import headline

    return headline(tour.steps[n - 1].caption)


def write_pdf(html_text: str, path: Path, title: str) -> int:
    """Lay `html_text` out on A4 pages and write them to `path`; returns the number of pages. The
    document is paginated to the printable area at 96 pixels an inch (its point sizes print true) with
    no margin of its own: the writer's margins make the page's, so nothing is clipped at an edge."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle(title)
    writer.setCreator("IronBone")
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    doc.setHtml(html_text)
    area = writer.pageLayout().paintRect(QPageLayout.Unit.Inch)
    doc.setPageSize(QSizeF(area.width() * DOC_DPI, area.height() * DOC_DPI))
    doc.print_(writer)
    return doc.pageCount()


class TeacherGuide(QObject):
    """The guide's page and the handout's export. `finished(path, pages)` when the PDF is written,
    `failed(message)` when not (the message names the file and why; a box says it too)."""

    finished = Signal(object, int)
    failed = Signal(str)

    def __init__(self, ctx: FeatureContext, start_tour: Callable[[str], object],
                 poll: Callable[[str], object]) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self._start_tour = start_tour
        self._poll = poll
        self.running = False
        self.pages = 0
        self.error_box: QMessageBox | None = None
        self._job: Future | None = None
        self._path: Path | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    # --- the page -------------------------------------------------------------------------------
    def open(self) -> None:
        self.ctx.navigation.open_page(KIND, GUIDE)

    def render(self, ident: str) -> str:
        from app.knowledge.render import document, error_document

        theme = self.ctx.pages.page_theme()
        if ident != GUIDE:
            return error_document(f"{KIND}: {ident}", [f"no teacher page {ident!r}"], theme)
        learner = self.ctx.learner
        if learner is None:
            return error_document("Teacher guide", ["the learning content is not loaded in this window"], theme)
        if not learner.is_loaded:
            learner.when_loaded(lambda: self.ctx.pages.refresh(KIND))
            return document("<h1>Teacher guide</h1><p>Loading the tours and the storyline…</p>", theme)
        from app.knowledge.teacher_guide import load_guide

        learning = learner.learning()
        guide, _problems = load_guide(self.ctx.content.root, learning)  # problems: check-content names them
        bank = learner.bank()

        def prompt(qid: str) -> str | None:
            q = bank.get(qid)
            return " ".join(q.prompt.split()) if q is not None else None

        return document(guide_html(guide, learning, prompt), theme)

    def follow(self, ident: str) -> None:
        """teacher:guide, teacher:tour/ID, teacher:poll/ID, teacher:export."""
        what, _, arg = ident.partition("/")
        if what == GUIDE:
            self.open()
        elif what == "tour" and arg:
            self._start_tour(arg)
        elif what == "poll" and arg:
            self._poll(arg)
        elif what == "export":
            self.export()
        else:
            self.ctx.post(f"Unknown teacher link {KIND}:{ident[:60]}")

    # --- the handout --------------------------------------------------------------------------------
    def ask_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.ctx.window, "Export teacher handout", DEFAULT_NAME,
                                              "PDF document (*.pdf)",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        return Path(name) if name else None

    def export(self, path: Path | str | None = None) -> bool:
        """Write the handout to `path` (asked for when None). False when nothing was started."""
        if self.running:
            self.ctx.post("The teacher handout is being written; wait a moment")
            return False
        learner = self.ctx.learner
        if learner is None:
            self._fail("The teacher handout needs the learning content, which this window does not keep.")
            return False
        chosen = Path(path) if path is not None else self.ask_path()
        if chosen is None:
            return False
        pdf = chosen if chosen.suffix.lower() == ".pdf" else chosen.with_name(chosen.name + ".pdf")
        folder = pdf.parent
        if not folder.is_dir():
            self._fail(f"Cannot write {pdf}: the folder {folder} does not exist." if not folder.exists()
                       else f"Cannot write {pdf}: {folder} is a file, not a folder.")
            return False
        if pdf.exists():
            answer = QMessageBox.question(self.ctx.window, "Export teacher handout",
                                          f"{pdf.name} already exists in {folder}. Replace it?",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                self.ctx.post(f"Teacher handout not written: {pdf.name} kept as it was")
                return False
        self.running, self._path = True, pdf
        self.ctx.post("Writing the teacher handout…")
        learner.when_loaded(self._build)
        return True

    def _build(self) -> None:
        if not self.running:
            return
        learner, content = self.ctx.learner, self.ctx.content
        mc = self.ctx.model()
        model = mc.model if mc is not None else None
        learning, bank = learner.learning(), learner.bank()
        today = datetime.date.today()

        def work() -> str:  # a worker thread: content, bank and model only, no Qt
            from app.knowledge.teacher_guide import load_guide
            from app.knowledge.teacher_handout import teacher_handout
            from app.quiz.learning import handout_questions

            guide, _ = load_guide(content.root, learning)
            questions = handout_questions(bank, learning, model, content.root)
            doc = teacher_handout(content, learning, guide, questions, date=f"{today.day} {today:%B %Y}")
            return doc.build(embed=False).html

        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ironbone-handout")
        self._job = pool.submit(work)
        pool.shutdown(wait=False)
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        job = self._job
        if job is None or not job.done():
            return
        self._timer.stop()
        self._job = None
        pdf = self._path
        assert pdf is not None
        try:
            text = job.result()
        except (OSError, ValueError) as exc:
            self.running = False
            self._fail(f"The teacher handout could not be made: {exc}")
            return
        partial = pdf.with_name(pdf.name + ".part")
        try:
            partial.write_bytes(b"")  # QPdfWriter fails without a word where the file cannot be made
            self.pages = write_pdf(text, partial, "IronBone teacher guide")
            if not partial.is_file() or partial.stat().st_size == 0:
                raise OSError(f"Cannot write {pdf}: Qt could not create the PDF file there.")
            partial.replace(pdf)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            self.running = False
            message = str(exc) if str(pdf) in str(exc) else f"Cannot write {pdf}: {exc.strerror or exc}"
            self._fail(message)
            return
        self.running = False
        self.ctx.post(f"Teacher handout written: {pdf} ({self.pages} pages)")
        self.finished.emit(pdf, self.pages)

    def _fail(self, message: str) -> None:
        self.ctx.post(message)
        self.failed.emit(message)
        box = QMessageBox(QMessageBox.Icon.Warning, "Export teacher handout", message,
                          QMessageBox.StandardButton.Ok, self.ctx.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the message names files: shown as written
        box.setAccessibleName("The teacher handout could not be written")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.error_box = box
