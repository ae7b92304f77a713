"""Run graded tests against a submission; started by grading.py in a subprocess.

    python -I worker.py CONTROL.json

CONTROL.json names the submission's working copy (this process's cwd), the
folder holding the grader's own packages, the test ids to run and the events
file. For every test the worker appends two JSON lines to the events file:
{"event": "start", "id": ...} and {"event": "done", "id": ..., "status": ...}.
If the process dies or hangs, the parent sees a "start" without its "done".
After each "done" the worker waits for one byte on the ack pipe: the parent
checks its folders for stray writes in between.

Each test runs with
- a fresh import of the student's modules (nothing cached from the last test),
- its stdout and stderr captured, both Python's and the file descriptors'
  (so that printing can be detected and reported),
- the student's packages (e.g. modules/) importable one file at a time: a
  syntax error in relu.py does not stop convolution.py from being graded.
"""
import importlib
import importlib.machinery
import io
import json
import os
import sys
import tempfile
import time
import traceback
import types
import unittest

MAX_KEEP = 4000  # characters of captured output kept per stream


def emit(events, **record):
    events.write(json.dumps(record) + "\n")
    events.flush()


# ---------------------------------------------------------------- student imports
def purge_student_modules(student_dir):
    """Forget every module loaded from the submission, so the next test imports it afresh."""
    prefix = os.path.join(os.path.realpath(student_dir), "")
    for name, mod in list(sys.modules.items()):
        try:  # some extension modules have odd __file__ / __path__ objects: skip them
            paths = [getattr(mod, "__file__", None)] + list(getattr(mod, "__path__", None) or [])
            ours = any(isinstance(p, str) and os.path.realpath(p).startswith(prefix) for p in paths)
        except Exception:  # noqa: BLE001
            ours = False
        if ours:
            del sys.modules[name]


def install_package(student_dir, package):
    """Make `package` (e.g. 'modules') importable file by file, without its __init__.py.

    `from modules.relu import ReLU` then imports relu.py alone. `from modules import
    ReLU` still works: the missing name is looked up in the package's files, in order.
    """
    folder = os.path.join(student_dir, package)
    if not os.path.isdir(folder):
        return
    pkg = types.ModuleType(package)
    pkg.__path__ = [folder]
    pkg.__package__ = package
    pkg.__spec__ = importlib.machinery.ModuleSpec(package, None, is_package=True)
    pkg.__spec__.submodule_search_locations = [folder]

    def lookup(name):
        if name.startswith("__"):
            raise AttributeError(name)
        errors = []
        for f in sorted(os.listdir(folder)):
            if f.endswith(".py") and f != "__init__.py":
                try:
                    sub = importlib.import_module("%s.%s" % (package, f[:-3]))
                except Exception as e:  # noqa: BLE001 -- a broken sibling file
                    errors.append("%s/%s: %s: %s" % (package, f, type(e).__name__, e))
                    continue
                if hasattr(sub, name):
                    return getattr(sub, name)
        raise ImportError("cannot import name %r from %s/ (no file of the package defines it%s)"
                          % (name, package, "; " + "; ".join(errors) if errors else ""))

    pkg.__getattr__ = lookup
    sys.modules[package] = pkg


# ---------------------------------------------------------------- output capture
class Capture:
    """Capture everything written to stdout/stderr, at the Python and the descriptor level."""

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.files = [tempfile.TemporaryFile(), tempfile.TemporaryFile()]
        self.saved_fds = [os.dup(1), os.dup(2)]
        for fd, f in zip((1, 2), self.files):
            os.dup2(f.fileno(), fd)
        self.saved_streams = sys.stdout, sys.stderr
        self.py = [io.StringIO(), io.StringIO()]
        sys.stdout, sys.stderr = self.py
        return self

    def __exit__(self, *exc):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 -- the student may have closed or replaced them
            pass
        sys.stdout, sys.stderr = self.saved_streams
        for fd, saved in zip((1, 2), self.saved_fds):
            os.dup2(saved, fd)
            os.close(saved)
        self.out, self.err = [], []
        for text, f, py in zip((self.out, self.err), self.files, self.py):
            f.seek(0)  # keep the start: enough to show what was printed, whatever its size
            text.append((py.getvalue()[:MAX_KEEP] + f.read(MAX_KEEP).decode("utf-8", "replace"))
                        [:MAX_KEEP])
            f.close()
        self.out, self.err = self.out[0], self.err[0]
        return False


