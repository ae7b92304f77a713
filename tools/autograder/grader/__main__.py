"""Command line: python -m grader --submission PATH [--results FILE] [--part auto|1|2] [--data DIR].

Run from the folder that holds grader/ and gtests/ (tools/autograder in the
repository, /autograder/source on Gradescope). Prints a table of the scores.
"""
import argparse
import os
import signal
import sys

from .grading import grade


def summary_table(results):
    lines = []
    for t in results["tests"]:
        lines.append("%6.1f / %-5.1f %-7s %s" % (t["score"], t["max_score"],
                                                  t["visibility"], t["name"]))
        if t["score"] < t["max_score"]:
            first = t["output"].splitlines()[0] if t["output"] else ""
            lines.append("%22s%s" % ("", first[:100]))
    total = sum(t["max_score"] for t in results["tests"])
    lines.append("score: %.1f / %.1f" % (results["score"], total))
    for e in results.get("leaderboard", []):
        lines.append("leaderboard: %s = %.4f" % (e["name"], e["value"]))
    return "\n".join(lines)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m grader", description=__doc__.splitlines()[0])
    p.add_argument("--submission", default="/autograder/submission",
                   help="a folder or a zip (default: Gradescope's /autograder/submission)")
    p.add_argument("--results", default="/autograder/results/results.json")
    p.add_argument("--part", default="auto", choices=["auto", "1", "2"])
    p.add_argument("--data", default=None,
                   help="the cifar-10-batches-py folder (default: beside the grader, else "
                        "part2-pytorch/data in the repository)")
    p.add_argument("--max-test-seconds", type=float, default=None,
                   help="cap every test's time limit (for quick local checks)")
    p.add_argument("--isolation", default="auto", choices=["auto", "user", "process"],
                   help="how the student's code is walled off: 'user' (a dedicated uid; needs "
                        "root), 'process' (same user, own session), 'auto' (user when root)")
    p.add_argument("--checkpoint-cache", default=None, metavar="DIR",
                   help="staff only: reuse checkpoint accuracies stored in DIR, keyed by the "
                        "SHA-256 of the checkpoint and of the model files (results.json says so)")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    log = (lambda msg: None) if args.quiet else (lambda msg: print(msg, file=sys.stderr))
    # killed (SIGTERM, Ctrl-C): unwind, so that the runner and its processes are stopped too
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    results = grade(args.submission, args.results, part=args.part, data_dir=args.data,
                    max_seconds=args.max_test_seconds, log=log, isolation=args.isolation,
                    checkpoint_cache=args.checkpoint_cache)
    if not args.quiet:
        print(results.get("output", ""))
        print(summary_table(results))
        print("results: %s" % os.path.abspath(args.results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
