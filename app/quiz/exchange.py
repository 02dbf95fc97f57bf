"""Exchange with an LMS: every question as its Moodle equivalent, written as GIFT or Moodle XML, and
GIFT and Moodle XML import that reads what Moodle reads or refuses the question, naming its line."""

# Equivalents: click-the-node -> a choice among node names, with IronBone's diagram as a picture in
# Moodle XML (a <file> in the question text, drawn by the caller's `diagram` function; GIFT cannot
# carry files, so there the question is text only); ordering -> matching (step -> position);
# prediction -> matching (node -> "goes up" / "goes down" / "does not change"), graded like IronBone
# (the share of nodes right), or a one-answer choice when it asks about one node. Grades are Moodle's
# own list (app.quiz.questions.MOODLE_FRACTIONS). IronBone's section, page, nodes and difficulty
# travel as the question's idnumber and tags ("ironbone-section:2.1"), which Moodle keeps, so an
# exported bank imports back with them. What students see names no internal id: pages by title and
# section of the review, works as "Xu et al., 2021" (app.quiz.lmsnames).
#
# The reading follows Moodle's importers (question/format/gift/format.php and
# question/format/xml/format.php): GIFT's [html] [moodle] [plain] [markdown] markers, a question's
# format applying to its answers and feedback unless they carry their own, Moodle XML text without a
# format being HTML, grades checked against Moodle's list. Texts become IronBone's plain text
# (app.quiz.lmstext); a question IronBone cannot hold the same way (short answer, essay, cloze,
# images, numerical feedback for wrong answers, ...) is refused with its line, never altered. The one
# picture taken is IronBone's own diagram in its own click-the-node question (known by its file name,
# idnumber and tags): the app draws that diagram live, and the import says so in a note.

from __future__ import annotations

import base64
import binascii
import html
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from app.model.simulation import Model
from app.quiz.lmsnames import ReaderNames
from app.quiz.lmstext import FIGURE_MARK, GIFT_FORMATS, XML_FORMATS, TextRefused, to_plain
from app.quiz.questions import (
    MIN_OPTIONS,
    MOODLE_FRACTIONS,
    ClickNode,
    Matching,
    MultipleAnswer,
    Numeric,
    Ordering,
    Predict,
    Question,
    SingleChoice,
    TrueFalse,
    moodle_grade,
)

GIFT_SPECIAL = "~=#{}:"
TAG_PREFIX = "ironbone-"  # tags IronBone writes and reads back: ironbone-section:2.1, ironbone-node:ros ...
DIRECTION_WORDS = {"up": "goes up", "down": "goes down", "none": "does not change"}
# Moodle's penalty (share lost per wrong try in adaptive mode): its importers give true/false 1 (one
# try reveals the answer) and every other type 0.3333333 (question/format/gift/format.php: 'penalty'
# => 1 for truefalse; qformat_default::defaultquestion for the rest).
PENALTY = {"truefalse": "1", "default": "0.3333333"}
# A click-the-node question outside IronBone: the diagram as a picture where the format can carry one
# (Moodle XML), the words alone where it cannot (GIFT).
CLICK_NOTE = "(In IronBone you click the node on the diagram; here, choose its name.)"
FIGURE_NOTE = "Find it on the diagram, then choose its name below."
FIGURE_FILE = "ironbone-diagram.png"
FIGURE_ALT = ("IronBone's diagram of how estrogen and iron act on bone (after Fig. 1 of Cai et al., 2023): "
              "every node labelled with its name, grouped by where it acts")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_FIGURE_BYTES = 8 * 1024 * 1024  # one picture; IronBone's diagram at 1200 px is about 0.1 MB
DiagramPng = Callable[[ClickNode], bytes | None]  # the picture of a question's diagram, as PNG


@dataclass(frozen=True, kw_only=True)
class LmsAnswer:
    text: str
    fraction: float  # percent, -100..100 (Moodle's grade of the option)
    feedback: str = ""


@dataclass(frozen=True, kw_only=True)
class LmsFigure:
    """A picture stored with a question's text (a <file> in Moodle XML): `lead`, the picture, `after`."""

    name: str
    png: bytes = field(repr=False)
    width: int
    height: int
    alt: str
    lead: str
    after: str


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) of a PNG from its header; ValueError if `data` is not a PNG."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 24:
        raise ValueError("not a PNG image (no PNG signature and header)")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@dataclass(frozen=True, kw_only=True)
class LmsQuestion:
    """A question as an LMS sees it: multichoice, truefalse, matching or numerical."""

    kind: str
    name: str
    text: str
    category: str = ""
    general_feedback: str = ""
    idnumber: str = ""
    tags: tuple[str, ...] = ()
    single: bool = True  # multichoice: one answer (radio buttons) or several (check boxes)
    shuffle: bool = True  # multichoice / matching: Moodle shuffles the options
    answers: tuple[LmsAnswer, ...] = ()  # multichoice
    truth: bool = True  # truefalse
    feedback_right: str = ""  # truefalse
    feedback_wrong: str = ""
    pairs: tuple[tuple[str, str], ...] = ()  # matching
    distractors: tuple[str, ...] = ()  # matching: right items without a left one
    number: float = 0.0  # numerical
    tolerance: float = 0.0
    unit: str = ""
    # Moodle XML shows `figure` (lead, picture, after) instead of `text`, which says the same in words
    # alone, for formats that cannot carry a picture.
    figure: LmsFigure | None = None
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
    notes: tuple[ImportProblem, ...] = ()  # what was taken differently from the file, and why (line, text)


def _pct(x: float) -> float:
    return round(x, 5)  # Moodle stores grades with 5 decimals (33.33333 %)


def snap_grade(percent: float) -> float:
    """`percent` as a grade Moodle allows: itself when allowed, else the allowed grade of the same sign
    next larger in size (1/11 -> 10 %: every right option still adds up to full marks)."""
    exact = moodle_grade(percent)
    if exact is not None:
        return exact
    size = abs(percent) / 100
    bigger = min((f for f in MOODLE_FRACTIONS if f >= size - 1e-12), default=1.0)
    return _pct(math.copysign(bigger * 100, percent))


def _labels(model: Model | None) -> dict[str, str]:
    if model is None:
        return {}
    return {n.id: n.label for n in model.pathway.nodes}


def _general(q: Question, names: ReaderNames, model: Model | None) -> str:
    """The explanation, then a paragraph saying where to read more and the works behind it, in words
    a student outside IronBone can follow (no page ids, no reference keys)."""
    node_title = None
    if q.page.startswith("node:") and model is not None and q.page[5:] in model.node_ids:
        node_title = model.pathway.node(q.page[5:]).label
    refs = " ".join(p for p in (names.page_reference(q.page, q.section, fallback_title=node_title),
                                names.sources(q.cite, q.section)) if p)
    return f"{q.explanation}\n\n{refs}".strip()


