"""Lesson packs: one zip file (.ironbone-pack) holding a lecturer's questions, tours and a session, with
a versioned manifest; read as hostile data, fully checked before anything is installed, installed
all or nothing into the user folders."""

# A pack comes from someone else, so every rule below assumes the worst:
# - data only: the members are manifest.json, questions/<name>.yaml, tours/<name>.yaml and
#   session.ironbone; any other name (code, a folder, a path with "..", "/", "\\", a drive letter, a
#   link) is refused, so nothing can be written outside the user folders (zip slip);
# - sizes are bounded before decompressing (member count, each member, the total, the compression
#   ratio) and again while reading (a header can lie), so a zip bomb costs nothing;
# - the manifest is bounded JSON without duplicate keys or NaN, of a known format and version, and
#   lists every member with its SHA-256, so a damaged or edited pack is refused;
# - YAML goes through the one bounded loader and may hold no tags or aliases; every question, tour
#   and the session is checked exactly as the app's own are.
# Nothing is written until everything checks out, and then each file goes to a temporary name in its
# folder and all are renamed together; a failure removes what was placed.

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import tempfile
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from app.knowledge import session as sessionfile
from app.knowledge.problems import Problem
from app.knowledge.tours import USER_PREFIX, Known, Tour, parse_tour
from app.knowledge.userdata import (
    MAX_USER_FILE_BYTES,
    QUESTIONS,
    TOURS,
    data_dir,
    free_name,
    load_user_yaml,
    slug,
)
from app.knowledge.userfile import UserFileError, decode_text, read_user_bytes
from app.knowledge.yamlio import YamlError
from app.quiz.bank import BankContext, load_document
from app.quiz.questions import Question

FORMAT = "ironbone-pack"
VERSION = 1
SUFFIX = ".ironbone-pack"
MIME_TYPE = "application/x-ironbone-pack"
SESSIONS = "sessions"  # <data>/sessions: where a pack's session is kept
MANIFEST = "manifest.json"
SESSION_MEMBER = "session.ironbone"

MAX_PACK_BYTES = 32 * 1024 * 1024  # the .ironbone-pack file itself
MAX_MEMBERS = 200
MAX_MEMBER_BYTES = MAX_USER_FILE_BYTES  # uncompressed, each (a session is also far below it)
MAX_TOTAL_BYTES = 16 * 1024 * 1024  # uncompressed, all members
MAX_RATIO = 100  # uncompressed / compressed per member; YAML and JSON compress 3-10 times
MAX_MANIFEST_BYTES = 256 * 1024
MAX_TEXT = 500  # title and author
_MEMBER = re.compile(r"^(questions|tours)/([a-z0-9][a-z0-9-]{0,59})\.yaml$")


class PackError(ValueError):
    """The pack cannot be used; the message says what is wrong, naming the member where there is one."""


@dataclass(frozen=True, kw_only=True)
class PackQuestions:
    name: str  # the file's name in the pack (questions/<name>.yaml)
    questions: tuple[Question, ...]
    data: Mapping[str, Any]  # the checked document, written back on install


@dataclass(frozen=True, kw_only=True)
class PackTour:
    name: str
    tour: Tour
    data: Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class PackPreview:
    """What a pack holds, every part checked: shown to the user before installing."""

    source: str
    title: str
    author: str
    created: str
    app_version: str
    questions: tuple[PackQuestions, ...] = ()
    tours: tuple[PackTour, ...] = ()
    session: sessionfile.Session | None = None
    session_bytes: bytes = field(default=b"", repr=False)

    @property
    def question_count(self) -> int:
        return sum(len(q.questions) for q in self.questions)


@dataclass(frozen=True, kw_only=True)
class InstalledPack:
    question_files: tuple[Path, ...]
    tour_files: tuple[Path, ...]
    session_file: Path | None
    question_ids: tuple[str, ...]  # the installed ids (renamed where a name was taken)
    tour_ids: tuple[str, ...]


# --- writing -------------------------------------------------------------------------------------

def _plain(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_plain(v) for v in obj]
    return obj


def _read_yaml(path: Path, what: str) -> Any:
    try:
        return load_user_yaml(decode_text(read_user_bytes(path, limit=MAX_USER_FILE_BYTES, what=what), path))
    except (UserFileError, YamlError) as exc:
        raise PackError(f"{path.name}: {exc}") from None


