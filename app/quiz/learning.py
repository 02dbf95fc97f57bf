"""Checks that tie the question bank to the learning content: every question tests an objective of
its section and every objective is tested, the bank's balance across sections follows the review,
tour check questions exist (or, written out, are valid questions), and no question uses an
abbreviation it does not define."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from app.knowledge.content import Content
from app.knowledge.learning import APP, Learning, load_learning
from app.knowledge.problems import Problem, rel
from app.knowledge.teacher_handout import QuestionText
from app.knowledge.weights import TOLERANCE_PP, load_weights
from app.model.numbers import shown, shown_names
from app.model.simulation import Model
from app.quiz.bank import Bank, _Bad, parse_question
from app.quiz.questions import Question

# Tokens that look like abbreviations: two capitals or more (FAC, TfR1, NF-κB, BM-MSCs), or a capital
# followed somewhere by a digit (Runx2).
_ABBR = re.compile(r"(?<![\w-])([\w+-]*[A-Z][\w+-]*[A-Z][\w+-]*|[\w-]*[A-Z][\w-]*\d[\w-]*)(?![\w-])")
# Known to every reader of a biology text; no spelling out needed.
COMMON_ABBREVIATIONS = frozenset({"DNA", "RNA", "mRNA"})


def hand_written(bank: Bank) -> tuple[Question, ...]:
    return tuple(q for q in bank.questions if not q.generated)


def question_objectives(bank: Bank, learning: Learning) -> dict[str, tuple[str, ...]]:
    """Question id -> the objectives it tests: those its file names plus those whose `questions:`
    list names it (for files whose authors keep objectives out, such as the prediction file)."""
    out: dict[str, list[str]] = {q.id: list(q.objectives) for q in hand_written(bank)}
    if learning.objectives is not None:
        for o in learning.objectives.all:
            for qid in o.questions:
                if qid in out and o.id not in out[qid]:
                    out[qid].append(o.id)
    return {k: tuple(v) for k, v in out.items()}


def objective_questions(bank: Bank, learning: Learning) -> dict[str, tuple[str, ...]]:
    """Objective id -> the questions that test it (in bank order)."""
    out: dict[str, list[str]] = {o.id: [] for o in learning.objectives.all} if learning.objectives else {}
    for qid, objs in question_objectives(bank, learning).items():
        for o in objs:
            out.setdefault(o, []).append(qid)
    return {k: tuple(v) for k, v in out.items()}


def _objective_problems(bank: Bank, learning: Learning, root: Path) -> list[Problem]:
    if learning.objectives is None:
        return []
    objectives = learning.objectives
    by_id = {o.id: o for o in objectives.all}
    name = objectives.file or rel(root / "objectives.yaml", root)
    out: list[Problem] = []
    questions = {q.id: q for q in hand_written(bank)}
    for o in objectives.all:
        for qid in o.questions:
            q = questions.get(qid)
            if q is None:
                out.append(Problem(name, o.line, f"objective {shown(o.id)} names unknown question {shown(qid)}"))
            elif o.section != q.section:
                out.append(Problem(name, o.line, f"objective {shown(o.id)} (section {o.section}) names question "
                                                 f"{shown(qid)} of section {q.section}"))
    mapped = question_objectives(bank, learning)
    for q in questions.values():
        objs = mapped.get(q.id, ())
        for oid in q.objectives:
            o = by_id.get(oid)
            if o is None:
                out.append(Problem(q.file, q.line, f"question {shown(q.id)}: unknown objective {shown(oid)}"))
            elif o.section != q.section:
                out.append(Problem(q.file, q.line, f"question {shown(q.id)} (section {q.section}) names objective "
                                                   f"{shown(oid)} of section {o.section}"))
        if not any(by_id.get(o) is not None and by_id[o].section == q.section for o in objs):
            mine = ", ".join(o.id for o in objectives.of_section(q.section)) or "none written yet"
            out.append(Problem(q.file, q.line, f"question {shown(q.id)} tests no objective of section {q.section} "
                                               f"(add 'objectives: [...]'; the section's: {mine})"))
    tested = objective_questions(bank, learning)
    for o in objectives.all:
        if o.section != APP and not tested.get(o.id):
            out.append(Problem(name, o.line, f"objective {shown(o.id)} has no question that tests it"))
    return out


def balance(bank: Bank, weights: Mapping[str, int]) -> dict[str, tuple[float, float]]:
    """Section -> (share of the hand-written bank, share of the review's words), in percent."""
    counts = Counter(q.section for q in hand_written(bank))
    n, total = sum(counts.values()), sum(weights.values())
    return {s: (100 * counts.get(s, 0) / n if n else 0.0, 100 * w / total if total else 0.0)
            for s, w in weights.items()}


def _balance_problems(bank: Bank, root: Path, sections: Iterable[str]) -> list[Problem]:
    weights, problems = load_weights(root, sections)
    if weights is None:
        return problems
    for section, (bank_pct, review_pct) in balance(bank, weights.words).items():
        if abs(bank_pct - review_pct) > TOLERANCE_PP:
            n = len(hand_written(bank))
            want = round(review_pct * n / 100)
            have = sum(1 for q in hand_written(bank) if q.section == section)
            problems.append(Problem(weights.file, weights.lines.get(section, 1),
                                    f"section {section} holds {bank_pct:.1f} % of the questions ({have}) but "
                                    f"{review_pct:.1f} % of the review's text: aim for about {want} of {n} "
                                    f"(within {TOLERANCE_PP:g} percentage points)"))
    return problems


def _tour_check_problems(bank: Bank, learning: Learning, model: Model | None, root: Path) -> list[Problem]:
    out: list[Problem] = []
    for tour in learning.tours.values():
        check = getattr(tour, "check", None)
        if check is None:
            continue
        if isinstance(check, str):
            if bank.get(check) is None or bank.get(check).generated:  # type: ignore[union-attr]
                out.append(Problem(tour.file, tour.line, f"tour {shown(tour.id)}: 'check' names unknown question "
                                                         f"{shown(check)} (not in content/quizzes)"))
            continue
        try:
            inline_question(tour.id, check, tour.file, bank, model, root)
        except _Bad as exc:
            out.append(Problem(tour.file, exc.line, f"tour {shown(tour.id)}: check question: {exc}"))
    return out


def inline_question(tour_id: str, raw: Mapping, file: str, bank: Bank, model: Model | None,
                    root: Path, content: Content | None = None) -> Question:
    """A check question written out in a tour file, read exactly as the bank reads its questions
    (its id defaults to `tour-<tour id>-check`); raises _Bad(line, message). `content`: `root`
    already loaded (else it is loaded here)."""
    from app.knowledge.content import load_content

    content = content or load_content(root)
    node_ids = content.pathway.node_ids if content.pathway.nodes else None
    treatments = list(model.treatments) if model is not None else None
    defaults = {"id": f"tour-{tour_id}-check"}
    q = parse_question(raw, file, defaults=defaults, node_ids=node_ids, treatments=treatments)
    if content.references:
        missing = [c for c in q.cite if c not in content.references]
        if missing:
            raise _Bad(q.line, f"unknown reference key(s): {shown_names(missing)}")
    kind, pid = q.page.split(":", 1)
    if content.page(kind, pid) is None:
        raise _Bad(q.line, f"'page' {shown(q.page)} does not exist in content/")
    if bank.get(q.id) is not None:
        raise _Bad(q.line, f"question id {shown(q.id)} is already used in the bank")
    return q


def tour_check_question(tour: object, bank: Bank, model: Model | None, root: Path,
                        content: Content | None = None) -> Question | None:
    """The question a tour ends with (None if it has none or it is broken; check-content says why)."""
    check = getattr(tour, "check", None)
    if isinstance(check, str):
        return bank.get(check)
    if isinstance(check, Mapping):
        try:
            return inline_question(getattr(tour, "id", ""), check, getattr(tour, "file", ""), bank, model, root,
                                   content)
        except _Bad:
            return None
    return None


def defined_terms(root: Path, model: Model | None) -> tuple[frozenset[str], dict[str, str]]:
    """(names a reader can look up on the diagram or in the treatment list, abbreviation ->
    expansion from the glossary)."""
    from app.knowledge.content import load_content

    content = load_content(root)
    names: set[str] = set(COMMON_ABBREVIATIONS)
    for n in content.pathway.nodes:
        for text in (n.label, n.abbreviation, *n.aliases):
            names.update(t for t in re.split(r"[\s()/,]+", text) if t)
    if model is not None:
        for t in model.treatments.values():
            m = re.search(r"\(([^)]+)\)\s*$", t.name)  # "Astragalus polysaccharide (APS)"
            if m:
                names.add(m.group(1))
    expansions = {g.term: g.expansion for g in content.glossary if g.expansion}
    for g in content.glossary:
        for v in g.variants:
            if g.expansion:
                expansions.setdefault(v, g.expansion)
    return frozenset(names), expansions


def _question_text(q: Question) -> str:
    parts = [q.prompt]
    for key in ("choices", "steps"):
        parts += [c.text for c in getattr(q, key, ()) or ()]
    for a, b in getattr(q, "pairs", ()) or ():
        parts += [a, b]
    return "\n".join(parts)


def undefined_terms(q: Question, names: frozenset[str], expansions: Mapping[str, str]) -> list[str]:
    """Abbreviations in what the student reads before answering (prompt and options) that are
    neither on the diagram, nor a treatment's short name, nor spelled out in the question."""
    text = _question_text(q)
    lowered = text.lower()
    out: list[str] = []
    for m in _ABBR.finditer(text):
        token = m.group(1).strip("-+")
        parts = token.split("-")
        prefixes = {"-".join(parts[: i + 1]) for i in range(len(parts))}
        if prefixes & names:
            continue
        expansion = expansions.get(token, "")
        if expansion and expansion.lower() in lowered:
            continue
        if token not in out:
            out.append(token)
    return out


def _term_problems(bank: Bank, root: Path, model: Model | None) -> list[Problem]:
    if model is None:  # a broken pathway: its own problems say why; the diagram's names are unknown
        return []
    names, expansions = defined_terms(root, model)
    out = []
    for q in hand_written(bank):
        for term in undefined_terms(q, names, expansions):
            hint = f" (e.g. '{expansions[term]} ({term})')" if term in expansions else ""
            out.append(Problem(q.file, q.line, f"question {shown(q.id)} uses {shown(term)} without defining "
                                               f"it: spell it out in the question{hint} or use a name shown on "
                                               "the diagram"))
    return out


def check_learning(root: Path, bank: Bank, model: Model | None, learning: Learning | None = None) -> list[Problem]:
    """The bank against the learning content (see the module's first line). Problems of the
    learning files themselves are reported by app.knowledge.content.check_content."""
    learning = learning or load_learning(root)
    problems = _objective_problems(bank, learning, root)
    problems += _balance_problems(bank, root, learning.sections)
    problems += _tour_check_problems(bank, learning, model, root)
    problems += _term_problems(bank, root, model)
    from app.knowledge.teacher_guide import load_guide

    guide, _ = load_guide(root, learning)
    if guide is not None:
        for seg in guide.segments:
            if seg.ask and (bank.get(seg.ask) is None):
                problems.append(Problem(guide.file, seg.line, f"storyline segment {shown(seg.title)}: 'ask' names "
                                                              f"unknown question {shown(seg.ask)}"))
    return problems


def question_text(q: Question, model: Model | None = None) -> QuestionText:
    """A question as printed on paper (the teacher's handout): lettered options and the answer."""
    from app.quiz.questions import (
        ClickNode,
        Matching,
        MultipleAnswer,
        Numeric,
        Ordering,
        Predict,
        SingleChoice,
        TrueFalse,
    )

    def label(node: str) -> str:
        if model is not None and model.pathway.has_node(node):
            return model.pathway.node(node).label
        return node

    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    if isinstance(q, (SingleChoice, MultipleAnswer)):
        opts = tuple(f"{letters[i]}. {c.text}" for i, c in enumerate(q.choices))
        right = [q.answer] if isinstance(q, SingleChoice) else [c.id for c in q.choices if c.id in q.answers]
        answer = "; ".join(f"{letters[i]}. {c.text}" for i, c in enumerate(q.choices) if c.id in right)
        return QuestionText(prompt=q.prompt, options=opts, answer=answer)
    if isinstance(q, TrueFalse):
        return QuestionText(prompt=q.prompt, options=("True", "False"), answer="True" if q.answer else "False")
    if isinstance(q, Predict):
        opts = tuple(f"{label(t)}: up, down or no change?" for t in q.targets)
        answer = "graded by the model"
        if model is not None:
            from app.quiz.grading import model_directions

            words = {"up": "up", "down": "down", "none": "no change"}
            dirs = model_directions(model, q)
            answer = "; ".join(f"{label(t)} {words[dirs[t][0]]}" for t in q.targets) + " (the model's answer)"
        return QuestionText(prompt=q.prompt, options=opts, answer=answer)
    if isinstance(q, Ordering):
        return QuestionText(prompt=q.prompt, options=tuple(s.text for s in q.presented(0)),
                            answer=" → ".join(s.text for s in q.steps))
    if isinstance(q, Matching):
        return QuestionText(prompt=q.prompt, options=tuple(left for left, _ in q.pairs),
                            answer="; ".join(f"{a} = {b}" for a, b in q.pairs))
    if isinstance(q, Numeric):
        unit = f" {q.unit}" if q.unit else ""
        tol = f" (± {q.tolerance:g})" if q.tolerance else ""
        return QuestionText(prompt=q.prompt, answer=f"{q.answer:g}{unit}{tol}")
    if isinstance(q, ClickNode):
        return QuestionText(prompt=q.prompt, answer=", ".join(label(n) for n in sorted(q.answers)))
    return QuestionText(prompt=q.prompt)


def handout_questions(bank: Bank, learning: Learning, model: Model | None, root: Path) -> dict[str, QuestionText]:
    """Every question the teacher's handout may print: the bank's by id, and each tour's written-out
    check question under `tour:<tour id>`."""
    out = {q.id: question_text(q, model) for q in bank.questions}
    for tour in learning.tours.values():
        if isinstance(getattr(tour, "check", None), Mapping):
            q = tour_check_question(tour, bank, model, root)
            if q is not None:
                out[f"tour:{tour.id}"] = question_text(q, model)
    return out
