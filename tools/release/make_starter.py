"""Build the student starter kit from the reference solution.

    python -m tools.release.make_starter [--repo .] [--out dist/starter]   # from the repo root

What a student receives, and nothing else:

- both parts, each with the course's files (code, public tests, the course's four
  configs, notebook, checkpoints/deleteme) and our additions beside them;
  every solution region replaced by its stub (see markers.py), notebooks with
  their outputs cleared, symbolic links replaced by the file they point to;
- environment.yaml, requirements.txt, report_template.pptx (when it exists)
  and the student README (README.student.md beside this file).

Left out: hidden tests (staff_tests/), trained checkpoints, results, data,
staff tools (tools/), caches. The kit is built in a temporary folder and
moved into place only once it checks out (no marker left, every .py compiles),
so `--out` never holds a half-built kit.
"""
import argparse
import fnmatch
import json
import os
import shutil
import sys
import tempfile

from .markers import has_marker, strip_solutions

HERE = os.path.dirname(os.path.abspath(__file__))
STUDENT_README = os.path.join(HERE, "README.student.md")

# What each part ships: the "ship" entries of the part's manifest.json (files or whole
# folders; the manifest owns the part's file lists). They are the course's files
# (../shared/ORIGINAL_KIT.md, section 1) plus, beside them, our additions: cs7643/fetch.py
# (the content-verified download), the tests/test_more_*.py files, Part 2's train_utils.py
# (the Solver's fast path), config.py (its config reader and checks) and cs7643/smoke.py (the notebook's smoke mode).
# tools/tests/test_starter_fidelity.py checks the result file by file. The manifests are
# read from this repository, also when --repo names another one.
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))


def _manifest(part):
    with open(os.path.join(REPO_ROOT, part, "manifest.json"), encoding="utf-8") as f:
        return json.load(f)


MANIFESTS = {part: _manifest(part) for part in ("part1-convnet", "part2-pytorch")}
PARTS = {part: m["ship"] for part, m in MANIFESTS.items()}
# Folders the students' code writes into, made even if the reference has nothing to ship there.
EMPTY_DIRS = [part + "/" + d for part, m in MANIFESTS.items() for d in m["ship_empty"]]
# Top-level files: (name, required?)
TOP_FILES = [("environment.yaml", True), ("requirements.txt", True),
             ("report_template.pptx", False)]
# Never shipped, wherever they appear inside an included folder.
NEVER = ["__pycache__", "*.pyc", ".ipynb_checkpoints", "*.executed.ipynb", ".pytest_cache",
         "cifar-10-batches-py", "cifar-10-python.tar.gz", ".cifar10-*", "*.zip",
         "*.pth", "*.pth.json", "*.pt", "*.ckpt", "staff_tests", "*.tmp", ".DS_Store"]


class ReleaseError(RuntimeError):
    """The reference cannot be turned into a clean starter kit."""


def _never(name):
    return any(fnmatch.fnmatch(name, pat) for pat in NEVER)


def _read_text(path):
    with open(path, encoding="utf-8") as f:  # follows symbolic links: the release copies targets
        return f.read()


def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    mode = "w" if isinstance(data, str) else "wb"
    with open(path, mode, **({"encoding": "utf-8"} if mode == "w" else {})) as f:
        f.write(data)


def release_notebook(src, dst, where):
    """Copy a notebook with solution regions stubbed, outputs and execution counts cleared."""
    import nbformat
    nb = nbformat.read(src, as_version=4)
    for i, cell in enumerate(nb.cells):
        cell_where = "%s, cell %d" % (where, i)
        if cell.cell_type == "code":
            cell.source = strip_solutions(cell.source, cell_where)
            cell.outputs = []
            cell.execution_count = None
        elif has_marker(cell.source):
            raise ReleaseError("%s: a solution marker outside a code cell" % cell_where)
        for key in ("execution", "collapsed", "scrolled", "ExecuteTime"):
            cell.metadata.pop(key, None)
    nb.metadata.pop("widgets", None)
    nbformat.validate(nb)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    nbformat.write(nb, dst)


def release_file(src, dst, where):
    """Copy one file into the kit, stubbing .py files and notebooks."""
    if src.endswith(".py"):
        _write(dst, strip_solutions(_read_text(src), where))
    elif src.endswith(".ipynb"):
        release_notebook(src, dst, where)
    else:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(src, dst)  # follows links


