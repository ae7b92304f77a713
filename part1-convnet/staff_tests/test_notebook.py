"""The Part 1 notebook runs top to bottom headless in smoke mode (CS7643_SMOKE=1).

It runs in a temporary copy of the part folder, so the committed train.png and the
student's zip are not touched.
"""
import os
import shutil
import sys
import tempfile
import unittest
import zipfile

import nbformat

from staff_tests.realdata import PART, require_cifar10

sys.path.insert(0, os.path.join(os.path.dirname(PART), "tools"))
from run_notebook import run_notebook  # noqa: E402

NOTEBOOK = "CS7643-Assignment2-1.ipynb"


class TestNotebook(unittest.TestCase):
    def test_runs_in_smoke_mode(self):
        real_data = require_cifar10()
        with tempfile.TemporaryDirectory() as tmp:
            for folder in ("modules", "optimizer", "cs7643", "tests"):
                shutil.copytree(os.path.join(PART, folder), os.path.join(tmp, folder),
                                ignore=shutil.ignore_patterns("__pycache__"))
            os.makedirs(os.path.join(tmp, "data"))
            shutil.copy(os.path.join(PART, "data", "__init__.py"), os.path.join(tmp, "data"))
            os.symlink(real_data, os.path.join(tmp, "data", "cifar-10-batches-py"))
            shutil.copy(os.path.join(PART, NOTEBOOK), tmp)

            old = os.environ.get("CS7643_SMOKE")
            try:
                out = run_notebook(os.path.join(tmp, NOTEBOOK), smoke=True,
                                   out=os.path.join(tmp, "executed.ipynb"))
            finally:
                if old is None:
                    os.environ.pop("CS7643_SMOKE", None)
                else:
                    os.environ["CS7643_SMOKE"] = old

            text = []
            for cell in nbformat.read(out, as_version=4).cells:
                for o in cell.get("outputs", []):
                    self.assertNotEqual(o.get("output_type"), "error", o)
                    text.append(o.get("text", ""))
            text = "".join(text)
            self.assertEqual(text.count("ALL PASSED"), 5, text)
            self.assertNotIn("SOME TESTS FAILED", text)
            self.assertIn("final training accuracy", text)
            self.assertGreater(os.path.getsize(os.path.join(tmp, "train.png")), 1000)
            with zipfile.ZipFile(os.path.join(tmp, "assignment_2_1_submission.zip")) as z:
                self.assertIn("modules/convolution.py", z.namelist())


if __name__ == "__main__":
    unittest.main()
