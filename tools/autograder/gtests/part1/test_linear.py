"""Linear: forward and backward against torch (float64); weight of shape (in_dim, out_dim)."""

import numpy as np
import torch

from grader.framework import GradedCase, HIDDEN, graded, probe
from gtests.checks import assert_close, assert_unchanged

FILE = ["modules/linear.py"]


def check_linear(shape, out_dim, seed, backward):
    in_dim = int(np.prod(shape[1:]))
    layer = "Linear(%d, %d)" % (in_dim, out_dim)
    rng = np.random.RandomState(seed)
    x, w, b = rng.randn(*shape), rng.randn(in_dim, out_dim), rng.randn(out_dim)
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    ref = xt.reshape(shape[0], -1) @ wt + bt
    dout = rng.randn(*ref.shape)
    got = probe("linear", dict(i=in_dim, o=out_dim, backward=backward), x=x, weight=w, bias=b,
                dout=dout)
    assert_close(got["out"], ref, "%s.forward(x of shape %s) in modules/linear.py: output"
                 % (layer, shape))
    if backward:
        bwd = "%s.backward(dout of shape %s) in modules/linear.py, after forward(x of shape %s)" \
            % (layer, dout.shape, shape)
        assert_unchanged(got, "weight_after", w, bwd)
        assert_unchanged(got, "bias_after", b, bwd)
        ref.backward(torch.tensor(dout))
        assert_close(got.get("dx"), xt.grad, bwd + ": dx (in the shape of the input)")
        assert_close(got.get("dw"), wt.grad, bwd + ": dw")
        assert_close(got.get("db"), bt.grad, bwd + ": db")


class TestLinear(GradedCase):
    @graded(3, requires=FILE)
    def test_forward(self):
        """Linear.forward: 2-D input"""
        check_linear((4, 6), 5, seed=0, backward=False)

    @graded(3, requires=FILE)
    def test_backward(self):
        """Linear.backward: 2-D input"""
        check_linear((4, 6), 5, seed=1, backward=True)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_forward_flatten(self):
        """Linear.forward: flattens a 4-D input"""
        check_linear((3, 2, 4, 4), 7, seed=2, backward=False)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_backward_flatten(self):
        """Linear.backward: dx in the original 4-D shape"""
        check_linear((3, 2, 4, 4), 7, seed=3, backward=True)
