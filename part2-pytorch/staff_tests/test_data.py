"""The long-tailed CIFAR-10 on the real data: per-class counts, subsets, seeding, errors."""
import os
import tempfile
import unittest

import numpy as np

from staff_tests.synthetic import PART2
from data import CIFAR10, Imbalanced_CIFAR10

ROOT = os.path.join(PART2, "data")
EXPECTED = {  # worked out by hand from int(5000 * factor ** (i / 9)) and the step rule
    ("exp", 0.01): [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50],
    ("exp", 0.1): [5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500],
    ("step", 0.01): [5000] * 5 + [50] * 5,
    ("step", 0.1): [5000] * 5 + [500] * 5,
}


class TestImbalancedCIFAR10(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.full = CIFAR10(ROOT, train=True)

    def test_counts(self):
        for (mode, factor), expected in EXPECTED.items():
            with self.subTest(mode=mode, factor=factor):
                ds = Imbalanced_CIFAR10(ROOT, imb_type=mode, imb_factor=factor)
                self.assertEqual(ds.get_cls_num_list(), expected)
                self.assertEqual(np.bincount(ds.targets, minlength=10).tolist(), expected)
                self.assertEqual(len(ds), sum(expected))
                self.assertEqual(ds.data.shape[1:], (32, 32, 3))
                self.assertIsInstance(ds, __import__("torchvision").datasets.CIFAR10)

    def test_subset_of_real_images(self):
        ds = Imbalanced_CIFAR10(ROOT)
        full = {bytes(img): label for img, label in zip(self.full.data, self.full.targets)}
        for i in np.random.default_rng(0).choice(len(ds), 200, replace=False):
            self.assertEqual(full[bytes(ds.data[i])], ds.targets[i])

    def test_seeded(self):
        a, b = Imbalanced_CIFAR10(ROOT, rand_number=0), Imbalanced_CIFAR10(ROOT, rand_number=0)
        c = Imbalanced_CIFAR10(ROOT, rand_number=1)
        np.testing.assert_array_equal(a.data, b.data)
        self.assertFalse(np.array_equal(a.data, c.data))
        self.assertEqual(a.get_cls_num_list(), c.get_cls_num_list())

    def test_bad_arguments(self):
        with self.assertRaisesRegex(ValueError, "imb_type must be one of exp, step, got 'linear'"):
            Imbalanced_CIFAR10(ROOT, imb_type="linear")
        with self.assertRaisesRegex(ValueError, r"imb_factor must be in \(0, 1\]"):
            Imbalanced_CIFAR10(ROOT, imb_factor=100)

    def test_missing_data_says_how_to_fix(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaisesRegex(RuntimeError, "make data"):
                CIFAR10(tmp, train=False)


if __name__ == "__main__":
    unittest.main()
