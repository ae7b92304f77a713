"""The autograder: results.json's format, the zip's layout, and the scores it gives.

Graded here (the figures the issue's closing note asks for come from these runs):
- the reference's own submission zips (built by the parts' cs7643/submit.py): full marks;
- the starter kit's zips: zero on every implementation test, no crash;
- broken Part 1 submissions (syntax error, infinite loop, prints, sys.exit and
  os._exit, wrong shapes, writes into the grader's folders, a missing file) and a
  Part 2 submission without MyModel's checkpoint: zero on the affected tests with
  a message saying why, full marks on the others.

Every run uses the real CIFAR-10 test set. Part 1 runs take seconds; the Part 2
reference run evaluates the three checkpoints once (MyModel's dominates).
"""
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import zipfile

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TOOLS)
AUTOGRADER = os.path.join(TOOLS, "autograder")
sys.path.insert(0, AUTOGRADER)
sys.path.insert(0, TOOLS)
from grader.grading import discover, grade  # noqa: E402
from grader.results import SchemaError, make_results, validate  # noqa: E402
from release import make_starter  # noqa: E402

def load_file(path, name):
    """A Python file as a module under a name of our choosing (no clash with other modules)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load_file(os.path.join(AUTOGRADER, "build.py"), "autograder_build")
P1, P2 = os.path.join(REPO, "part1-convnet"), os.path.join(REPO, "part2-pytorch")
DATA = os.path.join(P2, "data", "cifar-10-batches-py")
P1_DIRS, P2_DIRS = ["modules", "optimizer"], ["configs", "losses", "models", "checkpoints", "solver.py"]
SPIN = 3.0    # seconds per test in the run with an infinite loop (the reference needs < 1 s)
QUICK = 30.0  # seconds per test in the other broken runs (none should come near)
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def copy_entries(src, dest, entries):
    for e in entries:
        if os.path.isdir(os.path.join(src, e)):
            shutil.copytree(os.path.join(src, e), os.path.join(dest, e), ignore=IGNORE)
        elif os.path.isfile(os.path.join(src, e)):
            os.makedirs(dest, exist_ok=True)
            shutil.copyfile(os.path.join(src, e), os.path.join(dest, e))


def load_submit(part_dir, name):
    """A part's cs7643/submit.py (both parts have a cs7643 package, so load it by path)."""
    return load_file(os.path.join(part_dir, "cs7643", "submit.py"), name)


def zip_folder(folder, out, prefix=""):
    with zipfile.ZipFile(out, "w") as z:
        for dirpath, _, filenames in os.walk(folder):
            for f in filenames:
                path = os.path.join(dirpath, f)
                z.write(path, os.path.join(prefix, os.path.relpath(path, folder)))
    return out


def append(path, code):
    with open(path, "a") as f:
        f.write("\n\n" + code.strip() + "\n")


def by_name(results):
    return {t["name"]: t for t in results["tests"]}


def run_grade(submission, out_dir, **kw):
    path = os.path.join(out_dir, "results.json")
    results = grade(submission, path, data_dir=DATA, log=lambda msg: None, **kw)
    with open(path) as f:
        on_disk = json.load(f)
    validate(on_disk)
    assert on_disk == json.loads(json.dumps(results))
    return results


class ScoreChecks(unittest.TestCase):
    def assert_scores(self, results, affected, *messages):
        """Tests whose name starts with one of `affected` score 0 and say one of `messages`;
        all the others get full marks."""
        self.assertTrue(results["tests"], results.get("output"))
        for t in results["tests"]:
            with self.subTest(test=t["name"]):
                if t["name"].startswith(tuple(affected)):
                    self.assertEqual(t["score"], 0, t)
                    self.assertTrue(any(m in t["output"] for m in messages),
                                    "expected one of %s in: %s" % (messages, t["output"]))
                else:
                    self.assertEqual(t["score"], t["max_score"], t)


