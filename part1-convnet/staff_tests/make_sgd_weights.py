"""Regenerate tests/sgd_weights/{w,b}.npy from the reference solution (staff only).

    python -m staff_tests.make_sgd_weights          # from part1-convnet; writes the files
    python -m staff_tests.make_sgd_weights --check  # compare with the committed files only

The arrays are the weight and bias of ConvNet([Linear(128, 10)]) after the two SGD steps
of tests/test_sgd.py, made by OUR modules and optimizer (reg 1e-3 included, as the course's
given SGD.update regularises first). The course's own files hold what momentum SGD gives
without the L2 term; the two differ by about 3e-7 in sum |diff| for the weights, far
inside the test's tolerance. staff_tests/test_sgd_weights.py checks all of this.
"""
import argparse
import os
import sys

import numpy as np

from modules import ConvNet
from optimizer import SGD

PART = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(PART, "tests", "sgd_weights")


def two_steps(reg=1e-3):
    """The weight and bias after the two steps of tests/test_sgd.py (with L2 strength reg)."""
    model = ConvNet([dict(type="Linear", in_dim=128, out_dim=10)],
                    dict(type="SoftmaxCrossEntropy"))
    optimizer = SGD(model, reg=reg)
    for seed in (1024, 512):
        np.random.seed(seed)
        x = np.random.randn(32, 128)
        np.random.seed(seed)
        y = np.random.randint(10, size=32)
        model.forward(x, y)
        model.backward()
        optimizer.update(model)
    return model.modules[0].weight.copy(), model.modules[0].bias.copy()


def _save(path, array):
    tmp = path + ".tmp.npy"
    np.save(tmp, array)          # .npy format 1.0, as the course's files
    os.replace(tmp, path)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="compare only, write nothing")
    args = p.parse_args(argv)
    w, b = two_steps()
    if args.check:
        same = (np.array_equal(np.load(os.path.join(OUT, "w.npy")), w)
                and np.array_equal(np.load(os.path.join(OUT, "b.npy")), b))
        print("committed files match the reference" if same else "committed files DIFFER")
        return 0 if same else 1
    os.makedirs(OUT, exist_ok=True)
    _save(os.path.join(OUT, "w.npy"), w)
    _save(os.path.join(OUT, "b.npy"), b)
    w0, b0 = two_steps(reg=0.0)
    print("wrote %s/{w,b}.npy; first values w %r, b %r" % (OUT, w.ravel()[:3].tolist(),
                                                       b[:3].tolist()))
    print("sum |diff| against the no-L2 arrays: weights %.3e, bias %.3e"
          % (np.abs(w - w0).sum(), np.abs(b - b0).sum()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
