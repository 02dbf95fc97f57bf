"""Regenerates the screenshots in resources/screenshots/ from the real app, offscreen, each on a screen
of its own size (the sizes of common laptops and projectors): python packaging/screenshots.py"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from shotlib import screen_env, settle  # packaging/shotlib.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "screenshots"

# file: (screen width, height, what is on screen, colour scheme). The window opens as on a first
# start there (maximised where 1280×800 does not fit; maximised by hand on 1920×1080).
SHOTS = {
    "start.png": (1366, 768, "start", "light"),
    "main.png": (1366, 768, "main", "light"),
    "quiz.png": (1366, 768, "quiz", "light"),
    "presentation.png": (1366, 768, "presentation", "light"),
    "1024x768.png": (1024, 768, "main", "light"),
    "1024x768-presentation.png": (1024, 768, "presentation", "light"),
    "1920x1080-light.png": (1920, 1080, "main", "light"),
    "1920x1080-dark.png": (1920, 1080, "main", "dark"),
}


def one(name: str) -> None:
    """In a process started on the right screen: make screenshot `name`."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from app.knowledge.content import load_content
    from app.paths import content_dir
    from app.ui.app import create_window

    _width, _height, scene, scheme = SHOTS[name]
    app = QApplication(sys.argv[:1])
    window = create_window(load_content(content_dir()))
    window.settings.save_on_close = False
    window.settings.place()  # as a first interactive start on this screen
    if _width >= 1920:
        window.showMaximized()  # on a large screen the preferred size leaves room: maximised, as people do
    else:
        window.show()
    settle(app, lambda: window.model_controller is not None and window.controller.location is not None)
    window.acts.set_scheme(scheme)
    mc = window.model_controller
    if scene in ("main", "presentation"):
        # Postmenopause with iron accumulation, five years on, the chain traced, hepcidin's page open.
        mc.choose_scenario("postmenopause_iron")
        mc.explain_now()
        mc.advance(5 * 365.25)
        window.controller.select_node("hepcidin")
    if scene == "quiz":  # a prediction question answered on the diagram, graded by the model
        quiz = window.features["quiz"]
        quiz.act_practice.trigger()
        quiz.panel.seed = 3
        quiz.panel.type_combo.setCurrentIndex(quiz.panel.type_combo.findData("predict"))
        quiz.panel.start_button.click()
    if scene == "presentation":  # a guided tour in presentation mode, as a class sees it
        lecture = window.features["lecture"]
        lecture.start_tour("iron-after-menopause")
        for _ in range(5):
            lecture.runner.next()
        mc.finish_play()
        lecture.presentation.enter()
    settle(app)
    if scene != "presentation":
        window.view.fit_all()
        settle(app)
    image = window.grab()
    if not image.save(str(OUT / name)):
        raise SystemExit(f"cannot write {OUT / name}")
    print(f"{name}: {image.width()}×{image.height()}")
    if scene == "presentation":
        window.features["lecture"].presentation.leave()
    window.close()


def main() -> int:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one(sys.argv[2])
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (width, height, _scene, _scheme) in SHOTS.items():
            # A fresh user: no remembered window, scheme or progress.
            env = screen_env(width, height, Path(tmp) / name)
            done = subprocess.run([sys.executable, __file__, "--one", name], env=env, cwd=ROOT, check=False)
            if done.returncode != 0:
                return done.returncode
    print(f"wrote {len(SHOTS)} screenshots in {OUT}")
    # The class poll and a build-up tour step in F5 (packaging/lecture_screenshots.py and
    # stage_screenshots.py), each in its own process and its own Qt.
    for script in ("lecture_screenshots.py", "stage_screenshots.py"):
        done = subprocess.run([sys.executable, str(Path(__file__).with_name(script))], cwd=ROOT, check=False)
        if done.returncode != 0:
            return done.returncode
    import study_screenshots  # the student's screens at 1920×1080 (packaging/study_screenshots.py)

    return study_screenshots.main()


if __name__ == "__main__":
    sys.exit(main())
