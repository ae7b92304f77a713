"""The starter kit: solution regions become stubs, and the kit holds what students get, nothing else.

Three levels:
- TestMarkers: the marker syntax on small strings (fast, no files);
- TestBuildFixture: the release of a small made-up repository (layout, links,
  notebooks, atomic replacement);
- TestRealStarter: the release of this repository: no marker survives, every file
  compiles and imports, the public tests fail on the starter (at the empty TODO
  banners, never at an import) and pass on the reference, the notebooks run up to
  the first cell that needs student code.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

TOOLS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(TOOLS)
from tools.release import make_starter
from tools.release.markers import MarkerError, find_regions, has_marker, strip_solutions

# Where `make data` links CIFAR-10 (the course's layout: <part>/data/cifar10/cifar-10-batches-py).
DATA = os.path.realpath(os.path.join(REPO, "part2-pytorch", "data", "cifar-10-batches-py"))
PART1, PART2 = "part1-convnet", "part2-pytorch"

# Run a part's public tests one by one; print one JSON record per test (id, outcome,
# exception type, the file of the innermost frame, first line of the message).
OUTCOMES = textwrap.dedent(r"""
    import json, sys, traceback, unittest

    class Result(unittest.TestResult):
        def __init__(self):
            super().__init__()
            self.records = []
        def _add(self, test, outcome, err=None):
            exc = err[0].__name__ if err else ""
            text = "".join(traceback.format_exception(*err)) if err else ""
            tb = traceback.extract_tb(err[2]) if err else []
            self.records.append(dict(id=test.id(), outcome=outcome, exc=exc,
                                     where=tb[-1].filename if tb else "",
                                     message=str(err[1]).splitlines()[0][:300] if err and str(err[1]) else ""))
        def addSuccess(self, test): self._add(test, "pass")
        def addFailure(self, test, err): self._add(test, "fail", err)
        def addError(self, test, err): self._add(test, "error", err)
        def addSkip(self, test, reason): self.records.append(dict(id=test.id(), outcome="skip", exc="", where="", message=reason))

    only = json.loads(sys.argv[1]) if len(sys.argv) > 1 else None
    if only is None:
        suite = unittest.defaultTestLoader.discover("tests", top_level_dir=".")
    else:
        suite = unittest.defaultTestLoader.loadTestsFromNames(only)
    result = Result()
    suite.run(result)
    print("OUTCOMES " + json.dumps(result.records))
