"""Scale benchmark: synthetic pathways of 50 to 2000 nodes, load + draw time and pan/zoom frame time.

Run: .venv/bin/python -m pytest -m benchmark tests/benchmarks -s
"""

from __future__ import annotations

import statistics
import time

import pytest
from PySide6.QtCore import QEvent, QObject, QPointF

from app.knowledge.pathway_io import parse_pathway
from app.ui.diagram.scene import DiagramScene
from app.ui.diagram.view import DiagramView

SIZES = (50, 200, 1000, 2000)
FRAMES = 40
FRAME_MS = 1000 / 30  # the 2000-node diagram pans and zooms at >= 30 fps of work
GROWTH = 2.0  # time per node at 2000 at most this many times that at 200 (no worse than linear)


def _ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def _p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1]


class _PaintCounter(QObject):
    """Counts paint events, to prove every measured frame was drawn."""

    def __init__(self, widget) -> None:  # noqa: ANN001
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802, ANN001
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _frames(qtbot, view: DiagramView, zoom: float) -> list[float]:
    """Pan and zoom around `zoom` (1.0 = reading size), repainting the viewport after each step."""
    view.resetTransform()
    view.scale(zoom, zoom)
    view.centerOn(view.sceneRect().center())
    view.viewport().repaint()
    painted = _PaintCounter(view.viewport())
    out = []
    for i in range(FRAMES):
        start = time.perf_counter()
        if i % 4 == 0:
            view.zoom_by(1.1, QPointF(300, 200))
        elif i % 4 == 2:
            view.zoom_by(1 / 1.1, QPointF(300, 200))
        else:  # a drag pans by scrolling, as ScrollHandDrag does
            bar = view.horizontalScrollBar() if i % 8 < 4 else view.verticalScrollBar()
            bar.setValue(bar.value() + (40 if i % 16 < 8 else -40))
        view.viewport().repaint()  # synchronous: the paint is inside the measurement
        out.append(_ms(start))
    assert painted.count >= FRAMES, "the viewport was not really repainted"
    return out


@pytest.mark.benchmark
def test_diagram_scales_linearly_and_pans_at_30_fps(qtbot, synthetic, bench, render_scene) -> None:
    rows = []
    for n in SIZES:
        text = synthetic.pathway_yaml(n)
        start = time.perf_counter()
        pathway, problems = parse_pathway(text, "pathway.yaml")
        load = _ms(start)
        assert not problems and len(pathway.nodes) == n
        start = time.perf_counter()
        scene = DiagramScene(pathway)
        build = _ms(start)
        start = time.perf_counter()
        render_scene(scene, 1600, 1000)
        draw = _ms(start)

        view = DiagramView(scene)
        qtbot.addWidget(view)
        view.resize(1280, 800)
        with qtbot.waitExposed(view):  # a context manager in pytest-qt 4: waits for the first expose
            view.show()
        qtbot.waitUntil(view.windowHandle().isExposed)
        read = _frames(qtbot, view, 1.0)
        fit_zoom = min(1.0, 1280 / scene.sceneRect().width(), 800 / scene.sceneRect().height())
        overview = _frames(qtbot, view, max(fit_zoom, view.MIN_ZOOM))
        rows.append((n, len(pathway.edges), load, build, draw, read, overview))
        view.close()

    print("\nIronBone diagram scale (synthetic pathways; ms)")
    print(f"{'nodes':>6s} {'edges':>6s} {'parse':>8s} {'scene':>8s} {'draw':>8s} {'total':>8s} {'µs/node':>8s}"
          f" {'frame@1x med/p95':>17s} {'frame@overview med/p95':>23s}")
    per_node = {}
    for n, e, load, build, draw, read, overview in rows:
        total = load + build + draw
        per_node[n] = total / n
        print(f"{n:6d} {e:6d} {load:8.1f} {build:8.1f} {draw:8.1f} {total:8.1f} {per_node[n] * 1000:8.1f}"
              f" {statistics.median(read):8.2f}/{_p95(read):7.2f}"
              f" {statistics.median(overview):14.2f}/{_p95(overview):7.2f}")
    growth = per_node[2000] / per_node[200]
    print(f"time per node, 2000 vs 200 nodes: {growth:.2f}x (target <= {GROWTH}); frame target <= {FRAME_MS:.1f} ms")
    for n, _e, _load, _build, _draw, read, overview in rows:
        bench(f"pan/zoom frame at 1x, {n} nodes, p95", _p95(read), FRAME_MS if n == 2000 else None)
        bench(f"pan/zoom frame zoomed out, {n} nodes, p95", _p95(overview), FRAME_MS if n == 2000 else None)
    bench("load + draw per node, 2000 vs 200 nodes", growth, GROWTH, "x")
    # Zoomed out, every node is on screen: that frame's cost per node must not grow either.
    frames = {n: statistics.median(overview) / n for n, *_, overview in rows}
    frame_growth = frames[2000] / frames[200]
    bench("zoomed-out frame per node, 2000 vs 200 nodes", frame_growth, GROWTH, "x")
    assert growth <= GROWTH and frame_growth <= GROWTH
    n, *_, read, overview = rows[-1]
    assert _p95(read) <= FRAME_MS and _p95(overview) <= FRAME_MS
