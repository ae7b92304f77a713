"""FocalLoss and reweight against independent float64 formulas, gradcheck and extreme logits."""
import math
import unittest

import numpy as np
import torch
import torch.nn.functional as F

from losses import FocalLoss, reweight

GAMMAS = [0.0, 0.5, 1.0, 2.0, 5.0]


def focal_reference(x, y, weight, gamma):
    """The softmax focal loss in float64 NumPy, one sample at a time."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y)
    total = 0.0
    for scores, label in zip(x, y):
        shifted = scores - scores.max()
        log_p = shifted[label] - math.log(np.exp(shifted).sum())
        w = 1.0 if weight is None else float(weight[label])
        total += -w * (1.0 - math.exp(log_p)) ** gamma * log_p
    return total / len(y)


class TestFocalLoss(unittest.TestCase):
    def setUp(self):
        g = torch.Generator().manual_seed(0)
        self.x = torch.randn(32, 10, generator=g, dtype=torch.float64) * 3
        self.y = torch.randint(0, 10, (32,), generator=g)
        self.w = torch.rand(10, generator=g, dtype=torch.float64) * 2

    def test_against_formula(self):
        for gamma in GAMMAS:
            for weight in (None, self.w):
                with self.subTest(gamma=gamma, weighted=weight is not None):
                    loss = FocalLoss(weight=weight, gamma=gamma)(self.x, self.y)
                    expected = focal_reference(self.x, self.y, None if weight is None else weight.numpy(), gamma)
                    self.assertEqual(loss.dim(), 0)
                    self.assertAlmostEqual(loss.item(), expected, places=10)

    def test_float32_input(self):
        loss = FocalLoss(weight=self.w.float(), gamma=2.0)(self.x.float(), self.y)
        self.assertAlmostEqual(loss.item(), focal_reference(self.x, self.y, self.w.numpy(), 2.0), places=5)

    def test_gamma_zero_equals_cross_entropy(self):
        torch.testing.assert_close(FocalLoss(gamma=0.0)(self.x, self.y), F.cross_entropy(self.x, self.y))
        # with weights: the plain mean, i.e. weighted CE times (sum of batch weights) / N
        scale = self.w[self.y].sum() / len(self.y)
        torch.testing.assert_close(FocalLoss(weight=self.w, gamma=0.0)(self.x, self.y),
                                   F.cross_entropy(self.x, self.y, weight=self.w) * scale)

    def test_gradcheck(self):
        x = self.x[:6].clone().requires_grad_(True)
        y = self.y[:6]
        for gamma in GAMMAS:
            for weight in (None, self.w):
                with self.subTest(gamma=gamma, weighted=weight is not None):
                    loss = FocalLoss(weight=weight, gamma=gamma)
                    self.assertTrue(torch.autograd.gradcheck(lambda t: loss(t, y), (x,)))

    def test_extreme_logits_stay_finite(self):
        # sample 0: true class far below another (loss 2e4 * w); sample 1: true class far above (loss 0)
        x = torch.tensor([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]], requires_grad=True)
        y = torch.tensor([1, 1])
        w = torch.tensor([0.5, 2.0, 1.0])
        for gamma in GAMMAS:
            for weight in (None, w):
                with self.subTest(gamma=gamma, weighted=weight is not None):
                    x.grad = None
                    loss = FocalLoss(weight=weight, gamma=gamma)(x, y)
                    loss.backward()
                    w_y = 1.0 if weight is None else 2.0
                    self.assertAlmostEqual(loss.item(), w_y * 2e4 / 2, delta=1e-3)
                    self.assertTrue(torch.isfinite(x.grad).all())
                    # gradient of sample 0 w.r.t. its logits: w_y (softmax - onehot) / N
                    torch.testing.assert_close(x.grad[0], torch.tensor([w_y / 2, -w_y / 2, 0.0]))
                    torch.testing.assert_close(x.grad[1], torch.zeros(3))

    def test_negative_gamma_rejected(self):
        with self.assertRaisesRegex(AssertionError, "gamma must be >= 0"):
            FocalLoss(gamma=-1.0)

    def test_works_under_bfloat16_autocast(self):
        with torch.autocast("cpu", dtype=torch.bfloat16):
            logits = torch.nn.Linear(10, 10)(self.x.float())
            loss = FocalLoss(weight=self.w.float(), gamma=1.0)(logits, self.y)
        self.assertEqual(loss.dtype, torch.float32)
        self.assertTrue(torch.isfinite(loss))


class TestReweight(unittest.TestCase):
    def test_closed_form(self):
        counts = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
        for beta in (0.9, 0.99, 0.999, 0.9999):
            with self.subTest(beta=beta):
                raw = [(1 - beta) / (1 - beta ** n) for n in counts]
                expected = [r / sum(raw) * len(counts) for r in raw]
                w = reweight(counts, beta=beta)
                self.assertEqual(tuple(w.shape), (10,))
                self.assertTrue(w.dtype.is_floating_point)
                np.testing.assert_allclose(w.double().numpy(), expected, rtol=1e-6)
                self.assertAlmostEqual(w.sum().item(), 10.0, places=4)

    def test_spec_example(self):
        np.testing.assert_allclose(reweight([645, 387, 232, 139]).numpy(),
                                   [0.4043, 0.6652, 1.1011, 1.8294], atol=5e-5)

    def test_beta_zero_is_uniform(self):
        np.testing.assert_allclose(reweight([5000, 50, 7], beta=0.0).numpy(), [1.0, 1.0, 1.0])

    def test_balanced_counts_give_ones(self):
        np.testing.assert_allclose(reweight([5000] * 10).numpy(), np.ones(10), rtol=1e-6)

    def test_bad_beta(self):
        with self.assertRaisesRegex(ValueError, r"beta must be in \[0, 1\)"):
            reweight([10, 20], beta=1.0)
        with self.assertRaisesRegex(ValueError, "every class needs at least one sample"):
            reweight([10, 0], beta=0.99)


if __name__ == "__main__":
    unittest.main()
