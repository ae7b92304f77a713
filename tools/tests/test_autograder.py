"""The autograder: results.json's format, the zip's layout, and the scores it gives.

Graded here (the figures the issue's closing note asks for come from these runs):
- the reference's own files zipped as students zip them: full marks;
- the starter kit's files: zero on every test of student code, no crash;
- broken Part 1 submissions (syntax error, infinite loop, prints, sys.exit and
  os._exit, wrong shapes, a missing file): zero on the tests of the broken file
  only, with a message naming the file, the call and the shapes;
- uploads that cannot be graded (not a zip, empty, unknown layout, the other part, both
  parts): a clear message and a valid results.json.
Attacks on the grader are in test_grader_attacks.py, real students' variants in
test_grader_verdicts.py.

Every run uses the real CIFAR-10 test set. Part 1 runs take seconds; the Part 2
reference run evaluates the three checkpoints once (MyModel's dominates) and fills a
checkpoint cache that the other Part 2 runs of these tests reuse.
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
from tools import paths
from tools.release import make_starter

paths.put_first(paths.AUTOGRADER)  # the grader's packages, named as in the Gradescope zip
from grader.grading import discover, grade  # noqa: E402
from grader.results_json import SchemaError, make_results, validate  # noqa: E402


def load_file(path, name):
    """A Python file as a module under a name of our choosing (no clash with other modules)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = load_file(os.path.join(AUTOGRADER, "build.py"), "autograder_build")
P1, P2 = os.path.join(REPO, "part1-convnet"), os.path.join(REPO, "part2-pytorch")
DATA = os.path.join(P2, "data", "cifar-10-batches-py")
P1_FILES = ["modules/__init__.py", "modules/convolution.py", "modules/max_pool.py",
            "modules/relu.py", "modules/linear.py", "modules/softmax_ce.py",
            "modules/conv_classifier.py", "optimizer/__init__.py",
            "optimizer/_base_optimizer.py", "optimizer/sgd.py"]
P2_ENTRIES = ["configs", "losses", "models", "checkpoints", "solver.py"]
SPIN = 3.0    # seconds per test in the run with an infinite loop (the reference needs < 1 s)
QUICK = 60.0  # seconds per test in the other broken runs (none should come near)
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")
AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def copy_entries(src, dest, entries):
    for e in entries:
        if os.path.isdir(os.path.join(src, e)):
            shutil.copytree(os.path.join(src, e), os.path.join(dest, e), ignore=IGNORE)
        elif os.path.isfile(os.path.join(src, e)):
            os.makedirs(os.path.dirname(os.path.join(dest, e)), exist_ok=True)
            shutil.copyfile(os.path.join(src, e), os.path.join(dest, e))


def zip_folder(folder, out, prefix="", rename=None):
    """Zip `folder`; rename maps a top-level folder name to another one in the zip."""
    with zipfile.ZipFile(out, "w") as z:
        for dirpath, _, filenames in os.walk(folder):
            for f in sorted(filenames):
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, folder)
                top = rel.split(os.sep)[0]
                if rename and top in rename:
                    rel = os.path.join(rename[top], os.path.relpath(rel, top))
                z.write(path, os.path.join(prefix, rel))
    return out


def append(path, code):
    with open(path, "a") as f:
        f.write("\n\n" + code.strip() + "\n")


def by_name(results):
    return {t["name"]: t for t in results["tests"]}


def run_grade(submission, out_dir, **kw):
    path = os.path.join(out_dir, "results.json")
    kw.setdefault("data_dir", DATA)
    results = grade(submission, path, log=lambda msg: None, **kw)
    with open(path) as f:
        on_disk = json.load(f)
    validate(on_disk)
    assert on_disk == json.loads(json.dumps(results))
    return results


def part1_submission(dest):
    copy_entries(P1, dest, P1_FILES)
    return dest


