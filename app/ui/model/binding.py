"""Binds the model controller to what shows its state: the control panel, the plots and the "why"
line, and the diagram's model layers (node tints, signal carried by each edge, clamp badges, cut
links, the "why" trace). The controls send values up; state comes down through the signals."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from app.ui.diagram.overlays import Layer
from app.ui.model.controller import ModelController
from app.ui.model.controls import ControlPanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel, QMenu, QWidget

    from app.model.simulation import Inputs, State
    from app.model.why import WhyTrace
    from app.ui.diagram.scene import DiagramScene
    from app.ui.model.loader import ModelSetup
    from app.ui.model.plots import PlotsPanel

SHOWN_CHANGE = 0.02  # from this change against the reference on, a node is drawn ▲ or ▼ (diagram/items.py)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class ModelBinding(QObject):
    """Makes the controller (`controller`) and the control panel (`controls`) from a built model and
    keeps the views in step with it."""

    def __init__(self, setup: ModelSetup, *, scene: DiagramScene, plots: PlotsPanel, why: QLabel,
                 select_node: Callable[[str], None], open_link: Callable[[str], None],
                 post: Callable[[str], None], parent: QWidget) -> None:
        super().__init__(parent)
        self._scene, self._plots, self._why = scene, plots, why
        self._select_node, self._open_link, self._menu_parent, self._post = select_node, open_link, parent, post
        self.claims = setup.claims
        self._treatment_pages = setup.treatment_pages
        self.trace: WhyTrace | None = None  # the "why" trace of the last change
        self.node_menu: QMenu | None = None  # the last right-click menu on a node
        self.controller = mc = ModelController(setup.model, setup.scenarios, self)
        reference = setup.scenarios.get(mc.reference_scenario or "")
        self._reference_name = f"“{reference.name}”" if reference is not None else "the reference state"
        if reference is not None:  # the content names what the colours compare with
            scene.set_reference_caption(f"Colours compared with {self._reference_name}:")
        self.controls = controls = ControlPanel(scenarios=setup.scenario_infos, treatments=setup.treatment_infos)
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
        mc.history_changed.connect(self._on_model_history_changed)
        mc.playing_changed.connect(controls.set_playing)
        mc.why_changed.connect(self._on_model_why_changed)
        mc.message_posted.connect(post)
        scene.node_context_requested.connect(self._on_scene_node_context_requested)

    def show_current(self) -> None:
        """Bring every view up to the controller's current inputs and state."""
        mc = self.controller
        self._on_model_inputs_changed(mc.inputs)
        self._on_model_state_changed(mc.state)
        self._on_model_history_changed(mc.history())

    # --- state down ---------------------------------------------------------------------------
    def _on_model_inputs_changed(self, inputs: Inputs) -> None:
        mc = self.controller
        self.controls.set_inputs(estrogen=inputs.estrogen, ferritin=inputs.ferritin,
                                 scenario=mc.scenario, treatments=inputs.treatments)
        self._scene.set_clamps({nid: mode for nid in self._scene.pathway.node_ids
                                if (mode := mc.clamp_mode(nid)) is not None})
        self._scene.set_cut_links(inputs.edge_knockouts)

    def _on_model_state_changed(self, state: State) -> None:
        """Tint nodes by their change against the reference; widen edges by the signal they carry."""
        self.controls.set_clock(state.t_years)
        acts = state.activities
        self._scene.set_changes(Layer.MODEL, state.delta_vs_reference)
        self._scene.set_flows(Layer.MODEL, {e.key: acts.get(e.source, 0.0) * e.weight
                                            for e in self._scene.pathway.edges})
        # The balance the inputs make now: right after a change at year 0 the cells' rates are
        # still those of before, and the gauge would say "balance" while the diagram shows loss.
        self._plots.gauge.set_value(self.controller.answered_balance())
        if self.trace is not None:
            self._show_why()  # the note on the colours follows the state (the clock moves them)

    def _on_model_history_changed(self, history: tuple) -> None:
        self._plots.show_data(*history)
        self._plots.show_rate_projection(*self.controller.rate_projection())

    def _on_model_why_changed(self, trace: WhyTrace | None) -> None:
        """Light the strongest paths from what changed to bone mass and spell the first out."""
        self.trace = trace
        if trace is None:
            self._scene.set_lit(Layer.WHY, None)
            self._why.setText("")
        else:
            self._scene.set_lit(Layer.WHY, {nid for p in trace.paths for nid in p.nodes}, trace.edges)
            self._show_why()

    def _show_why(self) -> None:
        """The line compares with the inputs before the last change, the colours with the reference:
        it names its own baseline and, where a node it calls "up" is drawn less active than the
        reference (or the reverse), says so in the colours' terms."""
        trace = self.trace
        assert trace is not None
        text = (f"<b>Why:</b> {html.escape(trace.cause)}. Since that change: "
                f"{html.escape(trace.sentence.rstrip('.'))}.")
        note = self._colours_note(trace)
        if note:
            text += f" <i>{html.escape(note)}</i>"
        if text != self._why.text():
            self._why.setText(text)

    def _colours_note(self, trace: WhyTrace) -> str:
        """Nodes of the spelled-out path whose colour (against the reference) runs against the
        direction the line gives them; '' when there are none or the colours show something else."""
        if not trace.paths or self._scene.shown("changes") != Layer.MODEL:
            return ""
        from app.model.why import label_in_sentence

        delta = self.controller.state.delta_vs_reference
        path = trace.paths[0]
        below, above = [], []
        for nid, direction in zip(path.nodes, path.directions, strict=True):
            d = delta.get(nid, 0.0)
            if abs(d) >= SHOWN_CHANGE and (d > 0) != (direction > 0):
                (below if d < 0 else above).append(label_in_sentence(self.controller.model, nid))
        parts = [f"{_and(names)} {'is' if len(names) == 1 else 'are'} still {where} it"
                 for names, where in ((below, "below"), (above, "above")) if names]
        if not parts:
            return ""
        return f"Colours are compared with {self._reference_name}: {'; '.join(parts)}."

    # --- requests up --------------------------------------------------------------------------
    def _on_controls_treatment_page_requested(self, treatment_id: str) -> None:
        page = self._treatment_pages.get(treatment_id)
        if page:
            self._open_link(page)
            return
        t = self.controller.model.treatments.get(treatment_id)
        self._post(f"No page about {t.name if t else treatment_id}: give it a `page:` in treatments.yaml, "
                   "or a topic page for its section")

    def _on_scene_node_context_requested(self, node_id: str, screen_pos) -> None:  # noqa: ANN001
        from app.ui.model.node_menu import node_menu

        label = self._scene.pathway.node(node_id).label
        self.node_menu = node_menu(self.controller, node_id, label,
                                   open_page=lambda: self._select_node(node_id), parent=self._menu_parent)
        self.node_menu.popup(screen_pos.toPoint() if hasattr(screen_pos, "toPoint") else screen_pos)

    # --- the "About the model" page ------------------------------------------------------------
    def claims_html(self) -> str:
        """Every claim of content/claims.yaml checked now against the model as it stands."""
        from app.model.claims import evaluate_all

        results = evaluate_all(self.controller.model, self.claims)
        passed = sum(r.passed for r in results)
        rows = "".join(
            f"<tr><td>{r.claim.number}</td><td>{'✔' if r.passed else '✘'}</td>"
            f"<td>{html.escape(r.claim.text)}</td><td>§{html.escape(r.claim.section)}</td>"
            f"<td>{html.escape(r.detail)}</td></tr>" for r in results)
        return (f"<p><b>{passed} of {len(results)} claims hold</b> in the model as it is loaded now "
                "(edit content/pathway.yaml and they are checked again).</p>"
                "<table><tr><th>#</th><th>OK</th><th>Claim</th><th>Review</th><th>Computed</th></tr>"
                f"{rows}</table>")
