"""Attacks on the autograder (issue 12's red-team list): each ends with the honest score.

Every attack is a Part 1 submission: the reference with one bug planted in it (so the
honest score is known: the bug's tests get 0, the others full marks) plus hostile code
that tries to forge a better verdict, outlive the grading, change the grader, the data
or the results, read what it must not, or flood the feedback. The grader runs from a
temporary copy of tools/autograder (so an attack that succeeded would not damage the
checkout) as a subprocess, as Gradescope runs it.

The walls differ with the isolation mode (grader/sandbox.py): as root (Gradescope, and
this test machine) the student's code runs as a dedicated uid in a private mount
namespace; the tests that need that are skipped when the tests do not run as root.
What the 'process' mode (not root) cannot prevent is listed in tools/STAFF.md.
"""
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from tools.tests import test_autograder as H  # helpers: submissions, zips, score checks

AG_ENTRIES = ["grader", "gtests", "probes"]
# the reference with a bug: Conv2D.backward leaves dx, dw, db at zero
BUG = """
def _zero_backward(self, dout):
    import numpy as _np
    x = self.cache
    self.dx, self.dw, self.db = _np.zeros_like(x), _np.zeros_like(self.weight), _np.zeros_like(self.bias)
Conv2D.backward = _zero_backward
"""
HONEST = ["Conv2D.backward"]  # the tests the bug loses; every other test keeps full marks


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class AttackCase(H.ScoreChecks):
    isolation = "auto"

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="grader-attack-")
        os.chmod(cls.tmp, 0o755)
        cls.ag = os.path.join(cls.tmp, "autograder")
        for e in AG_ENTRIES:
            shutil.copytree(os.path.join(H.AUTOGRADER, e), os.path.join(cls.ag, e),
                            ignore=H.IGNORE)
        # the given files, as a bundled autograder has them
        for rel in ("modules/softmax_ce.py", "optimizer/_base_optimizer.py", "manifest.json"):
            H.copy_entries(H.P1, os.path.join(cls.ag, "support", "part1-convnet"), [rel])
        H.copy_entries(H.P2, os.path.join(cls.ag, "support", "part2-pytorch"), ["manifest.json"])
        cls.results_dir = os.path.join(cls.tmp, "results")
        os.makedirs(cls.results_dir)
        cls.results = os.path.join(cls.results_dir, "results.json")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def submission(self, hostile="", where="modules/convolution.py", bug=True):
        sub = tempfile.mkdtemp(prefix="sub-", dir=self.tmp)
        H.part1_submission(sub)
        if bug:
            H.append(os.path.join(sub, "modules", "convolution.py"), BUG)
        if hostile:
            H.append(os.path.join(sub, where), hostile)
        return sub

    def grade_cli(self, sub, results=None, extra=(), timeout=600):
        results = results or self.results
        cmd = [sys.executable, "-m", "grader", "--submission", H.zip_folder(sub, sub + ".zip"),
               "--results", results, "--quiet", "--data", H.DATA, "--isolation", self.isolation,
               "--max-test-seconds", "30"] + list(extra)
        proc = subprocess.run(cmd, cwd=self.ag, capture_output=True, text=True, timeout=timeout)
        self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
        with open(results) as f:
            return H.validate(json.load(f))

    def assert_honest(self, r):
        self.assert_scores(r, HONEST, "dx: wrong values", "dw: wrong values", "db: wrong values")