def part2_submission(dest):
    copy_entries(P2, dest, P2_ENTRIES)
    return dest


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

    def assert_full(self, results):
        self.assertTrue(results["tests"], results.get("output"))
        lost = [(t["name"], t["output"][:300]) for t in results["tests"] if t["score"] < t["max_score"]]
        self.assertEqual(lost, [])


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

    def test_every_test_is_graded_and_named_by_its_unit(self):
        units = ("Conv2D.", "MaxPooling.", "ReLU.", "Linear.", "ConvNet.", "SGD.", "Solver.",
                 "TwoLayerNet:", "VanillaCNN:", "MyModel:", "checkpoint ", "reweight:",
                 "FocalLoss.", "configs/")
        for part in ("1", "2"):
            specs = discover(part)
            self.assertEqual(len({s["name"] for s in specs}), len(specs), "test names must be unique")
            self.assertTrue(any(s["visibility"] == "hidden" for s in specs))
            self.assertTrue(any(s["visibility"] == "visible" for s in specs))
            for s in specs:
                self.assertTrue(s["name"].startswith(units), s["name"])
        # what the course gives complete is not graded
        names = " ".join(s["name"] for s in discover("1"))
        self.assertNotIn("SoftmaxCrossEntropy", names)
        self.assertNotIn("apply_regularization", names)
        self.assertNotIn("seeded", names)


# ---------------------------------------------------------------- uploads that cannot be graded
class TestUnreadableSubmissions(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="grade-bad-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_not_a_zip_unknown_layout_nothing(self):
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

    def test_empty_zip(self):
        empty = os.path.join(self.tmp, "empty.zip")
        zipfile.ZipFile(empty, "w").close()
        r = run_grade(empty, self.tmp)
        self.assertEqual((r["score"], r["tests"]), (0, []))
        self.assertIn("the upload is empty", r["output"])
        self.assertNotIn("autograder failed", r["output"])

    def test_wrong_part(self):
        sub = part2_submission(os.path.join(self.tmp, "p2"))
        r = run_grade(zip_folder(sub, os.path.join(self.tmp, "p2.zip")), self.tmp, part="1")
        self.assertEqual((r["score"], r["tests"]), (0, []))
        self.assertIn("looks like a Part 2 (PyTorch) submission", r["output"])
        self.assertIn("this assignment grades Part 1", r["output"])

    def test_both_parts_graded_as_one(self):
        """One zip holding both parts is graded as exactly one part (the one it holds more of)."""
        sub = os.path.join(self.tmp, "both")
        part1_submission(sub)
        copy_entries(P2, sub, ["solver.py", "configs"])
        r = run_grade(zip_folder(sub, os.path.join(self.tmp, "both.zip")), self.tmp,
                      max_seconds=QUICK)
        self.assertEqual(len(r["tests"]), len(discover("1")))
        self.assertEqual(r["score"], sum(t["max_score"] for t in r["tests"]))
        self.assertNotIn("leaderboard", r)
        self.assertIn("Graded as Part 1 (CNN from scratch) only; the upload also holds configs, "
                      "solver.py of Part 2", r["output"])


# ---------------------------------------------------------------- the zip, run like Gradescope
class TestAutograderZip(ScoreChecks):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="autograder-zip-")
        cls.zip = os.path.join(cls.tmp, "autograder.zip")
        build.build(cls.zip, part="1")
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
                     "grader/sandbox.py", "probes/runner.py", "probes/part1.py", "probes/part2.py",
                     "gtests/part1/test_conv.py", "gtests/part2/test_checkpoints.py",
                     "support/part2-pytorch/data/__init__.py", "support/part2-pytorch/train_utils.py",
                     "support/part2-pytorch/config.py",
                     "support/part2-pytorch/cs7643/fetch.py",
                     "support/part1-convnet/modules/softmax_ce.py",
                     "support/part1-convnet/optimizer/_base_optimizer.py", "PART",
                     "support/part1-convnet/manifest.json", "support/part2-pytorch/manifest.json"):
            self.assertIn(name, self.names)
        self.assertEqual(self.modes["run_autograder"] & 0o111, 0o111)
        self.assertEqual(self.modes["setup.sh"] & 0o111, 0o111)
        self.assertFalse([n for n in self.names if "__pycache__" in n or n.endswith(".pth")])
        with zipfile.ZipFile(self.zip) as z:
            req = z.read("requirements.txt").decode()
            given = z.read("support/part1-convnet/modules/softmax_ce.py")
            self.assertEqual(z.read("PART"), b"1\n")
        self.assertIn("torch==", req)
        with open(os.path.join(P1, "modules", "softmax_ce.py"), "rb") as f:
            self.assertEqual(given, f.read(), "the given file is bundled as it is in the kit")

    def test_part1_reference_full_marks(self):
        with tempfile.TemporaryDirectory() as work:
            r = self.run_autograder(part1_submission(os.path.join(work, "sub")))
        self.assertEqual(r["score"], sum(t["max_score"] for t in r["tests"]), r["output"])
        self.assertEqual(len(r["tests"]), len(discover("1")))
        self.assertNotIn("leaderboard", r)

    def test_part2_upload_refused_by_the_part1_zip(self):
        with tempfile.TemporaryDirectory() as work:
            sub = os.path.join(work, "sub")
            copy_entries(P2, sub, ["solver.py", "configs", "losses", "models"])
            r = self.run_autograder(sub)
        self.assertEqual((r["score"], r["tests"]), (0, []))
        self.assertIn("this assignment grades Part 1", r["output"])


