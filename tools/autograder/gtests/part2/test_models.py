"""The models' shapes, sizes and computations, against the layers the handout specifies.

The reference is never built from the student's layers: the grader reads the
parameters' shapes (after one forward pass, so lazy layers such as nn.LazyLinear exist),
checks them against the specified architecture, sets every parameter to values of its
own and computes the expected output from those values alone.
"""
import json

import numpy as np
import torch
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, probe
from gtests.checks import assert_close


def images(n=4, seed=0, side=32):
    return np.random.RandomState(seed).randn(n, 3, side, side).astype(np.float32)


def inspect(module, cls, ctor, x):
    """(parameter names, shapes, output shape) of the student's model after model(x)."""
    args = dict(module=module, cls=cls, ctor=ctor)
    got = probe("model_params", args, x=x)
    names = [n for n in got["names"].split("\n") if n]
    shapes = [tuple(s) for s in json.loads(got["shapes"])]
    return names, shapes, tuple(int(d) for d in got["out_shape"])


def assign(names, shapes, spec, what):
    """Match the model's parameters to the specified ones by shape; {role: name}."""
    if sorted(shapes) != sorted(spec.values()):
        raise AssertionError("%s has parameters of shapes %s; the specified layers have exactly %s"
                             % (what, sorted(shapes), sorted(spec.values())))
    by_shape = {s: n for n, s in zip(names, shapes)}
    return {role: by_shape[shape] for role, shape in spec.items()}


def forward_with(module, cls, ctor, roles, values, x):
    arrays = {"p:" + roles[r]: v for r, v in values.items()}
    got = probe("model_forward", dict(module=module, cls=cls, ctor=ctor,
                                      names=[roles[r] for r in values]), x=x, **arrays)
    return got["out"]


def n_params(shapes):
    return int(sum(np.prod(s) for s in shapes))


def check_output_shape(out_shape, what, n):
    if out_shape != (n, 10):
        raise AssertionError("%s on a batch of shape (%d, 3, 32, 32) returned scores of shape %s; "
                             "expected (%d, 10)" % (what, n, out_shape, n))


TWOLAYER = ("models.twolayer", "TwoLayerNet")
VANILLA = ("models.cnn", "VanillaCNN")
VANILLA_SPEC = dict(conv_w=(32, 3, 7, 7), conv_b=(32,), fc_w=(10, 5408), fc_b=(10,))


class TestTwoLayerNet(GradedCase):
    @graded(1, requires=["models/twolayer.py"])
    def test_shape(self):
        """TwoLayerNet: TwoLayerNet(3072, 256, 10)'s output shape and parameter count"""
        what = "TwoLayerNet(3072, 256, 10) in models/twolayer.py"
        names, shapes, out_shape = inspect(*TWOLAYER, [3072, 256, 10], images())
        check_output_shape(out_shape, what, 4)
        expected = 3072 * 256 + 256 + 256 * 10 + 10
        self.assertEqual(n_params(shapes), expected, "%s has %d parameters; two linear layers "
                         "3072 -> 256 -> 10 with biases have %d" % (what, n_params(shapes), expected))

    @graded(2, visibility=HIDDEN, requires=["models/twolayer.py"])
    def test_computation(self):
        """TwoLayerNet: computes Linear -> Sigmoid -> Linear"""
        what = "TwoLayerNet(48, 7, 5) in models/twolayer.py"
        x = np.random.RandomState(3).randn(3, 3, 4, 4)
        names, shapes, _ = inspect(*TWOLAYER, [48, 7, 5], x.astype(np.float32))
        spec = dict(w1=(7, 48), b1=(7,), w2=(5, 7), b2=(5,))
        roles = assign(names, shapes, spec, what)
        rng = np.random.RandomState(4)
        values = {r: rng.randn(*s) for r, s in spec.items()}
        out = forward_with(*TWOLAYER, [48, 7, 5], roles, values, x)
        hidden = 1 / (1 + np.exp(-(x.reshape(3, -1) @ values["w1"].T + values["b1"])))
        ref = hidden @ values["w2"].T + values["b2"]
        assert_close(out, ref, what + ", forward(x of shape (3, 3, 4, 4)) in eval mode with "
                     "parameters set by the grader", rtol=1e-6, atol=1e-8)


class TestVanillaCNN(GradedCase):
    @graded(1, requires=["models/cnn.py"])
    def test_shape(self):
        """VanillaCNN: output shape and parameter count"""
        what = "VanillaCNN() in models/cnn.py"
        names, shapes, out_shape = inspect(*VANILLA, [], images())
        check_output_shape(out_shape, what, 4)
        expected = n_params(VANILLA_SPEC.values())
        self.assertEqual(n_params(shapes), expected, "%s has %d parameters; Conv2d(3, 32, 7) and "
                         "Linear(5408, 10) have %d" % (what, n_params(shapes), expected))

    @graded(2, visibility=HIDDEN, requires=["models/cnn.py"])
    def test_computation(self):
        """VanillaCNN: computes Conv(7x7, stride 1, no padding) -> ReLU -> MaxPool(2, 2) -> Linear"""
        what = "VanillaCNN() in models/cnn.py"
        x = images(2, seed=1).astype(np.float64)
        names, shapes, _ = inspect(*VANILLA, [], x.astype(np.float32))
        roles = assign(names, shapes, VANILLA_SPEC, what)
        rng = np.random.RandomState(5)
        values = {r: 0.1 * rng.randn(*s) for r, s in VANILLA_SPEC.items()}
        out = forward_with(*VANILLA, [], roles, values, x)
        t = {k: torch.tensor(v) for k, v in values.items()}
        hidden = F.max_pool2d(F.relu(F.conv2d(torch.tensor(x), t["conv_w"], t["conv_b"])), 2, 2)
        ref = hidden.reshape(2, -1) @ t["fc_w"].T + t["fc_b"]
        assert_close(out, ref, what + ", forward(x of shape (2, 3, 32, 32)) in eval mode with "
                     "parameters set by the grader", rtol=1e-6, atol=1e-8)


class TestMyModel(GradedCase):
    @graded(1, requires=["models/my_model.py"])
    def test_shape(self):
        """MyModel: builds without arguments, output shape (N, 10)"""
        names, shapes, out_shape = inspect("models.my_model", "MyModel", [], images())
        if not shapes:
            raise AssertionError("MyModel() in models/my_model.py has no parameters: define its "
                                 "layers in __init__")
        check_output_shape(out_shape, "MyModel() in models/my_model.py", 4)
