"""Class-balanced weights and the softmax focal loss, against hand-computed values and CE."""
import unittest

import torch
import torch.nn.functional as F

import tests.checkpoint_eval  # noqa: F401  (puts part2-pytorch on sys.path)
from losses import FocalLoss, reweight


class TestFocalLoss(unittest.TestCase):
    def test_reweight(self):
        weights = reweight([645, 387, 232, 139], beta=0.9999)
        expected = torch.tensor([0.4043, 0.6652, 1.1011, 1.8294])
        self.assertEqual(tuple(weights.shape), (4,))
        torch.testing.assert_close(weights.float(), expected, atol=1e-4, rtol=0)

    def test_gamma_zero_no_weight_is_cross_entropy(self):
        torch.manual_seed(0)
        x, y = torch.randn(16, 10), torch.randint(0, 10, (16,))
        torch.testing.assert_close(FocalLoss(gamma=0.0)(x, y), F.cross_entropy(x, y))

    def test_gamma_zero_is_weighted_cross_entropy(self):
        # per-class weights chosen so that the 8 samples' weights sum to 8: then the plain
        # mean of the focal loss equals PyTorch's weighted CE (which divides by that sum)
        x = torch.tensor([[2.0, -1.0, 0.5, 0.0], [0.1, 0.2, 0.3, 0.4], [-2.0, 1.0, 3.0, 0.0],
                          [1.5, 1.5, -0.5, 2.0], [0.0, 0.0, 0.0, 0.0], [3.0, -3.0, 1.0, -1.0],
                          [0.7, -0.2, 0.9, 1.1], [-1.0, 2.5, 0.0, 0.3]])
        y = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])
        w = torch.tensor([0.5, 1.5, 0.8, 1.2])  # each class twice: 2 * (0.5 + 1.5 + 0.8 + 1.2) = 8
        loss = FocalLoss(weight=w, gamma=0.0)(x, y)
        torch.testing.assert_close(loss, F.cross_entropy(x, y, weight=w))


if __name__ == "__main__":
    unittest.main()
