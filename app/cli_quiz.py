"""The quiz sub-commands: `export-quiz --format gift|moodle-xml OUT` and `import-quiz FILE.gift|FILE.xml`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from app.progname import program_name


def _export(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"{program_name()} export-quiz",
                                     description="Export the quiz bank for an LMS (Moodle GIFT or Moodle XML).")
    parser.add_argument("--format", required=True, choices=("gift", "moodle-xml"))
    parser.add_argument("--content", type=Path, help="content directory (default: the app's content/)")
    parser.add_argument("--no-generated", action="store_true", help="leave out the generated prediction questions")
    parser.add_argument("--no-pictures", action="store_true",
                        help="Moodle XML: click-the-node questions in words alone, without the diagram's picture")
    parser.add_argument("out", type=Path, help="the file to write ('-' for standard output)")
    args = parser.parse_args(argv)
    from app.knowledge.content import load_content
    from app.paths import content_dir
    from app.quiz.bank import load_checked_bank
    from app.quiz.exchange import GIFT_TEXT_ONLY, export_gift, export_moodle_xml, is_click_node, to_lms
    from app.quiz.generate import generate_predictions
    from app.quiz.lmsnames import ReaderNames

    root = args.content or content_dir()
    bank, model = load_checked_bank(root)
    for p in bank.problems:
        print(f"warning: {p} (question skipped)", file=sys.stderr)
    if model is None:
        print(f"error: the model cannot be built from the content; run `{program_name()} check-content`",
              file=sys.stderr)
        return 1
    questions = list(bank.questions)
    if not args.no_generated:
        questions += generate_predictions(model)
    names = ReaderNames.of(load_content(root))
    pictures = args.format == "moodle-xml" and not args.no_pictures
    diagram = _diagram(model.pathway) if pictures else None
    lms = [to_lms(q, model=model, names=names, diagram=diagram) for q in questions]
    text = export_gift(lms) if args.format == "gift" else export_moodle_xml(lms)
    clicks = sum(is_click_node(q) for q in lms)
    if str(args.out) == "-":
        sys.stdout.write(text)
    else:
        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.out}: {exc}", file=sys.stderr)
            return 1
        print(f"{len(lms)} questions written to {args.out} ({args.format})", file=sys.stderr)
    if clicks and any(q.figure is not None for q in lms):
        print(f"note: the {clicks} click-the-node questions show IronBone's diagram as a picture", file=sys.stderr)
    elif clicks and args.format == "gift":
        print(f"note: {GIFT_TEXT_ONLY} ({clicks} questions)", file=sys.stderr)
    elif clicks:
        print(f"note: the {clicks} click-the-node questions ask for the node's name in words alone, without the "
              "diagram", file=sys.stderr)
    return 0


def _diagram(pathway):  # noqa: ANN001, ANN202 - app.model.pathway.Pathway -> app.quiz.exchange.DiagramPng
    """The picture of every click-the-node question: the diagram as a new window shows it (nothing
    selected, nothing lit, so no answer given away), drawn offscreen once and shared."""
    png: list[bytes | None] = []

    def picture(_question) -> bytes | None:  # noqa: ANN001 - every question shows the same unmarked diagram
        if not png:
            try:
                from app.ui.diagram.render import diagram_png

                png.append(diagram_png(pathway))
            except (ImportError, OSError) as exc:  # no Qt here, or Qt could not write the PNG
                print(f"warning: cannot draw the diagram ({exc}); the click-the-node questions are written in "
                      "words alone", file=sys.stderr)
                png.append(None)
        return png[0]

    return picture


def _import(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"{program_name()} import-quiz",
        description="Import questions from a Moodle GIFT or Moodle XML file into the content/quizzes YAML "
        "format. What IronBone cannot hold as Moodle does is reported with its line; the rest is imported, "
        "checked by the question bank's own loader before anything is written.")
    parser.add_argument("file", type=Path, help="the GIFT or Moodle XML file (XML: ending in .xml or "
                        "starting with <?xml or <quiz)")
    parser.add_argument("--out", type=Path, help="YAML file to write (default: FILE with .yaml beside it)")
    parser.add_argument("--force", action="store_true", help="overwrite the default output file if it exists")
    parser.add_argument("--content", type=Path, help="content directory to check against (default: the app's)")
    parser.add_argument("--section", default="1", help="review section for the imported questions (default 1)")
    parser.add_argument("--page", default="topic:overview", help="page the questions link to")
    parser.add_argument("--nodes", default="bone_mass", help="comma-separated node ids they are about")
    parser.add_argument("--difficulty", type=int, default=2, choices=(1, 2, 3))
    args = parser.parse_args(argv)
    from app.knowledge.userdata import atomic_write, slug
    from app.knowledge.userfile import UserFileError, read_user_bytes
    from app.paths import content_dir
    from app.quiz.bank import BankContext, load_checked_bank
    from app.quiz.exchange import import_file_bytes, looks_like_xml
    from app.quiz.userbank import MAX_IMPORT_BYTES, convert

    out = args.out or args.file.with_suffix(".yaml")
    try:
        data = read_user_bytes(args.file, limit=MAX_IMPORT_BYTES, what="quiz file")
    except UserFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    xml = looks_like_xml(args.file.name, data)
    if not xml:
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[:exc.start].count(b"\n") + 1
            print(f"error: {args.file}:{line}: byte 0x{data[exc.start]:02x} at offset {exc.start} is not UTF-8 text "
                  "(GIFT files are UTF-8)", file=sys.stderr)
            return 1
    result = import_file_bytes(data, xml=xml)
    root = args.content or content_dir()
    bank, model = load_checked_bank(root)
    ctx = BankContext.of(root, pathway=model.pathway if model is not None else None, model=model)
    defaults = {"section": args.section, "page": args.page, "difficulty": args.difficulty,
                "nodes": [n.strip() for n in args.nodes.split(",") if n.strip()]}
    stem = slug(args.file.stem)
    notes: list = []
    incoming, refused = convert(result, stem=stem, ctx=ctx, defaults=defaults, name=args.file.name,
                                taken=[q.id for q in bank.questions], notes=notes)
    for r in refused:
        print(f"{args.file}:{r.line}: not imported: {r.reason}", file=sys.stderr)
    for n in notes:
        print(f"{args.file}:{n.line}: note: {n.reason}", file=sys.stderr)
    if not incoming:  # nothing to write: leave any existing output file alone
        print(f"error: {args.file}: no question could be imported ({len(refused)} not imported)", file=sys.stderr)
        return 1
    if args.out is None and out.exists() and not args.force:
        print(f"error: {out} exists; give --out for another file, or --force to overwrite it", file=sys.stderr)
        return 1
    entries = []
    for n, inc in enumerate(incoming, 1):
        entry = dict(inc.entry)
        entry["id"] = f"imported-{stem}-{n}"
        entries.append(entry)
    doc = {"defaults": defaults, "questions": entries}
    header = (f"# Imported from {args.file.name} by `python -m app import-quiz`. Check 'defaults' (section, page,\n"
              "# nodes) and the explanations, then copy the file into content/quizzes/.\n")
    try:
        atomic_write(out, (header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)).encode())
    except OSError as exc:
        print(f"error: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"{len(entries)} question(s) imported to {out}; {len(refused)} not imported", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    """argv[0] is the sub-command: export-quiz or import-quiz."""
    if argv and argv[0] == "export-quiz":
        return _export(argv[1:])
    if argv and argv[0] == "import-quiz":
        return _import(argv[1:])
    print(f"usage: {program_name()} export-quiz|import-quiz ...", file=sys.stderr)
    return 2
