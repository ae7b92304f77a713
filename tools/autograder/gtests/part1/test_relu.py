"""ReLU: forward and backward against closed forms."""

import numpy as np

from grader.framework import GradedCase, HIDDEN, graded, probe
from gtests.checks import assert_close

FILE = ["modules/relu.py"]


def check_relu(shape, seed, backward):
    rng = np.random.RandomState(seed)
    x, dout = rng.randn(*shape), rng.randn(*shape)
    got = probe("relu", dict(backward=backward), x=x, dout=dout)
    assert_close(got["out"], np.maximum(x, 0), "ReLU.forward(x of shape %s) in modules/relu.py: "
                 "output" % (shape,))
    if backward:
        assert_close(got.get("dx"), dout * (x > 0), "ReLU.backward(dout of shape %s) in "
                     "modules/relu.py, after forward(x of shape %s): dx" % (shape, shape))


class TestReLU(GradedCase):
    @graded(2, requires=FILE)
    def test_forward(self):
        """ReLU.forward"""
        check_relu((3, 4, 5, 5), seed=0, backward=False)

    @graded(2, requires=FILE)
    def test_backward(self):
        """ReLU.backward"""
        check_relu((3, 4, 5, 5), seed=1, backward=True)

    @graded(1, visibility=HIDDEN, requires=FILE)
    def test_any_shape(self):
        """ReLU.backward: 2-D input"""
        check_relu((7, 13), seed=2, backward=True)
