"""The lecturer's own lesson, end to end in the running app: a lecturer imports a GIFT file, practises one
of its questions, records a three-step tour and exports a lesson pack; a student with another data folder
(IRONBONE_DATA_DIR) opens the pack, installs it, opens its session, takes the tour step by step and
answers one of its questions. Everything goes through menus, dialogs, buttons, keys and diagram clicks."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.quiz.store import ProgressStore, default_path

CONTENT = Path(__file__).resolve().parents[3] / "content"
LEFT = Qt.MouseButton.LeftButton
GIFT = """// Questions for week 3 (written for this test)
$CATEGORY: $course$/top/Week 3 iron

::Hepcidin and FPN1::Hepcidin makes ferroportin (FPN1) leave the cell membrane.{TRUE}

::Ferritin band::[plain]Which serum ferritin counts as iron accumulation? <b>not bold</b>{
=Above 150 µg/L but below 1000 µg/L
~Below 12 µg/L
~12 to 150 µg/L
}

::Essay::Explain the Fenton reaction in your own words.{}
"""
TOUR_ID = "user:iron-and-the-osteoclast"


def answer(dialog: QFileDialog, path: Path) -> None:
    """Pick `path` in the file dialog the last action showed, as a person would."""
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    dialog.fileSelected.emit(str(path))  # what accept() sends once the name is chosen
    dialog.close()


def stored(question_id: str) -> list[float]:
    with ProgressStore(default_path()) as store:
        return [r.score for r in store.history(question_id=question_id)]


def click_node(qtbot, window, node_id: str) -> None:  # noqa: ANN001
    item = window.scene.node_items[node_id]
    window.view.centre_on_node(node_id)
    qtbot.mouseClick(window.view.viewport(), LEFT, pos=window.view.mapFromScene(item.sceneBoundingRect().center()))


def type_into(qtbot, widget, text: str) -> None:  # noqa: ANN001
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClicks(widget, text)


def practise_one(qtbot, window, category: str, kind: str):  # noqa: ANN001, ANN201
    """Quiz ▸ Practice, questions from `category`, of one kind; answer the first one right."""
    quiz = window.features["quiz"]
    quiz.act_practice.trigger()
    panel = quiz.panel
    combo = panel.category_combo
    index = combo.findData(category)
    assert index > 0, [combo.itemText(i) for i in range(combo.count())]
    assert "yours" in combo.itemText(index)
    combo.setCurrentIndex(index)
    panel.type_combo.setCurrentIndex(panel.type_combo.findData(kind))
    assert panel.pool_label.text().startswith("1 question")
    qtbot.mouseClick(panel.start_button, LEFT)
    q = panel.session.current
    assert q.id.startswith("user:") and q.category == category
    right = ("true" if q.answer else "false") if kind == "truefalse" else q.answer
    qtbot.mouseClick(panel.view.buttons[right], LEFT)
    qtbot.mouseClick(panel.submit_button, LEFT)
    assert panel.feedback.toPlainText().startswith("Correct")
    return q


def test_a_lecturer_makes_a_lesson_and_a_student_takes_it(qtbot, make_window, monkeypatch, tmp_path) -> None:
    lecturer, student = tmp_path / "lecturer", tmp_path / "student"
    monkeypatch.setenv("IRONBONE_DATA_DIR", str(lecturer))
    a = make_window(CONTENT)
    qtbot.waitUntil(lambda: a.model_controller is not None)
    mc = a.model_controller

    # --- File ▸ Import questions… : the preview says what comes in and what does not -------------
    gift = tmp_path / "week3.gift"
    gift.write_text(GIFT, encoding="utf-8")
    quiz = a.features["quiz"]
    assert quiz.act_import in a.menus["file"].actions()
    quiz.act_import.trigger()
    answer(quiz.importer.file_dialog, gift)
    preview = quiz.importer.dialog
    assert preview.isVisible() and preview.incoming_table.rowCount() == 2
    assert preview.incoming_table.item(1, 3).text().endswith("<b>not bold</b>")  # plain text, never bold
    assert [preview.refused_table.item(0, c).text() for c in (0, 1)] == ["12", "essay questions ({}) are not "
                                                                           "supported"]
    qtbot.mouseClick(preview.import_button, LEFT)
    assert not preview.isVisible()
    assert (lecturer / "questions" / "week3.yaml").is_file()
    assert "Imported 2 questions" in a.last_message

    # --- Practice: the imported question, answered through the panel; progress kept ---------------
    q = practise_one(qtbot, a, "Week 3 iron", "truefalse")
    assert q.id == "user:week3:1" and stored(q.id) == [1.0]

    # --- Teach ▸ Record a tour: three steps ---------------------------------------------------------
    lecture = a.features["lecture"]
    lecture.act_record.trigger()
    rec = lecture.recorder
    assert rec.isVisible()
    type_into(qtbot, rec.title_edit, "Iron and the osteoclast")
    type_into(qtbot, rec.summary_edit, "Estrogen falls, iron rises, and a drug holds RANKL back.")
    controls = a.controls

    # Step 1: estrogen down with the keyboard; the "why" trace outlines the chain; the estrogen page.
    controls.estrogen_slider.setFocus()
    with qtbot.waitSignal(mc.why_changed, timeout=5000) as why:
        for _ in range(9):
            qtbot.keyClick(controls.estrogen_slider, Qt.Key.Key_PageDown)
    trace = why.args[0]
    assert mc.inputs.estrogen == 10 and trace.cause == "estrogen 100 % → 10 %" and trace.paths  # the whole change
    click_node(qtbot, a, "estrogen")
    qtbot.keyClicks(rec.caption_edit, "After menopause **estrogen** falls to a tenth.")
    assert rec.preview.toPlainText().strip() == "After menopause estrogen falls to a tenth."  # rendered
    qtbot.mouseClick(rec.add_button, LEFT)
    first = rec.draft.steps[0]
    assert (first.estrogen, first.ferritin, first.page) == (10, 50, "node:estrogen")
    assert first.path == trace.paths[0].nodes and first.highlight == ("estrogen",)

    # Step 2: ferritin typed; a route chosen in the path explorer; the osteoclast page.
    type_into(qtbot, controls.ferritin_spin, "800")
    qtbot.keyClick(controls.ferritin_spin, Qt.Key.Key_Return)
    assert mc.inputs.ferritin == 800
    paths = a.features["paths"]
    paths.explore("serum_ferritin", "osteoclast")
    table = paths.explorer.table
    qtbot.mouseClick(table.viewport(), LEFT, pos=table.visualRect(table.model().index(0, 0)).center())
    route = paths.explorer.highlighted.nodes
    assert route[0] == "serum_ferritin" and route[-1] == "osteoclast"
    click_node(qtbot, a, "osteoclast")
    qtbot.keyClicks(rec.caption_edit, "Iron load climbs to 800 µg/L and feeds the osteoclast.")
    assert route[-2] in rec.state_label.text() or a.content.pathway.node(route[-2]).label in rec.state_label.text()
    qtbot.mouseClick(rec.add_button, LEFT)
    assert rec.draft.steps[1].path == tuple(route) and rec.draft.steps[1].ferritin == 800

    # Step 3: a treatment ticked, no path, two model years played.
    controls.treatment_boxes["denosumab"].click()
    assert mc.inputs.treatments == ("denosumab",)
    rec.path_combo.setCurrentIndex(rec.path_combo.findData("none"))
    type_into(qtbot, rec.years_spin, "2")
    qtbot.keyClicks(rec.caption_edit, "Denosumab blocks RANKL: watch bone mass for two years.")
    qtbot.mouseClick(rec.add_button, LEFT)
    assert rec.steps_list.count() == 3 and rec.draft.steps[2].years == 2
    assert rec.draft.steps[2].treatments == ("denosumab",) and rec.draft.steps[2].path == ()

    qtbot.mouseClick(rec.save_button, LEFT)
    assert rec.message.text().startswith("Saved “Iron and the osteoclast” (3 steps)")
    assert (lecturer / "tours" / "iron-and-the-osteoclast.yaml").is_file()
    lecture.tours_menu.aboutToShow.emit()
    assert f"tour:{TOUR_ID}" in {act.objectName() for act in lecture.tours_menu.actions()}

    # --- File ▸ Export lesson pack… ---------------------------------------------------------------
    packs = a.features["packs"]
    assert packs.act_export in a.menus["file"].actions() and packs.act_open in a.menus["file"].actions()
    exported_inputs = mc.inputs
    packs.act_export.trigger()
    ex = packs.export_dialog
    type_into(qtbot, ex.title_edit, "Week 3: iron and bone")
    type_into(qtbot, ex.author_edit, "Dr. Lecturer")
    assert ex.session_check.isChecked()
    qtbot.mouseClick(ex.export_button, LEFT)
    pack = tmp_path / "week3"
    answer(packs.file_dialog, pack)  # the suffix is added
    pack = pack.with_name("week3.ironbone-pack")
    assert pack.is_file() and not ex.isVisible()
    assert "2 questions, 1 tour, the session" in a.last_message

    # --- A student, another data folder, opens the pack -------------------------------------------
    monkeypatch.setenv("IRONBONE_DATA_DIR", str(student))
    b = make_window(CONTENT)
    qtbot.waitUntil(lambda: b.model_controller is not None)
    bmc = b.model_controller
    bpacks = b.features["packs"]
    bpacks.act_open.trigger()
    answer(bpacks.file_dialog, pack)
    shown = bpacks.dialog
    assert shown.isVisible() and not (student / "questions").exists()  # nothing installed before Install
    tops = [shown.contents.topLevelItem(i).text(0) for i in range(shown.contents.topLevelItemCount())]
    assert tops[0] == "Questions week3: 2 questions (category Week 3 iron)"
    assert tops[1] == "Tour “Iron and the osteoclast”: 3 steps, about 3 min"
    assert tops[2].startswith("A session: estrogen 10 %; ferritin 800 µg/L; treatments denosumab")
    qtbot.mouseClick(shown.install_button, LEFT)
    assert (student / "questions" / "week3.yaml").is_file()
    assert (student / "tours" / "iron-and-the-osteoclast.yaml").is_file()
    assert len(list((student / "sessions").glob("*.ironbone"))) == 1

    qtbot.mouseClick(shown.session_button, LEFT)  # the lecturer's sliders and treatments, as exported
    assert bmc.inputs == exported_inputs

    # The tour, stepped like any built-in one; Previous lands where Next did.
    blecture = b.features["lecture"]
    qtbot.mouseClick(shown.tour_buttons[0], LEFT)
    assert not shown.isVisible() and blecture.runner.position() == (TOUR_ID, 0)
    bar = blecture.tour_panel
    assert bar.indicator.text().startswith("Step 1 of 3")
    assert "After menopause estrogen falls" in bar.caption.toPlainText() and "**" not in bar.caption.toPlainText()
    assert (bmc.inputs.estrogen, bmc.inputs.ferritin, bmc.inputs.treatments) == (10, 50, ())
    assert b.scene.lit_nodes() == set(trace.paths[0].nodes) and b.panel.location == ("node", "estrogen")
    qtbot.mouseClick(bar.next_button, LEFT)
    assert (bmc.inputs.estrogen, bmc.inputs.ferritin) == (10, 800)
    assert b.scene.lit_nodes() == set(route) and b.panel.location == ("node", "osteoclast")
    bmc.finish_play()
    at_step_2 = (bmc.inputs, round(bmc.state.t_years, 6), round(bmc.state.bone_mass_pct, 6))
    qtbot.mouseClick(bar.next_button, LEFT)
    assert bmc.inputs.treatments == ("denosumab",) and bmc.playing
    qtbot.waitUntil(lambda: not bmc.playing, timeout=10000)
    assert bmc.state.t_years == pytest.approx(2.0, abs=1e-9)
    qtbot.mouseClick(bar.prev_button, LEFT)
    bmc.finish_play()
    assert (bmc.inputs, round(bmc.state.t_years, 6), round(bmc.state.bone_mass_pct, 6)) == at_step_2

    # The pack's questions, answered through the panel; kept in the student's own progress.
    q = practise_one(qtbot, b, "Week 3 iron", "single")
    assert q.id == "user:week3:2" and stored(q.id) == [1.0]
    monkeypatch.setenv("IRONBONE_DATA_DIR", str(lecturer))
    assert stored(q.id) == []  # the lecturer's progress is the lecturer's
