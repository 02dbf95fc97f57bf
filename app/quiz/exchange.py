"""Exchange with an LMS: every question as its Moodle equivalent, written as GIFT or Moodle XML, and
GIFT and Moodle XML import (unsupported constructs reported with their line, the rest imported)."""

# Equivalents (issue 5): click-the-node -> a choice among node names; ordering -> matching (step ->
# position); prediction -> multiple answer, keyed by running the model at export time. GIFT escaping
# follows Moodle's GIFT documentation: the characters ~ = # { } : are preceded by a backslash, a
# backslash itself is doubled, and a line break inside a text is written as \n.

from __future__ import annotations

import html
import html.parser
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from app.model.simulation import Model
from app.quiz.questions import (
    MIN_OPTIONS,
    ClickNode,
    Matching,
    MultipleAnswer,
    Numeric,
    Ordering,
    Predict,
    Question,
    SingleChoice,
    TrueFalse,
)

GIFT_SPECIAL = "~=#{}:"


@dataclass(frozen=True, kw_only=True)
class LmsAnswer:
    text: str
    fraction: float  # percent, -100..100 (Moodle's grade of the option)
    feedback: str = ""


@dataclass(frozen=True, kw_only=True)
class LmsQuestion:
    """A question as an LMS sees it: multichoice, truefalse, matching or numerical."""

    kind: str
    name: str
    text: str
    category: str = ""
    general_feedback: str = ""
    single: bool = True  # multichoice: one answer (radio buttons) or several (check boxes)
    answers: tuple[LmsAnswer, ...] = ()  # multichoice
    truth: bool = True  # truefalse
    feedback_right: str = ""  # truefalse
    feedback_wrong: str = ""
    pairs: tuple[tuple[str, str], ...] = ()  # matching
    number: float = 0.0  # numerical
    tolerance: float = 0.0
    line: int = field(default=0, compare=False)  # where an imported question started


@dataclass(frozen=True, kw_only=True)
class ImportProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.line}: {self.message}"


@dataclass(frozen=True, kw_only=True)
class ImportResult:
    questions: tuple[LmsQuestion, ...]
    problems: tuple[ImportProblem, ...]


def _pct(x: float) -> float:
    return round(x, 5)  # Moodle stores grades with 5 decimals (33.33333 %)


def _labels(model: Model | None) -> dict[str, str]:
    if model is None:
        return {}
    return {n.id: n.label for n in model.pathway.nodes}


def _general(q: Question) -> str:
    page = f" (IronBone page: {q.page})" if q.page else ""
    cite = f" Source: Cai et al. 2023, section {q.section}." if q.section else ""
    return f"{q.explanation}{page}{cite}".strip()


def _click_options(q: ClickNode, model: Model | None) -> list[str]:
    """The correct nodes plus up to four nearby distractors (graph neighbours first)."""
    if model is None:
        raise ValueError("exporting a click-the-node question needs the model (for node names)")
    g = model.pathway.graph.to_undirected()
    import networkx as nx

    dist: dict[str, int] = {}
    for a in q.answers:
        for n, d in nx.single_source_shortest_path_length(g, a).items():
            dist[n] = min(d, dist.get(n, d))
    others = sorted((n for n in model.node_ids if n not in q.answers),
                    key=lambda n: (dist.get(n, 99), model.node_ids.index(n)))
    return [n for n in model.node_ids if n in q.answers or n in others[:4]]


