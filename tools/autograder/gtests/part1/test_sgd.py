"""SGD with momentum and L2 regularisation, against the update rule written out."""
import types

import numpy as np

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close

FILES = ["optimizer/sgd.py", "optimizer/_base_optimizer.py"]


class Layer:
    """A stand-in for a layer with parameters: just weight, bias and their gradients."""

    def __init__(self, rng, shape):
        self.weight, self.bias = rng.randn(*shape), rng.randn(shape[-1])
        self.dw = self.db = None


class NoParams:
    """A stand-in for ReLU or max pooling: no parameters."""


def make_model(rng):
    return types.SimpleNamespace(modules=[Layer(rng, (4, 3)), NoParams(), Layer(rng, (3, 2))])


def check_sgd(steps, lr, reg, momentum, seed, defaults=False):
    what = "SGD(learning_rate=%g, reg=%g, momentum=%g) after %d update(s)" % (lr, reg, momentum, steps)
    rng = np.random.RandomState(seed)
    model = make_model(rng)
    SGD = student("optimizer.sgd", "SGD")
    opt = SGD(model) if defaults else SGD(model, learning_rate=lr, reg=reg, momentum=momentum)
    # The same model, updated by the rule written out: v = mu v - lr (dw + reg w); w += v.
    params = [(m.weight.copy(), m.bias.copy()) for m in model.modules if hasattr(m, "weight")]
    velocity = [(np.zeros_like(w), np.zeros_like(b)) for w, b in params]
    for _ in range(steps):
        grads = []
        for m in model.modules:
            if hasattr(m, "weight"):
                m.dw, m.db = rng.randn(*m.weight.shape), rng.randn(*m.bias.shape)
                grads.append((m.dw.copy(), m.db.copy()))
        opt.update(model)
        for i, ((w, b), (vw, vb), (dw, db)) in enumerate(zip(params, velocity, grads)):
            vw = momentum * vw - lr * (dw + reg * w)
            vb = momentum * vb - lr * db          # biases are not regularised
            velocity[i], params[i] = (vw, vb), (w + vw, b + vb)
    layers = [m for m in model.modules if hasattr(m, "weight")]
    for i, (m, (w, b)) in enumerate(zip(layers, params)):
        assert_close(m.weight, w, "%s: weight of layer %d" % (what, i), rtol=1e-9, atol=1e-12)
        assert_close(m.bias, b, "%s: bias of layer %d" % (what, i), rtol=1e-9, atol=1e-12)


class TestSGD(GradedCase):
    @graded(1, requires=FILES)
    def test_regularization(self):
        """_BaseOptimizer.apply_regularization adds reg * weight to dw only"""
        SGD = student("optimizer.sgd", "SGD")
        rng = np.random.RandomState(0)
        model = make_model(rng)
        opt = SGD(model, learning_rate=0.1, reg=0.5, momentum=0.9)
        layer = model.modules[0]
        layer.dw, layer.db = rng.randn(4, 3), rng.randn(3)
        model.modules[2].dw, model.modules[2].db = rng.randn(3, 2), rng.randn(2)
        dw, db = layer.dw.copy(), layer.db.copy()
        opt.apply_regularization(model)
        assert_close(layer.dw, dw + 0.5 * layer.weight, "dw after apply_regularization(reg=0.5)")
        assert_close(layer.db, db, "db after apply_regularization (biases are not regularised)")

    @graded(3, requires=FILES)
    def test_one_step(self):
        """SGD with momentum: one update"""
        check_sgd(1, lr=0.1, reg=0.01, momentum=0.9, seed=1)

    @graded(3, visibility=HIDDEN, requires=FILES)
    def test_three_steps(self):
        """SGD with momentum: three updates (velocity per layer and parameter)"""
        check_sgd(3, lr=0.05, reg=0.1, momentum=0.8, seed=2)

    @graded(1, visibility=HIDDEN, requires=FILES)
    def test_defaults(self):
        """SGD defaults: learning_rate=1e-4, reg=1e-3, momentum=0.9"""
        check_sgd(2, lr=1e-4, reg=1e-3, momentum=0.9, seed=3, defaults=True)
