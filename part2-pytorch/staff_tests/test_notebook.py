"""The Part 2 notebook runs headless, top to bottom, in smoke mode (as in CI)."""
import os
import subprocess
import sys
import tempfile
import unittest

import nbformat

from staff_tests.synthetic import PART2
from tools.run_notebook import run_notebook  # the repository root: see pytest.ini

NOTEBOOK = os.path.join(PART2, "CS7643-Assignment2-2.ipynb")


class TestNotebook(unittest.TestCase):
    def test_committed_without_outputs(self):
        nb = nbformat.read(NOTEBOOK, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                self.assertEqual(cell.outputs, [], cell.source[:60])
                self.assertIsNone(cell.execution_count)

    def test_generated_by_make_notebook(self):
        # the committed notebook is make_notebook.py's output, byte for byte
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "nb.ipynb")
            subprocess.run([sys.executable, os.path.join(PART2, "make_notebook.py"), out], check=True)
            with open(out, "rb") as a, open(NOTEBOOK, "rb") as b:
                self.assertEqual(a.read(), b.read(), "run: python make_notebook.py CS7643-Assignment2-2.ipynb")

    def test_course_cell_flow(self):
        nb = nbformat.read(NOTEBOOK, as_version=4)
        self.assertEqual(len(nb.cells), 31)
        self.assertEqual(nb.metadata["accelerator"], "GPU")
        src = [c.source for c in nb.cells]
        self.assertIn("drive.mount('/content/drive')", src[6])
        self.assertIn("'google.colab' in sys.modules", src[6])  # skipped off Colab
        self.assertIn("GOOGLE_DRIVE_PATH_POST_MYDRIVE = None", src[8])
        self.assertIn("say_hello_do_you_copy(GOOGLE_DRIVE_PATH)", src[12])
        self.assertIn("CIFAR10(GOOGLE_DRIVE_PATH + '/data/cifar10', download=True, train=True)", src[14])
        self.assertIn("torch.backends.mps.is_available()", src[16])
        self.assertIn('config_file = "config_mymodel"', src[21])
        self.assertIn("solver.train()", src[21])
        for i, name in ((23, "test_twolayer"), (24, "test_mymodel"), (25, "test_vanilla_cnn"),
                        (27, "test_focalloss")):
            self.assertIn("!pytest -s {", src[i])
            self.assertIn("/tests/%s.py'}" % name, src[i])
        self.assertIn("make_a2_2_submission(GOOGLE_DRIVE_PATH)", src[30])
        self.assertEqual([c.cell_type for c in nb.cells].count("code"), 13)

    def test_smoke_run(self):
        # one thread: on a small shared CI machine this is far faster than oversubscribing
        old = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = "1"
        self.addCleanup(lambda: os.environ.pop("OMP_NUM_THREADS") if old is None
                        else os.environ.__setitem__("OMP_NUM_THREADS", old))
        before = self.outputs()
        with tempfile.TemporaryDirectory() as tmp:
            out = run_notebook(NOTEBOOK, smoke=True, out=os.path.join(tmp, "executed.ipynb"))
            nb = nbformat.read(out, as_version=4)
        errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
        self.assertEqual(errors, [])
        # smoke mode writes its checkpoints and runs to a temporary folder, never here
        self.assertEqual(self.outputs(), before)

    @staticmethod
    def outputs():
        """Names of the checkpoints and of the notebook's run folders in part2-pytorch."""
        names = set()
        for sub in ("checkpoints", "runs"):
            folder = os.path.join(PART2, sub)
            if os.path.isdir(folder):
                names |= {os.path.join(sub, f) for f in os.listdir(folder)
                          if sub == "checkpoints" or f.startswith("notebook_")}
        return names


if __name__ == "__main__":
    unittest.main()
