"""Lesson packs: export, preview and install into another profile; every hostile or damaged pack (zip
slip, zip bomb, huge manifest, wrong version, YAML tags, duplicates, bad checksums) is refused with a
clear message and changes nothing."""

from __future__ import annotations

import hashlib
import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from app.knowledge import session as sessionfile
from app.knowledge.tour_draft import DraftStep, TourDraft
from app.knowledge.tours import known_ids, load_tours
from app.model.simulation import Inputs
from app.quiz import pack, userbank
from app.quiz.bank import BankContext

CONTENT = Path(__file__).resolve().parents[2] / "content"
GIFT = "::Exporter::Which protein does hepcidin break down?{=Ferroportin ~TfR1 ~DMT1}\n\n::TF::Iron is a metal.{T}\n"


@pytest.fixture(scope="module")
def env(bank_and_model):
    bank, model = bank_and_model
    from app.knowledge.model_io import load_model_content

    mc = load_model_content(CONTENT, model.pathway)
    ctx = BankContext.of(CONTENT, pathway=model.pathway, model=model)
    known = known_ids(CONTENT, model.pathway, list(mc.scenarios), list(mc.treatments))
    ids = dict(treatments=list(mc.treatments), nodes=list(model.pathway.node_ids), scenarios=list(mc.scenarios))
    return ctx, known, ids, mc


def _profile(tmp_path: Path, name: str) -> Path:
    base = tmp_path / name
    base.mkdir()
    return base


def _lesson(tmp_path: Path, env) -> Path:
    """A lecturer's profile with two imported questions and a recorded tour, exported as a pack."""
    ctx, known, ids, _ = env
    base = _profile(tmp_path, "lecturer")
    src = tmp_path / "week3.gift"
    src.write_text(GIFT, encoding="utf-8")
    installed = userbank.install(userbank.preview(src, ctx=ctx), ctx=ctx, folder=base / "questions")
    draft = TourDraft(title="Week 3", summary="Iron and bone.")
    draft.add(DraftStep.record(Inputs.reference(), caption="Before.", page="node:hepcidin"))
    draft.add(DraftStep.record(Inputs(estrogen=10, ferritin=500, knockouts=("rankl",)), caption="After.", years=2))
    tour_path = draft.save(known, folder=base / "tours")
    session = sessionfile.dumps(sessionfile.Session(inputs=Inputs(estrogen=10, ferritin=500)), app_version="test")
    return pack.export_pack(tmp_path / "week 3", questions=[installed.path], tours=[tour_path],
                            session=session.encode("utf-8"), title="Week 3: iron", author="Dr. A")


def _read(path: Path, env) -> pack.PackPreview:
    ctx, known, ids, _ = env
    return pack.read_pack(path, ctx=ctx, known=known, **ids)


def test_a_pack_goes_from_one_profile_to_another(tmp_path: Path, env) -> None:
    ctx, known, ids, mc = env
    path = _lesson(tmp_path, env)
    assert path.name == "week 3.ironbone-pack"
    pv = _read(path, env)
    assert (pv.title, pv.author, pv.question_count, len(pv.tours)) == ("Week 3: iron", "Dr. A", 2, 1)
    assert pv.session is not None and pv.session.inputs == Inputs(estrogen=10, ferritin=500)
    student = _profile(tmp_path, "student")
    done = pack.install_pack(pv, base=student)
    assert done.question_ids == ("user:week3:1", "user:week3:2") and done.tour_ids == ("user:week-3",)
    assert done.session_file is not None and sessionfile.read(done.session_file).inputs.ferritin == 500
    files = userbank.list_files(ctx=ctx, folder=student / "questions")
    assert [q.id for f in files for q in f.questions] == ["user:week3:1", "user:week3:2"]
    assert all(not f.problems for f in files)
    tours, problems = load_tours(CONTENT, _pathway(), list(mc.scenarios), list(mc.treatments),
                                 user_folder=student / "tours")
    assert problems == [] and tours["user:week-3"].steps[1].knockouts == ("rankl",)
    # Installing again never overwrites: new names, ids follow.
    again = pack.install_pack(_read(path, env), base=student)
    assert again.question_ids == ("user:week3-2:1", "user:week3-2:2") and again.tour_ids == ("user:week-3-2",)
    assert userbank.list_files(ctx=ctx, folder=student / "questions")[1].problems == ()