# ---------------------------------------------------------------- broken Part 1 submissions
class TestBrokenPart1(ScoreChecks):
    """Each submission is the reference with one fault added (appended, so the reference may change).

    A fault costs points in the tests of its own file only: the ConvNet is tested on
    stand-in layers and the SGD with the given _base_optimizer.py.
    """

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="grade-broken-")
        self.sub = part1_submission(os.path.join(self.tmp, "sub"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def grade_sub(self, prefix="", max_seconds=QUICK):
        z = zip_folder(self.sub, os.path.join(self.tmp, "sub.zip"), prefix)
        return run_grade(z, self.tmp, max_seconds=max_seconds)

    def test_syntax_error(self):
        append(os.path.join(self.sub, "modules", "max_pool.py"), "def broken(:\n    pass")
        r = self.grade_sub()
        self.assert_scores(r, ["MaxPooling"], "SyntaxError")
        self.assertIn("modules/max_pool.py", by_name(r)["MaxPooling.forward: 2x2 windows, stride 2"]["output"])

    def test_infinite_loop(self):
        append(os.path.join(self.sub, "modules", "relu.py"), """
def _spin(self, dout):
    while True:
        pass
ReLU.backward = _spin
""")
        self.assert_scores(self.grade_sub(max_seconds=SPIN), ["ReLU.backward"], "Time limit")

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
        self.assert_scores(r, ["Linear."], "printed")
        self.assertIn("debug: x has shape", by_name(r)["Linear.forward: 2-D input"]["output"])

    def test_exits(self):
        append(os.path.join(self.sub, "optimizer", "sgd.py"), """
import sys
SGD.update = lambda self, model: sys.exit(0)
""")
        append(os.path.join(self.sub, "modules", "relu.py"), """
import os
ReLU.backward = lambda self, dout: os._exit(0)
""")
        r = self.grade_sub()
        self.assert_scores(r, ["SGD.update", "ReLU.backward"], "exit")
        self.assertIn("sys.exit", by_name(r)["SGD.update: one momentum update"]["output"])
        self.assertIn("exited with code 0", by_name(r)["ReLU.backward"]["output"])

    def test_wrong_shapes(self):
        append(os.path.join(self.sub, "modules", "convolution.py"), """
_forward = Conv2D.forward
Conv2D.forward = lambda self, x: _forward(self, x)[:, :, :-1]
""")
        r = self.grade_sub()
        self.assert_scores(r, ["Conv2D."], "expected shape", "got input shape")
        out = by_name(r)["Conv2D.forward: stride 1, padding 1"]["output"]
        self.assertIn("expected shape (2, 4, 7, 7), got shape (2, 4, 6, 7)", out)
        self.assertIn("modules/convolution.py", out)

    def test_error_names_file_line_and_call(self):
        append(os.path.join(self.sub, "modules", "linear.py"), """
def _bad_backward(self, dout):
    self.dw = self.cache.T @ dout[0]   # wrong shapes on purpose
Linear.backward = _bad_backward
""")
        r = self.grade_sub()
        self.assert_scores(r, ["Linear.backward"], "Error")
        out = by_name(r)["Linear.backward: 2-D input"]["output"]
        self.assertIn("while calling Linear.backward(dout of shape (4, 5))", out)
        self.assertRegex(out, r"at modules/linear\.py:\d+ in _bad_backward: self\.dw = self\.cache\.T @ dout\[0\]")

    def test_missing_file(self):
        os.remove(os.path.join(self.sub, "modules", "relu.py"))
        r = self.grade_sub()
        self.assert_scores(r, ["ReLU."], "your submission has no modules/relu.py")
        self.assertIn("modules/relu.py", r["output"])


# ---------------------------------------------------------------- Part 2 and the starter
def _part2_missing():
    missing = [c for c in ("twolayernet.pth", "vanillacnn.pth", "mymodel.pth")
               if not os.path.exists(os.path.join(P2, "checkpoints", c))]
    return "Part 2's checkpoints are not trained yet: %s" % ", ".join(missing) if missing else None


# `make test` shares one cache with the corpus (test_grading_corpus.py) for the whole run.
CACHE = os.environ.get("CS7643_CORPUS_CHECKPOINT_CACHE") or \
    os.path.join(tempfile.gettempdir(), "cs7643-grader-test-cache-%d" % os.getpid())


@unittest.skipIf(_part2_missing(), _part2_missing())
class TestPart2(ScoreChecks):
    """The reference in the course's zip layout (configs stored as config/) gets full marks."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="grade-part2-")
        cls.work = part2_submission(os.path.join(cls.tmp, "work"))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_reference_full_marks(self):
        z = zip_folder(self.work, os.path.join(self.tmp, "ref.zip"), rename={"configs": "config"})
        r = run_grade(z, self.tmp, checkpoint_cache=CACHE)
        self.assert_full(r)
        board = {e["name"]: e["value"] for e in r["leaderboard"]}
        self.assertGreater(board["MyModel accuracy"], 0.7)

    def test_z_missing_checkpoint(self):  # runs after the reference: the cache is filled
        sub = os.path.join(self.tmp, "no-mymodel")
        shutil.copytree(self.work, sub)
        os.remove(os.path.join(sub, "checkpoints", "mymodel.pth"))
        r = run_grade(zip_folder(sub, sub + ".zip"), self.tmp, checkpoint_cache=CACHE)
        self.assert_scores(r, ["checkpoint mymodel.pth"], "your submission has no checkpoints/mymodel.pth")
        self.assertIn("checkpoints/mymodel.pth", r["output"])
        self.assertIn("Leaderboard: no MyModel accuracy", r["output"])
        self.assertNotIn("leaderboard", r)  # not ranked last with a made-up 0
        self.assertIn("Staff checkpoint cache", r["output"])


class TestStarter(unittest.TestCase):
    """The starter kit's files: 0 on every test of student code, and no crash."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="grade-starter-")
        kit = os.path.join(cls.tmp, "starter")
        make_starter.build_starter(REPO, kit, log=lambda msg: None)
        cls.kit = kit

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def check(self, part_dir, entries, expected_tests, given=()):
        sub = os.path.join(self.tmp, os.path.basename(part_dir))
        copy_entries(part_dir, sub, entries)
        r = run_grade(zip_folder(sub, sub + ".zip"), self.tmp, max_seconds=QUICK,
                      checkpoint_cache=CACHE)
        self.assertEqual(len(r["tests"]), expected_tests, r["output"])
        for t in r["tests"]:
            with self.subTest(test=t["name"]):
                if t["name"].startswith(given):
                    self.assertEqual(t["score"], t["max_score"], t)
                    continue
                self.assertEqual(t["score"], 0, t)
                self.assertFalse(t["output"].startswith("grader error"), t)
        return r

    def test_part1(self):
        self.check(os.path.join(self.kit, "part1-convnet"), P1_FILES, len(discover("1")))

    def test_part2(self):
        # the starter's configs are the course's, graded unmodified: they pass
        r = self.check(os.path.join(self.kit, "part2-pytorch"), P2_ENTRIES, len(discover("2")),
                       given=("configs/",))
        self.assertNotIn("leaderboard", r)


if __name__ == "__main__":
    unittest.main()