""")


def public_test_outcomes(part_dir, only=None, timeout=900):
    """{test id: record} for the public tests of a part folder (or the tests `only`),
    run in a fresh interpreter."""
    env = dict(os.environ, TQDM_DISABLE="1", PYTHONDONTWRITEBYTECODE="1")
    args = [json.dumps(sorted(only))] if only is not None else []
    proc = subprocess.run([sys.executable, "-c", OUTCOMES] + args, cwd=part_dir, env=env,
                          capture_output=True, text=True, timeout=timeout)
    lines = [l for l in proc.stdout.splitlines() if l.startswith("OUTCOMES ")]
    if not lines:
        raise AssertionError("the test run in %s crashed:\n%s" % (part_dir, proc.stderr[-3000:]))
    return {r["id"]: r for r in json.loads(lines[-1][len("OUTCOMES "):])}


# ---------------------------------------------------------------- the marker syntax
class TestMarkers(unittest.TestCase):
    BANNER_TOP = "#" * 77
    BANNER_END = ["#" * 77, "#" + " " * 30 + "END OF YOUR CODE" + " " * 29 + "#", "#" * 77]

    def banner(self, indent, todo, body, hints=()):
        """The course's TODO banner, written out independently of markers.py."""
        lines = [self.BANNER_TOP, "# TODO: " + todo] + ["# " + h if h else "#" for h in hints]
        lines += [self.BANNER_TOP, body] + self.BANNER_END
        return "".join((indent + l if l else "") + "\n" for l in lines)

    def test_region_becomes_course_banner(self):
        src = ("def f(x):\n"
               "    \"\"\"Doc.\"\"\"\n"
               "    y = None\n"
               "    # BEGIN SOLUTION: double x\n"
               "    #: Hint: multiply by 2.\n"
               "    #:\n"
               "    #: Loops are fine.\n"
               "    y = 2 * x\n"
               "    # END SOLUTION\n"
               "    return y\n")
        out = strip_solutions(src)
        self.assertEqual(out, (
            "def f(x):\n"
            "    \"\"\"Doc.\"\"\"\n"
            "    y = None\n" +
            self.banner("    ", "double x", "", hints=("Hint: multiply by 2.", "", "Loops are fine.")) +
            "    return y\n"))
        ns = {}
        exec(compile(out, "<test>", "exec"), ns)
        self.assertIsNone(ns["f"](3))  # like the course's stubs: no raise, the result stays unset

    def test_stub_statement_and_indentation(self):
        src = ("class A:\n"
               "    def __init__(self):\n"
               "        if True:\n"
               "            # BEGIN SOLUTION: define the layers | stub: pass\n"
               "            self.fc = 3\n"
               "            # END SOLUTION\n"
               "# BEGIN SOLUTION: write helpers here | stub: x = None\n"
               "def helper():\n"
               "    return 1\n"
               "# END SOLUTION")
        out = strip_solutions(src)
        expected = ("class A:\n"
                    "    def __init__(self):\n"
                    "        if True:\n" +
                    self.banner("            ", "define the layers", "            pass"[12:]) +
                    self.banner("", "write helpers here", "x = None"))
        self.assertEqual(out, expected[:-1])  # no final newline in, none out
        compile(out, "<test>", "exec")

    def test_dropped_region_vanishes_with_its_blank_lines(self):
        src = ("import torch\n"
               "\n"
               "\n"
               "# BEGIN SOLUTION: reference helpers | drop\n"
               "class Helper:\n"
               "    pass\n"
               "\n"
               "\n"
               "# END SOLUTION\n"
               "\n"
               "\n"
               "class Model:\n"
               "    def __init__(self):\n"
               "        # BEGIN SOLUTION: define the layers | stub: pass\n"
               "        self.h = Helper()\n"
               "        # END SOLUTION\n")
        out = strip_solutions(src)
        self.assertEqual(out, "import torch\n\n\nclass Model:\n    def __init__(self):\n" +
                         self.banner("        ", "define the layers", "pass"))
        self.assertEqual([r[2] for r in find_regions(src)], ["reference helpers | drop", "define the layers | stub: pass"])
        with self.assertRaises(MarkerError):  # dropped or stubbed, not both
            strip_solutions("# BEGIN SOLUTION: a | stub: pass | drop\nx = 1\n# END SOLUTION\n", where="f.py")

    def test_hint_lines_only_right_after_begin(self):
        # a "#:" line inside the code (not directly after BEGIN) is reference code, removed with it
        src = "# BEGIN SOLUTION: a\nx = 1\n#: not a hint\n# END SOLUTION\n"
        self.assertEqual(strip_solutions(src), self.banner("", "a", ""))

    def test_text_outside_regions_kept(self):
        src = "a = 1\n\n\n   # a comment\nb = 2\n"
        self.assertEqual(strip_solutions(src), src)
        self.assertEqual(find_regions(src), [])

    def test_malformed_regions(self):
        cases = {
            "unclosed": "# BEGIN SOLUTION: x\nx = 1\n",
            "nested": "# BEGIN SOLUTION: a\n# BEGIN SOLUTION: b\n# END SOLUTION\n# END SOLUTION\n",
            "END without BEGIN": "x = 1\n# END SOLUTION\n",
            "no description": "# BEGIN SOLUTION:\nx = 1\n# END SOLUTION\n",
            "empty stub": "# BEGIN SOLUTION: x | stub:\nx = 1\n# END SOLUTION\n",
            "inline marker": "x = 1  # END SOLUTION\n",
        }
        for name, src in cases.items():
            with self.subTest(name), self.assertRaises(MarkerError) as cm:
                strip_solutions(src, where="f.py")
            self.assertIn("f.py:", str(cm.exception))

    def test_has_marker(self):
        self.assertTrue(has_marker("  # BEGIN SOLUTION: x"))
        self.assertTrue(has_marker("text END SOLUTION text"))
        self.assertFalse(has_marker("# TODO: implement the solution"))


# ---------------------------------------------------------------- a made-up repository
def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


