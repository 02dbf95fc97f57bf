"""Model ▸ Evidence: the calibration table (content/calibration.yaml) with each row's figure computed
live from the model beside the published one, marked within or outside its range, its sources
linking to the references; computed on a worker thread (the table runs many simulations, ~0.2 s)."""

from __future__ import annotations

import math
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout

from app.ui.text import SafeBrowser, esc, plain_label

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path

    from app.model.calibration import Row, RowResult
    from app.model.simulation import Model
    from app.ui.context import FeatureContext

LINK = "evidence"  # pages open the dialog with [text](app:evidence) (app.knowledge.render.APP_LINKS)
NOT_CLINICAL = ("IronBone is a teaching model, not a clinical tool: its figures show directions and rough "
                "sizes, never a prediction for any person.")
INTRO = ("Each row is a figure published by a trial or a cohort, beside the figure the model computes now, "
         "from the model as it is loaded. A row is within when the model's figure lies in the range the "
         "model is held to (about ±30 % of the published one); a row the model misses says so.")


def _number(x: float) -> str:
    return "no limit" if math.isinf(x) else f"{x:g}"


def row_cells(result: RowResult, short: Callable[[str], str]) -> dict[str, str]:
    """The row's cells as rich text, every text from the content escaped: `short(key)` names a
    reference ("Greendale et al., 2012")."""
    from app.model.calibration import MEASURES

    row = result.row
    lo, hi = row.range
    if row.kind == "order":
        published = f"in {esc(row.order)} order"
        model = esc(result.detail)
        rng = f"each step at least {row.margin:g} apart" if row.margin else "in that order"
    else:
        published = f"{row.published:g}" if row.published is not None else "—"
        value = result.model if isinstance(result.model, float) else math.nan
        model = "not computed" if math.isnan(value) else f"{value:.2f}"
        if row.kind == "ratio":
            published = "a ratio"
            model = esc(result.detail)
        rng = f"{_number(lo)} to {_number(hi)}"
    if result.within:
        verdict = "<span class='ok'>✔ within</span>"
    else:
        reason = esc(result.detail) if "not computed" in result.detail else "the model misses this figure"
        verdict = f"<span class='miss'>✘ outside: {reason}</span>"
    details = [f"Measure: {esc(MEASURES.get(row.measure, row.measure))}"]
    details += [esc(t) for t in (row.published_text and f"Source: {row.published_text}", row.verified, row.note) if t]
    cites = "; ".join(f'<a href="ref:{esc(k)}">{esc(short(k))}</a>' for k in row.cite)
    return {"label": f"<b>{esc(row.label)}</b>", "published": published, "model": model, "range": rng,
            "verdict": verdict, "sources": cites, "details": " · ".join(details)}


