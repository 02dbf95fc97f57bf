"""The one entry point: the GUI by default, sub-commands for headless jobs (see DESIGN.md)."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from app import __version__

SUBCOMMANDS = ("check-content", "simulate", "export-quiz", "import-quiz")


def _check_content(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m app check-content",
                                     description="Validate a content directory.")
    parser.add_argument("dir", nargs="?", help="content directory (default: the app's content/)")
    parser.add_argument("--source", type=Path, help="the review's text, for the copying check "
                        "(default: ../shared/source/review-cai-2023.txt when present)")
    args = parser.parse_args(argv)
    from app.knowledge.content import check_content
    from app.knowledge.originality import content_files, find_copies
    from app.paths import content_dir, review_source
    from app.quiz.bank import check_bank

    root = Path(args.dir) if args.dir else content_dir()
    problems = check_content(root) + check_bank(root)
    from app.knowledge.content import load_content
    from app.knowledge.model_io import load_model_content
    from app.knowledge.tours import load_tours

    pathway = load_content(root).pathway
    model_content = load_model_content(root, pathway)
    problems += load_tours(root, pathway, model_content.scenarios, model_content.treatments)[1]
    source = args.source or review_source()
    if source is not None:
        try:
            text = source.read_text(encoding="utf-8")
        except OSError as exc:
            print(f"{source}:1: cannot read the review for the copying check: {exc}", file=sys.stderr)
            return 1
        problems = sorted(problems + find_copies(content_files(root), text, root))
    else:
        print("note: review text not found; the copying check was skipped", file=sys.stderr)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {root}", file=sys.stderr)
        return 1
    print(f"content OK: {root}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "check-content":
        return _check_content(argv[1:])
    if argv and argv[0] == "simulate":
        from app.cli_simulate import main as simulate_main

        return simulate_main(argv[1:])
    if argv and argv[0] in ("export-quiz", "import-quiz"):
        from app.cli_quiz import main as quiz_main

        return quiz_main(argv)
    parser = argparse.ArgumentParser(
        prog="python -m app",
        description="IronBone: iron accumulation, estrogen and postmenopausal bone loss. "
        f"Sub-commands: {', '.join(SUBCOMMANDS)} (each has --help).",
    )
    parser.add_argument("--version", action="version", version=f"IronBone {__version__}")
    parser.add_argument("--smoke-test", action="store_true",
                        help="start, paint the main window once, exit 0 (non-zero on error)")
    parser.add_argument("--self-test", action="store_true",
                        help="start, use every feature once (tour, presentation, quiz, paths, compare, "
                             "session, export), exit 0 (non-zero naming what failed)")
    parser.add_argument("--screenshot", metavar="OUT.png", type=Path,
                        help="render the main window to a PNG and exit")
    parser.add_argument("--content", metavar="DIR", type=Path,
                        help="use another content directory (for authors)")
    parser.add_argument("session", nargs="?", type=Path, metavar="FILE.ironbone",
                        help="open this saved session once the window is up")
    args = parser.parse_args(argv)
    if args.session is not None and args.session.suffix.lower() != ".ironbone":
        parser.error(f"{args.session}: expected a session file ending in .ironbone "
                     f"or a sub-command ({', '.join(SUBCOMMANDS)})")
    # Start-up allocates long-lived objects only; the cyclic collector is off until the first paint
    # (see app.ui.app.settle_startup_objects), which saves about 20 ms of fruitless collections.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from app.ui.app import run_gui

        if args.session is not None:
            from app.ui.session.files import open_on_start

            open_on_start(args.session)

        return run_gui(smoke_test=args.smoke_test, screenshot=args.screenshot,
                       content_root=args.content, self_test=args.self_test)
    except Exception as exc:  # the last line of defence: say what broke, exit non-zero
        print(f"IronBone could not start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        if collecting:
            gc.enable()  # whatever happened, e.g. no paint at all


if __name__ == "__main__":
    sys.exit(main())
