"""A tour being recorded by a lecturer, step by step, without Qt: each step holds the whole state to
show (inputs, page, traced path, caption), steps can be added, edited, moved and deleted, and the
draft is saved as tour YAML in the user's tour folder, checked exactly like the built-in tours."""

# Each recorded step names every input (sliders, scenario, treatments, knock-outs) rather than only
# what changed: a built-in step leaves out what stays, but a recorded step must stay right when the
# lecturer later moves or deletes the one before it. The tour then plays with the built-ins' step
# semantics (app.knowledge.tour_plan: every step is replayed from the reference state, so Previous
# lands exactly where Next did).

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from app.knowledge.problems import Problem
from app.knowledge.tours import MIN_STEPS, MINUTES_RANGE, USER_PREFIX, Known, Tour, TourStep, parse_tour
from app.knowledge.userdata import TOURS, atomic_write, free_name, load_user_yaml, slug, user_folder
from app.knowledge.yamlio import YamlError
from app.model.simulation import Inputs

MAX_STEPS = 40  # a class is 3-10 minutes per tour; forty steps is already far more than that


class TourDraftError(ValueError):
    """The draft cannot be saved; `problems` are the checker's messages, one per line of `str()`."""

    def __init__(self, message: str, problems: Sequence[Problem] = ()) -> None:
        self.problems = tuple(problems)
        lines = [message, *(f"  {p.message}" for p in problems)]  # each names its step; YAML lines mean nothing here
        super().__init__("\n".join(lines))


@dataclass(frozen=True, kw_only=True)
class DraftStep:
    """One recorded step: what the app shows while the caption is read."""

    caption: str  # markdown, shown through the one sanitising renderer
    estrogen: float | None = None
    ferritin: float | None = None
    scenario: str | None = None
    treatments: tuple[str, ...] = ()
    knockouts: tuple[str, ...] = ()
    page: str = ""  # node:<id> or topic:<id>
    path: tuple[str, ...] = ()  # a traced chain of edges
    highlight: tuple[str, ...] = ()
    years: float = 0.0  # model time the step plays

    @classmethod
    def record(cls, inputs: Inputs, *, caption: str, scenario: str | None = None, page: str = "",
               path: Iterable[str] = (), highlight: Iterable[str] = (), years: float = 0.0) -> DraftStep:
        """The app's current state as a step (what the GUI's 'Add step' passes in)."""
        return cls(caption=caption, estrogen=float(inputs.estrogen), ferritin=float(inputs.ferritin),
                   scenario=scenario, treatments=tuple(inputs.treatments), knockouts=tuple(inputs.knockouts),
                   page=page, path=tuple(path), highlight=tuple(highlight), years=float(years))

    def to_yaml(self) -> dict[str, Any]:
        out: dict[str, Any] = {"caption": self.caption}
        if self.scenario:
            out["scenario"] = self.scenario
        values = {k: v for k, v in (("estrogen", self.estrogen), ("ferritin", self.ferritin)) if v is not None}
        if values:
            out["set"] = values
        out["treatments"] = list(self.treatments)
        out["knockouts"] = list(self.knockouts)
        if self.highlight:
            out["highlight"] = list(self.highlight)
        if self.path:
            out["path"] = list(self.path)
        if self.years:
            out["years"] = self.years
        if self.page:
            out["page"] = self.page
        return out

    @classmethod
    def from_step(cls, step: TourStep) -> DraftStep:
        return cls(caption=step.caption, estrogen=step.estrogen, ferritin=step.ferritin, scenario=step.scenario,
                   treatments=tuple(step.treatments or ()), knockouts=tuple(step.knockouts or ()), page=step.page,
                   path=step.path, highlight=step.highlight, years=step.years)


