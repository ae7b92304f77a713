"""Grade one submission (a folder or a zip) and write results.json.

The part is recognised from the submission's contents (Part 1: modules/ and
optimizer/; Part 2: models/, losses/, solver.py, checkpoints/, configs/), or
forced with part='1' / '2'. Every test of gtests/part<N>/ is discovered in
this process (without importing any student code), run by sandbox.run_tests
in subprocesses, and turned into one entry of results.json.
"""
import importlib
import os
import pkgutil
import shutil
import tempfile
import time
import traceback
import unittest
import zipfile

from . import sandbox
from .results import make_results, write_results

REPO = os.path.dirname(os.path.dirname(sandbox.GRADER_SOURCE))  # when run from the repository

PARTS = {
    "1": dict(
        title="Part 1 (CNN from scratch)", folder="part1-convnet",
        packages=["modules", "optimizer"],
        # what a Part 1 zip holds (the handout's list)
        expected=["modules/__init__.py", "modules/convolution.py", "modules/max_pool.py",
                  "modules/relu.py", "modules/linear.py", "modules/softmax_ce.py",
                  "modules/conv_classifier.py", "optimizer/__init__.py",
                  "optimizer/_base_optimizer.py", "optimizer/sgd.py"],
        signs=["modules", "optimizer"],
        support=[]),
    "2": dict(
        title="Part 2 (PyTorch)", folder="part2-pytorch",
        packages=["models", "losses"],
        expected=["solver.py", "models/__init__.py", "models/twolayer.py", "models/cnn.py",
                  "models/my_model.py", "models/resnet.py", "losses/__init__.py",
                  "losses/focal_loss.py", "configs/config_twolayer.yaml",
                  "configs/config_vanilla_cnn.yaml", "configs/config_mymodel.yaml",
                  "checkpoints/twolayernet.pth", "checkpoints/vanillacnn.pth",
                  "checkpoints/mymodel.pth"],
        signs=["models", "losses", "solver.py", "checkpoints", "configs"],
        # files of the part that students do not submit but solver.py imports
        support=["data", "cs7643"]),
}
ALL_SIGNS = {s for p in PARTS.values() for s in p["signs"]}
MAX_UNZIPPED = 2 << 30


class SubmissionError(ValueError):
    """The submission cannot be read at all (no such file, not a zip, unsafe zip)."""


# ---------------------------------------------------------------- finding the submission
def _extract(zip_path, dest):
    """Unpack a zip safely: no absolute paths, no '..', no links, at most MAX_UNZIPPED bytes."""
    try:
        with zipfile.ZipFile(zip_path) as z:
            members = z.infolist()
            if sum(m.file_size for m in members) > MAX_UNZIPPED:
                raise SubmissionError("%s unpacks to more than 2 GB" % os.path.basename(zip_path))
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
        base = submission
        zips = [f for f in sorted(os.listdir(base)) if f.lower().endswith(".zip")]
        if not set(os.listdir(base)) & ALL_SIGNS and zips:  # a zip uploaded inside the upload
            base = os.path.join(scratch, "unzipped")
            for z in zips:
                _extract(os.path.join(submission, z), base)
    else:
        raise SubmissionError("there is no submission at %s" % submission)
    return find_root(base)


def detect_parts(root):
    names = set(os.listdir(root))
    return [p for p, spec in PARTS.items() if names & set(spec["signs"])]


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
                case = cls(attr)
                specs.append(dict(id=case.id(), name=case.shortDescription() or attr, **info))
    return specs


# ---------------------------------------------------------------- outcomes -> entries
def _entry(spec, outcome):
    """One results.json test entry from a test's spec and what happened when it ran."""
    status = outcome.get("status")
    message = (outcome.get("message") or "").strip()
    printed = (outcome.get("stdout") or "").strip()
    tampered = outcome.get("tampered") or []
    ok = status == "pass" and not printed and not tampered
    lines = []
    if printed:
        lines.append("0 points: your code printed to stdout during this test, and graded files "
                     "must print nothing (the handout gives 0 to code that prints). It printed:\n"
                     + printed[:500] + ("\n..." if len(printed) > 500 else ""))
    if tampered:
        lines.append("0 points: your code wrote into the grader's folders, which is not allowed:\n  "
                     + "\n  ".join(tampered[:10]))
    if status == "pass":
        lines.append(("The checks themselves passed." if lines else "Passed.")
                     + (" " + message if message else ""))
    elif status == "timeout":
        lines.append("Time limit: " + message)
    else:
        lines.append(message or "failed (%s)" % status)
    return dict(name=spec["name"], score=spec["points"] if ok else 0.0,
                max_score=spec["points"], visibility=spec["visibility"],
                output="\n".join(lines))


