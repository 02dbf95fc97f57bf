"""The window's furniture: the diagram over the plots on the left, the model's controls over the page
on the right, the toolbar and the node-list dock; and what presentation and inquiry modes may change
of it (app.ui.context.WindowLayout)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QFrame, QLabel, QMainWindow, QScrollArea, QSplitter, QToolBar, QWidget

from app.ui.diagram.view import DiagramView
from app.ui.model.plots import plots_area
from app.ui.shell.page_panel import PagePanel

DEFAULT_SIZE = (1280, 800)  # the window's size and the split of its width, until the user changes them
DEFAULT_SPLIT = [860, 420]


class ShellLayout:
    """Builds the window's central widgets, toolbar and node dock, and rearranges them on request."""

    def __init__(self, window: QMainWindow, view: DiagramView, panel: PagePanel) -> None:
        self._window, self._view, self._panel = window, view, panel
        self.plots_box, self.plots, self.why = plots_area()
        self.left_split = QSplitter(Qt.Orientation.Vertical)
        self.left_split.addWidget(view)
        self.left_split.addWidget(self.plots_box)
        self.left_split.setStretchFactor(0, 3)
        self.left_split.setStretchFactor(1, 1)
        self.left_split.setSizes([520, 210])
        self.controls_scroll = QScrollArea()
        self.controls_scroll.setWidgetResizable(True)
        self.controls_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.controls_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab stops at the inputs, not around them
        self.controls_scroll.setAccessibleName("Model inputs")
        self.controls_scroll.setWidget(QLabel("Loading the model…"))
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.addWidget(self.controls_scroll)
        self.right_split.addWidget(panel)
        self.right_split.setSizes([380, 350])
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
        w = self._window
        saved = (self.toolbar.isVisible(), w.menuBar().isVisible(), w.statusBar().isVisible(),
                 self.node_dock.isVisible())
        for bar in (self.toolbar, w.menuBar(), w.statusBar(), self.node_dock):
            bar.hide()
        return saved

    def restore_bars(self, saved: object) -> None:
        w = self._window
        for bar, visible in zip((self.toolbar, w.menuBar(), w.statusBar(), self.node_dock), saved, strict=True):
            bar.setVisible(bool(visible))

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
