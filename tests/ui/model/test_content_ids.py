"""The model's views name no content ids: the reference scenario is the one with `role: reference`
(whatever its id), and a treatment without a page of its own opens the topic page of its section."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

CONTENT = Path(__file__).resolve().parents[3] / "content"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def test_the_reference_scenario_is_found_by_its_role(qtbot, make_window, content_copy) -> None:
    _edit(content_copy / "scenarios.yaml", "  - id: premenopausal\n", "  - id: before_menopause\n")
    for tour in (content_copy / "tours").glob("*.yaml"):
        text = tour.read_text(encoding="utf-8")
        tour.write_text(text.replace("scenario: premenopausal", "scenario: before_menopause"), encoding="utf-8")
    window = make_window(content_copy)
    qtbot.waitUntil(lambda: window.model_controller is not None)
    mc = window.model_controller
    assert mc.scenario == "before_menopause"
    assert window.controls.scenario_combo.currentData() == "before_menopause"
    mc.set_estrogen(20)
    qtbot.mouseClick(window.controls.reset_button, Qt.MouseButton.LeftButton)
    assert mc.scenario == "before_menopause"
    name = mc.scenarios["before_menopause"].name
    assert window.scene.legend.changes_caption == f"Colours compared with “{name}”:"


def test_a_treatment_without_a_page_opens_its_sections_page(qtbot, make_window, content_copy) -> None:
    _edit(content_copy / "treatments.yaml", '    page: "topic:s5-2-icariin"\n', "")
    window = make_window(content_copy)
    qtbot.waitUntil(lambda: window.model_controller is not None)
    more = [b for b in window.controls.findChildren(QToolButton) if b.accessibleName().startswith("About Icariin")]
    assert len(more) == 1  # the "?" beside the treatment
    qtbot.mouseClick(more[0], Qt.MouseButton.LeftButton)
    assert window.panel.location == ("topic", "s5-2-icariin")  # section 5.2's page, found by its section