# The paragraph _general adds, as IronBone's import finds it again (a page title may hold any character
# but a line break), and the form older exports wrote: " (IronBone page: topic:x) Source: Cai et al.
# 2023, section 1."
_READER_REFS = re.compile(r"(?:\A|\n\n)(?:See IronBone's page [^\n]*? )?Sources?: Cai et al\., 2023[^\n]*\Z")
_OLD_REFS = re.compile(r"(?:\A|\s)(?:\(IronBone page: [^)\s]*\) ?)?Source: Cai et al\. 2023, section [^\s]*\.\Z")


def metadata_tags(q: Question) -> tuple[str, ...]:
    """What IronBone needs to take the question back: section, page, difficulty, nodes, references."""
    tags = [f"{TAG_PREFIX}section:{q.section}", f"{TAG_PREFIX}page:{q.page}",
            f"{TAG_PREFIX}difficulty:{q.difficulty}", f"{TAG_PREFIX}type:{q.type}"]
    tags += [f"{TAG_PREFIX}node:{n}" for n in q.nodes]
    tags += [f"{TAG_PREFIX}cite:{c}" for c in q.cite]
    if isinstance(q, Numeric) and q.unit:
        tags.append(f"{TAG_PREFIX}unit:{q.unit}")
    return tuple(tags)


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


def _multi_fractions(right: Sequence[bool]) -> list[float]:
    """IronBone's multiple-answer grading as Moodle grades: each right option +1/#right, each wrong
    one -1/#wrong (snapped to Moodle's list when #right or #wrong is above 10)."""
    n_ok, n_bad = sum(right), len(right) - sum(right)
    return [snap_grade(100 / n_ok) if ok else snap_grade(-100 / max(n_bad, 1)) for ok in right]


def _figure(q: ClickNode, diagram: DiagramPng | None) -> LmsFigure | None:
    png = diagram(q) if diagram is not None else None
    if not png:
        return None
    if len(png) > MAX_FIGURE_BYTES:
        raise ValueError(f"{q.id}: the diagram's picture has {len(png):,} bytes (at most {MAX_FIGURE_BYTES:,})")
    width, height = png_size(png)
    return LmsFigure(name=FIGURE_FILE, png=png, width=width, height=height, alt=FIGURE_ALT, lead=q.prompt,
                     after=FIGURE_NOTE)


def to_lms(q: Question, *, model: Model | None = None, names: ReaderNames | None = None,
           diagram: DiagramPng | None = None) -> LmsQuestion:
    """The LMS equivalent of `q` (prediction and click-the-node questions need the model). `names`
    turns page ids and reference keys into what a reader can follow (without it, pages other than a
    node's and works other than the review are left unnamed, never shown as ids); `diagram` draws a
    click-the-node question's picture (without it, or where it returns None, the question is words
    alone)."""
    base = dict(name=q.id, text=q.prompt, category=q.category or f"IronBone/Section {q.section}",
                general_feedback=_general(q, names or ReaderNames(), model), idnumber=q.id, tags=metadata_tags(q))
    if isinstance(q, SingleChoice):
        return LmsQuestion(kind="multichoice", single=True, **base, answers=tuple(
            LmsAnswer(text=c.text, fraction=100.0 if c.id == q.answer else (c.credit or 0.0), feedback=c.feedback)
            for c in q.choices))
    if isinstance(q, MultipleAnswer):
        if q.partial:
            fractions = [c.credit or 0.0 for c in q.choices]
        else:
            fractions = _multi_fractions([c.id in q.answers for c in q.choices])
        return LmsQuestion(kind="multichoice", single=False, **base, answers=tuple(
            LmsAnswer(text=c.text, fraction=f, feedback=c.feedback) for c, f in zip(q.choices, fractions, strict=True)))
    if isinstance(q, TrueFalse):
        return LmsQuestion(kind="truefalse", truth=q.answer, **base)
    if isinstance(q, ClickNode):
        labels = _labels(model)
        opts = _click_options(q, model)
        single = len(q.answers) == 1
        base["text"] = f"{q.prompt} {CLICK_NOTE}"
        base["figure"] = _figure(q, diagram)
        fractions = [100.0 if n in q.answers else 0.0 for n in opts] if single else \
            _multi_fractions([n in q.answers for n in opts])
        return LmsQuestion(kind="multichoice", single=single, **base, answers=tuple(
            LmsAnswer(text=labels[n], fraction=f) for n, f in zip(opts, fractions, strict=True)))
    if isinstance(q, Predict):
        return _predict_to_lms(q, model, base)
    if isinstance(q, Ordering):
        base["text"] = f"{q.prompt} (Give each step its position in the sequence.)"
        return LmsQuestion(kind="matching", **base,
                           pairs=tuple((s.text, f"step {i}") for i, s in enumerate(q.steps, 1)))
    if isinstance(q, Matching):
        return LmsQuestion(kind="matching", **base, pairs=q.pairs, distractors=q.distractors)
    if isinstance(q, Numeric):
        return LmsQuestion(kind="numerical", **base, number=q.answer, tolerance=q.tolerance, unit=q.unit)
    raise ValueError(f"no LMS equivalent for {type(q).__name__}")


def _predict_to_lms(q: Predict, model: Model | None, base: dict) -> LmsQuestion:
    """A prediction keyed by running the model now. Several nodes: a matching question (node ->
    direction), graded like IronBone by the share of nodes right, each node's statement whole
    whatever order Moodle shows them in; one node: a one-answer choice among the three directions."""
    if model is None:
        raise ValueError("exporting a prediction question needs the model (it keys the answers)")
    from app.model.why import label_in_sentence
    from app.quiz.grading import grade_predict, model_directions

    expected = {node: d for node, (d, _delta) in model_directions(model, q).items()}

    def label(node: str) -> str:
        text = label_in_sentence(model, node)
        return text[:1].upper() + text[1:]

    if len(expected) == 1:  # the one answer's feedback says why: the model's traced path
        m = grade_predict(model, q, {}).marks[0]
        base["text"] = f"{q.prompt} What does {label_in_sentence(model, m.node)} do?"
        return LmsQuestion(kind="multichoice", single=True, **base, answers=tuple(
            LmsAnswer(text=f"{label(m.node)} {DIRECTION_WORDS[d]}", fraction=100.0 if d == m.expected else 0.0,
                      feedback=m.why if d == m.expected else "") for d in DIRECTION_WORDS))
    used = set(expected.values())
    base["text"] = f"{q.prompt} For each node, choose what it does."
    return LmsQuestion(kind="matching", **base,
                       pairs=tuple((label(node), DIRECTION_WORDS[d]) for node, d in expected.items()),
                       distractors=tuple(w for d, w in DIRECTION_WORDS.items() if d not in used))


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
            if nxt == "n":
                out.append("\n")
            elif nxt in GIFT_SPECIAL or nxt == "\\":
                out.append(nxt)
            else:  # Moodle unescapes only its control characters: "\x" stays "\x"
                out.append(c + nxt)
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


