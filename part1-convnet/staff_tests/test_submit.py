"""make_a2_1_submission: the right files, and nothing half-written when one is missing."""
import os
import shutil
import tempfile
import unittest
import zipfile

from cs7643.submit import FILES, ZIP_NAME, make_a2_1_submission

PART = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class TestSubmission(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        for folder in ("modules", "optimizer"):
            shutil.copytree(os.path.join(PART, folder), os.path.join(self.tmp, folder),
                            ignore=shutil.ignore_patterns("__pycache__"))

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_zip_holds_the_graded_files(self):
        path = make_a2_1_submission(self.tmp)
        self.assertEqual(path, os.path.join(self.tmp, ZIP_NAME))
        with zipfile.ZipFile(path) as z:
            self.assertEqual(sorted(z.namelist()), sorted(FILES))
            with open(os.path.join(PART, "modules", "convolution.py"), "rb") as f:
                self.assertEqual(z.read("modules/convolution.py"), f.read())
        expected = {"modules/" + f for f in ("__init__.py", "convolution.py", "max_pool.py",
                                             "relu.py", "linear.py", "softmax_ce.py",
                                             "conv_classifier.py")}
        expected |= {"optimizer/__init__.py", "optimizer/_base_optimizer.py", "optimizer/sgd.py"}
        self.assertEqual(set(FILES), expected)

    def test_missing_file_is_named_and_no_zip_is_left(self):
        make_a2_1_submission(self.tmp)                          # an older, complete zip
        os.remove(os.path.join(self.tmp, ZIP_NAME))
        os.remove(os.path.join(self.tmp, "optimizer", "sgd.py"))
        with self.assertRaisesRegex(FileNotFoundError, r"missing optimizer/sgd\.py"):
            make_a2_1_submission(self.tmp)
        self.assertEqual(sorted(os.listdir(self.tmp)), ["modules", "optimizer"])


if __name__ == "__main__":
    unittest.main()
