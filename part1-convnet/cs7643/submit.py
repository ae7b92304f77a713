"""Build the Gradescope zip of Part 1: assignment_2_1_submission.zip.

    from cs7643.submit import make_a2_1_submission
    make_a2_1_submission(GOOGLE_DRIVE_PATH)   # the part1-convnet folder

The zip is written into that folder. Save your .py files before running it: the zip
holds the files as they are on disk.
"""
import os
import zipfile

from .atomic import atomic_path

# The graded files of Part 1, relative to the part1-convnet folder.
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

# Part 2 builds its zip with its own cs7643/submit.py (part2-pytorch); nothing of Part 2
# lives in this folder, so the list is empty here, as in the course's kit.
_A2_2_FILES = []


def make_a2_1_submission(assignment_path):
    """Write `assignment_path`/assignment_2_1_submission.zip; returns its path."""
    return _make_submission(assignment_path, _A2_1_FILES, "assignment_2_1_submission")


def make_a2_2_submission(assignment_path):
    """Part 2's zip; from this folder it only explains where to build it (see _A2_2_FILES)."""
    return _make_submission(assignment_path, _A2_2_FILES, "assignment_2_2_submission")


def _make_submission(assignment_path, file_list, assignment_name):
    """Zip `file_list` (paths relative to `assignment_path`) into
    `assignment_path`/`assignment_name`.zip, each file under its relative name.

    Raises ValueError naming the first missing file; then no zip (not even a partial one)
    is written and an older zip is left as it was.
    """
    if not file_list:
        raise ValueError("%s has no files to zip from this folder: build Part 2's zip from "
                         "the part2-pytorch folder with its own cs7643.submit"
                         % assignment_name)
    for name in file_list:
        if not os.path.isfile(os.path.join(assignment_path, name)):
            raise ValueError("Could not find file %s in %s: check that you are running from "
                             "the assignment folder and that the file exists"
                             % (name, os.path.abspath(assignment_path)))
    zip_path = os.path.join(assignment_path, assignment_name + ".zip")
    print("Writing zip file to: " + zip_path)
    # Written beside the target and renamed, so an interrupted run never leaves a broken zip.
    with atomic_path(zip_path) as tmp_path:
        with zipfile.ZipFile(tmp_path, "w") as zf:
            for name in file_list:
                zf.write(os.path.join(assignment_path, name), arcname=name)
    return zip_path
