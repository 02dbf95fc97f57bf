"""Child process for the store's multi-process tests: records answers into the progress file named
by its first argument and prints each committed row id on its own line. With --on-cue it opens the
store on the first line it reads from standard input, records one answer for each line after it
and exits at its end, so the test decides when every writer opens and writes; without, it opens
at once and writes as fast as it can until it is killed."""

from __future__ import annotations

import sys

from app.quiz.store import ProgressStore

if __name__ == "__main__":
    on_cue = "--on-cue" in sys.argv[2:]
    if on_cue and not sys.stdin.readline():
        sys.exit(0)
    store = ProgressStore(sys.argv[1])
    i = 0
    while not on_cue or sys.stdin.readline():
        rid = store.record_answer(f"q{i % 7}", (i % 5) / 4, response={"i": i, "pad": "x" * (i % 300)})
        sys.stdout.write(f"{rid}\n")
        sys.stdout.flush()
        i += 1
    store.close()
