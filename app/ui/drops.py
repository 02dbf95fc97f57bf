"""Opening a file dropped on the window: one event filter per kind of file (sessions, lesson packs),
each accepting only its own suffix, so the window takes a drag of that file anywhere on it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer


class FileDrop(QObject):
    """Accepts a dragged local file ending in `suffix` (any case) anywhere on the window it filters
    and calls `open_path` with it once the drop is done (not inside the drop event)."""

    def __init__(self, suffix: str, open_path: Callable[[Path], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.suffix, self.open_path = suffix.lower(), open_path

    def path_of(self, event) -> Path | None:  # noqa: ANN001 - a QDragEnterEvent, QDragMoveEvent or QDropEvent
        mime = event.mimeData()
        if mime is None or not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(self.suffix):
                return Path(url.toLocalFile())
        return None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if self.path_of(event) is not None:
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            path = self.path_of(event)
            if path is not None:
                event.acceptProposedAction()
                QTimer.singleShot(0, lambda: self.open_path(path))
                return True
        return False
