"""Grade corpus entries with the grader's command line and judge each result.

The verdict rule (issue 12, item 5), for an entry with unit prefixes U:
- every test whose name starts with none of U gets full marks;
- a variant gets full marks everywhere; a bug fails at least one test of U;
- the entry's score (full marks minus what its unit lost) equals its `expected`.

Entries of one part that touch different units are graded together in one
submission (build.groups); the tests of each unit are charged to that unit's
entry. If such a shared grading breaks the rule, its entries are graded again
one by one, so a mis-grade is always reported against a single-entry submission.
"""
import json
import os
import subprocess
import sys
import tempfile

from . import build

AUTOGRADER = os.path.dirname(build.HERE)
DATA = os.path.join(build.REPO, "part2-pytorch", "data", "cifar-10-batches-py")


def grader_options():
    """The options the grader's command line accepts today (it is being reworked)."""
    out = subprocess.run([sys.executable, "-m", "grader", "--help"], cwd=AUTOGRADER,
                         capture_output=True, text=True, timeout=120).stdout
    return {w.strip(",[]") for w in out.split() if w.startswith("--")}


def grade_folder(folder, part, workdir, cache_dir=None, options=None):
    """Run `python -m grader` on a submission folder; returns the results.json object."""
    options = grader_options() if options is None else options
    results = os.path.join(workdir, "results-%s" % os.path.basename(folder), "results.json")
    cmd = [sys.executable, "-m", "grader", "--submission", folder, "--results", results,
           "--part", str(part), "--quiet"]
    if os.path.isdir(DATA):
        cmd += ["--data", DATA]
    if cache_dir and "--checkpoint-cache" in options:
        cmd += ["--checkpoint-cache", cache_dir]
    env = dict(os.environ, OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"),
               PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run(cmd, cwd=AUTOGRADER, capture_output=True, text=True, env=env,
                          timeout=3600)
    if not os.path.isfile(results):
        raise RuntimeError("the grader wrote no results.json (exit %d):\n%s"
                           % (proc.returncode, (proc.stdout + proc.stderr)[-3000:]))
    with open(results) as f:
        return json.load(f)


def owns(entry, test_name):
    return any(test_name.startswith(p) for p in entry["unit"])


def judge(entry, tests, others=()):
    """Judge one entry from the tests of a grading; returns a verdict dict.

    `others` are the entries graded in the same submission: their units' tests are
    theirs, not this entry's, and not counted as "outside the unit".
    """
    total = sum(t["max_score"] for t in tests)
    mine = [t for t in tests if owns(entry, t["name"])]
    foreign = [t for t in tests if not owns(entry, t["name"])
               and not any(owns(o, t["name"]) for o in others)]
    lost_mine = sum(t["max_score"] - t["score"] for t in mine)
    got = total - lost_mine
    problems = []
    if not mine:
        problems.append("no test name starts with %s" % " or ".join(map(repr, entry["unit"])))
    outside = [t for t in foreign if t["score"] < t["max_score"]]
    for t in outside:
        problems.append("lost %g points outside its unit: %r: %s" % (
            t["max_score"] - t["score"], t["name"], (t.get("output") or "").splitlines()[:1]))
    failed = [t for t in mine if t["score"] < t["max_score"]]
    if entry["kind"] == "variant" and failed:
        problems.append("a correct variant lost points in: %s" % ", ".join(repr(t["name"]) for t in failed))
    if entry["kind"] == "bug" and mine and not failed:
        problems.append("a bug passed every test of its unit")
    if entry["expected"] is not None and abs(got - entry["expected"]) > 1e-6:
        problems.append("score %g, expected %g" % (got, entry["expected"]))
    return dict(id=entry["id"], part=entry["part"], kind=entry["kind"], unit=entry["unit"],
                expected=entry["expected"], got=got, total=total,
                failed=[t["name"] for t in failed], lost_outside=len(outside) > 0,
                problems=problems, xfail=entry.get("xfail"))


def run(entries, workdir=None, cache_dir=None, grouped=True, log=lambda m: None):
    """Grade `entries` (either part) and return {id: verdict}, grouping where possible."""
    own_tmp = None
    if workdir is None:
        own_tmp = tempfile.TemporaryDirectory(prefix="a2-corpus-")
        workdir = own_tmp.name
    if cache_dir is None:
        cache_dir = os.path.join(workdir, "checkpoint-cache")
        os.makedirs(cache_dir, exist_ok=True)
    options = grader_options()
    verdicts, count = {}, [0]

    def grade(members):
        count[0] += 1
        folder = os.path.join(workdir, "sub%03d" % count[0])
        build.build(members, folder)
        log("grading %s (part %d)" % (", ".join(e["id"] for e in members), members[0]["part"]))
        return grade_folder(folder, members[0]["part"], workdir, cache_dir, options)["tests"]

    try:
        for part in (1, 2):
            mine = [e for e in entries if e["part"] == part]
            for group in (build.groups(mine) if grouped else [[e] for e in mine]):
                tests = grade(group)
                found = {e["id"]: judge(e, tests, [o for o in group if o is not e]) for e in group}
                shared_fault = len(group) > 1 and any(v["problems"] for v in found.values())
                if shared_fault:  # cross-talk or a mis-grade: say which entry, on its own
                    for e in group:
                        found[e["id"]] = judge(e, grade([e]))
                verdicts.update(found)
    finally:
        if own_tmp is not None:
            own_tmp.cleanup()
    return verdicts


def table(verdicts, records):
    """A text table: id, kind, unit, expected, got, verdict (one row per entry)."""
    rows = [("id", "part", "kind", "unit", "expected", "got", "verdict")]
    for r in records:
        v = verdicts.get(r["id"])
        if v is None:
            continue
        if v["xfail"]:
            state = "XFAIL" if v["problems"] else "XPASS"
        else:
            state = "FAIL" if v["problems"] else "ok"
        rows.append((r["id"], str(r["part"]), r["kind"], " + ".join(r["unit"]),
                     "-" if r["expected"] is None else "%g" % r["expected"],
                     "%g / %g" % (v["got"], v["total"]), state))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for r in records:
        v = verdicts.get(r["id"])
        if v and v["problems"]:
            lines.append("%s %s: %s" % ("XFAIL" if v["xfail"] else "FAIL", r["id"],
                                        "; ".join(v["problems"])))
            if v["xfail"]:
                lines.append("    (known: %s)" % v["xfail"])
    return "\n".join(lines)
