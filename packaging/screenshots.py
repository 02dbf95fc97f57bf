"""Regenerates the README's screenshots from the real app, offscreen: python packaging/screenshots.py"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.knowledge.content import load_content  # noqa: E402
from app.paths import content_dir  # noqa: E402

OUT = ROOT / "resources" / "screenshots"


def main() -> int:
    app = QApplication(sys.argv)
    from app.ui.main_window import MainWindow

    window = MainWindow(load_content(content_dir()))
    window.show()
    for _ in range(5):
        app.processEvents()
    window.view.fit_all()
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / "start.png"))
    # Postmenopause with iron accumulation, five years on, the chain traced, hepcidin's page open.
    mc = window.model_controller
    mc.choose_scenario("postmenopause_iron")
    mc.explain_now()
    mc.advance(5 * 365.25)
    window.controller.select_node("hepcidin")
    for _ in range(5):
        app.processEvents()
    window.grab().save(str(OUT / "main.png"))
    print(f"wrote {OUT / 'start.png'} and {OUT / 'main.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
