"""Linear: forward and backward against torch (float64); weight of shape (in_dim, out_dim)."""

import numpy as np
import torch

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close

FILE = ["modules/linear.py"]


def check_linear(shape, out_dim, seed, backward):
    in_dim = int(np.prod(shape[1:]))
    what = "Linear(in_dim=%d, out_dim=%d) on input of shape %s" % (in_dim, out_dim, shape)
    rng = np.random.RandomState(seed)
    x, w, b = rng.randn(*shape), rng.randn(in_dim, out_dim), rng.randn(out_dim)
    Linear = student("modules.linear", "Linear")
    layer = Linear(in_dim, out_dim)
    layer.weight, layer.bias = w.copy(), b.copy()
    out = layer.forward(x.copy())
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    ref = xt.reshape(shape[0], -1) @ wt + bt
    assert_close(out, ref, what + ": forward output")
    if backward:
        dout = rng.randn(*ref.shape)
        ref.backward(torch.tensor(dout))
        layer.backward(dout.copy())
        assert_close(layer.dx, xt.grad, what + ": dx (in the shape of the input)")
        assert_close(layer.dw, wt.grad, what + ": dw")
        assert_close(layer.db, bt.grad, what + ": db")


class TestLinear(GradedCase):
    @graded(1, requires=FILE)
    def test_init(self):
        """Linear: seeded weight of shape (in_dim, out_dim) and zero bias"""
        Linear = student("modules.linear", "Linear")
        layer = Linear(6, 4)
        np.random.seed(1024)
        assert_close(layer.weight, 1e-3 * np.random.randn(6, 4), "Linear.weight after __init__")
        assert_close(layer.bias, np.zeros(4), "Linear.bias after __init__")

    @graded(3, requires=FILE)
    def test_forward(self):
        """Linear forward on 2-D input"""
        check_linear((4, 6), 5, seed=0, backward=False)

    @graded(3, requires=FILE)
    def test_backward(self):
        """Linear backward on 2-D input"""
        check_linear((4, 6), 5, seed=1, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_forward_flatten(self):
        """Linear forward flattens a 4-D input"""
        check_linear((3, 2, 4, 4), 7, seed=2, backward=False)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_backward_flatten(self):
        """Linear backward: dx in the original 4-D shape"""
        check_linear((3, 2, 4, 4), 7, seed=3, backward=True)
