"""Level of detail of the diagram: zoomed far out, nodes and edges draw as plain boxes and lines,
batched by the scene; zoomed back in, everything draws itself as before."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from app.ui.diagram.items import LOD_SIMPLE, SELECTION
from app.ui.diagram.scene import DiagramScene
from app.ui.diagram.view import DiagramView

NO_CONTENTS = QGraphicsItem.GraphicsItemFlag.ItemHasNoContents


def _view(qtbot, scene: DiagramScene, zoom: float) -> DiagramView:
    view = DiagramView(scene)
    qtbot.addWidget(view)
    view.resize(900, 600)
    with qtbot.waitExposed(view):
        view.show()
    view.resetTransform()
    view.scale(zoom, zoom)
    view.viewport().repaint()
    return view


def _render(scene: DiagramScene, scale: float) -> QImage:
    rect = scene.sceneRect()
    image = QImage(int(rect.width() * scale), int(rect.height() * scale), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def test_zooming_out_switches_to_the_simple_look_and_back(qtbot, synthetic) -> None:
    scene = DiagramScene(synthetic.make_pathway(60))
    view = _view(qtbot, scene, 1.0)
    node = next(iter(scene.node_items.values()))
    assert not scene.overview_mode
    assert not node.flags() & NO_CONTENTS
    assert node.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache

    view.resetTransform()
    view.scale(LOD_SIMPLE * 0.6, LOD_SIMPLE * 0.6)
    view.viewport().repaint()
    assert scene.overview_mode
    assert all(it.flags() & NO_CONTENTS for it in (*scene.node_items.values(), *scene.edge_items))

    view.resetTransform()
    view.viewport().repaint()
    assert not scene.overview_mode
    assert not node.flags() & NO_CONTENTS
    assert node.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache


def test_zoomed_out_nodes_still_take_clicks_and_show_selection(qtbot, synthetic) -> None:
    scene = DiagramScene(synthetic.make_pathway(60))
    view = _view(qtbot, scene, 0.25)
    assert scene.overview_mode
    node = scene.node_items["n7"]
    view.centerOn(node)
    view.viewport().repaint()
    at = view.mapFromScene(node.pos())
    with qtbot.waitSignal(scene.node_clicked, timeout=1000) as clicked:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=at)
    assert clicked.args == ["n7"]

    # The selection outline reaches the batched drawing: the node's edge turns orange.
    corner = view.mapFromScene(node.simple_rect().topLeft()) + QPoint(0, 4)
    before = view.viewport().grab().toImage().pixelColor(corner)
    scene.set_selected("n7")
    view.viewport().repaint()
    after = view.viewport().grab().toImage().pixelColor(corner)
    assert after != before
    assert abs(after.red() - SELECTION.red()) < 40 and abs(after.blue() - SELECTION.blue()) < 40


def test_an_export_while_zoomed_out_is_drawn_in_full_detail(qtbot, synthetic) -> None:
    scene = DiagramScene(synthetic.make_pathway(30))
    _view(qtbot, scene, 0.2)
    assert scene.overview_mode
    assert len(_colours_inside(scene, "n3", 1.0)) > 1  # the label is there, whatever the view's zoom
    assert scene.overview_mode  # and the view goes on drawing the cheap way
    # Far out a node is a plain box: its inside is one colour, no label.
    assert len(_colours_inside(scene, "n3", 0.3)) == 1
    assert len(_colours_inside(scene, "n3", 0.5)) > 1  # readable zoom: the label is drawn


def _colours_inside(scene: DiagramScene, node_id: str, scale: float) -> set[int]:
    image = _render(scene, scale)
    rect = scene.node_items[node_id].simple_rect().translated(-scene.sceneRect().topLeft())
    x0, x1 = int(rect.left() * scale) + 2, int(rect.right() * scale) - 2
    y0, y1 = int(rect.top() * scale) + 2, int(rect.bottom() * scale) - 2
    return {image.pixel(x, y) for x in range(x0, x1) for y in range(y0, y1)}


def test_a_big_scene_draws_without_pixmap_caches(synthetic) -> None:
    scene = DiagramScene(synthetic.make_pathway(400))
    assert len(scene.node_items) + len(scene.edge_items) > DiagramScene.CACHE_LIMIT
    assert all(it.cacheMode() == QGraphicsItem.CacheMode.NoCache for it in scene.edge_items)
    small = DiagramScene(synthetic.make_pathway(20))
    assert all(it.cacheMode() == QGraphicsItem.CacheMode.DeviceCoordinateCache for it in small.edge_items)
