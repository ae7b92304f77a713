"""Write a file so that an interrupted run never leaves half of it (ours, not the course's)."""
import contextlib
import os


@contextlib.contextmanager
def atomic_path(path):
    """A temporary name beside `path` to write to; it becomes `path` if the block succeeds.

    The temporary file is in the same folder, so the final os.replace stays on one file
    system and is atomic: a reader finds the old file or the whole new one. If the block
    raises (Ctrl-C included) the temporary file is removed and `path` is left as it was.

        with atomic_path("assignment_2_1_submission.zip") as tmp:
            with zipfile.ZipFile(tmp, "w") as zf:
                ...
    """
    tmp = "%s.%d.tmp" % (path, os.getpid())
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
