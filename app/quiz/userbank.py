"""A lecturer's own questions: imported from GIFT or Moodle XML into a user folder beside the progress
database (<data>/questions/<name>.yaml), checked exactly like the built-in bank, listed, filtered by
category and removed; the app's bank is the built-in one plus these."""

# Flow for the GUI: preview(file) shows what will come in and what will not (line and reason, from
# the importer and from the bank's own checks), install(preview) writes one YAML file atomically.
# Ids are namespaced "user:<file>:<n>" so they never collide with built-in ids (which never start
# with "user:"), and they stay the same as long as the file does, so progress in the store (keyed by
# question id) follows them. Built-in questions are never touched.

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from app.knowledge.problems import Problem
from app.knowledge.userdata import (
    MAX_USER_FILE_BYTES,
    QUESTIONS,
    atomic_write,
    free_name,
    load_user_yaml,
    slug,
    user_folder,
)
from app.knowledge.userfile import UserFileError, decode_text, read_user_bytes
from app.knowledge.yamlio import YamlError
from app.quiz.bank import Bank, BankContext, load_document
from app.quiz.exchange import ImportResult, import_file_bytes, is_click_node, lms_to_yaml_entry, looks_like_xml
from app.quiz.questions import ClickNode, Question

CLICK_NODE_CHANGED = ("IronBone exported this as a click-the-node question, but its options are no longer the "
                      "diagram's node names (or their grades changed): it comes in as the choice question it now is")
MY_QUESTIONS = "My questions"  # the category of a question whose file gave it none
ID_PREFIX = "user:"
MAX_IMPORT_BYTES = 20 * 1024 * 1024  # a GIFT or Moodle XML file (Moodle's own exports run to a few MB)
# Where imported questions belong until the lecturer says otherwise: the review's introduction.
DEFAULTS: Mapping[str, Any] = {"section": "1", "page": "topic:s1-introduction", "difficulty": 2,
                               "nodes": ["bone_mass"]}


class UserBankError(ValueError):
    """A user question file or import that cannot be used; the message says which and why."""


@dataclass(frozen=True, kw_only=True)
class Incoming:
    """One question that will come in: its line in the source file, the checked question, its entry."""

    line: int
    question: Question
    entry: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class Refused:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.line}: {self.reason}"


@dataclass(frozen=True, kw_only=True)
class ImportPreview:
    """What importing `source` would do: `incoming` questions (checked like the bank), `refused` ones,
    and `notes` on incoming ones taken otherwise than the file has them (line and reason, as `Refused`)."""

    source: str  # the file's name, for messages
    stem: str  # the name the user file will get (before avoiding a clash)
    defaults: Mapping[str, Any]
    incoming: tuple[Incoming, ...]
    refused: tuple[Refused, ...]
    notes: tuple[Refused, ...] = ()

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(q.question.category or MY_QUESTIONS for q in self.incoming))


@dataclass(frozen=True, kw_only=True)
class UserFile:
    """One installed file of user questions."""

    name: str  # stem: <data>/questions/<name>.yaml
    path: Path
    questions: tuple[Question, ...]
    problems: tuple[Problem, ...] = field(default=())

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(category_of(q) for q in self.questions))


def category_of(q: Question) -> str:
    return q.category or MY_QUESTIONS


def _qid(stem: str, n: int) -> str:
    return f"{ID_PREFIX}{stem}:{n}"


def _check_entries(entries: list[dict], defaults: Mapping[str, Any], ctx: BankContext, name: str,
                   taken: Iterable[str] = ()) -> list[tuple[Question | None, str]]:
    """Each entry through the bank's own loader (one at a time, so every problem belongs to its
    question): (question, "") or (None, reason)."""
    seen = {qid: "the built-in bank" for qid in taken}
    out: list[tuple[Question | None, str]] = []
    for entry in entries:
        data = copy.deepcopy({"defaults": dict(defaults), "questions": [entry]})
        got, problems = load_document(data, name, ctx, seen)
        out.append((got[0], "") if got else (None, "; ".join(p.message for p in problems) or "not accepted"))
    return out


