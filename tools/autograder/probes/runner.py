"""The student side of the grader: run probes on request, hand back arrays only.

    python -I -S -u runner.py CONTROL.json

The grader (sandbox.Runner) starts this process as an unprivileged user where it can,
in a folder of its own. For request number n the grader writes in/<n>.json (probe
name and arguments) and in/<n>.npz (input arrays), then writes "n" on our stdin.
We answer with out/<n>.npz (the arrays the probe returned) and out/<n>.json (status,
the student's error if any), each written to a temporary name and renamed.

Everything that crosses back is data: .npz files of plain arrays (the grader loads
them with allow_pickle=False) and small JSON objects. Whatever the student's code
does here, it can only change what this process answers, never how it is judged.
"""
import importlib
import importlib.machinery
import json
import os
import sys
import traceback
import types

MAX_TEXT = 2000  # characters of an error message sent back
_PACKAGES = set()


# ---------------------------------------------------------------- student imports
def purge_student_modules(student_dir):
    """Forget every module loaded from the submission, so the next probe imports it afresh."""
    prefix = os.path.join(os.path.realpath(student_dir), "")
    for name, mod in list(sys.modules.items()):
        try:
            paths = [getattr(mod, "__file__", None)] + list(getattr(mod, "__path__", None) or [])
            ours = any(isinstance(p, str) and os.path.realpath(p).startswith(prefix) for p in paths)
        except Exception:  # noqa: BLE001 -- odd extension modules
            ours = False
        if ours or name.split(".")[0] in _PACKAGES:
            sys.modules.pop(name, None)


class Missing:
    """Stands in for a name a sibling file should define but cannot (it is broken or absent).

    Used where the probe tests another file that merely imports the name (e.g. solver.py's
    `from models import MyModel`): that file must not lose points for the sibling's bug.
    """

    def __init__(self, *args, **kwargs):
        raise RuntimeError("%s is not available (its file failed to import)" % type(self).__name__)


def install_package(student_dir, package, lenient=False):
    """Make `package` importable file by file, without running its __init__.py.

    `from modules.relu import ReLU` imports relu.py alone; `from modules import ReLU`
    looks the name up in the package's files in order. lenient=True: a name no file
    provides becomes a `Missing` class instead of an ImportError.
    """
    folder = os.path.join(student_dir, package)
    if not os.path.isdir(folder):
        if not lenient:
            return
        os.makedirs(folder, exist_ok=True)
    _PACKAGES.add(package)
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
        if lenient:
            return type(name, (Missing,), {})
        # an AttributeError, as for any module (hasattr works); `from package import name`
        # turns it into Python's own ImportError
        raise AttributeError("no file of %s/ defines %r%s"
                             % (package, name, "; " + "; ".join(errors) if errors else ""))

    pkg.__getattr__ = lookup
    sys.modules[package] = pkg


def stub_module(name, **attrs):
    """Put a module `name` with the given attributes in sys.modules (replacing the student's)."""
    mod = types.ModuleType(name)
    mod.__dict__.update(attrs)
    sys.modules[name] = mod
    return mod


# ---------------------------------------------------------------- errors
class ProbeFailure(Exception):
    """A probe found the student's code unusable (a missing name, a None result, ...)."""


def describe(exc, student_dir, call):
    """The student's error: type, message, where in their files, and the call that failed."""
    if isinstance(exc, ProbeFailure):
        return dict(kind="failure", text=str(exc)[:MAX_TEXT], call=call)
    try:
        message = str(exc)[:MAX_TEXT]
    except Exception:  # noqa: BLE001 -- a __str__ that raises
        message = "(its message cannot be shown)"
    text = "%s: %s" % (type(exc).__name__, message)
    if isinstance(exc, SystemExit):
        text = "the code called sys.exit(%s); graded code must not exit" % (str(exc.code)[:100],)
    prefix = os.path.join(os.path.realpath(student_dir), "")
    frames = []
    for f in traceback.extract_tb(exc.__traceback__):
        path = os.path.realpath(f.filename) if os.path.isabs(f.filename) else ""
        if path.startswith(prefix):
            frames.append("%s:%d in %s: %s" % (os.path.relpath(path, prefix), f.lineno, f.name,
                                               (f.line or "").strip()[:200]))
    if isinstance(exc, SyntaxError) and getattr(exc, "filename", None):
        path = os.path.realpath(exc.filename)
        if path.startswith(prefix):
            frames.append("%s, line %s" % (os.path.relpath(path, prefix), exc.lineno))
    return dict(kind="error", text=text, call=call, frames=frames[-4:])


