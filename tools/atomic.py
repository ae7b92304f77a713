"""Write a file so that readers see the old one or the whole new one, never half of one."""
import contextlib
import os


@contextlib.contextmanager
def atomic_path(path):
    """A temporary name beside `path` to write to; renamed onto `path` if the block succeeds.

    The temporary file is in the same folder (a rename within one file system is
    atomic), keeps `path`'s extension (for writers that pick the format from it,
    like matplotlib's savefig), and is removed if the block raises.

        with atomic_path("out.json") as tmp:
            with open(tmp, "w") as f:
                json.dump(obj, f)
    """
    folder, name = os.path.split(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    stem, ext = os.path.splitext(name)
    tmp = os.path.join(folder, ".%s.%d.tmp%s" % (stem, os.getpid(), ext))
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


def write_text(path, text):
    """Replace the file `path` by `text` (UTF-8), atomically."""
    with atomic_path(path) as tmp:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