NOTEBOOK = {
    "nbformat": 4, "nbformat_minor": 5,
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "cells": [
        {"cell_type": "markdown", "id": "m1", "metadata": {}, "source": "# Title"},
        {"cell_type": "code", "id": "c1", "metadata": {"execution": {"iopub.status.busy": "2024-01-01T00:00:00Z"}},
         "execution_count": 3, "source": "x = 1\nprint(x)",
         "outputs": [{"output_type": "stream", "name": "stdout", "text": "1\n"}]},
        {"cell_type": "code", "id": "c2", "metadata": {}, "execution_count": 4,
         "source": "# BEGIN SOLUTION: pick a learning rate | stub: lr = None\nlr = 0.1\n# END SOLUTION",
         "outputs": []},
    ],
}


def make_fixture(root):
    p1, p2 = os.path.join(root, PART1), os.path.join(root, PART2)
    layer = ("def f(x):\n    \"\"\"Double x.\"\"\"\n    # BEGIN SOLUTION: double x\n"
             "    return 2 * x\n    # END SOLUTION\n")
    write(os.path.join(p1, "modules", "__init__.py"), "from .layer import f\n")
    write(os.path.join(p1, "modules", "layer.py"), layer)
    write(os.path.join(p1, "optimizer", "__init__.py"), "")
    write(os.path.join(p1, "tests", "test_layer.py"), "import unittest\n")
    write(os.path.join(p1, "staff_tests", "test_hidden.py"), "SECRET = 1\n")
    write(os.path.join(p1, "data", "__init__.py"), "")
    write(os.path.join(p1, "data", "cifar-10-batches-py", "data_batch_1"), "pixels")
    write(os.path.join(p1, "cs7643", "__init__.py"), "")
    write(os.path.join(p1, "cs7643", "cifar10.py"), "SHARED = 'download code'\n")
    write(os.path.join(p1, "bench.py"), "print('staff benchmark')\n")
    write(os.path.join(p1, "CS7643-Assignment2-1.ipynb"), json.dumps(NOTEBOOK))
    write(os.path.join(p1, "modules", "__pycache__", "layer.cpython-311.pyc"), "junk")
    for d in ("models", "losses", "data", "cs7643", "tests"):
        write(os.path.join(p2, d, "__init__.py"), "")
    os.remove(os.path.join(p2, "cs7643", "__init__.py"))
    os.symlink(os.path.join("..", "..", PART1, "cs7643", "cifar10.py"),
               os.path.join(p2, "cs7643", "cifar10.py"))
    write(os.path.join(p2, "solver.py"), "class Solver:\n    pass\n")
    for name in ("config_twolayer", "config_vanilla_cnn", "config_mymodel", "config_resnet32"):
        write(os.path.join(p2, "configs", name + ".yaml"), "Train:\n  epochs: 10\n")
    write(os.path.join(p2, "experiments", "configs", "config_resnet32_focal_tuned.yaml"), "tuned\n")
    write(os.path.join(p2, "checkpoints", "deleteme"), "deleteme\n")
    write(os.path.join(p2, "checkpoints", "twolayernet.pth"), "weights")
    write(os.path.join(p2, "results", "table.md"), "answers")
    write(os.path.join(p2, "staff_tests", "test_x.py"), "")
    write(os.path.join(root, "environment.yaml"), "name: cs7643-a2\n")
    write(os.path.join(root, "requirements.txt"), "numpy\n")
    write(os.path.join(root, "tools", "report", "answer_key.py"), "ANSWER = 42\n")
    write(os.path.join(root, "README.md"), "staff readme\n")


def kit_files(kit):
    out = set()
    for dirpath, dirnames, filenames in os.walk(kit):
        out |= {os.path.relpath(os.path.join(dirpath, f), kit) for f in filenames}
    return out


