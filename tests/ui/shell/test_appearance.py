"""View ▸ Appearance: the whole window turns dark or light with the desktop's colour-scheme hint, or by
the user's choice (remembered); exports stay light; pinned runs differ in colour and dash pattern in
both plots, each named in both legends."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

CONTENT = Path(__file__).resolve().parents[3] / "content"


def _dark(colour: QColor) -> bool:
    return colour.lightnessF() < 0.5


def _looks(window) -> dict[str, bool]:  # noqa: ANN001
    """Is each part of the window drawn dark? Read from what each part paints with."""
    QApplication.processEvents()
    plot = window.plots.rate_plot
    return {
        "window palette": _dark(QApplication.palette().color(QPalette.ColorRole.Window)),
        "dialog palette": _dark(window.dialogs_palette()),
        "diagram canvas": _dark(window.scene.backgroundBrush().color()),
        "compartments": all(_dark(c.colours()[0]) for c in window.scene.items() if hasattr(c, "compartment")),
        "page": _dark(QColor(window.panel.theme.background)),
        "plots": _dark(plot.backgroundBrush().color()),
        "axis text light": not _dark(plot.getAxis("left").textPen().color()),
    }


@pytest.fixture
def window(qtbot, make_window):  # noqa: ANN001
    w = make_window(CONTENT)
    qtbot.waitUntil(lambda: w.model_controller is not None)
    # Any top-level dialog of the window inherits the application palette: read it from a new one.
    from PySide6.QtWidgets import QDialog

    def dialogs_palette() -> QColor:
        dialog = QDialog(w)
        colour = dialog.palette().color(QPalette.ColorRole.Window)
        dialog.deleteLater()
        return colour

    w.dialogs_palette = dialogs_palette
    return w


def test_follows_the_desktops_colour_scheme(qtbot, window) -> None:
    hints = QGuiApplication.styleHints()
    assert window.acts.schemes["system"].isChecked()
    assert not any(_looks(window).values())
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # the desktop switches to dark
    assert window.appearance.scheme == "dark"
    assert all(_looks(window).values()), _looks(window)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert window.appearance.scheme == "light"
    assert not any(_looks(window).values()), _looks(window)


def test_a_manual_choice_wins_and_is_remembered(qtbot, window, make_window) -> None:
    hints = QGuiApplication.styleHints()
    window.acts.schemes["dark"].trigger()
    assert all(_looks(window).values())
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)  # the desktop's hint no longer decides
    assert window.appearance.scheme == "dark"
    window.acts.schemes["light"].trigger()
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert window.appearance.scheme == "light" and not any(_looks(window).values())
    window.acts.schemes["dark"].trigger()
    window.close()
    assert QSettings().value("view/scheme") == "dark"
    again = make_window(CONTENT, show=False)
    again.settings.restore()
    assert again.appearance.choice == "dark" and again.acts.schemes["dark"].isChecked()
    assert _dark(again.scene.backgroundBrush().color())


def test_the_diagram_exports_light_from_a_dark_window(qtbot, window) -> None:
    from app.ui.shell.export import diagram_image

    window.acts.schemes["dark"].trigger()
    image = diagram_image(window.scene)
    corner = QColor(image.pixel(2, 2))
    assert corner.lightnessF() > 0.95  # slides and handouts are white
    assert _dark(window.scene.backgroundBrush().color())  # the screen stays dark


def test_pinned_runs_differ_in_colour_and_dash_and_are_named_in_both_plots(qtbot, window) -> None:
    mc = window.model_controller
    act = window.features["compare"].act_pin_run
    for estrogen in (60, 30, 10):
        mc.set_estrogen(estrogen)
        act.trigger()
    plots = window.plots
    pens = [curves[0].opts["pen"] for curves in plots.reference_curves]
    assert len(pens) == 3
    assert len({p.color().name() for p in pens}) == 3
    assert len({tuple(p.dashPattern()) for p in pens}) == 3
    live = {plots.formation_curve.opts["pen"].style(), plots.resorption_curve.opts["pen"].style()}
    assert all(p.style() == Qt.PenStyle.CustomDashLine for p in pens) and Qt.PenStyle.CustomDashLine not in live
    for cf, cr, cm in plots.reference_curves:  # a run's three curves share its look
        assert cf.opts["pen"] == cr.opts["pen"] == cm.opts["pen"]
    names = [p.name for p in window.features["compare"].compare.pins]
    for plot in (plots.rate_plot, plots.mass_plot):
        labels = [label.text for _s, label in plot.getPlotItem().legend.items]
        assert all(f"{name} (pinned)" in labels for name in names), labels


def test_plot_curves_are_never_hairlines(qtbot, window) -> None:
    plots = window.plots
    dpr = plots.devicePixelRatioF()
    for curve in (plots.formation_curve, plots.resorption_curve, plots.mass_curve, plots.projection_curve):
        pen = curve.opts["pen"]
        assert pen.isCosmetic() and pen.widthF() >= 2 * dpr
