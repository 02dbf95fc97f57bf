"""The diagram's visibility channel on its own: hidden parts are not drawn at any zoom (the far-out
overview draws nodes in batches) and take no hover; faded parts keep their place; clearing gives
back what the layer below holds."""

from __future__ import annotations

import pytest

from app.ui.diagram.overlays import Layer
from app.ui.diagram.scene import DIM_OPACITY


def _centre_colour(window, nid: str):  # noqa: ANN001, ANN202
    image = window.view.viewport().grab().toImage()
    at = window.view.mapFromScene(window.scene.node_items[nid].sceneBoundingRect().center())
    return image.pixelColor(at).name()


def test_hidden_nodes_are_not_drawn_in_the_overview_either(qtbot, window) -> None:
    view, scene = window.view, window.scene
    view.fit_all()
    view.zoom_by(0.3)
    qtbot.waitUntil(lambda: (view.viewport().grab(), scene.overview_mode)[1])  # zoomed far out: batched
    keep = {"hepcidin", "fpn1"}
    before = {nid: _centre_colour(window, nid) for nid in ("hepcidin", "osteoclast")}
    scene.set_visibility(Layer.TOUR, keep, [("hepcidin", "fpn1")], mode="hide")
    assert _centre_colour(window, "hepcidin") == before["hepcidin"]
    assert _centre_colour(window, "osteoclast") != before["osteoclast"]
    scene.set_visibility(Layer.TOUR, None)
    assert _centre_colour(window, "osteoclast") == before["osteoclast"]


def test_the_presenter_layer_wins_and_clearing_it_gives_the_tour_back(window) -> None:
    scene = window.scene
    scene.set_visibility(Layer.TOUR, {"hepcidin"}, mode="hide")
    scene.set_visibility(Layer.PRESENTER, {"ros"}, mode="dim")
    assert scene.shown("visibility") == Layer.PRESENTER
    items = scene.node_items
    assert items["hepcidin"].isVisible() and items["hepcidin"].opacity() == DIM_OPACITY
    assert items["ros"].opacity() == 1.0
    scene.set_visibility(Layer.PRESENTER, None)
    assert scene.shown("visibility") == Layer.TOUR
    assert not items["ros"].isVisible() and items["hepcidin"].isVisible()
    scene.clear_overlay(Layer.TOUR)
    assert all(it.isVisible() and it.opacity() == 1.0 for it in items.values())


def test_a_hovered_node_that_a_build_up_hides_is_hovered_no_more(qtbot, window) -> None:
    scene = window.scene
    item = scene.node_items["ros"]
    qtbot.mouseMove(window.view.viewport(), window.view.mapFromScene(item.sceneBoundingRect().center()))
    qtbot.waitUntil(lambda: scene.hovered == "ros")
    scene.set_visibility(Layer.TOUR, {"hepcidin"}, mode="hide")
    assert scene.hovered is None
    assert not any(it.highlighted for it in scene.node_items.values())


def test_an_unknown_mode_is_refused_by_name(window) -> None:
    with pytest.raises(ValueError, match="'blur'"):
        window.scene.set_visibility(Layer.TOUR, {"ros"}, mode="blur")