class TestBuildFixture(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="starter-test-")
        self.repo = os.path.join(self.tmp, "repo")
        make_fixture(self.repo)
        self.out = os.path.join(self.tmp, "dist", "starter")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def build(self):
        return make_starter.build_starter(self.repo, self.out, log=lambda msg: None)

    def test_contents(self):
        left_out = self.build()
        files = kit_files(self.out)
        self.assertEqual(files, {
            "README.md", "environment.yaml", "requirements.txt",
            "part1-convnet/modules/__init__.py", "part1-convnet/modules/layer.py",
            "part1-convnet/optimizer/__init__.py", "part1-convnet/tests/test_layer.py",
            "part1-convnet/data/__init__.py", "part1-convnet/cs7643/__init__.py",
            "part1-convnet/cs7643/cifar10.py", "part1-convnet/CS7643-Assignment2-1.ipynb",
            "part2-pytorch/models/__init__.py", "part2-pytorch/losses/__init__.py",
            "part2-pytorch/data/__init__.py", "part2-pytorch/cs7643/cifar10.py",
            "part2-pytorch/tests/__init__.py", "part2-pytorch/solver.py",
            "part2-pytorch/configs/config_twolayer.yaml",
            "part2-pytorch/configs/config_vanilla_cnn.yaml",
            "part2-pytorch/configs/config_mymodel.yaml",
            "part2-pytorch/configs/config_resnet32.yaml", "part2-pytorch/checkpoints/deleteme"})
        self.assertTrue(os.path.isdir(os.path.join(self.out, PART2, "checkpoints")))
        self.assertEqual(os.listdir(os.path.join(self.out, PART2, "checkpoints")), ["deleteme"])
        self.assertIn("part2-pytorch/experiments", left_out)
        self.assertIn("part1-convnet/bench.py", left_out)
        self.assertIn("part2-pytorch/results", left_out)
        self.assertIn("report_template.pptx (not generated yet)", left_out)
        with open(os.path.join(self.out, "README.md")) as f:
            self.assertIn("starter kit", f.read())

    def test_stubs_and_links(self):
        self.build()
        with open(os.path.join(self.out, PART1, "modules", "layer.py")) as f:
            self.assertEqual(f.read(), "def f(x):\n    \"\"\"Double x.\"\"\"\n" +
                             TestMarkers.banner(TestMarkers, "    ", "double x", ""))
        link = os.path.join(self.out, PART2, "cs7643", "cifar10.py")
        self.assertFalse(os.path.islink(link), "the release must copy the link's target")
        with open(link) as f:
            self.assertEqual(f.read(), "SHARED = 'download code'\n")

    def test_notebook_cleared_and_stubbed(self):
        self.build()
        with open(os.path.join(self.out, PART1, "CS7643-Assignment2-1.ipynb")) as f:
            nb = json.load(f)
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        self.assertTrue(all(c["outputs"] == [] and c["execution_count"] is None for c in code))
        self.assertNotIn("execution", code[0]["metadata"])
        self.assertEqual("".join(code[1]["source"]),
                         TestMarkers.banner(TestMarkers, "", "pick a learning rate", "lr = None")[:-1])

    def test_rebuild_replaces_and_failure_keeps_old_kit(self):
        self.build()
        os.remove(os.path.join(self.repo, PART2, "configs", "config_resnet32.yaml"))
        self.build()
        self.assertFalse(os.path.exists(os.path.join(self.out, PART2, "configs", "config_resnet32.yaml")))
        write(os.path.join(self.repo, PART1, "modules", "layer.py"), "# BEGIN SOLUTION: x\nx = 1\n")
        with self.assertRaises(MarkerError):
            self.build()
        with open(os.path.join(self.out, PART1, "modules", "layer.py")) as f:
            self.assertIn("# TODO: double x", f.read())  # the previous kit, untouched
        leftovers = [n for n in os.listdir(os.path.dirname(self.out)) if n != "starter"]
        self.assertEqual(leftovers, [], "a failed build must not leave temporary folders")


