"""An edge's tooltip and its row on a node's page say what backs it: sources by name ("Balogh et al.,
2018", not the key balogh2018), the kind of evidence (a review's statement only), and whether its sign
is an inference rather than a finding, or the link a gate the model requires."""

from __future__ import annotations

from PySide6.QtGui import QTextDocument


def _tip(window, source: str, target: str) -> str:  # noqa: ANN001
    item = next(e for e in window.scene.edge_items if e.edge.key == (source, target))
    doc = QTextDocument()
    doc.setHtml(item.toolTip())  # the tooltip as a reader sees it
    return doc.toPlainText()


def test_sources_are_named_not_keyed(window) -> None:
    tip = _tip(window, "labile_iron", "osteoclast")
    assert "Balogh et al., 2018" in tip and "balogh2018" not in tip
    for item in window.scene.edge_items:
        for key in item.edge.cite:
            assert window.content.references[key].short() in item.toolTip(), (item.edge.key, key)


def test_inference_gate_and_review_evidence_are_said(window) -> None:
    inferred = _tip(window, "ros", "rankl")
    assert "inference" in inferred and "not a finding" in inferred
    assert "a review's statement only" in inferred
    gate = _tip(window, "rank", "osteoclast")
    assert "gate" in gate and "needs this input" in gate
    plain = _tip(window, "bax", "cytochrome_c")
    assert "inference" not in plain and "gate" not in plain and "cell studies" in plain


def test_the_node_page_lists_the_same(window) -> None:
    window.controller.select_node("rankl")
    text = window.panel.toPlainText()
    assert "sign inferred" in text  # ROS -> RANKL
    window.controller.select_node("osteoclast")
    assert "a gate: the target needs it" in window.panel.toPlainText()  # RANK -> osteoclast
