"""Pinned runs from files are validated before anything changes (app.knowledge.pinned, the session
reader's checks): huge numbers (formation: [1e308, -1e308]) are refused with their key path, a
refused open changes nothing, and no number a plot cannot draw ever reaches pyqtgraph; names keep to
what a session file holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.knowledge import session as sf
from app.model.simulation import DAYS_PER_YEAR


def _compare(window):  # noqa: ANN001, ANN202
    return window.features["compare"].compare


def _pin(name: str = "from a file", **series) -> dict:  # noqa: ANN003
    pin = {"name": name, "inputs": {"estrogen": 10, "ferritin": 500}, "t_pinned": 1.0, "t": [0.0, 1.0],
           "formation": [7.0, 7.5], "resorption": [7.0, 8.0], "mass": [100.0, 99.5], "activities": {}}
    pin.update(series)
    return pin


def _session(path: Path, pinned: list) -> Path:
    path.write_text(json.dumps({"format": "ironbone-session", "version": 1,
                                "inputs": {"estrogen": 100, "ferritin": 50}, "pinned": pinned}), encoding="utf-8")
    return path


HUGE = [{"formation": [1e308, -1e308]}, {"mass": [1e308, 1.0]}, {"t": [0.0, 1e308]}, {"resorption": [-1e308, 0.0]}]


@pytest.mark.parametrize("series", HUGE, ids=lambda s: next(iter(s)))
def test_a_session_with_huge_numbers_is_refused_and_changes_nothing(qtbot, window, tmp_path, series) -> None:
    compare, mc = _compare(window), window.model_controller
    mc.set_estrogen(40)
    compare.pin("kept")
    before = (compare.pinned_data(), [r[0] for r in window.plots.references], mc.inputs, mc.sim.t_years)
    manager = window.features["session"].manager
    assert not manager.open_path(_session(tmp_path / "huge.ironbone", [_pin(**series)]))
    key = next(iter(series))
    assert f"pinned[0].{key}[" in manager.last_message and "must be between" in manager.last_message
    assert (compare.pinned_data(), [r[0] for r in window.plots.references], mc.inputs, mc.sim.t_years) == before
    mc.set_estrogen(20)  # later changes redraw the plots without an error
    mc.advance(2 * DAYS_PER_YEAR)
    assert window.plots.reference_curves and len(window.plots.reference_curves) == 1


def test_restoring_huge_numbers_directly_is_refused_before_any_change(qtbot, window) -> None:
    compare = _compare(window)
    compare.pin("kept")
    before = compare.pinned_data()
    with pytest.raises(ValueError, match=r"pinned\[0\]\.formation\[0\] must be between 0 and 1000"):
        compare.restore_pinned([_pin(formation=[1e308, -1e308])])
    assert compare.pinned_data() == before
    assert [r[0] for r in window.plots.references] == ["kept"]


def test_the_plots_never_draw_a_number_they_cannot_hold(qtbot, window) -> None:
    """Whatever hands them a run (a future caller, a bug): pyqtgraph never sees 1e308 or NaN."""
    plots, mc = window.plots, window.model_controller
    plots.set_references([("huge", [0.0, 1.0], [1e308, -1e308], [7.0, 7.0], [100.0, 99.0]),
                          ("nan", [0.0, 1.0], [7.0, 7.0], [float("nan"), 7.0], [100.0, 99.0]),
                          ("fine", [0.0, 1.0], [7.0, 7.5], [7.0, 8.0], [100.0, 99.5])])
    assert [r[0] for r in plots.references] == ["fine"]
    plots.show_data(*mc.history())
    mc.advance(DAYS_PER_YEAR)
    lo, hi = plots.mass_plot.getViewBox().viewRange()[1]
    assert -1e6 < lo < hi < 1e6


def test_pin_names_keep_to_what_a_session_holds(qtbot, window, tmp_path) -> None:
    feature = window.features["compare"]
    compare = feature.compare
    compare.pin("x" * (sf.MAX_NAME_CHARS + 500))
    assert len(compare.pins[0].name) == sf.MAX_NAME_CHARS
    panel = feature.open_panel()
    edit = panel.name_edits[0]
    assert edit.maxLength() == sf.MAX_NAME_CHARS
    compare.rename(0, "y" * (sf.MAX_NAME_CHARS + 1))
    assert len(compare.pins[0].name) == sf.MAX_NAME_CHARS
    manager = window.features["session"].manager
    path = tmp_path / "long.ironbone"
    assert manager.save_to(path), manager.last_message
    compare.clear()
    assert manager.open_path(path), manager.last_message
    assert compare.pins[0].name == "y" * sf.MAX_NAME_CHARS
    assert len(window.scene.legend.changes_caption) < 200  # the diagram's key shows it shortened