def _tag_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("]", "\\]").replace("\n", " ")


def _left_item(text: str) -> str:
    """A matching item on the left of '->'. Moodle splits each pair at its first '->', so an item
    holding '->' is written as HTML, where '>' is '&gt;' (and read back through the HTML reader)."""
    if "->" in text:
        return "[html]" + gift_escape(html.escape(text, quote=False).replace("\n", "<br>"))
    return gift_escape(text)


def gift_question(q: LmsQuestion) -> str:
    # [plain]: IronBone's texts are plain text, so Moodle shows "<b>" as written instead of as bold;
    # the answers and feedback take the question's format (Moodle's GIFT reader).
    meta = ""
    if q.idnumber or q.tags:
        bits = ([f"[id:{_tag_escape(q.idnumber)}]"] if q.idnumber else []) + [f"[tag:{_tag_escape(t)}]" for t in q.tags]
        meta = "// " + " ".join(bits) + "\n"
    text = q.text
    if q.kind == "numerical" and q.unit:  # GIFT has no units: the prompt says it (the tag takes it back)
        text = f"{text} (Answer in {q.unit}.)"
    head = f"{meta}::{gift_escape(q.name)}::[plain]{gift_escape(text)}"
    gen = f"\n\t####{gift_escape(q.general_feedback)}" if q.general_feedback else ""
    if q.kind == "truefalse":
        fb = ""
        if q.feedback_wrong or q.feedback_right:
            fb = f"#{gift_escape(q.feedback_wrong)}#{gift_escape(q.feedback_right)}"
        return f"{head}{{{'TRUE' if q.truth else 'FALSE'}{fb}{gen}\n}}"
    if q.kind == "multichoice":
        lines = []
        for a in q.answers:
            grade = moodle_grade(a.fraction)
            if grade is None:
                raise ValueError(f"{q.name}: the grade {a.fraction:g} % is not one Moodle allows")
            if q.single and grade == 100:
                lines.append(f"\t={gift_escape(a.text)}{_fb(a.feedback)}")
            elif grade == 0:
                lines.append(f"\t~{gift_escape(a.text)}{_fb(a.feedback)}")
            else:
                lines.append(f"\t~%{_num(grade)}%{gift_escape(a.text)}{_fb(a.feedback)}")
        return head + "{\n" + "\n".join(lines) + gen + "\n}"
    if q.kind == "matching":
        lines = [f"\t={_left_item(a)} -> {gift_escape(b)}" for a, b in q.pairs]
        lines += [f"\t= -> {gift_escape(b)}" for b in q.distractors]
        return head + "{\n" + "\n".join(lines) + gen + "\n}"
    if q.kind == "numerical":
        return f"{head}{{#\n\t={_num(q.number)}:{_num(q.tolerance)}{gen}\n}}"
    raise ValueError(f"GIFT has no form for {q.kind!r}")


def is_click_node(q: LmsQuestion) -> bool:
    """A click-the-node question of IronBone's own export (its type travels in the tags)."""
    return f"{TAG_PREFIX}type:{ClickNode.TYPE}" in q.tags


GIFT_TEXT_ONLY = ("GIFT cannot carry pictures: the click-the-node questions ask for the node's name in words "
                  "alone; export Moodle XML to show IronBone's diagram with them.")


def export_gift(questions: Iterable[LmsQuestion]) -> str:
    """GIFT text. A question's figure is left out (GIFT has no files): its `text` says the same in words."""
    questions = list(questions)
    parts = ["// IronBone quiz bank, exported as Moodle GIFT (UTF-8). Source of the facts: Cai et al. 2023,",
             "// J Zhejiang Univ Sci B 24(4):301-311, doi:10.1631/jzus.B2200519."]
    if any(is_click_node(q) for q in questions):
        parts += [f"// {GIFT_TEXT_ONLY}"]
    parts += [""]
    category = None
    for q in questions:
        if q.category and q.category != category:
            category = q.category
            parts += [f"$CATEGORY: $course$/top/{category}", ""]
        parts += [gift_question(q), ""]
    return "\n".join(parts)


class _Unsupported(Exception):
    pass


def _short(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:57] + "…"


# Moodle's GIFT reader swaps escaped control characters for placeholders before it splits anything
# (format.php escapedchar_pre) and swaps them back in each piece (escapedchar_post); the same here,
# with private-use characters that no text contains once they are refused in the input.
_ESC = {"\\:": "\ue03a", "\\#": "\ue023", "\\=": "\ue03d", "\\{": "\ue07b", "\\}": "\ue07d", "\\~": "\ue07e",
        "\\n": "\ue00a"}
_UNESC = {v: k[1] if k != "\\n" else "\n" for k, v in _ESC.items()}
_BACKSLASH = "\ue05c"
_PLACEHOLDERS = re.compile("[\ue03a\ue023\ue03d\ue07b\ue07d\ue07e\ue00a\ue05c]")
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_ID_TAG = re.compile(r"\[(id|tag):((?:\\.|[^\]\\])*)\]", re.DOTALL)


def _pre(text: str) -> str:
    text = text.replace("\\\\", _BACKSLASH)
    for k, v in _ESC.items():
        text = text.replace(k, v)
    return text.replace(_BACKSLASH, "\\")


def _post(text: str) -> str:
    return _PLACEHOLDERS.sub(lambda m: _UNESC.get(m.group(0), "\\"), text)


def _with_format(text: str, default: str) -> tuple[str, str]:
    """(text without its [format] marker, format), as Moodle's parse_text_with_format."""
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        name = text[1:end] if end != -1 else ""
        if name in GIFT_FORMATS:
            return text[end + 1:], GIFT_FORMATS[name]
    return text, default


def _plain(text: str, default: str, what: str) -> str:
    body, fmt = _with_format(text, default)
    return to_plain(_post(body), fmt, what=what)


def _split_feedback(piece: str) -> tuple[str, str | None]:
    """Answer and its feedback (after the first '#'), as Moodle's commentparser."""
    body, sep, fb = piece.partition("#")
    return body, (fb if sep else None)


