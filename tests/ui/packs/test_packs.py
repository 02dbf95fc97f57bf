"""Lesson packs in the window: a hostile or damaged pack opened from File ▸ Open lesson pack is refused with
a plain message and installs nothing; a pack named on the command line or dropped on the window opens
once the model is ready and installs only when asked; the export dialog takes questions by category or
file and says what is missing."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.knowledge import session as sessionfile
from app.knowledge.tour_draft import DraftStep, TourDraft
from app.model.simulation import Inputs
from app.quiz import pack, userbank

CONTENT = Path(__file__).resolve().parents[3] / "content"
LEFT = Qt.MouseButton.LeftButton
QUESTION = (b"defaults: {section: '1', page: 'topic:s1-introduction', difficulty: 2, nodes: [bone_mass]}\n"
            b"questions:\n- {id: 'user:q:1', type: truefalse, prompt: P?, answer: true, explanation: E.}\n")
GIFT = """$CATEGORY: $course$/top/Iron
::A::Hepcidin breaks down which exporter?{=Ferroportin ~TfR1 ~DMT1}

$CATEGORY: $course$/top/Estrogen
::B::Estrogen falls after menopause.{T}
"""


def _zip(entries: list[tuple[str, bytes]], **manifest_changes) -> bytes:  # noqa: ANN003
    """A pack whose manifest lists every entry with its right checksum (so only what the test breaks is wrong)."""
    manifest = {"format": pack.FORMAT, "version": pack.VERSION, "title": "Hostile", "author": "", "created": "",
                "app_version": "", "entries": [
                    {"path": n, "kind": "tour" if n.startswith("tours/") else "questions",
                     "sha256": hashlib.sha256(d).hexdigest()} for n, d in entries]}
    manifest.update(manifest_changes)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(pack.MANIFEST, json.dumps(manifest))
        for name, data in entries:
            zf.writestr(name, data)
    return buf.getvalue()


def answer(dialog: QFileDialog, path: Path) -> None:
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    dialog.fileSelected.emit(str(path))
    dialog.close()


@pytest.fixture
def student(monkeypatch, tmp_path: Path) -> Path:
    folder = tmp_path / "student"
    monkeypatch.setenv("IRONBONE_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def window(qtbot, make_window, student):  # noqa: ANN001, ANN201 - student first: the data folder is set
    w = make_window(CONTENT)
    qtbot.waitUntil(lambda: w.model_controller is not None)
    return w


def lesson(tmp_path: Path, window) -> Path:  # noqa: ANN001
    """A lecturer's pack made with the core API in a folder of its own: two questions, a tour, a session."""
    from app.knowledge.tours import known_ids
    from app.quiz.bank import BankContext

    mc = window.model_controller
    base = tmp_path / "lecturer"
    ctx = BankContext.of(CONTENT, pathway=window.content.pathway, model=mc.model)
    gift = tmp_path / "lesson.gift"
    gift.write_text(GIFT, encoding="utf-8")
    questions = userbank.install(userbank.preview(gift, ctx=ctx), ctx=ctx, folder=base / "questions")
    draft = TourDraft(title="Two steps", summary="Before and after.")
    draft.add(DraftStep.record(Inputs.reference(), caption="Before.", page="node:hepcidin"))
    draft.add(DraftStep.record(Inputs(estrogen=10, ferritin=500), caption="After.", years=1))
    tour = draft.save(known_ids(CONTENT, window.content.pathway, list(mc.scenarios), list(mc.model.treatments)),
                      folder=base / "tours")
    session = sessionfile.dumps(sessionfile.Session(inputs=Inputs(estrogen=30, ferritin=400)), app_version="t")
    return pack.export_pack(tmp_path / "lesson", questions=[questions.path], tours=[tour],
                            session=session.encode("utf-8"), title="<b>Week 3</b>", author="Dr. A")


@pytest.mark.parametrize(("entries", "changes", "words"), [
    ([("../../evil.yaml", QUESTION)], {}, "'../../evil.yaml' leads out of the pack's folder ('..')"),
    ([("questions/q.yaml", b"questions: !!python/object/apply:os.system [ls]\n")], {}, "tags"),
    ([("questions/q.yaml", QUESTION)], {"version": 2}, "made by a newer IronBone"),
])
def test_a_hostile_pack_from_the_menu_is_refused_and_installs_nothing(qtbot, window, student, tmp_path,
                                                                       entries, changes, words) -> None:
    path = tmp_path / "hostile.ironbone-pack"
    path.write_bytes(_zip(entries, **changes))
    packs = window.features["packs"]
    assert packs.act_open in window.menus["file"].actions()
    packs.act_open.trigger()
    answer(packs.file_dialog, path)
    box = packs.message_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() != Qt.WindowModality.ApplicationModal  # says so without blocking
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert box.text().startswith("Could not open hostile.ironbone-pack: ") and words in box.text(), box.text()
    assert box.informativeText() == "Nothing was installed."
    assert window.last_message == box.text()
    assert packs.dialog is None  # nothing to install was offered
    assert not student.exists() or not any(student.rglob("*.yaml"))
    assert not any(tmp_path.rglob("evil.yaml"))
    box.close()


