"""SGD with momentum: two steps on a one-layer model, computed by hand."""
import unittest

import numpy as np

from modules import ConvNet
from optimizer import SGD


class TestSGD(unittest.TestCase):
    def test_two_momentum_steps(self):
        model = ConvNet([dict(type="Linear", in_dim=2, out_dim=1)],
                        dict(type="SoftmaxCrossEntropy"))
        layer = model.modules[0]
        layer.weight = np.array([[1.0], [-2.0]])
        layer.bias = np.array([0.5])
        opt = SGD(model, learning_rate=0.1, reg=0.5, momentum=0.9)

        # Step 1: grad_w = dw + reg * w = [1, 2] + 0.5 * [1, -2] = [1.5, 1.0]
        #         v_w = -0.1 * grad_w = [-0.15, -0.1];  v_b = -0.1 * 2 = -0.2
        layer.dw = np.array([[1.0], [2.0]])
        layer.db = np.array([2.0])                        # the bias is not regularised
        opt.update(model)
        np.testing.assert_allclose(layer.weight, [[0.85], [-2.1]])
        np.testing.assert_allclose(layer.bias, [0.3])

        # Step 2: grad_w = [0, 0] + 0.5 * [0.85, -2.1] = [0.425, -1.05]
        #         v_w = 0.9 * [-0.15, -0.1] - 0.1 * grad_w = [-0.1775, 0.015]
        #         v_b = 0.9 * -0.2 - 0.1 * 1 = -0.28
        layer.dw = np.array([[0.0], [0.0]])
        layer.db = np.array([1.0])
        opt.update(model)
        np.testing.assert_allclose(layer.weight, [[0.85 - 0.1775], [-2.1 + 0.015]])
        np.testing.assert_allclose(layer.bias, [0.3 - 0.28])


if __name__ == "__main__":
    unittest.main()
