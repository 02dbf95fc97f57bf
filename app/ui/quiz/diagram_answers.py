"""How the quiz answers on the diagram: clicks on its nodes for click-the-node questions, and the QUIZ
layer that lights the right node or the path that explains a graded prediction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.quiz.questions import ClickNode, Predict, Question
from app.ui.diagram.overlays import Layer

if TYPE_CHECKING:
    from app.quiz.grading import Grade, Mark
    from app.ui.context import FeatureContext


class DiagramAnswers:
    """The quiz's side of the diagram in `ctx`: it holds no state of its own beyond the QUIZ layer."""

    def __init__(self, ctx: FeatureContext) -> None:
        self.ctx = ctx

    def labels(self) -> dict[str, str]:
        return {n.id: n.label for n in self.ctx.content.pathway.nodes}

    def connect_clicks(self, slot):  # noqa: ANN001, ANN201
        """Send the diagram's node clicks to `slot`; returns the function that stops them (once)."""
        scene = self.ctx.diagram
        scene.node_clicked.connect(slot)
        connected = [True]

        def disconnect() -> None:
            if connected[0]:
                connected[0] = False
                scene.node_clicked.disconnect(slot)

        return disconnect

    def highlight(self, nodes: set[str], edges: set[tuple[str, str]]) -> None:
        self.ctx.diagram.set_lit(Layer.QUIZ, nodes, edges)

    def clear(self) -> None:
        """Give the diagram back to the layers below (the model's "why" trace, a tour, the explorer)."""
        self.ctx.diagram.set_lit(Layer.QUIZ, None)

    def highlight_answer(self, q: Question, grade: Grade) -> None:
        """After feedback: the node that was to be clicked, or the path behind a prediction (a wrong one first)."""
        if isinstance(q, ClickNode):
            self.highlight(set(q.answers), set())
            self.ctx.view.centre_on_node(sorted(q.answers)[0])
        elif isinstance(q, Predict) and grade.marks:
            wrong = [m for m in grade.marks if not m.correct and m.path]
            with_path = wrong or [m for m in grade.marks if m.path]
            if with_path:
                self.highlight_mark(with_path[0])

    def highlight_mark(self, mark: Mark) -> None:
        """Light the chain of nodes that explains one graded prediction."""
        nodes = set(mark.path)
        edges = set(zip(mark.path, mark.path[1:], strict=False))
        self.highlight(nodes, edges)
        label = self.labels().get(mark.node, mark.node)
        self.ctx.post(f"Path to {label}: {mark.why}")