def _pathway():
    from app.knowledge.content import load_content

    return load_content(CONTENT).pathway


def _zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]], *, manifest: dict | None | bytes = None,
         compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        if manifest is None:
            manifest = {"format": pack.FORMAT, "version": pack.VERSION, "title": "T", "author": "", "created": "",
                        "app_version": "", "entries": [
                            {"path": e[0].filename if isinstance(e[0], zipfile.ZipInfo) else e[0],
                             "kind": _kind(e[0]), "sha256": hashlib.sha256(e[1]).hexdigest()} for e in entries]}
        zf.writestr(pack.MANIFEST, manifest if isinstance(manifest, bytes) else json.dumps(manifest))
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def _kind(name: str | zipfile.ZipInfo) -> str:
    n = name.filename if isinstance(name, zipfile.ZipInfo) else name
    return "session" if n.endswith(".ironbone") else "tour" if n.startswith("tours/") else "questions"


QUESTION = (b"defaults: {section: '1', page: 'topic:s1-introduction', difficulty: 2, nodes: [bone_mass]}\n"
            b"questions:\n- {id: 'user:q:1', type: truefalse, prompt: P?, answer: true, explanation: E.}\n")


def _symlink(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize(("blob", "words"), [
    (lambda: _zip([("../../evil.yaml", QUESTION)]), "'..'"),
    (lambda: _zip([("/etc/cron.d/x", QUESTION)]), "absolute path"),
    (lambda: _zip([("C:/Windows/x.yaml", QUESTION)]), "absolute path"),
    (lambda: _zip([("questions\\..\\..\\x.yaml", QUESTION)]), "backslash"),
    (lambda: _zip([(_symlink("questions/q.yaml"), b"/etc/passwd")]), "symbolic link"),
    (lambda: _zip([("questions/", b"")]), "folder"),
    (lambda: _zip([("run.py", b"import os; os.system('rm -rf ~')")]), "not part of a lesson pack"),
    (lambda: _zip([("questions/q.yaml", b"\0" * (3 * 1024 * 1024))]), "unpacks to"),
    (lambda: _zip([(f"questions/q{i}.yaml", QUESTION) for i in range(pack.MAX_MEMBERS + 1)]), "at most 200"),
    (lambda: _zip([("questions/q.yaml", b"a" * (1024 * 1024))]), "zip bomb"),
    (lambda: _zip([("questions/q.yaml", QUESTION)], manifest=b" " * (pack.MAX_MANIFEST_BYTES + 1)), "unpacks to"),
    (lambda: _zip([("questions/q.yaml", QUESTION)], manifest={"format": pack.FORMAT, "version": 2, "title": "T",
                                                              "entries": []}), "newer IronBone"),
    (lambda: _zip([("questions/q.yaml", QUESTION)], manifest={"format": pack.FORMAT, "version": "1", "title": "T",
                                                              "entries": []}), "'version' must be a whole number"),
    (lambda: _zip([("questions/q.yaml", QUESTION)], manifest={"format": "zip", "version": 1}), "not a lesson pack"),
    (lambda: _zip([("questions/q.yaml", QUESTION)], manifest=b'{"format": "ironbone-pack", "format": "x"}'),
     "duplicate key"),
    (lambda: _zip([("questions/q.yaml", b"questions: !!python/object/apply:os.system [ls]\n")]), "tags"),
    (lambda: _zip([("questions/q.yaml", b"x: &a [1]\nquestions: *a\n")]), "aliases"),
    (lambda: _zip([("tours/t.yaml", b"id: !!binary aGk=\n")]), "tags"),
    (lambda: _zip([("questions/q.yaml", QUESTION), ("questions/Q.yaml", QUESTION)]), "appears twice"),
    (lambda: _zip([("questions/q.yaml", QUESTION.replace(b"user:q:1", b"s21-fenton"))]), "must start with user:q:"),
    (lambda: _zip([("session.ironbone", b'{"format": "ironbone-session", "version": 1, "inputs": '
                                        b'{"estrogen": 500, "ferritin": 50}}')]), "session.ironbone"),
    (lambda: b"PK\x03\x04 not really a zip", "not a readable zip"),
    (lambda: _zip([])[:-30], "not a readable zip"),
])
def test_hostile_and_damaged_packs_are_refused_and_change_nothing(tmp_path: Path, env, blob, words: str) -> None:
    base = _profile(tmp_path, "profile")
    path = tmp_path / "hostile.ironbone-pack"
    path.write_bytes(blob())
    with pytest.raises(pack.PackError) as err:
        _read(path, env)
    assert words in str(err.value), str(err.value)
    assert "\n" not in str(err.value) and len(str(err.value)) < 400
    assert list(base.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["hostile.ironbone-pack",
                                                                                         "profile"]


def test_a_changed_member_fails_its_checksum(tmp_path: Path, env) -> None:
    good = _zip([("questions/q.yaml", QUESTION)])
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(good)).read(pack.MANIFEST))
    path = tmp_path / "changed.ironbone-pack"
    path.write_bytes(_zip([("questions/q.yaml", QUESTION.replace(b"P?", b"Q?"))], manifest=manifest))
    with pytest.raises(pack.PackError, match="checksum"):
        _read(path, env)
    path.write_bytes(_zip([("questions/q.yaml", QUESTION), ("tours/t.yaml", b"id: user:t\n")], manifest=manifest))
    with pytest.raises(pack.PackError, match="disagree"):
        _read(path, env)


