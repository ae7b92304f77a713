"""Where the student's code runs: a runner process the grader talks to, and its walls.

The grader never imports the student's code. A Runner starts probes/runner.py in a
folder of its own holding a copy of the submission, sends it requests (a probe name,
arguments, input arrays) and gets back arrays in .npz files loaded with
allow_pickle=False, plus a small JSON status. The tests and their references stay in
the grader's process.

How far the runner is walled off depends on what the machine allows (isolation_mode()):

- "user" (the grader runs as root, e.g. on Gradescope): the runner runs as a dedicated
  unprivileged uid (one of RUNNER_UIDS, no account, a different one for each grader
  running at the same time) with rlimits on CPU time, memory, processes, file size and
  open files. Where a private mount namespace can be made, every top-level folder but
  the system's (SYSTEM_DIRS) is covered by an empty tmpfs in the runner's view (the
  repository, /autograder, /root, /home, /tmp...), Python and its packages are
  bind-mounted into the runner's folder, and that folder is put back at its own path;
  otherwise the grader's source, the results folder, the data and the scratch folder are
  made unreadable to others (chmod 700) while the runner exists. After each test every
  process of that uid but the runner is killed; at the end, all of them.
- "process" (not root, e.g. a staff laptop): same user, so the runner could read and
  write whatever the user can. It still gets its own session, the same rlimits, no
  environment of the grader's, and every process it leaves behind (double-forked,
  setsid or not) is found through the child-subreaper flag and killed. The Guard then
  restores the grader's files and blames the test during which they changed.
"""
import ctypes
import errno
import fcntl
import hashlib
import json
import os
import pwd
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

GRADER_SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # holds grader/, gtests/
RUNNER_UIDS = range(61700, 61900)  # the student's code runs as one of these uids (grader as root)
STARTUP_SECONDS = 180.0     # importing torch on a busy machine; not charged to any test
POLL_SECONDS = 0.01
MAX_KEEP = 4000             # characters of printed output kept per request
MAX_REPLY_BYTES = 1 << 20   # a runner's JSON answer
MAX_ARRAYS_BYTES = 1 << 30  # a runner's .npz answer
MEMORY_BYTES = 12 << 30     # address space of the runner (torch reserves a lot of it)
CPU_SECONDS = 3 * 3600      # CPU time of one runner process
# top-level folders the runner keeps seeing in its mount namespace (everything else is covered)
SYSTEM_DIRS = {"usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "proc", "dev", "sys"}
PART1_BLOCKED = ["torch", "torchvision", "tensorflow", "jax", "scipy", "sklearn", "cupy"]
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "cifar-10-batches-py", "__MACOSX")

_libc = ctypes.CDLL(None, use_errno=True)
CLONE_NEWNS, CLONE_NEWNET = 0x00020000, 0x40000000
MS_REC, MS_PRIVATE, MS_BIND = 0x4000, 1 << 18, 4096
PR_SET_CHILD_SUBREAPER = 36


class ProbeTimeout(Exception):
    """The student's code ran past the test's time limit."""


class ProbeCrash(Exception):
    """The runner process ended in the middle of a request."""


class ProbeError(Exception):
    """The student's code raised (or a probe found its result unusable); .info describes it."""

    def __init__(self, info):
        super().__init__(info.get("text", ""))
        self.info = info


# ---------------------------------------------------------------- what the machine allows
def _in_child(fn):
    """Run fn() in a forked child; True if it returned without raising."""
    pid = os.fork()
    if pid == 0:
        try:
            fn()
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


def _drop_privileges(uid):
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)


def allocate_uid():
    """A runner uid no other grader on this machine is using: (uid, lock file held open).

    Graders running side by side each get their own uid, so that killing every process
    of one's uid never touches the other's runner.
    """
    for uid in RUNNER_UIDS:
        try:
            pwd.getpwuid(uid)
            continue  # a real account: never borrow it
        except KeyError:
            pass
        f = open(os.path.join(tempfile.gettempdir(), ".cs7643-grader-uid-%d.lock" % uid), "a")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            continue
        _kill_uid(uid)  # leftovers of a grader that died: nobody owns this uid now
        return uid, f
    raise RuntimeError("no free runner uid in %d..%d" % (RUNNER_UIDS[0], RUNNER_UIDS[-1]))


