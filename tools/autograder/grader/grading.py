"""Grade one submission (a folder or a zip) and write results.json.

The part is recognised from the submission's contents (Part 1: modules/ and
optimizer/; Part 2: models/, losses/, solver.py, checkpoints/, configs/), or
forced with part='1' / '2'. One upload is graded as exactly one part. Every test
of gtests/part<N>/ runs in this process; the student's code runs in a separate
runner process (sandbox.Runner) that only ever sends back arrays.
"""
import importlib
import json
import os
import pkgutil
import re
import shutil
import tempfile
import time
import traceback
import unittest
import zipfile

from . import framework, sandbox
from .results_json import make_results, write_results

REPO = os.path.dirname(os.path.dirname(sandbox.GRADER_SOURCE))  # when run from the repository

def read_manifest(folder):
    """The part's manifest.json, the one place that owns its file lists: bundled beside the
    grader (build.py puts it in support/<folder>/), else the repository's."""
    bundled = os.path.join(sandbox.GRADER_SOURCE, "support", folder, "manifest.json")
    path = bundled if os.path.isfile(bundled) else os.path.join(REPO, folder, "manifest.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _part(title, folder, packages, signs):
    """How the grader names and recognises a part, and the part's file lists (manifest.json):
    expected, the files a zip holds (a missing one is named in the feedback); support, the
    given files put over the submitted copies (Part 1: given complete by the course; Part 2:
    not submitted, but solver.py imports them)."""
    manifest = read_manifest(folder)
    return dict(title=title, folder=folder, packages=packages, signs=signs,
                expected=manifest["graded"], support=manifest["given"])


PARTS = {
    "1": _part("Part 1 (CNN from scratch)", "part1-convnet", packages=["modules", "optimizer"],
               signs=["modules", "optimizer"]),
    "2": _part("Part 2 (PyTorch)", "part2-pytorch", packages=["models", "losses"],
               signs=["models", "losses", "solver.py", "checkpoints", "configs", "config"]),
}
ALL_SIGNS = {s for p in PARTS.values() for s in p["signs"]}
MAX_UNZIPPED = 2 << 30
MAX_OUTPUT = 3000  # characters of feedback per test


class SubmissionError(ValueError):
    """The submission cannot be read or graded (no such file, not a zip, wrong part...)."""


# ---------------------------------------------------------------- finding the submission
def _extract(zip_path, dest):
    """Unpack a zip safely: no absolute paths, no '..', no links, at most MAX_UNZIPPED bytes."""
    try:
        with zipfile.ZipFile(zip_path) as z:
            members = z.infolist()
            if sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise SubmissionError("%s unpacks to more than 2 GB" % os.path.basename(zip_path))
            os.makedirs(dest, exist_ok=True)
            for m in members:
                name = m.filename.replace("\\", "/")
                parts = [p for p in name.split("/") if p not in ("", ".")]
                if name.startswith("/") or ".." in parts or not parts or "__MACOSX" in parts:
                    continue
                if (m.external_attr >> 16) & 0o170000 == 0o120000:  # a symbolic link
                    continue
                target = os.path.join(dest, *parts)
                if m.is_dir():
                    os.makedirs(target, exist_ok=True)
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with z.open(m) as src, open(target, "wb") as out:
                    shutil.copyfileobj(src, out)
    except zipfile.BadZipFile as e:
        raise SubmissionError("%s is not a valid zip file (%s)" % (os.path.basename(zip_path), e))
    return dest


def find_root(base, depth=3):
    """The shallowest folder under `base` that holds a part's files (the zip may nest them)."""
    level = [base]
    for _ in range(depth + 1):
        nxt = []
        for d in level:
            names = set(os.listdir(d))
            if names & ALL_SIGNS:
                return d
            nxt += [os.path.join(d, n) for n in sorted(names)
                    if n != "__MACOSX" and os.path.isdir(os.path.join(d, n))
                    and not os.path.islink(os.path.join(d, n))]
        level = nxt
    return base


def locate(submission, scratch):
    """Return the folder holding the submitted files (unpacking zips into `scratch`)."""
    if os.path.isfile(submission):
        base = _extract(submission, os.path.join(scratch, "unzipped"))
    elif os.path.isdir(submission):
        # a copy without symbolic links: a link in the upload could point at the grader's files
        base = os.path.join(scratch, "copy")
        shutil.copytree(submission, base, symlinks=True,
                        ignore=lambda d, names: [n for n in names if os.path.islink(os.path.join(d, n))])
        zips = [f for f in sorted(os.listdir(base)) if f.lower().endswith(".zip")]
        if not set(os.listdir(base)) & ALL_SIGNS and zips:  # a zip uploaded inside the upload
            unzipped = os.path.join(scratch, "unzipped")
            for z in zips:
                _extract(os.path.join(base, z), unzipped)
            base = unzipped
    else:
        raise SubmissionError("there is no submission at %s" % submission)
    if not os.listdir(base):
        raise SubmissionError("the upload is empty (no files at all): upload the zip made by the "
                              "notebook's last cell")
    root = find_root(base)
    # the course's submit.py stores Part 2's configs as config/<name>: read them as configs/
    if os.path.isdir(os.path.join(root, "config")) and not os.path.exists(os.path.join(root, "configs")):
        shutil.copytree(os.path.join(root, "config"), os.path.join(root, "configs"))
    return root


def _count(root, part):
    return sum(os.path.isfile(os.path.join(root, f)) for f in PARTS[part]["expected"])


def detect_part(root, requested="auto"):
    """The one part this upload is graded as; SubmissionError with a clear message otherwise."""
    names = set(os.listdir(root))
    has = {p: bool(names & set(spec["signs"])) for p, spec in PARTS.items()}
    found = [p for p in PARTS if has[p]]
    listing = ", ".join(sorted(names)) or "nothing"
    if requested != "auto":
        other = "2" if requested == "1" else "1"
        if not has[requested] and has[other]:
            raise SubmissionError(
                "this looks like a %s submission (found: %s), but this assignment grades %s: upload "
                "the zip made in the %s folder here" % (PARTS[other]["title"], listing,
                                                        PARTS[requested]["title"],
                                                        PARTS[requested]["folder"]))
        if not has[requested]:
            raise SubmissionError("found none of the files of %s at the top level of the zip "
                                  "(found: %s)" % (PARTS[requested]["title"], listing))
        return requested
    if not found:
        raise SubmissionError(
            "Could not recognise the submission: expected modules/ and optimizer/ (Part 1) or "
            "configs/, losses/, checkpoints/, models/ and solver.py (Part 2) at the top level of "
            "the zip; found: %s." % listing)
    if len(found) == 2:
        c1, c2 = _count(root, "1"), _count(root, "2")
        if c1 == c2:
            raise SubmissionError("the upload holds files of both parts (found: %s): make one zip "
                                  "per part with the notebooks' last cells and upload each to its "
                                  "own assignment" % listing)
        return "1" if c1 > c2 else "2"
    return found[0]


# ---------------------------------------------------------------- the tests
def discover(part):
    """List the graded tests of a part as dicts (id, name, points, visibility, timeout, requires).

    Files come in the order of the package's ORDER list (else by name), tests in the
    order they are written, so results.json reads like the assignment.
    """
    package = importlib.import_module("gtests.part%s" % part)
    names = getattr(package, "ORDER", None) or sorted(
        i.name for i in pkgutil.iter_modules(package.__path__) if i.name.startswith("test_"))
    specs = []
    for name in names:
        module = importlib.import_module("%s.%s" % (package.__name__, name))
        for cls in vars(module).values():
            if not (isinstance(cls, type) and issubclass(cls, unittest.TestCase)
                    and cls.__module__ == module.__name__):
                continue
            for attr, method in vars(cls).items():
                if not attr.startswith("test"):
                    continue
                info = getattr(method, "__graded__", None)
                if info is None:
                    raise RuntimeError("%s.%s has no @graded(...) decorator" % (cls.__name__, attr))
                specs.append(dict(id="%s.%s" % (cls.__name__, attr), cls=cls, method=attr,
                                  name=cls(attr).shortDescription() or attr, **info))
    return specs


# ---------------------------------------------------------------- feedback
_SOURCE_LINES = None


def _hidden_source_lines():
    """Lines of the grader's test code long enough to be recognised in a message."""
    global _SOURCE_LINES
    if _SOURCE_LINES is None:
        lines = set()
        for sub in ("gtests", "grader", "probes"):
            for dirpath, _, files in os.walk(os.path.join(sandbox.GRADER_SOURCE, sub)):
                for f in files:
                    if f.endswith(".py"):
                        with open(os.path.join(dirpath, f), encoding="utf-8", errors="replace") as fh:
                            lines.update(l.strip() for l in fh if len(l.strip()) >= 24)
        _SOURCE_LINES = lines
    return _SOURCE_LINES


def scrub(text, limit=MAX_OUTPUT):
    """Feedback safe to show: no line of the grader's code, at most `limit` characters."""
    secret = _hidden_source_lines()
    out = []
    for line in text.splitlines():
        if line.strip() in secret or any(s in line for s in secret if len(s) >= 40 and s in line):
            line = "[a line of the grader's code was removed]"
        out.append(line)
    text = "\n".join(out)
    return text if len(text) <= limit else text[:limit] + "\n[... cut: feedback is capped at %d " \
        "characters]" % limit


class _Outcome(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.outcome = ("pass", None)

    def addFailure(self, test, err):
        self.outcome = ("fail", err)

    def addError(self, test, err):
        self.outcome = ("error", err)

    def addSkip(self, test, reason):
        self.outcome = ("skip", reason)


def _describe(status, err):
    """Feedback for a failed test; a grader bug says so (the student is not blamed for it)."""
    etype, value, tb = err
    if issubclass(etype, sandbox.ProbeTimeout):
        return "timeout", "Time limit: %s" % value
    if issubclass(etype, sandbox.ProbeCrash):
        return "crash", str(value)
    if issubclass(etype, AssertionError):
        return "fail", str(value) or "assertion failed"
    return "grader", "grader error (not your fault; please tell the staff): %s: %s\n%s" % (
        etype.__name__, value, "".join(traceback.format_tb(tb)[-3:]))


def _entry(spec, status, message, printed, tampered, notes):
    ok = status == "pass" and not printed.strip() and not tampered
    lines = []
    if printed.strip():
        lines.append("0 points: your code printed to stdout during this test, and graded code "
                     "must print nothing (the handout gives 0 to code that prints). It printed:\n"
                     + printed.strip()[:500] + ("\n..." if len(printed.strip()) > 500 else ""))
    if tampered:
        lines.append("0 points: your code changed the grader's files during this test, which is "
                     "not allowed (they were restored):\n  " + "\n  ".join(tampered[:10]))
    if status == "pass":
        lines.append("The checks themselves passed." if lines else "Passed.")
    else:
        lines.append(message)
    lines += notes
    text = "\n".join(lines)
    if spec["visibility"] == framework.HIDDEN or status != "pass":
        text = scrub(text)
    return dict(name=spec["name"], score=spec["points"] if ok else 0.0, max_score=spec["points"],
                visibility=spec["visibility"], output=text[:MAX_OUTPUT + 200])


# ---------------------------------------------------------------- one part
def default_data_dir():
    """The CIFAR-10 test set: beside the grader (Gradescope), else Part 2's data (repository)."""
    for d in (os.path.join(sandbox.GRADER_SOURCE, "data", "cifar-10-batches-py"),
              os.path.join(REPO, "part2-pytorch", "data", "cifar-10-batches-py")):
        if os.path.isdir(d):
            return d
    return None


def support_paths(part):
    """(source, path in the submission) of the part's given files, bundled or from the repository."""
    spec = PARTS[part]
    bundled = os.path.join(sandbox.GRADER_SOURCE, "support", spec["folder"])
    base = bundled if os.path.isdir(bundled) else os.path.join(REPO, spec["folder"])
    return [(os.path.join(base, s), s) for s in spec["support"]]


def grade_part(part, root, runner, guard, max_seconds=None, log=print):
    """Grade `root` as Part `part`; returns (test entries, summary lines, leaderboard)."""
    spec = PARTS[part]
    specs = discover(part)
    missing = [f for f in spec["expected"] if not os.path.isfile(os.path.join(root, f))]
    summary = ["%s: %d tests." % (spec["title"], len(specs))]
    if missing:
        summary.append("Missing from your submission (expected at the top level of the zip): "
                       + ", ".join(missing))
    entries, board, memo_store = [], {}, {}
    t0 = time.time()
    for s in specs:
        absent = [f for f in s["requires"] if not os.path.isfile(os.path.join(root, f))]
        if absent:
            entries.append(_entry(s, "missing", "Not graded: your submission has no %s."
                                  % ", ".join(absent), "", [], []))
            continue
        timeout = min(s["timeout"], max_seconds or s["timeout"])
        for attempt in range(2):
            # a runner that dies is given a second chance on a fresh process: a crash is
            # charged only when the student's code does it again
            session = framework.Session(runner, spec["packages"], timeout, memo_store, root)
            framework.set_session(session)
            result = _Outcome()
            try:
                s["cls"](s["method"]).run(result)
            finally:
                framework.set_session(None)
            status, detail = result.outcome
            message = ""
            if status in ("fail", "error"):
                status, message = _describe(status, detail)
            elif status == "skip":
                message = "skipped: %s" % detail
            if status != "crash":
                break
            log("%s: the runner died (%s); trying once more" % (s["name"], message.split(":")[0]))
            for key in [k for k, (_, e) in memo_store.items() if isinstance(e, sandbox.ProbeCrash)]:
                del memo_store[key]
        runner.kill_strays()
        tampered = guard.check() if guard is not None else []
        if guard is not None and not guard.blame:
            for t in tampered:
                log("changed during a test (not by the student's uid, not charged): %s" % t)
            tampered = []
        entries.append(_entry(s, status, message, session.printed, tampered, session.notes))
        for e in framework.take_leaderboard():
            board[e["name"]] = e
    log("%s: ran %d tests in %.1f s" % (spec["title"], len(specs), time.time() - t0))
    return entries, summary, list(board.values())


# ---------------------------------------------------------------- everything
def grade(submission, results_path, part="auto", data_dir=None, max_seconds=None, log=print,
          isolation="auto", checkpoint_cache=None):
    """Grade a submission and write results.json; returns the results object.

    Never raises for a bad submission: whatever happens, a valid results.json is written.
    """
    t0 = time.time()
    data_dir = data_dir or default_data_dir()
    results_path = os.path.abspath(results_path)
    results_dir = os.path.dirname(results_path)
    os.makedirs(results_dir, exist_ok=True)
    runner = None
    try:
        with tempfile.TemporaryDirectory(prefix="a2-submission-") as scratch:
            root = locate(submission, scratch)
            p = detect_part(root, str(part))
            mode, can_ns, why = sandbox.isolation_mode(isolation)
            log("isolation: %s (%s)" % (mode, why))
            extra, notes = {}, []
            from gtests.part2 import cifar_eval
            cifar_eval.configure(checkpoint_cache)
            if p == "2":
                images, _ = cifar_eval.load_test_set(data_dir)  # verified by content, every time
                extra["test_images.npy"] = images
            hide = [sandbox.GRADER_SOURCE, results_dir, data_dir, scratch]
            if os.path.isdir(os.path.join(REPO, "tools")) and can_ns:
                hide.append(REPO)
            runner = sandbox.Runner(root, support_paths(p), importlib.import_module(
                "gtests.part%s" % p).PROBES, mode=mode, can_ns=can_ns, hide=hide,
                extra_files=extra, log=log)
            watched = [os.path.join(sandbox.GRADER_SOURCE, d) for d in ("grader", "gtests", "probes")]
            data_files = [os.path.join(data_dir, "test_batch")] if data_dir and p == "2" else []
            guard = sandbox.Guard(folders=watched, files=[results_path] + data_files,
                                  blame=(mode == "process"))
            entries, summary, board = grade_part(p, root, runner, guard, max_seconds, log)
            other = "2" if p == "1" else "1"
            stray = sorted(set(os.listdir(root)) & set(PARTS[other]["signs"]))
            if stray:
                summary.insert(1, "Graded as %s only; the upload also holds %s of %s, which this "
                               "assignment ignores (upload that part to its own assignment)."
                               % (PARTS[p]["title"], ", ".join(stray), PARTS[other]["title"]))
            if p == "2":
                if not any(e["name"] == "MyModel accuracy" for e in board):
                    summary.append("Leaderboard: no MyModel accuracy (the checkpoint could not be "
                                   "evaluated), so this submission is not on the leaderboard.")
                summary += cifar_eval.cache_report()
            results = make_results(entries, output="\n".join(summary + notes),
                                   leaderboard=board if p == "2" and board else None,
                                   execution_time=time.time() - t0)
            runner.close()
            runner = None
    except SubmissionError as e:
        msg = str(e)
        results = make_results([], output=msg if msg.startswith("Could not") else
                               "Could not grade the submission: %s" % msg,
                               execution_time=time.time() - t0)
    except Exception:  # noqa: BLE001 -- a grader bug must still give a readable results.json
        results = make_results([], output="The autograder failed (not your fault; please tell "
                               "the staff):\n" + traceback.format_exc()[-3000:],
                               execution_time=time.time() - t0)
    finally:
        if runner is not None:
            runner.close()
    write_results(results, results_path)
    return results
