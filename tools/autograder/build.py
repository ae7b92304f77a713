"""Build the Gradescope autograder zip.

    python -m tools.autograder.build [--out dist/autograder.zip]    # from the repository root

The zip holds, at its root (Gradescope unpacks it into /autograder/source):

    setup.sh, run_autograder     Gradescope's entry points
    requirements.txt             the pins of the repository's requirements.txt the tests need
    grader/, gtests/             the grader and its public and hidden tests (they run in
                                 the grader's process)
    probes/                      the code that runs beside the student's (in the runner)
    support/<part>/...           given files of a part: those students do not submit but
                                 their code imports (Part 2's data/, cs7643/, train_utils.py,
                                 config.py)
                                 and those given complete that the runner uses in place of
                                 the submitted copies (Part 1's softmax_ce.py and
                                 _base_optimizer.py); symbolic links replaced by their targets;
                                 and the part's manifest.json (its file lists, read by the grader)
    PART                         only with --part: the part this zip grades (one Gradescope
                                 assignment per part; a zip of the other part is refused)

The CIFAR-10 test set is not in the zip: setup.sh fetches and verifies it.
"""
import argparse
import os
import sys
import zipfile

from tools import paths
from tools.atomic import atomic_path

HERE = paths.AUTOGRADER
REPO = paths.REPO
paths.put_first(HERE)  # the grader's packages, named as in the zip
from grader.grading import PARTS  # noqa: E402

# The packages the grader and the students' code import (names as in requirements.txt).
PACKAGES = {"torch", "torchvision", "numpy", "pyyaml", "pillow", "tqdm"}
SKIP_DIRS = {"__pycache__", "cifar-10-batches-py", ".ipynb_checkpoints"}


def requirements(repo):
    """The lines of the repository's requirements.txt that pin one of PACKAGES."""
    lines = []
    with open(os.path.join(repo, "requirements.txt")) as f:
        for line in f:
            name = line.split("#")[0].strip().split("==")[0].strip().lower()
            if name in PACKAGES:
                lines.append(line.strip())
    missing = PACKAGES - {l.split("==")[0].lower() for l in lines}
    if missing:
        raise SystemExit("requirements.txt pins none of: %s" % ", ".join(sorted(missing)))
    return "# Installed by setup.sh (generated from the repository's requirements.txt).\n" + \
        "\n".join(lines) + "\n"


def _files(root, rel_prefix):
    """(path on disk, path in the zip) for the files under root, links followed."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in sorted(filenames):
            if name.endswith((".pyc", ".tmp")):
                continue
            path = os.path.join(dirpath, name)
            yield path, os.path.join(rel_prefix, os.path.relpath(path, root))


def contents(repo=REPO, part=None):
    """Everything the zip holds: list of (path on disk or None, path in zip, text or None)."""
    items = [(os.path.join(HERE, "setup.sh"), "setup.sh", None),
             (os.path.join(HERE, "run_autograder"), "run_autograder", None),
             (None, "requirements.txt", requirements(repo))]
    for pkg in ("grader", "gtests", "probes"):
        items += [(p, z, None) for p, z in _files(os.path.join(HERE, pkg), pkg)]
    for spec in PARTS.values():
        manifest = os.path.join(repo, spec["folder"], "manifest.json")
        items.append((manifest, os.path.join("support", spec["folder"], "manifest.json"), None))
        for entry in spec["support"]:
            src = os.path.join(repo, spec["folder"], entry)
            dest = os.path.join("support", spec["folder"], entry)
            if os.path.isfile(src):
                found = [(src, dest)]
            elif os.path.isdir(src):
                found = [(p, z) for p, z in _files(src, dest) if p.endswith(".py")]
            else:
                raise SystemExit("cannot bundle %s: it does not exist" % src)
            for p, z in found:
                with open(p, encoding="utf-8") as f:
                    if "BEGIN SOLUTION" in f.read():
                        raise SystemExit("cannot bundle %s: it holds a solution region, so it is "
                                         "not given complete" % p)
            items += [(p, z, None) for p, z in found]
    if part is not None:
        items.append((None, "PART", "%s\n" % part))
    return items


def build(out, repo=REPO, part=None):
    """Write the zip to `out` atomically; returns the number of files.

    part: None (the zip recognises the part of each upload) or '1' / '2' (it grades that
    part only, and tells the student when an upload is of the other part).
    """
    out = os.path.abspath(out)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    items = contents(repo, part)
    with atomic_path(out) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for path, arcname, text in items:
                info = zipfile.ZipInfo(arcname, date_time=(2024, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                executable = arcname in ("setup.sh", "run_autograder")
                info.external_attr = (0o100755 if executable else 0o100644) << 16
                if text is None:
                    with open(path, "rb") as f:  # follows symbolic links: the target is stored
                        data = f.read()
                else:
                    data = text.encode()
                z.writestr(info, data)
    return len(items)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default=os.path.join(REPO, "dist", "autograder.zip"))
    p.add_argument("--part", choices=["1", "2"], default=None,
                   help="grade only this part (one autograder zip per Gradescope assignment)")
    args = p.parse_args(argv)
    n = build(args.out, part=args.part)
    print("autograder: %d files -> %s" % (n, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
