"""The main window: the diagram over the plots on the left, the model's controls over the page on the
right, a toolbar with search and zoom, a node list dock, and the shell's menus. It knows no feature:
the features it is given install themselves through a FeatureContext after the first paint."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton

from app.knowledge.content import Content
from app.ui.diagram.scene import DiagramScene
from app.ui.diagram.view import DiagramView
from app.ui.navigation import Controller
from app.ui.shell.actions import START_PAGE, ShellActions, make_action
from app.ui.shell.appearance import Appearance
from app.ui.shell.layout import DEFAULT_SIZE, MINIMUM_SIZE, ShellLayout
from app.ui.shell.page_panel import PagePanel
from app.ui.shell.search import SearchBox
from app.ui.shell.startup import Startup

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from app.ui.context import Feature, FeatureContext
    from app.ui.model.binding import ModelBinding
    from app.ui.model.controller import ModelController
    from app.ui.model.controls import ControlPanel
    from app.ui.model.loader import ModelSetup
    from app.ui.shell.dialogs import Dialogs
    from app.ui.shell.export_actions import Exports
    from app.ui.shell.features import FeatureHost
    from app.ui.shell.keyboard import Keyboard
    from app.ui.shell.node_list import NodeList
    from app.ui.shell.settings import WindowSettings


class MainWindow(QMainWindow):
    model_ready = Signal()  # the model, its controls and the plots exist (just after the first paint)
    closing = Signal()  # the window is closing; its layout is saved next

    def __init__(self, content: Content, *, features: Callable[[], Sequence[Feature]] = tuple) -> None:
        super().__init__()
        self.content = content
        self.setWindowTitle("IronBone — iron, estrogen and bone loss")
        self.resize(*DEFAULT_SIZE)
        self.setMinimumSize(QSize(*MINIMUM_SIZE))
        self.last_message = ""
        self.controller = Controller(content, self)
        self.scene = DiagramScene(content.pathway, self)
        self.scene.set_cite_names({key: ref.short() for key, ref in content.references.items()})
        self.view = DiagramView(self.scene)
        self.panel = PagePanel(content)
        self.appearance = Appearance(scene=self.scene, panel=self.panel, parent=self)  # light or dark
        self.shell_layout = lay = ShellLayout(self, self.view, self.panel)
        self.plots, self.why, self.plots_box = lay.plots, lay.why, lay.plots_box
        self.splitter, self.controls_scroll, self.toolbar, self.node_dock = (lay.splitter, lay.controls_scroll,
                                                                             lay.toolbar, lay.node_dock)
        self._node_list: NodeList | None = None  # built when first shown (see node_list)
        self.model_binding: ModelBinding | None = None
        self.model_controller: ModelController | None = None
        self.controls: ControlPanel | None = None

        # Dialogs, exports, settings and the feature host are made on first use: off the first paint's path.
        self._dialogs: Dialogs | None = None
        self._exports: Exports | None = None
        self._settings: WindowSettings | None = None
        self.search = SearchBox(content, navigation=self.controller, scene=self.scene, view=self.view,
                                panel=self.panel, post=self.post, parent=self)
        self.acts = ShellActions(self, navigation=self.controller, panel=self.panel, dialogs=lambda: self.dialogs,
                                 exports=lambda: self.exports, model=self._model, zoom=self.shell_layout.zoom,
                                 fit=self.view.fit_all, find=self.search.focus,
                                 node_list=self.node_dock.toggleViewAction(),
                                 reset_settings=lambda: self.settings.reset(), post=self.post,
                                 scheme=self.appearance.set_choice)
        self.menus = self.acts.build_menus(self)
        self._fill_toolbar()
        self._build_status()
        self._connect()
        self._load_features = features
        self.host: FeatureHost | None = None
        self.features: dict[str, Feature] = {}  # name -> installed feature
        # The features, the first page, the model (numpy) and the plots (pyqtgraph) come right after
        # the first paint: none of them is on that path.
        self.keyboard: Keyboard | None = None  # F6 regions, the focus ring… (the first step after the first paint)
        self.startup = Startup(self, content, steps=[self._install_keyboard, self._install_features,
                                                     self._open_start_page],
                               model_built=self._on_model_built, model_failed=self._on_model_failed)
        self.graph_ready = self.startup.graph_ready  # the pathway's networkx graph exists

    # --- construction ---------------------------------------------------------------------
    def _fill_toolbar(self) -> None:
        tb, acts = self.toolbar, self.acts
        tb.addAction(acts.back)
        tb.addAction(acts.forward)
        tb.addSeparator()
        tb.addWidget(self.search.edit)
        tb.addWidget(self.search.count)
        self._time_anchor = tb.addSeparator()  # the model's clock goes here once loaded: never in the overflow menu
        # Short labels keep the whole bar on a 1024-pixel screen; the names stay for menus and screen readers.
        for act, short in ((acts.zoom_out, "−"), (acts.zoom_in, "+"), (acts.fit, "Fit")):
            act.setIconText(short)
            tb.addAction(act)
            tb.widgetForAction(act).setAccessibleName(act.text().replace("&", ""))
        self.zoom_label = QLabel("100 %")
        self.zoom_label.setAccessibleName("Zoom level")
        self.zoom_label.setAccessibleDescription("The diagram at 100 %")
        self.zoom_label.setMinimumWidth(54)
        tb.addWidget(self.zoom_label)
        tb.addSeparator()
        tb.addAction(acts.overview)
        tb.addAction(acts.node_list)

    def _build_status(self) -> None:
        sb = self.statusBar()
        self.problems_button = QPushButton()
        self.problems_button.setFlat(True)
        self.problems_button.clicked.connect(lambda: self.dialogs.show_problems())
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
        self.panel.internal_link_activated.connect(self._on_panel_link)
        self.panel.message_posted.connect(self.post)
        c.message_posted.connect(self.post)
        c.node_selected.connect(self._on_controller_node_selected)
        c.page_changed.connect(self.panel.show_location)
        c.history_changed.connect(lambda back, forward: (self.acts.back.setEnabled(back),
                                                         self.acts.forward.setEnabled(forward)))
        self.view.zoom_changed.connect(self._on_view_zoom_changed)
        self.node_dock.visibilityChanged.connect(lambda shown: shown and self.node_list)

    def _on_view_zoom_changed(self, zoom: float) -> None:
        text = f"{zoom * 100:.0f} %"
        if text != self.zoom_label.text():
            self.zoom_label.setText(text)
            self.zoom_label.setAccessibleDescription(f"The diagram at {text}")  # what a screen reader reads

    def _install_keyboard(self) -> None:
        """The shell's keyboard access: the key guard, F6 regions, tab order, the focus ring."""
        from app.ui.shell.keyboard import Keyboard

        self.keyboard = Keyboard(self, regions=[("Search", lambda: self.search.edit), ("Inputs", lambda: self.controls),
                                                ("Diagram", lambda: self.view), ("Page", lambda: self.panel)],
                                 add_action=self.add_action)
        self.menus["go"].addSeparator()
        self.menus["go"].addActions([self.keyboard.next_region, self.keyboard.previous_region])
        self.model_ready.connect(lambda: self.keyboard.tab_order([self.search.edit, self.controls.time_bar,
                                                                   self.controls, self.view, self.panel]))

    # --- features -------------------------------------------------------------------------
    def _install_features(self) -> None:
        """Each feature adds its actions, menus and docks here, just after the first paint; heavy
        widgets are built on first use."""
        if not self.features:
            from app.ui.shell.features import FeatureHost

            self.host = FeatureHost(self, self.menus, self.acts.menu_anchor, self.features)
            self.host.install(self._load_features(), self._feature_context())

    def _feature_context(self) -> FeatureContext:
        from app.ui.context import FeatureContext, SessionParts
        from app.ui.learner import Learner

        self.learner = Learner(self.content, self)  # the student's progress and the learning content
        return FeatureContext(
            window=self, content=self.content, navigation=self.controller, model=self._model,
            model_ready=self.model_ready, closing=self.closing, diagram=self.scene, view=self.view,
            plots=self.plots, layout=self.shell_layout, pages=self.panel, session_parts=SessionParts(self),
            add_action=self.add_action, add_menu=self.host.add_menu, add_to_menu=self.host.add_to_menu,
            add_dock=self.host.add_dock, post=self.post, open_link=self.panel.follow_link, learner=self.learner)

    def add_action(self, text: str, slot: Callable, shortcuts=(), tip: str = "") -> QAction:  # noqa: ANN001
        return make_action(self, text, slot, shortcuts, tip)

    def _model(self) -> ModelController | None:
        return self.model_controller

    @property
    def dialogs(self) -> Dialogs:
        if self._dialogs is None:
            from app.ui.shell.dialogs import Dialogs

            self._dialogs = Dialogs(self, self.content, self.post)
        return self._dialogs

    @property
    def exports(self) -> Exports:
        if self._exports is None:
            from app.ui.shell.export_actions import Exports

            self._exports = Exports(self, self.scene, self.plots, self._model, self.post)
        return self._exports

    @property
    def settings(self) -> WindowSettings:
        """What the window remembers between runs (restored by app.ui.app for interactive runs)."""
        if self._settings is None:
            from app.ui.shell.settings import WindowSettings

            self._settings = WindowSettings(self, splitter=self.splitter, panel=self.panel, actions=self.acts,
                                            model=self._model, post=self.post)
        return self._settings

    # --- the model ------------------------------------------------------------------------
    def _on_model_built(self, setup: ModelSetup) -> None:
        from app.ui.model.binding import ModelBinding

        binding = ModelBinding(setup, scene=self.scene, plots=self.plots, why=self.why,
                               select_node=self.controller.select_node, open_link=self.panel.follow_link,
                               post=self.post, parent=self)
        self.model_binding, self.model_controller, self.controls = binding, binding.controller, binding.controls
        self.controls_scroll.setWidget(binding.controls)
        self.toolbar.insertSeparator(self._time_anchor)
        self.toolbar.insertWidget(self._time_anchor, binding.controls.time_bar)
        self.acts.model_loaded(binding.controller)
        self.panel.appendices[("topic", "about-model")] = binding.claims_html
        if self.panel.location == ("topic", "about-model"):
            self.panel.show_location("topic", "about-model")
        self.plots.build()
        self.startup.start_graph()
        if self._settings is not None:
            self._settings.apply_scenario(binding.controller)
        binding.show_current()
        self.model_ready.emit()

    def _on_model_failed(self, exc: Exception) -> None:
        label = QLabel(f"The model could not be built from the content: {exc}")
        label.setTextFormat(Qt.TextFormat.PlainText)  # the message quotes the content
        label.setWordWrap(True)
        self.controls_scroll.setWidget(label)
        self.post(f"Model not available: {exc}")

    @property
    def last_trace(self):  # noqa: ANN201 - app.model.why.WhyTrace | None
        """The "why" trace of the last change (None before any)."""
        return self.model_binding.trace if self.model_binding is not None else None

    # --- slots ----------------------------------------------------------------------------
    def post(self, text: str) -> None:
        """The status line; `last_message` keeps it (a hover's status tip may replace the bar's text)."""
        self.last_message = text
        self.statusBar().showMessage(text, 10000)

    def _open_start_page(self) -> None:
        if self.controller.location is not None:
            return
        if self.content.page("topic", START_PAGE[1]) is not None:
            self.controller.open_page(*START_PAGE)
        elif self.content.pathway.nodes:
            self.controller.select_node(self.content.pathway.nodes[0].id)

    def _on_panel_link(self, kind: str, ident: str) -> None:
        if kind == "app":  # app:NAME triggers the action a feature named app:NAME (content/README.md)
            action = next((a for a in self.actions() if a.objectName() == f"app:{ident}"), None)
            if action is not None and action.isEnabled():
                action.trigger()
            else:
                self.post(f"The link app:{ident[:60]} opens a part of IronBone that is not available here")
        elif kind == "node":
            self.controller.select_node(ident)
            self.view.centre_on_node(ident)
        elif kind == "topic" and self.content.page("topic", ident) is None:
            self.post(f"Unknown topic {ident!r}: no such page")
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

    @property
    def node_list(self) -> NodeList:
        """The node list (View ▸ Node list), built when the dock is first shown."""
        if self._node_list is None:
            from app.ui.shell.node_list import NodeList

            self._node_list = NodeList(self.content.pathway)
            self._node_list.node_activated.connect(self.controller.select_node)
            self._node_list.set_selected(self.controller.selected)
            # A tour's build-up hides nodes from the diagram: from its screen-reader mirror too.
            self._node_list.set_shown(self.scene.shown_parts())
            self.scene.visibility_changed.connect(lambda: self._node_list.set_shown(self.scene.shown_parts()))
            self.node_dock.setWidget(self._node_list)
            # Opens wide enough to read every entry (the dock's own default cuts most of them).
            width = self._node_list.readable_width(self.width())
            self.resizeDocks([self.node_dock], [width], Qt.Orientation.Horizontal)
            self.layout().activate()  # now, not at the next turn of the event loop: the list is there to click
        return self._node_list

    # --- Qt events ------------------------------------------------------------------------
    def closeEvent(self, event) -> None:  # noqa: N802, ANN001
        self.closing.emit()  # e.g. presentation mode gives the font, palette and layout back first
        if self.settings.save_on_close:
            self.settings.save()
        super().closeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        QTimer.singleShot(0, self.view.fit_all)
