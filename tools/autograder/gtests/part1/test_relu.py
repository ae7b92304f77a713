"""ReLU: forward and backward against closed forms."""

import numpy as np

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close

FILE = ["modules/relu.py"]


def check_relu(shape, seed, backward):
    what = "ReLU on input of shape %s" % (shape,)
    rng = np.random.RandomState(seed)
    x = rng.randn(*shape)
    ReLU = student("modules.relu", "ReLU")
    layer = ReLU()
    out = layer.forward(x.copy())
    assert_close(out, np.maximum(x, 0), what + ": forward output")
    if backward:
        dout = rng.randn(*shape)
        layer.backward(dout.copy())
        assert_close(layer.dx, dout * (x > 0), what + ": dx")


class TestReLU(GradedCase):
    @graded(2, requires=FILE)
    def test_forward(self):
        """ReLU forward"""
        check_relu((3, 4, 5, 5), seed=0, backward=False)

    @graded(2, requires=FILE)
    def test_backward(self):
        """ReLU backward"""
        check_relu((3, 4, 5, 5), seed=1, backward=True)

    @graded(1, visibility=HIDDEN, requires=FILE)
    def test_any_shape(self):
        """ReLU forward and backward on 2-D input"""
        check_relu((7, 13), seed=2, backward=True)