# ---------------------------------------------------------------- this repository
class TestManifests(unittest.TestCase):
    """Each part's manifest.json (its file lists, read by the release, the grader and the
    corpus): every list names files of the reference, and the lists fit together."""

    def test_lists_fit_together(self):
        import glob
        for part, m in make_starter.MANIFESTS.items():
            root = os.path.join(REPO, part)
            shipped = lambda rel: rel in m["ship"] or rel.split("/")[0] in m["ship"]  # noqa: E731
            with self.subTest(part=part):
                for entry in m["ship"] + m["given"]:
                    self.assertTrue(os.path.exists(os.path.join(root, entry)), entry)
                for entry in m["ship_empty"] + m["given"] + m["submit"] + m["graded"]:
                    self.assertTrue(shipped(entry), "%s is not in the kit (ship)" % entry)
                zipped = set()
                for entry in m["submit"]:
                    found = glob.glob(os.path.join(root, entry))
                    self.assertTrue(found, "%s matches no file of the reference" % entry)
                    zipped |= {os.path.relpath(f, root) for f in found}
                # the grader expects what the zip holds (the configs it grades among configs/*.yaml)
                self.assertLessEqual(set(m["graded"]), zipped)
                self.assertEqual(len(set(m["graded"])), len(m["graded"]))
                self.assertEqual({f for f in zipped if not f.startswith("configs/")},
                                 {f for f in m["graded"] if not f.startswith("configs/")})

    def test_staff_files_stay_out(self):
        files, left_out = make_starter.plan(REPO)
        shipped = {rel for _, rel in files}
        for staff in ("part1-convnet/manifest.json", "part2-pytorch/manifest.json",
                      "part2-pytorch/checkpoint_eval.py"):
            self.assertNotIn(staff, shipped)
            self.assertIn(staff, left_out)


def _needs_parts():
    missing = [p for p in ("part1-convnet/CS7643-Assignment2-1.ipynb", "part2-pytorch/solver.py",
                           "part1-convnet/tests/test_conv.py", "part2-pytorch/tests/test_focalloss.py")
               if not os.path.exists(os.path.join(REPO, p))]
    return "the parts are not complete yet (missing %s)" % ", ".join(missing) if missing else None


