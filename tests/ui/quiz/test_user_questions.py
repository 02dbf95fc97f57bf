"""The lecturer's own questions in the quiz: File ▸ Import questions previews a GIFT or Moodle XML file (what
comes in, what does not, with the line and why), installs it under a category; the quiz panel draws
practice, exams and reviews from IronBone's questions or one of the user's categories; Quiz ▸ My questions
removes them after a confirmation, and Undo puts them back with their progress."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.quiz.store import ProgressStore, default_path

CONTENT = Path(__file__).resolve().parents[3] / "content"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "moodle"
LEFT = Qt.MouseButton.LeftButton
GIFT = """$CATEGORY: $course$/top/Iron
::A::Hepcidin breaks down which exporter?{=Ferroportin ~TfR1 ~DMT1}

$CATEGORY: $course$/top/Estrogen
::B::Estrogen falls after menopause.{T}
"""


@pytest.fixture
def data(monkeypatch, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("IRONBONE_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def window(qtbot, make_window, data):  # noqa: ANN001, ANN201 - the data folder is set first
    w = make_window(CONTENT)
    qtbot.waitUntil(lambda: w.model_controller is not None)
    return w


def answer(dialog: QFileDialog, path: Path) -> None:
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    dialog.fileSelected.emit(str(path))
    dialog.close()


def import_file(qtbot, window, path: Path, *, category: str | None = None):  # noqa: ANN001, ANN201
    """File ▸ Import questions…, pick `path`, type a category if given, click Import."""
    quiz = window.features["quiz"]
    quiz.act_import.trigger()
    answer(quiz.importer.file_dialog, path)
    dialog = quiz.importer.dialog
    if category is not None:
        dialog.category_combo.setFocus()
        dialog.category_combo.lineEdit().selectAll()
        qtbot.keyClicks(dialog.category_combo, category)
    qtbot.mouseClick(dialog.import_button, LEFT)
    return dialog


def stored(question_id: str) -> list[float]:
    with ProgressStore(default_path()) as store:
        return [r.score for r in store.history(question_id=question_id)]


def choices(panel) -> list[str]:  # noqa: ANN001
    return [panel.category_combo.itemText(i) for i in range(panel.category_combo.count())]


def test_a_moodle_fixture_is_previewed_line_by_line_and_lands_in_its_category(qtbot, window, data) -> None:
    quiz = window.features["quiz"]
    quiz.act_import.trigger()
    answer(quiz.importer.file_dialog, FIXTURES / "questions_in_category.gift.txt")
    dialog = quiz.importer.dialog
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    rows = [[dialog.incoming_table.item(r, c).text() for c in range(3)] for r in range(3)]
    assert rows == [["5", "matching", "Default for New Features"], ["14", "single choice", "Default for New Features"],
                    ["27", "true or false", "Default for New Features"]]
    assert dialog.refused_table.rowCount() == 1 and dialog.refused_table.item(0, 0).text() == "22"
    assert dialog.refused_table.item(0, 1).text() == "short-answer questions (typed text) are not supported"
    assert dialog.import_button.text() == "&Import 3 questions"
    assert not (data / "questions").exists()  # nothing before Import
    qtbot.mouseClick(dialog.import_button, LEFT)
    assert not dialog.isVisible() and (data / "questions" / "questions-in-category-gift.yaml").is_file()
    quiz.act_practice.trigger()
    assert choices(quiz.panel) == ["All questions (135)", "IronBone's questions (132)",
                                   "Default for New Features (3, yours)"]


def test_a_typed_category_holds_them_all_and_exam_and_review_draw_them(qtbot, window, data, tmp_path) -> None:
    gift = tmp_path / "lesson.gift"
    gift.write_text(GIFT, encoding="utf-8")
    import_file(qtbot, window, gift, category="Week 3")
    quiz = window.features["quiz"]
    quiz.act_exam.trigger()
    panel = quiz.panel
    assert choices(panel)[-1] == "Week 3 (2, yours)"
    panel.category_combo.setCurrentIndex(panel.category_combo.count() - 1)
    assert panel.pool_label.text() == "2 questions match these choices."
    panel.category_combo.setCurrentIndex(panel.category_combo.findText("IronBone's questions (132)"))
    assert panel.pool_label.text() == "132 questions match these choices."
    panel.category_combo.setCurrentIndex(panel.category_combo.count() - 1)
    qtbot.mouseClick(panel.start_button, LEFT)
    assert panel.session.mode == "exam"
    assert sorted(q.id for q in panel.session.questions) == ["user:lesson:1", "user:lesson:2"]
    assert {q.category for q in panel.session.questions} == {"Week 3"}
    # A missed user question comes back in review like any other.
    with ProgressStore(default_path()) as store:
        store.record_answer("user:lesson:2", 0.0, now=datetime.now(UTC) - timedelta(days=3))
    quiz.act_review.trigger()
    assert [q.id for q in panel.session.questions] == ["user:lesson:2"]


def test_an_unreadable_file_or_one_with_nothing_to_import_installs_nothing(qtbot, window, data, tmp_path) -> None:
    quiz = window.features["quiz"]
    quiz.act_import.trigger()
    answer(quiz.importer.file_dialog, tmp_path)  # a folder, not a file
    box = quiz.importer.message_box
    assert isinstance(box, QMessageBox) and box.isVisible() and box.textFormat() == Qt.TextFormat.PlainText
    assert box.text().startswith(f"Could not read {tmp_path}: ") and box.informativeText() == "Nothing was imported."
    box.close()
    essay = tmp_path / "essay.gift"
    essay.write_text("// only an essay\n\n::E::Explain <i>why</i>.{}\n", encoding="utf-8")
    quiz.act_import.trigger()
    answer(quiz.importer.file_dialog, essay)
    dialog = quiz.importer.dialog
    assert not dialog.import_button.isEnabled() and dialog.incoming_table.rowCount() == 0
    assert [dialog.refused_table.item(0, c).text() for c in (0, 1)] == ["3", "essay questions ({}) are not supported"]
    dialog.reject()
    assert not (data / "questions").exists()


def test_removing_asks_first_and_undo_brings_the_question_back_with_its_progress(qtbot, window, data,
                                                                                   tmp_path) -> None:
    gift = tmp_path / "lesson.gift"
    gift.write_text(GIFT, encoding="utf-8")
    import_file(qtbot, window, gift)
    quiz = window.features["quiz"]
    quiz.act_practice.trigger()
    panel = quiz.panel
    panel.category_combo.setCurrentIndex(panel.category_combo.findData("Estrogen"))
    qtbot.mouseClick(panel.start_button, LEFT)
    q = panel.session.current
    assert q.id == "user:lesson:2"
    qtbot.mouseClick(panel.view.buttons["true"], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert stored(q.id) == [1.0]
    panel.show_start()

    assert quiz.act_my_questions in window.menus["quiz"].actions()
    quiz.act_my_questions.trigger()
    mine = quiz.my_questions
    assert mine.isVisible() and not mine.remove_button.isEnabled()
    assert mine.tree.topLevelItem(0).text(0) == "Iron (1)" and mine.tree.topLevelItem(1).text(0) == "Estrogen (1)"
    assert mine.select("question", "user:lesson:2") and mine.remove_button.isEnabled()
    qtbot.mouseClick(mine.remove_button, LEFT)
    box = mine.confirm_box
    assert box.isVisible() and "Estrogen falls after menopause." in box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), LEFT)
    assert mine.tree.topLevelItemCount() == 2  # cancelled: nothing removed
    mine.select("question", "user:lesson:2")
    qtbot.mouseClick(mine.remove_button, LEFT)
    remove = next(b for b in mine.confirm_box.buttons() if b.text() == "Remove")
    qtbot.mouseClick(remove, LEFT)
    assert mine.status.text().startswith("Removed the question “Estrogen falls after menopause.”")
    assert [mine.tree.topLevelItem(i).text(0) for i in range(mine.tree.topLevelItemCount())] == ["Iron (1)"]
    assert choices(panel)[-1] == "Iron (1, yours)" and panel.bank().get(q.id) is None  # the quiz knows at once
    qtbot.mouseClick(mine.undo_button, LEFT)
    assert mine.tree.topLevelItemCount() == 2 and not mine.undo_button.isEnabled()
    assert panel.bank().get(q.id) is not None and stored(q.id) == [1.0]  # the same id: its progress is there

    # A whole file, and IronBone's own questions are never touched.
    mine.select("file", "lesson")
    qtbot.mouseClick(mine.remove_button, LEFT)
    assert "all 2 questions of lesson.yaml" in mine.confirm_box.text()  # the file holds both categories
    qtbot.mouseClick(next(b for b in mine.confirm_box.buttons() if b.text() == "Remove"), LEFT)
    assert not (data / "questions" / "lesson.yaml").exists()
    assert choices(panel) == ["All questions (132)"] and len(panel.bank()) == 132


def test_ironbones_own_moodle_export_comes_in_with_a_note_on_its_diagram_pictures(qtbot, window, data,
                                                                                  tmp_path) -> None:
    """A click-the-node question exported with the diagram's picture comes back as a click-the-node
    question; the preview says that the app shows its live diagram instead of the picture."""
    from app.cli import main

    xml = tmp_path / "ironbone.xml"
    assert main(["export-quiz", "--format", "moodle-xml", str(xml)]) == 0
    quiz = window.features["quiz"]
    quiz.act_import.trigger()
    answer(quiz.importer.file_dialog, xml)
    dialog = quiz.importer.dialog
    assert dialog.notes_table.isVisibleTo(dialog) and dialog.notes_table.rowCount() >= 1
    notes = [dialog.notes_table.item(r, 1).toolTip() or dialog.notes_table.item(r, 1).text()
             for r in range(dialog.notes_table.rowCount())]
    assert all("diagram" in n for n in notes), notes
    lines = {dialog.notes_table.item(r, 0).text() for r in range(dialog.notes_table.rowCount())}
    kinds = {dialog.incoming_table.item(r, 0).text(): dialog.incoming_table.item(r, 1).text()
             for r in range(dialog.incoming_table.rowCount())}
    assert {kinds[line] for line in lines} == {"click the node"}  # each noted question comes back as one
    dialog.close()
