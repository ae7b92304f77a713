"""get_CIFAR10_data on the real CIFAR-10, checked against the raw pickles."""
import os
import pickle
import unittest

import numpy as np

from data import get_CIFAR10_data
from data.data_processing import generate_batched_data, load_CIFAR_batch
from staff_tests.realdata import require_cifar10


def raw_batch(folder, name):
    with open(os.path.join(folder, name), "rb") as f:
        d = pickle.load(f, encoding="latin1")
    return np.asarray(d["data"], dtype=np.float64).reshape(-1, 3, 32, 32), np.asarray(d["labels"])


class TestGetCIFAR10Data(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = require_cifar10()
        cls.splits = get_CIFAR10_data(cls.folder)

    def test_shapes_and_types(self):
        X_train, y_train, X_val, y_val, X_test, y_test = self.splits
        for X, n in [(X_train, 49000), (X_val, 1000), (X_test, 1000)]:
            self.assertEqual(X.shape, (n, 3, 32, 32))
            self.assertEqual(X.dtype, np.float64)
        for y, n in [(y_train, 49000), (y_val, 1000), (y_test, 1000)]:
            self.assertEqual(y.shape, (n,))
            self.assertTrue(np.issubdtype(y.dtype, np.integer))
        self.assertEqual(y_train[0], 6)       # a frog
        self.assertEqual(y_test[0], 3)        # a cat

    def test_mean_subtracted_and_splits(self):
        X_train, y_train, X_val, y_val, X_test, y_test = self.splits
        np.testing.assert_allclose(X_train.mean(axis=0), 0.0, atol=1e-9)
        # Recover the mean image from the first training image and check the other splits.
        raw1, _ = raw_batch(self.folder, "data_batch_1")
        mean = raw1[0] - X_train[0]
        raw5, labels5 = raw_batch(self.folder, "data_batch_5")
        np.testing.assert_allclose(X_val + mean, raw5[9000:], atol=1e-9)   # images 49000..49999
        np.testing.assert_array_equal(y_val, labels5[9000:])
        raw_test, labels_test = raw_batch(self.folder, "test_batch")
        np.testing.assert_allclose(X_test + mean, raw_test[:1000], atol=1e-9)
        np.testing.assert_array_equal(y_test, labels_test[:1000])
        # Per-channel mean of the training pixels / 255 (about 0.4914, 0.4822, 0.4465: the
        # mean of the course's Normalize in part2-pytorch/tests/).
        np.testing.assert_allclose(mean.mean(axis=(1, 2)) / 255, [0.4914, 0.4822, 0.4465],
                                   atol=2e-3)

    def test_smaller_splits(self):
        X_train, y_train, X_val, y_val, X_test, y_test = get_CIFAR10_data(
            self.folder, num_training=100, num_validation=20, num_test=30)
        self.assertEqual((len(X_train), len(X_val), len(X_test)), (100, 20, 30))
        np.testing.assert_allclose(X_train.mean(axis=0), 0.0, atol=1e-9)

    def test_too_many_requested(self):
        with self.assertRaisesRegex(ValueError, "50000 training and 10000 test"):
            get_CIFAR10_data(self.folder, num_training=50000, num_validation=1000)


class TestCourseProcedure(unittest.TestCase):
    def test_same_arrays_as_the_course_steps(self):
        # The course's steps: float HWC batches, range-mask splits, mean image subtracted in
        # HWC, then transposed copies. Ours converts only the returned images; the arrays
        # must be bit-identical (checked on data_batch_1 to keep memory small).
        folder = require_cifar10()
        ours = get_CIFAR10_data(folder, num_training=3000, num_validation=500, num_test=200)
        X, y = load_CIFAR_batch(os.path.join(folder, "data_batch_1"))
        Xt, yt = load_CIFAR_batch(os.path.join(folder, "test_batch"))
        X_val, y_val = X[range(3000, 3500)], y[range(3000, 3500)]
        X_train, y_train = X[range(3000)], y[range(3000)]
        X_test, y_test = Xt[range(200)], yt[range(200)]
        mean_image = np.mean(X_train, axis=0)
        X_train -= mean_image
        X_val -= mean_image
        X_test -= mean_image
        course = [X_train.transpose(0, 3, 1, 2).copy(), y_train,
                  X_val.transpose(0, 3, 1, 2).copy(), y_val,
                  X_test.transpose(0, 3, 1, 2).copy(), y_test]
        for a, b in zip(ours, course):
            self.assertEqual(a.dtype, b.dtype)
            np.testing.assert_array_equal(a, b)


class TestHelpers(unittest.TestCase):
    def test_load_CIFAR_batch_is_hwc_float(self):
        folder = require_cifar10()
        X, Y = load_CIFAR_batch(os.path.join(folder, "test_batch"))
        raw, labels = raw_batch(folder, "test_batch")
        self.assertEqual((X.shape, X.dtype), ((10000, 32, 32, 3), np.float64))
        np.testing.assert_array_equal(X.transpose(0, 3, 1, 2), raw)
        np.testing.assert_array_equal(Y, labels)

    def test_generate_batched_data_keeps_labels_with_images(self):
        # Each image's pixels all equal its own label; shuffled batches must still agree.
        labels = np.arange(23) % 7
        data = np.broadcast_to(labels[:, None, None, None], (23, 3, 2, 2)).astype(float).copy()
        import random
        random.seed(3)
        batches, batch_labels = generate_batched_data(data, labels, batch_size=5, shuffle=True)
        self.assertEqual([len(b) for b in batches], [5, 5, 5, 5, 3])
        for b, l in zip(batches, batch_labels):
            np.testing.assert_array_equal(b[:, 0, 0, 0], l)
        order = np.concatenate([b[:, 0, 0, 0] for b in batches])
        self.assertFalse(np.array_equal(order, labels))          # really shuffled
        self.assertEqual(sorted(order.tolist()), sorted(labels.tolist()))
        plain, plain_labels = generate_batched_data(data, labels, batch_size=10, shuffle=False)
        np.testing.assert_array_equal(np.concatenate(plain_labels), labels)


if __name__ == "__main__":
    unittest.main()
