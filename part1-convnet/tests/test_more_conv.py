"""Conv2D: forward against a direct loop implementation, backward against numeric gradients."""
import unittest

import numpy as np

from modules import Conv2D
from tests.gradcheck import numeric_gradient, rel_error


def naive_conv(x, w, b, stride, pad):
    """Cross-correlation written as plain loops: the definition, one output value at a time."""
    N, C, H, W = x.shape
    F, _, k, _ = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    Ho, Wo = (H + 2 * pad - k) // stride + 1, (W + 2 * pad - k) // stride + 1
    out = np.zeros((N, F, Ho, Wo))
    for n in range(N):
        for f in range(F):
            for i in range(Ho):
                for j in range(Wo):
                    window = xp[n, :, i * stride:i * stride + k, j * stride:j * stride + k]
                    out[n, f, i, j] = np.sum(window * w[f]) + b[f]
    return out


def make_conv(C, F, k, stride, pad, rng):
    conv = Conv2D(C, F, kernel_size=k, stride=stride, padding=pad)
    conv.weight = rng.standard_normal(conv.weight.shape)   # O(1) weights: clearer errors
    conv.bias = rng.standard_normal(conv.bias.shape)
    return conv


class TestConv(unittest.TestCase):
    def setUp(self):
        self.rng = np.random.default_rng(0)

    def test_forward_small_by_hand(self):
        # All-ones 3x3 image, all-ones 2x2 kernel, bias 0.5, padding 1, stride 2: the four
        # windows of the padded 5x5 image cover 1, 2, 2 and 4 image pixels respectively.
        conv = Conv2D(1, 1, kernel_size=2, stride=2, padding=1)
        conv.weight = np.ones((1, 1, 2, 2))
        conv.bias = np.array([0.5])
        out = conv.forward(np.ones((1, 1, 3, 3)))
        np.testing.assert_allclose(out, [[[[1.5, 2.5], [2.5, 4.5]]]])

    def test_forward_matches_loops(self):
        for (N, C, F, H, W, k, s, p) in [(2, 3, 4, 5, 5, 3, 1, 1), (2, 3, 2, 7, 6, 3, 2, 0),
                                         (1, 1, 3, 8, 5, 5, 3, 2), (3, 2, 2, 4, 4, 1, 1, 0),
                                         (2, 1, 8, 6, 7, 3, 1, 1)]:
            with self.subTest(N=N, C=C, F=F, H=H, W=W, k=k, stride=s, padding=p):
                conv = make_conv(C, F, k, s, p, self.rng)
                x = self.rng.standard_normal((N, C, H, W))
                out = conv.forward(x)
                expected = naive_conv(x, conv.weight, conv.bias, s, p)
                self.assertEqual(out.shape, expected.shape)
                self.assertLess(rel_error(out, expected), 1e-10)

    def test_output_shape(self):
        conv = Conv2D(3, 32, kernel_size=5, stride=1, padding=2)
        self.assertEqual(conv.forward(np.zeros((2, 3, 32, 32))).shape, (2, 32, 32, 32))
        conv = Conv2D(3, 25, kernel_size=3, stride=2, padding=1)
        self.assertEqual(conv.forward(np.zeros((2, 3, 31, 31))).shape, (2, 25, 16, 16))

    def test_backward_numeric(self):
        for (N, C, F, H, W, k, s, p) in [(2, 3, 2, 5, 5, 3, 1, 1), (2, 2, 3, 7, 6, 3, 2, 1),
                                         (1, 1, 2, 6, 6, 2, 2, 0), (2, 1, 6, 5, 6, 3, 2, 1)]:
            with self.subTest(N=N, C=C, F=F, H=H, W=W, k=k, stride=s, padding=p):
                conv = make_conv(C, F, k, s, p, self.rng)
                x = self.rng.standard_normal((N, C, H, W))
                dout = self.rng.standard_normal(conv.forward(x).shape)
                conv.forward(x)
                conv.backward(dout)
                dx = numeric_gradient(lambda v: naive_conv(v, conv.weight, conv.bias, s, p), x, dout)
                dw = numeric_gradient(lambda v: naive_conv(x, v, conv.bias, s, p),
                                      conv.weight.copy(), dout)
                db = numeric_gradient(lambda v: naive_conv(x, conv.weight, v, s, p),
                                      conv.bias.copy(), dout)
                self.assertEqual(conv.dx.shape, x.shape)
                self.assertLess(rel_error(conv.dx, dx), 1e-6)
                self.assertLess(rel_error(conv.dw, dw), 1e-6)
                self.assertLess(rel_error(conv.db, db), 1e-6)


if __name__ == "__main__":
    unittest.main()