# ---------------------------------------------------------------- results.json
class TestResultsFormat(unittest.TestCase):
    def good(self):
        return make_results([dict(name="a", score=1.0, max_score=2.0, output="", visibility="visible"),
                             dict(name="b", score=0.0, max_score=1.0, output="x", visibility="hidden")],
                            leaderboard=[dict(name="MyModel accuracy", value=0.8, order="desc")])

    def test_valid(self):
        r = self.good()
        self.assertEqual(r["score"], 1.0)
        validate(json.loads(json.dumps(r)))

    def test_invalid(self):
        def broken(edit):
            r = self.good()
            edit(r)
            return r
        cases = {
            "no tests": broken(lambda r: r.pop("tests")),
            "score not the sum": broken(lambda r: r.update(score=3.0)),
            "score over max": broken(lambda r: r["tests"][0].update(score=5.0)),
            "bad visibility": broken(lambda r: r["tests"][0].update(visibility="after_due_date_x")),
            "no output": broken(lambda r: r["tests"][1].pop("output")),
            "NaN": broken(lambda r: r["tests"][1].update(max_score=float("nan"))),
            "leaderboard without value": broken(lambda r: r["leaderboard"][0].pop("value")),
        }
        for name, r in cases.items():
            with self.subTest(name), self.assertRaises(SchemaError):
                validate(r)

    def test_every_test_is_graded_and_named(self):
        for part in ("1", "2"):
            specs = discover(part)
            self.assertEqual(len({s["name"] for s in specs}), len(specs), "test names must be unique")
            self.assertTrue(any(s["visibility"] == "hidden" for s in specs))
            self.assertTrue(any(s["visibility"] == "visible" for s in specs))


