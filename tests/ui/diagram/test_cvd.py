"""The traced path stays distinguishable from activation and inhibition lines for people with a
colour-vision deficiency: its colour, simulated for protanopia, deuteranopia and tritanopia
(Machado, Oliveira & Fernandes 2009, severity 1.0), stays far from theirs in CIELAB, in every scheme;
and it does not rely on colour alone: it is wider and carries a translucent halo."""

from __future__ import annotations

import math

import pytest
from PySide6.QtGui import QColor

from app.knowledge.pathway_io import load_pathway
from app.ui.diagram.scene import DiagramScene
from app.ui.palette import DARK, LIGHT

# Machado et al. 2009, IEEE TVCG 15(6):1291-1298, matrices for severity 1.0, on linear RGB.
MACHADO = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
    "normal vision": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
}
# CIE76 distance. About 2.3 is just noticeable side by side; lines a few pixels wide on a busy
# diagram need far more. The old reddish purple was 23 from the activation blue under protanopia.
MIN_DELTA_E = 30.0


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def simulate(colour: QColor, kind: str) -> tuple[float, float, float]:
    rgb = [_linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF())]
    return tuple(min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in MACHADO[kind])


def lab(rgb: tuple[float, float, float]) -> tuple[float, float, float]:
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def delta_e(a: QColor, b: QColor, kind: str) -> float:
    return math.dist(lab(simulate(a, kind)), lab(simulate(b, kind)))


def test_the_simulation_reproduces_known_confusions() -> None:
    # A red and a green that differ plainly for normal vision nearly merge under deuteranopia.
    red, green = QColor("#D62728"), QColor("#7F7F00")
    assert delta_e(red, green, "normal vision") > 40
    assert delta_e(red, green, "deuteranopia") < delta_e(red, green, "normal vision") / 2


@pytest.fixture
def scene(qtbot):
    from app.paths import content_dir

    pathway, _problems = load_pathway(content_dir() / "pathway.yaml")
    return DiagramScene(pathway)


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("projector", [False, True], ids=["normal", "projector"])
@pytest.mark.parametrize("kind", ["protanopia", "deuteranopia", "tritanopia", "normal vision"])
def test_the_traced_path_stays_apart_from_activation_and_inhibition(scene, scheme, projector, kind) -> None:
    scene.set_scheme(scheme)
    scene.set_projector_style(projector)
    edges = scene.edge_items
    activation = next(e for e in edges if e.edge.sign > 0)
    inhibition = next(e for e in edges if e.edge.sign < 0)
    drawn = {"activation": activation.colour(), "inhibition": inhibition.colour()}
    activation.set_on_path(True)
    path = activation.colour()
    assert path != drawn["activation"]
    for name, colour in drawn.items():
        assert delta_e(path, colour, kind) >= MIN_DELTA_E, (
            f"{kind}: path {path.name()} vs {name} {colour.name()}: ΔE {delta_e(path, colour, kind):.1f}")


def test_the_traced_path_has_cues_besides_colour(scene) -> None:
    item = next(e for e in scene.edge_items if e.edge.sign > 0)
    plain = item.line_width()
    assert item.halo_pen() is None
    item.set_on_path(True)
    assert item.line_width() >= 2.5 * plain
    halo = item.halo_pen()
    assert halo is not None and halo.widthF() >= item.line_width() + 12 and halo.color().alphaF() < 1
    node = scene.node_items[item.edge.source]
    assert node.path_halo() is None
    scene.set_lit(0, [item.edge.source], [item.edge.key])
    ring = node.path_halo()
    assert ring is not None and ring.widthF() > node.outline()[1] + 6
