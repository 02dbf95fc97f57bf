"""The main window: diagram on the left, explanatory panel on the right, toolbar with search
and zoom, a node list dock, and the menus and shortcuts that tie them together."""

from __future__ import annotations

import html
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolBar,
    QVBoxLayout,
)

from app import __version__
from app.knowledge.content import Content
from app.ui.diagram.overlays import Layer
from app.ui.diagram.scene import DiagramScene
from app.ui.diagram.view import DiagramView
from app.ui.model.plots import plots_area
from app.ui.navigation import Controller
from app.ui.shell.page_panel import PagePanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QCompleter

    from app.knowledge.search import PageIndex
    from app.ui.model.controller import ModelController
    from app.ui.model.controls import ControlPanel
    from app.ui.shell.node_list import NodeList

START_PAGE = ("topic", "overview")
DEFERRED_MS = 30
STEP_GAP_MS = 5  # between start-up steps after the first paint: room for input and repaints
_QUERY_ROLE = Qt.ItemDataRole.UserRole + 1


def _build_model(content: Content):  # noqa: ANN202 - runs on a worker thread: no Qt
    from app.ui.model.loader import build_model

    return build_model(content)


def _build_graph(pathway, done: threading.Event) -> None:  # noqa: ANN001 - runs on a worker thread: no Qt
    try:
        pathway.graph  # noqa: B018 - a cached property: imports networkx and builds the graph once
    finally:
        done.set()