def _metadata(comments: list[str]) -> tuple[str, tuple[str, ...]]:
    """[id:...] and [tag:...] from the question's comment lines (Moodle's
    extract_idnumber_and_tags_from_comment: a '\\]' inside is a ']')."""
    idnumber, tags = "", []
    for kind, value in _ID_TAG.findall("\n".join(comments)):
        value = re.sub(r"\\(.)", r"\1", value).strip()
        if kind == "id" and not idnumber:
            idnumber = value
        elif kind == "tag" and value:
            tags.append(value)
    return idnumber, tuple(tags)


def _grade(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise _Unsupported(f"cannot read the grade {_short(raw)}") from None
    grade = moodle_grade(value) if math.isfinite(value) else None
    if grade is None:
        raise _Unsupported(f"the grade {_short(raw)} % is not one Moodle allows (Moodle refuses the question too)")
    return grade


def _parse_block(block: str, line: int, category: str, comments: list[str]) -> LmsQuestion:
    text = _pre(block.strip())
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end != -1:
            name, text = _post(text[2:end]).strip(), text[end + 2:].strip()
    open_i, close_i = text.find("{"), text.find("}")
    if open_i == -1 and close_i == -1:
        raise _Unsupported("a description (text without an answer block) is not a question IronBone can use")
    if open_i == -1 or close_i == -1 or close_i < open_i:
        raise _Unsupported("the answer block's braces '{' '}' do not match")
    body = text[open_i + 1:close_i].strip()
    after = text[close_i + 1:].strip()
    qtext_raw, qformat = _with_format(text[:open_i], "moodle")
    general_raw = ""
    gi = body.rfind("####")  # the last one, as Moodle (strrpos)
    if gi != -1:
        body, general_raw = body[:gi].strip(), body[gi + 4:]
    try:
        qtext = to_plain(_post(qtext_raw), qformat, what="the question text")
        general = _plain(general_raw, qformat, "the general feedback")
        idnumber, tags = _metadata(comments)
        base = dict(name=name or qtext[:40], text=qtext, category=category, general_feedback=general,
                    idnumber=idnumber, tags=tags, line=line)
        q = _parse_answers(body, qformat, base)
        unit = metadata_of(q).get("unit", "")
        if q.kind == "numerical" and unit and q.text.endswith(f" (Answer in {unit}.)"):  # IronBone's own export
            q = replace(q, unit=unit, text=q.text[:-len(f" (Answer in {unit}.)")])
    except TextRefused as exc:
        raise _Unsupported(str(exc)) from None
    if after:  # Moodle puts a blank ("_____") where the answers were: a missing-word question
        raise _Unsupported("text after the answer block makes a missing-word question (Moodle shows a blank "
                           "in the sentence), which IronBone does not have")
    return q


def _parse_answers(body: str, qformat: str, base: dict) -> LmsQuestion:
    if not body:
        raise _Unsupported("essay questions ({}) are not supported")
    if body.startswith("#"):
        return _gift_numerical(body[1:], base)
    if "~" in body:
        return _gift_multichoice(body, qformat, base)
    if "=" in body and "->" in body:
        return _gift_matching(body, qformat, base)
    tf, _, _ = body.partition("#")
    if tf.strip() in ("T", "TRUE", "F", "FALSE"):
        bits = body.split("#", 2)
        wrong = _plain(bits[1], qformat, "the feedback") if len(bits) > 1 else ""
        right = _plain(bits[2], qformat, "the feedback") if len(bits) > 2 else ""
        return LmsQuestion(kind="truefalse", truth=tf.strip() in ("T", "TRUE"), feedback_right=right,
                           feedback_wrong=wrong, **base)
    raise _Unsupported("short-answer questions (typed text) are not supported")


def _gift_numerical(body: str, base: dict) -> LmsQuestion:
    if "~" in body:
        raise _Unsupported("feedback for wrong answers (~#…) of a numerical question is not supported: "
                           "IronBone's numerical questions have one right answer and an explanation")
    answers = [a.strip() for a in body.split("=")]
    if answers and not answers[0]:
        answers = answers[1:]
    if not answers:
        raise _Unsupported("a numerical question needs an answer")
    if len(answers) > 1:
        raise _Unsupported("numerical questions with several graded answers (partial credit) are not supported")
    value, feedback = _split_feedback(answers[0])
    m = _WEIGHT.match(value)
    if m:
        if _grade(m.group(1)) != 100:
            raise _Unsupported("numerical answers with partial credit are not supported")
        value = value[m.end():]
    if feedback and feedback.strip():
        raise _Unsupported("feedback on the numerical answer (#…) is not supported: IronBone shows one "
                           "explanation (put it after ####)")
    value = _post(value).strip()
    try:
        if value.find("..") > 0:
            lo, hi = (float(v) for v in value.split("..", 1))
            number, tolerance = (lo + hi) / 2, (hi - lo) / 2
        elif value.find(":") > 0:
            num, _, tol = value.partition(":")
            number, tolerance = float(num), float(tol)
        else:
            number, tolerance = float(value), 0.0
    except ValueError:
        raise _Unsupported(f"cannot read the number {_short(value)}") from None
    if not (math.isfinite(number) and math.isfinite(tolerance)):  # nan, inf, 1e400
        raise _Unsupported(f"cannot read the number {_short(value)} (it must be finite)")
    if tolerance < 0:
        raise _Unsupported(f"the tolerance {_num(tolerance)} must not be negative")
    return LmsQuestion(kind="numerical", number=number, tolerance=tolerance, **base)


def _gift_multichoice(body: str, qformat: str, base: dict) -> LmsQuestion:
    single = "=" in body  # Moodle: one answer exactly when one is marked '='
    pieces = body.replace("=", "~=").split("~")
    if pieces and not pieces[0].strip():
        pieces = pieces[1:]
    if len(pieces) < 2:
        raise _Unsupported("a multiple-choice question needs at least two answers")
    answers = []
    for piece in pieces:
        piece = piece.strip()
        if piece.startswith("="):
            fraction, piece = 100.0, piece[1:]
        else:
            m = _WEIGHT.match(piece)
            fraction = _grade(m.group(1)) if m else 0.0
            piece = piece[m.end():] if m else piece
        text, feedback = _split_feedback(piece)
        answers.append(LmsAnswer(text=_plain(text, qformat, "an answer"), fraction=fraction,
                                 feedback=_plain(feedback, qformat, "the feedback") if feedback else ""))
    return _checked_multichoice(LmsQuestion(kind="multichoice", single=single, answers=tuple(answers), **base))


def _checked_multichoice(q: LmsQuestion) -> LmsQuestion:
    """The credit rules IronBone's bank keeps (app.quiz.bank): refused here with the question's line."""
    fractions = [a.fraction for a in q.answers]
    if not any(f > 0 for f in fractions):
        raise _Unsupported("none of the answers earns credit")
    if q.single:
        if max(fractions) != 100:
            raise _Unsupported("a one-answer question needs one answer worth 100 %")
        if sum(f == 100 for f in fractions) > 1:
            raise _Unsupported("a one-answer question with two answers worth 100 % is not supported")
        if min(fractions) < 0:
            raise _Unsupported("negative grades in a one-answer question are not supported (in Moodle they "
                               "subtract marks; IronBone never scores below 0)")
    elif sum(f for f in fractions if f > 0) < 100 - 0.01:
        raise _Unsupported("the right answers' grades add up to less than 100 %, so no answer earns full marks")
    return q


def _gift_matching(body: str, qformat: str, base: dict) -> LmsQuestion:
    pieces = body.split("=")
    if pieces and not pieces[0].strip():
        pieces = pieces[1:]
    pairs, distractors = [], []
    for piece in pieces:
        if "->" not in piece:
            raise _Unsupported("each matching answer needs a '->' between its two sides")
        left, _, right = piece.partition("->")
        left_text = _plain(left, qformat, "a matching item")
        right_text = _post(right).strip()  # Moodle keeps the right side as plain text
        if not right_text:
            raise _Unsupported("a matching answer has nothing after '->'")
        if left_text:
            pairs.append((left_text, right_text))
        else:
            distractors.append(right_text)  # '= -> Chat': an extra answer matching no item (Moodle)
    return LmsQuestion(kind="matching", pairs=tuple(pairs), distractors=tuple(distractors), **base)


def _too_few(q: LmsQuestion) -> str | None:
    """Why an imported question could not enter the bank: fewer options than its type needs."""
    if q.kind == "multichoice":
        kind, name = ("single", "one-answer") if q.single else ("multiple", "several-answer")
        n, what = len(q.answers), "options"
    elif q.kind == "matching":
        kind, name, n, what = "matching", "matching", len(q.pairs), "items"
        answers = len({b for _, b in q.pairs} | set(q.distractors))
        need = MIN_OPTIONS["matching_answers"]
        if n >= MIN_OPTIONS[kind] and answers < need:
            return f"matching questions need at least {need} different answers ({answers} given)"
    else:
        return None
    need = MIN_OPTIONS[kind]
    return None if n >= need else f"{name} questions need at least {need} {what} in IronBone ({n} given)"


def _gift_lines(text: str) -> list[str]:
    """Lines as editors count them: a line ends at \\r\\n, \\n or \\r only (not at U+2028 or a form
    feed, where str.splitlines would also break and number every later line wrongly)."""
    return re.split(r"\r\n|\r|\n", text)


def import_gift(text: str) -> ImportResult:
    """Parse GIFT text. Every question that IronBone has a type for is imported; every other
    block is reported with the line it starts on."""
    questions: list[LmsQuestion] = []
    problems: list[ImportProblem] = []
    if _PLACEHOLDERS.search(text):
        return ImportResult(questions=(), problems=(ImportProblem(
            line=_line_at(text, _PLACEHOLDERS.search(text).start()),  # type: ignore[union-attr]
            message="the file holds a private-use character (U+E000-U+F8FF) IronBone reserves; nothing imported"),))
    category = ""
    block: list[str] = []
    comments: list[str] = []
    start = 0
    depth_open = False
    opened = 0  # unescaped { minus } in the block so far (counted line by line: linear in the file)

    def flush() -> None:
        nonlocal block, comments, opened
        opened = 0
        joined = "\n".join(block).strip()
        if joined:
            try:
                q = _parse_block(joined, start, category, comments)
                if _too_few(q):
                    raise _Unsupported(_too_few(q))
                questions.append(q)
            except _Unsupported as exc:
                problems.append(ImportProblem(line=start, message=str(exc)))
        block, comments = [], []

    for no, raw in enumerate(_gift_lines(text), 1):
        line = raw.rstrip()
        stripped = line.strip()
        if stripped.startswith("//"):
            comments.append(stripped)
            continue
        if not depth_open and stripped.startswith("$CATEGORY:"):
            flush()
            category = _category_path(stripped[len("$CATEGORY:"):].strip())
            continue
        if not stripped and not depth_open:
            flush()
            comments = []
            continue
        if not block:
            start = no
        block.append(line)
        opened += _count_unescaped(line, "{") - _count_unescaped(line, "}")
        depth_open = opened > 0
    if depth_open:
        problems.append(ImportProblem(line=start, message="the answer block '{' is never closed"))
        block = []
    flush()
    return ImportResult(questions=tuple(questions), problems=tuple(problems))


def _line_at(text: str, index: int) -> int:
    return len(_gift_lines(text[:index]))


def _category_path(path: str) -> str:
    for prefix in ("$course$/", "$system$/", "$module$/", "$cat1$/", "$coursecategory$/", "top/"):
        path = path[len(prefix):] if path.startswith(prefix) else path
    return path.strip()


def _count_unescaped(text: str, ch: str) -> int:
    n, i = 0, 0
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        n += text[i] == ch
        i += 1
    return n


# --- Moodle XML export -------------------------------------------------------------------------

def _text_el(parent: ET.Element, tag: str, text: str, *, fmt: str | None = "html") -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    t = ET.SubElement(el, "text")
    # Texts are declared HTML, so plain text is HTML-escaped (line breaks become <br>); ElementTree
    # then escapes the markup for XML.
    t.text = html.escape(text, quote=False).replace("\n", "<br>") if fmt == "html" else text
    return el


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _attr(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "&quot;")


def _figure_el(parent: ET.Element, f: LmsFigure, encoded: dict[int, str]) -> ET.Element:
    """<questiontext> as Moodle writes one with a picture (question/format/xml/format.php writequestion
    and write_files): HTML whose <img> points at @@PLUGINFILE@@/name, then <file name path encoding>
    with the bytes in base64 inside the same element."""
    el = ET.SubElement(parent, "questiontext", {"format": "html"})
    # img-fluid: Moodle's Bootstrap class that shrinks a picture to the width of the page.
    img = (f'<img src="@@PLUGINFILE@@/{_attr(f.name)}" alt="{_attr(f.alt)}" width="{f.width}" '
           f'height="{f.height}" class="img-fluid">')
    ET.SubElement(el, "text").text = f"<p>{_html(f.lead)}</p>\n<p>{img}</p>\n<p>{_html(f.after)}</p>"
    data = encoded.get(id(f.png))
    if data is None:  # one diagram shared by many questions is encoded once
        data = encoded[id(f.png)] = base64.b64encode(f.png).decode("ascii")
    ET.SubElement(el, "file", {"name": f.name, "path": "/", "encoding": "base64"}).text = data
    return el


def export_moodle_xml(questions: Sequence[LmsQuestion]) -> str:
    quiz = ET.Element("quiz")
    category = None
    encoded: dict[int, str] = {}
    for q in questions:
        if q.category and q.category != category:
            category = q.category
            c = ET.SubElement(quiz, "question", {"type": "category"})
            _text_el(c, "category", f"$course$/top/{category}", fmt=None)
        el = ET.SubElement(quiz, "question", {"type": q.kind})
        _text_el(el, "name", q.name, fmt=None)
        if q.figure is not None:
            _figure_el(el, q.figure, encoded)
        else:
            _text_el(el, "questiontext", q.text)
        _text_el(el, "generalfeedback", q.general_feedback)
        ET.SubElement(el, "defaultgrade").text = "1"
        ET.SubElement(el, "penalty").text = PENALTY.get(q.kind, PENALTY["default"])
        ET.SubElement(el, "hidden").text = "0"
        ET.SubElement(el, "idnumber").text = q.idnumber
        if q.kind == "multichoice":
            ET.SubElement(el, "single").text = "true" if q.single else "false"
            ET.SubElement(el, "shuffleanswers").text = "true" if q.shuffle else "false"
            ET.SubElement(el, "answernumbering").text = "abc"
            for a in q.answers:
                grade = moodle_grade(a.fraction)
                if grade is None:
                    raise ValueError(f"{q.name}: the grade {a.fraction:g} % is not one Moodle allows")
                ans = _text_el(el, "answer", a.text)
                ans.set("fraction", _num(grade))
                _text_el(ans, "feedback", a.feedback)
        elif q.kind == "truefalse":
            for value in (True, False):
                ans = ET.SubElement(el, "answer", {"fraction": "100" if value == q.truth else "0",
                                                   "format": "moodle_auto_format"})
                ET.SubElement(ans, "text").text = "true" if value else "false"
                _text_el(ans, "feedback", q.feedback_right if value == q.truth else q.feedback_wrong)
        elif q.kind == "matching":
            ET.SubElement(el, "shuffleanswers").text = "true" if q.shuffle else "false"
            for left, right in [*q.pairs, *(("", d) for d in q.distractors)]:
                sub = _text_el(el, "subquestion", left)
                a = ET.SubElement(sub, "answer")
                ET.SubElement(a, "text").text = right
        elif q.kind == "numerical":
            ans = ET.SubElement(el, "answer", {"fraction": "100", "format": "plain_text"})
            ET.SubElement(ans, "text").text = _num(q.number)
            _text_el(ans, "feedback", "")
            ET.SubElement(ans, "tolerance").text = _num(q.tolerance)
            if q.unit:
                # Units optional and not graded, the unit shown to type (question/type/numerical
                # questiontype.php: showunits UNITINPUT = 0, unitgradingtype UNITOPTIONAL = 0): the number
                # alone is graded, as in IronBone.
                ET.SubElement(el, "unitgradingtype").text = "0"
                ET.SubElement(el, "unitpenalty").text = "0.1000000"
                ET.SubElement(el, "showunits").text = "0"
                ET.SubElement(el, "unitsleft").text = "0"
                units = ET.SubElement(ET.SubElement(el, "units"), "unit")
                ET.SubElement(units, "multiplier").text = "1"
                ET.SubElement(units, "unit_name").text = q.unit
        else:
            raise ValueError(f"Moodle XML export has no form for {q.kind!r}")
        if q.tags:
            tags = ET.SubElement(el, "tags")
            for t in q.tags:
                ET.SubElement(ET.SubElement(tags, "tag"), "text").text = t
    ET.indent(quiz)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(quiz, encoding="unicode") + "\n"


# --- back into the bank ------------------------------------------------------------------------

def metadata_of(q: LmsQuestion) -> dict:
    """IronBone's keys carried in the tags (section, page, difficulty, nodes, cite, type, unit)."""
    out: dict = {}
    for tag in q.tags:
        if not tag.startswith(TAG_PREFIX):
            continue
        key, _, value = tag[len(TAG_PREFIX):].partition(":")
        if not value:
            continue
        if key in ("node", "cite"):
            out.setdefault(key + "s", []).append(value)
        elif key == "difficulty" and value in ("1", "2", "3"):
            out[key] = int(value)
        elif key in ("section", "page", "type", "unit"):
            out[key] = value
    return out


def _click_node_answers(q: LmsQuestion, labels: Mapping[str, str] | None) -> list[str] | None:
    """The node ids a click-the-node question of IronBone's export asks for: its options must still be
    the diagram's node names and earn what IronBone's export gave them (else None: a lecturer changed it
    into another question in the LMS, which comes back as the choice question it now is)."""
    if not is_click_node(q) or q.kind != "multichoice" or not labels:
        return None
    ids = {label: nid for nid, label in labels.items()}
    if len(ids) != len(labels) or not all(a.text in ids for a in q.answers):
        return None
    right = [ids[a.text] for a in q.answers if a.fraction > 0]
    expected = [100.0 if a.fraction > 0 else 0.0 for a in q.answers] if len(right) == 1 else \
        _multi_fractions([a.fraction > 0 for a in q.answers])
    if not right or [a.fraction for a in q.answers] != expected or q.single != (len(right) == 1):
        return None
    return right


def lms_to_yaml_entry(q: LmsQuestion, qid: str, *, labels: Mapping[str, str] | None = None) -> dict:
    """An imported question as a content/quizzes entry. What IronBone exported comes back with its
    section, page, nodes, difficulty and references (from its tags), and a click-the-node question as
    one when `labels` (node id -> name on the diagram) shows its options are still node names; the rest
    takes the file's `defaults`, for the lecturer to set."""
    meta = metadata_of(q)
    entry: dict = {"id": qid}
    for key, target in (("section", "section"), ("page", "page"), ("difficulty", "difficulty"),
                        ("nodes", "nodes"), ("cites", "cite")):
        if key in meta:
            entry[target] = meta[key]
    if q.category and not q.category.startswith("IronBone/Section "):
        entry["category"] = q.category
    text = q.text
    clicked = _click_node_answers(q, labels)
    if clicked is not None:
        prompt = text[:-len(CLICK_NOTE)].rstrip() if text.endswith(CLICK_NOTE) else text
        entry.update(type=ClickNode.TYPE, prompt=prompt, answer=clicked if len(clicked) > 1 else clicked[0])
    elif q.kind == "truefalse":
        entry.update(type="truefalse", prompt=text, answer=q.truth)
    elif q.kind == "multichoice":
        choices: list[dict] = []
        for i, a in enumerate(q.answers):
            c = {"id": chr(ord("a") + i) if i < 26 else f"o{i}", "text": a.text}
            if a.feedback:
                c["feedback"] = a.feedback
            choices.append(c)
        right = [c["id"] for c, a in zip(choices, q.answers, strict=True) if a.fraction > 0]
        fractions = [a.fraction for a in q.answers]
        if q.single:
            best = next(c["id"] for c, a in zip(choices, q.answers, strict=True) if a.fraction == 100)
            if any(0 < f < 100 for f in fractions):  # partial credit: every option says what it earns
                for c, f in zip(choices, fractions, strict=True):
                    c["credit"] = f
            entry.update(type="single", prompt=text, choices=choices, answer=best)
        else:
            if fractions != _multi_fractions([f > 0 for f in fractions]):
                for c, f in zip(choices, fractions, strict=True):
                    c["credit"] = f
            entry.update(type="multiple", prompt=text, choices=choices, answers=right)
    elif q.kind == "matching":
        entry.update(type="matching", prompt=text, pairs=[list(p) for p in q.pairs])
        if q.distractors:
            entry["distractors"] = list(q.distractors)
    elif q.kind == "numerical":
        unit = q.unit or meta.get("unit", "")
        suffix = f" (Answer in {unit}.)"
        if unit and text.endswith(suffix):
            text = text[:-len(suffix)]
        entry.update(type="numeric", prompt=text, answer=q.number, tolerance=q.tolerance)
        if unit:
            entry["unit"] = unit
    explanation = q.general_feedback
    if "section" in meta and "page" in meta:  # drop what IronBone's export added to the explanation
        for added in (_READER_REFS, _OLD_REFS):
            explanation = added.sub("", explanation).strip()
    entry["explanation"] = explanation or "(imported: add an explanation)"
    return entry


# --- Moodle XML import -------------------------------------------------------------------------
# Read with expat directly, so every question keeps the line it starts on. A document type or an
# entity declaration is refused before it can expand (Moodle never writes one): no entity bombs,
# no external files.

_XML_KINDS = {"multichoice", "truefalse", "matching", "match", "numerical"}
_XML_UNSUPPORTED = {
    "shortanswer": "short-answer questions (typed text) are not supported",
    "essay": "essay questions are not supported",
    "description": "descriptions are not questions; skipped",
    "cloze": "embedded-answer (cloze) questions are not supported",
    "multianswer": "embedded-answer (cloze) questions are not supported",
    "calculated": "calculated questions are not supported",
    "calculatedsimple": "calculated questions are not supported",
    "calculatedmulti": "calculated questions are not supported",
    "ddwtos": "drag-and-drop questions are not supported",
    "ddimageortext": "drag-and-drop questions are not supported",
    "ddmarker": "drag-and-drop questions are not supported",
    "gapselect": "select-missing-words questions are not supported",
    "randomsamatch": "random short-answer matching is not supported",
    "random": "random questions (drawn from a Moodle category) are not supported",
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

    def raw(self) -> str:
        """The text of this element: its <text> child, as Moodle writes it, or its own text."""
        inner = self.child("text")
        return (inner.value() if inner is not None else self.value()).strip()

    def field(self, tag: str, *, default_format: str = "html") -> str:
        """The text of <tag> as plain text ('' when absent)."""
        node = self.child(tag)
        return "" if node is None else _node_text(node, default_format=default_format)


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
    except LookupError:  # an encoding Python does not know: <?xml encoding="x-klingon"?>
        declared = re.search(rb"encoding\s*=\s*[\"']([^\"']{0,40})", data if isinstance(data, bytes) else b"")
        name = declared.group(1).decode("ascii", "replace") if declared else "?"
        raise _Refused(1, f"the file declares the text encoding {name!r}, which IronBone cannot read (save it "
                          "as UTF-8); nothing imported") from None
    return root


def _node_text(node: _XmlNode, *, default_format: str = "html") -> str:
    fmt = XML_FORMATS.get(node.attrs.get("format", ""), default_format)
    try:
        return to_plain(node.raw(), fmt, what=f"<{node.tag}>")
    except TextRefused as exc:
        raise _Refused(node.line, str(exc)) from None


def _fraction(node: _XmlNode) -> float:
    raw = node.attrs.get("fraction", "0")
    try:
        frac = float(raw)
    except ValueError:
        raise _Refused(node.line, f"cannot read the grade fraction={_short(raw)}") from None
    if not (math.isfinite(frac) and -100 <= frac <= 100):
        raise _Refused(node.line, f"the grade fraction={_short(raw)} must be between -100 and 100")
    grade = moodle_grade(frac)
    if grade is None:
        raise _Refused(node.line, f"the grade fraction={_short(raw)} is not one Moodle allows (Moodle refuses the "
                                  "question too)")
    return grade


def _xml_metadata(q: _XmlNode) -> tuple[str, tuple[str, ...]]:
    idnumber = q.child("idnumber")
    tags = q.child("tags")
    names = tuple(t.raw() for t in tags.all("tag")) if tags is not None else ()
    return (idnumber.value().strip() if idnumber is not None else ""), tuple(n for n in names if n)


FIGURE_IMPORTED = (f"the picture {FIGURE_FILE} is IronBone's own diagram: the app shows its live diagram in "
                   "its place")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"\salt\s*=\s*(\"[^\"]*\"|'[^']*')", re.IGNORECASE)


def _own_figure(q: _XmlNode, kind: str, idnumber: str, tags: tuple[str, ...]) -> tuple[_XmlNode, _XmlNode] | None:
    """(<questiontext>, its <file>) of IronBone's diagram in a click-the-node question of IronBone's
    own export; None for any other question."""
    text = q.child("questiontext")
    if kind != "multichoice" or not idnumber or f"{TAG_PREFIX}type:{ClickNode.TYPE}" not in tags or text is None:
        return None
    file = next((f for f in text.all("file") if f.attrs.get("name") == FIGURE_FILE), None)
    return (text, file) if file is not None else None


def _xml_figure(node: _XmlNode, file: _XmlNode) -> tuple[str, LmsFigure | None]:
    """(text in words alone, figure) of a question text showing IronBone's diagram. The picture's bytes
    are checked to be a PNG and kept; everything else in the text is read as any other text is."""
    fmt = XML_FORMATS.get(node.attrs.get("format", ""), "html")
    try:
        plain = to_plain(node.raw(), fmt, what="<questiontext>", files=frozenset({FIGURE_FILE}))
    except TextRefused as exc:
        raise _Refused(node.line, str(exc)) from None
    if plain.count(FIGURE_MARK) == 0:  # stored but not shown: Moodle does not show it either
        return plain, None
    if plain.count(FIGURE_MARK) > 1:
        raise _Refused(node.line, f"the question shows {FIGURE_FILE} more than once; IronBone shows its diagram once")
    if file.attrs.get("encoding", "base64") != "base64" or len(file.value()) > MAX_FIGURE_BYTES * 4 // 3 + 4096:
        raise _Refused(file.line, f"the picture {FIGURE_FILE} is not stored as Moodle stores a file (base64, at "
                                  f"most {MAX_FIGURE_BYTES:,} bytes)")
    try:
        png = base64.b64decode("".join(file.value().split()), validate=True)
        width, height = png_size(png)
    except (binascii.Error, ValueError):
        raise _Refused(file.line, f"the picture {FIGURE_FILE} is not a PNG image in base64") from None
    lead, _, after = (part.strip() for part in plain.partition(FIGURE_MARK))
    img = next((m.group(0) for m in _IMG.finditer(node.raw()) if FIGURE_FILE in m.group(0)), "")
    alt = _ALT.search(img)
    figure = LmsFigure(name=FIGURE_FILE, png=png, width=width, height=height, lead=lead, after=after,
                       alt=html.unescape(alt.group(1)[1:-1]) if alt else "")
    text = f"{lead} {CLICK_NOTE}" if after == FIGURE_NOTE else "\n\n".join(p for p in (lead, after) if p)
    return text, figure


def _xml_question(q: _XmlNode, kind: str, category: str) -> LmsQuestion:
    for old in ("image", "image_base64"):
        node = q.child(old)
        if node is not None and node.value().strip():
            raise _Refused(node.line, f"the question has an image (<{old}>, Moodle 1.9's picture field); "
                                      "IronBone questions are text only")
    idnumber, tags = _xml_metadata(q)
    own = _own_figure(q, kind, idnumber, tags)
    text, figure = _xml_figure(*own) if own is not None else (q.field("questiontext"), None)
    if not text:
        raise _Refused(q.line, "the question has no text")
    base = dict(name=q.field("name", default_format="plain") or text[:40], text=text, category=category,
                general_feedback=q.field("generalfeedback"), idnumber=idnumber, tags=tags, line=q.line,
                figure=figure)
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
        single = (q.field("single", default_format="plain") or "true").lower() in ("true", "1")
        shuffle = (q.field("shuffleanswers", default_format="plain") or "true").lower() in ("true", "1")
        try:
            return _checked_multichoice(LmsQuestion(kind="multichoice", single=single, shuffle=shuffle,
                                                    answers=opts, **base))
        except _Unsupported as exc:
            raise _Refused(q.line, str(exc)) from None
    if kind in ("matching", "match"):
        pairs, distractors = [], []
        for sub in q.all("subquestion"):
            left = _node_text(sub)
            answer = sub.child("answer")
            right = answer.raw() if answer is not None else ""
            if not right:
                raise _Refused(sub.line, "a matching item has no answer")
            if left:
                pairs.append((left, right))
            else:
                distractors.append(right)  # an extra answer matching no item (Moodle)
        return LmsQuestion(kind="matching", pairs=tuple(pairs), distractors=tuple(distractors), **base)
    return _xml_numerical(q, answers, base)


def _xml_numerical(q: _XmlNode, answers: list[_XmlNode], base: dict) -> LmsQuestion:
    graded = [a for a in answers if _fraction(a) > 0]
    if len(graded) != 1 or _fraction(graded[0]) != 100:
        raise _Refused(q.line, "numerical questions with several graded answers (partial credit) are not supported")
    if len(answers) > 1:
        raise _Refused(answers[1].line, "feedback for wrong answers (an answer worth 0 %) of a numerical question is "
                                        "not supported: IronBone's numerical questions have one right answer")
    if graded[0].field("feedback"):
        raise _Refused(graded[0].line, "feedback on the numerical answer is not supported: IronBone shows one "
                                       "explanation (the general feedback)")
    grading = q.field("unitgradingtype", default_format="plain")
    if grading not in ("", "0"):
        raise _Refused(q.line, "graded units are not supported: IronBone grades the number only")
    unit = ""
    units = q.child("units")
    for u in units.all("unit") if units is not None else ():
        if u.field("multiplier", default_format="plain").strip() in ("1", "1.0", "1.0000000"):
            unit = u.field("unit_name", default_format="plain")
            break
    raw_number, raw_tol = graded[0].raw(), graded[0].field("tolerance", default_format="plain") or "0"
    try:
        number, tolerance = float(raw_number), float(raw_tol)
    except ValueError:
        raise _Refused(graded[0].line, f"cannot read the number {_short(raw_number)} "
                                       f"± {_short(raw_tol)}") from None
    if not (math.isfinite(number) and math.isfinite(tolerance)):
        raise _Refused(graded[0].line, f"cannot read the number {_short(raw_number)} (it must be finite)")
    if tolerance < 0:
        raise _Refused(graded[0].line, f"the tolerance {_num(tolerance)} must not be negative")
    return LmsQuestion(kind="numerical", number=number, tolerance=tolerance, unit=unit, **base)


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
    notes: list[ImportProblem] = []
    category = ""
    for q in quiz.all("question"):
        kind = q.attrs.get("type", "")
        try:
            if kind == "category":
                category = _category_path(q.field("category", default_format="plain"))
                continue
            if kind not in _XML_KINDS:
                raise _Refused(q.line, _XML_UNSUPPORTED.get(kind, f"question type {_short(kind)} is not supported"))
            imported = _xml_question(q, kind, category)
            if _too_few(imported):
                raise _Refused(q.line, _too_few(imported))
            questions.append(imported)
            if imported.figure is not None:
                notes.append(ImportProblem(line=q.line, message=FIGURE_IMPORTED))
        except _Refused as exc:
            problems.append(ImportProblem(line=exc.line, message=str(exc)))
    if not quiz.all("question"):
        problems.append(ImportProblem(line=quiz.line, message="the file has no <question>"))
    return ImportResult(questions=tuple(questions), problems=tuple(problems), notes=tuple(notes))


def import_file_bytes(data: bytes, *, xml: bool) -> ImportResult:
    """Either format from the file's bytes (GIFT is UTF-8; XML says its own encoding)."""
    if xml:
        return import_moodle_xml(data)
    try:
        return import_gift(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        return ImportResult(questions=(), problems=(ImportProblem(
            line=line, message=f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start} is not UTF-8 text "
                               "(GIFT files are UTF-8); nothing imported"),))


def looks_like_xml(name: str, data: bytes) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return name.lower().endswith(".xml") or head.startswith((b"<?xml", b"<quiz"))

