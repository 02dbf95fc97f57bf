"""The overlay stack: which feature decides what the diagram shows on top of its nodes and edges.

Each kind of mark (a lit path, node tints, edge widths, marked nodes, the hover neighbourhood, which
parts are shown or faded) is a channel. A feature sets its own layer's value on a channel and clears
it again; the diagram draws, per channel, the value of the highest layer that has one. The order is
fixed, so no feature has to know which others are active, nor undo what another drew:

    inquiry > quiz > presenter > tour > explorer > why-trace > hover > model

Clearing a layer gives the channel back to whatever the layers below hold at that moment."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum


class Layer(IntEnum):
    """Who draws on the diagram, lowest first."""

    MODEL = 0  # the model's own colouring: change against the reference, signal carried by each edge
    HOVER = 10  # the hovered node and its direct neighbours
    WHY = 20  # the "why" trace of the last change of inputs
    EXPLORER = 30  # the path explorer's chosen route; the difference from a pinned run
    TOUR = 40  # the guided tour's step: its nodes and its path; its focus or build-up
    PRESENTER = 45  # the lecturer's own "Focus on selection" in presentation mode (over the tour's)
    QUIZ = 50  # the answer of a question, or the path that explains a graded prediction
    INQUIRY = 60  # results hidden until the class has predicted


class OverlayStack:
    """Holds every layer's value per channel and hands the winning one to the channel's painter.

    `painters` maps a channel name to a function that draws a value (None: the channel is empty).
    A painter is called only when what wins changes: a lower layer updating under a higher one
    costs a dictionary write."""

    def __init__(self, painters: dict[str, Callable[[object], None]]) -> None:
        self._painters = painters
        self._values: dict[str, dict[Layer, object]] = {channel: {} for channel in painters}
        self._shown: dict[str, Layer | None] = dict.fromkeys(painters)

    def set(self, channel: str, layer: Layer, value: object) -> None:
        """Set `layer`'s value on `channel`; None clears it."""
        values = self._values[channel]
        if value is None:
            if values.pop(layer, None) is None:
                return  # it had nothing there
        else:
            values[layer] = value
        top = max(values, default=None)
        if top == self._shown[channel] and top != layer:
            return  # a layer below the one shown changed: nothing on screen changes
        self._shown[channel] = top
        self._painters[channel](None if top is None else values[top])

    def clear(self, layer: Layer) -> None:
        """Clear `layer` on every channel."""
        for channel in self._values:
            if layer in self._values[channel]:
                self.set(channel, layer, None)

    def shown(self, channel: str) -> Layer | None:
        """The layer whose value is drawn on `channel` now (None: nothing)."""
        return self._shown[channel]

    def value(self, channel: str, layer: Layer) -> object:
        """`layer`'s own value on `channel`, drawn or not (None: it has none)."""
        return self._values[channel].get(layer)
