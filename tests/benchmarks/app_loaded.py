"""Runs IronBone until it is fully loaded (start page open, model set up, networkx graph built on
its worker thread), paints once more and exits."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QTimer  # noqa: E402

from app.knowledge.content import load_content  # noqa: E402
from app.paths import content_dir  # noqa: E402
from app.ui.app import (
    _application,  # noqa: E402
    create_window,  # noqa: E402
)

app = _application(sys.argv[:1])
window = create_window(load_content(content_dir()))
window.show()
deadline = QTimer()
deadline.setSingleShot(True)
deadline.start(30000)
result = {"loaded": False}


def _poll() -> None:
    loaded = (window.model_controller is not None and window.controller.location is not None
              and window.graph_ready.is_set())
    if loaded or not deadline.isActive():
        window.repaint()
        result["loaded"] = loaded
        app.quit()
    else:
        QTimer.singleShot(10, _poll)


QTimer.singleShot(0, _poll)
app.exec()
sys.exit(0 if result["loaded"] else 1)
