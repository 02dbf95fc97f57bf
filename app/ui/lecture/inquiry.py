"""Inquiry mode (Ctrl+I): the plots, the "why" line and the diagram's colouring are hidden so the class
predicts before it sees; Ctrl+I again reveals them. Hiding is the top overlay layer of the diagram,
so revealing shows whatever the layers below hold by then (the model's colours, a pinned run's
difference, the explorer's route), with nothing to redraw by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel

from app.ui.diagram.overlays import Layer

if TYPE_CHECKING:
    from app.ui.context import FeatureContext


class Inquiry(QObject):
    """`active` while the results are hidden; `banner` stands where the plots were."""

    changed = Signal(bool)

    def __init__(self, ctx: FeatureContext) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self.active = False
        self.banner = QLabel("<b>Results hidden.</b> What will happen to formation, resorption and "
                             "bone mass? Predict first, then press <b>Ctrl+I</b> to reveal.")
        self.banner.setWordWrap(True)
        self.banner.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.banner.setAccessibleName("Inquiry mode: results hidden")
        self.banner.setMinimumHeight(90)
        self.banner.hide()

    def toggle(self) -> None:
        self.set(not self.active)

    def set(self, on: bool) -> None:
        """Hide the plots, the "why" line, the gauge and the diagram's colouring (or show them)."""
        if on == self.active:
            return
        self.active = on
        ctx, diagram = self.ctx, self.ctx.diagram
        ctx.layout.show_instead_of_results(self.banner if on else None)
        ctx.view.set_badge("Inquiry mode: results hidden · Ctrl+I reveals" if on else None)
        mc = ctx.model()
        if on:
            diagram.set_lit(Layer.INQUIRY, ())
            diagram.set_changes(Layer.INQUIRY, {}, caption=None)
            # Edges keep the widths they had when the class was asked: a width that moved would tell.
            diagram.set_flows(Layer.INQUIRY, diagram.shown_flows())
            ctx.post("Inquiry mode: results hidden. Predict, then press Ctrl+I to reveal")
        else:
            if mc is not None:
                mc.explain_now()  # the "why" of the change the class predicted
            diagram.clear_overlay(Layer.INQUIRY)
            if mc is not None:
                ctx.post("Revealed: the plots and colours show what the model did")
        self.changed.emit(on)
