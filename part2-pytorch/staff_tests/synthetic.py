"""A tiny, learnable stand-in for CIFAR-10 on disk, for fast Solver tests.

It is written in the official pickle layout with a verification stamp, so the kit's
datasets load it like the real thing. Class c's images are noise around a colour
that depends on c, so even TwoLayerNet learns it within a few epochs.
"""
import os
import tempfile

import numpy as np

from cs7643 import fetch

PART2 = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_images(labels, rng):
    """(N, 3072) uint8 CHW rows: per-class mean colour plus noise."""
    colours = np.array([[(c * 37) % 256, (c * 91 + 60) % 256, (c * 151 + 120) % 256] for c in range(10)])
    x = colours[labels][:, :, None] + rng.normal(0, 30, (len(labels), 3, 1024))
    return np.clip(x, 0, 255).astype(np.uint8).reshape(len(labels), 3072)


def make_fake_cifar(prefix, n_train_per_class=40, n_test_per_class=10, seed=0):
    """Write prefix/data/cifar10/cifar-10-batches-py with a small synthetic CIFAR-10; returns prefix."""
    rng = np.random.default_rng(seed)
    train_y = rng.permutation(np.repeat(np.arange(10), n_train_per_class)).astype(np.uint8)
    test_y = rng.permutation(np.repeat(np.arange(10), n_test_per_class)).astype(np.uint8)
    folder = os.path.join(prefix, "data", "cifar10", fetch.FOLDER)
    os.makedirs(folder)
    fetch.write_batches(folder, make_images(train_y, rng), train_y, make_images(test_y, rng), test_y)
    fetch._write_stamp(folder)  # the content check is for the real data only
    return prefix


def temp_prefix(testcase, **kwargs):
    """A fresh folder with synthetic data, removed when `testcase` finishes."""
    tmp = tempfile.TemporaryDirectory(prefix="cs7643-p2-")
    testcase.addCleanup(tmp.cleanup)
    return make_fake_cifar(tmp.name, **kwargs)


def solver_kwargs(prefix):
    """Solver keywords that keep a run inside `prefix`: training and test sets, checkpoints."""
    return {"path_prefix": prefix, "test_root": os.path.join(prefix, "data", "cifar10"),
            "checkpoint_dir": os.path.join(prefix, "checkpoints")}
