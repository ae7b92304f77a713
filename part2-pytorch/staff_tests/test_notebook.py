"""The Part 2 notebook runs headless, top to bottom, in smoke mode (as in CI)."""
import os
import sys
import tempfile
import unittest

import nbformat

from staff_tests.synthetic import PART2

sys.path.insert(0, os.path.join(os.path.dirname(PART2), "tools"))
from run_notebook import run_notebook  # noqa: E402

NOTEBOOK = os.path.join(PART2, "CS7643-Assignment2-2.ipynb")


class TestNotebook(unittest.TestCase):
    def test_committed_without_outputs(self):
        nb = nbformat.read(NOTEBOOK, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                self.assertEqual(cell.outputs, [], cell.source[:60])
                self.assertIsNone(cell.execution_count)

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
