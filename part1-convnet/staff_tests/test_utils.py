"""cs7643/utils.py (the course's helper names) and fetch.py's command line, offline."""
import contextlib
import hashlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import unittest

from cs7643 import utils
from staff_tests.realdata import PART, require_cifar10


def quiet(fn, *args, **kwargs):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        result = fn(*args, **kwargs)
    return result, out.getvalue()


class TestChecksums(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, "f.bin")
        with open(self.path, "wb") as f:
            f.write(b"cs7643" * 1000)
        self.md5 = hashlib.md5(b"cs7643" * 1000).hexdigest()

    def tearDown(self):
        self.tmp.cleanup()

    def test_md5_and_integrity(self):
        self.assertEqual(utils.calculate_md5(self.path, chunk_size=7), self.md5)
        self.assertTrue(utils.check_md5(self.path, self.md5))
        self.assertTrue(utils.check_integrity(self.path))
        self.assertTrue(utils.check_integrity(self.path, self.md5))
        self.assertFalse(utils.check_integrity(self.path, "0" * 32))
        self.assertFalse(utils.check_integrity(self.path + ".missing"))


class TestDownloadAndExtract(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        src = os.path.join(self.tmp.name, "src")
        os.makedirs(os.path.join(src, "pkg"))
        for name in ("a.txt", "b.txt"):
            with open(os.path.join(src, "pkg", name), "w") as f:
                f.write(name)
        self.archive = os.path.join(self.tmp.name, "pkg.tar.gz")
        with tarfile.open(self.archive, "w:gz") as t:
            t.add(os.path.join(src, "pkg"), arcname="pkg")
        self.url = "file://" + self.archive
        self.md5 = utils.calculate_md5(self.archive)

    def tearDown(self):
        self.tmp.cleanup()

    def test_download_and_extract(self):
        root = os.path.join(self.tmp.name, "root")
        _, printed = quiet(utils.download_and_extract_archive, self.url, root, md5=self.md5)
        archive = os.path.join(root, "pkg.tar.gz")
        self.assertIn("Downloading %s to %s" % (self.url, archive), printed)
        self.assertIn("Extracting %s to %s" % (archive, root), printed)
        self.assertEqual(utils.list_dir(root), ["pkg"])
        self.assertEqual(utils.list_files(os.path.join(root, "pkg"), ".txt"), ["a.txt", "b.txt"])
        self.assertEqual(utils.list_files(os.path.join(root, "pkg"), ".txt", prefix=True)[0],
                         os.path.join(root, "pkg", "a.txt"))
        # Second time: nothing is downloaded again.
        _, printed = quiet(utils.download_url, self.url, root, md5=self.md5)
        self.assertEqual(printed, "Using downloaded and verified file: %s\n" % archive)
        self.assertEqual([f for f in os.listdir(root) if f.startswith(".")], [])

    def test_wrong_md5_is_an_error(self):
        with self.assertRaisesRegex(RuntimeError, "md5 is not"):
            quiet(utils.download_resource, self.url, os.path.join(self.tmp.name, "r"),
                  md5="0" * 32)

    def test_unknown_archive_type(self):
        with self.assertRaisesRegex(RuntimeError, "cannot tell what kind of file"):
            utils.extract_archive(os.path.join(self.tmp.name, "data.rar"))


class TestArgumentChecks(unittest.TestCase):
    def test_verify_str_arg(self):
        self.assertEqual(utils.verify_str_arg("train", "split", ("train", "test")), "train")
        with self.assertRaisesRegex(ValueError, r"Unknown value 'val' for argument split\. "
                                                r"Valid values are \{'train', 'test'\}\."):
            utils.verify_str_arg("val", "split", ("train", "test"))
        with self.assertRaisesRegex(ValueError, "Expected type str for argument split"):
            utils.verify_str_arg(3, "split")
        self.assertEqual(utils.iterable_to_str([1, "a"]), "'1', 'a'")


class TestFetchCommandLine(unittest.TestCase):
    def test_cache_and_links(self):
        # `make data`: a verified cache is linked into every folder given, nothing downloaded.
        real = require_cifar10()
        with tempfile.TemporaryDirectory() as tmp:
            cache = os.path.join(tmp, "cache")
            os.makedirs(cache)
            os.symlink(real, os.path.join(cache, "cifar-10-batches-py"))
            targets = [os.path.join(tmp, "p1", "data", "cifar10"), os.path.join(tmp, "p2", "data")]
            run = subprocess.run([sys.executable, os.path.join(PART, "cs7643", "fetch.py"),
                                  "--cache", cache] + targets, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            for t in targets:
                link = os.path.join(t, "cifar-10-batches-py")
                self.assertTrue(os.path.islink(link))
                self.assertEqual(os.path.realpath(link), os.path.realpath(real))


if __name__ == "__main__":
    unittest.main()
