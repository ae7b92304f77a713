"""make_a2_2_submission: the zip's contents (the course's list plus solver.py), configs stored as
configs/<name>, a clear error (and no zip) when a file is missing, the 100 MB limit."""
import contextlib
import io
import json
import os
import tempfile
import unittest
import zipfile
from unittest import mock

from staff_tests.synthetic import PART2
from cs7643 import submit
from cs7643.submit import make_a2_2_submission

with open(os.path.join(PART2, "manifest.json")) as _f:
    MANIFEST = json.load(_f)  # the staff's copy of the file lists
GRADED = [f for f in MANIFEST["submit"] if "*" not in f]  # the zip's files but the configs


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
        for rel in GRADED + ["configs/config_twolayer.yaml", "configs/config_resnet32_focal.yaml",
                             "notes.txt", "runs/x/metrics.csv", "checkpoints/deleteme"]:
            touch(self.root, rel, rel)

    def make(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            path = make_a2_2_submission(self.root)
        return path, out.getvalue()

    def test_contents(self):
        path, printed = self.make()
        self.assertEqual(path, os.path.join(self.root, "assignment_2_2_submission.zip"))
        self.assertEqual(printed, "Writing zip file to: %s\n" % path)
        with zipfile.ZipFile(path) as z:
            self.assertEqual(sorted(z.namelist()), sorted(GRADED + ["configs/config_twolayer.yaml",
                                                                   "configs/config_resnet32_focal.yaml"]))
            self.assertEqual(z.read("configs/config_twolayer.yaml").decode(), "configs/config_twolayer.yaml")

    def test_list_is_the_manifests(self):
        # the student's submit.py keeps its own literal list: the course's plus solver.py
        self.assertEqual(submit._A2_2_FILES, MANIFEST["submit"])
        course = ["models/__init__.py", "models/cnn.py", "models/my_model.py", "models/resnet.py",
                  "models/twolayer.py", "losses/__init__.py", "losses/focal_loss.py", "checkpoints/mymodel.pth",
                  "checkpoints/twolayernet.pth", "checkpoints/vanillacnn.pth", "configs/*.yaml"]
        self.assertEqual(submit._A2_2_FILES, course + ["solver.py"])
        # the course's copy of Part 1's list lives here too (unused: Part 1 zips from its own folder)
        with open(os.path.join(PART2, "..", "part1-convnet", "manifest.json")) as f:
            self.assertEqual(submit._A2_1_FILES, json.load(f)["submit"])

    def test_missing_file(self):
        os.remove(os.path.join(self.root, "checkpoints", "mymodel.pth"))
        with self.assertRaisesRegex(ValueError, "Could not find file checkpoints/mymodel.pth"):
            self.make()
        self.assertEqual([f for f in os.listdir(self.root) if "zip" in f], [])

    def test_no_configs(self):
        for name in os.listdir(os.path.join(self.root, "configs")):
            os.remove(os.path.join(self.root, "configs", name))
        with self.assertRaisesRegex(ValueError, r"Could not find file configs/\*\.yaml"):
            self.make()

    def test_too_large(self):
        with mock.patch.object(submit, "MAX_BYTES", 100):
            with self.assertRaisesRegex(ValueError, "over Gradescope's 100 MB"):
                self.make()
        self.assertEqual([f for f in os.listdir(self.root) if "zip" in f], [])

    def test_the_reference_zip(self):
        # the real part2-pytorch folder: every graded file exists and the zip stays small
        with tempfile.TemporaryDirectory() as tmp:
            with mock.patch("os.replace") as replace:  # do not write into the repository
                replace.side_effect = lambda src, dst: os.rename(src, os.path.join(tmp, "out.zip"))
                with contextlib.redirect_stdout(io.StringIO()):
                    make_a2_2_submission(PART2)
            with zipfile.ZipFile(os.path.join(tmp, "out.zip")) as z:
                names = z.namelist()
            self.assertTrue(set(GRADED) <= set(names))
            self.assertIn("configs/config_mymodel.yaml", names)
            self.assertLess(os.path.getsize(os.path.join(tmp, "out.zip")), 100 * 2 ** 20)


if __name__ == "__main__":
    unittest.main()