def to_lms(q: Question, *, model: Model | None = None) -> LmsQuestion:
    """The LMS equivalent of `q` (prediction and click-the-node questions need the model)."""
    base = dict(name=q.id, text=q.prompt, category=f"IronBone/Section {q.section}", general_feedback=_general(q))
    if isinstance(q, SingleChoice):
        return LmsQuestion(kind="multichoice", single=True, **base, answers=tuple(
            LmsAnswer(text=c.text, fraction=100.0 if c.id == q.answer else 0.0, feedback=c.feedback)
            for c in q.choices))
    if isinstance(q, MultipleAnswer):
        n_ok, n_bad = len(q.answers), len(q.choices) - len(q.answers)
        return LmsQuestion(kind="multichoice", single=False, **base, answers=tuple(
            LmsAnswer(text=c.text, fraction=_pct(100 / n_ok) if c.id in q.answers else _pct(-100 / max(n_bad, 1)),
                      feedback=c.feedback) for c in q.choices))
    if isinstance(q, TrueFalse):
        return LmsQuestion(kind="truefalse", truth=q.answer, **base)
    if isinstance(q, ClickNode):
        labels = _labels(model)
        opts = _click_options(q, model)
        single = len(q.answers) == 1
        base["text"] = f"{q.prompt} (In IronBone you click the node on the diagram; here, choose its name.)"
        n_bad = max(len(opts) - len(q.answers), 1)
        return LmsQuestion(kind="multichoice", single=single, **base, answers=tuple(
            LmsAnswer(text=labels[n], fraction=(100.0 if single else _pct(100 / len(q.answers))) if n in q.answers
                      else (0.0 if single else _pct(-100 / n_bad))) for n in opts))
    if isinstance(q, Predict):
        if model is None:
            raise ValueError("exporting a prediction question needs the model (it keys the answers)")
        from app.model.why import label_in_sentence
        from app.quiz.grading import grade_predict

        graded = grade_predict(model, q, {})
        answers = []
        words = {"up": "goes up", "down": "goes down", "none": "does not change"}
        n = len(graded.marks)
        for m in graded.marks:
            label = label_in_sentence(model, m.node)
            for d in ("up", "down", "none"):
                ok = d == m.expected
                answers.append(LmsAnswer(text=f"{label[:1].upper()}{label[1:]} {words[d]}",
                                         fraction=_pct(100 / n) if ok else _pct(-100 / (2 * n)),
                                         feedback=m.why if ok else ""))
        base["text"] = f"{q.prompt} Tick one statement per node."
        return LmsQuestion(kind="multichoice", single=False, **base, answers=tuple(answers))
    if isinstance(q, Ordering):
        base["text"] = f"{q.prompt} (Give each step its position in the sequence.)"
        return LmsQuestion(kind="matching", **base,
                           pairs=tuple((s.text, f"step {i}") for i, s in enumerate(q.steps, 1)))
    if isinstance(q, Matching):
        return LmsQuestion(kind="matching", **base, pairs=q.pairs)
    if isinstance(q, Numeric):
        return LmsQuestion(kind="numerical", **base, number=q.answer, tolerance=q.tolerance)
    raise ValueError(f"no LMS equivalent for {type(q).__name__}")


# --- GIFT ------------------------------------------------------------------------------------

def gift_escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in GIFT_SPECIAL:
        out = out.replace(ch, "\\" + ch)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def gift_unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt == "n" else nxt)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def _num(x: float) -> str:
    s = repr(float(x))
    return s[:-2] if s.endswith(".0") else s


def _fb(text: str) -> str:
    return f"#{gift_escape(text)}" if text else ""


def gift_question(q: LmsQuestion) -> str:
    head = f"::{gift_escape(q.name)}::{gift_escape(q.text)}"
    gen = f"\n\t####{gift_escape(q.general_feedback)}" if q.general_feedback else ""
    if q.kind == "truefalse":
        fb = ""
        if q.feedback_wrong or q.feedback_right:
            fb = f"#{gift_escape(q.feedback_wrong)}#{gift_escape(q.feedback_right)}"
        return f"{head}{{{'TRUE' if q.truth else 'FALSE'}{fb}{gen}\n}}"
    if q.kind == "multichoice":
        lines = []
        for a in q.answers:
            if q.single and a.fraction == 100:
                lines.append(f"\t={gift_escape(a.text)}{_fb(a.feedback)}")
            elif q.single and a.fraction == 0:
                lines.append(f"\t~{gift_escape(a.text)}{_fb(a.feedback)}")
            else:
                lines.append(f"\t~%{_num(a.fraction)}%{gift_escape(a.text)}{_fb(a.feedback)}")
        return head + "{\n" + "\n".join(lines) + gen + "\n}"
    if q.kind == "matching":
        for a, b in q.pairs:
            if "->" in a or "->" in b:
                raise ValueError(f"{q.name}: GIFT cannot hold '->' inside a matching item")
        lines = [f"\t={gift_escape(a)} -> {gift_escape(b)}" for a, b in q.pairs]
        return head + "{\n" + "\n".join(lines) + gen + "\n}"
    if q.kind == "numerical":
        return f"{head}{{#\n\t={_num(q.number)}:{_num(q.tolerance)}{gen}\n}}"
    raise ValueError(f"GIFT has no form for {q.kind!r}")