def convert(result: ImportResult, *, stem: str, ctx: BankContext, defaults: Mapping[str, Any] | None = None,
            name: str = "", taken: Iterable[str] = (), notes: list[Refused] | None = None,
            ) -> tuple[list[Incoming], list[Refused]]:
    """Imported LMS questions as bank entries with ids user:<stem>:<n>, each checked by the bank.
    `notes` (if given) receives what was taken otherwise than the file has it, by line."""
    defaults = dict(DEFAULTS if defaults is None else defaults)
    refused = [Refused(line=p.line, reason=p.message) for p in result.problems]
    entries = [lms_to_yaml_entry(q, _qid(stem, i), labels=ctx.node_labels) for i, q in enumerate(result.questions, 1)]
    incoming: list[Incoming] = []
    for q, entry, (checked, reason) in zip(result.questions, entries,
                                           _check_entries(entries, defaults, ctx, name or stem, taken), strict=True):
        if checked is None:
            refused.append(Refused(line=q.line, reason=f"the question does not fit IronBone's bank: {reason}"))
        else:
            incoming.append(Incoming(line=q.line, question=checked, entry=entry))
            if notes is not None:
                notes += [Refused(line=n.line, reason=n.message) for n in result.notes if n.line == q.line]
                if is_click_node(q) and checked.type != ClickNode.TYPE:
                    notes.append(Refused(line=q.line, reason=CLICK_NODE_CHANGED))
    refused.sort(key=lambda r: r.line)
    return incoming, refused


def preview(path: Path, *, ctx: BankContext, defaults: Mapping[str, Any] | None = None,
            taken: Iterable[str] = ()) -> ImportPreview:
    """What importing the GIFT or Moodle XML file at `path` would bring in. UserBankError if the file
    cannot be read at all (not a regular file, too large)."""
    path = Path(path)
    try:
        data = read_user_bytes(path, limit=MAX_IMPORT_BYTES, what="quiz file")
    except UserFileError as exc:
        raise UserBankError(str(exc)) from None
    result = import_file_bytes(data, xml=looks_like_xml(path.name, data))
    stem = slug(path.stem)
    notes: list[Refused] = []
    incoming, refused = convert(result, stem=stem, ctx=ctx, defaults=defaults, name=path.name, taken=taken,
                                notes=notes)
    return ImportPreview(source=path.name, stem=stem, defaults=dict(DEFAULTS if defaults is None else defaults),
                         incoming=tuple(incoming), refused=tuple(refused), notes=tuple(notes))


def _plain_data(obj: Any) -> Any:
    """Line-tracking dicts and lists (app.knowledge.yamlio) as plain ones, which YAML can write."""
    if isinstance(obj, dict):
        return {k: _plain_data(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain_data(v) for v in obj]
    return obj


def _dump(defaults: Mapping[str, Any], entries: list[dict], header: str) -> bytes:
    doc = {"defaults": dict(defaults), "questions": entries}
    return (header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)).encode("utf-8")


def install(pv: ImportPreview, *, ctx: BankContext, category: str | None = None, folder: Path | None = None,
            taken: Iterable[str] = ()) -> UserFile:
    """Write the previewed questions as <folder>/<stem>.yaml (a free name; ids follow it), each in
    `category` if given, else in its file's category, else "My questions". All or nothing: the
    questions are checked again with their final ids before the one atomic write."""
    if not pv.incoming:
        raise UserBankError(f"{pv.source}: no question to install ({len(pv.refused)} refused)")
    folder = folder if folder is not None else user_folder(QUESTIONS)
    folder.mkdir(parents=True, exist_ok=True)
    stem = free_name(folder, pv.stem)
    entries = []
    for n, inc in enumerate(pv.incoming, 1):
        entry = dict(inc.entry)
        entry["id"] = _qid(stem, n)
        entry["category"] = (category or entry.get("category") or MY_QUESTIONS).strip()
        entries.append(entry)
    checked = _check_entries(entries, pv.defaults, ctx, f"{stem}.yaml", taken)
    bad = [reason for q, reason in checked if q is None]
    if bad:
        raise UserBankError(f"{pv.source}: {bad[0]}")
    path = folder / f"{stem}.yaml"
    header = f"# Questions imported from {pv.source} into IronBone. Edit them here, or remove the file.\n"
    atomic_write(path, _dump(pv.defaults, entries, header))
    return read_file(path, ctx=ctx)  # as the app will read it (file and line of each question)