def test_a_header_that_lies_about_the_size_is_caught_while_reading(tmp_path: Path, env) -> None:
    blob = bytearray(_zip([("questions/q.yaml", QUESTION)], compression=zipfile.ZIP_STORED))
    # Make the central directory claim a tiny size for the member: the reader stops at limit + 1 and
    # compares with what it got.
    cd = blob.rfind(b"PK\x01\x02")
    name_at = blob.find(b"questions/q.yaml", cd)
    blob[name_at - 46 + 24:name_at - 46 + 28] = (10).to_bytes(4, "little")  # uncompressed size
    path = tmp_path / "liar.ironbone-pack"
    path.write_bytes(bytes(blob))
    with pytest.raises(pack.PackError, match="damaged|checksum|unpacks"):
        _read(path, env)


def test_install_is_all_or_nothing(tmp_path: Path, env, monkeypatch) -> None:
    pv = _read(_lesson(tmp_path, env), env)
    base = _profile(tmp_path, "student")
    real_replace = pack.os.replace
    calls = []

    def failing_replace(src, dst):  # noqa: ANN001, ANN202
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(pack.os, "replace", failing_replace)
    with pytest.raises(OSError):
        pack.install_pack(pv, base=base)
    leftovers = [p for p in base.rglob("*") if p.is_file()]
    assert leftovers == [] and len(calls) == 3


def test_export_refuses_a_broken_session_and_an_empty_pack(tmp_path: Path) -> None:
    with pytest.raises(pack.PackError, match="at least one"):
        pack.export_pack(tmp_path / "x", title="Empty")
    with pytest.raises(sessionfile.SessionError):
        pack.export_pack(tmp_path / "x", session=b"{}", title="Bad")
    assert list(tmp_path.iterdir()) == []


def test_open_pack_on_the_command_line_previews_then_installs(tmp_path: Path, env) -> None:
    import subprocess
    import sys

    path = _lesson(tmp_path, env)
    student = tmp_path / "student-profile"
    environ = {**__import__("os").environ, "IRONBONE_DATA_DIR": str(student)}

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "app", "open-pack", str(path), *extra], capture_output=True,
                              text=True, env=environ, cwd=CONTENT.parent, timeout=120, check=False)

    shown = run()
    assert shown.returncode == 0 and "“Week 3: iron” by Dr. A" in shown.stdout and "2 question(s)" in shown.stdout
    assert "Nothing installed" in shown.stdout and not student.exists()
    done = run("--yes")
    assert done.returncode == 0, done.stderr
    assert sorted(p.relative_to(student).as_posix() for p in student.rglob("*") if p.is_file()) == [
        "questions/week3.yaml", "sessions/week-3-iron.ironbone", "tours/week-3.yaml"]
    bad = tmp_path / "bad.ironbone-pack"
    bad.write_bytes(b"not a zip")
    result = subprocess.run([sys.executable, "-m", "app", "open-pack", str(bad), "--yes"], capture_output=True,
                            text=True, env=environ, cwd=CONTENT.parent, timeout=120, check=False)
    assert result.returncode == 1 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr
