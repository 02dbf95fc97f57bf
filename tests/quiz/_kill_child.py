"""Child process for the SIGKILL test: writes answers in a loop, reporting each committed row id."""

from __future__ import annotations

import sys

from app.quiz.store import ProgressStore

if __name__ == "__main__":
    store = ProgressStore(sys.argv[1])
    i = 0
    while True:
        rid = store.record_answer(f"q{i % 7}", (i % 5) / 4, response={"i": i, "pad": "x" * (i % 300)})
        sys.stdout.write(f"{rid}\n")
        sys.stdout.flush()
        i += 1
