"""Teach ▸ Record a tour, used as a lecturer would: steps recorded from the sliders, the page and a traced
path, with a live caption preview; reordered, shown again, re-recorded, re-captioned and deleted; saved
with clear errors naming the step; edited and deleted again later; the tour plays from Guided tours."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.knowledge.tours import load_tours
from app.ui.lecture.recorder import outlined_chain

CONTENT = Path(__file__).resolve().parents[3] / "content"
LEFT = Qt.MouseButton.LeftButton


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


def record(qtbot, window):  # noqa: ANN001, ANN201
    """Teach ▸ Record a tour with its shortcut; the recorder, under the diagram."""
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    rec = window.features["lecture"].recorder
    assert rec is not None and rec.isVisible()
    dock = window.findChild(type(window.node_dock), "tour_recorder_dock")
    assert window.dockWidgetArea(dock) == Qt.DockWidgetArea.BottomDockWidgetArea
    return rec


def click_node(qtbot, window, node_id: str) -> None:  # noqa: ANN001
    item = window.scene.node_items[node_id]
    window.view.centre_on_node(node_id)
    qtbot.mouseClick(window.view.viewport(), LEFT, pos=window.view.mapFromScene(item.sceneBoundingRect().center()))


def estrogen_down(qtbot, window, pages: int) -> None:  # noqa: ANN001
    window.controls.estrogen_slider.setFocus()
    for _ in range(pages):
        qtbot.keyClick(window.controls.estrogen_slider, Qt.Key.Key_PageDown)


def add(qtbot, rec, caption: str) -> None:  # noqa: ANN001
    rec.caption_edit.setFocus()
    rec.caption_edit.selectAll()
    qtbot.keyClicks(rec.caption_edit, caption)
    qtbot.mouseClick(rec.add_button, LEFT)


def texts(rec) -> list[str]:  # noqa: ANN001
    return [rec.steps_list.item(i).text() for i in range(rec.steps_list.count())]


def choose(qtbot, rec, row: int) -> None:  # noqa: ANN001
    item = rec.steps_list.item(row)
    qtbot.mouseClick(rec.steps_list.viewport(), LEFT, pos=rec.steps_list.visualItemRect(item).center())
    assert rec.steps_list.currentRow() == row


def test_the_outlined_chain_is_the_longest_route_along_the_lit_edges() -> None:
    assert outlined_chain({("b", "c"), ("a", "b"), ("c", "d")}) == ("a", "b", "c", "d")
    assert outlined_chain({("a", "b"), ("b", "c"), ("a", "x")}) == ("a", "b", "c")  # a branch: the longer
    assert outlined_chain({("a", "b"), ("b", "a")}) == ("a", "b")  # a loop is walked once
    assert outlined_chain(set()) == ()


def test_steps_are_recorded_reordered_shown_rerecorded_and_deleted(qtbot, window, data) -> None:
    mc = window.model_controller
    rec = record(qtbot, window)
    qtbot.keyClicks(rec.title_edit, "Order test")
    qtbot.keyClicks(rec.summary_edit, "Three states of the model.")
    click_node(qtbot, window, "hepcidin")
    rec.years_spin.setValue(1)
    assert "page: Hepcidin" in rec.state_label.text() and "estrogen 100 %" in rec.state_label.text()
    add(qtbot, rec, "One.")
    assert rec.years_spin.value() == 0 and rec.caption_edit.toPlainText() == ""  # ready for the next step
    estrogen_down(qtbot, window, 9)
    add(qtbot, rec, "Two.")
    window.controls.ferritin_spin.setValue(800)
    add(qtbot, rec, "Three.")
    assert texts(rec) == ["1. One.", "2. Two.", "3. Three."]
    assert [(s.estrogen, s.ferritin, s.years) for s in rec.draft.steps] == [(100, 50, 1), (10, 50, 0), (10, 800, 0)]
    assert rec.draft.steps[0].page == "node:hepcidin" and rec.draft.steps[0].highlight == ("hepcidin",)

    choose(qtbot, rec, 2)
    assert rec.caption_edit.toPlainText() == "Three." and rec.step_box.title() == "Step 3"
    qtbot.mouseClick(rec.up_button, LEFT)
    assert texts(rec) == ["1. One.", "2. Three.", "3. Two."] and rec.steps_list.currentRow() == 1

    # Show step 2 again: replayed from the reference as the tour will (step 1's year included).
    qtbot.mouseClick(rec.show_button, LEFT)
    assert (mc.inputs.estrogen, mc.inputs.ferritin) == (10, 800)
    assert mc.state.t_years == pytest.approx(1.0, abs=1e-9)
    # Re-record it with estrogen raised; its caption and path are kept.
    window.controls.estrogen_slider.setFocus()
    qtbot.keyClick(window.controls.estrogen_slider, Qt.Key.Key_PageUp)
    assert rec.path_combo.currentData() == "keep"
    qtbot.mouseClick(rec.rerecord_button, LEFT)
    assert (rec.draft.steps[1].estrogen, rec.draft.steps[1].caption) == (20, "Three.")
    # Only the caption of step 3.
    choose(qtbot, rec, 2)
    rec.caption_edit.selectAll()
    qtbot.keyClicks(rec.caption_edit, "Two, *reworded*.")
    assert rec.preview.toPlainText().strip() == "Two, reworded."
    qtbot.mouseClick(rec.caption_button, LEFT)
    assert rec.draft.steps[2].caption == "Two, *reworded*." and rec.draft.steps[2].estrogen == 10
    # Delete step 2.
    choose(qtbot, rec, 1)
    qtbot.mouseClick(rec.delete_button, LEFT)
    assert texts(rec) == ["1. One.", "2. Two, *reworded*."]

    qtbot.mouseClick(rec.save_button, LEFT)
    assert rec.message.text().startswith("Saved “Order test” (2 steps)")
    tours, problems = load_tours(CONTENT, window.content.pathway, user_folder=data / "tours")
    assert problems == []
    saved = tours["user:order-test"]
    assert [(s.caption, s.estrogen, s.years) for s in saved.steps] == [("One.", 100, 1), ("Two, *reworded*.", 10, 0)]


def test_saving_says_what_is_wrong_step_by_step_and_writes_nothing(qtbot, window, data) -> None:
    rec = record(qtbot, window)
    add(qtbot, rec, "Only one.")
    qtbot.mouseClick(rec.save_button, LEFT)
    assert rec.message.text() == "Not saved: the tour needs a title"
    qtbot.keyClicks(rec.title_edit, "Broken")
    qtbot.keyClicks(rec.summary_edit, "A summary.")
    qtbot.mouseClick(rec.save_button, LEFT)
    assert "a tour needs at least 2 steps (1 so far)" in rec.message.text()
    add(qtbot, rec, "See [the nowhere node](node:nowhere).")
    rec.minutes_spin.setValue(2)
    qtbot.mouseClick(rec.save_button, LEFT)
    message = rec.message.text()
    assert message.startswith("Not saved: the tour cannot be saved yet:")
    assert "step 2: caption links to unknown node 'nowhere'" in message
    assert "'minutes' must be a number between 3 and 10 (got 2.0)" in message
    assert not (data / "tours").exists()
    qtbot.mouseClick(rec.add_button, LEFT)  # no caption typed
    assert rec.message.text().startswith("Type a caption first") and len(rec.draft.steps) == 2


def test_a_saved_tour_plays_is_edited_in_place_and_deleted(qtbot, window, data) -> None:
    lecture = window.features["lecture"]
    rec = record(qtbot, window)
    qtbot.keyClicks(rec.title_edit, "Mine")
    qtbot.keyClicks(rec.summary_edit, "Two steps.")
    add(qtbot, rec, "Before.")
    estrogen_down(qtbot, window, 5)
    add(qtbot, rec, "After.")
    qtbot.mouseClick(rec.play_button, LEFT)  # saves, then plays as the class will see it
    assert lecture.runner.position() == ("user:mine", 0)
    assert lecture.tour_panel.caption.toPlainText().strip() == "Before."
    qtbot.mouseClick(lecture.tour_panel.next_button, LEFT)
    assert window.model_controller.inputs.estrogen == 50
    lecture.runner.leave()

    rec.new_tour()
    assert rec.steps_list.count() == 0 and rec.title_edit.text() == ""
    menu = lecture.edit_tours_menu
    menu.aboutToShow.emit()
    edit = next(a for a in menu.actions() if a.objectName() == "edit:user:mine")
    assert edit.text() == "Mine (2 steps)"
    edit.trigger()
    assert rec.title_edit.text() == "Mine" and texts(rec) == ["1. Before.", "2. After."]
    choose(qtbot, rec, 1)
    rec.caption_edit.selectAll()
    qtbot.keyClicks(rec.caption_edit, "After, edited.")
    qtbot.mouseClick(rec.caption_button, LEFT)
    qtbot.mouseClick(rec.save_button, LEFT)
    assert sorted(p.name for p in (data / "tours").iterdir()) == ["mine.yaml"]  # saved in place
    assert lecture.runner.tours["user:mine"].steps[1].caption == "After, edited."

    assert rec.delete_tour_button.isEnabled()
    qtbot.mouseClick(rec.delete_tour_button, LEFT)
    box = rec.message_box
    assert box.isVisible() and "Delete your tour “Mine”?" in box.text()
    qtbot.mouseClick(next(b for b in box.buttons() if b.text() == "Delete"), LEFT)
    assert not (data / "tours" / "mine.yaml").exists() and rec.message.text() == "Deleted your tour “Mine”"
    lecture.tours_menu.aboutToShow.emit()
    assert "tour:user:mine" not in {a.objectName() for a in lecture.tours_menu.actions()}
    assert not rec.delete_tour_button.isEnabled()


def test_a_broken_tour_among_yours_is_named_in_the_menu(qtbot, window, data) -> None:
    (data / "tours").mkdir(parents=True)
    (data / "tours" / "bad.yaml").write_text("id: user:bad\ntitle: [unclosed\n", encoding="utf-8")
    menu = window.features["lecture"].tours_menu
    menu.aboutToShow.emit()
    bad = next(a for a in menu.actions() if a.text().startswith("(not loaded"))
    assert bad.text() == "(not loaded: tours/bad.yaml)" and not bad.isEnabled()
    assert bad.toolTip().startswith("tours/bad.yaml (your tours): ")


def test_a_scenario_and_a_knock_out_are_recorded_and_what_a_step_cannot_keep_is_said(qtbot, window, data) -> None:
    mc = window.model_controller
    rec = record(qtbot, window)
    combo = window.controls.scenario_combo
    combo.setCurrentIndex(combo.findData("postmenopause_iron"))
    combo.activated.emit(combo.currentIndex())  # what choosing it from the list sends
    assert mc.scenario == "postmenopause_iron"
    item = window.scene.node_items["hepcidin"]
    window.scene.node_context_requested.emit("hepcidin",
                                             window.view.mapToGlobal(window.view.mapFromScene(item.pos())))
    menu = window.model_binding.node_menu
    next(a for a in menu.actions() if a.text().startswith("Knock out Hepcidin")).trigger()
    menu.close()
    assert "knocked out: Hepcidin" in rec.state_label.text()
    add(qtbot, rec, "Iron accumulates and hepcidin is gone.")
    step = rec.draft.steps[0]
    scenario = mc.scenarios["postmenopause_iron"]
    assert (step.scenario, step.estrogen, step.ferritin) == ("postmenopause_iron", scenario.estrogen, scenario.ferritin)
    assert step.knockouts == ("hepcidin",)
    assert "clamped nodes" not in rec.state_label.text()
    mc.clamp("rankl", "high")
    assert "clamped nodes and cut links are not part of a tour step" in rec.state_label.text()