def export_gift(questions: Iterable[LmsQuestion]) -> str:
    parts = ["// IronBone quiz bank, exported as Moodle GIFT (UTF-8). Source of the facts: Cai et al. 2023,",
             "// J Zhejiang Univ Sci B 24(4):301-311, doi:10.1631/jzus.B2200519.", ""]
    category = None
    for q in questions:
        if q.category and q.category != category:
            category = q.category
            parts += [f"$CATEGORY: {category}", ""]
        parts += [gift_question(q), ""]
    return "\n".join(parts)


def _split_unescaped(text: str, seps: str) -> list[tuple[str, str]]:
    """Split at unescaped separator characters: [(separator before, piece), ...]."""
    out: list[tuple[str, str]] = []
    cur, sep, i = [], "", 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            cur.append(text[i:i + 2])
            i += 2
            continue
        if c in seps:
            out.append((sep, "".join(cur)))
            cur, sep = [], c
        else:
            cur.append(c)
        i += 1
    out.append((sep, "".join(cur)))
    return out


def _find_unescaped(text: str, ch: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == ch:
            return i
        i += 1
    return -1


def _split_feedback(piece: str) -> tuple[str, str]:
    parts = _split_unescaped(piece, "#")
    body = parts[0][1]
    fb = "#".join(p for _, p in parts[1:])  # an unescaped # starts the feedback
    return body, fb


_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]")


def _parse_block(block: str, line: int, category: str) -> LmsQuestion:
    text = block.strip()
    name = ""
    if text.startswith("::"):
        end = _find_unescaped(text, ":", 2)
        while end != -1 and not text.startswith("::", end):
            end = _find_unescaped(text, ":", end + 1)
        if end == -1:
            raise _Unsupported("question name opened with :: but never closed")
        name, text = gift_unescape(text[2:end]).strip(), text[end + 2:].strip()
    text = _FORMAT.sub("", text)
    open_i = _find_unescaped(text, "{")
    if open_i == -1:
        raise _Unsupported("a description without an answer block is not a question IronBone can use")
    close_i = _find_unescaped(text, "}", open_i)
    if close_i == -1:
        raise _Unsupported("the answer block '{' is never closed")
    if text[close_i + 1:].strip():
        raise _Unsupported("missing-word (text after the answer block) questions are not supported")
    qtext = gift_unescape(text[:open_i]).strip()
    body = text[open_i + 1:close_i]
    general = ""
    gi = body.find("####")
    while gi != -1 and gi > 0 and body[gi - 1] == "\\":
        gi = body.find("####", gi + 1)
    if gi != -1:
        body, general = body[:gi], gift_unescape(body[gi + 4:]).strip()
    stripped = body.strip()
    base = dict(name=name or qtext[:40], text=qtext, category=category, general_feedback=general, line=line)
    if not stripped:
        raise _Unsupported("essay questions ({}) are not supported")
    head, _ = _split_feedback(stripped)
    if head.strip().upper() in ("T", "TRUE", "F", "FALSE"):
        fbs = _split_unescaped(stripped, "#")[1:]
        wrong = gift_unescape(fbs[0][1]).strip() if fbs else ""
        right = gift_unescape(fbs[1][1]).strip() if len(fbs) > 1 else ""
        return LmsQuestion(kind="truefalse", truth=head.strip().upper() in ("T", "TRUE"), feedback_right=right,
                           feedback_wrong=wrong, **base)
    if stripped.startswith("#"):
        pieces = [p for s, p in _split_unescaped(stripped[1:], "=") if p.strip() or s]
        pieces = [p for p in pieces if p.strip()]
        if len(pieces) != 1:
            raise _Unsupported("numerical questions with several graded answers are not supported")
        value, _fb_text = _split_feedback(pieces[0].strip())
        value = gift_unescape(value).strip()
        if _WEIGHT.match(value):
            raise _Unsupported("numerical answers with partial credit are not supported")
        try:
            if ".." in value:
                lo, hi = (float(v) for v in value.split(".."))
                number, tolerance = (lo + hi) / 2, abs(hi - lo) / 2
            else:
                num, _, tol = value.partition(":")
                number, tolerance = float(num), float(tol or 0)
        except ValueError:
            raise _Unsupported(f"cannot read the number {_short(value)}") from None
        if not (math.isfinite(number) and math.isfinite(tolerance)):  # nan, inf, 1e400
            raise _Unsupported(f"cannot read the number {_short(value)} (it must be finite)")
        if tolerance < 0:
            raise _Unsupported(f"the tolerance {_num(tolerance)} must not be negative")
        return LmsQuestion(kind="numerical", number=number, tolerance=tolerance, **base)
    parts = [(s, p) for s, p in _split_unescaped(stripped, "=~") if s]
    if not parts:
        raise _Unsupported("no answers found in the answer block")
    if all(s == "=" for s, _ in parts) and all("->" in p for _, p in parts):
        pairs = []
        for _, p in parts:
            left, _, right = p.partition("->")
            pairs.append((gift_unescape(left).strip(), gift_unescape(right).strip()))
        return LmsQuestion(kind="matching", pairs=tuple(pairs), **base)
    if all(s == "=" for s, _ in parts):
        raise _Unsupported("short-answer questions (typed text) are not supported")
    answers = []
    for s, p in parts:
        body_txt, fb = _split_feedback(p.strip())
        m = _WEIGHT.match(body_txt)
        if m:
            frac = float(m.group(1))
            body_txt = body_txt[m.end():]
        else:
            frac = 100.0 if s == "=" else 0.0
        answers.append(LmsAnswer(text=gift_unescape(body_txt).strip(), fraction=frac,
                                 feedback=gift_unescape(fb).strip()))
    if not any(a.fraction > 0 for a in answers):
        raise _Unsupported("none of the answers earns credit (mark the right one with = or a positive %weight%)")
    single = sum(a.fraction > 0 for a in answers) == 1 and all(a.fraction in (0.0, 100.0) for a in answers)
    return LmsQuestion(kind="multichoice", single=single, answers=tuple(answers), **base)


