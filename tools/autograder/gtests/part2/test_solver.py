"""Solver._compute_loss_update_params: SGD steps in training mode, no update in eval mode.

The method runs on a bare Solver (no __init__: that given code loads CIFAR-10 and prints)
holding a small network, nn.CrossEntropyLoss and torch.optim.SGD set up by the probe,
so the test depends on solver.py's method alone. The expected parameters come from the
same steps taken here in float64 with torch.optim.SGD.
"""
import numpy as np
import torch
import torch.nn as nn

from grader.framework import GradedCase, HIDDEN, graded, probe
from gtests.checks import assert_close

FILES = ["solver.py"]
LR, MOMENTUM, REG = 0.05, 0.9, 5e-4
CALL = "Solver._compute_loss_update_params(data of shape (16, 3, 8, 8), target of shape (16,)) " \
       "in solver.py"


def inputs(steps, seed=0):
    rng = np.random.RandomState(seed)
    a = dict(w1=0.1 * rng.randn(12, 192), b1=0.1 * rng.randn(12), w2=0.1 * rng.randn(10, 12),
             b2=0.1 * rng.randn(10))
    a = {k: v.astype(np.float32) for k, v in a.items()}
    for s in range(steps):
        a["x%d" % s] = rng.randn(16, 3, 8, 8).astype(np.float32)
        a["y%d" % s] = rng.randint(10, size=16)
    return a


def reference(a, steps, train):
    """Outputs, losses and parameters after each step, in float64."""
    net = nn.Sequential(nn.Flatten(), nn.Linear(192, 12), nn.ReLU(), nn.Linear(12, 10)).double()
    with torch.no_grad():
        for layer, w, b in ((net[1], "w1", "b1"), (net[3], "w2", "b2")):
            layer.weight.copy_(torch.tensor(a[w], dtype=torch.float64))
            layer.bias.copy_(torch.tensor(a[b], dtype=torch.float64))
    opt = torch.optim.SGD(net.parameters(), LR, momentum=MOMENTUM, weight_decay=REG)
    out = []
    for s in range(steps):
        x, y = torch.tensor(a["x%d" % s], dtype=torch.float64), torch.tensor(a["y%d" % s])
        scores = net(x)
        loss = nn.functional.cross_entropy(scores, y)
        if train:
            opt.zero_grad()
            loss.backward()
            opt.step()
        out.append((scores.detach(), loss.detach(),
                    {n: p.detach().clone() for n, p in net.named_parameters()}))
    return out


def check(steps, train):
    a = inputs(steps, seed=1 if train else 2)
    mode = "training" if train else "eval"
    got = probe("solver_step", dict(lr=LR, momentum=MOMENTUM, reg=REG, steps=steps,
                                    mode="train" if train else "eval"), lenient=True,
                packages=["models", "losses"], **a)
    for s, (scores, loss, params) in enumerate(reference(a, steps, train)):
        what = "%s, call %d of %d in %s mode" % (CALL, s + 1, steps, mode)
        assert_close(got["out%d" % s], scores, what + ": the output returned", rtol=1e-4, atol=1e-5)
        assert_close(got["loss%d" % s], loss.reshape(1), what + ": the loss returned", rtol=1e-4,
                     atol=1e-5)
        if not train and got.get("out_requires_grad%d" % s):
            raise AssertionError("%s: the output requires grad; in eval mode run the forward pass "
                                 "under torch.no_grad()" % what)
        for name, p in params.items():
            assert_close(got["p%d:%s" % (s, name)], p, "%s: parameter %s afterwards (%s)" % (
                what, name, "one optimizer step after zeroing the gradients and back-propagating "
                "the loss" if train else "it must not change in eval mode"), rtol=1e-4, atol=1e-6)


class TestSolver(GradedCase):
    @graded(3, timeout=120, requires=FILES)
    def test_training_step(self):
        """Solver._compute_loss_update_params: training mode, two SGD steps"""
        check(2, train=True)

    @graded(2, visibility=HIDDEN, timeout=120, requires=FILES)
    def test_eval_step(self):
        """Solver._compute_loss_update_params: eval mode, no update and no gradient"""
        check(2, train=False)
