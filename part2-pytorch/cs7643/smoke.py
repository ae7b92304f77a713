"""Smoke mode of the Part 2 notebook (CS7643_SMOKE=1, used by CI; staff only).

smoke_kwargs() returns Solver keyword arguments that make a run take seconds: one
epoch on a small copy of real CIFAR-10 (the first images of every class) written to a
temporary folder, with the test set and the checkpoints there too, so a smoke run
never overwrites the real checkpoints.
"""
import atexit
import os
import shutil
import tempfile

import numpy as np

from . import fetch


def small_cifar_prefix(data_dir="data/cifar10", n_train=1000, n_test=200):
    """A temporary folder holding data/cifar10/cifar-10-batches-py with n_train + n_test images.

    Inputs:
    - data_dir: the folder holding the verified cifar-10-batches-py (fetched if missing)
    - n_train, n_test: images to keep, the first n / 10 of every class (balanced classes)
    """
    source = fetch.ensure_cifar10(data_dir)
    train_x, train_y, test_x, test_y = fetch.load_arrays(source)
    train_x, train_y = _balanced_head(train_x, train_y, n_train // 10)
    test_x, test_y = _balanced_head(test_x, test_y, n_test // 10)
    prefix = tempfile.mkdtemp(prefix="cs7643-smoke-")
    atexit.register(shutil.rmtree, prefix, True)
    folder = os.path.join(prefix, "data", "cifar10", fetch.FOLDER)
    os.makedirs(folder)
    fetch.write_batches(folder, train_x, train_y, test_x, test_y)
    fetch._write_stamp(folder)  # a subset cannot pass the full data's content check
    return prefix


def smoke_kwargs(data_dir="data/cifar10"):
    """Solver keyword arguments for a run of a few seconds that writes only to a temporary folder."""
    prefix = small_cifar_prefix(data_dir)
    return {"path_prefix": prefix, "test_root": os.path.join(prefix, "data", "cifar10"),
            "checkpoint_dir": os.path.join(prefix, "checkpoints"), "epochs": 1}


def _balanced_head(x, y, per_class):
    """The first `per_class` images of every class, in their original order."""
    keep = np.sort(np.concatenate([np.flatnonzero(y == c)[:per_class] for c in range(10)]))
    return x[keep], y[keep]
