"""The quiz panel's progress view: a summary, readiness by section (with retry and review), and mastery by
section and by compartment and the recent answers, each in a table."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.quiz.report_page import MODE_NAMES, section_name
from app.ui.quiz.readiness_view import DueButton, ReadinessView
from app.ui.quiz.widgets import button
from app.ui.text import tip

if TYPE_CHECKING:
    from app.quiz.readiness import NextAction
    from app.quiz.store import ProgressStore
    from app.ui.context import FeatureContext
    from app.ui.quiz.data import QuizData


def _table(headers: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.verticalHeader().hide()
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setAccessibleName(name)
    t.setWordWrap(False)
    t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for c in range(1, len(headers)):
        t.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    return t


def _fill(table: QTableWidget, rows: list[list[str]], tips: list[str] | None = None) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c > 0:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if tips:
                item.setToolTip(tip(tips[r]))  # question prompts: text from quiz files
            table.setItem(r, c, item)


class ProgressPage:
    """The progress view (`page`) over `data`. The readiness view's buttons call `act(action)`, `retry()` and
    `review()`; `new_quiz()` goes back to the start screen; `pass_mark()` (0..1) and `now()` set the rules."""

    def __init__(self, ctx: FeatureContext, data: QuizData, *, act: Callable[[NextAction], bool],
                 retry: Callable[[], bool], review: Callable[[], bool], new_quiz: Callable[[], None],
                 pass_mark: Callable[[], float], now: Callable[[], datetime]) -> None:
        self.ctx, self.data, self._pass_mark, self._now = ctx, data, pass_mark, now
        page = QWidget()
        page.setAccessibleName("Progress")
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(QLabel("<h3>Your progress</h3>"))
        self.progress_summary = QLabel("")
        self.progress_summary.setWordWrap(True)
        self.progress_summary.setAccessibleName("Progress summary")
        v.addWidget(self.progress_summary)
        self.progress_tabs = QTabWidget()
        self.progress_tabs.setAccessibleName("Progress tables")
        self.readiness = ReadinessView(act=act, retry=retry, review=review)
        self.progress_tabs.addTab(self.readiness, "Readiness")
        self.section_table = _table(["Section", "Answered", "Mastery"], "Mastery by section")
        self.compartment_table = _table(["Compartment", "Answered", "Mastery"], "Mastery by compartment")
        self.history_table = _table(["Question", "When", "Mode", "Score"], "Recent answers")
        self.progress_tabs.addTab(self.section_table, "By section")
        self.progress_tabs.addTab(self.compartment_table, "By compartment")
        self.progress_tabs.addTab(self.history_table, "History")
        v.addWidget(self.progress_tabs, 1)
        row = QHBoxLayout()
        self.review_button = self.readiness.review_button
        self.review_due = DueButton(self.review_button, data.due_status, now=now)
        row.addWidget(button("&New quiz", "Back to the start screen", new_quiz, name="Start a new quiz"))
        row.addStretch(1)
        v.addLayout(row)
        self.page = page

    def refresh(self) -> None:
        """Fill the summary and the tables from the store (or say that progress is not saved)."""
        bank, store = self.data.bank(), self.data.store()
        if store is None:
            self.progress_summary.setText("Progress is not saved (the progress file could not be opened).")
            for t in (self.section_table, self.compartment_table, self.history_table):
                t.setRowCount(0)
            return
        latest = store.latest_scores()
        ids = {q.id for q in bank.questions}
        answered = sum(1 for q in latest if q in ids)
        due = store.due_count(question_ids=ids)
        total = len(store.history())
        upcoming = [c.due for c in (store.card(qid) for qid in latest if qid in ids) if c is not None]
        later = min((d for d in upcoming if d > datetime.now(UTC)), default=None)
        nxt = f" Next review: {later.astimezone().strftime('%d %b %H:%M')}." if later and not due else ""
        self.progress_summary.setText(
            f"<b>{answered}</b> of {len(bank)} questions answered ({total} answer{'s' if total != 1 else ''} in all) · "
            f"<b>{due}</b> due for review.{nxt}")
        self.review_due.refresh()
        self._show_readiness(store)
        content = self.ctx.content
        sec = store.mastery({s: ids_ for s, ids_ in bank.section_groups().items() if ids_})
        _fill(self.section_table, [[section_name(content, s), f"{m.answered} / {m.total}", f"{m.level:.0%}"]
                                   for s, m in sec.items()], [section_name(content, s) for s in sec])
        comp_names = {c.id: c.label for c in content.pathway.compartments}
        comp = store.mastery(bank.compartment_groups())
        order = [c for c in comp_names if c in comp] + sorted(c for c in comp if c not in comp_names)
        _fill(self.compartment_table, [[comp_names.get(c, c), f"{comp[c].answered} / {comp[c].total}",
                                        f"{comp[c].level:.0%}"] for c in order])
        rows, tips = [], []
        for rec in store.history(limit=50):
            q = bank.get(rec.question_id)
            prompt = q.prompt if q else rec.question_id
            short = prompt if len(prompt) <= 70 else prompt[:67] + "…"
            rows.append([short, rec.answered_at.astimezone().strftime("%d %b %H:%M"),
                         MODE_NAMES.get(rec.mode, rec.mode), f"{rec.score:.0%}"])
            tips.append(prompt)
        _fill(self.history_table, rows, tips)

    def _show_readiness(self, store: ProgressStore) -> None:
        learner = self.ctx.learner
        if learner is None:
            self.progress_tabs.setTabVisible(0, False)
            return
        from app.quiz.readiness import Rules, overall, section_readiness

        rules = Rules(pass_mark=self._pass_mark())
        now = self._now()
        rows = section_readiness(bank=learner.bank(), store=store, learning=learner.learning(), rules=rules, now=now)
        line, _ = overall(rows)
        self.readiness.show_rows(rows, overall=line, explain=rules.explain(), mistakes=len(self.data.mistakes()),
                                 now=now)
