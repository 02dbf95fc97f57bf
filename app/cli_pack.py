"""The `open-pack FILE` sub-command: show what a lesson pack holds and, with --yes, install it into the
user folders (questions, tours, session) of this profile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m app open-pack",
                                     description="Check a lesson pack (.ironbone-pack) and show what it holds; "
                                     "with --yes, install it into your IronBone folders.")
    parser.add_argument("file", type=Path, help="the .ironbone-pack file")
    parser.add_argument("--yes", action="store_true", help="install it (without --yes nothing is written)")
    parser.add_argument("--content", type=Path, help="content directory to check against (default: the app's)")
    args = parser.parse_args(argv)
    from app.knowledge.model_io import load_model_content
    from app.knowledge.pathway_io import load_pathway
    from app.knowledge.tours import known_ids
    from app.knowledge.userdata import data_dir
    from app.paths import content_dir
    from app.quiz import pack
    from app.quiz.bank import BankContext, load_bank

    root = args.content or content_dir()
    pathway, _ = load_pathway(root / "pathway.yaml", "pathway.yaml")
    mc = load_model_content(root, pathway)
    if mc.model is None:
        print("error: the model cannot be built from the content; run `python -m app check-content`", file=sys.stderr)
        return 1
    ctx = BankContext.of(root, pathway=pathway, model=mc.model)
    known = known_ids(root, pathway, list(mc.scenarios), list(mc.treatments))
    builtin = load_bank(root, pathway=pathway, model=mc.model)
    try:
        pv = pack.read_pack(args.file, ctx=ctx, known=known, treatments=list(mc.treatments),
                            nodes=list(pathway.node_ids), scenarios=list(mc.scenarios),
                            taken_question_ids=[q.id for q in builtin.questions])
    except pack.PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    by = f" by {pv.author}" if pv.author else ""
    print(f"{pv.source}: “{pv.title}”{by}, made {pv.created or 'at an unknown time'}")
    for pq in pv.questions:
        print(f"  questions/{pq.name}: {len(pq.questions)} question(s)")
    for pt in pv.tours:
        print(f"  tour “{pt.tour.title}”: {len(pt.tour.steps)} steps")
    if pv.session is not None:
        print("  a session (sliders, treatments, page and pinned runs)")
    if not args.yes:
        print("Nothing installed: run again with --yes to install it.")
        return 0
    try:
        done = pack.install_pack(pv)
    except OSError as exc:
        print(f"error: cannot install into {data_dir()}: {exc.strerror or exc}; nothing installed", file=sys.stderr)
        return 1
    print(f"Installed into {data_dir()}: {len(done.question_ids)} question(s), {len(done.tour_ids)} tour(s)"
          + (f", session {done.session_file.name}" if done.session_file else ""))
    return 0
