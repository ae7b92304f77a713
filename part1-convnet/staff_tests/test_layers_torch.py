"""Every layer's forward and backward against torch autograd in float64, over many shapes."""
import itertools
import unittest

import numpy as np
import torch
import torch.nn.functional as F

from modules import Conv2D, ConvNet, Linear, MaxPooling, ReLU, SoftmaxCrossEntropy


def t(a, grad=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


def assert_close(test, actual, expected, what):
    test.assertEqual(np.shape(actual), tuple(expected.shape), what)
    np.testing.assert_allclose(actual, expected.detach().numpy(), rtol=1e-9, atol=1e-11,
                               err_msg=what)


class TestConvAgainstTorch(unittest.TestCase):
    def check(self, N, C, Fo, H, W, k, s, p, rng):
        conv = Conv2D(C, Fo, kernel_size=k, stride=s, padding=p)
        conv.weight = rng.standard_normal(conv.weight.shape)
        conv.bias = rng.standard_normal(Fo)
        x = rng.standard_normal((N, C, H, W))
        out = conv.forward(x)
        dout = rng.standard_normal(out.shape)
        conv.backward(dout)
        xt, wt, bt = t(x, True), t(conv.weight, True), t(conv.bias, True)
        ref = F.conv2d(xt, wt, bt, stride=s, padding=p)
        ref.backward(t(dout))
        what = "N=%d C=%d F=%d %dx%d k=%d s=%d p=%d" % (N, C, Fo, H, W, k, s, p)
        assert_close(self, out, ref, "forward " + what)
        assert_close(self, conv.dx, xt.grad, "dx " + what)
        assert_close(self, conv.dw, wt.grad, "dw " + what)
        assert_close(self, conv.db, bt.grad, "db " + what)

    def test_every_kernel_stride_padding(self):
        rng = np.random.default_rng(1)
        for k, s, p in itertools.product(range(1, 8), range(1, 4), range(0, 4)):
            with self.subTest(kernel=k, stride=s, padding=p):
                self.check(2, 3, 4, 9, 11, k, s, p, rng)          # non-square input

    def test_every_kernel_stride_padding_many_filters(self):
        # Many more filters than input channels (like an RGB first layer): Conv2D computes
        # the input gradient another way there, so sweep that path too.
        rng = np.random.default_rng(11)
        for k, s, p in itertools.product(range(1, 8), range(1, 4), range(0, 4)):
            with self.subTest(kernel=k, stride=s, padding=p):
                self.check(2, 1, 6, 10, 8, k, s, p, rng)

    def test_special_shapes(self):
        rng = np.random.default_rng(2)
        cases = [(1, 1, 1, 5, 5, 3, 1, 1),      # batch 1, one channel in and out
                 (1, 3, 32, 32, 32, 5, 1, 2),   # the notebook's first layer, batch 1
                 (3, 16, 8, 6, 13, 3, 2, 1),    # many channels, wide image
                 (2, 5, 3, 14, 4, 4, 3, 0),     # tall image, window does not tile exactly
                 (4, 2, 6, 7, 7, 7, 1, 0),      # kernel as large as the image: 1x1 output
                 (2, 8, 16, 1, 1, 1, 1, 0)]     # 1x1 convolution on 1x1 images
        for case in cases:
            with self.subTest(case=case):
                self.check(*case, rng=rng)


class TestMaxPoolAgainstTorch(unittest.TestCase):
    def check(self, x, k, s, dout=None):
        pool = MaxPooling(kernel_size=k, stride=s)
        out = pool.forward(x)
        if dout is None:
            dout = np.random.default_rng(3).standard_normal(out.shape)
        pool.backward(dout)
        xt = t(x, True)
        ref = F.max_pool2d(xt, k, s)
        ref.backward(t(dout))
        assert_close(self, out, ref, "forward k=%d s=%d" % (k, s))
        assert_close(self, pool.dx, xt.grad, "dx k=%d s=%d" % (k, s))
        return pool

    def test_shapes(self):
        rng = np.random.default_rng(4)
        for shape, k, s in [((2, 3, 8, 8), 2, 2), ((1, 1, 5, 7), 2, 2), ((2, 4, 9, 9), 3, 3),
                            ((3, 2, 10, 7), 2, 1), ((2, 3, 6, 11), 4, 2)]:
            with self.subTest(shape=shape, kernel=k, stride=s):
                self.check(rng.standard_normal(shape), k, s)

    def test_overlapping_windows(self):
        rng = np.random.default_rng(5)
        for shape in [(2, 3, 7, 7), (1, 2, 16, 16), (2, 1, 9, 12)]:
            with self.subTest(shape=shape):
                self.check(rng.standard_normal(shape), 3, 2)

    def test_ties_first_maximum(self):
        # Integer-valued images have many ties; torch's CPU kernel also keeps the first maximum.
        rng = np.random.default_rng(6)
        for shape, k, s in [((2, 2, 6, 6), 2, 2), ((2, 2, 7, 7), 3, 2)]:
            with self.subTest(shape=shape, kernel=k, stride=s):
                self.check(rng.integers(0, 3, shape).astype(np.float64), k, s)

    def test_ties_overlap_by_hand(self):
        # 1x1x3x5 constant image, kernel 3, stride 2: two windows, both tie everywhere. Each
        # sends its gradient to its first (top-left) element: columns 0 and 2 of row 0.
        pool = MaxPooling(kernel_size=3, stride=2)
        pool.forward(np.zeros((1, 1, 3, 5)))
        pool.backward(np.array([[[[1.0, 10.0]]]]))
        expected = np.zeros((1, 1, 3, 5))
        expected[0, 0, 0, 0], expected[0, 0, 0, 2] = 1.0, 10.0
        np.testing.assert_array_equal(pool.dx, expected)

    def test_overlap_shared_winner_gets_both_gradients(self):
        # The centre column wins both overlapping windows, so it receives 1 + 10.
        x = np.zeros((1, 1, 3, 5))
        x[0, 0, 1, 2] = 5.0
        pool = MaxPooling(kernel_size=3, stride=2)
        np.testing.assert_array_equal(pool.forward(x), [[[[5.0, 5.0]]]])
        pool.backward(np.array([[[[1.0, 10.0]]]]))
        self.assertEqual(pool.dx[0, 0, 1, 2], 11.0)
        self.assertEqual(np.count_nonzero(pool.dx), 1)


class TestOtherLayersAgainstTorch(unittest.TestCase):
    def test_relu(self):
        rng = np.random.default_rng(7)
        for shape in [(4, 5), (2, 3, 4, 5), (1, 1, 1, 1)]:
            x, dout = rng.standard_normal(shape), rng.standard_normal(shape)
            relu = ReLU()
            out = relu.forward(x)
            relu.backward(dout)
            xt = t(x, True)
            ref = torch.relu(xt)
            ref.backward(t(dout))
            assert_close(self, out, ref, "relu forward %s" % (shape,))
            assert_close(self, relu.dx, xt.grad, "relu dx %s" % (shape,))

    def test_linear_2d_and_4d(self):
        rng = np.random.default_rng(8)
        for shape, out_dim in [((5, 7), 3), ((4, 2, 3, 5), 6), ((1, 3, 4, 4), 10)]:
            with self.subTest(shape=shape):
                x = rng.standard_normal(shape)
                lin = Linear(int(np.prod(shape[1:])), out_dim)
                lin.weight = rng.standard_normal(lin.weight.shape)
                lin.bias = rng.standard_normal(out_dim)
                out = lin.forward(x)
                dout = rng.standard_normal(out.shape)
                lin.backward(dout)
                xt, wt, bt = t(x, True), t(lin.weight, True), t(lin.bias, True)
                ref = F.linear(xt.flatten(1), wt.T, bt)      # our weight is (in, out)
                ref.backward(t(dout))
                assert_close(self, out, ref, "forward")
                assert_close(self, lin.dx, xt.grad, "dx (original input shape)")
                assert_close(self, lin.dw, wt.grad, "dw")
                assert_close(self, lin.db, bt.grad, "db")

    def test_softmax_cross_entropy(self):
        rng = np.random.default_rng(9)
        for N, K, scale in [(5, 10, 1.0), (1, 3, 1.0), (8, 10, 1e3)]:   # 1e3: stability
            with self.subTest(N=N, K=K, scale=scale):
                x = scale * rng.standard_normal((N, K))
                y = rng.integers(0, K, N)
                ce = SoftmaxCrossEntropy()
                probs, loss = ce.forward(x, y)
                ce.backward()
                xt = t(x, True)
                ref = F.cross_entropy(xt, torch.tensor(y))
                ref.backward()
                self.assertTrue(np.isfinite(loss))
                np.testing.assert_allclose(loss, ref.item(), rtol=1e-10)
                assert_close(self, probs, torch.softmax(xt, 1), "probs")
                assert_close(self, ce.dx, xt.grad, "dx")

    def test_convnet_against_torch_model(self):
        rng = np.random.default_rng(10)
        model = ConvNet([dict(type="Conv2D", in_channels=3, out_channels=4, kernel_size=3,
                              stride=1, padding=1),
                         dict(type="ReLU"),
                         dict(type="MaxPooling", kernel_size=2, stride=2),
                         dict(type="Linear", in_dim=4 * 4 * 4, out_dim=5)],
                        dict(type="SoftmaxCrossEntropy"))
        conv, lin = model.modules[0], model.modules[3]
        conv.weight = 0.3 * rng.standard_normal(conv.weight.shape)
        conv.bias = 0.1 * rng.standard_normal(4)
        lin.weight = 0.3 * rng.standard_normal(lin.weight.shape)
        lin.bias = 0.1 * rng.standard_normal(5)
        x, y = rng.standard_normal((6, 3, 8, 8)), rng.integers(0, 5, 6)
        probs, loss = model.forward(x, y)
        model.backward()

        w1, b1, w2, b2 = (t(a, True) for a in (conv.weight, conv.bias, lin.weight, lin.bias))
        h = F.max_pool2d(torch.relu(F.conv2d(t(x), w1, b1, padding=1)), 2, 2)
        scores = h.flatten(1) @ w2 + b2
        ref = F.cross_entropy(scores, torch.tensor(y))
        ref.backward()
        np.testing.assert_allclose(loss, ref.item(), rtol=1e-10)
        assert_close(self, probs, torch.softmax(scores, 1), "probs")
        for name, ours, theirs in [("conv dw", conv.dw, w1), ("conv db", conv.db, b1),
                                   ("linear dw", lin.dw, w2), ("linear db", lin.db, b2)]:
            assert_close(self, ours, theirs.grad, name)


if __name__ == "__main__":
    unittest.main()
