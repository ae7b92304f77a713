"""SGD with momentum, against the update rule written out.

The course gives optimizer/_base_optimizer.py complete (apply_regularization adds
reg * weight to dw): the runner uses the given file, whatever the submission holds.
"""

import numpy as np

from grader.framework import GradedCase, HIDDEN, graded, probe
from gtests.checks import assert_close

FILE = ["optimizer/sgd.py"]
SHAPES = [(4, 3), (3, 2)]


def check_sgd(steps, lr, reg, momentum, seed, defaults=False):
    call = "SGD(model)" if defaults else "SGD(model, learning_rate=%g, reg=%g, momentum=%g)" % (
        lr, reg, momentum)
    rng = np.random.RandomState(seed)
    a = {}
    params = []
    for i, shape in enumerate(SHAPES):
        a["w%d" % i], a["b%d" % i] = rng.randn(*shape), rng.randn(shape[-1])
        params.append((a["w%d" % i].copy(), a["b%d" % i].copy()))
    velocity = [(np.zeros(s), np.zeros(s[-1])) for s in SHAPES]
    expected = {}
    for step in range(steps):
        for i, shape in enumerate(SHAPES):
            dw, db = rng.randn(*shape), rng.randn(shape[-1])
            a["dw%d_%d" % (step, i)], a["db%d_%d" % (step, i)] = dw, db
            w, b = params[i]
            vw = momentum * velocity[i][0] - lr * (dw + reg * w)  # the given L2 term, then momentum
            vb = momentum * velocity[i][1] - lr * db              # biases are not regularised
            velocity[i], params[i] = (vw, vb), (w + vw, b + vb)
            expected["w%d_%d" % (step, i)], expected["b%d_%d" % (step, i)] = params[i]
    got = probe("sgd", dict(steps=steps, lr=lr, reg=reg, momentum=momentum, defaults=defaults), **a)
    for step in range(steps):
        for i in range(len(SHAPES)):
            what = "%s then SGD.update(model) in optimizer/sgd.py, update %d of %d, layer %d (of " \
                   "shape %s)" % (call, step + 1, steps, i, SHAPES[i])
            assert_close(got.get("w%d_%d" % (step, i)), expected["w%d_%d" % (step, i)],
                         what + ": weight", rtol=1e-9, atol=1e-12)
            assert_close(got.get("b%d_%d" % (step, i)), expected["b%d_%d" % (step, i)],
                         what + ": bias", rtol=1e-9, atol=1e-12)


class TestSGD(GradedCase):
    @graded(3, requires=FILE)
    def test_one_step(self):
        """SGD.update: one momentum update"""
        check_sgd(1, lr=0.1, reg=0.01, momentum=0.9, seed=1)

    @graded(3, visibility=HIDDEN, requires=FILE)
    def test_three_steps(self):
        """SGD.update: three updates (one velocity per layer and parameter)"""
        check_sgd(3, lr=0.05, reg=0.1, momentum=0.8, seed=2)

    @graded(1, visibility=HIDDEN, requires=FILE)
    def test_defaults(self):
        """SGD.update: the defaults learning_rate=1e-4, reg=1e-3, momentum=0.9"""
        check_sgd(2, lr=1e-4, reg=1e-3, momentum=0.9, seed=3, defaults=True)
