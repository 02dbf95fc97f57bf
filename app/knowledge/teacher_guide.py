"""The teacher guide (content/teacher_guide.yaml): a timed storyline for a lecture segment, built
from the guided tours, loaded into frozen objects and checked as `file:line: message`. Each tour's
own teaching notes (objectives, timings, misconceptions, a suggested question) live in its tour
file (app.knowledge.tour_learning)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.knowledge.content import _load_yaml_file
from app.knowledge.pages import LINK_RE
from app.knowledge.problems import Problem, rel
from app.knowledge.yamlio import finite_number, line_of
from app.model.numbers import shown

GUIDE_KEYS = ("title", "intro", "storyline")
STORYLINE_KEYS = ("title", "minutes", "segments")
SEGMENT_KEYS = ("title", "minutes", "tour", "steps", "show", "say", "ask")


@dataclass(frozen=True)
class Segment:
    """One part of the storyline: what to show (a tour's steps, or a setting in words), what to
    say, and optionally a question for the hall."""

    title: str
    minutes: float
    say: str  # markdown: the message of this part
    show: str = ""  # markdown: what to do in the app, when no tour steps are named
    tour: str = ""  # a tour id
    steps: tuple[int, ...] = ()  # 1-based steps of that tour
    ask: str = ""  # a question id of the bank (app.quiz.learning checks it)
    line: int = 0


@dataclass(frozen=True)
class TeacherGuide:
    title: str
    intro: str  # markdown
    storyline_title: str
    minutes: float
    segments: tuple[Segment, ...]
    file: str = ""


def _text(raw: dict, key: str, what: str, ln: int, problems: list[Problem], name: str, *,
          required: bool = True) -> str:
    value = raw.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(name, ln, f"{what}: {shown(key)} must be text"))
        return ""
    return " ".join(value.split()) if key == "title" else value.strip()


def _links(text: str, what: str, ln: int, learning: Any, references: frozenset[str] | None,
           problems: list[Problem], name: str) -> int:
    cites = 0
    for m in LINK_RE.finditer(text):
        scheme, target = m.group(1).lower(), m.group(2)
        if scheme == "ref":
            cites += 1
            if references is not None and target not in references:
                problems.append(Problem(name, ln, f"{what}: unknown reference key {shown(target)}"))
        elif scheme == "topic" and learning is not None and target not in {p.id for p in learning.sections.values()} \
                and target not in ("overview", "help", "about-model"):
            problems.append(Problem(name, ln, f"{what}: no topic page {shown(target)}"))
    return cites


def _segment(raw: Any, learning: Any, references: frozenset[str] | None, name: str,
             problems: list[Problem]) -> Segment | None:
    ln = line_of(raw)
    if not isinstance(raw, dict):
        problems.append(Problem(name, ln, "a storyline segment must be a mapping"))
        return None
    title = _text(raw, "title", "segment", ln, problems, name)
    what = f"segment {shown(title)}" if title else "segment"
    for key in raw:
        if key not in SEGMENT_KEYS:
            problems.append(Problem(name, ln, f"{what}: unknown key {shown(key)} (valid: {', '.join(SEGMENT_KEYS)})"))
    minutes = finite_number(raw.get("minutes"))
    if minutes is None or minutes <= 0:
        problems.append(Problem(name, ln, f"{what}: 'minutes' must be a positive number"))
        minutes = 0.0
    say = _text(raw, "say", what, ln, problems, name)
    show = _text(raw, "show", what, ln, problems, name, required=False)
    tour = raw.get("tour", "")
    steps: tuple[int, ...] = ()
    if tour:
        # No tours at all means they could not be read (a broken pathway): their loader says why.
        tours = learning.tours if learning is not None and learning.tours else None
        if not isinstance(tour, str) or (tours is not None and tour not in tours):
            problems.append(Problem(name, ln, f"{what}: unknown tour {shown(tour)}"))
            tour = ""
        else:
            raw_steps = raw.get("steps", [])
            n = len(tours[tour].steps) if tours is not None else None
            if not isinstance(raw_steps, list) or not raw_steps or \
                    not all(isinstance(s, int) and not isinstance(s, bool) and s >= 1 and (n is None or s <= n)
                            for s in raw_steps):
                problems.append(Problem(name, ln, f"{what}: 'steps' must list step numbers of tour {shown(tour)} "
                                                  f"(1-{n if n is not None else '…'})"))
            else:
                steps = tuple(raw_steps)
    elif "steps" in raw:
        problems.append(Problem(name, ln, f"{what}: 'steps' needs a 'tour'"))
    if not tour and not show:
        problems.append(Problem(name, ln, f"{what}: say what to show: a 'tour' with 'steps', or 'show' text"))
    for text in (say, show):
        _links(text, what, ln, learning, references, problems, name)
    ask = raw.get("ask", "")
    if ask and not isinstance(ask, str):
        problems.append(Problem(name, ln, f"{what}: 'ask' must be a question id"))
        ask = ""
    return Segment(title=title, minutes=minutes, say=say, show=show, tour=tour, steps=steps, ask=ask, line=ln)


def load_guide(root: Path, learning: Any = None, references: frozenset[str] | None = None
               ) -> tuple[TeacherGuide | None, list[Problem]]:
    """content/teacher_guide.yaml; (None, []) when it does not exist. With `learning`
    (app.knowledge.learning.Learning) tour ids and steps are checked."""
    path = root / "teacher_guide.yaml"
    name = rel(path, root)
    problems: list[Problem] = []
    data = _load_yaml_file(path, name, problems)
    if data is None:
        return None, problems
    if not isinstance(data, dict) or not isinstance(data.get("storyline"), dict):
        problems.append(Problem(name, 1, "expected a mapping with 'title', 'intro' and a 'storyline'"))
        return None, problems
    for key in data:
        if key not in GUIDE_KEYS:
            problems.append(Problem(name, 1, f"unknown key {shown(key)} (valid: {', '.join(GUIDE_KEYS)})"))
    title = _text(data, "title", "the guide", 1, problems, name)
    intro = _text(data, "intro", "the guide", 1, problems, name)
    story = data["storyline"]
    sl = line_of(story)
    for key in story:
        if key not in STORYLINE_KEYS:
            problems.append(Problem(name, sl, f"storyline: unknown key {shown(key)} "
                                              f"(valid: {', '.join(STORYLINE_KEYS)})"))
    story_title = _text(story, "title", "storyline", sl, problems, name)
    minutes = finite_number(story.get("minutes"))
    if minutes is None or minutes <= 0:
        problems.append(Problem(name, sl, "storyline: 'minutes' must be a positive number"))
        minutes = 0.0
    raw_segments = story.get("segments")
    if not isinstance(raw_segments, list) or len(raw_segments) < 2:
        problems.append(Problem(name, sl, "storyline: 'segments' must list at least two segments"))
        raw_segments = []
    segments = tuple(s for s in (_segment(r, learning, references, name, problems) for r in raw_segments) if s)
    total = sum(s.minutes for s in segments)
    if segments and abs(total - minutes) > 0.01:
        problems.append(Problem(name, sl, f"storyline: the segments take {total:g} minutes but 'minutes' says "
                                          f"{minutes:g}"))
    cites = sum(_links(s.say, "", 0, None, None, [], name) for s in segments)
    if segments and cites == 0:
        problems.append(Problem(name, sl, "storyline: no segment cites a source ([Author, year](ref:key))"))
    return TeacherGuide(title=title, intro=intro, storyline_title=story_title, minutes=minutes,
                        segments=segments, file=name), problems