def _mount(src, dst, fstype, flags, data=None):
    enc = lambda s: None if s is None else s.encode()  # noqa: E731
    if _libc.mount(enc(src), enc(dst), enc(fstype), flags, enc(data)) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "mount %s on %s: %s" % (src, dst, os.strerror(e)))


def _private_namespace():
    if _libc.unshare(CLONE_NEWNS) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "unshare: " + os.strerror(e))
    _mount("none", "/", None, MS_REC | MS_PRIVATE)


def isolation_mode(requested="auto"):
    """('user' or 'process', can make a mount namespace, reason) for this machine."""
    if requested == "process":
        return "process", False, "asked for"
    if os.geteuid() != 0:
        if requested == "user":
            raise RuntimeError("--isolation user needs the grader to run as root")
        return "process", False, "the grader is not root: the student's code runs as the same user"
    if not hasattr(os, "fork"):
        return "process", False, "no fork()"
    can_ns = _in_child(_private_namespace)
    if can_ns:
        return "user", True, "a dedicated uid, private mount namespace"
    # without a namespace the runner's uid must reach Python and its packages where they are
    needed = [os.path.realpath(getattr(sys, "_base_executable", sys.executable))] + _grader_sys_path()

    def reachable():
        _drop_privileges(RUNNER_UIDS[-1])
        for path in needed:
            if not os.access(path, os.R_OK | (os.X_OK if os.path.isdir(path) or path == needed[0]
                                              else 0)):
                raise PermissionError(path)
    if not _in_child(reachable):
        if requested == "user":
            raise RuntimeError("--isolation user: no mount namespace, and another uid cannot "
                               "run this Python (%s)" % needed[0])
        return "process", False, ("root, but no mount namespace and another uid cannot run this "
                                  "Python: the student's code runs as root in its own session")
    return "user", False, "a dedicated uid, no mount namespace: paths made private by chmod"


def _set_subreaper():
    try:
        _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (AttributeError, OSError):
        pass


