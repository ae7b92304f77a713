"""What the grader's test files use: points, visibility, limits, and student imports.

A graded test is a unittest test method decorated with `graded`::

    class TestReLU(GradedCase):
        @graded(2, requires=["modules/relu.py"])
        def test_forward(self):
            \"\"\"ReLU forward matches torch.relu\"\"\"
            ReLU = student("modules.relu", "ReLU")
            ...

The first docstring line is the name students see on Gradescope. Student code
is imported inside the test (never at the top of a test file) so that every
test gets a fresh import and its own print and error checks.
"""
import contextlib
import importlib
import io
import sys
import unittest

VISIBLE, HIDDEN = "visible", "hidden"
DEFAULT_TIMEOUT = 60.0  # seconds per test


def graded(points, visibility=VISIBLE, timeout=DEFAULT_TIMEOUT, requires=()):
    """Attach grading information to a test method.

    Inputs:
    - points: max score of the test
    - visibility: VISIBLE (students see the result) or HIDDEN
    - timeout: seconds the test may run before it is stopped and scored 0
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


def student(module, *names):
    """Import `module` from the submission and return the attributes `names` (one or a tuple).

    A missing attribute raises AssertionError saying what the submission lacks.
    """
    mod = importlib.import_module(module)
    found = []
    for name in names:
        if not hasattr(mod, name):
            raise AssertionError("%s has no %s (keep the names of the starter code)"
                                 % (module.replace(".", "/") + ".py", name))
        found.append(getattr(mod, name))
    return found[0] if len(found) == 1 else tuple(found)


class GradedCase(unittest.TestCase):
    """The base class of the graded tests: failure messages are ours alone.

    (unittest would prefix them with its own "0.31 not greater than 0.4 : ", which
    only repeats what our message says.)
    """
    longMessage = False


# ---------------------------------------------------------------- shared, costly work
_memo = {}


def memo(key, fn):
    """Run fn() once per worker and return its result to every test that asks for `key`.

    What fn() printed is printed again on every call, and its exception raised again,
    so that each test relying on the shared work gets the same print and error checks.
    """
    if key not in _memo:
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf):
                _memo[key] = (fn(), None, buf.getvalue())
        except Exception as e:  # noqa: BLE001 -- reported by every test that needs it
            _memo[key] = (None, e, buf.getvalue())
    value, error, printed = _memo[key]
    if printed:
        sys.stdout.write(printed)
    if error is not None:
        raise error
    return value


# ---------------------------------------------------------------- leaderboard
_leaderboard = {}


def leaderboard(name, value, order="desc"):
    """Report a leaderboard value (e.g. MyModel's accuracy) to the grader."""
    _leaderboard[name] = dict(name=name, value=float(value), order=order)


def take_leaderboard():
    """Return and clear what tests reported since the last call (used by the worker)."""
    entries = list(_leaderboard.values())
    _leaderboard.clear()
    return entries
