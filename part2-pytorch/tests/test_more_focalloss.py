"""More checks of reweight and FocalLoss (this kit's, beside the course's test_focalloss.py),
against independent computations in float64."""
import math
import unittest

import torch
import torch.nn.functional as F

from losses import FocalLoss, reweight


class TestReweightMore(unittest.TestCase):
    def test_closed_form(self):
        counts, beta = [5000, 2997, 50], 0.999
        raw = [(1 - beta) / (1 - beta ** n) for n in counts]
        expected = [w / sum(raw) * len(counts) for w in raw]
        got = reweight(counts, beta=beta)
        for g, e in zip(got.tolist(), expected):
            self.assertAlmostEqual(g, e, places=5)

    def test_beta_zero_gives_equal_weights(self):
        self.assertEqual(reweight([10, 100, 1000], beta=0.0).tolist(), [1.0, 1.0, 1.0])


class TestFocalLossMore(unittest.TestCase):
    def setUp(self):
        g = torch.Generator().manual_seed(0)
        self.x = torch.randn(16, 10, generator=g, dtype=torch.float64)
        self.y = torch.randint(0, 10, (16,), generator=g)

    def test_gamma_zero_no_weight_is_cross_entropy(self):
        torch.testing.assert_close(FocalLoss(gamma=0.0)(self.x, self.y), F.cross_entropy(self.x, self.y))

    def test_gamma_two_by_hand(self):
        # mean over the batch of -(1 - p_y)^2 log p_y, computed sample by sample
        p = torch.softmax(self.x, dim=1)
        terms = [-(1 - p[i, t]) ** 2 * math.log(p[i, t]) for i, t in enumerate(self.y.tolist())]
        expected = sum(float(v) for v in terms) / len(terms)
        self.assertAlmostEqual(FocalLoss(gamma=2.0)(self.x, self.y).item(), expected, places=6)

    def test_weighted_equals_weighted_ce_when_weights_sum_to_batch(self):
        # each class twice, class weights summing to 4: the batch's weights sum to its size (8),
        # so the plain mean equals PyTorch's weighted mean
        x = self.x[:8, :4]
        y = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])
        w = torch.tensor([0.5, 1.5, 0.8, 1.2], dtype=torch.float64)
        torch.testing.assert_close(FocalLoss(weight=w, gamma=0.0)(x, y), F.cross_entropy(x, y, weight=w))

    def test_gradient_flows(self):
        x = self.x.clone().requires_grad_(True)
        FocalLoss(gamma=1.0)(x, self.y).backward()
        self.assertTrue(torch.isfinite(x.grad).all())
        self.assertGreater(x.grad.abs().sum().item(), 0)


if __name__ == "__main__":
    unittest.main()
