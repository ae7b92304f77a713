"""SoftmaxCrossEntropy: probabilities, mean loss and dx against torch (float64)."""

import numpy as np
import torch
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close

FILE = ["modules/softmax_ce.py"]


def check_softmax(n, k, scale, seed):
    what = "SoftmaxCrossEntropy on scores of shape %s (scale %g)" % ((n, k), scale)
    rng = np.random.RandomState(seed)
    x, y = scale * rng.randn(n, k), rng.randint(k, size=n)
    SoftmaxCrossEntropy = student("modules.softmax_ce", "SoftmaxCrossEntropy")
    layer = SoftmaxCrossEntropy()
    result = layer.forward(x.copy(), y.copy())
    assert isinstance(result, tuple) and len(result) == 2, \
        "SoftmaxCrossEntropy.forward must return (probs, loss)"
    probs, loss = result
    xt = torch.tensor(x, requires_grad=True)
    ref = F.cross_entropy(xt, torch.tensor(y))
    ref.backward()
    assert_close(probs, torch.softmax(xt, 1), what + ": probs")
    assert_close(float(loss), ref, what + ": loss (mean over the batch)")
    layer.backward()
    assert_close(layer.dx, xt.grad, what + ": dx")


class TestSoftmaxCrossEntropy(GradedCase):
    @graded(3, requires=FILE)
    def test_forward_backward(self):
        """SoftmaxCrossEntropy forward and backward"""
        check_softmax(6, 10, 1.0, seed=0)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_large_scores(self):
        """SoftmaxCrossEntropy is numerically stable for scores around 1000"""
        check_softmax(5, 4, 1000.0, seed=1)