class EvidenceDialog(QDialog):
    """The table; `compute()` runs it on a worker thread and `computed` follows (results, seconds)."""

    computed = Signal(object, object, float)  # list[RowResult], problems of calibration.yaml, seconds taken
    failed = Signal(str)

    def __init__(self, ctx: FeatureContext) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self.setWindowTitle("Evidence: the model against published figures")
        self.setAccessibleName("Evidence")
        self.results: list[RowResult] = []
        self.seconds = 0.0
        self._job: Future | None = None
        layout = QVBoxLayout(self)
        self.clinical = plain_label(NOT_CLINICAL, wrap=True)
        font = self.clinical.font()
        font.setBold(True)
        self.clinical.setFont(font)
        self.intro = plain_label(INTRO, wrap=True)
        self.status = plain_label("", wrap=True)
        self.status.setAccessibleName("Evidence status")
        self.table = SafeBrowser()  # loads nothing; its links go through the app's link handling
        self.table.setAccessibleName("Calibration table")
        self.table.anchorClicked.connect(self._on_table_anchor_clicked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        self.again = QPushButton("Compute &again")
        self.again.setToolTip("Run every row of the table again on the model as it is loaded")
        buttons.addButton(self.again, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.hide)
        self.again.clicked.connect(lambda: self.compute())
        for w in (self.clinical, self.intro, self.status):
            layout.addWidget(w)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(980, 640)
        self.computed.connect(self._on_computed)
        self.failed.connect(self._on_failed)

    # --- computing --------------------------------------------------------------------------------
    def compute(self, *, model: Model | None = None, rows: Sequence[Row] | None = None) -> bool:
        """Compute the table on a worker thread: the live model and content/calibration.yaml unless
        given. False (and a message) if there is no model yet or a computation is running."""
        if self._job is not None and not self._job.done():
            return False
        if model is None:
            mc = self.ctx.model()
            if mc is None:
                self.status.setText("The model is still loading: the table is computed once it is there.")
                return False
            model = mc.model
        self.again.setEnabled(False)
        self.status.setText("Computing every row from the model…")
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ironbone-evidence")
        self._job = pool.submit(_evaluate, model, self.ctx.content.root, rows)
        pool.shutdown(wait=False)
        self._job.add_done_callback(self._on_job_done)  # on the worker thread: hand over by signal
        return True

    def _on_job_done(self, job: Future) -> None:
        try:
            error = job.exception()
            if error is None:
                self.computed.emit(*job.result())
            else:
                self.failed.emit(f"{type(error).__name__}: {error}")
        except RuntimeError:  # the window (and this dialog) closed meanwhile: nothing to show it in
            pass

    def _on_computed(self, results: list[RowResult], problems: list[str], seconds: float) -> None:
        self.results, self.seconds = list(results), seconds
        self.again.setEnabled(True)
        held = sum(r.within for r in results)
        missed = [r.row.label for r in results if not r.within]
        text = (f"{held} of {len(results)} rows hold, computed from the model as loaded in {seconds:.2f} s."
                + (f" Outside their range: {'; '.join(missed)}." if missed else ""))
        if problems:
            text += f" calibration.yaml has {len(problems)} problem(s): {problems[0]}"
        self.status.setText(text)
        self.table.setHtml(self.table_html())
        self.ctx.post(f"Evidence: {held} of {len(results)} rows of the calibration table hold")

    def _on_failed(self, message: str) -> None:
        self.again.setEnabled(True)
        self.status.setText(f"The table could not be computed: {message}")

    # --- showing ----------------------------------------------------------------------------------
    def table_html(self) -> str:
        from app.knowledge.render import DARK, LIGHT, document

        refs = self.ctx.content.references

        def short(key: str) -> str:
            ref = refs.get(key)
            return ref.short() if ref is not None else key

        rows, notes = [], []
        for n, result in enumerate(self.results, start=1):
            c = row_cells(result, short)
            rows.append(f"<tr><td>{n}. {c['label']}</td><td>{c['published']}</td><td>{c['model']}</td>"
                        f"<td>{c['range']}</td><td>{c['verdict']}</td><td>{c['sources']}</td></tr>")
            notes.append(f"<p class='details'><b>{n}. {esc(result.row.label)}</b>: {c['details']}</p>")
        dark = self.palette().base().color().lightnessF() < 0.5
        theme = DARK if dark else LIGHT
        style = (f"<style>.ok {{ color: {'#7fdc9f' if dark else '#1b7f3b'}; font-weight: bold; }}"
                 f".miss {{ color: {'#ff9c8f' if dark else '#b3261e'}; font-weight: bold; }}"
                 f"p.details {{ color: {theme.muted}; font-size: {theme.font_pt * 0.9:.1f}pt; }}</style>")
        head = "".join(f"<th width='{w}%'>{name}</th>" for name, w in (
            ("Row", 28), ("Published", 11), ("Model now", 21), ("Range held to", 12), ("Holds?", 12),
            ("Sources", 16)))
        # What each row measures goes below the table, in paragraphs: Qt lays out long text in table
        # cells about twice as slowly, and the table is laid out on the GUI thread.
        body = (f"<table width='100%'><tr>{head}</tr>" + "".join(rows) + "</table>"
                "<h3>What each row measures, and where its figure comes from</h3>" + "".join(notes))
        return document(style + body, theme)

    def _on_table_anchor_clicked(self, url: QUrl) -> None:
        self.ctx.open_link(url.toString())

    def row_text(self, row_id: str) -> str:
        """The plain text a reader sees for one row (tests, screen readers)."""
        result = next(r for r in self.results if r.id == row_id)
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        cells = row_cells(result, lambda k: k)
        doc.setHtml(" | ".join(cells[k] for k in ("label", "published", "model", "range", "verdict")))
        return doc.toPlainText()


def _evaluate(model: Model, root: Path, rows: Sequence[Row] | None) -> tuple[list, list[str], float]:
    """On the worker thread: the rows (content/calibration.yaml unless given), each computed."""
    from app.knowledge.calibration_io import load_calibration
    from app.model.calibration import evaluate

    start = time.perf_counter()
    problems: list[str] = []
    if rows is None:
        rows, found = load_calibration(root / "calibration.yaml", "calibration.yaml",
                                       treatments=list(model.treatments))
        problems = [str(p) for p in found]
    results = evaluate(model, rows)
    return results, problems, time.perf_counter() - start


class EvidenceFeature:
    """Model ▸ Evidence and the `app:evidence` link of the pages: `dialog` (None until first opened)."""

    name = "evidence"

    def __init__(self) -> None:
        self.dialog: EvidenceDialog | None = None

    def install(self, ctx: FeatureContext) -> None:
        self._ctx = ctx
        self.act_evidence = ctx.add_action(
            "&Evidence…", self.open, [],
            "The calibration table: published trial and cohort figures beside the model's own, computed now")
        self.act_evidence.setObjectName(f"app:{LINK}")  # what an app:evidence link in a page triggers
        ctx.add_to_menu("model", self.act_evidence)
        ctx.model_ready.connect(self._on_model_ready)

    def _on_model_ready(self) -> None:
        """Opened while the model was loading: compute the table now."""
        if self.dialog is not None and self.dialog.isVisible() and not self.dialog.results:
            self.dialog.compute()

    def open(self) -> EvidenceDialog:
        """Show the dialog and compute the table (again) from the live model."""
        if self.dialog is None:
            self.dialog = EvidenceDialog(self._ctx)
        dialog = self.dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if not dialog.results:
            dialog.compute()
        dialog.setFocus(Qt.FocusReason.OtherFocusReason)
        return dialog
