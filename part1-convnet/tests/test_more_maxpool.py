"""MaxPooling: forward against loops, backward against numeric gradients and hand-made ties."""
import unittest

import numpy as np

from modules import MaxPooling
from tests.gradcheck import numeric_gradient, rel_error


def naive_pool(x, k, s):
    N, C, H, W = x.shape
    Ho, Wo = (H - k) // s + 1, (W - k) // s + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = x[:, :, i * s:i * s + k, j * s:j * s + k].max(axis=(2, 3))
    return out


class TestMaxPool(unittest.TestCase):
    def setUp(self):
        self.rng = np.random.default_rng(0)

    def test_forward_by_hand(self):
        x = np.arange(16.0).reshape(1, 1, 4, 4)
        out = MaxPooling(kernel_size=2, stride=2).forward(x)
        np.testing.assert_array_equal(out, [[[[5.0, 7.0], [13.0, 15.0]]]])

    def test_forward_matches_loops(self):
        for (shape, k, s) in [((2, 3, 8, 8), 2, 2), ((2, 2, 7, 9), 3, 2), ((1, 1, 5, 5), 2, 1)]:
            with self.subTest(shape=shape, kernel_size=k, stride=s):
                x = self.rng.standard_normal(shape)
                out = MaxPooling(k, s).forward(x)
                np.testing.assert_array_equal(out, naive_pool(x, k, s))

    def test_backward_numeric(self):
        for (shape, k, s) in [((2, 3, 6, 6), 2, 2), ((2, 2, 7, 7), 3, 2)]:
            with self.subTest(shape=shape, kernel_size=k, stride=s):
                x = self.rng.standard_normal(shape)   # distinct values: no ties
                pool = MaxPooling(k, s)
                dout = self.rng.standard_normal(pool.forward(x).shape)
                pool.backward(dout)
                dx = numeric_gradient(lambda v: naive_pool(v, k, s), x, dout)
                self.assertLess(rel_error(pool.dx, dx), 1e-6)

    def test_backward_ties_keep_the_gradient(self):
        # One 2x2 window with a tie for the maximum (two 1s) and a smaller value: the
        # gradient may go to either maximum or be split between them, but all of it must
        # go to the maxima (the usual choice, np.argmax's, is the first one).
        pool = MaxPooling(kernel_size=2, stride=2)
        pool.forward(np.array([[[[1.0, 0.0], [1.0, -1.0]]]]))
        pool.backward(np.array([[[[3.0]]]]))
        self.assertAlmostEqual(pool.dx[0, 0, 0, 0] + pool.dx[0, 0, 1, 0], 3.0)
        self.assertEqual(pool.dx[0, 0, 0, 1], 0.0)
        self.assertEqual(pool.dx[0, 0, 1, 1], 0.0)

if __name__ == "__main__":
    unittest.main()
