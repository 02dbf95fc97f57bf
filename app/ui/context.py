"""What a feature gets from the shell, and what it promises back.

A feature (quiz, lecture, the path explorer, the comparison, sessions) is an object with a `name`
and an `install(ctx)` method. The shell calls it once, just after the first paint, with a
FeatureContext: the controllers, the diagram's overlay API, ways to add actions, menus and docks,
a status line and the settings. A feature never imports the shell or another feature (import-linter
checks both); where two need each other, they meet here: a feature that keeps something in session
files registers a SessionPart, and the session feature asks the registry, whatever the install order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QSettings, Signal

if TYPE_CHECKING:
    from PySide6.QtCore import QPointF, SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QScrollBar, QWidget

    from app.knowledge.content import Content
    from app.knowledge.render import Theme
    from app.ui.diagram.overlays import Layer
    from app.ui.learner import Learner
    from app.ui.model.controller import ModelController
    from app.ui.model.plots import PlotsPanel
    from app.ui.navigation import Controller


class Feature(Protocol):
    """A part of the app that installs itself into the shell."""

    name: str  # how the shell files it: window.features[name]

    def install(self, ctx: FeatureContext) -> None: ...


class Diagram(Protocol):
    """The diagram as features see it: their own overlay layer on each channel, clicks, the look."""

    node_clicked: SignalInstance  # node id

    def set_lit(self, layer: Layer, nodes: Iterable[str] | None, edges: Iterable[tuple[str, str]] = ()) -> None: ...

    def set_changes(self, layer: Layer, changes: Mapping[str, float] | None, caption: str | None = ...) -> None: ...

    def set_flows(self, layer: Layer, flows: Mapping[tuple[str, str], float] | None) -> None: ...

    def set_marked(self, layer: Layer, nodes: Iterable[str] | None) -> None: ...

    def set_visibility(self, layer: Layer, nodes: Iterable[str] | None, edges: Iterable[tuple[str, str]] = (),
                       mode: str | None = "dim") -> None: ...

    def clear_overlay(self, layer: Layer) -> None: ...

    def shown_flows(self) -> dict[tuple[str, str], float]: ...

    def shown(self, channel: str) -> Layer | None:
        """The layer drawn on `channel` ("lit", "changes", "flows", "marked", "hover") now."""

    def lit_edges(self) -> set[tuple[str, str]]:
        """The edges outlined now, whichever layer outlines them."""

    def set_projector_style(self, on: bool) -> None: ...


class DiagramView(Protocol):
    """Where the diagram looks."""

    def centre_on_node(self, node_id: str) -> None: ...

    def fit_all(self) -> None: ...

    def set_label_floor(self, px: float | None, *, strict: bool = False) -> None:
        """Fitting never shows node labels smaller than `px` on screen (None: the default)."""

    def set_badge(self, text: str | None) -> None:
        """A mark in the view's corner saying a mode is on (None: none)."""
    def node_point(self, node_id: str) -> QPointF | None:
        """The node's centre in the viewport, None if not drawn (the spotlight pointer rings it)."""

    def viewport(self) -> QWidget: ...  # the spotlight's ring is drawn over it

    @property
    def keyboard_cursor(self) -> str | None: ...


class WindowLayout(Protocol):
    """The window's furniture, for the features that rearrange it (presentation and inquiry modes)."""

    def hide_bars(self) -> object:
        """Hide the toolbar, menu bar, status bar and the side docks; returns what restore_bars needs."""

    def restore_bars(self, saved: object) -> None: ...

    def splitter_sizes(self) -> list[int]:
        """Widths of the diagram side and the page side."""

    def set_splitter_sizes(self, sizes: list[int]) -> None: ...

    def results_share(self) -> float | None:
        """The share of the diagram column's height that the plots have (None: automatic)."""

    def set_results_share(self, share: float | None) -> None: ...

    def page_style(self) -> tuple[str, float]:
        """The pages' colour scheme ("system", "light", "dark") and text scale."""

    def set_page_style(self, scheme: str, font_scale: float) -> None: ...

    def show_instead_of_results(self, widget: QWidget | None) -> None:
        """Show `widget` where the plots and the "why" line are; None shows them again."""

    def set_zoom_handler(self, handler: Callable[[float], None] | None) -> None:
        """Zoom in / out (Ctrl+= / Ctrl+-) call `handler(factor)` instead of zooming the diagram."""


