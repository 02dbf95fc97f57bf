"""The start page as HTML for the page panel: how to use IronBone in one line, the next step of the
study path as a button, what a student will be able to do, and the whole path with what is done
ticked; and the box of a section's objectives under a topic page's title. Every text from the
content is escaped (shown as plain text)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from app.knowledge.render import Theme, document

if TYPE_CHECKING:
    from app.knowledge.learning import Learning, Objective, StudyStep
    from app.quiz.readiness import PathProgress

KIND = "study"  # the page kind and link scheme of the study feature's pages (study:start, study:tour/…)
START = "start"
HOW_TO = "How to use it: work down the path — read a page, take its tour, answer its questions; ✓ marks what is done."
READ_RULE = ("A page counts as read after 20 seconds with IronBone in front, or once you scroll to its end. "
             "Click any node of the diagram to read about it.")
STEP_WORDS = {"topic": "Read", "tour": "Tour", "quiz": "Questions"}


def step_link(step: StudyStep) -> str:
    """Where a step of the path leads: its topic page, or the study feature's tour and quiz links."""
    if step.kind == "topic":
        return f"topic:{step.target}"
    if step.kind == "tour":
        return f"{KIND}:tour/{step.target}"
    return f"{KIND}:quiz/{'+'.join(step.sections)}"


def _css(t: Theme) -> str:
    return (f"td.next {{ background-color: {t.points_bg}; border: 2px solid {t.points_border}; padding: 8px; }}"
            f"a.next {{ color: {t.points_title}; font-weight: bold; text-decoration: none; }}"
            f"table.path td {{ border: none; border-bottom: 1px solid {t.border}; padding: 3px 6px; }}"
            f"td.done {{ color: {t.points_border}; font-weight: bold; }}"
            f"td.todo {{ color: {t.muted}; }}"
            f"td.kind {{ color: {t.muted}; }}")


def _page(body: str, theme: Theme) -> str:
    return document(body, theme).replace("</style>", _css(theme) + "</style>", 1)


def _objective_list(objectives: tuple[Objective, ...]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(o.text)}</li>" for o in objectives) + "</ul>"


def _next_button(progress: PathProgress) -> str:
    step, total = progress.next, len(progress.steps)
    if step is None:
        text = "You have done every step of the path. Quiz ▸ Progress shows what to keep fresh."
        return f'<table width="98%" cellspacing="0"><tr><td class="next">✓ {html.escape(text)}</td></tr></table>'
    verb = {"topic": "Read", "tour": "Take the tour", "quiz": "Answer the questions"}[step.step.kind]
    title = step.title.removeprefix("Tour: ")
    label = f"Next step: {verb} “{title}” ▶" if step.step.kind != "quiz" else f"Next step: {title} ▶"
    where = f"Step {progress.steps.index(step) + 1} of {total}; {progress.done_count} done"
    return (f'<table width="98%" cellspacing="0"><tr><td class="next">'
            f'<a class="next" href="{html.escape(step_link(step.step))}">{html.escape(label)}</a>'
            f'<br><span class="muted">{html.escape(where)}</span></td></tr></table>')


def start_page_html(*, learning: Learning | None, progress: PathProgress | None, theme: Theme,
                    note: str = "") -> str:
    """The start page. `learning` None: still loading (the page says so and is rendered again);
    `progress` None: the progress file could not be read (the path shows without ticks); `note`: a
    line under the title (e.g. why progress is not saved)."""
    parts = ["<h1>Start here</h1>"]
    if note:
        parts.append(f'<p class="muted"><i>{html.escape(note)}</i></p>')
    if learning is None:
        parts.append(f"<p>{html.escape(HOW_TO)}</p>")
        parts.append('<p class="muted">Loading the study path…</p>')
        return _page("".join(parts), theme)
    steps = progress.steps if progress is not None else ()
    if progress is not None:
        parts.append(_next_button(progress))
    parts.append(f"<p>{html.escape(HOW_TO)}</p>")
    objectives = learning.objectives.app if learning.objectives is not None else ()
    if objectives:
        parts.append("<h2>What you will be able to do</h2>" + _objective_list(objectives))
    if learning.path is None or not learning.path.steps:
        parts.append('<p class="muted">This content has no study path (content/study_path.yaml); Go ▸ Topics lists '
                     "its pages.</p>")
    else:
        count = f" — {progress.done_count} of {len(steps)} done" if progress is not None else ""
        parts.append(f"<h2>Your study path{html.escape(count)}</h2>")
        rows = []
        if progress is not None:
            items = [(s.step, s.title, s.done, s.detail) for s in progress.steps]
        else:
            items = [(s, learning.topic_titles.get(s.target, s.target), False, "") for s in learning.path.steps]
        for i, (step, title, done, detail) in enumerate(items, 1):
            mark = '<td class="done">✓</td>' if done else '<td class="todo">○</td>'
            rows.append(f"<tr>{mark}<td class=\"kind\">{i}. {STEP_WORDS.get(step.kind, step.kind)}</td>"
                        f'<td><a href="{html.escape(step_link(step))}">{html.escape(title.removeprefix("Tour: "))}'
                        f'</a></td><td class="kind">{html.escape(detail)}</td></tr>')
        parts.append('<table class="path" width="98%" cellspacing="0">' + "".join(rows) + "</table>")
    parts.append(f'<p class="muted">{html.escape(READ_RULE)} Go ▸ Topics lists every section of the review; '
                 "Quiz ▸ Progress shows, section by section, how ready you are and what to do next; File ▸ Export "
                 "study notes prints the key points, figures and glossary.</p>")
    return _page("".join(parts), theme)


def objectives_box(objectives: tuple[Objective, ...], theme: Theme) -> str:
    """What a topic page teaches, as a box under its title ("" when the section has none). Inline
    colours: the box sits in a content page, which has the page stylesheet only."""
    if not objectives:
        return ""
    small = f"font-size: {theme.font_pt * 0.9:.1f}pt;"
    items = "".join(f'<li style="{small}">{html.escape(o.text)}</li>' for o in objectives)
    return (f'<table width="98%" cellspacing="0" cellpadding="6"><tr><td style="background-color: '
            f'{theme.table_head}; border: 1px solid {theme.border}; {small}">'
            f"<b>After this page you should be able to:</b><ul>{items}</ul></td></tr></table>")