# ---------------------------------------------------------------- arrays out
def to_array(value, what):
    """`value` (array, tensor, number) as a NumPy array, or ProbeFailure saying what it was."""
    import numpy as np
    if value is None:
        raise ProbeFailure("%s is None: it was never set (or the function returned nothing)" % what)
    if hasattr(value, "detach") and hasattr(value, "cpu"):  # a torch tensor
        value = value.detach().cpu()
        if value.dtype.is_floating_point:
            value = value.double()
        value = value.numpy()
    try:
        arr = np.asarray(value)
    except Exception as e:  # noqa: BLE001
        raise ProbeFailure("%s is a %s, which is not an array (%s)" % (what, type(value).__name__, e))
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise ProbeFailure("%s is a %s, not an array of numbers" % (what, type(value).__name__))
    return np.array(arr, copy=True)


def _write_atomic(path, write):
    tmp = path + ".tmp"
    write(tmp)
    os.replace(tmp, path)


# ---------------------------------------------------------------- the loop
def main(control_path):
    with open(control_path) as f:
        ctl = json.load(f)
    sys.path[:] = [ctl["code_dir"], ctl["student_dir"]] + ctl["sys_path"]
    student_dir = ctl["student_dir"]
    os.chdir(student_dir)
    import numpy as np
    blocked = set(ctl.get("blocked", []))
    if blocked:  # Part 1 is NumPy only
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in blocked:
                    raise ImportError("%s is not available here: this part must use NumPy only"
                                      % name.split(".")[0])
                return None
        sys.meta_path.insert(0, Block())
    probes = importlib.import_module(ctl["probes"])
    inbox = os.path.realpath(os.path.join(student_dir, "..", "in"))
    outbox = os.path.realpath(os.path.join(student_dir, "..", "out"))
    del ctl  # nothing of the grader's configuration stays reachable by name
    for line in sys.stdin:
        seq = line.strip()
        if not seq.isdigit():
            continue
        with open(os.path.join(inbox, seq + ".json")) as f:
            req = json.load(f)
        with np.load(os.path.join(inbox, seq + ".npz"), allow_pickle=False) as z:
            arrays = {k: z[k] for k in z.files}
        os.chdir(student_dir)
        purge_student_modules(student_dir)
        for package in req.get("packages", []):
            install_package(student_dir, package, lenient=req.get("lenient", False))
        reply, outputs = dict(seq=int(seq), status="ok"), {}
        state = dict(call=None)

        def call(description, fn, *args, **kwargs):
            state["call"] = description
            return fn(*args, **kwargs)
        try:
            result = getattr(probes, req["probe"])(req.get("args", {}), arrays, call)
            for name, value in result.items():
                if isinstance(value, (bool, int, float, str)) or value is None:
                    reply.setdefault("values", {})[name] = value if not isinstance(value, str) \
                        else value[:20 * MAX_TEXT]
                else:
                    outputs[name] = to_array(value, name)
        except BaseException as e:  # noqa: BLE001 -- SystemExit too: the student's code exited
            if isinstance(e, KeyboardInterrupt):
                raise
            reply.update(status="error", error=describe(e, student_dir, state["call"]))
            outputs = {}
        try:
            sys.stdout.flush()
        except Exception:  # noqa: BLE001 -- the student closed or replaced it
            pass

        def save_arrays(path):
            with open(path, "wb") as f:
                np.savez(f, **outputs)

        def save_reply(path):
            with open(path, "w") as f:
                json.dump(reply, f)
        _write_atomic(os.path.join(outbox, seq + ".npz"), save_arrays)
        _write_atomic(os.path.join(outbox, seq + ".json"), save_reply)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
