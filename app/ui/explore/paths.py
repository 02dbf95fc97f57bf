"""The path explorer: every simple signed route between two nodes with its net effect, length and
strength; the chosen route lit on the diagram; knock-outs and cut links mark the routes they break."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.diagram.overlays import Layer
from app.ui.text import esc, plain_label, tip

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from app.model.paths import PathList, SignedPath
    from app.ui.context import FeatureContext

DEFAULT_SOURCE, DEFAULT_TARGET = "estrogen", "bone_mass"
COLUMNS = ("Net", "Steps", "Strength", "Status", "Route")
COL_NET, COL_STEPS, COL_STRENGTH, COL_STATUS, COL_ROUTE = range(5)
STATUS_WORD = {"open": "open", "cut": "cut", "held": "held"}



def _label(text: str, buddy: QWidget) -> QLabel:
    """A label tied to `buddy`: on Linux a screen reader names a combo box by its label (its own name
    is its current value)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label

class PathExplorer(QWidget):
    """Source and target pickers, a step cap, the table of routes and the link cutter."""

    highlight_changed = Signal(object)  # the chosen route (SignedPath) or None

    def __init__(self, ctx: FeatureContext) -> None:
        super().__init__()
        from app.model import paths

        self.ctx = ctx
        self.pathway = ctx.content.pathway
        self.result: PathList | None = None
        self.highlighted: SignedPath | None = None
        self.setAccessibleName("Path explorer")
        v = QVBoxLayout(self)
        v.setContentsMargins(6, 6, 6, 6)
        v.setSpacing(4)
        h = QHBoxLayout()
        self.source_combo = self._node_combo("Source node", "Where the routes start; type to search")
        self.target_combo = self._node_combo("Target node", "Where the routes end; type to search")
        self.swap_button = QToolButton()
        self.swap_button.setText("⇄")
        self.swap_button.setAccessibleName("Swap source and target")
        self.swap_button.setToolTip("Swap source and target")
        self.swap_button.clicked.connect(self.swap)
        h.addWidget(_label("From", self.source_combo))
        h.addWidget(self.source_combo, 1)
        h.addWidget(self.swap_button)
        h.addWidget(_label("to", self.target_combo))
        h.addWidget(self.target_combo, 1)
        v.addLayout(h)
        h = QHBoxLayout()
        h.addWidget(QLabel("At most"))
        self.steps_spin = QSpinBox()
        self.steps_spin.setRange(1, 14)
        self.steps_spin.setValue(paths.MAX_LEN)
        self.steps_spin.setSuffix(" steps")
        self.steps_spin.setAccessibleName("Longest route listed, in steps")
        self.steps_spin.setToolTip("Routes longer than this are not listed (long loops multiply quickly)")
        h.addWidget(self.steps_spin)
        self.summary = plain_label()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Routes found")
        h.addWidget(self.summary, 1)
        v.addLayout(h)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Routes from source to target")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        # Fixed widths from the widest text: ResizeToContents re-measures every row on every change,
        # and a refresh of a few hundred rows would take seconds.
        fm = self.fontMetrics()
        for col, widest in ((COL_NET, "Net"), (COL_STEPS, "Steps"), (COL_STRENGTH, "Strength"),
                            (COL_STATUS, "Status")):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, fm.horizontalAdvance(widest) + 18)
        header.setSectionResizeMode(COL_ROUTE, QHeaderView.ResizeMode.Stretch)
        tips = ("+: more of the source means more of the target along this route (an even number of "
                "inhibitions); −: more of the source means less of the target",
                "Number of links on the route",
                "Product of the link weights: roughly how much of the signal gets through",
                "open: the model carries this route; cut: a knock-out or cut link breaks it; held: it runs into a "
                "node the model holds fixed (a slider input or a clamp), so the model does not carry it",
                "The nodes between source and target; → activates, ⊣ inhibits. Choose a row to read it in full")
        for col, header_tip in enumerate(tips):
            self.table.horizontalHeaderItem(col).setToolTip(header_tip)
        v.addWidget(self.table, 1)
        self.route_label = QLabel()
        self.route_label.setWordWrap(True)
        self.route_label.setTextFormat(Qt.TextFormat.RichText)
        self.route_label.setAccessibleName("The chosen route")
        self.route_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.route_label)
        h = QHBoxLayout()
        self.link_combo = QComboBox()
        h.addWidget(_label("Link:", self.link_combo))
        self.link_combo.setAccessibleName("A link of the selected route")
        self.link_combo.setToolTip("Choose a link of the selected route to cut it in the model")
        self.link_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.link_combo.setMinimumContentsLength(16)
        h.addWidget(self.link_combo, 1)
        self.cut_button = QPushButton("Cut link")
        self.cut_button.setAccessibleName("Cut or restore the chosen link")
        self.cut_button.setToolTip("Knock the chosen link out of the model (its weight becomes 0), or restore it")
        self.cut_button.clicked.connect(self.toggle_chosen_link)
        h.addWidget(self.cut_button)
        self.restore_button = QPushButton("Restore all links")
        self.restore_button.setAccessibleName("Restore all cut links")
        self.restore_button.setToolTip("Put every cut link back")
        self.restore_button.clicked.connect(self.restore_all_links)
        h.addWidget(self.restore_button)
        v.addLayout(h)
        self.note = plain_label()  # names nodes: text from the content
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Path explorer notes")
        v.addWidget(self.note)
        self._fill_combos()
        self.source_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.target_combo.currentIndexChanged.connect(self._on_combo_changed)
        self.steps_spin.valueChanged.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.link_combo.currentIndexChanged.connect(self._update_cut_button)
        self.refresh()

    # --- widgets ----------------------------------------------------------------------------
    def _node_combo(self, name: str, tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setAccessibleName(name)
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(10)
        completer = combo.completer()
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        return combo

    def _fill_combos(self) -> None:
        nodes = sorted(self.pathway.nodes, key=lambda n: n.label.lower())
        for combo, default in ((self.source_combo, DEFAULT_SOURCE), (self.target_combo, DEFAULT_TARGET)):
            with QSignalBlocker(combo):
                for n in nodes:
                    combo.addItem(n.label, n.id)
                    combo.setItemData(combo.count() - 1, tip(n.name), Qt.ItemDataRole.ToolTipRole)
                i = combo.findData(default)
                combo.setCurrentIndex(max(i, 0))

    # --- public -----------------------------------------------------------------------------
    @property
    def source(self) -> str:
        return self.source_combo.currentData() or ""

    @property
    def target(self) -> str:
        return self.target_combo.currentData() or ""

    def set_nodes(self, source: str, target: str) -> None:
        """Choose source and target by id (unknown ids are refused with a message)."""
        for nid in (source, target):
            if not self.pathway.has_node(nid):
                self.ctx.post(f"Path explorer: unknown node {nid!r}")
                return
        with QSignalBlocker(self.source_combo), QSignalBlocker(self.target_combo):
            self.source_combo.setCurrentIndex(self.source_combo.findData(source))
            self.target_combo.setCurrentIndex(self.target_combo.findData(target))
        self.refresh()

    def swap(self) -> None:
        self.set_nodes(self.target, self.source)

    def refresh(self) -> None:
        """Recompute the routes for the chosen nodes and the model's knock-outs and clamps."""
        from app.model.paths import MAX_PATHS, route_text, signed_paths

        keep = self.highlighted.nodes if self.highlighted is not None else None
        mc = self.ctx.model()
        inputs = mc.inputs if mc is not None else None
        self.result = signed_paths(
            self.pathway, self.source, self.target,
            knockouts=inputs.knockouts if inputs else (),
            edge_knockouts=inputs.edge_knockouts if inputs else (),
            clamped=tuple(inputs.clamps) if inputs else (),
            max_len=self.steps_spin.value(), max_paths=MAX_PATHS)
        res = self.result
        grey = self.palette().placeholderText().color()
        self.table.setUpdatesEnabled(False)
        with QSignalBlocker(self.table):
            self.table.clearContents()
            self.table.setRowCount(len(res.paths))
            for row, p in enumerate(res.paths):
                cells = ("+" if p.sign > 0 else "−", str(p.length), f"{p.strength:.3f}", STATUS_WORD[p.status],
                         self._via_text(p))
                effect = "raises" if p.sign > 0 else "lowers"
                src, dst = self.pathway.node(res.source).label, self.pathway.node(res.target).label
                route_tip = (f"{esc(route_text(self.pathway, p))}<br>Along this route more {esc(src)} {effect} "
                             f"{esc(dst)} ({p.inhibitions} inhibition{'s' if p.inhibitions != 1 else ''}).")
                if p.reason:
                    route_tip += f"<br><b>{STATUS_WORD[p.status].capitalize()}:</b> {esc(p.reason)}."
                for col, text in enumerate(cells):
                    item = QTableWidgetItem(text)
                    item.setToolTip(route_tip)
                    item.setData(Qt.ItemDataRole.UserRole, row)
                    if col in (COL_NET, COL_STEPS, COL_STRENGTH):
                        item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    if col == COL_NET:
                        font = QFont(item.font())
                        font.setBold(True)
                        item.setFont(font)
                    if p.status != "open":
                        item.setForeground(QBrush(grey))
                        if p.status == "cut":
                            font = QFont(item.font())
                            font.setStrikeOut(col == COL_ROUTE)
                            item.setFont(font)
                    self.table.setItem(row, col, item)
        self.table.setUpdatesEnabled(True)
        self._update_summary()
        # Keep the chosen route chosen (and lit) if it is still listed.
        row = next((i for i, p in enumerate(res.paths) if p.nodes == keep), None) if keep else None
        if row is None:
            self.table.clearSelection()
            self._set_highlight(None)
        else:
            with QSignalBlocker(self.table):
                self.table.selectRow(row)
            QTimer.singleShot(0, self._scroll_to_chosen)  # once the new rows are laid out
            self._set_highlight(res.paths[row])

    def _scroll_to_chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.table.scrollTo(rows[0])

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def toggle_chosen_link(self) -> None:
        key = self.link_combo.currentData()
        mc = self.ctx.model()
        if key is None or mc is None:
            self.ctx.post("Choose a route and one of its links first")
            return
        key = tuple(key)
        cut = set(mc.inputs.edge_knockouts)
        cut.symmetric_difference_update({key})
        if mc.set_inputs(mc.inputs.replace(edge_knockouts=tuple(cut)), scenario=mc.scenario):
            label = self._link_label(key)
            self.ctx.post(f"Link {label} {'cut' if key in cut else 'restored'}: the model now runs "
                              f"{'without' if key in cut else 'with'} it")

    def restore_all_links(self) -> None:
        mc = self.ctx.model()
        if mc is not None and mc.inputs.edge_knockouts:
            mc.set_inputs(mc.inputs.replace(edge_knockouts=()), scenario=mc.scenario)
            self.ctx.post("Every cut link is back")

    # --- internals --------------------------------------------------------------------------
    def _via_text(self, path: SignedPath) -> str:
        """The route between source and target (both are in the pickers above): "⊣ Hepcidin ⊣ FPN1 → …"."""
        arrows = ["→" if s > 0 else "⊣" for s in path.signs]
        middle = [f"{a} {self.pathway.node(n).label}" for a, n in zip(arrows, path.nodes[1:-1], strict=False)]
        return " ".join([*middle, arrows[-1]]) if middle else f"{arrows[-1]} directly"

    def _link_label(self, key: tuple[str, str]) -> str:
        sign = self.pathway.graph.edges[key]["sign"]
        return f"{self.pathway.node(key[0]).label} {'→' if sign > 0 else '⊣'} {self.pathway.node(key[1]).label}"

    def _update_summary(self) -> None:
        from app.model.paths import MAX_ENUMERATED

        res = self.result
        assert res is not None
        c = res.counts()
        if not res.paths:
            text = ("Source and target are the same node." if res.source == res.target else
                    f"No route of at most {res.max_len} steps.")
        else:
            text = f"{len(res.paths)} route{'s' if len(res.paths) != 1 else ''}: {c['raise']} raise, {c['lower']} lower"
            if c["cut"]:
                text += f", {c['cut']} cut"
            if c["held"]:
                text += f", {c['held']} held (not carried by the model)"
        if not res.complete:
            text += f". Stopped after {MAX_ENUMERATED} routes: lower the step limit."
        elif res.truncated:
            text += f" (the {len(res.paths)} shortest of {res.found} shown)."
        self.summary.setText(text)
        mc = self.ctx.model()
        notes = [f"Routes of at most {res.max_len} steps, at most {res.max_paths} listed; open routes first, "
                 "shortest first."]
        if mc is not None and mc.inputs.edge_knockouts:
            notes.append("Cut links: " + ", ".join(self._link_label(k) for k in mc.inputs.edge_knockouts) + ".")
        if mc is not None and mc.inputs.knockouts:
            notes.append("Knocked out: " + ", ".join(self.pathway.node(k).label for k in mc.inputs.knockouts) + ".")
        self.note.setText(" ".join(notes))
        self.restore_button.setEnabled(bool(mc is not None and mc.inputs.edge_knockouts))

    def _on_combo_changed(self, _index: int) -> None:
        if self.source and self.target:
            self.refresh()

    def _on_table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        res = self.result
        path = res.paths[rows[0].row()] if rows and res is not None else None
        self._set_highlight(path)

    def _set_highlight(self, path: SignedPath | None) -> None:
        self.highlighted = path
        chosen = self.link_combo.currentData()  # keep the chosen link when the list refreshes
        with QSignalBlocker(self.link_combo):
            self.link_combo.clear()
            if path is not None:
                for key in path.edges:
                    self.link_combo.addItem(self._link_label(key), list(key))
                self.link_combo.setCurrentIndex(max(0, self.link_combo.findData(chosen)))
        self.link_combo.setEnabled(path is not None)
        if path is None:
            self.route_label.setText("<i>Choose a route to light it on the diagram and to cut one of its links.</i>")
        else:
            from app.model.paths import route_text

            net = "raises" if path.sign > 0 else "lowers"
            status = f" <i>({STATUS_WORD[path.status]}: {html.escape(path.reason)})</i>" if path.reason else ""
            first, last = (html.escape(self.pathway.node(n).label) for n in (path.nodes[0], path.nodes[-1]))
            route = html.escape(route_text(self.pathway, path))
            self.route_label.setText(f"<b>{'+' if path.sign > 0 else '−'}</b> {route} — more {first} {net} "
                                     f"{last}{status}")
        self._update_cut_button()
        self.highlight_changed.emit(path)

    def _update_cut_button(self) -> None:
        key = self.link_combo.currentData()
        mc = self.ctx.model()
        self.cut_button.setEnabled(key is not None and mc is not None)
        cut = mc is not None and key is not None and tuple(key) in mc.inputs.edge_knockouts
        self.cut_button.setText("Restore link" if cut else "Cut link")


class PathsFeature:
    """View ▸ Path explorer (Ctrl+Shift+P): `explorer` and `dock` (None until first opened), `explore()`."""

    name = "paths"

    def __init__(self) -> None:
        self.explorer: PathExplorer | None = None
        self.dock: QDockWidget | None = None
        self._routes_key: tuple | None = None

    def install(self, ctx: FeatureContext) -> None:
        self._ctx = ctx
        self.act_paths = ctx.add_action(
            "&Path explorer", self.toggle, ["Ctrl+Shift+P"],
            "List every signed route between two nodes, light one on the diagram, cut links")
        ctx.add_to_menu("view", self.act_paths)
        ctx.model_ready.connect(self._on_model_ready)

    def explore(self, source: str, target: str) -> None:
        """Open the explorer on the routes from `source` to `target`."""
        self.open().set_nodes(source, target)

    def open(self, *, show: bool = True) -> PathExplorer:
        """The Paths dock, built on first use."""
        if self.explorer is None:
            self.explorer = PathExplorer(self._ctx)
            self.explorer.highlight_changed.connect(lambda _path: self._light())
            self.dock = self._ctx.add_dock("Paths", "paths_dock", self.explorer, accessible="Path explorer")
            self._ctx.window.resizeDocks([self.dock], [420], Qt.Orientation.Horizontal)  # room for the routes
            self.dock.visibilityChanged.connect(lambda _on: self._light())
        if show:
            self.dock.show()
            self.dock.raise_()
        return self.explorer

    def toggle(self) -> None:
        if self.dock is not None and self.dock.isVisible():
            self.dock.hide()
        else:
            self.open()

    def _light(self) -> None:
        """The chosen route on the diagram (the explorer's layer) while the dock is open."""
        ex = self.explorer
        path = ex.highlighted if ex is not None and self.dock is not None and self.dock.isVisible() else None
        self._ctx.diagram.set_lit(Layer.EXPLORER, None if path is None else path.nodes,
                                  () if path is None else path.edges)

    def _on_model_ready(self) -> None:
        mc = self._ctx.model()
        mc.inputs_changed.connect(self._on_model_inputs_changed)
        self._on_model_inputs_changed(mc.inputs)

    def _on_model_inputs_changed(self, inputs) -> None:  # noqa: ANN001
        # Only knock-outs, cut links and clamps change the routes: a slider drag costs nothing here.
        key = (inputs.knockouts, inputs.edge_knockouts, tuple(inputs.clamps))
        if key != self._routes_key:
            self._routes_key = key
            if self.explorer is not None:
                self.explorer.refresh()
