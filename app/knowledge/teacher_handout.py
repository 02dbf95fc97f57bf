"""The printable teacher's handout: the 20-minute storyline and, for every guided tour, its
objectives, timings per step, common misconceptions, a suggested question, the recap and the check
question, as one PrintDoc (app.knowledge.printable) the GUI prints to PDF."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from app.knowledge.content import Content
from app.knowledge.learning import Learning
from app.knowledge.printable import PrintDoc
from app.knowledge.search import plain_text
from app.knowledge.teacher_guide import TeacherGuide

TITLE = "IronBone teacher guide"


@dataclass(frozen=True)
class QuestionText:
    """A question as the handout prints it (app.quiz.learning.question_text builds one)."""

    prompt: str
    options: tuple[str, ...] = ()
    answer: str = ""


def headline(caption: str) -> str:
    """A step's one-line headline: its opening bold phrase ("**Where we start.**"), else its first
    sentence, as plain text."""
    text = caption.strip()
    if text.startswith("**") and "**" in text[2:]:
        return text[2 : text.index("**", 2)].strip().rstrip(".")
    first = plain_text(text).split(". ")[0]
    return first if len(first) <= 90 else first[:87] + "…"


def _question_rows(q: QuestionText | None, fallback: str) -> str:
    if q is None:
        return fallback
    opts = "".join(f"\n- {o}" for o in q.options)
    answer = f"\n\n*Answer:* {q.answer}" if q.answer else ""
    return f"{q.prompt}{opts}{answer}"


def teacher_handout(content: Content, learning: Learning, guide: TeacherGuide | None,
                    question: Callable[[str], QuestionText | None] | Mapping[str, QuestionText] | None = None,
                    *, date: str = "") -> PrintDoc:
    """The handout as a PrintDoc. `question(id)` (or a mapping) gives the text of the bank questions
    the storyline and the tours name; tours' written-out check questions are passed the same way,
    under the id `tour:<tour id>`."""
    lookup: Callable[[str], QuestionText | None]
    if question is None:
        lookup = lambda _qid: None  # noqa: E731
    elif isinstance(question, Mapping):
        lookup = question.get  # type: ignore[assignment]
    else:
        lookup = question
    doc = PrintDoc(TITLE, subtitle=f"Storyline, tours and questions for a lecture.{' ' + date if date else ''}",
                   references=content.references)
    if guide is not None:
        if guide.intro:
            doc.markdown(guide.intro)
        doc.heading(f"{guide.storyline_title} ({guide.minutes:g} minutes)", 2, anchor="storyline")
        plan, clock = [], 0.0
        for i, seg in enumerate(guide.segments, start=1):
            tour = learning.tours.get(seg.tour) if seg.tour else None
            what = f"tour “{tour.title}”, steps {', '.join(map(str, seg.steps))}" if tour is not None else "by hand"
            plan.append([f"{i}. {seg.title}", f"{clock:g}–{clock + seg.minutes:g}", what])
            clock += seg.minutes
        doc.table(["Segment", "Minutes", "Show"], plan, widths=[35, 15, 50])
        clock = 0.0
        for i, seg in enumerate(guide.segments, start=1):
            doc.heading(f"{i}. {seg.title} ({clock:g}–{clock + seg.minutes:g} min)", 3)
            clock += seg.minutes
            tour = learning.tours.get(seg.tour) if seg.tour else None
            show = ""
            if tour is not None:
                steps = "; ".join(f"step {n}, {headline(tour.steps[n - 1].caption)}" for n in seg.steps)
                show = f"Tour “{tour.title}”: {steps}."
            if seg.show:
                show = f"{show} {seg.show}".strip()
            doc.table(["Show", "Say"], [[show, seg.say]], widths=[50, 50])
            if seg.ask:
                doc.markdown("**Ask the hall.** " + _question_rows(lookup(seg.ask), f"question {seg.ask}"))
    objectives = {o.id: o for o in learning.objectives.all} if learning.objectives is not None else {}
    order = list(learning.path.tours()) if learning.path is not None else []
    tours = sorted(learning.tours.values(), key=lambda t: (order.index(t.id) if t.id in order else len(order), t.id))
    for n, tour in enumerate(tours):
        doc.heading(f"Tour: {tour.title} ({tour.minutes:g} minutes)", 2, new_page=(n == 0), anchor=f"tour-{tour.id}")
        doc.markdown(tour.summary)
        objs = [objectives[o].text for o in tour.objectives if o in objectives]
        if objs:
            doc.text("After this tour students should be able to:", "muted")
            doc.bullets(objs)
        teacher = tour.teacher
        minutes = teacher.step_minutes if teacher is not None and teacher.step_minutes else ()
        rows = [[str(i), headline(step.caption), f"{minutes[i - 1]:g}" if minutes else ""]
                for i, step in enumerate(tour.steps, start=1)]
        if minutes:
            rows.append(["", "Recap and check question", f"{tour.minutes - sum(minutes):g}"])
        doc.table(["Step", "Headline", "Minutes"], rows, widths=[8, 77, 15])
        if teacher is not None and teacher.misconceptions:
            doc.heading("Common misconceptions", 3)
            doc.table(["Students often think", "What is so instead"],
                      [[m.belief, m.correction] for m in teacher.misconceptions], widths=[40, 60])
        if teacher is not None and teacher.ask:
            doc.heading("A question for the hall", 3)
            doc.markdown(f"{teacher.ask}\n\n*A good answer:* {teacher.answer}")
        if tour.recap:
            doc.heading("Recap (shown after the last step)", 3)
            doc.markdown(tour.recap)
        if tour.check is not None:
            doc.heading("Check question", 3)
            qid = tour.check if isinstance(tour.check, str) else f"tour:{tour.id}"
            doc.markdown(_question_rows(lookup(qid), f"question {qid}"))
        if tour.next and tour.next in learning.tours:
            doc.text(f"Next: the tour “{learning.tours[tour.next].title}”.", "muted")
    return doc