def export_pack(path: Path, *, questions: Iterable[Path] = (), question_ids: Iterable[str] | None = None,
                tours: Iterable[Path] = (), session: bytes | None = None, title: str, author: str = "",
                app_version: str = "") -> Path:
    """Write a pack to `path` (atomically; SUFFIX added if missing): the user question files given
    (only `question_ids` of them, if given), the user tour files given and a session (the text of an
    .ironbone file). PackError if a part cannot be read or the pack would break a bound."""
    path = Path(path)
    if not path.name.endswith(SUFFIX):
        path = path.with_name(path.name + SUFFIX)
    if not title.strip() or len(title) > MAX_TEXT or len(author) > MAX_TEXT:
        raise PackError(f"a pack needs a title (at most {MAX_TEXT} characters; the author too)")
    wanted = set(question_ids) if question_ids is not None else None
    members: list[tuple[str, str, bytes]] = []  # (name, kind, data)
    for qpath in questions:
        data = _read_yaml(Path(qpath), "question file")
        if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            raise PackError(f"{Path(qpath).name}: not a question file")
        entries = [q for q in data["questions"] if wanted is None or (isinstance(q, dict) and q.get("id") in wanted)]
        if entries:
            doc = {"defaults": _plain(data.get("defaults") or {}), "questions": _plain(entries)}
            members.append((f"{QUESTIONS}/{Path(qpath).stem}.yaml", "questions",
                            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")))
    for tpath in tours:
        data = _read_yaml(Path(tpath), "tour file")
        members.append((f"{TOURS}/{Path(tpath).stem}.yaml", "tour",
                        yaml.safe_dump(_plain(data), allow_unicode=True, sort_keys=False, width=100).encode("utf-8")))
    if session is not None:
        sessionfile.loads(session)  # a pack never carries a session the app would refuse
        members.append((SESSION_MEMBER, "session", bytes(session)))
    if not members:
        raise PackError("a pack needs at least one question, tour or session")
    names = [m[0] for m in members]
    if len(set(names)) != len(names) or any(not (_MEMBER.match(n) or n == SESSION_MEMBER) for n in names):
        raise PackError("two parts have the same name, or a name a pack cannot hold; rename the file")
    manifest = {"format": FORMAT, "version": VERSION, "title": title.strip(), "author": author.strip(),
                "created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "app_version": app_version,
                "entries": [{"path": n, "kind": k, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()}
                            for n, k, d in members]}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2))
        for name, _, data in members:
            zf.writestr(name, data)
    if buf.tell() > MAX_PACK_BYTES:
        raise PackError(f"the pack would be larger than {MAX_PACK_BYTES // (1024 * 1024)} MB")
    from app.knowledge.userdata import atomic_write

    atomic_write(path, buf.getvalue())
    return path


# --- reading -------------------------------------------------------------------------------------

def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a member may not be in a pack (None: its name and kind are fine)."""
    name = info.filename
    mode = info.external_attr >> 16
    if info.is_dir() or name.endswith("/"):
        return "is a folder entry (a pack holds files only)"
    if mode and stat.S_ISLNK(mode):
        return "is a symbolic link (a pack holds files only)"
    if mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
        return "is not an ordinary file"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    if "\\" in name:
        return "has a backslash in its path"
    if ".." in name.split("/"):
        return "leads out of the pack's folder ('..')"
    if "\x00" in name or any(ord(c) < 32 for c in name):
        return "has a control character in its name"
    if info.flag_bits & 0x1:
        return "is encrypted"
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return "uses a compression IronBone does not read"
    if name != MANIFEST and name != SESSION_MEMBER and not _MEMBER.match(name):
        return ("is not part of a lesson pack (a pack holds manifest.json, questions/<name>.yaml, "
                "tours/<name>.yaml and session.ironbone; names in lower-case letters, digits and '-')")
    return None


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The member's bytes, reading at most `limit` + 1 whatever its header claims."""
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise PackError(f"{info.filename}: damaged ({exc})") from None
    except Exception as exc:  # zlib.error and friends: a corrupt stream
        raise PackError(f"{info.filename}: damaged ({type(exc).__name__})") from None
    if len(data) > limit:
        raise PackError(f"{info.filename}: unpacks to more than {limit:,} bytes (at most {limit:,})")
    if len(data) != info.file_size:
        raise PackError(f"{info.filename}: damaged (it unpacks to {len(data):,} bytes, its header says "
                        f"{info.file_size:,})")
    return data


