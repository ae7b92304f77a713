"""SGD with momentum over three steps on a two-layer model, against a hand computation."""
import unittest

import numpy as np

from modules import ConvNet
from optimizer import SGD
from optimizer._base_optimizer import _BaseOptimizer


def two_layer_model():
    return ConvNet([dict(type="Conv2D", in_channels=1, out_channels=1, kernel_size=1, stride=1,
                         padding=0),
                    dict(type="ReLU"),
                    dict(type="Linear", in_dim=1, out_dim=2)],
                   dict(type="SoftmaxCrossEntropy"))


class TestSGD(unittest.TestCase):
    def test_three_steps_by_hand(self):
        model = two_layer_model()
        conv, lin = model.modules[0], model.modules[2]
        conv.weight[:] = 2.0
        conv.bias[:] = 1.0
        lin.weight[:] = [[1.0, -1.0]]
        lin.bias[:] = [0.0, 0.5]
        opt = SGD(model, learning_rate=0.1, reg=0.5, momentum=0.9)
        # Fixed gradients each step, so every number below follows from the update rule:
        #   g = dw + reg * w (weights only), v = 0.9 v - 0.1 g, param = param + v
        conv_dw, conv_db = 1.0, -1.0
        lin_dw, lin_db = np.array([[0.0, 2.0]]), np.array([1.0, 0.0])
        # conv weight: w0 = 2
        #  step 1: g = 1 + 1 = 2,          v = -0.2,                   w = 1.8
        #  step 2: g = 1 + 0.9 = 1.9,      v = -0.18 - 0.19 = -0.37,   w = 1.43
        #  step 3: g = 1 + 0.715 = 1.715,  v = -0.333 - 0.1715 = -0.5045, w = 0.9255
        # conv bias (not regularised): v = 0.1, 0.19, 0.271 -> b = 1.1, 1.29, 1.561
        # linear weight [1, -1]:
        #  step 1: g = [0.5, 1.5],          v = [-0.05, -0.15],          w = [0.95, -1.15]
        #  step 2: g = [0.475, 1.425],      v = [-0.0925, -0.2775],      w = [0.8575, -1.4275]
        #  step 3: g = [0.42875, 1.28625],  v = [-0.126125, -0.378375], w = [0.731375, -1.805875]
        # linear bias [0, 0.5]: v_0 = -0.1, -0.19, -0.271 -> b_0 = -0.1, -0.29, -0.561; b_1 = 0.5
        for _ in range(3):
            conv.dw, conv.db = np.full((1, 1, 1, 1), conv_dw), np.array([conv_db])
            lin.dw, lin.db = lin_dw.copy(), lin_db.copy()
            opt.update(model)
        np.testing.assert_allclose(conv.weight, np.full((1, 1, 1, 1), 0.9255), rtol=1e-12)
        np.testing.assert_allclose(conv.bias, [1.561], rtol=1e-12)
        np.testing.assert_allclose(lin.weight, [[0.731375, -1.805875]], rtol=1e-12)
        np.testing.assert_allclose(lin.bias, [-0.561, 0.5], rtol=1e-12)

    def test_velocities_start_at_zero_and_are_per_layer(self):
        model = two_layer_model()
        opt = SGD(model, learning_rate=1.0, reg=0.0, momentum=0.5)
        conv, lin = model.modules[0], model.modules[2]
        w_conv, w_lin = conv.weight.copy(), lin.weight.copy()
        # Step 1: only the linear layer has a gradient; the conv layer must not move.
        conv.dw, conv.db = np.zeros_like(conv.weight), np.zeros_like(conv.bias)
        lin.dw, lin.db = np.ones_like(lin.weight), np.zeros_like(lin.bias)
        opt.update(model)
        np.testing.assert_array_equal(conv.weight, w_conv)
        np.testing.assert_allclose(lin.weight, w_lin - 1.0)
        # Step 2: no gradients anywhere; the linear layer coasts on half its velocity.
        lin.dw = np.zeros_like(lin.weight)
        opt.update(model)
        np.testing.assert_array_equal(conv.weight, w_conv)
        np.testing.assert_allclose(lin.weight, w_lin - 1.5)

    def test_defaults(self):
        opt = SGD(two_layer_model())
        self.assertEqual((opt.learning_rate, opt.reg, opt.momentum), (1e-4, 1e-3, 0.9))


class TestBaseOptimizer(unittest.TestCase):
    def test_apply_regularization_weights_only(self):
        model = two_layer_model()
        for m in model.modules:
            if hasattr(m, "weight"):
                m.dw, m.db = np.zeros_like(m.weight), np.zeros_like(m.bias)
        model.modules[2].bias[:] = 3.0
        opt = _BaseOptimizer(model, learning_rate=0.1, reg=0.25)
        opt.apply_regularization(model)
        for m in (model.modules[0], model.modules[2]):
            np.testing.assert_allclose(m.dw, 0.25 * m.weight)
            np.testing.assert_array_equal(m.db, np.zeros_like(m.bias))

    def test_defaults(self):
        opt = _BaseOptimizer(two_layer_model())
        self.assertEqual((opt.learning_rate, opt.reg), (1e-4, 1e-3))

    def test_base_update_is_a_no_op(self):
        model = two_layer_model()
        before = [m.weight.copy() for m in model.modules if hasattr(m, "weight")]
        self.assertIsNone(_BaseOptimizer(model).update(model))
        after = [m.weight for m in model.modules if hasattr(m, "weight")]
        for b, a in zip(before, after):
            np.testing.assert_array_equal(a, b)


if __name__ == "__main__":
    unittest.main()
