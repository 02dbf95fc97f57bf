"""File ▸ Export study notes: the key points of every topic page in study-path order, the figures, the
glossary A–Z and the references, written as a printable A4 PDF and as an HTML file beside it (same
name, .html; its figures inside it, so it stands alone).

The work is done in steps so the window keeps answering, with a progress dialog that can cancel it:
the model runs of the plots on a worker thread, then each figure drawn in a turn of the event loop
of its own, then the HTML, then the PDF. A failure names the file and the reason, and leaves no
half-written file behind."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMarginsF, QObject, QSizeF, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

if TYPE_CHECKING:
    from app.knowledge.learning import FigureSpec
    from app.knowledge.printable import Image
    from app.ui.context import FeatureContext

DEFAULT_NAME = "ironbone-study-notes.pdf"
STEP_MS = 0  # between steps: a turn of the event loop for input and repaints
POLL_MS = 20
DIAGRAM_WIDTH = 1600  # px, printed about 16 cm wide
MARGINS_MM = QMarginsF(16, 18, 16, 18)  # left, top, right, bottom, as the document's @page says
DOC_DPI = 96  # the document's pixels: Qt's rich text sizes points and image widths at this resolution


def write_pdf(html_text: str, resources: dict, path: Path) -> int:
    """Lay `html_text` out on A4 pages and write them to `path`; returns the number of pages.

    The document is paginated here, to the printable area at 96 pixels an inch (so its point sizes
    print true) with no margin of its own: the writer's margins make the page's. Qt then clips each
    page to that area; with the default (a 2 cm document margin inside the page), the background of
    a box split across two pages spilled into the margins."""
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
    writer.setResolution(300)
    writer.setTitle("IronBone study notes")
    writer.setCreator("IronBone")
    doc = QTextDocument()
    doc.setDocumentMargin(0)
    for url, image in resources.items():
        picture = QImage.fromData(image.data)
        doc.addResource(QTextDocument.ResourceType.ImageResource, QUrl(url), picture)
    doc.setHtml(html_text)
    area = writer.pageLayout().paintRect(QPageLayout.Unit.Inch)
    doc.setPageSize(QSizeF(area.width() * DOC_DPI, area.height() * DOC_DPI))
    doc.print_(writer)
    return doc.pageCount()


class StudyNotesExport(QObject):
    """`start(path)` begins an export (asking for the file when `path` is None); `finished(pdf, html)`
    when both files are written, `failed(message)` when not (the message names the file and why)."""

    finished = Signal(object, object)  # Path of the PDF, Path of the HTML
    failed = Signal(str)
    progressed = Signal(int, str)  # steps done, what is being done

    def __init__(self, ctx: FeatureContext) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self.running = False
        self.dialog: QProgressDialog | None = None
        self.pages = 0  # of the last PDF written
        self.missing: tuple[str, ...] = ()  # figure ids drawn as placeholders in the last export
        self._steps: list[tuple[str, Callable[[], None]]] = []
        self._done = 0
        self._images: dict[str, Image] = {}
        self._series: dict[str, list] = {}
        self._job: Future | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._on_poll_timeout)

    # --- starting --------------------------------------------------------------------------------
    def ask_path(self) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self.ctx.window, "Export study notes", DEFAULT_NAME,
                                              "PDF document (*.pdf)")
        return Path(name) if name else None

    def start(self, path: Path | str | None = None) -> bool:
        if self.running:
            self.ctx.post("The study notes are being written; wait for them or cancel first")
            return False
        learner = self.ctx.learner
        if learner is None:
            self._fail("The study notes need the learning content, which this window does not keep.")
            return False
        chosen = Path(path) if path is not None else self.ask_path()
        if chosen is None:
            return False
        self.pdf = chosen if chosen.suffix.lower() == ".pdf" else chosen.with_name(chosen.name + ".pdf")
        self.html = self.pdf.with_suffix(".html")
        problem = self._check_folder(self.pdf)
        if problem:
            self._fail(problem)
            return False
        self.running = True
        self._images, self._series, self.missing = {}, {}, ()
        self._open_dialog()
        self._report(0, "Loading the study path…")
        learner.when_loaded(self._plan)
        return True

    @staticmethod
    def _check_folder(pdf: Path) -> str:
        folder = pdf.parent
        if folder.exists() and not folder.is_dir():
            return f"Cannot write {pdf}: {folder} is a file, not a folder."
        if not folder.is_dir():
            return f"Cannot write {pdf}: the folder {folder} does not exist."
        return ""

    def _open_dialog(self) -> None:
        self.dialog = QProgressDialog("Writing the study notes…", "Cancel", 0, 1, self.ctx.window)
        self.dialog.setWindowTitle("Export study notes")
        self.dialog.setAccessibleName("Study notes export progress")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)  # a quick export never flashes a dialog
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)

    def _plan(self) -> None:
        if not self.running:
            return
        from app.knowledge.study_notes import figures

        learning = self.ctx.learner.learning()
        specs = figures(learning)
        self._learning = learning
        steps: list[tuple[str, Callable[[], None]]] = []
        plots = [f for f in specs if f.kind == "plot"]
        if plots:
            steps.append(("Running the model for the plots…", lambda: self._run_models(plots)))
        for f in specs:
            steps.append((f"Drawing “{f.title}”…", lambda f=f: self._draw(f)))
        steps.append(("Writing the HTML…", self._write_html))
        steps.append(("Laying out the PDF pages…", self._write_pdf))
        self._steps, self._done = steps, 0
        if self.dialog is not None:
            self.dialog.setMaximum(len(steps))
        self._next()

    # --- the steps ------------------------------------------------------------------------------------
    def _report(self, done: int, text: str) -> None:
        if self.dialog is not None:
            self.dialog.setLabelText(text)
            self.dialog.setValue(done)
        self.progressed.emit(done, text)

    def _next(self) -> None:
        if not self.running:
            return
        if not self._steps:
            self._succeed()
            return
        text, step = self._steps.pop(0)
        self._report(self._done, text)
        self._done += 1
        try:
            step()
        except (OSError, ValueError, RuntimeError) as exc:
            self._fail(str(exc))
            return
        if self._job is None:  # a step on a worker thread goes on when the worker is done
            QTimer.singleShot(STEP_MS, self, self._next)

    def _run_models(self, plots: list[FigureSpec]) -> None:
        mc = self.ctx.model()
        if mc is None:
            raise RuntimeError("The model is still loading; export the study notes again in a moment.")
        from app.ui.study.figures import run_figure

        model = mc.model

        def work() -> dict[str, list]:  # a worker thread: the model only, no Qt
            return {f.id: run_figure(model, f) for f in plots}

        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ironbone-notes")
        self._job = pool.submit(work)
        pool.shutdown(wait=False)
        self._poll.start()

    def _on_poll_timeout(self) -> None:
        job = self._job
        if job is None or not job.done():
            return
        self._poll.stop()
        self._job = None
        if not self.running:
            return
        try:
            self._series = job.result()
        except ValueError as exc:
            self._fail(str(exc))
            return
        QTimer.singleShot(STEP_MS, self, self._next)

    def _draw(self, spec: FigureSpec) -> None:
        from app.knowledge.printable import Image
        from app.ui.diagram.render import diagram_png, png_bytes

        if spec.kind == "diagram":
            self._images[spec.id] = Image(diagram_png(self.ctx.content.pathway, width=DIAGRAM_WIDTH))
        else:
            from app.ui.study.figures import plot_image

            series = self._series.get(spec.id)
            if series:
                self._images[spec.id] = Image(png_bytes(plot_image(spec, series), palette=0))

    def _document(self):  # noqa: ANN202 - app.knowledge.printable.PrintDoc
        from app.knowledge.study_notes import study_notes

        today = datetime.date.today()
        return study_notes(self.ctx.content, self._learning, date=f"{today.day} {today:%B %Y}")

    def _write_html(self) -> None:
        printed = self._document().build(self._images, embed=True)
        self.missing = printed.missing_figures
        _write_text(self.html, printed.html)

    def _write_pdf(self) -> None:
        printed = self._document().build(self._images, embed=False)
        partial = self.pdf.with_name(self.pdf.name + ".part")
        try:
            partial.write_bytes(b"")  # QPdfWriter fails without a word where the file cannot be made
            self.pages = write_pdf(printed.html, dict(printed.resources), partial)
            if not partial.is_file() or partial.stat().st_size == 0:
                raise OSError(f"Cannot write {self.pdf}: Qt could not create the PDF file there.")
            partial.replace(self.pdf)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise OSError(_named(exc, self.pdf)) from None

    # --- ending ---------------------------------------------------------------------------------------
    def cancel(self) -> None:
        if not self.running:
            return
        self._end()
        self.ctx.post("Study notes export cancelled")

    def _end(self) -> None:
        self.running = False
        self._steps = []
        self._poll.stop()
        self._job = None
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _succeed(self) -> None:
        self._end()
        extra = f"; {len(self.missing)} figure(s) could not be drawn" if self.missing else ""
        self.ctx.post(f"Study notes written: {self.pdf.name} ({self.pages} pages) and {self.html.name}{extra}")
        self.finished.emit(self.pdf, self.html)

    def _fail(self, message: str) -> None:
        self._end()
        self.ctx.post(message)
        self.failed.emit(message)
        box = QMessageBox(QMessageBox.Icon.Warning, "Export study notes", message, QMessageBox.StandardButton.Ok,
                          self.ctx.window)
        box.setTextFormat(Qt.TextFormat.PlainText)  # the message names files: shown as written
        box.setAccessibleName("Study notes could not be written")
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.open()
        self.error_box = box


def _named(exc: OSError, path: Path) -> str:
    text = str(exc)
    return text if str(path) in text else f"Cannot write {path}: {exc.strerror or exc}"


def _write_text(path: Path, text: str) -> None:
    """Write `path` whole or not at all (a temporary file beside it, then renamed)."""
    partial = path.with_name(path.name + ".part")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OSError(_named(exc, path)) from None
