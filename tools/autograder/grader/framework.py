"""What the grader's test files use: points, visibility, limits, and probes of the student's code.

A graded test is a unittest test method decorated with `graded`; it runs in the
grader's process and never imports the student's code. It asks the runner (the
process where the student's code lives) to run a probe and judges what comes back::

    class TestReLU(GradedCase):
        @graded(2, requires=["modules/relu.py"])
        def test_forward(self):
            \"\"\"ReLU.forward: input of shape (3, 4, 5, 5)\"\"\"
            got = probe("relu", dict(backward=False), x=x)
            assert_close(got["out"], np.maximum(x, 0), "ReLU.forward(x ...)")

The first docstring line is the name students see on Gradescope; it starts with the
unit it grades ("Conv2D.backward: ...") so that a failure says where the bug is.
"""
import unittest

VISIBLE, HIDDEN = "visible", "hidden"
DEFAULT_TIMEOUT = 60.0  # seconds per test


def graded(points, visibility=VISIBLE, timeout=DEFAULT_TIMEOUT, requires=()):
    """Attach grading information to a test method.

    Inputs:
    - points: max score of the test
    - visibility: VISIBLE (students see the result) or HIDDEN
    - timeout: seconds the student's code may run during the test before it is stopped
    - requires: files of the submission the test needs; if one is missing the test
      is not run and the feedback names the file
    """
    if visibility not in (VISIBLE, HIDDEN):
        raise ValueError("visibility must be %r or %r, got %r" % (VISIBLE, HIDDEN, visibility))

    def mark(fn):
        fn.__graded__ = dict(points=float(points), visibility=visibility,
                             timeout=float(timeout), requires=list(requires))
        return fn
    return mark


class GradedCase(unittest.TestCase):
    """The base class of the graded tests: failure messages are ours alone."""
    longMessage = False


class StudentError(AssertionError):
    """The student's code raised, or returned something unusable; the message says where."""


# ---------------------------------------------------------------- the current test's session
class Session:
    """Set by grading.py around each test: the runner, the test's deadline, what was printed."""

    def __init__(self, runner, packages, timeout, memo_store, root=None):
        import time
        self.runner, self.packages, self.root = runner, list(packages), root
        self.deadline = time.time() + timeout
        self.timeout = timeout
        self.printed, self.stderr = "", ""
        self.memo_store = memo_store
        self.notes = []


_session = None


def set_session(session):
    global _session
    _session = session


def submission_root():
    """The folder of the submitted files, as the grader unpacked them (read it, never run it)."""
    return _session.root


def format_error(info):
    """The student's error as feedback lines: message, the call that failed, their lines."""
    lines = [str(info.get("text") or "the code failed")]
    if info.get("call"):
        lines.append("  while calling %s" % info["call"])
    for frame in info.get("frames") or []:
        lines.append("  at %s" % frame)
    return "\n".join(lines)


def probe(name, args=None, lenient=False, packages=None, **arrays):
    """Run probe `name` of the part's probe module on `arrays`; return its results (a dict).

    Raises StudentError when the student's code raised or returned something unusable.
    Time limits and crashes propagate (grading.py scores them).
    """
    import time
    from . import sandbox
    s = _session
    if s is None:
        raise RuntimeError("probe() called outside a graded test")
    seconds = max(0.5, s.deadline - time.time())
    try:
        results, out, err = s.runner.request(name, args or {}, arrays,
                                             packages=s.packages if packages is None else packages,
                                             lenient=lenient, seconds=seconds)
    except sandbox.ProbeError as e:
        printed = getattr(e, "printed", ["", ""])
        s.printed += printed[0]
        s.stderr += printed[1]
        raise StudentError(format_error(e.info))
    s.printed += out
    s.stderr += err
    return results


def memo(key, fn):
    """fn() once per grading of a submission; its result (or its error) for every test asking `key`."""
    store = _session.memo_store
    if key not in store:
        try:
            store[key] = (fn(), None)
        except (AssertionError, Exception) as e:  # noqa: BLE001 -- re-raised for every test
            store[key] = (None, e)
    value, error = store[key]
    if error is not None:
        raise error
    return value


# ---------------------------------------------------------------- leaderboard and notes
_leaderboard = {}


def leaderboard(name, value, order="desc"):
    """Report a leaderboard value (e.g. MyModel's accuracy) to the grader."""
    _leaderboard[name] = dict(name=name, value=float(value), order=order)


def take_leaderboard():
    entries = list(_leaderboard.values())
    _leaderboard.clear()
    return entries


def note(text):
    """A line for the test's feedback even when it passes (e.g. 'accuracy from the staff cache')."""
    if _session is not None and text not in _session.notes:
        _session.notes.append(text)