class Pages(Protocol):
    """The page panel as features see it: pages they generate, and how far the student has read."""

    def add_generated(self, kind: str, render: Callable[[str], str],
                      follow: Callable[[str], None] | None = None) -> None:
        """Pages `kind:<id>` are `render(id)`, a whole HTML document (app.knowledge.render.document);
        links `kind:<id>` on any page call `follow(id)` (None: they open the page)."""

    def add_preface(self, kind: str, preface: Callable[[str], str]) -> None:
        """HTML inserted under the title of every page of `kind` ("topic", "node"); "" for none."""

    def refresh(self, kind: str) -> None:
        """Render the open page again if it is of `kind` (what it shows has changed)."""

    def page_theme(self) -> Theme:
        """The colours and text size pages are rendered with now."""

    def verticalScrollBar(self) -> QScrollBar:  # noqa: N802 - Qt's name
        """The open page's scroll bar: how far down the student has read."""


class SessionPart(Protocol):
    """What one feature keeps in a session file, under `key` (a field of the .ironbone format).

    Opening a file calls check() on every part first, and restore() only when no part found a
    problem, so a refused file changes nothing."""

    key: str

    def save(self) -> Any:
        """The JSON-ready value to store (None: nothing)."""

    def check(self, value: Any) -> list[str]:
        """Problems with a stored value, each naming what is wrong ([] if it can be restored)."""

    def restore(self, value: Any) -> list[str]:
        """Apply a checked value (None: the file has none); returns notes for the status line."""

    def clear(self) -> None:
        """File ▸ New session: forget what belonged to the last session (or keep it, saying why)."""


class SessionParts(QObject):
    """The registry of session parts. A part calls `changed.emit()` when its value changes."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._parts: dict[str, SessionPart] = {}

    def add(self, part: SessionPart) -> None:
        self._parts[part.key] = part

    def get(self, key: str) -> SessionPart | None:
        return self._parts.get(key)

    def __iter__(self) -> Iterator[SessionPart]:
        return iter(list(self._parts.values()))


class Library(QObject):
    """The user's own material between features: questions, tours and sessions that come from an
    import, a recording or a lesson pack. A feature that writes into the user folders says so
    (`changed`) and the features that show that material reload it; a feature that can open something
    offers it here, so that another can ask for it without importing it (None: not in this window)."""

    changed = Signal(str)  # "questions" or "tours": files in the user folders were added or removed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.open_session: Callable[[Path], bool] | None = None  # the session feature: open an .ironbone file
        self.session_bytes: Callable[[], bytes | None] | None = None  # the session feature: the state as a file
        self.start_tour: Callable[[str], bool] | None = None  # the lecture feature: start a tour by id
        # The quiz feature: start_quiz(mode, *, questions=(), question_ids=(), sections=(), title="") asks
        # the given questions (or those ids, or a draw from those sections) in the quiz panel.
        self.start_quiz: Callable[..., bool] | None = None


@dataclass(frozen=True, kw_only=True)
class FeatureContext:
    """Everything a feature may use of the shell."""

    window: QMainWindow  # parent of dialogs and docks; full screen, font and palette (presentation)
    content: Content
    navigation: Controller  # the selected node and the open page, with history
    model: Callable[[], ModelController | None]  # None until the model has loaded (model_ready)
    model_ready: SignalInstance
    closing: SignalInstance  # the window is closing (before its layout is saved)
    diagram: Diagram
    view: DiagramView
    plots: PlotsPanel
    layout: WindowLayout
    pages: Pages
    session_parts: SessionParts
    add_action: Callable[..., QAction]  # (text, slot, shortcuts=(), tip="") -> a window-wide action
    add_menu: Callable[[str, str], QMenu]  # (key, title) -> a menu in the menu bar, before Help
    add_to_menu: Callable[..., None]  # (key, *actions or menus or None for a separator) at the menu's feature place
    add_dock: Callable[..., QDockWidget]  # (title, object name, widget=None, *, accessible="", bottom=False)
    post: Callable[[str], None]  # the status line
    open_link: Callable[[str], None]  # "node:rankl", "topic:overview", an http link…
    settings: Callable[[], QSettings] = QSettings
    library: Library = field(default_factory=Library)  # user material and what features offer to open
    learner: Learner | None = None  # the student's progress file and the learning content (None: not kept)
