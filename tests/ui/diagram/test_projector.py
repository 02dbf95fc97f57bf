"""Projector style of the diagram: high contrast and thicker lines on, exactly the normal look off."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from app.ui.diagram.scene import DiagramScene


def _render(scene: DiagramScene) -> QImage:
    rect = scene.sceneRect()
    image = QImage(int(rect.width()), int(rect.height()), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFFFFFFFF)
    painter = QPainter(image)
    scene.render(painter, QRectF(image.rect()), rect)
    painter.end()
    return image


def _dark_pixels(image: QImage, rect: QRectF) -> int:
    """Near-black pixels inside `rect` (outline and label ink)."""
    return sum(1 for x in range(int(rect.left()), int(rect.right()))
               for y in range(int(rect.top()), int(rect.bottom()))
               if QColor(image.pixel(x, y)).lightness() < 60)


def test_projector_style_doubles_lines_and_off_restores_the_normal_look(qtbot, synthetic) -> None:
    scene = DiagramScene(synthetic.make_pathway(24))
    node = scene.node_items["n1"]  # a protein: white box, outline and label only
    edge = scene.edge_items[0]
    colour, node_width = node.outline()
    edge_width = edge.line_width()
    size = (node.width, node.height)
    scene_rect = scene.sceneRect()
    normal = _render(scene)

    scene.set_projector_style(True)
    assert scene.projector_style
    assert node.outline() == (QColor("#000000"), 2 * node_width)
    assert edge.line_width() == 2 * edge_width
    assert (node.width, node.height) == size and scene.sceneRect() == scene_rect  # no layout change
    projected = _render(scene)
    box = node.simple_rect().translated(-scene_rect.topLeft())
    assert _dark_pixels(projected, box) > 1.4 * _dark_pixels(normal, box)  # black outline, bold label
    cell = scene.node_items["n4"]  # a cell: its fill grows stronger
    at = cell.pos() - scene_rect.topLeft()
    assert QColor(projected.pixel(int(at.x()) - 20, int(at.y()) + 12)).saturation() > \
        QColor(normal.pixel(int(at.x()) - 20, int(at.y()) + 12)).saturation()

    scene.set_projector_style(False)
    assert node.outline() == (colour, node_width) and edge.line_width() == edge_width
    assert _render(scene) == normal


def test_projector_style_keeps_state_colours_and_zoomed_out_lines(qtbot, synthetic) -> None:
    scene = DiagramScene(synthetic.make_pathway(24))
    scene.set_selected("n2")
    node, edge = scene.node_items["n2"], scene.edge_items[0]
    colour, width = node.outline()
    scene.set_projector_style(True)
    assert node.outline() == (colour, 2 * width)  # the selection stays orange, just thicker
    assert edge.simple_pen().widthF() == 2 and edge.simple_pen().isCosmetic()
    scene.set_projector_style(False)
    assert edge.simple_pen().widthF() == 0
