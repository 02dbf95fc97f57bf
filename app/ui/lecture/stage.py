"""The lecturer's hands on the diagram while presenting: "Focus on selection" (fade everything but the
selected node and its neighbours), the click-to-spotlight pointer and the presenter notes window,
with their Teach-menu actions. All of them work only in presentation mode and end with it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect

from app.ui.diagram.overlays import Layer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from app.ui.context import FeatureContext
    from app.ui.lecture.notes_window import PresenterNotes
    from app.ui.lecture.presentation import Presentation
    from app.ui.lecture.spotlight import Spotlight
    from app.ui.lecture.tours import TourPanel, TourRunner

FOCUS_KEYS = ["Ctrl+Shift+F"]
POINTER_KEYS = ["P"]  # not L: on the diagram L steps through a node's links

Screens = Callable[[], Sequence[QRect]]  # the available geometry of every screen


class Stage(QObject):
    """Focus on selection, the spotlight pointer and the presenter notes, for one window."""

    def __init__(self, ctx: FeatureContext, runner: TourRunner, menu: QMenu,
                 tour_panel: Callable[[], TourPanel | None], screens: Screens | None = None) -> None:
        super().__init__(ctx.window)
        self.ctx = ctx
        self.runner = runner
        self._tour_panel = tour_panel
        self.screens = screens  # None: the machine's own; tests set fake ones (read at each use)
        self.presentation: Presentation | None = None
        self.focused: frozenset[str] = frozenset()
        self._spotlight: Spotlight | None = None
        self._notes: PresenterNotes | None = None
        self.act_focus_selection = ctx.add_action(
            "&Focus on selection", self.toggle_focus, FOCUS_KEYS,
            "While presenting: fade everything but the selected node and its neighbours; again or Esc clears")
        self.act_focus_selection.setCheckable(True)
        self.act_pointer = ctx.add_action(
            "Spotlight &pointer", self.toggle_pointer, POINTER_KEYS,
            "While presenting: a click on the diagram rings that spot for the hall (Enter rings the "
            "keyboard cursor's node) instead of selecting; P again or Esc ends it")
        self.act_pointer.setCheckable(True)
        self.act_notes = ctx.add_action(
            "Presenter &notes window", self.toggle_notes_forced, [],
            "Tour captions go to a notes window even with one screen (to rehearse); with two screens "
            "they do anyway while presenting")
        self.act_notes.setCheckable(True)
        for act in (self.act_focus_selection, self.act_pointer):
            act.setEnabled(False)  # presenting only
        menu.addSeparator()
        for act in (self.act_focus_selection, self.act_pointer, self.act_notes):
            menu.addAction(act)

    def attach(self, presentation: Presentation) -> None:
        """Presentation mode exists now (it is made on first use)."""
        self.presentation = presentation
        presentation.changed.connect(self._on_presenting)
        presentation.escape_first.append(self._escape)
        self.notes.attach(presentation)

    def _on_presenting(self, on: bool) -> None:
        for act in (self.act_focus_selection, self.act_pointer):
            act.setEnabled(on)
        if not on:
            self.clear_focus()
            self.set_pointer(False)

    def _escape(self) -> bool:
        """Esc while presenting ends the spotlight pointer, then the focus, before presentation mode."""
        if self.pointer_on:
            self.set_pointer(False)
            return True
        if self.focused:
            self.clear_focus()
            return True
        return False

    # --- focus on selection -------------------------------------------------------------------
    def toggle_focus(self) -> None:
        if self.focused:
            self.clear_focus()
            return
        node = self.ctx.navigation.selected or getattr(self.ctx.view, "keyboard_cursor", None)
        pathway = self.ctx.content.pathway
        if node is None or node not in {n.id for n in pathway.nodes}:
            self.act_focus_selection.setChecked(False)
            self.ctx.post("Focus on selection: click a node first (or move the keyboard cursor onto one)")
            return
        self.focused = frozenset(pathway.neighbours(node) | {node})
        edges = [e.key for e in pathway.edges if e.source in self.focused and e.target in self.focused]
        self.ctx.diagram.set_visibility(Layer.PRESENTER, self.focused, edges, mode="dim")
        self.act_focus_selection.setChecked(True)
        self.ctx.post(f"Focus on {pathway.node(node).name} and its neighbours; Esc or {FOCUS_KEYS[0]} clears it")

    def clear_focus(self) -> None:
        if self.focused:
            self.focused = frozenset()
            self.ctx.diagram.set_visibility(Layer.PRESENTER, None)
        self.act_focus_selection.setChecked(False)

    # --- the spotlight pointer ----------------------------------------------------------------
    @property
    def spotlight(self) -> Spotlight:
        if self._spotlight is None:
            from app.ui.lecture.spotlight import Spotlight

            self._spotlight = Spotlight(self.ctx.view, scale=lambda: self.presentation.scale
                                        if self.presentation is not None else 1.0)
            self._spotlight.enabled_changed.connect(self.act_pointer.setChecked)
        return self._spotlight

    @property
    def pointer_on(self) -> bool:
        return self._spotlight is not None and self._spotlight.enabled

    def toggle_pointer(self) -> None:
        self.set_pointer(not self.pointer_on)

    def set_pointer(self, on: bool) -> None:
        if not on and self._spotlight is None:
            self.act_pointer.setChecked(False)
            return
        if on and (self.presentation is None or not self.presentation.active):
            self.act_pointer.setChecked(False)
            return
        self.spotlight.set_enabled(on)
        if on:
            self.ctx.post("Spotlight pointer: click where the hall should look (Enter: the keyboard cursor's "
                          "node); L or Esc ends it")

    # --- presenter notes ----------------------------------------------------------------------
    @property
    def notes(self) -> PresenterNotes:
        if self._notes is None:
            from app.ui.lecture.notes_window import PresenterNotes, machine_screens

            self._notes = PresenterNotes(self.ctx.window, self.runner, self._tour_panel,
                                         screens=lambda: (self.screens or machine_screens)())
            self.ctx.closing.connect(self._notes.close)
        return self._notes

    def toggle_notes_forced(self) -> None:
        on = self.act_notes.isChecked()
        self.notes.set_forced(on)
        self.ctx.post("Presenter notes window: on during tours, even with one screen (the tour bar shows "
                      "headlines)" if on else "Presenter notes window: only while presenting on a second screen")
