"""The overlay stack decides what the diagram shows: per channel, the highest layer with a value wins
(inquiry > quiz > tour > explorer > why-trace > hover > model), and clearing a layer shows what the
layers below hold at that moment. Checked on the stack alone, on a scene, and through the features."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.ui.diagram.overlays import Layer, OverlayStack
from app.ui.diagram.scene import DiagramScene


def _compare(window):  # noqa: ANN001, ANN202
    return window.features["compare"]


def _lecture(window):  # noqa: ANN001, ANN202
    return window.features["lecture"]


def _paths(window):  # noqa: ANN001, ANN202
    return window.features["paths"]


def _quiz(window):  # noqa: ANN001, ANN202
    return window.features["quiz"]


def _stack() -> tuple[OverlayStack, list]:
    drawn: list = []
    return OverlayStack({"lit": drawn.append}), drawn


def test_the_order_of_the_layers_is_the_one_documented() -> None:
    order = sorted(Layer)
    assert [layer.name for layer in order] == ["MODEL", "HOVER", "WHY", "EXPLORER", "TOUR", "PRESENTER", "QUIZ",
                                                  "INQUIRY"]


def test_a_higher_layer_wins_and_a_lower_one_updating_beneath_it_draws_nothing() -> None:
    stack, drawn = _stack()
    stack.set("lit", Layer.WHY, "why 1")
    stack.set("lit", Layer.QUIZ, "quiz")
    assert drawn == ["why 1", "quiz"] and stack.shown("lit") == Layer.QUIZ
    stack.set("lit", Layer.WHY, "why 2")  # the why-trace moves on under the quiz
    assert drawn == ["why 1", "quiz"]
    assert stack.value("lit", Layer.WHY) == "why 2"  # kept, not drawn


def test_clearing_the_top_shows_what_the_layers_below_hold_now() -> None:
    stack, drawn = _stack()
    stack.set("lit", Layer.WHY, "why 1")
    stack.set("lit", Layer.TOUR, "tour")
    stack.set("lit", Layer.QUIZ, "quiz")
    stack.set("lit", Layer.WHY, "why 2")
    stack.set("lit", Layer.QUIZ, None)
    assert drawn[-1] == "tour" and stack.shown("lit") == Layer.TOUR
    stack.set("lit", Layer.TOUR, None)
    assert drawn[-1] == "why 2"  # the latest why-trace, not the one under which the quiz began
    stack.set("lit", Layer.WHY, None)
    assert drawn[-1] is None and stack.shown("lit") is None


def test_clearing_a_layer_that_is_hidden_or_empty_draws_nothing() -> None:
    stack, drawn = _stack()
    stack.set("lit", Layer.QUIZ, None)  # never set
    assert drawn == []
    stack.set("lit", Layer.EXPLORER, "route")
    stack.set("lit", Layer.INQUIRY, "nothing")
    stack.set("lit", Layer.EXPLORER, None)  # under the inquiry layer: nothing to redraw
    assert drawn == ["route", "nothing"]
    stack.clear(Layer.INQUIRY)
    assert drawn[-1] is None


def test_channels_are_independent() -> None:
    lit: list = []
    tints: list = []
    stack = OverlayStack({"lit": lit.append, "changes": tints.append})
    stack.set("changes", Layer.MODEL, "reference")
    stack.set("lit", Layer.QUIZ, "answer")
    stack.set("changes", Layer.EXPLORER, "pinned")
    stack.clear(Layer.QUIZ)  # only the quiz's own channel goes
    assert tints == ["reference", "pinned"] and lit == ["answer", None]


@pytest.fixture
def scene(qtbot, synthetic) -> DiagramScene:  # noqa: ARG001 - qtbot: a QApplication
    return DiagramScene(synthetic.make_pathway(12))


def test_a_scene_draws_the_winning_path_and_gives_it_back(scene) -> None:
    scene.set_lit(Layer.WHY, ["n1", "n2"], [("n1", "n2")])
    scene.set_lit(Layer.QUIZ, ["n5"])
    assert scene.lit_nodes() == {"n5"} and scene.lit_edges() == set()
    scene.set_lit(Layer.WHY, ["n3"])
    assert scene.lit_nodes() == {"n5"}
    scene.set_lit(Layer.QUIZ, None)
    assert scene.lit_nodes() == {"n3"} and scene.shown("lit") == Layer.WHY


def test_tints_follow_the_top_layer_and_the_legend_says_what_they_mean(scene) -> None:
    scene.set_changes(Layer.MODEL, {"n1": 0.2})
    assert scene.node_items["n1"].tint is not None and scene.legend.show_changes
    assert scene.legend.changes_caption == "Colours compared with the reference state:"
    scene.set_reference_caption("Colours compared with “Reference scenario”:")  # named by the content
    assert scene.legend.changes_caption == "Colours compared with “Reference scenario”:"
    scene.set_changes(Layer.EXPLORER, {"n1": -0.2, "n2": 0.1}, caption="Difference from “Run 1”:")
    assert scene.node_items["n1"].change == pytest.approx(-0.2) and scene.node_items["n2"].change > 0
    assert scene.legend.changes_caption == "Difference from “Run 1”:"
    scene.set_changes(Layer.INQUIRY, {}, caption=None)  # results hidden
    assert all(item.tint is None for item in scene.node_items.values()) and not scene.legend.show_changes
    scene.set_changes(Layer.MODEL, {"n1": 0.3})  # the model runs on, unseen
    assert scene.node_items["n1"].tint is None
    scene.clear_overlay(Layer.INQUIRY)
    assert scene.node_items["n1"].change == pytest.approx(-0.2)  # the pinned run's difference is back
    scene.set_changes(Layer.EXPLORER, None)
    assert scene.node_items["n1"].change == pytest.approx(0.3)  # and under it, the model's latest
    assert scene.legend.changes_caption == "Colours compared with “Reference scenario”:"


def test_marked_nodes_and_search_hits_share_a_look_but_not_an_owner(scene) -> None:
    scene.set_marked(Layer.TOUR, ["n1"])
    scene.set_search_matches(["n2"])
    hits = {nid for nid, item in scene.node_items.items() if item.search_hit}
    assert hits == {"n1", "n2"}
    scene.set_search_matches([])  # clearing the search box leaves the tour's marks
    assert {nid for nid, item in scene.node_items.items() if item.search_hit} == {"n1"}
    scene.clear_overlay(Layer.TOUR)
    assert not any(item.search_hit for item in scene.node_items.values())


# --- through the features ---------------------------------------------------------------------
def _open_predict_question(qtbot, window):  # noqa: ANN001, ANN202
    quiz = _quiz(window).act_practice
    quiz.trigger()
    panel = _quiz(window).panel
    panel.seed = 4
    panel.type_combo.setCurrentIndex(panel.type_combo.findData("predict"))
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    return panel


def test_a_quiz_highlight_survives_a_why_trace_and_leaving_it_shows_the_trace(qtbot, window) -> None:
    mc = window.model_controller
    panel = _open_predict_question(qtbot, window)
    q = panel.session.current
    for target in q.targets:
        panel.view.set_mark(target, "up")
    qtbot.mouseClick(panel.submit_button, Qt.MouseButton.LeftButton)
    mark = next(m for m in panel.session.grade_of().marks if m.path)
    qtbot.mouseClick(panel.view.path_buttons[mark.node], Qt.MouseButton.LeftButton)
    assert window.scene.lit_nodes() == set(mark.path)
    with qtbot.waitSignal(mc.why_changed):
        mc.set_estrogen(20)
        mc.explain_now()  # a new "why" trace arrives while the quiz shows its path
    assert window.last_trace is not None
    assert window.scene.lit_nodes() == set(mark.path)
    assert window.scene.shown("lit") == Layer.QUIZ
    qtbot.mouseClick(panel.next_button, Qt.MouseButton.LeftButton)  # the quiz gives the diagram back
    assert window.scene.lit_nodes() == {n for p in window.last_trace.paths for n in p.nodes}
    assert window.scene.lit_edges() == set(window.last_trace.edges)


def test_inquiry_hides_every_layer_beneath_it_and_reveal_restores_each(qtbot, window) -> None:
    _paths(window).explore("estrogen", "bone_mass")
    explorer = _paths(window).explorer
    explorer.select_row(0)
    route = set(explorer.highlighted.nodes)
    assert window.scene.lit_nodes() == route
    _compare(window).act_pin_run.trigger()
    window.model_controller.set_estrogen(30)
    tinted = {nid for nid, item in window.scene.node_items.items() if item.tint is not None}
    assert tinted
    _lecture(window).act_inquiry.trigger()
    assert window.scene.lit_nodes() == set()
    assert all(item.tint is None for item in window.scene.node_items.values())
    _lecture(window).act_inquiry.trigger()  # reveal: at once, no event-loop turn needed
    assert window.scene.lit_nodes() == route
    assert {nid for nid, item in window.scene.node_items.items() if item.tint is not None} == tinted
    assert "Run 1" in window.scene.legend.changes_caption
