"""A broken session named on the command line (python -m app FILE.ironbone) does not stop the start:
the window comes up at the reference state and says, without blocking, what is wrong and where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.model.simulation import Inputs

CONTENT = Path(__file__).resolve().parents[3] / "content"


def _session(window):  # noqa: ANN001, ANN202
    return window.features["session"]


@pytest.mark.parametrize(("data", "expected"), [
    (b"\x89PNG\r\n\x1a\n\x00garbage", "byte 0x89 at offset 0 is not UTF-8 text"),
    (b'{"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 1' + b"0" * 400 + b', "ferritin": 50}}',
     # a whole number no float holds: it must not overflow, nor be echoed in full
     "inputs.estrogen must be between 0 and 120 % (got a number with 401 digits)"),
    (json.dumps({"format": "ironbone-session", "version": 1, "inputs": {"estrogen": 50, "ferritin": 50},
                 "timeline": [[1, 2]]}).encode(), "timeline[0]: [1, 2] should be an object"),
])
def test_a_broken_session_on_the_command_line_gives_a_message_and_the_reference_state(
        qtbot, make_window, tmp_path: Path, data: bytes, expected: str) -> None:
    from app.ui.session import files as session_ui

    path = tmp_path / "broken.ironbone"
    path.write_bytes(data)
    session_ui.open_on_start(path)
    window = make_window(CONTENT)
    qtbot.waitUntil(lambda: window.model_controller is not None)
    manager = _session(window).manager
    qtbot.waitUntil(lambda: manager.message_box is not None and manager.message_box.isVisible())
    box = manager.message_box
    assert isinstance(box, QMessageBox) and box.windowModality() != Qt.WindowModality.ApplicationModal
    assert box.text().startswith(f"Could not open {path}: ") and expected in box.text(), box.text()
    assert manager.last_message == box.text()  # also posted to the status bar (later posts may follow)
    box.close()
    assert manager.path is None and window.windowTitle() == manager.base_title
    assert window.model_controller.inputs == Inputs.reference()
