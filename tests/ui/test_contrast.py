"""Contrast of every text colour on the background it is drawn on, measured from the colours the app
really uses (the applied window palette, the diagram's items, the ferritin bands, the plots, the quiz
marks, the pages' theme) in the light and dark schemes and in presentation mode's projector look.
WCAG 2: relative luminance from linearised sRGB; normal-size text needs at least 4.5:1, the keyboard
focus (WCAG 2.2) at least 3:1 against what is next to it."""

from __future__ import annotations

import re

import pytest
from PySide6.QtGui import QColor, QPalette

TEXT = 4.5
FOCUS = 3.0


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def luminance(colour: QColor) -> float:
    r, g, b = (_linear(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a: QColor, b: QColor) -> float:
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def over(top: QColor, below: QColor) -> QColor:
    """`top` (with its alpha) composited over the opaque `below`."""
    a = top.alphaF()
    return QColor.fromRgbF(*(t * a + b * (1 - a) for t, b in zip(top.getRgbF()[:3], below.getRgbF()[:3],
                                                                  strict=True)))


def test_the_measure_matches_wcag_reference_values() -> None:
    # Values from the WCAG definition: black on white is 21:1, a colour on itself 1:1, #777 on white 4.48.
    assert ratio(QColor("#000000"), QColor("#FFFFFF")) == pytest.approx(21.0)
    assert ratio(QColor("#0B5CAD"), QColor("#0B5CAD")) == pytest.approx(1.0)
    assert ratio(QColor("#777777"), QColor("#FFFFFF")) == pytest.approx(4.48, abs=0.01)


def _window_pairs(pal: QPalette, where: str) -> list[tuple[str, QColor, QColor]]:
    r = QPalette.ColorRole
    roles = [(r.WindowText, r.Window), (r.Text, r.Base), (r.Text, r.AlternateBase), (r.ButtonText, r.Button),
             (r.HighlightedText, r.Highlight), (r.ToolTipText, r.ToolTipBase), (r.PlaceholderText, r.Base),
             (r.PlaceholderText, r.Window), (r.Link, r.Base), (r.LinkVisited, r.Base), (r.WindowText, r.Base)]
    return [(f"{where}: {fg.name} on {bg.name}", pal.color(fg), pal.color(bg)) for fg, bg in roles]


def _diagram_pairs(scene, where: str) -> list[tuple[str, QColor, QColor]]:  # noqa: ANN001
    from app.ui.diagram.items import CompartmentItem

    pairs = []
    regions = {}
    for item in scene.items():
        if isinstance(item, CompartmentItem):
            fill, text = item.colours()
            regions[item.compartment.id] = fill
            pairs.append((f"{where}: compartment label {item.compartment.id}", text, fill))
    canvas = scene.backgroundBrush().color()
    colours = scene.colours()
    pairs.append((f"{where}: legend text on the canvas", QColor(colours.ink), canvas))
    pairs.append((f"{where}: KO / fixed badge", QColor(colours.badge_text), QColor(colours.badge_fill)))
    for nid, item in scene.node_items.items():
        under = regions.get(item.node.compartment, canvas)
        for change in (0.0, 0.05, -0.05, 0.12, -0.12, 0.25, -0.25):
            for dimmed in (False, True):
                item.set_change(change)
                item.set_state(dimmed=dimmed)
                text, fill = item.label_colours()
                state = f"change {change:+.2f}{' dimmed' if dimmed else ''}"
                pairs.append((f"{where}: label of {nid} ({state})", text, over(fill, under)))
        item.set_change(0.0)
        item.set_state(dimmed=False)
    return pairs


def _plot_pairs(plots, where: str) -> list[tuple[str, QColor, QColor]]:  # noqa: ANN001
    pairs = []
    for plot in (plots.rate_plot, plots.mass_plot):
        bg = plot.backgroundBrush().color()
        item = plot.getPlotItem()
        pairs.append((f"{where}: {item.titleLabel.text} title", QColor(item.titleLabel.opts["color"]), bg))
        for side in ("left", "bottom"):
            axis = plot.getAxis(side)
            pairs.append((f"{where}: {side} axis ticks", axis.textPen().color(), bg))
            pairs.append((f"{where}: {side} axis label", QColor(axis.labelStyle["color"]), bg))
        for _sample, label in item.legend.items:
            pairs.append((f"{where}: legend '{label.text}'", QColor(label.opts["color"]), bg))
    return pairs


def _page_pairs(theme, where: str) -> list[tuple[str, QColor, QColor]]:  # noqa: ANN001
    t = {k: QColor(getattr(theme, k)) for k in ("text", "background", "link", "muted", "table_head", "error_bg",
                                                 "error_text", "note_bg", "note_title", "points_bg", "points_title")}
    return [(f"{where}: page {fg} on {bg}", t[fg], t[bg]) for fg, bg in (
        ("text", "background"), ("link", "background"), ("muted", "background"), ("text", "table_head"),
        ("link", "table_head"), ("error_text", "error_bg"), ("text", "note_bg"), ("link", "note_bg"),
        ("note_title", "note_bg"), ("text", "points_bg"), ("link", "points_bg"), ("points_title", "points_bg"))]


def _failures(pairs: list[tuple[str, QColor, QColor]], minimum: float = TEXT) -> list[str]:
    return [f"{what}: {fg.name()} on {bg.name()} is {ratio(fg, bg):.2f}:1"
            for what, fg, bg in pairs if ratio(fg, bg) < minimum]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_text_reaches_4_5_to_1(qtbot, window, scheme) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.quiz.panel import BANNER_STYLE
    from app.ui.quiz.views import bad_colour, ok_colour

    window.acts.schemes[scheme].trigger()
    assert window.appearance.scheme == scheme
    pal = QApplication.palette()
    assert (pal.color(QPalette.ColorRole.Window).lightnessF() < 0.5) == (scheme == "dark")
    window.model_controller.set_estrogen(10)  # the plots hold data and the nodes a change
    pairs = _window_pairs(pal, scheme)
    pairs += _diagram_pairs(window.scene, scheme)
    pairs += [(f"{scheme}: ferritin band '{name}'", text, fill)
              for name, text, fill in window.controls.ferritin_bands.band_colours()]
    pairs += _plot_pairs(window.plots, scheme)
    pairs += _page_pairs(window.panel.theme, scheme)
    for mark in (ok_colour(), bad_colour()):
        for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
            pairs.append((f"{scheme}: quiz mark on {role.name}", QColor(mark), pal.color(role)))
    banner_bg, banner_fg = re.findall(r"#[0-9A-Fa-f]{6}", BANNER_STYLE)[0], re.findall(r"#[0-9A-Fa-f]{6}",
                                                                                         BANNER_STYLE)[-1]
    pairs.append((f"{scheme}: quiz banner", QColor(banner_fg), QColor(banner_bg)))
    assert len(pairs) > 43 * 14  # every node in every state, not a sample
    failures = _failures(pairs)
    assert not failures, "\n".join(failures)


def test_presentation_mode_text_reaches_4_5_to_1(qtbot, window) -> None:
    window.acts.schemes["dark"].trigger()  # presenting from a dark desktop: the projector look is light
    lecture = window.features["lecture"]
    lecture.presentation.enter()
    try:
        window.model_controller.set_estrogen(10)
        pairs = _window_pairs(window.palette(), "projector")
        pairs += _diagram_pairs(window.scene, "projector")
        pairs += _plot_pairs(window.plots, "projector")
        pairs += _page_pairs(window.panel.theme, "projector")
        assert window.scene.backgroundBrush().color() == QColor("#FFFFFF")
        failures = _failures(pairs)
        assert not failures, "\n".join(failures)
    finally:
        lecture.presentation.leave()


def _focus_pairs(qtbot, window, where: str) -> list[tuple[str, QColor, QColor]]:  # noqa: ANN001
    """The keyboard focus as drawn. The diagram's ring (a node's, in the detailed and the zoomed-out
    look alike, and a link's band and zoomed-out line): its core against the canvas and every
    compartment it may lie on and against its halo, and, by its core or its halo, against every node
    fill it may touch. The widgets' ring: its core against the window, base and button colours around
    a widget and against its halo."""
    from PySide6.QtCore import Qt

    from app.ui.diagram.items import CompartmentItem, focus_pens
    from app.ui.shell.focus_ring import ring_colours

    scene, view = window.scene, window.view
    view.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(view.hasFocus)
    view.set_keyboard_cursor("rankl")
    node = scene.node_items["rankl"]
    _rect, (halo_pen, core_pen) = node.focus_ring()
    core, halo = core_pen.color(), halo_pen.color()
    qtbot.keyClick(view, Qt.Key.Key_L)  # the cursor to the node's first link
    edge = next(e for e in scene.edge_items if e.focused)
    band_halo, band_core = (pen.color() for pen in focus_pens(edge.colours())[1])
    around = [("canvas", scene.backgroundBrush().color())]
    around += [(f"compartment {it.compartment.id}", it.colours()[0]) for it in scene.items()
               if isinstance(it, CompartmentItem)]
    pairs = [(f"{where}: focus ring's core on its halo", core, halo),
             (f"{where}: focused link's band on its halo", band_core, band_halo)]
    for name, colour in around:
        pairs.append((f"{where}: focus ring's core on the {name}", core, colour))
        pairs.append((f"{where}: focused link's band on the {name}", band_core, colour))
        pairs.append((f"{where}: focused link zoomed out on the {name}", edge.simple_pen().color(), colour))
    for nid, item in scene.node_items.items():
        _text, fill = item.label_colours()
        nearer = core if ratio(core, fill) >= ratio(halo, fill) else halo
        pairs.append((f"{where}: focus ring beside the fill of {nid}", nearer, fill))
    pal = window.palette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        ring_core, ring_halo = ring_colours(pal.color(role))
        pairs.append((f"{where}: widget focus ring on {role.name}", ring_core, pal.color(role)))
        pairs.append((f"{where}: widget focus ring's core on its halo", ring_core, ring_halo))
    box = window.controls.treatment_boxes["denosumab"]  # the ring as drawn, around a control
    box.setFocus(Qt.FocusReason.TabFocusReason)
    ring = window.keyboard.ring
    qtbot.waitUntil(lambda: ring.isVisible() and ring.target is box)
    ring_core, _ = ring_colours(ring.background())
    pairs.append((f"{where}: widget focus ring around a treatment", ring_core, ring.background()))
    return pairs


@pytest.mark.parametrize("scheme", ["light", "dark", "projector"])
def test_the_keyboard_focus_reaches_3_to_1(qtbot, window, scheme) -> None:
    from app.ui.palette import SCHEMES

    lecture = window.features["lecture"]
    if scheme == "projector":
        window.acts.schemes["dark"].trigger()  # presenting from a dark desktop: the projector look is light
        lecture.presentation.enter()
    else:
        window.acts.schemes[scheme].trigger()
    try:
        assert window.scene.colours().name == scheme
        # A scheme reaches the window's own palette through a posted event: measure once it has.
        window_colour = QColor(SCHEMES[scheme].window)
        qtbot.waitUntil(lambda: window.palette().color(QPalette.ColorRole.Window) == window_colour)
        window.model_controller.set_estrogen(10)  # node fills tinted by a change
        pairs = _focus_pairs(qtbot, window, scheme)
        assert len(pairs) > 43
        failures = _failures(pairs, FOCUS)
        assert not failures, "\n".join(failures)
    finally:
        if scheme == "projector":
            lecture.presentation.leave()