def _too_few(q: LmsQuestion) -> str | None:
    """Why an imported question could not enter the bank: fewer options than its type needs."""
    if q.kind == "multichoice":
        kind, name = ("single", "one-answer") if q.single else ("multiple", "several-answer")
        n, what = len(q.answers), "options"
    elif q.kind == "matching":
        kind, name, n, what = "matching", "matching", len(q.pairs), "pairs"
    else:
        return None
    need = MIN_OPTIONS[kind]
    return None if n >= need else f"{name} questions need at least {need} {what} in IronBone ({n} given)"


def _short(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:57] + "…"


class _Unsupported(Exception):
    pass


def import_gift(text: str) -> ImportResult:
    """Parse GIFT text. Every question that IronBone has a type for is imported; every other
    block is reported with the line it starts on."""
    questions: list[LmsQuestion] = []
    problems: list[ImportProblem] = []
    category = ""
    block: list[str] = []
    start = 0
    depth_open = False
    opened = 0  # unescaped { minus } in the block so far (counted line by line: linear in the file)

    def flush() -> None:
        nonlocal block, opened
        opened = 0
        joined = "\n".join(block).strip()
        if joined:
            try:
                q = _parse_block(joined, start, category)
                if _too_few(q):
                    raise _Unsupported(_too_few(q))
                questions.append(q)
            except _Unsupported as exc:
                problems.append(ImportProblem(line=start, message=str(exc)))
        block = []

    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if not depth_open and stripped.startswith("$CATEGORY:"):
            flush()
            category = stripped[len("$CATEGORY:"):].strip()
            continue
        if not stripped and not depth_open:
            flush()
            continue
        if not block:
            start = no
        block.append(line)
        # A backslash at the end of a line escapes the line break, never a brace: counting each
        # line on its own gives the same as counting the joined block.
        opened += _count_unescaped(line, "{") - _count_unescaped(line, "}")
        depth_open = opened > 0
    if depth_open:
        problems.append(ImportProblem(line=start, message="the answer block '{' is never closed"))
        block = []
    flush()
    return ImportResult(questions=tuple(questions), problems=tuple(problems))


def _count_unescaped(text: str, ch: str) -> int:
    n, i = 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        n += text[i] == ch
        i += 1
    return n


# --- Moodle XML ------------------------------------------------------------------------------