def test_a_pack_named_on_the_command_line_opens_once_the_model_is_ready(qtbot, make_window, student,
                                                                        tmp_path) -> None:
    from app.ui.packs import open_on_start

    # The pack is made in a first window (the lecturer's); the second one is started with it.
    first = make_window(CONTENT)
    qtbot.waitUntil(lambda: first.model_controller is not None)
    path = lesson(tmp_path, first)
    open_on_start(path)
    window = make_window(CONTENT)
    packs = window.features["packs"]
    qtbot.waitUntil(lambda: packs.dialog is not None and packs.dialog.isVisible())
    shown = packs.dialog
    assert shown.header.textFormat() == Qt.TextFormat.PlainText
    assert shown.header.text().startswith("“<b>Week 3</b>” by Dr. A")  # the title's markup shown as typed
    tops = [shown.contents.topLevelItem(i).text(0) for i in range(shown.contents.topLevelItemCount())]
    assert tops == ["Questions lesson: 2 questions (category Iron, Estrogen)",
                    "Tour “Two steps”: 2 steps, about 3 min",
                    "A session: estrogen 30 %; ferritin 400 µg/L; year 0.0"]
    assert not student.exists()  # shown, not installed
    qtbot.mouseClick(shown.cancel_button, LEFT)
    assert not shown.isVisible() and not student.exists()
    assert first.features["packs"].dialog is None  # the first window was not asked


def test_the_command_line_takes_a_pack_and_refuses_other_files(monkeypatch, tmp_path) -> None:
    import app.ui.app
    from app.cli import main
    from app.ui import packs
    from app.ui.session import files

    monkeypatch.setattr(app.ui.app, "run_gui", lambda **_: 0)
    assert main([str(tmp_path / "week3.IronBone-Pack")]) == 0
    assert packs.take_startup_file() == tmp_path / "week3.IronBone-Pack" and files.take_startup_file() is None
    assert main([str(tmp_path / "s.ironbone")]) == 0
    assert files.take_startup_file() == tmp_path / "s.ironbone" and packs.take_startup_file() is None
    with pytest.raises(SystemExit) as err:
        main([str(tmp_path / "lesson.zip")])
    assert err.value.code == 2


def test_a_pack_dropped_on_the_window_is_shown_then_installed(qtbot, window, student, tmp_path) -> None:
    path = lesson(tmp_path, window)
    packs = window.features["packs"]
    # The offscreen platform has no drag manager: hand the events to the filters the window, the diagram
    # and the page share, as Qt would during a real drag. A pack is the pack feature's, not the session's.
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    target = window.view.viewport()
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    enter.ignore()
    assert not window.features["session"].drop_filter.eventFilter(target, enter) and not enter.isAccepted()
    assert packs.drop_filter.eventFilter(target, enter) and enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, LEFT, Qt.KeyboardModifier.NoModifier)
    assert packs.drop_filter.eventFilter(target, drop)
    qtbot.waitUntil(lambda: packs.dialog is not None and packs.dialog.isVisible())
    session = window.features["session"].manager
    mine = window.features["quiz"].show_my_questions()  # open while the pack installs: it follows
    assert mine.tree.topLevelItem(0).text(0).startswith("(none yet")
    qtbot.mouseClick(packs.dialog.install_button, LEFT)
    assert [mine.tree.topLevelItem(i).text(0) for i in range(mine.tree.topLevelItemCount())] == [
        "Iron (1)", "Estrogen (1)"]
    assert sorted(p.relative_to(student).as_posix() for p in student.rglob("*.*")) == [
        "questions/lesson.yaml", "sessions/b-week-3-b.ironbone", "tours/two-steps.yaml"]  # named after the title
    assert "2 questions (Quiz ▸ Practice, Questions from)" in packs.dialog.note.text()
    qtbot.mouseClick(packs.dialog.session_button, LEFT)
    assert window.model_controller.inputs == Inputs(estrogen=30, ferritin=400)
    assert session.path == student / "sessions" / "b-week-3-b.ironbone"
    # The quiz and the tours know the new material at once.
    window.features["quiz"].act_practice.trigger()
    combo = window.features["quiz"].panel.category_combo
    assert [combo.itemText(i) for i in range(combo.count())][-2:] == ["Iron (1, yours)", "Estrogen (1, yours)"]
    window.features["lecture"].tours_menu.aboutToShow.emit()
    names = [a.objectName() for a in window.features["lecture"].tours_menu.actions()]
    assert "tour:user:two-steps" in names


