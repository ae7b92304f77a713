"""The Part 1 notebook runs top to bottom headless, as a student's local run would.

It runs in a temporary copy of the part folder (the committed train.png and zip are not
touched), with --smoke as CI uses it. Part 1's notebook has no separate smoke mode (all of
it takes seconds), so the run is the real one and ends at the reference's 0.88.
"""
import os
import re
import shutil
import tempfile
import unittest
import zipfile

import nbformat

from staff_tests.realdata import PART, require_cifar10
from tools.run_notebook import run_notebook  # the repository root: see pytest.ini

NOTEBOOK = "CS7643-Assignment2-1.ipynb"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


class TestNotebook(unittest.TestCase):
    def test_cell_flow(self):
        nb = nbformat.read(os.path.join(PART, NOTEBOOK), as_version=4)
        self.assertEqual(len(nb.cells), 27)
        self.assertEqual([c.cell_type for c in nb.cells],
                         ["markdown"] * 3 + ["code", "markdown", "code", "markdown", "code",
                          "code", "markdown", "code", "markdown", "code", "markdown", "code",
                          "markdown"] + ["code"] * 4 + ["markdown"] * 2 +
                         ["code", "markdown", "code", "markdown", "code"])
        for i, test in zip((16, 17, 18, 19, 22), ("linear", "maxpool", "relu", "conv", "sgd")):
            self.assertIn("!pytest -s {GOOGLE_DRIVE_PATH.replace(' ', '\\ ') + '/tests/test_%s.py'}"
                          % test, nb.cells[i].source)
        self.assertIn("GOOGLE_DRIVE_PATH_POST_MYDRIVE = None", nb.cells[7].source)
        self.assertIn("CIFAR10(GOOGLE_DRIVE_PATH + '/data/cifar10', download=True, train=True)",
                      nb.cells[14].source)
        self.assertIn("trainer.train(\n    X_train[:50], y_train[:50], model, batch_size=10, "
                      "num_epochs=10, verbose=True,\n    optimizer=optimizer)", nb.cells[24].source)
        self.assertIn("make_a2_1_submission(GOOGLE_DRIVE_PATH)", nb.cells[26].source)
        for cell in nb.cells:
            self.assertEqual(cell.get("outputs", []), [])

    def test_runs_headless(self):
        real_data = require_cifar10()
        with tempfile.TemporaryDirectory() as tmp:
            for folder in ("modules", "optimizer", "cs7643", "tests", "data"):
                shutil.copytree(os.path.join(PART, folder), os.path.join(tmp, folder),
                                ignore=shutil.ignore_patterns("__pycache__", "cifar10"))
            os.makedirs(os.path.join(tmp, "data", "cifar10"))
            os.symlink(real_data, os.path.join(tmp, "data", "cifar10", "cifar-10-batches-py"))
            shutil.copy(os.path.join(PART, NOTEBOOK), tmp)
            # The notebook's cells run the course's public tests with pytest from tmp; they draw
            # unseeded inputs and fail now and then whatever the code (conftest.py says how often).
            # The staff conftest seeds them there as it does in `make test`.
            shutil.copy(os.path.join(PART, "conftest.py"), tmp)

            old = os.environ.get("CS7643_SMOKE")
            try:
                out = run_notebook(os.path.join(tmp, NOTEBOOK), smoke=True,
                                   out=os.path.join(tmp, "executed.ipynb"))
            finally:
                if old is None:
                    os.environ.pop("CS7643_SMOKE", None)
                else:
                    os.environ["CS7643_SMOKE"] = old

            cells = nbformat.read(out, as_version=4).cells
            text = {}
            for i, cell in enumerate(cells):
                for o in cell.get("outputs", []):
                    self.assertNotEqual(o.get("output_type"), "error", o)
                    text[i] = text.get(i, "") + ANSI.sub("", o.get("text", ""))
            self.assertEqual(text[10], "Running locally.\n")
            self.assertIn("Roger that from sgd.py!", text[12])
            self.assertEqual(text[14], "Files already downloaded and verified\n" * 2)
            for i, n in ((16, 2), (17, 2), (18, 2), (19, 2), (22, 1)):
                self.assertRegex(text[i], r"=+ %d passed in" % n)
            self.assertIn("Number of training samples 49000", text[24])
            self.assertIn("Finished epoch 10 / 10: cost 0.614703, train: 0.880000, lr 5.987369e-05",
                          text[24])
            self.assertGreater(os.path.getsize(os.path.join(tmp, "train.png")), 1000)
            with zipfile.ZipFile(os.path.join(tmp, "assignment_2_1_submission.zip")) as z:
                self.assertIn("modules/convolution.py", z.namelist())


if __name__ == "__main__":
    unittest.main()
