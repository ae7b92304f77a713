"""The staff's evaluator and the grader's agree on the committed checkpoints.

Two evaluators of a checkpoint on the CIFAR-10 test set exist on purpose: the staff's
(part2-pytorch/checkpoint_eval.py: the report, the corpus) and the grader's own
(tools/autograder/gtests/part2/cifar_eval.py, which never imports staff or student code to
judge). Both must count the same correct predictions on twolayernet.pth, vanillacnn.pth and
mymodel.pth, the checkpoints the graded path uses: the same float32 images bit for bit
(part2-pytorch/staff_tests/test_checkpoint_eval.py checks the loaders), the same model
code and weights, batches of 500, so the count must be equal, not close.

Cost: MyModel on 10,000 images is the slow part (a minute or more on a busy 2-core
CPU per evaluator). The staff side is computed here, in its own process; the grader side
reuses the accuracy that the grader computed earlier in the same `make test-tools` run
when CS7643_CORPUS_CHECKPOINT_CACHE is set (test_autograder.py's reference run fills it;
its keys are the SHA-256 of the checkpoint and of the model's source files), and is
computed here otherwise.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np

from tools import paths

REPO = paths.REPO
paths.put_first(paths.AUTOGRADER)  # the grader's packages, named as in the Gradescope zip
from grader import framework, grading, sandbox  # noqa: E402
from gtests.part2 import cifar_eval, test_checkpoints  # noqa: E402

P2 = os.path.join(REPO, "part2-pytorch")
DATA = os.path.join(P2, "data", "cifar-10-batches-py")
CHECKPOINTS = {"twolayernet.pth": test_checkpoints.twolayer_accuracy,
               "vanillacnn.pth": test_checkpoints.vanilla_accuracy,
               "mymodel.pth": test_checkpoints.mymodel_accuracy}


def staff_counts():
    """{checkpoint file name: (correct, total)} from checkpoint_eval.py, run as staff run it."""
    paths = [os.path.join("checkpoints", name) for name in CHECKPOINTS]
    proc = subprocess.run([sys.executable, "checkpoint_eval.py", "--json"] + paths, cwd=P2,
                          capture_output=True, text=True, env=dict(os.environ, TQDM_DISABLE="1"))
    if proc.returncode != 0:
        raise AssertionError("checkpoint_eval.py failed:\n%s" % proc.stderr[-3000:])
    found = json.loads(proc.stdout.strip().splitlines()[-1])
    return {os.path.basename(p): (r["correct"], r["total"]) for p, r in found.items()}


def grader_accuracies():
    """{checkpoint file name: accuracy} from the grader's evaluator, as grading.grade runs it:
    the test set checked and normalised in this process, the student's model in the runner."""
    tmp = tempfile.mkdtemp(prefix="grader-eval-")
    runner = None
    try:
        sub = os.path.join(tmp, "submission")
        for folder in ("models", "checkpoints"):
            shutil.copytree(os.path.join(P2, folder), os.path.join(sub, folder),
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        cifar_eval.configure(os.environ.get("CS7643_CORPUS_CHECKPOINT_CACHE") or None)
        images, _ = cifar_eval.load_test_set(DATA)
        runner = sandbox.Runner(sub, grading.support_paths("2"), "part2", mode="process",
                                extra_files={"test_images.npy": images})
        session = framework.Session(runner, grading.PARTS["2"]["packages"], 1800, {}, sub)
        framework.set_session(session)
        try:
            return {name: fn() for name, fn in CHECKPOINTS.items()}
        finally:
            framework.set_session(None)
            framework.take_leaderboard()  # MyModel's accuracy is reported there; not needed
    finally:
        if runner is not None:
            runner.close()
        cifar_eval.configure(None)
        shutil.rmtree(tmp)


@unittest.skipUnless(os.path.isdir(DATA), "no CIFAR-10 at %s: run `make data` first" % DATA)
class TestSameImages(unittest.TestCase):
    """The two loaders (torchvision's transform per image; NumPy on the whole array) agree."""

    def test_bit_for_bit(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "staff.npz")
            code = ("import sys, numpy, checkpoint_eval; x, y = checkpoint_eval.load_test_set(); "
                    "numpy.savez(sys.argv[1], x=x.numpy(), y=y.numpy())")
            subprocess.run([sys.executable, "-c", code, out], cwd=P2, check=True)
            with np.load(out) as staff:
                x, y = staff["x"], staff["y"]
        images, labels = cifar_eval.load_test_set(DATA)
        self.assertEqual((x.dtype, x.shape), (images.dtype, images.shape))
        self.assertEqual(x.tobytes(), images.tobytes())
        np.testing.assert_array_equal(y, labels)


@unittest.skipUnless(os.path.isdir(DATA), "no CIFAR-10 at %s: run `make data` first" % DATA)
@unittest.skipUnless(all(os.path.isfile(os.path.join(P2, "checkpoints", c)) for c in CHECKPOINTS),
                     "Part 2's checkpoints are not trained yet")
class TestBothEvaluators(unittest.TestCase):
    def test_same_correct_count(self):
        staff, grader = staff_counts(), grader_accuracies()
        for name in CHECKPOINTS:
            with self.subTest(checkpoint=name):
                correct, total = staff[name]
                self.assertEqual(total, 10000)
                # the grader reports correct / 10000: the count is exact after rounding
                self.assertEqual(round(grader[name] * total), correct,
                                 "%s: the grader counts %.4f, checkpoint_eval.py %d/%d"
                                 % (name, grader[name], correct, total))


if __name__ == "__main__":
    unittest.main()
