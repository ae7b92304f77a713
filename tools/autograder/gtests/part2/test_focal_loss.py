"""Class-balanced softmax focal loss, against the formulas written out in float64."""

import numpy as np
import torch
import torch.nn.functional as F

from grader.framework import GradedCase, HIDDEN, graded, student
from gtests.checks import assert_close

FILE = ["losses/focal_loss.py"]


def cb_weights(counts, beta):
    """w_i = (1 - beta) / (1 - beta^n_i), scaled to sum to the number of classes."""
    counts = np.asarray(counts, dtype=np.float64)
    w = (1 - beta) / (1 - beta ** counts) if beta > 0 else np.ones_like(counts)
    return w / w.sum() * len(counts)


def focal_reference(logits, target, weight, gamma):
    """-w_y (1 - p_y)^gamma log p_y, averaged over the batch (float64 autograd-able)."""
    log_p = torch.log_softmax(logits, 1).gather(1, target[:, None])[:, 0]
    w = weight[target] if weight is not None else torch.ones_like(log_p)
    return (-w * (1 - log_p.exp()) ** gamma * log_p).mean()


def batch(n, c, seed, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    return (scale * torch.randn(n, c, generator=g, dtype=torch.float64),
            torch.randint(c, (n,), generator=g))


def check_focal(gamma, weighted, seed, grad=False, scale=2.0):
    what = "FocalLoss(gamma=%g, %s)" % (gamma, "with class weights" if weighted else "no weights")
    FocalLoss = student("losses.focal_loss", "FocalLoss")
    logits, target = batch(16, 5, seed, scale)
    weight = torch.tensor(cb_weights([500, 200, 90, 40, 10], 0.99)) if weighted else None
    x = logits.clone().requires_grad_(True)
    loss = FocalLoss(weight=weight, gamma=gamma)(x, target)
    ref_x = logits.clone().requires_grad_(True)
    ref = focal_reference(ref_x, target, weight, gamma)
    if not torch.is_tensor(loss) or loss.numel() != 1:
        raise AssertionError("%s must return a scalar tensor, got %r" % (what, type(loss).__name__))
    assert_close(loss.reshape(()), ref, what + ": loss", rtol=1e-4, atol=1e-6)
    if grad:
        if not loss.requires_grad:
            raise AssertionError("%s: the loss has no gradient (use torch operations only)" % what)
        loss.backward()
        ref.backward()
        assert_close(x.grad, ref_x.grad, what + ": gradient with respect to the scores",
                     rtol=1e-4, atol=1e-6)


class TestReweight(GradedCase):
    @graded(2, requires=FILE)
    def test_reweight(self):
        """reweight([645, 387, 232, 139], beta=0.9999)"""
        reweight = student("losses.focal_loss", "reweight")
        counts = [645, 387, 232, 139]
        assert_close(reweight(counts, beta=0.9999), cb_weights(counts, 0.9999),
                     "reweight(%s, beta=0.9999)" % counts, rtol=1e-4, atol=1e-6)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_reweight_betas(self):
        """reweight on the long-tailed CIFAR-10 counts for several beta"""
        reweight = student("losses.focal_loss", "reweight")
        counts = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]
        for beta in (0.9, 0.99, 0.999, 0.9999):
            assert_close(reweight(counts, beta=beta), cb_weights(counts, beta),
                         "reweight(long-tailed counts, beta=%g)" % beta, rtol=1e-4, atol=1e-6)


class TestFocalLoss(GradedCase):
    @graded(2, requires=FILE)
    def test_gamma0_is_cross_entropy(self):
        """FocalLoss with gamma=0 and no weights equals the cross-entropy"""
        FocalLoss = student("losses.focal_loss", "FocalLoss")
        logits, target = batch(8, 10, seed=0)
        assert_close(FocalLoss(gamma=0.0)(logits, target), F.cross_entropy(logits, target),
                     "FocalLoss(gamma=0) vs F.cross_entropy", rtol=1e-5, atol=1e-7)

    @graded(2, requires=FILE)
    def test_gamma0_weighted(self):
        """FocalLoss with gamma=0 and class weights equals weighted cross-entropy"""
        FocalLoss = student("losses.focal_loss", "FocalLoss")
        logits, _ = batch(4, 4, seed=1)
        weight = torch.tensor([0.5, 1.5, 0.75, 1.25], dtype=torch.float64)
        target = torch.tensor([0, 1, 2, 3])  # the batch's weights sum to its size
        assert_close(FocalLoss(weight=weight, gamma=0.0)(logits, target),
                     F.cross_entropy(logits, target, weight=weight),
                     "FocalLoss(weight, gamma=0) vs F.cross_entropy(weight=...)", rtol=1e-5, atol=1e-7)

    @graded(3, visibility=HIDDEN, requires=FILE)
    def test_gammas(self):
        """FocalLoss for gamma in 0.5, 1, 2, 5, with and without weights"""
        for i, gamma in enumerate((0.5, 1.0, 2.0, 5.0)):
            check_focal(gamma, weighted=False, seed=10 + i)
            check_focal(gamma, weighted=True, seed=20 + i)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_gradient(self):
        """FocalLoss back-propagates the right gradient"""
        check_focal(2.0, weighted=True, seed=30, grad=True)

    @graded(1, visibility=HIDDEN, requires=FILE)
    def test_large_scores(self):
        """FocalLoss stays finite and right for scores around 100"""
        check_focal(1.0, weighted=True, seed=40, scale=100.0)
