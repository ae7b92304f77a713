"""make_a2_1_submission: the course's file list, the printed path, nothing half-written."""
import contextlib
import io
import json
import os
import shutil
import tempfile
import unittest
import zipfile

from cs7643.submit import _A2_1_FILES, _A2_2_FILES, make_a2_1_submission, make_a2_2_submission

PART = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ZIP_NAME = "assignment_2_1_submission.zip"


class TestSubmission(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        for folder in ("modules", "optimizer"):
            shutil.copytree(os.path.join(PART, folder), os.path.join(self.tmp, folder),
                            ignore=shutil.ignore_patterns("__pycache__"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def make(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            path = make_a2_1_submission(self.tmp)
        return path, out.getvalue()

    def test_zip_holds_the_graded_files(self):
        path, printed = self.make()
        self.assertEqual(path, os.path.join(self.tmp, ZIP_NAME))
        self.assertEqual(printed, "Writing zip file to: %s\n" % path)
        with zipfile.ZipFile(path) as z:
            self.assertEqual(z.namelist(), _A2_1_FILES)
            with open(os.path.join(PART, "modules", "convolution.py"), "rb") as f:
                self.assertEqual(z.read("modules/convolution.py"), f.read())
        # The course's list, in the course's order.
        self.assertEqual(_A2_1_FILES, [
            "modules/conv_classifier.py", "modules/__init__.py", "modules/convolution.py",
            "modules/linear.py", "modules/max_pool.py", "modules/relu.py",
            "modules/softmax_ce.py", "optimizer/sgd.py", "optimizer/__init__.py",
            "optimizer/_base_optimizer.py"])

    def test_list_is_the_manifests(self):
        # the student's submit.py keeps the course's literal list; manifest.json owns it for staff
        with open(os.path.join(PART, "manifest.json")) as f:
            self.assertEqual(_A2_1_FILES, json.load(f)["submit"])

    def test_missing_file_is_named_and_old_zip_kept(self):
        path, _ = self.make()
        with open(path, "rb") as f:
            old = f.read()
        os.remove(os.path.join(self.tmp, "optimizer", "sgd.py"))
        with self.assertRaisesRegex(ValueError, r"Could not find file optimizer/sgd\.py"):
            self.make()
        with open(path, "rb") as f:
            self.assertEqual(f.read(), old)
        self.assertEqual(sorted(os.listdir(self.tmp)), [ZIP_NAME, "modules", "optimizer"])

    def test_part2_zip_is_not_built_here(self):
        self.assertEqual(_A2_2_FILES, [])
        with self.assertRaisesRegex(ValueError, "part2-pytorch"):
            make_a2_2_submission(self.tmp)


if __name__ == "__main__":
    unittest.main()
