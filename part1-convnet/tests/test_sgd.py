"""SGD with momentum: two steps on a one-layer model, against the saved weights in sgd_weights/."""
import os
import unittest

import numpy as np

from modules import ConvNet
from optimizer import SGD
from .utils import *


class TestSGD(unittest.TestCase):
    """The test of the momentum update."""

    def setUp(self):
        pass

    def test_sgd(self):
        model_list = [dict(type='Linear', in_dim=128, out_dim=10)]
        criterion = dict(type='SoftmaxCrossEntropy')
        model = ConvNet(model_list, criterion)

        optimizer = SGD(model)

        # First step
        np.random.seed(1024)
        x = np.random.randn(32, 128)
        np.random.seed(1024)
        y = np.random.randint(10, size=32)
        tmp = model.forward(x, y)
        model.backward()
        optimizer.update(model)

        # Second step
        np.random.seed(512)
        x = np.random.randn(32, 128)
        np.random.seed(512)
        y = np.random.randint(10, size=32)
        tmp = model.forward(x, y)
        model.backward()
        optimizer.update(model)

        basedir = os.path.abspath(os.path.dirname(__file__))
        expected_weights = np.load(os.path.join(basedir, 'sgd_weights', 'w.npy'))
        expected_bias = np.load(os.path.join(basedir, 'sgd_weights', 'b.npy'))

        self.assertAlmostEqual(np.sum(np.abs(expected_weights - model.modules[0].weight)), 0,
                               places=6)
        self.assertAlmostEqual(np.sum(np.abs(expected_bias - model.modules[0].bias)), 0)
