"""ConvNet: numeric gradient check of the whole network, construction, layer order."""
import unittest

import numpy as np

from modules import Conv2D, ConvNet, Linear, MaxPooling, ReLU, SoftmaxCrossEntropy
from tests.utils import rel_error


def small_net(rng):
    model = ConvNet([dict(type="Conv2D", in_channels=2, out_channels=3, kernel_size=3,
                          stride=1, padding=1),
                     dict(type="ReLU"),
                     dict(type="MaxPooling", kernel_size=2, stride=2),
                     dict(type="Conv2D", in_channels=3, out_channels=2, kernel_size=2,
                          stride=1, padding=0),
                     dict(type="ReLU"),
                     dict(type="Linear", in_dim=2 * 2 * 2, out_dim=4)],
                    dict(type="SoftmaxCrossEntropy"))
    for m in model.modules:
        if hasattr(m, "weight"):
            m.weight = 0.5 * rng.standard_normal(m.weight.shape)
            m.bias = 0.1 * rng.standard_normal(m.bias.shape)
    return model


class TestConvNet(unittest.TestCase):
    def test_builds_layers_in_order(self):
        model = ConvNet([dict(type="Conv2D", in_channels=3, out_channels=32, kernel_size=5,
                              stride=1, padding=2),
                         dict(type="ReLU"),
                         dict(type="MaxPooling", kernel_size=2, stride=2),
                         dict(type="Linear", in_dim=8192, out_dim=10)],
                        dict(type="SoftmaxCrossEntropy"))
        self.assertEqual([type(m) for m in model.modules], [Conv2D, ReLU, MaxPooling, Linear])
        self.assertIsInstance(model.criterion, SoftmaxCrossEntropy)
        conv = model.modules[0]
        self.assertEqual((conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride,
                          conv.padding), (3, 32, 5, 1, 2))
        self.assertEqual(model.modules[3].weight.shape, (8192, 10))

    def test_numeric_gradient_of_every_parameter(self):
        rng = np.random.default_rng(0)
        model = small_net(rng)
        x, y = rng.standard_normal((3, 2, 6, 6)), rng.integers(0, 4, 3)
        model.forward(x, y)
        model.backward()
        h = 1e-6

        def loss():
            return model.forward(x, y)[1]

        for idx, m in enumerate(model.modules):
            if not hasattr(m, "weight"):
                continue
            for name, grad in [("weight", m.dw), ("bias", m.db)]:
                param = getattr(m, name)
                num = np.zeros_like(param)
                for i in np.ndindex(param.shape):
                    old = param[i]
                    param[i] = old + h
                    plus = loss()
                    param[i] = old - h
                    minus = loss()
                    param[i] = old
                    num[i] = (plus - minus) / (2 * h)
                with self.subTest(layer=idx, param=name):
                    self.assertLess(rel_error(grad, num), 1e-5)

    def test_numeric_gradient_of_input(self):
        rng = np.random.default_rng(1)
        model = small_net(rng)
        x, y = rng.standard_normal((2, 2, 6, 6)), rng.integers(0, 4, 2)
        model.forward(x, y)
        model.backward()
        dx = model.modules[0].dx
        num = np.zeros_like(x)
        for i in np.ndindex(x.shape):
            old = x[i]
            x[i] = old + 1e-6
            plus = model.forward(x, y)[1]
            x[i] = old - 1e-6
            minus = model.forward(x, y)[1]
            x[i] = old
            num[i] = (plus - minus) / 2e-6
        self.assertLess(rel_error(dx, num), 1e-5)


if __name__ == "__main__":
    unittest.main()