class TestUnreadableSubmissions(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="grade-bad-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_not_a_zip_and_unknown_layout(self):
        bad = os.path.join(self.tmp, "sub.zip")
        with open(bad, "w") as f:
            f.write("not a zip")
        r = run_grade(bad, self.tmp)
        self.assertEqual(r["score"], 0)
        self.assertIn("not a valid zip", r["output"])
        other = os.path.join(self.tmp, "other")
        os.makedirs(os.path.join(other, "homework"))
        r = run_grade(other, self.tmp)
        self.assertIn("Could not recognise the submission", r["output"])
        r = run_grade(os.path.join(self.tmp, "nothing-here"), self.tmp)
        self.assertIn("no submission", r["output"])


# ---------------------------------------------------------------- the zip, run like Gradescope
class TestAutograderZip(ScoreChecks):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="autograder-zip-")
        cls.zip = os.path.join(cls.tmp, "autograder.zip")
        build.build(cls.zip)
        cls.root = os.path.join(cls.tmp, "ag")  # plays /autograder
        with zipfile.ZipFile(cls.zip) as z:
            cls.names = set(z.namelist())
            cls.modes = {i.filename: i.external_attr >> 16 for i in z.infolist()}
            z.extractall(os.path.join(cls.root, "source"))
        for f in ("setup.sh", "run_autograder"):
            os.chmod(os.path.join(cls.root, "source", f), 0o755)
        os.makedirs(os.path.join(cls.root, "source", "data"))
        os.symlink(DATA, os.path.join(cls.root, "source", "data", "cifar-10-batches-py"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def run_autograder(self, submission_dir):
        sub = os.path.join(self.root, "submission")
        shutil.rmtree(sub, ignore_errors=True)
        shutil.copytree(submission_dir, sub)
        env = dict(os.environ, AUTOGRADER_ROOT=self.root, PYTHON=sys.executable,
                   GRADER_ARGS="--quiet --max-test-seconds %g" % QUICK)
        proc = subprocess.run([os.path.join(self.root, "source", "run_autograder")], env=env,
                              capture_output=True, text=True, timeout=900)
        self.assertEqual(proc.returncode, 0, proc.stderr[-3000:])
        with open(os.path.join(self.root, "results", "results.json")) as f:
            return validate(json.load(f))

    def test_layout(self):
        for name in ("setup.sh", "run_autograder", "requirements.txt", "grader/__main__.py",
                     "grader/worker.py", "gtests/part1/test_conv.py", "gtests/part2/test_checkpoints.py",
                     "support/part2-pytorch/data/__init__.py",
                     "support/part2-pytorch/cs7643/cifar10.py"):
            self.assertIn(name, self.names)
        self.assertEqual(self.modes["run_autograder"] & 0o111, 0o111)
        self.assertEqual(self.modes["setup.sh"] & 0o111, 0o111)
        self.assertFalse([n for n in self.names if "__pycache__" in n or n.endswith(".pth")])
        with zipfile.ZipFile(self.zip) as z:
            req = z.read("requirements.txt").decode()
            shared = z.read("support/part2-pytorch/cs7643/cifar10.py")
        self.assertIn("torch==", req)
        with open(os.path.join(P1, "cs7643", "cifar10.py"), "rb") as f:
            self.assertEqual(shared, f.read(), "the bundled cifar10.py is the link's target")

    def test_part1_reference_full_marks(self):
        with tempfile.TemporaryDirectory() as work:
            copy_entries(P1, work, P1_DIRS)
            z = load_submit(P1, "p1_submit").make_a2_1_submission(work)
            sub = os.path.join(work, "unzipped")
            with zipfile.ZipFile(z) as f:
                f.extractall(sub)
            r = self.run_autograder(sub)
        self.assertEqual(r["score"], sum(t["max_score"] for t in r["tests"]), r["output"])
        self.assertEqual(len(r["tests"]), len(discover("1")))
        self.assertNotIn("leaderboard", r)

    def test_writes_into_grader_folders(self):
        """ReLU.forward overwrites a grader test file, drops a file and fakes results.json."""
        source = os.path.join(self.root, "source")
        victim = os.path.join(source, "gtests", "part1", "test_sgd.py")
        with open(victim, "rb") as f:
            original = f.read()
        with tempfile.TemporaryDirectory() as work:
            copy_entries(P1, work, P1_DIRS)
            append(os.path.join(work, "modules", "relu.py"), """
_forward = ReLU.forward
def _hostile_forward(self, x):
    with open(%r, "w") as f:
        f.write("raise SystemExit('tests replaced')\\n")
    with open(%r, "w") as f:
        f.write("planted")
    with open(%r, "w") as f:
        f.write('{"score": 1000, "tests": []}')
    return _forward(self, x)
ReLU.forward = _hostile_forward
""" % (victim, os.path.join(source, "grader", "planted.txt"),
                os.path.join(self.root, "results", "results.json")))
            r = self.run_autograder(work)
        self.assert_scores(r, ["ReLU", "ConvNet"], "wrote into the grader's folders")
        with open(victim, "rb") as f:
            self.assertEqual(f.read(), original, "the grader's test file must be restored")
        self.assertFalse(os.path.exists(os.path.join(source, "grader", "planted.txt")))


# ---------------------------------------------------------------- broken Part 1 submissions
class TestBrokenPart1(ScoreChecks):
    """Each submission is the reference with one fault added (appended, so the reference may change)."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="grade-broken-")
        self.sub = os.path.join(self.tmp, "sub")
        copy_entries(P1, self.sub, P1_DIRS)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def grade_sub(self, prefix="", max_seconds=QUICK):
        z = zip_folder(self.sub, os.path.join(self.tmp, "sub.zip"), prefix)
        return run_grade(z, self.tmp, max_seconds=max_seconds)

    def test_syntax_error(self):
        append(os.path.join(self.sub, "modules", "max_pool.py"), "def broken(:\n    pass")
        self.assert_scores(self.grade_sub(), ["MaxPooling", "ConvNet"], "SyntaxError")

    def test_infinite_loop(self):
        append(os.path.join(self.sub, "modules", "relu.py"), """
def _spin(self, dout):
    while True:
        pass
ReLU.backward = _spin
""")
        self.assert_scores(self.grade_sub(max_seconds=SPIN), ["ReLU backward", "ReLU forward and backward",
                                              "ConvNet backward"], "Time limit")

    def test_prints(self):
        # zipped inside a folder, as students sometimes do: the grader finds the files
        append(os.path.join(self.sub, "modules", "linear.py"), """
_forward = Linear.forward
def _chatty(self, x):
    print("debug: x has shape", x.shape)
    return _forward(self, x)
Linear.forward = _chatty
""")
        r = self.grade_sub(prefix="assignment_2_1_submission")
        self.assert_scores(r, ["Linear forward", "Linear backward", "ConvNet"], "printed")
        self.assertIn("debug: x has shape", by_name(r)["Linear forward on 2-D input"]["output"])

    def test_exits(self):
        append(os.path.join(self.sub, "optimizer", "sgd.py"), """
import sys
SGD.update = lambda self, model: sys.exit(0)
""")
        append(os.path.join(self.sub, "modules", "softmax_ce.py"), """
import os
SoftmaxCrossEntropy.backward = lambda self: os._exit(0)
""")
        r = self.grade_sub()
        self.assert_scores(r, ["SGD with momentum", "SGD defaults", "SoftmaxCrossEntropy",
                               "ConvNet backward"], "exit")
        self.assertIn("sys.exit", by_name(r)["SGD with momentum: one update"]["output"])
        self.assertIn("exited with code 0",
                      by_name(r)["SoftmaxCrossEntropy forward and backward"]["output"])

    def test_wrong_shapes(self):
        append(os.path.join(self.sub, "modules", "convolution.py"), """
_forward = Conv2D.forward
Conv2D.forward = lambda self, x: _forward(self, x)[:, :, :-1]
""")
        r = self.grade_sub()
        # the network fails where the next layer receives the wrong shape
        self.assert_scores(r, ["Conv2D forward", "Conv2D backward", "ConvNet"],
                           "expected shape", "got input shape")
        self.assertIn("expected shape", by_name(r)["Conv2D forward: stride 1, padding 1"]["output"])

    def test_missing_file(self):
        os.remove(os.path.join(self.sub, "modules", "relu.py"))
        r = self.grade_sub()
        self.assert_scores(r, ["ReLU", "ConvNet"], "your submission has no modules/relu.py")
        self.assertIn("modules/relu.py", r["output"])


# ---------------------------------------------------------------- Part 2 and the starter
def _part2_missing():
    missing = [c for c in ("twolayernet.pth", "vanillacnn.pth", "mymodel.pth")
               if not os.path.exists(os.path.join(P2, "checkpoints", c))]
    return "Part 2's checkpoints are not trained yet: %s" % ", ".join(missing) if missing else None


@unittest.skipIf(_part2_missing(), _part2_missing())
class TestPart2(ScoreChecks):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="grade-part2-")
        cls.work = os.path.join(cls.tmp, "work")
        copy_entries(P2, cls.work, P2_DIRS)
        cls.zip = load_submit(P2, "p2_submit").make_a2_2_submission(cls.work)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_reference_full_marks(self):
        r = run_grade(self.zip, self.tmp)
        self.assertEqual(r["score"], sum(t["max_score"] for t in r["tests"]),
                         [t for t in r["tests"] if t["score"] < t["max_score"]])
        board = {e["name"]: e["value"] for e in r["leaderboard"]}
        self.assertGreater(board["MyModel accuracy"], 0.7)

    def test_missing_checkpoint(self):
        os.remove(os.path.join(self.work, "checkpoints", "mymodel.pth"))
        z = zip_folder(self.work, os.path.join(self.tmp, "no-mymodel.zip"))
        r = run_grade(z, self.tmp)
        self.assert_scores(r, ["MyModel checkpoint"], "your submission has no checkpoints/mymodel.pth")
        self.assertIn("checkpoints/mymodel.pth", r["output"])
        self.assertEqual(r["leaderboard"], [dict(name="MyModel accuracy", value=0.0, order="desc")])


class TestStarter(unittest.TestCase):
    """The starter kit's zips: 0 on every test of student code, and no crash."""

    # tests of code the starter already contains (given, not written by students)
    GIVEN = ("Conv2D: seeded weight", "Linear: seeded weight", "configs/")

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="grade-starter-")
        kit = os.path.join(cls.tmp, "starter")
        make_starter.build_starter(REPO, kit, log=lambda msg: None)
        cls.kit = kit

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def check(self, part_dir, entries, expected_tests):
        sub = os.path.join(self.tmp, os.path.basename(part_dir))
        copy_entries(part_dir, sub, entries)
        r = run_grade(zip_folder(sub, sub + ".zip"), self.tmp, max_seconds=60)
        self.assertEqual(len(r["tests"]), expected_tests, r["output"])
        for t in r["tests"]:
            with self.subTest(test=t["name"]):
                if t["name"].startswith(self.GIVEN):
                    continue
                self.assertEqual(t["score"], 0, t)
                # a stub raised, or a stubbed __init__ left a model without layers
                # ("has no parameters"; the Solver's optimizer: "empty parameter list")
                self.assertTrue(any(m in t["output"] for m in (
                    "NotImplementedError", "has no parameters", "empty parameter list",
                    "your submission has no")), t)
        return r

    def test_part1(self):
        self.check(os.path.join(self.kit, "part1-convnet"), P1_DIRS, len(discover("1")))

    def test_part2(self):
        r = self.check(os.path.join(self.kit, "part2-pytorch"), P2_DIRS, len(discover("2")))
        self.assertEqual(r["leaderboard"][0]["value"], 0.0)


if __name__ == "__main__":
    unittest.main()
