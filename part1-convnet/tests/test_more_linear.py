"""Linear: forward as an explicit sum, backward against numeric gradients, 4-D input."""
import unittest

import numpy as np

from modules import Linear
from tests.gradcheck import numeric_gradient, rel_error


def affine(x, w, b):
    """out[n, o] = sum_i x_flat[n, i] * w[i, o] + b[o], written as loops."""
    xf = x.reshape(x.shape[0], -1)
    out = np.zeros((x.shape[0], w.shape[1]))
    for n in range(xf.shape[0]):
        for o in range(w.shape[1]):
            out[n, o] = sum(xf[n, i] * w[i, o] for i in range(w.shape[0])) + b[o]
    return out


class TestLinear(unittest.TestCase):
    def setUp(self):
        rng = np.random.default_rng(0)
        self.layer = Linear(2 * 3 * 2, 4)
        self.layer.weight = rng.standard_normal((12, 4))
        self.layer.bias = rng.standard_normal(4)
        self.x = rng.standard_normal((3, 2, 3, 2))          # 4-D input, flattened to 12
        self.dout = rng.standard_normal((3, 4))

    def test_weight_shape(self):
        layer = Linear(8192, 10)
        self.assertEqual(layer.weight.shape, (8192, 10))
        self.assertEqual(layer.bias.shape, (10,))

    def test_forward(self):
        out = self.layer.forward(self.x)
        self.assertEqual(out.shape, (3, 4))
        self.assertLess(rel_error(out, affine(self.x, self.layer.weight, self.layer.bias)), 1e-12)

    def test_backward_numeric(self):
        L = self.layer
        L.forward(self.x)
        L.backward(self.dout)
        dx = numeric_gradient(lambda v: affine(v, L.weight, L.bias), self.x, self.dout)
        dw = numeric_gradient(lambda v: affine(self.x, v, L.bias), L.weight.copy(), self.dout)
        db = numeric_gradient(lambda v: affine(self.x, L.weight, v), L.bias.copy(), self.dout)
        self.assertEqual(L.dx.shape, self.x.shape)              # the ORIGINAL input shape
        self.assertLess(rel_error(L.dx, dx), 1e-8)
        self.assertLess(rel_error(L.dw, dw), 1e-8)
        self.assertLess(rel_error(L.db, db), 1e-8)


if __name__ == "__main__":
    unittest.main()
