"""ReLU: closed-form forward and backward, and a numeric gradient check."""
import unittest

import numpy as np

from modules import ReLU
from tests.gradcheck import numeric_gradient, rel_error


class TestReLU(unittest.TestCase):
    def test_forward_by_hand(self):
        x = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])
        np.testing.assert_array_equal(ReLU().forward(x), [[0.0, 0.0, 0.0, 0.5, 2.0]])

    def test_backward_by_hand(self):
        relu = ReLU()
        relu.forward(np.array([[-2.0, 3.0], [4.0, -1.0]]))
        relu.backward(np.array([[10.0, 20.0], [30.0, 40.0]]))
        np.testing.assert_array_equal(relu.dx, [[0.0, 20.0], [30.0, 0.0]])

    def test_backward_numeric_4d(self):
        rng = np.random.default_rng(0)
        x = rng.standard_normal((2, 3, 4, 5))
        x[np.abs(x) < 1e-3] = 0.5   # keep away from the kink at 0
        dout = rng.standard_normal(x.shape)
        relu = ReLU()
        relu.forward(x)
        relu.backward(dout)
        dx = numeric_gradient(lambda v: np.maximum(v, 0), x, dout)
        self.assertEqual(relu.dx.shape, x.shape)
        self.assertLess(rel_error(relu.dx, dx), 1e-6)


if __name__ == "__main__":
    unittest.main()
