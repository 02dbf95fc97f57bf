"""The quiz panel's report page: the report at the end of any quiz, with the exam's verdict above it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.quiz.report_page import report_html
from app.ui.quiz.readiness_view import VerdictBox
from app.ui.quiz.widgets import button, follow_anchor
from app.ui.text import SafeBrowser

if TYPE_CHECKING:
    from app.quiz.session import Report
    from app.ui.context import FeatureContext


class ReportPage:
    """The report (`page`): `verdict_box` (an exam's pass or fail) over `report_view`; its buttons go back to
    the start screen (`new_quiz`) or to the progress view (`progress`)."""

    def __init__(self, ctx: FeatureContext, *, new_quiz: Callable[[], None], progress: Callable[[], None]) -> None:
        self.ctx = ctx
        page = QWidget()
        page.setAccessibleName("Quiz report")
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        self.verdict_box = VerdictBox(ctx.open_link)
        v.addWidget(self.verdict_box)
        self.report_view = SafeBrowser()
        self.report_view.setAccessibleName("Report")
        self.report_view.anchorClicked.connect(lambda url: follow_anchor(ctx.open_link, url))
        v.addWidget(self.report_view, 1)
        row = QHBoxLayout()
        row.addWidget(button("&New quiz", "Back to the start screen", new_quiz, name="Start a new quiz"))
        row.addWidget(button("&Progress", "Mastery by section and compartment, history, reviews due",
                             progress, name="Show progress"))
        row.addStretch(1)
        v.addLayout(row)
        self.page = page

    def show(self, report: Report, verdict) -> None:  # noqa: ANN001 - app.quiz.readiness.ExamVerdict or None
        self.verdict_box.set_verdict(verdict)
        self.report_view.setHtml(report_html(report, self.ctx.content))
