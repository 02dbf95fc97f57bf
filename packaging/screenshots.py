"""Regenerates the README's screenshots from the real app, offscreen: python packaging/screenshots.py"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.knowledge.content import load_content  # noqa: E402
from app.paths import content_dir  # noqa: E402

OUT = ROOT / "resources" / "screenshots"


def _settle(app: QApplication, until=lambda: True, seconds: float = 10.0) -> None:  # noqa: ANN001
    """Run the event loop until `until()` holds (the model loads just after the first paint)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if until():
            break
        time.sleep(0.01)
    for _ in range(10):
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    app = QApplication(sys.argv)
    from app.ui.app import create_window

    window = create_window(load_content(content_dir()))
    window.resize(1280, 800)
    window.show()
    _settle(app, lambda: window.model_controller is not None and window.controller.location is not None)
    window.view.fit_all()
    OUT.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(OUT / "start.png"))
    # Postmenopause with iron accumulation, five years on, the chain traced, hepcidin's page open.
    mc = window.model_controller
    mc.choose_scenario("postmenopause_iron")
    mc.explain_now()
    mc.advance(5 * 365.25)
    window.controller.select_node("hepcidin")
    _settle(app)
    window.grab().save(str(OUT / "main.png"))
    # A practice question answered on the diagram: predict the direction, graded by the model.
    mc.reset_all()
    window.features["quiz"].act_practice.trigger()
    panel = window.features["quiz"].panel
    panel.seed = 3
    panel.type_combo.setCurrentIndex(panel.type_combo.findData("predict"))
    panel.start_button.click()
    _settle(app)
    window.grab().save(str(OUT / "quiz.png"))
    window.features["quiz"].dock.hide()
    # A guided tour in presentation mode, as a class sees it on the projector.
    window.features["lecture"].start_tour("iron-after-menopause")
    for _ in range(5):
        window.features["lecture"].runner.next()
    mc.finish_play()
    window.features["lecture"].presentation.enter()
    window.showNormal()
    window.resize(1600, 900)
    _settle(app)
    window.view.fit_all()
    _settle(app)
    window.grab().save(str(OUT / "presentation.png"))
    window.features["lecture"].presentation.leave()
    window.close()
    print(f"wrote start.png, main.png, quiz.png and presentation.png in {OUT}")
    import stage_screenshots  # a tour's build-up in presentation mode at 1920×1080
    import study_screenshots  # the student's screens at 1920×1080 (packaging/study_screenshots.py)

    return study_screenshots.main() or stage_screenshots.main()


if __name__ == "__main__":
    sys.exit(main())
