"""The seeded weight initialisation of the SPEC (students' results depend on it)."""
import unittest

import numpy as np

from modules import Conv2D, Linear


class TestInit(unittest.TestCase):
    def test_conv_init(self):
        conv = Conv2D(3, 32, kernel_size=5, stride=1, padding=2)
        expected = 1e-3 * np.random.RandomState(1024).randn(32, 3, 5, 5)
        np.testing.assert_array_equal(conv.weight, expected)
        np.testing.assert_array_equal(conv.bias, np.zeros(32))
        self.assertAlmostEqual(conv.weight[0, 0, 0, 0], 2.1244486275782046e-03, places=15)  # pinned literal
        self.assertIsNone(conv.dx)
        self.assertIsNone(conv.dw)
        self.assertIsNone(conv.db)

    def test_linear_init(self):
        lin = Linear(8192, 10)
        expected = 1e-3 * np.random.RandomState(1024).randn(8192, 10)
        np.testing.assert_array_equal(lin.weight, expected)
        np.testing.assert_array_equal(lin.bias, np.zeros(10))
        self.assertAlmostEqual(lin.weight[0, 0], 2.1244486275782046e-03, places=15)  # pinned literal
        self.assertIsNone(lin.dx)

    def test_init_reseeds_the_global_generator(self):
        # Each layer calls np.random.seed(1024): after building one, the global stream
        # continues right after that layer's weights (the Solver's minibatches rely on it).
        np.random.seed(0)
        Linear(4, 2)
        rs = np.random.RandomState(1024)
        rs.randn(4, 2)
        self.assertEqual(np.random.randn(), rs.randn())


if __name__ == "__main__":
    unittest.main()
