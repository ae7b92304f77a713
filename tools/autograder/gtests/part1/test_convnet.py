"""ConvNet: a whole network's loss and gradients against the same network in torch."""

import numpy as np
import torch
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close

FILES = ["modules/conv_classifier.py", "modules/convolution.py", "modules/relu.py",
         "modules/max_pool.py", "modules/linear.py", "modules/softmax_ce.py"]


def check_net(n, c, h, conv, pool, classes, seed, backward):
    """conv = (out_channels, kernel, stride, padding), pool = (kernel, stride)."""
    f, k, s, p = conv
    pk, ps = pool
    side = ((h + 2 * p - k) // s + 1 - pk) // ps + 1
    layers = [dict(type="Conv2D", in_channels=c, out_channels=f, kernel_size=k, stride=s, padding=p),
              dict(type="ReLU"),
              dict(type="MaxPooling", kernel_size=pk, stride=ps),
              dict(type="Linear", in_dim=f * side * side, out_dim=classes)]
    what = "ConvNet(Conv2D -> ReLU -> MaxPooling -> Linear) on input %s" % ((n, c, h, h),)
    rng = np.random.RandomState(seed)
    x, y = rng.randn(n, c, h, h), rng.randint(classes, size=n)
    cw, cb = 0.5 * rng.randn(f, c, k, k), rng.randn(f)
    lw, lb = 0.5 * rng.randn(f * side * side, classes), rng.randn(classes)

    ConvNet = student("modules.conv_classifier", "ConvNet")
    model = ConvNet(layers, dict(type="SoftmaxCrossEntropy"))
    assert len(model.modules) == 4, "ConvNet.modules should hold the 4 layers, got %d" % len(model.modules)
    model.modules[0].weight, model.modules[0].bias = cw.copy(), cb.copy()
    model.modules[3].weight, model.modules[3].bias = lw.copy(), lb.copy()
    probs, loss = model.forward(x.copy(), y.copy())

    t = {name: torch.tensor(a, requires_grad=True)
         for name, a in dict(x=x, cw=cw, cb=cb, lw=lw, lb=lb).items()}
    hidden = F.max_pool2d(F.relu(F.conv2d(t["x"], t["cw"], t["cb"], stride=s, padding=p)), pk, ps)
    scores = hidden.reshape(n, -1) @ t["lw"] + t["lb"]
    ref = F.cross_entropy(scores, torch.tensor(y))
    assert_close(probs, torch.softmax(scores, 1), what + ": probs")
    assert_close(float(loss), ref, what + ": loss")
    if backward:
        ref.backward()
        model.backward()
        assert_close(model.modules[3].dw, t["lw"].grad, what + ": Linear dw")
        assert_close(model.modules[3].db, t["lb"].grad, what + ": Linear db")
        assert_close(model.modules[0].dw, t["cw"].grad, what + ": Conv2D dw")
        assert_close(model.modules[0].db, t["cb"].grad, what + ": Conv2D db")
        assert_close(model.modules[0].dx, t["x"].grad, what + ": Conv2D dx")


class TestConvNet(GradedCase):
    @graded(3, requires=FILES)
    def test_forward(self):
        """ConvNet forward: probabilities and loss"""
        check_net(3, 3, 8, (4, 3, 1, 1), (2, 2), 5, seed=0, backward=False)

    @graded(4, requires=FILES)
    def test_backward(self):
        """ConvNet backward: every layer's gradients"""
        check_net(3, 3, 8, (4, 3, 1, 1), (2, 2), 5, seed=1, backward=True)

    @graded(3, visibility=HIDDEN, requires=FILES)
    def test_other_network(self):
        """ConvNet backward: strided convolution, overlapping pooling"""
        check_net(2, 2, 11, (3, 3, 2, 1), (3, 1), 4, seed=2, backward=True)
