"""The quiz sub-commands: `export-quiz --format gift|moodle-xml OUT` and `import-quiz FILE.gift|FILE.xml`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from app.cli import program_name


def _export(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog=f"{program_name()} export-quiz",
                                     description="Export the quiz bank for an LMS (Moodle GIFT or Moodle XML).")
    parser.add_argument("--format", required=True, choices=("gift", "moodle-xml"))
    parser.add_argument("--content", type=Path, help="content directory (default: the app's content/)")
    parser.add_argument("--no-generated", action="store_true", help="leave out the generated prediction questions")
    parser.add_argument("out", type=Path, help="the file to write ('-' for standard output)")
    args = parser.parse_args(argv)
    from app.paths import content_dir
    from app.quiz.bank import load_checked_bank
    from app.quiz.exchange import export_gift, export_moodle_xml, to_lms
    from app.quiz.generate import generate_predictions

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
    lms = [to_lms(q, model=model) for q in questions]
    text = export_gift(lms) if args.format == "gift" else export_moodle_xml(lms)
    if str(args.out) == "-":
        sys.stdout.write(text)
    else:
        try:
            args.out.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"error: cannot write {args.out}: {exc}", file=sys.stderr)
            return 1
        print(f"{len(lms)} questions written to {args.out} ({args.format})", file=sys.stderr)
    return 0


def _is_xml(path: Path, data: bytes) -> bool:
    head = data[:200].lstrip(b"\xef\xbb\xbf \t\r\n")
    return path.suffix.lower() == ".xml" or head.startswith((b"<?xml", b"<quiz"))


def _import(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog=f"{program_name()} import-quiz",
        description="Import questions from a Moodle GIFT or Moodle XML file into the content/quizzes YAML "
        "format. Unsupported constructs are reported with their line; the rest is imported.")
    parser.add_argument("file", type=Path, help="the GIFT or Moodle XML file (XML: ending in .xml or "
                        "starting with <?xml or <quiz)")
    parser.add_argument("--out", type=Path, help="YAML file to write (default: FILE with .yaml beside it)")
    parser.add_argument("--section", default="1", help="review section for the imported questions (default 1)")
    parser.add_argument("--page", default="topic:overview", help="page the questions link to")
    parser.add_argument("--nodes", default="bone_mass", help="comma-separated node ids they are about")
    parser.add_argument("--difficulty", type=int, default=2, choices=(1, 2, 3))
    args = parser.parse_args(argv)
    from app.quiz.exchange import import_gift, import_moodle_xml, lms_to_yaml_entry

    try:
        data = args.file.read_bytes()
        if _is_xml(args.file, data):
            result = import_moodle_xml(data)  # expat reads the encoding the file declares
        else:
            result = import_gift(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        line = exc.object[:exc.start].count(b"\n") + 1
        print(f"error: {args.file}:{line}: byte 0x{exc.object[exc.start]:02x} at offset {exc.start} is not UTF-8 "
              "text (GIFT files are UTF-8)", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    for p in result.problems:
        print(f"{args.file}:{p.line}: not imported: {p.message}", file=sys.stderr)
    if not result.questions:  # nothing to write: leave any existing output file alone
        print(f"error: {args.file}: no question could be imported ({len(result.problems)} not imported)",
              file=sys.stderr)
        return 1
    stem = "".join(c if c.isalnum() else "-" for c in args.file.stem.lower()).strip("-") or "imported"
    entries, used = [], set()
    for i, q in enumerate(result.questions, 1):
        base = "".join(c if c.isalnum() else "-" for c in q.name.lower()).strip("-")[:40] or f"q{i}"
        qid = f"imported-{stem}-{base}"
        while qid in used:
            qid = f"{qid}-{i}"
        used.add(qid)
        entries.append(lms_to_yaml_entry(q, qid))
    doc = {"defaults": {"section": args.section, "page": args.page, "difficulty": args.difficulty,
                        "nodes": [n.strip() for n in args.nodes.split(",") if n.strip()]},
           "questions": entries}
    out = args.out or args.file.with_suffix(".yaml")
    header = (f"# Imported from {args.file.name} by `python -m app import-quiz`. Check 'defaults' (section, page,\n"
              "# nodes) and the explanations, then copy the file into content/quizzes/.\n")
    try:
        out.write_text(header + yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8")
    except OSError as exc:
        print(f"error: cannot write {out}: {exc}", file=sys.stderr)
        return 1
    print(f"{len(entries)} question(s) imported to {out}; {len(result.problems)} not imported", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    """argv[0] is the sub-command: export-quiz or import-quiz."""
    if argv and argv[0] == "export-quiz":
        return _export(argv[1:])
    if argv and argv[0] == "import-quiz":
        return _import(argv[1:])
    print(f"usage: {program_name()} export-quiz|import-quiz ...", file=sys.stderr)
    return 2