def read_file(path: Path, *, ctx: BankContext, seen: dict[str, str] | None = None) -> UserFile:
    """One user question file, checked like the bank (bad questions are problems, not raised)."""
    name = path.stem
    label = f"{QUESTIONS}/{path.name}"
    try:
        text = decode_text(read_user_bytes(path, limit=MAX_USER_FILE_BYTES, what="question file"), path)
        data = load_user_yaml(text)
    except UserFileError as exc:
        return UserFile(name=name, path=path, questions=(), problems=(Problem(label, exc.line or 1, exc.reason),))
    except YamlError as exc:
        return UserFile(name=name, path=path, questions=(), problems=(Problem(label, exc.line, str(exc)),))
    questions, problems = load_document(data, label, ctx, seen)
    # A user file may only hold its own namespace: "user:<its name>:..." (a copied file keeps working
    # under its new name only after its ids are renamed, so two files can never fight over an id).
    own = [q for q in questions if q.id.startswith(f"{ID_PREFIX}{name}:")]
    for q in questions:
        if q not in own:
            problems.append(Problem(label, q.line, f"question id {q.id!r} must start with {ID_PREFIX}{name}: "
                                                   "(the file's own name)"))
    return UserFile(name=name, path=path, questions=tuple(own), problems=tuple(problems))


def list_files(*, ctx: BankContext, folder: Path | None = None, taken: Iterable[str] = ()) -> list[UserFile]:
    """Every user question file (file-name order), each checked like the bank."""
    folder = folder if folder is not None else user_folder(QUESTIONS)
    if not folder.is_dir():
        return []
    seen = {qid: "the built-in bank" for qid in taken}
    return [read_file(p, ctx=ctx, seen=seen) for p in sorted(folder.glob("*.yaml")) if p.is_file()
            or p.is_symlink()]


def user_questions(files: Iterable[UserFile], *, category: str | None = None) -> tuple[Question, ...]:
    """The questions of `files`, those of one category only if given ("My questions" included)."""
    return tuple(q for f in files for q in f.questions if category is None or category_of(q) == category)


def categories(files: Iterable[UserFile]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for f in files for c in f.categories))


def combined_bank(builtin: Bank, *, ctx: BankContext, pathway: Any = None, folder: Path | None = None) -> Bank:
    """The bank the app uses: the built-in questions, then every valid user question; user-file
    problems are added to the bank's problems (shown as content problems)."""
    files = list_files(ctx=ctx, folder=folder, taken=[q.id for q in builtin.questions])
    extra = builtin.with_questions(user_questions(files), pathway)
    problems = tuple(p for f in files for p in f.problems)
    return Bank(extra.questions, builtin.problems + problems, extra.compartments)


def remove_file(name: str, *, folder: Path | None = None) -> tuple[str, ...]:
    """Delete <folder>/<name>.yaml; the ids of the questions it held (their progress stays in the
    store, harmless, and returns if the file is imported again under the same name)."""
    folder = folder if folder is not None else user_folder(QUESTIONS)
    path = folder / f"{slug(name, fallback='')}.yaml"
    if not name or path.name != f"{name}.yaml" or not path.is_file():
        raise UserBankError(f"no user question file named {name!r}")
    ids: tuple[str, ...] = ()
    try:
        data = load_user_yaml(decode_text(read_user_bytes(path, limit=MAX_USER_FILE_BYTES), path))
        ids = tuple(q["id"] for q in data.get("questions", []) if isinstance(q, dict) and isinstance(q.get("id"), str))
    except (UserFileError, YamlError, AttributeError):
        pass
    path.unlink()
    return ids


def remove_question(qid: str, *, folder: Path | None = None) -> None:
    """Delete one user question from its file (the file goes when it holds no question any more)."""
    if not qid.startswith(ID_PREFIX) or qid.count(":") < 2:
        raise UserBankError(f"{qid!r} is not a user question (built-in questions cannot be removed)")
    folder = folder if folder is not None else user_folder(QUESTIONS)
    name = qid[len(ID_PREFIX):].rsplit(":", 1)[0]
    path = folder / f"{name}.yaml"
    if slug(name, fallback="") != name or not path.is_file():
        raise UserBankError(f"no user question {qid!r}")
    text = decode_text(read_user_bytes(path, limit=MAX_USER_FILE_BYTES, what="question file"), path)
    lines = text.split("\n")
    header = "".join(f"{line}\n" for line in lines if line.startswith("#")) if lines and lines[0].startswith("#") \
        else ""
    data = load_user_yaml(text)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise UserBankError(f"{path}: not a question file")
    kept = [q for q in data["questions"] if not (isinstance(q, dict) and q.get("id") == qid)]
    if len(kept) == len(data["questions"]):
        raise UserBankError(f"no user question {qid!r}")
    if not kept:
        path.unlink()
        return
    atomic_write(path, _dump(_plain_data(data.get("defaults") or {}), _plain_data(kept), header))
