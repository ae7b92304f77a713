"""The datasets on the real CIFAR-10: the long-tailed subset against an independent
re-implementation of the course's sampling procedure, counts, attributes, seeding, and the
content-checked CIFAR10 class."""
import os
import tempfile
import unittest

import numpy as np
import torchvision

from staff_tests.synthetic import PART2
from cs7643 import fetch
from data import CIFAR10, Imbalanced_CIFAR10

ROOT = os.path.join(PART2, "data", "cifar10")  # the Solver's <path_prefix>/data/cifar10
EXPECTED = {  # worked out by hand from int(5000.0 * factor ** (i / 9)) and the step rule
    ("exp", 0.01): [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50],
    ("exp", 0.1): [5000, 3871, 2997, 2320, 1796, 1391, 1077, 834, 645, 500],
    ("step", 0.01): [5000] * 5 + [50] * 5,
    ("step", 0.1): [5000] * 5 + [500] * 5,
    ("none", 0.01): [5000] * 10,  # any other imb_type keeps every image
}


def course_subset(labels, counts, seed):
    """The course's procedure, written out again: ONE np.random.seed, then for each class in
    ascending order np.random.shuffle the indices of its images and keep the first counts[c].
    Returns the kept indices into the training set, class 0 first."""
    np.random.seed(seed)
    kept = []
    for c, n in zip(np.unique(labels), counts):
        idx = np.nonzero(labels == c)[0]
        np.random.shuffle(idx)
        kept.append(idx[:n])
    return np.concatenate(kept)


class TestImbalancedCIFAR10(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # the pixels straight from the pickles (fetch.load_arrays), not through the datasets
        train_x, train_y, _, _ = fetch.load_arrays(os.path.join(ROOT, fetch.FOLDER))
        cls.images = train_x.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # HWC, as .data
        cls.labels = train_y.astype(np.int64)

    def test_kept_images_follow_the_course_procedure(self):
        for seed in (0, 7):
            with self.subTest(rand_number=seed):
                ds = Imbalanced_CIFAR10(ROOT, rand_number=seed)
                keep = course_subset(self.labels, EXPECTED[("exp", 0.01)], seed)
                np.testing.assert_array_equal(ds.data, self.images[keep])
                self.assertEqual(list(map(int, ds.targets)), self.labels[keep].tolist())
                self.assertIsInstance(ds.targets, list)

    def test_counts_and_attributes(self):
        for (mode, factor), expected in EXPECTED.items():
            with self.subTest(mode=mode, factor=factor):
                ds = Imbalanced_CIFAR10(ROOT, imb_type=mode, imb_factor=factor)
                self.assertEqual(ds.get_cls_num_list(), expected)
                self.assertEqual(ds.num_per_cls_dict, dict(enumerate(expected)))
                self.assertEqual(np.bincount(ds.targets, minlength=10).tolist(), expected)
                self.assertEqual(len(ds), sum(expected))
                self.assertEqual(ds.data.shape[1:], (32, 32, 3))
                self.assertEqual(ds.cls_num, 10)
                self.assertIsInstance(ds, torchvision.datasets.CIFAR10)

    def test_seeding(self):
        a, b = Imbalanced_CIFAR10(ROOT, rand_number=0), Imbalanced_CIFAR10(ROOT, rand_number=0)
        c = Imbalanced_CIFAR10(ROOT, rand_number=1)
        np.testing.assert_array_equal(a.data, b.data)
        self.assertFalse(np.array_equal(a.data, c.data))
        self.assertEqual(a.get_cls_num_list(), c.get_cls_num_list())

    def test_getitem_and_transform(self):
        ds = Imbalanced_CIFAR10(ROOT, transform=torchvision.transforms.ToTensor())
        x, y = ds[len(ds) - 1]
        self.assertEqual(tuple(x.shape), (3, 32, 32))
        self.assertEqual(int(y), 9)  # grouped by class: the last image is a truck


class TestVerifiedCIFAR10(unittest.TestCase):
    def test_real_test_set(self):
        ds = CIFAR10(os.path.join(PART2, "data"), train=False)  # the public tests' ./data
        self.assertEqual(len(ds), 10000)
        self.assertEqual(ds.classes[ds.targets[0]], "cat")  # test[0] is a cat
        self.assertEqual(np.bincount(ds.targets).tolist(), [1000] * 10)

    def test_missing_data_says_how_to_fix(self):
        with tempfile.TemporaryDirectory() as tmp:
            with self.assertRaisesRegex(RuntimeError, "pass download=True"):
                CIFAR10(tmp, train=False)


if __name__ == "__main__":
    unittest.main()
