"""Build Part 2's Gradescope zip: assignment_2_2_submission.zip.

It holds configs/ (every .yaml, so the experiments of the report can be re-run),
losses/ and models/ (every .py), the three graded checkpoints and solver.py.
"""
import glob
import os
import tempfile
import zipfile

ZIP_NAME = "assignment_2_2_submission.zip"
CHECKPOINTS = ["checkpoints/twolayernet.pth", "checkpoints/vanillacnn.pth", "checkpoints/mymodel.pth"]
REQUIRED = ["solver.py", "losses/__init__.py", "losses/focal_loss.py",
            "models/__init__.py", "models/twolayer.py", "models/cnn.py", "models/my_model.py",
            "models/resnet.py"] + CHECKPOINTS
MAX_BYTES = 100 * 1024 * 1024  # Gradescope may refuse larger uploads


def submission_files(path):
    """The files of the zip, relative to `path`, sorted: REQUIRED plus every config and .py."""
    extra = [os.path.relpath(f, path) for pattern in ("configs/*.yaml", "losses/*.py", "models/*.py")
             for f in glob.glob(os.path.join(path, pattern))]
    return sorted(set(REQUIRED) | set(extra))


def make_a2_2_submission(path):
    """Write `path`/assignment_2_2_submission.zip holding every graded file of Part 2.

    Inputs:
    - path: the part2-pytorch folder (e.g. '.' from the notebook)

    Returns the path of the zip. Raises FileNotFoundError naming every missing file
    (train the models first: the checkpoints are written by Solver.train()), and
    ValueError if the zip would exceed 100 MB; in both cases no zip is written.
    """
    path = os.path.abspath(path)
    missing = [f for f in REQUIRED if not os.path.isfile(os.path.join(path, f))]
    if not glob.glob(os.path.join(path, "configs", "*.yaml")):
        missing.append("configs/*.yaml")
    if missing:
        raise FileNotFoundError("cannot build %s: missing %s in %s (checkpoints are written by "
                                "training each model with its config)" % (ZIP_NAME, ", ".join(missing), path))
    files = submission_files(path)
    out = os.path.join(path, ZIP_NAME)
    fd, tmp = tempfile.mkstemp(prefix=".%s." % ZIP_NAME, dir=path)  # same folder: atomic rename
    os.close(fd)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for f in files:
                z.write(os.path.join(path, f), arcname=f)
        size = os.path.getsize(tmp)
        if size > MAX_BYTES:
            raise ValueError("%s would be %.0f MB, over Gradescope's 100 MB: make the checkpoints "
                             "smaller (fewer parameters)" % (ZIP_NAME, size / 2 ** 20))
        os.replace(tmp, out)
    except BaseException:
        os.remove(tmp)
        raise
    return out