def _manifest(raw: bytes) -> dict[str, Any]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            raise ValueError(f"duplicate key {next(k for k in keys if keys.count(k) > 1)!r}")
        return dict(pairs)

    def no_constant(name: str) -> None:
        raise ValueError(f"{name} is not a number")

    try:
        data = json.loads(raw.decode("utf-8"), object_pairs_hook=no_duplicates, parse_constant=no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PackError(f"{MANIFEST}: not valid JSON ({str(exc)[:120]})") from None
    if not isinstance(data, dict):
        raise PackError(f"{MANIFEST}: must be a JSON object")
    if data.get("format") != FORMAT:
        raise PackError(f"{MANIFEST}: not a lesson pack (format {str(data.get('format'))[:40]!r}, "
                        f"expected {FORMAT!r})")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PackError(f"{MANIFEST}: 'version' must be a whole number (got {str(version)[:20]!r})")
    if version > VERSION:
        raise PackError(f"the pack was made by a newer IronBone (pack version {version}; this one reads "
                        f"version {VERSION}): update IronBone to open it")
    for key in ("title", "author", "created", "app_version"):
        value = data.get(key, "")
        if not isinstance(value, str) or len(value) > MAX_TEXT:
            raise PackError(f"{MANIFEST}: '{key}' must be text of at most {MAX_TEXT} characters")
    if not data.get("title", "").strip():
        raise PackError(f"{MANIFEST}: the pack has no title")
    entries = data.get("entries")
    if not isinstance(entries, list) or not entries or len(entries) > MAX_MEMBERS:
        raise PackError(f"{MANIFEST}: 'entries' must list the pack's files (1 to {MAX_MEMBERS})")
    kinds = {"questions": "questions/", "tour": "tours/", "session": SESSION_MEMBER}
    for e in entries:
        if not (isinstance(e, dict) and isinstance(e.get("path"), str) and e.get("kind") in kinds
                and isinstance(e.get("sha256"), str) and re.fullmatch(r"[0-9a-f]{64}", e["sha256"])
                and e["path"].startswith(kinds[e["kind"]])):
            raise PackError(f"{MANIFEST}: an entry must give 'path', 'kind' (questions, tour or session) and its "
                            f"'sha256' ({str(e)[:80]})")
    return data


def read_pack(path: Path, *, ctx: BankContext, known: Known, treatments: Iterable[str] = (),
              nodes: Iterable[str] = (), scenarios: Iterable[str] = (), taken_question_ids: Iterable[str] = (),
              ) -> PackPreview:
    """Open and check every part of the pack at `path`; PackError (one clear message) if anything is
    wrong. Nothing is written."""
    path = Path(path)
    try:
        blob = read_user_bytes(path, limit=MAX_PACK_BYTES, what="lesson pack")
    except UserFileError as exc:
        raise PackError(str(exc)) from None
    try:
        zf = zipfile.ZipFile(io.BytesIO(blob))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise PackError(f"{path.name}: not a lesson pack (not a readable zip file: {exc})") from None
    with zf:
        return _check_pack(path.name, zf, ctx=ctx, known=known, treatments=treatments, nodes=nodes,
                           scenarios=scenarios, taken=taken_question_ids)


def _check_pack(source: str, zf: zipfile.ZipFile, *, ctx: BankContext, known: Known, treatments: Iterable[str],
                nodes: Iterable[str], scenarios: Iterable[str], taken: Iterable[str]) -> PackPreview:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS + 1:
        raise PackError(f"{source}: holds {len(infos):,} files; a pack holds at most {MAX_MEMBERS}")
    names = [i.filename for i in infos]
    lowered = [n.lower() for n in names]
    if len(set(lowered)) != len(lowered):
        dup = next(n for n in names if lowered.count(n.lower()) > 1)
        raise PackError(f"{source}: the name {dup[:80]!r} appears twice (or twice in different case)")
    for info in infos:
        why = _member_problem(info)
        if why:
            raise PackError(f"{source}: {info.filename[:80]!r} {why}; nothing installed")
    total = 0
    for info in infos:
        limit = MAX_MANIFEST_BYTES if info.filename == MANIFEST else MAX_MEMBER_BYTES
        if info.file_size > limit:
            raise PackError(f"{source}: {info.filename} unpacks to {info.file_size:,} bytes (at most {limit:,})")
        if info.file_size > MAX_RATIO * max(info.compress_size, 1) and info.file_size > 64 * 1024:
            raise PackError(f"{source}: {info.filename} is compressed {info.file_size // max(info.compress_size, 1):,} "
                            f"times (at most {MAX_RATIO}): a zip bomb, not a lesson")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise PackError(f"{source}: unpacks to {total:,} bytes in all (at most {MAX_TOTAL_BYTES:,})")
    if MANIFEST not in names:
        raise PackError(f"{source}: not a lesson pack (no {MANIFEST})")
    by_name = {i.filename: i for i in infos}
    manifest = _manifest(_read_member(zf, by_name[MANIFEST], MAX_MANIFEST_BYTES))
    listed = {e["path"]: e for e in manifest["entries"]}
    members = set(names) - {MANIFEST}
    if set(listed) != members or len(listed) != len(manifest["entries"]):
        extra, missing = sorted(members - set(listed)), sorted(set(listed) - members)
        raise PackError(f"{source}: the manifest and the files disagree (not listed: {extra[:3]}, missing: "
                        f"{missing[:3]}); the pack is damaged")
    read: dict[str, bytes] = {}
    for name in sorted(members):
        data = _read_member(zf, by_name[name], MAX_MEMBER_BYTES)
        if hashlib.sha256(data).hexdigest() != listed[name]["sha256"]:
            raise PackError(f"{source}: {name} does not match the manifest's checksum; the pack is damaged "
                            "or was changed")
        read[name] = data
    return _check_contents(source, manifest, read, ctx=ctx, known=known, treatments=treatments, nodes=nodes,
                           scenarios=scenarios, taken=taken)


def _yaml_of(name: str, data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise PackError(f"{name}: not UTF-8 text") from None
    try:
        return load_user_yaml(text)
    except YamlError as exc:
        raise PackError(f"{name}:{exc.line}: {exc}") from None


def _problems(name: str, problems: Sequence[Problem]) -> PackError:
    shown = "; ".join(f"line {p.line}: {p.message}" for p in problems[:3])
    more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
    return PackError(f"{name}: {shown}{more}")


def _check_contents(source: str, manifest: Mapping[str, Any], members: Mapping[str, bytes], *, ctx: BankContext,
                    known: Known, treatments: Iterable[str], nodes: Iterable[str], scenarios: Iterable[str],
                    taken: Iterable[str]) -> PackPreview:
    questions: list[PackQuestions] = []
    tours: list[PackTour] = []
    seen = {qid: "the built-in bank" for qid in taken}
    for name, data in sorted(members.items()):
        m = _MEMBER.match(name)
        if m and m.group(1) == QUESTIONS:
            doc = _yaml_of(name, data)
            got, problems = load_document(doc, name, ctx, seen)
            stem = m.group(2)
            wrong = [q.id for q in got if not q.id.startswith(f"user:{stem}:")]
            if wrong:
                problems = [*problems, Problem(name, 1, f"question id {wrong[0]!r} must start with user:{stem}:")]
            if problems:
                raise _problems(name, problems)
            questions.append(PackQuestions(name=stem, questions=tuple(got), data=_plain(doc)))
        elif m and m.group(1) == TOURS:
            doc = _yaml_of(name, data)
            tour, problems = parse_tour(doc, name, known, user=True)
            if problems or tour is None:
                raise _problems(name, problems or [Problem(name, 1, "not a tour")])
            if tour.id != f"{USER_PREFIX}{m.group(2)}":
                raise PackError(f"{name}: the tour's id must be {USER_PREFIX}{m.group(2)} (got {tour.id[:60]!r})")
            tours.append(PackTour(name=m.group(2), tour=tour, data=_plain(doc)))
    session = None
    blob = members.get(SESSION_MEMBER, b"")
    if SESSION_MEMBER in members:
        try:
            session = sessionfile.loads(blob)
        except sessionfile.SessionError as exc:
            raise PackError(f"{SESSION_MEMBER}: {exc}") from None
        bad = sessionfile.check_ids(session, treatments=treatments, nodes=nodes, scenarios=scenarios)
        if bad:
            raise PackError(f"{SESSION_MEMBER}: {bad[0]}")
    return PackPreview(source=source, title=manifest["title"].strip(), author=manifest.get("author", "").strip(),
                       created=manifest.get("created", ""), app_version=manifest.get("app_version", ""),
                       questions=tuple(questions), tours=tuple(tours), session=session, session_bytes=blob)


# --- installing ----------------------------------------------------------------------------------

def _renamed_questions(doc: Mapping[str, Any], old: str, new: str) -> dict[str, Any]:
    out = _plain(doc)
    for q in out["questions"]:
        q["id"] = f"user:{new}:" + q["id"][len(f"user:{old}:"):]
    return out


def install_pack(pv: PackPreview, *, base: Path | None = None) -> InstalledPack:
    """Install a checked pack into <base>/questions, <base>/tours and <base>/sessions (base: the data
    folder). A name already taken gets a free one (question ids and the tour id follow it), so nothing
    of the user's is overwritten. All or nothing: on any failure the files placed so far are removed."""
    base = base if base is not None else data_dir()
    plans: list[tuple[Path, bytes]] = []
    question_ids: list[str] = []
    tour_ids: list[str] = []
    reserved: dict[Path, set[str]] = {}

    def name_in(folder: Path, stem: str, suffix: str) -> str:
        taken = reserved.setdefault(folder, set())
        name, n = stem, 1
        while name in taken or (folder / f"{name}{suffix}").exists():
            n += 1
            name = f"{stem}-{n}"
        taken.add(name)
        return name

    qdir, tdir, sdir = base / QUESTIONS, base / TOURS, base / SESSIONS
    for pq in pv.questions:
        name = name_in(qdir, pq.name, ".yaml")
        doc = _renamed_questions(pq.data, pq.name, name)
        question_ids += [q["id"] for q in doc["questions"]]
        header = f"# Questions from the lesson pack {pv.source} ({pv.title}).\n"
        plans.append((qdir / f"{name}.yaml", (header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False,
                                                                      width=100)).encode("utf-8")))
    for pt in pv.tours:
        name = name_in(tdir, pt.name, ".yaml")
        doc = _plain(pt.data)
        doc["id"] = f"{USER_PREFIX}{name}"
        tour_ids.append(doc["id"])
        plans.append((tdir / f"{name}.yaml", yaml.safe_dump(doc, allow_unicode=True, sort_keys=False,
                                                            width=100).encode("utf-8")))
    session_file = None
    if pv.session is not None:
        name = name_in(sdir, slug(pv.title, fallback="lesson"), sessionfile.SUFFIX)
        session_file = sdir / f"{name}{sessionfile.SUFFIX}"
        plans.append((session_file, pv.session_bytes))
    _place_all(plans)
    return InstalledPack(question_files=tuple(p for p, _ in plans if p.parent == qdir),
                         tour_files=tuple(p for p, _ in plans if p.parent == tdir), session_file=session_file,
                         question_ids=tuple(question_ids), tour_ids=tuple(tour_ids))


def _place_all(plans: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file to a temporary name beside its target, then rename them all; undo on failure."""
    temps: list[tuple[str, Path]] = []
    placed: list[Path] = []
    try:
        for target, data in plans:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            temps.append((tmp, target))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
        for tmp, target in temps:
            if target.exists():  # appeared since the names were chosen: never overwrite the user's file
                raise PackError(f"{target} appeared while installing; nothing installed")
            os.replace(tmp, target)
            placed.append(target)
    except BaseException:
        for target in placed:
            try:
                target.unlink()
            except OSError:
                pass
        for tmp, _ in temps:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        raise


def free_pack_name(folder: Path, title: str) -> Path:
    """A file name for a new pack in `folder`, from its title."""
    stem = free_name(folder, slug(title, fallback="lesson"), SUFFIX)
    return folder / f"{stem}{SUFFIX}"
