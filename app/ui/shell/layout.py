"""The window's furniture: the diagram over the plots on the left, the model's controls over the page
on the right, the toolbar and the node-list dock; and what presentation and inquiry modes may change
of it (app.ui.context.WindowLayout)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QLabel, QMainWindow, QScrollArea, QSplitter, QToolBar, QWidget

from app.ui.diagram.view import DiagramView
from app.ui.model.plots import plots_area
from app.ui.shell.page_panel import PagePanel

DEFAULT_SIZE = (1280, 800)  # the window's size and the split of its width, until the user changes them
MINIMUM_SIZE = (800, 560)  # a 1024×768 screen with a panel and a title bar leaves about 1016×700
DEFAULT_SPLIT = [860, 420]
# The page below the controls gets most of the column's height, room for a useful amount of text; the
# controls above it scroll.
CONTROLS_PAGE_SPLIT = [300, 430]
MIN_RESULTS = 230  # pixels for the plots and the "why" line: titles, axes and legends whole


class ShellLayout(QObject):
    """Builds the window's central widgets, toolbar and node dock, and rearranges them on request."""

    def __init__(self, window: QMainWindow, view: DiagramView, panel: PagePanel) -> None:
        super().__init__(window)
        self._window, self._view, self._panel = window, view, panel
        self.plots_box, self.plots, self.why = plots_area()
        self.left_split = QSplitter(Qt.Orientation.Vertical)
        self.left_split.addWidget(view)
        self.left_split.addWidget(self.plots_box)
        self.left_split.setStretchFactor(0, 3)
        self.left_split.setStretchFactor(1, 1)
        self.left_split.setSizes([520, 210])
        self._results_share: float | None = None  # see set_results_share
        self._user_split = False
        self.left_split.splitterMoved.connect(self._on_left_split_moved)
        self.left_split.installEventFilter(self)
        self.controls_scroll = QScrollArea()
        self.controls_scroll.setWidgetResizable(True)
        self.controls_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # The controls reflow to the width they get; a scroll bar, never clipping, if they cannot.
        self.controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.controls_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab stops at the inputs, not around them
        self.controls_scroll.setAccessibleName("Model inputs")
        self.controls_scroll.setWidget(QLabel("Loading the model…"))
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.addWidget(self.controls_scroll)
        self.right_split.addWidget(panel)
        self.right_split.setStretchFactor(0, 2)
        self.right_split.setStretchFactor(1, 3)
        self.right_split.setSizes(CONTROLS_PAGE_SPLIT)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left_split)
        self.splitter.addWidget(self.right_split)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes(DEFAULT_SPLIT)
        for sp in (self.splitter, self.left_split, self.right_split):
            sp.setChildrenCollapsible(False)
        window.setCentralWidget(self.splitter)

        self.node_dock = QDockWidget("Nodes", window)
        self.node_dock.setObjectName("node_dock")
        self.node_dock.setAccessibleName("Node list")
        window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.node_dock)
        self.node_dock.hide()  # View ▸ Node list (Ctrl+L); the diagram is keyboard-usable too

        self.toolbar = QToolBar("Main toolbar", window)
        self.toolbar.setObjectName("main_toolbar")
        self.toolbar.setMovable(False)
        window.addToolBar(self.toolbar)
        self._instead: QWidget | None = None
        self._zoom_handler: Callable[[float], None] | None = None

    # --- zoom ------------------------------------------------------------------------------
    def zoom(self, factor: float) -> None:
        """Zoom in (factor > 1) or out: the diagram, unless a mode has taken the zoom keys over."""
        if self._zoom_handler is not None:
            self._zoom_handler(factor)
        elif factor > 1:
            self._view.zoom_in()
        else:
            self._view.zoom_out()

    def set_zoom_handler(self, handler: Callable[[float], None] | None) -> None:
        self._zoom_handler = handler

    # --- what presentation and inquiry modes change -------------------------------------------
    def hide_bars(self) -> object:
        """Hide the toolbar, menu bar, status bar and every dock at the sides (the node list and the
        features' docks: quiz, path explorer, comparison); bottom docks (the tour bar) stay."""
        w = self._window
        side = (Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea)
        docks = [d for d in w.findChildren(QDockWidget) if d.isVisible() and w.dockWidgetArea(d) in side]
        saved = ((self.toolbar.isVisible(), w.menuBar().isVisible(), w.statusBar().isVisible(),
                  self.node_dock.isVisible()), docks)
        for bar in (self.toolbar, w.menuBar(), w.statusBar(), *docks):
            bar.hide()
        self.node_dock.hide()
        return saved

    def restore_bars(self, saved: object) -> None:
        w = self._window
        bars, docks = saved  # type: ignore[misc]
        for bar, visible in zip((self.toolbar, w.menuBar(), w.statusBar(), self.node_dock), bars, strict=True):
            bar.setVisible(bool(visible))
        for dock in docks:
            dock.show()

    def results_share(self) -> float | None:
        """The share of the diagram column's height the plots and the "why" line have, as set by a
        mode or the user (None: automatic, see _fit_results)."""
        if self._results_share is None and not self._user_split:
            return None
        sizes = self.left_split.sizes()
        return sizes[1] / max(1, sum(sizes))

    def set_results_share(self, share: float | None) -> None:
        """Give the plots `share` of the column's height (None: automatic again)."""
        self._results_share = None if share is None else min(0.8, max(0.1, share))
        if share is None:
            self._user_split = False
        self._fit_results()

    def _on_left_split_moved(self) -> None:
        self._user_split = True  # the user's own split is kept

    def eventFilter(self, watched, event) -> bool:  # noqa: N802, ANN001
        if watched is self.left_split and event.type() == QEvent.Type.Resize:
            self._fit_results()
        return False

    def _fit_results(self) -> None:
        """The diagram gets the height its width lets it use (at the zoom a fit shows: the whole
        diagram, or legible labels), the plots the rest: between MIN_RESULTS and half the column
        (a 1024×768 screen wastes no height under the diagram that the plots could use). A mode's
        share or the user's dragged split win."""
        # The splitter's own size: an event filter sees its resize before its children follow.
        split = self.left_split
        total = split.height() - split.handleWidth()
        if total <= 0 or self._user_split:
            return
        if self._results_share is not None:
            results = round(total * self._results_share)
        else:
            scene = self._view.sceneRect()
            frame = 2 * self._view.frameWidth()
            zoom = self._view.width_fit_zoom(max(1, split.width() - frame))
            results = round(min(total * 0.5, max(total - scene.height() * zoom - 6, MIN_RESULTS)))
        if abs(self.left_split.sizes()[1] - results) > 2:
            self.left_split.setSizes([total - results, results])

    def splitter_sizes(self) -> list[int]:
        return self.splitter.sizes()

    def set_splitter_sizes(self, sizes: list[int]) -> None:
        self.splitter.setSizes(list(sizes))

    def page_style(self) -> tuple[str, float]:
        return self._panel.scheme, self._panel.font_scale

    def set_page_style(self, scheme: str, font_scale: float) -> None:
        self._panel.set_appearance(scheme=scheme, font_scale=font_scale)

    def show_instead_of_results(self, widget: QWidget | None) -> None:
        if widget is not None and widget is not self._instead:
            if self._instead is not None:
                self._instead.hide()
            self._instead = widget
            self.left_split.addWidget(widget)
        self.plots_box.setVisible(widget is None)
        if self._instead is not None:
            self._instead.setVisible(widget is not None)
