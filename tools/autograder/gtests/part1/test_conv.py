"""Conv2D: forward and backward against torch's conv2d (float64)."""

import numpy as np
import torch
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, probe
from gtests.checks import assert_close, assert_unchanged

FILE = ["modules/convolution.py"]


def check_conv(n, c, h, w, f, k, s, p, seed, backward):
    """Run the student's Conv2D on random data and compare with torch; returns nothing."""
    layer = "Conv2D(%d, %d, kernel_size=%d, stride=%d, padding=%d)" % (c, f, k, s, p)
    rng = np.random.RandomState(seed)
    x, weight, bias = rng.randn(n, c, h, w), rng.randn(f, c, k, k), rng.randn(f)
    xt = torch.tensor(x, requires_grad=True)
    wt = torch.tensor(weight, requires_grad=True)
    bt = torch.tensor(bias, requires_grad=True)
    ref = F.conv2d(xt, wt, bt, stride=s, padding=p)
    dout = rng.randn(*ref.shape)
    got = probe("conv2d", dict(c=c, f=f, k=k, s=s, p=p, backward=backward),
                x=x, weight=weight, bias=bias, dout=dout)
    fwd = "%s.forward(x of shape %s) in modules/convolution.py" % (layer, x.shape)
    assert_close(got["out"], ref, fwd + ": output")
    if backward:
        bwd = "%s.backward(dout of shape %s) in modules/convolution.py, after forward(x of shape " \
              "%s)" % (layer, dout.shape, x.shape)
        assert_unchanged(got, "weight_after", weight, bwd)
        assert_unchanged(got, "bias_after", bias, bwd)
        ref.backward(torch.tensor(dout))
        assert_close(got.get("dx"), xt.grad, bwd + ": dx")
        assert_close(got.get("dw"), wt.grad, bwd + ": dw")
        assert_close(got.get("db"), bt.grad, bwd + ": db")


class TestConv2D(GradedCase):
    @graded(5, requires=FILE)
    def test_forward(self):
        """Conv2D.forward: stride 1, padding 1"""
        check_conv(2, 3, 7, 7, 4, 3, 1, 1, seed=0, backward=False)

    @graded(5, requires=FILE)
    def test_backward(self):
        """Conv2D.backward: dx, dw, db with stride 1, padding 1"""
        check_conv(2, 3, 7, 7, 4, 3, 1, 1, seed=1, backward=True)

    @graded(3, visibility=HIDDEN, requires=FILE)
    def test_forward_strided(self):
        """Conv2D.forward: stride 2, padding 2, non-square input, kernel 5"""
        check_conv(3, 2, 9, 11, 5, 5, 2, 2, seed=2, backward=False)

    @graded(4, visibility=HIDDEN, requires=FILE)
    def test_backward_strided(self):
        """Conv2D.backward: stride 2, padding 1, non-square input"""
        check_conv(2, 3, 8, 6, 2, 3, 2, 1, seed=3, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_backward_no_padding_stride3(self):
        """Conv2D.backward: stride 3, no padding, windows not covering the input"""
        check_conv(2, 2, 10, 10, 3, 2, 3, 0, seed=4, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_backward_1x1(self):
        """Conv2D.backward: 1x1 kernel, single image"""
        check_conv(1, 4, 5, 5, 3, 1, 1, 0, seed=5, backward=True)
