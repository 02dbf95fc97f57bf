"""The right-click menu of a node: knock it out, clamp it high or low, release it, open its page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMenu, QWidget

from app.ui.model.controller import ModelController
from app.ui.text import no_mnemonic, tip


def node_menu(mc: ModelController, node_id: str, label: str, *, open_page: Callable[[], None],
              parent: QWidget) -> QMenu:
    """The menu for `node_id`, its current clamp ticked; the caller pops it up."""
    menu = QMenu(parent)
    menu.setAccessibleName(f"Actions for {label}")
    current = mc.clamp_mode(node_id)
    for mode, text in (("knockout", f"Knock out {label} (activity 0)"),
                       ("high", f"Clamp {label} high (activity 1)"),
                       ("low", f"Clamp {label} low (activity 0, inputs ignored)"),
                       ("release", f"Release {label}")):
        act = menu.addAction(no_mnemonic(text))
        act.setToolTip(tip(text))  # a node's label is text from the content
        act.setCheckable(mode != "release")
        act.setChecked(mode == current)
        act.setEnabled(mode != "release" or current is not None)
        act.triggered.connect(lambda _=False, m=mode: mc.clamp(node_id, m))
    menu.addSeparator()
    page = menu.addAction(no_mnemonic(f"Open the page of {label}"), open_page)
    page.setToolTip(tip(f"Open the page of {label}"))
    return menu
