"""Execute a notebook headless, top to bottom, the way a student would run it.

    python -m tools.run_notebook part1-convnet/CS7643-Assignment2-1.ipynb [--smoke] [--out FILE]

Runs in the notebook's own folder. The executed copy (with outputs) is written to
FILE (default: <name>.executed.ipynb beside it, ignored by git), so the committed
notebook stays clean. --smoke sets CS7643_SMOKE=1, which the notebooks read to
shrink every experiment to a few seconds (used by the tests and CI).
Exits non-zero, naming the failing cell, if any cell raises.
"""
import argparse
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from tools.atomic import atomic_path


def run_notebook(path, smoke=False, out=None, timeout=1800):
    path = os.path.abspath(path)
    nb = nbformat.read(path, as_version=4)
    if smoke:
        os.environ["CS7643_SMOKE"] = "1"
    os.environ.setdefault("TQDM_DISABLE", "1")
    # The notebooks run `!pytest ...` in a shell: make it this Python's pytest (e.g. the
    # kit's .venv) even when that environment is not activated.
    bindir = os.path.dirname(os.path.abspath(sys.executable))
    if os.environ.get("PATH", "").split(os.pathsep)[0] != bindir:
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": os.path.dirname(path)}})
    try:
        client.execute()
    finally:
        out = out or path.replace(".ipynb", ".executed.ipynb")
        with atomic_path(out) as tmp:
            nbformat.write(nb, tmp)
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("notebook")
    p.add_argument("--smoke", action="store_true", help="tiny, fast experiments (CS7643_SMOKE=1)")
    p.add_argument("--out", default=None)
    args = p.parse_args()
    t0 = time.time()
    try:
        out = run_notebook(args.notebook, smoke=args.smoke, out=args.out)
    except CellExecutionError as e:
        print("notebook %s failed:\n%s" % (args.notebook, e), file=sys.stderr)
        return 1
    print("ran %s in %.1f s -> %s" % (args.notebook, time.time() - t0, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
