"""A lecturer's own questions: preview and install from GIFT / Moodle XML into the user folder,
checked like the built-in bank, namespaced ids, categories, removal, progress kept like any other."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from app.knowledge.userdata import data_dir
from app.quiz import userbank
from app.quiz.bank import Bank, BankContext
from app.quiz.grading import grade
from app.quiz.questions import MultipleAnswer, SingleChoice, TrueFalse
from app.quiz.store import ProgressStore, default_path

CONTENT = Path(__file__).resolve().parents[2] / "content"

GIFT = """$CATEGORY: $course$/top/Iron week

// [tag:ironbone-section:3.2] [tag:ironbone-page:node:hepcidin] [tag:ironbone-node:hepcidin]
::Exporter::Which protein does hepcidin break down?{
  =Ferroportin (FPN1)#Right: the only known cellular iron exporter.
  ~Transferrin receptor 1
  ~DMT1
}

::Essay::Discuss iron and bone.{}

::Half::Which is the iron hormone?{~ROS ~%50%Ferritin =Hepcidin}

$CATEGORY: $course$/top/Estrogen

::TF::Estrogen falls after menopause.{TRUE}

::Pairs::Match.{=A -> a =B -> b =C -> c =D -> a}
"""


@pytest.fixture(scope="module")
def ctx(bank_and_model) -> BankContext:
    bank, model = bank_and_model
    return BankContext.of(CONTENT, pathway=model.pathway, model=model)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_preview_lists_what_comes_in_and_what_not(tmp_path: Path, ctx: BankContext) -> None:
    pv = userbank.preview(_write(tmp_path, "Iron Week.gift", GIFT), ctx=ctx)
    assert pv.stem == "iron-week" and pv.source == "Iron Week.gift"
    assert [(i.line, i.question.id, i.question.type) for i in pv.incoming] == [
        (4, "user:iron-week:1", "single"), (12, "user:iron-week:2", "single"), (16, "user:iron-week:3", "truefalse"),
        (18, "user:iron-week:4", "matching")]
    assert [(r.line, r.reason.split(" ")[0]) for r in pv.refused] == [(10, "essay")]
    exporter = pv.incoming[0].question
    # What IronBone's own export tags say comes back; the rest takes the defaults.
    assert (exporter.section, exporter.page, exporter.nodes, exporter.category) == ("3.2", "node:hepcidin",
                                                                                  ("hepcidin",), "Iron week")
    assert pv.incoming[2].question.section == userbank.DEFAULTS["section"]
    assert pv.categories == ("Iron week", "Estrogen")


def test_a_question_the_bank_rejects_is_refused_in_the_preview(tmp_path: Path, ctx: BankContext) -> None:
    gift = "// [tag:ironbone-node:no_such_node]\n::Bad::Is it?{TRUE}\n\n::Good::Is it?{FALSE}\n"
    pv = userbank.preview(_write(tmp_path, "mixed.gift", gift), ctx=ctx)
    assert [i.question.prompt for i in pv.incoming] == ["Is it?"] and pv.incoming[0].line == 4
    assert pv.refused[0].line == 2 and "unknown node 'no_such_node'" in pv.refused[0].reason


def test_install_writes_one_file_that_loads_like_the_bank(tmp_path: Path, ctx: BankContext, bank: Bank) -> None:
    folder = tmp_path / "data" / "questions"
    pv = userbank.preview(_write(tmp_path, "iron-week.gift", GIFT), ctx=ctx)
    installed = userbank.install(pv, ctx=ctx, folder=folder)
    assert installed.path == folder / "iron-week.yaml" and len(installed.questions) == 4
    files = userbank.list_files(ctx=ctx, folder=folder, taken=[q.id for q in bank.questions])
    assert [f.name for f in files] == ["iron-week"] and files[0].problems == ()
    assert files[0].questions == installed.questions
    # Partial credit survives: Ferritin earns half, as in Moodle.
    half = next(q for q in installed.questions if q.id == "user:iron-week:2")
    assert isinstance(half, SingleChoice) and half.partial
    by_text = {c.text: c.id for c in half.choices}
    assert grade(half, by_text["Ferritin"]).score == 0.5 and grade(half, by_text["ROS"]).score == 0
    # A second import of the same file gets a new name and new ids: nothing is overwritten.
    again = userbank.install(pv, ctx=ctx, folder=folder)
    assert again.name == "iron-week-2" and again.questions[0].id == "user:iron-week-2:1"
    assert installed.path.read_bytes() == (folder / "iron-week.yaml").read_bytes()


def test_categories_filter_and_the_combined_bank(tmp_path: Path, ctx: BankContext, bank: Bank) -> None:
    folder = tmp_path / "questions"
    userbank.install(userbank.preview(_write(tmp_path, "a.gift", GIFT), ctx=ctx), ctx=ctx, folder=folder)
    userbank.install(userbank.preview(_write(tmp_path, "b.gift", "::Mine::Iron is an element.{T}\n"), ctx=ctx),
                     ctx=ctx, folder=folder)
    files = userbank.list_files(ctx=ctx, folder=folder)
    assert userbank.categories(files) == ("Iron week", "Estrogen", userbank.MY_QUESTIONS)
    assert [q.id for q in userbank.user_questions(files, category="Estrogen")] == ["user:a:3", "user:a:4"]
    assert [q.id for q in userbank.user_questions(files, category=userbank.MY_QUESTIONS)] == ["user:b:1"]
    combined = userbank.combined_bank(bank, ctx=ctx, folder=folder)
    assert combined.questions[:len(bank)] == bank.questions  # built-in questions untouched, first
    assert {q.id for q in combined.questions[len(bank):]} == {"user:a:1", "user:a:2", "user:a:3", "user:a:4",
                                                             "user:b:1"}
    assert combined.get("user:b:1") is not None and isinstance(combined.get("user:b:1"), TrueFalse)
    assert combined.pool(sections=["3.2"]) and all(q.section == "3.2" for q in combined.pool(sections=["3.2"]))


def test_install_category_overrides_the_files(tmp_path: Path, ctx: BankContext) -> None:
    folder = tmp_path / "questions"
    pv = userbank.preview(_write(tmp_path, "a.gift", GIFT), ctx=ctx)
    installed = userbank.install(pv, ctx=ctx, folder=folder, category="Week 3")
    assert {q.category for q in installed.questions} == {"Week 3"}


def test_remove_a_question_and_a_file(tmp_path: Path, ctx: BankContext) -> None:
    folder = tmp_path / "questions"
    userbank.install(userbank.preview(_write(tmp_path, "a.gift", GIFT), ctx=ctx), ctx=ctx, folder=folder)
    userbank.remove_question("user:a:2", folder=folder)
    [f] = userbank.list_files(ctx=ctx, folder=folder)
    assert [q.id for q in f.questions] == ["user:a:1", "user:a:3", "user:a:4"] and f.problems == ()
    assert (folder / "a.yaml").read_text(encoding="utf-8").startswith("# Questions imported from a.gift")
    with pytest.raises(userbank.UserBankError, match="built-in"):
        userbank.remove_question("s21-fenton", folder=folder)
    with pytest.raises(userbank.UserBankError):
        userbank.remove_file("../a", folder=folder)
    assert set(userbank.remove_file("a", folder=folder)) == {"user:a:1", "user:a:3", "user:a:4"}
    assert userbank.list_files(ctx=ctx, folder=folder) == []


def test_a_user_file_cannot_take_another_namespace_or_a_builtin_id(tmp_path: Path, ctx: BankContext,
                                                                   bank: Bank) -> None:
    folder = tmp_path / "questions"
    folder.mkdir()
    doc = {"defaults": dict(userbank.DEFAULTS), "questions": [
        {"id": "user:other:1", "type": "truefalse", "prompt": "P?", "answer": True, "explanation": "E."},
        {"id": bank.questions[0].id, "type": "truefalse", "prompt": "P?", "answer": True, "explanation": "E."},
        {"id": "user:mine:1", "type": "truefalse", "prompt": "P?", "answer": True, "explanation": "E."}]}
    (folder / "mine.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    [f] = userbank.list_files(ctx=ctx, folder=folder, taken=[q.id for q in bank.questions])
    assert [q.id for q in f.questions] == ["user:mine:1"]
    messages = " | ".join(p.message for p in f.problems)
    assert "must start with user:mine:" in messages and "duplicate question id" in messages


def test_a_hostile_user_file_is_a_problem_not_a_crash(tmp_path: Path, ctx: BankContext) -> None:
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "tags.yaml").write_text("questions: !!python/object:os.system [ls]\n", encoding="utf-8")
    (folder / "alias.yaml").write_text("a: &x [1]\nquestions: *x\n", encoding="utf-8")
    files = {f.name: f for f in userbank.list_files(ctx=ctx, folder=folder)}
    assert "tags" in files["tags"].problems[0].message and files["tags"].questions == ()
    assert "alias" in files["alias"].problems[0].message


def test_progress_on_user_questions_is_kept_like_any_other(tmp_path: Path, ctx: BankContext, monkeypatch) -> None:
    monkeypatch.setenv("IRONBONE_DATA_DIR", str(tmp_path / "profile"))
    assert default_path().parent == data_dir()  # the questions live beside the progress database
    pv = userbank.preview(_write(tmp_path, "a.gift", GIFT), ctx=ctx)
    installed = userbank.install(pv, ctx=ctx)
    assert installed.path.parent == tmp_path / "profile" / "questions"
    store = ProgressStore()
    try:
        qid = installed.questions[0].id
        store.record_answer(qid, 1.0)
        store.record_answer("user:a:3", 0.0)
        assert store.latest_scores() == {qid: 1.0, "user:a:3": 0.0}
        assert store.card(qid) is not None and store.card("user:a:3") is not None  # both scheduled for review
        mastery = store.mastery({"Iron week": [q.id for q in installed.questions if q.category == "Iron week"]})
        assert mastery["Iron week"].answered == 1
    finally:
        store.close()


def test_multiple_answer_with_moodles_weights_grades_as_moodle(tmp_path: Path, ctx: BankContext) -> None:
    # Moodle's GIFT test fixture 'colours': +50 / -100 / +50 / -100.
    gift = ("::colours:: What's between orange and green in the spectrum?\n{\n ~%50%yellow\n ~%-100%red\n"
            " ~%50%off-beige\n ~%-100%blue\n}\n")
    [inc] = userbank.preview(_write(tmp_path, "c.gift", gift), ctx=ctx).incoming
    q = inc.question
    assert isinstance(q, MultipleAnswer) and q.partial
    ids = {c.text: c.id for c in q.choices}
    assert grade(q, [ids["yellow"], ids["off-beige"]]).score == 1.0
    assert grade(q, [ids["yellow"], ids["off-beige"], ids["red"]]).score == 0.0  # Moodle: 1 - 1 = 0
    assert grade(q, [ids["yellow"]]).score == 0.5


def test_unreadable_import_files_are_one_clear_error(tmp_path: Path, ctx: BankContext) -> None:
    import os

    fifo = tmp_path / "pipe.gift"
    os.mkfifo(fifo)
    with pytest.raises(userbank.UserBankError, match="FIFO"):
        userbank.preview(fifo, ctx=ctx)
