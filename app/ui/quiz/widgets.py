"""Small widget helpers the quiz panel's pages share: their push buttons and the links in their feedback."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QPushButton


def button(text: str, tip: str, slot, *, name: str = "") -> QPushButton:  # noqa: ANN001
    b = QPushButton(text)
    b.setToolTip(tip)
    b.setAccessibleName(name or text.replace("&", ""))
    b.clicked.connect(slot)
    return b


def follow_anchor(open_link: Callable[[str], object], url: QUrl) -> None:
    """A node or topic link clicked in a question's feedback or in a report opens its page."""
    kind, ident = url.scheme(), url.path()
    if kind in ("node", "topic") and ident:
        open_link(f"{kind}:{ident}")
