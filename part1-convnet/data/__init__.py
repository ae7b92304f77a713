"""Load CIFAR-10 for Part 1 as mean-subtracted float64 arrays in NCHW layout.

The images themselves are fetched and verified once by `make data` (or
`python cs7643/cifar10.py data` from this folder) into ./data/cifar-10-batches-py.
"""
import os

import numpy as np

from cs7643.cifar10 import FOLDER, load_batch, verify_or_adopt

HOW_TO_GET = ("get it with `make data` from the repository root, or with "
              "`python cs7643/cifar10.py data` from the part1-convnet folder")


def get_CIFAR10_data(root, num_training=49000, num_validation=1000, num_test=1000):
    """Load CIFAR-10 and split it into train / validation / test sets.

    Inputs:
    - root: the cifar-10-batches-py folder (e.g. 'data/cifar-10-batches-py')
    - num_training: number of training images, the first of the 50000
    - num_validation: number of validation images, the ones right after the training images
    - num_test: number of test images, the first of the 10000

    Returns a tuple of:
    - X_train: (num_training, 3, 32, 32) float64
    - y_train: (num_training,) int64 labels in [0, 10)
    - X_val, y_val: likewise, num_validation images
    - X_test, y_test: likewise, num_test images

    Pixel values stay in [0, 255]; the mean training image is subtracted from all three sets.
    """
    if not os.path.isfile(os.path.join(root, "data_batch_1")):
        raise FileNotFoundError("CIFAR-10 was not found in %r (expected the %s folder with "
                                "data_batch_1..5 and test_batch); %s"
                                % (root, FOLDER, HOW_TO_GET))
    if not verify_or_adopt(root):
        raise ValueError("CIFAR-10 in %r is incomplete or corrupt; delete the folder and %s"
                         % (root, HOW_TO_GET))
    if num_training + num_validation > 50000 or num_test > 10000:
        raise ValueError("CIFAR-10 has 50000 training and 10000 test images; asked for "
                         "%d + %d training/validation and %d test"
                         % (num_training, num_validation, num_test))
    train = [load_batch(os.path.join(root, "data_batch_%d" % i)) for i in range(1, 6)]
    n = num_training + num_validation  # convert only the images we return to float64
    X = np.concatenate([b[0] for b in train])[:n].reshape(-1, 3, 32, 32).astype(np.float64)
    y = np.concatenate([b[1] for b in train])[:n].astype(np.int64)
    X_test, y_test = load_batch(os.path.join(root, "test_batch"))
    X_test = X_test[:num_test].reshape(-1, 3, 32, 32).astype(np.float64)
    y_test = y_test[:num_test].astype(np.int64)

    val = slice(num_training, num_training + num_validation)
    X_train, y_train = X[:num_training], y[:num_training]
    X_val, y_val = X[val], y[val]

    # Centre the data on the mean training image (computed on the training split only).
    mean_image = X_train.mean(axis=0)
    X_train = X_train - mean_image
    X_val = X_val - mean_image
    X_test = X_test - mean_image
    return X_train, y_train, X_val, y_val, X_test, y_test