# ---------------------------------------------------------------- one test
def describe_error(exc_info, student_dir):
    """'ExcType: message' plus the student's frames of the traceback (where it went wrong)."""
    etype, value, tb = exc_info
    if etype is AssertionError:
        return str(value) or "assertion failed"
    lines = ["%s: %s" % (etype.__name__, value)]
    if isinstance(value, SystemExit):
        lines = ["the code called sys.exit(%s); graded code must not exit" % (value.code,)]
    prefix = os.path.join(os.path.realpath(student_dir), "")
    frames = [f for f in traceback.extract_tb(tb)
              if os.path.isabs(f.filename) and os.path.realpath(f.filename).startswith(prefix)]
    for f in frames[-3:]:
        lines.append("  at %s:%d in %s: %s" % (os.path.relpath(f.filename, student_dir),
                                                f.lineno, f.name, (f.line or "").strip()))
    if etype is SyntaxError and getattr(value, "filename", None):
        lines.append("  in %s, line %s" % (os.path.relpath(value.filename, student_dir), value.lineno))
    return "\n".join(lines)


class _KeepExcInfo(unittest.TestResult):
    """A TestResult that keeps the exception itself, so we can describe it our way."""

    def __init__(self):
        super().__init__()
        self.outcome = ("pass", "")

    def addFailure(self, test, err):
        self.outcome = ("fail", err)

    def addError(self, test, err):
        self.outcome = ("error", err)

    def addSkip(self, test, reason):
        self.outcome = ("skip", reason)


def main(control_path):
    with open(control_path) as f:
        ctl = json.load(f)
    student_dir = ctl["student_dir"]
    # The grader's packages first (so a student file cannot shadow them), then the student's.
    sys.path[:0] = [ctl["grader_root"], student_dir]
    os.chdir(student_dir)
    os.environ["CS7643_GRADER_DATA"] = ctl.get("data_dir") or ""
    events = open(ctl["events"], "a")
    from grader import framework  # noqa: F401 -- imported before any student code runs
    loader = unittest.TestLoader()
    try:
        tests = {tid: loader.loadTestsFromName(tid) for tid in ctl["tests"]}
    except Exception:  # noqa: BLE001
        emit(events, event="fatal", message=traceback.format_exc())
        return 3
    emit(events, event="ready")
    for tid in ctl["tests"]:
        emit(events, event="start", id=tid, t=time.time())
        t0 = time.time()
        try:
            os.chdir(student_dir)  # a test may have moved it; relative paths start here
            purge_student_modules(student_dir)
            for package in ctl.get("packages", []):
                install_package(student_dir, package)
            result = _KeepExcInfo()
            with Capture() as cap:
                tests[tid].run(result)
            status, detail = result.outcome
            message = describe_error(detail, student_dir) if status in ("fail", "error") else detail
            record = dict(status=status, message=message, stdout=cap.out, stderr=cap.err[-4000:])
        except Exception:  # noqa: BLE001 -- the worker's own failure: say so, keep going
            record = dict(status="error", message="grader error (not your fault):\n"
                          + traceback.format_exc()[-2000:])
        emit(events, event="done", id=tid, seconds=time.time() - t0,
             leaderboard=framework.take_leaderboard(), **record)
        # Wait until the grader has looked at its folders, so that any change it finds
        # is charged to this test and not to the next one.
        if ctl.get("ack_fd") is not None and not os.read(ctl["ack_fd"], 1):
            return 0  # the grader has gone away
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
