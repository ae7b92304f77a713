"""Run tests in a subprocess with time limits, and notice writes into the grader's folders.

The submission never runs in the grader's process. For each batch of tests,
run_tests() copies the submission (plus the support files it needs) and the
grader's test code into a fresh temporary folder and starts worker.py there.
It watches the worker's events file: a test that runs past its limit gets
its process group killed; a worker that dies (os._exit, a crash) has its
current test scored 0; either way a fresh worker continues with the
remaining tests.

This guards against accidents and crude hostility (loops, exits, prints,
stray writes). It is not a security boundary: the student's code runs in the
same process as the test that calls it.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

GRADER_SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # holds grader/, gtests/
STARTUP_SECONDS = 180.0   # importing torch on a busy machine; not charged to any test
POLL_SECONDS = 0.05
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "cifar-10-batches-py", "__MACOSX")


class Guard:
    """Remember the files of some folders; report (and undo where possible) any change.

    Files up to `keep_bytes` are kept in memory and restored when changed or
    deleted; new files are removed. Larger files (data) are only compared by size
    and modification time.
    """

    def __init__(self, folders, keep_bytes=1 << 20):
        self.folders = [os.path.realpath(f) for f in folders if f and os.path.isdir(f)]
        self.keep_bytes = keep_bytes
        self.state = self._snapshot()
        self.content = {}
        for path, (size, _) in self.state.items():
            if size <= keep_bytes:
                with open(path, "rb") as f:
                    self.content[path] = f.read()

    def _snapshot(self):
        state = {}
        for folder in self.folders:
            for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
                dirnames[:] = [d for d in dirnames if d != "__pycache__"]
                for name in filenames:
                    path = os.path.join(dirpath, name)
                    try:
                        st = os.stat(path)
                    except OSError:
                        continue
                    state[path] = (st.st_size, st.st_mtime_ns)
        return state

    def check(self):
        """Return a list of 'path (what happened)' for every change since the snapshot."""
        now = self._snapshot()
        changes = []
        for path in sorted(set(self.state) | set(now)):
            before, after = self.state.get(path), now.get(path)
            if before == after:
                continue
            if before is None:
                what = "created"
                try:
                    os.remove(path)
                    what += ", removed again"
                except OSError:
                    pass
            else:
                what = "deleted" if after is None else "modified"
                if path in self.content:
                    os.makedirs(os.path.dirname(path), exist_ok=True)
                    with open(path, "wb") as f:
                        f.write(self.content[path])
                    what += ", restored"
                    st = os.stat(path)
                    os.utime(path, ns=(st.st_atime_ns, before[1]))
                else:
                    what += ", cannot be restored"
            changes.append("%s (%s)" % (path, what))
        self.state = self._snapshot()
        return changes


def _limit_resources():
    """In the worker, before exec: no core dumps, no file over 2 GB."""
    try:
        import resource
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (2 << 30, 2 << 30))
    except (ImportError, ValueError, OSError):
        pass


def _kill_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _prepare(work, submission, support):
    """Lay out one worker's folder: work/submission (student + support files), work/grader."""
    student_dir = os.path.join(work, "submission")
    shutil.copytree(submission, student_dir, symlinks=True, ignore=_IGNORE)
    for src in support:  # the part's files that students do not submit (e.g. data/)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(student_dir, os.path.basename(src)),
                            dirs_exist_ok=True, ignore=_IGNORE)
        elif os.path.isfile(src):
            shutil.copyfile(src, os.path.join(student_dir, os.path.basename(src)))
    grader_root = os.path.join(work, "grader-code")
    for pkg in ("grader", "gtests"):
        shutil.copytree(os.path.join(GRADER_SOURCE, pkg), os.path.join(grader_root, pkg),
                        ignore=_IGNORE)
    for d in ("home", "tmp"):
        os.makedirs(os.path.join(work, d))
    return student_dir, grader_root


