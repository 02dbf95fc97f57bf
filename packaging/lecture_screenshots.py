"""The lecturer's class poll for resources/screenshots/, made from the real app offscreen in
presentation mode (F5): a prediction polled, the hands counted and the answer revealed with its traced
path on the diagram. packaging/screenshots.py runs this; on its own:
python packaging/lecture_screenshots.py [WIDTH HEIGHT OUT.png] (1920×1080 into lecture-poll.png by default)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from shotlib import settle  # packaging/shotlib.py, beside this script

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "screenshots"
QUESTION = "pred-menopause-hepcidin"  # estrogen falls: hepcidin, ROS and NF-κB rise
COUNTS = ("A", 61), ("B", 38), ("C", 14)  # a show of hands for the first target


def poll(width: int = 1920, height: int = 1080, out: Path = OUT / "lecture-poll.png") -> Path:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    from app.knowledge.content import load_content
    from app.paths import content_dir
    from app.ui.app import create_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_window(load_content(content_dir()))
    window.show()
    settle(app, lambda: window.model_controller is not None)
    lecture = window.features["lecture"]
    lecture.presentation.enter()
    window.showNormal()  # the offscreen screen is small: the projector's size instead
    window.resize(width, height)
    settle(app)
    class_poll = lecture.poll
    question = next(q for q in class_poll.questions() if q.id == QUESTION)
    class_poll.open(question)
    for letter, count in COUNTS:
        class_poll.set_count(letter, str(count))
    class_poll.reveal()
    settle(app)
    window.view.fit_all()
    settle(app)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise SystemExit(f"cannot write {out}")
    class_poll.close()
    lecture.presentation.leave()
    window.close()
    return out


def main() -> int:
    args = sys.argv[1:]
    path = poll(int(args[0]), int(args[1]), Path(args[2])) if len(args) == 3 else poll()
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
