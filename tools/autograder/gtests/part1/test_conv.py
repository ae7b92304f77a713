"""Conv2D: forward and backward against torch's conv2d (float64), init as in the SPEC."""

import numpy as np
import torch
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close

FILE = ["modules/convolution.py"]


def check_conv(n, c, h, w, f, k, s, p, seed, backward):
    """Run the student's Conv2D on random data and compare with torch; returns nothing."""
    what = "Conv2D(in=%d, out=%d, kernel_size=%d, stride=%d, padding=%d) on input %s" % (
        c, f, k, s, p, (n, c, h, w))
    rng = np.random.RandomState(seed)
    x, weight, bias = rng.randn(n, c, h, w), rng.randn(f, c, k, k), rng.randn(f)
    Conv2D = student("modules.convolution", "Conv2D")
    layer = Conv2D(c, f, kernel_size=k, stride=s, padding=p)
    layer.weight, layer.bias = weight.copy(), bias.copy()
    out = layer.forward(x.copy())

    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(weight, requires_grad=True)
    bt = torch.tensor(bias, requires_grad=True)
    ref = F.conv2d(xt, wt, bt, stride=s, padding=p)
    assert_close(out, ref, what + ": forward output")
    if backward:
        dout = rng.randn(*ref.shape)
        ref.backward(torch.tensor(dout))
        layer.backward(dout.copy())
        assert_close(layer.dx, xt.grad, what + ": dx")
        assert_close(layer.dw, wt.grad, what + ": dw")
        assert_close(layer.db, bt.grad, what + ": db")


class TestConv2D(GradedCase):
    @graded(1, requires=FILE)
    def test_init(self):
        """Conv2D: seeded weight and zero bias, as specified"""
        Conv2D = student("modules.convolution", "Conv2D")
        layer = Conv2D(3, 4, kernel_size=5, stride=1, padding=2)
        np.random.seed(1024)
        assert_close(layer.weight, 1e-3 * np.random.randn(4, 3, 5, 5), "Conv2D.weight after __init__")
        assert_close(layer.bias, np.zeros(4), "Conv2D.bias after __init__")

    @graded(5, requires=FILE)
    def test_forward(self):
        """Conv2D forward: stride 1, padding 1"""
        check_conv(2, 3, 7, 7, 4, 3, 1, 1, seed=0, backward=False)

    @graded(5, requires=FILE)
    def test_backward(self):
        """Conv2D backward: dx, dw, db with stride 1, padding 1"""
        check_conv(2, 3, 7, 7, 4, 3, 1, 1, seed=1, backward=True)

    @graded(3, visibility=HIDDEN, requires=FILE)
    def test_forward_strided(self):
        """Conv2D forward: stride 2, padding 2, non-square input, kernel 5"""
        check_conv(3, 2, 9, 11, 5, 5, 2, 2, seed=2, backward=False)

    @graded(4, visibility=HIDDEN, requires=FILE)
    def test_backward_strided(self):
        """Conv2D backward: stride 2, padding 1, non-square input"""
        check_conv(2, 3, 8, 6, 2, 3, 2, 1, seed=3, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_backward_no_padding_stride3(self):
        """Conv2D backward: stride 3, no padding, windows not covering the input"""
        check_conv(2, 2, 10, 10, 3, 2, 3, 0, seed=4, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_backward_1x1(self):
        """Conv2D backward: 1x1 kernel, single image"""
        check_conv(1, 4, 5, 5, 3, 1, 1, 0, seed=5, backward=True)