@unittest.skipUnless(H.AS_ROOT, "the dedicated-uid walls need the tests to run as root")
class TestAttacksAsRoot(AttackCase):
    def test_forged_answers(self):
        """Answers planted for the requests to come, and junk in the runner's folders, change nothing.

        (An answer forged for the current request is just the student's answer: it is judged
        like any other, against the grader's own reference.)
        """
        r = self.grade_cli(self.submission("""
import json as _json, os as _os
import numpy as _np
try:
    _cur = max(int(f[:-5]) for f in _os.listdir("../in") if f.endswith(".json") and f[:-5].isdigit())
except (OSError, ValueError):
    _cur = 0
for _n in range(_cur + 1, _cur + 300):
    for _d in ("../out", "../in", "."):
        try:
            with open(_os.path.join(_d, "%d.json" % _n), "w") as _f:
                _json.dump({"seq": _n, "status": "ok", "values": {"passed": True}}, _f)
            with open(_os.path.join(_d, "%d.npz" % _n), "wb") as _f:
                _np.savez(_f, out=_np.zeros(3), dx=_np.zeros(3), dw=_np.zeros(3), db=_np.zeros(3))
            with open(_os.path.join(_d, "events.jsonl"), "a") as _f:
                _f.write('{"event": "done", "status": "pass"}\\n')
        except OSError:
            pass
"""))
        self.assert_honest(r)

    def test_double_forked_child(self):
        """A setsid grandchild that keeps writing results.json and the grader's files is killed."""
        beat = os.path.join(self.tmp, "heartbeat")
        os.makedirs(beat, exist_ok=True)
        os.chmod(beat, 0o777)
        victim = os.path.join(self.ag, "gtests", "checks.py")
        before = sha(victim)
        r = self.grade_cli(self.submission("""
import os as _os, time as _time
if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        for _i in range(600):
            for _p, _t in ((%r, '{"score": 1000, "tests": []}'), (%r, "import os\\n")):
                try:
                    with open(_p, "w") as _f:
                        _f.write(_t)
                except OSError:
                    pass
            try:
                with open(_os.path.join(%r, "beat"), "w") as _f:
                    _f.write(str(_i))
            except OSError:
                pass
            _time.sleep(0.05)
    _os._exit(0)
""" % (self.results, victim, beat), where="modules/relu.py"))
        self.assert_honest(r)
        time.sleep(1.0)
        with open(self.results) as f:
            self.assertEqual(json.load(f), r, "results.json was changed after the grader wrote it")
        self.assertEqual(sha(victim), before, "the grader's checks.py was changed")
        stamp = os.path.join(beat, "beat")
        if os.path.exists(stamp):  # the child ran; it must be dead now
            t0 = os.stat(stamp).st_mtime
            time.sleep(1.0)
            self.assertEqual(os.stat(stamp).st_mtime, t0, "the grandchild is still running")

    def test_data_and_grader_out_of_reach(self):
        """The test set, the grader's code and the repository cannot be read or written."""
        test_batch = os.path.realpath(os.path.join(H.DATA, "test_batch"))
        data_before = sha(test_batch)
        reference = os.path.join(H.P1, "modules", "convolution.py")
        r = self.grade_cli(self.submission("""
import os as _os
def _steal(self, dout):
    # reach the reference solution and the grader through every path we know of
    for _p in (%r, "/proc/%%d/cwd/../../../part1-convnet/modules/convolution.py" %% _os.getppid(),
               "/proc/1/cwd" + %r):
        try:
            _src = open(_p).read()
        except OSError:
            continue
        _ns = {}
        exec(compile(_src, "stolen", "exec"), _ns)
        _layer = _ns["Conv2D"](self.in_channels, self.out_channels, self.kernel_size, self.stride,
                               self.padding)
        _layer.weight, _layer.bias = self.weight, self.bias
        _layer.forward(self.cache)
        _layer.backward(dout)
        self.dx, self.dw, self.db = _layer.dx, _layer.dw, _layer.db
        return
    _zero_backward(self, dout)
Conv2D.backward = _steal
for _p in (%r, %r):
    try:
        with open(_p, "r+b") as _f:
            _f.seek(10000)
            _f.write(b"poison")
    except OSError:
        pass
""" % (reference, reference, test_batch, os.path.join(self.ag, "gtests", "checks.py"))))
        self.assert_honest(r)
        self.assertEqual(sha(test_batch), data_before)

    def test_patching_the_judge_in_process(self):
        """Patching NumPy, unittest or the probes' helpers only changes the runner's own answers."""
        r = self.grade_cli(self.submission("""
import numpy as _np, unittest as _ut, builtins as _b
_np.any = lambda *a, **k: False
_np.all = lambda *a, **k: True
_np.allclose = lambda *a, **k: True
_ut.TestResult.addFailure = lambda *a, **k: None
_ut.TestResult.addError = lambda *a, **k: None
_b.AssertionError = type("Never", (Exception,), {})
import sys as _sys
for _m in list(_sys.modules.values()):
    if hasattr(_m, "ProbeFailure"):
        _m.ProbeFailure = type("Never", (Exception,), {})
"""))
        self.assert_honest(r)

    def test_cannot_tell_it_is_graded_nor_use_torch(self):
        """No grader module or variable is visible, and torch cannot stand in for NumPy."""
        r = self.grade_cli(self.submission("""
import os as _os, sys as _sys
_forward = Conv2D.forward
def _watchful(self, x):
    _seen = [m for m in _sys.modules if m.split(".")[0] in ("gtests", "grader", "pytest")]
    _seen += [k for k in _os.environ if "CS7643" in k or "GRADE" in k.upper()]
    if _seen:
        raise RuntimeError("graded: %s" % _seen)
    return _forward(self, x)
Conv2D.forward = _watchful
def _torch_backward(self, dout):
    import torch
    raise AssertionError("torch must not be importable in Part 1")
Conv2D.backward = _torch_backward
"""))
        self.assert_scores(r, HONEST, "torch is not available here")

    def test_feedback_flood_and_leaks(self):
        """A 60 MB message is capped; the grader's source never reaches the feedback."""
        source = os.path.join(self.ag, "gtests", "part1", "test_conv.py")
        with open(source) as f:
            leaked = f.read()
        sub = self.submission("""
def _flood(self, x):
    raise ValueError("x" * 60000000)
ReLU.forward = _flood
""", where="modules/relu.py")
        H.append(os.path.join(sub, "modules", "convolution.py"), """
def _leak(self, dout):
    try:
        _text = open(%r).read()
    except OSError:
        _text = %r   # as if it had been readable
    raise RuntimeError(_text)
Conv2D.backward = _leak
""" % (source, leaked))
        r = self.grade_cli(sub)
        self.assert_scores(r, HONEST + ["ReLU.forward", "ReLU.backward"], "Error")
        self.assertLess(os.path.getsize(self.results), 200000)
        text = "\n".join(t["output"] for t in r["tests"]) + r["output"]
        for line in leaked.splitlines():
            if len(line.strip()) >= 30:
                self.assertNotIn(line.strip(), text)

    def test_no_network(self):
        """The runner has no network, not even the grader machine's loopback."""
        import socket
        server = socket.socket()
        server.bind(("127.0.0.1", 0))
        server.listen(5)
        port = server.getsockname()[1]
        try:
            r = self.grade_cli(self.submission("""
import socket as _socket
_connected = False
try:
    _socket.create_connection(("127.0.0.1", %d), timeout=2).close()
    _connected = True
except OSError:
    pass
if _connected:
    raise RuntimeError("the network is reachable")
""" % port))
        finally:
            server.close()
        self.assert_honest(r)

    def test_two_graders_share_a_results_folder(self):
        """Two graders side by side, one results folder: both honest, nobody's file touched."""
        other = os.path.join(self.results_dir, "someone-elses.txt")
        with open(other, "w") as f:
            f.write("keep me")
        subs = [self.submission(), self.submission()]
        outs = [os.path.join(self.results_dir, "r%d.json" % i) for i in range(2)]
        procs = [subprocess.Popen([sys.executable, "-m", "grader", "--submission",
                                   H.zip_folder(s, s + ".zip"), "--results", o, "--quiet",
                                   "--data", H.DATA, "--max-test-seconds", "30"],
                                  cwd=self.ag, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for s, o in zip(subs, outs)]
        for p in procs:
            self.assertEqual(p.wait(timeout=900), 0, p.stderr.read()[-2000:])
        for o in outs:
            with open(o) as f:
                self.assert_honest(H.validate(json.load(f)))
        with open(other) as f:
            self.assertEqual(f.read(), "keep me")

    def test_results_inside_the_temp_folder(self):
        results = os.path.join(tempfile.gettempdir(), "a2-results-%d" % os.getpid(), "results.json")
        try:
            self.assert_honest(self.grade_cli(self.submission(), results=results, timeout=600))
        finally:
            shutil.rmtree(os.path.dirname(results), ignore_errors=True)


class TestLinksInTheUpload(H.ScoreChecks):
    def test_links_are_dropped(self):
        """Symbolic links in a folder upload (Gradescope unpacks zips itself) are never followed."""
        with tempfile.TemporaryDirectory(prefix="grade-links-") as tmp:
            sub = H.part1_submission(os.path.join(tmp, "sub"))
            secret = os.path.join(H.AUTOGRADER, "gtests", "part1", "test_conv.py")
            os.remove(os.path.join(sub, "modules", "relu.py"))
            os.symlink(secret, os.path.join(sub, "modules", "relu.py"))
            os.symlink(os.path.join(H.AUTOGRADER, "gtests"), os.path.join(sub, "modules", "gtests"))
            r = H.run_grade(sub, tmp, max_seconds=H.QUICK)
        self.assert_scores(r, ["ReLU."], "your submission has no modules/relu.py")
        with open(secret) as f:
            lines = [l.strip() for l in f if len(l.strip()) >= 30]
        text = "\n".join(t["output"] for t in r["tests"]) + r["output"]
        self.assertFalse([l for l in lines if l in text])


class TestAttacksSameUser(AttackCase):
    """The fallback when the grader is not root: same user, own session, guard, subreaper."""
    isolation = "process"

    def test_writes_into_the_grader_are_undone_and_charged(self):
        victim = os.path.join(self.ag, "gtests", "checks.py")
        before = sha(victim)
        planted = os.path.join(self.ag, "grader", "planted.py")
        r = self.grade_cli(self.submission("""
_forward = ReLU.forward
def _hostile(self, x):
    with open(%r, "w") as f:
        f.write("def assert_close(*a, **k):\\n    pass\\n")
    with open(%r, "w") as f:
        f.write("planted")
    return _forward(self, x)
ReLU.forward = _hostile
""" % (victim, planted), where="modules/relu.py"))
        self.assert_scores(r, HONEST + ["ReLU."], "changed the grader's files", "dx: wrong values",
                           "dw: wrong values")
        self.assertEqual(sha(victim), before)
        self.assertFalse(os.path.exists(planted))
        # and the next submission is graded by the restored checks
        self.assert_honest(self.grade_cli(self.submission()))

    def test_double_forked_child_is_killed(self):
        beat = os.path.join(self.tmp, "beat-process")
        r = self.grade_cli(self.submission("""
import os as _os, time as _time
if _os.fork() == 0:
    _os.setsid()
    if _os.fork() == 0:
        for _i in range(600):
            with open(%r, "w") as _f:
                _f.write('{"score": 1000, "tests": []}')
            with open(%r, "w") as _f:
                _f.write(str(_i))
            _time.sleep(0.05)
    _os._exit(0)
""" % (self.results, beat), where="modules/relu.py"))
        time.sleep(1.0)
        with open(self.results) as f:
            self.assertEqual(json.load(f), r)
        t0 = os.stat(beat).st_mtime
        time.sleep(1.0)
        self.assertEqual(os.stat(beat).st_mtime, t0, "the grandchild is still running")
        # it wrote results.json during the grading: charged to the test that was running
        charged = [t for t in r["tests"] if "changed the grader's files" in t["output"]]
        self.assertTrue(charged)
        self.assertTrue(all(t["score"] == 0 for t in charged))


class TestData(unittest.TestCase):
    """The test set is checked by content before every use, and read without unpickling code."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="grader-data-")
        from gtests.part2 import cifar_eval
        self.cifar_eval = cifar_eval

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_poisoned_labels_refused(self):
        import pickle
        with open(os.path.join(H.DATA, "test_batch"), "rb") as f:
            batch = pickle.load(f, encoding="latin1")
        batch["labels"] = [(l + 1) % 10 for l in batch["labels"]]
        with open(os.path.join(self.tmp, "test_batch"), "wb") as f:
            pickle.dump(batch, f)
        st = os.stat(os.path.join(H.DATA, "test_batch"))
        os.utime(os.path.join(self.tmp, "test_batch"), ns=(st.st_atime_ns, st.st_mtime_ns))
        with self.assertRaisesRegex(RuntimeError, "fails its content check"):
            self.cifar_eval.load_test_set(self.tmp)
        x, y = self.cifar_eval.load_test_set(H.DATA)
        self.assertEqual((x.shape, y.shape, int(y[0])), ((10000, 3, 32, 32), (10000,), 3))

    def test_pickle_with_code_refused(self):
        import pickle

        marker = os.path.join(self.tmp, "pwned")

        class Evil:
            def __reduce__(self):
                return (os.system, ("touch %s" % marker,))
        with open(os.path.join(self.tmp, "test_batch"), "wb") as f:
            pickle.dump({"data": Evil(), "labels": []}, f)
        with self.assertRaises(pickle.UnpicklingError):
            self.cifar_eval.load_test_set(self.tmp)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "pwned")))


if __name__ == "__main__":
    unittest.main()
