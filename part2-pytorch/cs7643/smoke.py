"""A small copy of CIFAR-10 for the notebook's smoke mode (CS7643_SMOKE=1, used by CI).

`small_cifar_prefix()` writes the first images of each split (real CIFAR-10, in the
official layout) into a temporary folder and returns that folder, to be used as the
Solver's `path_prefix`: runs then take seconds, and their checkpoints and metrics
land in the temporary folder instead of overwriting the real ones.
"""
import atexit
import os
import shutil
import tempfile

import numpy as np

from . import cifar10


def small_cifar_prefix(data_dir="data", n_train=1000, n_test=200):
    """Return a temporary folder holding data/cifar-10-batches-py with n_train + n_test images.

    Inputs:
    - data_dir: the folder holding the verified cifar-10-batches-py
    - n_train, n_test: how many images to keep: the first n / 10 of every class, so the
      classes stay balanced as in the full data
    """
    source = cifar10.ensure_cifar10(data_dir)
    train_x, train_y, test_x, test_y = cifar10.load_arrays(source)
    train_x, train_y = _balanced_head(train_x, train_y, n_train // 10)
    test_x, test_y = _balanced_head(test_x, test_y, n_test // 10)
    prefix = tempfile.mkdtemp(prefix="cs7643-smoke-")
    atexit.register(shutil.rmtree, prefix, True)
    folder = os.path.join(prefix, "data", cifar10.FOLDER)
    os.makedirs(folder)
    cifar10.write_batches(folder, train_x, train_y, test_x, test_y)
    cifar10._write_stamp(folder)  # a subset cannot pass the full data's content check
    return prefix


def _balanced_head(x, y, per_class):
    """The first `per_class` images of every class, in their original order."""
    keep = np.sort(np.concatenate([np.flatnonzero(y == c)[:per_class] for c in range(10)]))
    return x[keep], y[keep]