class MainWindow(QMainWindow):
    model_ready = Signal()  # the model, its controls and the plots exist (just after the first paint)

    def __init__(self, content: Content) -> None:
        super().__init__()
        self.content = content
        self.setWindowTitle("IronBone — iron, estrogen and bone loss")
        self.resize(1280, 800)
        self.setMinimumSize(QSize(1024, 700))

        self.controller = Controller(content, self)
        self._page_index: PageIndex | None = None
        self.scene = DiagramScene(content.pathway, self)
        self.view = DiagramView(self.scene)
        self.panel = PagePanel(content)
        self._node_list: NodeList | None = None  # built when first shown (see node_list)

        # Left: the diagram over the plots; right: the model controls over the page.
        self.plots_box, self.plots, self.why = plots_area()
        self.left_split = QSplitter(Qt.Orientation.Vertical)
        self.left_split.addWidget(self.view)
        self.left_split.addWidget(self.plots_box)
        self.inquiry = False
        self.inquiry_banner = QLabel("<b>Results hidden.</b> What will happen to formation, resorption and "
                                     "bone mass? Predict first, then press <b>Ctrl+I</b> to reveal.")
        self.inquiry_banner.setWordWrap(True)
        self.inquiry_banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.inquiry_banner.setAccessibleName("Inquiry mode: results hidden")
        self.inquiry_banner.setMinimumHeight(90)
        self.inquiry_banner.hide()
        self.left_split.addWidget(self.inquiry_banner)
        self.left_split.setStretchFactor(0, 3)
        self.left_split.setStretchFactor(1, 1)
        self.left_split.setSizes([520, 210])
        self.controls_scroll = QScrollArea()
        self.controls_scroll.setWidgetResizable(True)
        self.controls_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.controls_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.controls_scroll.setWidget(QLabel("Loading the model…"))
        self.right_split = QSplitter(Qt.Orientation.Vertical)
        self.right_split.addWidget(self.controls_scroll)
        self.right_split.addWidget(self.panel)
        self.right_split.setSizes([380, 350])
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left_split)
        self.splitter.addWidget(self.right_split)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([860, 420])
        for sp in (self.splitter, self.left_split, self.right_split):
            sp.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.model_controller: ModelController | None = None
        self.controls: ControlPanel | None = None
        self.last_trace = None  # the "why" trace the diagram shows (WhyTrace or None)
        self.last_message = ""

        self.node_dock = QDockWidget("Nodes", self)
        self.node_dock.setObjectName("node_dock")
        self.node_dock.setAccessibleName("Node list")
        self.node_dock.visibilityChanged.connect(lambda shown: shown and self.node_list)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.node_dock)
        self.side_docks: list[QDockWidget] = []  # see add_side_dock()
        self.node_dock.hide()  # View ▸ Node list (Ctrl+L); the diagram is keyboard-usable too

        self._build_actions()
        self._build_toolbar()
        self.menus: dict[str, QMenu] = {}
        self._build_menus()
        self._build_status()
        self._connect()
        # The first page, the model (numpy) and the plots (pyqtgraph) come right after the first
        # paint: none of them is on that path.
        self._first_paint_done = False
        self.features_installed = False
        # False stops the deferred start (--smoke-test: it quits after the first paint, and a timer
        # already due must not start building the model on its way out).
        self.deferred_start = True
        self.graph_ready = threading.Event()  # the pathway's networkx graph exists (see _setup_model)
        self.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: ANN001, N802
        if obj is self and event.type() == QEvent.Type.Paint and not self._first_paint_done:
            self._first_paint_done = True
            self.removeEventFilter(self)
            # A short delay lets the first frame reach the screen (and --smoke-test exit) first.
            # The feature menus (quiz, teach, paths, compare, sessions) come first, then the page
            # and the model, each in its own turn of the event loop (input is handled between them).
            steps = [self._install_features, self._open_start_page, self._setup_model]
            QTimer.singleShot(DEFERRED_MS, self, lambda: self._deferred(steps))
        return False

    def _deferred(self, steps: list) -> None:
        if not self.deferred_start or not steps:
            return
        steps.pop(0)()
        if steps:
            QTimer.singleShot(STEP_GAP_MS, self, lambda: self._deferred(steps))

    def _open_start_page(self) -> None:
        if self.controller.location is not None:
            return
        if self.content.page("topic", START_PAGE[1]) is not None:
            self.controller.open_page(*START_PAGE)
        elif self.content.pathway.nodes:
            self.controller.select_node(self.content.pathway.nodes[0].id)

    # --- construction ---------------------------------------------------------------------
    def _action(self, text: str, slot, shortcuts=(), tip: str = "") -> QAction:
        act = QAction(text, self)
        if shortcuts:
            act.setShortcuts([QKeySequence(s) for s in shortcuts])
        label = tip or text.replace("&", "")
        if shortcuts:
            label += f" ({QKeySequence(shortcuts[0]).toString(QKeySequence.SequenceFormat.NativeText)})"
        act.setToolTip(label)
        act.setStatusTip(tip or text.replace("&", ""))
        act.triggered.connect(slot)
        self.addAction(act)
        return act

    def _build_actions(self) -> None:
        self.act_back = self._action("&Back", self.controller.back, ["Alt+Left"], "Previous page")
        self.act_forward = self._action("&Forward", self.controller.forward, ["Alt+Right"], "Next page")
        self.act_back.setEnabled(False)
        self.act_forward.setEnabled(False)
        self.act_zoom_in = self._action("Zoom &in", lambda: self._zoom_action(1.1), ["Ctrl+=", "Ctrl++"],
                                        "Zoom in (in presentation mode: make everything larger)")
        self.act_zoom_out = self._action("Zoom &out", lambda: self._zoom_action(1 / 1.1), ["Ctrl+-"],
                                         "Zoom out (in presentation mode: make everything smaller)")
        self.act_fit = self._action("&Fit diagram", self.view.fit_all, ["F", "Ctrl+0"],
                                    "Fit the whole diagram")
        self.act_find = self._action("&Find…", self._focus_search, [QKeySequence.StandardKey.Find],
                                     "Search nodes by name, abbreviation or alias")
        self.act_overview = self._action("&Overview", lambda: self.controller.open_page(*START_PAGE),
                                         ["Alt+Home"], "Open the overview page")
        self.act_about_model = self._action("About the &model", lambda: self.controller.open_page(
            "topic", "about-model"), [], "Equations, parameters, calibration and the claims checked live")
        self.act_glossary = self._action("&Glossary", lambda: self.controller.open_page("glossary", ""),
                                         [], "Every abbreviation with its expansion")
        self.act_references = self._action("&References", lambda: self.controller.open_page("ref", ""),
                                           [], "List every work the review cites")
        self.act_node_list = self.node_dock.toggleViewAction()
        self.act_node_list.setText("&Node list")
        self.act_node_list.setShortcut(QKeySequence("Ctrl+L"))
        self.act_problems = self._action("Content &problems…", self.show_problems, [],
                                         "List problems found in content/")
        self.act_export_png = self._action("Export diagram as &PNG…", self.export_png, ["Ctrl+E"],
                                           "Save the diagram as it looks now, with its legend, as a PNG")
        self.act_export_svg = self._action("Export diagram as &SVG…", lambda: self._export_vector("svg"), [],
                                           "Save the diagram as scalable vector graphics")
        self.act_export_pdf = self._action("Export diagram as P&DF…", lambda: self._export_vector("pdf"), [],
                                           "Save the diagram as a PDF page")
        self.act_copy_diagram = self._action("&Copy diagram", self.copy_diagram, ["Ctrl+Shift+C"],
                                             "Copy the diagram to the clipboard as an image")
        self.act_export_plots = self._action("Export p&lots…", self.export_plots, [],
                                             "Save both plots as PNG or SVG")
        self.act_export_csv = self._action("Export run &data as CSV…", self.export_csv, [],
                                           "Save time, formation, resorption and bone mass as CSV")
        self.act_quit = self._action("&Quit", self.close, [QKeySequence.StandardKey.Quit])
        self.act_about = self._action("&About IronBone", self.show_about, [])
        self.act_help = self._action("&User guide", lambda: self.controller.open_page("topic", "help"),
                                     [QKeySequence.StandardKey.HelpContents], "Open the user guide")
        self.act_cite = self._action("&Cite this…", self.show_cite, [],
                                     "BibTeX and plain-text citations for the review and for IronBone")
        self.act_shortcuts = self._action("&Keyboard shortcuts", self.show_shortcuts, ["?", "Ctrl+/"],
                                          "List every keyboard shortcut")
        self.act_play = self._action("&Play / pause", self._on_play_action, ["Space"],
                                     "Run or pause the years")
        self.act_step = self._action("&Step one month", self._on_step_action, ["Right"],
                                     "Advance the model by one month")
        self.act_reset_all = self._action("&Reset all", self._on_reset_action, ["Ctrl+R"],
                                          "Back to the premenopausal reference at year 0")
        self.act_undo = self._action("&Undo change", self._on_undo_action, [QKeySequence.StandardKey.Undo],
                                     "Back to the sliders, treatments and knock-outs before the last change")
        self.act_redo = self._action("Re&do change", self._on_redo_action,
                                     [QKeySequence.StandardKey.Redo, "Ctrl+Y"], "Apply the undone change again")
        for act in (self.act_play, self.act_step, self.act_reset_all, self.act_undo, self.act_redo):
            act.setEnabled(False)  # until the model has loaded, just after the first paint
        self.act_text_larger = self._action("&Larger text", lambda: self._scale_text(1.1), ["Ctrl+Shift+="],
                                            "Make the pages' text larger")
        self.act_text_smaller = self._action("S&maller text", lambda: self._scale_text(1 / 1.1), ["Ctrl+Shift+-"],
                                             "Make the pages' text smaller")
        self.act_text_normal = self._action("&Normal text size", lambda: self._scale_text(None), [],
                                            "Back to the normal text size")
        self.scheme_actions = {}
        for key, text in (("system", "Follow the &system"), ("light", "&Light"), ("dark", "&Dark")):
            act = self._action(text, lambda _=False, k=key: self.set_scheme(k), [], f"{text.replace('&', '')} colours")
            act.setCheckable(True)
            act.setChecked(key == "system")
            self.scheme_actions[key] = act
        self.act_reset_settings = self._action("Reset &settings", self.reset_settings, [],
                                               "Forget the window layout and preferences")

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main toolbar", self)
        tb.setObjectName("main_toolbar")
        tb.setMovable(False)
        for act in (self.act_back, self.act_forward):
            tb.addAction(act)
        tb.addSeparator()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search nodes (Ctrl+F)…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search nodes")
        self.search.setMaximumWidth(320)
        self.search.setToolTip("Type an id, name, abbreviation or alias, or any word of the pages; "
                               "Enter opens the first match")
        self._completer: QCompleter | None = None  # the results list, built on the first search
        tb.addWidget(self.search)
        self.search_count = QLabel("")
        self.search_count.setMinimumWidth(90)
        tb.addWidget(self.search_count)
        tb.addSeparator()
        for act in (self.act_zoom_out, self.act_zoom_in, self.act_fit):
            tb.addAction(act)
        self.zoom_label = QLabel("100 %")
        self.zoom_label.setAccessibleName("Zoom level")
        self.zoom_label.setMinimumWidth(54)
        tb.addWidget(self.zoom_label)
        tb.addSeparator()
        tb.addAction(self.act_overview)
        tb.addAction(self.act_node_list)
        self.addToolBar(tb)
        self.toolbar = tb

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = self.menus["file"] = bar.addMenu("&File")
        for act in (self.act_export_png, self.act_export_svg, self.act_export_pdf, self.act_copy_diagram):
            m.addAction(act)
        m.addSeparator()
        m.addAction(self.act_export_plots)
        m.addAction(self.act_export_csv)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = self.menus["view"] = bar.addMenu("&View")
        for act in (self.act_zoom_in, self.act_zoom_out, self.act_fit):
            m.addAction(act)
        m.addSeparator()
        m.addAction(self.act_node_list)
        m.addSeparator()
        for act in (self.act_text_larger, self.act_text_smaller, self.act_text_normal):
            m.addAction(act)
        schemes = m.addMenu("&Colour scheme of pages")
        for act in self.scheme_actions.values():
            schemes.addAction(act)
        m.addSeparator()
        m.addAction(self.act_problems)
        m = self.menus["model"] = bar.addMenu("&Model")
        for act in (self.act_play, self.act_step, self.act_reset_all):
            m.addAction(act)
        m.addSeparator()
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        m.addSeparator()
        m.addAction(self.act_about_model)
        m = self.menus["go"] = bar.addMenu("&Go")
        for act in (self.act_back, self.act_forward, self.act_overview, self.act_glossary, self.act_references,
                    self.act_find):
            m.addAction(act)
        m = self.menus["help"] = bar.addMenu("&Help")
        m.addAction(self.act_help)
        m.addAction(self.act_shortcuts)
        m.addAction(self.act_cite)
        m.addSeparator()
        m.addAction(self.act_reset_settings)
        m.addAction(self.act_about)

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.problems_button = QPushButton()
        self.problems_button.setFlat(True)
        self.problems_button.clicked.connect(self.show_problems)
        n = len(self.content.problems)
        if n:
            self.problems_button.setText(f"⚠ {n} content problem{'s' if n != 1 else ''}")
            self.problems_button.setToolTip("Show every problem with its file and line")
            sb.addPermanentWidget(self.problems_button)
            sb.showMessage(f"Content has {n} problem(s); the rest works. See View ▸ Content problems.")
        else:
            self.problems_button.hide()
            sb.showMessage("Click a node to read about it; hover to see its neighbours.", 8000)

    def _connect(self) -> None:
        c = self.controller
        self.scene.node_clicked.connect(c.select_node)
        self.view.node_activated.connect(c.select_node)
        self.panel.internal_link_activated.connect(self._on_panel_link)
        self.panel.message_posted.connect(self._post)
        c.message_posted.connect(self._post)
        c.node_selected.connect(self._on_controller_node_selected)
        c.page_changed.connect(self.panel.show_location)
        c.history_changed.connect(self._on_controller_history_changed)
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.view.zoom_changed.connect(lambda z: self.zoom_label.setText(f"{z * 100:.0f} %"))

    def _install_features(self) -> None:
        """Each feature (quizzes, lecture tools, path explorer, comparison, sessions) lives in its
        own module and adds its actions, menus and docks here, just after the first paint; heavy
        widgets are built lazily."""
        if self.features_installed:
            return
        self.features_installed = True
        from app.ui.explore import compare, paths
        from app.ui.lecture import tours
        from app.ui.quiz import feature as quiz
        from app.ui.session import files

        for module in (quiz, tours, paths, compare, files):
            module.install(self)

    def add_side_dock(self, title: str, name: str, widget=None, *, accessible: str = "") -> QDockWidget:  # noqa: ANN001
        """A feature's dock on the right (quiz, paths, compare). Feature docks share one tabbed
        column, so opening a second one does not squeeze the diagram again."""
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setAccessibleName(accessible or title)
        dock.setAllowedAreas(Qt.DockWidgetArea.RightDockWidgetArea | Qt.DockWidgetArea.LeftDockWidgetArea)
        if widget is not None:
            dock.setWidget(widget)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        others = [d for d in self.side_docks if d.isVisible()
                  and self.dockWidgetArea(d) == Qt.DockWidgetArea.RightDockWidgetArea]
        if others:
            self.tabifyDockWidget(others[0], dock)
        self.side_docks.append(dock)
        return dock

    # --- slots ----------------------------------------------------------------------------
    def _post(self, text: str) -> None:
        self.last_message = text  # kept: a hover's status tip may replace the status bar's text
        self.statusBar().showMessage(text, 10000)

    def _on_panel_link(self, kind: str, ident: str) -> None:
        if kind == "node":
            self.controller.select_node(ident)
            self.view.centre_on_node(ident)
        elif kind == "topic" and self.content.page("topic", ident) is None:
            self._post(f"Unknown topic {ident!r}: no such page")
        elif kind == "glossary":
            term = next((g for g in self.content.glossary if g.term == ident), None)
            if term is not None and term.node and self.content.pathway.has_node(term.node):
                self.controller.select_node(term.node)
                self.view.centre_on_node(term.node)
            else:
                self.controller.open_page("glossary", ident)
        else:
            self.controller.open_page(kind, ident)

    def _on_controller_node_selected(self, node_id: str | None) -> None:
        self.scene.set_selected(node_id)
        if self._node_list is not None:
            self._node_list.set_selected(node_id)
        if node_id:
            self.view.set_keyboard_cursor(node_id)

    # --- the model --------------------------------------------------------------------------
    def _setup_model(self) -> None:
        """Build the model, its controls and plots after the first paint, in steps that leave the
        window responsive between them: numpy and the model on a worker thread (no Qt there; about
        100 ms) while the Qt classes pyqtgraph needs are made in slices of 8 ms, then pyqtgraph's
        import and the controls and plots, each in its own turn of the event loop. It used to be one
        block of 500-740 ms."""
        from concurrent.futures import ThreadPoolExecutor

        from PySide6 import QtCore, QtGui, QtWidgets

        import app.ui.model.controls  # noqa: F401 - the model set-up names its classes: Qt types are made here only

        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ironbone-model")
        job = pool.submit(_build_model, self.content)
        pool.shutdown(wait=False)
        self._qt_names = [(mod, name) for mod in (QtCore, QtGui, QtWidgets) for name in dir(mod)]
        self._await_model(job)

    def _await_model(self, job) -> None:  # noqa: ANN001 - a concurrent.futures.Future
        # Meanwhile, PySide6's classes are made a few at a time: pyqtgraph's import makes every one
        # of them at once (about 120 ms of its 240), which would freeze the window.
        deadline = time.perf_counter() + 0.008
        while self._qt_names and time.perf_counter() < deadline:
            mod, name = self._qt_names.pop()
            getattr(mod, name, None)
        if self._qt_names or not job.done():
            QTimer.singleShot(0 if self._qt_names else 10, self, lambda: self._await_model(job))
            return
        try:
            setup = job.result()
        except (ValueError, KeyError) as exc:
            label = QLabel(f"The model could not be built from the content: {exc}")
            label.setWordWrap(True)
            self.controls_scroll.setWidget(label)
            self._post(f"Model not available: {exc}")
            return
        QTimer.singleShot(STEP_GAP_MS, self, lambda: self._import_plotting(setup))

    def _import_plotting(self, setup) -> None:  # noqa: ANN001
        import pyqtgraph  # noqa: F401 - on its own turn of the event loop (about 120 ms)

        QTimer.singleShot(STEP_GAP_MS, self, lambda: self._finish_model(setup))

    def _finish_model(self, setup) -> None:  # noqa: ANN001 - app.ui.model.loader.ModelSetup
        from app.ui.model.controller import ModelController
        from app.ui.model.controls import ControlPanel

        mc = ModelController(setup.model, setup.scenarios, self)
        controls = ControlPanel(scenarios=setup.scenario_infos, treatments=setup.treatment_infos)
        self.model_controller, self.controls = mc, controls
        self.treatment_pages = setup.treatment_pages
        self.controls_scroll.setWidget(controls)
        self.toolbar.addSeparator()
        self.toolbar.addWidget(controls.time_bar)
        controls.estrogen_changed.connect(mc.set_estrogen)
        controls.ferritin_changed.connect(mc.set_ferritin)
        controls.scenario_chosen.connect(mc.choose_scenario)
        controls.treatment_toggled.connect(mc.set_treatment)
        controls.treatment_page_requested.connect(self._on_controls_treatment_page_requested)
        controls.play_toggled.connect(mc.set_playing)
        controls.step_requested.connect(mc.step)
        controls.reset_requested.connect(mc.reset_all)
        controls.speed_changed.connect(mc.set_speed)
        mc.set_speed(controls.speed())
        mc.inputs_changed.connect(self._on_model_inputs_changed)
        mc.state_changed.connect(self._on_model_state_changed)
        mc.history_changed.connect(lambda h: self.plots.show_data(*h))
        mc.playing_changed.connect(controls.set_playing)
        mc.why_changed.connect(self._on_model_why_changed)
        mc.message_posted.connect(self._post)
        mc.undo_changed.connect(lambda can_undo, can_redo: (self.act_undo.setEnabled(can_undo),
                                                            self.act_redo.setEnabled(can_redo)))
        self.scene.node_context_requested.connect(self._on_scene_node_context_requested)
        for act in (self.act_play, self.act_step, self.act_reset_all):
            act.setEnabled(True)
        self._claims = setup.claims
        self.panel.appendices[("topic", "about-model")] = self._claims_html
        if self.panel.location == ("topic", "about-model"):
            self.panel.show_location("topic", "about-model")
        self.plots.build()
        # networkx (the "why" paths, the paths feature, quiz generation) takes 150-250 ms to import.
        # A worker thread imports it and builds the graph while the user is still reading: on the
        # GUI thread that was a freeze that caught anyone who reached for a slider at once.
        threading.Thread(target=_build_graph, args=(self.content.pathway, self.graph_ready),
                         name="ironbone-graph").start()
        last = getattr(self, "_restore_scenario", "")
        if last and last in mc.scenarios:
            mc.choose_scenario(last)  # the scenario the user last worked with
        self._on_model_inputs_changed(mc.inputs)
        self._on_model_state_changed(mc.state)
        self.plots.show_data(*mc.history())
        self.model_ready.emit()

    def _claims_html(self) -> str:
        """Every claim of content/claims.yaml checked now against the model as it stands."""
        from app.model.claims import evaluate_all

        if self.model_controller is None:
            return "<p>The model is not loaded.</p>"
        results = evaluate_all(self.model_controller.model, self._claims)
        passed = sum(r.passed for r in results)
        rows = "".join(
            f"<tr><td>{r.claim.number}</td><td>{'✔' if r.passed else '✘'}</td>"
            f"<td>{html.escape(r.claim.text)}</td><td>§{html.escape(r.claim.section)}</td>"
            f"<td>{html.escape(r.detail)}</td></tr>" for r in results)
        return (f"<p><b>{passed} of {len(results)} claims hold</b> in the model as it is loaded now "
                "(edit content/pathway.yaml and they are checked again).</p>"
                "<table><tr><th>#</th><th>OK</th><th>Claim</th><th>Review</th><th>Computed</th></tr>"
                f"{rows}</table>")

    def _on_play_action(self) -> None:
        if self.model_controller:
            self.model_controller.toggle_playing()

    def _on_undo_action(self) -> None:
        if self.model_controller:
            self.model_controller.undo()

    def _on_redo_action(self) -> None:
        if self.model_controller:
            self.model_controller.redo()

    def _on_step_action(self) -> None:
        if self.model_controller:
            self.model_controller.step()

    def _on_reset_action(self) -> None:
        if self.model_controller:
            self.model_controller.reset_all()
            self._post("Reset: premenopausal reference, year 0, no treatments or clamps")

    def _on_controls_treatment_page_requested(self, treatment_id: str) -> None:
        target = self.treatment_pages.get(treatment_id, "topic:s5-treatments")
        self.panel.follow_link(target)

    def _on_model_inputs_changed(self, inputs) -> None:  # noqa: ANN001
        mc = self.model_controller
        if self.controls is None or mc is None:
            return
        self.controls.set_inputs(estrogen=inputs.estrogen, ferritin=inputs.ferritin,
                                 scenario=mc.scenario, treatments=inputs.treatments)
        self.scene.set_clamps({nid: mode for nid in self.content.pathway.node_ids
                               if (mode := mc.clamp_mode(nid)) is not None})
        self.scene.set_cut_links(inputs.edge_knockouts)

    def _on_model_state_changed(self, state) -> None:  # noqa: ANN001
        """Colour nodes by their change against the reference; edge width by the signal carried."""
        delta = state.delta_vs_reference
        acts = state.activities
        if self.controls is not None:
            self.controls.set_clock(state.t_years)
        self.scene.set_changes(Layer.MODEL, delta)
        self.scene.set_flows(Layer.MODEL, {e.key: acts.get(e.source, 0.0) * e.weight
                                           for e in self.content.pathway.edges})
        self.plots.gauge.set_value(state.balance)

    def _on_model_why_changed(self, trace) -> None:  # noqa: ANN001
        """Light the strongest paths from what changed to bone mass and spell the first out."""
        self.last_trace = trace
        if trace is None:
            self.scene.set_lit(Layer.WHY, None)
        else:
            self.scene.set_lit(Layer.WHY, {nid for p in trace.paths for nid in p.nodes}, trace.edges)
        if trace is None:
            self.why.setText("")
        else:
            self.why.setText(f"<b>Why:</b> {html.escape(trace.cause)}: {html.escape(trace.sentence)}")

    def _on_scene_node_context_requested(self, node_id: str, screen_pos) -> None:  # noqa: ANN001
        mc = self.model_controller
        if mc is None:
            return
        label = self.content.pathway.node(node_id).label
        menu = QMenu(self)
        menu.setAccessibleName(f"Actions for {label}")
        current = mc.clamp_mode(node_id)
        for mode, text in (("knockout", f"Knock out {label} (activity 0)"),
                           ("high", f"Clamp {label} high (activity 1)"),
                           ("low", f"Clamp {label} low (activity 0, inputs ignored)"),
                           ("release", f"Release {label}")):
            act = menu.addAction(text)
            act.setCheckable(mode != "release")
            act.setChecked(mode == current)
            act.setEnabled(mode != "release" or current is not None)
            act.triggered.connect(lambda _=False, m=mode: mc.clamp(node_id, m))
        menu.addSeparator()
        menu.addAction(f"Open the page of {label}", lambda: self.controller.select_node(node_id))
        self._context_menu = menu
        menu.popup(screen_pos.toPoint() if hasattr(screen_pos, "toPoint") else screen_pos)

    def _on_controller_history_changed(self, back: bool, forward: bool) -> None:
        self.act_back.setEnabled(back)
        self.act_forward.setEnabled(forward)

    def _zoom_action(self, factor: float) -> None:
        presentation = getattr(self, "presentation", None)
        if presentation is not None and presentation.active:
            presentation.adjust(factor)
        elif factor > 1:
            self.view.zoom_in()
        else:
            self.view.zoom_out()

    # --- inquiry mode: results hidden until the class has predicted ------------------------------
    def set_inquiry_toggle(self) -> None:
        self.set_inquiry(not self.inquiry)

    def set_inquiry(self, on: bool) -> None:
        """Hide the plots, the "why" line, the gauge and the diagram's colouring (or show them)."""
        if on == self.inquiry:
            return
        self.inquiry = on
        self.plots_box.setVisible(not on)
        self.inquiry_banner.setVisible(on)
        act = getattr(self, "act_inquiry", None)
        if act is not None:
            act.setChecked(on)
        mc = self.model_controller
        if on:
            self.scene.set_lit(Layer.INQUIRY, ())
            self.scene.set_changes(Layer.INQUIRY, {}, caption=None)
            # Edges keep the widths they had when the class was asked: a width that moved would tell.
            self.scene.set_flows(Layer.INQUIRY, self.scene.shown_flows())
            self._post("Inquiry mode: results hidden. Predict, then press Ctrl+I to reveal")
        else:
            if mc is not None:
                mc.explain_now()  # the "why" of the change the class predicted
            self.scene.clear_overlay(Layer.INQUIRY)
            if mc is not None:
                self._post("Revealed: the plots and colours show what the model did")

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    @property
    def node_list(self) -> NodeList:
        """The node list (View ▸ Node list), built when the dock is first shown."""
        if self._node_list is None:
            from app.ui.shell.node_list import NodeList

            self._node_list = NodeList(self.content.pathway)
            self._node_list.node_activated.connect(self.controller.select_node)
            self._node_list.set_selected(self.controller.selected)
            self.node_dock.setWidget(self._node_list)
        return self._node_list

    @property
    def completer(self) -> QCompleter:
        """The results list under the search box: nodes first, then pages that contain the words.
        Built on the first search, not at start-up."""
        if self._completer is None:
            from PySide6.QtGui import QStandardItemModel
            from PySide6.QtWidgets import QCompleter

            self.search_model = QStandardItemModel(self)
            self._completer = QCompleter(self.search_model, self)
            self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
            self._completer.setMaxVisibleItems(12)
            self._completer.setCompletionRole(_QUERY_ROLE)  # choosing a row keeps the typed words
            self._completer.activated[QModelIndex].connect(self._on_completer_activated)
            self.search.setCompleter(self._completer)
        return self._completer

    def _on_search_text_changed(self, text: str) -> None:
        from PySide6.QtGui import QStandardItem

        from app.knowledge.search import match_nodes

        self.completer  # noqa: B018 - builds the results list on the first search
        matches = match_nodes(self.content.pathway, text)
        self.scene.set_search_matches(matches)
        hits = self.page_index.search(text)
        if text.strip():
            self.search_count.setText(f"{len(matches)} node{'s' if len(matches) != 1 else ''}, "
                                      f"{len(hits)} page{'s' if len(hits) != 1 else ''}")
        else:
            self.search_count.setText("")
        self.search_model.clear()
        for nid in matches[:8]:
            node = self.content.pathway.node(nid)
            item = QStandardItem(f"◆ {node.label} — {node.name}")
            item.setData(("node", nid, ""), Qt.ItemDataRole.UserRole)
            item.setData(text, _QUERY_ROLE)
            self.search_model.appendRow(item)
        for hit in hits[:12]:
            item = QStandardItem(f"📄 {hit.title}: {hit.snippet}")
            item.setToolTip(hit.snippet)
            item.setData((hit.kind, hit.id, text.strip()), Qt.ItemDataRole.UserRole)
            item.setData(text, _QUERY_ROLE)
            self.search_model.appendRow(item)
        self._search_results = matches
        self._page_hits = hits

    @property
    def page_index(self) -> PageIndex:
        """Built on the first search, not at start-up."""
        if self._page_index is None:
            from app.knowledge.search import PageIndex

            self._page_index = PageIndex.from_content(self.content)
        return self._page_index

    def _on_completer_activated(self, index: QModelIndex) -> None:
        kind, ident, words = index.data(Qt.ItemDataRole.UserRole)
        self._open_search_result(kind, ident, words)

    def _open_search_result(self, kind: str, ident: str, words: str) -> None:
        from PySide6.QtGui import QTextCursor  # kept off the start-up path

        if kind == "node" and not words:
            self.view.centre_on_node(ident)
            self.controller.select_node(ident)
            return
        self.controller.open_page(kind, ident)
        if kind == "node":
            self.view.centre_on_node(ident)
        if words:
            self.panel.moveCursor(QTextCursor.MoveOperation.Start)
            if self.panel.find(words):  # select and scroll to the first hit
                self._post(f"Found {words!r} in {self.panel.documentTitle() or ident}")

    def _on_search_return_pressed(self) -> None:
        from app.knowledge.search import match_nodes

        text = self.search.text()
        matches = match_nodes(self.content.pathway, text)
        if matches:
            self._open_search_result("node", matches[0], "")
            return
        hits = self.page_index.search(text)
        if hits:
            self._open_search_result(hits[0].kind, hits[0].id, text.strip())
            return
        self._post(f"Nothing matches {text!r}")

    def show_problems(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs: kept off the start-up path

        problems = self.content.problems
        text = "\n".join(str(p) for p in problems[:200]) or "No problems found."
        if len(problems) > 200:
            text += f"\n… and {len(problems) - 200} more (run: python -m app check-content)"
        box = QMessageBox(QMessageBox.Icon.Warning if problems else QMessageBox.Icon.Information,
                          "Content problems", f"{len(problems)} problem(s) in {self.content.root}", parent=self)
        box.setDetailedText(text)
        box.setInformativeText("Each line is file:line: message. Fix the file and restart IronBone.")
        box.open()
        self._problems_box = box

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox  # dialogs: kept off the start-up path

        box = QMessageBox(self)
        box.setWindowTitle("About IronBone")
        box.setTextFormat(Qt.TextFormat.RichText)
        box.setText(
            f"<h3>IronBone {__version__}</h3>"
            "<p>An interactive teaching app on how iron accumulation and falling estrogen after "
            "menopause tilt bone remodelling towards loss.</p>"
            "<p><b>Scientific source:</b> Cai, Zhang, He and Zhang (2023). Iron accumulation and its "
            "impact on osteoporotic fractures in postmenopausal women. J Zhejiang Univ Sci B "
            "24(4):301–311. doi:10.1631/jzus.B2200519</p>"
            "<p><b>A teaching model, not a clinical tool.</b> Its numbers illustrate directions and "
            "rough sizes; they are not predictions for any person.</p>"
            "<p>Licence: MIT (code). Content written afresh from the review, with citations.</p>"
        )
        box.setIcon(QMessageBox.Icon.Information)
        box.open()
        self._about_box = box

    def show_cite(self) -> None:
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit  # dialogs: kept off the start-up path

        from app.knowledge.cite import app_bibtex, app_plain, bibtex, plain

        review = self.content.references.get("cai2023")
        parts = []
        if review is not None:
            parts += [("The review (plain text)", plain(review)), ("The review (BibTeX)", bibtex(review))]
        parts += [("IronBone (plain text)", app_plain()), ("IronBone (BibTeX)", app_bibtex())]
        dialog = QDialog(self)
        dialog.setWindowTitle("Cite this")
        layout = QVBoxLayout(dialog)
        self._cite_texts = {}
        for title, text in parts:
            layout.addWidget(QLabel(f"<b>{title}</b>"))
            box = QPlainTextEdit(text)
            box.setReadOnly(True)
            box.setAccessibleName(title)
            box.setMaximumHeight(110 if "BibTeX" in title else 60)
            copy = QPushButton(f"Copy {title.lower()}")
            copy.clicked.connect(lambda _=False, t=text, n=title: (
                QGuiApplication.clipboard().setText(t), self._post(f"Copied: {n}")))
            layout.addWidget(box)
            layout.addWidget(copy)
            self._cite_texts[title] = (box, copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=dialog)
        buttons.rejected.connect(dialog.reject)
        layout.addWidget(buttons)
        dialog.resize(640, 560)
        dialog.open()
        self._cite_dialog = dialog

    def show_shortcuts(self) -> None:
        """A sheet generated from the actions themselves, so it is never out of date."""
        from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem  # off the start-up path

        rows = []
        for act in self.actions():
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts()]
            if keys:
                rows.append((act.text().replace("&", ""), ", ".join(keys)))
        rows += [("Move between nodes", "Tab / Shift+Tab, arrow keys (diagram focused)"),
                 ("Open the node under the keyboard cursor", "Enter"),
                 ("Zoom around the cursor", "Mouse wheel"), ("Pan", "Drag the diagram")]
        dialog = QDialog(self)
        dialog.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(rows), 2, dialog)
        table.setHorizontalHeaderLabels(["Action", "Keys"])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        table.setAccessibleName("Keyboard shortcuts")
        for r, (what, keys) in enumerate(sorted(rows)):
            table.setItem(r, 0, QTableWidgetItem(what))
            table.setItem(r, 1, QTableWidgetItem(keys))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=dialog)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(table)
        layout.addWidget(buttons)
        dialog.resize(560, 520)
        dialog.open()
        self._shortcuts_dialog = dialog

    def _scale_text(self, factor: float | None) -> None:
        scale = 1.0 if factor is None else self.panel.font_scale * factor
        self.panel.set_appearance(font_scale=scale)
        self._post(f"Page text at {self.panel.font_scale * 100:.0f} %")

    def set_scheme(self, scheme: str) -> None:
        self.panel.set_appearance(scheme=scheme)
        for key, act in self.scheme_actions.items():
            act.setChecked(key == self.panel.scheme)

    # --- exports --------------------------------------------------------------------------
    def _ask_save_path(self, title: str, suggested: str, filters: str) -> Path | None:
        from PySide6.QtWidgets import QFileDialog  # dialogs: kept off the start-up path

        folder = Path(QSettings().value("export/folder", str(Path.home())))
        name, _ = QFileDialog.getSaveFileName(self, title, str(folder / suggested), filters)
        if not name:
            return None
        path = Path(name)
        QSettings().setValue("export/folder", str(path.parent))
        return path

    def _run_export(self, what: str, fn) -> None:  # noqa: ANN001
        from PySide6.QtWidgets import QMessageBox  # dialogs: kept off the start-up path

        from app.ui.shell.export import ExportError

        try:
            path = fn()
        except ExportError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        if path is not None:
            self._post(f"Saved {what} to {path}")

    def export_png(self) -> None:
        from PySide6.QtWidgets import QInputDialog  # dialogs: kept off the start-up path

        from app.ui.shell.export import PNG_SCALES, export_diagram_png

        scale_text, ok = QInputDialog.getItem(self, "Export diagram as PNG", "Resolution:",
                                              [f"{s}x" for s in PNG_SCALES], 1, False)
        if not ok:
            return
        path = self._ask_save_path("Export diagram as PNG", "ironbone-diagram.png", "PNG image (*.png)")
        if path is not None:
            self._run_export("the diagram", lambda: export_diagram_png(self.scene, path, int(scale_text[:-1])))

    def _export_vector(self, kind: str) -> None:
        from app.ui.shell.export import export_diagram_pdf, export_diagram_svg

        filters = {"svg": "SVG image (*.svg)", "pdf": "PDF document (*.pdf)"}[kind]
        path = self._ask_save_path(f"Export diagram as {kind.upper()}", f"ironbone-diagram.{kind}", filters)
        if path is not None:
            fn = export_diagram_svg if kind == "svg" else export_diagram_pdf
            self._run_export("the diagram", lambda: fn(self.scene, path))

    def copy_diagram(self) -> None:
        from app.ui.shell.export import copy_diagram

        copy_diagram(self.scene)
        self._post("Diagram copied to the clipboard")

    def export_plots(self) -> None:
        from app.ui.shell.export import export_plot

        if not self.plots.built:
            self._post("The plots are not ready yet")
            return
        path = self._ask_save_path("Export plots", "ironbone-plots.png", "PNG image (*.png);;SVG image (*.svg)")
        if path is None:
            return
        stem, suffix = path.with_suffix(""), path.suffix or ".png"
        self._run_export("the plots", lambda: (
            export_plot(self.plots.rate_plot, Path(f"{stem}-rates{suffix}")),
            export_plot(self.plots.mass_plot, Path(f"{stem}-bone-mass{suffix}")))[-1].parent)

    def export_csv(self) -> None:
        from app.ui.shell.export import export_csv

        if self.model_controller is None:
            self._post("The model is not ready yet")
            return
        path = self._ask_save_path("Export run data", "ironbone-run.csv", "CSV (*.csv)")
        if path is not None:
            self._run_export("the run's data", lambda: export_csv(self.model_controller.history(), path))

    # --- settings -------------------------------------------------------------------------
    def restore_settings(self) -> None:
        s = QSettings()
        try:
            scale = float(s.value("view/font_scale", 1.0))
        except (TypeError, ValueError):
            scale = 1.0  # a damaged value: fall back to the default
        self.panel.set_appearance(font_scale=scale)
        self.set_scheme(str(s.value("view/scheme", "system")))
        self._restore_scenario = str(s.value("model/scenario", "") or "")
        geometry = s.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)
        sizes = s.value("window/splitter")
        if sizes is not None:
            self.splitter.restoreState(sizes)

    def save_settings(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("view/font_scale", self.panel.font_scale)
        s.setValue("view/scheme", self.panel.scheme)
        if self.model_controller is not None:
            s.setValue("model/scenario", self.model_controller.scenario or "")

    def reset_settings(self) -> None:
        QSettings().clear()
        self._skip_save = True
        self.resize(1280, 800)
        self.splitter.setSizes([860, 420])
        self.panel.set_appearance(scheme="system", font_scale=1.0)
        self.set_scheme("system")
        self._post("Settings reset: default layout restored")

    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        presentation = getattr(self, "presentation", None)
        if presentation is not None:
            presentation.leave()  # the application-wide font and palette go back as they were
        if not getattr(self, "_skip_save", False):
            self.save_settings()
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        QTimer.singleShot(0, self.view.fit_all)
