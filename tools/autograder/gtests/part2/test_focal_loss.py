"""Class-balanced softmax focal loss and reweight, against the formulas written out in float64.

Conventions the handout leaves open are probed only where every reading agrees:
- plain mean over the batch vs F.cross_entropy's weighted mean (divided by the sum of
  the batch's weights): every batch holds each class equally often, with weights that
  average to 1, so both give the same number;
- weight=None: the course's Solver always passes class weights, so no test relies on it;
- dtype: the loss runs in float32, as in the Solver (float32 scores, reweight(...).float()).
"""

import numpy as np
import torch

from grader.framework import GradedCase, HIDDEN, graded, probe
from gtests.checks import assert_close

FILE = ["losses/focal_loss.py"]


def cb_weights(counts, beta):
    """w_i = (1 - beta) / (1 - beta^n_i), scaled to sum to the number of classes."""
    counts = np.asarray(counts, dtype=np.float64)
    w = (1 - beta) / (1 - beta ** counts) if beta > 0 else np.ones_like(counts)
    return w / w.sum() * len(counts)


def balanced_batch(classes, per_class, seed, scale=2.0):
    """float32-representable scores and a target holding each class `per_class` times."""
    rng = np.random.RandomState(seed)
    target = rng.permutation(np.repeat(np.arange(classes), per_class))
    logits = (scale * rng.randn(len(target), classes)).astype(np.float32).astype(np.float64)
    return logits, target


def focal_reference(logits, target, weight, gamma):
    """-w_y (1 - p_y)^gamma log p_y averaged over the batch, in float64 with its gradient."""
    x = torch.tensor(logits, requires_grad=True)
    log_p = torch.log_softmax(x, 1).gather(1, torch.tensor(target)[:, None])[:, 0]
    w = torch.tensor(weight)[torch.tensor(target)]
    loss = (-w * (1 - log_p.exp()) ** gamma * log_p).mean()
    loss.backward()
    return loss.detach().numpy(), x.grad.numpy()


def check_focal(gamma, weight, seed, grad=False, scale=2.0, per_class=2):
    weight = np.asarray(weight, dtype=np.float32).astype(np.float64)
    weight = weight / weight.mean()  # average 1: plain and weighted means agree on balanced batches
    logits, target = balanced_batch(len(weight), per_class, seed, scale)
    what = "FocalLoss(weight=<%d class weights>, gamma=%g)(input of shape %s, target of shape %s) " \
           "in losses/focal_loss.py, in float32" % (len(weight), gamma, logits.shape, target.shape)
    got = probe("focal", dict(gamma=gamma, grad=grad), logits=logits, target=target, weight=weight)
    ref_loss, ref_grad = focal_reference(logits, target, weight, gamma)
    assert_close(got["loss"], ref_loss, what + ": loss", rtol=2e-4, atol=1e-6)
    if grad:
        if not got.get("requires_grad"):
            raise AssertionError("%s: the loss has no gradient (compute it with torch operations "
                                 "on the input, without .detach(), .item() or NumPy)" % what)
        assert_close(got.get("grad"), ref_grad, what + ": gradient with respect to the input",
                     rtol=2e-3, atol=1e-6)


LONG_TAIL = [5000, 2997, 1796, 1077, 645, 387, 232, 139, 83, 50]


class TestReweight(GradedCase):
    @graded(2, requires=FILE)
    def test_reweight(self):
        """reweight: [645, 387, 232, 139], beta=0.9999"""
        counts = [645, 387, 232, 139]
        got = probe("reweight", dict(counts=counts, beta=0.9999))
        what = "reweight(%s, beta=0.9999) in losses/focal_loss.py" % counts
        if not got.get("is_tensor"):
            raise AssertionError("%s must return a torch tensor (the course's public test checks "
                                 "it)" % what)
        assert_close(got["weights"], cb_weights(counts, 0.9999), what, rtol=1e-4, atol=1e-6)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_reweight_betas(self):
        """reweight: the long-tailed CIFAR-10 counts, beta 0.9 to 0.9999"""
        for beta in (0.9, 0.99, 0.999, 0.9999):
            got = probe("reweight", dict(counts=LONG_TAIL, beta=beta))
            assert_close(got["weights"], cb_weights(LONG_TAIL, beta), "reweight(%s, beta=%g) in "
                         "losses/focal_loss.py" % (LONG_TAIL, beta), rtol=1e-4, atol=1e-6)


class TestFocalLoss(GradedCase):
    @graded(2, requires=FILE)
    def test_gamma0_is_cross_entropy(self):
        """FocalLoss.forward: gamma=0 with equal weights is the cross-entropy"""
        check_focal(0.0, np.ones(10), seed=0)

    @graded(2, requires=FILE)
    def test_gamma0_weighted(self):
        """FocalLoss.forward: gamma=0 with class weights is the weighted cross-entropy"""
        check_focal(0.0, [0.5, 1.5, 0.75, 1.25], seed=1)

    @graded(3, visibility=HIDDEN, requires=FILE)
    def test_gammas(self):
        """FocalLoss.forward: gamma 0.5, 1, 2 and 5 with class-balanced weights"""
        for i, gamma in enumerate((0.5, 1.0, 2.0, 5.0)):
            check_focal(gamma, cb_weights(LONG_TAIL, 0.999), seed=10 + i)
            check_focal(gamma, np.ones(5), seed=20 + i)

    @graded(2, visibility=HIDDEN, requires=FILE)
    def test_gradient(self):
        """FocalLoss.forward: back-propagates the right gradient"""
        check_focal(2.0, cb_weights(LONG_TAIL, 0.99), seed=30, grad=True)

    @graded(1, visibility=HIDDEN, requires=FILE)
    def test_large_scores(self):
        """FocalLoss.forward: finite and right for scores around 10"""
        check_focal(1.0, cb_weights(LONG_TAIL, 0.99), seed=40, scale=10.0)