def _walk(root):
    """Files under root (following links to files, skipping NEVER), as paths relative to root."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not _never(d))
        for f in sorted(filenames):
            if not _never(f):
                yield os.path.relpath(os.path.join(dirpath, f), root)


def plan(repo):
    """List (source path, path in the kit) for every file the kit holds.

    Also returns the entries of each part that are not shipped, so the caller can
    report them (a new file that students need must be added to its part's manifest.json).
    """
    files, left_out = [], []
    for part, entries in PARTS.items():
        part_dir = os.path.join(repo, part)
        if not os.path.isdir(part_dir):
            raise ReleaseError("no %s folder in %s" % (part, repo))
        for entry in entries:
            src = os.path.join(part_dir, entry)
            if os.path.isdir(src):
                files += [(os.path.join(src, rel), os.path.join(part, entry, rel))
                          for rel in _walk(src)]
            elif os.path.isfile(src):
                files.append((src, os.path.join(part, entry)))
            else:
                left_out.append("%s/%s (missing in the reference)" % (part, entry))
        shipped_top = {e.split("/")[0] for e in entries} | \
            {d.split("/")[1] for d in EMPTY_DIRS if d.startswith(part + "/")}
        for name in sorted(os.listdir(part_dir)):
            if name not in shipped_top and not _never(name):
                left_out.append("%s/%s" % (part, name))
    for name, required in TOP_FILES:
        src = os.path.join(repo, name)
        if os.path.isfile(src):
            files.append((src, name))
        elif required:
            raise ReleaseError("the reference has no %s" % name)
        else:
            left_out.append("%s (not generated yet)" % name)
    files.append((STUDENT_README, "README.md"))
    return files, left_out


def check_kit(kit):
    """Raise ReleaseError if any file of the kit still has a marker or a .py does not compile."""
    problems = []
    for rel in _walk(kit):
        path = os.path.join(kit, rel)
        if rel.endswith((".pptx", ".png", ".zip")):
            continue
        try:
            text = _read_text(path)
        except UnicodeDecodeError:
            continue
        if has_marker(text):
            problems.append("%s: a solution marker survived" % rel)
        if rel.endswith(".py"):
            try:
                compile(text, rel, "exec")
            except SyntaxError as e:
                problems.append("%s:%s: does not compile after stubbing: %s" % (rel, e.lineno, e.msg))
        if rel.endswith(".ipynb"):
            for i, cell in enumerate(json.loads(text)["cells"]):
                if cell["cell_type"] == "code":
                    try:
                        src = "".join(cell["source"])
                        # IPython magics and shell lines are not Python: blank them out
                        compile("\n".join("" if l.lstrip().startswith(("%", "!")) else l
                                          for l in src.splitlines()), rel, "exec")
                    except SyntaxError as e:
                        problems.append("%s cell %d: does not compile: %s" % (rel, i, e.msg))
    if problems:
        raise ReleaseError("the starter kit is not clean:\n  " + "\n  ".join(problems))


def build_starter(repo, out, log=print):
    """Build the kit from the reference at `repo` into the folder `out` (replaced atomically).

    Returns the list of part entries that were left out (for the report).
    """
    repo, out = os.path.abspath(repo), os.path.abspath(out)
    files, left_out = plan(repo)
    parent = os.path.dirname(out)
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix=".starter-", dir=parent)
    try:
        for src, rel in files:
            release_file(src, os.path.join(tmp, rel), rel)
        for d in EMPTY_DIRS:
            os.makedirs(os.path.join(tmp, d), exist_ok=True)
        check_kit(tmp)
        os.chmod(tmp, 0o755)  # mkdtemp made it private; the kit is for sharing
        old = None
        if os.path.lexists(out):
            old = tempfile.mkdtemp(prefix=".starter-old-", dir=parent)
            os.rename(out, os.path.join(old, "kit"))
        os.rename(tmp, out)
        if old:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log("starter kit: %d files -> %s" % (len(files), out))
    for entry in left_out:
        log("  left out: %s" % entry)
    return left_out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    root = REPO_ROOT
    p.add_argument("--repo", default=root, help="the reference solution (default: this repository)")
    p.add_argument("--out", default=os.path.join(root, "dist", "starter"))
    args = p.parse_args(argv)
    try:
        build_starter(args.repo, args.out)
    except ReleaseError as e:
        print("make starter failed: %s" % e, file=sys.stderr)
        return 1
    except ValueError as e:  # MarkerError
        print("make starter failed: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