@dataclass(kw_only=True)
class TourDraft:
    """An editable tour: title, summary, minutes and the steps in order."""

    title: str = ""
    summary: str = ""
    minutes: float | None = None  # None: one minute a step, within 3-10
    steps: list[DraftStep] = field(default_factory=list)
    name: str = ""  # file stem once saved (user:<name> is the tour's id); "" until then

    # --- editing ---
    def add(self, step: DraftStep, index: int | None = None) -> int:
        """Insert `step` at `index` (default: at the end); its index."""
        if len(self.steps) >= MAX_STEPS:
            raise TourDraftError(f"a tour has at most {MAX_STEPS} steps")
        index = len(self.steps) if index is None else self._index(index, insert=True)
        self.steps.insert(index, step)
        return index

    def edit(self, index: int, **changes: Any) -> DraftStep:
        """Change fields of step `index` (e.g. caption=..., page=...); the new step."""
        i = self._index(index)
        self.steps[i] = replace(self.steps[i], **changes)
        return self.steps[i]

    def replace_step(self, index: int, step: DraftStep) -> None:
        """Re-record step `index` from the app's state."""
        self.steps[self._index(index)] = step

    def delete(self, index: int) -> DraftStep:
        return self.steps.pop(self._index(index))

    def move(self, index: int, to: int) -> None:
        """Move step `index` so that it becomes step `to`."""
        step = self.steps.pop(self._index(index))
        self.steps.insert(max(0, min(int(to), len(self.steps))), step)

    def _index(self, index: int, *, insert: bool = False) -> int:
        n = len(self.steps) + (1 if insert else 0)
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < max(n, 1) or \
                (not insert and not self.steps):
            raise IndexError(f"no step {index} (the tour has {len(self.steps)})")
        return index

    # --- YAML ---
    @property
    def tour_id(self) -> str:
        return f"{USER_PREFIX}{self.name or slug(self.title, fallback='tour')}"

    def estimated_minutes(self) -> float:
        lo, hi = MINUTES_RANGE
        return float(self.minutes) if self.minutes is not None else float(max(lo, min(hi, len(self.steps))))

    def to_data(self) -> dict[str, Any]:
        return {"id": self.tour_id, "title": self.title.strip(), "minutes": self.estimated_minutes(),
                "summary": self.summary.strip(), "steps": [s.to_yaml() for s in self.steps]}

    def to_yaml(self) -> str:
        header = "# A tour recorded in IronBone (Teach ▸ Record a tour). Same format as content/tours/.\n"
        return header + yaml.safe_dump(self.to_data(), allow_unicode=True, sort_keys=False, width=100)

    def check(self, known: Known) -> tuple[Tour | None, list[Problem]]:
        """The tour as the app will load it, and every problem the tour checker finds."""
        problems: list[Problem] = []
        if len(self.steps) < MIN_STEPS:
            problems.append(Problem("draft", 1, f"a tour needs at least {MIN_STEPS} steps ({len(self.steps)} so far)"))
        text = self.to_yaml()
        try:
            data = load_user_yaml(text)
        except YamlError as exc:  # cannot happen for what to_yaml writes; kept as a clear error all the same
            return None, [*problems, Problem("draft", exc.line, str(exc))]
        tour, found = parse_tour(data, "draft", known, user=True)
        return tour, problems + found  # each says which step ("step 2: ...")

    def save(self, known: Known, *, folder: Path | None = None) -> Path:
        """Write <folder>/<name>.yaml atomically if the checker finds nothing wrong (a new draft gets a
        free name from its title); TourDraftError listing every problem otherwise."""
        if not self.title.strip():
            raise TourDraftError("the tour needs a title")
        folder = folder if folder is not None else user_folder(TOURS)
        name = self.name or free_name(folder, slug(self.title, fallback="tour"))
        draft = replace(self, name=name)
        tour, problems = draft.check(known)
        if problems or tour is None:
            raise TourDraftError("the tour cannot be saved yet:", problems)
        if len(tour.steps) != len(self.steps):
            raise TourDraftError("a step could not be read back; nothing saved")
        path = folder / f"{name}.yaml"
        atomic_write(path, draft.to_yaml().encode("utf-8"))
        self.name = name
        return path

    @classmethod
    def from_tour(cls, tour: Tour) -> TourDraft:
        """A saved user tour, to edit (its name and so its id stay)."""
        name = tour.id[len(USER_PREFIX):] if tour.id.startswith(USER_PREFIX) else ""
        return cls(title=tour.title, summary=tour.summary, minutes=tour.minutes,
                   steps=[DraftStep.from_step(s) for s in tour.steps], name=name)


def delete_user_tour(name: str, *, folder: Path | None = None) -> None:
    folder = folder if folder is not None else user_folder(TOURS)
    path = folder / f"{name}.yaml"
    if not name or slug(name, fallback="") != name or not path.is_file():
        raise TourDraftError(f"no user tour named {name!r}")
    path.unlink()
