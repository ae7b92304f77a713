import unittest

import numpy as np
import torch
import torch.nn.functional as F

from losses import FocalLoss, reweight


def logit(p):
    """Inverse of the sigmoid: log(p / (1 - p))."""
    return np.log(p / (1 - p))


class TestFocalLoss(unittest.TestCase):
    """Class-balanced weights and the focal loss (softmax form)."""

    def setUp(self):
        super().setUp()
        np.random.seed(42)
        self.class_size_list = [645, 387, 232, 139]
        self.per_class_weight = reweight(self.class_size_list)

    def test_reweighting(self):
        self.assertIsInstance(self.per_class_weight, torch.Tensor)
        self.assertEqual(len(self.per_class_weight), 4)
        expected = np.array([0.4043, 0.6652, 1.1011, 1.8294])
        np.testing.assert_array_almost_equal(self.per_class_weight.numpy(), expected, 4)

    def test_focal_loss_equals_ce_loss(self):
        probs = np.array([[[0.95, 0.55, 0.12, 0.05],
                           [0.09, 0.95, 0.36, 0.11],
                           [0.06, 0.12, 0.56, 0.07],
                           [0.09, 0.15, 0.25, 0.45]]], dtype=np.float32)
        inputs = torch.tensor(logit(probs), dtype=torch.float32).squeeze(0)
        targets = torch.tensor([[1, 3, 0, 2]], dtype=torch.long).squeeze(0)

        # with gamma = 0 the focal loss is the (class-weighted) cross-entropy
        focal_loss = FocalLoss(weight=self.per_class_weight, gamma=0.)
        ce_loss = F.cross_entropy(inputs, targets, weight=self.per_class_weight.float())

        self.assertAlmostEqual(focal_loss.forward(input=inputs, target=targets).item(),
                               ce_loss.item(), places=6)