# ---------------------------------------------------------------- one part
def default_data_dir():
    """The CIFAR-10 test set: beside the grader (Gradescope), else Part 2's data (repository)."""
    for d in (os.path.join(sandbox.GRADER_SOURCE, "data", "cifar-10-batches-py"),
              os.path.join(REPO, "part2-pytorch", "data", "cifar-10-batches-py")):
        if os.path.isdir(d):
            return d
    return None


def support_paths(part):
    """The part's non-submitted files: bundled beside the grader, else from the repository."""
    spec = PARTS[part]
    bundled = os.path.join(sandbox.GRADER_SOURCE, "support", spec["folder"])
    base = bundled if os.path.isdir(bundled) else os.path.join(REPO, spec["folder"])
    return [os.path.join(base, s) for s in spec["support"]]


def grade_part(part, root, data_dir, guard, max_seconds=None, log=print):
    """Grade `root` as Part `part`; returns (test entries, summary lines, leaderboard)."""
    spec = PARTS[part]
    specs = discover(part)
    missing = [f for f in spec["expected"] if not os.path.isfile(os.path.join(root, f))]
    summary = ["%s: %d tests." % (spec["title"], len(specs))]
    if missing:
        summary.append("Missing from your submission (expected at the top level of the zip): "
                       + ", ".join(missing))
    outcomes, runnable = {}, []
    for s in specs:
        absent = [f for f in s["requires"] if not os.path.isfile(os.path.join(root, f))]
        if absent:
            outcomes[s["id"]] = dict(status="error", message="Not graded: your submission has no "
                                     + ", ".join(absent) + ".")
        else:
            runnable.append(s)
    t0 = time.time()
    outcomes.update(sandbox.run_tests(runnable, root, support=support_paths(part),
                                      packages=spec["packages"], data_dir=data_dir, guard=guard,
                                      max_seconds=max_seconds, log=log))
    log("%s: ran %d tests in %.1f s" % (spec["title"], len(runnable), time.time() - t0))
    entries, board = [], {}
    for s in specs:
        outcome = outcomes.get(s["id"], dict(status="error", message="not run (grader error)"))
        entries.append(_entry(s, outcome))
        for e in outcome.get("leaderboard") or []:
            board[e["name"]] = e
    return entries, summary, list(board.values())


# ---------------------------------------------------------------- everything
def grade(submission, results_path, part="auto", data_dir=None, max_seconds=None, log=print):
    """Grade a submission and write results.json; returns the results object.

    Never raises for a bad submission: whatever happens, a valid results.json is written.
    """
    t0 = time.time()
    data_dir = data_dir or default_data_dir()
    results_dir = os.path.dirname(os.path.abspath(results_path))
    os.makedirs(results_dir, exist_ok=True)  # so that the guard watches it from the start
    try:
        with tempfile.TemporaryDirectory(prefix="a2-submission-") as scratch:
            root = locate(submission, scratch)
            parts = detect_parts(root) if part == "auto" else [str(part)]
            if not parts:
                found = ", ".join(sorted(os.listdir(root))) or "nothing"
                results = make_results([], output=(
                    "Could not recognise the submission: expected modules/ and optimizer/ "
                    "(Part 1) or configs/, losses/, checkpoints/, models/ and solver.py (Part 2) "
                    "at the top level of the zip; found: %s." % found),
                    execution_time=time.time() - t0)
            else:
                guard = sandbox.Guard([sandbox.GRADER_SOURCE, results_dir, root, data_dir])
                entries, summary, board = [], [], []
                for p in parts:
                    e, s, b = grade_part(p, root, data_dir, guard, max_seconds, log)
                    entries += e
                    summary += s
                    board += b
                if "2" in parts and not board:
                    board = [dict(name="MyModel accuracy", value=0.0, order="desc")]
                results = make_results(entries, output="\n".join(summary),
                                       leaderboard=board if "2" in parts else None,
                                       execution_time=time.time() - t0)
    except SubmissionError as e:
        results = make_results([], output="Could not read the submission: %s" % e,
                               execution_time=time.time() - t0)
    except Exception:  # noqa: BLE001 -- a grader bug must still give a readable results.json
        results = make_results([], output="The autograder failed (not your fault; please tell "
                               "the staff):\n" + traceback.format_exc()[-3000:],
                               execution_time=time.time() - t0)
    write_results(results, results_path)
    return results
