"""Start-up after the first paint, in steps with room for input between them.

Nothing heavy is on the first paint's path. Once the window is on screen: the features install,
the start page opens, then the model is built: numpy and the model on a worker thread (no Qt there)
while the Qt classes pyqtgraph needs are made a few at a time, then pyqtgraph's import, then the
controls and plots, each in its own turn of the event loop. Last, networkx and the pathway's graph
are built on another worker thread while the user reads (start_graph)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer

from app.knowledge.content import Content

DEFERRED_MS = 30  # after the first paint: the first frame reaches the screen (and --smoke-test exits) first
STEP_GAP_MS = 5  # between the steps: room for input and repaints
SLICE_S = 0.008  # Qt classes are made in slices this long while the worker builds the model


def _build_model(content: Content):  # noqa: ANN202 - runs on a worker thread: no Qt
    from app.ui.model.loader import build_model

    return build_model(content)


def _build_graph(pathway, done: threading.Event) -> None:  # noqa: ANN001 - runs on a worker thread: no Qt
    try:
        pathway.graph  # noqa: B018 - a cached property: imports networkx and builds the graph once
    finally:
        done.set()


class Startup(QObject):
    """Runs `steps` after the window's first paint, then builds the model and hands it to
    `model_built(setup)` (or the error to `model_failed(exc)`).

    `schedule(ms, fn)` runs `fn` after `ms` milliseconds; tests replace it to run the steps
    themselves, without waiting."""

    def __init__(self, window: QObject, content: Content, *, steps: list[Callable[[], None]],
                 model_built: Callable[[object], None], model_failed: Callable[[Exception], None]) -> None:
        super().__init__(window)
        self._window, self._content, self._steps = window, content, steps
        self._model_built, self._model_failed = model_built, model_failed
        self.schedule: Callable[[int, Callable[[], None]], None] = lambda ms, fn: QTimer.singleShot(ms, self, fn)
        self.first_paint_done = False
        self.cancelled = False  # --smoke-test quits after the first paint: a step already due does nothing
        self.graph_ready = threading.Event()  # the pathway's networkx graph exists
        self._qt_names: list[tuple[object, str]] = []
        window.installEventFilter(self)

    def cancel(self) -> None:
        self.cancelled = True

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self._window and event.type() == QEvent.Type.Paint and not self.first_paint_done:
            self.first_paint_done = True
            self._window.removeEventFilter(self)
            steps = [*self._steps, self._setup_model]
            self.schedule(DEFERRED_MS, lambda: self._next(steps))
        return False

    def _next(self, steps: list[Callable[[], None]]) -> None:
        if self.cancelled or not steps:
            return
        steps.pop(0)()
        if steps:
            self.schedule(STEP_GAP_MS, lambda: self._next(steps))

    # --- the model -------------------------------------------------------------------------
    def _setup_model(self) -> None:
        from concurrent.futures import ThreadPoolExecutor

        from PySide6 import QtCore, QtGui, QtWidgets

        import app.ui.model.controls  # noqa: F401 - the model set-up names its classes: Qt types are made here only

        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ironbone-model")
        job = pool.submit(_build_model, self._content)
        pool.shutdown(wait=False)
        self._qt_names = [(mod, name) for mod in (QtCore, QtGui, QtWidgets) for name in dir(mod)]
        self._await_model(job)

    def _await_model(self, job) -> None:  # noqa: ANN001 - a concurrent.futures.Future
        # Meanwhile, PySide6's classes are made a few at a time: pyqtgraph's import makes every one
        # of them at once (about 120 ms of its 240), which would freeze the window.
        deadline = time.perf_counter() + SLICE_S
        while self._qt_names and time.perf_counter() < deadline:
            mod, name = self._qt_names.pop()
            getattr(mod, name, None)
        if self._qt_names or not job.done():
            self.schedule(0 if self._qt_names else 10, lambda: self._await_model(job))
            return
        try:
            setup = job.result()
        except (ValueError, KeyError) as exc:
            self._model_failed(exc)
            return
        self.schedule(STEP_GAP_MS, lambda: self._import_plotting(setup))

    def _import_plotting(self, setup) -> None:  # noqa: ANN001
        import pyqtgraph  # noqa: F401 - on its own turn of the event loop (about 120 ms)

        self.schedule(STEP_GAP_MS, lambda: self._finish(setup))

    def _finish(self, setup) -> None:  # noqa: ANN001 - app.ui.model.loader.ModelSetup
        self._model_built(setup)

    def later(self, fn: Callable[[], None]) -> None:
        """Run `fn` in a turn of the event loop of its own, as the steps are: room for input before it."""
        self.schedule(STEP_GAP_MS, fn)

    def start_graph(self) -> None:
        """Import networkx and build the pathway's graph on a worker thread (the "why" paths, the path
        explorer and quiz generation need it): 150-250 ms that would freeze the window on the GUI
        thread, just when someone reaches for a slider. Called once the plots are built."""
        threading.Thread(target=_build_graph, args=(self._content.pathway, self.graph_ready),
                         name="ironbone-graph").start()