def _read_events(path, offset):
    """New complete JSON lines of the events file from `offset`; returns (records, new offset)."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read()
    except OSError:
        return [], offset
    end = data.rfind(b"\n") + 1
    records = []
    for line in data[:end].splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # not ours (the events file is not a secret)
        if isinstance(rec, dict):
            records.append(rec)
    return records, offset + end


def run_tests(specs, submission, support=(), packages=(), data_dir=None, guard=None,
              max_seconds=None, log=lambda msg: None):
    """Run the tests `specs` (dicts with id, timeout) against the submission folder.

    Returns {test id: outcome}, an outcome being a dict with status ('pass', 'fail',
    'error', 'skip', 'timeout', 'crash'), message, stdout, stderr, leaderboard and
    tampered (list of changes to guarded folders seen right after the test).
    """
    timeouts = {s["id"]: min(s["timeout"], max_seconds or s["timeout"]) for s in specs}
    remaining = [s["id"] for s in specs]
    outcomes = {}
    while remaining:
        work = tempfile.mkdtemp(prefix="a2-grade-")
        proc = ack_write = None
        try:
            student_dir, grader_root = _prepare(work, submission, support)
            events = os.path.join(work, "events.jsonl")
            control = os.path.join(work, "control.json")
            ack_read, ack_write = os.pipe()  # the worker waits on it after each test
            with open(control, "w") as f:
                json.dump(dict(student_dir=student_dir, grader_root=grader_root, events=events,
                               tests=remaining, packages=list(packages), data_dir=data_dir,
                               ack_fd=ack_read), f)
            env = dict(os.environ, HOME=os.path.join(work, "home"), TMPDIR=os.path.join(work, "tmp"),
                       PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1")
            env.pop("CS7643_SMOKE", None)
            with open(os.path.join(work, "worker.out"), "wb") as out:
                proc = subprocess.Popen([sys.executable, "-I", "-B",
                                         os.path.join(grader_root, "grader", "worker.py"), control],
                                        cwd=student_dir, env=env, stdin=subprocess.DEVNULL,
                                        stdout=out, stderr=subprocess.STDOUT,
                                        start_new_session=True, preexec_fn=_limit_resources,
                                        pass_fds=(ack_read,))
            os.close(ack_read)
            offset, ready, current, started = 0, False, None, time.time()
            progressed = False
            fatal = None
            while True:
                exited = proc.poll() is not None
                records, offset = _read_events(events, offset)
                for rec in records:
                    kind = rec.get("event")
                    if kind == "ready":
                        ready = True
                    elif kind == "fatal":
                        fatal = str(rec.get("message", ""))
                    elif kind == "start" and rec.get("id") in remaining:
                        current, started = rec["id"], time.time()
                    elif kind == "done" and rec.get("id") == current:
                        rec["tampered"] = guard.check() if guard else []
                        outcomes[current] = rec
                        remaining.remove(current)
                        progressed = True
                        current = None
                        try:
                            os.write(ack_write, b"k")  # next test, please
                        except OSError:
                            pass  # the worker is gone; proc.poll() will tell
                if exited or fatal:
                    break
                now = time.time()
                if current is not None and now - started > timeouts[current]:
                    _kill_group(proc)
                    outcomes[current] = dict(
                        status="timeout", tampered=guard.check() if guard else [],
                        message="stopped after %.0f s, the time limit of this test (an infinite "
                                "loop, or code far too slow?)" % timeouts[current])
                    remaining.remove(current)
                    progressed, current = True, None
                    break
                if not ready and now - started > STARTUP_SECONDS:
                    fatal = "the grader's worker did not start within %.0f s" % STARTUP_SECONDS
                    break
                time.sleep(POLL_SECONDS)
            _kill_group(proc)  # also ends whatever the student's code left running
            if current is not None:  # the process ended in the middle of a test
                rc = proc.returncode
                how = ("was killed by signal %d" % -rc) if rc is not None and rc < 0 \
                    else "exited with code %s" % rc
                outcomes[current] = dict(
                    status="crash", tampered=guard.check() if guard else [],
                    message="the grading process %s during this test: graded code must not "
                            "exit the interpreter (sys.exit, os._exit, exit()) or crash it" % how)
                remaining.remove(current)
                progressed = True
            if fatal or not progressed:
                with open(os.path.join(work, "worker.out"), "rb") as f:
                    tail = f.read()[-2000:].decode("utf-8", "replace")
                reason = fatal or "the grader's worker ended before running a test"
                log("worker failed: %s\n%s" % (reason, tail))
                for tid in remaining:
                    outcomes[tid] = dict(status="error", message="not graded: %s" % reason)
                remaining = []
        finally:
            if proc is not None and proc.poll() is None:
                _kill_group(proc)
            if ack_write is not None:
                os.close(ack_write)
            shutil.rmtree(work, ignore_errors=True)
    return outcomes
