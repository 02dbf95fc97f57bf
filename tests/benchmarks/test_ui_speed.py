"""Interaction benchmarks: slider change -> state -> diagram and plots redrawn; one animation
frame; node click -> page shown. Run: python -m pytest -m benchmark tests/benchmarks -s"""

from __future__ import annotations

import gc
import statistics
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication

from app.knowledge.content import load_content
from app.ui.app import settle_startup_objects

CONTENT = Path(__file__).resolve().parents[2] / "content"


def _p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


@pytest.fixture
def window(qtbot):
    from app.ui.app import create_window

    w = create_window(load_content(CONTENT))
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.model_controller is not None)
    # Start-up's tail (networkx imported on a worker thread) is over, as it is for a user within a
    # second or so; a slider moved during it shares the interpreter with that import.
    assert w.graph_ready.wait(10)
    # As `python -m app` does once the model is ready (app.ui.app.settle_startup_objects): what
    # start-up built is frozen, so collections during the measurements skip it (and pytest's own
    # objects, which the app does not have).
    settle_startup_objects()
    yield w
    gc.unfreeze()


class _PaintCounter(QObject):
    """Counts paint events, to prove each measured change was really drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.count: dict[int, int] = {}

    def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001
        if event.type() == QEvent.Type.Paint:
            self.count[obj.objectName()] = self.count.get(obj.objectName(), 0) + 1
        return False


@pytest.mark.benchmark
def test_slider_change_redraw_p95_at_most_8_ms(window, bench) -> None:
    slider = window.controls.estrogen_slider
    counter = _PaintCounter()
    watched = [window.view.viewport(), window.plots.mass_plot.viewport()]
    for n, w in enumerate(watched):
        w.setObjectName(f"watched{n}")
        w.installEventFilter(counter)
    for value in (90, 80, 70, 60, 50, 60, 70, 80, 90, 100):  # warm-up, not measured: first-use costs
        slider.setValue(value)  # (pixmap caches, glyphs) and the start page's tail end
        QApplication.processEvents()
    scene = window.scene

    def diagram_look() -> tuple:  # what the model changes on screen: node tints and badges, edge widths
        return (tuple((item.tint and item.tint.rgb(), item.change >= 0.02, item.change <= -0.02)
                      for item in scene.node_items.values()),
                tuple(edge.flow for edge in scene.edge_items))

    times, diagram_changes = [], 0
    for i in range(120):
        value = 99 - (i % 89)  # always a real change
        before = {w.objectName(): counter.count.get(w.objectName(), 0) for w in watched}
        look = diagram_look()
        start = time.perf_counter()
        slider.setValue(value)  # emits -> controller -> model -> state -> views (update())
        QApplication.processEvents()  # the event loop paints what changed, as it does live
        times.append((time.perf_counter() - start) * 1000)
        painted = {w.objectName(): counter.count.get(w.objectName(), 0) > before[w.objectName()] for w in watched}
        assert painted["watched1"], "the bone-mass plot was not redrawn"  # its projection moves every time
        if diagram_look() != look:  # a shade or width that shows changed: the diagram must be redrawn
            diagram_changes += 1
            assert painted["watched0"], "the diagram changed but was not redrawn"
    assert diagram_changes > 60, diagram_changes  # most steps do change the diagram visibly
    p95 = _p95(times)
    print(f"\nslider change -> redrawn diagram and plots: median {statistics.median(times):.2f} ms, "
          f"p95 {p95:.2f} ms (target <= 8); the diagram changed visibly in {diagram_changes}/120")
    bench("slider change -> redrawn diagram and plots, p95", p95, 8)
    assert p95 <= 8


@pytest.mark.benchmark
def test_animation_frame_work_p95_at_most_4_ms(window, bench) -> None:
    mc = window.model_controller
    mc.choose_scenario("postmenopause_iron")
    times = []
    for _ in range(300):
        start = time.perf_counter()
        mc.advance(365.25 / 60)  # one frame at 1 year per second
        times.append((time.perf_counter() - start) * 1000)
    p95 = _p95(times)
    print(f"\nanimation frame work (model + views, no paint): median {statistics.median(times):.3f} ms, "
          f"p95 {p95:.3f} ms (target <= 4)")
    bench("animation frame work (model + views), p95", p95, 4)
    assert p95 <= 4


@pytest.mark.benchmark
def test_node_click_to_page_at_most_30_ms(qtbot, window, bench) -> None:
    times = []
    ids = list(window.content.pathway.node_ids)
    for i in range(60):
        nid = ids[i % len(ids)]
        pos = window.view.mapFromScene(window.scene.node_items[nid].pos())
        start = time.perf_counter()
        qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
        window.panel.viewport().repaint()
        times.append((time.perf_counter() - start) * 1000)
        assert window.panel.location == ("node", nid)
    p95 = _p95(times)
    print(f"\nnode click -> page shown: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms "
          f"(target <= 30)")
    bench("node click -> page shown, p95", p95, 30)
    assert p95 <= 30
