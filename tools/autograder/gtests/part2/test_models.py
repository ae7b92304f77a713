"""The models' shapes, sizes and computations, against the layers they are specified to have."""

import torch
import torch.nn as nn
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close


def layers_of(model, kind):
    return [m for m in model.modules() if isinstance(m, kind)]


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def images(n=4, seed=0):
    return torch.randn(n, 3, 32, 32, generator=torch.Generator().manual_seed(seed))


def built(model, name, path):
    """Fail clearly when the model has no layers at all (its __init__ is still a stub)."""
    if n_params(model) == 0:
        raise AssertionError("%s has no parameters: define its layers in __init__ (%s)" % (name, path))
    return model


def check_scores(model, name):
    model.eval()
    with torch.no_grad():
        out = model(images())
    if tuple(out.shape) != (4, 10):
        raise AssertionError("%s on a batch of shape (4, 3, 32, 32) returned shape %s; "
                             "expected (4, 10)" % (name, tuple(out.shape)))


class TestTwoLayerNet(GradedCase):
    @graded(1, requires=["models/twolayer.py"])
    def test_shape(self):
        """TwoLayerNet(3072, 256, 10): output shape and parameter count"""
        model = built(student("models.twolayer", "TwoLayerNet")(3072, 256, 10),
                      "TwoLayerNet", "models/twolayer.py")
        check_scores(model, "TwoLayerNet(3072, 256, 10)")
        expected = 3072 * 256 + 256 + 256 * 10 + 10
        self.assertEqual(n_params(model), expected, "TwoLayerNet(3072, 256, 10) has %d parameters; "
                         "two linear layers with biases have %d" % (n_params(model), expected))

    @graded(2, visibility=HIDDEN, requires=["models/twolayer.py"])
    def test_computation(self):
        """TwoLayerNet computes Linear -> Sigmoid -> Linear"""
        model = built(student("models.twolayer", "TwoLayerNet")(48, 7, 5),
                      "TwoLayerNet", "models/twolayer.py").double()
        fc = layers_of(model, nn.Linear)
        self.assertEqual(len(fc), 2, "TwoLayerNet should have 2 nn.Linear layers, found %d" % len(fc))
        fc1, fc2 = sorted(fc, key=lambda m: -m.in_features)  # 48 -> 7 first, 7 -> 5 second
        x = torch.randn(3, 3, 4, 4, dtype=torch.float64)
        ref = torch.sigmoid(x.reshape(3, -1) @ fc1.weight.T + fc1.bias) @ fc2.weight.T + fc2.bias
        with torch.no_grad():
            assert_close(model(x), ref, "TwoLayerNet(48, 7, 5) on input (3, 3, 4, 4)")


class TestVanillaCNN(GradedCase):
    @graded(1, requires=["models/cnn.py"])
    def test_shape(self):
        """VanillaCNN: output shape and parameter count"""
        model = built(student("models.cnn", "VanillaCNN")(), "VanillaCNN", "models/cnn.py")
        check_scores(model, "VanillaCNN()")
        expected = 32 * 3 * 7 * 7 + 32 + 32 * 13 * 13 * 10 + 10
        self.assertEqual(n_params(model), expected, "VanillaCNN has %d parameters; Conv2d(3, 32, 7) "
                         "and Linear(5408, 10) have %d" % (n_params(model), expected))

    @graded(2, visibility=HIDDEN, requires=["models/cnn.py"])
    def test_computation(self):
        """VanillaCNN computes Conv(7x7, stride 1, no padding) -> ReLU -> MaxPool(2, 2) -> Linear"""
        model = built(student("models.cnn", "VanillaCNN")(), "VanillaCNN",
                      "models/cnn.py").double().eval()
        conv, fc = layers_of(model, nn.Conv2d), layers_of(model, nn.Linear)
        self.assertTrue(len(conv) == 1 and len(fc) == 1,
                        "VanillaCNN should have one nn.Conv2d and one nn.Linear")
        x = images(2, seed=1).double()
        hidden = F.max_pool2d(F.relu(F.conv2d(x, conv[0].weight, conv[0].bias)), 2, 2)
        ref = hidden.reshape(2, -1) @ fc[0].weight.T + fc[0].bias
        with torch.no_grad():
            assert_close(model(x), ref, "VanillaCNN on input (2, 3, 32, 32)")


class TestMyModel(GradedCase):
    @graded(1, requires=["models/my_model.py"])
    def test_shape(self):
        """MyModel(): builds without arguments, output shape (N, 10)"""
        model = built(student("models.my_model", "MyModel")(), "MyModel", "models/my_model.py")
        check_scores(model, "MyModel()")