# ---------------------------------------------------------------- processes
def _proc_table():
    """{pid: (ppid, uid)} of every process we can see."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as f:
                stat = f.read().decode("latin1")
            ppid = int(stat[stat.rindex(")") + 2:].split()[1])
            uid = os.stat("/proc/" + name).st_uid
        except (OSError, ValueError, IndexError):
            continue
        table[int(name)] = (ppid, uid)
    return table


def _descendants(roots, table):
    children = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = set(), list(roots)
    while todo:
        for c in children.get(todo.pop(), []):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def _kill_uid(uid):
    """Kill every process of `uid` (from a child that becomes that uid: kill(-1) reaches them all)."""
    def killer():
        os.setgid(uid)
        os.setuid(uid)
        for _ in range(200):
            try:
                os.kill(-1, signal.SIGKILL)
            except ProcessLookupError:
                return
            time.sleep(0.005)
    _in_child(killer)


class Reaper:
    """Finds and kills what a runner leaves behind, also processes that left its session."""

    def __init__(self, mode, uid=None):
        self.mode, self.uid = mode, uid
        _set_subreaper()  # orphans of our runners become our children instead of init's
        self.me = os.getpid()
        table = _proc_table()
        self.baseline = {p for p, (pp, _) in table.items() if pp == self.me}

    def stray(self, runner_pids):
        table = _proc_table()
        mine = {p for p, (pp, _) in table.items() if pp == self.me} - self.baseline
        found = _descendants(set(runner_pids) | mine, table) | mine
        if self.mode == "user":
            found |= {p for p, (_, uid) in table.items() if uid == self.uid}
        return found - {self.me}

    def kill_all(self, runner_pids=()):
        for _ in range(50):
            if self.mode == "user":
                _kill_uid(self.uid)
            pids = self.stray(runner_pids)
            if not pids:
                break
            _sigkill(pids)
            self.reap()
        self.reap()

    def reap(self):
        table = _proc_table()
        for pid, (ppid, _) in table.items():
            if ppid == self.me and pid not in self.baseline:
                try:
                    os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:
                    pass


# ---------------------------------------------------------------- the guard
def _digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class Guard:
    """Remember files (and the files of folders) by content; report and undo any change.

    Watched: the grader's own code, our results file, the test set. Files up to
    `keep_bytes` are kept in memory and restored; new files in watched folders are
    removed. `blame`: whether a change may be charged to the test that was running (only
    when the student's code could have made it, i.e. it runs as our own user).
    """

    def __init__(self, folders=(), files=(), keep_bytes=1 << 20, blame=True):
        # blame=False (the student's code runs as another uid and cannot write these files):
        # changes are only reported, never undone: they come from someone else (a developer
        # editing the grader, another grader), whose work must not be reverted
        self.folders = [os.path.realpath(f) for f in folders if f and os.path.isdir(f)]
        self.files = [os.path.realpath(f) for f in files if f]
        self.keep_bytes, self.blame = keep_bytes, blame
        self.state = self._snapshot()
        self.content = {}
        for path, digest in self.state.items():
            if digest and os.path.getsize(path) <= keep_bytes:
                with open(path, "rb") as f:
                    self.content[path] = f.read()

    def _paths(self):
        paths = set(self.files)
        for folder in self.folders:
            for dirpath, dirnames, filenames in os.walk(folder):
                dirnames[:] = [d for d in dirnames if d != "__pycache__"]
                paths.update(os.path.join(dirpath, n) for n in filenames)
        return paths

    def _snapshot(self):
        state = {}
        for path in self._paths():
            try:
                state[path] = _digest(path) if os.path.isfile(path) else None
            except OSError:
                state[path] = None
        return {p: d for p, d in state.items() if d is not None or p in self.files}

    def check(self):
        """A list of 'path (what happened)' for every change since the last check, undone."""
        now = self._snapshot()
        changes = []
        for path in sorted(set(self.state) | set(now)):
            before, after = self.state.get(path), now.get(path)
            if before == after:
                continue
            if not self.blame:
                changes.append("%s (%s, left alone)" % (path, "created" if before is None else
                                                        "deleted" if after is None else "modified"))
                continue
            if before is None:
                what = "created"
                try:
                    if os.path.isdir(path) and not os.path.islink(path):
                        shutil.rmtree(path)
                    else:
                        os.remove(path)
                    what += ", removed again"
                except OSError:
                    pass
            else:
                what = "deleted" if after is None else "modified"
                if path in self.content:
                    try:
                        if os.path.islink(path) or os.path.isdir(path):
                            (shutil.rmtree if os.path.isdir(path) and not os.path.islink(path)
                             else os.remove)(path)
                        os.makedirs(os.path.dirname(path), exist_ok=True)
                        tmp = path + ".restore-%d" % os.getpid()
                        with open(tmp, "wb") as f:
                            f.write(self.content[path])
                        os.replace(tmp, path)
                        what += ", restored"
                    except OSError as e:
                        what += ", could not be restored (%s)" % e
                else:
                    what += ", cannot be restored"
            changes.append("%s (%s)" % (path, what))
        self.state = self._snapshot()
        return changes


# ---------------------------------------------------------------- the runner
def _chown_tree(path, uid):
    for dirpath, dirnames, filenames in os.walk(path):
        os.lchown(dirpath, uid, uid)
        for n in dirnames + filenames:
            os.lchown(os.path.join(dirpath, n), uid, uid)


def _sigkill(pids):
    """SIGKILL each pid (one that is gone already, or not ours to kill, is skipped), then give
    the kernel a moment to deliver the signals before the caller looks again."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    time.sleep(0.01)


def _grader_sys_path():
    """The folders the runner's Python needs: the standard library and site-packages."""
    keep = []
    for p in sys.path:
        if not p or not os.path.isdir(p):
            continue
        real = os.path.realpath(p)
        if real.startswith(os.path.realpath(sys.base_prefix) + os.sep) or \
                os.path.basename(real) in ("site-packages", "dist-packages"):
            if real not in keep:
                keep.append(real)
    return keep


class Runner:
    """One runner process serving probe requests for a submission; restarted after a crash.

    Inputs:
    - submission: the folder holding the student's files (copied, never used in place)
    - support: given files/folders of the part copied over the submission's copy
      (e.g. Part 2's data/, Part 1's given optimizer/_base_optimizer.py)
    - probes: the probe module ('part1' or 'part2')
    - mode, can_ns: from isolation_mode(); hide: paths the runner must not see
    """

    def __init__(self, submission, support, probes, mode="process", can_ns=False, hide=(),
                 extra_files=None, log=lambda msg: None):
        self.submission, self.support, self.probes = submission, list(support), probes
        self.mode, self.can_ns, self.log = mode, can_ns, log
        self.hide = [os.path.realpath(h) for h in hide if h and os.path.exists(h)]
        self.extra_files = dict(extra_files or {})  # name in the work folder -> array (.npy)
        self.uid, self.uid_lock = allocate_uid() if mode == "user" else (None, None)
        self.reaper = Reaper(mode, self.uid)
        self.proc, self.work, self.seq = None, None, 0
        self.chmodded = {}
        self.pids = set()

    # -------------------------------------------------------------- layout
    def _prepare(self):
        work = tempfile.mkdtemp(prefix="a2-runner-")
        os.chmod(work, 0o711)
        sub = os.path.join(work, "sub")
        shutil.copytree(self.submission, sub, symlinks=False, ignore=_IGNORE)
        for src, rel in self.support:
            dst = os.path.join(sub, rel)
            if os.path.isdir(src):
                shutil.copytree(src, dst, dirs_exist_ok=True, ignore=_IGNORE)
            elif os.path.isfile(src):
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                if os.path.isdir(dst):
                    shutil.rmtree(dst)
                shutil.copyfile(src, dst)
        code = os.path.join(work, "code")
        shutil.copytree(os.path.join(GRADER_SOURCE, "probes"), code, ignore=_IGNORE)
        for d in ("in", "out", "home", "tmp", "py"):
            os.makedirs(os.path.join(work, d))
        for name, array in self.extra_files.items():
            np.save(os.path.join(work, "in", name), array)
        for d in (code, os.path.join(work, "in"), os.path.join(work, "py")):
            for dirpath, dirnames, filenames in os.walk(d):
                os.chmod(dirpath, 0o755)
                for n in filenames:
                    os.chmod(os.path.join(dirpath, n), 0o644)
        if self.mode == "user":
            for d in ("sub", "out", "home", "tmp"):
                _chown_tree(os.path.join(work, d), self.uid)
                os.chmod(os.path.join(work, d), 0o700)
        self.work, self.sub = work, sub

    def _python(self):
        """(argv, sys.path for the runner, bind mounts) for this mode."""
        paths = _grader_sys_path()
        base = os.path.realpath(sys.base_prefix)
        exe = os.path.realpath(getattr(sys, "_base_executable", sys.executable))
        if self.mode == "process":
            return [sys.executable], paths, []
        if not self.can_ns:
            return [exe], paths, []
        binds, mapped = [(base, os.path.join(self.work, "py", "base"))], []
        for i, p in enumerate(paths):
            if p.startswith(base + os.sep):
                mapped.append(os.path.join(self.work, "py", "base", os.path.relpath(p, base)))
            else:
                dst = os.path.join(self.work, "py", "site%d" % i)
                binds.append((p, dst))
                mapped.append(dst)
        for _, dst in binds:
            os.makedirs(dst, exist_ok=True)
            os.chmod(dst, 0o755)
        if exe.startswith(base + os.sep):
            exe = os.path.join(self.work, "py", "base", os.path.relpath(exe, base))
        return [exe], mapped, binds

    def _preexec(self, binds, hide):
        work = os.path.realpath(self.work)

        def run():
            os.setsid()
            if self.mode == "user":
                if self.can_ns:
                    _private_namespace()
                    # no network either, where the kernel allows a private network namespace
                    _libc.unshare(CLONE_NEWNET)
                    for src, dst in binds:  # Python and its packages, seen from the work folder
                        _mount(src, dst, None, MS_BIND | MS_REC)
                    # Then an empty tmpfs over every top-level folder but the system's own (and
                    # over the grader's paths, wherever they are): the repository, the homes,
                    # /tmp, /autograder... vanish. The work folder is put back at its own path.
                    keep_fd = os.open(work, os.O_RDONLY | os.O_DIRECTORY)
                    covered = []
                    for name in sorted(os.listdir("/")):
                        path = "/" + name
                        if name in SYSTEM_DIRS or os.path.islink(path) or not os.path.isdir(path):
                            continue
                        _mount("tmpfs", path, "tmpfs", 0, "size=1m,mode=755")
                        covered.append(path)
                    for path in hide:
                        if not any(path == c or path.startswith(c + os.sep) for c in covered) \
                                and not work.startswith(path + os.sep) and os.path.isdir(path):
                            _mount("tmpfs", path, "tmpfs", 0, "size=64k,mode=755")
                    if any(work.startswith(c + os.sep) for c in covered):
                        os.makedirs(work, exist_ok=True)
                        _mount("/proc/self/fd/%d" % keep_fd, work, None, MS_BIND | MS_REC)
                    os.close(keep_fd)
                _drop_privileges(self.uid)
            limits = [(resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, 1 << 30),
                      (resource.RLIMIT_NOFILE, 1024), (resource.RLIMIT_CPU, CPU_SECONDS),
                      (resource.RLIMIT_AS, MEMORY_BYTES)]
            if self.mode == "user":
                limits.append((resource.RLIMIT_NPROC, 512))
            for which, value in limits:
                try:
                    soft, hard = resource.getrlimit(which)
                    value = value if hard == resource.RLIM_INFINITY else min(value, hard)
                    resource.setrlimit(which, (value, value))
                except (ValueError, OSError):
                    pass
        return run

    def _private_paths(self):
        """Without a mount namespace: make the hidden paths unreadable to others while we run."""
        if self.mode != "user" or self.can_ns:
            return
        for path in self.hide:
            if path in self.chmodded or not os.path.isdir(path):
                continue
            mode = os.stat(path).st_mode & 0o7777
            self.chmodded[path] = mode
            os.chmod(path, mode & 0o700)

    def restore_paths(self):
        for path, mode in self.chmodded.items():
            try:
                os.chmod(path, mode)
            except OSError:
                pass
        self.chmodded = {}

    def start(self):
        self._prepare()
        argv, paths, binds = self._python()
        hide = [h for h in self.hide if not os.path.realpath(self.work).startswith(h + os.sep)]
        self._private_paths()
        control = os.path.join(self.work, "in", "control.json")
        blocked = PART1_BLOCKED if self.probes == "part1" else []
        with open(control, "w") as f:
            json.dump(dict(code_dir=os.path.join(self.work, "code"), student_dir=self.sub,
                           sys_path=paths, probes=self.probes, blocked=blocked), f)
        os.chmod(control, 0o644)
        env = dict(PATH="/usr/local/bin:/usr/bin:/bin", HOME=os.path.join(self.work, "home"),
                   TMPDIR=os.path.join(self.work, "tmp"), LANG="C.UTF-8",
                   OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        self.proc = subprocess.Popen(argv + ["-I", "-S", "-B", "-u",
                                             os.path.join(self.work, "code", "runner.py"), control],
                                     cwd=self.sub, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     preexec_fn=self._preexec(binds, hide), close_fds=True)
        self.pids.add(self.proc.pid)
        for stream in (self.proc.stdout, self.proc.stderr):
            fl = fcntl.fcntl(stream.fileno(), fcntl.F_GETFL)
            fcntl.fcntl(stream.fileno(), fcntl.F_SETFL, fl | os.O_NONBLOCK)
        self.started = False

    # -------------------------------------------------------------- requests
    def _drain(self, kept):
        for i, stream in enumerate((self.proc.stdout, self.proc.stderr)):
            while True:
                try:
                    data = os.read(stream.fileno(), 1 << 16)
                except BlockingIOError:
                    break
                except OSError:
                    break
                if not data:
                    break
                if len(kept[i]) < MAX_KEEP:
                    kept[i] += data.decode("utf-8", "replace")[:MAX_KEEP - len(kept[i])]

    def request(self, probe, args, arrays, packages=(), lenient=False, seconds=60.0):
        """Run one probe; returns (dict of arrays and values, printed stdout, printed stderr).

        Raises ProbeError (the student's code raised), ProbeTimeout or ProbeCrash.
        """
        if self.proc is None or self.proc.poll() is not None:
            if self.proc is not None:
                self.stop()
            self.start()
        self.seq += 1
        seq = str(self.seq)
        inbox, outbox = os.path.join(self.work, "in"), os.path.join(self.work, "out")
        for ext in (".json", ".npz"):  # an answer written ahead of time by the student's code
            try:
                os.remove(os.path.join(outbox, seq + ext))
            except OSError:
                pass
        with open(os.path.join(inbox, seq + ".npz"), "wb") as f:
            np.savez(f, **arrays)
        with open(os.path.join(inbox, seq + ".json"), "w") as f:
            json.dump(dict(probe=probe, args=args, packages=list(packages), lenient=lenient), f)
        for ext in (".npz", ".json"):
            os.chmod(os.path.join(inbox, seq + ext), 0o644)
        kept = ["", ""]
        self._drain(kept)  # whatever came before this request (interpreter start-up) is not charged
        kept = ["", ""]
        try:
            self.proc.stdin.write((seq + "\n").encode())
            self.proc.stdin.flush()
        except OSError:
            pass
        # the first request also waits for the interpreter (and torch) to start: not charged
        limit = seconds + (0 if self.started else STARTUP_SECONDS)
        t0 = time.time()
        reply_path = os.path.join(outbox, seq + ".json")
        while True:
            self._drain(kept)
            if os.path.exists(reply_path):
                break
            if self.proc.poll() is not None:
                time.sleep(0.05)
                if os.path.exists(reply_path):
                    break
                self._drain(kept)
                rc = self.proc.returncode
                self.stop()
                how = ("was killed by signal %d" % -rc) if rc is not None and rc < 0 \
                    else "exited with code %s" % rc
                raise ProbeCrash("the process running your code %s during this test: graded code "
                                 "must not exit the interpreter (sys.exit, os._exit, exit()) or crash "
                                 "it%s" % (how, self._printed_hint(kept)))
            if time.time() - t0 > limit:
                self.stop()
                raise ProbeTimeout("stopped after %.0f s, the time limit of this test (an infinite "
                                   "loop, or code far too slow?)" % seconds)
            time.sleep(POLL_SECONDS)
        self.started = True
        reply = self._read_reply(reply_path, int(seq))
        self._drain(kept)
        if reply.get("status") != "ok":
            info = reply.get("error") if isinstance(reply.get("error"), dict) else {}
            err = ProbeError(info)
            err.printed = kept
            raise err
        results = self._read_arrays(os.path.join(outbox, seq + ".npz"))
        values = reply.get("values") if isinstance(reply.get("values"), dict) else {}
        results.update({k: v for k, v in values.items() if isinstance(k, str)})
        return results, kept[0], kept[1]

    @staticmethod
    def _printed_hint(kept):
        return ("; it printed: " + kept[0][-300:]) if kept[0].strip() else ""

    def _read_reply(self, path, seq):
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_REPLY_BYTES + 1)
            if len(data) > MAX_REPLY_BYTES:
                raise ValueError("over %d bytes" % MAX_REPLY_BYTES)
            reply = json.loads(data.decode("utf-8"))
            if not isinstance(reply, dict) or reply.get("seq") != seq:
                raise ValueError("not the answer to this request")
            return reply
        except (OSError, ValueError) as e:
            self.stop()
            raise ProbeError(dict(kind="failure", text="the answer of the process running your code "
                                  "could not be read (%s): was it tampered with?" % e))

    def _read_arrays(self, path):
        try:
            if os.path.getsize(path) > MAX_ARRAYS_BYTES:
                raise ValueError("over %d bytes" % MAX_ARRAYS_BYTES)
            with np.load(path, allow_pickle=False) as z:
                out = {}
                for k in z.files:
                    a = z[k]
                    if a.dtype == object:
                        raise ValueError("object array")
                    out[k] = a
                return out
        except (OSError, ValueError) as e:
            self.stop()
            raise ProbeError(dict(kind="failure", text="the arrays returned by the process running "
                                  "your code could not be read (%s)" % e))

    # -------------------------------------------------------------- ending
    def kill_strays(self):
        """Kill every process the runner started or left behind (the runner itself stays)."""
        keep = self.proc.pid if self.proc is not None and self.proc.poll() is None else None
        for _ in range(20):
            pids = self.reaper.stray(self.pids) - {keep}
            if not pids:
                break
            _sigkill(pids)
            self.reaper.reap()

    def stop(self):
        """Kill the runner and everything it started; remove its folder."""
        if self.proc is not None:
            for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
                try:
                    stream.close()
                except OSError:
                    pass
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.reaper.kill_all(self.pids)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            self.proc = None
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None

    def close(self):
        self.stop()
        self.reaper.kill_all(self.pids)
        self.restore_paths()
        if self.uid_lock is not None:
            self.uid_lock.close()
            self.uid_lock = None
