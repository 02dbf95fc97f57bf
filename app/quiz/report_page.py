"""The quiz report's content: what a finished quiz scored, by section of the review, and what to read
again, as HTML for the quiz panel (plain text from the questions and pages is escaped)."""

from __future__ import annotations

import html

from app.knowledge.content import Content
from app.quiz.session import Report

MODE_NAMES = {"practice": "Practice", "exam": "Exam", "review": "Review", "retry": "Retry mistakes"}


def section_title(content: Content, section: str) -> str:
    """The title of the topic page of a section, without its leading number."""
    for page in content.topic_pages.values():
        if page.section == section:
            title = page.title
            return title[len(section):].strip() if title.startswith(section + " ") else title
    return ""


def section_name(content: Content, section: str) -> str:
    """The section's number and its topic page's title, as in "§2.1 Iron and bone"."""
    return f"§{section} {section_title(content, section)}".strip()


def report_html(report: Report, content: Content) -> str:
    """The report of a finished quiz as HTML: the score, the score by section, the sections and the
    questions to look at again, each linked to the page that teaches it."""
    mode = MODE_NAMES.get(report.mode, report.mode)
    head = f"<h3>{mode} finished</h3>"
    if report.timed_out:
        head += "<p><b>Time ran out.</b> Questions not answered count as 0.</p>"
    mins, secs = divmod(int(report.elapsed_s), 60)
    head += (f"<p>Score <b>{report.score:.1f} of {report.asked}</b> ({report.fraction:.0%}); "
             f"{report.answered} answered in {mins}:{secs:02d}.</p>")
    rows = "".join(
        f"<tr><td>{html.escape(section_name(content, r.section))}</td>"
        f"<td align='right'>{r.score:.1f} / {r.asked}</td><td align='right'>{r.fraction:.0%}</td></tr>"
        for r in report.by_section)
    table = ("<h4>By section</h4><table cellspacing='0' cellpadding='3' width='100%'>"
             "<tr><th align='left'>Section</th><th align='right'>Score</th><th align='right'>%</th></tr>"
             f"{rows}</table>")
    revise = ""
    if report.revise_sections:
        links = []
        for sec in report.revise_sections:
            topic = next((p for p in content.topic_pages.values() if p.section == sec), None)
            name = section_name(content, sec)
            links.append(f"<li><a href='topic:{html.escape(topic.id)}'>{html.escape(name)}</a></li>"
                         if topic else f"<li>{html.escape(name)}</li>")
        revise += "<h4>What to revise</h4><ul>" + "".join(links) + "</ul>"
    if report.revise:
        items = []
        for q in report.revise:
            kind, pid = q.page.split(":", 1)
            page = content.page(kind, pid)
            title = page.title if page else pid
            items.append(f"<li>{html.escape(q.prompt)} — <a href='{html.escape(q.page)}'>"
                         f"{html.escape(title)}</a></li>")
        revise += "<h4>Questions to look at again</h4><ul>" + "".join(items) + "</ul>"
    elif report.asked:
        revise += "<p>Every question right — nothing to revise.</p>"
    return head + table + revise
