"""Build Part 1's Gradescope zip: assignment_2_1_submission.zip with modules/ and optimizer/."""
import os
import zipfile

ZIP_NAME = "assignment_2_1_submission.zip"
# The graded files, relative to the part1-convnet folder.
FILES = ["modules/__init__.py", "modules/convolution.py", "modules/max_pool.py",
         "modules/relu.py", "modules/linear.py", "modules/softmax_ce.py",
         "modules/conv_classifier.py",
         "optimizer/__init__.py", "optimizer/_base_optimizer.py", "optimizer/sgd.py"]


def make_a2_1_submission(path):
    """Write `path`/assignment_2_1_submission.zip holding every graded file of Part 1.

    Inputs:
    - path: the part1-convnet folder (e.g. '.' from the notebook)

    Returns the path of the zip. Raises FileNotFoundError naming every missing file; in
    that case no zip (not even a partial one) is written.
    """
    path = os.path.abspath(path)
    missing = [f for f in FILES if not os.path.isfile(os.path.join(path, f))]
    if missing:
        raise FileNotFoundError("cannot build %s: missing %s in %s"
                                % (ZIP_NAME, ", ".join(missing), path))
    out = os.path.join(path, ZIP_NAME)
    tmp = "%s.%d.tmp" % (out, os.getpid())  # same folder, so the rename below is atomic
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for f in FILES:
                z.write(os.path.join(path, f), arcname=f)
        os.replace(tmp, out)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return out
