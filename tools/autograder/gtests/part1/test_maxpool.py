"""MaxPooling: forward and backward against torch's max_pool2d (float64)."""

import numpy as np
import torch
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close

FILE = ["modules/max_pool.py"]


def check_pool(shape, k, s, seed, backward):
    what = "MaxPooling(kernel_size=%d, stride=%d) on input %s" % (k, s, shape)
    rng = np.random.RandomState(seed)
    x = rng.permutation(np.prod(shape)).reshape(shape) / 7.0  # distinct values: no ties
    MaxPooling = student("modules.max_pool", "MaxPooling")
    layer = MaxPooling(kernel_size=k, stride=s)
    out = layer.forward(x.copy())
    xt = torch.tensor(x, requires_grad=True)
    ref = F.max_pool2d(xt, k, s)
    assert_close(out, ref, what + ": forward output")
    if backward:
        dout = rng.randn(*ref.shape)
        ref.backward(torch.tensor(dout))
        layer.backward(dout.copy())
        assert_close(layer.dx, xt.grad, what + ": dx")


class TestMaxPooling(GradedCase):
    @graded(3, requires=FILE)
    def test_forward(self):
        """MaxPooling forward: 2x2 windows, stride 2"""
        check_pool((2, 3, 8, 8), 2, 2, seed=0, backward=False)

    @graded(3, requires=FILE)
    def test_backward(self):
        """MaxPooling backward: 2x2 windows, stride 2"""
        check_pool((2, 3, 8, 8), 2, 2, seed=1, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_overlapping(self):
        """MaxPooling backward: overlapping 3x3 windows, stride 2, non-square input"""
        check_pool((2, 2, 9, 7), 3, 2, seed=2, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_uncovered(self):
        """MaxPooling backward: stride 3 with leftover rows and columns"""
        check_pool((1, 3, 11, 10), 2, 3, seed=3, backward=True)

    @graded(1, visibility=HIDDEN, requires=FILE)
    def test_ties(self):
        """MaxPooling backward: on ties the gradient goes to the first maximum"""
        MaxPooling = student("modules.max_pool", "MaxPooling")
        layer = MaxPooling(kernel_size=2, stride=2)
        x = np.array([[[[1.0, 3.0], [3.0, 3.0]]]])
        layer.forward(x)
        layer.backward(np.array([[[[5.0]]]]))
        assert_close(layer.dx, np.array([[[[0.0, 5.0], [0.0, 0.0]]]]),
                     "MaxPooling dx for the window [[1, 3], [3, 3]] (row-major first maximum)")