def test_an_install_that_cannot_write_changes_nothing_and_says_why(qtbot, window, student, tmp_path,
                                                                    monkeypatch) -> None:
    path = lesson(tmp_path, window)
    packs = window.features["packs"]
    packs.open_path(path)
    student.mkdir()
    (student / "questions").write_text("a file where the folder should be", encoding="utf-8")
    qtbot.mouseClick(packs.dialog.install_button, LEFT)
    assert packs.dialog.error.isVisible() and packs.dialog.error.text().startswith("Nothing was installed: ")
    assert packs.dialog.install_button.isVisible()  # it can be tried again
    assert sorted(p.name for p in student.rglob("*")) == ["questions"]


def test_the_export_dialog_takes_questions_by_category_and_says_what_is_missing(qtbot, window, student,
                                                                                 tmp_path) -> None:
    from app.quiz.bank import BankContext

    mc = window.model_controller
    ctx = BankContext.of(CONTENT, pathway=window.content.pathway, model=mc.model)
    gift = tmp_path / "lesson.gift"
    gift.write_text(GIFT, encoding="utf-8")
    userbank.install(userbank.preview(gift, ctx=ctx), ctx=ctx)
    packs = window.features["packs"]
    packs.act_export.trigger()
    ex = packs.export_dialog
    tree = ex.questions_tree
    assert [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())] == [
        "Iron (1 question)", "Estrogen (1 question)"]
    assert ex.tours_tree.topLevelItem(0).text(0).startswith("(none")
    qtbot.mouseClick(ex.export_button, LEFT)  # no title
    assert ex.error.isVisible() and "title" in ex.error.text() and packs.file_dialog is None
    qtbot.keyClicks(ex.title_edit, "Only iron")
    for i in range(tree.topLevelItemCount()):
        tree.topLevelItem(i).setCheckState(0, Qt.CheckState.Unchecked)
    ex.session_check.setChecked(False)
    qtbot.mouseClick(ex.export_button, LEFT)  # nothing ticked
    assert "Tick at least one" in ex.error.text() and packs.file_dialog is None
    tree.topLevelItem(0).setCheckState(0, Qt.CheckState.Checked)  # the category ticks its file
    assert tree.topLevelItem(0).child(0).checkState(0) == Qt.CheckState.Checked
    qtbot.mouseClick(ex.export_button, LEFT)
    answer(packs.file_dialog, tmp_path / "iron.ironbone-pack")
    written = pack.read_pack(tmp_path / "iron.ironbone-pack", ctx=ctx, known=_known(window))
    assert [q.prompt for pq in written.questions for q in pq.questions] == ["Hepcidin breaks down which exporter?"]
    assert written.session is None and written.tours == () and written.title == "Only iron"


def _known(window):  # noqa: ANN001, ANN202
    from app.knowledge.tours import known_ids

    mc = window.model_controller
    return known_ids(CONTENT, window.content.pathway, list(mc.scenarios), list(mc.model.treatments))


def test_opening_a_packs_session_over_unsaved_work_asks_first(qtbot, window, student, tmp_path) -> None:
    """The pack's "Open its session" is an Open like any other: unsaved work is not dropped silently."""
    path = lesson(tmp_path, window)
    packs = window.features["packs"]
    packs.act_open.trigger()
    answer(packs.file_dialog, path)
    qtbot.waitUntil(lambda: packs.dialog is not None and packs.dialog.isVisible())
    qtbot.mouseClick(packs.dialog.install_button, LEFT)
    window.model_controller.set_ferritin(1200)  # work of the student's own, not saved
    manager = window.features["session"].manager
    assert manager.unsaved()
    qtbot.mouseClick(packs.dialog.session_button, LEFT)
    box = manager.save_prompt
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert window.model_controller.inputs.ferritin == 1200  # nothing replaced before the answer
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), LEFT)
    assert window.model_controller.inputs.ferritin == 1200 and manager.path is None
    qtbot.mouseClick(packs.dialog.session_button, LEFT)
    qtbot.mouseClick(manager.save_prompt.button(QMessageBox.StandardButton.Discard), LEFT)
    qtbot.waitUntil(lambda: window.model_controller.inputs == Inputs(estrogen=30, ferritin=400))
    assert manager.path == student / "sessions" / "b-week-3-b.ironbone"
