"""Load CIFAR-10 from its python pickles and prepare it for Part 1's NumPy network.

The data lives in `<part1-convnet>/data/cifar10/cifar-10-batches-py`; the notebook's
"Load the CIFAR10 dataset" cell (cs7643.cifar10.CIFAR10(..., download=True)) fetches and
verifies it there.
"""
import os
import pickle
import random

import numpy as np

_HOW_TO_GET = ("run the notebook's 'Load the CIFAR10 dataset' cell, which downloads and "
               "verifies it (or `make data` from the repository root in the full kit)")


def load_CIFAR_batch(filename):
    """Load one batch file of CIFAR-10.

    Returns a tuple of:
    - X: images, float64 array of shape (10000, 32, 32, 3) (HWC), values in [0, 255]
    - Y: labels, int array of shape (10000,)
    """
    with open(filename, "rb") as f:
        datadict = pickle.load(f, encoding="latin1")   # the batches were pickled by Python 2
    X = datadict["data"]
    Y = datadict["labels"]
    X = X.reshape(10000, 3, 32, 32).transpose(0, 2, 3, 1).astype("float")
    Y = np.array(Y)
    return X, Y


def load_CIFAR10(ROOT):
    """Load all of CIFAR-10 from the cifar-10-batches-py folder ROOT.

    Returns (Xtr, Ytr, Xte, Yte): 50000 training and 10000 test images (HWC float64) and labels.
    """
    if not os.path.isfile(os.path.join(ROOT, "data_batch_1")):
        raise FileNotFoundError("CIFAR-10 was not found in %r (expected the cifar-10-batches-py "
                                "folder, holding data_batch_1..5 and test_batch); %s"
                                % (ROOT, _HOW_TO_GET))
    xs = []
    ys = []
    for b in range(1, 6):
        X, Y = load_CIFAR_batch(os.path.join(ROOT, "data_batch_%d" % (b,)))
        xs.append(X)
        ys.append(Y)
    Xtr = np.concatenate(xs)
    Ytr = np.concatenate(ys)
    Xte, Yte = load_CIFAR_batch(os.path.join(ROOT, "test_batch"))
    return Xtr, Ytr, Xte, Yte


def get_CIFAR10_data(root, num_training=49000, num_validation=1000, num_test=1000):
    """Load CIFAR-10 and split it into train / validation / test sets.

    Inputs:
    - root: the cifar-10-batches-py folder (e.g. 'data/cifar10/cifar-10-batches-py')
    - num_training: number of training images, the first of the 50000
    - num_validation: number of validation images, the ones right after the training images
    - num_test: number of test images, the first of the 10000

    Returns a tuple of:
    - X_train: (num_training, 3, 32, 32) float64
    - y_train: (num_training,) int labels in [0, 10)
    - X_val, y_val: likewise, num_validation images
    - X_test, y_test: likewise, num_test images

    Pixel values stay in [0, 255]; the mean training image is subtracted from all three sets.
    """
    if num_training + num_validation > 50000 or num_test > 10000:
        raise ValueError("CIFAR-10 has 50000 training and 10000 test images; asked for "
                         "%d + %d training/validation and %d test"
                         % (num_training, num_validation, num_test))
    X_train, y_train, X_test, y_test = _load_uint8(root)

    # The validation images are the ones right after the training images. Only the images
    # returned are converted to float64 (all 60000 would take 1.5 GB).
    X_val = X_train[num_training:num_training + num_validation].astype("float")
    y_val = y_train[num_training:num_training + num_validation]
    X_train = X_train[:num_training].astype("float")
    y_train = y_train[:num_training]
    X_test = X_test[:num_test].astype("float")
    y_test = y_test[:num_test]

    # Centre every set on the mean training image (computed on the training split only).
    mean_image = np.mean(X_train, axis=0)
    X_train -= mean_image
    X_val -= mean_image
    X_test -= mean_image
    return X_train, y_train, X_val, y_val, X_test, y_test


def _load_uint8(ROOT):
    """Like load_CIFAR10, but the images stay uint8 and channels-first: (N, 3, 32, 32)."""
    if not os.path.isfile(os.path.join(ROOT, "data_batch_1")):
        raise FileNotFoundError("CIFAR-10 was not found in %r (expected the cifar-10-batches-py "
                                "folder, holding data_batch_1..5 and test_batch); %s"
                                % (ROOT, _HOW_TO_GET))
    parts = []
    for name in ["data_batch_%d" % b for b in range(1, 6)] + ["test_batch"]:
        with open(os.path.join(ROOT, name), "rb") as f:
            d = pickle.load(f, encoding="latin1")
        parts.append((np.asarray(d["data"], dtype=np.uint8).reshape(-1, 3, 32, 32),
                      np.array(d["labels"])))
    Xtr = np.concatenate([p[0] for p in parts[:5]])
    Ytr = np.concatenate([p[1] for p in parts[:5]])
    return Xtr, Ytr, parts[5][0], parts[5][1]


def generate_batched_data(data, label, batch_size=10, shuffle=True):
    """Cut (data, label) into consecutive minibatches, optionally shuffled first.

    Inputs:
    - data: images, of shape (N, C, H, W)
    - label: labels, of shape (N,)
    - batch_size: images per batch (the last batch may be smaller)
    - shuffle: shuffle the samples first (with Python's `random` module); images and
      labels are shuffled together, so each image keeps its label

    Returns a tuple of two lists: the image batches and the matching label batches.
    """
    indices = list(range(len(data)))
    if shuffle:
        random.shuffle(indices)
    data = data[indices, :, :, :]
    label = label[indices]
    batched_data = []
    batched_label = []
    for start in range(0, len(data), batch_size):
        batched_data.append(data[start:start + batch_size])
        batched_label.append(label[start:start + batch_size])
    return batched_data, batched_label
