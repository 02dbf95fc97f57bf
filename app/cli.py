"""The one entry point: the GUI by default, sub-commands for headless jobs (check-content, simulate,
export-quiz, import-quiz)."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from app import __version__
from app.progname import program_name

SUBCOMMANDS = ("check-content", "simulate", "export-quiz", "import-quiz", "open-pack")


def _check_content(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"{program_name()} check-content",
                                     description="Validate a content directory: one file:line: message per "
                                     "problem, exit 1 if there is any.")
    parser.add_argument("dir", nargs="?", type=Path, help="content directory (default: the app's content/)")
    parser.add_argument("--source", type=Path, metavar="REVIEW.txt",
                        help="for the copying check, the review's own text instead of the fingerprint "
                        "IronBone ships (resources/review-shingles.bin)")
    args = parser.parse_args(argv)
    from app.knowledge.checks import check_all
    from app.knowledge.content import load_content
    from app.knowledge.model_io import load_model_content
    from app.knowledge.originality import Fingerprint, FingerprintError, content_files, find_copies
    from app.knowledge.problems import as_given, cause_first
    from app.knowledge.tours import load_tours
    from app.paths import content_dir, review_fingerprint
    from app.quiz.checks import check_quizzes

    root = args.dir if args.dir else content_dir()
    problems = check_all(root) + check_quizzes(root)
    pathway = load_content(root).pathway
    model_content = load_model_content(root, pathway)
    problems += load_tours(root, pathway, model_content.scenarios, model_content.treatments)[1]
    try:
        if args.source is not None:
            from app.knowledge.userfile import UserFileError, read_user_text

            try:
                text = read_user_text(args.source, limit=64 * 1024 * 1024, what="review text")
            except UserFileError as exc:
                raise FingerprintError(f"{args.source}: cannot read the review's text: {exc}") from exc
            review = Fingerprint.of_text(text)
        else:
            review = Fingerprint.load(review_fingerprint())
    except FingerprintError as exc:
        print(f"{exc} (needed for the copying check)", file=sys.stderr)
        return 1
    # A file that could not be read comes first: it is what the other problems then miss.
    problems = cause_first(problems + find_copies(content_files(root), review, root))
    given = args.dir if args.dir else _as_typed(root)
    for p in problems:
        print(as_given(p, root, given))
    if problems:
        print(f"{len(problems)} problem(s) in {given}", file=sys.stderr)
        return 1
    print(f"content OK: {given}", file=sys.stderr)
    return 0


def _as_typed(path: Path) -> Path:
    """`path` relative to the working directory when it lies below it, else absolute."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path.resolve()


def _file_kind(path: Path) -> str | None:
    """What the GUI's file argument is, by its name (a file manager passes either kind)."""
    name = path.name.lower()
    if name.endswith(".ironbone-pack"):
        return "pack"
    if name.endswith(".ironbone"):
        return "session"
    return None


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "check-content":
        return _check_content(argv[1:])
    if argv and argv[0] == "simulate":
        from app.cli_simulate import main as simulate_main

        return simulate_main(argv[1:])
    if argv and argv[0] == "open-pack":
        from app.cli_pack import main as pack_main

        return pack_main(argv[1:])
    if argv and argv[0] in ("export-quiz", "import-quiz"):
        from app.cli_quiz import main as quiz_main

        return quiz_main(argv)
    parser = argparse.ArgumentParser(
        prog=program_name(),
        description="IronBone: iron accumulation, estrogen and postmenopausal bone loss. "
        f"Sub-commands: {', '.join(SUBCOMMANDS)} (each has --help).",
    )
    parser.add_argument("--version", action="version", version=f"IronBone {__version__}")
    parser.add_argument("--smoke-test", action="store_true",
                        help="start, paint the main window once, exit 0 (non-zero on error); with "
                             "FILE.ironbone, also open and check that file (non-zero, with the reason, "
                             "if it cannot be opened)")
    parser.add_argument("--self-test", action="store_true",
                        help="start, use every feature once (tour, presentation, quiz, paths, compare, "
                             "session, export), exit 0 (non-zero naming what failed)")
    parser.add_argument("--screenshot", metavar="OUT.png", type=Path,
                        help="render the main window to a PNG and exit")
    parser.add_argument("--content", metavar="DIR", type=Path,
                        help="use another content directory (for authors)")
    parser.add_argument("session", nargs="?", type=Path, metavar="FILE",
                        help="open this saved session (.ironbone) or lesson pack (.ironbone-pack) once the "
                             "window is up")
    args = parser.parse_args(argv)
    kind = _file_kind(args.session) if args.session is not None else None
    if args.session is not None and kind is None:
        parser.error(f"{args.session}: expected a session file ending in .ironbone, a lesson pack ending in "
                     f".ironbone-pack or a sub-command ({', '.join(SUBCOMMANDS)})")
    # Start-up allocates long-lived objects only; the cyclic collector is off until the first paint
    # (see app.ui.app.settle_startup_objects), which saves about 20 ms of fruitless collections.
    collecting = gc.isenabled()
    gc.disable()
    try:
        from app.ui.app import run_gui

        if kind == "pack":
            from app.ui.packs import open_on_start as open_pack_on_start

            open_pack_on_start(args.session)  # shown, then installed only if the user says so
        elif kind == "session" and not args.smoke_test:
            from app.ui.session.files import open_on_start

            open_on_start(args.session)

        return run_gui(smoke_test=args.smoke_test, screenshot=args.screenshot,
                       content_root=args.content, self_test=args.self_test,
                       session=args.session if args.smoke_test else None)
    except Exception as exc:  # the last line of defence: say what broke, exit non-zero
        print(f"IronBone could not start: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        if collecting:
            gc.enable()  # whatever happened, e.g. no paint at all


if __name__ == "__main__":
    sys.exit(main())
