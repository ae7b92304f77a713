"""MaxPooling: forward and backward against torch's max_pool2d (float64)."""

import numpy as np
import torch
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, probe
from gtests.checks import assert_close

FILE = ["modules/max_pool.py"]


def check_pool(x, k, s, seed, backward, dout=None):
    layer = "MaxPooling(kernel_size=%d, stride=%d)" % (k, s)
    xt = torch.tensor(x, requires_grad=True)
    ref = F.max_pool2d(xt, k, s)
    if dout is None:
        dout = np.random.RandomState(seed).randn(*ref.shape)
    got = probe("maxpool", dict(k=k, s=s, backward=backward), x=x, dout=dout)
    assert_close(got["out"], ref, "%s.forward(x of shape %s) in modules/max_pool.py: output"
                 % (layer, x.shape))
    if backward:
        ref.backward(torch.tensor(dout))
        assert_close(got.get("dx"), xt.grad, "%s.backward(dout of shape %s) in modules/max_pool.py, "
                     "after forward(x of shape %s): dx" % (layer, dout.shape, x.shape))


def distinct(shape, seed):
    """Distinct values (no ties), shuffled."""
    return np.random.RandomState(seed).permutation(int(np.prod(shape))).reshape(shape) / 7.0


class TestMaxPooling(GradedCase):
    @graded(3, requires=FILE)
    def test_forward(self):
        """MaxPooling.forward: 2x2 windows, stride 2"""
        check_pool(distinct((2, 3, 8, 8), 0), 2, 2, seed=0, backward=False)

    @graded(3, requires=FILE)
    def test_backward(self):
        """MaxPooling.backward: 2x2 windows, stride 2"""
        check_pool(distinct((2, 3, 8, 8), 1), 2, 2, seed=1, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_overlapping(self):
        """MaxPooling.backward: overlapping 3x3 windows, stride 2, non-square input"""
        check_pool(distinct((2, 2, 9, 7), 2), 3, 2, seed=2, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_uncovered(self):
        """MaxPooling.backward: stride 3 with leftover rows and columns"""
        check_pool(distinct((1, 3, 11, 10), 3), 2, 3, seed=3, backward=True)

    @graded(1, visibility=HIDDEN, requires=FILE)
    def test_ties(self):
        """MaxPooling.backward: tied maxima share the window's gradient"""
        # Any split among the tied maxima whose shares add up to dout is accepted (the first
        # maximum only, equal shares, ...); nothing may go to the other positions.
        rng = np.random.RandomState(7)
        x = np.round(rng.rand(2, 2, 6, 6) * 3)  # values 0..3 on 2x2 windows: many ties
        dout = rng.randn(2, 2, 3, 3)
        got = probe("maxpool", dict(k=2, s=2, backward=True), x=x, dout=dout)
        what = "MaxPooling(kernel_size=2, stride=2).backward(dout of shape %s) in modules/max_pool.py, " \
               "after forward(x of shape %s) with tied maxima" % (dout.shape, x.shape)
        dx = got.get("dx")
        if dx is None or np.shape(dx) != x.shape:
            raise AssertionError("%s: dx should have the shape of x, %s; got %s"
                                 % (what, x.shape, None if dx is None else np.shape(dx)))
        windows = x.reshape(2, 2, 3, 2, 3, 2).transpose(0, 1, 2, 4, 3, 5).reshape(2, 2, 3, 3, 4)
        grads = np.asarray(dx, dtype=np.float64).reshape(2, 2, 3, 2, 3, 2) \
            .transpose(0, 1, 2, 4, 3, 5).reshape(2, 2, 3, 3, 4)
        is_max = windows == windows.max(-1, keepdims=True)
        assert_close(np.where(is_max, 0.0, grads), np.zeros_like(grads),
                     what + ": dx at positions that are not a maximum of their window (windows as "
                     "(n, c, row, col, position in the 2x2 window))")
        assert_close((grads * is_max).sum(-1), dout, what + ": the sum of dx over the tied maxima of "
                     "each window (it must equal dout)")