def _text_el(parent: ET.Element, tag: str, text: str, *, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    t = ET.SubElement(el, "text")
    # Texts are declared HTML, so plain text is HTML-escaped (line breaks become <br>); ElementTree
    # then escapes the markup for XML.
    t.text = html.escape(text).replace("\n", "<br>") if fmt == "html" else text
    return el


def export_moodle_xml(questions: Sequence[LmsQuestion]) -> str:
    quiz = ET.Element("quiz")
    category = None
    for q in questions:
        if q.category and q.category != category:
            category = q.category
            c = ET.SubElement(quiz, "question", {"type": "category"})
            _text_el(c, "category", f"$course$/top/{category}", fmt=None)
        el = ET.SubElement(quiz, "question", {"type": q.kind})
        _text_el(el, "name", q.name, fmt=None)
        _text_el(el, "questiontext", q.text)
        _text_el(el, "generalfeedback", q.general_feedback)
        ET.SubElement(el, "defaultgrade").text = "1"
        ET.SubElement(el, "penalty").text = "0.3333333"
        ET.SubElement(el, "hidden").text = "0"
        ET.SubElement(el, "idnumber").text = q.name
        if q.kind == "multichoice":
            ET.SubElement(el, "single").text = "true" if q.single else "false"
            ET.SubElement(el, "shuffleanswers").text = "true"
            ET.SubElement(el, "answernumbering").text = "abc"
            for a in q.answers:
                ans = _text_el(el, "answer", a.text)
                ans.set("fraction", _num(a.fraction))
                _text_el(ans, "feedback", a.feedback)
        elif q.kind == "truefalse":
            for value in (True, False):
                ans = ET.SubElement(el, "answer", {"fraction": "100" if value == q.truth else "0",
                                                   "format": "moodle_auto_format"})
                ET.SubElement(ans, "text").text = "true" if value else "false"
                _text_el(ans, "feedback", q.feedback_right if value == q.truth else q.feedback_wrong)
        elif q.kind == "matching":
            ET.SubElement(el, "shuffleanswers").text = "true"
            for left, right in q.pairs:
                sub = _text_el(el, "subquestion", left)
                a = ET.SubElement(sub, "answer")
                ET.SubElement(a, "text").text = right
        elif q.kind == "numerical":
            ans = ET.SubElement(el, "answer", {"fraction": "100", "format": "moodle_auto_format"})
            ET.SubElement(ans, "text").text = _num(q.number)
            ET.SubElement(ans, "tolerance").text = _num(q.tolerance)
            _text_el(ans, "feedback", "")
        else:
            raise ValueError(f"Moodle XML export has no form for {q.kind!r}")
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


# --- back into the bank ------------------------------------------------------------------------

def lms_to_yaml_entry(q: LmsQuestion, qid: str) -> dict:
    """An imported question as a content/quizzes entry (section, nodes and page come from the
    file's `defaults`, for the lecturer to set)."""
    entry: dict = {"id": qid}
    if q.kind == "truefalse":
        entry.update(type="truefalse", prompt=q.text, answer=q.truth)
    elif q.kind == "multichoice":
        choices = [{"id": chr(ord("a") + i) if i < 26 else f"o{i}", "text": a.text,
                    **({"feedback": a.feedback} if a.feedback else {})} for i, a in enumerate(q.answers)]
        right = [c["id"] for c, a in zip(choices, q.answers, strict=True) if a.fraction > 0]
        if q.single:
            entry.update(type="single", prompt=q.text, choices=choices, answer=right[0])
        else:
            entry.update(type="multiple", prompt=q.text, choices=choices, answers=right)
    elif q.kind == "matching":
        entry.update(type="matching", prompt=q.text, pairs=[list(p) for p in q.pairs])
    elif q.kind == "numerical":
        entry.update(type="numeric", prompt=q.text, answer=q.number, tolerance=q.tolerance)
    entry["explanation"] = q.general_feedback or "(imported: add an explanation)"
    return entry


# --- Moodle XML import -------------------------------------------------------------------------
# Read with expat directly, so every question keeps the line it starts on. A document type or an
# entity declaration is refused before it can expand (Moodle never writes one): no entity bombs,
# no external files. Texts declared HTML are turned into plain text as a browser would show them.

_XML_KINDS = {"multichoice", "truefalse", "matching", "numerical"}
_XML_UNSUPPORTED = {
    "shortanswer": "short-answer questions (typed text) are not supported",
    "essay": "essay questions are not supported",
    "description": "descriptions are not questions; skipped",
    "multianswer": "embedded-answer (cloze) questions are not supported",
    "calculated": "calculated questions are not supported",
    "calculatedsimple": "calculated questions are not supported",
    "calculatedmulti": "calculated questions are not supported",
    "ddwtos": "drag-and-drop questions are not supported",
    "gapselect": "select-missing-words questions are not supported",
    "randomsamatch": "random short-answer matching is not supported",
}


class _XmlNode:
    __slots__ = ("attrs", "children", "line", "parts", "tag")

    def __init__(self, tag: str, attrs: dict[str, str], line: int) -> None:
        self.tag, self.attrs, self.line = tag, attrs, line
        self.children: list[_XmlNode] = []
        self.parts: list[str] = []

    def child(self, tag: str) -> _XmlNode | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[_XmlNode]:
        return [c for c in self.children if c.tag == tag]

    def value(self) -> str:
        return "".join(self.parts)

    def field(self, tag: str) -> str:
        """The text of <tag> (its <text> child, as Moodle writes it, or its own text)."""
        node = self.child(tag)
        return "" if node is None else _node_text(node)


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _read_xml(data: str | bytes) -> _XmlNode:
    from xml.parsers import expat

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    root = _XmlNode("", {}, 1)
    stack = [root]

    def refuse(*_args: object) -> None:
        raise _Refused(parser.CurrentLineNumber, "a document type or entity declaration is not allowed in a "
                                                 "quiz file (Moodle never writes one); nothing imported")

    def start(tag: str, attrs: dict[str, str]) -> None:
        node = _XmlNode(tag, attrs, parser.CurrentLineNumber)
        stack[-1].children.append(node)
        stack.append(node)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda _tag: stack.pop()
    parser.CharacterDataHandler = lambda text: stack[-1].parts.append(text)
    try:
        parser.Parse(data.encode("utf-8") if isinstance(data, str) else data, True)
    except expat.ExpatError as exc:
        raise _Refused(max(1, exc.lineno), f"not well-formed XML: {expat.ErrorString(exc.code)} "
                                           f"(column {exc.offset + 1}); nothing imported") from None
    return root


class _HtmlToText(html.parser.HTMLParser):
    """HTML as plain text: <br> and block ends break lines, other tags go, runs of white space
    become one space (as a browser shows them), entities are decoded."""

    BLOCKS = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "blockquote",
                        "ul", "ol", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ARG002 - HTMLParser's signature
        if tag == "br":
            self.out.append("\n")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag in ("img", "video", "audio", "object", "embed", "iframe"):
            self.images += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.out.append(re.sub(r"\s+", " ", data))


def _html_text(markup: str) -> tuple[str, int]:
    """(plain text, number of images and other media left out)."""
    conv = _HtmlToText()
    conv.feed(markup)
    conv.close()
    lines = [line.strip(" ") for line in "".join(conv.out).split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, conv.images


def _node_text(node: _XmlNode) -> str:
    inner = node.child("text")
    raw = (inner.value() if inner is not None else node.value()).strip()
    if node.attrs.get("format") == "html":  # Moodle marks HTML; <name>, <category> and such are plain
        text, media = _html_text(raw)
        if media:
            raise _Refused(node.line, f"<{node.tag}> holds an image or other media; IronBone questions "
                                      "are text only")
        return text
    return raw  # plain_text, moodle_auto_format, markdown: already text


def _fraction(node: _XmlNode) -> float:
    raw = node.attrs.get("fraction", "0")
    try:
        frac = float(raw)
    except ValueError:
        raise _Refused(node.line, f"cannot read the grade fraction={_short(raw)}") from None
    if not (math.isfinite(frac) and -100 <= frac <= 100):
        raise _Refused(node.line, f"the grade fraction={_short(raw)} must be between -100 and 100")
    return frac


def _xml_question(q: _XmlNode, kind: str, category: str) -> LmsQuestion:
    text = q.field("questiontext")
    if not text:
        raise _Refused(q.line, "the question has no text")
    base = dict(name=q.field("name") or text[:40], text=text, category=category,
                general_feedback=q.field("generalfeedback"), line=q.line)
    answers = q.all("answer")
    if kind == "truefalse":
        by_value: dict[bool, tuple[float, str]] = {}
        for a in answers:
            value = _node_text(a).lower()
            if value not in ("true", "false"):
                raise _Refused(a.line, f"a true/false answer must be 'true' or 'false', not {_short(value)}")
            by_value[value == "true"] = (_fraction(a), a.field("feedback"))
        right = [v for v, (frac, _) in by_value.items() if frac > 0]
        if len(right) != 1:
            raise _Refused(q.line, "a true/false question needs exactly one answer that earns credit")
        truth = right[0]
        return LmsQuestion(kind="truefalse", truth=truth, feedback_right=by_value[truth][1],
                           feedback_wrong=by_value.get(not truth, (0.0, ""))[1], **base)
    if kind == "multichoice":
        opts = tuple(LmsAnswer(text=_node_text(a), fraction=_fraction(a), feedback=a.field("feedback"))
                     for a in answers)
        if not any(a.fraction > 0 for a in opts):
            raise _Refused(q.line, "none of the answers earns credit")
        single = (q.field("single") or "true").lower() in ("true", "1")
        if single and not (sum(a.fraction > 0 for a in opts) == 1 and max(a.fraction for a in opts) == 100):
            raise _Refused(q.line, "one-answer questions with partial credit are not supported")
        return LmsQuestion(kind="multichoice", single=single, answers=opts, **base)
    if kind == "matching":
        pairs = []
        for sub in q.all("subquestion"):
            left, right = _node_text(sub), sub.field("answer")
            if not left:
                raise _Refused(sub.line, "extra answers without a question (distractors) are not supported")
            pairs.append((left, right))
        return LmsQuestion(kind="matching", pairs=tuple(pairs), **base)
    # numerical: one answer with full credit (units, if any, are left to the lecturer)
    if len(answers) != 1 or _fraction(answers[0]) != 100:
        raise _Refused(q.line, "numerical questions with several graded answers are not supported")
    raw_number, raw_tol = _node_text(answers[0]), answers[0].field("tolerance") or "0"
    try:
        number, tolerance = float(raw_number), float(raw_tol)
    except ValueError:
        raise _Refused(answers[0].line, f"cannot read the number {_short(raw_number)} "
                                        f"± {_short(raw_tol)}") from None
    if not (math.isfinite(number) and math.isfinite(tolerance)):
        raise _Refused(answers[0].line, f"cannot read the number {_short(raw_number)} (it must be finite)")
    if tolerance < 0:
        raise _Refused(answers[0].line, f"the tolerance {_num(tolerance)} must not be negative")
    return LmsQuestion(kind="numerical", number=number, tolerance=tolerance, **base)


def import_moodle_xml(data: str | bytes) -> ImportResult:
    """Parse a Moodle XML quiz file. Every question that IronBone has a type for is imported;
    every other one is reported with the line its <question> starts on."""
    try:
        root = _read_xml(data)
    except _Refused as exc:
        return ImportResult(questions=(), problems=(ImportProblem(line=exc.line, message=str(exc)),))
    quiz = root.child("quiz")
    if quiz is None:
        first = root.children[0] if root.children else root
        return ImportResult(questions=(), problems=(ImportProblem(
            line=first.line, message=f"a Moodle XML file starts with <quiz>, not <{first.tag}>"),))
    questions: list[LmsQuestion] = []
    problems: list[ImportProblem] = []
    category = ""
    for q in quiz.all("question"):
        kind = q.attrs.get("type", "")
        try:
            if kind == "category":
                path = q.field("category")
                for prefix in ("$course$/", "$system$/", "$module$/", "$cat1$/", "top/"):
                    path = path[len(prefix):] if path.startswith(prefix) else path
                category = path
                continue
            if kind not in _XML_KINDS:
                raise _Refused(q.line, _XML_UNSUPPORTED.get(kind, f"question type {_short(kind)} is not supported"))
            imported = _xml_question(q, kind, category)
            if _too_few(imported):
                raise _Refused(q.line, _too_few(imported))
            questions.append(imported)
        except _Refused as exc:
            problems.append(ImportProblem(line=exc.line, message=str(exc)))
    if not quiz.all("question"):
        problems.append(ImportProblem(line=quiz.line, message="the file has no <question>"))
    return ImportResult(questions=tuple(questions), problems=tuple(problems))
