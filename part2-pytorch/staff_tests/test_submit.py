"""make_a2_2_submission: the zip's contents, and a clear error (and no zip) when a file is missing."""
import os
import tempfile
import unittest
import zipfile

from staff_tests.synthetic import PART2  # noqa: F401  (puts part2-pytorch on sys.path)
from cs7643.submit import REQUIRED, ZIP_NAME, make_a2_2_submission


def touch(root, rel, text="x"):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path) or root, exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class TestSubmission(unittest.TestCase):
    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.root = tmp.name
        for rel in REQUIRED + ["configs/config_twolayer.yaml", "configs/config_resnet32_focal.yaml",
                               "models/extra_block.py", "notes.txt", "runs/x/metrics.csv"]:
            touch(self.root, rel)

    def test_contents(self):
        out = make_a2_2_submission(self.root)
        self.assertEqual(out, os.path.join(self.root, ZIP_NAME))
        with zipfile.ZipFile(out) as z:
            names = sorted(z.namelist())
        expected = sorted(["solver.py", "losses/__init__.py", "losses/focal_loss.py", "models/__init__.py",
                           "models/twolayer.py", "models/cnn.py", "models/my_model.py", "models/resnet.py",
                           "models/extra_block.py", "checkpoints/twolayernet.pth", "checkpoints/vanillacnn.pth",
                           "checkpoints/mymodel.pth", "configs/config_twolayer.yaml",
                           "configs/config_resnet32_focal.yaml"])
        self.assertEqual(names, expected)

    def test_missing_file(self):
        os.remove(os.path.join(self.root, "checkpoints", "mymodel.pth"))
        with self.assertRaisesRegex(FileNotFoundError, "missing checkpoints/mymodel.pth"):
            make_a2_2_submission(self.root)
        self.assertEqual([f for f in os.listdir(self.root) if f.endswith(".zip") or ZIP_NAME in f], [])


if __name__ == "__main__":
    unittest.main()
