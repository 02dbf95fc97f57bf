"""The lecturer's build-up screenshot for resources/screenshots/, made from the real app offscreen on a
1920×1080 screen: the hepcidin tour in presentation mode (F5) at its third step, when the build-up
shows only the parts introduced so far. packaging/screenshots.py runs this; on its own:
python packaging/stage_screenshots.py; another size or step to look at:
python packaging/stage_screenshots.py --shot OUT.png WIDTH HEIGHT STEP [pointer]"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from shotlib import screen_env, settle  # packaging/shotlib.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "screenshots"
TOUR = "estrogen-hepcidin-ferroportin"
SHOTS = {"lecture-build-up.png": (1920, 1080, 3)}  # name: width, height, step (1-based)


def one(out: Path, step: int, pointer: bool) -> None:
    """In a process of its own, on the configured screen: the tour at `step` while presenting."""
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from app.knowledge.content import load_content
    from app.paths import content_dir
    from app.ui.app import create_window

    app = QApplication(sys.argv[:1])
    window = create_window(load_content(content_dir()))
    window.showMaximized()
    settle(app, lambda: window.model_controller is not None and window.controller.location is not None)
    lecture = window.features["lecture"]
    lecture.start_tour(TOUR)
    for _ in range(step - 1):
        lecture.runner.next()
    window.model_controller.finish_play()
    lecture.presentation.enter()
    settle(app)
    window.view.fit_all()
    settle(app)
    if pointer:  # the spotlight on hepcidin, as after a click there
        lecture.stage.set_pointer(True)
        lecture.stage.spotlight.ring_node("hepcidin")
        settle(app, seconds=1.0, until=lambda: False)
    image = window.grab()
    if not image.save(str(out)):
        raise SystemExit(f"cannot write {out}")
    print(f"{out.name}: {image.width()}×{image.height()}")
    lecture.presentation.leave()
    window.settings.save_on_close = False
    window.close()


def shoot(out: Path, width: int, height: int, step: int, pointer: bool = False) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        env = screen_env(width, height, Path(tmp))
        args = [sys.executable, __file__, "--one", str(out), str(step)] + (["pointer"] if pointer else [])
        return subprocess.run(args, env=env, cwd=ROOT, check=False).returncode


def main() -> int:
    if len(sys.argv) >= 4 and sys.argv[1] == "--one":
        one(Path(sys.argv[2]), int(sys.argv[3]), "pointer" in sys.argv[4:])
        return 0
    if len(sys.argv) >= 6 and sys.argv[1] == "--shot":
        return shoot(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), "pointer" in sys.argv[6:])
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (width, height, step) in SHOTS.items():
        code = shoot(OUT / name, width, height, step)
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