@unittest.skipIf(_needs_parts(), _needs_parts())
class TestRealStarter(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="starter-real-")
        cls.kit = os.path.join(cls.tmp, "starter")
        make_starter.build_starter(REPO, cls.kit, log=lambda msg: None)
        cls.files = kit_files(cls.kit)
        # What the notebooks' download cell would fetch: the course's layout,
        # <part>/data/cifar10/cifar-10-batches-py, and Part 2's test set under ./data.
        for link in (os.path.join(PART1, "data", "cifar10"), os.path.join(PART2, "data", "cifar10"),
                     os.path.join(PART2, "data")):
            os.makedirs(os.path.join(cls.kit, link), exist_ok=True)
            os.symlink(DATA, os.path.join(cls.kit, link, "cifar-10-batches-py"))
        cls.starter_outcomes = {part: public_test_outcomes(os.path.join(cls.kit, part))
                                for part in (PART1, PART2)}

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_what_ships(self):
        for required in ("README.md", "environment.yaml", "requirements.txt",
                         "part1-convnet/CS7643-Assignment2-1.ipynb", "part2-pytorch/solver.py",
                         "part2-pytorch/configs/config_twolayer.yaml",
                         "part2-pytorch/configs/config_vanilla_cnn.yaml",
                         "part2-pytorch/models/my_model.py", "part2-pytorch/losses/focal_loss.py",
                         "part1-convnet/modules/convolution.py", "part1-convnet/optimizer/sgd.py",
                         "part1-convnet/tests/test_conv.py", "part2-pytorch/tests/test_focalloss.py"):
            self.assertIn(required, self.files)
        if os.path.exists(os.path.join(REPO, "report_template.pptx")):
            self.assertIn("report_template.pptx", self.files)
        for f in self.files:
            parts = f.split("/")
            self.assertNotIn("staff_tests", parts, f)
            self.assertNotIn("tools", parts, f)
            self.assertNotIn("runs", parts, f)
            self.assertNotIn("results", parts, f)
            self.assertFalse(f.endswith((".pth", ".pt", ".pyc", ".executed.ipynb", ".zip")), f)
            self.assertNotIn("answer_key", f)
            self.assertFalse(os.path.islink(os.path.join(self.kit, f)), "%s is a link" % f)

    def test_no_marker_survives(self):
        for f in self.files:
            if f.endswith((".pptx", ".png", ".npy")):
                continue
            with open(os.path.join(self.kit, f), encoding="utf-8") as fh:
                self.assertFalse(has_marker(fh.read()), "%s still has a solution marker" % f)

    def test_files_compile_and_import(self):
        for part in (PART1, PART2):
            modules = sorted(f[len(part) + 1:-3].replace("/", ".").replace(".__init__", "")
                             for f in self.files if f.startswith(part + "/") and f.endswith(".py"))
            script = ("import importlib\nfor m in %r:\n    importlib.import_module(m)\n"
                      "print('imported', len(%r))" % (modules, modules))
            proc = subprocess.run([sys.executable, "-c", script], cwd=os.path.join(self.kit, part),
                                  capture_output=True, text=True, timeout=300)
            self.assertEqual(proc.returncode, 0, "%s: importing the starter's modules failed:\n%s"
                             % (part, proc.stderr[-3000:]))

    # Failures that mean the starter is broken, not that a TODO is still empty.
    BROKEN = ("ImportError", "ModuleNotFoundError", "SyntaxError", "IndentationError")

    def test_public_tests_stop_at_the_todos(self):
        # Like the course's, the starter's TODOs are empty banners: a public test fails where
        # the student's code would be used (a None output, an unset gradient, a missing
        # checkpoint), never at an import. A test may pass only if it checks given code.
        for part in (PART1, PART2):
            outcomes = self.starter_outcomes[part]
            self.assertGreater(len(outcomes), 3, part)
            for tid, r in outcomes.items():
                with self.subTest(test=tid):
                    self.assertNotIn(r["exc"], self.BROKEN, r)
            for f in sorted({tid.split(".")[1] for tid in outcomes}):
                with self.subTest(file=f):
                    self.assertTrue(any(r["outcome"] != "pass" for t, r in outcomes.items()
                                        if t.split(".")[1] == f),
                                    "every test of %s/tests/%s.py passes on the starter" % (part, f))

    def test_same_tests_pass_on_reference(self):
        # The tests that fail on the starter pass on the reference. (The checkpoint tests,
        # which stop at the missing checkpoint, run in `make test-part2`: evaluating MyModel
        # twice would double the suite's slowest step.)
        for part in (PART1, PART2):
            tests = sorted(f for f in self.files if f.startswith(part + "/tests/"))
            for f in tests:  # the starter's tests are the reference's, byte for byte
                with open(os.path.join(self.kit, f), "rb") as a, open(os.path.join(REPO, f), "rb") as b:
                    self.assertEqual(a.read(), b.read(), "%s differs (edited since the kit was "
                                     "built?)" % f)
            stopped = {t for t, r in self.starter_outcomes[part].items()
                       if r["outcome"] in ("fail", "error")
                       and not ("checkpoint" in r["message"] or ".pth" in r["message"])}
            self.assertTrue(stopped, part)
            outcomes = public_test_outcomes(os.path.join(REPO, part), only=stopped)
            self.assertEqual(set(outcomes), stopped)
            for tid, r in outcomes.items():
                with self.subTest(test=tid):
                    self.assertEqual(r["outcome"], "pass", r)

    def test_notebooks_run_until_student_code(self):
        from tools.run_notebook import run_notebook
        from nbclient.exceptions import CellExecutionError
        for part, name in ((PART1, "CS7643-Assignment2-1.ipynb"), (PART2, "CS7643-Assignment2-2.ipynb")):
            path = os.path.join(self.kit, part, name)
            if not os.path.exists(path):
                continue  # Part 2's notebook may not exist yet; test_what_ships covers Part 1's
            out = os.path.join(self.tmp, name + ".executed.ipynb")
            with self.subTest(notebook=name):
                with self.assertRaises(CellExecutionError) as cm:
                    run_notebook(path, smoke=True, out=out, timeout=600)
                err = cm.exception
                self.assertNotIn(err.ename, self.BROKEN + ("FileNotFoundError",),
                                 "%s stops at %s: %s, before any student code runs"
                                 % (name, err.ename, err.evalue))
                with open(out) as f:
                    cells = [c for c in json.load(f)["cells"] if c["cell_type"] == "code"]
                ran = [c for c in cells if c.get("execution_count")]
                failed = [i for i, c in enumerate(ran)
                          if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
                self.assertEqual(failed, [len(ran) - 1], "only the last cell run may fail")
                # set-up, hello check and data cells all run on the starter; the first cell
                # to fail is the one that trains (Part 1's experiment, Part 2's Solver), the
                # first that needs the student's code (the !pytest cells never raise).
                self.assertIn(".train(", "".join(ran[-1]["source"]),
                              "%s stopped before its training cell" % name)
                self.assertTrue(any("CIFAR10(" in "".join(c["source"]) for c in ran[:-1]),
                                "%s stopped before its data cell" % name)


if __name__ == "__main__":
    unittest.main()
