"""Build the Gradescope zip of Part 2: assignment_2_2_submission.zip.

    from cs7643.submit import make_a2_2_submission
    make_a2_2_submission(GOOGLE_DRIVE_PATH)   # the part2-pytorch folder

The zip is written into that folder. It holds the models, the losses, solver.py, the
three graded checkpoints and every config in configs/ (include the configs of all
your experiments). Save your .py files before running it: the zip holds the files as
they are on disk.
"""
import glob
import os
import zipfile

from .atomic import atomic_path

# The graded files of Part 1, relative to the part1-convnet folder (that part's zip is
# built with its own cs7643/submit.py).
_A2_1_FILES = [
    "modules/conv_classifier.py",
    "modules/__init__.py",
    "modules/convolution.py",
    "modules/linear.py",
    "modules/max_pool.py",
    "modules/relu.py",
    "modules/softmax_ce.py",
    "optimizer/sgd.py",
    "optimizer/__init__.py",
    "optimizer/_base_optimizer.py",
]

# The files of Part 2's zip, relative to the part2-pytorch folder. A name with "*" is a
# glob pattern: every match is stored.
_A2_2_FILES = [
    "models/__init__.py",
    "models/cnn.py",
    "models/my_model.py",
    "models/resnet.py",
    "models/twolayer.py",
    "losses/__init__.py",
    "losses/focal_loss.py",
    "checkpoints/mymodel.pth",
    "checkpoints/twolayernet.pth",
    "checkpoints/vanillacnn.pth",
    "configs/*.yaml",
    "solver.py",
]

MAX_BYTES = 100 * 1024 * 1024  # Gradescope may refuse a larger upload


def make_a2_1_submission(assignment_path):
    """Part 1's zip, from the part1-convnet folder (see that folder's cs7643.submit)."""
    return _make_submission(assignment_path, _A2_1_FILES, "assignment_2_1_submission")


def make_a2_2_submission(assignment_path):
    """Write `assignment_path`/assignment_2_2_submission.zip; returns its path.

    Inputs:
    - assignment_path: the part2-pytorch folder (GOOGLE_DRIVE_PATH in the notebook)
    """
    return _make_submission(assignment_path, _A2_2_FILES, "assignment_2_2_submission")


def _expand(assignment_path, file_list):
    """The relative names to zip: globs expanded (sorted); a pattern matching nothing is kept
    as it is, so that it is reported as missing."""
    names = []
    for entry in file_list:
        if "*" in entry:
            matches = sorted(glob.glob(os.path.join(assignment_path, entry)))
            names += [os.path.relpath(m, assignment_path) for m in matches] or [entry]
        else:
            names.append(entry)
    return names


def try_write_file(path, filename, zf):
    """Add `path`/`filename` to the open zip `zf` under the name `filename`.

    Raises ValueError if the file does not exist.
    """
    full = os.path.join(path, filename)
    if not os.path.isfile(full):
        raise ValueError("Could not find file %s in %s: check that you run this from the "
                         "assignment folder and that the file exists (checkpoints are written by "
                         "training each model with its config)" % (filename, os.path.abspath(path)))
    zf.write(full, arcname=filename)


def _make_submission(assignment_path, file_list, assignment_name):
    """Zip `file_list` (relative to `assignment_path`) into `assignment_path`/`assignment_name`.zip.

    Each file is stored under its relative name (configs as configs/<name>). Raises
    ValueError naming the first missing file, or if the zip would exceed 100 MB; then no
    zip (not even a partial one) is written and an older zip is left as it was.
    """
    names = _expand(assignment_path, file_list)
    for name in names:
        if not os.path.isfile(os.path.join(assignment_path, name)):
            try_write_file(assignment_path, name, None)  # raises the could-not-find error
    zip_path = os.path.join(assignment_path, assignment_name + ".zip")
    print("Writing zip file to: " + zip_path)
    # written beside the target, then renamed: an interrupted run never leaves a broken zip
    with atomic_path(zip_path) as tmp_path:
        with zipfile.ZipFile(tmp_path, "w") as zf:
            for name in names:
                try_write_file(assignment_path, name, zf)
        size = os.path.getsize(tmp_path)
        if size > MAX_BYTES:
            raise ValueError("%s would be %.0f MB, over Gradescope's 100 MB: make the checkpoints "
                             "smaller (fewer parameters)" % (assignment_name + ".zip", size / 2 ** 20))
    return zip_path
