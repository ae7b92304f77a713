"""Staff command: grade the corpus and print its table.

    python -m tools.autograder.corpus [ID ...] [--part 1|2]      # from the repository root
        [--no-group] [--json FILE] [--keep DIR] [--checkpoint-cache DIR] [--check]

Prints one row per entry (id, part, kind, unit, expected, got, verdict) and the
problems of every entry that did not get its expected grade. --check also runs
each entry's independent check (torch float64 / the formulas, not the grader)
and prints whether it confirms the entry's kind. Exit status 1 if any entry
fails (entries marked xfail in corpus.json do not count).
"""
import argparse
import json
import sys
import time

from . import build, run


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m tools.autograder.corpus", description=__doc__.splitlines()[0])
    p.add_argument("ids", nargs="*", help="entry ids (default: all)")
    p.add_argument("--part", type=int, choices=[1, 2])
    p.add_argument("--no-group", action="store_true", help="one submission per entry")
    p.add_argument("--json", help="also write the verdicts to this file")
    p.add_argument("--keep", help="build and grade in this folder and keep it")
    p.add_argument("--checkpoint-cache", metavar="DIR",
                   help="the grader's checkpoint-accuracy cache (default: a fresh one per run)")
    p.add_argument("--record", action="store_true",
                   help="write each graded entry's score into corpus.json as its expected score, "
                        "where the grade obeys the rule (review the failed tests first)")
    p.add_argument("--check", action="store_true", help="run the independent checks too")
    p.add_argument("--checks-only", action="store_true", help="only the independent checks")
    args = p.parse_args(argv)
    records = build.load()
    unknown = set(args.ids) - {r["id"] for r in records}
    if unknown:
        p.error("no such entries: %s" % ", ".join(sorted(unknown)))
    chosen = [r for r in records if (not args.ids or r["id"] in args.ids)
              and (args.part is None or r["part"] == args.part)]
    bad = 0
    if args.check or args.checks_only:
        from . import checks
        for r in chosen:
            found = checks.check_entry(r)
            ok = found["confirms"]
            bad += not ok
            print("%-34s %-7s independent check %s: %s" % (
                r["id"], r["kind"], "confirms" if ok else "CONTRADICTS", found["summary"]))
        if args.checks_only:
            return 1 if bad else 0
    t0 = time.time()
    verdicts = run.run(chosen, workdir=args.keep, cache_dir=args.checkpoint_cache,
                       grouped=not args.no_group,
                       log=lambda m: print(m, file=sys.stderr))
    print(run.table(verdicts, chosen))
    print("%d entries graded in %.0f s" % (len(verdicts), time.time() - t0))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(verdicts, f, indent=1)
    if args.record:
        changed = build.record_expected(verdicts)
        print("recorded the expected score of %d entries in %s" % (len(changed), build.DATA_FILE))
    failing = [v for v in verdicts.values() if v["problems"] and not v["xfail"]]
    return 1 if failing or bad else 0


if __name__ == "__main__":
    sys.exit(main())
